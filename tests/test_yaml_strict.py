"""Season files and football.json are read strictly: duplicate keys, aliases, odd tags, huge numbers.

Regressions of issue 12 items 2 (a key written twice was silently the last
one), 6 (an alias bomb ran for minutes), 7 (a 4,301-digit number was a
traceback inside the parser) and 12 (``!!binary`` was read as a string).
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from copa.sources.import_footballjson import import_footballjson
from copa.spec.formats import load_format
from copa.spec.season_file import SeasonFileError, parse_season
from tests.test_season_file_errors import GOOD, lines_of

DATA = Path(__file__).parent / "data"
SEASONS = Path(__file__).parents[1] / "src" / "copa" / "data" / "seasons"


def error(text: str) -> str:
    with pytest.raises(SeasonFileError) as e:
        parse_season(text, "s.yaml")
    message = str(e.value)
    assert "\n" not in message
    return message


def test_the_good_file_still_loads() -> None:
    assert parse_season(GOOD, "s.yaml").name == "2024"


def test_a_second_season_key_is_an_error_naming_both_lines() -> None:
    bad = GOOD.replace("season: 2024\n", "season: 2024\nseason: 1999\n")
    assert error(bad) == "s.yaml:4: duplicate key 'season' (first at line 3)"


def test_two_legs_keys_in_a_tie_are_an_error_naming_both_lines() -> None:
    bad = GOOD.replace(
        "          - {teams: [Alpha, Gamma], legs: [1-0, 0-1 (4-3 p)]}",
        "          - teams: [Alpha, Gamma]\n            legs: [1-0, 0-1 (4-3 p)]\n            legs: [1-0, 0-2]",
    )
    first = lines_of(bad, "legs: [1-0, 0-1 (4-3 p)]")
    assert error(bad) == f"s.yaml:{first + 1}: duplicate key 'legs' (first at line {first})"


def test_two_rounds_merged_by_a_lost_name_line_are_an_error() -> None:
    # deleting one "- name: Regional Final" line leaves its keys inside the round above
    # the 2011 season written out in full (its structure in the file, not included)
    text = (Path(__file__).parent / "data" / "old" / "2011.yaml").read_text(encoding="utf-8")
    at = text.index("      - name: Regional Final\n")
    bad = text[:at] + text[at:].replace("      - name: Regional Final\n", "", 1)
    line = bad.count("\n", 0, at) + 1  # the "rules:" line now under the round above
    message = error(bad)
    assert message.startswith(f"s.yaml:{line}: duplicate key 'rules' (first at line "), message


def test_a_few_aliases_load_as_older_copa_wrote_them() -> None:
    ok = GOOD.replace(
        "  - {name: Alpha, department: Lima}", "  - {name: Alpha, department: &dep Lima}"
    ).replace("  - {name: Beta, department: Lima}", "  - {name: Beta, department: *dep}")
    clubs = {c.name: c for c in parse_season(ok, "s.yaml").clubs}
    assert clubs["Beta"].department == "Lima"


def test_a_billion_laughs_file_fails_at_once_at_the_alias_line() -> None:
    rows = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    rows += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 30)]
    bomb = GOOD + "\n".join(rows) + "\n"
    start = time.process_time()
    message = error(bomb)
    assert time.process_time() - start < 5  # linear in the text: far below a second in practice
    # by hand: a0 stands for 10 values, a1 for 91, a2 for 820, a3 for 7,381; the aliases of
    # a1, a2 and a3 expand to 90 + 819 + 7,380 = 8,289 values, and the first *a3 (in a4) to
    # 7,381 more: past the budget of 10,000
    line = lines_of(bomb, "a4: &a4")
    assert message == (
        f"s.yaml:{line}: aliases expand to more than 10,000 values "
        f"(the anchor at line {line - 1}): write the values out"
    )


@pytest.mark.parametrize(
    ("old", "new", "needle"),
    [
        ("season: 2024", "season: !!binary aGVsbG8=", "!!binary values are not allowed"),
        ("season: 2024", "season: !!python/name:os.system", "values are not allowed"),
        ("season: 2024", "season: !!set {a, b}", "!!set values are not allowed"),
        ("copa: 1", "copa: " + "9" * 5000, "a number of 5000 digits is too large (at most 100)"),
        ("copa: 1", "copa: 1\n<<: {x: 1}", "merge keys (<<) are not allowed"),
    ],
)
def test_odd_tags_and_huge_numbers_are_one_line_errors(old: str, new: str, needle: str) -> None:
    bad = GOOD.replace(old, new, 1)
    message = error(bad)
    assert message.startswith(f"s.yaml:{lines_of(bad, new.splitlines()[-1])}: "), message
    assert needle in message, message


def test_a_huge_number_exits_2_with_one_line(tmp_path: Path) -> None:
    f = tmp_path / "s.yaml"
    f.write_text(GOOD.replace("copa: 1", "copa: " + "7" * 4301), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "copa.cli", "check", str(f)], capture_output=True, text=True
    )
    assert out.returncode == 2
    assert out.stderr.count("\n") <= 1 and "Traceback" not in out.stderr
    assert "4301 digits is too large" in out.stderr


FORMAT = load_format(str(DATA / "copa-peru-2011-national.format.yaml"))
ROUNDS = (DATA / "copa-peru-2011-national.json").read_text(encoding="utf-8")


def json_error(text: str) -> str:
    with pytest.raises(SeasonFileError) as e:
        import_footballjson(text.encode(), "n.json", FORMAT)
    assert "\n" not in str(e.value)
    return str(e.value)


def test_football_json_duplicate_key_names_both_lines() -> None:
    old = '"name": "Copa Perú 2011",'
    assert old in ROUNDS
    bad = ROUNDS.replace(old, old + '\n  "name": "Copa Perú 1999",', 1)
    first = lines_of(bad, old)
    assert json_error(bad) == f"n.json:{first + 1}: name: duplicate key (first at line {first})"


def test_football_json_duplicate_key_in_a_nested_match() -> None:
    old = '"team1": "Universitario de Trujillo",'
    at = ROUNDS.index(old)
    bad = ROUNDS[:at] + old + '\n          "team1": "UTC",' + ROUNDS[at + len(old) :]
    first = ROUNDS.count("\n", 0, at) + 1
    assert json_error(bad) == f"n.json:{first + 1}: team1: duplicate key (first at line {first})"


def test_football_json_huge_number_is_one_line() -> None:
    at = ROUNDS.index('"ft": [') + len('"ft": [')
    at = ROUNDS.index("0", at)
    bad = ROUNDS[:at] + "9" * 5000 + ROUNDS[at + 1 :]
    assert json_error(bad) == (
        f"n.json:{ROUNDS.count(chr(10), 0, at) + 1}: a number of 5000 digits is too large (at most 100)"
    )
