"""Forecasts follow the engine on slots it has not decided (issue 11, defect from the web page).

2011 with Real Garcilaso's last three Region VIII group matches to play: the
engine leaves Region VIII's places undecided (Real Garcilaso, Virgen del Carmen
and MINSA can all still win Group A), so the national round of 16 as written in
the file (Real Garcilaso as Region VIII/1) must not be taken as known.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from copa.core import Status, resolve
from copa.forecast.forecast import forecast, prepare, round_sums
from copa.forecast.state import reopen_undecided
from copa.spec.seasons import find_season
from tests.test_progress import garcilaso_season

R16 = "National Stage/Round of 16"
GROUP_A_OPEN = ("Real Garcilaso", "Virgen del Carmen", "MINSA")
# the fourteen clubs of Regions I-VII in the 2011 round of 16 (their regions are
# decided) and Region VIII Group B's winner (the group is complete)
DECIDED = (
    "Los Caimanes",
    "Atlético Grau",
    "UTC",
    "Universitario de Trujillo",
    "UNU",
    "Los Tigres",
    "Pacífico",
    "Géminis",
    "Alianza Universidad",
    "ADT",
    "Defensor Zarumilla",
    "Sport Victoria",
    "Sportivo Huracán",
    "Unión Minas de Orcopampa",
    "Franciscano San Román",
)


def test_the_engine_leaves_region_viii_open_in_this_season() -> None:
    rr = resolve(garcilaso_season()).stage("Region VIII").rounds[0]
    for club in GROUP_A_OPEN:
        assert rr.status_of(club) is Status.OPEN


def test_round_of_16_is_played_per_run_from_region_viii_outcome() -> None:
    fc = forecast(garcilaso_season(), runs=1_000, seed=3)
    assert abs(round_sums(fc)[R16] - 16) < 1e-9
    got = {c: fc.club(c).reach.get(R16, 0.0) for c in GROUP_A_OPEN}
    for club, p in got.items():
        assert 0 < p < 1, (club, p)
    # Group A sends exactly one club (its winner) to the round of 16
    assert abs(sum(got.values()) - 1) < 1e-9
    for club in DECIDED:
        assert fc.club(club).reach[R16] == 1, club
    # the clubs Group A has already put out reach nothing
    listed = {c.club: c.reach for c in fc.clubs}
    for club in ("Deportivo Maldonado", "Humberto Luna"):
        assert listed.get(club, {}).get(R16, 0.0) == 0, club


def test_the_reopened_state_drops_the_written_round_and_region_viii_lots() -> None:
    state, _ = prepare(garcilaso_season())
    national = state.stages[-1]
    assert national.rounds == ()  # drawn again from the format's slot map per run
    assert len(national.entrants_from) == 16
    region_viii = next(s for s in state.stages if s.name == "Region VIII")
    assert region_viii.places is None


def test_a_finished_season_is_unchanged() -> None:
    season = find_season("2011")
    assert reopen_undecided(season) is season
    fc = forecast(season, runs=200, seed=1)
    # Peru 2011: Real Garcilaso champion, Pacífico runner-up (both promoted)
    assert fc.club("Real Garcilaso").champion == 1
    assert fc.club("Pacífico").champion == 0
    assert fc.club("Real Garcilaso").reach[R16] == 1


def test_copa_forecast_cli_on_such_a_file(tmp_path: Path) -> None:
    import json

    from copa.cli import app
    from copa.spec.season_writer import write_season

    path = tmp_path / "2011-open.yaml"
    path.write_text(write_season(garcilaso_season()), encoding="utf-8")
    out = CliRunner().invoke(
        app, ["forecast", str(path), "--runs", "500", "--seed", "2", "--format", "json"]
    )
    assert out.exit_code == 0, out.output
    doc = json.loads(out.output)
    reach = {c["club"]: c["reach"].get(R16, 0.0) for c in doc["clubs"]}
    assert abs(sum(reach.values()) - 16) < 1e-6
    for club in GROUP_A_OPEN:
        assert 0 < reach[club] < 1, club
    text = CliRunner().invoke(app, ["forecast", str(path), "--runs", "300", "--seed", "2"])
    assert text.exit_code == 0, text.output
    assert "MINSA" in text.output and "Garcilaso" in text.output


def test_a_fresh_pyramid_is_unchanged() -> None:
    # later stages not drawn yet (entrants from undecided places, no rounds): nothing to reopen
    from tests.test_progress import fresh_pyramid

    season, pyramid = fresh_pyramid(600)
    assert reopen_undecided(season, pyramid.format) is season  # type: ignore[attr-defined]
