"""Tallies: single people inside a tally ("six police officers and a civilian"), and members of a
tally or of an "including" list taking the status of the whole ("212 wounded, among them 40 civilians").

A single person is a count only inside a tally (GUIDELINES): linked to another count by
coordination, "including" or "among", or listed next to one.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .candidates import Cand
from .context import DocContext
from .count_status import assign_status, subject_status
from .lex import OBJ, ONE, PASS_SUBJ, get_lex
from .nouns import is_people
from .quantities import Quantity

_SINGULAR = ("NN", "NNP", "JJ")


def tally_ok(doc: Doc, c: Cand, cands: list[Cand]) -> bool:
    """A single person counts only inside a tally: linked to or listed next to another count."""
    others = [o for o in cands if o is not c and not o.single]
    if c.head is not None:
        heads = {o.head.i for o in others if o.head is not None}
        if any(x.i in heads for x in c.head.conjuncts):
            return True
        h = c.head
        if h.dep_ == "pobj" and h.head.lower_ in ("including", "among") and h.head.head.i in heads:
            return True
    for o in others:
        if 0 < o.start - c.end <= 3 and any(t.lower_ in (",", "and", ";") for t in doc[c.end:o.start]):
            return True
        if 0 < c.start - o.end <= 3 and any(t.lower_ in (",", "and", ";") for t in doc[o.end:c.start]):
            return True
    return False


def _one(t: Token) -> Token | None:
    return next((x for x in t.children if x.dep_ in ("det", "nummod") and x.lower_ in ONE), None)


def _single(det: Token, t: Token, parent: Cand | None = None) -> Cand:
    q = Quantity(det.i, det.i, det.i + 1, 1, 1, False, "number")
    return Cand(q, det.i, t.i + 1, t, (det.i + 1, t.i + 1), parent=parent)


def _linked(ctx: DocContext, cands: list[Cand], idx: int) -> list[Token]:
    """Nouns linked to count ``idx``: its conjuncts, what "including"/"among" hang on it or its verb."""
    doc, c = ctx.doc, cands[idx]
    linked: list[Token] = list(c.head.conjuncts) if c.head is not None else []
    holders = [c.head] if c.head is not None else []
    if c.head is not None and (c.head.dep_ in OBJ or c.head.dep_ in PASS_SUBJ):
        holders.append(c.head.head)  # "killed four returnees, including a boy"
    for ch in (x for hd in holders for x in hd.children):
        if ch.dep_ == "prep" and ch.lower_ in ("including", "among"):
            for p in ch.children:
                if p.dep_ == "pobj":
                    linked.append(p)
                    linked.extend(p.conjuncts)
    # "nine of them were in a serious condition, including a girl aged 4": "including" right
    # after the clause of the count, wherever the parse hangs it
    nxt = cands[idx + 1].start if idx + 1 < len(cands) else len(doc)
    sent_end = ctx.sent_end[ctx.sent_of[c.end - 1]]
    for j in range(c.end, min(nxt, sent_end) - 1):
        if doc[j].lower_ == "including" and doc[j + 1].lower_ in ONE:
            p = doc[j + 1].head
            if p.i > j + 1 and p not in linked:
                linked.append(p)
                linked.extend(p.conjuncts)
    return linked


def _is_single_person(doc: Doc, t: Token) -> bool:
    """"a civilian", and a singular nationality word: "four Algerians and a Libyan"."""
    lex = get_lex()
    demonym = t.lower_ in lex.demonyms and t.pos_ in ("NOUN", "PROPN", "ADJ") and (
        t.i + 1 >= len(doc) or doc[t.i + 1].pos_ not in ("NOUN", "PROPN"))
    return demonym or (t.tag_ != "JJ" and is_people(t, doc[t.i - 1]))


def singles(ctx: DocContext, cands: list[Cand]) -> list[Cand]:
    """"a woman", "a civilian" inside a tally with other counts ("six police officers and a civilian")."""
    doc = ctx.doc
    taken = {i for c in cands for i in range(c.start, c.end)}
    heads = {c.head.i for c in cands if c.head is not None}
    extra: list[Cand] = []
    for idx in range(len(cands)):
        for t in _linked(ctx, cands, idx):
            if t.i in taken or t.i in heads or t.tag_ not in ("NN", "NNP", "JJ"):
                continue
            det = _one(t)
            if det is None or not _is_single_person(doc, t):
                continue
            extra.append(_single(det, t, parent=cands[idx]))
            taken.update(range(det.i, t.i + 1))
    extra.extend(_listed_singles(doc, taken))
    return extra


def _listed_singles(doc: Doc, taken: set[int]) -> list[Cand]:
    """"Among the dead were a woman and a child": singles listed together, with a status."""
    extra: list[Cand] = []
    for t in doc:
        if t.tag_ not in _SINGULAR or t.i in taken or t.dep_ == "conj":
            continue
        group = [t, *[x for x in t.conjuncts if x.tag_ in _SINGULAR]]
        if len(group) < 2:
            continue
        dets = [d for d in (_one(g) for g in group) if d is not None]
        if len(dets) < len(group) or not all(_is_single_person(doc, g) for g in group):
            continue
        if any(g.i in taken for g in group):
            continue
        made = [_single(d, g) for g, d in zip(group, dets)]
        assign_status(doc, made[0])
        if made[0].status in ("other", "present") or t.dep_ == "pobj":
            continue  # a description ("regarded as a computer expert and a supporter"), not a tally
        for m in made:
            m.status, m.status_tok, m.anchor = made[0].status, made[0].status_tok, made[0].anchor
            taken.update(range(m.start, m.end))
        extra.extend(made)
    return extra


def listed_after(doc: Doc, c: Cand) -> bool:
    """The figure follows "including", "among them", "among whom" or "of whom"."""
    s = c.start
    if s >= 1 and doc[s - 1].lower_ in ("including", "includes", "included"):
        return True
    return s >= 2 and doc[s - 2].lower_ in ("among", "of") and doc[s - 1].lower_ in ("them", "whom", "those")


def _coordination_parent(c: Cand, by_head: dict[int, Cand]) -> Cand | None:
    """The count a member belongs to: the head of its coordination or of its "including"/"among"; or
    the member whose participle qualifies the whole coordination ("five officers and about a dozen
    militants left dead", "412 men and 19 boys held in the prison")."""
    h = c.head
    if h is None:
        return None
    parent = None
    for x in (h.head if h.dep_ == "conj" else None,
              h.head.head if h.dep_ == "pobj" and h.head.lower_ in ("including", "among") else None):
        if x is not None and x.i in by_head and by_head[x.i] is not c:
            parent = by_head[x.i]
    if parent is not None:
        return parent
    for cj in h.conjuncts:
        o = by_head.get(cj.i)
        st = o.status_tok if o is not None else None
        if o is None or o is c or cj.i < h.i or o.status == "other" or st is None or st.i < cj.i:
            continue
        x = st
        for _ in range(2):  # "left dead": the status word or its verb hangs on the member
            if x.head.i == cj.i and x.dep_ in ("acl", "amod", "relcl"):
                return o
            x = x.head
    return None


def share_status(ctx: DocContext, cands: list[Cand]) -> None:
    """Members of a tally or of an "including" list take the status of the whole; a figure named as
    what a subject is or includes takes the subject's (``count_status.subject_status``); a part of a
    group ("at least 400 of them", "... and three were Kazakhs") takes the group's."""
    _share_with_wholes(ctx, cands)
    for k, c in enumerate(cands):
        if c.status == "other" and (c.bare in ("partitive", "pred")):
            whole = _whole_of(ctx, cands, k)
            if whole is not None and whole.status != "other":
                c.status, c.status_tok = whole.status, whole.status_tok


def _whole_of(ctx: DocContext, cands: list[Cand], k: int) -> Cand | None:
    """The group a part belongs to: the figure after "among" in its sentence ("400 of them ...,
    among some 5,000 foreigners"), else the figure before it, in its sentence or the one before."""
    doc, sent_of, c = ctx.doc, ctx.sent_of, cands[k]
    for o in cands[k + 1:]:
        if sent_of[o.start] != sent_of[c.start]:
            break
        if o.start > 0 and doc[o.start - 1].lower_ == "among":
            return o
    if k > 0 and 0 <= sent_of[c.start] - sent_of[cands[k - 1].start] <= 1:
        return cands[k - 1]
    return None


def _share_with_wholes(ctx: DocContext, cands: list[Cand]) -> None:
    doc, sent_of = ctx.doc, ctx.sent_of
    by_head = {c.head.i: c for c in cands if c.head is not None}
    for k, c in enumerate(cands):
        if c.status != "other":
            continue
        parent = _coordination_parent(c, by_head)
        if parent is None and k > 0 and listed_after(doc, c) and sent_of[cands[k - 1].start] == sent_of[c.start]:
            parent = cands[k - 1]  # "212 wounded, among them 40 civilians", "..., including 150 Uzbeks"
        if parent is None and c.inherit and k > 0 and sent_of[c.start] - sent_of[cands[k - 1].start] <= 2:
            parent = cands[k - 1]  # "put the number at ...": the figure before
        if parent is None or parent.status == "other":
            parent = c.parent or parent  # an item of a list (``lists``)
        if parent is not None and parent.status != "other":
            c.status, c.status_tok = parent.status, parent.status_tok
            continue
        got = subject_status(doc, c, cands)
        if got is not None:
            c.status, c.status_tok = got
