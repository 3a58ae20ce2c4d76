"""``copa upgrade FILE``: rewrite a season file in the current form (copa.spec.upgrade)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from copa.cli import app


@app.command()
def upgrade(
    file: Annotated[Path, typer.Argument(help="A season file (plain or pyramid).")],
    check: Annotated[
        bool, typer.Option("--check", help="Only say whether it would change; write nothing.")
    ] = False,
) -> None:
    """Rewrite a season file in the current form: a season played in a bundled structure
    includes it (structure: copa-peru-2011). Atomic; a second run changes nothing."""
    from copa.cli import CopaError, _write
    from copa.io.safe_write import hold, read_text
    from copa.spec.upgrade import upgraded

    with hold(None if check else file):
        try:
            text, seen = read_text(file)
        except UnicodeDecodeError as e:
            line = e.object[: e.start].count(b"\n") + 1
            raise CopaError(f"{file}:{line}: not valid UTF-8 ({e.reason})") from None
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        result = upgraded(text, str(file))  # bad input: one line at its line, exit 2
        if result.changed and not check:
            _write(file, result.text, expect=seen)
    verb = (
        "would be upgraded"
        if check and result.changed
        else ("upgraded" if result.changed else "unchanged")
    )
    typer.echo(f"{file}: {verb}: {result.why}")
