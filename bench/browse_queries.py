"""Query counts and render times of the browse page, "My week" and "My sessions" with 10 and with
10,000 occurrences in the database. The query count must not change with the data size.

    .venv/bin/python bench/browse_queries.py            # SQLite (in memory)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship .venv/bin/python bench/browse_queries.py

It creates and drops its own test database (test_<name>); your data is not touched.
"""

import os
import statistics
import sys
import time
from datetime import time as clock
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

SIZES = [int(s) for s in os.environ.get("BENCH_SIZES", "10,10000").split(",")]
REPEAT = 11
PAGES = {"browse": "/sessions/", "browse (with seats, evening)": "/sessions/?with_seats=on&time_of_day=evening",
         "my week": "/sessions/my-week/", "my sessions": "/sessions/mine/"}


def grow_to(total: int, mentors, mentees, subject) -> None:
    from sessions.models import Booking, Occurrence, ReviewSeries

    have = Occurrence.objects.count()
    start = timezone.now() + timedelta(hours=2)
    occurrences = []
    for n in range(have, total):
        mentor = mentors[n % len(mentors)]
        series = ReviewSeries.objects.filter(mentor=mentor).first() or ReviewSeries.objects.create(
            mentor=mentor, subject=subject, title=f"Review {mentor.pk}", weekday=1, start_time=clock(18, 0),
            duration_minutes=60, location="Room", seats=6, first_date=start.date(),
            last_date=start.date() + timedelta(days=365), allowed_class_years=[1, 2, 3],
        )
        when = start + timedelta(hours=n * 3)
        occurrences.append(Occurrence(series=series, series_date=timezone.localtime(when).date() + timedelta(days=n),
                                      starts_at=when, ends_at=when + timedelta(hours=1), seats=6, location="Room"))
    created = Occurrence.objects.bulk_create(occurrences, batch_size=2000)
    Booking.objects.bulk_create(
        (Booking(occurrence=o, mentee=mentees[(o.pk + k) % len(mentees)]) for o in created for k in range(3)),
        batch_size=5000,
    )


def measure(client: Client, url: str) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    queries = len(captured)  # now: the next request resets the log the context reads from
    if os.environ.get("BENCH_SHOW_SQL"):
        for q in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]:
            print(f"  {q['time']}s {q['sql'][:700]}")
    times = []
    for _ in range(REPEAT):
        began = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - began) * 1000)
    return queries, statistics.median(times)


def main() -> None:
    from tests.factories import MenteeFactory, MentorFactory, SubjectFactory

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        subject = SubjectFactory(name="Anatomy")
        mentors = [MentorFactory() for _ in range(20)]
        mentees = [MenteeFactory() for _ in range(60)]
        results = {}
        for size in SIZES:
            grow_to(size, mentors, mentees, subject)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # fresh planner statistics, as autovacuum would give a live table
            for name, url in PAGES.items():
                # Not setup_test_environment(): its instrumented template rendering would skew the times.
                client = Client(SERVER_NAME="localhost")
                client.force_login(mentees[0] if "browse" in name or "sessions" in name else mentors[0])
                results[(name, size)] = measure(client, url)
        print(f"database: {connection.vendor}")
        print(f"{'page':32} {'occurrences':>12} {'queries':>8} {'median ms':>10}")
        for (name, size), (queries, ms) in results.items():
            print(f"{name:32} {size:>12,} {queries:>8} {ms:>10.1f}")
        for name in PAGES:
            counts = {results[(name, s)][0] for s in SIZES}
            if len(counts) != 1:
                raise SystemExit(f"FAIL: {name} query count changed with data size: {counts}")
        print("OK: query counts are the same at every size")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
