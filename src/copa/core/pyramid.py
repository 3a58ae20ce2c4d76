"""A whole pyramid from a format and a list of clubs: district leagues up to the national stage.

A :class:`PyramidFormat` is the rules as data: its :class:`Level` list says how
clubs are grouped at each level (by district, province, department, region or
the whole nation), how many places each unit sends up, and which rounds each
unit plays — fixed rounds (the 2011 regional stages, the 2019 national stage)
or an :class:`AdaptivePlan` that fits leagues and a knockout to however many
clubs a unit has.

:func:`new_season` lists every stage of the season at once. Stages above the
first level name the places that enter them (``entrants_from``) and stay
empty; :func:`advance` fills every round whose clubs are known — the first
round of a stage once its entrants are decided, the next round once the
previous one is complete — drawing groups and pairings reproducibly from the
pyramid's seed and recording each draw on its round. Nothing is simulated
here (see :mod:`copa.core.simulate`); everything is pure and deterministic.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from copa.core.club import Club
from copa.core.draw import DrawError, DrawRecord, draw_pairs, seeded_pairs, slot_pairs
from copa.core.fixtures import geographic_rivals, only_between, partial_round_robin, round_robin
from copa.core.group import Group, GroupRules
from copa.core.grouping import RivalDraw, balanced_sizes, dealt, draw_groups
from copa.core.match import Match, MatchStatus
from copa.core.points import DEFAULT, PointsScheme
from copa.core.qualification import BestPlaced
from copa.core.resolve import (
    ResolveCache,
    RoundResult,
    SeasonResult,
    StageResult,
    describe_slot,
    resolve,
    resolve_slot,
)
from copa.core.season import Promotion, Season
from copa.core.slot import SlotRef
from copa.core.stage import Advance, Designation, Draw, Round, Stage
from copa.core.standings import DEFAULT_CHAIN
from copa.core.tie import Tie, TieRules

__all__ = [
    "AdaptivePlan",
    "GroupSpec",
    "Level",
    "Pyramid",
    "PyramidError",
    "PyramidFormat",
    "RoundSpec",
    "RuleSet",
    "TieSpec",
    "UnitPlan",
    "advance",
    "derive_seed",
    "new_season",
    "plan_for",
]

DEFAULT_TIE_CHAIN = ("aggregate", "away_goals", "extra_time", "penalties")
#: the grouping fields a level may use, from the smallest unit to the whole nation
UNITS = ("district", "province", "department", "region", "nation")
#: labels a draw may keep apart besides the club's own location fields
LABELS = ("", "district", "province", "department", "region", "source", "place", "group")
PAIRINGS = ("draw", "seeded", "slots", "bracket", "fold", "crossover")


class PyramidError(ValueError):
    """The format cannot be applied to these clubs (a plan does not fit, a unit is unknown)."""


# ------------------------------------------------------------------------------ format


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Points, the group ranking chain and the tie chain of a named rule set."""

    scheme: PointsScheme = DEFAULT
    ranking: tuple[str, ...] = DEFAULT_CHAIN
    tie: tuple[str, ...] = DEFAULT_TIE_CHAIN
    #: the away-goals step applies again after extra time, counting its goals
    away_goals_after_extra_time: bool = False

    def group_rules(self) -> GroupRules:
        return GroupRules(self.scheme, self.ranking)

    def tie_rules(self) -> TieRules:
        return TieRules(self.tie, self.scheme, self.away_goals_after_extra_time)


@dataclass(frozen=True, slots=True)
class GroupSpec:
    """How a group round is made.

    ``sizes`` fixes the groups' sizes; otherwise ``count`` groups, or as few
    groups of at most ``max_size`` as needed (one group: a league). With
    ``rivals`` the round is one table in which each club meets that many
    geographic rivals home and away (a partial round robin); ``rivals_apart``
    names a label rivals must not share (``place``: champions only meet
    runners-up). ``keep_apart`` spreads clubs sharing a label over the groups.
    """

    sizes: tuple[int, ...] = ()
    count: int = 0
    max_size: int = 0
    legs: int = 2
    rivals: int = 0
    rivals_apart: str = ""
    keep_apart: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class TieSpec:
    """How a knockout round is paired.

    ``draw``: a seeded random draw (``keep_apart`` a label; ``seeded``
    ``group_winners`` puts the previous round's group winners in opposite
    halves); ``seeded``: 1 v N, 2 v N-1 by the previous round's order;
    ``slots``: a fixed slot map of earlier stages' places; ``bracket``: the
    winners of ties 1 and 2, 3 and 4, ...; ``fold``: the winners of the first
    and last ties, second and second-to-last, ...; ``crossover``: group A's
    winner v group B's runner-up and the other way round. The first club of a
    pair hosts the first leg, unless ``better_hosts_second``.
    """

    pairing: str = "draw"
    legs: int = 2
    keep_apart: str = ""
    seeded: str = ""
    slots: tuple[tuple[str, str], ...] = ()
    better_hosts_second: bool = False


@dataclass(frozen=True, slots=True)
class RoundSpec:
    """One round of a stage's plan: its rule set, how it is made, who goes on."""

    name: str
    rules: str
    advance: Advance
    groups: GroupSpec | None = None
    ties: TieSpec | None = None
    neutral: bool = False


@dataclass(frozen=True, slots=True)
class AdaptivePlan:
    """Rounds for a unit of any size: one league, or groups then a knockout to a final.

    ``n`` entrants, ``s`` places to send: two clubs play a final; up to
    ``max_group`` clubs play one league whose top ``s`` go on in table order;
    more clubs play ``ceil(n / max_group)`` groups whose best clubs (the top of
    each, then the best-placed) fill a knockout that ends in a final (``s`` ≤
    2) or in a final group of ``s`` clubs.
    """

    max_group: int = 12
    group_legs: int = 2
    group_rules: str = "league"
    knockout_rules: str = "knockout"
    knockout_legs: int = 2
    final_rules: str = "one_match"
    final_legs: int = 1
    keep_apart: str = ""


@dataclass(frozen=True, slots=True)
class UnitPlan:
    """Fixed rounds for a unit (or every unit) of a level, for exactly ``entrants`` clubs.

    ``places_by_lots``: when the last round leaves more than one club without
    ordering them (two group winners, two semi-final winners), the stage's
    places are drawn by lots, as Region VIII's were in 2011.
    """

    rounds: tuple[RoundSpec, ...]
    entrants: int = 0
    places_by_lots: bool = False


@dataclass(frozen=True)
class Level:
    """One level of the pyramid: its units, their quota of places and their rounds."""

    kind: str
    unit: str
    title: str
    send: int = 2
    quotas: tuple[tuple[str, int], ...] = ()
    #: the plan of every unit of the level (unless ``units`` names the unit)
    rounds: UnitPlan | None = None
    units: tuple[tuple[str, UnitPlan], ...] = ()
    plan: AdaptivePlan | None = None

    def quota(self, unit: str) -> int:
        return dict(self.quotas).get(unit, self.send)


@dataclass(frozen=True)
class PyramidFormat:
    """A season's structure as data (see ``docs/pyramid.md``)."""

    name: str
    competition: str
    rules: tuple[tuple[str, RuleSet], ...]
    levels: tuple[Level, ...]
    regions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    promotions: tuple[Promotion, ...] = ()
    stats_scope: tuple[str, ...] = ()
    #: (latitude, longitude) of each department's capital, for geographic rivals
    geography: tuple[tuple[str, tuple[float, float]], ...] = ()
    description: str = ""

    def rule_set(self, name: str) -> RuleSet:
        for n, r in self.rules:
            if n == name:
                return r
        raise PyramidError(f"unknown rule set {name!r} (defined: {', '.join(self.rule_names)})")

    @property
    def rule_names(self) -> tuple[str, ...]:
        return tuple(n for n, _ in self.rules)

    def region_of(self, department: str) -> str:
        for region, departments in self.regions:
            if department in departments:
                return region
        return ""


@dataclass(frozen=True)
class Pyramid:
    """A format and the seed every draw of the season derives its own seed from."""

    format: PyramidFormat
    seed: int


def derive_seed(seed: int, *parts: str) -> int:
    """A seed for one draw, from the season's seed and where the draw is made.

    Independent of the order draws are made in, so filling one stage never
    changes another's draw.

    >>> derive_seed(7, "District Ate", "League") == derive_seed(7, "District Ate", "League")
    True
    """
    text = "\x1f".join((str(seed), *parts)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big") >> 1


# ------------------------------------------------------------------------------- plans


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


# --------------------------------------------------------------------------- new season


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
    key: tuple[str, ...]
    name: str
    stage: str
    size: int
    sends: int


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

    stages: list[Stage] = []
    below: list[tuple[_Unit, tuple[str, ...]]] = []  # units of the level below, with parent keys
    for depth, level in enumerate(fmt.levels):
        parent_unit = fmt.levels[depth + 1].unit if depth + 1 < len(fmt.levels) else None
        if depth == 0:
            members: dict[tuple[str, ...], list[Club]] = {}
            for c in placed:
                members.setdefault(unit_key(c, level.unit), []).append(c)
            keys = list(members)
            names = _display_names(keys)
            current: list[tuple[_Unit, tuple[str, ...]]] = []
            for k in keys:
                unit_name = names[k]
                stage_name = level.title.format(unit=unit_name)
                entrants = tuple(c.name for c in members[k])
                n = len(entrants)
                plan = plan_for(level, unit_name, n)
                _check_plan(plan, stage_name, n)
                places = None
                if n == 1:
                    places = Designation(entrants, "organizer", "the only entrant goes on")
                stages.append(
                    Stage(
                        stage_name,
                        level.kind,
                        (),
                        entrants,
                        places,
                        unit_name if level.unit == "region" else "",
                        (),
                        unit_name,
                        len(plan.rounds),
                    )
                )
                parent = unit_key(members[k][0], parent_unit) if parent_unit else ()
                u = _Unit(k, unit_name, stage_name, n, min(level.quota(unit_name), n))
                current.append((u, parent))
        else:
            children: dict[tuple[str, ...], list[_Unit]] = {}
            for u, parent in below:
                children.setdefault(parent, []).append(u)
            keys = list(children)
            if level.unit == "region":
                order = [r for r, _ in fmt.regions]
                keys.sort(key=lambda k: order.index(k[0]) if k and k[0] in order else len(order))
            names = _display_names(keys)
            current = []
            # a parent key at this level -> the key of its own parent
            up: dict[tuple[str, ...], tuple[str, ...]] = {}
            if parent_unit:
                for c in placed:
                    up.setdefault(unit_key(c, level.unit), unit_key(c, parent_unit))
            for k in keys:
                unit_name = names[k]
                stage_name = level.title.format(unit=unit_name)
                refs = tuple(
                    f"{child.stage}/{place}"
                    for child in children[k]
                    for place in range(1, child.sends + 1)
                )
                n = len(refs)
                if n == 0:
                    continue
                plan = plan_for(level, unit_name, n)
                _check_plan(plan, stage_name, n)
                stages.append(
                    Stage(
                        stage_name,
                        level.kind,
                        (),
                        (),
                        None,
                        unit_name if level.unit == "region" else "",
                        refs,
                        unit_name,
                        len(plan.rounds),
                    )
                )
                u = _Unit(k, unit_name, stage_name, n, min(level.quota(unit_name), n))
                current.append((u, up.get(k, ())))
        below = current
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


# ------------------------------------------------------------------------------ advance


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
    ctx = _Context(pyramid, stage, spec, clubs, places, _sources(stage, places), previous)
    rnd = _make_round(ctx, clubs_in)
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


@dataclass(frozen=True)
class _Context:
    pyramid: Pyramid
    stage: Stage
    spec: RoundSpec
    clubs: Mapping[str, Club]
    places: Mapping[str, tuple[str, ...]]
    sources: Mapping[str, tuple[str, int]]
    previous: RoundResult | None
    groups_of: dict[str, str] = field(default_factory=dict)

    def seed(self, what: str) -> int:
        return derive_seed(self.pyramid.seed, self.stage.name, self.spec.name, what)

    def label(self, club: str, label: str) -> str | None:
        if not label:
            return None
        if label == "source":
            src = self.sources.get(club)
            return src[0] if src else None
        if label == "place":
            src = self.sources.get(club)
            return str(src[1]) if src else None
        if label == "group":
            if self.previous is None:
                return None
            for g in self.previous.groups:
                if club in g.group.clubs:
                    return g.group.name
            return None
        c = self.clubs.get(club)
        if c is None:
            return None
        value = str(getattr(c, label, ""))
        return value or None

    def labels(self, clubs: Sequence[str], label: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in clubs:
            v = self.label(c, label)
            if v is not None:
                out[c] = v
        return out


def _make_round(ctx: _Context, clubs: Sequence[str]) -> Round:
    spec = ctx.spec
    rules = ctx.pyramid.format.rule_set(spec.rules)
    if spec.groups is not None:
        groups, draws = _make_groups(ctx, spec.groups, clubs, rules)
        return Round(spec.name, groups, (), spec.advance, draws)
    if spec.ties is None:
        raise PyramidError(f"round {spec.name} has neither groups nor ties")
    ties, draw = _make_ties(ctx, spec.ties, clubs, rules)
    return Round(spec.name, (), ties, spec.advance, (draw,))


def _matches(pairs: Sequence[Match], neutral: bool) -> tuple[Match, ...]:
    if not neutral:
        return tuple(pairs)
    return tuple(replace(m, neutral=True) for m in pairs)


def _make_groups(
    ctx: _Context, spec: GroupSpec, clubs: Sequence[str], rules: RuleSet
) -> tuple[tuple[Group, ...], tuple[Draw, ...]]:
    names = tuple(clubs)
    n = len(names)
    if spec.rivals:
        where = _where(ctx, names)
        constraint = None
        if spec.rivals_apart:
            constraint = only_between({c: ctx.label(c, spec.rivals_apart) or c for c in names})
        try:
            rivals = geographic_rivals(names, where, spec.rivals, constraint=constraint)
        except ValueError as e:
            raise PyramidError(f"{ctx.stage.name}, {ctx.spec.name}: {e}") from None
        rounds = partial_round_robin(names, rivals)
        matches = tuple(m for rnd in rounds for m in rnd)
        pairs = tuple((a, b) for a in names for b in rivals[a] if names.index(a) < names.index(b))
        apart = f", only between different {spec.rivals_apart}" if spec.rivals_apart else ""
        record = RivalDraw(names, pairs, f"{spec.rivals} nearest rivals each, home and away{apart}")
        group = Group(
            spec.name or "Table", names, _matches(matches, ctx.spec.neutral), rules.group_rules(), 2
        )
        return (group,), (record,)
    if spec.sizes:
        sizes = tuple(spec.sizes)
    else:
        count = spec.count or (math.ceil(n / spec.max_size) if spec.max_size else 1)
        sizes = balanced_sizes(n, count)
    if len(sizes) == 1:
        draw = dealt(names, sizes, "one group: every club")
    else:
        labels = ctx.labels(names, spec.keep_apart)
        what = f"same {spec.keep_apart} kept apart as far as possible" if labels else "none"
        draw = draw_groups(names, sizes, ctx.seed("groups"), labels=labels, constraints=what)
    groups = []
    for i, members in enumerate(draw.groups):
        gname = spec.name if len(sizes) == 1 and spec.name else f"Group {_letters(i)}"
        fixtures = tuple(m for rnd in round_robin(members, spec.legs) for m in rnd)
        groups.append(
            Group(
                gname, members, _matches(fixtures, ctx.spec.neutral), rules.group_rules(), spec.legs
            )
        )
    return tuple(groups), (draw,)


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _where(ctx: _Context, names: Sequence[str]) -> Callable[[str], tuple[float, float]]:
    geo = dict(ctx.pyramid.format.geography)

    def where(club: str) -> tuple[float, float]:
        c = ctx.clubs.get(club)
        dep = c.department if c else ""
        if dep in geo:
            return geo[dep]
        # no coordinates: a fixed pseudo-location from the department's name
        h = derive_seed(0, "where", dep)
        return (-18.0 + (h % 1500) / 100.0, -81.0 + (h // 1500 % 1200) / 100.0)

    return where


def _make_ties(
    ctx: _Context, spec: TieSpec, clubs: Sequence[str], rules: RuleSet
) -> tuple[tuple[Tie, ...], DrawRecord]:
    prev = ctx.previous
    slots: list[tuple[str, str]] | None = None
    if spec.pairing == "draw":
        record = _draw(ctx, spec, clubs)
    elif spec.pairing == "seeded":
        record = seeded_pairs(clubs)
    elif spec.pairing == "slots":
        slot_map = tuple((_ref(a), _ref(b)) for a, b in spec.slots)
        try:
            table = {ref: ctx.places[ref[0]][ref[1] - 1] for pair in slot_map for ref in pair}
        except (KeyError, IndexError):
            raise PyramidError(f"{ctx.spec.name}: a slot of the slot map is not decided") from None
        record = slot_pairs(slot_map, table)
        slots = list(spec.slots)
    elif spec.pairing in ("bracket", "fold"):
        if prev is None or not prev.ties:
            raise PyramidError(f"{ctx.spec.name}: a {spec.pairing} needs a knockout round before")
        winners = [t.winner for t in prev.ties]
        if None in winners or len(winners) % 2:
            raise PyramidError(f"{ctx.spec.name}: the previous round's winners do not pair up")
        w = [c for c in winners if c is not None]
        half = len(w) // 2
        if spec.pairing == "bracket":
            pairs = tuple((w[2 * i], w[2 * i + 1]) for i in range(half))
            how = f"bracket: the winners of {prev.round.name} ties 1 and 2, 3 and 4, ..."
        else:
            pairs = tuple((w[i], w[-1 - i]) for i in range(half))
            how = (
                f"fold: the winners of {prev.round.name} ties 1 and {len(w)}, "
                f"2 and {len(w) - 1}, ..."
            )
        record = DrawRecord("slots", tuple(c for p in pairs for c in p), pairs, constraints=how)
    elif spec.pairing == "crossover":
        if prev is None or len(prev.groups) % 2 or not prev.groups:
            raise PyramidError(f"{ctx.spec.name}: a crossover needs an even number of groups")
        out: list[tuple[str, str]] = []
        for ga, gb in zip(prev.groups[::2], prev.groups[1::2], strict=True):
            out.append((ga.table.club_at(1), gb.table.club_at(2)))
            out.append((gb.table.club_at(1), ga.table.club_at(2)))
        pairs = tuple(out)
        names = [g.group.name for g in prev.groups]
        how = "crossover: " + "; ".join(
            f"1st {x} v 2nd {y}, 1st {y} v 2nd {x}"
            for x, y in zip(names[::2], names[1::2], strict=True)
        )
        record = DrawRecord("slots", tuple(c for p in pairs for c in p), pairs, constraints=how)
    else:
        raise PyramidError(f"unknown pairing {spec.pairing!r} (one of {', '.join(PAIRINGS)})")
    ties = []
    for i, (a, b) in enumerate(record.pairs):
        home, away = (b, a) if spec.better_hosts_second else (a, b)
        legs = [Match(home, away, status=MatchStatus.SCHEDULED, neutral=ctx.spec.neutral)]
        if spec.legs == 2:
            legs.append(Match(away, home, status=MatchStatus.SCHEDULED, neutral=ctx.spec.neutral))
        tie_slots = None
        if slots is not None:
            sa, sb = slots[i]
            tie_slots = (sb, sa) if spec.better_hosts_second else (sa, sb)
        ties.append(Tie((home, away), tuple(legs), rules.tie_rules(), slots=tie_slots))
    return tuple(ties), record


def _ref(ref: str) -> tuple[str, int]:
    slot = SlotRef.parse(ref)
    return slot.stage, slot.place


def _draw(ctx: _Context, spec: TieSpec, clubs: Sequence[str]) -> DrawRecord:
    seed = ctx.seed("draw")
    labels = ctx.labels(clubs, spec.keep_apart)
    seeded: list[str] = []
    prev = ctx.previous
    if spec.seeded == "group_winners" and prev is not None and prev.groups:
        winners = [g.table.club_at(1) for g in prev.groups]
        if len(winners) <= len(clubs) // 2 and all(w in clubs for w in winners):
            seeded = winners
    attempts: list[tuple[dict[str, str], list[str], str]] = []
    if labels:
        attempts.append((labels, seeded, f"same {spec.keep_apart} kept apart"))
    attempts.append(({}, seeded, ""))
    if seeded:
        attempts.append(({}, [], "seeds dropped: no draw keeps them apart"))
    last: DrawError | None = None
    for lab, top, what in attempts:
        keep = None
        if lab:

            def keep(a: str, b: str, lab: dict[str, str] = lab) -> bool:
                return a in lab and lab.get(a) == lab.get(b)

        text = what
        if not lab and labels:
            text = f"same {spec.keep_apart} could not be kept apart" + (f"; {what}" if what else "")
        if top:
            text = (text + "; " if text else "") + f"{len(top)} group winners seeded"
        try:
            return draw_pairs(clubs, seed, keep_apart=keep, seeded=top, constraints=text)
        except DrawError as e:
            last = e
    assert last is not None
    raise PyramidError(f"{ctx.stage.name}, {ctx.spec.name}: {last}")


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
