"""``goal_average``: goals scored divided by goals conceded, worked by hand."""

from __future__ import annotations

from copa.core.match import Match, Score
from copa.core.standings import table


def m(home: str, away: str, h: int, a: int) -> Match:
    return Match(home, away, Score(h, a))


# A and C each win one and draw one against D and E (A also loses to F): level on
# points (4) and goal difference (+3). By hand: A scored 6 and conceded 3, an average
# of 2; C scored 5 and conceded 2, an average of 5/2.
MATCHES = [
    m("A", "D", 4, 0), m("A", "E", 1, 1), m("A", "F", 1, 2),
    m("C", "D", 3, 0), m("C", "E", 2, 2),
]  # fmt: skip
CLUBS = ["A", "C", "D", "E", "F"]


def test_goal_average_orders_clubs_level_on_goal_difference() -> None:
    t = table("G", CLUBS, MATCHES, chain=("points", "goal_average"))
    rows = {
        s.club: (s.points, s.goal_difference, s.goals_for, s.goals_against) for s in t.standings
    }
    assert rows["A"] == (4, 3, 6, 3) and rows["C"] == (4, 3, 5, 2)
    assert [s.club for s in t.standings if s.club in ("A", "C")] == ["C", "A"]
    # goal difference cannot separate them; goals scored puts A first instead
    t2 = table("G", CLUBS, MATCHES, chain=("points", "goal_difference", "goals_for"))
    assert [s.club for s in t2.standings if s.club in ("A", "C")] == ["A", "C"]
    assert any("goal average" in str(x) for x in t.separations)


def test_a_club_that_conceded_none_ranks_above_every_club_that_conceded() -> None:
    # X 1-0 Y, Z 5-1 Y, and X and Z do not meet: X average infinite, Z 5
    ms = [m("X", "Y", 1, 0), m("Z", "Y", 5, 1)]
    t = table("G", ["Y", "Z", "X"], ms, chain=("points", "goal_average"))
    assert [s.club for s in t.standings] == ["X", "Z", "Y"]
    # two clubs without a goal conceded: the one that scored more is above
    ms = [m("X", "Y", 1, 0), m("Z", "W", 3, 0)]
    t = table("G", ["X", "Y", "Z", "W"], ms, chain=("points", "goal_average"))
    assert [s.club for s in t.standings][:2] == ["Z", "X"]


def test_the_registry_lists_it_for_docs_and_errors() -> None:
    from copa.core.criteria import CRITERIA

    assert CRITERIA["goal_average"].label == "goal average"
    assert CRITERIA["goal_average"].uses_goals and not CRITERIA["goal_average"].contextual


def test_a_season_file_may_name_it() -> None:
    from copa.spec.season_file import parse_season
    from tests.test_season_file_errors import GOOD

    text = GOOD.replace("ranking: [points, goal_difference,", "ranking: [points, goal_average,")
    assert "goal_average" in text
    (group,) = parse_season(text, "s.yaml").stages[0].rounds[0].groups
    assert "goal_average" in group.rules.chain
