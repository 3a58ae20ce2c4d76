"""The one error every document reader raises: file, line, field and what is wrong.

It lives apart from the readers so that a command can catch it without
importing them (and pydantic, and YAML) first.
"""

from __future__ import annotations


class SeasonFileError(ValueError):
    """Bad input in a season file: one line that names the file, line and field."""

    def __init__(self, source: str, line: int | None, field: str, message: str) -> None:
        self.source, self.line, self.field, self.message = source, line, field, message
        where = f"{source}:{line}" if line else source
        text = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        from copa.limits import one_line

        super().__init__(one_line(text))  # never a line break in an error line
