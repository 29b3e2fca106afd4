"""Errors with a typed reason, so that faces can print one clear line and batches can record why."""

from __future__ import annotations


class SourcebookError(Exception):
    """Base class: ``reason`` is a short machine-readable code, ``str(err)`` a one-line message."""

    reason = "error"

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        if reason:
            self.reason = reason


class InputError(SourcebookError):
    """The input cannot be read as an English news article (empty, binary, too large, ...)."""

    reason = "bad_input"


class ModelError(SourcebookError):
    """The requested spaCy pipeline is not installed or is not usable."""

    reason = "model"


class ReviewError(SourcebookError):
    """A review that cannot be made: unknown item, bad value, unknown action (one line)."""

    reason = "review"
