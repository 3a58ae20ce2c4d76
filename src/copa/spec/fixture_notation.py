"""When and where a fixture is played, in the season-file notation.

A match line (or a tie's leg, or a deciding match) may end with details, each
after a ``|``::

    Los Tigres v Tecnológico | matchday 3 | 2026-03-14 | 15:30 | at Estadio Municipal
    Los Tigres 8-1 Tecnológico | matchday 3 | simulated

``matchday N`` (also ``fecha N``) is the matchday; ``YYYY-MM-DD`` the date,
``HH:MM`` the kick-off time (also together: ``2026-03-14 15:30``), ``at
VENUE`` the ground, and ``simulated`` marks a result copa invented (``copa
play``). Lines without a ``|`` are read exactly as before, as fast as before.

>>> text, d = split_details("A v B | matchday 3 | 2026-03-14 15:30 | at Estadio X")
>>> text, d.matchday, d.date, d.kickoff, d.venue, d.simulated
('A v B', 3, '2026-03-14', '15:30', 'Estadio X', False)
>>> details_text(Details(3, None, None, None, True))
' | matchday 3 | simulated'
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache
from typing import NamedTuple, Protocol

from copa.core.match import Match

__all__ = [
    "NO_DETAILS",
    "Details",
    "DetailsError",
    "check_date",
    "check_kickoff",
    "details_of",
    "details_text",
    "split_details",
]

#: the highest matchday a season file accepts (a 40-club double round robin has 78)
MAX_MATCHDAY = 999


class DetailsError(ValueError):
    """A fixture detail that is not in the notation."""


class Details(NamedTuple):
    matchday: int | None = None
    date: str | None = None
    kickoff: str | None = None
    venue: str | None = None
    simulated: bool = False


NO_DETAILS = Details()

_MATCHDAY = re.compile(r"^(?:matchday|fecha|md)\s+(\d{1,3})$", re.I)
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\s+(\d{1,2}:\d{2}))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


def check_date(text: str) -> str:
    """An ISO date ``YYYY-MM-DD`` that exists, else :class:`DetailsError`."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise DetailsError(f"{text!r} is not a date (write it as YYYY-MM-DD, e.g. 2026-03-14)")
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        raise DetailsError(f"{text!r} is not a date in the calendar") from None
    return text


def check_kickoff(text: str) -> str:
    """A kick-off time ``HH:MM`` (24-hour clock), written with two-digit hours."""
    m = _TIME.match(text)
    if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise DetailsError(f"{text!r} is not a kick-off time (write it as HH:MM, e.g. 15:30)")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


def check_matchday(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_MATCHDAY:
        raise DetailsError(f"matchday {n!r}: a matchday is a number from 1 to {MAX_MATCHDAY}")
    return n


@lru_cache(maxsize=4096)
def parse_details(suffix: str) -> Details:
    """The details after a match's first ``|`` (cached: a season repeats a few hundred)."""
    matchday: int | None = None
    date = kickoff = venue = None
    simulated = False
    seen: set[str] = set()
    for raw in suffix.split("|"):
        token = " ".join(raw.split())
        if not token:
            raise DetailsError("an empty detail between '|' (remove the extra '|')")
        kind: str
        if m := _MATCHDAY.match(token):
            kind = "matchday"
            matchday = check_matchday(int(m.group(1)))
        elif m := _DATE.match(token):
            kind = "date"
            date = check_date(m.group(1))
            if m.group(2):
                if "kickoff" in seen:
                    raise DetailsError("the kick-off time is given twice")
                seen.add("kickoff")
                kickoff = check_kickoff(m.group(2))
        elif _TIME.match(token):
            kind = "kickoff"
            kickoff = check_kickoff(token)
        elif token.lower().startswith("at "):
            kind = "venue"
            venue = token[3:].strip()
        elif token.lower() == "simulated":
            kind = "simulated"
            simulated = True
        else:
            raise DetailsError(
                f"unknown fixture detail {token!r} (write matchday N, YYYY-MM-DD, HH:MM, "
                "at VENUE or simulated, each after a '|')"
            )
        if kind in seen:
            raise DetailsError(f"the {kind} is given twice")
        seen.add(kind)
    return Details(matchday, date, kickoff, venue, simulated)


def split_details(text: str) -> tuple[str, Details]:
    """A match's text without its details, and the details (raises :class:`DetailsError`)."""
    head, bar, suffix = text.partition("|")
    if not bar:
        return text, NO_DETAILS
    return head.rstrip(), parse_details(suffix)


class _HasDetails(Protocol):
    matchday: int | None
    date: str | None
    kickoff: str | None
    venue: str | None
    simulated: bool


def model_details(m: _HasDetails) -> Details:
    """The details of a match written as a mapping (``{home: A, away: B, matchday: 3}``)."""
    if m.matchday is None and m.date is None and m.kickoff is None and m.venue is None:
        return Details(simulated=True) if m.simulated else NO_DETAILS
    return Details(
        check_matchday(m.matchday) if m.matchday is not None else None,
        check_date(m.date) if m.date is not None else None,
        check_kickoff(m.kickoff) if m.kickoff is not None else None,
        m.venue,
        m.simulated,
    )


def details_of(m: Match) -> Details:
    return Details(m.matchday, m.date, m.kickoff, m.venue, m.simulated)


@lru_cache(maxsize=4096)
def details_text(d: Details) -> str:
    """The details as written after a match ("" when there are none)."""
    if d == NO_DETAILS:
        return ""
    parts = []
    if d.matchday is not None:
        parts.append(f"matchday {d.matchday}")
    if d.date is not None:
        parts.append(d.date if d.kickoff is None else f"{d.date} {d.kickoff}")
    elif d.kickoff is not None:
        parts.append(d.kickoff)
    if d.venue is not None:
        parts.append(f"at {d.venue}")
    if d.simulated:
        parts.append("simulated")
    return "".join(f" | {p}" for p in parts)


def writable_venue(venue: str | None) -> bool:
    """Whether a venue reads back the same from the ``| at VENUE`` notation."""
    return venue is None or (
        bool(venue)
        and not any(c in venue for c in '|"\\')
        and venue.isprintable()
        and " ".join(venue.split()) == venue
    )


def match_details(m: Match) -> str:
    """The details of ``m`` as written after it ("" for none)."""
    if (
        m.matchday is None
        and m.date is None
        and m.kickoff is None
        and m.venue is None
        and not m.simulated
    ):
        return ""
    return details_text(details_of(m))
