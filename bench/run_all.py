"""Every benchmark of issue 18 in one run, one table of the targets, one JSON file.

    .venv/bin/python bench/run_all.py [--only pages,report,rush,reminders] [--reuse report,pages|all] [--quick]

Runs, one after the other so that they do not load the machine for each other, each in its own
process (each can be run alone too, see its docstring):
- pages     bench/load_pages.py: builds the school's data on PostgreSQL, starts gunicorn (4 sync
            workers, production settings), loads the home page `/` (the reference) and the main pages
            with wrk in 3 rounds; page sizes of the heaviest users; gunicorn workers' memory after it.
- report    bench/report_large.py: the impact report over 1,000,000 bookings, cache off (the term and
            the whole year, as the admin, through the full request).
- rush      bench/booking_load.py: 200 simultaneous bookings of a 6-seat session on gunicorn.
- reminders bench/reminders_delivery.py: 10,000 reminders by one Celery worker, clean and kill -9.
Then prints every target of issue 18 with the figure measured, met or not, the load average, and
writes bench/results/run_all.json. Each piece stops what it started; its databases are its own
(`mentorship_bench_*`, dropped and re-created unless --reuse names the piece). --quick runs shorter loads and a smaller
report data set, to check that everything works, not for figures.
Needs PostgreSQL (127.0.0.1:5432, user postgres), Redis (127.0.0.1:6379) and wrk (apt-get install wrk).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from harness import PG, RESULTS, write_result  # noqa: E402

PIECES = ("pages", "report", "rush", "reminders")
PAGE_RATIO, PAGE_P95_MS, LIST_BYTES = 0.25, 100.0, 100 * 1024
REPORT_TERM_S, REPORT_YEAR_S, RUSH_P95_MS, REMINDERS_PER_MINUTE, AFTER_RESTART_S, WORKER_MIB = 0.5, 1.0, 2000, 10_000, 60, 150


def command(piece: str, args: argparse.Namespace) -> tuple[list[str], dict[str, str]]:
    python = str(ROOT / ".venv/bin/python")
    reuse = ["--reuse"] if piece in args.reuse or "all" in args.reuse else []
    if piece == "pages":
        quick = ["--rounds", "1", "--seconds", "3"] if args.quick else []
        return [python, str(BENCH / "load_pages.py"), *reuse, *quick], {}
    if piece == "report":
        quick = ["--bookings", "100000", "--runs", "2", "--db", "mentorship_bench_reports_quick"] if args.quick else []
        return [python, str(BENCH / "report_large.py"), *reuse, *quick], {}
    if piece == "rush":
        return [python, str(BENCH / "booking_load.py")], {
            "DATABASE_URL": f"{PG}/mentorship_bench_rush", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/7"}  # fmt: skip
    count = ["--count", "1000"] if args.quick else []
    return [python, str(BENCH / "reminders_delivery.py"), *count], {
        "DATABASE_URL": f"{PG}/mentorship_bench_reminders", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/10"}  # fmt: skip


RESULT_FILE = {"pages": "load_pages", "report": "report_large", "rush": "booking_load", "reminders": "reminders_delivery"}


def ensure_database(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def targets(results: dict) -> list[dict]:
    """Every target of issue 18 that the results speak of: what, the figure, the bound, met."""
    rows = []

    def row(what: str, figure: float, bound: float, unit: str, *, at_least: bool = False) -> None:
        met = figure >= bound if at_least else figure < bound
        rows.append({"target": what, "figure": figure, "bound": bound, "unit": unit, "at_least": at_least, "met": met})

    pages = results.get("pages")
    if pages:
        for key in ("browse", "my_week", "my_sessions", "find_mentor", "round_preview"):
            page = pages["pages"].get(key)
            if page:
                row(f"{page['label']}: req/s ratio to /", page["ratio"], PAGE_RATIO, "x", at_least=True)
                row(f"{page['label']}: p95", page["p95_ms"], PAGE_P95_MS, "ms")
        for key in ("my_week", "my_sessions"):
            page = pages["pages"][key]
            row(f"{page['label']}: size for the heaviest user", page["bytes"] / 1024, LIST_BYTES / 1024 + 0.001, "KB")
        if pages["worker_memory"]:
            row("gunicorn worker after the load run: largest RSS", max(w["rss_mib"] for w in pages["worker_memory"]),
                WORKER_MIB, "MiB")  # fmt: skip
    report = results.get("report")
    if report:
        row(f"impact report, cold term view over {report['bookings']:,} bookings", report["cases"]["term"]["median_s"],
            REPORT_TERM_S, "s")  # fmt: skip
        row("impact report, cold whole year", report["cases"]["year"]["median_s"], REPORT_YEAR_S, "s")
    rush = results.get("rush")
    if rush:
        row(f"booking rush: {rush['requests']} requests, {rush['seats']} seats, p95", rush["p95_ms"], RUSH_P95_MS, "ms")
        rows.append({"target": "booking rush: exactly the seats booked, no 5xx", "figure": rush["booked_in_database"],
                     "bound": rush["seats"], "unit": "booked", "met": rush["ok"], "exact": True})  # fmt: skip
    reminders = results.get("reminders")
    if reminders:
        clean, killed = reminders[0], reminders[1]
        row("reminders delivered per minute, one worker", clean["reminders_per_second"] * 60, REMINDERS_PER_MINUTE,
            "/min", at_least=True)  # fmt: skip
        row("reminders: all delivered after kill -9 and restart", killed["all_settled_seconds_after_restart"],
            AFTER_RESTART_S, "s")  # fmt: skip
        duplicates = clean["duplicates"] + killed["duplicates"]
        rows.append({"target": "reminders: duplicates", "figure": duplicates, "bound": 0, "unit": "",
                     "met": duplicates == 0, "exact": True})  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", default=",".join(PIECES), help="comma-separated pieces: " + ", ".join(PIECES))
    parser.add_argument("--reuse", default="", type=lambda v: v.split(","),
                        help="pieces whose data built before is kept (pages, report, or all)")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="short loads and small data: a smoke run, not figures")
    args = parser.parse_args()
    chosen = [p for p in args.only.split(",") if p]
    unknown = set(chosen) - set(PIECES)
    if unknown:
        raise SystemExit(f"unknown pieces: {', '.join(sorted(unknown))}")
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    load_before = os.getloadavg()
    ensure_database("mentorship_bench_reminders")
    results: dict = {}
    failed = []
    for piece in chosen:
        argv, extra = command(piece, args)
        print(f"\n=== {piece}: {' '.join(Path(a).name if a.startswith('/') else a for a in argv)}", flush=True)
        output = RESULTS / f"{RESULT_FILE[piece]}.json"
        output.unlink(missing_ok=True)
        began = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, env={**os.environ, **extra})
        print(f"=== {piece}: {time.perf_counter() - began:.0f} s, exit {done.returncode}", flush=True)
        if output.exists():
            results[piece] = json.loads(output.read_text())
        if done.returncode != 0:
            failed.append(piece)
    rows = targets(results)
    load_after = os.getloadavg()
    print(f"\nissue 18 targets, {started}; load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f} "
          f"before, {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after, {os.cpu_count()} cores")  # fmt: skip
    print(f"{'target':72} {'figure':>10} {'bound':>10}  met")
    for r in rows:
        sign = "==" if r.get("exact") else ">=" if r.get("at_least") else "<"
        print(f"{r['target']:72} {r['figure']:>10.3f} {sign}{r['bound']:>8} {r['unit']:4} {'yes' if r['met'] else 'NO'}")
    pages = results.get("pages")
    if pages:
        print(f"\n{'page':38} {'req/s':>7} {'p95':>7} {'ratio':>6} {'size':>7}")
        for page in pages["pages"].values():
            print(f"{page['label']:38} {page['rps']:7.1f} {page['p95_ms']:5.0f}ms {page['ratio']:6.3f} "
                  f"{page['bytes'] / 1024:5.0f}KB")  # fmt: skip
    if failed:
        print(f"\npieces that failed: {', '.join(failed)}")
    path = write_result("run_all", {"started": started, "load_before": load_before, "load_after": load_after,
                                    "cores": os.cpu_count(), "targets": rows, "results": results, "failed": failed})  # fmt: skip
    print(f"\nwritten to {path.relative_to(ROOT)}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
