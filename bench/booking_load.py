"""200 mentees press "Book a seat" for the same 6-seat session at the same moment, over HTTP,
against gunicorn (several worker processes) on PostgreSQL. Exactly 6 must be booked, the rest told
the session is full, and no response may be a 5xx. Prints throughput and latency percentiles.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python bench/booking_load.py

It creates and drops its own database (BENCH_DB, default bench_booking_<pid>), listens on 127.0.0.1
only, and stops gunicorn when done. Emails are queued to a Redis queue private to the run, deleted at
the end. gunicorn runs as docs/deploy.md recommends: 4 sync workers. After the burst it prints each
worker's memory (RSS, PSS, USS: harness.worker_memory).
Options (environment): BENCH_REQUESTS (200), BENCH_SEATS (6), BENCH_WORKERS (4), BENCH_THREADS (1:
sync workers; more: gthread with that many threads), BENCH_PRELOAD (1: gunicorn --preload), BENCH_DB.
"""

import http.client
import os
import secrets
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from harness import free_port, wait_for, worker_cpu_seconds, worker_memory, write_result

ROOT = Path(__file__).resolve().parents[1]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
SEATS = int(os.environ.get("BENCH_SEATS", "6"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
THREADS = int(os.environ.get("BENCH_THREADS", "1"))
PRELOAD = os.environ.get("BENCH_PRELOAD", "") == "1"
TIMEOUT = 60


def bench_database_url(base: str) -> tuple[str, str]:
    parts = urlsplit(base)
    name = os.environ.get("BENCH_DB") or f"bench_booking_{os.getpid()}"
    return urlunsplit(parts._replace(path=f"/{name}")), name


def admin_sql(base: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(base)
    with psycopg.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password,
        dbname="postgres", autocommit=True,
    ) as conn:
        conn.execute(sql)


def main() -> None:
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        raise SystemExit("needs PostgreSQL: set DATABASE_URL=postgres://...")
    broker = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    url, name = bench_database_url(base)
    queue = f"bench-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "LOG_LEVEL": "WARNING",
    }
    admin_sql(base, f'DROP DATABASE IF EXISTS "{name}"')
    admin_sql(base, f'CREATE DATABASE "{name}"')
    server = None
    try:
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        occurrence_id, cookies = seed(env)
        port = free_port()
        worker_class = ["-k", "gthread", "--threads", str(THREADS)] if THREADS > 1 else ["-k", "sync"]
        preload = ["--preload"] if PRELOAD else []
        server = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}",
             "-w", str(WORKERS), *worker_class, *preload, "--timeout", "60", "--log-level", "warning"],
            cwd=ROOT, env=env,
        )
        wait_for(port)
        # Warm every worker (imports, template cache, DB connection) so the burst measures booking.
        for _ in range(WORKERS * THREADS * 2):
            request(port, "GET", "/healthz", cookies[0])
        load = os.getloadavg()
        cpu = worker_cpu_seconds(server.pid)
        results = burst(port, occurrence_id, cookies)
        cpu = worker_cpu_seconds(server.pid) - cpu
        report(results, env, occurrence_id, load)
        print(f"server CPU: {cpu * 1000 / len(results['results']):.1f} ms per request (the workers' user + system time)")
        for worker in worker_memory(server.pid):
            print(f"worker {worker['pid']}: RSS {worker['rss_mib']} MiB (peak {worker['peak_rss_mib']}), "
                  f"PSS {worker['pss_mib']} MiB, USS {worker['uss_mib']} MiB")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        try:
            import redis

            redis.Redis.from_url(broker).delete(queue)
        except Exception as error:  # noqa: BLE001 - cleanup only
            print(f"could not delete the Redis queue {queue}: {error}")
        admin_sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def seed(env: dict) -> tuple[int, list[str]]:
    """One 6-seat session tomorrow and REQUESTS signed-in mentees (session cookies)."""
    code = f"""
import datetime as dt, json
import django; django.setup()
from django.conf import settings
from django.test import Client
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # seeding speed only
from django.utils import timezone
from tests.factories import MenteeFactory, MentorFactory, SubjectFactory, published_series
series = published_series(seats={SEATS}, first_date=timezone.localdate() + dt.timedelta(days=1),
                          last_date=timezone.localdate() + dt.timedelta(days=1))
cookies = []
for _ in range({REQUESTS}):
    client = Client()
    client.force_login(MenteeFactory(verified=True))
    cookies.append(client.cookies["sessionid"].value)
print(json.dumps({{"occurrence": series.occurrences.get().pk, "cookies": cookies}}))
"""
    import json

    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={**env, "CELERY_TASK_ALWAYS_EAGER": "1"},
        check=True, capture_output=True, text=True,
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return data["occurrence"], data["cookies"]


def request(port: int, method: str, path: str, session: str) -> tuple[int, str, float]:
    csrf = secrets.token_hex(16)  # 32 characters: an unmasked CSRF secret, sent as cookie and header
    headers = {
        "Cookie": f"sessionid={session}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "HX-Request": "true",
        "Host": f"127.0.0.1:{port}",
    }
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, body=b"" if method == "POST" else None, headers=headers)
        response = conn.getresponse()
        body = response.read().decode(errors="replace")
        return response.status, body, time.perf_counter() - began
    finally:
        conn.close()


def burst(port: int, occurrence_id: int, cookies: list[str]) -> dict:
    barrier = threading.Barrier(len(cookies) + 1)
    results: list[tuple[int, str, float]] = []
    lock = threading.Lock()

    def one(session: str) -> None:
        barrier.wait()
        try:
            outcome = request(port, "POST", f"/sessions/o/{occurrence_id}/book/", session)
        except Exception as error:  # noqa: BLE001 - a failed request is a result too
            outcome = (0, repr(error), TIMEOUT)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=one, args=(c,)) for c in cookies]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    return {"results": results, "wall": time.perf_counter() - began}


def report(run: dict, env: dict, occurrence_id: int, load: tuple[float, float, float]) -> None:
    results = run["results"]
    latencies = sorted(r[2] * 1000 for r in results)
    booked = sum("You are booked" in r[1] for r in results)
    full = sum("This session is full" in r[1] for r in results)
    errors = [r for r in results if r[0] == 0 or r[0] >= 500]
    check = subprocess.run(
        [sys.executable, "-c",
         "import django; django.setup(); from sessions.models import Booking; "
         f"print(Booking.objects.booked().filter(occurrence_id={occurrence_id}).count())"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )
    in_db = int(check.stdout.strip().splitlines()[-1])
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    kind = (f"{THREADS} threads (gthread)" if THREADS > 1 else "sync") + (", --preload" if PRELOAD else "")
    print(f"gunicorn: {WORKERS} workers, {kind}, PostgreSQL, 127.0.0.1; load average before the burst "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, after {os.getloadavg()[0]:.2f}")
    print(f"requests: {len(results)} concurrent POST /sessions/o/<id>/book/ for {SEATS} seats")
    print(f"told booked: {booked}; told full: {full}; 5xx or failed: {len(errors)}; booked in the database: {in_db}")
    print(f"wall time: {run['wall']:.2f}s; throughput: {len(results) / run['wall']:.1f} requests/s")
    print(f"latency ms: median {statistics.median(latencies):.0f}, p95 {p95:.0f}, max {latencies[-1]:.0f}")
    ok = in_db == SEATS and booked == SEATS and full == len(results) - SEATS and not errors
    write_result("booking_load", {
        "requests": len(results), "seats": SEATS, "workers": WORKERS, "threads": THREADS, "told_booked": booked,
        "told_full": full, "errors": len(errors), "booked_in_database": in_db, "wall_s": run["wall"],
        "median_ms": statistics.median(latencies), "p95_ms": p95, "max_ms": latencies[-1], "ok": ok,
        "load_before": load, "load_after": os.getloadavg(),
    })  # fmt: skip
    if not ok:
        raise SystemExit("FAIL")
    print("OK: exactly the seats were booked, everyone else was told it is full, no 5xx")


if __name__ == "__main__":
    main()
