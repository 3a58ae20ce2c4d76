"""A selection across groups names only the clubs it has decided, never one that waits for lots."""

from __future__ import annotations

from copa.core.group import Group
from copa.core.match import Match, Score
from copa.core.progress import Status
from copa.core.qualification import BestPlaced, best_losers, best_placed
from copa.core.tie import Tie, TieRules, resolve_tie


def _group(name: str) -> Group:
    # worked by hand: each group of three, 1st wins both (2-0, 2-0), 2nd and 3rd draw 1-1:
    # both runners-up have 1 point, goal difference -2, 3 goals for: level on everything
    a, b, c = (f"{name}{i}" for i in (1, 2, 3))
    ms = (
        Match(a, b, Score(2, 0)),
        Match(a, c, Score(2, 0)),
        Match(b, c, Score(1, 1)),
    )
    return Group(name, (a, b, c), ms, legs=1)


def test_level_runners_up_wait_for_lots_and_neither_is_named() -> None:
    x, y = _group("X"), _group("Y")
    tables = [x.table(), y.table()]
    assert {tables[0].club_at(2), tables[1].club_at(2)} <= {"X2", "X3", "Y2", "Y3"}
    spec = BestPlaced(2, 1, ("points", "goal_difference", "goals_for", "lots"))
    sel = best_placed([x, y], tables, spec)
    both = (tables[0].club_at(2), tables[1].club_at(2))
    assert sel.chosen == ()
    assert {sel.status_of(c) for c in both} == {Status.OPEN}
    drawn = best_placed([x, y], tables, spec, lots=(both[1], both[0]))
    assert drawn.chosen == (both[1],)
    assert drawn.status_of(both[1]) is Status.QUALIFIED
    assert drawn.status_of(both[0]) is Status.OUT


def test_best_losers_level_on_everything_wait_for_lots() -> None:
    chain = TieRules(("aggregate", "penalties"))
    # both losers lost 0-1 over one leg: level on every best-loser criterion
    rs = [
        resolve_tie(Tie(("A", "B"), (Match("A", "B", Score(0, 1)),), chain)),
        resolve_tie(Tie(("C", "D"), (Match("C", "D", Score(0, 1)),), chain)),
    ]
    sel = best_losers(rs, 1, ("points", "goal_difference", "goals_for", "lots"))
    assert sel.chosen == ()
    assert sel.status_of("A") is Status.OPEN and sel.status_of("C") is Status.OPEN
