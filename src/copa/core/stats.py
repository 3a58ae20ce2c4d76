"""Season statistics, computed from the results within the scope the season sets.

Only matches played on the pitch count (walkovers were not played); goals
are the score when play ended (extra time included, shoot-outs not). A
record (biggest home win, biggest away win, highest-scoring match) lists
every match that shares it: the same winning margin, or the same total.

A match played but whose score is not known is left out of every goal figure
and listed in ``unknown`` instead (never counted as 0-0); a match known only
by its score after extra time counts with that score.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.match import Match
from copa.core.record import Record, tally
from copa.core.resolve import SeasonResult


@dataclass(frozen=True)
class SeasonStats:
    """The season's figures over the matches in its statistics scope."""

    #: the stage kinds or names counted (empty: every stage)
    scope: tuple[str, ...]
    #: every club's record over those matches, best first
    clubs: tuple[Record, ...]
    #: matches whose score is known, and their goals
    matches: int
    goals: int
    #: each record with every match that shares it
    biggest_home_win: tuple[Match, ...]
    biggest_away_win: tuple[Match, ...]
    highest_scoring: tuple[Match, ...]
    #: matches played whose score is not known: in no goal figure
    unknown: tuple[Match, ...] = ()

    @property
    def goals_per_match(self) -> float:
        return self.goals / self.matches if self.matches else 0.0


def _best(matches: list[Match], value: object) -> tuple[Match, ...]:
    scored = [(value(m), m) for m in matches]  # type: ignore[operator]
    scored = [(v, m) for v, m in scored if v is not None]
    if not scored:
        return ()
    top = max(v for v, _ in scored)
    return tuple(m for v, m in scored if v == top)


def _home_margin(m: Match) -> int | None:
    f = m.final
    assert f is not None
    return f.home - f.away if f.home > f.away else None


def _away_margin(m: Match) -> int | None:
    f = m.final
    assert f is not None
    return f.away - f.home if f.away > f.home else None


def _total(m: Match) -> int:
    f = m.final
    assert f is not None
    return f.home + f.away


def season_stats(result: SeasonResult, scope: tuple[str, ...] | None = None) -> SeasonStats:
    """Statistics over the stages in ``scope`` (default: the season's own scope)."""
    scope = scope if scope is not None else result.season.stats_scope
    played = [m for _, m in result.matches(scope) if m.played_on_pitch]
    matches = [m for m in played if m.goals_known]
    goals = sum(_total(m) for m in matches)
    clubs = sorted({c for m in matches for c in (m.home, m.away)})
    records = tally(clubs, matches)
    return SeasonStats(
        scope=tuple(scope),
        clubs=tuple(
            sorted(records.values(), key=lambda r: (-r.points, -r.goal_difference, r.club))
        ),
        matches=len(matches),
        goals=goals,
        biggest_home_win=_best(matches, _home_margin),
        biggest_away_win=_best(matches, _away_margin),
        highest_scoring=_best(matches, _total),
        unknown=tuple(m for m in played if not m.goals_known),
    )
