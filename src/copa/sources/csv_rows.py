"""CSV rows as cells by column, and a matches-CSV row's cells read as a result.

Shared by every reader of a CSV file: the matches CSV (``copa import --from csv``),
the clubs CSV (:mod:`copa.sources.clubs_csv`) and ``copa results import``. Errors
are one :class:`~copa.spec.errors.SeasonFileError` line naming the file, line and
column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence

from copa.core.match import MAX_GOALS, MatchStatus, Score
from copa.limits import quote
from copa.spec.errors import SeasonFileError
from copa.spec.scores import Result


def _lower(header: str) -> str:
    return header.strip().lower()


def rows(
    text: str,
    source: str,
    required: tuple[str, ...],
    known: tuple[str, ...],
    column: Callable[[str], str] = _lower,
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows with their line numbers, each a column -> cell mapping (``column`` names a
    header cell's column); unknown columns are returned to be reported."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise SeasonFileError(source, 1, "", "empty file: expected a header row")
        header = [column(h) for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise SeasonFileError(
                source, 1, "", f"missing {columns_word(missing)}: {', '.join(missing)}"
            )
        dup = [h for h in header if header.count(h) > 1]
        if dup:
            raise SeasonFileError(source, 1, "", f"column {quote(dup[0])} given twice")
        start = reader.line_num + 1
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                # a short row would shift nothing but could still be misread (a missing
                # leg column turns the legs' order around): every row gives every column
                raise SeasonFileError(
                    source, line, "", f"{len(row)} cells, the header has {len(header)}"
                )
            cells = {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
            out.append((line, cells))
    except csv.Error as e:
        raise SeasonFileError(source, reader.line_num, "", f"not valid CSV: {e}") from None
    return out, [h for h in header if h not in known]


def _int(cells: dict[str, str], key: str, source: str, line: int) -> int | None:
    text = cells.get(key, "")
    if not text:
        return None
    if not text.isascii() or not text.isdigit():
        raise SeasonFileError(source, line, key, f"{quote(text)} is not a number of goals")
    if len(text) > len(str(MAX_GOALS)) or int(text) > MAX_GOALS:
        raise SeasonFileError(
            source,
            line,
            key,
            f"more than {MAX_GOALS} goals is not a football score",
        )
    return int(text)


def _pair(cells: dict[str, str], a: str, b: str, source: str, line: int) -> Score | None:
    x, y = _int(cells, a, source, line), _int(cells, b, source, line)
    if (x is None) != (y is None):
        raise SeasonFileError(source, line, a if x is None else b, "give both sides or neither")
    return Score(x, y) if x is not None and y is not None else None


def result_of(cells: dict[str, str], source: str, line: int) -> Result:
    """The result a row records, checked for sense (status against score)."""
    score = _pair(cells, "home_goals", "away_goals", source, line)
    et = _pair(cells, "home_goals_et", "away_goals_et", source, line)
    pens = _pair(cells, "home_penalties", "away_penalties", source, line)
    text = cells.get("status", "").lower().replace(" ", "_")
    status = MatchStatus.PLAYED
    if text:
        try:
            status = MatchStatus(text)
        except ValueError:
            known = ", ".join(s.value for s in MatchStatus)
            raise SeasonFileError(
                source, line, "status", f"unknown status {quote(text)} (known: {known})"
            ) from None
    winner = cells.get("winner", "") or None
    first = cells.get("first_shooter", "") or None
    given = score is not None or et is not None or pens is not None or winner is not None
    if not text:
        status = MatchStatus.PLAYED if given else MatchStatus.SCHEDULED
    if status in (MatchStatus.SCHEDULED, MatchStatus.NOT_PLAYED):
        if given:
            raise SeasonFileError(source, line, "status", f"a {status.value} match has no score")
        return Result(None, status=status)
    if first is not None and pens is None:
        raise SeasonFileError(source, line, "first_shooter", "no shoot-out is recorded")
    if score is None and status is MatchStatus.PLAYED and given:
        # the score after extra time alone, the shoot-out alone, or the winner alone
        if winner is not None and (et is not None or pens is not None):
            raise SeasonFileError(source, line, "winner", "give the winner only without a score")
        return Result(None, et, pens, status, winner=winner, first=first)
    if score is None:
        raise SeasonFileError(source, line, "home_goals", f"a {status.value} match needs a score")
    if winner is not None:
        raise SeasonFileError(source, line, "winner", "give the winner only without a score")
    return Result(score, et, pens, status, first=first)


_TRUE = frozenset({"true", "yes", "1", "si", "sí"})
_FALSE = frozenset({"", "false", "no", "0"})


def simulated_of(cells: dict[str, str], source: str, line: int) -> bool:
    """The ``simulated`` column: ``true`` on a result copa invented (``copa play``)."""
    text = cells.get("simulated", "").strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise SeasonFileError(
        source, line, "simulated", f"{quote(text)} is neither true nor false (or empty)"
    )


def leg_of(cells: dict[str, str], source: str, line: int) -> int | None:
    text = cells.get("leg", "").lower()
    if not text:
        return None
    if text in ("decider", "tiebreaker", "replay", "playoff", "play-off"):
        return 0
    if text in ("1", "2"):
        return int(text)
    raise SeasonFileError(source, line, "leg", f"{quote(text)} is not a leg (1, 2 or decider)")


def columns_word(names: Sequence[str]) -> str:
    return "column" if len(names) == 1 else "columns"
