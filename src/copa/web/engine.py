"""The adapter between the database and the pure engine.

A season file is split into its *spec* (the same document with every score
left out: structure and rules) and its *fixtures* (each match, with where it
sits in the document). To compute the season, the confirmed results are
written back into a copy of the spec and the season file's own builder
(:func:`copa.spec.season_file.build`) and :func:`copa.core.resolve` do the
rest: one definition of a season, shared with the command line.

The resolved season is cached per season and version; confirming or
reverting a result raises the version.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NamedTuple

from copa.core import Season, SeasonResult, resolve
from copa.core.match import MatchStatus, Score
from copa.spec.scores import Result as ScoreResult
from copa.spec.scores import format_result, parse_match_line, parse_result
from copa.spec.season_file import (
    ErrorLocator,
    SeasonFileError,
    SeasonModel,
    build,
    load_mapping,
    validate,
)

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class FixtureSpec:
    key: Key
    stage: str
    region: str
    round: str
    unit: str
    kind: str
    leg: int | None
    legs: int
    home: str
    away: str
    neutral: bool
    #: the result in the file, from this fixture's home side (None: not played yet)
    result: ScoreResult | None
    matchday: int | None
    allows_extra_time: bool
    allows_penalties: bool
    date: str | None = None
    kickoff: str | None = None
    venue: str | None = None


def key_text(key: Key) -> str:
    return "/".join(str(k) for k in key)


def parse_key(text: str) -> Key:
    return tuple(int(p) if p.isdigit() else p for p in text.split("/"))


def _model_and_season(data: dict[str, Any], err: ErrorLocator) -> tuple[Any, Season]:
    """The validated document and the season it builds: a plain or a pyramid season file.

    A pyramid season file (made by ``copa new-season``) also holds its format,
    its draws and the stages still to come; its own loader checks all of it.
    """
    model = validate(SeasonModel, data, err)  # one reader: the pyramid block is optional
    return model, build(model, err)


def is_pyramid(doc: dict[str, Any]) -> bool:
    return "pyramid" in doc


_DETAIL_KEYS = ("matchday", "date", "kickoff", "venue")


def split_season(text: str, source: str) -> tuple[dict[str, Any], list[FixtureSpec], Season]:
    """A season file's text -> (spec without scores, its fixtures, the season as played)."""
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file (competition, season, clubs, stages)")
    model, season = _model_and_season(data, err)  # the file must be valid as it is
    doc = model.model_dump(mode="json", exclude_defaults=True)
    doc.setdefault("copa", 1)
    names = {}
    for c in season.clubs:
        names[c.name] = c.name
        for a in c.aliases:
            names[a] = c.name
    chains = {n: (r.get("tie") or []) for n, r in doc.get("rules", {}).items()}
    fixtures: list[FixtureSpec] = []
    for si, s in enumerate(doc["stages"]):
        for ri, r in enumerate(s.get("rounds", [])):
            at = _Round(
                ("stages", si, "rounds", ri), s["name"], s.get("region") or s["name"], r["name"]
            )
            for gi, g in enumerate(r.get("groups", [])):
                fixtures += _group_fixtures(at, gi, g, names)
            legs = r.get("legs") or 2
            chain = chains.get(r.get("rules") or "", []) or _default_chain(legs)
            for ti, t in enumerate(r.get("ties", [])):
                fixtures += _tie_fixtures(at, ti, t, names, legs, chain)
    return doc, [_details(f, season) for f in fixtures], season


def _default_chain(legs: int) -> tuple[str, ...]:
    """The core's steps for a tie whose rules name none (over two legs, or one match)."""
    from copa.core.resolve import SINGLE_MATCH
    from copa.core.tie import TieRules

    return TieRules().chain if legs == 2 else SINGLE_MATCH.chain


@dataclass(frozen=True)
class _Round:
    """Where a round sits in the document, its stage's name and region, and its name."""

    key: Key
    stage: str
    region: str
    round: str


def _group_fixtures(
    at: _Round, gi: int, g: dict[str, Any], names: dict[str, str]
) -> list[FixtureSpec]:
    """A group's matches and deciding matches as fixtures; in ``g``, each left scheduled."""
    from copa.spec.fixture_notation import split_details

    fixtures = []
    for part in ("matches", "deciders"):
        items = g.get(part, [])
        if isinstance(items, str):
            items = [ln for ln in items.split("\n") if ln.strip()]
        out = []
        for mi, item in enumerate(items):
            details: dict[str, Any] = {}
            if isinstance(item, str):
                line, fx = split_details(item)
                home, away, res = parse_match_line(line)
                neutral = False
                details = {k: getattr(fx, k) for k in _DETAIL_KEYS if getattr(fx, k)}
            else:
                details = {k: item[k] for k in _DETAIL_KEYS if item.get(k)}
                home, away = item["home"], item["away"]
                res = parse_result(item.get("score", "scheduled"))
                neutral = bool(item.get("neutral", False))
            entry: dict[str, Any] = {"home": names[home], "away": names[away], "score": "scheduled"}
            if neutral:
                entry["neutral"] = True
            entry.update(details)
            out.append(entry)
            decider = part == "deciders"
            fixtures.append(
                FixtureSpec(
                    (*at.key, "groups", gi, part, mi),
                    at.stage,
                    at.region,
                    at.round,
                    g["name"],
                    "decider" if decider else "group",
                    None,
                    1,
                    names[home],
                    names[away],
                    neutral or decider,
                    _stored(res),
                    # the file's order is not a matchday: claim none
                    None,
                    decider,
                    decider,
                )
            )
        g[part] = out
    return fixtures


def _tie_fixtures(
    at: _Round,
    ti: int,
    t: dict[str, Any],
    names: dict[str, str],
    legs: int,
    chain: Any,
) -> list[FixtureSpec]:
    """A tie's legs and deciding match as fixtures; in ``t``, each left scheduled."""
    from copa.spec.fixture_notation import split_details

    a, b = names[t["teams"][0]], names[t["teams"][1]]
    t["teams"] = [a, b]
    unit = f"{a} v {b}"
    et, pens = "extra_time" in chain, "penalties" in chain
    fixtures = []
    for li, leg_text in enumerate(t.get("legs", [])):
        text, _fx = split_details(leg_text)
        res = parse_result(text, leg=legs > 1 and li == legs - 1)
        home, away = (a, b) if li % 2 == 0 else (b, a)
        last = li == legs - 1
        fixtures.append(
            FixtureSpec(
                (*at.key, "ties", ti, "legs", li),
                at.stage,
                at.region,
                at.round,
                unit,
                "leg",
                li + 1 if legs > 1 else None,
                legs,
                home,
                away,
                bool(t.get("neutral", False)),
                _stored(res if li % 2 == 0 else res.reversed()),
                li + 1,
                last and et,
                last and pens,
            )
        )
        t["legs"][li] = "scheduled" + _suffix(leg_text)
    if t.get("decider") is not None:
        res = parse_result(split_details(t["decider"])[0])
        fixtures.append(
            FixtureSpec(
                (*at.key, "ties", ti, "decider"),
                at.stage,
                at.region,
                at.round,
                unit,
                "decider",
                None,
                legs,
                a,
                b,
                True,
                _stored(res),
                legs + 1,
                True,
                True,
            )
        )
        t["decider"] = "scheduled" + _suffix(t["decider"])
    # claims about the outcome are the engine's to make from the results
    t.pop("winner", None)
    t.pop("decided_by", None)
    return fixtures


def _details(f: FixtureSpec, season: Season) -> FixtureSpec:
    """The fixture's matchday, date, kickoff and venue, as the season file gives them."""
    import dataclasses

    k = f.key
    rnd = season.stages[int(k[1])].rounds[int(k[3])]
    try:
        if k[4] == "groups":
            g = rnd.groups[int(k[5])]
            m = (g.matches if k[6] == "matches" else g.deciders)[int(k[7])]
        else:
            t = rnd.ties[int(k[5])]
            m = t.legs[int(k[7])] if k[6] == "legs" else t.decider  # type: ignore[assignment]
    except (IndexError, AttributeError):
        return f
    if m is None:
        return f
    day = getattr(m, "matchday", None)
    return dataclasses.replace(
        f,
        matchday=day if day is not None else f.matchday,
        date=getattr(m, "date", None),
        kickoff=getattr(m, "kickoff", None),
        venue=getattr(m, "venue", None),
    )


def _suffix(text: str) -> str:
    """A match text's fixture details (`` | matchday 2 | 2026-03-14``), kept in the spec."""
    head, bar, tail = text.partition("|")
    return f" |{tail}" if bar else ""


def _stored(res: ScoreResult) -> ScoreResult | None:
    if res.score is None and res.status is MatchStatus.SCHEDULED:
        return None
    return res


def _set(doc: dict[str, Any], key: Key, value: str) -> None:
    node: Any = doc
    for k in key[:-1]:
        node = node[k]
    last = key[-1]
    if isinstance(node[last], dict):
        node[last]["score"] = value
    else:
        node[last] = value + _suffix(node[last])


def fill(
    spec: dict[str, Any],
    results: dict[str, ScoreResult],
    lots: list[tuple[str, list[str]]] | None = None,
) -> dict[str, Any]:
    """A copy of the spec with each result (by fixture key, fixture's home side) written in,
    and each drawing of lots (by group or tie key: the drawn order, first drawn first)."""
    doc = copy.deepcopy(spec)
    for k, order in lots or ():
        node: Any = doc
        for part in parse_key(k):
            node = node[part]
        if "teams" in node:  # a tie: the winner of the drawing
            node["lots"] = order[0]
        elif "clubs" not in node:  # a stage: its places, in the order drawn
            node["places"] = {"order": list(order), "by": "lots", "reason": "drawing of lots"}
        else:  # a group: the drawn clubs go after any drawn before, in the drawn order
            node["lots"] = [c for c in node.get("lots", []) if c not in order] + list(order)
    for k, res in results.items():
        key = parse_key(k)
        # legs are written from the tie's first club's side; the second leg is hosted by the other
        from_first = res if not (key[-2] == "legs" and int(key[-1]) % 2 == 1) else res.reversed()
        _set(doc, key, format_result(from_first))
    return doc


def build_season(doc: dict[str, Any], source: str = "season") -> Season:
    err = ErrorLocator(source, "")
    return _model_and_season(doc, err)[1]


def to_score_result(r: Any) -> ScoreResult:
    """A :class:`copa.web.models.Result` row (or a form's cleaned values) as a score result."""

    def sc(h: int | None, a: int | None) -> Score | None:
        return Score(h, a) if h is not None and a is not None else None

    status = MatchStatus(r.status)  # Result.Status's values are the engine's
    if status is MatchStatus.NOT_PLAYED:
        return ScoreResult(None, status=status)
    return ScoreResult(
        sc(r.home_goals, r.away_goals),
        sc(r.et_home, r.et_away),
        sc(r.pen_home, r.pen_away),
        status,
        sc(r.orig_home, r.orig_away),
    )


def result_text(r: Any) -> str:
    return format_result(to_score_result(r))


# ---------------------------------------------------------------- computing, cached


class Computed(NamedTuple):
    """A season as the engine resolved it at one version, and its JSON document."""

    version: int
    season: Season
    result: SeasonResult
    json: dict[str, Any]


_cache: dict[int, Computed] = {}
_lock = threading.Lock()


def confirmed_results(season_id: int, extra: dict[str, ScoreResult] | None = None) -> dict:
    from copa.web.models import SCORE_FIELDS, Result

    fields = ("status", *SCORE_FIELDS)
    rows = Result.objects.filter(
        fixture__season_id=season_id, state=Result.State.CONFIRMED
    ).values_list("fixture__key", *fields)
    out = {}
    for key, *values in rows:
        out[key] = to_score_result(SimpleNamespace(**dict(zip(fields, values, strict=True))))
    if extra:
        out.update(extra)
    return out


def compute(season: Any) -> Computed:
    """The season as the engine resolves it from the spec and the confirmed results."""
    got = _cache.get(season.pk)
    if got is not None and got.version == season.version:
        return got
    with _lock:
        got = _cache.get(season.pk)
        if got is not None and got.version == season.version:
            return got
        from copa.sinks.export_json import to_json

        built = build_season(filled(season), season.slug)
        result = resolve(built)
        computed = Computed(season.version, built, result, to_json(result))
        _cache[season.pk] = computed
        return computed


def confirmed_lots(season_id: int, extra: list[tuple[str, list[str]]] | None = None) -> list:
    from copa.web.models import Lots

    rows = Lots.objects.filter(season_id=season_id, state=Lots.State.CONFIRMED).order_by("pk")
    return [(k, list(o)) for k, o in rows.values_list("key", "order")] + list(extra or [])


def filled(
    season: Any,
    extra: dict[str, ScoreResult] | None = None,
    spec: dict[str, Any] | None = None,
    lots: list[tuple[str, list[str]]] | None = None,
) -> dict[str, Any]:
    """The season's spec with its confirmed results and drawings of lots written in."""
    return fill(
        season.spec if spec is None else spec,
        confirmed_results(season.pk, extra),
        confirmed_lots(season.pk, lots),
    )


def check_candidate(season: Any, key: str, res: ScoreResult) -> str | None:
    """None if the season still builds with ``res`` confirmed at ``key``, else why not."""
    doc = filled(season, {key: res})
    try:
        build_season(doc, season.slug)
    except SeasonFileError as e:
        return e.message
    return None


def forget(season_id: int) -> None:
    _cache.pop(season_id, None)


__all__ = [
    "Computed",
    "FixtureSpec",
    "SeasonFileError",
    "build_season",
    "check_candidate",
    "compute",
    "fill",
    "split_season",
]
