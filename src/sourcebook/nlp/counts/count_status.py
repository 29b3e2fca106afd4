"""The status of one candidate: the word-level rules of ``status`` applied in order of trust.

1. a status phrase that ends where the figure starts ("home to 1.3 million people");
2. the verb the counted noun is subject or object of (and verbs joined to it that share the subject);
3. words right after the noun ("20 Terrorists Killed", "troops currently in Syria");
4. a status word further down the governing clause ("asked for help in reaching Turkey");
5. what qualifies the noun: participles, relative clauses, prepositions;
6. the noun itself ("bodies", "refugees").
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from .candidates import Cand
from .lex import PASS_SUBJ, SUBJ, get_lex
from .nouns import core_token
from .status import (
    closes_insert,
    fallback_status,
    governor,
    match_status,
    modifier_status,
    noun_status,
    prep_status,
    verb_status,
    word_status,
)


def assign_status(doc: Doc, c: Cand) -> None:
    """Fill ``c.status``, ``c.status_tok`` and ``c.anchor``."""
    _find_status(doc, c)
    # being somewhere does not end a lasting status of the noun: "Several dozen detainees had
    # protested", "Eleven of the wounded were in hospital"
    if c.status == "present" and c.head is not None:
        ns = noun_status(c.head)
        if ns in ("detained", "wounded", "killed", "returned"):
            c.status, c.status_tok = ns, c.head
        # people in flight who arrive somewhere are still leaving: "Hundreds of refugees arrived
        # in the border town" (the movement verbs of count_movement.tsv; "refugees stranded" stay)
        elif ns == "leaving" and c.status_tok is not None and get_lex().moves(c.status_tok, "motion"):
            c.status = "leaving"
    # people in flight who cross into a country are leaving theirs: "Hundreds of Rohingya refugees
    # crossed into Bangladesh" (fighters who cross in are joining)
    if c.status == "joining" and c.head is not None and noun_status(c.head) == "leaving":
        c.status = "leaving"


def _set(c: Cand, got: tuple[str, Token | None] | None) -> bool:
    if got is None:
        return False
    c.status, c.status_tok = got
    return True


def _find_status(doc: Doc, c: Cand) -> None:
    if c.bare == "after":
        _after_status(c)
        return
    if c.bare in ("subj", "obj", "toll") and c.status != "other" or c.bare == "estimate":
        return
    head = _status_head(doc, c)
    if head is None:
        return
    if c.head is not None and noun_status(c.head) == "killed":
        c.status, c.status_tok = "killed", c.head  # "14 deaths in custody", "50 bodies were handed over"
        return
    if _set(c, _phrase_before(doc, c)):
        return
    gov, role = governor(head)
    gov = _past_insert(head, gov)
    c.anchor = gov or head
    if _set(c, _from_governor(c, head, gov, role)):
        return
    if _set(c, _right_after(head)):
        if c.status != "other" or _listed_other(c.status_tok):
            return
    count_toks = set(range(c.start, c.end))
    if gov is not None and role in ("subj", "obj", "pobj") and c.status == "other":
        excl = {t.i for t in head.subtree} | count_toks
        if _set(c, fallback_status(gov, excl)):
            return
    got = modifier_status(head, [])
    if got:
        c.status, c.status_tok = got[0], got[1]
        if c.status != "other" or _listed_other(c.status_tok):
            return
    for ch in head.children:  # "nationals (who) asked for help in reaching Turkey"
        if ch.dep_ in ("acl", "relcl") and ch.pos_ == "VERB" and c.status == "other":
            if _set(c, fallback_status(ch, count_toks)):
                return
    ns = noun_status(head)
    if ns:
        c.status, c.status_tok = ns, head


def _listed_other(tok: Token | None) -> bool:
    """A word listed as ``other`` (released, freed, deported, missing): final, the noun's own
    status does not replace it ("113 detainees released", "seven released prisoners")."""
    ws = word_status(tok) if tok is not None else None
    return bool(ws and ws[0] == "other")


def _after_status(c: Cand) -> None:
    """A number after its noun ("the number of detainees ... passed 2,300"): what qualifies the noun
    ("in custody", "held by the militia", "killed in the offensive"), else the noun, else the verb."""
    noun = c.anchor
    assert noun is not None  # a figure after its noun is made with the noun as its anchor (candidates)
    got = _right_after(noun) or modifier_status(noun, [])
    if got and got[0] != "other":
        c.status, c.status_tok = got[0], got[1] or noun
        return
    part = c.status_tok
    ws = word_status(part) if part is not None and part.tag_ in ("VBN", "JJ") else None
    if ws and ws[1] in ("obj", "any"):  # "those repatriated so far"
        c.status = ws[0]
        return
    ns = noun_status(noun)
    if ns:
        c.status, c.status_tok = ns, noun


def _status_head(doc: Doc, c: Cand) -> Token | None:
    """The token whose place in the parse decides the status: the noun, the partitive's noun, the number."""
    if c.head is not None:
        return c.head
    if c.bare == "partitive" and c.anchor is not None:
        ns = noun_status(c.anchor)
        if ns:
            c.status, c.status_tok = ns, c.anchor
            return None
        return c.anchor
    return core_token(doc, c.q, 0)


def _phrase_before(doc: Doc, c: Cand) -> tuple[str, Token] | None:
    """A status phrase that ends where the figure starts: "home to 1.3 million people"."""
    for j in range(max(0, c.start - 3), c.start):
        m = match_status(doc, j, stop=c.start)
        if m and j + m[0] == c.start and m[2] in ("any", "prep") and m[0] > 1:
            return m[1], doc[j]
    return None


def _from_governor(c: Cand, head: Token, gov: Token | None, role: str) -> tuple[str, Token] | None:
    """The verb the counted noun is subject or object of, and the verbs joined to it."""
    lex = get_lex()
    if gov is None:
        return None
    if role == "obj" and gov.lemma_.lower() in lex.total_verbs:
        subj = _total_subject(gov)
        ns = noun_status(subj) if subj is not None else None
        if ns and subj is not None:  # "the death toll reached at least 112 people"
            return ns, subj
    if role in ("subj", "obj"):
        got = verb_status(gov, role)
        if got:  # "other" here is a verb listed as other ("deported") or a negation: final
            return got
        return _shared_subject(head, gov, role)
    if role == "noun":
        return noun_status(gov) or "other", gov
    if role == "pobj" and gov.pos_ in ("VERB", "AUX"):
        # "the death toll has risen to 82 people"
        prep = head.head if head.dep_ == "pobj" else None
        if prep is not None and prep.lower_ == "to" and gov.lemma_.lower() in lex.total_verbs:
            subj = _total_subject(gov)
            ns = noun_status(subj) if subj is not None else None
            if ns and subj is not None:
                return ns, subj
        got = verb_status(gov, "obj")
        if got and got[0] != "other":
            return got
    return None


def _past_insert(head: Token, gov: Token | None) -> Token | None:
    """"265 soldiers, including several dozen wounded, surrendered": the parse may make the last word
    of the insert the verb of the sentence; the verb is then the one joined to it after the comma."""
    if gov is None or gov.pos_ != "VERB" or gov.i < head.i or not closes_insert(gov):
        return gov
    nxt = next((x for x in gov.children if x.dep_ == "conj" and x.pos_ == "VERB" and x.i > gov.i), None)
    return nxt if nxt is not None else gov


def _total_subject(verb: Token) -> Token | None:
    """What a verb of number counts: its subject ("the toll reached"), the people of "the number of
    recruits ... has reached", or, with no subject in the parse, the noun the clause hangs on."""
    lex = get_lex()
    subj = next((x for x in verb.children if x.dep_ in SUBJ), None)
    if (subj is None or not noun_status(subj)) and verb.dep_ in ("advcl", "relcl", "acl") \
            and verb.head.pos_ == "NOUN" and noun_status(verb.head):
        subj = verb.head  # "The death toll from ... since the start of ... has exceeded 42,600 people"
    if subj is not None and subj.lemma_.lower() in lex.number_nouns:
        for p in subj.children:
            if p.dep_ == "prep" and p.lower_ == "of":
                inner = next((x for x in p.children if x.dep_ == "pobj"), None)
                if inner is not None and noun_status(inner):
                    return inner
    return subj


def _shared_subject(head: Token, gov: Token, role: str) -> tuple[str, Token] | None:
    """Verbs joined to the governing one share its subject: "had been stopped at a checkpoint and
    taken away for questioning", "crossed the river and surrendered"."""
    subj = next((x for x in gov.children if x.dep_ in SUBJ or x.dep_ in PASS_SUBJ), None)
    if subj is None or not subj.left_edge.i <= head.i <= subj.right_edge.i:
        return None
    for cj in gov.children:
        if cj.dep_ == "conj" and cj.pos_ == "VERB" and not any(
                x.dep_ in SUBJ or x.dep_ in PASS_SUBJ for x in cj.children):
            cj_role = role if role == "subj" or cj.tag_ == "VBN" else "subj"
            got = verb_status(cj, cj_role)
            if got and got[0] != "other":
                return got
    return None


def _right_after(head: Token) -> tuple[str, Token | None] | None:
    """Words right after the noun: "20 Terrorists Killed", "one officer dead", "troops currently in Syria"."""
    doc = head.doc
    after = [doc[k] for k in range(head.i + 1, min(head.i + 3, len(doc)))]
    k = 0
    while k < len(after) and after[k].lower_ in ("currently", "still", "now", "already"):
        k += 1
    if k < len(after) and after[k].dep_ == "prep":
        ps = prep_status(after[k])
        if ps and (k > 0 or after[k].head == head):
            return ps, after[k]
    return modifier_status(head, after, adjacent_only=True)


def subject_status(doc: Doc, c: Cand, cands: list[Cand]) -> tuple[str, Token | None] | None:
    """"The dead included nine women", "the detained foreigners were seven Moroccans", "The four still
    held are two Kenyan nurses": a figure named as what a subject is or includes takes the status of
    that subject (its own count, its noun, or its participle)."""
    tok = c.head if c.head is not None else core_token(doc, c.q, 0)
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ not in ("attr", "dobj", "appos"):
        return None
    verb = tok.head
    if tok.dep_ == "appos":
        subj: Token | None = verb  # "The freed workers, eight Dravanians and three Ostrelians, ..."
    else:
        if verb.lemma_.lower() not in ("be", "include", "comprise"):
            return None
        subj = next((x for x in verb.children if x.dep_ in SUBJ or x.dep_ in PASS_SUBJ), None)
    if subj is None:
        for ch in verb.children:  # "Among those arrested were four Algerians and a Libyan"
            if ch.dep_ == "prep" and ch.lower_ == "among":
                ps = prep_status(ch)
                if ps:
                    return ps, ch
        return None
    for o in cands:
        if o is not c and o.start <= subj.i < o.end and o.status != "other":
            return o.status, o.status_tok
    ns = noun_status(subj)
    if ns:
        return ns, subj
    for x in subj.children:
        if x.dep_ in ("amod", "acl") and x.tag_ in ("VBN", "JJ"):
            ws = word_status(x)
            if ws and ws[1] in ("any", "obj"):
                return ws[0], x
    return None
