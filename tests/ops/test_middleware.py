"""Every response carries a request id; each request is logged once, without secrets in the path."""

from __future__ import annotations

import logging
import re

import pytest

from ops.middleware import request_id_from

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="msoic.request")
    return caplog


@pytest.mark.parametrize("incoming", ["abc-123", "lb.Request_42", "x" * 64])
def test_a_sane_incoming_request_id_is_kept(client, db, incoming):
    response = client.get("/account/sign-in/", HTTP_X_REQUEST_ID=incoming)
    assert response["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["", "x" * 65, "has space", "semi;colon", "<script>", "é"])
def test_a_malformed_incoming_request_id_is_replaced(client, db, incoming):
    response = client.get("/account/sign-in/", HTTP_X_REQUEST_ID=incoming)
    assert HEX_ID.fullmatch(response["X-Request-ID"])


def test_without_an_incoming_id_each_request_gets_a_new_one(client, db):
    first = client.get("/account/sign-in/")["X-Request-ID"]
    second = client.get("/account/sign-in/")["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and HEX_ID.fullmatch(second) and first != second
    assert request_id_from(None) != request_id_from(None)


def test_each_request_is_logged_once_with_its_id_status_and_user_id(client, world, request_log):
    client.force_login(world.spoc)
    response = client.get("/forces/cleveland/?tab=returns", HTTP_X_REQUEST_ID="req-1")
    [record] = [r for r in request_log.records if r.name == "msoic.request"]
    assert record.request_id == "req-1"
    assert record.method == "GET"
    assert record.path == "/forces/cleveland/"
    assert record.status == response.status_code == 200
    assert record.duration_ms >= 0
    assert record.user_id == world.spoc.pk
    assert "tab=" not in record.getMessage()


def test_anonymous_requests_log_no_user_and_do_not_look_one_up(
    client, db, request_log, django_assert_num_queries
):
    request_log.set_level(logging.DEBUG, logger="msoic.request")
    with django_assert_num_queries(0):
        client.get("/health/")  # the probe uses its own connection, not this one
    client.get("/account/sign-in/")
    records = [r for r in request_log.records if r.name == "msoic.request"]
    assert [r.user_id for r in records] == [None, None]
    assert records[0].levelno == logging.DEBUG  # load balancer probes stay out of INFO logs


def test_reset_tokens_in_the_path_are_redacted(client, db, request_log):
    client.get("/account/password-reset/MQ/cbx3ab-0123456789abcdef/")
    [record] = [r for r in request_log.records if r.name == "msoic.request"]
    assert record.path == "/account/password-reset/[redacted]/[redacted]/"
    assert "cbx3ab" not in record.getMessage()
