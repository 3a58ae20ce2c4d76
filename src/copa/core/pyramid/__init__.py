"""A whole pyramid from a format and a list of clubs: district leagues up to the national stage.

A :class:`PyramidFormat` is the rules as data: its :class:`Level` list says how
clubs are grouped at each level (by district, province, department, region or
the whole nation), how many places each unit sends up, and which rounds each
unit plays — fixed rounds (the 2011 regional stages, the 2019 national stage)
or an :class:`AdaptivePlan` that fits leagues and a knockout to however many
clubs a unit has.

:func:`new_season` lists every stage of the season at once. Stages above the
first level name the places that enter them (``entrants_from``) and stay
empty; :func:`advance` fills every round whose clubs are known — the first
round of a stage once its entrants are decided, the next round once the
previous one is complete — drawing groups and pairings reproducibly from the
pyramid's seed and recording each draw on its round. Nothing is simulated
here (see :mod:`copa.core.simulate`); everything is pure and deterministic.

The concepts live in their own modules: :mod:`~copa.core.pyramid.format` (the
structure as data), :mod:`~copa.core.pyramid.plan` (the rounds a unit plays),
:mod:`~copa.core.pyramid.build` (a new season), :mod:`~copa.core.pyramid.advance`
(filling rounds) and :mod:`~copa.core.pyramid.rounds` (drawing one round). This
package re-exports their public names.
"""

from __future__ import annotations

from copa.core.pyramid.advance import Progress, advance, season_result_places, waiting
from copa.core.pyramid.build import new_season, unit_key
from copa.core.pyramid.format import (
    LABELS,
    PAIRINGS,
    UNITS,
    AdaptivePlan,
    GroupSpec,
    Level,
    Pyramid,
    PyramidError,
    PyramidFormat,
    RoundSpec,
    TieSpec,
    UnitPlan,
    derive_seed,
)
from copa.core.pyramid.plan import adaptive_rounds, knockout_name, plan_for
from copa.core.rules import DEFAULT_TIE_CHAIN, RuleSet

__all__ = [
    "DEFAULT_TIE_CHAIN",
    "LABELS",
    "PAIRINGS",
    "UNITS",
    "AdaptivePlan",
    "GroupSpec",
    "Level",
    "Progress",
    "Pyramid",
    "PyramidError",
    "PyramidFormat",
    "RoundSpec",
    "RuleSet",
    "TieSpec",
    "UnitPlan",
    "adaptive_rounds",
    "advance",
    "derive_seed",
    "knockout_name",
    "new_season",
    "plan_for",
    "season_result_places",
    "unit_key",
    "waiting",
]
