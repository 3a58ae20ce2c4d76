"""Loading a big season: ``copa show`` against ``json.load`` of the same data, and startup.

For each size (default 20,000 clubs) the benchmark generates a season file
with ``copa generate`` (kept in ``--workdir`` for later runs), writes a JSON
copy of the same data, then times in the same run, alternating:

* ``python -c "import json; json.load(open(F))"`` on the JSON copy (the limit);
* ``copa show F`` with the cache off (``COPA_CACHE=0``: read, build, resolve), the
  way a file edited by hand is read;
* the same with the fast readers off too (``COPA_QUICKREAD=0``: libyaml's
  composer and the full match-line path), the cold path before them;
* ``copa show F`` as copa leaves the file: ``copa generate`` (and every copa command
  that writes a season file) stores the resolved season in copa's cache under the
  text it wrote, so the next command reads no YAML: **the main figure**, what a user
  sees. The cold figure is what the first command after a hand edit pays;
* ``copa --help`` and ``copa show 2011``, and the same with ``--baseline``
  (the python of another copa checkout, e.g. one made before this change).

Each ``copa`` is the command a user runs, the script installed beside the python
(``python -m copa.cli`` skips the launcher's paused collector).
Times are CPU seconds (user + system) of the child process, the median of
``--repeat`` runs: the machine is shared, and wall time there measures the
neighbours. Wall medians and each child's peak memory (MB) are reported too.
The children run with Python's bytecode cache on, as a user's Python has it
(``PYTHONDONTWRITEBYTECODE`` is dropped: this machine sets it, which made every run
compile copa's modules again), after one untimed run of each. The last line is
one JSON object.

    python bench/load_bench.py [--clubs 20000 --clubs 100000] [--baseline /old/.venv/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def command(python: str) -> list[str]:
    """The ``copa`` command a user runs (the script installed beside ``python``), else
    ``python -m copa.cli``."""
    script = Path(python).parent / "copa"
    return [str(script)] if script.is_file() else [python, "-m", "copa.cli"]


def run(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """CPU seconds (user + system), wall seconds and peak memory (MB) of one child run."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        if child.returncode:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed: {err.read().decode()[-500:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def measure(cases: dict[str, tuple[list[str], dict[str, str]]], repeat: int) -> dict[str, dict]:
    cpu: dict[str, list[float]] = {k: [] for k in cases}
    wall: dict[str, list[float]] = {k: [] for k in cases}
    mem: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(repeat):
        for name, (cmd, env) in cases.items():  # alternating: neighbours hit every case alike
            c, w, m = run(cmd, env)
            cpu[name].append(c)
            wall[name].append(w)
            mem[name].append(m)
    return {
        k: {
            "cpu": round(statistics.median(cpu[k]), 3),
            "wall": round(statistics.median(wall[k]), 3),
            "mb": round(max(mem[k])),
        }
        for k in cases
    }


def season_files(clubs: int, workdir: Path, env: dict[str, str]) -> tuple[Path, Path]:
    yaml_file = workdir / f"season-{clubs}.yaml"
    json_file = workdir / f"season-{clubs}.json"
    if not yaml_file.exists():
        print(f"generating {clubs} clubs ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, "-m", "copa.cli", "generate", "--clubs", str(clubs), "-o",
             str(yaml_file), "--quiet"],
            check=True, env=env, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    if not json_file.exists():
        from copa.spec import yamlkit

        data = yamlkit.load(yaml_file.read_text(encoding="utf-8"))
        json_file.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return yaml_file, json_file


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clubs", type=int, action="append", help="season sizes (default 20000)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "copa-load-bench")
    ap.add_argument("--baseline", help="python of another copa checkout, for startup figures")
    args = ap.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    cache_dir = args.workdir / "cache"
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cold = {**base_env, "COPA_CACHE": "0"}
    before = {**cold, "COPA_QUICKREAD": "0"}
    warm = {**base_env, "COPA_CACHE_DIR": str(cache_dir)}
    py, copa = sys.executable, command(sys.executable)
    out: dict = {"repeat": args.repeat, "unit": "CPU seconds, median", "sizes": {}}
    for clubs in args.clubs or [20000]:
        yaml_file, json_file = season_files(clubs, args.workdir, base_env)
        run([*copa, "show", str(yaml_file)], warm)  # the entry copa generate would leave
        run([*copa, "show", str(yaml_file)], cold)  # bytecode compiled, files in the page cache
        figures = measure(
            {
                "json_load": (
                    [py, "-c", f"import json; json.load(open({str(json_file)!r}))"],
                    base_env,
                ),
                "show_cold": ([*copa, "show", str(yaml_file)], cold),
                "show_cold_full_path": ([*copa, "show", str(yaml_file)], before),
                "show_warm": ([*copa, "show", str(yaml_file)], warm),
            },
            args.repeat,
        )
        limit = figures["json_load"]["cpu"]
        figures["ratio_warm"] = round(figures["show_warm"]["cpu"] / limit, 2)
        figures["ratio_cold"] = round(figures["show_cold"]["cpu"] / limit, 2)
        figures["ratio_cold_full_path"] = round(figures["show_cold_full_path"]["cpu"] / limit, 2)
        figures["yaml_mb"] = round(yaml_file.stat().st_size / 1e6, 1)
        out["sizes"][str(clubs)] = figures
        print(f"{clubs} clubs: {figures}", file=sys.stderr, flush=True)
    startup = {
        "help": ([*copa, "--help"], warm),
        "show_2011": ([*copa, "show", "2011"], warm),
    }
    if args.baseline:
        startup["baseline_help"] = ([*command(args.baseline), "--help"], base_env)
        startup["baseline_show_2011"] = ([*command(args.baseline), "show", "2011"], base_env)
    run([*copa, "show", "2011"], warm)
    start = measure(startup, args.repeat)
    if args.baseline:
        for k in ("help", "show_2011"):
            start[f"{k}_vs_baseline"] = round(start[k]["cpu"] / start[f"baseline_{k}"]["cpu"], 2)
    out["startup"] = start
    first = out["sizes"][str((args.clubs or [20000])[0])]
    out["ratio"] = first["ratio_warm"]
    out["ratio_cold"] = first["ratio_cold"]
    print(json.dumps(out))
    return out


if __name__ == "__main__":
    main()
