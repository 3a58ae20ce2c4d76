"""The pyramid format: a season's structure as data.

A :class:`PyramidFormat` is the rules as data: its :class:`Level` list says how
clubs are grouped at each level (by district, province, department, region or
the whole nation), how many places each unit sends up, and which rounds each
unit plays — fixed rounds (a :class:`UnitPlan` of :class:`RoundSpec`) or an
:class:`AdaptivePlan` that fits leagues and a knockout to however many clubs a
unit has (see :mod:`copa.core.pyramid.plan`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from copa.core.rules import RuleSet
from copa.core.season import Promotion
from copa.core.stage import Advance

#: the grouping fields a level may use, from the smallest unit to the whole nation
UNITS = ("district", "province", "department", "region", "nation")
#: labels a draw may keep apart besides the club's own location fields
LABELS = ("", "district", "province", "department", "region", "source", "place", "group")
PAIRINGS = ("draw", "seeded", "slots", "bracket", "fold", "crossover")


class PyramidError(ValueError):
    """The format cannot be applied to these clubs (a plan does not fit, a unit is unknown)."""


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
    #: the name of a rule set of the format
    rules: str
    advance: Advance
    #: how the round is made: groups or ties (one of the two)
    groups: GroupSpec | None = None
    ties: TieSpec | None = None
    #: every match of the round at a neutral ground
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
