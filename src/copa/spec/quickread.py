"""A fast reader for the YAML that copa's own writers produce, line by line.

A big season file is almost all one shape: block mappings, one-line flow lists
and mappings (``clubs: ["A", "B"]``, ``- {teams: [...], legs: [...]}``) and
literal blocks of match lines (``matches: |``). libyaml composes a node for
every scalar of it, which costs ten times ``json.load`` of the same data
before copa looks at a single match. :func:`read` parses those shapes directly
(``str.split``, one compiled pattern per kind of line, ``json.loads`` for
flow lines that are JSON) into the same plain values :func:`copa.spec.yamlkit.load`
gives, and gives up, returning :data:`UNSURE`, on any line it does not
recognise with certainty: comments after values, anchors, aliases, tags,
single quotes with escapes, escapes in double quotes, multi-line scalars or
flow collections, folded blocks, tabs, unusual characters, a key written
twice. The caller then reads the text the full way, so every error keeps its
message and line (``tests/test_quickread.py`` checks both: the same values on
every file copa writes, and the same errors on mangled ones).

Plain scalars are typed by PyYAML's own resolver and constructor (the ones
libyaml's loader uses), so ``yes``, ``1:20``, ``0x1f``, ``2019-05-01`` and
``.inf`` mean what they mean to YAML 1.1.

``COPA_QUICKREAD=0`` turns this reader and the match lines' fast path
(:mod:`copa.spec.quickmatch`) off, for comparing (``bench/load_bench.py``).

>>> read('a: 1\\nb: [x, "y z"]\\nc: |\\n  one\\n  two\\n')
{'a': 1, 'b': ['x', 'y z'], 'c': 'one\\ntwo\\n'}
>>> read("a: &x 1\\n") is UNSURE
True
"""

from __future__ import annotations

import json
import os
import re
import sys
from typing import Any

from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from copa.spec import yamlkit  # its rules: only its load() reads this module, when called

#: what :func:`read` returns when the text is not in the shapes it knows
UNSURE: Any = type("Unsure", (), {"__repr__": lambda self: "UNSURE"})()

_intern = sys.intern
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_RESOLVERS: dict[Any, Any] = Resolver.yaml_implicit_resolvers

# anything but the plain printable characters and the line feed: tabs, CR, NEL,
# LS/PS, BOM, controls, surrogates, non-characters. Such a text is read the full
# way. Looked for in the UTF-8 bytes: first the bytes that can start one (all the
# others deleted at once, ``bytes.translate``), then the exact sequence at each.
_ODD_START = b"\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x7f\xc2\xe2\xed\xef" + bytes(range(11, 32))
_NOT_START = bytes(b for b in range(256) if b not in _ODD_START)
_ODD = re.compile(
    rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8\xa9]|\xed[\xa0-\xbf]"
    rb"|\xef\xbb\xbf|\xef\xbf[\xbe\xbf]"
)
# a mapping key (plain: starts like a plain scalar, no colon, hash, quote or bracket;
# or double-quoted without escapes), its colon, and the rest of the line
_KEY = re.compile(
    r"""(?:([^\s\-?:,\[\]{}#&*!|>'"%@`][^:#,\[\]{}"']*?)|"([^"\\]*)")(?<! ):(?: +(.*))?$"""
)
_DQ = re.compile(r'"([^"\\]*)"')
_SQ = re.compile(r"'([^']*)'(?!')")
# a plain scalar in a flow collection: no flow indicators, colons or hashes
_FLOW_PLAIN = re.compile(r"(?:[^\s\-?:,\[\]{}#&*!|>'\"%@`]|-(?=[^\s,\[\]{}]))[^,\[\]{}:#]*")


#: a one-line flow mapping of plain keys and double-quoted values without escapes: the
#: shape of a season's club lines, ``{name: "Sport Huancayo", district: "Chilca", ...}``
_FLAT_MAP = re.compile(r'\{(?:[A-Za-z_]+: "[^"\\]*", )*[A-Za-z_]+: "[^"\\]*"\}')
_FLAT_PAIR = re.compile(r'([A-Za-z_]+): "([^"\\]*)"')


class _Unsure(Exception):
    """A line this reader does not read with certainty."""


#: what :meth:`_Reader.as_json` needs of the text between double quotes: its plain
#: scalars, a colon that is not a key's, and what may touch a quote on either side
_PLAIN_RUN, _COLON, _AFTER_QUOTE, _BEFORE_QUOTE = (
    re.compile(p)
    for p in (
        r"[^\s\[\]{},:](?:[^\[\]{},:]*[^\s\[\]{},:])?",
        r":(?! )",
        r" *(?:[,\]}]|: )",
        r"(?:[\[{]|, |: ) *$",
    )
)


def enabled() -> bool:
    return os.environ.get("COPA_QUICKREAD", "1") != "0"


def read(text: str) -> Any:
    """The value of ``text`` as :func:`copa.spec.yamlkit.load` gives it, or :data:`UNSURE`."""
    if not text.endswith("\n") or _odd(text):
        return UNSURE
    lines = text.split("\n")
    lines.pop()
    try:
        return _Reader(lines).document()
    except (_Unsure, RecursionError):
        return UNSURE


def _skip(s: str, i: int) -> int:
    """The index of the first character at or after ``i`` that is not a space."""
    n = len(s)
    while i < n and s[i] == " ":
        i += 1
    return i


def _odd(text: str) -> bool:
    """Whether ``text`` holds a character YAML treats specially (see ``_ODD``)."""
    data = text.encode("utf-8", "surrogatepass")
    starts = set(data.translate(None, _NOT_START))
    match = _ODD.match
    for b in starts:  # few: a control character, or a few multi-byte characters
        i = data.find(b)
        while i >= 0:
            if match(data, i):
                return True
            i = data.find(b, i + 1)
    return False


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


class _Reader:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.i = 0
        self.plain: dict[str, Any] = {}
        self.outside: dict[str, tuple[str, bool, bool]] = {}
        self.json_skeletons: set[str] = set()

    # ------------------------------------------------------------ structure

    def next_line(self) -> int:
        """Index of the next line with content (comment and blank lines skipped), or -1."""
        lines, i, n = self.lines, self.i, len(self.lines)
        while i < n:
            s = lines[i].lstrip(" ")
            if s and s[0] != "#":
                if s.startswith(("---", "...", "%")) and _indent(lines[i]) == 0:
                    raise _Unsure
                self.i = i
                return i
            i += 1
        self.i = n
        return -1

    def document(self) -> Any:
        at = self.next_line()
        if at < 0:
            return None
        line = self.lines[at]
        if _indent(line) != 0:
            raise _Unsure
        value = self.node(0)
        if self.next_line() >= 0:
            raise _Unsure
        return value

    def node(self, indent: int) -> Any:
        """The block collection whose first line is the current one, at ``indent``."""
        s = self.lines[self.i][indent:]
        if s.startswith("- ") or s == "-":
            return self.sequence(indent)
        return self.mapping(indent)

    def line_at(self, indent: int) -> str | None:
        """The next line's content when it is at ``indent`` (None: the collection ended)."""
        at = self.next_line()
        if at < 0:
            return None
        line = self.lines[at]
        ind = _indent(line)
        if ind < indent:
            return None
        if ind > indent:
            raise _Unsure  # a continuation line, or a shape we do not know
        return line[ind:]

    def mapping(self, indent: int) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        while True:
            s = self.line_at(indent)
            if s is None:
                return out
            at = self.i
            if s[0] == "-" and (s == "-" or s[1] == " "):
                return out  # an indentless sequence's end, decided by the caller
            m = _KEY.match(s)
            if m is None:
                raise _Unsure
            plain, quoted, rest = m.groups()
            key = self.scalar(plain) if plain is not None else _intern(quoted)
            if isinstance(key, (list, dict)) or key in out:
                raise _Unsure  # duplicate keys: the full reader names both lines
            self.i = at + 1
            out[key] = self.value_after_key(rest, indent)

    def value_after_key(self, rest: str | None, indent: int) -> Any:
        if rest is None or rest == "" or rest[0] == "#":
            at = self.next_line()
            if at < 0:
                return None
            line = self.lines[at]
            ind = _indent(line)
            if ind > indent:
                return self.node(ind)
            s = line[ind:]
            if ind == indent and (s == "-" or s.startswith("- ")):
                return self.sequence(indent)
            return None
        if rest[0] in "|>":
            return self.literal(rest, indent)
        return self.inline(rest)

    def sequence(self, indent: int) -> list[Any]:
        out: list[Any] = []
        lines = self.lines
        while True:
            s = self.line_at(indent)
            if s is None:
                return out
            at, ind = self.i, indent
            if not s.startswith("- "):
                if s == "-":
                    raise _Unsure
                return out
            item = s[2:]
            inner = item.lstrip(" ")
            if not inner or inner[0] == "#":
                raise _Unsure
            child = ind + 2 + len(item) - len(inner)
            if inner.startswith("- ") or (
                inner[0] not in "[{\"'" and _KEY.match(inner) is not None
            ):
                lines[at] = " " * child + inner  # the item's collection starts on this line
                out.append(self.node(child))
                continue
            if inner[0] in "|>":
                raise _Unsure
            self.i = at + 1
            out.append(self.inline(inner))

    def literal(self, header: str, indent: int) -> str:
        """A block scalar (``|``, ``|-``, ``>``, ``>-``) whose lines follow, more indented
        than ``indent``."""
        if header not in ("|", "|-", ">", ">-"):
            raise _Unsure  # indentation indicators, keep chomping, comments
        keep_end = len(header) == 1
        lines, start = self.lines, self.i
        n = len(lines)
        if start >= n:
            raise _Unsure
        first = lines[start]
        ind = _indent(first)
        if ind <= indent or ind == len(first):
            raise _Unsure  # an empty block, or one that starts with blank lines
        pad = " " * ind
        end = start + 1
        while end < n and lines[end].startswith(pad):
            end += 1
        after = end
        while after < n and not lines[after].strip(" "):
            after += 1  # trailing blank lines, which both chompings drop
        if after < n and after > end and lines[after].startswith(pad):
            raise _Unsure  # a blank line inside the block
        self.i = end
        body = "\n".join([x[ind:] for x in lines[start:end]])
        if "\n\n" in body or " \n" in body or body.endswith(" "):
            raise _Unsure  # blank lines, or trailing spaces: YAML decides
        if header[0] == ">":  # folded: lines of one indentation joined by spaces
            if "\n " in body or " \n" in body or body.endswith(" "):
                raise _Unsure
            body = body.replace("\n", " ")
        return body + "\n" if keep_end else body

    # ------------------------------------------------------------ scalars and flow

    def inline(self, s: str) -> Any:
        """The value written on the rest of one line: a flow collection or a scalar."""
        c = s[0]
        if c in "[{":
            if c == "{" and _FLAT_MAP.fullmatch(s) is not None:
                return self.flat_map(s)
            if "\\" not in s:
                value = self.as_json(s)
                if value is not UNSURE:
                    return value
            value, end = self.flow(s, 0)
            _comment_only(s, end)
            return value
        if c == '"' or c == "'":
            m = (_DQ if c == '"' else _SQ).match(s)
            if m is None:
                raise _Unsure
            _comment_only(s, m.end())
            return _intern(m.group(1))
        if c in "&*!%@`#|>?,]}" or (c in "-:" and (len(s) == 1 or s[1] == " ")):
            raise _Unsure
        cut = s.find(" #")
        if cut >= 0:
            s = s[:cut]  # a comment ends a plain scalar
        if ": " in s or s.endswith(":"):
            raise _Unsure
        return self.scalar(s.rstrip(" "))

    def flat_map(self, s: str) -> dict[Any, Any]:
        """A line in the shape of ``_FLAT_MAP``, its pairs read by one pattern."""
        scalar = self.scalar
        pairs = _FLAT_PAIR.findall(s)
        out = {scalar(k): _intern(v) for k, v in pairs}
        if len(out) != len(pairs):
            raise _Unsure  # a key written twice
        return out

    def as_json(self, s: str) -> Any:
        """A one-line flow collection read by ``json``, its plain scalars quoted first
        (each distinct stretch between double quotes converted once); UNSURE if the
        line is not certainly that (then :meth:`flow` reads it, or gives up).

        A line that is JSON as it stands (its stretches between double quotes all
        as they stay) is read at once when its skeleton, those stretches joined, was
        seen before: a season's draw and club lists repeat a few skeletons."""
        parts = s.split('"')
        last = len(parts) - 1
        if last % 2 != 0:
            return UNSURE
        skeleton = '"'.join(parts[::2])
        if skeleton in self.json_skeletons:
            return _json(s)
        known = self.outside
        same = True
        try:
            for k in range(0, last + 1, 2):
                part = parts[k]
                done = known.get(part)
                if done is None:
                    done = known[part] = self.quote_plain(part)
                if (k > 0 and not done[1]) or (k < last and not done[2]):
                    return UNSURE  # a quote glued to a plain scalar: not a quoted string
                same = same and done[0] == part
                parts[k] = done[0]
        except _Unsure:
            return UNSURE
        if same:
            self.json_skeletons.add(skeleton)
        return _json('"'.join(parts))

    def quote_plain(self, part: str) -> tuple[str, bool, bool]:
        """``part`` (text outside double quotes) with its plain scalars as JSON, and
        whether it may follow a closing quote and precede an opening one."""
        if "#" in part or "'" in part or _COLON.search(part):
            raise _Unsure
        out = _PLAIN_RUN.sub(self.plain_json, part)
        return out, _AFTER_QUOTE.match(part) is not None, _BEFORE_QUOTE.search(part) is not None

    def plain_json(self, m: re.Match[str]) -> str:
        text = m.group()
        if _FLOW_PLAIN.fullmatch(text) is None:
            raise _Unsure
        value = self.scalar(text)
        if value is None or isinstance(value, (str, bool, int)):
            return json.dumps(value, ensure_ascii=False)
        raise _Unsure  # floats, dates: the exact reader

    def flow(self, s: str, i: int) -> tuple[Any, int]:
        """The flow value starting at ``s[i]`` (spaces skipped) and where it ends."""
        i = _skip(s, i)
        if i >= len(s):
            raise _Unsure
        c = s[i]
        if c not in "[{":
            return self.flow_scalar(s, i)
        closer = "]" if c == "[" else "}"
        items: Any = [] if c == "[" else {}
        i = _skip(s, i + 1)
        if s[i : i + 1] == closer:
            return items, i + 1
        while True:
            if c == "[":
                value, i = self.flow(s, i)
                items.append(value)
            else:
                key, i = self.flow_scalar(s, i)
                if s[i : i + 2] != ": " or key in items:
                    raise _Unsure  # no value, or a key written twice
                items[key], i = self.flow(s, i + 2)
            i = _skip(s, i)
            if s[i : i + 1] == closer:
                return items, i + 1
            if s[i : i + 2] != ", ":
                raise _Unsure
            i = _skip(s, i + 2)
            if s[i : i + 1] == closer:
                raise _Unsure  # a trailing comma: YAML allows it, we do not guess

    def flow_scalar(self, s: str, i: int) -> tuple[Any, int]:
        if i >= len(s):
            raise _Unsure
        if s[i] == '"':
            m = _DQ.match(s, i)
            if m is None:
                raise _Unsure
            return _intern(m.group(1)), m.end()
        m = _FLOW_PLAIN.match(s, i)
        if m is None:
            raise _Unsure
        return self.scalar(m.group().rstrip(" ")), m.end()

    def scalar(self, text: str) -> Any:
        """A plain scalar's value, typed as YAML 1.1 types it (memoised per reading)."""
        known = self.plain.get(text, _MISSING)
        if known is not _MISSING:
            return known
        value = _plain(text)
        self.plain[text] = value
        return value


_MISSING = object()


def _comment_only(s: str, end: int) -> None:
    """What follows a value on its line is nothing, or spaces and a comment."""
    tail = s[end:]
    if tail and not (tail.strip(" ") == "" or (tail[0] == " " and tail.lstrip(" ")[0] == "#")):
        raise _Unsure


def _tag(text: str) -> str:
    """The tag PyYAML's resolver gives a plain scalar (BaseResolver.resolve)."""
    for tag, pattern in _RESOLVERS.get(text[:1] if text else "", ()):
        if pattern.match(text):
            return tag  # type: ignore[no-any-return]
    for tag, pattern in _RESOLVERS.get(None, ()):
        if pattern.match(text):
            return tag  # type: ignore[no-any-return]
    return _STR


def _plain(text: str) -> Any:
    tag = _tag(text)
    if tag == _STR:
        return _intern(text)
    if tag == _INT and text.isdigit() and len(text) <= yamlkit.MAX_DIGITS:
        return int(text)
    node = ScalarNode(tag, text)
    try:
        return yamlkit._scalar(node)  # the full reader's own rules, and its refusals
    except Exception:  # noqa: BLE001 - any refusal: let the full reader word it
        raise _Unsure from None


def _no_float(text: str) -> Any:
    raise _Unsure


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = {_intern(k): v for k, v in pairs}
    if len(out) != len(pairs):
        raise _Unsure
    return out


def _int(text: str) -> int:
    if len(text) > yamlkit.MAX_DIGITS:
        raise _Unsure
    return int(text)


_DECODER = json.JSONDecoder(
    object_pairs_hook=_pairs, parse_float=_no_float, parse_int=_int, parse_constant=_no_float
)


def _json(s: str) -> Any:
    """A one-line flow collection that is JSON (no escapes, no floats), read by json."""
    try:
        return _DECODER.decode(s)
    except (_Unsure, ValueError):
        return UNSURE
