"""The health check: 200 with the queue length when the database answers, a quick 503 when it does not."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connections
from django_tasks_db.models import DBTaskResult

from ops.views import HEALTH_CONNECT_TIMEOUT_SECONDS, HEALTH_STATEMENT_TIMEOUT_MS


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
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unreachable", "pending_tasks": None}
    assert "no-store" in response["Cache-Control"]


def test_a_silent_database_host_times_out_instead_of_hanging(client, db, monkeypatch):
    """The probe connects with short timeouts, so a host that never answers gives a 503, not a hang.

    Asserted as state (the timeouts the probe hands the driver), not as a clock: no packet leaves
    this machine, and a busy machine cannot make it fail.
    """
    wrapper = type(connections["default"])
    asked: list[dict] = []

    def silent_host(self, conn_params):
        asked.append(conn_params)
        raise OperationalError("timeout expired")  # what the driver says when connect_timeout passes

    monkeypatch.setattr(wrapper, "get_new_connection", silent_host)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
    assert len(asked) == 1
    if connections["default"].vendor == "postgresql":
        assert asked[0]["connect_timeout"] == HEALTH_CONNECT_TIMEOUT_SECONDS
        assert f"statement_timeout={HEALTH_STATEMENT_TIMEOUT_MS}" in asked[0]["options"]
    else:
        assert asked[0]["timeout"] == HEALTH_CONNECT_TIMEOUT_SECONDS
