"""Scores as sources publish them (issue 9 §1, §2): expected values worked by hand.

Each tie below is written out with the rule as regulations state it and the
arithmetic in a comment; nothing is taken from copa's own output.
"""

from __future__ import annotations

import pytest

from copa.core.issues import Severity
from copa.core.match import Match, Score
from copa.core.record import tally
from copa.core.standings import table
from copa.core.tie import Tie, TieRules, resolve_tie

UEFA = ("aggregate", "away_goals", "extra_time", "penalties")
ET_THEN_AWAY = ("aggregate", "extra_time", "away_goals", "penalties")
ONE_MATCH = ("score", "extra_time", "penalties")


def errors(r: object) -> list[str]:
    return [i.message for i in r.issues if i.severity is Severity.ERROR]  # type: ignore[attr-defined]


def pending(r: object) -> list[str]:
    return [i.message for i in r.issues if i.severity is Severity.PENDING]  # type: ignore[attr-defined]


# --- a score known only after extra time ------------------------------------------------


def test_a_final_known_only_after_extra_time_is_decided_by_that_score() -> None:
    # "A 2-3 B a.e.t.": a one-match final went to extra time, so the 90 minutes were
    # level (the score step is level); after extra time B led 3-2: B on extra time.
    final = Tie(
        ("A", "B"), (Match("A", "B", extra_time=Score(2, 3), neutral=True),), TieRules(ONE_MATCH)
    )
    r = resolve_tie(final)
    assert (r.winner, r.decided_by) == ("B", "extra_time")
    assert r.issues == () and r.aggregate == (2, 3) and r.goals_known


def test_a_two_legged_tie_decided_by_the_extra_time_score_alone() -> None:
    # leg 1 A 1-1 B; leg 2 at B "B 3-2 A a.e.t." with no 90-minute score.
    # Extra time is played only when aggregate and away goals were level at 90
    # minutes, so both steps were level; after extra time A 1+2 = 3, B 1+3 = 4.
    tie = Tie(
        ("A", "B"),
        (Match("A", "B", Score(1, 1)), Match("B", "A", extra_time=Score(3, 2))),
        TieRules(UEFA),
    )
    r = resolve_tie(tie)
    assert (r.winner, r.decided_by, r.aggregate) == ("B", "extra_time", (3, 4))
    assert r.issues == ()


def test_a_step_needing_the_missing_90_minute_split_makes_the_tie_undecidable() -> None:
    # chain: aggregate, extra time, then away goals counted at 90 minutes.
    # leg 1 A 1-1 B; leg 2 at B "1-1 a.e.t.": after extra time 2-2. Away goals at
    # 90 minutes need leg 2's 90-minute score, which the source does not give.
    legs = (Match("A", "B", Score(1, 1)), Match("B", "A", extra_time=Score(1, 1)))
    r = resolve_tie(Tie(("A", "B"), legs, TieRules(ET_THEN_AWAY)))
    assert r.winner is None and r.decided_by is None
    assert pending(r) == [
        "undecidable from the data: away goals needs the 90-minute score of leg 2 "
        "(only the score after extra time is recorded)"
    ]
    # the source's own winner stands in, and the result says so
    claimed = resolve_tie(Tie(("A", "B"), legs, TieRules(ET_THEN_AWAY), claimed_winner="B"))
    assert (claimed.winner, claimed.decided_by) == ("B", "recorded_winner")
    assert (
        pending(claimed) == []
        and "away goals needs the 90-minute score of leg 2" in claimed.explanation()
    )
    assert "the recorded winner is used" in claimed.explanation()
    # a recorded shoot-out comes after away goals: away goals were level, B won it 4-3
    shot = Match("B", "A", extra_time=Score(1, 1), penalties=Score(4, 3))
    r = resolve_tie(Tie(("A", "B"), (legs[0], shot), TieRules(ET_THEN_AWAY)))
    assert (r.winner, r.decided_by) == ("B", "penalties")


def test_points_per_leg_need_the_90_minute_split() -> None:
    # points, goal difference, extra time: A won leg 1 2-0; leg 2 "B 3-1 A a.e.t.".
    # Extra time was played, so points and goal difference were level at 90'
    # (B won leg 2 at 90' by two); after extra time A 2+1 = 3, B 0+3 = 3: level,
    # and the shoot-out is not recorded.
    tie = Tie(
        ("A", "B"),
        (Match("A", "B", Score(2, 0)), Match("B", "A", extra_time=Score(3, 1))),
        TieRules(("points", "goal_difference", "extra_time", "penalties")),
    )
    r = resolve_tie(tie)
    assert r.winner is None and pending(r) == ["penalties are needed"]
    # without extra time in the chain the points step truly needs the split
    no_et = Tie(tie.teams, tie.legs, TieRules(("points", "goal_difference", "penalties")))
    r = resolve_tie(no_et)
    assert r.winner is None
    assert pending(r) == [
        "undecidable from the data: points needs the 90-minute score of leg 2 "
        "(only the score after extra time is recorded)"
    ]
    assert errors(r) == [
        "extra time recorded, but the rules in force (points, goal_difference, penalties) "
        "have no extra time"
    ]


# --- a match played with its score unknown ------------------------------------------------


def test_a_shootout_only_match_decides_a_knockout_round_without_goals() -> None:
    # "A ? B (4-3 p)": a shoot-out means play ended level; A won it 4-3.
    m = Match("A", "B", penalties=Score(4, 3), shot_first="B")
    r = resolve_tie(Tie(("A", "B"), (m,), TieRules(ONE_MATCH)))
    assert (r.winner, r.decided_by) == ("A", "penalties") and r.issues == ()
    assert not r.goals_known
    rec = tally(["A", "B"], [m])
    # a draw in the table (level when play ended), goals unknown, not 0-0 counted
    assert (rec["A"].drawn, rec["A"].goals_for, rec["A"].goals_against, rec["A"].unknown) == (
        1,
        0,
        0,
        1,
    )


def test_a_recorded_winner_stands_in_for_the_score_and_says_so() -> None:
    m = Match("A", "B", recorded_winner="B")
    assert m.counts and not m.goals_known and m.winner == "B"
    r = resolve_tie(Tie(("A", "B"), (m,), TieRules(ONE_MATCH)))
    assert (r.winner, r.decided_by) == ("B", "recorded_winner")
    assert r.explanation() == (
        "B beat A on the recorded winner (undecidable from the data: score needs the score "
        "of the match (not recorded); the recorded winner is used)"
    )
    with pytest.raises(ValueError, match="the score of A v B is not known"):
        m.goals("A")


def test_unknown_scores_count_for_points_but_not_for_goal_criteria() -> None:
    # B beat C, score unknown. A: beat B 1-0, lost at C 0-2 -> 3 pts, GF 1 GA 2.
    # B: lost to A, beat C -> 3 pts, goals known only from A v B: GF 0 GA 1.
    # C: lost to B, beat A 2-0 -> 3 pts, GF 2 GA 0.
    ms = [
        Match("A", "B", Score(1, 0)),
        Match("B", "C", recorded_winner="B"),
        Match("C", "A", Score(2, 0)),
    ]
    t = table("G", ["A", "B", "C"], ms, chain=("points", "goal_difference", "goals_for"))
    rows = {s.club: s for s in t.standings}
    assert [rows[c].points for c in "ABC"] == [3, 3, 3]
    assert (rows["B"].goals_for, rows["B"].goals_against, rows["B"].unknown) == (0, 1, 1)
    assert rows["A"].unknown == 0
    # all level on points; goal difference cannot be worked out for B and C
    assert t.pending == (
        "goal difference cannot be worked out: B and C played a match whose score is not known",
    )
    assert all(s.criterion in ("points", None) for s in t.separations)
    # head-to-head points only need who won: among all three each won once (3 each),
    # so they stay level; between B and C alone (chain order) B won
    two = table(
        "G2",
        ["B", "C"],
        [Match("B", "C", recorded_winner="B"), Match("C", "B", Score(1, 0))],
        chain=("points", "head_to_head_points", "goal_difference"),
    )
    # 3 points each, 3 h2h points each; goal difference needs the unknown score
    assert [s.club for s in two.standings] == ["B", "C"] and two.pending


def test_a_match_without_a_score_must_still_say_who_won() -> None:
    with pytest.raises(ValueError, match="needs a score"):
        Match("A", "B")
    with pytest.raises(ValueError, match="did not play"):
        Match("A", "B", recorded_winner="C")
    with pytest.raises(ValueError, match="only for a played match"):
        Match("A", "B", Score(1, 0), recorded_winner="A")
    with pytest.raises(ValueError, match="shot first"):
        Match("A", "B", Score(1, 1), shot_first="A")


# --- extra time required but not recorded --------------------------------------------------


def test_the_extra_time_step_asks_for_extra_time() -> None:
    # aggregate, extra time, away goals, penalties; legs 1-1 and 0-0: level on
    # aggregate (1-1), so extra time had to be played; away goals must not decide.
    tie = Tie(
        ("A", "B"),
        (Match("A", "B", Score(1, 1)), Match("B", "A", Score(0, 0))),
        TieRules(ET_THEN_AWAY),
    )
    r = resolve_tie(tie)
    assert r.winner is None and pending(r) == ["extra time is needed"]


def test_extra_time_under_rules_without_it_says_so() -> None:
    tie = Tie(
        ("A", "B"),
        (
            Match("A", "B", Score(1, 1)),
            Match("B", "A", Score(1, 1), Score(1, 1), Score(4, 3)),
        ),
        TieRules(("aggregate", "penalties")),
    )
    assert errors(resolve_tie(tie)) == [
        "extra time recorded, but the rules in force (aggregate, penalties) have no extra time"
    ]


# --- away goals after extra time -------------------------------------------------------------


def test_away_goals_counted_after_extra_time() -> None:
    # leg 1 A 1-0 B; leg 2 at B: 1-0 at 90' (aggregate 1-1, no away goals), 2-1 a.e.t.
    # After extra time 2-2 on aggregate; A scored one away goal (in extra time), B none.
    legs = (Match("A", "B", Score(1, 0)), Match("B", "A", Score(1, 0), Score(2, 1)))
    uefa = Tie(("A", "B"), legs, TieRules(UEFA, away_goals_after_extra_time=True))
    r = resolve_tie(uefa)
    assert (r.winner, r.decided_by) == ("A", "away_goals") and r.issues == ()
    # without the option the away goals rule stops at 90 minutes: a shoot-out is needed
    plain = resolve_tie(Tie(("A", "B"), legs, TieRules(UEFA)))
    assert plain.winner is None and pending(plain) == ["penalties are needed"]


# --- the season-file notation, exports and importers ---------------------------------------

SEASON = """\
copa: 1
competition: Test Cup
season: 2024
rules:
  groups:
    ranking: [points, goal_difference, goals_for]
  ko:
    tie: [aggregate, away_goals, extra_time, penalties]
  one_match:
    tie: [score, extra_time, penalties]
clubs:
  - {name: Alpha, department: Lima}
  - {name: Beta, department: Lima}
  - {name: Gamma, department: Cusco}
  - {name: Delta, department: Cusco, aliases: [Delta FC]}
stages:
  - name: Groups
    kind: regional
    rounds:
      - name: Group stage
        rules: groups
        legs: 1
        advance: {top: 2}
        groups:
          - name: Group A
            clubs: [Alpha, Beta, Gamma]
            matches:
              - Alpha 2-0 Beta
              - "Beta v Gamma: played, winner Gamma"
              - Gamma 0-1 Alpha
  - name: Final stage
    kind: national
    rounds:
      - name: Final
        rules: ko
        ties:
          - {teams: [Alpha, Gamma], legs: [1-1, aet 2-3]}
  - name: Plate
    kind: national
    entrants: [Beta, Delta]
    rounds:
      - name: Plate final
        rules: one_match
        legs: 1
        ties:
          - {teams: [Beta, Delta FC], legs: ["? (4-2 p, Delta FC first)"]}
"""


def _season() -> object:
    from copa.spec.season_file import parse_season

    return parse_season(SEASON, "test.yaml")


def test_the_new_notations_are_read_from_a_season_file() -> None:
    from copa.core.resolve import resolve
    from copa.core.stats import season_stats

    season = _season()
    result = resolve(season)  # type: ignore[arg-type]
    group = result.stage("Groups").rounds[0].groups[0]
    # Alpha 6 pts (GF 3, GA 0); Gamma 3 pts (one win by the recorded winner, goals of
    # that match unknown: GF 0, GA 1); Beta 0 pts (GF 0, GA 2)
    assert [
        (s.club, s.points, s.goals_for, s.goals_against, s.unknown) for s in group.table.standings
    ] == [
        ("Alpha", 6, 3, 0, 0),
        ("Gamma", 3, 0, 1, 1),
        ("Beta", 0, 0, 2, 1),
    ]
    final = result.stage("Final stage").rounds[0].ties[0]
    # leg 2 at Gamma "aet 2-3" from Alpha's side: after extra time Alpha 1+2, Gamma 1+3
    assert (final.winner, final.decided_by, final.aggregate) == ("Gamma", "extra_time", (3, 4))
    plate = result.stage("Plate").rounds[0].ties[0]
    assert (plate.winner, plate.decided_by) == ("Beta", "penalties")
    assert plate.tie.legs[0].shot_first == "Delta"  # the alias is resolved
    stats = season_stats(result)
    # goals: 2-0, 0-1, 1-1, aet 2-3 -> 2 + 1 + 2 + 5 = 10 over 4 matches; the two
    # matches with unknown scores are in no goal figure and listed as unknown
    assert (stats.matches, stats.goals) == (4, 10)
    assert sorted((m.home, m.away) for m in stats.unknown) == [("Beta", "Delta"), ("Beta", "Gamma")]
    assert [m.away for m in stats.highest_scoring] == ["Alpha"]  # Gamma 3-2 a.e.t., 5 goals


def test_the_new_notations_survive_writer_json_and_csv() -> None:
    import csv
    import io
    import json

    from copa.core.resolve import resolve
    from copa.sinks.export_csv import matches_csv
    from copa.sinks.export_json import dumps
    from copa.spec.season_file import parse_season
    from copa.spec.season_writer import write_season

    season = _season()
    text = write_season(season)  # type: ignore[arg-type]
    assert "Beta v Gamma: played, winner Gamma" in text
    assert "aet 2-3" in text and "? (4-2 p, Delta first)" in text
    assert parse_season(text) == season
    data = json.loads(dumps(resolve(season)))  # type: ignore[arg-type]
    (final,) = [t for t in data["ties"] if t["round"] == "Final"]
    assert final["legs"][1] == {
        "home": "Gamma",
        "away": "Alpha",
        "home_goals": None,
        "away_goals": None,
        "extra_time": {"home_goals": 3, "away_goals": 2},
    }
    (plate,) = [t for t in data["ties"] if t["round"] == "Plate final"]
    assert plate["aggregate"] is None and plate["legs"][0]["goals_known"] is False
    assert plate["legs"][0]["shot_first"] == "Delta"
    assert len(data["stats"]["unknown_score"]) == 2
    rows = list(csv.DictReader(io.StringIO(matches_csv(resolve(season)))))  # type: ignore[arg-type]
    (won,) = [r for r in rows if r["home"] == "Beta" and r["away"] == "Gamma"]
    assert (won["home_goals"], won["winner"], won["status"]) == ("", "Gamma", "played")


CSV_HEAD = "stage,round,group,home,away,home_goals,away_goals,home_goals_et,away_goals_et,home_penalties,away_penalties,leg,status,winner,first_shooter\n"


def test_csv_rows_with_only_extra_time_goals_or_only_a_winner_are_read() -> None:
    from copa.sources.csv_rows import result_of

    def row(line: str) -> dict[str, str]:
        return dict(zip(CSV_HEAD.strip().split(","), line.split(","), strict=True))

    et = result_of(row("S,F,,A,B,,,2,3,,,,,,"), "m.csv", 2)
    assert (et.score, et.extra_time) == (None, Score(2, 3))
    won = result_of(row("S,F,,A,B,,,,,,,,played,B,"), "m.csv", 3)
    assert (won.score, won.winner) == (None, "B")
    shot = result_of(row("S,F,,A,B,,,,,4,3,,,,A"), "m.csv", 4)
    assert (shot.score, shot.penalties, shot.first) == (None, Score(4, 3), "A")
    from copa.spec.season_file import SeasonFileError

    with pytest.raises(SeasonFileError, match="m.csv:5: winner: give the winner only"):
        result_of(row("S,F,,A,B,1,0,,,,,,,B,"), "m.csv", 5)
    with pytest.raises(SeasonFileError, match="a scheduled match has no score"):
        result_of(row("S,F,,A,B,,,2,3,,,,scheduled,,"), "m.csv", 6)


def test_football_json_without_ft_is_held_as_published() -> None:
    from copa.sources.import_footballjson import _score

    res, _ = _score({"score": {"et": [2, 3]}}, "f.json", 1)
    assert (res.score, res.extra_time) == (None, Score(2, 3))
    res, _ = _score({"score": {"p": [4, 3]}}, "f.json", 1)
    assert (res.score, res.penalties) == (None, Score(4, 3))
    res, _ = _score({"score1": None, "score2": None, "score1et": 1, "score2et": 2}, "f.json", 1)
    assert res.extra_time == Score(1, 2)


def test_who_shot_first_is_any_club_name() -> None:
    """Found by the round-trip property test: the first shooter's name was checked as a
    number of goals ("more than 999 goals"), and a name with brackets split the match line."""
    from copa.spec.scores import parse_match_line, parse_result

    r = parse_result("0-0 aet 0-0 (4-3 p, Atlético Grau first)")
    assert (r.penalties, r.first) == (Score(4, 3), "Atlético Grau")
    assert parse_result("1-1 (5-4 p, 9 de Octubre first)").first == "9 de Octubre"
    home, away, r = parse_match_line(
        "UTC 1-1 (4-3 p, Deportivo Municipal (Paucará) first) Los Caimanes"
    )
    assert (home, away, r.first) == ("UTC", "Los Caimanes", "Deportivo Municipal (Paucará)")
    with pytest.raises(ValueError, match="more than 999 goals"):
        parse_result("1-1 (4-3000 p, UTC first)")


def test_the_wiki_export_and_import_keep_unknown_scores_and_first_shooters() -> None:
    """``? (won by A)``, ``? (4–2 p, C first)`` and ``(3–4 p, B first)`` in a sports table and
    in one-match results are read back as written: never as 0-0, never dropped."""
    from copa.core.club import Club
    from copa.core.group import Group, GroupRules
    from copa.core.resolve import resolve
    from copa.core.season import Season
    from copa.core.stage import Advance, Round, Stage
    from copa.sinks.wiki_export import season_wikitext
    from copa.sources.wiki.importer import import_wiki
    from copa.spec.formats import dump_format, format_of, parse_format

    a, b, c = "Atlético Grau", "Deportivo Municipal (Paucará)", "UTC"
    ko = TieRules(ONE_MATCH)
    group = Group(
        "Group A",
        (a, b, c),
        (
            Match(a, b, recorded_winner=a),
            Match(b, c, None, Score(2, 3)),
            Match(c, a, None, None, Score(4, 2), shot_first=c),
        ),
        GroupRules(),
        1,
    )
    rounds = (
        Round("Group stage", groups=(group,), advance=Advance(top=1)),
        Round(
            "Final", ties=(Tie((a, c), (Match(a, c, penalties=Score(5, 4), shot_first=c),), ko),)
        ),
        Round(
            "Cup",
            ties=(
                Tie(
                    (b, c), (Match(b, c, Score(1, 1), Score(1, 1), Score(3, 4), shot_first=b),), ko
                ),
            ),
        ),
        Round("Plate", ties=(Tie((a, b), (Match(a, b, recorded_winner=b),), ko),)),
    )
    clubs = tuple(Club(n, department="Lima") for n in (a, b, c))
    season = Season("2011", "Copa Perú", clubs, (Stage("Region I", "regional", rounds),))
    text = season_wikitext(resolve(season))
    assert "? (won by Atlético Grau)" in text and "(4–2 p, UTC first)" in text
    assert "(3–4 p, Deportivo Municipal (Paucará) first)" in text
    fmt = parse_format(dump_format(format_of(season)), "format.yaml")
    imp = import_wiki(text, "season.wiki", fmt)
    assert imp.notes == ()
    assert imp.season == season
