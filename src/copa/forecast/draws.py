"""The pair draw of :func:`copa.core.draw.draw_pairs` for every run at once.

The core's draw is a ceremony: the pot is shuffled, ties are filled in order,
each tie takes the first club of the pot (or its seed) and then the first club
of the pot it may meet *whose removal leaves the rest of the draw possible*.
The core answers that last question with a perfect matching. For the two kinds
of keep-apart draws a forecast meets, the answer has a closed form, so the
same ceremony runs on arrays of shape (runs, clubs):

* **no seeds** (clubs sharing a label never meet; no label meets anyone): the
  clubs left can all be paired if and only if no label holds more than half
  of them (a complete multipartite graph);
* **one seed per tie** (seeds never meet each other): every tie is a seed
  against a club of the pot, and by Hall's theorem the rest can be paired if
  and only if no label holds more seeds and pot clubs together than there are
  ties left.

Rows whose constraints cannot be met from the start (the core then draws
without them) and seeded draws with fewer seeds than ties are left to the
core, run by run (the mask returned). The shuffles are uniform, so every run
is distributed as the core's draw; ``tests/test_forecast_draws.py`` compares
the frequencies.
"""

from __future__ import annotations

import numpy as np

from copa.core.draw import seed_positions

__all__ = ["draw_apart", "draw_seeded"]


def _own_labels(codes: np.ndarray) -> np.ndarray:
    """Codes with each unlabelled club (-1) given a label of its own."""
    n = codes.shape[1]
    top = int(codes.max()) + 1 if codes.size else 0
    return np.where(codes < 0, top + np.arange(n)[None, :], codes)


def _blocked(count: np.ndarray, alive: np.ndarray, same: np.ndarray, left: int) -> np.ndarray:
    """Per candidate ``j``: whether taking ``j`` out leaves a label above ``left`` clubs.

    ``count[r, i]``: clubs alive sharing ``i``'s label (the tie's first club
    already taken out); ``same[r, i, j]``: ``i`` and ``j`` share a label.
    """
    over = (count[:, :, None] - same) > left
    blocked: np.ndarray = (over & alive[:, :, None]).any(1)
    return blocked


def draw_apart(
    rng: np.random.Generator, clubs: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Unseeded draws keeping clubs of one label apart: (pairs in tie order, rows left over).

    ``codes``: each club's label (-1: none). Row ``r`` of the result lists the
    ties' clubs in order, first club first, where ``left[r]`` is false.
    """
    R, n = clubs.shape
    perm = np.argsort(rng.random((R, n)), axis=1)
    pot = np.take_along_axis(clubs, perm, 1)
    lab = _own_labels(np.take_along_axis(codes, perm, 1))
    same = lab[:, :, None] == lab[:, None, :]
    alive = np.ones((R, n), dtype=bool)
    count = same.sum(2)
    left = count.max(1) > n // 2
    out = pot.copy()
    rr = np.arange(R)
    for t in range(n // 2):
        a = np.argmax(alive, 1)
        alive[rr, a] = False
        count -= same[rr, :, a]
        la = lab[rr, a]
        ok = alive & (lab != la[:, None]) & ~_blocked(count, alive, same, (n - 2 * t - 2) // 2)
        left |= ~ok.any(1)
        b = np.argmax(ok, 1)
        alive[rr, b] = False
        count -= same[rr, :, b]
        out[:, 2 * t] = pot[rr, a]
        out[:, 2 * t + 1] = pot[rr, b]
    return out, left


def draw_seeded(
    rng: np.random.Generator, clubs: np.ndarray, codes: np.ndarray | None, seeds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Draws with one seed per tie (best first), seeds and clubs of one label kept apart.

    Seeds take the ties :func:`copa.core.draw.seed_positions` gives them (shuffled
    within each group of positions) and each is listed first in its tie.
    Returns (pairs in tie order, rows left over); every row is left over unless
    there are exactly as many seeds as ties.
    """
    R, n = clubs.shape
    T = n // 2
    S = seeds.shape[1]
    if S != T or n % 2:
        return clubs.copy(), np.ones(R, dtype=bool)
    if codes is None:
        codes = np.full((R, n), -1, dtype=np.int64)
    match = clubs[:, :, None] == seeds[:, None, :]  # (runs, clubs, seeds)
    is_seed = match.any(2)
    left = is_seed.sum(1) != S
    seed_codes = np.take_along_axis(codes, np.argmax(match, 1), 1)
    # the seeds' ties: within each group of positions, a random order
    seat = np.empty((R, T), dtype=np.int64)
    seat_codes = np.empty((R, T), dtype=np.int64)
    k = 0
    for group in seed_positions(T):
        spots = np.array(group, dtype=np.int64)
        take = min(len(spots), S - k)
        if take <= 0:
            break
        where = spots[np.argsort(rng.random((R, len(spots))), axis=1)][:, :take]
        np.put_along_axis(seat, where, seeds[:, k : k + take], 1)
        np.put_along_axis(seat_codes, where, seed_codes[:, k : k + take], 1)
        k += take
    # the pot: the other clubs, shuffled
    perm = np.argsort(np.where(is_seed, 2.0, rng.random((R, n))), axis=1)[:, : n - S]
    full = np.concatenate([seat, np.take_along_axis(clubs, perm, 1)], 1)
    lab = _own_labels(np.concatenate([seat_codes, np.take_along_axis(codes, perm, 1)], 1))
    same = lab[:, :, None] == lab[:, None, :]
    alive = np.ones((R, n), dtype=bool)
    count = same.sum(2)
    left |= count.max(1) > T
    out = np.empty_like(clubs)
    rr = np.arange(R)
    cols = np.arange(n)[None, :]
    for t in range(T):
        alive[:, t] = False
        count -= same[:, :, t]
        ok = (
            alive
            & (cols >= T)
            & (lab != lab[:, t : t + 1])
            & ~_blocked(count, alive, same, T - t - 1)
        )
        left |= ~ok.any(1)
        b = np.argmax(ok, 1)
        alive[rr, b] = False
        count -= same[rr, :, b]
        out[:, 2 * t] = full[:, t]
        out[:, 2 * t + 1] = full[rr, b]
    return out, left
