"""Building a new season: every stage of the pyramid, from the clubs' locations.

:func:`new_season` lists every stage of the season at once. Stages above the
first level name the places that enter them (``entrants_from``) and stay empty
until :func:`~copa.core.pyramid.advance.advance` fills them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from copa.core.club import Club
from copa.core.pyramid.advance import advance
from copa.core.pyramid.format import (
    UNITS,
    Level,
    Pyramid,
    PyramidError,
    PyramidFormat,
    UnitPlan,
)
from copa.core.pyramid.plan import plan_for
from copa.core.season import Season
from copa.core.slot import SlotRef
from copa.core.stage import Designation, Stage


def unit_key(club: Club, unit: str) -> tuple[str, ...]:
    if unit == "district":
        return (club.department, club.province, club.district)
    if unit == "province":
        return (club.department, club.province)
    if unit == "department":
        return (club.department,)
    if unit == "region":
        return (club.region,)
    return ()


def _display_names(keys: Sequence[tuple[str, ...]]) -> dict[tuple[str, ...], str]:
    """The last part of each key, with its parents where two units share a name."""
    count: dict[str, int] = {}
    for k in keys:
        if k:
            count[k[-1]] = count.get(k[-1], 0) + 1
    out: dict[tuple[str, ...], str] = {}
    for k in keys:
        if not k:
            out[k] = ""
        elif count[k[-1]] == 1:
            out[k] = k[-1]
        else:
            out[k] = f"{k[-1]} ({', '.join(reversed(k[:-1]))})"
    return out


@dataclass(frozen=True)
class _Unit:
    """A unit of one level, made a stage: the places it sends up."""

    stage: str
    sends: int


#: a unit of a level with the key of its parent unit one level up
_Placed = tuple[_Unit, tuple[str, ...]]


def new_season(
    fmt: PyramidFormat, clubs: Sequence[Club], seed: int, name: str = ""
) -> tuple[Season, Pyramid]:
    """Every stage of a season, from the clubs' locations, with the first rounds drawn.

    Raises :class:`PyramidError` when the format does not fit the clubs (a
    region without departments, a fixed plan for a different number of clubs).
    """
    if not fmt.levels:
        raise PyramidError("the format has no levels")
    for level in fmt.levels:
        if level.unit not in UNITS:
            raise PyramidError(f"unknown unit {level.unit!r} (one of {', '.join(UNITS)})")
    placed = _placed(fmt, clubs)
    stages: list[Stage] = []
    below: list[_Placed] = []
    for depth, level in enumerate(fmt.levels):
        parent_unit = fmt.levels[depth + 1].unit if depth + 1 < len(fmt.levels) else None
        if depth == 0:
            below = _first_level(level, placed, parent_unit, stages)
        else:
            below = _upper_level(fmt, level, placed, parent_unit, below, stages)
    names_seen: set[str] = set()
    for s in stages:
        if s.name in names_seen:
            raise PyramidError(f"two stages would be called {s.name!r}: check the level titles")
        names_seen.add(s.name)
    _check_slots(fmt, stages)
    season = Season(
        name or f"{fmt.name} (seed {seed})",
        fmt.competition,
        tuple(placed),
        tuple(stages),
        fmt.promotions,
        fmt.stats_scope,
        fmt.regions,
    )
    pyramid = Pyramid(fmt, seed)
    season, _ = advance(season, pyramid)
    return season, pyramid


def _placed(fmt: PyramidFormat, clubs: Sequence[Club]) -> list[Club]:
    """The clubs, each with its region, once each and located at every level's unit."""
    placed: list[Club] = []
    seen: set[str] = set()
    for c in clubs:
        if c.name in seen:
            raise PyramidError(f"club {c.name!r} is listed twice")
        seen.add(c.name)
        region = c.region or fmt.region_of(c.department)
        if any(lv.unit == "region" for lv in fmt.levels) and not region:
            raise PyramidError(f"{c.name}: department {c.department!r} is in no region")
        for lv in fmt.levels:
            if lv.unit == "district" and not c.district:
                raise PyramidError(f"{c.name} has no district")
            if lv.unit == "province" and not c.province:
                raise PyramidError(f"{c.name} has no province")
            if lv.unit == "department" and not c.department:
                raise PyramidError(f"{c.name} has no department")
        placed.append(replace(c, region=region) if region != c.region else c)
    if len(placed) < 2:
        raise PyramidError("a season needs at least two clubs")
    return placed


def _unit_stage(
    level: Level,
    unit_name: str,
    entrants: tuple[str, ...] = (),
    refs: tuple[str, ...] = (),
) -> tuple[Stage, _Unit]:
    """The stage of one unit of a level: its clubs (first level) or the places entering it."""
    stage_name = level.title.format(unit=unit_name)
    n = len(entrants) or len(refs)
    plan = plan_for(level, unit_name, n)
    _check_plan(plan, stage_name, n)
    places = None
    if len(entrants) == 1:
        places = Designation(entrants, "organizer", "the only entrant goes on")
    stage = Stage(
        stage_name,
        level.kind,
        (),
        entrants,
        places,
        unit_name if level.unit == "region" else "",
        refs,
        unit_name,
        len(plan.rounds),
    )
    return stage, _Unit(stage_name, min(level.quota(unit_name), n))


def _first_level(
    level: Level, placed: Sequence[Club], parent_unit: str | None, stages: list[Stage]
) -> list[_Placed]:
    """The first level's stages (appended to ``stages``): each unit's clubs play it."""
    members: dict[tuple[str, ...], list[Club]] = {}
    for c in placed:
        members.setdefault(unit_key(c, level.unit), []).append(c)
    names = _display_names(list(members))
    current: list[_Placed] = []
    for k, unit_clubs in members.items():
        stage, u = _unit_stage(level, names[k], entrants=tuple(c.name for c in unit_clubs))
        stages.append(stage)
        current.append((u, unit_key(unit_clubs[0], parent_unit) if parent_unit else ()))
    return current


def _upper_level(
    fmt: PyramidFormat,
    level: Level,
    placed: Sequence[Club],
    parent_unit: str | None,
    below: Sequence[_Placed],
    stages: list[Stage],
) -> list[_Placed]:
    """A higher level's stages (appended to ``stages``): the places its child units send."""
    children: dict[tuple[str, ...], list[_Unit]] = {}
    for u, parent in below:
        children.setdefault(parent, []).append(u)
    keys = list(children)
    if level.unit == "region":
        order = [r for r, _ in fmt.regions]
        keys.sort(key=lambda k: order.index(k[0]) if k and k[0] in order else len(order))
    names = _display_names(keys)
    # a parent key at this level -> the key of its own parent
    up: dict[tuple[str, ...], tuple[str, ...]] = {}
    if parent_unit:
        for c in placed:
            up.setdefault(unit_key(c, level.unit), unit_key(c, parent_unit))
    current: list[_Placed] = []
    for k in keys:
        refs = tuple(
            f"{child.stage}/{place}" for child in children[k] for place in range(1, child.sends + 1)
        )
        if not refs:
            continue
        stage, u = _unit_stage(level, names[k], refs=refs)
        stages.append(stage)
        current.append((u, up.get(k, ())))
    return current


def _check_plan(plan: UnitPlan, stage: str, n: int) -> None:
    if not plan.rounds:
        return
    spec = plan.rounds[0]
    if spec.groups is not None and spec.groups.sizes and sum(spec.groups.sizes) != n:
        raise PyramidError(f"{stage}: groups of {list(spec.groups.sizes)} do not hold {n} clubs")
    if spec.ties is not None and spec.ties.pairing != "slots" and n % 2:
        raise PyramidError(f"{stage}: {n} clubs cannot be paired in ties")


def _check_slots(fmt: PyramidFormat, stages: Sequence[Stage]) -> None:
    names = {s.name for s in stages}
    for level in fmt.levels:
        plans = [p for _, p in level.units] + ([level.rounds] if level.rounds else [])
        for plan in plans:
            for spec in plan.rounds:
                if spec.ties is None:
                    continue
                for pair in spec.ties.slots:
                    for ref in pair:
                        slot = SlotRef.read(ref)
                        if slot is None or slot.stage not in names:
                            raise PyramidError(
                                f"round {spec.name}: slot {ref!r} is not 'Stage/place' of a stage"
                            )
