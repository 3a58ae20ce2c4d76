"""Season statistics as a picture (matplotlib, no screen needed).

Two panels: goals per match in each stage of the scope (with the number of
matches on each bar), and how many matches ended with each number of goals.
Everything drawn comes from the engine's result; nothing is computed here
but counts.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from copa.core.resolve import SeasonResult
from copa.core.stats import SeasonStats


def stats_chart(result: SeasonResult, stats: SeasonStats, path: Path) -> None:
    """Write the chart to ``path``; the format follows the suffix (.svg, .png, .pdf)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # SVG text stays text: searchable, selectable and smaller than glyph outlines
    matplotlib.rcParams["svg.fonttype"] = "none"

    per_stage: dict[str, list[int]] = {}
    totals: Counter[int] = Counter()
    for stage, m in result.matches(stats.scope):
        if not m.played_on_pitch or m.final is None:
            continue
        goals = m.final.home + m.final.away
        per_stage.setdefault(stage.stage.name, []).append(goals)
        totals[goals] += 1
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8), width_ratios=(3, 2))
    names = list(per_stage)
    averages = [sum(g) / len(g) for g in per_stage.values()]
    bars = left.bar(range(len(names)), averages, color="#2f6f9f")
    for bar, stage_goals in zip(bars, per_stage.values(), strict=True):
        left.annotate(
            f"{len(stage_goals)}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
            color="#444",
        )
    left.axhline(stats.goals_per_match, color="#c0392b", linestyle="--", linewidth=1)
    left.text(
        len(names) - 0.5,
        stats.goals_per_match,
        f" all: {stats.goals_per_match:.2f}",
        color="#c0392b",
        va="bottom",
        ha="right",
        fontsize=9,
    )
    left.set_xticks(range(len(names)), names, rotation=30, ha="right", fontsize=9)
    left.set_ylabel("goals per match")
    left.set_title("Goals per match by stage (matches on each bar)", fontsize=11)
    most = max(totals, default=0)
    right.bar(range(most + 1), [totals.get(k, 0) for k in range(most + 1)], color="#6a9f2f")
    right.set_xlabel("goals in the match")
    right.set_ylabel("matches")
    right.set_title(f"{stats.matches} matches, {stats.goals} goals", fontsize=11)
    season = result.season
    fig.suptitle(f"{season.competition} {season.name}", fontweight="bold")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
