"""A list of clubs with their locations, as CSV, for ``copa new-season``.

Columns (a header line names them, in any order): ``name`` (required),
``district``, ``province``, ``department``, and optionally ``region``,
``location`` and ``aliases`` (separated by ``;``), or the same in Spanish
(``nombre``, ``distrito``, ``provincia``, ``departamento``, ``región``,
``localidad``, ``alias``). Errors name the file, the line and the column.
This is the one reader of clubs CSVs: ``copa import --clubs`` reads its file
with :func:`list_clubs`.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from copa.core.club import Club
from copa.limits import MAX_CLUBS, quote
from copa.sources.csv_rows import columns_word, rows
from copa.sources.reader import decode
from copa.spec.errors import SeasonFileError
from copa.spec.files import read_bytes
from copa.spec.fold import fold

if TYPE_CHECKING:
    from copa.sources.importing import Draft

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


def _column(header: str) -> str:
    key = fold(header)
    return SPANISH.get(key, key)


def club_rows(
    text: str, source: str, known: tuple[str, ...] = COLUMNS
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """The one reader of a clubs CSV: its rows (line, column -> cell), headers in English
    or Spanish, and the columns not in ``known`` (for the caller to refuse or note)."""
    found, extra = rows(text, source, ("name",), known, _column)
    for line, cells in found:
        if not cells["name"]:
            raise SeasonFileError(source, line, "name", "a club needs a name")
    return found, extra


def parse_clubs_csv(text: str, source: str) -> tuple[Club, ...]:
    found, extra = club_rows(text, source)
    if extra:
        raise SeasonFileError(source, 1, extra[0], f"unknown column (known: {', '.join(COLUMNS)})")
    clubs: list[Club] = []
    seen: dict[str, int] = {}
    for line, cell in found:
        name = cell["name"]
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


#: the columns of a clubs CSV given to ``copa import --clubs``
IMPORT_COLUMNS = ("name", "aliases", "department", "province", "district", "location")


def list_clubs(draft: Draft, data: bytes, source: str) -> None:
    """A clubs CSV given to an import: each club listed in the draft, in the file's order."""
    found, extra = club_rows(decode(data, source), source, IMPORT_COLUMNS)
    if extra:
        draft.note(1, f"{source}: {columns_word(extra)} {', '.join(extra)} not understood; ignored")
    for line, cells in found:
        fields = {k: cells.get(k, "") for k in IMPORT_COLUMNS if k != "name"}
        draft.clubs.list_club(cells["name"], line, **fields)


def load_clubs_csv(path: str | Path) -> tuple[Club, ...]:
    return parse_clubs_csv(decode(read_bytes(path), str(path)), str(path))


def clubs_csv(clubs: tuple[Club, ...] | list[Club]) -> str:
    """Clubs as CSV text that :func:`parse_clubs_csv` reads back."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["name", "district", "province", "department"])
    for c in clubs:
        w.writerow([c.name, c.district, c.province, c.department])
    return out.getvalue()
