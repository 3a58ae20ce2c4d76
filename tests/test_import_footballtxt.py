"""Football.TXT in (issue 9 §5): hand-written files after openfootball's spec and samples.

Expected values are worked out by hand from the rules the format files give.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from copa.core.match import MatchStatus, Score
from copa.core.resolve import resolve
from copa.sources.import_footballtxt import import_footballtxt, read_match
from copa.spec.formats import load_format
from copa.spec.season_file import SeasonFileError

DATA = Path(__file__).parent / "data"
CUP = DATA / "footballtxt-cup.txt"
LEAGUE = DATA / "footballtxt-league.txt"
CUP_FORMAT = load_format(str(DATA / "footballtxt-cup.format.yaml"))
LEAGUE_FORMAT = load_format(str(DATA / "footballtxt-league.format.yaml"))


def test_a_cup_with_two_legs_extra_time_and_penalties() -> None:
    imp = import_footballtxt(CUP.read_bytes(), "cup.txt", CUP_FORMAT)
    result = resolve(imp.season)
    semis = {t.tie.teams: t for t in result.stage("Cup").rounds[0].ties}
    # Alpha v Beta: 1-1 at Alpha; at Beta 1-1 after 90', Beta 3-2 after extra time.
    # Aggregate 2-2 and one away goal each at 90'; after extra time Alpha 3, Beta 4.
    ab = semis[("Alpha", "Beta")]
    assert (ab.winner, ab.decided_by, ab.aggregate) == ("Beta", "extra_time", (3, 4))
    assert ab.tie.legs[1].score == Score(1, 1) and ab.tie.legs[1].extra_time == Score(3, 2)
    # Gamma v Delta: Gamma 2-0 at home; at Delta "2-0 [aet, 3-4 pen]": known only after
    # extra time (Delta 2-0), 2-2 on aggregate after extra time; Gamma won the shoot-out 4-3
    gd = semis[("Gamma", "Delta")]
    assert gd.tie.legs[1].score is None and gd.tie.legs[1].extra_time == Score(2, 0)
    assert (gd.winner, gd.decided_by) == ("Gamma", "penalties")
    final = result.stage("Cup").rounds[1].ties[0]
    # Beta 2-3 Gamma [aet], one match: level at 90' (extra time was played), Gamma 3-2 after
    assert (final.winner, final.decided_by) == ("Gamma", "extra_time")
    assert result.stage("Cup").places == ("Gamma", "Beta")
    # what copa cannot hold is listed with its line, never dropped silently
    notes = {n.line: n.message for n in imp.notes}
    assert all(n.kind == "not mapped" for n in imp.notes)
    assert "title 'Test Cup 2024'" in notes[1]
    assert "Ruiz 12" in notes[6]
    assert "venue 'Estadio Nacional, Lima'" in notes[13]
    assert "Referee" in notes[14]
    assert len(imp.notes) == 4


def test_a_league_with_matchdays_and_a_walkover() -> None:
    imp = import_footballtxt(LEAGUE.read_bytes(), "league.txt", LEAGUE_FORMAT)
    group = resolve(imp.season).stage("District").rounds[0].groups[0]
    # Alpha: W 2-0 Beta, D 0-0 Delta, L 1-2 Gamma -> 4 pts, 3-2
    # Gamma: D 1-1 Delta, W 3-1 Beta, W 2-1 Alpha -> 7 pts, 6-3
    # Delta: D 1-1, D 0-0, W 3-0 awarded (walkover) -> 5 pts, 4-1
    # Beta: L, L, L -> 0 pts, 1-8
    rows = [(s.club, s.points, s.goals_for, s.goals_against) for s in group.table.standings]
    assert rows == [("Gamma", 7, 6, 3), ("Delta", 5, 4, 1), ("Alpha", 4, 3, 2), ("Beta", 0, 1, 8)]
    (awd,) = [m for m in group.group.matches if m.status is MatchStatus.WALKOVER]
    assert (awd.home, awd.away, awd.score) == ("Delta", "Beta", Score(3, 0))
    assert group.qualified == ("Gamma", "Delta")
    assert [n.line for n in imp.notes] == [1]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Jun 2     Deportivo Cali - Palmeiras    1-0    @ Cali",
            ("Deportivo Cali", "Palmeiras", "1-0"),
        ),
        ("(1) Thu Jun 12 17:00   Brazil - Croatia  3-1  @ São Paulo", ("Brazil", "Croatia", "3-1")),
        (
            "30-6-24 @ Gelsenkirchen  England   2–1 Slovakia   [aet]",
            ("England", "Slovakia", "aet 2-1"),
        ),
        ("  A  4-3 pen. 2-2 a.e.t. (1-1, 0-0)  B", ("A", "B", "1-1 aet 2-2 (4-3 p)")),
        ("A  2-2 a.e.t., 4-3 pen.  B", ("A", "B", "aet 2-2 (4-3 p)")),
        (
            "20:00  1860 München  2-1 (1-0)  Real Garcilaso",
            ("1860 München", "Real Garcilaso", "2-1"),
        ),
        ("(5) Sat Jun 14 21:00  Spain - Chile", ("Spain", "Chile", "scheduled")),
    ],
)
def test_match_lines_as_the_spec_writes_them(line: str, expected: tuple[str, str, str]) -> None:
    from copa.spec.scores import format_result

    r = read_match(line)
    assert r is not None
    assert (r.home, r.away, format_result(r.result)) == expected


REPLAY_FORMAT = """\
competition: Test Cup
season: 2024
rules:
  replay: {tie: [score, deciding_match]}
stages:
  - name: Cup
    kind: national
    rounds:
      - {name: Final, rules: replay, legs: 1, advance: {winners: true}}
"""


def test_replays_are_deciding_matches() -> None:
    from copa.spec.formats import parse_format

    text = "» Final\nAlpha  1-1  Beta\n\n» Final - Replay\nBeta  0-2  Alpha   @ Cusco\n"
    imp = import_footballtxt(text.encode(), "replay.txt", parse_format(REPLAY_FORMAT, "f.yaml"))
    (tie,) = resolve(imp.season).stage("Cup").rounds[0].ties
    # 1-1, then the replay (at Beta's ground) won 2-0 by Alpha
    assert tie.tie.decider is not None
    assert (tie.winner, tie.decided_by) == ("Alpha", "deciding_match")


def test_errors_name_the_file_and_line() -> None:
    with pytest.raises(
        SeasonFileError, match="^x.txt: a Football.TXT file gives results only.*--preset"
    ):
        import_footballtxt(b"A 1-0 B\n", "x.txt", None)
    with pytest.raises(SeasonFileError, match="nothing to import"):
        import_footballtxt(b"= Title\n# nothing\n", "x.txt", CUP_FORMAT)
    with pytest.raises(SeasonFileError, match=r"^x.txt:2: Alpha cannot play itself"):
        import_footballtxt(b"Final\nAlpha 1-0 Alpha\n", "x.txt", CUP_FORMAT)


def test_copa_import_from_footballtxt(tmp_path: Path) -> None:
    out = tmp_path / "cup.yaml"
    r = subprocess.run(
        [sys.executable, "-m", "copa.cli", "import", str(CUP), "--from", "footballtxt",
         "--preset", str(DATA / "footballtxt-cup.format.yaml"), "-o", str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert "not mapped" in r.stderr and "aet 0-2 (4-3 p)" in out.read_text(encoding="utf-8")
