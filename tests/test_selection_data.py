"""Fair play, coefficients and seeding lists in selections across groups and ties (issue 9 §3).

The best-placed and best-loser rankings compare clubs of different groups or ties,
so the figures they read are recorded for the round (``fair_play``, ``coefficients``,
``seeding`` on the round); a club's fair-play points and coefficient may also come
from its group. Every expected value below is worked by hand in the comments.
"""

from __future__ import annotations

from copa.core.resolve import resolve
from copa.spec.season_file import parse_season
from copa.spec.season_writer import write_season

HEAD = """\
copa: 1
competition: Test Cup
season: 2024
rules:
  groups:
    ranking: [points, goal_difference, goals_for]
  ko:
    tie: [score, extra_time, penalties]
clubs:
"""
CLUBS = ["A1", "A2", "A3", "B1", "B2", "B3", "K1", "K2", "K3", "K4", "K5", "K6"]


def _season(round_text: str) -> object:
    text = HEAD + "".join(f"  - {{name: {c}, department: Lima}}\n" for c in CLUBS)
    text += "stages:\n  - name: Region\n    kind: regional\n    rounds:\n" + round_text
    season = parse_season(text, "s.yaml")
    assert parse_season(write_season(season), "again.yaml") == season  # the writer keeps it
    return season


# Two groups of three, single round robin. Group A: A1 2-0 A2, A1 2-0 A3, A2 1-0 A3;
# group B the same. The runners-up A2 and B2 have 3 points, goals 1-2 (difference -1,
# 1 scored): level on every criterion computed from matches.
def _groups(best_ranking: str, extra: str = "", group_a: str = "", group_b: str = "") -> str:
    return f"""\
      - name: Group stage
        rules: groups
        legs: 1
        advance: {{top: 1, best: [{{place: 2, count: 1, ranking: {best_ranking}}}]}}
{extra}        groups:
          - name: Group A
            clubs: [A1, A2, A3]
            matches: [A1 2-0 A2, A1 2-0 A3, A2 1-0 A3]
{group_a}          - name: Group B
            clubs: [B1, B2, B3]
            matches: [B1 2-0 B2, B1 2-0 B3, B2 1-0 B3]
{group_b}"""


def _best(season: object) -> tuple[tuple[str, ...], tuple[str | None, ...], tuple[str, ...]]:
    rnd = resolve(season).stages[0].rounds[0]  # type: ignore[arg-type]
    (sel,) = rnd.selections
    return sel.chosen, sel.ranking.between, sel.ranking.pending


def test_best_runner_up_by_the_rounds_fair_play() -> None:
    # fewer points from cards is better: A2 3 against B2 4, so A2 is the best runner-up
    season = _season(
        _groups(
            "[points, goal_difference, goals_for, fair_play]",
            "        fair_play: {A2: 3, B2: 4}\n",
        )
    )
    assert _best(season) == (("A2",), ("fair_play",), ())


def test_best_runner_up_by_the_rounds_seeding_list_after_level_fair_play() -> None:
    # fair play level (4 each); the seeding list puts B2 before A2: B2 goes on
    season = _season(
        _groups(
            "[points, goal_difference, goals_for, fair_play, seeding]",
            "        fair_play: {A2: 4, B2: 4}\n        seeding: [B1, B2, A1, A2]\n",
        )
    )
    assert _best(season) == (("B2",), ("seeding",), ())


def test_best_runner_up_by_the_groups_own_fair_play_and_coefficients() -> None:
    # each group records its clubs' card points: A2 6, B2 2, so B2 goes on
    season = _season(
        _groups(
            "[points, goal_difference, goals_for, fair_play]",
            group_a="            fair_play: {A1: 0, A2: 6, A3: 1}\n",
            group_b="            fair_play: {B1: 1, B2: 2, B3: 0}\n",
        )
    )
    assert _best(season) == (("B2",), ("fair_play",), ())
    # a coefficient: the higher one is better, A2 12.5 against B2 3.0
    season = _season(
        _groups(
            "[points, coefficient]",
            group_a="            coefficients: {A2: 12.5}\n",
            group_b="            coefficients: {B2: 3.0}\n",
        )
    )
    assert _best(season) == (("A2",), ("coefficient",), ())


def test_a_figure_not_recorded_leaves_the_selection_pending_and_says_whose() -> None:
    season = _season(_groups("[points, goal_difference, goals_for, seeding]"))
    _, _, pending = _best(season)
    assert any("seeding list of A2 and B2 not recorded" in p for p in pending), pending
    rnd = resolve(season).stages[0].rounds[0]  # type: ignore[arg-type]
    assert any("seeding list of A2 and B2" in i.message for i in rnd.issues)
    # level on everything known: neither is called qualified
    assert (rnd.status_of("A2"), rnd.status_of("B2")) == ("open", "open")


# Three one-match ties: K1 1-0 K2, K3 1-0 K4, K5 2-0 K6. The losers' records over their
# own tie: K2 and K4 0 points, goals 0-1; K6 0 points, goals 0-2. K6 is last on goal
# difference; K2 and K4 are level on points, goal difference and goals scored.
KO = """\
      - name: First round
        rules: ko
        legs: 1
        advance: {{winners: true, best_losers: 1, best_losers_ranking: {ranking}}}
{extra}        ties:
          - {{teams: [K1, K2], legs: [1-0]}}
          - {{teams: [K3, K4], legs: [1-0]}}
          - {{teams: [K5, K6], legs: [2-0]}}
"""


def test_best_loser_by_fair_play_recorded_for_the_round() -> None:
    # K2 5 card points, K4 3: K4 is the best loser; K6 is below both on goal difference
    season = _season(
        KO.format(
            ranking="[points, goal_difference, goals_for, fair_play]",
            extra="        fair_play: {K2: 5, K4: 3, K6: 0}\n",
        )
    )
    rnd = resolve(season).stages[0].rounds[0]  # type: ignore[arg-type]
    (sel,) = rnd.selections
    assert sel.ranking.order == ("K4", "K2", "K6")
    assert sel.ranking.between == ("fair_play", "goal_difference")
    assert sel.chosen == ("K4",)
    assert set(rnd.qualifiers) == {"K1", "K3", "K5", "K4"}


def test_best_loser_by_a_seeding_list() -> None:
    # the seeding list puts K2 above K4 (K1, K2, K3, K4, ...): K2 is the best loser
    season = _season(
        KO.format(
            ranking="[points, goal_difference, goals_for, seeding]",
            extra="        seeding: [K1, K2, K3, K4, K5, K6]\n",
        )
    )
    rnd = resolve(season).stages[0].rounds[0]  # type: ignore[arg-type]
    (sel,) = rnd.selections
    assert (sel.chosen, sel.ranking.between[0]) == (("K2",), "seeding")


def test_an_unknown_club_in_the_rounds_figures_is_named() -> None:
    import pytest

    from copa.spec.season_file import SeasonFileError

    with pytest.raises(SeasonFileError, match=r"fair_play.*Nobody|Nobody"):
        _season(
            KO.format(
                ranking="[points, fair_play]",
                extra="        fair_play: {Nobody: 5}\n",
            )
        )
