"""Concurrent writers and kill -9 against the one safe writer (issue 12, "What it must show").

    python bench/writers_bench.py --rounds 50 --kills 50

*Concurrency*: each round starts two writers at once on one season file: a
pair from ``play``, ``advance``, ``result`` and a hand edit (a script that
reads the file, enters a result in one line and saves it, as an editor does).
Every copa writer must exit 0 with its update in the final file, or exit 2
with one line saying the file changed; an update that exited 0 and is missing
is a lost update.

*kill -9*: each writing command is started on a copy of its target and killed
at a random moment; the target must then hold the old bytes or a whole new
file (never torn), and after the next, uninterrupted run no temp file of copa
is left next to it.

The last line printed is one JSON object with the counts.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COPA = [sys.executable, "-c", "from copa.cli import main; main()"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COPA, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def base_season(
    folder: Path, clubs: int = 400, seed: int = 5, department: str | None = None
) -> Path:
    """A 2019-format pyramid as ``new-season`` makes it: every district league drawn, unplayed
    (with ``department``: that department's league alone, a season of a few dozen clubs)."""
    from copa.core.synthetic import synthetic_clubs
    from copa.sources.clubs_csv import clubs_csv

    csv = folder / "clubs.csv"
    csv.write_text(clubs_csv(synthetic_clubs(clubs, seed)), encoding="utf-8")
    season = folder / (f"{department}.yaml" if department else "base.yaml")
    extra = ("--department", department) if department else ()
    for args in (("new-season", "2019", str(csv), "-o", str(season), "--seed", str(seed), *extra),):
        r = run(*args)
        if r.returncode != 0:
            raise SystemExit(f"setting up: copa {' '.join(args)}: {r.stderr.strip()}")
    return season


def scheduled(path: Path) -> list[tuple[str, str]]:
    from copa.core.match import MatchStatus
    from copa.spec.entry import slots
    from copa.spec.pyramid_file import load_pyramid_season

    season = load_pyramid_season(path).season
    return [
        (s.match.home, s.match.away)
        for s in slots(season)
        if s.match.status is MatchStatus.SCHEDULED and s.kind == "match"
    ]


def score_of(path: Path, pair: tuple[str, str]) -> str | None:
    from copa.spec.entry import result_text, slots
    from copa.spec.pyramid_file import load_pyramid_season

    for s in slots(load_pyramid_season(path).season):
        if (s.match.home, s.match.away) == pair and s.kind == "match":
            return result_text(s.match).split(" | ")[0]
    return None


HAND_EDIT = r"""
import os, sys
path, home, away = sys.argv[1:4]
text = open(path, encoding="utf-8").read()
old = f"{home} v {away}"
i = text.find(old)
if i < 0:
    sys.exit(3)  # the fixture is played already (by the other writer): nothing to edit
text = text[:i] + f"{home} 1-0 {away}" + text[i + len(old):]
tmp = path + ".editor~"
open(tmp, "w", encoding="utf-8").write(text)
os.replace(tmp, path)
"""


def writer(kind: str, path: Path, pair: tuple[str, str], seed: int) -> list[str]:
    if kind == "play":
        return [*COPA, "play", str(path), "--in-place", "--quiet", "--seed", str(seed)]
    if kind == "advance":
        return [*COPA, "advance", str(path), "--quiet"]
    if kind == "result":
        return [*COPA, "result", str(path), f"{pair[0]} 2-1 {pair[1]}", "--by", "bench"]
    return [sys.executable, "-c", HAND_EDIT, str(path), *pair]


PAIRS = [
    ("play", "play"),
    ("play", "advance"),
    ("play", "result"),
    ("result", "result"),
    ("advance", "result"),
    ("play", "hand"),
    ("advance", "hand"),
    ("result", "hand"),
]


def concurrency(base: Path, rounds: int, work: Path, rng: random.Random) -> dict[str, int]:
    counts = {
        "rounds": 0,
        "landed": 0,
        "refused": 0,
        "lost": 0,
        "bad_refusal": 0,
        "editor_race": 0,
        "editor_found_it_played": 0,
        "refused_already_played": 0,
    }
    fixtures = scheduled(base)
    for r in range(rounds):
        a, b = PAIRS[r % len(PAIRS)]
        path = work / f"round{r}.yaml"
        shutil.copyfile(base, path)
        pairs = rng.sample(fixtures, 2)
        kinds = [a, b]
        procs = []
        for k, (kind, pair) in enumerate(zip(kinds, pairs, strict=True)):
            procs.append(
                subprocess.Popen(
                    writer(kind, path, pair, r * 2 + k),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
            if kind == "hand" or kinds[1 - k] == "hand":
                time.sleep(rng.uniform(0, 1.5))  # the edit lands somewhere in the other's run
        done = [(p.wait(timeout=600), p.communicate()[1]) for p in procs]
        counts["rounds"] += 1
        left = set(scheduled(path))
        for kind, pair, (code, err) in zip(kinds, pairs, done, strict=True):
            if code == 0:
                counts["landed"] += 1
                if kind in ("result", "hand"):
                    want = "2-1" if kind == "result" else "1-0"
                    got = score_of(path, pair)
                    if got != want:
                        # a copa writer's effect overwritten by the editor (which takes no
                        # lock) is the editor's race; anything else is a lost update
                        other = kinds[1] if kind == kinds[0] else kinds[0]
                        if kind == "hand" or other == "hand":
                            counts["editor_race" if kind == "hand" else "lost"] += 1
                        else:
                            counts["lost"] += 1
                elif kind == "play" and left & set(fixtures):
                    counts["lost"] += 1
            elif kind == "hand" and code == 3:
                counts["editor_found_it_played"] += 1  # play got there first: nothing to edit
            else:
                counts["refused"] += 1
                one_line = len(err.strip().splitlines()) == 1 and "Traceback" not in err
                said = ("changed since", "another copa run", "kept changing")
                if code == 2 and one_line and "is already played" in err:
                    # the other writer (play) got there first and played this fixture: the
                    # result is refused as any correction without --reason is
                    counts["refused_already_played"] += 1
                elif code != 2 or not one_line or not any(w in err for w in said):
                    counts["bad_refusal"] += 1
                    print(f"round {r}: {kind} exit {code}: {err.strip()[:200]}", file=sys.stderr)
        print(f"round {r} {a}+{b}: {[c for c, _ in done]} {counts}", file=sys.stderr, flush=True)
    return counts


ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ARTICLE = Path(os.environ.get("COPA_SEED", ROOT.parent / "shared" / "seed" / "2011-copa-peru.txt"))
if not ARTICLE.exists():
    ARTICLE = Path("/work/shared/seed/2011-copa-peru.txt")


def any_fixture(path: Path) -> tuple[str, str]:
    """A scheduled fixture of the season: a group match or a tie's leg."""
    from copa.core.match import MatchStatus
    from copa.spec.entry import slots
    from copa.spec.pyramid_file import load_pyramid_season

    season = load_pyramid_season(path).season
    return next(
        (s.match.home, s.match.away)
        for s in slots(season)
        if s.match.status is MatchStatus.SCHEDULED and s.kind in ("match", "leg")
    )


def commands(
    folder: Path, base: Path, department: str | None = None
) -> dict[str, tuple[list[str], Path, bytes]]:
    """Each writing command, the file it writes, and what that file holds before it runs.

    Every command that writes is here: the season's own read-modify-write ones (play
    --in-place, advance, result, results import, revert) and the ones that write a new
    file from inputs (export -o, import -o, audit --fix -o, new-season, generate).
    """
    fixture = any_fixture(base)
    csv = folder / "clubs.csv"
    dept = ("--department", department) if department else ()
    results = folder / "results.csv"
    results.write_text(
        f"home,away,home_goals,away_goals\n{fixture[0]},{fixture[1]},3,3\n", encoding="utf-8"
    )
    t = folder / "target.yaml"
    old = base.read_bytes()
    # revert's target holds one entered result (history #1) to undo
    with_history = folder / "with-history.yaml"
    shutil.copyfile(base, with_history)
    r = run("result", str(with_history), f"{fixture[0]} 2-1 {fixture[1]}", "--by", "bench")
    if r.returncode != 0:
        raise SystemExit(f"setting up revert: {r.stderr.strip()}")
    entered = with_history.read_bytes()
    written = b"an older file, to be replaced whole\n"
    out: dict[str, tuple[list[str], Path, bytes]] = {
        "play": ([*COPA, "play", str(t), "--in-place", "--quiet"], t, old),
        "advance": ([*COPA, "advance", str(t), "--quiet"], t, old),
        "result": ([*COPA, "result", str(t), f"{fixture[0]} 2-1 {fixture[1]}"], t, old),
        "results import": ([*COPA, "results", "import", str(t), str(results)], t, old),
        "revert": ([*COPA, "revert", str(t), "1", "--reason", "bench"], t, entered),
        "export": ([*COPA, "export", str(base), "-o", str(t)], t, written),
        "import": (
            [
                *COPA,
                "import",
                str(DATA / "copa-peru-2011-national.csv"),
                "--from",
                "csv",
                "--preset",
                str(DATA / "copa-peru-2011-national.format.yaml"),
                "--clubs",
                str(DATA / "copa-peru-2011-clubs.csv"),
                "-o",
                str(t),
            ],
            t,
            written,
        ),
        "new-season": (
            [*COPA, "new-season", "2019", str(csv), "-o", str(t), "--seed", "1", *dept],
            t,
            written,
        ),
        "generate": ([*COPA, "generate", "--clubs", "400", "-o", str(t), "--quiet"], t, written),
    }
    if ARTICLE.exists():
        tw = folder / "fixed.txt"
        out["audit --fix"] = (
            [*COPA, "audit", str(ARTICLE), "--fix", "-o", str(tw)],
            tw,
            written,
        )
    return out


def kills(
    base: Path,
    n: int,
    work: Path,
    rng: random.Random,
    only: set[str] | None = None,
    department: str | None = None,
) -> dict[str, object]:
    out: dict[str, object] = {}
    folder = base.parent
    for name, (cmd, target, old) in commands(folder, base, department).items():
        if only and name not in only:
            continue
        target.write_bytes(old)
        t0 = time.perf_counter()
        full = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        took = time.perf_counter() - t0
        if full.returncode not in (0, 1):  # audit exits 1 when the article disagrees
            out[name] = {"error": full.stderr.strip()[:200]}
            continue
        new = target.read_bytes()
        torn = kept_old = whole_new = leftover = 0
        for _ in range(n):
            target.write_bytes(old)
            p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, took * 1.1))
            p.send_signal(signal.SIGKILL)
            p.wait()
            now = target.read_bytes()
            if now == old:
                kept_old += 1
            elif now == new or _whole(now, name):
                whole_new += 1
            else:
                torn += 1
                print(f"kill -9 {name}: torn file ({len(now)} bytes)", file=sys.stderr)
            # the next, uninterrupted run cleans up what the killed one left
            target.write_bytes(old)
            subprocess.run(cmd, capture_output=True, timeout=600)
            if [x for x in os.listdir(target.parent) if x.startswith(f".{target.name}.copa-")]:
                leftover += 1
            done = kept_old + whole_new + torn
            print(
                f"kill -9 {name} {done}/{n}: old {kept_old} new {whole_new} torn {torn} "
                f"temp left {leftover}",
                file=sys.stderr,
                flush=True,
            )
        out[name] = {
            "runs": n,
            "old": kept_old,
            "new": whole_new,
            "torn": torn,
            "temp_left_after_next_run": leftover,
            "seconds_per_run": round(took, 2),
        }
        print(f"kill -9 {name}: {out[name]}", file=sys.stderr, flush=True)
    return out


def _whole(data: bytes, name: str) -> bool:
    """A complete season file (results and revert carry a timestamp, so they differ)."""
    if name not in ("result", "results import", "revert"):
        return False
    from copa.spec.pyramid_file import parse_pyramid_season

    try:
        parse_pyramid_season(data.decode("utf-8"), "x")
    except Exception:  # noqa: BLE001 - a torn file fails in any way at all
        return False
    return b"\nhistory:\n" in data


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=50)
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--clubs", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", default="", help="kill -9 only these commands (comma-separated)")
    ap.add_argument(
        "--kill-department",
        default="",
        help="kill -9 on this department's season alone (a few dozen clubs: quicker runs)",
    )
    a = ap.parse_args()
    only = {x.strip() for x in a.only.split(",") if x.strip()} or None
    rng = random.Random(a.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        dept = a.kill_department or None
        base = base_season(work, a.clubs) if a.rounds or not dept else None
        conc = concurrency(base, a.rounds, work, rng) if base is not None and a.rounds else {}
        t1 = time.perf_counter()
        print(f"concurrency: {conc} in {t1 - t0:.0f} s", file=sys.stderr, flush=True)
        kill_base = base_season(work, a.clubs, department=dept) if dept else base
        assert kill_base is not None
        kill = kills(kill_base, a.kills, work, rng, only, dept) if a.kills else {}
        t2 = time.perf_counter()
        for k, v in kill.items():
            print(f"kill -9 {k}: {v}", file=sys.stderr)
    torn = sum(int(v.get("torn", 0)) for v in kill.values() if isinstance(v, dict))
    left = sum(
        int(v.get("temp_left_after_next_run", 0)) for v in kill.values() if isinstance(v, dict)
    )
    print(
        json.dumps(
            {
                "concurrency": conc,
                "kill9": kill,
                "lost_updates": conc.get("lost", 0),
                "torn_files": torn,
                "temp_files_left": left,
                "seconds": {"concurrency": round(t1 - t0), "kill9": round(t2 - t1)},
            }
        )
    )


if __name__ == "__main__":
    main()
