"""``copa audit --fix``: the exact parameter to change, root causes, and the corrected article."""

from __future__ import annotations

from pathlib import Path

import pytest

from copa.sources.wiki.audit import audit_import, fixed_text, render_text
from copa.sources.wiki.importer import import_wiki
from copa.wikitext.edit import Edit, apply
from tests.article2011 import SEED, line_of, text
from tests.cli import run
from tests.seed import ARTICLE

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=ARTICLE)

# The corrections, typed from the article: its rows against its own grids, its infobox
# records against the regional and national results it says it covers (211 matches,
# 586 goals over those stages).
ROWS = [
    ("|gf_UNT=9|ga_UNT=1\n", "|gf_UNT=9|ga_UNT=2\n"),
    ("|gf_CVO=6|ga_CVO=3\n", "|gf_CVO=6|ga_CVO=4\n"),
    ("|gf_MUM=9|ga_MUM=9\n", "|gf_MUM=9|ga_MUM=10\n"),
    ("|gf_JVT=3|ga_JVT=9\n", "|gf_JVT=4|ga_JVT=9\n"),
    ("|gf_SPT=10|ga_SPT=16\n", "|gf_SPT=10|ga_SPT=15\n"),
]
INFOBOX = [
    (
        "| biggest home win = Los Caimanes 5–0 San Antonio (C)\n",
        "| biggest home win = Real Garcilaso 14–0 Deportivo Maldonado\n",
    ),
    (
        "| biggest away win = Los Tigres 1–4 Pacífico\nPomalca 0–3 Sport Buenos Aires\n",
        "| biggest away win = Sport Huracán 0–5 Deportivo Municipal (Paucará)\n",
    ),
    (
        "| highest scoring = Minas (O) 2–4 Real Garcilaso Only",
        "| highest scoring = Real Garcilaso 14–0 Deportivo Maldonado Only",
    ),
    ("| matches =\n", "| matches = 211\n"),
    ("| total goals =\n", "| total goals = 586\n"),
]


def corrected(src: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        assert src.count(old) == 1, old
        src = src.replace(old, new)
    return src


def test_each_finding_names_the_parameter_and_value_to_write() -> None:
    a = audit_import(import_wiki(text(), "2011.txt"))
    report = render_text(a)
    assert (
        "2011.txt:494: table row: Region II > Group B: UNT (Universitario de Trujillo) GA: published 1, results give 2 (grid); write ga_UNT=2"
        in report
    )
    assert "write gf_JVT=4" in report and "write ga_SPT=15" in report
    # goal balance follows from the rows: no correction of its own
    assert "explained by ga_UNT, ga_CVO" in report
    # empty infobox numbers are suggestions, not disagreements
    assert [(f.subject, f.computed, f.line) for f in a.suggestions] == [
        ("matches", "211", line_of("| matches =")),
        ("total goals", "586", line_of("| total goals =")),
    ]
    assert len(a.findings) == 13


def test_fix_changes_exactly_the_wrong_values_and_audits_clean() -> None:
    src = text()
    a = audit_import(import_wiki(src, "2011.txt"))
    before, after, missing = fixed_text(a)
    assert before == src and missing == []
    # prose, references, comments, codes, styling and the order of parameters untouched:
    # the corrected article is the article with these values, and only these, changed
    assert after == corrected(src, ROWS + INFOBOX)
    again = audit_import(import_wiki(after, "fixed.txt"))
    assert again.findings == () and again.suggestions == ()


def test_one_reversed_cell_explains_many_findings() -> None:
    src = text()
    assert src.count("|match_HUA_UTC=4—0") == 1
    reversed_ = src.replace("|match_HUA_UTC=4—0", "|match_HUA_UTC=0—4")
    a = audit_import(import_wiki(reversed_, "reversed.txt"))
    cause = [f for f in a.findings if f.check == "root cause"]
    assert len(cause) == 1
    c = cause[0]
    assert c.subject.startswith("match_HUA_UTC") and c.line == line_of("|match_HUA_UTC=")
    assert c.edit == Edit(c.edit.template_line, "match_HUA_UTC", "0—4", "4—0")
    explained = [f for f in a.findings if f.explained_by == "match_HUA_UTC"]
    # Huallaga's and UTC's W, L, GF, GA and points (10), the table's order and its marks
    assert len(explained) == 12 and "explains 12 findings" in c.note
    assert all(f.edit is None for f in explained)
    # the one correction restores the article's grid: fixing gives what fixing the article gives
    _, after, _ = fixed_text(a)
    assert after == corrected(src, ROWS + INFOBOX)


def test_bracket_disagreement_reported_once_at_its_score_parameter() -> None:
    src = text()
    changed = src.replace("| RD4-score01-1=1\n", "| RD4-score01-1=2\n")
    assert changed != src
    a = audit_import(import_wiki(changed, "bracket.txt"))
    found = [f for f in a.findings if f.check == "bracket"]
    assert len(found) == 1
    f = found[0]
    assert f.line == line_of("| RD4-score01-1=", changed)
    assert f.edit is not None and f.edit.text() == "RD4-score01-1=1"
    assert not [n for n in a.notes if n.kind == "bracket"]


def test_apply_keeps_whitespace_and_other_parameters() -> None:
    src = "{{T\n| a = 1 <!-- keep -->\n| b=2|c =\n}}\nprose\n"
    out, missing = apply(
        src, [Edit(1, "b", "2", "3"), Edit(1, "c", "", "9"), Edit(1, "zz", "", "1")]
    )
    assert out == "{{T\n| a = 1 <!-- keep -->\n| b=3|c = 9\n}}\nprose\n"
    assert [e.param for e in missing] == ["zz"]


def test_cli_fix_writes_the_article_and_prints_the_diff(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    fixed = tmp_path / "fixed.txt"
    code, out, err = run(monkeypatch, capsys, "audit", str(SEED), "--fix", "-o", str(fixed))
    assert code == 0, err
    assert out.startswith(f"--- {SEED}\n+++ {fixed}\n")
    removed = [
        line for line in out.splitlines() if line.startswith("-") and not line.startswith("---")
    ]
    # the changed lines only: five rows and the infobox's records and totals
    assert len([r for r in removed if r.startswith("-|win_")]) == 5
    assert "-| matches =" in removed and "+| matches = 211" in out.splitlines()
    assert fixed.read_text(encoding="utf-8") == corrected(text(), ROWS + INFOBOX)
    code, out, _ = run(monkeypatch, capsys, "audit", str(fixed))
    assert code == 0 and "every published claim agrees with the results" in out
    code, _, err = run(monkeypatch, capsys, "audit", str(SEED), "--fix")
    assert code == 2 and "-o FIXED" in err
