"""The vectorised simulator: thousands of runs of the rest of a season at once.

The season's remaining structure is compiled once into a list of stage
programs; a *chunk* of runs then plays every program on numpy arrays of shape
(runs, …): each slot of a round holds a club id per run, goals are Poisson
draws from per-run strengths, tables and ties are decided by kernels.

**One definition of each rule.** The kernels only cover what they can decide
exactly the way :mod:`copa.core` does: a table ordered by the record fields at
the head of its chain (points, goal difference, goals, wins), a tie decided by
aggregate, points, away goals, extra time, penalties, a deciding match or lots,
best losers and best-placed clubs ranked by record fields then lots. Whenever
a run has clubs level on those fields where a place depends on it, that run's
group is handed to the core engine (:func:`copa.core.standings.table` with the
group's own chain: head-to-head, deciding matches, lots), which is the only
definition of those steps. Draws with keep-apart constraints are made by
:mod:`copa.core.draw` and :mod:`copa.core.grouping` for each run. The test
suite replays runs through :func:`copa.core.resolve.resolve_round` and checks
that every table, winner and qualifier agrees, run for run
(:meth:`RoundProgram.core_round`).

Penalty shoot-outs and drawings of lots are 50/50. Extra time lasts a third of
a match (goal means divided by 3), where the tie's chain asks for it before a
shoot-out, as in :mod:`copa.core.simulate`.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from copa.core.criteria import CRITERIA
from copa.core.draw import DrawError, draw_pairs, keep_apart_by, seeded_pairs
from copa.core.fixtures import fixture_pairs
from copa.core.group import Group, GroupRules
from copa.core.grouping import balanced_sizes
from copa.core.match import Match, MatchStatus, Score
from copa.core.points import PointsScheme
from copa.core.pyramid import Level, Pyramid, PyramidFormat, RoundSpec, TieSpec, plan_for
from copa.core.qualification import BestPlaced, best_placed
from copa.core.resolve import SINGLE_MATCH, ResolveCache, resolve, resolve_round
from copa.core.season import Season
from copa.core.simulate import _between
from copa.core.stage import Advance, Round, Stage
from copa.core.tie import Tie, TieRules, resolve_tie
from copa.forecast.draws import draw_apart, draw_seeded

__all__ = ["Model", "Program", "Unsupported", "all_names", "compile_season"]

#: record fields the kernels rank on (a prefix of a chain made of these is vectorised)
FIELDS = ("points", "goal_difference", "goals_for", "goals_against", "wins")
TIE_STEPS = (
    "aggregate",
    "score",
    "goal_difference",
    "points",
    "away_goals",
    "extra_time",
    "penalties",
    "deciding_match",
    "lots",
)


class Unsupported(ValueError):
    """The season uses something the vectorised engine does not cover (use the core path)."""


@dataclass(frozen=True)
class Model:
    """What the simulator needs from a rating: per-club means and sds, and two scalars."""

    clubs: tuple[str, ...]
    attack: np.ndarray
    defence: np.ndarray
    attack_sd: np.ndarray
    defence_sd: np.ndarray
    mu: float
    home: float

    @classmethod
    def from_ratings(cls, ratings: Any, clubs: Sequence[str], sample: bool = True) -> Model:
        rows = [ratings.strength(c) for c in clubs]
        arr = np.array(rows, dtype=np.float64).reshape(len(clubs), 4)
        sd = arr[:, 2:] if sample else np.zeros_like(arr[:, 2:])
        return cls(tuple(clubs), arr[:, 0], arr[:, 1], sd[:, 0], sd[:, 1], ratings.mu, ratings.home)

    @classmethod
    def fixed(
        cls, clubs: Sequence[str], strength: Mapping[str, float], mu: float, home: float
    ) -> Model:
        """Known strengths, no uncertainty (the same value for attack and defence)."""
        s = np.array([strength.get(c, 0.0) for c in clubs], dtype=np.float64)
        z = np.zeros_like(s)
        return cls(tuple(clubs), s, s.copy(), z, z.copy(), mu, home)

    def sample(
        self, rng: np.random.Generator, runs: int, live: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Each run's strengths: mean + sd × normal, drawn for the ``live`` clubs only."""
        att = np.empty((runs, len(self.clubs)))
        dfn = np.empty((runs, len(self.clubs)))
        att[:] = self.attack
        dfn[:] = self.defence
        cols = np.arange(len(self.clubs)) if live is None else live
        if len(cols):
            att[:, cols] += self.attack_sd[cols] * rng.standard_normal((runs, len(cols)))
            dfn[:, cols] += self.defence_sd[cols] * rng.standard_normal((runs, len(cols)))
        return att, dfn


def _name_index(owner: object, names: Sequence[str]) -> dict[str, int]:
    """Each name's id, worked out once per ``owner`` (kept in its ``__dict__``)."""
    cache = owner.__dict__
    got: dict[str, int] | None = cache.get("_index")
    if got is None:
        got = {n: i for i, n in enumerate(names)}
        cache["_index"] = got
    return got


# ------------------------------------------------------------------------ the chunk


@dataclass
class Chunk:
    """The state of one chunk of runs while its programs play."""

    rng: np.random.Generator
    runs: int
    att: np.ndarray
    dfn: np.ndarray
    mu: float
    home: float
    names: tuple[str, ...]
    places: dict[str, np.ndarray] = field(default_factory=dict)
    #: per-run random priority of each club for drawings of lots (lower draws first)
    lots: np.ndarray | None = None
    matches: int = 0
    fallbacks: int = 0
    trace: dict[tuple[str, str], Any] | None = None

    def means(
        self, home: np.ndarray, away: np.ndarray, neutral: np.ndarray | bool
    ) -> tuple[np.ndarray, np.ndarray]:
        """Goal means of per-run club ids ``home`` v ``away`` (arrays of one shape)."""
        n = self.att.shape[1]
        off = (np.arange(self.runs) * n).reshape((-1,) + (1,) * (home.ndim - 1))
        fh = home + off
        fa = away + off
        att = self.att.reshape(-1)
        dfn = self.dfn.reshape(-1)
        adv = (
            np.where(neutral, 0.0, self.home)
            if isinstance(neutral, np.ndarray)
            else (0.0 if neutral else self.home)
        )
        lh = np.exp(self.mu + adv + att[fh] - dfn[fa])
        la = np.exp(self.mu + att[fa] - dfn[fh])
        return lh, la

    def index(self) -> dict[str, int]:
        return _name_index(self, self.names)

    def name_rank(self) -> np.ndarray:
        """Each club id's rank among the names sorted (the core's order for level clubs)."""
        got: np.ndarray | None = self.__dict__.get("_name_rank")
        if got is None:
            got = np.empty(len(self.names), dtype=np.int64)
            got[sorted(range(len(self.names)), key=self.names.__getitem__)] = np.arange(
                len(self.names)
            )
            self.__dict__["_name_rank"] = got
        return got

    def priority(self) -> np.ndarray:
        if self.lots is None:
            self.lots = self.rng.random((self.runs, len(self.names)))
        return self.lots

    def single(self, home: np.ndarray, away: np.ndarray) -> tuple[np.ndarray, ...]:
        """One-off neutral matches: 90 minutes, extra time, 50/50 shoot-out.

        Returns goals (home, away) after 90, extra-time goals, and whether home won.
        """
        lh, la = self.means(home, away, True)
        gh = self.rng.poisson(lh)
        ga = self.rng.poisson(la)
        eh = self.rng.poisson(lh / 3)
        ea = self.rng.poisson(la / 3)
        pens = self.rng.random(home.shape) < 0.5
        level = gh == ga
        eh = np.where(level, eh, 0)
        ea = np.where(level, ea, 0)
        th, ta = gh + eh, ga + ea
        home_won = np.where(th != ta, th > ta, pens)
        self.matches += int(home.size)
        return gh, ga, eh, ea, level, home_won


@dataclass
class RoundOut:
    clubs: np.ndarray
    qualifiers: np.ndarray
    #: club ids of each group in table order
    orders: list[np.ndarray] = field(default_factory=list)
    winners: np.ndarray | None = None
    losers: np.ndarray | None = None


# ----------------------------------------------------------------------- groups


@dataclass
class GroupProgram:
    name: str
    offset: int
    size: int
    legs: int
    rules: GroupRules
    home: np.ndarray  # local slot of each fixture's home side
    away: np.ndarray
    neutral: np.ndarray
    fixed_home: np.ndarray  # goals when already played, else -1
    fixed_away: np.ndarray
    adjust: np.ndarray  # points adjustment per slot
    deciders: tuple[Match, ...] = ()
    recorded_lots: tuple[str, ...] = ()
    statuses: tuple[MatchStatus, ...] = ()

    def _cached(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, bool]:
        """Compiled once: home and away incidence (fixtures x slots) of the fixtures that count
        once played, both sides', which fixtures count, which are to play, and whether all are."""
        got: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, bool] | None = (
            self.__dict__.get("_cache")
        )
        if got is None:
            m = len(self.home)
            counts = self.fixed_home >= -1  # every listed fixture that counts once played
            sim = self.fixed_home < 0
            hm = np.zeros((m, self.size))
            am = np.zeros((m, self.size))
            hm[np.arange(m), self.home] = counts
            am[np.arange(m), self.away] = counts
            got = (hm, am, counts, sim, bool(counts.all()), bool(sim.all()))
            self.__dict__["_cache"] = got
        return got

    def scores(self, ch: Chunk, gc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Every fixture's goals (home, away) in every run: those played, the rest drawn."""
        _, _, _, sim, _, all_sim = self._cached()
        if all_sim:
            # the group's strengths first, then per fixture: as Chunk.means, fewer gathers
            att = np.take_along_axis(ch.att, gc, 1)
            dfn = np.take_along_axis(ch.dfn, gc, 1)
            adv = np.where(self.neutral, 0.0, ch.home)
            lh = np.exp(ch.mu + adv + att[:, self.home] - dfn[:, self.away])
            la = np.exp(ch.mu + att[:, self.away] - dfn[:, self.home])
            ch.matches += int(lh.size)
            return ch.rng.poisson(lh), ch.rng.poisson(la)
        hg = np.broadcast_to(self.fixed_home, (ch.runs, len(self.home))).copy()
        ag = np.broadcast_to(self.fixed_away, (ch.runs, len(self.home))).copy()
        if sim.any():
            hc = gc[:, self.home[sim]]
            ac = gc[:, self.away[sim]]
            lh, la = ch.means(hc, ac, self.neutral[sim])
            hg[:, sim] = ch.rng.poisson(lh)
            ag[:, sim] = ch.rng.poisson(la)
            ch.matches += int(hc.size)
        return hg, ag

    def records(self, hg: np.ndarray, ag: np.ndarray) -> dict[str, np.ndarray]:
        """Each slot's points, goals for and against and wins; goals and points per fixture
        ("hg", "ag", "ph", "pa": zero where a fixture does not count)."""
        hm, am, counts, _, all_count, _ = self._cached()
        if all_count:
            hgm, agm = hg.astype(np.float64), ag.astype(np.float64)
        else:
            hgm = np.where(counts, hg, 0).astype(np.float64)
            agm = np.where(counts, ag, 0).astype(np.float64)
        sch = self.rules.scheme
        hw, aw = hgm > agm, hgm < agm
        dr = ~(hw | aw)
        if not all_count:
            dr &= counts
        ph = sch.win * hw + sch.draw * dr + sch.loss * aw
        pa = sch.win * aw + sch.draw * dr + sch.loss * hw
        won = (hw @ hm + aw @ am).astype(np.int64)
        pts = (ph @ hm + pa @ am).astype(np.int64) + self.adjust
        gf = (hgm @ hm + agm @ am).astype(np.int64)
        ga = (agm @ hm + hgm @ am).astype(np.int64)
        return {
            "pts": pts,
            "gf": gf,
            "ga": ga,
            "won": won,
            "hg": hgm,
            "ag": agm,
            "ph": ph,
            "pa": pa,
        }


def _fast_prefix(chain: Sequence[str]) -> tuple[tuple[str, ...], str]:
    """The leading record-field criteria of ``chain`` and what follows: "", "lots" or "core"."""
    fields: list[str] = []
    for i, name in enumerate(chain):
        if name in FIELDS:
            fields.append(name)
            continue
        rest = tuple(chain[i:])
        return tuple(fields), "lots" if rest == ("lots",) else "core"
    return tuple(fields), ""


def _key(values: Mapping[str, np.ndarray], fields: Sequence[str]) -> np.ndarray:
    key = np.zeros(next(iter(values.values())).shape, dtype=np.int64)
    for f in fields:
        v = values[f].astype(np.int64)
        key = key * 4096 + (v - 2048 if f == "goals_against" else v + 2048)
    return key


def _values(pts: np.ndarray, gf: np.ndarray, ga: np.ndarray, won: np.ndarray) -> dict[str, Any]:
    return {
        "points": pts,
        "goal_difference": gf - ga,
        "goals_for": gf,
        "goals_against": -ga + 4096,  # higher ranks first: fewer conceded
        "wins": won,
    }


def rank_rows(
    key: np.ndarray,
    then: str,
    prio: np.ndarray | None,
    boundaries: Sequence[int],
    needed: int,
    names: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Order each row by ``key`` (higher first), the way :func:`copa.core.standings.rank` does.

    Returns the order (indices) and a mask of rows the core must rank because
    clubs are level on the key where a position up to ``needed`` depends on it
    and the chain goes on with criteria the kernel does not cover (``then`` is
    "core"). With ``then`` "lots", level blocks that straddle a qualification
    line are ordered by ``prio`` (the drawing of lots). Other level blocks are
    ordered by club name, as the core's are (``names``: each column's rank in
    the sorted names; without it, listed order).
    """
    rows, n = key.shape
    if names is None:
        order = np.argsort(-key, axis=1, kind="stable")
    else:
        order = np.lexsort((names, -key), axis=1)
    sk = np.take_along_axis(key, order, 1)
    level = sk[:, 1:] == sk[:, :-1]  # level[i]: positions i and i+1 (0-based) level
    fallback = np.zeros(rows, dtype=bool)
    if not level.any():
        return order, fallback
    if then == "core":
        if needed:
            fallback = level[:, : min(needed, n - 1)].any(axis=1)
        return order, fallback
    if then == "lots" and prio is not None:
        # block of each sorted position
        block = np.concatenate([np.zeros((rows, 1), dtype=np.int64), np.cumsum(~level, 1)], 1)
        straddle = np.zeros((rows, n), dtype=bool)
        for b in boundaries:
            if not 0 < b < n:
                continue
            # positions b-1 and b (0-based) in one block: that block straddles line b
            cross = block[:, b - 1] == block[:, b]
            straddle |= cross[:, None] & (block == block[:, b - 1 : b])
        sp = np.take_along_axis(prio, order, 1)
        # within each block: straddling blocks by lots, others as sorted already
        after = np.broadcast_to(np.arange(n, dtype=np.float64) + 10.0, (rows, n))
        secondary = np.where(straddle, sp, after)
        re = np.lexsort((secondary, block), axis=1)
        order = np.take_along_axis(order, re, 1)
    return order, fallback


# ----------------------------------------------------------------------- ties


@dataclass
class TieProgram:
    a: int  # slots of the two clubs (a hosts the first leg unless the legs say otherwise)
    b: int
    legs_home_a: tuple[bool, ...]
    neutral: tuple[bool, ...]
    fixed: tuple[tuple[int, int] | None, ...]  # goals (home, away) of legs already played
    rules: TieRules
    fixed_et: tuple[int, int] | None = None
    fixed_pens: tuple[int, int] | None = None
    fixed_winner: int | None = None  # 0: a, 1: b (a tie already decided)
    label: str = ""


@dataclass
class RoundProgram:
    stage: str
    name: str
    size: int
    advance: Advance
    groups: list[GroupProgram] = field(default_factory=list)
    ties: list[TieProgram] = field(default_factory=list)
    #: how the slots are filled: ("fixed", clubs), ("entrants",), ("groups", sizes, label),
    #: ("pairs", method, ...)
    maker: tuple[Any, ...] = ("fixed",)
    fixed_clubs: np.ndarray | None = None
    spec_rules: str = ""

    # ---------------------------------------------------------------- groups
    def play_groups(self, ch: Chunk, clubs: np.ndarray, out: RoundOut) -> None:
        adv = self.advance
        bounds, needed = self._lines()
        records: list[dict[str, np.ndarray]] = []
        traces = []
        for g in self.groups:
            gc = clubs[:, g.offset : g.offset + g.size]
            hg, ag = g.scores(ch, gc)
            rec = g.records(hg, ag)
            order, extra = self._rank_group(ch, g, gc, hg, ag, rec, bounds, needed)
            out.orders.append(np.take_along_axis(gc, order, 1))
            rec.update(clubs=gc, order=order)
            records.append(rec)
            traces.append((hg, ag, extra))
        if ch.trace is not None:
            ch.trace[(self.stage, self.name)] = ("groups", clubs, traces)
        # qualifiers: place by place across groups, then the best-placed
        qual = [o[:, p] for p in range(adv.top) for o in out.orders if p < o.shape[1]]
        for spec in adv.best:
            qual.extend(self._best_placed(ch, spec, out.orders, records, traces, bounds))
        out.qualifiers = np.stack(qual, 1) if qual else np.zeros((ch.runs, 0), dtype=np.int64)

    def _lines(self) -> tuple[list[int], int]:
        """The round's qualification lines, and how many places a kernel must get right."""
        adv = self.advance
        bounds = sorted(adv.boundaries())
        needed = max([adv.top, *(b.place for b in adv.best), 1])
        if any(b.fair for b in adv.best) and len({g.size for g in self.groups}) > 1:
            # fair records count the matches among the top of the smallest group's size
            needed = max(needed, min(g.size for g in self.groups))
        return bounds, needed

    def _rank_group(
        self,
        ch: Chunk,
        g: GroupProgram,
        gc: np.ndarray,
        hg: np.ndarray,
        ag: np.ndarray,
        rec: dict[str, np.ndarray],
        bounds: Sequence[int],
        needed: int,
    ) -> tuple[np.ndarray, dict[int, tuple[Group, Any]]]:
        """Each run's table order (local slots) by the kernels; runs they cannot settle go to
        the core. Returns the order and, per run the core or a deciding match settled, the
        core group and table (for the replay and the best-placed)."""
        fields, then = _fast_prefix(g.rules.chain)
        decided: dict[int, Match] = {}
        if g.deciders or g.recorded_lots:
            order = np.tile(np.arange(g.size), (ch.runs, 1))
            fb = np.ones(ch.runs, dtype=bool)
        else:
            vals = _values(rec["pts"], rec["gf"], rec["ga"], rec["won"])
            key = _key(vals, fields) if fields else np.zeros_like(rec["pts"])
            prio = np.take_along_axis(ch.priority(), gc, 1) if then == "lots" else None
            order, fb = rank_rows(key, then, prio, bounds, needed, ch.name_rank()[gc])
            rest = tuple(g.rules.chain[len(fields) :])
            if fb.any() and rest in (("head_to_head",), ("head_to_head", "lots")):
                self._head_to_head(
                    ch,
                    g,
                    key,
                    order,
                    fb,
                    rec["hg"],
                    rec["ag"],
                    rec["ph"],
                    rec["pa"],
                    gc,
                    rest,
                    bounds,
                )
            if fb.any() and rest[:1] == ("deciding_match",) and self._plain_best():
                decided = self._decide_pairs(ch, key, order, fb, gc, bounds, needed)
        extra: dict[int, tuple[Group, Any]] = {}
        if ch.trace is not None:  # the deciding matches played here, for the core replay
            for r, m in decided.items():
                dg = replace(
                    self.core_group(ch.names, g, gc[r], hg[r], ag[r], ch.priority()[r]),
                    deciders=(m,),
                )
                extra[r] = (dg, dg.table(bounds))
        fb_rows = np.flatnonzero(fb)
        if len(fb_rows):
            order = order.copy()
        for r in fb_rows.tolist():
            ch.fallbacks += 1
            got, grp = self._core_group(ch, g, gc[r], hg[r], ag[r], r, bounds)
            pos = {int(c): i for i, c in enumerate(gc[r])}
            order[r] = [pos[int(c)] for c in got]
            extra[r] = grp
        return order, extra

    def _plain_best(self) -> bool:
        """Best-placed selections ranked by record fields (the kernel's own path)."""
        return all(_fast_prefix(b.chain)[1] != "core" for b in self.advance.best)

    def _decide_pairs(
        self,
        ch: Chunk,
        key: np.ndarray,
        order: np.ndarray,
        fb: np.ndarray,
        gc: np.ndarray,
        bounds: Sequence[int],
        needed: int,
    ) -> dict[int, Match]:
        """Clubs level at a qualification line play a deciding match, every run at once.

        As :func:`copa.core.criteria` has it (``deciding_match`` right after the
        record fields): runs whose only level block up to ``needed`` straddles a
        line play one neutral match (90 minutes, extra time, a 50/50 shoot-out,
        as the core's simulator does) between the block's first two clubs by
        name, as the core asks for it; the winner goes first. With three or more
        level, the rest of the block comes after the winner, which the kernel
        only settles where the rest straddles no line and places no club up to
        ``needed``. Other runs stay with the core (``fb``). Returns, when tracing,
        the deciding match of each run settled.
        """
        rows = np.flatnonzero(fb)
        n = order.shape[1]
        o = order[rows]
        sk = np.take_along_axis(key[rows], o, 1)
        level = sk[:, 1:] == sk[:, :-1]
        upto = min(needed, n - 1)
        line = np.zeros(n + 1, dtype=bool)  # line[b]: a qualification line after place b
        for b in bounds:
            if 0 < b < n:
                line[b] = True
        head = level[:, :upto]
        i = np.argmax(head, 1)  # the block starts at position i (0-based) ...
        pos = np.arange(n)[None, :]
        brk = ~np.concatenate([level, np.zeros((len(rows), 1), dtype=bool)], 1)
        j = np.argmax(brk & (pos >= i[:, None]), 1)  # ... and ends at position j
        others = (head & (pos[:, :upto] >= j[:, None])).any(1)
        cum = np.cumsum(line)  # cum[b]: lines after places 1..b
        straddles = cum[j] - cum[i] > 0  # a line after place b, i < b <= j
        # three or more level: the rest of the block after the winner is the core's to order
        rest = (j - i == 1) | ((cum[j] - cum[i + 1] == 0) & (i + 1 >= needed))
        ok = head.any(1) & ~others & straddles & rest
        if not ok.any():
            return {}
        rows, o, i = rows[ok], o[ok], i[ok]
        r_idx = np.arange(len(rows))
        la, lb = o[r_idx, i], o[r_idx, i + 1]
        ca, cb = gc[rows, la], gc[rows, lb]
        names = ch.names
        # the core plays the first two of the block in name order ("a deciding match
        # between A and B [and C]"); the kernel's level blocks are in name order already
        swap_names = np.array([names[x] > names[y] for x, y in zip(ca, cb, strict=True)])
        home = np.where(swap_names, cb, ca)
        away = np.where(swap_names, ca, cb)
        sub = Chunk(ch.rng, len(rows), ch.att[rows], ch.dfn[rows], ch.mu, ch.home, names)
        gh, ga, eh, ea, lv, home_won = sub.single(home[:, None], away[:, None])
        ch.matches += sub.matches
        a_first = home_won[:, 0] != swap_names  # the club at place i won
        o[r_idx, i] = np.where(a_first, la, lb)
        o[r_idx, i + 1] = np.where(a_first, lb, la)
        order[rows] = o
        fb[rows] = False
        out: dict[int, Match] = {}
        if ch.trace is not None:
            for k, r in enumerate(rows.tolist()):
                out[r] = _single_match(
                    names[home[k]],
                    names[away[k]],
                    int(gh[k, 0]),
                    int(ga[k, 0]),
                    int(eh[k, 0]),
                    int(ea[k, 0]),
                    bool(lv[k, 0]),
                    bool(home_won[k, 0]),
                )
        return out

    def _head_to_head(
        self,
        ch: Chunk,
        g: GroupProgram,
        key: np.ndarray,
        order: np.ndarray,
        fb: np.ndarray,
        hg: np.ndarray,
        ag: np.ndarray,
        ph: np.ndarray,
        pa: np.ndarray,
        gc: np.ndarray,
        rest: tuple[str, ...],
        bounds: Sequence[int],
    ) -> None:
        """Head-to-head between two level clubs, for every run at once (in place).

        Runs whose level blocks are all pairs are settled here: the two clubs'
        points, goal difference and goals in their own matches, then lots where
        the pair straddles a line (else they keep their listed order), as
        :func:`copa.core.standings.rank` does; blocks of three or more stay
        with the core (``fb`` keeps them).
        """
        rows = np.flatnonzero(fb)
        s = g.size
        o = order[rows]
        sk = np.take_along_axis(key[rows], o, 1)
        level = sk[:, 1:] == sk[:, :-1]
        triple = (level[:, :-1] & level[:, 1:]).any(1) if s > 2 else np.zeros(len(rows), bool)
        ok = ~triple
        rows, o, level = rows[ok], o[ok], level[ok]
        if not len(rows):
            return
        n = len(rows)
        base = (np.arange(n) * s * s)[:, None]
        hi = base + g.home[None, :] * s + g.away[None, :]
        ai = base + g.away[None, :] * s + g.home[None, :]
        size = n * s * s
        hp = np.bincount(hi.ravel(), ph[rows].ravel(), size) + np.bincount(
            ai.ravel(), pa[rows].ravel(), size
        )
        hgf = np.bincount(hi.ravel(), hg[rows].ravel(), size) + np.bincount(
            ai.ravel(), ag[rows].ravel(), size
        )
        hp = hp.reshape(n, s, s)
        hgf = hgf.reshape(n, s, s)
        prio = np.take_along_axis(ch.priority()[rows], gc[rows], 1) if rest[-1] == "lots" else None
        r_idx = np.arange(n)
        for i in range(s - 1):
            m = level[:, i]
            if not m.any():
                continue
            x, y = o[:, i], o[:, i + 1]
            px, py = hp[r_idx, x, y], hp[r_idx, y, x]
            gx, gy = hgf[r_idx, x, y], hgf[r_idx, y, x]
            kx = np.stack([px, gx - gy, gx], 1)
            ky = np.stack([py, gy - gx, gy], 1)
            diff = kx != ky
            first = np.argmax(diff, 1)
            anyd = diff.any(1)
            y_first = anyd & (ky[r_idx, first] > kx[r_idx, first])
            if prio is not None and (i + 1) in bounds:
                eq = ~anyd
                y_first |= eq & (prio[r_idx, y] < prio[r_idx, x])
            swap = m & y_first
            o[swap, i], o[swap, i + 1] = y[swap], x[swap]
        order[rows] = o
        fb[rows] = False

    def _core_group(
        self,
        ch: Chunk,
        g: GroupProgram,
        clubs: np.ndarray,
        hg: np.ndarray,
        ag: np.ndarray,
        run: int,
        bounds: Sequence[int],
    ) -> tuple[np.ndarray, tuple[Group, Any]]:
        """Rank one run's group with the core engine, playing deciders and lots it asks for."""
        group = self.core_group(ch.names, g, clubs, hg, ag, ch.priority()[run])
        rng = random.Random(int(ch.rng.integers(2**62)))
        ids = {ch.names[c]: int(c) for c in clubs}
        t = group.table(bounds)
        for _ in range(20):
            if not t.pending:
                break
            group = self._supply(ch, group, t.pending, rng, run)
            t = group.table(bounds)
        order = np.array([ids[s.club] for s in t.standings], dtype=np.int64)
        return order, (group, t)

    def _supply(
        self, ch: Chunk, g: Group, pending: Sequence[str], rng: random.Random, run: int
    ) -> Group:
        for p in pending:
            block = _between(p, "a deciding match between ", g.clubs)
            if block is not None:
                a, b = block[0], block[1]
                idx = ch.index()
                ha = np.array([[idx[a]]])
                hb = np.array([[idx[b]]])
                sub = Chunk(
                    ch.rng,
                    1,
                    ch.att[run : run + 1],
                    ch.dfn[run : run + 1],
                    ch.mu,
                    ch.home,
                    ch.names,
                )
                gh, ga, eh, ea, level, home_won = sub.single(ha, hb)
                m = _single_match(
                    a,
                    b,
                    int(gh[0, 0]),
                    int(ga[0, 0]),
                    int(eh[0, 0]),
                    int(ea[0, 0]),
                    bool(level[0, 0]),
                    bool(home_won[0, 0]),
                )
                return replace(g, deciders=(*g.deciders, m))
            block = _between(p, "a drawing of lots between ", g.clubs)
            if block is not None:
                new = [c for c in block if c not in g.lots]
                rng.shuffle(new)
                return replace(g, lots=(*g.lots, *new))
        raise Unsupported(f"{self.stage}, {self.name}: the core cannot settle {pending[0]!r}")

    @staticmethod
    def core_group(
        names: Sequence[str],
        g: GroupProgram,
        clubs: np.ndarray,
        hg: np.ndarray,
        ag: np.ndarray,
        prio: np.ndarray | None = None,
    ) -> Group:
        """One run's group as core data; ``prio`` (per club id) gives its drawing of lots."""
        members = tuple(names[c] for c in clubs)
        matches = []
        for i in range(len(g.home)):
            h, a = members[g.home[i]], members[g.away[i]]
            status = g.statuses[i] if g.statuses else MatchStatus.PLAYED
            if g.fixed_home[i] < -1:  # listed but never counts (annulled, not played)
                matches.append(Match(h, a, status=status))
                continue
            st = MatchStatus.PLAYED if status is MatchStatus.SCHEDULED else status
            matches.append(
                Match(h, a, Score(int(hg[i]), int(ag[i])), status=st, neutral=bool(g.neutral[i]))
            )
        adj = tuple(_adjustment(members[i], int(g.adjust[i])) for i in range(g.size) if g.adjust[i])
        lots = g.recorded_lots
        if prio is not None and not lots and g.rules.chain and g.rules.chain[-1] == "lots":
            lots = tuple(members[i] for i in np.argsort(prio[clubs], kind="stable"))
        return Group(g.name, members, tuple(matches), g.rules, g.legs, g.deciders, lots, adj)

    def _best_placed(
        self,
        ch: Chunk,
        spec: BestPlaced,
        orders: list[np.ndarray],
        records: list[dict[str, np.ndarray]],
        traces: list[Any],
        bounds: Sequence[int],
    ) -> list[np.ndarray]:
        sizes = [g.size for g in self.groups]
        cands = [(gi, o) for gi, o in enumerate(orders) if spec.place <= o.shape[1]]
        if not cands:
            return []
        smallest = min(sizes)
        fields, then = _fast_prefix(spec.chain)
        if then == "core":
            return self._best_placed_core(ch, spec, records, traces, bounds)
        cols: dict[str, list[np.ndarray]] = {
            k: [] for k in ("points", "goal_difference", "goals_for", "goals_against", "wins")
        }
        ids = []
        R = ch.runs
        for gi, o in cands:
            club = o[:, spec.place - 1]
            rec = records[gi]
            g = self.groups[gi]
            lorder = rec["order"]
            cand = lorder[:, spec.place - 1]  # the candidate's local slot
            # as copa.core.qualification.best_placed: the candidate's record over the
            # group's matches, and with ``fair`` in a larger group only those among the
            # clubs placed within the smallest group's size
            use = np.ones((R, len(g.home)), dtype=bool)
            if spec.fair and g.size > smallest:
                rankpos = np.empty_like(lorder)
                np.put_along_axis(rankpos, lorder, np.arange(g.size)[None, :], 1)
                inset = rankpos < smallest
                use = inset[:, g.home] & inset[:, g.away]
            at_home = (g.home[None, :] == cand[:, None]) & use
            away = (g.away[None, :] == cand[:, None]) & use
            hg, ag = rec["hg"], rec["ag"]
            pts = (rec["ph"] * at_home + rec["pa"] * away).sum(1).round().astype(np.int64)
            gf = (hg * at_home + ag * away).sum(1).round().astype(np.int64)
            ga = (ag * at_home + hg * away).sum(1).round().astype(np.int64)
            won = (((hg > ag) & at_home) | ((ag > hg) & away)).sum(1).astype(np.int64)
            v = _values(pts, gf, ga, won)
            for k in cols:
                cols[k].append(v[k])
            ids.append(club)
        stacked = {k: np.stack(v, 1) for k, v in cols.items()}
        cid = np.stack(ids, 1)
        key = _key(stacked, fields)
        prio = np.take_along_axis(ch.priority(), cid, 1)
        order, _ = rank_rows(key, then, prio, [spec.count], spec.count, ch.name_rank()[cid])
        chosen = np.take_along_axis(cid, order, 1)[:, : spec.count]
        return [chosen[:, i] for i in range(chosen.shape[1])]

    def _best_placed_core(
        self,
        ch: Chunk,
        spec: BestPlaced,
        records: list[dict[str, np.ndarray]],
        traces: list[Any],
        bounds: Sequence[int],
    ) -> list[np.ndarray]:
        """Best-placed clubs the core way, run by run (groups of unequal sizes: "fair" records)."""
        idx = ch.index()
        prio = ch.priority()
        chosen = np.zeros((ch.runs, spec.count), dtype=np.int64)
        for r in range(ch.runs):
            groups = []
            tables = []
            for g, rec, (hg, ag, extra) in zip(self.groups, records, traces, strict=True):
                if r in extra:
                    grp, tab = extra[r]
                else:
                    grp = self.core_group(
                        ch.names, g, rec["clubs"][r], hg[r], ag[r], ch.priority()[r]
                    )
                    tab = grp.table(bounds)
                groups.append(grp)
                tables.append(tab)
            cands = [t.club_at(spec.place) for t in tables if spec.place <= len(t.standings)]
            lots = sorted(cands, key=lambda c: prio[r, idx[c]])
            sel = best_placed(groups, tables, spec, lots)
            chosen[r] = [idx[c] for c in sel.chosen]
        ch.fallbacks += ch.runs
        return [chosen[:, i] for i in range(spec.count)]

    # ------------------------------------------------------------------ ties
    def play_ties(self, ch: Chunk, clubs: np.ndarray, out: RoundOut) -> None:
        R = ch.runs
        T = len(self.ties)
        win = np.zeros((R, T), dtype=np.int64)
        lose = np.zeros((R, T), dtype=np.int64)
        rec = (
            {k: np.zeros((R, T), dtype=np.int64) for k in ("pts", "gf", "ga", "wins")}
            if self.advance.best_losers
            else {}
        )
        details: list[tuple[dict[str, Any], int]] = [({}, 0)] * T
        batches: dict[tuple[Any, ...], list[int]] = {}
        for ti, t in enumerate(self.ties):
            sig = (t.rules, t.legs_home_a, t.neutral, t.fixed_winner)
            batches.setdefault(sig, []).append(ti)
        for members in batches.values():
            cols = np.array(members)
            ca, cb = (
                clubs[:, [self.ties[i].a for i in members]],
                clubs[:, [self.ties[i].b for i in members]],
            )
            d = self._play_batch(ch, [self.ties[i] for i in members], ca, cb)
            a_won = d["a_won"]
            win[:, cols] = np.where(a_won, ca, cb)
            lose[:, cols] = np.where(a_won, cb, ca)
            # the loser's record over the tie's matches (final scores, deciding match included)
            if self.advance.best_losers:
                for k in rec:
                    rec[k][:, cols] = np.where(a_won, d["b_" + k], d["a_" + k])
            for j, ti in enumerate(members):
                details[ti] = (d, j)
        out.winners, out.losers = win, lose
        qual = [win[:, i] for i in range(T)] if self.advance.winners else []
        n = self.advance.best_losers
        if n:
            fields, then = _fast_prefix(self.advance.best_losers_chain)
            if then == "core":
                raise Unsupported(f"{self.stage}, {self.name}: best-loser chain")
            v = _values(rec["pts"], rec["gf"], rec["ga"], rec["wins"])
            key = _key(v, fields)
            prio = np.take_along_axis(ch.priority(), lose, 1)
            order, _ = rank_rows(key, then, prio, [n], n, ch.name_rank()[lose])
            chosen = np.take_along_axis(lose, order, 1)[:, :n]
            qual.extend(chosen[:, i] for i in range(n))
        out.qualifiers = np.stack(qual, 1) if qual else np.zeros((R, 0), dtype=np.int64)
        if ch.trace is not None:
            ch.trace[(self.stage, self.name)] = ("ties", clubs, details)

    def _play_batch(
        self, ch: Chunk, ties: list[TieProgram], ca: np.ndarray, cb: np.ndarray
    ) -> dict[str, Any]:
        """Play ties sharing rules and leg layout: arrays (runs, ties[, legs])."""
        R, T = ca.shape
        t0 = ties[0]
        if t0.fixed_winner is not None:
            a_won = np.broadcast_to(np.array([t.fixed_winner == 0 for t in ties]), (R, T))
            z = np.zeros((R, T), dtype=np.int64)
            return {
                "a_won": a_won,
                **{f"{s}_{k}": z for s in "ab" for k in ("pts", "gf", "ga", "wins")},
            }
        ga_leg, gb_leg, lam_last = _leg_goals(ch, ties, ca, cb)
        res = _decide_ties(ch, ties, ca, cb, ga_leg, gb_leg, lam_last)
        if undecided := res.pop("undecided"):
            raise Unsupported(
                f"{self.stage}, {self.name}: a tie level on every step of {undecided}"
            )
        res.update(legs_a=ga_leg, legs_b=gb_leg)
        res.update(_tie_records(t0, res, self.advance.best_losers > 0 or ch.trace is not None))
        return res

    # ------------------------------------------------------------ core replay
    def core_round(
        self, names: Sequence[str], trace: Any, run: int, lots: Sequence[str] = ()
    ) -> Round:
        """This round of run ``run`` as core data, for :func:`copa.core.resolve.resolve_round`."""
        kind, clubs, details = trace[:3]
        c = clubs[run]
        if kind == "groups":
            groups = []
            rank = {club: i for i, club in enumerate(lots)}
            for g, (hg, ag, extra) in zip(self.groups, details, strict=True):
                if run in extra:
                    groups.append(extra[run][0])
                    continue
                gc = c[g.offset : g.offset + g.size]
                grp = self.core_group(names, g, gc, hg[run], ag[run])
                if g.rules.chain and g.rules.chain[-1] == "lots":  # lots the kernel drew
                    grp = replace(grp, lots=tuple(sorted(grp.clubs, key=rank.__getitem__)))
                groups.append(grp)
            return Round(self.name, tuple(groups), (), replace(self.advance, lots=tuple(lots)))
        ties = []
        for t, (d, j) in zip(self.ties, details, strict=True):
            a, b = names[c[t.a]], names[c[t.b]]
            if t.fixed_winner is not None:
                raise ValueError("a decided tie is not replayed")
            legs = []
            n = len(t.legs_home_a)
            for i in range(n):
                xa, xb = int(d["legs_a"][run, j, i]), int(d["legs_b"][run, j, i])
                h, aw, s = (a, b, Score(xa, xb)) if t.legs_home_a[i] else (b, a, Score(xb, xa))
                et = pens = None
                if i == n - 1:
                    if d["et_played"][run, j]:
                        ea, eb = int(d["et_a"][run, j]), int(d["et_b"][run, j])
                        et = (
                            Score(xa + ea, xb + eb) if t.legs_home_a[i] else Score(xb + eb, xa + ea)
                        )
                    if d["pens_used"][run, j]:
                        pa = bool(d["pens_a"][run, j])
                        pens = (
                            (Score(5, 4) if pa else Score(4, 5))
                            if t.legs_home_a[i]
                            else (Score(4, 5) if pa else Score(5, 4))
                        )
                legs.append(Match(h, aw, s, et, pens, neutral=t.neutral[i]))
            decider = None
            if "dec" in d and d["dec_used"][run, j]:
                gh, gaw, eh, ea, level, hw = (x[run, j] for x in d["dec"])
                decider = _single_match(
                    a, b, int(gh), int(gaw), int(eh), int(ea), bool(level), bool(hw)
                )
            tlots = None
            if d["lots_used"][run, j]:
                tlots = a if d["a_won"][run, j] else b
            ties.append(Tie((a, b), tuple(legs), t.rules, decider, tlots))
        return Round(self.name, (), tuple(ties), replace(self.advance, lots=tuple(lots)))


def _leg_goals(
    ch: Chunk, ties: list[TieProgram], ca: np.ndarray, cb: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
    """Goals of a and b in every leg after 90 minutes, (runs, ties, legs), legs already played
    as recorded; and the goal means of the last leg (for extra time)."""
    R, T = ca.shape
    t0 = ties[0]
    L = len(t0.legs_home_a)
    # every leg's goals of both sides in one Poisson call: means (legs, side, runs, ties)
    n = ch.att.shape[1]
    off = (np.arange(R) * n)[:, None]
    ia, ib = ca + off, cb + off
    att, dfn = ch.att.reshape(-1), ch.dfn.reshape(-1)
    xa = att[ia] - dfn[ib]  # a's attack against b's defence
    xb = att[ib] - dfn[ia]
    lam = np.empty((L, 2, R, T))
    for i in range(L):
        adv = 0.0 if t0.neutral[i] else ch.home
        home_a = t0.legs_home_a[i]
        np.add(xa, ch.mu + (adv if home_a else 0.0), out=lam[i, 0])
        np.add(xb, ch.mu + (0.0 if home_a else adv), out=lam[i, 1])
    np.exp(lam, out=lam)
    goals = ch.rng.poisson(lam)
    ch.matches += R * T * L
    for i in range(L):
        fixed = [t.fixed[i] for t in ties]
        if any(f is not None for f in fixed):
            home_a = t0.legs_home_a[i]
            fh = np.array([f[0] if f is not None else -1 for f in fixed])
            fa_ = np.array([f[1] if f is not None else -1 for f in fixed])
            fxa, fxb = (fh, fa_) if home_a else (fa_, fh)
            goals[i, 0] = np.where(fxa >= 0, fxa, goals[i, 0])
            goals[i, 1] = np.where(fxb >= 0, fxb, goals[i, 1])
            ch.matches -= R * int((fh >= 0).sum())
    ga_leg = np.moveaxis(goals[:, 0], 0, -1)
    gb_leg = np.moveaxis(goals[:, 1], 0, -1)
    return ga_leg, gb_leg, (lam[L - 1, 0], lam[L - 1, 1])


def _decide_ties(
    ch: Chunk,
    ties: list[TieProgram],
    ca: np.ndarray,
    cb: np.ndarray,
    ga_leg: np.ndarray,
    gb_leg: np.ndarray,
    lam_last: tuple[np.ndarray, np.ndarray],
) -> dict[str, Any]:
    """The tie's chain step by step on every run still level: who went through, and what
    it took (extra time, shoot-out, deciding match, lots). "undecided": the chain, if some
    run was level on every step."""
    R, T = ca.shape
    t0 = ties[0]
    L = len(t0.legs_home_a)
    sch = t0.rules.scheme
    chain = t0.rules.chain
    agg_a, agg_b = ga_leg.sum(2), gb_leg.sum(2)
    undecided = np.ones((R, T), dtype=bool)
    a_won = np.zeros((R, T), dtype=bool)
    z, zi = np.zeros((R, T), dtype=bool), np.zeros((R, T), dtype=np.int64)
    res: dict[str, Any] = dict(et_a=zi, et_b=zi, et_played=z, pens_a=z, pens_used=z)
    res.update(lots_used=z, dec_used=z)

    def settle(va: np.ndarray, vb: np.ndarray) -> None:
        nonlocal undecided, a_won
        diff = undecided & (va != vb)
        a_won = a_won | (diff & (va > vb))
        undecided = undecided & ~diff

    def coin() -> np.ndarray:
        got: np.ndarray = ch.rng.random((R, T)) < 0.5
        return got

    for si, step in enumerate(chain):
        if not undecided.any():
            break
        if step in ("aggregate", "score", "goal_difference"):
            settle(agg_a, agg_b)
        elif step == "points":
            pa = np.where(ga_leg > gb_leg, sch.win, np.where(ga_leg == gb_leg, sch.draw, sch.loss))
            pb = np.where(gb_leg > ga_leg, sch.win, np.where(ga_leg == gb_leg, sch.draw, sch.loss))
            settle(pa.sum(2), pb.sum(2))
        elif step == "away_goals":
            if L < 2:
                continue
            away_a = ga_leg[:, :, [i for i in range(L) if not t0.legs_home_a[i]]].sum(2)
            away_b = gb_leg[:, :, [i for i in range(L) if t0.legs_home_a[i]]].sum(2)
            settle(away_a, away_b)
        elif step == "extra_time":
            et = _extra_time(ch, ties, "penalties" in chain[si + 1 :], undecided, lam_last)
            if et is None:
                continue
            res.update(et_played=et[0], et_a=et[1], et_b=et[2])
            settle(agg_a + et[1], agg_b + et[2])
        elif step == "penalties":
            won = _recorded_shootouts(ties, coin())
            res.update(pens_a=won, pens_used=undecided.copy())
            settle(won.astype(np.int64), (~won).astype(np.int64))
        elif step == "deciding_match":
            dec = ch.single(ca, cb)
            res.update(dec=dec, dec_used=undecided.copy())
            settle(dec[5].astype(np.int64), (~dec[5]).astype(np.int64))
        elif step == "lots":
            won = coin()
            res.update(lots_used=undecided.copy())
            settle(won.astype(np.int64), (~won).astype(np.int64))
        else:
            raise Unsupported(f"tie step {step!r}")
    res["a_won"] = a_won
    res["undecided"] = chain if undecided.any() else ()
    return res


def _recorded_shootouts(ties: list[TieProgram], coin: np.ndarray) -> np.ndarray:
    """Whether a won each shoot-out: as recorded where the tie's last leg had one, else 50/50."""
    fixed_pens = [t.fixed_pens for t in ties]
    if not any(f is not None for f in fixed_pens):
        return coin
    has = np.array([f is not None for f in fixed_pens])
    val = np.array([f is not None and f[0] > f[1] for f in fixed_pens])
    got: np.ndarray = np.where(has, val, coin)
    return got


def _extra_time(
    ch: Chunk,
    ties: list[TieProgram],
    shootout_next: bool,
    undecided: np.ndarray,
    lam_last: tuple[np.ndarray, np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """Extra time where it is played: (played, goals of a, goals of b). Drawn for the runs
    still level when a shoot-out follows (a third of the last leg's means, as in
    :mod:`copa.core.simulate`); recorded where the tie's last leg had it. None: no extra time."""
    R, T = undecided.shape
    fixed_et = [t.fixed_et for t in ties]
    recorded = np.array([f is not None for f in fixed_et])
    if not shootout_next and not recorded.any():
        return None
    ea = np.zeros((R, T), dtype=np.int64)
    eb = np.zeros((R, T), dtype=np.int64)
    if shootout_next:
        ea[undecided] = ch.rng.poisson(lam_last[0][undecided] / 3)
        eb[undecided] = ch.rng.poisson(lam_last[1][undecided] / 3)
    play_now = undecided.copy()
    if recorded.any():
        ra = np.array([f[0] if f is not None else 0 for f in fixed_et])
        rb = np.array([f[1] if f is not None else 0 for f in fixed_et])
        ea = np.where(recorded, ra, ea)
        eb = np.where(recorded, rb, eb)
        play_now = play_now | recorded
    return play_now, np.where(play_now, ea, 0), np.where(play_now, eb, 0)


def _tie_records(t0: TieProgram, res: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """Both sides' records over the tie's matches (final scores: extra time counts; the
    deciding match too), for best losers and the core replay."""
    ga_leg, gb_leg = res["legs_a"], res["legs_b"]
    R, T = ga_leg.shape[:2]
    if not wanted:
        z = np.zeros((R, T), dtype=np.int64)
        a_pts = b_pts = a_gf = b_gf = a_wins = b_wins = z
    else:
        ts = t0.rules.scheme

        def pts(x: np.ndarray, y: np.ndarray) -> np.ndarray:
            return np.where(x > y, ts.win, np.where(x == y, ts.draw, ts.loss))

        fa = ga_leg.copy()
        fb = gb_leg.copy()
        fa[:, :, -1] += res["et_a"]
        fb[:, :, -1] += res["et_b"]
        a_pts, b_pts = pts(fa, fb).sum(2), pts(fb, fa).sum(2)
        a_gf, b_gf = fa.sum(2), fb.sum(2)
        a_wins, b_wins = (fa > fb).sum(2), (fb > fa).sum(2)
        if "dec" in res:
            used = res["dec_used"]
            gh, gaw, eh, ea, _, _ = res["dec"]
            th, ta = gh + eh, gaw + ea
            a_pts = a_pts + np.where(used, pts(th, ta), 0)
            b_pts = b_pts + np.where(used, pts(ta, th), 0)
            a_gf = a_gf + np.where(used, th, 0)
            b_gf = b_gf + np.where(used, ta, 0)
            a_wins = a_wins + (used & (th > ta))
            b_wins = b_wins + (used & (ta > th))
    return {
        "a_pts": a_pts,
        "b_pts": b_pts,
        "a_gf": a_gf,
        "b_gf": b_gf,
        "a_wins": a_wins,
        "b_wins": b_wins,
        "a_ga": b_gf,
        "b_ga": a_gf,
    }


def _lookup(keys: np.ndarray, values: np.ndarray, query: np.ndarray, n: int) -> np.ndarray:
    """Row by row, the value of each ``query`` id among ``keys`` (ids below ``n``); -1: absent."""
    R, m = keys.shape
    off = (np.arange(R, dtype=np.int64) * n)[:, None]
    order = np.argsort(keys, axis=1)
    flat = (np.take_along_axis(keys, order, 1) + off).ravel()
    q = (query + off).ravel()
    at = np.minimum(np.searchsorted(flat, q), flat.size - 1)
    found = flat[at] == q
    rows = at // m
    cols = order.ravel()[at]
    got = np.where(found, values[rows, cols], -1)
    return got.reshape(query.shape)


def deal_groups(
    rng: np.random.Generator, clubs: np.ndarray, codes: np.ndarray, sizes: Sequence[int]
) -> np.ndarray:
    """:func:`copa.core.grouping.draw_groups` for every run at once (the same distribution).

    As the core's draw: labels in a random order, the most common first, each
    label's clubs shuffled, unlabelled clubs (code -1) shuffled at the end; this
    line is dealt round the groups, largest groups first in a random order,
    skipping full ones. Returns each run's clubs group by group (groups in
    ``sizes`` order), each group in the order it was dealt.
    """
    R, n = clubs.shape
    loose = codes < 0
    c = np.where(loose, 0, codes)
    L = int(c.max()) + 1 if c.size else 1
    count = np.zeros((R, L), dtype=np.int64)
    np.add.at(count, (np.repeat(np.arange(R), n), c.ravel()), (~loose).ravel().astype(np.int64))
    cnt = np.where(loose, 0, np.take_along_axis(count, c, 1))
    label_key = np.where(loose, 0.0, np.take_along_axis(rng.random((R, L)), c, 1))
    member_key = rng.random((R, n))
    line = np.lexsort((member_key, c, label_key, -cnt, loose.astype(np.int64)), axis=1)
    G = len(sizes)
    sz = np.array(sizes, dtype=np.int64)
    slot = np.lexsort((rng.random((R, G)), np.broadcast_to(-sz, (R, G))), axis=1)
    # the dealing pattern over slot ranks is fixed by the sorted sizes
    ranked = sorted(sizes, reverse=True)
    target, place = [], []
    for k in range(max(sizes)):
        for rank, size in enumerate(ranked):
            if size > k:
                target.append(rank)
                place.append(k)
    group = slot[:, target]  # (R, n): the group each line position goes to
    offsets = np.concatenate([[0], np.cumsum(sz)[:-1]])
    dest = offsets[group] + np.array(place, dtype=np.int64)[None, :]
    out = np.empty_like(clubs)
    np.put_along_axis(out, dest, np.take_along_axis(clubs, line, 1), 1)
    return out


def _adjustment(club: str, points: int) -> Any:
    from copa.core.group import Adjustment

    return Adjustment(club, points)


def _single_match(
    a: str, b: str, gh: int, ga: int, eh: int, ea: int, level: bool, home_won: bool
) -> Match:
    s = Score(gh, ga)
    if not level:
        return Match(a, b, s, neutral=True)
    et = Score(gh + eh, ga + ea)
    pens = None
    if et.home == et.away:
        pens = Score(5, 4) if home_won else Score(4, 5)
    return Match(a, b, s, et, pens, neutral=True)


# ------------------------------------------------------------------------ stages


@dataclass
class StageProgram:
    name: str
    rounds: list[RoundProgram]
    #: the entrants of the first round to build: ("fixed", ids) or ("refs", [(stage, place)])
    entrants: tuple[Any, ...]
    #: how the stage's places come out: ("fixed", ids), ("final",), ("league",),
    #: ("lots",), ("single",)
    places: tuple[Any, ...]
    labels: dict[str, np.ndarray] = field(default_factory=dict)
    sources: tuple[tuple[str, int], ...] = ()


@dataclass
class Program:
    """A compiled season: what is left to play, as stage programs in season order."""

    season: Season
    names: tuple[str, ...]
    stages: list[StageProgram]
    final_stage: str
    promotions: tuple[tuple[int, str], ...]
    rounds: list[tuple[str, str, int]]  # (stage, round, places) of every round, in order
    pyramid_seed: int = 0
    #: ids of the clubs that may still play a match
    live: np.ndarray | None = None
    #: the format that draws the rounds still to come (for runs the core plays)
    pyramid_format: PyramidFormat | None = None

    def index(self) -> dict[str, int]:
        return _name_index(self, self.names)

    def run(self, ch: Chunk, counts: Counts) -> None:
        C = len(self.names)
        for sp in self.stages:
            prev: RoundOut | None = None
            for rp in sp.rounds:
                clubs = self._make(ch, sp, rp, prev)
                out = RoundOut(clubs, np.zeros((ch.runs, 0), dtype=np.int64))
                if rp.maker[0] == "done":
                    out = rp.maker[1]
                    out = RoundOut(
                        np.broadcast_to(out[0], (ch.runs, len(out[0]))),
                        np.broadcast_to(out[1], (ch.runs, len(out[1]))),
                        [np.broadcast_to(o, (ch.runs, len(o))) for o in out[2]],
                        None if out[3] is None else np.broadcast_to(out[3], (ch.runs, len(out[3]))),
                    )
                elif rp.groups:
                    rp.play_groups(ch, clubs, out)
                else:
                    rp.play_ties(ch, clubs, out)
                if ch.trace is not None and (sp.name, rp.name) in ch.trace:
                    ch.trace[(sp.name, rp.name)] = (*ch.trace[(sp.name, rp.name)][:3], out)
                counts.add_reach(f"{sp.name}/{rp.name}", out.clubs, C)
                for o in out.orders:
                    counts.add(f"group:{sp.name}/{rp.name}", o[:, 0], C)
                prev = out
            places = self._places(ch, sp, prev)
            ch.places[sp.name] = places
            if places.shape[1]:
                counts.add(f"place:{sp.name}", places[:, 0], C)
        final = ch.places.get(self.final_stage)
        if final is not None and final.shape[1]:
            counts.add("champion", final[:, 0], C)
            for place, _ in self.promotions:
                if place <= final.shape[1]:
                    counts.add("promoted", final[:, place - 1], C)

    # ------------------------------------------------------------ making rounds
    def _make(
        self, ch: Chunk, sp: StageProgram, rp: RoundProgram, prev: RoundOut | None
    ) -> np.ndarray:
        kind = rp.maker[0]
        R = ch.runs
        if kind in ("fixed", "done"):
            assert rp.fixed_clubs is not None
            return np.broadcast_to(rp.fixed_clubs, (R, len(rp.fixed_clubs)))
        clubs_in = self._entrants(ch, sp) if prev is None else prev.qualifiers
        if kind == "groups":
            _, sizes, label = rp.maker
            if len(sizes) == 1:
                return clubs_in
            codes = self._codes(ch, sp, label, clubs_in, prev)
            if codes is None:
                perm = np.argsort(ch.rng.random(clubs_in.shape), axis=1)
                return np.take_along_axis(clubs_in, perm, 1)
            return deal_groups(ch.rng, clubs_in, codes, sizes)
        method = rp.maker[1]
        if method == "draw":
            return self._draw(ch, sp, rp, clubs_in, prev)
        if method == "seeded":
            n = clubs_in.shape[1]
            pattern = [
                i for p in seeded_pairs([str(i) for i in range(n)]).pairs for i in map(int, p)
            ]
            return clubs_in[:, pattern]
        if method == "slots":
            refs = rp.maker[2]
            cols = [ch.places[s][:, p - 1] for s, p in refs]
            return np.stack(cols, 1)
        if method in ("bracket", "fold"):
            assert prev is not None and prev.winners is not None
            w = prev.winners
            half = w.shape[1] // 2
            if method == "bracket":
                pattern = [i for k in range(half) for i in (2 * k, 2 * k + 1)]
            else:
                pattern = [i for k in range(half) for i in (k, w.shape[1] - 1 - k)]
            return w[:, pattern]
        if method == "crossover":
            assert prev is not None
            cols = []
            for ga, gb in zip(prev.orders[::2], prev.orders[1::2], strict=True):
                cols += [ga[:, 0], gb[:, 1], gb[:, 0], ga[:, 1]]
            return np.stack(cols, 1)
        raise Unsupported(f"pairing {method!r}")

    def _draw(
        self,
        ch: Chunk,
        sp: StageProgram,
        rp: RoundProgram,
        clubs_in: np.ndarray,
        prev: RoundOut | None,
    ) -> np.ndarray:
        """A drawn knockout round: every run's ties, clubs in tie order."""
        _, _, label, seeded = rp.maker
        codes = self._codes(ch, sp, label, clubs_in, prev)
        seeds = None
        if seeded and prev is not None and prev.orders:
            winners = np.stack([o[:, 0] for o in prev.orders], 1)
            if winners.shape[1] <= clubs_in.shape[1] // 2:
                seeds = winners
        # a run with no seeds and no two clubs sharing a label: the core's draw is then a
        # shuffled pot paired in order (copa.core.draw.draw_pairs), i.e. a random permutation
        if codes is None and seeds is None:
            perm = np.argsort(ch.rng.random(clubs_in.shape), axis=1)
            return np.take_along_axis(clubs_in, perm, 1)
        # the same ceremony on arrays (copa.forecast.draws); the core draws what is left
        if seeds is not None:
            out, left = draw_seeded(ch.rng, clubs_in, codes, seeds)
        else:
            assert codes is not None
            out, left = draw_apart(ch.rng, clubs_in, codes)
        for r in np.flatnonzero(left).tolist():
            out[r] = self._core_draw(ch, clubs_in[r], None if codes is None else codes[r], seeds, r)
        return out

    def _core_draw(
        self,
        ch: Chunk,
        clubs: np.ndarray,
        codes: np.ndarray | None,
        seeds: np.ndarray | None,
        r: int,
    ) -> list[int]:
        """One run's draw by :func:`copa.core.draw.draw_pairs`; constraints it cannot meet are
        dropped, keep-apart first, as the core's advance does."""
        names = [self.names[c] for c in clubs]
        keep = None
        if codes is not None:
            apart: dict[str, int | None] = {
                self.names[c]: (int(k) if k >= 0 else None)
                for c, k in zip(clubs.tolist(), codes.tolist(), strict=True)
            }
            keep = keep_apart_by(apart)
        top = [self.names[c] for c in seeds[r]] if seeds is not None else []
        seed = int(ch.rng.integers(2**62))
        try:
            dr = draw_pairs(names, seed, keep_apart=keep, seeded=top)
        except DrawError:
            try:
                dr = draw_pairs(names, seed, seeded=top)
            except DrawError:
                dr = draw_pairs(names, seed)
        idx = self.index()
        return [idx[c] for pair in dr.pairs for c in pair]

    def _entrants(self, ch: Chunk, sp: StageProgram) -> np.ndarray:
        if sp.entrants[0] == "fixed":
            ids = sp.entrants[1]
            return np.broadcast_to(ids, (ch.runs, len(ids)))
        cols = [ch.places[s][:, p - 1] for s, p in sp.entrants[1]]
        return np.stack(cols, 1)

    def _codes(
        self, ch: Chunk, sp: StageProgram, label: str, clubs_in: np.ndarray, prev: RoundOut | None
    ) -> np.ndarray | None:
        """Each entrant's label (department, source, group, ...) as a code; -1: none."""
        if not label:
            return None
        if label in sp.labels:
            table = self._label_codes(label, sp.labels[label])
            got: np.ndarray = table[clubs_in]
            return got
        if label in ("source", "place") and sp.sources:
            ents = self._entrants(ch, sp)
            if label == "source":
                src = {s: i for i, s in enumerate(dict.fromkeys(s for s, _ in sp.sources))}
                col = np.array([src[s] for s, _ in sp.sources], dtype=np.int64)
            else:
                col = np.array([p for _, p in sp.sources], dtype=np.int64)
            return _lookup(ents, np.broadcast_to(col, ents.shape), clubs_in, len(self.names))
        if label == "group" and prev is not None and prev.orders:
            keys = np.concatenate(prev.orders, 1)
            col = np.concatenate([np.full(o.shape[1], gi) for gi, o in enumerate(prev.orders)])
            return _lookup(keys, np.broadcast_to(col, keys.shape), clubs_in, len(self.names))
        return None

    def _label_codes(self, label: str, table: np.ndarray) -> np.ndarray:
        cache: dict[str, np.ndarray] = self.__dict__.setdefault("_label_cache", {})
        got = cache.get(label)
        if got is None:
            values = ["" if v is None else str(v) for v in table.tolist()]
            ids = {v: i for i, v in enumerate(sorted(set(values) - {""}))}
            got = np.array([ids.get(v, -1) for v in values], dtype=np.int64)
            cache[label] = got
        return got

    def _places(self, ch: Chunk, sp: StageProgram, last: RoundOut | None) -> np.ndarray:
        kind = sp.places[0]
        R = ch.runs
        if kind == "fixed":
            return np.broadcast_to(sp.places[1], (R, len(sp.places[1])))
        assert last is not None
        if kind == "final":
            assert last.winners is not None and last.losers is not None
            return np.stack([last.winners[:, 0], last.losers[:, 0]], 1)
        if kind in ("league", "single"):
            return last.qualifiers
        if kind == "lots":
            q = last.qualifiers
            perm = np.argsort(ch.rng.random(q.shape), axis=1)
            return np.take_along_axis(q, perm, 1)
        return np.zeros((R, 0), dtype=np.int64)


# ------------------------------------------------------------------------ counts


class Counts:
    """How many runs each club reached each round, place and title (summed over chunks).

    Kept sparse: per key, the ids of the clubs counted and their counts (a
    pyramid of 20,000 clubs has thousands of rounds, each reached by a few).
    :attr:`table` gives the dense arrays.
    """

    def __init__(self) -> None:
        self.sparse: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self.n = 0
        self.runs = 0
        self.matches = 0
        #: groups (or best-placed selections) of one run handed to the core engine
        self.fallbacks = 0
        #: whole runs played through the core engine (what the kernels do not cover)
        self.core_runs = 0
        #: places of the rounds the core runs played ("STAGE/ROUND" -> clubs)
        self.places: dict[str, int] = {}

    def add(self, key: str, clubs: np.ndarray, n: int) -> None:
        a = np.asarray(clubs)
        self.n = max(self.n, n)
        if a.ndim and a.shape[0] > 1 and a.strides[0] == 0:  # the same clubs in every run
            got = np.bincount(a[0].ravel(), minlength=n) * a.shape[0]
        else:
            got = np.bincount(a.ravel(), minlength=n)
        ids = np.flatnonzero(got)
        self._put(key, ids, got[ids])

    def _put(self, key: str, ids: np.ndarray, cnt: np.ndarray) -> None:
        have = self.sparse.get(key)
        if have is None:
            self.sparse[key] = (ids, cnt)
            return
        hi, hc = have
        if len(hi) == len(ids) and (hi == ids).all():
            self.sparse[key] = (hi, hc + cnt)
            return
        allid = np.concatenate([hi, ids])
        u, inv = np.unique(allid, return_inverse=True)
        tot = np.zeros(len(u), dtype=np.int64)
        np.add.at(tot, inv, np.concatenate([hc, cnt]))
        self.sparse[key] = (u, tot)

    def add_reach(self, key: str, clubs: np.ndarray, n: int) -> None:
        self.add("reach:" + key, clubs, n)

    @property
    def table(self) -> dict[str, np.ndarray]:
        out = {}
        for k, (ids, cnt) in self.sparse.items():
            d = np.zeros(self.n, dtype=np.int64)
            d[ids] = cnt
            out[k] = d
        return out

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray] | None:
        return self.sparse.get(key)

    def merge(self, other: Counts) -> None:
        self.n = max(self.n, other.n)
        for k, (ids, cnt) in other.sparse.items():
            self._put(k, ids, cnt)
        self.runs += other.runs
        self.matches += other.matches
        self.fallbacks += other.fallbacks
        self.core_runs += other.core_runs
        for k, v in other.places.items():
            self.places.setdefault(k, v)


# ---------------------------------------------------------------------- compiling


def compile_season(
    season: Season, pyramid: Pyramid | None = None, cache: ResolveCache | None = None
) -> Program:
    """Compile what is left of ``season`` (the format of ``pyramid`` draws rounds not drawn yet;
    ``cache``: a resolve cache shared with an earlier resolution of the same state)."""
    names = all_names(season)
    idx = {n: i for i, n in enumerate(names)}
    result = resolve(season, cache)
    fmt = pyramid.format if pyramid is not None else None
    stages: list[StageProgram] = []
    rounds_listed: list[tuple[str, str, int]] = []
    clubs_by = {c.name: c for c in season.clubs}
    shared_labels = {
        lab: np.array(
            [getattr(clubs_by[n], lab, "") if n in clubs_by else "" for n in names], dtype=object
        )
        for lab in ("department", "province", "district", "region")
    }
    for stage, sr in zip(season.stages, result.stages, strict=True):
        rps: list[RoundProgram] = []
        if stage.entrants_from:
            refs = [_ref(r) for r in stage.entrants_from]
            entrants: tuple[Any, ...] = ("refs", refs)
            n_in = len(refs)
        else:
            ents = stage.entrants or (stage.rounds[0].clubs if stage.rounds else ())
            entrants = ("fixed", np.array([idx[c] for c in ents], dtype=np.int64))
            n_in = len(ents)
        for rnd, rr in zip(stage.rounds, sr.rounds, strict=True):
            rp = _compile_round(stage.name, rnd, rr, idx)
            rps.append(rp)
        plan_rounds: tuple[RoundSpec, ...] = ()
        level: Level | None = None
        decided = sr.places_by != "undecided"
        if fmt is not None and not decided:
            level = _level(fmt, stage.kind)
            if level is not None:
                plan_rounds = plan_for(level, stage.unit or stage.region, n_in).rounds
                for spec in plan_rounds[len(stage.rounds) :]:
                    rps.append(_compile_spec(stage.name, spec, fmt, rps, n_in))
        # places
        if decided:
            places: tuple[Any, ...] = (
                "fixed",
                np.array([idx[c] for c in sr.places], dtype=np.int64),
            )
        elif stage.places is not None:
            places = ("fixed", np.array([idx[c] for c in stage.places.order], dtype=np.int64))
        else:
            places = _places_kind(stage, rps, fmt, level, n_in)
        labels = shared_labels
        sources = tuple(_ref(r) for r in stage.entrants_from)
        stages.append(StageProgram(stage.name, rps, entrants, places, labels, sources))
        for rp in rps:
            rounds_listed.append((stage.name, rp.name, rp.size))
    final = season.stages[-1].name if season.stages else ""
    live: set[int] = set()
    for sp in stages:
        if all(rp.maker[0] == "done" for rp in sp.rounds) and sp.places[0] == "fixed":
            live.update(int(c) for c in sp.places[1])
            continue
        if sp.entrants[0] == "fixed":
            live.update(int(c) for c in sp.entrants[1])
        for rp in sp.rounds:
            if rp.fixed_clubs is not None:
                live.update(int(c) for c in rp.fixed_clubs)
        if sp.places[0] == "fixed":
            live.update(int(c) for c in sp.places[1])
    return Program(
        season,
        names,
        stages,
        final,
        tuple((p.place, p.destination) for p in season.promotions),
        rounds_listed,
        pyramid.seed if pyramid else 0,
        np.array(sorted(live), dtype=np.int64),
        fmt,
    )


def _places_kind(
    stage: Stage, rps: list[RoundProgram], fmt: PyramidFormat | None, level: Level | None, n_in: int
) -> tuple[Any, ...]:
    if not rps:
        return ("none",)
    last = rps[-1]
    if len(last.ties) == 1 and not last.groups:
        return ("final",)
    if len(last.groups) == 1 and not last.ties and not last.advance.best:
        return ("league",)
    if level is not None:
        plan = plan_for(level, stage.unit or stage.region, n_in)
        if plan.places_by_lots:
            return ("lots",)
    return ("single",)


def _level(fmt: PyramidFormat, kind: str) -> Level | None:
    for lv in fmt.levels:
        if lv.kind == kind:
            return lv
    return None


def _ref(ref: str) -> tuple[str, int]:
    s, _, p = ref.rpartition("/")
    return s, int(p)


def all_names(season: Season) -> tuple[str, ...]:
    """Every club of ``season``, ids in this order (the season's clubs first)."""
    return tuple(dict.fromkeys([c.name for c in season.clubs] + _all_clubs(season)))


def _all_clubs(season: Season) -> list[str]:
    out: list[str] = []
    for st in season.stages:
        out.extend(st.entrants)
        for r in st.rounds:
            out.extend(r.clubs)
    return out


def _check_chain(chain: Sequence[str], where: str) -> None:
    for c in chain:
        if c not in CRITERIA:
            raise Unsupported(f"{where}: unknown criterion {c!r}")


def _check_advance(adv: Advance, where: str) -> None:
    if adv.best_losers and _fast_prefix(adv.best_losers_chain)[1] == "core":
        raise Unsupported(f"{where}: best losers ranked by {', '.join(adv.best_losers_chain)}")


def _compile_round(stage: str, rnd: Round, rr: Any, idx: Mapping[str, int]) -> RoundProgram:
    clubs = list(rnd.clubs)
    complete = (
        not rr.issues
        and all(m.status is not MatchStatus.SCHEDULED for g in rnd.groups for m in g.matches)
        and all(m.status is not MatchStatus.SCHEDULED for t in rnd.ties for m in t.legs)
    )
    rp = RoundProgram(stage, rnd.name, len(clubs), rnd.advance)
    rp.fixed_clubs = np.array([idx[c] for c in clubs], dtype=np.int64)
    if complete:
        orders = [
            np.array([idx[s.club] for s in g.table.standings], dtype=np.int64) for g in rr.groups
        ]
        winners = None
        if rnd.ties:
            winners = np.array([idx[t.winner] for t in rr.ties], dtype=np.int64)
        q = np.array([idx[c] for c in rr.qualifiers], dtype=np.int64)
        rp.maker = ("done", (rp.fixed_clubs, q, orders, winners))
        return rp
    where = f"{stage}, {rnd.name}"
    if rnd.advance.designated:
        raise Unsupported(f"{where}: clubs designated by the organizers")
    _check_advance(rnd.advance, where)
    slot = {c: i for i, c in enumerate(clubs)}
    rp.maker = ("fixed",)
    rp.groups.extend(_compile_group(g, slot, where) for g in rnd.groups)
    rp.ties.extend(
        _compile_tie(t, tr, slot, where) for t, tr in zip(rnd.ties, rr.ties, strict=True)
    )
    return rp


def _compile_group(g: Group, slot: Mapping[str, int], where: str) -> GroupProgram:
    """A group in play: its fixtures by local slot, the goals of those played."""
    _check_chain(g.rules.chain, f"{where}, {g.name}")
    off = slot[g.clubs[0]]
    local = {c: i for i, c in enumerate(g.clubs)}
    if [slot[c] for c in g.clubs] != list(range(off, off + len(g.clubs))):
        raise Unsupported(f"{where}: a club in two groups")
    fh, fa = [], []
    for m in g.matches:
        if m.status is MatchStatus.SCHEDULED:
            fh.append(-1)
            fa.append(-1)
        elif m.counts:
            s = m.final
            assert s is not None
            fh.append(s.home)
            fa.append(s.away)
        else:
            fh.append(-2)
            fa.append(-2)
    adj = np.zeros(len(g.clubs), dtype=np.int64)
    for adjustment in g.adjustments:
        adj[local[adjustment.club]] += adjustment.points
    return GroupProgram(
        g.name,
        off,
        len(g.clubs),
        g.legs,
        g.rules,
        np.array([local[m.home] for m in g.matches], dtype=np.int64),
        np.array([local[m.away] for m in g.matches], dtype=np.int64),
        np.array([m.neutral for m in g.matches], dtype=bool),
        np.array(fh, dtype=np.int64),
        np.array(fa, dtype=np.int64),
        adj,
        g.deciders,
        g.lots,
        tuple(m.status for m in g.matches),
    )


def _compile_tie(t: Tie, tr: Any, slot: Mapping[str, int], where: str) -> TieProgram:
    """A tie in play (or decided): its legs, the goals of those played."""
    for step in t.rules.chain:
        if step not in TIE_STEPS:
            raise Unsupported(f"{where}: tie step {step!r}")
    a, b = t.teams
    if tr.winner is not None and not tr.pending:
        return TieProgram(
            slot[a],
            slot[b],
            (True,),
            (False,),
            ((0, 0),),
            t.rules,
            fixed_winner=0 if tr.winner == a else 1,
        )
    if t.decider is not None or t.lots is not None:
        raise Unsupported(f"{where}: a tie with a recorded decider still open")
    fixed: list[tuple[int, int] | None] = []
    et = pens = None
    for i, leg in enumerate(t.legs):
        if leg.status is MatchStatus.SCHEDULED or leg.score is None:
            fixed.append(None)
            continue
        fixed.append((leg.score.home, leg.score.away))
        if i == len(t.legs) - 1 and leg.extra_time is not None:
            e = leg.extra_time
            da, db = e.home - leg.score.home, e.away - leg.score.away
            et = (da, db) if leg.home == a else (db, da)
        if i == len(t.legs) - 1 and leg.penalties is not None:
            p = leg.penalties
            pens = (p.home, p.away) if leg.home == a else (p.away, p.home)
    return TieProgram(
        slot[a],
        slot[b],
        tuple(leg.home == a for leg in t.legs),
        tuple(leg.neutral for leg in t.legs),
        tuple(fixed),
        t.rules,
        et,
        pens,
    )


def _compile_spec(
    stage: str, spec: RoundSpec, fmt: PyramidFormat, before: list[RoundProgram], entrants: int
) -> RoundProgram:
    """A round the format will draw (not drawn yet): its slots, groups or ties."""
    rules = fmt.rule_set(spec.rules)
    where = f"{stage}, {spec.name}"
    _check_advance(spec.advance, where)
    prev = before[-1] if before else None
    n_in = _qualifier_count(prev) if prev is not None else entrants
    if spec.groups is not None:
        return _spec_groups(stage, spec, rules.group_rules(), n_in, where)
    ts = spec.ties
    if ts is None:
        raise Unsupported(f"{where}: neither groups nor ties")
    for step in rules.tie:
        if step not in TIE_STEPS:
            raise Unsupported(f"{where}: tie step {step!r}")
    n, maker = _spec_pairing(ts, prev, n_in, where)
    if not n or n % 2:
        raise Unsupported(f"{where}: {n} clubs cannot be paired")
    rp = RoundProgram(stage, spec.name, n, spec.advance, maker=maker)
    tr = rules.tie_rules()
    for i in range(n // 2):
        a, b = (2 * i + 1, 2 * i) if ts.better_hosts_second else (2 * i, 2 * i + 1)
        legs = (True,) if ts.legs == 1 else (True, False)
        rp.ties.append(TieProgram(a, b, legs, (spec.neutral,) * len(legs), (None,) * len(legs), tr))
    return rp


def _spec_groups(
    stage: str, spec: RoundSpec, gr: GroupRules, n_in: int | None, where: str
) -> RoundProgram:
    gs = spec.groups
    assert gs is not None
    if gs.rivals:
        raise Unsupported(f"{where}: geographic rivals")
    n = n_in if n_in is not None else sum(gs.sizes)
    if n is None or n == 0:
        raise Unsupported(f"{where}: unknown number of clubs")
    sizes = (
        tuple(gs.sizes)
        if gs.sizes
        else balanced_sizes(n, gs.count or (-(-n // gs.max_size) if gs.max_size else 1))
    )
    rp = RoundProgram(stage, spec.name, n, spec.advance, maker=("groups", sizes, gs.keep_apart))
    off = 0
    for i, size in enumerate(sizes):
        pairs = [p for rnd in fixture_pairs(size, gs.legs) for p in rnd]
        m = len(pairs)
        gname = gs.name if len(sizes) == 1 and gs.name else f"Group {chr(65 + i)}"
        rp.groups.append(
            GroupProgram(
                gname,
                off,
                size,
                gs.legs,
                gr,
                np.array([p[0] for p in pairs], dtype=np.int64),
                np.array([p[1] for p in pairs], dtype=np.int64),
                np.full(m, spec.neutral),
                np.full(m, -1, dtype=np.int64),
                np.full(m, -1, dtype=np.int64),
                np.zeros(size, dtype=np.int64),
            )
        )
        off += size
    return rp


def _spec_pairing(
    ts: TieSpec, prev: RoundProgram | None, n_in: int | None, where: str
) -> tuple[int, tuple[Any, ...]]:
    """How many clubs a knockout round to draw pairs, and how its slots are filled."""
    if ts.pairing == "slots":
        refs = [_ref(x) for pair in ts.slots for x in pair]
        return len(refs), ("pairs", "slots", refs)
    if ts.pairing in ("bracket", "fold"):
        if prev is None or not prev.ties:
            raise Unsupported(f"{where}: a bracket needs a knockout round before")
        return len(prev.ties), ("pairs", ts.pairing)
    if ts.pairing == "crossover":
        if prev is None or not prev.groups:
            raise Unsupported(f"{where}: a crossover needs groups before")
        return 2 * len(prev.groups), ("pairs", "crossover")
    if ts.pairing == "draw":
        return n_in or 0, ("pairs", "draw", ts.keep_apart, ts.seeded == "group_winners")
    if ts.pairing == "seeded":
        return n_in or 0, ("pairs", "seeded")
    raise Unsupported(f"pairing {ts.pairing!r}")


def _qualifier_count(rp: RoundProgram) -> int:
    adv = rp.advance
    n = 0
    if rp.groups:
        n += sum(min(adv.top, g.size) for g in rp.groups)
        n += sum(b.count for b in adv.best)
    if rp.ties:
        n += len(rp.ties) if adv.winners else 0
        n += adv.best_losers
    return n


# silence "imported but unused" for names kept for the core replay helpers
_ = (Callable, SINGLE_MATCH, resolve_round, resolve_tie, best_placed, PointsScheme)
