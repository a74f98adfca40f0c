"""Pages for forces, regions and the national picture, one module per group of pages; assessments/urls.py
reaches every view from here. Views parse, call one selector or service, render."""

from assessments.views.actions import (
    action_close as action_close,
)
from assessments.views.actions import (
    force_actions as force_actions,
)
from assessments.views.actions import (
    national_actions as national_actions,
)
from assessments.views.actions import (
    region_actions as region_actions,
)
from assessments.views.assessment import (
    activity_return as activity_return,
)
from assessments.views.assessment import (
    check_answers as check_answers,
)
from assessments.views.assessment import (
    force_home as force_home,
)
from assessments.views.assessment import (
    return_history as return_history,
)
from assessments.views.assessment import (
    start as start,
)
from assessments.views.assessment import (
    submit as submit,
)
from assessments.views.assessment import (
    submitted as submitted,
)
from assessments.views.assessment import (
    task_list as task_list,
)
from assessments.views.overviews import (
    evidence_rule as evidence_rule,
)
from assessments.views.overviews import (
    national_benchmarks as national_benchmarks,
)
from assessments.views.overviews import (
    national_overview as national_overview,
)
from assessments.views.overviews import (
    pipeline as pipeline,
)
from assessments.views.overviews import (
    region_overview as region_overview,
)
