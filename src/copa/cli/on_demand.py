"""Two modules typer's help screens import but copa never uses, held back until used.

``typer.rich_utils`` imports ``rich.markdown`` (markdown-it and pygments; typer uses
it only in markdown markup mode, which copa's app does not set) and
``rich.traceback`` (pygments again; for pretty exceptions, which copa turns off).
Together they were a third of ``copa --help``'s imports.

Each is replaced in ``sys.modules`` by a stand-in that holds the class names typer
imports. Using anything (making a ``Markdown``, calling ``Traceback.from_exception``,
or reading any other name) imports the real module, which then takes the
stand-in's place. ``tests/test_startup.py`` checks both halves.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

#: module -> the class names typer imports from it
HELD_BACK = {"rich.markdown": ("Markdown",), "rich.traceback": ("Traceback",)}


def _real(module: str) -> types.ModuleType:
    if isinstance(sys.modules.get(module), _StandIn):
        del sys.modules[module]
    return importlib.import_module(module)


class _Forwarding(type):
    """A stand-in class: its class attributes are the real class's."""

    def __getattr__(cls, attr: str) -> Any:
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(getattr(_real(cls.__module__), cls.__name__), attr)


def _stand_in_class(module: str, name: str) -> type:
    def new(cls: type, *args: Any, **kwargs: Any) -> Any:
        return getattr(_real(module), name)(*args, **kwargs)

    return _Forwarding(name, (), {"__new__": new, "__module__": module})


class _StandIn(types.ModuleType):
    """A module until something uses it."""

    def __init__(self, name: str, classes: tuple[str, ...]) -> None:
        super().__init__(name)
        for c in classes:
            setattr(self, c, _stand_in_class(name, c))

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # the import system asking (``__path__``...)
            raise AttributeError(attr)
        return getattr(_real(self.__name__), attr)


def hold_back() -> None:
    """Put the stand-ins in place (for modules not imported yet)."""
    for module, classes in HELD_BACK.items():
        if module not in sys.modules:
            sys.modules[module] = _StandIn(module, classes)
