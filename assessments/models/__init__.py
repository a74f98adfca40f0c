"""The assessments app's models, one module per concern, all importable from here.

- reference: regions, forces and review rounds;
- assessment: assessments, activity returns (and their history), actions, looked-at marks;
- records: the append-only workflow and round events, and the signed-off snapshots;
- reports: stored PDFs, national packs and the reminders sent;
- practice: notable practice and its events.
"""

from assessments.models.assessment import (
    Action as Action,
)
from assessments.models.assessment import (
    ActivityReturn as ActivityReturn,
)
from assessments.models.assessment import (
    ActivityReturnHistory as ActivityReturnHistory,
)
from assessments.models.assessment import (
    Assessment as Assessment,
)
from assessments.models.assessment import (
    ReviewMark as ReviewMark,
)
from assessments.models.assessment import (
    empty_evidence_references as empty_evidence_references,
)
from assessments.models.practice import (
    Attribution as Attribution,
)
from assessments.models.practice import (
    NotablePractice as NotablePractice,
)
from assessments.models.practice import (
    PracticeEvent as PracticeEvent,
)
from assessments.models.practice import (
    PracticeEventQuerySet as PracticeEventQuerySet,
)
from assessments.models.practice import (
    PracticeState as PracticeState,
)
from assessments.models.records import (
    AppendOnlyQuerySet as AppendOnlyQuerySet,
)
from assessments.models.records import (
    AssessmentEvent as AssessmentEvent,
)
from assessments.models.records import (
    AssessmentSnapshot as AssessmentSnapshot,
)
from assessments.models.records import (
    RoundEvent as RoundEvent,
)
from assessments.models.records import (
    RoundEventQuerySet as RoundEventQuerySet,
)
from assessments.models.reference import (
    Force as Force,
)
from assessments.models.reference import (
    ForceManager as ForceManager,
)
from assessments.models.reference import (
    Region as Region,
)
from assessments.models.reference import (
    RegionManager as RegionManager,
)
from assessments.models.reference import (
    Round as Round,
)
from assessments.models.reports import (
    ReminderLog as ReminderLog,
)
from assessments.models.reports import (
    ReportPack as ReportPack,
)
from assessments.models.reports import (
    StoredReport as StoredReport,
)
from assessments.models.reports import (
    stored_report_path as stored_report_path,
)
