"""Many results at once: a CSV with the columns of ``copa export --format csv --what matches``.

Spanish headers are accepted (``fecha, etapa, ronda, grupo, local, visitante,
goles_local, goles_visitante, ..., estado``), as are Spanish status words
(``jugado``, ``programado``, ``no jugado``, ``anulado``, ``adjudicado``).
Each row names a fixture of the season (home and away as played; stage,
round and leg when the pair meets more than once) and its result.
"""

from __future__ import annotations

from dataclasses import dataclass

from copa.core.match import MatchStatus
from copa.sources import csv_rows
from copa.spec.fixture_notation import NO_DETAILS, Details, DetailsError, check_date
from copa.spec.fold import fold
from copa.spec.matches_csv import MATCH_COLUMNS
from copa.spec.scores import Result

COLUMNS = MATCH_COLUMNS

SPANISH = {
    "fecha": "date",
    "etapa": "stage",
    "fase": "stage",
    "ronda": "round",
    "grupo": "group",
    "local": "home",
    "visitante": "away",
    "goles_local": "home_goals",
    "goles_visitante": "away_goals",
    "goles_local_prorroga": "home_goals_et",
    "goles_visitante_prorroga": "away_goals_et",
    "goles_local_tiempo_extra": "home_goals_et",
    "goles_visitante_tiempo_extra": "away_goals_et",
    "penales_local": "home_penalties",
    "penales_visitante": "away_penalties",
    "partido": "leg",
    "ida_vuelta": "leg",
    "estado": "status",
    "simulado": "simulated",
}

STATUSES = {
    "played": MatchStatus.PLAYED,
    "jugado": MatchStatus.PLAYED,
    "scheduled": MatchStatus.SCHEDULED,
    "programado": MatchStatus.SCHEDULED,
    "pendiente": MatchStatus.SCHEDULED,
    "not_played": MatchStatus.NOT_PLAYED,
    "no_jugado": MatchStatus.NOT_PLAYED,
    "walkover": MatchStatus.WALKOVER,
    "w/o": MatchStatus.WALKOVER,
    "annulled": MatchStatus.ANNULLED,
    "anulado": MatchStatus.ANNULLED,
    "awarded": MatchStatus.AWARDED,
    "adjudicado": MatchStatus.AWARDED,
}


class ResultsCsvError(ValueError):
    """A row that is not a result: one line naming the file, line and column."""


@dataclass(frozen=True)
class Row:
    line: int
    stage: str
    round: str
    group: str
    home: str
    away: str
    leg: str
    result: Result
    details: Details


def _key(header: str) -> str:
    k = fold(header).replace(" ", "_").replace("-", "_")
    return SPANISH.get(k, k)


def read_results_csv(text: str, src: str) -> list[Row]:
    """Every row of a results CSV, read by the one CSV row reader
    (:mod:`copa.sources.csv_rows`): its header and line numbers, its result columns."""
    from copa.spec.errors import SeasonFileError

    try:
        table, unknown = csv_rows.rows(text, src, ("home", "away"), COLUMNS, column=_key)
    except SeasonFileError as e:
        raise ResultsCsvError(str(e)) from None
    if unknown:
        raise ResultsCsvError(
            f"{src}:1: {unknown[0]}: unknown column (columns: {', '.join(COLUMNS)}; "
            "Spanish headers such as local, visitante, goles_local are accepted)"
        )
    rows: list[Row] = []
    for n, row in table:
        status_text = fold(row.get("status", "")).replace(" ", "_") or "played"
        if status_text not in STATUSES:
            raise ResultsCsvError(
                f"{src}:{n}: status: {row['status'][:20]!r} is not a status "
                f"({', '.join(s for s in STATUSES if s.isascii())})"
            )
        try:
            # an empty status is "played" here
            result = csv_rows.result_of(row | {"status": STATUSES[status_text].value}, src, n)
            simulated = csv_rows.simulated_of(row, src, n)
        except SeasonFileError as e:
            raise ResultsCsvError(str(e)) from None
        details = NO_DETAILS
        date = row.get("date", "")
        if date:
            try:
                details = Details(date=check_date(date))
            except DetailsError as e:
                raise ResultsCsvError(f"{src}:{n}: date: {e}") from None
        if simulated:
            details = details._replace(simulated=True)
        home, away = row["home"].strip(), row["away"].strip()
        if not home or not away:
            raise ResultsCsvError(f"{src}:{n}: {'home' if not home else 'away'}: no club named")
        rows.append(
            Row(
                n,
                row.get("stage", "").strip(),
                row.get("round", "").strip(),
                row.get("group", "").strip(),
                home,
                away,
                row.get("leg", "").strip(),
                result,
                details,
            )
        )
    return rows
