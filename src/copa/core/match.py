"""Matches and scores: the facts everything else is computed from.

A club is identified by its full name (a ``str``) everywhere in the core; the
:class:`~copa.core.club.Club` record carries the rest (aliases, location).

>>> m = Match("Los Caimanes", "Atlético Grau", Score(2, 0))
>>> m.winner, m.counts
('Los Caimanes', True)
>>> Match("A", "B", Score(1, 1), penalties=Score(4, 3)).winner
'A'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class MatchStatus(StrEnum):
    """What happened to a fixture.

    ``WALKOVER`` and ``AWARDED`` carry the score the organizers awarded in
    :attr:`Match.score`; an awarded match keeps the score played on the pitch
    in :attr:`Match.original`.
    """

    PLAYED = "played"
    SCHEDULED = "scheduled"
    NOT_PLAYED = "not_played"
    WALKOVER = "walkover"
    ANNULLED = "annulled"
    AWARDED = "awarded"


#: statuses whose score counts in tables and ties
COUNTING = frozenset({MatchStatus.PLAYED, MatchStatus.WALKOVER, MatchStatus.AWARDED})


# Score and Match are built by the million (a season, a benchmark), so they
# write their own ``__init__``: the same checks and fields as the generated one,
# set the way a frozen dataclass sets them, without the extra ``__post_init__``
# call. tests/test_properties.py checks every field survives construction.
_set = object.__setattr__

#: goals of one side in one match (or shoot-out): a bound, not a football fact
#: (the record is 149); 10,000 goals is bad input (docs/limits.md)
MAX_GOALS = 999


@dataclass(frozen=True, slots=True, init=False)
class Score:
    """Goals of the home side and the away side.

    Scores are values: the common ones (fewer than 16 goals a side) are
    shared instances, so a season of a million matches holds 256 of them.

    >>> Score(2, 1) is Score(2, 1), Score(2, 1) == Score(2, 1)
    (True, True)
    """

    home: int
    away: int

    def __new__(cls, home: int, away: int) -> Score:
        if type(home) is int and type(away) is int and 0 <= home < 16 and 0 <= away < 16:
            return _SHARED[home * 16 + away]
        for goals in (home, away):
            if not isinstance(goals, int) or isinstance(goals, bool) or goals < 0:
                raise ValueError(f"a score needs whole numbers of goals >= 0, not {goals!r}")
            if goals > MAX_GOALS:
                raise ValueError(f"more than {MAX_GOALS} goals is not a football score")
        return cls._make(home, away)

    @classmethod
    def _make(cls, home: int, away: int) -> Score:
        self = object.__new__(cls)
        _set(self, "home", home)
        _set(self, "away", away)
        return self

    def __reduce__(self) -> tuple[type[Score], tuple[int, int]]:
        return (Score, (self.home, self.away))

    def reversed(self) -> Score:
        return Score(self.away, self.home)

    def __str__(self) -> str:
        return f"{self.home}–{self.away}"


_SHARED = [Score._make(h, a) for h in range(16) for a in range(16)]


@dataclass(frozen=True, slots=True)
class Match:
    """One match between two clubs.

    ``score`` is the score after 90 minutes (the awarded score for a walkover
    or a ruling); ``extra_time`` the score after extra time, counting the 90
    minutes; ``penalties`` the shoot-out.
    """

    home: str
    away: str
    score: Score | None = None
    extra_time: Score | None = None
    penalties: Score | None = None
    status: MatchStatus = MatchStatus.PLAYED
    original: Score | None = None
    neutral: bool = False
    note: str = ""

    def __init__(
        self,
        home: str,
        away: str,
        score: Score | None = None,
        extra_time: Score | None = None,
        penalties: Score | None = None,
        status: MatchStatus = MatchStatus.PLAYED,
        original: Score | None = None,
        neutral: bool = False,
        note: str = "",
    ) -> None:
        if home == away:
            raise ValueError(f"{home} cannot play itself")
        if score is None and status in COUNTING:
            raise ValueError(f"a {status.value} match needs a score")
        _set(self, "home", home)
        _set(self, "away", away)
        _set(self, "score", score)
        _set(self, "extra_time", extra_time)
        _set(self, "penalties", penalties)
        _set(self, "status", status)
        _set(self, "original", original)
        _set(self, "neutral", neutral)
        _set(self, "note", note)

    @property
    def counts(self) -> bool:
        """Whether the result counts (played, walkover or awarded)."""
        return self.status in COUNTING and self.score is not None

    @property
    def played_on_pitch(self) -> bool:
        """Whether the match was really played (walkovers were not)."""
        return self.status in (MatchStatus.PLAYED, MatchStatus.AWARDED) and self.score is not None

    @property
    def final(self) -> Score | None:
        """The score when play ended: after extra time if there was any."""
        return self.extra_time if self.extra_time is not None else self.score

    @property
    def winner(self) -> str | None:
        """Who won the match, counting extra time and penalties; ``None`` for a draw."""
        final = self.final
        if final is None:
            return None
        if final.home != final.away:
            return self.home if final.home > final.away else self.away
        if self.penalties is not None and self.penalties.home != self.penalties.away:
            return self.home if self.penalties.home > self.penalties.away else self.away
        return None

    def goals(self, club: str) -> tuple[int, int]:
        """(goals for, goals against) of ``club`` in the final score."""
        final = self.final
        if final is None:
            raise ValueError("the match has no score")
        if club == self.home:
            return final.home, final.away
        if club == self.away:
            return final.away, final.home
        raise KeyError(club)

    def opponent(self, club: str) -> str:
        if club == self.home:
            return self.away
        if club == self.away:
            return self.home
        raise KeyError(club)

    def __str__(self) -> str:
        if self.score is None:
            return f"{self.home} v {self.away} ({self.status.value})"
        text = f"{self.home} {self.score} {self.away}"
        if self.extra_time is not None:
            text += f" (a.e.t. {self.extra_time})"
        if self.penalties is not None:
            text += f" ({self.penalties.home}–{self.penalties.away} p)"
        if self.status is MatchStatus.WALKOVER:
            text += " (w/o)"
        return text
