"""A cache of loaded seasons, keyed by the season file's content.

The season file stays the format people read, write and diff; this cache only
spares a command the work of reading (and resolving) the same text again. An
entry is pickled under the SHA-256 of the file's bytes (:func:`key_of` their
fingerprint, :func:`key` a text's) together with a fingerprint of copa's own
code and Python's version, so an edited file, a new copa or another Python
never sees a stale entry: it is simply a miss. Kinds of entry: ``result`` (the
resolved season, :class:`~copa.core.resolve.SeasonResult`, for the readers),
``season`` (season and history, for results entry) and ``delta`` (a base
``season`` entry's key and the moves made since: copa.io.season_edit).

Entries live in ``$COPA_CACHE_DIR``, else ``$XDG_CACHE_HOME/copa``, else
``~/.cache/copa`` (a folder only the user can write: an entry found in a
folder others can write to is never read). Not beside the season file: a
season folder or a git checkout stays clean, and read-only folders work.
``COPA_CACHE=0`` turns the cache off. At most :data:`KEEP` entries of a kind
are kept (deltas, tiny, eight times as many).

A season's matches (most of its objects) are stored apart, as one column per
field, and made again by setting each slot through ``map``; other slotted
dataclasses are pickled as their field values and rebuilt without the generic
``__setstate__``. Both make reading an entry several times faster.
"""

from __future__ import annotations

import dataclasses
import importlib
import os
import pickle
import stat
import sys
import tempfile
from collections import deque
from functools import cache
from io import BytesIO
from itertools import repeat
from operator import attrgetter, is_
from pathlib import Path
from typing import Any

from copa.core.match import Match
from copa.core.quick import builder, plain_fields, slot_setter
from copa.digest import sha256, text_sha256

KEEP = 16
_VERSION = b"copa-result-cache 2"


def enabled() -> bool:
    return os.environ.get("COPA_CACHE", "1") not in ("0", "off", "no", "")


def folder() -> Path:
    named = os.environ.get("COPA_CACHE_DIR")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "copa"


@cache
def _code_fingerprint() -> bytes:
    """Changes whenever any file of the installed copa package changes."""
    root = Path(__file__).resolve().parents[1]
    h = sha256(_VERSION + sys.version.encode())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".py", ".yaml")):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.digest()


def key(text: str) -> str:
    """The entry key of a season file's text (with copa's code and Python's version)."""
    return key_of(text_sha256(text))


def key_of(fingerprint: str) -> str:
    """The entry key of the text whose UTF-8 bytes have this SHA-256 (hex): what
    :func:`copa.io.safe_write.read_text` and ``write_text`` give, so a command that
    read or wrote the file does not encode and hash 20 MB again."""
    return sha256(_code_fingerprint() + fingerprint.encode("ascii")).hexdigest()


def _safe(path: Path) -> bool:
    """A folder or file of ours that no one else may write."""
    try:
        st = path.stat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return mine and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _builder(cls: Any) -> Any:
    """:func:`copa.core.quick.builder`, named so that pickle finds it here by name."""
    build = builder(cls)
    build.__module__, build.__qualname__ = __name__, _builder_name(cls)
    return build


def __getattr__(name: str) -> Any:
    """``build_<module>_<Class>``: the builder an entry names, made on first use."""
    if name.startswith("build__"):
        module, _, qualname = name[len("build__") :].replace("__", ".").rpartition(":")
        cls = getattr(importlib.import_module(module), qualname)
        if plain_fields(cls):
            made = _builder(cls)
            globals()[name] = made
            return made
    raise AttributeError(name)


def _builder_name(cls: Any) -> str:
    return "build__" + f"{cls.__module__}:{cls.__qualname__}".replace(".", "__")


class _Pickler(pickle.Pickler):
    _builders: dict[Any, Any] = {}

    def __init__(self, file: Any, protocol: int) -> None:
        super().__init__(file, protocol=protocol)
        self.matches: list[Match] = []
        self._index: dict[int, int] = {}

    def persistent_id(self, obj: Any) -> Any:
        """Matches (most of a season's objects) are stored apart, as columns."""
        if type(obj) is Match:
            i = self._index.get(id(obj))
            if i is None:
                i = self._index[id(obj)] = len(self.matches)
                self.matches.append(obj)
            return i
        return None

    def reducer_override(self, obj: Any) -> Any:
        cls: Any = type(obj)
        names = plain_fields(cls)
        if not names:
            return NotImplemented
        make = self._builders.get(cls)
        if make is None:
            make = self._builders[cls] = __getattr__(_builder_name(cls))
        return make, (tuple([getattr(obj, n) for n in names]),)


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: Any, matches: list[Match]) -> None:
        super().__init__(file)
        self.persistent_load = matches.__getitem__  # type: ignore[method-assign]


_MATCH_FIELDS = tuple(f.name for f in dataclasses.fields(Match))
_SAME = "same"


def _columns(matches: list[Match]) -> list[tuple[str, Any]]:
    """Each field of ``matches`` as one column; a column of one value as that value."""
    out: list[tuple[str, Any]] = []
    for name in _MATCH_FIELDS:
        col = list(map(attrgetter(name), matches))
        first = col[0] if col else None
        same = all(map(is_, col, repeat(first)))  # the same object throughout
        out.append((_SAME, first) if same else ("list", col))
    return out


def _matches(n: int, columns: list[tuple[str, Any]]) -> list[Match]:
    """The matches back from their columns, each slot set by its own descriptor through
    ``map``: no Python frame per match (three times faster than a builder per match)."""
    made = list(map(object.__new__, repeat(Match, n)))
    for name, (how, col) in zip(_MATCH_FIELDS, columns, strict=True):
        setter = slot_setter(Match, name)
        deque(map(setter, made, repeat(col, n) if how == _SAME else col), maxlen=0)
    return made


def _dump(value: Any) -> bytes:
    """An entry: the matches as columns, then the rest pickled with them by index."""
    body = BytesIO()
    p = _Pickler(body, protocol=pickle.HIGHEST_PROTOCOL)
    p.dump(value)
    head = pickle.dumps((len(p.matches), _columns(p.matches)), protocol=pickle.HIGHEST_PROTOCOL)
    return len(head).to_bytes(8, "little") + head + body.getbuffer()


def _load(data: bytes) -> Any:
    size = int.from_bytes(data[:8], "little")
    n, columns = pickle.loads(data[8 : 8 + size])
    view = memoryview(data)[8 + size :]
    return _Unpickler(BytesIO(view), _matches(n, columns)).load()


def get(text: str, kind: str = "result") -> Any | None:
    """The cached value of this ``kind`` for this text, or None."""
    if not enabled():
        return None
    return get_key(key(text), kind)


def get_key(k: str, kind: str = "result") -> Any | None:
    """The entry stored under key ``k`` (see :func:`key`), or None."""
    if not enabled():
        return None
    path = folder() / f"{k}.{kind}.pickle"
    if not (_safe(path.parent) and _safe(path)):
        return None
    try:
        return _load(path.read_bytes())
    except Exception:  # a torn or foreign entry is a miss, never an error
        return None


def put(text: str, value: Any, kind: str = "result") -> None:
    """Store ``value`` for this text; any failure (full disk, read-only home) is ignored."""
    if enabled():
        put_key(key(text), value, kind)


def put_key(k: str, value: Any, kind: str = "result") -> None:
    """Store ``value`` under key ``k``; any failure is ignored (the cache is only a cache)."""
    if not enabled():
        return
    where = folder()
    try:
        where.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _safe(where):
            return
        data = _dump(value)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, where / f"{k}.{kind}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(where)
    except Exception:
        return


def _prune(where: Path) -> None:
    """Keep the newest :data:`KEEP` entries of each kind (a season's deltas, tiny, count
    as one kind; a delta whose base is gone is a miss)."""
    by_kind: dict[str, list[Path]] = {}
    for p in where.glob("*.pickle"):
        by_kind.setdefault(p.name.split(".")[1] if p.name.count(".") == 2 else "", []).append(p)
    for kind, entries in by_kind.items():
        entries.sort(key=_mtime, reverse=True)
        for old in entries[KEEP * (8 if kind == "delta" else 1) :]:
            old.unlink(missing_ok=True)


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:  # pruned meanwhile by another copa
        return 0.0
