"""Benchmark: the impact report over 1,000,000 bookings on PostgreSQL.

Creates a dedicated database (default `mentorship_bench_reports`, dropped and re-created unless
--reuse), generates a year of program activity with set-based SQL (generate_series, INSERT ...
SELECT), then renders the report page as a signed-in program admin and times it: the default
range (this term), the whole year, one CSV download, and the slowest queries of a render.

    .venv/bin/python bench/report_large.py [--bookings 1000000] [--runs 5] [--reuse]

Needs PostgreSQL on 127.0.0.1 (user postgres, trust auth) or BENCH_PG=postgres://user@host:port.
Not part of the test suite; the figures go to docs/performance.md.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import PG, recreate_database, write_result  # noqa: E402

MENTEES, MENTORS, SERIES, WEEKS = 6000, 200, 400, 56


def generate(n_bookings: int) -> None:
    """People and series through the ORM (small), the large tables in SQL (fast)."""
    from datetime import time as clock
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from accounts.class_year import graduation_year_for
    from accounts.models import OfferedSubject, User, WantedSubject
    from reports.periods import program_zone
    from sessions.models import ReviewSeries
    from subjects.models import Subject
    from subjects.services import ensure_seed_subjects

    ensure_seed_subjects()
    subjects = list(Subject.objects.all()[:20])
    now = timezone.now()
    common = {"password": "!", "onboarded_at": now, "availability": [], "reminder_offsets_hours": [24]}
    User.objects.create_superuser("admin@bench.edu", "bench-password")
    User.objects.bulk_create(
        [User(email=f"mentor{i}@bench.edu", first_name="Mentor", last_name=str(i), is_mentor=True,
              graduation_year=graduation_year_for(4), mentor_capacity=1 + i % 4, calendar_token=f"m{i}", **common)
         for i in range(MENTORS)]  # fmt: skip
        + [User(email=f"mentee{i}@bench.edu", first_name="Mentee", last_name=str(i), is_mentee=True,
                graduation_year=graduation_year_for(1 + i % 2), calendar_token=f"e{i}", **common)
           for i in range(MENTEES)],  # fmt: skip
        batch_size=2000,
    )
    mentors = list(User.objects.filter(is_mentor=True).order_by("pk"))
    mentees = list(User.objects.filter(is_mentee=True).order_by("pk"))
    OfferedSubject.objects.bulk_create(
        OfferedSubject(user=m, subject=subjects[(i + k) % len(subjects)]) for i, m in enumerate(mentors) for k in range(2)
    )
    WantedSubject.objects.bulk_create(
        WantedSubject(user=m, subject=subjects[(i * 7 + k) % len(subjects)], rank=k + 1)
        for i, m in enumerate(mentees) for k in range(2)
    )  # fmt: skip
    from sessions.models import MAX_SERIES_DAYS  # a series row spans at most a year (series_at_most_a_year)

    today = timezone.localdate(now, program_zone())
    first = today - timedelta(weeks=WEEKS - 6)
    ReviewSeries.objects.bulk_create(
        ReviewSeries(mentor=mentors[i % MENTORS], subject=subjects[i % len(subjects)], title=f"Review {i}",
                     weekday=i % 5, start_time=clock(17 + i % 4), duration_minutes=60 + 30 * (i % 3), seats=50,
                     first_date=first, last_date=first + timedelta(days=min(WEEKS * 7, MAX_SERIES_DAYS)))
        for i in range(SERIES)
    )  # fmt: skip
    per_occurrence = -(-n_bookings // (SERIES * WEEKS))
    with connection.cursor() as cur:
        # Row triggers (the report tally's) off for the bulk load; the tally is rebuilt once at the end.
        cur.execute("SET session_replication_role = replica")
        # One occurrence per series and week, at the series' local wall-clock time.
        cur.execute(
            """
            INSERT INTO review_sessions_occurrence
                (series_id, series_date, starts_at, ends_at, seats, location, video_link, status, cancel_reason,
                 cancelled_at, sequence, updated_at)
            SELECT s.id, d::date, (d::date + s.start_time) AT TIME ZONE s.time_zone,
                   (d::date + s.start_time) AT TIME ZONE s.time_zone + make_interval(mins => s.duration_minutes),
                   s.seats, '', '', 'scheduled', '', NULL, 0, now()
            FROM review_sessions_reviewseries s
            CROSS JOIN generate_series(0, %s - 1) w
            CROSS JOIN LATERAL (SELECT s.first_date + (w * 7 + s.weekday) AS d) day
            """,
            [WEEKS],
        )
        cur.execute(
            "UPDATE review_sessions_occurrence SET status = 'cancelled', cancelled_at = starts_at - interval '1 day',"
            " cancel_reason = 'Exam week' WHERE id % 33 = 0"
        )
        cur.execute("CREATE TEMP TABLE mentee_index AS SELECT id, row_number() OVER (ORDER BY id) - 1 AS idx"
                    " FROM accounts_user WHERE is_mentee")  # fmt: skip
        cur.execute("CREATE UNIQUE INDEX ON mentee_index (idx)")
        cur.execute(
            """
            INSERT INTO review_sessions_booking
                (occurrence_id, mentee_id, status, source, standing_booking_id, late_cancel, created_at, cancelled_at)
            SELECT o.id, m.id, CASE WHEN k %% 12 = 0 THEN 'cancelled' ELSE 'booked' END, 'single', NULL,
                   k %% 24 = 0, o.starts_at - interval '3 days',
                   CASE WHEN k %% 12 = 0 THEN o.starts_at - interval '1 hour' END
            FROM (SELECT id, starts_at, row_number() OVER (ORDER BY id) AS rn FROM review_sessions_occurrence) o
            CROSS JOIN generate_series(0, %s - 1) k
            JOIN mentee_index m ON m.idx = (o.rn * 37 + k * 131) %% %s
            ORDER BY o.id, k
            LIMIT %s
            """,
            [per_occurrence, MENTEES, n_bookings],
        )
        cur.execute(
            """
            INSERT INTO review_sessions_attendance (occurrence_id, mentee_id, status, walk_in, recorded_by_id, recorded_at)
            SELECT b.occurrence_id, b.mentee_id,
                   CASE WHEN b.id % 10 < 8 THEN 'attended' WHEN b.id % 10 = 8 THEN 'no_show' ELSE 'excused' END,
                   false, NULL, o.ends_at
            FROM review_sessions_booking b JOIN review_sessions_occurrence o ON o.id = b.occurrence_id
            WHERE b.status = 'booked' AND o.status = 'scheduled' AND o.ends_at <= now()
            """
        )
        cur.execute(
            """
            INSERT INTO review_sessions_rating (occurrence_id, mentee_id, score, feedback, created_at)
            SELECT occurrence_id, mentee_id, 1 + (id / 5) % 5, '', recorded_at
            FROM review_sessions_attendance WHERE status = 'attended' AND id % 5 = 0
            """
        )
        cur.execute(
            """
            INSERT INTO review_sessions_outcomenote
                (occurrence_id, mentor_id, topics, private_notes, follow_ups, note_to_attendees, created_at, updated_at)
            SELECT o.id, s.mentor_id, 'Topics', '', '', '', o.ends_at, o.ends_at
            FROM review_sessions_occurrence o JOIN review_sessions_reviewseries s ON s.id = o.series_id
            WHERE o.status = 'scheduled' AND o.ends_at <= now() AND o.id % 5 <> 0
            """
        )
        cur.execute(
            """
            INSERT INTO review_sessions_waitlistentry (occurrence_id, mentee_id, status, created_at, promoted_at, left_at)
            SELECT o.id, m.id,
                   CASE WHEN o.ends_at > now() THEN 'waiting' WHEN j = 0 THEN 'promoted' ELSE 'closed' END,
                   o.starts_at - interval '2 days', CASE WHEN o.ends_at <= now() AND j = 0 THEN o.starts_at END, NULL
            FROM review_sessions_occurrence o CROSS JOIN generate_series(0, 4) j
            JOIN mentee_index m ON m.idx = (o.id * 53 + j * 977 + 3000) %% %s
            WHERE o.id %% 3 = 0
            """,
            [MENTEES],
        )
        for n, (name, weeks_ago) in enumerate([("Block 1", 30), ("Block 2", 20), ("Block 3", 10), ("Block 4", 2)]):
            day = today - timedelta(weeks=weeks_ago)
            cur.execute(
                """
                INSERT INTO program_exam (name, kind, scale, first_day, last_day, ical_uid, created_at)
                VALUES (%s, 'block', 'percent', %s, %s, '', now()) RETURNING id
                """,
                [name, day, day],
            )
            exam_id = cur.fetchone()[0]
            cur.execute(
                """
                INSERT INTO reports_examresult (student_id, exam_id, score, passed, imported_at, batch_id)
                SELECT id, %s, 55 + (id * 7 + %s) %% 45, NULL, now(), NULL FROM accounts_user WHERE is_mentee
                """,
                [exam_id, n],
            )
        cur.execute(
            """
            INSERT INTO mentorship_mentorship
                (mentor_id, mentee_id, status, message, score, reasons, requested_at, responded_at, ended_at,
                 ended_by_id, end_reason, round_id)
            SELECT t.mentor_id, t.mentee_id, t.status, '', NULL, '', t.requested_at,
                   CASE WHEN t.status IN ('active', 'ended', 'declined') THEN t.requested_at + interval '20 hours' END,
                   CASE WHEN t.status IN ('ended', 'declined', 'expired') THEN t.requested_at + interval '40 days' END,
                   NULL, '', NULL
            FROM (
                SELECT mt.id AS mentor_id, me.id AS mentee_id, now() - (me.idx %% 200) * interval '1 day' AS requested_at,
                       (ARRAY['active', 'active', 'ended', 'declined', 'expired'])[1 + me.idx %% 5] AS status
                FROM mentee_index me
                JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS idx FROM accounts_user WHERE is_mentor) mt
                  ON mt.idx = me.idx %% %s
                WHERE me.idx %% 2 = 0
            ) t
            """,
            [MENTORS],
        )
        cur.execute("SET session_replication_role = DEFAULT")
    from reports.tally import rebuild_session_tally

    started = time.perf_counter()
    print(f"report tally rebuilt: {rebuild_session_tally():,} sessions in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cur:
        cur.execute("ANALYZE")


def counts() -> dict:
    from django.db import connection

    tables = ["review_sessions_occurrence", "review_sessions_booking", "review_sessions_attendance",
              "review_sessions_rating", "review_sessions_waitlistentry", "reports_examresult", "mentorship_mentorship",
              "reports_sessiontally"]  # fmt: skip
    with connection.cursor() as cur:
        result = {}
        for table in tables:
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed table names
            result[table] = cur.fetchone()[0]
    return result


def backend_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) the PostgreSQL backend process has used, if it runs on this machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def time_get(client, url: str, runs: int) -> tuple[float, float, int, float | None]:
    """Median and worst wall time, queries, and median CPU time (this process + the database
    backend, parallel query off): on a busy machine the CPU time is what an idle one would take."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm caches and connection
    timings, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)  # read now: the next request resets the log
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
        cursor.execute("SET max_parallel_workers_per_gather = 0")
    for _ in range(runs):
        before_db, before_py = backend_cpu_seconds(pid), time.process_time()
        client.get(url)
        after_db, after_py = backend_cpu_seconds(pid), time.process_time()
        if before_db is not None:
            cpu.append(after_db - before_db + after_py - before_py)
    with connection.cursor() as cursor:
        cursor.execute("RESET max_parallel_workers_per_gather")
    return statistics.median(timings), max(timings), queries, (
        statistics.median(cpu) if cpu else None
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bookings", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", default="mentorship_bench_reports")
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    args = parser.parse_args()

    if not args.reuse:
        recreate_database(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import is_mfa_enabled
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from accounts.models import User
    from reports.periods import current_term

    setup_test_environment()
    call_command("migrate", verbosity=0)  # with --reuse too: a database from before a migration gets it (and its data)
    if not args.reuse:
        started = time.perf_counter()
        generate(args.bookings)
        print(f"generated in {time.perf_counter() - started:.1f} s")
    for table, n in counts().items():
        print(f"  {table:32} {n:>10,}")

    admin = User.objects.get(email="admin@bench.edu")
    if not is_mfa_enabled(admin):  # program admins need a second factor to see any page
        TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client()
    client.force_login(admin)
    term = current_term()
    first = connection.cursor()
    first.execute("SELECT min(starts_at)::date, max(starts_at)::date FROM review_sessions_occurrence")
    year_start, year_end = first.fetchone()
    cases = [
        ("term", f"report, this term ({term.start} to {term.end})", "/reports/"),
        ("year", f"report, whole data set ({year_start} to {year_end})", f"/reports/?start={year_start}&end={year_end}"),
        ("year_subject", "report, whole data set, one subject", f"/reports/?start={year_start}&end={year_end}&subject=1"),
        ("trends_csv", "CSV download of the weekly trends, whole data set", f"/reports/export/trends.csv?start={year_start}&end={year_end}"),
    ]  # fmt: skip
    load_before = os.getloadavg()
    result: dict = {"bookings": counts()["review_sessions_booking"], "runs": args.runs, "cases": {}}
    print(f"\n{'case':62} {'median':>8} {'max':>8} {'queries':>8} {'cpu':>8}")
    for key, label, url in cases:
        median, worst, queries, cpu = time_get(client, url, args.runs)
        cpu_text = f"{cpu:7.3f}s" if cpu is not None else "     n/a"
        print(f"{label:62} {median:7.3f}s {worst:7.3f}s {queries:8} {cpu_text}")
        result["cases"][key] = {"label": label, "url": url, "median_s": median, "max_s": worst, "queries": queries,
                                "cpu_s": cpu}  # fmt: skip
    result["load_before"], result["load_after"] = load_before, os.getloadavg()
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    write_result("report_large", result)

    with CaptureQueriesContext(connection) as captured:
        client.get(f"/reports/?start={year_start}&end={year_end}")
    print("\nslowest queries of one whole-data-set render:")
    for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:5]:
        print(f"  {float(query['time']):.3f}s  {query['sql'][:140]}")


if __name__ == "__main__":
    main()
