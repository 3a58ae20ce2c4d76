"""Import results from CSV: one match per row, plus an optional clubs file and a format.

The columns are the ones ``copa export SEASON --format csv --what matches``
writes (``docs/import.md``)::

    date, stage, round, group, home, away, home_goals, away_goals,
    home_goals_et, away_goals_et, home_penalties, away_penalties, leg, status

``stage`` and ``round`` name a stage and round of the format (or one of their
aliases); ``group`` a group of a group round. A group's deciding match has
round ``Tiebreaker`` and its group; a tie's has ``leg`` ``decider``. Goals
after extra time count the 90 minutes. The clubs file has the columns
``name, aliases, department, province, district, location`` (aliases
separated by ``;``).
"""

from __future__ import annotations

from copa.limits import quote
from copa.sources.csv_rows import columns_word, leg_of, result_of, rows, simulated_of
from copa.sources.importing import (
    TIEBREAK_TITLES,
    Draft,
    Imported,
    MatchDraft,
    finish,
    format_needed,
    new_draft,
)
from copa.sources.reader import Options, as_import, decode
from copa.spec.fold import fold
from copa.spec.matches_csv import MATCH_COLUMNS
from copa.spec.season_file import SeasonFileError

#: the columns ``copa export --format csv --what matches`` writes
COLUMNS = MATCH_COLUMNS
REQUIRED = ("stage", "round", "home", "away", "home_goals", "away_goals")


def _group_decider(draft: Draft, line: int, cells: dict[str, str], why: str, source: str) -> None:
    """A group's deciding match whose row names no round (as ``copa export`` writes them):
    the group of that name in that stage where both clubs play, when there is one."""
    si = draft.locator.stage_of([cells["stage"]])
    home = draft.clubs.result_name(cells["home"], line)
    away = draft.clubs.result_name(cells["away"], line)
    found = [
        g
        for (s, _, name), g in draft.groups.items()
        if s == si and fold(name) == fold(cells["group"]) and {home, away} <= set(g.clubs)
    ]
    if len(found) != 1:
        draft.note(line, why)
        return
    found[0].deciders.append(
        MatchDraft(
            home, away, result_of(cells, source, line), line, simulated_of(cells, source, line)
        )
    )


def read(data: bytes, source: str, options: Options) -> Imported:
    """Read a matches CSV (and clubs CSV) into a season laid out by ``fmt``."""
    draft = new_draft(format_needed(options.fmt, source, "a CSV file"), source, options)
    found, extra = rows(decode(data, source), source, REQUIRED, COLUMNS)
    if extra:
        draft.note(1, f"{columns_word(extra)} {', '.join(extra)} not understood; ignored")
    later: list[tuple[int, dict[str, str], str]] = []
    for line, cells in found:
        if draft.locator.stage_of([cells["stage"]]) is None:
            stages = ", ".join(s.name for s in draft.fmt.model.stages)
            raise SeasonFileError(
                source,
                line,
                "stage",
                f"{quote(cells['stage'])} is no stage of the format (stages: {quote(stages, 200)})",
            )
        path = [cells["stage"], cells["round"]] + ([cells["group"]] if cells.get("group") else [])
        place = draft.locator.place(path)
        if isinstance(place, str):
            if cells["round"].strip().lower() in TIEBREAK_TITLES and cells.get("group"):
                later.append((line, cells, place))  # the group is known once its matches are
            else:
                draft.note(line, place)
            continue
        res = result_of(cells, source, line)
        home = draft.clubs.result_name(cells["home"], line)
        away = draft.clubs.result_name(cells["away"], line)
        leg, sim = leg_of(cells, source, line), simulated_of(cells, source, line)
        draft.add_match(place, home, away, res, line, leg, simulated=sim)
    for line, cells, why in later:
        _group_decider(draft, line, cells, why, source)
    return finish(draft)


import_csv = as_import(read)
