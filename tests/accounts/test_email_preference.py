"""Choosing single emails or a daily digest on the account page."""

from __future__ import annotations

from django.urls import reverse


def test_the_account_page_shows_the_choice_and_links_to_change_it(client, world):
    client.force_login(world.spoc)
    html = client.get(reverse("account")).content.decode()
    assert "Each email as it happens" in html
    assert reverse("email_preference") in html


def test_a_person_chooses_the_daily_digest_and_back(client, world):
    client.force_login(world.spoc)
    page = client.get(reverse("email_preference")).content.decode()
    [checked] = [tag for tag in page.split("<input")[1:] if "checked" in tag.split(">")[0]]
    assert 'value="false"' in checked
    response = client.post(reverse("email_preference"), {"email_digest": "true"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account")
    html = response.content.decode()
    assert "Your email choice has been saved." in html and "One daily digest" in html
    world.spoc.refresh_from_db()
    assert world.spoc.email_digest is True
    client.post(reverse("email_preference"), {"email_digest": "false"})
    world.spoc.refresh_from_db()
    assert world.spoc.email_digest is False


def test_no_choice_is_explained_and_changes_nothing(client, world):
    client.force_login(world.spoc)
    response = client.post(reverse("email_preference"), {})
    assert response.status_code == 200
    assert "Select how you want to get emails" in response.content.decode()
    world.spoc.refresh_from_db()
    assert world.spoc.email_digest is False
