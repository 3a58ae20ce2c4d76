"""One registry for table criteria and tie steps: readers, messages and docs use it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from copa.core.criteria import CRITERIA, criterion
from copa.core.tie import TIE_CRITERIA, tie_criterion
from copa.spec.season_file import SeasonFileError, parse_season

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def _section(title: str) -> str:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def _rows(section: str) -> dict[str, str]:
    """name -> the row's last column, for every name written in `code` in a row's first cell."""
    out = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]
        for name in re.findall(r"`([a-z_]+)`", cells[0]):
            out[name] = cells[-1]
    return out


def test_every_rule_carries_label_abbreviation_and_context() -> None:
    for reg in (CRITERIA, TIE_CRITERIA):
        for name, rule in reg.items():
            assert rule.name == name and rule.label and rule.abbreviation
            assert isinstance(rule.contextual, bool)
    assert CRITERIA["lots"].contextual and not CRITERIA["points"].contextual
    assert TIE_CRITERIA["penalties"].contextual and not TIE_CRITERIA["aggregate"].contextual


def test_docs_list_exactly_the_registered_criteria_with_their_kind() -> None:
    rows = _rows(_section("## Group ranking criteria"))
    assert set(rows) == set(CRITERIA)
    for name, kind in rows.items():
        assert ("contextual" in kind) == CRITERIA[name].contextual, name


def test_docs_list_exactly_the_registered_tie_steps() -> None:
    assert set(_rows(_section("## Tie-resolution steps"))) == set(TIE_CRITERIA)


def test_an_unknown_name_lists_the_choices_from_the_registry() -> None:
    with pytest.raises(KeyError, match=r"unknown criterion 'gd' \(known: away_goals, "):
        criterion("gd")
    with pytest.raises(KeyError, match=r"unknown tie step 'pens' \(known: aggregate, "):
        tie_criterion("pens")
    assert CRITERIA.chain(["points", "lots"]) == (CRITERIA["points"], CRITERIA["lots"])


def test_readers_check_names_against_the_registry() -> None:
    text = """copa: 1
competition: Test
season: "2026"
rules:
  g: {ranking: [points, goals_scored]}
clubs: [{name: A}, {name: B}]
stages:
  - name: S
    kind: league
    rounds:
      - name: R
        rules: g
        groups:
          - name: G
            clubs: [A, B]
            matches: [A 1-0 B]
"""
    with pytest.raises(SeasonFileError) as e:
        parse_season(text, "t.yaml")
    msg = str(e.value)
    assert "rules.g.ranking[1]" in msg and "unknown criterion 'goals_scored'" in msg
    assert CRITERIA.known() in msg
