"""Season set-up in the back office: a pyramid format plus a clubs CSV, a season file, an
import; bad uploads give one message naming the line and field and store nothing; only a
federation administrator may set up a season.

The clubs are a CSV written here (the test's own rows, read back with :mod:`csv`, not with
copa); the expected clubs, districts and winners follow from those rows by hand.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.conftest import make_user, score_post

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[1] / "data"

# one department's league: two districts with a final each, one with a league of three,
# in two provinces of Cusco (and a club of another department, which is left out)
CLUBS = """nombre,distrito,provincia,departamento
Alfa Anta,Anta,Anta,Cusco
Beta Anta,Anta,Anta,Cusco
Alfa Zurite,Zurite,Anta,Cusco
Beta Zurite,Zurite,Anta,Cusco
Alfa Urcos,Urcos,Quispicanchi,Cusco
Beta Urcos,Urcos,Quispicanchi,Cusco
Gamma Urcos,Urcos,Quispicanchi,Cusco
Alfa Ocongate,Ocongate,Quispicanchi,Cusco
Beta Ocongate,Ocongate,Quispicanchi,Cusco
Alfa Tacna,Tacna,Tacna,Tacna
"""


def rows() -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(CLUBS)))


def upload(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def pyramid_post(clubs: str = CLUBS, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "mode": "pyramid",
        "slug": "cusco",
        "preset": "copa-peru-2019",
        "clubs": upload("clubes.csv", clubs),
        "department": "Cusco",
        "seed": 7,
    }
    data.update(extra)
    return data


def counts() -> tuple[int, ...]:
    from copa.web.models import Club, Fixture, Result, Season

    return tuple(m.objects.count() for m in (Season, Club, Fixture, Result))


def test_set_up_from_a_pyramid_format_and_clubs_then_the_next_rounds_are_drawn(
    client: Any,
) -> None:
    from copa.web.models import Club, Fixture, Result, Season

    boss = make_user("boss", "admin")
    client.force_login(boss)
    page = client.get("/office/setup/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "copa-peru-2019" in page and 'name="clubs"' in page
    r = client.post("/office/setup/", pyramid_post())
    assert r.status_code == 302, r.content.decode()[:3000]
    assert r["Location"] == "/office/cusco/"
    season = Season.objects.get(slug="cusco")
    cusco = {row["nombre"] for row in rows() if row["departamento"] == "Cusco"}
    assert {c.name for c in Club.objects.filter(season=season)} == cusco
    assert {c.department for c in Club.objects.filter(season=season)} == {"Cusco"}
    district = {row["nombre"]: row["distrito"] for row in rows()}
    fixtures = list(Fixture.objects.filter(season=season).select_related("home", "away"))
    # the first rounds are the district leagues: each match between clubs of one district
    assert fixtures and all(district[f.home.name] == district[f.away.name] for f in fixtures)
    assert {district[f.home.name] for f in fixtures} == {"Anta", "Zurite", "Urcos", "Ocongate"}
    assert not Result.objects.exists()  # nothing is played yet
    assert client.get("/cusco/").status_code == 200

    # every district match entered and confirmed: the alphabetically first club always
    # wins 3-0, so each district's winner (and the league's top two) are known by hand
    clerk = make_user("clerk", "clerk", season)
    confirmer = make_user("conf", "confirmer", season)
    first = set(f.pk for f in fixtures)
    for f in fixtures:
        h, a = (3, 0) if f.home.name < f.away.name else (0, 3)
        client.force_login(clerk)
        f.refresh_from_db()
        r = client.post(f"/office/fixture/{f.pk}/", score_post(f.version, h, a))
        assert r.status_code == 302, r.content.decode()[:2000]
        pending = Result.objects.get(fixture=f, state="pending")
        client.force_login(confirmer)
        f.refresh_from_db()
        r = client.post(f"/office/result/{pending.pk}/confirm/", {"version": f.version})
        assert r.status_code == 302
    drawn = list(
        Fixture.objects.filter(season=season).exclude(pk__in=first).select_related("home", "away")
    )
    assert drawn, "confirming the last district result draws the provincial rounds"
    # the 2019 format sends each district's first two on: every club but Gamma Urcos,
    # third of Urcos's league of three (it lost all four matches 0-3)
    playing = {f.home.name for f in drawn} | {f.away.name for f in drawn}
    assert playing == cusco - {"Gamma Urcos"}
    # ... into their province's league: Anta's four, Quispicanchi's four
    province = {row["nombre"]: row["provincia"] for row in rows()}
    assert all(province[f.home.name] == province[f.away.name] for f in drawn)
    assert {f.stage for f in drawn} == {"Province Anta", "Province Quispicanchi"}
    # the drawing is recorded in the season's history, by the confirmer whose result did it
    last = season.history.order_by("-history_date").first()
    assert last.history_user == confirmer and last.history_change_reason.startswith("drawn:")


@pytest.mark.parametrize(
    ("clubs", "extra", "needle"),
    [
        ("name,colour\nA,red\n", {}, "clubes.csv:1: colour: unknown column"),
        (CLUBS + "Alfa Anta,Anta,Anta,Cusco\n", {}, "clubes.csv:12: name: 'Alfa Anta' is already"),
        (CLUBS + "Solo,Anta,Cusco\n", {}, "clubes.csv:12: 3 cells, the header has 4"),
        (CLUBS, {"department": "Loreto"}, "no club in department 'Loreto'"),
        (CLUBS, {"preset": ""}, "choose a pyramid format or upload a format file"),
        (
            CLUBS,
            {"preset": "", "format_file": upload("mine.yaml", "pyramid: 1\nlevels: 3\n")},
            "mine.yaml",
        ),
    ],
)
def test_a_bad_upload_says_where_and_stores_nothing(
    client: Any, clubs: str, extra: dict[str, Any], needle: str
) -> None:
    client.force_login(make_user("boss", "admin"))
    before = counts()
    r = client.post("/office/setup/", pyramid_post(clubs, **extra), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    text = r.content.decode().replace("&#x27;", "'")
    assert needle in text, text[text.find("errorlist") - 200 :][:1500]
    assert "Traceback" not in text and "/tmp/" not in text
    assert counts() == before


def test_a_season_whose_first_rounds_cannot_be_stored_leaves_nothing_behind(
    client: Any, monkeypatch: Any
) -> None:
    """A failure after the season row is written (here: storing its fixtures) rolls the
    whole set-up back."""
    from copa.web import services

    client.force_login(make_user("boss", "admin"))
    before = counts()

    def boom(*a: Any, **k: Any) -> None:
        raise services.Invalid("the database refused the fixtures")

    monkeypatch.setattr(services.Fixture.objects, "bulk_create", boom)
    r = client.post("/office/setup/", pyramid_post(), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422 and "the database refused the fixtures" in r.content.decode()
    assert counts() == before


def test_set_up_from_an_import_of_a_csv_with_its_clubs_and_format(client: Any) -> None:
    from copa.web.models import Club, Result, Season

    client.force_login(make_user("boss", "admin"))
    matches = (DATA / "copa-peru-2011-national.csv").read_text("utf-8")
    r = client.post(
        "/office/setup/",
        {
            "mode": "import",
            "slug": "nacional",
            "source": upload("national.csv", matches),
            "clubs": upload("clubs.csv", (DATA / "copa-peru-2011-clubs.csv").read_text("utf-8")),
            "format_file": upload(
                "national.format.yaml",
                (DATA / "copa-peru-2011-national.format.yaml").read_text("utf-8"),
            ),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    season = Season.objects.get(slug="nacional")
    played = [ln for ln in list(csv.DictReader(io.StringIO(matches))) if ln["status"] == "played"]
    assert Result.objects.filter(fixture__season=season, state="confirmed").count() == len(played)
    assert Club.objects.filter(season=season).count() == 16
    # the 2011 final (the CSV's last two rows): Real Garcilaso 3-1, 0-1 Pacífico
    page = client.get("/nacional/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    champion = page[page.index("Champion") :][:400]
    assert "Real Garcilaso" in champion, champion
    # a broken row names its line and field, and nothing is stored
    before = counts()
    bad = matches.replace(",1,1,,,,,1,played", ",1,x,,,,,1,played", 1)
    r = client.post(
        "/office/setup/",
        {
            "mode": "import",
            "slug": "otra",
            "source": upload("national.csv", bad),
            "clubs": upload("clubs.csv", (DATA / "copa-peru-2011-clubs.csv").read_text("utf-8")),
            "format_file": upload(
                "national.format.yaml",
                (DATA / "copa-peru-2011-national.format.yaml").read_text("utf-8"),
            ),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert r.status_code == 422
    assert "national.csv:3: away_goals: &#x27;x&#x27; is not a number of goals" in (
        r.content.decode()
    )
    assert counts() == before


@pytest.mark.parametrize("kind", [None, "organizer", "clerk", "confirmer", "season-admin"])
def test_only_a_federation_administrator_sets_up_a_season(client: Any, kind: str | None) -> None:
    from copa.web.models import Season

    other = Season.objects.create(slug="x", name="x", competition="x", spec={})
    if kind is None:
        r = client.post("/office/setup/", pyramid_post())
        assert r.status_code == 302 and "/office/login/" in r["Location"]
    else:
        role = "admin" if kind == "season-admin" else kind
        client.force_login(make_user("u", role, other))
        assert client.get("/office/setup/").status_code == 403
        assert client.post("/office/setup/", pyramid_post()).status_code == 403
    assert list(Season.objects.values_list("slug", flat=True)) == ["x"]
