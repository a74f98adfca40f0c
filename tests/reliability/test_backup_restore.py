"""Backups restore: pg_dump the test database, pg_restore it into a scratch database, and check there that
every signed-off snapshot still matches its SHA-256 (the procedure in docs/operations.md, "Backups")."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from assessments.models import AssessmentSnapshot
from assessments.snapshots import canonical_bytes
from tests.security.helpers import build_scene

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
    pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed"),
]


def _client_env() -> tuple[list[str], dict[str, str]]:
    """Connection options for the PostgreSQL command-line tools, from Django's settings."""
    settings = connection.settings_dict
    options = ["--host", settings["HOST"] or "127.0.0.1", "--port", str(settings["PORT"] or 5432)]
    options += ["--username", settings["USER"] or "postgres"]
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return options, env


def _run(*command: str, env: dict[str, str]) -> None:
    subprocess.run(command, check=True, env=env, capture_output=True, timeout=120)  # noqa: S603


def _connect(database: str) -> Any:
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1",
        port=int(settings["PORT"] or 5432),
        user=settings["USER"] or "postgres",
        password=settings.get("PASSWORD") or None,
        dbname=database,
        autocommit=True,
    )


@pytest.fixture
def scratch_database():
    """A uniquely named empty database, dropped afterwards whatever happens."""
    name = f"msoic_restore_{uuid.uuid4().hex[:12]}"
    options, env = _client_env()
    _run("createdb", *options, name, env=env)
    try:
        yield name
    finally:
        _run("dropdb", *options, "--if-exists", "--force", name, env=env)


@pytest.mark.django_db(transaction=True)
def test_a_dump_restores_and_every_signed_off_snapshot_verifies(
    world, open_round, scratch_database, tmp_path: Path
):
    build_scene(world, open_round, "signed_off")
    expected = dict(AssessmentSnapshot.objects.values_list("pk", "sha256"))
    assert len(expected) == 3

    options, env = _client_env()
    dump = tmp_path / "msoic.dump"
    _run(
        "pg_dump", *options, "--format=custom", "--no-owner", "--no-privileges",
        f"--file={dump}", connection.settings_dict["NAME"], env=env,
    )  # fmt: skip
    assert dump.stat().st_size > 0
    _run(
        "pg_restore",
        *options,
        "--no-owner",
        "--exit-on-error",
        f"--dbname={scratch_database}",
        str(dump),
        env=env,
    )

    with _connect(scratch_database) as restored, restored.cursor() as cursor:
        cursor.execute("SELECT id, data, sha256 FROM assessments_assessmentsnapshot ORDER BY id")
        rows = cursor.fetchall()
        cursor.execute("SELECT COUNT(*) FROM assessments_assessmentevent")
        events = cursor.fetchone()
        cursor.execute(
            "SELECT COUNT(*) FROM pg_trigger WHERE tgname = 'assessments_assessmentevent_append_only'"
        )
        triggers = cursor.fetchone()
    assert {row[0]: row[2] for row in rows} == expected
    for pk, data, stored in rows:
        assert hashlib.sha256(canonical_bytes(data)).hexdigest() == stored, f"snapshot {pk} does not verify"
    assert events is not None and events[0] == 6  # a submission and a sign-off for each force
    assert triggers is not None and triggers[0] == 1, (
        "the append-only trigger did not come back with the restore"
    )
