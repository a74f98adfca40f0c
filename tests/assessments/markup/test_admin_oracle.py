"""The admin's assessment list and its filters against Django's own rendering of the same changelist.

test_admin_tables.py compares the review rows with the template they replaced, and
test_admin_fragments.py the app list and one list filter (given its choices) with Django's
admin/app_list.html and admin/filter.html. Two
fragments were compared with nothing: the assessment list's rows (markup.assessment_list, under the
headings in templates/admin/assessments/assessment/change_list.html) and the filters as
markup.admin_fragments.admin_list_filters renders a real changelist's. Here the real page, as a
national user sees it, is compared with what Django itself renders for the same request:

- the results table with Django's admin/change_list_results.html, filled by Django's result_list
  from its own ChangeList over model instances (every cell through lookup_field and
  display_for_field, the first linked to the record with the list's filters kept), with the same
  list_display, ordering and column methods;
- the filter sidebar with the filters block of Django's admin/change_list.html, each filter through
  Django's admin_list_filter tag and admin/filter.html.

Both are read from Django's own template files, not the project's overrides, so a Django upgrade
that changes them fails here. No difference is accepted.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from types import SimpleNamespace

import django.contrib.admin
import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_list
from django.contrib.admin.views.main import ChangeList
from django.db.models import F
from django.template import engines
from django.urls import resolve, reverse
from django.utils import timezone

from assessments.admin_review import AssessmentAdmin, AssessmentChangeList
from assessments.models import Assessment
from assessments.permissions import reviewable_region_ids
from assessments.services import round_open
from assessments.status import WorkflowStatus
from tests.assessments.markup.html_oracle import End, Start, Token, differences, tokens
from tests.conftest import sign_off_for_test
from tests.factories import ForceFactory, verified_staff_login

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
DJANGO_ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates" / "admin"


class DjangosChangeList(ChangeList):
    """Django's ChangeList, with the one link this admin changes: a submitted assessment's force opens its
    review for the coordinator who may decide on it (AssessmentChangeList.url_for_result)."""

    def get_results(self, request):
        super().get_results(request)
        self.review_region_ids = reviewable_region_ids(request.user)

    url_for_result = AssessmentChangeList.url_for_result


class DjangosAssessmentAdmin(AssessmentAdmin):
    """AssessmentAdmin listed by Django's own ChangeList, over Assessment instances.

    The column methods read the row's force name, which AssessmentChangeList's rows carry; here each
    instance gets it as an annotation.
    """

    def get_changelist(self, request, **kwargs):
        return DjangosChangeList

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(force_name=F("force__name"))


def djangos_changelist(request) -> ChangeList:
    cl = DjangosAssessmentAdmin(Assessment, admin.site).get_changelist_instance(request)
    cl.formset = None  # as changelist_view sets it for a list with no editable columns
    return cl


def django_template(name: str, *, block: str | None = None):
    """One of Django's own admin templates (or one block of it), not this project's override."""
    text = (DJANGO_ADMIN_TEMPLATES / name).read_text()
    if block is not None:
        start = text.index(f"{{% block {block} %}}")
        text = "{% load i18n admin_list %}" + text[start : text.index("{% endblock %}", start) + 14]
    return engines["django"].from_string(text)


def element(html: str, tag: str, element_id: str) -> list[Token]:
    """The tokens of one element, found by its id, down to its closing tag."""
    found = tokens(html)
    start = next(
        index
        for index, token in enumerate(found)
        if isinstance(token, Start) and token.tag == tag and token.attrs.get("id") == element_id
    )
    depth = 0
    for index in range(start, len(found)):
        token = found[index]
        if isinstance(token, Start) and token.tag == tag:
            depth += 1
        elif isinstance(token, End) and token.tag == tag:
            depth -= 1
            if depth == 0:
                return found[start : index + 1]
    raise AssertionError(f"<{tag} id={element_id}> is not closed")


def djangos_table(request) -> list[Token]:
    """Django's results table for the request: its admin/change_list_results.html, by result_list."""
    context = result_list(djangos_changelist(request))
    html = django_template("change_list_results.html").render(context, request)
    return element(html, "table", "result_list")


def djangos_filters(request) -> list[Token]:
    """Django's filter sidebar for the request: the filters block of its admin/change_list.html."""
    html = django_template("change_list.html", block="filters").render({"cl": djangos_changelist(request)})
    return element(html, "nav", "changelist-filter")


@pytest.fixture
def assessments(world, open_round):
    """Assessments in two rounds and every status, one force named with markup."""
    ForceFactory(code="evil", name=NASTY, region=world.home_region)
    round_open(
        name="2027 spring <review>",
        plan=open_round.plan,
        opens_on=datetime.date(2027, 4, 1),
        due_on=datetime.date(2027, 6, 1),
        opened_by=world.national,
    )
    listed = Assessment.objects.filter(round=open_round)
    # Hours away from a whole day, so both renderings count the same days waiting.
    submitted_at = timezone.now() - datetime.timedelta(days=3, hours=5)
    listed.filter(force=world.home_force).update(status=WorkflowStatus.SUBMITTED, submitted_at=submitted_at)
    listed.filter(force=world.neighbour_force).update(
        status=WorkflowStatus.RETURNED, submitted_at=submitted_at - datetime.timedelta(days=20)
    )
    far = listed.get(force=world.far_force)
    summer_evening = datetime.datetime(2026, 7, 14, 23, 30, tzinfo=datetime.UTC)  # the 15th in the UK
    Assessment.objects.filter(pk=far.pk).update(submitted_at=summer_evening)
    sign_off_for_test(far, world.national)
    return SimpleNamespace(round=open_round, world=world)


def pages(client, rf, user, params):
    """The admin's assessment list as the user sees it, and a request for Django's changelist."""
    url = reverse("admin:assessments_assessment_changelist")
    verified_staff_login(client, user)
    response = client.get(url, params)
    assert response.status_code == 200
    request = rf.get(url, params)
    request.user = user
    request.resolver_match = resolve(url)  # the changelist keeps its filters in its links
    return response.content.decode(), request


PARAMETERS = {
    "everything": {},
    "one round": {"round__id__exact": "ROUND"},
    "status and region": {"status__exact": WorkflowStatus.SUBMITTED, "region": "north-east"},
    "two sort columns": {"o": "-3.0"},  # newest submission first, then force
    "search, with counts": {"q": "Police", "_facets": "True"},
    "search for markup": {"q": "<script>"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", list(PARAMETERS))
def test_the_assessment_list_and_its_filters_are_what_django_renders(client, rf, assessments, case):
    params = {
        name: value.replace("ROUND", str(assessments.round.pk)) for name, value in PARAMETERS[case].items()
    }
    page, request = pages(client, rf, assessments.world.national, params)
    assert djangos_changelist(request).result_count > 0
    assert ("Hide counts" in page) == ("_facets" in params)  # the filters show counts when asked
    found = differences(djangos_table(request), element(page, "table", "result_list"))
    assert found == [], "\n".join(found)
    assert differences(djangos_filters(request), element(page, "nav", "changelist-filter")) == []


@pytest.mark.django_db
def test_a_coordinators_list_is_what_django_renders(client, rf, assessments):
    """Coordinators see their region's forces and no region filter."""
    page, request = pages(client, rf, assessments.world.coordinator, {})
    found = differences(djangos_table(request), element(page, "table", "result_list"))
    assert found == [], "\n".join(found)
    assert differences(djangos_filters(request), element(page, "nav", "changelist-filter")) == []
    assert NASTY not in page


@pytest.mark.django_db
def test_a_different_cell_is_reported(client, rf, assessments):
    page, request = pages(client, rf, assessments.world.national, {})
    changed = page.replace('<td class="field-days_waiting">3</td>', '<td class="field-days_waiting">4</td>')
    assert changed != page
    assert differences(djangos_table(request), element(changed, "table", "result_list")) != []
