"""The resolved-season cache: a hit is the same season, an edit or a torn entry is a miss."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from copa.core.resolve import resolve
from copa.sinks.export_json import dumps
from copa.spec import cache
from copa.spec.seasons import find_season, load_result, season_text

SEASON = Path(__file__).parents[1] / "src" / "copa" / "data" / "seasons" / "2011.yaml"


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("COPA_CACHE_DIR", str(folder))
    monkeypatch.delenv("COPA_CACHE", raising=False)
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pickle")) if folder.exists() else []


def test_a_hit_is_the_same_resolved_season(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(SEASON.read_text(encoding="utf-8"), encoding="utf-8")
    first = load_result(str(f))
    assert len(entries(store)) == 1
    again = load_result(str(f))
    assert again is not first
    assert again == first
    assert dumps(again) == dumps(resolve(find_season(str(f))))


def test_an_edited_file_is_a_miss(store: Path, tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    text = SEASON.read_text(encoding="utf-8")
    f.write_text(text, encoding="utf-8")
    load_result(str(f))
    # the final's first leg now 1-1: a new entry, and the new result
    old = "legs: [3-1, 0-1]"
    assert old in text
    f.write_text(text.replace(old, "legs: [1-1, 0-1]"), encoding="utf-8")
    edited = load_result(str(f))
    assert len(entries(store)) == 2
    assert edited.champion == "Pacífico"


def test_a_torn_entry_is_a_miss_and_is_replaced(store: Path) -> None:
    load_result("2011")
    (entry,) = entries(store)
    entry.write_bytes(entry.read_bytes()[:100])
    assert load_result("2011").champion == "Real Garcilaso"
    assert entry.stat().st_size > 100


def test_a_folder_others_can_write_is_never_read(store: Path) -> None:
    load_result("2011")
    (entry,) = entries(store)
    os.chmod(store, 0o777)
    text, _ = season_text("2011")
    assert cache.get(text) is None
    os.chmod(store, 0o700)
    assert cache.get(text) is not None


def test_copa_cache_0_stores_nothing(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPA_CACHE", "0")
    assert load_result("2011").champion == "Real Garcilaso"
    assert entries(store) == []
