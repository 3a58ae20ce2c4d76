"""The engine checks a season's data itself; readers only point at the line."""

from __future__ import annotations

import pytest

from copa.core.check import check
from copa.core.club import Club
from copa.core.group import Group
from copa.core.match import Match, Score
from copa.core.resolve import SINGLE_MATCH
from copa.core.season import Season
from copa.core.stage import Round, Stage
from copa.core.tie import Tie, TieRules
from copa.spec.season_file import SeasonFileError, parse_season


def _season(tie: Tie, decider: Match | None = None) -> Season:
    group = Group(
        "G",
        ("A", "B"),
        (Match("A", "B", Score(1, 1)), Match("B", "A", Score(0, 0))),
        deciders=(decider,) if decider else (),
    )
    stages = (
        Stage("S1", "regional", (Round("R1", groups=(group,)),)),
        Stage("S2", "national", (Round("Final", ties=(tie,)),)),
    )
    return Season("T", "Test", tuple(Club(c) for c in "ABCD"), stages)


def test_the_engine_finds_penalties_on_a_decided_tie_and_says_where() -> None:
    # worked by hand: 2-0 and 0-0 is 2-0 on aggregate: the tie is decided, a
    # shoot-out cannot have been needed
    tie = Tie(
        ("C", "D"),
        (Match("C", "D", Score(2, 0)), Match("D", "C", Score(0, 0), penalties=Score(4, 3))),
        TieRules(("aggregate", "penalties")),
    )
    (found,) = check(_season(tie))
    assert (found.stage, found.round, found.tie, found.group) == (1, 0, 0, None)
    assert "penalties" in found.issue.message


def test_a_clean_season_has_no_finding() -> None:
    tie = Tie(("C", "D"), (Match("C", "D", Score(1, 0)),), SINGLE_MATCH)
    assert check(_season(tie, Match("A", "B", Score(2, 1)))) == ()


def test_a_deciding_match_error_is_found_in_its_group() -> None:
    tie = Tie(("C", "D"), (Match("C", "D", Score(1, 0)),), SINGLE_MATCH)
    bad = Match("A", "B", Score(2, 1), penalties=Score(5, 4))  # 2-1 was not level
    (found,) = check(_season(tie, bad))
    assert (found.stage, found.round, found.group, found.decider) == (0, 0, 0, 0)


TEXT = """\
copa: 1
competition: Test
season: 2026
clubs: [{name: A}, {name: B}]
stages:
  - name: S
    kind: regional
    rounds:
      - name: R
        advance: {top: 1}
        legs: 1
        groups:
          - name: G
            clubs: [A, B]
            matches: [A 1-1 B]
            deciders:
              - A 0-0 B
              - {home: A, away: B, score: "2-1 (5-4 p)"}
"""


def test_the_reader_points_at_the_deciders_line() -> None:
    with pytest.raises(SeasonFileError) as e:
        parse_season(TEXT, "t.yaml")
    assert e.value.line == 18  # the second deciding match, not the first
    assert "deciders" in e.value.field and "penalties" in e.value.message
