"""Locust users for the bounded load run (bench/load/run.py): SPOCs editing, coordinators reviewing in the
admin, chief officers downloading PDFs, and a couple of staff signing in with a second factor.

The simulated people start with sessions made by setup_data.py (signing in runs PBKDF2 on purpose, so
100 sign-ins at once would measure the password hasher, not the service); SignInUser still goes through
the real form and an authenticator code now and then. Not part of `make test`.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, between, task

DATA: dict[str, Any] = json.loads(Path(os.environ["MSOIC_LOAD_DATA"]).read_text())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REVISION = re.compile(r'name="revision" value="(\d+)"')
_next = {kind: itertools.count() for kind in ("spocs", "coordinators", "report_readers", "sign_in")}


def _take(kind: str) -> dict[str, Any]:
    """Each simulated person gets their own account (round robin when there are more users than accounts)."""
    people: list[dict[str, Any]] = DATA[kind]
    return people[next(_next[kind]) % len(people)]


def totp(key_hex: str, *, at: float | None = None) -> str:
    """RFC 6238 six-digit code, as an authenticator app would show it."""
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    return match.group(1) if match else ""


def activity_save_body(page_text: str, *, action: str) -> dict[str, str]:
    """What a SPOC posts when saving an activity: an in-progress answer with a new evidence summary and
    one evidence reference dated today, so that a status rise meets the evidence-of-change rule
    (assessments/rules.py) and "Save and continue" is accepted as well as "Save as draft"."""
    revision = REVISION.search(page_text)
    # The server judges "today" in UK time; on the same machine a UTC date is at most an hour apart.
    today = datetime.datetime.now(datetime.UTC).date()
    return {
        "csrfmiddlewaretoken": _csrf(page_text),
        "implementation_status": "in_progress",
        "not_applicable_reason": "",
        "evidence_summary": f"Training delivered to 60% of officers (update {random.randrange(10**6)})",
        "next_steps": "Finish the remaining districts",
        "action_owner": "Head of public protection",
        "target_date_0": "31",
        "target_date_1": "3",
        "target_date_2": str(today.year + 1),
        "revision": revision.group(1) if revision else "0",
        "action": action,
        "ref-TOTAL_FORMS": "1",
        "ref-INITIAL_FORMS": "0",
        "ref-MIN_NUM_FORMS": "0",
        "ref-MAX_NUM_FORMS": "10",
        "ref-0-title": "Training records",
        "ref-0-location": "Learning and development system",
        "ref-0-applies_on_0": str(today.day),
        "ref-0-applies_on_1": str(today.month),
        "ref-0-applies_on_2": str(today.year),
    }


# "Your report is being prepared" (issue 22) answers 200 with `Refresh: <seconds>; url=<address>` and asks
# the browser to come back; a browser follows it, so the load runs do too, up to MAX_REFRESHES times.
PREPARING = re.compile(r"^\s*(\d+)\s*(?:;\s*url=(\S+))?")
MAX_REFRESHES = 20


def download_pdf(client: Any, url: str, name: str) -> None:
    """Download a PDF as a browser does, following a "being prepared" page after its pause until the PDF
    comes; each follow-up is counted under its own name, so the first answer's time stays comparable."""
    import gevent  # type: ignore[import-untyped]  # locust's own dependency; imported where it is used

    for attempt in range(MAX_REFRESHES + 1):
        label = name if attempt == 0 else f"{name} (being prepared, asked again)"
        with client.get(url, name=label, catch_response=True) as response:
            if response.status_code == 200 and response.content.startswith(b"%PDF"):
                return
            refresh = PREPARING.match(response.headers.get("Refresh", ""))
            if response.status_code != 200 or refresh is None or attempt == MAX_REFRESHES:
                response.failure(f"no PDF: {response.status_code} {response.headers.get('Content-Type')}")
                return
        gevent.sleep(int(refresh.group(1)))
        url = refresh.group(2) or url


class _SignedIn(HttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.person = _take(self.kind)
        self.client.cookies.set(DATA["session_cookie_name"], self.person["cookie"])


class SpocUser(_SignedIn):
    """A force SPOC working through the activities of a draft assessment."""

    weight = 12
    wait_time = between(1, 3)
    kind = "spocs"

    @task(3)
    def edit_an_activity(self) -> None:
        assessment_id = self.person["assessment_id"]
        url = f"/assessments/{assessment_id}/activities/{random.choice(DATA['codes'])}/"
        page = self.client.get(url, name="/assessments/[id]/activities/[code]/")
        body = activity_save_body(page.text, action="draft")
        with self.client.post(
            url,
            body,
            name="/assessments/[id]/activities/[code]/ (save)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # Two SPOCs of one force may save the same activity: the conflict page is the right answer.
            if response.status_code == 302 or (
                response.status_code == 200 and "since you opened it" in response.text
            ):
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")

    @task(1)
    def task_list(self) -> None:
        self.client.get(f"/assessments/{self.person['assessment_id']}/", name="/assessments/[id]/")

    @task(1)
    def force_home(self) -> None:
        self.client.get(f"/forces/{self.person['force']}/", name="/forces/[code]/")


class CoordinatorUser(_SignedIn):
    """A regional coordinator (second factor passed) reviewing submitted assessments in the admin."""

    weight = 5
    wait_time = between(1, 3)
    kind = "coordinators"

    @task(3)
    def review_page(self) -> None:
        assessment_id = random.choice(self.person["assessment_ids"])
        self.client.get(
            f"/admin/assessments/assessment/{assessment_id}/review/", name="/admin/.../[id]/review/"
        )

    @task(1)
    def assessment_list(self) -> None:
        self.client.get("/admin/assessments/assessment/", name="/admin/assessments/assessment/")

    @task(1)
    def region_overview(self) -> None:
        self.client.get(f"/regions/{self.person['region']}/", name="/regions/[slug]/")


class ReportReader(_SignedIn):
    """A chief officer downloading the force's PDFs: stored signed-off reports, and now and then a draft."""

    weight = 3
    wait_time = between(2, 6)
    kind = "report_readers"

    def _pdf(self, url: str, name: str) -> None:
        download_pdf(self.client, url, name)

    @task(4)
    def signed_off_pdf(self) -> None:
        force = self.person["force"]
        self._pdf(
            f"/forces/{force}/reports/{DATA['last_round_id']}/v1.pdf", "/forces/[code]/reports/[round]/v1.pdf"
        )

    @task(1)
    def draft_pdf(self) -> None:
        force = self.person["force"]
        self._pdf(
            f"/forces/{force}/reports/{DATA['current_round_id']}/draft.pdf",
            "/forces/[code]/reports/[round]/draft.pdf",
        )

    @task(1)
    def reports_page(self) -> None:
        self.client.get(f"/forces/{self.person['force']}/reports/", name="/forces/[code]/reports/")


class SignInUser(HttpUser):
    """Staff signing in through the real form and an authenticator code, about twice a minute each."""

    fixed_count = 2
    # A code is accepted once: wait for the next 30-second window before signing in again.
    wait_time = between(31, 35)

    def on_start(self) -> None:
        self.person = _take("sign_in")

    @task
    def sign_in(self) -> None:
        self.client.cookies.clear()
        page = self.client.get("/account/sign-in/", name="/account/sign-in/")
        self.client.post(
            "/account/sign-in/",
            {
                "csrfmiddlewaretoken": _csrf(page.text),
                "username": self.person["email"],
                "password": self.person["password"],
            },
            name="/account/sign-in/ (post)",
        )
        verify = self.client.get("/account/two-factor/", name="/account/two-factor/")
        with self.client.post(
            "/account/two-factor/",
            {"csrfmiddlewaretoken": _csrf(verify.text), "code": totp(DATA["totp_key_hex"])},
            name="/account/two-factor/ (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"second factor answered {response.status_code}")
