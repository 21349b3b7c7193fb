"""Profile one page as one user: render it N times through the Django test client and print the
per-request CPU time, the response size, the query count and cProfile's top functions.

Runs against a database built by `bench/load_pages.py` (default `mentorship_bench_load`), with
tests.settings (DEBUG off, so the cached template loader is on, as in production).

    .venv/bin/python bench/profile_page.py /sessions/ mentee0@bench.edu [--runs 50] [--db NAME] [--top 25]
    .venv/bin/python bench/profile_page.py / anonymous       # the reference: the home page signed out
    .venv/bin/python bench/profile_page.py --heaviest [--db NAME]

`--heaviest` names the mentee with the most booked seats, the mentee with the most upcoming ones
and the mentor with the most sessions in the next seven days, with the sizes of their pages.
CPU time (time.process_time) is this process only: the database's own work is not in it, which
is what a gunicorn worker spends per request beside waiting for PostgreSQL. Not part of the test
suite; the figures go to docs/performance.md.
"""

import argparse
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import profile_requests, setup_bench_django, signed_in_client, warm_up  # noqa: E402


def page_figures(path: str, email: str, runs: int) -> dict:
    """CPU ms per request (median of `runs`), bytes and queries of one page for one user."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(email)  # "anonymous" profiles the page signed out (the home page, the reference)
    warm_up(client, path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    queries = len(captured)  # now: the next request resets the connection's query log
    # Python function calls: a count that the machine's load does not blur
    counted = profile_requests(lambda _: client.get(path), 3, cpu_timer=False)
    calls = pstats.Stats(counted.profile).total_calls // 3  # type: ignore[attr-defined]  # set by Stats, unseen by typeshed
    cpu, wall = [], []
    for _ in range(runs):
        began_cpu, began_wall = time.process_time(), time.perf_counter()
        client.get(path)
        cpu.append((time.process_time() - began_cpu) * 1000)
        wall.append((time.perf_counter() - began_wall) * 1000)
    return {
        "cpu_ms": statistics.median(cpu),
        "wall_ms": statistics.median(wall),
        "bytes": len(response.content),
        "queries": queries,
        "calls": calls,
    }


def describe(path: str, email: str, figures: dict, home: dict) -> str:
    return (f"{path} as {email}: {figures['cpu_ms']:.1f} ms CPU ({figures['cpu_ms'] / home['cpu_ms']:.1f}x the home "
            f"page's {home['cpu_ms']:.1f} ms), {figures['wall_ms']:.1f} ms wall, {figures['bytes']:,} bytes, "
            f"{figures['queries']} queries, {figures['calls']:,} Python calls ({figures['calls'] / home['calls']:.1f}x)")  # fmt: skip


def profile(path: str, email: str, runs: int, top: int) -> None:
    home = page_figures("/", "anonymous", runs)  # the reference, in the same run: this machine is shared
    print(describe(path, email, page_figures(path, email, runs), home), f"(medians of {runs})")
    client = signed_in_client(email)
    client.get(path)
    stats = pstats.Stats(profile_requests(lambda _: client.get(path), runs, cpu_timer=False).profile)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)


def heaviest() -> list[tuple[str, str, str]]:
    """(what, path, email) for the heaviest users of the bench data."""
    from datetime import timedelta

    from django.db.models import Count, Q
    from django.utils import timezone

    from accounts.models import User
    from sessions.models import Booking

    now = timezone.now()
    booked = Q(session_bookings__status=Booking.Status.BOOKED)
    most_booked = (
        User.objects.filter(is_mentee=True)
        .annotate(n=Count("session_bookings", filter=booked))
        .order_by("-n", "pk")
        .first()
    )
    most_upcoming = (
        User.objects.filter(is_mentee=True)
        .annotate(n=Count("session_bookings", filter=booked & Q(session_bookings__occurrence__starts_at__gt=now)))
        .order_by("-n", "pk")
        .first()
    )
    week = Q(
        review_series__occurrences__starts_at__gt=now,
        review_series__occurrences__starts_at__lte=now + timedelta(days=7),
    )
    busiest_mentor = (
        User.objects.filter(is_mentor=True)
        .annotate(n=Count("review_series__occurrences", filter=week))
        .order_by("-n", "pk")
        .first()
    )
    assert most_booked and most_upcoming and busiest_mentor
    print(f"most booked mentee: {most_booked.email} ({most_booked.n} seats)")  # type: ignore[attr-defined]
    print(f"most upcoming mentee: {most_upcoming.email} ({most_upcoming.n} upcoming seats)")  # type: ignore[attr-defined]
    print(f"busiest mentor this week: {busiest_mentor.email} ({busiest_mentor.n} sessions)")  # type: ignore[attr-defined]
    return [
        ("browse (most upcoming mentee)", "/sessions/", most_upcoming.email),
        ("My sessions (most booked mentee)", "/sessions/mine/", most_booked.email),
        ("My sessions (most upcoming mentee)", "/sessions/mine/", most_upcoming.email),
        ("My week (busiest mentor)", "/sessions/my-week/", busiest_mentor.email),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?")
    parser.add_argument("email", nargs="?")
    parser.add_argument("--db", default="mentorship_bench_load")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--heaviest", action="store_true", help="find the heaviest users and size their pages")
    args = parser.parse_args()

    setup_bench_django(args.db)
    if args.heaviest:
        print(f"load average: {os.getloadavg()[0]:.2f}")
        home = page_figures("/", "anonymous", args.runs)
        for what, path, email in heaviest():
            print(f"{what}: {describe(path, email, page_figures(path, email, args.runs), home)}")
        return
    if not (args.path and args.email):
        parser.error("give a path and an email, or --heaviest")
    profile(args.path, args.email, args.runs, args.top)


if __name__ == "__main__":
    main()
