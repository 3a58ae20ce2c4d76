"""Names as people type them: clubs, stages and groups through the one resolver (copa.sources.names)."""

from __future__ import annotations

import pytest

from copa.core.resolve import resolve
from copa.sources.names import GroupRef, UnknownName, find_club, find_groups, find_stage, similar
from copa.spec.seasons import find_season
from tests.cli import run

SEASON = find_season("2011")
CLUBS = SEASON.clubs
RESULT = resolve(SEASON)
STAGES = [s.stage.name for s in RESULT.stages]
GROUPS = [
    GroupRef(rr.stage, rr.round.name, g.group.name) for rr in RESULT.rounds() for g in rr.groups
]


@pytest.mark.parametrize(
    ("written", "club"),
    [
        ("Garcilaso", "Real Garcilaso"),  # a short name: the words of one longer name
        ("real garcilaso", "Real Garcilaso"),
        ("sport buenos aires", "Sport Buenos Aires"),
        ("Pacifico", "Pacífico"),  # accents
        ("GEMINIS", "Géminis"),
        ("Universitario (T)", "Universitario de Trujillo"),
        ("Pomalca", "Deportivo Pomalca"),
    ],
)
def test_clubs_as_people_type_them(written: str, club: str) -> None:
    assert find_club(CLUBS, written) == club


def test_an_ambiguous_short_name_lists_the_candidates() -> None:
    with pytest.raises(UnknownName) as e:
        find_club(CLUBS, "Minas")
    assert set(e.value.candidates) == {"Unión Minas de Orcopampa", "Unión Minas (Ccochaccasa)"}
    assert "Géminis" not in str(e.value)


def test_did_you_mean_uses_real_similarity() -> None:
    with pytest.raises(UnknownName) as e:
        find_club(CLUBS, "Minaz")
    assert "Géminis" not in e.value.candidates
    assert e.value.candidates[:2] in (
        ("Unión Minas (Ccochaccasa)", "Unión Minas de Orcopampa"),
        ("Unión Minas de Orcopampa", "Unión Minas (Ccochaccasa)"),
    )
    with pytest.raises(UnknownName) as e:
        find_club(CLUBS, "Garcilazo")
    assert e.value.candidates == ("Real Garcilaso",)
    assert similar("Minas", ["Géminis"]) == []


def test_unknown_club_with_nothing_similar_has_no_hint() -> None:
    with pytest.raises(UnknownName) as e:
        find_club(CLUBS, "Real Madrid CF")
    assert "did you mean" not in str(e.value) and e.value.candidates == ()


@pytest.mark.parametrize(
    ("written", "stage"),
    [
        ("region iv", "Region IV"),
        ("REGIÓN IV", "Region IV"),
        ("Región 4", "Region IV"),
        ("national stage", "National Stage"),
        ("Etapa Nacional", "National Stage"),
        ("national", "National Stage"),
        ("Region I", "Region I"),  # not Region II: words match whole
    ],
)
def test_stages_ignore_case_and_accents(written: str, stage: str) -> None:
    assert find_stage(STAGES, written) == stage


def test_unknown_stage_lists_the_stages() -> None:
    with pytest.raises(UnknownName) as e:
        find_stage(STAGES, "Region IX")
    assert "stages: Region I, Region II" in str(e.value)


def test_group_a_alone_is_ambiguous_in_2011() -> None:
    with pytest.raises(UnknownName) as e:
        find_groups(GROUPS, "Group A")
    # six regions have a Group A (the article: Regions II, III, V, VI, VII, VIII)
    assert e.value.candidates == tuple(
        f"Region {r} Group A" for r in ("II", "III", "V", "VI", "VII", "VIII")
    )


@pytest.mark.parametrize(
    ("written", "labels"),
    [
        ("Region II Group C", ["Region II Group C"]),
        ("region ii/group c", ["Region II Group C"]),
        ("Región II Grupo C", ["Region II Group C"]),
        ("group c", ["Region II Group C"]),  # only Region II has a Group C
        ("Region V", ["Region V Group A", "Region V Group B"]),
        (None, [g.label for g in GROUPS]),
    ],
)
def test_groups(written: str | None, labels: list[str]) -> None:
    assert [g.label for g in find_groups(GROUPS, written)] == labels


def test_cli_group_a_lists_candidates_and_exits_2(monkeypatch, capsys) -> None:
    code, out, err = run(monkeypatch, capsys, "table", "2011", "Group A")
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "'Region VIII Group A'" in err and "ambiguous" in err


def test_cli_stage_of_ties_says_so(monkeypatch, capsys) -> None:
    code, _, err = run(monkeypatch, capsys, "table", "2011", "region iv")
    assert code == 2 and "Region IV has no groups" in err and "copa bracket" in err


def test_cli_bracket_stage_any_case(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "bracket", "2011", "--stage", "región iv")
    assert code == 0 and "Regional Final" in out and "Pacífico" in out


def test_cli_team_short_name_and_ambiguous(monkeypatch, capsys) -> None:
    code, out, _ = run(monkeypatch, capsys, "team", "2011", "Garcilaso")
    assert code == 0 and out.startswith("Real Garcilaso")
    code, _, err = run(monkeypatch, capsys, "team", "2011", "Minas")
    assert code == 2 and "Unión Minas de Orcopampa" in err and "Géminis" not in err


def test_cli_names_errors_in_spanish(monkeypatch, capsys) -> None:
    from copa.i18n import activate

    try:
        code, out, err = run(monkeypatch, capsys, "--lang", "es", "table", "2011", "Group A")
        assert code == 2 and out == "" and err.count("\n") == 1
        assert err.startswith("copa: error: el grupo 'Group A' es ambiguo en Copa Perú 2011: ")
        assert "6 etapas tienen uno; indique uno de 'Region II Group A'" in err
        code, _, err = run(monkeypatch, capsys, "--lang", "es", "team", "2011", "Garcilazo")
        assert code == 2
        assert err == (
            "copa: error: club desconocido 'Garcilazo' en Copa Perú 2011 "
            "(¿quiso decir Real Garcilaso?)\n"
        )
        code, _, err = run(monkeypatch, capsys, "--lang", "es", "team", "2011", "Minas")
        assert code == 2 and "el club 'Minas' es ambiguo" in err and "puede ser Unión Minas" in err
        code, _, err = run(monkeypatch, capsys, "--lang", "es", "bracket", "2011", "--stage", "x")
        assert (
            code == 2 and "no hay etapa 'x' en Copa Perú 2011" in err and "etapas: Region I" in err
        )
    finally:
        activate("en")
