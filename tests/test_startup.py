"""Start-up stays light: a command imports only what it needs.

``copa --help`` and ``copa show 2011`` are what people run first; each heavy
package they do not need costs tens of milliseconds on every run (see
docs/benchmarks.md, "Startup"). These tests run the real entry point in a fresh
interpreter and look at ``sys.modules`` afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import gc, json, sys
from copa.launcher import main
sys.argv = ["copa", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
sys.__stdout__.flush()
# the launcher pauses the collector for the imports only
modules = sorted(sys.modules) + (["(collector left off)"] if not gc.isenabled() else [])
print("\\n@@" + json.dumps(modules), file=sys.__stderr__)
"""

HEAVY = ("pydantic", "yaml", "django", "numpy", "matplotlib", "wikitextparser", "secrets")
#: modules of packages copa does use, which these two commands need not load: the
#: emoji table (copa prints names as written, ":...:" included), importlib's
#: resource readers (bundled files are found beside the package), the markdown
#: parser and pygments (typer's help imports them; copa.cli.on_demand holds them back),
#: OpenSSL's hashes (copa.digest hashes a small file with CPython's own SHA-256),
#: the club path's module (only ``copa team`` needs it)
NOT_NEEDED = (
    "(collector left off)",
    "rich._emoji_codes",
    "importlib.resources",
    "importlib.readers",
    "markdown_it",
    "pygments",
    "hashlib",
    "_hashlib",
    "copa.core.path",
)


def _modules(env: dict[str, str], *args: str) -> set[str]:
    run = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, env=env
    )
    line = run.stderr.rsplit("@@", 1)[1]
    names = json.loads(line)
    return {m.split(".")[0] for m in names} | {m for m in names if m in NOT_NEEDED}


@pytest.mark.parametrize("args", [("--help",), ("show", "2011")])
def test_first_commands_import_no_heavy_package(args: tuple[str, ...], tmp_path: Path) -> None:
    """As a user has it: the second run, with the cache copa left after the first."""
    env = {**os.environ, "COPA_CACHE": "1", "COPA_CACHE_DIR": str(tmp_path)}
    first = _modules(env, *args)
    loaded = _modules(env, *args)
    assert "copa" in loaded and "rich" in loaded
    # typer's help screens use a console of typer's own, with emoji on
    banned = {*HEAVY, *NOT_NEEDED} - ({"rich._emoji_codes"} if args[0] == "--help" else set())
    assert not loaded & banned, sorted(loaded & banned)
    if args[0] == "show":
        assert "yaml" in first  # the first run read the file: the probe sees imports


def test_a_bad_number_is_still_checked_by_typer() -> None:
    """The light path keeps text as given; other types still go through typer's checks."""
    run = subprocess.run(
        [sys.executable, "-m", "copa.cli", "forecast", "2011", "--runs", "many"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "--runs" in run.stderr and "integer" in run.stderr


def test_rich_markdown_and_traceback_are_still_there_for_whoever_uses_them() -> None:
    """copa.cli.on_demand holds them back until used: then they are the real ones."""
    code = (
        "import copa.cli, io\n"
        "from rich.console import Console\n"
        "from rich.markdown import Markdown, Heading\n"
        "import rich.markdown as m\n"
        "out = io.StringIO()\n"
        "Console(file=out, width=40).print(Markdown('# Title\\n\\n*x* and **y**'))\n"
        "assert type(m).__name__ == 'module' and Heading is m.Heading, type(m)\n"
        "assert 'Title' in out.getvalue() and '**' not in out.getvalue(), out.getvalue()\n"
        "assert isinstance(Markdown('z'), m.Markdown)\n"
        "from rich.traceback import Traceback\n"
        "try:\n    1 / 0\n"
        "except ZeroDivisionError as e:\n"
        "    tb = Traceback.from_exception(type(e), e, e.__traceback__)\n"
        "import rich.traceback as t\n"
        "assert isinstance(tb, t.Traceback) and type(t).__name__ == 'module'\n"
        "Console(file=out, width=60).print(tb)\n"
        "assert 'ZeroDivisionError' in out.getvalue()\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize(
    ("args", "code", "want"),
    [
        # a typo: typer gets every command, so click can say which one was meant
        (("shw", "2011"), 2, "Did you mean 'show'?"),
        # a group of commands (``copa results ...``) is found like a command
        (("results", "import", "--help"), 0, "copa results import [OPTIONS] SEASON CSV_FILE"),
        # an option first: every command is listed
        (("--help",), 0, "forecast"),
    ],
)
def test_only_the_named_command_is_built_and_the_rest_still_works(
    args: tuple[str, ...], code: int, want: str
) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "copa.cli", *args], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == code, run.stderr
    assert want in run.stdout + run.stderr


def test_the_club_path_loads_when_asked() -> None:
    """``copa.core`` loads the club path's module on first use; the names are the same."""
    import copa.core
    from copa.core import path

    assert copa.core.ClubPath is path.ClubPath and copa.core.club_path is path.club_path
    assert {"ClubPath", "club_path"} <= set(copa.core.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        copa.core.nothing  # noqa: B018
