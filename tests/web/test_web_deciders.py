"""Deciding matches the engine asks for, added from the back office.

A group of three whose rules put ``deciding_match`` right after points: Alfa
beat Gamma, Beta beat Gamma, Alfa and Beta drew, so Alfa and Beta are level on
points at the line of one qualifier and the engine asks for their deciding
match (``copa result --decider`` obeys the same rule). A two-legged tie on
points then a deciding match, 1-0 and 0-1, asks for one too. An organizer of the
stage adds it; a clerk enters its result, a different person confirms it, and
only then do the public pages show the order it decided.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.web.conftest import make_user, score_post

pytestmark = pytest.mark.django_db

SEASON = """\
copa: 1
competition: Liga de Prueba
season: "2026"
rules:
  grupo:
    ranking: [points, deciding_match, goal_difference, goals_for, lots]
  llave:
    tie: [points, deciding_match]
clubs:
  - {name: Alfa, department: Cusco}
  - {name: Beta, department: Cusco}
  - {name: Gamma, department: Cusco}
  - {name: Delta, department: Puno}
  - {name: Épsilon, department: Puno}
stages:
  - name: Grupo Cusco
    kind: departmental
    entrants: [Alfa, Beta, Gamma]
    rounds:
      - name: Liguilla
        rules: grupo
        legs: 1
        advance: {top: 1}
        groups:
          - name: Grupo A
            clubs: [Alfa, Beta, Gamma]
            matches: [Alfa 3-0 Gamma, Beta 1-0 Gamma, Alfa 1-1 Beta]
  - name: Llave Puno
    kind: departmental
    entrants: [Delta, Épsilon]
    rounds:
      - name: Final
        rules: llave
        legs: 2
        ties:
          - {teams: [Delta, Épsilon], legs: [1-0, 0-1]}
"""

GROUP, TIE = "stages/0/rounds/0/groups/0", "stages/1/rounds/0/ties/0"
ADD = "/office/prueba/grupo-cusco/decider/"


@pytest.fixture
def prueba(db: Any) -> Any:
    from copa.web.services import load_season

    return load_season(SEASON, "prueba.yaml", slug="prueba")


@pytest.fixture
def staff(prueba: Any) -> dict[str, Any]:
    return {
        "org": make_user("org", "organizer", prueba, "Grupo Cusco"),
        "orgpuno": make_user("orgpuno", "organizer", prueba, "Llave Puno"),
        "conf": make_user("conf", "confirmer", prueba, "Grupo Cusco"),
        "clerk": make_user("clerk", "clerk", prueba, "Grupo Cusco"),
        "admin": make_user("admin", "admin"),
        "fan": make_user("fan", None),
    }


def version(obj: Any) -> int:
    obj.refresh_from_db()
    return int(obj.version)


def page(client: Any, path: str) -> str:
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def add(client: Any, season: Any, key: str = GROUP, home: str = "Alfa", away: str = "Beta") -> Any:
    data = {"version": version(season), "key": key, "home": home, "away": away, "reason": "FDF"}
    return client.post(ADD, data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_engine_asks_for_both_deciding_matches(prueba: Any) -> None:
    from copa.web.services import deciders_needed

    got = {(n.key, n.kind, n.clubs) for n in deciders_needed(prueba)}
    assert got == {(GROUP, "group", ("Alfa", "Beta")), (TIE, "tie", ("Delta", "Épsilon"))}


def test_a_groups_deciding_match_added_entered_confirmed_and_shown(
    client: Any, prueba: Any, staff: Any
) -> None:
    from copa.web.models import Fixture, Result

    public = page(client, "/prueba/grupo-cusco/")
    assert ">qualified<" not in public  # nobody is through while the decider waits
    client.force_login(staff["org"])
    office = page(client, "/office/prueba/grupo-cusco/")
    assert "A deciding match is needed" in office and f'value="{GROUP}"' in office
    # the clerk and the confirmer see the need but get no form
    client.force_login(staff["clerk"])
    office = page(client, "/office/prueba/grupo-cusco/")
    assert "A deciding match is needed" in office and ADD not in office
    client.force_login(staff["org"])
    before = Fixture.objects.count()
    r = add(client, prueba)
    assert r.status_code == 302
    fx = Fixture.objects.get(key=f"{GROUP}/deciders/0")
    assert r["Location"] == f"/office/fixture/{fx.pk}/"
    assert Fixture.objects.count() == before + 1
    assert (fx.kind, fx.home.name, fx.away.name, fx.stage) == (
        "decider",
        "Alfa",
        "Beta",
        "Grupo Cusco",
    )
    prueba.refresh_from_db()
    assert prueba.spec["stages"][0]["rounds"][0]["groups"][0]["deciders"] == [
        {"home": "Alfa", "away": "Beta", "score": "scheduled"}
    ]
    assert prueba.history.first().history_user == staff["org"]  # who added it is on record
    # the engine now holds it: no longer asked for, nor offered twice
    office = page(client, "/office/prueba/grupo-cusco/")
    assert "A deciding match is needed" not in office
    assert add(client, prueba).status_code == 302
    assert "No deciding match is due" in page(client, "/office/prueba/grupo-cusco/")
    assert Fixture.objects.count() == before + 1
    # the clerk enters its result like any other
    client.force_login(staff["clerk"])
    r = client.post(
        f"/office/fixture/{fx.pk}/",
        {"version": version(fx), "status": "played", "home_goals": 0, "away_goals": 2},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    res = Result.objects.get(fixture=fx)
    assert res.state == "pending" and res.entered_by == staff["clerk"]
    assert ">qualified<" not in page(client, "/prueba/grupo-cusco/")  # not yet confirmed
    # the clerk cannot confirm it; the confirmer can
    r = client.post(f"/office/result/{res.pk}/confirm/", {"version": version(fx)})
    assert r.status_code == 403 and Result.objects.get(pk=res.pk).state == "pending"
    client.force_login(staff["conf"])
    r = client.post(f"/office/result/{res.pk}/confirm/", {"version": version(fx)})
    assert r.status_code == 302
    res.refresh_from_db()
    assert res.state == "confirmed" and res.confirmed_by == staff["conf"]
    public = page(client, "/prueba/grupo-cusco/")
    assert public.count(">qualified<") == 1
    table = public[public.index("Grupo A") :]
    # Beta won the deciding match 2-0 away: Beta first, though Alfa's goal difference is better
    assert table.index("Beta") < table.index("Alfa") < table.index("Gamma")


def test_a_ties_deciding_match_is_added_by_its_stages_organizer(
    client: Any, prueba: Any, staff: Any
) -> None:
    from copa.web.models import Fixture, Result

    client.force_login(staff["orgpuno"])
    r = client.post(
        "/office/prueba/llave-puno/decider/",
        {"version": version(prueba), "key": TIE, "home": "Épsilon", "away": "Delta"},
    )
    assert r.status_code == 302
    fx = Fixture.objects.get(key=f"{TIE}/decider")
    # written from the tie's first club's side, on neutral ground, where a shoot-out may come
    assert (fx.home.name, fx.away.name, fx.neutral, fx.allows_penalties) == (
        "Delta",
        "Épsilon",
        True,
        True,
    )
    assert (
        prueba.__class__.objects.get(pk=prueba.pk).spec["stages"][1]["rounds"][0]["ties"][0][
            "decider"
        ]
        == "scheduled"
    )
    # its organizer enters it (a draw, then penalties), a confirmer of the stage confirms it
    assert "penalties" in page(client, f"/office/fixture/{fx.pk}/").lower()
    r = client.post(
        f"/office/fixture/{fx.pk}/",
        score_post(version(fx), 1, 1, pen_home=4, pen_away=3),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    res = Result.objects.get(fixture=fx)
    assert winner(prueba) is None  # entered, not confirmed: the engine still waits
    client.force_login(make_user("confpuno", "confirmer", prueba, "Llave Puno"))
    r = client.post(f"/office/result/{res.pk}/confirm/", {"version": version(fx)})
    assert r.status_code == 302
    assert winner(prueba) == "Delta"
    assert Result.objects.get(pk=res.pk).state == "confirmed"


def winner(season: Any) -> str | None:
    from copa.web import engine

    season.refresh_from_db()
    (tie,) = engine.compute(season).result.stages[1].rounds[0].ties
    return tie.winner


def test_a_deciding_match_not_due_is_refused_and_nothing_stored(
    client: Any, prueba: Any, staff: Any
) -> None:
    from copa.web.models import Fixture

    client.force_login(staff["org"])
    before = (Fixture.objects.count(), version(prueba), prueba.spec)
    # Alfa and Gamma are not level: no deciding match between them
    r = add(client, prueba, home="Alfa", away="Gamma")
    assert r.status_code == 302
    office = page(client, "/office/prueba/grupo-cusco/")
    assert office.count("No deciding match is due between Alfa and Gamma") == 1
    # a stale form is refused too
    r = client.post(
        ADD,
        {"version": version(prueba) - 1, "key": GROUP, "home": "Alfa", "away": "Beta"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "someone else changed this season" in page(client, "/office/prueba/grupo-cusco/")
    assert (Fixture.objects.count(), version(prueba), prueba.spec) == before


def test_a_complete_group_not_level_asks_for_none(client: Any, db: Any) -> None:
    from copa.web.models import Fixture
    from copa.web.services import deciders_needed, load_season

    season = load_season(
        SEASON.replace("Alfa 1-1 Beta", "Alfa 1-0 Beta").replace(
            "legs: [1-0, 0-1]", "legs: [1-0, 0-0]"
        ),
        "prueba.yaml",
        slug="prueba",
    )
    assert deciders_needed(season) == []
    client.force_login(make_user("org", "organizer", season, "Grupo Cusco"))
    before = Fixture.objects.count()
    add(client, season)
    assert "they are not level at a qualification line" in page(
        client, "/office/prueba/grupo-cusco/"
    )
    assert Fixture.objects.count() == before


ROLES = [
    ("anon", 302),
    ("fan", 403),
    ("admin", 302),
    ("org", 302),
    ("orgpuno", 403),
    ("clerk", 403),
    ("conf", 403),
]


@pytest.mark.parametrize(("who", "status"), ROLES)
def test_who_may_add_a_deciding_match(
    client: Any, prueba: Any, staff: Any, who: str, status: int
) -> None:
    from copa.web.models import Fixture

    if who != "anon":
        client.force_login(staff[who])
    r = add(client, prueba)
    assert r.status_code == status
    added = Fixture.objects.filter(key=f"{GROUP}/deciders/0").exists()
    assert added == (who in ("admin", "org"))
    if who == "anon":
        assert "/login" in r["Location"]


def test_the_need_and_the_refusal_in_spanish(client: Any, prueba: Any, staff: Any) -> None:
    client.force_login(staff["org"])
    office = client.get("/office/prueba/grupo-cusco/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Se necesita un partido de desempate" in office
    assert "Añadir el partido de desempate" in office
    client.post(
        ADD,
        {"version": version(prueba), "key": GROUP, "home": "Alfa", "away": "Gamma"},
        HTTP_ACCEPT_LANGUAGE="es",
    )
    office = client.get("/office/prueba/grupo-cusco/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "No corresponde un partido de desempate entre Alfa y Gamma" in office


def test_region_viii_without_its_tiebreaker_asks_for_it_and_the_web_plays_it(
    client: Any, db: Any
) -> None:
    """2011's Region VIII with Group B's deciding match left out of the file: once every
    group match is confirmed the engine asks for it (Franciscano San Román and José María
    Arguedas level on points at the line of one), the organizer adds it, and its confirmed
    result (the source's 1-0) qualifies its winner as the season file has it."""
    import yaml

    from copa.web.models import Fixture
    from copa.web.services import deciders_needed, load_season
    from tests.web.conftest import live_2011_text
    from tests.web.test_web_flow import enter_and_confirm, region8_results

    data = yaml.safe_load(live_2011_text())
    (r8,) = [s for s in data["stages"] if s["name"] == "Region VIII"]
    group_b = r8["rounds"][0]["groups"][1]
    assert group_b["name"] == "Group B" and len(group_b["deciders"]) == 1
    group_b["deciders"] = []
    live = load_season(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "x", "live")
    org8 = make_user("org8", "organizer", live, "Region VIII")
    org1 = make_user("org1", "organizer", live, "Region I")
    clerk8 = make_user("clerk8", "clerk", live, "Region VIII")
    conf8 = make_user("conf8", "confirmer", live, "Region VIII")
    fixtures = {
        (f.home.name, f.away.name): f
        for f in Fixture.objects.filter(season=live, stage="Region VIII").select_related(
            "home", "away"
        )
    }
    results = region8_results()
    ((dh, da, _k, h, a),) = [r for r in results if r[2] == "decider"]
    for home, away, kind, gh, ga in results:
        if kind == "group":
            enter_and_confirm(client, clerk8, conf8, fixtures[(home, away)], gh, ga)
    live.refresh_from_db()
    (need,) = deciders_needed(live)
    assert (dh, da, h, a) == ("Franciscano San Román", "José María Arguedas", 1, 0)
    assert (need.stage, need.unit, set(need.clubs)) == ("Region VIII", "Group B", {dh, da})
    url = "/office/live/region-viii/decider/"
    form = {"version": live.version, "key": need.key, "home": dh, "away": da}
    client.force_login(org1)  # another region's organizer may not
    assert client.post(url, form).status_code == 403
    client.force_login(org8)
    r = client.post(url, form)
    assert r.status_code == 302
    fx = Fixture.objects.get(season=live, key=f"{need.key}/deciders/0")
    assert (fx.home.name, fx.away.name) == (dh, da)
    enter_and_confirm(client, clerk8, conf8, fx, h, a)
    text = client.get("/live/region-viii/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert text.count(">qualified<") == 2
    live.refresh_from_db()
    assert deciders_needed(live) == []
    # Region VIII's groups are now the season file's, table for table
    import json

    from copa.core import resolve
    from copa.sinks.export_json import to_json
    from copa.spec.seasons import find_season

    want = [
        g for g in to_json(resolve(find_season("2011")))["groups"] if g["stage"] == "Region VIII"
    ]
    got = json.loads(client.get("/api/seasons/live/").content)["groups"]
    assert [g for g in got if g["stage"] == "Region VIII"] == want
