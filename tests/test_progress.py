"""Seasons in progress: provisional tables, statuses proved for every remaining result.

Expected values are worked by hand from the fixtures (or by brute force over
every completion, computed here independently of the engine's proof).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import product
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from copa.core import (
    Advance,
    Club,
    Group,
    GroupRules,
    Match,
    MatchStatus,
    Promotion,
    Round,
    Score,
    Season,
    Stage,
    Status,
    resolve,
    resolve_round,
    table,
)
from copa.core.fixtures import round_robin
from copa.core.progress import positions
from copa.core.record import tally
from copa.spec.seasons import find_season

SCHEDULED = MatchStatus.SCHEDULED


def league_season(played: int) -> Season:
    """A 12-club departmental league (double round robin, 132 fixtures), ``played`` results."""
    clubs = [f"Club {chr(65 + i)}" for i in range(12)]
    fixtures = [m for day in round_robin(clubs, legs=2) for m in day]
    assert len(fixtures) == 132
    matches = tuple(
        Match(m.home, m.away, Score(1, 0)) if i < played else m for i, m in enumerate(fixtures)
    )
    group = Group("League", tuple(clubs), matches)
    rnd = Round("League", groups=(group,), advance=Advance(top=2))
    stage = Stage("Departmental Cusco", "departmental", (rnd,))
    return Season(
        "2024",
        "Liga Departamental",
        tuple(Club(c) for c in clubs),
        (stage,),
        (Promotion(1, "Regional stage"),),
    )


def test_twelve_club_league_after_six_results_names_no_champion_and_no_qualified_club() -> None:
    result = resolve(league_season(6))
    assert result.champion is None and result.runner_up is None and result.promoted == ()
    assert not result.complete
    assert (result.matches_played, result.matches_total) == (6, 132)
    gr = next(result.group_results())
    assert not gr.complete and len(gr.remaining) == 126
    assert all(o.status is Status.OPEN for o in gr.outlook)
    # 20 matches left each: anybody can still finish anywhere
    assert all((o.best, o.worst) == (1, 12) for o in gr.outlook)
    assert result.stages[0].places == () and result.stages[0].places_by == "undecided"
    assert not any("lots" in i.message or "deciding" in i.message for i in result.issues)
    assert any("126 fixture(s) still to play" in i.message for i in result.issues)


def test_the_finished_league_names_its_champion() -> None:
    result = resolve(league_season(132))
    assert result.complete and result.champion is not None
    assert result.promoted == ((result.champion, "Regional stage"),)


def garcilaso_season() -> Season:
    """2011 with Real Garcilaso's last three Region VIII group matches scheduled again."""
    season = find_season("2011")
    again = {
        ("Real Garcilaso", "MINSA"),
        ("Real Garcilaso", "Virgen del Carmen"),
        ("Virgen del Carmen", "Real Garcilaso"),
    }
    stages = []
    for stage in season.stages:
        if stage.name == "Region VIII":
            rnd = stage.rounds[0]
            ga = rnd.groups[0]
            assert ga.name == "Group A"
            matches = tuple(
                Match(m.home, m.away, status=SCHEDULED) if (m.home, m.away) in again else m
                for m in ga.matches
            )
            assert sum(m.status is SCHEDULED for m in matches) == 3
            rnd = replace(rnd, groups=(replace(ga, matches=matches), *rnd.groups[1:]))
            stage = replace(stage, rounds=(rnd, *stage.rounds[1:]))
        stages.append(stage)
    return replace(season, stages=tuple(stages))


def test_2011_with_real_garcilaso_matches_to_play_leaves_region_viii_open() -> None:
    result = resolve(garcilaso_season())
    rr = result.stage("Region VIII").rounds[0]
    ga = rr.groups[0]
    assert not ga.complete and len(ga.remaining) == 3
    # Real Garcilaso 9 pts with 3 to play (max 18); MINSA 16 with 1 (v RG); Virgen del
    # Carmen 13 with 2 (both v RG): any of the three can still win the group
    for club in ("Real Garcilaso", "Virgen del Carmen", "MINSA"):
        assert ga.outlook_of(club).status is Status.OPEN, club
        assert ga.outlook_of(club).best == 1
        assert rr.status_of(club) is Status.OPEN
    # Deportivo Maldonado (7 pts) and Humberto Luna (3 pts) have finished below
    assert ga.outlook_of("Deportivo Maldonado").status is Status.OUT
    assert ga.outlook_of("Humberto Luna").status is Status.OUT
    # Group B is complete: its winner (after the deciding match) is qualified
    assert rr.groups[1].complete
    assert rr.status_of("Franciscano San Román") is Status.QUALIFIED
    assert not any("deciding match" in i.message for i in result.issues)
    assert result.stage("Region VIII").places == ()
    national = result.stage("National Stage")
    assert national.places == () and national.places_by == "undecided"
    assert any(
        "winner of Region VIII, to be decided" in i.message
        for i in national.issues
        if i.where.startswith("National Stage")
    )
    assert result.champion is None and result.promoted == ()
    assert not result.complete


def test_the_bundled_2011_season_is_complete() -> None:
    result = resolve(find_season("2011"))
    assert result.complete
    assert result.matches_played == result.matches_total
    for rr in result.rounds():
        assert rr.complete
        for club in rr.qualifiers:
            assert rr.status_of(club) in (Status.QUALIFIED, Status.OPEN)
        for g in rr.groups:
            for o in g.outlook:
                pos = g.table.position(o.club)
                assert o.best <= pos <= o.worst


# ---------------------------------------------------------------- properties

W_D_L_SCORES = (Score(1, 0), Score(3, 0), Score(0, 0), Score(2, 2), Score(0, 1), Score(0, 3))
NAMES = ("A", "B", "C", "D")


@st.composite
def groups_in_progress(
    draw: st.DrawFn, most_left: int
) -> tuple[list[str], list[Match], list[tuple[str, str]]]:
    n = draw(st.integers(2, 4))
    clubs = list(NAMES[:n])
    fixtures = [(a, b) for a in clubs for b in clubs if a != b]
    played: list[Match] = []
    left: list[tuple[str, str]] = []
    for f in fixtures:
        what = draw(st.integers(0, 2 if len(left) < most_left else 1))
        if what == 2:
            left.append(f)
        elif what == 1:
            played.append(Match(f[0], f[1], draw(st.sampled_from(W_D_L_SCORES))))
    return clubs, played, left


CHAINS = (
    ("points", "goal_difference", "goals_for", "head_to_head", "lots"),
    ("points", "wins", "goal_difference"),
    ("points", "head_to_head", "lots"),
    ("points", "head_to_head_points", "head_to_head_goal_difference", "goals_for"),
    ("points",),
)


@settings(max_examples=60, deadline=None)
@given(groups_in_progress(3), st.sampled_from(CHAINS), st.integers(1, 3))
def test_every_claim_holds_in_every_completion(
    g: tuple[list[str], list[Match], list[tuple[str, str]]], chain: tuple[str, ...], top: int
) -> None:
    clubs, played, left = g
    recs = tally(clubs, played)
    exact = positions(clubs, recs, left, chain=chain, played=played)
    bound = positions(clubs, recs, left, chain=chain, limit=-1)
    for c in clubs:
        assert bound[c][0] <= exact[c][0] <= exact[c][1] <= bound[c][1]
    group = Group(
        "G",
        tuple(clubs),
        tuple(played) + tuple(Match(h, a, status=SCHEDULED) for h, a in left),
        GroupRules(chain=chain),
    )
    gr = resolve_round("S", Round("R", groups=(group,), advance=Advance(top=top))).groups[0]
    for scores in product(W_D_L_SCORES, repeat=len(left)):
        done = played + [Match(h, a, s) for (h, a), s in zip(left, scores, strict=True)]
        t = table("G", clubs, done, chain=chain, boundaries={top})
        for o in gr.outlook:
            pos = t.position(o.club)
            assert o.best <= pos <= o.worst, (o, pos, done)
            assert bound[o.club][0] <= pos <= bound[o.club][1]
            if o.status is Status.QUALIFIED:
                assert pos <= top
            if o.status is Status.OUT:
                assert pos > top


@settings(max_examples=60, deadline=None)
@given(groups_in_progress(6), st.integers(1, 3))
def test_points_only_statuses_equal_brute_force(
    g: tuple[list[str], list[Match], list[tuple[str, str]]], top: int
) -> None:
    clubs, played, left = g
    recs = tally(clubs, played)
    got = positions(clubs, recs, left, chain=("points",))
    best = {c: len(clubs) for c in clubs}
    worst = dict.fromkeys(clubs, 1)
    for outcome in product((3, 1, 0), repeat=len(left)):
        pts = {c: recs[c].points for c in clubs}
        for (h, a), p in zip(left, outcome, strict=True):
            pts[h] += p
            pts[a] += {3: 0, 1: 1, 0: 3}[p]
        for c in clubs:
            best[c] = min(best[c], 1 + sum(1 for d in clubs if pts[d] > pts[c]))
            worst[c] = max(worst[c], sum(1 for d in clubs if pts[d] >= pts[c]))
    for c in clubs:
        assert got[c] == (best[c], worst[c]), (c, got[c], best[c], worst[c])
    group = Group(
        "G",
        tuple(clubs),
        tuple(played) + tuple(Match(h, a, status=SCHEDULED) for h, a in left),
        GroupRules(chain=("points",)),
    )
    gr = resolve_round("S", Round("R", groups=(group,), advance=Advance(top=top))).groups[0]
    for o in gr.outlook:
        want = (
            Status.QUALIFIED
            if worst[o.club] <= top
            else Status.OUT
            if best[o.club] > top
            else Status.OPEN
        )
        assert o.status is want


# ---------------------------------------------------------------- pyramids in progress


def fresh_pyramid(n: int = 1200) -> tuple[Season, object]:
    from copa.cli.pyramid import load_format
    from copa.core.pyramid import new_season
    from copa.core.synthetic import synthetic_clubs

    fmt, _ = load_format("2019")
    return new_season(fmt, synthetic_clubs(n, 3), 3)


def test_fresh_new_season_marks_nobody_qualified_and_asks_for_no_lots() -> None:
    season, _ = fresh_pyramid()
    result = resolve(season)
    groups = list(result.group_results())
    assert groups and all(not g.complete for g in groups)
    assert not any(o.status is Status.QUALIFIED for g in groups for o in g.outlook)
    assert not any(
        rr.status_of(c) is Status.QUALIFIED for rr in result.rounds() for c in rr.round.clubs
    )
    assert not any("lots" in i.message or "deciding" in i.message for i in result.issues)
    assert result.matches_played == 0 and not result.complete
    assert all(sr.places == () for sr in result.stages)


def test_advance_draws_nothing_from_one_matchday_tables_and_names_what_it_waits_for() -> None:
    from copa.core.pyramid import Pyramid, advance, waiting

    season, pyramid = fresh_pyramid()
    assert isinstance(pyramid, Pyramid)
    stages = []
    leagues = 0
    for stage in season.stages:
        rounds = []
        for rnd in stage.rounds:
            groups = []
            for g in rnd.groups:
                day = len(g.clubs) // 2  # the circle method's first matchday
                ms = tuple(
                    Match(m.home, m.away, Score(1, 0)) if i < day else m
                    for i, m in enumerate(g.matches)
                )
                groups.append(replace(g, matches=ms))
                leagues += 1
            rounds.append(replace(rnd, groups=tuple(groups)))
        stages.append(replace(stage, rounds=tuple(rounds)))
    season = replace(season, stages=tuple(stages))
    assert leagues > 50
    after, filled = advance(season, pyramid)
    assert filled == ()
    assert after.stages == season.stages
    lines = waiting(resolve(season))
    league_lines = [line for line in lines if "fixture(s) still to play" in line]
    assert len(league_lines) >= leagues
    assert any("waits for winner of" in line for line in lines)


# ---------------------------------------------------------------- exports


def test_exports_say_the_season_is_in_progress() -> None:
    import csv
    import io

    from copa.sinks.export_csv import standings_csv
    from copa.sinks.export_json import to_json
    from copa.sinks.wiki_export import season_wikitext

    result = resolve(garcilaso_season())
    data = to_json(result)
    assert data["complete"] is False
    assert data["matches_total"] - data["matches_played"] == 3
    assert data["champion"] is None and data["runner_up"] is None and data["promoted"] == []
    groups = {(g["stage"], g["name"]): g for g in data["groups"]}
    ga = groups[("Region VIII", "Group A")]
    assert ga["complete"] is False
    assert {(f["home"], f["away"]) for f in ga["remaining"]} == {
        ("Real Garcilaso", "MINSA"),
        ("Real Garcilaso", "Virgen del Carmen"),
        ("Virgen del Carmen", "Real Garcilaso"),
    }
    assert all(set(f) == {"home", "away", "matchday", "date"} for f in ga["remaining"])
    rows = {r["team"]: r for r in ga["standings"]}
    assert rows["Real Garcilaso"]["status"] == "open"
    assert rows["Real Garcilaso"]["best_position"] == 1
    assert rows["Humberto Luna"]["status"] == "out"
    assert ga["qualified"] == []
    assert groups[("Region VIII", "Group B")]["complete"] is True
    assert all(t["complete"] for t in data["ties"])
    national = next(s for s in data["stages"] if s["name"] == "National Stage")
    assert national["places"] == [] and national["places_by"] == "undecided"

    rows_csv = list(csv.DictReader(io.StringIO(standings_csv(result))))
    a = [r for r in rows_csv if r["stage"] == "Region VIII" and r["group"] == "Group A"]
    assert a and all(r["provisional"] == "provisional" for r in a)
    b = [r for r in rows_csv if r["stage"] == "Region VIII" and r["group"] == "Group B"]
    assert b and all(r["provisional"] == "" for r in b)

    wiki = season_wikitext(result)
    assert wiki.count("|update=complete|") == len(data["groups"]) - 1
    assert "|update=|source=" in wiki


def test_the_2011_export_is_complete() -> None:
    from copa.sinks.export_json import to_json

    data = to_json(resolve(find_season("2011")))
    assert data["complete"] is True and data["matches_played"] == data["matches_total"]
    assert all(g["complete"] and g["remaining"] == [] for g in data["groups"])


# ---------------------------------------------------------------- the command line


def test_show_check_and_table_say_the_season_is_in_progress(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from copa.cli import app
    from copa.spec.season_writer import write_season

    path = tmp_path / "2011-in-progress.yaml"
    path.write_text(write_season(garcilaso_season()), encoding="utf-8")
    runner = CliRunner()
    show = runner.invoke(app, ["show", str(path)])
    total = resolve(find_season("2011")).matches_total
    assert f"in progress: {total - 3:,} of {total:,} matches played" in show.output
    assert "Champion:" not in show.output
    assert "3 to play" in show.output
    check = runner.invoke(app, ["check", str(path)])
    assert "Region VIII: 3 matches still to play" in check.output
    assert "winner of Region VIII, to be decided" in check.output
    assert "deciding match" not in check.output
    table = runner.invoke(app, ["table", str(path), "Region VIII Group A"])
    assert table.exit_code == 0, table.output
    assert "provisional, 3 fixtures to play" in table.output
    # at 80 columns: one space between columns, the notes (none here) below the table
    rows = {line.split()[1]: line.split() for line in table.output.splitlines()[5:10]}
    assert rows["MINSA"][-3:] == ["1–2", "in", "contention"]
    assert rows["Humberto"][-2:] == ["5", "out"]
    from copa.i18n import activate

    try:  # the same words in Spanish, from the catalogue the web app uses too
        es = runner.invoke(app, ["--lang", "es", "table", str(path), "Region VIII Group A"])
    finally:
        activate("en")
    assert es.exit_code == 0, es.output
    assert "terminar" in es.output and "Situación" in es.output
    assert "en disputa" in es.output and "eliminado" in es.output


def test_a_settled_head_to_head_separates_two_clubs_level_on_points() -> None:
    # A beat B home and away and has finished with 6 points; B has 3 and C 6, and
    # C v B is left. B wins: all three on 6 (a three-club head-to-head, not settled);
    # a draw: C 7, A 6, B 4; C wins: C 9, A 6, B 3.
    played = [
        Match("A", "B", Score(2, 0)),
        Match("B", "A", Score(0, 1)),
        Match("C", "A", Score(1, 0)),
        Match("A", "C", Score(0, 2)),
        Match("B", "C", Score(1, 0)),
    ]
    left = [("C", "B")]
    recs = tally("ABC", played)
    chain = ("points", "head_to_head", "lots")
    plain = positions("ABC", recs, left, chain=chain)
    settled = positions("ABC", recs, left, chain=chain, played=played)
    assert plain["A"] == settled["A"] == (1, 3)
    for c in "ABC":
        assert settled[c][0] >= plain[c][0] and settled[c][1] <= plain[c][1]


def test_head_to_head_settled_pair_is_exact() -> None:
    # A (done) beat B twice; B has one match left against C, who cannot reach them.
    played = [
        Match("A", "B", Score(2, 0)),
        Match("B", "A", Score(0, 1)),
        Match("A", "C", Score(0, 0)),
        Match("C", "A", Score(0, 0)),
        Match("B", "C", Score(5, 0)),
    ]
    left = [("C", "B")]
    recs = tally("ABC", played)  # A 8, B 3, C 2
    chain = ("points", "head_to_head", "lots")
    # B can reach 6 at most: below A whatever happens
    assert positions("ABC", recs, left, chain=chain, played=played)["A"] == (1, 1)
    # now give B 2 points more (an adjustment): B can reach A's 8, level on points,
    # and A's settled head-to-head wins over B's
    recs["B"] = replace(recs["B"], points=recs["B"].points + 2)
    assert positions("ABC", recs, left, chain=chain)["A"] == (1, 2)
    assert positions("ABC", recs, left, chain=chain, played=played)["A"] == (1, 1)


def test_a_complete_group_waiting_for_its_deciding_match_leaves_both_clubs_open() -> None:
    season = find_season("2011")
    stages = []
    for stage in season.stages:
        if stage.name == "Region VIII":
            rnd = stage.rounds[0]
            gb = replace(rnd.groups[1], deciders=())
            stage = replace(stage, rounds=(replace(rnd, groups=(rnd.groups[0], gb)),))
        stages.append(stage)
    result = resolve(replace(season, stages=tuple(stages)))
    rr = result.stage("Region VIII").rounds[0]
    gb = rr.groups[1]
    # Franciscano San Román and José María Arguedas finished level on 10 points
    for club in ("Franciscano San Román", "José María Arguedas"):
        assert gb.outlook_of(club).status is Status.OPEN
        assert (gb.outlook_of(club).best, gb.outlook_of(club).worst) == (1, 2)
    assert rr.status_of("Real Garcilaso") is Status.QUALIFIED
    assert any("deciding match" in i.message for i in result.issues)
