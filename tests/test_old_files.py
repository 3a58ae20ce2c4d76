"""Season files copa wrote before one season reader (commit 4370ce1) still load, the same.

``tests/data/old/`` holds, gzipped, what copa at 4370ce1 wrote: a pyramid season
just made (``copa new-season 2011 clubs.csv --seed 2``, 400 synthetic clubs), the
same played on (``copa play --in-place`` and ``copa advance``, four times), and a
2019 season played until its national phase 1 was drawn by rivals (a partial
round robin) and played, and a whole 2019 season made and played to its champion
(``copa generate --clubs 392 --pyramid 2019 --seed 9``). ``facts.json.gz`` holds what that copa made of each file
(every stage's places, every group's table order, every tie's winner, the
champion): a compatibility oracle, the one place where copa's earlier output is
the expected value. The bundled 2011 season as it was written then is
``tests/data/old/2011.yaml`` (``tests/test_structure.py``).
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from copa.core.resolve import resolve
from copa.spec.pyramid_file import parse_pyramid_season
from copa.spec.season_file import parse_season
from copa.spec.seasons import parse_any

OLD = Path(__file__).parent / "data" / "old"
FACTS = json.loads(gzip.decompress((OLD / "facts.json.gz").read_bytes()))


def text_of(name: str) -> str:
    return gzip.decompress((OLD / f"{name}.yaml.gz").read_bytes()).decode("utf-8")


def facts(text: str, source: str) -> dict[str, Any]:
    r = resolve(parse_any(text, source))
    out: dict[str, Any] = {"champion": r.champion, "runner_up": r.runner_up, "stages": []}
    for sr in r.stages:
        st: dict[str, Any] = {"name": sr.stage.name, "places": list(sr.places), "rounds": []}
        for rr in sr.rounds:
            st["rounds"].append(
                {
                    "name": rr.round.name,
                    "tables": [[s.club for s in g.table.standings] for g in rr.groups],
                    "ties": [t.winner for t in rr.ties],
                }
            )
        out["stages"].append(st)
    return out


@pytest.mark.parametrize("name", sorted(FACTS))
def test_an_old_pyramid_season_file_loads_to_the_same_season(name: str) -> None:
    assert facts(text_of(name), f"{name}.yaml") == FACTS[name]


def test_the_old_files_hold_what_they_are_said_to() -> None:
    played = parse_pyramid_season(text_of("played-2019"), "p.yaml").season
    phase = played.stage("National Stage").rounds[0]
    assert phase.name == "Phase 1" and any(d.to_dict()["method"] == "rivals" for d in phase.draws)
    fresh = parse_pyramid_season(text_of("new-season-2011"), "n.yaml").season
    assert all(not s.rounds for s in fresh.stages if s.kind != "district")


@pytest.mark.parametrize("name", sorted(FACTS))
def test_one_reader_the_pyramid_block_optional(name: str) -> None:
    # the season reader reads a pyramid season file as any other (its pyramid block is
    # optional); the pyramid reader adds only the pyramid
    text = text_of(name)
    assert parse_season(text, "s.yaml") == parse_pyramid_season(text, "s.yaml").season
