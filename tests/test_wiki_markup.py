"""A season imported from an article remembers the article's markup (``wiki:`` in the season
file), so ``copa export --format wiki`` writes the article's own tables without ``--like``.

The article is a small hand-written one shipped in ``tests/data`` (runs on a fresh clone):
its rows for Deportivo Huanta (``ga_DEP=8``) and Juventud Luricocha (``gf_JUV=4``) disagree
with its own grid; worked by hand from the grid, DEP conceded 2+1+0+3+2+1 = 9 and JUV
scored 0+1+1+1+0+0 = 3. Those two values, and nothing else of the table, must change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from copa.sources.wiki.audit import audit_import
from copa.sources.wiki.importer import import_wiki
from copa.spec.errors import SeasonFileError
from copa.spec.formats import load_format
from copa.spec.season_file import WikiModel, WikiTableModel, parse_season, season_wiki
from copa.spec.season_writer import write_season
from tests.cli import run

DATA = Path(__file__).parent / "data"
ARTICLE = DATA / "liga-huanta-2024.wiki"
FORMAT = DATA / "liga-huanta-2024.format.yaml"


def sports_table(src: str) -> str:
    start = src.index("{{#invoke:sports table")
    return src[start : src.index("\n}}", start) + 3]


@pytest.fixture()
def imported(monkeypatch, capsys, tmp_path) -> Path:
    season = tmp_path / "huanta.yaml"
    code, _, err = run(
        monkeypatch, capsys, "import", str(ARTICLE), "--preset", str(FORMAT), "-o", str(season)
    )
    assert code == 0, err
    return season


def test_the_season_file_keeps_the_articles_table_and_codes(imported: Path) -> None:
    text = imported.read_text(encoding="utf-8")
    wiki = season_wiki(text, str(imported))
    assert wiki is not None
    (table,) = wiki.tables
    assert (table.stage, table.round, table.group) == ("District Stage", "League", "Table")
    assert table.codes == {
        "Sport Santa Rosa": "SAN",
        "Atlético Huanta": "ATL",
        "Deportivo Huanta": "DEP",
        "Juventud Luricocha": "JUV",
    }
    assert table.text == sports_table(ARTICLE.read_text(encoding="utf-8"))
    # the infobox values as written, links and all
    assert wiki.infobox == {
        "prevseason": "[[2023 Liga Distrital de Huanta|2023]]",
        "nextseason": "[[2025 Liga Distrital de Huanta|2025]]",
    }
    assert "\nwiki:\n" in text and "      text: |-\n" in text  # a readable block, not one line
    parse_season(text, str(imported))  # and the one reader accepts it


def test_export_writes_the_articles_table_with_only_the_wrong_values_changed(
    monkeypatch, capsys, imported: Path
) -> None:
    code, out, err = run(monkeypatch, capsys, "export", str(imported), "--format", "wiki")
    assert code == 0, err
    article = ARTICLE.read_text(encoding="utf-8")
    before, after = sports_table(article).split("\n"), sports_table(out).split("\n")
    assert len(before) == len(after)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [
        (
            "|win_DEP=2 |draw_DEP=1 |loss_DEP=3 |gf_DEP=7 |ga_DEP=8",
            "|win_DEP=2 |draw_DEP=1 |loss_DEP=3 |gf_DEP=7 |ga_DEP=9",
        ),
        (
            "|win_JUV=0 |draw_JUV=2 |loss_JUV=4 |gf_JUV=4 |ga_JUV=10",
            "|win_JUV=0 |draw_JUV=2 |loss_JUV=4 |gf_JUV=3 |ga_JUV=10",
        ),
    ]
    # flag template, styling, comment and source kept as the article writes them
    for kept in (
        "|name_SAN={{flagicon|PER}} Sport Santa Rosa",
        "|show_matches=true |matches_style=FBR",
        "|col_Q=green1 |text_Q=Provincial Stage",
        "<!-- the grid: home side first -->",
        "|source=[https://example.org/huanta Liga Distrital de Huanta]",
    ):
        assert kept in out
    assert "| prevseason = [[2023 Liga Distrital de Huanta|2023]]" in out
    assert "| nextseason = [[2025 Liga Distrital de Huanta|2025]]" in out
    # the export reads back and audits clean
    fmt = load_format(str(FORMAT))
    assert audit_import(import_wiki(out, "export.wiki", fmt)).findings == ()


def test_a_season_made_in_copa_gets_conventional_codes(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "export", "2011", "--format", "wiki")
    assert code == 0
    assert "|matches_style=FBR" not in out and "prevseason" not in out
    # conventional codes: the initials of a name's main words, or a one-word name's first three
    assert "|team1=USP|name_USP=Universidad San Pedro" in out
    assert "|team1=HUA|name_HUA=Huallaga" in out


def test_results_corrected_in_the_season_file_reach_the_export(
    monkeypatch, capsys, imported: Path
) -> None:
    """The kept table is markup: its values always come from the season's results."""
    text = imported.read_text(encoding="utf-8")
    text = text.replace(
        "Juventud Luricocha 0-3 Sport Santa Rosa", "Juventud Luricocha 1-3 Sport Santa Rosa"
    )
    imported.write_text(text, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "export", str(imported), "--format", "wiki")
    assert code == 0, err
    assert "|match_JUV_SAN=1–3 " in out  # the article's dash kept
    assert "|gf_JUV=4 |ga_JUV=10" in out and "|gf_SAN=11 |ga_SAN=4" in out


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "      group: Table\n",
            "      group: Tabla\n",
            "no group 'Tabla' in District Stage, League",
        ),
        ("      round: League\n", "      round: Liga\n", "no round 'Liga' in District Stage"),
        (
            "Juventud Luricocha: JUV}",
            "Juventud Luricocha: SAN}",
            "two clubs share a code",
        ),
        (", Juventud Luricocha: JUV}", "}", "no code for Juventud Luricocha"),
    ],
)
def test_a_wiki_section_that_does_not_fit_the_season_is_one_clear_error(
    imported: Path, old: str, new: str, message: str
) -> None:
    text = imported.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new)
    line = text[: text.index(old)].count("\n") + 1
    with pytest.raises(SeasonFileError) as e:
        parse_season(bad, "huanta.yaml")
    assert str(e.value).startswith(f"huanta.yaml:{line}: wiki.tables[0].")
    assert message in str(e.value)


@pytest.mark.parametrize(
    "text",
    [
        "{{#invoke:sports table|main\n|team1=A\n}}",
        "  leading spaces\n|team1=A",
        "ends with a newline\n",
        "blank lines at the end\n\n\n",
        "tab\tinside\n\tand at a line start",
        "carriage\r\nreturn",
        "#not a comment: [x] {y} & *z",
    ],
)
def test_any_table_text_reads_back_exactly(text: str) -> None:
    from copa.core.club import Club
    from copa.core.group import Group
    from copa.core.match import Match, Score
    from copa.core.season import Season
    from copa.core.stage import Round, Stage

    season = Season(
        "2024",
        "Liga",
        (Club("A"), Club("B")),
        (
            Stage(
                "S",
                "district",
                (
                    Round(
                        "R",
                        groups=(Group("G", ("A", "B"), (Match("A", "B", Score(1, 0)),), legs=1),),
                    ),
                ),
            ),
        ),
    )
    wiki = WikiModel(
        infobox={"prevseason": "[[2023|x]]"},
        tables=[
            WikiTableModel(stage="S", round="R", group="G", codes={"A": "A", "B": "B"}, text=text)
        ],
    )
    written = write_season(season, wiki=wiki)
    assert season_wiki(written) == wiki
    assert parse_season(written) == season


# ---------------------------------------------------------------- the audit on the same article


def test_audit_fix_on_the_small_article_changes_exactly_the_wrong_values() -> None:
    from copa.sources.wiki.audit import fixed_text

    src = ARTICLE.read_text(encoding="utf-8")
    fmt = load_format(str(FORMAT))
    a = audit_import(import_wiki(src, "huanta.wiki", fmt))
    before, after, missing = fixed_text(a)
    assert before == src and missing == []
    # the two wrong row values, and the empty infobox matches (12: four clubs, double round robin)
    expected = (
        src.replace("|ga_DEP=8", "|ga_DEP=9")
        .replace("|gf_JUV=4", "|gf_JUV=3")
        .replace("| matches =\n", "| matches = 12\n")
    )
    assert after == expected
    again = audit_import(import_wiki(after, "fixed.wiki", fmt))
    assert again.findings == () and again.suggestions == ()


def test_one_reversed_grid_cell_is_the_root_cause_of_many_findings() -> None:
    """The article with its rows right, and one grid cell reversed (Sport Santa Rosa 0–3
    Deportivo Huanta for 3–0). Worked by hand, the published rows then disagree with the
    grid in SAN's W, L, GF, GA, points (3 W, 1 L, 8-6, 11 pts published 4, 0, 11-3, 14) and
    DEP's (3 W, 2 L, 10-6, 10 pts v 2, 3, 7-9, 7), DEP goes above Atlético Huanta (9 pts)
    and takes its qualification mark: 12 findings, all explained by the one cell."""
    fmt = load_format(str(FORMAT))
    right = (
        ARTICLE.read_text(encoding="utf-8")
        .replace("|ga_DEP=8", "|ga_DEP=9")
        .replace("|gf_JUV=4", "|gf_JUV=3")
    )
    assert audit_import(import_wiki(right, "right.wiki", fmt)).findings == ()
    reversed_ = right.replace("|match_SAN_DEP=3–0", "|match_SAN_DEP=0–3")
    a = audit_import(import_wiki(reversed_, "reversed.wiki", fmt))
    (cause,) = [f for f in a.findings if f.check == "root cause"]
    assert cause.edit is not None
    assert (cause.edit.param, cause.edit.old, cause.edit.new) == ("match_SAN_DEP", "0–3", "3–0")
    assert cause.line == reversed_[: reversed_.index("|match_SAN_DEP=")].count("\n") + 1
    explained = [f for f in a.findings if f.explained_by == "match_SAN_DEP"]
    assert len(explained) == 12 == len(a.findings) - 1
    assert {f.check for f in explained} == {"table row", "table order", "qualification"}
    assert all(f.edit is None for f in explained)
