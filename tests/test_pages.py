"""Shared pages: GOV.UK look, error pages, public pages, no external requests, header navigation by role."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from accounts.roles import Role
from tests.factories import verified_staff_login


@pytest.mark.parametrize("url_name", ["login", "accessibility", "privacy", "password_reset"])
def test_public_pages_open_without_signing_in(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="govuk-skip-link"' in html
    assert "govuk-phase-banner" in html
    assert reverse("accessibility") in html and reverse("privacy") in html


def test_pages_make_no_external_requests_and_use_no_inline_script(client, world, action_plan):
    verified_staff_login(client, world.national)
    for url in ["/", "/national/", "/regions/north-east/", "/forces/cleveland/", "/action-plan/"]:
        html = client.get(url, follow=True).content.decode()
        for attribute in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not attribute.startswith(("http:", "https:", "//")), (url, attribute)
        assert "<script>" not in html and "style=" not in html, url


def test_no_crown_or_gds_transport_in_the_built_assets():

    from msoic.settings.env import BASE_DIR

    css = (BASE_DIR / "static/govuk/govuk-frontend.min.css").read_text()
    assert "GDS Transport" not in css
    assert "arial" in css.lower()
    # The crown and crest images are GOV.UK branding: none is referenced or shipped.
    assert not re.search(r"url\([^)]*(crown|crest)", css, re.IGNORECASE)
    assets = [p.name.lower() for p in (BASE_DIR / "static/govuk/assets").rglob("*")]
    assert not [name for name in assets if "crown" in name or "crest" in name or "govuk-icon" in name]
    assert (BASE_DIR / "static/govuk/VERSION").read_text().startswith("6.")


@pytest.mark.parametrize(
    ("role", "expected", "absent"),
    [
        (Role.SPOC, ["Home", "Your force", "Action plan"], ["Review and admin"]),
        (Role.COORDINATOR, ["Your region", "Review and admin"], ["Your force"]),
        (Role.NATIONAL, ["All forces", "Review and admin"], ["Your region"]),
    ],
)
def test_header_navigation_depends_on_role(client, world, role, expected, absent):
    verified_staff_login(client, world.user(role))
    html = client.get(reverse("actionplan:plan")).content.decode()
    nav = html.split('class="govuk-service-navigation__list"')[1].split("</ul>")[0]
    for label in expected:
        assert f">{label}<" in nav.replace("\n", "").replace("  ", ""), label
    for label in absent:
        assert label not in nav
    assert 'aria-current="page"' in nav


def test_unknown_url_gets_the_styled_404(client, world):
    client.force_login(world.spoc)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "govuk-template" in response.content.decode()


@override_settings(DEBUG=False)
def test_server_error_gets_the_styled_500_without_a_database(client, db):
    from django.views.defaults import server_error

    response = server_error(client.get("/").wsgi_request)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_action_plan_page_shows_every_area_and_activity_with_guidance(client, world, action_plan):
    client.force_login(world.spoc)
    html = client.get(reverse("actionplan:plan")).content.decode()
    for area in action_plan.areas.all():
        assert area.title in html
    for activity in action_plan.activities.all():
        assert f'id="{activity.code}"' in html
    assert html.count('class="govuk-details"') == action_plan.activities.count()
    assert "What good looks like" in html


def test_action_plan_page_query_count_is_fixed(client, world, action_plan, django_assert_max_num_queries):
    client.force_login(world.spoc)
    with django_assert_max_num_queries(8):
        client.get(reverse("actionplan:plan"))
