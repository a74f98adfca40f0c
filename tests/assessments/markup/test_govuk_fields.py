"""The activity form's GOV.UK fields written in Python: ids, ARIA links and escaping."""

from __future__ import annotations

import datetime

from django.http import QueryDict

from assessments.forms import ActivityReturnForm, EvidenceReferenceFormSet
from assessments.markup import govuk_fields

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def bound(data: dict[str, str], *, complete: bool = True) -> ActivityReturnForm:
    query = QueryDict(mutable=True)
    query.update({"revision": "1", **data})
    form = ActivityReturnForm(query, complete=complete)
    form.is_valid()
    return form


def test_what_was_typed_is_escaped_in_every_kind_of_field():
    form = ActivityReturnForm(
        initial={
            "evidence_summary": NASTY,
            "action_owner": NASTY,
            "revision": 0,
            "implementation_status": "planned",
        }
    )
    textarea = govuk_fields.govuk_textarea(form["evidence_summary"], rows=6, maxlength=2000)
    assert f"\n{ESCAPED}</textarea>" in textarea and "<script>" not in textarea
    text_input = govuk_fields.govuk_input(form["action_owner"], maxlength=150)
    assert f'value="{ESCAPED}"' in text_input and "<script>" not in text_input


def test_typed_date_parts_are_escaped():
    references = EvidenceReferenceFormSet(
        QueryDict(
            "ref-TOTAL_FORMS=1&ref-INITIAL_FORMS=0&ref-MIN_NUM_FORMS=0&ref-MAX_NUM_FORMS=10"
            "&ref-0-title=Policy&ref-0-applies_on_0=%22%3E%3Cb%3E&ref-0-applies_on_1=1&ref-0-applies_on_2=2026"
        ),
        prefix="ref",
    )
    references.is_valid()
    html = govuk_fields.govuk_date(references.forms[0]["applies_on"])
    assert 'value="&quot;&gt;&lt;b&gt;"' in html and "<b>" not in html
    assert 'id="id_ref-0-applies_on-error"' in html and "govuk-input--error" in html


def test_radios_number_from_one_with_hints_and_the_choice_checked():
    form = ActivityReturnForm(initial={"implementation_status": "in_progress", "revision": 0})
    html = govuk_fields.govuk_radios(form["implementation_status"])
    assert html.count('class="govuk-radios__input"') == 6
    assert (
        'id="id_implementation_status_1" name="implementation_status" type="radio" value="not_started"'
        in html
    )
    assert 'value="in_progress" checked aria-describedby="id_implementation_status_3-hint"' in html
    assert html.count('" checked') == 1
    assert '<div id="id_implementation_status_5-hint" class="govuk-hint govuk-radios__hint">' in html
    assert "force&#x27;s own performance regime" in html  # hints are escaped too
    assert "aria-describedby" not in html.split('<div class="govuk-radios"')[0]  # no errors, no link


def test_errors_have_ids_the_field_points_to():
    form = bound({"implementation_status": "planned"})
    html = govuk_fields.govuk_textarea(form["next_steps"], rows=4, maxlength=2000)
    assert "govuk-form-group--error" in html and "govuk-textarea--error" in html
    assert (
        'aria-describedby="id_next_steps-hint id_next_steps-info id_next_steps-error" aria-invalid="true"'
        in html
    )
    assert (
        '<p id="id_next_steps-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> Describe the next steps</p>'
    ) in html
    radios = govuk_fields.govuk_radios(bound({"implementation_status": "bogus"})["implementation_status"])
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_implementation_status-error">' in radios


def test_a_second_error_on_a_field_gets_its_own_id():
    form = bound({"action_owner": "x"})
    form.add_error("action_owner", "First problem")
    form.add_error("action_owner", f"Second {NASTY}")
    html = govuk_fields.govuk_input(form["action_owner"], maxlength=150)
    assert 'id="id_action_owner-error"' in html and 'id="id_action_owner-error-2"' in html
    assert 'aria-describedby="id_action_owner-hint id_action_owner-error id_action_owner-error-2"' in html
    assert f"Second {ESCAPED}" in html


def test_the_checkbox_is_checked_only_when_ticked():
    references = EvidenceReferenceFormSet(prefix="ref", initial=[{"title": "Policy"}])
    html = govuk_fields.govuk_checkbox(references.forms[0]["remove"])
    assert 'id="id_ref-0-remove" name="ref-0-remove" type="checkbox">' in html
    ticked = EvidenceReferenceFormSet(
        QueryDict("ref-TOTAL_FORMS=1&ref-INITIAL_FORMS=0&ref-0-remove=on"), prefix="ref"
    )
    assert 'type="checkbox" checked>' in govuk_fields.govuk_checkbox(ticked.forms[0]["remove"])


def test_date_inputs_keep_the_stored_date():
    form = ActivityReturnForm(initial={"target_date": datetime.date(2027, 3, 31), "revision": 0})
    html = govuk_fields.govuk_date(form["target_date"])
    assert 'id="id_target_date_0" name="target_date_0" type="text" inputmode="numeric" value="31"' in html
    assert 'class="govuk-input govuk-date-input__input govuk-input--width-4" id="id_target_date_2"' in html
    assert '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_target_date-hint">' in html


def test_hidden_inputs_are_what_django_renders():
    form = ActivityReturnForm(initial={"revision": 12})
    assert govuk_fields.hidden_input(form["revision"]) == str(form["revision"])
    references = EvidenceReferenceFormSet(prefix="ref")
    management = references.management_form
    assert govuk_fields.hidden_inputs(management) == str(management).strip()
    posted = EvidenceReferenceFormSet(
        QueryDict("ref-TOTAL_FORMS=2&ref-INITIAL_FORMS=0&ref-MIN_NUM_FORMS=0&ref-MAX_NUM_FORMS=10"),
        prefix="ref",
    )
    assert govuk_fields.hidden_inputs(posted.management_form) == str(posted.management_form).strip()


def test_tampered_hidden_values_are_left_to_django():
    form = bound({"revision": '"><script>'})
    assert form.errors["revision"]
    assert govuk_fields.hidden_input(form["revision"]) == str(form["revision"])
    assert "<script>" not in govuk_fields.hidden_input(form["revision"])
    tampered = EvidenceReferenceFormSet(QueryDict("ref-TOTAL_FORMS=x"), prefix="ref")
    management = tampered.management_form
    assert govuk_fields.hidden_inputs(management) == str(management)


def test_the_reason_is_revealed_under_its_radio_as_frontend_6_expects():
    form = ActivityReturnForm(initial={"implementation_status": "planned", "revision": 0})
    reason = govuk_fields.govuk_textarea(form["not_applicable_reason"], rows=3, maxlength=1000)
    html = govuk_fields.govuk_radios(
        form["implementation_status"], reveal_on="not_applicable", revealed=reason
    )
    assert '<div class="govuk-radios" data-module="govuk-radios">' in html
    assert html.count("data-aria-controls=") == 1 and " aria-controls=" not in html
    assert (
        'value="not_applicable" aria-describedby="id_implementation_status_6-hint"'
        ' data-aria-controls="conditional_implementation_status_6">'
    ) in html
    after_item = '</div></div><div class="govuk-radios__conditional govuk-radios__conditional--hidden"'
    assert f'{after_item} id="conditional_implementation_status_6">{reason}</div>' in html
    chosen = ActivityReturnForm(initial={"implementation_status": "not_applicable", "revision": 0})
    shown = govuk_fields.govuk_radios(
        chosen["implementation_status"], reveal_on="not_applicable", revealed=reason
    )
    assert '<div class="govuk-radios__conditional" id="conditional_implementation_status_6">' in shown
    # With nothing to reveal, or no such choice, the radios are the plain ones.
    plain = govuk_fields.govuk_radios(form["implementation_status"])
    assert "data-module" not in plain and "conditional" not in plain
    assert (
        govuk_fields.govuk_radios(form["implementation_status"], reveal_on="bogus", revealed=reason) == plain
    )
