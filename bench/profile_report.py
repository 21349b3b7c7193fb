"""Profile the impact report page: cProfile over N renders of /reports/ as the bench admin.

Renders through django.test.Client (full middleware, the real view and templates) on a bench
database built by `bench/load_pages.py --db NAME` (its admin@bench.edu has TOTP, so force_login
passes the MFA gate). Prints the CPU time per render, the top functions by cumulative time, the
queries and bytes per render, and the time spent in the report's sections (each top-level part of
the page: tables, charts, estimates, confidence section, template).

    DJANGO_SETTINGS_MODULE=tests.settings .venv/bin/python bench/profile_report.py \
        --db mentorship_bench_render [--cached] [--renders 5] [--top 40] [--path /reports/]

--cached: REPORT_CACHE_SECONDS=120 and one warm-up render first, so the N renders are cache hits;
without it REPORT_CACHE_SECONDS=0 (every render computes everything: the cold path).
Not part of the test suite; timings on a shared machine are noisy: compare profiles, not walls.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import PG  # noqa: E402

# Functions whose cumulative time is reported as "sections" (qualified by file and name).
SECTIONS = [
    ("tables (figures)", "reports/tables.py", "build_tables"),
    ("charts", "reports/charts.py", "report_charts"),
    ("exam estimates", "reports/selectors/impact.py", "exam_sections"),
    ("headline effect", "reports/headline.py", "headline_effect_for"),
    ("confidence section", "feedback/templatetags/feedback_tags.py", "_confidence_gain_report"),
    ("report fragments (HTML)", "reports/fragments.py", "report_fragments"),
    ("template render", "django/shortcuts.py", "render"),
    ("number_format", "django/utils/formats.py", "number_format"),
    ("cache get", "django/core/cache/backends/db.py", "get_many"),
    ("cache get", "django/core/cache/backends/db.py", "get"),
    ("unpickle", "~", "<built-in method _pickle.loads>"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="mentorship_bench_render")
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--cached", action="store_true", help="profile cache hits (REPORT_CACHE_SECONDS=120)")
    parser.add_argument("--path", default="/reports/")
    parser.add_argument("--email", default="admin@bench.edu")
    parser.add_argument("--sort", default="cumulative")
    args = parser.parse_args()

    os.environ.setdefault("DATABASE_URL", f"{PG}/{args.db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    os.environ["REPORT_CACHE_SECONDS"] = "120" if args.cached else "0"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=args.email))
    if args.cached:
        cache.clear()
    first = client.get(args.path)  # warm up: imports, template loading, and the cache when --cached
    if first.status_code != 200:
        raise SystemExit(f"{args.path} answered {first.status_code}")

    profiler = cProfile.Profile()
    sizes, queries = [], []
    began_cpu, began_wall = time.process_time(), time.perf_counter()
    for _ in range(args.renders):
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            profiler.enable()
            response = client.get(args.path)
            profiler.disable()
        sizes.append(len(response.content))
        queries.append(len(captured.captured_queries))
    cpu, wall = time.process_time() - began_cpu, time.perf_counter() - began_wall

    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())

    print(
        f"mode: {'cached' if args.cached else 'cold (REPORT_CACHE_SECONDS=0)'}; path {args.path}; {args.renders} renders"
    )
    print(f"per render: CPU {1000 * cpu / args.renders:.0f} ms (this process; the database's time is apart), "
          f"wall {1000 * wall / args.renders:.0f} ms, queries {sum(queries) / len(queries):.0f}, "
          f"bytes {sum(sizes) // len(sizes):,}")  # fmt: skip
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print("\nsections (cumulative per render, profiled, so inflated by cProfile; calls per render):")
    raw = stats.stats  # type: ignore[attr-defined]
    for label, file_end, name in SECTIONS:
        for (filename, _line, function), (_cc, calls, _tt, cumulative, _callers) in raw.items():
            if function == name and filename.endswith(file_end):
                print(f"  {label:28} {1000 * cumulative / args.renders:8.1f} ms  {calls / args.renders:8.0f} calls")


if __name__ == "__main__":
    main()
