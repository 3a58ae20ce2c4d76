"""One registry protocol for copa's named rules: table criteria and tie steps.

A competition's regulations are written as chains of names (``[points,
goal_difference, head_to_head, lots]``); each name is a small registered rule
that carries its own label, abbreviation and whether it is contextual (applies only
where level clubs straddle a qualification line). Readers check names here and
only here, error messages and ``docs/rules.md`` list the choices from here, and a
chain is looked up once (:meth:`Registry.chain`), not by string on every ranking.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar


class Rule(Protocol):
    """What every registered rule carries."""

    @property
    def name(self) -> str: ...

    @property
    def label(self) -> str: ...

    @property
    def abbreviation(self) -> str: ...

    @property
    def contextual(self) -> bool: ...


R = TypeVar("R", bound=Rule)


class Registry(dict[str, R]):
    """The rules of one kind by name; an unknown name is a ``KeyError`` naming the choices."""

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def add(self, rule: R) -> R:
        self[rule.name] = rule
        return rule

    def known(self) -> str:
        return ", ".join(sorted(self))

    def unknown(self, shown: str) -> str:
        """The one message for a name not registered (``shown`` as the caller quotes it)."""
        return f"unknown {self.kind} {shown} (known: {self.known()})"

    def __missing__(self, name: str) -> R:
        raise KeyError(self.unknown(repr(name)))

    def chain(self, names: Iterable[str]) -> tuple[R, ...]:
        """The rules of a chain, in order: checked and looked up once."""
        return tuple(self[n] for n in names)
