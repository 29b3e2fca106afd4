"""Article text cut into segments for highlighting, and evidence sentences.

Nothing here builds HTML: the templates loop over the segments and print each one's text with
Jinja's autoescape, so article text can never become markup.  A segment is a run of characters
covered by the same quotes, figures, anonymity reasons and source mentions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

N_COLORS = 12


@dataclass(slots=True)
class Segment:
    text: str
    start: int
    quotes: list[str] = field(default_factory=list)  # quote ids covering it, outermost first
    sources: list[str] = field(default_factory=list)  # their sources
    color: int | None = None  # of the innermost quote's source
    counts: list[str] = field(default_factory=list)
    anon: list[str] = field(default_factory=list)  # sources whose anonymity reason covers it
    mentions: list[str] = field(default_factory=list)  # sources mentioned here
    target: bool = False  # inside the span a link pointed at (``?span=START-END``)

    @property
    def plain(self) -> bool:
        return not (self.quotes or self.counts or self.anon or self.mentions or self.target)

    @property
    def classes(self) -> str:
        out = []
        if self.quotes:
            out.append("q")
            if self.color is not None:
                out.append(f"c{self.color}")
        if self.counts:
            out.append("fig")
        if self.anon:
            out.append("anon")
        if self.mentions:
            out.append("men")
        if self.target:
            out.append("target")
        return " ".join(out)


def _span(item: dict[str, Any], n: int, start: str = "start_char", end: str = "end_char") -> tuple[int, int] | None:
    s, e = item.get(start), item.get(end)
    if not isinstance(s, int) or not isinstance(e, int):
        return None
    s, e = max(0, s), min(n, e)
    return (s, e) if s < e else None


def segments(text: str, *, quotes: Iterable[dict[str, Any]] = (), counts: Iterable[dict[str, Any]] = (),
             reasons: Iterable[dict[str, Any]] = (), mentions: Iterable[dict[str, Any]] = (),
             colors: dict[str, int] | None = None, target: tuple[int, int] | None = None) -> list[Segment]:
    """``text`` cut at every boundary of the given items (dicts with ``start_char``/``end_char``:
    quotes with ``quote_id``/``source_id``, counts with ``count_id``, sources with their
    anonymity reason's ``anonymity_reason_start``/``_end``, mentions with ``source_id``); ``target``:
    a span to mark (a link to the words a claim or an event cites)."""
    n = len(text)
    colors = colors or {}
    qs = [(sp, q["quote_id"], q["source_id"]) for q in quotes if (sp := _span(q, n))]
    cs = [(sp, c["count_id"]) for c in counts if (sp := _span(c, n))]
    rs = [(sp, s["source_id"]) for s in reasons
          if (sp := _span(s, n, "anonymity_reason_start", "anonymity_reason_end"))]
    ms = [(sp, m["source_id"]) for m in mentions if (sp := _span(m, n))]
    tg = _span({"start_char": target[0], "end_char": target[1]}, n) if target else None
    points = {0, n} | set(tg or ())
    for group in (qs, cs, rs, ms):
        for item in group:
            points.update(item[0])
    cuts = sorted(points)
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b:
            continue
        seg = Segment(text=text[a:b], start=a)
        covering = sorted((sp for sp in qs if sp[0][0] <= a and sp[0][1] >= b),
                          key=lambda x: (x[0][1] - x[0][0]), reverse=True)
        seg.quotes = [qid for _, qid, _ in covering]
        seg.sources = list(dict.fromkeys(sid for _, _, sid in covering))
        if covering:
            seg.color = colors.get(covering[-1][2])
        seg.counts = [cid for sp, cid in cs if sp[0] <= a and sp[1] >= b]
        seg.anon = [sid for sp, sid in rs if sp[0] <= a and sp[1] >= b]
        seg.mentions = list(dict.fromkeys(sid for sp, sid in ms if sp[0] <= a and sp[1] >= b))
        seg.target = tg is not None and tg[0] <= a and tg[1] >= b
        if out and seg.plain and out[-1].plain:
            out[-1].text += seg.text
        else:
            out.append(seg)
    return out


_SENT_END = re.compile(r"[.!?][\"'”’)\]]*\s+|\n\s*")


def evidence(window: str, window_start: int, start: int, end: int, total: int | None = None
             ) -> tuple[str, str, str]:
    """The sentence around ``[start, end)`` within ``window`` (the article text from
    ``window_start``): ``(before, the span, after)``, cut at sentence ends."""
    a, b = start - window_start, end - window_start
    a, b = max(0, min(a, len(window))), max(0, min(b, len(window)))
    left = 0
    for m in _SENT_END.finditer(window, 0, a):
        left = m.end()
    stop = _SENT_END.search(window, b)
    right = stop.start() + 1 if stop and window[stop.start()] in ".!?" else (stop.start() if stop else len(window))
    before, span, after = window[left:a], window[a:b], window[b:right]
    if left == 0 and window_start > 0:
        before = "…" + before.lstrip()
    if right == len(window) and m is None and (total is None or window_start + len(window) < total):
        after = after.rstrip() + "…"
    return before.lstrip(), span, after.rstrip()
