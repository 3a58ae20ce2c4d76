"""Import results from CSV: one match per row, plus an optional clubs file and a format.

The columns are the ones ``copa export SEASON --format csv --what matches``
writes (``docs/import.md``)::

    date, stage, round, group, home, away, home_goals, away_goals,
    home_goals_et, away_goals_et, home_penalties, away_penalties, leg, status

``stage`` and ``round`` name a stage and round of the format (or one of their
aliases); ``group`` a group of a group round. A group's deciding match has
round ``Tiebreaker`` and its group; a tie's has ``leg`` ``decider``. Goals
after extra time count the 90 minutes. The clubs file has the columns
``name, aliases, department, province, district, location`` (aliases
separated by ``;``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from copa.core.match import MAX_GOALS, MatchStatus, Score
from copa.limits import quote
from copa.sources.importing import (
    TIEBREAK_TITLES,
    Draft,
    Imported,
    MatchDraft,
    finish,
    format_needed,
)
from copa.spec.formats import Format, fold
from copa.spec.matches_csv import MATCH_COLUMNS
from copa.spec.scores import Result
from copa.spec.season_file import SeasonFileError

#: the columns ``copa export --format csv --what matches`` writes
COLUMNS = MATCH_COLUMNS
REQUIRED = ("stage", "round", "home", "away", "home_goals", "away_goals")
CLUB_COLUMNS = ("name", "aliases", "department", "province", "district", "location")


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise SeasonFileError(source, line, "", f"not valid UTF-8 ({e.reason})") from None


def _rows(
    text: str, source: str, required: tuple[str, ...], known: tuple[str, ...]
) -> tuple[list[tuple[int, dict[str, str]]], list[str]]:
    """Rows with their line numbers; unknown columns are returned to be reported."""
    reader = csv.reader(io.StringIO(text, newline=""))
    out: list[tuple[int, dict[str, str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise SeasonFileError(source, 1, "", "empty file: expected a header row")
        header = [h.strip().lower() for h in header]
        missing = [c for c in required if c not in header]
        if missing:
            raise SeasonFileError(
                source, 1, "", f"missing {_columns(missing)}: {', '.join(missing)}"
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


def _leg(cells: dict[str, str], source: str, line: int) -> int | None:
    text = cells.get("leg", "").lower()
    if not text:
        return None
    if text in ("decider", "tiebreaker", "replay", "playoff", "play-off"):
        return 0
    if text in ("1", "2"):
        return int(text)
    raise SeasonFileError(source, line, "leg", f"{quote(text)} is not a leg (1, 2 or decider)")


def _columns(names: Sequence[str]) -> str:
    return "column" if len(names) == 1 else "columns"


def new_draft(
    fmt: Format, source: str, clubs: bytes | None = None, clubs_source: str | None = None
) -> Draft:
    """A draft of ``source`` laid out by ``fmt``, with the clubs file's clubs (if any) listed
    first, in its order: the start of every match-list importer."""
    draft = Draft(fmt, source)
    if clubs is not None:
        read_clubs(draft, clubs, clubs_source or "clubs")
    return draft


def read_clubs(draft: Draft, data: bytes, source: str) -> None:
    """The clubs file: one club per row, listed in this order."""
    rows, extra = _rows(decode(data, source), source, ("name",), CLUB_COLUMNS)
    if extra:
        draft.note(1, f"{source}: {_columns(extra)} {', '.join(extra)} not understood; ignored")
    for line, cells in rows:
        name = cells.get("name", "")
        if not name:
            raise SeasonFileError(source, line, "name", "a club without a name")
        fields = {k: cells.get(k, "") for k in CLUB_COLUMNS if k != "name"}
        draft.clubs.list_club(name, line, **fields)


def _group_decider(draft: Draft, line: int, cells: dict[str, str], why: str, source: str) -> None:
    """A group's deciding match whose row names no round (as ``copa export`` writes them):
    the group of that name in that stage where both clubs play, when there is one."""
    si = draft.locator.stage_of([cells["stage"]])
    home = draft.clubs.result_name(cells["home"], line)
    away = draft.clubs.result_name(cells["away"], line)
    found = [
        g
        for (s, _, name), g in draft.groups.items()
        if s == si and fold(name) == fold(cells["group"]) and {home, away} <= set(g.clubs)
    ]
    if len(found) != 1:
        draft.note(line, why)
        return
    found[0].deciders.append(
        MatchDraft(
            home, away, result_of(cells, source, line), line, simulated_of(cells, source, line)
        )
    )


def import_csv(
    data: bytes,
    source: str,
    fmt: Format | None,
    clubs: bytes | None = None,
    clubs_source: str | None = None,
) -> Imported:
    """Read a matches CSV (and clubs CSV) into a season laid out by ``fmt``."""
    fmt = format_needed(fmt, source, "a CSV file")
    draft = new_draft(fmt, source, clubs, clubs_source)
    rows, extra = _rows(decode(data, source), source, REQUIRED, COLUMNS)
    if extra:
        draft.note(1, f"{_columns(extra)} {', '.join(extra)} not understood; ignored")
    later: list[tuple[int, dict[str, str], str]] = []
    for line, cells in rows:
        if draft.locator.stage_of([cells["stage"]]) is None:
            stages = ", ".join(s.name for s in draft.fmt.model.stages)
            raise SeasonFileError(
                source,
                line,
                "stage",
                f"{quote(cells['stage'])} is no stage of the format (stages: {quote(stages, 200)})",
            )
        path = [cells["stage"], cells["round"]] + ([cells["group"]] if cells.get("group") else [])
        place = draft.locator.place(path)
        if isinstance(place, str):
            if cells["round"].strip().lower() in TIEBREAK_TITLES and cells.get("group"):
                later.append((line, cells, place))  # the group is known once its matches are
            else:
                draft.note(line, place)
            continue
        res = result_of(cells, source, line)
        home = draft.clubs.result_name(cells["home"], line)
        away = draft.clubs.result_name(cells["away"], line)
        leg, sim = _leg(cells, source, line), simulated_of(cells, source, line)
        draft.add_match(place, home, away, res, line, leg, simulated=sim)
    for line, cells, why in later:
        _group_decider(draft, line, cells, why, source)
    return finish(draft)
