"""``copa advance`` and ``copa check`` on a pyramid in progress, through the real command
(issue 7 §2: "copa advance draws only rounds whose entrants are all decided. For the
others it says, one line each, what they wait for (the fixtures still to play).
copa check lists what is still to play per stage").

A 400-club 2019 pyramid is drawn (``copa new-season``) and its district stages
played (``copa play``); then two districts are put back in progress by hand:
a three-club league keeps only its first matchday (the other five fixtures
scheduled again) and a one-match district final is scheduled again. Every
expected line below is built from those fixtures and from which provinces the
file says the two districts feed (``entrants_from``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from copa.core.stage import Stage
from copa.core.synthetic import synthetic_clubs
from copa.sources.clubs_csv import clubs_csv
from copa.spec.pyramid_file import load_pyramid_season


def copa(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "copa.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
    )


def fed_by(stages: tuple[Stage, ...], district: str) -> list[str]:
    return [s.name for s in stages if any(r.split("/")[0] == district for r in s.entrants_from)]


@pytest.fixture(scope="module")
def in_progress(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Stage, Stage]:
    """The played districts with one league back at matchday 1 and one final to play."""
    d = tmp_path_factory.mktemp("live")
    (d / "clubs.csv").write_text(clubs_csv(synthetic_clubs(400, 3)), encoding="utf-8")
    r = copa("new-season", "2019", "clubs.csv", "-o", "s.yaml", "--seed", "3", cwd=d)
    assert r.returncode == 0, r.stderr
    r = copa("play", "s.yaml", "-o", "p.yaml", "--quiet", cwd=d)
    assert r.returncode == 0, r.stderr
    season = load_pyramid_season(d / "p.yaml").season
    league = next(s for s in season.stages if s.kind == "district" and s.rounds[0].groups)
    final = next(s for s in season.stages if s.kind == "district" and s.rounds[0].ties)
    text = (d / "p.yaml").read_text(encoding="utf-8")
    for m in league.rounds[0].groups[0].matches:
        if m.matchday is not None and m.matchday >= 2:
            pat = rf"{re.escape(m.home)} \d+-\d+ {re.escape(m.away)} \| matchday {m.matchday}"
            pat += r" \| simulated"
            text, n = re.subn(pat, f"{m.home} v {m.away} | matchday {m.matchday}", text)
            assert n == 1
    a, b = final.rounds[0].ties[0].teams
    # the leg's score, quoted or plain (the writer quotes only what YAML needs)
    pat = rf'(\{{teams: \["{re.escape(a)}", "{re.escape(b)}"\], legs: )\[[^\]]*\]'
    text, n = re.subn(pat, r"\1[scheduled]", text)
    assert n == 1
    (d / "q.yaml").write_text(text, encoding="utf-8")
    return d, league, final


def test_advance_draws_no_round_from_an_unfinished_district_and_says_what_each_waits_for(
    in_progress: tuple[Path, Stage, Stage],
) -> None:
    d, league, final = in_progress
    r = copa("advance", "q.yaml", "-o", "a.yaml", "--quiet", "--all", cwd=d)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    waiting = [line for line in lines if line.startswith("waiting: ")]
    # the league: 6 fixtures, the first matchday (one match, three clubs) played
    left = [m for m in league.rounds[0].groups[0].matches if (m.matchday or 0) >= 2]
    assert len(left) == 5
    shown = ", ".join(f"{m.home} v {m.away}" for m in left[:3])
    want_league = (
        f"waiting: {league.name}, {league.rounds[0].name}: waits for 5 fixture(s) still to play "
        f"({shown} and 2 more)"
    )
    a, b = final.rounds[0].ties[0].teams
    want_final = (
        f"waiting: {final.name}, {final.rounds[0].name}: waits for 1 fixture(s) still to play "
        f"({a} v {b})"
    )
    assert want_league in waiting and want_final in waiting
    season = load_pyramid_season(d / "q.yaml").season
    blocked = fed_by(season.stages, league.name) + fed_by(season.stages, final.name)
    assert len(blocked) == 2
    after = {s.name: s for s in load_pyramid_season(d / "a.yaml").season.stages}
    for province in blocked:
        # one line each, naming the district place it waits for; nothing drawn for it
        (line,) = [w for w in waiting if w.startswith(f"waiting: {province}: waits for ")]
        district = league.name if province in fed_by(season.stages, league.name) else final.name
        assert f"winner of {district}, to be decided" in line
        assert after[province].rounds == ()
    # every other province (fed by finished districts only) was drawn, one round each
    provinces = [s for s in season.stages if s.kind == "provincial"]
    drawn = [line for line in lines if line.startswith("drawn: Province ")]
    assert len(drawn) == len(provinces) - 2
    assert all(after[s.name].rounds for s in provinces if s.name not in blocked)
    assert f"{len(drawn)} rounds drawn" in lines[-2] + lines[-1]
    # the undrawn stages come first; without --all ten lines and the count of the rest
    firsts = [
        i for i, w in enumerate(waiting) if any(w.startswith(f"waiting: {p}: ") for p in blocked)
    ]
    assert max(firsts) < waiting.index(want_league) and max(firsts) < waiting.index(want_final)
    short = copa("advance", "q.yaml", "-o", "b.yaml", "--quiet", cwd=d)
    assert short.returncode == 0, short.stderr
    assert sum(line.startswith("waiting: ") for line in short.stdout.splitlines()) == 10
    assert f"... and {len(waiting) - 10} more waiting (--all lists them)" in short.stdout


def test_check_lists_what_is_still_to_play_per_stage(
    in_progress: tuple[Path, Stage, Stage],
) -> None:
    d, league, final = in_progress
    r = copa("check", "q.yaml", cwd=d)
    assert r.returncode == 0, r.stderr  # pending only: nothing wrong
    lines = r.stdout.splitlines()
    left = [m for m in league.rounds[0].groups[0].matches if (m.matchday or 0) >= 2]
    shown = ", ".join(f"{m.home} v {m.away}" for m in left[:3])
    assert f"{league.name}: 5 matches still to play: {shown} and 2 more" in lines
    a, b = final.rounds[0].ties[0].teams
    assert f"{final.name}: 1 match still to play: {a} v {b}" in lines
    # no district that is finished is listed as having matches to play
    season = load_pyramid_season(d / "q.yaml").season
    listed = {line.split(":")[0] for line in lines if " still to play: " in line}
    districts = {s.name for s in season.stages if s.kind == "district"}
    assert listed & districts == {league.name, final.name}
    # and it asks for no deciding match or lots from the provisional league table
    assert not any(league.name in line and ("deciding" in line or "lots" in line) for line in lines)


def test_advance_draws_nothing_from_one_matchday_tables(tmp_path: Path) -> None:
    """The issue's case: one matchday of every district league played (and every one-match
    district final): no province fed by a league is drawn from those provisional tables."""
    (tmp_path / "clubs.csv").write_text(clubs_csv(synthetic_clubs(400, 3)), encoding="utf-8")
    r = copa("new-season", "2019", "clubs.csv", "-o", "s.yaml", "--seed", "3", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    text, day1 = re.subn(
        r"(?m)^(\s+)(.+?) v (.+?) \| matchday 1$", r"\1\2 1-0 \3 | matchday 1", text
    )
    text, finals = re.subn(
        r"legs: \[scheduled\], neutral: true", 'legs: ["1-0"], neutral: true', text
    )
    assert day1 > 0 and finals > 0
    (tmp_path / "one.yaml").write_text(text, encoding="utf-8")
    season = load_pyramid_season(tmp_path / "one.yaml").season
    leagues = {s.name for s in season.stages if s.kind == "district" and s.rounds[0].groups}
    ties = {s.name for s in season.stages if s.kind == "district" and s.rounds[0].ties}
    provinces = [s for s in season.stages if s.kind == "provincial"]
    fed = {s.name: {ref.split("/")[0] for ref in s.entrants_from} for s in provinces}
    drawable = {p for p, ds in fed.items() if ds <= ties}
    blocked = {p for p, ds in fed.items() if ds & leagues}
    assert blocked and drawable and not blocked & drawable
    r = copa("advance", "one.yaml", "-o", "a.yaml", "--quiet", "--all", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    drawn = {line.split(": ")[1] for line in r.stdout.splitlines() if line.startswith("drawn: ")}
    assert drawn == drawable
    after = {s.name: s for s in load_pyramid_season(tmp_path / "a.yaml").season.stages}
    assert all(after[p].rounds == () for p in blocked)
    waiting = [line for line in r.stdout.splitlines() if line.startswith("waiting: ")]
    for name in leagues:  # each league, one line, with the fixtures it still has to play
        (line,) = [w for w in waiting if w.startswith(f"waiting: {name}, ")]
        assert "fixture(s) still to play" in line
    for p in blocked:
        (line,) = [w for w in waiting if w.startswith(f"waiting: {p}: waits for ")]
        assert "to be decided" in line
    check = copa("check", "one.yaml", cwd=tmp_path)
    lines = check.stdout.splitlines()
    known = {line.split(":")[0] for line in lines if "pending: entrants known" in line}
    assert known == drawable  # only provinces whose districts are all decided can be drawn
    assert not any(
        n in line and "lots" in line for n in leagues for line in check.stdout.splitlines()
    )
