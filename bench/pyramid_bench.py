"""Benchmark: whole Copa Perú pyramids of 1,000 to 100,000 clubs, built and resolved.

For each size, in a fresh child process (so its peak memory is its own):

* **build**: synthetic clubs (``copa.core.synthetic``), every stage of the 2019
  format (``new_season``) and the season played out from the district leagues
  to the Finalísima (``play_out``: results, draws, shoot-outs, deciders, lots);
* **resolve (full)**: :func:`copa.core.resolve.resolve` of the finished season,
  every table, tie, qualifier and place, best of three;
* **after one result (incremental)**: one district-league result changes (a new
  season sharing every other object) and the season is resolved again with the
  :class:`~copa.core.resolve.ResolveCache` of the previous resolution; median of
  five different changes;
* **peer**: copa's own full recomputation of that same changed season (no
  cache), timed in the same run. The ratio ``full / incremental`` says what the
  cache saves.

Scaling: the full resolution's cost per club at each size divided by its cost
per club at the smallest size (1.0 = exactly linear). Peak memory is the child
process's maximum resident set (``resource.getrusage``), which includes the
interpreter (~30 MB).

Run: ``.venv/bin/python bench/pyramid_bench.py [--sizes 1000 10000 20000 100000]
[--seed S] [--quick]``. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import statistics
import sys
import time
from dataclasses import replace
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from copa.core.match import Score
from copa.core.pyramid import new_season
from copa.core.resolve import ResolveCache, resolve
from copa.core.season import Season
from copa.core.simulate import play_out
from copa.core.synthetic import synthetic_clubs
from copa.spec.pyramid_format import load_pyramid_format

LIMIT_20K = 10.0  # seconds: a 20,000-club season must resolve in less


def one_changed(season: Season, which: int) -> Season:
    """``season`` with the ``which``-th district league's first result changed (+1 home goal)."""
    leagues = [
        (i, s) for i, s in enumerate(season.stages) if s.kind == "district" and s.rounds[0].groups
    ]
    si, stage = leagues[(which * 7919) % len(leagues)]
    rnd = stage.rounds[0]
    g = rnd.groups[0]
    m = g.matches[0]
    assert m.score is not None
    g2 = replace(
        g, matches=(replace(m, score=Score(m.score.home + 1, m.score.away)), *g.matches[1:])
    )
    stage2 = replace(stage, rounds=(replace(rnd, groups=(g2, *rnd.groups[1:])), *stage.rounds[1:]))
    return replace(season, stages=(*season.stages[:si], stage2, *season.stages[si + 1 :]))


def measure(n: int, seed: int) -> dict[str, Any]:
    t0 = time.perf_counter()
    fmt = load_pyramid_format("2019")
    season, pyramid = new_season(fmt, synthetic_clubs(n, seed), seed)
    cache = ResolveCache()
    season = play_out(season, pyramid, cache)
    build = time.perf_counter() - t0
    del cache
    fulls = []
    for _ in range(3):
        t = time.perf_counter()
        result = resolve(season)
        fulls.append(time.perf_counter() - t)
    assert result.champion is not None and not result.issues
    matches = sum(1 for _ in result.matches())
    cache = ResolveCache()
    resolve(season, cache)
    incs, peers, misses = [], [], []
    current = season
    for k in range(5):
        changed = one_changed(current, k)
        cache.hits = cache.misses = 0
        t = time.perf_counter()
        inc = resolve(changed, cache)
        incs.append(time.perf_counter() - t)
        misses.append(cache.misses)
        t = time.perf_counter()
        full = resolve(changed)
        peers.append(time.perf_counter() - t)
        assert inc == full  # the cache gives exactly the full result
        current = changed
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "clubs": n,
        "stages": len(season.stages),
        "matches": matches,
        "build_s": round(build, 3),
        "resolve_full_s": round(min(fulls), 4),
        "incremental_s": round(statistics.median(incs), 5),
        "peer_full_recompute_s": round(statistics.median(peers), 4),
        "rounds_recomputed": max(misses),
        "full_over_incremental": round(statistics.median(peers) / statistics.median(incs), 1),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "champion": result.champion,
    }


def _child(n: int, seed: int, out: Any) -> None:
    out.send(measure(n, seed))
    out.close()


def run_sized(n: int, seed: int) -> dict[str, Any]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    p = ctx.Process(target=_child, args=(n, seed, child))
    p.start()
    child.close()
    got: dict[str, Any] = parent.recv()
    p.join()
    return got


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 20000, 100000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="1,000 and 5,000 clubs only")
    args = ap.parse_args()
    sizes = [1000, 5000] if args.quick else sorted(args.sizes)
    console = Console(stderr=True)
    rows = []
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} sizes"),
        TimeElapsedColumn(),
        console=console,
    ) as bars:
        task = bars.add_task("pyramids", total=len(sizes))
        for n in sizes:
            bars.update(task, description=f"{n:,} clubs: build, resolve, one result")
            rows.append(run_sized(n, args.seed))
            bars.advance(task)
    base = rows[0]
    per_club0 = base["resolve_full_s"] / base["clubs"]
    for r in rows:
        r["per_club_cost_ratio"] = round((r["resolve_full_s"] / r["clubs"]) / per_club0, 2)
    t = Table(title="copa pyramid benchmark (2019 format, one core)")
    for col in (
        "clubs",
        "stages",
        "matches",
        "build s",
        "resolve s",
        "per-club ×",
        "after 1 result s",
        "full recompute s",
        "full/incr",
        "peak MB",
    ):
        t.add_column(col, justify="right")
    for r in rows:
        t.add_row(
            f"{r['clubs']:,}",
            f"{r['stages']:,}",
            f"{r['matches']:,}",
            f"{r['build_s']:.2f}",
            f"{r['resolve_full_s']:.3f}",
            f"{r['per_club_cost_ratio']:.2f}",
            f"{r['incremental_s']:.5f}",
            f"{r['peer_full_recompute_s']:.3f}",
            f"{r['full_over_incremental']:.0f}",
            f"{r['peak_rss_mb']:.0f}",
        )
    Console(width=150).print(t)
    at20 = next((r for r in rows if r["clubs"] == 20000), None)
    summary = {
        "benchmark": "pyramid",
        "ours": "copa incremental resolve (ResolveCache) after one new result",
        "peer": "copa full recomputation of the same season (resolve without a cache)",
        "sizes": rows,
        "ratio_full_over_incremental": {str(r["clubs"]): r["full_over_incremental"] for r in rows},
        "scaling_per_club_cost_ratio": {str(r["clubs"]): r["per_club_cost_ratio"] for r in rows},
        "resolve_20000_s": at20["resolve_full_s"] if at20 else None,
        "resolve_20000_under_10s": (at20["resolve_full_s"] < LIMIT_20K) if at20 else None,
        "python": sys.version.split()[0],
    }
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
