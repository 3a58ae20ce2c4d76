"""Benchmark: the statuses of a season in progress (issue 7 §1, §5).

A synthetic 20,000-club season of the 2019 format is generated and played out
(``copa generate``), then every group stage is made half played: in every
group the second half of its fixtures (in fixture order, i.e. the later
matchdays of the circle method) becomes scheduled again. On that season:

* **statuses, whole season**: :func:`copa.core.resolve.resolve` — every table,
  and for every club of every group in progress its proved best and worst
  place and qualified/out/open status — best of three; next to it the same
  resolution of the finished season (statuses of complete groups cost nothing
  extra), so the ratio says what the proof costs;
* **exact enumeration by limit**: the proof of every group in progress
  (:func:`copa.core.progress.positions`) with the exact enumeration allowed up
  to ``limit`` remaining fixtures among a club's rivals, for growing limits
  (0 is the bound alone); with the count of groups the limit makes exact;
* **copa show**: the command on the same half-played file, as a user runs it
  (a fresh process: start-up, loading, resolution and drawing), timed in the
  same run;
* **copa result**: one result entered into that file, from the command to the
  written file (a fresh process: loading, the checks, the in-place edit, the
  history entry and the safe write), right after ``copa show``.

Run: ``.venv/bin/python bench/progress_bench.py [--clubs 20000] [--seed S]
[--limits 0 4 8 12] [--season FINISHED.yaml]`` (``--season``: start from a
season ``copa generate`` already wrote instead of generating one). The last
line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from rich.console import Console

from copa.cli.pyramid import generate
from copa.core.match import Match, MatchStatus
from copa.core.progress import positions
from copa.core.record import tally
from copa.core.resolve import resolve
from copa.core.season import Season
from copa.spec.pyramid_file import load_pyramid_season
from copa.spec.season_writer import write_season


def half_played(season: Season) -> tuple[Season, int, int]:
    """Every group's later half of fixtures scheduled again; (season, groups, fixtures left)."""
    stages = []
    groups_n = left_n = 0
    for stage in season.stages:
        rounds = []
        for rnd in stage.rounds:
            groups = []
            for g in rnd.groups:
                keep = len(g.matches) // 2
                ms = tuple(
                    m if i < keep else Match(m.home, m.away, status=MatchStatus.SCHEDULED)
                    for i, m in enumerate(g.matches)
                )
                groups_n += 1
                left_n += len(ms) - keep
                groups.append(replace(g, matches=ms, deciders=(), lots=()))
            rounds.append(replace(rnd, groups=tuple(groups)))
        stages.append(replace(stage, rounds=tuple(rounds)))
    return replace(season, stages=tuple(stages)), groups_n, left_n


def best_of(n: int, fn: Any) -> float:
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clubs", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--limits", type=int, nargs="*", default=[0, 2, 4, 6, 8, 10, 12])
    ap.add_argument(
        "--season", type=Path, help="A finished generated season to start from (no generate)."
    )
    args = ap.parse_args()
    err = Console(stderr=True)
    with tempfile.TemporaryDirectory() as tmp:
        full_path = Path(tmp) / "full.yaml"
        half_path = Path(tmp) / "half.yaml"
        if args.season is not None:
            full_path.write_bytes(args.season.read_bytes())
        else:
            err.print(f"generating a {args.clubs:,}-club season ...")
            text, _ = generate("2019", args.clubs, args.seed, lambda what, done, total: None)
            full_path.write_text(text, encoding="utf-8")
        ps = load_pyramid_season(full_path)
        full = ps.season
        half, n_groups, n_left = half_played(full)
        half_path.write_text(
            write_season(half, pyramid=ps.pyramid, format_data=ps.format_data), encoding="utf-8"
        )
        half = load_pyramid_season(half_path).season
        err.print(f"{n_groups:,} groups, {n_left:,} fixtures scheduled again")

        t_full = best_of(3, lambda: resolve(full))
        t_half = best_of(3, lambda: resolve(half))
        result = resolve(half)
        in_progress = [g for g in result.group_results() if not g.complete]
        statuses = [o.status.value for g in in_progress for o in g.outlook]
        counts = {s: statuses.count(s) for s in ("qualified", "out", "open")}
        err.print(f"resolve: finished {t_full:.2f} s, half played {t_half:.2f} s; {counts}")

        problems = []
        for g in in_progress:
            grp = g.group
            adjust: dict[str, int] = {}
            for a in grp.adjustments:
                adjust[a.club] = adjust.get(a.club, 0) + a.points
            recs = tally(grp.clubs, grp.matches, grp.rules.scheme, adjust)
            left = [(m.home, m.away) for m in g.remaining]
            problems.append((grp, recs, left))
        by_limit: list[dict[str, Any]] = []
        for limit in args.limits:
            exact_groups = 0
            t = time.perf_counter()
            decided = 0
            for grp, recs, left in problems:
                pos = positions(grp.clubs, recs, left, grp.rules.scheme, grp.rules.chain, limit)
                decided += sum(1 for b, w in pos.values() if b == w)
                k = len(left)
                if all(k - sum(1 for m in left if c in m) <= limit for c in grp.clubs):
                    exact_groups += 1
            secs = time.perf_counter() - t
            by_limit.append(
                {
                    "limit": limit,
                    "seconds": round(secs, 3),
                    "groups_exact": exact_groups,
                    "places_fixed": decided,
                }
            )
            err.print(
                f"limit {limit:>2}: {secs:7.3f} s, {exact_groups:,} of {len(problems):,} "
                f"groups exact, {decided:,} places fixed"
            )

        t = time.perf_counter()
        show = subprocess.run(
            [sys.executable, "-m", "copa.cli", "show", str(half_path)],
            capture_output=True,
            text=True,
        )
        t_show = time.perf_counter() - t
        assert show.returncode == 0, show.stderr
        assert "in progress:" in show.stdout
        err.print(f"copa show (half played): {t_show:.2f} s")

        # one copa result on the same file, from command to written file
        fixture = next(mm for g in in_progress for mm in g.remaining)
        before = half_path.read_bytes()
        t = time.perf_counter()
        entered = subprocess.run(
            [
                sys.executable,
                "-m",
                "copa.cli",
                "result",
                str(half_path),
                f"{fixture.home} 2-1 {fixture.away}",
                "--by",
                "bench",
            ],
            capture_output=True,
            text=True,
        )
        t_result = time.perf_counter() - t
        assert entered.returncode == 0, entered.stderr
        after = half_path.read_bytes()
        assert after != before and b'by: "bench"' in after
        err.print(f"copa result (same file): {t_result:.2f} s")
    print(
        json.dumps(
            {
                "clubs": len(full.clubs),
                "groups": n_groups,
                "groups_in_progress": len(in_progress),
                "fixtures_left": n_left,
                "resolve_finished_s": round(t_full, 3),
                "resolve_half_played_s": round(t_half, 3),
                "proof_overhead_ratio": round(t_half / t_full, 2),
                "statuses": counts,
                "by_limit": by_limit,
                "copa_show_s": round(t_show, 2),
                "show_over_statuses_ratio": round(t_show / t_half, 2),
                "copa_result_s": round(t_result, 2),
                "result_over_show_ratio": round(t_result / t_show, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
