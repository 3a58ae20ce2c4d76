"""Run-for-run checks of the vectorised kernels against the core engine.

:func:`check` plays a chunk of runs with tracing on, rebuilds every simulated
round of every run as core data (the same scores, extra time, shoot-outs,
deciding matches and lots) and resolves it with
:func:`copa.core.resolve.resolve_round`, the one definition of the rules. Any
table order, tie winner or qualifier the kernels got differently is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from copa.core.resolve import resolve_round
from copa.forecast.engine import Chunk, Counts, Model, Program


@dataclass(frozen=True)
class Mismatch:
    stage: str
    round: str
    run: int
    what: str


def check(
    program: Program, model: Model, runs: int = 200, seed: int = 0
) -> tuple[int, list[Mismatch]]:
    """Play ``runs`` runs; check each simulated round with the core: (rounds, mismatches)."""
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    att, dfn = model.sample(rng, runs, program.live)
    ch = Chunk(rng, runs, att, dfn, model.mu, model.home, program.names, trace={})
    program.run(ch, Counts())
    assert ch.trace is not None
    names = program.names
    bad: list[Mismatch] = []
    checked = 0
    prio = ch.priority()
    for sp in program.stages:
        for rp in sp.rounds:
            tr = ch.trace.get((sp.name, rp.name))
            if tr is None:
                continue
            out = tr[3]
            for r in range(runs):
                round_clubs = [names[c] for c in out.clubs[r]]
                lots = sorted(round_clubs, key=lambda c: prio[r, names.index(c)])
                rnd = rp.core_round(names, tr, r, lots)
                got = resolve_round(sp.name, rnd)
                checked += 1
                want_q = [names[c] for c in out.qualifiers[r]]
                if list(got.qualifiers) != want_q:
                    bad.append(
                        Mismatch(sp.name, rp.name, r, f"qualifiers {got.qualifiers} != {want_q}")
                    )
                for gi, gr in enumerate(got.groups):
                    need = max([rp.advance.top, *(b.place for b in rp.advance.best), 1])
                    core = [s.club for s in gr.table.standings][:need]
                    fast = [names[c] for c in out.orders[gi][r]][:need]
                    if core != fast:
                        bad.append(
                            Mismatch(sp.name, rp.name, r, f"{gr.group.name}: {core} != {fast}")
                        )
                    if gr.table.pending:  # the kernels left out a deciding match or lots
                        bad.append(
                            Mismatch(sp.name, rp.name, r, f"{gr.group.name}: {gr.table.pending}")
                        )
                for ti, trr in enumerate(got.ties):
                    assert out.winners is not None
                    if trr.winner != names[out.winners[r, ti]]:
                        bad.append(
                            Mismatch(
                                sp.name,
                                rp.name,
                                r,
                                f"tie {ti}: {trr.winner} != {names[out.winners[r, ti]]}",
                            )
                        )
                    if trr.pending:
                        bad.append(
                            Mismatch(sp.name, rp.name, r, f"tie {ti} pending: {trr.pending}")
                        )
    return checked, bad
