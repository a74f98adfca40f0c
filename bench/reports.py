"""Benchmark the PDF reports against a bare WeasyPrint render of the same HTML, in the same run.

    .venv/bin/python -m bench.reports [--repeat 5] [--pack-repeat 1]

Builds a throwaway SQLite database in a temporary folder (the real action plan, all 44 forces, one
round with every activity answered), then measures:

1. one force report: our render_pdf (PDF/UA-1 tags, safe fetcher, font check) against WeasyPrint's
   plain HTML(...).write_pdf() of the same HTML, and the whole path (data, HTML, PDF);
2. the national pack (44 force reports zipped, as the background task makes it) against 44 bare
   renders of the same reports' HTML.

Times are medians of wall-clock runs, the measures taking turns in each round. Peak memory is
measured in a forked child process per measure: the growth of its peak resident set size (VmHWM,
reset at the start) over its resident size, so it counts everything WeasyPrint, Pango and the zip
hold, not only Python objects. Results are ratios, so they travel between machines better than
seconds do. The timing and memory helpers are in bench/measuring.py, the repeat download in
bench/downloads.py.
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.downloads import repeat_download
from bench.measuring import interleaved_medians, mib, peak_memory

WORKDIR = Path(tempfile.mkdtemp(prefix="msoic-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msoic.settings.dev")
# BENCH_DATABASE_URL (an empty scratch database) for --pack-workers, whose workers share the database.
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{WORKDIR / 'bench.sqlite3'}")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

if "--pack-workers" not in sys.argv:
    # The in-process measures make the pack inline, one force after another, as one process would.
    # Set before django.setup(): the task backends are built during setup, and a later assignment
    # (no setting_changed signal) left the pack's parts queued for a worker that never ran, so the pack
    # stayed "running" and its memory measure failed.
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
    }

django.setup()

settings.MEDIA_ROOT = WORKDIR / "media"
# Their progress lines (WeasyPrint's, and one per task state and pack step) would be timed too.
for noisy in ("weasyprint", "django_tasks", "assessments.reports.pack_workflow"):
    logging.getLogger(noisy).setLevel(logging.WARNING)

STATUS_CYCLE = ("embedded", "implemented", "in_progress", "planned", "not_started", "implemented")


def build_world() -> Any:
    """Reference data, a national user, one round, and every return answered; returns the round."""
    import datetime

    from django.core.management import call_command

    from accounts.models import Membership, User
    from accounts.roles import Role
    from actionplan.models import ActionPlan
    from assessments.models import ActivityReturn
    from assessments.services import round_open

    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("load_action_plan", verbosity=0, stdout=quiet)
    call_command("load_forces", verbosity=0, stdout=quiet)
    national = User.objects.create(email="bench@example.com", full_name="Bench National")
    Membership.objects.create(user=national, role=Role.NATIONAL)
    round_ = round_open(
        name="Bench round",
        plan=ActionPlan.objects.get(is_current=True),
        opens_on=datetime.date(2026, 10, 1),
        due_on=datetime.date(2026, 12, 31),
        opened_by=national,
    ).round
    returns = ActivityReturn.objects.filter(assessment__round=round_).order_by("pk")
    for index, activity_return in enumerate(returns):
        activity_return.implementation_status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        activity_return.evidence_summary = (
            "Policy approved by chief officers; audited quarterly by the force crime registrar. " * 3
        )
        activity_return.next_steps = "Roll out to all districts and report progress to the governance board."
        activity_return.action_owner = "Head of public protection"
        activity_return.target_date = datetime.date(2026, 9, 1) + datetime.timedelta(days=(index % 50) * 7)
        activity_return.confirmed = activity_return.is_complete = True
    ActivityReturn.objects.bulk_update(
        returns,
        [
            "implementation_status",
            "evidence_summary",
            "next_steps",
            "action_owner",
            "target_date",
            "confirmed",
            "is_complete",
        ],
        batch_size=500,
    )
    return round_, national


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs for one force report")
    parser.add_argument("--pack-repeat", type=int, default=1, help="timed runs for the national pack")
    parser.add_argument("--download-repeat", type=int, default=200, help="timed repeat downloads")
    parser.add_argument(
        "--only-download", action="store_true", help="measure only the repeat download (skips renders)"
    )
    parser.add_argument(
        "--pack-workers",
        action="store_true",
        help="measure only the national pack on 1 then 2 db_worker processes (needs BENCH_DATABASE_URL)",
    )
    options = parser.parse_args()

    from pypdf import PdfReader
    from weasyprint import HTML  # the baseline: bare WeasyPrint, nothing of ours

    from assessments.models import Assessment, ReportPack
    from assessments.reports.data import force_report_data
    from assessments.reports.packs import NATIONAL_SCOPE, report_pack_build
    from assessments.reports.pdf import render_pdf, static_base_url
    from assessments.reports.rendering import force_report_html, force_report_pdf

    round_, national = build_world()
    assessments = list(
        Assessment.objects.filter(round=round_)
        .select_related("force__region", "round__plan")
        .order_by("force__name")
    )
    one = next(a for a in assessments if a.force.code == "cleveland")
    report = force_report_data(assessment=one)
    html = force_report_html(report)
    base_url = static_base_url()
    all_html = [force_report_html(force_report_data(assessment=a)) for a in assessments]

    def bare_one() -> None:
        HTML(string=html, base_url=base_url).write_pdf()

    def ours_one() -> None:
        render_pdf(html, title=report.title)

    def ours_full() -> None:
        fresh = Assessment.objects.select_related("force__region", "round__plan").get(pk=one.pk)
        force_report_pdf(force_report_data(assessment=fresh))

    def bare_pack() -> None:
        for page in all_html:
            HTML(string=page, base_url=base_url).write_pdf()

    def ours_pack() -> None:
        pack = ReportPack.objects.create(requested_by=national, round=round_, scope=NATIONAL_SCOPE)
        report_pack_build(pack_id=pack.pk)
        pack.refresh_from_db()
        if pack.state != ReportPack.State.READY:
            raise SystemExit(f"The pack failed: {pack.error}")

    machine = platform.processor() or platform.machine()
    print(f"Machine: {machine}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"Load average at the start (1, 5, 15 min): {os.getloadavg()}")
    if options.pack_workers:
        pack_on_workers(round_, national, options.pack_repeat)
        return
    if options.only_download:
        repeat_download(one, options.download_repeat, WORKDIR)
        return
    # Memory first, each in a child forked before this process has rendered anything, so every
    # child starts from the same resident size (WeasyPrint hands memory back to the system slowly).
    m_bare, m_ours, m_full = peak_memory(bare_one), peak_memory(ours_one), peak_memory(ours_full)
    pm_bare, pm_ours = peak_memory(bare_pack), peak_memory(ours_pack)
    pages = len(PdfReader(io.BytesIO(render_pdf(html, title="x"))).pages)
    print(f"One force report: {pages} pages; national pack: {len(assessments)} forces")
    print()
    print(f"| {'measure':<42} | median time | peak memory | time ratio | memory ratio |")
    print(f"|{'-' * 44}|{'-' * 13}|{'-' * 13}|{'-' * 12}|{'-' * 14}|")

    def row(name: str, seconds: float, memory: int, base_seconds: float, base_memory: int) -> None:
        time_ratio = seconds / base_seconds
        memory_ratio = memory / max(base_memory, 1)
        figures = f"{seconds:>9.2f} s | {mib(memory):>11} | {time_ratio:>10.2f} | {memory_ratio:>12.2f}"
        print(f"| {name:<42} | {figures} |", flush=True)

    t_bare, t_ours, t_full = interleaved_medians([bare_one, ours_one, ours_full], options.repeat)
    row("one force report: bare WeasyPrint", t_bare, m_bare, t_bare, m_bare)
    row("one force report: render_pdf", t_ours, m_ours, t_bare, m_bare)
    row("one force report: data + HTML + PDF", t_full, m_full, t_bare, m_bare)
    # The pack is 44 renders after the single-report runs above: warm enough without a warm-up round.
    p_bare, p_ours = interleaved_medians([bare_pack, ours_pack], options.pack_repeat, warm_up=False)
    row(f"national pack: {len(assessments)} bare renders", p_bare, pm_bare, p_bare, pm_bare)
    row("national pack: report_pack_build", p_ours, pm_ours, p_bare, pm_bare)
    print(f"\nLoad average at the end (1, 5, 15 min): {os.getloadavg()}")
    print()
    repeat_download(one, options.download_repeat, WORKDIR)


def pack_on_workers(round_: Any, national: Any, repeat: int) -> None:
    """Wall time of the national pack made by 1, then 2, `manage.py db_worker` processes; the ratio."""
    import subprocess
    import sys

    from assessments.models import ReportPack
    from assessments.reports.packs import report_pack_request

    env = {**os.environ, "BENCH_MEDIA_ROOT": str(settings.MEDIA_ROOT), "PYTHONUNBUFFERED": "1"}
    manage = [sys.executable, "manage.py", "db_worker", "--settings", "bench.settings", "--interval", "0.1"]
    results: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(repeat):
        for workers in (1, 2):
            processes = [
                subprocess.Popen(  # noqa: S603 - our own manage.py, fixed arguments
                    [*manage, "--worker-id", f"bench-{n}"], env=env, stdout=subprocess.DEVNULL
                )
                for n in range(workers)
            ]
            try:
                time.sleep(3)  # let the workers start before the clock does
                started = time.perf_counter()
                pack = report_pack_request(by=national, round_=round_)
                while True:
                    pack.refresh_from_db()
                    if pack.state in (ReportPack.State.READY, ReportPack.State.FAILED):
                        break
                    time.sleep(0.05)
                elapsed = time.perf_counter() - started
            finally:
                for process in processes:
                    process.terminate()
                for process in processes:
                    process.wait(timeout=30)
            if pack.state != ReportPack.State.READY:
                raise SystemExit(f"The pack failed: {pack.error}")
            results[workers].append(elapsed)
            print(f"{workers} worker(s): {elapsed:.1f} s ({pack.total} forces)", flush=True)
    one, two = statistics.median(results[1]), statistics.median(results[2])
    print("| measure | median s | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| national pack, 1 db_worker | {one:.1f} | 1.00 |")
    print(f"| national pack, 2 db_workers | {two:.1f} | {two / one:.2f} |")


if __name__ == "__main__":
    main()
