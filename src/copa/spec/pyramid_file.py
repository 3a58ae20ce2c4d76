"""Pyramid season files: a season file that also holds its format, its draws and stages to come.

A pyramid season file is a season file (``docs/season-file.md``) with four
additions, documented in the "Pyramids" section there and in
``docs/pyramid.md``:

* a top-level ``pyramid:`` block with the season's ``seed`` and its whole
  pyramid ``format`` (so ``copa advance`` can fill later rounds from the file
  alone);
* on a stage, ``unit`` (the district, province, ... it belongs to) and
  ``entrants_from`` (the earlier places that enter it: ``District Ate/1``);
  such a stage may list no rounds yet;
* on a round, ``draws``: every draw, slot map, bracket and rival choice that
  made its groups or ties, replayable and checked when the file is loaded;
* on a round's ``advance``, ``ranked: true`` (every place down to ``top``
  matters, so deciding matches and lots apply at each).

A group whose round records a ``rivals`` draw is a partial round robin: its
matches must be exactly the rivals' home and away fixtures.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from copa.core.club import Club
from copa.core.group import Group
from copa.core.grouping import RivalDraw
from copa.core.match import Match, MatchStatus
from copa.core.pyramid import Pyramid, PyramidFormat, RuleSet
from copa.core.season import Season
from copa.core.stage import Round, Stage
from copa.core.tie import Tie
from copa.spec.fixture_notation import match_details, writable_venue
from copa.spec.history import HistoryModel, history_text
from copa.spec.pyramid_format import format_from_data
from copa.spec.scores import Result, format_result
from copa.spec.season_file import (
    ErrorLocator,
    Path_,
    SeasonFileError,
    SeasonModel,
    build,
    load_mapping,
    read_text,
    validate,
)
from copa.spec.season_writer import match_mapping, q, qq

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARK = re.compile(r"^pyramid:", re.M)


# ---------------------------------------------------------------- load
#
# One season reader: the fields of a pyramid season file (``pyramid:``, a stage's
# ``unit``/``entrants_from``/``planned``, a round's ``draws``, ``advance.ranked``)
# are optional fields of copa.spec.season_file's models, built by its ``build``.


@dataclass(frozen=True)
class PyramidSeason:
    """A loaded pyramid season file: the season, its pyramid, and the format as written."""

    season: Season
    pyramid: Pyramid
    format_data: dict[str, Any]
    #: the file's history of entered results (copa.io.history), kept by every rewrite
    history: tuple[HistoryModel, ...] = ()


def is_pyramid_text(text: str) -> bool:
    """Whether season-file text is a pyramid season file (has a top-level ``pyramid:``)."""
    return _MARK.search(text) is not None


def parse_pyramid_season(text: str, source: str = "<season>") -> PyramidSeason:
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file")
    model = validate(SeasonModel, data, err)
    if model.pyramid is None:
        raise err(("pyramid",), _NOT_PYRAMID)
    fmt_err = ErrorLocator(source, text)
    fmt = format_from_data(model.pyramid.format, _Prefixed(fmt_err, ("pyramid", "format")))
    season = build(model, err)
    return PyramidSeason(
        season, Pyramid(fmt, model.pyramid.seed), model.pyramid.format, tuple(model.history)
    )


_NOT_PYRAMID = (
    "not a pyramid season file (made by copa new-season or copa generate); "
    "it has no 'pyramid:' block"
)


class _Prefixed(ErrorLocator):
    """Errors in the embedded format, located under ``pyramid.format``."""

    def __init__(self, inner: ErrorLocator, prefix: Path_) -> None:
        super().__init__(inner.source, inner.text)
        self.prefix = prefix

    def __call__(self, path: Path_, message: str) -> SeasonFileError:
        return super().__call__((*self.prefix, *path), message)


def load_pyramid_season(path: str | Path) -> PyramidSeason:
    p = Path(path)
    text = read_text(p)
    if not is_pyramid_text(text):
        raise SeasonFileError(str(p), None, "pyramid", _NOT_PYRAMID)
    return parse_pyramid_season(text, str(p))


def load_any_season(path: str | Path) -> Season:
    """A season file of either kind: a pyramid season file or a plain one."""
    from copa.spec.season_file import parse_season

    p = Path(path)
    text = read_text(p)
    if is_pyramid_text(text):
        return parse_pyramid_season(text, str(p)).season
    return parse_season(text, str(p))


# ---------------------------------------------------------------- write


def _seq(items: Iterable[str]) -> str:
    return "[" + ", ".join(qq(i) for i in items) + "]"


def _result(m: Match, flip: bool = False) -> str:
    r = Result(
        m.score, m.extra_time, m.penalties, m.status, m.original, m.recorded_winner, m.shot_first
    )
    return format_result(r.reversed() if flip else r)


class _RuleNames:
    """The rule set each round is written with: the format's own name for its rules,
    else a new rule set (``rules_1``, ...) written with the format's."""

    def __init__(self, fmt: PyramidFormat) -> None:
        self.groups: dict[object, str] = {}
        self.ties: dict[object, str] = {}
        self.extra: dict[str, RuleSet] = {}
        for name, rs in fmt.rules:
            self.groups.setdefault((rs.scheme, rs.ranking), name)
            self.ties.setdefault((rs.scheme, rs.tie, rs.away_goals_after_extra_time), name)

    def __call__(self, rnd: Round) -> str:
        if rnd.groups:
            r = rnd.groups[0].rules
            key: object = (r.scheme, r.chain)
            known, rs = self.groups, RuleSet(r.scheme, r.chain)
        else:
            t = rnd.ties[0].rules
            key = (t.scheme, t.chain, t.away_goals_after_extra_time)
            known = self.ties
            rs = RuleSet(
                t.scheme, tie=t.chain, away_goals_after_extra_time=t.away_goals_after_extra_time
            )
        if key not in known:
            known[key] = f"rules_{len(self.extra) + 1}"
            self.extra[known[key]] = rs
        return known[key]


def write_pyramid_season(
    season: Season,
    pyramid: Pyramid,
    format_data: dict[str, Any],
    history: Sequence[HistoryModel] = (),
) -> str:
    """The season as pyramid season-file text (see the module docstring); ``history``
    (the entered results' log) is written back unchanged, last."""
    names = _RuleNames(pyramid.format)
    out = [
        "# A Copa Perú pyramid season made by copa (docs/pyramid.md, docs/season-file.md).",
        "# Tables, qualifiers and champions are computed from the results, never stored.",
        *_head(season),
    ]
    body = ["clubs:", *(_club(c) for c in season.clubs), "stages:"]
    for s in season.stages:
        _write_stage(body.append, s, names)
    out.append("rules:")  # after the stages are written: their rule sets are all named
    for name, rs in (*pyramid.format.rules, *names.extra.items()):
        out += _ruleset(name, rs)
    out += ["pyramid:", f"  seed: {pyramid.seed}", "  format:"]
    dumped = yaml.safe_dump(format_data, allow_unicode=True, sort_keys=False, width=100)
    out.extend("    " + line for line in dumped.splitlines())
    out.extend(body)
    text = "\n".join(out) + "\n"
    return text + history_text(list(history)) if history else text


def _head(season: Season) -> list[str]:
    out = ["copa: 1", f"competition: {q(season.competition)}", f"season: {q(season.name)}"]
    if season.stats_scope:
        out.append(f"stats_scope: {_seq(season.stats_scope)}")
    if season.promotions:
        out.append("promotion:")
        out += [f"  {p.place}: {q(p.destination)}" for p in season.promotions]
    if season.regions:
        out.append("regions:")
        out += [f"  {q(region)}: {_seq(departments)}" for region, departments in season.regions]
    return out


def _club(c: Club) -> str:
    fields = [f"name: {qq(c.name)}"]
    for key in ("district", "province", "department", "location"):
        value = getattr(c, key)
        if value:
            fields.append(f"{key}: {qq(value)}")
    if c.aliases:
        fields.append(f"aliases: {_seq(c.aliases)}")
    return "  - {" + ", ".join(fields) + "}"


def _ruleset(name: str, rs: RuleSet) -> list[str]:
    pts = rs.scheme
    out = [
        f"  {q(name)}:",
        f"    points: {{win: {pts.win}, draw: {pts.draw}, loss: {pts.loss}}}",
        f"    ranking: {_seq(rs.ranking)}",
        f"    tie: {_seq(rs.tie)}",
    ]
    if rs.away_goals_after_extra_time:
        out.append("    away_goals_after_extra_time: true")
    return out


def _write_stage(b: Callable[[str], None], s: Stage, rule_name: Callable[[Round], str]) -> None:
    b(f"  - name: {q(s.name)}")
    b(f"    kind: {q(s.kind)}")
    if s.unit:
        b(f"    unit: {q(s.unit)}")
    if s.region:
        b(f"    region: {q(s.region)}")
    if s.entrants:
        b(f"    entrants: {_seq(s.entrants)}")
    if s.entrants_from:
        b(f"    entrants_from: {_seq(s.entrants_from)}")
    if s.planned:
        b(f"    planned: {s.planned}")
    if s.places is not None:
        d = s.places
        b(f"    places: {{order: {_seq(d.order)}, by: {d.by}, reason: {q(d.reason)}}}")
    if not s.rounds:
        b("    rounds: []")
        return
    b("    rounds:")
    for rnd in s.rounds:
        b(f"      - name: {q(rnd.name)}")
        b(f"        rules: {q(rule_name(rnd))}")
        legs = rnd.groups[0].legs if rnd.groups else len(rnd.ties[0].legs)
        if any(isinstance(d, RivalDraw) for d in rnd.draws):
            legs = 2
        b(f"        legs: {legs}")
        b(f"        advance: {_advance_text(rnd)}")
        if rnd.draws:
            b("        draws:")
            for rec in rnd.draws:
                b("          - " + json.dumps(rec.to_dict(), ensure_ascii=False))
        if rnd.groups:
            b("        groups:")
            for g in rnd.groups:
                _write_group(b, g)
        else:
            b("        ties:")
            for t in rnd.ties:
                b("          - " + _tie_text(t))


def _write_group(b: Callable[[str], None], g: Group) -> None:
    b(f"          - name: {q(g.name)}")
    b(f"            clubs: {_seq(g.clubs)}")
    lines = [_match_line(m) for m in g.matches]
    if all(line is not None for line in lines):
        # one YAML node per group instead of one per match: loads far faster
        b("            matches: |")
        for line in lines:
            b(f"              {line}")
    else:
        b("            matches:")
        for m in g.matches:
            b(f"              - {_match_text(m)}")
    if g.deciders:
        b("            deciders:")
        for m in g.deciders:
            b(f"              - {_match_text(m)}")
    if g.lots:
        b(f"            lots: {_seq(g.lots)}")


def _tie_text(t: Tie) -> str:
    parts = [f"teams: {_seq(t.teams)}"]
    parts.append(
        "legs: [" + ", ".join(_leg_text(m, i % 2 == 1) for i, m in enumerate(t.legs)) + "]"
    )
    if t.decider is not None:
        flip = t.decider.home != t.teams[0]
        parts.append(f"decider: {_leg_text(t.decider, flip)}")
    if t.lots is not None:
        parts.append(f"lots: {q(t.lots)}")
    if t.slots is not None:
        parts.append(f"slots: {_seq(t.slots)}")
    if any(m.neutral for m in t.legs):
        parts.append("neutral: true")
    return "{" + ", ".join(parts) + "}"


def _match_line(m: Match) -> str | None:
    """The match as a plain line of a block (None: it needs the mapping form)."""
    if m.neutral or not writable_venue(m.venue):
        return None
    if m.status is MatchStatus.SCHEDULED:
        return f"{m.home} v {m.away}{match_details(m)}"
    if m.score is None:
        return f"{m.home} v {m.away}: {_result(m)}{match_details(m)}"
    return f"{m.home} {_result(m)} {m.away}{match_details(m)}"


def _match_text(m: Match) -> str:
    result = _result(m)
    if m.neutral or not writable_venue(m.venue):
        return match_mapping(m, result, qq)
    if m.status is MatchStatus.SCHEDULED:
        return qq(f"{m.home} v {m.away}{match_details(m)}")
    if m.score is None:
        return qq(f"{m.home} v {m.away}: {result}{match_details(m)}")
    return qq(f"{m.home} {result} {m.away}{match_details(m)}")


def _leg_text(m: Match, flip: bool) -> str:
    if not writable_venue(m.venue):
        raise ValueError(f"{m}: venue {m.venue!r} cannot be written in a tie's legs")
    return q(_result(m, flip) + match_details(m))


def _advance_text(rnd: Round) -> str:
    a = rnd.advance
    parts: list[str] = []
    if a.top:
        parts.append(f"top: {a.top}")
    if a.best:
        best = ", ".join(
            f"{{place: {x.place}, count: {x.count}, ranking: {_seq(x.chain)}, fair: "
            f"{'true' if x.fair else 'false'}}}"
            for x in a.best
        )
        parts.append(f"best: [{best}]")
    if a.winners:
        parts.append("winners: true")
    if a.best_losers:
        parts.append(f"best_losers: {a.best_losers}")
        parts.append(f"best_losers_ranking: {_seq(a.best_losers_chain)}")
    if a.lots:
        parts.append(f"lots: {_seq(a.lots)}")
    if a.ranked:
        parts.append("ranked: true")
    return "{" + ", ".join(parts) + "}"
