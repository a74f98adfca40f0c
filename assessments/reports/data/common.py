"""Figures and labels shared by every report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# DUE_SOON_DAYS is re-exported: the horizon is defined once, with the action rules.
from assessments.actions import DUE_SOON_DAYS as DUE_SOON_DAYS

# TOP_OF_SCALE is re-exported: "implemented or embedded" is defined once, with the statuses.
from assessments.status import NOT_ANSWERED, ImplementationStatus, implementation_label
from assessments.status import TOP_OF_SCALE as TOP_OF_SCALE

NOT_ANSWERED_LABEL = NOT_ANSWERED
# Statuses in scale order, then "" for not answered: the columns of every count table.
_COUNTED = (*ImplementationStatus.values, "")


def share(part: int, whole: int) -> int:
    """A whole percentage (0 when there is nothing to count)."""
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class StatusCount:
    """How many activities are at one implementation status ("" for not answered)."""

    status: str
    label: str
    count: int


def status_counts(statuses: Iterable[str]) -> tuple[StatusCount, ...]:
    """Counts for every status in scale order, then "Not answered"; zeros included."""
    tally: dict[str, int] = defaultdict(int)
    for status in statuses:
        tally[status if status in _COUNTED else ""] += 1
    return counts_from_tally(tally)


def counts_from_tally(tally: Mapping[str, int]) -> tuple[StatusCount, ...]:
    """StatusCount rows from a {status: count} mapping."""
    return tuple(
        StatusCount(status=s, label=implementation_label(s), count=tally.get(s, 0)) for s in _COUNTED
    )
