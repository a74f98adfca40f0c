"""Hypothesis drives every form with arbitrary text, control characters, huge strings and bad dates.

Whatever is posted, the answer is never a server error; when the input is refused (the form comes back,
200, or the request is refused outright, 4xx), nothing stored has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.spreadsheets import exports
from tests.conftest import form_post
from tests.security.helpers import OWN, fingerprint, rolled_back, sign_in

FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)

any_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=200)
control_text = st.text(
    alphabet=st.characters(min_codepoint=0, max_codepoint=31) | st.just("\x7f"), max_size=40
)
huge_text = st.builds(
    lambda seed, times: (seed or "x") * times, st.text(max_size=3), st.integers(2_000, 60_000)
)
nasty = st.sampled_from(
    [
        "",
        "\x00",
        "a\x00b",
        "<script>alert(1)</script>",
        '=HYPERLINK("http://example.invalid")',
        "' OR 1=1 --",
        "\u202egnp.exe",
        "\ufeff",
        "𝕏" * 3000,
        "../../etc/passwd",
        "%s%s%n",
    ]
)
text = st.one_of(any_text, control_text, huge_text, nasty)
date_part = st.one_of(
    st.integers(-(10**12), 10**12).map(str),
    st.sampled_from(
        ["", "0", "00", "29", "31", "32", "13", "-1", "1e3", "٣", "2O27", " 7 ", "9999999999999"]
    ),
    any_text,
)


def _fuzz_posts(
    client: Client, url: str, bodies: st.SearchStrategy[dict[str, Any]], *, accepted: Callable[[Any], bool]
) -> None:
    """Post each generated body in a savepoint: never a 5xx, and nothing changes unless it was accepted."""

    @FUZZ
    @given(body=bodies)
    def run(body: dict[str, Any]) -> None:
        with rolled_back():
            before = fingerprint()
            response = client.post(url, body)
            assert response.status_code < 500
            if not accepted(response):
                assert fingerprint() == before, f"refused with {response.status_code} but data changed"

    run()


def _redirect(response: Any) -> bool:
    return response.status_code == 302


def test_the_activity_form_and_evidence_references(make_scene):
    scene = make_scene("draft")
    client = Client()
    sign_in(client, scene.world.spoc)
    url = reverse("assessments:activity", kwargs={"assessment_id": scene.assessment(OWN).pk, "code": "LG01"})
    reference = st.fixed_dictionaries(
        {"title": text, "location": text, "d": date_part, "m": date_part, "y": date_part, "remove": text}
    )
    bodies = st.builds(
        lambda fields, refs, total, action, revision: {
            **fields,
            "revision": revision,
            "action": action,
            "ref-TOTAL_FORMS": total,
            "ref-INITIAL_FORMS": "0",
            "ref-MIN_NUM_FORMS": "0",
            "ref-MAX_NUM_FORMS": "10",
            **{
                f"ref-{index}-{key}": value
                for index, ref in enumerate(refs)
                for key, value in {
                    "title": ref["title"],
                    "location": ref["location"],
                    "applies_on_0": ref["d"],
                    "applies_on_1": ref["m"],
                    "applies_on_2": ref["y"],
                    "remove": ref["remove"],
                }.items()
            },
        },
        st.fixed_dictionaries(
            {
                "implementation_status": st.one_of(
                    st.sampled_from(["implemented", "not_applicable", "planned", "in_progress", "embedded"]),
                    text,
                ),
                "not_applicable_reason": text,
                "evidence_summary": text,
                "next_steps": text,
                "action_owner": text,
                "target_date_0": date_part,
                "target_date_1": date_part,
                "target_date_2": date_part,
            }
        ),
        st.lists(reference, max_size=12),
        st.one_of(st.integers(-5, 10**6).map(str), text),
        st.one_of(st.sampled_from(["continue", "draft", "save"]), text),
        st.one_of(st.just("0"), st.integers(-(10**20), 10**20).map(str), text),
    )
    _fuzz_posts(client, url, bodies, accepted=_redirect)


def test_a_year_past_a_c_int_is_a_clear_error_not_a_500(make_scene):
    """Found by the fuzzer: datetime.date raised OverflowError (a 500) for such a year."""
    scene = make_scene("draft")
    client = Client(raise_request_exception=False)
    sign_in(client, scene.world.spoc)
    url = reverse("assessments:activity", kwargs={"assessment_id": scene.assessment(OWN).pk, "code": "LG01"})
    body = form_post({"implementation_status": "planned", "next_steps": "x", "action_owner": "y"}, revision=0)
    body.update(target_date_0="1", target_date_1="1", target_date_2=str(2**31))
    response = client.post(url, body)
    assert response.status_code == 200
    assert "Target date must be" in response.content.decode()


def test_the_submit_declaration(make_scene):
    scene = make_scene("complete")
    client = Client()
    sign_in(client, scene.world.spoc)
    url = reverse("assessments:submit", kwargs={"assessment_id": scene.assessment(OWN).pk})
    _fuzz_posts(client, url, st.fixed_dictionaries({"declaration": text}), accepted=_redirect)


def test_sign_in(world):
    bodies = st.fixed_dictionaries({"username": text, "password": text})
    _fuzz_posts(Client(), reverse("login"), bodies, accepted=lambda response: False)


def test_password_reset(world):
    # A reset request only queues an email (no stored change beyond the task), so nothing may change.
    _fuzz_posts(
        Client(), reverse("password_reset"), st.fixed_dictionaries({"email": text}), accepted=_redirect
    )


@pytest.mark.parametrize("has_device", [True, False], ids=["verify", "set up"])
def test_second_factor_codes(world, has_device):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if has_device:
        TOTPDevice.objects.create(user=world.coordinator, name="Phone", confirmed=True)
    client = Client()
    client.force_login(world.coordinator)  # signed in, second factor not yet passed
    url = reverse("two_factor_verify" if has_device else "two_factor_setup")
    client.get(url)  # the set-up page makes the pending device
    bodies = st.fixed_dictionaries({"code": text, "next": st.one_of(st.just(""), text)})
    _fuzz_posts(client, url, bodies, accepted=_redirect)


def test_password_change(world):
    client = Client()
    client.force_login(world.spoc)
    bodies = st.fixed_dictionaries({"old_password": text, "new_password1": text, "new_password2": text})
    _fuzz_posts(client, reverse("password_change"), bodies, accepted=_redirect)


def test_the_review_form(make_scene):
    scene = make_scene("submitted")
    client = Client()
    sign_in(client, scene.world.coordinator)
    url = reverse("admin:assessments_assessment_review", args=[scene.assessment(OWN).pk])
    bodies = st.fixed_dictionaries(
        {
            "decision": st.one_of(st.sampled_from(["return", "sign_off"]), text),
            "overall_comment": text,
            "events_seen": st.one_of(st.just("1"), st.integers(-(10**20), 10**20).map(str), text),
            "changes_LG01": st.one_of(st.just("on"), text),
            "comment_LG01": text,
            "changes_NOPE99": text,
            "comment_NOPE99": text,
        }
    )
    _fuzz_posts(client, url, bodies, accepted=_redirect)


def test_the_reopen_form(make_scene):
    scene = make_scene("signed_off")
    client = Client()
    sign_in(client, scene.world.national)
    url = reverse("admin:assessments_assessment_review", args=[scene.assessment(OWN).pk])
    bodies = st.fixed_dictionaries(
        {
            "reason": text,
            "events_seen": st.one_of(st.just("2"), st.integers(-(10**20), 10**20).map(str), text),
        }
    )
    _fuzz_posts(client, url, bodies, accepted=_redirect)


def test_opening_a_round_in_the_admin(make_scene):
    scene = make_scene("draft")
    client = Client()
    sign_in(client, scene.world.national)
    bodies = st.fixed_dictionaries(
        {
            "name": text,
            "plan": st.one_of(st.just(str(scene.round.plan_id)), text),
            "opens_on": st.one_of(date_part, st.dates().map(str)),
            "due_on": st.one_of(date_part, st.dates().map(str)),
            "is_open": text,
        }
    )
    _fuzz_posts(client, reverse("admin:assessments_round_add"), bodies, accepted=_redirect)


def test_the_spreadsheet_upload(make_scene):
    scene = make_scene("draft")
    client = Client()
    sign_in(client, scene.world.spoc)
    url = reverse("assessments:return_upload", kwargs={"assessment_id": scene.assessment(OWN).pk})
    content = st.one_of(
        st.binary(max_size=4000),
        st.binary(max_size=4000).map(lambda tail: b"PK\x03\x04" + tail),
        st.binary(max_size=4000).map(lambda tail: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + tail),
    )
    bodies = st.builds(
        lambda data, name: {"spreadsheet": SimpleUploadedFile(name or "x", data, exports.XLSX_CONTENT_TYPE)},
        content,
        st.one_of(st.just("return.xlsx"), any_text.map(lambda name: name.replace("\x00", "") + ".xlsx")),
    )
    # An upload only reaches the preview (a redirect); nothing is saved until it is confirmed.
    _fuzz_posts(client, url, bodies, accepted=lambda response: False)


def test_report_and_export_addresses_with_bad_parameters(make_scene):
    scene = make_scene("draft")
    client = Client()
    sign_in(client, scene.world.national)

    @FUZZ
    @given(value=text)
    def run(value: str) -> None:
        with rolled_back():
            for url in (
                reverse("assessments:regional_report", kwargs={"region_slug": scene.region(OWN).slug}),
                reverse("assessments:national_report"),
                reverse("assessments:region_overview", kwargs={"region_slug": scene.region(OWN).slug}),
            ):
                assert client.get(url, {"round": value}).status_code < 500
            response = client.post(reverse("assessments:national_report_pack"), {"round": value})
            assert response.status_code < 500

    run()


# --- Querystrings and URL numbers (issue 21 item 5) ----------------------------------------------------

BAD_NUMBERS = ["²", "①", "٣", "-1", "-9223372036854775809", "0", str(2**63), "9" * 30, "9" * 5000, "1\x00"]


def test_every_querystring_parameter_refuses_bad_numbers_and_nul_without_a_500(make_scene):
    """Every parameter a page reads from request.GET, with Unicode digits, NUL, huge and negative numbers."""
    scene = make_scene("draft")
    client = Client(raise_request_exception=False)
    sign_in(client, scene.world.national)
    region = scene.region(OWN).slug
    pages = {
        reverse("assessments:regional_report", kwargs={"region_slug": region}): "round",
        reverse("assessments:national_report"): "round",
        reverse("assessments:region_overview", kwargs={"region_slug": region}): "round",
        reverse("assessments:national_overview"): "round",
        reverse("login"): "next",
        reverse("admin:assessments_assessment_changelist"): "force__region__id__exact",
        reverse("admin:autocomplete"): "term",
    }
    for url, name in pages.items():
        for value in [*BAD_NUMBERS, "\x00", "a\x00b"]:
            response = client.get(url, {name: value})
            assert response.status_code < 500, (url, name, repr(value), response.status_code)
            if "\x00" in value:
                assert response.status_code == 400, (url, repr(value))
                assert "a character the service cannot read" in response.content.decode()


def test_nul_in_an_admin_list_filter_or_search_is_a_clear_400(make_scene):
    scene = make_scene("draft")
    client = Client(raise_request_exception=False)
    sign_in(client, scene.world.national)
    changelist = reverse("admin:assessments_assessment_changelist")
    for query in ({"q": "Cleve\x00land"}, {"status__exact": "\x00"}, {"\x00": "1"}):
        response = client.get(changelist, query)
        assert response.status_code == 400, query


def test_a_round_id_past_the_64_bit_range_in_a_report_address_is_404(make_scene):
    scene = make_scene("draft")
    client = Client(raise_request_exception=False)
    sign_in(client, scene.world.national)
    assessment = scene.assessment(OWN)
    for round_id in (2**63, 10**30):
        for name in ("assessments:force_report", "assessments:force_report_pdf"):
            url = reverse(
                name, kwargs={"force_code": assessment.force.code, "round_id": round_id, "version": 1}
            )
            assert client.get(url).status_code == 404, url
        url = reverse("assessments:task_list", kwargs={"assessment_id": round_id})
        assert client.get(url).status_code == 404
