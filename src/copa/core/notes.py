"""Why each club stands where it does in a group table: the notes every output shows.

A note is data (the club qualified, was chosen by a selection, or ranks above the
next club on a criterion); each output words it in its own language by passing a
gettext function to :func:`note_text`. One definition, so the terminal, JSON, CSV
and web tables never disagree about what a note says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from copa.core.criteria import criterion
from copa.core.standings import Separation

if TYPE_CHECKING:
    from copa.core.resolve import GroupResult, RoundResult

Gettext = Callable[[str], str]


def _same(message: str) -> str:
    return message


@dataclass(frozen=True, slots=True)
class Note:
    """One reason in a club's row: ``qualified``, ``selected`` (by ``what``), or ``above``."""

    kind: Literal["qualified", "selected", "above"]
    what: str = ""
    separation: Separation | None = None


def group_notes(rr: RoundResult, g: GroupResult) -> dict[str, tuple[Note, ...]]:
    """Per club, in table order: how it qualified, and what separated it from the club below.

    The separation is noted only where the two clubs are level on points: elsewhere the
    points say it all.
    """
    notes: dict[str, list[Note]] = {s.club: [] for s in g.table.standings}
    for club in g.qualified:
        notes[club].append(Note("qualified"))
    for sel in rr.selections:
        for club in sel.chosen:
            if club in notes:
                notes[club].append(Note("selected", what=sel.what))
    rows = g.table.standings
    for sep, upper, lower in zip(g.table.separations, rows, rows[1:], strict=False):
        if upper.points == lower.points:
            notes[upper.club].append(Note("above", separation=sep))
    return {c: tuple(n) for c, n in notes.items()}


def separation_text(sep: Separation, gettext: Gettext = _same) -> str:
    """Why one club ranks above the next ("Huallaga above UTC on goal difference")."""
    if sep.criterion is None:
        return gettext("{upper} and {lower} are level on every criterion").format(
            upper=sep.upper, lower=sep.lower
        )
    return gettext("{upper} above {lower} on {criterion}").format(
        upper=sep.upper, lower=sep.lower, criterion=gettext(criterion(sep.criterion).label)
    )


def note_text(note: Note, gettext: Gettext = _same) -> str:
    if note.kind == "qualified":
        return gettext("qualified")
    if note.kind == "selected":
        return gettext("qualified as one of the {what}").format(what=gettext(note.what))
    assert note.separation is not None
    return separation_text(note.separation, gettext)


def notes_text(notes: Mapping[str, tuple[Note, ...]], gettext: Gettext = _same) -> dict[str, str]:
    """Each club's notes as one line, ``; ``-separated."""
    return {c: "; ".join(note_text(n, gettext) for n in ns) for c, ns in notes.items()}
