"""One club's path through a season: every round it played and how it ended.

The path is data (places, scores, the deciding step's name, an outcome
kind); the words for it, in the user's language, are :mod:`copa.wording`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from copa.core.match import Match
from copa.core.resolve import SeasonResult


@dataclass(frozen=True, slots=True)
class GroupPlace:
    """Where the club finished in a group table."""

    group: str
    position: int
    #: clubs in the table
    of: int
    points: int
    won: int
    drawn: int
    lost: int
    goals_for: int
    goals_against: int


@dataclass(frozen=True, slots=True)
class TiePlayed:
    """A tie the club played, from its side."""

    opponent: str
    goals_for: int
    goals_against: int
    legs: int
    #: True won, False lost, None not decided yet
    won: bool | None
    #: the tie step that decided it (a key of :data:`copa.core.tie.LABELS`), or None
    decided_by: str | None
    #: lost, but went on among the best losers
    best_loser: bool = False


@dataclass(frozen=True, slots=True)
class DeciderPlayed:
    """A deciding match the club played for a place in a group."""

    match: Match
    won: bool


@dataclass(frozen=True, slots=True)
class Step:
    """One thing the club played in a round: a group, a tie or a deciding match."""

    stage: str
    round: str
    #: "group", "tie" or "decider"
    kind: str
    detail: GroupPlace | TiePlayed | DeciderPlayed
    #: the club's own matches in it
    matches: tuple[Match, ...]
    #: among the round's qualifiers (for a deciding match: won it)
    went_on: bool | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """The end of a club's path, with where it happened."""

    kind: OutcomeKind
    #: promoted: where to
    destination: str = ""
    #: eliminated / last played: where
    stage: str = ""
    round: str = ""


@dataclass(frozen=True)
class ClubPath:
    """A club's season: the rounds it played, in order, and how it ended."""

    club: str
    steps: tuple[Step, ...]
    outcome: Outcome


class OutcomeKind(StrEnum):
    """How a club's season ended, or where it stands while it goes on."""

    CHAMPION = "champion"
    RUNNER_UP = "runner_up"
    #: to a higher division, by a promotion of the season
    PROMOTED = "promoted"
    #: in no stage played so far
    ABSENT = "absent"
    #: out in a round it played
    ELIMINATED = "eliminated"
    #: its last round played; not out (yet)
    LAST_PLAYED = "last_played"


def club_path(result: SeasonResult, club: str) -> ClubPath:
    steps: list[Step] = []
    for sr in result.stages:
        for rr in sr.rounds:
            through = club in rr.qualifiers
            for g in rr.groups:
                if club not in g.group.clubs:
                    continue
                row = g.table.row(club)
                mine = tuple(m for m in g.group.matches if club in (m.home, m.away))
                place = GroupPlace(
                    g.group.name,
                    row.position,
                    len(g.table.standings),
                    row.points,
                    row.won,
                    row.drawn,
                    row.lost,
                    row.goals_for,
                    row.goals_against,
                )
                steps.append(Step(sr.stage.name, rr.round.name, "group", place, mine, through))
                for d in g.deciders:
                    if club in d.tie.teams:
                        beat = d.winner == club
                        played = DeciderPlayed(d.tie.legs[0], beat)
                        steps.append(
                            Step(sr.stage.name, "Tiebreaker", "decider", played, d.tie.legs, beat)
                        )
            for t in rr.ties:
                if club not in t.tie.teams:
                    continue
                opp = t.tie.teams[1] if t.tie.teams[0] == club else t.tie.teams[0]
                a, b = t.aggregate if t.tie.teams[0] == club else t.aggregate[::-1]
                won = None if t.winner is None else t.winner == club
                tie = TiePlayed(
                    opp,
                    a,
                    b,
                    len(t.tie.legs),
                    won,
                    t.decided_by if won is not None else None,
                    best_loser=won is False and through,
                )
                steps.append(Step(sr.stage.name, rr.round.name, "tie", tie, t.tie.matches, through))
    return ClubPath(club, tuple(steps), _outcome(result, club, steps))


def _outcome(result: SeasonResult, club: str, steps: list[Step]) -> Outcome:
    for dest_club, dest in result.promoted:
        if dest_club == club:
            kind = {
                result.champion: OutcomeKind.CHAMPION,
                result.runner_up: OutcomeKind.RUNNER_UP,
            }.get(club, OutcomeKind.PROMOTED)
            return Outcome(kind, destination=dest)
    if not steps:
        return Outcome(OutcomeKind.ABSENT)
    last = steps[-1]
    if last.went_on is False:
        return Outcome(OutcomeKind.ELIMINATED, stage=last.stage, round=last.round)
    return Outcome(OutcomeKind.LAST_PLAYED, stage=last.stage, round=last.round)
