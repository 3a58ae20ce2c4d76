"""Smoke test of bench/standings_bench.py: its checking logic, not its speed."""

from __future__ import annotations

import importlib.util
import json
import random
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "standings_bench.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("standings_bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def test_quick_run_prints_one_json_line_with_every_order_explained(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    result = bench.main(["--quick", "--seed", "3"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    data = json.loads(last)
    assert data == result
    assert data["benchmark"] == "standings"
    assert (data["groups"], data["clubs"], data["matches"]) == (20, 6, 20 * 30)
    assert data["orders_compared"] == 20
    assert data["differences_unexplained"] == 0
    assert data["orders_equal"] + data["differences_explained"] == data["orders_compared"]
    assert data["copa_chain_checked"] == data["orders_compared"]
    assert data["copa_seconds"] > 0 and data["standings_seconds"] > 0


def test_the_check_rejects_a_difference_it_cannot_explain(bench: ModuleType) -> None:
    clubs = bench.club_names(6)
    raw = bench.group_raw(random.Random(7), clubs)
    order = bench.copa_order(clubs, bench.copa_matches(raw), bench.FAIR_CHAIN)
    assert bench.compare(
        clubs, raw, order, bench.standings_order(clubs, bench.standings_matches(raw))
    ).explained
    # a club moved above one with more points
    total = bench._totals(clubs, raw)
    i = next(i for i in range(5) if total[order[i]].points > total[order[i + 1]].points)
    wrong = [*order[:i], order[i + 1], order[i], *order[i + 2 :]]
    check = bench.compare(clubs, raw, order, wrong)
    assert not check.equal and not check.explained


def test_two_clubs_level_on_points_are_explained_only_when_level_on_everything(
    bench: ModuleType,
) -> None:
    clubs = ["A", "B", "C", "D"]
    # A and B level on 6 points, C and D on 3; A beat B and D beat C
    raw = [
        ("A", "B", 1, 0),
        ("C", "A", 2, 0),
        ("B", "C", 1, 0),
        ("A", "D", 1, 0),
        ("B", "D", 1, 0),
        ("D", "C", 1, 0),
    ]
    ours = bench.copa_order(clubs, bench.copa_matches(raw), bench.FAIR_CHAIN)
    assert (
        ours == bench.standings_order(clubs, bench.standings_matches(raw)) == ["A", "B", "D", "C"]
    )
    assert bench.compare(clubs, raw, ours, ours).equal
    assert not bench.compare(clubs, raw, ours, ["B", "A", "D", "C"]).explained
    assert not bench.compare(clubs, raw, ours, ["A", "B", "C", "D"]).explained
    clubs = ["A", "B", "C"]
    # level on points, head-to-head, goal difference and goals: any order is explained
    raw = [("A", "B", 1, 1), ("A", "C", 1, 0), ("B", "C", 1, 0)]
    assert bench.compare(clubs, raw, ["A", "B", "C"], ["B", "A", "C"]).explained


def test_a_block_of_three_is_where_the_two_may_differ(bench: ModuleType) -> None:
    """A, B and C level on points and head-to-head points; head-to-head goal
    difference among the three puts A first and leaves B and C level, and copa
    re-applies it to B v C alone (B won 2-0), where ``standings`` goes on to
    goal difference over all matches (C's is better)."""
    clubs = ["A", "B", "C", "D"]
    raw = [
        ("A", "B", 3, 0),
        ("C", "A", 2, 1),
        ("B", "C", 2, 0),
        ("A", "D", 1, 0),
        ("B", "D", 1, 0),
        ("C", "D", 5, 0),
    ]
    ours = bench.copa_order(clubs, bench.copa_matches(raw), bench.FAIR_CHAIN)
    theirs = bench.standings_order(clubs, bench.standings_matches(raw))
    assert (ours, theirs) == (["A", "B", "C", "D"], ["A", "C", "B", "D"])
    check = bench.compare(clubs, raw, ours, theirs)
    assert not check.equal and check.explained
    assert check.reasons == ["3 clubs level on 6 points"]


def test_a_larger_run_finds_and_explains_differences(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    data = bench.main(["--groups", "200", "--clubs", "6", "--seed", "1"])
    capsys.readouterr()
    assert data["differences_explained"] > 0
    assert data["differences_unexplained"] == 0
