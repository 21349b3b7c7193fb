"""Load benchmark: the main pages under gunicorn on PostgreSQL, with a large school's data.

Builds its own database (default `mentorship_bench_load`; dropped and re-created unless --reuse) with
1,500 students (mentees), 200 mentors and a full term of weekly review sessions (16 weeks, 10 behind
us and 6 ahead) with their bookings, attendance, notes, ratings, waitlists, exam results and
mentorships; starts gunicorn on 127.0.0.1 (DEBUG off, tests.settings' relaxed cookie/SSL settings),
then for each page sends a fixed number of GET requests from a fixed pool of client threads, as a
signed-in user of the right role (session cookie), and prints requests/s and latency percentiles,
beside /healthz (a trivial view) measured on the same server in the same run, and the ratio.

    .venv/bin/python bench/load_pages.py [--requests 200] [--clients 4] [--workers 3] [--reuse]

Needs PostgreSQL on 127.0.0.1 (user postgres, trust auth) or BENCH_PG=postgres://user@host:port.
Not part of the test suite; the figures go to docs/performance.md.
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import PG, free_port, recreate_database, wait_for  # noqa: E402

MENTEES, MENTORS, SERIES, WEEKS = 1500, 200, 300, 16


def build() -> None:
    """People, series and the big tables with report_large's generator, scaled to one school and
    one term; the mentee we sign in as also books seats through the booking service."""
    import report_large

    report_large.MENTEES, report_large.MENTORS = MENTEES, MENTORS
    report_large.SERIES, report_large.WEEKS = SERIES, WEEKS
    # ~12 bookings per occurrence, as a busy program has.
    report_large.generate(SERIES * WEEKS * 12)

    from allauth.mfa.totp.internal.auth import TOTP
    from django.utils import timezone

    from accounts.models import User
    from sessions.errors import SessionError
    from sessions.models import Occurrence
    from sessions.services import book_seat

    admin = User.objects.get(email="admin@bench.edu")
    User.objects.filter(pk=admin.pk).update(is_program_admin=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    mentee = User.objects.get(email="mentee0@bench.edu")
    for occurrence in Occurrence.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:40:5]:
        try:
            book_seat(occurrence=occurrence, mentee=mentee)
        except SessionError:  # full or overlapping: fine for a benchmark
            pass


def session_cookie(email: str) -> str:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies["sessionid"].value


def get(port: int, path: str, cookie: str) -> tuple[int, float]:
    headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={cookie}" if cookie else ""}
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - began
    finally:
        conn.close()


def measure(port: int, path: str, cookie: str, requests: int, clients: int) -> dict:
    status, _ = get(port, path, cookie)  # warm up, and make sure the page really renders
    if status != 200:
        raise SystemExit(f"{path} answered {status}, not 200")
    began = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(pool.map(lambda _: get(port, path, cookie), range(requests)))
    wall = time.perf_counter() - began
    latencies = sorted(r[1] * 1000 for r in results)
    return {
        "rps": requests / wall,
        "median": statistics.median(latencies),
        "p95": latencies[int(0.95 * (len(latencies) - 1))],
        "errors": sum(r[0] != 200 for r in results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="mentorship_bench_load")
    parser.add_argument("--requests", type=int, default=200, help="requests per page")
    parser.add_argument("--clients", type=int, default=4, help="concurrent client threads")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--reuse", action="store_true", help="keep an already built database")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    if not args.reuse:
        recreate_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command

    if not args.reuse:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        build()
        print(f"built in {time.perf_counter() - started:.0f} s")
    from sessions.models import Booking, Occurrence

    print(f"data: {MENTEES} mentees, {MENTORS} mentors, {Occurrence.objects.count():,} occurrences, "
          f"{Booking.objects.count():,} bookings")  # fmt: skip
    mentor = Occurrence.objects.order_by("pk").first().series.mentor.email
    cookies = {
        "mentee": session_cookie("mentee0@bench.edu"),
        "mentor": session_cookie(mentor),
        "admin": session_cookie("admin@bench.edu"),
    }
    from django.db import connections

    connections.close_all()

    cases = [
        ("/healthz (trivial view)", "/healthz", ""),
        ("browse /sessions/ (mentee)", "/sessions/", cookies["mentee"]),
        ("My week /sessions/my-week/ (mentor)", "/sessions/my-week/", cookies["mentor"]),
        ("My sessions /sessions/mine/ (mentee)", "/sessions/mine/", cookies["mentee"]),
        ("impact report /reports/ (admin)", "/reports/", cookies["admin"]),
    ]
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ},
    )  # fmt: skip
    try:
        wait_for(port)
        for _ in range(args.workers * 2):
            get(port, "/healthz", "")
        print(f"gunicorn {args.workers} sync workers, {args.clients} client threads, {args.requests} requests per page")
        print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"\n{'page':40} {'req/s':>7} {'median':>8} {'p95':>8} {'errors':>6} {'vs trivial':>10}")
        trivial = None
        for label, path, cookie in cases:
            r = measure(port, path, cookie, args.requests, args.clients)
            trivial = trivial or r["rps"]
            print(f"{label:40} {r['rps']:7.1f} {r['median']:6.0f}ms {r['p95']:6.0f}ms {r['errors']:6} "
                  f"{trivial / r['rps']:9.1f}x")  # fmt: skip
        print(f"\nload average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
