"""Rounds and stages: how a stage's clubs are played down to the ones that go on."""

from __future__ import annotations

from dataclasses import dataclass, field

from copa.core.group import Group
from copa.core.qualification import BEST_LOSERS_CHAIN, BestPlaced
from copa.core.tie import Tie


@dataclass(frozen=True, slots=True)
class Designation:
    """An order set outside the rules (a drawing of lots, an organizer's decision), with why."""

    order: tuple[str, ...]
    by: str
    reason: str = ""


@dataclass(frozen=True)
class Advance:
    """Who goes on from a round."""

    #: the top N of each group
    top: int = 0
    best: tuple[BestPlaced, ...] = ()
    #: the winner of each tie
    winners: bool = False
    best_losers: int = 0
    best_losers_chain: tuple[str, ...] = BEST_LOSERS_CHAIN
    #: clubs let in by a decision outside the rules
    designated: tuple[Designation, ...] = ()
    #: lots drawn to separate best-placed or best-loser candidates
    lots: tuple[str, ...] = ()

    def boundaries(self) -> frozenset[int]:
        """Positions with a qualification line below them, for position-scoped criteria."""
        lines = {self.top} if self.top else set()
        lines |= {b.place for b in self.best}
        lines |= {b.place - 1 for b in self.best if b.place > 1}
        return frozenset(lines)


@dataclass(frozen=True)
class Round:
    """A step of a stage: groups or ties."""

    name: str
    groups: tuple[Group, ...] = ()
    ties: tuple[Tie, ...] = ()
    advance: Advance = field(default_factory=Advance)

    @property
    def clubs(self) -> tuple[str, ...]:
        """Every club that takes part, in order of appearance."""
        seen: dict[str, None] = {}
        for g in self.groups:
            seen.update(dict.fromkeys(g.clubs))
        for t in self.ties:
            seen.update(dict.fromkeys(t.teams))
        return tuple(seen)


@dataclass(frozen=True)
class Stage:
    """A stage of the season (a region's playoffs, the national stage).

    The stage's places (champion, runner-up, ...) come from its last round
    when that is a single tie (a final), or else from ``places``.
    """

    name: str
    kind: str
    rounds: tuple[Round, ...]
    #: the clubs entering the first round, when they are known in advance
    entrants: tuple[str, ...] = ()
    places: Designation | None = None
    region: str = ""

    def round(self, name: str) -> Round:
        for r in self.rounds:
            if r.name == name:
                return r
        raise KeyError(f"{self.name} has no round {name!r}")
