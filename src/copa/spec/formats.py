"""Format files and presets: a season's structure without its results.

An article, a CSV file or a football.json file gives results; it cannot say
which rules decide a round, who goes on, how the places of a stage were set
or which regional places meet in the national stage. A *format file* says
that: it is a season file (``docs/season-file.md``) whose rounds list no
matches, plus where each stage and round is found in a source (``section``,
``aliases``), the groups of a round (``groups``, optionally with their clubs
and any drawing of lots) and the slot pairings of a round (``slots``).
copa ships presets in ``copa/data/formats``; a preset whose ``recognise``
block matches an article's infobox is used without being named.
The format is documented in ``docs/import.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import yaml
from pydantic import Field, field_validator

from copa.core.season import Season
from copa.limits import quote, slot_ref
from copa.spec.files import bundled_names, find
from copa.spec.fold import fold
from copa.spec.season_file import (
    AdvanceModel,
    ClubModel,
    DesignationModel,
    ErrorLocator,
    RulesModel,
    StrictModel,
    load_mapping,
    validate,
)
from copa.spec.season_writer import write_season

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_M = StrictModel


class FormatGroup(_M):
    """A group of a round: its name, and optionally its clubs (the draw) and a drawing of lots."""

    name: str
    clubs: list[str] | None = None
    lots: list[str] = []


class FormatRound(_M):
    name: str
    #: the heading the round has in an article (default: its name)
    section: str | None = None
    #: other names sources use for the round ("Octavos de final", "R16")
    aliases: list[str] = []
    rules: str | None = None
    legs: int | None = Field(default=None, ge=1, le=2)
    advance: AdvanceModel = AdvanceModel()
    #: a group round lists its groups; a knockout round lists none
    groups: list[str | FormatGroup] = []
    #: pairings of earlier stages' places, e.g. [Region I/1, Region II/2]
    slots: list[list[str]] = []

    def group_specs(self) -> list[FormatGroup]:
        return [FormatGroup(name=g) if isinstance(g, str) else g for g in self.groups]


class FormatStage(_M):
    name: str
    kind: str
    section: str | None = None
    aliases: list[str] = []
    region: str | None = None
    entrants: list[str] | None = None
    rounds: list[FormatRound]
    places: DesignationModel | None = None


class Recognise(_M):
    competition: str
    season: str | None = None

    @field_validator("season", mode="before")
    @classmethod
    def _season_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


class FormatModel(_M):
    structure_kind: ClassVar[str] = "import"
    format: int = 1
    description: str = ""
    recognise: Recognise | None = None
    competition: str | None = None
    season: str | None = None
    stats_scope: list[str] = []
    promotion: dict[int, str] = {}
    regions: dict[str, list[str]] = {}
    rules: dict[str, RulesModel] = {}
    clubs: list[ClubModel] = []
    stages: list[FormatStage]

    @field_validator("season", mode="before")
    @classmethod
    def _season_text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) else v


@dataclass(frozen=True)
class Format:
    """A loaded format and where it came from (said to the user, written in the season file)."""

    model: FormatModel
    origin: str
    source: str
    #: the file's text, to point errors in what it says at its lines
    text: str = ""


def presets() -> list[str]:
    """Names of the shipped presets."""
    return bundled_names("formats")


def parse_format(text: str, source: str, origin: str = "") -> Format:
    """Load a format from YAML text; errors name the file, line and field."""
    err = ErrorLocator(source, text)
    data = load_mapping(text, source, "a format file (stages, rules, ...)")
    model = validate(FormatModel, data, err, frozenset({"FormatGroup"}))
    _check(model, err)
    return Format(model, origin or f"format file {source}", source, text)


def _check(model: FormatModel, err: ErrorLocator) -> None:
    """What the shape cannot say: rule sets exist, names are unique, slots look like slots."""
    stages: list[str] = []
    for si, s in enumerate(model.stages):
        if s.name in stages:
            raise err(("stages", si, "name"), f"duplicate stage {quote(s.name)}")
        rounds: list[str] = []
        for ri, r in enumerate(s.rounds):
            p = ("stages", si, "rounds", ri)
            if r.name in rounds:
                raise err((*p, "name"), f"duplicate round {quote(r.name)} in {s.name}")
            rounds.append(r.name)
            if r.rules is not None and r.rules not in model.rules:
                known = ", ".join(model.rules) or "none"
                raise err((*p, "rules"), f"unknown rule set {quote(r.rules)} (defined: {known})")
            names = [g.name for g in r.group_specs()]
            if len(set(names)) != len(names):
                raise err((*p, "groups"), "a group is listed twice")
            for i, pair in enumerate(r.slots):
                if len(pair) != 2:
                    raise err((*p, "slots", i), "a slot pairing has two places")
                for ref in pair:
                    if slot_ref(ref, stages) is None:
                        raise err(
                            (*p, "slots", i),
                            f"{quote(ref)} is not 'Stage/place' of an earlier stage",
                        )
        stages.append(s.name)


def load_format(ref: str) -> Format:
    """A preset by name (``copa-peru-2011``) or a format file by path."""
    found = find(ref, "formats", what="format file", kind="preset")
    if found.name is None:
        return parse_format(found.text, found.source)
    return parse_format(found.text, found.source, f"preset {found.name}")


def recognise(competition: str | None, season: str | None) -> Format | None:
    """The preset whose ``recognise`` block names this competition and season, if exactly one."""
    if not competition:
        return None
    found = []
    for name in presets():
        fmt = load_format(name)
        r = fmt.model.recognise
        if r is None or fold(r.competition) != fold(competition):
            continue
        if r.season is not None and fold(r.season) != fold(season or ""):
            continue
        found.append(fmt)
    return found[0] if len(found) == 1 else None


def format_of(season: Season) -> FormatModel:
    """The format of ``season``: everything but its results (used to round-trip exports)."""
    data = yaml.load(write_season(season), Loader=_Loader)
    data.pop("copa", None)
    for stage in data["stages"]:
        for rnd in stage["rounds"]:
            groups = rnd.pop("groups", [])
            ties = rnd.pop("ties", [])
            if groups:
                rnd["groups"] = [
                    {"name": g["name"], "clubs": g["clubs"], "lots": g.get("lots", [])}
                    for g in groups
                ]
            slots = [t["slots"] for t in ties if t.get("slots")]
            if slots:
                rnd["slots"] = slots
    data["season"] = str(data["season"])
    return FormatModel.model_validate(data)


def dump_format(model: FormatModel) -> str:
    """A format as YAML text (stable, for tests and for users to start from)."""
    data = model.model_dump(exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
