"""A cache of resolved seasons, keyed by the season file's content.

The season file stays the format people read, write and diff; this cache only
spares a command the work of reading and resolving the same text again. An
entry is the resolved season (:class:`~copa.core.resolve.SeasonResult`)
pickled under the SHA-256 of the file's text together with a fingerprint of
copa's own code and Python's version, so an edited file, a new copa or another
Python never sees a stale entry: it is simply a miss.

Entries live in ``$COPA_CACHE_DIR``, else ``$XDG_CACHE_HOME/copa``, else
``~/.cache/copa`` (a folder only the user can write: an entry found in a
folder others can write to is never read). Not beside the season file: a
season folder or a git checkout stays clean, and read-only folders work.
``COPA_CACHE=0`` turns the cache off. At most :data:`KEEP` entries are kept.

Slotted dataclasses (matches, standings rows) are pickled as their field
values and rebuilt without the generic ``__setstate__``, which makes reading
an entry several times faster.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib
import os
import pickle
import stat
import sys
import tempfile
from functools import cache
from io import BytesIO
from pathlib import Path
from types import MemberDescriptorType
from typing import Any

KEEP = 16
_VERSION = b"copa-result-cache 1"
_set = object.__setattr__


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
    h = hashlib.sha256(_VERSION + sys.version.encode())
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".py", ".yaml")):
                st = os.stat(os.path.join(dirpath, name))
                h.update(f"{dirpath}/{name}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.digest()


def key(text: str) -> str:
    """The entry key of a season file's text (with copa's code and Python's version)."""
    return key_of(hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest())


def key_of(fingerprint: str) -> str:
    """The entry key of the text whose UTF-8 bytes have this SHA-256 (hex): what
    :func:`copa.io.safe_write.read_text` and ``write_text`` give, so a command that
    read or wrote the file does not encode and hash 20 MB again."""
    return hashlib.sha256(_code_fingerprint() + fingerprint.encode("ascii")).hexdigest()


def _safe(path: Path) -> bool:
    """A folder or file of ours that no one else may write."""
    try:
        st = path.stat()
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return mine and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@cache
def _fields(cls: Any) -> tuple[str, ...]:
    """The field names of a slotted dataclass without its own pickling, else ()."""
    if (
        dataclasses.is_dataclass(cls)
        and "__slots__" in cls.__dict__
        and "__reduce__" not in cls.__dict__
    ):
        return tuple(f.name for f in dataclasses.fields(cls))
    return ()


def _slot_setter(cls: Any, name: str) -> Any:
    """The slot's own setter (about 40% cheaper a call than ``object.__setattr__``)."""
    for klass in cls.__mro__:
        d = klass.__dict__.get(name)
        if isinstance(d, MemberDescriptorType):
            return d.__set__
    return None


@cache
def _builder(cls: Any) -> Any:
    """A function that makes a ``cls`` from its field values, one line per field."""
    names = _fields(cls)
    space: dict[str, Any] = {"new": object.__new__, "s": _set, "cls": cls}
    lines = []
    for i, n in enumerate(names):
        setter = _slot_setter(cls, n)
        if setter is None:
            lines.append(f"    s(o, {n!r}, v[{i}])\n")
        else:
            space[f"d{i}"] = setter
            lines.append(f"    d{i}(o, v[{i}])\n")
    body = "".join(lines)
    code = f"def build(v):\n    o = new(cls)\n{body}    return o\n"
    exec(code, space)  # field names come from the class itself, never from the entry
    build = space["build"]
    build.__module__, build.__qualname__ = __name__, _builder_name(cls)
    return build


def __getattr__(name: str) -> Any:
    """``build_<module>_<Class>``: the builder an entry names, made on first use."""
    if name.startswith("build__"):
        module, _, qualname = name[len("build__") :].replace("__", ".").rpartition(":")
        cls = getattr(importlib.import_module(module), qualname)
        if _fields(cls):
            builder = _builder(cls)
            globals()[name] = builder
            return builder
    raise AttributeError(name)


def _builder_name(cls: Any) -> str:
    return "build__" + f"{cls.__module__}:{cls.__qualname__}".replace(".", "__")


class _Pickler(pickle.Pickler):
    _builders: dict[Any, Any] = {}

    def reducer_override(self, obj: Any) -> Any:
        cls: Any = type(obj)
        names = _fields(cls)
        if not names:
            return NotImplemented
        builder = self._builders.get(cls)
        if builder is None:
            builder = self._builders[cls] = __getattr__(_builder_name(cls))
        return builder, (tuple([getattr(obj, n) for n in names]),)


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
        with path.open("rb") as f:
            return pickle.load(f)
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
        buf = BytesIO()
        _Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        fd, tmp = tempfile.mkstemp(dir=where, prefix=".entry-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(buf.getbuffer())
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
