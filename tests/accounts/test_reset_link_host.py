"""A password-reset email's link is built on SERVICE_BASE_URL, even when a forged Host header gets through.

Already so on main (accounts.forms.ResetRequestForm.save); this pins it with a host an attacker chose and
ALLOWED_HOSTS opened wide, as a misconfigured proxy might leave it.
"""

from __future__ import annotations

import re

from django.core import mail
from django.test import override_settings
from django.urls import reverse

BASE = "https://msoic.example.police.uk"


@override_settings(SERVICE_BASE_URL=BASE, ALLOWED_HOSTS=["*"])
def test_a_forged_host_header_never_reaches_the_reset_link(client, world):
    response = client.post(
        reverse("password_reset"),
        {"email": world.spoc.email},
        HTTP_HOST="attacker.example",
        HTTP_X_FORWARDED_HOST="attacker.example",
    )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "attacker.example" not in message.body
    links = re.findall(r"https?://\S+/account/password-reset/\S+/\S+/", message.body)
    assert links and all(link.startswith(f"{BASE}/") for link in links)
