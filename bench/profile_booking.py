"""Profile one "Book a seat" POST (the htmx request of the browse page) through the full middleware,
on PostgreSQL, for the path that books and for the "session full" refusal. Prints CPU per request
(process time), queries per request and the top of a cProfile by cumulative time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mentorship_x CELERY_BROKER_URL=redis://127.0.0.1:6379/15 \
    .venv/bin/python bench/profile_booking.py [--requests 100] [--top 40]

The database named in DATABASE_URL is dropped and recreated (BENCH_PG server), so give it a name of its own.
"""

import argparse
import datetime as dt
import os
import pstats
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100, help="refused requests to profile")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument("--dump", default="", help="also write the profiles to <DUMP>-<path>.prof")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("needs PostgreSQL: set DATABASE_URL=postgres://.../<a database of your own>")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "LOG_LEVEL": "WARNING",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_TASK_DEFAULT_QUEUE": f"profile-{secrets.token_hex(5)}",
        }
    )
    sys.path.insert(0, str(ROOT / "bench"))
    from harness import profile_requests, recreate_database

    recreate_database(urlsplit(url).path.lstrip("/"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from tests.factories import MenteeFactory, published_series

    seats = 6
    day = timezone.localdate() + dt.timedelta(days=1)
    occurrence = published_series(seats=seats, first_date=day, last_date=day).occurrences.get()
    path = f"/sessions/o/{occurrence.pk}/book/"

    def signed_in() -> str:
        client = Client()
        client.force_login(MenteeFactory(verified=True))
        return client.cookies["sessionid"].value

    # One client (one handler, its middleware loaded once, as in a gunicorn worker), a mentee's cookie per request.
    csrf = secrets.token_hex(16)
    client = Client(enforce_csrf_checks=True, HTTP_HX_REQUEST="true", HTTP_X_CSRFTOKEN=csrf)
    client.cookies["csrftoken"] = csrf
    sessions = [signed_in() for _ in range(seats + 1 + args.requests)]

    def post(session: str) -> str:
        client.cookies["sessionid"] = session
        return client.post(path).content.decode()

    post(sessions[0])  # warm: imports, templates, connection
    executed = [0]

    def count(execute, sql, params, many, context):  # noqa: ANN001, ANN202 - Django's execute_wrapper signature
        executed[0] += 1
        return execute(sql, params, many, context)

    def run(group: list[str], expect: str, label: str) -> None:
        def answered(i: int) -> None:
            body = post(group[i])
            assert expect in body, body[:400]

        executed[0] = 0
        with connection.execute_wrapper(count):
            profiled = profile_requests(answered, len(group))  # CPU, not the waits for PostgreSQL
        queries = executed[0] / len(group)
        if args.dump:
            profiled.profile.dump_stats(f"{args.dump}-{label.split(':')[0].replace(' ', '_')}.prof")
        print(
            f"\n=== {label}: {len(group)} requests, {profiled.cpu_ms_each():.1f} ms CPU each (under cProfile), "
            f"{queries:.1f} queries each"
        )
        pstats.Stats(profiled.profile).sort_stats("cumulative").print_stats(args.top)

    run(sessions[1:seats], "You are booked", "books a seat")
    refused = sessions[seats + 1 :]
    cpu = time.process_time()
    for session in refused[: len(refused) // 2]:
        post(session)
    print(f"\nrefused, no profiler: {(time.process_time() - cpu) / (len(refused) // 2) * 1000:.1f} ms CPU each")
    run(refused[len(refused) // 2 :], "This session is full", "refused: full")


if __name__ == "__main__":
    main()
