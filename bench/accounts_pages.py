"""Benchmark: the program admins' People page and a user's data export, with many students.

Run: .venv/bin/python bench/accounts_pages.py [--people 2000]
Uses a throw-away SQLite database (or DATABASE_URL if set) and prints median timings and query counts.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="bench-accounts-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)

    from accounts.services import build_data_export
    from subjects.models import Subject
    from subjects.services import ensure_seed_subjects
    from tests.factories import MenteeFactory, ProgramAdminFactory, WantedSubjectFactory

    ensure_seed_subjects()
    subjects = list(Subject.objects.all()[:5])
    people = [MenteeFactory() for _ in range(args.people)]
    for person in people[:: max(1, len(people) // 500)]:
        for rank, subject in enumerate(subjects[:3], start=1):
            WantedSubjectFactory(user=person, subject=subject, rank=rank)
    admin = ProgramAdminFactory()
    client = Client()
    client.force_login(admin)

    def timed(label, action):
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                action()
            timings.append((time.perf_counter() - start) * 1000)
        print(f"{label:45s} median {statistics.median(timings):7.1f} ms  p90 "
              f"{sorted(timings)[int(len(timings) * 0.9) - 1]:7.1f} ms  {len(queries)} queries")

    print(f"{args.people} people, {connection.vendor}")
    timed("People page (50 per page, first page)", lambda: client.get("/program/people/"))
    timed("People page, search 'student1'", lambda: client.get("/program/people/?q=student1"))
    timed("Data export of one mentee", lambda: build_data_export(user=people[0]))


if __name__ == "__main__":
    main()
