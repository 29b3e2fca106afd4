"""How a figure is written in every face of sourcebook (CLI tables, the web UI, the report, the
ledger, the display columns of the exports): one function for its range, one for its movement.

>>> fmt_range(7000, 7000), fmt_range(200, 999), fmt_range(150, None), fmt_range(None, 150)
('7,000', '200–999', '≥150', '≤150')

An open end is "≥" (at least) or "≤" (at most); a closed range uses an en dash; thousands are
separated by commas.  ``None`` for both ends (which no extracted figure has) is "?".
"""

from __future__ import annotations

from typing import Any


def fmt_range(low: int | None, high: int | None) -> str:
    """``low``..``high`` as written everywhere: "7,000", "200–999", "≥150", "≤150"."""
    if low is None and high is None:
        return "?"
    if high is None:
        return f"≥{low:,}"
    if low is None:
        return f"≤{high:,}"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def range_of(item: Any, low: str = "low", high: str = "high") -> str:
    """``fmt_range`` of a mapping's or an object's ``low`` and ``high`` (or the names given)."""
    if isinstance(item, dict):
        return fmt_range(item.get(low), item.get(high))
    return fmt_range(getattr(item, low, None), getattr(item, high, None))


def _end(place: Any) -> str | None:
    if not isinstance(place, dict):
        return None
    return place.get("country") or place.get("text") or None


def movement_label(status: str | None, frm: Any = None, to: Any = None, heading: Any = None,
                   place: Any = None) -> str:
    """A figure's movement in words: "SY → TR" only where the text gives a direction, "held in TR"
    for detained people (where they are held), "heading SY (not reached)" for a destination they
    did not reach; "" when the text says nothing of it.

    >>> movement_label("detained", None, None, {"country": "SY"}, {"text": "Turkey", "country": "TR"})
    'held in TR · heading SY (not reached)'
    """
    parts = []
    if _end(frm) or _end(to):
        parts.append(f"{_end(frm) or '?'} → {_end(to) or '?'}")
    if status == "detained" and _end(place):
        parts.append(f"held in {_end(place)}")
    if _end(heading):
        parts.append(f"heading {_end(heading)} (not reached)")
    return " · ".join(parts)
