"""Benchmark: :func:`copa.core.resolve.resolve` on big seasons, before and after.

Each season file is loaded in-process (:func:`copa.spec.seasons.find_season`)
and resolved with the cyclic collector paused as the CLI does
(:func:`copa.spec.seasons.paused_gc`); the figure is CPU seconds
(``time.process_time``), the best of ``--repeat`` runs. With ``--before REV``
the same is measured in a second process on the source of git revision
``REV`` (``git archive`` into a temporary folder, put first on
``PYTHONPATH``), the two taking turns run by run (the load of a shared
machine drifts; turns keep it the same for both), and the ratio after/before
is given per file.

Run: ``.venv/bin/python bench/resolve_bench.py FILE ... [--before main] [--repeat 5]``,
e.g. on a season ``copa generate --clubs 20000`` wrote and the same half played
(bench/resolve_golden.py ``keep_some``). The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from copa.core.resolve import resolve
from copa.core.season import Season
from copa.spec.seasons import find_season, paused_gc


def once(season: Season) -> float:
    """CPU seconds of one resolution, the collector paused."""
    with paused_gc():
        t = time.process_time()
        resolve(season)
        return time.process_time() - t


def serve(files: list[str]) -> None:
    """The other revision's side: load the files, then time file ``i`` on each line ``i``."""
    seasons = [find_season(f) for f in files]
    print("ready", flush=True)
    for line in sys.stdin:
        print(once(seasons[int(line)]), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--before", help="A git revision to measure too (e.g. main).")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.files)
        return
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as tmp:
        other = None
        if args.before:
            tar = subprocess.run(
                ["git", "archive", args.before, "src"], cwd=root, check=True, capture_output=True
            ).stdout
            with tarfile.open(fileobj=BytesIO(tar)) as t:
                t.extractall(tmp, filter="data")
            env = dict(os.environ, PYTHONPATH=str(Path(tmp) / "src"))
            cmd = [sys.executable, __file__, "--serve", *args.files]
            other = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        seasons = [find_season(f) for f in args.files]
        if other is not None:
            assert other.stdout is not None and other.stdin is not None
            other.stdout.readline()  # ready
        after: dict[str, float] = {}
        before: dict[str, float] = {}
        for i, f in enumerate(args.files):
            name = Path(f).name
            for _ in range(args.repeat):
                after[name] = min(once(seasons[i]), after.get(name, float("inf")))
                if other is not None:
                    other.stdin.write(f"{i}\n".encode())  # type: ignore[union-attr]
                    other.stdin.flush()  # type: ignore[union-attr]
                    got = float(other.stdout.readline())  # type: ignore[union-attr]
                    before[name] = min(got, before.get(name, float("inf")))
            shown = f" (at {args.before}: {before[name]:.3f} s)" if other else ""
            print(f"{name}: {after[name]:.3f} s{shown}", file=sys.stderr)
        report: dict[str, object] = {"after": {k: round(v, 3) for k, v in after.items()}}
        if other is not None:
            other.stdin.close()  # type: ignore[union-attr]
            other.wait()
            report["before"] = {k: round(v, 3) for k, v in before.items()}
            report["ratio"] = {k: round(after[k] / before[k], 3) for k in after}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
