"""The public forecast page: copa.forecast's figures, recomputed in the background after a
confirmed result (the confirming request does not wait), stored with when and from how many
runs; clubs the engine proves through show 100 %, clubs it proves out 0 %.

Expected clubs come from the bundled 2011 season file: the sixteen clubs its national round
of 16 lists, less Region VIII's two (their places wait in the ``live`` fixture)."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
import yaml

from tests.web.conftest import bundled_2011, make_user, score_post

R16 = "National Stage/Round of 16"


def file_facts() -> tuple[set[str], set[str], set[str]]:
    """(round-of-16 clubs, Region VIII's clubs, every club) as the 2011 file lists them."""
    data = yaml.safe_load(bundled_2011())
    stages = {s["name"]: s for s in data["stages"]}
    r16 = {c for t in stages["National Stage"]["rounds"][0]["ties"] for c in t["teams"][:2]}
    region8 = {c for g in stages["Region VIII"]["rounds"][0]["groups"] for c in g["clubs"]}
    played = set()
    for s in data["stages"]:
        for r in s.get("rounds", []):
            for g in r.get("groups", []):
                played.update(g["clubs"])
            for t in r.get("ties", []):
                played.update(t["teams"][:2])
    return r16, region8, played


@pytest.mark.django_db
def test_forecast_page_shows_what_the_engine_proves(client: Any, live: Any) -> None:
    from copa.web.forecasting import compute

    page = client.get("/live/pronostico/").content.decode()
    assert "Todavía no se ha calculado" in page or "No forecast" in page
    fc = compute(live.pk, runs=300, seed=1)
    assert fc.state == "done", fc.error
    assert fc.runs == 300 and fc.version == live.version
    from copa.web import engine

    canon = {a: c.name for c in engine.compute(live).season.clubs for a in (c.name, *c.aliases)}
    r16, region8, played = ({canon[c] for c in names} for names in file_facts())
    assert len(r16) == 16 and len(region8) == 9  # Region VIII: groups of five and four
    through = r16 - region8  # 14 clubs, their regions decided
    clubs = {c["club"]: c for c in fc.data["clubs"]}
    # conservation: sixteen places in the round of 16
    assert abs(sum(c["reach"].get(R16, 0.0) for c in clubs.values()) - 16) < 1e-9
    for c in through:
        assert clubs[c]["reach"][R16] == 1.0, c
    out = {c for c in played if c in clubs} - r16 - region8
    assert out and all(clubs[c]["reach"].get(R16, 0.0) == 0.0 for c in out)
    assert all(clubs[c]["champion"] == 0.0 and clubs[c]["promoted"] == 0.0 for c in out)
    for lang, computed_from in (
        ("es", "a partir de 300 temporadas simuladas"),
        ("en", "from 300 simulated seasons"),
    ):
        html = client.get("/live/pronostico/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        assert computed_from in html, html[:3000]
        rows = {
            r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in html.split("<tr>")[2:] if "</a>" in r
        }
        for c in through:  # the first column is the round of 16
            cells = rows[c].split('<td class="n ')
            assert cells[1].startswith('p-certain">100 %<'), (c, rows[c])
        # the clubs out of the running are listed apart, not as rows of zeros
        assert not set(rows) & out
        listed = html[html.index('class="note eliminated"') :].split("</p>")[0]
        assert all(c in listed for c in out) and not any(c in listed for c in r16)
        for c in region8:  # in contention: simulated, never shown as certain
            if c in rows:
                assert 'p-certain">' not in rows[c].split('<td class="n ')[1], rows[c]
    api = client.get("/api/seasons/live/forecast/").json()
    assert api["forecast"]["runs"] == 300 and api["current"] is True

    # a tie of the round of 16 decided (1-1, 0-0: Los Caimanes on away goals, as in 2011):
    # the winner is certain of the quarterfinals, the loser out of everything after
    from copa.web import services
    from copa.web.models import Fixture

    clerk = make_user("clerknat", "clerk", live, "National Stage")
    conf = make_user("confnat", "confirmer", live, "National Stage")
    for leg, (h, a) in ((1, (1, 1)), (2, (0, 0))):
        f = Fixture.objects.get(
            season=live, stage="National Stage", leg=leg, unit__contains="Los Caimanes"
        )
        r = services.enter_result(
            clerk, f.pk, f.version, services.Entry(home_goals=h, away_goals=a)
        )
        f.refresh_from_db()
        services.confirm_result(conf, r.pk, f.version)
    html = client.get("/live/pronostico/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a new forecast is being computed" in html  # this forecast predates the result
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in html.split("<tr>")[2:] if "</a>" in r}
    cells = rows["Los Caimanes"].split('<td class="n ')[1:]
    assert cells[0].startswith('p-certain">100 %<') and cells[1].startswith('p-certain">100 %<')
    cells = rows["Universitario de Trujillo"].split('<td class="n ')[1:]
    assert cells[0].startswith('p-certain">100 %<')
    assert all(c.startswith('p-zero">0 %<') for c in cells[1:]), cells


@pytest.mark.django_db(transaction=True)
def test_a_confirmed_result_is_forecast_in_the_background(
    client: Any, settings: Any, monkeypatch: Any
) -> None:
    from copa.web import forecasting
    from copa.web.models import Fixture, ForecastRun, Result, Season
    from copa.web.services import load_season
    from tests.web.conftest import live_2011_text

    settings.COPA_FORECAST = "background"
    settings.COPA_FORECAST_RUNS = 200
    live = load_season(live_2011_text(), "2011-live.yaml", slug="live")
    assert forecasting.wait(120)  # loading a season asks for its first forecast
    first = ForecastRun.objects.get(season=live)
    assert first.version == live.version and first.runs == 200

    release, started = threading.Event(), threading.Event()
    real = forecasting._forecast

    def slow(*a: Any, **k: Any) -> Any:
        started.set()
        assert release.wait(120)
        return real(*a, **k)

    monkeypatch.setattr(forecasting, "_forecast", slow)
    clerk = make_user("clerk8", "clerk", live, "Region VIII")
    conf = make_user("conf8", "confirmer", live, "Region VIII")
    f = Fixture.objects.filter(season=live, stage="Region VIII").first()
    client.force_login(clerk)
    assert client.post(f"/office/fixture/{f.pk}/", score_post(f.version, 2, 1)).status_code == 302
    pending = Result.objects.get(fixture=f, state="pending")
    client.force_login(conf)
    f.refresh_from_db()
    t0 = time.monotonic()
    r = client.post(f"/office/result/{pending.pk}/confirm/", {"version": f.version})
    assert r.status_code == 302
    # the confirmation answered while its forecast is still held back
    assert started.wait(60) and not release.is_set()
    assert time.monotonic() - t0 < 60
    live = Season.objects.get(pk=live.pk)
    assert not ForecastRun.objects.filter(season=live, version=live.version).exists()
    page = client.get("/live/pronostico/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a new forecast is being computed" in page
    release.set()
    assert forecasting.wait(120)
    latest = ForecastRun.objects.filter(season=live).order_by("-pk").first()
    assert latest.version == live.version and latest.state == "done"
    page = client.get("/live/pronostico/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "a new forecast is being computed" not in page and "from 200 simulated" in page


@pytest.mark.django_db
def test_a_finished_season_shows_its_promoted_clubs_at_100(client: Any, season2011: Any) -> None:
    """2011 is finished: Real Garcilaso (champion, to the First Division) and Pacífico
    (runner-up, to the Second) are promoted for certain; no one else is."""
    from copa.web.forecasting import compute

    fc = compute(season2011.pk, runs=50, seed=1)
    assert fc.state == "done", fc.error
    html = client.get(f"/{season2011.slug}/pronostico/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    rows = {r.split("</a>")[0].rsplit(">", 1)[-1]: r for r in html.split("<tr>")[2:] if "</a>" in r}
    for club, champion in (("Real Garcilaso", "100 %"), ("Pacífico", "0 %")):
        cells = rows[club].split('<td class="n ')
        assert cells[-1].startswith('p-certain">100 %<'), (club, rows[club])  # promoted
        assert cells[-2].split(">", 1)[1].startswith(champion), (club, rows[club])
    others = [r for c, r in rows.items() if c not in ("Real Garcilaso", "Pacífico")]
    assert others and all(">0 %<" in r.split('<td class="n ')[-1] for r in others)
