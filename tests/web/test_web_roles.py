"""Every role against every back-office URL and API call, table-driven; and the two-person
rule held by the server and by the database itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, transaction

from tests.web.conftest import score_post

pytestmark = pytest.mark.django_db

ROLES = ["anon", "fan", "admin", "org8", "org1", "clerk8", "clerk7", "conf8", "confnat"]


def fixture_of(season: Any, stage: str) -> Any:
    from copa.web.models import Fixture

    return Fixture.objects.filter(season=season, stage=stage).select_related("home", "away").first()


def client_for(client: Any, people: Any, role: str) -> Any:
    if role != "anon":
        client.force_login(people[role])
    return client


# (what, expected status per role). 302 to the login page for anonymous users.
GET_TABLE = {
    "office home": (
        "/office/",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 200,
            "org1": 200,
            "clerk8": 200,
            "clerk7": 200,
            "conf8": 200,
            "confnat": 200,
        },
    ),
    "office season": (
        "/office/live/",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 200,
            "org1": 200,
            "clerk8": 200,
            "clerk7": 200,
            "conf8": 200,
            "confnat": 200,
        },
    ),
    "office Region VIII": (
        "/office/live/region-viii/",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 200,
            "org1": 403,
            "clerk8": 200,
            "clerk7": 403,
            "conf8": 200,
            "confnat": 403,
        },
    ),
    "Region VIII fixture": (
        "FX8",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 200,
            "org1": 403,
            "clerk8": 200,
            "clerk7": 403,
            "conf8": 200,
            "confnat": 403,
        },
    ),
    "Region VII fixture": (
        "FX7",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 403,
            "org1": 403,
            "clerk8": 403,
            "clerk7": 200,
            "conf8": 403,
            "confnat": 403,
        },
    ),
    "season set-up": (
        "/office/setup/",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 403,
            "org1": 403,
            "clerk8": 403,
            "clerk7": 403,
            "conf8": 403,
            "confnat": 403,
        },
    ),
    "office Region VIII places (a POST only)": (
        "/office/live/region-viii/places/",
        dict(dict.fromkeys(ROLES, 405), anon=302, fan=403),  # office first, then the method
    ),
    "office Region VIII deciding match (a POST only)": (
        "/office/live/region-viii/decider/",
        dict(dict.fromkeys(ROLES, 405), anon=302, fan=403),
    ),
    "user history of clerk8": (
        "HIST",
        {
            "anon": 302,
            "fan": 403,
            "admin": 200,
            "org8": 403,
            "org1": 403,
            "clerk8": 200,
            "clerk7": 403,
            "conf8": 403,
            "confnat": 403,
        },
    ),
    "public season": ("/live/", dict.fromkeys(ROLES, 200)),
    "public forecast": ("/live/pronostico/", dict.fromkeys(ROLES, 200)),
    "API forecast (none computed yet)": ("/api/seasons/live/forecast/", dict.fromkeys(ROLES, 404)),
    "API season": ("/api/seasons/live/", dict.fromkeys(ROLES, 200)),
    "API stage": ("/api/seasons/live/stages/region-viii/", dict.fromkeys(ROLES, 200)),
    "API club": ("/api/seasons/live/clubs/real-garcilaso/", dict.fromkeys(ROLES, 200)),
}


@pytest.mark.parametrize("what", list(GET_TABLE))
def test_every_role_on_every_page(client: Any, live: Any, people: Any, what: str) -> None:
    url, expected = GET_TABLE[what]
    url = {
        "FX8": f"/office/fixture/{fixture_of(live, 'Region VIII').pk}/",
        "FX7": f"/office/fixture/{fixture_of(live, 'Region VII').pk}/",
        "HIST": f"/office/user/{people['clerk8'].pk}/history/",
    }.get(url, url)
    for role in ROLES:
        client.logout()
        got = client_for(client, people, role).get(url).status_code
        assert got == expected[role], f"{role} GET {url}: {got}, expected {expected[role]}"


ENTER = {
    "anon": 302,
    "fan": 403,
    "admin": 302,
    "org8": 302,
    "org1": 403,
    "clerk8": 302,
    "clerk7": 403,
    "conf8": 403,
    "confnat": 403,
}


def region8(season: Any) -> list[Any]:
    from copa.web.models import Fixture

    return list(
        Fixture.objects.filter(season=season, stage="Region VIII").select_related("home", "away")
    )


def test_entering_a_region_viii_result(client: Any, live: Any, people: Any) -> None:
    from copa.web.models import Result

    for role, f in zip(ROLES, region8(live), strict=False):  # a fixture of its own per role
        client.logout()
        r = client_for(client, people, role).post(
            f"/office/fixture/{f.pk}/", score_post(f.version, 2, 1)
        )
        assert r.status_code == ENTER[role], role
        if role == "anon":
            assert r["Location"].startswith("/office/login/")
        stored = Result.objects.filter(fixture=f, state="pending").count()
        assert stored == (1 if ENTER[role] == 302 and role != "anon" else 0), role


# confirming clerk8's entry; clerk8 itself must not be able to
CONFIRM = {
    "anon": 302,
    "fan": 403,
    "admin": 302,
    "org8": 302,
    "org1": 403,
    "clerk8": 403,
    "clerk7": 403,
    "conf8": 302,
    "confnat": 403,
}


def test_confirming_a_region_viii_result(client: Any, live: Any, people: Any) -> None:
    from copa.web.models import Result

    for role, f in zip(ROLES, region8(live), strict=False):
        client.logout()
        client.force_login(people["clerk8"])
        assert (
            client.post(f"/office/fixture/{f.pk}/", score_post(f.version, 2, 1)).status_code == 302
        )
        client.logout()
        f.refresh_from_db()
        pending = Result.objects.get(fixture=f, state="pending")
        r = client_for(client, people, role).post(
            f"/office/result/{pending.pk}/confirm/", {"version": f.version}
        )
        assert r.status_code == CONFIRM[role], role
        pending.refresh_from_db()
        assert pending.state == (
            "confirmed" if CONFIRM[role] == 302 and role != "anon" else "pending"
        )


REVERT = {
    "anon": 302,
    "fan": 403,
    "admin": 302,
    "org8": 302,
    "org1": 403,
    "clerk8": 403,
    "clerk7": 403,
    "conf8": 403,
    "confnat": 403,
}


def test_reverting_an_official_result(client: Any, season2011: Any, people: Any) -> None:
    from copa.web.models import Result, Role

    # the same people, given their roles in the complete 2011 season too
    for r in Role.objects.filter(season__slug="live"):
        Role.objects.create(user=r.user, kind=r.kind, season=season2011, stage=r.stage)
    for role, f in zip(ROLES, region8(season2011), strict=False):
        client.logout()
        official = Result.objects.get(fixture=f, state="confirmed")
        r = client_for(client, people, role).post(
            f"/office/result/{official.pk}/revert/", {"version": f.version, "reason": "wrong score"}
        )
        assert r.status_code == REVERT[role], role
        official.refresh_from_db()
        assert official.state == (
            "reverted" if REVERT[role] == 302 and role != "anon" else "confirmed"
        )


def test_clerk_cannot_confirm_own_entry_even_as_confirmer(
    client: Any, live: Any, people: Any
) -> None:
    """A user who is both clerk and confirmer still needs a second person."""
    from copa.web.models import Result, Role

    Role.objects.create(user=people["clerk8"], kind="confirmer", season=live, stage="Region VIII")
    f = fixture_of(live, "Region VIII")
    client.force_login(people["clerk8"])
    client.post(f"/office/fixture/{f.pk}/", score_post(f.version, 1, 0))
    f.refresh_from_db()
    pending = Result.objects.get(fixture=f, state="pending")
    page = client.get(f"/office/fixture/{f.pk}/").content.decode()
    assert f"/office/result/{pending.pk}/confirm/" not in page
    r = client.post(f"/office/result/{pending.pk}/confirm/", {"version": f.version})
    assert r.status_code == 403
    pending.refresh_from_db()
    assert pending.state == "pending"


def test_database_refuses_self_confirmation_and_two_confirmed(live: Any, people: Any) -> None:
    from copa.web.models import Result

    f = fixture_of(live, "Region VIII")
    clerk = people["clerk8"]
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(
            fixture=f,
            home_goals=1,
            away_goals=0,
            entered_by=clerk,
            confirmed_by=clerk,
            state="confirmed",
        )
    with pytest.raises(IntegrityError), transaction.atomic():  # confirmed with one person
        Result.objects.create(
            fixture=f, home_goals=1, away_goals=0, entered_by=clerk, state="confirmed"
        )
    Result.objects.create(
        fixture=f,
        home_goals=1,
        away_goals=0,
        entered_by=clerk,
        confirmed_by=people["conf8"],
        state="confirmed",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.create(
            fixture=f,
            home_goals=2,
            away_goals=0,
            entered_by=clerk,
            confirmed_by=people["conf8"],
            state="confirmed",
        )
    # and a bulk UPDATE behind the app's back cannot make two confirmed either
    r = Result.objects.create(fixture=f, home_goals=3, away_goals=0, entered_by=clerk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Result.objects.filter(pk=r.pk).update(state="confirmed", confirmed_by=people["conf8"])


def test_csrf_is_required(live: Any, people: Any) -> None:
    from django.test import Client

    c = Client(enforce_csrf_checks=True)
    c.force_login(people["clerk8"])
    f = fixture_of(live, "Region VIII")
    assert c.post(f"/office/fixture/{f.pk}/", score_post(f.version, 2, 1)).status_code == 403


def test_login_is_throttled(client: Any, live: Any, people: Any) -> None:
    for _ in range(4):
        r = client.post("/office/login/", {"username": "clerk8", "password": "wrong"})
        assert r.status_code == 200
    r = client.post("/office/login/", {"username": "clerk8", "password": "wrong"})
    assert r.status_code == 429  # the fifth failure locks the user name out
    r = client.post("/office/login/", {"username": "clerk8", "password": "a-long-test-password-42"})
    assert r.status_code == 429  # locked out, even with the right password
