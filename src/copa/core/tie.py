"""Ties: one or two legs, maybe a deciding match, decided by an ordered chain of steps.

A tie's first club hosts the first leg. The chain names steps from
:data:`TIE_CRITERIA`; the first step that separates the clubs decides the
tie and is recorded as ``decided_by``. Recorded claims (who went through,
how) are checked against that, never trusted.

>>> from copa.core.match import Match, Score
>>> t = Tie(("Universitario de Trujillo", "Los Caimanes"),
...         (Match("Universitario de Trujillo", "Los Caimanes", Score(1, 1)),
...          Match("Los Caimanes", "Universitario de Trujillo", Score(0, 0))),
...         TieRules(("points", "goal_difference", "away_goals", "penalties")))
>>> r = resolve_tie(t)
>>> r.winner, r.decided_by
('Los Caimanes', 'away_goals')
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from copa.core.issues import Issue, Severity
from copa.core.match import Match, MatchStatus
from copa.core.points import DEFAULT, PointsScheme
from copa.core.record import Record, tally

Pair = tuple[int, int]


@dataclass(frozen=True, slots=True)
class TieRules:
    """The ordered steps that decide a tie, and points per leg for the ``points`` step."""

    chain: tuple[str, ...] = ("aggregate", "away_goals", "extra_time", "penalties")
    scheme: PointsScheme = DEFAULT


@dataclass(frozen=True)
class Tie:
    """A pairing of two clubs over one or two legs (``teams[0]`` hosts leg 1)."""

    teams: tuple[str, str]
    legs: tuple[Match, ...]
    rules: TieRules = field(default_factory=TieRules)
    decider: Match | None = None
    #: the winner of a drawing of lots, if one was held
    lots: str | None = None
    #: positions of the two clubs in an earlier table, for ``better_position``
    positions: tuple[int | None, int | None] = (None, None)
    #: the club awarded the whole tie (opponent withdrew, was disqualified)
    walkover: str | None = None
    claimed_winner: str | None = None
    claimed_decided_by: str | None = None
    #: where the clubs came from ("Region I/1"), when a slot map paired them
    slots: tuple[str, str] | None = None
    label: str = ""

    def __post_init__(self) -> None:
        a, b = self.teams
        if a == b:
            raise ValueError(f"{a} cannot meet itself in a tie")
        for leg in self.legs:
            if {leg.home, leg.away} != {a, b}:
                raise ValueError(f"leg {leg} is not between {a} and {b}")

    @property
    def matches(self) -> tuple[Match, ...]:
        return self.legs + ((self.decider,) if self.decider is not None else ())

    def swapped(self) -> Tie:
        """The same tie written the other way round (legs unchanged)."""
        a, b = self.teams
        pa, pb = self.positions
        return Tie(
            (b, a),
            self.legs,
            self.rules,
            self.decider,
            self.lots,
            (pb, pa),
            self.walkover,
            self.claimed_winner,
            self.claimed_decided_by,
            (self.slots[1], self.slots[0]) if self.slots else None,
            self.label,
        )


def _goals(tie: Tie, leg: Match, *, extra: bool) -> Pair:
    s = leg.final if extra else leg.score
    assert s is not None
    return (s.home, s.away) if leg.home == tie.teams[0] else (s.away, s.home)


def _sum(pairs: list[Pair]) -> Pair:
    return sum(p[0] for p in pairs), sum(p[1] for p in pairs)


def _aggregate(tie: Tie, ctx: _Ctx) -> Pair | None:
    return _sum([_goals(tie, leg, extra=False) for leg in tie.legs])


def _points(tie: Tie, ctx: _Ctx) -> Pair | None:
    scheme = tie.rules.scheme
    a = b = 0
    for leg in tie.legs:
        x, y = _goals(tie, leg, extra=False)
        a += scheme.for_goals(x, y)
        b += scheme.for_goals(y, x)
    return a, b


def _away_goals(tie: Tie, ctx: _Ctx) -> Pair | None:
    if len(tie.legs) < 2:
        return None
    a = b = 0
    for leg in tie.legs:
        s = leg.score
        assert s is not None
        if leg.home == tie.teams[0]:
            b += s.away
        else:
            a += s.away
    return a, b


def _extra_time(tie: Tie, ctx: _Ctx) -> Pair | None:
    last = tie.legs[-1]
    if last.extra_time is None:
        return None
    return _sum([_goals(tie, leg, extra=True) for leg in tie.legs])


def _penalties(tie: Tie, ctx: _Ctx) -> Pair | None:
    p = tie.legs[-1].penalties
    if p is None:
        ctx.pending = "penalties are needed"
        return None
    return (p.home, p.away) if tie.legs[-1].home == tie.teams[0] else (p.away, p.home)


def _deciding_match(tie: Tie, ctx: _Ctx) -> Pair | None:
    d = tie.decider
    if d is None or not d.counts:
        ctx.pending = "a deciding match is needed"
        return None
    w = d.winner
    if w is None:
        ctx.pending = "the deciding match has no winner yet"
        return None
    return (1, 0) if w == tie.teams[0] else (0, 1)


def _better_position(tie: Tie, ctx: _Ctx) -> Pair | None:
    pa, pb = tie.positions
    if pa is None or pb is None:
        ctx.pending = "the clubs' positions in the earlier table are needed"
        return None
    return -pa, -pb


def _lots(tie: Tie, ctx: _Ctx) -> Pair | None:
    if tie.lots is None:
        ctx.pending = "a drawing of lots is needed"
        return None
    return (1, 0) if tie.lots == tie.teams[0] else (0, 1)


@dataclass
class _Ctx:
    pending: str | None = None


@dataclass(frozen=True, slots=True)
class TieCriterion:
    name: str
    label: str
    value: Callable[[Tie, _Ctx], Pair | None]


TIE_CRITERIA: dict[str, TieCriterion] = {
    c.name: c
    for c in (
        TieCriterion("aggregate", "aggregate", _aggregate),
        TieCriterion("score", "score", _aggregate),
        TieCriterion("points", "points", _points),
        TieCriterion("goal_difference", "goal difference", _aggregate),
        TieCriterion("away_goals", "away goals", _away_goals),
        TieCriterion("extra_time", "extra time", _extra_time),
        TieCriterion("penalties", "penalties", _penalties),
        TieCriterion("deciding_match", "deciding match", _deciding_match),
        TieCriterion("better_position", "better position in an earlier table", _better_position),
        TieCriterion("lots", "drawing of lots", _lots),
    )
}

LABELS = {name: c.label for name, c in TIE_CRITERIA.items()} | {"walkover": "walkover"}


def tie_criterion(name: str) -> TieCriterion:
    try:
        return TIE_CRITERIA[name]
    except KeyError:
        known = ", ".join(sorted(TIE_CRITERIA))
        raise KeyError(f"unknown tie criterion {name!r} (known: {known})") from None


@dataclass(frozen=True)
class TieResult:
    """How a tie ended: winner, the step that decided it, and anything wrong or missing."""

    tie: Tie
    winner: str | None
    decided_by: str | None
    aggregate: Pair
    points: Pair
    issues: tuple[Issue, ...] = ()

    @property
    def loser(self) -> str | None:
        if self.winner is None:
            return None
        a, b = self.tie.teams
        return b if self.winner == a else a

    @property
    def complete(self) -> bool:
        """No leg (or recorded deciding match) is still to play."""
        t = self.tie
        if t.walkover is not None:
            return True
        if not t.legs or not all(leg.counts for leg in t.legs):
            return False
        return t.decider is None or t.decider.status is not MatchStatus.SCHEDULED

    @property
    def pending(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.PENDING)

    def record(self, club: str) -> Record:
        """The club's record over every match of the tie (used to rank best losers)."""
        return tally(self.tie.teams, self.tie.matches, self.tie.rules.scheme)[club]

    def explanation(self) -> str:
        a, b = self.tie.teams
        if self.winner is None:
            why = "; ".join(i.message for i in self.issues) or "undecided"
            return f"{a} v {b}: {why}"
        return f"{self.winner} beat {self.loser} on {LABELS.get(self.decided_by or '', '?')}"


def resolve_tie(tie: Tie) -> TieResult:
    """Decide ``tie`` by its rules' chain, checking every recorded claim."""
    issues: list[Issue] = []
    a, b = tie.teams
    played = [leg for leg in tie.legs if leg.counts]
    if tie.walkover is not None:
        if tie.walkover not in tie.teams:
            issues.append(
                Issue(Severity.ERROR, f"walkover awarded to {tie.walkover}, not in the tie")
            )
            return TieResult(tie, None, None, (0, 0), (0, 0), tuple(issues))
        _check_claims(tie, tie.walkover, "walkover", issues)
        return TieResult(tie, tie.walkover, "walkover", (0, 0), (0, 0), tuple(issues))
    if not tie.legs or len(played) < len(tie.legs):
        issues.append(
            Issue(Severity.PENDING, f"{len(tie.legs) - len(played)} leg(s) still to play")
        )
        return TieResult(tie, None, None, _aggregate_shown(tie, played), (0, 0), tuple(issues))
    for i, leg in enumerate(tie.legs[:-1]):
        if leg.penalties is not None or leg.extra_time is not None:
            issues.append(Issue(Severity.ERROR, f"leg {i + 1} has extra time or penalties"))
    winner: str | None = None
    decided_by: str | None = None
    decided_at = len(tie.rules.chain)
    ctx = _Ctx()
    for step, name in enumerate(tie.rules.chain):
        value = tie_criterion(name).value(tie, ctx)
        if value is None:
            if ctx.pending:
                break
            continue
        if value[0] != value[1]:
            winner = a if value[0] > value[1] else b
            decided_by, decided_at = name, step
            break
    chain = tie.rules.chain
    label = LABELS.get(decided_by or "", "")
    last = tie.legs[-1]

    def late(step: str) -> bool:
        return step not in chain or chain.index(step) > decided_at

    if last.penalties is not None and late("penalties"):
        issues.append(Issue(Severity.ERROR, _already("penalties", decided_by, label, chain)))
    if last.extra_time is not None and late("extra_time"):
        issues.append(Issue(Severity.ERROR, _already("extra time", decided_by, label, chain)))
    if tie.decider is not None and late("deciding_match"):
        issues.append(Issue(Severity.ERROR, _already("a deciding match", decided_by, label, chain)))
    if tie.lots is not None and late("lots"):
        issues.append(
            Issue(Severity.ERROR, _already("a drawing of lots", decided_by, label, chain))
        )
    if (
        tie.decider is not None
        and tie.decider.penalties is not None
        and tie.decider.final is not None
    ):
        f = tie.decider.final
        if f.home != f.away:
            issues.append(
                Issue(Severity.ERROR, "penalties recorded on a deciding match that was not level")
            )
    if winner is None:
        issues.append(Issue(Severity.PENDING, ctx.pending or "level on every step of the rules"))
    else:
        _check_claims(tie, winner, decided_by, issues)
    return TieResult(
        tie,
        winner,
        decided_by,
        _aggregate_shown(tie, played),
        _points(tie, ctx) or (0, 0),
        tuple(issues),
    )


def _already(what: str, decided_by: str | None, label: str, chain: tuple[str, ...]) -> str:
    if decided_by is None:
        return f"{what} recorded, but the rules ({', '.join(chain)}) have no such step"
    return f"{what} recorded on a tie already decided on {label}"


def _aggregate_shown(tie: Tie, played: list[Match]) -> Pair:
    """Goals over the legs as a reader sees them: extra time included."""
    return _sum([_goals(tie, leg, extra=True) for leg in played])


def _check_claims(tie: Tie, winner: str, decided_by: str | None, issues: list[Issue]) -> None:
    if tie.claimed_winner is not None and tie.claimed_winner != winner:
        issues.append(
            Issue(
                Severity.CONFLICT,
                f"recorded winner {tie.claimed_winner}, but the rules give {winner} "
                f"(on {LABELS.get(decided_by or '', '?')})",
            )
        )
    claimed = tie.claimed_decided_by
    if claimed is not None and claimed != decided_by:
        issues.append(
            Issue(
                Severity.CONFLICT,
                f"recorded as decided on {LABELS.get(claimed, claimed)}, "
                f"but the rules decide it on {LABELS.get(decided_by or '', '?')}",
            )
        )
