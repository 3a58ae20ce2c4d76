"""Write a core :class:`~copa.core.season.Season` as season-file YAML: the one writer.

The text is what :mod:`copa.spec.season_file` reads, laid out like the bundled
``2011.yaml`` (one line per club, tie and match), so importers can hand the
user a file to read and edit. A pyramid season file (``copa new-season``,
``copa generate``) is the same file with its optional parts: the ``pyramid:``
block (seed and format), stages' units, earlier places and plans, rounds'
draws; it is written by the same stage, round, group, tie and match writers in
its own layout (:class:`_Style`). The contract is exact:
``parse_season(write_season(s)) == s``. A season the file format cannot
express (a match note, two legs hosted by the same club, a rule set shared
by nothing) raises :class:`SeasonWriteError` instead of being written wrong.

>>> from copa.core.club import Club
>>> from copa.core.match import Match, Score
>>> from copa.core.stage import Round, Stage
>>> from copa.core.tie import Tie
>>> from copa.core.season import Season
>>> tie = Tie(("A", "B"), (Match("A", "B", Score(1, 0)), Match("B", "A", Score(2, 2))))
>>> stage = Stage("S", "national", (Round("Final", ties=(tie,)),))
>>> s = Season("2011", "Cup", (Club("A"), Club("B")), (stage,))
>>> from copa.spec.season_file import parse_season
>>> parse_season(write_season(s)) == s
True
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import yaml

from copa.core.club import Club
from copa.core.group import Group
from copa.core.match import Match, MatchStatus
from copa.core.points import DEFAULT, PointsScheme
from copa.core.qualification import BEST_LOSERS_CHAIN, BEST_PLACED_CHAIN
from copa.core.rules import RuleSet
from copa.core.season import Season
from copa.core.stage import Advance, Designation, Round, Stage
from copa.core.tie import Tie
from copa.spec.fixture_notation import match_details, writable_venue
from copa.spec.history import HistoryModel, history_text
from copa.spec.scores import format_result, match_result, parse_match_line
from copa.spec.season_file import WikiModel

if TYPE_CHECKING:  # the pyramid package is not loaded for a plain season
    from copa.core.pyramid import Pyramid, PyramidFormat

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeasonWriteError(ValueError):
    """The season holds something a season file cannot express."""


# ---------------------------------------------------------------- scalars

# \Z, not $: $ also matches before a final newline, which a plain scalar would lose
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^,\[\]{}#:\n\r\t]*(?<=\S)\Z")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


#: names that are surely plain YAML (letters first; no sign, colon, comma or bracket)
_SURELY_PLAIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9 .'()-]*[A-Za-zÀ-ÖØ-öø-ÿ0-9.)]\Z")
_RESERVED = frozenset({"yes", "no", "true", "false", "null", "on", "off", "y", "n"})


@lru_cache(maxsize=8192)
def q(text: str) -> str:
    """``text`` as a YAML scalar that loads back as the same string, in block and flow
    context: plain where that is safe, else double-quoted (:func:`qq`). The one quoter
    of every document copa writes."""
    if _SURELY_PLAIN.match(text) and text.lower() not in _RESERVED and "  " not in text:
        return text  # the common case, without asking YAML
    if _PLAIN.match(text) and not _UNSAFE.search(text):
        try:
            if yaml.load(f"[{text}]", Loader=_Loader) == [text] and yaml.load(
                f"k: {text}", Loader=_Loader
            ) == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return qq(text)


def qq(text: str) -> str:
    """Always double-quoted, escaping what YAML would fold or refuse. A quoted scalar loads
    several times faster than a plain one (no implicit type resolution), which matters
    for a file with 200,000 matches."""
    return '"' + _ESCAPE.sub(_escaped, text) + '"'


_ESCAPE = re.compile('["\\\\]|' + _UNSAFE.pattern)


def _escaped(m: re.Match[str]) -> str:
    ch = m.group()
    return "\\" + ch if ch in '"\\' else f"\\u{ord(ch):04x}"


def _flow(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _season_name(name: str) -> str:
    if name.isascii() and name.isdigit() and str(int(name)) == name:
        return name  # read back as an int, which the season file turns into this text
    return q(name)


# ---------------------------------------------------------------- the two layouts


@dataclass(frozen=True)
class _Style:
    """How one kind of season file is laid out. A pyramid season file (``copa generate``,
    ``copa new-season``: up to 200,000 matches, read mostly by copa) double-quotes list
    items, club fields and matches, which load several times faster, and writes every
    round's legs and qualification in full; a plain one is laid out for people (blank
    lines between sections, defaults left out). Both layouts are kept byte for byte
    (tests/test_writer_golden.py)."""

    pyramid: bool
    #: the quoter of list items, club fields and matches (:func:`q` or :func:`qq`)
    item: Callable[[str], str]
    #: the quoter of a tie leg's score
    score: Callable[[str], str]
    club_keys: tuple[str, ...]

    def seq(self, items: Iterable[str]) -> str:
        return "[" + ", ".join(self.item(i) for i in items) + "]"


def _score(text: str) -> str:
    """Scores with spaces in quotes, as people write them in season files."""
    return qq(text) if " " in text or q(text) != text else text


_PLAIN_FILE = _Style(False, q, _score, ("department", "province", "district", "location"))
_PYRAMID_FILE = _Style(True, qq, q, ("district", "province", "department", "location"))

#: the comment a pyramid season file starts with
PYRAMID_HEADER = (
    "A Copa Perú pyramid season made by copa (docs/pyramid.md, docs/season-file.md).\n"
    "Tables, qualifiers and champions are computed from the results, never stored."
)


# ---------------------------------------------------------------- rules

#: a rule set as a round uses it: points, ranking chain (groups), tie chain and
#: away goals after extra time (ties)
_Key = tuple[PointsScheme, tuple[str, ...] | None, tuple[str, ...] | None, bool]


class _RuleSets:
    """A plain season's rule sets: one per distinct rules the rounds use, named from them."""

    def __init__(self) -> None:
        self.sets: dict[_Key, str] = {}

    def name(self, key: _Key) -> str:
        if key not in self.sets:
            _, ranking, tie, _ = key
            base = "groups" if ranking is not None else "_".join(tie or ()) or "rules"
            name, n = base, 2
            while name in self.sets.values():
                name, n = f"{base}_{n}", n + 1
            self.sets[key] = name
        return self.sets[key]

    def written(self) -> list[tuple[str, _Key]]:
        return [(name, key) for key, name in self.sets.items()]


def _key(rs: RuleSet) -> _Key:
    return (rs.scheme, rs.ranking, rs.tie, rs.away_goals_after_extra_time)


class _FormatRules:
    """A pyramid season's rule sets: the format's, under its names, then one
    ``rules_1``, ... for each other rules a round is played under (written in full)."""

    def __init__(self, fmt: PyramidFormat) -> None:
        self.format = [(name, _key(rs)) for name, rs in fmt.rules]
        self.extra: list[tuple[str, _Key]] = []
        self.known: dict[_Key, str] = {}
        for name, rs in fmt.rules:
            self.known.setdefault((rs.scheme, rs.ranking, None, False), name)
            self.known.setdefault((rs.scheme, None, rs.tie, rs.away_goals_after_extra_time), name)

    def name(self, key: _Key) -> str:
        if key not in self.known:
            scheme, ranking, tie, away = key
            rs = (
                RuleSet(scheme, ranking)
                if ranking is not None
                else RuleSet(scheme, tie=tie or (), away_goals_after_extra_time=away)
            )
            self.known[key] = f"rules_{len(self.extra) + 1}"
            self.extra.append((self.known[key], _key(rs)))
        return self.known[key]

    def written(self) -> list[tuple[str, _Key]]:
        return [*self.format, *self.extra]


def _rule_set(name: str, key: _Key, w: _Style) -> list[str]:
    scheme, ranking, tie, away_after_et = key
    out = [f"  {q(name)}:"]
    if scheme != DEFAULT or w.pyramid:
        out.append(f"    points: {{win: {scheme.win}, draw: {scheme.draw}, loss: {scheme.loss}}}")
    if ranking is not None:
        out.append(f"    ranking: {w.seq(ranking)}")
    if tie is not None:
        out.append(f"    tie: {w.seq(tie)}")
    if away_after_et:
        out.append("    away_goals_after_extra_time: true")
    return out


def _round_rules(rnd: Round, sets: _RuleSets | _FormatRules) -> str:
    key: _Key
    if rnd.groups:
        rules = {g.rules for g in rnd.groups}
        if len(rules) > 1:
            raise SeasonWriteError(f"round {rnd.name!r}: its groups have different rules")
        r = rules.pop()
        key = (r.scheme, tuple(r.chain), None, False)
    else:
        tie_rules = {t.rules for t in rnd.ties}
        if len(tie_rules) > 1:
            raise SeasonWriteError(f"round {rnd.name!r}: its ties have different rules")
        tr = tie_rules.pop()
        key = (tr.scheme, None, tuple(tr.chain), tr.away_goals_after_extra_time)
    if not (key[1] or key[2]):
        raise SeasonWriteError("an empty ranking or tie chain cannot be written")
    return sets.name(key)


def _round_legs(rnd: Round) -> int:
    if rnd.groups:
        legs = {g.legs for g in rnd.groups}
    else:
        legs = {len(t.legs) for t in rnd.ties if t.walkover is None or t.legs}
    if len(legs) > 1:
        raise SeasonWriteError(f"round {rnd.name!r}: mixes {sorted(legs)} legs")
    n = legs.pop() if legs else 2
    if n not in (1, 2):
        raise SeasonWriteError(f"round {rnd.name!r}: {n} legs (a season file has 1 or 2)")
    return n


# ---------------------------------------------------------------- results


def _result(m: Match, *, reverse: bool = False) -> str:
    if m.note:
        raise SeasonWriteError(f"{m}: a season file cannot keep a match note")
    r = match_result(m)
    return format_result(r.reversed() if reverse else r)


def _reads_back(m: Match, line: str) -> bool:
    """Whether ``line`` reads back as this match (a club name can look like part of a
    score) and fits on one line, where the plain notation can hold the match at all."""
    if m.neutral or not writable_venue(m.venue) or "|" in m.home + m.away or "\n" in line:
        return False
    try:
        return parse_match_line(line) == (m.home, m.away, match_result(m))
    except ValueError:
        return False


def _line(m: Match) -> str | None:
    """The match as one plain line of a block, when it reads back as the same match."""
    if m.score is None and m.counts:  # aet 2-3, ? (4-3 p), played, winner A
        line = f"{m.home} v {m.away}: {_result(m)}"
    elif m.score is None:
        line = f"{m.home} v {m.away}" + (": not played" if m.status.value == "not_played" else "")
    else:
        line = f"{m.home} {_result(m)} {m.away}"
    return line + match_details(m) if _reads_back(m, line) else None


def _match(m: Match, w: _Style) -> str:
    """A match as an item of a list: its line, quoted, or else its mapping."""
    score = _result(m)
    if m.score is not None:
        line = f"{m.home} {score} {m.away}"
    elif w.pyramid and m.status is MatchStatus.SCHEDULED:
        line = f"{m.home} v {m.away}"  # a fixture to come, as in a block
    else:
        line = f"{m.home} v {m.away}: {score}"
    if _reads_back(m, line):
        return w.item(line + match_details(m))
    return match_mapping(m, score, w.item)


def match_mapping(m: Match, score: str, quote: Callable[[str], str] = q) -> str:
    """A match as a flow mapping (``{home: A, away: B, score: 1-0, ...}``): the form of a
    match no plain line can hold (neutral ground, a venue with a ``|``); ``quote``
    quotes the fixture details' text."""
    pairs = [("home", q(m.home)), ("away", q(m.away)), ("score", q(score))]
    if m.neutral:
        pairs.append(("neutral", "true"))
    if m.matchday is not None:
        pairs.append(("matchday", str(m.matchday)))
    for key in ("date", "kickoff", "venue"):
        value = getattr(m, key)
        if value is not None:
            pairs.append((key, quote(value)))
    if m.simulated:
        pairs.append(("simulated", "true"))
    return _flow(pairs)


def _leg(m: Match, w: _Style, *, reverse: bool = False) -> str:
    """A tie's leg or deciding match: its score and fixture details, from the first club's side."""
    if not writable_venue(m.venue):
        raise SeasonWriteError(f"{m}: venue {m.venue!r} cannot be written on a tie's leg")
    return w.score(_result(m, reverse=reverse) + match_details(m))


def _decider(t: Tie, w: _Style) -> list[tuple[str, str]]:
    a, b = t.teams
    d = t.decider
    if d is None:
        return []
    if d.neutral and (d.home, d.away) == (a, b):
        return [("decider", _leg(d, w))]
    if not d.neutral and {d.home, d.away} == {a, b}:
        return [("decider", _leg(d, w, reverse=d.home == b)), ("decider_host", q(d.home))]
    raise SeasonWriteError(
        f"tie {a} v {b}: a deciding match is {a} v {b} on neutral ground, "
        "or at one club's ground (decider_host)"
    )


def _tie(t: Tie, w: _Style, structured: bool = False) -> str:
    a, b = t.teams
    legs = []
    neutral = {leg.neutral for leg in t.legs}
    if len(neutral) > 1:
        raise SeasonWriteError(f"tie {a} v {b}: some legs are neutral, some not")
    for i, leg in enumerate(t.legs):
        host = a if i % 2 == 0 else b
        if leg.home != host:
            raise SeasonWriteError(f"tie {a} v {b}: leg {i + 1} should be hosted by {host}")
        legs.append(_leg(leg, w, reverse=i % 2 == 1))
    pairs = [("teams", w.seq(t.teams)), ("legs", "[" + ", ".join(legs) + "]"), *_decider(t, w)]
    for key, value in (
        ("winner", t.claimed_winner),
        ("decided_by", t.claimed_decided_by),
        ("lots", t.lots),
        ("walkover", t.walkover),
    ):
        if value is not None:
            pairs.append((key, q(value)))
    if t.slots is not None and not structured:  # a structure's slot map gives them
        pairs.append(("slots", w.seq(t.slots)))
    if t.positions != (None, None):
        pairs.append(("positions", "[" + ", ".join(_opt_int(p) for p in t.positions) + "]"))
    if True in neutral:
        pairs.append(("neutral", "true"))
    if t.label:
        pairs.append(("note", q(t.label)))
    return _flow(pairs)


def _opt_int(p: int | None) -> str:
    return "null" if p is None else str(p)


def _group(g: Group, ind: str, w: _Style) -> list[str]:
    out = [f"{ind}- name: {q(g.name)}", f"{ind}  clubs: {w.seq(g.clubs)}"]
    if g.matches or w.pyramid:
        lines = [_line(m) for m in g.matches]
        if all(line is not None for line in lines):
            # one YAML node for the whole group: big seasons load several times faster
            out.append(f"{ind}  matches: |")
            out += [f"{ind}    {line}" for line in lines]
        else:
            out.append(f"{ind}  matches:")
            out += [f"{ind}    - {_match(m, w)}" for m in g.matches]
    if g.deciders:
        out.append(f"{ind}  deciders:")
        out += [f"{ind}    - {_match(m, w)}" for m in g.deciders]
    if g.lots:
        out.append(f"{ind}  lots: {w.seq(g.lots)}")
    if g.adjustments:
        out.append(f"{ind}  adjustments:")
        for a in g.adjustments:
            pairs = [("club", q(a.club)), ("points", str(a.points))]
            if a.reason:
                pairs.append(("reason", q(a.reason)))
            out.append(f"{ind}    - {_flow(pairs)}")
    out += _given(g.fair_play, g.coefficients, g.seeding, f"{ind}  ", w)
    if g.pairings:
        out.append(f"{ind}  pairings: [{', '.join(w.seq(p) for p in g.pairings)}]")
    return out


def _given(
    fair_play: tuple[tuple[str, int], ...],
    coefficients: tuple[tuple[str, float], ...],
    seeding: tuple[str, ...],
    ind: str,
    w: _Style,
) -> list[str]:
    """A group's or a round's figures for the data criteria."""
    out = []
    if fair_play:
        out.append(f"{ind}fair_play: {_flow([(q(c), str(v)) for c, v in fair_play])}")
    if coefficients:
        out.append(f"{ind}coefficients: {_flow([(q(c), repr(v)) for c, v in coefficients])}")
    if seeding:
        out.append(f"{ind}seeding: {w.seq(seeding)}")
    return out


def _designation(d: Designation, w: _Style) -> list[tuple[str, str]]:
    if d.by not in ("lots", "organizer", "ruling"):
        raise SeasonWriteError(
            f"a designation by {d.by!r} (a season file knows lots, organizer, ruling)"
        )
    pairs = [("order", w.seq(d.order)), ("by", d.by)]
    if d.reason:
        pairs.append(("reason", q(d.reason)))
    return pairs


def _best(a: Advance, w: _Style) -> str:
    best = []
    for b in a.best:
        bp = [("place", str(b.place)), ("count", str(b.count))]
        if b.chain != BEST_PLACED_CHAIN or w.pyramid:
            bp.append(("ranking", w.seq(b.chain)))
        if not b.fair or w.pyramid:
            bp.append(("fair", "true" if b.fair else "false"))
        best.append(_flow(bp))
    return "[" + ", ".join(best) + "]"


def _advance(a: Advance, w: _Style) -> str:
    pairs: list[tuple[str, str]] = []
    if a.top:
        pairs.append(("top", str(a.top)))
    if a.best:
        pairs.append(("best", _best(a, w)))
    if a.winners:
        pairs.append(("winners", "true"))
    if a.best_losers:
        pairs.append(("best_losers", str(a.best_losers)))
    if a.best_losers if w.pyramid else a.best_losers_chain != BEST_LOSERS_CHAIN:
        pairs.append(("best_losers_ranking", w.seq(a.best_losers_chain)))
    if a.designated:
        designated = [_flow(_designation(d, w)) for d in a.designated]
        pairs.append(("designated", "[" + ", ".join(designated) + "]"))
    if a.lots:
        pairs.append(("lots", w.seq(a.lots)))
    if a.ranked:
        pairs.append(("ranked", "true"))
    return _flow(pairs)


def _round(
    rnd: Round, sets: _RuleSets | _FormatRules, w: _Style, structured: bool = False
) -> list[str]:
    ind = "      "
    if rnd.groups and rnd.ties:
        raise SeasonWriteError(f"round {rnd.name!r} has groups and ties (a season file has one)")
    if not rnd.groups and not rnd.ties:
        raise SeasonWriteError(f"round {rnd.name!r} has neither groups nor ties")
    out = [f"{ind}- name: {q(rnd.name)}"]
    if structured:  # the structure gives the rules, legs and who goes on; lots drawn are ours
        drawn = Advance(designated=rnd.advance.designated, lots=rnd.advance.lots)
        if drawn != Advance():
            out.append(f"{ind}  advance: {_advance(drawn, w)}")
    else:
        out.append(f"{ind}  rules: {q(_round_rules(rnd, sets))}")
        legs = _round_legs(rnd)
        if legs != 2 or w.pyramid:
            out.append(f"{ind}  legs: {legs}")
        if rnd.advance != Advance() or w.pyramid:
            out.append(f"{ind}  advance: {_advance(rnd.advance, w)}")
    if rnd.draws:  # replayed and checked when the file is read (copa.spec.round_draws)
        out.append(f"{ind}  draws:")
        out += [f"{ind}    - " + json.dumps(d.to_dict(), ensure_ascii=False) for d in rnd.draws]
    if rnd.entrants:
        out.append(f"{ind}  entrants: {w.seq(rnd.entrants)}")
    if rnd.losers_from:
        out.append(f"{ind}  losers_from: {w.seq(rnd.losers_from)}")
    if rnd.third_place:
        out.append(f"{ind}  third_place: true")
    out += _given(rnd.fair_play, rnd.coefficients, rnd.seeding, f"{ind}  ", w)
    if rnd.groups:
        out.append(f"{ind}  groups:")
        for g in rnd.groups:
            out += _group(g, ind + "    ", w)
    else:
        out.append(f"{ind}  ties:")
        out += [f"{ind}    - {_tie(t, w, structured)}" for t in rnd.ties]
    return out


def _implied_entrants(
    s: Stage, season: Season, regions: dict[str, tuple[str, ...]]
) -> tuple[str, ...]:
    """The entrants the reader gives a stage that lists none: none if earlier places
    enter it, else its region's clubs (copa.spec.season_file.build_entrants)."""
    if s.entrants_from or s.region not in regions:
        return ()
    return tuple(c.name for c in season.clubs if c.department in regions[s.region])


def _stage(
    s: Stage,
    season: Season,
    regions: dict[str, tuple[str, ...]],
    sets: _RuleSets | _FormatRules,
    w: _Style,
    structured: bool = False,
) -> list[str]:
    out = [f"  - name: {q(s.name)}"]
    if not structured:
        out.append(f"    kind: {q(s.kind)}")
    if s.unit:
        out.append(f"    unit: {q(s.unit)}")
    if s.region and not structured:
        out.append(f"    region: {q(s.region)}")
    if s.entrants != _implied_entrants(s, season, regions) or (w.pyramid and s.entrants):
        out.append(f"    entrants: {w.seq(s.entrants)}")
    if s.entrants_from:
        out.append(f"    entrants_from: {w.seq(s.entrants_from)}")
    if s.planned:
        out.append(f"    planned: {s.planned}")
    if s.places is not None and w.pyramid:
        out.append(f"    places: {_flow(_designation(s.places, w))}")
    if not s.rounds:
        if not w.pyramid:
            raise SeasonWriteError(f"stage {s.name!r} has no rounds (a pyramid's stage may)")
        out.append("    rounds: []")
    else:
        out.append("    rounds:")
    for rnd in s.rounds:
        out += _round(rnd, sets, w, structured)
    if s.places is not None and not structured and not w.pyramid:
        out.append("    places:")
        out += [f"      {k}: {v}" for k, v in _designation(s.places, w)]
    return out


def block(text: str, indent: str) -> str:
    """``text`` as a YAML literal block (``|-`` ...) for a key indented two spaces less
    than ``indent``, or quoted when a block cannot hold it exactly."""
    if not text.strip() or text.endswith("\n\n") or _UNSAFE.search(re.sub("[\n\t]", "", text)):
        return q(text)
    chomp = "" if text.endswith("\n") else "-"
    lines = text.removesuffix("\n").split("\n")
    lead = "2" if lines[0][:1] in (" ", "\t") else ""
    out = f"|{lead}{chomp}\n" + "".join(f"{indent}{x}\n" if x else "\n" for x in lines)
    try:
        if yaml.load(f"{indent[:-2]}k: {out}", Loader=_Loader) == {"k": text}:
            return out.rstrip("\n")
    except yaml.YAMLError:
        pass
    return q(text)


def _wiki(wiki: WikiModel) -> list[str]:
    """The ``wiki:`` section: the markup of the article the season came from."""
    out = ["wiki:"]
    if wiki.infobox:
        out.append(f"  infobox: {_flow([(q(k), q(v)) for k, v in wiki.infobox.items()])}")
    if wiki.tables:
        out.append("  tables:")
    for t in wiki.tables:
        out += [
            f"    - stage: {q(t.stage)}",
            f"      round: {q(t.round)}",
            f"      group: {q(t.group)}",
            f"      codes: {_flow([(q(k), q(v)) for k, v in t.codes.items()])}",
            f"      text: {block(t.text, ' ' * 8)}",
        ]
    return out


def _head(season: Season, header: str, structure: str, w: _Style) -> list[str]:
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    out.append("copa: 1")
    if structure:
        out.append(f"structure: {q(structure)}")
    name = q(season.name) if w.pyramid else _season_name(season.name)
    out += [f"competition: {q(season.competition)}", f"season: {name}"]
    if structure:  # the structure gives the rest
        return out
    if season.stats_scope:
        out.append(f"stats_scope: {w.seq(season.stats_scope)}")
    if season.promotions:
        out.append("promotion:")
        out += [f"  {p.place}: {q(p.destination)}" for p in season.promotions]
    if season.regions:
        out.append("regions:")
        out += [f"  {q(name)}: {w.seq(deps)}" for name, deps in season.regions]
    return out


def _club(c: Club, regions: dict[str, tuple[str, ...]], w: _Style) -> str:
    pairs = [("name", w.item(c.name))]
    for key in w.club_keys:
        value = getattr(c, key)
        if value:
            pairs.append((key, w.item(value)))
    derived = next((r for r, deps in regions.items() if c.department in deps), "")
    if c.region != derived:
        if not c.region:
            raise SeasonWriteError(f"club {c.name}: no region, but {c.department} is in {derived}")
        pairs.append(("region", w.item(c.region)))
    if c.aliases:
        pairs.append(("aliases", w.seq(c.aliases)))
    return f"  - {_flow(pairs)}"


def _pyramid(pyramid: Pyramid, format_data: dict[str, Any]) -> list[str]:
    """The ``pyramid:`` block: the seed and the whole format, so ``copa advance`` can
    draw the rounds to come from the file alone."""
    dumped = yaml.safe_dump(format_data, allow_unicode=True, sort_keys=False, width=100)
    return [
        "pyramid:",
        f"  seed: {pyramid.seed}",
        "  format:",
        *("    " + line for line in dumped.splitlines()),
    ]


def header_of(text: str) -> str:
    """The comment lines a season file starts with, as :func:`write_season`'s ``header``
    (to keep them at the top of a rewritten file)."""
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.removeprefix("#").removeprefix(" "))
    return "\n".join(lines)


def write_season(
    season: Season,
    header: str = "",
    wiki: WikiModel | None = None,
    structure: str = "",
    *,
    pyramid: Pyramid | None = None,
    format_data: dict[str, Any] | None = None,
    history: Sequence[HistoryModel] = (),
) -> str:
    """Season-file YAML for ``season``; ``header`` becomes a comment at the top.

    ``wiki`` is the markup of the article the season was imported from (the
    ``wiki:`` section, docs/season-file.md). ``structure``: a bundled structure the
    season is played in (copa.spec.structure), which the file then includes instead
    of writing its promotion, regions, rule sets, stages' kinds, regions and places,
    and rounds' rules, legs, qualification and slots; whether the season is in fact
    that structure's is for the caller to check (copa.spec.upgrade reads it back).
    ``pyramid`` and ``format_data`` (the format as its file gives it) make a pyramid
    season file: the ``pyramid:`` block, the format's rule sets under its names, the
    pyramid layout (:class:`_Style`). ``history`` (the entered results' log,
    copa.spec.history) is written back unchanged, last.
    """
    regions = dict(season.regions)
    if len(regions) != len(season.regions):
        raise SeasonWriteError("two regions share a name")
    places = [p.place for p in season.promotions]
    if places != sorted(set(places)):
        raise SeasonWriteError("promotions must be listed once per place, in place order")
    if not season.stages:
        raise SeasonWriteError("a season file needs at least one stage")
    if pyramid is not None and (format_data is None or structure):
        raise ValueError("a pyramid season file embeds its format, and includes no structure")
    w = _PLAIN_FILE if pyramid is None else _PYRAMID_FILE
    sets = _RuleSets() if pyramid is None else _FormatRules(pyramid.format)
    head = _head(season, header or (PYRAMID_HEADER if pyramid else ""), structure, w)
    clubs = ["clubs:", *(_club(c, regions, w) for c in season.clubs)]
    stages = [_stage(s, season, regions, sets, w, bool(structure)) for s in season.stages]
    # after the stages are written: their rule sets are all named
    rules = [line for name, key in sets.written() for line in _rule_set(name, key, w)]
    if pyramid is None:
        out = [*head, "", *clubs, *(["", "rules:", *rules] if rules else []), "", "stages:"]
        for lines in stages:
            out += [*lines, ""]
    else:
        out = [*head, "rules:", *rules, *_pyramid(pyramid, format_data or {}), *clubs, "stages:"]
        out += [line for lines in stages for line in lines]
    if wiki is not None and (wiki.infobox or wiki.tables):
        out += _wiki(wiki)
    text = "\n".join(out).rstrip("\n") + "\n"
    return text + history_text(list(history)) if history else text
