"""Knockout pairings: slot maps, seeded ladders and reproducible random draws."""

from __future__ import annotations

import json
import random
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copa.core.draw import (
    DrawError,
    DrawRecord,
    crossover_slots,
    draw_pairs,
    keep_apart_by,
    seed_positions,
    seeded_pairs,
    slot_pairs,
    standings_places,
)

REGIONS = ["Region I", "Region II", "Region III", "Region IV"] + [
    "Region V",
    "Region VI",
    "Region VII",
    "Region VIII",
]


def clubs_of(n: int) -> list[str]:
    return [f"Club {i:02d}" for i in range(n)]


def tie_of(record: DrawRecord, club: str) -> int:
    return next(i for i, pair in enumerate(record.pairs) if club in pair)


def has_valid_pairing(clubs: list[str], apart: set[frozenset[str]], seeded: set[str]) -> bool:
    """Brute force: can the clubs be paired avoiding keep-apart and seed-v-seed ties?"""

    def ok(a: str, b: str) -> bool:
        return frozenset((a, b)) not in apart and not (a in seeded and b in seeded)

    def pair_up(rest: list[str]) -> bool:
        if not rest:
            return True
        first = rest[0]
        return any(
            ok(first, other) and pair_up(rest[1:i] + rest[i + 1 :])
            for i, other in enumerate(rest[1:], 1)
        )

    return pair_up(clubs)


# ---------------------------------------------------------------- fixed pairings


def test_2011_national_round_of_16_slot_map() -> None:
    standings = {region: [f"Champion {region}", f"Runner-up {region}"] for region in REGIONS}
    standings["Region I"][0] = "Los Caimanes"
    standings["Region II"][1] = "Universitario de Trujillo"
    record = slot_pairs(crossover_slots(REGIONS), standings_places(standings))
    assert len(record.pairs) == 8
    assert record.pairs[0] == ("Los Caimanes", "Universitario de Trujillo")
    assert record.pairs[1] == ("Runner-up Region I", "Champion Region II")
    assert record.pairs[2] == ("Champion Region III", "Runner-up Region IV")
    assert record.pairs[7] == ("Runner-up Region VII", "Champion Region VIII")
    assert sorted(record.order) == sorted(c for clubs in standings.values() for c in clubs)
    assert record.method == "slots" and record.seed is None
    assert "Region I #1 v Region II #2" in record.constraints
    assert DrawRecord.from_dict(record.to_dict()).replay() == record


def test_slot_pairs_errors() -> None:
    places = standings_places({"Region I": ["A", "B"], "Region II": ["C"]})
    with pytest.raises(DrawError, match="Region II #2"):
        slot_pairs(crossover_slots(["Region I", "Region II"]), places)
    with pytest.raises(DrawError, match="listed twice"):
        slot_pairs(
            [(("Region I", 1), ("Region II", 1)), (("Region I", 1), ("Region I", 2))], places
        )
    with pytest.raises(DrawError, match="even number of units"):
        crossover_slots(["Region I"])


def test_seeded_pairs_2019_style() -> None:
    ranked = [f"Seed {i}" for i in range(1, 33)]
    record = seeded_pairs(ranked)
    assert len(record.pairs) == 16
    assert record.pairs[0] == ("Seed 1", "Seed 32")
    assert record.pairs[1] == ("Seed 2", "Seed 31")
    assert record.pairs[-1] == ("Seed 16", "Seed 17")
    with pytest.raises(DrawError, match="even number"):
        seeded_pairs(ranked[:3])


# ------------------------------------------------------------------ random draws


@st.composite
def draws(draw: st.DrawFn, max_clubs: int = 64) -> tuple[list[str], dict[str, int], list[str]]:
    n = 2 * draw(st.integers(1, max_clubs // 2))
    clubs = clubs_of(n)
    departments = draw(st.integers(1, n))
    dept = {c: draw(st.integers(0, departments - 1)) for c in clubs}
    seeded = draw(st.lists(st.sampled_from(clubs), unique=True, max_size=n // 2))
    return clubs, dept, seeded


@settings(max_examples=120, deadline=None)
@given(draws(), st.integers(0, 2**32))
def test_draw_meets_constraints_or_says_why(
    case: tuple[list[str], dict[str, int], list[str]], seed: int
) -> None:
    clubs, dept, seeded = case
    apart = keep_apart_by(dept)
    try:
        record = draw_pairs(clubs, seed, keep_apart=apart, seeded=seeded)
    except DrawError as err:
        assert "\n" not in str(err)
        if not seeded:  # with groups alone: impossible exactly when one group is a majority
            biggest = max(list(dept.values()).count(d) for d in set(dept.values()))
            assert biggest > len(clubs) // 2
        return
    assert sorted(record.order) == sorted(clubs)
    assert len(record.pairs) == len(clubs) // 2
    for a, b in record.pairs:
        assert not apart(a, b), "keep-apart clubs were paired"
        assert not (a in seeded and b in seeded), "two seeded clubs were paired"
    for club in seeded:
        assert record.pairs[tie_of(record, club)][0] == club  # listed first in its tie
    # same seed, same draw; and the record replays from plain data
    assert draw_pairs(clubs, seed, keep_apart=apart, seeded=seeded) == record
    data = json.loads(json.dumps(record.to_dict()))
    assert DrawRecord.from_dict(data) == record
    assert DrawRecord.from_dict(data).replay() == record


@settings(max_examples=150, deadline=None)
@given(draws(max_clubs=10), st.integers(0, 1000), st.floats(0.0, 1.0))
def test_draw_is_possible_exactly_when_a_pairing_exists(
    case: tuple[list[str], dict[str, int], list[str]], seed: int, density: float
) -> None:
    clubs, _, seeded = case
    rng = random.Random(seed)
    apart = {frozenset(p) for p in combinations(clubs, 2) if rng.random() < density}
    expected = has_valid_pairing(clubs, apart, set(seeded))
    try:
        record = draw_pairs(
            clubs, seed, keep_apart=lambda a, b: frozenset((a, b)) in apart, seeded=seeded
        )
    except DrawError:
        assert not expected
    else:
        assert expected
        assert not any(frozenset(p) in apart for p in record.pairs)


@settings(max_examples=60, deadline=None)
@given(
    size=st.sampled_from([2, 4, 8, 16, 32, 64]),
    seeds=st.integers(0, 32),
    seed=st.integers(0, 2**32),
)
def test_seeded_clubs_are_spread_over_the_bracket(size: int, seeds: int, seed: int) -> None:
    clubs = clubs_of(size)
    ties = size // 2
    seeded = clubs[: min(seeds, ties)]
    record = draw_pairs(clubs, seed, seeded=seeded)
    positions = [tie_of(record, c) for c in seeded]
    if len(seeded) >= 2:
        assert positions[0] < ties / 2 <= positions[1]  # 1 and 2 in opposite halves
        assert positions[0] == 0 and positions[1] == ties - 1
    # the best 2^j seeds sit in different 2^j-ths of the bracket
    parts = 2
    while parts <= len(seeded):
        share = ties // parts
        assert len({p // share for p in positions[:parts]}) == parts
        parts *= 2


def test_two_seeds_in_opposite_halves_with_keep_apart() -> None:
    clubs = clubs_of(32)
    dept = {c: i % 8 for i, c in enumerate(clubs)}
    for seed in range(20):
        record = draw_pairs(clubs, seed, keep_apart=keep_apart_by(dept), seeded=clubs[:2])
        assert tie_of(record, clubs[0]) < 8 <= tie_of(record, clubs[1])


def test_different_seeds_usually_give_different_draws() -> None:
    clubs = clubs_of(16)
    dept = {c: i % 4 for i, c in enumerate(clubs)}
    results = {draw_pairs(clubs, s, keep_apart=keep_apart_by(dept)).pairs for s in range(20)}
    assert len(results) >= 18


def test_impossible_draws_raise() -> None:
    four = ["A", "B", "C", "D"]
    dept = {"A": "Lima", "B": "Lima", "C": "Lima", "D": "Cusco"}
    with pytest.raises(DrawError, match="no draw keeps the constraints"):
        draw_pairs(four, 1, keep_apart=keep_apart_by(dept))
    with pytest.raises(DrawError, match="may meet none"):
        draw_pairs(four, 1, keep_apart=lambda a, b: "A" in (a, b))
    with pytest.raises(DrawError, match="even number"):
        draw_pairs(four[:3], 1)
    with pytest.raises(DrawError, match="3 seeded clubs"):
        draw_pairs(four, 1, seeded=["A", "B", "C"])
    with pytest.raises(DrawError, match="not in the draw"):
        draw_pairs(four, 1, seeded=["Z"])
    with pytest.raises(DrawError, match="listed twice"):
        draw_pairs(["A", "A"], 1)
    # seeded clubs cannot meet each other, and A may only meet B
    with pytest.raises(DrawError):
        draw_pairs(
            four, 1, seeded=["A", "B"], keep_apart=lambda a, b: "A" in (a, b) and "B" not in (a, b)
        )
    assert issubclass(DrawError, ValueError)


def test_large_tight_draw_is_fast_and_valid() -> None:
    clubs = clubs_of(64)
    dept = {c: 0 if i < 32 else i for i, c in enumerate(clubs)}  # half the clubs from one place
    record = draw_pairs(clubs, 99, keep_apart=keep_apart_by(dept), seeded=clubs[30:38])
    assert all(dept[a] != dept[b] for a, b in record.pairs)


def test_seed_positions() -> None:
    assert seed_positions(0) == ()
    assert seed_positions(1) == ((0,),)
    assert seed_positions(16) == (
        (0,),
        (15,),
        (7, 8),
        (3, 4, 11, 12),
        (1, 2, 5, 6, 9, 10, 13, 14),
    )
    for ties in range(1, 40):
        flat = [t for group in seed_positions(ties) for t in group]
        assert sorted(flat) == list(range(ties))


def test_record_round_trip_and_bad_data() -> None:
    record = draw_pairs(["A", "B", "C", "D"], 5, keep_apart=lambda a, b: {a, b} == {"A", "B"})
    data = record.to_dict()
    assert data["apart"] == [["A", "B"]]
    assert data["seed"] == 5 and data["method"] == "random"
    assert record.opponent(record.pairs[0][0]) == record.pairs[0][1]
    with pytest.raises(ValueError, match="method"):
        DrawRecord.from_dict({**data, "method": "lottery"})
    with pytest.raises(ValueError, match="pairs"):
        DrawRecord.from_dict({**data, "pairs": [["A", "B", "C"]]})
    with pytest.raises(ValueError, match="seed"):
        DrawRecord.from_dict({**data, "seed": "five"})
    forged = DrawRecord.from_dict({**data, "pairs": [["A", "B"], ["C", "D"]]})
    assert forged.replay() != forged
    for version in (99, 0, -3, 1.5):  # a version this copa cannot replay is refused on reading
        with pytest.raises(ValueError, match="version"):
            DrawRecord.from_dict({**data, "version": version})
    with pytest.raises(ValueError, match="seed"):
        DrawRecord.from_dict({k: v for k, v in data.items() if k != "seed"})
