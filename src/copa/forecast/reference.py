"""The plain path: each run played match by match through the core engine.

:class:`ModelSimulator` is the core's own :class:`~copa.core.simulate.Simulator`
with goal means from a rating instead of the synthetic strengths; each run is
then :func:`copa.core.simulate.play` and :func:`copa.core.pyramid.advance`
until the season ends, and :func:`copa.core.resolve.resolve` says who reached
what. It is slow (pure Python, one match at a time) and exact by construction:
the benchmark's "per-match Python loop applying the same rules", and the
yardstick the vectorised engine is compared with in distribution.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np

from copa.core.pyramid import Pyramid, advance
from copa.core.resolve import ResolveCache, SeasonResult, resolve
from copa.core.season import Season
from copa.core.simulate import Simulator, play
from copa.forecast.engine import Counts, Model, Program


class ModelSimulator(Simulator):
    """The core simulator with one run's sampled strengths."""

    def __init__(
        self, seed: int, attack: dict[str, float], defence: dict[str, float], mu: float, home: float
    ) -> None:
        super().__init__(seed)
        self.attack = attack
        self.defence = defence
        self.mu = mu
        self.home = home

    def means(self, home: str, away: str, neutral: bool) -> tuple[float, float]:
        adv = 0.0 if neutral else self.home
        return (
            math.exp(self.mu + adv + self.attack[home] - self.defence[away]),
            math.exp(self.mu + self.attack[away] - self.defence[home]),
        )


def run_reference(
    state: Season,
    pyramid: Pyramid | None,
    program: Program,
    model: Model,
    runs: int,
    seed: int,
    progress: Callable[[int, int], None] | None = None,
) -> Counts:
    """Play ``runs`` runs through the core, counting what :meth:`Program.run` counts."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, 7])))
    return core_runs(state, pyramid, program.names, model, runs, rng, program.live, progress)


def _simulated(result: SeasonResult) -> int:
    """Counting matches of a resolved season (fixtures, legs, deciding matches)."""
    n = 0
    for sr in result.stages:
        for rr in sr.rounds:
            n += sum(
                1 for g in rr.groups for m in (*g.group.matches, *g.group.deciders) if m.counts
            )
            n += sum(1 for t in rr.ties for m in t.tie.matches if m.counts)
    return n


def core_runs(
    state: Season,
    pyramid: Pyramid | None,
    names: Sequence[str],
    model: Model,
    runs: int,
    rng: np.random.Generator,
    live: np.ndarray | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Counts:
    """``runs`` runs of ``state`` played match by match through the core engine.

    Strengths are sampled from ``model`` with ``rng``, then each run gets its own
    seed from ``rng`` for the core's simulator and draws. Used as the plain loop
    of the benchmark and as the fallback for whatever the kernels do not cover.
    """
    index = {n: i for i, n in enumerate(names)}
    C = len(names)
    counts = Counts()
    counts.n = C
    att, dfn = model.sample(rng, runs, live)
    base = _simulated(resolve(state))
    for r in range(runs):
        run_seed = int(rng.integers(2**62))
        sim = ModelSimulator(
            run_seed,
            dict(zip(names, att[r].tolist(), strict=True)),
            dict(zip(names, dfn[r].tolist(), strict=True)),
            model.mu,
            model.home,
        )
        cache = ResolveCache()
        season = state
        pyr = Pyramid(pyramid.format, run_seed) if pyramid is not None else None
        while True:
            season = play(season, run_seed, cache, None, sim)
            if pyr is None:
                break
            season, filled = advance(season, pyr, cache)
            if not filled:
                break
        result = resolve(season, cache)
        for sr in result.stages:
            for rr in sr.rounds:
                key = f"{sr.stage.name}/{rr.round.name}"
                counts.places.setdefault(key, len(rr.round.clubs))
                counts.add_reach(key, np.array([index[c] for c in rr.round.clubs]), C)
                for g in rr.groups:
                    counts.add(f"group:{key}", np.array([index[g.table.club_at(1)]]), C)
            if sr.places_by != "undecided" and sr.places:
                counts.add(f"place:{sr.stage.name}", np.array([index[sr.places[0]]]), C)
        counts.matches += _simulated(result) - base
        if result.champion:
            counts.add("champion", np.array([index[result.champion]]), C)
        for club, _ in result.promoted:
            counts.add("promoted", np.array([index[club]]), C)
        counts.runs += 1
        if progress:
            progress(r + 1, runs)
    return counts
