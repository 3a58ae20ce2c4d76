"""What ``copa new-season``, ``copa generate``, ``copa advance`` and ``copa play`` do.

Thin adapters between the command line, the files and the pure pyramid core
(:mod:`copa.core.pyramid`, :mod:`copa.core.simulate`); long work shows rich
progress bars on standard error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from copa.core.pyramid import Pyramid, PyramidError, new_season
from copa.core.resolve import ResolveCache, SeasonResult, resolve
from copa.core.season import Season
from copa.core.simulate import play, play_out
from copa.core.synthetic import synthetic_clubs
from copa.limits import MAX_CLUBS, quote
from copa.sources.clubs_csv import load_clubs_csv
from copa.spec.pyramid_file import PyramidSeason, load_pyramid_season
from copa.spec.pyramid_format import format_from_data, pyramid_preset
from copa.spec.season_file import ErrorLocator
from copa.spec.season_writer import write_season

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Step = Callable[[str, int, int], None]


class PyramidCliError(Exception):
    """A user error: one line, exit code 2."""


def load_format(ref: str) -> tuple[Any, dict[str, Any]]:
    """A pyramid format (preset name or path) and its data as written, to embed in seasons."""
    return pyramid_preset(ref)


@contextmanager
def progress_bars(console: Console, quiet: bool = False) -> Iterator[Step]:
    """A ``step(description, done, total)`` callback drawing one bar per description."""
    if quiet:
        yield lambda what, done, total: None
        return
    bars = Progress(
        TextColumn("[bold]{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )
    tasks: dict[str, Any] = {}

    def step(what: str, done: int, total: int) -> None:
        if not tasks:
            bars.start()  # only once there is work to show: an early error prints nothing else
        if what not in tasks:
            tasks[what] = bars.add_task(what, total=total)
        bars.update(tasks[what], completed=done, total=total)

    try:
        yield step
    finally:
        if tasks:
            bars.stop()


def _pyramid_error(e: PyramidError) -> PyramidCliError:
    return PyramidCliError(f"the format does not fit these clubs: {e}")


#: the levels a departmental league runs (the national stage is the FPF's)
LOCAL_LEVELS = ("district", "provincial", "departmental")


def one_department(data: dict[str, Any], department: str) -> dict[str, Any]:
    """A pyramid format cut to one department's league: its district, provincial and
    departmental levels, the departmental final deciding who goes on to the national stage."""
    levels = [lv for lv in data.get("levels", []) if lv.get("kind") in LOCAL_LEVELS]
    if not levels:
        raise PyramidCliError("the format has no district, provincial or departmental level")
    out = dict(data)
    out["levels"] = levels
    out["name"] = f"{data.get('name', 'format')}-{department.lower()}"
    out["competition"] = f"{data.get('competition', 'Copa Perú')} · {department}"
    out["stats_scope"] = [lv["kind"] for lv in levels]
    out["promotion"] = {1: "National Stage", 2: "National Stage"}
    out.pop("regions", None)
    return out


def build_new_season(
    fmt_ref: str, clubs_csv: Path, seed: int, department: str | None = None
) -> tuple[str, Season]:
    fmt, data = load_format(fmt_ref)
    clubs = load_clubs_csv(clubs_csv)
    if department:
        from copa.spec.fold import fold

        known = sorted({c.department for c in clubs if c.department})
        clubs = tuple(c for c in clubs if fold(c.department) == fold(department))
        if not clubs:
            raise PyramidCliError(
                f"{clubs_csv}: no club in department {department!r} "
                f"(departments: {', '.join(known) or 'none'})"
            )
        department = clubs[0].department
        data = one_department(data, department)
        fmt = format_from_data(data, ErrorLocator(f"{fmt_ref} (one department)", ""))
    try:
        season, pyramid = new_season(fmt, clubs, seed, str(data.get("season") or ""))
    except PyramidError as e:
        raise _pyramid_error(e) from None
    return write_season(season, pyramid=pyramid, format_data=data), season


def generate(fmt_ref: str, n_clubs: int, seed: int, step: Step) -> tuple[str, SeasonResult]:
    if n_clubs > MAX_CLUBS:
        raise PyramidCliError(
            f"--clubs {quote(n_clubs, 12)}: copa makes at most {MAX_CLUBS:,} clubs (docs/limits.md)"
        )
    fmt, data = load_format(fmt_ref)
    try:
        clubs = synthetic_clubs(n_clubs, seed)
    except ValueError as e:
        raise PyramidCliError(str(e)) from None
    step("making clubs", 1, 1)
    try:
        season, pyramid = new_season(fmt, clubs, seed)
    except PyramidError as e:
        raise _pyramid_error(e) from None
    cache = ResolveCache()
    season = play_out(season, pyramid, cache, step)
    result = resolve(season, cache)
    step("writing", 0, 1)
    text = write_season(season, pyramid=pyramid, format_data=data)
    step("writing", 1, 1)
    return text, result


def load(path: str) -> PyramidSeason:
    return load_pyramid_season(path)


def load_for_update(path: str) -> tuple[PyramidSeason, str]:
    """The pyramid season and the fingerprint of the bytes read (for the write's check)."""
    from copa.io.season_edit import read_for_update
    from copa.spec.pyramid_file import is_pyramid_text, parse_pyramid_season

    text, seen = read_for_update(path)
    if not is_pyramid_text(text):
        return load_pyramid_season(path), seen  # says what is wrong, as the loader does
    return parse_pyramid_season(text, path), seen


def advance_file(path: str, step: Step) -> tuple[str, tuple[str, ...], SeasonResult, str]:
    """The advanced season's text, the rounds drawn, the result, and the input's fingerprint."""
    from copa.core.pyramid import advance

    ps, seen = load_for_update(path)
    cache = ResolveCache()
    try:
        season, filled = advance(
            ps.season, ps.pyramid, cache, lambda done, total: step("drawing", done, total)
        )
    except PyramidError as e:
        raise PyramidCliError(f"{path}: {e}") from None
    text = write_season(season, pyramid=ps.pyramid, format_data=ps.format_data, history=ps.history)
    return text, filled, resolve(season, cache), seen


def play_file(path: str, seed: int | None, step: Step) -> tuple[str, SeasonResult, str]:
    """The played season's text, its result, and the input's fingerprint."""
    ps, seen = load_for_update(path)
    pyramid = ps.pyramid if seed is None else Pyramid(ps.pyramid.format, seed)
    cache = ResolveCache()
    try:
        season = play(ps.season, pyramid.seed, cache, step)
    except PyramidError as e:
        raise PyramidCliError(f"{path}: {e}") from None
    text = write_season(season, pyramid=ps.pyramid, format_data=ps.format_data, history=ps.history)
    return text, resolve(season, cache), seen


def summary(result: SeasonResult) -> str:
    stages = len(result.stages)
    done = sum(1 for s in result.stages if s.places_by != "undecided")
    matches = sum(1 for _ in result.matches())
    played = sum(1 for _, m in result.matches() if m.counts)
    pending = sum(1 for i in result.issues if i.severity.value == "pending")
    others = len(result.issues) - pending
    text = (
        f"{len(result.season.clubs)} clubs, {stages} stages ({done} decided), "
        f"{played} of {matches} matches played"
    )
    if result.champion:
        text += f"; champion {result.champion}, runner-up {result.runner_up}"
    if pending:
        text += f"; {pending} things pending"
    if others:
        text += f"; {others} errors or conflicts (copa check)"
    return text
