"""Charts of a forecast and of a calibration check (matplotlib, SVG and PNG)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from copa.forecast.forecast import Forecast


def columns(fc: Forecast) -> list[tuple[str, str]]:
    """(key, label) of the figures a chart or a table shows: the last stage's rounds, the titles."""
    final = fc.rounds[-1][0] if fc.rounds else ""
    cols = [(f"reach:{s}/{r}", r) for s, r, _ in fc.rounds if s == final]
    return [*cols[1:], ("champion", "Champion"), ("promoted", "Promoted")]


def value(fc: Forecast, club: str, key: str) -> float:
    c = fc.club(club)
    if key == "champion":
        return c.champion
    if key == "promoted":
        return c.promoted
    return c.reach.get(key.removeprefix("reach:"), 0.0)


def forecast_chart(fc: Forecast, paths: Sequence[Path], top: int = 16) -> None:
    """A grid: the ``top`` clubs by title chance against each remaining round and the titles."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cols = columns(fc)
    clubs = [c.club for c in fc.clubs if any(value(fc, c.club, k) > 0 for k, _ in cols)][:top]
    grid = [[value(fc, c, k) for k, _ in cols] for c in clubs]
    fig, ax = plt.subplots(figsize=(1.3 * len(cols) + 3.5, 0.42 * len(clubs) + 1.6))
    ax.imshow(grid, cmap="Greens", vmin=0, vmax=1, aspect="auto")
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            text = "—" if v <= 0 else "<0.1%" if v < 0.001 else f"{100 * v:.1f}%"
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=9,
                color="white" if v > 0.6 else "black",
            )
    ax.set_xticks(range(len(cols)), [label for _, label in cols])
    ax.set_yticks(range(len(clubs)), clubs)
    ax.xaxis.tick_top()
    where = f"as of {fc.as_of}" if fc.as_of else "from the season's current state"
    ax.set_title(
        f"{fc.season}: forecast {where}\n{fc.runs:,} runs, seed {fc.seed}; "
        f"standard error at most {50 / fc.runs**0.5:.1f} points",
        fontsize=10,
    )
    fig.tight_layout()
    for p in paths:
        fig.savefig(p, dpi=110)
    plt.close(fig)


def calibration_chart(
    bins: Sequence[tuple[float, float, int]],
    paths: Sequence[Path],
    title: str,
    true_bins: Sequence[tuple[float, float, int]] = (),
) -> None:
    """Reliability diagram: mean forecast against observed frequency per bin (size = count)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 5.2))
    ax.plot([0, 1], [0, 1], color="grey", lw=1, ls="--", label="perfect calibration")
    for data, label, colour in (
        (bins, "fitted ratings", "tab:blue"),
        (true_bins, "true strengths", "tab:orange"),
    ):
        if not data:
            continue
        xs = [b[0] for b in data]
        ys = [b[1] for b in data]
        ns = [b[2] for b in data]
        ax.plot(xs, ys, marker="o", color=colour, label=label)
        for x, y, n in zip(xs, ys, ns, strict=True):
            ax.annotate(str(n), (x, y), fontsize=7, xytext=(3, -9), textcoords="offset points")
    ax.set_xlabel("forecast probability (bin mean)")
    ax.set_ylabel("observed frequency")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_title(title, fontsize=10)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    for p in paths:
        fig.savefig(p, dpi=110)
    plt.close(fig)
