"""Hostile text in every free-text field reaches no listener, attaches nothing and reads no file."""

from __future__ import annotations

import datetime
import socket
import threading

import pytest
from django.conf import settings

from assessments import workflow
from assessments.models import ActivityReturn, AssessmentSnapshot
from assessments.reports.data import force_report_data
from assessments.reports.pdf import FetchRefused, SafeURLFetcher
from assessments.reports.rendering import force_report_pdf
from tests.assessments.reports.conftest import fill
from tests.assessments.reports.pdfcheck import has_attachments, page_texts
from tests.conftest import complete_values


class Listener:
    """A real TCP listener on 127.0.0.1 that counts every connection made to it."""

    def __init__(self):
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                client, _address = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            client.close()

    def close(self):
        self.stopping.set()
        self.thread.join(timeout=2)
        self.server.close()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def hostile_text(port):
    return (
        f"<img src=http://127.0.0.1:{port}/img>"
        f'<link rel="stylesheet" href="http://127.0.0.1:{port}/css">'
        "<link href=file:///etc/passwd>"
        f'<style>@import url("http://127.0.0.1:{port}/import");</style>'
        f"@import url(http://127.0.0.1:{port}/bare-import);"
        '<a rel="attachment" href="file:///etc/passwd">passwd</a>'
        f'<link rel="attachment" href="http://127.0.0.1:{port}/attach">'
        f'<svg><image href="http://127.0.0.1:{port}/svg"/></svg>'
        f"<iframe src=http://127.0.0.1:{port}/frame></iframe>"
        "</td></tr></table><script>alert(1)</script>"
    )


@pytest.fixture
def network_attempts(monkeypatch):
    """Every outgoing connection or name look-up made while rendering, refused and recorded.

    This replaces a timing check (the render "took under 20 s"): a renderer that tried to reach the
    network would have waited on it. Recording the attempt itself says the same thing on any machine.
    """
    attempts: list[object] = []

    def refuse(kind):
        def refused(*args, **kwargs):
            attempts.append((kind, args[1:] if kind == "connect" else args[:2]))
            raise OSError(f"test: no {kind} while rendering")

        return refused

    monkeypatch.setattr(socket.socket, "connect", refuse("connect"))
    monkeypatch.setattr(socket.socket, "connect_ex", refuse("connect"))
    monkeypatch.setattr(socket, "getaddrinfo", refuse("getaddrinfo"))
    return attempts


def test_hostile_text_in_every_field_reaches_nothing(world, home_assessment, listener, network_attempts):
    evil = hostile_text(listener.port)
    fill(
        home_assessment,
        world.spoc,
        overrides={
            "LG01": complete_values(
                "implemented", evidence_summary=evil, next_steps=evil, action_owner=evil[:150]
            ),
            "LG02": complete_values("not_applicable", not_applicable_reason=evil),
        },
    )
    ActivityReturn.objects.filter(assessment=home_assessment, activity__code="LG03").update(
        evidence_references=[
            {"title": evil, "location": f"http://127.0.0.1:{listener.port}/ref", "applies_on": evil}
        ]
    )
    workflow.submit(home_assessment, by=world.spoc)
    returned = workflow.return_for_changes(
        home_assessment, by=world.coordinator, reason=evil, activity_comments={"LG04": evil}
    )
    draft = force_report_pdf(force_report_data(assessment=returned, today=datetime.date(2026, 11, 1)))
    workflow.submit(returned, by=world.spoc)
    signed = workflow.sign_off(returned, by=world.coordinator, comment=evil)
    snapshot = AssessmentSnapshot.objects.get(assessment=signed)
    final = force_report_pdf(force_report_data(assessment=signed, snapshot=snapshot))

    assert listener.connections == 0
    for pdf in (draft, final):
        assert not has_attachments(pdf)
        text = "\n".join(page_texts(pdf))
        assert "root:" not in text
        assert "<img src=http://127.0.0.1" in text  # shown as text, escaped
    assert network_attempts == []


def test_the_fetcher_serves_bundled_static_files_and_data_only(listener):
    fetcher = SafeURLFetcher()
    static = settings.STATICFILES_DIRS[0]
    css = fetcher.fetch(f"file://{static}/css/report.css")
    assert b"OFFICIAL-SENSITIVE" in css.read()
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    refused = [
        f"http://127.0.0.1:{listener.port}/x",
        f"https://127.0.0.1:{listener.port}/x",
        "file:///etc/passwd",
        f"file://{static}/../pyproject.toml",
        f"file://{static}/css/../../pyproject.toml",
        f"file://{static}/css/",
        f"file://evil.example{static}/css/report.css",
        "ftp://127.0.0.1/x",
    ]
    for url in refused:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert listener.connections == 0


def test_a_symlink_out_of_the_static_directory_is_refused(tmp_path):
    root = tmp_path / "static"
    root.mkdir()
    (tmp_path / "secret.txt").write_text("root:x:0:0")
    (root / "link.css").symlink_to(tmp_path / "secret.txt")
    fetcher = SafeURLFetcher(roots=[root.resolve()])
    with pytest.raises(FetchRefused):
        fetcher.fetch((root / "link.css").as_uri())
