"""Issues the engine reports instead of guessing: errors, conflicts, things pending."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from copa.core.quick import quick_init


class Severity(StrEnum):
    #: the data contradicts the rules themselves (penalties on a decided tie)
    ERROR = "error"
    #: a recorded claim (who went through, how) disagrees with what the rules give
    CONFLICT = "conflict"
    #: the rules need something not yet recorded (a match, a deciding match, a lot)
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class Issue:
    severity: Severity
    message: str
    where: str = ""

    def __str__(self) -> str:
        prefix = f"{self.where}: " if self.where else ""
        return f"{prefix}{self.severity.value}: {self.message}"


quick_init(Issue)
