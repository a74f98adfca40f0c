"""A force's home page: the main button suits who came, and a returned assessment names what to change."""

from __future__ import annotations

from django.urls import reverse

from assessments import workflow
from tests.assessments.workflow_states import make_complete
from tests.factories import verified_staff_login


def _start_button(html: str) -> str:
    """The start button's whole link, from `<a` to `</a>`."""
    before, after = html.split("govuk-button--start", 1)
    return before[before.rindex("<a ") :] + after.split("</a>")[0]


def test_changes_requested_banner_links_each_marked_activity(client, world, home_assessment):
    make_complete(home_assessment)
    workflow.submit(home_assessment, by=world.spoc)
    workflow.return_for_changes(
        home_assessment,
        by=world.coordinator,
        reason="Two gaps",
        activity_comments={"VS02": "Add the NRM audit", "LG01": "Name the chief officer"},
    )
    client.force_login(world.spoc)
    html = client.get("/forces/cleveland/").content.decode()
    banner = html.split('id="feedback-title"')[1].split("</section>")[0].split("govuk-button")[0]
    links = [
        reverse("assessments:activity", kwargs={"assessment_id": home_assessment.pk, "code": code})
        for code in ("LG01", "VS02")
    ]
    assert "2 activities need changes" in banner
    # Both marked activities, linked, in the plan's order.
    assert banner.index(f'href="{links[0]}"') < banner.index(f'href="{links[1]}"')
    assert (
        reverse("assessments:activity", kwargs={"assessment_id": home_assessment.pk, "code": "LG02"})
        not in banner
    )


def test_a_chief_officer_starts_from_the_reports_and_a_spoc_from_the_task_list(
    client, world, home_assessment
):
    verified_staff_login(client, world.chief_officer)
    chief = client.get("/forces/cleveland/").content.decode()
    assert "View reports" in _start_button(chief)
    assert reverse("assessments:force_reports", kwargs={"force_code": "cleveland"}) in _start_button(chief)
    assert reverse("assessments:task_list", kwargs={"assessment_id": home_assessment.pk}) in chief
    client.logout()
    client.force_login(world.spoc)
    spoc = client.get("/forces/cleveland/").content.decode()
    assert "Go to the task list" in _start_button(spoc)
    assert "View reports" not in spoc


def test_a_submitted_assessment_past_its_due_date_is_not_called_overdue(client, world, home_assessment):
    round_ = home_assessment.round
    round_.due_on = round_.opens_on  # long past
    round_.save(update_fields=["due_on"])
    client.force_login(world.spoc)
    assert "Overdue by" in client.get("/forces/cleveland/").content.decode()
    make_complete(home_assessment)
    workflow.submit(home_assessment, by=world.spoc)
    html = client.get("/forces/cleveland/").content.decode()
    assert "Overdue by" not in html and "days left" not in html


def test_the_page_shows_no_template_comment_text(client, world, home_assessment):
    client.force_login(world.spoc)
    html = client.get("/forces/cleveland/").content.decode()
    assert "{#" not in html and "#}" not in html
