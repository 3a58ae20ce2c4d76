"""The ``copa`` command line: show, table, bracket, team, stats, export, check.

Every command takes SEASON: a bundled season's name (``2011``) or a path to a
season file. Bad input ends with one line on standard error and exit code 2.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

import typer
from rich.console import Console
from typer.exceptions import Abort, Exit, TyperException

from copa.cli.options import lang_from_argv, version_callback
from copa.i18n import term
from copa.spec.errors import SeasonFileError, UnknownName
from copa.spec.seasons import bundled

if TYPE_CHECKING:
    from copa.core.match import Match
    from copa.core.resolve import SeasonResult

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="copa",
    help="Run football pyramids like the Copa Perú: tables, ties, qualifiers, brackets.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(emoji=False)  # a name with ":...:" in it is printed as written


def stderr_console() -> Console:
    """The console for messages and progress: standard error, names printed as written."""
    return Console(stderr=True, emoji=False)


def writes(*targets: str, reads: tuple[str, ...] = ()) -> Callable[[F], F]:
    """A writing command holds the safe writer's lock over its whole read-modify-write.

    ``targets`` and ``reads`` name the command's parameters that are the files it
    writes and reads; their directories stay locked (:func:`copa.io.safe_write.hold`)
    from before the first read until the write is done, so another copa writer of
    the same files waits and then works on the new file.
    """

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            from copa.io.safe_write import WriteError, hold

            try:
                with hold(*(kwargs.get(n) for n in targets), reads=[kwargs.get(n) for n in reads]):
                    return fn(*args, **kwargs)
            except WriteError as e:
                raise CopaError(str(e)) from None

        return cast(F, run)

    return wrap


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=version_callback, is_eager=True, help="Show copa's version."
        ),
    ] = False,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang", help="Language of the output: en or es (default: the locale's, e.g. LANG)."
        ),
    ] = None,
) -> None:
    """Run football pyramids like the Copa Perú: tables, ties, qualifiers, brackets."""
    if lang is not None:  # main() has already spoken the locale's language
        _activate(lang)


def _activate(lang: str | None) -> None:
    from copa.i18n import activate, available

    if lang is not None and lang.replace("-", "_").split("_")[0].lower() not in available():
        raise CopaError(f"--lang {lang}: no such language (available: {', '.join(available())})")
    activate(lang)


SeasonArg = Annotated[
    str, typer.Argument(help="A bundled season (e.g. 2011) or a season file path.")
]
GroupArg = Annotated[
    str | None, typer.Argument(help="e.g. 'Region II Group C', 'Region II' or 'Group A'.")
]


def output_option(help: str) -> Any:
    """The ``--output``/``-o`` option of every command that writes a file, with its help."""
    return typer.Option("--output", "-o", help=help)


class CopaError(Exception):
    """A user error: printed as one line, exit code 2."""


def _load(season: str) -> SeasonResult:
    import gc

    from copa.spec.seasons import load_result

    result = load_result(season)
    gc.freeze()  # a command's season lives to the end: no collection walks over it again
    return result


def find_club(result: SeasonResult, name: str) -> str:
    """A club as people type it (name, alias, any case/accents, short name): copa.sources.names."""
    from copa.sources.names import find_club as lookup

    where = f"{result.season.competition} {result.season.name}"
    return lookup(result.season.clubs, name, where)


@app.command()
def show(season: SeasonArg) -> None:
    """The season at a glance: stages, qualifiers, national bracket, champion, statistics."""
    from copa.cli.render import show_season
    from copa.core.bracket import bracket
    from copa.core.stats import season_stats

    result = _load(season)
    final = result.stages[-1]
    console.print(
        show_season(result, season_stats(result), bracket(final), console.width), soft_wrap=True
    )
    _simulated_note(m for _, m in result.matches())


def _simulated_note(matches: Iterable[Match], where: str = "this season") -> None:
    """Say so when results were invented by copa play, so they are never taken for real ones."""
    invented = sum(1 for m in matches if m.simulated)
    if invented:
        console.print(
            f"[yellow]simulated: {invented} results in {where} were invented by copa play, "
            "not played[/]"
        )


@app.command()
def table(
    season: SeasonArg,
    group: GroupArg = None,
) -> None:
    """Group standings with the tiebreak explanations."""
    from copa.cli.render import group_table
    from copa.sources.names import GroupRef, find_groups, find_stage

    result = _load(season)
    where = f"{result.season.competition} {result.season.name}"
    refs = [
        (GroupRef(rr.stage, rr.round.name, g.group.name), rr, g)
        for rr in result.rounds()
        for g in rr.groups
    ]
    if group and not refs:
        raise CopaError(f"season {result.season.name} has no groups")
    if group and not any(ref.stage.casefold() == group.casefold() for ref, _, _ in refs):
        stages = [s.stage.name for s in result.stages]
        try:
            stage = find_stage(stages, group)
        except UnknownName:
            stage = None
        if stage is not None and not any(ref.stage == stage for ref, _, _ in refs):
            raise CopaError(
                f"{stage} has no groups, only ties (see: copa bracket {season} --stage {stage!r})"
            )
    wanted = set(find_groups([ref for ref, _, _ in refs], group, where))
    for ref, rr, g in refs:
        if ref in wanted:
            console.print(group_table(rr, g, console))
            _simulated_note(g.group.matches, f"{rr.stage} {g.group.name}")


@app.command("bracket")
@writes("svg", "png", reads=("season",))
def bracket_cmd(
    season: SeasonArg,
    stage: Annotated[str | None, typer.Option(help="Stage to draw (default: the last).")] = None,
    svg: Annotated[
        Path | None,
        typer.Option(help="Also draw it as a picture: SVG, or PNG when the name ends in .png."),
    ] = None,
    png: Annotated[Path | None, typer.Option(help="Also draw it as a PNG picture.")] = None,
) -> None:
    """The knockout bracket drawn in the terminal: legs, aggregates, penalties."""
    from copa.cli.render import bracket_text
    from copa.core.bracket import bracket
    from copa.sinks.svg_bracket import bracket_svg, svg_to_png

    result = _load(season)
    if stage is None:
        sr = result.stages[-1]
    else:
        from copa.sources.names import find_stage

        where = f"{result.season.competition} {result.season.name}"
        sr = result.stage(find_stage([s.stage.name for s in result.stages], stage, where))
    br = bracket(sr)
    console.print(bracket_text(br, console.width), soft_wrap=True)
    _simulated_note((m for rr in sr.rounds for t in rr.ties for m in t.tie.matches), sr.stage.name)
    title = f"{result.season.competition} {result.season.name} · {term(br.stage)}"
    for path, as_png in ((svg, False), (png, True)):
        if path is None:
            continue
        picture = bracket_svg(br, title)
        if as_png or path.suffix.lower() == ".png":
            _write_bytes(path, svg_to_png(picture), inputs=(season,))
        else:
            _write(path, picture, inputs=(season,))
        console.print(f"wrote {path}")


def _write_bytes(path: Path, data: bytes, inputs: tuple[str | Path, ...] = ()) -> None:
    """Write through the one safe writer, as _write does for text."""
    from copa.io.safe_write import WriteError, write_bytes

    try:
        write_bytes(path, data, inputs=inputs)
    except WriteError as e:
        raise CopaError(str(e)) from None


@app.command()
def team(
    season: SeasonArg, club: Annotated[str, typer.Argument(help="Club name or alias.")]
) -> None:
    """One club's path through the season."""
    from copa.cli.render import club_view
    from copa.core.path import club_path

    result = _load(season)
    console.print(club_view(club_path(result, find_club(result, club))))


@app.command()
@writes("chart", reads=("season",))
def stats(
    season: SeasonArg,
    chart: Annotated[
        Path | None, typer.Option(help="Also draw them as a picture: a .svg, .png or .pdf file.")
    ] = None,
) -> None:
    """Season statistics over the scope the season file sets."""
    from copa.cli.render import stats_view
    from copa.core.stats import season_stats

    if chart is not None and chart.suffix.lower() not in (".svg", ".png", ".pdf"):
        raise CopaError(f"--chart {chart}: name a .svg, .png or .pdf file")
    result = _load(season)
    figures = season_stats(result)
    console.print(stats_view(figures))
    if chart is not None:
        from copa.io.safe_write import WriteError, write_with
        from copa.sinks.charts import stats_chart

        try:
            write_with(chart, lambda tmp: stats_chart(result, figures, tmp), inputs=(season,))
        except WriteError as e:
            raise CopaError(str(e)) from None
        console.print(f"wrote {chart}")


class Format(StrEnum):
    json = "json"
    csv = "csv"
    wiki = "wiki"


class CsvWhat(StrEnum):
    standings = "standings"
    matches = "matches"


@app.command()
@writes("output", reads=("season", "like"))
def export(
    season: SeasonArg,
    format: Annotated[
        Format, typer.Option("--format", "-f", help="json, csv or wiki.")
    ] = Format.json,
    what: Annotated[
        CsvWhat, typer.Option(help="For csv: standings or matches.")
    ] = CsvWhat.standings,
    output: Annotated[Path | None, output_option("File to write (default: stdout).")] = None,
    like: Annotated[
        Path | None,
        typer.Option(
            help="For wiki: keep this article's own tables (codes, styling); "
            "a season imported from an article keeps its own without it."
        ),
    ] = None,
) -> None:
    """Export the season's results (documented formats in docs/)."""
    from copa.sinks.export_csv import matches_csv, standings_csv
    from copa.sinks.export_json import dumps

    _not_input(output, season)
    result = _load(season)
    if format is Format.json:
        text = dumps(result)
    elif format is Format.wiki:
        from copa.sinks.wiki_export import WikiExportError, season_wikitext

        try:
            if like is not None:
                from copa.sinks.wiki_export import like_article
                from copa.sources.reader import import_source

                text = season_wikitext(result, like_article(import_source(str(like), "wiki", None)))
            else:
                from copa.sinks.wiki_export import like_markup
                from copa.spec.season_file import season_wiki
                from copa.spec.seasons import season_text

                markup = season_wiki(*season_text(season))  # the article it came from, if any
                text = season_wikitext(result, like_markup(markup) if markup else None)
        except WikiExportError as e:
            raise CopaError(str(e)) from None
    else:
        text = standings_csv(result) if what is CsvWhat.standings else matches_csv(result)
    if output is None:
        sys.stdout.write(text)
    else:
        _write(output, text, inputs=(season,))


class SourceKind(StrEnum):
    wiki = "wiki"
    csv = "csv"
    footballjson = "footballjson"
    footballtxt = "footballtxt"
    json = "json"


SourceArg = Annotated[
    str,
    typer.Argument(help="A Wikipedia article (wikitext), a matches CSV or a football.json file."),
]
FromOpt = Annotated[
    SourceKind | None, typer.Option("--from", help="What SOURCE is (default: from its name).")
]
PresetOpt = Annotated[
    str | None,
    typer.Option(
        "--preset", help="Import preset or format file (default: the preset the source names)."
    ),
]
ClubsOpt = Annotated[
    Path | None, typer.Option(help="Clubs CSV (name, aliases, department, ...) for csv/json.")
]
PyramidSeasonArg = Annotated[str, typer.Argument(help="A pyramid season file.")]
QuietOpt = Annotated[bool, typer.Option(help="No progress bars.")]


@app.command("import")
@writes("output", reads=("source", "clubs", "format_file"))
def import_cmd(
    source: SourceArg,
    from_: FromOpt = None,
    format_file: PresetOpt = None,
    clubs: ClubsOpt = None,
    output: Annotated[Path | None, output_option("Season file to write (default: stdout).")] = None,
) -> None:
    """Turn an article, CSV or football.json into a season file (docs/import.md).

    What could not be mapped is listed on standard error; exit code 0 when the
    season was written, 2 on bad input.
    """
    from copa.sources.reader import import_source
    from copa.spec.formats import load_format
    from copa.spec.season_writer import SeasonWriteError

    _not_input(output, source, clubs, format_file)
    fmt = load_format(format_file) if format_file else None
    imp = import_source(source, from_.value if from_ else None, fmt, str(clubs) if clubs else None)
    try:
        text = imp.text()
    except SeasonWriteError as e:
        raise CopaError(f"{source}: {e}") from None
    err = stderr_console()
    err.print(f"copa: format: {imp.format.origin}", markup=False, highlight=False, soft_wrap=True)
    if imp.notes:
        from copa.i18n import plural

        notes = plural(len(imp.notes), "{n} note", "{n} notes")
        err.print(f"copa: {notes} on {source}:", markup=False, highlight=False)
        for n in imp.notes:
            err.print(f"  {n.render(source)}", markup=False, highlight=False, soft_wrap=True)
    if output is None:
        sys.stdout.write(text)
    else:
        _write(output, text, inputs=(source, *((clubs,) if clubs else ())))
        err.print(f"copa: wrote {output}", markup=False, highlight=False, soft_wrap=True)


class AuditFormat(StrEnum):
    text = "text"
    json = "json"


@app.command()
@writes("output", reads=("source", "clubs", "preset"))
def audit(
    source: SourceArg,
    format: Annotated[AuditFormat, typer.Option("--format", "-f", help="text or json.")] = (
        AuditFormat.text
    ),
    fix: Annotated[
        bool, typer.Option("--fix", help="Write the article with every correction (needs -o).")
    ] = False,
    from_: FromOpt = None,
    preset: PresetOpt = None,
    clubs: ClubsOpt = None,
    output: Annotated[Path | None, output_option("With --fix: the corrected article.")] = None,
) -> None:
    """Check every claim a source publishes against its own results (docs/audit.md).

    Exit code 0 when all agree, 1 when some disagree, 2 on bad input. With
    --fix -o FIXED: writes the corrected article and prints the unified diff.
    """
    from copa.sources.wiki.audit import audit_source, fixed_text, render_json, render_text
    from copa.spec.formats import load_format

    if fix and output is None:
        raise CopaError("--fix writes the corrected article to a new file: name it with -o FIXED")
    if output is not None and not fix:
        raise CopaError("-o names the corrected article: use it with --fix")
    fmt = load_format(preset) if preset else None
    report = audit_source(
        source, from_.value if from_ else None, fmt, str(clubs) if clubs else None
    )
    if fix and output is not None:
        from copa.wikitext.edit import unified_diff

        before, after, missing = fixed_text(report)
        if Path(source).resolve() == output.resolve():
            raise CopaError(f"-o {output} is the article itself: name a new file")
        _write(output, after)
        sys.stdout.write(unified_diff(before, after, source, str(output)))
        err = stderr_console()
        n = len(report.edits()) - len(missing)
        err.print(
            f"copa: wrote {output}: {n} {'change' if n == 1 else 'changes'}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        unfixed = [f for f in report.findings if f.edit is None and not f.explained_by]
        for f in unfixed:
            err.print(
                f"copa: not fixed (no single value to change): {f.text()}",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        for e in missing:
            err.print(f"copa: could not place {e.text()}", markup=False, highlight=False)
        return
    sys.stdout.write(render_json(report) if format is AuditFormat.json else render_text(report))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def check(season: SeasonArg) -> None:
    """List what the engine found: errors, conflicts with recorded claims, pending decisions.

    Exit code 0 when there is nothing, 1 when there are conflicts or errors.
    """
    from copa.core.issues import Severity
    from copa.i18n import _, plural

    result = _load(season)
    if not result.issues:
        console.print(_("no issues: every table, tie and qualifier follows from the results"))
        return
    for i in result.issues:
        style = "yellow" if i.severity is Severity.PENDING else "red"
        console.print(str(i), style=style, soft_wrap=True, markup=False)
    for sr in result.stages:  # what is still to play, stage by stage
        left = sr.remaining()
        if left:
            shown = ", ".join(f"{m.home} v {m.away}" for m in left[:3])
            more = _(" and {n} more").format(n=len(left) - 3) if len(left) > 3 else ""
            n = plural(len(left), "{n} match still to play", "{n} matches still to play")
            line = f"{term(sr.stage.name)}: {n}: {shown}{more}"
            console.print(line, style="yellow", soft_wrap=True, markup=False)
    if any(i.severity is not Severity.PENDING for i in result.issues):
        raise typer.Exit(1)


@app.command()
def seasons() -> None:
    """List the seasons copa ships."""
    for name in bundled():
        console.print(name)


# ---------------------------------------------------------------- pyramids (docs/pyramid.md)


@app.command("new-season")
@writes("output", reads=("clubs", "format"))
def new_season_cmd(
    format: Annotated[str, typer.Argument(help="A pyramid format: 2011, 2019 or a file path.")],
    clubs: Annotated[Path, typer.Argument(help="CSV: name,district,province,department.")],
    output: Annotated[Path, output_option("Season file to write.")],
    seed: Annotated[int, typer.Option(help="Seed every draw is derived from.")] = 0,
    department: Annotated[
        str | None,
        typer.Option(help="One department's league only: its district to departmental stages."),
    ] = None,
) -> None:
    """Build a season from a pyramid format and a list of clubs: every stage, first rounds drawn."""
    from copa.cli.pyramid import PyramidCliError, build_new_season

    try:
        text, season = build_new_season(format, clubs, seed, department)
    except PyramidCliError as e:
        raise CopaError(str(e)) from None
    _write(output, text, inputs=(clubs,))
    console.print(f"wrote {output}: {len(season.clubs)} clubs, {len(season.stages)} stages")


@app.command()
@writes("output", reads=("format",))
def generate(
    clubs: Annotated[int, typer.Option("--clubs", help="How many clubs (at least 392).")],
    output: Annotated[Path, output_option("Season file to write.")],
    seed: Annotated[int, typer.Option(help="Seed of clubs, draws and results.")] = 0,
    format: Annotated[
        str, typer.Option("--pyramid", help="Pyramid format: 2011, 2019 or a file.")
    ] = "2019",
    quiet: QuietOpt = False,
) -> None:
    """A synthetic full season, played from the district leagues to the champion."""
    from copa.cli.pyramid import generate as run
    from copa.cli.pyramid import summary

    with _pyramid_work(quiet) as step:
        text, result = run(format, clubs, seed, step)
    _write(output, text)
    _remember(text, result, ())
    console.print(f"wrote {output}: {summary(result)}")


@app.command("play")
@writes("output", "season")  # in place, or -o
def play_cmd(
    season: PyramidSeasonArg,
    output: Annotated[Path | None, output_option("Write the played season here.")] = None,
    in_place: Annotated[
        bool, typer.Option("--in-place", help="Write over SEASON itself (instead of -o).")
    ] = False,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the results (default: the season's).")
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Simulate every scheduled match (and the shoot-outs, deciders, lots they then need).

    Every invented result is marked simulated in the file; it goes to -o FILE,
    or over SEASON only with --in-place, so a real season is never mixed with
    invented results by accident.
    """
    from copa.cli.pyramid import play_file, summary

    if output is None and not in_place:
        raise CopaError(
            f"play invents results: name the file to write them to with -o FILE "
            f"(or write over {season} with --in-place)"
        )
    if output is not None and in_place:
        raise CopaError("give -o FILE or --in-place, not both")
    _not_input(output, season)
    with _pyramid_work(quiet) as step:
        text, result, seen = play_file(season, seed, step)
    _write_back(season, output, text, seen)
    _remember(text, result)
    console.print(summary(result))


@app.command("advance")
@writes("output", "season")  # in place, or -o
def advance_cmd(
    season: PyramidSeasonArg,
    output: Annotated[Path | None, output_option("Write here (default: in place).")] = None,
    quiet: QuietOpt = False,
    all_lines: Annotated[
        bool, typer.Option("--all", help="Every drawn and waiting line (default: 10 of each).")
    ] = False,
) -> None:
    """Move a season on as far as its results allow: draw every round whose clubs are known.

    Each stage that cannot be drawn yet gets one line saying what it waits for
    (the places, then the fixtures still to play that decide them).
    """
    from copa.cli.pyramid import advance_file, summary

    _not_input(output, season)
    with _pyramid_work(quiet) as step:
        text, filled, result, seen = advance_file(season, step)
    _write_back(season, output, text, seen)
    _remember(text, result)
    shown = None if all_lines else 10
    for line in filled[:shown]:
        console.print(f"drawn: {line}")
    if shown is not None and len(filled) > shown:
        console.print(f"... and {len(filled) - shown} more (--all lists them)")
    from copa.core.pyramid import waiting

    waits = waiting(result)
    for line in waits[:shown]:
        console.print(f"waiting: {line}", markup=False, soft_wrap=True)
    if shown is not None and len(waits) > shown:
        console.print(f"... and {len(waits) - shown} more waiting (--all lists them)")
    console.print(f"{len(filled)} rounds drawn; {summary(result)}")


def _remember(text: str, result: SeasonResult, history: tuple[()] | None = None) -> None:
    """Keep the written season in copa's cache, so the next command reads no YAML."""
    from copa.spec.seasons import remember

    remember(text, result, history)


@contextmanager
def _pyramid_work(quiet: bool) -> Iterator[Any]:
    """Long pyramid work: progress bars on stderr (unless ``quiet``) through the ``step``
    callback given; a pyramid error becomes the one-line user error."""
    from copa.cli.pyramid import PyramidCliError, progress_bars

    try:
        with progress_bars(stderr_console(), quiet) as step:
            yield step
    except PyramidCliError as e:
        raise CopaError(str(e)) from None


def _write_back(season: str, output: Path | None, text: str, seen: str) -> None:
    """Write over ``season`` (refused if it changed since it was read: ``seen``), or to -o."""
    if output is None:
        _write(Path(season), text, expect=seen, allow_input=True)
    else:
        _write(output, text, inputs=(season,))


def _not_input(output: Path | None, *inputs: str | Path | None) -> None:
    """Refuse at once (before any work) an -o that names one of the command's inputs."""
    from copa.io.safe_write import WriteError, refuse_input

    try:
        refuse_input(output, [i for i in inputs if i is not None])
    except WriteError as e:
        raise CopaError(str(e)) from None


def _write(
    path: Path,
    text: str,
    *,
    expect: str | None = None,
    inputs: tuple[str | Path, ...] = (),
    allow_input: bool = False,
) -> None:
    """Write through the one safe writer (:mod:`copa.io.safe_write`): atomic, locked,
    never over a file changed since it was read (``expect``), nor over an input."""
    from copa.io.safe_write import WriteError, write_text

    try:
        write_text(path, text, expect=expect, inputs=inputs, allow_input=allow_input)
    except WriteError as e:
        raise CopaError(str(e)) from None


def _for(argv: list[str]) -> typer.Typer:
    """``app`` with only the command ``argv`` names, when it names one: typer builds a
    click command (reading every parameter's annotations) for each command it holds,
    on every run, which is a tenth of ``copa show 2011``'s time. Anything else (no
    command, an option, a typo that wants click's "did you mean") gets all of them."""
    import copy

    from typer.main import get_command_name

    if not argv or argv[0].startswith("-"):
        return app
    name = argv[0]
    commands = [
        c
        for c in app.registered_commands
        if (c.name or get_command_name(c.callback.__name__ if c.callback else "")) == name
    ]
    groups = [g for g in app.registered_groups if g.name == name]
    if not commands and not groups:
        return app
    view = copy.copy(app)
    view.registered_commands, view.registered_groups = commands, groups
    return view


def main() -> None:
    """Entry point: turn every user error into one line on stderr and exit code 2."""
    err = stderr_console()
    lang, argv = lang_from_argv(sys.argv[1:])
    try:
        _activate(lang)
        from copa.i18n import language

        view = _for(argv)
        if language() == "en":
            code = view(args=argv, prog_name="copa", standalone_mode=False)
        else:  # the help screens in the user's language (copa.cli.help_i18n)
            from copa.cli.help_i18n import command

            code = command(view, argv)(args=argv, prog_name="copa", standalone_mode=False)
    except (SeasonFileError, CopaError, UnknownName) as e:
        from copa.limits import one_line

        err.print(one_line(f"copa: error: {e}"), markup=False, highlight=False, soft_wrap=True)
        raise SystemExit(2) from None
    except Exit as e:
        raise SystemExit(e.exit_code) from None
    except Abort:
        raise SystemExit(130) from None
    except TyperException as e:
        if type(e).__name__ == "NoArgsIsHelpError":
            raise SystemExit(0) from None
        ctx = getattr(e, "ctx", None)
        name = getattr(ctx, "info_name", None)
        hint = f" (see 'copa {name} --help')" if name and name != "copa" else ""
        err.print(
            f"copa: error: {e.format_message()}{hint}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise SystemExit(2) from None

    if isinstance(code, int) and code:
        raise SystemExit(code)


# Command modules register themselves on ``app`` when imported: one line each,
# below. They import heavy libraries inside their command functions.
from copa.cli import forecast as _forecast  # noqa: E402, F401
from copa.cli import results as _results  # noqa: E402,F401
from copa.cli import upgrade as _upgrade  # noqa: E402,F401
from copa.cli import web as _web  # noqa: E402,F401
