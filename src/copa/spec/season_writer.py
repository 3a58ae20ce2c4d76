"""Write a core :class:`~copa.core.season.Season` as season-file YAML.

The text is what :mod:`copa.spec.season_file` reads, laid out like the bundled
``2011.yaml`` (one line per club, tie and match), so importers can hand the
user a file to read and edit. The contract is exact:
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

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

import yaml

from copa.core.group import Group
from copa.core.match import Match
from copa.core.points import DEFAULT, PointsScheme
from copa.core.qualification import BEST_LOSERS_CHAIN, BEST_PLACED_CHAIN
from copa.core.season import Season
from copa.core.stage import Advance, Designation, Round, Stage
from copa.core.tie import Tie
from copa.spec.fixture_notation import match_details, writable_venue
from copa.spec.scores import format_result, match_result, parse_match_line
from copa.spec.season_file import WikiModel

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class SeasonWriteError(ValueError):
    """The season holds something a season file cannot express."""


# ---------------------------------------------------------------- scalars

_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^,\[\]{}#:\n\r\t]*(?<=\S)$")
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


#: names that are surely plain YAML (letters first; no sign, colon, comma or bracket)
_SURELY_PLAIN = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ0-9 .'()-]*[A-Za-zÀ-ÖØ-öø-ÿ0-9.)]$")
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


def _seq(items: Iterable[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def _flow(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}"


def _season_name(name: str) -> str:
    if name.isascii() and name.isdigit() and str(int(name)) == name:
        return name  # read back as an int, which the season file turns into this text
    return q(name)


# ---------------------------------------------------------------- rules


class _RuleSets:
    """Named rule sets, one per distinct (points, ranking, tie chain) the rounds use."""

    def __init__(self) -> None:
        self.sets: dict[
            tuple[PointsScheme, tuple[str, ...] | None, tuple[str, ...] | None, bool], str
        ] = {}

    def name(
        self,
        scheme: PointsScheme,
        ranking: tuple[str, ...] | None,
        tie: tuple[str, ...] | None,
        away_after_et: bool = False,
    ) -> str:
        for chain in (ranking, tie):
            if chain is not None and not chain:
                raise SeasonWriteError("an empty ranking or tie chain cannot be written")
        key = (scheme, ranking, tie, away_after_et)
        if key not in self.sets:
            base = "groups" if ranking is not None else "_".join(tie or ()) or "rules"
            name, n = base, 2
            while name in self.sets.values():
                name, n = f"{base}_{n}", n + 1
            self.sets[key] = name
        return self.sets[key]

    def lines(self) -> list[str]:
        out = []
        for (scheme, ranking, tie, away_after_et), name in self.sets.items():
            out.append(f"  {q(name)}:")
            if scheme != DEFAULT:
                out.append(
                    f"    points: {{win: {scheme.win}, draw: {scheme.draw}, loss: {scheme.loss}}}"
                )
            if ranking is not None:
                out.append(f"    ranking: {_seq(ranking)}")
            if tie is not None:
                out.append(f"    tie: {_seq(tie)}")
            if away_after_et:
                out.append("    away_goals_after_extra_time: true")
        return out


def _round_rules(rnd: Round, sets: _RuleSets) -> str:
    if rnd.groups:
        rules = {g.rules for g in rnd.groups}
        if len(rules) > 1:
            raise SeasonWriteError(f"round {rnd.name!r}: its groups have different rules")
        r = rules.pop()
        return sets.name(r.scheme, tuple(r.chain), None)
    tie_rules = {t.rules for t in rnd.ties}
    if len(tie_rules) > 1:
        raise SeasonWriteError(f"round {rnd.name!r}: its ties have different rules")
    tr = tie_rules.pop()
    return sets.name(tr.scheme, None, tuple(tr.chain), tr.away_goals_after_extra_time)


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


def _line(m: Match) -> str | None:
    """The match as one plain line of a block, when it reads back as the same match."""
    if m.neutral or not writable_venue(m.venue) or "|" in m.home + m.away:
        return None
    if m.score is None and m.counts:  # aet 2-3, ? (4-3 p), played, winner A
        line = f"{m.home} v {m.away}: {_result(m)}"
    elif m.score is None:
        line = f"{m.home} v {m.away}" + (": not played" if m.status.value == "not_played" else "")
    else:
        line = f"{m.home} {_result(m)} {m.away}"
    try:
        read = parse_match_line(line)
    except ValueError:
        return None
    # the line reads back as this match (a club name can look like part of a score)
    ok = read == (m.home, m.away, match_result(m)) and "\n" not in line
    return line + match_details(m) if ok else None


def _match(m: Match) -> str:
    score = _result(m)
    line = f"{m.home} {score} {m.away}" if m.score is not None else f"{m.home} v {m.away}: {score}"
    if not m.neutral and writable_venue(m.venue) and "|" not in m.home + m.away:
        try:
            read = parse_match_line(line)
        except ValueError:
            read = None
        if read == (m.home, m.away, match_result(m)) and "\n" not in line:
            return q(line + match_details(m))
    return match_mapping(m, score)


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


def _leg(m: Match, *, reverse: bool = False) -> str:
    """A tie's leg or deciding match: its score and fixture details, from the first club's side."""
    if not writable_venue(m.venue):
        raise SeasonWriteError(f"{m}: venue {m.venue!r} cannot be written on a tie's leg")
    return _score(_result(m, reverse=reverse) + match_details(m))


def _tie(t: Tie, structured: bool = False) -> str:
    a, b = t.teams
    legs = []
    neutral = {leg.neutral for leg in t.legs}
    if len(neutral) > 1:
        raise SeasonWriteError(f"tie {a} v {b}: some legs are neutral, some not")
    for i, leg in enumerate(t.legs):
        host = a if i % 2 == 0 else b
        if leg.home != host:
            raise SeasonWriteError(f"tie {a} v {b}: leg {i + 1} should be hosted by {host}")
        legs.append(_leg(leg, reverse=i % 2 == 1))
    pairs = [("teams", _seq(t.teams)), ("legs", "[" + ", ".join(legs) + "]")]
    d = t.decider
    if d is not None:
        if d.neutral and (d.home, d.away) == (a, b):
            pairs.append(("decider", _leg(d)))
        elif not d.neutral and {d.home, d.away} == {a, b}:
            pairs.append(("decider", _leg(d, reverse=d.home == b)))
            pairs.append(("decider_host", q(d.home)))
        else:
            raise SeasonWriteError(
                f"tie {a} v {b}: a deciding match is {a} v {b} on neutral ground, "
                "or at one club's ground (decider_host)"
            )
    for key, value in (
        ("winner", t.claimed_winner),
        ("decided_by", t.claimed_decided_by),
        ("lots", t.lots),
        ("walkover", t.walkover),
    ):
        if value is not None:
            pairs.append((key, q(value)))
    if t.slots is not None and not structured:  # a structure's slot map gives them
        pairs.append(("slots", _seq(t.slots)))
    if t.positions != (None, None):
        pairs.append(("positions", "[" + ", ".join(_opt_int(p) for p in t.positions) + "]"))
    if True in neutral:
        pairs.append(("neutral", "true"))
    if t.label:
        pairs.append(("note", q(t.label)))
    return _flow(pairs)


def _score(text: str) -> str:
    """Scores with spaces in quotes, as people write them in season files."""
    return f'"{text}"' if " " in text or q(text) != text else text


def _opt_int(p: int | None) -> str:
    return "null" if p is None else str(p)


def _group(g: Group, ind: str) -> list[str]:
    out = [f"{ind}- name: {q(g.name)}", f"{ind}  clubs: {_seq(g.clubs)}"]
    if g.matches:
        lines = [_line(m) for m in g.matches]
        if all(line is not None for line in lines):
            # one YAML node for the whole group: big seasons load several times faster
            out.append(f"{ind}  matches: |")
            out += [f"{ind}    {line}" for line in lines]
        else:
            out.append(f"{ind}  matches:")
            out += [f"{ind}    - {_match(m)}" for m in g.matches]
    if g.deciders:
        out.append(f"{ind}  deciders:")
        out += [f"{ind}    - {_match(m)}" for m in g.deciders]
    if g.lots:
        out.append(f"{ind}  lots: {_seq(g.lots)}")
    if g.adjustments:
        out.append(f"{ind}  adjustments:")
        for a in g.adjustments:
            pairs = [("club", q(a.club)), ("points", str(a.points))]
            if a.reason:
                pairs.append(("reason", q(a.reason)))
            out.append(f"{ind}    - {_flow(pairs)}")
    out += _given(g.fair_play, g.coefficients, g.seeding, f"{ind}  ")
    if g.pairings:
        out.append(f"{ind}  pairings: [{', '.join(_seq(p) for p in g.pairings)}]")
    return out


def _given(
    fair_play: tuple[tuple[str, int], ...],
    coefficients: tuple[tuple[str, float], ...],
    seeding: tuple[str, ...],
    ind: str,
) -> list[str]:
    """A group's or a round's figures for the data criteria."""
    out = []
    if fair_play:
        out.append(f"{ind}fair_play: {_flow([(q(c), str(v)) for c, v in fair_play])}")
    if coefficients:
        out.append(f"{ind}coefficients: {_flow([(q(c), repr(v)) for c, v in coefficients])}")
    if seeding:
        out.append(f"{ind}seeding: {_seq(seeding)}")
    return out


def _designation(d: Designation) -> list[tuple[str, str]]:
    if d.by not in ("lots", "organizer", "ruling"):
        raise SeasonWriteError(
            f"a designation by {d.by!r} (a season file knows lots, organizer, ruling)"
        )
    pairs = [("order", _seq(d.order)), ("by", d.by)]
    if d.reason:
        pairs.append(("reason", q(d.reason)))
    return pairs


def _advance(a: Advance) -> str:
    pairs: list[tuple[str, str]] = []
    if a.top:
        pairs.append(("top", str(a.top)))
    if a.best:
        best = []
        for b in a.best:
            bp = [("place", str(b.place)), ("count", str(b.count))]
            if b.chain != BEST_PLACED_CHAIN:
                bp.append(("ranking", _seq(b.chain)))
            if not b.fair:
                bp.append(("fair", "false"))
            best.append(_flow(bp))
        pairs.append(("best", "[" + ", ".join(best) + "]"))
    if a.winners:
        pairs.append(("winners", "true"))
    if a.best_losers:
        pairs.append(("best_losers", str(a.best_losers)))
    if a.best_losers_chain != BEST_LOSERS_CHAIN:
        pairs.append(("best_losers_ranking", _seq(a.best_losers_chain)))
    if a.designated:
        pairs.append(
            ("designated", "[" + ", ".join(_flow(_designation(d)) for d in a.designated) + "]")
        )
    if a.lots:
        pairs.append(("lots", _seq(a.lots)))
    return _flow(pairs)


def _unwritable(what: str, value: object, default: object) -> None:
    """Fields the core has and the season file does not (yet): refuse rather than drop them."""
    if value != default:
        raise SeasonWriteError(f"{what} cannot be written in a season file")


def _round(rnd: Round, sets: _RuleSets, structured: bool = False) -> list[str]:
    ind = "      "
    _unwritable(f"round {rnd.name!r}: recorded draws", getattr(rnd, "draws", ()), ())
    _unwritable(f"round {rnd.name!r}: ranked advance", getattr(rnd.advance, "ranked", False), False)
    if rnd.groups and rnd.ties:
        raise SeasonWriteError(f"round {rnd.name!r} has groups and ties (a season file has one)")
    if not rnd.groups and not rnd.ties:
        raise SeasonWriteError(f"round {rnd.name!r} has neither groups nor ties")
    out = [f"{ind}- name: {q(rnd.name)}"]
    if structured:  # the structure gives the rules, legs and who goes on; lots drawn are ours
        drawn = Advance(designated=rnd.advance.designated, lots=rnd.advance.lots)
        if drawn != Advance():
            out.append(f"{ind}  advance: {_advance(drawn)}")
    else:
        out.append(f"{ind}  rules: {q(_round_rules(rnd, sets))}")
        legs = _round_legs(rnd)
        if legs != 2:
            out.append(f"{ind}  legs: {legs}")
        if rnd.advance != Advance():
            out.append(f"{ind}  advance: {_advance(rnd.advance)}")
    if rnd.entrants:
        out.append(f"{ind}  entrants: {_seq(rnd.entrants)}")
    if rnd.losers_from:
        out.append(f"{ind}  losers_from: {_seq(rnd.losers_from)}")
    if rnd.third_place:
        out.append(f"{ind}  third_place: true")
    out += _given(rnd.fair_play, rnd.coefficients, rnd.seeding, f"{ind}  ")
    if rnd.groups:
        out.append(f"{ind}  groups:")
        for g in rnd.groups:
            out += _group(g, ind + "    ")
    else:
        out.append(f"{ind}  ties:")
        out += [f"{ind}    - {_tie(t, structured)}" for t in rnd.ties]
    return out


def _stage(
    s: Stage,
    season: Season,
    regions: dict[str, tuple[str, ...]],
    sets: _RuleSets,
    structured: bool = False,
) -> list[str]:
    _unwritable(f"stage {s.name!r}: entrants_from", getattr(s, "entrants_from", ()), ())
    _unwritable(f"stage {s.name!r}: unit", getattr(s, "unit", ""), "")
    _unwritable(f"stage {s.name!r}: planned rounds", getattr(s, "planned", 0), 0)
    out = [f"  - name: {q(s.name)}"]
    if not structured:
        out.append(f"    kind: {q(s.kind)}")
    if s.region and not structured:
        out.append(f"    region: {q(s.region)}")
    derived: tuple[str, ...] | None = None
    if s.region and s.region in regions:
        derived = tuple(c.name for c in season.clubs if c.department in regions[s.region])
    if s.entrants != derived and (s.entrants or derived is not None):
        out.append(f"    entrants: {_seq(s.entrants)}")
    out.append("    rounds:")
    for rnd in s.rounds:
        out += _round(rnd, sets, structured)
    if s.places is not None and not structured:
        out.append("    places:")
        out += [f"      {k}: {v}" for k, v in _designation(s.places)]
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


def write_season(
    season: Season, header: str = "", wiki: WikiModel | None = None, structure: str = ""
) -> str:
    """Season-file YAML for ``season``; ``header`` becomes a comment at the top.

    ``wiki`` is the markup of the article the season was imported from (the
    ``wiki:`` section, docs/season-file.md). ``structure``: a bundled structure the
    season is played in (copa.spec.structure), which the file then includes instead
    of writing its promotion, regions, rule sets, stages' kinds, regions and places,
    and rounds' rules, legs, qualification and slots; whether the season is in fact
    that structure's is for the caller to check (copa.spec.upgrade reads it back).
    """
    regions = dict(season.regions)
    if len(regions) != len(season.regions):
        raise SeasonWriteError("two regions share a name")
    places = [p.place for p in season.promotions]
    if places != sorted(set(places)):
        raise SeasonWriteError("promotions must be listed once per place, in place order")
    if not season.stages:
        raise SeasonWriteError("a season file needs at least one stage")
    out = [f"# {line}".rstrip() for line in header.splitlines()]
    out.append("copa: 1")
    if structure:
        out.append(f"structure: {q(structure)}")
    out += [f"competition: {q(season.competition)}", f"season: {_season_name(season.name)}"]
    if season.stats_scope and not structure:
        out.append(f"stats_scope: {_seq(season.stats_scope)}")
    if season.promotions and not structure:
        out.append("promotion:")
        out += [f"  {p.place}: {q(p.destination)}" for p in season.promotions]
    if regions and not structure:
        out.append("regions:")
        out += [f"  {q(name)}: {_seq(deps)}" for name, deps in regions.items()]
    out.append("")
    out.append("clubs:")
    for c in season.clubs:
        pairs = [("name", q(c.name))]
        for key in ("department", "province", "district", "location"):
            value = getattr(c, key)
            if value:
                pairs.append((key, q(value)))
        derived = next((r for r, deps in regions.items() if c.department in deps), "")
        if c.region != derived:
            if not c.region:
                raise SeasonWriteError(
                    f"club {c.name}: no region, but {c.department} is in {derived}"
                )
            pairs.append(("region", q(c.region)))
        if c.aliases:
            pairs.append(("aliases", _seq(c.aliases)))
        out.append(f"  - {_flow(pairs)}")
    sets = _RuleSets()
    body = ["", "stages:"]
    for s in season.stages:
        body += _stage(s, season, regions, sets, bool(structure))
        body.append("")
    rules = sets.lines()
    if rules:
        out += ["", "rules:", *rules]
    out += body
    if wiki is not None and (wiki.infobox or wiki.tables):
        out += _wiki(wiki)
    return "\n".join(out).rstrip("\n") + "\n"
