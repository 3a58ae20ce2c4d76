"""``forecast(season, runs, seed)``: probabilities from Monte Carlo runs of the rest of a season.

Runs are split into chunks of a fixed size; chunk ``k`` draws from child ``k``
of ``numpy.random.SeedSequence(seed)``, whichever process plays it, so the same
seed gives the same forecast at any number of workers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from copa.core.pyramid import Pyramid, PyramidFormat
from copa.core.resolve import ResolveCache
from copa.core.season import Season
from copa.forecast.engine import (
    Chunk,
    Counts,
    Model,
    Program,
    StageProgram,
    Unsupported,
    all_names,
    compile_season,
)
from copa.forecast.ratings import PoissonRatings, club_levels, fit_poisson, observations
from copa.forecast.state import as_of as replay_as_of
from copa.forecast.state import bundled_format, reopen_undecided

CHUNK = 2_500


@dataclass
class CoreProgram:
    """A season the kernels do not cover: every run is played through the core engine."""

    season: Season
    pyramid: Pyramid | None
    names: tuple[str, ...]
    reason: str
    rounds: list[tuple[str, str, int]] = field(default_factory=list)
    stages: list[StageProgram] = field(default_factory=list)
    live: np.ndarray | None = None


def compile_or_core(
    state: Season, pyramid: Pyramid | None, cache: ResolveCache | None = None
) -> Program | CoreProgram:
    """The compiled season, or (for what the kernels do not cover) the core path."""
    try:
        return compile_season(state, pyramid, cache)
    except Unsupported as e:
        return CoreProgram(state, pyramid, all_names(state), str(e))


def chunk_size(program: Program | CoreProgram) -> int:
    """Runs per chunk: fixed by the season's size alone, never by the number of workers."""
    return max(250, min(CHUNK, 4_000_000 // max(1, len(program.names))))


@dataclass
class ClubForecast:
    club: str
    reach: dict[str, float]
    champion: float
    promoted: float
    won: dict[str, float] = field(default_factory=dict)
    group_winner: dict[str, float] = field(default_factory=dict)


@dataclass
class Forecast:
    """Probabilities per club, with how they were made."""

    season: str
    runs: int
    seed: int
    as_of: str | None
    rounds: list[tuple[str, str, int]]
    clubs: list[ClubForecast]
    matches_simulated: int = 0
    core_fallbacks: int = 0
    model: str = "poisson"
    #: runs played whole through the core engine (a case the kernels do not cover)
    core_runs: int = 0

    def club(self, name: str) -> ClubForecast:
        """One club's forecast; KeyError when the season has no such club."""
        found = next((c for c in self.clubs if c.club == name), None)
        if found is None:
            raise KeyError(name)
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "season": self.season,
            "runs": self.runs,
            "seed": self.seed,
            "as_of": self.as_of,
            "model": self.model,
            "core_runs": self.core_runs,
            "standard_error_at_half": round(0.5 / math.sqrt(max(1, self.runs)), 6),
            "rounds": [{"round": f"{s}/{r}", "places": n} for s, r, n in self.rounds],
            "clubs": [
                {
                    "club": c.club,
                    "reach": c.reach,
                    "champion": c.champion,
                    "promoted": c.promoted,
                    "won": c.won,
                    "group_winner": c.group_winner,
                }
                for c in self.clubs
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


def prepare(
    season: Season,
    as_of: str | None = None,
    fmt: PyramidFormat | None = None,
    pyramid: Pyramid | None = None,
    cache: ResolveCache | None = None,
) -> tuple[Season, Pyramid | None]:
    """The state to forecast from and the format that draws the rounds still to come."""
    if pyramid is None:
        f = fmt or bundled_format(season)
        pyramid = Pyramid(f, 0) if f is not None else None
    fmt_used = pyramid.format if pyramid else None
    state = replay_as_of(season, as_of, fmt_used) if as_of else season
    # rounds whose slots name places the engine has not decided are played per run
    return reopen_undecided(state, fmt_used, cache), pyramid


def rate(state: Season, previous: PoissonRatings | None = None) -> PoissonRatings:
    """The default rating: the Poisson model on every rated match of ``state``."""
    return fit_poisson(observations(state), club_levels(state), previous=previous)


def run_chunks(
    program: Program | CoreProgram,
    model: Model,
    runs: int,
    seed: int,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    chunk: int | None = None,
    scheduler: str = "local",
) -> Counts:
    """Play ``runs`` runs in chunks; chunk ``k`` always draws from child ``k`` of ``seed``.

    ``scheduler``: "local" (this process, or a pool of ``workers`` processes) or
    "dask" (a ``dask.distributed`` local cluster of ``workers`` processes; needs
    the optional ``dask`` extra). Both give the same counts for the same seed.
    """
    chunk = chunk or chunk_size(program)
    sizes = [min(chunk, runs - i) for i in range(0, runs, chunk)]
    seqs = np.random.SeedSequence(seed).spawn(len(sizes))
    total = Counts()
    jobs = list(zip(seqs, sizes, strict=True))
    done = 0
    if scheduler == "dask":
        return _run_dask(program, model, jobs, runs, workers, progress)
    if scheduler != "local":
        raise ValueError(f"unknown scheduler {scheduler!r} (local or dask)")
    if workers <= 1 or len(jobs) == 1:
        for job in jobs:
            total.merge(_play_chunk(program, model, job))
            done += job[1]
            if progress:
                progress(done, runs)
        return total
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_init, initargs=(program, model)) as pool:
        for got, job in zip(pool.imap(_worker, jobs), jobs, strict=True):
            total.merge(got)
            done += job[1]
            if progress:
                progress(done, runs)
    return total


def dask_available() -> bool:
    """Whether ``dask.distributed`` can be imported (the optional ``dask`` extra)."""
    import importlib.util

    try:
        return importlib.util.find_spec("distributed") is not None
    except (ImportError, ValueError):  # hidden or half-installed
        return False


class SchedulerError(RuntimeError):
    """The scheduler asked for cannot be used here."""


def _run_dask(
    program: Program | CoreProgram,
    model: Model,
    jobs: list[tuple[np.random.SeedSequence, int]],
    runs: int,
    workers: int,
    progress: Callable[[int, int], None] | None,
) -> Counts:
    """The chunks on a ``dask.distributed`` local cluster, merged in chunk order."""
    if not dask_available():
        raise SchedulerError(
            "--scheduler dask needs dask.distributed: install copa with the 'dask' extra"
        )
    import logging

    from distributed import Client, LocalCluster  # type: ignore[import-not-found,unused-ignore]

    logging.getLogger("distributed").setLevel(logging.ERROR)
    total = Counts()
    done = 0
    with (
        LocalCluster(  # type: ignore[no-untyped-call,unused-ignore]
            n_workers=max(1, workers),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call,unused-ignore]
    ):
        p, m = client.scatter([program, model], broadcast=True)
        futures = [client.submit(_play_chunk, p, m, job, pure=False) for job in jobs]
        for fut, job in zip(futures, jobs, strict=True):
            total.merge(fut.result())
            done += job[1]
            if progress:
                progress(done, runs)
    return total


_STATE: dict[str, Any] = {}


def _init(program: Program | CoreProgram, model: Model) -> None:
    _STATE["program"] = program
    _STATE["model"] = model


def _worker(job: tuple[np.random.SeedSequence, int]) -> Counts:
    return _play_chunk(_STATE["program"], _STATE["model"], job)


def _play_chunk(
    program: Program | CoreProgram, model: Model, job: tuple[np.random.SeedSequence, int]
) -> Counts:
    seq, n = job
    if isinstance(program, CoreProgram):
        return _core_chunk(program.season, program.pyramid, program.names, model, job)
    rng = np.random.Generator(np.random.PCG64(seq))
    att, dfn = model.sample(rng, n, program.live)
    ch = Chunk(rng, n, att, dfn, model.mu, model.home, program.names)
    counts = Counts()
    try:
        program.run(ch, counts)
    except Unsupported:
        # a case the kernels do not cover came up in this chunk: the core plays it, run by run
        return _core_chunk(program.season, None, program.names, model, job, program)
    counts.runs = n
    counts.matches = ch.matches
    counts.fallbacks = ch.fallbacks
    return counts


def _core_chunk(
    state: Season,
    pyramid: Pyramid | None,
    names: Sequence[str],
    model: Model,
    job: tuple[np.random.SeedSequence, int],
    program: Program | None = None,
) -> Counts:
    from copa.forecast.reference import core_runs

    seq, n = job
    pyr = pyramid
    if program is not None and program.pyramid_format is not None:
        pyr = Pyramid(program.pyramid_format, program.pyramid_seed)
    rng = np.random.Generator(np.random.PCG64(seq.spawn(1)[0]))
    counts = core_runs(state, pyr, names, model, n, rng)
    counts.core_runs = n
    counts.fallbacks = n
    return counts


def summarise(
    program: Program | CoreProgram,
    counts: Counts,
    season: str,
    runs: int,
    seed: int,
    as_of: str | None,
) -> Forecast:
    names = program.names
    n = max(1, counts.runs)
    per: dict[int, dict[str, dict[str, float]]] = {}

    def spread(key: str, section: str, label: str) -> None:
        got = counts.get(key)
        if got is None:
            return
        for i, c in zip(got[0].tolist(), got[1].tolist(), strict=True):
            if c:
                per.setdefault(i, {}).setdefault(section, {})[label] = c / n

    rounds = list(program.rounds)
    listed = {f"{s}/{r}" for s, r, _ in rounds}
    for key, places in counts.places.items():  # rounds only the core runs played
        if key not in listed:
            st, _, rn = key.partition("/")
            rounds.append((st, rn, places))
            listed.add(key)
    for s, r, _ in rounds:
        spread(f"reach:{s}/{r}", "reach", f"{s}/{r}")
        spread(f"group:{s}/{r}", "group", f"{s}/{r}")
    stages = dict.fromkeys([sp.name for sp in program.stages] + [s for s, _, _ in rounds])
    for st in stages:
        spread(f"place:{st}", "won", st)
    spread("champion", "title", "champion")
    spread("promoted", "title", "promoted")
    rows: list[ClubForecast] = []
    for i, got in per.items():
        if not got.get("reach"):
            continue
        title = got.get("title", {})
        rows.append(
            ClubForecast(
                names[i],
                got["reach"],
                title.get("champion", 0.0),
                title.get("promoted", 0.0),
                got.get("won", {}),
                got.get("group", {}),
            )
        )
    rows.sort(key=lambda c: (-c.champion, -c.promoted, -sum(c.reach.values()), c.club))
    return Forecast(
        season,
        runs,
        seed,
        as_of,
        rounds,
        rows,
        counts.matches,
        counts.fallbacks,
        core_runs=counts.core_runs,
    )


def forecast(
    season: Season,
    runs: int = 10_000,
    seed: int = 0,
    as_of: str | None = None,
    *,
    workers: int = 1,
    ratings: PoissonRatings | None = None,
    pyramid: Pyramid | None = None,
    progress: Callable[[int, int], None] | None = None,
    uncertainty: bool = True,
    scheduler: str = "local",
) -> Forecast:
    """Forecast ``season`` from its current state (or from ``as_of``, "STAGE/ROUND").

    The clubs are rated on the results known at that point (unless ``ratings``
    are given); every run samples each club's strength from its rating's
    uncertainty (``uncertainty``) and plays the rest of the season.
    """
    cache = ResolveCache()  # the state is resolved once, for reopening and compiling
    state, pyr = prepare(season, as_of, pyramid=pyramid, cache=cache)
    program = compile_or_core(state, pyr, cache)
    model_ratings = ratings or rate(state)
    model = Model.from_ratings(model_ratings, program.names, sample=uncertainty)
    counts = run_chunks(program, model, runs, seed, workers, progress, scheduler=scheduler)
    return summarise(program, counts, season.name, runs, seed, as_of)


def forecast_season(
    season: Season,
    runs: int = 10_000,
    seed: int = 0,
    *,
    as_of: str | None = None,
    pyramid: Pyramid | None = None,
    workers: int = 1,
    scheduler: str = "local",
    progress: Callable[[int, int], None] | None = None,
) -> Forecast:
    """The stable entry point for other parts of copa (the web app's forecast page, scripts).

    Forecasts ``season`` from its current state (or from ``as_of``, "STAGE/ROUND"):
    the clubs are rated on the results known then and ``runs`` runs play the rest
    under the season's own rules (``pyramid``: the format that draws later rounds;
    a bundled season finds its own). The same seed gives the same result at any
    ``workers`` and either ``scheduler``. ``Forecast.to_dict()`` is the JSON
    document of docs/forecast.md (``runs``, ``seed``, ``as_of``, ``clubs`` with
    ``club``, ``reach``, ``champion``, ``promoted``). Never raises for rules the
    kernels do not cover (those runs are played by the core engine); raises
    ``AsOfError`` for an ``as_of`` that names no round.
    """
    return forecast(
        season,
        runs,
        seed,
        as_of,
        workers=workers,
        pyramid=pyramid,
        progress=progress,
        scheduler=scheduler,
    )


def round_sums(fc: Forecast) -> dict[str, float]:
    """Each round's probabilities summed over clubs (equals its number of places)."""
    out: dict[str, float] = {}
    for c in fc.clubs:
        for k, v in c.reach.items():
            out[k] = out.get(k, 0.0) + v
    return out


def names_of(rows: Sequence[ClubForecast]) -> list[str]:
    return [r.club for r in rows]


@dataclass(frozen=True)
class Loaded:
    season: Season
    pyramid: Pyramid | None


def load(ref: str) -> Loaded:
    """A bundled season or a season file, with the format that draws its later rounds."""
    from pathlib import Path

    from copa.spec.seasons import find_season

    path = Path(ref)
    if path.suffix in (".yaml", ".yml") or path.exists():
        from copa.spec.pyramid_file import is_pyramid_text, load_pyramid_season

        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        if text and is_pyramid_text(text):
            ps = load_pyramid_season(path)
            return Loaded(ps.season, ps.pyramid)
    season = find_season(ref)
    fmt = bundled_format(season)
    return Loaded(season, Pyramid(fmt, 0) if fmt is not None else None)


def run_forecast(
    loaded: Loaded,
    runs: int,
    seed: int,
    as_of: str | None = None,
    *,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    scheduler: str = "local",
) -> Forecast:
    return forecast(
        loaded.season,
        runs,
        seed,
        as_of,
        workers=workers,
        pyramid=loaded.pyramid,
        progress=progress,
        scheduler=scheduler,
    )
