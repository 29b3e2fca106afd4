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


def one_line(err: BaseException, limit: int = 200) -> str:
    """``err`` as one line of at most ``limit`` characters, for a message: a database error's driver
    message (``err.orig``), the exception's type name when it says nothing."""
    orig = getattr(err, "orig", None) or err
    text = " ".join(str(orig).split())
    if "int_max_str_digits" in text or "integer string conversion" in text:
        return "a number in it has too many digits"
    return text[:limit] or type(orig).__name__
