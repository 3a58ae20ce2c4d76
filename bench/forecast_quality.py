"""How good are copa's forecasts? A calibration check on synthetic truth and the 2011 backtest.

1. Synthetic truth: ``copa generate``'s engine (copa.core.simulate) plays a
   whole pyramid from known club strengths. The ratings are fitted on the first
   half of the season's matches (in time order) and forecast the second half;
   log loss, Brier and RPS are compared with the true model's own (the best any
   forecast can do) and a reliability table and chart are drawn.
2. 2011: the clubs are rated on the regional stage only; every national-stage
   match (1X2 after 90 minutes) and tie (who goes through) is then forecast and
   scored against two baselines: the outcome frequencies of the regional stage
   (home advantage only) and a coin flip. Standard errors are over matches.

Usage: python bench/forecast_quality.py [--clubs 1000] [--seed 5] [--charts docs/forecast]
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from copa.core.pyramid import new_season
from copa.core.simulate import AWAY_MEAN, HOME_MEAN, NEUTRAL_MEAN, Simulator, play_out
from copa.core.synthetic import synthetic_clubs
from copa.forecast.chart import calibration_chart
from copa.forecast.exact import tie_probability
from copa.forecast.forecast import prepare
from copa.forecast.ratings import (
    FLOOR,
    Observation,
    club_levels,
    fit_elo,
    fit_poisson,
    observations,
    outcome_probabilities,
)
from copa.spec.pyramid_format import load_pyramid_format
from copa.spec.seasons import find_season


def outcome(o: Observation) -> int:
    return 0 if o.home_goals > o.away_goals else 1 if o.home_goals == o.away_goals else 2


def scores(p: np.ndarray, y: np.ndarray) -> dict[str, np.ndarray]:
    """Per-match RPS, log loss and (multiclass) Brier of probabilities ``p`` (n, 3)."""
    o = np.eye(3)[y]
    cp, co = np.cumsum(p, 1), np.cumsum(o, 1)
    return {
        "rps": 0.5 * ((cp[:, :2] - co[:, :2]) ** 2).sum(1),
        "log_loss": -np.log(p[np.arange(len(y)), y]),
        "brier": ((p - o) ** 2).sum(1),
    }


def summary(per: dict[str, np.ndarray]) -> dict[str, float]:
    out: dict[str, float] = {}
    for k, v in per.items():
        out[k] = round(float(v.mean()), 4)
        out[k + "_se"] = round(float(v.std(ddof=1) / math.sqrt(len(v))), 4)
    return out


def reliability(p: np.ndarray, y: np.ndarray, bins: int = 10) -> list[tuple[float, float, int]]:
    """Every outcome probability as a yes/no event, binned: (mean forecast, frequency, count)."""
    flat = p.ravel()
    hit = np.eye(3)[y].ravel()
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(flat, edges) - 1, 0, bins - 1)
    out = []
    for b in range(bins):
        m = which == b
        if m.sum() >= 10:
            out.append((float(flat[m].mean()), float(hit[m].mean()), int(m.sum())))
    return out


def synthetic(clubs: int, seed: int, charts: Path | None) -> dict[str, object]:
    fmt = load_pyramid_format("2011")
    t = time.perf_counter()
    season, pyramid = new_season(fmt, synthetic_clubs(clubs, seed), seed)
    season = play_out(season, pyramid)
    made = time.perf_counter() - t
    obs = observations(season)
    half = len(obs) // 2
    train, test = obs[:half], obs[half:]
    # clubs' levels as known at the halfway point: the stages they had reached by then
    levels: dict[str, int] = {}
    for o in train:
        for c in (o.home, o.away):
            levels[c] = max(levels.get(c, 0), o.level)
    model = fit_poisson(train, levels)
    truth = Simulator(pyramid.seed)

    def true_p(o: Observation) -> tuple[float, float, float]:
        d = truth.strength(o.home) - truth.strength(o.away)
        if o.neutral:
            return outcome_probabilities(NEUTRAL_MEAN * math.exp(d), NEUTRAL_MEAN * math.exp(-d))
        return outcome_probabilities(HOME_MEAN * math.exp(d), AWAY_MEAN * math.exp(-d))

    y = np.array([outcome(o) for o in test])
    p_fit = np.array([model.outcome(o.home, o.away, o.neutral) for o in test])
    p_true = np.array([true_p(o) for o in test])
    freq = np.bincount([outcome(o) for o in train if not o.neutral], minlength=3) / max(
        1, sum(1 for o in train if not o.neutral)
    )
    p_base = np.tile(freq, (len(test), 1))
    fit_s, true_s, base_s = scores(p_fit, y), scores(p_true, y), scores(p_base, y)
    diff = fit_s["log_loss"] - true_s["log_loss"]
    rel = reliability(p_fit, y)
    rel_true = reliability(p_true, y)
    if charts is not None:
        charts.mkdir(parents=True, exist_ok=True)
        calibration_chart(
            rel,
            [charts / "calibration.png", charts / "calibration.svg"],
            f"Synthetic pyramid ({clubs} clubs, seed {seed}): fitted on the first\n"
            f"{len(train):,} matches, forecasting the other {len(test):,}",
            rel_true,
        )
    return {
        "clubs": clubs,
        "seed": seed,
        "season_seconds": round(made, 2),
        "train_matches": len(train),
        "test_matches": len(test),
        "fitted": summary(fit_s),
        "true_model": summary(true_s),
        "outcome_frequencies": summary(base_s),
        "log_loss_gap_to_truth": round(float(diff.mean()), 4),
        "log_loss_gap_se": round(float(diff.std(ddof=1) / math.sqrt(len(diff))), 4),
        "reliability": [[round(a, 3), round(b, 3), n] for a, b, n in rel],
    }


def backtest_2011() -> dict[str, object]:
    season = find_season("2011")
    state, _ = prepare(season, "National Stage/Round of 16")
    train = observations(state)
    levels = club_levels(state)
    models = {
        "poisson": fit_poisson(train, levels),
        "poisson_decay": fit_poisson(train, levels, half_life=2.0),
        "dixon_coles": fit_poisson(train, levels, dixon_coles=True),
        "elo": fit_elo(train, levels),
    }
    national = season.stage("National Stage")
    legs = []
    ties = []
    for rnd in national.rounds:
        for t in rnd.ties:
            ties.append(t)
            for m in t.legs:
                assert m.score is not None
                legs.append(m)
    y = np.array(
        [
            0 if m.score.home > m.score.away else 1 if m.score.home == m.score.away else 2
            for m in legs
            if m.score is not None
        ]
    )
    freq = np.bincount([outcome(o) for o in train if not o.neutral], minlength=3)
    freq = freq / freq.sum()
    out: dict[str, object] = {
        "matches": len(legs),
        "ties": len(ties),
        "regional_outcome_frequencies": [round(float(f), 3) for f in freq],
        "observed_national_outcomes": np.bincount(y, minlength=3).tolist(),
    }
    k = 1 - 3 * FLOOR
    base = {
        "outcome_frequencies": np.tile(freq * k + FLOOR, (len(y), 1)),
        "coin_flip": np.full((len(y), 3), 1 / 3),
    }
    match_scores: dict[str, dict[str, float]] = {}
    per_model: dict[str, dict[str, np.ndarray]] = {}
    for name, model in models.items():
        p = np.array([model.outcome(m.home, m.away, m.neutral) for m in legs])
        per_model[name] = scores(p, y)
        match_scores[name] = summary(per_model[name])
    for name, p in base.items():
        per_model[name] = scores(p, y)
        match_scores[name] = summary(per_model[name])
    d = per_model["poisson"]["rps"] - per_model["outcome_frequencies"]["rps"]
    out["match"] = match_scores
    out["poisson_minus_frequencies_rps"] = round(float(d.mean()), 4)
    out["poisson_minus_frequencies_rps_se"] = round(float(d.std(ddof=1) / math.sqrt(len(d))), 4)
    # ties: P(the first-listed club goes through), exactly from the score grids
    tie_scores: dict[str, dict[str, float]] = {}
    won = np.array([1.0 if _winner(t) == t.teams[0] else 0.0 for t in ties])
    for name in ("poisson", "elo"):
        model = models[name]
        ps = []
        for t in ties:
            a, b = t.teams
            lg = []
            for m in t.legs:
                h, aw = model.means(m.home, m.away, m.neutral)
                lg.append((h, aw, True) if m.home == a else (aw, h, False))
            ps.append(tie_probability(lg, t.rules.chain, t.rules.scheme))
        tie_scores[name] = _binary(np.array(ps), won)
    tie_scores["coin_flip"] = _binary(np.full(len(ties), 0.5), won)
    out["tie"] = tie_scores
    return out


def _winner(t: object) -> str | None:
    from copa.core.tie import resolve_tie

    return resolve_tie(t).winner  # type: ignore[arg-type]


def _binary(p: np.ndarray, y: np.ndarray) -> dict[str, float]:
    pc = np.clip(p, 1e-6, 1 - 1e-6)
    ll = -(y * np.log(pc) + (1 - y) * np.log(1 - pc))
    br = (p - y) ** 2
    return {
        "log_loss": round(float(ll.mean()), 4),
        "log_loss_se": round(float(ll.std(ddof=1) / math.sqrt(len(y))), 4),
        "brier": round(float(br.mean()), 4),
        "brier_se": round(float(br.std(ddof=1) / math.sqrt(len(y))), 4),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clubs", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--charts", type=Path, default=Path("docs/forecast"))
    args = ap.parse_args()
    syn = synthetic(args.clubs, args.seed, args.charts)
    print("synthetic:", json.dumps({k: v for k, v in syn.items() if k != "reliability"}))
    bt = backtest_2011()
    print("2011 backtest:", json.dumps(bt, indent=1))
    print(json.dumps({"synthetic": syn, "backtest_2011": bt}, ensure_ascii=False))


if __name__ == "__main__":
    main()
