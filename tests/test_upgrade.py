"""``copa upgrade FILE``: a season file in the current form (copa.spec.upgrade).

The old files are those of ``tests/data/old`` (written by copa at 4370ce1).
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import pytest

from copa.spec.season_file import load_season, parse_season
from copa.spec.seasons import find_season, parse_any
from tests import seed
from tests.cli import run

OLD = Path(__file__).parent / "data" / "old"


@pytest.fixture
def old2011(tmp_path: Path) -> Path:
    path = tmp_path / "2011.yaml"
    shutil.copy(OLD / "2011.yaml", path)
    return path


def test_an_old_full_form_season_includes_its_structure_after_upgrade(
    old2011: Path, monkeypatch, capsys
) -> None:
    before = load_season(old2011)
    code, out, err = run(monkeypatch, capsys, "upgrade", str(old2011))
    assert code == 0, err
    assert out == f"{old2011}: upgraded: now includes the structure copa-peru-2011\n"
    text = old2011.read_text(encoding="utf-8")
    assert "\nstructure: copa-peru-2011\n" in text
    assert "rules:" not in text and "kind:" not in text and "slots:" not in text
    assert text.startswith("# Copa Perú 2011: the regional and national stages as played.\n")
    assert load_season(old2011) == before == find_season("2011")
    # upgrading twice is a no-op, to the byte
    code, out, _ = run(monkeypatch, capsys, "upgrade", str(old2011))
    assert code == 0 and "unchanged" in out
    assert old2011.read_text(encoding="utf-8") == text


def test_check_writes_nothing(old2011: Path, monkeypatch, capsys) -> None:
    text = old2011.read_bytes()
    code, out, _ = run(monkeypatch, capsys, "upgrade", str(old2011), "--check")
    assert code == 0 and "would be upgraded" in out
    assert old2011.read_bytes() == text


def test_the_history_and_the_results_entered_survive_an_upgrade(
    old2011: Path, monkeypatch, capsys
) -> None:
    code, _, err = run(
        monkeypatch,
        capsys,
        "result",
        str(old2011),
        "Real Garcilaso 2-1 Pacífico",
        "--by",
        "ana",
        "--reason",
        "typo",
    )
    assert code == 0, err
    before = old2011.read_text(encoding="utf-8")
    assert "history:" in before
    code, _, err = run(monkeypatch, capsys, "upgrade", str(old2011))
    assert code == 0, err
    after = old2011.read_text(encoding="utf-8")
    assert "structure: copa-peru-2011" in after
    assert parse_season(after, "a") == parse_season(before, "b")
    tail = before[before.index("history:") :]
    assert after.endswith(tail)


@pytest.mark.parametrize("name", ["new-season-2011", "played-2019"])
def test_a_pyramid_season_file_is_left_as_it_is(
    tmp_path: Path, name: str, monkeypatch, capsys
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(gzip.decompress((OLD / f"{name}.yaml.gz").read_bytes()))
    data = path.read_bytes()
    code, out, err = run(monkeypatch, capsys, "upgrade", str(path))
    assert code == 0, err
    assert "a pyramid season file: already in the current form" in out
    assert path.read_bytes() == data


def test_a_season_no_structure_fits_is_left_as_it_is(old2011: Path, monkeypatch, capsys) -> None:
    text = old2011.read_text(encoding="utf-8").replace(
        "tie: [points, goal_difference, away_goals, penalties]", "tie: [aggregate, penalties]"
    )
    old2011.write_text(text, encoding="utf-8")
    code, out, _ = run(monkeypatch, capsys, "upgrade", str(old2011))
    assert code == 0 and "no bundled structure fits it" in out
    assert old2011.read_text(encoding="utf-8") == text
    assert parse_any(text, "x") != find_season("2011")


def test_bad_input_is_one_line_naming_the_line_and_the_file_is_unchanged(
    old2011: Path, monkeypatch, capsys
) -> None:
    text = old2011.read_text(encoding="utf-8").replace("legs: [3-1, 0-1]", "legs: [3-1, 0-x]")
    old2011.write_text(text, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "upgrade", str(old2011))
    line = next(i for i, x in enumerate(text.splitlines(), 1) if "0-x" in x)
    assert code == 2 and out == ""
    assert err.startswith(f"copa: error: {old2011}:{line}: ") and err.count("\n") == 1
    assert old2011.read_text(encoding="utf-8") == text


@pytest.mark.skipif(not seed.SEED.exists(), reason=seed.ARTICLE)
def test_an_imported_article_upgraded_keeps_its_season_and_its_markup(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    out = tmp_path / "imported.yaml"
    code, _, err = run(monkeypatch, capsys, "import", str(seed.SEED), "-o", str(out))
    assert code == 0, err
    before = out.read_text(encoding="utf-8")
    code, article, err = run(monkeypatch, capsys, "export", str(out), "--format", "wiki")
    assert code == 0 and "{{Infobox football league season" in article, err
    code, o, err = run(monkeypatch, capsys, "upgrade", str(out))
    assert code == 0 and "now includes the structure copa-peru-2011" in o, err
    after = out.read_text(encoding="utf-8")
    assert "\nwiki:\n" in after and "rules:" not in after
    assert parse_season(after, "a") == parse_season(before, "b") == find_season("2011")
    code, again, _ = run(monkeypatch, capsys, "export", str(out), "--format", "wiki")
    assert code == 0 and again == article  # the article's own tables, as before


def test_a_file_not_in_utf8_is_one_line_naming_its_line(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"copa: 1\nclubs: []\n# \xff\n")
    code, _, err = run(monkeypatch, capsys, "upgrade", str(bad))
    assert code == 2 and err == f"copa: error: {bad}:3: not valid UTF-8 (invalid start byte)\n"
    assert bad.read_bytes() == b"copa: 1\nclubs: []\n# \xff\n"
