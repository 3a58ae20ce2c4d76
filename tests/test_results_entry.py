"""Entering results without editing the season file (issue 7 §3, §4).

The season is the bundled 2011 file with three fixtures made scheduled again:
two of Real Garcilaso's Region VIII group matches and both legs of the national
final (Real Garcilaso v Pacífico, 3-1 and 0-1 in the source). Expected values
are those source results, or follow from the notation by hand.
"""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from copa.core.match import MatchStatus, Score
from copa.io.season_edit import load
from copa.spec.entry import slots
from copa.spec.season_file import load_season

BUNDLED = Path(str(resources.files("copa") / "data" / "seasons" / "2011.yaml"))

GROUP_1 = "- Real Garcilaso 2-0 Humberto Luna"
GROUP_2 = "- Real Garcilaso 4-0 MINSA"
FINAL = "{teams: [Real Garcilaso, Pacífico], legs: [3-1, 0-1]}"


def copa(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from copa.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


#: this environment with the locale's language variables left to LANG alone
SPANISH = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES")}


@pytest.fixture
def season(tmp_path: Path) -> Path:
    text = BUNDLED.read_text(encoding="utf-8")
    for old, new in (
        (GROUP_1, "- Real Garcilaso v Humberto Luna | fecha 9 | 2011-09-18 15:30 | at Garcilaso"),
        (GROUP_2, "- Real Garcilaso v MINSA"),
        (FINAL, "{teams: [Real Garcilaso, Pacífico], legs: [scheduled, scheduled]}"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path = tmp_path / "2011-live.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def results(path: Path) -> list[tuple[str, str, str, Score | None, MatchStatus]]:
    s = load_season(path)
    return [(x.stage, x.match.home, x.match.away, x.match.score, x.match.status) for x in slots(s)]


def test_fixture_details_are_read_and_listed(season: Path) -> None:
    m = next(
        x.match
        for x in slots(load_season(season))
        if (x.match.home, x.match.away) == ("Real Garcilaso", "Humberto Luna")
    )
    assert (m.matchday, m.date, m.kickoff, m.venue, m.simulated) == (
        9,
        "2011-09-18",
        "15:30",
        "Garcilaso",
        False,
    )
    r = copa("fixtures", str(season), "--club", "real garcilaso", "--remaining")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    # the two group matches (in matchday order: matchday 9 first, then the one with
    # none) and the two legs of the final, each under its stage and round
    assert (
        "matchday 9   2011-09-18 15:30 Real Garcilaso v Humberto Luna  (at Garcilaso)" in lines[1]
    )
    assert lines[2].strip() == "Real Garcilaso v MINSA"
    assert lines[3] == "National Stage · Final"
    assert [x.strip() for x in lines[4:6]] == [
        "Real Garcilaso v Pacífico  (first leg)",
        "Pacífico v Real Garcilaso  (second leg)",
    ]
    assert lines[-1] == "4 fixtures, 0 played, 4 to play"
    r = copa("fixtures", str(season), "--stage", "Region VIII", "--matchday", "9")
    assert r.stdout.splitlines()[-1] == "1 fixture, 0 played, 1 to play"
    played = copa("fixtures", str(season), "--club", "Pacífico")
    assert "Los Tigres 0-0 Pacífico  (first leg)" in played.stdout
    # in Spanish: the glossary's words (fecha, ida, vuelta), the places' names too
    es = copa(
        "fixtures",
        str(season),
        "--club",
        "real garcilaso",
        "--remaining",
        env={**SPANISH, "LANG": "es_PE.UTF-8"},
    )
    assert es.returncode == 0, es.stderr
    es_lines = es.stdout.splitlines()
    assert (
        "fecha 9      2011-09-18 15:30 Real Garcilaso v Humberto Luna  (en Garcilaso)"
        in es_lines[1]
    )
    assert es_lines[3] == "Etapa Nacional · Final"
    assert es_lines[5].strip() == "Pacífico v Real Garcilaso  (vuelta)"
    assert es_lines[-1] == "4 partidos; jugados: 0; por jugar: 4"


def test_result_history_revert_round_trip(season: Path) -> None:
    original = season.read_text(encoding="utf-8")
    before = results(season)
    r = copa("result", str(season), "Real Garcilaso 2-0 Humberto Luna", "--by", "ana")
    assert r.returncode == 0, r.stderr
    after_one = season.read_text(encoding="utf-8")
    # exactly the fixture's line changed, and the history was appended
    changed = [
        (a, b)
        for a, b in zip(original.splitlines(), after_one.splitlines(), strict=False)
        if a != b
    ]
    assert len(changed) == 1 and "Real Garcilaso 2-0 Humberto Luna | matchday 9" in changed[0][1]
    assert after_one.splitlines()[-2] == "history:"
    r = copa("result", str(season), "Real Garcilaso 2-1 Humberto Luna", "--reason", "report typo")
    assert r.returncode == 0, r.stderr
    r = copa("revert", str(season), "2", "--reason", "the report was right", "--by", "ben")
    assert r.returncode == 0, r.stderr
    loaded = load(str(season))
    h = loaded.history
    assert [(e.id, e.by, e.old.split(" |")[0], e.new.split(" |")[0], e.reverts) for e in h] == [
        (1, "ana", "scheduled", "2-0", None),
        (2, h[1].by, "2-0", "2-1", None),
        (3, "ben", "2-1", "2-0", 2),
    ]
    assert h[1].reason == "report typo" and h[2].reason == "the report was right"
    listed = copa("history", str(season), "--match", "Humberto Luna v Real Garcilaso")
    assert listed.returncode == 0 and listed.stdout.splitlines()[-1] == "3 changes"
    assert listed.stdout.startswith("#1 ")
    # back to the first result; then undo that too: the file's results are the original's
    assert results(season) == [
        (st, h_, a, Score(2, 0), MatchStatus.PLAYED)
        if (h_, a) == ("Real Garcilaso", "Humberto Luna")
        else (st, h_, a, sc, stt)
        for st, h_, a, sc, stt in before
    ]
    assert copa("revert", str(season), "1", "--reason", "entered too early").returncode == 0
    assert results(season) == before
    assert len(load(str(season)).history) == 4


def test_a_two_legged_tie_takes_its_legs_in_order_and_penalties_only_at_the_end(
    season: Path,
) -> None:
    assert copa("result", str(season), "Real Garcilaso 3-1 Pacífico").returncode == 0
    # aggregate 3-2 to Real Garcilaso but each won a leg: points level, goal difference
    # decides (national rules), so the title is settled without penalties
    r = copa("result", str(season), "Pacífico 1-0 Real Garcilaso")
    assert r.returncode == 0, r.stderr
    legs = [x.match for x in slots(load_season(season)) if x.stage == "National Stage"][-2:]
    assert [(m.home, m.score) for m in legs] == [
        ("Real Garcilaso", Score(3, 1)),
        ("Pacífico", Score(1, 0)),
    ]
    text = season.read_text(encoding="utf-8")
    assert "legs: [3-1, 0-1]}" in text  # the second leg written from the first club's side


@pytest.mark.parametrize(
    ("line", "extra", "needle"),
    [
        ("Real Garcilazo 2-0 Humberto Luna", [], "did you mean Real Garcilaso"),
        ("Real Garcilaso 2-0 Los Tigres", [], "no fixture Real Garcilaso v Los Tigres"),
        ("Humberto Luna 2-0 Real Garcilaso", [], "is already played"),
        ("Real Garcilaso 1-1 (4-3 p) MINSA", [], "no extra time or penalties"),
        ("Real Garcilaso 1-1 (4-3 p) Pacífico", [], "only come after the last leg"),
        (
            "Pacífico 1-0 Real Garcilaso",
            [],
            "the first leg Real Garcilaso v Pacífico is not played",
        ),
        ("Real Garcilaso 2:0 MINSA", [], "is not a result"),
        ("Real Garcilaso -1-0 MINSA", [], "cannot be negative"),
        ("Real Garcilaso 2-0 MINSA | fecha x", [], "unknown fixture detail"),
        ("Real Garcilaso 2-0 MINSA | 2011-02-30", [], "not a date in the calendar"),
        ("Real Garcilaso 2-0 MINSA", ["--stage", "Region I"], "no fixture"),
    ],
)
def test_bad_results_are_one_line_exit_2_and_leave_the_file_as_it_was(
    season: Path, line: str, extra: list[str], needle: str
) -> None:
    before = season.read_bytes()
    r = copa("result", str(season), line, *extra)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr
    assert season.read_bytes() == before


def test_penalties_on_a_tie_the_rules_already_decided_are_refused(season: Path) -> None:
    assert copa("result", str(season), "Real Garcilaso 3-1 Pacífico").returncode == 0
    before = season.read_bytes()
    r = copa("result", str(season), "Pacífico 1-0 (4-3 p) Real Garcilaso")
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "penalties" in r.stderr
    assert season.read_bytes() == before


def test_other_bad_input_is_one_line_and_changes_nothing(season: Path, tmp_path: Path) -> None:
    before = season.read_bytes()
    cases = [
        (["result", "2011", "Real Garcilaso 2-0 MINSA"], "bundled season is read-only"),
        (["revert", str(season), "7", "--reason", "x"], "no change #7"),
        (["history", str(season), "--match", "Real Garcilaso"], "write it as 'Home v Away'"),
    ]
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("local,visitante,goles_local,goles_visitante\nReal Garcilaso,MINSA,x,0\n")
    cases.append((["results", "import", str(season), str(bad_csv)], "bad.csv:2: home_goals"))
    for args, needle in cases:
        r = copa(*args)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert needle in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr
        assert season.read_bytes() == before
    # a revert of a change the match has moved on from is refused
    assert copa("result", str(season), "Real Garcilaso 2-0 MINSA").returncode == 0
    fix = ["result", str(season), "Real Garcilaso 3-0 MINSA", "--reason", "report"]
    assert copa(*fix).returncode == 0
    moved = season.read_bytes()
    r = copa("revert", str(season), "1", "--reason", "x")
    assert r.returncode == 2 and "revert that first" in r.stderr
    assert season.read_bytes() == moved


def test_results_import_takes_spanish_headers_and_applies_all_or_none(
    season: Path, tmp_path: Path
) -> None:
    before = season.read_bytes()
    rows = tmp_path / "fecha9.csv"
    rows.write_text(
        "Fecha,Etapa,Local,Visitante,Goles local,Goles visitante,Estado\n"
        "2011-09-18,Region VIII,Real Garcilaso,Humberto Luna,2,0,jugado\n"
        ",Region VIII,Real Garcilaso,MINSA,4,0,jugado\n"
        ",National Stage,Real Garcilaso,Pacífico,3,1,jugado\n"
        ",National Stage,Pacífico,Real Garcilaso,1,1,jugado\n",
        encoding="utf-8",
    )
    # Pacífico 1-1 would leave the final level on points: fine; but the last row as
    # "Real Garcilaso v Los Tigres" is no fixture: nothing at all is applied
    broken = tmp_path / "broken.csv"
    broken.write_text(
        rows.read_text(encoding="utf-8") + ",,Real Garcilaso,Los Tigres,1,0,jugado\n",
        encoding="utf-8",
    )
    r = copa("results", "import", str(season), str(broken))
    assert r.returncode == 2 and "broken.csv:6: no fixture" in r.stderr
    assert season.read_bytes() == before
    r = copa("results", "import", str(season), str(rows), "--dry-run")
    assert r.returncode == 0 and r.stdout.splitlines()[-1].startswith("4 results would change")
    assert season.read_bytes() == before
    r = copa("results", "import", str(season), str(rows), "--by", "liga")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("4 results changed")
    h = load(str(season)).history
    assert [e.id for e in h] == [1, 2, 3, 4] and {e.by for e in h} == {"liga"}
    assert h[0].source == "results import fecha9.csv"
    # the same file again changes nothing
    again = copa("results", "import", str(season), str(rows))
    assert again.returncode == 0 and again.stdout.splitlines()[-1].startswith("0 results")


def test_an_export_of_the_season_imports_back_as_no_change(season: Path, tmp_path: Path) -> None:
    out = tmp_path / "matches.csv"
    assert (
        copa("export", str(season), "-f", "csv", "--what", "matches", "-o", str(out)).returncode
        == 0
    )
    before = season.read_bytes()
    r = copa("results", "import", str(season), str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1].startswith("0 results changed")
    assert season.read_bytes() == before


def test_two_concurrent_results_on_one_file_both_land(season: Path) -> None:
    cmd = [sys.executable, "-c", "from copa.cli import main; main()", "result", str(season)]
    runs = [
        subprocess.Popen([*cmd, line], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in ("Real Garcilaso 2-0 Humberto Luna", "Real Garcilaso 4-0 MINSA")
    ]
    codes = [p.wait(timeout=300) for p in runs]
    errs = [p.communicate()[1] for p in runs]
    got = {(h, a): sc for _, h, a, sc, _ in results(season)}
    landed = {
        ("Real Garcilaso", "Humberto Luna"): Score(2, 0),
        ("Real Garcilaso", "MINSA"): Score(4, 0),
    }
    for (pair, score), code, err in zip(landed.items(), codes, errs, strict=True):
        if code == 0:
            assert got[pair] == score  # never lost
        else:
            assert code == 2 and len(err.strip().splitlines()) == 1  # or refused, saying so
            assert got[pair] is None
    assert len(load(str(season)).history) == codes.count(0)


def test_a_one_match_tie_is_named_once_in_the_change_line(tmp_path: Path) -> None:
    """A district final is one match, and its tie is named by that pair: the line says
    where the result went and the pair once, then old -> new."""
    import gzip

    old = Path(__file__).parent / "data" / "old" / "new-season-2011.yaml.gz"
    season = tmp_path / "s.yaml"
    season.write_bytes(gzip.decompress(old.read_bytes()))
    r = copa("result", str(season), "Club Huamani 1-1 Mariscal Huamani", "--by", "t")
    assert r.returncode == 0, r.stderr
    line = r.stdout.strip().splitlines()[-1]
    assert line == "District Huamani · Final · Club Huamani v Mariscal Huamani: scheduled -> 1-1"
    h = copa("history", str(season))
    assert h.returncode == 0, h.stderr
    entry = h.stdout.splitlines()[0]
    assert entry.endswith(
        "  t  District Huamani · Final · Club Huamani v Mariscal Huamani: scheduled -> 1-1"
    )


def test_legs_name_the_pair_once_and_a_second_leg_says_who_hosts(season: Path) -> None:
    """The final's tie is named Real Garcilaso v Pacífico, the pair as leg 1 is played:
    leg 1's line names it once; leg 2 is played at Pacífico, so its line adds that pair."""
    r1 = copa("result", str(season), "Real Garcilaso 3-1 Pacífico", "--by", "t")
    assert r1.returncode == 0, r1.stderr
    assert r1.stdout.strip().splitlines()[-1] == (
        "National Stage · Final · Real Garcilaso v Pacífico, leg 1: scheduled -> 3-1"
    )
    r2 = copa("result", str(season), "Pacífico 1-0 Real Garcilaso", "--by", "t")
    assert r2.returncode == 0, r2.stderr
    assert r2.stdout.strip().splitlines()[-1] == (
        "National Stage · Final · Real Garcilaso v Pacífico, leg 2: "
        "Pacífico v Real Garcilaso: scheduled -> 1-0"
    )
    h = copa("history", str(season))
    assert h.returncode == 0, h.stderr
    assert h.stdout.splitlines()[0].endswith("Real Garcilaso v Pacífico, leg 1: scheduled -> 3-1")
