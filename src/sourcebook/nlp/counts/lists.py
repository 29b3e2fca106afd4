"""Lists of counts read on the surface, where the parse of a long list goes wrong.

After a figure, a list goes on with separators ("," "and" ";") or lead-ins ("among them",
"including", "of whom") and items of three shapes:

- another figure already found ("4 Uzbeks, 2 Tajiks");
- a single person: "a"/"an"/"one" + a noun phrase ending in a people noun or a singular
  nationality word ("among them a Belgian commander", "two Afghans, a Pakistani");
- a number with a "from" and a place instead of a noun ("1 from France", "3 from Kyrgyzstan"): a
  figure whose origin is that place.

Every item is a member of the list: its status is the list's when its own clause gives none
(``Cand.parent``).  A list of single people alone ("captured a Tunisian and a Moroccan") is read by
``tallies``.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from ... import lexicon
from .candidates import Cand
from .context import DocContext
from .lex import ONE, PLACE_ENTS, get_lex
from .nouns import is_people
from .quantities import Quantity, scan

_SEPARATORS = (",", "and", ";", "plus")
_RUN_POS = ("ADJ", "NOUN", "PROPN")


def list_items(ctx: DocContext, cands: list[Cand]) -> list[Cand]:
    """New candidates for the items of lists that start at the candidates (singles, "N from X")."""
    doc = ctx.doc
    starts = {c.start: c for c in cands}
    taken = {i for c in cands for i in range(c.start, c.end)}
    extra: list[Cand] = []
    for c in cands:
        for before in _items_before(ctx, c, taken):
            extra.append(before)
            taken.update(range(before.start, before.end))
        if c.parent is not None:
            continue
        k: int | None = c.end
        while k is not None:
            k = _after_separator(doc, k)
            if k is None:
                break
            item = starts.get(k) or _item(ctx, k, taken)
            if item is None:
                break
            if item.start not in starts:
                extra.append(item)
                starts[item.start] = item
                taken.update(range(item.start, item.end))
            if item is not c:
                item.parent = item.parent or c
            k = item.end
    return extra


def _items_before(ctx: DocContext, c: Cand, taken: set[int]) -> list[Cand]:
    """Single people listed before a figure: "arrested a Syrian, two Iraqis and a Jordanian"."""
    doc, out, end = ctx.doc, [], c.start
    while end >= 3 and doc[end - 1].lower_ in (",", "and"):
        sep = end - 1
        start = next((j for j in range(sep - 1, max(-1, sep - 5), -1) if doc[j].lower_ in ONE), None)
        if start is None or any(i in taken for i in range(start, sep)):
            break
        item = _single_person(doc, start)
        if item is None or item.end != sep:
            break
        item.parent = c
        out.append(item)
        end = start
    return out


def _after_separator(doc: Doc, k: int) -> int | None:
    """The token after a list separator or lead-in at ``k`` (", and", ", among them"), or None."""
    n, j = len(doc), k
    while j < n and doc[j].lower_ in _SEPARATORS:
        j += 1
    for lead in get_lex().lead_ins:
        if tuple(t.lower_ for t in doc[j:j + len(lead)]) == lead:
            j += len(lead)
            break
    return j if j > k and j < n else None


def _item(ctx: DocContext, k: int, taken: set[int]) -> Cand | None:
    doc = ctx.doc
    if k in taken:
        return None
    if doc[k].lower_ in ONE and not (k + 1 < len(doc) and doc[k + 1].lower_ == "from"):
        return _single_person(doc, k)
    q = scan([t.lower_ for t in doc[k:k + 8]], 0)
    if q is None or q.low is None:
        return None
    return _from_place(ctx, Quantity(k + q.start, k + q.core_start, k + q.end, q.low, q.high, q.approximate,
                                     q.value_kind))


def _single_person(doc: Doc, k: int) -> Cand | None:
    """"a Belgian commander", "an Egyptian", "a nurse": one person named by a noun or a nationality."""
    lex = get_lex()
    run: list[Token] = []
    j = k + 1
    while j < len(doc) and len(run) < 4 and doc[j].pos_ in _RUN_POS and not doc[j].is_punct:
        run.append(doc[j])
        j += 1
    if not run:
        return None
    last = run[-1]
    single_demonym = last.lower_ in lex.demonyms
    if not (single_demonym or (last.tag_ in ("NN", "NNP") and is_people(last, doc[last.i - 1]))):
        return None
    if last.dep_ == "nsubj" and last.head.lemma_.lower() in _speech_verbs():
        return None  # "..., a police spokesman said": the next clause, not an item
    q = Quantity(k, k, k + 1, 1, 1, False, "number")
    return Cand(q, k, last.i + 1, last, (k + 1, last.i + 1))


@lru_cache(maxsize=1)
def _speech_verbs() -> frozenset[str]:
    return frozenset(row[0].lower() for row in lexicon.table("cue_verbs") if row)


def _from_place(ctx: DocContext, q: Quantity) -> Cand | None:
    """"1 from France": a number, "from" and a place stand for that many people from there."""
    doc = ctx.doc
    j = q.end
    if j + 1 >= len(doc) or doc[j].lower_ != "from":
        return None
    ent = next((e for e in ctx.sent_ents[ctx.sent_of[j + 1]] if e.start == j + 1 or (
        e.start == j + 2 and doc[j + 1].lower_ == "the")), None)
    if ent is None or ent.label_ not in PLACE_ENTS:
        return None
    c = Cand(q, q.start, ent.end, None, None, bare="from")
    c.counted_text = "people"
    c.origin_toks = (ent.start, ent.end)
    return c
