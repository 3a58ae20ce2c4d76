"""Exact probabilities for a single tie, by convolving Poisson score grids (no simulation).

Used to check the simulator against closed forms and, in the 2011 backtest, to
price every national-stage tie. Goals are independent Poisson variables, cut
at ``size`` goals (the mass beyond is far below sampling error). Supported
chains: aggregate/score/goal_difference, points, away goals, extra time (a
third of the last leg's means, only when penalties follow, as in the
simulator), penalties and lots (50/50), a deciding match (neutral: 90 minutes,
extra time, then a 50/50 shoot-out).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import stats

from copa.core.points import DEFAULT, PointsScheme


def pmf(lam: float, size: int = 16) -> np.ndarray:
    p: np.ndarray = stats.poisson.pmf(np.arange(size), lam)
    return p


def single_neutral(lam_a: float, lam_b: float, size: int = 16) -> float:
    """P(a wins a one-off neutral match): 90 minutes, extra time, then 50/50 penalties."""
    g = np.outer(pmf(lam_a, size), pmf(lam_b, size))
    win = float(np.tril(g, -1).sum())
    draw = float(np.trace(g))
    e = np.outer(pmf(lam_a / 3, size), pmf(lam_b / 3, size))
    ewin = float(np.tril(e, -1).sum())
    edraw = float(np.trace(e))
    return win + draw * (ewin + 0.5 * edraw)


def tie_probability(
    legs: Sequence[tuple[float, float, bool]],
    chain: Sequence[str],
    scheme: PointsScheme = DEFAULT,
    decider: tuple[float, float] | None = None,
    size: int = 12,
) -> float:
    """P(club a wins a tie of one or two legs).

    ``legs``: (mean goals of a, mean goals of b, a at home) per leg;
    ``decider``: the means (a, b) of a neutral deciding match.
    """
    if len(legs) not in (1, 2):
        raise ValueError("one or two legs")
    prob, a_goals, b_goals = _leg_grid(legs, size)
    undecided, a_wins = _apply_chain(legs, chain, scheme, decider, a_goals, b_goals)
    if (prob[undecided] > 1e-12).any():
        raise ValueError("the chain leaves ties undecided")
    return float((prob * a_wins).sum())


def _leg_grid(
    legs: Sequence[tuple[float, float, bool]], size: int
) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """The probability of every leg score, axes (a1, b1[, a2, b2]), with a's and b's goals
    in each leg on the same axes."""
    k = np.arange(size)
    grids = [(pmf(la, size), pmf(lb, size)) for la, lb, _ in legs]
    if len(legs) == 1:
        ((pa, pb),) = grids
        prob = np.einsum("i,j->ij", pa, pb)
        a_goals = [k[:, None] + 0 * k[None, :]]
        b_goals = [0 * k[:, None] + k[None, :]]
    else:
        (pa1, pb1), (pa2, pb2) = grids
        prob = np.einsum("i,j,k,l->ijkl", pa1, pb1, pa2, pb2)
        i, j, m, n = np.meshgrid(k, k, k, k, indexing="ij")
        a_goals = [i, m]
        b_goals = [j, n]
    return prob / prob.sum(), a_goals, b_goals


def _apply_chain(
    legs: Sequence[tuple[float, float, bool]],
    chain: Sequence[str],
    scheme: PointsScheme,
    decider: tuple[float, float] | None,
    a_goals: list[np.ndarray],
    b_goals: list[np.ndarray],
) -> tuple[np.ndarray, np.ndarray]:
    """The chain step by step over every leg score: (still undecided, P(a goes through))."""
    shape = a_goals[0].shape
    undecided = np.ones(shape, dtype=bool)
    a_wins = np.zeros(shape)

    def settle(va: np.ndarray, vb: np.ndarray) -> None:
        nonlocal undecided
        d = undecided & (va != vb)
        a_wins[d] = (va > vb)[d]
        undecided = undecided & ~d

    def pts(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.where(x > y, scheme.win, np.where(x == y, scheme.draw, scheme.loss))

    agg_a = np.sum(a_goals, axis=0)
    agg_b = np.sum(b_goals, axis=0)
    for si, step in enumerate(chain):
        if step in ("aggregate", "score", "goal_difference"):
            settle(agg_a, agg_b)
        elif step == "points":
            settle(
                np.sum([pts(x, y) for x, y in zip(a_goals, b_goals, strict=True)], axis=0),
                np.sum([pts(y, x) for x, y in zip(a_goals, b_goals, strict=True)], axis=0),
            )
        elif step == "away_goals":
            if len(legs) < 2:
                continue
            away_a = sum(a_goals[i] for i, leg in enumerate(legs) if not leg[2])
            away_b = sum(b_goals[i] for i, leg in enumerate(legs) if leg[2])
            settle(np.asarray(away_a), np.asarray(away_b))
        elif step == "extra_time":
            if "penalties" not in chain[si + 1 :]:
                continue
            la, lb, _ = legs[-1]
            e = np.outer(pmf(la / 3), pmf(lb / 3))
            # the rest of the chain after extra time is penalties: 50/50 when level again
            a_wins[undecided.copy()] = float(np.tril(e, -1).sum()) + float(np.trace(e)) * 0.5
            undecided[:] = False
        elif step in ("penalties", "lots"):
            a_wins[undecided] = 0.5
            undecided[:] = False
        elif step == "deciding_match":
            if decider is None:
                raise ValueError("a deciding match needs its means")
            a_wins[undecided] = single_neutral(*decider)
            undecided[:] = False
        else:
            raise ValueError(f"step {step!r} is not covered")
        if not undecided.any():
            break
    return undecided, a_wins
