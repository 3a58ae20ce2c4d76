"""Fixture generation: full round robins (Berger tables) and the partial "POT" system."""

from __future__ import annotations

import random
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copa.core.fixtures import (
    byes,
    fixture_pairs,
    geographic_rivals,
    haversine_km,
    only_between,
    partial_round_robin,
    round_robin,
)
from copa.core.match import Match, MatchStatus

Rounds = tuple[tuple[Match, ...], ...]


def clubs_of(n: int) -> list[str]:
    return [f"Club {i:02d}" for i in range(n)]


def venues(rounds: Rounds, club: str) -> list[str]:
    """H, A or - (bye) for each round."""
    out = []
    for rnd in rounds:
        side = "-"
        for m in rnd:
            if m.home == club:
                side = "H"
            elif m.away == club:
                side = "A"
        out.append(side)
    return out


def breaks(sides: list[str]) -> int:
    return sum(1 for x, y in zip(sides, sides[1:], strict=False) if x == y and x != "-")


def longest_run(sides: list[str]) -> int:
    best = run = 0
    prev = "-"
    for s in sides:
        run = run + 1 if s == prev and s != "-" else (1 if s != "-" else 0)
        prev = s
        best = max(best, run)
    return best


def assert_rounds_valid(rounds: Rounds) -> None:
    for rnd in rounds:
        playing = [c for m in rnd for c in (m.home, m.away)]
        assert len(playing) == len(set(playing)), "a club plays twice in one round"
        for m in rnd:
            assert m.status is MatchStatus.SCHEDULED and m.score is None


# ------------------------------------------------------------------ round robin


@settings(max_examples=80, deadline=None)
@given(n=st.integers(2, 24), legs=st.integers(1, 4))
def test_round_robin_properties(n: int, legs: int) -> None:
    clubs = clubs_of(n)
    rounds = round_robin(clubs, legs)
    per_leg = n - 1 if n % 2 == 0 else n
    assert len(rounds) == legs * per_leg
    assert_rounds_valid(rounds)
    assert all(len(rnd) == n // 2 for rnd in rounds)

    leg_rounds = [rounds[i * per_leg : (i + 1) * per_leg] for i in range(legs)]
    for leg in leg_rounds:
        # every pair meets exactly once per leg
        met = Counter(frozenset((m.home, m.away)) for rnd in leg for m in rnd)
        assert set(met) == {frozenset(p) for p in combinations(clubs, 2)}
        assert set(met.values()) == {1}
        # byes are fair: one per club per leg when n is odd, none otherwise
        rested = Counter(c for b in byes(leg, clubs) for c in b)
        if n % 2:
            assert rested == Counter(clubs)
        else:
            assert not rested
        # home/away within one match per club per leg (equal when n is odd)
        for club in clubs:
            sides = venues(leg, club)
            diff = abs(sides.count("H") - sides.count("A"))
            assert diff == (1 if n % 2 == 0 else 0)

    # the second leg mirrors the first; the third repeats it
    if legs >= 2:
        for r1, r2 in zip(leg_rounds[0], leg_rounds[1], strict=True):
            assert [(m.away, m.home) for m in r1] == [(m.home, m.away) for m in r2]
    if legs >= 3:
        pairs = [[[(m.home, m.away) for m in rnd] for rnd in leg] for leg in leg_rounds]
        assert pairs[2] == pairs[0]
    # every match carries its matchday: its round's number over the whole schedule
    assert [{m.matchday for m in rnd} for rnd in rounds] == [
        {i + 1} if rnd else set() for i, rnd in enumerate(rounds)
    ]
    if legs % 2 == 0:
        for club in clubs:
            sides = venues(rounds, club)
            assert sides.count("H") == sides.count("A")


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 30))
def test_breaks_are_minimal(n: int) -> None:
    clubs = clubs_of(n)
    single = round_robin(clubs)
    double = round_robin(clubs, 2)
    per_club = [breaks(venues(single, c)) for c in clubs]
    if n % 2 == 0:
        assert sum(per_club) == n - 2  # the minimum for a single round robin
        assert max(per_club) <= 1
        assert sum(breaks(venues(double, c)) for c in clubs) == 3 * n - 6
    else:
        # each club alternates home and away; a bye interrupts nothing
        for club in clubs:
            played = [s for s in venues(single, club) if s != "-"]
            assert all(x != y for x, y in zip(played, played[1:], strict=False))
    if n != 4:
        for club in clubs:
            assert longest_run(venues(round_robin(clubs, 4), club)) <= 2


def test_four_clubs_single_round_robin() -> None:
    rounds = round_robin(["A", "B", "C", "D"])
    assert len(rounds) == 3
    assert [len(r) for r in rounds] == [2, 2, 2]
    assert byes(rounds, ["A", "B", "C", "D"]) == ((), (), ())


def test_three_clubs_double_round_robin_has_one_bye_per_round() -> None:
    clubs = ["Ayacucho", "Cusco", "Puno"]
    rounds = round_robin(clubs, legs=2)
    assert len(rounds) == 6
    assert all(len(b) == 1 for b in byes(rounds, clubs))


def test_small_and_invalid_inputs() -> None:
    assert round_robin([]) == ()
    assert round_robin(["Lone Club"]) == ()
    assert len(round_robin(["A", "B"], legs=3)) == 3
    with pytest.raises(ValueError, match="listed twice"):
        round_robin(["A", "B", "A"])
    with pytest.raises(ValueError, match="legs"):
        round_robin(["A", "B"], legs=0)


def test_round_robin_is_deterministic_and_follows_club_order() -> None:
    clubs = clubs_of(9)
    assert round_robin(clubs, 2) == round_robin(list(clubs), 2)
    renamed = [c.upper() for c in clubs]
    pairs = [[(m.home.upper(), m.away.upper()) for m in r] for r in round_robin(clubs)]
    assert pairs == [[(m.home, m.away) for m in r] for r in round_robin(renamed)]
    indices = [[(clubs.index(m.home), clubs.index(m.away)) for m in r] for r in round_robin(clubs)]
    assert indices == [list(r) for r in fixture_pairs(9)]


# ---------------------------------------------------------- partial round robin


@st.composite
def rival_graphs(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]]]:
    n = draw(st.integers(2, 16))
    clubs = clubs_of(n)
    all_pairs = list(combinations(clubs, 2))
    chosen = draw(st.lists(st.sampled_from(all_pairs), unique=True, max_size=40))
    rivals: dict[str, list[str]] = {}
    for a, b in chosen:
        rivals.setdefault(a, []).append(b)
        rivals.setdefault(b, []).append(a)
    return clubs, rivals


def check_partial(clubs: list[str], rivals: dict[str, list[str]], rounds: Rounds) -> int:
    """Check the partial round robin; return the rounds in its first half."""
    assert_rounds_valid(rounds)
    assert len(rounds) % 2 == 0
    half = len(rounds) // 2
    first, second = rounds[:half], rounds[half:]
    for r1, r2 in zip(first, second, strict=True):
        assert [(m.away, m.home) for m in r1] == [(m.home, m.away) for m in r2]
    met = Counter((m.home, m.away) for rnd in rounds for m in rnd)
    expected = {(a, b) for a, theirs in rivals.items() for b in theirs}
    assert set(met) == expected  # each rival once at home and once away
    assert set(met.values()) <= {1}
    for club in clubs:
        sides = venues(first, club)
        assert abs(sides.count("H") - sides.count("A")) <= 1
    return half


@settings(max_examples=80, deadline=None)
@given(rival_graphs())
def test_partial_round_robin_properties(graph: tuple[list[str], dict[str, list[str]]]) -> None:
    clubs, rivals = graph
    rounds = partial_round_robin(clubs, rivals)
    half = check_partial(clubs, rivals, rounds)
    delta = max((len(v) for v in rivals.values()), default=0)
    assert delta <= half <= max(2 * delta - 1, 0)
    # the order within rival lists does not matter
    shuffled = {c: list(reversed(v)) for c, v in reversed(list(rivals.items()))}
    assert partial_round_robin(clubs, shuffled) == rounds


@settings(max_examples=60, deadline=None)
@given(
    left=st.integers(1, 10),
    right=st.integers(1, 10),
    data=st.data(),
)
def test_bipartite_rivals_fit_in_max_degree_rounds(
    left: int, right: int, data: st.DataObject
) -> None:
    champions = [f"Champion {i}" for i in range(left)]
    runners_up = [f"Runner-up {i}" for i in range(right)]
    pairs = [(a, b) for a in champions for b in runners_up]
    chosen = data.draw(st.lists(st.sampled_from(pairs), unique=True, min_size=1))
    rivals: dict[str, list[str]] = {}
    for a, b in chosen:
        rivals.setdefault(a, []).append(b)
        rivals.setdefault(b, []).append(a)
    clubs = champions + runners_up
    rounds = partial_round_robin(clubs, rivals)
    half = check_partial(clubs, rivals, rounds)
    assert half == max(len(v) for v in rivals.values())


def test_partial_round_robin_validation() -> None:
    with pytest.raises(ValueError, match="mutual") as excinfo:
        partial_round_robin(["A", "B", "C"], {"A": ["B"], "B": ["C"], "C": ["B"]})
    assert "\n" not in str(excinfo.value)
    with pytest.raises(ValueError, match="not one of the clubs"):
        partial_round_robin(["A", "B"], {"A": ["Z"]})
    with pytest.raises(ValueError, match="its own rival"):
        partial_round_robin(["A", "B"], {"A": ["A"]})
    with pytest.raises(ValueError, match="twice"):
        partial_round_robin(["A", "B"], {"A": ["B", "B"], "B": ["A"]})
    assert partial_round_robin(["A", "B"], {}) == ()


def test_odd_cycle_of_rivals_needs_three_rounds_a_leg() -> None:
    rivals = {"A": ["B", "C"], "B": ["A", "C"], "C": ["A", "B"]}
    rounds = partial_round_robin(["A", "B", "C"], rivals)
    assert check_partial(["A", "B", "C"], rivals, rounds) == 3


# ----------------------------------------------------------------- choosing rivals


def random_map(n: int, seed: int) -> dict[str, tuple[float, float]]:
    rng = random.Random(seed)
    return {c: (rng.uniform(-18.0, 0.0), rng.uniform(-81.0, -69.0)) for c in clubs_of(n)}


@settings(max_examples=30, deadline=None)
@given(half=st.integers(2, 26), k=st.integers(1, 4), seed=st.integers(0, 10_000))
def test_geographic_rivals_champions_meet_runners_up(half: int, k: int, seed: int) -> None:
    coords = random_map(2 * half, seed)
    clubs = list(coords)
    place = {c: 1 + i % 2 for i, c in enumerate(clubs)}
    k = min(k, half)
    rivals = geographic_rivals(clubs, coords.__getitem__, k, constraint=only_between(place))
    assert list(rivals) == clubs
    for club, theirs in rivals.items():
        assert len(theirs) == k == len(set(theirs))
        for rival in theirs:
            assert club in rivals[rival]
            assert place[club] != place[rival]
    assert rivals == geographic_rivals(clubs, coords.__getitem__, k, constraint=only_between(place))
    rounds = partial_round_robin(clubs, rivals)
    assert check_partial(clubs, {c: list(v) for c, v in rivals.items()}, rounds) == k


def test_geographic_rivals_are_the_nearest_when_unconstrained() -> None:
    # four clubs on a line far from two others
    coords = {
        "W1": (0.0, 0.0),
        "W2": (0.0, 0.1),
        "W3": (0.0, 0.2),
        "W4": (0.0, 0.3),
        "E1": (0.0, 10.0),
        "E2": (0.0, 10.1),
    }
    rivals = geographic_rivals(list(coords), coords.__getitem__, k=1)
    assert rivals["E1"] == ("E2",)
    assert rivals["W1"] == ("W2",) and rivals["W3"] == ("W4",)


def test_geographic_rivals_by_group() -> None:
    zone = {f"N{i}": "north" for i in range(6)} | {f"S{i}": "south" for i in range(4)}
    rivals = geographic_rivals(list(zone), zone, k=3)
    for club, theirs in rivals.items():
        assert len(theirs) == 3
        assert all(zone[r] == zone[club] for r in theirs)


def test_geographic_rivals_impossible() -> None:
    coords = random_map(5, 1)
    with pytest.raises(ValueError, match="odd"):
        geographic_rivals(list(coords), coords.__getitem__, k=3)
    with pytest.raises(ValueError, match="only 4 others"):
        geographic_rivals(list(coords), coords.__getitem__, k=5)
    # three champions, one runner-up: the champions cannot all get two rivals
    place = {"C1": 1, "C2": 1, "C3": 1, "R1": 2}
    where = {"C1": (0.0, 0.0), "C2": (0.0, 1.0), "C3": (0.0, 2.0), "R1": (0.0, 3.0)}
    with pytest.raises(ValueError, match="short"):
        geographic_rivals(list(place), where.__getitem__, 2, constraint=only_between(place))
    loose = geographic_rivals(
        list(place), where.__getitem__, 2, constraint=only_between(place), exact=False
    )
    assert loose["R1"] == ("C3", "C2") and loose["C1"] == ()


def test_haversine() -> None:
    assert haversine_km((0.0, 0.0), (0.0, 0.0)) == 0.0
    assert haversine_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.195, abs=0.01)
