"""Bad season files: each error names the file, the line and the field, and says what is wrong."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from copa.core.resolve import resolve
from copa.spec.season_file import SeasonFileError, parse_season

GOOD = """\
copa: 1
competition: Test Cup
season: 2024
rules:
  groups:
    ranking: [points, goal_difference, goals_for, head_to_head]
  ko:
    tie: [aggregate, away_goals, penalties]
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
            clubs: [Alpha, Beta, Gamma, Delta]
            matches:
              - Alpha 2-0 Beta
              - Gamma 1-1 Delta FC
              - Alpha 0-1 Gamma
              - Beta 3-0 Delta
              - Alpha 1-1 Delta
              - Beta v Gamma
  - name: Final stage
    kind: national
    rounds:
      - name: Final
        rules: ko
        ties:
          - {teams: [Alpha, Gamma], legs: [1-0, 0-1 (4-3 p)]}
"""


def lines_of(text: str, needle: str) -> int:
    for i, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_the_good_file_loads_and_resolves() -> None:
    season = parse_season(GOOD, "good.yaml")
    result = resolve(season)
    assert (
        result.champion == "Alpha"
    )  # 1-0, 0-1, level on aggregate and away goals, 4-3 on penalties
    group = result.stage("Groups").rounds[0].groups[0]
    # Alpha: W 2-0, L 0-1, D 1-1 = 4 pts, 3-2; Gamma: D 1-1, W 1-0 = 4 pts, 2-1 (Beta v Gamma to play)
    assert [s.club for s in group.table.standings] == ["Alpha", "Gamma", "Beta", "Delta"]
    assert group.table.explanations() == ["Alpha above Gamma on goals scored"]


def error(text: str) -> SeasonFileError:
    with pytest.raises(SeasonFileError) as e:
        parse_season(text, "bad.yaml")
    return e.value


@pytest.mark.parametrize(
    ("old", "new", "field_part", "message_part"),
    [
        ("- Alpha 2-0 Beta", "- Alpha 2-0 Betta", "matches[0]", "unknown club 'Betta'"),
        ("- Alpha 2-0 Beta", "- Alpha 2-0 Alpha", "matches[0]", "cannot play itself"),
        ("- Alpha 2-0 Beta", "- Alpha -2-0 Beta", "matches[0]", "negative"),
        ("- Alpha 2-0 Beta", "- Alpha two-0 Beta", "matches[0]", "is not a match"),
        (
            "legs: [1-0, 0-1 (4-3 p)]",
            "legs: [1-0, 0-2 (4-3 p)]",
            "ties[0]",
            "penalties recorded on a tie already decided on aggregate",
        ),
        ("- Beta v Gamma", "- Alpha 3-3 Beta", "matches[5]", "duplicate fixture"),
        ("- Beta v Gamma", "- Beta 1-0 Zeta", "matches[5]", "unknown club 'Zeta'"),
        ("legs: [1-0, 0-1 (4-3 p)]", "legs: [1-0]", "ties[0].legs", "missing leg"),
        (
            "ranking: [points, goal_difference",
            "ranking: [points, goal_diference",
            "rules.groups.ranking[1]",
            "unknown criterion 'goal_diference'",
        ),
        (
            "tie: [aggregate, away_goals, penalties]",
            "tie: [aggregate, away_gaols, penalties]",
            "rules.ko.tie[1]",
            "unknown tie step 'away_gaols' (known: aggregate, ",
        ),
        ("- Beta v Gamma", "", "groups[0].matches", "missing fixture Beta v Gamma"),
        (
            "        rules: groups\n",
            "        rules: group\n",
            "rounds[0].rules",
            "unknown rule set 'group'",
        ),
        (
            "  - {name: Beta, department: Lima}",
            "  - {name: Beta, departmnt: Lima}",
            "clubs[1].departmnt",
            "did you mean department?",
        ),
        ("competition: Test Cup\n", "", "competition", "required"),
    ],
)
def test_each_bad_input_names_line_field_and_problem(
    old: str, new: str, field_part: str, message_part: str
) -> None:
    assert old in GOOD
    text = GOOD.replace(old, new, 1)
    e = error(text)
    assert field_part in e.field, (e.field, str(e))
    assert message_part in e.message, str(e)
    assert str(e).startswith("bad.yaml:")
    assert "\n" not in str(e)
    if new.strip():
        # the error points at the line that holds the bad value (or its parent)
        assert e.line is not None and e.line <= lines_of(text, new.strip().splitlines()[0])


def test_a_match_between_clubs_not_in_the_group() -> None:
    text = GOOD.replace("clubs: [Alpha, Beta, Gamma, Delta]", "clubs: [Alpha, Beta, Gamma]")
    e = error(text)
    assert "Delta is not in Group A" in e.message
    assert e.line == lines_of(text, "Gamma 1-1 Delta FC")


def test_penalties_on_a_single_match_that_was_not_level() -> None:
    text = GOOD.replace(
        "legs: [1-0, 0-1 (4-3 p)]",
        "legs: [1-0, 0-1 (4-3 p)]}\n          - {teams: [Beta, Delta], legs: [2-1 (4-3 p), 0-0]",
    )
    e = error(text)
    assert "penalties" in e.message


def test_invalid_yaml_names_the_line() -> None:
    text = GOOD.replace("season: 2024", "season: [2024")
    e = error(text)
    assert "not valid YAML" in e.message and e.line is not None


def test_an_alias_used_by_two_clubs_is_an_error() -> None:
    text = GOOD.replace(
        "{name: Gamma, department: Cusco}", "{name: Gamma, department: Cusco, aliases: [Delta FC]}"
    )
    e = error(text)
    assert "already names" in e.message and e.field.startswith("clubs[")


def run_copa(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copa.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["show", "does-not-exist.yaml"], "no such file"),
        (["show", "1999"], "no bundled season of that name"),
        (["team", "2011", "Real Garcilazo"], "did you mean Real Garcilaso"),
        (["table", "2011", "Region IX"], "no group 'Region IX'"),
        (["bracket", "2011", "--stage", "Region X"], "no stage 'Region X'"),
        (["export", "2011", "--format", "xml"], "xml"),
        (["frobnicate"], "frobnicate"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_code_2(args: list[str], needle: str) -> None:
    p = run_copa(*args)
    assert p.returncode == 2, p.stderr
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1, p.stderr
    assert lines[0].startswith("copa: error:") and needle in lines[0]
    assert "Traceback" not in p.stderr


def test_cli_bad_season_file_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD.replace("- Alpha 2-0 Beta", "- Alpha 2-x Beta"), encoding="utf-8")
    p = run_copa("table", str(bad))
    assert p.returncode == 2
    assert p.stderr.strip() == (
        f"copa: error: {bad}:{lines_of(bad.read_text(), 'Alpha 2-x Beta')}: "
        "stages[0].rounds[0].groups[0].matches[0]: "
        "'Alpha 2-x Beta' is not a match (write it like 'Home 2-1 Away' or 'Home v Away')"
    )


def test_export_to_a_file_is_atomic_and_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir" / "out.json"
    p = run_copa("export", "2011", "-o", str(target))
    assert p.returncode == 2 and "cannot write" in p.stderr
    assert not target.parent.exists()
    ok = tmp_path / "out.json"
    ok.write_text("previous", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("competition: [", encoding="utf-8")
    p = run_copa("export", str(bad), "-o", str(ok))
    assert p.returncode == 2
    assert ok.read_text(encoding="utf-8") == "previous"  # nothing already stored is lost


def test_check_exits_1_on_a_recorded_claim_the_rules_contradict(tmp_path: Path) -> None:
    # 1-0, 0-1 (4-3 p): Alpha goes through on penalties, not Gamma
    bad = tmp_path / "claim.yaml"
    bad.write_text(
        GOOD.replace("legs: [1-0, 0-1 (4-3 p)]", "legs: [1-0, 0-1 (4-3 p)], winner: Gamma"),
        encoding="utf-8",
    )
    p = run_copa("check", str(bad))
    assert p.returncode == 1
    assert "recorded winner Gamma, but the rules give Alpha (on penalties)" in p.stdout
    assert run_copa("check", "2011").returncode == 0


BLOCK = GOOD.replace(
    """            matches:
              - Alpha 2-0 Beta
              - Gamma 1-1 Delta FC
              - Alpha 0-1 Gamma
              - Beta 3-0 Delta
              - Alpha 1-1 Delta
              - Beta v Gamma
""",
    """            matches: |
              Alpha 2-0 Beta
              Gamma 1-1 Delta FC

              Alpha 0-1 Gamma
              Beta 3-0 Delta
              Alpha 1-1 Delta
              Beta v Gamma
""",
)


def test_matches_may_be_a_block_of_lines_with_the_same_meaning() -> None:
    assert BLOCK != GOOD
    assert parse_season(BLOCK, "block.yaml") == parse_season(GOOD, "good.yaml")


def test_an_error_inside_a_block_names_its_own_line() -> None:
    text = BLOCK.replace("Beta 3-0 Delta", "Beta 3-0 Deltta")
    e = error(text)
    assert "unknown club 'Deltta'" in e.message
    assert e.line == lines_of(text, "Beta 3-0 Deltta")


def test_big_seasons_are_written_with_match_blocks_and_read_back() -> None:
    from copa.spec.season_writer import write_season
    from copa.spec.seasons import find_season

    season = find_season("2011")
    text = write_season(season)
    assert "matches: |" in text
    assert parse_season(text, "written.yaml") == season
