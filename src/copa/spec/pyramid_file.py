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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import Field

from copa.core.draw import DrawRecord
from copa.core.group import Group, GroupRules
from copa.core.grouping import GroupDraw, RivalDraw, draw_from_dict
from copa.core.match import Match, MatchStatus
from copa.core.pyramid import Pyramid, PyramidFormat, RuleSet
from copa.core.season import Season
from copa.core.stage import Draw, Round, Stage
from copa.core.tie import Tie
from copa.limits import MAX_PLACE, quote, slot_ref
from copa.spec.fixture_notation import mapping_entries, match_details, writable_venue
from copa.spec.history import HistoryModel, history_text
from copa.spec.pyramid_format import format_from_data
from copa.spec.scores import Result, format_result
from copa.spec.season_file import (
    AdvanceModel,
    ErrorLocator,
    GroupModel,
    Path_,
    RoundModel,
    SeasonFileError,
    SeasonModel,
    StageModel,
    build_advance,
    build_clubs,
    build_entrants,
    build_group,
    build_match,
    build_places,
    build_round_ties,
    build_rulesets,
    entries,
    load_mapping,
    read_text,
    round_rules,
    season_from,
    validate,
)
from copa.spec.season_file import StrictModel as _Model
from copa.spec.season_writer import q, qq

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MARK = re.compile(r"^pyramid:", re.M)


# ---------------------------------------------------------------- shape


class PAdvanceModel(AdvanceModel):
    ranked: bool = False


class PRoundModel(RoundModel):
    advance: PAdvanceModel = PAdvanceModel()
    draws: list[dict[str, Any]] = []


class PStageModel(StageModel):
    rounds: list[PRoundModel] = []  # type: ignore[assignment]
    unit: str = ""
    entrants_from: list[str] = []
    planned: int = Field(default=0, ge=0, le=MAX_PLACE)


class PyramidInfo(_Model):
    seed: int
    format: dict[str, Any]


class PSeasonModel(SeasonModel):
    pyramid: PyramidInfo
    stages: list[PStageModel]  # type: ignore[assignment]


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


# ---------------------------------------------------------------- load


def parse_pyramid_season(text: str, source: str = "<season>") -> PyramidSeason:
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file")
    model = validate(PSeasonModel, data, err)
    fmt_err = ErrorLocator(source, text)
    fmt = format_from_data(model.pyramid.format, _Prefixed(fmt_err, ("pyramid", "format")))
    season = _build(model, err)
    return PyramidSeason(
        season, Pyramid(fmt, model.pyramid.seed), model.pyramid.format, tuple(model.history)
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
        raise SeasonFileError(
            str(p),
            None,
            "pyramid",
            "not a pyramid season file (made by copa new-season or "
            "copa generate); it has no 'pyramid:' block",
        )
    return parse_pyramid_season(text, str(p))


def load_any_season(path: str | Path) -> Season:
    """A season file of either kind: a pyramid season file or a plain one."""
    from copa.spec.season_file import parse_season

    p = Path(path)
    text = read_text(p)
    if is_pyramid_text(text):
        return parse_pyramid_season(text, str(p)).season
    return parse_season(text, str(p))


def _build(model: PSeasonModel, err: ErrorLocator) -> Season:
    club, clubs, regions = build_clubs(model, err)
    rulesets = build_rulesets(model, err)
    stages: list[Stage] = []
    stage_names = [s.name for s in model.stages]
    seen: set[str] = set()
    for si, s in enumerate(model.stages):
        sp: Path_ = ("stages", si)
        if s.name in seen:
            raise err((*sp, "name"), f"duplicate stage {quote(s.name)}")
        earlier = stage_names[:si]
        entrants: tuple[str, ...] = ()
        if s.entrants is not None or not s.entrants_from:
            entrants = build_entrants(s, sp, club, clubs, regions, err)
        for i, ref in enumerate(s.entrants_from):
            if slot_ref(ref, seen) is None:
                raise err(
                    (*sp, "entrants_from", i),
                    f"{quote(ref)} is not 'Stage/place' of an earlier stage",
                )
        rounds = tuple(
            _round(r, (*sp, "rounds", ri), rulesets, club, err, earlier)
            for ri, r in enumerate(s.rounds)
        )
        stages.append(
            Stage(
                s.name,
                s.kind,
                rounds,
                entrants,
                build_places(s, sp, club),
                s.region or "",
                tuple(s.entrants_from),
                s.unit,
                s.planned,
            )
        )
        seen.add(s.name)
    return season_from(model, clubs, stages, regions, err)


def _round(
    r: PRoundModel,
    path: Path_,
    rulesets: dict[str, Any],
    club: Callable[[str, Path_], str],
    err: ErrorLocator,
    earlier: list[str],
) -> Round:
    rs = round_rules(r, path, rulesets, err)
    draws: list[Draw] = []
    for i, d in enumerate(r.draws):
        try:
            draws.append(draw_from_dict(d))
        except ValueError as e:
            raise err((*path, "draws", i), str(e)) from None
    rivals = next((d for d in draws if isinstance(d, RivalDraw)), None)
    adv = build_advance(r.advance, (*path, "advance"), club, err)
    if r.advance.ranked:
        adv = replace(adv, ranked=True)
    groups: list[Group] = []
    for gi, g in enumerate(r.groups):
        gp: Path_ = (*path, "groups", gi)
        if rivals is not None:
            groups.append(_partial_group(g, gp, rs, club, err, rivals))
        else:
            groups.append(build_group(g, gp, rs, r.legs or 2, club, err))
    ties = build_round_ties(r, path, groups, rs, club, err, earlier)
    _check_draws(draws, groups, ties, (*path, "draws"), err)
    return Round(r.name, tuple(groups), ties, adv, tuple(draws))


def _partial_group(
    g: GroupModel,
    path: Path_,
    rs: Any,
    club: Callable[[str, Path_], str],
    err: ErrorLocator,
    rivals: RivalDraw,
) -> Group:
    clubs = tuple(club(c, (*path, "clubs", i)) for i, c in enumerate(g.clubs))
    members = set(clubs)
    if len(members) != len(clubs):
        raise err((*path, "clubs"), "a club is listed twice")
    want: set[tuple[str, str]] = set()
    for a, b in rivals.pairs:
        want.add((a, b))
        want.add((b, a))
    matches: list[Match] = []
    have: set[tuple[str, str]] = set()
    for entry, mp in entries(g.matches, (*path, "matches")):
        m = build_match(entry, mp, club, err)
        for c in (m.home, m.away):
            if c not in members:
                raise err(mp, f"{c} is not in {g.name}")
        key = (m.home, m.away)
        if key in have:
            raise err(mp, f"duplicate fixture {m.home} v {m.away}")
        if key not in want:
            raise err(mp, f"{m.home} and {m.away} are not rivals in the recorded rivals draw")
        have.add(key)
        matches.append(m)
    missing = want - have
    if missing:
        a, b = sorted(missing)[0]
        raise err((*path, "matches"), f"missing fixture {a} v {b}: rivals meet home and away")
    group = Group(
        g.name,
        clubs,
        tuple(matches),
        GroupRules(rs.scheme, rs.ranking) if rs else GroupRules(),
        2,
        tuple(build_match(e, dp, club, err) for e, dp in entries(g.deciders, (*path, "deciders"))),
        tuple(club(c, (*path, "lots", i)) for i, c in enumerate(g.lots)),
    )
    return group


def _check_draws(
    draws: list[Draw], groups: list[Group], ties: Sequence[Tie], path: Path_, err: ErrorLocator
) -> None:
    """Draws must give the round's groups and ties, and replay to themselves."""
    for i, d in enumerate(draws):
        p: Path_ = (*path, i)
        if isinstance(d, DrawRecord):
            want = sorted(tuple(sorted(pair)) for pair in d.pairs)
            got = sorted(tuple(sorted(t.teams)) for t in ties)
            if want != got:
                raise err(p, "the round's ties are not the pairs of this draw")
            try:
                again_pairs = d.replay() if d.method == "random" else d
            except ValueError as e:  # DrawError: no draw meets the recorded constraints
                raise err(p, str(e)) from None
            if again_pairs != d:
                raise err(p, f"the draw does not replay from its seed {d.seed}: was it edited?")
        elif isinstance(d, GroupDraw):
            if sorted(map(sorted, d.groups)) != sorted(sorted(g.clubs) for g in groups):
                raise err(p, "the round's groups are not the groups of this draw")
            try:
                again = d.replay()
            except ValueError as e:
                raise err(p, str(e)) from None
            if again.groups != d.groups:
                raise err(p, f"the group draw does not replay from its seed {d.seed}")
        elif isinstance(d, RivalDraw) and set(d.clubs) != {c for g in groups for c in g.clubs}:
            raise err(p, "the rivals draw is not between the round's clubs")


# ---------------------------------------------------------------- write


def _seq(items: Iterable[str]) -> str:
    return "[" + ", ".join(qq(i) for i in items) + "]"


def _result(m: Match, flip: bool = False) -> str:
    r = Result(
        m.score, m.extra_time, m.penalties, m.status, m.original, m.recorded_winner, m.shot_first
    )
    return format_result(r.reversed() if flip else r)


def _rule_names(fmt: PyramidFormat) -> tuple[dict[object, str], dict[object, str]]:
    groups: dict[object, str] = {}
    ties: dict[object, str] = {}
    for name, rs in fmt.rules:
        groups.setdefault((rs.scheme, rs.ranking), name)
        ties.setdefault((rs.scheme, rs.tie, rs.away_goals_after_extra_time), name)
    return groups, ties


def write_pyramid_season(
    season: Season,
    pyramid: Pyramid,
    format_data: dict[str, Any],
    history: Sequence[HistoryModel] = (),
) -> str:
    """The season as pyramid season-file text (see the module docstring); ``history``
    (the entered results' log) is written back unchanged, last."""
    fmt = pyramid.format
    by_group, by_tie = _rule_names(fmt)
    extra: dict[str, RuleSet] = {}

    def rule_name(rnd: Round) -> str:
        if rnd.groups:
            r = rnd.groups[0].rules
            key: object = (r.scheme, r.chain)
            if key in by_group:
                return by_group[key]
            rs = RuleSet(r.scheme, r.chain)
        else:
            t = rnd.ties[0].rules
            key = (t.scheme, t.chain, t.away_goals_after_extra_time)
            if key in by_tie:
                return by_tie[key]
            rs = RuleSet(
                t.scheme, tie=t.chain, away_goals_after_extra_time=t.away_goals_after_extra_time
            )
        name = f"rules_{len(extra) + 1}"
        extra[name] = rs
        (by_group if rnd.groups else by_tie)[key] = name
        return name

    out: list[str] = []
    w = out.append
    w("# A Copa Perú pyramid season made by copa (docs/pyramid.md, docs/season-file.md).")
    w("# Tables, qualifiers and champions are computed from the results, never stored.")
    w("copa: 1")
    w(f"competition: {q(season.competition)}")
    w(f"season: {q(season.name)}")
    if season.stats_scope:
        w(f"stats_scope: {_seq(season.stats_scope)}")
    if season.promotions:
        w("promotion:")
        for p in season.promotions:
            w(f"  {p.place}: {q(p.destination)}")
    if season.regions:
        w("regions:")
        for region, departments in season.regions:
            w(f"  {q(region)}: {_seq(departments)}")
    body: list[str] = []
    b = body.append
    b("clubs:")
    for c in season.clubs:
        fields = [f"name: {qq(c.name)}"]
        for key in ("district", "province", "department", "location"):
            value = getattr(c, key)
            if value:
                fields.append(f"{key}: {qq(value)}")
        if c.aliases:
            fields.append(f"aliases: {_seq(c.aliases)}")
        b("  - {" + ", ".join(fields) + "}")
    b("stages:")
    for s in season.stages:
        _write_stage(b, s, rule_name)
    w("rules:")
    for name, rs in (*fmt.rules, *extra.items()):
        w(f"  {q(name)}:")
        pts = rs.scheme
        w(f"    points: {{win: {pts.win}, draw: {pts.draw}, loss: {pts.loss}}}")
        w(f"    ranking: {_seq(rs.ranking)}")
        w(f"    tie: {_seq(rs.tie)}")
        if rs.away_goals_after_extra_time:
            w("    away_goals_after_extra_time: true")
    w("pyramid:")
    w(f"  seed: {pyramid.seed}")
    w("  format:")
    dumped = yaml.safe_dump(format_data, allow_unicode=True, sort_keys=False, width=100)
    out.extend("    " + line for line in dumped.splitlines())
    out.extend(body)
    text = "\n".join(out) + "\n"
    return text + history_text(list(history)) if history else text


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
        else:
            b("        ties:")
            for t in rnd.ties:
                parts = [f"teams: {_seq(t.teams)}"]
                parts.append(
                    "legs: ["
                    + ", ".join(_leg_text(m, i % 2 == 1) for i, m in enumerate(t.legs))
                    + "]"
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
                b("          - {" + ", ".join(parts) + "}")


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
        return mapping_entries(m, result, q, qq)
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
