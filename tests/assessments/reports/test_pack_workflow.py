"""Report pack states: the table, every allowed and refused move, the locked re-read, where the tasks live."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.utils.module_loading import import_string

from assessments.models import ReportPack
from assessments.reports import pack_workflow, packs
from assessments.reports.pack_workflow import InvalidPackTransition
from assessments.status import PACK_TRANSITIONS, PackState
from msoic.settings.env import BASE_DIR
from tests.status_guard import GUARDED, offending_writes

# The move that reaches each state; nothing moves a pack back to queued.
MOVES = {
    PackState.RUNNING: lambda pack_id: pack_workflow.start(pack_id=pack_id),
    PackState.READY: lambda pack_id: pack_workflow.finish(pack_id=pack_id, file_name="report-packs/p.zip"),
    PackState.FAILED: lambda pack_id: pack_workflow.fail(pack_id=pack_id, error="It broke."),
}
ALLOWED = [(start, target) for start, targets in PACK_TRANSITIONS.items() for target in sorted(targets)]
REFUSED = [
    (start, target) for start in PackState for target in MOVES if target not in PACK_TRANSITIONS[start]
]


@pytest.fixture
def make_pack(world, open_round):
    def make(state: PackState) -> ReportPack:
        return ReportPack.objects.create(
            requested_by=world.national, round=open_round, scope="national", state=state
        )

    return make


def stored(pack_id: int) -> dict[str, object]:
    return ReportPack.objects.values("state", "file", "error", "finished_at", "done", "total").get(pk=pack_id)


def test_the_pack_transition_table_is_the_designed_one():
    assert {
        PackState.QUEUED: {PackState.RUNNING, PackState.FAILED},
        PackState.RUNNING: {PackState.READY, PackState.FAILED},
        PackState.READY: set(),
        PackState.FAILED: set(),
    } == PACK_TRANSITIONS
    assert ReportPack.State is PackState


def test_nothing_outside_pack_workflow_writes_a_pack_state():
    """The syntax-tree guard of tests/status_guard.py, for ReportPack.state."""
    pack_state = [guarded for guarded in GUARDED if guarded.model == "ReportPack"]
    assert pack_state[0].writer == "assessments/reports/pack_workflow.py"
    assert [str(write) for write in offending_writes(BASE_DIR, pack_state)] == []


@pytest.mark.parametrize(("start", "target"), ALLOWED)
def test_each_allowed_move_saves_the_state_and_its_fields(make_pack, start, target):
    pack = make_pack(start)
    moved = MOVES[target](pack.pk)
    after = stored(pack.pk)
    assert moved.state == after["state"] == target
    assert (after["file"] == "report-packs/p.zip") is (target == PackState.READY)
    assert (after["error"] == "It broke.") is (target == PackState.FAILED)
    assert (after["finished_at"] is not None) is (target in (PackState.READY, PackState.FAILED))


@pytest.mark.parametrize(("start", "target"), REFUSED)
def test_each_refused_move_raises_and_changes_nothing(make_pack, start, target):
    pack = make_pack(start)
    before = stored(pack.pk)
    with pytest.raises(InvalidPackTransition) as raised:
        MOVES[target](pack.pk)
    assert (raised.value.current, raised.value.target) == (start, target)
    assert stored(pack.pk) == before


def test_the_move_is_decided_by_the_stored_row_not_the_callers_copy(make_pack):
    pack = make_pack(PackState.QUEUED)
    pack_workflow.fail(pack_id=pack.pk, error="Abandoned.")
    assert pack.state == PackState.QUEUED  # the caller's copy is out of date
    with pytest.raises(InvalidPackTransition):
        pack_workflow.start(pack_id=pack.pk)
    assert stored(pack.pk)["state"] == PackState.FAILED


def test_a_repeated_or_late_build_task_leaves_a_finished_pack_alone(make_pack):
    pack = make_pack(PackState.FAILED)
    before = stored(pack.pk)
    packs.report_pack_build(pack_id=pack.pk)
    assert stored(pack.pk) == before


def test_the_tasks_live_in_packs_and_rows_stored_under_the_old_path_still_resolve():
    """django-tasks stores a task by its function's dotted path and finds it with import_string."""
    assert packs.make_report_pack.module_path == "assessments.reports.packs.make_report_pack"
    assert packs.make_report_pack_part.module_path == "assessments.reports.packs.make_report_pack_part"
    assert import_string("assessments.reports.tasks.make_report_pack") is packs.make_report_pack
    assert import_string("assessments.reports.tasks.make_report_pack_part") is packs.make_report_pack_part


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there)",
)
@pytest.mark.django_db(transaction=True)
def test_finishing_and_failing_at_once_leaves_exactly_one_outcome(make_pack, monkeypatch):
    pack = make_pack(PackState.RUNNING)
    save = ReportPack.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.3)  # between the read and the write: without the row lock both moves would pass
        save(self, *args, **kwargs)

    monkeypatch.setattr(ReportPack, "save", slow_save)
    barrier = threading.Barrier(2)
    outcomes: dict[PackState, object] = {}

    def move(target):
        try:
            barrier.wait(timeout=10)
            MOVES[target](pack.pk)
            outcomes[target] = "moved"
        except Exception as error:  # the test inspects whatever was raised
            outcomes[target] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=move, args=(target,)) for target in (PackState.READY, PackState.FAILED)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [target for target, outcome in outcomes.items() if outcome == "moved"]
    losers = [outcome for outcome in outcomes.values() if outcome != "moved"]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], InvalidPackTransition)
    assert losers[0].current == winners[0]
    after = stored(pack.pk)
    assert after["state"] == winners[0]
    # The loser wrote nothing: a ready pack has no error, a failed one no file.
    assert (after["file"], after["error"]) == (
        ("report-packs/p.zip", "") if winners[0] == PackState.READY else ("", "It broke.")
    )
