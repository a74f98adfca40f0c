"""The daily digest: one email per person with everything held, never an item twice."""

from __future__ import annotations

from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.digests import SUBJECT, digests_send
from accounts.models import DigestItem
from tests.factories import UserFactory


def hold(user, subject):
    return DigestItem.objects.create(user=user, subject=subject, link=f"https://x.example/{len(subject)}/")


def test_each_reader_gets_one_digest_listing_what_was_held(db):
    sam, kim = UserFactory(email="sam@force.example"), UserFactory(email="kim@force.example")
    hold(sam, "Cleveland Police's 2026-27 assessment has been signed off")
    hold(sam, "Overdue: Durham Constabulary's 2026-27 assessment")
    hold(kim, "Received: Gwent Police's 2026-27 assessment (version 2)")
    assert digests_send(now=timezone.now()) == 2
    [to_sam] = [m for m in mail.outbox if m.to == ["sam@force.example"]]
    assert to_sam.subject == SUBJECT
    assert "there are 2 updates" in to_sam.body
    assert to_sam.body.index("signed off") < to_sam.body.index("Overdue")  # oldest first
    assert reverse("email_preference") in to_sam.body


def test_a_rerun_sends_nothing_new_and_a_later_item_comes_alone(db):
    sam = UserFactory(email="sam@force.example")
    hold(sam, "First news")
    digests_send(now=timezone.now())
    assert digests_send(now=timezone.now()) == 0
    assert len(mail.outbox) == 1
    hold(sam, "Second news")
    digests_send(now=timezone.now())
    latest = mail.outbox[-1]
    assert "Second news" in latest.body and "First news" not in latest.body
    assert not DigestItem.objects.filter(sent_at__isnull=True).exists()


def test_items_for_someone_deactivated_are_closed_without_an_email(db):
    gone = UserFactory(is_active=False)
    hold(gone, "News")
    assert digests_send(now=timezone.now()) == 0
    assert mail.outbox == [] and not DigestItem.objects.filter(sent_at__isnull=True).exists()


def test_the_command_counts_and_dry_run_sends_nothing(db):
    hold(UserFactory(), "News")
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert "Digests would send: 1." in out.getvalue() and mail.outbox == []
    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=out)
    assert "Digests sent: 1." in out.getvalue() and "Digests sent: 0." in out.getvalue()
    assert len(mail.outbox) == 1
