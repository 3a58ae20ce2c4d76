"""Importing CSV results: real published results from the 2011 article.

``tests/data/copa-peru-2011-national.csv`` holds, one match per row, the
national stage of the 2011 Copa Perú (the article's Round of 16,
Quarterfinals, Semifinals and Final rows, seed lines 1468-1521) and Region
VII's regional final (line 881). Each TwoLegResult was written as two rows,
leg 2 from its host's side. It has a two-legged tie decided on away goals
(Universitario de Trujillo v Los Caimanes 1–1, 0–0), ties decided on
penalties (Los Caimanes v UTC 1–0, 0–1, 3–2 p) and a single match decided
on penalties (Sportivo Huracán 0–0 Unión Minas de Orcopampa, 4–2 p).
``copa-peru-2011-clubs.csv`` lists those clubs with the department and
location the article's qualifiers table gives (lines 60-380) and the short
names its bracket uses as aliases.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from copa.core.club import Club
from copa.core.match import Match, Score
from copa.core.resolve import resolve
from copa.core.resolve import resolve as resolve_season
from copa.sinks.export_csv import matches_csv
from copa.sources.import_csv import import_csv
from copa.spec.formats import dump_format, format_of, load_format, parse_format
from copa.spec.season_file import SeasonFileError
from copa.spec.seasons import find_season

DATA = Path(__file__).parent / "data"
MATCHES = DATA / "copa-peru-2011-national.csv"
CLUBS = DATA / "copa-peru-2011-clubs.csv"
FORMAT = DATA / "copa-peru-2011-national.format.yaml"


def load(matches: bytes | None = None, clubs: bytes | None = None):
    return import_csv(
        matches if matches is not None else MATCHES.read_bytes(),
        "national.csv",
        load_format(str(FORMAT)),
        clubs if clubs is not None else CLUBS.read_bytes(),
        "clubs.csv",
    )


def test_the_national_stage_as_the_article_gives_it() -> None:
    imp = load()
    assert imp.notes == ()
    result = resolve(imp.season)
    ties = {t.tie.teams: t for t in result.tie_results()}
    # Round of 16, line 1472: level on points and goal difference, Los Caimanes through on away goals
    r16 = ties[("Universitario de Trujillo", "Los Caimanes")]
    assert (r16.winner, r16.decided_by) == ("Los Caimanes", "away_goals")
    # Quarterfinal, line 1490: 1–0, 0–1, Los Caimanes 3–2 on penalties
    qf = ties[("Los Caimanes", "UTC")]
    assert (qf.winner, qf.decided_by) == ("Los Caimanes", "penalties")
    assert qf.tie.legs[1] == Match("UTC", "Los Caimanes", Score(1, 0), penalties=Score(2, 3))
    # Region VII final, line 881: 0–0, Sportivo Huracán 4–2 on penalties
    final7 = ties[("Sportivo Huracán", "Unión Minas de Orcopampa")]
    assert (final7.winner, final7.decided_by) == ("Sportivo Huracán", "penalties")
    # Final, line 1519: Real Garcilaso 3–1, 0–1 Pacífico
    assert (result.champion, result.runner_up) == ("Real Garcilaso", "Pacífico")


def test_the_same_legs_as_the_bundled_season() -> None:
    got = load().season.stage("National Stage")
    bundled = find_season("2011").stage("National Stage")
    for mine, theirs in zip(got.rounds, bundled.rounds, strict=True):
        assert [(t.teams, t.legs) for t in mine.ties] == [(t.teams, t.legs) for t in theirs.ties]


def test_clubs_come_from_the_clubs_file_with_aliases() -> None:
    season = load().season
    assert season.clubs[0] == Club("Sportivo Huracán", department="Arequipa", location="Arequipa")
    assert season.club("Universitario de Trujillo").aliases == ("Universitario (T)",)
    assert season.club("Unión Minas de Orcopampa").aliases == ("Unión Minas (O)", "Minas (O)")
    assert len(season.clubs) == 16


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            (",1,1,,,,,1,played", ",1,x,,,,,1,played"),
            r"^national.csv:3: away_goals: 'x' is not a number of goals$",
        ),
        (
            (",1,1,,,,,1,played", ",1,,,,,,1,played"),
            r"^national.csv:3: away_goals: give both sides or neither$",
        ),
        (
            (",0,0,,,4,2,,played", ",0,0,,,4,2,,abandoned"),
            r"^national.csv:2: status: unknown status 'abandoned'",
        ),
        ((",0,0,,,,,1,played", ",,,,,,,1,not played"), None),
        (
            (
                "Los Caimanes,Universitario de Trujillo,0,0,,,,,2",
                "Universitario de Trujillo,Los Caimanes,0,0,,,,,2",
            ),
            r"^national.csv:4: Universitario de Trujillo v Los Caimanes: leg 2 should be hosted by Los Caimanes",
        ),
        (
            ("UTC,Los Caimanes,1,0,,,2,3,2", "UTC,Los Caimanes,1,0,,,2,2,2"),
            r"^national.csv:20: National Stage, Quarterfinals, Los Caimanes v UTC: .*shoot-out cannot end level",
        ),
        (
            ("home_goals,away_goals", "home_goals,goals_away"),
            r"^national.csv:1: missing column: away_goals$",
        ),
    ],
)
def test_bad_rows_are_errors_naming_the_line(change: tuple[str, str], message: str | None) -> None:
    text = MATCHES.read_text(encoding="utf-8")
    assert change[0] in text
    bad = text.replace(change[0], change[1], 1).encode()
    if message is None:  # a leg not played: the tie is still to decide, nothing is wrong
        imp = load(bad)
        assert any("leg(s) still to play" in str(i) for i in resolve(imp.season).issues)
        return
    with pytest.raises(SeasonFileError, match=message):
        load(bad)


def test_rows_for_a_round_the_format_lacks_are_listed_not_dropped_silently() -> None:
    text = (
        MATCHES.read_text(encoding="utf-8")
        + ",National Stage,Third place,,Los Caimanes,Alianza Universidad,1,0,,,,,1,played\n"
    )
    imp = load(text.encode())
    (note,) = imp.notes
    assert (note.line, note.kind) == (33, "not mapped")
    assert "National Stage > Third place" in note.message


def test_without_a_format_the_error_says_to_name_one() -> None:
    with pytest.raises(
        SeasonFileError, match=r"^national.csv: a CSV file gives results only.*--preset"
    ):
        import_csv(MATCHES.read_bytes(), "national.csv", None)


def test_copa_csv_export_imports_back_with_the_seasons_format() -> None:
    """The CSV export of 2011 and its format give back 2011, less the article's "(a)" claims."""
    season = find_season("2011")
    text = matches_csv(resolve_season(season))
    clubs = "name,aliases,department,province,district,location\n" + "".join(
        f"{c.name},{';'.join(c.aliases)},{c.department},{c.province},{c.district},{c.location}\n"
        for c in season.clubs
    )
    fmt = parse_format(dump_format(format_of(season)), "2011.format.yaml")
    imp = import_csv(text.encode(), "2011.csv", fmt, clubs.encode(), "clubs.csv")
    assert imp.notes == ()
    claims = [t for s in season.stages for r in s.rounds for t in r.ties if t.claimed_decided_by]
    assert len(claims) == 2
    got = [t for s in imp.season.stages for r in s.rounds for t in r.ties if t.claimed_decided_by]
    assert got == []
    import dataclasses

    unclaimed = dataclasses.replace(
        season,
        stages=tuple(
            dataclasses.replace(
                s,
                rounds=tuple(
                    dataclasses.replace(
                        r,
                        ties=tuple(dataclasses.replace(t, claimed_decided_by=None) for t in r.ties),
                    )
                    for r in s.rounds
                ),
            )
            for s in season.stages
        ),
    )
    assert imp.season == unclaimed


def test_cli_import_csv(tmp_path: Path, monkeypatch, capsys) -> None:
    from copa.cli import main

    out = tmp_path / "national.yaml"
    monkeypatch.setattr(
        sys,
        "argv",
        [
            "copa",
            "import",
            str(MATCHES),
            "--preset",
            str(FORMAT),
            "--clubs",
            str(CLUBS),
            "-o",
            str(out),
        ],
    )
    main()  # returns: exit code 0
    assert "format: format file" in capsys.readouterr().err
    from copa.spec.season_file import load_season

    assert resolve(load_season(out)).champion == "Real Garcilaso"
