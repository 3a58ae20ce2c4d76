"""Fixture details in season files: matchday, date, kick-off, venue, simulated (issue 7 §3)."""

from __future__ import annotations

import pytest

from copa.core.match import Match, MatchStatus, Score
from copa.spec.season_file import SeasonFileError, parse_season
from copa.spec.season_writer import write_season

SEASON = """
competition: Liga
season: 2026
clubs: [{name: Los Tigres}, {name: Tecnológico}, {name: Atlético Pucallpa}]
stages:
  - name: Final
    kind: national
    entrants: [Los Tigres, Tecnológico, Atlético Pucallpa]
    rounds:
      - name: League
        legs: 1
        groups:
          - name: Table
            clubs: [Los Tigres, Tecnológico, Atlético Pucallpa]
            matches: |
              Los Tigres v Tecnológico | fecha 1 | 2026-03-14 | 15:30 | at Estadio Municipal
              Atlético Pucallpa 0-0 Los Tigres | matchday 2 | 2026-03-21 16:00
              Tecnológico 1-2 Atlético Pucallpa | matchday 3 | simulated
"""


def test_details_are_read_and_written_back() -> None:
    s = parse_season(SEASON, "s.yaml")
    ms = s.stages[0].rounds[0].groups[0].matches
    assert ms[0] == Match(
        "Los Tigres",
        "Tecnológico",
        status=MatchStatus.SCHEDULED,
        matchday=1,
        date="2026-03-14",
        kickoff="15:30",
        venue="Estadio Municipal",
    )
    assert (ms[1].score, ms[1].matchday, ms[1].date, ms[1].kickoff) == (
        Score(0, 0),
        2,
        "2026-03-21",
        "16:00",
    )
    assert ms[2].simulated and ms[2].matchday == 3 and ms[2].score == Score(1, 2)
    text = write_season(s)
    assert "Tecnológico 1-2 Atlético Pucallpa | matchday 3 | simulated" in text
    assert parse_season(text, "again.yaml") == s


@pytest.mark.parametrize(
    ("detail", "needle"),
    [
        ("fecha 0", "a matchday is a number from 1"),
        ("2026-13-01", "not a date in the calendar"),
        ("25:00", "not a kick-off time"),
        ("tomorrow", "unknown fixture detail"),
        ("fecha 1 | matchday 2", "the matchday is given twice"),
        ("", "an empty detail"),
    ],
)
def test_bad_details_name_the_line(detail: str, needle: str) -> None:
    text = SEASON.replace("| fecha 1 | 2026-03-14 | 15:30 | at Estadio Municipal", f"| {detail}")
    with pytest.raises(SeasonFileError, match=needle) as e:
        parse_season(text, "s.yaml")
    assert e.value.line == 16


def test_a_mapping_match_takes_details_as_keys() -> None:
    text = SEASON.replace(
        "            matches: |\n              Los Tigres v Tecnológico | fecha 1 | 2026-03-14 | 15:30"
        " | at Estadio Municipal\n              Atlético Pucallpa 0-0 Los Tigres | matchday 2 |"
        " 2026-03-21 16:00\n              Tecnológico 1-2 Atlético Pucallpa | matchday 3 | simulated",
        "            matches:\n"
        "              - {home: Los Tigres, away: Tecnológico, neutral: true, matchday: 1,"
        ' date: "2026-03-14", kickoff: "15:30", venue: "Estadio | Nuevo"}\n'
        "              - Atlético Pucallpa 0-0 Los Tigres\n"
        "              - Tecnológico 1-2 Atlético Pucallpa",
    )
    s = parse_season(text, "s.yaml")
    m = s.stages[0].rounds[0].groups[0].matches[0]
    assert (m.neutral, m.matchday, m.venue) == (True, 1, "Estadio | Nuevo")
    assert parse_season(write_season(s), "again.yaml") == s
