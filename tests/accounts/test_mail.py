"""Outgoing email: links on the right address, queued with the change, split by each person's choice."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts.mail import LOCAL_SITE, Email, Notice, notice_split, queue_with_change, service_url, site_of
from accounts.models import DigestItem
from tests.factories import UserFactory

PRODUCTION_BASE = "https://msoic.example.police.uk"


def person(email, **fields):
    return UserFactory(email=email, **fields)


def test_links_prefer_the_configured_base_url_then_the_persons_site_then_the_local_site(rf):
    site = site_of(rf.get("/", HTTP_HOST="localhost:8000"))
    assert site == "http://localhost:8000"
    assert service_url("/a/", site=site) == "http://localhost:8000/a/"
    assert service_url("/a/") == f"{LOCAL_SITE}/a/"
    with override_settings(SERVICE_BASE_URL=f"{PRODUCTION_BASE}/"):
        assert service_url("/a/", site=site) == f"{PRODUCTION_BASE}/a/"


def reset_link(client, email, **headers):
    client.post(reverse("password_reset"), {"email": email}, **headers)
    [message] = mail.outbox
    match = re.search(r"(\S+)/account/password-reset/\S+/\S+/", message.body)
    assert match
    return match.group(1)


@override_settings(SERVICE_BASE_URL=PRODUCTION_BASE)
def test_a_reset_link_uses_the_configured_base_url_not_the_host_header(client, world):
    assert reset_link(client, world.spoc.email, HTTP_HOST="localhost") == PRODUCTION_BASE


def test_without_a_base_url_a_reset_link_uses_the_site_the_person_was_using(client, world):
    assert reset_link(client, world.spoc.email, HTTP_HOST="localhost") == "http://localhost"


def test_with_a_backend_that_cannot_share_the_transaction_email_waits_for_commit(
    db, django_capture_on_commit_callbacks
):
    email = Email(subject="S", body="B", to=("a@force.example",))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            queue_with_change([email, email])
        assert mail.outbox == []
    assert len(callbacks) == 1  # one callback for the change's messages, whatever their number
    callbacks[0]()
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("at_once", [False, True])
def test_a_notice_is_held_for_digest_readers_unless_it_must_go_at_once(db, at_once):
    single, digest, gone = (
        person("single@force.example"),
        person("digest@force.example", email_digest=True),
        person("gone@force.example", is_active=False),
    )
    notice = Notice(subject="Cleveland Police: news", body="Body", link="https://x.example/a/")
    email = notice_split(notice, recipients=[single, digest, gone, single], at_once=at_once)
    assert email is not None
    if at_once:
        assert email.to == ("digest@force.example", "single@force.example")
        assert not DigestItem.objects.exists()
    else:
        assert email.to == ("single@force.example",)
        [held] = DigestItem.objects.all()
        assert (held.user, held.subject, held.link, held.sent_at) == (
            digest,
            notice.subject,
            notice.link,
            None,
        )


def test_nobody_left_means_no_email(db):
    digest = person("digest@force.example", email_digest=True)
    assert (
        notice_split(
            Notice(subject="S", body="B", link="https://x.example/"), recipients=[digest], at_once=False
        )
        is None
    )
