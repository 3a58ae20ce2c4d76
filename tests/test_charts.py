"""Charts: the mean line clear of labels, a real histogram title, a one-league chart, alt text."""

from __future__ import annotations

import os
from pathlib import Path

from copa.core.resolve import resolve
from copa.core.stats import season_stats
from copa.sinks.charts import chart_alt_text, stats_chart
from copa.spec.season_file import parse_season
from copa.spec.seasons import find_season

ARTIFACTS = Path(
    os.environ.get("COPA_ARTIFACTS", Path(__file__).parent.parent / "out" / "artifacts")
)

LEAGUE = """\
copa: 1
competition: Liga Distrital de Huamanga
season: "2019"
rules:
  league:
    points: {win: 3, draw: 1, loss: 0}
    ranking: [points, goal_difference, goals_for, lots]
clubs:
  - {name: Ayacucho Norte}
  - {name: Huanta Sur}
  - {name: Quinua}
stages:
  - name: Liga
    kind: district
    rounds:
      - name: Tabla
        rules: league
        legs: 1
        advance: {top: 1}
        groups:
          - name: Única
            clubs: [Ayacucho Norte, Huanta Sur, Quinua]
            matches:
              - Ayacucho Norte 2-0 Huanta Sur
              - Huanta Sur 1-1 Quinua
              - Quinua 0-3 Ayacucho Norte
"""


def test_2011_chart_and_its_alt_text(tmp_path: Path) -> None:
    result = resolve(find_season("2011"))
    stats = season_stats(result)
    svg = tmp_path / "c.svg"
    stats_chart(result, stats, svg)
    text = svg.read_text(encoding="utf-8")
    assert "How many goals a match had (211 matches, 586 goals)" in text
    assert "all stages: 2.78" in text  # the mean is named in the legend, not over the bars
    alt = chart_alt_text(result, stats)
    assert "\n" not in alt and "9 stages" in alt and "Region III" in alt and "211 matches" in alt
    assert alt in text  # the SVG carries its description
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stats_chart(result, stats, ARTIFACTS / "chart-2011.png")


def test_one_league_gets_a_club_chart(tmp_path: Path) -> None:
    result = resolve(parse_season(LEAGUE, "league.yaml"))
    stats = season_stats(result)
    svg = tmp_path / "l.svg"
    stats_chart(result, stats, svg)
    text = svg.read_text(encoding="utf-8")
    assert "Goals scored and conceded by each club" in text
    assert "Goals per match by stage" not in text
    assert "3 matches, 7 goals" in text
    alt = chart_alt_text(result, stats)
    assert "each club" in alt and "3 matches" in alt
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    stats_chart(result, stats, ARTIFACTS / "chart-one-league.png")
