"""Corrections to an article: which template parameter to change, and the corrected text.

An :class:`Edit` names a parameter of the template that starts on a given
line (``ga_UNT`` of the sports table on line 484) and the value to write
there; applied, only that value changes: prose, references, comments, team
codes, styling parameters, the parameters' order and the whitespace around
each value stay as they were. ``part`` narrows an edit to a piece of the
value (one record inside ``highest scoring = … <br /><small>scope</small>``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Edit:
    """Write ``new`` as parameter ``param`` of the template starting on ``template_line``."""

    template_line: int
    param: str
    old: str
    new: str
    #: only this piece of the value is replaced (None: the whole value)
    part: str | None = None
    #: pieces after ``part`` that go, with what separates them from the piece before
    drop: tuple[str, ...] = ()

    def text(self) -> str:
        return f"{self.param}={self.new}" if self.part is None else f"{self.param}: {self.new}"


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _norm(name: str) -> str:
    """Parameter names compared without case, spacing or leading zeros (RD1-score01-1)."""
    return re.sub(r"(?<!\d)0+(?=\d)", "", " ".join(name.split()).lower())


def _templates(parsed: Any) -> list[Any]:
    return [*parsed.templates, *parsed.parser_functions]


def _find(parsed: Any, text: str, edit: Edit) -> Any | None:
    """The argument ``edit`` names: in the template starting on its line, else the nearest above."""
    best = None
    best_line = -1
    for t in _templates(parsed):
        start = _line_of(text, t.span[0])
        if start > edit.template_line or start < best_line:
            continue
        for a in t.arguments:
            if _norm(a.name) == _norm(edit.param):
                best, best_line = a, start
                break
    return best


def locate(text: str, edits: Iterable[Edit]) -> dict[Edit, int]:
    """The line of each edit's parameter in ``text`` (edits not found are left out)."""
    import wikitextparser as wtp

    parsed = wtp.parse(text)
    out = {}
    for e in edits:
        arg = _find(parsed, text, e)
        if arg is not None:
            out[e] = _line_of(text, arg.span[0])
    return out


def apply(text: str, edits: Sequence[Edit]) -> tuple[str, list[Edit]]:
    """``text`` with every edit applied, and the edits that could not be placed."""
    import wikitextparser as wtp

    parsed = wtp.parse(text)
    spans: list[tuple[int, int, str]] = []
    missing: list[Edit] = []
    for e in edits:
        arg = _find(parsed, text, e)
        if arg is None:
            missing.append(e)
            continue
        value = arg.value
        # the value's own text, without the whitespace and newlines around it
        lead = len(value) - len(value.lstrip())
        core = value.strip()
        start = arg.span[1] - len(value) + lead
        if e.part is not None:
            at = core.find(e.part)
            if at < 0:
                missing.append(e)
                continue
            end = at + len(e.part)
            for piece in e.drop:
                p = core.find(piece, end)
                if p >= 0:
                    end = p + len(piece)
            spans.append((start + at, start + end, e.new))
        elif not core:
            # an empty value: write right after "=", keeping the line breaks that follow
            eq = arg.span[1] - len(value)
            if value.startswith(" "):
                spans.append((eq + 1, eq + 1, e.new))
            else:  # "| matches =" is written "| matches = 211", like "| name = value"
                spaced = text[eq - 2 : eq] == " =" or arg.name.endswith(" ")
                spans.append((eq, eq, f" {e.new}" if spaced else e.new))
        else:
            spans.append((start, start + len(core), e.new))
    out = text
    for a, b, new in sorted(spans, reverse=True):
        out = out[:a] + new + out[b:]
    return out, missing


def unified_diff(before: str, after: str, name: str, fixed_name: str) -> str:
    """The changes as a unified diff (a line changes only when one of its values did)."""
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=name,
            tofile=fixed_name,
            n=1,
        )
    )


_NUMBER = re.compile(r"\d+")


def rewrite_score(raw: str, home: int, away: int) -> str:
    """A score's text with its two numbers replaced, its dash and any markup kept.

    >>> rewrite_score("0—4", 4, 0)
    '4—0'
    """
    numbers = iter((str(home), str(away)))
    return _NUMBER.sub(lambda m: next(numbers, m.group(0)), raw, count=2)
