"""A database connection that drops in the middle of a request: the friendly 500, then business as usual.

The health check that load balancers call (/health/, with its database probe) is tested in
tests/ops/test_health.py.
"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError, close_old_connections, connection
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from tests.security.helpers import sign_in

FRIENDLY_500 = "Sorry, there is a problem with the service"


def _drop_the_connection(**kwargs: Any) -> None:
    """Lose the database under Django, as a restarted or failed-over server would, then query."""
    if connection.vendor == "postgresql":
        assert connection.connection is not None
        connection.connection.close()
        Assessment.objects.count()  # raises: the socket is gone
    # SQLite's in-memory test database would vanish with its only connection; simulate the error.
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db(transaction=True)
def test_a_dropped_connection_gives_the_friendly_500_and_the_next_request_succeeds(world, open_round):
    assessment = Assessment.objects.get(force=world.home_force, round=open_round)
    client = Client(raise_request_exception=False)
    sign_in(client, world.spoc)
    url = reverse("assessments:task_list", kwargs={"assessment_id": assessment.pk})
    assert client.get(url).status_code == 200

    with mock.patch("assessments.selectors.task_list", side_effect=_drop_the_connection):
        broken = client.get(url)
    assert broken.status_code == 500
    assert FRIENDLY_500 in broken.content.decode()
    assert "Traceback" not in broken.content.decode()

    # A real server calls this at the end and the start of each request (request_finished and
    # request_started); Django's test client disconnects it, so call it as the handler would. With
    # CONN_HEALTH_CHECKS the broken connection is found unusable and replaced.
    close_old_connections()
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    recovered = client.get(url)
    assert recovered.status_code == 200
    assert "Cleveland Police" in recovered.content.decode()
