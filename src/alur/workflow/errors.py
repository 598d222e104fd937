"""Why the engine refused to do something. Every message is meant for the person who asked."""
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


class TaskNotOpen(WorkflowError):
    code = "task_not_open"


class MissingDocuments(WorkflowError):
    code = "missing_documents"

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message)
        self.missing = missing


class InvalidInput(WorkflowError):
    code = "invalid"
