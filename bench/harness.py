"""What the benchmark scripts share: a fresh PostgreSQL database, a free local port, waiting for gunicorn,
and for the in-process profilers Django set up on a bench database, a signed-in test client and
N requests under cProfile (`profile_requests`).

The scripts run as `python bench/<script>.py`, so this folder is on sys.path and `import harness` finds it.
"""

import cProfile
import json
import os
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def write_result(name: str, result: object) -> Path:
    """Write a benchmark's result to bench/results/<name>.json (bench/run_all.py reads them back)."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(result, indent=2, default=str))
    return path
def worker_memory(master_pid: int) -> list[dict]:
    """RSS, PSS and USS in MiB of each child (gunicorn worker) of `master_pid`, read from /proc (Linux).

    RSS counts pages shared with the master (copy-on-write after fork) in every worker; PSS splits
    them among the processes sharing them, USS is what a worker alone holds. PSS/USS are None where
    /proc/<pid>/smaps_rollup is missing (kernels before 4.14).
    """
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    rows = []
    for pid in map(int, children):
        rows.append({"pid": pid, **_memory(pid)})
    return rows


def _memory(pid: int) -> dict:
    status = _kib_fields(Path(f"/proc/{pid}/status"), ("VmRSS", "VmHWM"))
    try:
        rollup = _kib_fields(Path(f"/proc/{pid}/smaps_rollup"), ("Pss", "Private_Clean", "Private_Dirty"))
    except OSError:
        rollup = {}
    mib = 1024
    uss = rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0) if rollup else None
    return {
        "rss_mib": round(status["VmRSS"] / mib, 1),
        "peak_rss_mib": round(status["VmHWM"] / mib, 1),
        "pss_mib": round(rollup["Pss"] / mib, 1) if rollup else None,
        "uss_mib": round(uss / mib, 1) if uss is not None else None,
    }


def _kib_fields(path: Path, names: tuple[str, ...]) -> dict[str, int]:
    """The `Name:  1234 kB` lines of a /proc file, in KiB."""
    found = {}
    for line in path.read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in names:
            found[name] = int(rest.split()[0])
    return found


def worker_cpu_seconds(master_pid: int) -> float:
    """CPU time (user + system) used so far by the children (gunicorn workers) of `master_pid`."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks


def setup_bench_django(db: str, *, environment_wins: bool = False) -> None:
    """Set Django up in this process on the bench database `db` (BENCH_PG server) with tests.settings
    (DEBUG off, so the cached template loader is on, as in production). With `environment_wins`, a
    DATABASE_URL or DJANGO_SETTINGS_MODULE already in the environment is kept."""
    put = os.environ.setdefault if environment_wins else os.environ.__setitem__
    put("DATABASE_URL", f"{PG}/{db}")
    put("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # Redis as the cache, as the served benchmarks and production have it (the bench databases have no
    # cache table: load_pages builds them with Redis as the cache).
    os.environ.setdefault("CACHE_URL", os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8"))
    import django

    django.setup()


def signed_in_client(email: str) -> Any:
    """A django.test.Client signed in as the user with this email ("anonymous": signed out)."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    if email != "anonymous":
        client.force_login(User.objects.get(email=email))
    return client


def warm_up(client: Any, path: str) -> Any:
    """One GET of `path` (templates compiled, connection open, caches filled); exits unless it answers 200."""
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}, not 200")
    return response


@dataclass
class Profiled:
    """`n` requests under cProfile: the profile, their answers, and CPU (this process) and wall seconds."""

    profile: cProfile.Profile
    results: list[Any]
    cpu_seconds: float
    wall_seconds: float

    def cpu_ms_each(self) -> float:
        return 1000 * self.cpu_seconds / len(self.results)

    def wall_ms_each(self) -> float:
        return 1000 * self.wall_seconds / len(self.results)


def profile_requests(request: Callable[[int], Any], n: int, *, cpu_timer: bool = True) -> Profiled:
    """Call `request(i)` for i in range(n) under cProfile. With `cpu_timer` the profile counts process
    CPU time, so waiting for the database or for a core on a shared machine is left out."""
    profile = cProfile.Profile(time.process_time) if cpu_timer else cProfile.Profile()
    results = []
    cpu, wall = time.process_time(), time.perf_counter()
    profile.enable()
    for i in range(n):
        results.append(request(i))
    profile.disable()
    return Profiled(profile, results, time.process_time() - cpu, time.perf_counter() - wall)
