"""Import copa's own JSON export (``copa export --format json``) back into a season.

The document (``docs/json-format.md``) names each group's matches and deciding
matches and each tie's legs with its stage and round, and every score form copa
keeps: extra time, a shoot-out and who shot first, a recorded winner when the goals
are unknown, a walkover's awarded score, a simulated result. Like a CSV file, it
carries results, not rules: the format (``--preset``) says how they are decided, and
a clubs CSV (``--clubs``) where each club comes from.
"""

from __future__ import annotations

import json
from typing import Any

from copa.core.match import MatchStatus, Score
from copa.limits import MAX_GOALS, quote
from copa.sources.importing import Imported, finish, format_needed, new_draft
from copa.sources.reader import Options, as_import, decode
from copa.spec.scores import Result
from copa.spec.season_file import SeasonFileError


def read(data: bytes, source: str, options: Options) -> Imported:
    """Read a copa JSON document (and clubs CSV) into a season laid out by ``fmt``."""
    fmt = format_needed(options.fmt, source, "copa's JSON")
    text = decode(data, source)  # outside the try: a decoding error is a ValueError too
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise SeasonFileError(source, e.lineno, "", f"not valid JSON ({e.msg})") from None
    except (ValueError, RecursionError) as e:  # a 5,000-digit number, 100,000 nested lists
        why = type(e).__name__
        raise SeasonFileError(source, None, "", f"not a JSON copa reads ({why})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("groups"), list):
        raise SeasonFileError(source, 1, "", "not a copa JSON document (copa export --format json)")
    draft = new_draft(fmt, source, options)
    try:
        _read(draft, doc, source)
    except SeasonFileError as e:
        raise _named(source, e) if not e.source else e from None
    return finish(draft)


def _read(draft: Any, doc: dict[str, Any], source: str) -> None:
    for gi, g in enumerate(doc["groups"]):
        where = f"groups[{gi}]"
        place = draft.locator.place(
            [_text(g, "stage", where), _text(g, "round", where), _text(g, "name", where)]
        )
        if isinstance(place, str):
            draft.note(None, f"{where}: {place}")
            continue
        for key, leg in (("matches", None), ("deciders", 0)):
            for mi, m in enumerate(_list(g, key, where)):
                _add(draft, place, m, f"{where}.{key}[{mi}]", leg, source)
    for ti, t in enumerate(_list(doc, "ties", "")):
        where = f"ties[{ti}]"
        if isinstance(t, dict) and t.get("group") is not None:
            continue  # a group's deciding match, listed as a tie too: read with its group
        place = draft.locator.place([_text(t, "stage", where), _text(t, "round", where)])
        if isinstance(place, str):
            draft.note(None, f"{where}: {place}")
            continue
        legs = _list(t, "legs", where)
        for li, m in enumerate(legs):
            _add(draft, place, m, f"{where}.legs[{li}]", li + 1 if len(legs) > 1 else None, source)
        if t.get("decider") is not None:
            _add(draft, place, t["decider"], f"{where}.decider", 0, source)


def _text(obj: Any, key: str, where: str) -> str:
    value = obj.get(key) if isinstance(obj, dict) else None
    if not isinstance(value, str):
        raise SeasonFileError("", None, f"{where}.{key}", "expected a name")
    return value


def _list(obj: Any, key: str, where: str) -> list[Any]:
    value = obj.get(key, []) if isinstance(obj, dict) else None
    if not isinstance(value, list):
        raise SeasonFileError("", None, f"{where}.{key}".lstrip("."), "expected a list")
    return value


def _named(source: str, e: SeasonFileError) -> SeasonFileError:
    """The error with the document's name (the helpers do not know it)."""
    return SeasonFileError(source, e.line, e.field, e.message)


def _score(obj: Any, where: str) -> Score | None:
    """``{"home_goals": 2, "away_goals": 1}`` (either None: not known) as a score."""
    if obj is None:
        return None
    if not isinstance(obj, dict):
        raise SeasonFileError(
            "", None, where, f"expected home_goals and away_goals, not {quote(obj)}"
        )
    h: Any = obj.get("home_goals")
    a: Any = obj.get("away_goals")
    if h is None and a is None:
        return None
    for n in (h, a):
        if type(n) is not int or not 0 <= n <= MAX_GOALS:
            raise SeasonFileError(
                "", None, where, f"goals are whole numbers from 0 to {MAX_GOALS}, not {quote(n)}"
            )
    return Score(h, a)


def _add(draft: Any, place: Any, m: Any, where: str, leg: int | None, source: str) -> None:
    if not isinstance(m, dict):
        raise SeasonFileError(source, None, where, "expected a match object")
    try:
        home = draft.clubs.result_name(_text(m, "home", where), None)
        away = draft.clubs.result_name(_text(m, "away", where), None)
        status_text = m.get("status", "played")
        try:
            status = MatchStatus(status_text)
        except ValueError:
            raise SeasonFileError("", None, where, f"unknown status {quote(status_text)}") from None
        score = _score(m, where)
        if m.get("goals_known") is False:
            score = None
        result = Result(
            score,
            _score(m.get("extra_time"), f"{where}.extra_time"),
            _score(m.get("penalties"), f"{where}.penalties"),
            status,
            _score(m.get("original"), f"{where}.original"),
            m.get("winner"),
            m.get("shot_first"),
        )
    except SeasonFileError as e:
        raise SeasonFileError(source, None, e.field or where, e.message) from None
    draft.add_match(place, home, away, result, None, leg, simulated=m.get("simulated") is True)


import_json = as_import(read)
