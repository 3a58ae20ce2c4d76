"""The visible text of a wikitext cell and the scores written in it.

Shared by the wiki reader (:mod:`copa.sources.wiki.parse`) and the wiki writer
(:mod:`copa.sinks.wiki_export`, which rewrites an article's own cells).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class ParsedScore:
    """A score as written: team 1 (or the left-hand side) first."""

    home: int
    away: int


# --------------------------------------------------------------------------- text cleaning

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
#: the footnote copa's wiki export puts on a result copa invented (``copa play``)
SIMULATED_MARK = re.compile(r"""<ref\b[^<>]*\bname\s*=\s*["']?simulated\b""", re.I)


def simulated_mark(text: str) -> bool:
    """Whether a cell carries copa's "simulated" footnote."""
    return SIMULATED_MARK.search(text) is not None


_REF = re.compile(r"<ref\b[^<>]*/>|<ref\b[^<>]*>.*?(?:</ref\s*>|$)", re.S | re.I)
_BR = re.compile(r"<br\s*/?\s*>", re.I)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_LINK = re.compile(r"\[\[([^\[\]|]*)(?:\|([^\[\]]*))?\]\]")
_EXTLINK = re.compile(r"\[(?:https?:)?//[^\s\]]*\s*([^\]]*)\]")
_INNER_TEMPLATE = re.compile(r"\{\{([^{}]*)\}\}")
_QUOTES = re.compile(r"'{2,}")
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u2007\u2009\u200a\u202f]+")
_KEEP_LAST = {"nowrap", "nobr", "small", "big", "nobold", "noitalic", "lang", "langx", "sort"}
_SYMBOLS = {"nbsp": " ", "ndash": "–", "mdash": "—", "snd": " – ", "spnd": " – ", "dash": "–"}


def _template_text(inner: str) -> str:
    """What an inline template shows, for the few that carry visible text."""
    parts = inner.split("|")
    name = parts[0].strip().lower().replace("_", " ")
    positional = [p for p in parts[1:] if "=" not in p]
    if name in _SYMBOLS:
        return _SYMBOLS[name]
    if name in _KEEP_LAST and positional:
        return positional[-1]
    if name == "sortname" and len(positional) >= 2:
        return f"{positional[0].strip()} {positional[1].strip()}"
    return ""


def _link_text(match: re.Match[str]) -> str:
    target, label = match.group(1), match.group(2)
    if target.split(":", 1)[0].strip().lower() in {"file", "image", "category"}:
        return ""
    return label if label else target


def _clean_lines(text: str) -> list[str]:
    """Strip markup, keeping line breaks (``<br>`` counts as one)."""
    text = _COMMENT.sub("", text)
    text = _REF.sub("", text)
    text = _BR.sub("\n", text)
    for _ in range(20):  # innermost first; bounded so odd nesting cannot loop
        new = _INNER_TEMPLATE.sub(lambda m: _template_text(m.group(1)), text)
        if new == text:
            break
        text = new
    text = _TAG.sub("", text)
    text = _LINK.sub(_link_text, text)
    text = _EXTLINK.sub(lambda m: m.group(1), text)
    text = _QUOTES.sub("", text)
    text = html.unescape(text)
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def clean(text: str) -> str:
    """Visible text of a wikitext fragment on one line.

    >>> clean("<small>[[Club Atlético Grau|Atlético Grau]]</small>&nbsp;'''(P)'''")
    'Atlético Grau (P)'
    """
    return " ".join(line for line in _clean_lines(text) if line)


# --------------------------------------------------------------------------- scores

_SCORE = re.compile(r"^([0-9]{1,3})\s*[-–—−]\s*([0-9]{1,3})(?![0-9])\s*(.*)$", re.S)
_PENS = re.compile(
    r"^([0-9]{1,3})\s*[-–—−]\s*([0-9]{1,3})\s*(?:p|pen|pens|pso|penalties|on penalties)?\.?$",
    re.I,
)
_AWAY = re.compile(r"^(?:a|a\.g\.?|ag|away goals?)$", re.I)
_AET = re.compile(r"^(?:a\.?\s*e\.?\s*t\.?|e\.t\.?|after extra time)$", re.I)
_PAREN = re.compile(r"\(([^()]*)\)")


_PENS_FIRST = re.compile(
    r"^([0-9]{1,3})\s*[-–—−]\s*([0-9]{1,3})\s*(?:p|pen|pens|pso|penalties)?\.?,\s*(\S.*?)\s+first$",
    re.I,
)
_WON_BY = re.compile(r"^won by\s+(\S.*)$", re.I)


@dataclass(frozen=True)
class Published:
    """A played match whose score is not known, as ``? (4–3 p)`` or ``? (won by A)``
    (and who shot first, ``(4–3 p, A first)``): names as written."""

    penalties: tuple[int, int] | None = None
    winner: str | None = None
    first: str | None = None


@dataclass(frozen=True)
class _Scored:
    score: ParsedScore | None
    penalties: tuple[int, int] | None = None
    away_goals: bool = False
    extra_time: bool = False
    notes: tuple[str, ...] = ()
    first: str | None = None
    #: played, score unknown (``score`` is None)
    published: Published | None = None


def _groups(text: str) -> tuple[list[str], str] | None:
    """The top-level bracketed parts of ``text`` (a club name may hold brackets) and what
    is outside them; None when the brackets do not balance."""
    inside: list[str] = []
    outside: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                outside.append(text[start:i])
                start = i + 1
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                inside.append(text[start:i])
                start = i + 1
    if depth:
        return None
    outside.append(text[start:])
    return inside, " ".join(" ".join(outside).split())


def _read_unknown(rest: str) -> _Scored:
    """``? (4–3 p)``, ``? (4–3 p, A first)``, ``? (won by A)``."""
    parts = _groups(rest)
    if parts is None or parts[1] or len(parts[0]) != 1:
        return _Scored(None)
    inner = parts[0][0].strip()
    if m := _WON_BY.match(inner):
        return _Scored(None, published=Published(winner=m.group(1).strip()))
    if m := _PENS_FIRST.match(inner):
        pens = (int(m.group(1)), int(m.group(2)))
        return _Scored(None, pens, published=Published(pens, first=m.group(3).strip()))
    if m := _PENS.match(inner):
        pens = (int(m.group(1)), int(m.group(2)))
        return _Scored(None, pens, published=Published(pens))
    return _Scored(None)


def _read_score(raw: str) -> _Scored:
    """Score plus the remarks written after it: ``(a)``, ``(3–5 p)``, ``(a.e.t.)``;
    or a played match whose score is not known: ``? (3–5 p)``, ``? (won by A)``."""
    text = clean(raw)
    if text.startswith("?"):
        return _read_unknown(text[1:])
    m = _SCORE.match(text)
    if m is None:
        return _Scored(None)
    score = ParsedScore(int(m.group(1)), int(m.group(2)))
    rest = m.group(3)
    pens: tuple[int, int] | None = None
    first: str | None = None
    away = aet = False
    notes: list[str] = []
    split = _groups(rest)
    inners = split[0] if split is not None else _PAREN.findall(rest)
    for inner in inners:
        inner = inner.strip()
        pm = _PENS.match(inner)
        fm = _PENS_FIRST.match(inner)
        if pm is not None:
            pens = (int(pm.group(1)), int(pm.group(2)))
        elif fm is not None:
            pens = (int(fm.group(1)), int(fm.group(2)))
            first = fm.group(3).strip()
        elif _AWAY.match(inner):
            away = True
        elif _AET.match(inner):
            aet = True
        elif inner:
            notes.append(inner)
    outside = split[1] if split is not None else _PAREN.sub(" ", rest).strip()
    if outside:
        if _AET.match(outside):
            aet = True
        else:
            notes.append(outside)
    return _Scored(score, pens, away, aet, tuple(notes), first)


def parse_score(text: str) -> ParsedScore | None:
    """The leading ``N–M`` of a cell (en dash, em dash or hyphen).

    >>> parse_score("4—0"), parse_score("<small>1-2</small> (a)"), parse_score("null")
    (ParsedScore(home=4, away=0), ParsedScore(home=1, away=2), None)
    """
    return _read_score(text).score
