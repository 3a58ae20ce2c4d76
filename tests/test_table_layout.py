"""A group table fits the terminal: notes beside the rows when they fit, else below."""

from __future__ import annotations

import io

from rich.console import Console

from copa.cli.render import group_table
from copa.core.resolve import resolve
from copa.spec.seasons import find_season


def region_ii_group_c(width: int) -> list[str]:
    result = resolve(find_season("2011"))
    rr = next(r for r in result.rounds() if r.stage == "Region II")
    g = next(x for x in rr.groups if x.group.name == "Group C")
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(group_table(rr, g, console))
    return console.export_text().splitlines()


HUALLAGA_NOTE = "qualified; Huallaga above UTC on goal difference"


def test_notes_sit_beside_the_rows_on_a_wide_terminal() -> None:
    lines = region_ii_group_c(160)
    row = next(line for line in lines if line.split()[1:2] == ["Huallaga"])
    # position, club, P W D L GF GA GD Pts, then the note on the same line
    assert row.split()[:11] == [
        "1",
        "Huallaga",
        "4",
        "3",
        "0",
        "1",
        "11",
        "1",
        "+10",
        "9",
        "qualified;",
    ]
    assert row.rstrip().endswith(HUALLAGA_NOTE)
    assert all(len(line) <= 160 for line in lines)


def test_notes_follow_the_table_when_they_do_not_fit_beside_it() -> None:
    lines = region_ii_group_c(80)
    row = next(line for line in lines if line.split()[1:2] == ["Huallaga"])
    assert row.split()[-1] == "9"  # the row ends with the points: no notes column
    assert f"Huallaga: {HUALLAGA_NOTE}" in lines
    assert "UTC: qualified as one of the best 2nd-placed" in lines
    assert all(len(line) <= 80 for line in lines)
