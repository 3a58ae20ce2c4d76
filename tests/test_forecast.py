"""Forecasts: closed forms, conservation, reproducibility, the kernels against the core, ratings.

Expected probabilities are computed independently of the simulator: by
symmetry, by convolving Poisson score grids (copa.forecast.exact) or by
enumerating every bounded score of a small group here in the test. Monte
Carlo figures must agree within four standard errors; run counts are small
and seeds fixed so the file runs in seconds.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from scipy import stats

from copa.core.club import Club
from copa.core.group import Group, GroupRules
from copa.core.match import Match, MatchStatus, Score
from copa.core.season import Promotion, Season
from copa.core.stage import Advance, Round, Stage
from copa.core.tie import Tie, TieRules
from copa.forecast.engine import Model, compile_season
from copa.forecast.exact import single_neutral, tie_probability
from copa.forecast.forecast import forecast, prepare, rate, round_sums, run_chunks, summarise
from copa.forecast.ratings import (
    club_levels,
    fit_elo,
    fit_poisson,
    observations,
    outcome_probabilities,
)
from copa.forecast.verify import check
from copa.spec.seasons import find_season

MU, HOME = math.log(1.3), 0.2


def close(p: float, expected: float, runs: int) -> None:
    se = math.sqrt(max(expected * (1 - expected), 1e-4) / runs)
    assert abs(p - expected) < 4 * se, (p, expected, se)


def one_stage(clubs: list[str], rnd: Round) -> Season:
    stage = Stage("Final Stage", "national", (rnd,), entrants=tuple(clubs))
    return Season("test", "Test", tuple(Club(c) for c in clubs), (stage,), (Promotion(1, "Up"),))


def fc_fixed(season: Season, strength: dict[str, float], runs: int, seed: int = 1):
    program = compile_season(season)
    model = Model.fixed(program.names, strength, MU, HOME)
    counts = run_chunks(program, model, runs, seed)
    return summarise(program, counts, season.name, runs, seed, None)


def scheduled(a: str, b: str, neutral: bool = False) -> Match:
    return Match(a, b, status=MatchStatus.SCHEDULED, neutral=neutral)


# ------------------------------------------------------------------ closed forms


def test_single_match_between_equal_clubs_decided_on_penalties_is_50_percent() -> None:
    # played 1-1, level after extra time: only the shoot-out is left
    leg = Match("A", "B", Score(1, 1), extra_time=Score(2, 2), neutral=True)
    tie = Tie(("A", "B"), (leg,), TieRules(("score", "extra_time", "penalties")))
    season = one_stage(["A", "B"], Round("Final", ties=(tie,), advance=Advance(winners=True)))
    runs = 20_000
    got = fc_fixed(season, {"A": 0.3, "B": -0.3}, runs)
    close(got.club("A").champion, 0.5, runs)
    # equal clubs, not played yet, neutral ground: 90 minutes, extra time, penalties
    tie = Tie(
        ("A", "B"),
        (scheduled("A", "B", neutral=True),),
        TieRules(("score", "extra_time", "penalties")),
    )
    season = one_stage(["A", "B"], Round("Final", ties=(tie,), advance=Advance(winners=True)))
    got = fc_fixed(season, {}, runs)
    close(got.club("A").champion, 0.5, runs)


def _two_legs(chain: tuple[str, ...]) -> Season:
    tie = Tie(("A", "B"), (scheduled("A", "B"), scheduled("B", "A")), TieRules(chain))
    return one_stage(["A", "B"], Round("Final", ties=(tie,), advance=Advance(winners=True)))


def _leg_means(sa: float, sb: float) -> list[tuple[float, float, bool]]:
    first = (math.exp(MU + HOME + sa - sb), math.exp(MU + sb - sa), True)
    second = (math.exp(MU + sa - sb), math.exp(MU + HOME + sb - sa), False)
    return [first, second]


@pytest.mark.parametrize(
    "chain",
    [
        ("aggregate", "away_goals", "penalties"),
        ("aggregate", "away_goals", "extra_time", "penalties"),
        ("points", "deciding_match"),
        ("points", "goal_difference", "away_goals", "penalties"),
    ],
)
def test_two_legged_tie_matches_the_convolved_score_grids(chain: tuple[str, ...]) -> None:
    sa, sb = 0.25, -0.15
    runs = 30_000
    got = fc_fixed(_two_legs(chain), {"A": sa, "B": sb}, runs, seed=7)
    decider = (math.exp(MU + sa - sb), math.exp(MU + sb - sa))
    exact = tie_probability(_leg_means(sa, sb), chain, decider=decider)
    close(got.club("A").champion, exact, runs)
    assert 0.6 < exact < 0.95  # the test can tell a stronger club from a coin


def test_the_convolution_itself_against_a_hand_worked_case() -> None:
    # one neutral match, equal means: a win in 90 minutes is (1 - P(draw)) / 2 each way,
    # and every draw is split evenly by extra time and penalties: exactly one half
    assert single_neutral(1.2, 1.2) == pytest.approx(0.5, abs=1e-12)
    lam = 1.1
    draw = sum(stats.poisson.pmf(k, lam) ** 2 for k in range(40))
    one_leg = tie_probability([(lam, lam, True)], ("score",) + ("lots",))
    assert one_leg == pytest.approx(0.5, abs=1e-9)
    assert draw == pytest.approx(float(np.i0(2 * lam) * math.exp(-2 * lam)), rel=1e-9)


def _group_round(chain: tuple[str, ...]) -> tuple[Season, list[str]]:
    clubs = ["A", "B", "C"]
    matches = (scheduled("A", "B"), scheduled("B", "C"), scheduled("C", "A"))
    g = Group("Group", tuple(clubs), matches, GroupRules(chain=chain), legs=1)
    rnd = Round("Group stage", groups=(g,), advance=Advance(top=1))
    return one_stage(clubs, rnd), clubs


def test_round_robin_of_three_matches_exact_enumeration_of_bounded_scores() -> None:
    strength = {"A": 0.35, "B": 0.0, "C": -0.3}
    season, clubs = _group_round(("points", "goal_difference", "goals_for", "lots"))
    fixtures = [("A", "B"), ("B", "C"), ("C", "A")]
    top = 9  # scores 0..8 a side; the mass left out is below 1e-4
    pm = []
    for h, a in fixtures:
        lh = math.exp(MU + HOME + strength[h] - strength[a])
        la = math.exp(MU + strength[a] - strength[h])
        pm.append((stats.poisson.pmf(range(top), lh), stats.poisson.pmf(range(top), la)))
    win = dict.fromkeys(clubs, 0.0)
    total = 0.0
    for goals in itertools.product(range(top), repeat=6):
        p = 1.0
        for i in range(3):
            p *= pm[i][0][goals[2 * i]] * pm[i][1][goals[2 * i + 1]]
        rec = {c: [0, 0, 0] for c in clubs}  # points, goal difference, goals for
        for i, (h, a) in enumerate(fixtures):
            x, y = goals[2 * i], goals[2 * i + 1]
            rec[h][0] += 3 if x > y else 1 if x == y else 0
            rec[a][0] += 3 if y > x else 1 if x == y else 0
            rec[h][1] += x - y
            rec[a][1] += y - x
            rec[h][2] += x
            rec[a][2] += y
        best = max(rec.values())
        level = [c for c in clubs if rec[c] == best]
        for c in level:  # lots between clubs level on everything at the top
            win[c] += p / len(level)
        total += p
    runs = 30_000
    got = fc_fixed(season, strength, runs, seed=3)
    for c in clubs:
        close(got.club(c).won.get("Final Stage", 0.0), win[c] / total, runs)


# ------------------------------------------------------------------ conservation

POINTS = ["Region I/First stage", "National Stage/Round of 16", "National Stage/Semifinals"]


@pytest.fixture(scope="module")
def s2011() -> Season:
    return find_season("2011")


@pytest.mark.parametrize("point", POINTS)
def test_each_round_sums_to_its_places_and_the_eliminated_are_out(
    s2011: Season, point: str
) -> None:
    fc = forecast(s2011, 600, seed=2, as_of=point)
    sums = round_sums(fc)
    for stage, rnd, places in fc.rounds:
        assert sums.get(f"{stage}/{rnd}", 0.0) == pytest.approx(places), (stage, rnd)
    assert sum(c.champion for c in fc.clubs) == pytest.approx(1.0)
    assert sum(c.promoted for c in fc.clubs) == pytest.approx(2.0)
    if point == "National Stage/Semifinals":
        # the four semi-finalists are in; the quarter-final losers have 0 everywhere after
        for club in ("Pacífico", "Los Caimanes", "Alianza Universidad", "Real Garcilaso"):
            assert fc.club(club).reach["National Stage/Semifinals"] == 1.0
        for club in ("UTC", "UNU", "ADT", "Sportivo Huracán"):
            c = fc.club(club)
            assert "National Stage/Semifinals" not in c.reach
            assert c.champion == 0.0 and c.promoted == 0.0
    for c in fc.clubs:  # reaching a round implies having reached the one before it
        got = [
            c.reach.get(f"National Stage/{r}", 0.0)
            for r in ("Round of 16", "Quarterfinals", "Semifinals", "Final")
        ]
        assert got == sorted(got, reverse=True)
        assert c.champion <= got[-1] + 1e-12


def test_a_club_proven_qualified_has_1_and_one_proven_out_has_0() -> None:
    # double round robin of three, five of six matches played: A won all four of its
    # matches (12 points, B and C can reach 6 at most): A is through, C is out
    clubs = ["A", "B", "C"]
    ms = (
        Match("A", "B", Score(2, 0)),
        Match("B", "A", Score(0, 1)),
        Match("A", "C", Score(3, 1)),
        Match("C", "A", Score(0, 2)),
        Match("B", "C", Score(1, 0)),
        scheduled("C", "B"),
    )
    g = Group("Group", tuple(clubs), ms, GroupRules(), legs=2)
    final = Round(
        "Final",
        ties=(
            Tie(
                ("X", "Y"),
                (scheduled("X", "Y", True),),
                TieRules(("score", "extra_time", "penalties")),
            ),
        ),
        advance=Advance(winners=True),
    )
    season = Season(
        "t",
        "T",
        tuple(Club(c) for c in [*clubs, "X", "Y"]),
        (
            Stage(
                "G",
                "regional",
                (Round("Group stage", groups=(g,), advance=Advance(top=1)),),
                entrants=tuple(clubs),
            ),
            Stage("F", "national", (final,), entrants=("X", "Y")),
        ),
    )
    fc = fc_fixed(season, {"C": 2.0}, 3000)
    assert fc.club("A").won["G"] == 1.0
    assert fc.club("C").won.get("G", 0.0) == 0.0
    # B is level with nobody: 3 points now, 6 at most, below A's 12
    assert fc.club("B").won.get("G", 0.0) == 0.0
    from copa.core import resolve

    result = resolve(season)
    gr = result.stages[0].rounds[0].groups[0]
    if hasattr(gr, "outlook_of"):  # the core's own proof, once it has one
        assert str(gr.outlook_of("A").status) == "qualified"
        assert str(gr.outlook_of("C").status) == "out"


# ------------------------------------------------------------ reproducibility


def test_same_seed_same_forecast_and_any_number_of_workers(s2011: Season) -> None:
    state, pyr = prepare(s2011, "National Stage/Round of 16")
    program = compile_season(state, pyr)
    model = Model.from_ratings(rate(state), program.names)
    one = run_chunks(program, model, 1200, seed=11, workers=1, chunk=300)
    two = run_chunks(program, model, 1200, seed=11, workers=2, chunk=300)
    again = run_chunks(program, model, 1200, seed=11, workers=1, chunk=300)
    other = run_chunks(program, model, 1200, seed=12, workers=1, chunk=300)
    assert one.table.keys() == two.table.keys()
    for k in one.table:
        assert (one.table[k] == two.table[k]).all(), k
        assert (one.table[k] == again.table[k]).all(), k
    assert any((one.table[k] != other.table[k]).any() for k in one.table)


# ------------------------------------------------------------ kernels v core


@pytest.mark.parametrize("point", ["Region I/First stage", "National Stage/Round of 16"])
def test_kernels_agree_with_the_core_engine_run_for_run(s2011: Season, point: str) -> None:
    state, pyr = prepare(s2011, point)
    program = compile_season(state, pyr)
    model = Model.from_ratings(rate(state), program.names)
    checked, bad = check(program, model, runs=150, seed=4)
    assert checked >= 150 * (10 if point.startswith("Region") else 4)
    assert bad == []


def test_json_document(s2011: Season) -> None:
    fc = forecast(s2011, 300, seed=5, as_of="National Stage/Semifinals")
    doc = json.loads(fc.to_json())
    assert doc["runs"] == 300 and doc["seed"] == 5 and doc["as_of"] == "National Stage/Semifinals"
    row = next(c for c in doc["clubs"] if c["club"] == "Real Garcilaso")
    assert set(row) >= {"club", "reach", "champion", "promoted"}
    assert row["reach"]["National Stage/Semifinals"] == 1.0
    assert 0 < row["champion"] < 1


# ------------------------------------------------------------------ ratings


def test_walkovers_and_annulled_matches_are_not_rated() -> None:
    played = Match("A", "B", Score(2, 1))
    wo = Match("A", "C", Score(3, 0), status=MatchStatus.WALKOVER)
    annulled = Match("B", "C", Score(5, 0), status=MatchStatus.ANNULLED)
    g = Group("G", ("A", "B", "C"), (played, wo, annulled), legs=1)
    season = one_stage(["A", "B", "C"], Round("R", groups=(g,), advance=Advance(top=1)))
    obs = observations(season)
    assert [(o.home, o.away, o.home_goals, o.away_goals) for o in obs] == [("A", "B", 2, 1)]


def test_after_five_matches_no_club_is_given_0_or_100_percent() -> None:
    # a club that won five matches 22-0, 14-0, 10-0, 9-0, 8-0 against clubs that lost them all
    rows = [("Big", f"Small{i}", g) for i, g in enumerate((22, 14, 10, 9, 8))]
    ms = tuple(Match(h, a, Score(g, 0)) for h, a, g in rows)
    clubs = ["Big", *(a for _, a, _ in rows)]
    g = Group("G", tuple(clubs), ms, legs=1)
    season = one_stage(clubs, Round("R", groups=(g,), advance=Advance(top=1)))
    model = fit_poisson(observations(season), club_levels(season))
    for other in clubs[1:]:
        for home, away in (("Big", other), (other, "Big")):
            p = model.outcome(home, away)
            assert min(p) > 0.001 and max(p) < 0.999, (home, away, p)
    elo = fit_elo(observations(season), club_levels(season))
    p = outcome_probabilities(*elo.means(clubs[1], "Big"))
    assert min(p) > 0.001
    # uncertainty is kept: a club with one match is less sure than one with five
    assert model.attack_sd["Small0"] > model.attack_sd["Big"]


def test_ratings_shrink_toward_the_level_and_can_start_from_last_season() -> None:
    ms = (Match("A", "B", Score(3, 0)), Match("B", "A", Score(0, 2)))
    season = one_stage(
        ["A", "B", "C"],
        Round("R", groups=(Group("G", ("A", "B", "C"), ms),), advance=Advance(top=1)),
    )
    first = fit_poisson(observations(season), club_levels(season))
    assert first.attack["A"] > first.attack["B"]
    assert first.attack["C"] == pytest.approx(first.level_attack[4], abs=0.05)  # no matches
    # next season C has not played yet: it starts from its old rating, not the level's
    old = fit_poisson(observations(season), club_levels(season))
    old.attack["C"], old.defence["C"] = 0.8, 0.5
    later = fit_poisson(observations(season), club_levels(season), previous=old)
    assert later.attack["C"] == pytest.approx(0.7 * 0.8, abs=0.05)


def test_ratings_recover_known_strengths_and_are_calibrated() -> None:
    """Synthetic truth: a 16-club double round robin drawn from known strengths."""
    rng = np.random.default_rng(9)
    clubs = [f"C{i}" for i in range(16)]
    truth = dict(zip(clubs, rng.normal(0, 0.35, 16), strict=True))
    matches = []
    for leg in range(2):
        for i, a in enumerate(clubs):
            for b in clubs[i + 1 :]:
                h, w = (a, b) if leg == 0 else (b, a)
                lh = math.exp(MU + HOME + truth[h] - truth[w])
                la = math.exp(MU + truth[w] - truth[h])
                matches.append(Match(h, w, Score(int(rng.poisson(lh)), int(rng.poisson(la)))))
    first, second = matches[: len(matches) // 2], matches[len(matches) // 2 :]
    season = one_stage(
        clubs, Round("R", groups=(Group("G", tuple(clubs), tuple(first)),), advance=Advance(top=1))
    )
    model = fit_poisson(observations(season), {})
    fitted = np.array([model.attack[c] + model.defence[c] for c in clubs])
    assert np.corrcoef(fitted, [truth[c] for c in clubs])[0, 1] > 0.6

    def loss(p: tuple[float, float, float], m: Match) -> float:
        s = m.score
        assert s is not None
        k = 0 if s.home > s.away else 1 if s.home == s.away else 2
        return -math.log(p[k])

    fit_ll = np.mean([loss(model.outcome(m.home, m.away), m) for m in second])
    true_ll = np.mean(
        [
            loss(
                outcome_probabilities(
                    math.exp(MU + HOME + truth[m.home] - truth[m.away]),
                    math.exp(MU + truth[m.away] - truth[m.home]),
                ),
                m,
            )
            for m in second
        ]
    )
    uniform = math.log(3)
    assert fit_ll < uniform  # better than a coin
    assert fit_ll < true_ll + 0.08  # close to the true model's own loss
