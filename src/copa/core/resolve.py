"""Play a season out: tables, ties, qualifiers and places, stage by stage.

Everything here is derived from the season's results; nothing recorded is
trusted without a check. What the rules cannot settle yet, or where a
recorded claim disagrees, becomes an :class:`~copa.core.issues.Issue`.

Resolution can be incremental: pass the same :class:`ResolveCache` to
successive calls and every round and stage object that is *the same object*
as last time (frozen dataclasses allow a changed season to share all its
unchanged parts) is not recomputed. A round's result depends only on the
round; a stage's result on the stage and the earlier places it refers to.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from copa.core.group import Group
from copa.core.issues import Issue, Severity
from copa.core.match import Match
from copa.core.qualification import Selection, best_losers, best_placed, top
from copa.core.season import Season
from copa.core.stage import Round, Stage
from copa.core.standings import Table
from copa.core.tie import Tie, TieResult, TieRules, resolve_tie

SINGLE_MATCH = TieRules(("score", "extra_time", "penalties"))


@dataclass(frozen=True)
class GroupResult:
    group: Group
    table: Table
    qualified: tuple[str, ...]
    #: deciding matches between clubs level in the group, each as a one-match tie
    deciders: tuple[TieResult, ...] = ()


@dataclass(frozen=True)
class RoundResult:
    stage: str
    round: Round
    groups: tuple[GroupResult, ...]
    ties: tuple[TieResult, ...]
    selections: tuple[Selection, ...]
    qualifiers: tuple[str, ...]
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class StageResult:
    stage: Stage
    rounds: tuple[RoundResult, ...]
    #: the clubs that leave the stage, in place order (champion first)
    places: tuple[str, ...]
    #: how the places were decided: "final", a designation's ``by``, or "undecided"
    places_by: str
    places_reason: str = ""
    issues: tuple[Issue, ...] = ()


@dataclass(frozen=True)
class SeasonResult:
    """One immutable result from which every table, bracket and figure is derived."""

    season: Season
    stages: tuple[StageResult, ...]
    champion: str | None
    runner_up: str | None
    promoted: tuple[tuple[str, str], ...]
    issues: tuple[Issue, ...]

    def stage(self, name: str) -> StageResult:
        for s in self.stages:
            if s.stage.name == name:
                return s
        raise KeyError(f"no stage {name!r}")

    def rounds(self) -> Iterator[RoundResult]:
        for s in self.stages:
            yield from s.rounds

    def group_results(self) -> Iterator[GroupResult]:
        for r in self.rounds():
            yield from r.groups

    def tie_results(self) -> Iterator[TieResult]:
        for r in self.rounds():
            yield from r.ties

    def matches(self, scope: tuple[str, ...] | None = None) -> Iterator[tuple[StageResult, Match]]:
        """Every match with its stage; ``scope`` keeps stages whose kind or name it lists."""
        for s in self.stages:
            if scope and s.stage.kind not in scope and s.stage.name not in scope:
                continue
            for r in s.rounds:
                for g in r.groups:
                    for m in g.group.matches:
                        yield s, m
                    for m in g.group.deciders:
                        yield s, m
                for t in r.ties:
                    for m in t.tie.matches:
                        yield s, m

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)


class ResolveCache:
    """Results of rounds and stages kept by object identity, for incremental resolution.

    Entries hold the object they were computed for, so an identity is never
    mistaken for a new object at a reused address. Each :func:`resolve` keeps
    only what the season it resolved still uses, so the cache stays the size
    of one season's results. ``hits`` and ``misses`` count rounds and stages.
    """

    def __init__(self) -> None:
        self.rounds: dict[int, tuple[Round, RoundResult]] = {}
        self.stages: dict[int, tuple[Stage, tuple[str | None, ...], StageResult]] = {}
        self._next_rounds: dict[int, tuple[Round, RoundResult]] = {}
        self._next_stages: dict[int, tuple[Stage, tuple[str | None, ...], StageResult]] = {}
        self.hits = 0
        self.misses = 0

    def round(self, stage: str, rnd: Round) -> RoundResult:
        got = self.rounds.get(id(rnd))
        if got is not None and got[0] is rnd and got[1].stage == stage:
            self.hits += 1
            result = got[1]
        else:
            self.misses += 1
            result = resolve_round(stage, rnd)
        self._next_rounds[id(rnd)] = (rnd, result)
        return result

    def _turn(self) -> None:
        self.rounds, self._next_rounds = self._next_rounds, {}
        self.stages, self._next_stages = self._next_stages, {}


def stage_inputs(stage: Stage, places: Mapping[str, tuple[str, ...]]) -> tuple[str | None, ...]:
    """The earlier places a stage's result depends on: its entrants and its tie slots."""
    refs = list(stage.entrants_from)
    for rnd in stage.rounds:
        for tie in rnd.ties:
            if tie.slots is not None:
                refs.extend(tie.slots)
    return tuple(resolve_slot(ref, places) for ref in refs)


def resolve_slot(ref: str, places: Mapping[str, tuple[str, ...]]) -> str | None:
    """``"Region I/1"`` -> the club placed 1st in stage Region I, once known."""
    stage, _, place = ref.rpartition("/")
    got = places.get(stage, ())
    n = int(place)
    return got[n - 1] if 0 < n <= len(got) else None


def resolve_round(stage: str, rnd: Round) -> RoundResult:
    where = f"{stage}, {rnd.name}"
    issues: list[Issue] = []
    adv = rnd.advance
    group_results: list[GroupResult] = []
    selections: list[Selection] = []
    qualifiers: list[str] = []
    if rnd.groups:
        bounds = adv.boundaries()
        tables = [g.table(bounds) for g in rnd.groups]
        for g, t in zip(rnd.groups, tables, strict=True):
            deciders = tuple(
                resolve_tie(Tie((m.home, m.away), (m,), SINGLE_MATCH)) for m in g.deciders
            )
            for d in deciders:
                issues.extend(Issue(i.severity, i.message, f"{where}, {g.name}") for i in d.issues)
            issues.extend(Issue(Severity.PENDING, p, f"{where}, {g.name}") for p in t.pending)
            group_results.append(GroupResult(g, t, top(t, adv.top), deciders))
        for place in range(1, adv.top + 1):
            qualifiers.extend(t.club_at(place) for t in tables if place <= len(t.standings))
        for spec in adv.best:
            sel = best_placed(rnd.groups, tables, spec, adv.lots)
            selections.append(sel)
            qualifiers.extend(sel.chosen)
            issues.extend(Issue(Severity.PENDING, p, where) for p in sel.ranking.pending)
    results = tuple(resolve_tie(t) for t in rnd.ties)
    for r in results:
        a, b = r.tie.teams
        issues.extend(Issue(i.severity, i.message, f"{where}, {a} v {b}") for i in r.issues)
    if adv.winners:
        qualifiers.extend(r.winner for r in results if r.winner is not None)
    if adv.best_losers:
        sel = best_losers(results, adv.best_losers, adv.best_losers_chain, adv.lots)
        selections.append(sel)
        qualifiers.extend(sel.chosen)
        issues.extend(Issue(Severity.PENDING, p, where) for p in sel.ranking.pending)
    for designation in adv.designated:
        qualifiers.extend(c for c in designation.order if c not in qualifiers)
    return RoundResult(
        stage,
        rnd,
        tuple(group_results),
        results,
        tuple(selections),
        tuple(qualifiers),
        tuple(issues),
    )


def resolve_stage(
    stage: Stage, places: Mapping[str, tuple[str, ...]], cache: ResolveCache | None = None
) -> StageResult:
    """Play out one stage; ``places`` holds the decided places of earlier stages."""
    issues: list[Issue] = []
    expected: tuple[str, ...] | None = stage.entrants or None
    if stage.entrants_from:
        got = [resolve_slot(ref, places) for ref in stage.entrants_from]
        if None in got:
            waiting = [r for r, c in zip(stage.entrants_from, got, strict=True) if c is None]
            more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
            issues.append(
                Issue(
                    Severity.PENDING,
                    f"{len(got) - len(waiting)} of {len(got)} entrants known "
                    f"(waiting for {', '.join(waiting[:3])}{more})",
                    stage.name,
                )
            )
            expected = None
        else:
            expected = tuple(c for c in got if c is not None)
    if not stage.rounds and stage.places is None:
        if expected is not None:
            issues.append(
                Issue(Severity.PENDING, "entrants known: the first round can be drawn", stage.name)
            )
        return StageResult(stage, (), (), "undecided", "", tuple(issues))
    rounds: list[RoundResult] = []
    carried: tuple[str, ...] | None = expected
    for rnd in stage.rounds:
        where = f"{stage.name}, {rnd.name}"
        expected = _round_entrants(rnd, rounds, carried)
        for tie in rnd.ties:
            if tie.slots is None:
                continue
            slot_clubs = tuple(resolve_slot(s, places) for s in tie.slots)
            if None in slot_clubs:
                issues.append(
                    Issue(Severity.PENDING, f"slots {' v '.join(tie.slots)} not filled yet", where)
                )
            elif set(slot_clubs) != set(tie.teams):
                issues.append(
                    Issue(
                        Severity.CONFLICT,
                        f"slots {' v '.join(tie.slots)} give "
                        f"{' v '.join(str(c) for c in slot_clubs)}, "
                        f"but the tie is {' v '.join(tie.teams)}",
                        where,
                    )
                )
        if expected is not None:
            have = set(rnd.clubs)
            missing = [c for c in expected if c not in have]
            extra = [c for c in rnd.clubs if c not in set(expected)]
            if missing:
                issues.append(
                    Issue(
                        Severity.CONFLICT, f"qualified but not playing: {', '.join(missing)}", where
                    )
                )
            if extra:
                issues.append(
                    Issue(
                        Severity.CONFLICT, f"playing but not qualified: {', '.join(extra)}", where
                    )
                )
        result = cache.round(stage.name, rnd) if cache else resolve_round(stage.name, rnd)
        rounds.append(result)
        issues.extend(result.issues)
        if rnd.losers_from:  # a side round: its qualifiers join the next round's
            carried = None if carried is None else (*carried, *result.qualifiers)
        else:
            carried = result.qualifiers
    if stage.planned > len(stage.rounds) and stage.places is None:
        issues.append(
            Issue(
                Severity.PENDING,
                f"{len(stage.rounds)} of {stage.planned} rounds drawn so far",
                stage.name,
            )
        )
        return StageResult(stage, tuple(rounds), (), "undecided", "", tuple(issues))
    return _places(stage, tuple(rounds), issues)


def _round_entrants(
    rnd: Round, done: list[RoundResult], carried: tuple[str, ...] | None
) -> tuple[str, ...] | None:
    """The clubs a round must have: the qualifiers carried on (or, for a side round, the
    beaten clubs of the rounds it names), plus the clubs that enter at this round."""
    if rnd.losers_from:
        beaten: list[str] = []
        for r in done:
            if r.round.name in rnd.losers_from:
                beaten.extend(_losers(r))
        return (*beaten, *rnd.entrants)
    if carried is None:
        return None  # the stage's first round with no entrants listed: any clubs
    return (*carried, *rnd.entrants)


def _losers(r: RoundResult) -> list[str]:
    out = [t.loser for t in r.ties if t.loser is not None]
    out += [s.club for g in r.groups for s in g.table.standings if s.club not in r.qualifiers]
    return out


def _places(stage: Stage, rounds: tuple[RoundResult, ...], issues: list[Issue]) -> StageResult:
    third = next((r for r in rounds if r.round.third_place), None)
    main = tuple(r for r in rounds if not r.round.losers_from)
    if third is not None and main and stage.places is None:
        result = _places(stage, main, issues)
        t = third.ties[0] if len(third.ties) == 1 else None
        if len(result.places) == 2 and t is not None and t.winner and t.loser:
            return StageResult(
                stage, rounds, (*result.places, t.winner, t.loser), "final", "", tuple(issues)
            )
        return StageResult(stage, rounds, result.places, result.places_by, "", tuple(issues))
    last = rounds[-1] if rounds else None
    if stage.places is not None:
        d = stage.places
        if last is not None and set(d.order) != set(last.qualifiers):
            issues.append(
                Issue(
                    Severity.CONFLICT,
                    f"places set by {d.by} ({', '.join(d.order)}) are not the clubs that qualified "
                    f"({', '.join(last.qualifiers)})",
                    stage.name,
                )
            )
        return StageResult(stage, rounds, d.order, d.by, d.reason, tuple(issues))
    if last is not None and len(last.ties) == 1 and not last.groups:
        final = last.ties[0]
        if final.winner is not None and final.loser is not None:
            return StageResult(
                stage, rounds, (final.winner, final.loser), "final", "", tuple(issues)
            )
        return StageResult(stage, rounds, (), "undecided", "", tuple(issues))
    if last is not None and len(last.groups) == 1 and not last.ties and not last.round.advance.best:
        # a league: its table orders the clubs that go on, once nothing in it is pending
        if last.issues or len(last.qualifiers) != last.round.advance.top:
            return StageResult(stage, rounds, (), "undecided", "", tuple(issues))
        return StageResult(stage, rounds, last.qualifiers, "final", "", tuple(issues))
    qualified = last.qualifiers if last else ()
    if len(qualified) > 1:
        issues.append(
            Issue(Severity.PENDING, "the order of the stage's places is not decided", stage.name)
        )
    return StageResult(
        stage, rounds, qualified, "undecided" if len(qualified) > 1 else "final", "", tuple(issues)
    )


def resolve(season: Season, cache: ResolveCache | None = None) -> SeasonResult:
    """Play out every stage in order; later stages draw on earlier stages' places.

    Only decided places are passed on: a stage whose places are ``undecided``
    fills no slot of a later stage. With a ``cache`` (see :class:`ResolveCache`)
    unchanged rounds and stages are not recomputed.
    """
    places: dict[str, tuple[str, ...]] = {}
    results: list[StageResult] = []
    issues: list[Issue] = []
    for stage in season.stages:
        if cache is None:
            sr = resolve_stage(stage, places)
        else:
            inputs = stage_inputs(stage, places)
            got = cache.stages.get(id(stage))
            if got is not None and got[0] is stage and got[1] == inputs:
                cache.hits += 1
                sr = got[2]
                for rnd, rr in zip(stage.rounds, sr.rounds, strict=True):
                    cache._next_rounds[id(rnd)] = (rnd, rr)
            else:
                sr = resolve_stage(stage, places, cache)
            cache._next_stages[id(stage)] = (stage, inputs, sr)
        places[stage.name] = sr.places if sr.places_by != "undecided" else ()
        results.append(sr)
        issues.extend(sr.issues)
    if cache is not None:
        cache._turn()
    final = results[-1].places if results else ()
    decided = bool(results) and results[-1].places_by == "final"
    champion = final[0] if decided and final else None
    runner_up = final[1] if decided and len(final) > 1 else None
    promoted = tuple(
        (final[p.place - 1], p.destination)
        for p in season.promotions
        if decided and p.place <= len(final)
    )
    return SeasonResult(season, tuple(results), champion, runner_up, promoted, tuple(issues))
