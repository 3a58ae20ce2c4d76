"""Check what an article publishes against what its own results give.

Every check compares a *claim* (a published W/D/L, an aggregate, a bracket
cell, an infobox record) with a value computed from the article's results
by the engine, and reports both with the section and line. Results are never
adjusted to fit a claim. :mod:`copa.sources.wiki.audit` runs these for ``copa audit``;
the importer runs :func:`bracket_findings` to cross-check brackets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from copa.core.bracket import bracket as core_bracket
from copa.core.group import Group
from copa.core.match import Match, Score
from copa.core.points import PointsScheme
from copa.core.record import Record, tally
from copa.core.resolve import GroupResult, RoundResult, SeasonResult
from copa.core.season import Season
from copa.core.stats import season_stats
from copa.core.tie import Tie, TieResult
from copa.sources.importing import Finding
from copa.sources.names import Resolver, club_resolver
from copa.sources.wiki.parse import (
    Bracket,
    BracketEntry,
    GridCell,
    Infobox,
    PublishedRow,
    SportsTable,
    TwoLegRow,
)
from copa.spec.fold import fold
from copa.wikitext.edit import Edit, rewrite_score

# ---------------------------------------------------------------- sports tables

_FIELDS = (("win", "won", "W"), ("draw", "drawn", "D"), ("loss", "lost", "L"))
_GOALS = (("gf", "goals_for", "GF"), ("ga", "goals_against", "GA"))
_NOT_UP = re.compile(r"relegat|descen|elimin|out\b", re.I)


@dataclass(frozen=True)
class _Table:
    """A published table being checked against its group: the points it claims per
    result, and the records the group's matches give."""

    table: SportsTable
    clubs: dict[str, str]  # code -> full name
    group: Group
    where: str
    win: int
    draw: int
    loss: int
    adjust: dict[str, int]
    records: dict[str, Record]

    @property
    def scheme(self) -> PointsScheme:
        return self.group.rules.scheme

    def finding(
        self, check: str, subject: str, published: str, computed: str, note: str
    ) -> Finding:
        return Finding(check, self.where, self.table.line, subject, published, computed, note)


def _table_of(table: SportsTable, clubs: dict[str, str], group: Group, where: str) -> _Table:
    scheme = group.rules.scheme
    adjust = {a.club: 0 for a in group.adjustments}
    for a in group.adjustments:
        adjust[a.club] += a.points
    return _Table(
        table,
        clubs,
        group,
        where,
        table.winpoints if table.winpoints is not None else scheme.win,
        table.drawpoints if table.drawpoints is not None else scheme.draw,
        table.losspoints if table.losspoints is not None else scheme.loss,
        adjust,
        tally(group.clubs, group.matches, scheme, adjust),
    )


def table_findings(
    table: SportsTable,
    clubs: dict[str, str],
    group: Group,
    where: str,
    rr: RoundResult,
) -> list[Finding]:
    """Rows vs grid, goal balance, order vs the ranking chain, qualification marks vs the rules."""
    t = _table_of(table, clubs, group, where)
    out = _row_findings(t)
    row_findings = len(out)
    out += _balance_findings(t)
    goal_params = [
        f.edit.param
        for f in out[:row_findings]
        if f.edit is not None and f.edit.param.startswith(("gf_", "ga_"))
    ]
    if goal_params:
        out = [
            replace(f, explained_by=", ".join(goal_params)) if f.check == "goal balance" else f
            for f in out
        ]
    gr = next((g for g in rr.groups if g.group.name == group.name), None)
    if gr is not None:
        out += _order_findings(t, gr, rr)
    return _root_cause(out, row_findings, t)


def _row_findings(t: _Table) -> list[Finding]:
    """The points per result the table states, and each published row against the grid."""
    out: list[Finding] = []
    scheme, table = t.scheme, t.table
    for label, claimed, rule in (("win", t.win, scheme.win), ("draw", t.draw, scheme.draw)):
        if claimed != rule:
            out.append(
                t.finding("points scheme", f"points for a {label}", str(claimed), str(rule), "")
            )
    for code, row in table.published.items():
        club = t.clubs.get(code)
        if club is None:
            continue
        rec = t.records[club]
        who = f"{code} ({club})" if code != club else club
        for key, attr, label in (*_FIELDS, *_GOALS):
            claimed = getattr(row, key)
            actual = getattr(rec, attr)
            if claimed is not None and claimed != actual:
                edit = Edit(table.line, f"{key}_{code}", str(claimed), str(actual))
                subject = f"{who} {label}"
                out.append(
                    Finding(
                        "table row",
                        t.where,
                        row.line,
                        subject,
                        str(claimed),
                        str(actual),
                        "grid",
                        edit,
                    )
                )
        if row.win is not None and row.draw is not None and row.loss is not None:
            points = row.win * t.win + row.draw * t.draw + row.loss * t.loss + t.adjust.get(club, 0)
            if points != rec.points:
                out.append(
                    Finding(
                        "table row",
                        t.where,
                        row.line,
                        f"{who} points",
                        str(points),
                        str(rec.points),
                        "grid",
                    )
                )
    return out


def _balance_findings(t: _Table) -> list[Finding]:
    """Every goal scored is a goal conceded: the published goals over the group."""
    rows = [t.table.published[c] for c in t.table.codes if c in t.table.published]
    if not rows or not all(r.gf is not None and r.ga is not None for r in rows):
        return []
    gf = sum(r.gf or 0 for r in rows)
    ga = sum(r.ga or 0 for r in rows)
    if gf == ga:
        return []
    computed = (
        f"{sum(r.goals_for for r in t.records.values())} v "
        f"{sum(r.goals_against for r in t.records.values())}"
    )
    return [
        t.finding(
            "goal balance",
            "goals for v goals against over the group",
            f"{gf} v {ga}",
            computed,
            "every goal scored is a goal conceded",
        )
    ]


def _order_findings(t: _Table, gr: GroupResult, rr: RoundResult) -> list[Finding]:
    """The table's order against the ranking, its qualification marks against the rules."""
    out: list[Finding] = []
    table = t.table
    published = [t.clubs[c] for c in table.codes if c in t.clubs]
    computed = [s.club for s in gr.table.standings]
    if published != computed:
        chain = ", ".join(gr.table.chain)
        out.append(
            t.finding(
                "table order",
                "order of the table",
                ", ".join(published),
                ", ".join(computed),
                f"ranking: {chain}",
            )
        )
    marked = [
        (pos, code)
        for pos, code in sorted(table.results.items())
        if not _NOT_UP.search(table.col_text.get(code, ""))
    ]
    if table.results:
        claimed_q = {published[pos - 1] for pos, _ in marked if 0 < pos <= len(published)}
        chosen = set(gr.qualified)
        for sel in rr.selections:
            chosen |= {c for c in sel.chosen if c in t.group.clubs}
        if claimed_q != chosen:
            out.append(
                t.finding(
                    "qualification",
                    "clubs marked as going on",
                    ", ".join(sorted(claimed_q)) or "none",
                    ", ".join(sorted(chosen)) or "none",
                    "result marks v the round's qualification rules",
                )
            )
    return out


_NUMBER = re.compile(r"\d+")


def _root_cause(out: list[Finding], row_findings: int, t: _Table) -> list[Finding]:
    """When one grid cell, changed, makes every published row agree, say that it explains them.

    The candidates for each cell are its score reversed and the score the two
    clubs' published goals ask for. Exactly one cell must fit; its finding
    comes first with the corrected cell, and the findings it explains point
    to it (they need no correction of their own).
    """
    if sum(1 for f in out[:row_findings] if f.check == "table row") < 2:
        return out
    table, clubs, group, scheme, adjust = t.table, t.clubs, t.group, t.scheme, t.adjust
    win, draw, loss = t.win, t.draw, t.loss
    code_of = {club: code for code, club in clubs.items()}
    published = {clubs[c]: r for c, r in table.published.items() if c in clubs}
    base = t.records
    fits: list[tuple[GridCell, Match, Score]] = []
    for cell in table.matches:
        home, away = clubs.get(cell.home_code), clubs.get(cell.away_code)
        m = next(
            (
                m
                for m in group.matches
                if (m.home, m.away) == (home, away) and m.score is not None and not m.penalties
            ),
            None,
        )
        if m is None or m.score is None or home is None or away is None:
            continue
        h, a = m.score.home, m.score.away
        candidates = {(a, h)}
        ph = published.get(home)
        if ph is not None and ph.gf is not None and ph.ga is not None:
            candidates.add(
                (ph.gf - (base[home].goals_for - h), ph.ga - (base[home].goals_against - a))
            )
        for nh, na in sorted(candidates):
            if (nh, na) == (h, a) or nh < 0 or na < 0:
                continue
            changed = replace(m, score=Score(nh, na))
            matches = [changed if x is m else x for x in group.matches]
            recs = tally(group.clubs, matches, scheme, adjust)
            if all(
                _row_agrees(r, recs[c], win, draw, loss, adjust.get(c, 0))
                for c, r in published.items()
            ):
                fits.append((cell, m, Score(nh, na)))
    if len(fits) != 1:
        return out
    cell, m, new = fits[0]
    explained = [
        f for f in out if f.check in ("table row", "goal balance", "table order", "qualification")
    ]
    raw_new = rewrite_score(cell.raw, new.home, new.away)
    param = f"match_{code_of.get(m.home, cell.home_code)}_{code_of.get(m.away, cell.away_code)}"
    cause = Finding(
        "root cause",
        explained[0].where if explained else "",
        cell.line,
        f"{param} ({m.home} v {m.away})",
        cell.raw,
        raw_new,
        f"this one cell explains {len(explained)} findings: with {new.home}–{new.away} "
        "every published row agrees",
        Edit(table.line, param, cell.raw, raw_new),
    )
    rest = [replace(f, edit=None, explained_by=param) if f in explained else f for f in out]
    return [cause, *rest]


def _row_agrees(row: PublishedRow, rec: Record, win: int, draw: int, loss: int, adj: int) -> bool:
    for key, attr, _ in (*_FIELDS, *_GOALS):
        claimed = getattr(row, key)
        if claimed is not None and claimed != getattr(rec, attr):
            return False
    if row.win is not None and row.draw is not None and row.loss is not None:
        return row.win * win + row.draw * draw + row.loss * loss + adj == rec.points
    return True


# ---------------------------------------------------------------- ties


def aggregate_finding(row: TwoLegRow, where: str) -> Finding | None:
    """A TwoLegResult's aggregate against its own legs."""
    if row.aggregate is None or row.leg1 is None or row.leg2 is None:
        return None
    home = row.leg1.home + row.leg2.home
    away = row.leg1.away + row.leg2.away
    if (row.aggregate.home, row.aggregate.away) == (home, away):
        return None
    return Finding(
        "aggregate",
        where,
        row.line,
        f"{row.team1} v {row.team2} aggregate",
        f"{row.aggregate.home}–{row.aggregate.away}",
        f"{home}–{away}",
        f"legs {row.leg1.home}–{row.leg1.away}, {row.leg2.home}–{row.leg2.away}",
    )


# ---------------------------------------------------------------- brackets


def _leg_goals(tie: Tie, club: str) -> list[int]:
    return [m.goals(club)[0] for m in tie.legs if m.final is not None]


def bracket_findings(bracket: Bracket, result: SeasonResult, stage_name: str) -> list[Finding]:
    """The bracket against the stage's ties: pairings, legs, aggregates and shoot-outs.

    The bracket's rounds are the stage's last run of knockout rounds, as
    :func:`copa.core.bracket.bracket` lays them out for the export.
    """
    out: list[Finding] = []
    where = f"{bracket.template}"
    try:
        stage = result.stage(stage_name)
    except KeyError:
        return [Finding("bracket", where, bracket.line, "stage", stage_name, "no results")]
    laid_out = core_bracket(stage).rounds
    rounds = [(name, tuple(t.tie for t in ties)) for name, ties in laid_out]
    outcome = {t.tie: t for _, ties in laid_out for t in ties}
    numbers = sorted({e.round for e in bracket.entries})
    if len(numbers) > len(rounds):
        out.append(
            Finding(
                "bracket",
                where,
                bracket.line,
                "rounds",
                str(len(numbers)),
                f"{len(rounds)} knockout rounds in {stage_name}",
            )
        )
        numbers = numbers[-len(rounds) :] if rounds else []
    rounds = rounds[len(rounds) - len(numbers) :]
    names = club_resolver(result.season.clubs)
    seen: dict[str, set[Tie]] = {}
    for (rname, ties), number in zip(rounds, numbers, strict=True):
        label = f"{where} RD{number} ({bracket.rounds.get(number, rname)})"
        entries = sorted((e for e in bracket.entries if e.round == number), key=lambda e: e.slot)
        pairs: dict[int, list[BracketEntry]] = {}
        for e in entries:
            pairs.setdefault((e.slot + 1) // 2, []).append(e)
        seen[rname] = set()
        for pair in pairs.values():
            found = [(e, names.resolve(e.team)) for e in pair]
            bad = [e for e, r in found if r.name is None]
            for e in bad:
                r = names.resolve(e.team)
                out.append(
                    Finding(
                        "bracket", label, e.line, f"slot {e.slot} team", e.team, "?", r.problem()
                    )
                )
            if bad or len(found) != 2:
                continue
            (ea, ra), (eb, rb) = found
            a, b = ra.name or "", rb.name or ""
            tie = next((t for t in ties if set(t.teams) == {a, b}), None)
            if tie is None:
                out.append(
                    Finding(
                        "bracket",
                        label,
                        ea.line,
                        "pairing",
                        f"{a} v {b}",
                        f"no such tie in {rname}",
                    )
                )
                continue
            seen[rname].add(tie)
            for e, club in ((ea, a), (eb, b)):
                out += _entry_findings(e, club, tie, outcome[tie], label, bracket.line)
    # who goes on is the next round's pairings, checked above; whether those follow the
    # rules is the engine's check (clubs playing a round they did not qualify for)
    for rname, ties in rounds:
        for tie in ties:
            if tie not in seen.get(rname, set()):
                where_ = f"{where} ({rname})"
                out.append(
                    Finding("bracket", where_, bracket.line, "tie", "absent", " v ".join(tie.teams))
                )
    return out


def _first_number(raw: str, value: int) -> str:
    return _NUMBER.sub(str(value), raw, count=1) if _NUMBER.search(raw) else str(value)


def _entry_findings(
    e: BracketEntry, club: str, tie: Tie, res: TieResult, label: str, tpl_line: int
) -> list[Finding]:
    out: list[Finding] = []
    goals = _leg_goals(tie, club)
    score = f"RD{e.round}-score{e.slot:02d}"
    for k, written in enumerate(e.leg_goals):
        if written is None:
            continue
        if k >= len(goals):
            out.append(
                Finding(
                    "bracket", label, e.line, f"{club} leg {k + 1}", str(written), "no such leg"
                )
            )
        elif written != goals[k]:
            raw = e.leg_scores[k]
            out.append(
                Finding(
                    "bracket",
                    label,
                    e.line,
                    f"{club} leg {k + 1}",
                    str(written),
                    str(goals[k]),
                    edit=Edit(tpl_line, f"{score}-{k + 1}", raw, _first_number(raw, goals[k])),
                )
            )
    if e.agg_goals is not None:
        agg = res.aggregate[tie.teams.index(club)]
        if e.agg_goals != agg:
            raw = e.agg or ""
            out.append(
                Finding(
                    "bracket",
                    label,
                    e.line,
                    f"{club} aggregate",
                    str(e.agg_goals),
                    str(agg),
                    edit=Edit(tpl_line, f"{score}-agg", raw, _first_number(raw, agg)),
                )
            )
    last = tie.legs[-1] if tie.legs else None
    pens = None
    if last is not None and last.penalties is not None:
        pens = last.penalties.home if last.home == club else last.penalties.away
    # a bracket cell left empty (a score the results do not know) claims no shoot-out
    silent = e.penalties is None and not any(e.leg_scores) and not e.agg
    if e.penalties != pens and not silent:
        out.append(
            Finding(
                "bracket",
                label,
                e.line,
                f"{club} penalties",
                "none" if e.penalties is None else str(e.penalties),
                "none" if pens is None else str(pens),
            )
        )
    return out


# ---------------------------------------------------------------- infobox

RECORD = re.compile(r"^(?P<home>.+?)\s+(?P<h>\d+)\s*[-–—]\s*(?P<a>\d+)\s+(?P<away>.+)$")


def scope_of(note: str | None, season: Season) -> tuple[tuple[str, ...], str]:
    """Stage kinds (or names) an infobox scope note names, and how it was read."""
    if not note:
        return (), "the whole season (the infobox states no scope)"
    text = fold(note)
    kinds: list[str] = []
    for s in season.stages:
        for key in (s.kind, s.name):
            if key and key not in kinds and re.search(rf"\b{re.escape(fold(key))}\b", text):
                kinds.append(key)
    if not kinds:
        return tuple(season.stats_scope), f"the season's scope (the note {note!r} names no stage)"
    return tuple(kinds), f"{' and '.join(kinds)} stages, as the infobox says"


def _played(
    matches: list[Match], home: str | None, away: str | None, h: int, a: int
) -> Match | None:
    for m in matches:
        f = m.final
        if (m.home, m.away) == (home, away) and f is not None and (f.home, f.away) == (h, a):
            return m
    return None


def _record_value(kind: str, m: Match) -> int | None:
    f = m.final
    if f is None:
        return None
    if kind == "home":
        return f.home - f.away if f.home > f.away else None
    if kind == "away":
        return f.away - f.home if f.away > f.home else None
    return f.home + f.away


@dataclass(frozen=True)
class _Box:
    """An infobox being checked: where its parameters stand, and what the results give."""

    box: Infobox
    lines: dict[str, int]
    how: str  # the scope the figures are counted in, as read

    def finding(
        self, label: str, published: str, computed: str, note: str, edit: Edit | None = None
    ) -> Finding:
        line = self.lines.get(label, self.box.line)
        return Finding("infobox", "infobox", line, label, published, computed, note, edit)


def infobox_findings(
    box: Infobox, result: SeasonResult, lines: dict[str, int] | None = None
) -> list[Finding]:
    """Winners, records and totals against the season's results, within the stated scope."""
    out: list[Finding] = []
    season = result.season
    names = club_resolver(season.clubs)
    scope, how = scope_of(box.scope_note, season)
    at = _Box(box, lines or {}, how)
    if box.winners and names.resolve(box.winners).name != result.champion:
        champion = result.champion
        edit = Edit(box.line, "winners", box.winners, champion) if champion else None
        out.append(at.finding("winners", box.winners, champion or "undecided", "", edit))
    stats = season_stats(result, scope)
    played = [m for _, m in result.matches(scope) if m.played_on_pitch]
    for kind, label, claims, best in (
        ("home", "biggest home win", box.biggest_home_win, stats.biggest_home_win),
        ("away", "biggest away win", box.biggest_away_win, stats.biggest_away_win),
        ("total", "highest scoring", box.highest_scoring, stats.highest_scoring),
    ):
        if claims:
            out = _record_findings(at, names, played, kind, label, claims, best, out)
    for label, claimed_n, actual in (
        ("matches", box.matches, stats.matches),
        ("total goals", box.total_goals, stats.goals),
    ):
        if claimed_n is not None and claimed_n != actual:
            edit = Edit(box.line, label, str(claimed_n), str(actual))
            out.append(at.finding(label, str(claimed_n), str(actual), f"scope: {how}", edit))
    return out


def _record_findings(
    at: _Box,
    names: Resolver,
    played: list[Match],
    kind: str,
    label: str,
    claims: tuple[str, ...],
    best: tuple[Match, ...],
    out: list[Finding],
) -> list[Finding]:
    """One record of the infobox (``biggest home win``): each claimed match against the
    results, then the record itself against the best the results give."""
    box = at.box
    top = _record_value(kind, best[0]) if best else None
    shown = "; ".join(str(m) for m in best) or "none"
    record_edit = (
        Edit(box.line, label, claims[0], "<br />".join(str(m) for m in best), claims[0], claims[1:])
        if best
        else None
    )
    claimed_values: list[int] = []
    for claim in claims:
        m = RECORD.match(claim)
        if m is None:
            out.append(at.finding(label, claim, shown, "no score in it"))
            continue
        home, away = names.resolve(m.group("home")), names.resolve(m.group("away"))
        h, a = int(m.group("h")), int(m.group("a"))
        claimed_values.append({"home": h - a, "away": a - h, "total": h + a}[kind])
        if _played(played, home.name, away.name, h, a) is None:
            turned = _played(played, away.name, home.name, a, h)
            got = f"{turned}, with {turned.home} at home" if turned else "no such match"
            edit = Edit(box.line, label, claim, str(turned), claim) if turned else None
            out.append(at.finding(label, claim, got, f"scope: {at.how}", edit))
    if top is None or all(v == top for v in claimed_values):
        return out
    unit = "goals" if kind == "total" else "goal margin"
    published = "; ".join(claims) + f" ({unit} {max(claimed_values)})"
    out.append(
        at.finding(label, published, f"{shown} ({unit} {top})", f"scope: {at.how}", record_edit)
    )
    # the record's finding replaces every claim: the per-claim edits are part of it
    return [
        replace(f, edit=record_edit)
        if f.edit is not None and f.edit.param == label and f.edit.template_line == box.line
        else f
        for f in out
    ]


def infobox_suggestions(
    box: Infobox, result: SeasonResult, lines: dict[str, int] | None = None
) -> list[Finding]:
    """What the infobox leaves empty and the results can fill: ``matches =``, ``total goals =``."""
    lines = lines or {}
    scope, how = scope_of(box.scope_note, result.season)
    stats = season_stats(result, scope)
    out = []
    for label, value in (("matches", stats.matches), ("total goals", stats.goals)):
        if label in box.params and not box.params[label].strip():
            out.append(
                Finding(
                    "suggestion",
                    "infobox",
                    lines.get(label, box.line),
                    label,
                    "(empty)",
                    str(value),
                    f"scope: {how}",
                    Edit(box.line, label, "", str(value)),
                )
            )
    return out
