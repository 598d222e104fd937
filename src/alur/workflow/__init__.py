"""The engine: runs any loaded SOP definition as cases and tasks, with an audit trail."""
