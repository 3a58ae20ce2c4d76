"""Best-placed and best-loser comparisons settle before everything they depend on is
complete, when a bound proves it (issue 7 §1: "Best-placed qualification across groups
and best losers get the same three statuses. They are open while any group or tie they
depend on is incomplete, unless a bound settles them").

Two worked examples with expected statuses argued by hand, then soundness properties:
random rounds with a few fixtures left, every completion of them enumerated (scores
covering every win/draw/loss pattern, and both shoot-out outcomes where one is needed),
and every ``qualified``/``out`` claim checked against the completed round.
"""

from __future__ import annotations

from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from copa.core import (
    Advance,
    Group,
    GroupRules,
    Match,
    MatchStatus,
    Round,
    Score,
    Status,
    resolve_round,
)
from copa.core.qualification import BestPlaced
from copa.core.tie import Tie, TieRules

Q, OUT, OPEN = Status.QUALIFIED, Status.OUT, Status.OPEN
SCHEDULED = MatchStatus.SCHEDULED
CHAIN = ("points", "goal_difference", "goals_for", "lots")


def m(h: str, a: str, hg: int | None = None, ag: int | None = None) -> Match:
    if hg is None or ag is None:
        return Match(h, a, status=SCHEDULED)
    return Match(h, a, Score(hg, ag))


def test_best_runners_up_settle_before_the_last_group_match() -> None:
    """Three groups of three, the winners and the best two runners-up go on.

    A (complete): A1 6, A2 3, A3 0 -> A2 is runner-up with 3 points.
    B (complete): B1 beat B2 1-0 and B3 3-0, B2 0-0 B3 -> B2 runner-up with 1 point.
    C: C1 2-0 C2 and C3 1-0 C2 played, C1 v C3 to play. C2 has no match left and
    0 points: third. C1 and C3 (3 points each) finish first and second whatever
    happens, the runner-up with 3 or 4 points. So B's runner-up (1 point) is passed
    by A's (3) and C's (at least 3): out. A2's 3 points can be reached only by C's
    runner-up: A2 is one of the best two, qualified. C1 and C3: first, or runner-up
    with at least 3 points, which only A2 (3) can reach: qualified either way.
    """
    groups = (
        Group(
            "A", ("A1", "A2", "A3"), (m("A1", "A2", 1, 0), m("A1", "A3", 1, 0), m("A2", "A3", 1, 0))
        ),
        Group(
            "B", ("B1", "B2", "B3"), (m("B1", "B2", 1, 0), m("B1", "B3", 3, 0), m("B2", "B3", 0, 0))
        ),
        Group("C", ("C1", "C2", "C3"), (m("C1", "C2", 2, 0), m("C3", "C2", 1, 0), m("C1", "C3"))),
    )
    groups = tuple(Group(g.name, g.clubs, g.matches, GroupRules(chain=CHAIN)) for g in groups)
    adv = Advance(top=1, best=(BestPlaced(2, 2, CHAIN),))
    rr = resolve_round("S", Round("R", groups=groups, advance=adv))
    assert not rr.complete
    want = {
        "A1": Q, "A2": Q, "A3": OUT,
        "B1": Q, "B2": OUT, "B3": OUT,
        "C1": Q, "C3": Q, "C2": OUT,
    }  # fmt: skip
    assert {c: rr.status_of(c) for c in want} == want
    (sel,) = rr.selections
    assert sel.chosen == () and not sel.complete  # nothing is chosen before it is played
    assert (sel.status_of("A2"), sel.status_of("B2")) == (Q, OUT)
    assert (sel.status_of("C1"), sel.status_of("C3")) == (Q, Q)
    # without the bound's help nothing in A or B could be claimed: one fewer point for A2
    # (a 1-1 with A3) and A2 (1 point) is level with what B2 has: open
    a = Group(
        "A",
        ("A1", "A2", "A3"),
        (m("A1", "A2", 1, 0), m("A1", "A3", 1, 0), m("A2", "A3", 1, 1)),
        GroupRules(chain=CHAIN),
    )
    rr = resolve_round("S", Round("R", groups=(a, *groups[1:]), advance=adv))
    assert (rr.status_of("A2"), rr.status_of("B2")) == (OPEN, OPEN)


def test_a_best_loser_is_out_before_the_last_tie_is_played() -> None:
    """Three two-legged ties, the winners and the best loser go on (points over the tie).

    Tie 1: X1 0-1 Y1, Y1 0-3 X1: Y1 loses with 3 points. Tie 2: X2 1-0 Y2, Y2 0-2 X2:
    Y2 loses with 0. Tie 3: X3 2-0 Y3, the second leg to play. Y1's 3 points are
    above Y2's 0: Y2 cannot be the best loser, out. Y1 stays open (X3 could lose the
    tie with 3 points).
    """
    rules = TieRules(("aggregate", "away_goals", "penalties"))
    ties = (
        Tie(("X1", "Y1"), (m("X1", "Y1", 0, 1), m("Y1", "X1", 0, 3)), rules),
        Tie(("X2", "Y2"), (m("X2", "Y2", 1, 0), m("Y2", "X2", 0, 2)), rules),
        Tie(("X3", "Y3"), (m("X3", "Y3", 2, 0), m("Y3", "X3")), rules),
    )
    rr = resolve_round("S", Round("R", ties=ties, advance=Advance(winners=True, best_losers=1)))
    assert (rr.status_of("Y2"), rr.status_of("Y1")) == (OUT, OPEN)
    assert (rr.status_of("X1"), rr.status_of("X2")) == (Q, Q)
    assert (rr.status_of("X3"), rr.status_of("Y3")) == (OPEN, OPEN)


# ---------------------------------------------------------------- soundness

SCORES = (Score(1, 0), Score(0, 0), Score(0, 1), Score(2, 1))
CHAINS = (CHAIN, ("points", "lots"), ("points", "wins", "goal_difference", "lots"))


@st.composite
def group_rounds(draw: st.DrawFn) -> tuple[tuple[Group, ...], list[tuple[int, int]], Advance]:
    n_groups = draw(st.integers(2, 3))
    chain = draw(st.sampled_from(CHAINS))
    groups = []
    left: list[tuple[int, int]] = []
    fair = draw(st.booleans())
    for gi in range(n_groups):
        size = draw(st.sampled_from((3, 3, 4)))
        clubs = [f"{'ABC'[gi]}{i}" for i in range(size)]
        ms = []
        for a in range(size):
            for b in range(a + 1, size):
                if len(left) < 4 and draw(st.integers(0, 2)) == 0:
                    left.append((gi, len(ms)))
                    ms.append(m(clubs[a], clubs[b]))
                else:
                    s = draw(st.sampled_from(SCORES))
                    ms.append(Match(clubs[a], clubs[b], s))
        groups.append(Group("ABC"[gi], tuple(clubs), tuple(ms), GroupRules(chain=chain)))
    count = draw(st.integers(1, n_groups - 1))
    best = (BestPlaced(draw(st.integers(2, 3)), count, chain, fair),)
    return tuple(groups), left, Advance(top=1, best=best)


def completions(groups: tuple[Group, ...], left: list[tuple[int, int]]):
    for scores in product(SCORES, repeat=len(left)):
        out = [list(g.matches) for g in groups]
        for (gi, mi), s in zip(left, scores, strict=True):
            x = out[gi][mi]
            out[gi][mi] = Match(x.home, x.away, s)
        yield tuple(
            Group(g.name, g.clubs, tuple(ms), g.rules) for g, ms in zip(groups, out, strict=True)
        )


@settings(max_examples=50, deadline=None)
@given(group_rounds())
def test_best_placed_claims_hold_in_every_completion(
    r: tuple[tuple[Group, ...], list[tuple[int, int]], Advance],
) -> None:
    groups, left, adv = r
    now = resolve_round("S", Round("R", groups=groups, advance=adv))
    (sel,) = now.selections
    clubs = [c for g in groups for c in g.clubs]
    for done in completions(groups, left):
        final = resolve_round("S", Round("R", groups=done, advance=adv))
        assert final.complete
        (fsel,) = final.selections
        for c in clubs:
            claim = now.status_of(c)
            if claim is not OPEN:
                assert final.status_of(c) is claim, (c, claim, final.status_of(c), done)
            s = sel.status_of(c) if c in sel.statuses else None
            if s is not None and s is not OPEN and c in fsel.records:
                # a candidate of the completed comparison: it is chosen exactly as claimed
                assert fsel.status_of(c) is s, (c, s, fsel.status_of(c), done)


@st.composite
def tie_rounds(draw: st.DrawFn) -> tuple[tuple[Tie, ...], list[tuple[int, int]], Advance]:
    chain = draw(
        st.sampled_from(
            (("aggregate", "away_goals", "penalties"), ("points", "goal_difference", "penalties"))
        )
    )
    rules = TieRules(chain)
    ties = []
    left: list[tuple[int, int]] = []
    for ti in range(draw(st.integers(2, 4))):
        a, b = f"X{ti}", f"Y{ti}"
        legs = []
        for li, (h, w) in enumerate(((a, b), (b, a))):
            if len(left) < 4 and (li == 1 or not left or left[-1][0] != ti) and draw(st.booleans()):
                left.append((ti, li))
                legs.append(m(h, w))
            elif li == 1 and left and left[-1] == (ti, 0):
                left.append((ti, li))  # the second leg is not played before the first
                legs.append(m(h, w))
            else:
                legs.append(Match(h, w, draw(st.sampled_from(SCORES))))
        ties.append(Tie((a, b), tuple(legs), rules))
    count = draw(st.integers(1, len(ties) - 1))
    return tuple(ties), left, Advance(winners=True, best_losers=count)


def tie_completions(ties: tuple[Tie, ...], left: list[tuple[int, int]]):
    from copa.core.tie import resolve_tie

    for scores in product(SCORES, repeat=len(left)):
        out = [list(t.legs) for t in ties]
        for (ti, li), s in zip(left, scores, strict=True):
            x = out[ti][li]
            out[ti][li] = Match(x.home, x.away, s)
        base = [Tie(t.teams, tuple(legs), t.rules) for t, legs in zip(ties, out, strict=True)]
        # a tie left level goes to penalties: both shoot-out outcomes are completions
        level = [i for i, t in enumerate(base) if resolve_tie(t).winner is None]
        for shots in product((Score(4, 3), Score(3, 4)), repeat=len(level)):
            done = list(base)
            for i, p in zip(level, shots, strict=True):
                t = done[i]
                last = t.legs[-1]
                legs = (*t.legs[:-1], Match(last.home, last.away, last.score, penalties=p))
                done[i] = Tie(t.teams, legs, t.rules)
            yield tuple(done)


@settings(max_examples=50, deadline=None)
@given(tie_rounds())
def test_best_loser_claims_hold_in_every_completion(
    r: tuple[tuple[Tie, ...], list[tuple[int, int]], Advance],
) -> None:
    ties, left, adv = r
    now = resolve_round("S", Round("R", ties=ties, advance=adv))
    clubs = [c for t in ties for c in t.teams]
    for done in tie_completions(ties, left):
        final = resolve_round("S", Round("R", ties=done, advance=adv))
        assert final.complete and all(t.winner is not None for t in final.ties)
        for c in clubs:
            claim = now.status_of(c)
            if claim is not OPEN:
                assert final.status_of(c) is claim, (c, claim, final.status_of(c), done)


# ---------------------------------------------------------------- the exact search's pruning


@st.composite
def bigger_groups(draw: st.DrawFn) -> tuple[list[str], list[Match], list[tuple[str, str]]]:
    n = draw(st.integers(4, 6))
    clubs = [f"K{i}" for i in range(n)]
    played: list[Match] = []
    left: list[tuple[str, str]] = []
    for a in clubs:
        for b in clubs:
            if a == b:
                continue
            if len(left) < 8 and draw(st.integers(0, 2)) == 0:
                left.append((a, b))
            elif draw(st.booleans()):
                played.append(Match(a, b, draw(st.sampled_from(SCORES))))
    return clubs, played, left


@settings(max_examples=40, deadline=None)
@given(bigger_groups(), st.sampled_from((("points",), ("points", "wins"))))
def test_the_pruned_exact_search_equals_brute_force(
    g: tuple[list[str], list[Match], list[tuple[str, str]]], chain: tuple[str, ...]
) -> None:
    """Up to 6 clubs and 8 fixtures left: every win/draw/loss outcome by brute force.

    Clubs compare on (points, wins); level on both they may go either way, so a
    club's best place counts the clubs strictly above it, its worst those not
    strictly below.
    """
    from copa.core.progress import positions
    from copa.core.record import tally

    clubs, played, left = g
    recs = tally(clubs, played)
    got = positions(clubs, recs, left, chain=chain)
    best = {c: len(clubs) for c in clubs}
    worst = dict.fromkeys(clubs, 1)
    for outcome in product((0, 1, 2), repeat=len(left)):
        pts = {c: recs[c].points for c in clubs}
        won = {c: recs[c].won for c in clubs}
        for (h, a), o in zip(left, outcome, strict=True):
            if o == 0:
                pts[h] += 3
                won[h] += 1
            elif o == 1:
                pts[h] += 1
                pts[a] += 1
            else:
                pts[a] += 3
                won[a] += 1
        key = {c: (pts[c], won[c]) if chain == ("points", "wins") else (pts[c],) for c in clubs}
        for c in clubs:
            best[c] = min(best[c], 1 + sum(1 for d in clubs if key[d] > key[c]))
            worst[c] = max(worst[c], sum(1 for d in clubs if key[d] >= key[c]))
    for c in clubs:
        assert got[c] == (best[c], worst[c]), (c, got[c], best[c], worst[c], left)
