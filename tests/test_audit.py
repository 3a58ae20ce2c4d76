"""``copa audit`` on the 2011 article: what it publishes against what its own results give.

Expected discrepancies are derived here from the article's grids and rows
(``tests/article2011.py``, plain regular expressions) and, as a second
check, typed from the article with the lines they come from.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from copa.sources.wiki.audit import audit_import, render_json, render_text
from copa.sources.wiki.importer import import_wiki
from tests.article2011 import (
    SEED,
    all_matches,
    grid_matches,
    grid_table,
    line_of,
    tables,
    text,
    two_legs,
)
from tests.cli import run
from tests.seed import ARTICLE

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=ARTICLE)

LABEL = {"win": "W", "draw": "D", "loss": "L", "gf": "GF", "ga": "GA"}
GRID = {"win": "won", "draw": "drawn", "loss": "lost", "gf": "gf", "ga": "ga"}


@pytest.fixture(scope="module")
def audit():
    return audit_import(import_wiki(text(), "2011-copa-peru.txt"))


def expected_rows() -> list[tuple[str, int, str, str, str]]:
    """(section, line, subject, published, grid) for every published number its grid contradicts."""
    out = []
    for section, t in tables().items():
        grid = grid_table(grid_matches(t))
        for code in t["codes"]:
            club = t["names"][code]
            row, real = t["published"][code], grid[club]
            who = f"{code} ({club})" if code != club else club
            for key in ("win", "draw", "loss", "gf", "ga"):
                if row[key] != real[GRID[key]]:
                    out.append(
                        (
                            " > ".join(section),
                            row["line"],
                            f"{who} {LABEL[key]}",
                            str(row[key]),
                            str(real[GRID[key]]),
                        )
                    )
            points = 3 * row["win"] + row["draw"]
            if points != real["points"]:
                out.append(
                    (
                        " > ".join(section),
                        row["line"],
                        f"{who} points",
                        str(points),
                        str(real["points"]),
                    )
                )
    return out


def test_table_rows_that_disagree_with_their_grids(audit) -> None:
    got = [
        (f.where, f.line, f.subject, f.published, f.computed)
        for f in audit.findings
        if f.check == "table row"
    ]
    assert got == expected_rows()
    # the same, typed from the article: published row (line) v the grid of its table
    assert [(w, s, p, c) for w, _, s, p, c in got] == [
        ("Region II > Group B", "UNT (Universitario de Trujillo) GA", "1", "2"),  # line 494
        ("Region II > Group B", "CVO (Cultural Volante) GA", "3", "4"),  # line 496
        ("Region V > Group A", "MUM (Deportivo Municipal (Morococha)) GA", "9", "10"),  # line 734
        ("Region V > Group A", "JVT (Juventud Ticlacayán) GF", "3", "4"),  # line 738
        ("Region V > Group B", "SPT (Sport Ticlacayán) GA", "16", "15"),  # line 790
    ]
    assert [line for _, line, *_ in got] == [
        line_of("|win_UNT=3"),
        line_of("|win_CVO=2"),
        line_of("|win_MUM=3|draw_MUM=1|loss_MUM=2"),
        line_of("|win_JVT=1"),
        line_of("|win_SPT=1"),
    ]


def test_goals_for_and_against_that_do_not_balance(audit) -> None:
    expected = []
    for section, t in tables().items():
        gf = sum(r["gf"] for r in t["published"].values())
        ga = sum(r["ga"] for r in t["published"].values())
        if gf != ga:
            expected.append((" > ".join(section), t["line"], f"{gf} v {ga}"))
    got = [(f.where, f.line, f.published) for f in audit.findings if f.check == "goal balance"]
    assert got == expected
    # Region II Group B publishes 9+6+1 = 16 goals for and 1+3+10 = 14 against (lines 494-498);
    # Region V Group B 13+11+10+9 = 43 for and 4+8+16+16 = 44 against (lines 784-792)
    assert [p for _, _, p in got] == ["16 v 14", "43 v 44"]


def _record(matches, value):
    best = max(v for m in matches if (v := value(m)) is not None)
    return best, sorted(
        f"{h} {a_}–{b_} {a}" for h, a, a_, b_ in matches if value((h, a, a_, b_)) == best
    )


def test_infobox_records_are_not_the_records_of_the_stages_it_names(audit) -> None:
    """Scope: "Only Regional and National Stages taken into consideration" (line 18): every match."""
    matches = all_matches()
    home = _record(matches, lambda m: m[2] - m[3] if m[2] > m[3] else None)
    away = _record(matches, lambda m: m[3] - m[2] if m[3] > m[2] else None)
    total = _record(matches, lambda m: m[2] + m[3])
    assert home == (14, ["Real Garcilaso 14–0 Deportivo Maldonado"])
    assert away == (5, ["Sport Huracán 0–5 Deportivo Municipal (Paucará)"])
    assert total == (14, ["Real Garcilaso 14–0 Deportivo Maldonado"])
    got = {
        f.subject: f
        for f in audit.findings
        if f.check == "infobox" and not f.computed.endswith("at home")
    }
    assert len(got) == 3
    assert got["biggest home win"].published == "Los Caimanes 5–0 San Antonio (C) (goal margin 5)"
    assert got["biggest home win"].computed == f"{home[1][0]} (goal margin {home[0]})"
    assert (
        got["biggest away win"].published
        == "Los Tigres 1–4 Pacífico; Pomalca 0–3 Sport Buenos Aires (goal margin 3)"
    )
    assert got["biggest away win"].computed == f"{away[1][0]} (goal margin {away[0]})"
    assert got["highest scoring"].published == "Minas (O) 2–4 Real Garcilaso (goals 6)"
    assert got["highest scoring"].computed == f"{total[1][0]} (goals {total[0]})"
    assert {f.line for f in got.values()} == {
        line_of("| biggest home win"),
        line_of("| biggest away win"),
        line_of("| highest scoring"),
    }


def test_infobox_records_written_from_the_wrong_side(audit) -> None:
    """Three published records are second legs written from the first club's side."""
    matches = {(h, a, x, y) for h, a, x, y in all_matches()}
    for home, away, x, y in [
        ("Los Tigres", "Pacífico", 1, 4),
        ("Deportivo Pomalca", "Sport Buenos Aires", 0, 3),
        ("Unión Minas de Orcopampa", "Real Garcilaso", 2, 4),
    ]:
        assert (home, away, x, y) not in matches and (away, home, y, x) in matches
    turned = sorted(f.computed for f in audit.findings if f.computed.endswith("at home"))
    assert turned == [
        "Pacífico 4–1 Los Tigres, with Pacífico at home",
        "Real Garcilaso 4–2 Unión Minas de Orcopampa, with Real Garcilaso at home",
        "Sport Buenos Aires 3–0 Deportivo Pomalca, with Sport Buenos Aires at home",
    ]


def test_nothing_false_anywhere_else(audit) -> None:
    assert {f.check for f in audit.findings} == {"table row", "goal balance", "infobox"}
    assert len(audit.findings) == 5 + 2 + 6
    checked = dict(audit.checked)
    assert checked["tables"] == len(tables()) == 13
    assert checked["table rows"] == sum(len(t["codes"]) for t in tables().values())
    assert checked["aggregates"] == len(two_legs()) == 34
    assert checked["brackets"] == 1 and checked["infobox"] == 1
    assert audit.notes == ()


@pytest.mark.parametrize(
    ("old", "new", "check", "subject", "anchor"),
    [
        # a TwoLegResult whose aggregate is not the sum of its legs
        (
            "{{TwoLegResult| Atlético Grau || 5–3 |",
            "{{TwoLegResult| Atlético Grau || 5–2 |",
            "aggregate",
            "Atlético Grau v José Chiroque Cielo aggregate",
            "{{TwoLegResult| Atlético Grau || 5–2",
        ),
        # a bracket cell that disagrees with its tie (UTC scored 3 in leg 2 of the round of 16)
        (
            "| RD1-score03-2=3",
            "| RD1-score03-2=2",
            "bracket",
            "UTC leg 2",
            "| RD1-score03-2=2",
        ),  # at the score parameter itself
        # a table in the wrong order: published Universitario de Trujillo below Cultural Volante
        (
            "|team1=UNT|name_UNT=Universitario de Trujillo\n\n|team2=CVO|name_CVO=Cultural Volante",
            "|team1=CVO|name_CVO=Cultural Volante\n\n|team2=UNT|name_UNT=Universitario de Trujillo",
            "table order",
            "order of the table",
            None,
        ),
        # a qualification mark the rules do not give (Region V Group A sends one club on)
        (
            "|col_A=#ffffcc |text_A=National stage\n\n|result1=A\n\n|update=complete|source=\n\n|match_ADT_MUM",
            "|col_A=#ffffcc |text_A=National stage\n\n|result1=A |result2=A\n\n|update=complete|source=\n\n|match_ADT_MUM",
            "qualification",
            "clubs marked as going on",
            None,
        ),
        # an (a) on a tie that away goals did not decide
        (
            "{{TwoLegResult| Alianza Universidad || 5–1 |",
            "{{TwoLegResult| Alianza Universidad || 5–1 (a) |",
            "rules",
            "recorded as decided on away goals, but the rules decide it on points",
            "{{TwoLegResult| Alianza Universidad",
        ),
        # winners the results do not give
        (
            "| winners = Real Garcilaso",
            "| winners = Pacífico",
            "infobox",
            "winners",
            "| winners = Pacífico",
        ),
    ],
)
def test_each_kind_of_false_claim_is_found(
    old: str, new: str, check: str, subject: str, anchor: str | None
) -> None:
    """One false claim put into the article is found, at its line (a table's claims: the table's)."""
    src = text()
    assert src.count(old) == 1
    changed = src.replace(old, new)
    found = [
        f
        for f in audit_import(import_wiki(changed, "x.txt")).findings
        if f.check == check and f.subject == subject
    ]
    if anchor is None:
        start = changed.rfind("{{#invoke:sports table", 0, changed.index(new))
        line = changed.count("\n", 0, start) + 1
    else:
        line = line_of(anchor, changed)
    assert [f.line for f in found] == [line]


def test_reports_text_and_json(audit) -> None:
    report = render_text(audit)
    assert "13 claims disagree with the results" in report
    assert (
        "2011-copa-peru.txt:494: table row: Region II > Group B: UNT (Universitario de Trujillo) GA: published 1, results give 2"
        in report
    )
    data = json.loads(render_json(audit))
    assert data["ok"] is False and len(data["findings"]) == 13
    assert data["findings"][0] == {
        "check": "table row",
        "where": "Region II > Group B",
        "line": 494,
        "subject": "UNT (Universitario de Trujillo) GA",
        "published": "1",
        "computed": "2",
        "note": "grid",
        "fix": {"parameter": "ga_UNT", "from": "1", "to": "2"},
        "explained_by": None,
    }


def test_cli_exit_codes(tmp_path: Path, monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "audit", str(SEED))
    assert code == 1 and "13 claims disagree" in out
    code, out, _ = run(monkeypatch, capsys, "audit", str(SEED), "--format", "json")
    assert code == 1 and json.loads(out)["ok"] is False
    exported = tmp_path / "2011.wiki"
    code, _, _ = run(monkeypatch, capsys, "export", "2011", "--format", "wiki", "-o", str(exported))
    assert code == 0
    code, out, _ = run(monkeypatch, capsys, "audit", str(exported))
    assert code == 0 and "every published claim agrees with the results" in out
    broken = tmp_path / "broken.wiki"
    broken.write_text(text().replace("| season = 2011", "| season = 1999"), encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "audit", str(broken))
    assert (
        code == 2
        and out == ""
        and err.startswith(f"copa: error: {broken}:3: no preset for Copa Perú 1999")
    )
    code, _, err = run(monkeypatch, capsys, "audit", str(broken), "--preset", "copa-peru-2011")
    assert code == 1
