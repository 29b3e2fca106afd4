"""The spaCy component: candidates -> status -> tallies -> counted phrase, origin, place, time,
source -> ``record.Count`` objects in ``doc._.sb_counts``."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...record import Count
from .candidates import Cand, find_candidates
from .context import DocContext
from .lists import list_items
from .count_status import assign_status
from .movement import movement, place_dict
from .origin import Group, counted_phrase, origin, referred_origin, remember
from .sources import source_of
from .tallies import share_status, singles, tally_ok
from .where import place_time

NAME = "sourcebook_counts_v2"


class CountFinder:
    """``CountFinder(nlp)(doc)`` fills ``doc._.sb_counts`` with the figures about people in ``doc``."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        cands = find_candidates(doc)
        ctx = DocContext.of(doc)
        cands = [c for c in cands if not c.single or tally_ok(doc, c, cands)]
        cands = cands + singles(ctx, cands)
        cands = cands + list_items(ctx, sorted(cands, key=lambda c: c.start))
        cands.sort(key=lambda c: c.start)
        ctx.claimed = {i for c in cands if c.bare == "from" for i in range(c.start, c.end)}
        ctx.taken = {i for c in cands for i in range(c.start, c.end)}
        for c in cands:
            assign_status(doc, c)
        share_status(ctx, cands)
        doc._.sb_counts = make_counts(ctx, cands)
        return doc


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
