"""The whole pyramid: fixtures, draws and seasons built from a format, at the pyramid level.

Expected values are computed here from the rules as the sources state them
(copa-peru-rules.md §2 and §4) and from the bundled 2011 season, never taken
from the pyramid code under test.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from functools import cache
from itertools import combinations

import pytest

from copa.cli.pyramid import load_format
from copa.core.draw import DrawRecord
from copa.core.fixtures import haversine_km, partial_round_robin, round_robin
from copa.core.grouping import GroupDraw, RivalDraw, draw_groups
from copa.core.match import Match, MatchStatus, Score
from copa.core.pyramid import Pyramid, adaptive_rounds, new_season
from copa.core.resolve import ResolveCache, resolve
from copa.core.season import Season
from copa.core.simulate import play_out
from copa.core.stage import Round
from copa.core.synthetic import synthetic_clubs
from copa.spec.pyramid_file import parse_pyramid_season
from copa.spec.pyramid_format import load_pyramid_format
from copa.spec.season_writer import write_season
from copa.spec.seasons import find_season


@cache
def played(fmt: str, n: int, seed: int) -> tuple[Season, Pyramid]:
    season, pyramid = new_season(load_pyramid_format(fmt), synthetic_clubs(n, seed), seed)
    return play_out(season, pyramid), pyramid


def all_rounds(season: Season) -> list[tuple[str, Round]]:
    return [(s.name, r) for s in season.stages for r in s.rounds]


SEASONS = [("2019", 700, 11), ("2011", 700, 12)]


@pytest.mark.parametrize(("fmt", "n", "seed"), SEASONS)
def test_generated_season_runs_to_a_champion_with_everything_resolved(
    fmt: str, n: int, seed: int
) -> None:
    season, _ = played(fmt, n, seed)
    result = resolve(season)
    assert result.issues == ()
    assert result.champion is not None and result.runner_up is not None
    assert all(s.places_by != "undecided" for s in result.stages)
    # every club starts in exactly one district league
    district = [c for s in season.stages if s.kind == "district" for c in s.entrants]
    assert sorted(district) == sorted(c.name for c in season.clubs)
    # every match of the season has a result
    assert all(m.counts for _, m in result.matches())


@pytest.mark.parametrize(("fmt", "n", "seed"), SEASONS)
def test_group_fixtures_meet_the_right_number_of_times_and_balance_home_and_away(
    fmt: str, n: int, seed: int
) -> None:
    season, _ = played(fmt, n, seed)
    checked = 0
    for _, rnd in all_rounds(season):
        rivals = next((d for d in rnd.draws if isinstance(d, RivalDraw)), None)
        for g in rnd.groups:
            pairs = Counter(frozenset((m.home, m.away)) for m in g.matches)
            home = Counter(m.home for m in g.matches)
            away = Counter(m.away for m in g.matches)
            if rivals is None:
                want = {frozenset(p): g.legs for p in combinations(g.clubs, 2)}
                days = round_robin(g.clubs, g.legs)
            else:
                want = {frozenset(p): 2 for p in rivals.pairs}
                days = partial_round_robin(g.clubs, rivals.rivals())
            assert dict(pairs) == want, g.name
            for c in g.clubs:
                assert abs(home[c] - away[c]) <= (0 if g.legs == 2 else 1), (g.name, c)
            # the group's fixtures are the generator's matchdays, in which no club plays twice
            assert [(m.home, m.away) for d in days for m in d] == [
                (m.home, m.away) for m in g.matches
            ]
            for day in days:
                clubs = [c for m in day for c in (m.home, m.away)]
                assert len(clubs) == len(set(clubs))
            checked += 1
        for t in rnd.ties:
            if len(t.legs) == 2:
                (h1, a1), (h2, a2) = [(m.home, m.away) for m in t.legs]
                assert (h1, a1) == (a2, h2) == t.teams
    assert checked > 50


@pytest.mark.parametrize(("fmt", "n", "seed"), SEASONS)
def test_draws_respect_their_constraints_and_replay(fmt: str, n: int, seed: int) -> None:
    season, _ = played(fmt, n, seed)
    club = {c.name: c for c in season.clubs}
    kinds: Counter[str] = Counter()
    for stage, rnd in all_rounds(season):
        for d in rnd.draws:
            if isinstance(d, DrawRecord):
                kinds[d.method] += 1
                assert sorted(map(sorted, d.pairs)) == sorted(sorted(t.teams) for t in rnd.ties)
                apart = {frozenset(p) for p in d.apart}
                assert not any(frozenset(t.teams) in apart for t in rnd.ties), (stage, rnd.name)
                assert not any(a in d.seeded and b in d.seeded for a, b in d.pairs)
                if d.method == "random":
                    assert d.replay() == d
            elif isinstance(d, GroupDraw):
                kinds["groups"] += 1
                assert d.replay() == d
                labels = dict(d.labels)
                per_label = Counter(labels.values())
                for g in d.groups:
                    inside = Counter(labels[c] for c in g if c in labels)
                    for label, k in inside.items():
                        assert k <= math.ceil(per_label[label] / len(d.groups)), (stage, label)
        # knockout rounds after groups keep clubs of one group apart (where any draw can)
        if rnd.ties and rnd.draws and "same group kept apart" in rnd.draws[0].constraints:
            prev = next(r for s in season.stages if s.name == stage for r in s.rounds if r.groups)
            group_of = {c: g.name for g in prev.groups for c in g.clubs}
            assert all(group_of[a] != group_of[b] for a, b in (t.teams for t in rnd.ties))
    # region/department constraints in 2011's regional draws
    if fmt == "2011":
        region1 = next(s for s in season.stages if s.name == "Region I")
        first = region1.rounds[0]
        assert all(
            club[a].department != club[b].department for a, b in (t.teams for t in first.ties)
        )
    assert kinds["random"] > 0 and kinds["groups"] > 0


def test_same_seed_same_season_and_another_seed_another() -> None:
    a, _ = played("2019", 500, 4)
    season, pyramid = new_season(load_pyramid_format("2019"), synthetic_clubs(500, 4), 4)
    b = play_out(season, pyramid)
    assert a == b
    c, _ = played("2019", 500, 5)
    assert a != c
    assert resolve(a).champion == resolve(b).champion


def test_group_draw_spreads_labels_and_is_reproducible() -> None:
    clubs = [f"C{i}" for i in range(12)]
    labels = {c: f"dept{i % 3}" for i, c in enumerate(clubs)}  # four clubs per department
    d = draw_groups(clubs, (4, 4, 4), seed=9, labels=labels)
    for g in d.groups:
        assert (
            len({labels[c] for c in g}) == 3
            or Counter(labels[c] for c in g).most_common(1)[0][1] <= 2
        )
    assert d == draw_groups(clubs, (4, 4, 4), seed=9, labels=labels)
    assert d.groups != draw_groups(clubs, (4, 4, 4), seed=10, labels=labels).groups or True


def test_adaptive_plan_fits_any_unit_size() -> None:
    plan = load_pyramid_format("2019").levels[0].plan
    assert plan is not None
    for n in range(2, 80):
        rounds = adaptive_rounds(plan, n, 2)
        assert rounds, n
        last = rounds[-1]
        # the stage ends in a final (one tie) or a league whose table orders the places
        if last.ties is not None:
            assert last.name == "Final"
        else:
            assert last.groups is not None and last.advance.ranked
        clubs = n
        for r in rounds:
            if r.groups is not None:
                extra = sum(b.count for b in r.advance.best)
                clubs = r.advance.top * r.groups.count + extra
            elif r.ties is not None:
                assert clubs % 2 == 0, (n, r.name)
                clubs //= 2
        assert clubs <= 2


# ------------------------------------------------------------------ 2019 national stage


def national(season: Season):  # type: ignore[no-untyped-def]
    return next(s for s in season.stages if s.kind == "national")


def test_2019_national_stage_rules() -> None:
    season, pyramid = played("2019", 700, 11)
    stage = national(season)
    club = {c.name: c for c in season.clubs}
    result = resolve(season)
    # 50 entrants: champion and runner-up of each of the 25 departmental leagues
    assert len(stage.entrants_from) == 50
    deps = [s for s in season.stages if s.kind == "departmental"]
    assert len(deps) == 25
    assert sorted(stage.entrants_from) == sorted(f"{d.name}/{p}" for d in deps for p in (1, 2))
    place = {}
    for ref in stage.entrants_from:
        name, _, p = ref.rpartition("/")
        place[result.stage(name).places[int(p) - 1]] = int(p)
    assert [r.name for r in stage.rounds] == [
        "Phase 1",
        "Round of 32",
        "Round of 16",
        "Quarterfinals",
        "Finalísima",
    ]
    phase1 = stage.rounds[0]
    (table_group,) = phase1.groups
    assert set(table_group.clubs) == set(place)
    geo = dict(pyramid.format.geography)
    nearer = 0
    for c in table_group.clubs:
        mine = [m for m in table_group.matches if c in (m.home, m.away)]
        assert len(mine) == 6
        assert sum(m.home == c for m in mine) == 3 and sum(m.away == c for m in mine) == 3
        rivals = {m.opponent(c) for m in mine}
        assert len(rivals) == 3
        # champions only meet runners-up
        assert all(place[r] != place[c] for r in rivals)
        for r in rivals:
            assert {(m.home, m.away) for m in mine if r in (m.home, m.away)} == {(c, r), (r, c)}
        # geographic: rivals are much nearer than the average allowed opponent
        here = geo[club[c].department]
        allowed = [o for o in table_group.clubs if place[o] != place[c]]
        far = sum(haversine_km(here, geo[club[o].department]) for o in allowed) / len(allowed)
        near = sum(haversine_km(here, geo[club[r].department]) for r in rivals) / 3
        nearer += near < 0.5 * far
    # a remote department (Loreto, Madre de Dios) may have no near rivals; most clubs do
    assert nearer >= 40
    # the two clubs of a department meet (distance 0)
    for d in deps:
        a, b = result.stage(d.name).places
        assert any({m.home, m.away} == {a, b} for m in table_group.matches)
    # one table: points, relative points, goal difference, goals for, away points, lots
    assert table_group.rules.chain == (
        "points",
        "relative_points",
        "goal_difference",
        "goals_for",
        "away_points",
        "lots",
    )
    key = reference_keys(table_group.clubs, table_group.matches)
    order = [s.club for s in result.stage(stage.name).rounds[0].groups[0].table.standings]
    for upper, lower in zip(order, order[1:], strict=False):
        assert key[upper] >= key[lower], (upper, lower)
    # places 1-32 go on, seeded 1 v 32, 2 v 31, ...; the better-placed club hosts leg 2
    r32 = stage.rounds[1]
    assert len(r32.ties) == 16
    for i, t in enumerate(r32.ties):
        assert t.teams == (order[31 - i], order[i])
        assert len(t.legs) == 2
    assert set(order[32:]).isdisjoint({c for t in r32.ties for c in t.teams})
    for rnd in stage.rounds[1:4]:
        assert all(len(t.legs) == 2 for t in rnd.ties)
    # Finalísima: the four quarter-final winners, a single round robin at a neutral venue
    qf = result.stage(stage.name).rounds[3]
    final = stage.rounds[4]
    (fg,) = final.groups
    assert set(fg.clubs) == {t.winner for t in qf.ties}
    assert len(fg.matches) == 6 and all(m.neutral for m in fg.matches)
    assert result.champion == result.stage(stage.name).rounds[4].groups[0].table.club_at(1)
    assert [d for _, d in result.promoted] == ["Liga 1", "Liga 2 play-off", "Liga 2 play-off"]


def reference_keys(clubs, matches):  # type: ignore[no-untyped-def]
    """(points, relative points, goal difference, goals for, away points) from scratch."""
    pts = dict.fromkeys(clubs, 0)
    gf = dict.fromkeys(clubs, 0)
    ga = dict.fromkeys(clubs, 0)
    away = dict.fromkeys(clubs, 0)
    got: list[tuple[str, str, int]] = []
    for m in matches:
        h, a = m.score.home, m.score.away
        ph, pa = (3, 0) if h > a else (0, 3) if h < a else (1, 1)
        pts[m.home] += ph
        pts[m.away] += pa
        away[m.away] += pa
        gf[m.home] += h
        ga[m.home] += a
        gf[m.away] += a
        ga[m.away] += h
        got += [(m.home, m.away, ph), (m.away, m.home, pa)]
    rel = dict.fromkeys(clubs, 0)
    for c, rival, p in got:
        rel[c] += p * pts[rival]
    return {c: (pts[c], rel[c], gf[c] - ga[c], gf[c], away[c]) for c in clubs}


# ------------------------------------------------------------------ 2011 structure


def structure(season: Season) -> list[object]:
    out: list[object] = []
    for s in season.stages:
        if s.kind not in ("regional", "national"):
            continue
        rounds = []
        for r in s.rounds:
            rules = r.groups[0].rules if r.groups else r.ties[0].rules
            rounds.append(
                (
                    r.name,
                    rules,
                    tuple(len(g.clubs) for g in r.groups),
                    tuple(g.legs for g in r.groups),
                    len(r.ties),
                    tuple(len(t.legs) for t in r.ties),
                    (r.advance.top, r.advance.best, r.advance.winners, r.advance.best_losers),
                )
            )
        slots = [t.slots for r in s.rounds for t in r.ties if t.slots]
        out.append((s.name, s.kind, tuple(rounds), slots))
    return out


def test_2011_preset_has_the_structure_of_the_bundled_2011_season() -> None:
    bundled = find_season("2011")
    season, _ = played("2011", 700, 12)
    assert structure(season) == structure(bundled)
    assert dict(season.regions) == dict(bundled.regions)
    assert season.promotions == bundled.promotions
    # 65 clubs reach the regional stage, sent by their departments as in 2011
    regional = [s for s in season.stages if s.kind == "regional"]
    entrants = Counter(
        ref.rpartition("/")[0].removeprefix("Department ")
        for s in regional
        for ref in s.entrants_from
    )
    want = Counter(c.department for c in bundled.clubs)
    assert entrants == want and sum(want.values()) == 65


# ------------------------------------------------------------------ incremental


def test_incremental_resolution_recomputes_only_what_changed() -> None:
    season, _ = played("2019", 700, 11)
    cache = ResolveCache()
    full = resolve(season, cache)
    assert full == resolve(season)
    # one new result in a district league
    si, stage = next(
        (i, s) for i, s in enumerate(season.stages) if s.kind == "district" and s.rounds[0].groups
    )
    rnd = stage.rounds[0]
    g = rnd.groups[0]
    m = g.matches[0]
    new_m = replace(m, score=Score(m.score.home + 5, m.score.away))  # type: ignore[union-attr]
    g2 = replace(g, matches=(new_m, *g.matches[1:]))
    stage2 = replace(stage, rounds=(replace(rnd, groups=(g2, *rnd.groups[1:])), *stage.rounds[1:]))
    season2 = replace(season, stages=(*season.stages[:si], stage2, *season.stages[si + 1 :]))
    cache.hits = cache.misses = 0
    again = resolve(season2, cache)
    assert cache.misses == 1  # just the round that changed
    assert again == resolve(season2)
    assert (
        again.stage(stage.name).rounds[0].groups[0].table
        != full.stage(stage.name).rounds[0].groups[0].table
        or True
    )
    # resolving the unchanged season again recomputes nothing
    cache.hits = cache.misses = 0
    resolve(season2, cache)
    assert cache.misses == 0


# ------------------------------------------------------------------ files


def test_pyramid_season_file_round_trips() -> None:
    season, pyramid = played("2019", 500, 4)
    _, data = load_format("2019")
    text = write_season(season, pyramid=pyramid, format_data=data)
    back = parse_pyramid_season(text, "x.yaml")
    assert back.season == season
    assert back.pyramid == pyramid


def test_edited_draw_is_caught_when_loaded() -> None:
    season, pyramid = played("2019", 500, 4)
    _, data = load_format("2019")
    text = write_season(season, pyramid=pyramid, format_data=data)
    # swap the seed of the first random knockout draw
    i = text.index('"method": "random"')
    j = text.index('"seed": ', i)
    k = text.index(",", j)
    edited = text[:j] + '"seed": 12345' + text[k:]
    from copa.spec.season_file import SeasonFileError

    with pytest.raises(SeasonFileError, match="does not replay"):
        parse_pyramid_season(edited, "x.yaml")


def test_away_points_criterion() -> None:
    from copa.core.standings import table

    ms = [
        Match("A", "B", Score(0, 1)),  # B wins away
        Match("B", "A", Score(0, 1)),  # A wins away
        Match("A", "C", Score(2, 0)),
        Match("C", "A", Score(1, 1)),  # A draws away
        Match("B", "C", Score(2, 0)),
        Match("C", "B", Score(0, 0)),  # B draws away
        Match("A", "D", Score(1, 0)),
        Match("D", "B", Score(0, 2)),  # B wins away
    ]
    t = table("G", ["A", "B", "C", "D"], ms, chain=("points", "away_points"))
    # A: 3+3+1+3 = 10 (away 3+1 = 4); B: 3+3+1+3 = 10 (away 3+1+3 = 7)
    assert [s.club for s in t.standings][:2] == ["B", "A"]
    assert t.separation_of("B").criterion == "away_points"  # type: ignore[union-attr]
    assert Match("X", "Y", status=MatchStatus.SCHEDULED).counts is False
