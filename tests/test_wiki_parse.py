"""The wikitext parser, checked against facts read by eye from the 2011 seed article."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from copa.sources.wiki.parse import (
    Article,
    ParsedScore,
    SportsTable,
    WikiParseError,
    clean,
    parse_article,
    parse_file,
    parse_score,
)
from tests.seed import ARTICLE, SEED

pytestmark = pytest.mark.skipif(not SEED.exists(), reason=ARTICLE)


@pytest.fixture(scope="module")
def article() -> Article:
    return parse_file(SEED)


def table(article: Article, *section: str) -> SportsTable:
    (found,) = [t for t in article.tables if t.section == section]
    return found


# --------------------------------------------------------------------------- seed: qualifiers


def test_seed_has_no_problems(article: Article) -> None:
    assert article.problems == ()


def test_qualifiers(article: Article) -> None:
    rows = article.qualifiers
    assert len(rows) == 65
    per_dept = Counter(r.department for r in rows)
    assert len(per_dept) == 25
    assert per_dept["Ucayali"] == 5
    arequipa = [(r.club, r.location) for r in rows if r.department == "Arequipa"]
    assert arequipa == [
        ("Saetas de Oro", "Arequipa"),
        ("Unión Minas de Orcopampa", "Orcopampa"),
        ("Aurora", "Arequipa"),
        ("Sportivo Huracán", "Arequipa"),
    ]
    first, second = rows[0], rows[1]
    assert (first.department, first.club, first.location, first.line) == (
        "Amazonas",
        "San Antonio de Chontapampa",
        "Rodríguez de Mendoza",
        51,
    )
    assert (second.club, second.location, second.line) == ("Vencedores del Cenepa", "Bagua", 57)
    assert rows[-1].club == "Tecnológico" and rows[-1].line == 366
    assert {r.stage for r in rows} == {"Departmental Stage"}
    # the second column of the table (after {{col-float-break}}) is read too
    assert [r.club for r in rows if r.department == "Lambayeque"] == [
        "Los Caimanes",
        "Deportivo Pomalca",
    ]


# --------------------------------------------------------------------------- seed: tables


def test_sports_tables_sections(article: Article) -> None:
    assert [t.section for t in article.tables] == [
        ("Region II", "Group A"),
        ("Region II", "Group B"),
        ("Region II", "Group C"),
        ("Region III", "Group A"),
        ("Region III", "Group B"),
        ("Region V", "Group A"),
        ("Region V", "Group B"),
        ("Region VI", "Group A"),
        ("Region VI", "Group B"),
        ("Region VII", "Group A"),
        ("Region VII", "Group B"),
        ("Region VIII", "Group A"),
        ("Region VIII", "Group B"),
    ]
    assert {t.stage for t in article.tables} == {"Regional Stage"}
    assert article.tables[0].line == 446


def test_region_viii_group_a(article: Article) -> None:
    t = table(article, "Region VIII", "Group A")
    assert t.codes == ("GAR", "MIN", "VCA", "MLD", "HLC")
    assert len(t.matches) == 20 and all(c.played for c in t.matches)
    (big,) = [c for c in t.matches if (c.home_code, c.away_code) == ("GAR", "MLD")]
    assert (big.home_goals, big.away_goals, big.raw, big.line) == (14, 0, "14—0", 1144)
    assert t.names["HLC"] == "Humberto Luna"
    assert t.results == {1: "A"} and t.col_text == {"A": "National stage"}


def test_null_cells_are_not_played(article: Article) -> None:
    t = table(article, "Region III", "Group A")
    unplayed = [(c.home_code, c.away_code) for c in t.matches if not c.played]
    assert unplayed == [("PUC", "TEC"), ("LTI", "PUC"), ("TEC", "LTI")]
    assert all(c.home_goals is None and c.raw == "null" for c in t.matches if not c.played)


def test_published_row(article: Article) -> None:
    t = table(article, "Region II", "Group B")
    unt = t.published["UNT"]
    assert (unt.win, unt.draw, unt.loss, unt.gf, unt.ga, unt.line) == (3, 0, 1, 9, 1, 494)
    assert t.style == "WDL"


def test_codes_are_local_to_a_table(article: Article) -> None:
    assert table(article, "Region V", "Group A").names["MUM"] == "Deportivo Municipal (Morococha)"
    assert table(article, "Region V", "Group B").names["MUM"] == "Deportivo Municipal (Mazamari)"
    assert table(article, "Region VII", "Group A").names["HUR"] == "Sportivo Huracán"
    assert table(article, "Region VII", "Group B").names["HUR"] == "Atlético Huracán"
    assert table(article, "Region II", "Group C").results == {1: "A", 2: "A"}


# --------------------------------------------------------------------------- seed: ties


def test_two_leg_counts(article: Article) -> None:
    per_section = Counter(r.section for r in article.two_legs)
    assert per_section == {
        ("Region I", "First stage"): 5,
        ("Region I", "Second stage"): 3,
        ("Region I", "Semifinals"): 2,
        ("Region II", "Semifinals"): 2,
        ("Region IV", "First stage"): 3,
        ("Region IV", "Semifinals"): 2,
        ("Region VII", "Semifinals"): 2,
        ("Round of 16",): 8,
        ("Quarterfinals",): 4,
        ("Semifinals",): 2,
        ("Final",): 1,
    }
    national = [r for r in article.two_legs if r.stage == "National Stage"]
    assert len(national) == 15


def test_two_leg_details(article: Article) -> None:
    first = article.two_legs[0]
    assert (first.team1, first.team2, first.line) == ("Atlético Grau", "José Chiroque Cielo", 384)
    assert (first.aggregate, first.leg1, first.leg2) == (
        ParsedScore(5, 3),
        ParsedScore(4, 0),
        ParsedScore(1, 3),
    )
    away = [(r.team1, r.team2) for r in article.two_legs if r.away_goals_note]
    assert away == [("Universitario de Trujillo", "Los Caimanes"), ("Defensor Zarumilla", "ADT")]
    (pac,) = [r for r in article.two_legs if r.aggregate_penalties == (3, 5)]
    assert (pac.team1, pac.team2, pac.aggregate) == (
        "Pacífico",
        "Estudiantes Condestable",
        ParsedScore(0, 0),
    )
    assert pac.section == ("Region IV", "First stage")
    final = article.two_legs[-1]
    assert (final.team1, final.team2, final.section, final.line) == (
        "Real Garcilaso",
        "Pacífico",
        ("Final",),
        1530,
    )


def test_two_leg_extra_spaces_in_names(article: Article) -> None:
    quarter = [r for r in article.two_legs if r.section == ("Quarterfinals",)]
    assert (quarter[2].team1, quarter[2].team2) == ("ADT", "Alianza Universidad")


def test_one_legs(article: Article) -> None:
    rows = article.one_legs
    assert len(rows) == 12
    pens = [(r.team1, r.team2, r.score, r.penalties) for r in rows if r.penalties]
    assert pens == [
        ("Deportivo Pomalca", "Sport Buenos Aires", ParsedScore(2, 2), (4, 3)),
        ("Los Caimanes", "San Antonio de Chontapampa", ParsedScore(2, 2), (5, 3)),
        ("Sportivo Huracán", "Unión Minas de Orcopampa", ParsedScore(0, 0), (4, 2)),
    ]
    assert rows[0].section == ("Region I", "First stage", "Tiebreaker")
    adt = [r for r in rows if r.team1 == "ADT"][0]
    assert (adt.team2, adt.score, adt.section) == (
        "Alianza Universidad",
        ParsedScore(0, 2),
        ("Region V", "Regional Final"),
    )


# --------------------------------------------------------------------------- seed: bracket


def test_bracket(article: Article) -> None:
    (bracket,) = article.brackets
    assert (bracket.line, bracket.section, bracket.stage, bracket.legs) == (
        1228,
        (),
        "National Stage",
        2,
    )
    assert bracket.rounds == {
        1: "Round of 16",
        2: "Quarterfinals",
        3: "Semifinals",
        4: "Champion & Runner-Up",
    }
    assert len(bracket.entries) == 30
    assert Counter(e.round for e in bracket.entries) == {1: 16, 2: 8, 3: 4, 4: 2}
    caimanes = bracket.entries[16]
    assert (caimanes.round, caimanes.slot, caimanes.team) == (2, 1, "Los Caimanes")
    assert (caimanes.agg, caimanes.agg_goals, caimanes.penalties) == ("1 (3)", 1, 3)
    assert caimanes.leg_scores == ("1", "0") and caimanes.line == 1366
    assert [e.penalties for e in bracket.entries if e.penalties is not None] == [3, 2, 3, 2]
    champion = bracket.entries[-1]
    assert (champion.team, champion.leg_goals, champion.agg_goals) == ("Real Garcilaso", (3, 0), 3)


# --------------------------------------------------------------------------- seed: infobox


def test_infobox(article: Article) -> None:
    box = article.infobox
    assert box is not None
    assert (box.competition, box.season, box.winners, box.line) == (
        "Copa Perú",
        "2011",
        "Real Garcilaso",
        3,
    )
    assert box.biggest_home_win == ("Los Caimanes 5–0 San Antonio (C)",)
    assert box.biggest_away_win == ("Los Tigres 1–4 Pacífico", "Pomalca 0–3 Sport Buenos Aires")
    assert box.highest_scoring == ("Minas (O) 2–4 Real Garcilaso",)
    assert box.scope_note == "Only Regional and National Stages taken into consideration"
    assert box.matches is None and box.total_goals is None


def test_stage_lines(article: Article) -> None:
    bare = [(h.line, h.title) for h in article.headings if h.level == 0]
    assert bare == [(36, "Departmental Stage"), (372, "Regional Stage"), (1224, "National Stage")]


# --------------------------------------------------------------------------- raw markup

RAW = """\
{{Infobox football league season
| competition = [[Copa Perú]]
| season = 2099
| biggest home win = Alpha 3–0 Beta<br />Gamma 2–0 Delta
| matches = 1,234
| total goals =
}}
==Departmental Stage==
{| class="wikitable"
! Department !! Team !! Location
|-
| rowspan="2" | [[Amazonas Region|Amazonas]]
| [[Club Alpha|Alpha]] || Chachapoyas
|-
| Beta&nbsp;FC || [[Bagua]]
|-
| Ancash || '''Gamma''' || Huaraz
|}
==Regional Stage==
===Region I===
{{#invoke:sports table|main|style=WDL
|team1=ALP|name_ALP=[[Club Alpha|Alpha]]
|team2=BET|name_BET=Beta FC
|win_ALP=1|draw_ALP=0|loss_ALP=0|gf_ALP=2|ga_ALP=1
|win_BET=0|draw_BET=0|loss_BET=1|gf_BET=1|ga_BET=2
|match_ALP_BET=2–1
|match_BET_ALP=
|result1=Q |col_Q=green1|text_Q=[[National Stage]]
|winpoints=3
}}
{{TwoLegResult|<small>[[Club Alpha|Alpha]]</small>||3-2 (a.e.t.)|Beta FC||2—1|1–1}}
"""


def test_raw_markup() -> None:
    a = parse_article(RAW, source="raw")
    assert a.problems == ()
    assert [(q.department, q.club, q.location, q.line) for q in a.qualifiers] == [
        ("Amazonas", "Alpha", "Chachapoyas", 12),
        ("Amazonas", "Beta FC", "Bagua", 15),
        ("Ancash", "Gamma", "Huaraz", 17),
    ]
    assert a.qualifiers[0].section == ("Departmental Stage",)
    (t,) = a.tables
    assert t.section == ("Regional Stage", "Region I") and t.stage == "Regional Stage"
    assert t.codes == ("ALP", "BET") and t.names == {"ALP": "Alpha", "BET": "Beta FC"}
    assert [(c.home_goals, c.away_goals) for c in t.matches] == [(2, 1), (None, None)]
    assert (t.winpoints, t.drawpoints, t.col_text, t.col_colors) == (
        3,
        None,
        {"Q": "National Stage"},
        {"Q": "green1"},
    )
    (row,) = a.two_legs
    assert (row.team1, row.team2, row.line) == ("Alpha", "Beta FC", 31)
    assert (row.aggregate, row.leg1, row.leg2, row.extra_time) == (
        ParsedScore(3, 2),
        ParsedScore(2, 1),
        ParsedScore(1, 1),
        True,
    )
    assert a.infobox is not None
    assert a.infobox.biggest_home_win == ("Alpha 3–0 Beta", "Gamma 2–0 Delta")
    assert (a.infobox.matches, a.infobox.total_goals) == (1234, None)


def test_problems_are_reported_not_dropped() -> None:
    text = "\n".join(
        [
            "==X==",
            "{{Fb cl header}}",
            "{{TwoLegResult| A || 1–1 | B || x | 1–1 }}",
            "{{OneLegResult| A }}",
            "| stray cell",
            "{{#invoke:sports table|main|team1=A|name_A=A|match_A_B=1-0|win_A=z}}",
        ]
    )
    a = parse_article(text)
    lines = sorted({p.line for p in a.problems})
    assert lines == [2, 3, 4, 5, 6]
    assert a.two_legs[0].leg1 is None and a.two_legs[0].leg2 == ParsedScore(1, 1)


def test_helpers() -> None:
    assert parse_score("4—0") == ParsedScore(4, 0)
    assert parse_score("1-2") == ParsedScore(1, 2)
    assert parse_score("null") is None
    assert clean("[[A|B]]&nbsp;<small>'''C'''</small>") == "B C"


def test_hard_failures() -> None:
    with pytest.raises(WikiParseError, match=r"^bad\.txt:2: not valid UTF-8"):
        parse_article(b"fine\n\xff", source="bad.txt")
    with pytest.raises(WikiParseError, match="no-such-file"):
        parse_file(SEED.parent / "no-such-file.txt")
    data = "{{OneLegResult| Pacífico || 1–0 | B }}".encode()
    assert parse_article(data).one_legs[0].team1 == "Pacífico"


# --------------------------------------------------------------------------- fuzz

_SEED_LINES = SEED.read_text(encoding="utf-8").split("\n") if SEED.exists() else [""]
_NOISE = "{}|=[]!<>'-–—()\n p09aé&;#:_\"rowspan"

_edits = st.lists(
    st.tuples(
        st.sampled_from(["delete", "duplicate", "swap", "insert", "truncate"]),
        st.integers(min_value=0, max_value=len(_SEED_LINES)),
        st.integers(min_value=0, max_value=60),
        st.integers(min_value=0, max_value=len(_SEED_LINES)),
        st.text(alphabet=_NOISE, min_size=1, max_size=6) | st.text(min_size=1, max_size=4),
    ),
    min_size=1,
    max_size=5,
)


def _mutate(edits: list[tuple[str, int, int, int, str]]) -> str:
    lines = list(_SEED_LINES)
    for op, start, length, target, noise in edits:
        end = min(len(lines), start + length)
        if op == "delete":
            del lines[start:end]
        elif op == "duplicate":
            lines[start:start] = lines[start:end]
        elif op == "swap":
            chunk = lines[start:end]
            del lines[start:end]
            where = min(target, len(lines))
            lines[where:where] = chunk
        elif op == "insert":
            text = "\n".join(lines)
            at = min(len(text), start * 37 + target)
            lines = (text[:at] + noise + text[at:]).split("\n")
        else:
            text = "\n".join(lines)
            lines = text[: min(len(text), start * 41 + length)].split("\n")
    return "\n".join(lines)


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(_edits)
def test_fuzz_mutated_seed_never_raises(edits: list[tuple[str, int, int, int, str]]) -> None:
    """300 examples: deleted/duplicated/swapped line ranges, inserted noise, truncation.

    Whatever the damage, ``parse_article`` returns an Article whose problems carry
    line numbers inside the text.
    """
    text = _mutate(edits)
    result = parse_article(text, source="fuzz")
    assert isinstance(result, Article)
    last = text.count("\n") + 1
    assert all(1 <= p.line <= last for p in result.problems)


def test_points_deductions_keep_their_minus_sign() -> None:
    text = (
        "{{#invoke:sports table|main|style=WDL\n|team1=AAA|name_AAA=Alpha\n|team2=BBB|name_BBB=Beta\n"
        "|win_AAA=1|draw_AAA=0|loss_AAA=0|gf_AAA=1|ga_AAA=0\n|win_BBB=0|draw_BBB=0|loss_BBB=1|gf_BBB=0|ga_BBB=1\n"
        "|adjust_points_AAA=−3\n|adjust_points_BBB=-1\n|match_AAA_BBB=1–0\n}}\n"
    )
    article = parse_article(text, "t.wiki")
    assert article.tables[0].adjust_points == {"AAA": -3, "BBB": -1}
    assert not [p for p in article.problems if "not a number" in p.message]
