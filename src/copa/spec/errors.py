"""The user errors every reader raises: a bad document (file, line, field, what is wrong)
and a name that names nothing or more than one thing.

It lives apart from the readers so that a command can catch it without
importing them (and pydantic, and YAML) first.
"""

from __future__ import annotations

from collections.abc import Sequence


class SeasonFileError(ValueError):
    """Bad input in a season file: one line that names the file, line and field."""

    def __init__(self, source: str, line: int | None, field: str, message: str) -> None:
        self.source, self.line, self.field, self.message = source, line, field, message
        where = f"{source}:{line}" if line else source
        text = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        from copa.limits import one_line

        super().__init__(one_line(text))  # never a line break in an error line


class UnknownName(LookupError):
    """A name that names nothing, or more than one thing: the message lists the candidates."""

    def __init__(self, message: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)
