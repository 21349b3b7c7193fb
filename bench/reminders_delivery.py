"""Benchmark: 10,000 due reminders delivered by one Celery worker on Redis and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/5 .venv/bin/python bench/reminders_delivery.py [--count N]

The database named in DATABASE_URL is migrated and EMPTIED (flush): give it a database of its own.
Two runs over the same bookings (N mentees, 100 per session, sessions starting in 45 minutes):
1. clean: one dispatcher pass records the N reminders and publishes N send tasks; one worker
   (solo pool) renders and delivers them. Reported: dispatcher time, delivery time, reminders/s,
   duplicates (mails minus distinct recipients; must be 0).
2. kill -9: the same, but the worker is killed with SIGKILL once half are sent and started again;
   beat's next passes (simulated here, with the clock moved past REQUEUE_AFTER) publish again
   what the killed worker lost. Reported the same, plus reminders left "may have been sent" by a
   kill between hand-off and record (at most one; never a duplicate).
Results are printed and written to bench/results/reminders_delivery.json.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.settings"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "0"
# Short stale-claim period so the run after kill -9 need not wait the production 2 minutes.
os.environ.setdefault("EMAIL_STALE_CLAIM_SECONDS", "5")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.celery import app  # noqa: E402
from tests.support.worker import CeleryWorkerProcess, redis_reachable  # noqa: E402

PER_SESSION = 100


def seed(count: int) -> None:
    from accounts.models import User
    from sessions.models import Booking, Occurrence, ReviewSeries
    from subjects.models import Subject

    subject = Subject.objects.create(name="Anatomy")
    sessions = max(count // PER_SESSION, 1)
    mentors = User.objects.bulk_create(
        User(email=f"mentor{i}@bench.edu", is_mentor=True, email_opt_out=True, password="!")  # noqa: S106
        for i in range(sessions)
    )
    mentees = User.objects.bulk_create(
        User(email=f"mentee{i}@bench.edu", is_mentee=True, reminder_offsets_hours=[1], password="!")  # noqa: S106
        for i in range(count)
    )
    today = timezone.localdate()
    series = ReviewSeries.objects.bulk_create(
        ReviewSeries(
            mentor=m, subject=subject, title=f"Review {i}", weekday=1, start_time="18:00",
            duration_minutes=60, location="Room 1", seats=PER_SESSION, first_date=today, last_date=today,
        )
        for i, m in enumerate(mentors)
    )
    starts = timezone.now() + timedelta(minutes=45)
    occurrences = Occurrence.objects.bulk_create(
        Occurrence(series=s, series_date=today, starts_at=starts, ends_at=starts + timedelta(hours=1),
                   seats=PER_SESSION, location="Room 1")
        for s in series
    )
    Booking.objects.bulk_create(
        Booking(occurrence=occurrences[i // PER_SESSION], mentee=mentee) for i, mentee in enumerate(mentees)
    )


def reset() -> None:
    from notifications.models import OutboundEmail
    from sessions.models import Occurrence, Reminder

    Reminder.objects.all().delete()
    OutboundEmail.objects.all().delete()
    starts = timezone.now() + timedelta(minutes=45)
    Occurrence.objects.update(starts_at=starts, ends_at=starts + timedelta(hours=1))


def statuses() -> Counter:
    from sessions.models import Reminder

    return Counter(dict(Reminder.objects.order_by().values_list("status").annotate(n=Count("pk"))))


def wait_until_settled(count: int, *, timeout: float, on_stall=None, stall_after: float = 10) -> None:
    """Poll until every reminder is sent, failed, skipped or uncertain; call `on_stall` when progress stops."""
    deadline = time.monotonic() + timeout
    last, last_change = -1, time.monotonic()
    while time.monotonic() < deadline:
        done = statuses()
        settled = done["sent"] + done["failed"] + done["skipped"] + done["uncertain"]
        if settled >= count:
            return
        if settled != last:
            last, last_change = settled, time.monotonic()
        elif on_stall and time.monotonic() - last_change > stall_after:
            on_stall()
            last_change = time.monotonic()
        time.sleep(0.5)
    raise RuntimeError(f"not settled after {timeout}s: {dict(statuses())}")


def run(count: int, *, kill_halfway: bool, workdir: Path) -> dict:
    from notifications.services import REQUEUE_AFTER
    from sessions.reminders import dispatch_due_reminders

    reset()
    worker = CeleryWorkerProcess(database=connection.settings_dict, broker_url=settings.CELERY_BROKER_URL, workdir=workdir)
    worker.env["EMAIL_STALE_CLAIM_SECONDS"] = os.environ["EMAIL_STALE_CLAIM_SECONDS"]
    worker.env["CONN_MAX_AGE"] = "60"  # as in production (the test worker reconnects per task)
    app.conf.task_default_queue = worker.queue
    worker.start()
    restarted_in = None
    beat_passes: list[int] = []
    try:
        t0 = time.perf_counter()
        dispatched = dispatch_due_reminders()
        t_dispatch = time.perf_counter() - t0
        if kill_halfway:
            while statuses()["sent"] < count // 2:
                time.sleep(0.05)
            worker.stop(kill=True)
            sent_at_kill = statuses()["sent"]
            t_kill = time.perf_counter()
            worker.start()
            restarted_in = time.perf_counter() - t_kill
            # Once the queue has drained, what beat's later passes do (REQUEUE_AFTER later, here
            # simulated by moving the clock): publish again what the killed worker lost. Counted,
            # because the restarted worker's reconnect sweeps should have made it unnecessary.
            def beat_pass() -> None:
                beat_passes.append(1)
                dispatch_due_reminders(now=timezone.now() + REQUEUE_AFTER + timedelta(seconds=1))

            wait_until_settled(count, timeout=3600, on_stall=beat_pass)
            after_restart = time.perf_counter() - t_kill - restarted_in
        else:
            wait_until_settled(count, timeout=3600)
        elapsed = time.perf_counter() - t0
    finally:
        worker.stop()
    recipients = Counter(m["To"] for m in worker.mails())
    final = statuses()
    result = {
        "reminders": count,
        "kill_9_halfway": kill_halfway,
        "dispatcher_seconds": round(t_dispatch, 2),
        "dispatcher_enqueued": dispatched.enqueued,
        "total_seconds": round(elapsed, 2),
        "reminders_per_second": round(final["sent"] / elapsed, 1),
        "sent": final["sent"],
        "failed": final["failed"],
        "skipped": final["skipped"],
        "may_have_been_sent": final["uncertain"],
        "mails": sum(recipients.values()),
        "duplicates": sum(n - 1 for n in recipients.values() if n > 1),
    }
    if kill_halfway:
        result["sent_when_killed"] = sent_at_kill
        result["worker_restart_seconds"] = round(restarted_in, 2)
        result["all_settled_seconds_after_restart"] = round(after_restart, 2)
        result["simulated_beat_passes_needed"] = len(beat_passes)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        sys.exit("Set DATABASE_URL=postgres://... and CELERY_BROKER_URL=redis://... (see the docstring).")
    if not redis_reachable(settings.CELERY_BROKER_URL):
        sys.exit(f"Redis at {settings.CELERY_BROKER_URL} does not answer.")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    seed(args.count)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for kill in (False, True):
            result = run(args.count, kill_halfway=kill, workdir=Path(tmp) / ("kill" if kill else "clean"))
            print(json.dumps(result))
            results.append(result)
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "reminders_delivery.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
