"""The public site and the JSON API, on the bundled 2011 season; and copa serve."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import score_post

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_api_season_is_copa_export_json(client: Any, season2011: Any, tmp_path: Path) -> None:
    out = tmp_path / "2011.json"
    subprocess.run(
        [sys.executable, "-m", "copa.cli", "export", "2011", "--format", "json", "-o", str(out)],
        check=True,
        cwd=ROOT,
    )
    r = client.get("/api/seasons/2011/")
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert r.content == out.read_bytes()


@pytest.mark.django_db
def test_public_pages_of_2011(client: Any, season2011: Any) -> None:
    home = client.get("/").content.decode()
    assert "Copa Perú 2011" in home and "Real Garcilaso" in home
    front = client.get("/2011/").content.decode()  # Spanish by default
    assert "Campeón" in front and "Real Garcilaso" in front
    assert "Pacífico" in front and "Primera División" in front  # runner-up, promotion
    en = client.get("/2011/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Champion" in en and "First Division" in en
    # Region II Group C: Huallaga above UTC on goal difference (2011 article's table)
    reg2 = client.get("/2011/region-ii/").content.decode()
    assert "Huallaga por encima de UTC por diferencia de goles" in reg2
    nat = client.get("/2011/national-stage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Los Caimanes beat Universitario de Trujillo 1-1, 0-0 on away goals
    assert "Los Caimanes goes through on away goals" in nat
    svg = client.get("/2011/llaves.svg")
    assert svg["Content-Type"].startswith("image/svg+xml")
    assert "attachment" in svg["Content-Disposition"]
    assert b"Real Garcilaso" in svg.content and svg.content.startswith(b"<svg")
    club = client.get("/2011/club/real-garcilaso/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Region VIII" in club and "Final" in club
    stats = client.get("/2011/estadisticas/").content.decode()
    assert "Real Garcilaso 14–0 Deportivo Maldonado" in stats.replace("<strong>", "").replace(
        "</strong>", ""
    )
    assert client.get("/2011/no-such-stage/").status_code == 404
    doc = client.get("/api/seasons/2011/clubs/real-garcilaso/").json()
    assert doc["club"] == "Real Garcilaso" and doc["steps"][-1]["round"] == "Final"
    # the path's words (copa.wording): the article's champion, promoted to the First Division
    assert doc["outcome"] == "champion: promoted to First Division"
    assert doc["steps"][0]["summary"].startswith("Group A: 1st of ")
    assert "Group A: 1st of " in club
    st = client.get("/api/seasons/2011/stages/region-viii/").json()
    assert st["stage"]["places"] == ["Real Garcilaso", "Franciscano San Román"]


@pytest.mark.django_db
def test_bracket_svg_speaks_the_page_language(client: Any, season2011: Any) -> None:
    """The bracket's labels come from the same catalogue as the page (django.po)."""
    es = client.get("/2011/llaves.svg", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    en = client.get("/2011/llaves.svg", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for word in ("Octavos de final", "Cuartos de final", "Campeón: Real Garcilaso", "global"):
        assert word in es, word
    for word in ("Round of 16", "Quarterfinals", "Champion: Real Garcilaso", "aggregate"):
        assert word in en and word not in es, word
    page = client.get("/2011/llaves/", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Octavos de final" in page and "Round of 16" not in page
    # and the process's own language (the command line's) is left as it was
    from copa import i18n

    assert i18n.language() == "en"


def test_second_editor_is_told_and_nothing_is_lost(client: Any, live: Any, people: Any) -> None:
    from copa.web.models import Fixture, Result

    f = Fixture.objects.filter(season=live, stage="Region VIII").first()
    read_at = f.version
    client.force_login(people["clerk8"])
    assert client.post(f"/office/fixture/{f.pk}/", score_post(read_at, 2, 1)).status_code == 302
    client.force_login(people["clerk8b"])  # read the form before the first save
    r = client.post(f"/office/fixture/{f.pk}/", score_post(read_at, 3, 3))
    assert r.status_code == 409
    page = r.content.decode()
    assert "Your entry was not saved" in page or "Su registro no se guardó" in page
    assert 'value="3"' in page  # what the second editor typed is still in the form
    assert [(x.home_goals, x.away_goals) for x in Result.objects.filter(fixture=f)] == [(2, 1)]


@pytest.mark.django_db
def test_entry_is_validated_by_the_rules(client: Any, live: Any, people: Any) -> None:
    from copa.web.models import Fixture, Result

    client.force_login(people["clerk8"])
    group = Fixture.objects.filter(season=live, stage="Region VIII", kind="group").first()
    # a group match has no extra time or penalties: the fields are not even offered
    r = client.post(
        f"/office/fixture/{group.pk}/", score_post(group.version, 1, 1, pen_home=4, pen_away=3)
    )
    assert r.status_code == 302
    assert Result.objects.get(fixture=group).pen_home is None
    leg2 = Fixture.objects.filter(season=live, stage="National Stage", leg=2).first()
    client.force_login(people["clerknat"])
    r = client.post(
        f"/office/fixture/{leg2.pk}/", score_post(leg2.version, 1, 1, pen_home=4, pen_away=4)
    )
    assert r.status_code == 422 and "shoot-out cannot end level" in r.content.decode()
    r = client.post(
        f"/office/fixture/{leg2.pk}/",
        {"version": leg2.version, "status": "walkover", "home_goals": 3, "away_goals": 0},
    )
    assert r.status_code == 422  # a walkover needs its reason
    r = client.post(
        f"/office/fixture/{leg2.pk}/",
        {
            "version": leg2.version,
            "status": "walkover",
            "home_goals": 3,
            "away_goals": 0,
            "reason": "visitors did not travel",
        },
    )
    assert r.status_code == 302
    assert Result.objects.get(fixture=leg2).text() == "w/o 3-0"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_first_start(tmp_path: Path) -> None:
    """copa serve: creates the database, loads 2011, prints the administrator once."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "COPA_ENV", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "copa.cli",
            "serve",
            "--port",
            str(port),
            "--data",
            str(tmp_path),
            "--workers",
            "1",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    try:
        lines = []
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "administrator:" in line:
                break
        text = "".join(lines)
        m = re.search(r"user (\S+)\s+password (\S+)", text)
        assert m, text
        assert f"http://localhost:{port}/" in text
        assert (tmp_path / "copa.sqlite3").exists()
        for _ in range(100):
            try:
                body = urllib.request.urlopen(f"http://127.0.0.1:{port}/2011/", timeout=5).read()
                break
            except OSError:
                time.sleep(0.3)
        assert "Real Garcilaso" in body.decode()
        css = urllib.request.urlopen(f"http://127.0.0.1:{port}/static/copa_web/copa.css").read()
        assert b"--accent" in css  # static files through whitenoise
        api = json.loads(
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/seasons/2011/").read()
        )
        assert api["champion"] == "Real Garcilaso"
        # the first season's forecast was computed before the workers started
        fc = urllib.request.urlopen(f"http://127.0.0.1:{port}/2011/pronostico/").read().decode()
        assert "temporadas simuladas" in fc and 'p-certain">100 %<' in fc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    # the second start prints no password
    out = subprocess.run(
        [sys.executable, "-m", "copa.cli", "manage", "--data", str(tmp_path), "loadseason", "2011"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode != 0 and "2011" in out.stderr and "Traceback" not in out.stderr


def test_production_settings_pass_check_deploy(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        COPA_ENV="production",
        COPA_SECRET_KEY="x" * 60 + "-production-key-for-the-test",
        COPA_ALLOWED_HOSTS="copa.example.org",
    )
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "copa.cli",
            "manage",
            "--data",
            str(tmp_path),
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no issues" in out.stdout and "WARNING" not in out.stderr
    env.pop("COPA_SECRET_KEY")
    out = subprocess.run(
        [sys.executable, "-m", "copa.cli", "manage", "--data", str(tmp_path), "check"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert out.returncode != 0 and "COPA_SECRET_KEY" in out.stderr


@pytest.mark.django_db
def test_audit_log_per_fixture_and_per_user_and_revert(client: Any, live: Any, people: Any) -> None:
    from copa.web.models import Fixture, Result

    f = Fixture.objects.filter(season=live, stage="Region VIII").first()
    client.force_login(people["clerk8"])
    client.post(f"/office/fixture/{f.pk}/", score_post(f.version, 2, 1))
    f.refresh_from_db()
    pending = Result.objects.get(fixture=f, state="pending")
    client.force_login(people["conf8"])
    client.post(f"/office/result/{pending.pk}/confirm/", {"version": f.version})
    f.refresh_from_db()
    live.refresh_from_db()
    assert live.version == 2  # the season's computed pages move on
    client.force_login(people["org8"])
    r = client.post(
        f"/office/result/{pending.pk}/revert/",
        {"version": f.version, "reason": "wrong match sheet"},
    )
    assert r.status_code == 302
    page = client.get(f"/office/fixture/{f.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    hist = page[page.index("History") :]
    for who in ("clerk8", "conf8", "org8"):
        assert who in hist
    assert "wrong match sheet" in hist and "2-1" in hist and "reverted" in hist
    mine = client.get(f"/office/user/{people['org8'].pk}/history/").content.decode()
    assert "wrong match sheet" in mine
    # another user's history is the administrator's to read, not a clerk's
    client.force_login(people["clerk8"])
    assert client.get(f"/office/user/{people['org8'].pk}/history/").status_code == 403
    assert Result.objects.get(pk=pending.pk).state == "reverted"
    assert not Result.objects.filter(fixture=f, state="confirmed").exists()


@pytest.mark.django_db
def test_season_set_up_from_a_season_file(client: Any, db: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.web.conftest import bundled_2011, make_user

    client.force_login(make_user("boss", "admin"))
    up = SimpleUploadedFile("2011.yaml", bundled_2011().encode())
    r = client.post("/office/setup/", {"slug": "copa-2011", "file": up})
    assert r.status_code == 302 and r["Location"] == "/office/copa-2011/"
    assert "Real Garcilaso" in client.get("/copa-2011/").content.decode()
    bad = SimpleUploadedFile(
        "bad.yaml", b"competition: X\nseason: 1\nclubs: []\nstages: [{name: A}]\n"
    )
    r = client.post("/office/setup/", {"slug": "bad", "file": bad})
    assert r.status_code == 422 and "bad.yaml:4" in r.content.decode()
