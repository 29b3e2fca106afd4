"""What reaches a terminal: article text is untrusted, so control characters never pass.

Article text, titles, names and file names may hold terminal control sequences (``ESC [2J`` clears
the screen, ``ESC ] 0;...BEL`` retitles the window, C1 ``CSI`` does the same on 8-bit terminals).
Everything the command line prints to a terminal goes through :class:`SafeConsole`, whose segments
are cleaned by :func:`strip_controls` after rich has laid them out: C0 controls except new line and
tab, DEL, and C1 controls are removed.  Rich's own styling (its control segments and the escape
codes it adds for styles) is untouched.  Stored text is never changed: this is for display only.

JSON printed on standard output stays exact: :func:`json_text` writes the same values, with DEL and
C1 characters as ``\\u`` escapes (C0 ones are escaped by JSON already).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

#: C0 controls but new line and tab, DEL, and C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without terminal control characters (new lines and tabs are kept)."""
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


class SafeConsole(Console):
    """A rich Console whose text segments never carry control characters (see the module doc)."""

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for seg in super().render(renderable, options):
            if seg.control or not _CONTROLS.search(seg.text):
                yield seg
            else:
                yield Segment(strip_controls(seg.text), seg.style)


def json_text(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **kwargs)`` with DEL and C1 characters escaped."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
