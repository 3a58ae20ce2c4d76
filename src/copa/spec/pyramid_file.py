"""Pyramid season files: a season file that also holds its format, its draws and stages to come.

This module reads them (the one season reader, copa.spec.season_file, reads the
season; this adds the pyramid); the one writer, copa.spec.season_writer.write_season,
writes them (``pyramid=``, ``format_data=``).

A pyramid season file is a season file (``docs/season-file.md``) with four
additions, documented in the "Pyramids" section there and in
``docs/pyramid.md``:

* a top-level ``pyramid:`` block with the season's ``seed`` and its whole
  pyramid ``format`` (so ``copa advance`` can fill later rounds from the file
  alone);
* on a stage, ``unit`` (the district, province, ... it belongs to) and
  ``entrants_from`` (the earlier places that enter it: ``District Ate/1``);
  such a stage may list no rounds yet;
* on a round, ``draws``: every draw, slot map, bracket and rival choice that
  made its groups or ties, replayable and checked when the file is loaded;
* on a round's ``advance``, ``ranked: true`` (every place down to ``top``
  matters, so deciding matches and lots apply at each).

A group whose round records a ``rivals`` draw is a partial round robin: its
matches must be exactly the rivals' home and away fixtures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from copa.core.pyramid import Pyramid
from copa.core.season import Season
from copa.spec.history import HistoryModel
from copa.spec.pyramid_format import format_from_data
from copa.spec.season_file import (
    ErrorLocator,
    Path_,
    SeasonFileError,
    SeasonModel,
    build,
    load_mapping,
    read_text,
    validate,
)

_MARK = re.compile(r"^pyramid:", re.M)


# ---------------------------------------------------------------- load
#
# One season reader: the fields of a pyramid season file (``pyramid:``, a stage's
# ``unit``/``entrants_from``/``planned``, a round's ``draws``, ``advance.ranked``)
# are optional fields of copa.spec.season_file's models, built by its ``build``.


@dataclass(frozen=True)
class PyramidSeason:
    """A loaded pyramid season file: the season, its pyramid, and the format as written."""

    season: Season
    pyramid: Pyramid
    format_data: dict[str, Any]
    #: the file's history of entered results (copa.io.history), kept by every rewrite
    history: tuple[HistoryModel, ...] = ()


def is_pyramid_text(text: str) -> bool:
    """Whether season-file text is a pyramid season file (has a top-level ``pyramid:``)."""
    return _MARK.search(text) is not None


def parse_pyramid_season(text: str, source: str = "<season>") -> PyramidSeason:
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file")
    model = validate(SeasonModel, data, err)
    if model.pyramid is None:
        raise err(("pyramid",), _NOT_PYRAMID)
    fmt_err = ErrorLocator(source, text)
    fmt = format_from_data(model.pyramid.format, _Prefixed(fmt_err, ("pyramid", "format")))
    season = build(model, err)
    return PyramidSeason(
        season, Pyramid(fmt, model.pyramid.seed), model.pyramid.format, tuple(model.history)
    )


_NOT_PYRAMID = (
    "not a pyramid season file (made by copa new-season or copa generate); "
    "it has no 'pyramid:' block"
)


class _Prefixed(ErrorLocator):
    """Errors in the embedded format, located under ``pyramid.format``."""

    def __init__(self, inner: ErrorLocator, prefix: Path_) -> None:
        super().__init__(inner.source, inner.text)
        self.prefix = prefix

    def __call__(self, path: Path_, message: str) -> SeasonFileError:
        return super().__call__((*self.prefix, *path), message)


def load_pyramid_season(path: str | Path) -> PyramidSeason:
    p = Path(path)
    text = read_text(p)
    if not is_pyramid_text(text):
        raise SeasonFileError(str(p), None, "pyramid", _NOT_PYRAMID)
    return parse_pyramid_season(text, str(p))


def load_any_season(path: str | Path) -> Season:
    """A season file of either kind: a pyramid season file or a plain one."""
    from copa.spec.season_file import parse_season

    p = Path(path)
    text = read_text(p)
    if is_pyramid_text(text):
        return parse_pyramid_season(text, str(p)).season
    return parse_season(text, str(p))
