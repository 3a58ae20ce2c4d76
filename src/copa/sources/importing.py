"""What the importers share: placing results in a format, clubs, notes, building the season.

An importer reads its source into a :class:`Draft`: clubs (with where they
were listed), group results and tie results, each placed in the format's
stages and rounds by :class:`Locator`, plus :class:`Note` entries for all
it could not map. :func:`finish` turns the draft into a season-file model
and builds it with :func:`copa.spec.season_file.build`, so an imported season
obeys exactly the checks a season file does; any error is reported at the
source line the offending result came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from copa.core.resolve import resolve
from copa.core.season import Season
from copa.limits import quote
from copa.sources.names import Resolution, Resolver
from copa.sources.reader import Options
from copa.spec.fold import fold
from copa.spec.formats import Format, FormatModel
from copa.spec.scores import Result, format_result
from copa.spec.season_file import (
    AdjustmentModel,
    ClubModel,
    ErrorLocator,
    GroupModel,
    MatchModel,
    RoundModel,
    SeasonFileError,
    SeasonModel,
    StageModel,
    TieModel,
    WikiModel,
    build,
    parse_season,
    pydantic_message,
)
from copa.spec.season_writer import write_season
from copa.wikitext.edit import Edit

Path_ = tuple[str | int, ...]

#: section titles that hold deciding matches (after a group or inside a knockout round)
TIEBREAK_TITLES = frozenset(
    {
        "tiebreaker",
        "tiebreakers",
        "tie-breaker",
        "tie breaker",
        "desempate",
        "decider",
        "deciding match",
        "play-off",
        "playoff",
    }
)


@dataclass(frozen=True)
class Note:
    """One thing the import reports: something not mapped, a name read by a rule, a conflict."""

    line: int | None
    message: str
    kind: str = "not mapped"

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line else source
        return f"{where}: {self.kind}: {self.message}"


@dataclass(frozen=True)
class Finding:
    """A published claim that its own results contradict (or cannot support)."""

    check: str
    where: str
    line: int | None
    subject: str
    published: str
    computed: str
    note: str = ""
    #: the change to the source that corrects this claim (None: no single parameter does)
    edit: Edit | None = None
    #: a finding that one other cell explains names that cell ("match_HUA_UTC")
    explained_by: str = ""

    def text(self) -> str:
        out = f"{self.where}: {self.subject}"
        if self.published or self.computed:
            out += f": published {self.published}, results give {self.computed}"
        return f"{out} ({self.note})" if self.note else out

    def as_dict(self) -> dict[str, object]:
        keys = ("check", "where", "line", "subject", "published", "computed", "note")
        out: dict[str, object] = {key: getattr(self, key) for key in keys}
        e = self.edit
        out["fix"] = None if e is None else {"parameter": e.param, "from": e.old, "to": e.new}
        out["explained_by"] = self.explained_by or None
        return out


# ---------------------------------------------------------------- placing


@dataclass(frozen=True)
class Place:
    """Where a result belongs in the format: stage and round indices, group, tiebreaker."""

    stage: int
    round: int
    group: str | None = None
    tiebreaker: bool = False


class Locator:
    """Places a section path (``("Region II", "Group B")``) in the format's stages and rounds.

    A stage matches its ``name``, ``section`` or an alias anywhere in the path;
    its round (or a group of a group round) must come right after it, a group
    right after its round. When no stage title is in the path, a round title
    only one stage has still places it. The deepest match wins; two equally
    deep matches are ambiguous.
    """

    def __init__(self, fmt: FormatModel) -> None:
        self.fmt = fmt
        self.stage_titles = [_titles(s.name, s.section, s.aliases) for s in fmt.stages]
        self.round_titles = [
            [_titles(r.name, r.section, r.aliases) for r in s.rounds] for s in fmt.stages
        ]
        seen: set[str] = set()
        self.shared: set[str] = set()
        for rows in self.round_titles:
            titles = set().union(*rows) if rows else set()
            self.shared |= titles & seen
            seen |= titles
        groups = {fold(g.name) for s in fmt.stages for r in s.rounds for g in r.group_specs()}
        self.known = set().union(*self.stage_titles, seen, groups)

    def stage_of(self, path: Sequence[str]) -> int | None:
        p = [fold(x) for x in path]
        hits = [
            (i, si) for si, t in enumerate(self.stage_titles) for i, x in enumerate(p) if x in t
        ]
        if not hits:
            return None
        deepest = max(i for i, _ in hits)
        found = {si for i, si in hits if i == deepest}
        return found.pop() if len(found) == 1 else None

    def place(self, path: Sequence[str]) -> Place | str:
        """The place of ``path``, or a sentence saying why there is none.

        The stage, round and group titles must follow one another in the path
        (anything may come before the stage or after the round); a tiebreaker
        title anywhere marks the deciding matches of that round or group.
        """
        folded = [fold(x) for x in path]
        p = [x for x in folded if x not in TIEBREAK_TITLES or x in self.known]
        tiebreaker = len(p) < len(folded)
        hits = [
            (si, i) for si, t in enumerate(self.stage_titles) for i, x in enumerate(p) if x in t
        ]
        fallback = not hits
        if fallback:
            hits = [(si, -1) for si in range(len(self.fmt.stages))]
        cands: list[tuple[int, int, Place]] = []
        for si, i in hits:
            for ri, rnd in enumerate(self.fmt.stages[si].rounds):
                titles = self.round_titles[si][ri]
                if fallback and titles & self.shared:
                    continue  # a round title several stages use needs its stage in the path
                r_hits = [
                    j for j in range(i + 1, len(p)) if p[j] in titles and (fallback or j == i + 1)
                ]
                specs = rnd.group_specs()
                if not specs:
                    cands += [(j, i, Place(si, ri, None, tiebreaker)) for j in r_hits]
                    continue
                starts = [j + 1 for j in r_hits] or ([] if fallback else [i + 1])
                grouped = False
                for g in specs:
                    for k in starts:
                        if k < len(p) and p[k] == fold(g.name):
                            grouped = True
                            cands.append((k, i, Place(si, ri, g.name, tiebreaker)))
                if not grouped and len(specs) == 1:
                    cands += [(j, i, Place(si, ri, specs[0].name, tiebreaker)) for j in r_hits]
        if not cands:
            return (
                "no stage and round of the format matches section "
                f"{quote(' > '.join(path)) if path else '(none)'}"
            )
        best = max((d, i) for d, i, _ in cands)
        places = {pl for d, i, pl in cands if (d, i) == best}
        if len(places) > 1:
            names = "; ".join(sorted(self.describe(pl) for pl in places))
            return f"section {quote(' > '.join(path))} could be {names}"
        return places.pop()

    def describe(self, place: Place) -> str:
        s = self.fmt.stages[place.stage]
        text = f"{s.name}, {s.rounds[place.round].name}"
        return f"{text}, {place.group}" if place.group else text


def _titles(name: str, section: str | None, aliases: list[str]) -> frozenset[str]:
    return frozenset(fold(t) for t in (name, section or name, *aliases))


# ---------------------------------------------------------------- clubs


@dataclass
class _Entry:
    model: ClubModel
    listed: bool = False
    discovered: bool = False


class ClubBook:
    """The season's clubs: the format's, the source's list, and any found only in results.

    Order: the source's list, then the format's other clubs, then clubs found
    in results. A field both give and disagree on is reported; the format's wins.
    """

    def __init__(self, fmt: FormatModel, notes: list[Note], source: str) -> None:
        self.notes = notes
        self.source = source
        self.entries: dict[str, _Entry] = {}
        self.order: list[str] = []
        self.resolver = Resolver([])
        for c in fmt.clubs:
            self.entries[c.name] = _Entry(c.model_copy(deep=True))
            self.resolver.add(c.name, tuple(c.aliases), c.location)
        self.listed_any = False

    def list_club(self, name: str, line: int | None, **fields: str) -> str:
        """A club a source lists (qualifiers table, clubs file): merged into the format's entry."""
        self.listed_any = True
        hit = self.resolver.resolve(name)
        full = hit.name if hit.name is not None and not hit.by_rule else name
        entry = self.entries.get(full)
        if entry is None:
            entry = _Entry(ClubModel(name=full))
            self.entries[full] = entry
            self.resolver.add(full, (), fields.get("location", ""))
        if entry.listed:
            self.notes.append(Note(line, f"{full} is listed twice; the first listing is kept"))
            return full
        entry.listed = True
        self.order.append(full)
        for key, value in fields.items():
            if key == "aliases":
                continue
            have = getattr(entry.model, key)
            if value and have and fold(have) != fold(value):
                self.notes.append(
                    Note(
                        line,
                        f"{full}: the format file gives {key} {quote(have)}, "
                        f"the source {quote(value)}; "
                        "kept the format file's",
                        "conflict",
                    )
                )
            elif value and not have:
                setattr(entry.model, key, value)
        for alias in fields.get("aliases", "").split(";"):
            alias = alias.strip()
            if alias and alias not in entry.model.aliases:
                entry.model.aliases.append(alias)
                self.resolver.add(full, (alias,), "")
        return full

    def result_name(self, written: str, line: int | None) -> str:
        """A name in a result: resolved, or added as a new club (reported); ambiguous: an error."""
        hit = self.resolver.resolve(written)
        if hit.name is not None:
            if hit.by_rule:
                self.notes.append(
                    Note(line, f"{quote(written)} read as {hit.name} ({hit.how})", "name")
                )
            return hit.name
        if hit.candidates:
            raise SeasonFileError(
                self.source,
                line,
                "",
                f"{hit.problem()}; add it to a club's aliases in the format file",
            )
        name = " ".join(written.split())
        if not name:
            raise SeasonFileError(self.source, line, "", "a result without a club name")
        self.entries[name] = _Entry(ClubModel(name=name), discovered=True)
        self.resolver.add(name)
        if self.listed_any or self.entries_from_format():
            self.notes.append(
                Note(line, f"{name} plays but is not listed; added as a club", "club")
            )
        return name

    def entries_from_format(self) -> bool:
        return any(not e.listed and not e.discovered for e in self.entries.values())

    def claim_name(self, written: str, line: int | None) -> Resolution:
        """A name in a claim (bracket, infobox): never adds a club; trouble is reported."""
        hit = self.resolver.resolve(written)
        if hit.name is None:
            self.notes.append(Note(line, hit.problem(), "name"))
        elif hit.by_rule:
            self.notes.append(
                Note(line, f"{quote(written)} read as {hit.name} ({hit.how})", "name")
            )
        return hit

    def models(self) -> list[ClubModel]:
        names = list(self.order)
        names += [n for n, e in self.entries.items() if not e.listed and not e.discovered]
        names += [n for n, e in self.entries.items() if e.discovered]
        return [self.entries[n].model for n in names]


# ---------------------------------------------------------------- drafts


@dataclass
class MatchDraft:
    home: str
    away: str
    result: Result
    line: int | None
    #: a result copa invented (``copa play``), as a copa export labels it
    simulated: bool = False


@dataclass
class GroupDraft:
    clubs: list[str]
    line: int | None
    matches: list[MatchDraft] = field(default_factory=list)
    deciders: list[MatchDraft] = field(default_factory=list)
    adjustments: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass
class TieDraft:
    """A tie as the source gives it; legs and decider from ``teams[0]``'s side."""

    teams: tuple[str, str]
    legs: list[Result]
    line: int | None
    decider: Result | None = None
    decider_line: int | None = None
    decided_by: str | None = None
    #: where each leg came from, when the legs have lines of their own
    leg_lines: list[int | None] = field(default_factory=list)
    #: the legs (and the deciding match) whose results copa invented
    simulated_legs: list[bool] = field(default_factory=list)
    decider_simulated: bool = False


@dataclass
class Draft:
    """Everything an importer read, placed in the format."""

    fmt: Format
    source: str
    notes: list[Note] = field(default_factory=list)
    competition: tuple[str, int | None] | None = None
    season: tuple[str, int | None] | None = None
    groups: dict[tuple[int, int, str], GroupDraft] = field(default_factory=dict)
    ties: dict[tuple[int, int], list[TieDraft]] = field(default_factory=dict)
    #: a knockout round's matches as a match list gives them, paired into ties by finish()
    legs: dict[tuple[int, int], list[LegRow]] = field(default_factory=dict)
    clubs: ClubBook = field(init=False)
    locator: Locator = field(init=False)

    def __post_init__(self) -> None:
        self.clubs = ClubBook(self.fmt.model, self.notes, self.source)
        self.locator = Locator(self.fmt.model)

    def note(self, line: int | None, message: str, kind: str = "not mapped") -> None:
        self.notes.append(Note(line, message, kind))

    def error(self, line: int | None, message: str) -> SeasonFileError:
        return SeasonFileError(self.source, line, "", message)

    def add_match(
        self,
        place: Place,
        home: str,
        away: str,
        result: Result,
        line: int | None,
        leg: int | None = None,
        *,
        simulated: bool = False,
    ) -> bool:
        """Put one match of a match list (CSV, football.json, Football.TXT) where ``place``
        says: a group's match (its clubs in order of appearance) or deciding match, or a
        knockout round's leg (``leg`` 1 or 2, None in order, 0 a deciding match).
        ``simulated``: a result copa invented. True when it went to a group."""
        if place.group is not None:
            key = (place.stage, place.round, place.group)
            group = self.groups.setdefault(key, GroupDraft([], line))
            match = MatchDraft(home, away, result, line, simulated)
            if place.tiebreaker or leg == 0:
                group.deciders.append(match)
                return True
            for club in (home, away):
                if club not in group.clubs:
                    group.clubs.append(club)
            group.matches.append(match)
            return True
        row = LegRow(home, away, result, line, 0 if place.tiebreaker else leg, simulated)
        self.legs.setdefault((place.stage, place.round), []).append(row)
        return False

    def pair_legs(self) -> None:
        """The knockout matches added so far, paired into each round's ties."""
        for (si, ri), rows in self.legs.items():
            n = self.fmt.model.stages[si].rounds[ri].legs or 2
            self.ties[(si, ri)] = pair_ties(self, rows, n)
        self.legs = {}

    def tie_for(self, place: Place, a: str, b: str) -> TieDraft | None:
        for t in self.ties.get((place.stage, place.round), []):
            if set(t.teams) == {a, b}:
                return t
        return None


@dataclass(frozen=True)
class Imported:
    """An imported season, what could not be mapped, and the format it was read with."""

    season: Season
    notes: tuple[Note, ...]
    format: Format
    source: str
    #: claims the source publishes that its own results contradict (checked on import)
    findings: tuple[Finding, ...] = ()
    #: how many claims of each kind were checked
    checked: tuple[tuple[str, int], ...] = ()

    def header(self) -> str:
        return (
            f"Imported by copa from {self.source}.\n"
            f"Format (rules, qualification, places, slots): {self.format.origin}; "
            "the source gives the results only."
        )

    def markup(self) -> WikiModel | None:
        """The source's own markup the season file keeps (``wiki:``); None for most sources."""
        return None

    def text(self) -> str:
        """The season file, checked to read back as the same season."""
        text = write_season(self.season, self.header(), self.markup())
        if parse_season(text, "<written season>") != self.season:
            raise SeasonFileError(
                self.source, None, "", "internal error: the written season reads back differently"
            )
        return text


#: season-file fields an import takes from the format file, not from the source
_FROM_FORMAT = frozenset({"places", "entrants", "advance", "lots"})


class _SourceErrors(ErrorLocator):
    """Season-file errors reported where the offending data came from.

    Results point at the source line they were read from; what the format file
    gives (places, entrants, advance, lots) points at the format file's line.
    """

    def __init__(
        self,
        source: str,
        origins: dict[Path_, int | None],
        fmt: Format | None = None,
        fmt_paths: dict[Path_, Path_] | None = None,
    ) -> None:
        super().__init__(source, "")
        self.origins = origins
        self.fmt = fmt
        self.fmt_paths = fmt_paths or {}
        self.model: SeasonModel | None = None

    def line(self, path: Path_) -> int | None:
        p = tuple(path)
        while p:
            if p in self.origins:
                return self.origins[p]
            p = p[:-1]
        return None

    def __call__(self, path: Path_, message: str) -> SeasonFileError:
        where = _describe(path, self.model)
        if self.fmt is not None and _FROM_FORMAT & {p for p in path if isinstance(p, str)}:
            for n in range(len(path), 0, -1):
                if tuple(path[:n]) in self.fmt_paths:
                    mapped = (*self.fmt_paths[tuple(path[:n])], *path[n:])
                    line = ErrorLocator(self.fmt.source, self.fmt.text).line(mapped)
                    return SeasonFileError(self.fmt.source, line, "", f"{where}{message}")
        return SeasonFileError(self.source, self.line(path), "", f"{where}{message}")


def _describe(path: Path_, model: SeasonModel | None) -> str:
    """``Region II, Group stage, Group B: `` for a path into the model."""
    if model is None or len(path) < 2 or path[0] != "stages":
        return ""
    try:
        stage = model.stages[int(path[1])]
        parts = [stage.name]
        if len(path) >= 4 and path[2] == "rounds":
            rnd = stage.rounds[int(path[3])]
            parts.append(rnd.name)
            if len(path) >= 6 and path[4] == "groups":
                parts.append(rnd.groups[int(path[5])].name)
            elif len(path) >= 6 and path[4] == "ties":
                parts.append(" v ".join(rnd.ties[int(path[5])].teams))
    except (IndexError, ValueError):
        return ""
    return ", ".join(parts) + ": "


@dataclass
class _Layout:
    """The season being laid out from a draft: where each entry of the new file came
    from in the format file (``fmt_paths``) and in the source (``origins``)."""

    draft: Draft
    slots: dict[tuple[int, int, int], list[str]]
    fmt_paths: dict[Path_, Path_]
    origins: dict[Path_, int | None] = field(default_factory=dict)


def _model(
    draft: Draft, slots: dict[tuple[int, int, int], list[str]], fmt_paths: dict[Path_, Path_]
) -> tuple[Any, dict[Path_, int | None]]:
    fm = draft.fmt.model
    lay = _Layout(draft, slots, fmt_paths)
    stages: list[StageModel] = []
    for si, fs in enumerate(fm.stages):
        sp: Path_ = ("stages", len(stages))
        fmt_paths[sp] = ("stages", si)
        rounds: list[RoundModel] = []
        for ri, fr in enumerate(fs.rounds):
            rp: Path_ = (*sp, "rounds", len(rounds))
            fmt_paths[rp] = ("stages", si, "rounds", ri)
            groups = _group_models(lay, si, ri, rp)
            ties = [] if fr.group_specs() else _tie_models(lay, si, ri, rp)
            if not groups and not ties:
                why = f"{fs.name}, {fr.name}: no results in the source; round left out"
                draft.note(None, why, "missing")
                continue
            kept = _fields(fr, "name", "rules", "legs", "advance")
            rounds.append(RoundModel(**kept, groups=groups, ties=ties))
        if not rounds:
            draft.note(None, f"{fs.name}: no results in the source; stage left out", "missing")
            continue
        kept = _fields(fs, "name", "kind", "region", "entrants", "places")
        stages.append(StageModel(**kept, rounds=rounds))
    return _season_data(draft, stages), lay.origins


def _fields(model: Any, *names: str) -> dict[str, Any]:
    """The format's own values a season's stage or round keeps as they are."""
    return {name: getattr(model, name) for name in names}


def _group_models(lay: _Layout, si: int, ri: int, rp: Path_) -> list[GroupModel]:
    """The groups of one round of the format that the source has results for."""
    draft = lay.draft
    fs = draft.fmt.model.stages[si]
    fr = fs.rounds[ri]
    groups: list[GroupModel] = []
    for gi, spec in enumerate(fr.group_specs()):
        gd = draft.groups.get((si, ri, spec.name))
        if gd is None:
            draft.note(None, f"{fs.name}, {fr.name}: no results for {spec.name}", "missing")
            continue
        gp: Path_ = (*rp, "groups", len(groups))
        lay.fmt_paths[gp] = ("stages", si, "rounds", ri, "groups", gi)
        lay.origins[gp] = gd.line
        clubs = gd.clubs
        if spec.clubs is not None:
            want = [draft.clubs.result_name(c, gd.line) for c in spec.clubs]
            if set(want) != set(clubs):
                raise draft.error(
                    gd.line,
                    f"{spec.name}: the source has {', '.join(clubs)}; "
                    f"the format file's group has {', '.join(want)}",
                )
            clubs = want
        for i, m in enumerate(gd.matches):
            lay.origins[(*gp, "matches", i)] = m.line
        for i, m in enumerate(gd.deciders):
            lay.origins[(*gp, "deciders", i)] = m.line
        adjustments = [AdjustmentModel(club=c, points=p, reason=r) for c, p, r in gd.adjustments]
        groups.append(
            GroupModel(
                name=spec.name,
                clubs=clubs,
                matches=[_match_model(m) for m in gd.matches],
                deciders=[_match_model(m) for m in gd.deciders],
                lots=[draft.clubs.result_name(c, gd.line) for c in spec.lots],
                adjustments=adjustments,
            )
        )
    return groups


def _tie_models(lay: _Layout, si: int, ri: int, rp: Path_) -> list[TieModel]:
    """The ties of one knockout round of the format, as the source gives them."""
    ties: list[TieModel] = []
    for ti, td in enumerate(lay.draft.ties.get((si, ri), [])):
        tp: Path_ = (*rp, "ties", len(ties))
        lay.origins[tp] = td.line
        if td.decider_line is not None:
            lay.origins[(*tp, "decider")] = td.decider_line
        for li, leg_line in enumerate(td.leg_lines):
            lay.origins[(*tp, "legs", li)] = leg_line
        legs = [
            _simulated(format_result(r), i < len(td.simulated_legs) and td.simulated_legs[i])
            for i, r in enumerate(td.legs)
        ]
        decider = (
            _simulated(format_result(td.decider), td.decider_simulated) if td.decider else None
        )
        ties.append(
            TieModel(
                teams=list(td.teams),
                legs=legs,
                decider=decider,
                decided_by=td.decided_by,
                slots=lay.slots.get((si, ri, ti)),
            )
        )
    return ties


def _season_data(draft: Draft, stages: list[StageModel]) -> dict[str, Any]:
    """The season file's top level: the names (the format's, else the source's), the
    format's rules and regions, the clubs, the stages."""
    fm = draft.fmt.model
    competition = fm.competition or (draft.competition[0] if draft.competition else None)
    season = fm.season or (draft.season[0] if draft.season else None)
    for what, mine, theirs in (
        ("competition", fm.competition, draft.competition),
        ("season", fm.season, draft.season),
    ):
        if mine and theirs and fold(mine) != fold(theirs[0]):
            draft.note(
                theirs[1],
                f"the source names the {what} {quote(theirs[0])}, the format {quote(mine)}; "
                "kept the format's",
                "conflict",
            )
    if not competition or not season:
        missing = "competition" if not competition else "season"
        raise draft.error(
            None, f"the source does not name the {missing}: give it in the format file"
        )
    if not stages:
        raise draft.error(None, "no results that fit the format: nothing to import")
    return {
        "copa": 1,
        "competition": competition,
        "season": season,
        "stats_scope": fm.stats_scope,
        "promotion": fm.promotion,
        "regions": fm.regions,
        "rules": fm.rules,
        "clubs": draft.clubs.models(),
        "stages": stages,
    }


def _match_model(m: MatchDraft) -> MatchModel:
    return MatchModel(
        home=m.home, away=m.away, score=format_result(m.result), simulated=m.simulated
    )


def _simulated(text: str, simulated: bool) -> str:
    """A leg's score text, with ``| simulated`` when copa invented it."""
    return f"{text} | simulated" if simulated else text


def _build(draft: Draft, slots: dict[tuple[int, int, int], list[str]]) -> Season:
    notes_before = len(draft.notes)
    fmt_paths: dict[Path_, Path_] = {}
    data, origins = _model(draft, slots, fmt_paths)
    if slots:
        del draft.notes[notes_before:]  # the first pass already said these
    errors = _SourceErrors(draft.source, origins, draft.fmt, fmt_paths)
    try:
        model = SeasonModel.model_validate(data)
    except ValidationError as e:
        first = e.errors()[0]
        raise errors(tuple(first["loc"]), pydantic_message(first)) from None
    errors.model = model
    return build(model, errors)


def new_draft(fmt: Format, source: str, options: Options) -> Draft:
    """A draft of ``source`` laid out by ``fmt``, with the clubs file's clubs (if any) listed
    first, in its order: the start of every match-list importer."""
    draft = Draft(fmt, source)
    if options.clubs is not None:
        from copa.sources.clubs_csv import list_clubs

        list_clubs(draft, options.clubs, options.clubs_source or "clubs")
    return draft


def finish(draft: Draft) -> Imported:
    """Build the season; pair slot rounds with the places of earlier stages."""
    draft.pair_legs()
    try:
        season = _build(draft, {})
    except SeasonFileError as e:
        raise _with_cause(draft, e) from None
    slots = _assign_slots(draft, season)
    if slots:
        season = _build(draft, slots)
    return Imported(season, tuple(draft.notes), draft.fmt, draft.source)


def _with_cause(draft: Draft, e: SeasonFileError) -> SeasonFileError:
    """A build error, with the note that most likely caused it (what was left out after it)."""
    if e.source != draft.source or e.line is None:
        return e
    after = [n for n in draft.notes if n.kind == "not mapped" and n.line and n.line >= e.line]
    if not after:
        return e
    cause = min(after, key=lambda n: n.line or 0)
    return SeasonFileError(
        e.source, e.line, e.field, f"{e.message} (line {cause.line}: {cause.message})"
    )


def _assign_slots(draft: Draft, season: Season) -> dict[tuple[int, int, int], list[str]]:
    fm = draft.fmt.model
    if not any(r.slots for s in fm.stages for r in s.rounds):
        return {}
    result = resolve(season)
    places = {sr.stage.name: sr.places for sr in result.stages}
    out: dict[tuple[int, int, int], list[str]] = {}
    for si, fs in enumerate(fm.stages):
        where: dict[str, str] = {}  # club -> the place it holds in an earlier stage
        for earlier in fm.stages[:si]:
            for n, club in enumerate(places.get(earlier.name, ()), start=1):
                where.setdefault(club, f"{earlier.name}/{n}")
        for ri, fr in enumerate(fs.rounds):
            if not fr.slots:
                continue
            pairs = [tuple(p) for p in fr.slots]
            used: set[int] = set()
            for ti, td in enumerate(draft.ties.get((si, ri), [])):
                got = [where.get(c) for c in td.teams]
                a, b = td.teams
                if None in got:
                    lost = [c for c, g in zip(td.teams, got, strict=True) if g is None]
                    draft.note(
                        td.line,
                        f"{a} v {b}: {', '.join(lost)} placed in no earlier stage; no slots given",
                        "slots",
                    )
                    continue
                match = [i for i, p in enumerate(pairs) if set(p) == set(got)]
                if not match:
                    draft.note(
                        td.line,
                        f"{a} v {b} is {got[0]} v {got[1]}, a pairing the format does not list",
                        "slots",
                    )
                    continue
                used.add(match[0])
                out[(si, ri, ti)] = [str(g) for g in got]
            for i, p in enumerate(pairs):
                if i not in used:
                    draft.note(
                        None, f"{fs.name}, {fr.name}: no tie for slots {p[0]} v {p[1]}", "slots"
                    )
    return out


# ---------------------------------------------------------------- ties from match lists


@dataclass
class LegRow:
    """One match of a knockout round as a match list gives it (CSV, football.json)."""

    home: str
    away: str
    result: Result
    line: int | None
    #: 1, 2 for legs; None in order of appearance; 0 for a deciding match
    leg: int | None = None
    simulated: bool = False


def pair_ties(draft: Draft, rows: list[LegRow], legs: int) -> list[TieDraft]:
    """Group a knockout round's matches into ties: the host of the first leg is the first club.

    Matches beyond the round's legs between the same clubs are the tie's deciding match.
    """
    by_pair: dict[frozenset[str], list[LegRow]] = {}
    for r in rows:
        by_pair.setdefault(frozenset((r.home, r.away)), []).append(r)
    ties: list[TieDraft] = []
    for matches in by_pair.values():
        numbered = [r for r in matches if r.leg != 0]
        given: dict[int, LegRow] = {}
        for r in numbered:
            if r.leg and r.leg in given:
                raise draft.error(
                    r.line,
                    f"{r.home} v {r.away}: a second leg {r.leg} "
                    f"(the first is on line {given[r.leg].line})",
                )
            if r.leg:
                given[r.leg] = r
        if any(r.leg for r in numbered):
            numbered.sort(key=lambda r: r.leg or 99)
        deciders = [r for r in matches if r.leg == 0] + numbered[legs:]
        numbered = numbered[:legs]
        first = numbered[0] if numbered else matches[0]
        teams = (first.home, first.away)
        tie = TieDraft(teams, [], first.line)
        for i, r in enumerate(numbered):
            host = teams[i % 2]
            if r.home != host:
                raise draft.error(
                    r.line,
                    f"{teams[0]} v {teams[1]}: leg {i + 1} should be hosted by {host}, "
                    "the first leg's visitor (legs alternate)",
                )
            tie.legs.append(r.result if r.home == teams[0] else r.result.reversed())
            tie.leg_lines.append(r.line)
            tie.simulated_legs.append(r.simulated)
        if len(deciders) > 1:
            raise draft.error(deciders[1].line, f"{teams[0]} v {teams[1]}: a second deciding match")
        if deciders:
            d = deciders[0]
            tie.decider = d.result if d.home == teams[0] else d.result.reversed()
            tie.decider_line = d.line
            tie.decider_simulated = d.simulated
        ties.append(tie)
    return ties


def format_needed(fmt: Format | None, source: str, what: str) -> Format:
    """``fmt``, or the one error of a source that gives results but not the rules."""
    if fmt is None:
        from copa.spec.formats import presets

        raise SeasonFileError(
            source,
            None,
            "",
            f"{what} gives results only; name its format (rules, qualification, places) "
            f"with --preset (presets: {', '.join(presets())})",
        )
    return fmt
