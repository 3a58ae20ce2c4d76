"""A club's record over a set of matches: the numbers a table row shows.

Records are accumulated in one pass over the matches; head-to-head criteria
build small records over the matches among tied clubs only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from copa.core.match import COUNTING, Match
from copa.core.points import DEFAULT, PointsScheme


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

    @property
    def goal_difference(self) -> int:
        return self.goals_for - self.goals_against


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
    # Plain lists indexed by club: the hot path of every table. Played and
    # points follow from wins, draws and losses, so the loop leaves them out.
    index: dict[str, int] = {}
    for club in clubs:
        index.setdefault(club, len(index))
    n = len(index)
    w = [0] * n
    d = [0] * n
    lo = [0] * n
    gf = [0] * n
    ga = [0] * n
    ag = [0] * n
    aw = [0] * n
    get = index.get
    counting = COUNTING
    for m in matches:
        h = get(m.home)
        a = get(m.away)
        score = m.score
        # Match.counts and Match.final, inlined
        if h is None or a is None or score is None or m.status not in counting:
            continue
        s = score if m.extra_time is None else m.extra_time
        hg = s.home
        awg = s.away
        gf[h] += hg
        ga[h] += awg
        gf[a] += awg
        ga[a] += hg
        ag[a] += awg
        if hg > awg:
            w[h] += 1
            lo[a] += 1
        elif hg < awg:
            w[a] += 1
            lo[h] += 1
            aw[a] += 1
        else:
            d[h] += 1
            d[a] += 1
    win, draw, loss = scheme.win, scheme.draw, scheme.loss
    adj = adjustments or {}
    return {
        club: Record(
            club,
            w[i] + d[i] + lo[i],
            w[i],
            d[i],
            lo[i],
            gf[i],
            ga[i],
            win * w[i] + draw * d[i] + loss * lo[i] + adj.get(club, 0),
            ag[i],
            aw[i],
            adj.get(club, 0),
        )
        for club, i in index.items()
    }
