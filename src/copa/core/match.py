"""Matches and scores: the facts everything else is computed from.

A club is identified by its full name (a ``str``) everywhere in the core; the
:class:`~copa.core.club.Club` record carries the rest (aliases, location).

>>> m = Match("Los Caimanes", "Atlético Grau", Score(2, 0))
>>> m.winner, m.counts
('Los Caimanes', True)
>>> Match("A", "B", Score(1, 1), penalties=Score(4, 3)).winner
'A'

Sources do not always publish the 90-minute score. A match known only by its
score after extra time has ``score=None`` and ``extra_time`` set; a match
played but whose score is unknown has neither, and carries the winner
(``recorded_winner``) or the shoot-out:

>>> Match("A", "B", extra_time=Score(2, 3)).winner
'B'
>>> m = Match("A", "B", penalties=Score(4, 3))
>>> m.winner, m.counts, m.goals_known
('A', True, False)
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

    A played match may lack ``score``: known only after extra time
    (``extra_time`` set), or not known at all (``recorded_winner`` or
    ``penalties`` say who won). ``shot_first`` is the club that took the
    first kick of the shoot-out, when the source records it.

    The fixture fields say when and where it is (or was) played: ``matchday``
    (the fecha, 1-based), ``date`` (ISO ``YYYY-MM-DD``), ``kickoff``
    (``HH:MM``) and ``venue``; ``simulated`` marks a result copa invented
    (``copa play``, ``copa generate``) rather than one reported from the pitch.
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
    recorded_winner: str | None = None
    shot_first: str | None = None
    matchday: int | None = None
    date: str | None = None
    kickoff: str | None = None
    venue: str | None = None
    simulated: bool = False

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
        recorded_winner: str | None = None,
        shot_first: str | None = None,
        matchday: int | None = None,
        date: str | None = None,
        kickoff: str | None = None,
        venue: str | None = None,
        simulated: bool = False,
    ) -> None:
        if home == away:
            raise ValueError(f"{home} cannot play itself")
        if score is None and status in COUNTING:
            _check_partial(home, away, extra_time, penalties, status, recorded_winner)
        elif recorded_winner is not None:
            raise ValueError("a winner is recorded only for a played match with no known score")
        if shot_first is not None and (penalties is None or shot_first not in (home, away)):
            raise ValueError(f"{shot_first} shot first, but not in a shoot-out of {home} v {away}")
        _set(self, "home", home)
        _set(self, "away", away)
        _set(self, "score", score)
        _set(self, "extra_time", extra_time)
        _set(self, "penalties", penalties)
        _set(self, "status", status)
        _set(self, "original", original)
        _set(self, "neutral", neutral)
        _set(self, "note", note)
        _set(self, "recorded_winner", recorded_winner)
        _set(self, "shot_first", shot_first)
        _set(self, "matchday", matchday)
        _set(self, "date", date)
        _set(self, "kickoff", kickoff)
        _set(self, "venue", venue)
        _set(self, "simulated", simulated)

    @property
    def counts(self) -> bool:
        """Whether the result counts (played, walkover or awarded)."""
        return self.status in COUNTING and (
            self.score is not None
            or self.extra_time is not None
            or self.penalties is not None
            or self.recorded_winner is not None
        )

    @property
    def played_on_pitch(self) -> bool:
        """Whether the match was really played (walkovers were not)."""
        return self.status in (MatchStatus.PLAYED, MatchStatus.AWARDED) and self.counts

    @property
    def goals_known(self) -> bool:
        """Whether the goals are known (a score after 90 minutes or after extra time)."""
        return self.score is not None or self.extra_time is not None

    @property
    def final(self) -> Score | None:
        """The score when play ended: after extra time if there was any."""
        return self.extra_time if self.extra_time is not None else self.score

    @property
    def winner(self) -> str | None:
        """Who won the match, counting extra time and penalties; ``None`` for a draw."""
        final = self.final
        if final is not None and final.home != final.away:
            return self.home if final.home > final.away else self.away
        if self.penalties is not None and self.penalties.home != self.penalties.away:
            return self.home if self.penalties.home > self.penalties.away else self.away
        return self.recorded_winner

    def goals(self, club: str) -> tuple[int, int]:
        """(goals for, goals against) of ``club`` in the final score."""
        final = self.final
        if final is None:
            raise ValueError(f"the score of {self.home} v {self.away} is not known")
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
        if self.score is None and not self.counts:
            return f"{self.home} v {self.away} ({self.status.value})"
        if self.score is not None:
            text = f"{self.home} {self.score} {self.away}"
            if self.extra_time is not None:
                text += f" (a.e.t. {self.extra_time})"
        elif self.extra_time is not None:
            text = f"{self.home} {self.extra_time} {self.away} (a.e.t.)"
        else:
            text = f"{self.home} ? {self.away}"
            if self.recorded_winner is not None:
                text += f" (won by {self.recorded_winner})"
        if self.penalties is not None:
            text += f" ({self.penalties.home}–{self.penalties.away} p)"
        if self.status is MatchStatus.WALKOVER:
            text += " (w/o)"
        return text


def _check_partial(
    home: str,
    away: str,
    extra_time: Score | None,
    penalties: Score | None,
    status: MatchStatus,
    recorded_winner: str | None,
) -> None:
    """A counting match without a 90-minute score: what it must still say."""
    if status is not MatchStatus.PLAYED:
        raise ValueError(f"a {status.value} match needs a score")
    if extra_time is None and penalties is None and recorded_winner is None:
        raise ValueError("a played match needs a score (or its winner, or its shoot-out)")
    if recorded_winner is not None:
        if recorded_winner not in (home, away):
            raise ValueError(f"recorded winner {recorded_winner} did not play {home} v {away}")
        if extra_time is not None or penalties is not None:
            raise ValueError("a winner is recorded only for a match with no known score")
