"""Import results from openfootball's football.json, laid out by a format.

Both forms are read::

    {"name": ..., "rounds": [{"name": ..., "matches": [{"date", "team1", "team2", "score"}]}]}
    {"name": ..., "matches": [{"round": ..., "group": ..., "team1", "team2", "score"}]}

``score`` holds ``ft`` (after 90 minutes), ``et`` (after extra time,
counting the 90 minutes), ``p`` (shoot-out) and ``agg`` (the aggregate a
two-legged tie shows): all ``[team1, team2]``. The older ``score1`` /
``score2`` (``score1et``, ``score1p``...) keys and team objects
(``{"name": ...}``) are read too. ``team1`` is the home side. A round name
is placed in the format like a heading path: ``"Region I, Semifinals"``,
``"National Stage - Final"`` or, when only one stage has it, ``"Final"``.
In a knockout round the matches between two clubs are the tie's legs in the
order given, the first hosted by the tie's first club; one more is the
deciding match. ``agg`` is a claim, checked against the legs.
"""

from __future__ import annotations

import json
import json.scanner
import re
from bisect import bisect_right
from dataclasses import replace
from typing import Any

from copa.core.match import MAX_GOALS, MatchStatus, Score
from copa.core.tie import resolve_tie
from copa.limits import quote
from copa.sources.importing import (
    Finding,
    Imported,
    finish,
    new_draft,
)
from copa.sources.reader import Options, as_import, decode
from copa.spec.fold import fold
from copa.spec.formats import Format, load_format, presets
from copa.spec.scores import Result
from copa.spec.season_file import SeasonFileError

_SEPARATORS = re.compile(r"\s+[-–—·/>|]\s+|,\s+|:\s+")


class _Lines(json.JSONDecoder):
    """A JSON decoder that remembers the line each object and array starts on."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.at: dict[int, int] = {}
        breaks = [m.start() for m in re.finditer("\n", text)]
        hooks: dict[str, Any] = vars(self)
        plain_object, plain_array = hooks["parse_object"], hooks["parse_array"]

        def line(end: int) -> int:
            return bisect_right(breaks, end - 1) + 1

        def parse_object(state: tuple[str, int], *args: Any) -> tuple[Any, int]:
            obj, end = plain_object(state, *args)
            self.at[id(obj)] = line(state[1])
            return obj, end

        def parse_array(state: tuple[str, int], *args: Any) -> tuple[Any, int]:
            arr, end = plain_array(state, *args)
            self.at[id(arr)] = line(state[1])
            return arr, end

        hooks.update(parse_object=parse_object, parse_array=parse_array)
        self.object_pairs_hook = _unique
        self.parse_int = _bounded_int
        # the pure-Python scanner calls the two hooks above; the C one would not
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]

    def line(self, obj: Any) -> int | None:
        return self.at.get(id(obj))


MAX_DIGITS = 100


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _TooLong(ValueError):
    def __init__(self, digits: str) -> None:
        super().__init__(digits[:20])
        self.digits = digits


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise _Duplicate(k)
        out[k] = v
    return out


def _bounded_int(digits: str) -> int:
    if len(digits) > MAX_DIGITS:
        raise _TooLong(digits)
    return int(digits)


def _key_lines(text: str, key: str) -> list[int]:
    """Lines where ``key`` is written as a key of the object that holds it twice.

    Only called for an error: the innermost object (by nesting) whose own keys
    include ``key`` twice.
    """
    token = re.compile(r'"(?:[^"\\]|\\.)*"\s*:?|[{}\[\]]')
    stack: list[dict[str, list[int]]] = []
    for m in token.finditer(text):
        t = m.group()
        if t in "{[":
            stack.append({})
        elif t in "}]":
            keys = stack.pop() if stack else {}
            if len(keys.get(key, ())) > 1:
                return keys[key]
        elif t.endswith(":") and stack and json.loads(t[:-1].rstrip()) == key:
            stack[-1].setdefault(key, []).append(text.count("\n", 0, m.start()) + 1)
    return []


def _find_format(data: dict[str, Any], source: str) -> Format:
    name = data.get("name")
    if isinstance(name, str):
        for p in presets():
            fmt = load_format(p)
            r = fmt.model.recognise
            if r is None:
                continue
            if fold(r.competition) in fold(name) and (r.season is None or r.season in name):
                return replace(fmt, origin=f"{fmt.origin} (recognised from the name {quote(name)})")
    raise SeasonFileError(
        source,
        1,
        "",
        "football.json gives results only; name its format (rules, qualification, places) "
        f"with --preset (presets: {', '.join(presets())})",
    )


def _team(value: Any, source: str, line: int | None, key: str) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    if not isinstance(value, str) or not value.strip():
        raise SeasonFileError(source, line, key, "expected a team name")
    return value


def _pair(value: Any, source: str, line: int | None, key: str) -> Score | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value)
    ):
        raise SeasonFileError(source, line, key, f"expected [goals, goals], not {quote(value)}")
    if max(value) > MAX_GOALS:
        raise SeasonFileError(
            source, line, key, f"more than {MAX_GOALS} goals is not a football score"
        )
    return Score(value[0], value[1])


def _score(match: dict[str, Any], source: str, line: int | None) -> tuple[Result, Score | None]:
    """The result (team1 = home) and the aggregate it claims, if any."""
    s = match.get("score")
    if s is None and "score1" in match:
        s = {
            "ft": [match.get("score1"), match.get("score2")],
            "et": [match.get("score1et"), match.get("score2et")]
            if match.get("score1et") is not None
            else None,
            "p": [match.get("score1p"), match.get("score2p")]
            if match.get("score1p") is not None
            else None,
        }
        if s["ft"] == [None, None]:
            del s["ft"]
        s = {k: v for k, v in s.items() if v is not None} or None
    if s is None or s == {}:
        status = MatchStatus(match["status"]) if match.get("status") == "not_played" else None
        return Result(None, status=status or MatchStatus.SCHEDULED), None
    if not isinstance(s, dict):
        raise SeasonFileError(source, line, "score", f"expected an object, not {quote(s)}")
    unknown = [k for k in s if k not in ("ft", "et", "p", "agg", "ht")]
    if unknown:
        raise SeasonFileError(source, line, "score", f"unknown score key(s) {unknown}")
    ft = _pair(s.get("ft"), source, line, "score.ft")
    et = _pair(s.get("et"), source, line, "score.et")
    pens = _pair(s.get("p"), source, line, "score.p")
    agg = _pair(s.get("agg"), source, line, "score.agg")
    _pair(s.get("ht"), source, line, "score.ht")
    if ft is None and et is None and pens is None:
        raise SeasonFileError(source, line, "score.ft", "a score needs ft, et or p")
    # without ft: known only after extra time, or only by its shoot-out (as published)
    return Result(ft, et, pens), agg


#: what a round of football.json holds (openfootball writes name and matches; dates are kept
#: by some exports)
_ROUND_KEYS = frozenset({"name", "matches", "date", "start_date", "end_date"})


def _matches(data: Any, source: str, at: _Lines) -> list[tuple[Any, Any, int | None]]:
    """(round name, match, line) of every match, in the file's order."""
    if not isinstance(data, dict):
        raise SeasonFileError(source, 1, "", "football.json is an object with rounds or matches")
    out: list[tuple[Any, Any, int | None]] = []
    if "rounds" in data:
        rounds = data["rounds"]
        if not isinstance(rounds, list):
            raise SeasonFileError(
                source, at.line(rounds) or 1, "rounds", "expected a list of rounds"
            )
        for rnd in rounds:
            where = at.line(rnd) or at.line(rounds)
            if not isinstance(rnd, dict) or not isinstance(rnd.get("name"), str):
                raise SeasonFileError(source, where, "rounds", "each round has a name and matches")
            unknown = sorted(set(rnd) - _ROUND_KEYS, key=str)
            if unknown:  # a misspelt "matches" would drop the round's results without a word
                raise SeasonFileError(
                    source,
                    where,
                    "rounds",
                    f"{quote(rnd['name'])}: unknown key {quote(unknown[0])} "
                    f"(a round has {', '.join(sorted(_ROUND_KEYS))})",
                )
            ms = rnd.get("matches", [])
            if not isinstance(ms, list):
                raise SeasonFileError(source, where, "matches", f"{rnd['name']}: expected a list")
            out += [(rnd["name"], m, at.line(m) or at.line(ms)) for m in ms]
    elif "matches" in data:
        ms = data["matches"]
        if not isinstance(ms, list):
            raise SeasonFileError(source, at.line(ms) or 1, "matches", "expected a list of matches")
        out += [
            (m.get("round") if isinstance(m, dict) else None, m, at.line(m) or at.line(ms))
            for m in ms
        ]
    else:
        raise SeasonFileError(source, 1, "", "no rounds and no matches")
    return out


def _parsed(data: bytes, source: str) -> tuple[Any, _Lines]:
    """The document, and where each of its objects starts; bad JSON is one error line."""
    text = decode(data, source)
    at = _Lines(text)
    try:
        return at.decode(text), at
    except json.JSONDecodeError as e:
        raise SeasonFileError(source, e.lineno, "", f"not valid JSON: {e.msg}") from None
    except RecursionError:
        raise SeasonFileError(source, None, "", "not valid JSON: nested too deeply") from None
    except _Duplicate as e:
        lines = _key_lines(text, e.key) or [0, 0]
        raise SeasonFileError(
            source, lines[1] or None, e.key, f"duplicate key (first at line {lines[0]})"
        ) from None
    except _TooLong as e:
        pos = text.find(e.digits)
        raise SeasonFileError(
            source,
            text.count("\n", 0, pos) + 1 if pos >= 0 else None,
            "",
            f"a number of {len(e.digits)} digits is too large (at most {MAX_DIGITS})",
        ) from None


def _aggregate_findings(
    done: Imported, fmt: Format, claims: list[tuple[int, int, str, str, Score, int | None]]
) -> list[Finding]:
    """Each aggregate the file states against the one its legs give."""
    findings: list[Finding] = []
    for si, ri, home, away, agg, line in claims:
        fs = fmt.model.stages[si]
        try:
            rnd = done.season.stage(fs.name).round(fs.rounds[ri].name)
        except KeyError:
            continue
        tie = next((t for t in rnd.ties if set(t.teams) == {home, away}), None)
        if tie is None:
            continue
        shown = resolve_tie(tie).aggregate
        computed = shown if tie.teams[0] == home else (shown[1], shown[0])
        if (agg.home, agg.away) != computed:
            findings.append(
                Finding(
                    "aggregate",
                    f"{fs.name}, {fs.rounds[ri].name}",
                    line,
                    f"{home} v {away} agg",
                    f"{agg.home}–{agg.away}",
                    f"{computed[0]}–{computed[1]}",
                )
            )
    return findings


def read(data: bytes, source: str, options: Options) -> Imported:
    """Read a football.json file into a season laid out by ``fmt``."""
    parsed, at = _parsed(data, source)
    matches = _matches(parsed, source, at)
    fmt = options.fmt or _find_format(parsed, source)
    draft = new_draft(fmt, source, options)
    if isinstance(parsed.get("name"), str):
        draft.competition = None  # the name mixes competition and season; the format says
    claims: list[tuple[int, int, str, str, Score, int | None]] = []
    for round_name, m, line in matches:
        if not isinstance(m, dict):
            raise SeasonFileError(
                source, line, "matches", f"expected a match object, not {quote(m)}"
            )
        if not isinstance(round_name, str) or not round_name.strip():
            raise SeasonFileError(source, line, "round", "a match without a round")
        group = m.get("group")
        path = [p for p in _SEPARATORS.split(round_name.strip()) if p]
        if isinstance(group, str) and group.strip():
            path.append(group)
        place = draft.locator.place(path)
        if isinstance(place, str):
            draft.note(line, f"round {quote(round_name)}: {place}")
            continue
        home = draft.clubs.result_name(_team(m.get("team1"), source, line, "team1"), line)
        away = draft.clubs.result_name(_team(m.get("team2"), source, line, "team2"), line)
        res, agg = _score(m, source, line)
        in_group = draft.add_match(place, home, away, res, line)
        if agg is not None and in_group:
            if not place.tiebreaker:
                draft.note(line, "an aggregate on a group match means nothing; ignored")
        elif agg is not None:
            claims.append((place.stage, place.round, home, away, agg, line))
    done = finish(draft)
    findings = _aggregate_findings(done, fmt, claims)
    return replace(done, findings=tuple(findings), checked=(("aggregates", len(claims)),))


import_footballjson = as_import(read)
