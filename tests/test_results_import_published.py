"""``copa results import`` and ``copa result`` keep scores as sources publish them (issue 9 §1).

The results CSV has the columns of ``copa export --what matches``, ``winner`` and
``first_shooter`` among them: a played match known only by its winner, or only by
its shoot-out, and who shot first, are entered, never silently dropped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from copa.core.match import MatchStatus, Score
from copa.io.season_edit import load
from copa.sources.results_csv import ResultsCsvError, read_results_csv
from copa.spec.season_file import load_season

SEASON = """\
copa: 1
competition: Test Cup
season: 2024
rules:
  groups:
    ranking: [points, goal_difference, goals_for]
  one_match:
    tie: [score, extra_time, penalties]
clubs:
  - {name: Alpha, department: Lima}
  - {name: Beta, department: Lima}
  - {name: Gamma, department: Cusco}
  - {name: Delta, department: Cusco, aliases: [Delta FC]}
stages:
  - name: Groups
    kind: regional
    rounds:
      - name: Group stage
        rules: groups
        legs: 1
        advance: {top: 2}
        groups:
          - name: Group A
            clubs: [Alpha, Beta, Gamma]
            matches: [Alpha v Beta, Beta v Gamma, Gamma v Alpha]
  - name: Plate
    kind: national
    entrants: [Delta, Alpha]
    rounds:
      - name: Plate final
        rules: one_match
        legs: 1
        ties:
          - {teams: [Delta, Alpha], legs: [scheduled]}
"""
HEAD = "stage,round,home,away,home_goals,away_goals,home_penalties,away_penalties,winner,first_shooter\n"


def copa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from copa.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_reader_reads_winner_and_first_shooter() -> None:
    rows = read_results_csv(
        HEAD + "Groups,,Beta,Gamma,,,,,Gamma,\nPlate,,Delta,Alpha,,,4,2,,Alpha\n", "r.csv"
    )
    assert (rows[0].result.score, rows[0].result.winner) == (None, "Gamma")
    assert rows[1].result.penalties == Score(4, 2) and rows[1].result.first == "Alpha"
    assert rows[1].result.status is MatchStatus.PLAYED


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("Groups,,Alpha,Beta,1,0,,,Beta,", "r.csv:2: winner: give the winner only without a score"),
        ("Groups,,Alpha,Beta,1,0,,,,Beta", "r.csv:2: first_shooter: no shoot-out is recorded"),
        ("Groups,,Alpha,Beta,,,,,,", "r.csv:2: home_goals: a played match needs a score"),
        ("Groups,,Alpha,Beta,x,0,,,,", "r.csv:2: home_goals"),
    ],
)
def test_the_reader_refuses_what_makes_no_sense_naming_the_column(row: str, needle: str) -> None:
    with pytest.raises(ResultsCsvError) as e:
        read_results_csv(HEAD + row + "\n", "r.csv")
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_results_import_enters_a_winner_only_match_and_a_shoot_out_with_first_shooter(
    tmp_path: Path,
) -> None:
    season = tmp_path / "cup.yaml"
    season.write_text(SEASON, encoding="utf-8")
    rows = tmp_path / "rows.csv"
    # Beta v Gamma: played, Gamma won (no score known); the plate final: a shoot-out
    # only, Delta 4-2, Alpha shot first ("Delta FC" is Delta's alias, "alpha" Alpha)
    rows.write_text(
        HEAD + "Groups,,Beta,Gamma,,,,,gamma,\nPlate,,Delta FC,Alpha,,,4,2,,alpha\n",
        encoding="utf-8",
    )
    r = copa("results", "import", str(season), str(rows), "--by", "liga")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("2 results changed")
    s = load_season(season)
    (group,) = s.stages[0].rounds[0].groups
    (bg,) = [m for m in group.matches if (m.home, m.away) == ("Beta", "Gamma")]
    assert (bg.score, bg.recorded_winner, bg.status) == (None, "Gamma", MatchStatus.PLAYED)
    (tie,) = s.stages[1].rounds[0].ties
    (leg,) = tie.legs
    assert (leg.score, leg.penalties, leg.shot_first) == (None, Score(4, 2), "Alpha")
    # the history keeps both forms, so they can be reverted and read back
    h = load(str(season)).history
    assert [e.new for e in h] == ["played, winner Gamma", "? (4-2 p, Alpha first)"]
    # the same file again changes nothing
    again = copa("results", "import", str(season), str(rows))
    assert again.returncode == 0 and again.stdout.splitlines()[-1].startswith("0 results")
    # a winner who is not in the match: one line naming the row, nothing written
    before = season.read_bytes()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEAD + "Groups,,Gamma,Alpha,,,,,Beta,\n", encoding="utf-8")
    r = copa("results", "import", str(season), str(bad))
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "bad.csv:2:" in r.stderr and "Beta" in r.stderr
    assert season.read_bytes() == before


def test_copa_result_enters_them_and_revert_undoes_them(tmp_path: Path) -> None:
    season = tmp_path / "cup.yaml"
    season.write_text(SEASON, encoding="utf-8")
    r = copa("result", str(season), "Beta v Gamma: played, winner Gamma", "--by", "me")
    assert r.returncode == 0, r.stderr
    r = copa("result", str(season), "Delta v Alpha: ? (4-2 p, Alpha first)", "--by", "me")
    assert r.returncode == 0, r.stderr
    s = load_season(season)
    (bg,) = [m for m in s.stages[0].rounds[0].groups[0].matches if m.home == "Beta"]
    (leg,) = s.stages[1].rounds[0].ties[0].legs
    assert (bg.recorded_winner, leg.penalties, leg.shot_first) == ("Gamma", Score(4, 2), "Alpha")
    assert copa("revert", str(season), "2", "--reason", "wrong match").returncode == 0
    (leg,) = load_season(season).stages[1].rounds[0].ties[0].legs
    assert (leg.status, leg.penalties, leg.shot_first) == (MatchStatus.SCHEDULED, None, None)


def test_an_error_names_the_files_line_after_a_cell_of_two_lines() -> None:
    """A quoted cell may hold a line break: the row after it starts on line 4 of the file,
    and that is the line its error names (counted by hand from the text below)."""
    text = (
        "home,away,home_goals,away_goals,stage\n"  # line 1
        'Alpha,Beta,1,0,"Groups\n'  # line 2
        'second line"\n'  # line 3
        "Beta,Gamma,x,0,Groups\n"  # line 4
    )
    with pytest.raises(ResultsCsvError) as e:
        read_results_csv(text, "r.csv")
    assert str(e.value).startswith("r.csv:4: home_goals: "), str(e.value)
    assert "\n" not in str(e.value)
