"""Errors raised by the pure question packages."""


class QtiError(ValueError):
    """An item, response or file does not fit the question model."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field

    def __reduce__(self):
        # Keep ``field`` when the error travels from a worker process (pickled).
        return type(self), (self.message, self.field)


class UnsupportedItem(QtiError):
    """A well-formed QTI item the question model cannot represent (with the reason)."""
