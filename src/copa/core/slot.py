"""A place of an earlier stage, as the later stages name it: ``"Region I/1"``.

Stages enter clubs by place (``entrants_from``) and national ties are drawn by slot
(``Tie.slots``); both write ``"Stage/place"``. This is the one reader of that text,
so every part of copa agrees on what a malformed or out-of-range slot is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from copa.core.quick import quick_init

#: more digits than this in a place is not a place (and not worth ``int()``)
_DIGITS = 9


@dataclass(frozen=True, slots=True)
class SlotRef:
    """The club placed ``place`` (1-based) in stage ``stage``."""

    stage: str
    place: int

    @classmethod
    def read(cls, text: str) -> SlotRef | None:
        """``"Region I/1"`` -> ``SlotRef("Region I", 1)``; None when it is not 'Stage/place'.

        The stage's own name may contain ``/``: the place is what follows the last one.
        """
        stage, sep, place = text.rpartition("/")
        if not (sep and stage and place.isascii() and place.isdigit() and len(place) <= _DIGITS):
            return None
        n = int(place)
        return cls(stage, n) if n >= 1 else None

    @classmethod
    def parse(cls, text: str) -> SlotRef:
        """Like :meth:`read`, for slots already checked by a reader: raises ValueError."""
        ref = cls.read(text)
        if ref is None:
            raise ValueError(f"slot {text!r} is not 'Stage/place'")
        return ref

    def __str__(self) -> str:
        return f"{self.stage}/{self.place}"

    def club(self, places: Mapping[str, tuple[str, ...]]) -> str | None:
        """The club in this place once the stage has decided it, else None."""
        got = places.get(self.stage, ())
        return got[self.place - 1] if self.place <= len(got) else None

    def describe(self) -> str:
        """``"winner of Region VIII, to be decided"``: what a waiting slot shows."""
        what = {1: "winner", 2: "runner-up", 3: "3rd"}.get(self.place, f"{self.place}th")
        return f"{what} of {self.stage}, to be decided"


quick_init(SlotRef)
