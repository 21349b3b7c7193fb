"""A real Celery worker in a child process, for the service-tier tests and the benchmarks."""

import email
import os
import signal
import subprocess
import sys
import time
import uuid
from email.message import Message
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]


def redis_reachable(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except redis.RedisError:
        return False


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for another process to reach the same PostgreSQL database."""
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


class CeleryWorkerProcess:
    """Start, stop, kill and restart one `celery worker` consuming a private queue."""

    def __init__(self, *, database: dict, broker_url: str, workdir: Path, concurrency: int = 1):
        self.queue = f"test-{uuid.uuid4().hex[:12]}"
        self.broker_url = broker_url
        self.mail_dir = workdir / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / "worker.log"
        self.concurrency = concurrency
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(database),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "CONN_MAX_AGE": "0",
        }
        self.env.pop("EMAIL_URL", None)
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        log = self.log_path.open("ab")
        mark = self.log_path.stat().st_size
        pool = ["-P", "solo"] if self.concurrency == 1 else ["-P", "prefork", "-c", str(self.concurrency)]
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", *pool,
                "-Q", self.queue, "-n", f"{self.queue}@%h", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "-l", "INFO",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Celery worker exited early:\n{self.log()}")
            with self.log_path.open("rb") as f:
                f.seek(mark)
                if b"ready." in f.read():
                    return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"Celery worker not ready after {timeout}s:\n{self.log()}")

    def stop(self, *, kill: bool = False, timeout: float = 20) -> None:
        if not self.process or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def drain(self, timeout: float = 30) -> None:
        """Return once the worker has run every message published before this call.

        Publishes a no-op task behind them and waits for the worker's log of it: the solo pool
        runs its queue in order, so this is the positive signal after which counting mails
        proves there is no duplicate still on its way (not a retry's countdown, which waits).
        """
        from config.celery import app

        marker = app.send_task("celery.accumulate", args=["drain"], queue=self.queue)
        done = f"Task celery.accumulate[{marker.id}] succeeded".encode()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done in self.log_path.read_bytes():
                return
            time.sleep(0.1)
        raise AssertionError(f"the worker did not reach the drain marker in {timeout}s:\n{self.log()}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:]

    def mails(self) -> list[Message]:
        """Every mail the worker wrote, parsed (the file backend appends several per file)."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_text().split("-" * 79):
                if chunk.strip():
                    found.append(email.message_from_string(chunk.strip()))
        return found

    def wait_for_mails(self, count: int, timeout: float = 30) -> list[Message]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.mails()
            if len(found) >= count:
                return found
            time.sleep(0.2)
        raise AssertionError(f"expected {count} mails, got {len(self.mails())}; worker log:\n{self.log()}")


def eventually(check, *, timeout: float = 15, interval: float = 0.1):
    """Call `check` until it returns something truthy (the worker writes the mail before it
    records the send, so a test that saw the mail may still have to wait for the row)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() >= deadline:
            return result
        time.sleep(interval)
