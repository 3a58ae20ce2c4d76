"""Pure parsing of Wikipedia articles about a Copa Perú season.

The parser reads what an article *says*, with no season semantics: who
qualified, what the tables publish, which ties and brackets are written down.
Later layers decide what it means. It accepts raw MediaWiki markup and the
*flattened* export (table markup partly stripped, rowspans flattened, some
headings reduced to bare lines such as ``Regional Stage``).

API::

    parse_article(text: str | bytes, source: str = "<string>") -> Article
    parse_file(path: str | os.PathLike[str]) -> Article
    parse_score(text: str) -> ParsedScore | None
    clean(text: str) -> str

``Article`` holds ``infobox``, ``qualifiers`` (department / club / location
rows, rowspans expanded), ``tables`` (``{{#invoke:sports table}}``: codes,
names, published W/D/L/GF/GA, the match grid, results and colours),
``two_legs`` / ``one_legs`` (``{{TwoLegResult}}`` / ``{{OneLegResult}}``),
``brackets`` (``{{16TeamBracket}}`` and friends), ``headings`` and ``problems``.

Every item carries ``line`` (1-based line where it starts in the source),
``section`` (the heading path, exactly as the headings give it, e.g.
``("Region II", "Group B")``) and ``stage`` (the most recent stage marker:
a bare line such as ``National Stage`` or a heading with such a title).
A bare stage line closes all open headings, because in the flattened form it
stands for a heading above them; so the 2011 bracket has ``section == ()`` and
``stage == "National Stage"``. Scores are kept as written (team 1 first);
sports-table codes are local to their table.

Nothing is silently dropped: whatever is seen but not understood becomes a
:class:`Problem`. ``parse_article`` never raises for malformed markup; it
raises :class:`WikiParseError` only when the input cannot be text at all.

Not handled (reported as problems where seen): other result templates
(``{{Football box}}``, ``{{Fb cl ...}}``), wikitables other than qualifier
lists, ``colspan`` beyond simple repetition, and anything a template would
compute (sports-table ``status``/``note`` are kept raw, never interpreted).

>>> a = parse_article("==Final==\\n{{OneLegResult| A || 2–2 (4–3 p) | B }}")
>>> row = a.one_legs[0]
>>> (row.team1, row.score, row.penalties, row.section, row.line)
('A', ParsedScore(home=2, away=2), (4, 3), ('Final',), 2)
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import wikitextparser as wtp

from copa.limits import MAX_WIKI_NESTING
from copa.sources.reader import decode
from copa.spec.errors import SeasonFileError
from copa.wikitext.cells import (
    ParsedScore,
    Published,
    _clean_lines,
    _read_score,
    clean,
    parse_score,
    simulated_mark,
)

__all__ = [
    "Article",
    "Bracket",
    "BracketEntry",
    "GridCell",
    "Heading",
    "Infobox",
    "OneLegRow",
    "ParsedScore",
    "Problem",
    "PublishedRow",
    "QualifierRow",
    "SportsTable",
    "TwoLegRow",
    "WikiParseError",
    "clean",
    "parse_article",
    "parse_file",
    "parse_score",
]


class WikiParseError(ValueError):
    """The input cannot be read as text at all (not a markup problem)."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Problem:
    """Something seen in the source but not understood; kept so nothing is lost."""

    line: int
    message: str


@dataclass(frozen=True, kw_only=True)
class Heading:
    """A ``=Title=`` heading, or a bare stage line (``level == 0``)."""

    line: int
    level: int
    title: str
    section: tuple[str, ...]
    stage: str | None


@dataclass(frozen=True, kw_only=True)
class Infobox:
    """The season infobox; stat fields keep one string per record."""

    line: int
    competition: str | None
    season: str | None
    winners: str | None
    biggest_home_win: tuple[str, ...]
    biggest_away_win: tuple[str, ...]
    highest_scoring: tuple[str, ...]
    matches: int | None
    total_goals: int | None
    scope_note: str | None
    params: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class QualifierRow:
    """One club listed as qualified from a department (rowspans expanded)."""

    department: str
    club: str
    location: str | None
    line: int
    section: tuple[str, ...]
    stage: str | None


@dataclass(frozen=True, kw_only=True)
class PublishedRow:
    """The W/D/L/GF/GA a sports table publishes for one team (``None`` if absent)."""

    win: int | None
    draw: int | None
    loss: int | None
    gf: int | None
    ga: int | None
    line: int


@dataclass(frozen=True, kw_only=True)
class GridCell:
    """One ``match_HOME_AWAY`` cell; goals are ``None`` when not played (null/empty)."""

    home_code: str
    away_code: str
    home_goals: int | None
    away_goals: int | None
    raw: str
    line: int
    notes: tuple[str, ...] = ()
    #: played, score unknown: the shoot-out or the winner, as written
    published: Published | None = None
    #: who shot first in the shoot-out, as written
    first: str | None = None

    @property
    def played(self) -> bool:
        return (
            self.home_goals is not None and self.away_goals is not None
        ) or self.published is not None


@dataclass(frozen=True, kw_only=True)
class _Placed:
    """Where a template of the article stands: its headings, the stage line above it
    (when the article names one) and its first line."""

    section: tuple[str, ...]
    stage: str | None
    line: int


@dataclass(frozen=True, kw_only=True)
class SportsTable(_Placed):
    """A ``{{#invoke:sports table|main|...}}`` call; codes are local to this table."""

    style: str | None
    codes: tuple[str, ...]
    names: dict[str, str]
    published: dict[str, PublishedRow]
    matches: tuple[GridCell, ...]
    results: dict[int, str]
    col_text: dict[str, str]
    col_colors: dict[str, str]
    statuses: dict[str, str]
    adjust_points: dict[str, int]
    winpoints: int | None
    drawpoints: int | None
    losspoints: int | None
    hth: dict[str, str]
    class_rules: str | None
    params: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class TwoLegRow(_Placed):
    """A ``{{TwoLegResult}}``: team 1 hosts leg 1; legs are written from team 1's side.

    ``aggregate_penalties`` comes from the aggregate cell, or from leg 2 when
    only leg 2 carries the shoot-out. Unparseable scores are ``None`` (plus a Problem).
    """

    team1: str
    team2: str
    aggregate: ParsedScore | None
    leg1: ParsedScore | None
    leg2: ParsedScore | None
    away_goals_note: bool
    aggregate_penalties: tuple[int, int] | None
    extra_time: bool
    notes: tuple[str, ...]
    raw: str
    #: leg 1 and leg 2 carry copa's "simulated" footnote
    simulated: tuple[bool, bool] = (False, False)
    #: who shot first in the shoot-out after the second leg, as written
    first: str | None = None


@dataclass(frozen=True, kw_only=True)
class OneLegRow(_Placed):
    """A ``{{OneLegResult}}``: one match, team 1 written first."""

    team1: str
    team2: str
    score: ParsedScore | None
    penalties: tuple[int, int] | None
    extra_time: bool
    notes: tuple[str, ...]
    raw: str
    #: played, score unknown: the shoot-out or the winner, as written
    published: Published | None = None
    #: who shot first in the shoot-out, as written
    first: str | None = None


@dataclass(frozen=True, kw_only=True)
class BracketEntry:
    """One team slot of a bracket round; ``1 (3)`` gives goals 1, penalties 3."""

    round: int
    slot: int
    team: str
    seed: str | None
    leg_scores: tuple[str, ...]
    leg_goals: tuple[int | None, ...]
    agg: str | None
    agg_goals: int | None
    penalties: int | None
    line: int


@dataclass(frozen=True, kw_only=True)
class Bracket(_Placed):
    """A ``{{16TeamBracket}}``-style template (any ``NTeamBracket`` name)."""

    template: str
    legs: int | None
    rounds: dict[int, str]
    entries: tuple[BracketEntry, ...]
    params: dict[str, str]


@dataclass(frozen=True, kw_only=True)
class Article:
    """Everything the parser found, each kind in source order."""

    source: str
    infobox: Infobox | None
    qualifiers: tuple[QualifierRow, ...]
    tables: tuple[SportsTable, ...]
    two_legs: tuple[TwoLegRow, ...]
    one_legs: tuple[OneLegRow, ...]
    brackets: tuple[Bracket, ...]
    headings: tuple[Heading, ...]
    problems: tuple[Problem, ...]


_BRACKET_SCORE = re.compile(
    r"^([0-9]{1,3})\s*(?:\(\s*([0-9]{1,3})\s*(?:p|pen|pens)?\.?\s*\))?\s*(.*)$"
)


def _bracket_goals(raw: str) -> tuple[int | None, int | None, str]:
    """``"1 (3)"`` -> (1, 3, ""); unreadable text -> (None, None, text)."""
    text = clean(raw)
    m = _BRACKET_SCORE.match(text)
    if m is None:
        return None, None, text
    pens = int(m.group(2)) if m.group(2) else None
    return int(m.group(1)), pens, m.group(3)


def _int_or_none(raw: str, *, signed: bool = False) -> tuple[int | None, bool]:
    """(value, understood): empty -> (None, True); ``1,234`` -> (1234, True).

    ``signed`` accepts a leading minus (``-3``, ``−3``, ``–3``): points deductions.
    """
    text = clean(raw).replace(",", "").replace(" ", "")
    if not text:
        return None, True
    sign = 1
    if signed and text[0] in "-−–+":
        sign, text = (1 if text[0] == "+" else -1), text[1:]
    if text.isascii() and text.isdigit():
        return sign * int(text), True
    return None, False


# --------------------------------------------------------------------------- context


def _listed(text: str) -> frozenset[str]:
    """Names written as one comma-separated text (line breaks and spacing folded)."""
    return frozenset(" ".join(w.split()) for w in text.split(",") if w.strip())


_HEADING = re.compile(r"^(={1,6})\s*(.*?)\s*\1\s*$")
#: bare lines (or headings) that name a stage of the pyramid, compared case-insensitively
_STAGE_WORDS = _listed(
    """
    district stage, provincial stage, departmental stage, departamental stage, regional
    stage, national stage, final stage, etapa distrital, etapa provincial, etapa
    departamental, etapa regional, etapa nacional
    """
)


def _is_stage_line(text: str) -> bool:
    return text.strip().rstrip(":").strip().lower() in _STAGE_WORDS


class _Context:
    """Line bookkeeping shared by all the readers of one article."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.lines = [line.rstrip("\r") for line in text.split("\n")]
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.problems: list[Problem] = []
        self.consumed: set[int] = set()
        n = len(self.lines)
        self.section_at: list[tuple[str, ...]] = [()] * (n + 2)
        self.stage_at: list[str | None] = [None] * (n + 2)
        self.headings: list[Heading] = []

    def line_of(self, offset: int) -> int:
        return bisect_right(self.starts, offset)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def where(self, line: int) -> tuple[tuple[str, ...], str | None]:
        if 1 <= line < len(self.section_at):
            return self.section_at[line], self.stage_at[line]
        return (), None

    def consume(self, first: int, last: int) -> None:
        self.consumed.update(range(first, last + 1))

    def scan_sections(self) -> None:
        stack: list[tuple[int, str]] = []
        stage: str | None = None
        for number, line in enumerate(self.lines, start=1):
            m = _HEADING.match(line)
            if m is not None and m.group(2).strip("= "):
                level = len(m.group(1))
                title = clean(m.group(2))
                while stack and stack[-1][0] >= level:
                    stack.pop()
                stack.append((level, title))
                if _is_stage_line(title):
                    stage = title
                path = tuple(t for _, t in stack)
                self.headings.append(
                    Heading(line=number, level=level, title=title, section=path, stage=stage)
                )
                self.consumed.add(number)
            elif line.strip() and _is_stage_line(line):
                stack.clear()
                stage = line.strip().rstrip(":").strip()
                self.headings.append(
                    Heading(line=number, level=0, title=stage, section=(), stage=stage)
                )
                self.consumed.add(number)
            self.section_at[number] = tuple(t for _, t in stack)
            self.stage_at[number] = stage


# --------------------------------------------------------------------------- tables (line based)

_ATTRS = re.compile(
    r"^\s*((?:[a-zA-Z][\w-]*\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s|\"']+)\s*)+)\|(?!\|)(.*)$"
)
_SPAN = re.compile(r"\b(rowspan|colspan)\s*=\s*[\"']?\s*([0-9]+)", re.I)
_HEADER_WORD = re.compile(
    r"^(?:departa?ments?|departments?|departamentos?|regions?|regi[oó]n|leagues?|ligas?|"
    r"teams?|clubs?|equipos?|locations?|city|ciudad|cities|provinces?|provincia|stadiums?)$",
    re.I,
)


@dataclass
class _Cell:
    line: int
    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False


def _make_cell(line: int, content: str, header: bool) -> _Cell:
    m = _ATTRS.match(content)
    rowspan = colspan = 1
    if m is not None and "[[" not in m.group(1):
        for kind, value in _SPAN.findall(m.group(1)):
            if kind.lower() == "rowspan":
                rowspan = max(1, min(int(value), 500))
            else:
                colspan = max(1, min(int(value), 50))
        content = m.group(2)
    return _Cell(line, clean(content), rowspan, colspan, header)


def _split_cells(line: int, body: str, header: bool) -> list[_Cell]:
    sep = r"!!|\|\|" if header else r"\|\|"
    return [_make_cell(line, part, header) for part in re.split(sep, body)]


def _column_roles(headers: Sequence[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, text in enumerate(headers):
        low = text.lower()
        if re.search(r"depart|region|regi[oó]n|liga|league", low):
            roles.setdefault("department", index)
        elif re.search(r"team|club|equipo", low):
            roles.setdefault("club", index)
        elif re.search(r"location|city|ciudad|province|provincia", low):
            roles.setdefault("location", index)
    return roles


def _read_table_cells(
    ctx: _Context, first: int, last: int, flattened: bool
) -> tuple[list[str], list[list[_Cell] | None]]:
    """Headers and a stream of cells; ``None`` marks a ``|-`` row break."""
    headers: list[str] = []
    stream: list[list[_Cell] | None] = []
    seen_data = False
    for number in range(first, last + 1):
        raw = ctx.lines[number - 1].strip()
        if not raw or number == first:
            continue
        if raw.startswith("|-"):
            stream.append(None)
        elif raw.startswith("|}"):
            continue
        elif raw.startswith("|+"):
            ctx.problem(number, f"table caption ignored: {clean(raw[2:])!r}")
        elif raw.startswith("!"):
            cells = _split_cells(number, raw[1:], header=True)
            if seen_data:
                stream.append(cells)
            else:
                headers.extend(c.text for c in cells)
        elif raw.startswith("|"):
            seen_data = True
            stream.append(_split_cells(number, raw[1:], header=False))
        elif flattened:
            cell = _make_cell(number, raw, header=False)
            if not seen_data and cell.rowspan == 1 and _HEADER_WORD.match(cell.text):
                headers.append(cell.text)
            else:
                seen_data = True
                stream.append([cell])
        elif stream and (open_cells := stream[-1]):
            tail = open_cells[-1]  # a raw cell continued on the next line
            tail.text = f"{tail.text} {clean(raw)}".strip()
        else:
            ctx.problem(number, f"table text outside any cell: {clean(raw)!r}")
    return headers, stream


def _assemble_rows(
    ctx: _Context, stream: list[list[_Cell] | None], width: int
) -> list[tuple[list[_Cell], int]]:
    """Expand rowspans: a row ends when it is full or at ``|-``; line = its first own cell."""
    rows: list[tuple[list[_Cell], int]] = []
    carry: dict[int, tuple[int, _Cell]] = {}  # column -> (rows still to cover, cell)
    current: dict[int, _Cell] = {}
    own: list[int] = []

    def start_row() -> None:
        current.clear()
        own.clear()
        for col, (left, cell) in list(carry.items()):
            current[col] = cell
            if left <= 1:
                del carry[col]
            else:
                carry[col] = (left - 1, cell)

    def finish() -> None:
        if not own:
            return  # nothing of its own yet: keep the cells rowspans carried in
        if len(current) < width:
            texts = [current[c].text for c in sorted(current)]
            ctx.problem(min(own), f"incomplete table row ignored: {texts}")
        else:
            rows.append(([current[c] for c in range(width)], min(own)))
        start_row()

    start_row()
    for item in stream:
        if item is None:
            finish()
            continue
        for cell in item:
            col = 0
            while col in current:
                col += 1
            if col >= width:
                ctx.problem(cell.line, f"extra table cell ignored: {cell.text!r}")
                continue
            for offset in range(cell.colspan):
                if col + offset < width:
                    current[col + offset] = cell
                    if cell.rowspan > 1:
                        carry[col + offset] = (cell.rowspan - 1, cell)
            own.append(cell.line)
            if all(c in current for c in range(width)):
                finish()
    finish()
    for _col, (left, cell) in carry.items():
        ctx.problem(cell.line, f"rowspan of {cell.text!r} covers {left} rows that never came")
    return rows


def _table_extent(ctx: _Context, first: int) -> tuple[int, bool]:
    """Last line of the table starting at ``first`` and whether it is the flattened form."""
    lines = ctx.lines
    start = lines[first - 1].strip()
    if start.startswith("{|"):
        depth = 0
        for number in range(first, len(lines) + 1):
            raw = lines[number - 1].strip()
            if raw.startswith("{|"):
                depth += 1
            elif raw.startswith("|}"):
                depth -= 1
                if depth == 0:
                    return number, False
        ctx.problem(first, "table never closed with |}")
        return len(lines), False
    last = first
    for number in range(first + 1, len(lines) + 1):
        raw = lines[number - 1].strip()
        if (
            raw.startswith(("{{", "{|", "|}", "class=", "}}"))
            or _HEADING.match(raw)
            or _is_stage_line(raw)
        ):
            break
        last = number
    return last, True


def _read_tables(ctx: _Context, skip: set[int]) -> list[QualifierRow]:
    """Qualifier tables (department / team / location) in either form."""
    out: list[QualifierRow] = []
    number = 1
    while number <= len(ctx.lines):
        raw = ctx.lines[number - 1].strip()
        is_raw = raw.startswith("{|")
        is_flat = raw.startswith("class=") and "wikitable" in raw
        if number in skip or not (is_raw or is_flat):
            number += 1
            continue
        last, flattened = _table_extent(ctx, number)
        ctx.consume(number, last)
        headers, stream = _read_table_cells(ctx, number, last, flattened)
        roles = _column_roles(headers)
        if "club" not in roles or "department" not in roles:
            ctx.problem(number, f"table not understood (headers {headers!r})")
            number = last + 1
            continue
        width = max(len(headers), 1 + max(roles.values()))
        for row, line in _assemble_rows(ctx, stream, width):
            dept = row[roles["department"]].text
            club = row[roles["club"]].text
            location = row[roles["location"]].text if "location" in roles else None
            if not club or not dept:
                ctx.problem(line, f"qualifier row without club or department: {dept!r} {club!r}")
                continue
            section, stage = ctx.where(line)
            out.append(
                QualifierRow(
                    department=dept,
                    club=club,
                    location=location or None,
                    line=line,
                    section=section,
                    stage=stage,
                )
            )
        number = last + 1
    return out


# --------------------------------------------------------------------------- templates


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", clean(name).replace("_", " ")).strip().lower()


def _args(ctx: _Context, obj: Any, what: str) -> dict[str, tuple[str, int]]:
    """Arguments by name (positional ones as ``"1"``, ``"2"``...) with their lines."""
    out: dict[str, tuple[str, int]] = {}
    for arg in obj.arguments:
        name = str(arg.name).strip()
        line = ctx.line_of(arg.span[0])
        if name in out:
            ctx.problem(line, f"{what}: parameter {name!r} given twice; the last one wins")
        out[name] = (str(arg.value), line)
    return out


_IGNORED_TEMPLATES = _listed(
    """
    twoleg start, twolegstart, onelegstart, oneleg start, end, col-float,
    col-float-break, col-float-end, langx, lang, reflist, notelist, efn, main, see also,
    further, div col, div col end, col-begin, col-break, col-end, col-2, flagicon,
    citation needed, cn, clear, short description, use dmy dates, use mdy dates,
    refbegin, refend, cite web, cite news, nowrap, small, sfn, nbsp, ndash, snd, mdash,
    legend, fb
    """
)


def _read_infobox(ctx: _Context, tpl: Any, line: int) -> Infobox:
    args = _args(ctx, tpl, "infobox")
    params = {name: clean(value) for name, (value, _) in args.items()}

    def first(*names: str) -> str | None:
        for name in names:
            if name in args:
                text = clean(args[name][0])
                if text:
                    return text
        return None

    scope: str | None = None

    def records(*names: str) -> tuple[str, ...]:
        nonlocal scope
        found: list[str] = []
        for name in names:
            if name not in args:
                continue
            value, where = args[name]
            for ref in _REF_BODY.finditer(value):  # a scope note as a footnote
                note_text = clean(ref.group(1))
                if _NOTE_START.match(" " + note_text):
                    scope = scope or note_text
            for record in _clean_lines(value):
                if not record:
                    continue
                note = _NOTE_START.search(" " + record)
                if note is not None and note.start() == 0:  # a note on a line of its own
                    scope = scope or record
                    continue
                if note is not None and _SCORE_ANYWHERE.search(record[: note.start() - 1]):
                    scope = scope or record[note.start() - 1 :].strip()  # glued to the record
                    record = record[: note.start() - 1].strip()
                elif not _SCORE_ANYWHERE.search(record):
                    ctx.problem(where, f"infobox {name!r} record without a score: {record!r}")
                found.append(record)
        return tuple(found)

    def number(name: str) -> int | None:
        if name not in args:
            return None
        value, where = args[name]
        result, ok = _int_or_none(value)
        if not ok:
            ctx.problem(where, f"infobox {name!r} is not a number: {clean(value)!r}")
        return result

    return Infobox(
        line=line,
        competition=first("competition", "league"),
        season=first("season"),
        winners=first("winners", "champions"),
        biggest_home_win=records("biggest home win"),
        biggest_away_win=records("biggest away win"),
        highest_scoring=records("highest scoring"),
        matches=number("matches"),
        total_goals=number("total goals"),
        scope_note=scope,
        params=params,
    )


_REF_BODY = re.compile(r"<ref(?:\s[^>/]*)?>(.*?)</ref\s*>", re.S | re.I)
_NOTE_START = re.compile(
    r"\s(?=(?:Only|Note|Notes|Not including|Excluding|Includes|Including|Considering)\b)"
)
_SCORE_ANYWHERE = re.compile(r"[0-9]\s*[-–—]\s*[0-9]")


def _short(raw: str) -> str:
    """A template's source on one line, cut short, for messages."""
    text = " ".join(raw.split())
    return text if len(text) <= 120 else text[:117] + "..."


def _positional(args: dict[str, tuple[str, int]]) -> list[str]:
    out: list[str] = []
    index = 1
    while str(index) in args:
        out.append(args[str(index)][0])
        index += 1
    return out


def _row_args(
    ctx: _Context, tpl: Any, line: int, name: str, picks: tuple[int, ...], used: int
) -> tuple[list[str], str] | None:
    """A result row's arguments (team 1, the scores, team 2 third), and its text: in the
    long form the positions ``picks`` (arguments from ``used`` on are reported as
    ignored), in the short form every argument; None (reported) when neither fits."""
    pos = _positional(_args(ctx, tpl, name))
    raw = str(tpl.string)
    if len(pos) >= picks[-1] + 1:
        chosen = [pos[i] for i in picks]
    elif len(pos) == len(picks) and parse_score(pos[1]) is not None:
        chosen = pos
    else:
        ctx.problem(line, f"{name} with {len(pos)} arguments not understood: {_short(raw)!r}")
        return None
    extra = [p for i, p in enumerate(pos) if i >= used and clean(p)]
    if extra:
        ctx.problem(line, f"{name} extra arguments ignored: {[clean(p) for p in extra]}")
    if not clean(chosen[0]) or not clean(chosen[2]):
        ctx.problem(line, f"{name} without both teams: {_short(raw)!r}")
    return chosen, raw


def _read_two_leg(ctx: _Context, tpl: Any, line: int) -> TwoLegRow | None:
    row = _row_args(ctx, tpl, line, "TwoLegResult", (0, 2, 3, 5, 6), 7)
    if row is None:
        return None
    (team1, agg, team2, leg1, leg2), raw = row
    t1, t2 = clean(team1), clean(team2)
    scored = {"aggregate": _read_score(agg), "leg 1": _read_score(leg1), "leg 2": _read_score(leg2)}
    notes: list[str] = []
    for label, result in scored.items():
        text = {"aggregate": agg, "leg 1": leg1, "leg 2": leg2}[label]
        if result.score is None and clean(text):
            ctx.problem(line, f"TwoLegResult {label} score not understood: {clean(text)!r}")
        notes.extend(f"{label}: {note}" for note in result.notes)
    if scored["leg 1"].penalties is not None:
        notes.append(f"leg 1: penalties {scored['leg 1'].penalties}")
    pens = scored["aggregate"].penalties or scored["leg 2"].penalties
    return TwoLegRow(
        section=ctx.where(line)[0],
        stage=ctx.where(line)[1],
        line=line,
        team1=t1,
        team2=t2,
        aggregate=scored["aggregate"].score,
        leg1=scored["leg 1"].score,
        leg2=scored["leg 2"].score,
        away_goals_note=any(r.away_goals for r in scored.values()),
        aggregate_penalties=pens,
        extra_time=any(r.extra_time for r in scored.values()),
        notes=tuple(notes),
        raw=raw,
        simulated=(simulated_mark(leg1), simulated_mark(leg2)),
        first=scored["aggregate"].first or scored["leg 2"].first,
    )


def _read_one_leg(ctx: _Context, tpl: Any, line: int) -> OneLegRow | None:
    row = _row_args(ctx, tpl, line, "OneLegResult", (0, 2, 3), 5)
    if row is None:
        return None
    (team1, score, team2), raw = row
    t1, t2 = clean(team1), clean(team2)
    result = _read_score(score)
    if result.score is None and result.published is None and clean(score):
        ctx.problem(line, f"OneLegResult score not understood: {clean(score)!r}")
    notes = list(result.notes)
    if result.away_goals:
        notes.append("a")
    section, stage = ctx.where(line)
    return OneLegRow(
        section=section,
        stage=stage,
        line=line,
        team1=t1,
        team2=t2,
        score=result.score,
        penalties=result.penalties,
        extra_time=result.extra_time,
        notes=tuple(notes),
        raw=raw,
        published=result.published,
        first=result.first,
    )


_BRACKET_KEY = re.compile(r"^RD([0-9]+)-(team|score|seed)([0-9]+)(?:-([0-9]+|agg))?$", re.I)
_ROUND_KEY = re.compile(r"^RD([0-9]+)$", re.I)


def _read_bracket(ctx: _Context, tpl: Any, line: int, name: str) -> Bracket:
    args = _args(ctx, tpl, name)
    rounds: dict[int, str] = {}
    params: dict[str, str] = {}
    slots: dict[tuple[int, int], dict[str, tuple[str, int]]] = {}
    for key, (value, where) in args.items():
        rm = _ROUND_KEY.match(key)
        bm = _BRACKET_KEY.match(key)
        if rm is not None:
            rounds[int(rm.group(1))] = clean(value)
        elif bm is not None:
            kind = bm.group(2).lower()
            sub = (bm.group(4) or "").lower()
            field_name = kind if kind != "score" else f"score-{sub or '1'}"
            slots.setdefault((int(bm.group(1)), int(bm.group(3))), {})[field_name] = (value, where)
        elif key.upper().startswith("RD"):
            ctx.problem(where, f"{name}: parameter {key!r} not understood")
            params[key] = clean(value)
        else:
            params[key] = clean(value)
    legs_value, legs_ok = _int_or_none(params.get("legs", ""))
    if not legs_ok:
        ctx.problem(line, f"{name}: legs={params.get('legs')!r} is not a number")
    entries: list[BracketEntry] = []
    for (rnd, slot), fields in sorted(slots.items()):
        team = clean(fields["team"][0]) if "team" in fields else ""
        first_line = min(where for _, where in fields.values())
        entry_line = fields["team"][1] if "team" in fields else first_line
        if not team:
            ctx.problem(entry_line, f"{name}: RD{rnd} slot {slot} has no team")
        leg_keys = sorted(
            (k for k in fields if k.startswith("score-") and k != "score-agg"),
            key=lambda k: int(k.split("-")[1]),
        )
        leg_scores = tuple(clean(fields[k][0]) for k in leg_keys)
        leg_goals: list[int | None] = []
        pens: int | None = None
        for k, text in zip(leg_keys, leg_scores, strict=True):
            goals, leg_pens, rest = _bracket_goals(text)
            leg_goals.append(goals)
            pens = leg_pens if leg_pens is not None else pens
            if text and (goals is None or rest):
                ctx.problem(fields[k][1], f"{name}: RD{rnd} slot {slot} score {text!r} unclear")
        agg = clean(fields["score-agg"][0]) if "score-agg" in fields else None
        agg_goals: int | None = None
        if agg:
            agg_goals, agg_pens, rest = _bracket_goals(agg)
            pens = agg_pens if agg_pens is not None else pens
            if agg_goals is None or rest:
                ctx.problem(
                    fields["score-agg"][1], f"{name}: RD{rnd} slot {slot} aggregate {agg!r} unclear"
                )
        seed = clean(fields["seed"][0]) if "seed" in fields else None
        entries.append(
            BracketEntry(
                round=rnd,
                slot=slot,
                team=team,
                seed=seed or None,
                leg_scores=leg_scores,
                leg_goals=tuple(leg_goals),
                agg=agg or None,
                agg_goals=agg_goals,
                penalties=pens,
                line=entry_line,
            )
        )
    section, stage = ctx.where(line)
    return Bracket(
        section=section,
        stage=stage,
        line=line,
        template=clean(str(tpl.name)),
        legs=legs_value,
        rounds=rounds,
        entries=tuple(entries),
        params=params,
    )


_TABLE_PLAIN = _listed(
    """
    style, show_matches, matches_style, solid_cell, res_col_header, update, source,
    date, winpoints, drawpoints, losspoints, class_rules, sortable_table, show_limit,
    only_pld_pts, show_positions, title, section, template_name, team_header,
    start_date, a_note, hth_local, stack, showteam, short_style, matches_text,
    show_status, result_prefix, header, notes, ranking_style
    """
)


@dataclass
class _TableArgs:
    """A sports table's parameters as read: clean values, the line of each, the codes."""

    ctx: _Context
    args: dict[str, tuple[str, int]]
    values: dict[str, str]
    where: dict[str, int]
    codes: list[str] = field(default_factory=list)

    def number(self, key: str, *, signed: bool = False) -> int | None:
        if key not in self.values:
            return None
        result, ok = _int_or_none(self.values[key], signed=signed)
        if not ok:
            self.ctx.problem(
                self.where[key], f"sports table: {key}={self.values[key]!r} is not a number"
            )
        return result


@dataclass
class _TableParts:
    """The per-club parameters of a sports table (``name_X``, ``status_X``, ...)."""

    names: dict[str, str] = field(default_factory=dict)
    statuses: dict[str, str] = field(default_factory=dict)
    adjust: dict[str, int] = field(default_factory=dict)
    hth: dict[str, str] = field(default_factory=dict)
    results: dict[int, str] = field(default_factory=dict)
    col_text: dict[str, str] = field(default_factory=dict)
    col_colors: dict[str, str] = field(default_factory=dict)
    cells: list[GridCell] = field(default_factory=list)


def _read_sports_table(ctx: _Context, pf: Any, line: int) -> SportsTable:
    args = _args(ctx, pf, "sports table")
    t = _TableArgs(
        ctx,
        args,
        {k: clean(v) for k, (v, _) in args.items() if not k.isdigit()},
        {k: w for k, (_, w) in args.items()},
    )
    _table_codes(t)
    published = _published_rows(t)
    parts = _table_parts(t)
    for code in t.codes:
        if code not in parts.names:
            ctx.problem(t.where.get(f"name_{code}", line), f"sports table: no name for {code!r}")
    section, stage = ctx.where(line)
    return SportsTable(
        section=section,
        stage=stage,
        line=line,
        style=t.values.get("style") or None,
        codes=tuple(t.codes),
        names=parts.names,
        published=published,
        matches=tuple(parts.cells),
        results=parts.results,
        col_text=parts.col_text,
        col_colors=parts.col_colors,
        statuses=parts.statuses,
        adjust_points=parts.adjust,
        winpoints=t.number("winpoints"),
        drawpoints=t.number("drawpoints"),
        losspoints=t.number("losspoints"),
        hth=parts.hth,
        class_rules=t.values.get("class_rules") or None,
        params=t.values,
    )


def _table_codes(t: _TableArgs) -> None:
    """The team codes in ``teamN`` order (a code listed twice is reported, kept once)."""
    teams: dict[int, str] = {}
    for key, value in t.values.items():
        m = re.fullmatch(r"team([0-9]+)", key)
        if m is not None and value:
            teams[int(m.group(1))] = value
    for index in sorted(teams):
        code = teams[index]
        if code in t.codes:
            t.ctx.problem(t.where[f"team{index}"], f"sports table: team code {code!r} listed twice")
            continue
        t.codes.append(code)


def _published_rows(t: _TableArgs) -> dict[str, PublishedRow]:
    """Each club's published W/D/L/GF/GA (``win_X`` ...), where the table gives them."""
    published: dict[str, PublishedRow] = {}
    for code in t.codes:
        keys = [f"{stat}_{code}" for stat in ("win", "draw", "loss", "gf", "ga")]
        present = [k for k in keys if k in t.values]
        if present:
            published[code] = PublishedRow(
                win=t.number(keys[0]),
                draw=t.number(keys[1]),
                loss=t.number(keys[2]),
                gf=t.number(keys[3]),
                ga=t.number(keys[4]),
                line=min(t.where[k] for k in present),
            )
            missing = [k for k in keys if k not in t.values]
            if missing:
                t.ctx.problem(t.where[present[0]], f"sports table: {code} lacks {missing}")
    return published


def _table_parts(t: _TableArgs) -> _TableParts:
    """Every other parameter: the grid's cells, result marks, names, statuses, points
    adjustments, head-to-head notes and colours; anything else is reported."""
    parts = _TableParts()
    ctx, codes = t.ctx, t.codes
    for key, value in t.values.items():
        if key in _TABLE_PLAIN or re.fullmatch(r"team[0-9]+", key):
            continue
        kline = t.where[key]
        m = re.fullmatch(r"result([0-9]+)", key)
        if m is not None:
            if value:
                parts.results[int(m.group(1))] = value
            continue
        if key.startswith("match_"):
            parts.cells.append(_grid_cell(ctx, key[6:], value, t.args[key][0], kline, codes))
            continue
        prefix, _, rest = key.partition("_")
        if prefix in {"win", "draw", "loss", "gf", "ga"} and rest in codes:
            continue
        if prefix == "name" and rest:
            parts.names[rest] = value
            if rest not in codes:
                ctx.problem(kline, f"sports table: name given for unlisted code {rest!r}")
        elif prefix == "status" and rest:
            parts.statuses[rest] = value
        elif key.startswith(("adjust_points_", "startpoints_")):
            code = key.split("_", 2)[-1] if key.startswith("adjust") else rest
            result = t.number(key, signed=True)
            if result is not None:
                parts.adjust[code] = result
        elif prefix == "hth" and rest:
            parts.hth[rest] = value
        elif prefix == "col" and rest:
            parts.col_colors[rest] = value
        elif prefix == "text" and rest:
            parts.col_text[rest] = value
        elif prefix in {"note", "pos"} and rest:
            continue  # kept in params
        else:
            ctx.problem(kline, f"sports table parameter not understood: {key}={value!r}")
    return parts


def _grid_cell(
    ctx: _Context, pair: str, value: str, raw: str, line: int, codes: Sequence[str]
) -> GridCell:
    home = away = ""
    for cut in (i for i, ch in enumerate(pair) if ch == "_"):
        if pair[:cut] in codes and pair[cut + 1 :] in codes:
            home, away = pair[:cut], pair[cut + 1 :]
            break
    else:
        home, _, away = pair.partition("_")
        ctx.problem(line, f"sports table: match_{pair} names codes not in the team list")
    empty = GridCell(
        home_code=home, away_code=away, home_goals=None, away_goals=None, raw=raw.strip(), line=line
    )
    if value.lower() in {"", "null"}:
        return empty
    result = _read_score(value)
    if result.published is not None:
        return replace(empty, published=result.published)
    if result.score is None:
        ctx.problem(line, f"sports table: match_{pair}={value!r} is not a score")
        return empty
    notes = list(result.notes)
    if result.penalties is not None:
        notes.append(f"penalties {result.penalties[0]}–{result.penalties[1]}")
    if result.extra_time:
        notes.append("a.e.t.")
    h, a = result.score.home, result.score.away
    return replace(empty, home_goals=h, away_goals=a, notes=tuple(notes), first=result.first)


@dataclass
class _Found:
    infobox: Infobox | None = None
    tables: list[SportsTable] = field(default_factory=list)
    two_legs: list[TwoLegRow] = field(default_factory=list)
    one_legs: list[OneLegRow] = field(default_factory=list)
    brackets: list[Bracket] = field(default_factory=list)
    template_lines: set[int] = field(default_factory=set)


def _read_templates(ctx: _Context, found: _Found) -> None:
    parsed = wtp.parse(ctx.text)
    items: list[tuple[int, bool, Any]] = [(t.span[0], False, t) for t in parsed.templates]
    items += [(p.span[0], True, p) for p in parsed.parser_functions]
    items.sort(key=lambda item: item[0])
    for start, is_function, obj in items:
        line = ctx.line_of(start)
        try:
            _dispatch(ctx, found, obj, line, is_function)
        except Exception as exc:  # one bad template must not cost the rest
            ctx.problem(line, f"could not read template: {type(exc).__name__}: {exc}")
        if obj.nesting_level <= 1:
            ctx.consume(line, ctx.line_of(max(start, obj.span[1] - 1)))


def _dispatch(ctx: _Context, found: _Found, obj: Any, line: int, is_function: bool) -> None:
    top = obj.nesting_level <= 1
    if is_function:
        name = str(obj.name).strip().lower()
        args = obj.arguments
        module = _norm(str(args[0].value)) if args else ""
        if name == "#invoke" and module == "sports table":
            found.tables.append(_read_sports_table(ctx, obj, line))
        elif top:
            ctx.problem(line, f"parser function not understood: {{{{{name}:{module}|...}}}}")
        return
    name = _norm(str(obj.name))
    if name.startswith("infobox"):
        if found.infobox is not None:
            ctx.problem(line, f"second infobox ignored ({name})")
        else:
            found.infobox = _read_infobox(ctx, obj, line)
    elif name == "twolegresult":
        row = _read_two_leg(ctx, obj, line)
        if row is not None:
            found.two_legs.append(row)
    elif name == "onelegresult":
        one = _read_one_leg(ctx, obj, line)
        if one is not None:
            found.one_legs.append(one)
    elif re.search(r"[0-9]+\s*-?\s*team\s*-?\s*bracket", name):
        found.brackets.append(_read_bracket(ctx, obj, line, clean(str(obj.name))))
    elif top and name not in _IGNORED_TEMPLATES:
        ctx.problem(line, f"template not understood: {{{{{clean(str(obj.name))}}}}}")


_MARKUP_LINE = re.compile(r"^\s*(?:\||!|\{\||\{\{|\}\}|class=|rowspan=|colspan=)")


def _leftovers(ctx: _Context) -> None:
    """Markup lines nothing claimed: reported, not dropped."""
    for number, line in enumerate(ctx.lines, start=1):
        if number in ctx.consumed or not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("|}"):
            continue  # closes a table a template opened ({{OneLegStart}})
        if _MARKUP_LINE.match(stripped):
            ctx.problem(number, f"markup not understood: {stripped[:80]!r}")


# --------------------------------------------------------------------------- entry points


def _decode(text: str | bytes, source: str) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes | bytearray):
        try:
            return decode(bytes(text), source)
        except SeasonFileError as exc:
            raise WikiParseError(f"{source}:{exc.line}: {exc.message}") from None
    raise WikiParseError(f"{source}:1: expected text, got {type(text).__name__}")


def _guarded(ctx: _Context, what: str, action: Any) -> Any:
    try:
        return action()
    except Exception as exc:  # never let a reader's bug escape as a crash
        ctx.problem(1, f"{what} failed: {type(exc).__name__}: {exc}")
        return None


_NESTING = re.compile(r"\{\{|\}\}|\[\[|\]\]|\{\||\|\}")


def _check_nesting(text: str, source: str) -> None:
    """Templates, links and tables nested deeper than MAX_WIKI_NESTING are refused:
    the parser's time grows with the square of the depth (docs/limits.md)."""
    if text.count("{{") + text.count("[[") <= MAX_WIKI_NESTING:
        return
    depth = 0
    for m in _NESTING.finditer(text):
        if m.group()[0] in "{[":
            depth += 1
            if depth > MAX_WIKI_NESTING:
                line = text.count("\n", 0, m.start()) + 1
                raise WikiParseError(
                    f"{source}:{line}: templates, links or tables nested more than "
                    f"{MAX_WIKI_NESTING} deep (docs/limits.md)"
                )
        elif depth:
            depth -= 1


def parse_article(text: str | bytes, source: str = "<string>") -> Article:
    """Read one article; markup problems become :class:`Problem` entries, never exceptions
    (only text that is not UTF-8 or is nested too deeply is refused, as WikiParseError)."""
    decoded = _decode(text, source)
    _check_nesting(decoded, source)
    ctx = _Context(decoded, source)
    found = _Found()
    _guarded(ctx, "reading headings", ctx.scan_sections)
    _guarded(ctx, "reading templates", lambda: _read_templates(ctx, found))
    skip = set(ctx.consumed)
    qualifiers = _guarded(ctx, "reading tables", lambda: _read_tables(ctx, skip)) or []
    _guarded(ctx, "checking leftovers", lambda: _leftovers(ctx))
    problems = sorted(set(ctx.problems), key=lambda p: (p.line, p.message))
    return Article(
        source=source,
        infobox=found.infobox,
        qualifiers=tuple(qualifiers),
        tables=tuple(sorted(found.tables, key=lambda t: t.line)),
        two_legs=tuple(sorted(found.two_legs, key=lambda r: r.line)),
        one_legs=tuple(sorted(found.one_legs, key=lambda r: r.line)),
        brackets=tuple(sorted(found.brackets, key=lambda b: b.line)),
        headings=tuple(ctx.headings),
        problems=tuple(problems),
    )


def parse_file(path: str | os.PathLike[str]) -> Article:
    """Read a UTF-8 file and parse it; unreadable files raise :class:`WikiParseError`."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise WikiParseError(f"{name}:0: cannot read file ({exc.strerror or exc})") from None
    return parse_article(data, source=str(name))
