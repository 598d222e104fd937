"""Where a domain acts on the moves of the cases that carry its subject.

The engine runs any SOP and knows nothing of what a case is about. A definition says what its
cases carry (`intake: subject: agreement`); the engine then calls the hooks that the domain of that
subject registered here, at two points of complete_task, in the completion's transaction:

- `check_step(definition=, case_id=, step=, outcome=, record=, actor=)`: once the actor, the
  decision and the record have been checked, before anything is written. Refuses the completion
  by raising a WorkflowError (InvalidInput, NotAllowed ...); nothing changes then.
- `step_completed(definition=, case_id=, step=, outcome=, record=, end_key=, actor=, at=)`: after
  the task is closed, the next task opened or the case ended (`end_key` is the end reached, or "")
  and the completion's audit event written. What it writes commits with the completion; an error
  rolls the whole completion back.

SUBJECT_HOOKS is the one table: subject -> hooks. The agreements app fills it in its AppConfig.ready.
"""
from __future__ import annotations

from typing import Protocol

from alur.sop import SopDefinition


class SubjectHooks(Protocol):
    def check_step(self, *, definition: SopDefinition, case_id: int, step, outcome: str, record: dict, actor) -> None: ...

    def step_completed(self, *, definition: SopDefinition, case_id: int, step, outcome: str, record: dict,
                       end_key: str, actor, at) -> None: ...


SUBJECT_HOOKS: dict[str, SubjectHooks] = {}


def register_subject(subject: str, hooks: SubjectHooks) -> None:
    SUBJECT_HOOKS[subject] = hooks


def hooks_for(definition: SopDefinition) -> SubjectHooks | None:
    """The hooks of what this SOP's cases carry, or None for an SOP whose cases carry nothing."""
    return SUBJECT_HOOKS.get(definition.intake_subject) if definition.intake_subject else None
