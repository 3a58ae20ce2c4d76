"""Unit tests of the rules engine on small hand-made cases, each worked out by hand."""

from __future__ import annotations

from copa.core.criteria import RankingContext
from copa.core.group import Adjustment, Group, GroupRules
from copa.core.issues import Severity
from copa.core.match import Match, MatchStatus, Score
from copa.core.points import PointsScheme
from copa.core.qualification import BestPlaced, best_losers, best_placed
from copa.core.record import tally
from copa.core.resolve import resolve, resolve_stage
from copa.core.season import Season
from copa.core.stage import Advance, Designation, Round, Stage
from copa.core.standings import rank, table
from copa.core.tie import Tie, TieRules, resolve_tie


def m(home: str, away: str, h: int, a: int, **kw: object) -> Match:
    return Match(home, away, Score(h, a), **kw)  # type: ignore[arg-type]


def two_legs(
    a: str,
    b: str,
    leg1: tuple[int, int],
    leg2: tuple[int, int],
    chain: tuple[str, ...],
    **kw: object,
) -> Tie:
    """Legs written from a's side, a hosting leg 1 (the article's convention)."""
    return Tie(
        (a, b),
        (m(a, b, *leg1), m(b, a, leg2[1], leg2[0])),
        TieRules(chain),
        **kw,  # type: ignore[arg-type]
    )


def test_two_points_for_a_win_in_older_seasons() -> None:
    ms = [m("A", "B", 1, 0), m("B", "C", 1, 1), m("C", "A", 0, 0)]
    t = table("G", ["A", "B", "C"], ms, PointsScheme(win=2))
    # A: W 1-0 (2) + D 0-0 (1) = 3; C: D + D = 2; B: L + D = 1
    assert [(s.club, s.points) for s in t.standings] == [("A", 3), ("C", 2), ("B", 1)]


def test_walkover_counts_with_awarded_score_annulled_and_scheduled_do_not() -> None:
    ms = [
        Match("A", "B", Score(3, 0), status=MatchStatus.WALKOVER),
        Match("B", "C", Score(2, 1), status=MatchStatus.ANNULLED),
        Match("C", "A", status=MatchStatus.SCHEDULED),
        Match("A", "C", Score(0, 3), status=MatchStatus.AWARDED, original=Score(2, 1)),
    ]
    r = tally(["A", "B", "C"], ms)
    assert (r["A"].played, r["A"].won, r["A"].lost, r["A"].goals_for, r["A"].goals_against) == (
        2,
        1,
        1,
        3,
        3,
    )
    assert (r["B"].played, r["C"].played, r["C"].points) == (1, 1, 3)


def test_points_deduction_moves_a_club_down() -> None:
    ms = [m("A", "B", 1, 0), m("B", "A", 1, 0)]
    g = Group("G", ("A", "B"), tuple(ms), adjustments=(Adjustment("A", -3, "walkover in round 2"),))
    t = g.table()
    assert [(s.club, s.points, s.adjustment) for s in t.standings] == [("B", 3, 0), ("A", 0, -3)]


def test_head_to_head_is_reapplied_to_the_clubs_still_level() -> None:
    # A, B, C all on 6 points with equal goal difference and goals (UEFA-style example):
    # among the three, A has 6 h2h points, B and C 3 each with identical h2h GD/GF;
    # re-applied to B and C alone, their own match decides (C beat B 2-1).
    ms = [
        m("A", "B", 1, 0),
        m("A", "C", 1, 0),  # A beats both
        m("C", "B", 2, 1),  # C beats B
        m("B", "A", 2, 1),
        m("B", "C", 1, 0),  # B beats A and C at home: B 6 pts
        m("C", "A", 1, 0),  # C beats A: C 6 pts... A 6 pts
    ]
    chain = ("points", "head_to_head", "goal_difference", "goals_for")
    t = table("G", ["A", "B", "C"], ms, chain=chain)
    pts = {s.club: s.points for s in t.standings}
    assert pts == {"A": 6, "B": 6, "C": 6}
    # all h2h: A 6 pts GD +0 (1-0,1-0,1-2,0-1 → 3-3), B 6 pts (0-1,2-1,1-2,1-0 → 4-4), C 6 (0-1,2-1,0-1,1-0 → 3-3)
    # h2h points are all 6, GD 0, GF: B 4, A 3, C 3 → B first; then A v C re-applied: 1-0 A, 1-0 C → level,
    # falls through to goal difference (equal) and goals for (equal): A and C remain level
    assert [s.club for s in t.standings] == ["B", "A", "C"]
    assert [sep.criterion for sep in t.separations] == ["head_to_head", None]


def test_head_to_head_sub_block_decided_by_its_own_match() -> None:
    # A, B and C finish on 10 points. Among the three: A 9 h2h points; B and C 4 each with
    # 1-2 in goals, so the three-club mini-table cannot split them. Re-applied to B and C
    # alone, B took 4 points from their two matches (1-0, 0-0) and goes above C, although
    # C's overall goal difference (+9) is far better than B's (+1).
    ms = [
        m("A", "B", 1, 0),
        m("B", "A", 0, 1),
        m("A", "C", 0, 1),
        m("C", "A", 0, 1),
        m("B", "C", 1, 0),
        m("C", "B", 0, 0),
        m("A", "D", 0, 0),
        m("D", "A", 1, 0),
        m("B", "D", 1, 0),
        m("D", "B", 0, 1),
        m("C", "D", 5, 0),
        m("D", "C", 0, 5),
    ]
    t = table("G", ["A", "B", "C", "D"], ms, chain=("points", "head_to_head", "goal_difference"))
    assert [(s.club, s.points, s.goal_difference) for s in t.standings] == [
        ("A", 10, 1),
        ("B", 10, 1),
        ("C", 10, 9),
        ("D", 4, -11),
    ]
    assert [sep.criterion for sep in t.separations] == ["head_to_head", "head_to_head", "points"]
    assert t.explanations() == ["A above B on head-to-head", "B above C on head-to-head"]


def test_deciding_match_only_at_a_qualification_line_and_pending_until_played() -> None:
    ms = [m("A", "B", 1, 1), m("A", "C", 3, 0), m("B", "C", 1, 0)]
    chain = ("points", "deciding_match", "goal_difference")
    # A and B level on 4 points at the line below 1st place: a deciding match is needed
    t = table("G", ["A", "B", "C"], ms, chain=chain, boundaries=[1])
    assert t.pending == ("a deciding match between A and B is needed",)
    # provisional order by the criteria after it: A on goal difference
    assert [s.club for s in t.standings] == ["A", "B", "C"]
    t2 = table("G", ["A", "B", "C"], ms, chain=chain, boundaries=[1], deciders=[m("B", "A", 2, 1)])
    assert [s.club for s in t2.standings] == ["B", "A", "C"] and not t2.pending
    assert t2.explanations() == ["B above A on deciding match"]
    # no line between them (both qualify): goal difference decides, no deciding match needed
    t3 = table("G", ["A", "B", "C"], ms, chain=chain, boundaries=[2])
    assert not t3.pending and t3.explanations() == ["A above B on goal difference"]


def test_lots_are_recorded_never_drawn() -> None:
    ms = [m("A", "B", 1, 1), m("B", "A", 1, 1)]
    chain = ("points", "goal_difference", "lots")
    t = table("G", ["A", "B"], ms, chain=chain, boundaries=[1])
    assert "drawing of lots" in t.pending[0]
    t2 = table("G", ["A", "B"], ms, chain=chain, boundaries=[1], lots=["B", "A"])
    assert [s.club for s in t2.standings] == ["B", "A"]
    assert t2.explanations() == ["B above A on drawing of lots"]


def test_tie_rules_differ_on_the_same_legs() -> None:
    # 2-0 at home, 0-1 away: points 3:3
    legs = ((2, 0), (0, 1))
    agg = resolve_tie(two_legs("A", "B", *legs, ("aggregate", "penalties")))
    assert (agg.winner, agg.decided_by) == ("A", "aggregate")
    pts = resolve_tie(two_legs("A", "B", *legs, ("points", "deciding_match")))
    assert pts.winner is None and pts.pending[0].message == "a deciding match is needed"
    decided = resolve_tie(
        two_legs("A", "B", *legs, ("points", "deciding_match"), decider=m("A", "B", 0, 1))
    )
    assert (decided.winner, decided.decided_by) == ("B", "deciding_match")


def test_away_goals_extra_time_and_penalties() -> None:
    chain = ("aggregate", "away_goals", "extra_time", "penalties")
    a = resolve_tie(two_legs("A", "B", (2, 1), (1, 2), chain))
    # level on aggregate and away goals: extra time comes next, and was not recorded
    assert a.winner is None and a.pending[0].message == "extra time is needed"
    b = resolve_tie(two_legs("A", "B", (0, 1), (2, 1), chain))
    assert (b.winner, b.decided_by) == ("A", "away_goals")
    et = Tie(
        ("A", "B"),
        (m("A", "B", 1, 1), Match("B", "A", Score(1, 1), extra_time=Score(2, 1))),
        TieRules(chain),
    )
    # 1-1 and 1-1: level on aggregate and away goals; extra time 2-1 to B
    assert (resolve_tie(et).winner, resolve_tie(et).decided_by) == ("B", "extra_time")
    pens = Tie(
        ("A", "B"),
        (m("A", "B", 1, 1), Match("B", "A", Score(1, 1), penalties=Score(3, 4))),
        TieRules(chain),
    )
    assert (resolve_tie(pens).winner, resolve_tie(pens).decided_by) == ("A", "penalties")


def test_recorded_claims_are_checked_not_trusted() -> None:
    t = two_legs(
        "A",
        "B",
        (1, 1),
        (0, 0),
        ("aggregate", "away_goals", "penalties"),
        claimed_winner="A",
        claimed_decided_by="penalties",
    )
    r = resolve_tie(t)
    assert r.winner == "B"
    conflicts = [i.message for i in r.issues if i.severity is Severity.CONFLICT]
    assert len(conflicts) == 2 and "recorded winner A, but the rules give B" in conflicts[0]


def test_penalties_after_a_decided_tie_are_an_error() -> None:
    t = Tie(
        ("A", "B"),
        (m("A", "B", 2, 0), Match("B", "A", Score(1, 0), penalties=Score(4, 3))),
        TieRules(("aggregate", "penalties")),
    )
    r = resolve_tie(t)
    assert [i.message for i in r.issues if i.severity is Severity.ERROR] == [
        "penalties recorded on a tie already decided on aggregate"
    ]


def test_walkover_tie_and_better_position() -> None:
    wo = Tie(("A", "B"), (), TieRules(), walkover="B")
    assert (resolve_tie(wo).winner, resolve_tie(wo).decided_by) == ("B", "walkover")
    level = two_legs("A", "B", (1, 0), (0, 1), ("aggregate", "better_position"), positions=(5, 2))
    assert (resolve_tie(level).winner, resolve_tie(level).decided_by) == ("B", "better_position")


def test_best_placed_is_fair_across_groups_of_different_sizes() -> None:
    # Group X (3 clubs) and group Y (4 clubs); the runner-up of Y beat Y's last club 9-0,
    # which X's runner-up could not do: with fair comparison those results are discarded.
    x = Group(
        "X",
        ("X1", "X2", "X3"),
        (m("X1", "X2", 1, 0), m("X2", "X3", 1, 0), m("X1", "X3", 1, 0)),
        legs=1,
    )
    y = Group(
        "Y",
        ("Y1", "Y2", "Y3", "Y4"),
        (
            m("Y1", "Y2", 1, 0),
            m("Y2", "Y3", 0, 0),
            m("Y2", "Y4", 9, 0),
            m("Y1", "Y3", 1, 0),
            m("Y1", "Y4", 1, 0),
            m("Y3", "Y4", 1, 0),
        ),
        legs=1,
    )
    tables = [x.table(), y.table()]
    assert tables[0].club_at(2) == "X2" and tables[1].club_at(2) == "Y2"
    fair = best_placed([x, y], tables, BestPlaced(2, 1))
    # fair: X2 3 pts (1-0 v X3) vs Y2 1 pt (0-0 v Y3; 9-0 v Y4 discarded) -> X2
    assert fair.chosen == ("X2",)
    unfair = best_placed([x, y], tables, BestPlaced(2, 1, fair=False))
    # unfair: Y2 4 pts (draw + 9-0) v X2 3 pts -> Y2
    assert unfair.chosen == ("Y2",)


def test_best_losers_ranked_by_their_own_tie() -> None:
    chain = ("aggregate", "penalties")
    rs = [
        resolve_tie(two_legs("A", "B", (0, 3), (0, 2), chain)),  # A lost 0-5, 0 pts
        resolve_tie(two_legs("C", "D", (1, 1), (1, 2), chain)),  # C lost 2-3, 1 pt
        resolve_tie(two_legs("E", "F", (1, 0), (0, 2), chain)),  # E lost 1-2, 3 pts
    ]
    sel = best_losers(rs, 2)
    assert sel.chosen == ("E", "C")
    assert sel.explanations()[0] == "E above C on points"


def test_stage_checks_entrants_designations_and_conflicts() -> None:
    chain = TieRules(("aggregate", "penalties"))
    semi = Round(
        "Semifinals",
        ties=(
            two_legs("A", "B", (1, 0), (0, 0), chain.chain),
            two_legs("C", "D", (2, 0), (0, 0), chain.chain),
        ),
        advance=Advance(winners=True),
    )
    stage = Stage(
        "S",
        "regional",
        (semi,),
        entrants=("A", "B", "C", "E"),
        places=Designation(("C", "B"), "lots", "drawn"),
    )
    r = resolve_stage(stage, {})
    messages = [i.message for i in r.issues]
    assert "qualified but not playing: E" in messages
    assert "playing but not qualified: D" in messages
    assert any(
        "places set by lots (C, B) are not the clubs that qualified (A, C)" in msg
        for msg in messages
    )


def test_slots_from_earlier_stages_are_checked() -> None:
    final1 = Round(
        "Final", ties=(Tie(("A", "B"), (m("A", "B", 1, 0),), TieRules(("score", "penalties"))),)
    )
    final2 = Round(
        "Final", ties=(Tie(("C", "D"), (m("C", "D", 0, 2),), TieRules(("score", "penalties"))),)
    )
    national = Round(
        "Final",
        ties=(
            Tie(
                ("A", "C"),
                (m("A", "C", 1, 1, penalties=Score(5, 4)),),
                TieRules(("score", "penalties")),
                slots=("R1/1", "R2/1"),
            ),
        ),
    )
    season = Season(
        "x",
        "Cup",
        (),
        (
            Stage("R1", "regional", (final1,)),
            Stage("R2", "regional", (final2,)),
            Stage("N", "national", (national,)),
        ),
    )
    r = resolve(season)
    assert r.champion == "A" and r.runner_up == "C"
    assert any("slots R1/1 v R2/1 give A v D, but the tie is A v C" in i.message for i in r.issues)


def test_group_rules_chain_is_data() -> None:
    ms = [
        m("A", "B", 0, 1),
        m("B", "A", 0, 3),
        m("A", "C", 1, 0),
        m("C", "A", 0, 0),
        m("B", "C", 0, 0),
        m("C", "B", 0, 1),
    ]
    # A: L, W 3-0, W, D = 7 pts, GD +3; B: W, L, D, W = 7 pts, GD -1; h2h: A 3 pts (3-1) v B 3 pts
    gd = Group("G", ("A", "B", "C"), tuple(ms), GroupRules(chain=("points", "goal_difference")))
    h2h = Group(
        "G",
        ("A", "B", "C"),
        tuple(ms),
        GroupRules(chain=("points", "head_to_head_goal_difference")),
    )
    assert gd.table().explanations() == ["A above B on goal difference"]
    assert h2h.table().explanations() == ["A above B on head-to-head goal difference"]


def test_rank_works_on_any_records() -> None:
    recs = tally(["A", "B"], [m("A", "B", 2, 2)])
    r = rank(["A", "B"], RankingContext(recs), ("points", "goals_for"))
    assert r.between == (None,) and r.order == ("A", "B")


def test_bracket_order_follows_the_results_not_the_listing() -> None:
    from copa.core.bracket import bracket

    rules = TieRules(("score", "penalties"))

    def one(a: str, b: str, h: int, g: int) -> Tie:
        return Tie((a, b), (m(a, b, h, g),), rules)

    # round one listed by seed (1 v 8, 2 v 7, 3 v 6, 4 v 5); round two pairs 1/8 with 4/5
    r1 = Round(
        "R1",
        ties=(
            one("S1", "S8", 1, 0),
            one("S2", "S7", 1, 0),
            one("S3", "S6", 1, 0),
            one("S4", "S5", 1, 0),
        ),
        advance=Advance(winners=True),
    )
    r2 = Round(
        "R2", ties=(one("S1", "S4", 2, 0), one("S2", "S3", 0, 1)), advance=Advance(winners=True)
    )
    final = Round("Final", ties=(one("S1", "S3", 1, 1),))
    stage = resolve_stage(Stage("K", "national", (r1, r2, final)), {})
    br = bracket(stage)
    assert [[t.tie.teams for t in ties] for _, ties in br.rounds] == [
        [("S1", "S8"), ("S4", "S5"), ("S2", "S7"), ("S3", "S6")],
        [("S1", "S4"), ("S2", "S3")],
        [("S1", "S3")],
    ]
    assert br.champion is None  # the final is level with no shoot-out recorded: pending


def test_lots_recorded_on_a_tie_the_rules_already_decided_are_an_error() -> None:
    t = two_legs("A", "B", (2, 0), (0, 1), ("aggregate", "lots"), lots="B")
    r = resolve_tie(t)
    assert r.winner == "A" and r.decided_by == "aggregate"
    assert [i.message for i in r.issues if i.severity is Severity.ERROR] == [
        "a drawing of lots recorded on a tie already decided on aggregate"
    ]
    level = resolve_tie(two_legs("A", "B", (1, 0), (0, 1), ("aggregate", "lots"), lots="B"))
    assert (level.winner, level.decided_by, level.issues) == ("B", "lots", ())
