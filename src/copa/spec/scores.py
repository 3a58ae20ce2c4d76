"""The score notation of season files.

``4-0``, ``1-1 aet 2-1`` (score after extra time), ``0-0 (3-5 p)``
(shoot-out), ``w/o 3-0`` (walkover, awarded score), ``awarded 3-0 (was 1-2)``,
``annulled 2-1``, ``scheduled``, ``not played``. En and em dashes are
accepted for the hyphen, as Wikipedia writes them.

Scores as sources publish them: ``aet 2-3`` (known only after extra time),
``? (4-3 p)`` (played, only the shoot-out known), ``played, winner A``
(played, only the winner known); a shoot-out may name who shot first:
``1-1 (4-3 p, A first)``.

>>> r = parse_result("aet 2-3")
>>> r.score, r.extra_time
(None, Score(home=2, away=3))
>>> parse_result("played, winner Los Caimanes").winner
'Los Caimanes'
>>> format_result(parse_result("? (4-3 p, B first)"))
'? (4-3 p, B first)'

>>> parse_result("0-0 (3-5 p)").penalties
Score(home=3, away=5)
>>> format_result(parse_result("1-1 aet 2-2 (4-3 p)"))
'1-1 aet 2-2 (4-3 p)'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from copa.core.match import MAX_GOALS, Match, MatchStatus, Score
from copa.limits import quote
from copa.spec.fixture_notation import NO_DETAILS, Details

_N = r"(\d+)\s*[-–—]\s*(\d+)"
_RESULT = re.compile(
    rf"^(?:(?P<kind>w/o|awarded|annulled)\s+)?{_N}"
    rf"(?:\s+aet\s+(?P<eh>\d+)\s*[-–—]\s*(?P<ea>\d+))?"
    rf"(?:\s*\((?P<ph>\d+)\s*[-–—]\s*(?P<pa>\d+)\s*p(?:,\s*(?P<first>.+?)\s+first)?\))?"
    rf"(?:\s*\(was\s+(?P<oh>\d+)\s*[-–—]\s*(?P<oa>\d+)\))?$"
)
_PENS = r"(?:\s*\((?P<ph>\d+)\s*[-–—]\s*(?P<pa>\d+)\s*p(?:,\s*(?P<first>.+?)\s+first)?\))"
_AET_ONLY = re.compile(rf"^aet\s+(?P<eh>\d+)\s*[-–—]\s*(?P<ea>\d+){_PENS}?$", re.I)
_PENS_ONLY = re.compile(rf"^\?{_PENS}$")
_WINNER_ONLY = re.compile(r"^played,\s*winner\s+(?P<winner>\S.*)$", re.I)
_PLAIN = re.compile(r"(\d{1,3})-(\d{1,3})")
_NO_SCORE = {"scheduled": MatchStatus.SCHEDULED, "not played": MatchStatus.NOT_PLAYED}


class ScoreError(ValueError):
    """A score string that is not in the notation."""


@dataclass(frozen=True, slots=True)
class Result:
    score: Score | None
    extra_time: Score | None = None
    penalties: Score | None = None
    status: MatchStatus = MatchStatus.PLAYED
    original: Score | None = None
    #: played, score unknown: the winner the source records (a club name)
    winner: str | None = None
    #: the club that took the shoot-out's first kick (a club name)
    first: str | None = None

    def reversed(self) -> Result:
        def rev(s: Score | None) -> Score | None:
            return s.reversed() if s is not None else None

        return Result(
            rev(self.score),
            rev(self.extra_time),
            rev(self.penalties),
            self.status,
            rev(self.original),
            self.winner,
            self.first,
        )


def match_result(m: Match) -> Result:
    """The result a match records, in the notation's terms (its winner and first shooter
    included): what the season file, the history and the exports write."""
    return Result(
        m.score, m.extra_time, m.penalties, m.status, m.original, m.recorded_winner, m.shot_first
    )


def parse_result(text: object, *, leg: bool = False) -> Result:
    """Parse one result; raises :class:`ScoreError` saying what is wrong.

    A second ``leg`` may carry a shoot-out although its own score was not
    level (the aggregate was); any other match must be level for one.
    """
    if not isinstance(text, str):
        raise ScoreError(f"{quote(text)} is not a score (write it like 2-1)")
    plain = _PLAIN.fullmatch(text)
    if plain is not None:  # the common case, by far: "2-1"
        return Result(Score(int(plain.group(1)), int(plain.group(2))))
    t = " ".join(text.strip().split())
    if t.lower() in _NO_SCORE:
        return Result(None, status=_NO_SCORE[t.lower()])
    partial = _partial(text, t, leg)
    if partial is not None:
        return partial
    m = _RESULT.match(t)
    if m is None:
        if re.search(r"(^|\s|[-–—(])-\d", t):
            raise ScoreError(f"{quote(text)}: goals cannot be negative")
        raise ScoreError(
            f"{quote(text)} is not a score (write it like 2-1, 1-1 aet 2-1, 0-0 (4-3 p))"
        )
    g = m.groupdict()
    skip = {_RESULT.groupindex["kind"], _RESULT.groupindex["first"]}  # not goal counts
    for i, n in enumerate(m.groups(), 1):
        if i in skip:
            continue
        if n is not None and (len(n) > len(str(MAX_GOALS)) or int(n) > MAX_GOALS):
            raise ScoreError(
                f"{quote(text, 40)}: more than {MAX_GOALS} goals is not a football score"
            )
    score = Score(int(m.group(2)), int(m.group(3)))
    et = Score(int(g["eh"]), int(g["ea"])) if g["eh"] is not None else None
    pens = Score(int(g["ph"]), int(g["pa"])) if g["ph"] is not None else None
    orig = Score(int(g["oh"]), int(g["oa"])) if g["oh"] is not None else None
    kind = g["kind"]
    status = {
        None: MatchStatus.PLAYED,
        "w/o": MatchStatus.WALKOVER,
        "awarded": MatchStatus.AWARDED,
        "annulled": MatchStatus.ANNULLED,
    }[kind]
    if orig is not None and status is not MatchStatus.AWARDED:
        raise ScoreError(f"{quote(text)}: '(was ...)' only goes with 'awarded'")
    if et is not None and (et.home < score.home or et.away < score.away):
        raise ScoreError(
            f"{quote(text)}: the score after extra time counts the 90 minutes, "
            "so it cannot be lower"
        )
    final = et or score
    if pens is not None and final.home != final.away and not leg:
        raise ScoreError(f"{quote(text)}: penalties recorded, but the match was not level")
    if pens is not None and pens.home == pens.away:
        raise ScoreError(f"{quote(text)}: a shoot-out cannot end level")
    return Result(score, et, pens, status, orig, first=_first(g["first"]))


def _first(name: str | None) -> str | None:
    return " ".join(name.split()) if name is not None else None


def _pens(text: str, g: dict[str, str | None], level: bool) -> Score | None:
    if g["ph"] is None:
        return None
    pens = Score(int(g["ph"]), int(g["pa"]))  # type: ignore[arg-type]
    if pens.home == pens.away:
        raise ScoreError(f"{quote(text)}: a shoot-out cannot end level")
    if not level:
        raise ScoreError(f"{quote(text)}: penalties recorded, but the match was not level")
    return pens


def _partial(text: str, t: str, leg: bool) -> Result | None:
    """The forms without a 90-minute score: ``aet 2-3``, ``? (4-3 p)``, ``played, winner A``."""
    m = _AET_ONLY.match(t) or _PENS_ONLY.match(t)
    if m is not None:
        _bounded(text, m.groupdict())
    m = _AET_ONLY.match(t)
    if m is not None:
        g = m.groupdict()
        et = Score(int(g["eh"]), int(g["ea"]))
        pens = _pens(text, g, leg or et.home == et.away)
        return Result(None, et, pens, first=_first(g["first"]))
    m = _PENS_ONLY.match(t)
    if m is not None:
        g = m.groupdict()
        return Result(None, None, _pens(text, g, True), first=_first(g["first"]))
    m = _WINNER_ONLY.match(t)
    if m is not None:
        return Result(None, winner=m.group("winner").strip())
    return None


def _bounded(text: str, groups: dict[str, str | None]) -> None:
    """Goal counts in a score's text are football numbers, checked before ``int``."""
    for key, n in groups.items():
        if (
            key not in ("first", "winner")
            and n is not None
            and (len(n) > len(str(MAX_GOALS)) or int(n) > MAX_GOALS)
        ):
            raise ScoreError(
                f"{quote(text, 40)}: more than {MAX_GOALS} goals is not a football score"
            )


def format_result(r: Result) -> str:
    if r.score is None:
        if r.extra_time is not None:
            text = f"aet {r.extra_time.home}-{r.extra_time.away}"
        elif r.penalties is not None:
            text = "?"
        elif r.winner is not None:
            return f"played, winner {r.winner}"
        else:
            return "scheduled" if r.status is MatchStatus.SCHEDULED else "not played"
        if r.penalties is not None:
            first = f", {r.first} first" if r.first is not None else ""
            text += f" ({r.penalties.home}-{r.penalties.away} p{first})"
        return text
    text = f"{r.score.home}-{r.score.away}"
    if r.extra_time is not None:
        text += f" aet {r.extra_time.home}-{r.extra_time.away}"
    if r.penalties is not None:
        first = f", {r.first} first" if r.first is not None else ""
        text += f" ({r.penalties.home}-{r.penalties.away} p{first})"
    prefix = {
        MatchStatus.WALKOVER: "w/o ",
        MatchStatus.AWARDED: "awarded ",
        MatchStatus.ANNULLED: "annulled ",
    }.get(r.status, "")
    if r.original is not None:
        text += f" (was {r.original.home}-{r.original.away})"
    return prefix + text


_RES = (
    r"(?:(?:w/o|awarded|annulled)\s+)?\d+\s*[-–—]\s*\d+(?:\s+aet\s+\d+\s*[-–—]\s*\d+)?"
    r"(?:\s*\(\d+\s*[-–—]\s*\d+\s*p(?:,\s*(?:[^()]|\([^()]*\))+?\s+first)?\))?"
    r"(?:\s*\(was\s+\d+\s*[-–—]\s*\d+\))?"
)
_MATCH = re.compile(rf"^(?P<home>.+?)\s+(?P<result>{_RES})\s+(?P<away>.+)$")
_FIXTURE = re.compile(r"^(?P<home>.+?)\s+v\s+(?P<away>.+?)(?:\s*:\s*(?P<status>.+))?$")


def parse_match_line(text: object) -> tuple[str, str, Result]:
    """``"Home 2-1 Away"``, ``"Home v Away"`` or ``"Home v Away: not played"``.

    >>> parse_match_line("9 de Octubre 0-5 Defensor San José")[:2]
    ('9 de Octubre', 'Defensor San José')
    """
    if not isinstance(text, str):
        raise ScoreError(f"{quote(text)} is not a match (write it like 'Home 2-1 Away')")
    t = " ".join(text.strip().split())
    m = _MATCH.match(t)
    if m is not None:
        return m.group("home"), m.group("away"), parse_result(m.group("result"))
    f = _FIXTURE.match(t)
    if f is not None:
        return f.group("home"), f.group("away"), parse_result(f.group("status") or "scheduled")
    if re.search(r"(^|\s|[-–—])-\d", t):
        raise ScoreError(f"{quote(text)}: goals cannot be negative")
    raise ScoreError(
        f"{quote(text)} is not a match (write it like 'Home 2-1 Away' or 'Home v Away')"
    )


def match_of(
    home: str,
    away: str,
    res: Result,
    fx: Details = NO_DETAILS,
    *,
    neutral: bool = False,
    note: str = "",
    winner: str | None = None,
    first: str | None = None,
) -> Match:
    """The match a result and its fixture details make (``winner`` and ``first``, the
    recorded winner and first shooter, as full club names); ``ValueError`` when the
    core refuses it."""
    return Match(
        home,
        away,
        res.score,
        res.extra_time,
        res.penalties,
        res.status,
        res.original,
        neutral,
        note,
        recorded_winner=winner,
        shot_first=first,
        matchday=fx.matchday,
        date=fx.date,
        kickoff=fx.kickoff,
        venue=fx.venue,
        simulated=fx.simulated,
    )
