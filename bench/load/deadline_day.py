"""Locust users for the deadline-day scenario (bench/load/run.py --scenario deadline-day).

The last hours before a round's due date: every force's two SPOCs finish their last activities, check
their answers and submit; every region's coordinators read review pages and mark activities as looked
at; each force's chief officer downloads reports; national staff watch the overviews and one of them
asks for the national pack of last round. Every person is a fixed number of locust users (from the
data setup_data.py writes), so the run models the service's real population rather than a crowd.

Think times (the pause before each click) come from how people use forms, and are stated and justified
in docs/performance.md, "Deadline day": reading and typing an activity's answer takes tens of seconds to
minutes, reading a 50-row comparison longer. Not part of `make test`.
"""

from __future__ import annotations

import itertools
import random
import re
from typing import Any

import gevent  # type: ignore[import-untyped]
from locust import HttpUser, between, task

from bench.load.locustfile import DATA, SignInUser, _csrf, activity_save_body, download_pdf

# Seconds before each click, by what the person is doing (docs/performance.md explains each).
READ_AND_TYPE_AN_ANSWER = (30, 120)
GLANCE_AT_A_PAGE = (5, 20)
WAIT_FOR_A_COLLEAGUE = (30, 90)
READ_A_REVIEW = (30, 120)
LOOK_AT_ONE_ACTIVITY = (10, 40)
READ_A_REPORT = (20, 90)
WATCH_THE_OVERVIEW = (20, 60)

EVENTS_SEEN = re.compile(r'name="events_seen" value="(\d*)"')
# Assessments submitted during the run, so both SPOCs of a force stop editing it (one locust process).
SUBMITTED: set[int] = set()

__all__ = ["ChiefOfficer", "Coordinator", "NationalStaff", "SignInUser", "Spoc"]


_next = {kind: itertools.count() for kind in ("spocs", "coordinators", "report_readers", "national")}


def _take(kind: str) -> dict[str, Any]:
    """Each simulated person is one account from the data, in order."""
    people: list[dict[str, Any]] = DATA[kind]
    return people[next(_next[kind]) % len(people)]


def _pause(bounds: tuple[int, int]) -> Any:
    return between(*bounds)


def _think(bounds: tuple[int, int]) -> None:
    """The pause inside one task: between opening a page and sending its form."""
    gevent.sleep(random.uniform(*bounds))


class _Person(HttpUser):
    abstract = True
    kind = ""

    def on_start(self) -> None:
        self.person = _take(self.kind)
        self.client.cookies.set(DATA["session_cookie_name"], self.person["cookie"])


class Spoc(_Person):
    """A force SPOC finishing the return: activities, then check your answers and submit."""

    fixed_count = len(DATA.get("spocs", []))
    kind = "spocs"
    # Between steps the SPOC glances at the page a save led to; the reading and typing of each
    # answer is the pause inside _answer, before the form is sent.
    wait_time = _pause(GLANCE_AT_A_PAGE)

    def on_start(self) -> None:
        super().on_start()
        self.assessment_id = self.person["assessment_id"]
        self.to_answer = list(self.person["codes"])
        if self.person["submitted"]:
            SUBMITTED.add(self.assessment_id)

    @property
    def done(self) -> bool:
        return self.assessment_id in SUBMITTED

    @task
    def next_step(self) -> None:
        if self.done:
            self._after_submitting()
        elif self.to_answer:
            self._answer(self.to_answer.pop(0))
        elif self.person["submits"]:
            self._check_and_submit()
        else:
            # The other SPOC has finished their half and waits for the first to submit.
            _think(WAIT_FOR_A_COLLEAGUE)
            self.client.get(f"/assessments/{self.assessment_id}/", name="/assessments/[id]/")

    def _answer(self, code: str) -> None:
        url = f"/assessments/{self.assessment_id}/activities/{code}/"
        page = self.client.get(url, name="/assessments/[id]/activities/[code]/")
        body = activity_save_body(page.text, action="continue")
        _think(READ_AND_TYPE_AN_ANSWER)
        with self.client.post(
            url,
            body,
            name="/assessments/[id]/activities/[code]/ (save)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            # The other SPOC may have saved it, or the first may have submitted meanwhile: both right.
            saved = response.status_code == 302
            conflict = response.status_code == 200 and "since you opened it" in response.text
            refused_after_submission = response.status_code == 403 and self.done
            if saved or conflict or refused_after_submission:
                response.success()
            else:
                response.failure(f"save answered {response.status_code}")

    def _check_and_submit(self) -> None:
        check = self.client.get(f"/assessments/{self.assessment_id}/check/", name="/assessments/[id]/check/")
        if "since you opened it" in check.text or check.status_code != 200:
            return
        _think(GLANCE_AT_A_PAGE)
        with self.client.post(
            f"/assessments/{self.assessment_id}/submit/",
            {"csrfmiddlewaretoken": _csrf(check.text), "declaration": "on"},
            name="/assessments/[id]/submit/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code == 302 and location.endswith("/submitted/"):
                SUBMITTED.add(self.assessment_id)
                response.success()
            elif response.status_code == 200:
                # Still incomplete: the other SPOC's activities are not saved yet. Try again later.
                response.success()
            else:
                response.failure(f"submit answered {response.status_code} {location}")
        if self.done:
            self.client.get(
                f"/assessments/{self.assessment_id}/submitted/", name="/assessments/[id]/submitted/"
            )

    def _after_submitting(self) -> None:
        _think(WAIT_FOR_A_COLLEAGUE)
        self.client.get(f"/forces/{self.person['force']}/", name="/forces/[code]/")


class Coordinator(_Person):
    """A regional coordinator reading review pages, marking activities as looked at, checking the list."""

    fixed_count = len(DATA.get("coordinators", []))
    kind = "coordinators"
    wait_time = _pause(READ_A_REVIEW)

    @task(4)
    def review(self) -> None:
        assessment_id = random.choice(self.person["assessment_ids"])
        url = f"/admin/assessments/assessment/{assessment_id}/review/"
        page = self.client.get(url, name="/admin/.../[id]/review/")
        seen = EVENTS_SEEN.search(page.text)
        if "Mark as looked at" not in page.text or seen is None:
            return
        code = random.choice(DATA["codes"])
        _think(LOOK_AT_ONE_ACTIVITY)
        self.client.post(
            url,
            {"csrfmiddlewaretoken": _csrf(page.text), "events_seen": seen.group(1), "looked_at": code},
            name="/admin/.../[id]/review/ (looked at)",
        )

    @task(1)
    def review_one_group(self) -> None:
        assessment_id = random.choice(self.person["assessment_ids"])
        self.client.get(
            f"/admin/assessments/assessment/{assessment_id}/review/?show=down",
            name="/admin/.../[id]/review/?show=down",
        )

    @task(1)
    def assessment_list(self) -> None:
        self.client.get("/admin/assessments/assessment/", name="/admin/assessments/assessment/")

    @task(1)
    def region_overview(self) -> None:
        self.client.get(f"/regions/{self.person['region']}/", name="/regions/[slug]/")


class ChiefOfficer(_Person):
    """A chief officer: last round's signed-off report (stored), this round's draft, the reports page."""

    fixed_count = len(DATA.get("report_readers", []))
    kind = "report_readers"
    wait_time = _pause(READ_A_REPORT)

    def _pdf(self, url: str, name: str) -> None:
        download_pdf(self.client, url, name)

    @task(2)
    def reports_page(self) -> None:
        self.client.get(f"/forces/{self.person['force']}/reports/", name="/forces/[code]/reports/")

    @task(2)
    def signed_off_pdf(self) -> None:
        self._pdf(
            f"/forces/{self.person['force']}/reports/{DATA['last_round_id']}/v1.pdf",
            "/forces/[code]/reports/[round]/v1.pdf",
        )

    @task(1)
    def draft_pdf(self) -> None:
        self._pdf(
            f"/forces/{self.person['force']}/reports/{DATA['current_round_id']}/draft.pdf",
            "/forces/[code]/reports/[round]/draft.pdf",
        )

    @task(1)
    def force_home(self) -> None:
        self.client.get(f"/forces/{self.person['force']}/", name="/forces/[code]/")


class NationalStaff(_Person):
    """National staff on the overviews; one of them asks for the national pack once and follows it."""

    fixed_count = len(DATA.get("national", []))
    kind = "national"
    wait_time = _pause(WATCH_THE_OVERVIEW)

    def on_start(self) -> None:
        super().on_start()
        self.pack_url = ""
        if self.person["packs"]:
            page = self.client.get("/national/report/", name="/national/report/")
            response = self.client.post(
                "/national/report/pack/",
                {"csrfmiddlewaretoken": _csrf(page.text), "round": str(DATA["last_round_id"])},
                name="/national/report/pack/",
            )
            self.pack_url = response.url if "/report-packs/" in response.url else ""

    @task(3)
    def national_overview(self) -> None:
        self.client.get("/national/", name="/national/")

    @task(1)
    def pipeline(self) -> None:
        self.client.get("/pipeline/", name="/pipeline/")

    @task(1)
    def pack_progress(self) -> None:
        if self.pack_url:
            self.client.get(self.pack_url, name="/report-packs/[id]/")
