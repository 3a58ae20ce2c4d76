"""Reading input files: regular files only, bounded in size, decoded once.

Light on purpose (no pydantic, no YAML): every command reads its input
through here before anything heavy is imported.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
    data = read_bytes(path, what)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SeasonFileError(str(path), line, "", f"not valid UTF-8 ({e.reason})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
