"""The web app's suite against a real PostgreSQL server, and concurrent submissions on it.

``.ci/run`` starts PostgreSQL on loopback and sets ``COPA_TEST_POSTGRES``; locally the
test starts its own throwaway server when the machine has PostgreSQL's binaries. The
suite then runs again in a child pytest with ``DATABASE_URL`` pointing at it.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
CHILD = os.environ.get("COPA_PG_CHILD") == "1"


@pytest.fixture(scope="module")
def postgres_url() -> Iterator[str]:
    url = os.environ.get("COPA_TEST_POSTGRES")
    if url:
        yield url
        return
    if not glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        if os.environ.get("CI"):
            pytest.fail("CI needs PostgreSQL: .ci/run sets COPA_TEST_POSTGRES")
        pytest.skip("no PostgreSQL server binaries on this machine")
    with _server() as url:
        yield url


@contextlib.contextmanager
def _server() -> Iterator[str]:
    """A throwaway server from ``.ci/postgres.sh``, on the free loopback port it picks (a
    fixed port collided when two test runs shared the machine), stopped and removed after."""
    tmp = tempfile.mkdtemp(prefix="copa-pg-")
    try:
        out = subprocess.run(
            [str(ROOT / ".ci" / "postgres.sh"), "start", tmp],
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            pytest.fail(f".ci/postgres.sh start: {out.stderr.strip()}")
        yield out.stdout.strip().splitlines()[-1]
    finally:
        subprocess.run([str(ROOT / ".ci" / "postgres.sh"), "stop", tmp], check=False)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.skipif(CHILD, reason="this is the PostgreSQL run itself")
@pytest.mark.skipif(
    not glob.glob("/usr/lib/postgresql/*/bin/initdb"), reason="no PostgreSQL server binaries"
)
def test_a_second_server_starts_beside_the_first(postgres_url: str) -> None:
    """Two runs on one machine: the second server gets another port and answers there."""
    import psycopg

    with _server() as second:
        assert urlsplit(second).hostname == "127.0.0.1"
        assert urlsplit(second).port != urlsplit(postgres_url).port
        with psycopg.connect(second, connect_timeout=10) as conn:
            assert conn.execute("select current_database()").fetchone() == ("copa",)


@pytest.mark.skipif(CHILD, reason="this is the PostgreSQL run itself")
def test_web_suite_on_postgresql(postgres_url: str) -> None:
    env = dict(os.environ, DATABASE_URL=postgres_url, COPA_PG_CHILD="1")
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-s",
            "-x",
            "-p",
            "no:cacheprovider",
            "tests/web",
            "-k",
            "not browser and not serve",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    tail = (proc.stdout + proc.stderr)[-4000:]
    assert proc.returncode == 0, tail
    assert " passed" in tail and "postgresql" in proc.stdout, tail


def test_running_on_the_database_asked_for(db: Any) -> None:
    want = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == want
    if CHILD:
        print("database vendor: postgresql")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not CHILD, reason="runs in the PostgreSQL pass (test_web_suite_on_postgresql)")
def test_many_simultaneous_submissions(live: Any, people: Any) -> None:
    """20 submissions at once: 10 for one fixture (one wins, 9 told), 10 for ten others."""
    from django.db import connections

    from copa.web import services
    from copa.web.models import Fixture, Result

    fixtures = list(Fixture.objects.filter(season=live, stage="Region VIII")[:11])
    same, others = fixtures[0], fixtures[1:]
    clerks = [people["clerk8"], people["clerk8b"], people["org8"], people["admin"]]
    jobs = [(same, i) for i in range(10)] + [(f, i) for i, f in enumerate(others)]
    barrier = threading.Barrier(len(jobs))
    outcome: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def submit(f: Any, i: int) -> None:
        try:
            barrier.wait()
            try:
                services.enter_result(
                    clerks[i % len(clerks)],
                    f.pk,
                    f.version,
                    services.Entry(home_goals=i, away_goals=0),
                )
                got = "accepted"
            except services.Conflict:
                got = "conflict"
            with lock:
                outcome.append((f.pk, i, got))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(outcome) == 20  # every submission got an answer
    same_ok = [i for pk, i, got in outcome if pk == same.pk and got == "accepted"]
    assert len(same_ok) == 1
    assert sum(1 for pk, _i, got in outcome if pk == same.pk and got == "conflict") == 9
    assert all(got == "accepted" for pk, _i, got in outcome if pk != same.pk)
    # every accepted write is there, with the goals it was sent with; nothing else is
    stored = {(r.fixture_id, r.home_goals) for r in Result.objects.filter(state="pending")}
    want = {(pk, i) for pk, i, got in outcome if got == "accepted"}
    assert stored == want
    same.refresh_from_db()
    assert same.version == 2
