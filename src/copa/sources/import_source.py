"""Read a source file of any supported kind into an imported season (``copa import``)."""

from __future__ import annotations

from pathlib import Path

from copa.sources.importing import Imported
from copa.spec.formats import Format
from copa.spec.season_file import SeasonFileError, read_bytes

KINDS = ("wiki", "csv", "footballjson", "footballtxt", "json")


def kind_of(path: str) -> str:
    """The kind a file's name suggests: ``.csv``, ``.json``, anything else wikitext."""
    suffix = Path(path).suffix.lower()
    return {".csv": "csv", ".json": "footballjson"}.get(suffix, "wiki")


def import_source(
    path: str, kind: str | None = None, fmt: Format | None = None, clubs: str | None = None
) -> Imported:
    """Import ``path``; ``kind`` is wiki, csv or footballjson (default: from the file name)."""
    kind = kind or kind_of(path)
    data = read_bytes(path)
    if kind == "wiki":
        from copa.sources.wiki.importer import import_wiki

        if clubs is not None:
            raise SeasonFileError(path, None, "", "--clubs is for csv and football.json sources")
        return import_wiki(data, path, fmt)
    club_rows = read_bytes(clubs) if clubs is not None else None
    if kind == "csv":
        from copa.sources.import_csv import import_csv

        imported_csv: Imported = import_csv(data, path, fmt, club_rows, clubs)
        return imported_csv
    if kind == "footballjson":
        from copa.sources.import_footballjson import import_footballjson

        imported: Imported = import_footballjson(data, path, fmt, club_rows, clubs)
        return imported
    if kind == "json":
        from copa.sources.import_json import import_json

        imported_json: Imported = import_json(data, path, fmt, club_rows, clubs)
        return imported_json
    if kind == "footballtxt":
        from copa.sources.import_footballtxt import import_footballtxt

        imported_txt: Imported = import_footballtxt(data, path, fmt, club_rows, clubs)
        return imported_txt
    raise SeasonFileError(
        path, None, "", f"unknown source kind {kind!r} (known: {', '.join(KINDS)})"
    )
