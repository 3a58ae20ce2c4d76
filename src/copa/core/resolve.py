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

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter

from copa.core.criteria import given_data
from copa.core.group import Group
from copa.core.issues import Issue, Severity
from copa.core.match import Match, MatchStatus
from copa.core.progress import (
    Outlook,
    Status,
    final_spans,
    level_runs,
    placed_statuses,
    positions,
)
from copa.core.qualification import BestPlaced, Selection, best_losers, best_placed, top
from copa.core.record import Record, tally
from copa.core.season import Season
from copa.core.slot import SlotRef
from copa.core.stage import Advance, Round, Stage
from copa.core.standings import Table, table
from copa.core.tie import Tie, TieResult, TieRules, resolve_tie

SINGLE_MATCH = TieRules(("score", "extra_time", "penalties"))
_REMAINING = attrgetter("remaining")
_STATUS = attrgetter("status")


@dataclass(frozen=True)
class GroupResult:
    """A group played out: its table, who qualified, what is still to play."""

    group: Group
    table: Table
    qualified: tuple[str, ...]
    #: deciding matches between clubs level in the group, each as a one-match tie
    deciders: tuple[TieResult, ...] = ()
    #: the fixtures still to play; while there are any the table is provisional
    remaining: tuple[Match, ...] = ()
    #: every club's best and worst final place and status, in table order
    outlook: tuple[Outlook, ...] = ()

    @property
    def complete(self) -> bool:
        """No fixture of the group is still to play."""
        return not self.remaining

    def outlook_of(self, club: str) -> Outlook:
        for o in self.outlook:
            if o.club == club:
                return o
        raise KeyError(club)


@dataclass(frozen=True)
class RoundResult:
    """A round played out: its groups and ties, and the clubs it sends on.

    ``selections`` are its comparisons across groups or ties (best placed,
    best losers), each with the ranking that explains whom it chose.
    """

    stage: str
    round: Round
    groups: tuple[GroupResult, ...]
    ties: tuple[TieResult, ...]
    selections: tuple[Selection, ...]
    qualifiers: tuple[str, ...]
    issues: tuple[Issue, ...] = ()
    #: whether each club goes on from this round: qualified, out or still open
    statuses: Mapping[str, Status] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        """Every group and tie of the round has all its matches played."""
        groups_left = any(map(_REMAINING, self.groups))  # GroupResult.complete, at C speed
        return not groups_left and all(t.complete for t in self.ties)

    def status_of(self, club: str) -> Status:
        """Whether ``club`` goes on from this round (``out`` for clubs not in it)."""
        return self.statuses.get(club, Status.OUT)

    def remaining(self) -> tuple[Match, ...]:
        """The round's fixtures still to play: group matches, then tie legs."""
        left = [m for g in self.groups for m in g.remaining]
        for t in self.ties:
            left.extend(m for m in t.tie.matches if m.status is MatchStatus.SCHEDULED)
        return tuple(left)


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

    @property
    def complete(self) -> bool:
        """Drawn to its last planned round, and every match of every round played."""
        st = self.stage
        drawn = bool(st.rounds) or st.places is not None
        return drawn and st.planned <= len(st.rounds) and all(r.complete for r in self.rounds)

    def remaining(self) -> tuple[Match, ...]:
        return tuple(m for r in self.rounds for m in r.remaining())


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
    def complete(self) -> bool:
        """Every stage drawn and played to the end."""
        return all(s.complete for s in self.stages)

    @property
    def matches_total(self) -> int:
        """Every fixture listed so far (stages not drawn yet have none)."""
        return sum(1 for _ in self.matches())

    @property
    def matches_played(self) -> int:
        """Fixtures no longer scheduled (played, awarded, walkovers, not played, annulled)."""
        return sum(1 for _, m in self.matches() if m.status is not MatchStatus.SCHEDULED)

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
    slot = SlotRef.read(ref)
    return slot.club(places) if slot is not None else None


def impossible_slots(refs: tuple[str, ...], places: Mapping[str, tuple[str, ...]]) -> list[str]:
    """Slots naming a place that a decided earlier stage does not have (``Region II/3``
    when Region II placed two clubs): these will never be filled."""
    return _never_filled(refs, [SlotRef.read(ref) for ref in refs], places)


def _never_filled(
    refs: Sequence[str], slots: Sequence[SlotRef | None], places: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """:func:`impossible_slots` for slots already read (``slots``: each of ``refs`` read)."""
    out = []
    for ref, slot in zip(refs, slots, strict=True):
        if slot is None:
            out.append(f"{ref} (not 'Stage/place')")
            continue
        got = places.get(slot.stage, ())
        if got and slot.club(places) is None:
            out.append(f"{ref} ({slot.stage} placed {len(got)})")
    return out


def _spans(
    g: Group, t: Table, records: Mapping[str, Record], remaining: tuple[Match, ...]
) -> dict[str, tuple[int, int]]:
    """Best and worst final place of every club of a group; ``records`` are the ones its
    table ranks (adjustments included)."""
    if not remaining:
        spans = final_spans(t)
        if t.pending:
            _widen_pending(g, t, g.points_adjustments(), spans)
        return spans
    members = set(g.clubs)
    left = [(m.home, m.away) for m in remaining if m.home in members and m.away in members]
    return positions(g.clubs, records, left, g.rules.scheme, g.rules.chain, played=g.matches)


def _widen_pending(
    g: Group, t: Table, adjust: dict[str, int], spans: dict[str, tuple[int, int]]
) -> None:
    """Clubs level at a line whose deciding match or lots are still to come share its places.

    The table orders them by the criteria after the pending one, but until the
    match is played or the lots drawn their places are not decided.
    """
    chain = g.rules.chain
    for i, name in enumerate(chain):
        if name not in ("deciding_match", "lots"):
            continue
        prefix = table(g.name, g.clubs, g.matches, g.rules.scheme, chain[:i], adjustments=adjust)
        order = [s.club for s in prefix.standings]
        runs = level_runs(order, [sep.criterion for sep in prefix.separations])
        for club, (lo, hi) in runs.items():
            if lo == hi:
                continue
            block = sorted(order[lo - 1 : hi])
            needle = f"between {' and '.join(block)} "
            if any(needle in p for p in t.pending):
                a, b = spans[club]
                spans[club] = (min(a, lo), max(b, hi))


def _group_status(
    club: str, best: int, worst: int, top_n: int, by_place: Mapping[int, list[Selection]]
) -> Status:
    """Qualified when every place the club can still finish in takes it on (inside the
    line, or a best-placed comparison it is certain to win from there); out when none can.
    ``by_place`` holds the round's best-placed selections by the place they compare."""
    if worst <= top_n:
        return Status.QUALIFIED
    if not by_place:  # no place past the line takes a club on
        return Status.OUT if best > top_n else Status.OPEN
    qualified = out = other = False  # what some place the club may finish in gives it
    for place in range(best, worst + 1):
        if place <= top_n:
            qualified = True
            continue
        got = [sel.status_of(club) for sel in by_place.get(place, ())]
        if Status.QUALIFIED in got:
            qualified = True
        elif Status.OPEN not in got:  # every one out (or none there)
            out = True
        else:
            other = True
    if not (out or other):
        return Status.QUALIFIED
    if not (qualified or other):
        return Status.OUT
    return Status.OPEN


def _placed_bounds(
    groups: tuple[Group, ...],
    tallied: list[dict[str, Record]],
    spans: list[dict[str, tuple[int, int]]],
    lefts: list[tuple[Match, ...]],
    spec: BestPlaced,
) -> dict[str, Status]:
    """Statuses in a best-``spec.place``-placed comparison while groups are in progress.

    A group's candidate is one of the clubs whose proved span holds the place;
    each can end with its points over the group's matches (the comparison's
    record, no adjustments: ``tallied``, the tables' records, less them) plus a loss
    or a win in every fixture it has left.
    Nothing is claimed when the comparison is not led by points, or when
    ``fair`` records (matches against the smallest group's size only) differ
    between groups of different sizes.
    """
    if not spec.chain or spec.chain[0] != "points":
        return {}
    sizes = {len(g.clubs) for g in groups}
    if spec.fair and len(sizes) > 1:
        return {}
    slots: list[list[tuple[str, int, int]]] = []
    for g, recs, span, left in zip(groups, tallied, spans, lefts, strict=True):
        if spec.place > len(g.clubs):
            continue
        scheme = g.rules.scheme
        if not (scheme.win >= scheme.draw >= scheme.loss):
            return {}
        points = {c: r.points - r.adjustment for c, r in recs.items()}
        rem = dict.fromkeys(g.clubs, 0)
        for m in left:
            if m.home in rem and m.away in rem:
                rem[m.home] += 1
                rem[m.away] += 1
        slot = [
            (c, points[c] + scheme.loss * rem[c], points[c] + scheme.win * rem[c])
            for c in g.clubs
            if span[c][0] <= spec.place <= span[c][1]
        ]
        if slot:
            slots.append(slot)
    return placed_statuses(slots, spec.count)


def _loser_bounds(
    results: tuple[TieResult, ...], count: int, chain: tuple[str, ...]
) -> dict[str, Status]:
    """Statuses in a best-losers comparison while ties are undecided.

    A decided, complete tie's loser has its record; either club of an
    undecided tie may be its loser, with its points over the tie plus a loss
    or a win in every match still to come: scheduled legs, the deciding match
    the rules may still ask for, and the last leg again while extra time is
    pending (it changes the final score).
    """
    if not chain or chain[0] != "points":
        return {}
    slots: list[list[tuple[str, int, int]]] = []
    for r in results:
        tie = r.tie
        scheme = tie.rules.scheme
        if not (scheme.win >= scheme.draw >= scheme.loss):
            return {}
        if r.winner is not None and r.complete:
            loser = r.loser
            assert loser is not None
            p = r.record(loser).points
            slots.append([(loser, p, p)])
            continue
        matches = list(tie.matches)
        opened = sum(1 for m in matches if m.status is MatchStatus.SCHEDULED)
        if any("extra time" in i.message for i in r.pending) and tie.legs:
            matches = [m for m in matches if m is not tie.legs[-1]]
            opened += 1
        if tie.decider is None and "deciding_match" in tie.rules.chain:
            opened += 1
        recs = tally(tie.teams, matches, scheme)
        teams = [r.loser] if r.winner is not None and r.loser is not None else list(tie.teams)
        slots.append(
            [
                (c, recs[c].points + scheme.loss * opened, recs[c].points + scheme.win * opened)
                for c in teams
            ]
        )
    return placed_statuses(slots, count)


def resolve_round(stage: str, rnd: Round) -> RoundResult:
    where = f"{stage}, {rnd.name}"
    issues: list[Issue] = []
    adv = rnd.advance
    round_data = given_data(rnd.fair_play, rnd.coefficients, rnd.seeding)
    group_results: tuple[GroupResult, ...] = ()
    selections: list[Selection] = []
    qualifiers: list[str] = []
    statuses: dict[str, Status] = {}
    if rnd.groups:
        group_results = _resolve_groups(
            where, rnd, round_data, issues, qualifiers, statuses, selections
        )
    results = tuple(resolve_tie(t) for t in rnd.ties)
    for r in results:
        a, b = r.tie.teams
        issues.extend(Issue(i.severity, i.message, f"{where}, {a} v {b}") for i in r.issues)
    if adv.winners:
        qualifiers.extend(r.winner for r in results if r.winner is not None)
    losers: Selection | None = None
    if adv.best_losers:
        losers = _best_losers(where, results, adv, round_data, issues, qualifiers)
        selections.append(losers)
    _tie_statuses(results, adv, losers, statuses)
    for designation in adv.designated:
        qualifiers.extend(c for c in designation.order if c not in qualifiers)
        statuses.update(dict.fromkeys(designation.order, Status.QUALIFIED))
    return RoundResult(
        stage,
        rnd,
        group_results,
        results,
        tuple(selections),
        tuple(qualifiers),
        tuple(issues),
        statuses,
    )


def _resolve_groups(
    where: str,
    rnd: Round,
    round_data: Mapping[str, dict[str, float]],
    issues: list[Issue],
    qualifiers: list[str],
    statuses: dict[str, Status],
    selections: list[Selection],
) -> tuple[GroupResult, ...]:
    """A group round's tables, who they send on (so far), the best-placed selections and
    every club's outlook; issues, qualifiers, statuses and selections are added to."""
    adv = rnd.advance
    bounds = adv.boundaries()
    scheduled = MatchStatus.SCHEDULED
    tables: list[Table] = []
    tallied: list[dict[str, Record]] = []
    lefts: list[tuple[Match, ...]] = []
    spans: list[dict[str, tuple[int, int]]] = []
    picked: list[tuple[str, ...]] = []
    decided: list[tuple[TieResult, ...]] = []
    for g in rnd.groups:
        t, records = g.ranked(bounds)
        remaining: tuple[Match, ...] = ()
        if scheduled in map(_STATUS, g.matches):  # the test at C speed, the list if need be
            remaining = tuple([m for m in g.matches if m.status is scheduled])
        span = _spans(g, t, records, remaining)
        tables.append(t)
        tallied.append(records)
        lefts.append(remaining)
        spans.append(span)
        if remaining:
            # provisional: no deciding match or lots are asked for yet
            at = f"{where}, {g.name}"
            issues.append(Issue(Severity.PENDING, f"{len(remaining)} fixture(s) still to play", at))
            sure = [s.club for s in t.standings if span[s.club][1] <= adv.top]
            # by best place, then table position (``sure`` is in table order: a stable sort)
            picked.append(tuple(sorted(sure, key=lambda c: span[c][0])))
            decided.append(())
            continue
        ds = tuple(resolve_tie(Tie((m.home, m.away), (m,), SINGLE_MATCH)) for m in g.deciders)
        if ds or t.pending:
            at = f"{where}, {g.name}"
            for d in ds:
                issues.extend(Issue(i.severity, i.message, at) for i in d.issues)
            issues.extend(Issue(Severity.PENDING, p, at) for p in t.pending)
        picked.append(top(t, adv.top))
        decided.append(ds)
    most = max((len(q) for q in picked), default=0)
    for place in range(1, min(adv.top, most) + 1):
        qualifiers.extend(q[place - 1] for q in picked if place <= len(q))
    by_place: dict[int, list[Selection]] = {}
    done = _Played(tables, tallied, lefts, spans)
    for spec in adv.best:
        sel = _best_placed(where, rnd, done, spec, round_data, issues, qualifiers)
        selections.append(sel)
        by_place.setdefault(spec.place, []).append(sel)
    top_n = adv.top
    group_results: list[GroupResult] = []
    for g, t, remaining, span, q, ds in zip(
        rnd.groups, tables, lefts, spans, picked, decided, strict=True
    ):
        outlook = []
        for s in t.standings:
            club = s.club
            best, worst = span[club]
            st = _group_status(club, best, worst, top_n, by_place)
            statuses[club] = st
            outlook.append(Outlook(club, best, worst, st))
        group_results.append(GroupResult(g, t, q, ds, remaining, tuple(outlook)))
    return tuple(group_results)


@dataclass(frozen=True, slots=True)
class _Played:
    """A group round so far, group by group: tables, the records they rank (adjustments
    included), fixtures still to play and every club's best and worst place."""

    tables: list[Table]
    records: list[dict[str, Record]]
    lefts: list[tuple[Match, ...]]
    spans: list[dict[str, tuple[int, int]]]


def _best_placed(
    where: str,
    rnd: Round,
    done: _Played,
    spec: BestPlaced,
    round_data: Mapping[str, dict[str, float]],
    issues: list[Issue],
    qualifiers: list[str],
) -> Selection:
    """One best-placed selection: chosen once every group's club at the place is known
    (no deciding match or lots between clubs sharing it still to come), else statuses."""
    spans, lefts = done.spans, done.lefts
    sel = best_placed(rnd.groups, done.tables, spec, rnd.advance.lots, round_data, done.records)
    complete = not any(lefts)
    settled = complete and all(
        lo == hi for span in spans for lo, hi in span.values() if lo <= spec.place <= hi
    )
    if settled:
        qualifiers.extend(sel.chosen)
        issues.extend(Issue(Severity.PENDING, p, where) for p in sel.ranking.pending)
        return sel
    proved = _placed_bounds(rnd.groups, done.records, spans, lefts, spec)
    could = {
        c: proved.get(c, Status.OPEN)
        for span in spans
        for c, (lo, hi) in span.items()
        if lo <= spec.place <= hi
    }
    return Selection(sel.what, sel.ranking, sel.records, (), could, complete=False)


def _best_losers(
    where: str,
    results: tuple[TieResult, ...],
    adv: Advance,
    round_data: Mapping[str, dict[str, float]],
    issues: list[Issue],
    qualifiers: list[str],
) -> Selection:
    """The best losers of a knockout round: chosen once every tie is decided, else statuses."""
    losers = best_losers(results, adv.best_losers, adv.best_losers_chain, adv.lots, round_data)
    if all(r.complete and r.winner is not None for r in results):
        qualifiers.extend(losers.chosen)
        issues.extend(Issue(Severity.PENDING, p, where) for p in losers.ranking.pending)
        return losers
    proved = _loser_bounds(results, adv.best_losers, adv.best_losers_chain)
    could = {c: Status.OPEN for r in results if r.winner is None for c in r.tie.teams}
    could.update(dict.fromkeys(losers.records, Status.OPEN))
    could = {c: proved.get(c, Status.OPEN) for c in could}
    return Selection(losers.what, losers.ranking, losers.records, (), could, complete=False)


def _tie_statuses(
    results: tuple[TieResult, ...],
    adv: Advance,
    losers: Selection | None,
    statuses: dict[str, Status],
) -> None:
    """Whether each club of a knockout round goes on: qualified, out or still open."""
    goes_on = adv.winners or bool(adv.best_losers)
    for r in results:
        for c in r.tie.teams:
            if r.winner is None:
                # through whichever way the tie goes: as its winner, or a best loser
                either_way = (
                    adv.winners and losers is not None and losers.status_of(c) is Status.QUALIFIED
                )
                st = Status.QUALIFIED if either_way else Status.OPEN
                statuses[c] = st if goes_on else Status.OUT
            elif c == r.winner:
                statuses[c] = Status.QUALIFIED if adv.winners else Status.OUT
            else:
                statuses[c] = losers.status_of(c) if losers is not None else Status.OUT


def resolve_stage(
    stage: Stage, places: Mapping[str, tuple[str, ...]], cache: ResolveCache | None = None
) -> StageResult:
    """Play out one stage; ``places`` holds the decided places of earlier stages."""
    issues: list[Issue] = []
    expected: tuple[str, ...] | None = stage.entrants or None
    if stage.entrants_from:
        expected = _entrants_from(stage, places, issues)
    if not stage.rounds and stage.places is None:
        if expected is not None:
            issues.append(
                Issue(Severity.PENDING, "entrants known: the first round can be drawn", stage.name)
            )
        return StageResult(stage, (), (), "undecided", "", tuple(issues))
    rounds: list[RoundResult] = []
    carried: tuple[str, ...] | None = expected
    prev: RoundResult | None = None
    #: a place of an earlier stage this one depends on is still undecided
    unresolved = expected is None and bool(stage.entrants_from)
    for rnd in stage.rounds:
        where = f"{stage.name}, {rnd.name}"
        expected = _round_entrants(rnd, rounds, carried)
        for tie in rnd.ties:
            if tie.slots is None:
                continue
            if not _tie_slots_filled(tie, tie.slots, places, where, issues):
                unresolved = True
        if expected is not None:
            _check_round_clubs(rnd, expected, prev, where, issues)
        result = cache.round(stage.name, rnd) if cache else resolve_round(stage.name, rnd)
        rounds.append(result)
        issues.extend(result.issues)
        if rnd.losers_from:  # a side round: its qualifiers join the next round's
            carried = None if carried is None else (*carried, *result.qualifiers)
        else:
            carried = result.qualifiers
        prev = result
    if stage.planned > len(stage.rounds) and stage.places is None:
        issues.append(
            Issue(
                Severity.PENDING,
                f"{len(stage.rounds)} of {stage.planned} rounds drawn so far",
                stage.name,
            )
        )
        return StageResult(stage, tuple(rounds), (), "undecided", "", tuple(issues))
    if unresolved or not all(r.complete for r in rounds):
        # nothing is decided from provisional tables, not even places the organizers set
        return StageResult(stage, tuple(rounds), (), "undecided", "", tuple(issues))
    return _places(stage, tuple(rounds), issues)


def _entrants_from(
    stage: Stage, places: Mapping[str, tuple[str, ...]], issues: list[Issue]
) -> tuple[str, ...] | None:
    """The clubs the places entering a stage name, or None while one is undecided
    (an issue says which; a place no stage has is an error)."""
    slots = [SlotRef.read(ref) for ref in stage.entrants_from]  # each read once
    got = [s.club(places) if s is not None else None for s in slots]
    never = _never_filled(stage.entrants_from, slots, places)
    if never:
        more = f" and {len(never) - 3} more" if len(never) > 3 else ""
        issues.append(
            Issue(Severity.ERROR, f"no such place: {', '.join(never[:3])}{more}", stage.name)
        )
    if None not in got:
        return tuple(c for c in got if c is not None)
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
    return None


def _tie_slots_filled(
    tie: Tie,
    slots: tuple[str, str],
    places: Mapping[str, tuple[str, ...]],
    where: str,
    issues: list[Issue],
) -> bool:
    """Whether a tie's slot map is filled (an issue says why not, or that it disagrees)."""
    slot_clubs = tuple(resolve_slot(s, places) for s in slots)
    never = impossible_slots(slots, places)
    if never:
        issues.append(Issue(Severity.ERROR, f"no such place: {', '.join(never)}", where))
        return False
    if None in slot_clubs:
        unfilled = [
            describe_slot(ref) for ref, club in zip(slots, slot_clubs, strict=True) if club is None
        ]
        issues.append(
            Issue(
                Severity.PENDING,
                f"slots {' v '.join(slots)} not filled yet ({'; '.join(unfilled)})",
                where,
            )
        )
        return False
    if set(slot_clubs) != set(tie.teams):
        issues.append(
            Issue(
                Severity.CONFLICT,
                f"slots {' v '.join(slots)} give "
                f"{' v '.join(str(c) for c in slot_clubs)}, "
                f"but the tie is {' v '.join(tie.teams)}",
                where,
            )
        )
    return True


def _check_round_clubs(
    rnd: Round,
    expected: tuple[str, ...],
    prev: RoundResult | None,
    where: str,
    issues: list[Issue],
) -> None:
    """Conflicts between the clubs a round must have and the clubs playing it."""
    clubs = rnd.clubs
    complete_before = prev is None or prev.complete
    if complete_before and clubs == expected:  # the usual case: the very clubs, in order
        return
    have = set(clubs)
    missing = [c for c in expected if c not in have]
    if prev is not None and not complete_before:
        # drawn before the round before it ended: only a club already out is wrong
        extra = [c for c in clubs if prev.status_of(c) is Status.OUT]
    else:
        wanted = set(expected)
        extra = [c for c in clubs if c not in wanted]
    if missing:
        issues.append(
            Issue(Severity.CONFLICT, f"qualified but not playing: {', '.join(missing)}", where)
        )
    if extra:
        issues.append(
            Issue(Severity.CONFLICT, f"playing but not qualified: {', '.join(extra)}", where)
        )


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


def describe_slot(ref: str) -> str:
    """``"Region VIII/1"`` -> ``"winner of Region VIII, to be decided"``."""
    slot = SlotRef.read(ref)
    return slot.describe() if slot is not None else f"{ref}, to be decided"


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
        if decided and 0 < p.place <= len(final)
    )
    for p in season.promotions:
        if decided and not 0 < p.place <= len(final):
            issues.append(
                Issue(
                    Severity.ERROR,
                    f"promotion: place {p.place} to {p.destination}, but the final stage "
                    f"places {len(final)} clubs",
                    results[-1].stage.name,
                )
            )
    return SeasonResult(season, tuple(results), champion, runner_up, promoted, tuple(issues))


@dataclass(frozen=True)
class DeciderNeed:
    """A deciding match the rules ask for that no fixture of the season holds yet.

    ``group`` (an index into the round's groups) for clubs level at a group's
    qualification line, else ``tie`` (an index into the round's ties).
    """

    stage: str
    round: str
    clubs: tuple[str, ...]
    group: int | None = None
    tie: int | None = None


def _decider_blocks(gr: GroupResult) -> list[tuple[str, ...]]:
    """The runs of clubs of a complete group that the rules send to a deciding match."""
    g = gr.group
    if not gr.complete:
        return []
    wanted = [p for p in gr.table.pending if p.startswith("a deciding match between ")]
    if not wanted:
        return []
    adjust = g.points_adjustments()
    out: list[tuple[str, ...]] = []
    chain = g.rules.chain
    for i, name in enumerate(chain):
        if name != "deciding_match":
            continue
        prefix = table(g.name, g.clubs, g.matches, g.rules.scheme, chain[:i], adjustments=adjust)
        order = [s.club for s in prefix.standings]
        runs = level_runs(order, [sep.criterion for sep in prefix.separations])
        for lo, hi in sorted(set(runs.values())):
            block = tuple(sorted(order[lo - 1 : hi]))
            needle = f"a deciding match between {' and '.join(block)} "
            if hi > lo and block not in out and any(p.startswith(needle) for p in wanted):
                out.append(block)
    return out


def deciders_needed(result: SeasonResult) -> tuple[DeciderNeed, ...]:
    """Every deciding match the season's rules now ask for and no fixture holds.

    Only complete groups and ties whose legs are all played ask for one (a
    provisional table never does). In a group, every pair of a level run
    without a deciding match of its own may play one.
    """
    out: list[DeciderNeed] = []
    for sr in result.stages:
        for rr in sr.rounds:
            for gi, gr in enumerate(rr.groups):
                for block in _decider_blocks(gr):
                    out.append(DeciderNeed(sr.stage.name, rr.round.name, block, group=gi))
            for ti, tr in enumerate(rr.ties):
                if tr.tie.decider is None and any(
                    i.message == "a deciding match is needed" for i in tr.pending
                ):
                    out.append(DeciderNeed(sr.stage.name, rr.round.name, tr.tie.teams, tie=ti))
    return tuple(out)
