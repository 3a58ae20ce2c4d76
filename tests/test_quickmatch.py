"""The plain match line's fast path (copa.spec.quickmatch) against the full path.

The oracle is the season reader's own full path (``build_match`` with the fast
path switched off): for every line, the fast path gives the same match, or
None (then the full path reads the line, and words its error).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import copa.spec.season_file as sf
from copa.spec import quickmatch
from copa.spec.errors import SeasonFileError
from copa.spec.quickmatch import plain_match
from copa.spec.season_file import ErrorLocator

ERR = ErrorLocator("t.yaml", "a: 1\n")


def club(name: str, path: object) -> str:
    if name.startswith("zz"):
        raise SeasonFileError("t.yaml", 1, "m", f"unknown club {name!r}")
    return {"Grau": "Atlético Grau"}.get(name, name)


def full(line: str) -> object:
    saved = sf.plain_match
    sf.plain_match = lambda *a: None  # type: ignore[assignment]
    try:
        return sf.build_match(line, ("m", 0), club, ERR)
    except SeasonFileError as e:
        return str(e)
    finally:
        sf.plain_match = saved


def fast(line: str) -> object:
    try:
        return plain_match(line, ("m", 0), club)
    except SeasonFileError as e:
        return str(e)


def block(line: str) -> object:
    try:
        got = quickmatch.plain_block(line + "\n", club, {"A", "B", "Atlético Grau"}, 2)
    except SeasonFileError as e:
        return str(e)
    return got[0] if got else None


def same(got: object, want: object) -> None:
    assert got == want
    if not isinstance(got, str):
        assert dataclasses.astuple(got) == dataclasses.astuple(want)  # type: ignore[call-overload]


def check(line: str) -> object:
    """The line path's and the block path's readings, each the full path's or None."""
    got, want = fast(line), full(line)
    if got is not None:
        same(got, want)
    in_block = block(line)
    if in_block is not None:
        same(in_block, want)
    return got


def test_the_fast_path_is_on_for_the_match_shape_of_today() -> None:
    assert quickmatch._MAKE is not None
    assert quickmatch._MAKE.__name__ == "make"  # the twin's stores, not the slot setters


def test_a_match_made_by_the_twin_is_a_match_like_any_other() -> None:
    import pickle

    from copa.core.match import Match, MatchStatus, Score
    from copa.spec.fixture_notation import Details

    d = Details(4, None, None, "Estadio Grau", False)
    made = quickmatch._MAKE("A", "B", None, MatchStatus.SCHEDULED, d)
    want = Match("A", "B", status=MatchStatus.SCHEDULED, matchday=4, venue="Estadio Grau")
    assert type(made) is Match and made == want and hash(made) == hash(want)
    assert repr(made) == repr(want) and pickle.loads(pickle.dumps(made)) == want
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.home = "C"  # type: ignore[misc]
    played = quickmatch._MAKE("A", "B", Score(2, 0), MatchStatus.PLAYED, d)
    assert dataclasses.replace(played, score=None, status=MatchStatus.SCHEDULED) == want


@pytest.mark.parametrize(
    ("line", "taken"),
    [
        ("Los Caimanes 2-1 Atlético Grau", True),
        ("9 de Octubre 0-5 Defensor San José", True),
        ("A 2-1 B | matchday 3 | simulated", True),
        ("A 2-1 B | fecha 3 | 2026-03-14 15:30 | at Estadio X", True),
        ("A 2-1 Grau", True),
        ("A 12-0 B", True),
        ("A 1-1 aet 2-1 B", False),
        ("A 0-0 (4-3 p) B", False),
        ("A w/o 3-0 B", False),
        ("A awarded 3-0 (was 1-2) B", False),
        ("A-B 1-0 C", False),
        ("A 1 - 0 B", False),
        ("A 1–0 B", False),
        ("A  1-0 B", False),
        ("A 1-0 B ", False),
        ("A 1-0 B|matchday 2", False),
        ("A 1-0 B | matchday 0", False),
        ("A 1-0 B | bogus", False),
        ("A 1-0 A", False),
        ("A 1000-0 B", False),
        ("A v B", False),  # the line path: played lines only (the block path: below)
        ("A 1-0 zzB", True),
    ],
)
def test_lines(line: str, taken: bool) -> None:
    assert (check(line) is not None) == taken


WORD = st.sampled_from(
    ["A", "B", "Grau", "9", "1-0", "w/o", "awarded", "aet", "(4-3", "p)", "de", "zzX", "x|y",
     "2–1", "Sport", "-", "3-", "(was", "1-2)", "first", "v", "x:", ":"]
)  # fmt: skip
SEP = st.sampled_from([" ", " ", " ", "  ", "\t", "\xa0", ""])
DETAIL = st.sampled_from(
    ["", " | matchday 3", " | simulated", " | matchday 2 | simulated", " | md 1000", "|x",
     " | 2026-02-30", " | at Estadio", " | simulated | simulated"]
)  # fmt: skip


@st.composite
def lines(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.tuples(WORD, SEP), min_size=1, max_size=6))
    head = "".join(w + s for w, s in words)
    score = draw(
        st.sampled_from(["v", "v", "v:"])
        | st.builds("{}-{}".format, st.integers(0, 1200), st.integers(0, 20))
    )
    tail = draw(st.lists(st.tuples(WORD, SEP), min_size=1, max_size=4))
    return f"{head} {score} " + "".join(w + s for w, s in tail).rstrip() + draw(DETAIL)


@settings(max_examples=800, deadline=None)
@given(lines())
def test_the_fast_path_reads_every_line_as_the_full_path_does(line: str) -> None:
    check(line)


SEASON = """copa: 1
competition: Cup
season: 2020
clubs:
  - {name: Los Caimanes, aliases: [Caimanes]}
  - {name: Atlético Grau}
  - {name: UTC}
  - {name: Outsider}
stages:
  - name: S
    kind: national
    rounds:
      - name: League
        legs: LEGS
        groups:
          - name: A
            clubs: [Los Caimanes, Atlético Grau, UTC]
            matches: |
"""
NAMES = st.sampled_from(["Los Caimanes", "Caimanes", "Atlético Grau", "UTC", "Outsider", "Nobody"])
RESULT = st.sampled_from(["2-1", "0-0", "1-1 aet 2-1", "v", "3-0 | matchday 2", "1-0 | simulated"])


def _read_season(text: str) -> object:
    try:
        return sf.parse_season(text, "g.yaml")
    except SeasonFileError as e:
        return str(e)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(NAMES, RESULT, NAMES), min_size=0, max_size=8),
    st.sampled_from([1, 2]),
)
def test_a_group_block_reads_as_line_by_line(lines: list[tuple[str, str, str]], legs: int) -> None:
    """The block fast path (or its refusal) gives the same season or the same error."""
    body = "".join(f"              {h} {r} {a}\n" for h, r, a in lines) or "              \n"
    text = SEASON.replace("LEGS", str(legs)) + body
    got = _read_season(text)
    saved = sf.plain_block, sf.plain_match
    sf.plain_block = lambda *a: None  # type: ignore[assignment]
    sf.plain_match = lambda *a: None  # type: ignore[assignment]
    try:
        want = _read_season(text)
    finally:
        sf.plain_block, sf.plain_match = saved
    assert got == want


def test_the_block_fast_path_takes_a_plain_block_and_refuses_a_bad_one() -> None:
    members = {"Los Caimanes", "Atlético Grau", "UTC"}
    block = "Los Caimanes 2-1 UTC | matchday 1\nUTC 0-0 Atlético Grau | simulated\n"
    got = quickmatch.plain_block(block, club, members, 2)
    assert got is not None
    assert [(m.home, m.away, m.score.home, m.matchday, m.simulated) for m in got] == [  # type: ignore[union-attr]
        ("Los Caimanes", "UTC", 2, 1, False),
        ("UTC", "Atlético Grau", 0, None, True),
    ]
    assert quickmatch.plain_block(block + "UTC 1-0 Los Caimanes\n", club, members, 1) is None
    assert quickmatch.plain_block(block + "zzX 1-0 UTC\n", club, members, 2) is None
    assert quickmatch.plain_block(block + "UTC 1-0 Outsider\n", club, members, 2) is None
    assert quickmatch.plain_block(block + "UTC v Outsider\n", club, members, 2) is None
    fixture = quickmatch.plain_block(block + "UTC v Los Caimanes | matchday 3\n", club, members, 2)
    assert fixture is not None
    assert (fixture[2].score, fixture[2].status, fixture[2].matchday) == (None, "scheduled", 3)
    for odd in ("UTC v Los-Caimanes", "UTC v Los Caimanes: not played", "UTC v Los Caimanes "):
        assert quickmatch.plain_block(block + odd + "\n", club, members, 2) is None
