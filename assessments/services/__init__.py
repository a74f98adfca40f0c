"""Writes other than workflow transitions: opening a round (with carry-forward), saving a return, actions.

Actions (assessments.models.Action) are written only here: `action_follow_return` after every saved
answer, `action_close` when a SPOC marks one done or replaces it, the carry-forward in `round_open`, and
`actions_from_returns` for returns written in bulk (the data generator). The decisions are
assessments.actions.action_on_save.


One module per concern (rounds, returns, actions, and the locking reads they share); every write is
importable from here."""

from assessments.services.actions import (
    ActionNotOpen as ActionNotOpen,
)
from assessments.services.actions import (
    CannotReplaceNow as CannotReplaceNow,
)
from assessments.services.actions import (
    ClosedAction as ClosedAction,
)
from assessments.services.actions import (
    ReplacementNotAnAction as ReplacementNotAnAction,
)
from assessments.services.actions import (
    action_follow_return as action_follow_return,
)
from assessments.services.actions import (
    actions_from_returns as actions_from_returns,
)
from assessments.services.returns import (
    EDITABLE_FIELDS as EDITABLE_FIELDS,
)
from assessments.services.returns import (
    StaleReturn as StaleReturn,
)
from assessments.services.returns import (
    UnknownActivity as UnknownActivity,
)
from assessments.services.returns import (
    action_close as action_close,
)
from assessments.services.returns import (
    activity_return_save as activity_return_save,
)
from assessments.services.returns import (
    review_mark_set as review_mark_set,
)
from assessments.services.rounds import (
    OpenedRound as OpenedRound,
)
from assessments.services.rounds import (
    last_signed_off_answers as last_signed_off_answers,
)
from assessments.services.rounds import (
    round_open as round_open,
)
