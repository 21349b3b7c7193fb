"""Profile one page in-process: render `path` N times as a signed-in user and print where the time goes.

Uses django.test.Client (the full middleware stack, no HTTP server) with tests.settings against a
bench database (see bench/load_pages.py and bench/match_data.py), after one warm-up request. Prints
the status, the response size, the queries of one request, the CPU time per request (process time,
so the database server's own time is not in it) and cProfile's top functions over the N requests,
timed in process CPU time too (time spent waiting for the database or for a core is left out).

    .venv/bin/python bench/profile_match.py --db mentorship_bench_match --page round_preview [-n 20]
    .venv/bin/python bench/profile_match.py --db mentorship_bench_match --path /matching/ --user mentee0@bench.edu

--page names one of match_data.build_round()'s pages (and builds them if needed).
"""

import argparse
import io
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import profile_requests, setup_bench_django, signed_in_client, warm_up  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", default="mentorship_bench_load")
    parser.add_argument("--page", help="find_mentor or round_preview (from match_data.build_round)")
    parser.add_argument("--path", help="any path, with --user")
    parser.add_argument("--user", help="email of the user to sign in as")
    parser.add_argument("-n", type=int, default=20, help="profiled requests")
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    args = parser.parse_args()

    setup_bench_django(args.db)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if args.page:
        from match_data import build_round

        path, email = build_round()[args.page]
    else:
        if not (args.path and args.user):
            parser.error("give --page, or --path and --user")
        path, email = args.path, args.user
    client = signed_in_client(email)

    warm_up(client, path)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    print(f"{path} as {email}: {response.status_code}, {len(response.content):,} bytes, {len(queries)} queries")
    for query in queries.captured_queries:
        print(f"  {query['time']}s  {query['sql'][:150]}")

    # CPU time, not wall time: on a shared machine waiting for a core would swamp the figures.
    profiled = profile_requests(lambda _: client.get(path), args.n)
    print(f"\n{args.n} requests: {profiled.cpu_ms_each():.1f} ms CPU and {profiled.wall_ms_each():.1f} ms wall each "
          "(under cProfile)")  # fmt: skip
    cpu = time.process_time()
    for _ in range(args.n):
        client.get(path)
    print(f"without the profiler: {1000 * (time.process_time() - cpu) / args.n:.1f} ms CPU each")
    out = io.StringIO()
    pstats.Stats(profiled.profile, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
