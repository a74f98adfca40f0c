"""The task list's and check-your-answers rows written in Python: same markup, every user value escaped."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.text import Truncator
from hypothesis import given
from hypothesis import strategies as st

from assessments import selectors
from assessments.markup import task_list as rows
from assessments.models import ActivityReturn
from assessments.selectors import AreaHeading, TaskRow, TaskSection
from assessments.status import TaskStatus

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def row(**overrides) -> TaskRow:
    values = {
        "code": "LG01",
        "title": "A chief officer leads",
        "implementation_status": "",
        "is_complete": False,
        "carried_forward": False,
        "confirmed": False,
        "reopened_for_changes": False,
        "coordinator_comment": "",
    }
    return TaskRow(**{**values, **overrides})


def test_activity_urls_are_the_reversed_addresses():
    urls = rows.ActivityUrls(42)
    for code in ("LG01", "RI03", "PV12"):
        assert urls(code) == reverse("assessments:activity", kwargs={"assessment_id": 42, "code": code})
        assert urls.history(code) == reverse(
            "assessments:return_history", kwargs={"assessment_id": 42, "code": code}
        )


def test_a_task_list_item_escapes_the_title_and_the_coordinators_comment():
    html = rows.task_list_item(
        row(title=NASTY, reopened_for_changes=True, coordinator_comment=NASTY), "/a/LG01/"
    )
    assert NASTY not in html and "<script>" not in html
    assert f"LG01 {ESCAPED}</a>" in html
    assert f'<div class="govuk-task-list__hint">Coordinator: {ESCAPED}</div>' in html
    assert 'id="LG01"' in html and 'aria-describedby="LG01-status"' in html and 'id="LG01-status"' in html
    assert '<strong class="govuk-tag govuk-tag--red">Changes requested</strong>' in html


def test_a_coordinators_comment_shows_only_on_an_activity_reopened_for_changes():
    assert "Coordinator:" not in rows.task_list_item(row(coordinator_comment="Old comment"), "/a/")
    assert "Coordinator:" not in rows.task_list_item(row(reopened_for_changes=True), "/a/")


@pytest.mark.parametrize(
    ("state", "status_html"),
    [
        ({}, '<strong class="govuk-tag govuk-tag--grey">Not started</strong>'),
        ({"implementation_status": "planned"}, '<strong class="govuk-tag govuk-tag--light-blue">In progress'),
        ({"carried_forward": True}, '<strong class="govuk-tag govuk-tag--yellow">Carried forward</strong>'),
        (
            {"is_complete": True, "confirmed": True},
            '<div class="govuk-task-list__status" id="LG01-status">Completed',
        ),
    ],
)
def test_each_task_status_has_its_tag_and_completed_is_plain_text(state, status_html):
    assert status_html in rows.task_list_item(row(**state), "/a/")


def test_an_answer_row_escapes_every_answer_and_shortens_long_ones():
    html = rows.answer_row(
        row(
            implementation_status="not_applicable",
            not_applicable_reason=NASTY,
            evidence_summary=NASTY + "e" * 500,
            next_steps=NASTY,
            action_owner=NASTY,
            target_date=datetime.date(2027, 3, 5),
            title=NASTY,
        ),
        "/a/LG01/",
        action=rows.CHANGE,
    )
    assert "<script>" not in html
    assert f'<dt class="govuk-summary-list__key">LG01 {ESCAPED}</dt>' in html
    assert f'<p class="govuk-body-s">Reason: {ESCAPED}</p>' in html
    assert f"Evidence: {ESCAPED}" in html and "e…</p>" in html
    assert f"Next steps: {ESCAPED} (owner: {ESCAPED}, by 5 March 2027)</p>" in html
    assert (
        '<a class="govuk-link" href="/a/LG01/">Change<span class="govuk-visually-hidden"> LG01</span></a>'
        in html
    )
    assert '>Not applicable <strong class="govuk-tag govuk-tag--light-blue">In progress</strong></p>' in html


def test_an_unanswered_row_says_so_and_a_complete_one_has_no_tag():
    blank = rows.answer_row(row(), "/a/", action=rows.VIEW)
    assert "Not answered <strong" in blank and ">View<" in blank
    assert "Evidence:" not in blank and "Next steps:" not in blank and "Reason:" not in blank
    done = rows.answer_row(
        row(implementation_status="embedded", is_complete=True, confirmed=True), "/a/", action=rows.VIEW
    )
    assert 'margin-bottom-1">Embedded</p>' in done and "govuk-tag" not in done


def test_the_owner_and_date_show_only_with_an_owner():
    no_owner = rows.answer_details(row(next_steps="Train staff", target_date=datetime.date(2027, 3, 5)))
    assert no_owner == '<p class="govuk-body-s">Next steps: Train staff</p>'
    no_date = rows.answer_details(row(next_steps="Train staff", action_owner="DCI"))
    assert no_date == '<p class="govuk-body-s">Next steps: Train staff (owner: DCI)</p>'


def test_missing_activity_links_escape_titles():
    html = rows.activity_links([row(title=NASTY), row(code="LG02", title="Plain")], assessment_id=3)
    assert html == (
        f'<li><a class="govuk-link" href="/assessments/3/activities/LG01/">LG01 {ESCAPED}</a></li>'
        '<li><a class="govuk-link" href="/assessments/3/activities/LG02/">LG02 Plain</a></li>'
    )


def test_sections_keep_their_headings_and_rows_in_order():
    sections = [TaskSection(area=AreaHeading(1, "Leadership"), rows=[row(), row(code="LG02")])]
    (rendered,) = rows.answer_sections(sections, assessment_id=3, can_change=False)
    assert rendered.area == AreaHeading(1, "Leadership")
    assert rendered.rows_html.index("LG01") < rendered.rows_html.index("LG02")
    assert ">Change<" not in rendered.rows_html
    (task_section,) = rows.task_list_sections(sections, assessment_id=3)
    assert task_section.rows_html.count("<li ") == 2


@given(st.text(), st.integers(min_value=1, max_value=30))
def test_truncate_gives_what_the_truncatechars_filter_gives(text, length):
    assert rows.truncate(text, length) == Truncator(text).chars(length)


@pytest.mark.parametrize(
    "text", ["e\u0301" * 10, "short", "x" * 400, "x" * 401, "cafe\u0301 " * 100, "e\u0301" * 401]
)
def test_truncate_counts_characters_as_truncatechars_does(text):
    assert rows.truncate(text, 400) == Truncator(text).chars(400)


def test_implementation_labels_cover_every_status_and_a_missing_one():
    assert rows.implementation_label("in_progress") == "In progress"
    assert rows.implementation_label("") == rows.implementation_label(None) == "Not answered"


def test_task_status_of_a_row_matches_the_model_rule():
    assert row(reopened_for_changes=True, is_complete=True).task_status == TaskStatus.CHANGES_REQUESTED
    assert row(carried_forward=True).task_status == TaskStatus.CARRIED_FORWARD
    assert row(carried_forward=True, confirmed=True, is_complete=True).task_status == TaskStatus.COMPLETED
    assert row(confirmed=True).task_status == TaskStatus.IN_PROGRESS


@pytest.mark.django_db
def test_task_list_rows_carry_the_returns_values_and_incomplete_rows_match_the_query(home_assessment):
    returns = list(home_assessment.returns.order_by("activity__area__number", "activity__order"))
    first, second = returns[0], returns[1]
    ActivityReturn.objects.filter(pk=first.pk).update(
        implementation_status="planned",
        next_steps=NASTY,
        action_owner="DCI",
        target_date=datetime.date(2027, 1, 2),
        is_complete=True,
        confirmed=True,
    )
    ActivityReturn.objects.filter(pk=second.pk).update(reopened_for_changes=True, coordinator_comment="Fix")

    sections = selectors.task_list(assessment=home_assessment, answers=True)
    flat = [r for section in sections for r in section.rows]
    assert [r.code for r in flat] == [r.activity.code for r in returns]
    assert flat[0].next_steps == NASTY and flat[0].target_date == datetime.date(2027, 1, 2)
    assert flat[1].coordinator_comment == "Fix" and flat[1].task_status == TaskStatus.CHANGES_REQUESTED
    assert [s.area.number for s in sections] == sorted({r.activity.area.number for r in returns})
    incomplete = selectors.incomplete_returns(assessment=home_assessment)
    assert [r.code for r in selectors.incomplete_rows(sections)] == [r.activity.code for r in incomplete]
    # Without answers=True the answer columns are not read.
    assert selectors.task_list(assessment=home_assessment)[0].rows[0].next_steps == ""


@pytest.mark.django_db
def test_activity_page_reads_the_whole_return_only_when_asked(home_assessment, django_assert_num_queries):
    code = home_assessment.returns.order_by("activity__area__number", "activity__order")[1].activity.code
    with django_assert_num_queries(1):
        page = selectors.activity_page(assessment=home_assessment, code=code)
        assert page.return_state.assessment is home_assessment
        assert page.return_state.reopened_for_changes is False
    with django_assert_num_queries(1):
        assert page.activity_return.activity.code == code
        assert page.activity_return.pk == page.return_state.pk
        assert page.activity_return.assessment is home_assessment
    # Any other field of the partial return is read from the database, never assumed.
    ActivityReturn.objects.filter(pk=page.return_state.pk).update(revision=7)
    with django_assert_num_queries(1):
        assert page.return_state.revision == 7
