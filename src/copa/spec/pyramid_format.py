"""Pyramid format files (YAML): how a whole season is built from clubs, level by level.

A pyramid format is the rules as data for :mod:`copa.core.pyramid`: rule sets,
regions, geography and the levels (district, provincial, departmental,
regional, national) with their quotas and rounds. copa ships presets in
``copa/data/pyramids`` (``copa-peru-2011``, ``copa-peru-2019``); the format is
documented in ``docs/pyramid.md``. Errors name the file, the line and the field.
(Not to be confused with the *import* formats of :mod:`copa.spec.formats`, which
describe a season's structure for reading articles.)
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from copa.core.criteria import CRITERIA
from copa.core.points import PointsScheme
from copa.core.pyramid import (
    LABELS,
    PAIRINGS,
    AdaptivePlan,
    GroupSpec,
    Level,
    PyramidFormat,
    RoundSpec,
    RuleSet,
    TieSpec,
    UnitPlan,
)
from copa.core.qualification import BEST_LOSERS_CHAIN, BEST_PLACED_CHAIN, BestPlaced
from copa.core.registry import Registry
from copa.core.season import Promotion
from copa.core.stage import Advance
from copa.core.standings import DEFAULT_CHAIN
from copa.core.tie import DEFAULT_TIE_CHAIN, TIE_CRITERIA
from copa.limits import MAX_PLACE, quote, slot_ref
from copa.spec.files import bundled_names, find
from copa.spec.season_file import (
    ErrorLocator,
    Path_,
    RulesModel,
    SelectionModel,
    StrictModel,
    check_chain,
    load_mapping,
    validate,
)
from copa.spec.structure import include

_M = StrictModel


class AdvanceSpecModel(SelectionModel):
    ranked: bool = False


Label = Literal["", "district", "province", "department", "region", "source", "place", "group"]


class GroupSpecModel(_M):
    sizes: list[int] = []
    count: int = Field(default=0, ge=0, le=MAX_PLACE)
    max_size: int = Field(default=0, ge=0, le=MAX_PLACE)
    legs: int = Field(default=2, ge=1, le=2)
    rivals: int = Field(default=0, ge=0, le=MAX_PLACE)
    rivals_apart: Label = ""
    keep_apart: Label = ""
    name: str = ""


class TieSpecModel(_M):
    pairing: Literal["draw", "seeded", "slots", "bracket", "fold", "crossover"] = "draw"
    legs: int = Field(default=2, ge=1, le=2)
    keep_apart: Label = ""
    seeded: Literal["", "group_winners"] = ""
    slots: list[list[str]] = []
    better_hosts_second: bool = False


class RoundSpecModel(_M):
    name: str
    rules: str
    groups: GroupSpecModel | None = None
    ties: TieSpecModel | None = None
    advance: AdvanceSpecModel = AdvanceSpecModel()
    neutral: bool = False


class UnitPlanModel(_M):
    entrants: int = Field(default=0, ge=0, le=MAX_PLACE)
    places_by_lots: bool = False
    rounds: list[RoundSpecModel]


class PlanModel(_M):
    max_group: int = Field(default=12, ge=3, le=MAX_PLACE)
    group_legs: int = Field(default=2, ge=1, le=2)
    group_rules: str = "league"
    knockout_rules: str = "knockout"
    knockout_legs: int = Field(default=2, ge=1, le=2)
    final_rules: str = "one_match"
    final_legs: int = Field(default=1, ge=1, le=2)
    keep_apart: Label = ""


class LevelModel(_M):
    kind: str
    unit: Literal["district", "province", "department", "region", "nation"]
    title: str
    send: int = Field(default=2, ge=1, le=MAX_PLACE)
    quotas: dict[str, int] = {}
    rounds: UnitPlanModel | None = None
    units: dict[str, UnitPlanModel] = {}
    plan: PlanModel | None = None


class FormatModel(_M):
    structure_kind: ClassVar[str] = "pyramid"
    pyramid: int = 1
    name: str
    competition: str
    #: the season's name in titles ("2025"); default: the format's name and the seed
    season: str = ""
    description: str = ""
    stats_scope: list[str] = []
    promotion: dict[int, str] = {}
    regions: dict[str, list[str]] = {}
    geography: dict[str, list[float]] = {}
    rules: dict[str, RulesModel] = {}
    levels: list[LevelModel] = Field(min_length=1)


def presets() -> list[str]:
    """Names of the shipped pyramid formats."""
    return bundled_names("pyramids")


def parse_pyramid_format(text: str, source: str) -> PyramidFormat:
    """A pyramid format from YAML text; :class:`SeasonFileError` names file, line and field."""
    return _parsed(text, source)[0]


def _parsed(text: str, source: str) -> tuple[PyramidFormat, dict[str, Any]]:
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a pyramid format (levels, rules)")
    data = include(data, "pyramid", err)
    return format_from_data(data, err), data


def format_from_data(data: dict[str, Any], err: ErrorLocator) -> PyramidFormat:
    model = validate(FormatModel, data, err)
    return build_format(model, err)


def pyramid_preset(ref: str) -> tuple[PyramidFormat, dict[str, Any]]:
    """A preset by name (``copa-peru-2019``, or just ``2019``) or a format file by path,
    and its data written out in full (its structure included), to embed in the seasons
    made from it."""
    found = find(
        ref,
        "pyramids",
        what="format file",
        kind="preset",
        names=(ref, f"copa-peru-{ref}"),
        hint="; '2011' and '2019' are short for them",
    )
    return _parsed(found.text, found.source)


def load_pyramid_format(ref: str) -> PyramidFormat:
    """A preset by name (``copa-peru-2019``, or just ``2019``) or a format file by path."""
    return pyramid_preset(ref)[0]


def _chain(
    names: list[str] | None,
    default: tuple[str, ...],
    path: Path_,
    err: ErrorLocator,
    known: Registry[Any] | None = None,
) -> tuple[str, ...]:
    if names is None:
        return default
    return check_chain(names, CRITERIA if known is None else known, path, err)


def build_format(model: FormatModel, err: ErrorLocator) -> PyramidFormat:
    rules = _rulesets(model, err)
    names = {n for n, _ in rules}
    levels = tuple(_level(lv, ("levels", i), names, err) for i, lv in enumerate(model.levels))
    geography = []
    for dept, ll in model.geography.items():
        if len(ll) != 2:
            raise err(("geography", dept), "give [latitude, longitude]")
        geography.append((dept, (float(ll[0]), float(ll[1]))))
    assert set(PAIRINGS) >= {"draw"} and "" in LABELS
    return PyramidFormat(
        model.name,
        model.competition,
        tuple(rules),
        levels,
        tuple((k, tuple(v)) for k, v in model.regions.items()),
        tuple(Promotion(p, d) for p, d in sorted(model.promotion.items())),
        tuple(model.stats_scope),
        tuple(geography),
        model.description,
    )


def _rulesets(model: FormatModel, err: ErrorLocator) -> list[tuple[str, RuleSet]]:
    rules: list[tuple[str, RuleSet]] = []
    for name, r in model.rules.items():
        p: Path_ = ("rules", name)
        pts = r.points
        rules.append(
            (
                name,
                RuleSet(
                    PointsScheme(pts.win, pts.draw, pts.loss) if pts else PointsScheme(),
                    _chain(r.ranking, DEFAULT_CHAIN, (*p, "ranking"), err),
                    _chain(r.tie, DEFAULT_TIE_CHAIN, (*p, "tie"), err, TIE_CRITERIA),
                    r.away_goals_after_extra_time,
                ),
            )
        )
    return rules


def _rule(name: str, names: set[str], path: Path_, err: ErrorLocator) -> str:
    """A rule set's name, once the format defines it."""
    if name not in names:
        raise err(path, f"unknown rule set {quote(name)} (defined: {', '.join(names) or 'none'})")
    return name


def _level(lv: LevelModel, lp: Path_, names: set[str], err: ErrorLocator) -> Level:
    if "{unit}" not in lv.title and lv.unit != "nation":
        raise err((*lp, "title"), "the title names each unit's stage: put {unit} in it")
    plan = None
    if lv.plan is not None:
        pl = lv.plan
        for key in ("group_rules", "knockout_rules", "final_rules"):
            _rule(getattr(pl, key), names, (*lp, "plan", key), err)
        plan = AdaptivePlan(
            pl.max_group,
            pl.group_legs,
            pl.group_rules,
            pl.knockout_rules,
            pl.knockout_legs,
            pl.final_rules,
            pl.final_legs,
            pl.keep_apart,
        )
    fixed = _unit_plan(lv.rounds, (*lp, "rounds"), names, err) if lv.rounds is not None else None
    units = tuple((u, _unit_plan(p, (*lp, "units", u), names, err)) for u, p in lv.units.items())
    if plan is None and fixed is None and len(units) == 0:
        raise err(lp, "a level needs rounds, units or an adaptive plan")
    return Level(lv.kind, lv.unit, lv.title, lv.send, tuple(lv.quotas.items()), fixed, units, plan)


def _unit_plan(plan: UnitPlanModel, path: Path_, names: set[str], err: ErrorLocator) -> UnitPlan:
    out = []
    for i, r in enumerate(plan.rounds):
        rp: Path_ = (*path, "rounds", i)
        if (r.groups is None) == (r.ties is None):
            raise err(rp, "a round has groups or ties (one of them)")
        adv = _advance(r.advance, rp, err)
        groups = _group_spec(r.groups) if r.groups is not None else None
        ties = _tie_spec(r.ties, rp, err) if r.ties is not None else None
        out.append(
            RoundSpec(
                r.name, _rule(r.rules, names, (*rp, "rules"), err), adv, groups, ties, r.neutral
            )
        )
    return UnitPlan(tuple(out), plan.entrants, plan.places_by_lots)


def _advance(a: AdvanceSpecModel, rp: Path_, err: ErrorLocator) -> Advance:
    return Advance(
        a.top,
        tuple(
            BestPlaced(
                b.place,
                b.count,
                _chain(b.ranking, BEST_PLACED_CHAIN, (*rp, "advance", "best", j), err),
                b.fair,
            )
            for j, b in enumerate(a.best)
        ),
        a.winners,
        a.best_losers,
        _chain(a.best_losers_ranking, BEST_LOSERS_CHAIN, (*rp, "advance"), err),
        ranked=a.ranked,
    )


def _group_spec(g: GroupSpecModel) -> GroupSpec:
    return GroupSpec(
        tuple(g.sizes), g.count, g.max_size, g.legs, g.rivals, g.rivals_apart, g.keep_apart, g.name
    )


def _tie_spec(t: TieSpecModel, rp: Path_, err: ErrorLocator) -> TieSpec:
    slots = []
    for j, pair in enumerate(t.slots):
        if len(pair) != 2 or not all(slot_ref(ref) for ref in pair):
            raise err((*rp, "ties", "slots", j), "a slot pairing is [Stage/place, Stage/place]")
        slots.append((pair[0], pair[1]))
    if t.pairing == "slots" and not slots:
        raise err((*rp, "ties", "slots"), "a slot pairing needs its slots")
    return TieSpec(t.pairing, t.legs, t.keep_apart, t.seeded, tuple(slots), t.better_hosts_second)
