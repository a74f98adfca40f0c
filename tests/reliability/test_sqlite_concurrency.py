"""SQLite, the embedded default, under two users saving the same activity at once.

The test database under pytest is in memory and shared by every thread through one cache, which locks
differently from a file; so these tests open their own file database with the options the settings
give it (msoic.settings.env.database), as the service does when run on SQLite.

A save reads the row (its revision), then writes it. In SQLite's default deferred transactions two such
saves both take a read lock, and the second to write cannot upgrade its lock: it fails at once with
"database is locked", whatever the timeout, which the service showed as a 500. With BEGIN IMMEDIATE the
second save waits for the first to commit, then reads the new revision.
"""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from django.db import connections, transaction
from django.db.utils import OperationalError

from msoic.settings.env import database

ALIAS = "concurrent_sqlite"


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A file SQLite database configured exactly as the settings configure one, with one row to fight over."""
    connections.settings[ALIAS] = {
        **database(f"sqlite:///{tmp_path / 'service.sqlite3'}"),
        "TIME_ZONE": None,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
        "TEST": {},
    }
    # Only this file database is used, never the test database, so no django_db mark is needed.
    with django_db_blocker.unblock():
        connection = connections[ALIAS]
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TABLE activity_return (id INTEGER PRIMARY KEY, revision INTEGER, text TEXT)"
            )
            cursor.execute("INSERT INTO activity_return VALUES (1, 0, '')")
        connection.close()
        yield
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def save_with_revision_check(text: str, outcomes: list[str], both_read: threading.Barrier) -> None:
    """What services.activity_return_save does: read the revision, then write only if it is unchanged."""
    connection = connections[ALIAS]  # each thread has its own connection
    try:
        with transaction.atomic(using=ALIAS), connection.cursor() as cursor:
            cursor.execute("SELECT revision FROM activity_return WHERE id = 1")
            (revision,) = cursor.fetchone()
            with contextlib.suppress(threading.BrokenBarrierError):
                both_read.wait(timeout=0.5)  # under BEGIN IMMEDIATE only one gets here at a time
            time.sleep(0.05)
            cursor.execute(
                "UPDATE activity_return SET revision = revision + 1, text = %s "
                "WHERE id = 1 AND revision = %s",
                [text, revision],
            )
            outcomes.append("saved" if cursor.rowcount == 1 else "someone else saved")
    except OperationalError as error:
        outcomes.append(f"error: {error}")
    finally:
        connection.close()


def test_the_settings_give_sqlite_wal_a_busy_timeout_and_immediate_transactions():
    options = database("sqlite:////tmp/service.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 5
    assert "journal_mode=WAL" in options["init_command"]


def test_two_saves_of_the_same_activity_at_once_both_end_without_an_error(file_database):
    for _attempt in range(3):
        outcomes: list[str] = []
        both_read = threading.Barrier(2)
        threads = [
            threading.Thread(target=save_with_revision_check, args=(f"from user {n}", outcomes, both_read))
            for n in (1, 2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert not [outcome for outcome in outcomes if outcome.startswith("error")], outcomes
        assert sorted(outcomes) in (["saved", "saved"], ["saved", "someone else saved"])


def test_the_file_database_is_in_wal_mode(file_database):
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
