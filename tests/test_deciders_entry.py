"""``copa result`` adds the deciding match the rules ask for (issue 7 §4).

The season is the bundled 2011 file with three deciding matches taken out:
Region III Group A's (Los Tigres 1-0 Atlético Pucallpa: the two level on points
at the line, the rules' ``deciding_match`` comes next) and two of Region I's
first-stage ties (rules ``points_then_decider``: Atlético Grau v José Chiroque
Cielo 4-0, 1-3, decided 2-0; Deportivo Pomalca v Sport Buenos Aires 1-0, 0-3,
decided 2-2 and 4-3 on penalties). Typing those source results back with
``copa result`` must give back the bundled season exactly.
"""

from __future__ import annotations

import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from copa.core.match import MatchStatus, Score
from copa.io.season_edit import load
from copa.spec.entry import slots
from copa.spec.season_file import load_season
from copa.spec.seasons import find_season

BUNDLED = Path(str(resources.files("copa") / "data" / "seasons" / "2011.yaml"))

GROUP_DECIDER = "            deciders:\n              - Los Tigres 1-0 Atlético Pucallpa\n"
GRAU = '{teams: [Atlético Grau, José Chiroque Cielo], legs: [4-0, 1-3], decider: "2-0"}'
POMALCA = (
    '{teams: [Deportivo Pomalca, Sport Buenos Aires], legs: [1-0, 0-3], decider: "2-2 (4-3 p)"}'
)


def copa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from copa.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def without_deciders(tmp_path: Path, group_layout: str = "") -> Path:
    """2011 less the three deciding matches; ``group_layout`` replaces Group A's decider list."""
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in (
        (GROUP_DECIDER, group_layout),
        (GRAU, GRAU.replace(', decider: "2-0"', "")),
        (POMALCA, POMALCA.replace(', decider: "2-2 (4-3 p)"', "")),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "2011-deciders.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def one_line_exit_2(r: subprocess.CompletedProcess[str], needle: str) -> None:
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert needle in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


@pytest.mark.parametrize("layout", ["", "            deciders: []\n"])
def test_a_groups_deciding_match_is_added_by_its_result(tmp_path: Path, layout: str) -> None:
    season = without_deciders(tmp_path, layout)
    check = copa("check", str(season))
    assert "a deciding match between Atlético Pucallpa and Los Tigres is needed" in check.stdout
    r = copa("result", str(season), "Los Tigres 1-0 Atlético Pucallpa", "--by", "ana")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == (
        "Region III · Group stage · Group A (deciding match): "
        "added Los Tigres v Atlético Pucallpa: 1-0"
    )
    (group,) = [
        g
        for st in load_season(season).stages
        if st.name == "Region III"
        for rnd in st.rounds
        for g in rnd.groups
        if g.name == "Group A"
    ]
    assert [(m.home, m.away, m.score) for m in group.deciders] == [
        ("Los Tigres", "Atlético Pucallpa", Score(1, 0))
    ]
    # the group match of the pair is untouched: Atlético Pucallpa 0-0 Los Tigres
    assert ("Atlético Pucallpa", "Los Tigres", Score(0, 0)) in [
        (m.home, m.away, m.score) for m in group.matches
    ]
    (entry,) = load(str(season)).history
    assert (entry.by, entry.old, entry.new, entry.decider) == ("ana", "scheduled", "1-0", True)


def test_ties_deciding_matches_are_added_either_way_round_and_completed_with_penalties(
    tmp_path: Path,
) -> None:
    season = without_deciders(tmp_path, GROUP_DECIDER)  # Group A keeps its own
    before = copa("check", str(season)).stdout
    assert before.count("pending: a deciding match is needed") == 2
    # on neutral ground: typed from either club's side, written from the tie's first club
    r = copa("result", str(season), "José Chiroque Cielo 0-2 Atlético Grau")
    assert r.returncode == 0, r.stderr
    assert "added Atlético Grau v José Chiroque Cielo: 2-0" in r.stdout
    r = copa("result", str(season), "Deportivo Pomalca 2-2 Sport Buenos Aires")
    assert r.returncode == 0, r.stderr
    assert "the deciding match has no winner yet" in copa("check", str(season)).stdout
    # the shoot-out completes the deciding match (no --reason: its score stays)
    r = copa("result", str(season), "Deportivo Pomalca 2-2 (4-3 p) Sport Buenos Aires")
    assert r.returncode == 0, r.stderr
    assert "2-2 -> 2-2 (4-3 p)" in r.stdout
    # the source's season, exactly, and nothing left to ask for
    assert load_season(season) == find_season("2011")
    assert copa("check", str(season)).stdout == copa("check", "2011").stdout
    assert [e.decider for e in load(str(season)).history] == [True, True, True]


def test_an_added_deciding_match_reverts_to_scheduled_and_is_played_again(
    tmp_path: Path,
) -> None:
    season = without_deciders(tmp_path)
    assert copa("result", str(season), "Los Tigres 1-0 Atlético Pucallpa").returncode == 0
    r = copa("revert", str(season), "1", "--reason", "entered too early")
    assert r.returncode == 0, r.stderr
    ms = {
        (x.kind, x.match.home, x.match.away): x.match
        for x in slots(load_season(season))
        if x.stage == "Region III"
    }
    assert ms[("decider", "Los Tigres", "Atlético Pucallpa")].status is MatchStatus.SCHEDULED
    assert ms[("match", "Atlético Pucallpa", "Los Tigres")].score == Score(0, 0)
    # the scheduled deciding match is the fixture now: played, not added a second time
    r = copa("result", str(season), "Los Tigres 1-0 Atlético Pucallpa")
    assert r.returncode == 0, r.stderr
    assert "added" not in r.stdout and "scheduled -> 1-0" in r.stdout
    group_a = [
        x for x in slots(load_season(season)) if x.kind == "decider" and x.stage == "Region III"
    ]
    assert len(group_a) == 1
    assert [e.id for e in load(str(season)).history] == [1, 2, 3]


def test_an_organizer_can_schedule_the_deciding_match_first(tmp_path: Path) -> None:
    season = without_deciders(tmp_path)
    r = copa("result", str(season), "Los Tigres v Atlético Pucallpa | 2011-07-10 | at Pucallpa")
    assert r.returncode == 0, r.stderr
    check = copa("check", str(season)).stdout
    assert "a deciding match between Atlético Pucallpa and Los Tigres has no winner yet" in check
    r = copa("result", str(season), "Los Tigres 1-0 Atlético Pucallpa")
    assert r.returncode == 0, r.stderr
    (d,) = [
        x.match
        for x in slots(load_season(season))
        if x.kind == "decider" and x.stage == "Region III"
    ]
    assert (d.score, d.date, d.venue) == (Score(1, 0), "2011-07-10", "Pucallpa")


def test_deciding_matches_the_rules_do_not_ask_for_are_one_line_exit_2(tmp_path: Path) -> None:
    season = without_deciders(tmp_path)
    text = season.read_text(encoding="utf-8")
    # Region VIII with a group match still to play: no deciding match is asked for yet
    assert text.count("- Real Garcilaso 4-0 MINSA") == 1
    season.write_text(text.replace("- Real Garcilaso 4-0 MINSA", "- Real Garcilaso v MINSA"))
    before = season.read_bytes()
    cases = [
        (["MINSA 1-0 Virgen del Carmen", "--decider"], "fixture(s) still to play"),
        # a tie its legs decided (Defensor San José v 9 de Octubre)
        (["Defensor San José 1-0 9 de Octubre", "--decider"], "is decided"),
        # a complete group whose two clubs are not level at its line (Region II Group A)
        (["Universidad San Pedro 1-0 Carlos A. Mannucci", "--decider"], "not level"),
        # no fixture and no deciding match due
        (["Tecnológico 1-0 Los Tigres"], "no fixture Tecnológico v Los Tigres"),
        # a shoot-out after a deciding match that was not level
        (["Los Tigres 1-0 (4-3 p) Atlético Pucallpa"], "penalties"),
        # the tie already holds its deciding match: a correction needs --reason
        (["José Olaya (Sechura) 1-0 Vencedores del Cenepa"], "already played"),
    ]
    for args, needle in cases:
        one_line_exit_2(copa("result", str(season), *args), needle)
        assert season.read_bytes() == before, args
