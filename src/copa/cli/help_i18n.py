"""Help screens in the user's language (``copa --lang es --help``, ``LANG=es_PE copa show --help``).

The help strings are written in English in the command modules (typer
``help=`` and docstrings). When copa speaks another language, :func:`command`
builds the click command tree from the typer app and translates, through the
gettext catalogue every copa word comes from (:mod:`copa.i18n`), each
paragraph of each command's and each parameter's help: the msgid is the
paragraph with its lines joined by single spaces. The words of the help
screen itself (``Usage:``, ``Options``, ``[default: ...]``, ``Show this
message and exit.``) come from click and typer and are looked up in the same
catalogue. Anything the catalogue lacks stays English.
"""

from __future__ import annotations

import inspect
import sys
from typing import Any

import typer
from typer._click import core as _click_core
from typer._click import formatting as _click_formatting


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a help text, each on one line (the catalogue's msgids)."""
    return [" ".join(p.split()) for p in inspect.cleandoc(text).split("\n\n")]


def translated(text: str | None) -> str | None:
    """``text`` with every paragraph the catalogue has in the current language translated."""
    from copa.i18n import _

    if not text:
        return text
    out = []
    for raw, key in zip(inspect.cleandoc(text).split("\n\n"), paragraphs(text), strict=True):
        word = _(key)
        out.append(raw if word == key else word)
    return "\n\n".join(out)


def _walk(cmd: Any) -> None:
    cmd.help = translated(cmd.help)
    cmd.short_help = translated(cmd.short_help)
    for p in cmd.params:
        if getattr(p, "help", None):
            p.help = translated(p.help)
    for sub in getattr(cmd, "commands", {}).values():
        _walk(sub)


_PATCHED = False


def _library_words(help_screen: bool) -> None:
    """click's and typer's own words (``Usage:``, ``Options``...) from copa's catalogue."""
    global _PATCHED
    from copa.i18n import _

    if not _PATCHED:  # typer's own click writes these two in English, without gettext
        get_help_option = _click_core.Command.get_help_option
        write_usage = _click_formatting.HelpFormatter.write_usage

        def help_option(self: Any, ctx: Any) -> Any:
            option = get_help_option(self, ctx)
            if option is not None and option.help == "Show this message and exit.":
                option.help = _(option.help)
            return option

        def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
            write_usage(self, prog, args, f"{_('Usage:')} " if prefix is None else prefix)

        _click_core.Command.get_help_option = help_option  # type: ignore[method-assign]
        _click_formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
        _PATCHED = True
    if help_screen:  # typer.rich_utils is slow to import: only for a help screen
        from typer import rich_utils

        for name in (
            "DEFAULT_STRING",
            "REQUIRED_LONG_STRING",
            "ARGUMENTS_PANEL_TITLE",
            "OPTIONS_PANEL_TITLE",
            "COMMANDS_PANEL_TITLE",
            "RICH_HELP",
        ):
            english = _ENGLISH.setdefault(name, getattr(rich_utils, name))
            setattr(rich_utils, name, _(english))


_ENGLISH: dict[str, str] = {}


def command(app: typer.Typer, argv: list[str]) -> Any:
    """The click command of ``app`` with its help in the current language."""
    import typer.main

    cmd = typer.main.get_command(app)
    _walk(cmd)
    groups = {n for n, c in getattr(cmd, "commands", {}).items() if hasattr(c, "commands")}
    _library_words(not argv or "--help" in argv or argv[-1] in groups or "--help" in sys.argv)
    return cmd


def untranslated(app: typer.Typer, commands: tuple[str, ...] | None = None) -> list[str]:
    """``command: paragraph`` for each help paragraph the current language's catalogue lacks
    (all commands, or only ``commands``; ``"results import"`` names a subcommand)."""
    import typer.main

    from copa.i18n import _

    missing: list[str] = []

    def walk(cmd: Any, path: str) -> None:
        texts = [cmd.help] + [getattr(p, "help", None) for p in cmd.params]
        if commands is None or path in commands:
            for text in texts:
                for p in paragraphs(text) if text else ():
                    if _(p) == p and f"{path}: {p}" not in missing:
                        missing.append(f"{path}: {p}")
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    return missing


if __name__ == "__main__":  # python -m copa.cli.help_i18n es: the help paragraphs to translate
    from copa.cli import app as _app
    from copa.i18n import activate

    activate(sys.argv[1] if len(sys.argv) > 1 else "es")
    print("\n".join(untranslated(_app)))
