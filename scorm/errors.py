"""Errors of the pure SCORM package (a ``QtiError``: the same handling everywhere)."""

from qti.errors import QtiError


class ScormError(QtiError):
    """A SCORM package or manifest that cannot be imported, with the reason."""
