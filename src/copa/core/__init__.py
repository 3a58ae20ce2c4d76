"""The rules engine: plain typed Python, immutable dataclasses and pure functions.

No I/O happens here. A season goes in (:class:`Season`), one immutable
:class:`SeasonResult` comes out of :func:`resolve`, and every table, tie
outcome, qualifier, bracket and statistic is derived from it.

>>> from copa.core import Match, Score, table
>>> t = table("G", ["A", "B"], [Match("A", "B", Score(1, 0)), Match("B", "A", Score(2, 2))])
>>> [(s.club, s.points) for s in t.standings]
[('A', 4), ('B', 1)]
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from copa.core.bracket import Bracket, bracket
    from copa.core.club import Club
    from copa.core.criteria import CRITERIA, Criterion, RankingContext
    from copa.core.group import Adjustment, Group, GroupRules
    from copa.core.issues import Issue, Severity
    from copa.core.match import Match, MatchStatus, Score
    from copa.core.path import ClubPath, club_path
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

#: where each name lives: imported on first use (PEP 562), so a command that needs
#: one class (copa result: Club, Match) does not import the whole engine
_WHERE = {
    "Adjustment": "copa.core.group",
    "Advance": "copa.core.stage",
    "BestPlaced": "copa.core.qualification",
    "Bracket": "copa.core.bracket",
    "CRITERIA": "copa.core.criteria",
    "Club": "copa.core.club",
    "ClubPath": "copa.core.path",
    "Criterion": "copa.core.criteria",
    "Designation": "copa.core.stage",
    "Group": "copa.core.group",
    "GroupResult": "copa.core.resolve",
    "GroupRules": "copa.core.group",
    "Issue": "copa.core.issues",
    "Match": "copa.core.match",
    "MatchStatus": "copa.core.match",
    "Outlook": "copa.core.progress",
    "PointsScheme": "copa.core.points",
    "Promotion": "copa.core.season",
    "RankingContext": "copa.core.criteria",
    "Record": "copa.core.record",
    "Round": "copa.core.stage",
    "RoundResult": "copa.core.resolve",
    "Score": "copa.core.match",
    "Season": "copa.core.season",
    "SeasonResult": "copa.core.resolve",
    "SeasonStats": "copa.core.stats",
    "Selection": "copa.core.qualification",
    "Separation": "copa.core.standings",
    "Severity": "copa.core.issues",
    "Stage": "copa.core.stage",
    "StageResult": "copa.core.resolve",
    "Standing": "copa.core.standings",
    "Status": "copa.core.progress",
    "TIE_CRITERIA": "copa.core.tie",
    "Table": "copa.core.standings",
    "Tie": "copa.core.tie",
    "TieResult": "copa.core.tie",
    "TieRules": "copa.core.tie",
    "best_losers": "copa.core.qualification",
    "best_placed": "copa.core.qualification",
    "bracket": "copa.core.bracket",
    "club_path": "copa.core.path",
    "rank": "copa.core.standings",
    "resolve": "copa.core.resolve",
    "resolve_round": "copa.core.resolve",
    "resolve_stage": "copa.core.resolve",
    "resolve_tie": "copa.core.tie",
    "season_stats": "copa.core.stats",
    "table": "copa.core.standings",
    "tally": "copa.core.record",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'copa.core' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
