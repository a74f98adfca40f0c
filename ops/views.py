"""The health check load balancers and monitoring call."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# A load balancer gives up after a few seconds; answer 503 before it does rather than hang.
HEALTH_CONNECT_TIMEOUT_SECONDS = 2
HEALTH_STATEMENT_TIMEOUT_MS = 2000


def probe_database(alias: str = DEFAULT_DB_ALIAS) -> tuple[bool, int | None]:
    """Whether the database answers, and how many tasks wait for a worker (None if unknown).

    Uses its own short-lived connection with short timeouts, so a dead database or a stale pooled
    connection gives a quick "unreachable" instead of a hung request.
    """
    probe = connections[alias].copy()
    options = probe.settings_dict.setdefault("OPTIONS", {})
    if probe.vendor == "postgresql":
        options["connect_timeout"] = HEALTH_CONNECT_TIMEOUT_SECONDS
        options["options"] = (
            f"{options.get('options', '')} -c statement_timeout={HEALTH_STATEMENT_TIMEOUT_MS}".strip()
        )
    elif probe.vendor == "sqlite":
        options["timeout"] = HEALTH_CONNECT_TIMEOUT_SECONDS
    try:
        with probe.cursor() as cursor:
            cursor.execute("SELECT 1")
            try:
                table = probe.ops.quote_name(DBTaskResult._meta.db_table)
                cursor.execute(
                    f"SELECT COUNT(*) FROM {table} WHERE status = %s",  # noqa: S608 - table name from the model
                    [TaskResultStatus.READY.value],
                )
                row = cursor.fetchone()
            except DatabaseError:
                return True, None
    except DatabaseError:
        return False, None
    finally:
        probe.close()
    return True, int(row[0]) if row else 0


@login_not_required
@never_cache
@require_safe
def health(request: HttpRequest) -> JsonResponse:
    """200 with {"status": "ok"} when this host can serve; 503 when it cannot reach the database."""
    database_ok, pending_tasks = probe_database()
    healthy = database_ok and pending_tasks is not None
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": "ok" if database_ok else "unreachable",
            "pending_tasks": pending_tasks,
        },
        status=200 if healthy else 503,
    )
