"""The spaCy component: candidates -> status -> tallies -> counted phrase, origin, movement, place,
time, source -> ``record.Count`` objects in ``doc._.sb_counts``.  Headline-cased sentences are read
from a sentence-case copy (``headlines``)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Sequence, overload

from spacy.language import Language
from spacy.tokens import Doc, Span

from ...record import Count
from ..sents import sentences
from .candidates import Cand, find_candidates
from .context import DocContext
from .count_status import assign_status
from .headlines import is_headline, reparse
from .lists import list_items
from .movement import movement, place_dict
from .origin import Group, counted_phrase, origin, referred_origin, remember
from .sources import source_of
from .tallies import share_status, singles, tally_ok
from .where import place_time

NAME = "sourcebook_counts_v3"


class CountFinder:
    """``CountFinder(nlp)(doc)`` fills ``doc._.sb_counts`` with the figures about people in ``doc``."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        ctx = DocContext.of(doc)
        heads = [s for s in sentences(doc)[0] if is_headline(s)]
        counts = find_counts(ctx, skip=heads)
        for sent in heads:
            small = DocContext.of(reparse(self.nlp, sent, ctx.published))
            counts += [_shifted(ctx, c, sent.start_char) for c in find_counts(small)]
        counts.sort(key=lambda c: (c.start, c.end))
        doc._.sb_counts = [replace(c, id=f"C{k}") for k, c in enumerate(counts, 1)]
        return doc


def find_counts(ctx: DocContext, skip: Sequence[Span] = ()) -> list[Count]:
    """The counts of ``ctx.doc``, leaving out the sentences in ``skip`` (ids are provisional)."""
    doc = ctx.doc
    skipped = {i for s in skip for i in range(s.start, s.end)}
    cands = [c for c in find_candidates(doc) if c.start not in skipped]
    cands = [c for c in cands if not c.single or tally_ok(doc, c, cands)]
    cands = cands + [c for c in singles(ctx, cands) if c.start not in skipped]
    cands = cands + [c for c in list_items(ctx, sorted(cands, key=lambda c: c.start)) if c.start not in skipped]
    cands.sort(key=lambda c: c.start)
    ctx.claimed = {i for c in cands if c.bare == "from" for i in range(c.start, c.end)}
    ctx.taken = {i for c in cands for i in range(c.start, c.end)}
    for c in cands:
        assign_status(doc, c)
    share_status(ctx, cands)
    return make_counts(ctx, cands)


def make_counts(ctx: DocContext, cands: list[Cand]) -> list[Count]:
    """One ``record.Count`` per candidate, in order, numbered C1, C2, ..."""
    counts: list[Count] = []
    groups: list[Group] = []
    for c in cands:
        counted, inherited = counted_phrase(ctx, c, groups)
        code = origin(ctx, c, inherited) or referred_origin(ctx, c, groups)
        counts.append(_count(ctx, c, f"C{len(counts) + 1}", counted, code))
        if counted:
            groups.append(remember(ctx, c, counted, code))
    return counts


def _count(ctx: DocContext, c: Cand, cid: str, counted: str, code: str | None) -> Count:
    doc, q, text = ctx.doc, c.q, ctx.text
    start_char = doc[c.start].idx
    end_char = doc[c.end - 1].idx + len(doc[c.end - 1].text)
    num_start = doc[q.start].idx
    num_end = doc[q.end - 1].idx + len(doc[q.end - 1].text)
    moved = movement(ctx, c, code)
    place, time = place_time(ctx, c, exclude=moved.heading)
    return Count(
        id=cid, start=start_char, end=end_char, text=text[start_char:end_char], number=text[num_start:num_end],
        low=q.low, high=q.high, approximate=q.approximate, counted=counted, status=c.status, origin=code,
        place=place_dict(ctx, place.start_char, place.end_char) if place else None,
        time=time, source=source_of(ctx, num_start, num_end), extractor=NAME,
        from_place=moved.frm, to_place=moved.to, heading=moved.heading,
    )


def _shifted(ctx: DocContext, c: Count, offset: int) -> Count:
    """A count of a headline's small Doc, moved to the article's offsets and words."""
    text = ctx.text

    def span(d: dict | None) -> dict | None:
        if d is None:
            return None
        s, e = d["start"] + offset, d["end"] + offset
        return {**d, "start": s, "end": e, "text": text[s:e]}

    s, e = c.start + offset, c.end + offset
    return replace(c, start=s, end=e, text=text[s:e], number=_as_written(text, s, c.number),
                   counted=_as_written(text, s, c.counted), place=span(c.place), time=span(c.time),
                   from_place=span(c.from_place), to_place=span(c.to_place), heading=span(c.heading),
                   source=source_of(ctx, s, e))


@overload
def _as_written(text: str, start: int, phrase: str) -> str: ...


@overload
def _as_written(text: str, start: int, phrase: str | None) -> str | None: ...


def _as_written(text: str, start: int, phrase: str | None) -> str | None:
    """``phrase`` in the article's own letters (the headline's case), found from ``start``."""
    if not phrase:
        return phrase
    m = re.compile(re.escape(phrase), re.I).search(text, start, start + 400)
    return m.group(0) if m else phrase
