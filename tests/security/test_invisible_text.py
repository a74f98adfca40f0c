"""Bidi controls and other invisible format characters are removed from every free-text input."""

from __future__ import annotations

import pytest

from actionplan.resources import ActivityResource
from assessments.forms import ActivityReturnForm, ReopenForm, ReviewForm
from assessments.spreadsheets.offline import clean_text
from spreadsheet_safety import without_invisible_formatting

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
HOSTILE = f"Com\u202eetelpm\u202c done\ufeff{BIDI}"
CLEAN = "Cometelpm done"


@pytest.mark.parametrize("character", [*BIDI, "\ufeff", "\u00ad", "\u2060"])
def test_every_bidi_control_and_invisible_format_character_is_removed(character):
    assert without_invisible_formatting(f"a{character}b") == "ab"


def test_the_joiners_ordinary_text_needs_are_kept():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    assert without_invisible_formatting(family) == family
    assert without_invisible_formatting(persian) == persian


def test_the_activity_form():
    form = ActivityReturnForm(
        data={"implementation_status": "implemented", "evidence_summary": HOSTILE, "revision": "0"}
    )
    form.is_valid()
    assert form.cleaned_data["evidence_summary"] == CLEAN


def test_the_review_comments():
    form = ReviewForm(
        data={"overall_comment": HOSTILE, "changes_LG01": "on", "comment_LG01": HOSTILE}, codes=["LG01"]
    )
    form.is_valid()
    assert form.cleaned_data["overall_comment"] == CLEAN
    assert form.activity_comments() == {"LG01": CLEAN}
    reopen = ReopenForm(data={"reason": HOSTILE, "events_seen": "0"})
    assert reopen.is_valid()
    assert reopen.cleaned_data["reason"] == CLEAN


def test_the_spreadsheet_upload():
    assert clean_text(HOSTILE) == CLEAN


def test_the_plan_import():
    row = {"code": "LG01", "title": HOSTILE, "area": 1}
    ActivityResource().before_import_row(row)
    assert row["title"] == CLEAN
