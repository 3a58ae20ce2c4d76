"""The season a results command caches for the text it wrote is the season that text reads as.

``copa result``, ``copa revert`` and ``copa results import`` cache the season of
each text they write as the moves made since a full entry (copa.io.season_edit),
so the next command on a 20,000-club file does not read its YAML again. Each
cached state is compared here with reading the written file afresh: the same
season (every stage, group, tie and match) and the same history.

The season is the bundled 2011 file with three deciding matches taken out (as in
tests/test_deciders_entry.py): entering them adds a group's deciding match and a
tie's, completes one with penalties, reverts one, and corrects a played match.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from copa.io import season_edit
from copa.io.safe_write import read_text
from copa.sources.names import season_club
from copa.spec import cache
from copa.spec.entry import parse_loaded, plan_revert, resolve_new
from copa.spec.seasons import cached_season

BUNDLED = Path(str(resources.files("copa") / "data" / "seasons" / "2011.yaml"))
CUTS = (
    ("            deciders:\n              - Los Tigres 1-0 Atlético Pucallpa\n", ""),
    (', legs: [4-0, 1-3], decider: "2-0"}', ", legs: [4-0, 1-3]}"),
    (', legs: [1-0, 0-3], decider: "2-2 (4-3 p)"}', ", legs: [1-0, 0-3]}"),
)
STEPS = [
    ("Los Tigres 1-0 Atlético Pucallpa", None),  # a group's deciding match, added
    ("José Chiroque Cielo 0-2 Atlético Grau", None),  # a tie's, typed the other way round
    ("Deportivo Pomalca 2-2 Sport Buenos Aires", None),
    ("Deportivo Pomalca 2-2 (4-3 p) Sport Buenos Aires", None),  # completed by penalties
    ("revert 1", "entered too early"),
    ("Los Tigres 1-0 Atlético Pucallpa", None),  # the scheduled decider, played
    ("Real Garcilaso 3-0 Humberto Luna", "typed 2-0 by mistake"),  # a correction
]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COPA_CACHE_DIR", str(folder))
    monkeypatch.setenv("COPA_CACHE", "1")
    return folder


def live(tmp_path: Path) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in CUTS:
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "2011-live.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def step(path: Path, line: str, reason: str | None) -> None:
    def plan(loaded: season_edit.Loaded) -> list[season_edit.Change]:
        if line.startswith("revert "):
            assert reason is not None
            return [plan_revert(loaded, int(line.split()[1]), reason)]
        return [resolve_new(loaded, line, None, reason, club=season_club)]

    _, changes = season_edit.apply_changes(str(path), plan, "ana")
    assert len(changes) == 1


def fresh(path: Path) -> season_edit.Loaded:
    text, seen = read_text(path)
    return parse_loaded(str(path), text, seen)


def test_every_cached_state_is_the_written_file_read_afresh(store: Path, tmp_path: Path) -> None:
    path = live(tmp_path)
    for k, (line, reason) in enumerate(STEPS, 1):
        step(path, line, reason)
        cached = season_edit.load(str(path))
        assert cached.origin is not None and len(cached.origin[1]) == k  # moves since the base
        want = fresh(path)
        assert cached.season == want.season, line
        assert cached.history == want.history, line
        assert [e.id for e in cached.history] == list(range(1, k + 1))
    assert len(list(store.glob("*.season.pickle"))) == 1  # one full entry, then deltas


def test_past_max_moves_a_full_entry_is_written(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(season_edit, "MAX_MOVES", 2)
    path = live(tmp_path)
    for line, reason in STEPS[:4]:
        step(path, line, reason)
    cached = season_edit.load(str(path))
    assert cached.origin is not None and len(cached.origin[1]) == 1
    assert cached.season == fresh(path).season
    assert len(list(store.glob("*.season.pickle"))) == 2


def test_a_hand_edit_or_a_lost_base_is_read_afresh(store: Path, tmp_path: Path) -> None:
    path = live(tmp_path)
    step(path, *STEPS[0])
    text = path.read_text(encoding="utf-8")
    old = "legs: [3-1, 0-1]"  # the national final, edited by hand to 1-1 in its first leg
    path.write_text(text.replace(old, "legs: [1-1, 0-1]"), encoding="utf-8")
    edited = season_edit.load(str(path))
    assert edited.origin == (cache.key(path.read_text(encoding="utf-8")), ())
    assert edited.season == fresh(path).season
    step(path, *STEPS[1])
    for full in store.glob("*.season.pickle"):
        full.unlink()
    assert cached_season(cache.key(path.read_text(encoding="utf-8"))) is None
    again = season_edit.load(str(path))
    assert again.season == fresh(path).season
    assert again.history == fresh(path).history


def test_with_the_cache_off_nothing_is_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COPA_CACHE_DIR", str(folder))
    monkeypatch.setenv("COPA_CACHE", "0")
    path = live(tmp_path)
    step(path, *STEPS[0])
    assert season_edit.load(str(path)).origin is None
    assert not folder.exists() or not any(folder.iterdir())


def test_show_after_results_starts_from_the_entered_season(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """copa show on a file results entry wrote resolves the cached season (no YAML read),
    and gets what resolving the file read afresh gives."""
    from copa.core.resolve import resolve
    from copa.sinks.export_json import dumps
    from copa.spec import seasons

    path = live(tmp_path)
    for line, reason in STEPS[:3]:
        step(path, line, reason)
    want = dumps(resolve(fresh(path).season))

    def no_read(text: str, source: str) -> None:
        raise AssertionError("the YAML was read again")

    monkeypatch.setattr(seasons, "parse_any", no_read)
    assert dumps(seasons.load_result(str(path))) == want
