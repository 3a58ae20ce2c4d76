"""Groups: mini-leagues played as single or double round robins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from copa.core.criteria import given_data
from copa.core.match import Match
from copa.core.points import DEFAULT, PointsScheme
from copa.core.record import Record, tally
from copa.core.standings import DEFAULT_CHAIN, Table, table


@dataclass(frozen=True, slots=True)
class GroupRules:
    """Points per result and the ordered ranking chain of a group."""

    scheme: PointsScheme = DEFAULT
    chain: tuple[str, ...] = DEFAULT_CHAIN


@dataclass(frozen=True, slots=True)
class Adjustment:
    """Points added or deducted by the organizers, with the reason."""

    club: str
    points: int
    reason: str = ""


@dataclass(frozen=True)
class Group:
    """A round-robin group; ``legs`` is 1 (single) or 2 (double round robin)."""

    name: str
    clubs: tuple[str, ...]
    matches: tuple[Match, ...]
    rules: GroupRules = field(default_factory=GroupRules)
    legs: int = 2
    #: matches between clubs level at a qualification line (not part of the table)
    deciders: tuple[Match, ...] = ()
    #: the order a drawing of lots gave, first drawn first
    lots: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    #: points from cards per club in this round (the ``fair_play`` criterion; fewer is better)
    fair_play: tuple[tuple[str, int], ...] = ()
    #: an external ranking given as data: a federation coefficient per club (``coefficient``)
    coefficients: tuple[tuple[str, float], ...] = ()
    #: ... or a seeding list, best first (``seeding``)
    seeding: tuple[str, ...] = ()
    #: a partial round robin: only these pairs meet (empty: every pair meets)
    pairings: tuple[tuple[str, str], ...] = ()

    def table(self, boundaries: Iterable[int] = ()) -> Table:
        return self.ranked(boundaries)[0]

    def ranked(self, boundaries: Iterable[int] = ()) -> tuple[Table, dict[str, Record]]:
        """The table and the records it ranks, tallied once for callers that need both."""
        adjust = self.points_adjustments()
        records = tally(self.clubs, self.matches, self.rules.scheme, adjust)
        given = self.fair_play or self.coefficients or self.seeding
        data = given_data(self.fair_play, self.coefficients, self.seeding) if given else {}
        t = table(
            self.name,
            self.clubs,
            self.matches,
            self.rules.scheme,
            self.rules.chain,
            deciders=self.deciders,
            lots=self.lots,
            boundaries=boundaries,
            adjustments=adjust,
            data=data,
            records=records,
        )
        return t, records

    def points_adjustments(self) -> dict[str, int]:
        """The organizers' points adjustments, summed per club."""
        adjust: dict[str, int] = {}
        for a in self.adjustments:
            adjust[a.club] = adjust.get(a.club, 0) + a.points
        return adjust

    def missing_fixtures(self) -> list[tuple[str, str]]:
        """Fixtures a complete round robin needs that the group does not list."""
        seen: dict[tuple[str, str], int] = {}
        for m in self.matches:
            seen[(m.home, m.away)] = seen.get((m.home, m.away), 0) + 1
        missing = []
        pairs = self.pairings or [
            (a, b) for i, a in enumerate(self.clubs) for b in self.clubs[i + 1 :]
        ]
        for a, b in pairs:
            have = seen.get((a, b), 0) + seen.get((b, a), 0)
            if have < self.legs:
                missing.append((a, b))
        return missing
