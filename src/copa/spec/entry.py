"""Entering results into a season file without editing it by hand.

``copa result``, ``copa results import`` and ``copa revert`` all go through
:func:`copa.io.season_edit.apply_changes`: the fixtures are found in the loaded
season, each new result is checked against the rules at once, and the file's text
is changed *in place, line by line* (comments, layout and every other line stay
byte for byte as they were), with one history entry per change appended; the
file is written in one atomic write (:mod:`copa.io.safe_write`, with the
changed-since-read check). This module is text in, text out: it reads and writes
no file, and club names are resolved by the lookup its caller passes in.

Only the changed entries are rewritten; each is read back and its group or
tie checked again before anything is written.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import yaml

from copa.core.group import Group
from copa.core.issues import Severity
from copa.core.match import COUNTING, Match, MatchStatus
from copa.core.season import Season
from copa.core.tie import Tie, resolve_tie
from copa.spec import yamlkit
from copa.spec.errors import UnknownName
from copa.spec.fixture_notation import (
    NO_DETAILS,
    Details,
    DetailsError,
    details_of,
    match_details,
    split_details,
    writable_venue,
)
from copa.spec.history import HistoryModel, history_line
from copa.spec.scores import (
    _MATCH,
    Result,
    ScoreError,
    format_result,
    match_of,
    match_result,
    parse_result,
)

# every YAML text here is read by copa's one strict reader (duplicate keys, tags, alias
# budget, huge numbers: copa.spec.yamlkit); ``yaml`` is imported for its node types only


class EntryError(ValueError):
    """Bad input to a result command: one line, exit code 2, nothing written."""


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class Loaded:
    path: str
    text: str
    seen: str  # fingerprint of the bytes read
    season: Season
    history: tuple[HistoryModel, ...]
    #: when read from the cache (copa.io.season_edit): the key of the full entry it
    #: was built from and the moves made since, so the next entry can be those moves
    origin: tuple[str, tuple[Move, ...]] | None = None


def parse_loaded(path: str, text: str, seen: str) -> Loaded:
    """A season file's text (and the fingerprint of the bytes it was read from) for
    update: the season and its history (:func:`copa.io.season_edit.load` reads it)."""
    from copa.spec.pyramid_file import is_pyramid_text, parse_pyramid_season
    from copa.spec.season_file import ErrorLocator, SeasonModel, build, load_mapping, validate

    if is_pyramid_text(text):
        ps = parse_pyramid_season(text, path)
        return Loaded(path, text, seen, ps.season, ps.history)
    err = ErrorLocator(path, text)
    data = load_mapping(text, path, "a season file (competition, season, clubs, stages)")
    model = validate(SeasonModel, data, err)
    return Loaded(path, text, seen, build(model, err), tuple(model.history))


# ---------------------------------------------------------------- fixtures


@dataclass(frozen=True)
class Slot:
    """Where one fixture lives: in the season and in the file."""

    si: int
    ri: int
    stage: str
    round: str
    fixture: str  # group name or "A v B"
    kind: str  # "match" | "decider" | "leg" | "tie_decider"
    ci: int  # group or tie index in the round
    index: int  # match index in the group, leg index in the tie
    match: Match
    group: Group | None = None
    tie: Tie | None = None
    #: a deciding match the rules ask for, added to the file by this change
    added: bool = False

    @property
    def leg(self) -> int | None:
        return (
            self.index + 1 if self.kind == "leg" and self.tie and len(self.tie.legs) > 1 else None
        )

    def yaml_path(self) -> tuple[str | int, ...]:
        base: tuple[str | int, ...] = ("rounds", self.ri)
        if self.kind == "match":
            return (*base, "groups", self.ci, "matches", self.index)
        if self.kind == "decider":
            return (*base, "groups", self.ci, "deciders", self.index)
        if self.kind == "leg":
            return (*base, "ties", self.ci, "legs", self.index)
        return (*base, "ties", self.ci, "decider")

    def where(self) -> str:
        leg = f", leg {self.leg}" if self.leg else ""
        what = " (deciding match)" if self.kind in ("decider", "tie_decider") else ""
        return f"{self.stage} · {self.round} · {self.fixture}{leg}{what}"


def slots(season: Season, pair: Collection[str] | None = None) -> Iterator[Slot]:
    """Every fixture of the season, in the order the file lists them; with ``pair``,
    only those between its two clubs (either way round): a slot is made only for
    them, which on 20,000 clubs spares 170,000 of them per lookup."""
    for si, stage in enumerate(season.stages):
        for ri, rnd in enumerate(stage.rounds):
            for gi, g in enumerate(rnd.groups):
                if pair is not None and not all(c in g.clubs for c in pair):
                    continue
                for j, m in enumerate(g.matches):
                    if pair is None or (m.home in pair and m.away in pair):
                        yield Slot(si, ri, stage.name, rnd.name, g.name, "match", gi, j, m, group=g)
                for j, m in enumerate(g.deciders):
                    if pair is None or (m.home in pair and m.away in pair):
                        yield Slot(
                            si, ri, stage.name, rnd.name, g.name, "decider", gi, j, m, group=g
                        )
            for ti, t in enumerate(rnd.ties):
                if pair is not None and not all(c in t.teams for c in pair):
                    continue
                label = f"{t.teams[0]} v {t.teams[1]}"
                for i, m in enumerate(t.legs):
                    yield Slot(si, ri, stage.name, rnd.name, label, "leg", ti, i, m, tie=t)
                if t.decider is not None:
                    yield Slot(
                        si, ri, stage.name, rnd.name, label, "tie_decider", ti, 0, t.decider, tie=t
                    )


#: how a typed club name becomes a club of the season (``copa.sources.names.season_club``):
#: the caller passes it in, so the documents do not depend on the name resolver
ClubLookup = Callable[[Season, str], str]


def _club(club: ClubLookup, season: Season, name: str) -> str:
    try:
        return club(season, name)
    except UnknownName as e:
        raise EntryError(str(e)) from None


def split_match(text: str) -> tuple[str, str, str, Details]:
    """``"Home 2-1 Away"`` (or ``"Home v Away: not played"``) as home, away, result, details."""
    try:
        body, details = split_details(" ".join(text.strip().split()))
    except DetailsError as e:
        raise EntryError(f"{text!r}: {e}") from None
    m = _MATCH.match(body)
    if m is not None:
        return m.group("home"), m.group("away"), m.group("result"), details
    f = re.match(r"^(?P<home>.+?)\s+v\s+(?P<away>.+?)(?:\s*:\s*(?P<status>.+))?$", body)
    if f is not None:
        return f.group("home"), f.group("away"), f.group("status") or "scheduled", details
    if re.search(r"(^|\s|[-–—])-\d", body):
        raise EntryError(f"{text!r}: goals cannot be negative")
    raise EntryError(
        f"{text!r} is not a result (write it like 'Home 2-1 Away', 'Home 1-1 aet 2-1 Away', "
        "'Home 0-0 (4-3 p) Away', 'Home w/o 3-0 Away' or 'Home v Away: not played')"
    )


def find_slot(
    season: Season, home: str, away: str, stage: str | None = None, *, scheduled_first: bool = True
) -> Slot:
    """The fixture ``home`` v ``away`` (as played: home hosts), preferring a scheduled one."""
    found = [s for s in slots(season, (home, away)) if (s.match.home, s.match.away) == (home, away)]
    if stage is not None:
        found = [s for s in found if s.stage == stage]
    if not found:
        where = f" in {stage}" if stage else ""
        reverse = [
            s for s in slots(season, (home, away)) if (s.match.home, s.match.away) == (away, home)
        ]
        hint = (
            f" ({away} v {home} is a fixture: {reverse[0].where()}; the home club is named first)"
            if reverse
            else ""
        )
        raise EntryError(f"no fixture {home} v {away}{where} in {season.name}{hint}")
    if scheduled_first:
        open_ = [s for s in found if s.match.status is MatchStatus.SCHEDULED]
        if len(open_) == 1:
            return open_[0]
        if len(open_) > 1:
            found = open_
    if len(found) > 1:
        stages = ", ".join(sorted({s.stage for s in found}))
        raise EntryError(
            f"{home} v {away} is a fixture in more than one place ({stages}): name one with --stage"
        )
    return found[0]


def result_text(m: Match) -> str:
    """A match's result and details as stored in the history ("2-1 | matchday 3")."""
    text = format_result(match_result(m))
    if m.status is MatchStatus.NOT_PLAYED:
        text = "not played"
    return text + match_details(m)


def parse_value(text: str, *, leg: bool = False) -> tuple[Result, Details]:
    try:
        body, details = split_details(text)
        return parse_result(body, leg=leg), details
    except (ScoreError, DetailsError) as e:
        raise EntryError(str(e)) from None


def merged(old: Details, new: Details, *, keep_simulated: bool = False) -> Details:
    """The fixture's details with what the new result gives; a typed result is not simulated."""
    return Details(
        new.matchday if new.matchday is not None else old.matchday,
        new.date if new.date is not None else old.date,
        new.kickoff if new.kickoff is not None else old.kickoff,
        new.venue if new.venue is not None else old.venue,
        new.simulated or (keep_simulated and old.simulated),
    )


def _one_of(m: Match, name: str | None, what: str) -> str | None:
    """``name`` (a recorded winner, who shot first) as one of the match's two clubs."""
    from copa.spec.fold import fold

    if name is None:
        return None
    for club in (m.home, m.away):
        if fold(club) == fold(name):
            return club
    raise EntryError(f"{what} {name!r} is neither {m.home} nor {m.away}")


def with_result(m: Match, r: Result, d: Details) -> Match:
    winner = _one_of(m, r.winner, "the winner")
    first = _one_of(m, r.first, "the first shooter")
    try:
        return match_of(
            m.home, m.away, r, d, neutral=m.neutral, note=m.note, winner=winner, first=first
        )
    except ValueError as e:
        raise EntryError(str(e)) from None


# ---------------------------------------------------------------- checking


def check_change(
    slot: Slot, new: Match, reason: str | None, *, correction_ok: bool = False
) -> None:
    """Raise :class:`EntryError` when the new result breaks the rules or needs a reason."""
    old = slot.match
    if old.status is not MatchStatus.SCHEDULED and not correction_ok and not reason:
        completes = (
            old.score == new.score
            and old.status is new.status
            and (old.extra_time is None or old.extra_time == new.extra_time)
            and old.penalties is None
            and (new.extra_time, new.penalties) != (old.extra_time, old.penalties)
        )
        if not completes:
            raise EntryError(
                f"{old.home} v {old.away} ({slot.where()}) is already played: "
                f"{result_text(old) or old.status.value}; a correction needs --reason"
            )
    if slot.kind == "match" and (new.extra_time is not None or new.penalties is not None):
        raise EntryError(
            f"{new.home} v {new.away} is a group match ({slot.where()}): "
            "its rules have no extra time or penalties"
        )
    if slot.kind == "leg" and slot.tie is not None:
        tie = slot.tie
        last = slot.index == len(tie.legs) - 1
        if not last and (new.extra_time is not None or new.penalties is not None):
            raise EntryError(
                f"{new.home} v {new.away} is leg {slot.index + 1} of {len(tie.legs)} "
                f"({slot.where()}): extra time and penalties only come after the last leg"
            )
        if new.status in COUNTING:
            earlier = [m for m in tie.legs[: slot.index] if m.status is MatchStatus.SCHEDULED]
            if earlier:
                e = earlier[0]
                raise EntryError(
                    f"{new.home} v {new.away} is leg {slot.index + 1} ({slot.where()}), "
                    f"but the first leg {e.home} v {e.away} is not played yet"
                )
        else:
            later = [m for m in tie.legs[slot.index + 1 :] if m.status in COUNTING]
            if later:
                raise EntryError(
                    f"{new.home} v {new.away} ({slot.where()}): a later leg is already played"
                )
    check_container(slot, new)


def check_container(slot: Slot, new: Match) -> None:
    """The group or tie with the new result must still be valid (the loader's own checks)."""
    from copa.core.resolve import SINGLE_MATCH

    if slot.tie is not None:
        tie = slot.tie
        if slot.kind == "leg":
            legs = list(tie.legs)
            legs[slot.index] = new
            tie = replace(tie, legs=tuple(legs))
        else:
            tie = replace(tie, decider=new)
        for i in resolve_tie(tie).issues:
            if i.severity is Severity.ERROR:
                raise EntryError(f"{new.home} v {new.away} ({slot.where()}): {i.message}")
    elif slot.kind == "decider":
        for i in resolve_tie(Tie((new.home, new.away), (new,), SINGLE_MATCH)).issues:
            if i.severity is Severity.ERROR:
                raise EntryError(f"{new.home} v {new.away} ({slot.where()}): {i.message}")


# ---------------------------------------------------------------- the text


@dataclass(frozen=True)
class Change:
    slot: Slot
    new: Match
    reason: str
    reverts: int | None = None

    def move(self) -> Move:
        s = self.slot
        return Move(s.si, s.ri, s.kind, s.ci, s.index, s.added, self.new)


@dataclass(frozen=True)
class Move:
    """A change as the season sees it: which fixture (by position) now holds which match."""

    si: int
    ri: int
    kind: str  # "match" | "decider" | "leg" | "tie_decider"
    ci: int
    index: int
    added: bool
    new: Match


def applied(season: Season, moves: Sequence[Move]) -> Season:
    """``season`` with each move made: what reading the edited file gives, without
    reading it (tests/test_season_store.py checks the two agree)."""
    for mv in moves:
        stages = list(season.stages)
        st = stages[mv.si]
        rounds = list(st.rounds)
        rnd = rounds[mv.ri]
        if mv.kind in ("match", "decider"):
            groups = list(rnd.groups)
            g = groups[mv.ci]
            items = list(g.matches if mv.kind == "match" else g.deciders)
            if mv.added:
                items.append(mv.new)
            else:
                items[mv.index] = mv.new
            if mv.kind == "match":
                groups[mv.ci] = replace(g, matches=tuple(items))
            else:
                groups[mv.ci] = replace(g, deciders=tuple(items))
            rounds[mv.ri] = replace(rnd, groups=tuple(groups))
        else:
            ties = list(rnd.ties)
            t = ties[mv.ci]
            if mv.kind == "leg":
                legs = list(t.legs)
                legs[mv.index] = mv.new
                ties[mv.ci] = replace(t, legs=tuple(legs))
            else:
                ties[mv.ci] = replace(t, decider=mv.new)
            rounds[mv.ri] = replace(rnd, ties=tuple(ties))
        stages[mv.si] = replace(st, rounds=tuple(rounds))
        season = replace(season, stages=tuple(stages))
    return season


def top_key(text: str, pattern: str) -> re.Match[str] | None:
    """The first line that ``pattern`` (a regex for a whole line, from its start) matches
    at the start of a line. Searched for as a newline then the pattern, which the regex
    engine scans for in C: ``^`` with ``re.M`` tries every character of a 20 MB file."""
    line = re.compile(pattern, re.M)
    at = line.match(text)
    if at is not None:
        return at
    m = re.compile(rf"\n(?={pattern})", re.M).search(text)
    return None if m is None else line.match(text, m.end())


def _stage_spans(text: str) -> list[tuple[int, int]] | None:
    """(start, end) offsets of each item of the top-level block ``stages:`` list, or None."""
    m = top_key(text, r"stages:[ \t]*(?:#.*)?$")
    if m is None:
        return None
    first = re.compile(r"^([ \t]*)(?![ \t]*(?:#|$))(\S?)", re.M).search(text, m.end() + 1)
    if first is None:
        return []
    indent = first.group(1)
    if not text.startswith("- ", first.start(2)) or "\t" in indent:
        return None
    start = first.start()
    spans: list[tuple[int, int]] = []
    # only lines no deeper than an item's dash: the regex skips the rest in C
    shallow = re.compile(rf"\n( {{0,{len(indent)}}})(?=[^ \n#])")
    for line in shallow.finditer(text, first.end() - 1):
        offset = line.start() + 1
        if line.group(1) == indent and text.startswith("- ", line.end()):
            spans.append((start, offset))
            start = offset
        else:
            spans.append((start, offset))
            return spans
    spans.append((start, len(text)))
    return spans


def _node_at(node: yaml.Node, path: Sequence[str | int]) -> yaml.Node:
    for p in path:
        if isinstance(p, int):
            if not isinstance(node, yaml.SequenceNode) or p >= len(node.value):
                raise KeyError(p)
            node = node.value[p]
        else:
            if not isinstance(node, yaml.MappingNode):
                raise KeyError(p)
            for k, v in node.value:
                if k.value == p:
                    node = v
                    break
            else:
                raise KeyError(p)
    return node


def _match_entry(m: Match, old_node: yaml.Node | None) -> str:
    """The text of a group match or deciding match entry in a list."""
    from copa.spec.season_writer import match_mapping, q

    score = "scheduled" if m.status is MatchStatus.SCHEDULED else result_text(m).split(" | ")[0]
    line = _line_text(m)
    mapping = isinstance(old_node, yaml.MappingNode) or m.neutral or line is None
    if not mapping and line is not None:
        return q(line)
    return match_mapping(m, score)


def _line_text(m: Match) -> str | None:
    """``Home 2-1 Away | details`` (None when it would not read back: names with a '|')."""
    if "|" in m.home + m.away or not writable_venue(m.venue) or m.neutral:
        return None
    if m.status is MatchStatus.SCHEDULED:
        body = f"{m.home} v {m.away}"
    elif m.status is MatchStatus.NOT_PLAYED:
        body = f"{m.home} v {m.away}: not played"
    elif m.score is None:  # aet 2-3, ? (4-3 p), played, winner A
        body = f"{m.home} v {m.away}: {result_text(m).split(' | ')[0]}"
    else:
        body = f"{m.home} {result_text(m).split(' | ')[0]} {m.away}"
    return body + match_details(m)


def _leg_entry(slot: Slot, m: Match) -> str:
    """A tie's leg or deciding match, written from the tie's first club's side."""
    from copa.spec.season_writer import q

    assert slot.tie is not None
    if not writable_venue(m.venue):
        raise EntryError(f"venue {m.venue!r} cannot be written on a tie's leg")
    flip = m.home != slot.tie.teams[0]
    r = match_result(m)
    text = format_result(r.reversed() if flip else r)
    if m.status is MatchStatus.NOT_PLAYED:
        text = "not played"
    return q(text + match_details(m))


def _text_edits(text: str, changes: Sequence[Change]) -> list[tuple[int, int, str]]:
    """The ``(start, end, new text)`` span of each change's entry in ``text``."""
    spans = _stage_spans(text)
    edits: list[tuple[int, int, str]] = []
    roots: dict[int, tuple[int, yaml.Node]] = {}
    for ch in changes:
        s = ch.slot
        if spans is None or s.si >= len(spans):
            raise EntryError("cannot find the stages in this file's layout to edit it")
        if s.si not in roots:
            a, b = spans[s.si]
            try:
                node = yamlkit.compose(text[a:b])
            except yamlkit.YamlError:
                raise EntryError("cannot read the stage back from this file's layout") from None
            if not isinstance(node, yaml.SequenceNode) or len(node.value) != 1:
                raise EntryError("cannot read the stage back from this file's layout")
            roots[s.si] = (a, node.value[0])
        base, stage_node = roots[s.si]
        path = s.yaml_path()
        try:
            if s.added:
                edits.append(_insert_edit(text, base, stage_node, s, ch.new))
            elif s.kind in ("match", "decider"):
                container = _node_at(stage_node, path[:-1])
                edits.append(_list_edit(text, base, container, s.index, ch.new))
            else:
                node = _node_at(stage_node, path)
                start, end = base + node.start_mark.index, base + node.end_mark.index
                edits.append((start, end, _leg_entry(s, ch.new)))
        except KeyError:
            raise EntryError(f"cannot find {s.where()} in the file to edit it") from None
    return edits


def edit_text(text: str, changes: Sequence[Change]) -> str:
    """``text`` with each change's entry rewritten in place (nothing else touched)."""
    return _apply(text, _text_edits(text, changes))


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """``text`` with each ``(start, end, new)`` span replaced, in one join: a 20 MB
    text copied once, not once per change (the machine copies about 250 MB/s)."""
    edits = sorted(edits, key=lambda e: e[0])
    for earlier, later in zip(edits, edits[1:], strict=False):
        if earlier[1] > later[0]:
            raise EntryError("two changes to the same match")
    pieces: list[str] = []
    at = 0
    for a, b, new in edits:
        pieces += (text[at:a], new)
        at = b
    pieces.append(text[at:])
    return "".join(pieces)


def _list_edit(
    text: str, base: int, container: yaml.Node, index: int, new: Match
) -> tuple[int, int, str]:
    if isinstance(container, yaml.ScalarNode):  # a block of lines, one match each
        line = _line_text(new)
        if line is None:
            raise EntryError(f"{new}: cannot be written as a line of the group's block")
        lines = container.value.split("\n")
        nonblank = [k for k, v in enumerate(lines) if v.strip()]
        k = nonblank[index]
        pos = base + container.start_mark.index
        pos = text.index("\n", pos) + 1  # the block starts on the line after its "|"
        for _ in range(k):
            pos = text.index("\n", pos) + 1
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        current = text[pos:end]
        if current.strip() != lines[k].strip():
            raise EntryError("cannot find the match's line in the file to edit it")
        lead = len(current) - len(current.lstrip())
        return pos + lead, pos + len(current.rstrip()), line
    if not isinstance(container, yaml.SequenceNode):
        raise KeyError(index)
    node = container.value[index]
    start = base + node.start_mark.index
    if isinstance(node, yaml.MappingNode) and not node.flow_style:
        end = base + node.value[-1][1].end_mark.index
    else:
        end = base + node.end_mark.index
    return start, end, _match_entry(new, node)


def append_history(text: str, entries: Sequence[HistoryModel]) -> str:
    """``text`` with ``entries`` added at the end of its ``history:`` list (made if missing)."""
    return _apply(text, [_history_edit(text, entries)])


def _history_edit(text: str, entries: Sequence[HistoryModel]) -> tuple[int, int, str]:
    """The span of ``text`` to replace to add ``entries`` to its ``history:`` list."""
    lines = "".join(history_line(e) + "\n" for e in entries)
    m = top_key(text, r"history:[ \t]*(?P<rest>.*)$")
    if m is None:
        sep = "" if text.endswith("\n") else "\n"
        return len(text), len(text), f"{sep}history:\n{lines}"
    rest = m.group("rest").strip()
    if rest in ("[]", ""):
        # the list runs to the next top-level key (or the end)
        nxt = re.compile(r"\n[^\s#]").search(text, m.end())
        at = nxt.start() + 1 if nxt else len(text)
        body = text[m.end() + 1 : at] if rest == "" else ""
        if body and not body.endswith("\n"):
            body += "\n"
        return m.start(), at, "history:\n" + body + lines
    raise EntryError("the file's history: is not a list copa can append to (write it as a block)")


# ---------------------------------------------------------------- applying


def now() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")


def entries_for(
    loaded: Loaded, changes: Sequence[Change], by: str, source: str = ""
) -> list[HistoryModel]:
    next_id = max((e.id for e in loaded.history), default=0) + 1
    out = []
    at = now()
    for k, ch in enumerate(changes):
        s = ch.slot
        out.append(
            HistoryModel(
                id=next_id + k,
                at=at,
                by=by,
                stage=s.stage,
                round=s.round,
                fixture=s.fixture,
                match=f"{s.match.home} v {s.match.away}",
                leg=s.leg,
                old=result_text(s.match),
                new=result_text(ch.new),
                reason=ch.reason,
                reverts=ch.reverts,
                source=source,
                decider=s.kind in ("decider", "tie_decider"),
            )
        )
    return out


def edited(loaded: Loaded, changes: Sequence[Change], history: Sequence[HistoryModel]) -> str:
    """The file's new text: every change made in place, these history entries
    (:func:`entries_for`) appended."""
    edits = _text_edits(loaded.text, changes)
    text = _apply(loaded.text, [*edits, _history_edit(loaded.text, history)])
    _read_back(text, loaded, changes)
    return text


def _read_back(text: str, loaded: Loaded, changes: Sequence[Change]) -> None:
    """Each changed entry (and the history) read back from the new text as intended."""
    from copa.spec.season_file import entries

    spans = _stage_spans(text)
    if spans is None:
        raise EntryError("the edited file does not read back")
    for ch in changes:
        s = ch.slot
        a, b = spans[s.si]
        try:
            rnd = yamlkit.load(text[a:b])[0]["rounds"][s.ri]
            if s.kind in ("match", "decider"):
                items = rnd["groups"][s.ci]["matches" if s.kind == "match" else "deciders"]
                written = _read_entry([e for e, _ in entries(items, ())][s.index])
                same = (written.home, written.away) == (ch.new.home, ch.new.away)
                ok = same and result_text(written) == result_text(ch.new)
            else:
                tie = rnd["ties"][s.ci]
                raw = tie["legs"][s.index] if s.kind == "leg" else tie["decider"]
                r, d = parse_value(raw, leg=True)
                if ch.new.home != s.tie.teams[0] if s.tie else False:
                    r = r.reversed()
                ok = result_text(with_result(ch.new, r, d)) == result_text(ch.new)
        except (yamlkit.YamlError, KeyError, IndexError, TypeError, ValueError):
            ok = False
        if not ok:
            raise EntryError(f"{ch.new}: the edited file does not read back the same")
    m = top_key(text, r"history:")
    try:
        data = yamlkit.load(text[m.start() :]) if m else None
    except yamlkit.YamlError:
        data = None
    want = len(loaded.history) + len(changes)
    if not isinstance(data, dict) or len(data.get("history") or []) < want:
        raise EntryError("the history does not read back")


def _read_entry(entry: Any) -> Match:
    from copa.spec.scores import parse_match_line

    if isinstance(entry, str):
        body, d = split_details(entry)
        home, away, r = parse_match_line(body)
    else:
        d = Details(
            entry.get("matchday"),
            entry.get("date"),
            entry.get("kickoff"),
            entry.get("venue"),
            bool(entry.get("simulated", False)),
        )
        home, away, r = entry["home"], entry["away"], parse_result(entry.get("score", "scheduled"))
    return match_of(home, away, r, d, winner=r.winner, first=r.first)


def resolve_new(
    loaded: Loaded,
    line: str,
    stage: str | None,
    reason: str | None,
    *,
    club: ClubLookup,
    decider: bool = False,
) -> Change:
    """The change ``copa result`` asks for, checked.

    A pair with no fixture still to play whose deciding match the rules now
    ask for (a complete group's clubs level at its line, a tie whose legs
    left it level) gets that deciding match added; ``decider`` insists on it.
    """
    home_t, away_t, res_t, details = split_match(line)
    season = loaded.season
    home, away = _club(club, season, home_t), _club(club, season, away_t)
    if home == away:
        raise EntryError(f"{home} cannot play itself")
    slot = _decider_or_fixture(season, home, away, stage, reason, decider)
    last_leg = slot.kind == "leg" and slot.tie is not None and slot.index == len(slot.tie.legs) - 1
    two_legged = slot.tie is not None and len(slot.tie.legs) > 1
    try:
        r = parse_result(res_t, leg=last_leg and two_legged)
    except ScoreError as e:
        raise EntryError(str(e)) from None
    if home != slot.match.home:  # a deciding match on neutral ground, typed the other way
        if not slot.match.neutral:
            raise EntryError(
                f"{slot.match.home} v {slot.match.away} is the fixture ({slot.where()}): "
                "the home club is named first"
            )
        r = r.reversed()
    new = with_result(slot.match, r, merged(details_of(slot.match), details))
    check_change(slot, new, reason)
    return Change(slot, new, reason or "")


def _decider_or_fixture(
    season: Season, home: str, away: str, stage: str | None, reason: str | None, decider: bool
) -> Slot:
    """The fixture a typed result is for: a scheduled one, else a deciding match now due."""
    pair = {home, away}
    every = [s for s in slots(season, pair) if stage is None or s.stage == stage]
    scheduled = [
        s
        for s in every
        if (s.match.home, s.match.away) == (home, away) and s.match.status is MatchStatus.SCHEDULED
    ]
    held = [
        s
        for s in every
        if s.kind in ("decider", "tie_decider") and {s.match.home, s.match.away} == pair
    ]
    open_ = [h for h in held if h.match.status is MatchStatus.SCHEDULED]
    if held and (decider or open_ or not (scheduled or reason)):
        # the deciding match already in the file: to play, to complete (a shoot-out), or
        # (--decider --reason) to correct
        return (open_ or held)[0]
    if scheduled or (reason and not decider):
        others = [
            s
            for s in every
            if (s.match.home, s.match.away) == (home, away)
            and s.kind not in ("decider", "tie_decider")
        ]
        if held and len(others) == 1 and not scheduled:
            return others[0]  # a correction of the match itself (--decider for the other)
        return find_slot(season, home, away, stage)
    due, why = decider_due(season, home, away, stage)
    if due is not None:
        return due
    if decider:
        raise EntryError(f"no deciding match is due between {home} and {away}: {why}")
    try:
        return find_slot(season, home, away, stage)
    except EntryError as e:
        if why and "no fixture" in str(e):
            raise EntryError(f"{e}; nor is a deciding match due: {why}") from None
        raise


def decider_due(
    season: Season, home: str, away: str, stage: str | None = None
) -> tuple[Slot | None, str]:
    """The deciding match between two clubs the rules now ask for, as a new slot, or why not."""
    from copa.core.resolve import deciders_needed, resolve

    result = resolve(season)
    pair = {home, away}
    for need in deciders_needed(result):
        if not pair <= set(need.clubs) or (stage is not None and need.stage != stage):
            continue
        si = next(i for i, st in enumerate(season.stages) if st.name == need.stage)
        st = season.stages[si]
        ri = next(i for i, r in enumerate(st.rounds) if r.name == need.round)
        rnd = st.rounds[ri]
        if need.group is not None:
            g = rnd.groups[need.group]
            m = Match(home, away, status=MatchStatus.SCHEDULED)
            return (
                Slot(
                    si,
                    ri,
                    st.name,
                    rnd.name,
                    g.name,
                    "decider",
                    need.group,
                    len(g.deciders),
                    m,
                    group=g,
                    added=True,
                ),
                "",
            )
        assert need.tie is not None
        t = rnd.ties[need.tie]
        label = f"{t.teams[0]} v {t.teams[1]}"
        m = Match(t.teams[0], t.teams[1], status=MatchStatus.SCHEDULED, neutral=True)
        return (
            Slot(
                si, ri, st.name, rnd.name, label, "tie_decider", need.tie, 0, m, tie=t, added=True
            ),
            "",
        )
    # why not: the group or tie the two clubs share
    for sr in result.stages:
        if stage is not None and sr.stage.name != stage:
            continue
        for rr in sr.rounds:
            for tr in rr.ties:
                if set(tr.tie.teams) == pair:
                    where = (
                        f"{sr.stage.name} · {rr.round.name} · {tr.tie.teams[0]} v {tr.tie.teams[1]}"
                    )
                    if not tr.complete:
                        return None, f"{where} has legs still to play"
                    if tr.winner is not None:
                        return None, f"{where} is decided ({tr.explanation()})"
                    return None, f"{where}: {tr.explanation()}"
            for gr in rr.groups:
                if pair <= set(gr.group.clubs):
                    where = f"{sr.stage.name} · {rr.round.name} · {gr.group.name}"
                    if not gr.complete:
                        return None, (
                            f"{where} has {len(gr.remaining)} fixture(s) still to play "
                            "(a deciding match is asked for only once every fixture is played)"
                        )
                    return None, (
                        f"in {where} they are not level at a qualification line "
                        "where the rules ask for a deciding match"
                    )
    return None, ""


def _value(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        raise KeyError(key)
    for k, v in mapping.value:
        if k.value == key:
            node: yaml.Node = v
            return node
    return None


def _content_end(text: str, start: int, end: int) -> int:
    """The end of the line where a node's last non-blank character is."""
    e = end
    while e > start and text[e - 1] in " \t\r\n":
        e -= 1
    nl = text.find("\n", e)
    return len(text) if nl < 0 else nl


def _insert_edit(
    text: str, base: int, stage_node: yaml.Node, s: Slot, new: Match
) -> tuple[int, int, str]:
    """A new deciding match: an item appended to the group's ``deciders`` (made if missing),
    or the tie's ``decider`` key."""
    from copa.spec.season_writer import q

    if s.kind == "decider":
        owner = _node_at(stage_node, ("rounds", s.ri, "groups", s.ci))
        key, line = "deciders", _line_text(new)
        entry = q(line) if line is not None else _match_entry(new, None)
    else:
        owner = _node_at(stage_node, ("rounds", s.ri, "ties", s.ci))
        key, line, entry = "decider", None, _leg_entry(s, new)
    if not isinstance(owner, yaml.MappingNode):
        raise KeyError(key)
    start, end = base + owner.start_mark.index, base + owner.end_mark.index
    existing = _value(owner, key)
    if existing is None:
        if owner.flow_style:
            close = end - 1
            if text[close] != "}":
                raise KeyError(key)
            value = f"[{entry}]" if key == "deciders" else entry
            return close, close, f", {key}: {value}"
        indent = " " * owner.start_mark.column
        at = _content_end(text, start, end)
        if key == "deciders":
            return at, at, f"\n{indent}{key}:\n{indent}  - {entry}"
        return at, at, f"\n{indent}{key}: {entry}"
    if key == "decider":
        raise EntryError(f"{s.where()} already has a deciding match")
    a, b = base + existing.start_mark.index, base + existing.end_mark.index
    if isinstance(existing, yaml.SequenceNode) and existing.flow_style:
        close = b - 1
        if text[close] != "]":
            raise KeyError(key)
        return close, close, (", " if existing.value else "") + entry
    if isinstance(existing, yaml.SequenceNode):
        at = _content_end(text, a, b)
        return at, at, f"\n{' ' * existing.start_mark.column}- {entry}"
    if isinstance(existing, yaml.ScalarNode) and existing.style in ("|", ">") and line is not None:
        lines = [v for v in text[a:b].split("\n")[1:] if v.strip()]
        if not lines:
            raise KeyError(key)
        lead = lines[0][: len(lines[0]) - len(lines[0].lstrip())]
        at = _content_end(text, a, b)
        return at, at, f"\n{lead}{line}"
    raise KeyError(key)


def unchanged(ch: Change) -> bool:
    return not ch.slot.added and result_text(ch.slot.match) == result_text(ch.new)


__all__ = [
    "NO_DETAILS",
    "Change",
    "ClubLookup",
    "EntryError",
    "Loaded",
    "Slot",
    "parse_loaded",
    "slots",
]


def plan_revert(loaded: Loaded, change: int, reason: str) -> Change:
    """The change that undoes history entry ``change`` (refused if the match moved on since)."""
    entry = next((e for e in loaded.history if e.id == change), None)
    if entry is None:
        ids = [e.id for e in loaded.history]
        known = f"ids {ids[0]} to {ids[-1]}" if ids else "the history is empty"
        raise EntryError(f"no change #{change} in {loaded.path} ({known}; see copa history)")
    if not reason or not reason.strip():
        raise EntryError("a revert needs --reason")
    home, _, away = entry.match.partition(" v ")
    found = [
        s
        for s in slots(loaded.season)
        if (s.stage, s.round, s.fixture, s.leg)
        == (entry.stage, entry.round, entry.fixture, entry.leg)
        and (s.match.home, s.match.away) == (home, away)
        and (s.kind in ("decider", "tie_decider")) == entry.decider
    ]
    if not found:
        raise EntryError(f"change #{change}: {entry.match} is no longer a fixture of the season")
    slot = found[0]
    now_value = result_text(slot.match)
    if now_value != entry.new:
        later = [e.id for e in loaded.history if e.id > change and e.match == entry.match]
        hint = f" by change #{later[-1]}; revert that first" if later else ""
        raise EntryError(
            f"{entry.match} is now {now_value}, not {entry.new} as change #{change} left it{hint}"
        )
    last = slot.kind == "leg" and slot.tie is not None and slot.index == len(slot.tie.legs) - 1
    r, d = parse_value(entry.old, leg=last)
    new = with_result(slot.match, r, d)
    check_change(slot, new, reason)
    return Change(slot, new, reason, reverts=change)


def plan_import(
    loaded: Loaded, rows: Sequence[Any], src: str, reason: str | None, *, club: ClubLookup
) -> list[Change]:
    """One change per CSV row whose result differs from the season's (each checked)."""
    from copa.spec.fold import fold

    season = loaded.season
    changes: list[Change] = []
    seen: dict[tuple[int, int, int, str, int], int] = {}
    ties: dict[tuple[int, int, int], Tie] = {}
    every = list(slots(season))
    for row in rows:
        try:
            home, away = _club(club, season, row.home), _club(club, season, row.away)
            found = [s for s in every if (s.match.home, s.match.away) == (home, away)]
            if row.stage:
                found = [s for s in found if fold(s.stage) == fold(row.stage)]
            if row.round and fold(row.round) != "tiebreaker":
                found = [s for s in found if fold(s.round) == fold(row.round)]
            if row.leg == "decider" or fold(row.round) == "tiebreaker":
                found = [s for s in found if s.kind in ("decider", "tie_decider")]
            else:
                found = [s for s in found if s.kind in ("match", "leg")]
            if row.leg.isdigit():
                found = [s for s in found if (s.leg or 1) == int(row.leg)]
            if not found:
                where = f" in {row.stage}" if row.stage else ""
                raise EntryError(f"no fixture {home} v {away}{where}")
            if len(found) > 1:
                raise EntryError(
                    f"{home} v {away} is a fixture more than once: give stage, round, leg"
                )
            slot = found[0]
            key = (slot.si, slot.ri, slot.ci, slot.kind, slot.index)
            if key in seen:
                raise EntryError(f"the same fixture as line {seen[key]}")
            seen[key] = row.line
            new = with_result(slot.match, row.result, merged(details_of(slot.match), row.details))
            if result_text(new) == result_text(slot.match):
                continue
            tkey = (slot.si, slot.ri, slot.ci)
            if slot.tie is not None and tkey in ties:
                slot = replace(slot, tie=ties[tkey])  # with the legs earlier rows entered
            check_change(slot, new, reason)
            if slot.tie is not None and slot.kind == "leg":
                legs = list(slot.tie.legs)
                legs[slot.index] = new
                ties[tkey] = replace(slot.tie, legs=tuple(legs))
            changes.append(Change(slot, new, reason or ""))
        except EntryError as e:
            raise EntryError(f"{src}:{row.line}: {e}") from None
    return changes
