"""Planning: the rounds a unit of a level plays, for however many clubs enter it."""

from __future__ import annotations

import math

from copa.core.grouping import balanced_sizes
from copa.core.pyramid.format import (
    AdaptivePlan,
    GroupSpec,
    Level,
    PyramidError,
    RoundSpec,
    TieSpec,
    UnitPlan,
)
from copa.core.qualification import BestPlaced
from copa.core.stage import Advance


def knockout_name(clubs: int) -> str:
    return {2: "Final", 4: "Semifinals", 8: "Quarterfinals"}.get(clubs, f"Round of {clubs}")


def adaptive_rounds(plan: AdaptivePlan, n: int, send: int) -> tuple[RoundSpec, ...]:
    """The rounds an :class:`AdaptivePlan` gives ``n`` entrants sending ``send`` places.

    >>> [r.name for r in adaptive_rounds(AdaptivePlan(max_group=4), 10, 2)]
    ['Group stage', 'Semifinals', 'Final']
    >>> [r.name for r in adaptive_rounds(AdaptivePlan(max_group=12), 9, 2)]
    ['League']
    """
    if n <= 1:
        return ()
    if n == 2:
        return (
            RoundSpec(
                "Final",
                plan.final_rules,
                Advance(winners=True),
                ties=TieSpec("draw", plan.final_legs),
                neutral=plan.final_legs == 1,
            ),
        )
    league = (
        RoundSpec(
            "League",
            plan.group_rules,
            Advance(top=min(send, n), ranked=True),
            groups=GroupSpec(count=1, legs=plan.group_legs, name="League"),
        ),
    )
    if n <= plan.max_group:
        return league
    k = math.ceil(n / plan.max_group)
    final = max(send, 2)
    q = final
    while q < k:
        q *= 2
    sizes = balanced_sizes(n, k)
    top = q // k
    extra = q - top * k
    if q > n or top > sizes[-1] or (extra and top + 1 > sizes[-1]):
        return league
    rounds = [
        RoundSpec(
            "Group stage",
            plan.group_rules,
            Advance(top=top, best=(BestPlaced(top + 1, extra),) if extra else ()),
            groups=GroupSpec(count=k, legs=plan.group_legs, keep_apart=plan.keep_apart),
        )
    ]
    clubs = q
    first = True
    while clubs > final or (final == 2 and clubs == 2):
        last = clubs == 2
        rounds.append(
            RoundSpec(
                knockout_name(clubs),
                plan.final_rules if last else plan.knockout_rules,
                Advance(winners=True),
                ties=TieSpec(
                    "draw" if first else "bracket",
                    plan.final_legs if last else plan.knockout_legs,
                    keep_apart="group" if first else "",
                    seeded="group_winners" if first and k <= clubs // 2 else "",
                ),
                neutral=last and plan.final_legs == 1,
            )
        )
        first = False
        clubs //= 2
    if final > 2:
        rounds.append(
            RoundSpec(
                "Final group",
                plan.group_rules,
                Advance(top=final, ranked=True),
                groups=GroupSpec(count=1, legs=plan.group_legs, name="Final group"),
            )
        )
    return tuple(rounds)


def plan_for(level: Level, unit: str, n: int) -> UnitPlan:
    """The plan a unit with ``n`` entrants plays: its own, the level's, or the adaptive one."""
    fixed = dict(level.units).get(unit) or level.rounds
    if fixed is not None and (fixed.entrants in (0, n)):
        return fixed
    if level.plan is not None:
        return UnitPlan(adaptive_rounds(level.plan, n, level.quota(unit)))
    want = fixed.entrants if fixed is not None else 0
    raise PyramidError(
        f"{level.kind} stage {unit or level.title}: the format's rounds are for {want} clubs, "
        f"but {n} enter it, and the level has no adaptive plan"
    )
