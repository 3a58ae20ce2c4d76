"""Terminal rendering with rich: tables, brackets, paths, statistics.

Renderers only lay out what the engine decided; they compute no rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, RenderableType
from rich.console import Group as RichGroup
from rich.measure import Measurement
from rich.table import Table as RichTable
from rich.text import Text

from copa.core.bracket import Bracket
from copa.core.criteria import criterion
from copa.core.match import Match
from copa.core.notes import group_notes, notes_text
from copa.core.resolve import GroupResult, RoundResult, SeasonResult, StageResult
from copa.core.stats import SeasonStats
from copa.core.tie import LABELS, TieResult
from copa.i18n import _, plural, term

if TYPE_CHECKING:
    from copa.core.path import ClubPath

#: a season with more stages than this is shown level by level
MAX_STAGE_ROWS = 30


def group_table(rr: RoundResult, g: GroupResult, console: Console) -> RenderableType:
    """A group's table, its ranking chain, what it waits for and its deciding matches.

    On a terminal too narrow for the notes beside the rows, they follow the table as
    lines instead, so no club's name or figure is cut.
    """
    chain = " › ".join(_(criterion(c).label) for c in g.table.chain)
    after: list[RenderableType] = [Text(_("Ranking: {chain}").format(chain=chain), style="dim")]
    for p in g.table.pending:
        after.append(Text(_("pending: {what}").format(what=p), style="yellow"))
    for d in g.deciders:
        after.append(Text(_("Deciding match: {match}").format(match=d.tie.legs[0])))
    return _GroupTable(rr, g, after).fitted(console)


class _GroupTable:
    """Lays a group table out for the width it is given (see :func:`group_table`)."""

    def __init__(self, rr: RoundResult, g: GroupResult, after: list[RenderableType]) -> None:
        self.rr, self.g, self.after = rr, g, after
        self.notes = notes_text(group_notes(rr, g), _)

    def fitted(self, console: Console) -> RenderableType:
        """The wide layout when it fits ``console`` unwrapped, else the compact one."""
        wide = self.table(compact=False)
        unwrapped = Measurement.get(console, console.options.update(width=10_000), wide).maximum
        if unwrapped <= console.width:
            return RichGroup(wide, *self.after)
        below = [Text(f"{club}: {note}") for club, note in self.notes.items() if note]
        return RichGroup(self.table(compact=True), *below, *self.after)

    def table(self, compact: bool) -> RichTable:
        """The table; ``compact``: one space between columns, and no notes column."""
        rr, g = self.rr, self.g
        left = len(g.remaining)
        title = f"{term(rr.stage)} · {term(g.group.name)}"
        if left:
            title += " · " + plural(
                left, "provisional, {n} fixture to play", "provisional, {n} fixtures to play"
            )
        t = RichTable(
            title=title,
            box=box.SIMPLE_HEAVY,
            title_justify="left",
            expand=False,
            collapse_padding=compact,
            pad_edge=not compact,
        )
        longest = max((len(s.club) for s in g.table.standings), default=4)
        t.add_column("#", justify="right", no_wrap=True)
        t.add_column(_("Club"), min_width=min(longest, 32), no_wrap=longest <= 32)
        for col in (
            # Translators: table column: matches played
            _("P"),
            _("W"),
            _("D"),
            _("L"),
            _("GF"),
            _("GA"),
            _("GD"),
            _("Pts"),
        ):
            t.add_column(col, justify="right", no_wrap=True)
        beside = not compact and any(self.notes.values())
        if beside:
            t.add_column(_("Note"))
        if left:
            from copa.wording import status_text

            # Translators: table column: the places a club can still finish in (2–4)
            t.add_column(
                _("Can finish"), justify="right", min_width=len(f"{len(g.outlook)}") * 2 + 1
            )
            t.add_column(_("Status"), no_wrap=True)
        qualified = set(rr.qualifiers)
        outlooks = {o.club: o for o in g.outlook}
        for s in g.table.standings:
            o = outlooks.get(s.club)
            extra = [self.notes[s.club]] if beside else []
            if left and o is not None:
                extra += [
                    f"{o.best}–{o.worst}" if o.best != o.worst else str(o.best),
                    status_text(o.status.value),
                ]
            t.add_row(
                str(s.position),
                s.club,
                str(s.played),
                str(s.won),
                str(s.drawn),
                str(s.lost),
                str(s.goals_for),
                str(s.goals_against),
                f"{s.goal_difference:+d}",
                str(s.points),
                *extra,
                style="bold green" if s.club in qualified else "",
            )
        return t


def _leg_goals(t: TieResult, club: str) -> list[str]:
    out = []
    for m in t.tie.legs:
        if m.final is None:
            out.append("-")
            continue
        gf, _ = m.goals(club)
        out.append(str(gf))
    return out


def tie_line(t: TieResult) -> str:
    a, b = t.tie.teams
    legs = ", ".join(str(m) for m in t.tie.matches)
    agg = f"{t.aggregate[0]}–{t.aggregate[1]}"
    how = (
        " → "
        + _("{club} on {how}").format(club=t.winner, how=_(LABELS.get(t.decided_by or "", "?")))
        if t.winner
        else " → " + _("undecided")
    )
    return f"{a} {agg} {b} ({legs}){how}"


def ties_table(rr: RoundResult) -> RenderableType:
    t = RichTable(
        title=f"{term(rr.stage)} · {term(rr.round.name)}", box=box.SIMPLE, title_justify="left"
    )
    t.add_column(_("Tie"))
    t.add_column(_("Agg"), justify="center")
    t.add_column(_("Legs"))
    t.add_column(_("Through"))
    t.add_column(_("Decided by"))
    for r in rr.ties:
        a, b = r.tie.teams
        legs = "; ".join(str(m) for m in r.tie.matches)
        t.add_row(
            f"{a} v {b}",
            f"{r.aggregate[0]}–{r.aggregate[1]}",
            legs,
            r.winner or "—",
            _(LABELS[r.decided_by]) if r.decided_by in LABELS else "—",
        )
    parts: list[RenderableType] = [t]
    for sel in rr.selections:
        what = _(sel.what)
        parts.append(Text(f"{what[:1].upper()}{what[1:]}: {', '.join(sel.chosen)}", style="cyan"))
        for e in sel.explanations()[: len(sel.chosen) + 1]:
            parts.append(Text(f"  {e}", style="dim"))
    return RichGroup(*parts)


def bracket_text(br: Bracket, width: int | None = None) -> Text:
    """The bracket within the terminal's width (copa.cli.bracket_text)."""
    from copa.cli.bracket_text import bracket_text as draw

    if width is None:
        import shutil

        width = shutil.get_terminal_size((100, 24)).columns
    return draw(br, width)


def stats_view(stats: SeasonStats, top: int = 10) -> RenderableType:
    def show(ms: tuple[Match, ...]) -> str:
        return "; ".join(str(m) for m in ms) or "—"

    t = RichTable(box=box.SIMPLE, show_header=False)
    t.add_column("What", style="bold")
    t.add_column("Value")
    t.add_row(_("Scope"), ", ".join(term(s) for s in stats.scope) or _("whole season"))
    t.add_row(_("Matches"), str(stats.matches))
    t.add_row(_("Goals"), str(stats.goals))
    t.add_row(_("Goals per match"), f"{stats.goals_per_match:.2f}")
    t.add_row(_("Biggest home win"), show(stats.biggest_home_win))
    t.add_row(_("Biggest away win"), show(stats.biggest_away_win))
    t.add_row(_("Highest scoring"), show(stats.highest_scoring))
    clubs = RichTable(
        title=_("Clubs (top {n} by points over the scope)").format(n=top),
        box=box.SIMPLE,
        title_justify="left",
    )
    cols = (_("Club"), _("P"), _("W"), _("D"), _("L"), _("GF"), _("GA"), _("GD"), _("Pts"))
    for i, col in enumerate(cols):
        clubs.add_column(col, justify="left" if i == 0 else "right")
    for r in stats.clubs[:top]:
        clubs.add_row(
            r.club,
            str(r.played),
            str(r.won),
            str(r.drawn),
            str(r.lost),
            str(r.goals_for),
            str(r.goals_against),
            f"{r.goal_difference:+d}",
            str(r.points),
        )
    return RichGroup(t, clubs)


def show_season(
    result: SeasonResult, stats: SeasonStats, br: Bracket, width: int | None = None
) -> RenderableType:
    season = result.season
    head = Text(f"{season.competition} {season.name}\n", style="bold")
    if result.champion:
        head.append(_("Champion: {club}").format(club=result.champion), style="bold green")
        if result.runner_up:
            head.append("   " + _("Runner-up: {club}").format(club=result.runner_up), style="bold")
        head.append("\n")
    for club, dest in result.promoted:
        head.append("  " + _("{club} promoted to {league}").format(club=club, league=term(dest)))
        head.append("\n")
    if not result.complete:
        head.append(
            _("in progress: {played} of {total} matches played").format(
                played=f"{result.matches_played:,}", total=f"{result.matches_total:,}"
            )
            + "\n",
            style="bold yellow",
        )
    shown: Sequence[StageResult] = result.stages
    parts: list[RenderableType] = [head]
    if len(result.stages) > MAX_STAGE_ROWS:
        # a whole pyramid: one line per kind of stage, then the stages of the top levels
        kinds = RichTable(title=_("Stages by level"), box=box.SIMPLE, title_justify="left")
        cols = (_("Level"), _("Stages"), _("Places decided"), _("Clubs going on"))
        for i, col in enumerate(cols):
            kinds.add_column(col, justify="left" if i == 0 else "right")
        by_kind: dict[str, list[StageResult]] = {}
        for sr in result.stages:
            by_kind.setdefault(sr.stage.kind, []).append(sr)
        for kind, group in by_kind.items():
            decided = sum(1 for sr in group if sr.places_by != "undecided")
            going = sum(len(sr.places) for sr in group)
            kinds.add_row(_(kind), f"{len(group):,}", f"{decided:,}", f"{going:,}")
        parts.append(kinds)
        top = [sr for sr in result.stages if len(by_kind[sr.stage.kind]) <= MAX_STAGE_ROWS]
        shown = top[-MAX_STAGE_ROWS:]
    stages = RichTable(title=_("Stages"), box=box.SIMPLE, title_justify="left")
    for col in (_("Stage"), _("Format"), _("1st"), _("2nd"), _("Places by")):
        stages.add_column(col)
    for sr in shown:
        fmt = ", ".join(_round_format(r) for r in sr.rounds)
        places = list(sr.places) + ["", ""]
        by = _(sr.places_by)
        left = len(sr.remaining())
        if left:
            by = plural(left, "{n} to play", "{n} to play")
        stages.add_row(term(sr.stage.name), fmt, places[0], places[1], by)
    parts.append(stages)
    title = Text("\n" + _("{stage}: bracket").format(stage=term(br.stage)), style="bold")
    parts += [title, bracket_text(br, width), stats_view(stats, top=5)]
    if result.issues:
        n = len(result.issues)
        parts.append(
            Text(_("Issues ({n}; copa check lists them all):").format(n=n), style="bold yellow")
        )
        parts.extend(Text(f"  {i}", style="yellow") for i in result.issues[:MAX_STAGE_ROWS])
    return RichGroup(*parts)


def _round_format(r: RoundResult) -> str:
    if not r.groups:
        return term(r.round.name)
    groups = plural(len(r.groups), "{n} group", "{n} groups")
    return f"{term(r.round.name)} ({groups})" if r.round.name else groups


def club_view(path: ClubPath) -> RenderableType:
    """A club's path, step by step (its words are imported here: only ``copa team`` needs them)."""
    from copa.wording import outcome_text, step_text

    t = RichTable(title=path.club, box=box.SIMPLE, title_justify="left")
    t.add_column(_("Stage"))
    t.add_column(_("Round"))
    t.add_column(_("What happened"))
    t.add_column(_("Matches"))
    for s in path.steps:
        mark = {True: "✔ ", False: "✘ ", None: ""}[s.went_on]
        matches = sorted(s.matches, key=_played_order)
        t.add_row(
            term(s.stage), term(s.round), mark + step_text(s), "\n".join(str(m) for m in matches)
        )
    return RichGroup(t, Text(outcome_text(path.outcome), style="bold"))


def _played_order(m: Match) -> tuple[str, int]:
    """Matches by date, then matchday, when the season file has them (the sort is stable)."""
    return (getattr(m, "date", None) or "", getattr(m, "matchday", None) or 0)
