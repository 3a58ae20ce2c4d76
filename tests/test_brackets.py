"""Brackets that explain themselves: terminal at 80 and 200 columns, SVG legend and marks, PNG.

Expected facts from the 2011 article: Region I's Deportivo Pomalca beat Sport
Buenos Aires 1–0, 0–3 and then 2–2 (4–3 p) in the deciding match; Sport Buenos
Aires went on as a best loser twice; Region IV's Pacífico lost on penalties
(0–0, 0–0, 3–5 p) and went on as a best loser.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from copa.cli.bracket_text import bracket_text
from copa.core.bracket import bracket
from copa.core.resolve import resolve
from copa.sinks.svg_bracket import bracket_svg, svg_to_png
from copa.spec.seasons import find_season

RESULT = resolve(find_season("2011"))
ARTIFACTS = Path(
    os.environ.get("COPA_ARTIFACTS", Path(__file__).parent.parent / "out" / "artifacts")
)


def drawn(stage: str, width: int) -> str:
    return bracket_text(bracket(RESULT.stage(stage)), width).plain


def clubs(stage: str) -> set[str]:
    return {c for _, ties in bracket(RESULT.stage(stage)).rounds for t in ties for c in t.tie.teams}


@pytest.mark.parametrize("width", [80, 200])
@pytest.mark.parametrize("stage", ["National Stage", "Region I", "Region IV"])
def test_terminal_bracket_fits_and_never_cuts_a_name(stage: str, width: int) -> None:
    text = drawn(stage, width)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= width, stage
    assert "…" not in text
    for club in clubs(stage):
        assert club in text, club


def test_national_is_a_tree_at_200_and_stacked_at_80() -> None:
    wide = drawn("National Stage", 200).splitlines()
    assert all(r in wide[0] for r in ("Round of 16", "Quarterfinals", "Semifinals", "Final"))
    assert "┐" in "".join(wide)
    narrow = drawn("National Stage", 80).splitlines()
    assert "Round of 16" in narrow and "Quarterfinals" in narrow and "Final" in narrow
    # the champion's last line: Real Garcilaso won the final 3–0, 0–1 (3–1 on aggregate... 3–2)
    assert "✔ Real Garcilaso" in "\n".join(narrow[narrow.index("Final") :])


@pytest.mark.parametrize("width", [80, 200])
def test_region_i_best_losers_and_deciding_match(width: int) -> None:
    text = drawn("Region I", width)
    lines = text.splitlines()
    # Sport Buenos Aires re-entered twice (second stage and semifinals), marked each time
    assert sum(1 for line in lines if "Sport Buenos Aires ↩" in line) == 2
    pomalca = next(line for line in lines if "Deportivo Pomalca" in line and "2 (4)" in line)
    assert pomalca.startswith("✔")  # won the deciding match 2–2 (4–3 p)
    assert any("Sport Buenos Aires" in line and "2 (3)" in line for line in lines)
    assert "dec.: deciding match" in text and "re-entered as a best loser" in text
    # the columns are named over each round: leg numbers, and dec. where deciders were played
    first = lines.index("First stage")
    assert lines[first + 1].split() == ["1", "2", "dec."]
    assert lines[lines.index("Semifinals") + 1].split() == ["1", "2"]
    # the Regional Final was one match, Los Caimanes 2–0 Atlético Grau: its score once
    final = lines.index("Regional Final")
    assert re.fullmatch(r"✔ Los Caimanes +│ 2 +│", lines[final + 1])
    assert re.fullmatch(r"  Atlético Grau +│ 0 +│", lines[final + 2])


@pytest.mark.parametrize("width", [80, 200])
def test_region_iv_pacifico_reenters(width: int) -> None:
    text = drawn("Region IV", width)
    assert sum(1 for line in text.splitlines() if "Pacífico ↩" in line) == 1
    first = next(line for line in text.splitlines() if line.strip().startswith("Pacífico "))
    assert "(3)" in first  # lost the first-stage shoot-out 3–5
    assert "Champion: Pacífico" in text


@pytest.mark.parametrize("stage", ["National Stage", "Region I", "Region IV"])
def test_svg_explains_itself_and_png_artifacts(stage: str) -> None:
    title = f"Copa Perú 2011 · {stage}"
    svg = bracket_svg(bracket(RESULT.stage(stage)), title)
    assert "aggregate" in svg and "1st" in svg and "agg" in svg  # legend and column heads
    width = int(svg.split('width="', 1)[1].split('"', 1)[0])
    assert width >= len(title) * 8.6
    if stage == "Region I":
        assert svg.count("best loser</tspan>") == 2 and "dec." in svg
        assert ">2 (4)</text>" in svg and ">2 (3)</text>" in svg
        # each round names only its own columns: deciding matches were played in the
        # first stage only, and the Regional Final was one match (Los Caimanes 2–0)
        assert svg.count(">dec.</text>") == 1 and svg.count(">score</text>") == 1
        assert svg.count(">1st</text>") == 3
    if stage == "Region IV":
        assert svg.count("best loser</tspan>") == 1
        assert svg.count(">score</text>") == 1 and ">dec.</text>" not in svg
    if stage == "National Stage":  # every round two-legged, no deciding match
        assert svg.count(">agg</text>") == 4 and ">score</text>" not in svg
    png = svg_to_png(svg)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"bracket-{stage.replace(' ', '-').lower()}.png").write_bytes(png)


def test_cli_writes_png_by_extension_or_flag(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "80"}
    b = tmp_path / "b.png"
    s = tmp_path / "b.svg"
    p = subprocess.run(
        [
            sys.executable,
            "-m",
            "copa.cli",
            "bracket",
            "2011",
            "--stage",
            "region i",
            "--svg",
            str(b),
            "--png",
            str(tmp_path / "c.png"),
        ],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 0, p.stderr
    assert b.read_bytes()[:4] == b"\x89PNG" and (tmp_path / "c.png").read_bytes()[:4] == b"\x89PNG"
    assert max(len(line) for line in p.stdout.splitlines()) <= 80
    p = subprocess.run(
        [sys.executable, "-m", "copa.cli", "bracket", "2011", "--svg", str(s)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert p.returncode == 0 and s.read_text(encoding="utf-8").startswith("<svg")
