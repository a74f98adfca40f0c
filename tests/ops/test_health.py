"""The health check: 200 with the queue length when the database answers, a quick 503 when it does not."""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django_tasks_db.models import DBTaskResult


def test_health_is_ok_without_signing_in_and_is_never_cached(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "pending_tasks": 0}
    assert "no-store" in response["Cache-Control"]


def test_health_answers_head_but_not_post(client, db):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db(transaction=True)
def test_health_counts_tasks_waiting_for_a_worker(client):
    # The probe has its own connection, so it sees committed rows only: hence transaction=True.
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="accounts.tasks.send_email_message",
        backend_name="default",
    )
    assert client.get("/health/").json()["pending_tasks"] == 1


def test_an_unreachable_database_gives_503_quickly(client, db, monkeypatch):
    settings_dict = connections["default"].settings_dict
    if connections["default"].vendor == "postgresql":
        # Nothing listens on port 1: the probe's own connection is refused at once.
        monkeypatch.setitem(settings_dict, "HOST", "127.0.0.1")
        monkeypatch.setitem(settings_dict, "PORT", "1")
    else:
        monkeypatch.setitem(settings_dict, "NAME", "/nonexistent-directory/db.sqlite3")
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "pending_tasks": None}
    assert "no-store" in response["Cache-Control"]


def test_a_silent_database_host_times_out_instead_of_hanging(client, db, monkeypatch):
    if connections["default"].vendor != "postgresql":
        pytest.skip("connect_timeout applies to PostgreSQL")
    # A reserved documentation address (TEST-NET-1): packets go nowhere, so only the timeout ends the wait.
    monkeypatch.setitem(connections["default"].settings_dict, "HOST", "192.0.2.1")
    started = time.monotonic()
    response = client.get("/health/")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
