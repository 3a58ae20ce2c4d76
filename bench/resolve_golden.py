"""Golden check: :func:`copa.core.resolve.resolve` gives byte-identical results.

Written before optimising resolution, run after every change. Each season
below is resolved and written out twice: the JSON export
(:func:`copa.sinks.export_json.dumps`) and a fingerprint of every result
object the export may not show (tables with their separations and pending
notes, selections' rankings and records, outlooks, statuses in order,
issues). ``--write`` stores them under ``DIR`` (default /tmp/resolve-golden);
without it they are compared with what is stored, byte for byte.

The seasons: the bundled 2011 season; 500-club pyramids ``copa generate``
writes for a few seeds (both formats), each also half played (every group's
later fixtures scheduled again, as bench/progress_bench.py does), a third
played (a seeded random choice of fixtures kept) and the half-played one
played out again (``copa play``); plus the big files given with ``--big``.

Run: ``.venv/bin/python bench/resolve_golden.py [--write] [--big FILE ...]``.
The last line printed is one JSON object (``{"same": true, ...}``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from copa.core.group import Group
from copa.core.match import Match, MatchStatus
from copa.core.resolve import SeasonResult, resolve
from copa.core.season import Season
from copa.sinks.export_json import dumps
from copa.spec.pyramid_file import load_pyramid_season, write_pyramid_season
from copa.spec.seasons import find_season, paused_gc

SMALL = [("2019", 500, 1), ("2019", 500, 2), ("2019", 600, 3), ("2011", 500, 4)]


def fingerprint(result: SeasonResult) -> str:
    """Every result object below the season, as text (the inputs themselves left out)."""
    lines: list[str] = []
    add = lines.append
    for sr in result.stages:
        add(f"stage {sr.stage.name} {sr.places!r} {sr.places_by!r} {sr.places_reason!r}")
        add(repr(sr.issues))
        for rr in sr.rounds:
            add(f"round {rr.stage} {rr.round.name} {rr.qualifiers!r}")
            add(repr(rr.issues))
            add(repr(list(rr.statuses.items())))
            for sel in rr.selections:
                add(repr((sel.what, sel.ranking, list(sel.records.items()), sel.chosen)))
                add(repr((list(sel.statuses.items()), sel.complete)))
            for g in rr.groups:
                add(repr((g.group.name, g.table, g.qualified, g.outlook)))
                add(repr((g.deciders, g.remaining)))
            for t in rr.ties:
                add(repr(t))
    add(repr((result.champion, result.runner_up, result.promoted, result.issues)))
    return "\n".join(lines) + "\n"


def keep_some(season: Season, keep: float | None, seed: int = 0) -> Season:
    """Group fixtures scheduled again: the later half (``keep`` None) or all but a
    random ``keep`` share; deciders and lots go too."""
    rng = random.Random(seed)

    def kept(i: int, n: int) -> bool:
        return i < n // 2 if keep is None else rng.random() < keep

    def group(g: Group) -> Group:
        n = len(g.matches)
        ms = [
            m if kept(i, n) else Match(m.home, m.away, status=MatchStatus.SCHEDULED)
            for i, m in enumerate(g.matches)
        ]
        return replace(g, matches=tuple(ms), deciders=(), lots=())

    return replace(
        season,
        stages=tuple(
            replace(
                st, rounds=tuple(replace(r, groups=tuple(map(group, r.groups))) for r in st.rounds)
            )
            for st in season.stages
        ),
    )


def make_inputs(folder: Path) -> list[Path]:
    """The small seasons' files, generated once into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    copa = str(Path(sys.executable).with_name("copa"))
    paths: list[Path] = []
    for pyramid, clubs, seed in SMALL:
        full = folder / f"gen-{pyramid}-{clubs}-{seed}.yaml"
        if not full.exists():
            cmd = [copa, "generate", "--clubs", str(clubs), "--seed", str(seed)]
            cmd += ["--pyramid", pyramid, "--quiet", "-o", str(full)]
            subprocess.run(cmd, check=True, capture_output=True)
        paths.append(full)
        ps = load_pyramid_season(full)
        for tag, keep in (("half", None), ("third", 1 / 3)):
            part = full.with_name(full.stem + f"-{tag}.yaml")
            if not part.exists():
                s = keep_some(ps.season, keep, seed)
                part.write_text(
                    write_pyramid_season(s, ps.pyramid, ps.format_data), encoding="utf-8"
                )
            paths.append(part)
        half = full.with_name(full.stem + "-half.yaml")
        replayed = full.with_name(full.stem + "-half-played.yaml")
        if not replayed.exists():
            cmd = [copa, "play", str(half), "--seed", str(seed + 10), "--quiet"]
            subprocess.run(cmd + ["-o", str(replayed)], check=True, capture_output=True)
        paths.append(replayed)
    return paths


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", type=Path, default=Path("/tmp/resolve-golden"))
    ap.add_argument("--write", action="store_true", help="Store the outputs (the reference).")
    ap.add_argument("--big", type=Path, nargs="*", default=[])
    ap.add_argument("--only", help="Only the seasons whose name holds this text.")
    args = ap.parse_args()
    sources: list[tuple[str, str]] = [("2011", "2011")]
    sources += [(p.stem, str(p)) for p in make_inputs(args.dir / "inputs")]
    sources += [(p.stem, str(p)) for p in args.big]
    differ: list[str] = []
    for name, source in sources:
        if args.only and args.only not in name:
            continue
        season = find_season(source)
        with paused_gc():
            result = resolve(season)
            outputs = {"json": dumps(result), "fp": fingerprint(result)}
        for ext, text in outputs.items():
            path = args.dir / f"{name}.{ext}"
            if args.write:
                path.write_text(text, encoding="utf-8")
            elif path.read_text(encoding="utf-8") != text:
                differ.append(path.name)
        digest = hashlib.sha256(outputs["json"].encode()).hexdigest()[:12]
        print(f"{name}: {digest}", "written" if args.write else "checked", file=sys.stderr)
    print(json.dumps({"same": not differ, "differ": differ, "seasons": len(sources)}))
    if differ:
        sys.exit(1)


if __name__ == "__main__":
    main()
