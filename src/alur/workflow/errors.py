"""Why the engine refused to do something. Every message is meant for the person who asked.

Two kinds of refusal: NotFound and NotAllowed end the request (the web shows its 404 or 403 page
with the message, in one place: web/middleware.py); InvalidInput and its kinds are for the
person to put right where they asked (the form, the row), so views catch them and say them there.
The CLI refuses every one the same way, by its code."""
from __future__ import annotations


class WorkflowError(Exception):
    """A refused action. Nothing was changed."""

    code = "refused"

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class NotFound(WorkflowError):
    code = "not_found"


class NotAllowed(WorkflowError):
    code = "not_allowed"


class InvalidInput(WorkflowError):
    code = "invalid"


class TaskNotOpen(InvalidInput):
    """Someone else finished the task first, or it was closed: said at the form, not a refusal page."""

    code = "task_not_open"


class MissingDocuments(InvalidInput):
    code = "missing_documents"

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing
