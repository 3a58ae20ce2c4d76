"""Knockout pairings: fixed slot maps, seeded ladders and reproducible random draws.

Every pairing returns a :class:`DrawRecord` that a season file can store as a plain
dict; replaying the record gives the same pairs, so a draw made once (on a given
``seed``) is a fact of the season like a result.

>>> record = seeded_pairs(["A", "B", "C", "D"])
>>> record.pairs
(('A', 'D'), ('B', 'C'))
>>> DrawRecord.from_dict(record.to_dict()).replay() == record
True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

from copa.core.fixtures import distinct_clubs

__all__ = [
    "DrawError",
    "DrawRecord",
    "SlotRef",
    "crossover_slots",
    "draw_pairs",
    "keep_apart_by",
    "seed_positions",
    "seeded_pairs",
    "slot_pairs",
    "standings_places",
]

#: a place in a unit's final standing, e.g. ``("Region I", 1)`` for its champion
SlotRef = tuple[str, int]

#: bump when :func:`draw_pairs` would pair the same inputs differently
DRAW_VERSION = 1


class DrawError(ValueError):
    """The draw cannot be made as asked (constraints, missing slots, odd numbers)."""


# --------------------------------------------------------------------------- record


def draw_head(
    method: str, version: int, seed: int | None, clubs: Sequence[str]
) -> dict[str, object]:
    """The fields a seeded draw's record starts with, in the order they are written."""
    return {"method": method, "version": version, "seed": seed, "clubs": list(clubs)}


@dataclass(frozen=True, slots=True)
class DrawRecord:
    """What a draw needs to be repeated and what it gave.

    ``method`` is ``"slots"``, ``"seeded"`` or ``"random"``; ``clubs`` the input
    order (for slots: the clubs in slot-map order); ``apart`` the keep-apart pairs
    among them, stored as pairs because a function cannot be; ``constraints`` says
    in words what was asked. Pairs are in bracket order.
    """

    method: str
    clubs: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    seed: int | None = None
    seeded: tuple[str, ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    constraints: str = ""
    version: int = DRAW_VERSION

    @property
    def order(self) -> tuple[str, ...]:
        """The clubs in bracket order: pair ``i`` holds places ``2i`` and ``2i + 1``."""
        return tuple(c for pair in self.pairs for c in pair)

    def opponent(self, club: str) -> str:
        """Whom ``club`` was drawn against."""
        for a, b in self.pairs:
            if club == a:
                return b
            if club == b:
                return a
        raise KeyError(club)

    def to_dict(self) -> dict[str, object]:
        """Plain lists, strings and ints, ready for YAML or JSON."""
        return {
            **draw_head(self.method, self.version, self.seed, self.clubs),
            "seeded": list(self.seeded),
            "apart": [list(p) for p in self.apart],
            "constraints": self.constraints,
            "pairs": [list(p) for p in self.pairs],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DrawRecord:
        """Read back :meth:`to_dict`; ``ValueError`` names the first malformed field."""

        def names(key: str) -> tuple[str, ...]:
            value = data.get(key, [])
            if not isinstance(value, list | tuple) or not all(isinstance(c, str) for c in value):
                raise ValueError(f"draw record: {key!r} must be a list of club names")
            return tuple(value)

        def pairs(key: str) -> tuple[tuple[str, str], ...]:
            value = data.get(key, [])
            if not isinstance(value, list | tuple):
                raise ValueError(f"draw record: {key!r} must be a list of pairs")
            result: list[tuple[str, str]] = []
            for p in value:
                if (
                    not isinstance(p, list | tuple)
                    or len(p) != 2
                    or not all(isinstance(c, str) for c in p)
                ):
                    raise ValueError(f"draw record: {key!r} holds {p!r}, not a pair of names")
                result.append((p[0], p[1]))
            return tuple(result)

        method = data.get("method")
        if method not in ("slots", "seeded", "random"):
            raise ValueError(f"draw record: unknown method {method!r}")
        seed = data.get("seed")
        if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
            raise ValueError(f"draw record: seed must be a whole number, not {seed!r}")
        version = data.get("version", DRAW_VERSION)
        if not isinstance(version, int) or isinstance(version, bool) or version != DRAW_VERSION:
            raise ValueError(
                f"draw record: version {version!r} is not one this copa replays "
                f"(it replays version {DRAW_VERSION})"
            )
        if method == "random" and seed is None:
            raise ValueError("draw record: a random draw records its seed")
        constraints = data.get("constraints", "")
        if not isinstance(constraints, str):
            raise ValueError("draw record: 'constraints' must be text")
        return cls(
            method=method,
            clubs=names("clubs"),
            pairs=pairs("pairs"),
            seed=seed,
            seeded=names("seeded"),
            apart=pairs("apart"),
            constraints=constraints,
            version=version,
        )

    def replay(self) -> DrawRecord:
        """Make the draw again from the recorded inputs.

        Equal to ``self`` when the record is genuine; a season loader can compare
        the two to catch hand-edited pairs or a changed draw algorithm.
        """
        if self.method == "seeded":
            return seeded_pairs(self.clubs)
        if self.method == "slots":
            if len(self.clubs) % 2:
                raise DrawError("a slot draw records an even number of clubs")
            pairs = tuple(zip(self.clubs[::2], self.clubs[1::2], strict=True))
            return DrawRecord("slots", self.clubs, pairs, constraints=self.constraints)
        if self.seed is None:
            raise DrawError("a random draw record needs its seed")
        if self.version != DRAW_VERSION:
            raise DrawError(
                f"this draw was made by draw version {self.version}; "
                f"this copa replays version {DRAW_VERSION}"
            )
        apart = {frozenset(p) for p in self.apart}
        return draw_pairs(
            self.clubs,
            self.seed,
            keep_apart=lambda a, b: frozenset((a, b)) in apart,
            seeded=self.seeded,
            constraints=self.constraints,
        )


def _check_clubs(clubs: Sequence[str], what: str) -> tuple[str, ...]:
    return distinct_clubs(clubs, what, DrawError)


# ------------------------------------------------------------------ fixed pairings


def standings_places(standings: Mapping[str, Sequence[str]]) -> dict[SlotRef, str]:
    """Slot references from final standings: unit -> clubs in order, 1-based places.

    >>> standings_places({"Region I": ["Los Caimanes", "Sport Áncash"]})[("Region I", 2)]
    'Sport Áncash'
    """
    return {(unit, i): club for unit, clubs in standings.items() for i, club in enumerate(clubs, 1)}


def crossover_slots(units: Sequence[str]) -> tuple[tuple[SlotRef, SlotRef], ...]:
    """The 2011 slot map: units paired in order, champion v runner-up and vice versa.

    >>> crossover_slots(["Region I", "Region II"])
    ((('Region I', 1), ('Region II', 2)), (('Region I', 2), ('Region II', 1)))
    """
    if len(units) % 2:
        raise DrawError(f"crossover slots need an even number of units, not {len(units)}")
    slots: list[tuple[SlotRef, SlotRef]] = []
    for odd, even in zip(units[::2], units[1::2], strict=True):
        slots.append(((odd, 1), (even, 2)))
        slots.append(((odd, 2), (even, 1)))
    return tuple(slots)


def slot_pairs(
    slot_map: Sequence[tuple[SlotRef, SlotRef]], places: Mapping[SlotRef, str]
) -> DrawRecord:
    """Pairs from a fixed slot map, each slot resolved to the club that earned it.

    >>> places = standings_places({"I": ["A", "a"], "II": ["B", "b"]})
    >>> slot_pairs(crossover_slots(["I", "II"]), places).pairs
    (('A', 'b'), ('a', 'B'))
    """

    def resolve(ref: SlotRef) -> str:
        try:
            return places[ref]
        except KeyError:
            unit, place = ref
            raise DrawError(f"no club holds slot {unit} #{place}") from None

    pairs = tuple((resolve(a), resolve(b)) for a, b in slot_map)
    order = _check_clubs([c for p in pairs for c in p], "slot_pairs")
    described = "; ".join(f"{a[0]} #{a[1]} v {b[0]} #{b[1]}" for a, b in slot_map)
    return DrawRecord("slots", order, pairs, constraints=f"slot map: {described}")


def seeded_pairs(ranked_clubs: Sequence[str]) -> DrawRecord:
    """1 v N, 2 v N-1, ...: the best-ranked meets the worst (2019: 1 v 32, 2 v 31).

    >>> seeded_pairs(["A", "B", "C", "D", "E", "F"]).pairs
    (('A', 'F'), ('B', 'E'), ('C', 'D'))
    """
    names = _check_clubs(ranked_clubs, "seeded_pairs")
    if len(names) % 2:
        raise DrawError(f"seeded pairs need an even number of clubs, not {len(names)}")
    half = len(names) // 2
    pairs = tuple((names[i], names[-1 - i]) for i in range(half))
    return DrawRecord("seeded", names, pairs, constraints="ranked: 1 v N, 2 v N-1, ...")


# --------------------------------------------------------------------- random draw


def keep_apart_by(labels: Mapping[str, Hashable | None]) -> Callable[[str, str], bool]:
    """Keep apart clubs sharing a label (department, group); ``None`` never matches.

    >>> apart = keep_apart_by({"A": "Cusco", "B": "Cusco", "C": "Puno", "D": None})
    >>> apart("A", "B"), apart("A", "C"), apart("D", "D")
    (True, False, False)
    """

    def apart(a: str, b: str) -> bool:
        label = labels.get(a)
        return label is not None and label == labels.get(b)

    return apart


def seed_positions(ties: int) -> tuple[tuple[int, ...], ...]:
    """Tie indices for seeds, group by group: 1, 2, 3–4, 5–8, ...

    Seed 1 takes the first tie and seed 2 the last, so they can only meet in the
    final; 3 and 4 take the ties either side of the middle (one per half, in the
    quarters 1 and 2 are not in); 5–8 the middles of the four quarters, and so on.
    Within a group the draw decides who goes where. Exact for a power-of-two number
    of ties; otherwise the same bisection on uneven halves.

    >>> seed_positions(8)
    ((0,), (7,), (3, 4), (1, 2, 5, 6))
    """
    if ties <= 0:
        return ()
    groups: list[tuple[int, ...]] = [(0,)]
    used = {0}
    if ties > 1:
        groups.append((ties - 1,))
        used.add(ties - 1)
    segments = [(0, ties)]
    while len(used) < ties and segments:
        group: list[int] = []
        split: list[tuple[int, int]] = []
        for lo, hi in segments:
            if hi - lo < 2:
                continue
            mid = (lo + hi + 1) // 2
            for q in (mid - 1, mid):
                if q not in used:
                    group.append(q)
                    used.add(q)
            split += [(lo, mid), (mid, hi)]
        if group:
            groups.append(tuple(group))
        segments = split
    rest = tuple(q for q in range(ties) if q not in used)
    if rest:
        groups.append(rest)
    return tuple(groups)


class _Matching:
    """A perfect matching of the clubs that may still meet, kept up to date as ties
    are fixed, so every step of the draw knows at once whether a choice leaves the
    rest of the draw possible (Edmonds' blossom algorithm, one search per check)."""

    def __init__(self, n: int, adj: list[list[int]]) -> None:
        self.n = n
        self.adj = adj
        self.mate = [-1] * n
        self.alive = [True] * n

    def _augmenting_path(self, root: int) -> bool:
        """Augment from the free vertex ``root``; ``False`` if no path exists."""
        n, adj, mate, alive = self.n, self.adj, self.mate, self.alive
        parent = [-1] * n
        base = list(range(n))
        in_tree = [False] * n
        in_tree[root] = True
        queue = [root]

        def lca(a: int, b: int) -> int:
            seen = [False] * n
            while True:
                a = base[a]
                seen[a] = True
                if mate[a] == -1:
                    break
                a = parent[mate[a]]
            while True:
                b = base[b]
                if seen[b]:
                    return b
                b = parent[mate[b]]

        def mark(v: int, b: int, child: int, blossom: list[bool]) -> None:
            while base[v] != b:
                blossom[base[v]] = blossom[base[mate[v]]] = True
                parent[v] = child
                child = mate[v]
                v = parent[mate[v]]

        head = 0
        while head < len(queue):
            v = queue[head]
            head += 1
            for to in adj[v]:
                if not alive[to] or base[v] == base[to] or mate[v] == to:
                    continue
                if to == root or (mate[to] != -1 and parent[mate[to]] != -1):
                    b = lca(v, to)
                    blossom = [False] * n
                    mark(v, b, to, blossom)
                    mark(to, b, v, blossom)
                    for i in range(n):
                        if alive[i] and blossom[base[i]]:
                            base[i] = b
                            if not in_tree[i]:
                                in_tree[i] = True
                                queue.append(i)
                elif parent[to] == -1:
                    parent[to] = v
                    if mate[to] == -1:
                        while to != -1:  # flip the path back to the root
                            pv = parent[to]
                            nxt = mate[pv]
                            mate[to], mate[pv] = pv, to
                            to = nxt
                        return True
                    in_tree[mate[to]] = True
                    queue.append(mate[to])
        return False

    def complete(self) -> list[int]:
        """Match everyone if possible; returns the clubs left over (empty on success)."""
        for v in range(self.n):
            if self.mate[v] == -1:
                for w in self.adj[v]:
                    if self.mate[w] == -1:
                        self.mate[v], self.mate[w] = w, v
                        break
        for v in range(self.n):
            if self.mate[v] == -1:
                self._augmenting_path(v)
        return [v for v in range(self.n) if self.mate[v] == -1]

    def fix(self, a: int, b: int) -> bool:
        """Take the tie ``a`` v ``b`` out if the others can still all be paired."""
        mate = self.mate
        if mate[a] == b:
            self.alive[a] = self.alive[b] = False
            return True
        saved = mate[:]
        a2, b2 = mate[a], mate[b]
        self.alive[a] = self.alive[b] = False
        mate[a] = mate[b] = mate[a2] = mate[b2] = -1
        if self._augmenting_path(a2):
            return True
        self.alive[a] = self.alive[b] = True
        self.mate = saved
        return False


def draw_pairs(
    clubs: Sequence[str],
    seed: int,
    *,
    keep_apart: Callable[[str, str], bool] | None = None,
    seeded: Sequence[str] = (),
    constraints: str = "",
) -> DrawRecord:
    """A reproducible random draw of ``len(clubs) // 2`` ties.

    Clubs for which ``keep_apart(a, b)`` (or ``(b, a)``) is true are never paired;
    ``seeded`` clubs (best first) cannot meet each other and take the ties given
    by :func:`seed_positions` — 1 and 2 in opposite halves, 3 and 4 in the other
    quarters, and so on — each listed first in its pair. The draw is like a real
    ceremony: balls come out of a pot shuffled by ``random.Random(seed)`` and fill
    the ties in bracket order, but a ball that would leave the rest of the draw
    impossible is passed over. A perfect matching of the remaining clubs answers
    that at once, so the draw never backtracks more than one ball and takes a few
    milliseconds for 64 clubs. ``DrawError`` when no draw meets the constraints.

    The result depends only on the arguments (and :data:`DRAW_VERSION`); the
    returned record stores the keep-apart pairs so it replays without the function.

    >>> dept = {"A": "Lima", "B": "Lima", "C": "Cusco", "D": "Cusco"}
    >>> record = draw_pairs(list(dept), seed=2024, keep_apart=keep_apart_by(dept))
    >>> all(dept[a] != dept[b] for a, b in record.pairs)
    True
    >>> draw_pairs(list(dept), seed=7, seeded=["A", "B"]).pairs[0][0]
    'A'
    """
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise DrawError(f"the seed must be a whole number, not {seed!r}")
    names = _check_clubs(clubs, "draw_pairs")
    n = len(names)
    if n % 2:
        raise DrawError(f"a draw needs an even number of clubs, not {n}")
    index = {c: i for i, c in enumerate(names)}
    top = _check_clubs(seeded, "draw_pairs seeded")
    for club in top:
        if club not in index:
            raise DrawError(f"seeded club {club!r} is not in the draw")
    ties = n // 2
    if len(top) > ties:
        raise DrawError(f"{len(top)} seeded clubs cannot be kept apart in {ties} ties")
    is_seed = [False] * n
    for club in top:
        is_seed[index[club]] = True
    apart, adj = _allowed(names, is_seed, keep_apart)
    matching = _Matching(n, adj)
    _check_drawable(names, adj, matching)
    rng = random.Random(seed)
    seed_at = _seed_ties(ties, [index[c] for c in top], rng)
    pot = [i for i in range(n) if not is_seed[i]]
    rng.shuffle(pot)
    pairs = _ceremony(names, adj, matching, seed_at, pot)
    if not constraints:
        parts = []
        if apart:
            parts.append(f"{len(apart)} keep-apart pairs")
        if top:
            parts.append(f"{len(top)} seeded")
        constraints = ", ".join(parts) or "none"
    return DrawRecord(
        "random",
        names,
        tuple(pairs),
        seed=seed,
        seeded=top,
        apart=tuple((names[i], names[j]) for i, j in apart),
        constraints=constraints,
    )


def _allowed(
    names: Sequence[str], is_seed: Sequence[bool], keep_apart: Callable[[str, str], bool] | None
) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """The pairs kept apart, and each club's allowed opponents (seeds never meet)."""
    n = len(names)
    apart: list[tuple[int, int]] = []
    if keep_apart is not None:
        for i in range(n):
            for j in range(i + 1, n):
                if keep_apart(names[i], names[j]) or keep_apart(names[j], names[i]):
                    apart.append((i, j))
    banned = set(apart)
    adj: list[list[int]] = [[] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            if (i, j) not in banned and not (is_seed[i] and is_seed[j]):
                adj[i].append(j)
                adj[j].append(i)
    return apart, adj


def _check_drawable(names: Sequence[str], adj: Sequence[list[int]], matching: _Matching) -> None:
    """``DrawError`` naming why, unless every club can be paired at once."""
    left = matching.complete()
    if not left:
        return
    lonely = [names[v] for v in left if not adj[v]]
    if lonely:
        reason = f"{lonely[0]} may meet none of the other clubs"
    else:
        sample = ", ".join(names[v] for v in left[:4])
        reason = f"at best {len(left)} clubs are left without an allowed opponent ({sample})"
    raise DrawError(f"no draw keeps the constraints: {reason}")


def _seed_ties(ties: int, seeds: Sequence[int], rng: random.Random) -> dict[int, int]:
    """Tie -> seeded club: each block of :func:`seed_positions` shuffled, best seeds first."""
    seed_at: dict[int, int] = {}
    remaining = list(seeds)
    for group in seed_positions(ties):
        if not remaining:
            break
        spots = list(group)
        rng.shuffle(spots)
        for spot, club in zip(spots, remaining, strict=False):
            seed_at[spot] = club
        remaining = remaining[len(spots) :]
    return seed_at


def _ceremony(
    names: Sequence[str],
    adj: Sequence[list[int]],
    matching: _Matching,
    seed_at: dict[int, int],
    pot: list[int],
) -> list[tuple[str, str]]:
    """The ties in bracket order, balls from the pot, passing over a ball that would leave
    the rest of the draw impossible."""
    allowed = [set(a) for a in adj]
    pairs: list[tuple[str, str]] = []
    for tie in range(len(names) // 2):
        found: tuple[int, int] | None = None
        firsts = [seed_at[tie]] if tie in seed_at else pot
        for a in firsts:
            for b in pot:
                if b != a and b in allowed[a] and matching.fix(a, b):
                    found = (a, b)
                    break
            if found:
                break
        if found is None:  # pragma: no cover - the matching guarantees a choice
            raise DrawError("the draw ran out of allowed opponents")
        a, b = found
        pot = [c for c in pot if c != a and c != b]
        pairs.append((names[a], names[b]))
    return pairs
