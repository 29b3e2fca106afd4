"""Movement: where the counted people came from, where they went, and where they were heading.

Read from the clause that gives the figure its status, with the words of ``lexicon/count_movement.tsv``:

- ``from``: the from/out of phrase of a verb of moving ("crossed from Turkey into Syria"), the
  object of a verb of leaving ("fled Syria"), a from phrase on a noun of people on the move
  ("returnees from Iraq");
- ``to``: the to/into/towards phrase of a verb of moving, the object of a verb of reaching ("entered
  Syria"), the for phrase of a verb of leaving ("fled Syria for Turkey"), "home" (the country of
  the people's nationality, when the text states it: "Nine Indonesians returned home" -> ID), and
  the country that takes people back ("Germany has taken back 24 women" -> DE);
- ``heading``: a destination not reached: the to phrase of a verb under an attempt ("trying to cross
  into Syria", "attempted to reach Syria"), of a clause cut short ("arrested before they could board
  a flight to Istanbul"; "detained while crossing into Syria"), of a verb of going toward ("heading
  for Greece", "bound for Europe") and of "on their way to".

Each is ``{"text", "start", "end", "country"}``: the place as written and its ISO 3166-1 alpha-2
country when resolvable (from ``doc._.sb_places``, the gazetteer of the places component, else the
country names of ``lexicon/demonyms.tsv`` and pycountry), else null.  Only places count: the
model's GPE/LOC/FAC entities and the places component's names ("to fight" or "to the front" give
nothing).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Span, Token

from .candidates import Cand
from .context import DocContext
from .lex import PLACE_ENTS, get_lex

#: Statuses that stop people where they are: a movement in a clause below them did not happen.
_STOPPED = ("detained", "killed", "wounded", "surrendered")
_CUT_SHORT = ("before", "until")
_MODALS = ("could", "would", "might", "can")


@dataclass(slots=True)
class Movement:
    """The movement of one count; each end is a place dict or None."""

    frm: dict | None = None
    to: dict | None = None
    heading: dict | None = None

    def put(self, slot: str, place: dict) -> None:
        if slot == "from" and self.frm is None:
            self.frm = place
        elif slot == "to" and self.to is None:
            self.to = place
        elif slot == "heading" and self.heading is None:
            self.heading = place


def movement(ctx: DocContext, c: Cand, origin_code: str | None) -> Movement:
    """The from, to and heading of count ``c`` (``origin_code``: its nationality, for "home")."""
    m = Movement()
    verb = _event_verb(c)
    if verb is not None:
        for v, unreached in _chain(verb, c):
            for slot, place in _ends(ctx, v, origin_code):
                if slot == "to" and (unreached or get_lex().moves(v, "heading")):
                    slot = "heading"
                m.put(slot, place)
    if m.frm is None and c.head is not None and c.status in ("leaving", "returned"):
        for ch in c.head.children:  # "returnees from Iraq", "refugees from Syria"
            if ch.dep_ == "prep" and ch.lower_ == "from":
                from_place = _pobj_place(ctx, ch, origin_code)
                if from_place is not None:
                    m.put("from", from_place)
    if m.to is None and verb is not None and c.status == "returned":
        m.to = _receiver(ctx, verb)
    if m.to is not None and m.heading is not None and m.to["start"] == m.heading["start"]:
        m.to = None
    return m


def _receiver(ctx: DocContext, verb: Token) -> dict | None:
    """"Germany has taken back 24 women": the subject of a verb of receiving, when it is a country."""
    lex = get_lex()
    prt = next((x.lower_ for x in verb.children if x.dep_ in ("prt", "advmod") and x.i > verb.i), "")
    if not (lex.moves(verb, "receive") or "receive" in lex.movement.get(f"{verb.lemma_.lower()} {prt}", ())):
        return None
    subj = next((x for x in verb.children if x.dep_ == "nsubj"), None)
    place = _place(ctx, subj) if subj is not None else None
    return place if place is not None and place["country"] else None


def _event_verb(c: Cand) -> Token | None:
    """The verb (or participle) whose clause says what happened to the counted people."""
    t = c.status_tok if c.status_tok is not None else c.anchor
    if t is None:
        return None
    for _ in range(4):
        if t.pos_ in ("VERB", "AUX") or (t.tag_ == "VBN" and t.dep_ in ("amod", "acl")):
            return t
        if t.head == t:
            return None
        t = t.head
    return None


def _under_attempt(verb: Token) -> bool:
    """``verb`` is the complement of an attempt ("tried to reach", "attempted to cross")."""
    t = verb
    for _ in range(3):
        if t.dep_ not in ("xcomp", "ccomp") or t.head == t:
            return False
        t = t.head
        if get_lex().moves(t, "attempt"):
            return True
    return False


def _cut_short(clause: Token, status: str) -> bool:
    """A subordinate clause that did not happen: "before they could board", "while trying to cross"."""
    marks = {x.lower_ for x in clause.children if x.dep_ == "mark"}
    if marks & set(_CUT_SHORT):
        return True
    if any(x.dep_ == "aux" and x.lower_ in _MODALS for x in clause.children) and not marks - {"so", "that"}:
        return status in _STOPPED
    return status in _STOPPED and clause.tag_ == "VBG"  # "detained while crossing into Syria"


def _chain(verb: Token, c: Cand) -> Iterator[tuple[Token, bool]]:
    """The event verb, its complements and joined verbs, and participles on the counted noun, each
    with whether what it says was not reached."""
    seen: set[int] = set()
    start = [(verb, _under_attempt(verb))]
    if c.head is not None:
        start += [(x, False) for x in c.head.children if x.dep_ in ("acl", "relcl") and x.pos_ == "VERB"]
    queue = [(v, u, 0) for v, u in start]
    while queue:
        v, unreached, depth = queue.pop(0)
        if v.i in seen:
            continue
        seen.add(v.i)
        yield v, unreached
        if depth >= 3:
            continue
        for ch in _wanted(v):  # "asked for help in reaching Turkey", "in a bid to reach Europe"
            queue.append((ch, True, depth + 1))
        for ch in v.children:
            if ch.pos_ not in ("VERB", "AUX"):
                continue
            if ch.dep_ == "xcomp":
                queue.append((ch, unreached or get_lex().moves(v, "attempt"), depth + 1))
            elif ch.dep_ == "advcl":
                queue.append((ch, unreached or _cut_short(ch, c.status), depth + 1))
            elif ch.dep_ == "conj" and not any(x.dep_ in ("nsubj", "nsubjpass") for x in ch.children):
                queue.append((ch, unreached, depth + 1))


def _wanted(v: Token) -> Iterator[Token]:
    """Verbs under a noun of attempt in the clause of ``v``: "(asked for) help in reaching Turkey"."""
    lex = get_lex()
    for prep in (x for x in v.children if x.dep_ == "prep"):
        for noun in (x for x in prep.children if x.dep_ == "pobj" and lex.moves(x, "attempt")):
            for x in noun.subtree:
                if x.pos_ == "VERB" and x.dep_ in ("pcomp", "acl", "xcomp", "relcl") and x != noun:
                    yield x


def _ends(ctx: DocContext, v: Token, origin_code: str | None) -> Iterator[tuple[str, dict]]:
    """(slot, place) pairs the words of verb ``v`` give: from, to (heading is decided by the caller)."""
    lex = get_lex()
    motion = lex.moves(v, "motion") or lex.moves(v, "heading")
    home = None  # "returned home": the people's own country, unless the clause names the place
    for ch in v.children:
        if ch.dep_ in ("dobj", "obj"):
            place = _place(ctx, ch)
            if place is not None:
                if lex.moves(v, "leave"):
                    yield "from", place
                elif lex.moves(v, "reach"):
                    yield "to", place
            elif motion:  # "crossed the border into Syria", "board a flight to Istanbul"
                yield from _prep_ends(ctx, ch, origin_code, for_to=False)
        elif ch.dep_ in ("prep", "prt", "agent") and ch.lower_ == "on":
            yield from _on_the_way(ctx, ch, origin_code)
        elif ch.dep_ in ("prep", "prt") and (motion or (ch.lower_ == "for" and lex.moves(v, "for"))):
            yield from _prep_end(ctx, ch, origin_code, for_to=lex.moves(v, "for"))
        elif ch.dep_ in ("advmod", "npadvmod") and ch.lower_ == "home" and motion:
            home = ch
        elif ch.dep_ == "advmod" and ch.lower_ in ("back", "away") and motion:
            for p in ch.children:  # "sent back to Tunisia"
                if p.dep_ == "prep":
                    yield from _prep_end(ctx, p, origin_code, for_to=False)
    if home is not None:
        yield "to", _home(home, origin_code)


def _prep_ends(ctx: DocContext, noun: Token, origin_code: str | None, for_to: bool) -> Iterator[tuple[str, dict]]:
    for p in noun.children:
        if p.dep_ == "prep":
            yield from _prep_end(ctx, p, origin_code, for_to)


def _prep_end(ctx: DocContext, prep: Token, origin_code: str | None, for_to: bool) -> Iterator[tuple[str, dict]]:
    """A from/to phrase: "from Turkey", "into Syria", "out of Raqqa", "for Turkey" (after leave/flee)."""
    lex = get_lex()
    word = prep.lower_
    inner = next((x for x in prep.children if x.dep_ == "prep"), None)
    if inner is not None and (word, inner.lower_) in lex.move_preps:  # "out of", "away from"
        slot, prep = lex.move_preps[(word, inner.lower_)], inner
    elif (word,) in lex.move_preps:
        slot = lex.move_preps[(word,)]
    elif word == "for" and for_to:
        slot = "to"
    else:
        return
    place = _pobj_place(ctx, prep, origin_code)
    if place is not None:
        yield slot, place


def _on_the_way(ctx: DocContext, prep: Token, origin_code: str | None) -> Iterator[tuple[str, dict]]:
    """"on their way to Syria", "en route to Europe": a heading."""
    lex = get_lex()
    for obj in prep.children:
        if obj.dep_ == "pobj" and lex.moves(obj, "way"):
            for slot, place in _prep_ends(ctx, obj, origin_code, for_to=False):
                if slot == "to":
                    yield "heading", place


def _pobj_place(ctx: DocContext, prep: Token, origin_code: str | None) -> dict | None:
    obj = next((x for x in prep.children if x.dep_ == "pobj"), None)
    if obj is None:
        return None
    if obj.lower_ == "home":
        return _home(obj, origin_code)
    place = _place(ctx, obj)
    if place is None and obj.pos_ == "NOUN":  # "from camps in northeast Syria", "to prisons in Iraq"
        for p in obj.children:
            if p.dep_ == "prep" and p.lower_ in ("in", "near", "inside"):
                inner = next((x for x in p.children if x.dep_ == "pobj"), None)
                place = _place(ctx, inner) if inner is not None else None
                if place is not None:
                    break
    return place


def _home(tok: Token, origin_code: str | None) -> dict:
    return {"text": tok.text, "start": tok.idx, "end": tok.idx + len(tok.text), "country": origin_code}


def _entity_of(ctx: DocContext, tok: Token) -> Span | None:
    for ent in ctx.sent_ents[ctx.sent_of[tok.i]]:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _place(ctx: DocContext, tok: Token) -> dict | None:
    """The place ``tok`` names, as a place dict, or None when it is no place."""
    ent = _entity_of(ctx, tok)
    if ent is not None and ent.label_ in PLACE_ENTS:
        return place_dict(ctx, ent.start_char, ent.end_char)
    for p in ctx.places:
        if p.start <= tok.idx < p.end and p.kind == "toponym":
            return place_dict(ctx, p.start, p.end)
    return None


def place_dict(ctx: DocContext, start: int, end: int) -> dict:
    """``{text, start, end, country}`` for the characters ``start:end`` of the article."""
    text = ctx.doc.text[start:end]
    return {"text": text, "start": start, "end": end, "country": country_of(ctx, start, end, text)}


def country_of(ctx: DocContext, start: int, end: int, text: str) -> str | None:
    """The ISO country of a place span: the places component's entry for it, else the lexicon."""
    for p in ctx.places:
        if p.start < end and start < p.end and p.kind == "toponym" and p.country:
            return p.country
    name = text[4:] if text.lower().startswith("the ") else text
    return get_lex().countries.get(name.lower())
