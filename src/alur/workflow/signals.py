"""Where other apps join the engine's moves without the engine knowing them.

The engine runs any SOP and knows nothing of what a case is about. An app that does (agreements:
the dates of a signing, the register number at the end) connects receivers to these signals in
its AppConfig.ready and looks at `sop_key` and the step or end to decide whether the move is one
it cares about.

- `step_completing`: sent by complete_task once the actor, the decision and the record have been
  checked, before anything is written (no file stored, no row changed). A receiver refuses the
  completion by raising a WorkflowError (InvalidInput, NotAllowed ...): the person sees its
  message and nothing changes. Arguments: sop_key, case_id, task_id, step (alur.sop.model.Step),
  outcome ('' for a plain step), record (the checked values, by field key), actor.
- `case_ended`: sent by complete_task when the completion brings the case to an end, after the
  task is closed, the case ended and the completion's audit event written, inside the same
  transaction. A receiver may write rows of its own there (they commit with the completion) or
  raise a WorkflowError, which rolls the whole completion back. Arguments: sop_key, case_id,
  end_key, status (the case's new status), actor, at (the completion's time).

Both are sent with the engine's model as sender (Task, Case) and with Django's per-sender cache,
so a send with no receiver connected costs one dictionary lookup on the hot path.
"""
from __future__ import annotations

from django.dispatch import Signal

step_completing = Signal(use_caching=True)
case_ended = Signal(use_caching=True)
