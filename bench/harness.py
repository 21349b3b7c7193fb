"""What the benchmark scripts share: a fresh PostgreSQL database, a free local port, waiting for gunicorn.

The scripts run as `python bench/<script>.py`, so this folder is on sys.path and `import harness` finds it.
"""

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import psycopg

PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def recreate_database(name: str) -> None:
    """Drop `name` on the BENCH_PG server (closing its connections) and create it empty."""
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int) -> None:
    """Return once something listens on 127.0.0.1:`port`; give up after 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


RESULTS = Path(__file__).resolve().parent / "results"


def server_env(database_url: str) -> dict[str, str]:
    """The environment of a production-like server for a benchmark: config.settings with DEBUG off,
    Redis as the cache (as docs/deploy.md recommends), plain HTTP on 127.0.0.1, quiet logs."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8"),
        "CELERY_BROKER_URL": os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/8"),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


def stop(server: subprocess.Popen) -> None:
    """Stop a server started by a benchmark (gunicorn: SIGTERM, then SIGKILL after 20 s)."""
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def worker_memory(master_pid: int) -> list[dict]:
    """Resident and proportional memory (MiB) of every child process of `master_pid` (gunicorn's
    workers), read from /proc: RSS counts pages shared with the master in full, PSS shares them out."""
    workers = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) != master_pid:  # field 4 of /proc/<pid>/stat: the parent's pid
            continue
        pid = int(stat.parent.name)
        values = {}
        for line in (stat.parent / "smaps_rollup").read_text().splitlines()[1:]:
            name, _, rest = line.partition(":")
            values[name] = int(rest.split()[0]) / 1024  # kB to MiB
        workers.append({"pid": pid, "rss_mib": values.get("Rss", 0.0), "pss_mib": values.get("Pss", 0.0)})
    return sorted(workers, key=lambda w: w["pid"])


def write_result(name: str, result: object) -> Path:
    """Write a benchmark's result to bench/results/<name>.json (bench/run_all.py reads them back)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    return path
