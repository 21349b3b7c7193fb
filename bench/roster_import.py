"""Benchmark: importing a 20,000-row roster on PostgreSQL (the issue asks for under 30 s).

Creates a dedicated database (default `mentorship_bench_roster`, dropped and re-created), makes
--existing accounts (half the rows by default, so the import both updates and creates), writes a
roster CSV of --rows rows in which every existing person's surname and graduation year changed, then
times, through the same services the page and the Celery task use:
  1. the check behind the preview (check_roster),
  2. the import itself (run_roster_import: bulk writes in chunks, invitations queued in the outbox),
  3. importing the same file again (every row unchanged: the idempotent path),
and prints the query count of each step. Delivery tasks are published to the broker in
CELERY_BROKER_URL (default: kombu's in-memory transport, so no worker sends 10,000 mails).

    .venv/bin/python bench/roster_import.py [--rows 20000] [--existing 10000] [--db mentorship_bench_roster]

Needs PostgreSQL on 127.0.0.1 (user postgres, trust auth) or BENCH_PG=postgres://user@host:port.
Not part of the test suite; the figures go to docs/performance.md with the date and load average.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from harness import PG, recreate_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--existing", type=int, default=None, help="accounts that exist before (default rows/2)")
    parser.add_argument("--db", default="mentorship_bench_roster")
    args = parser.parse_args()
    existing = args.rows // 2 if args.existing is None else min(args.existing, args.rows)

    recreate_database(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)

    from accounts.class_year import graduation_year_for
    from accounts.models import User
    from notifications.models import OutboundEmail
    from roster.models import RosterImport
    from roster.services import check_roster, run_roster_import, upload_roster

    admin = User.objects.create_superuser("admin@bench.edu", "bench-password")
    User.objects.bulk_create(
        [User(email=f"student{i}@bench.edu", first_name="Student", last_name=f"Old{i}", is_mentee=True,
              graduation_year=graduation_year_for(2), password="!", calendar_token=f"t{i}")  # fmt: skip
         for i in range(existing)],
        batch_size=2000,
    )  # fmt: skip
    lines = ["email,given name,surname,graduation year,roles,student id,cohort"]
    lines += [f"student{i}@bench.edu,Student,New{i},{graduation_year_for(1)},mentee,S{i:06d},C{i % 8}"
              for i in range(args.rows)]  # fmt: skip
    raw = ("\n".join(lines) + "\n").encode()
    print(f"roster: {args.rows} rows ({existing} existing accounts, {args.rows - existing} new), {len(raw) / 1e6:.1f} MB")
    load = os.getloadavg()
    print(f"load average before: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")

    def timed(label, fn):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            result = fn()
            elapsed = time.perf_counter() - started
        print(f"{label}: {elapsed:.2f} s, {len(queries)} queries")
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
            print(f"    {float(query['time']):.2f} s  {query['sql'][:110]}")
        return result

    pending = upload_roster(uploaded_by=admin, filename="bench.csv", raw=raw)
    check = timed("check (preview)", lambda: check_roster(pending.content))
    assert check.is_clean, check.problems[:5]

    def run(roster_import):
        RosterImport.objects.filter(pk=roster_import.pk).update(status=RosterImport.Status.QUEUED)
        return run_roster_import(roster_import_id=roster_import.pk)

    done = timed("import", lambda: run(pending))
    print(f"  {done.rows_created} new, {done.rows_updated} updated, {done.invitations_sent} invitations queued; "
          f"status {done.status}")  # fmt: skip
    again = upload_roster(uploaded_by=admin, filename="bench-again.csv", raw=raw)
    second = timed("same file again", lambda: run(again))
    print(f"  {second.rows_unchanged} unchanged, {second.rows_created} new")
    print(f"accounts: {User.objects.count()}, outbox: {OutboundEmail.objects.count()}")
    load = os.getloadavg()
    print(f"load average after: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
