"""The matches CSV: its columns, in order (docs/import.md, "CSV").

One file format serves three places: ``copa export --format csv --what
matches`` writes it (:mod:`copa.sinks.export_csv`), ``copa import --from csv``
reads a season from it (:mod:`copa.sources.import_csv`) and ``copa results
import`` enters many results from it (:mod:`copa.sources.results_csv`).
"""

from __future__ import annotations

MATCH_COLUMNS = (
    "date",
    "stage",
    "round",
    "group",
    "home",
    "away",
    "home_goals",
    "away_goals",
    "home_goals_et",
    "away_goals_et",
    "home_penalties",
    "away_penalties",
    "leg",
    "status",
    # scores as published: a match played with its winner known, a shoot-out's first shooter
    "winner",
    "first_shooter",
    # a result copa play invented (docs/json-format.md)
    "simulated",
)
