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
from functools import lru_cache

from copa.core.issues import Issue, Severity
from copa.core.match import Match, MatchStatus, Score
from copa.core.points import DEFAULT, PointsScheme
from copa.core.record import Record, tally
from copa.core.registry import Registry

Pair = tuple[int, int]


#: the tie steps when a rule set names none: aggregate, away goals, extra time, penalties
DEFAULT_TIE_CHAIN: tuple[str, ...] = ("aggregate", "away_goals", "extra_time", "penalties")


@dataclass(frozen=True, slots=True)
class TieRules:
    """The ordered steps that decide a tie, and points per leg for the ``points`` step."""

    chain: tuple[str, ...] = DEFAULT_TIE_CHAIN
    scheme: PointsScheme = DEFAULT
    #: the away-goals step applies again after extra time, counting its goals
    #: (UEFA 1965-2021, English play-offs): level after extra time, the club
    #: that scored more away goals over the legs, extra time included, goes through
    away_goals_after_extra_time: bool = False


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


def _missing(tie: Tie, ctx: _Ctx, *, extra: bool) -> Pair | None:
    """The legs lack the score a step needs: level if a later recorded step says so, else stop.

    Extra time, a shoot-out or a deciding match is only played when every step
    before it was level, so a step before the last one recorded was level.
    """
    if ctx.step < ctx.recorded:
        return (0, 0)
    for i, leg in enumerate(tie.legs):
        if (leg.final if extra else leg.score) is None:
            n = f"leg {i + 1}" if len(tie.legs) > 1 else "the match"
            what = (
                f"the 90-minute score of {n} (only the score after extra time is recorded)"
                if leg.extra_time is not None
                else f"the score of {n} (not recorded)"
            )
            ctx.undecidable = f"undecidable from the data: {ctx.label} needs {what}"
            ctx.pending = ctx.undecidable
            break
    return None


def _aggregate(tie: Tie, ctx: _Ctx) -> Pair | None:
    if any(leg.score is None for leg in tie.legs):
        return _missing(tie, ctx, extra=False)
    return _sum([_goals(tie, leg, extra=False) for leg in tie.legs])


def _points(tie: Tie, ctx: _Ctx) -> Pair | None:
    if any(leg.score is None for leg in tie.legs):
        return _missing(tie, ctx, extra=False)
    return _leg_points(tie)


def _leg_points(tie: Tie) -> Pair:
    """Points over the legs, a leg with no 90-minute score counted by how it ended."""
    scheme = tie.rules.scheme
    a = b = 0
    for leg in tie.legs:
        if leg.score is not None:
            x, y = _goals(tie, leg, extra=False)
            a += scheme.for_goals(x, y)
            b += scheme.for_goals(y, x)
        elif leg.counts:
            w = leg.winner if leg.extra_time is None and leg.penalties is None else None
            if w is None:
                a, b = a + scheme.draw, b + scheme.draw
            elif w == tie.teams[0]:
                a, b = a + scheme.win, b + scheme.loss
            else:
                a, b = a + scheme.loss, b + scheme.win
    return a, b


def _away(tie: Tie, legs: list[tuple[Match, Score]]) -> Pair:
    a = b = 0
    for leg, s in legs:
        if leg.home == tie.teams[0]:
            b += s.away
        else:
            a += s.away
    return a, b


def _away_goals(tie: Tie, ctx: _Ctx) -> Pair | None:
    if len(tie.legs) < 2:
        return None
    scores = [(leg, leg.score) for leg in tie.legs]
    if any(s is None for _, s in scores):
        return _missing(tie, ctx, extra=False)
    return _away(tie, scores)  # type: ignore[arg-type]


def _extra_time(tie: Tie, ctx: _Ctx) -> Pair | None:
    last = tie.legs[-1]
    if last.extra_time is None:
        if ctx.step < ctx.recorded:  # a shoot-out or deciding match came after: it was level
            return None
        if last.score is None:
            return _missing(tie, ctx, extra=True)
        ctx.pending = "extra time is needed"
        return None
    if any(leg.final is None for leg in tie.legs):
        return _missing(tie, ctx, extra=True)
    value = _sum([_goals(tie, leg, extra=True) for leg in tie.legs])
    if value[0] == value[1] and tie.rules.away_goals_after_extra_time and len(tie.legs) > 1:
        finals = [(leg, leg.final) for leg in tie.legs]
        away = _away(tie, finals)  # type: ignore[arg-type]
        if away[0] != away[1]:
            ctx.decided_as = "away_goals"
            return away
    return value


def _penalties(tie: Tie, ctx: _Ctx) -> Pair | None:
    p = tie.legs[-1].penalties
    if p is None:
        if ctx.step < ctx.recorded:
            return None
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
    #: the step being applied, its label, and the last step whose event is recorded
    step: int = 0
    label: str = ""
    recorded: int = -1
    #: why no step could decide: a score the step needs is missing
    undecidable: str | None = None
    #: the step a decision is recorded as, when not the one applied
    decided_as: str | None = None


@dataclass(frozen=True, slots=True)
class TieCriterion:
    """A step of a tie's chain. ``contextual``: an event played or drawn only when the
    steps before leave the tie level (extra time, penalties, a deciding match, lots)."""

    name: str
    label: str
    abbreviation: str
    value: Callable[[Tie, _Ctx], Pair | None]
    contextual: bool = False


TIE_CRITERIA: Registry[TieCriterion] = Registry("tie step")
for _c in (
    TieCriterion("aggregate", "aggregate", "Agg", _aggregate),
    TieCriterion("score", "score", "Score", _aggregate),
    TieCriterion("points", "points", "Pts", _points),
    TieCriterion("goal_difference", "goal difference", "GD", _aggregate),
    TieCriterion("away_goals", "away goals", "AG", _away_goals),
    TieCriterion("extra_time", "extra time", "AET", _extra_time, contextual=True),
    TieCriterion("penalties", "penalties", "Pens", _penalties, contextual=True),
    TieCriterion("deciding_match", "deciding match", "DM", _deciding_match, contextual=True),
    TieCriterion("better_position", "better position in an earlier table", "Pos", _better_position),
    TieCriterion("lots", "drawing of lots", "Lots", _lots, contextual=True),
):
    TIE_CRITERIA.add(_c)

LABELS = {name: c.label for name, c in TIE_CRITERIA.items()} | {
    "walkover": "walkover",
    "recorded_winner": "the recorded winner",
}

#: steps whose event is itself recorded (a later one recorded means these were level)
_EVENTS = ("extra_time", "penalties", "deciding_match", "lots")


def tie_criterion(name: str) -> TieCriterion:
    """The registered tie step called ``name``; ``KeyError`` lists the known ones."""
    return TIE_CRITERIA[name]


@lru_cache(maxsize=512)
def compile_tie_chain(chain: tuple[str, ...]) -> tuple[TieCriterion, ...]:
    """The tie steps named ``chain``, looked up once: every later tie by it reuses them."""
    return tuple(tie_criterion(name) for name in chain)


@dataclass(frozen=True)
class TieResult:
    """How a tie ended: winner, the step that decided it, and anything wrong or missing."""

    tie: Tie
    winner: str | None
    decided_by: str | None
    aggregate: Pair
    points: Pair
    issues: tuple[Issue, ...] = ()
    #: said about the decision, e.g. that the recorded winner stood in for a missing score
    note: str = ""

    @property
    def goals_known(self) -> bool:
        """Whether every leg's goals are known (else ``aggregate`` leaves some out)."""
        return all(m.goals_known for m in self.tie.legs if m.counts)

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
        text = f"{self.winner} beat {self.loser} on {LABELS.get(self.decided_by or '', '?')}"
        return f"{text} ({self.note})" if self.note else text


def resolve_tie(tie: Tie) -> TieResult:
    """Decide ``tie`` by its rules' chain, checking every recorded claim."""
    issues: list[Issue] = []
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
    ctx = _Ctx(recorded=_last_recorded(tie))
    winner, decided_by, decided_at, note = _walk_chain(tie, ctx)
    _check_late_events(tie, decided_by, decided_at, issues)
    if winner is None:
        issues.append(Issue(Severity.PENDING, ctx.pending or "level on every step of the rules"))
    else:
        _check_claims(tie, winner, decided_by, issues)
    return TieResult(
        tie,
        winner,
        decided_by,
        _aggregate_shown(tie, played),
        _leg_points(tie) if len(played) == len(tie.legs) else (0, 0),
        tuple(issues),
        note,
    )


def _walk_chain(tie: Tie, ctx: _Ctx) -> tuple[str | None, str | None, int, str]:
    """The winner, the step that decided (and its index in the chain) and a note: the
    first step of the chain to separate the clubs, else the recorded winner where the
    chain cannot be worked out."""
    a, b = tie.teams
    chain = tie.rules.chain
    for step, (name, crit) in enumerate(zip(chain, compile_tie_chain(chain), strict=True)):
        ctx.step, ctx.label = step, crit.label
        value = crit.value(tie, ctx)
        if value is None:
            if ctx.pending:
                break
            continue
        if value[0] != value[1]:
            return (a if value[0] > value[1] else b), ctx.decided_as or name, step, ""
    if ctx.undecidable is not None:
        stood_in = _recorded_winner(tie)
        if stood_in is not None:
            ctx.pending = None
            note = f"{ctx.undecidable}; the recorded winner is used"
            return stood_in, "recorded_winner", len(chain), note
    return None, None, len(chain), ""


def _check_late_events(
    tie: Tie, decided_by: str | None, decided_at: int, issues: list[Issue]
) -> None:
    """Errors for extra time, penalties, a deciding match or lots recorded although the
    rules had decided the tie before them (or have no such step)."""
    chain = tie.rules.chain
    last = tie.legs[-1]
    label = LABELS.get(decided_by or "", "")

    def late(step: str) -> bool:
        return step not in chain or chain.index(step) > decided_at

    if last.penalties is not None and late("penalties"):
        issues.append(Issue(Severity.ERROR, _already("penalties", decided_by, label, chain)))
    if last.extra_time is not None and "extra_time" not in chain:
        issues.append(
            Issue(
                Severity.ERROR,
                f"extra time recorded, but the rules in force ({', '.join(chain)}) "
                "have no extra time",
            )
        )
    elif last.extra_time is not None and late("extra_time") and decided_by != "recorded_winner":
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


def _last_recorded(tie: Tie) -> int:
    """Index in the chain of the last step whose event is recorded (-1: none)."""
    last = tie.legs[-1]
    recorded = {
        "extra_time": last.extra_time is not None,
        "penalties": last.penalties is not None,
        "deciding_match": tie.decider is not None and tie.decider.counts,
        "lots": tie.lots is not None,
    }
    found = -1
    for i, name in enumerate(tie.rules.chain):
        if recorded.get(name):
            found = i
    return found


def _recorded_winner(tie: Tie) -> str | None:
    """Who a source says went through, where the score the rules need is missing."""
    if tie.claimed_winner is not None and tie.claimed_winner in tie.teams:
        return tie.claimed_winner
    if len(tie.legs) == 1 and tie.decider is None:
        w = tie.legs[0].winner
        return w if w in tie.teams else None
    return None


def _already(what: str, decided_by: str | None, label: str, chain: tuple[str, ...]) -> str:
    if decided_by is None:
        return f"{what} recorded, but the rules ({', '.join(chain)}) have no such step"
    return f"{what} recorded on a tie already decided on {label}"


def _aggregate_shown(tie: Tie, played: list[Match]) -> Pair:
    """Goals over the legs as a reader sees them: extra time included (known goals only)."""
    return _sum([_goals(tie, leg, extra=True) for leg in played if leg.goals_known])


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
