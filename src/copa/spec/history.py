"""A season's history: every result entered, corrected or reverted, in the season file.

The history is the season file's top-level ``history:`` list, one entry per
change, appended in the same atomic write as the change itself, never
rewritten (a revert is a new entry). ``docs/season-file.md`` ("History")
documents it.

>>> e = HistoryModel(id=1, at="2026-03-14T18:02:11+00:00", by="ana", stage="District Ate",
...     round="League", fixture="Table", match="Los Tigres v Tecnológico", old="scheduled",
...     new="2-1")
>>> print(history_line(e)[:72])
  - {id: 1, at: "2026-03-14T18:02:11+00:00", by: "ana", stage: "District
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field


class HistoryModel(BaseModel):
    """One change: who, when, which match (by stage, round, group or tie), old and new, why."""

    model_config = ConfigDict(extra="forbid")

    id: int = Field(ge=1)
    at: str
    by: str
    stage: str
    round: str
    #: the group's name, or the tie ("A v B")
    fixture: str
    #: "Home v Away" as the match is played
    match: str
    leg: int | None = None
    old: str
    new: str
    reason: str = ""
    #: the id of the change this one undoes
    reverts: int | None = None
    #: where the change came from when not typed ("results import results.csv")
    source: str = ""
    #: the change is to a deciding match (told apart from the group match of the same pair)
    decider: bool = False


_ORDER = (
    "id",
    "at",
    "by",
    "stage",
    "round",
    "fixture",
    "match",
    "leg",
    "old",
    "new",
    "reason",
    "reverts",
    "source",
    "decider",
)


def history_line(e: HistoryModel, indent: str = "  ") -> str:
    """One entry as one line of YAML (a flow mapping; strings JSON-quoted)."""
    parts = []
    for key in _ORDER:
        value = getattr(e, key)
        if value is None or (key in ("reason", "source") and value == ""):
            continue
        if key == "decider":
            if value:
                parts.append("decider: true")
            continue
        text = str(value) if isinstance(value, int) else json.dumps(value, ensure_ascii=False)
        parts.append(f"{key}: {text}")
    return f"{indent}- {{{', '.join(parts)}}}"


def history_text(entries: tuple[HistoryModel, ...] | list[HistoryModel]) -> str:
    """The whole ``history:`` section ("" when there is none)."""
    if not entries:
        return ""
    return "history:\n" + "".join(history_line(e) + "\n" for e in entries)
