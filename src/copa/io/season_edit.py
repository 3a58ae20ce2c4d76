"""Reading a season file for update and writing the edit back (``copa result``,
``copa results import``, ``copa revert``).

The edit itself is :mod:`copa.spec.entry` (text in, text out); this module is its
file side: the read with its fingerprint, the lock, the atomic write that refuses a
file changed since it was read, and who is entering the change.

It also keeps the season of each text it reads or writes in copa's cache
(:mod:`copa.spec.cache`, keyed by the text): a full entry the first time, then,
for each written text, only the moves made since that entry. The next command on
the file then starts from the cached season instead of reading 20,000 clubs'
YAML again; a file edited by hand is a new text, so a miss, read afresh.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from copa.spec import entry
from copa.spec.entry import Change, EntryError, Loaded
from copa.spec.errors import SeasonFileError
from copa.spec.seasons import cached_season


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
    from copa.spec import cache

    if cache.enabled():
        k = cache.key_of(seen)  # the SHA-256 of the bytes read: the text's key
        hit = cached_season(k)
        if hit is not None:
            season, history, origin = hit
            return Loaded(path, text, seen, season, history, origin)
        loaded = entry.parse_loaded(path, text, seen)
        cache.put_key(k, (loaded.season, loaded.history), "season")
        return replace(loaded, origin=(k, ()))
    return entry.parse_loaded(path, text, seen)


#: a delta longer than this is stored as a full entry instead (one full write, then
#: small ones again); reading one applies at most this many moves
MAX_MOVES = 64


def _remember(loaded: Loaded, written: str, changes: Sequence[Change], new: Sequence[Any]) -> None:
    """Cache the season of the text just written (``written``: its bytes' fingerprint):
    the moves since the full entry the loaded season came from (or, past
    :data:`MAX_MOVES`, the whole season)."""
    from copa.spec import cache

    if loaded.origin is None or not cache.enabled():
        return
    base, moves = loaded.origin
    moves = (*moves, *(ch.move() for ch in changes))
    history = (*loaded.history, *new)
    if len(moves) > MAX_MOVES:
        season = entry.applied(loaded.season, [ch.move() for ch in changes])
        cache.put_key(cache.key_of(written), (season, history), "season")
    else:
        cache.put_key(cache.key_of(written), (base, moves, history), "delta")


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
                history = entry.entries_for(loaded, changes, who(by), source)
                text = entry.edited(loaded, changes, history)
                written = write_text(loaded.path, text, expect=loaded.seen, allow_input=True)
                _remember(loaded, written, changes, history)
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
