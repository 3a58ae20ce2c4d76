"""Fixture lists: full round robins (Berger tables) and partial ones (the "POT" system).

A district league is a round robin; the 2015–2024 national stage was a *partial*
round robin in which each club met only a few rivals, home and away. Everything
here is pure and deterministic: the same clubs in the same order always give the
same fixtures, so a season file only needs to record the club order.

>>> for rnd in round_robin(["A", "B", "C", "D"]):
...     print(", ".join(f"{m.home}-{m.away}" for m in rnd))
A-B, C-D
A-D, B-C
C-A, D-B
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from copa.core.match import Match, MatchStatus

__all__ = [
    "byes",
    "fixture_pairs",
    "geographic_rivals",
    "haversine_km",
    "only_between",
    "partial_round_robin",
    "round_robin",
]

#: a round of fixtures as (home index, away index) pairs
IndexRound = tuple[tuple[int, int], ...]


# --------------------------------------------------------------------------- round robin


def distinct_clubs(
    clubs: Sequence[str], what: str, error: type[ValueError] = ValueError
) -> tuple[str, ...]:
    """The clubs as a tuple; ``error`` naming the first club listed twice."""
    names = tuple(clubs)
    if len(set(names)) != len(names):
        seen: set[str] = set()
        for club in names:
            if club in seen:
                raise error(f"{what}: {club!r} is listed twice")
            seen.add(club)
    return names


def _check_legs(legs: int) -> None:
    if not isinstance(legs, int) or isinstance(legs, bool) or legs < 1:
        raise ValueError(f"legs must be a whole number >= 1, not {legs!r}")


@lru_cache(maxsize=512)
def _berger_leg(n: int) -> tuple[IndexRound, ...]:
    """One leg of the circle method for clubs ``0..n-1`` (see :func:`fixture_pairs`)."""
    if n < 2:
        return ()
    m = n + n % 2  # with a phantom club ``n`` when n is odd: its opponent has the bye
    k = m - 1  # clubs 0..k-1 turn round the circle, club k stays put
    # Starting the circle two steps in means that, once mirrored, no club plays three
    # times running at the same venue (checked for every n from 5 to 60 clubs).
    rot = 2 % k
    rounds: list[IndexRound] = []
    for step in range(k):
        r = (step + rot) % k
        pairs: list[tuple[int, int]] = []
        if k < n:  # the fixed club is real: it alternates home and away
            pairs.append((r, k) if r % 2 == 0 else (k, r))
        for i in range(1, m // 2):
            a, b = (r + i) % k, (r - i) % k
            pairs.append((a, b) if i % 2 else (b, a))
        pairs.sort(key=lambda p: min(p))
        rounds.append(tuple(pairs))
    return tuple(rounds)


@lru_cache(maxsize=512)
def fixture_pairs(n: int, legs: int = 1) -> tuple[IndexRound, ...]:
    """Rounds of a round robin between clubs ``0..n-1`` as (home, away) index pairs.

    The circle (Berger) method: club ``n-1`` (or, for odd ``n``, a phantom whose
    opponent has the bye) stays put while the others turn round it. Cached, because
    a season builds thousands of leagues of a dozen or so sizes. Guarantees, for
    ``n >= 2``:

    * each leg has ``n-1`` rounds (``n`` even) or ``n`` rounds (``n`` odd, where
      each club sits out exactly one round per leg); every pair meets once per leg;
    * leg 2 repeats leg 1's rounds in the same order with home and away swapped,
      leg 3 is leg 1 again, and so on;
    * within a leg a club's home and away counts differ by at most one (exactly
      equal when ``n`` is odd), so they are equal over any even number of legs;
    * breaks (same venue in consecutive rounds): ``n`` even — exactly ``n-2`` per
      leg, the minimum possible, at most one per club; two legs — ``3n-6``, the
      minimum for a mirrored double round robin. ``n`` odd — none within a leg:
      each club alternates home and away, a bye counting as neither. Over any
      number of legs no club plays three consecutive rounds at the same venue,
      except when ``n == 4`` with two or more legs, where it cannot be avoided.

    >>> fixture_pairs(4)
    (((0, 1), (2, 3)), ((0, 3), (1, 2)), ((2, 0), (3, 1)))
    >>> len(fixture_pairs(5, legs=2))  # 5 rounds a leg, one club resting each time
    10
    """
    _check_legs(legs)
    if n < 0:
        raise ValueError(f"the number of clubs cannot be negative ({n})")
    first = _berger_leg(n)
    second = tuple(tuple((a, h) for h, a in rnd) for rnd in first)
    return tuple(rnd for leg in range(legs) for rnd in (first if leg % 2 == 0 else second))


def round_robin(clubs: Sequence[str], legs: int = 1) -> tuple[tuple[Match, ...], ...]:
    """Rounds (matchdays) of scheduled matches in which every club meets every other
    ``legs`` times; see :func:`fixture_pairs` for the guarantees. Each match carries
    its ``matchday``: 1 for the first round, and so on through every leg.

    The order of ``clubs`` fixes the table, so recording it is enough to rebuild the
    fixtures. Fewer than two clubs give no rounds.

    >>> rounds = round_robin(["Ayacucho", "Cusco", "Puno"], legs=2)
    >>> len(rounds), [len(r) for r in rounds]
    (6, [1, 1, 1, 1, 1, 1])
    >>> byes(rounds, ["Ayacucho", "Cusco", "Puno"])[:3]
    (('Puno',), ('Ayacucho',), ('Cusco',))
    """
    names = distinct_clubs(clubs, "round_robin")
    _check_legs(legs)
    first_pairs = _berger_leg(len(names))
    scheduled = MatchStatus.SCHEDULED
    k = len(first_pairs)
    # every match carries its matchday (fecha): its round's place in the whole schedule
    return tuple(
        tuple(
            Match(names[h], names[a], status=scheduled, matchday=leg * k + r + 1)
            if leg % 2 == 0
            else Match(names[a], names[h], status=scheduled, matchday=leg * k + r + 1)
            for h, a in rnd
        )
        for leg in range(legs)
        for r, rnd in enumerate(first_pairs)
    )


def byes(rounds: Sequence[Sequence[Match]], clubs: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """For each round, the clubs (in ``clubs`` order) that do not play in it.

    >>> rounds = round_robin(["A", "B", "C"])
    >>> byes(rounds, ["A", "B", "C"])
    (('C',), ('A',), ('B',))
    """
    result: list[tuple[str, ...]] = []
    for rnd in rounds:
        playing = {m.home for m in rnd} | {m.away for m in rnd}
        result.append(tuple(c for c in clubs if c not in playing))
    return tuple(result)


# ---------------------------------------------------------------- partial round robin


def _check_rivals(
    names: tuple[str, ...], rivals: Mapping[str, Sequence[str]]
) -> list[tuple[int, int]]:
    """The rival relation as sorted index edges ``(i, j)``, ``i < j``, after validation."""
    index = {c: i for i, c in enumerate(names)}
    listed: dict[str, set[str]] = {}
    for club, theirs in rivals.items():
        if club not in index:
            raise ValueError(f"rivals given for {club!r}, which is not one of the clubs")
        mine: set[str] = set()
        for rival in theirs:
            if rival not in index:
                raise ValueError(f"{club!r} has rival {rival!r}, which is not one of the clubs")
            if rival == club:
                raise ValueError(f"{club!r} is listed as its own rival")
            if rival in mine:
                raise ValueError(f"{club!r} lists rival {rival!r} twice")
            mine.add(rival)
        listed[club] = mine
    edges: list[tuple[int, int]] = []
    for club in names:
        for rival in listed.get(club, set()):
            if club not in listed.get(rival, set()):
                raise ValueError(
                    f"rivals must be mutual: {club!r} lists {rival!r} but not the other way round"
                )
            i, j = index[club], index[rival]
            if i < j:
                edges.append((i, j))
    edges.sort()
    return edges


def _balanced_orientation(n: int, edges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Orient edges so each vertex's out- and in-degree differ by at most one.

    Odd-degree vertices are joined to a phantom vertex; walking closed trails
    (Hierholzer) then enters each vertex as often as it leaves it.
    """
    phantom = n
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n + 1)]
    all_edges = list(edges)
    for e, (u, v) in enumerate(all_edges):
        adj[u].append((e, v))
        adj[v].append((e, u))
    for v in range(n):
        if len(adj[v]) % 2:
            e = len(all_edges)
            all_edges.append((v, phantom))
            adj[v].append((e, phantom))
            adj[phantom].append((e, v))
    used = [False] * len(all_edges)
    oriented: list[tuple[int, int] | None] = [None] * len(edges)
    ptr = [0] * (n + 1)
    for start in range(n + 1):
        stack = [start]
        while stack:
            v = stack[-1]
            while ptr[v] < len(adj[v]) and used[adj[v][ptr[v]][0]]:
                ptr[v] += 1
            if ptr[v] == len(adj[v]):
                stack.pop()
                continue
            e, w = adj[v][ptr[v]]
            used[e] = True
            if e < len(edges):
                oriented[e] = (v, w)
            stack.append(w)
    return [o for o in oriented if o is not None]


def _search_colouring(
    n: int, edges: Sequence[tuple[int, int]], palette: int, budget: int = 3_000
) -> list[int] | None:
    """An edge colouring with ``palette`` colours by depth-first search, or ``None``.

    Tried when Kempe swaps needed an extra colour: many rival graphs that are not
    bipartite still fit in Δ rounds. The most constrained edge is coloured first;
    the search gives up after ``budget`` steps (tens of milliseconds), so it stays
    fast and deterministic — and since a schedule with Δ rounds may not exist at
    all (an odd cycle of rivals needs three rounds), giving up is no error.
    """
    if len(edges) > 600:  # keeps the recursion shallow; national stages are far smaller
        return None
    colour = [-1] * len(edges)
    mask = [0] * n
    full = (1 << palette) - 1
    todo = set(range(len(edges)))
    steps = 0

    def search(top: int) -> bool:
        nonlocal steps
        if not todo:
            return True
        steps += 1
        if steps > budget:
            return False
        best, best_free, best_count = -1, 0, palette + 1
        for e in todo:
            u, v = edges[e]
            free = full & ~(mask[u] | mask[v])
            count = free.bit_count()
            if count < best_count or (count == best_count and e < best):
                best, best_free, best_count = e, free, count
                if count == 0:
                    return False
        u, v = edges[best]
        todo.discard(best)
        # colours are interchangeable, so one never used so far need only be tried once
        for c in range(min(palette, top + 2)):
            if best_free >> c & 1:
                colour[best] = c
                mask[u] |= 1 << c
                mask[v] |= 1 << c
                if search(max(top, c)):
                    return True
                mask[u] &= ~(1 << c)
                mask[v] &= ~(1 << c)
                colour[best] = -1
                if steps > budget:
                    break
        todo.add(best)
        return False

    return colour if search(-1) else None


def _edge_colouring(n: int, edges: Sequence[tuple[int, int]]) -> list[int]:
    """A proper edge colouring, one colour per round.

    Uses Δ colours (the most rivals any club has) by swapping two-coloured paths
    (Kempe chains), which always succeeds when the graph is bipartite — e.g.
    champions only meet runners-up. Otherwise a swap may close an odd cycle and a
    new colour is opened, never more than 2Δ-1 in all.
    """
    degree = [0] * n
    for u, v in edges:
        degree[u] += 1
        degree[v] += 1
    palette = max(degree, default=0)
    at: list[dict[int, int]] = [{} for _ in range(n)]  # vertex -> colour -> edge
    colour = [-1] * len(edges)

    def other(e: int, v: int) -> int:
        a, b = edges[e]
        return b if a == v else a

    def chain(start: int, first: int, second: int) -> list[int]:
        """Edges of the path from ``start`` alternating colours ``first``/``second``."""
        path: list[int] = []
        v, c = start, first
        while c in at[v]:
            e = at[v][c]
            path.append(e)
            v = other(e, v)
            c = second if c == first else first
        return path

    for e, (u, v) in enumerate(edges):
        common = next((c for c in range(palette) if c not in at[u] and c not in at[v]), None)
        if common is None:
            for a in (c for c in range(palette) if c not in at[u]):
                for b in (c for c in range(palette) if c not in at[v]):
                    path = chain(v, a, b)
                    ends = v
                    for pe in path:
                        ends = other(pe, ends)
                    if ends == u:
                        continue  # the swap would close an odd cycle through u
                    for pe in path:
                        x, y = edges[pe]
                        del at[x][colour[pe]]
                        del at[y][colour[pe]]
                    for pe in path:
                        x, y = edges[pe]
                        colour[pe] = b if colour[pe] == a else a
                        at[x][colour[pe]] = pe
                        at[y][colour[pe]] = pe
                    common = a
                    break
                if common is not None:
                    break
        if common is None:
            common = palette
            palette += 1
        colour[e] = common
        at[u][common] = e
        at[v][common] = e
    return colour


def partial_round_robin(
    clubs: Sequence[str], rivals: Mapping[str, Sequence[str]]
) -> tuple[tuple[Match, ...], ...]:
    """Rounds in which each club plays each of its ``rivals`` home and away.

    The rival relation must be mutual (``ValueError`` otherwise); clubs missing from
    ``rivals`` have none. Guarantees: the first half of the rounds holds one match
    per rival pair and the second half mirrors it (same order, venues swapped); no
    club plays twice in a round; a club's home and away counts differ by at most one
    in the first half and are equal overall. The first half takes Δ rounds (Δ = the
    most rivals any club has) whenever the rival graph is bipartite, as when
    champions only meet runners-up; otherwise Δ when a short search finds such a
    schedule (one may not exist: an odd cycle of rivals needs three rounds), else
    usually Δ+1 and never more than 2Δ-1. Deterministic: the clubs' order matters,
    the order within rival lists does not.

    >>> rivals = {"A": ["X", "Y"], "B": ["X", "Y"], "X": ["A", "B"], "Y": ["A", "B"]}
    >>> for rnd in partial_round_robin(["A", "B", "X", "Y"], rivals):
    ...     print(", ".join(f"{m.home}-{m.away}" for m in rnd))
    A-X, B-Y
    Y-A, X-B
    X-A, Y-B
    A-Y, B-X
    """
    names = distinct_clubs(clubs, "partial_round_robin")
    edges = _check_rivals(names, rivals)
    oriented = _balanced_orientation(len(names), edges)
    colours = _edge_colouring(len(names), edges)
    delta = max(Counter(v for edge in edges for v in edge).values(), default=0)
    if len(set(colours)) > delta:
        colours = _search_colouring(len(names), edges, delta) or colours
    by_round: dict[int, list[tuple[int, int]]] = {}
    for (h, a), c in zip(oriented, colours, strict=True):
        by_round.setdefault(c, []).append((h, a))
    scheduled = MatchStatus.SCHEDULED
    first: list[tuple[Match, ...]] = []
    second: list[tuple[Match, ...]] = []
    half = len(by_round)
    for r, c in enumerate(sorted(by_round)):
        pairs = sorted(by_round[c], key=lambda p: min(p))
        first.append(
            tuple(Match(names[h], names[a], status=scheduled, matchday=r + 1) for h, a in pairs)
        )
        second.append(
            tuple(
                Match(names[a], names[h], status=scheduled, matchday=half + r + 1) for h, a in pairs
            )
        )
    return tuple(first + second)


# ------------------------------------------------------------------- choosing rivals


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points in degrees.

    >>> round(haversine_km((-12.05, -77.04), (-13.53, -71.97)))  # Lima to Cusco
    574
    """
    lat1, lon1 = map(math.radians, a)
    lat2, lon2 = map(math.radians, b)
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def only_between(labels: Mapping[str, object]) -> Callable[[str, str], bool]:
    """A rival constraint allowing only clubs with *different* labels to meet.

    With ``labels`` mapping each club to its place (1 = champion, 2 = runner-up),
    champions only meet runners-up; with departments, clubs never meet a
    neighbour from their own department.

    >>> allowed = only_between({"A": 1, "B": 2, "C": 1})
    >>> allowed("A", "B"), allowed("A", "C")
    (True, False)
    """

    def allowed(a: str, b: str) -> bool:
        return labels[a] != labels[b]

    return allowed


def geographic_rivals(
    clubs: Sequence[str],
    where: Callable[[str], tuple[float, float]] | Mapping[str, str],
    k: int = 3,
    *,
    constraint: Callable[[str, str], bool] | None = None,
    exact: bool = True,
) -> dict[str, tuple[str, ...]]:
    """Pick ``k`` mutual rivals per club, as near as possible, for a partial round robin.

    ``where`` is either a function giving a club's (latitude, longitude), so that
    rivals are the nearest clubs by great-circle distance, or a mapping of each club
    to a group (zone, region), so that rivals come from the club's own group, its
    neighbours in ``clubs`` order first (cyclically). ``constraint(a, b)`` must be
    true for ``a`` and ``b`` to be rivals (see :func:`only_between`).

    Greedy: the closest allowed pairs are taken first while both clubs still need
    rivals; clubs left short are then served by exchanges (drop pair x–y, add u–x
    and v–y) chosen to add the least distance. Deterministic: ties go to the club
    listed first. With ``exact`` (the default) a club left with fewer than ``k``
    rivals raises ``ValueError``; otherwise it keeps what it got.

    >>> zone = {"A": "N", "B": "N", "C": "N", "D": "N", "E": "S", "F": "S"}
    >>> geographic_rivals(list(zone), zone, k=1)
    {'A': ('B',), 'B': ('A',), 'C': ('D',), 'D': ('C',), 'E': ('F',), 'F': ('E',)}
    """
    names = distinct_clubs(clubs, "geographic_rivals")
    n = len(names)
    if not isinstance(k, int) or isinstance(k, bool) or k < 0:
        raise ValueError(f"k must be a whole number >= 0, not {k!r}")
    if exact and n and k > n - 1:
        raise ValueError(f"cannot give each of {n} clubs {k} rivals: there are only {n - 1} others")
    if exact and (n * k) % 2:
        raise ValueError(f"cannot give each of {n} clubs exactly {k} rivals: {n} × {k} is odd")

    dist = _distance(names, where)

    def ok(i: int, j: int) -> bool:
        return dist(i, j) != math.inf and (
            constraint is None
            or (constraint(names[i], names[j]) and constraint(names[j], names[i]))
        )

    candidates = sorted((dist(i, j), i, j) for i in range(n) for j in range(i + 1, n) if ok(i, j))
    allowed = {(i, j) for _, i, j in candidates}

    def can(i: int, j: int) -> bool:
        return (min(i, j), max(i, j)) in allowed

    near: list[set[int]] = [set() for _ in range(n)]
    for _, i, j in candidates:
        if len(near[i]) < k and len(near[j]) < k:
            near[i].add(j)
            near[j].add(i)
    _serve_short(near, k, dist, can)

    if exact:
        short = [i for i in range(n) if len(near[i]) < k]
        if short:
            listed = ", ".join(f"{names[i]} ({len(near[i])})" for i in short[:5])
            more = f" and {len(short) - 5} more" if len(short) > 5 else ""
            raise ValueError(f"could not give every club {k} rivals; short: {listed}{more}")
    return {
        names[i]: tuple(names[j] for j in sorted(near[i], key=lambda j: (dist(i, j), j)))
        for i in range(n)
    }


_Distance = Callable[[int, int], float]


def _distance(
    names: Sequence[str], where: Callable[[str], tuple[float, float]] | Mapping[str, str]
) -> _Distance:
    """The distance between clubs ``i`` and ``j``: great-circle km, or cyclic neighbours
    within a group (``inf`` between groups)."""
    if isinstance(where, Mapping):
        group = {c: where[c] for c in names}
        members: dict[str, list[int]] = {}
        for i, c in enumerate(names):
            members.setdefault(group[c], []).append(i)
        position = {i: (g, p) for g, ids in members.items() for p, i in enumerate(ids)}

        def by_group(i: int, j: int) -> float:
            (gi, pi), (gj, pj) = position[i], position[j]
            if gi != gj:
                return math.inf
            size = len(members[gi])
            return float(min(abs(pi - pj), size - abs(pi - pj)))

        return by_group
    coords = [where(c) for c in names]

    def by_km(i: int, j: int) -> float:
        return round(haversine_km(coords[i], coords[j]), 6)

    return by_km


def _serve_short(
    near: list[set[int]], k: int, dist: _Distance, can: Callable[[int, int], bool]
) -> None:
    """Give clubs left short of ``k`` rivals more, by direct pairs or the cheapest exchanges."""
    n = len(near)
    while True:
        short = [i for i in range(n) if len(near[i]) < k]
        if not short:
            return
        u = short[0]
        # a direct pair with another club that is short
        direct = [(dist(u, v), v) for v in short[1:] if v not in near[u] and can(u, v)]
        if direct:
            _, v = min(direct)
            near[u].add(v)
            near[v].add(u)
            continue
        best = _best_exchange(near, k, short, dist, can)
        if best is None:
            return
        _, w, x, y = best
        near[x].discard(y)
        near[y].discard(x)
        near[u].add(x)
        near[x].add(u)
        near[w].add(y)
        near[y].add(w)


def _best_exchange(
    near: Sequence[set[int]],
    k: int,
    short: Sequence[int],
    dist: _Distance,
    can: Callable[[int, int], bool],
) -> tuple[float, int, int, int] | None:
    """The cheapest exchange for the first short club ``u``: drop x–y, add u–x and w–y,
    where w is u itself or another short club."""
    u = short[0]
    best: tuple[float, int, int, int] | None = None
    partners = short if k - len(near[u]) >= 2 else short[1:]
    for w in partners:
        for x in range(len(near)):
            if x in (u, w) or x in near[u] or not can(u, x):
                continue
            for y in near[x]:
                if y in (u, w) or y in near[w] or not can(w, y):
                    continue
                cost = dist(u, x) + dist(w, y) - dist(x, y)
                option = (cost, w, x, y)
                if best is None or option < best:
                    best = option
    return best
