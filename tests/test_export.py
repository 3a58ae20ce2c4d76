"""The JSON and CSV exports of 2011, checked against the article."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests import seed

ARTICLE_ROUNDS = {
    "First stage",
    "Second stage",
    "Tiebreaker",
    "Semifinals",
    "Regional Final",
    "Round of 16",
    "Quarterfinals",
    "Final",
}


def copa(*args: str) -> str:
    p = subprocess.run(
        [sys.executable, "-m", "copa.cli", *args], capture_output=True, text=True, timeout=120
    )
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture(scope="module")
def data() -> dict:  # type: ignore[type-arg]
    return json.loads(copa("export", "2011", "--format", "json"))


def test_json_has_the_documented_keys_and_the_article_outcome(data: dict) -> None:  # type: ignore[type-arg]
    for key in ("champion", "runner_up", "promoted", "stats", "groups", "ties"):
        assert key in data
    assert data["champion"] == "Real Garcilaso"
    assert data["runner_up"] == "Pacífico"
    assert {(p["team"], p["destination"]) for p in data["promoted"]} == {
        ("Real Garcilaso", "First Division"),
        ("Pacífico", "Second Division"),
    }
    assert (data["stats"]["matches"], data["stats"]["goals"]) == (211, 586)


def test_json_records_are_match_objects_with_the_documented_keys(data: dict) -> None:  # type: ignore[type-arg]
    for key in ("biggest_home_win", "biggest_away_win", "highest_scoring"):
        rec = data["stats"][key]
        for m in rec if isinstance(rec, list) else [rec]:
            assert {"home", "away", "home_goals", "away_goals"} <= set(m)
    # Region VIII Group A grid: match_GAR_MLD=14—0, the largest margin and total of any grid or tie row
    assert data["stats"]["highest_scoring"]["home"] == "Real Garcilaso"
    assert data["stats"]["highest_scoring"]["home_goals"] == 14


def test_json_groups_use_full_names_and_stage_names(data: dict) -> None:  # type: ignore[type-arg]
    full_names = {club for _, club, _ in seed.qualifiers()}
    assert len(data["groups"]) == 13
    for g in data["groups"]:
        assert g["stage"].startswith("Region ")
        for row in g["standings"]:
            assert set(row) == {
                "position",
                "team",
                "played",
                "won",
                "drawn",
                "lost",
                "goals_for",
                "goals_against",
                "goal_difference",
                "points",
                "note",
                "status",
                "best_position",
                "worst_position",
            }
            assert row["status"] in ("qualified", "out", "open")
            assert row["best_position"] <= row["position"] <= row["worst_position"]
            assert row["team"] in full_names
            assert row["goal_difference"] == row["goals_for"] - row["goals_against"]
    for t in data["ties"]:
        assert t["round"] in ARTICLE_ROUNDS
        assert set(t["teams"]) <= full_names
        assert t["winner"] in t["teams"]
        assert t["decided_by"]


def test_json_tiebreakers_are_ties_and_the_national_stage_is_named(data: dict) -> None:  # type: ignore[type-arg]
    tiebreakers = [t for t in data["ties"] if t["round"] == "Tiebreaker"]
    # article: "===Tiebreaker===" after Region III Group A and Region VIII Group B
    assert {(t["stage"], t["winner"]) for t in tiebreakers} == {
        ("Region III", "Los Tigres"),
        ("Region VIII", "Franciscano San Román"),
    }
    national = [t for t in data["ties"] if t["stage"] == "National Stage"]
    assert len(national) == 8 + 4 + 2 + 1
    away = {t["winner"] for t in national if t["decided_by"] == "away_goals"}
    assert away == {"Los Caimanes", "ADT"}


def test_csv_standings_and_matches() -> None:
    rows = list(csv.DictReader(io.StringIO(copa("export", "2011", "--format", "csv"))))
    assert len(rows) == sum(len(g["clubs"]) for g in seed.grids().values())  # type: ignore[arg-type]
    matches = list(
        csv.DictReader(io.StringIO(copa("export", "2011", "-f", "csv", "--what", "matches")))
    )
    assert len(matches) == 211
    pens = [m for m in matches if m["home_penalties"]]
    # shoot-outs in the article: (3–5 p), (1–3 p), (4–2 p) in two-leg rows, (4–3 p), (5–3 p), (4–2 p) in
    # one-leg rows, and (3–2 p), (2–3 p) in the national stage
    assert len(pens) == 8


def test_export_to_file_and_svg_bracket(tmp_path: Path) -> None:
    out = tmp_path / "2011.json"
    copa("export", "2011", "-o", str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["champion"] == "Real Garcilaso"
    svg = tmp_path / "b.svg"
    text = copa("bracket", "2011", "--svg", str(svg))
    assert "Champion: Real Garcilaso" in text
    picture = svg.read_text(encoding="utf-8")
    assert picture.startswith("<svg") and picture.count("<rect") > 30
    for club in ("Los Caimanes", "Universitario de Trujillo", "Real Garcilaso", "Pacífico"):
        assert club in picture


def test_statistics_chart(tmp_path: Path) -> None:
    svg = tmp_path / "stats.svg"
    copa("stats", "2011", "--chart", str(svg))
    picture = svg.read_text(encoding="utf-8")
    assert picture.lstrip().startswith("<?xml") and "<svg" in picture
    # the article's totals over the regional and national stages, and every stage as a bar
    assert "211 matches, 586 goals" in picture
    for stage in ("Region I", "Region VIII", "National Stage"):
        assert f">{stage}<" in picture
    assert not list(tmp_path.glob(".*tmp*"))  # written atomically, no leftovers
