"""Time of one ``copa result`` from command to written file, next to ``copa show``
and ``json.load`` of a JSON copy of the same season.

    python bench/result_bench.py [--clubs 20000] [--repeat 3]

The season: ``copa new-season 2019`` on generated clubs (every district league
drawn), then the first half of every group's fixtures played (simulated), so
the group stages are half played. Each repetition times, in alternating
order, ``copa show FILE`` and ``copa result FILE "Home 2-1 Away"`` on a fresh
copy (a different scheduled fixture each time), both as whole processes, and
``python -c "import json; json.load(open(F))"`` on a JSON copy of the season
file (the limit, as in ``bench/load_bench.py``). The result run includes
reading, checking, the in-place edit, the history entry and the safe write
(fsync, rename).

Results are entered one after another while a season is played, so each
repetition enters two, with copa's cache as a user has it (a folder of the run):
the **first** reads the file cold (nothing cached for its text: as after a hand
edit) and stores the season; the **next** starts from that entry and the moves
the first made (copa.io.season_edit): the main figure. ``copa show`` runs cold
(``COPA_CACHE=0``). Figures are CPU seconds (user + system) of each child,
median of ``--repeat``; wall seconds too. Bytecode is cached, as in a user's
Python (``PYTHONDONTWRITEBYTECODE`` dropped). The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from load_bench import command  # this folder: the copa script a user runs

COPA = command(sys.executable)


def build(folder: Path, clubs: int, seed: int) -> tuple[Path, list[tuple[str, str]]]:
    import random

    from copa.core.match import MatchStatus, Score
    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv
    from copa.spec.pyramid_file import load_pyramid_season
    from copa.spec.season_writer import write_season

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
    text = write_season(season, pyramid=ps.pyramid, format_data=ps.format_data)
    path.write_text(text, encoding="utf-8")
    return path, todo


def built(
    workdir: Path | None, folder: Path, clubs: int, seed: int
) -> tuple[Path, list[tuple[str, str]]]:
    """The half-played season (and its fixtures to enter), from ``workdir`` if built before."""
    if workdir is None:
        return build(folder, clubs, seed)
    keep = workdir / f"half-{clubs}-{seed}"
    if not (keep / "todo.json").exists():
        keep.mkdir(parents=True, exist_ok=True)
        path, todo = build(keep, clubs, seed)
        (keep / "todo.json").write_text(json.dumps(todo), encoding="utf-8")
    shutil.copyfile(keep / "season.yaml", folder / "season.yaml")
    todo = [tuple(p) for p in json.loads((keep / "todo.json").read_text(encoding="utf-8"))]
    return folder / "season.yaml", todo  # type: ignore[return-value]


def json_copy(path: Path) -> Path:
    from copa.spec import yamlkit

    out = path.with_suffix(".json")
    data = yamlkit.load(path.read_text(encoding="utf-8"))
    out.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clubs", type=int, default=20000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", type=Path, help="keep the built season here for later runs")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        path, todo = built(a.workdir, folder, a.clubs, a.seed)
        size = path.stat().st_size
        print(
            f"season: {a.clubs} clubs, {size / 1e6:.1f} MB, built in "
            f"{time.perf_counter() - t0:.0f} s",
            file=sys.stderr,
        )
        from load_bench import run  # bench/ is the script's folder

        js = json_copy(path)
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env = {**base, "COPA_CACHE": "0"}
        cpu: dict[str, list[float]] = {"json_load": [], "show": [], "first": [], "result": []}
        wall: dict[str, list[float]] = {k: [] for k in cpu}
        run([*COPA, "show", str(path)], env)  # bytecode compiled, the file in the page cache
        for k in range(a.repeat):
            copy = folder / f"copy{k}.yaml"
            shutil.copyfile(path, copy)
            (h1, a1), (home, away) = todo[2 * k], todo[2 * k + 1]
            users = {**base, "COPA_CACHE": "1", "COPA_CACHE_DIR": str(folder / f"cache{k}")}
            runs = [
                ("json_load", [sys.executable, "-c", f"import json; json.load(open({str(js)!r}))"]),
                ("show", [*COPA, "show", str(copy)]),
            ]
            if k % 2:
                runs.reverse()
            runs += [
                ("first", [*COPA, "result", str(copy), f"{h1} 1-1 {a1}", "--by", "bench"]),
                ("result", [*COPA, "result", str(copy), f"{home} 2-1 {away}", "--by", "bench"]),
            ]
            for name, cmd in runs:
                c, w, _ = run(cmd, users if name in ("first", "result") else env)
                cpu[name].append(c)
                wall[name].append(w)
                print(f"{name}: {c:.2f} CPU s, {w:.2f} s", file=sys.stderr)
            written = copy.read_text(encoding="utf-8")
            assert f"{h1} 1-1 {a1}" in written and f"{home} 2-1 {away}" in written
    med = {k: statistics.median(v) for k, v in cpu.items()}
    print(
        json.dumps(
            {
                "clubs": a.clubs,
                "file_mb": round(size / 1e6, 1),
                "repeat": a.repeat,
                "unit": "CPU seconds, median",
                "json_load_cpu": round(med["json_load"], 3),
                "show_cpu": round(med["show"], 2),
                "result_cpu": round(med["result"], 2),
                "first_result_cpu": round(med["first"], 2),
                "first_result_over_json": round(med["first"] / med["json_load"], 1),
                "show_over_json": round(med["show"] / med["json_load"], 1),
                "result_over_json": round(med["result"] / med["json_load"], 1),
                "result_over_show": round(med["result"] / med["show"], 2),
                "wall": {k: round(statistics.median(v), 2) for k, v in wall.items()},
                "ratio": round(med["result"] / med["json_load"], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
