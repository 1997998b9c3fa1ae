"""The one domain error type that services raise."""

from __future__ import annotations

from typing import Any


class ConvergeError(Exception):
    """A rule was broken. ``message`` is for people; ``details`` for machines.

    ``field`` names the form field that caused it, so HTML views can show the message beside it.
    ``status`` is the HTTP status the API answers with.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        details: dict[str, Any] | None = None,
        status: int = 400,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.field = field
        self.details: dict[str, Any] = dict(details or {})
        if field and "field" not in self.details:
            self.details["field"] = field
        self.status = status


class NotFound(ConvergeError):
    def __init__(self, message: str = "Not found.") -> None:
        super().__init__(message, status=404)
