"""Points per result: 3/1/0 since the 1990s, 2/1/0 in older seasons."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PointsScheme:
    """Points for a win, a draw and a loss.

    >>> PointsScheme().for_goals(2, 1), PointsScheme(win=2).for_goals(1, 1)
    (3, 1)
    """

    win: int = 3
    draw: int = 1
    loss: int = 0

    def for_goals(self, scored: int, conceded: int) -> int:
        if scored > conceded:
            return self.win
        if scored == conceded:
            return self.draw
        return self.loss


DEFAULT = PointsScheme()
