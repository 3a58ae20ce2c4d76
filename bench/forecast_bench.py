"""Forecast throughput: the vectorised simulator against numpy's Poisson generator and a plain loop.

Workloads (issue 11):
  A. 2011 national stage from the round of 16 (100,000 runs);
  B. 2011 from the start of the regional stage (10,000 runs);
  C. a generated 20,000-club pyramid from its district stage (--pyramid-runs, default 1,000).
For each: simulated matches per second with 1 and 2 worker processes (wall clock, and the
CPU seconds the processes used, so a busy machine can be told from poor scaling), with the
load average before and after. In the same run:
  * numpy's raw Poisson rate: ``Generator.poisson`` (PCG64) drawing both sides' goals of the
    same number of matches, means spread like football's (0.6 to 2.4), in one call;
  * a plain per-match Python loop applying the same rules: each run played match by match
    through the core engine (copa.forecast.reference: core simulate + pyramid advance +
    resolve), on fewer runs, as matches per second.
Goals: at least a quarter of the raw Poisson rate; at least 50x the plain loop.
The ratio is given twice: for the best of the bursts (2011: 10,000 and 2,000 runs; the
pyramid: one chunk, the 250 runs a forecast of 20,000 clubs plays at once; a burst of 10
runs measured the per-round overhead of 3,142 rounds rather than the simulator) and for
the whole run at one worker, per CPU second of the process on both sides
("full_run_cpu_ratio_to_poisson": a figure the queue for a core does not skew).
The last line printed is one JSON object.

Usage: python bench/forecast_bench.py [--quick] [--pyramid-runs N]
       [--only national,regional,pyramid] [--pyramid-loop-runs N] [--scaling-only]

Scaling from 1 to 2 workers on the 2011 workloads alone (a few minutes on a quiet machine;
100,000 national runs are 40 chunks and 10,000 regional runs 4, so both workers have work):
    nice -n 19 python bench/forecast_bench.py --only national,regional --scaling-only
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable

import numpy as np

from copa.core.pyramid import Pyramid, new_season
from copa.core.season import Season
from copa.core.synthetic import synthetic_clubs
from copa.forecast.engine import Model, Program, compile_season
from copa.forecast.forecast import chunk_size, prepare, rate, run_chunks
from copa.forecast.reference import run_reference
from copa.spec.pyramid_format import load_pyramid_format
from copa.spec.seasons import find_season


def raw_poisson(
    matches: int, seed: int = 0, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Matches per second numpy's Poisson generator gives: two draws per match, one call
    (``clock``: wall clock, or ``time.process_time`` for matches per CPU second)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    n = min(matches, 5_000_000)
    lam = rng.uniform(0.6, 2.4, 2 * n)
    best = float("inf")
    for _ in range(3):
        t = clock()
        rng.poisson(lam)
        best = min(best, clock() - t)
    return n / best


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _progress(label: str, runs: int) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A rich progress bar on stderr for long runs (none for short ones)."""
    if runs < 1_000 and "pyramid" not in label:
        return (lambda done, total: None), (lambda: None)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    bar = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(file=sys.stderr),
        transient=True,
    )
    task = bar.add_task(label, total=runs)
    bar.start()
    return (lambda done, total: bar.update(task, completed=done)), bar.stop


def timed(
    program: Program, model: Model, runs: int, workers: int, seed: int = 1, label: str = ""
) -> dict[str, object]:
    step, stop = _progress(f"{label} ({workers} worker{'s' if workers > 1 else ''})", runs)
    load = _load()
    c0 = _cpu()
    t = time.perf_counter()
    try:
        counts = run_chunks(program, model, runs, seed, workers=workers, progress=step)
    finally:
        stop()
    dt = time.perf_counter() - t
    cpu = _cpu() - c0
    return {
        "runs": runs,
        "workers": workers,
        "seconds": round(dt, 3),
        "cpu_seconds": round(cpu, 3),
        "matches": counts.matches,
        "matches_per_s": round(counts.matches / dt),
        "matches_per_cpu_s": round(counts.matches / cpu) if cpu else None,
        "core_fallbacks": counts.fallbacks,
        "core_runs": counts.core_runs,
        "load_before": load,
        "load_after": _load(),
    }


def workload(
    name: str,
    state: Season,
    pyramid: Pyramid | None,
    runs: int,
    ref_runs: int,
    burst: int | None,
    rounds: int = 5,
    ref_rounds: int | None = None,
    scaling_only: bool = False,
) -> dict[str, object]:
    """Full runs at 1 and 2 workers; then ``rounds`` alternating bursts of the simulator, the raw
    Poisson generator and the plain loop on the same machine, best of each (the machine is
    shared: the best burst is the least disturbed one). ``burst`` None: one chunk, the runs a
    forecast plays at once. ``scaling_only``: the full runs alone (1 and 2 workers)."""
    t = time.perf_counter()
    program = compile_season(state, pyramid)
    model = Model.from_ratings(rate(state), program.names)
    prep = time.perf_counter() - t
    one = timed(program, model, runs, 1, label=name)
    two = timed(program, model, runs, 2, label=name)
    scaling = round(
        float(two["matches_per_s"]) / float(one["matches_per_s"]),  # type: ignore[arg-type]
        2,
    )
    # the full run at one worker against the raw Poisson rate, both per CPU second (the
    # process's own time: a measure the queue for a core on a shared machine does not skew)
    full_raw = raw_poisson(int(one["matches"]), seed=99, clock=time.process_time)  # type: ignore[call-overload]
    full_ratio = round(float(one["matches_per_cpu_s"]) / full_raw, 3)  # type: ignore[arg-type]
    if scaling_only:
        out0: dict[str, object] = {
            "workload": name,
            "chunk_runs": chunk_size(program),
            "one_worker": one,
            "two_workers": two,
            "scaling_1_to_2": scaling,
            "full_run_cpu_ratio_to_poisson": full_ratio,
        }
        print(json.dumps(out0), flush=True)
        return out0
    burst = burst or chunk_size(program)
    per_run = float(one["matches"]) / runs  # type: ignore[arg-type]
    best_sim = best_raw = best_loop = 0.0
    for i in range(rounds):
        b = timed(program, model, burst, 1, seed=100 + i)
        best_sim = max(best_sim, float(b["matches_per_s"]))  # type: ignore[arg-type]
        best_raw = max(best_raw, raw_poisson(int(per_run * burst), seed=i))
        if ref_runs and i < (rounds if ref_rounds is None else ref_rounds):
            t = time.perf_counter()
            ref = run_reference(state, pyramid, program, model, ref_runs, 100 + i)
            best_loop = max(best_loop, ref.matches / (time.perf_counter() - t))
    out: dict[str, object] = {
        "workload": name,
        "compile_and_rate_s": round(prep, 2),
        "one_worker": one,
        "two_workers": two,
        "scaling_1_to_2": scaling,
        "chunk_runs": chunk_size(program),
        "numpy_poisson_matches_per_cpu_s": round(full_raw),
        "full_run_cpu_ratio_to_poisson": full_ratio,
        "burst_runs": burst,
        "best_burst_matches_per_s": round(best_sim),
        "numpy_poisson_matches_per_s": round(best_raw),
        "ratio_to_poisson": round(best_sim / best_raw, 3),
    }
    if ref_runs:
        out["plain_loop"] = {"runs_per_burst": ref_runs, "best_matches_per_s": round(best_loop)}
        out["speedup_over_loop"] = round(best_sim / best_loop, 1)
    print(json.dumps(out), flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="Small run counts (a smoke test).")
    ap.add_argument("--pyramid-runs", type=int, default=1_000)
    ap.add_argument("--only", default="national,regional,pyramid", help="Workloads to run.")
    ap.add_argument("--pyramid-clubs", type=int, default=20_000)
    ap.add_argument(
        "--pyramid-loop-runs", type=int, default=1, help="Plain-loop runs of the pyramid (0: none)."
    )
    ap.add_argument(
        "--scaling-only",
        action="store_true",
        help="Only the full runs at 1 and 2 workers (the scaling), no bursts or plain loop.",
    )
    args = ap.parse_args()
    q = args.quick
    only = set(args.only.split(","))
    season = find_season("2011")
    results = []
    if "national" in only:
        state, pyr = prepare(season, "National Stage/Round of 16")
        results.append(
            workload(
                "2011 national stage from the round of 16",
                state,
                pyr,
                2_000 if q else 100_000,
                10 if q else 60,
                1_000 if q else 10_000,
                scaling_only=args.scaling_only,
            )
        )
    if "regional" in only:
        state, pyr = prepare(season, "Region I/First stage")
        results.append(
            workload(
                "2011 from the start of the regional stage",
                state,
                pyr,
                500 if q else 10_000,
                5 if q else 30,
                250 if q else 2_000,
                scaling_only=args.scaling_only,
            )
        )
    if "pyramid" in only:
        clubs = 1_000 if q else args.pyramid_clubs
        t = time.perf_counter()
        gen, pyramid = new_season(load_pyramid_format("2011"), synthetic_clubs(clubs, 1), 1)
        made = time.perf_counter() - t
        res = workload(
            f"generated {clubs:,}-club pyramid from its district stage",
            gen,
            pyramid,
            4 if q else args.pyramid_runs,
            args.pyramid_loop_runs,
            4 if q else None,
            rounds=2,
            ref_rounds=1,
            scaling_only=args.scaling_only,
        )
        res["new_season_s"] = round(made, 2)
        results.append(res)
    print(
        json.dumps(
            {
                "bench": "forecast",
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "load_average_end": _load(),
                "workloads": results,
                "goals": {"ratio_to_poisson": 0.25, "speedup_over_loop": 50},
            }
        )
    )


if __name__ == "__main__":
    main()
