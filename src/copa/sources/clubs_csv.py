"""A list of clubs with their locations, as CSV, for ``copa new-season``.

Columns (a header line names them, in any order): ``name`` (required),
``district``, ``province``, ``department``, and optionally ``region``,
``location`` and ``aliases`` (separated by ``;``), or the same in Spanish
(``nombre``, ``distrito``, ``provincia``, ``departamento``, ``región``,
``localidad``, ``alias``). Errors name the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from copa.core.club import Club
from copa.limits import MAX_CLUBS, quote
from copa.spec.season_file import SeasonFileError, read_text

COLUMNS = ("name", "district", "province", "department", "region", "location", "aliases")
#: the same columns as a Spanish-speaking league writes them (accents and case ignored)
SPANISH = {
    "nombre": "name",
    "club": "name",
    "distrito": "district",
    "provincia": "province",
    "departamento": "department",
    "region": "region",
    "localidad": "location",
    "ubicacion": "location",
    "alias": "aliases",
    "alias (separados por ;)": "aliases",
}


def parse_clubs_csv(text: str, source: str) -> tuple[Club, ...]:
    reader = csv.reader(io.StringIO(text))
    rows = list(reader)
    if not rows:
        raise SeasonFileError(source, 1, "", "empty file: a header line (name,district,...) first")
    from copa.spec.formats import fold

    header = [SPANISH.get(fold(h), fold(h)) for h in rows[0]]
    for h in header:
        if h not in COLUMNS:
            raise SeasonFileError(source, 1, h, f"unknown column (known: {', '.join(COLUMNS)})")
    if "name" not in header:
        raise SeasonFileError(source, 1, "name", "the header needs a 'name' column")
    clubs: list[Club] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise SeasonFileError(
                source, line, "", f"{len(row)} fields, but the header has {len(header)}"
            )
        cell = {h: v.strip() for h, v in zip(header, row, strict=True)}
        name = cell["name"]
        if not name:
            raise SeasonFileError(source, line, "name", "a club needs a name")
        if name in seen:
            raise SeasonFileError(
                source, line, "name", f"{quote(name)} is already on line {seen[name]}"
            )
        seen[name] = line
        aliases = tuple(a.strip() for a in cell.get("aliases", "").split(";") if a.strip())
        clubs.append(
            Club(
                name,
                aliases,
                cell.get("district", ""),
                cell.get("province", ""),
                cell.get("department", ""),
                cell.get("region", ""),
                cell.get("location", ""),
            )
        )
        if len(clubs) > MAX_CLUBS:
            raise SeasonFileError(
                source, line, "", f"more than {MAX_CLUBS:,} clubs (docs/limits.md)"
            )
    if not clubs:
        raise SeasonFileError(source, 2, "", "no clubs listed")
    return tuple(clubs)


def load_clubs_csv(path: str | Path) -> tuple[Club, ...]:
    return parse_clubs_csv(read_text(path, encoding="utf-8-sig"), str(path))


def clubs_csv(clubs: tuple[Club, ...] | list[Club]) -> str:
    """Clubs as CSV text that :func:`parse_clubs_csv` reads back."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["name", "district", "province", "department"])
    for c in clubs:
        w.writerow([c.name, c.district, c.province, c.department])
    return out.getvalue()
