"""One report pack per person and round at a time: a second one is refused and the running one shown."""

from __future__ import annotations

from django.urls import reverse

from assessments.models import ReportPack
from tests.assessments.reports.conftest import sign_in


def test_a_second_pack_for_another_scope_is_refused_while_the_first_runs(
    client, world, open_round, django_capture_on_commit_callbacks
):
    regional = ReportPack.objects.create(
        requested_by=world.national,
        round=open_round,
        region=world.home_force.region,
        scope=world.home_force.region.slug,
        state=ReportPack.State.RUNNING,
    )
    sign_in(client, world.national)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("assessments:national_report_pack"), {"round": open_round.pk})
    assert response["Location"].endswith(f"/report-packs/{regional.pk}/")
    assert ReportPack.objects.count() == 1 and callbacks == []
    page = client.get(response["Location"]).content.decode()
    assert "You are already making a report pack for this round" in page
    assert "Making the reports" in page


def test_someone_elses_running_pack_does_not_hold_up_a_pack_of_another_scope(
    client, world, open_round, django_capture_on_commit_callbacks, monkeypatch
):
    ReportPack.objects.create(
        requested_by=world.administrator,
        round=open_round,
        region=world.home_force.region,
        scope=world.home_force.region.slug,
        state=ReportPack.State.RUNNING,
    )
    monkeypatch.setattr("assessments.reports.packs.force_report_pdf", lambda report: b"%PDF-1.7 test")
    sign_in(client, world.national)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:national_report_pack"), {"round": open_round.pk})
    assert ReportPack.objects.filter(scope="national", state="ready").count() == 1
