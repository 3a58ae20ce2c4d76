"""The pyramid through the command line: new-season, play, advance, generate, and bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from copa.cli import app
from copa.core.resolve import resolve
from copa.core.synthetic import synthetic_clubs
from copa.sources.clubs_csv import clubs_csv
from copa.spec.pyramid_file import load_pyramid_season


def run(*args: str) -> str:
    """In-process, for the many steps of a season (exit code 0 expected)."""
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def copa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from copa.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_new_season_then_play_and_advance_step_by_step_to_a_champion(tmp_path: Path) -> None:
    csv = tmp_path / "clubs.csv"
    csv.write_text(clubs_csv(synthetic_clubs(400, 2)), encoding="utf-8")
    season = tmp_path / "s.yaml"
    r = copa("new-season", "2011", str(csv), "-o", str(season), "--seed", "2")
    assert r.returncode == 0, r.stderr
    first = load_pyramid_season(season).season
    assert all(not s.rounds for s in first.stages if s.kind != "district")
    steps = 0
    while True:
        run("play", str(season), "--in-place", "--quiet")
        out = run("advance", str(season), "--quiet")
        steps += 1
        if out.startswith("0 rounds drawn"):
            break
        assert steps < 40
    result = resolve(load_pyramid_season(season).season)
    assert result.champion is not None and result.issues == ()
    assert copa("check", str(season)).returncode == 0


def test_generate_is_reproducible_and_shows(tmp_path: Path) -> None:
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    for out in (a, b):
        r = copa("generate", "--clubs", "400", "--seed", "9", "-o", str(out), "--quiet")
        assert r.returncode == 0, r.stderr
        assert "champion" in r.stdout
    assert a.read_bytes() == b.read_bytes()
    r = copa("table", str(a), "Tabla Única")
    assert r.returncode == 0 and "relative points" in r.stdout
    # a whole pyramid is shown level by level: 400 clubs, two in each of the 196 provinces'
    # district leagues, so 196 district stages send 392 clubs on; the 2019 national stage
    # takes the champion and runner-up of each of the 25 departments
    r = copa("show", str(a))
    assert r.returncode == 0, r.stderr
    assert "Stages by level" in r.stdout
    rows = {line.split()[0]: line.split()[1:] for line in r.stdout.splitlines() if line.strip()}
    assert rows["district"][:1] == ["196"] and rows["departmental"][:1] == ["25"]
    assert rows["departmental"][-1] == "50"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["generate", "--clubs", "10", "-o", "x.yaml"], "at least 392 clubs"),
        (["new-season", "2030", "clubs.csv", "-o", "x.yaml"], "no preset of that name"),
        (["new-season", "2011", "missing.csv", "-o", "x.yaml"], "missing.csv: no such file"),
        (["new-season", "2011", "bad.csv", "-o", "x.yaml"], "bad.csv:1: colour: unknown column"),
        (["advance", "plain.yaml"], "not a pyramid season file"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, args: list[str], needle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "clubs.csv").write_text("name,district\nA,X\n", encoding="utf-8")
    (tmp_path / "bad.csv").write_text("name,colour\nA,red\n", encoding="utf-8")
    (tmp_path / "plain.yaml").write_text("competition: X\n", encoding="utf-8")
    r = copa(*args)
    assert r.returncode == 2
    assert needle in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.skipif(
    not os.environ.get("COPA_SLOW") and not os.environ.get("CI"),
    reason="20,000 clubs take about a minute; runs in CI or with COPA_SLOW=1",
)
def test_twenty_thousand_clubs_from_district_stage_to_champion(tmp_path: Path) -> None:
    out = tmp_path / "big.yaml"
    r = copa("generate", "--clubs", "20000", "--seed", "1", "-o", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    ps = load_pyramid_season(out)
    result = resolve(ps.season)
    assert len(ps.season.clubs) == 20000
    assert result.issues == () and result.champion is not None
    assert sum(1 for s in ps.season.stages if s.kind == "district") == 1874
    assert all(m.counts for _, m in result.matches())
    shown = copa("show", str(out))
    assert shown.returncode == 0 and "1,874" in shown.stdout  # the district level, in one line
