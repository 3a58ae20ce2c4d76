"""More of the 2011 article read with plain regular expressions (see ``tests/seed.py``).

``tests/seed.py`` reads the grids, tie rows and qualifiers; this adds what the
import, audit and export tests need besides: table codes, published rows with
their lines, raw grid cells, qualification marks, and every match of the
regional and national stages. Nothing here uses copa, so a bug in copa's
parser or importer cannot agree with itself through it.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from tests.seed import SEED, _section_at, grid_table, one_legs, text, two_legs

__all__ = [
    "SEED",
    "all_matches",
    "grid_matches",
    "grid_table",
    "line_of",
    "one_legs",
    "score",
    "tables",
    "text",
    "two_legs",
]

SCORE = re.compile(r"^(\d+)\s*[-–—]\s*(\d+)")


def line_of(needle: str, src: str | None = None) -> int:
    """The line where ``needle`` first appears."""
    body = src if src is not None else text()
    return body.count("\n", 0, body.index(needle)) + 1


def score(cell: str) -> tuple[int, int]:
    m = SCORE.match(cell.strip())
    assert m is not None, cell
    return int(m.group(1)), int(m.group(2))


@cache
def tables() -> dict[tuple[str, ...], dict[str, Any]]:
    """Every sports table: codes in order, names, published rows (with lines), raw cells, marks."""
    src = text()
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for m in re.finditer(r"\{\{#invoke:sports table\|main(.*?)\n\}\}", src, re.S):
        body, start = m.group(1), m.start(1)
        codes = re.findall(r"\|team\d+=(\w+)", body)
        names = {k: v.strip() for k, v in re.findall(r"\|name_(\w+)=([^|\n]+)", body)}
        published = {}
        for code in codes:
            row = {
                f: int(re.search(rf"\|{f}_{code}=(\d+)", body).group(1))
                for f in ("win", "draw", "loss", "gf", "ga")
            }  # type: ignore[union-attr]
            row["line"] = src.count("\n", 0, start + body.index(f"|win_{code}=")) + 1
            published[code] = row
        cells = re.findall(r"\|match_(\w+?)_(\w+)=([^|\n]*)", body)
        out[_section_at(src, m.start())] = {
            "codes": codes,
            "names": names,
            "published": published,
            "cells": [(h, a, raw.strip()) for h, a, raw in cells],
            "marks": {int(p): v for p, v in re.findall(r"\|result(\d+)=(\w+)", body)},
            "line": src.count("\n", 0, m.start()) + 1,
        }
    return out


def grid_matches(table: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    """(home, away, home goals, away goals) of every played grid cell, full names."""
    out = []
    for h, a, raw in table["cells"]:
        if SCORE.match(raw):
            out.append((table["names"][h], table["names"][a], *score(raw)))
    return out


def all_matches() -> list[tuple[str, str, int, int]]:
    """Every match of the regional and national stages as (home, away, home goals, away goals).

    Grid cells are home v away; a TwoLegResult's first club hosts leg 1 and
    both legs are written from its side; a OneLegResult lists the home side first.
    """
    out: list[tuple[str, str, int, int]] = []
    for t in tables().values():
        out += grid_matches(t)
    for r in two_legs():
        (a, b), (c, d) = score(str(r["leg1"])), score(str(r["leg2"]))
        out += [(str(r["team1"]), str(r["team2"]), a, b), (str(r["team2"]), str(r["team1"]), d, c)]
    for r in one_legs():
        h, a = score(str(r["score"]))
        out.append((str(r["team1"]), str(r["team2"]), h, a))
    return out
