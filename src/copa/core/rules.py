"""A named rule set: points, the group ranking chain and the tie chain, in one value.

Seasons, pyramid formats and the forecaster all name rule sets; this is their one
definition, with the default chains of :mod:`copa.core.standings` and :mod:`copa.core.tie`.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.group import GroupRules
from copa.core.points import DEFAULT, PointsScheme
from copa.core.standings import DEFAULT_CHAIN
from copa.core.tie import DEFAULT_TIE_CHAIN, TieRules

__all__ = ["DEFAULT_CHAIN", "DEFAULT_TIE_CHAIN", "RuleSet"]


@dataclass(frozen=True, slots=True)
class RuleSet:
    """Points, the group ranking chain and the tie chain of a named rule set."""

    scheme: PointsScheme = DEFAULT
    ranking: tuple[str, ...] = DEFAULT_CHAIN
    tie: tuple[str, ...] = DEFAULT_TIE_CHAIN
    #: the away-goals step applies again after extra time, counting its goals
    away_goals_after_extra_time: bool = False

    def group_rules(self) -> GroupRules:
        return GroupRules(self.scheme, self.ranking)

    def tie_rules(self) -> TieRules:
        return TieRules(self.tie, self.scheme, self.away_goals_after_extra_time)
