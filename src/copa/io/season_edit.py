"""Reading a season file for update and writing the edit back (``copa result``,
``copa results import``, ``copa revert``).

The edit itself is :mod:`copa.spec.entry` (text in, text out); this module is its
file side: the read with its fingerprint, the lock, the atomic write that refuses a
file changed since it was read, and who is entering the change.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Sequence
from pathlib import Path

from copa.spec import entry
from copa.spec.entry import Change, EntryError, Loaded
from copa.spec.errors import SeasonFileError


def read_for_update(path: str | Path) -> tuple[str, str]:
    """A file's text and the fingerprint of the bytes read (for the write's check), or a
    one-line :class:`SeasonFileError` saying why not."""
    from copa.io.safe_write import read_text

    try:
        return read_text(path)
    except FileNotFoundError:
        raise SeasonFileError(str(path), None, "", "no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        why = type(e).__name__
        raise SeasonFileError(str(path), None, "", f"cannot read it ({why})") from None


def load(path: str) -> entry.Loaded:
    """A season file for update: its text, fingerprint, season and history."""
    p = Path(path)
    if not p.exists() and p.suffix not in (".yaml", ".yml"):
        raise EntryError(
            f"{path}: no such season file (results are entered into a season file; "
            "a bundled season is read-only: copy it first with copa export or cp)"
        )
    text, seen = read_for_update(p)
    return entry.parse_loaded(path, text, seen)


def who(by: str | None) -> str:
    """Who enters a change: ``--by``, else the user the environment names."""
    if by:
        return by
    for var in ("COPA_USER", "LOGNAME", "USER"):
        if os.environ.get(var):
            return os.environ[var]
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def apply_changes(
    path: str,
    plan: Callable[[Loaded], Sequence[Change]],
    by: str | None,
    *,
    source: str = "",
    attempts: int = 5,
) -> tuple[Loaded, list[Change]]:
    """Load, plan (``plan(loaded) -> changes``), write, all under the safe writer's lock
    (:func:`copa.io.safe_write.hold`): another copa writer of the file waits, then works on
    the new file. A hand edit meanwhile (no lock) is caught by the fingerprint check and
    the whole read-plan-write is done again on the edited file, at most ``attempts`` times."""
    from copa.io.safe_write import Conflict, WriteError, hold, write_text

    for attempt in range(attempts):
        try:
            with hold(path):
                loaded = load(path)
                changes = [c for c in plan(loaded) if not entry.unchanged(c)]
                if not changes:
                    return loaded, []
                text = entry.new_text(loaded, changes, who(by), source)
                write_text(loaded.path, text, expect=loaded.seen, allow_input=True)
        except Conflict:
            if attempt == attempts - 1:
                raise EntryError(
                    f"{path} kept changing while copa wrote it; nothing was written: run again"
                ) from None
            continue
        except WriteError as e:
            raise EntryError(str(e)) from None
        return loaded, changes
    raise AssertionError("unreachable")
