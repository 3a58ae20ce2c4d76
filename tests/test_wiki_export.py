"""``copa export --format wiki``: the 2011 season as wikitext, checked against the article.

The export is read here with plain regular expressions; expected numbers
come from the article's own grids and rows (``tests/article2011.py``).
"""

from __future__ import annotations

import dataclasses
import re
import sys

import pytest

from copa.core.criteria import CRITERIA
from copa.core.resolve import resolve
from copa.sinks.wiki_export import WikiExportError, season_wikitext
from copa.sources.wiki.audit import audit_import
from copa.sources.wiki.importer import import_wiki
from copa.spec.seasons import find_season
from tests.article2011 import SEED, all_matches, grid_matches, grid_table, one_legs, tables
from tests.seed import ARTICLE

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=ARTICLE)


@pytest.fixture(scope="module")
def wiki() -> str:
    return season_wikitext(resolve(find_season("2011")))


def sports_tables(src: str) -> dict[tuple[str, ...], dict[str, object]]:
    """Tables of the export by (stage, group) heading, with their parameters."""
    out = {}
    for m in re.finditer(r"\{\{#invoke:sports table\|main(.*?)\n\}\}", src, re.S):
        heads = re.findall(r"^(==+)([^=].*?)\1$", src[: m.start()], re.M)
        stage = [t for lvl, t in heads if len(lvl) == 2][-1]
        group = heads[-1][1]
        params = dict(re.findall(r"\|([^=|\n]+)=([^|\n]*)", m.group(1)))
        out[(stage, group)] = params
    return out


def test_each_group_publishes_its_grids_numbers(wiki: str) -> None:
    exported = sports_tables(wiki)
    assert set(exported) == set(tables())
    for section, article in tables().items():
        p = exported[section]
        codes = [p[f"team{i}"] for i in range(1, len(article["codes"]) + 1)]
        assert len(set(codes)) == len(codes)  # codes unique within the table
        names = {c: p[f"name_{c}"] for c in codes}
        grid = grid_table(grid_matches(article))
        for code, club in names.items():
            row = grid[club]
            got = tuple(int(p[f"{k}_{code}"]) for k in ("win", "draw", "loss", "gf", "ga"))
            assert got == (row["won"], row["drawn"], row["lost"], row["gf"], row["ga"]), (
                section,
                club,
            )
        cells = [k for k in p if k.startswith("match_")]
        assert all(k.split("_")[1] in codes and k.split("_")[2] in codes for k in cells)
    # the row the article gets wrong (Universitario de Trujillo GA 1 at line 494) is published right
    region2b = exported[("Region II", "Group B")]
    unt = next(
        k[5:]
        for k, v in region2b.items()
        if k.startswith("name_") and v == "Universitario de Trujillo"
    )
    assert region2b[f"ga_{unt}"] == "2"


def test_qualification_marks_and_class_rules(wiki: str) -> None:
    exported = sports_tables(wiki)
    group_c = exported[("Region II", "Group C")]
    assert (group_c["result1"], group_c["result2"]) == (
        "Q",
        "Q",
    )  # Huallaga, and UTC as best runner-up
    assert "result2" not in exported[("Region II", "Group A")]
    assert group_c["col_Q"] == "green1" and group_c["text_Q"] == "Semifinals"
    labels = [
        CRITERIA[c].label
        for c in ("points", "goal_difference", "goals_for", "head_to_head", "lots")
    ]
    expected = "; ".join(f"{i}) {lab[0].upper()}{lab[1:]}" for i, lab in enumerate(labels, 1)) + "."
    assert (
        group_c["class_rules"]
        == expected
        == "1) Points; 2) Goal difference; 3) Goals scored; 4) Head-to-head; 5) Drawing of lots."
    )


def test_ties_notes_and_tiebreakers(wiki: str) -> None:
    # Round of 16 (seed line 1472): Universitario de Trujillo 1–1 (a) Los Caimanes, legs 1–1, 0–0
    assert "{{TwoLegResult|Universitario de Trujillo||1–1 (a)|Los Caimanes||1–1|0–0}}" in wiki
    # Region IV first stage (line 634): Pacífico 0–0 (3–5 p) Estudiantes Condestable
    assert "{{TwoLegResult|Pacífico||0–0 (3–5 p)|Estudiantes Condestable||0–0|0–0}}" in wiki
    # Region I first stage: its four tiebreakers (lines 396-404) under a Tiebreaker heading
    block = wiki[wiki.index("===First stage===") : wiki.index("===Second stage===")]
    tiebreak = block[block.index("====Tiebreaker====") :]
    rows = re.findall(r"\{\{OneLegResult\|([^|]+)\|\|([^|]+)\|([^}]+)\}\}", tiebreak)
    article = [
        (r["team1"], r["score"], r["team2"])
        for r in one_legs()
        if r["section"] == ("Region I", "First stage", "Tiebreaker")
    ]
    assert rows == article


def test_bracket_and_infobox(wiki: str) -> None:
    bracket = wiki[wiki.index("{{16TeamBracket") :]
    assert re.findall(r"\| RD(\d)=([^\n]+)", bracket) == [
        ("1", "Round of 16"),
        ("2", "Quarterfinals"),
        ("3", "Semifinals"),
        ("4", "Final"),
    ]
    assert len(set(re.findall(r"\| RD1-team\d\d=([^\n]+)", bracket))) == 16
    # the quarterfinal Los Caimanes v UTC (line 1490): 1–0, 0–1 and 3–2 on penalties
    assert "| RD2-score01-agg=1 (3)" in bracket and "| RD2-team01=Los Caimanes" in bracket
    matches = all_matches()
    home = max(matches, key=lambda m: m[2] - m[3])
    away = max(matches, key=lambda m: m[3] - m[2])
    assert f"| biggest home win = {home[0]} {home[2]}–{home[3]} {home[1]}" in wiki
    assert f"| biggest away win = {away[0]} {away[2]}–{away[3]} {away[1]}" in wiki
    assert (
        '<ref group="note">Only Regional and National Stages taken into consideration</ref>' in wiki
    )
    assert f"| matches = {len(matches)}\n" in wiki
    assert f"| total goals = {sum(m[2] + m[3] for m in matches)}\n" in wiki
    assert "| winners = Real Garcilaso" in wiki


def test_the_export_imports_back_and_audits_clean(wiki: str) -> None:
    imp = import_wiki(wiki, "2011.wiki")
    assert imp.season == find_season("2011")
    assert imp.notes == ()
    audit = audit_import(imp)
    assert audit.findings == ()
    assert dict(audit.checked)["table rows"] == 49


def test_names_wikitext_cannot_carry_are_refused(monkeypatch, capsys, tmp_path) -> None:
    season = find_season("2011")
    clubs = list(season.clubs)
    clubs[0] = dataclasses.replace(clubs[0], location="Mendoza | Rodríguez")
    with pytest.raises(WikiExportError, match="location 'Mendoza | Rodríguez' cannot be written"):
        season_wikitext(resolve(dataclasses.replace(season, clubs=tuple(clubs))))
    from copa.cli import main
    from copa.spec.season_writer import write_season

    path = tmp_path / "odd.yaml"
    path.write_text(write_season(dataclasses.replace(season, clubs=tuple(clubs))), encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["copa", "export", str(path), "--format", "wiki"])
    with pytest.raises(SystemExit) as e:
        main()
    assert e.value.code == 2
    assert capsys.readouterr().err.startswith("copa: error: location 'Mendoza | Rodríguez' cannot")


def _article_tables(src: str) -> list[str]:
    import wikitextparser as wtp

    return [
        pf.string
        for pf in wtp.parse(src).parser_functions
        if "sports table" in pf.name + pf.string[:40]
    ]


def _changed_lines(article: str, out: str) -> list[tuple[str, str]]:
    """The lines that differ between the article's sports tables and the export's."""
    mine, theirs = _article_tables(out), _article_tables(article)
    assert len(mine) == len(theirs)
    changed = []
    for a, b in zip(theirs, mine, strict=True):
        la, lb = a.split("\n"), b.split("\n")
        assert len(la) == len(lb)  # same parameters, same order, same layout
        changed += [(x, y) for x, y in zip(la, lb, strict=True) if x != y]
    return changed


#: the article's rows against its own grids (see test_audit): exactly these values change
CORRECTED_ROWS = [
    (
        "|win_UNT=3|draw_UNT=0|loss_UNT=1|gf_UNT=9|ga_UNT=1",
        "|win_UNT=3|draw_UNT=0|loss_UNT=1|gf_UNT=9|ga_UNT=2",
    ),
    (
        "|win_CVO=2|draw_CVO=1|loss_CVO=1|gf_CVO=6|ga_CVO=3",
        "|win_CVO=2|draw_CVO=1|loss_CVO=1|gf_CVO=6|ga_CVO=4",
    ),
    (
        "|win_MUM=3|draw_MUM=1|loss_MUM=2|gf_MUM=9|ga_MUM=9",
        "|win_MUM=3|draw_MUM=1|loss_MUM=2|gf_MUM=9|ga_MUM=10",
    ),
    (
        "|win_JVT=1|draw_JVT=1|loss_JVT=4|gf_JVT=3|ga_JVT=9",
        "|win_JVT=1|draw_JVT=1|loss_JVT=4|gf_JVT=4|ga_JVT=9",
    ),
    (
        "|win_SPT=1|draw_SPT=2|loss_SPT=3|gf_SPT=10|ga_SPT=16",
        "|win_SPT=1|draw_SPT=2|loss_SPT=3|gf_SPT=10|ga_SPT=15",
    ),
]


def test_export_like_the_article_keeps_its_markup_and_changes_only_real_values(tmp_path) -> None:
    from copa.sinks.wiki_export import like_article
    from copa.sources.reader import import_source

    article = SEED.read_text(encoding="utf-8")
    like = like_article(import_source(str(SEED), "wiki", None))
    out = season_wikitext(resolve(find_season("2011")), like)
    assert len(_article_tables(out)) == 13
    assert _changed_lines(article, out) == CORRECTED_ROWS
    assert "|matches_style=FBR |solid_cell=grey" in out and "|res_col_header=Q" in out
    assert "| prevseason = 2010" in out and "| nextseason = 2012" in out
    # and it reads back: the export audits clean
    assert audit_import(import_wiki(out, "like.wiki")).findings == ()


def test_imported_article_exports_its_own_tables_without_like(monkeypatch, capsys, tmp_path):
    """``copa import ARTICLE -o s.yaml`` then ``copa export s.yaml --format wiki``: the season
    file remembers the article's markup (``wiki:``), so no ``--like`` is needed."""
    from copa.cli import main

    season, out_path = tmp_path / "2011.yaml", tmp_path / "2011.wiki"
    for args in (
        ["import", str(SEED), "-o", str(season)],
        ["export", str(season), "--format", "wiki", "-o", str(out_path)],
    ):
        monkeypatch.setattr(sys, "argv", ["copa", *args])
        try:
            main()
        except SystemExit as e:
            assert e.code in (0, None), capsys.readouterr().err
    assert "\nwiki:\n" in season.read_text(encoding="utf-8")
    out = out_path.read_text(encoding="utf-8")
    assert len(_article_tables(out)) == 13
    assert _changed_lines(SEED.read_text(encoding="utf-8"), out) == CORRECTED_ROWS
    assert "|matches_style=FBR |solid_cell=grey" in out and "|res_col_header=Q" in out
    assert "| prevseason = 2010" in out and "| nextseason = 2012" in out
    assert audit_import(import_wiki(out, "imported.wiki")).findings == ()


def test_export_has_no_lead_of_its_own_and_the_scope_note_is_a_footnote(wiki: str) -> None:
    assert "as copa computes it" not in wiki
    assert (
        '<ref group="note">Only Regional and National Stages taken into consideration</ref>' in wiki
    )
    assert "<br />Only" not in wiki
    assert wiki.rstrip().endswith('{{reflist|group="note"}}')
