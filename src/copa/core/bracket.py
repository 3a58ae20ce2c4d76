"""A knockout stage laid out as a bracket: each round's ties in bracket order.

The order comes from the results: walking back from the last round, each
tie is preceded by the two ties its clubs came from.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.resolve import RoundResult, StageResult
from copa.core.tie import TieResult


@dataclass(frozen=True)
class Bracket:
    stage: str
    rounds: tuple[tuple[str, tuple[TieResult, ...]], ...]
    #: the stage's places are decided (not while anything it depends on is still to play)
    decided: bool = True

    @property
    def champion(self) -> str | None:
        """The winner of the last round, when that round is a single tie (a final),
        once the stage's places are decided."""
        if not self.decided or not self.rounds or len(self.rounds[-1][1]) != 1:
            return None
        return self.rounds[-1][1][0].winner


def bracket(stage: StageResult) -> Bracket:
    """Bracket of the last run of knockout rounds in ``stage``.

    A stage may end with a group (2019's final group of four); the bracket
    is then the knockout rounds before it.
    """
    rounds: list[RoundResult] = []
    for r in reversed(stage.rounds):
        if r.groups or not r.ties:
            if rounds:
                break
            continue
        rounds.insert(0, r)
    if not rounds:
        return Bracket(stage.stage.name, ())
    # From the last round back: each tie is preceded by the ties its clubs came
    # from, the earlier-listed feeder first, so feeders sit next to each other
    # whatever order a round was listed in (2019 lists its round of 32 by seed).
    ordered: list[tuple[TieResult, ...]] = [rounds[-1].ties]
    for prev in reversed(rounds[:-1]):
        listed = {id(t): i for i, t in enumerate(prev.ties)}
        by_club = {c: t for t in prev.ties for c in t.tie.teams}
        seq: list[TieResult] = []
        for later in ordered[0]:
            feeders = {id(f): f for c in later.tie.teams if (f := by_club.get(c)) is not None}
            for f in sorted(feeders.values(), key=lambda t: listed[id(t)]):
                if all(f is not t for t in seq):
                    seq.append(f)
        seq.extend(t for t in prev.ties if all(t is not u for u in seq))
        ordered.insert(0, tuple(seq))
    return Bracket(
        stage.stage.name,
        tuple((r.round.name, ties) for r, ties in zip(rounds, ordered, strict=True)),
        stage.places_by != "undecided",
    )
