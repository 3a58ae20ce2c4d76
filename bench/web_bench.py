"""Load on the web app over loopback: the season page, a standings page and the JSON API.

For SQLite (and PostgreSQL when its binaries are on the machine) the app runs under
gunicorn exactly as ``copa serve`` runs it, with the bundled 2011 season and the
in-progress 2011 season of the tests. Closed-loop clients (threads, one keep-alive
connection each) request one page for a fixed time; we report requests per second
and p50/p95/p99 latency at 10 and 50 clients. The peer, measured in the same run on
the same stack: a trivial Django view answering the same number of bytes as the
season page (``/_bench/<size>/``). Then the time from confirming a result to the
public page showing it.

    python3 -m uv run python bench/web_bench.py [--seconds 5] [--clients 10,50] [--no-postgres]

The last line printed is one JSON object with every figure and the p95 ratio
(season page / trivial view) at the largest client count.
"""

from __future__ import annotations

import argparse
import glob
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(data: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "COPA_ENV")}
    env.update(COPA_DATA=str(data), COPA_BENCH="1", DJANGO_SETTINGS_MODULE="copa.web.settings")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def prepare(env: dict[str, str]) -> None:
    """Migrate, load 2011 and the in-progress 2011 ("live"), in a child process."""
    code = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', interactive=False, verbosity=0)\n"
        "from copa.web.services import load_season\n"
        "from importlib import resources\n"
        "from tests.web.conftest import live_2011_text\n"
        "t = (resources.files('copa') / 'data' / 'seasons' / '2011.yaml').read_text('utf-8')\n"
        "load_season(t, '2011.yaml')\n"
        "load_season(live_2011_text(), 'live.yaml', slug='live')\n"
        "from django.contrib.auth import get_user_model\n"
        "from copa.web.models import Role, Season\n"
        "U = get_user_model(); live = Season.objects.get(slug='live')\n"
        "for n, k in (('clerk', 'clerk'), ('conf', 'confirmer')):\n"
        "    Role.objects.create(user=U.objects.create_user(n, '', 'x'), kind=k, season=live)\n"
    )
    quiet = dict(env, COPA_FORECAST="off")  # no forecast thread in a process about to exit
    subprocess.run([sys.executable, "-c", code], env=quiet, cwd=ROOT, check=True)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "copa.web.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
            "--backlog", "2048",
        ],
        env=env, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    for _ in range(200):
        try:
            get(port, "/2011/")
            return proc
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def get(port: int, path: str, conn: http.client.HTTPConnection | None = None) -> bytes:
    c = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    c.request("GET", path, headers={"Accept-Language": "es"})
    r = c.getresponse()
    body = r.read()
    if r.status != 200:
        raise RuntimeError(f"{path}: HTTP {r.status}")
    if conn is None:
        c.close()
    return body


def load(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    """``clients`` closed-loop clients on ``path`` for ``seconds``: rps and latency percentiles."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors = [0]
    start = threading.Barrier(clients + 1)
    stop_at = [0.0]

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        start.wait()
        mine = latencies[i]
        while True:
            t0 = time.perf_counter()
            if t0 >= stop_at[0]:
                break
            try:
                get(port, path, conn)
            except (OSError, RuntimeError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            mine.append(time.perf_counter() - t0)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    get(port, path)  # warm every cache once
    stop_at[0] = time.perf_counter() + seconds
    t_start = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t_start
    lat = sorted(x for xs in latencies for x in xs)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else [lat[0]] * 99

    return {
        "requests": len(lat),
        "errors": errors[0],
        "rps": round(len(lat) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 2),
        "p95_ms": round(q[94] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
    }


def confirm_to_page(env: dict[str, str], port: int, rounds: int = 5) -> dict[str, Any]:
    """Seconds from a result's confirmation (committed) to the public page showing it, and
    from the last confirmation to its forecast being stored."""
    code = r"""
import json, sys, time, http.client, django
django.setup()
from django.contrib.auth import get_user_model
from copa.web import services
from copa.web.models import Fixture
U = get_user_model(); clerk, conf = U.objects.get(username='clerk'), U.objects.get(username='conf')
port, rounds = int(sys.argv[1]), int(sys.argv[2])
out = []
todo = Fixture.objects.filter(season__slug='live', stage='Region VIII', kind='group',
                              results__isnull=True).select_related('home', 'away')[:rounds]
for i, f in enumerate(todo):
    r = services.enter_result(clerk, f.pk, f.version, services.Entry(home_goals=11, away_goals=i))
    f.refresh_from_db()
    services.confirm_result(conf, r.pk, f.version)
    t0 = time.perf_counter()
    want = f'11-{i}'.encode()
    while True:
        c = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
        c.request('GET', '/live/region-viii/'); body = c.getresponse().read(); c.close()
        if want in body:
            break
    out.append(time.perf_counter() - t0)
# the forecast these confirmations asked for, computed in this process's background thread
# (as a gunicorn worker computes it after its own confirmation)
from copa.web import forecasting
from copa.web.models import ForecastRun, Season
t0 = time.perf_counter()
assert forecasting.wait(1800)
fc_s = time.perf_counter() - t0
fc = ForecastRun.objects.filter(season__slug='live').order_by('-pk').first()
assert fc is not None and fc.version == Season.objects.get(slug='live').version, fc
print(json.dumps({"pages": out, "forecast_s": fc_s, "forecast_runs": fc.runs,
                  "forecast_compute_s": fc.seconds}))
"""
    env = dict(env)
    env.pop("COPA_BENCH", None)
    p = subprocess.run(
        [sys.executable, "-c", code, str(port), str(rounds)],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    got: dict[str, Any] = json.loads(p.stdout.strip().splitlines()[-1])
    return got


def run_db(name: str, database_url: str | None, args: Any, report: dict[str, Any]) -> None:
    data = Path(tempfile.mkdtemp(prefix=f"copa-bench-{name}-"))
    env = env_for(data, database_url)
    prepare(env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        size = len(get(port, "/2011/"))
        pages = {
            "season": "/2011/",
            "standings": "/2011/region-ii/",
            "api": "/api/seasons/2011/",
            "trivial": f"/_bench/{size}/",
        }
        report[name] = {"season_page_bytes": size}
        for clients in args.clients:
            row = {}
            for label, path in pages.items():
                row[label] = load(port, path, clients, args.seconds)
                print(
                    f"{name:10} {clients:3} clients  {label:9} {json.dumps(row[label])}", flush=True
                )
            report[name][f"{clients}_clients"] = row
        got = confirm_to_page(env, port)
        lat = got["pages"]
        report[name]["confirm_to_page_s"] = {
            "median": round(statistics.median(lat), 4),
            "max": round(max(lat), 4),
        }
        report[name]["confirm_to_forecast_s"] = round(got["forecast_s"], 2)
        report[name]["forecast_runs"] = got["forecast_runs"]
        report[name]["forecast_compute_s"] = round(got["forecast_compute_s"], 2)
        print(f"{name:10} confirm -> public page: {report[name]['confirm_to_page_s']}", flush=True)
        print(
            f"{name:10} confirm -> forecast stored: {report[name]['confirm_to_forecast_s']} s "
            f"({got['forecast_runs']} runs)",
            flush=True,
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement")
    ap.add_argument("--clients", default="10,50", help="client counts, comma-separated")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    ap.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = ap.parse_args()
    args.clients = [int(c) for c in args.clients.split(",")]
    report: dict[str, Any] = {"seconds": args.seconds, "workers": args.workers}
    run_db("sqlite", None, args, report)
    if not args.no_postgres and glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        pg = tempfile.mkdtemp(prefix="copa-bench-pg-")
        url = (
            subprocess.run(
                [str(ROOT / ".ci" / "postgres.sh"), "start", pg, str(free_port())],
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        try:
            run_db("postgresql", url, args, report)
        finally:
            subprocess.run([str(ROOT / ".ci" / "postgres.sh"), "stop", pg], check=False)
            shutil.rmtree(pg, ignore_errors=True)
    top = f"{max(args.clients)}_clients"
    ratios = {}
    for db in ("sqlite", "postgresql"):
        if db in report:
            row = report[db][top]
            ratios[db] = round(row["season"]["p95_ms"] / row["trivial"]["p95_ms"], 2)
    report["season_p95_over_trivial_p95"] = ratios
    report["goal_met"] = all(r <= 3.0 for r in ratios.values())
    print(json.dumps(report))


if __name__ == "__main__":
    main()
