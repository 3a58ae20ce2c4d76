"""Fixtures and results while a season is played: fixtures, result, results import,
history, revert (docs/season-file.md, "Fixtures" and "History")."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from copa.cli import CopaError, app

results_app = typer.Typer(
    name="results",
    help="Many results at once (copa results import SEASON results.csv).",
    no_args_is_help=True,
)
app.add_typer(results_app, name="results")

SeasonFile = Annotated[str, typer.Argument(help="A season file (pyramid or plain).")]
MatchOpt = Annotated[
    str | None, typer.Option(help="Only this match: 'Home v Away' (either order).")
]
ByOpt = Annotated[
    str | None, typer.Option("--by", help="Who makes the change (default: your login name).")
]


def _entry_error(e: Exception) -> CopaError:
    return CopaError(str(e))


def _one_change(season: str, plan: Callable[[Any], Any], by: str | None) -> Any | None:
    """Make the one change ``plan(loaded)`` gives, through the locked read-modify-write of
    :func:`copa.io.season_edit.apply_changes`; None when the file already held it."""
    from copa.io.season_edit import apply_changes
    from copa.spec.entry import EntryError

    try:
        _, changes = apply_changes(season, lambda loaded: [plan(loaded)], by)
    except EntryError as e:
        raise _entry_error(e) from None
    return changes[0] if changes else None


def _change_text(ch: Any) -> str:
    """Where a change was made, its match, and its old and new results."""
    from copa.spec.entry import result_text

    head = _place(ch.slot.where(), ch.slot.fixture, f"{ch.new.home} v {ch.new.away}")
    return f"{head}: {result_text(ch.slot.match)} -> {result_text(ch.new)}"


def _place(where: str, fixture: str, pair: str) -> str:
    """Where a match is, then the match: a tie named by the pair as played (a one-match
    tie, a first leg) says it once; a second leg adds who hosts it."""
    return where if fixture == pair else f"{where}: {pair}"


@app.command()
def fixtures(
    season: Annotated[str, typer.Argument(help="A bundled season or a season file.")],
    stage: Annotated[str | None, typer.Option(help="Only this stage.")] = None,
    club: Annotated[str | None, typer.Option(help="Only this club's fixtures.")] = None,
    matchday: Annotated[int | None, typer.Option(help="Only this matchday (fecha).")] = None,
    remaining: Annotated[bool, typer.Option(help="Only fixtures still to play.")] = False,
) -> None:
    """The fixtures in order (stage, round, matchday, date), with their results where played."""
    from copa.core.match import MatchStatus
    from copa.i18n import ngettext, term
    from copa.sources.names import season_club
    from copa.spec.entry import slots
    from copa.spec.errors import UnknownName
    from copa.spec.fold import fold
    from copa.spec.seasons import find_season

    s = find_season(season)
    wanted_club = None
    if club is not None:
        try:
            wanted_club = season_club(s, club)
        except UnknownName as e:
            raise _entry_error(e) from None
    if stage is not None and not any(fold(st.name) == fold(stage) for st in s.stages):
        names = ", ".join(st.name for st in s.stages[:8])
        more = f" and {len(s.stages) - 8} more" if len(s.stages) > 8 else ""
        raise CopaError(f"no stage {stage!r} in {s.name} (stages: {names}{more})")
    rows: list[Any] = []
    for slot in slots(s):
        m = slot.match
        if stage is not None and fold(slot.stage) != fold(stage):
            continue
        if wanted_club is not None and wanted_club not in (m.home, m.away):
            continue
        if matchday is not None and m.matchday != matchday:
            continue
        if remaining and m.status is not MatchStatus.SCHEDULED:
            continue
        rows.append(slot)
    rows.sort(key=_fixture_order)
    out = sys.stdout
    header = None
    played = 0
    for slot in rows:
        where = " · ".join(
            term(x) for x in (slot.stage, slot.round, slot.fixture if slot.group else "") if x
        )
        if where != header:
            out.write(f"{where}\n")
            header = where
        line, was_played = _fixture_line(slot)
        played += was_played
        out.write(line)
    n = len(rows)
    total = ngettext(
        "{n} fixture, {played} played, {left} to play",
        "{n} fixtures, {played} played, {left} to play",
        n,
    )
    out.write(total.format(n=n, played=played, left=n - played) + "\n")


def _fixture_order(slot: Any) -> tuple[Any, ...]:
    """Stage, round, group, then matchday, date and kick-off (unknown last), legs first."""
    m = slot.match
    big = 10**9
    return (
        slot.si,
        slot.ri,
        slot.ci if slot.group is not None else -1,
        m.matchday if m.matchday is not None else big,
        m.date or "9999",
        m.kickoff or "99",
        slot.ci,
        0 if slot.kind in ("match", "leg") else 1,
        slot.index,
    )


def _fixture_line(slot: Any) -> tuple[str, bool]:
    """One fixture's line under its heading, and whether it was played."""
    from copa.core.match import MatchStatus
    from copa.i18n import _
    from copa.spec.entry import result_text

    m = slot.match
    when = " ".join(x for x in (m.date, m.kickoff) if x)
    md = _("matchday {n}").format(n=m.matchday) if m.matchday is not None else ""
    played = m.status is not MatchStatus.SCHEDULED
    if not played:
        game = f"{m.home} v {m.away}"
    elif m.status is MatchStatus.NOT_PLAYED:
        game = f"{m.home} v {m.away}: {_('not played')}"
    else:
        game = f"{m.home} {result_text(m).split(' | ')[0]} {m.away}"
    extra = []
    if slot.leg:
        extra.append(_("first leg") if slot.leg == 1 else _("second leg"))
    if slot.kind in ("decider", "tie_decider"):
        extra.append(_("deciding match"))
    if m.venue:
        extra.append(_("at {venue}").format(venue=m.venue))
    if m.simulated:
        extra.append(_("simulated"))
    tail = f"  ({', '.join(extra)})" if extra else ""
    lead = f"{md:<12} {when}".strip()
    return (f"  {lead:<29} {game}{tail}\n" if lead else f"  {game}{tail}\n"), played


@app.command()
def result(
    season: SeasonFile,
    match: Annotated[
        str,
        typer.Argument(
            help="'Home 2-1 Away' in the season-file notation: 'Home 1-1 aet 2-1 Away', "
            "'Home 0-0 (4-3 p) Away', 'Home w/o 3-0 Away', 'Home v Away: not played', ..."
        ),
    ],
    by: ByOpt = None,
    reason: Annotated[
        str | None, typer.Option(help="Why (required to correct a match already played).")
    ] = None,
    stage: Annotated[
        str | None, typer.Option(help="The stage, when the two clubs meet more than once.")
    ] = None,
    decider: Annotated[
        bool,
        typer.Option(
            "--decider",
            help="It is the deciding match the rules ask for (found by itself when the pair "
            "has no fixture left to play).",
        ),
    ] = False,
) -> None:
    """Record the result of a scheduled fixture (or, with --reason, correct a played one).

    The result is checked at once against the rules; the season file changes in
    that one line, and the change is appended to the file's history. A deciding
    match the rules ask for (clubs level at a complete group's line, a tie left
    level by its legs) is added to the file by its result ('A v B' schedules it).
    """
    from copa.sources.names import season_club
    from copa.spec.entry import resolve_new, result_text

    ch = _one_change(
        season,
        lambda loaded: resolve_new(loaded, match, stage, reason, club=season_club, decider=decider),
        by,
    )
    if ch is None:
        print("already recorded: nothing changed")
    elif ch.slot.added:
        print(f"{ch.slot.where()}: added {ch.new.home} v {ch.new.away}: {result_text(ch.new)}")
    else:
        print(_change_text(ch))


@results_app.command("import")
def results_import(
    season: SeasonFile,
    csv_file: Annotated[
        Path, typer.Argument(help="Results CSV: the columns of copa export --what matches.")
    ],
    by: ByOpt = None,
    reason: Annotated[
        str | None, typer.Option(help="Why (required when it corrects played matches).")
    ] = None,
    dry_run: Annotated[bool, typer.Option(help="Only show what would change.")] = False,
) -> None:
    """Enter many results at once: shows every change, then applies all of them or none."""
    from copa.io.season_edit import apply_changes
    from copa.sources.names import season_club
    from copa.sources.results_csv import ResultsCsvError, read_results_csv
    from copa.spec.entry import EntryError, plan_import, result_text
    from copa.spec.season_file import read_text

    text = read_text(csv_file, "results CSV")
    try:
        rows = read_results_csv(text, str(csv_file))
    except ResultsCsvError as e:
        raise CopaError(str(e)) from None

    shown: list[Any] = []

    def plan(loaded: Any) -> list[Any]:
        changes = plan_import(loaded, rows, str(csv_file), reason, club=season_club)
        shown[:] = changes
        return [] if dry_run else changes

    try:
        _, changes = apply_changes(season, plan, by, source=f"results import {csv_file.name}")
    except EntryError as e:
        raise _entry_error(e) from None
    todo = [c for c in shown if result_text(c.slot.match) != result_text(c.new)]
    for ch in todo:
        print(_change_text(ch))
    verb = "would change" if dry_run else "changed"
    print(f"{len(todo)} results {verb}; {len(rows) - len(todo)} rows already as recorded")


@app.command()
def history(
    season: SeasonFile,
    match: MatchOpt = None,
) -> None:
    """Every change entered into the season, with its id (for copa revert)."""
    from copa.io.season_edit import load
    from copa.sources.names import season_club
    from copa.spec.entry import EntryError
    from copa.spec.errors import UnknownName

    try:
        loaded = load(season)
        entries = list(loaded.history)
        if match is not None:
            parts = [p.strip() for p in match.replace(" vs ", " v ").split(" v ")]
            if len(parts) != 2:
                raise EntryError(f"--match {match!r}: write it as 'Home v Away'")
            pair = {season_club(loaded.season, p) for p in parts}
            entries = [e for e in entries if set(e.match.split(" v ")) == pair]
    except (EntryError, UnknownName) as err:
        raise _entry_error(err) from None
    for e in entries:
        leg = f", leg {e.leg}" if e.leg else ""
        why = f"  ({e.reason})" if e.reason else ""
        rev = f"  [reverts #{e.reverts}]" if e.reverts else ""
        src = f"  [{e.source}]" if e.source else ""
        place = _place(f"{e.stage} · {e.round} · {e.fixture}{leg}", e.fixture, e.match)
        print(f"#{e.id}  {e.at}  {e.by}  {place}: {e.old} -> {e.new}{why}{rev}{src}")
    print(f"{len(entries)} changes")


@app.command()
def revert(
    season: SeasonFile,
    change: Annotated[int, typer.Argument(help="The id of the change (copa history).")],
    reason: Annotated[str, typer.Option(help="Why it is undone.")],
    by: ByOpt = None,
) -> None:
    """Undo one change, as a new change: the history itself is never rewritten."""
    from copa.spec.entry import plan_revert

    ch = _one_change(season, lambda loaded: plan_revert(loaded, change, reason), by)
    if ch is None:
        print("nothing to undo: the match already holds the old value")
    else:
        print(f"reverted #{change}: {_change_text(ch)}")
