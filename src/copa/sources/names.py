"""Club names as sources write them, resolved to the season's full names.

Sources shorten names ("Universitario (T)", "Minas (O)", "Pomalca"). A name
resolves, in order, by: the full name or an alias from the alias table (the
format file's or season file's ``aliases``); the same ignoring case, accents
and spacing; then two rules, each only when exactly one club fits:

* ``Base (Q)``: the words of *Base* run in the club's name, and *Q* is the
  start of the club's location or of a name word outside *Base*
  ("Universitario (T)" -> Universitario de Trujillo, location Trujillo);
* a bare short name whose words run in exactly one club's name
  ("Pomalca" -> Deportivo Pomalca).

Two or more clubs fitting is *ambiguous*, none is *unknown*; both are
reported, never guessed.

>>> r = Resolver([("Universitario de Trujillo", (), "Trujillo"),
...               ("Unión Minas de Orcopampa", (), "Orcopampa"),
...               ("Unión Minas (Ccochaccasa)", (), "Angaraes")])
>>> r.resolve("Universitario (T)").name, r.resolve("Minas (O)").name
('Universitario de Trujillo', 'Unión Minas de Orcopampa')
>>> r.resolve("Minas").candidates
('Unión Minas (Ccochaccasa)', 'Unión Minas de Orcopampa')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from copa.spec.formats import fold

_PAREN = re.compile(r"^(?P<base>.*?)\s*\((?P<q>[^()]+)\)\s*$")
_WORD = re.compile(r"[\w.]+")
_SMALL = frozenset({"de", "del", "la", "las", "los", "el", "y", "e", "of", "the"})


@dataclass(frozen=True)
class Resolution:
    """What a written name refers to; ``how`` says which step found it."""

    written: str
    name: str | None
    how: str
    candidates: tuple[str, ...] = ()

    @property
    def by_rule(self) -> bool:
        return self.name is not None and self.how.startswith("rule")

    def problem(self) -> str:
        if self.candidates:
            could = " or ".join(self.candidates)
            return f"club name {self.written!r} is ambiguous: it could be {could}"
        return f"unknown club {self.written!r}"


def _words(text: str) -> list[str]:
    return [w.strip(".") for w in _WORD.findall(fold(text)) if w.strip(".")]


def _runs_in(short: list[str], long: list[str]) -> bool:
    n = len(short)
    return n > 0 and any(long[i : i + n] == short for i in range(len(long) - n + 1))


class Resolver:
    """Resolves written names against ``(full name, aliases, location)`` entries."""

    def __init__(self, clubs: Iterable[tuple[str, tuple[str, ...], str]]) -> None:
        self.clubs: list[tuple[str, tuple[str, ...], str]] = []
        self.exact: dict[str, str] = {}
        self.folded: dict[str, set[str]] = {}
        for entry in clubs:
            self.add(*entry)

    def add(self, name: str, aliases: tuple[str, ...] = (), location: str = "") -> None:
        self.clubs.append((name, aliases, location))
        for n in (name, *aliases):
            self.exact.setdefault(n, name)
            self.folded.setdefault(fold(n), set()).add(name)

    def resolve(self, written: str) -> Resolution:
        text = " ".join(written.split())
        if text in self.exact:
            how = "name" if self.exact[text] == text else "alias"
            return Resolution(written, self.exact[text], how)
        same = self.folded.get(fold(text), set())
        if len(same) == 1:
            return Resolution(written, next(iter(same)), "same name ignoring case and accents")
        if len(same) > 1:
            return Resolution(written, None, "ambiguous", tuple(sorted(same)))
        m = _PAREN.match(text)
        if m is not None and m.group("base"):
            fits = self._qualified(_words(m.group("base")), _words(m.group("q")))
            how = "rule: name words and the initial in brackets"
        else:
            short = _words(text)
            fits = [n for n, _, _ in self.clubs if _runs_in(short, _words(n))]
            how = "rule: words of a longer name"
        fits = sorted(set(fits))
        if len(fits) == 1:
            return Resolution(written, fits[0], how)
        if fits:
            return Resolution(written, None, "ambiguous", tuple(fits))
        return Resolution(written, None, "unknown")

    def _qualified(self, base: list[str], q: list[str]) -> list[str]:
        key = "".join(q)
        if not base or not key:
            return []
        out = []
        for name, _, location in self.clubs:
            words = _words(name)
            if not _runs_in(base, words):
                continue
            rest = [w for w in words if w not in base and w not in _SMALL]
            places = ["".join(_words(location))] + rest if location else rest
            if any(p.startswith(key) for p in places if p):
                out.append(name)
        return out
