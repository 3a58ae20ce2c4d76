"""Standings: order clubs by an ordered chain of criteria, and say why.

The algorithm splits the clubs into blocks that are level on everything
applied so far. A criterion that separates a block records itself between
the neighbouring clubs it split; a contextual criterion (head-to-head) is
re-applied to each smaller block it leaves level, as UEFA-style rules do.

>>> from copa.core.match import Match, Score
>>> ms = [Match("Huallaga", "UTC", Score(4, 0)), Match("UTC", "Huallaga", Score(1, 0)),
...       Match("Huallaga", "UNASAM", Score(3, 0)), Match("UNASAM", "Huallaga", Score(0, 4)),
...       Match("UTC", "UNASAM", Score(3, 0)), Match("UNASAM", "UTC", Score(1, 3))]
>>> t = table("Group C", ["Huallaga", "UTC", "UNASAM"], ms)
>>> [s.club for s in t.standings]
['Huallaga', 'UTC', 'UNASAM']
>>> t.explanations()
['Huallaga above UTC on goal difference']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter, itemgetter
from typing import Any, overload

from copa.core.criteria import Criterion, RankingContext, _mini, criterion
from copa.core.match import Match, Score
from copa.core.points import DEFAULT, PointsScheme
from copa.core.quick import quick_init
from copa.core.record import Record, tally, tally_scores

DEFAULT_CHAIN: tuple[str, ...] = ("points", "goal_difference", "goals_for", "head_to_head")


@dataclass(frozen=True, slots=True)
class Standing:
    """One row of a table."""

    position: int
    club: str
    played: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int
    points: int
    adjustment: int = 0
    #: matches counted whose goals are not known (goals columns leave them out)
    unknown: int = 0

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against

    @property
    def figures(self) -> tuple[int, int, int, int, int, int, int, int]:
        """The row's numbers in a table's column order: P W D L GF GA GD Pts."""
        gd = self.goal_difference
        return (
            self.played,
            self.won,
            self.drawn,
            self.lost,
            self.goals_for,
            self.goals_against,
            gd,
            self.points,
        )


quick_init(Standing)


@dataclass(frozen=True, slots=True)
class Separation:
    """Why ``upper`` ranks right above ``lower``; ``criterion`` None: level on every criterion."""

    upper: str
    lower: str
    criterion: str | None

    def __str__(self) -> str:
        from copa.core.notes import separation_text  # the one wording, in English here

        return separation_text(self)


quick_init(Separation)


@dataclass(frozen=True)
class Ranking:
    """The order of a set of clubs and the criterion between each pair of neighbours."""

    order: tuple[str, ...]
    between: tuple[str | None, ...]
    pending: tuple[str, ...]


def _run_ends(crits: Sequence[Criterion]) -> list[int]:
    """Where the run of criteria starting at each level ends.

    Plain record fields form one run (one sort); criteria of one family
    (the head-to-head figures) form one compound step, applied to the whole
    tied block before any of it is re-applied to a smaller block.
    """
    ends = []
    for i, c in enumerate(crits):
        j = i + 1
        if c.field is not None:
            while j < len(crits) and crits[j].field is not None:
                j += 1
        elif c.family is not None:
            while j < len(crits) and crits[j].family == c.family:
                j += 1
        ends.append(j)
    return ends


@dataclass(frozen=True, slots=True)
class CompiledChain:
    """A ranking chain checked against the registry once: its criteria, and where the
    run starting at each level ends (:func:`_run_ends`)."""

    names: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    ends: tuple[int, ...]
    #: per level starting a run of record fields, the run's key of a record (a tuple)
    keys: tuple[Callable[[Record], tuple[Any, ...]] | None, ...]


@lru_cache(maxsize=512)
def compile_chain(chain: tuple[str, ...]) -> CompiledChain:
    """The chain named ``chain``, compiled once: every later ranking by it reuses the
    criteria found here (``KeyError`` lists the known names for an unknown one)."""
    crits = tuple(criterion(name) for name in chain)
    ends = tuple(_run_ends(crits))
    keys = tuple(
        _fields_key([c.field for c in crits[i:j] if c.field is not None])
        if c.field is not None
        else None
        for i, (c, j) in enumerate(zip(crits, ends, strict=True))
    )
    return CompiledChain(chain, crits, ends, keys)


def _fields_key(fields: list[str]) -> Callable[[Record], tuple[Any, ...]]:
    """A record's figures ``fields``, as a tuple (one call at C speed for several)."""
    if len(fields) == 1:
        get = attrgetter(fields[0])
        return lambda r: (get(r),)
    return attrgetter(*fields)


def rank(clubs: Sequence[str], ctx: RankingContext, chain: Sequence[str]) -> Ranking:
    """Order ``clubs`` by the chain of criteria named in ``chain``."""
    ranker = _Ranker(ctx, compile_chain(tuple(chain)))
    ranker.go(list(clubs), 0)
    return Ranking(tuple(ranker.order), tuple(ranker.between), tuple(dict.fromkeys(ranker.pending)))


class _Ranker:
    """One ranking under way: the chain's criteria and the order built so far.

    :meth:`go` orders a block of clubs level on every criterion before ``level``,
    appending to ``order`` (and to ``between`` the criterion separating each pair of
    neighbours); :meth:`split` recurses into the parts of a block a key leaves level.
    """

    __slots__ = ("between", "crits", "ctx", "ends", "keys", "last", "order", "pending", "records")

    def __init__(self, ctx: RankingContext, chain: CompiledChain) -> None:
        self.ctx = ctx
        self.records = ctx.records
        self.crits = chain.criteria
        self.ends = chain.ends
        self.keys = chain.keys
        self.last = len(chain.criteria)
        self.order: list[str] = []
        self.between: list[str | None] = []
        self.pending: list[str] = []

    def level_on(self, block: list[str]) -> None:
        order, between = self.order, self.between
        for i, club in enumerate(sorted(block)):
            if i:
                between.append(None)
            order.append(club)

    def unknown_goals(
        self, block: list[str], level: int, stop: int, recs: Mapping[str, Record]
    ) -> int:
        """Where the run ``level:stop`` must end because goals are unknown (``stop``: nowhere)."""
        if not any(recs[c].unknown for c in block):
            return stop
        crits = self.crits
        for i in range(level, stop):
            if crits[i].uses_goals:
                if i == level:
                    who = [c for c in block if recs[c].unknown]
                    self.pending.append(
                        f"{crits[i].label} cannot be worked out: "
                        f"{' and '.join(sorted(who))} played a match whose score is not known"
                    )
                return i
        return stop

    def go(self, block: list[str], level: int) -> None:
        if len(block) <= 1:
            self.order.extend(block)
            return
        if level >= self.last:
            self.level_on(block)
            return
        crits = self.crits
        crit = crits[level]
        stop = self.ends[level]
        if any(c.uses_goals for c in crits[level:stop]):
            recs = _mini(block, self.ctx) if crit.family is not None else self.records
            stop = self.unknown_goals(block, level, stop, recs)
            if stop == level:
                self.level_on(block)
                return
        if crit.field is not None:
            self.by_fields(block, level, stop)
        elif crit.family is not None:
            self.by_family(block, level, stop)
        else:
            self.by_criterion(block, level)

    def by_fields(self, block: list[str], level: int, stop: int) -> None:
        """A run of plain record fields sorts in one go."""
        records = self.records
        key = self.keys[level]
        if key is None or stop < self.ends[level]:  # cut short by unknown goals
            key = _fields_key([c.field for c in self.crits[level:stop] if c.field is not None])
        keyed = [(key(records[c]), c) for c in block]
        self.split(keyed, stop, stop, level)

    def by_family(self, block: list[str], level: int, stop: int) -> None:
        """A compound head-to-head step over the whole block, then re-applied."""
        verdicts = [c.key(block, len(self.order), self.ctx) for c in self.crits[level:stop]]
        if stop < self.ends[level]:  # cut short by unknown goals: applied once, not re-applied
            keyed = [(tuple([v.keys[c] for v in verdicts]), c) for c in block]  # type: ignore[index]
            self.split(keyed, stop, stop, level)
            return
        self.pending.extend(v.pending for v in verdicts if v.pending)
        if any(v.keys is None for v in verdicts):
            self.go(block, stop)
            return
        keyed = [(tuple([v.keys[c] for v in verdicts]), c) for c in block]  # type: ignore[index]
        self.split(keyed, level, stop, level)

    def by_criterion(self, block: list[str], level: int) -> None:
        """One criterion on its own; a contextual one is re-applied to each level part."""
        crit = self.crits[level]
        verdict = crit.key(block, len(self.order), self.ctx)
        if verdict.pending:
            self.pending.append(verdict.pending)
        keys = verdict.keys
        if keys is None:
            self.go(block, level + 1)
            return
        keyed = [((keys[c],), c) for c in block]
        self.split(keyed, level if crit.contextual else level + 1, level + 1, level)

    def split(self, keyed: list[tuple[Any, str]], smaller: int, same: int, level: int) -> None:
        """Order by key (best first, then by name); recurse into each level part."""
        keyed.sort(key=itemgetter(1))
        keyed.sort(key=itemgetter(0), reverse=True)
        if keyed[0][0] == keyed[-1][0]:
            self.go([c for _, c in keyed], same)
            return
        order, between, crits = self.order, self.between, self.crits
        start = 0
        n = len(keyed)
        for i in range(1, n + 1):
            if i == n or keyed[i][0] != keyed[start][0]:
                if i - start == 1:
                    order.append(keyed[start][1])
                else:
                    self.go([c for _, c in keyed[start:i]], smaller)
                if i < n:
                    a, b = keyed[i - 1][0], keyed[i][0]
                    first = 0 if a[0] != b[0] else _first_diff(a, b)  # mostly the first
                    between.append(crits[level + first].name)
                start = i


def _first_diff(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x != y:
            return i
    raise ValueError("keys are equal")


@dataclass(frozen=True)
class Table:
    """A ranked group table: rows, why each neighbour is where it is, what is still pending."""

    name: str
    standings: tuple[Standing, ...]
    separations: tuple[Separation, ...]
    pending: tuple[str, ...] = ()
    chain: tuple[str, ...] = DEFAULT_CHAIN

    def club_at(self, position: int) -> str:
        return self.standings[position - 1].club

    def position(self, club: str) -> int:
        for s in self.standings:
            if s.club == club:
                return s.position
        raise KeyError(club)

    def row(self, club: str) -> Standing:
        return self.standings[self.position(club) - 1]

    def explanations(self) -> list[str]:
        """For every pair of neighbours level on points, what separated them."""
        rows = self.standings
        return [
            str(sep)
            for sep, upper, lower in zip(self.separations, rows, rows[1:], strict=False)
            if upper.points == lower.points
        ]

    def separation_of(self, club: str) -> Separation | None:
        """The separation between ``club`` and the club right below it."""
        i = self.position(club) - 1
        return self.separations[i] if i < len(self.separations) else None


def standings_from(ranking: Ranking, records: Mapping[str, Record]) -> tuple[Standing, ...]:
    rows = []
    for i, club in enumerate(ranking.order):
        r = records[club]
        rows.append(
            Standing(
                i + 1,
                club,
                r.played,
                r.won,
                r.drawn,
                r.lost,
                r.goals_for,
                r.goals_against,
                r.points,
                r.adjustment,
                r.unknown,
            )
        )
    return tuple(rows)


def table(
    name: str,
    clubs: Sequence[str],
    matches: Iterable[Match],
    scheme: PointsScheme = DEFAULT,
    chain: Sequence[str] = DEFAULT_CHAIN,
    *,
    deciders: Sequence[Match] = (),
    lots: Sequence[str] = (),
    boundaries: Iterable[int] = (),
    adjustments: Mapping[str, int] | None = None,
    data: Mapping[str, Mapping[str, float]] | None = None,
    records: Mapping[str, Record] | None = None,
) -> Table:
    """Compute a ranked table of ``clubs`` from ``matches``; ``records``: the clubs'
    records over them (with the adjustments) when the caller has already tallied them."""
    matches = tuple(matches)
    if records is None:
        records = tally(clubs, matches, scheme, adjustments)
    ctx = RankingContext(
        records,
        matches,
        scheme,
        tuple(deciders),
        tuple(lots),
        frozenset(boundaries),
        data or {},
    )
    return _ranked(name, clubs, ctx, chain)


class _LazyMatches(Sequence[Match]):
    """Plain results as matches, built only if a criterion looks at the matches themselves."""

    def __init__(self, rows: Sequence[tuple[str, str, int, int]]) -> None:
        self._rows = rows
        self._built: tuple[Match, ...] | None = None

    def _all(self) -> tuple[Match, ...]:
        if self._built is None:
            self._built = tuple(Match(h, a, Score(x, y)) for h, a, x, y in self._rows)
        return self._built

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, i: int) -> Match: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Match]: ...
    def __getitem__(self, i: int | slice) -> Match | Sequence[Match]:
        return self._all()[i]

    def __iter__(self) -> Iterator[Match]:
        return iter(self._all())


def table_from_scores(
    name: str,
    clubs: Sequence[str],
    rows: Iterable[tuple[str, str, int, int]],
    scheme: PointsScheme = DEFAULT,
    chain: Sequence[str] = DEFAULT_CHAIN,
    *,
    boundaries: Iterable[int] = (),
    adjustments: Mapping[str, int] | None = None,
) -> Table:
    """:func:`table` for played results given as ``(home, away, home goals, away goals)``.

    The lighter path: the records are tallied from the tuples, and
    :class:`Match` objects are built only when a criterion needs the matches
    (head-to-head, say); the table is the one :func:`table` gives.

    >>> t = table_from_scores("G", ["A", "B"], [("A", "B", 2, 1), ("B", "A", 0, 0)])
    >>> [(s.club, s.points) for s in t.standings]
    [('A', 4), ('B', 1)]
    """
    rows = tuple(rows)
    records = tally_scores(clubs, rows, scheme, adjustments)
    ctx = RankingContext(records, _LazyMatches(rows), scheme, (), (), frozenset(boundaries))
    return _ranked(name, clubs, ctx, chain)


def _ranked(name: str, clubs: Sequence[str], ctx: RankingContext, chain: Sequence[str]) -> Table:
    records = ctx.records
    ranking = rank(list(clubs), ctx, chain)
    rows = standings_from(ranking, records)
    order = ranking.order
    seps = tuple(
        [
            Separation(upper, lower, why)
            for upper, lower, why in zip(order, order[1:], ranking.between, strict=False)
        ]
    )
    return Table(name, rows, seps, ranking.pending, tuple(chain))
