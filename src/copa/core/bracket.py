"""A knockout stage laid out as a bracket: each round's ties in bracket order.

The first round keeps the order it was listed in; each later round is
ordered by the ties its clubs came from, so feeders sit next to each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.resolve import RoundResult, StageResult
from copa.core.tie import TieResult


@dataclass(frozen=True)
class Bracket:
    stage: str
    rounds: tuple[tuple[str, tuple[TieResult, ...]], ...]

    @property
    def champion(self) -> str | None:
        """The winner of the last round, when that round is a single tie (a final)."""
        if not self.rounds or len(self.rounds[-1][1]) != 1:
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
    ordered: list[tuple[TieResult, ...]] = [rounds[0].ties]
    for nxt in rounds[1:]:
        prev = ordered[-1]
        where: dict[str, int] = {t.winner: i for i, t in enumerate(prev) if t.winner}
        where.update({c: i for i, t in enumerate(prev) for c in t.tie.teams if c not in where})

        def feeder(t: TieResult, where: dict[str, int] = where, last: int = len(prev)) -> int:
            return min((where.get(c, last) for c in t.tie.teams), default=last)

        ordered.append(tuple(sorted(nxt.ties, key=feeder)))
    return Bracket(
        stage.stage.name,
        tuple((r.round.name, ties) for r, ties in zip(rounds, ordered, strict=True)),
    )
