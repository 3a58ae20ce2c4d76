"""The forecast as a rich table for the terminal."""

from __future__ import annotations

from rich.table import Table

from copa.forecast.chart import columns, value
from copa.forecast.forecast import Forecast


def percent(p: float) -> str:
    if p <= 0:
        return "—"
    if p >= 1:
        return "100%"
    if p < 0.001:
        return "<0.1%"
    if p > 0.999:
        return ">99.9%"
    return f"{100 * p:.1f}%"


def forecast_table(fc: Forecast, top: int = 40) -> Table:
    where = f"as of {fc.as_of}" if fc.as_of else "from the current state"
    t = Table(
        title=f"{fc.season} forecast {where}: {fc.runs:,} runs, seed {fc.seed}",
        caption=(
            f"— never in {fc.runs:,} runs (or ruled out); 100%: in every run. "
            f"Standard error at most {50 / fc.runs**0.5:.1f} points."
            + (
                f" {fc.core_runs:,} runs played by the core engine"
                " (rules the fast kernels do not cover)."
                if fc.core_runs
                else ""
            )
        ),
    )
    cols = columns(fc)
    final = fc.rounds[-1][0] if fc.rounds else ""
    rows = [c for c in fc.clubs if any(value(fc, c.club, k) > 0 for k, _ in cols)][:top]
    won = {c.club: max((v for k, v in c.won.items() if k != final), default=0.0) for c in rows}
    show_won = any(0 < v < 1 for v in won.values())
    t.add_column("Club")
    if show_won:
        t.add_column("Wins its stage", justify="right")
    for _, label in cols:
        t.add_column(label, justify="right")
    for c in rows:
        cells = [percent(value(fc, c.club, k)) for k, _ in cols]
        t.add_row(c.club, *([percent(won[c.club])] if show_won else []), *cells)
    return t
