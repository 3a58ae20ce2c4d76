"""A club's record over a set of matches: the numbers a table row shows.

Records are accumulated in one pass over the matches; head-to-head criteria
build small records over the matches among tied clubs only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from copa.core.match import COUNTING, Match, MatchStatus, Score
from copa.core.points import DEFAULT, PointsScheme
from copa.core.quick import quick_init


@dataclass(frozen=True, slots=True)
class Record:
    """Played, won, drawn, lost, goals and points of one club."""

    club: str
    played: int = 0
    won: int = 0
    drawn: int = 0
    lost: int = 0
    goals_for: int = 0
    goals_against: int = 0
    points: int = 0
    away_goals: int = 0
    away_wins: int = 0
    adjustment: int = 0
    #: matches counted (points, won/drawn/lost) whose goals are not known
    unknown: int = 0

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against


quick_init(Record)

# A club's running totals live in one integer of seven 24-bit fields, so a
# match costs one addition per club instead of one per figure: the hot path
# of every table. 24 bits hold 16 million goals or matches per club.
_BITS = 24
_MASK = (1 << _BITS) - 1
_WON, _DRAWN, _LOST, _GF, _GA, _AWAY_GOALS, _AWAY_WINS = (1 << (_BITS * i) for i in range(7))
_SMALL = 16  # scores below this come from a precomputed table


def _increments(home_goals: int, away_goals: int) -> tuple[int, int]:
    """What a match adds to the home club's and the away club's packed totals."""
    home = home_goals * _GF + away_goals * _GA
    away = away_goals * _GF + home_goals * _GA + away_goals * _AWAY_GOALS
    if home_goals > away_goals:
        return home + _WON, away + _LOST
    if home_goals < away_goals:
        return home + _LOST, away + _WON + _AWAY_WINS
    return home + _DRAWN, away + _DRAWN


_TABLE = [_increments(h, a) for h in range(_SMALL) for a in range(_SMALL)]


def tally(
    clubs: Iterable[str],
    matches: Iterable[Match],
    scheme: PointsScheme = DEFAULT,
    adjustments: Mapping[str, int] | None = None,
) -> dict[str, Record]:
    """Records of ``clubs`` over the counting matches among them.

    Matches with a club outside ``clubs`` are ignored, which is what
    head-to-head needs; callers that must not lose matches validate first.

    >>> from copa.core.match import Score
    >>> r = tally(["A", "B"], [Match("A", "B", Score(2, 1)), Match("B", "A", Score(0, 0))])
    >>> r["A"].points, r["A"].goal_difference, r["B"].away_goals
    (4, 1, 1)
    """
    # each club's packed total, by name (dict order: the clubs' first listing)
    totals = dict.fromkeys(clubs, 0)
    counting = COUNTING
    played = MatchStatus.PLAYED
    table = _TABLE
    small = _SMALL
    unknown: dict[str, int] = {}
    for m in matches:
        h = m.home
        a = m.away
        # Match.counts and Match.final, inlined (an identity test first: enum hashing is slow)
        if h not in totals or a not in totals:
            continue
        status = m.status
        if status is not played and status not in counting:
            continue
        s = m.extra_time
        if s is None:
            s = m.score
            if s is None:
                # played, goals unknown: the result counts, the goals do not
                winner = m.winner
                if winner is None:
                    continue
                if m.penalties is not None:  # level when play ended
                    totals[h] += _DRAWN
                    totals[a] += _DRAWN
                elif winner == m.home:
                    totals[h] += _WON
                    totals[a] += _LOST
                else:
                    totals[h] += _LOST
                    totals[a] += _WON + _AWAY_WINS
                unknown[h] = unknown.get(h, 0) + 1
                unknown[a] = unknown.get(a, 0) + 1
                continue
        hg = s.home
        ag = s.away
        if hg < small and ag < small:
            inc_h, inc_a = table[hg * small + ag]
        else:
            inc_h, inc_a = _increments(hg, ag)
        totals[h] += inc_h
        totals[a] += inc_a
    return _records(totals, unknown, scheme, adjustments)


def tally_scores(
    clubs: Iterable[str],
    rows: Iterable[tuple[str, str, int, int]],
    scheme: PointsScheme = DEFAULT,
    adjustments: Mapping[str, int] | None = None,
) -> dict[str, Record]:
    """:func:`tally` for played results given as ``(home, away, home goals, away goals)``.

    No :class:`Match` is built: the lighter path for plain results (a program's
    own data, a season file's ``Home h-a Away`` lines).

    >>> r = tally_scores(["A", "B"], [("A", "B", 2, 1), ("B", "A", 0, 0)])
    >>> r["A"].points, r["A"].goal_difference, r["B"].away_goals
    (4, 1, 1)
    """
    totals = dict.fromkeys(clubs, 0)
    table = _TABLE
    small = _SMALL
    for h, a, hg, ag in rows:
        if h not in totals or a not in totals:
            continue
        if 0 <= hg < small and 0 <= ag < small and type(hg) is int and type(ag) is int:
            inc_h, inc_a = table[hg * small + ag]
        else:
            score = Score(hg, ag)  # says what is wrong with a goal count
            inc_h, inc_a = _increments(score.home, score.away)
        totals[h] += inc_h
        totals[a] += inc_a
    return _records(totals, {}, scheme, adjustments)


def _records(
    totals: Mapping[str, int],
    unknown: Mapping[str, int],
    scheme: PointsScheme,
    adjustments: Mapping[str, int] | None,
) -> dict[str, Record]:
    """Records from the packed per-club totals of a tally."""
    win, draw, loss = scheme.win, scheme.draw, scheme.loss
    adj = adjustments or {}
    out: dict[str, Record] = {}
    bits, mask = _BITS, _MASK
    for club, t in totals.items():
        w, d, lo = t & mask, (t >> bits) & mask, (t >> 2 * bits) & mask
        extra = adj.get(club, 0) if adj else 0
        out[club] = Record(
            club,
            w + d + lo,
            w,
            d,
            lo,
            (t >> 3 * bits) & mask,
            (t >> 4 * bits) & mask,
            win * w + draw * d + loss * lo + extra,
            (t >> 5 * bits) & mask,
            t >> 6 * bits,
            extra,
            unknown.get(club, 0) if unknown else 0,
        )
    return out
