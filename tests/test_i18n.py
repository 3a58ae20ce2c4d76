"""The translation catalogues and the command line's language, version and help."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from copa import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_compiled_catalogues_are_up_to_date() -> None:
    # the committed .mo files hold exactly what the .po files say (babel compiles them)
    p = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_locale.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr


def test_catalogue_layout_is_what_django_reads() -> None:
    po = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po"
    assert po.is_file() and po.with_suffix(".mo").is_file()
    assert "es" in i18n.available()


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "es_PE.UTF-8"}, "es"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LC_ALL": "es_ES@euro", "LANG": "en_GB.UTF-8"}, "es"),
        ({"LANGUAGE": "es:en", "LANG": "C"}, "es"),
    ],
)
def test_language_from_locale(env: dict[str, str], lang: str) -> None:
    assert i18n.language_from_env(env) == lang


def test_plural_forms() -> None:
    try:
        i18n.activate("en")
        assert i18n.plural(1, "{n} match", "{n} matches") == "1 match"
        assert i18n.plural(2, "{n} match", "{n} matches") == "2 matches"
        i18n.activate("es")
        assert i18n.plural(1, "{n} match", "{n} matches") == "1 partido"
        assert i18n.plural(0, "{n} match", "{n} matches") == "0 partidos"
    finally:
        i18n.activate("en")


def copa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "copa.cli", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
    )


def test_version() -> None:
    p = copa("--version")
    assert p.returncode == 0 and p.stdout.startswith("copa ")


def test_unknown_language_is_one_line_exit_2() -> None:
    p = copa("show", "2011", "--lang", "fr")
    assert p.returncode == 2
    assert p.stderr.strip() == "copa: error: --lang fr: no such language (available: en, es)"


def test_help_has_no_type_tags() -> None:
    for cmd in ("show", "table", "bracket", "stats", "export", "import", "audit", "new-season"):
        p = copa(cmd, "--help")
        assert p.returncode == 0, p.stderr
        assert "<bool>" not in p.stdout and "<str>" not in p.stdout and "<path>" not in p.stdout


def test_spanish_locale_show_2011() -> None:
    p = copa("show", "2011", env={"LANG": "es_PE.UTF-8", "COLUMNS": "160"})
    assert p.returncode == 0, p.stderr
    out = p.stdout
    # the article: Real Garcilaso champion, Pacífico runner-up; promoted to the First and Second Division
    assert "Campeón: Real Garcilaso" in out and "Subcampeón: Pacífico" in out
    assert "Real Garcilaso asciende a Primera División" in out
    assert "Pacífico asciende a Segunda División" in out
    # glossary terms: etapa, fase, octavos/cuartos de final, región, grupo
    for word in (
        "Etapas",
        "Etapa Nacional",
        "Octavos de final",
        "Cuartos de final",
        "Región VIII",
        "Fase de grupos (2 grupos)",
        "Goles por partido",
        "Etapa Nacional: cuadro",
    ):
        assert word in out, word
    for english in ("Champion", "promoted", "Round of 16", "Stages", "Goals"):
        assert english not in out, english
    # the same with --lang es in a C locale, and English again with --lang en under a Spanish locale
    assert copa("--lang", "es", "show", "2011", env={"COLUMNS": "160"}).stdout == out
    en = copa("show", "2011", "--lang", "en", env={"LANG": "es_PE.UTF-8", "COLUMNS": "160"}).stdout
    assert "Champion: Real Garcilaso" in en and "Real Garcilaso promoted to First Division" in en


def test_stats_club_table_shows_the_points_it_ranks_by() -> None:
    out = copa("stats", "2011", env={"COLUMNS": "120"}).stdout
    header = next(line for line in out.splitlines() if line.strip().startswith("Club "))
    assert header.split()[-1] == "Pts"
    row = next(line for line in out.splitlines() if line.strip().startswith("Real Garcilaso "))
    # 10 wins and 1 draw over the scope: 31 points (3 per win)
    cells = row.split()
    assert cells[-1] == "31" and cells[-7:-5] == ["10", "1"]


def test_one_leg_and_one_point_are_singular() -> None:
    from copa.core.path import club_path
    from copa.core.resolve import resolve
    from copa.spec.seasons import find_season
    from copa.wording import step_text

    path = club_path(resolve(find_season("2011")), "UTC")
    text = " ".join(step_text(s) for s in path.steps)
    assert "leg(s)" not in text and "over 2 legs" in text


# ---------------------------------------------------------------- help screens in Spanish


def test_spanish_help_with_lang_option() -> None:
    p = copa("--lang", "es", "--help", env={"COLUMNS": "200"})
    assert p.returncode == 0, p.stderr
    out = p.stdout
    for spanish in (
        "Uso: copa",
        "Organiza pirámides de fútbol como la Copa Perú",
        "Opciones",
        "Comandos",
        "Muestra este mensaje y termina.",
        "Muestra la versión de copa.",
        # a command's summary, with the glossary's terms (tabla de posiciones, desempate)
        "Tablas de posiciones de los grupos, con la explicación de cada desempate.",
        "El recorrido de un club en la temporada.",
    ):
        assert spanish in out, spanish
    for english in ("Usage:", "Show this message", "Group standings", "Commands"):
        assert english not in out, english


def test_spanish_help_from_the_locale_for_a_command() -> None:
    p = copa("export", "--help", env={"LANG": "es_PE.UTF-8", "COLUMNS": "200"})
    assert p.returncode == 0, p.stderr
    out = p.stdout
    for spanish in (
        "Uso: copa export [OPTIONS] SEASON",
        "Exporta los resultados de la temporada",
        "Argumentos",
        "[obligatorio]",
        "json, csv o wiki. [por defecto: json]",
        "Archivo a escribir (por defecto: la salida estándar).",
    ):
        assert spanish in out, spanish
    assert "Export the season" not in out and "[default:" not in out
    # the same screen in English under a C locale
    en = copa("export", "--help", env={"COLUMNS": "200"}).stdout
    assert "Export the season's results" in en and "[default: json]" in en and "Usage:" in en


def test_a_paragraph_of_a_longer_help_is_translated_whole() -> None:
    p = copa("audit", "--help", env={"LANG": "es_PE.UTF-8", "COLUMNS": "200"})
    assert "Código de salida 0 si todo concuerda, 1 si algo no concuerda" in p.stdout


#: the commands whose help the Spanish catalogue must cover completely
SPANISH_HELP = (
    "",
    "show",
    "table",
    "bracket",
    "team",
    "stats",
    "export",
    "import",
    "audit",
    "check",
    "seasons",
    "new-season",
    "generate",
    "play",
)


def test_every_help_paragraph_of_these_commands_has_a_spanish_translation() -> None:
    from copa.cli import app
    from copa.cli.help_i18n import untranslated

    try:
        i18n.activate("es")
        assert untranslated(app, SPANISH_HELP) == []
    finally:
        i18n.activate("en")


def test_help_translation_keeps_untranslated_paragraphs_as_written() -> None:
    from copa.cli.help_i18n import paragraphs, translated

    try:
        i18n.activate("es")
        text = "Show copa's version.\n\nA paragraph\n  nobody translated."
        assert paragraphs(text) == ["Show copa's version.", "A paragraph nobody translated."]
        assert (
            translated(text) == "Muestra la versión de copa.\n\nA paragraph\n  nobody translated."
        )
    finally:
        i18n.activate("en")


def test_the_catalogue_names_each_message_once() -> None:
    # a msgid written twice (easy when several people add words) is one translation lost
    import re

    po = (i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    # a long msgid is wrapped: msgid "" then its lines, each "..."
    found = re.findall(r'^(?:msgctxt "(.*)"\n)?msgid ((?:".*"\n)+)', po, re.M)
    ids = [(ctx, "".join(re.findall(r'"(.*)"', text))) for ctx, text in found]
    assert ("", "") in ids  # the header
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_check_speaks_spanish() -> None:
    p = copa("check", "2011", env={"LANG": "es_PE.UTF-8"})
    assert p.returncode == 0, p.stderr
    assert (
        p.stdout.strip()
        == "sin problemas: cada tabla, llave y clasificado se sigue de los resultados"
    )
