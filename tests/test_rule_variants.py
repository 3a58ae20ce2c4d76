"""Rule variants used by real federations (issue 9 §3, §4): expected values worked by hand."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copa.core.group import Group, GroupRules
from copa.core.match import Match, Score
from copa.core.standings import table

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# A 1-0 B, B 1-0 C, C 1-0 A: all three on 3 points, goal difference 0, one goal each
CYCLE = (
    Match("A", "B", Score(1, 0)),
    Match("B", "C", Score(1, 0)),
    Match("C", "A", Score(1, 0)),
)
LEVEL = ("points", "goal_difference", "goals_for")


def order(
    chain: Sequence[str], **data: object
) -> tuple[list[str], list[str | None], tuple[str, ...]]:
    g = Group("G", ("A", "B", "C"), CYCLE, GroupRules(chain=tuple(chain)), 1, **data)  # type: ignore[arg-type]
    t = g.table()
    return [s.club for s in t.standings], [s.criterion for s in t.separations], t.pending


def test_fair_play_fewer_card_points_rank_first() -> None:
    # level on everything before; fair-play points A 5, B 2, C 9 -> B, A, C
    clubs, why, pending = order((*LEVEL, "fair_play"), fair_play=(("A", 5), ("B", 2), ("C", 9)))
    assert (clubs, why, pending) == (["B", "A", "C"], ["fair_play", "fair_play"], ())
    # a club without recorded fair-play points: the rules need them
    _, _, pending = order((*LEVEL, "fair_play"), fair_play=(("A", 5), ("B", 2)))
    assert pending == ("the fair-play points of C not recorded",)


def test_an_external_ranking_given_as_data() -> None:
    # federation coefficients A 10.5, B 87.0, C 30.0 -> B, C, A
    coeffs = (("A", 10.5), ("B", 87.0), ("C", 30.0))
    assert order((*LEVEL, "coefficient"), coefficients=coeffs)[:2] == (
        ["B", "C", "A"],
        ["coefficient", "coefficient"],
    )
    # a seeding list C, A, B -> C, A, B
    assert order((*LEVEL, "seeding"), seeding=("C", "A", "B"))[0] == ["C", "A", "B"]


def test_head_to_head_of_all_clubs_level_on_points_versus_the_clubs_still_level() -> None:
    # B 1-0 C, A 3-0 B, C 2-0 A; everyone beats D: A 5-0, B 4-0, C 1-0.
    # Overall: A, B, C on 6 points; goal difference A +6, B +2, C +2 (D 0 points).
    # Mini-league of all three level on points: A (3 pts, +1, 3 goals), C (3, +1, 2),
    # B (3, -2, 1). Mini-league of the two still level after goal difference, B and C:
    # B beat C.
    ms = [
        Match("B", "C", Score(1, 0)),
        Match("A", "B", Score(3, 0)),
        Match("C", "A", Score(2, 0)),
        Match("A", "D", Score(5, 0)),
        Match("B", "D", Score(4, 0)),
        Match("C", "D", Score(1, 0)),
    ]
    clubs = ["A", "B", "C", "D"]
    still_level = table("G", clubs, ms, chain=("points", "goal_difference", "head_to_head"))
    assert [s.club for s in still_level.standings] == ["A", "B", "C", "D"]
    assert still_level.separations[1].criterion == "head_to_head"
    all_level = table(
        "G", clubs, ms, chain=("points", "goal_difference", "head_to_head_level_on_points")
    )
    assert [s.club for s in all_level.standings] == ["A", "C", "B", "D"]
    assert str(all_level.separations[1]) == (
        "C above B on head-to-head among all clubs level on points"
    )


def test_a_partial_round_robin_lists_its_pairings() -> None:
    from copa.spec.season_file import SeasonFileError, parse_season

    text = """\
copa: 1
competition: Test
season: 2024
clubs: [{name: A}, {name: B}, {name: C}, {name: D}]
stages:
  - name: S
    kind: national
    rounds:
      - name: Phase 1
        legs: 1
        advance: {top: 1}
        groups:
          - name: Table
            clubs: [A, B, C, D]
            pairings: [[A, B], [C, D], [A, C]]
            matches: [A 1-0 B, C 2-2 D, C 0-3 A]
"""
    season = parse_season(text, "p.yaml")
    g = season.stages[0].rounds[0].groups[0]
    assert g.pairings == (("A", "B"), ("C", "D"), ("A", "C")) and g.missing_fixtures() == []
    # A 6 pts; C 1 (GD -3), D 1 (GD 0); B 0
    assert [s.club for s in g.table().standings] == ["A", "D", "C", "B"]
    with pytest.raises(SeasonFileError, match=r"p.yaml:16: .*B v D is not one of the group's"):
        parse_season(text.replace("C 0-3 A]", "C 0-3 A, B 1-1 D]"), "p.yaml")
    with pytest.raises(SeasonFileError, match="missing fixture A v C"):
        parse_season(text.replace(", C 0-3 A]", "]"), "p.yaml")
    from copa.spec.season_writer import write_season

    assert parse_season(write_season(season)) == season


# --- property: the order respects the chain with criteria given as data ---------------------

DATA = ("fair_play", "coefficient", "seeding")


@FAST
@given(
    st.lists(
        st.sampled_from(["points", "goal_difference", "goals_for", *DATA]), unique=True, min_size=1
    ),
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
    st.permutations(["A", "B", "C", "D"]),
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=6, max_size=6),
)
def test_order_respects_a_chain_with_data_criteria(
    chain: list[str],
    cards: list[int],
    coefficients: list[int],
    seeding: list[str],
    goals: list[tuple[int, int]],
) -> None:
    clubs = ["A", "B", "C", "D"]
    pairs = [(a, b) for i, a in enumerate(clubs) for b in clubs[i + 1 :]]
    ms = [Match(a, b, Score(x, y)) for (a, b), (x, y) in zip(pairs, goals, strict=True)]
    pts = dict.fromkeys(clubs, 0)
    gf = dict.fromkeys(clubs, 0)
    ga = dict.fromkeys(clubs, 0)
    for m in ms:
        x, y = m.score.home, m.score.away  # type: ignore[union-attr]
        gf[m.home] += x
        ga[m.home] += y
        gf[m.away] += y
        ga[m.away] += x
        pts[m.home] += 3 if x > y else 1 if x == y else 0
        pts[m.away] += 3 if y > x else 1 if x == y else 0
    ref = {
        "points": pts,
        "goal_difference": {c: gf[c] - ga[c] for c in clubs},
        "goals_for": gf,
        "fair_play": {c: -cards[i] for i, c in enumerate(clubs)},
        "coefficient": {c: coefficients[i] for i, c in enumerate(clubs)},
        "seeding": {c: -seeding.index(c) for c in clubs},
    }
    g = Group(
        "G",
        tuple(clubs),
        tuple(ms),
        GroupRules(chain=tuple(chain)),
        1,
        fair_play=tuple(zip(clubs, cards, strict=True)),
        coefficients=tuple((c, float(v)) for c, v in zip(clubs, coefficients, strict=True)),
        seeding=tuple(seeding),
    )
    t = g.table()

    def key(c: str) -> tuple[float, ...]:
        return tuple(ref[n][c] for n in chain)

    expected = sorted(clubs, key=lambda c: (tuple(-v for v in key(c)), c))
    assert [s.club for s in t.standings] == expected
    for sep in t.separations:
        ku, kl = key(sep.upper), key(sep.lower)
        first = next((chain[i] for i in range(len(chain)) if ku[i] != kl[i]), None)
        assert sep.criterion == first


# --- structures: later entrants, repechage, third place, replays with a host, neutral finals -

STRUCTURES = """\
copa: 1
competition: Test Cup
season: 2024
rules:
  one_match: {tie: [score, extra_time, penalties]}
  points_then_replay: {tie: [points, deciding_match]}
clubs: [{name: A}, {name: B}, {name: C}, {name: D}, {name: E}, {name: F}, {name: G}]
stages:
  - name: Cup
    kind: national
    rounds:
      - name: Round 1
        rules: one_match
        legs: 1
        advance: {winners: true}
        ties:
          - {teams: [A, B], legs: [2-0]}
          - {teams: [C, D], legs: [1-0]}
      - name: Repechage
        rules: one_match
        legs: 1
        losers_from: [Round 1]
        advance: {winners: true}
        ties:
          - {teams: [B, D], legs: [3-1]}
      - name: Semifinals
        rules: one_match
        legs: 1
        entrants: [E]
        advance: {winners: true}
        ties:
          - {teams: [A, E], legs: [1-0]}
          - {teams: [C, B], legs: ["1-1 aet 1-1 (2-4 p)"]}
      - name: Third place
        rules: one_match
        legs: 1
        losers_from: [Semifinals]
        third_place: true
        ties:
          - {teams: [E, C], legs: [0-0 aet 1-2]}
      - name: Final
        rules: one_match
        legs: 1
        advance: {winners: true}
        ties:
          - {teams: [A, B], legs: [0-1], neutral: true}
  - name: Playoff
    kind: national
    entrants: [F, G]
    rounds:
      - name: Promotion playoff
        rules: points_then_replay
        legs: 2
        ties:
          - {teams: [F, G], legs: [1-0, 0-1], decider: 0-2, decider_host: G}
"""


def test_entrants_at_a_later_round_repechage_third_place_and_a_neutral_final() -> None:
    from copa.core.resolve import resolve
    from copa.spec.season_file import parse_season
    from copa.spec.season_writer import write_season

    season = parse_season(STRUCTURES, "cup.yaml")
    result = resolve(season)
    assert result.issues == ()
    cup = result.stage("Cup")
    # Round 1: A and C win; the repechage of the beaten B and D: B 3-1; the semifinals are
    # A, C (winners), B (repechage) and E (entering at the semifinals): A beat E 1-0, B beat
    # C on penalties 4-2 after 1-1 a.e.t.; third place C beat E 2-1 a.e.t.; the final at a
    # neutral ground B beat A 1-0: places B, A, C, E
    assert cup.rounds[2].qualifiers == ("A", "B")
    assert cup.places == ("B", "A", "C", "E")
    final = cup.rounds[4].ties[0].tie.legs[0]
    assert final.neutral
    # the replay at G's ground: each side won a leg (3 points each), G won the replay 2-0
    playoff = result.stage("Playoff").rounds[0].ties[0]
    decider = playoff.tie.decider
    assert decider is not None and (decider.home, decider.away, decider.neutral) == (
        "G",
        "F",
        False,
    )
    assert decider.score == Score(2, 0)
    assert (playoff.winner, playoff.decided_by) == ("G", "deciding_match")
    assert parse_season(write_season(season)) == season


def test_a_round_must_have_the_clubs_its_structure_says() -> None:
    from copa.core.resolve import resolve
    from copa.spec.season_file import SeasonFileError, parse_season

    # E does not enter at the semifinals: it plays without having qualified
    wrong = parse_season(STRUCTURES.replace("        entrants: [E]\n", ""), "cup.yaml")
    assert any("playing but not qualified: E" in i.message for i in resolve(wrong).issues)
    with pytest.raises(SeasonFileError, match="'Round 9' is not an earlier round of Cup"):
        parse_season(STRUCTURES.replace("losers_from: [Round 1]", "losers_from: [Round 9]"), "c")
    with pytest.raises(SeasonFileError, match="decider_host: X is not in the tie"):
        parse_season(
            STRUCTURES.replace("decider_host: G", "decider_host: X").replace(
                "{name: G}]", "{name: G}, {name: X}]"
            ),
            "c",
        )
