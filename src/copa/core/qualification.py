"""Qualification: who goes on from a group or a knockout round.

Besides the top clubs of each group and the winners of each tie, Copa Perú
rounds let in the best N-placed clubs across groups (Region II 2011: the
best runner-up) and the best losers of a knockout round (Regions I and IV).
Comparisons across groups of different sizes are made fair by discarding
the results against the clubs that only the larger groups have.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from copa.core.criteria import RankingContext, given_data
from copa.core.group import Group
from copa.core.progress import Status, selection_statuses
from copa.core.record import Record, tally
from copa.core.standings import Ranking, Table, rank
from copa.core.tie import TieResult

BEST_PLACED_CHAIN: tuple[str, ...] = ("points", "goal_difference", "goals_for", "wins", "lots")
BEST_LOSERS_CHAIN: tuple[str, ...] = ("points", "goal_difference", "goals_for", "lots")


@dataclass(frozen=True, slots=True)
class BestPlaced:
    """The best ``count`` clubs among those placed ``place`` in their groups."""

    place: int
    count: int
    chain: tuple[str, ...] = BEST_PLACED_CHAIN
    fair: bool = True


@dataclass(frozen=True)
class Selection:
    """A comparison across groups or ties, with its ranking kept to explain it."""

    what: str
    ranking: Ranking
    records: dict[str, Record]
    chosen: tuple[str, ...]
    #: every candidate's status: qualified, out, or open while anything it depends on is
    #: still to play (then nothing is chosen yet)
    statuses: Mapping[str, Status] = field(default_factory=dict)
    complete: bool = True

    def status_of(self, club: str) -> Status:
        """The club's status in this comparison (``out`` when it is not a candidate)."""
        return self.statuses.get(club, Status.OUT)

    def explanations(self) -> list[str]:
        from copa.core.standings import Separation

        order = self.ranking.order
        return [
            str(Separation(u, lo, why))
            for u, lo, why in zip(order, order[1:], self.ranking.between, strict=False)
        ]


def top(table: Table, n: int) -> tuple[str, ...]:
    return tuple(s.club for s in table.standings[:n])


def best_placed(
    groups: Sequence[Group],
    tables: Sequence[Table],
    spec: BestPlaced,
    lots: Sequence[str] = (),
    data: Mapping[str, Mapping[str, float]] | None = None,
    tallied: Sequence[Mapping[str, Record]] | None = None,
) -> Selection:
    """Rank the clubs placed ``spec.place`` across ``groups``.

    With ``fair`` and groups of different sizes, each candidate's record
    leaves out its matches against clubs placed below the smallest group's
    size, so that every candidate is measured against as many opponents.

    ``data`` holds the round's figures for the data criteria (``fair_play``,
    ``coefficient``, ``seeding``); a club's fair-play points and coefficient
    may also come from its group. A seeding list is compared only within
    one list: the round's, never the groups' own.

    ``tallied``: each group's records as its table ranks them (adjustments
    included), when the caller has them; a candidate measured against its
    whole group then takes its record from there, less its adjustment.
    """
    given = {k: dict(v) for k, v in (data or {}).items()}
    for g in groups:
        if not (g.fair_play or g.coefficients):
            continue
        for key, values in given_data(g.fair_play, g.coefficients).items():
            mine = given.setdefault(key, {})
            for c, v in values.items():
                mine.setdefault(c, v)
    smallest = min(len(g.clubs) for g in groups)
    records: dict[str, Record] = {}
    candidates: list[str] = []
    for i, (group, tab) in enumerate(zip(groups, tables, strict=True)):
        if spec.place > len(tab.standings):
            continue
        club = tab.club_at(spec.place)
        candidates.append(club)
        cut = spec.fair and len(group.clubs) > smallest
        if tallied is not None and not cut:
            r = tallied[i][club]
            records[club] = (
                replace(r, points=r.points - r.adjustment, adjustment=0) if r.adjustment else r
            )
            continue
        opponents = {s.club for s in tab.standings[:smallest]} if cut else set(group.clubs)
        # tally leaves out the matches against clubs not listed
        clubs = [club, *sorted(opponents - {club})]
        records[club] = tally(clubs, group.matches, group.rules.scheme)[club]
    ctx = RankingContext(records, lots=tuple(lots), boundaries=frozenset({spec.count}), data=given)
    ranking = rank(candidates, ctx, spec.chain)
    statuses = selection_statuses(ranking.order, ranking.between, spec.count)
    return Selection(
        f"best {_ordinal(spec.place)}-placed",
        ranking,
        records,
        _certain(ranking.order[: spec.count], statuses),
        statuses,
    )


def best_losers(
    results: Sequence[TieResult],
    count: int,
    chain: Sequence[str] = BEST_LOSERS_CHAIN,
    lots: Sequence[str] = (),
    data: Mapping[str, Mapping[str, float]] | None = None,
) -> Selection:
    """Rank the losers of a round by their record over their own tie (and by the round's
    ``data`` for the data criteria: fair play, coefficient, seeding)."""
    records: dict[str, Record] = {}
    for r in results:
        if r.loser is not None:
            records[r.loser] = r.record(r.loser)
    ctx = RankingContext(records, lots=tuple(lots), boundaries=frozenset({count}), data=data or {})
    ranking = rank(list(records), ctx, chain)
    statuses = selection_statuses(ranking.order, ranking.between, count)
    return Selection(
        "best losers",
        ranking,
        records,
        _certain(ranking.order[:count], statuses),
        statuses,
    )


def _certain(first: Sequence[str], statuses: Mapping[str, Status]) -> tuple[str, ...]:
    """The clubs a selection may name: above the line and qualified, never a club whose
    place still waits for lots, a deciding match or a missing figure."""
    return tuple(c for c in first if statuses.get(c) is Status.QUALIFIED)


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
