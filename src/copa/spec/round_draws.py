"""A round's recorded draws (``draws:`` in a season file): read, and checked against the round.

Every draw, slot map, bracket and rival choice that made a round's groups or
ties is kept in the season file (``docs/pyramid.md``, "Draws are facts of the
season"). When the file is loaded each must give the round's groups or ties
and replay from its seed to itself, so an edited draw is found at its line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from copa.core.draw import DrawRecord
from copa.core.group import Group
from copa.core.grouping import GroupDraw, RivalDraw, draw_from_dict
from copa.core.stage import Draw
from copa.core.tie import Tie

Path_ = tuple[str | int, ...]
Err = Callable[[Path_, str], Exception]


def read_draws(items: Sequence[dict[str, Any]], path: Path_, err: Err) -> tuple[Draw, ...]:
    """The draws as the core's records; a malformed one is an error at its line."""
    draws: list[Draw] = []
    for i, d in enumerate(items):
        try:
            draws.append(draw_from_dict(d))
        except ValueError as e:
            raise err((*path, i), str(e)) from None
    return tuple(draws)


def rivals_of(draws: Sequence[Draw]) -> RivalDraw | None:
    """The round's rivals draw, if it has one: its groups are partial round robins."""
    return next((d for d in draws if isinstance(d, RivalDraw)), None)


def check_draws(
    draws: Sequence[Draw], groups: Sequence[Group], ties: Sequence[Tie], path: Path_, err: Err
) -> None:
    """Draws must give the round's groups and ties, and replay to themselves."""
    for i, d in enumerate(draws):
        p: Path_ = (*path, i)
        if isinstance(d, DrawRecord):
            want = sorted(tuple(sorted(pair)) for pair in d.pairs)
            got = sorted(tuple(sorted(t.teams)) for t in ties)
            if want != got:
                raise err(p, "the round's ties are not the pairs of this draw")
            try:
                again_pairs = d.replay() if d.method == "random" else d
            except ValueError as e:  # DrawError: no draw meets the recorded constraints
                raise err(p, str(e)) from None
            if again_pairs != d:
                raise err(p, f"the draw does not replay from its seed {d.seed}: was it edited?")
        elif isinstance(d, GroupDraw):
            if sorted(map(sorted, d.groups)) != sorted(sorted(g.clubs) for g in groups):
                raise err(p, "the round's groups are not the groups of this draw")
            try:
                again = d.replay()
            except ValueError as e:
                raise err(p, str(e)) from None
            if again.groups != d.groups:
                raise err(p, f"the group draw does not replay from its seed {d.seed}")
        elif isinstance(d, RivalDraw) and set(d.clubs) != {c for g in groups for c in g.clubs}:
            raise err(p, "the rivals draw is not between the round's clubs")
