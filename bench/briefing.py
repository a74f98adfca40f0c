"""Benchmark the force report with its briefing (key messages, trend, benchmark) against a bare render.

    .venv/bin/python -m bench.briefing [--repeat 5]

bench/reports.py measures a force report in a world with one round, where the briefing has nothing
signed off to show. This builds the generated national data instead (44 forces, eight signed-off
rounds and an open one) in a throwaway SQLite database, so the draft report carries the full trend
chart and a shown benchmark, and measures, taking turns:

1. a bare WeasyPrint render of the draft report's HTML (the baseline);
2. our render_pdf of the same HTML (tags, safe fetcher, font check);
3. the whole path: report data (with the briefing's query), HTML and PDF;

and the same three for the force's latest signed-off version. Times are medians; results are ratios.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import tempfile
from pathlib import Path

from bench.measuring import interleaved_medians

WORKDIR = Path(tempfile.mkdtemp(prefix="msoic-briefing-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "msoic.settings.dev")
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR / 'bench.sqlite3'}"

import django  # noqa: E402

django.setup()

logging.getLogger("weasyprint").setLevel(logging.WARNING)


def main() -> None:
    """Generate the data, then time the draft and signed-off reports of one force."""
    import io

    from django.core.management import call_command
    from pypdf import PdfReader
    from weasyprint import HTML

    from assessments.generator import generate_national_data
    from assessments.models import Assessment, AssessmentSnapshot
    from assessments.reports.data import force_report_data
    from assessments.reports.pdf import render_pdf, static_base_url
    from assessments.reports.rendering import force_report_html, force_report_pdf

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each measure")
    options = parser.parse_args()
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    generate_national_data(seed=11, forces=None, past_rounds=8)
    draft = Assessment.objects.select_related("force__region", "round__plan").get(
        force__code="essex", round__is_open=True
    )
    snapshot = (
        AssessmentSnapshot.objects.filter(assessment__force__code="essex")
        .select_related("assessment__force__region", "assessment__round__plan")
        .order_by("-assessment__round__opens_on", "-version")
        .first()
    )
    assert snapshot is not None
    base_url = static_base_url()
    print(f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"Load average at the start (1, 5, 15 min): {os.getloadavg()}")
    print()
    print("| measure | median time | ratio to bare |")
    print("| --- | ---: | ---: |")
    for label, make in (
        ("draft", lambda: force_report_data(assessment=draft)),
        ("signed off", lambda: force_report_data(assessment=snapshot.assessment, snapshot=snapshot)),
    ):
        report = make()
        html = force_report_html(report)
        pages = len(PdfReader(io.BytesIO(render_pdf(html, title="x"))).pages)

        def bare(html: str = html) -> None:
            HTML(string=html, base_url=base_url).write_pdf()

        def ours(html: str = html, title: str = report.title) -> None:
            render_pdf(html, title=title)

        def full(make=make) -> None:
            force_report_pdf(make())

        t_bare, t_ours, t_full = interleaved_medians([bare, ours, full], options.repeat)
        print(f"| {label} force report ({pages} pages): bare WeasyPrint | {t_bare:.2f} s | 1.00 |")
        print(f"| {label} force report: render_pdf | {t_ours:.2f} s | {t_ours / t_bare:.2f} |")
        print(f"| {label} force report: data + HTML + PDF | {t_full:.2f} s | {t_full / t_bare:.2f} |")
    print(f"\nLoad average at the end (1, 5, 15 min): {os.getloadavg()}")


if __name__ == "__main__":
    main()
