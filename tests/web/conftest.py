"""Fixtures for the web app's tests: seasons in the database, users with roles.

``live`` is the bundled 2011 season as it stood before Region VIII played:
Region VIII's results not in yet (and its places not drawn), the national
stage drawn down to its round of 16 with no leg played.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

PASSWORD = "a-long-test-password-42"


def bundled_2011() -> str:
    return (resources.files("copa") / "data" / "seasons" / "2011.yaml").read_text("utf-8")


def live_2011_text() -> str:
    # the 2011 season written out in full (its structure in the file), so that Region
    # VIII's places can be taken out of it
    full = Path(__file__).parents[1] / "data" / "old" / "2011.yaml"
    data = yaml.safe_load(full.read_text("utf-8"))
    for s in data["stages"]:
        if s["name"] == "Region VIII":
            s.pop("places", None)
            for r in s["rounds"]:
                for g in r.get("groups", []):
                    for key in ("matches", "deciders"):
                        out = []
                        for m in g.get(key, []):
                            from copa.spec.scores import parse_match_line

                            home, away, _res = parse_match_line(m)
                            out.append(f"{home} v {away}")
                        g[key] = out
        if s["name"] == "National Stage":
            s["rounds"] = s["rounds"][:1]
            for t in s["rounds"][0]["ties"]:
                t["legs"] = ["scheduled", "scheduled"]
                t.pop("decided_by", None)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@pytest.fixture
def season2011(db: Any) -> Any:
    from copa.web.services import load_season

    return load_season(bundled_2011(), "2011.yaml")


@pytest.fixture
def live(db: Any) -> Any:
    from copa.web.services import load_season

    return load_season(live_2011_text(), "2011-live.yaml", slug="live")


def make_user(name: str, kind: str | None, season: Any = None, stage: str = "", **kw: Any) -> Any:
    from django.contrib.auth import get_user_model

    from copa.web.models import Role

    user = get_user_model().objects.create_user(name, "", PASSWORD, **kw)
    if kind is not None:
        Role.objects.create(user=user, kind=kind, season=season, stage=stage)
    return user


@pytest.fixture
def people(live: Any) -> dict[str, Any]:
    """One user per role, scoped as a departmental league's officials would be."""
    return {
        "admin": make_user("admin", "admin"),
        "org8": make_user("org8", "organizer", live, "Region VIII"),
        "org1": make_user("org1", "organizer", live, "Region I"),
        "clerk8": make_user("clerk8", "clerk", live, "Region VIII"),
        "clerk8b": make_user("clerk8b", "clerk", live, "Region VIII"),
        "clerk7": make_user("clerk7", "clerk", live, "Region VII"),
        "conf8": make_user("conf8", "confirmer", live, "Region VIII"),
        "confnat": make_user("confnat", "confirmer", live, "National Stage"),
        "clerknat": make_user("clerknat", "clerk", live, "National Stage"),
        "fan": make_user("fan", None),
    }


def score_post(version: int, home: int, away: int, **extra: Any) -> dict[str, Any]:
    data = {"version": version, "status": "played", "home_goals": home, "away_goals": away}
    data.update(extra)
    return data


@pytest.fixture(autouse=True)
def _fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # forecasts run in the background only in the tests that ask for them (test_web_forecast)
    settings.COPA_FORECAST = "off"


@pytest.fixture(autouse=True)
def _fresh_caches() -> Iterator[None]:
    """Each test starts with empty page and season caches (ids and versions repeat)."""
    from django.core.cache import cache

    from copa.web import engine

    cache.clear()
    engine._cache.clear()
    yield
    cache.clear()
    engine._cache.clear()
