"""Many results at once: a CSV with the columns of ``copa export --format csv --what matches``.

Spanish headers are accepted (``fecha, etapa, ronda, grupo, local, visitante,
goles_local, goles_visitante, ..., estado``), as are Spanish status words
(``jugado``, ``programado``, ``no jugado``, ``anulado``, ``adjudicado``).
Each row names a fixture of the season (home and away as played; stage,
round and leg when the pair meets more than once) and its result.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from copa.core.match import MatchStatus, Score
from copa.spec.fixture_notation import NO_DETAILS, Details, DetailsError, check_date
from copa.spec.formats import fold
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


def _goals(row: dict[str, str], col: str, src: str, line: int) -> int | None:
    text = row.get(col, "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 3:
        raise ResultsCsvError(f"{src}:{line}: {col}: {text[:20]!r} is not a number of goals")
    return int(text)


def _pair(row: dict[str, str], a: str, b: str, src: str, line: int) -> Score | None:
    x, y = _goals(row, a, src, line), _goals(row, b, src, line)
    if (x is None) != (y is None):
        raise ResultsCsvError(f"{src}:{line}: {a if x is None else b}: give both sides or neither")
    return None if x is None or y is None else Score(x, y)


def _result(row: dict[str, str], status: MatchStatus, src: str, line: int) -> Result:
    """The row's result, read as ``copa import`` reads a matches CSV: the score after extra
    time alone, the shoot-out alone or the winner alone (``winner``), who shot first
    (``first_shooter``)."""
    from copa.sources.csv_rows import result_of
    from copa.spec.errors import SeasonFileError

    for a, b in (
        ("home_goals", "away_goals"),
        ("home_goals_et", "away_goals_et"),
        ("home_penalties", "away_penalties"),
    ):
        _pair(row, a, b, src, line)  # this reader's own wording for bad goal counts
    cells = {k: v.strip() for k, v in row.items()}
    cells["status"] = status.value  # an empty status is "played" here
    try:
        return result_of(cells, src, line)
    except SeasonFileError as e:
        raise ResultsCsvError(str(e)) from None


def read_results_csv(text: str, src: str) -> list[Row]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        raise ResultsCsvError(f"{src}: the file is empty (it needs a header row)") from None
    cols = [_key(h) for h in header]
    for i, c in enumerate(cols):
        if c not in COLUMNS:
            raise ResultsCsvError(
                f"{src}:1: {header[i]}: unknown column (columns: {', '.join(COLUMNS)}; "
                "Spanish headers such as local, visitante, goles_local are accepted)"
            )
    for need in ("home", "away"):
        if need not in cols:
            raise ResultsCsvError(f"{src}:1: {need}: this column is required")
    rows: list[Row] = []
    for n, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(cols):
            raise ResultsCsvError(
                f"{src}:{n}: the row has {len(cells)} cells, the header {len(cols)}"
            )
        row = dict(zip(cols, cells, strict=True))
        status_text = fold(row.get("status", "")).replace(" ", "_") or "played"
        if status_text not in STATUSES:
            raise ResultsCsvError(
                f"{src}:{n}: status: {row['status'][:20]!r} is not a status "
                f"({', '.join(s for s in STATUSES if s.isascii())})"
            )
        status = STATUSES[status_text]
        result = _result(row, status, src, n)
        details = NO_DETAILS
        date = row.get("date", "").strip()
        if date:
            try:
                details = Details(date=check_date(date))
            except DetailsError as e:
                raise ResultsCsvError(f"{src}:{n}: date: {e}") from None
        simulated = fold(row.get("simulated", "")).strip()
        if simulated in ("true", "yes", "1", "si"):
            details = details._replace(simulated=True)
        elif simulated not in ("", "false", "no", "0"):
            raise ResultsCsvError(
                f"{src}:{n}: simulated: {row['simulated'][:20]!r} is neither true nor false"
            )
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
