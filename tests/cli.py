"""Running the ``copa`` command line in the test's own process."""

from __future__ import annotations

import sys


def run(monkeypatch, capsys, *args: str) -> tuple[int, str, str]:
    """``copa ARGS...`` through :func:`copa.cli.main`: (exit code, stdout, stderr)."""
    from copa.cli import main

    monkeypatch.setattr(sys, "argv", ["copa", *args])
    try:
        main()
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err
