"""The activity form's fast fields against crispy-forms-gds, the library they replaced.

Until commit 31942e3 the activity page rendered its form with `{% crispy form %}` and the
crispy-forms-gds layout below (recovered from that commit's parent); assessments/markup/govuk_fields.py
now writes the fields by hand. Each test renders the service's own forms (ActivityReturnForm and
EvidenceReferenceFormSet) both ways, in every state a field can be in (unbound, unbound with stored
answers, bound with what was typed, with one error, with two errors), and compares the HTML with
tests/assessments/markup/html_oracle.py. An upgrade of crispy-forms-gds or django-crispy-forms that
changes the markup therefore fails here, and so does a change to the fast path that the library would
not make. The reason for "Not applicable" is a GOV.UK conditional reveal under that radio, compared
with crispy-forms-gds's ConditionalRadios and ConditionalQuestion (`conditional_status`, below). That
layout takes no legend options, so `WithLegend` gives its template the `legend_size` and `legend_tag`
that Field.radios would, in the context of the radios alone.

Where the fast path writes something the library does not, the difference is listed here with its
reason, and `in_the_fast_paths_terms` rewrites the library's markup accordingly before comparing; the
test `test_every_listed_difference_is_still_there` keeps this list honest. The first seven are
GOV.UK Frontend's own markup (the project vendors GOV.UK Frontend 6.6), which the fast path follows
where crispy-forms-gds 2.0.1 still writes that of an older release, and each is pinned by an assertion
in test_govuk_fields.py or by the error summary, browser and keyboard tests:

1. hint ids end `-hint`, where the library writes `_hint` (fields and each radio's hint);
2. error message ids are `<id>-error`, `<id>-error-2`, ..., where the library writes `<id>_1_error`,
   `<id>_2_error`, ...;
3. an error message is a `<p class="govuk-error-message">`, where the library writes a `<span>`;
4. a radio's hint is a `<div class="govuk-hint govuk-radios__hint">`, where the library writes a
   `<span>`;
5. a textarea with an error has `govuk-textarea--error`, where the library gives it the text input's
   `govuk-input--error`;
6. a date input's fieldset has `role="group"`;
7. each day, month and year input has `inputmode="numeric"` (the numeric keypad on phones);
8. a character-counted textarea has no `maxlength`: the library's comes from Django's CharField, but
   GOV.UK Frontend's character count script removes it when it starts, and without the script it
   would cut pasted text off at the limit silently, where the server says "must be 2000 characters
   or fewer" instead. The GOV.UK Design System advises against the hard limit.

The library's conditional radios differ from GOV.UK Frontend 6 in three more ways, where the fast
path follows Frontend (tests/browser/test_conditional_reveal.py and test_govuk_fields.py pin them):

9. the radio that reveals a question has `data-aria-controls`, which Frontend 6's radios script
   turns into `aria-controls` when it starts; the library writes `aria-controls`, and on every
   radio, even those that reveal nothing, pointing at ids no element has (Frontend 6 refuses a
   `data-aria-controls` whose target is missing, and would not start the radios at all);
10. radios number from 1 (`id_<name>_1`, and `conditional_<name>_6` under the sixth), as the
    library's plain radios do; its ConditionalQuestion numbers them from 0 (it uses the choice's
    position in a list), which would move every id the error summary and the keyboard tests use;
11. the conditional is `govuk-radios__conditional--hidden` only while its radio is not chosen, as
    Frontend's template writes it, so a chosen "Not applicable" (and the error for a missing reason)
    shows open before the script starts; the library always writes the class.

The library is rendered with the CSRF token turned off (the page's own `{% csrf_token %}` is outside
these fields).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import crispy_forms_gds
import pytest
from crispy_forms.layout import LayoutObject
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    ConditionalQuestion,
    ConditionalRadios,
    Field,
    Fieldset,
    Fluid,
    Layout,
    Size,
)
from django import forms
from django.http import QueryDict
from django.template import engines
from django.utils.safestring import SafeString

from assessments import rules
from assessments.forms import (
    STATUS_CHOICES,
    ActivityReturnForm,
    EvidenceReferenceForm,
    EvidenceReferenceFormSet,
)
from assessments.markup import govuk_fields
from tests.assessments.markup.html_oracle import (
    End,
    Start,
    Token,
    differences,
    parse,
    settle_spaces,
)

NASTY = "<script>alert(\"x\")</script> & 'quoted'"
SECOND = "A second problem with <b>this</b> & 'that'"

# --- the library, as the project configured it before the fast path ---------------------------------

LIBRARY = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form helper %}")


def library_helper(*layout: LayoutObject) -> FormHelper:
    """A GDS FormHelper like the project's: no form tag (the page writes it), the given layout."""
    helper = FormHelper()
    helper.template_pack = "gds"
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*layout)
    return helper


def reason_field() -> LayoutObject:
    return Field.textarea("not_applicable_reason", rows=3, max_characters=rules.REASON_MAX)


class WithLegend(LayoutObject):  # type: ignore[misc]
    """A layout object rendered with the legend options Field.radios has, as a medium h2 legend."""

    def __init__(self, inner: LayoutObject) -> None:
        self.inner = inner

    def render(self, form, context, template_pack="gds", **kwargs):
        # Not `with context.push()`: ConditionalRadios pushes a layer of its own and leaves it there.
        legend = context.update({"legend_size": Size.for_legend(Size.MEDIUM), "legend_tag": "h2"})
        try:
            return self.inner.render(form, context, template_pack=template_pack, **kwargs)
        finally:
            context.dicts = [layer for layer in context.dicts if layer is not legend]


def conditional_status() -> LayoutObject:
    """The status radios with the reason revealed under "Not applicable", in the library's layout.

    ConditionalQuestion names a choice by its label; every other choice is given by its label alone.
    """
    return WithLegend(
        ConditionalRadios(
            "implementation_status",
            *(
                ConditionalQuestion(choice[1], reason_field())
                if choice[0] == ActivityReturnForm.reason_status
                else choice[1]
                for choice in STATUS_CHOICES
            ),
        )
    )


# ActivityReturnForm's layout at 31942e3^ (assessments/forms.py), one layout object per field, but
# with the status radios revealing the reason, as the page now asks it. The reason's own entry is the
# textarea alone, as it sits inside the conditional; the whole form leaves it out (PAGE_LAYOUT).
ACTIVITY_LAYOUT: dict[str, Callable[[], LayoutObject]] = {
    "implementation_status": conditional_status,
    "not_applicable_reason": reason_field,
    "evidence_summary": lambda: Field.textarea(
        "evidence_summary", rows=6, max_characters=rules.EVIDENCE_SUMMARY_MAX
    ),
    "next_steps": lambda: Field.textarea("next_steps", rows=4, max_characters=rules.NEXT_STEPS_MAX),
    "action_owner": lambda: Field.text("action_owner", field_width=Fluid.TWO_THIRDS),
    "target_date": lambda: Field("target_date"),
    "revision": lambda: Field("revision"),
}
# EvidenceReferenceForm's fields at 31942e3^, inside a Fieldset (reference_layout, below).
REFERENCE_LAYOUT: dict[str, Callable[[], LayoutObject]] = {
    "title": lambda: Field.text("title", field_width=Fluid.TWO_THIRDS),
    "location": lambda: Field.text("location", field_width=Fluid.TWO_THIRDS),
    "applies_on": lambda: Field("applies_on"),
    "remove": lambda: Field.checkbox("remove", small=True),
}


def reference_layout(form: forms.Form) -> LayoutObject:
    """One evidence reference as the library laid it out: its fields in a small-legend fieldset."""
    return Fieldset(
        *(make() for make in REFERENCE_LAYOUT.values()),
        legend=f"Evidence reference {form.position}",
        legend_size=Size.SMALL,
    )


def library_field(form: forms.Form, name: str) -> str:
    """One field of a form as crispy-forms-gds renders it with the project's old layout object."""
    layout = {**ACTIVITY_LAYOUT, **REFERENCE_LAYOUT}[name]
    return LIBRARY.render({"form": form, "helper": library_helper(layout())})


# --- the fast path, called as the templates call it --------------------------------------------------


def fast_reason(field: forms.BoundField) -> SafeString:
    return govuk_fields.govuk_textarea(field, rows=3, maxlength=ActivityReturnForm.reason_max)


def fast_status(field: forms.BoundField) -> SafeString:
    """The status radios as _activity_form_fields.html writes them, the reason revealed under one."""
    return govuk_fields.govuk_radios(
        field,
        reveal_on=ActivityReturnForm.reason_status,
        revealed=fast_reason(field.form["not_applicable_reason"]),
    )


FAST: dict[str, Callable[[forms.BoundField], SafeString]] = {
    "implementation_status": fast_status,
    "not_applicable_reason": fast_reason,
    "evidence_summary": lambda field: govuk_fields.govuk_textarea(
        field, rows=6, maxlength=ActivityReturnForm.evidence_max
    ),
    "next_steps": lambda field: govuk_fields.govuk_textarea(
        field, rows=4, maxlength=ActivityReturnForm.next_steps_max
    ),
    "action_owner": lambda field: govuk_fields.govuk_input(field, maxlength=ActivityReturnForm.owner_max),
    "target_date": govuk_fields.govuk_date,
    "revision": govuk_fields.hidden_input,
    "title": lambda field: govuk_fields.govuk_input(field, maxlength=EvidenceReferenceForm.title_max),
    "location": lambda field: govuk_fields.govuk_input(field, maxlength=EvidenceReferenceForm.location_max),
    "applies_on": govuk_fields.govuk_date,
    "remove": govuk_fields.govuk_checkbox,
}


# --- the listed differences (module docstring), applied to the library's markup ----------------------

HINT_ID = re.compile(r"^(?P<id>.+)_hint$")
ERROR_ID = re.compile(r"^(?P<id>.+)_(?P<n>\d+)_error$")
ID_ATTRIBUTES = ("id", "for", "aria-describedby")
LISTED = {
    "1 hint ids",
    "2 error ids",
    "3 error message element",
    "4 radio hint element",
    "5 textarea error class",
    "6 date fieldset role",
    "7 date inputmode",
    "8 character count maxlength",
    "9 data-aria-controls",
    "10 conditional radios numbered from 1",
    "11 conditional hidden only when not chosen",
}
CONDITIONAL_NUMBERED = re.compile(r"^(?P<kind>id|conditional)_(?P<name>.+)_(?P<n>\d+)(?P<hint>_hint)?$")
NUMBERED_ATTRIBUTES = ("id", "for", "aria-describedby", "data-aria-controls")


def _fast_id(library_id: str, fired: set[str]) -> str:
    if match := HINT_ID.match(library_id):
        fired.add("1 hint ids")
        return f"{match['id']}-hint"
    if match := ERROR_ID.match(library_id):
        fired.add("2 error ids")
        number = int(match["n"])
        return f"{match['id']}-error" if number == 1 else f"{match['id']}-error-{number}"
    return library_id


def _rewrite(token: Start, fired: set[str]) -> None:
    """Make the listed differences in one of the library's tags (all but the date fieldset's role)."""
    for name in ID_ATTRIBUTES:
        if name in token.attrs:
            token.attrs[name] = " ".join(_fast_id(part, fired) for part in token.attrs[name].split())
    classes = token.classes()
    if token.tag == "span" and "govuk-error-message" in classes:
        fired.add("3 error message element")
        token.tag = "p"
    elif token.tag == "span" and "govuk-radios__hint" in classes:
        fired.add("4 radio hint element")
        token.tag = "div"
    elif token.tag == "textarea":
        if "govuk-input--error" in classes:
            fired.add("5 textarea error class")
            classes = classes - {"govuk-input--error"} | {"govuk-textarea--error"}
            token.attrs["class"] = " ".join(sorted(classes))
        if "govuk-js-character-count" in classes and token.attrs.pop("maxlength", None) is not None:
            fired.add("8 character count maxlength")
    elif token.tag == "input" and "govuk-date-input__input" in classes:
        fired.add("7 date inputmode")
        token.attrs["inputmode"] = "numeric"


def _conditional_radios_in_fast_terms(parsed: list[Token], fired: set[str]) -> list[Token]:
    """Differences 9 to 11: the library's conditional radios as GOV.UK Frontend 6 writes them.

    Its conditional radios are the ones with `aria-controls` on their inputs (every one has it).
    """
    starts = [token for token in parsed if isinstance(token, Start)]
    radios = [token for token in starts if token.tag == "input" and token.attrs.get("type") == "radio"]
    names = {radio.attrs["name"] for radio in radios if "aria-controls" in radio.attrs}
    conditionals = {t.attrs["id"] for t in starts if "govuk-radios__conditional" in t.classes()}
    shown = {radio.attrs.get("aria-controls") for radio in radios if "checked" in radio.attrs}

    def renumbered(library_id: str) -> str:
        match = CONDITIONAL_NUMBERED.match(library_id)
        if not match or match["name"] not in names:
            return library_id
        fired.add("10 conditional radios numbered from 1")
        return f"{match['kind']}_{match['name']}_{int(match['n']) + 1}{match['hint'] or ''}"

    for token in starts:
        if "govuk-radios__conditional" in token.classes() and token.attrs["id"] in shown:
            fired.add("11 conditional hidden only when not chosen")
            token.attrs["class"] = " ".join(sorted(token.classes() - {"govuk-radios__conditional--hidden"}))
        is_radio = token.tag == "input" and token.attrs.get("type") == "radio"
        if is_radio and token.attrs.get("name") in names:
            fired.add("9 data-aria-controls")
            target = token.attrs.pop("aria-controls")
            if target in conditionals:
                token.attrs["data-aria-controls"] = target
        for attribute in NUMBERED_ATTRIBUTES:
            if attribute in token.attrs:
                token.attrs[attribute] = " ".join(renumbered(part) for part in token.attrs[attribute].split())
    return parsed


def in_the_fast_paths_terms(html: str) -> tuple[list[Token], set[str]]:
    """The library's markup with the listed differences made, and which of them it needed."""
    fired: set[str] = set()
    result: list[Token] = []
    spans: list[str] = []  # what each open <span> became, to close it the same way
    fieldset: Start | None = None
    for token in _conditional_radios_in_fast_terms(parse(html), fired):
        if isinstance(token, Start):
            was_span = token.tag == "span"
            _rewrite(token, fired)
            if was_span:
                spans.append(token.tag)
            if token.tag == "fieldset":
                fieldset = token
            if token.tag == "div" and "govuk-date-input" in token.classes() and fieldset is not None:
                fired.add("6 date fieldset role")
                fieldset.attrs["role"] = "group"
        elif isinstance(token, End) and token.tag == "span":
            token = End(spans.pop())
        result.append(token)
    # White space is settled after the renaming: a <span> is phrasing, the <p> and <div> it becomes are not.
    return settle_spaces(result), fired


def library_differences(library_html: str, fast_html: str) -> list[str]:
    """How the fast path's markup differs from the library's, once the listed differences are made."""
    expected, _ = in_the_fast_paths_terms(library_html)
    return differences(expected, fast_html)


# --- the states a field can be in ---------------------------------------------------------------------


def posted(data: dict[str, str]) -> QueryDict:
    query = QueryDict(mutable=True)
    query.update(data)
    return query


def with_second_errors(form: forms.Form) -> forms.Form:
    """Each field's one error, and a second (with markup in it) added as a view or clean() would."""
    for name in form.fields:
        assert len(form.errors.get(name, ())) == 1, (name, form.errors)
        form.add_error(name, SECOND)
    return form


def activity_form(state: str) -> ActivityReturnForm:
    """A fresh ActivityReturnForm in one state (the library changes a form's widgets as it renders)."""
    if state == "unbound":
        return ActivityReturnForm(initial={"revision": 0})
    if state == "stored answers":
        return ActivityReturnForm(
            initial={
                "implementation_status": "not_applicable",
                "not_applicable_reason": NASTY,
                "evidence_summary": f"{NASTY}\n  indented line",
                "next_steps": "Train staff",
                "action_owner": NASTY,
                "target_date": datetime.date(2027, 3, 5),
                "revision": 3,
            }
        )
    if state == "typed":
        form = ActivityReturnForm(
            posted(
                {
                    "implementation_status": "planned",
                    "not_applicable_reason": "",
                    "evidence_summary": f"\n{NASTY}\r\n  second line",
                    "next_steps": "Train staff",
                    "action_owner": NASTY,
                    "target_date_0": "05",
                    "target_date_1": "3",
                    "target_date_2": "2027",
                    "revision": "4",
                }
            ),
            complete=False,
        )
        assert form.is_valid(), form.errors
        return form
    if state == "reason missing":
        # The GOV.UK error for a conditional question: its radio chosen, the question open with its error.
        form = ActivityReturnForm(
            posted({"implementation_status": "not_applicable", "not_applicable_reason": " ", "revision": "4"})
        )
        assert not form.is_valid()
        assert form.errors == {"not_applicable_reason": [rules.REASON_REQUIRED]}
        return form
    form = ActivityReturnForm(
        posted(
            {
                "implementation_status": "bogus",
                "not_applicable_reason": "r" * (rules.REASON_MAX + 1),
                "evidence_summary": NASTY * 100,
                "next_steps": "n" * (rules.NEXT_STEPS_MAX + 1),
                "action_owner": "o" * (rules.OWNER_MAX + 1),
                "target_date_0": "31",
                "target_date_1": "2",
                "target_date_2": "2027",
                "revision": '"><script>',
            }
        ),
        complete=False,
    )
    assert not form.is_valid()
    if state == "one error":
        assert all(len(form.errors[name]) == 1 for name in form.fields), form.errors
        return form
    assert state == "two errors"
    return with_second_errors(form)


def reference_form(state: str) -> EvidenceReferenceForm:
    """A fresh first evidence reference (prefix ref-0) in one state."""
    if state == "unbound":
        return EvidenceReferenceFormSet(prefix="ref").forms[0]
    if state == "stored answers":
        stored = {"title": NASTY, "location": "Shared drive", "applies_on": datetime.date(2026, 3, 31)}
        return EvidenceReferenceFormSet(prefix="ref", initial=[stored]).forms[0]
    management = {"ref-TOTAL_FORMS": "1", "ref-INITIAL_FORMS": "0"}
    if state == "typed":
        formset = EvidenceReferenceFormSet(
            posted(
                {
                    **management,
                    "ref-0-title": NASTY,
                    "ref-0-location": "Shared drive",
                    "ref-0-applies_on_0": "31",
                    "ref-0-applies_on_1": "3",
                    "ref-0-applies_on_2": "2026",
                    "ref-0-remove": "on",
                }
            ),
            prefix="ref",
        )
        assert formset.is_valid(), formset.errors
        return formset.forms[0]
    formset = EvidenceReferenceFormSet(
        posted(
            {
                **management,
                "ref-0-title": "t" * (rules.REFERENCE_TITLE_MAX + 1),
                "ref-0-location": "l" * (rules.REFERENCE_LOCATION_MAX + 1),
                "ref-0-applies_on_0": '"><b>',
                "ref-0-applies_on_1": "3",
                "ref-0-applies_on_2": "2026",
            }
        ),
        prefix="ref",
    )
    assert not formset.is_valid()
    form = formset.forms[0]
    # Nothing in the service puts an error on the checkbox; one is added so its error markup is compared.
    form.add_error("remove", NASTY)
    if state == "one error":
        return form
    assert state == "two errors"
    return with_second_errors(form)


STATES = ["unbound", "stored answers", "typed", "one error", "two errors"]
# The activity form's states: the reveal has one more, the reason missing under a chosen "Not applicable".
ACTIVITY_STATES = [*STATES, "reason missing"]
KINDS = {
    # field: (form, what kind of field it is)
    "implementation_status": (activity_form, "radios, a hint on each"),
    "not_applicable_reason": (activity_form, "textarea with hint and character count"),
    "evidence_summary": (activity_form, "textarea with hint and character count"),
    "next_steps": (activity_form, "textarea with hint and character count"),
    "action_owner": (activity_form, "text input with hint"),
    "target_date": (activity_form, "date input with hint"),
    "revision": (activity_form, "hidden input"),
    "title": (reference_form, "text input without hint"),
    "location": (reference_form, "text input with hint"),
    "applies_on": (reference_form, "date input with hint"),
    "remove": (reference_form, "small checkbox"),
}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", list(KINDS))
def test_each_field_is_what_the_library_writes(name, state):
    make_form, _kind = KINDS[name]
    library = library_field(make_form(state), name)
    fast = FAST[name](make_form(state)[name])
    assert library_differences(library, fast) == []


@pytest.mark.parametrize("state", ["stored answers", "reason missing"])
def test_the_revealed_reason_is_what_the_library_writes(state):
    library = library_field(activity_form(state), "implementation_status")
    fast = fast_status(activity_form(state)["implementation_status"])
    assert library_differences(library, fast) == []
    # Shown open: "Not applicable" is chosen (and, with the error, the summary's link lands inside).
    assert "govuk-radios__conditional--hidden" not in fast
    assert "govuk-radios__conditional--hidden" in library


@pytest.mark.parametrize("state", STATES)
def test_radios_without_a_reveal_are_what_the_library_writes(state):
    """govuk_radios with nothing to reveal is still the library's plain Field.radios."""
    helper = library_helper(Field.radios("implementation_status", legend_size=Size.MEDIUM, legend_tag="h2"))
    library = LIBRARY.render({"form": activity_form(state), "helper": helper})
    fast = govuk_fields.govuk_radios(activity_form(state)["implementation_status"])
    assert library_differences(library, fast) == []


# --- whole forms, through the page's own templates ----------------------------------------------------

LIBRARY_FORM = engines["django"].from_string(
    # templates/assessments/activity_return.html before 31942e3, without the text between the fields.
    "{% load crispy_forms_tags %}{% crispy form form_helper %}{{ references.management_form }}"
    "{% for ref_form, helper in reference_helpers %}{% crispy ref_form helper %}{% endfor %}"
)
FAST_FORM = engines["django"].from_string(
    # templates/assessments/activity_return.html now, without the text between the fields.
    '{% load govuk_fields %}{% include "assessments/_activity_form_fields.html" %}'
    "{{ references.management_form|hidden_inputs }}"
    "{% for ref_form in references %}{% include 'assessments/_evidence_reference_fields.html' with "
    'legend="Evidence reference "|add:ref_form.position %}{% endfor %}'
)


def references(state: str) -> forms.BaseFormSet:
    """Two references: one stored, and the empty one the page adds, or one posted in the given state."""
    if state in ("unbound", "stored answers", "reason missing"):
        stored = [{"title": "Policy", "location": "Shared drive", "applies_on": datetime.date(2026, 3, 31)}]
        return EvidenceReferenceFormSet(prefix="ref", initial=stored)
    formset = EvidenceReferenceFormSet(prefix="ref")
    formset.forms[0] = reference_form(state)
    return formset


def library_form(state: str) -> str:
    form, refs = activity_form(state), references(state)
    return LIBRARY_FORM.render(
        {
            "form": form,
            "form_helper": library_helper(
                *(make() for name, make in ACTIVITY_LAYOUT.items() if name != "not_applicable_reason")
            ),
            "references": refs,
            "reference_helpers": [(ref, library_helper(reference_layout(ref))) for ref in refs],
        }
    )


def fast_form(state: str) -> str:
    return FAST_FORM.render({"form": activity_form(state), "references": references(state)})


@pytest.mark.parametrize("state", ACTIVITY_STATES)
def test_the_whole_form_is_what_the_library_writes(state):
    assert library_differences(library_form(state), fast_form(state)) == []


def test_every_listed_difference_is_still_there():
    """If the library comes to write one of them as the fast path does, strike it from the list."""
    fired: set[str] = set()
    for state in ("two errors", "reason missing"):
        fired |= in_the_fast_paths_terms(library_form(state))[1]
    assert fired == LISTED


# --- the comparison itself ----------------------------------------------------------------------------


def test_a_difference_in_the_fast_path_is_reported():
    library = library_field(activity_form("one error"), "action_owner")
    fast = str(FAST["action_owner"](activity_form("one error")["action_owner"]))
    assert library_differences(library, fast) == []
    for changed in (
        fast.replace("govuk-input--error", "govuk-input--erorr"),  # a class
        fast.replace(' aria-invalid="true"', ""),  # an attribute
        fast.replace("Error:", "Problem:"),  # text
        fast.replace("<label", "<span").replace("</label>", "</span>"),  # an element
        fast.replace('class="govuk-hint">', 'class="govuk-hint" hidden>'),  # a boolean attribute
    ):
        assert changed != fast
        assert library_differences(library, changed) != []


@pytest.fixture
def changed_library(settings):
    """crispy-forms-gds as if an upgrade had changed one of its templates: the hint's markup."""
    templates = Path(crispy_forms_gds.__file__).parent / "templates"
    original = (templates / "gds/layout/help_text.html").read_text()
    changed = original.replace('class="govuk-hint"', 'class="govuk-hint govuk-!-margin-bottom-2"')
    assert changed != original
    backend = {**settings.TEMPLATES[0], "APP_DIRS": False}
    backend["OPTIONS"] = {
        **backend["OPTIONS"],
        "loaders": [
            ("django.template.loaders.locmem.Loader", {"gds/layout/help_text.html": changed}),
            "django.template.loaders.filesystem.Loader",
            "django.template.loaders.app_directories.Loader",
        ],
    }
    settings.TEMPLATES = [backend]
    return changed


def test_a_change_in_the_library_fails_the_comparison(changed_library):
    library_template = engines["django"].from_string("{% load crispy_forms_tags %}{% crispy form helper %}")
    form = activity_form("typed")
    library = library_template.render(
        {"form": form, "helper": library_helper(ACTIVITY_LAYOUT["action_owner"]())}
    )
    assert "govuk-!-margin-bottom-2" in library
    fast = FAST["action_owner"](activity_form("typed")["action_owner"])
    assert library_differences(library, fast) != []
