"""Time of one ``copa result`` from command to written file, next to ``copa show``.

    python bench/result_bench.py [--clubs 20000] [--repeat 3]

The season: ``copa new-season 2019`` on generated clubs (every district league
drawn), then the first half of every group's fixtures played (simulated), so
the group stages are half played. Each repetition times, in alternating
order, ``copa show FILE`` and ``copa result FILE "Home 2-1 Away"`` on a fresh
copy (a different scheduled fixture each time), both as whole processes. The
result run includes reading, checking, the in-place edit, the history entry
and the safe write (fsync, rename). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

COPA = [sys.executable, "-c", "from copa.cli import main; main()"]


def build(folder: Path, clubs: int, seed: int) -> tuple[Path, list[tuple[str, str]]]:
    import random

    from copa.core.match import MatchStatus, Score
    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv
    from copa.spec.pyramid_file import load_pyramid_season, write_pyramid_season

    csv = folder / "clubs.csv"
    csv.write_text(clubs_csv(synthetic_clubs(clubs, seed)), encoding="utf-8")
    path = folder / "season.yaml"
    r = subprocess.run(
        [*COPA, "new-season", "2019", str(csv), "-o", str(path), "--seed", str(seed)],
        capture_output=True,
        text=True,
    )
    if r.returncode:
        raise SystemExit(r.stderr)
    ps = load_pyramid_season(path)
    rng = random.Random(seed)
    todo: list[tuple[str, str]] = []
    stages = []
    for st in ps.season.stages:
        rounds = []
        for rnd in st.rounds:
            groups = []
            for g in rnd.groups:
                half = len(g.matches) // 2
                ms = [
                    replace(
                        m,
                        score=Score(rng.randint(0, 3), rng.randint(0, 3)),
                        status=MatchStatus.PLAYED,
                        simulated=True,
                    )
                    if i < half
                    else m
                    for i, m in enumerate(g.matches)
                ]
                todo += [(m.home, m.away) for m in g.matches[half:]][:1]
                groups.append(replace(g, matches=tuple(ms)))
            rounds.append(replace(rnd, groups=tuple(groups)))
        stages.append(replace(st, rounds=tuple(rounds)))
    season = replace(ps.season, stages=tuple(stages))
    path.write_text(write_pyramid_season(season, ps.pyramid, ps.format_data), encoding="utf-8")
    return path, todo


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if r.returncode:
        raise SystemExit(f"{' '.join(cmd[3:])}: {r.stderr.strip()}")
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clubs", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        path, todo = build(folder, a.clubs, a.seed)
        size = path.stat().st_size
        print(
            f"season: {a.clubs} clubs, {size / 1e6:.1f} MB, built in "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        show: list[float] = []
        result: list[float] = []
        for k in range(a.repeat):
            copy = folder / f"copy{k}.yaml"
            shutil.copyfile(path, copy)
            home, away = todo[k]
            runs = [
                ("show", [*COPA, "show", str(copy)]),
                ("result", [*COPA, "result", str(copy), f"{home} 2-1 {away}", "--by", "bench"]),
            ]
            if k % 2:
                runs.reverse()
            for name, cmd in runs:
                took = timed(cmd)
                (show if name == "show" else result).append(took)
                print(f"{name}: {took:.2f} s", file=sys.stderr)
            assert f"{home} 2-1 {away}" in copy.read_text(encoding="utf-8")
    s, r = statistics.median(show), statistics.median(result)
    print(
        json.dumps(
            {
                "clubs": a.clubs,
                "file_mb": round(size / 1e6, 1),
                "repeat": a.repeat,
                "show_s": round(s, 2),
                "result_s": round(r, 2),
                "result_over_show": round(r / s, 2),
                "show_runs": [round(x, 2) for x in show],
                "result_runs": [round(x, 2) for x in result],
            }
        )
    )


if __name__ == "__main__":
    main()
