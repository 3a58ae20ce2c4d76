"""Finding a season by name (a bundled season) or by path, and loading it quickly.

:func:`find_season` gives the season; :func:`load_result` the resolved season,
which is what most commands show. Both pause Python's cyclic garbage collector
while they build: a big season is millions of new objects, none of them
garbage, and collecting over them took about half of the load time.
:func:`load_result` also keeps the resolved season in a cache keyed by the
file's text (:mod:`copa.spec.cache`), so showing the same file again reads one
pickle instead of parsing YAML and resolving every group.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copa.core.resolve import SeasonResult
    from copa.core.season import Season
    from copa.spec.entry import Move
    from copa.spec.files import Found


def bundled() -> list[str]:
    """Names of the seasons copa ships."""
    from copa.spec.files import bundled_names

    return bundled_names("seasons")


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside; what was built is then frozen (``gc.freeze``).

    A loaded season is millions of long-lived objects without cycles. Were the
    collector simply re-enabled, its next young-generation pass would walk every
    one of them (about 0.3 s on 20,000 clubs), and older passes again later."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.freeze()
            gc.enable()


def season_found(name: str) -> Found:
    """A season file (by path) or bundled season (by name): its text and source label."""
    from copa.spec.files import find  # regular files only, bounded (docs/limits.md)

    return find(name, "seasons", what="season file", kind="bundled", read_as="file")


def season_text(name: str) -> tuple[str, str]:
    """The text of a season file (by path) or bundled season (by name), and its source label."""
    found = season_found(name)
    return found.text, found.source


def parse_any(text: str, source: str) -> Season:
    """A season from the text of a season file of either kind (pyramid or plain)."""
    from copa.spec.pyramid_file import is_pyramid_text, parse_pyramid_season

    if is_pyramid_text(text):
        return parse_pyramid_season(text, source).season
    from copa.spec.season_file import parse_season

    return parse_season(text, source)


def find_season(name: str) -> Season:
    """A bundled season by name (``2011``) or a season file by path."""
    text, source = season_text(name)
    with paused_gc():
        return parse_any(text, source)


def load_result(name: str) -> SeasonResult:
    """The resolved season of a bundled season or season file, from the cache when it can."""
    from copa.spec import cache

    found = season_found(name)
    text, source, digest = found.text, found.source, found.sha256()
    del found  # (its bytes: 20 MB on a big season)
    with paused_gc():
        k = cache.key_of(digest)
        hit = cache.get_key(k)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        from copa.core.resolve import resolve

        entered = cached_season(k)  # results entry left the season, not its resolution
        result = resolve(entered[0] if entered else parse_any(text, source))
        cache.put_key(k, result)
    return result


def cached_season(k: str) -> tuple[Season, tuple[Any, ...], tuple[str, tuple[Move, ...]]] | None:
    """The season and history cached under key ``k`` (:mod:`copa.spec.cache`): a full
    entry, or a delta (a full entry's key and the moves made since), and where it came
    from (that key and those moves), or None."""
    from copa.spec import cache

    full = cache.get_key(k, "season")
    if full is not None:
        return full[0], full[1], (k, ())
    delta = cache.get_key(k, "delta")
    if delta is None:
        return None
    base, moves, history = delta
    full = cache.get_key(base, "season")
    if full is None:
        return None
    from copa.spec.entry import applied

    return applied(full[0], moves), history, (base, moves)


def remember(text: str, result: SeasonResult, history: tuple[object, ...] | None = None) -> None:
    """Cache what a command that wrote ``text`` already holds: its resolved season (what
    ``copa show`` reads) and, with ``history``, the season for results entry. The next
    command on the file then reads no YAML (tests/test_cache.py checks the entries are
    what reading the file gives)."""
    from copa.spec import cache

    if not cache.enabled():
        return
    k = cache.key(text)
    cache.put_key(k, result)
    if history is not None:
        cache.put_key(k, (result.season, history), "season")
