"""What the web no longer waits for: a draft PDF's render, and the pack of a fully signed-off round.

    .venv/bin/python -m bench.renders [--repeat 5] [--pack-repeat 5]

Builds the same throwaway SQLite world as bench.reports (all 44 forces, one round, every activity
answered), then measures:

1. a draft force report on the request path: data + HTML (what a page costs) and data + HTML + PDF
   (what draft.pdf costs), medians of wall-clock runs; this is the figure docs/performance.md uses to
   choose between rendering drafts on the request and in the worker;
2. every force submitted and signed off through the workflow (each queues its render: the rows are
   counted), then each PDF stored as the worker's task stores it, with the renderer handing back one
   real render's bytes (44 real renders would take minutes and measure nothing the pack needs: it
   must not render at all);
3. the national pack of that fully signed-off round (report_pack_build, inline) against the floor it
   can be held to: reading the 44 stored PDFs from storage and zipping them, nothing else. The pack
   must render nothing (counted) and stay within 2x of the floor.

Times are medians, the two pack measures taking turns in each round; results are ratios.
"""

from __future__ import annotations

import argparse
import io
import os
import zipfile
from typing import Any

import bench.reports  # noqa: F401 - sets up Django on a throwaway database, tasks run inline
from bench.measuring import interleaved_medians


def sign_off_everything(round_: Any) -> int:
    """Submit and sign off every force's assessment in the round; returns how many."""
    from accounts.models import Membership, User
    from accounts.roles import Role
    from assessments import workflow
    from assessments.models import Assessment

    coordinators: dict[int, Any] = {}
    count = 0
    for assessment in Assessment.objects.filter(round=round_).select_related("force__region"):
        force = assessment.force
        spoc = User.objects.create_user(
            email=f"spoc-{force.code}@example.com", full_name=f"{force.code} SPOC"
        )
        Membership.objects.create(user=spoc, role=Role.SPOC, force=force)
        if force.region_id not in coordinators:
            coordinator = User.objects.create_user(
                email=f"coord-{force.region.slug}@example.com", full_name=f"{force.region.slug} Coordinator"
            )
            Membership.objects.create(user=coordinator, role=Role.COORDINATOR, region=force.region)
            coordinators[force.region_id] = coordinator
        workflow.submit(assessment, by=spoc)
        workflow.sign_off(assessment, by=coordinators[force.region_id], comment="Agreed")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of one draft report")
    parser.add_argument("--pack-repeat", type=int, default=5, help="timed runs of each pack measure")
    options = parser.parse_args()

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.test import override_settings as inline_tasks

    from assessments.models import Assessment, ReportPack, StoredReport
    from assessments.reports import rendering
    from assessments.reports.data import force_report_data
    from assessments.reports.packs import NATIONAL_SCOPE, report_pack_build
    from assessments.reports.rendering import force_report_html, force_report_pdf
    from assessments.reports.storage import stored_report_bytes

    # Tasks run inline (bench.reports sets this too, but directly on settings, which the task backends
    # may already have read); the sign-offs below switch to the database backend to count the queue.
    inline_tasks(
        TASKS={
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}
        }
    ).enable()
    print(f"{os.cpu_count()} CPUs; load average at the start (1, 5, 15 min): {os.getloadavg()}")
    round_, national = bench.reports.build_world()
    one = Assessment.objects.select_related("force__region", "round__plan").get(
        round=round_, force__code="cleveland"
    )

    def draft_html() -> None:
        force_report_html(force_report_data(assessment=one))

    def draft_pdf() -> None:
        force_report_pdf(force_report_data(assessment=one))

    t_html, t_pdf = interleaved_medians([draft_html, draft_pdf], options.repeat)
    print("| measure | median |")
    print("| --- | ---: |")
    print(f"| draft report, data + HTML | {t_html * 1000:.0f} ms |")
    print(f"| draft report, data + HTML + PDF (draft.pdf) | {t_pdf * 1000:.0f} ms |", flush=True)

    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from assessments.reports.renders import render_and_store

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    ):
        signed = sign_off_everything(round_)
    queued = DBTaskResult.objects.filter(task_path="assessments.reports.renders.render_signed_off_report")
    real_render = rendering.render_pdf
    one_pdf = force_report_pdf(force_report_data(assessment=one))
    rendering.render_pdf = lambda html, **kwargs: one_pdf
    for row in queued:
        render_and_store(**row.args_kwargs["kwargs"])
    stored_count = StoredReport.objects.filter(assessment__round=round_).count()
    print(f"\nSigned off {signed} forces: {queued.count()} renders queued, {stored_count} PDFs stored")

    renders = 0

    def counting_render(html: str, **kwargs: Any) -> bytes:
        nonlocal renders
        renders += 1
        return real_render(html, **kwargs)

    rendering.render_pdf = counting_render

    def zip_stored_files() -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for stored in StoredReport.objects.filter(assessment__round=round_).select_related(
                "assessment__force__region"
            ):
                archive.writestr(
                    f"{stored.assessment.force.region.slug}/{stored.pk}.pdf", stored_report_bytes(stored)
                )
        name = default_storage.save("bench/floor.zip", ContentFile(buffer.getvalue()))
        default_storage.delete(name)

    def national_pack() -> None:
        pack = ReportPack.objects.create(requested_by=national, round=round_, scope=NATIONAL_SCOPE, total=44)
        report_pack_build(pack_id=pack.pk)
        pack.refresh_from_db()
        if pack.state != ReportPack.State.READY:
            raise SystemExit(f"The pack failed: {pack.error}")

    t_floor, t_pack = interleaved_medians([zip_stored_files, national_pack], options.pack_repeat)
    packs = options.pack_repeat + 1
    print("\n| measure | median | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| zip the {stored_count} stored PDFs (floor) | {t_floor * 1000:.0f} ms | 1.00 |")
    print(f"| national pack, fully signed-off round | {t_pack * 1000:.0f} ms | {t_pack / t_floor:.2f} |")
    print(f"\nRenders during {packs} packs: {renders}")
    print(f"Load average at the end (1, 5, 15 min): {os.getloadavg()}")
    if renders:
        raise SystemExit("A pack of a fully signed-off round rendered a report again.")


if __name__ == "__main__":
    main()
