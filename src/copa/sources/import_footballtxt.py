"""Import results from openfootball's Football.TXT, laid out by a format.

Football.TXT is plain text written by hand (openfootball's spec and samples)::

    = Copa Libertadores 1999          # title (the format names the competition)

    » Group 1                          # a heading: round, group, "Final - 1st leg"
    Wed Mar 3                          # a date line (not mapped)
      20:00  Deportivo Cali  2-1  Palmeiras   @ Cali
               (Bonilla 42; Evair 65pen)       # goals (not mapped)

    Final - 2nd leg
    Jun 16   Palmeiras - Deportivo Cali  2-1 a.e.t. (1-1, 0-0)

Headings start with ``»``, ``▪`` or ``==`` (or are a bare line that is not
a match); ``,`` and `` - `` separate their parts, placed in the format like
football.json's round names; a ``1st leg``/``2nd leg`` (``Leg 1``, ``Match
2``) part numbers the legs, ``Replay`` marks a deciding match. A match is
``Home  SCORE  Away`` or ``Home - Home  SCORE`` (``v``/``vs`` too), with an
optional leading ``(n)`` match number, date and time, and a trailing
``@ venue``. Scores, with hyphens or dashes:

* ``2-1``, ``2-1 (1-0)`` (half time in brackets, not mapped)
* ``3-2 a.e.t. (2-2, 1-0)``: after extra time, then (90 minutes, half time)
* ``4-3 pen. 2-2 a.e.t. (1-1)`` or ``2-2 a.e.t., 4-3 pen.``: a shoot-out
* ``2-1 [aet]``, ``0-0 [aet, 3-0 pen]``: the score after extra time, no split
  (as the 2024 Euro sample writes it): held as a score known only after
  extra time
* ``3-0 awd.`` / ``w/o``: a walkover with the awarded score

Lines copa has no place for (group and matchday definitions, line-ups,
goals, cards, referees, dates, venues) are listed as "not mapped" with their
line, never dropped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from copa.core.match import MatchStatus, Score
from copa.sources.importing import (
    Imported,
    Place,
    finish,
    format_needed,
    new_draft,
)
from copa.sources.reader import Options, as_import, decode
from copa.spec.formats import Format
from copa.spec.scores import Result
from copa.spec.season_file import SeasonFileError

_D = r"[-–—:]"
_S = rf"(\d{{1,3}})\s*{_D}\s*(\d{{1,3}})"
#: pen. / a.e.t. / (ft, ht) in Football.TXT order, optional [aet, 3-0 pen] afterwards
_SCORE = re.compile(
    rf"(?:(?P<ph>\d{{1,3}})\s*{_D}\s*(?P<pa>\d{{1,3}})\s*(?:pen\.?|p)\s+)?"
    rf"(?P<h>\d{{1,3}})\s*{_D}\s*(?P<a>\d{{1,3}})"
    rf"(?P<aet>\s*a\.?\s?e\.?\s?t\.?)?"
    rf"(?:\s*,?\s*(?P<ph2>\d{{1,3}})\s*{_D}\s*(?P<pa2>\d{{1,3}})\s*(?:pen\.?|p))?"
    rf"(?:\s*\((?P<ft>{_S})?(?:\s*,\s*{_S})?\))?"
    rf"(?:\s*\[(?P<note>[^\]]*)\])?"
    rf"(?P<awd>\s*(?:awd\.?|w/o))?",
    re.I,
)
_NOTE_PENS = re.compile(rf"{_S}\s*(?:pen\.?|p)", re.I)
_HEADING = re.compile(r"^\s*(?:»|▪|={2,})\s*(?P<title>.+?)\s*=*\s*$")
_TITLE = re.compile(r"^\s*=\s*(?P<title>[^=].*?)\s*$")
_LEG = re.compile(
    r"^(?:(?P<n>1st|2nd|first|second)\s+leg|leg\s+(?P<m>[12])|match\s+(?P<k>[12]))$", re.I
)
_MATCHDAY = re.compile(r"^(?:matchday|round|jornada|fecha|spieltag)\s+\d+$", re.I)
_REPLAY = re.compile(r"^(?:replay|replays|re-play|deciding match|decider)$", re.I)
_PREFIX = re.compile(
    r"^(?:\(\d+\)\s*)?"  # match number
    r"(?:(?:\[?(?:mon|tue|wed|thu|fri|sat|sun)\.?\s+)?"
    r"(?:\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:\s+\d{4})?|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{4})?)\]?\s+)?"
    r"(?:\d{1,2}[:.h]\d{2}\s+)?",
    re.I,
)
_DATE_ONLY = re.compile(
    r"^\[?(?:(?:mon|tue|wed|thu|fri|sat|sun)\.?\s+)?"
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:\s+\d{4})?|"
    r"\d{1,2}[-./]\d{1,2}[-./]\d{2,4}|\d{1,2}\s+"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?(?:\s+\d{4})?)\]?"
    r"(?:\s*@.*)?$",
    re.I,
)
_PARTS = re.compile(r"\s+[-–—]\s+|,\s+|:\s+")
_FIXTURE = re.compile(r"^(?P<home>.+?)\s+(?:[-–—]|v|vs\.?)\s+(?P<away>.+?)$", re.I)


@dataclass(frozen=True)
class _Read:
    home: str
    away: str
    result: Result
    unmapped: tuple[str, ...] = ()


def _strip_comment(line: str) -> str:
    i = line.find("#")
    while i >= 0:
        if i == 0 or line[i - 1].isspace():
            return line[:i].rstrip()
        i = line.find("#", i + 1)
    return line.rstrip()


def _result(m: re.Match[str], tail: str = "") -> tuple[Result, list[str]]:
    """The result a score match gives, and what it holds that copa does not keep."""
    g = dict(m.groupdict())
    if tail:
        g["note"] = ", ".join(x for x in (g["note"], tail) if x)
    unmapped: list[str] = []
    played = Score(int(g["h"]), int(g["a"]))
    pens = None
    for ph, pa in ((g["ph"], g["pa"]), (g["ph2"], g["pa2"])):
        if ph is not None:
            pens = Score(int(ph), int(pa))
    note = (g["note"] or "").strip()
    aet = g["aet"] is not None
    if note:
        for part in (p.strip() for p in note.split(",")):
            low = part.lower().replace(".", "").replace(" ", "")
            if low == "aet":
                aet = True
            elif low in ("awd", "w/o"):
                g["awd"] = "awd"
            elif (pm := _NOTE_PENS.fullmatch(part)) is not None:
                pens = Score(int(pm.group(1)), int(pm.group(2)))
            elif part:
                unmapped.append(f"score note {part!r}")
    ninety = None
    if g["ft"] is not None:
        # "(2-2, 1-0)" after a.e.t. is (90 minutes, half time); without a.e.t. "(1-0)" is
        # the half time, which copa does not keep
        first = re.match(_S, g["ft"])
        assert first is not None
        if aet:
            ninety = Score(int(first.group(1)), int(first.group(2)))
    if g["awd"] is not None:
        return Result(played, status=MatchStatus.WALKOVER), unmapped
    if aet:
        return Result(ninety, played, pens), unmapped
    return Result(played, None, pens), unmapped


def read_match(line: str) -> _Read | None:
    """A match line, or None when the line is not one.

    >>> r = read_match("30-6-24 @ Gelsenkirchen  England   2–1 Slovakia   [aet]")
    >>> r.home, r.away, r.result.score, r.result.extra_time
    ('England', 'Slovakia', None, Score(home=2, away=1))
    >>> read_match("Jun 16  Palmeiras - Deportivo Cali  2-1 a.e.t. (1-1, 0-0)").result.score
    Score(home=1, away=1)
    """
    text = line.strip()
    venue = ""
    if " @ " in f" {text} ":
        # "@ venue" ends a line (football.txt) or follows the date (RSSSF style)
        before, _, after = text.partition("@")
        if before.strip() and _PREFIX.fullmatch(before.strip() + " "):
            # the date comes first, then "@ venue  Home  score  Away": the venue is the
            # first two-space run after the @
            run = re.split(r"\s{2,}", after.strip(), maxsplit=1)
            venue, text = run[0], run[1] if len(run) > 1 else ""
        else:
            text, venue = before.strip(), after.strip()
    full = text
    tail = ""
    if (t := re.search(r"\s*\[([^\]]*)\]\s*$", text)) is not None:
        tail, text = t.group(1), text[: t.start()].rstrip()  # "Home 2-1 Away  [aet]"
    if (w := re.search(r"\s+(?:awd\.?|w/o)$", text, re.I)) is not None:
        tail, text = ", ".join(x for x in (tail, "awd") if x), text[: w.start()]
    text = _PREFIX.sub("", text, count=1).strip()
    dated = len(text) < len(full.strip()) or bool(venue)
    best = None
    for m in _SCORE.finditer(text):
        left, right = text[: m.start()].strip(), text[m.end() :].strip()
        if not left:
            continue
        if (
            right
            and m.start() > 0
            and text[m.start() - 1].isspace()
            and (m.end() == len(text) or text[m.end()].isspace())
        ):
            best = (m, left, right)
            break
        if not right:
            best = (m, left, right)
    if best is None:
        f = _FIXTURE.match(text)
        if f is None or not dated:
            return None  # "Final - 1st leg" is a heading; "(1) Jun 12  A - B" a fixture
        home, away = " ".join(f.group("home").split()), " ".join(f.group("away").split())
        return _Read(home, away, Result(None, status=MatchStatus.SCHEDULED))
    m, left, right = best
    result, unmapped = _result(m, tail)
    if right:
        home, away = left, right
    else:
        f = _FIXTURE.match(left)
        if f is None:
            return None
        home, away = f.group("home").strip(), f.group("away").strip()
    home, away = " ".join(home.split()), " ".join(away.split())
    if not home or not away or home[0].isdigit() and _PREFIX.match(home + " ") is None:
        return None
    if venue:
        unmapped.append(f"venue {venue!r}")
    return _Read(home, away, result, tuple(unmapped))


def _heading(title: str) -> tuple[list[str], int | None]:
    """The parts of a heading and a leg number it gives (0: a replay / deciding match)."""
    parts = [p.strip() for p in _PARTS.split(title) if p.strip()]
    leg: int | None = None
    kept = []
    for p in parts:
        lm = _LEG.match(p)
        if lm is not None:
            n = lm.group("n") or lm.group("m") or lm.group("k")
            leg = 1 if n.lower() in ("1st", "first", "1") else 2
        elif _REPLAY.match(p):
            leg = 0
        elif _MATCHDAY.match(p):
            continue  # a league's matchday: not kept (the table does not need it)
        else:
            kept.append(p)
    return kept, leg


def read(data: bytes, source: str, options: Options) -> Imported:
    """Read a Football.TXT file into a season laid out by ``fmt`` (a preset or format file)."""
    fmt = format_needed(options.fmt, source, "a Football.TXT file")
    text = decode(data, source)
    draft = new_draft(fmt, source, options)
    path: list[str] = []
    leg: int | None = None
    seen = 0
    for n, raw in enumerate(text.split("\n"), 1):
        line = _strip_comment(raw.replace("\t", "  "))
        stripped = line.strip()
        if not stripped:
            continue
        if (t := _TITLE.match(line)) is not None and not line.startswith("=="):
            draft.note(n, f"title {t.group('title')!r} (the format names the season)")
            continue
        if (h := _HEADING.match(line)) is not None:
            path, leg = _heading(h.group("title"))
            continue
        if "|" in stripped:
            draft.note(n, f"definition line {_short(stripped)!r}")
            continue
        if _DATE_ONLY.match(stripped):
            continue  # dates are not kept; a date line never holds a result
        read = read_match(line)
        if read is None:
            if line[:1].isspace() or stripped.startswith("(") or ":" in stripped:
                draft.note(n, f"{_short(stripped)!r} (goals, line-ups and other props)")
                continue
            path, leg = _heading(stripped)  # a bare heading ("Final - 1st leg", "Group A")
            continue
        seen += 1
        for what in read.unmapped:
            draft.note(n, f"{read.home} v {read.away}: {what}")
        place = draft.locator.place(path)
        if isinstance(place, str) and not path:
            place = _only_round(fmt) or place
        if isinstance(place, str):
            draft.note(n, f"{read.home} v {read.away}: {place}")
            continue
        home = draft.clubs.result_name(read.home, n)
        away = draft.clubs.result_name(read.away, n)
        if home == away:
            raise SeasonFileError(source, n, "", f"{home} cannot play itself")
        draft.add_match(place, home, away, read.result, n, leg)
    if not seen:
        raise SeasonFileError(source, None, "", "nothing to import: no match lines")
    return finish(draft)


def _only_round(fmt: Format) -> Place | None:
    """A league file has no round headings: the format's one round, if it has one."""
    stages = fmt.model.stages
    if len(stages) != 1 or len(stages[0].rounds) != 1:
        return None
    specs = stages[0].rounds[0].group_specs()
    if len(specs) > 1:
        return None
    return Place(0, 0, specs[0].name if specs else None, False)


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


import_footballtxt = as_import(read)
