"""Report pack transitions: the only code that changes a pack's state.

In the style of assessments/workflow.py: each move opens a transaction, re-reads the pack with
select_for_update(), checks it against PACK_TRANSITIONS (assessments/status.py), saves the state with
the fields that go with it, and logs the move. A pack keeps no event rows: its record is the error
shown to the person who asked for it, the time it finished, and these log lines (ids only).

They take the pack's id, not an instance: the worker, the parts and the request that abandons a stale
pack each hold their own, possibly out-of-date, copy, and only the locked re-read may decide.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from assessments.models import ReportPack
from assessments.status import PACK_TRANSITIONS, PackState

logger = logging.getLogger(__name__)


class InvalidPackTransition(Exception):
    """The pack is not in a state that allows this move (it already started, finished or failed)."""

    def __init__(self, current: str, target: str) -> None:
        self.current = PackState(current)
        self.target = PackState(target)
        super().__init__(
            f"A pack that is {self.current.label.lower()} cannot be moved to {self.target.label.lower()}."
        )


def _lock(pack_id: int, target: PackState) -> tuple[ReportPack, PackState]:
    """The pack, locked until the transaction ends, and its state, which must allow the move."""
    pack = ReportPack.objects.select_for_update().get(pk=pack_id)
    current = PackState(pack.state)
    if target not in PACK_TRANSITIONS[current]:
        raise InvalidPackTransition(current, target)
    return pack, current


def _logged(pack: ReportPack, from_state: PackState) -> ReportPack:
    logger.info(
        "Report pack %s moved from %s to %s",
        pack.pk,
        from_state.value,
        pack.state,
        extra={"event": f"report_pack_{pack.state}"},
    )
    return pack


def start(*, pack_id: int) -> ReportPack:
    """The worker takes a queued pack and starts making its reports."""
    with transaction.atomic():
        pack, from_state = _lock(pack_id, PackState.RUNNING)
        pack.state = PackState.RUNNING
        pack.save(update_fields=["state"])
    return _logged(pack, from_state)


def finish(*, pack_id: int, file_name: str) -> ReportPack:
    """Every report is in the stored zip `file_name`: the pack is ready to download."""
    with transaction.atomic():
        pack, from_state = _lock(pack_id, PackState.READY)
        pack.state = PackState.READY
        pack.file.name = file_name
        pack.finished_at = timezone.now()
        pack.save(update_fields=["state", "file", "finished_at"])
    return _logged(pack, from_state)


def fail(*, pack_id: int, error: str) -> ReportPack:
    """A queued or running pack ends without a zip; `error` is what its page tells the requester."""
    with transaction.atomic():
        pack, from_state = _lock(pack_id, PackState.FAILED)
        pack.state = PackState.FAILED
        pack.error = error
        pack.finished_at = timezone.now()
        pack.save(update_fields=["state", "error", "finished_at"])
    return _logged(pack, from_state)
