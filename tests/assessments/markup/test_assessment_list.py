"""The admin's assessment list rows written in Python: Django's cells, in its order, every value escaped.

assessments.markup.assessment_list renders the list's rows from plain values with addresses reversed once
per page (ObjectUrls). test_admin_oracle.py compares the whole table with Django's own rendering; these
tests check the cells, the escaping of names and of the preserved filters, and the page around them.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from assessments.admin_review import AssessmentAdmin
from assessments.markup import assessment_list as admin_rows
from tests.assessments.markup.markup_tokens import ESCAPED, NASTY, markup

# --- the addresses -------------------------------------------------------------------------------


def test_object_urls_put_the_id_where_reverse_would():
    urls = admin_rows.ObjectUrls.reverse("admin:assessments_assessment_review")
    for pk in (1, 42, 987654321, 10**12):
        assert urls(pk) == reverse("admin:assessments_assessment_review", args=[pk])


def test_object_urls_keep_preserved_filters_and_escape_them_for_an_attribute():
    query = "?_changelist_filters=q%3D%3Cb%3E%26o%3D1&x=987654321"
    urls = admin_rows.ObjectUrls(f"/admin/assessments/assessment/987654321/change/{query}")
    assert urls(7) == f"/admin/assessments/assessment/7/change/{query}"
    assert urls.html(7) == f"/admin/assessments/assessment/7/change/{query.replace('&', '&amp;')}"
    with pytest.raises(ValueError):
        urls("7; DROP")
    with pytest.raises(ValueError):
        admin_rows.ObjectUrls("/admin/no-placeholder/")


# --- the assessment list -------------------------------------------------------------------------


def list_row(**overrides) -> admin_rows.AssessmentListRow:
    values = {
        "pk": 12,
        "force_name": "Cleveland Police",
        "round_name": "2026 autumn review",
        "status": "submitted",
        "submitted_at": datetime.datetime(2026, 11, 3, 9, 30, tzinfo=datetime.UTC),
    }
    return admin_rows.AssessmentListRow(**{**values, **overrides})


def list_html(*rows: admin_rows.AssessmentListRow, query: str = "") -> str:
    return admin_rows.assessment_list_html(
        rows,
        change_urls=admin_rows.ObjectUrls(f"/admin/assessments/assessment/987654321/change/{query}"),
        review_urls=admin_rows.ObjectUrls.reverse("admin:assessments_assessment_review"),
        now=datetime.datetime(2026, 11, 17, 8, 0, tzinfo=datetime.UTC),
    )


def test_the_list_row_has_the_admins_cells_in_list_display_order():
    assert AssessmentAdmin.list_display == list(admin_rows.LIST_COLUMNS)
    tokens = markup(list_html(list_row()))
    cells = [token[2] for token in tokens if token[0] == "start" and token[1] in ("th", "td")]
    assert cells == [
        f"class=field-{column}{' nowrap' * (i < 2)}" for i, column in enumerate(admin_rows.LIST_COLUMNS)
    ]


def test_the_list_row_says_the_status_in_words_and_how_long_a_submission_has_waited():
    html = list_html(list_row())
    change = "/admin/assessments/assessment/12/change/"
    assert f'<th class="field-force nowrap"><a href="{change}">Cleveland Police</a></th>' in html
    assert '<td class="field-status_tag">Submitted</td>' in html
    assert '<td class="field-submitted_on">3 Nov 2026</td>' in html
    assert '<td class="field-days_waiting">13</td>' in html  # 13 days and 22 hours
    review = reverse("admin:assessments_assessment_review", args=[12])
    assert f'<a href="{review}">Review<span class="visually-hidden"> Cleveland Police</span></a>' in html


def test_the_list_row_of_an_assessment_not_waiting_offers_view_and_dashes():
    html = list_html(list_row(status="draft", submitted_at=None))
    assert '<td class="field-status_tag">Draft</td>' in html
    assert '<td class="field-submitted_on">–</td><td class="field-days_waiting">–</td>' in html
    assert ">View<span" in html
    signed_off = list_html(list_row(status="signed_off"))
    assert "Signed off" in signed_off and '<td class="field-days_waiting">–</td>' in signed_off


def test_the_list_escapes_names_and_the_preserved_filters():
    html = list_html(
        list_row(force_name=NASTY, round_name=NASTY), list_row(pk=13), query="?_changelist_filters=a%3D1&b=2"
    )
    assert NASTY not in html and "<script>" not in html
    assert html.count(ESCAPED) == 3  # the force's link, the round and the review link's hidden text
    assert 'href="/admin/assessments/assessment/12/change/?_changelist_filters=a%3D1&amp;b=2"' in html
    assert 'href="/admin/assessments/assessment/13/change/?_changelist_filters=a%3D1&amp;b=2"' in html


# --- the pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_assessment_list_escapes_force_names_and_counts_the_total_only_when_filtered(
    client, world, open_round
):
    from tests.factories import ForceFactory, verified_staff_login

    ForceFactory(code="evil", name=NASTY, region=world.home_region)
    from assessments.services import round_open

    round_open(
        name="Spring",
        plan=open_round.plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 1),
        opened_by=world.national,
    )
    verified_staff_login(client, world.coordinator)
    url = reverse("admin:assessments_assessment_changelist")
    html = client.get(url).content.decode()
    assert NASTY not in html and ESCAPED in html
    assert "results (" not in html  # unfiltered: the count is the total, as Django shows it
    filtered = client.get(url, {"round__id__exact": open_round.pk}).content.decode()
    # The first round has the region's two forces; the force made after it joins the next round.
    assert '2 results (<a href="?">5 total</a>)' in filtered


def test_the_submission_date_is_the_uk_date_not_the_stored_utc_one():
    submitted_on = admin_rows.submitted_on
    late_summer_evening = datetime.datetime(2026, 7, 14, 23, 30, tzinfo=datetime.UTC)  # 00:30 BST on the 15th
    assert submitted_on(late_summer_evening) == "15 Jul 2026"
    winter_evening = datetime.datetime(2026, 12, 14, 23, 30, tzinfo=datetime.UTC)  # GMT: still the 14th
    assert submitted_on(winter_evening) == "14 Dec 2026"
    assert submitted_on(None) == "–"
