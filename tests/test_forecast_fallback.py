"""What the vectorised kernels do not cover is played through the core engine, run by run.

Nothing stops with an error: a season whose rules the kernels cannot compile
(a tie step they lack, a best-loser rule beyond record fields) runs every run
through :func:`copa.forecast.reference.core_runs` (core simulate, advance,
resolve), and a chunk that meets a case the kernels give up on mid-run is
replayed the same way. Expected values are closed forms worked here.
"""

from __future__ import annotations

import math

import pytest
from scipy import stats

from copa.core.club import Club
from copa.core.match import Match, MatchStatus
from copa.core.season import Promotion, Season
from copa.core.stage import Advance, Round, Stage
from copa.core.tie import Tie, TieRules
from copa.forecast import engine
from copa.forecast.engine import Model, Unsupported
from copa.forecast.forecast import (
    CoreProgram,
    compile_or_core,
    forecast,
    prepare,
    rate,
    round_sums,
    run_chunks,
    summarise,
)
from copa.spec.seasons import find_season

MU, HOME = math.log(1.3), 0.2


@pytest.fixture(scope="module")
def s2011() -> Season:
    return find_season("2011")


def close(p: float, expected: float, runs: int) -> None:
    se = math.sqrt(max(expected * (1 - expected), 1e-4) / runs)
    assert abs(p - expected) < 4 * se, (p, expected, se)


def sch(a: str, b: str) -> Match:
    return Match(a, b, status=MatchStatus.SCHEDULED)


def better_position_final() -> Season:
    """A two-legged final decided by aggregate, then the better earlier position (B's)."""
    tie = Tie(
        ("A", "B"),
        (sch("A", "B"), sch("B", "A")),
        TieRules(("aggregate", "better_position")),
        positions=(2, 1),
    )
    rnd = Round("Final", ties=(tie,), advance=Advance(winners=True))
    stage = Stage("Final Stage", "national", (rnd,), entrants=("A", "B"))
    return Season("t", "T", (Club("A"), Club("B")), (stage,), (Promotion(1, "Up"),))


def test_a_tie_step_the_kernels_lack_is_played_by_the_core_and_matches_the_closed_form() -> None:
    season = better_position_final()
    program = compile_or_core(season, None)
    assert isinstance(program, CoreProgram)
    assert "better_position" in program.reason
    sa, sb = 0.3, -0.1
    model = Model.fixed(program.names, {"A": sa, "B": sb}, MU, HOME)
    runs = 3_000
    counts = run_chunks(program, model, runs, seed=5, chunk=500)
    fc = summarise(program, counts, "t", runs, 5, None)
    assert fc.core_runs == runs
    # A wins only on aggregate (level: B's better position): P(Poisson(ma) > Poisson(mb))
    ma = math.exp(MU + HOME + sa - sb) + math.exp(MU + sa - sb)
    mb = math.exp(MU + sb - sa) + math.exp(MU + HOME + sb - sa)
    exact = float(stats.skellam.sf(0, ma, mb))
    close(fc.club("A").champion, exact, runs)
    close(fc.club("B").champion, 1 - exact, runs)
    assert round_sums(fc) == {"Final Stage/Final": 2.0}
    # the same seed gives the same answer at any number of workers, on the core path too
    two = run_chunks(program, model, runs, seed=5, workers=2, chunk=500)
    assert {k: v.tolist() for k, v in two.table.items()} == {
        k: v.tolist() for k, v in counts.table.items()
    }


def test_a_best_loser_rule_beyond_record_fields_does_not_stop_the_forecast() -> None:
    clubs = ["A", "B", "C", "D"]
    ties = tuple(
        Tie((x, y), (sch(x, y), sch(y, x)), TieRules(("aggregate", "away_goals", "penalties")))
        for x, y in (("A", "B"), ("C", "D"))
    )
    chain = ("points", "goal_difference", "goals_for", "away_goals", "lots")
    rnd = Round(
        "First stage",
        ties=ties,
        advance=Advance(winners=True, best_losers=1, best_losers_chain=chain),
    )
    stage = Stage("Final Stage", "national", (rnd,), entrants=tuple(clubs))
    season = Season("t", "T", tuple(Club(c) for c in clubs), (stage,), (Promotion(1, "Up"),))
    with pytest.raises(Unsupported, match="away_goals"):
        engine.compile_season(season)
    fc = forecast(season, 200, seed=2)
    assert fc.core_runs == 200
    assert round_sums(fc) == {"Final Stage/First stage": 4.0}


def test_a_chunk_meeting_a_case_the_kernels_give_up_on_is_replayed_by_the_core(
    s2011: Season, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, pyr = prepare(s2011, "National Stage/Semifinals")
    program = compile_or_core(state, pyr)
    assert not isinstance(program, CoreProgram)
    model = Model.from_ratings(rate(state), program.names)
    kernels = summarise(program, run_chunks(program, model, 4_000, seed=3), "2011", 4_000, 3, None)
    assert kernels.core_runs == 0
    real = engine.RoundProgram.play_ties

    def gives_up(self: engine.RoundProgram, ch: engine.Chunk, clubs, out) -> None:  # type: ignore[no-untyped-def]
        if self.name == "Final":
            raise Unsupported("the final (forced for this test)")
        real(self, ch, clubs, out)

    monkeypatch.setattr(engine.RoundProgram, "play_ties", gives_up)
    runs = 240
    counts = run_chunks(program, model, runs, seed=3, chunk=120)
    core = summarise(program, counts, "2011", runs, 3, None)
    assert core.core_runs == runs
    assert round_sums(core) == pytest.approx(round_sums(kernels))
    for c in kernels.clubs:
        if c.reach.get("National Stage/Final"):
            close(core.club(c.club).champion, c.champion, runs)


def test_forecast_season_is_the_stable_entry_point(s2011: Season) -> None:
    from copa.forecast import forecast_season

    got = forecast_season(s2011, 300, 5, as_of="National Stage/Semifinals")
    doc = got.to_dict()
    assert doc["runs"] == 300 and doc["seed"] == 5 and doc["as_of"] == "National Stage/Semifinals"
    assert doc["core_runs"] == 0
    again = forecast(s2011, 300, 5, "National Stage/Semifinals", workers=2)
    assert again.to_dict() == doc
    assert round_sums(got)["National Stage/Final"] == pytest.approx(2.0)
