"""Importing openfootball football.json: real published results from the 2011 article.

``tests/data/copa-peru-2011-national.json`` (the ``rounds`` form) and
``copa-peru-2011-national.matches.json`` (the newer ``matches`` form, with
Spanish round names the format file lists as aliases) hold the same results
as ``copa-peru-2011-national.csv``: the 2011 national stage (seed lines
1468-1521) and Region VII's final (line 881), ``team1`` at home, with the
``agg`` the article's TwoLegResult rows publish on each second leg and
``p`` for shoot-outs. They include a tie decided on away goals
(Universitario de Trujillo v Los Caimanes 1–1, 0–0) and matches decided on
penalties (Los Caimanes v UTC, 3–2 p; Sportivo Huracán v Unión Minas de
Orcopampa 0–0, 4–2 p).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

from copa.core.resolve import resolve
from copa.sources.import_footballjson import import_footballjson
from copa.sources.wiki.audit import audit_import
from copa.spec.formats import load_format
from copa.spec.season_file import SeasonFileError
from copa.spec.seasons import find_season

DATA = Path(__file__).parent / "data"
ROUNDS = DATA / "copa-peru-2011-national.json"
MATCHES = DATA / "copa-peru-2011-national.matches.json"
FORMAT = DATA / "copa-peru-2011-national.format.yaml"


def load(data: bytes, name: str = "national.json"):
    return import_footballjson(data, name, load_format(str(FORMAT)))


@pytest.mark.parametrize("path", [ROUNDS, MATCHES])
def test_both_forms_give_the_national_stage(path: Path) -> None:
    imp = load(path.read_bytes())
    assert imp.notes == ()
    result = resolve(imp.season)
    ties = {t.tie.teams: t for t in result.tie_results()}
    r16 = ties[("Universitario de Trujillo", "Los Caimanes")]  # line 1472: 1–1, 0–0
    assert (r16.winner, r16.decided_by) == ("Los Caimanes", "away_goals")
    qf = ties[("ADT", "Alianza Universidad")]  # line 1494: 1–0, 0–1, 2–3 on penalties
    assert (qf.winner, qf.decided_by) == ("Alianza Universidad", "penalties")
    final7 = ties[("Sportivo Huracán", "Unión Minas de Orcopampa")]  # line 881: 0–0 (4–2 p)
    assert (final7.winner, final7.decided_by) == ("Sportivo Huracán", "penalties")
    assert result.champion == "Real Garcilaso"
    bundled = find_season("2011").stage("National Stage")
    mine = imp.season.stage("National Stage")
    for a, b in zip(mine.rounds, bundled.rounds, strict=True):
        assert [(t.teams, t.legs) for t in a.ties] == [(t.teams, t.legs) for t in b.ties]
    # every aggregate the file publishes agrees with its legs
    assert imp.findings == ()
    assert dict(imp.checked)["aggregates"] == 15


def test_a_false_aggregate_is_a_finding_with_its_line() -> None:
    data = json.loads(ROUNDS.read_text(encoding="utf-8"))
    final = data["rounds"][-1]["matches"][1]
    assert final["score"]["agg"] == [2, 3]  # Pacífico 2–3 Real Garcilaso over the two legs
    final["score"]["agg"] = [3, 3]
    text = json.dumps(data, ensure_ascii=False, indent=2)
    imp = load(text.encode())
    (f,) = imp.findings
    assert (f.subject, f.published, f.computed) == ("Pacífico v Real Garcilaso agg", "3–3", "2–3")
    assert f.line == text.count("\n", 0, text.rindex('"team1": "Pacífico"'))  # its opening brace
    assert not audit_import(imp).ok


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '"ft": [\n              0,\n              0\n            ],\n            "p"',
            '"ft": [\n              0,\n              -1\n            ],\n            "p"',
            r"^national.json:7: score.ft: expected \[goals, goals\]",
        ),
        (
            '"team2": "Unión Minas de Orcopampa",\n          "score": {\n            "ft": [\n              0,\n              0\n            ],\n            "p"',
            '"team2": "Unión Minas de Orcopampa",\n          "score": {\n            "ht": [\n              0,\n              0\n            ],\n            "agg"',
            r"^national.json:7: score.ft: a score needs ft",
        ),
        (
            '"name": "Round of 16"',
            '"name": "Octavos"',
            r"^national.json:\d+: round 'Octavos': no stage and round",
        ),
        (
            '"name": "Copa Perú 2011",\n  "rounds": [',
            '"name": "Copa Perú 2011",\n  "rounds": [[',
            r"^national.json:\d+: not valid JSON",
        ),
    ],
)
def test_bad_input_names_the_line(old: str, new: str, message: str) -> None:
    text = ROUNDS.read_text(encoding="utf-8")
    assert old in text
    bad = text.replace(old, new, 1)
    if "Octavos" in new:  # a round the format lacks: listed, with its line
        imp = load(bad.encode())
        unmapped = [n for n in imp.notes if n.kind == "not mapped"]
        assert len(unmapped) == 16 and all(n.line for n in unmapped)
        assert re.match(message, unmapped[0].render("national.json").replace("not mapped: ", ""))
        (missing,) = [n for n in imp.notes if n.kind == "missing"]
        assert (
            missing.message
            == "National Stage, Round of 16: no results in the source; round left out"
        )
        return
    with pytest.raises(SeasonFileError, match=message):
        load(bad.encode())


def test_the_name_finds_the_preset_when_no_format_is_named() -> None:
    imp = import_footballjson(ROUNDS.read_bytes(), "national.json", None)
    assert "preset copa-peru-2011 (recognised from the name 'Copa Perú 2011')" in imp.format.origin
    # the regional stages are not in the file: said, not guessed
    assert any("Region I: no results" in n.message for n in imp.notes)
    assert any(n.kind == "slots" for n in imp.notes)


def test_cli_audit_of_football_json(monkeypatch, capsys) -> None:
    from copa.cli import main

    monkeypatch.setattr(sys, "argv", ["copa", "audit", str(MATCHES), "--preset", str(FORMAT)])
    main()
    assert "every published claim agrees" in capsys.readouterr().out


def test_a_misspelt_matches_key_is_an_error_not_a_round_left_out() -> None:
    """Found by the fuzz harness (seed 2027, input 2000): ``"matc3es"`` made the round's
    results vanish behind a "no results in the source" note."""
    text = ROUNDS.read_text(encoding="utf-8").replace('"matches"', '"matc3es"', 1)
    with pytest.raises(SeasonFileError) as e:
        load(text.encode("utf-8"))
    assert e.value.line == 4
    assert "unknown key 'matc3es'" in e.value.message
