"""Terminal rendering with rich: tables, brackets, paths, statistics.

Renderers only lay out what the engine decided; they compute no rule.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Group as RichGroup
from rich.console import RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from copa.core.bracket import Bracket
from copa.core.criteria import criterion
from copa.core.match import Match
from copa.core.path import ClubPath
from copa.core.resolve import GroupResult, RoundResult, SeasonResult, StageResult
from copa.core.stats import SeasonStats
from copa.core.tie import LABELS, TieResult
from copa.sinks.export_json import group_notes

#: a season with more stages than this is shown level by level
MAX_STAGE_ROWS = 30


def group_table(rr: RoundResult, g: GroupResult) -> RenderableType:
    notes = group_notes(rr, g)
    left = len(g.remaining)
    title = f"{rr.stage} · {g.group.name}"
    if left:
        title += f" · provisional, {left} fixture(s) to play"
    t = RichTable(
        title=title,
        box=box.SIMPLE_HEAVY,
        title_justify="left",
        expand=False,
    )
    for col, just in (
        ("#", "right"),
        ("Club", "left"),
        ("P", "right"),
        ("W", "right"),
        ("D", "right"),
        ("L", "right"),
        ("GF", "right"),
        ("GA", "right"),
        ("GD", "right"),
        ("Pts", "right"),
        ("Note", "left"),
    ):
        t.add_column(col, justify=just)  # type: ignore[arg-type]
    if left:
        t.add_column("Can finish", justify="right")
        t.add_column("Status", justify="left")
    qualified = set(rr.qualifiers)
    outlooks = {o.club: o for o in g.outlook}
    for s in g.table.standings:
        style = "bold green" if s.club in qualified else ""
        o = outlooks.get(s.club)
        extra = []
        if left and o is not None:
            extra = [f"{o.best}–{o.worst}" if o.best != o.worst else str(o.best), o.status.value]
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
            notes[s.club],
            *extra,
            style=style,
        )
    chain = " › ".join(criterion(c).label for c in g.table.chain)
    lines: list[RenderableType] = [t, Text(f"Ranking: {chain}", style="dim")]
    for p in g.table.pending:
        lines.append(Text(f"pending: {p}", style="yellow"))
    for d in g.deciders:
        lines.append(Text(f"Tiebreaker: {d.tie.legs[0]}"))
    return RichGroup(*lines)


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
    how = f" → {t.winner} on {LABELS.get(t.decided_by or '', '?')}" if t.winner else " → undecided"
    return f"{a} {agg} {b} ({legs}){how}"


def ties_table(rr: RoundResult) -> RenderableType:
    t = RichTable(title=f"{rr.stage} · {rr.round.name}", box=box.SIMPLE, title_justify="left")
    t.add_column("Tie")
    t.add_column("Agg", justify="center")
    t.add_column("Legs")
    t.add_column("Through")
    t.add_column("Decided by")
    for r in rr.ties:
        a, b = r.tie.teams
        legs = "; ".join(str(m) for m in r.tie.matches)
        t.add_row(
            f"{a} v {b}",
            f"{r.aggregate[0]}–{r.aggregate[1]}",
            legs,
            r.winner or "—",
            LABELS.get(r.decided_by or "", "—"),
        )
    parts: list[RenderableType] = [t]
    for sel in rr.selections:
        parts.append(Text(f"{sel.what.capitalize()}: {', '.join(sel.chosen)}", style="cyan"))
        for e in sel.explanations()[: len(sel.chosen) + 1]:
            parts.append(Text(f"  {e}", style="dim"))
    return RichGroup(*parts)


def bracket_text(br: Bracket) -> Text:
    """The bracket drawn with box characters: legs, aggregate and shoot-outs per club."""
    if not br.rounds:
        return Text("(no knockout rounds)")
    cells: list[list[tuple[list[tuple[str, bool]], int]]] = []
    widths: list[int] = []
    for _, ties in br.rounds:
        col = []
        for t in ties:
            lines = []
            for club in t.tie.teams:
                goals = " ".join(f"{g:>2}" for g in _leg_goals(t, club))
                agg = t.aggregate[0] if club == t.tie.teams[0] else t.aggregate[1]
                pens = ""
                last = t.tie.legs[-1] if t.tie.legs else None
                if last is not None and last.penalties is not None:
                    p = last.penalties.home if last.home == club else last.penalties.away
                    pens = f" ({p})"
                tag = " (a)" if t.decided_by == "away_goals" and t.winner == club else ""
                name = club if len(club) <= 24 else club[:23] + "…"
                lines.append((f"{name:<24} {goals} │{agg:>2}{pens}{tag}", t.winner == club))
            col.append((lines, 0))
        cells.append(col)
        widths.append(max(len(s) for c, _ in col for s, _ in c) + 1)
    n0 = len(cells[0])
    ys: list[list[int]] = [[i * 4 for i in range(n0)]]
    for r in range(1, len(cells)):
        prev = ys[-1]
        ys.append(
            [
                (prev[2 * j] + prev[2 * j + 1]) // 2 if 2 * j + 1 < len(prev) else prev[-1]
                for j in range(len(cells[r]))
            ]
        )
    height = max(ys[0]) + 2
    gap = 3
    xs = [0]
    for w in widths[:-1]:
        xs.append(xs[-1] + w + gap)
    total_w = xs[-1] + widths[-1] + 2
    grid = [[" "] * total_w for _ in range(height)]
    bold = [[False] * total_w for _ in range(height)]
    for r, col in enumerate(cells):
        for j, (lines, _) in enumerate(col):
            y = ys[r][j]
            for k, (s, win) in enumerate(lines):
                for i, ch in enumerate(s.ljust(widths[r])):
                    grid[y + k][xs[r] + i] = ch
                    bold[y + k][xs[r] + i] = win
            if r + 1 < len(cells):
                x = xs[r] + widths[r] + 1
                target = ys[r + 1][j // 2]
                mid_y = y + (0 if j % 2 == 0 else 1)
                grid[mid_y][x] = "─"
                grid[mid_y][x + 1] = "┐" if j % 2 == 0 else "┘"
                lo, hi = sorted((mid_y, target + (j % 2)))
                for yy in range(lo + 1, hi):
                    if grid[yy][x + 1] == " ":
                        grid[yy][x + 1] = "│"
                grid[target + (j % 2)][x + 2] = "─"
    text = Text(no_wrap=True, overflow="ignore")
    header = ""
    for r, (name, _) in enumerate(br.rounds):
        header = header.ljust(xs[r]) + name
    text.append(header + "\n", style="bold underline")
    for y in range(height):
        line = "".join(grid[y]).rstrip()
        start = 0
        for i in range(1, len(line) + 1):
            if i == len(line) or bold[y][i] != bold[y][start]:
                text.append(line[start:i], style="bold" if bold[y][start] else "")
                start = i
        text.append("\n")
    if br.champion:
        text.append(f"\nChampion: {br.champion}\n", style="bold green")
    return text


def stats_view(stats: SeasonStats, top: int = 10) -> RenderableType:
    def show(ms: tuple[Match, ...]) -> str:
        return "; ".join(str(m) for m in ms) or "—"

    t = RichTable(box=box.SIMPLE, show_header=False)
    t.add_column("What", style="bold")
    t.add_column("Value")
    t.add_row("Scope", ", ".join(stats.scope) or "whole season")
    t.add_row("Matches", str(stats.matches))
    t.add_row("Goals", str(stats.goals))
    t.add_row("Goals per match", f"{stats.goals_per_match:.2f}")
    t.add_row("Biggest home win", show(stats.biggest_home_win))
    t.add_row("Biggest away win", show(stats.biggest_away_win))
    t.add_row("Highest scoring", show(stats.highest_scoring))
    clubs = RichTable(
        title=f"Clubs (top {top} by points over the scope)", box=box.SIMPLE, title_justify="left"
    )
    for col in ("Club", "P", "W", "D", "L", "GF", "GA", "GD"):
        clubs.add_column(col, justify="left" if col == "Club" else "right")
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
        )
    return RichGroup(t, clubs)


def show_season(result: SeasonResult, stats: SeasonStats, br: Bracket) -> RenderableType:
    season = result.season
    head = Text(f"{season.competition} {season.name}\n", style="bold")
    if result.champion:
        head.append(f"Champion: {result.champion}", style="bold green")
        if result.runner_up:
            head.append(f"   Runner-up: {result.runner_up}", style="bold")
        head.append("\n")
    for club, dest in result.promoted:
        head.append(f"  {club} promoted to the {dest}\n")
    if not result.complete:
        head.append(
            f"in progress: {result.matches_played:,} of {result.matches_total:,} matches played\n",
            style="bold yellow",
        )
    shown: Sequence[StageResult] = result.stages
    parts: list[RenderableType] = [head]
    if len(result.stages) > MAX_STAGE_ROWS:
        # a whole pyramid: one line per kind of stage, then the stages of the top levels
        kinds = RichTable(title="Stages by level", box=box.SIMPLE, title_justify="left")
        for col in ("Level", "Stages", "Places decided", "Clubs going on"):
            kinds.add_column(col, justify="left" if col == "Level" else "right")
        by_kind: dict[str, list[StageResult]] = {}
        for sr in result.stages:
            by_kind.setdefault(sr.stage.kind, []).append(sr)
        for kind, group in by_kind.items():
            decided = sum(1 for sr in group if sr.places_by != "undecided")
            going = sum(len(sr.places) for sr in group)
            kinds.add_row(kind, f"{len(group):,}", f"{decided:,}", f"{going:,}")
        parts.append(kinds)
        top = [sr for sr in result.stages if len(by_kind[sr.stage.kind]) <= MAX_STAGE_ROWS]
        shown = top[-MAX_STAGE_ROWS:]
    stages = RichTable(title="Stages", box=box.SIMPLE, title_justify="left")
    for col in ("Stage", "Format", "1st", "2nd", "Places by"):
        stages.add_column(col)
    for sr in shown:
        fmt = ", ".join(_round_format(r) for r in sr.rounds)
        places = list(sr.places) + ["", ""]
        by = sr.places_by
        left = len(sr.remaining())
        if left:
            by = f"{left} to play"
        stages.add_row(sr.stage.name, fmt, places[0], places[1], by)
    parts.append(stages)
    title = Text(f"\n{br.stage}: bracket", style="bold")
    parts += [title, bracket_text(br), stats_view(stats, top=5)]
    if result.issues:
        parts.append(
            Text(f"Issues ({len(result.issues)}; copa check lists them all):", style="bold yellow")
        )
        parts.extend(Text(f"  {i}", style="yellow") for i in result.issues[:MAX_STAGE_ROWS])
    return RichGroup(*parts)


def _round_format(r: RoundResult) -> str:
    if not r.groups:
        return r.round.name
    if len(r.groups) == 1:
        return f"{r.round.name} (1 group)" if r.round.name else "1 group"
    return f"{r.round.name} ({len(r.groups)} groups)"


def club_view(path: ClubPath) -> RenderableType:
    t = RichTable(title=path.club, box=box.SIMPLE, title_justify="left")
    t.add_column("Stage")
    t.add_column("Round")
    t.add_column("What happened")
    t.add_column("Matches")
    for s in path.steps:
        mark = {True: "✔ ", False: "✘ ", None: ""}[s.went_on]
        t.add_row(s.stage, s.round, mark + s.summary, "\n".join(str(m) for m in s.matches))
    return RichGroup(t, Text(path.outcome, style="bold"))
