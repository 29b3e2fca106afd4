"""The counted noun: which tokens after a number form the noun phrase, and whether it names people.

A people noun is listed in ``lexicon/people_nouns.txt`` (or a two-word entry there), is a plural
nationality word ("Syrians"), or an -ist/-ian/-ee noun ("militants", "civilians", "detainees");
``lexicon/count_exclusions.txt`` wins over all of them.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from .lex import HYPHENS, get_lex
from .quantities import Quantity


def is_people(tok: Token, prev: Token | None = None) -> bool:
    lex = get_lex()
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low in lex.excl or lemma in lex.excl:
        return False
    if low in lex.people or lemma in lex.people or (low.endswith("s") and low[:-1] in lex.people):
        return True  # (a plural the tagger took for a name keeps its -s: "Europeans")
    if prev is not None and ((prev.lower_, lemma) in lex.people_multi or (prev.lower_, low) in lex.people_multi):
        return True
    if tok.pos_ in ("NOUN", "PROPN", "ADJ") and lex.origin_word(low) and (
            low.endswith(("s", "ese")) or tok.tag_ in ("NNS", "NNPS")) and (tok.pos_ != "ADJ" or _after_number(tok)):
        return True  # Syrians, Saudis, Britons; "14 Lebanese", "200 Sudanese" (the same in the plural)
    if tok.pos_ in ("NOUN", "PROPN") and re.search(r"(?:ists?|ians?|ees)$", low) and len(low) > 5:
        return not low.endswith(("degrees", "fees", "guarantees", "committees", "trustees"))
    return False



def _after_number(tok: Token) -> bool:
    """A nationality word right after a number, as a noun: "14 Lebanese" (not "14 Lebanese soldiers")."""
    doc = tok.doc
    nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
    return tok.i > 0 and doc[tok.i - 1].like_num and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN"))


def np_run(doc: Doc, k: int, limit: int = 7) -> list[Token]:
    """Tokens of a noun phrase after a number: adjectives, nouns, hyphens, brackets."""
    run: list[Token] = []
    n = len(doc)
    while k < n and len(run) < limit:
        t = doc[k]
        if t.is_space:
            break
        if (t.pos_ in ("ADJ", "NOUN", "PROPN", "X") or (t.is_upper and len(t) > 1 and t.is_alpha)) and not (
                t.pos_ == "PROPN" and t.ent_type_ in ("DATE", "TIME")):
            if t.lower_ in ("of", "who", "that"):
                break
            run.append(t)
        elif t.text in HYPHENS and run and k + 1 < n and not doc[k - 1].whitespace_:
            run.append(t)
        elif t.lower_ == "would" and k + 2 < n and doc[k + 1].text in HYPHENS and doc[k + 2].lower_ == "be":
            run.extend(doc[k:k + 3])  # "60 would-be fighters"
            k += 3
            continue
        elif t.text in ("[", "]"):
            run.append(t)
        elif t.tag_ in ("VBN", "VBG", "VBD") and k + 1 < n and doc[k + 1].pos_ in ("NOUN", "PROPN",
                                                                                   "ADJ") and t.head.i > t.i \
                and t.dep_ in ("amod", "compound", "nmod") and t.head.pos_ in ("NOUN", "PROPN"):
            run.append(t)  # "wanted militant fighters" (not the verb of "residents fled Aleppo")
        elif t.pos_ == "NUM" and run and run[-1].text in HYPHENS:
            run.append(t)
        else:
            break
        k += 1
    return run


def core_token(doc: Doc, q: Quantity, offset: int) -> Token:
    """The token of the quantity whose head lies outside it (the one the parse attaches)."""
    toks = doc[offset + q.core_start: offset + q.end]
    for t in toks:
        if not (offset + q.start <= t.head.i < offset + q.end):
            return t
    return toks[-1]



def np_text(doc: Doc, tok: Token) -> str:
    """The noun phrase of ``tok`` as written, without its leading determiner or possessive."""
    left = tok.left_edge.i
    while left < tok.i and doc[left].pos_ in ("DET", "PRON") and doc[left].dep_ in ("det", "poss"):
        left += 1
    return doc[left:tok.i + 1].text
