"""The one safe way copa writes a file: every command that writes goes through here.

* **Atomic.** The text goes to an exclusive temporary file (random name,
  ``O_EXCL``, never through a symlink) in the target's own directory, is
  ``fsync``-ed, renamed over the target, and the directory is ``fsync``-ed:
  a crash or ``kill -9`` leaves the old file or the new one, never a torn one.
* **The target is written to, not replaced.** A symlink is followed to the
  real file (the link stays a link), the file's mode is kept, a read-only
  file is refused, and a target that is not a regular file (a device, a
  pipe, ``/dev/stdout``) is written directly.
* **No lost updates.** Every writing command holds an exclusive ``fcntl``
  lock on the directories it reads from and writes to over its whole
  read-modify-write (:func:`hold`; re-entrant, so the write takes it again
  at no cost); another copa writer of the same directory waits, then reads
  the new file. Against what takes no lock (a hand edit), a command that
  read the file passes the :func:`fingerprint` of the bytes it read as
  ``expect``: if the file changed meanwhile, nothing is written and
  :class:`Conflict` says so.
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
import os
import re
import secrets
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TypedDict, Unpack

from copa.digest import sha256

__all__ = [
    "Conflict",
    "WriteError",
    "fingerprint",
    "hold",
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
    return sha256(data).hexdigest()


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


#: seconds a writer waits for another copa run's lock before it gives up (one line)
LOCK_WAIT = 600.0

#: the directory locks this thread holds: real directory -> [fd, depth]
_LOCAL = threading.local()


def _held() -> dict[str, list[int]]:
    held: dict[str, list[int]] | None = getattr(_LOCAL, "held", None)
    if held is None:
        held = _LOCAL.held = {}
    return held


def _lock_wait() -> float:
    try:
        return float(os.environ.get("COPA_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT


@contextmanager
def locked(path: str | Path) -> Iterator[Path]:
    """Hold the write lock of ``path``'s (real) directory; yields the real path.

    An exclusive ``fcntl`` lock on the directory, re-entrant within a process
    (a command holding it over its whole read-modify-write, :func:`hold`, then
    writes under it). Another process's lock is waited for, polling, at most
    ``COPA_LOCK_WAIT`` seconds (default :data:`LOCK_WAIT`); then
    :class:`WriteError`, nothing written.
    """
    import time

    real = _real(Path(path))
    folder = str(real.parent)
    table = _held()
    held = table.get(folder)
    if held is not None:
        held[1] += 1
        try:
            yield real
        finally:
            held[1] -= 1
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as e:
        raise WriteError(f"cannot write {path}: {_why(e)}") from None
    try:
        wait = _lock_wait()
        start = time.monotonic()
        pause = 0.01
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() - start > wait:
                    raise WriteError(
                        f"cannot write {path}: another copa run has been writing in "
                        f"{folder} for over {wait:.0f} s; nothing was written: run again"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.2)
            except OSError as e:
                raise WriteError(f"cannot write {path}: {_why(e)}") from None
        table[folder] = [fd, 1]
        try:
            yield real
        finally:
            del table[folder]
    finally:
        os.close(fd)  # closing releases the lock


@contextmanager
def hold(*targets: str | Path | None, reads: Iterable[str | Path | None] = ()) -> Iterator[None]:
    """Hold the write lock over a command's whole read-modify-write.

    ``targets``: the files the command writes (they need not exist yet; none
    given, ``None`` each, means the command writes nothing and nothing is held);
    ``reads``: the files it reads (only existing regular files count: a bundled
    season's name is no file). The locks of their directories are taken in one
    order (sorted), so two commands never wait for each other in a circle; a
    directory that cannot be opened is skipped, and the read or the write then
    says what is wrong. Every other copa writer of those directories waits
    until the command has written (or failed), then reads the new file: no
    update is lost. A hand edit takes no lock: the fingerprint check
    (``expect``) catches that.
    """
    from contextlib import ExitStack

    folders: dict[str, Path] = {}
    if all(p is None for p in targets):
        yield  # nothing is written (output to the terminal): nothing to hold
        return
    wanted = [(p, True) for p in targets] + [(p, False) for p in reads]
    for p, is_target in wanted:
        if p is None or str(p) in ("", "."):
            continue
        real = _real(Path(p))
        try:
            st: os.stat_result | None = os.stat(real)
        except FileNotFoundError:
            st = None
        except OSError:
            continue
        if st is None and not is_target:
            continue
        if st is not None and not stat.S_ISREG(st.st_mode):
            continue  # a device, a pipe, a folder: nothing to lock
        if not real.parent.is_dir():
            continue
        folders.setdefault(str(real.parent), real)
    with ExitStack() as stack:
        for folder in sorted(folders):
            stack.enter_context(locked(folders[folder]))
        yield


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


class Guards(TypedDict, total=False):
    """The checks of :func:`write_bytes` (and :func:`write_with`), passed on as they are."""

    expect: str | None
    inputs: Iterable[str | Path]
    allow_input: bool


def write_text(path: str | Path, text: str, **guards: Unpack[Guards]) -> str:
    """Write ``text`` (UTF-8) to ``path`` safely; returns the new fingerprint.

    ``expect``: the fingerprint :func:`read_text` gave when the command read the
    file; if the file no longer holds those bytes, :class:`Conflict` is raised
    and nothing is written. ``inputs``: files the command read, never written
    over unless ``allow_input``.
    """
    return write_bytes(path, text.encode("utf-8"), **guards)
