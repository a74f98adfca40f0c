"""Forms for activity returns, submission, review and the other pages: field checks here, the status
rules from rules.py. One module per page group; every form is importable from here."""

from assessments.forms.actions import (
    ActionCloseForm as ActionCloseForm,
)
from assessments.forms.actions import (
    ConsentForm as ConsentForm,
)
from assessments.forms.actions import (
    EvidenceRuleForm as EvidenceRuleForm,
)
from assessments.forms.activity import (
    ActivityReturnForm as ActivityReturnForm,
)
from assessments.forms.activity import (
    BaseEvidenceReferenceFormSet as BaseEvidenceReferenceFormSet,
)
from assessments.forms.activity import (
    EvidenceReferenceForm as EvidenceReferenceForm,
)
from assessments.forms.activity import (
    EvidenceReferenceFormSet as EvidenceReferenceFormSet,
)
from assessments.forms.activity import (
    SubmitForm as SubmitForm,
)
from assessments.forms.activity import (
    add_evidence_of_change_errors as add_evidence_of_change_errors,
)
from assessments.forms.fields import (
    EARLIEST_YEAR as EARLIEST_YEAR,
)
from assessments.forms.fields import (
    LATEST_YEAR as LATEST_YEAR,
)
from assessments.forms.fields import (
    STATUS_CHOICES as STATUS_CHOICES,
)
from assessments.forms.fields import (
    RealDateField as RealDateField,
)
from assessments.forms.fields import (
    clean_text as clean_text,
)
from assessments.forms.fields import (
    error_summary_helper as error_summary_helper,
)
from assessments.forms.fields import (
    position_of as position_of,
)
from assessments.forms.review import (
    NominationForm as NominationForm,
)
from assessments.forms.review import (
    ReopenForm as ReopenForm,
)
from assessments.forms.review import (
    ReviewForm as ReviewForm,
)
