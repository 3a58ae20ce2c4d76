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
reported, never guessed. An unknown name gets suggestions by real similarity
(word by word: "Minaz" suggests the two Unión Minas, never Géminis).

This is the one resolver for every name a person types: clubs
(:func:`find_club`), stages (:func:`find_stage`) and groups
(:func:`find_groups`), case- and accent-insensitive, with the Spanish words
for stage and group ("Región IV", "Grupo A", "Etapa Nacional"). A lookup that
fails raises :class:`UnknownName` with one line naming the candidates.

>>> r = Resolver([("Universitario de Trujillo", (), "Trujillo"),
...               ("Unión Minas de Orcopampa", (), "Orcopampa"),
...               ("Unión Minas (Ccochaccasa)", (), "Angaraes")])
>>> r.resolve("Universitario (T)").name, r.resolve("Minas (O)").name
('Universitario de Trujillo', 'Unión Minas de Orcopampa')
>>> r.resolve("Minas").candidates
('Unión Minas (Ccochaccasa)', 'Unión Minas de Orcopampa')
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from copa.core.club import Club
from copa.core.season import Season
from copa.i18n import _ as tr
from copa.spec.errors import UnknownName
from copa.spec.fold import fold

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
        self._folded: dict[str, set[str]] | None = None
        for entry in clubs:
            self.add(*entry)

    def add(self, name: str, aliases: tuple[str, ...] = (), location: str = "") -> None:
        self.clubs.append((name, aliases, location))
        for n in (name, *aliases):
            self.exact.setdefault(n, name)
        if self._folded is not None:
            self._fold_in(name, aliases)

    @property
    def folded(self) -> dict[str, set[str]]:
        """Folded name or alias -> full names; made on the first name not written exactly
        (folding 20,000 names is most of the cost of a lookup that needs none of it)."""
        if self._folded is None:
            self._folded = {}
            for name, aliases, _ in self.clubs:
                self._fold_in(name, aliases)
        return self._folded

    def _fold_in(self, name: str, aliases: tuple[str, ...]) -> None:
        assert self._folded is not None
        for n in (name, *aliases):
            self._folded.setdefault(fold(n), set()).add(name)

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

    def suggest(self, written: str, n: int = 5) -> list[str]:
        """Full names that look like ``written`` (for "did you mean")."""
        return similar(
            written, [c[0] for c in self.clubs], n, extra={c[0]: c[1] for c in self.clubs}
        )

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


def _word_score(w: str, names: list[str]) -> float:
    best = 0.0
    for nw in names:
        if nw == w:
            return 1.0
        if len(w) >= 3 and nw.startswith(w):
            best = max(best, 0.9)
        prefix = len(_commonprefix(w, nw)) / len(w)
        best = max(best, difflib.SequenceMatcher(None, w, nw).ratio() + 0.1 * prefix)
    return min(best, 1.0)


def _commonprefix(a: str, b: str) -> str:
    i = 0
    while i < min(len(a), len(b)) and a[i] == b[i]:
        i += 1
    return a[:i]


def similarity(written: str, name: str) -> float:
    """How much ``written`` looks like ``name``, 0 to 1, word by word.

    Every written word is matched with the name's closest word; a name is
    similar when all written words are. The whole strings count too, for
    names written without spaces.

    >>> round(similarity("Minas", "Unión Minas de Orcopampa"), 2)
    1.0
    >>> similarity("Minas", "Géminis") < 0.75
    True
    """
    w = [x for x in _words(written) if x not in _SMALL] or _words(written)
    n = [x for x in _words(name) if x not in _SMALL] or _words(name)
    if not w or not n:
        return 0.0
    by_words = sum(_word_score(x, n) for x in w) / len(w)
    whole = difflib.SequenceMatcher(None, "".join(w), "".join(n)).ratio()
    return max(by_words, whole)


def similar(
    written: str,
    names: Iterable[str],
    n: int = 5,
    cutoff: float = 0.75,
    extra: dict[str, tuple[str, ...]] | None = None,
) -> list[str]:
    """The names most like ``written``, best first (also through each name's ``extra`` aliases).

    >>> similar("Minaz", ["Géminis", "Unión Minas de Orcopampa", "Unión Minas (Ccochaccasa)"])
    ['Unión Minas (Ccochaccasa)', 'Unión Minas de Orcopampa']
    """
    scored = []
    for name in dict.fromkeys(names):
        others = (extra or {}).get(name, ())
        score = max(similarity(written, x) for x in (name, *others))
        if score >= cutoff:
            scored.append((-score, name))
    return [name for _, name in sorted(scored)[:n]]


# ---------------------------------------------------------------- clubs of a season


def club_resolver(clubs: Iterable[Club]) -> Resolver:
    """A resolver over a season's clubs (name, aliases, location); the last one is kept
    for the same tuple of clubs (``copa result`` looks up two clubs of 20,000)."""
    if isinstance(clubs, tuple) and _LAST and _LAST[0][0] is clubs:
        return _LAST[0][1]
    r = Resolver((c.name, tuple(c.aliases), c.location) for c in clubs)
    if isinstance(clubs, tuple):
        _LAST[:] = [(clubs, r)]
    return r


_LAST: list[tuple[tuple[Club, ...], Resolver]] = []


def find_club(clubs: Iterable[Club], written: str, where: str = "") -> str:
    """The full name of the club ``written`` names: by name, alias, case/accent, short name.

    Raises :class:`UnknownName` listing the candidates when ambiguous, or the
    most similar names when unknown. ``where`` ("in Copa Perú 2011") ends the message.
    """
    r = club_resolver(clubs)
    hit = r.resolve(written)
    if hit.name is not None:
        return hit.name
    tail = _in(where)
    if hit.candidates:
        could = ", ".join(hit.candidates)
        raise UnknownName(
            tr("club {name} is ambiguous{where}: it could be {could}").format(
                name=repr(written), where=tail, could=could
            ),
            hit.candidates,
        )
    close = r.suggest(written)
    hint = tr(" (did you mean {names}?)").format(names=", ".join(close)) if close else ""
    raise UnknownName(
        tr("unknown club {name}{where}{hint}").format(name=repr(written), where=tail, hint=hint),
        close,
    )


def season_club(season: Season, written: str) -> str:
    """The club of ``season`` a person typed (``copa result``, ``copa fixtures --club``)."""
    return find_club(season.clubs, written, f"{season.competition} {season.name}")


def _in(where: str) -> str:
    """`` in Copa Perú 2011``, in the user's language, ending an error about a name."""
    return tr(" in {where}").format(where=where) if where else ""


def _hint(close: Sequence[str]) -> str:
    return tr("did you mean {names}? ").format(names=", ".join(close)) if close else ""


# ---------------------------------------------------------------- stages and groups

#: Spanish words people type for stage and group names, and their English form
_SPANISH = {
    "region": "region",
    "grupo": "group",
    "etapa": "stage",
    "nacional": "national",
    "fase": "stage",
    "final": "final",
    "semifinales": "semifinals",
    "cuartos": "quarterfinals",
    "octavos": "round of 16",
    "liguilla": "group",
}


_ROMAN = {
    str(i): r
    for i, r in enumerate(["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"], 1)
}


def _key(text: str) -> str:
    words = [_SPANISH.get(w, w) for w in fold(text).replace("/", " ").replace("·", " ").split()]
    # "Region 4" is Region IV
    return " ".join(
        _ROMAN.get(w, w) if i and words[i - 1] == "region" else w for i, w in enumerate(words)
    )


def _pick(written: str, labels: Sequence[str], what: str, tail: str) -> list[str]:
    """Labels that ``written`` names: exact (folded), else the one whose words it runs in."""
    key = _key(written)
    exact = [x for x in labels if _key(x) == key]
    if exact:
        return exact
    # Spanish puts the noun first: "Etapa Nacional" is "National Stage"
    same_words = [x for x in labels if sorted(_key(x).split()) == sorted(key.split())]
    if len(same_words) == 1:
        return same_words
    short = key.split()
    runs = [x for x in labels if _runs_in(short, _key(x).split())]
    if len(runs) == 1:
        return runs
    if runs:
        message = (
            tr("stage {name} is ambiguous{where}: it could be {could}")
            if what == "stage"
            else tr("group {name} is ambiguous{where}: it could be {could}")
        )
        raise UnknownName(
            message.format(name=repr(written), where=tail, could=", ".join(runs)), runs
        )
    return []


def find_stage(stages: Sequence[str], written: str, where: str = "") -> str:
    """The stage ``written`` names ("region iv", "Región IV", "national").

    >>> find_stage(["Region I", "Region IV", "National Stage"], "región iv")
    'Region IV'
    >>> find_stage(["Region I", "Region IV", "National Stage"], "Etapa Nacional")
    'National Stage'
    """
    tail = _in(where)
    hit = _pick(written, stages, "stage", tail)
    if hit:
        return hit[0]
    close = similar(_key(written), stages, 3)
    raise UnknownName(
        tr("no stage {name}{where} ({hint}stages: {stages})").format(
            name=repr(written), where=tail, hint=_hint(close), stages=", ".join(stages)
        ),
        close,
    )


@dataclass(frozen=True)
class GroupRef:
    """A group as people name it: its stage, round and group names."""

    stage: str
    round: str
    group: str

    @property
    def label(self) -> str:
        return f"{self.stage} {self.group}"


def find_groups(groups: Sequence[GroupRef], written: str | None, where: str = "") -> list[GroupRef]:
    """The groups ``written`` names: all (None), a stage's, or one group.

    "Region II Group C" or "Region II/Group C" is one group; "Region II" every
    group of that stage; "Group C" the one group of that name, and when
    several stages have one, an :class:`UnknownName` listing them.
    """
    if not written or not written.strip():
        return list(groups)
    tail = _in(where)
    key = _key(written)
    labels = [g.label for g in groups]
    full = [g for g in groups if key in (_key(g.label), _key(f"{g.stage} {g.round} {g.group}"))]
    if full:
        return full
    stages = list(dict.fromkeys(g.stage for g in groups))
    by_stage = [g for g in groups if _key(g.stage) == key]
    if by_stage:
        return by_stage
    by_name = [g for g in groups if _key(g.group) == key]
    if len(by_name) == 1:
        return by_name
    if by_name:
        could = [g.label for g in by_name]
        raise UnknownName(
            tr("group {name} is ambiguous{where}: {n} stages have one; name one of {could}").format(
                name=repr(written),
                where=tail,
                n=len(could),
                could=", ".join(repr(c) for c in could),
            ),
            could,
        )
    hit = _pick(written, labels, "group", tail)
    if hit:
        return [g for g in groups if g.label == hit[0]]
    stage_hit = _pick(written, stages, "stage", tail)
    if stage_hit:
        return [g for g in groups if g.stage == stage_hit[0]]
    if not groups:
        raise UnknownName(
            tr("no group {name}{where}: this season has no groups").format(
                name=repr(written), where=tail
            )
        )
    close = similar(written, [*stages, *labels], 5)
    raise UnknownName(
        tr("no group {name}{where} ({hint}groups: {groups})").format(
            name=repr(written), where=tail, hint=_hint(close), groups=", ".join(labels)
        ),
        close,
    )
