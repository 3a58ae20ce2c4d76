"""Import a Wikipedia article (raw MediaWiki or the flattened export) as a season.

What the article gives and where it goes:

* infobox ``competition`` / ``season``: the season's names, and which preset
  to use when none is named;
* the departmental qualifiers table: the clubs, their departments and places;
* each ``{{#invoke:sports table}}``: a group. Codes are local to the table;
  the clubs keep the table's order; each ``match_X_Y`` cell is a match
  (``null`` is a match not played, or in a single round robin the direction
  that is not played; an empty cell a match still to play);
* ``{{TwoLegResult}}`` / ``{{OneLegResult}}``: ties (team 1 hosts leg 1; the
  legs are written from team 1's side; ``(a)`` is recorded as a claim that
  away goals decided the tie, ``(3–5 p)`` as the shoot-out after leg 2);
* ``OneLegResult`` rows under a *Tiebreaker* heading: the deciding match of
  the tie in that round, or of the group the heading sits under;
* ``{{16TeamBracket}}``: not results; cross-checked against the ties.

Published numbers (W/D/L, aggregates, the bracket, infobox records) are
claims: :mod:`copa.sources.wiki.audit` checks them; nothing here rewrites a result to
fit them. Whatever cannot be placed is reported as a :class:`Note`.
"""

from __future__ import annotations

import dataclasses
import re

from copa.core.match import MatchStatus, Score
from copa.core.resolve import resolve
from copa.limits import quote
from copa.sources.importing import (
    Draft,
    GroupDraft,
    MatchDraft,
    Note,
    Place,
    TieDraft,
    finish,
)
from copa.sources.reader import Options, decode
from copa.sources.wiki.checks import RECORD, bracket_findings
from copa.sources.wiki.imported import MappedRow, MappedTable, WikiImport
from copa.sources.wiki.parse import (
    Article,
    Bracket,
    Infobox,
    OneLegRow,
    ParsedScore,
    SportsTable,
    TwoLegRow,
    WikiParseError,
    parse_article,
)
from copa.spec.fold import fold
from copa.spec.formats import Format, presets, recognise
from copa.spec.scores import Result
from copa.spec.season_file import (
    SeasonFileError,
)
from copa.wikitext.cells import Published, simulated_mark

_SIGNED = re.compile(r"^([-−–+]?)(\d+)$")
_AFTER_90 = re.compile(r"^(\d+)\s*[-–—]\s*(\d+)\s+after\s+90\s*min(?:utes)?\.?$", re.I)
_PENS_NOTE = re.compile(r"^penalties\s*\(?(\d+)\s*[-–—,]\s*(\d+)\)?$", re.I)
_WAS = re.compile(r"^was\s+(\d+)\s*[-–—]\s*(\d+)$", re.I)
_STATUS = {
    "w/o": MatchStatus.WALKOVER,
    "wo": MatchStatus.WALKOVER,
    "walkover": MatchStatus.WALKOVER,
    "awarded": MatchStatus.AWARDED,
    "awd": MatchStatus.AWARDED,
    "awd.": MatchStatus.AWARDED,
    "annulled": MatchStatus.ANNULLED,
}


def path_of(section: tuple[str, ...], stage: str | None) -> tuple[str, ...]:
    """The heading path with the stage line in front (the flattened form drops it)."""
    if stage and fold(stage) not in {fold(s) for s in section}:
        return (stage, *section)
    return section


def choose_format(article: Article, fmt: Format | None, source: str) -> Format:
    """The format named by the user, or the preset the infobox identifies."""
    if fmt is not None:
        return fmt
    box = article.infobox
    comp, season = (box.competition, box.season) if box else (None, None)
    found = recognise(comp, season)
    if found is None:
        what = f"{comp} {season}" if comp else "an article without an infobox competition"
        raise SeasonFileError(
            source,
            box.line if box else None,
            "",
            f"no preset for {what}: the format (rules, qualification, places) cannot be read "
            f"from an article; name a format file with --preset (presets: {', '.join(presets())})",
        )
    where = f", line {box.line}" if box else ""
    return dataclasses.replace(
        found,
        origin=f"{found.origin} (recognised from the infobox: {comp} {season}{where})",
    )


def import_wiki(text: str | bytes, source: str, fmt: Format | None = None) -> WikiImport:
    """Read an article into a season; bad input raises :class:`SeasonFileError` naming the line."""
    try:
        article = parse_article(text, source)
    except WikiParseError as e:
        m = re.match(r"^.*?:(\d+): (.*)$", str(e))
        raise SeasonFileError(
            source, int(m.group(1)) if m else None, "", m.group(2) if m else str(e)
        ) from None
    fmt = choose_format(article, fmt, source)
    draft = Draft(fmt, source)
    for p in article.problems:
        draft.note(p.line, p.message, "not understood")
    box = article.infobox
    if box is not None:
        if box.competition:
            draft.competition = (box.competition, box.line)
        if box.season:
            draft.season = (box.season, box.line)
    for q in article.qualifiers:
        draft.clubs.list_club(q.club, q.line, department=q.department, location=q.location or "")
    tables = [t for t in (_table(draft, t) for t in article.tables) if t is not None]
    rows = _rows(draft, article)
    brackets: list[tuple[Bracket, int]] = []
    for b in article.brackets:
        si = draft.locator.stage_of(path_of(b.section, b.stage))
        if si is None:
            draft.note(b.line, f"{b.template}: no stage of the format matches its section")
        else:
            brackets.append((b, si))
        for entry in b.entries:
            if entry.team:
                draft.clubs.claim_name(entry.team, entry.line)
    lines = _param_lines(text, box.line if box else None)
    if box is not None:
        _infobox_names(draft, box, dict(lines))
    done = finish(draft)
    notes = list(done.notes)
    result = resolve(done.season) if brackets else None
    for b, si in brackets:
        assert result is not None
        for f in bracket_findings(b, result, fmt.model.stages[si].name):
            notes.append(Note(f.line, f.text(), "bracket"))
    return WikiImport(
        done.season,
        tuple(notes),
        done.format,
        done.source,
        article=article,
        tables=tuple(tables),
        rows=tuple(rows),
        brackets=tuple(brackets),
        infobox_lines=lines,
        article_text=text if isinstance(text, str) else text.decode("utf-8-sig", errors="replace"),
    )


def _infobox_names(draft: Draft, box: Infobox, lines: dict[str, int]) -> None:
    """Club names in the infobox records: claims, so only read (and reported when odd)."""
    for label, records in (
        ("winners", (box.winners,) if box.winners else ()),
        ("biggest home win", box.biggest_home_win),
        ("biggest away win", box.biggest_away_win),
        ("highest scoring", box.highest_scoring),
    ):
        line = lines.get(label, box.line)
        for record in records:
            m = RECORD.match(record)
            names = (m.group("home"), m.group("away")) if m else (record,)
            for name in names:
                draft.clubs.claim_name(name, line)


_PARAM = re.compile(r"^\s*\|\s*([^=|{}]+?)\s*=")


def _param_lines(text: str | bytes, start: int | None) -> tuple[tuple[str, int], ...]:
    """Where each ``| name =`` of the template starting at ``start`` is."""
    if start is None:
        return ()
    if isinstance(text, bytes):
        text = text.decode("utf-8-sig", errors="replace")
    out: dict[str, int] = {}
    depth = 0
    for number, line in enumerate(text.split("\n")[start - 1 :], start=start):
        m = _PARAM.match(line)
        if m is not None and depth <= 1:
            out.setdefault(m.group(1).strip().lower(), number)
        depth += line.count("{{") - line.count("}}")
        if depth <= 0 and number > start:
            break
    return tuple(out.items())


# ---------------------------------------------------------------- results and notes


def _result(
    score: ParsedScore,
    notes: list[str],
    penalties: tuple[int, int] | None,
    draft: Draft,
    line: int,
    extra_time: bool,
    what: str,
) -> Result | None:
    """A result from a written score and its notes; ``None`` (reported) when it cannot be read."""
    played = Score(score.home, score.away)
    ninety: Score | None = None
    status = MatchStatus.PLAYED
    original: Score | None = None
    for note in notes:
        text = note.strip()
        low = fold(text)
        if m := _AFTER_90.match(text):
            ninety = Score(int(m.group(1)), int(m.group(2)))
        elif m := _PENS_NOTE.match(text):
            penalties = (int(m.group(1)), int(m.group(2)))
        elif m := _WAS.match(text):
            original = Score(int(m.group(1)), int(m.group(2)))
        elif low in _STATUS:
            status = _STATUS[low]
        elif low in {"a.e.t.", "aet", "a.e.t"}:
            extra_time = True
        else:
            draft.note(
                line, f"{what}: note {quote(text)} not understood; the result is kept without it"
            )
    if original is not None and status is not MatchStatus.AWARDED:
        status = MatchStatus.AWARDED
    pens = Score(*penalties) if penalties is not None else None
    if extra_time and ninety is None:
        if status is not MatchStatus.PLAYED:
            draft.note(line, f"{what}: {status.value} after extra time is not mapped; left out")
            return None
        # known only after extra time, as many sources print it: "2–3 (a.e.t.)"
        return Result(None, played, pens)
    if ninety is not None:
        return Result(ninety, played, pens, status, original)
    return Result(played, None, pens, status, original)


def _club_of(name: str, clubs: tuple[str, str]) -> str | None:
    """A club named in a score's remark (``won by A``, ``A first``): one of the match's two."""
    for club in clubs:
        if fold(club) == fold(name):
            return club
    return None


def _published(
    draft: Draft, p: Published, clubs: tuple[str, str], line: int, what: str
) -> Result | None:
    """A played match known only by its shoot-out or its winner: never 0-0."""
    if p.winner is not None:
        winner = _club_of(p.winner, clubs)
        if winner is None:
            draft.note(line, f"{what}: won by {quote(p.winner)}, neither club; left out")
            return None
        return Result(None, winner=winner)
    pens = Score(*p.penalties) if p.penalties is not None else None
    if pens is None or pens.home == pens.away:
        draft.note(line, f"{what}: a score not known and no shoot-out winner; left out")
        return None
    return _shot_first(draft, Result(None, None, pens), p.first, clubs, line, what)


def _shot_first(
    draft: Draft, res: Result | None, name: str | None, clubs: tuple[str, str], line: int, what: str
) -> Result | None:
    """``res`` with who shot first, when the remark names one of the two clubs."""
    if res is None or name is None:
        return res
    first = _club_of(name, clubs)
    if first is None or res.penalties is None:
        draft.note(line, f"{what}: {quote(name)} shot first: not one of the clubs; ignored")
        return res
    return dataclasses.replace(res, first=first)


def _split_notes(notes: tuple[str, ...]) -> dict[str, list[str]]:
    """TwoLegResult notes are prefixed with the cell they came from."""
    out: dict[str, list[str]] = {"aggregate": [], "leg 1": [], "leg 2": []}
    for n in notes:
        cell, _, rest = n.partition(": ")
        if cell in out and rest:
            out[cell].append(rest)
        else:
            out["aggregate"].append(n)
    return out


# ---------------------------------------------------------------- groups


def _table(draft: Draft, t: SportsTable) -> MappedTable | None:
    where = " > ".join(path_of(t.section, t.stage)) or "(no section)"
    place = draft.locator.place(path_of(t.section, t.stage))
    if isinstance(place, str):
        draft.note(t.line, f"sports table: {place}")
        return None
    fr = draft.fmt.model.stages[place.stage].rounds[place.round]
    if place.group is None or place.tiebreaker:
        draft.note(
            t.line, f"sports table in {where}: {draft.locator.describe(place)} has no groups"
        )
        return None
    key = (place.stage, place.round, place.group)
    if key in draft.groups:
        draft.note(t.line, f"a second table for {draft.locator.describe(place)}; left out")
        return None
    clubs: dict[str, str] = {}
    for code in t.codes:
        written = t.names.get(code)
        if not written:
            draft.note(t.line, f"sports table: code {code} has no name; its matches are left out")
            continue
        clubs[code] = draft.clubs.result_name(written, t.line)
    group = GroupDraft(list(clubs.values()), t.line)
    legs = fr.legs or 2
    cells = {(c.home_code, c.away_code): c for c in t.matches}
    done: set[frozenset[str]] = set()
    for c in t.matches:
        if c.home_code not in clubs or c.away_code not in clubs:
            if c.played:
                draft.note(c.line, f"match_{c.home_code}_{c.away_code}: unknown code; left out")
            continue
        home, away = clubs[c.home_code], clubs[c.away_code]
        if home == away:
            if c.played:
                draft.note(c.line, f"match_{c.home_code}_{c.away_code}: a club cannot play itself")
            continue
        what = f"{home} v {away}"
        raw = c.raw.strip().lower()
        if not c.played:
            if legs == 2:
                status = MatchStatus.NOT_PLAYED if raw == "null" else MatchStatus.SCHEDULED
                group.matches.append(MatchDraft(home, away, Result(None, status=status), c.line))
                continue
            pair = frozenset((home, away))
            back = cells.get((c.away_code, c.home_code))
            back_open = back is not None and back.raw.strip().lower() != "null"
            if back is not None and (back.played or (back_open and raw == "null")):
                continue  # the other direction is the fixture
            if pair in done:
                continue
            if back_open:  # both directions still to play: which is the fixture is not said
                done.add(pair)
                draft.note(
                    c.line,
                    f"{what}: a single round robin with both directions open; "
                    "write null in the one that is not a fixture",
                )
                continue
            done.add(pair)
            status = MatchStatus.NOT_PLAYED if raw == "null" else MatchStatus.SCHEDULED
            group.matches.append(MatchDraft(home, away, Result(None, status=status), c.line))
            continue
        if c.published is not None:
            res = _published(draft, c.published, (home, away), c.line, what)
        else:
            assert c.home_goals is not None and c.away_goals is not None
            score = ParsedScore(c.home_goals, c.away_goals)
            res = _result(score, list(c.notes), None, draft, c.line, False, what)
            res = _shot_first(draft, res, c.first, (home, away), c.line, what)
        if res is not None:
            done.add(frozenset((home, away)))
            group.matches.append(MatchDraft(home, away, res, c.line, simulated_mark(c.raw)))
    for code, club in clubs.items():
        points = _adjustment(t, code)
        if points:
            group.adjustments.append((club, points, t.params.get(f"note_{code}", "")))
    draft.groups[key] = group
    return MappedTable(t, place, clubs)


# ---------------------------------------------------------------- ties


def _adjustment(t: SportsTable, code: str) -> int:
    """Points added (or, with a minus sign, deducted) for a club: ``adjust_points_X=-3``."""
    if code in t.adjust_points:
        return t.adjust_points[code]
    for key in (f"adjust_points_{code}", f"startpoints_{code}"):
        m = _SIGNED.match(t.params.get(key, "").replace(" ", ""))
        if m is not None:
            return -int(m.group(2)) if m.group(1) in "-−–" and m.group(1) else int(m.group(2))
    return 0


def _rows(draft: Draft, article: Article) -> list[MappedRow]:
    rows: list[TwoLegRow | OneLegRow] = [*article.two_legs, *article.one_legs]
    rows.sort(key=lambda r: r.line)
    mapped: list[MappedRow] = []
    deciders: list[tuple[OneLegRow, Place, tuple[str, str]]] = []
    for row in rows:
        kind = "TwoLegResult" if isinstance(row, TwoLegRow) else "OneLegResult"
        place = draft.locator.place(path_of(row.section, row.stage))
        if isinstance(place, str):
            draft.note(row.line, f"{kind} {row.team1} v {row.team2}: {place}")
            continue
        if not row.team1 or not row.team2:
            draft.note(row.line, f"{kind} without both teams; left out")
            continue
        teams = (
            draft.clubs.result_name(row.team1, row.line),
            draft.clubs.result_name(row.team2, row.line),
        )
        where = draft.locator.describe(place)
        if place.tiebreaker or (place.group is not None and isinstance(row, OneLegRow)):
            if not isinstance(row, OneLegRow):
                draft.note(row.line, f"a two-legged tiebreaker in {where} is not understood")
                continue
            if not place.tiebreaker:
                draft.note(row.line, f"a single match in {where}, outside a tiebreaker section")
                continue
            deciders.append((row, place, teams))
            mapped.append(MappedRow(row, place, teams))
            continue
        if place.group is not None:
            draft.note(row.line, f"{kind} in {where}, a group round")
            continue
        legs = draft.fmt.model.stages[place.stage].rounds[place.round].legs or 2
        tie = _tie(draft, row, teams, legs, where)
        if tie is not None:
            draft.ties.setdefault((place.stage, place.round), []).append(tie)
            mapped.append(MappedRow(row, place, teams))
    for row, place, teams in deciders:
        _decider(draft, row, place, teams)
    return mapped


def _tie(
    draft: Draft, row: TwoLegRow | OneLegRow, teams: tuple[str, str], legs: int, where: str
) -> TieDraft | None:
    what = f"{teams[0]} v {teams[1]}"
    if isinstance(row, OneLegRow):
        if legs != 1:
            draft.note(row.line, f"{what}: a single match in {where}, a two-legged round; left out")
            return None
        if row.published is not None:
            res = _published(draft, row.published, teams, row.line, what)
            if res is None:
                return None
            return TieDraft(teams, [res], row.line, simulated_legs=[simulated_mark(row.raw)])
        if row.score is None:
            draft.note(row.line, f"{what}: no score; left out")
            return None
        notes = [n for n in row.notes if n != "a"]
        if "a" in row.notes:
            draft.note(row.line, f"{what}: '(a)' on a single match means nothing; ignored")
        res = _result(row.score, notes, row.penalties, draft, row.line, row.extra_time, what)
        res = _shot_first(draft, res, row.first, teams, row.line, what)
        if res is None:
            return None
        return TieDraft(teams, [res], row.line, simulated_legs=[simulated_mark(row.raw)])
    if legs != 2:
        draft.note(row.line, f"{what}: two legs in {where}, a one-match round; left out")
        return None
    if row.leg1 is None or row.leg2 is None:
        draft.note(row.line, f"{what}: a leg without a score; left out")
        return None
    cells = _split_notes(row.notes)
    for n in cells["aggregate"]:
        draft.note(row.line, f"{what}: aggregate note {quote(n)} not understood; ignored")
    first = _result(row.leg1, cells["leg 1"], None, draft, row.line, False, f"{what}, leg 1")
    second = _result(
        # "(a.e.t.)" on leg 2 or the aggregate: extra time was played after leg 2
        row.leg2,
        cells["leg 2"],
        row.aggregate_penalties,
        draft,
        row.line,
        row.extra_time,
        f"{what}, leg 2",
    )
    second = _shot_first(draft, second, row.first, teams, row.line, f"{what}, leg 2")
    if first is None or second is None:
        return None
    decided_by = "away_goals" if row.away_goals_note else None
    return TieDraft(
        teams,
        [first, second],
        row.line,
        decided_by=decided_by,
        simulated_legs=list(row.simulated),
    )


def _decider(draft: Draft, row: OneLegRow, place: Place, teams: tuple[str, str]) -> None:
    what = f"tiebreaker {teams[0]} v {teams[1]}"
    if row.score is None:
        draft.note(row.line, f"{what}: no score; left out")
        return
    res = _result(row.score, list(row.notes), row.penalties, draft, row.line, row.extra_time, what)
    res = _shot_first(draft, res, row.first, teams, row.line, what)
    if res is None:
        return
    if place.group is not None:
        group = draft.groups.get((place.stage, place.round, place.group))
        if group is None:
            draft.note(row.line, f"{what}: {draft.locator.describe(place)} has no table; left out")
            return
        group.deciders.append(
            MatchDraft(teams[0], teams[1], res, row.line, simulated_mark(row.raw))
        )
        return
    tie = draft.tie_for(place, *teams)
    if tie is None:
        draft.note(row.line, f"{what}: no such tie in {draft.locator.describe(place)}; left out")
        return
    if tie.decider is not None:
        draft.note(row.line, f"{what}: a second deciding match; left out")
        return
    tie.decider = res if teams[0] == tie.teams[0] else res.reversed()
    tie.decider_line = row.line
    tie.decider_simulated = simulated_mark(row.raw)


def read(data: bytes, source: str, options: Options) -> WikiImport:
    """The :class:`~copa.sources.reader.SourceReader` entry (``--from wiki``)."""
    return import_wiki(decode(data, source), source, options.fmt)
