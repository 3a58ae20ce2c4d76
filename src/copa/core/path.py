"""One club's path through a season: every round it played and how it ended."""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.match import Match
from copa.core.resolve import SeasonResult
from copa.core.tie import LABELS


@dataclass(frozen=True, slots=True)
class Step:
    stage: str
    round: str
    #: "group", "tie" or "decider"
    kind: str
    summary: str
    matches: tuple[Match, ...]
    went_on: bool | None


@dataclass(frozen=True)
class ClubPath:
    club: str
    steps: tuple[Step, ...]
    outcome: str


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
                pts = "pt" if row.points == 1 else "pts"
                summary = (
                    f"{g.group.name}: {_ordinal(row.position)} of {len(g.table.standings)}, "
                    f"{row.points} {pts} ({row.won}W {row.drawn}D {row.lost}L, "
                    f"{row.goals_for}-{row.goals_against})"
                )
                steps.append(Step(sr.stage.name, rr.round.name, "group", summary, mine, through))
                for d in g.deciders:
                    if club in d.tie.teams:
                        won = d.winner == club
                        steps.append(
                            Step(
                                sr.stage.name,
                                "Tiebreaker",
                                "decider",
                                f"deciding match: {d.tie.legs[0]} ({'won' if won else 'lost'})",
                                d.tie.legs,
                                won,
                            )
                        )
            for t in rr.ties:
                if club not in t.tie.teams:
                    continue
                opp = t.tie.teams[1] if t.tie.teams[0] == club else t.tie.teams[0]
                a, b = t.aggregate if t.tie.teams[0] == club else t.aggregate[::-1]
                if t.winner is None:
                    how = "undecided"
                elif t.winner == club:
                    how = f"won on {LABELS.get(t.decided_by or '', '?')}"
                else:
                    how = f"lost on {LABELS.get(t.decided_by or '', '?')}"
                    if through:
                        how += ", went on as a best loser"
                n = len(t.tie.legs)
                summary = f"v {opp}: {a}-{b} over {n} {'leg' if n == 1 else 'legs'}, {how}"
                steps.append(
                    Step(sr.stage.name, rr.round.name, "tie", summary, t.tie.matches, through)
                )
    outcome = _outcome(result, club, steps)
    return ClubPath(club, tuple(steps), outcome)


def _outcome(result: SeasonResult, club: str, steps: list[Step]) -> str:
    for dest_club, dest in result.promoted:
        if dest_club == club:
            place = {result.champion: "champion", result.runner_up: "runner-up"}.get(
                club, "promoted"
            )
            return f"{place}: promoted to {dest}"
    if not steps:
        return "did not take part in the stages played"
    last = steps[-1]
    if last.went_on is False:
        return f"eliminated in {last.stage}, {last.round}"
    return f"last played in {last.stage}, {last.round}"


def _ordinal(n: int) -> str:
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")
