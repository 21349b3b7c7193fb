"""Load benchmark: the main pages under gunicorn on PostgreSQL, with a large school's data.

Builds its own database (default `mentorship_bench_load`; dropped and re-created unless --reuse) with
1,500 students (mentees), 200 mentors and a full term of weekly review sessions (16 weeks, 10 behind
us and 6 ahead) with their bookings, attendance, notes, ratings, waitlists, exam results and
mentorships, and a matching round of proposed pairs (`match_data.build_round`). Then it starts
gunicorn as docs/deploy.md runs it (production settings, `--workers 4` sync workers, bound to
127.0.0.1, Redis as the cache) and loads every page with wrk (2 threads, 4 connections, as the outside
testers do), each page signed in as the heaviest user of its role, in rounds: the anonymous home page
`/` is the reference measured in every round, and each page's ratio is its req/s over the home page's
in the same round. Medians over the rounds are printed with the load average, the heaviest users'
page sizes, each gunicorn worker's memory after the run, and written to bench/results/load_pages.json.

    .venv/bin/python bench/load_pages.py [--rounds 3] [--seconds 10] [--workers 4] [--reuse]

Needs PostgreSQL on 127.0.0.1 (user postgres, trust auth; BENCH_PG=postgres://user@host:port for
another), Redis on 127.0.0.1:6379 (BENCH_CACHE_URL for another) and wrk (`apt-get install wrk`); without
wrk a Python client with the same concurrency is used, which costs the server CPU and so reads lower.
Not part of the test suite; the figures go to docs/performance.md.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import PG, free_port, recreate_database, server_env, stop, wait_for, worker_memory, write_result  # noqa: E402

MENTEES, MENTORS, SERIES, WEEKS = 1500, 200, 300, 16
LIST_LIMIT_BYTES = 100 * 1024  # issue 18: My week and My sessions at most 100 KB for the heaviest user


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
    from core.errors import ApplicationError
    from sessions.models import Occurrence
    from sessions.services import book_seat

    admin = User.objects.get(email="admin@bench.edu")
    User.objects.filter(pk=admin.pk).update(is_program_admin=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    mentee = User.objects.get(email="mentee0@bench.edu")
    heavy_lists(mentee=mentee, mentor=User.objects.get(email="mentor0@bench.edu"))
    for occurrence in Occurrence.objects.filter(starts_at__gt=timezone.now()).order_by("starts_at")[:40:5]:
        try:
            book_seat(occurrence=occurrence, mentee=mentee)
        except ApplicationError:  # full or overlapping: fine for a benchmark
            pass


def heavy_lists(*, mentee, mentor) -> None:
    """The worst case the lists must stay bounded for: one mentor teaching 30 of the 300 series
    (30 sessions a week, each with its roster) and one mentee booked into every eighth session of
    the term (about 600 bookings, attended where the session is over)."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("UPDATE review_sessions_reviewseries SET mentor_id = %s WHERE id %% 10 = 0", [mentor.pk])
        cur.execute(
            """
            INSERT INTO review_sessions_booking
                (occurrence_id, mentee_id, status, source, standing_booking_id, late_cancel, created_at, cancelled_at)
            SELECT o.id, %s, 'booked', 'single', NULL, false, o.starts_at - interval '3 days', NULL
            FROM review_sessions_occurrence o WHERE o.id %% 8 = 0 AND o.status = 'scheduled'
            ON CONFLICT DO NOTHING
            """,
            [mentee.pk],
        )
        cur.execute(
            """
            INSERT INTO review_sessions_attendance (occurrence_id, mentee_id, status, walk_in, recorded_by_id, recorded_at)
            SELECT b.occurrence_id, b.mentee_id, 'attended', false, NULL, o.ends_at
            FROM review_sessions_booking b JOIN review_sessions_occurrence o ON o.id = b.occurrence_id
            WHERE b.mentee_id = %s AND b.status = 'booked' AND o.ends_at <= now()
            ON CONFLICT DO NOTHING
            """,
            [mentee.pk],
        )
        cur.execute("ANALYZE")


def heaviest_users() -> dict[str, str]:
    """The mentee with the most booked seats and the mentor with the most sessions: the lists of
    My sessions and My week are longest for them."""
    from django.db.models import Count, Q

    from accounts.models import User

    mentee = (User.objects.filter(is_mentee=True)
              .annotate(n=Count("session_bookings", filter=Q(session_bookings__status="booked")))
              .order_by("-n", "pk").first())  # fmt: skip
    mentor = (User.objects.filter(is_mentor=True)
              .annotate(n=Count("review_series__occurrences")).order_by("-n", "pk").first())  # fmt: skip
    assert mentee is not None and mentor is not None, "the bench data has no mentee or mentor"
    return {"mentee": mentee.email, "mentor": mentor.email}


def session_cookie(email: str) -> str:
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client.cookies["sessionid"].value


def get(port: int, path: str, cookie: str) -> tuple[int, float, int]:
    """One GET: (status, seconds, body bytes)."""
    headers = {"Host": "127.0.0.1", "Cookie": f"sessionid={cookie}" if cookie else ""}
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - began, len(body)
    finally:
        conn.close()


WRK_REPORT = """
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.6f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"bad_status": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3, errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""


def measure_wrk(port: int, path: str, cookie: str, seconds: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_REPORT)
    try:
        command = ["wrk", "-t", "2", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s",
                   "-s", script.name, "-H", "Host: 127.0.0.1"]  # fmt: skip
        if cookie:
            command += ["-H", f"Cookie: sessionid={cookie}"]
        out = subprocess.run(command + [f"http://127.0.0.1:{port}{path}"], check=True, capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    r = json.loads(line.removeprefix("RESULT "))
    if not r["requests"]:  # not one answer within the run: its latency is at least the run's length
        r["p50_ms"] = r["p95_ms"] = seconds * 1000.0
    return {"rps": r["requests"] / r["seconds"], "p50_ms": r["p50_ms"], "p95_ms": r["p95_ms"],
            "errors": r["bad_status"] + r["socket_errors"], "requests": r["requests"]}  # fmt: skip


def measure_python(port: int, path: str, cookie: str, seconds: int, connections: int) -> dict:
    deadline = time.perf_counter() + seconds

    def client(_: int) -> list[tuple[int, float, int]]:
        results = []
        while time.perf_counter() < deadline:
            results.append(get(port, path, cookie))
        return results

    began = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        results = [r for chunk in pool.map(client, range(connections)) for r in chunk]
    wall = time.perf_counter() - began
    latencies = sorted(r[1] * 1000 for r in results)
    return {"rps": len(results) / wall, "p50_ms": statistics.median(latencies),
            "p95_ms": latencies[int(0.95 * (len(latencies) - 1))], "errors": sum(r[0] >= 400 for r in results),
            "requests": len(results)}  # fmt: skip


def pages(cookies: dict[str, str], round_path: str | None) -> list[tuple[str, str, str, str]]:
    """(key, label, path, cookie); the home page first: it is the reference."""
    cases = [
        ("home", "home / (anonymous, reference)", "/", ""),
        ("browse", "browse /sessions/ (mentee)", "/sessions/", cookies["mentee"]),
        ("my_week", "My week (mentor)", "/sessions/my-week/", cookies["mentor"]),
        ("my_sessions", "My sessions (mentee)", "/sessions/mine/", cookies["mentee"]),
        ("find_mentor", "Find a mentor /matching/ (mentee)", "/matching/", cookies["mentee"]),
    ]
    if round_path:
        cases.append(("round_preview", "round preview (admin)", round_path, cookies["admin"]))
    cases.append(("report_cached", "impact report, cached (admin)", "/reports/", cookies["admin"]))
    return cases


def run(args: argparse.Namespace) -> dict:
    os.environ.update(server_env(f"{PG}/{args.db}"))
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # building the data queues no emails in Redis
    if not args.reuse:
        recreate_database(args.db)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a reused database gets what migrations came since
    if not args.reuse:
        started = time.perf_counter()
        build()
        print(f"built in {time.perf_counter() - started:.0f} s")
    round_path = None
    try:
        import match_data
    except ImportError:
        match_data = None
    if match_data is not None:
        round_path = match_data.build_round()["round_preview"][0]
    call_command("collectstatic", interactive=False, verbosity=0)
    from sessions.models import Booking, Occurrence

    users = heaviest_users()
    print(f"data: {MENTEES} mentees, {MENTORS} mentors, {Occurrence.objects.count():,} occurrences, "
          f"{Booking.objects.count():,} bookings; heaviest mentee {users['mentee']}, mentor {users['mentor']}")  # fmt: skip
    cookies = {role: session_cookie(email) for role, email in {**users, "admin": "admin@bench.edu"}.items()}
    from django.db import connections

    connections.close_all()
    cases = pages(cookies, round_path)
    if args.only:  # the reference is measured in every round whatever is asked for
        cases = [c for c in cases if c[0] == "home" or c[0] in args.only.split(",")]
    tool = "wrk" if shutil.which("wrk") else "python"
    measure = measure_wrk if tool == "wrk" else measure_python
    port = free_port()
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "CELERY_TASK_ALWAYS_EAGER": "0"},
    )  # fmt: skip
    try:
        wait_for(port)
        sizes = {}
        for key, _label, path, cookie in cases:
            for _ in range(args.workers * 2):  # every worker renders every page once before measuring
                status, _seconds, size = get(port, path, cookie)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}, not 200")
            sizes[key] = size
        load_before = os.getloadavg()
        print(f"gunicorn {args.workers} sync workers; {tool}, {args.connections} connections, "
              f"{args.seconds} s per page, {args.rounds} rounds; load average {load_before[0]:.2f} on {os.cpu_count()} cores")  # fmt: skip
        rounds: list[dict[str, dict]] = []
        for n in range(args.rounds):
            measured = {key: measure(port, path, cookie, args.seconds, args.connections) for key, _l, path, cookie in cases}
            for r in measured.values():
                r["ratio"] = r["rps"] / measured["home"]["rps"]
            rounds.append(measured)
            print(f"round {n + 1}: " + ", ".join(f"{k} {v['rps']:.1f}/s" for k, v in measured.items()))
        memory = worker_memory(server.pid)
        load_after = os.getloadavg()
    finally:
        stop(server)
    result: dict = {"tool": tool, "workers": args.workers, "connections": args.connections, "seconds": args.seconds,
                    "load_before": load_before, "load_after": load_after, "users": users, "pages": {},
                    "worker_memory": memory}  # fmt: skip
    for key, label, path, _cookie in cases:
        per_round = [r[key] for r in rounds]
        result["pages"][key] = {
            "label": label,
            "path": path,
            "rps": statistics.median(r["rps"] for r in per_round),
            "p95_ms": statistics.median(r["p95_ms"] for r in per_round),
            "p50_ms": statistics.median(r["p50_ms"] for r in per_round),
            "ratio": statistics.median(r["ratio"] for r in per_round),
            "errors": sum(r["errors"] for r in per_round),
            "bytes": sizes[key],
            "rounds": per_round,
        }
    return result


def print_result(result: dict) -> None:
    print(f"\n{'page':38} {'req/s':>7} {'p50':>7} {'p95':>7} {'ratio':>6} {'errors':>6} {'size':>8}")
    for page in result["pages"].values():
        print(f"{page['label']:38} {page['rps']:7.1f} {page['p50_ms']:5.0f}ms {page['p95_ms']:5.0f}ms "
              f"{page['ratio']:6.3f} {page['errors']:6} {page['bytes'] / 1024:6.0f}KB")  # fmt: skip
    rss = ", ".join(f"{w['rss_mib']:.0f}" for w in result["worker_memory"])
    print(f"gunicorn workers after the run, RSS MiB: {rss}")
    print(f"load average: {result['load_before'][0]:.2f} before, {result['load_after'][0]:.2f} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="mentorship_bench_load")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10, help="seconds of load per page and round")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (docs/deploy.md: 2 x cores)")
    parser.add_argument("--reuse", action="store_true", help="keep an already built database")
    parser.add_argument("--only", default="", help="comma-separated page keys (browse,my_week,my_sessions,"
                        "find_mentor,round_preview,report_cached); the home page is always measured")
    args = parser.parse_args()
    result = run(args)
    print_result(result)
    write_result("load_pages", result)


if __name__ == "__main__":
    main()
