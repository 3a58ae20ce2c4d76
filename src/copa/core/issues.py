"""Issues the engine reports instead of guessing: errors, conflicts, things pending."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from copa.core.quick import quick_init


class Severity(StrEnum):
    """How bad an issue is: whether copa can go on, and what the user must do."""

    #: the data contradicts the rules themselves (penalties on a decided tie)
    ERROR = "error"
    #: a recorded claim (who went through, how) disagrees with what the rules give
    CONFLICT = "conflict"
    #: the rules need something not yet recorded (a match, a deciding match, a lot)
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class Issue:
    """One thing copa will not guess about, in words a user can act on."""

    severity: Severity
    message: str
    #: the place it concerns ("Stage 2 / Group A"), or "" for the whole season
    where: str = ""

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.severity.value}: {self.message}"


quick_init(Issue)
