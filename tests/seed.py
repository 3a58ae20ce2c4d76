"""Independent readings of the 2011 article, for tests only.

Expected values come from the article itself (its match grids, tie rows and
prose), read with plain regular expressions that share no code with copa, so
a bug in copa cannot agree with itself.

The facts those readings give are stored in ``tests/data/copa-peru-2011-facts.json``
(results, published rows, qualification marks, names: data, no prose), so the
tests that need only facts run on a fresh clone without the article. When the
article is present (``../shared/seed/2011-copa-peru.txt`` or ``$COPA_SEED``),
``tests/test_seed_facts.py`` checks the stored facts against a fresh reading;
``python -m tests.seed`` rewrites the file from the article.
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import cache
from pathlib import Path
from typing import Any

SEED = Path(
    os.environ.get("COPA_SEED")
    or Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "2011-copa-peru.txt"
)
FACTS = Path(__file__).resolve().parent / "data" / "copa-peru-2011-facts.json"
DASH = "[-–—]"
ARTICLE = "the 2011 article (../shared/seed/2011-copa-peru.txt or $COPA_SEED) is not available"


@cache
def text() -> str:
    return SEED.read_text(encoding="utf-8")


def _section_at(src: str, pos: int) -> tuple[str, ...]:
    path: list[str] = []
    for m in re.finditer(r"^(=+)([^=].*?)\1\s*$", src[:pos], re.M):
        level = len(m.group(1))
        path = path[: level - 1] + [m.group(2).strip()]
    return tuple(path)


def read_grids() -> dict[tuple[str, ...], dict[str, object]]:
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
            # the positions the table marks as going on (``|result2=A``)
            "marks": sorted(int(p) for p in re.findall(r"\|result(\d)=A", body)),
            "published": published,
            "matches": matches,
        }
    return out


def read_national_clubs() -> list[str]:
    """The 16 clubs of the national bracket, in its order."""
    src = text()
    national = src[src.index("{{16TeamBracket") :]
    return [c.strip() for c in re.findall(r"\| RD1-team\d+=(.+)", national)]


def read_facts() -> dict[str, Any]:
    """Everything the tests take from the article, as plain data."""
    g = read_grids()
    return {
        "grids": [{"section": list(k), **v} for k, v in g.items()],
        "two_legs": read_two_legs(),
        "one_legs": read_one_legs(),
        "regions": read_regions(),
        "qualifiers": read_qualifiers(),
        "national_clubs": read_national_clubs(),
    }


def _plain(value: Any) -> Any:
    """Tuples as lists, the way JSON gives them back."""
    return json.loads(json.dumps(value))


@cache
def facts() -> dict[str, Any]:
    return json.loads(FACTS.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def grids() -> dict[tuple[str, ...], dict[str, Any]]:
    return {
        tuple(g["section"]): {
            "clubs": g["clubs"],
            "published": g["published"],
            "matches": [tuple(m) for m in g["matches"]],
            "marks": g["marks"],
        }
        for g in facts()["grids"]
    }


def _rows(key: str) -> list[dict[str, Any]]:
    return [{**r, "section": tuple(r["section"])} for r in facts()[key]]


@cache
def two_legs() -> list[dict[str, Any]]:
    return _rows("two_legs")


@cache
def one_legs() -> list[dict[str, Any]]:
    return _rows("one_legs")


def regions() -> dict[str, list[str]]:
    return facts()["regions"]  # type: ignore[no-any-return]


def qualifiers() -> list[tuple[str, str, str]]:
    return [tuple(r) for r in facts()["qualifiers"]]  # type: ignore[misc]


def national_clubs() -> list[str]:
    return facts()["national_clubs"]  # type: ignore[no-any-return]


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


def read_two_legs() -> list[dict[str, object]]:
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


def read_one_legs() -> list[dict[str, object]]:
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


def read_regions() -> dict[str, list[str]]:
    """'Region I includes qualified teams from Amazonas, Lambayeque, Tumbes and Piura region.'"""
    out = {}
    for m in re.finditer(
        r"^(Region [IVX]+) includes qualified teams from (.+?) region", text(), re.M
    ):
        names = re.split(r",\s*|\s+and\s+", m.group(2))
        out[m.group(1)] = [n.strip() for n in names]
    return out


def read_qualifiers() -> list[tuple[str, str, str]]:
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


if __name__ == "__main__":
    FACTS.write_text(
        json.dumps(read_facts(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    print(f"wrote {FACTS}", file=sys.stderr)
