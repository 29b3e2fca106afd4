"""Place and time of a count: the place and time entities of the clause that gives the status.

The clause is found by climbing from the status word to its clause verb; a place or time entity
whose root lies under that clause is taken (the first of each); with no place in the clause, the
place entity of the sentence nearest to the figure.  The time is resolved against the publication
date by ``dates.resolve``.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from .. import dates
from .candidates import Cand
from .context import DocContext
from .lex import DIGITS, PLACE_ENTS, TIME_ENTS, YEARLIKE

_TIME_PREPS = ("since", "until", "on", "of", "in", "as", "over", "during", "within")


def clause_of(anchor: Token) -> Token:
    """The clause verb above ``anchor`` (at most four steps up)."""
    clause = anchor
    for _ in range(4):
        if clause.pos_ in ("VERB", "AUX") and clause.dep_ not in ("amod", "acl"):
            break
        if clause.head == clause:
            break
        clause = clause.head
    return clause


def place_time(ctx: DocContext, c: Cand, exclude: dict | None = None) -> tuple[Span | None, dict | None]:
    """The place entity and the time (a dict with its span and resolved interval) of a count.
    ``exclude``: a place the people did not reach (their heading), never where the status holds."""
    anchor = c.status_tok if c.status_tok is not None else c.anchor
    if anchor is None:
        return None, None
    clause = clause_of(anchor)
    ents = ctx.sent_ents[ctx.sent_of[anchor.i]]
    own = ctx.taken | set(range(c.start, c.end))  # never the origin of a figure: "1 from France"
    if exclude is not None:
        ents = [e for e in ents if not (e.start_char < exclude["end"] and exclude["start"] < e.end_char)]
    scopes = [anchor, clause] if clause is not anchor else [anchor]
    place = time = None
    for ent in ents:
        if ent.start in own:
            continue
        root = ent.root
        inside = any(root.is_ancestor(s) is False and (s.is_ancestor(root) or s == root) for s in scopes)
        if not inside:
            continue
        if ent.label_ in PLACE_ENTS and place is None:
            place = ent
        elif ent.label_ in TIME_ENTS and time is None:
            if DIGITS.match(ent.text.strip()) and not YEARLIKE.match(ent.text.strip()):
                continue
            time = ent
    if place is None:
        # no place in the clause: the place entity of the sentence nearest to the figure
        near = [e for e in ents if e.label_ in PLACE_ENTS and e.start not in own and not _modifier(e)]
        if near:
            place = min(near, key=lambda e: min(abs(e.start - c.start), abs(e.end - c.end)))
    return place, (_time(ctx, time) if time is not None else _now_word(ctx, clause))


def _modifier(ent: Span) -> bool:
    """A place name used as a modifier, not a place: "the Britain-based Observatory", "Russia's army"."""
    doc, end = ent.doc, ent.end
    if end + 1 < len(doc) and doc[end].text in ("-", "–") and doc[end + 1].tag_ in ("VBN", "JJ"):
        return True
    return ent.root.dep_ in ("poss", "amod") or (end < len(doc) and doc[end].tag_ == "POS")


def _time(ctx: DocContext, time: Span) -> dict:
    doc = ctx.doc
    s = time.start
    # take the leading preposition: "since early January", "As of late January", "On Monday"
    if s > 0 and doc[s - 1].dep_ == "prep" or (s > 0 and doc[s - 1].lower_ in _TIME_PREPS):
        s -= 1
        if s > 0 and doc[s].lower_ == "of" and doc[s - 1].lower_ == "as":
            s -= 1
    text = doc[s:time.end].text  # (doc.text rebuilds the whole string on each access)
    r = dates.resolve(text, ctx.published)
    return {"text": text, "start": doc[s].idx, "end": time.end_char,
            "from": r["from"] if r else None, "to": r["to"] if r else None}


def _now_word(ctx: DocContext, clause: Token) -> dict | None:
    for t in clause.children:
        if t.dep_ == "advmod" and t.lower_ in ("now", "currently", "today", "yesterday"):
            r = dates.resolve(t.text, ctx.published)
            return {"text": t.text, "start": t.idx, "end": t.idx + len(t.text),
                    "from": r["from"] if r else None, "to": r["to"] if r else None}
    return None
