"""The rules engine: plain typed Python, immutable dataclasses and pure functions.

No I/O happens here. A season goes in (:class:`Season`), one immutable
:class:`SeasonResult` comes out of :func:`resolve`, and every table, tie
outcome, qualifier, bracket and statistic is derived from it.

>>> from copa.core import Match, Score, table
>>> t = table("G", ["A", "B"], [Match("A", "B", Score(1, 0)), Match("B", "A", Score(2, 2))])
>>> [(s.club, s.points) for s in t.standings]
[('A', 4), ('B', 1)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from copa.core.bracket import Bracket, bracket
from copa.core.club import Club
from copa.core.criteria import CRITERIA, Criterion, RankingContext
from copa.core.group import Adjustment, Group, GroupRules
from copa.core.issues import Issue, Severity
from copa.core.match import Match, MatchStatus, Score
from copa.core.points import PointsScheme
from copa.core.progress import Outlook, Status
from copa.core.qualification import BestPlaced, Selection, best_losers, best_placed
from copa.core.record import Record, tally
from copa.core.resolve import (
    GroupResult,
    RoundResult,
    SeasonResult,
    StageResult,
    resolve,
    resolve_round,
    resolve_stage,
)
from copa.core.season import Promotion, Season
from copa.core.stage import Advance, Designation, Round, Stage
from copa.core.standings import Separation, Standing, Table, rank, table
from copa.core.stats import SeasonStats, season_stats
from copa.core.tie import TIE_CRITERIA, Tie, TieResult, TieRules, resolve_tie

if TYPE_CHECKING:
    from copa.core.path import ClubPath, club_path

__all__ = [
    "CRITERIA",
    "TIE_CRITERIA",
    "Adjustment",
    "Advance",
    "BestPlaced",
    "Bracket",
    "Club",
    "ClubPath",
    "Criterion",
    "Designation",
    "Group",
    "GroupResult",
    "GroupRules",
    "Issue",
    "Match",
    "MatchStatus",
    "Outlook",
    "PointsScheme",
    "Promotion",
    "RankingContext",
    "Record",
    "Round",
    "RoundResult",
    "Score",
    "Season",
    "SeasonResult",
    "SeasonStats",
    "Selection",
    "Separation",
    "Severity",
    "Stage",
    "StageResult",
    "Status",
    "Standing",
    "Table",
    "Tie",
    "TieResult",
    "TieRules",
    "best_losers",
    "best_placed",
    "bracket",
    "club_path",
    "rank",
    "resolve",
    "resolve_round",
    "resolve_stage",
    "resolve_tie",
    "season_stats",
    "table",
    "tally",
]


def __getattr__(name: str) -> Any:
    """The club path's module on first use: ``copa show`` and the web pages of a
    round never need it (3 ms of ``copa show 2011``'s 120)."""
    if name in ("ClubPath", "club_path"):
        from copa.core import path

        return getattr(path, name)
    raise AttributeError(f"module 'copa.core' has no attribute {name!r}")
