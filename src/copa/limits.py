"""The limits copa sets on its input, and how error lines quote what they read.

Every limit is far above any real Copa Perú (about 20,000 clubs in its
district leagues, groups of at most a few dozen clubs, scores of at most a
few dozen goals) and fails with one line naming the file, line and field
(``docs/limits.md``). They keep bad or hostile input from exhausting memory
or time: a 10,000-goal score, a 4,300-digit slot number, a FIFO, a million
nested templates.

>>> quote("Atlético Grau")
"'Atlético Grau'"
>>> quote("a\\u0085b\\nc")
"'a\\\\x85b\\\\nc'"
>>> quote("x" * 10_000, 5)
"'xxxxx'… (10,000 characters)"
"""

from __future__ import annotations

from collections.abc import Collection

from copa.core.match import MAX_GOALS
from copa.core.slot import SlotRef

__all__ = [
    "MAX_CLUBS",
    "MAX_GOALS",
    "MAX_GROUP_CLUBS",
    "MAX_INPUT_BYTES",
    "MAX_PLACE",
    "MAX_WIKI_NESTING",
    "one_line",
    "place_number",
    "quote",
    "slot_ref",
]

#: bytes read from any one input file (season file, format, article, CSV, JSON);
#: a generated 100,000-club season is about 140 MB
MAX_INPUT_BYTES = 256 * 1024 * 1024
#: clubs in one season (``generate --clubs`` included); real Copa Perú: about 20,000,
#: and a 100,000-club season loads in proportion (docs/benchmarks.md)
MAX_CLUBS = 200_000
#: clubs in one group (a group of n clubs plays n·(n-1) matches)
MAX_GROUP_CLUBS = 200
#: goals of one side in one match, after extra time, or in a shoot-out: MAX_GOALS (999)
#: a place in a stage ("Region II/3"), a promotion place, a count of qualifiers
MAX_PLACE = MAX_CLUBS
#: templates, tables and links nested inside each other in wikitext
MAX_WIKI_NESTING = 100
#: characters of input an error line quotes
QUOTE_CHARS = 80


def quote(text: object, limit: int = QUOTE_CHARS) -> str:
    """``text`` as an error line quotes it: escaped (no line breaks or control
    characters) and shortened to about ``limit`` characters."""
    if not isinstance(text, str):
        whole = repr(text)  # a number, a list: as Python writes it
        return whole if len(whole) <= limit else whole[:limit] + f"… ({len(whole):,} characters)"
    shown = repr(text[:limit])
    if len(shown) > 2 * limit:  # escapes
        shown = shown[: 2 * limit] + shown[0]
    if len(text) > limit:
        shown += f"… ({len(text):,} characters)"
    return shown


def one_line(message: str, limit: int = 2_000) -> str:
    """A message made safe for one line on a terminal: line breaks and control
    characters escaped, and at most ``limit`` characters."""
    if message.isprintable() and len(message) <= limit:
        return message
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in message)
    return out if len(out) <= limit else out[:limit] + f"… ({len(out):,} characters)"


def place_number(text: str) -> int | None:
    """The place a slot names (``"3"`` in ``Region II/3``): 1 to MAX_PLACE, else None.

    >>> place_number("3"), place_number("0"), place_number("²"), place_number("9" * 5000)
    (3, None, None, None)
    """
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_PLACE)):
        return None
    n = int(text)
    return n if 1 <= n <= MAX_PLACE else None


def slot_ref(text: str, stages: Collection[str] | None = None) -> SlotRef | None:
    """The slot ``text`` names (``"Region II/3"``), when it is 'Stage/place' with the place
    in 1 to MAX_PLACE, and the stage one of ``stages`` if given; else None.

    >>> slot_ref("Region II/3"), slot_ref("Region II/0"), slot_ref("X/1", ["Y"])
    (SlotRef(stage='Region II', place=3), None, None)
    """
    slot = SlotRef.read(text)
    if slot is None or slot.place > MAX_PLACE or (stages is not None and slot.stage not in stages):
        return None
    return slot
