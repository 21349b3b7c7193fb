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
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from harness import profile_requests, setup_bench_django, signed_in_client, warm_up  # noqa: E402

# Functions whose cumulative time is reported as "sections" (qualified by file and name).
SECTIONS = [
    ("tables (figures)", "reports/tables.py", "build_tables"),
    ("charts", "reports/charts.py", "report_charts"),
    ("exam estimates", "reports/selectors/impact.py", "exam_sections"),
    ("headline effect", "reports/headline.py", "headline_effect_for"),
    ("confidence section", "feedback/templatetags/feedback_tags.py", "_confidence_gain_report"),
    ("report body (HTML)", "reports/fragments.py", "report_body"),
    ("  table cells", "reports/fragments.py", "shown_table"),
    ("  chart SVG", "reports/charts.py", "_svg"),
    ("filter form", "django/forms/boundfield.py", "as_widget"),
    ("page template (incl. body)", "django/shortcuts.py", "render"),
    ("number_format", "django/utils/formats.py", "number_format"),
    ("cache get", "django/core/cache/backends/db.py", "get_many"),
    ("cache get", "django/core/cache/backends/db.py", "get"),
    ("unpickle", "~", "<built-in method _pickle.loads>"),
]


# The same sections timed without the profiler (CPU of this process, inclusive: a nested section is
# also inside its parent): (label, module, attribute). Attributes a version lacks are skipped.
TIMED = [
    ("tables (figures)", "reports.tables", "build_tables"),
    ("exam estimates", "reports.views", "exam_sections"),
    ("headline effect (2 periods)", "reports.views", "headline_effect_for"),
    ("charts (geometry)", "reports.views", "report_charts"),
    ("charts (geometry)", "reports.fragments", "report_charts"),
    ("report body (HTML)", "reports.views", "report_body"),
    ("  table cells", "reports.fragments", "shown_table"),
    ("  chart SVG", "reports.charts", "_svg"),
    ("confidence section", "feedback.templatetags.feedback_tags", "_confidence_gain_report"),
    ("page template (incl. body)", "reports.views", "render"),
    ("filter form", "django.forms.boundfield.BoundField", "as_widget"),
]


def timed_sections() -> dict[str, float]:
    """Wrap each TIMED function with a CPU timer; the returned dict fills as the page renders."""
    import importlib
    from functools import wraps

    spent: dict[str, float] = {}

    def timer(label: str, function):  # type: ignore[no-untyped-def]
        @wraps(function)
        def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
            began = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - began

        return timed

    for label, module_name, attribute in TIMED:
        owner_name, _, class_name = module_name.rpartition(".")
        try:
            module = importlib.import_module(module_name)
            owner: object = module
        except ImportError:
            try:
                owner = getattr(importlib.import_module(owner_name), class_name)
            except (ImportError, AttributeError):
                continue
        if hasattr(owner, attribute):
            setattr(owner, attribute, timer(label, getattr(owner, attribute)))
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="mentorship_bench_render")
    parser.add_argument("--renders", type=int, default=5)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--cached", action="store_true", help="profile cache hits (REPORT_CACHE_SECONDS=120)")
    parser.add_argument("--path", default="/reports/")
    parser.add_argument("--email", default="admin@bench.edu")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--dump", help="also write the raw profile here (for pstats or snakeviz)")
    args = parser.parse_args()

    os.environ["REPORT_CACHE_SECONDS"] = "120" if args.cached else "0"
    setup_bench_django(args.db, environment_wins=True)
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client = signed_in_client(args.email)
    if args.cached:
        cache.clear()
    warm_up(client, args.path)  # imports, template loading, and the cache when --cached

    # First without the profiler: CPU per render and per section.
    spent = timed_sections()
    began_cpu = time.process_time()
    for _ in range(args.renders):
        client.get(args.path)
    plain_cpu = (time.process_time() - began_cpu) / args.renders
    plain = {label: seconds / args.renders for label, seconds in spent.items()}
    spent.clear()

    def render(_: int) -> tuple[int, int]:
        """One render: its bytes and its queries."""
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(args.path)
        return len(response.content), len(captured.captured_queries)

    profiled = profile_requests(render, args.renders, cpu_timer=False)
    sizes, queries = [size for size, _ in profiled.results], [count for _, count in profiled.results]
    cpu, wall = profiled.cpu_seconds, profiled.wall_seconds

    out = io.StringIO()
    stats = pstats.Stats(profiled.profile, stream=out)
    if args.dump:
        stats.dump_stats(args.dump)
    stats.sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())

    print(
        f"mode: {'cached' if args.cached else 'cold (REPORT_CACHE_SECONDS=0)'}; path {args.path}; {args.renders} renders"
    )
    print(f"per render: CPU {1000 * cpu / args.renders:.0f} ms (this process; the database's time is apart), "
          f"wall {1000 * wall / args.renders:.0f} ms, queries {sum(queries) / len(queries):.0f}, "
          f"bytes {sum(sizes) // len(sizes):,}")  # fmt: skip
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"\nwithout the profiler: CPU {1000 * plain_cpu:.0f} ms per render; by section (inclusive):")
    for label, seconds in plain.items():
        print(f"  {label:28} {1000 * seconds:8.1f} ms")
    print("\nsections (cumulative per render, profiled, so inflated by cProfile; calls per render):")
    raw = stats.stats  # type: ignore[attr-defined]
    for label, file_end, name in SECTIONS:
        for (filename, _line, function), (_cc, calls, _tt, cumulative, _callers) in raw.items():
            if function == name and filename.endswith(file_end):
                print(f"  {label:28} {1000 * cumulative / args.renders:8.1f} ms  {calls / args.renders:8.0f} calls")


if __name__ == "__main__":
    main()
