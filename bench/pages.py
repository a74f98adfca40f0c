"""Benchmark the service's pages on a generated national data set, as ratios to a trivial page.

    .venv/bin/python -m bench.pages [--forces 44] [--rounds 9] [--repeat 30] [--seed 2026]
                                    [--profile PAGE] [--only PAGE ...]

Creates a throwaway database (a temporary SQLite file; with DATABASE_URL=postgres://… a scratch
database msoic_bench_<pid> on that server, dropped at the end), migrates it and generates the
national picture (assessments.generator). Then, in one process, with django.test.Client signed in as
the right person (staff with a verified second factor), it requests each page `--repeat` times after a
warm-up and reports the median and 95th percentile server time, the ratio of the median to a trivial
signed-in template page measured in the same run through the same middleware, and the page's SQL
query count. `--profile PAGE` prints a pyinstrument profile of that page instead.

The page list (PAGES) and the request helpers live in bench/page_list.py and are re-exported here,
where tests/bench/test_flat_queries.py imports them from.
"""

from __future__ import annotations

import argparse
import functools
import gc
import math
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bench.page_list import (
    PAGES,
    STAFF,
    TRANSACTION_CONTROL,
    Page,
    World,
    clients_for,
    counted,
    query_count,
    request,
    send,
    sign_in,
    world_from,
)

# Re-exported: other code imports these from bench.pages.
__all__ = [
    "PAGES",
    "STAFF",
    "TRANSACTION_CONTROL",
    "Page",
    "World",
    "clients_for",
    "counted",
    "query_count",
    "request",
    "send",
    "sign_in",
    "world_from",
]

QUERY_TARGET = 12
RATIO_TARGET = 4.0
HEAT_MAP_RATIO_TARGET = 10.0


# --- the benchmark run -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """Server times of one page in milliseconds: wall clock, and this process's CPU time."""

    median: float
    p95: float
    cpu_median: float
    queries: int


BASELINE = Page("baseline", "Trivial template page (baseline)", "spoc", lambda w: "/bench/trivial/")
# For reference, not a target: a static page in the service's GOV.UK layout (header, navigation, footer).
LAYOUT = Page(
    "layout", "Accessibility statement (layout only, for reference)", "spoc", lambda w: "/accessibility/"
)


def _timed(client: Any, page: Page, world: World) -> tuple[float, float]:
    body = page.post(world) if page.post else None  # built outside the timed part
    url = page.url(world)
    started, cpu_started = time.perf_counter(), time.process_time()
    response = send(client, url, body)  # urlencoded, as a browser posts these forms
    elapsed = (time.perf_counter() - started) * 1000
    cpu = (time.process_time() - cpu_started) * 1000
    if response.status_code != page.expect:
        raise AssertionError(f"{page.name} answered {response.status_code}, expected {page.expect}")
    return elapsed, cpu


def _summary(samples: list[tuple[float, float]], queries: int) -> Timing:
    wall = sorted(sample[0] for sample in samples)
    p95 = wall[max(0, math.ceil(0.95 * len(wall)) - 1)]
    cpu = statistics.median(sample[1] for sample in samples)
    return Timing(median=statistics.median(wall), p95=p95, cpu_median=cpu, queries=queries)


def measure(client: Any, page: Page, world: World, *, repeat: int) -> tuple[Timing, Timing]:
    """The page and the baseline, requested alternately by the same signed-in client.

    Alternating keeps both under the same machine load, so the ratio holds even on a busy machine.
    """
    for _ in range(3):  # warm-up: caches, template loading, connections
        request(client, BASELINE, world)
        request(client, page, world)
    queries = (query_count(client, page, world), query_count(client, BASELINE, world))
    page_samples, baseline_samples = [], []
    gc.collect()
    for _ in range(repeat):
        baseline_samples.append(_timed(client, BASELINE, world))
        page_samples.append(_timed(client, page, world))
    return _summary(page_samples, queries[0]), _summary(baseline_samples, queries[1])


def run(world: World, *, repeat: int, only: list[str]) -> list[tuple[Page, Timing, Timing]]:
    """Each page with its own timing and the baseline's, for the same person, measured alternately."""
    clients = clients_for(world)
    results = []
    for page in [LAYOUT, *PAGES]:
        if only and page.name not in only:
            continue
        timing, baseline = measure(clients[page.who], page, world, repeat=repeat)
        results.append((page, timing, baseline))
    return results


def profile(world: World, name: str, *, repeat: int) -> None:
    """Print a pyinstrument profile of `repeat` requests for one page."""
    from pyinstrument import Profiler

    page = next(p for p in [LAYOUT, *PAGES] if p.name == name)
    client = clients_for(world)[page.who]
    request(client, page, world)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(repeat):
        request(client, page, world)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def judged_ratio(timing: Timing, baseline: Timing) -> float:
    """The ratio the targets are judged on.

    On SQLite the database runs inside this process, so CPU time covers the whole request and, unlike
    wall time, does not grow when other programs share the machine. On PostgreSQL part of the work is
    in the server's process, so only wall time covers it.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        return timing.cpu_median / baseline.cpu_median
    return timing.median / baseline.median


def meets_targets(page: Page, timing: Timing, baseline: Timing) -> bool:
    """At most QUERY_TARGET queries and within the page's ratio to the baseline."""
    target = HEAT_MAP_RATIO_TARGET if page.heat_map else RATIO_TARGET
    return timing.queries <= QUERY_TARGET and judged_ratio(timing, baseline) <= target


def table(results: list[tuple[Page, Timing, Timing]]) -> str:
    """The results as a markdown table, with the targets and whether each page meets them."""
    lines = [
        "| page | as | median ms | p95 ms | CPU ms | baseline ms (CPU) | ratio | CPU ratio | target "
        "| queries | meets targets |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, timing, baseline in results:
        target = HEAT_MAP_RATIO_TARGET if page.heat_map else RATIO_TARGET
        ok = meets_targets(page, timing, baseline)
        verdict = "(reference)" if page is LAYOUT else "yes" if ok else "**no**"
        lines.append(
            f"| {page.label} | {page.who} | {timing.median:.1f} | {timing.p95:.1f} | {timing.cpu_median:.1f} "
            f"| {baseline.median:.1f} ({baseline.cpu_median:.1f}) | {timing.median / baseline.median:.1f}× "
            f"| {timing.cpu_median / baseline.cpu_median:.1f}× | ≤ {target:.0f}× | {timing.queries} "
            f"| {verdict} |"
        )
    return "\n".join(lines)


def machine() -> str:
    """One line about where the numbers came from."""
    from django.db import connection

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return (
        f"{cpu}, {os.cpu_count()} CPUs; Python {platform.python_version()}; "
        f"{connection.vendor} {version}; Django test client in one process, DEBUG off"
    )


# --- database set-up ---------------------------------------------------------------------------------


def _scratch_postgres(url: str) -> tuple[str, Callable[[], None]]:
    """Create msoic_bench_<pid> on the server in `url`; return its URL and a function that drops it."""
    import psycopg

    parts = urlsplit(url)
    name = f"msoic_bench_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def main(argv: list[str] | None = None) -> int:
    """Parse the options, build the throwaway database, measure and print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--forces", type=int, default=None, help="forces to generate (default all 44)")
    parser.add_argument("--rounds", type=int, default=9, help="rounds in all, the last one open (default 9)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--only", nargs="*", default=[], help="measure only these pages (names from PAGES)")
    parser.add_argument("--profile", metavar="PAGE", help="print a pyinstrument profile of one page instead")
    options = parser.parse_args(argv)

    cleanup: Callable[[], None]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        scratch, cleanup = _scratch_postgres(url)
        os.environ["DATABASE_URL"] = scratch
    else:
        workdir = Path(tempfile.mkdtemp(prefix="msoic-bench-pages-"))
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
        cleanup = functools.partial(shutil.rmtree, workdir, ignore_errors=True)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from assessments.generator import generate_national_data

        call_command("migrate", verbosity=0)
        print(f"Generating: {options.forces or 'all'} forces, {options.rounds} rounds, seed {options.seed}")
        data = generate_national_data(
            seed=options.seed, forces=options.forces, past_rounds=options.rounds - 1, stdout=sys.stdout
        )
        world = world_from(data)
        if options.profile:
            profile(world, options.profile, repeat=options.repeat)
            return 0
        results = run(world, repeat=options.repeat, only=options.only)
        print()
        print(f"Machine: {machine()}; load average {os.getloadavg()[0]:.1f} at the end")
        print(
            f"Data: {len(data.forces)} forces, {len(data.rounds)} rounds, {data.returns} returns; "
            f"{options.repeat} timed requests per page after 3 warm-up requests"
        )
        print()
        print(table(results))
        failed = [
            page.name
            for page, timing, baseline in results
            if page is not LAYOUT and not meets_targets(page, timing, baseline)
        ]
        if failed:
            print(f"\nMissed a target: {', '.join(failed)}")
        return 0
    finally:
        cleanup()


if __name__ == "__main__":
    sys.exit(main())
