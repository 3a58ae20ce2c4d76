"""Advancing a season: filling every round whose clubs are known.

:func:`advance` fills the first round of a stage once its entrants are decided,
the next round once the previous one is complete, drawing groups and pairings
reproducibly from the pyramid's seed (see :mod:`copa.core.pyramid.rounds`).
:func:`waiting` says what each stage that cannot go on waits for.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace

from copa.core.club import Club
from copa.core.pyramid.format import Level, Pyramid, PyramidError, PyramidFormat, derive_seed
from copa.core.pyramid.plan import plan_for
from copa.core.pyramid.rounds import Context, make_round
from copa.core.resolve import (
    ResolveCache,
    RoundResult,
    SeasonResult,
    StageResult,
    describe_slot,
    resolve,
    resolve_slot,
)
from copa.core.season import Season
from copa.core.slot import SlotRef
from copa.core.stage import Designation, Stage

#: called with (stages looked at, stages in all) while advancing
Progress = Callable[[int, int], None]


def advance(
    season: Season,
    pyramid: Pyramid,
    cache: ResolveCache | None = None,
    progress: Progress | None = None,
) -> tuple[Season, tuple[str, ...]]:
    """Fill every round whose clubs are known; returns the season and what was filled.

    A stage's first round is drawn once all its entrants are decided; each next
    round once the previous round is complete with no issue left. A stage
    whose plan has no more rounds but leaves its places unordered gets them
    by lots when its plan says so. Repeats until nothing more can be filled.
    """
    cache = cache if cache is not None else ResolveCache()
    filled: list[str] = []
    clubs = {c.name: c for c in season.clubs}
    while True:
        result = resolve(season, cache)
        places = {sr.stage.name: sr.places for sr in result.stages if sr.places_by != "undecided"}
        stages = list(season.stages)
        changed = False
        total = len(stages)
        for i, (stage, sr) in enumerate(zip(season.stages, result.stages, strict=True)):
            new = _fill(stage, sr, places, pyramid, clubs)
            if new is not stage:
                stages[i] = new
                changed = True
                if len(new.rounds) > len(stage.rounds):
                    filled.append(f"{stage.name}: {new.rounds[-1].name}")
                elif new.places is not None and stage.places is None:
                    filled.append(f"{stage.name}: places by {new.places.by}")
            if progress is not None and (i % 64 == 0 or i == total - 1):
                progress(i + 1, total)
        if not changed:
            return season, tuple(filled)
        season = replace(season, stages=tuple(stages))


def _level(fmt: PyramidFormat, kind: str) -> Level:
    for level in fmt.levels:
        if level.kind == kind:
            return level
    raise PyramidError(f"the format has no level {kind!r}")


def _fill(
    stage: Stage,
    sr: StageResult,
    places: Mapping[str, tuple[str, ...]],
    pyramid: Pyramid,
    clubs: Mapping[str, Club],
) -> Stage:
    if stage.places is not None or sr.places_by != "undecided":
        return stage
    if any(i.severity.value != "pending" for i in sr.issues):
        return stage  # a conflict or an error: a person must look first
    entrants = _entrants(stage, places)
    if entrants is None:
        return stage
    fmt = pyramid.format
    level = _level(fmt, stage.kind)
    plan = plan_for(level, stage.unit, len(entrants))
    done = len(stage.rounds)
    if done == 0 and len(entrants) == 1:
        return replace(stage, places=Designation(entrants, "organizer", "the only entrant goes on"))
    previous: RoundResult | None = None
    if done:
        previous = sr.rounds[-1]
        if previous.issues or any(r.issues for r in sr.rounds):
            return stage
    if done >= len(plan.rounds):
        if plan.places_by_lots and previous is not None and len(previous.qualifiers) > 1:
            seed = derive_seed(pyramid.seed, stage.name, "places")
            order = list(previous.qualifiers)
            _shuffle(order, seed)
            reason = f"no final decides the places: drawn by lots (seed {seed})"
            return replace(stage, places=Designation(tuple(order), "lots", reason))
        return stage
    spec = plan.rounds[done]
    clubs_in = previous.qualifiers if previous is not None else entrants
    ctx = Context(pyramid, stage, spec, clubs, places, _sources(stage, places), previous)
    rnd = make_round(ctx, clubs_in)
    return replace(stage, rounds=(*stage.rounds, rnd))


def _entrants(stage: Stage, places: Mapping[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    if not stage.entrants_from:
        return stage.entrants or None
    got: list[str] = []
    for ref in stage.entrants_from:
        club = SlotRef.parse(ref).club(places)
        if club is None:
            return None
        got.append(club)
    return tuple(got)


def _sources(stage: Stage, places: Mapping[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    out: dict[str, tuple[str, int]] = {}
    for ref in stage.entrants_from:
        slot = SlotRef.parse(ref)
        club = slot.club(places)
        if club is not None:
            out[club] = (slot.stage, slot.place)
    return out


def _shuffle(items: list[str], seed: int) -> None:
    random.Random(seed).shuffle(items)


def waiting(result: SeasonResult) -> tuple[str, ...]:
    """One line per stage that cannot go on yet: the fixtures or places it waits for.

    Stages waiting for places of stages that themselves wait are named too,
    with the places they wait for (``winner of District Ate, to be decided``),
    first; then the stages in progress, with the fixtures still to play.
    """
    places = season_result_places(result)
    lines: list[str] = []
    undrawn: list[str] = []  # stages not drawn for want of places: named first
    for sr in result.stages:
        stage = sr.stage
        if sr.places_by != "undecided" or any(i.severity.value != "pending" for i in sr.issues):
            continue
        if stage.rounds and not sr.rounds[-1].complete:
            rr = sr.rounds[-1]
            left = rr.remaining()
            shown = ", ".join(f"{m.home} v {m.away}" for m in left[:3])
            more = f" and {len(left) - 3} more" if len(left) > 3 else ""
            lines.append(
                f"{stage.name}, {rr.round.name}: waits for {len(left)} fixture(s) "
                f"still to play ({shown}{more})"
            )
            continue
        if not stage.rounds and stage.entrants_from:
            missing = [ref for ref in stage.entrants_from if resolve_slot(ref, places) is None]
            if missing:
                more = f" and {len(missing) - 2} more" if len(missing) > 2 else ""
                shown = "; ".join(describe_slot(ref) for ref in missing[:2])
                undrawn.append(f"{stage.name}: waits for {shown}{more}")
    return tuple(undrawn + lines)


def season_result_places(result: SeasonResult) -> dict[str, tuple[str, ...]]:
    """The decided places of every stage, as :func:`advance` passes them on."""
    return {s.stage.name: s.places for s in result.stages if s.places_by != "undecided"}
