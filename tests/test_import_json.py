"""copa's own JSON export imports back: every result and score form, or one clear line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from copa.core.resolve import resolve
from copa.sinks.export_csv import matches_csv
from copa.sinks.export_json import dumps
from copa.sources.import_json import import_json
from copa.spec.formats import load_format
from copa.spec.season_file import SeasonFileError
from copa.spec.seasons import find_season

CLUBS = Path(__file__).parent / "data" / "copa-peru-2011-clubs.csv"


def _import(text: str) -> object:
    return import_json(
        text.encode(), "2011.json", load_format("copa-peru-2011"), CLUBS.read_bytes()
    )


def test_2011_exported_and_imported_back_has_the_same_211_results() -> None:
    original = resolve(find_season("2011"))
    imp = _import(dumps(original))
    again = resolve(imp.season)  # type: ignore[attr-defined]
    # the same matches, row for row: scores, extra time, shoot-outs, deciders, legs
    assert matches_csv(again) == matches_csv(original)
    assert matches_csv(original).count("\n") == 212  # header and 211 matches
    assert (again.champion, again.runner_up) == ("Real Garcilaso", "Pacífico")


def _edited(edit: object) -> str:
    doc = json.loads(dumps(resolve(find_season("2011"))))
    edit(doc)  # type: ignore[operator]
    return json.dumps(doc)


@pytest.mark.parametrize(
    ("edit", "field", "message"),
    [
        (lambda d: d["ties"][0]["legs"][0].update(home_goals=-1), "ties[0].legs[0]", "0 to 999"),
        (lambda d: d["ties"][0]["legs"][0].update(home_goals=2.5), "ties[0].legs[0]", "0 to 999"),
        (lambda d: d["ties"][0]["legs"][0].update(status="maybe"), "ties[0].legs[0]", "'maybe'"),
        (lambda d: d["groups"][0].update(stage=3), "groups[0].stage", "expected a name"),
        (lambda d: d["groups"][0].update(matches={}), "groups[0].matches", "expected a list"),
        (
            lambda d: d["ties"][0]["legs"][0].update(penalties=4),
            "ties[0].legs[0].penalties",
            "home_goals and away_goals",
        ),
    ],
)
def test_bad_documents_name_the_field(edit: object, field: str, message: str) -> None:
    with pytest.raises(SeasonFileError) as e:
        _import(_edited(edit))
    assert e.value.source == "2011.json"
    assert e.value.field == field and message in e.value.message


def test_the_command_reads_it_and_refuses_what_is_not_json(tmp_path: Path) -> None:
    src = tmp_path / "2011.json"
    src.write_text(dumps(resolve(find_season("2011"))), encoding="utf-8")
    out = tmp_path / "2011.yaml"
    cmd = [sys.executable, "-m", "copa.cli", "import", str(src), "--from", "json"]
    ok = subprocess.run(
        [*cmd, "--preset", "copa-peru-2011", "--clubs", str(CLUBS), "-o", str(out)],
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Real Garcilaso" in out.read_text(encoding="utf-8")
    src.write_text("{not json", encoding="utf-8")
    bad = subprocess.run([*cmd, "--preset", "copa-peru-2011"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1].startswith("copa: error: ")
    assert "not valid JSON" in bad.stderr and "Traceback" not in bad.stderr
