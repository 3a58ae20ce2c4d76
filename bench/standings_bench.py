"""Benchmark: copa's group standings against the PyPI package ``standings``.

Both libraries get the same matches of a double round robin, generated as
raw tuples ``(home, away, home_goals, away_goals)`` and turned into each
library's own match objects (copa's immutable ``Match``, the package's
``_Match``) before timing. The timed section is the standings work: for
``standings`` adding the matches (it accumulates as they are added) and
getting the table; for copa ``table()``. Building the match objects is
timed separately and reported too, with an end-to-end ratio. The groups
are generated from ``random.Random(seed)`` with Poisson scores (means 1.45
and 1.15, capped at 9), in chunks, so memory stays small; within a chunk the
two libraries are timed one after the other, alternating which goes first.

``standings`` in "direct compare" mode ranks by points, then, inside each
block of clubs level on points, by (head-to-head points, head-to-head goal
difference, goal difference, goals scored), computed once over the whole
block. copa is timed with its usual chain ``points, goal_difference,
goals_for, head_to_head`` and, for a like-for-like check, with
``points, head_to_head_points, head_to_head_goal_difference,
goal_difference, goals_for``. With that chain the two orders can only differ
in a block of three or more clubs level on points (copa re-applies
head-to-head to the clubs such a block leaves level, ``standings`` does not)
or between clubs level on everything (copa orders them by name,
``standings`` by first appearance); any other difference is an error.

Run: ``.venv/bin/python bench/standings_bench.py [--groups N --clubs N --seed S
--repeat R | --quick]``. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import json
import math
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text
from standings import (
    CALCULATION_MODE_DIRECT_COMPARE,
    CALCULATION_MODE_GOAL_DIFFERENCE,
    TABLE_ALL,
    Standings,
)
from standings._match import _Match
from standings.sportstypes import SPORTSTYPES

from copa.core.match import Match, Score
from copa.core.points import DEFAULT
from copa.core.standings import table, table_from_scores

Raw = tuple[str, str, int, int]

COPA_CHAIN = ("points", "goal_difference", "goals_for", "head_to_head")
FAIR_CHAIN = (
    "points",
    "head_to_head_points",
    "head_to_head_goal_difference",
    "goal_difference",
    "goals_for",
)
#: the rules both libraries share for the headline: standings' own goal-difference mode
SAME_CHAIN = ("points", "goal_difference", "goals_for")
HOME_MEAN = 1.45
AWAY_MEAN = 1.15
MAX_GOALS = 9
CHUNK = 250


# --- data ---------------------------------------------------------------------------------


def _poisson_cdf(mean: float) -> list[float]:
    """Cumulative Poisson probabilities for 0 .. MAX_GOALS - 1 goals (the rest is MAX_GOALS)."""
    cdf: list[float] = []
    total = 0.0
    for k in range(MAX_GOALS):
        total += math.exp(-mean) * mean**k / math.factorial(k)
        cdf.append(total)
    return cdf


def club_names(n: int) -> list[str]:
    """Zero-padded names, so that name order is list order."""
    width = len(str(n))
    return [f"Club {i + 1:0{width}d}" for i in range(n)]


def group_raw(rng: random.Random, clubs: Sequence[str]) -> list[Raw]:
    """A double round robin: every club hosts every other club once."""
    home_cdf = _poisson_cdf(HOME_MEAN)
    away_cdf = _poisson_cdf(AWAY_MEAN)
    rand = rng.random
    pick = bisect.bisect
    return [
        (h, a, pick(home_cdf, rand()), pick(away_cdf, rand()))
        for h in clubs
        for a in clubs
        if h != a
    ]


def chunks(
    rng: random.Random, groups: int, clubs: Sequence[str], size: int = CHUNK
) -> Iterator[list[list[Raw]]]:
    done = 0
    while done < groups:
        n = min(size, groups - done)
        yield [group_raw(rng, clubs) for _ in range(n)]
        done += n


# --- the two contestants, each from raw tuples to an ordered list of club names --------------


def copa_matches(raw: Sequence[Raw]) -> list[Match]:
    return [Match(h, a, Score(x, y)) for h, a, x, y in raw]


def standings_matches(raw: Sequence[Raw]) -> list[_Match]:
    # ids are the names: `standings` skips falsy rival ids, so 0 must not be one
    return [_Match(h, h, a, a, x, y) for h, a, x, y in raw]


def copa_order(clubs: Sequence[str], matches: Sequence[Match], chain: Sequence[str]) -> list[str]:
    t = table("bench", clubs, matches, DEFAULT, chain)
    return [s.club for s in t.standings]


def standings_order(clubs: Sequence[str], matches: Sequence[_Match]) -> list[str]:
    s = Standings(TABLE_ALL, SPORTSTYPES.FOOTBALL, CALCULATION_MODE_DIRECT_COMPARE)
    add = s.add_match
    for m in matches:
        add(m)
    return [tp.team_id for tp in s.get_table()]


def run_copa(
    clubs: Sequence[str], chunk: Sequence[Sequence[Match]], chain: Sequence[str]
) -> list[list[str]]:
    return [copa_order(clubs, ms, chain) for ms in chunk]


def run_standings(clubs: Sequence[str], chunk: Sequence[Sequence[_Match]]) -> list[list[str]]:
    return [standings_order(clubs, ms) for ms in chunk]


def copa_end_to_end(clubs: Sequence[str], raw: Sequence[Raw]) -> list[str]:
    """From raw tuples to copa's order under the shared rules (``table_from_scores``)."""
    t = table_from_scores("bench", clubs, raw, DEFAULT, SAME_CHAIN)
    return [s.club for s in t.standings]


def standings_end_to_end(clubs: Sequence[str], raw: Sequence[Raw]) -> list[str]:
    """From raw tuples to standings' order in its points, goal difference, goals mode."""
    s = Standings(TABLE_ALL, SPORTSTYPES.FOOTBALL, CALCULATION_MODE_GOAL_DIFFERENCE)
    add = s.add_match
    for m in standings_matches(raw):
        add(m)
    return [tp.team_id for tp in s.get_table()]


def _end_to_end(
    fn: Callable[[Sequence[str], Sequence[Raw]], list[str]],
    clubs: Sequence[str],
    chunk: Sequence[Sequence[Raw]],
) -> tuple[float, list[list[str]]]:
    """The headline timing: raw tuples in, order out, the collector on as in a user's program."""
    start = time.perf_counter()
    out = [fn(clubs, raw) for raw in chunk]
    return time.perf_counter() - start, out


def _built(fn: Callable[[Sequence[Raw]], list[Any]], chunk: Sequence[Sequence[Raw]]) -> Any:
    """Build one library's match objects for a chunk, with the collector paused.

    Both libraries' objects are alive at once in this process, so a full
    collection would land on whichever happens to be building; pausing it
    measures what building costs each library, not the other's heap.
    """
    gc.collect()
    gc.disable()
    try:
        start = time.perf_counter()
        out = [fn(raw) for raw in chunk]
        return time.perf_counter() - start, out
    finally:
        gc.enable()


def _timed(fn: Callable[[], list[list[str]]]) -> tuple[float, list[list[str]]]:
    gc.collect()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


# --- checking -----------------------------------------------------------------------------


@dataclass
class Totals:
    points: int = 0
    goals_for: int = 0
    goals_against: int = 0

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against


def _totals(clubs: Sequence[str], raw: Sequence[Raw]) -> dict[str, Totals]:
    """Points (3/1/0) and goals of ``clubs`` over the matches among them."""
    members = set(clubs)
    out = {c: Totals() for c in clubs}
    for h, a, x, y in raw:
        if h in members and a in members:
            for club, scored, conceded in ((h, x, y), (a, y, x)):
                t = out[club]
                t.goals_for += scored
                t.goals_against += conceded
                t.points += 3 if scored > conceded else 1 if scored == conceded else 0
    return out


@dataclass
class Check:
    """The outcome of comparing copa's fair-chain order with ``standings``' order."""

    equal: bool
    explained: bool
    reasons: list[str] = field(default_factory=list)
    #: "block" (3+ clubs level on points) and/or "level" (two clubs level on everything)
    kinds: set[str] = field(default_factory=set)


def compare(clubs: Sequence[str], raw: Sequence[Raw], ours: list[str], theirs: list[str]) -> Check:
    """Compare two orders of one group and explain every difference, or say it can't be.

    A difference is explained if it lies in a block of 3+ clubs level on points
    (and both orders still agree with the first head-to-head step over that
    whole block, which both apply), or between two clubs level on points,
    head-to-head points, head-to-head goal difference, goal difference and goals.
    """
    if ours == theirs:
        return Check(True, True)
    reasons: list[str] = []
    if sorted(ours) != sorted(clubs) or sorted(theirs) != sorted(clubs):
        return Check(False, False, ["the orders do not hold the same clubs"])
    total = _totals(clubs, raw)
    for name, order in (("copa", ours), ("standings", theirs)):
        pts = [total[c].points for c in order]
        if pts != sorted(pts, reverse=True):
            reasons.append(f"{name} is not ordered by points")
    if reasons:
        return Check(False, False, reasons)
    explained = True
    kinds: set[str] = set()
    start = 0
    while start < len(ours):
        end = start
        while end < len(ours) and total[ours[end]].points == total[ours[start]].points:
            end += 1
        a, b = ours[start:end], theirs[start:end]
        if a != b:
            ok, why = _explain_block(raw, total, a, b)
            reasons.append(why)
            kinds.add("block" if len(a) >= 3 else "level")
            explained = explained and ok
        start = end
    return Check(False, explained, reasons, kinds)


def _explain_block(
    raw: Sequence[Raw], total: dict[str, Totals], ours: list[str], theirs: list[str]
) -> tuple[bool, str]:
    if set(ours) != set(theirs):
        return False, f"different clubs on {total[ours[0]].points} points"
    h2h = _totals(ours, raw)

    def key(c: str) -> tuple[int, int, int, int]:
        """What ``standings`` sorts a block by, computed over the whole block."""
        return h2h[c].points, h2h[c].goal_difference, total[c].goal_difference, total[c].goals_for

    if len(ours) >= 3:
        # both start with head-to-head points over the whole block; only
        # standings goes on over the whole block, copa re-applies to sub-blocks
        keys = [h2h[c].points for c in ours]
        if keys != sorted(keys, reverse=True):
            return False, f"{ours} breaks head-to-head points among {sorted(ours)}"
        full = [key(c) for c in theirs]
        if full != sorted(full, reverse=True):
            return False, f"{theirs} is not what standings documents for {sorted(ours)}"
        return True, f"{len(ours)} clubs level on {total[ours[0]].points} points"

    if key(ours[0]) == key(ours[1]):
        return True, f"{ours[0]} and {ours[1]} level on everything"
    return False, f"{ours} v {theirs}: two clubs ordered differently"


def _check_chain_order(clubs: Sequence[str], raw: Sequence[Raw], order: list[str]) -> bool:
    """copa's usual chain: (points, goal difference, goals) never increases down the table."""
    total = _totals(clubs, raw)
    keys = [(total[c].points, total[c].goal_difference, total[c].goals_for) for c in order]
    return sorted(order) == sorted(clubs) and keys == sorted(keys, reverse=True)


# --- main ---------------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--groups", type=int, default=None, help="groups (default 10000; quick 20)")
    p.add_argument("--clubs", type=int, default=None, help="clubs per group (default 20; quick 6)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=1, help="time each chunk R times, keep the best")
    p.add_argument("--quick", action="store_true", help="a quick run: 20 groups of 6 clubs")
    args = p.parse_args(argv)
    if args.groups is None:
        args.groups = 20 if args.quick else 10_000
    if args.clubs is None:
        args.clubs = 6 if args.quick else 20
    if args.groups < 1 or args.clubs < 2 or args.repeat < 1:
        p.error("need --groups >= 1, --clubs >= 2 and --repeat >= 1")
    return args


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    args = parse(argv)
    console = Console(highlight=False)
    progress_console = Console(file=sys.stderr)
    clubs = club_names(args.clubs)
    per_group = args.clubs * (args.clubs - 1)
    matches = args.groups * per_group
    rng = random.Random(args.seed)
    seconds = {"copa": 0.0, "standings": 0.0, "copa_fair": 0.0}
    e2e = {"copa": 0.0, "standings": 0.0}
    e2e_equal = 0
    building = {"copa": 0.0, "standings": 0.0}
    equal = compared = explained = unexplained = chain_ok = in_blocks = level = 0
    examples: list[str] = []
    console.print(
        f"[bold]standings benchmark[/]: {args.groups:,} groups of {args.clubs} clubs, "
        f"double round robin, {matches:,} matches, seed {args.seed}, repeat {args.repeat}"
    )
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} groups"),
        TimeElapsedColumn(),
        console=progress_console,
        transient=True,
    )
    with progress:
        task = progress.add_task("timing", total=args.groups)
        for n, chunk in enumerate(chunks(rng, args.groups, clubs)):
            # built in turn, the order reversed every other chunk, like the timed runs
            if n % 2 == 0:
                took_ours, ours_in = _built(copa_matches, chunk)
                took_theirs, theirs_in = _built(standings_matches, chunk)
            else:
                took_theirs, theirs_in = _built(standings_matches, chunk)
                took_ours, ours_in = _built(copa_matches, chunk)
            pair = [("copa", copa_end_to_end), ("standings", standings_end_to_end)]
            e2e_orders: dict[str, list[list[str]]] = {}
            for name, fn in pair if n % 2 == 0 else reversed(pair):
                best = math.inf
                for _ in range(args.repeat):
                    took, e2e_orders[name] = _end_to_end(fn, clubs, chunk)
                    best = min(best, took)
                e2e[name] += best
            e2e_equal += sum(
                a == b for a, b in zip(e2e_orders["copa"], e2e_orders["standings"], strict=True)
            )
            building["copa"] += took_ours
            building["standings"] += took_theirs
            runs: dict[str, Callable[[], list[list[str]]]] = {
                "copa": partial(run_copa, clubs, ours_in, COPA_CHAIN),
                "standings": partial(run_standings, clubs, theirs_in),
                "copa_fair": partial(run_copa, clubs, ours_in, FAIR_CHAIN),
            }
            names = list(runs) if n % 2 == 0 else list(reversed(runs))
            orders: dict[str, list[list[str]]] = {}
            for name in names:
                best = math.inf
                for _ in range(args.repeat):
                    took, orders[name] = _timed(runs[name])
                    best = min(best, took)
                seconds[name] += best
            for raw, ours, fair, theirs in zip(
                chunk, orders["copa"], orders["copa_fair"], orders["standings"], strict=True
            ):
                chain_ok += _check_chain_order(clubs, raw, ours)
                check = compare(clubs, raw, fair, theirs)
                compared += 1
                equal += check.equal
                if not check.equal and check.explained:
                    explained += 1
                    in_blocks += "block" in check.kinds
                    level += "level" in check.kinds
                if not check.explained:
                    unexplained += 1
                    if len(examples) < 5:
                        examples.append(f"{fair} v {theirs}: {'; '.join(check.reasons)}")
            progress.advance(task, len(chunk))

    result: dict[str, Any] = {
        "benchmark": "standings",
        "groups": args.groups,
        "clubs": args.clubs,
        "matches": matches,
        "seed": args.seed,
        "repeat": args.repeat,
        "copa_seconds": round(seconds["copa"], 3),
        "standings_seconds": round(seconds["standings"], 3),
        "copa_fair_seconds": round(seconds["copa_fair"], 3),
        "copa_matches_per_s": round(matches / seconds["copa"]),
        "standings_matches_per_s": round(matches / seconds["standings"]),
        "copa_fair_matches_per_s": round(matches / seconds["copa_fair"]),
        # the headline: end to end from raw tuples, collector on, the same rules on both sides
        "ratio": round(e2e["standings"] / e2e["copa"], 3),
        "headline": "end to end from raw tuples, collector on, points/goal difference/goals "
        "on both sides (standings in its goal-difference mode)",
        "copa_end_to_end_seconds": round(e2e["copa"], 3),
        "standings_end_to_end_seconds": round(e2e["standings"], 3),
        "end_to_end_orders_equal": e2e_equal,
        "ratio_prebuilt": round(seconds["standings"] / seconds["copa"], 3),
        "ratio_fair": round(seconds["standings"] / seconds["copa_fair"], 3),
        "copa_build_seconds": round(building["copa"], 3),
        "standings_build_seconds": round(building["standings"], 3),
        "ratio_end_to_end": round(
            (seconds["standings"] + building["standings"]) / (seconds["copa"] + building["copa"]), 3
        ),
        "copa_chain_checked": chain_ok,
        "orders_equal": equal,
        "orders_compared": compared,
        "differences_explained": explained,
        "differences_unexplained": unexplained,
        "differences_in_blocks_of_3_plus": in_blocks,
        "differences_level_on_everything": level,
    }
    for name, label in (
        ("copa", f"copa ({', '.join(COPA_CHAIN)})"),
        ("copa_fair", f"copa ({', '.join(FAIR_CHAIN)})"),
        ("standings", "standings 1.0.4 (direct compare)"),
    ):
        console.print(
            f"{label}: {seconds[name]:.2f} s, {matches / seconds[name]:,.0f} matches/s, "
            f"{seconds[name] / matches * 1e6:.2f} µs/match"
        )
    console.print(
        f"[bold]headline[/], end to end from raw tuples, collector on, same rules "
        f"({', '.join(SAME_CHAIN)}): copa {e2e['copa']:.2f} s, standings "
        f"{e2e['standings']:.2f} s, ratio {result['ratio']:.2f}; orders equal in "
        f"{e2e_equal:,} of {compared:,} groups"
    )
    console.print(
        f"prebuilt matches, collector paused: ratio standings/copa "
        f"{result['ratio_prebuilt']:.2f} (usual chain), "
        f"{result['ratio_fair']:.2f} (like-for-like chain)"
    )
    console.print(
        f"building match objects (not in the ratio): copa {building['copa']:.2f} s, "
        f"standings {building['standings']:.2f} s; end to end from raw tuples: "
        f"ratio {result['ratio_end_to_end']:.2f}"
    )
    console.print(
        f"orders: {equal:,} of {compared:,} groups equal; {explained:,} differ only in blocks of "
        f"3+ clubs level on points ({in_blocks:,}) or between clubs level on everything "
        f"({level:,}); {unexplained} unexplained"
    )
    if chain_ok != compared:
        console.print(f"[red]copa's usual chain is broken in {compared - chain_ok} groups[/]")
    for line in examples:
        console.print(Text.assemble(("unexplained: ", "red"), line))
    print(json.dumps(result))
    return result


if __name__ == "__main__":
    outcome = main()
    ok = (
        outcome["differences_unexplained"] == 0
        and outcome["copa_chain_checked"] == outcome["orders_compared"]
    )
    sys.exit(0 if ok else 1)
