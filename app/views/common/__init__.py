"""Shared view pieces: widgets, labels, the task runner, the data-changed hub, PDF preview."""
