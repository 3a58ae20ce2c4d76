"""In a real browser (Playwright driving Debian's Chromium): a clerk enters the second leg of a
tie and a Region VIII match, a confirmer confirms both, and the public standings, bracket and
club page change, in Spanish and in English. Screenshots go to tests/web/artifacts/ (or
$COPA_ARTIFACTS)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(os.environ.get("COPA_ARTIFACTS", Path(__file__).parent / "artifacts"))
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",  # /dev/shm is small in containers: Chromium's renderer dies
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-zygote",
    "--disable-features=Translate,MediaRouter",
]


def launch(p: Any) -> Any:
    """Chromium, launched once more if the first launch dies (a crash at start-up, seen with
    SIGTRAP on a heavily loaded machine). A second failure is a real failure: it fails the
    test with both errors, never skips it."""
    import time

    from playwright.sync_api import Error

    errors = []
    for attempt in range(2):
        try:
            return p.chromium.launch(
                executable_path=CHROMIUM, args=ARGS, headless=True, timeout=120_000
            )
        except Error as e:
            errors.append(f"attempt {attempt + 1}: {str(e).splitlines()[0]}")
            time.sleep(2)
    pytest.fail("Chromium did not start twice: " + " | ".join(errors))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("CI needs Chromium: .ci/run installs Debian's chromium")
        pytest.skip("no chromium on this machine")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the database calls of the
    # test (and pytest-django's flush) are plain synchronous code, run between its calls
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = launch(p)
            yield b
            b.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def login(page: Any, base: str, user: str) -> None:
    page.goto(f"{base}/office/login/")
    page.fill("#id_username", user)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/office/")


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_browser_second_leg_entered_confirmed_and_public(
    browser: Any, live_server: Any, live: Any, people: Any
) -> None:
    from copa.web import services
    from copa.web.models import Fixture

    base = live_server.url
    # the first leg, entered and confirmed already: Universitario de Trujillo 1-1 Los Caimanes
    leg1 = Fixture.objects.get(
        season=live, stage="National Stage", leg=1, home__name="Universitario de Trujillo"
    )
    r = services.enter_result(
        people["clerknat"], leg1.pk, leg1.version, services.Entry(home_goals=1, away_goals=1)
    )
    leg1.refresh_from_db()
    services.confirm_result(people["confnat"], r.pk, leg1.version)
    leg2 = Fixture.objects.get(
        season=live, stage="National Stage", leg=2, home__name="Los Caimanes"
    )
    group = Fixture.objects.get(
        season=live,
        stage="Region VIII",
        home__name="Real Garcilaso",
        away__name="Deportivo Maldonado",
    )

    ctx = browser.new_context(viewport={"width": 1200, "height": 900}, locale="es-PE")
    public = ctx.new_page()
    public.goto(f"{base}/live/national-stage/")
    assert "Los Caimanes pasa por" not in public.content()
    public.goto(f"{base}/live/region-viii/")
    shot(public, "01-region-viii-before-es")

    clerk = browser.new_context(viewport={"width": 1200, "height": 900}, locale="es-PE").new_page()
    login(clerk, base, "clerknat")
    clerk.goto(f"{base}/office/fixture/{leg2.pk}/")
    clerk.fill("#id_home_goals", "0")
    clerk.fill("#id_away_goals", "0")
    clerk.click("text=Guardar para confirmación")
    assert "espera la confirmación de otra persona" in clerk.content()
    shot(clerk, "02-office-entered-es")
    clerk.context.clear_cookies()
    login(clerk, base, "clerk8")
    clerk.goto(f"{base}/office/fixture/{group.pk}/")
    clerk.fill("#id_home_goals", "14")
    clerk.fill("#id_away_goals", "0")
    clerk.click("text=Guardar para confirmación")
    # the author is offered no confirm button
    assert clerk.locator("button:text-is('Confirmar')").count() == 0

    conf = browser.new_context(viewport={"width": 1200, "height": 900}, locale="es-PE").new_page()
    login(conf, base, "confnat")
    conf.goto(f"{base}/office/fixture/{leg2.pk}/")
    conf.click("button:text-is('Confirmar')")
    assert "Resultado confirmado" in conf.content()
    shot(conf, "03-office-confirmed-es")
    conf.context.clear_cookies()
    login(conf, base, "conf8")
    conf.goto(f"{base}/office/fixture/{group.pk}/")
    conf.click("button:text-is('Confirmar')")

    # the public pages, in Spanish (the default)
    public.goto(f"{base}/live/national-stage/")
    html = public.content()
    assert "Los Caimanes pasa por gol de visita" in html
    shot(public, "04-national-stage-es")
    public.goto(f"{base}/live/region-viii/")
    row = public.locator("tr", has_text="Real Garcilaso").first.inner_text()
    assert "\t1\t1\t0\t0\t" in row and "\t14\t0\t+14\t3\t" in row  # P W D L ... GF GA GD Pts
    shot(public, "05-region-viii-after-es")
    public.goto(f"{base}/live/llaves/")
    assert public.locator("svg").count() >= 1 and "Los Caimanes" in public.content()
    shot(public, "06-bracket-es")
    public.goto(f"{base}/live/club/los-caimanes/")
    assert "0–0" in public.content() and "clasificado" in public.content()
    shot(public, "07-club-es")
    # and in English, chosen with the language form (no JavaScript needed)
    public.select_option("select[name=language]", "en")
    public.click("header form button[type=submit]")
    public.wait_for_load_state()
    assert "qualified" in public.content() and "Path through the season" in public.content()
    shot(public, "08-club-en")
    public.goto(f"{base}/live/national-stage/")
    assert "Los Caimanes goes through on away goals" in public.content()
    shot(public, "09-national-stage-en")
    public.goto(f"{base}/live/")
    assert "Latest results" in public.content() and "Next matches" in public.content()
    shot(public, "10-season-en")
    public.goto(f"{base}/live/region-viii/")
    shot(public, "11-region-viii-en")
    # the forecast page, once the background forecast of these results is stored
    from copa.web.forecasting import compute

    assert compute(live.pk, runs=200).state == "done"
    public.goto(f"{base}/live/pronostico/")
    text = public.content()
    assert "from 200 simulated seasons" in text and "100 %" in text
    shot(public, "12-forecast-en")
    public.select_option("select[name=language]", "es")
    public.click("header form button[type=submit]")
    public.wait_for_load_state()
    assert "a partir de 200 temporadas simuladas" in public.content()
    shot(public, "13-forecast-es")
    ctx.close()


@pytest.mark.django_db(transaction=True)
def test_browser_season_set_up_and_a_drawing_of_lots(browser: Any, live_server: Any) -> None:
    """An administrator uploads a season file in the back office; the engine asks for a
    drawing of lots in its group; an organizer records it and a confirmer confirms it."""
    from tests.web.conftest import make_user
    from tests.web.test_web_lots import SEASON

    make_user("boss", "admin")
    make_user("org", "organizer", None, "Grupo Cusco")
    make_user("conf", "confirmer", None, "Grupo Cusco")
    base = live_server.url
    page = browser.new_context(viewport={"width": 1200, "height": 900}, locale="es-PE").new_page()
    login(page, base, "boss")
    page.goto(f"{base}/office/setup/")
    shot(page, "20-office-setup-es")
    form = page.locator("#from-file form")
    form.locator("input[name=slug]").fill("prueba")
    form.locator("input[type=file]").set_input_files(
        files=[{"name": "prueba.yaml", "mimeType": "text/yaml", "buffer": SEASON.encode()}]
    )
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base}/office/prueba/")
    page.context.clear_cookies()

    login(page, base, "org")
    page.goto(f"{base}/office/prueba/grupo-cusco/")
    assert "Hace falta un sorteo" in page.content()
    card = page.locator(".lots-needed").first
    for i, club in enumerate(["Beta", "Gamma", "Alfa"], start=1):
        card.locator(f"select[name=lot{i}]").select_option(club)
    card.locator("input[name=reason]").fill("sorteo en la sede de la liga, 20 h")
    shot(page, "21-office-lots-needed-es")
    card.locator("button[type=submit]").click()
    assert "espera la confirmación de otra persona" in page.content()
    assert page.locator("button:text-is('Confirmar')").count() == 0  # not for its recorder
    page.context.clear_cookies()

    login(page, base, "conf")
    page.goto(f"{base}/office/prueba/grupo-cusco/")
    page.click("button:text-is('Confirmar')")
    assert "Sorteo confirmado" in page.content()
    shot(page, "22-office-lots-confirmed-es")
    page.goto(f"{base}/prueba/grupo-cusco/")
    row = page.locator("tr", has_text="Beta").first.inner_text()
    assert "clasificado" in row
    shot(page, "23-group-after-lots-es")
    page.context.close()


@pytest.mark.django_db(transaction=True)
def test_browser_standings_on_a_phone(browser: Any, live_server: Any, live: Any) -> None:
    """On a 390-pixel phone the page does not run off the screen: the standings scroll
    sideways within their box, so every club's status can be reached."""
    page = browser.new_context(viewport={"width": 390, "height": 800}, locale="es-PE").new_page()
    page.goto(f"{live_server.url}/{live.slug}/region-viii/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator(".scroll", has=page.locator("table.standings")).first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the table scrolls inside
    badge = box.locator(".badge").first
    badge.scroll_into_view_if_needed()
    # Region VIII is still being played in this season: its leader is in contention
    assert badge.is_visible() and badge.inner_text() == "en disputa"
    shot(page, "30-standings-phone-es")
