"""Ranking criteria: a registry of small named metrics.

A season file orders these names per stage and round; the ranking algorithm
in :mod:`copa.core.standings` applies them one after another to clubs still
level. Each criterion gives every club of a tied *block* a key (higher ranks
first), or says it cannot apply, or that the rules need something not yet
recorded (a deciding match, a drawing of lots).

*Contextual* criteria (head-to-head, deciding match) are computed among the
tied clubs only, so they are re-applied when a subset separates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import cast

from copa.core.match import Match
from copa.core.points import DEFAULT, PointsScheme
from copa.core.record import Record, tally
from copa.core.registry import Registry

Key = int | float | tuple[int, ...] | tuple[int, Fraction]


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a criterion says about a tied block."""

    keys: Mapping[str, Key] | None = None
    pending: str | None = None


@dataclass(frozen=True)
class RankingContext:
    """Everything a criterion may look at."""

    records: Mapping[str, Record]
    matches: Sequence[Match] = ()
    scheme: PointsScheme = DEFAULT
    deciders: Sequence[Match] = ()
    lots: Sequence[str] = ()
    #: positions (1-based) with a qualification line right below them
    boundaries: frozenset[int] = field(default_factory=frozenset)
    #: figures per club given as data, by name: ``fair_play`` (points from cards, fewer
    #: is better), ``coefficient`` (a federation coefficient), ``seeding`` (place in a list)
    data: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    #: computed once, shared by the criteria (the head-to-head grid, mini-tables)
    cache: dict[object, object] = field(default_factory=dict, compare=False, repr=False)


KeyFunction = Callable[[Sequence[str], int, RankingContext], Verdict]


@dataclass(frozen=True, slots=True)
class Criterion:
    """A named ranking criterion: one entry of :data:`CRITERIA`.

    The registry is the only list of criteria: the spec checks names against it,
    and ``docs/rules.md`` and the error messages list its entries.
    """

    #: the name a season file uses ("goal_difference")
    name: str
    #: what a decision says it was made on ("goal difference")
    label: str
    #: the short form a table's header or a narrow column shows
    abbreviation: str
    #: computed among the tied clubs only (see the module's docstring)
    contextual: bool
    key: KeyFunction
    #: whether it needs goals (it cannot rank clubs with a match whose score is unknown)
    uses_goals: bool = False
    #: a record field that orders clubs on its own (used by the fast path)
    field: str | None = None
    #: criteria of one family next to each other act as one compound step
    family: str | None = None


CRITERIA: Registry[Criterion] = Registry("criterion")


def register(
    name: str, label: str, abbr: str, *, contextual: bool = False, uses_goals: bool = False
) -> Callable[[KeyFunction], KeyFunction]:
    def wrap(fn: KeyFunction) -> KeyFunction:
        CRITERIA.add(Criterion(name, label, abbr, contextual, fn, uses_goals=uses_goals))
        return fn

    return wrap


def _field(name: str, label: str, abbr: str, attr: str, sign: int = 1) -> None:
    def key(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
        recs = ctx.records
        return Verdict({c: sign * getattr(recs[c], attr) for c in block})

    CRITERIA.add(
        Criterion(
            name,
            label,
            abbr,
            False,
            key,
            uses_goals=attr in _GOAL_FIELDS,
            field=attr if sign == 1 else None,
        )
    )


_GOAL_FIELDS = frozenset({"goal_difference", "goals_for", "goals_against", "away_goals"})


_field("points", "points", "Pts", "points")
_field("goal_difference", "goal difference", "GD", "goal_difference")
_field("goals_for", "goals scored", "GF", "goals_for")
_field("goals_against", "goals conceded", "GA", "goals_against", -1)
_field("wins", "wins", "W", "won")
_field("away_goals", "away goals", "AG", "away_goals")
_field("away_wins", "away wins", "AW", "away_wins")


@register("goal_average", "goal average", "GAv", uses_goals=True)
def _goal_average(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
    """Goals scored divided by goals conceded, exactly (the Football League's rule to 1976).

    A club that conceded no goal has no finite average: it ranks above every
    club that conceded, and such clubs rank among themselves by goals scored
    (so 0 scored, 0 conceded is below 1-0 and above every club that conceded).
    """
    keys: dict[str, Key] = {}
    for c in block:
        r = ctx.records[c]
        against = r.goals_against
        keys[c] = (
            (1, Fraction(r.goals_for)) if against == 0 else (0, Fraction(r.goals_for, against))
        )
    return Verdict(keys)


def _mini(block: Sequence[str], ctx: RankingContext) -> dict[str, Record]:
    """Records over the matches among ``block`` only, computed once per block."""
    key = ("mini", frozenset(block))
    cached = ctx.cache.get(key)
    if cached is not None:
        return cast(dict[str, Record], cached)
    pairs = cast(dict[tuple[str, str], list[Match]] | None, ctx.cache.get("pairs"))
    if pairs is None:
        pairs = {}
        for m in ctx.matches:
            pairs.setdefault((m.home, m.away), []).append(m)
        ctx.cache["pairs"] = pairs
    among = [m for a in block for b in block if a != b for m in pairs.get((a, b), ())]
    mini = tally(block, among, ctx.scheme)
    ctx.cache[key] = mini
    return mini


def _h2h(
    name: str, label: str, abbr: str, pick: Callable[[Record], Key], *, goals: bool = True
) -> None:
    def key(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
        mini = _mini(block, ctx)
        return Verdict({c: pick(mini[c]) for c in block})

    CRITERIA.add(Criterion(name, label, abbr, True, key, uses_goals=goals, family="head_to_head"))


_h2h("head_to_head", "head-to-head", "H2H", lambda r: (r.points, r.goal_difference, r.goals_for))
_h2h("head_to_head_points", "head-to-head points", "H2H Pts", lambda r: r.points, goals=False)
_h2h(
    "head_to_head_goal_difference",
    "head-to-head goal difference",
    "H2H GD",
    lambda r: r.goal_difference,
)
_h2h("head_to_head_goals_for", "head-to-head goals scored", "H2H GF", lambda r: r.goals_for)
_h2h("head_to_head_away_goals", "head-to-head away goals", "H2H AG", lambda r: r.away_goals)


def points_in(m: Match, club: str, scheme: PointsScheme) -> int:
    """Points ``club`` won in ``m``; a match with unknown goals counts by its recorded winner."""
    f = m.final
    if f is not None:
        mine, theirs = (f.home, f.away) if club == m.home else (f.away, f.home)
        return scheme.for_goals(mine, theirs)
    if m.penalties is not None:  # level when play ended
        return scheme.draw
    return scheme.win if m.winner == club else scheme.loss


@register("relative_points", "relative points", "RPts")
def _relative_points(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
    """2019 national stage: points won against each rival times the rival's final points."""
    recs = ctx.records
    scheme = ctx.scheme
    wanted = set(block)
    totals = dict.fromkeys(block, 0)
    for m in ctx.matches:
        if not m.counts:
            continue
        for club in (m.home, m.away):
            if club in wanted:
                rival = recs.get(m.opponent(club))
                totals[club] += points_in(m, club, scheme) * (rival.points if rival else 0)
    return Verdict(totals)


@register("away_points", "points won away", "APts")
def _away_points(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
    """2019 national stage, "best away record": points won in the matches a club played away.

    The away side is the one listed second; extra time counts, as in the table.
    """
    scheme = ctx.scheme
    wanted = set(block)
    totals = dict.fromkeys(block, 0)
    for m in ctx.matches:
        if m.counts and m.away in wanted:
            totals[m.away] += points_in(m, m.away, scheme)
    return Verdict(totals)


def _given(name: str, label: str, abbr: str, what: str, sign: int) -> None:
    """A criterion on a figure given as data per club (not computed from matches)."""

    def key(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
        values = ctx.data.get(name, {})
        missing = [c for c in block if c not in values]
        if missing:
            return Verdict(pending=f"{what} of {' and '.join(sorted(missing))} not recorded")
        return Verdict({c: sign * values[c] for c in block})

    CRITERIA.add(Criterion(name, label, abbr, False, key))


def given_data(
    fair_play: Iterable[tuple[str, int]] = (),
    coefficients: Iterable[tuple[str, float]] = (),
    seeding: Sequence[str] = (),
) -> dict[str, dict[str, float]]:
    """The figures the data criteria read, from a group's or a round's records:
    fair-play points per club, a coefficient per club, a seeding list (best first)."""
    data: dict[str, dict[str, float]] = {}
    if points := dict(fair_play):
        data["fair_play"] = dict(points)
    if coefs := dict(coefficients):
        data["coefficient"] = coefs
    if seeding:
        data["seeding"] = {c: i + 1 for i, c in enumerate(seeding)}
    return data


_given("fair_play", "fair play (fewer points from cards)", "FP", "the fair-play points", -1)
_given("coefficient", "coefficient", "Coef", "the coefficient", 1)
_given("seeding", "seeding list", "Seed", "the place in the seeding list", -1)


@register(
    "head_to_head_level_on_points",
    "head-to-head among all clubs level on points",
    "H2H all",
    uses_goals=True,
)
def _head_to_head_level_on_points(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
    """The mini-league of *every* club level on points with each club, whatever the
    criteria before it did (Euro/Champions League group rules), beside ``head_to_head``:
    the mini-league of the clubs still level where it comes in the chain, re-applied.
    Points, then goal difference, then goals scored in that mini-league."""
    recs = ctx.records
    keys: dict[str, Key] = {}
    for c in block:
        level = [d for d in recs if recs[d].points == recs[c].points]
        mini = _mini(level, ctx)
        r = mini[c]
        keys[c] = (r.points, r.goal_difference, r.goals_for)
    return Verdict(keys)


def straddles(block_size: int, start: int, boundaries: frozenset[int]) -> bool:
    """Whether places start+1 .. start+block_size cross a qualification line."""
    return any(start + 1 <= b < start + block_size for b in boundaries)


@register("deciding_match", "deciding match", "DM", contextual=True)
def _deciding_match(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
    """Clubs level at a qualification line play a deciding match; elsewhere it does not apply."""
    if not straddles(len(block), start, ctx.boundaries):
        return Verdict()
    members = set(block)
    played = [m for m in ctx.deciders if m.home in members and m.away in members]
    wins = dict.fromkeys(block, 0)
    for m in played:
        winner = m.winner if m.counts else None
        if winner is not None:
            wins[winner] += 1
    if not any(wins.values()):
        names = " and ".join(sorted(block))
        what = "has no winner yet" if played else "is needed"
        return Verdict(pending=f"a deciding match between {names} {what}")
    return Verdict(wins)


@register("lots", "drawing of lots", "Lots", contextual=True)
def _lots(block: Sequence[str], start: int, ctx: RankingContext) -> Verdict:
    """Lots are drawn by people and recorded; the engine never draws them.

    Like a deciding match, lots are only needed where clubs level on
    everything straddle a qualification line; elsewhere they share a place.
    """
    if not straddles(len(block), start, ctx.boundaries):
        return Verdict()
    order = {club: i for i, club in enumerate(ctx.lots)}
    if all(c in order for c in block):
        return Verdict({c: -order[c] for c in block})
    return Verdict(pending=f"a drawing of lots between {' and '.join(sorted(block))} is needed")


def criterion(name: str) -> Criterion:
    """The registered criterion called ``name``; ``KeyError`` lists the known ones."""
    return CRITERIA[name]
