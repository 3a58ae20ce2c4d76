"""Club ratings from a season's results: an Elo rating and a Poisson goal model.

Both turn two clubs into the expected goals of each side (``means``), so the
simulator can play either. What they rate on:

* matches played on the pitch: walkovers, annulled and unplayed matches are
  ignored (an awarded match counts with the score played, when recorded);
* every match has a *time*: its date when every match has one, otherwise its
  place in the season (level of its stage, then round), so older results can
  weigh less (``half_life``);
* every club has a *level*, the highest stage kind it has reached
  (district … national). Amateur clubs play few matches, so each club is
  shrunk toward its level's mean and keeps a standard deviation that falls as
  it plays; a forecast samples each run's strengths from it.

The Poisson model (Maher/Dixon–Coles style, fitted by penalised maximum
likelihood with scipy): home goals ~ Poisson(exp(mu + home + att_h − def_a)),
away goals ~ Poisson(exp(mu + att_a − def_h)); neutral venues drop ``home``.
Scores of ``CAP`` goals or more count as "at least CAP" (a censored
likelihood), so a 22–0 says "far better" without saying "22 goals better".

The Elo rating compresses margins the same way: its update is multiplied by
``1 + ln(margin) / 2`` (1 for one goal, 2.5 for 22 goals).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import optimize, special

from copa.core.match import Match, MatchStatus
from copa.core.season import Season

#: stage kinds from the lowest level to the highest
LEVELS: tuple[str, ...] = ("district", "provincial", "departmental", "regional", "national")
#: goals from which a score counts as "at least this many"
CAP = 8
#: priors of the goal level (log goals per side) and of the home advantage
MU_PRIOR, MU_SD = math.log(1.3), 0.5
HOME_PRIOR, HOME_SD = 0.2, 0.2


def level_of(kind: str) -> int:
    """The level index of a stage kind; unknown kinds count as the lowest level."""
    return LEVELS.index(kind) if kind in LEVELS else 0


@dataclass(frozen=True, slots=True)
class Observation:
    """One rated match: who, where, the score after 90 minutes, when and at which level."""

    home: str
    away: str
    home_goals: int
    away_goals: int
    neutral: bool
    time: float
    level: int


def rated(match: Match) -> tuple[int, int] | None:
    """The score a rating learns from, or ``None`` (walkover, annulled, unplayed)."""
    if match.status is MatchStatus.PLAYED and match.score is not None:
        return match.score.home, match.score.away
    if match.status is MatchStatus.AWARDED and match.original is not None:
        return match.original.home, match.original.away
    return None


def observations(season: Season) -> list[Observation]:
    """Every rated match of ``season`` in time order (see the module notes)."""
    rows: list[tuple[Match, float, int]] = []
    clock: float
    for stage in season.stages:
        level = level_of(stage.kind)
        for ri, rnd in enumerate(stage.rounds):
            clock = level * 100 + ri
            for g in rnd.groups:
                # a group's fixtures are listed matchday by matchday: their order is time
                ms = (*g.matches, *g.deciders)
                rows.extend((m, clock + 0.9 * i / len(ms), level) for i, m in enumerate(ms))
            for tie in rnd.ties:
                rows.extend((m, clock + 0.25 * i, level) for i, m in enumerate(tie.matches))
    dates = [getattr(m, "date", None) for m, _, _ in rows]
    use_dates = bool(rows) and all(isinstance(d, str) and len(d) >= 10 for d in dates)
    out: list[Observation] = []
    for (m, clock, level), d in zip(rows, dates, strict=True):
        s = rated(m)
        if s is None:
            continue
        when = _days(d) / 7.0 if use_dates and isinstance(d, str) else float(clock)
        out.append(Observation(m.home, m.away, s[0], s[1], m.neutral, when, level))
    out.sort(key=lambda o: o.time)
    return out


def _days(iso: str) -> float:
    from datetime import date

    return float(date.fromisoformat(iso[:10]).toordinal())


def club_levels(season: Season) -> dict[str, int]:
    """Each club's level: the highest stage kind it plays in (or is placed in)."""
    out: dict[str, int] = {}
    for stage in season.stages:
        level = level_of(stage.kind)
        names: set[str] = set(stage.entrants)
        for rnd in stage.rounds:
            names.update(rnd.clubs)
        for c in names:
            out[c] = max(out.get(c, 0), level)
    return out


class GoalModel:
    """Expected goals of two clubs; every rating model is one."""

    def means(self, home: str, away: str, neutral: bool = False) -> tuple[float, float]:
        raise NotImplementedError

    def outcome(self, home: str, away: str, neutral: bool = False) -> tuple[float, float, float]:
        """Probabilities of a home win, a draw and an away win after 90 minutes."""
        h, a = self.means(home, away, neutral)
        return outcome_probabilities(h, a)


#: every outcome of a match keeps at least this probability (a 22-0 is no proof of 100%)
FLOOR = 0.002


def outcome_probabilities(h: float, a: float, rho: float = 0.0) -> tuple[float, float, float]:
    """Home win, draw and away win for Poisson goals (Dixon–Coles ``rho``), each >= ``FLOOR``."""
    g = score_grid(h, a, rho)
    home = float(np.tril(g, -1).sum())
    draw = float(np.trace(g))
    away = max(0.0, 1.0 - home - draw)
    k = 1 - 3 * FLOOR
    return k * home + FLOOR, k * draw + FLOOR, k * away + FLOOR


def score_grid(h: float, a: float, rho: float = 0.0, size: int = 30) -> np.ndarray:
    """P(home scores i, away scores j) for i, j < ``size``, renormalised."""
    k = np.arange(size)
    h, a = min(max(h, 1e-9), 25.0), min(max(a, 1e-9), 25.0)
    ph = np.exp(k * math.log(h) - h - special.gammaln(k + 1))
    pa = np.exp(k * math.log(a) - a - special.gammaln(k + 1))
    g = np.outer(ph, pa)
    if rho:
        g[0, 0] *= 1 - h * a * rho
        g[0, 1] *= 1 + h * rho
        g[1, 0] *= 1 + a * rho
        g[1, 1] *= 1 - rho
    out: np.ndarray = g / g.sum()
    return out


# --------------------------------------------------------------------- Poisson model


@dataclass
class PoissonRatings(GoalModel):
    """A fitted Poisson goal model: attack and defence (mean and sd) per club."""

    mu: float
    home: float
    attack: dict[str, float]
    defence: dict[str, float]
    attack_sd: dict[str, float]
    defence_sd: dict[str, float]
    #: prior mean attack / defence of each level, and their sd, for clubs not rated
    level_attack: tuple[float, ...] = (0.0,) * len(LEVELS)
    level_defence: tuple[float, ...] = (0.0,) * len(LEVELS)
    prior_sd: float = 0.35
    levels: dict[str, int] = field(default_factory=dict)
    rho: float = 0.0
    matches: dict[str, int] = field(default_factory=dict)

    def strength(self, club: str) -> tuple[float, float, float, float]:
        """(attack, defence, attack sd, defence sd) of ``club``; unknown clubs get their level's."""
        if club in self.attack:
            return (
                self.attack[club],
                self.defence[club],
                self.attack_sd[club],
                self.defence_sd[club],
            )
        lv = self.levels.get(club, 0)
        return self.level_attack[lv], self.level_defence[lv], self.prior_sd, self.prior_sd

    def means(self, home: str, away: str, neutral: bool = False) -> tuple[float, float]:
        ah, dh, _, _ = self.strength(home)
        aa, da, _, _ = self.strength(away)
        adv = 0.0 if neutral else self.home
        return math.exp(self.mu + adv + ah - da), math.exp(self.mu + aa - dh)

    def outcome(self, home: str, away: str, neutral: bool = False) -> tuple[float, float, float]:
        h, a = self.means(home, away, neutral)
        return outcome_probabilities(h, a, self.rho)

    def table(self) -> list[tuple[str, float, float, float, int]]:
        """Clubs by overall strength (attack + defence): name, attack, defence, sd, matches."""
        rows = [
            (
                c,
                self.attack[c],
                self.defence[c],
                math.hypot(self.attack_sd[c], self.defence_sd[c]),
                self.matches.get(c, 0),
            )
            for c in self.attack
        ]
        rows.sort(key=lambda r: -(r[1] + r[2]))
        return rows


def _censored_loglik(k: np.ndarray, lam: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log P(goals = k), or log P(goals >= CAP) for k >= CAP; and d/d(log lam)."""
    cens = k >= CAP
    ll = k * np.log(lam) - lam - special.gammaln(k + 1)
    grad = k - lam
    if cens.any():
        lc = lam[cens]
        tail = special.gammainc(CAP, lc)  # P(X >= CAP)
        tail = np.maximum(tail, 1e-300)
        ll[cens] = np.log(tail)
        # d/dlam P(X >= c) = lam^(c-1) e^-lam / (c-1)!  ->  times lam for d/dlog lam
        dens = np.exp(CAP * np.log(lc) - lc - special.gammaln(CAP))
        grad[cens] = dens / tail
    return ll, grad


@dataclass(frozen=True)
class _Design:
    """The fit's data as arrays: matches by club index, weights, and each club's prior."""

    clubs: list[str]
    lv: np.ndarray  # each club's level
    hi: np.ndarray  # home and away club of each match
    ai: np.ndarray
    hg: np.ndarray  # goals
    ag: np.ndarray
    home_on: np.ndarray  # 1 where the home side has home advantage
    w: np.ndarray  # time-decay weights
    prior_att: np.ndarray  # last season's ratings (times carry), where known
    prior_def: np.ndarray
    from_prev: np.ndarray

    @property
    def n(self) -> int:
        return len(self.clubs)


def _design(
    obs: Sequence[Observation],
    levels: Mapping[str, int],
    half_life: float | None,
    previous: PoissonRatings | None,
    carry: float,
) -> _Design:
    clubs = sorted({o.home for o in obs} | {o.away for o in obs} | set(levels))
    index = {c: i for i, c in enumerate(clubs)}
    n = len(clubs)
    times = np.array([o.time for o in obs], dtype=np.float64)
    w = np.ones(len(obs))
    if half_life and len(obs):
        w = 0.5 ** ((times.max() - times) / half_life)
    prior_att = np.zeros(n)
    prior_def = np.zeros(n)
    from_prev = np.zeros(n, dtype=bool)
    if previous is not None:
        for c, i in index.items():
            if c in previous.attack:
                prior_att[i] = carry * previous.attack[c]
                prior_def[i] = carry * previous.defence[c]
                from_prev[i] = True
    return _Design(
        clubs,
        np.array([levels.get(c, 0) for c in clubs], dtype=np.int64),
        np.array([index[o.home] for o in obs], dtype=np.int64),
        np.array([index[o.away] for o in obs], dtype=np.int64),
        np.array([o.home_goals for o in obs], dtype=np.float64),
        np.array([o.away_goals for o in obs], dtype=np.float64),
        np.array([0.0 if o.neutral else 1.0 for o in obs]),
        w,
        prior_att,
        prior_def,
        from_prev,
    )


def _unpack(
    x: np.ndarray, n: int, nl: int
) -> tuple[float, float, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parameters: mu, home, att[n], def[n], level_att[nl], level_def[nl]."""
    return (
        x[0],
        x[1],
        x[2 : 2 + n],
        x[2 + n : 2 + 2 * n],
        x[2 + 2 * n : 2 + 2 * n + nl],
        x[2 + 2 * n + nl :],
    )


def _objective(x: np.ndarray, d: _Design, inv_var: float) -> tuple[float, np.ndarray]:
    """The penalised negative log-likelihood and its exact gradient."""
    n, nl = d.n, len(LEVELS)
    hi, ai, w, lv, from_prev = d.hi, d.ai, d.w, d.lv, d.from_prev
    level_inv_var = 1.0  # level means: sd 1 around 0
    mu, home, att, dfn, la, ld = _unpack(x, n, nl)
    eta_h = mu + home * d.home_on + att[hi] - dfn[ai]
    eta_a = mu + att[ai] - dfn[hi]
    lam_h = np.exp(np.clip(eta_h, -20, 5))
    lam_a = np.exp(np.clip(eta_a, -20, 5))
    ll_h, g_h = _censored_loglik(d.hg, lam_h)
    ll_a, g_a = _censored_loglik(d.ag, lam_a)
    g_h = g_h * w
    g_a = g_a * w
    # centres: the level mean, or last season's rating
    ca = np.where(from_prev, d.prior_att, la[lv])
    cd = np.where(from_prev, d.prior_def, ld[lv])
    ra = att - ca
    rd = dfn - cd
    value = -(w * (ll_h + ll_a)).sum() + 0.5 * inv_var * ((ra**2).sum() + (rd**2).sum())
    value += 0.5 * level_inv_var * ((la**2).sum() + (ld**2).sum())
    # weak priors on the goal level and the home advantage: a season where one side
    # always scores (or always plays at home) must not send them to infinity
    value += 0.5 * ((mu - MU_PRIOR) / MU_SD) ** 2 + 0.5 * ((home - HOME_PRIOR) / HOME_SD) ** 2
    grad = np.zeros(len(x))
    grad[0] = -(g_h.sum() + g_a.sum()) + (mu - MU_PRIOR) / MU_SD**2
    grad[1] = -(g_h * d.home_on).sum() + (home - HOME_PRIOR) / HOME_SD**2
    gatt = -(np.bincount(hi, g_h, n) + np.bincount(ai, g_a, n)) + inv_var * ra
    gdef = np.bincount(ai, g_h, n) + np.bincount(hi, g_a, n) + inv_var * rd
    grad[2 : 2 + n] = gatt
    grad[2 + n : 2 + 2 * n] = gdef
    free = ~from_prev
    grad[2 + 2 * n : 2 + 2 * n + nl] = (
        -inv_var * np.bincount(lv[free], ra[free], nl) + level_inv_var * la
    )
    grad[2 + 2 * n + nl :] = -inv_var * np.bincount(lv[free], rd[free], nl) + level_inv_var * ld
    return float(value), grad


def fit_poisson(
    obs: Sequence[Observation],
    levels: Mapping[str, int] | None = None,
    *,
    prior_sd: float = 0.35,
    half_life: float | None = None,
    previous: PoissonRatings | None = None,
    carry: float = 0.7,
    dixon_coles: bool = False,
) -> PoissonRatings:
    """Fit the Poisson model by penalised maximum likelihood (L-BFGS on the exact gradient).

    Each club's attack and defence have a normal prior around its level's
    mean (``prior_sd``); level means get a wide prior around 0. With
    ``previous`` ratings, a club rated last season starts from ``carry`` × its
    old rating instead of its level mean. ``half_life`` (in the time units of
    :func:`observations`) down-weights older matches. With ``dixon_coles`` the
    low-score correction ``rho`` is fitted too (after the other parameters).
    """
    levels = dict(levels or {})
    d = _design(obs, levels, half_life, previous, carry)
    n, nl = d.n, len(LEVELS)
    hi, ai, w = d.hi, d.ai, d.w
    inv_var = 1.0 / prior_sd**2
    x0 = np.zeros(2 + 2 * n + 2 * nl)
    x0[0] = MU_PRIOR
    x0[1] = HOME_PRIOR
    x0[2 : 2 + n] = d.prior_att
    x0[2 + n : 2 + 2 * n] = d.prior_def
    res = optimize.minimize(_objective, x0, args=(d, inv_var), jac=True, method="L-BFGS-B")
    mu, home, att, dfn, la, ld = _unpack(res.x, n, nl)
    lam_h = np.exp(mu + home * d.home_on + att[hi] - dfn[ai])
    lam_a = np.exp(mu + att[ai] - dfn[hi])
    # posterior sd (Laplace, diagonal): Fisher information of each parameter plus the prior's
    info_att = np.bincount(hi, w * lam_h, n) + np.bincount(ai, w * lam_a, n) + inv_var
    info_def = np.bincount(ai, w * lam_h, n) + np.bincount(hi, w * lam_a, n) + inv_var
    played = np.bincount(hi, minlength=n) + np.bincount(ai, minlength=n)
    rho = 0.0
    if dixon_coles and len(obs):
        rho = _fit_rho(d.hg, d.ag, lam_h, lam_a, w)
    index = {c: i for i, c in enumerate(d.clubs)}
    return PoissonRatings(
        float(mu),
        float(home),
        {c: float(att[i]) for c, i in index.items()},
        {c: float(dfn[i]) for c, i in index.items()},
        {c: float(1 / math.sqrt(info_att[i])) for c, i in index.items()},
        {c: float(1 / math.sqrt(info_def[i])) for c, i in index.items()},
        tuple(float(v) for v in la),
        tuple(float(v) for v in ld),
        prior_sd,
        levels,
        rho,
        {c: int(played[i]) for c, i in index.items()},
    )


def _fit_rho(
    hg: np.ndarray, ag: np.ndarray, lh: np.ndarray, la: np.ndarray, w: np.ndarray
) -> float:
    def nll(rho: float) -> float:
        tau = np.ones_like(lh)
        m00 = (hg == 0) & (ag == 0)
        m01 = (hg == 0) & (ag == 1)
        m10 = (hg == 1) & (ag == 0)
        m11 = (hg == 1) & (ag == 1)
        tau[m00] = 1 - lh[m00] * la[m00] * rho
        tau[m01] = 1 + lh[m01] * rho
        tau[m10] = 1 + la[m10] * rho
        tau[m11] = 1 - rho
        if (tau <= 0).any():
            return 1e18
        return float(-(w * np.log(tau)).sum())

    got = optimize.minimize_scalar(nll, bounds=(-0.3, 0.3), method="bounded")
    return float(got.x)


# ------------------------------------------------------------------------------- Elo


def margin_multiplier(margin: int) -> float:
    """How much more a win by ``margin`` goals moves a rating: 1 + ln(margin) / 2.

    >>> margin_multiplier(1), round(margin_multiplier(22), 2)
    (1.0, 2.55)
    """
    return 1.0 if margin <= 1 else 1.0 + math.log(margin) / 2


@dataclass
class EloRatings(GoalModel):
    """Elo ratings with home advantage, and the goal means fitted to them."""

    ratings: dict[str, float]
    home_advantage: float = 60.0
    k: float = 30.0
    #: goals: home mean exp(mu + home + beta * d / 2), away exp(mu − beta * d / 2), d = Δ/400
    mu: float = 0.2
    home: float = 0.2
    beta: float = 1.0
    levels: dict[str, int] = field(default_factory=dict)
    level_start: tuple[float, ...] = (1500.0,) * len(LEVELS)

    def rating(self, club: str) -> float:
        r = self.ratings.get(club)
        if r is None:
            return self.level_start[self.levels.get(club, 0)]
        return r

    def means(self, home: str, away: str, neutral: bool = False) -> tuple[float, float]:
        d = (self.rating(home) - self.rating(away) + (0 if neutral else self.home_advantage)) / 400
        adv = 0.0 if neutral else self.home
        return (
            math.exp(self.mu + adv + self.beta * d / 2),
            math.exp(self.mu - self.beta * d / 2),
        )


def fit_elo(
    obs: Sequence[Observation],
    levels: Mapping[str, int] | None = None,
    *,
    k: float = 30.0,
    home_advantage: float = 60.0,
    level_step: float = 50.0,
    previous: EloRatings | None = None,
    carry: float = 2 / 3,
) -> EloRatings:
    """Run Elo over ``obs`` in time order, then fit the goal means to the pre-match ratings.

    Clubs start at 1500 + ``level_step`` × their level (or at last season's
    rating, ``carry`` of the way from 1500, with ``previous``).
    """
    levels = dict(levels or {})
    start = tuple(1500.0 + level_step * i for i in range(len(LEVELS)))
    ratings: dict[str, float] = {}

    def get(c: str) -> float:
        if c not in ratings:
            if previous is not None and c in previous.ratings:
                ratings[c] = 1500 + carry * (previous.ratings[c] - 1500)
            else:
                ratings[c] = start[levels.get(c, 0)]
        return ratings[c]

    diffs = []
    for o in obs:
        rh, ra = get(o.home), get(o.away)
        adv = 0.0 if o.neutral else home_advantage
        diffs.append((rh - ra + adv) / 400)
        expected = 1 / (1 + 10 ** (-(rh - ra + adv) / 400))
        actual = (
            1.0 if o.home_goals > o.away_goals else 0.5 if o.home_goals == o.away_goals else 0.0
        )
        delta = k * margin_multiplier(abs(o.home_goals - o.away_goals)) * (actual - expected)
        ratings[o.home] = rh + delta
        ratings[o.away] = ra - delta
    model = EloRatings(ratings, home_advantage, k, levels=levels, level_start=start)
    if obs:
        d = np.array(diffs)
        hg = np.minimum(np.array([o.home_goals for o in obs], float), CAP)
        ag = np.minimum(np.array([o.away_goals for o in obs], float), CAP)
        on = np.array([0.0 if o.neutral else 1.0 for o in obs])

        def nll(x: np.ndarray) -> float:
            eh = x[0] + x[1] * on + x[2] * d / 2
            ea = x[0] - x[2] * d / 2
            return float((np.exp(eh) - hg * eh + np.exp(ea) - ag * ea).sum() + 0.01 * x[2] ** 2)

        got = optimize.minimize(nll, np.array([0.2, 0.2, 1.0]), method="Nelder-Mead")
        model.mu, model.home, model.beta = (float(v) for v in got.x)
    return model


# --------------------------------------------------------------------------- helpers


def fit_season(
    season: Season, *, half_life: float | None = None, previous: PoissonRatings | None = None
) -> PoissonRatings:
    """The Poisson model fitted on every rated match of ``season``."""
    return fit_poisson(
        observations(season), club_levels(season), half_life=half_life, previous=previous
    )


def clubs_of(obs: Iterable[Observation]) -> set[str]:
    return {c for o in obs for c in (o.home, o.away)}
