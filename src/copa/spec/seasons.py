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
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from copa.core.resolve import SeasonResult
    from copa.core.season import Season


def bundled() -> list[str]:
    """Names of the seasons copa ships."""
    from copa.spec.files import bundled_names

    return bundled_names("seasons")


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside (a command may then ``gc.freeze()`` what it built)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def season_text(name: str) -> tuple[str, str]:
    """The text of a season file (by path) or bundled season (by name), and its source label."""
    from copa.spec.files import find  # regular files only, bounded (docs/limits.md)

    found = find(name, "seasons", what="season file", kind="bundled", read_as="file")
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

    text, source = season_text(name)
    with paused_gc():
        hit = cache.get(text)
        if hit is not None:
            return hit  # type: ignore[no-any-return]
        from copa.core.resolve import resolve

        result = resolve(parse_any(text, source))
        cache.put(text, result)
    return result
