"""The one way into ``copa.sources``: a source file's bytes and name to a draft season.

Every reader of another format (wikitext, matches CSV, football.json,
Football.TXT, copa's own JSON) is a :class:`SourceReader`: it has a name (the
value of ``copa import --from``), the file suffixes that suggest it, and
``read(data, source, options)`` giving the imported season. The registry
:data:`READERS` is what ``copa import``, ``copa audit`` and the web app's import
use, through :func:`import_source`, which opens the files (the source and the
clubs CSV) once, here. Decoding is one function, :func:`decode`: a byte order
mark is dropped, bytes that are not UTF-8 are one error line naming the file
and line. A reader module is imported only when its kind is read.

Adding a source format: a module in ``copa.sources`` with a function
``read(data: bytes, source: str, options: Options) -> Imported`` that fills a
:class:`~copa.sources.importing.Draft` (shared helpers: ``importing``,
``csv_rows``, ``clubs_csv``, ``names``; never another reader module or a sink),
and one :class:`Registered` line in :data:`READERS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from copa.spec.errors import SeasonFileError

if TYPE_CHECKING:
    from copa.sources.importing import Imported
    from copa.spec.formats import Format


def decode(data: bytes, source: str) -> str:
    """The text of a source file's bytes (UTF-8, a byte order mark dropped)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SeasonFileError(
            source, line, "", f"not valid UTF-8 (byte {e.start}: {e.reason})"
        ) from None


@dataclass(frozen=True)
class Options:
    """What a reader is told besides the source: the format (``--preset``) and the
    clubs CSV's bytes and name (``--clubs``), when given."""

    fmt: Format | None = None
    clubs: bytes | None = None
    clubs_source: str | None = None


class SourceReader(Protocol):
    """A reader of one source format: bytes plus the source's name to an imported season."""

    @property
    def name(self) -> str: ...

    @property
    def suffixes(self) -> tuple[str, ...]: ...

    @property
    def takes_clubs(self) -> bool: ...

    def read(self, data: bytes, source: str, options: Options) -> Imported: ...


def as_import(read: Callable[[bytes, str, Options], Imported]) -> Callable[..., Imported]:
    """A reader's ``read`` as a function of the format and the clubs CSV:
    ``import_csv(data, source, fmt, clubs, clubs_source)``."""

    def call(data: bytes, source: str, fmt: Format | None = None, *clubs: Any) -> Imported:
        return read(data, source, Options(fmt, *clubs))  # clubs: the CSV's bytes and name

    call.__doc__ = read.__doc__
    return call


@dataclass(frozen=True)
class Registered:
    """A reader by the module holding its ``read`` function (imported when first used)."""

    name: str
    module: str
    suffixes: tuple[str, ...] = ()
    takes_clubs: bool = True

    def read(self, data: bytes, source: str, options: Options) -> Imported:
        read = cast(
            "Callable[[bytes, str, Options], Imported]",
            importlib.import_module(self.module).read,
        )
        return read(data, source, options)


#: every source reader, by the name ``copa import --from`` takes; the first is the default
READERS: Mapping[str, SourceReader] = {
    r.name: r
    for r in (
        Registered("wiki", "copa.sources.wiki.importer", takes_clubs=False),
        Registered("csv", "copa.sources.import_csv", (".csv",)),
        Registered("footballjson", "copa.sources.import_footballjson", (".json",)),
        Registered("footballtxt", "copa.sources.import_footballtxt"),
        Registered("json", "copa.sources.import_json"),
    )
}
KINDS = tuple(READERS)


def kind_of(path: str) -> str:
    """The kind a file's name suggests: ``.csv``, ``.json``, anything else wikitext."""
    suffix = Path(path).suffix.lower()
    return next((r.name for r in READERS.values() if suffix in r.suffixes), KINDS[0])


def reader(kind: str, source: str) -> SourceReader:
    found = READERS.get(kind)
    if found is None:
        raise SeasonFileError(
            source, None, "", f"unknown source kind {kind!r} (known: {', '.join(KINDS)})"
        )
    return found


def import_source(
    path: str, kind: str | None = None, fmt: Format | None = None, clubs: str | None = None
) -> Imported:
    """Import the file ``path`` as ``kind`` (default: from its name), with the clubs CSV
    ``clubs`` if given: the files are opened here and only here."""
    from copa.spec.files import read_bytes

    data = read_bytes(path)
    chosen = reader(kind or kind_of(path), path)
    if clubs is not None and not chosen.takes_clubs:
        raise SeasonFileError(path, None, "", "--clubs is for csv and football.json sources")
    club_rows = read_bytes(clubs) if clubs is not None else None
    return chosen.read(data, path, Options(fmt, club_rows, clubs))
