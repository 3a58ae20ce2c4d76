"""Independent readings of the 2011 article, for tests only.

Expected values come from the article itself (its match grids, tie rows and
prose), read here with plain regular expressions that share no code with
copa, so a bug in copa cannot agree with itself.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

SEED = Path(
    os.environ.get("COPA_SEED")
    or Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "2011-copa-peru.txt"
)
DASH = "[-–—]"


@cache
def text() -> str:
    return SEED.read_text(encoding="utf-8")


def _section_at(src: str, pos: int) -> tuple[str, ...]:
    path: list[str] = []
    for m in re.finditer(r"^(=+)([^=].*?)\1\s*$", src[:pos], re.M):
        level = len(m.group(1))
        path = path[: level - 1] + [m.group(2).strip()]
    return tuple(path)


@cache
def grids() -> dict[tuple[str, ...], dict[str, object]]:
    """Every sports table: club names in order, the published rows and the match grid."""
    src = text()
    out: dict[tuple[str, ...], dict[str, object]] = {}
    for m in re.finditer(r"\{\{#invoke:sports table\|main(.*?)\n\}\}", src, re.S):
        body = m.group(1)
        codes = re.findall(r"\|team\d+=(\w+)", body)
        names = {k: v.strip() for k, v in re.findall(r"\|name_(\w+)=([^|\n]+)", body)}
        published = {}
        for code in codes:
            row = {}
            for field in ("win", "draw", "loss", "gf", "ga"):
                row[field] = int(re.search(rf"\|{field}_{code}=(\d+)", body).group(1))  # type: ignore[union-attr]
            published[names[code]] = row
        matches = []
        for h, a, score in re.findall(r"\|match_(\w+?)_(\w+)=(\S+)", body):
            s = re.fullmatch(rf"(\d+){DASH}(\d+)", score)
            if s:
                matches.append((names[h], names[a], int(s.group(1)), int(s.group(2))))
        out[_section_at(src, m.start())] = {
            "clubs": [names[c] for c in codes],
            "published": published,
            "matches": matches,
        }
    return out


def grid_table(matches: list[tuple[str, str, int, int]]) -> dict[str, dict[str, int]]:
    """W, D, L, GF, GA and 3/1/0 points per club from a match grid."""
    rows: dict[str, dict[str, int]] = {}
    for h, a, hg, ag in matches:
        for club, gf, ga in ((h, hg, ag), (a, ag, hg)):
            r = rows.setdefault(club, dict(won=0, drawn=0, lost=0, gf=0, ga=0, points=0))
            r["gf"] += gf
            r["ga"] += ga
            if gf > ga:
                r["won"] += 1
                r["points"] += 3
            elif gf == ga:
                r["drawn"] += 1
                r["points"] += 1
            else:
                r["lost"] += 1
    return rows


@cache
def two_legs() -> list[dict[str, object]]:
    src = text()
    out = []
    for m in re.finditer(r"\{\{TwoLegResult\|(.*?)\}\}", src):
        parts = [p.strip() for p in m.group(1).split("|")]
        out.append(
            {
                "section": _section_at(src, m.start()),
                "team1": parts[0],
                "agg": parts[2],
                "team2": parts[3],
                "leg1": parts[5],
                "leg2": parts[6],
            }
        )
    return out


@cache
def one_legs() -> list[dict[str, object]]:
    src = text()
    out = []
    for m in re.finditer(r"\{\{OneLegResult\|(.*?)\}\}", src):
        parts = [p.strip() for p in m.group(1).split("|")]
        out.append(
            {
                "section": _section_at(src, m.start()),
                "team1": parts[0],
                "score": parts[2],
                "team2": parts[3],
            }
        )
    return out


@cache
def regions() -> dict[str, list[str]]:
    """'Region I includes qualified teams from Amazonas, Lambayeque, Tumbes and Piura region.'"""
    out = {}
    for m in re.finditer(
        r"^(Region [IVX]+) includes qualified teams from (.+?) region", text(), re.M
    ):
        names = re.split(r",\s*|\s+and\s+", m.group(2))
        out[m.group(1)] = [n.strip() for n in names]
    return out


@cache
def qualifiers() -> list[tuple[str, str, str]]:
    """(department, club, location) rows of the departmental qualifiers list."""
    src = text()
    block = src[src.index("{{col-float|width=35em}}") : src.index("{{col-float-end}}")]
    rows: list[tuple[str, str, str]] = []
    dep = ""
    club: str | None = None
    for line in (x.strip() for x in block.splitlines()):
        if (
            not line
            or line.startswith(("{{", "class=", "!"))
            or line in ("Departament", "Department")
        ):
            continue
        m = re.match(r'rowspan="\d+"\|\s*(.+)', line)
        if m:
            dep = m.group(1).strip()
            continue
        if line.startswith("|"):
            value = line[1:].strip()
            if club is None:
                club = value
            else:
                rows.append((dep, club, value))
                club = None
        else:
            club = line
    return rows
