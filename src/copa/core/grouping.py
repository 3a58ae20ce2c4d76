"""Splitting a round's clubs into groups, and the rivals of a partial table, as records.

Like a knockout :class:`~copa.core.draw.DrawRecord`, a group draw is a fact of
the season: :class:`GroupDraw` keeps the inputs (clubs in order, group sizes,
seed, the label each club must not share with a group-mate) and the result,
and replaying it gives the same groups. :class:`RivalDraw` records the rival
pairs of a partial round robin (the 2015–2024 national stage), which come from
geography rather than chance.

>>> d = draw_groups(["A", "B", "C", "D"], (2, 2), seed=1, labels={"A": "x", "B": "x"})
>>> all(not {"A", "B"} <= set(g) for g in d.groups)
True
>>> draw_from_dict(d.to_dict()) == d and d.replay() == d
True
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from copa.core.draw import DrawError, DrawRecord, draw_head

__all__ = ["GroupDraw", "RivalDraw", "balanced_sizes", "draw_from_dict", "draw_groups"]

#: bump when :func:`draw_groups` would split the same inputs differently
GROUP_DRAW_VERSION = 1


def balanced_sizes(n: int, count: int) -> tuple[int, ...]:
    """``count`` group sizes adding up to ``n``, differing by at most one, larger first.

    >>> balanced_sizes(13, 2), balanced_sizes(9, 3)
    ((7, 6), (3, 3, 3))
    """
    if count < 1 or n < count:
        raise DrawError(f"cannot split {n} clubs into {count} groups")
    return tuple(n // count + (1 if i < n % count else 0) for i in range(count))


@dataclass(frozen=True, slots=True)
class GroupDraw:
    """Clubs drawn into groups: inputs, the seed and the groups it gave.

    ``labels`` pairs each constrained club with its label (department, source
    league); clubs sharing a label are spread over the groups as far as the
    sizes allow. ``seed`` ``None`` means no chance was involved: the clubs were
    dealt in order (a single league, or groups fixed by the format).
    """

    clubs: tuple[str, ...]
    groups: tuple[tuple[str, ...], ...]
    seed: int | None = None
    labels: tuple[tuple[str, str], ...] = ()
    constraints: str = ""
    version: int = GROUP_DRAW_VERSION
    method: str = "groups"

    def to_dict(self) -> dict[str, object]:
        return {
            **draw_head(self.method, self.version, self.seed, self.clubs),
            "labels": {c: lab for c, lab in self.labels},
            "constraints": self.constraints,
            "groups": [list(g) for g in self.groups],
        }

    def replay(self) -> GroupDraw:
        """Make the draw again from the recorded inputs (equal to ``self`` when genuine)."""
        if self.version != GROUP_DRAW_VERSION:
            raise DrawError(
                f"this group draw was made by version {self.version}; "
                f"this copa replays version {GROUP_DRAW_VERSION}"
            )
        sizes = tuple(len(g) for g in self.groups)
        if self.seed is None:
            return dealt(self.clubs, sizes, self.constraints)
        return draw_groups(
            self.clubs, sizes, self.seed, labels=dict(self.labels), constraints=self.constraints
        )


@dataclass(frozen=True, slots=True)
class RivalDraw:
    """The rivals of each club in a partial round robin, as unordered pairs."""

    clubs: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    constraints: str = ""
    method: str = "rivals"

    def rivals(self) -> dict[str, tuple[str, ...]]:
        out: dict[str, list[str]] = {c: [] for c in self.clubs}
        for a, b in self.pairs:
            out[a].append(b)
            out[b].append(a)
        return {c: tuple(r) for c, r in out.items()}

    def to_dict(self) -> dict[str, object]:
        return {
            "method": self.method,
            "clubs": list(self.clubs),
            "constraints": self.constraints,
            "pairs": [list(p) for p in self.pairs],
        }


def dealt(clubs: Sequence[str], sizes: Sequence[int], constraints: str = "in order") -> GroupDraw:
    """Groups filled in the order the clubs are listed (no chance involved)."""
    names = tuple(clubs)
    if sum(sizes) != len(names):
        raise DrawError(f"group sizes {list(sizes)} do not add up to {len(names)} clubs")
    groups: list[tuple[str, ...]] = []
    at = 0
    for size in sizes:
        groups.append(names[at : at + size])
        at += size
    return GroupDraw(names, tuple(groups), None, (), constraints)


def draw_groups(
    clubs: Sequence[str],
    sizes: Sequence[int],
    seed: int,
    *,
    labels: Mapping[str, str] | None = None,
    constraints: str = "",
) -> GroupDraw:
    """Draw ``clubs`` into groups of ``sizes``, reproducibly from ``seed``.

    Clubs sharing a label are kept apart as far as the sizes allow: a label
    with ``m`` clubs puts at most ``ceil(m / groups)`` in any group. The draw
    shuffles the labels and the clubs within each with ``random.Random(seed)``,
    lines them up label by label (the most common labels first, clubs without
    a label last) and deals them round the groups, largest groups first, in
    an order the draw also shuffles — so consecutive clubs of one label always
    land in different groups.
    """
    names = tuple(clubs)
    if len(set(names)) != len(names):
        raise DrawError("draw_groups: a club is listed twice")
    if sum(sizes) != len(names) or any(s < 1 for s in sizes):
        raise DrawError(f"group sizes {list(sizes)} do not add up to {len(names)} clubs")
    labels = dict(labels or {})
    rng = random.Random(seed)
    by_label: dict[str, list[str]] = {}
    loose: list[str] = []
    for club in names:
        if club in labels:
            by_label.setdefault(labels[club], []).append(club)
        else:
            loose.append(club)
    order = list(by_label)
    rng.shuffle(order)
    order.sort(key=lambda lab: -len(by_label[lab]))
    line: list[str] = []
    for lab in order:
        members = by_label[lab]
        rng.shuffle(members)
        line.extend(members)
    rng.shuffle(loose)
    line.extend(loose)
    slots = list(range(len(sizes)))
    rng.shuffle(slots)
    slots.sort(key=lambda g: -sizes[g])
    members_of: list[list[str]] = [[] for _ in sizes]
    at = 0
    for club in line:
        while len(members_of[slots[at % len(slots)]]) >= sizes[slots[at % len(slots)]]:
            at += 1
        members_of[slots[at % len(slots)]].append(club)
        at += 1
    if not constraints:
        constraints = "same label kept apart as far as possible" if labels else "none"
    return GroupDraw(
        names,
        tuple(tuple(m) for m in members_of),
        seed,
        tuple((c, labels[c]) for c in names if c in labels),
        constraints,
    )


def draw_from_dict(data: Mapping[str, object]) -> DrawRecord | GroupDraw | RivalDraw:
    """Read back any record's ``to_dict``; ``ValueError`` names the first malformed field."""
    method = data.get("method")
    if method == "groups":
        return GroupDraw(
            _names(data, "clubs"),
            tuple(_names({"g": g}, "g") for g in _list(data, "groups")),
            _seed(data),
            tuple((str(k), str(v)) for k, v in _mapping(data, "labels").items()),
            _text(data, "constraints"),
            _version(data),
        )
    if method == "rivals":
        return RivalDraw(
            _names(data, "clubs"),
            tuple(_pair(p) for p in _list(data, "pairs")),
            _text(data, "constraints"),
        )
    return DrawRecord.from_dict(data)


def _list(data: Mapping[str, object], key: str) -> list[object]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple):
        raise ValueError(f"draw record: {key!r} must be a list")
    return list(value)


def _names(data: Mapping[str, object], key: str) -> tuple[str, ...]:
    value = _list(data, key)
    if not all(isinstance(c, str) for c in value):
        raise ValueError(f"draw record: {key!r} must be a list of club names")
    return tuple(str(c) for c in value)


def _pair(p: object) -> tuple[str, str]:
    if not isinstance(p, list | tuple) or len(p) != 2 or not all(isinstance(c, str) for c in p):
        raise ValueError(f"draw record: {p!r} is not a pair of names")
    return str(p[0]), str(p[1])


def _mapping(data: Mapping[str, object], key: str) -> Mapping[object, object]:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"draw record: {key!r} must be a mapping")
    return value


def _seed(data: Mapping[str, object]) -> int | None:
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise ValueError(f"draw record: seed must be a whole number, not {seed!r}")
    return seed


def _int(data: Mapping[str, object], key: str, default: int) -> int:
    value = data.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"draw record: {key!r} must be a whole number")
    return value


def _version(data: Mapping[str, object]) -> int:
    version = _int(data, "version", GROUP_DRAW_VERSION)
    if version != GROUP_DRAW_VERSION:
        raise ValueError(
            f"draw record: version {version} is not one this copa replays "
            f"(it replays version {GROUP_DRAW_VERSION})"
        )
    return version


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key, "")
    if not isinstance(value, str):
        raise ValueError(f"draw record: {key!r} must be text")
    return value
