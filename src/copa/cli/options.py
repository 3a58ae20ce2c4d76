"""What every copa command shares: ``--version``, ``--lang`` and plain help screens.

Help screens name a value's kind in capitals (``PATH``, ``TEXT``, ``INTEGER``)
or list its choices (``json|csv|wiki``), and show nothing for flags, instead
of typer's ``<str>``/``<bool>`` tags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import typer
from typer import _coercion
from typer import core as _core

from copa.cli.on_demand import hold_back

_display_type = _core._TyperParameter.display_type


def _plain_type(self: Any, ctx: Any) -> str:
    if isinstance(self, _core.TyperArgument) or getattr(self, "is_flag", False):
        return ""
    label = str(_display_type(self, ctx)).strip("<>")
    if "|" in label:
        return label
    return {"str": "TEXT", "int": "INTEGER"}.get(label, label.upper())


def _usage_name(self: Any) -> str:
    name = str(self.display_name_raw).upper()
    name = name if self.required else f"[{name}]"
    return name if self.nargs == 1 else f"{name}..."


def _panel_name(self: Any) -> str:
    name = str(self.display_name_raw).upper()
    return name if self.nargs == 1 else f"{name}..."


@dataclass(frozen=True)
class _AsGiven(_coercion.RuntimeParam):
    """A plain ``str`` or ``bool`` parameter: a value already of that type is kept.

    That is what typer's pydantic adapter returns for it too, but building the
    adapter imports pydantic (about 0.1 s), which ``copa show 2011`` otherwise
    never needs. Anything else goes to typer's own adapter.
    """

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if type(value) is self.annotation:
            return value
        param._runtime_param = full = _coercion.build_runtime_param(param.type_descriptor)
        return full._coerce_value(value, param=param, ctx=ctx)


_runtime_param = _core._TyperParameter.get_runtime_param


def _light_runtime_param(self: Any) -> Any:
    d = self.type_descriptor
    plain = d.annotation is str or d.annotation is bool
    if self._runtime_param is None and plain and d.file_annotation is None:
        info = d.parameter_info
        if info.parser is None and not (d.is_path or d.is_choice or d.is_ranged):
            self._runtime_param = _AsGiven(parameter_info=info, annotation=d.annotation)
    return _runtime_param(self)


_core._TyperParameter.display_type = _plain_type  # type: ignore[method-assign]
_core._TyperParameter.get_runtime_param = _light_runtime_param  # type: ignore[method-assign]
_core.TyperArgument._usage_display_name = _usage_name  # type: ignore[method-assign]
_core.TyperArgument._rich_display_name = _panel_name  # type: ignore[method-assign]


hold_back()


def lang_from_argv(argv: list[str]) -> tuple[str | None, list[str]]:
    """``--lang X`` (or ``--lang=X``) anywhere on the line, and the line without it.

    >>> lang_from_argv(["show", "2011", "--lang", "es"])
    ('es', ['show', '2011'])
    >>> lang_from_argv(["--lang=en", "show"])
    ('en', ['show'])
    """
    out: list[str] = []
    lang: str | None = None
    it = iter(range(len(argv)))
    skip = False
    for i in it:
        a = argv[i]
        if skip:
            skip = False
            continue
        if a == "--":
            out.extend(argv[i:])
            break
        if a == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
            skip = True
        elif a.startswith("--lang="):
            lang = a.split("=", 1)[1]
        else:
            out.append(a)
    return lang, out


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            v = version("copa")
        except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
            v = "unknown"
        typer.echo(f"copa {v}")
        raise typer.Exit()
