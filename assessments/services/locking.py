"""The rows a save locks, read as plain values through prepared reads and made into instances, in the
order every write takes them: the assessment, the return, its open action."""

from __future__ import annotations

from typing import TypeVar

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, Subquery

from assessments.actions import (
    ActionClosure,
)
from assessments.models import (
    Action,
    ActivityReturn,
    Assessment,
)
from ops.prepared_reads import PreparedRead

M = TypeVar("M", bound=Model)


def _fields(model: type[Model]) -> tuple[str, ...]:
    """A model's columns (attnames) in the order Model.from_db takes them for a whole row."""
    return tuple(field.attname for field in model._meta.concrete_fields)


_ASSESSMENT_FIELDS = _fields(Assessment)


_RETURN_FIELDS = _fields(ActivityReturn)


_ACTION_FIELDS = _fields(Action)


# The save's locking reads, compiled once per connection (ops.prepared_reads): the ORM took longer to
# build their SQL than the database took to answer, on every save. Each reads whole rows of one table,
# with no join, so a plain FOR UPDATE locks exactly what select_for_update(of=("self",)) locked (the
# return's assessment is found by a subquery, which locks nothing). Rows become model instances by
# Model.from_db, as the ORM's own iteration makes them.
_LOCKED_ASSESSMENT = PreparedRead(
    lambda return_id: (
        Assessment.objects.select_for_update()
        .filter(
            pk=Subquery(ActivityReturn.objects.filter(pk=return_id).order_by().values("assessment_id")[:1])
        )
        .order_by()
        .values_list(*_ASSESSMENT_FIELDS)
    ),
    "return_id",
)


_LOCKED_RETURN = PreparedRead(
    lambda return_id: (
        ActivityReturn.objects.select_for_update()
        .filter(pk=return_id)
        .order_by()
        .values_list(*_RETURN_FIELDS)
    ),
    "return_id",
)


# The force's open action for the activity (at most one: a database constraint); the lowest id, as
# QuerySet.first() chose before.
_LOCKED_OPEN_ACTION = PreparedRead(
    lambda force_id, activity_id: (
        Action.objects.select_for_update()
        .filter(force_id=force_id, activity_id=activity_id, closed_as=ActionClosure.OPEN)
        .order_by("pk")
        .values_list(*_ACTION_FIELDS)[:1]
    ),
    "force_id",
    "activity_id",
)


def _locked(read: PreparedRead, model: type[M], fields: tuple[str, ...], **values: int) -> M | None:
    rows = read.rows(**values)
    return model.from_db(DEFAULT_DB_ALIAS, list(fields), rows[0]) if rows else None
