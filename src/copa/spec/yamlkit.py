"""The one YAML reader of copa's documents: strict, safe and quick.

Every season file, pyramid format and import format is read here. The text is
composed by libyaml (when installed) and turned into plain Python values by
one small walker that is stricter than YAML itself:

* a key written twice in one mapping is an error naming both lines (YAML's
  loaders keep the last one silently);
* aliases (``*a``) may stand for at most :data:`MAX_ALIASED` values in all:
  copa's own files need none (older versions wrote a few, ``&id001``, for a
  format's repeated levels), and an alias bomb fails at once instead of
  expanding; merge keys (``<<: *a``) are refused;
* only the plain types are accepted: strings, integers, floats, booleans,
  null, dates, mappings and lists; ``!!binary``, ``!!set``, ``!!python/...``
  and other tags are errors;
* an integer of more than :data:`MAX_DIGITS` digits is an error (Python's
  ``int`` would refuse one of 4,301 digits with a traceback).

The line of every node is known without walking alias paths (each node is
visited once): :func:`line_map` gives the line of each path of keys and
indices, and is only computed when an error needs a line.

>>> load("a: 1\\nb: [x, 2]\\n")
{'a': 1, 'b': ['x', 2]}
>>> load("a: 1\\nb: 2\\na: 3\\n")
Traceback (most recent call last):
copa.spec.yamlkit.YamlError: line 3: duplicate key 'a' (first at line 1)
>>> load("a: &x [1]\\nb: *x\\n")
{'a': [1], 'b': [1]}
"""

from __future__ import annotations

import sys
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[str | int, ...]

#: the most digits an integer may have (a year has 4, a seed 20)
MAX_DIGITS = 100
#: the most values aliases may stand for in one document, beyond the values written out
MAX_ALIASED = 10_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _MAP, _SEQ = _TAG + "str", _TAG + "int", _TAG + "map", _TAG + "seq"
_intern = sys.intern
_PLAIN = {_TAG + t for t in ("float", "bool", "null", "timestamp")}


class YamlError(ValueError):
    """Text that is not a document copa accepts, with the line (1-based) where."""

    def __init__(self, line: int | None, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"line {line}: {message}" if line else message)


class _Constructor(SafeConstructor):
    """SafeConstructor's scalar rules (ints, floats, booleans, dates), nothing else."""


_SCALARS = _Constructor()


def compose(text: str) -> Node | None:
    """The node tree of one YAML document; :class:`YamlError` if it is not YAML."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise YamlError(line, f"not valid YAML: {problem}") from None
    finally:
        loader.dispose()


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: ScalarNode) -> Any:
    tag = node.tag
    if tag == _STR:
        # interned: a club's name written in entrants, groups and draws is one object,
        # which a big season's memory and its cache entry (copa.spec.cache) both feel
        return _intern(node.value)
    if tag == _INT:
        value: str = node.value
        digits = sum(c.isdigit() for c in value) if len(value) > MAX_DIGITS else 0
        if digits > MAX_DIGITS:
            raise YamlError(
                _line(node), f"a number of {digits} digits is too large (at most {MAX_DIGITS})"
            )
        if value.isdigit():
            return int(value)
        return _SCALARS.construct_yaml_int(node)
    if tag in _PLAIN:
        try:
            return _SCALARS.yaml_constructors[tag](_SCALARS, node)
        except (yaml.YAMLError, ValueError) as e:
            raise YamlError(_line(node), f"not a valid value ({type(e).__name__})") from None
    if tag == _TAG + "merge":
        raise YamlError(_line(node), "merge keys (<<) are not allowed: write the keys out")
    short = tag.replace(_TAG, "!!")
    raise YamlError(_line(node), f"{short} values are not allowed: plain values only")


class _Walk:
    """One document's walk: values of nodes met so far, and the alias budget left."""

    def __init__(self) -> None:
        self.values: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        self.expanded = 0

    def size(self, node: Node) -> int:
        """How many values ``node`` stands for, counting inside aliases again (memoised)."""
        key = id(node)
        known = self.sizes.get(key)
        if known is None:
            known = 1
            if isinstance(node, SequenceNode):
                known += sum(self.size(v) for v in node.value)
            elif isinstance(node, MappingNode):
                known += sum(self.size(k) + self.size(v) for k, v in node.value)
            self.sizes[key] = known
        return known

    def value(self, node: Node, at: int = 0) -> Any:
        """The Python value of ``node``; an alias is the value of its anchor, within budget.

        ``at`` is the line of the key or list the node is written under: an alias
        node is the anchored node itself, so its own line is the anchor's.
        """
        key = id(node)
        if key in self.values:
            self.expanded += self.size(node)
            if self.expanded > MAX_ALIASED:
                raise YamlError(
                    at or _line(node),
                    f"aliases expand to more than {MAX_ALIASED:,} values "
                    f"(the anchor at line {_line(node)}): write the values out",
                )
            return self.values[key]
        if isinstance(node, ScalarNode):
            out: Any = _scalar(node)
        elif isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                _scalar(ScalarNode(node.tag, "", node.start_mark))
            line = _line(node)
            out = [self.value(item, line) for item in node.value]
        elif isinstance(node, MappingNode):
            if node.tag != _MAP:
                _scalar(ScalarNode(node.tag, "", node.start_mark))
            out = {}
            lines: dict[Any, int] = {}
            for k, v in node.value:
                name = self.value(k, _line(node))
                if isinstance(name, (list, dict)):
                    raise YamlError(_line(k), "a key is a plain value, not a list or mapping")
                if name in out:
                    raise YamlError(
                        _line(k), f"duplicate key {name!r} (first at line {lines[name]})"
                    )
                lines[name] = _line(k)
                out[name] = self.value(v, lines[name])
        else:  # pragma: no cover - no other node kinds
            raise YamlError(_line(node), "not valid YAML")
        self.values[key] = out
        return out


def load(text: str) -> Any:
    """The value of one YAML document under the rules above (None for an empty one).

    Text in the shapes copa's writers produce is read by :mod:`copa.spec.quickread`
    (the same values, several times faster); anything else, and every error, by
    :func:`load_composed`.
    """
    from copa.spec.quickread import UNSURE, enabled, read

    if enabled():
        value = read(text)
        if value is not UNSURE:
            return value
    return load_composed(text)


def load_composed(text: str) -> Any:
    """:func:`load` through libyaml's composer and the strict walker, for any text."""
    root = compose(text)
    if root is None:
        return None
    try:
        return _Walk().value(root)
    except RecursionError:
        raise YamlError(_line(root), "nested too deeply") from None


def line_map(text: str) -> dict[Path_, int]:
    """Line (1-based) of every node, by its path of keys and indices; {} if not loadable."""
    lines: dict[Path_, int] = {}
    try:
        root = compose(text)
    except YamlError:
        return lines
    if root is None:
        return lines
    seen: set[int] = set()
    todo: list[tuple[Node, Path_]] = [(root, ())]
    while todo:
        node, path = todo.pop()
        if id(node) in seen:  # an alias: its first place is the one to name
            continue
        seen.add(id(node))
        lines.setdefault(path, _line(node))
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if isinstance(k, ScalarNode):
                    lines[(*path, k.value)] = _line(k)
                    todo.append((v, (*path, k.value)))
        elif isinstance(node, SequenceNode):
            todo.extend((v, (*path, i)) for i, v in enumerate(node.value))
    return lines
