"""A whole stage advancing through the web: Region VIII entered and confirmed result by
result until the national round of 16 fills. Expected values are the 2011 season file's
(Wikipedia's) results and the clubs the FPF put into the round of 16."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from copa.spec.scores import parse_match_line
from tests.web.conftest import bundled_2011, score_post

pytestmark = pytest.mark.django_db


def region8_results() -> list[tuple[str, str, str, int, int]]:
    data = yaml.safe_load(bundled_2011())
    stage = next(s for s in data["stages"] if s["name"] == "Region VIII")
    out = []
    for g in stage["rounds"][0]["groups"]:
        for m in [*g["matches"], *g.get("deciders", [])]:
            home, away, res = parse_match_line(m)
            kind = "decider" if m in g.get("deciders", []) else "group"
            out.append((home, away, kind, res.score.home, res.score.away))
    return out


def enter_and_confirm(
    client: Any, clerk: Any, confirmer: Any, fixture: Any, h: int, a: int
) -> None:
    from copa.web.models import Result

    client.force_login(clerk)
    fixture.refresh_from_db()
    r = client.post(f"/office/fixture/{fixture.pk}/", score_post(fixture.version, h, a))
    assert r.status_code == 302, r.content.decode()[:2000]
    pending = Result.objects.get(fixture=fixture, state="pending")
    client.force_login(confirmer)
    fixture.refresh_from_db()
    r = client.post(f"/office/result/{pending.pk}/confirm/", {"version": fixture.version})
    assert r.status_code == 302
    assert Result.objects.get(fixture=fixture, state="confirmed").pk == pending.pk


def r16(client: Any) -> str:
    return client.get("/live/national-stage/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_region_viii_through_the_web_fills_the_round_of_16(
    client: Any, live: Any, people: Any
) -> None:
    from copa.web.models import Fixture

    fixtures = {
        (f.home.name, f.away.name, f.kind): f
        for f in Fixture.objects.filter(season=live, stage="Region VIII").select_related(
            "home", "away"
        )
    }
    results = region8_results()
    assert len(results) == 33 == len(fixtures)  # 20 + 12 group matches and the decider
    page = r16(client)
    assert "2nd of Region VIII (to be decided)" in page
    assert "1st of Region VIII (to be decided)" in page
    for i, (home, away, kind, h, a) in enumerate(results):
        fx = fixtures[(home, away, kind)]
        enter_and_confirm(client, people["clerk8"], people["conf8"], fx, h, a)
        if i == len(results) - 2:
            # every group match in, the tiebreaker not yet: Group B's top is still open
            text = client.get("/live/region-viii/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
            group_b = text[text.index("Group B") :]
            # Group A is over (Real Garcilaso through); Group B's first two are level
            assert text.count(">qualified<") == 1
            # Group A's other four, and Group B's last two: Estudiantes Puno (9 points) and
            # Cultural Santa Rosa cannot reach the 10 of the two level at the top
            assert text.count(">out<") == 6
            assert group_b.count(">in contention<") >= 2
    # the tiebreaker is in: both group winners qualified, their order waits for the lots
    text = client.get("/live/region-viii/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert text.count(">qualified<") == 2
    assert "2nd of Region VIII (to be decided)" in r16(client)
    # the organizer records the draw (Radio Uno, November 2011)
    client.force_login(people["org8"])
    live.refresh_from_db()
    r = client.post(
        "/office/live/region-viii/places/",
        {
            "version": live.version,
            "place1": "Real Garcilaso",
            "place2": "Franciscano San Román",
            "reason": "drawn an hour before the national draw",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Drawing of lots recorded" in r.content.decode(), r.content.decode()[:3000]
    # recorded, not yet official: the round of 16 still waits, and its recorder cannot confirm
    assert "2nd of Region VIII (to be decided)" in r16(client)
    from copa.web.models import Lots

    drawing = Lots.objects.get(season=live, state="pending")
    assert drawing.order == ["Real Garcilaso", "Franciscano San Román"]
    live.refresh_from_db()
    r = client.post(f"/office/lots/{drawing.pk}/confirm/", {"version": live.version})
    assert r.status_code == 403
    client.force_login(people["conf8"])
    r = client.post(f"/office/lots/{drawing.pk}/confirm/", {"version": live.version})
    assert r.status_code == 302
    page = r16(client)
    assert "Region VIII (to be decided)" not in page
    assert ">Real Garcilaso</a>" in page and ">Franciscano San Román</a>" in page
    # the web-entered Region VIII is the season file's Region VIII, table for table
    from copa.core import resolve
    from copa.sinks.export_json import to_json
    from copa.spec.seasons import find_season

    want = [
        g for g in to_json(resolve(find_season("2011")))["groups"] if g["stage"] == "Region VIII"
    ]
    got = json.loads(client.get("/api/seasons/live/").content)["groups"]
    assert [g for g in got if g["stage"] == "Region VIII"] == want
