"""Reading input files: regular files only, bounded in size, decoded once.

Light on purpose (no pydantic, no YAML): every command reads its input
through here before anything heavy is imported.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from copa.digest import sha256, text_sha256
from copa.limits import MAX_INPUT_BYTES
from copa.spec.errors import SeasonFileError


def read_bytes(path: str | Path, what: str = "file") -> bytes:
    """A file's bytes, or a one-line :class:`SeasonFileError` saying why not.

    Only regular files are read (not ``/dev/zero``, a FIFO, a folder), and at most
    :data:`~copa.limits.MAX_INPUT_BYTES` of them (``docs/limits.md``).
    """
    p = Path(path)
    name = str(p)

    def fail(message: str) -> SeasonFileError:
        return SeasonFileError(name, None, "", message)

    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise fail(f"no such {what}") from None
    except OSError as e:
        raise fail(f"cannot read it ({e.strerror or type(e).__name__})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise fail(f"a folder, not a {what}")
        raise fail(f"not a regular file (a device, pipe or socket); copa reads {what}s only")
    with os.fdopen(fd, "rb") as f:
        try:
            data = f.read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            raise fail(f"cannot read it ({e.strerror or type(e).__name__})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise fail(
            f"larger than {MAX_INPUT_BYTES // 2**20} MB, the most copa reads (docs/limits.md)"
        )
    return data


def read_text(path: str | Path, what: str = "file", encoding: str = "utf-8") -> str:
    """A text file's contents (universal newlines), or a one-line :class:`SeasonFileError`
    saying why not (see :func:`read_bytes`)."""
    return _decoded(read_bytes(path, what), path, encoding)


def _decoded(data: bytes, path: str | Path, encoding: str = "utf-8") -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SeasonFileError(str(path), line, "", f"not valid UTF-8 ({e.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


# ---------------------------------------------------------------- bundled name or path


def data_dir(folder: str) -> Path:
    """Where copa ships the documents of ``folder``: ``copa/data/<folder>``, beside the
    package. (copa is installed as files, never imported from a zip; asking
    ``importlib.resources`` instead costs every command 5 ms of imports.)"""
    return Path(__file__).parents[1] / "data" / folder


def bundled_names(folder: str) -> list[str]:
    """The names of the documents copa ships in ``copa/data/<folder>`` (``2011``, ...)."""
    root = data_dir(folder)
    return sorted(p.name.removesuffix(".yaml") for p in root.iterdir() if p.name.endswith(".yaml"))


@dataclass(frozen=True)
class Found:
    """A document found by :func:`find`: its text, the label errors name it by, and the
    bundled name it has (``None``: a file given by its path)."""

    text: str
    source: str
    name: str | None = None
    #: the bytes read, when they are the text's UTF-8 as it is (no line ends converted)
    data: bytes | None = field(default=None, repr=False, compare=False)

    def sha256(self) -> str:
        """The SHA-256 (hex) of the text's UTF-8: of the bytes read when they are that,
        which spares encoding a 20 MB text again for the cache key."""
        return text_sha256(self.text) if self.data is None else sha256(self.data).hexdigest()


def find(
    ref: str,
    folder: str,
    *,
    what: str,
    kind: str,
    names: tuple[str, ...] = (),
    hint: str = "",
    read_as: str = "",
) -> Found:
    """The one resolver of "a bundled name or a path": a path (it ends in ``.yaml``/``.yml``
    or exists) is read as a ``what`` (``"format file"``); else the first of ``names``
    (default: ``ref`` itself) that copa ships in ``copa/data/<folder>``, labelled
    ``<name>.yaml (<kind>)``; else one line naming what is shipped (and ``hint``).
    ``read_as``: what a missing path is called (default: ``what``)."""
    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        data = read_bytes(path, read_as or what)
        as_read = data if b"\r" not in data else None  # else line ends were converted
        return Found(_decoded(data, path), str(path), None, as_read)
    root = data_dir(folder)
    for name in names or (ref,):
        res = root / f"{name}.yaml"
        if res.is_file():
            return Found(res.read_text(encoding="utf-8"), f"{name}.yaml ({kind})", name)
    known = ", ".join(bundled_names(folder)) or "none"
    raise SeasonFileError(
        ref,
        None,
        "",
        f"no such {what}, and no {'bundled season' if kind == 'bundled' else kind} of that name "
        f"({'bundled' if kind == 'bundled' else kind + 's'}: {known}{hint})",
    )
