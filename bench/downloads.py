"""The repeat-download measurement of bench.reports: a stored, signed-off force report fetched by its
signed link and its stable address, against a static file of the same size.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from bench.measuring import interleaved_medians


def repeat_download(assessment: Any, repeat: int, workdir: Path) -> None:
    """A repeat download of a signed-off report against a static file of the same size, same stack.

    The assessment is submitted and signed off and its PDF stored (as the worker does after the
    sign-off), its chief officer downloads it once by its stable address, then takes the signed link from the
    force's Reports page as a browser would. GETs of the signed link, of the stable address and of a
    static file of exactly the same size (served by WhiteNoise, the stack's own static file server) take
    turns through `django.test.Client` and the whole middleware stack. Ratios of medians; the target is
    2 for the signed link, which is what the pages link once the PDF is stored. The stable address, kept
    for bookmarks, checks permission on every request and is measured for comparison. The static file is
    written under `workdir`.
    """
    import html
    import re

    from django.contrib.staticfiles.finders import get_finder
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Membership, User
    from accounts.roles import Role
    from assessments import workflow
    from assessments.reports.downloads import SIGNED_REPORT_PREFIX
    from assessments.reports.renders import render_and_store

    settings.DEBUG = False  # as in production: WhiteNoise indexes static files once, no autorefresh
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    def person(email: str, role: Role, **where: Any) -> Any:
        user = User.objects.create_user(email=email, full_name=email.split("@")[0])
        Membership.objects.create(user=user, role=role, **where)
        return user

    force = assessment.force
    spoc = person("bench-spoc@example.com", Role.SPOC, force=force)
    coordinator = person("bench-coord@example.com", Role.COORDINATOR, region=force.region)
    chief = person("bench-chief@example.com", Role.CHIEF_OFFICER, force=force)
    workflow.submit(assessment, by=spoc)
    workflow.sign_off(assessment, by=coordinator, comment="Agreed")
    assessment.refresh_from_db()
    render_and_store(assessment_id=assessment.pk, version=assessment.version)  # the worker's task
    url = reverse(
        "assessments:force_report_pdf",
        kwargs={"force_code": force.code, "round_id": assessment.round_id, "version": assessment.version},
    )
    client = Client()
    client.force_login(chief)
    first = client.get(url)
    if first.status_code != 200 or first["Content-Type"] != "application/pdf":
        raise SystemExit(f"The first download failed: {first.status_code}")
    content = b"".join(first.streaming_content) if first.streaming else first.content
    page = client.get(reverse("assessments:force_reports", kwargs={"force_code": force.code}))
    links = re.findall(rf'href="({re.escape(SIGNED_REPORT_PREFIX)}[^"]+)"', page.content.decode())
    if len(links) != 1:
        raise SystemExit(f"The Reports page should link one signed download, not {len(links)}.")
    signed_url = html.unescape(links[0])
    static_dir = workdir / "static-bench"
    static_dir.mkdir()
    (static_dir / "same-size.pdf").write_bytes(os.urandom(len(content)))
    # Before the first static request: WhiteNoise indexes STATICFILES_DIRS when the handler is built,
    # and the test client builds its handler per Client, so the static client is made after this.
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, static_dir]
    get_finder.cache_clear()  # the finders read STATICFILES_DIRS once
    static_client = Client()
    static_client.force_login(chief)
    static_url = f"{settings.STATIC_URL}same-size.pdf"

    def get(which: Any, address: str) -> Callable[[], object]:
        def request() -> None:
            response = which.get(address)
            assert response.status_code == 200, (address, response.status_code)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert len(body) == len(content)
            response.close()

        return request

    if os.environ.get("BENCH_PROFILE"):
        from pyinstrument import Profiler

        for name, address in (("signed link", signed_url), ("stable address", url)):
            profiler = Profiler(interval=0.0002)
            with profiler:
                for _ in range(200):
                    get(client, address)()
            print(f"Profile of 200 downloads by the {name}:")
            print(profiler.output_text(unicode=False, color=False, show_all=False))
    signed, stored, static = interleaved_medians(
        [get(client, signed_url), get(client, url), get(static_client, static_url)], repeat
    )
    print(f"Repeat download of a signed-off report ({len(content) / 1024:.0f} KiB), {repeat} requests each")
    print("| measure | median ms | ratio |")
    print("| --- | ---: | ---: |")
    print(f"| static file of the same size (WhiteNoise) | {static * 1000:.2f} | 1.00 |")
    print(f"| stored PDF by its signed link (target 2) | {signed * 1000:.2f} | {signed / static:.2f} |")
    print(f"| stored PDF by its stable address | {stored * 1000:.2f} | {stored / static:.2f} |")
