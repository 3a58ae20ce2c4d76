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
from copa.core.quick import builder, plain_fields
from copa.spec.errors import SeasonFileError
from copa.spec.fixture_notation import NO_DETAILS, Details, DetailsError, parse_details
from copa.spec.quickread import enabled

_LINE = re.compile(
    r"([^\s|\-–—]+(?: [^\s|\-–—]+)*?) (\d{1,3})-(\d{1,3}) ([^\s|(][^\s|]*(?: [^\s|]+)*)"
    r"(?: \|(.*))?"
)
#: the same, for each line of a block at once (``bar`` empty: no details)
#: or a fixture to play, ``Home v Away``: then neither name holds a dash (so no score
#: can be read in the line) or a colon (a status, ``: not played``)
#: (the home name's last word is no kind of result, the away name starts with no
#: ``aet``: in the pattern; ``tail`` is "" or the details with their first ``|``)
_LINES = re.compile(
    r"^([^\s|\-–—]+(?: [^\s|\-–—]+)*?)(?<!\bw/o)(?<!\bawarded)(?<!\bannulled)"
    r" (?:((\d{1,3})-(\d{1,3})) (?!aet)([^\s|(][^\s|]*(?: [^\s|]+)*)"
    r"|v ([^\s|:\-–—]+(?: [^\s|:\-–—]+)*))(?: (\|.*))?$",
    re.M,
)
_KINDS = ("w/o", "awarded", "annulled")
_FIELDS = (
    "home", "away", "score", "extra_time", "penalties", "status", "original", "neutral",
    "note", "recorded_winner", "shot_first", "matchday", "date", "kickoff", "venue",
    "simulated",
)  # fmt: skip
_PLAYED = MatchStatus.PLAYED


def _maker() -> Any:
    """``make(home, away, score, status, details)``: a plain Match without ``__init__``
    (None if Match changed shape, or the fast path is off).

    Setting a frozen class's slots one setter call at a time cost most of a block's
    reading; instead an instance of a twin class (Match's slots, not frozen) takes
    plain attribute stores, then becomes a Match (``__class__`` assignment, which
    Python allows between classes of the same layout). Checked once against
    ``Match(...)`` here: any difference, and the slots are set one by one."""
    if plain_fields(Match) != _FIELDS or not enabled():
        return None
    space: dict[str, Any] = {"new": object.__new__, "cls": Match, "twin": type(
        "MatchTwin", (), {"__slots__": Match.__slots__}
    )}  # fmt: skip
    code = (
        "def make(h, a, score, status, d):\n"
        "    o = new(twin)\n"
        "    o.home = h; o.away = a; o.score = score; o.extra_time = None\n"
        "    o.penalties = None; o.status = status; o.original = None; o.neutral = False\n"
        "    o.note = ''; o.recorded_winner = None; o.shot_first = None\n"
        "    o.matchday, o.date, o.kickoff, o.venue, o.simulated = d\n"
        "    o.__class__ = cls\n"
        "    return o\n"
    )
    exec(code, space)  # the field names are the ones checked just above
    make, build = space["make"], builder(Match)
    d = Details(3, "2019-05-01", "15:30", "Estadio", True)
    want = Match("A", "B", Score(2, 1), matchday=3, date="2019-05-01", kickoff="15:30",
                 venue="Estadio", simulated=True)  # fmt: skip
    try:
        got = make("A", "B", Score(2, 1), _PLAYED, d)
        if type(got) is Match and got == want and repr(got) == repr(want):
            return make
    except TypeError:  # a layout __class__ assignment refuses
        pass
    return lambda h, a, score, status, d: build(
        (h, a, score, None, None, status, None, False, "", None, None, *d)
    )


#: a plain Match from its names, score, status and details (None: no fast path)
_MAKE: Any = _maker()


def _read(line: str) -> tuple[Any, ...] | None:
    """Home and away as written, the score and the details of a plain line, else None."""
    m = _LINE.fullmatch(line)
    if m is None:
        return None
    home, hg, ag, away, suffix = m.groups()
    if away.startswith("aet") or home.endswith(_KINDS):
        return None
    if suffix is None:
        return home, away, Score(int(hg), int(ag)), NO_DETAILS
    try:
        return home, away, Score(int(hg), int(ag)), parse_details(suffix)
    except DetailsError:
        return None


def _match(h: str, a: str, score: Score, d: Details) -> Match:
    return _MAKE(h, a, score, _PLAYED, d)  # type: ignore[no-any-return]


def plain_match(line: str, path: Any, club: Any) -> Match | None:
    """The match ``line`` says, when it is a plain played line; else None.

    ``club`` maps a name as written to the club's full name (raising the
    loader's error for an unknown one, at ``path``), as in the full path.
    """
    read = _read(line) if _MAKE is not None else None
    if read is None:
        return None
    home, away, score, details = read
    h, a = club(home, path), club(away, path)
    return None if h == a else _match(h, a, score, details)


def plain_block(block: str, club: Any, members: set[str], legs: int) -> list[Match] | None:
    """Every match of a group's block of lines (``matches: |``), when every line is plain
    (a played ``Home 2-1 Away`` or a fixture to play, ``Home v Away``),
    names two of the group's ``members`` and repeats no fixture; else None, and the
    caller reads the block line by line, wording the first error at its line.

    The lines are matched in one pass over the block (``findall``), then counted:
    a line the pattern skips makes the count differ, and the block is refused.
    Each name is looked up once a block, and repeated fixtures are found once at the
    end (a set of the pairs), not line by line: a refused block is read again anyway.
    """
    if _MAKE is None:
        return None
    found = _LINES.findall(block)
    if len(found) != block.count("\n") + (not block.endswith("\n")):
        return None  # a line that is not plain (or a blank one)
    out: list[Match] = []
    pairs: list[tuple[str, str]] = []
    # a name as written -> its member's full name (a member's own name: itself, as
    # no club's alias is another's name, copa.spec.season_file.club_names)
    names = {m: m for m in members}
    tails, scores = _TAILS, _SCORES
    make, played, scheduled = _MAKE, _PLAYED, MatchStatus.SCHEDULED
    try:
        for home, written, hg, ag, away, fixture_away, tail in found:
            if not written:
                if " v " in home:
                    return None  # the full path splits at the first " v "
                away = fixture_away
            try:
                h, a, d = names[home], names[away], tails[tail]
            except KeyError:  # an alias, a stranger, or details not met yet
                hm, am = _member(home, club, members, names), _member(away, club, members, names)
                dm = tails.get(tail) or _details(tail)
                if hm is None or am is None or dm is None:
                    return None
                h, a, d = hm, am, dm
            if h == a:
                return None
            pairs.append((h, a))
            if written:
                try:
                    score = scores[written]
                except KeyError:
                    score = Score(int(hg), int(ag))
                out.append(make(h, a, score, played, d))
            else:
                out.append(make(h, a, None, scheduled, d))
    except SeasonFileError:  # an unknown club: the line-by-line reading names its line
        return None
    return out if _distinct(pairs, legs) else None


#: the details of each tail met (``"| matchday 3 | simulated"``), and the common scores
_TAILS: dict[str, Details] = {"": NO_DETAILS}
_SCORES = {f"{h}-{a}": Score(h, a) for h in range(16) for a in range(16)}


def _details(tail: str) -> Details | None:
    """The details of a line's tail (remembered for the next line), None if not details."""
    try:
        d = parse_details(tail[1:])
    except DetailsError:
        return None
    if len(_TAILS) < 4096:
        _TAILS[tail] = d
    return d


def _member(name: str, club: Any, members: set[str], names: dict[str, str]) -> str | None:
    """The full name of the member ``name`` names (remembered in ``names``), else None."""
    known = names.get(name)
    if known is not None:
        return known
    full: str = club(name, ())
    if full not in members:
        return None
    names[name] = full
    return full


def _distinct(pairs: list[tuple[str, str]], legs: int) -> bool:
    """No fixture twice (and, over one leg, no pair twice either way round)."""
    if legs == 1:
        return len({(h, a) if h < a else (a, h) for h, a in pairs}) == len(pairs)
    return len(set(pairs)) == len(pairs)
