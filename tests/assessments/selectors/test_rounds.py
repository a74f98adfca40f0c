"""The one round picker: which rounds a page offers, and what a ?round= parameter may pick."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from assessments.models import ReportPack
from assessments.selectors.rounds import MAX_ROUND_ID, round_choice, round_id_from
from assessments.services import round_open
from tests.factories import verified_staff_login

# Texts that str.isdigit() (or int()) might take for a number, and other things a URL can carry.
NOT_A_ROUND = [
    "",
    " ",
    "abc",
    "²",  # a superscript: isdigit() says yes, int() refuses
    "①",  # a circled digit: the same
    "٣",  # an Arabic-Indic three: int() would read it as 3
    "１",  # a full-width one
    "-1",
    "+1",
    "1.0",
    " 1",
    "1 ",
    "0",
    "00",
    "\x00",
    "1\x00",
    "1 OR 1=1",
    str(MAX_ROUND_ID + 1),
    "9" * 20,
    "9" * 5000,  # more digits than Python's int() will convert
]


@pytest.mark.parametrize("value", NOT_A_ROUND)
def test_text_that_is_not_a_plain_number_in_range_names_no_round(value):
    assert round_id_from(value) is None


@pytest.mark.parametrize(
    ("value", "number"), [("1", 1), ("42", 42), ("0042", 42), (str(MAX_ROUND_ID), MAX_ROUND_ID)]
)
def test_ascii_digits_in_range_name_a_round(value, number):
    assert round_id_from(value) == number


@pytest.mark.parametrize("value", [None, 3, 3.0, b"3", ["3"]])
def test_anything_but_text_names_no_round(value):
    assert round_id_from(value) is None


@given(st.text())
def test_any_text_gives_a_round_id_in_range_or_none(value):
    number = round_id_from(value)
    assert number is None or (0 < number <= MAX_ROUND_ID and value.isascii() and value.isdigit())


@pytest.fixture
def rounds(world, action_plan, open_round):
    """An older closed round and the open one."""
    older = round_open(
        name="2025-26 review",
        plan=action_plan,
        opens_on=datetime.date(2025, 10, 1),
        due_on=datetime.date(2025, 12, 31),
        opened_by=world.national,
    ).round
    older.is_open = False
    older.save()
    return older, open_round


def test_the_choice_offers_every_round_newest_first_in_one_query(rounds, django_assert_num_queries):
    older, current = rounds
    with django_assert_num_queries(1):
        choice = round_choice(str(older.pk))
        assert choice.rounds[0].plan.pk  # the plan comes with the round
    assert choice.rounds == [current, older]
    assert (choice.asked, choice.requested, choice.newest, choice.current) == (True, older, current, current)


def test_a_blank_or_unknown_parameter_requests_nothing(rounds):
    older, current = rounds
    assert round_choice(None).asked is False and round_choice("").asked is False
    assert round_choice(None).requested is None
    unknown = round_choice("999999")
    assert (unknown.asked, unknown.requested) == (True, None)


def test_the_current_round_is_the_newest_open_one_else_the_newest(rounds):
    older, current = rounds
    current.is_open = False
    current.save()
    older.is_open = True
    older.save()
    assert round_choice().current == older
    older.is_open = False
    older.save()
    assert round_choice().current == current


@pytest.mark.parametrize("value", NOT_A_ROUND[2:])
def test_bad_round_parameters_fall_back_on_the_overviews_and_404_on_the_reports(client, world, rounds, value):
    """Never a server error: the overviews show the current round, the reports answer 404."""
    _older, current = rounds
    verified_staff_login(client, world.national)
    if "\x00" in value:
        # A NUL anywhere in a querystring is answered before any view by ops/bad_input.py (issue 21):
        # a clear 400 page on every address, still never a server error. In a form body it reaches the
        # round picker, which names no round: 404.
        for address in (reverse("assessments:national_overview"), reverse("assessments:national_report")):
            assert client.get(address, {"round": value}).status_code == 400
        assert client.post(reverse("assessments:national_report_pack"), {"round": value}).status_code == 404
        assert not ReportPack.objects.exists()
        return
    overview = client.get(reverse("assessments:national_overview"), {"round": value})
    assert overview.status_code == 200 and overview.context["overview"].round == current
    region = client.get(
        reverse("assessments:region_overview", kwargs={"region_slug": world.home_region.slug}),
        {"round": value},
    )
    assert region.status_code == 200
    for name, kwargs in (
        ("assessments:national_report", {}),
        ("assessments:national_report_pdf", {}),
        ("assessments:regional_report", {"region_slug": world.home_region.slug}),
        ("assessments:regional_report_pdf", {"region_slug": world.home_region.slug}),
    ):
        assert client.get(reverse(name, kwargs=kwargs), {"round": value}).status_code == 404, name
    assert client.post(reverse("assessments:national_report_pack"), {"round": value}).status_code == 404
    assert not ReportPack.objects.exists()


def test_the_reports_default_to_the_newest_round_and_offer_every_round(client, world, rounds):
    older, current = rounds
    verified_staff_login(client, world.national)
    response = client.get(reverse("assessments:national_report"))
    assert response.status_code == 200
    assert response.context["report"].round_id == current.pk
    assert list(response.context["rounds"]) == [current, older]
    chosen = client.get(reverse("assessments:national_report"), {"round": str(older.pk)})
    assert chosen.context["report"].round_id == older.pk
