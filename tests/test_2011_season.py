"""The bundled 2011 season replayed by the engine, checked against the article.

Expected values come from the article (its match grids, tie rows and prose)
read independently in ``tests/seed.py``, or typed here from the article with
the row they come from.
"""

from __future__ import annotations

import re

import pytest

from copa.core.resolve import SeasonResult, resolve
from copa.core.stats import season_stats
from copa.spec.seasons import find_season
from tests import seed


@pytest.fixture(scope="module")
def result() -> SeasonResult:
    return resolve(find_season("2011"))


def _group(result: SeasonResult, stage: str, name: str):  # type: ignore[no-untyped-def]
    for rr in result.rounds():
        if rr.stage == stage:
            for g in rr.groups:
                if g.group.name == name:
                    return rr, g
    raise AssertionError(f"no group {stage} {name}")


GRIDS = sorted(seed.grids())


def test_the_article_has_thirteen_group_tables() -> None:
    assert len(GRIDS) == 13


@pytest.mark.parametrize("section", GRIDS, ids=[" ".join(s) for s in GRIDS])
def test_group_table_equals_the_article_match_grid(
    result: SeasonResult, section: tuple[str, ...]
) -> None:
    stage, name = section
    expected = seed.grid_table(seed.grids()[section]["matches"])  # type: ignore[arg-type]
    _, g = _group(result, stage, name)
    got = {
        s.club: dict(
            won=s.won,
            drawn=s.drawn,
            lost=s.lost,
            gf=s.goals_for,
            ga=s.goals_against,
            points=s.points,
        )
        for s in g.table.standings
    }
    assert got == expected
    # every listed club is in the table, and the table is ordered by points
    assert set(got) == set(seed.grids()[section]["clubs"])  # type: ignore[arg-type]
    points = [s.points for s in g.table.standings]
    assert points == sorted(points, reverse=True)


def _later_clubs(stage: str, after_line: int) -> set[str]:
    """Clubs in the region's tie rows that come after a point of the article, plus the national 16."""
    clubs: set[str] = set()
    for row in seed.two_legs() + seed.one_legs():
        section = row["section"]
        if section and section[0] == stage:
            clubs |= {row["team1"], row["team2"]}
    clubs |= set(seed.national_clubs())
    return clubs


@pytest.mark.parametrize("section", GRIDS, ids=[" ".join(s) for s in GRIDS])
def test_group_winner_is_the_club_the_article_sends_on(
    result: SeasonResult, section: tuple[str, ...]
) -> None:
    stage, name = section
    rr, g = _group(result, stage, name)
    winner = g.table.club_at(1)
    runner_up = g.table.club_at(2)
    sent_on = _later_clubs(stage, 0)
    assert winner in sent_on
    assert winner in rr.qualifiers
    # the club the table places second is sent on only where the article marks two qualifiers
    # (Region VII groups, Region II Group C's best runner-up)
    assert (runner_up in rr.qualifiers) == (2 in seed.grids()[section]["marks"])


def _region_of_club() -> dict[str, str]:
    dep_region = {d: r for r, deps in seed.regions().items() for d in deps}
    # the prose writes "Apurimac" and "Ancash" as the list does, except for accents
    fold = {"Apurimac": "Apurímac"}
    dep_region |= {fold.get(d, d): r for d, r in dep_region.items()}
    return {club: dep_region[dep] for dep, club, _ in seed.qualifiers()}


def test_each_region_sends_the_two_clubs_in_the_national_round_of_16(result: SeasonResult) -> None:
    r16 = [row for row in seed.two_legs() if row["section"] == ("Round of 16",)]
    assert len(r16) == 8
    region_of = _region_of_club()
    expected: dict[str, set[str]] = {}
    for row in r16:
        for club in (row["team1"], row["team2"]):
            expected.setdefault(region_of[club], set()).add(club)  # type: ignore[index]
    assert len(expected) == 8
    for region, clubs in expected.items():
        assert set(result.stage(region).places) == clubs, region


def test_round_of_16_pairs_champions_with_runners_up_of_the_neighbouring_region(
    result: SeasonResult,
) -> None:
    # champion of Region I v runner-up of Region II, runner-up of I v champion of II, and so on
    pairs = {frozenset(t.tie.teams) for t in result.stage("National Stage").rounds[0].ties}
    regions = [f"Region {n}" for n in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")]
    for odd, even in zip(regions[::2], regions[1::2], strict=True):
        a, b = result.stage(odd).places, result.stage(even).places
        assert frozenset((a[0], b[1])) in pairs
        assert frozenset((a[1], b[0])) in pairs
    assert not [i for i in result.issues if i.severity.value != "pending"]


def _winner_from_row(row: dict[str, object], next_round: set[str] | None) -> str:
    """Who went through in an article tie row: by the next round, or by the aggregate shown."""
    a, b = str(row["team1"]), str(row["team2"])
    if next_round is not None:
        (w,) = {a, b} & next_round
        return w
    ha, hb = (int(x) for x in re.findall(r"\d+", str(row["agg"]))[:2])
    assert ha != hb
    return a if ha > hb else b


NATIONAL = ["Round of 16", "Quarterfinals", "Semifinals", "Final"]


@pytest.mark.parametrize("rnd", NATIONAL)
def test_every_national_tie_has_the_article_winner(result: SeasonResult, rnd: str) -> None:
    rows = [r for r in seed.two_legs() if r["section"] == (rnd,)]
    i = NATIONAL.index(rnd)
    nxt = None
    if i + 1 < len(NATIONAL):
        nxt = {
            str(c)
            for r in seed.two_legs()
            if r["section"] == (NATIONAL[i + 1],)
            for c in (r["team1"], r["team2"])
        }
    engine = {frozenset(t.tie.teams): t for t in result.stage("National Stage").rounds[i].ties}
    assert len(rows) == len(engine)
    for row in rows:
        t = engine[frozenset((row["team1"], row["team2"]))]
        assert t.winner == _winner_from_row(row, nxt)
        # legs as the article writes them, from team 1's side, team 1 hosting leg 1
        assert str(t.tie.legs[0]).startswith(f"{row['team1']} ")
        a1, b1 = (int(x) for x in re.findall(r"\d+", str(row["leg1"])))
        a2, b2 = (int(x) for x in re.findall(r"\d+", str(row["leg2"])))
        assert t.tie.legs[0].score is not None and t.tie.legs[1].score is not None
        assert (t.tie.legs[0].score.home, t.tie.legs[0].score.away) == (a1, b1)
        assert (t.tie.legs[1].score.away, t.tie.legs[1].score.home) == (a2, b2)


def _national(result: SeasonResult, a: str, b: str):  # type: ignore[no-untyped-def]
    for t in result.stage("National Stage").rounds:
        for r in t.ties:
            if set(r.tie.teams) == {a, b}:
                return r
    raise AssertionError((a, b))


@pytest.mark.parametrize(
    ("winner", "loser", "how"),
    [
        # "(a)" rows of the article
        ("Los Caimanes", "Universitario de Trujillo", "away_goals"),
        ("ADT", "Defensor Zarumilla", "away_goals"),
        # "(3–2 p)" and "(2–3 p)" rows
        ("Los Caimanes", "UTC", "penalties"),
        ("Alianza Universidad", "ADT", "penalties"),
        # the final: 3–1, 0–1; Real Garcilaso champion on goal difference
        ("Real Garcilaso", "Pacífico", "goal_difference"),
    ],
)
def test_national_ties_decided_as_the_article_says(
    result: SeasonResult, winner: str, loser: str, how: str
) -> None:
    r = _national(result, winner, loser)
    assert (r.winner, r.loser, r.decided_by) == (winner, loser, how)


def test_champion_and_runner_up_are_promoted(result: SeasonResult) -> None:
    assert result.champion == "Real Garcilaso"  # infobox: winners = Real Garcilaso
    assert result.runner_up == "Pacífico"
    assert dict(result.promoted) == {
        "Real Garcilaso": "First Division",
        "Pacífico": "Second Division",
    }


def test_statistics_of_the_regional_and_national_stages(result: SeasonResult) -> None:
    stats = season_stats(result)
    assert stats.scope == ("regional", "national")
    assert (stats.matches, stats.goals) == (211, 586)


def test_match_and_goal_totals_follow_from_the_article_rows(result: SeasonResult) -> None:
    grid = [m for g in seed.grids().values() for m in g["matches"]]  # type: ignore[attr-defined]
    two = seed.two_legs()
    one = seed.one_legs()
    matches = len(grid) + 2 * len(two) + len(one)
    goals = sum(h + a for _, _, h, a in grid)
    for row in two:
        for leg in ("leg1", "leg2"):
            goals += sum(int(x) for x in re.findall(r"\d+", str(row[leg]))[:2])
    for row in one:
        goals += sum(int(x) for x in re.findall(r"\d+", str(row["score"]))[:2])
    stats = season_stats(result)
    assert (stats.matches, stats.goals) == (matches, goals)


def test_sixty_five_departmental_qualifiers_with_department_and_location(
    result: SeasonResult,
) -> None:
    rows = seed.qualifiers()
    assert len(rows) == 65
    clubs = {c.name: c for c in result.season.clubs}
    assert len(clubs) == 65
    for dep, club, location in rows:
        assert (clubs[club].department, clubs[club].location) == (dep, location)


def test_region_ii_best_runner_up_and_region_i_iv_best_losers(result: SeasonResult) -> None:
    # Region II semifinals (article): Universitario de Trujillo v Huallaga, UTC v Universidad San Pedro:
    # three group winners plus UTC, the best runner-up
    r2 = result.stage("Region II").rounds[0]
    assert set(r2.qualifiers) == {
        "Universidad San Pedro",
        "Universitario de Trujillo",
        "Huallaga",
        "UTC",
    }
    # Region I: Sport Buenos Aires lost the first stage (tiebreaker on penalties) and the second stage
    # (2–3 on aggregate) yet plays the semifinals; Region IV: Pacífico lost on penalties and plays on.
    r1 = result.stage("Region I").rounds
    assert "Sport Buenos Aires" in r1[0].qualifiers and "Sport Buenos Aires" in r1[1].qualifiers
    assert "Pacífico" in result.stage("Region IV").rounds[0].qualifiers


def test_region_i_first_stage_level_on_points_goes_to_a_deciding_match(
    result: SeasonResult,
) -> None:
    # Pomalca lost 1–3 on aggregate but won one leg each: tiebreaker 2–2 (4–3 p) -> Pomalca
    ties = {frozenset(t.tie.teams): t for t in result.stage("Region I").rounds[0].ties}
    pomalca = ties[frozenset(("Deportivo Pomalca", "Sport Buenos Aires"))]
    assert (pomalca.winner, pomalca.decided_by) == ("Deportivo Pomalca", "deciding_match")
    san_jose = ties[frozenset(("Defensor San José", "9 de Octubre"))]
    assert san_jose.decided_by == "points" and san_jose.tie.decider is None


def test_explanations_name_the_separating_criterion(result: SeasonResult) -> None:
    _, c = _group(result, "Region II", "Group C")
    assert c.table.explanations() == ["Huallaga above UTC on goal difference"]
    _, a = _group(result, "Region III", "Group A")
    assert a.table.explanations() == ["Los Tigres above Atlético Pucallpa on deciding match"]
    _, b = _group(result, "Region VIII", "Group B")
    assert (
        b.table.explanations()[0]
        == "Franciscano San Román above José María Arguedas on deciding match"
    )


def test_designations_are_recorded_with_their_reasons(result: SeasonResult) -> None:
    r2 = result.stage("Region II")
    assert (r2.places, r2.places_by) == (("UTC", "Universitario de Trujillo"), "organizer")
    assert "round of 16" in r2.places_reason
    r8 = result.stage("Region VIII")
    assert (r8.places_by, r8.places[0]) == ("lots", "Real Garcilaso")
