"""Importing Wikipedia wikitext: the 2011 article gives back the bundled 2011 season.

Expected values come from the article itself, read by ``tests/article2011.py``
(plain regular expressions, no copa code), or typed from it with the line cited.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from copa.core.match import MatchStatus, Score
from copa.core.resolve import resolve
from copa.core.tie import resolve_tie
from copa.sources.names import Resolver
from copa.sources.wiki.importer import import_wiki
from copa.spec.formats import format_of, load_format, parse_format
from copa.spec.season_file import SeasonFileError, parse_season
from copa.spec.seasons import find_season
from tests.article2011 import SEED, grid_matches, grid_table, line_of, score, tables, text, two_legs
from tests.cli import run
from tests.seed import ARTICLE

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=ARTICLE)


@pytest.fixture(scope="module")
def imported():
    return import_wiki(text(), "2011-copa-peru.txt")


def test_2011_article_gives_the_bundled_season(imported) -> None:
    assert imported.season == find_season("2011")
    assert imported.notes == ()  # nothing unmapped, no name read by a rule: the preset names them
    assert "preset copa-peru-2011" in imported.format.origin
    assert "recognised from the infobox" in imported.format.origin


def test_the_season_file_it_writes_reads_back(imported) -> None:
    written = imported.text()
    assert written.startswith("# Imported by copa from 2011-copa-peru.txt.")
    assert "preset copa-peru-2011" in written.splitlines()[1]
    assert parse_season(written) == imported.season


def test_every_grid_cell_and_leg_of_the_article_is_in_the_season(imported) -> None:
    season = imported.season
    groups = {(s.name, g.name): g for s in season.stages for r in s.rounds for g in r.groups}
    for section, table in tables().items():
        region, group = section[0], section[1]
        got = [
            (m.home, m.away, m.score.home, m.score.away)
            for m in groups[(region, group)].matches
            if m.score
        ]
        assert got == grid_matches(table), section
    # the flattened article has no heading for the national stage: its rounds are top level
    ties = {
        ((s.name, r.name) if s.kind == "regional" else (r.name,), frozenset(t.teams)): t
        for s in season.stages
        for r in s.rounds
        for t in r.ties
    }
    for row in two_legs():
        tie = ties[(row["section"], frozenset((row["team1"], row["team2"])))]
        assert tie.teams == (row["team1"], row["team2"])  # team 1 hosts leg 1
        leg1, leg2 = score(row["leg1"]), score(row["leg2"])
        assert (tie.legs[0].home, tie.legs[0].score) == (row["team1"], Score(*leg1))
        assert (tie.legs[1].home, tie.legs[1].score) == (row["team2"], Score(leg2[1], leg2[0]))


def test_single_round_robin_nulls_are_absent_fixtures(imported) -> None:
    # Region III Group A (seed lines 549-561): 3 played cells, 3 'null' cells, one round robin
    group = imported.season.stage("Region III").rounds[0].groups[0]
    assert group.legs == 1
    assert [(m.home, m.away) for m in group.matches] == [
        ("Atlético Pucallpa", "Los Tigres"),
        ("Los Tigres", "Tecnológico"),
        ("Tecnológico", "Atlético Pucallpa"),
    ]
    # its Tiebreaker section (line 567): Los Tigres 1–0 Atlético Pucallpa, a group decider
    (decider,) = group.deciders
    assert (decider.home, decider.away, decider.score) == (
        "Los Tigres",
        "Atlético Pucallpa",
        Score(1, 0),
    )


def test_tiebreakers_in_a_knockout_round_are_the_ties_deciders(imported) -> None:
    # Region I first stage Tiebreaker (seed lines 396-404)
    ties = imported.season.stage("Region I").round("First stage").ties
    deciders = {t.teams: t.decider for t in ties}
    assert deciders[("Atlético Grau", "José Chiroque Cielo")].score == Score(2, 0)
    pomalca = deciders[("Deportivo Pomalca", "Sport Buenos Aires")]
    assert (pomalca.score, pomalca.penalties) == (Score(2, 2), Score(4, 3))
    assert deciders[("Defensor San José", "9 de Octubre")] is None


def test_engine_on_the_import_gives_the_articles_outcomes(imported) -> None:
    result = resolve(imported.season)
    # the Final (seed line 1519): Real Garcilaso 3–1, 0–1 Pacífico, so 3–2 on aggregate
    (final,) = [r for r in two_legs() if r["section"] == ("Final",)]
    a, b = score(final["leg1"]), score(final["leg2"])
    expected = final["team1"] if a[0] + b[0] > a[1] + b[1] else final["team2"]
    assert result.champion == expected == "Real Garcilaso"
    assert result.runner_up == "Pacífico"
    # qualifiers: the sixteen clubs of the national round of 16 rows
    r16 = {
        c for r in two_legs() if r["section"] == ("Round of 16",) for c in (r["team1"], r["team2"])
    }
    assert set(result.stage("National Stage").rounds[0].round.clubs) == r16
    assert {c for sr in result.stages[:-1] for c in sr.places} == r16
    # tables: the grid's numbers, and the published order (which the audit finds correct)
    for stage, gr in ((rr.stage, g) for rr in result.rounds() for g in rr.groups):
        section = (stage, gr.group.name)
        t = tables()[section]
        expected_rows = grid_table(grid_matches(t))
        for s in gr.table.standings:
            row = expected_rows[s.club]
            assert (s.won, s.drawn, s.lost, s.goals_for, s.goals_against) == (
                row["won"],
                row["drawn"],
                row["lost"],
                row["gf"],
                row["ga"],
            ), (section, s.club)
        assert [s.club for s in gr.table.standings] == [t["names"][c] for c in t["codes"]], section


# ---------------------------------------------------------------- names


def test_short_names_resolve_by_rule_without_an_alias_table() -> None:
    season = find_season("2011")
    bare = Resolver((c.name, (), c.location) for c in season.clubs)
    # the short names the article's bracket (lines 1140-1320) and infobox (lines 13-18) use
    assert bare.resolve("Universitario (T)").name == "Universitario de Trujillo"
    assert bare.resolve("Unión Minas (O)").name == "Unión Minas de Orcopampa"
    assert bare.resolve("Minas (O)").name == "Unión Minas de Orcopampa"
    assert bare.resolve("San Antonio (C)").name == "San Antonio de Chontapampa"
    assert bare.resolve("Pomalca").name == "Deportivo Pomalca"
    assert bare.resolve("Minas (O)").by_rule
    # ambiguous and unknown are never guessed
    assert bare.resolve("Minas").name is None
    assert set(bare.resolve("Minas").candidates) == {
        "Unión Minas de Orcopampa",
        "Unión Minas (Ccochaccasa)",
    }
    assert bare.resolve("Huracán").candidates == (
        "Atlético Huracán",
        "Sport Huracán",
        "Sportivo Huracán",
    )
    assert (
        bare.resolve("Alianza Lima").name is None and bare.resolve("Alianza Lima").how == "unknown"
    )
    # case and accents do not matter
    assert bare.resolve("union minas de ORCOPAMPA").name == "Unión Minas de Orcopampa"


def _preset_without_aliases():
    model = load_format("copa-peru-2011").model.model_copy(update={"clubs": []})
    return dataclasses.replace(load_format("copa-peru-2011"), model=model, origin="test format")


def test_without_the_alias_table_rule_readings_are_reported_with_lines() -> None:
    imp = import_wiki(text(), "seed.txt", _preset_without_aliases())
    bare = dataclasses.replace(
        find_season("2011"),
        clubs=tuple(dataclasses.replace(c, aliases=()) for c in find_season("2011").clubs),
    )
    assert imp.season == bare
    assert {n.kind for n in imp.notes} == {"name"}
    read = {(n.message.split(" read as ")[0].strip("'"), n.line) for n in imp.notes}
    assert read == {
        ("Universitario (T)", line_of("| RD1-team02=Universitario (T)")),  # the bracket
        ("Unión Minas (O)", line_of("| RD1-team16=Unión Minas (O)")),
        ("San Antonio (C)", line_of("| biggest home win")),  # the infobox
        ("Pomalca", line_of("| biggest away win")),
        ("Minas (O)", line_of("| highest scoring")),
    }


def test_an_ambiguous_name_in_a_result_is_an_error_naming_the_line() -> None:
    src = text().replace(
        "{{TwoLegResult| Saetas de Oro || 1–3 | Unión Minas de Orcopampa",
        "{{TwoLegResult| Saetas de Oro || 1–3 | Minas",
    )
    line = src[: src.index("| Saetas de Oro || 1–3 | Minas")].count("\n") + 1
    with pytest.raises(SeasonFileError) as e:
        import_wiki(src, "seed.txt")
    assert str(e.value).startswith(f"seed.txt:{line}: club name 'Minas' is ambiguous")


# ---------------------------------------------------------------- what cannot be mapped

REGION_VIII = load_format("copa-peru-2011").model


def test_unmapped_items_are_listed_with_lines_and_the_season_is_still_built() -> None:
    extra = "\n=Region IX=\n\n==Final==\n\n{{TwoLeg start}}\n{{TwoLegResult| Aurora || 1–0 | UTC || 1–0 | 0–0 }}\n{{end}}\n"
    src = text().replace("\nSee also", extra + "\nSee also")
    imp = import_wiki(src, "seed.txt")
    line = src[: src.index("{{TwoLegResult| Aurora")].count("\n") + 1
    (note,) = [n for n in imp.notes if n.kind == "not mapped"]
    assert note.line == line
    assert "Region IX > Final" in note.message
    assert imp.season == find_season("2011")


def test_extra_time_without_the_90_minute_score_is_held_as_published_not_guessed() -> None:
    src = text().replace(
        "{{OneLegResult| Los Caimanes || 2–0 | Atlético Grau }}",
        "{{OneLegResult| Los Caimanes || 2–0 (a.e.t.) | Atlético Grau }}",
    )
    imp = import_wiki(src, "seed.txt")
    assert imp.notes == ()
    held = imp.season.stage("Region I").round("Regional Final").ties[0]
    # known only after extra time: no 90-minute score is made up
    assert (held.legs[0].score, held.legs[0].extra_time) == (None, Score(2, 0))
    # one match, level at 90' (extra time was played), 2-0 after extra time
    r = resolve_tie(held)
    assert (r.winner, r.decided_by) == ("Los Caimanes", "extra_time")
    # with the 90-minute score written down, the match is read with its extra time
    src = src.replace("2–0 (a.e.t.)", "2–0 (a.e.t.) (0–0 after 90 min)")
    final = (
        import_wiki(src, "seed.txt")
        .season.stage("Region I")
        .round("Regional Final")
        .ties[0]
        .legs[0]
    )
    assert (final.score, final.extra_time) == (Score(0, 0), Score(2, 0))


def test_no_preset_and_no_format_is_a_clear_error() -> None:
    src = text().replace("| season = 2011", "| season = 2013")
    with pytest.raises(
        SeasonFileError, match=r"^seed.txt:3: no preset for Copa Perú 2013.*--preset"
    ):
        import_wiki(src, "seed.txt")


# ---------------------------------------------------------------- raw MediaWiki

RAW = """{{Infobox football league season
| competition = Copa Perú
| season = 2011
}}

==Departmental Stage==
{| class="wikitable"
! Department !! Team !! Location
|-
| rowspan="2" | Apurímac || Cultural Santa Rosa || Andahuaylas
|-
| José María Arguedas || Andahuaylas
|-
| Puno || [[Club Deportivo Franciscano San Román|Franciscano San Román]] || Juliaca
|-
| Puno || Estudiantes Puno || Puno
|}

==Regional Stage==
===Region VIII===
====Group B====
{{#invoke:sports table|main|style=WDL
|team1=FSR|team2=JMA|team3=EPU|team4=CST
|name_FSR=[[Club Deportivo Franciscano San Román|Franciscano San Román]]
|name_JMA=José María Arguedas|name_EPU=Estudiantes Puno|name_CST=Cultural Santa Rosa
|match_CST_EPU=2–0|match_CST_FSR=0–1|match_CST_JMA=0–1
|match_EPU_CST=2–2|match_EPU_FSR=2–0|match_EPU_JMA=2–0
|match_FSR_CST=1–0|match_FSR_EPU=1–1|match_FSR_JMA=3–0
|match_JMA_CST=1–0|match_JMA_EPU=1–1|match_JMA_FSR=2–0
}}
=====Tiebreaker=====
{{OneLegStart}}
{{OneLegResult|[[Club Deportivo Franciscano San Román|Franciscano San Román]]||1–0|José María Arguedas}}
|}
"""


def test_raw_mediawiki_markup() -> None:
    """Links, raw tables and ``==`` headings, with a format file naming one region's group."""
    fmt_text = """
competition: Copa Perú
season: 2011
regions: {Region VIII: [Apurímac, Cusco, Madre de Dios, Puno]}
rules:
  groups_with_decider: {ranking: [points, deciding_match, goal_difference, goals_for, head_to_head, lots]}
stages:
  - name: Region VIII
    kind: regional
    region: Region VIII
    rounds:
      - {name: Group stage, rules: groups_with_decider, advance: {top: 1}, groups: [Group B]}
"""
    imp = import_wiki(RAW, "raw.wiki", parse_format(fmt_text, "fmt.yaml"))
    assert imp.notes == ()
    expected = find_season("2011").stage("Region VIII").rounds[0].groups[1]
    (got,) = imp.season.stage("Region VIII").rounds[0].groups
    assert got == expected
    assert [c.name for c in imp.season.clubs] == [
        "Cultural Santa Rosa",
        "José María Arguedas",
        "Franciscano San Román",
        "Estudiantes Puno",
    ]
    assert imp.season.club("Franciscano San Román").location == "Juliaca"


def test_grid_cells_not_played_and_still_to_play() -> None:
    """In a double round robin ``null`` is a match not played, an empty cell one still to play."""
    src = RAW.replace("|match_CST_EPU=2–0", "|match_CST_EPU=null").replace(
        "|match_JMA_EPU=1–1", "|match_JMA_EPU="
    )
    fmt = parse_format(
        "competition: Copa Perú\nseason: 2011\nstages:\n  - name: Region VIII\n    kind: regional\n    rounds:\n      - {name: Group stage, groups: [Group B]}\n",
        "fmt.yaml",
    )
    imp = import_wiki(src, "raw.wiki", fmt)
    status = {(m.home, m.away): m.status for m in imp.season.stages[0].rounds[0].groups[0].matches}
    assert status[("Cultural Santa Rosa", "Estudiantes Puno")] is MatchStatus.NOT_PLAYED
    assert status[("José María Arguedas", "Estudiantes Puno")] is MatchStatus.SCHEDULED
    assert sum(s is MatchStatus.PLAYED for s in status.values()) == 10


# ---------------------------------------------------------------- command line


def test_cli_import_writes_the_season_file(tmp_path: Path, monkeypatch, capsys) -> None:
    target = tmp_path / "2011.yaml"
    code, out, err = run(monkeypatch, capsys, "import", str(SEED), "-o", str(target))
    assert code == 0
    assert "format: preset copa-peru-2011" in err
    assert parse_season(target.read_text(encoding="utf-8")) == find_season("2011")
    assert not list(tmp_path.glob(".*.tmp"))  # written atomically, nothing left behind


def test_cli_import_bad_input_is_one_line_and_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    bad = tmp_path / "bad.txt"
    src = text().replace(
        "{{TwoLegResult| Atlético Grau || 5–3 | José Chiroque Cielo || 4–0 | 1–3 }}",
        "{{TwoLegResult| Atlético Grau || 5–3 | José Chiroque Cielo || 4–0 | 1–3 (3–1 p) }}",
    )
    src = src.replace("{{OneLegResult| Atlético Grau || 2–0 | José Chiroque Cielo }}", "")
    bad.write_text(src, encoding="utf-8")
    code, out, err = run(monkeypatch, capsys, "import", str(bad))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    line = src[: src.index("{{TwoLegResult| Atlético Grau")].count("\n") + 1
    assert err.startswith(
        f"copa: error: {bad}:{line}: Region I, First stage, Atlético Grau v José Chiroque Cielo:"
    )
    code, _, err = run(monkeypatch, capsys, "import", str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err
    code, _, err = run(monkeypatch, capsys, "import", str(SEED), "--preset", "no-such-preset")
    assert code == 2 and "presets: copa-peru-2011" in err


def test_format_of_a_season_reads_back() -> None:
    from copa.spec.formats import dump_format

    fmt = format_of(find_season("2011"))
    again = parse_format(dump_format(fmt), "fmt.yaml")
    assert again.model == fmt


def test_single_round_robin_open_cells() -> None:
    """An open cell opposite a played match is no fixture; two open cells for a pair are not guessed."""
    fmt = parse_format(
        "competition: C\nseason: 1\nstages:\n  - name: S\n    kind: k\n    rounds:\n      - {name: R, legs: 1, groups: [G]}\n",
        "f.yaml",
    )
    table = (
        "==S==\n===R===\n====G====\n{{#invoke:sports table|main|style=WDL\n|team1=A|team2=B|team3=C\n"
        "|name_A=Alpha|name_B=Beta|name_C=Gamma\n|match_A_B=1–0\n|match_B_A=\n|match_A_C=\n|match_C_A=null\n"
        "|match_B_C=null\n|match_C_B=null\n}}\n"
    )
    imp = import_wiki(table, "t.wiki", fmt)
    matches = imp.season.stages[0].rounds[0].groups[0].matches
    assert [(m.home, m.away, m.status) for m in matches] == [
        ("Alpha", "Beta", MatchStatus.PLAYED),
        ("Alpha", "Gamma", MatchStatus.SCHEDULED),
        ("Beta", "Gamma", MatchStatus.NOT_PLAYED),
    ]
    assert imp.notes == ()
    with pytest.raises(
        SeasonFileError,
        match=r"^t.wiki:4: S, R, G: missing fixture Alpha v Gamma.*\(line 9: Alpha v Gamma: a single round robin with both directions open",
    ):
        import_wiki(table.replace("|match_C_A=null", "|match_C_A="), "t.wiki", fmt)
