"""The one safe way copa writes a file: every command that writes goes through here.

* **Atomic.** The text goes to an exclusive temporary file (random name,
  ``O_EXCL``, never through a symlink) in the target's own directory, is
  ``fsync``-ed, renamed over the target, and the directory is ``fsync``-ed:
  a crash or ``kill -9`` leaves the old file or the new one, never a torn one.
* **The target is written to, not replaced.** A symlink is followed to the
  real file (the link stays a link), the file's mode is kept, a read-only
  file is refused, and a target that is not a regular file (a device, a
  pipe, ``/dev/stdout``) is written directly.
* **No lost updates.** Writers of one directory take an exclusive ``fcntl``
  lock on it around the check-and-rename; a command that read the file,
  computed, and now writes it back passes the :func:`fingerprint` of the
  bytes it read as ``expect``: if the file changed meanwhile (another copa
  run, a hand edit), nothing is written and :class:`Conflict` says so.
* **Never over its own input** unless asked: ``inputs`` lists the files a
  command read, and writing to one of them is refused (``allow_input``
  turns that off for in-place commands).
* **Temp files of killed runs** are named ``.NAME.copa-PID-RANDOM.tmp.SUFFIX``; the
  next write to the same target removes those whose process is gone.

Every failure is a :class:`WriteError`: one line, the CLI's exit code 2.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> fp = write_text(d / "s.txt", "one\\n")
>>> text, seen = read_text(d / "s.txt")
>>> _ = write_text(d / "s.txt", "two\\n", expect=seen)
>>> try:
...     write_text(d / "s.txt", "three\\n", expect=seen)
... except Conflict as e:
...     print("refused:", str(e).split(" (")[0].endswith("changed since copa read it"))
refused: True
>>> (d / "s.txt").read_text()
'two\\n'
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import secrets
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = [
    "Conflict",
    "WriteError",
    "fingerprint",
    "locked",
    "read_text",
    "write_bytes",
    "write_text",
    "write_with",
]


class WriteError(ValueError):
    """A file copa could not (or must not) write: one line."""


class Conflict(WriteError):
    """The file changed between the read and the write: nothing was written."""


def fingerprint(data: bytes) -> str:
    """What a file held when it was read (compared again just before the write)."""
    return hashlib.sha256(data).hexdigest()


def _why(e: OSError) -> str:
    return e.strerror or type(e).__name__


def read_text(path: str | Path, encoding: str = "utf-8") -> tuple[str, str]:
    """A file's text and the :func:`fingerprint` of its bytes, for a later ``expect``.

    Only regular files, bounded in size (:func:`copa.spec.files.read_bytes`, which
    raises a one-line ``SeasonFileError``); a bad encoding raises
    ``UnicodeDecodeError`` for the caller to turn into its own one-line error.
    """
    from copa.spec.files import read_bytes

    data = read_bytes(path)
    return data.decode(encoding), fingerprint(data)


def _current(path: Path) -> str | None:
    try:
        return fingerprint(path.read_bytes())
    except FileNotFoundError:
        return None


_TMP = re.compile(r"^\.(?P<name>.+)\.copa-(?P<pid>\d+)-[0-9a-f]+\.tmp(?:\.\w+)?$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale(target: Path) -> list[Path]:
    """Remove temp files a killed copa left next to ``target``; the ones removed."""
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    prefix = f".{target.name}.copa-"
    for name in names:
        if not name.startswith(prefix):
            continue
        m = _TMP.match(name)
        if m is None or m.group("name") != target.name or _alive(int(m.group("pid"))):
            continue
        p = target.parent / name
        try:
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.geteuid():
                p.unlink()
                removed.append(p)
        except OSError:
            pass
    return removed


@contextmanager
def locked(path: str | Path) -> Iterator[Path]:
    """Hold the write lock of ``path``'s (real) directory; yields the real path.

    Every copa writer takes it around its check-and-rename, so two of them never
    interleave there; a read-modify-write command also passes ``expect``.
    """
    real = _real(Path(path))
    try:
        fd = os.open(real.parent, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_why(e)}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield real
    finally:
        os.close(fd)  # closing releases the lock


def _real(path: Path) -> Path:
    """The file a path really names: symlinks followed (also dangling ones)."""
    return Path(os.path.realpath(path))


def _check_target(path: Path) -> None:
    text = str(path)
    if text in ("", ".") or path.name in ("", ".", ".."):
        raise WriteError(f"cannot write {text!r}: name a file, not a folder")


def refuse_input(
    target: str | Path | None, inputs: Iterable[str | Path], allow_input: bool = False
) -> None:
    """:class:`WriteError` if ``target`` is one of the files a command reads (checked early,
    before the work, and again by the write)."""
    if target is None or allow_input:
        return
    for source in inputs:
        if _same(Path(target), Path(source)):
            raise WriteError(
                f"refusing to write {target} over its own input {source} "
                "(name another file with -o)"
            )


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _special(path: Path) -> os.stat_result | None:
    """The stat of a target that exists and is not a regular file (a device, a pipe)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_why(e)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise WriteError(f"cannot write {path}: it is a folder")
    return None if stat.S_ISREG(st.st_mode) else st


def _direct(path: Path, data: bytes) -> None:
    """Write a device, pipe or terminal in place (there is nothing to rename over)."""
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_why(e)}") from None
    try:
        view = memoryview(data)
        while view:
            n = os.write(fd, view)
            view = view[n:]
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_why(e)}") from None
    finally:
        try:
            os.close(fd)
        except OSError as e:
            raise WriteError(f"cannot write {path}: {_why(e)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_with(
    path: str | Path,
    fill: Callable[[Path], None],
    *,
    expect: str | None = None,
    inputs: Iterable[str | Path] = (),
    allow_input: bool = False,
) -> Path:
    """Write ``path`` by letting ``fill`` write a fresh temp file (a chart library, say).

    The same guarantees as :func:`write_text`; ``expect`` is the fingerprint of
    what ``path`` held when it was read (``None``: no check). Returns the real
    path written.
    """
    target = Path(path)
    _check_target(target)
    refuse_input(target, inputs, allow_input)
    special = _special(target)
    if special is not None:
        # write the device or pipe itself (a temp file there would replace the node)
        fd, name = tempfile.mkstemp(prefix="copa-", suffix=target.suffix)
        os.close(fd)
        tmp = Path(name)
        try:
            fill(tmp)
            data = tmp.read_bytes()
        except OSError as e:
            raise WriteError(f"cannot write {target}: {_why(e)}") from None
        finally:
            tmp.unlink(missing_ok=True)
        _direct(target, data)
        return target
    real = _real(target)
    old: os.stat_result | None
    try:
        old = os.stat(real)
    except FileNotFoundError:
        old = None
    except OSError as e:
        raise WriteError(f"cannot write {target}: {_why(e)}") from None
    if old is not None and (not old.st_mode & 0o222 or not os.access(real, os.W_OK)):
        raise WriteError(f"cannot write {target}: the file is read-only")
    clean_stale(real)
    tmp = _make_temp(real, target)
    try:
        try:
            fill(tmp)
            mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
            os.chmod(tmp, mode)
            if old is not None and os.geteuid() == 0:
                with suppress(OSError):
                    os.chown(tmp, old.st_uid, old.st_gid)
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as e:
            raise WriteError(f"cannot write {target}: {_why(e)}") from None
        with locked(real):
            if expect is not None and _current(real) != expect:
                raise Conflict(
                    f"{target} changed since copa read it (another copa run or an edit); "
                    "nothing was written: run the command again"
                )
            try:
                os.replace(tmp, real)
            except OSError as e:
                raise WriteError(f"cannot write {target}: {_why(e)}") from None
            _fsync_dir(real.parent)
    finally:
        tmp.unlink(missing_ok=True)  # gone already when the rename happened
    return real


def _make_temp(real: Path, shown: Path) -> Path:
    """A new, empty temp file next to ``real``, created exclusively (never through a link)."""
    folder, base = real.parent, real.name
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        # the target's suffix last: libraries that pick a format by it (charts) still can
        tmp = folder / f".{base}.copa-{os.getpid()}-{secrets.token_hex(6)}.tmp{real.suffix}"
        try:
            fd = os.open(tmp, flags, 0o600)
        except FileExistsError:
            continue
        except OSError as e:
            raise WriteError(f"cannot write {shown}: {_why(e)}") from None
        os.close(fd)
        return tmp
    raise WriteError(f"cannot write {shown}: no free temporary name in {folder}")


def write_bytes(
    path: str | Path,
    data: bytes,
    *,
    expect: str | None = None,
    inputs: Iterable[str | Path] = (),
    allow_input: bool = False,
) -> str:
    """Write ``data`` to ``path`` safely (see the module docstring); its new fingerprint."""

    def fill(tmp: Path) -> None:
        fd = os.open(tmp, os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0))
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
        finally:
            os.close(fd)

    target = Path(path)
    special = _special(target) if str(target) not in ("", ".") else None
    if special is not None:
        _check_target(target)
        refuse_input(target, inputs, allow_input)
        _direct(target, data)
        return fingerprint(data)
    write_with(path, fill, expect=expect, inputs=inputs, allow_input=allow_input)
    return fingerprint(data)


def write_text(
    path: str | Path,
    text: str,
    *,
    expect: str | None = None,
    inputs: Iterable[str | Path] = (),
    allow_input: bool = False,
) -> str:
    """Write ``text`` (UTF-8) to ``path`` safely; returns the new fingerprint.

    ``expect``: the fingerprint :func:`read_text` gave when the command read the
    file; if the file no longer holds those bytes, :class:`Conflict` is raised
    and nothing is written. ``inputs``: files the command read, never written
    over unless ``allow_input``.
    """
    return write_bytes(
        path, text.encode("utf-8"), expect=expect, inputs=inputs, allow_input=allow_input
    )
