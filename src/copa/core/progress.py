"""Groups in progress: what the remaining fixtures can still change.

A group with a scheduled fixture is in progress and its table is provisional.
For every club this module proves a best and a worst final position that hold
for every outcome of the remaining fixtures, and from them a :class:`Status`
against a qualification line: ``qualified`` only when certain to finish inside
it, ``out`` only when certain to finish outside it, else ``open``.

How the proof works. Only the win/draw/loss outcome of a remaining fixture
decides points (and wins, away wins); its goals are unknown. Two clubs level
on points are compared along the ranking chain as far as what is known allows:
a plain criterion is known when it depends on the outcome only (points, wins,
away wins) or when both clubs have played all their matches (their goal
figures are then fixed). Anything else (goals still to come, head-to-head,
deciding matches, lots, a chain that runs out) counts as *either way*: for the
worst position the rival is put above, for the best position below.

For a club X, its own remaining matches are fixed: all lost for its worst
position, all won for its best (points only go down for X and up for its
rivals, so this is the extreme case). The other remaining fixtures are
enumerated exactly (a depth-first search that stops once it reaches what the
bound proved) when there are at most ``limit`` of them; beyond that the bound
stands: a rival is certainly above X when even losing every remaining match it
finishes above X's best total, and certainly below when even winning every one
it stays below X's worst; then the cut condition of the classical maximum-flow
formulation (the points a set of rivals' matches among themselves must hand
out, or can hand out at most) shows when not all the rivals that could pass X
can do so at once, or not all that must stay below X can.

>>> from copa.core.record import tally
>>> from copa.core.match import Match, Score
>>> played = [Match("A", "B", Score(1, 0)), Match("A", "C", Score(2, 0))]
>>> recs = tally("ABC", played)
>>> pos = positions("ABC", recs, [("B", "C"), ("C", "A"), ("B", "A")])
>>> pos["A"], pos["B"], pos["C"]
((1, 2), (1, 3), (1, 3))
>>> positions("ABC", recs, [("B", "C")])["A"]
(1, 1)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from copa.core.criteria import CRITERIA, RankingContext
from copa.core.match import Match
from copa.core.points import DEFAULT, PointsScheme
from copa.core.quick import quick_init
from copa.core.record import Record, tally
from copa.core.standings import DEFAULT_CHAIN, Table

#: at most this many remaining fixtures (not involving the judged club) are enumerated exactly
EXACT_LIMIT = 12


class Status(StrEnum):
    """Where a club stands against a qualification line.

    ``qualified``: inside the line whatever the remaining fixtures give; ``out``:
    outside it whatever they give; ``open``: a remaining fixture can still put it
    on either side. Anything short of a proof leaves a club open.
    """

    QUALIFIED = "qualified"
    OUT = "out"
    OPEN = "open"


def status_at(best: int, worst: int, line: int, reach: int | None = None) -> Status:
    """``qualified`` when ``worst <= line``; ``out`` when ``best > reach`` (default ``line``)."""
    if worst <= line:
        return Status.QUALIFIED
    if best > (line if reach is None else reach):
        return Status.OUT
    return Status.OPEN


@dataclass(frozen=True, slots=True)
class Outlook:
    """A club's best and worst final position in its group, and its status."""

    club: str
    #: the highest place it can still finish (1 is first), proved for every outcome
    best: int
    #: the lowest place it can still finish
    worst: int
    status: Status


quick_init(Outlook)


def level_runs(order: Sequence[str], between: Sequence[str | None]) -> dict[str, tuple[int, int]]:
    """Places each club of a final ranking may hold: clubs level on every criterion
    (nothing between them) share the places of their run."""
    spans: dict[str, tuple[int, int]] = {}
    start = 0
    for i in range(len(order)):
        if i == len(order) - 1 or between[i] is not None:
            for club in order[start : i + 1]:
                spans[club] = (start + 1, i + 1)
            start = i + 1
    return spans


def final_spans(t: Table) -> dict[str, tuple[int, int]]:
    """Best and worst place of every club of a complete group's table."""
    order = [s.club for s in t.standings]
    return level_runs(order, [sep.criterion for sep in t.separations])


def selection_statuses(
    order: Sequence[str], between: Sequence[str | None], count: int
) -> dict[str, Status]:
    """Statuses in a final ranking where the first ``count`` go on."""
    spans = level_runs(order, between)
    return {c: status_at(lo, hi, count) for c, (lo, hi) in spans.items()}


# criterion name -> (record attribute, sign, depends on goals)
_KNOWN: dict[str, tuple[str, int, bool]] = {
    "points": ("points", 1, False),
    "wins": ("won", 1, False),
    "away_wins": ("away_wins", 1, False),
    "goal_difference": ("goal_difference", 1, True),
    "goals_for": ("goals_for", 1, True),
    "goals_against": ("goals_against", -1, True),
    "away_goals": ("away_goals", 1, True),
}

_Step = tuple[str, int, bool]


def _steps(chain: Sequence[str]) -> list[_Step]:
    """The leading criteria of ``chain`` a club's own record decides, up to the first other."""
    steps: list[_Step] = []
    for name in chain:
        got = _KNOWN.get(name)
        if got is None:
            break
        steps.append(got)
    return steps


@dataclass(slots=True)
class _State:
    """A club's figures in one outcome: points, wins, away wins; goals when fixed."""

    points: int
    won: int
    away_wins: int
    rec: Record
    fixed: bool

    def value(self, attr: str) -> int:
        if attr == "points":
            return self.points
        if attr == "won":
            return self.won
        if attr == "away_wins":
            return self.away_wins
        return int(getattr(self.rec, attr))


_LEVEL = 2


def _compare(x: _State, y: _State, steps: list[_Step], level: int = 0) -> int:
    """+1 when x certainly ranks above y, -1 when certainly below, 0 when it could go either
    way; ``level`` when they are level on every criterion that is known."""
    for attr, sign, goals in steps:
        if goals and not (x.fixed and y.fixed):
            return 0
        a, b = x.value(attr), y.value(attr)
        if a != b:
            return 1 if sign * a > sign * b else -1
    return level


H2H = Callable[[str, str], int]


def _settled_h2h(
    chain: Sequence[str],
    n_steps: int,
    played: Sequence[Match],
    remaining: Sequence[tuple[str, str]],
    scheme: PointsScheme,
) -> H2H | None:
    """How two clubs level on everything before it compare on a head-to-head that is settled.

    Only when the chain goes on with head-to-head criteria; the answer is +1/-1
    when every match between the two is played and it separates them, else 0.
    """
    fam: list[str] = []
    for name in chain[n_steps:]:
        crit = CRITERIA.get(name)
        if crit is None or crit.family != "head_to_head":
            break
        fam.append(name)
    if not fam:
        return None
    open_pairs: set[frozenset[str]] = set()  # filled on the first question: most ask none
    cache: dict[tuple[str, str], int] = {}

    def h2h(y: str, x: str) -> int:
        got = cache.get((y, x))
        if got is not None:
            return got
        if not cache:
            open_pairs.update(frozenset(p) for p in remaining)
        answer = 0
        if frozenset((x, y)) not in open_pairs:
            among = [m for m in played if {m.home, m.away} == {x, y}]
            ctx = RankingContext(tally([x, y], among, scheme), among, scheme)
            verdicts = [CRITERIA[name].key([x, y], 0, ctx).keys for name in fam]
            if all(v is not None for v in verdicts):
                ky = tuple(v[y] for v in verdicts if v is not None)
                kx = tuple(v[x] for v in verdicts if v is not None)
                if ky != kx:
                    answer = 1 if ky > kx else -1
        cache[(y, x)] = answer
        return answer

    return h2h


def positions(
    clubs: Sequence[str],
    records: Mapping[str, Record],
    remaining: Sequence[tuple[str, str]],
    scheme: PointsScheme = DEFAULT,
    chain: Sequence[str] = DEFAULT_CHAIN,
    limit: int = EXACT_LIMIT,
    played: Sequence[Match] = (),
) -> dict[str, tuple[int, int]]:
    """Best and worst final position of every club, sound for every outcome of ``remaining``.

    ``records`` are the clubs' records over the matches played (adjustments
    included in points); ``remaining`` the fixtures still to play, as
    (home, away). Exact over win/draw/loss outcomes (see the module text)
    when a club's rivals have at most ``limit`` fixtures left among
    themselves; a sound bound beyond. With the ``played`` matches a
    head-to-head already settled between two clubs level on everything
    before it is used (in the exact enumeration).
    """
    n = len(clubs)
    steps = _steps(chain)
    if not steps or steps[0][0] != "points" or not (scheme.win > scheme.draw > scheme.loss):
        # chains not led by points, odd point schemes: claim nothing while fixtures remain
        return {c: (1, n) for c in clubs}
    left = dict.fromkeys(clubs, 0)
    away = dict.fromkeys(clubs, 0)
    adj: dict[str, list[str]] = {c: [] for c in clubs}
    for h, a in remaining:
        left[h] += 1
        left[a] += 1
        away[a] += 1
        adj[h].append(a)
        adj[a].append(h)
    graph = _Graph(left, away, adj, len(remaining))
    out: dict[str, tuple[int, int]] = {}
    h2h = _settled_h2h(chain, len(steps), played, remaining, scheme) if played else None
    k = len(remaining)
    lows, highs = _extremes(clubs, records, scheme, graph)
    by_low = sorted(clubs, key=lambda c: lows[c].points, reverse=True)  # stable
    for x in clubs:
        best, worst = _bound(x, clubs, steps, graph, lows, highs, scheme, by_low)
        if k - left[x] <= limit and best < worst:
            others = [m for m in remaining if x not in m]
            mine = [m for m in remaining if x in m]
            args = (x, clubs, records, mine, others, scheme, steps, left, h2h)
            best = _Search(*args, win=True, stop=best).place()
            worst = _Search(*args, win=False, stop=worst).place()
        out[x] = (best, worst)
    return out


@dataclass(frozen=True, slots=True)
class _Graph:
    """A group's remaining fixtures, counted once: per club its fixtures, its away fixtures
    and its opponents (one entry per fixture)."""

    left: Mapping[str, int]
    away: Mapping[str, int]
    adj: Mapping[str, list[str]]
    #: how many fixtures there are
    fixtures: int


def _start(
    clubs: Sequence[str], records: Mapping[str, Record], left: Mapping[str, int]
) -> dict[str, _State]:
    return {
        c: _State(r.points, r.won, r.away_wins, r, left[c] == 0)
        for c in clubs
        for r in (records[c],)
    }


def _apply(
    states: dict[str, _State], home: str, away: str, outcome: int, scheme: PointsScheme, sign: int
) -> None:
    """Add (sign=1) or remove (sign=-1) an outcome: 0 home win, 1 draw, 2 away win."""
    h, a = states[home], states[away]
    if outcome == 0:
        h.points += sign * scheme.win
        h.won += sign
        a.points += sign * scheme.loss
    elif outcome == 1:
        h.points += sign * scheme.draw
        a.points += sign * scheme.draw
    else:
        a.points += sign * scheme.win
        a.won += sign
        a.away_wins += sign
        h.points += sign * scheme.loss


def _fix_own(
    x: str,
    states: dict[str, _State],
    mine: Sequence[tuple[str, str]],
    scheme: PointsScheme,
    win: bool,
) -> None:
    for h, a in mine:
        x_home = h == x
        outcome = (0 if x_home else 2) if win else (2 if x_home else 0)
        _apply(states, h, a, outcome, scheme, 1)


class _Search:
    """X's best (``win``: fewest clubs certainly above) or worst (most clubs maybe above)
    place, by branch and bound over the other clubs' fixtures (:meth:`place`).

    ``stop`` is a place the bound proved cannot be bettered (best) or exceeded
    (worst): the search ends as soon as an outcome reaches it.

    ``todo`` counts each rival's fixtures not yet given an outcome in the search; a
    rival already more points than X whatever it does (best), or one that cannot
    reach X's points whatever it does (worst), settles its place in the whole subtree.
    ``seen`` is the best (fewest above) or worst (most maybe above) count found so far.
    """

    __slots__ = (
        "deltas",
        "goal",
        "h2h",
        "others",
        "pairs",
        "reversed",
        "rivals",
        "scheme",
        "seen",
        "states",
        "step",
        "steps",
        "sx",
        "todo",
        "win",
        "x",
    )

    def __init__(
        self,
        x: str,
        clubs: Sequence[str],
        records: Mapping[str, Record],
        mine: Sequence[tuple[str, str]],
        others: Sequence[tuple[str, str]],
        scheme: PointsScheme,
        steps: list[_Step],
        left: Mapping[str, int],
        h2h: H2H | None,
        *,
        win: bool,
        stop: int,
    ) -> None:
        self.states = _start(clubs, records, left)
        _fix_own(x, self.states, mine, scheme, win)
        self.x = x
        self.others = others
        self.scheme = scheme
        self.steps = steps
        self.h2h = h2h
        self.win = win
        self.sx = self.states[x]
        names = [c for c in clubs if c != x]
        self.rivals = [self.states[c] for c in names]
        self.goal = stop - 1
        self.seen = len(self.rivals) if win else 0
        index = {c: i for i, c in enumerate(names)}
        self.todo = [0] * len(names)
        self.pairs = [(index[h], index[a]) for h, a in others]
        for i, j in self.pairs:
            self.todo[i] += 1
            self.todo[j] += 1
        self.step = scheme.loss if win else scheme.win
        #: per outcome (home win, draw, away win): home points and wins, away points and
        #: (away) wins it adds, as :func:`_apply` does
        self.deltas = (
            (scheme.win, 1, scheme.loss, 0),
            (scheme.draw, 0, scheme.draw, 0),
            (scheme.loss, 0, scheme.win, 1),
        )
        self.reversed = self.deltas[::-1]

    def place(self) -> int:
        self.go(0)
        return self.seen + 1

    def hopeless(self) -> bool:
        """No leaf below can better what is seen (the points step decides for these)."""
        target = self.sx.points
        step = self.step
        pairs = zip(self.rivals, self.todo, strict=True)
        if self.win:
            sure = [1 for s, t in pairs if s.points + step * t > target]
            return len(sure) >= self.seen
        could = [1 for s, t in pairs if s.points + step * t >= target]
        return len(could) <= self.seen

    def leaf(self) -> bool:
        sx, h2h = self.sx, self.h2h
        target, steps = sx.points, self.steps
        # points first, inline (the first step); level on them, the rest of the steps
        codes = [
            _compare(s, sx, steps, _LEVEL)
            if s.points == target
            else (1 if s.points > target else -1)
            for s in self.rivals
        ]
        if h2h is not None and codes.count(_LEVEL) == 1 and 0 not in codes:
            # exactly one rival level with X on everything known, and nobody else who
            # might be: the two of them alone are the block the head-to-head compares
            i = codes.index(_LEVEL)
            codes[i] = h2h(self.rivals[i].rec.club, self.x)
        if self.win:
            above = sum(1 for c in codes if c == 1)
            if above < self.seen:
                self.seen = above
        else:
            above = sum(1 for c in codes if c != -1)
            if above > self.seen:
                self.seen = above
        return self.seen == self.goal

    def go(self, i: int) -> bool:
        if i == len(self.others):
            return self.leaf()
        if self.hopeless():
            return False
        states, todo = self.states, self.todo
        h, a = self.others[i]
        hi, ai = self.pairs[i]
        todo[hi] -= 1
        todo[ai] -= 1
        sh, sa = states[h], states[a]
        # best: points to the stronger side first (kept together); worst: to the weaker
        stronger_home = sh.points >= sa.points
        order = self.deltas if stronger_home == self.win else self.reversed
        found = False
        for hp, hw, ap, aw in order:  # what _apply adds for the outcome, inlined
            sh.points += hp
            sh.won += hw
            sa.points += ap
            sa.won += aw
            sa.away_wins += aw
            found = self.go(i + 1)
            sh.points -= hp
            sh.won -= hw
            sa.points -= ap
            sa.won -= aw
            sa.away_wins -= aw
            if found:
                break
        todo[hi] += 1
        todo[ai] += 1
        return found


def _bound(
    x: str,
    clubs: Sequence[str],
    steps: list[_Step],
    graph: _Graph,
    lows: Mapping[str, _State],
    highs: Mapping[str, _State],
    scheme: PointsScheme,
    by_low: Sequence[str],
) -> tuple[int, int]:
    """Sound best and worst place when there are too many fixtures to enumerate.

    Built straight from the records and the fixture graph (no outcome is
    applied match by match): linear in the group's clubs and fixtures.
    ``lows`` and ``highs`` hold each club's figures when it loses, or wins,
    every match it has left (:func:`_extremes`): X's best is its high against
    the rivals' lows, its worst its low against their highs. The points,
    first in ``steps``, are compared inline; only clubs level on them go on
    to :func:`_compare`. ``by_low``: the clubs by their lows' points, most first
    (equal points in ``clubs`` order), so the caps come out smallest first.
    """
    win, loss = scheme.win, scheme.loss
    left = graph.left
    vs_x = dict.fromkeys(clubs, 0)
    for opponent in graph.adj[x]:
        vs_x[opponent] += 1
    # best: X wins everything; a rival is above for sure if it is even when losing every match
    sx = highs[x]
    target = sx.points
    caps: list[tuple[str, int]] = []
    above = 0
    for c in by_low:
        if c == x:
            continue
        s = lows[c]
        p = s.points
        if p > target or (p == target and _compare(s, sx, steps) > 0):
            above += 1
        else:
            caps.append((c, target - p))
    # the rest must all stay at or below X's total (level may go either way) at once
    best = above + 1
    if not _fits_below(caps, graph.adj, scheme, graph.fixtures):
        best += 1
    # worst: X loses everything; a rival is below for sure if it is even when winning every one
    sx = lows[x]
    target = sx.points
    needs: dict[str, int] = {}
    for c in clubs:
        if c == x:
            continue
        s = highs[c]
        p = s.points
        if p > target or (p == target and _compare(s, sx, steps) >= 0):
            # every remaining match lost, bar those against X: the base of what it needs
            short = target - s.rec.points - win * vs_x[c] - loss * (left[c] - vs_x[c])
            needs[c] = short if short > 0 else 0
    worst = len(needs) + 1
    if not _can_all_reach(needs, graph.adj, x, scheme):
        worst -= 1
    return best, worst


def _extremes(
    clubs: Sequence[str], records: Mapping[str, Record], scheme: PointsScheme, graph: _Graph
) -> tuple[dict[str, _State], dict[str, _State]]:
    """Every club's figures when it loses, and when it wins, every match it has left."""
    win, loss = scheme.win, scheme.loss
    lows: dict[str, _State] = {}
    highs: dict[str, _State] = {}
    for c in clubs:
        r = records[c]
        n = graph.left[c]
        lows[c] = _State(r.points + loss * n, r.won, r.away_wins, r, n == 0)
        highs[c] = _State(r.points + win * n, r.won + n, r.away_wins + graph.away[c], r, n == 0)
    return lows, highs


def _fits_below(
    caps: Sequence[tuple[str, int]],
    adj: Mapping[str, list[str]],
    scheme: PointsScheme,
    fixtures: int,
) -> bool:
    """Could every club stay within its cap of extra points over its matches among them?

    Every match hands out at least ``m = min(2 * (draw - loss), win - loss)``
    points over two losses, so a set S of clubs whose own matches hand out
    more than S's caps allow cannot all stay within them (the cut condition of
    the maximum-flow formulation). Checked on the sets of the clubs with the
    smallest caps (``caps`` lists them so, each with its cap); ``False`` only when
    certain. ``adj`` lists each club's opponents in the remaining fixtures
    (clubs not in ``caps`` are passed over); ``fixtures`` counts them all, so
    once the room reaches what they can hand out no larger set can fail.
    """
    if caps and caps[0][1] < 0:
        return False
    m = min(2 * (scheme.draw - scheme.loss), scheme.win - scheme.loss)
    if m <= 0:
        return True
    most = m * fixtures
    inside: set[str] = set()
    room = among = 0
    for c, cap in caps:
        among += sum(map(inside.__contains__, adj[c]))
        inside.add(c)
        room += cap
        if m * among > room:
            return False
        if room >= most:
            return True
    return True


def _can_all_reach(
    needs: Mapping[str, int], adj: Mapping[str, list[str]], x: str, scheme: PointsScheme
) -> bool:
    """Could every club in ``needs`` gain its needed points over its matches (not those
    against ``x``, which it is given) at once?

    A match hands out at most ``M = max(win - loss, 2 * (draw - loss))`` points
    over two losses and at most ``win - loss`` to one side, so a set T of
    clubs needing more than the matches they play can hand them cannot all
    get there (the cut condition of the maximum-flow formulation). Checked on
    the sets of the clubs with the largest needs; ``False`` only when certain.
    Once the supply covers every need no larger set can fail (it only grows).
    """
    big = max(scheme.win - scheme.loss, 2 * (scheme.draw - scheme.loss))
    side = scheme.win - scheme.loss
    # largest first, equal needs in their listed order (a stable sort)
    order = sorted([c for c in needs if needs[c] > 0], key=needs.__getitem__, reverse=True)
    one, two = min(big, side), min(big, 2 * side)
    inside: set[str] = set()
    wanted = supply = 0
    total = sum([needs[c] for c in order])
    for c in order:
        for r in adj[c]:  # a match of c's: now feeds c, and maybe already a club inside
            if r != x:
                supply += two - one if r in inside else one
        inside.add(c)
        wanted += needs[c]
        if wanted > supply:
            return False
        if total <= supply:
            return True
    return True


#: one candidate of a comparison across groups or ties: club, fewest and most points
Candidate = tuple[str, int, int]


def placed_statuses(slots: Sequence[Sequence[Candidate]], count: int) -> dict[str, Status]:
    """Statuses in a comparison of one club per slot (a group's N-th placed, a tie's loser)
    where the best ``count`` go on, proved before every slot is settled.

    Each slot lists the clubs that may still be its candidate, each with the
    fewest and most points its compared record can end with. A club is
    ``qualified`` when fewer than ``count`` other slots can reach its fewest
    points (reaching them counts as above: what follows points may go either
    way), ``out`` when at least ``count`` other slots are certain to pass its
    most points, else ``open``. Only points are used, so the comparison's chain
    must be led by points.

    >>> got = placed_statuses([[("A", 9, 9)], [("B", 1, 4), ("C", 3, 8)], [("D", 7, 12)]], 2)
    >>> {club: st.value for club, st in got.items()}
    {'A': 'qualified', 'B': 'out', 'C': 'open', 'D': 'open'}
    """
    from bisect import bisect_left, bisect_right

    lows = [min(c[1] for c in s) for s in slots]
    highs = [max(c[2] for c in s) for s in slots]
    lows_sorted, highs_sorted = sorted(lows), sorted(highs)
    n = len(slots)
    out: dict[str, Status] = {}
    for i, slot in enumerate(slots):
        for club, lo, hi in slot:
            # other slots whose candidate may finish level with or above this club
            maybe = n - bisect_left(highs_sorted, lo) - (1 if highs[i] >= lo else 0)
            # other slots whose candidate is certain to finish above it
            sure = n - bisect_right(lows_sorted, hi) - (1 if lows[i] > hi else 0)
            if maybe < count:
                out[club] = Status.QUALIFIED
            elif sure >= count:
                out[club] = Status.OUT
            else:
                out[club] = Status.OPEN
    return out
