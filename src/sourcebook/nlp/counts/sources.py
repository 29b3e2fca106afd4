"""Who asserts a figure: the attributed quote (``doc._.sb_quotes``, from attribution) whose span
contains the number, else the article itself (``REPORTER``)."""

from __future__ import annotations

from ...record import REPORTER
from .context import DocContext


def source_of(ctx: DocContext, num_start: int, num_end: int) -> str:
    """The source id of the innermost-first quote containing characters ``num_start:num_end``."""
    for qt in ctx.quotes:
        if qt.start <= num_start and num_end <= qt.end:
            return qt.source
    return REPORTER
