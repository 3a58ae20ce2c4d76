"""Season files written by copa before the spec package (commit 8987b71) still load, the same.

``tests/data/written-before/`` holds a generated 392-club pyramid season in the
2011 format (``copa generate --clubs 392 --format 2011``, gzipped) and the
football.json import of the 2011 national stage (``copa import``), both written
by copa as it was before the loader, writer and layout changed. ``facts.json``
holds what that copa's ``export`` said of them (champion, runner-up, counts):
a compatibility oracle, the one place where copa's earlier output is the
expected value.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from copa.core.resolve import resolve
from copa.sinks.export_json import to_json
from copa.spec.seasons import parse_any

OLD = Path(__file__).parent / "data" / "written-before"
FACTS = json.loads((OLD / "facts.json").read_text(encoding="utf-8"))


def text_of(name: str) -> str:
    plain = OLD / f"{name}.yaml"
    if plain.exists():
        return plain.read_text(encoding="utf-8")
    return gzip.decompress((OLD / f"{name}.yaml.gz").read_bytes()).decode("utf-8")


@pytest.mark.parametrize("name", sorted(FACTS))
def test_an_old_season_file_loads_to_the_same_season(name: str) -> None:
    result = resolve(parse_any(text_of(name), f"{name}.yaml"))
    data = to_json(result)
    want = FACTS[name]
    assert (data["champion"], data["runner_up"]) == (want["champion"], want["runner_up"])
    assert (data["stats"]["matches"], data["stats"]["goals"]) == (want["matches"], want["goals"])
    assert (len(data["stages"]), len(data["groups"]), len(data["ties"])) == (
        want["stages"],
        want["groups"],
        want["ties"],
    )
