"""Synthetic results: play a season's scheduled matches from club strengths, reproducibly.

Each club gets a strength from the seed and its name (normal, mean 0, sd
0.35). A match's goals are Poisson draws (Knuth's multiplication method on
``random.Random``) with means 1.45 × e^(h−a) for the home side and
1.15 × e^(a−h) for the away side (1.3 each at a neutral venue). What the rules
then ask for is supplied the way organizers would: extra time (means a third
of the match's) and a shoot-out where a tie's rules go that far, a deciding
match where a table or a tie needs one, a drawing of lots where the rules end
in lots. Every random choice is seeded from the season's seed and where it is
made, so the same seed gives the same season.

Nothing here decides anything: it only adds facts (scores, shoot-outs, lots)
that :func:`copa.core.resolve.resolve` then rules on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from dataclasses import replace

from copa.core.group import Group
from copa.core.match import Match, MatchStatus, Score
from copa.core.pyramid import Pyramid, advance, derive_seed
from copa.core.resolve import GroupResult, ResolveCache, RoundResult, resolve
from copa.core.season import Season
from copa.core.stage import Round, Stage
from copa.core.tie import Tie, TieResult

__all__ = ["Simulator", "play", "play_out", "poisson"]

HOME_MEAN = 1.45
AWAY_MEAN = 1.15
NEUTRAL_MEAN = 1.3
STRENGTH_SD = 0.35
MAX_GOALS = 15


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson variate by multiplying uniforms (fine for football's small means).

    >>> rng = random.Random(1)
    >>> draws = [poisson(rng, 1.3) for _ in range(20000)]
    >>> abs(sum(draws) / len(draws) - 1.3) < 0.05
    True
    """
    limit = math.exp(-mean)
    k = 0
    p = rng.random()
    while p > limit and k < MAX_GOALS:
        k += 1
        p *= rng.random()
    return k


class Simulator:
    """Draws results for one season seed; strengths are computed once per club."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._strength: dict[str, float] = {}

    def strength(self, club: str) -> float:
        s = self._strength.get(club)
        if s is None:
            s = random.Random(derive_seed(self.seed, "strength", club)).gauss(0.0, STRENGTH_SD)
            self._strength[club] = s
        return s

    def means(self, home: str, away: str, neutral: bool) -> tuple[float, float]:
        d = self.strength(home) - self.strength(away)
        if neutral:
            return NEUTRAL_MEAN * math.exp(d), NEUTRAL_MEAN * math.exp(-d)
        return HOME_MEAN * math.exp(d), AWAY_MEAN * math.exp(-d)

    def score(self, rng: random.Random, m: Match) -> Score:
        h, a = self.means(m.home, m.away, m.neutral)
        return Score(poisson(rng, h), poisson(rng, a))

    def extra_time(self, rng: random.Random, m: Match, score: Score) -> Score:
        h, a = self.means(m.home, m.away, m.neutral)
        return Score(score.home + poisson(rng, h / 3), score.away + poisson(rng, a / 3))

    @staticmethod
    def shootout(rng: random.Random) -> Score:
        """Five kicks each (stopping once decided), then sudden death; 75% scored."""
        a = b = 0
        for kick in range(5):
            a += rng.random() < 0.75
            if a > b + (5 - kick) or b > a + (4 - kick):
                return Score(a, b)
            b += rng.random() < 0.75
            if a > b + (4 - kick) or b > a + (4 - kick):
                return Score(a, b)
        while a == b:
            x, y = rng.random() < 0.75, rng.random() < 0.75
            a, b = a + x, b + y
        return Score(a, b)

    def single(self, rng: random.Random, m: Match) -> Match:
        """A one-off match (a final, a deciding match): extra time, then penalties if level."""
        s = self.score(rng, m)
        if s.home != s.away:
            return replace(m, score=s, status=MatchStatus.PLAYED, simulated=True)
        et = self.extra_time(rng, m, s)
        pens = self.shootout(rng) if et.home == et.away else None
        return replace(
            m, score=s, extra_time=et, penalties=pens, status=MatchStatus.PLAYED, simulated=True
        )


def _names_in(text: str, candidates: Sequence[str]) -> list[str] | None:
    """The clubs named in ``"A and B and C"`` (names sorted, as the engine writes them)."""
    names = sorted(candidates)

    def walk(pos: int, start: int) -> list[str] | None:
        for i in range(start, len(names)):
            c = names[i]
            if text.startswith(c, pos):
                end = pos + len(c)
                if end == len(text):
                    return [c]
                if text.startswith(" and ", end):
                    rest = walk(end + 5, i + 1)
                    if rest is not None:
                        return [c, *rest]
        return None

    return walk(0, 0)


def _between(message: str, prefix: str, candidates: Sequence[str]) -> list[str] | None:
    if not message.startswith(prefix):
        return None
    body = message[len(prefix) :]
    for suffix in (" is needed", " has no winner yet"):
        if body.endswith(suffix):
            return _names_in(body[: -len(suffix)], candidates)
    return None


def _play_group(sim: Simulator, rng: random.Random, g: Group, gr: GroupResult) -> Group:
    changed = False
    matches: tuple[Match, ...] = g.matches
    if any(m.status is MatchStatus.SCHEDULED for m in g.matches):
        matches = tuple(
            replace(m, score=sim.score(rng, m), status=MatchStatus.PLAYED, simulated=True)
            if m.status is MatchStatus.SCHEDULED
            else m
            for m in g.matches
        )
        changed = True
    deciders = g.deciders
    lots = g.lots
    if not changed:
        for p in gr.table.pending:
            block = _between(p, "a deciding match between ", g.clubs)
            if block is not None:
                a, b = block[0], block[1]
                deciders = (
                    *deciders,
                    sim.single(rng, Match(a, b, status=MatchStatus.SCHEDULED, neutral=True)),
                )
                changed = True
                break
            block = _between(p, "a drawing of lots between ", g.clubs)
            if block is not None:
                new = [c for c in block if c not in lots]
                rng.shuffle(new)
                lots = (*lots, *new)
                changed = True
                break
    if not changed:
        return g
    return replace(g, matches=matches, deciders=deciders, lots=lots)


def _play_tie(sim: Simulator, rng: random.Random, t: Tie, tr: TieResult) -> Tie:
    if any(leg.status is MatchStatus.SCHEDULED for leg in t.legs):
        legs = list(t.legs)
        for i, leg in enumerate(legs):
            if leg.status is MatchStatus.SCHEDULED:
                # extra time and penalties come later, if the tie's own rules ask for them
                legs[i] = replace(
                    leg, score=sim.score(rng, leg), status=MatchStatus.PLAYED, simulated=True
                )
        return replace(t, legs=tuple(legs))
    for issue in tr.pending:
        msg = issue.message
        last = t.legs[-1]
        if msg == "extra time is needed" and last.score is not None:
            et = sim.extra_time(rng, last, last.score)
            return replace(t, legs=(*t.legs[:-1], replace(last, extra_time=et)))
        if msg == "penalties are needed":
            if "extra_time" in t.rules.chain and last.extra_time is None and last.score:
                et = sim.extra_time(rng, last, last.score)
                return replace(t, legs=(*t.legs[:-1], replace(last, extra_time=et, simulated=True)))
            pens = sim.shootout(rng)
            return replace(t, legs=(*t.legs[:-1], replace(last, penalties=pens, simulated=True)))
        if msg in ("a deciding match is needed", "the deciding match has no winner yet"):
            a, b = t.teams
            return replace(
                t, decider=sim.single(rng, Match(a, b, status=MatchStatus.SCHEDULED, neutral=True))
            )
        lots_needed = msg in ("a drawing of lots is needed", "level on every step of the rules")
        if lots_needed and "lots" in t.rules.chain and t.lots is None:
            return replace(t, lots=rng.choice(t.teams))
    return t


def _play_round(sim: Simulator, stage: str, rnd: Round, rr: RoundResult) -> Round:
    rng = random.Random(derive_seed(sim.seed, "play", stage, rnd.name, str(_facts(rnd))))
    groups = tuple(
        _play_group(sim, rng, g, gr) if gr.table.pending or _unplayed(g.matches) else g
        for g, gr in zip(rnd.groups, rr.groups, strict=True)
    )
    ties = tuple(
        _play_tie(sim, rng, t, tr) if tr.pending else t
        for t, tr in zip(rnd.ties, rr.ties, strict=True)
    )
    advance = rnd.advance
    if all(a is b for a, b in zip(groups, rnd.groups, strict=True)) and all(
        a is b for a, b in zip(ties, rnd.ties, strict=True)
    ):
        # everything played: what is left is lots between best-placed clubs or best losers
        for sel in rr.selections:
            for p in sel.ranking.pending:
                block = _between(p, "a drawing of lots between ", sel.ranking.order)
                if block is not None:
                    new = [c for c in block if c not in advance.lots]
                    rng.shuffle(new)
                    advance = replace(advance, lots=(*advance.lots, *new))
                    return replace(rnd, advance=advance)
        return rnd
    return replace(rnd, groups=groups, ties=ties)


def _unplayed(matches: Sequence[Match]) -> bool:
    return any(m.status is MatchStatus.SCHEDULED for m in matches)


def _facts(rnd: Round) -> int:
    """How many facts a round holds, so each pass over it draws fresh numbers."""
    n = sum(len(g.deciders) + len(g.lots) for g in rnd.groups) + len(rnd.advance.lots)
    for t in rnd.ties:
        n += sum(m.counts for m in t.legs) + (t.decider is not None) + (t.lots is not None)
        n += sum((m.extra_time is not None) + (m.penalties is not None) for m in t.legs)
    return n


Progress = Callable[[str, int, int], None]


def play(
    season: Season,
    seed: int,
    cache: ResolveCache | None = None,
    progress: Progress | None = None,
    sim: Simulator | None = None,
) -> Season:
    """Play every scheduled match and supply what the rules then need, until nothing is pending
    that results, extra time, shoot-outs, deciding matches or lots can settle."""
    sim = sim or Simulator(seed)
    cache = cache if cache is not None else ResolveCache()
    while True:
        result = resolve(season, cache)
        stages = list(season.stages)
        changed = False
        total = len(stages)
        for i, (stage, sr) in enumerate(zip(season.stages, result.stages, strict=True)):
            if progress is not None and (i % 64 == 0 or i == total - 1):
                progress("playing", i + 1, total)
            if not sr.issues or not stage.rounds:
                continue
            rounds = list(stage.rounds)
            moved = False
            for j, (rnd, rr) in enumerate(zip(stage.rounds, sr.rounds, strict=True)):
                if not rr.issues:
                    continue
                new = _play_round(sim, stage.name, rnd, rr)
                if new is not rnd:
                    rounds[j] = new
                    moved = True
            if moved:
                stages[i] = replace(stage, rounds=tuple(rounds))
                changed = True
        if not changed:
            return season
        season = replace(season, stages=tuple(stages))


def play_out(
    season: Season,
    pyramid: Pyramid,
    cache: ResolveCache | None = None,
    progress: Progress | None = None,
) -> Season:
    """Alternate :func:`play` and :func:`~copa.core.pyramid.advance` until the season ends."""
    cache = cache if cache is not None else ResolveCache()
    sim = Simulator(pyramid.seed)
    step = 0
    while True:
        season = play(season, pyramid.seed, cache, progress, sim)
        step += 1

        def filling(done: int, total: int, step: int = step) -> None:
            if progress is not None:
                progress(f"drawing (pass {step})", done, total)

        season, filled = advance(season, pyramid, cache, filling)
        if not filled:
            return season


def stage_with_round(stage: Stage, index: int, rnd: Round) -> Stage:
    """``stage`` with its round ``index`` replaced, sharing everything else."""
    rounds = list(stage.rounds)
    rounds[index] = rnd
    return replace(stage, rounds=tuple(rounds))
