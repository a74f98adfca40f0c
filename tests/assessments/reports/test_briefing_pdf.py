"""The force PDF as a briefing, read back with pypdf, for forces of the generated national data set.

One generated world (44 forces, eight signed-off rounds and an open one) serves every check, as
building it takes a while.
"""

from __future__ import annotations

import re

import pytest

from assessments.generator import generate_national_data
from assessments.models import Assessment, AssessmentSnapshot, Force
from assessments.reports.data import force_report_data
from assessments.reports.rendering import force_report_pdf
from tests.assessments.reports.pdfcheck import page_texts


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def latest_signed_off(force: Force) -> tuple[Assessment, AssessmentSnapshot]:
    snapshot = (
        AssessmentSnapshot.objects.filter(assessment__force=force)
        .select_related("assessment__round", "assessment__force__region")
        .order_by("-assessment__round__opens_on", "-version")
        .first()
    )
    assert snapshot is not None
    return snapshot.assessment, snapshot


@pytest.mark.django_db
def test_the_force_pdf_briefs_chief_officers_names_no_other_force_and_withholds_small_groups():
    data = generate_national_data(seed=11, forces=None, past_rounds=8)
    assert len(data.rounds) == 9
    force = Force.objects.select_related("region").get(region__name="Eastern", name__startswith="Essex")
    assessment, snapshot = latest_signed_off(force)
    report = force_report_data(assessment=assessment, snapshot=snapshot)
    assert report.briefing is not None
    assert len(report.briefing.trend.points) == 8
    texts = [flat(text) for text in page_texts(force_report_pdf(report))]
    whole = " ".join(texts)

    # Key messages on the first page after the cover (and its contents list), with the status table.
    assert report.briefing.key_messages and 1 <= len(report.briefing.key_messages) <= 6
    first = next(i for i, text in enumerate(texts) if flat(report.briefing.key_messages[0]) in text)
    assert all("Contents" in text or "...." in text for text in texts[:first])
    assert "Key messages" in texts[first] and "Status by process area" in texts[first]

    # The trend table: every signed-off round.
    assert "Trend over every signed-off round" in whole
    for point in report.briefing.trend.points:
        assert point.round_name in whole

    # The benchmark, Eastern having seven forces.
    assert f"How {force.name} compares" in whole
    for area in report.briefing.benchmark.areas:
        assert area.region.shown and area.nation.shown
        assert flat(area.nation.distribution.summary) in whole

    others = Force.objects.exclude(pk=force.pk).values_list("name", flat=True)
    named = [name for name in others if name in whole]
    assert not named, f"the PDF names other forces: {named}"

    # A small region (London, three forces): withheld with its reason, the nation still shown.
    london = Force.objects.select_related("region").filter(region__name="London").order_by("name").first()
    assert london is not None
    draft = Assessment.objects.select_related("round", "force__region").get(force=london, round__is_open=True)
    report = force_report_data(assessment=draft)
    whole = flat(" ".join(page_texts(force_report_pdf(report))))
    assert "Not shown: London has 3 forces. A region is compared only when it has at least 5" in whole
    assert "England and Wales" in whole and "Median" in whole
    others = Force.objects.exclude(pk=london.pk).values_list("name", flat=True)
    assert not [name for name in others if name in whole]
