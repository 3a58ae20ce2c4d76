"""``copa forecast``: who will reach each round, win the title and be promoted."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from copa.cli import CopaError, SeasonArg, _write, app, console, output_option, stderr_console


class Scheduler(StrEnum):
    local = "local"
    dask = "dask"


class ForecastFormat(StrEnum):
    text = "text"
    json = "json"
    png = "png"


@app.command()
def forecast(
    season: SeasonArg,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help='Replay up to the first match of "STAGE/ROUND".'),
    ] = None,
    runs: Annotated[int, typer.Option("--runs", "-n", help="Monte Carlo runs.")] = 10_000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same forecast.")] = 0,
    workers: Annotated[int, typer.Option(help="Processes to play the runs on.")] = 1,
    format: Annotated[
        ForecastFormat, typer.Option("--format", "-f", help="text, json or png (with an SVG).")
    ] = ForecastFormat.text,
    output: Annotated[
        Path | None,
        output_option("File to write (png: default forecast-SEASON.png)."),
    ] = None,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    scheduler: Annotated[
        Scheduler,
        typer.Option(
            help="local: processes on this machine; dask: a dask.distributed local cluster "
            "(the optional 'dask' extra). The same seed gives the same forecast on either."
        ),
    ] = Scheduler.local,
) -> None:
    """Probabilities of reaching each round, winning the stage, the title and promotion."""
    if not 1 <= runs <= 10_000_000:
        raise CopaError(f"--runs must be between 1 and 10,000,000, not {runs}")
    if not 1 <= workers <= 64:
        raise CopaError(f"--workers must be between 1 and 64, not {workers}")
    from copa.cli.pyramid import progress_bars
    from copa.forecast.engine import Unsupported
    from copa.forecast.forecast import SchedulerError, dask_available, load, run_forecast
    from copa.forecast.state import AsOfError

    if scheduler is Scheduler.dask and not dask_available():
        raise CopaError(
            "--scheduler dask needs dask.distributed: install copa with the 'dask' extra"
            " (uv sync --extra dask)"
        )

    state = load(season)
    try:
        with progress_bars(stderr_console(), quiet or runs < 2000) as step:
            fc = run_forecast(
                state,
                runs,
                seed,
                as_of,
                workers=workers,
                progress=lambda done, total: step("simulating runs", done, total),
                scheduler=scheduler.value,
            )
    except (AsOfError, Unsupported, SchedulerError) as e:
        raise CopaError(str(e)) from None
    if format is ForecastFormat.json:
        text = fc.to_json() + "\n"
        if output is None:
            sys.stdout.write(text)
        else:
            _write(output, text, inputs=(season,))
        return
    if format is ForecastFormat.png:
        from copa.forecast.chart import forecast_chart

        png = output or Path(f"forecast-{Path(season).stem}.png")
        svg = png.with_suffix(".svg")
        from copa.io.safe_write import WriteError, write_with

        try:  # through the one safe writer: each picture atomic, never over the season
            for target in (png, svg):
                write_with(target, lambda tmp: forecast_chart(fc, [tmp]), inputs=(season,))
        except WriteError as e:
            raise CopaError(str(e)) from None
        console.print(f"wrote {png} and {svg}")
        return
    from copa.forecast.report import forecast_table

    console.print(forecast_table(fc))
