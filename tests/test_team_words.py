"""``copa team``: the core gives a club's path as data; the words come from the catalogue.

Expected values are the 2011 season's as the article gives them: Universidad San
Pedro won Region II's Group A with 7 points (2 W, 1 D, 1 L, 5-7: the article's row
``win_USP=2|draw_USP=1|loss_USP=1|gf_USP=5|ga_USP=7``), then lost to UTC 4–0 and
1–1 (1-5 over two legs). Sport Buenos Aires lost Region I's first stage to
Deportivo Pomalca in a deciding match (2–2, 4–3 p) after 0–1 and 3–0, went on as a
best loser, lost again to Los Caimanes and went on again, then lost the semifinal
to them. Real Garcilaso won the title and promotion to the First Division.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from rich.console import Console

from copa import i18n
from copa.cli.render import club_view
from copa.core.path import GroupPlace, Outcome, OutcomeKind, TiePlayed, club_path
from copa.core.resolve import resolve
from copa.spec.seasons import find_season
from copa.wording import ordinal, outcome_text, step_text


@pytest.fixture(scope="module")
def result():
    return resolve(find_season("2011"))


def test_the_core_gives_a_path_as_data(result) -> None:
    usp = club_path(result, "Universidad San Pedro")
    group, tie = usp.steps
    assert group.detail == GroupPlace("Group A", 1, 3, 7, 2, 1, 1, 5, 7)
    assert tie.detail == TiePlayed("UTC", 1, 5, 2, False, "aggregate")
    assert usp.outcome == Outcome(OutcomeKind.ELIMINATED, stage="Region II", round="Semifinals")

    sba = club_path(result, "Sport Buenos Aires")
    first, second, semi = (s.detail for s in sba.steps)
    assert first == TiePlayed("Deportivo Pomalca", 3, 1, 2, False, "deciding_match", True)
    assert isinstance(second, TiePlayed) and second.best_loser and second.opponent == "Los Caimanes"
    assert isinstance(semi, TiePlayed) and not semi.best_loser and semi.won is False

    rg = club_path(result, "Real Garcilaso")
    assert rg.outcome == Outcome(OutcomeKind.CHAMPION, destination="First Division")


def render(path) -> str:
    console = Console(width=200, record=True, file=open("/dev/null", "w"))  # noqa: SIM115
    console.print(club_view(path))
    return console.export_text()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "en",
            [
                "Group A: 1st of 3, 7 pts (2W 1D 1L, 5-7)",
                "v UTC: 1-5 over 2 legs, lost on aggregate",
                "eliminated in Region II, Semifinals",
                "What happened",
            ],
        ),
        (
            "es",
            [
                "Grupo A: 1.º de 3, 7 pts (2G 1E 1P, 5-7)",
                "vs. UTC: 1-5 en 2 partidos, perdió por marcador global",
                "eliminado en Región II, Semifinales",
                "Qué pasó",
            ],
        ),
    ],
)
def test_team_in_both_languages(result, lang: str, words: list[str]) -> None:
    try:
        i18n.activate(lang)
        out = render(club_path(result, "Universidad San Pedro"))
        sba = render(club_path(result, "Sport Buenos Aires"))
        rg = render(club_path(result, "Real Garcilaso"))
    finally:
        i18n.activate("en")
    for w in words:
        assert w in out, w
    if lang == "en":
        assert (
            "v Deportivo Pomalca: 3-1 over 2 legs, lost on deciding match, went on as a best loser"
            in sba
        )
        assert "champion: promoted to First Division" in rg
    else:
        assert (
            "vs. Deportivo Pomalca: 3-1 en 2 partidos, perdió por partido de desempate, "
            "siguió como mejor perdedor" in sba
        )
        assert "campeón: asciende a Primera División" in rg
        for english in ("over 2 legs", "lost on", "promoted", "eliminated", " of 3"):
            assert english not in out + sba + rg, english


def test_spanish_locale_team_command() -> None:
    p = subprocess.run(
        [sys.executable, "-m", "copa.cli", "team", "2011", "Sport Buenos Aires"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "es_PE.UTF-8", "COLUMNS": "200"},
    )
    assert p.returncode == 0, p.stderr
    assert "eliminado en Región I, Semifinales" in p.stdout
    assert "siguió como mejor perdedor" in p.stdout


def test_every_outcome_and_ordinal_has_words() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th",
    ]  # fmt: skip
    try:
        for lang in ("en", "es"):
            i18n.activate(lang)
            texts = [
                outcome_text(
                    Outcome(k, destination="Second Division", stage="Region I", round="Final")
                )
                for k in OutcomeKind
            ]
            assert len(set(texts)) == len(OutcomeKind) and all(texts)
        assert outcome_text(Outcome(OutcomeKind.RUNNER_UP, destination="Second Division")) == (
            "subcampeón: asciende a Segunda División"
        )
        assert outcome_text(Outcome(OutcomeKind.ABSENT)) == "no participó en las etapas jugadas"
        assert ordinal(11) == "11.º"
    finally:
        i18n.activate("en")


def test_an_undecided_tie_and_a_deciding_match_have_words() -> None:
    from copa.core.match import Match, Score
    from copa.core.path import DeciderPlayed, Step

    open_tie = Step("S", "R", "tie", TiePlayed("B", 1, 1, 1, None, None), (), None)
    decider = Step(
        "S", "Tiebreaker", "decider", DeciderPlayed(Match("A", "B", Score(2, 1)), True), (), True
    )
    assert step_text(open_tie) == "v B: 1-1 over 1 leg, undecided"
    assert step_text(decider).startswith("deciding match: ") and step_text(decider).endswith(
        "(won)"
    )
    try:
        i18n.activate("es")
        assert step_text(open_tie) == "vs. B: 1-1 en 1 partido, sin decidir"
        assert step_text(decider).startswith("partido de desempate: ")
        assert step_text(decider).endswith("(ganado)")
    finally:
        i18n.activate("en")
