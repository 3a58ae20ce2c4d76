"""Quicker constructors for the frozen, slotted dataclasses built by the hundred thousand.

A frozen dataclass's generated ``__init__`` sets each field through
``object.__setattr__``, which finds the field's slot again on every call. A
season's resolution builds a record, a table row and an outlook per club per
group (about 25,000 of each on 20,000 clubs), so that lookup shows. The
``__init__`` :func:`quick_init` gives a class has the generated one's
signature and defaults and calls each slot's own setter directly: about
twice as fast, and the object built is the same (tests/test_properties.py).

:func:`builder` is the same idea for readers that hold a class's field values in
order (the cache's entries, the match lines' fast path): a function of the
values, with no defaults to fill in and no ``__init__`` call.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from types import MemberDescriptorType
from typing import Any, TypeVar

T = TypeVar("T")


def slot_setter(cls: Any, name: str) -> Any:
    """The setter of slot ``name`` of ``cls`` (found along its MRO), or None: calling it
    is about 40% cheaper than ``object.__setattr__``, which finds the slot each time."""
    for klass in cls.__mro__:
        d = klass.__dict__.get(name)
        if isinstance(d, MemberDescriptorType):
            return d.__set__
    return None


def quick_init(cls: type[T]) -> type[T]:
    """Give the frozen, slotted dataclass ``cls`` the quicker ``__init__``.

    Only plain fields are supported (no default factory, keyword-only or
    init-less field, no ``__post_init__``): anything else is a ``TypeError``
    here, at import, rather than an object built differently.
    """
    params = dataclasses.fields(cls)  # type: ignore[arg-type]
    if "__slots__" not in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: quick_init needs slots and no __post_init__")
    ns: dict[str, Any] = {}
    args: list[str] = []
    body: list[str] = []
    for i, f in enumerate(params):
        if not f.init or f.kw_only or f.default_factory is not dataclasses.MISSING:
            raise TypeError(f"{cls.__name__}.{f.name}: quick_init takes plain fields only")
        ns[f"_set{i}"] = slot_setter(cls, f.name)
        if f.default is dataclasses.MISSING:
            args.append(f.name)
        else:
            ns[f"_default{i}"] = f.default
            args.append(f"{f.name}=_default{i}")
        body.append(f"    _set{i}(self, {f.name})")
    source = f"def __init__(self, {', '.join(args)}):\n" + "\n".join(body) + "\n"
    exec(source, ns)  # the way dataclasses writes the generated one
    init = ns["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    type.__setattr__(cls, "__init__", init)
    return cls


@cache
def plain_fields(cls: Any) -> tuple[str, ...]:
    """The field names of a slotted dataclass without its own pickling, else ()."""
    if (
        dataclasses.is_dataclass(cls)
        and "__slots__" in cls.__dict__
        and "__reduce__" not in cls.__dict__
    ):
        return tuple(f.name for f in dataclasses.fields(cls))
    return ()


@cache
def builder(cls: Any) -> Any:
    """``build(values)``: a ``cls`` (of :func:`plain_fields`) from its field values in
    order, each slot set by its own setter, one line per field."""
    space: dict[str, Any] = {"new": object.__new__, "s": object.__setattr__, "cls": cls}
    lines = []
    for i, n in enumerate(plain_fields(cls)):
        setter = slot_setter(cls, n)
        if setter is None:
            lines.append(f"    s(o, {n!r}, v[{i}])\n")
        else:
            space[f"d{i}"] = setter
            lines.append(f"    d{i}(o, v[{i}])\n")
    code = f"def build(v):\n    o = new(cls)\n{''.join(lines)}    return o\n"
    exec(code, space)  # field names come from the class itself
    return space["build"]
