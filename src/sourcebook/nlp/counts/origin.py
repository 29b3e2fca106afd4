"""What is counted and where the people are from: the counted phrase as written, and the origin
(ISO 3166-1 alpha-2) from nationality words or country names in it ("Saudi nationals" -> SA,
"nationals of Malaysia" -> MY).  A figure without a noun ("Dozens more", "two of them") takes the
counted phrase and origin of the group mentioned before it (``Group``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from spacy.tokens import Token

from .candidates import Cand, predicate_noun
from .context import DocContext
from .lex import HYPHENS, get_lex
from .nouns import is_people
from .status import noun_status


@dataclass(slots=True)
class Group:
    """A counted group mentioned earlier in the article, that a later figure may refer back to."""

    sent: int  # sentence index
    counted: str
    origin: str | None  # None too for a member of a tally: it lends no origin to a later "all five"
    low: int | None = None
    high: int | None = None
    head: Token | None = None  # the counted noun


def origin_of(tokens: Iterable[Token]) -> str | None:
    """The one country named by nationality words or country names among ``tokens``."""
    lex = get_lex()
    toks = list(tokens)
    found: set[str] = set()
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower_
        nxt = toks[i + 1].lower_ if i + 1 < len(toks) else ""
        # "Turkish-backed": the adjective does not give the nationality of the people
        if nxt in HYPHENS and i + 2 < len(toks) and toks[i + 2].tag_ in ("VBN", "VBD", "JJ"):
            i += 3
            continue
        if low.startswith("non-") or (i > 0 and toks[i - 1].lower_ == "non") or (
                i > 1 and toks[i - 1].text in HYPHENS and toks[i - 2].lower_ == "non"):
            i += 1
            continue
        if t.ent_type_ == "ORG" and t.ent_iob_ == "I" and any(
                x.ent_iob_ == "I" and x.pos_ == "PROPN" for x in t.doc[t.i + 1:t.i + 4] if x.ent_type_ == "ORG"):
            i += 1  # "the Free Syrian Army": a name, not a nationality
            continue
        hit = None
        for n in range(min(lex.country_max, len(toks) - i), 1, -1):
            phrase = " ".join(x.lower_ for x in toks[i:i + n])
            if phrase in lex.countries:
                hit, i = lex.countries[phrase], i + n - 1
                break
        if hit is None and (t.pos_ in ("PROPN", "ADJ", "NOUN") or t.ent_type_ in ("NORP", "GPE")):
            hit = lex.origin_word(low) or (lex.country(low) if t.ent_type_ == "GPE" or t.pos_ == "PROPN" else None)
        if hit:
            found.add(hit)
        i += 1
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------------------------------
# The component



def counted_phrase(ctx: DocContext, c: Cand, groups: list[Group]) -> tuple[str, Group | None]:
    """The counted phrase of ``c`` and the earlier group it was taken from (None when its own)."""
    doc = ctx.doc
    if c.counted_text:
        return c.counted_text, None
    if c.counted_span is not None:
        a, b = c.counted_span
        while a < b and doc[a].lower_ in ("more",):
            a += 1
        h = c.head
        # of/from phrases belong to the counted phrase: "members of the security forces"
        if h is not None:
            for ch in h.children:
                if ch.dep_ == "prep" and ch.lower_ in ("of", "from") and ch.i == h.i + 1:
                    b = max(b, ch.right_edge.i + 1)
        return doc[a:b].text, None
    # a figure without a noun ("Dozens more", "two of them", "a further 40 were expected"): the
    # counted phrase (and origin) of the count before; "N more" may look back any distance, others
    # two sentences
    reach = len(doc) if c.bare == "more" else 2
    if groups and ctx.sent_of[c.start] - groups[-1].sent <= reach and not _contradicts(groups[-1], c):
        return groups[-1].counted, groups[-1]
    return "people", None


def _contradicts(group: Group, c: Cand) -> bool:
    """A counted phrase that is itself a status other than the figure's: "9 dead and 30 injured" (the
    30 are not "dead")."""
    ns = noun_status(group.head) if group.head is not None else None
    return ns is not None and c.status not in (ns, "other")


def origin(ctx: DocContext, c: Cand, inherited: Group | None) -> str | None:
    """The nationality of the counted people, from their phrase or the group they refer back to."""
    doc = ctx.doc
    if c.origin_toks is not None:
        return origin_of(doc[c.origin_toks[0]:c.origin_toks[1]])
    said = predicate_noun(doc, c.end) if c.bare == "partitive" or c.head is None else None
    if said is not None:  # "Twelve of them were Uzbeks"
        return origin_of(doc[c.end + 1:said.i + 1])
    if inherited is not None:
        return inherited.origin
    if c.bare == "after":  # "the number of Malaysian nationals ...": the noun before the number
        h = c.anchor
        assert h is not None  # a figure after its noun is made with the noun as its anchor (candidates)
        toks = list(doc[h.left_edge.i:h.i + 1])
    elif c.counted_span is None:
        return None
    else:
        h = c.head
        toks = list(doc[c.counted_span[0]:c.counted_span[1]])
    if h is not None:
        toks.extend(_stated_nationality(h))
        for ap in (x for x in h.children if x.dep_ == "appos"):  # "the two men, both Belgian nationals"
            words = {t.lower_ for t in ap.subtree}
            if ap.i not in ctx.taken and is_people(ap, doc[ap.i - 1]) and not words & get_lex().part_words and not any(
                    y.dep_ == "nummod" for y in ap.children):
                # (not the next item of a list, "4 Uzbeks, 2 Tajiks", nor a part, "most of them Tunisians")
                toks.extend(t for x in (ap, *ap.conjuncts) for t in doc[x.left_edge.i:x.i + 1])
        preps = [ch for ch in h.children if ch.dep_ == "prep" and ch.lower_ in ("of", "from")]
        for ch in h.children:
            if ch.dep_ == "acl":
                preps.extend(p for p in ch.children if p.dep_ == "prep" and p.lower_ == "from")
        for p in preps:
            for obj in p.children:
                if obj.dep_ == "pobj" and obj.i not in ctx.claimed:  # not "3 from Kyrgyzstan" of a list
                    for o in (obj, *obj.conjuncts):
                        toks.extend(doc[o.left_edge.i:o.i + 1])
    return origin_of(toks)


def _stated_nationality(head: Token) -> list[Token]:
    """The words of a nationality stated by a clause or phrase on the noun: "who hold Kazakh
    citizenship", "with Tunisian nationality" (``lexicon/count_nationality_nouns.txt``)."""
    nouns = get_lex().nationality_nouns
    out: list[Token] = []
    for ch in head.children:
        if ch.dep_ in ("relcl", "acl", "prep"):
            for x in ch.children:
                if x.dep_ in ("dobj", "pobj") and x.lemma_.lower() in nouns:
                    out.extend(x.doc[x.left_edge.i:x.i])
    return out


def remember(ctx: DocContext, c: Cand, counted: str, origin_code: str | None) -> Group:
    """The group a later bare figure may refer back to.  A member of a tally ("four members ... and a
    female tourist from Canada") does not lend its origin to a later "all five"."""
    h = c.head
    tally = c.single or (h is not None and (h.dep_ == "conj" or any(ch.dep_ == "conj" for ch in h.children)))
    return Group(ctx.sent_of[c.start], counted, None if tally else origin_code, c.q.low, c.q.high, c.head)


_DEFINITE = ("these", "those", "the", "all", "both")



def referred_origin(ctx: DocContext, c: Cand, groups: list[Group]) -> str | None:
    """The origin of an earlier group that ``c`` names again: "eleven Malaysians ... the eleven men",
    "eight Filipinos ... These eight people" (a definite or demonstrative word, the same number, a
    noun of ``lexicon/count_referring_nouns.txt``, within three sentences)."""
    doc, h = ctx.doc, c.head
    if h is None or c.q.low is None or c.single:
        return None
    if h.lemma_.lower() not in get_lex().referring_nouns and h.lower_ not in get_lex().referring_nouns:
        return None
    if not (c.q.start > 0 and doc[c.q.start - 1].lower_ in _DEFINITE):
        return None
    for g in reversed(groups):
        if ctx.sent_of[c.start] - g.sent > 3:
            break
        if (g.low, g.high) == (c.q.low, c.q.high) and g.origin:
            return g.origin
    return None
