"""Reads for each page, scoped to the user. One selector per page, with its related rows fetched up front.

The package: `home` (where a person starts, a force's page), `task_list` (the task list and check your
answers), `activity` (one activity's page and history), `review` (the coordinator's review page),
`evidence` (the evidence-of-change rule's reads),
`rounds` (the round picker every page with one uses), `actions` (the action register and the overdue
roll-up).
Callers use `assessments.selectors.<name>`.
"""

from __future__ import annotations

from assessments.benchmarks import NationalBenchmark, national_benchmark
from assessments.selectors.actions import (
    DUE_FILTERS,
    ActionFilters,
    ForceActionRegister,
    OverdueRollUp,
    force_action_register,
    open_action_of_force,
    overdue_roll_up,
)
from assessments.selectors.activity import ActivityPage, activity_page, incomplete_returns, return_history
from assessments.selectors.evidence import EvidenceBreach, EvidenceCheck, evidence_breaches, evidence_check
from assessments.selectors.home import (
    AreaProgress,
    AssessmentProgress,
    Destination,
    ForceHome,
    assessment_progress,
    force_home,
    home_destinations,
)
from assessments.selectors.rounds import RoundChoice, round_choice, round_id_from
from assessments.selectors.task_list import (
    AreaHeading,
    ReturnState,
    TaskRow,
    TaskSection,
    incomplete_rows,
    progress_of,
    task_list,
    task_status_of,
)

__all__ = [
    "NationalBenchmark",
    "national_benchmark",
    "DUE_FILTERS",
    "ActionFilters",
    "ForceActionRegister",
    "OverdueRollUp",
    "force_action_register",
    "open_action_of_force",
    "overdue_roll_up",
    "ActivityPage",
    "EvidenceBreach",
    "EvidenceCheck",
    "evidence_breaches",
    "evidence_check",
    "AreaHeading",
    "AreaProgress",
    "AssessmentProgress",
    "Destination",
    "ForceHome",
    "ReturnState",
    "RoundChoice",
    "TaskRow",
    "TaskSection",
    "activity_page",
    "assessment_progress",
    "force_home",
    "home_destinations",
    "incomplete_returns",
    "incomplete_rows",
    "progress_of",
    "return_history",
    "round_choice",
    "round_id_from",
    "task_list",
    "task_status_of",
]
