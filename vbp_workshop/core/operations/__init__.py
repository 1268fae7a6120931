"""Operations: every change to a workshop is one function here.

Each operation validates, writes in one transaction through the store (the one place SQL
lives) and tells the screens what changed with a `Changes` record (tables, row ids and who
started it: facilitator, phone, import, undo, live). The UI and the server change a workshop
only through these; undo replays the inverse edits through `apply_edits`, so the same rules
hold for an undo as for the edit itself.
"""

from vbp_workshop.core.operations.edits import Refused, apply_edits, frozen_reason, poll_integrity
from vbp_workshop.core.operations.live import (
    close_poll,
    derive,
    derive_result,
    new_round,
    open_poll,
    reveal,
    rotate_join_code,
)
from vbp_workshop.core.operations.steps import step_field_edit

__all__ = ["Refused", "apply_edits", "close_poll", "derive", "derive_result", "frozen_reason",
           "new_round", "open_poll", "poll_integrity", "reveal", "rotate_join_code", "step_field_edit"]
