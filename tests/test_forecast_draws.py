"""The kernels' group draw and pair draw against the core's draws (copa.core.grouping, draw).

:func:`copa.forecast.engine.deal_groups` draws every run's groups at once; it must
give the same distribution as :func:`copa.core.grouping.draw_groups` (labels kept
apart as far as the sizes allow, dealt largest groups first). Frequencies of
"club i in group g at place k" and "i and j together" are compared within four
standard errors of the difference; the keep-apart bound holds in every draw.
A generated pyramid (district to national) then agrees with the core run for run.
"""

from __future__ import annotations

import math

import numpy as np

from copa.core.draw import draw_pairs, keep_apart_by
from copa.core.grouping import draw_groups
from copa.core.pyramid import new_season
from copa.core.synthetic import synthetic_clubs
from copa.forecast.draws import draw_apart, draw_seeded
from copa.forecast.engine import Model, compile_season, deal_groups
from copa.forecast.forecast import rate
from copa.forecast.verify import check
from copa.spec.pyramid_format import load_pyramid_format

CLUBS = [f"c{i}" for i in range(10)]
LABELS = {"c0": "A", "c1": "A", "c2": "A", "c3": "B", "c4": "B", "c5": "B", "c6": "C", "c7": "C"}
SIZES = (4, 3, 3)


def _slots(groups: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """(club -> group, club -> place in its group)."""
    g = np.empty(len(CLUBS), dtype=np.int64)
    k = np.empty(len(CLUBS), dtype=np.int64)
    for gi, members in enumerate(groups):
        for pos, c in enumerate(members):
            g[c], k[c] = gi, pos
    return g, k


def test_the_vectorised_group_draw_has_the_core_draws_distribution() -> None:
    n_core, n_fast = 4_000, 40_000
    core_g = np.empty((n_core, len(CLUBS)), dtype=np.int64)
    core_k = np.empty_like(core_g)
    index = {c: i for i, c in enumerate(CLUBS)}
    for s in range(n_core):
        gd = draw_groups(CLUBS, SIZES, seed=s, labels=LABELS)
        core_g[s], core_k[s] = _slots([[index[c] for c in grp] for grp in gd.groups])
    codes_of = {"A": 0, "B": 1, "C": 2}
    codes = np.array([codes_of.get(LABELS.get(c, ""), -1) for c in CLUBS])
    rng = np.random.Generator(np.random.PCG64(11))
    clubs = np.tile(np.arange(len(CLUBS)), (n_fast, 1))
    out = deal_groups(rng, clubs, np.tile(codes, (n_fast, 1)), SIZES)
    offsets = [0, 4, 7, 10]
    fast_g = np.empty((n_fast, len(CLUBS)), dtype=np.int64)
    fast_k = np.empty_like(fast_g)
    for gi in range(3):
        block = out[:, offsets[gi] : offsets[gi + 1]]
        for pos in range(block.shape[1]):
            fast_g[np.arange(n_fast), block[:, pos]] = gi
            fast_k[np.arange(n_fast), block[:, pos]] = pos
    # the keep-apart bound: at most ceil(3 / 3) = 1 club of A or of B per group, 1 of C
    for lab, members in (("A", [0, 1, 2]), ("B", [3, 4, 5]), ("C", [6, 7])):
        for g in range(3):
            assert ((fast_g[:, members] == g).sum(1) <= 1).all(), lab
    compared = 0
    for i in range(len(CLUBS)):
        for g in range(3):
            for k in range(SIZES[g]):
                a = ((core_g[:, i] == g) & (core_k[:, i] == k)).mean()
                b = ((fast_g[:, i] == g) & (fast_k[:, i] == k)).mean()
                p = (a + b) / 2
                se = math.sqrt(max(p * (1 - p), 1e-4) * (1 / n_core + 1 / n_fast))
                assert abs(a - b) < 4 * se, (i, g, k, a, b)
                compared += 1
        for j in range(i + 1, len(CLUBS)):
            a = (core_g[:, i] == core_g[:, j]).mean()
            b = (fast_g[:, i] == fast_g[:, j]).mean()
            p = (a + b) / 2
            se = math.sqrt(max(p * (1 - p), 1e-4) * (1 / n_core + 1 / n_fast))
            assert abs(a - b) < 4 * se, (i, j, a, b)
    assert compared == 100


def test_a_generated_pyramid_agrees_with_the_core_run_for_run() -> None:
    season, pyramid = new_season(load_pyramid_format("2011"), synthetic_clubs(600, 1), 1)
    program = compile_season(season, pyramid)
    unequal = [
        rp
        for sp in program.stages
        for rp in sp.rounds
        if rp.advance.best and len({g.size for g in rp.groups}) > 1
    ]
    assert unequal  # best-placed clubs across groups of unequal sizes ("fair" records)
    model = Model.from_ratings(rate(season), program.names)
    checked, bad = check(program, model, runs=12, seed=3)
    assert checked > 12 * 100
    assert bad == []


# ------------------------------------------------------------- the pair draw

PAIR_CLUBS = [f"p{i}" for i in range(8)]


def _pair_freq(draws: np.ndarray) -> np.ndarray:
    """freq[i, j, t]: club i drawn first and club j second in tie t."""
    n = draws.shape[1]
    f = np.zeros((n, n, n // 2))
    for t in range(n // 2):
        np.add.at(f, (draws[:, 2 * t], draws[:, 2 * t + 1], t), 1)
    return f / len(draws)


def _compare_pair_draws(core: np.ndarray, fast: np.ndarray) -> int:
    a, b = _pair_freq(core), _pair_freq(fast)
    compared = 0
    for idx in np.ndindex(a.shape):
        p = (a[idx] + b[idx]) / 2
        if p == 0:
            continue
        se = math.sqrt(max(p * (1 - p), 1e-4) * (1 / len(core) + 1 / len(fast)))
        assert abs(a[idx] - b[idx]) < 4 * se, (idx, a[idx], b[idx])
        compared += 1
    return compared


def _core_pair_draws(
    n_core: int, labels: dict[str, str | None], seeded: list[str] | None = None
) -> np.ndarray:
    index = {c: i for i, c in enumerate(PAIR_CLUBS)}
    out = np.empty((n_core, len(PAIR_CLUBS)), dtype=np.int64)
    for s in range(n_core):
        dr = draw_pairs(PAIR_CLUBS, s, keep_apart=keep_apart_by(labels), seeded=seeded or [])
        out[s] = [index[c] for pair in dr.pairs for c in pair]
    return out


def test_the_vectorised_keep_apart_draw_has_the_core_draws_distribution() -> None:
    # three clubs of A, two of B, three unlabelled: A's clubs may meet none of each other
    labels: dict[str, str | None] = {"p0": "A", "p1": "A", "p2": "A", "p3": "B", "p4": "B"}
    codes = np.array([0, 0, 0, 1, 1, -1, -1, -1])
    core = _core_pair_draws(3_000, labels)
    n_fast = 30_000
    rng = np.random.Generator(np.random.PCG64(5))
    clubs = np.tile(np.arange(8), (n_fast, 1))
    fast, left = draw_apart(rng, clubs, np.tile(codes, (n_fast, 1)))
    assert not left.any()
    pairs = fast.reshape(n_fast, 4, 2)
    lab = codes[pairs]
    assert not ((lab[..., 0] == lab[..., 1]) & (lab[..., 0] >= 0)).any()
    assert _compare_pair_draws(core, fast) > 40
    # four clubs of one label among eight: every tie must hold one of them
    four = np.array([0, 0, 0, 0, 1, -1, -1, -1])
    got, left = draw_apart(rng, clubs[:2_000], np.tile(four, (2_000, 1)))
    assert not left.any()
    assert ((four[got.reshape(-1, 4, 2)] == 0).sum(2) == 1).all()
    # five of one label cannot be kept apart: left to the core
    five = np.array([0, 0, 0, 0, 0, -1, -1, -1])
    assert draw_apart(rng, clubs[:10], np.tile(five, (10, 1)))[1].all()


def test_the_vectorised_seeded_draw_has_the_core_draws_distribution() -> None:
    # four group winners seeded, four runners-up; a winner never meets its own group's runner-up
    group = {c: "ABCDABCD"[i] for i, c in enumerate(PAIR_CLUBS)}
    seeds = ["p0", "p1", "p2", "p3"]
    core = _core_pair_draws(3_000, dict(group), seeds)
    n_fast = 30_000
    rng = np.random.Generator(np.random.PCG64(6))
    clubs = np.tile(np.arange(8), (n_fast, 1))
    codes = np.tile(np.array([0, 1, 2, 3, 0, 1, 2, 3]), (n_fast, 1))
    seed_ids = np.tile(np.arange(4), (n_fast, 1))
    fast, left = draw_seeded(rng, clubs, codes, seed_ids)
    assert not left.any()
    firsts = fast[:, 0::2]
    assert (np.sort(firsts, 1) == np.arange(4)).all()  # a seed heads every tie
    assert (fast[:, 0] == 0).all() and (fast[:, 6] == 1).all()  # seeds 1 and 2 at the ends
    assert not (fast[:, 0::2] % 4 == fast[:, 1::2] % 4).any()
    assert _compare_pair_draws(core, fast) == 18  # 3 opponents for each seed in each of its ties
    # fewer seeds than ties: the core draws them
    assert draw_seeded(rng, clubs[:5], codes[:5], seed_ids[:5, :2])[1].all()
