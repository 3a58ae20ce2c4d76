"""Rounds and stages: how a stage's clubs are played down to the ones that go on."""

from __future__ import annotations

from dataclasses import dataclass, field

from copa.core.draw import DrawRecord
from copa.core.group import Group
from copa.core.grouping import GroupDraw, RivalDraw
from copa.core.qualification import BEST_LOSERS_CHAIN, BestPlaced
from copa.core.tie import Tie

#: a recorded draw: knockout pairs, the split of clubs into groups, or rivals of a partial table
Draw = DrawRecord | GroupDraw | RivalDraw


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
    #: the qualifiers go on in table order (seeded 1 v N, champion and runner-up), so every
    #: place down to ``top`` is a line where a deciding match or lots may be needed
    ranked: bool = False

    def boundaries(self) -> frozenset[int]:
        """Positions with a qualification line below them, for position-scoped criteria."""
        lines = set(range(1, self.top + 1)) if self.ranked else ({self.top} if self.top else set())
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
    #: how the groups or ties were made (draws, slot maps, rivals), replayable
    draws: tuple[Draw, ...] = ()
    #: clubs entering at this round beside the qualifiers of the round before
    #: (seeded entrants, clubs given a bye)
    entrants: tuple[str, ...] = ()
    #: earlier rounds whose beaten clubs play this round (a repechage, a third-place
    #: play-off): it is a side round; its qualifiers join the next round's
    losers_from: tuple[str, ...] = ()
    #: a third-place play-off: its winner and loser are the stage's 3rd and 4th places
    third_place: bool = False
    #: figures across the round for the data criteria of its best-placed and best-loser
    #: rankings: points from cards per club (``fair_play``), a federation coefficient per
    #: club (``coefficient``), a seeding list, best first (``seeding``)
    fair_play: tuple[tuple[str, int], ...] = ()
    coefficients: tuple[tuple[str, float], ...] = ()
    seeding: tuple[str, ...] = ()

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
    """A stage of the season (a district league, a region's playoffs, the national stage).

    The stage's places (champion, runner-up, ...) come from its last round
    when that is a single tie (a final) or a single group (its table), or else
    from ``places``.

    In a pyramid a stage may be listed before it is played: ``entrants_from``
    names the places of earlier stages that enter it (``"District Ate/1"``),
    and ``rounds`` stays empty until those places are decided and the first
    round is drawn (see :mod:`copa.core.pyramid`).
    """

    name: str
    kind: str
    rounds: tuple[Round, ...]
    #: the clubs entering the first round, when they are known in advance
    entrants: tuple[str, ...] = ()
    places: Designation | None = None
    region: str = ""
    #: places of earlier stages ("Stage/place") whose clubs enter this stage, in order
    entrants_from: tuple[str, ...] = ()
    #: the unit of the pyramid the stage belongs to (a district, province, department, ...)
    unit: str = ""
    #: how many rounds the stage's plan has; while fewer are listed it is not finished
    planned: int = 0

    def round(self, name: str) -> Round:
        for r in self.rounds:
            if r.name == name:
                return r
        raise KeyError(f"{self.name} has no round {name!r}")
