"""A small fixed sample of bench/writers_bench.py (the full run: 50 rounds, 50 kills each).

Real processes on real files: two writers at once (play and play, play and
advance, play and result, result and result) never lose an update, and
kill -9 of a writing command never leaves a torn file or, after the next run,
a temp file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "writers_bench.py"


def test_concurrent_writers_and_kill_9_sample() -> None:
    r = subprocess.run(
        [sys.executable, str(BENCH), "--rounds", "3", "--kills", "1", "--only", "result"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout.strip().splitlines()[-1])
    conc = data["concurrency"]
    assert conc["rounds"] == 3 and conc["landed"] + conc["refused"] == 6
    assert data["lost_updates"] == 0 and conc["bad_refusal"] == 0
    assert conc["landed"] >= 3  # in each round at least one writer lands
    assert data["torn_files"] == 0 and data["temp_files_left"] == 0
    for name in ("result",):
        k = data["kill9"][name]
        assert k["runs"] == 1 and k["old"] + k["new"] == 1
