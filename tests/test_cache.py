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


def test_what_generate_and_play_cache_is_what_reading_their_file_gives(
    store: Path, tmp_path: Path
) -> None:
    """copa generate and copa play keep the season they wrote in the cache (no YAML read
    by the next command); each entry must equal reading the written file afresh."""
    import subprocess
    import sys

    from copa.io import season_edit
    from copa.spec.pyramid_file import parse_pyramid_season

    env = {**os.environ, "COPA_CACHE_DIR": str(store), "COPA_CACHE": "1"}
    made = tmp_path / "made.yaml"
    copa = [sys.executable, "-c", "from copa.cli import main; main()"]
    for args in (
        ["generate", "--clubs", "400", "--seed", "5", "-o", str(made), "--quiet"],
        ["new-season", "2019", str(tmp_path / "clubs.csv"), "-o", str(tmp_path / "new.yaml")],
    ):
        if args[0] == "new-season":
            from copa.core.synthetic import synthetic_clubs
            from copa.sources.clubs_csv import clubs_csv

            (tmp_path / "clubs.csv").write_text(clubs_csv(synthetic_clubs(400, 5)), "utf-8")
        r = subprocess.run([*copa, *args], capture_output=True, text=True, env=env, timeout=600)
        assert r.returncode == 0, r.stderr
    played = tmp_path / "played.yaml"
    r = subprocess.run(
        [*copa, "play", str(tmp_path / "new.yaml"), "-o", str(played), "--quiet"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    for path in (made, played):
        text = path.read_text(encoding="utf-8")
        hit = cache.get(text)
        assert hit is not None, path
        read = parse_pyramid_season(text, str(path)).season
        assert hit.season == read
        assert dumps(hit) == dumps(resolve(read))
    season, history = cache.get(made.read_text(encoding="utf-8"), "season")
    assert season == parse_pyramid_season(made.read_text(encoding="utf-8")).season
    assert history == ()
    assert season_edit.load(str(made)).origin is not None  # results entry starts from it


@pytest.mark.parametrize("text", ["a: 1\n", "\ufeffclubs: [Pacífico — Perú]\n", "x: 🐐\n"])
def test_a_texts_key_is_the_key_of_its_bytes_fingerprint(text: str) -> None:
    """Results entry keys an entry by the fingerprint of the bytes it read or wrote;
    show keys it by the text: the two must name the same entry."""
    from copa.io.safe_write import fingerprint

    assert cache.key(text) == cache.key_of(fingerprint(text.encode("utf-8")))
    assert cache.key(text) != cache.key(text + " ")


@pytest.mark.parametrize("end", ["\n", "\r\n"])
def test_a_file_is_keyed_by_its_text(end: str, store: Path, tmp_path: Path) -> None:
    """The key hashes the bytes read only when they are the text's UTF-8: a file with
    CRLF line ends is keyed by its text (as a command that writes it keys it)."""
    from copa.spec.seasons import season_found

    f = tmp_path / "s.yaml"
    f.write_bytes(SEASON.read_text(encoding="utf-8").replace("\n", end).encode("utf-8"))
    found = season_found(str(f))
    assert "\r" not in found.text
    assert cache.key_of(found.sha256()) == cache.key(found.text)
    assert (found.data is None) == (end == "\r\n")
