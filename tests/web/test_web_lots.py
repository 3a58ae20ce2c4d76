"""Drawings of lots through the back office, with the two-person rule.

A group of three where every match ends 1-1 (all level on every criterion across the
line of one qualifier) and a two-legged tie decided by aggregate then lots, 1-0 and 0-1.
The engine asks for both drawings; an organizer records each, a second person confirms
it, and only then does the public page show the order drawn.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.web.conftest import make_user

pytestmark = pytest.mark.django_db

SEASON = """\
copa: 1
competition: Liga de Prueba
season: "2026"
rules:
  grupo:
    ranking: [points, goal_difference, goals_for, head_to_head, lots]
  llave:
    tie: [aggregate, lots]
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
            matches: [Alfa 1-1 Beta, Beta 1-1 Gamma, Gamma 1-1 Alfa]
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


@pytest.fixture
def prueba(db: Any) -> Any:
    from copa.web.services import load_season

    return load_season(SEASON, "prueba.yaml", slug="prueba")


@pytest.fixture
def staff(prueba: Any) -> dict[str, Any]:
    return {
        "org": make_user("org", "organizer", prueba, "Grupo Cusco"),
        "org2": make_user("org2", "organizer", prueba, "Grupo Cusco"),
        "orgpuno": make_user("orgpuno", "organizer", prueba, "Llave Puno"),
        "conf": make_user("conf", "confirmer", prueba, "Grupo Cusco"),
        "confpuno": make_user("confpuno", "confirmer", prueba, "Llave Puno"),
        "clerk": make_user("clerk", "clerk", prueba, "Grupo Cusco"),
    }


def version(season: Any) -> int:
    season.refresh_from_db()
    return int(season.version)


def page(client: Any, path: str) -> str:
    return client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def record(client: Any, season: Any, stage: str, key: str, order: list[str]) -> Any:
    data: dict[str, Any] = {"version": version(season), "key": key, "reason": "drawn at the FDF"}
    data.update({f"lot{i}": c for i, c in enumerate(order, start=1)})
    return client.post(f"/office/prueba/{stage}/lots/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_engine_asks_for_both_drawings(prueba: Any) -> None:
    from copa.web.services import lots_needed

    got = {(n.key, n.kind, n.clubs) for n in lots_needed(prueba)}
    assert got == {(GROUP, "group", ("Alfa", "Beta", "Gamma")), (TIE, "tie", ("Delta", "Épsilon"))}


def test_group_lots_recorded_by_an_organizer_and_confirmed_by_another(
    client: Any, prueba: Any, staff: Any
) -> None:
    from copa.web.models import Lots

    public = page(client, "/prueba/grupo-cusco/")
    assert ">qualified<" not in public  # nobody is through while the lots wait
    client.force_login(staff["org"])
    office = page(client, "/office/prueba/grupo-cusco/")
    assert (
        "A drawing of lots is needed" in office and 'value="stages/0/rounds/0/groups/0"' in office
    )
    # the organizer of another stage, a clerk and a confirmer cannot record it
    for who in ("orgpuno", "clerk", "conf"):
        client.force_login(staff[who])
        r = record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma", "Alfa"])
        assert r.status_code in (302, 403)
        assert not Lots.objects.exists(), who
    client.force_login(staff["org"])
    # the order must list exactly the clubs the engine names
    r = record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma"])
    assert "ask for no drawing of lots" in page(client, "/office/prueba/grupo-cusco/")
    assert not Lots.objects.exists()
    r = record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma", "Alfa"])
    assert r.status_code == 302
    lots = Lots.objects.get()
    assert lots.state == "pending" and lots.order == ["Beta", "Gamma", "Alfa"]
    # recorded, not confirmed: the public table still waits
    assert ">qualified<" not in page(client, "/prueba/grupo-cusco/")
    # the recorder cannot confirm their own drawing
    r = client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba)})
    assert r.status_code == 403
    assert Lots.objects.get().state == "pending"
    # nor can a confirmer of another stage
    client.force_login(staff["confpuno"])
    r = client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba)})
    assert r.status_code == 403
    client.force_login(staff["conf"])
    r = client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba) - 1})
    assert r.status_code == 303 and Lots.objects.get().state == "pending"  # stale form
    r = client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba)})
    assert r.status_code == 302
    lots.refresh_from_db()
    assert lots.state == "confirmed" and lots.confirmed_by == staff["conf"]
    public = page(client, "/prueba/grupo-cusco/")
    assert public.count(">qualified<") == 1
    table = public[public.index("Grupo A") :]
    assert table.index("Beta") < table.index("Gamma") < table.index("Alfa")
    api = client.get("/api/seasons/prueba/").json()
    group = next(g for g in api["groups"] if g["name"] == "Grupo A")
    assert [r["team"] for r in group["standings"]] == ["Beta", "Gamma", "Alfa"]
    assert [r["status"] for r in group["standings"]] == ["qualified", "out", "out"]
    # the engine asks no more; an organizer may revert it, as a new change
    client.force_login(staff["org2"])
    assert "A drawing of lots is needed" not in page(client, "/office/prueba/grupo-cusco/")
    r = client.post(
        f"/office/lots/{lots.pk}/revert/", {"version": version(prueba), "reason": "wrong draw"}
    )
    assert r.status_code == 302 and Lots.objects.get().state == "reverted"
    assert ">qualified<" not in page(client, "/prueba/grupo-cusco/")
    assert [h.state for h in lots.history.order_by("history_date")] == [
        "pending",
        "confirmed",
        "reverted",
    ]


def test_tie_lots_decide_the_winner(client: Any, prueba: Any, staff: Any) -> None:
    from copa.web.models import Lots

    assert "Delta" not in page(client, "/prueba/")[:0]  # the page answers
    client.force_login(staff["orgpuno"])
    office = page(client, "/office/prueba/llave-puno/")
    assert "its winner is drawn by lots" in office
    r = record(client, prueba, "llave-puno", TIE, ["Épsilon", "Delta"])
    assert r.status_code == 302
    lots = Lots.objects.get()
    client.force_login(staff["confpuno"])
    r = client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba)})
    assert r.status_code == 302
    from copa.web import engine

    prueba.refresh_from_db()
    tie = engine.compute(prueba).result.stage("Llave Puno").rounds[0].ties[0]
    assert tie.winner == "Épsilon" and tie.decided_by == "lots"


def test_the_database_refuses_one_person_drawings_and_two_confirmed(
    prueba: Any, staff: Any
) -> None:
    from copa.web.models import Fixture, Lots

    fx = Fixture.objects.filter(season=prueba, key__startswith=GROUP).first()
    base = {
        "season": prueba,
        "key": GROUP,
        "block": "Alfa|Beta|Gamma",
        "fixture": fx,
        "reason": "x",
        "entered_by": staff["org"],
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Lots.objects.create(
            order=["Alfa", "Beta", "Gamma"], state="confirmed", confirmed_by=staff["org"], **base
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Lots.objects.create(order=["Alfa", "Beta", "Gamma"], state="confirmed", **base)
    Lots.objects.create(
        order=["Alfa", "Beta", "Gamma"], state="confirmed", confirmed_by=staff["conf"], **base
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Lots.objects.create(
            order=["Beta", "Alfa", "Gamma"], state="confirmed", confirmed_by=staff["conf"], **base
        )
    # and a bulk update cannot make two confirmed either
    Lots.objects.create(order=["Gamma", "Alfa", "Beta"], state="rejected", **base)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lots.objects.filter(state="rejected").update(state="confirmed", confirmed_by=staff["conf"])


LOT_ROLES = ["anon", "fan", "admin", "org", "orgpuno", "clerk", "conf"]
# recording the group's drawing (302: recorded; anonymous users go to the login page)
RECORD = {
    "anon": 302,
    "fan": 403,
    "admin": 302,
    "org": 302,
    "orgpuno": 403,
    "clerk": 403,
    "conf": 403,
}
# confirming org2's recorded drawing
CONFIRM = {
    "anon": 302,
    "fan": 403,
    "admin": 302,
    "org": 302,
    "orgpuno": 403,
    "clerk": 403,
    "conf": 302,
}


@pytest.mark.parametrize("role", LOT_ROLES)
def test_every_role_recording_and_confirming_lots(
    client: Any, prueba: Any, staff: Any, role: str
) -> None:
    from copa.web.models import Lots

    people = {**staff, "admin": make_user("admin", "admin"), "fan": make_user("fan", None)}
    if role != "anon":
        client.force_login(people[role])
    r = record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma", "Alfa"])
    assert r.status_code == RECORD[role]
    recorded = RECORD[role] == 302 and role != "anon"
    if role == "anon":
        assert r["Location"].startswith("/office/login/")
    assert Lots.objects.filter(state="pending").count() == int(recorded)
    Lots.objects.all().delete()
    client.force_login(people["org2"])
    assert (
        record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma", "Alfa"]).status_code == 302
    )
    lots = Lots.objects.get()
    client.logout()
    if role != "anon":
        client.force_login(people[role])
    r = client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba)})
    assert r.status_code == CONFIRM[role], role
    lots.refresh_from_db()
    assert lots.state == ("confirmed" if CONFIRM[role] == 302 and role != "anon" else "pending")


def test_drawings_and_forecasts_in_the_django_admin(client: Any, prueba: Any, staff: Any) -> None:
    """Read-only there: a drawing reaches the engine only through the two-person rule."""
    boss = make_user("boss", None, is_superuser=True, is_staff=True)
    client.force_login(staff["org"])
    record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma", "Alfa"])
    client.force_login(boss)
    from copa.web.models import Lots

    lots = Lots.objects.get()
    for url in (
        "/admin/copa_web/lots/",
        f"/admin/copa_web/lots/{lots.pk}/change/",
        f"/admin/copa_web/lots/{lots.pk}/history/",
        "/admin/copa_web/forecastrun/",
    ):
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/copa_web/lots/{lots.pk}/change/").content.decode()
    assert 'name="state"' not in page  # the state is not editable here


# rejecting org2's pending drawing: its recorder or anyone who may confirm it
REJECT = CONFIRM
# reverting a confirmed drawing (as a new change, with a reason): who may record one
REVERT = RECORD


def _pending_by_org2(client: Any, prueba: Any, staff: Any) -> Any:
    from copa.web.models import Lots

    client.force_login(staff["org2"])
    assert (
        record(client, prueba, "grupo-cusco", GROUP, ["Beta", "Gamma", "Alfa"]).status_code == 302
    )
    client.logout()
    return Lots.objects.get(state="pending")


@pytest.mark.parametrize("role", LOT_ROLES)
def test_every_role_rejecting_a_pending_drawing(
    client: Any, prueba: Any, staff: Any, role: str
) -> None:
    people = {**staff, "admin": make_user("admin", "admin"), "fan": make_user("fan", None)}
    lots = _pending_by_org2(client, prueba, staff)
    if role != "anon":
        client.force_login(people[role])
    r = client.post(
        f"/office/lots/{lots.pk}/reject/", {"version": version(prueba), "reason": "wrong order"}
    )
    assert r.status_code == REJECT[role], role
    if role == "anon":
        assert r["Location"].startswith("/office/login/")
    lots.refresh_from_db()
    allowed = REJECT[role] == 302 and role != "anon"
    assert lots.state == ("rejected" if allowed else "pending")


@pytest.mark.parametrize("role", LOT_ROLES)
def test_every_role_reverting_a_confirmed_drawing(
    client: Any, prueba: Any, staff: Any, role: str
) -> None:
    people = {**staff, "admin": make_user("admin", "admin"), "fan": make_user("fan", None)}
    lots = _pending_by_org2(client, prueba, staff)
    client.force_login(staff["conf"])
    assert (
        client.post(f"/office/lots/{lots.pk}/confirm/", {"version": version(prueba)}).status_code
        == 302
    )
    client.logout()
    lots.refresh_from_db()
    assert lots.state == "confirmed"
    if role != "anon":
        client.force_login(people[role])
    r = client.post(
        f"/office/lots/{lots.pk}/revert/", {"version": version(prueba), "reason": "drawn again"}
    )
    assert r.status_code == REVERT[role], role
    lots.refresh_from_db()
    allowed = REVERT[role] == 302 and role != "anon"
    assert lots.state == ("reverted" if allowed else "confirmed")
