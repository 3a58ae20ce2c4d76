"""Season files (YAML): load, validate, and turn into a core :class:`Season`.

The file is validated in two passes: pydantic checks its shape (field names,
types), then :func:`build` checks its meaning (clubs exist, fixtures are
complete and not duplicated, scores are scores, recorded penalties are not
on ties already decided, criteria exist). Every error names the file, the
line and the field. The format is documented in ``docs/season-file.md``.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from copa.core.check import Finding, check
from copa.core.club import Club
from copa.core.criteria import CRITERIA
from copa.core.group import Adjustment, Group, GroupRules
from copa.core.grouping import RivalDraw
from copa.core.match import Match
from copa.core.points import PointsScheme
from copa.core.qualification import BEST_LOSERS_CHAIN, BEST_PLACED_CHAIN, BestPlaced
from copa.core.registry import Registry
from copa.core.resolve import SINGLE_MATCH
from copa.core.rules import RuleSet
from copa.core.season import Promotion, Season
from copa.core.stage import Advance, Designation, Round, Stage
from copa.core.standings import DEFAULT_CHAIN
from copa.core.tie import DEFAULT_TIE_CHAIN, TIE_CRITERIA, Tie, TieRules
from copa.limits import (
    MAX_CLUBS,
    MAX_GROUP_CLUBS,
    MAX_PLACE,
    quote,
    slot_ref,
)
from copa.spec import yamlkit
from copa.spec.errors import SeasonFileError as SeasonFileError
from copa.spec.files import read_bytes as read_bytes
from copa.spec.files import read_text as read_text
from copa.spec.fixture_notation import (
    NO_DETAILS,
    Details,
    DetailsError,
    model_details,
    split_details,
)
from copa.spec.history import HistoryModel
from copa.spec.quickmatch import plain_block, plain_match
from copa.spec.round_draws import check_draws, read_draws, rivals_of
from copa.spec.scores import Result, ScoreError, match_of, parse_match_line, parse_result

Path_ = tuple[str | int, ...]


# ---------------------------------------------------------------- shape (pydantic)


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PointsModel(StrictModel):
    win: int = 3
    draw: int = 1
    loss: int = 0


class RulesModel(StrictModel):
    points: PointsModel | None = None
    ranking: list[str] | None = None
    tie: list[str] | None = None
    #: the away-goals step applies again after extra time, counting its goals
    away_goals_after_extra_time: bool = False


class ClubModel(StrictModel):
    name: str
    aliases: list[str] = Field(default_factory=list)
    district: str = ""
    province: str = ""
    department: str = ""
    region: str = ""
    location: str = ""


class MatchModel(StrictModel):
    home: str
    away: str
    score: str = "scheduled"
    # fixture details (docs/season-file.md, "Fixtures")
    matchday: int | None = None
    date: str | None = None
    kickoff: str | None = None
    venue: str | None = None
    simulated: bool = False
    neutral: bool = False
    note: str = ""


class AdjustmentModel(StrictModel):
    club: str
    points: int
    reason: str = ""


class GroupModel(StrictModel):
    name: str
    clubs: list[str]
    #: a list of matches, or a block of text with one "Home 2-1 Away" per line
    matches: list[str | MatchModel] | str = Field(default_factory=list)
    deciders: list[str | MatchModel] | str = Field(default_factory=list)
    lots: list[str] = Field(default_factory=list)
    adjustments: list[AdjustmentModel] = Field(default_factory=list)
    #: points from cards per club in this round, for the fair_play criterion
    fair_play: dict[str, int] = Field(default_factory=dict)
    #: an external ranking given as data: coefficient per club, or a seeding list
    coefficients: dict[str, float] = Field(default_factory=dict)
    seeding: list[str] = Field(default_factory=list)
    #: a partial round robin: the pairs that meet (each pair plays ``legs`` times)
    pairings: list[list[str]] | None = None


class BestModel(StrictModel):
    place: int = Field(ge=1, le=MAX_PLACE)
    count: int = Field(default=1, ge=1, le=MAX_PLACE)
    ranking: list[str] | None = None
    fair: bool = True


class DesignationModel(StrictModel):
    order: list[str]
    by: Literal["lots", "organizer", "ruling"]
    reason: str = ""


class SelectionModel(StrictModel):
    """Who goes on from a round: written the same way in a season and in a format."""

    top: int = Field(default=0, ge=0, le=MAX_PLACE)
    best: list[BestModel] = Field(default_factory=list)
    winners: bool = False
    best_losers: int = Field(default=0, ge=0, le=MAX_PLACE)
    best_losers_ranking: list[str] | None = None


class AdvanceModel(SelectionModel):
    designated: list[DesignationModel] = Field(default_factory=list)
    lots: list[str] = Field(default_factory=list)
    #: every place down to ``top`` matters (a pyramid's ranked round: deciding
    #: matches and lots apply at each)
    ranked: bool = False


class TieModel(StrictModel):
    teams: list[str] = Field(min_length=2, max_length=2)
    legs: list[str] = Field(default_factory=list)
    decider: str | None = None
    #: the deciding match (replay) was played at this club's ground, not on neutral ground
    decider_host: str | None = None
    #: every match of the tie at a neutral ground
    neutral: bool = False
    winner: str | None = None
    decided_by: str | None = None
    lots: str | None = None
    walkover: str | None = None
    slots: list[str] | None = None
    positions: list[int | None] | None = None
    note: str = ""


class RoundModel(StrictModel):
    name: str
    rules: str | None = None
    legs: int | None = Field(default=None, ge=1, le=2)
    advance: AdvanceModel = Field(default_factory=AdvanceModel)
    groups: list[GroupModel] = Field(default_factory=list)
    ties: list[TieModel] = Field(default_factory=list)
    #: clubs entering at this round beside the qualifiers of the round before (byes, seeds)
    entrants: list[str] = Field(default_factory=list)
    #: earlier rounds of the stage whose beaten clubs play this round (repechage, 3rd place)
    losers_from: list[str] = Field(default_factory=list)
    #: a third-place play-off: its winner and loser are the stage's 3rd and 4th places
    third_place: bool = False
    #: figures across the round for its best-placed and best-loser rankings (fair_play,
    #: coefficient, seeding criteria): points from cards, a coefficient, a seeding list
    fair_play: dict[str, int] = Field(default_factory=dict)
    coefficients: dict[str, float] = Field(default_factory=dict)
    seeding: list[str] = Field(default_factory=list)
    #: every draw, slot map, bracket and rival choice that made the round's groups or
    #: ties (copa.spec.round_draws; docs/pyramid.md), replayable and checked on loading
    draws: list[dict[str, Any]] = Field(default_factory=list)


class StageModel(StrictModel):
    name: str
    kind: str
    region: str | None = None
    entrants: list[str] | None = None
    #: no rounds yet: a pyramid's stage still to be drawn (else a stage needs one)
    rounds: list[RoundModel] = Field(default_factory=list)
    places: DesignationModel | None = None
    #: in a pyramid: the district, province, ... the stage belongs to, the earlier
    #: places that enter it (``District Ate/1``) and how many rounds its plan has
    unit: str = ""
    entrants_from: list[str] = Field(default_factory=list)
    planned: int = Field(default=0, ge=0, le=MAX_PLACE)


class WikiTableModel(StrictModel):
    """One group's table as the article it was imported from writes it."""

    stage: str
    round: str
    group: str
    #: club -> the article's code for it in this table (``UNT``)
    codes: dict[str, str]
    #: the article's ``{{#invoke:sports table}}`` as written; an export keeps its
    #: codes, styling and parameter order and writes its values from the results
    text: str


#: the infobox parameters a wiki export keeps from the article (copa computes the others)
WIKI_INFOBOX_KEPT = ("prevseason", "nextseason")


class WikiModel(StrictModel):
    """The markup of the article a season was imported from (``copa export --format wiki``)."""

    #: infobox parameters copa does not compute, as written (``prevseason``, ``nextseason``)
    infobox: dict[str, str] = Field(default_factory=dict)
    tables: list[WikiTableModel] = Field(default_factory=list)


#: the season-file format version this copa reads and writes (``copa: 1``)
FORMAT_VERSION = 1


class PyramidInfo(StrictModel):
    """A pyramid season's ``pyramid:`` block: its seed and its whole pyramid format."""

    seed: int
    format: dict[str, Any]


class SeasonModel(StrictModel):
    #: how a ``structure:`` this document names is written in (copa.spec.structure)
    structure_kind: ClassVar[str] = "season"
    copa: int = 1
    competition: str
    season: str
    stats_scope: list[str] = Field(default_factory=list)
    promotion: dict[int, str] = Field(default_factory=dict)
    regions: dict[str, list[str]] = Field(default_factory=dict)
    rules: dict[str, RulesModel] = Field(default_factory=dict)
    clubs: list[ClubModel]
    stages: list[StageModel]
    #: every result entered or changed by copa (copa.io.history; docs/season-file.md)
    history: list[HistoryModel] = Field(default_factory=list)
    #: the markup of the article the season was imported from (docs/season-file.md, "wiki")
    wiki: WikiModel | None = None
    #: a pyramid season's seed and format (copa.spec.pyramid_file; docs/pyramid.md)
    pyramid: PyramidInfo | None = None

    @field_validator("season", mode="before")
    @classmethod
    def _season_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v

    @field_validator("copa")
    @classmethod
    def _version(cls, v: int) -> int:
        if v != FORMAT_VERSION:
            raise ValueError(
                f"{quote(v, 12)} is not a season-file version this copa reads "
                f"(it reads version {FORMAT_VERSION})"
            )
        return v

    @field_validator("promotion")
    @classmethod
    def _places(cls, v: dict[int, str]) -> dict[int, str]:
        for place in v:
            if not 1 <= place <= MAX_PLACE:
                raise ValueError(f"{quote(place, 12)} is not a place (1 is the champion)")
        return v


# ---------------------------------------------------------------- lines


def _line_map(text: str) -> dict[Path_, int]:
    """Line (1-based) of every node, by its path of keys and indices."""
    return yamlkit.line_map(text)


_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class BlockLine(int):
    """A line (0-based) inside a block of text: a group's matches written one per line."""


def entries(
    items: list[str | MatchModel] | str, path: Path_
) -> Iterator[tuple[str | MatchModel, Path_]]:
    """Each match of a list or of a block of lines, with the path that finds its line."""
    if isinstance(items, str):
        for k, line in enumerate(items.split("\n")):
            if line.strip():
                yield line, (*path, BlockLine(k))
    else:
        for i, item in enumerate(items):
            yield item, (*path, i)


def _field(path: Path_) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


@dataclass
class ErrorLocator:
    source: str
    text: str
    _lines: dict[Path_, int] | None = None

    def line(self, path: Path_) -> int | None:
        if path and isinstance(path[-1], BlockLine):
            # a block scalar's text starts on the line after its key
            base = self.line(path[:-1])
            return base + 1 + int(path[-1]) if base is not None else None
        if self._lines is None:
            self._lines = _line_map(self.text)
        p = tuple(path)
        while p:
            if p in self._lines:
                return self._lines[p]
            p = p[:-1]
        return self._lines.get((), None)

    def __call__(self, path: Path_, message: str) -> SeasonFileError:
        return SeasonFileError(self.source, self.line(path), _field(path), message)


# ---------------------------------------------------------------- meaning


def load_mapping(text: str, source: str, what: str) -> dict[str, Any]:
    """YAML text that must hold a mapping; ``what`` says what such a file holds."""
    try:
        data = yamlkit.load(text)
    except yamlkit.YamlError as e:
        raise SeasonFileError(source, e.line, "", e.message) from None
    if not isinstance(data, dict):
        raise SeasonFileError(source, 1, "", f"{what} is a YAML mapping")
    return data


M = TypeVar("M", bound=BaseModel)


def validate(
    model: type[M], data: object, err: ErrorLocator, tags: frozenset[str] = frozenset()
) -> M:
    """``model`` from ``data``; the first problem as a one-line error at its line.

    A document that names a structure (``structure: copa-peru-2011``) is read with
    it written in (:func:`copa.spec.structure.include`), by the model's kind."""
    kind = getattr(model, "structure_kind", None)
    if kind is not None and isinstance(data, dict) and "structure" in data:
        from copa.spec.structure import include

        data = include(data, kind, err)
    try:
        return model.model_validate(data)
    except ValidationError as e:
        first, message = _first_error(e.errors())
        skip = UNION_TAGS | tags
        loc = tuple(
            p
            for p in first["loc"]
            if not (isinstance(p, str) and (p in skip or p.startswith(("literal", "list["))))
        )
        raise err(loc, message) from None


def parse_season(text: str, source: str = "<season>") -> Season:
    """Load a season from YAML text; raises :class:`SeasonFileError` on bad input."""
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file (competition, season, clubs, stages)")
    return build(validate(SeasonModel, data, err), err)


UNION_TAGS = {"str", "MatchModel", "int", "none"}


def pydantic_message(e: Any) -> str:
    kind = e["type"]
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field (is it misspelt?)"
    if kind == "value_error":
        return str(e["msg"]).removeprefix("Value error, ")
    return str(e["msg"]).replace("Input should be", "should be")


def _first_error(errors: list[Any]) -> tuple[Any, str]:
    """The error to report, and its message: an unknown key before the field it
    may be a misspelling of (``competiton`` before "competition is required")."""
    unknown = [e for e in errors if e["type"] == "extra_forbidden"]
    if not unknown:
        return errors[0], pydantic_message(errors[0])
    first = unknown[0]
    key = first["loc"][-1]
    parent = first["loc"][:-1]
    missing = [
        str(e["loc"][-1])
        for e in errors
        if e["type"] == "missing" and tuple(e["loc"][:-1]) == tuple(parent)
    ]
    close = difflib.get_close_matches(str(key), missing or sorted(_field_names()), n=1)
    hint = f"; did you mean {close[0]}?" if close else " (is it misspelt?)"
    return first, f"unknown key {quote(key)}{hint}"


def _field_names() -> set[str]:
    names: set[str] = set()
    todo: list[type[BaseModel]] = [StrictModel]
    while todo:
        cls = todo.pop()
        names.update(cls.model_fields)
        todo.extend(cls.__subclasses__())
    return names


class _WikiOnly(BaseModel):
    model_config = ConfigDict(extra="ignore")
    wiki: WikiModel | None = None


def season_wiki(text: str, source: str = "<season>") -> WikiModel | None:
    """The ``wiki:`` section of a season file (None when it has none), shape-checked.

    Its meaning (stages, rounds, groups and clubs exist) is checked with the
    rest of the file by :func:`parse_season`.
    """
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a season file (competition, season, clubs, stages)")
    if "wiki" not in data:
        return None
    return validate(_WikiOnly, {"wiki": data["wiki"]}, err).wiki


def load_season(path: str | Path) -> Season:
    return parse_season(read_text(path), str(path))


ClubLookup = Callable[[str, Path_], str]


def build_clubs(
    model: SeasonModel, err: ErrorLocator
) -> tuple[ClubLookup, tuple[Club, ...], dict[str, tuple[str, ...]]]:
    """The clubs, a lookup from any of their names to the full name, and the regions."""
    if len(model.clubs) > MAX_CLUBS:
        raise err(
            ("clubs",),
            f"{len(model.clubs):,} clubs: copa takes at most {MAX_CLUBS:,} in a season "
            "(docs/limits.md)",
        )
    if not model.stages:
        raise err(("stages",), "a season needs at least one stage")
    names = club_names(model, err)

    def club(name: str, path: Path_) -> str:
        try:
            return names[name]
        except KeyError:
            raise err(path, f"unknown club {quote(name)}") from None

    regions = {k: tuple(v) for k, v in model.regions.items()}
    clubs = tuple(
        Club(
            c.name,
            tuple(c.aliases),
            c.district,
            c.province,
            c.department,
            c.region or region_of(c.department, regions),
            c.location,
        )
        for c in model.clubs
    )
    return club, clubs, regions


def build_entrants(
    s: StageModel,
    sp: Path_,
    club: ClubLookup,
    clubs: tuple[Club, ...],
    regions: dict[str, tuple[str, ...]],
    err: ErrorLocator,
) -> tuple[str, ...]:
    """A stage's entrants: listed, or the clubs of its region's departments."""
    if s.entrants is not None:
        return tuple(club(c, (*sp, "entrants", i)) for i, c in enumerate(s.entrants))
    if s.region is not None:
        if s.region not in regions:
            raise err((*sp, "region"), f"unknown region {quote(s.region)} (not in regions)")
        return tuple(c.name for c in clubs if c.department in regions[s.region])
    return ()


def build_places(s: StageModel, sp: Path_, club: ClubLookup) -> Designation | None:
    if s.places is None:
        return None
    return Designation(
        tuple(club(c, (*sp, "places", "order", i)) for i, c in enumerate(s.places.order)),
        s.places.by,
        s.places.reason,
    )


def season_from(
    model: SeasonModel,
    clubs: tuple[Club, ...],
    stages: list[Stage],
    regions: dict[str, tuple[str, ...]],
    err: ErrorLocator,
) -> Season:
    """The built season, once the engine's own check (:func:`copa.core.check.check`)
    finds no error in it; the first one is reported at its line."""
    season = Season(
        model.season,
        model.competition,
        clubs,
        tuple(stages),
        tuple(Promotion(p, d) for p, d in sorted(model.promotion.items())),
        tuple(model.stats_scope),
        tuple(regions.items()),
    )
    for found in check(season):
        raise err(finding_path(model, found), found.issue.message)
    return season


def finding_path(model: SeasonModel, found: Finding) -> Path_:
    """The path in the file of what the engine's check found."""
    base: Path_ = ("stages", found.stage, "rounds", found.round)
    if found.tie is not None:
        return (*base, "ties", found.tie)
    gi = found.group or 0
    gp: Path_ = (*base, "groups", gi)
    deciders = model.stages[found.stage].rounds[found.round].groups[gi].deciders
    paths = [dp for _, dp in entries(deciders, (*gp, "deciders"))]
    return paths[found.decider] if found.decider is not None else (*gp, "deciders")


def build(model: SeasonModel, err: ErrorLocator) -> Season:
    club, clubs, regions = build_clubs(model, err)
    rulesets = build_rulesets(model, err)
    stages = []
    earlier: set[str] = set()  # the names of the stages before this one
    for si, s in enumerate(model.stages):
        sp: Path_ = ("stages", si)
        if s.name in earlier:
            raise err((*sp, "name"), f"duplicate stage {quote(s.name)}")
        entrants: tuple[str, ...] = ()
        if s.entrants is not None or not s.entrants_from:
            entrants = build_entrants(s, sp, club, clubs, regions, err)
        for i, ref in enumerate(s.entrants_from):
            if slot_ref(ref, earlier) is None:
                raise err(
                    (*sp, "entrants_from", i),
                    f"{quote(ref)} is not 'Stage/place' of an earlier stage",
                )
        rounds = tuple(
            _round(r, (*sp, "rounds", ri), rulesets, club, err, earlier)
            for ri, r in enumerate(s.rounds)
        )
        for ri, r in enumerate(s.rounds):
            before = [x.name for x in s.rounds[:ri]]
            for i, name in enumerate(r.losers_from):
                if name not in before:
                    raise err(
                        (*sp, "rounds", ri, "losers_from", i),
                        f"{name!r} is not an earlier round of {s.name}",
                    )
        if not rounds and model.pyramid is None:  # a pyramid's stage may be still to draw
            raise err((*sp, "rounds"), "a stage needs at least one round")
        places = build_places(s, sp, club)
        earlier.add(s.name)
        stages.append(
            Stage(
                s.name,
                s.kind,
                rounds,
                entrants,
                places,
                s.region or "",
                tuple(s.entrants_from),
                s.unit,
                s.planned,
            )
        )
    if model.wiki is not None:
        check_wiki(model.wiki, stages, err)
    return season_from(model, clubs, stages, regions, err)


def check_wiki(wiki: WikiModel, stages: Sequence[Stage], err: ErrorLocator) -> None:
    """Each kept table names a group of the season, with a code for each of its clubs."""
    for i, t in enumerate(wiki.tables):
        tp: Path_ = ("wiki", "tables", i)
        stage = next((s for s in stages if s.name == t.stage), None)
        if stage is None:
            raise err((*tp, "stage"), f"no stage {quote(t.stage)} in this season")
        rnd = next((r for r in stage.rounds if r.name == t.round), None)
        if rnd is None:
            raise err((*tp, "round"), f"no round {quote(t.round)} in {stage.name}")
        group = next((g for g in rnd.groups if g.name == t.group), None)
        if group is None:
            raise err((*tp, "group"), f"no group {quote(t.group)} in {stage.name}, {rnd.name}")
        if set(t.codes) != set(group.clubs):
            missing = sorted(set(group.clubs) - set(t.codes))
            extra = sorted(set(t.codes) - set(group.clubs))
            what = (
                f"no code for {', '.join(missing)}"
                if missing
                else f"{', '.join(extra)} not in the group"
            )
            raise err((*tp, "codes"), f"{stage.name}, {rnd.name}, {group.name}: {what}")
        if len(set(t.codes.values())) != len(t.codes):
            raise err((*tp, "codes"), "two clubs share a code")


def region_of(department: str, regions: dict[str, tuple[str, ...]]) -> str:
    for region, departments in regions.items():
        if department in departments:
            return region
    return ""


def club_names(model: SeasonModel, err: ErrorLocator) -> dict[str, str]:
    names: dict[str, str] = {}
    for i, c in enumerate(model.clubs):
        for j, n in enumerate([c.name, *c.aliases]):
            if n in names and names[n] != c.name:
                path: Path_ = ("clubs", i, "name") if j == 0 else ("clubs", i, "aliases", j - 1)
                raise err(path, f"{quote(n)} already names {quote(names[n])}")
            if j == 0 and n in names:
                raise err(("clubs", i, "name"), f"club {quote(n)} is listed twice")
            names[n] = c.name
    return names


def build_rulesets(model: SeasonModel, err: ErrorLocator) -> dict[str, RuleSet]:
    out = {}
    for name, r in model.rules.items():
        p: Path_ = ("rules", name)
        check_chain(r.ranking or [], CRITERIA, (*p, "ranking"), err)
        check_chain(r.tie or [], TIE_CRITERIA, (*p, "tie"), err)
        pts = r.points or PointsModel()
        out[name] = RuleSet(
            PointsScheme(pts.win, pts.draw, pts.loss),
            tuple(r.ranking) if r.ranking else DEFAULT_CHAIN,
            tuple(r.tie) if r.tie else DEFAULT_TIE_CHAIN,
            r.away_goals_after_extra_time,
        )
    return out


def check_chain(
    names: Sequence[str], registry: Registry[Any], path: Path_, err: ErrorLocator
) -> tuple[str, ...]:
    """The one check of a chain's names against the core's registry (criteria or tie steps)."""
    for i, c in enumerate(names):
        if c not in registry:
            raise err((*path, i), registry.unknown(quote(c)))
    return tuple(names)


def _chain(
    names: list[str] | None, default: tuple[str, ...], path: Path_, err: ErrorLocator
) -> tuple[str, ...]:
    return default if names is None else check_chain(names, CRITERIA, path, err)


def build_match(entry: str | MatchModel, path: Path_, club: Any, err: ErrorLocator) -> Match:
    if isinstance(entry, str) and (quick := plain_match(entry, path, club)) is not None:
        return quick  # "Home 2-1 Away | matchday 3": copa.spec.quickmatch
    try:
        if isinstance(entry, str):
            text, fx = split_details(entry)
            home, away, res = parse_match_line(text)
        else:
            fx = model_details(entry)
            home, away, res = entry.home, entry.away, parse_result(entry.score)
    except (ScoreError, DetailsError) as e:
        raise err(path, str(e)) from None
    h, a = club(home, path), club(away, path)
    if h == a:
        raise err(path, f"{h} cannot play itself")
    neutral = isinstance(entry, MatchModel) and entry.neutral
    return _to_match(h, a, res, neutral, path, err, fx, club)


def _to_match(
    home: str,
    away: str,
    res: Result,
    neutral: bool,
    path: Path_,
    err: ErrorLocator,
    fx: Details = NO_DETAILS,
    club: Any = None,
) -> Match:
    winner, first = res.winner, res.first
    if club is not None:  # names as typed (aliases) -> the clubs' full names
        winner = club(winner, path) if winner is not None else None
        first = club(first, path) if first is not None else None
    try:
        return match_of(home, away, res, fx, neutral=neutral, winner=winner, first=first)
    except ValueError as e:
        raise err(path, str(e)) from None


def _leg_result(text: object, *, leg: bool = False) -> tuple[Result, Details]:
    """A leg's or deciding match's result and its fixture details (``"1-0 | matchday 2"``)."""
    fx = NO_DETAILS
    if isinstance(text, str) and "|" in text:
        text, fx = split_details(text)
    return parse_result(text, leg=leg), fx


def round_rules(
    r: RoundModel, path: Path_, rulesets: dict[str, RuleSet], err: ErrorLocator
) -> RuleSet | None:
    """The round's named rule set (None: the defaults), once its shape is checked."""
    rs = None
    if r.rules is not None:
        if r.rules not in rulesets:
            raise err(
                (*path, "rules"),
                f"unknown rule set {quote(r.rules)} (defined: {', '.join(rulesets) or 'none'})",
            )
        rs = rulesets[r.rules]
    if r.groups and r.ties:
        raise err(path, "a round has groups or ties, not both")
    if not r.groups and not r.ties:
        raise err(path, "a round needs groups or ties")
    return rs


def _round(
    r: RoundModel,
    path: Path_,
    rulesets: dict[str, RuleSet],
    club: Any,
    err: ErrorLocator,
    earlier: Collection[str],
) -> Round:
    rs = round_rules(r, path, rulesets, err)
    draws = read_draws(r.draws, (*path, "draws"), err)
    rivals = rivals_of(draws)
    adv = build_advance(r.advance, (*path, "advance"), club, err)
    groups = tuple(
        build_group(g, (*path, "groups", gi), rs, r.legs or 2, club, err, rivals)
        for gi, g in enumerate(r.groups)
    )
    ties = build_round_ties(r, path, groups, rs, club, err, earlier)
    check_draws(draws, groups, ties, (*path, "draws"), err)
    if r.third_place and (not r.losers_from or len(ties) != 1 or groups):
        raise err((*path, "third_place"), "a third-place play-off is one tie between losers_from")
    return Round(
        r.name,
        groups,
        ties,
        adv,
        draws,
        entrants=tuple(club(c, (*path, "entrants", i)) for i, c in enumerate(r.entrants)),
        losers_from=tuple(r.losers_from),
        third_place=r.third_place,
        fair_play=tuple((club(c, (*path, "fair_play", c)), v) for c, v in r.fair_play.items()),
        coefficients=tuple(
            (club(c, (*path, "coefficients", c)), v) for c, v in r.coefficients.items()
        ),
        seeding=tuple(club(c, (*path, "seeding", i)) for i, c in enumerate(r.seeding)),
    )


def build_round_ties(
    r: RoundModel,
    path: Path_,
    groups: Sequence[Group],
    rs: RuleSet | None,
    club: Any,
    err: ErrorLocator,
    earlier: Collection[str],
) -> tuple[Tie, ...]:
    """The round's ties, once no club is in two groups, two ties, or a group and a tie."""
    seen: dict[str, str] = {}
    for gi, g in enumerate(groups):
        for c in g.clubs:
            if c in seen:
                raise err((*path, "groups", gi, "clubs"), f"{c} is already in {seen[c]}")
            seen[c] = g.name
    ties = []
    for ti, t in enumerate(r.ties):
        tie = build_tie(t, (*path, "ties", ti), rs, r.legs or 2, club, err, earlier)
        for c in tie.teams:
            if c in seen:
                raise err(
                    (*path, "ties", ti, "teams"), f"{c} already plays in this round ({seen[c]})"
                )
            seen[c] = " v ".join(tie.teams)
        ties.append(tie)
    return tuple(ties)


def build_advance(a: AdvanceModel, path: Path_, club: Any, err: ErrorLocator) -> Advance:
    best = tuple(
        BestPlaced(
            b.place,
            b.count,
            _chain(b.ranking, BEST_PLACED_CHAIN, (*path, "best", i, "ranking"), err),
            b.fair,
        )
        for i, b in enumerate(a.best)
    )
    return Advance(
        a.top,
        best,
        a.winners,
        a.best_losers,
        _chain(a.best_losers_ranking, BEST_LOSERS_CHAIN, (*path, "best_losers_ranking"), err),
        tuple(
            Designation(
                tuple(club(c, (*path, "designated", i, "order", j)) for j, c in enumerate(d.order)),
                d.by,
                d.reason,
            )
            for i, d in enumerate(a.designated)
        ),
        tuple(club(c, (*path, "lots", i)) for i, c in enumerate(a.lots)),
        ranked=a.ranked,
    )


def _pairings(
    g: GroupModel, path: Path_, club: Any, members: set[str], err: ErrorLocator
) -> tuple[tuple[str, str], ...]:
    if g.pairings is None:
        return ()
    out: list[tuple[str, str]] = []
    for i, pair in enumerate(g.pairings):
        pp: Path_ = (*path, "pairings", i)
        if len(pair) != 2:
            raise err(pp, "a pairing names two clubs")
        a, b = club(pair[0], (*pp, 0)), club(pair[1], (*pp, 1))
        if a == b or a not in members or b not in members:
            raise err(pp, f"{a} v {b} is not a pairing of two clubs of {g.name}")
        if frozenset((a, b)) in {frozenset(p) for p in out}:
            raise err(pp, f"{a} v {b} is listed twice")
        out.append((a, b))
    return tuple(out)


def build_group(
    g: GroupModel,
    path: Path_,
    rs: RuleSet | None,
    legs: int,
    club: Any,
    err: ErrorLocator,
    rivals: RivalDraw | None = None,
) -> Group:
    """A group; with a ``rivals`` draw, a partial round robin: each club meets its
    rivals home and away, and no one else."""
    clubs = _group_clubs(g, path, club, err)
    members = set(clubs)
    rival_pairs = None
    if rivals is not None:
        rival_pairs = {p for a, b in rivals.pairs for p in ((a, b), (b, a))}
        legs = 2
    matches = _group_matches(g, path, members, legs, rival_pairs, club, err)
    group = Group(
        g.name,
        clubs,
        matches,
        GroupRules(rs.scheme, rs.ranking) if rs else GroupRules(),
        legs,
        tuple(build_match(e, dp, club, err) for e, dp in entries(g.deciders, (*path, "deciders"))),
        tuple(club(c, (*path, "lots", i)) for i, c in enumerate(g.lots)),
        tuple(
            Adjustment(club(a.club, (*path, "adjustments", i, "club")), a.points, a.reason)
            for i, a in enumerate(g.adjustments)
        ),
        tuple((club(c, (*path, "fair_play", c)), v) for c, v in g.fair_play.items()),
        tuple((club(c, (*path, "coefficients", c)), v) for c, v in g.coefficients.items()),
        tuple(club(c, (*path, "seeding", i)) for i, c in enumerate(g.seeding)),
        _pairings(g, path, club, members, err),
    )
    _check_fixtures(group, g, path, rival_pairs, err)
    decider_paths = [dp for _, dp in entries(g.deciders, (*path, "deciders"))]
    for d, dp in zip(group.deciders, decider_paths, strict=True):
        for c in (d.home, d.away):
            if c not in members:
                raise err(dp, f"{c} is not in {g.name}")
    return group


def _group_clubs(g: GroupModel, path: Path_, club: Any, err: ErrorLocator) -> tuple[str, ...]:
    if len(g.clubs) > MAX_GROUP_CLUBS:
        raise err(
            (*path, "clubs"),
            f"{len(g.clubs):,} clubs: a group has at most {MAX_GROUP_CLUBS:,} (docs/limits.md)",
        )
    clubs = tuple(club(c, (*path, "clubs", i)) for i, c in enumerate(g.clubs))
    if len(set(clubs)) != len(clubs):
        dup = next(c for c in clubs if clubs.count(c) > 1)
        raise err((*path, "clubs"), f"{dup} is listed twice")
    return clubs


def _group_matches(
    g: GroupModel,
    path: Path_,
    members: set[str],
    legs: int,
    rival_pairs: set[tuple[str, str]] | None,
    club: Any,
    err: ErrorLocator,
) -> tuple[Match, ...]:
    """The group's matches: between its clubs, each fixture once (once a pair when the
    group plays one leg), and only between rivals when a rivals draw made the group."""
    if rival_pairs is None and isinstance(g.matches, str):
        quick = plain_block(g.matches, club, members, legs)
        if quick is not None:  # else line by line, each error at its line
            return tuple(quick)
    matches = []
    count: dict[tuple[str, str], int] = {}
    for entry, mp in entries(g.matches, (*path, "matches")):
        m = build_match(entry, mp, club, err)
        for c in (m.home, m.away):
            if c not in members:
                raise err(mp, f"{c} is not in {g.name}")
        key = (m.home, m.away)
        pair = count.get(key, 0) + (count.get((m.away, m.home), 0) if legs == 1 else 0)
        if pair >= 1:
            raise err(mp, f"duplicate fixture {m.home} v {m.away}")
        if rival_pairs is not None and key not in rival_pairs:
            raise err(mp, f"{m.home} and {m.away} are not rivals in the recorded rivals draw")
        count[key] = count.get(key, 0) + 1
        matches.append(m)
    return tuple(matches)


def _check_fixtures(
    group: Group,
    g: GroupModel,
    path: Path_,
    rival_pairs: set[tuple[str, str]] | None,
    err: ErrorLocator,
) -> None:
    """Every fixture of the group is listed (played or not), and only those."""
    if group.pairings:
        allowed = {frozenset(p) for p in group.pairings}
        for m, (_, mp) in zip(group.matches, entries(g.matches, (*path, "matches")), strict=True):
            if frozenset((m.home, m.away)) not in allowed:
                raise err(mp, f"{m.home} v {m.away} is not one of the group's pairings")
    if rival_pairs is not None:
        have = {(m.home, m.away) for m in group.matches}
        lacking = sorted(rival_pairs - have)
        if lacking:
            a, b = lacking[0]
            raise err((*path, "matches"), f"missing fixture {a} v {b}: rivals meet home and away")
        return
    n = len(group.clubs)
    if not group.pairings and 2 * len(group.matches) == group.legs * n * (n - 1):
        return  # the matches are distinct fixtures of the group (_group_matches): all there
    missing = group.missing_fixtures()
    if missing:
        a, b = missing[0]
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        raise err(
            (*path, "matches"),
            f"missing fixture {a} v {b}{more}: "
            "list every fixture, as 'A v B' if it is not played yet",
        )


def build_tie(
    t: TieModel,
    path: Path_,
    rs: RuleSet | None,
    legs: int,
    club: Any,
    err: ErrorLocator,
    earlier: Collection[str],
) -> Tie:
    a, b = (club(c, (*path, "teams", i)) for i, c in enumerate(t.teams))
    if a == b:
        raise err((*path, "teams"), f"{a} cannot meet itself")
    rules = (
        TieRules(rs.tie, rs.scheme, rs.away_goals_after_extra_time)
        if rs
        else TieRules(DEFAULT_TIE_CHAIN if legs == 2 else SINGLE_MATCH.chain)
    )
    matches = _tie_legs(t, path, (a, b), legs, club, err)
    decider = _tie_decider(t, path, (a, b), club, err)
    _check_tie_claims(t, path, (a, b), club, err)
    slots = _tie_slots(t, path, earlier, err)
    positions: tuple[int | None, int | None] = (None, None)
    if t.positions is not None:
        if len(t.positions) != 2:
            raise err((*path, "positions"), "give two positions")
        positions = (t.positions[0], t.positions[1])
    return Tie(
        (a, b),
        matches,
        rules,
        decider,
        club(t.lots, (*path, "lots")) if t.lots else None,
        positions,
        club(t.walkover, (*path, "walkover")) if t.walkover else None,
        club(t.winner, (*path, "winner")) if t.winner else None,
        t.decided_by,
        slots,
        t.note,
    )


def _tie_legs(
    t: TieModel, path: Path_, teams: tuple[str, str], legs: int, club: Any, err: ErrorLocator
) -> tuple[Match, ...]:
    """The legs, written from the first club's side; the first club hosts leg 1."""
    a, b = teams
    if t.walkover is None and len(t.legs) != legs:
        what = "missing leg" if len(t.legs) < legs else "too many legs"
        raise err(
            (*path, "legs"),
            f"{what}: this round is played over {legs} leg(s), the tie lists {len(t.legs)}",
        )
    matches = []
    for i, text in enumerate(t.legs):
        lp: Path_ = (*path, "legs", i)
        try:
            res, fx = _leg_result(text, leg=legs > 1 and i == legs - 1)
        except (ScoreError, DetailsError) as e:
            raise err(lp, str(e)) from None
        home, away = (a, b) if i % 2 == 0 else (b, a)
        matches.append(
            _to_match(
                home, away, res if i % 2 == 0 else res.reversed(), t.neutral, lp, err, fx, club
            )
        )
    return tuple(matches)


def _tie_decider(
    t: TieModel, path: Path_, teams: tuple[str, str], club: Any, err: ErrorLocator
) -> Match | None:
    """The deciding match (replay): on neutral ground, or at ``decider_host``'s."""
    if t.decider is None:
        return None
    a, b = teams
    dp: Path_ = (*path, "decider")
    try:
        res, fx = _leg_result(t.decider)
    except (ScoreError, DetailsError) as e:
        raise err(dp, str(e)) from None
    host = club(t.decider_host, (*path, "decider_host")) if t.decider_host else None
    if host is not None and host not in (a, b):
        raise err((*path, "decider_host"), f"{host} is not in the tie {a} v {b}")
    if host == b:  # written from the first club's side, like every leg
        return _to_match(b, a, res.reversed(), False, dp, err, fx, club)
    return _to_match(a, b, res, host is None, dp, err, fx, club)


def _check_tie_claims(
    t: TieModel, path: Path_, teams: tuple[str, str], club: Any, err: ErrorLocator
) -> None:
    """The winner, lots and walkover name a club of the tie; ``decided_by`` a tie step."""
    a, b = teams
    for key in ("winner", "lots", "walkover"):
        v = getattr(t, key)
        if v is not None and club(v, (*path, key)) not in (a, b):
            raise err((*path, key), f"{v} is not in the tie {a} v {b}")
    if t.decided_by is not None and t.decided_by not in TIE_CRITERIA and t.decided_by != "walkover":
        raise err(
            (*path, "decided_by"), TIE_CRITERIA.unknown(quote(t.decided_by)) + ", or walkover"
        )


def _tie_slots(
    t: TieModel, path: Path_, earlier: Collection[str], err: ErrorLocator
) -> tuple[str, str] | None:
    """The places of earlier stages the tie's clubs came from (``Region I/1``)."""
    if t.slots is None:
        return None
    if len(t.slots) != 2:
        raise err((*path, "slots"), "a tie has two slots")
    for i, s in enumerate(t.slots):
        if slot_ref(s, earlier) is None:
            raise err((*path, "slots", i), f"{quote(s)} is not 'Stage/place' of an earlier stage")
    return (t.slots[0], t.slots[1])
