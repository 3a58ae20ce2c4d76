"""Season statistics as a picture (matplotlib, no screen needed).

Two panels: goals per match in each stage of the scope (with the number of
matches on each bar), and how many matches ended with each number of goals.
Everything drawn comes from the engine's result; nothing is computed here
but counts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from copa.core.resolve import SeasonResult
from copa.core.stats import SeasonStats

if TYPE_CHECKING:
    from matplotlib.axes import Axes


def _per_stage(
    result: SeasonResult, stats: SeasonStats
) -> tuple[dict[str, list[int]], Counter[int]]:
    per_stage: dict[str, list[int]] = {}
    totals: Counter[int] = Counter()
    for stage, m in result.matches(stats.scope):
        if not m.played_on_pitch or m.final is None:
            continue
        goals = m.final.home + m.final.away
        per_stage.setdefault(stage.stage.name, []).append(goals)
        totals[goals] += 1
    return per_stage, totals


def chart_alt_text(result: SeasonResult, stats: SeasonStats) -> str:
    """A one-line description of the chart, for the web page's ``alt`` text."""
    per_stage, totals = _per_stage(result, stats)
    season = f"{result.season.competition} {result.season.name}"
    common = max(totals, key=lambda k: (totals[k], -k)) if totals else 0
    tail = (
        f"and how many of the {stats.matches} matches ended with each number of goals "
        f"(most often {common}, in {totals.get(common, 0)} matches)."
    )
    if len(per_stage) <= 1:
        return f"Bar charts of {season}: goals scored and conceded by each club, {tail}"
    avg = {k: sum(v) / len(v) for k, v in per_stage.items()}
    hi, lo = max(avg, key=avg.__getitem__), min(avg, key=avg.__getitem__)
    return (
        f"Bar charts of {season}: goals per match in each of its {len(per_stage)} stages "
        f"(highest {hi}, {avg[hi]:.2f}; lowest {lo}, {avg[lo]:.2f}; "
        f"all {stats.goals_per_match:.2f}), " + tail
    )


def stats_chart(result: SeasonResult, stats: SeasonStats, path: Path) -> None:
    """Write the chart to ``path``; the format follows the suffix (.svg, .png, .pdf).

    A season of several stages gets goals per match by stage, with the mean of
    all stages as a line (the bars' match counts sit at the bars' feet, where
    the line never crosses them; the mean is named in the legend); a season of
    one league gets each club's goals for and against. The second panel is the
    histogram of goals per match.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # SVG text stays text: searchable, selectable and smaller than glyph outlines
    matplotlib.rcParams["svg.fonttype"] = "none"

    per_stage, totals = _per_stage(result, stats)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), width_ratios=(3, 2))
    if len(per_stage) > 1:
        _stage_bars(left, per_stage, stats)
    else:
        _club_bars(left, stats)
    _goals_histogram(right, totals, stats)
    season = result.season
    fig.suptitle(f"{season.competition} {season.name}", fontweight="bold")
    fig.tight_layout()
    meta = {"Title": f"{season.competition} {season.name}"}
    if path.suffix.lower() == ".svg":
        meta["Description"] = chart_alt_text(result, stats)
    fig.savefig(path, metadata=meta)
    plt.close(fig)


def _stage_bars(ax: Axes, per_stage: dict[str, list[int]], stats: SeasonStats) -> None:
    """Goals per match by stage, each bar's match count at its foot, the mean as a line."""
    names = list(per_stage)
    averages = [sum(g) / len(g) for g in per_stage.values()]
    bars = ax.bar(range(len(names)), averages, color="#2f6f9f")
    for bar, stage_goals in zip(bars, per_stage.values(), strict=True):
        ax.annotate(
            f"{len(stage_goals)}",
            (bar.get_x() + bar.get_width() / 2, 0),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color="white",
        )
    ax.axhline(
        stats.goals_per_match,
        color="#c0392b",
        linestyle="--",
        linewidth=1,
        label=f"all stages: {stats.goals_per_match:.2f}",
    )
    ax.set_ylim(0, max(averages) * 1.2)
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=9)
    ax.set_ylabel("goals per match")
    ax.set_title(
        "Goals per match by stage (number of matches at the foot of each bar)", fontsize=11
    )


def _club_bars(ax: Axes, stats: SeasonStats) -> None:
    """Each club's goals scored and conceded, side by side, in points order."""
    clubs = list(stats.clubs)
    xs = range(len(clubs))
    ax.bar(
        [x - 0.2 for x in xs],
        [c.goals_for for c in clubs],
        0.4,
        color="#2f6f9f",
        label="scored",
    )
    ax.bar(
        [x + 0.2 for x in xs],
        [c.goals_against for c in clubs],
        0.4,
        color="#c0392b",
        label="conceded",
    )
    ax.set_xticks(list(xs), [c.club for c in clubs], rotation=30, ha="right", fontsize=9)
    ax.set_ylabel("goals")
    ax.legend(loc="upper right", fontsize=9, frameon=False)
    ax.set_title("Goals scored and conceded by each club (by points)", fontsize=11)


def _goals_histogram(ax: Axes, totals: Counter[int], stats: SeasonStats) -> None:
    """How many matches had each number of goals."""
    from matplotlib.ticker import MaxNLocator

    most = max(totals, default=0)
    ax.bar(range(most + 1), [totals.get(k, 0) for k in range(most + 1)], color="#6a9f2f")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole goals, whole matches
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("goals in the match")
    ax.set_ylabel("matches")
    ax.set_title(
        f"How many goals a match had ({stats.matches} matches, {stats.goals} goals)", fontsize=11
    )
