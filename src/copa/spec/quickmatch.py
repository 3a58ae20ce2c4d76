"""The fast path for the plain match line: ``Home 2-1 Away | matchday 3 | simulated``.

A big season's groups are almost all such lines. The full path
(:func:`copa.spec.scores.parse_match_line`: space normalisation, the result
grammar's regex, the result object, then ``Match.__init__``'s checks) costs
about 25 µs a line; this one pattern and one prebuilt constructor cost a
fraction of it. It takes a line only when the full path would certainly read
it the same way, and returns None otherwise (then the full path reads it and
words any error):

* the text before the first ``|`` is words separated by single spaces, with
  the score ``h-a`` (at most 3 digits a side) between the two names;
* the home name holds no dash (so no earlier score can start in it) and does
  not end with ``w/o``, ``awarded`` or ``annulled``; the away name does not
  start with ``aet`` or ``(`` (which would extend the result);
* the details after it are read by the notation's own (cached) reader.

``tests/test_quickmatch.py`` checks it against the full path on generated lines.
"""

from __future__ import annotations

import re
from typing import Any

from copa.core.match import Match, MatchStatus, Score
from copa.spec.cache import _builder, _fields
from copa.spec.fixture_notation import DetailsError, parse_details
from copa.spec.quickread import enabled

_LINE = re.compile(
    r"([^\s|\-–—]+(?: [^\s|\-–—]+)*?) (\d{1,3})-(\d{1,3}) ([^\s|(][^\s|]*(?: [^\s|]+)*)"
    r"(?: \|(.*))?"
)
_KINDS = ("w/o", "awarded", "annulled")
_FIELDS = (
    "home", "away", "score", "extra_time", "penalties", "status", "original", "neutral",
    "note", "recorded_winner", "shot_first", "matchday", "date", "kickoff", "venue",
    "simulated",
)  # fmt: skip
#: Match built from its field values, without ``__init__`` (None if Match changed shape)
_BUILD: Any = _builder(Match) if _fields(Match) == _FIELDS and enabled() else None
_PLAYED = MatchStatus.PLAYED


def plain_match(line: str, path: Any, club: Any) -> Match | None:
    """The match ``line`` says, when it is a plain played line; else None.

    ``club`` maps a name as written to the club's full name (raising the
    loader's error for an unknown one, at ``path``), as in the full path.
    """
    m = _LINE.fullmatch(line)
    if m is None or _BUILD is None:
        return None
    home, hg, ag, away, suffix = m.groups()
    if away.startswith("aet") or home.endswith(_KINDS):
        return None
    if suffix is None:
        md = date = kickoff = venue = None
        simulated = False
    else:
        try:
            md, date, kickoff, venue, simulated = parse_details(suffix)
        except DetailsError:
            return None
    h, a = club(home, path), club(away, path)
    if h == a:
        return None
    # fmt: off
    values = (h, a, Score(int(hg), int(ag)), None, None, _PLAYED, None, False, "", None,
              None, md, date, kickoff, venue, simulated)
    # fmt: on
    return _BUILD(values)  # type: ignore[no-any-return]
