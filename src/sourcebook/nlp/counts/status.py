"""Status: what the counted people are doing or what happened to them, from the words that govern them.

The word lists are ``lexicon/count_status.tsv`` (a word or phrase, its status and the role it
gives: subj, obj, prep, noun, any, place).  The voice counts ("killed 13 soldiers": the soldiers are
killed; "militants killed ...": they are not), phrasal verbs match with their object in between
("handed six men over to"), and a negation makes the status ``other``.
"""

from __future__ import annotations

from typing import Iterable

from spacy.tokens import Doc, Token

from .lex import OBJ, PASS_SUBJ, QUOTES, SUBJ, TIME_ENTS, get_lex
from .nouns import is_people


def match_status(doc: Doc, i: int, stop: int | None = None, lemma_first: bool = False) -> tuple[int, str, str] | None:
    """A status phrase starting at token ``i``: (length, status, role)."""
    lex = get_lex()
    t = doc[i]
    first = [t.lower_] if t.lower_ == t.lemma_.lower() else [t.lower_, t.lemma_.lower()]
    if lemma_first:
        first.reverse()
    if t.pos_ == "ADJ" and t.lower_.endswith("ed") and len(t.lower_) > 4:
        first += [t.lower_[:-2], t.lower_[:-1]]  # a participle tagged as adjective: "detained" -> detain
    if not any(f in lex.status_first for f in first):
        return None
    limit = min(lex.status_max, len(doc) - i, (stop - i) if stop is not None else len(doc))
    for n in range(limit, 0, -1):
        toks = doc[i:i + n]
        for head in first:
            key = (head,) + tuple(x.lower_ for x in toks[1:])
            got = lex.status.get(key)
            if got is None and n > 1:
                key = (head,) + tuple(x.lemma_.lower() for x in toks[1:])
                got = lex.status.get(key)
            if got is not None:
                return n, got[0], got[1]
    return None


def word_status(tok: Token) -> tuple[str, str] | None:
    """The status of one token with its particle or adverb ("shot dead", "fatally shot", "pull out")."""
    doc = tok.doc
    # an active verb is read by its lemma ("militants killed 44 people": kill, obj), a participle by
    # its form ("44 people killed": killed, any)
    active = tok.pos_ in ("VERB", "AUX") and tok.tag_ in ("VBD", "VBZ", "VBP", "VB", "VBG") and any(
        c.dep_ in SUBJ or c.dep_ in OBJ for c in tok.children)
    # phrases that start before the word ("fatally shot") or at it ("shot dead", "pull out")
    best = None
    for start in (tok.i - 1, tok.i):
        if start < 0:
            continue
        m = match_status(doc, start, lemma_first=active and start == tok.i)
        if m and start + m[0] > tok.i and (m[0] > 1 or start == tok.i):
            if best is None or start + m[0] > best[0]:  # "were left dead" (left dead) over "were left"
                best = (start + m[0], m[1], m[2])
    return (best[1], best[2]) if best else None


_PARTICLES = {"home", "back", "away", "out", "in", "over", "down", "up", "off"}


def phrasal_status(verb: Token) -> tuple[str, str] | None:
    """A phrasal verb whose object stands between the verb and its particle or preposition:
    "crossed the river into Tarsenia" (cross into), "handed six men over to the embassy" (hand over
    to), "brought 112 citizens back" (bring back), "were flown home" (fly home)."""
    lex = get_lex()
    doc = verb.doc
    parts = sorted((c for c in verb.children if c.i > verb.i and (
        c.dep_ in ("prt", "prep", "dative") or (c.dep_ in ("advmod", "npadvmod") and c.lower_ in _PARTICLES))),
        key=lambda c: c.i)
    heads = [verb.lemma_.lower()] + ([verb.lower_] if verb.lower_ != verb.lemma_.lower() else [])
    for c in verb.children:  # "sent 70 young people to fight", "left to join"
        if c.dep_ in ("xcomp", "advcl") and c.i > verb.i and any(x.lower_ == "to" for x in c.children
                                                                 if x.dep_ == "aux"):
            for head in heads:
                got = lex.status.get((head, "to", c.lemma_.lower()))
                if got is not None and got[1] in ("subj", "obj", "any"):
                    return got[0], got[1]
    if not parts:
        return None
    for k, p in enumerate(parts):
        tails: list[tuple[str, ...]] = []
        if k + 1 < len(parts):
            tails.append((p.lower_, parts[k + 1].lower_))
        if p.i + 1 < len(doc):
            tails.append((p.lower_, doc[p.i + 1].lower_))
        tails.append((p.lower_,))
        for head in heads:
            for tail in tails:
                got = lex.status.get((head, *tail))
                if got is not None and got[1] in ("subj", "obj", "any"):
                    return got[0], got[1]
    return None


def captor(verb: Token) -> bool:
    """Can the subject of an active "hold" hold people captive?  People, groups, named actors,
    pronouns and detention places can; a stadium or a hall cannot.  Without a subject: yes."""
    lex = get_lex()
    subj = next((c for c in verb.children if c.dep_ in SUBJ), None)
    if subj is None or subj.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subj = verb.head if subj is not None else None
    if subj is None:
        return True
    low, lemma = subj.lower_, subj.lemma_.lower()
    if subj.pos_ in ("PRON", "PROPN") or subj.ent_type_ in ("ORG", "NORP", "GPE", "PERSON"):
        return True
    got = lex.status.get((low,)) or lex.status.get((lemma,))
    return is_people(subj) or lemma in lex.group_nouns or low in lex.group_nouns or bool(got and got[1] == "place") \
        or lemma in _CAPTOR_NOUNS


_CAPTOR_NOUNS = {"group", "side", "front", "movement", "brigade", "army", "government", "regime", "state", "militia",
                 "gang", "network", "organisation", "organization", "authority", "authorities", "facility", "camp"}


def passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in verb.children)
    )


def verb_status(verb: Token, role: str, depth: int = 0) -> tuple[str, Token] | None:
    """Status that ``verb`` gives to its argument in ``role`` (subj | obj), following xcomp chains."""
    if depth > 3:
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return "other", verb
    lemma = verb.lemma_.lower()
    if lemma == "be" or verb.pos_ == "AUX":
        for c in verb.children:
            if c.dep_ in ("acomp", "attr", "oprd"):
                ws = word_status(c)
                if ws and ws[1] in ("any", "noun"):
                    return ws[0], c
                if c.dep_ == "acomp" and role == "subj":
                    # a passive parsed as "be" + complement: "were mistaken for X and killed"
                    got = verb_status(c, "obj", depth + 1) if c.tag_ == "VBN" else None
                    if got:
                        return got
                    for cj in c.children:
                        if cj.dep_ == "conj" and cj.tag_ == "VBN" and not _own_subject(cj):
                            got = verb_status(cj, "obj", depth + 1)
                            if got:
                                return got
            if c.dep_ == "advmod" and c.i > verb.i:  # "are back at home"
                ws = word_status(c)
                if ws and ws[1] == "any":
                    return ws[0], c
            if c.dep_ == "prep":
                ps = prep_status(c)
                if ps:
                    return ps, c
        for c in verb.children:
            if c.dep_ == "expl":
                return "present", verb  # "there were 7,000 foreigners"
        return None
    for c in verb.children:  # "left four gunmen dead", "confirmed dead"
        if c.dep_ == "oprd" or (c.dep_ == "acomp" and lemma not in ("seem", "appear")):
            ws = word_status(c)
            if ws and ws[1] in ("any", "obj"):
                return ws[0], c
    ws = phrasal_status(verb) or word_status(verb)
    if ws and lemma == "hold" and ws[0] == "detained" and not captor(verb):
        ws = None  # "The stadium holds 40,000 people": a capacity, not captivity
    if ws:
        status, wrole = ws
        if wrole == "any" or wrole == role:
            if status == "present":
                for c in verb.children:  # "remain in custody", "stayed in prison": the phrase says more
                    if c.dep_ == "prep" and c.i > verb.i:
                        ps = prep_status(c)
                        if ps and ps not in ("present", "other"):
                            return ps, c
            if status == "present" and role == "subj":
                # "are waiting to leave", "stay to fight": the complement says where they are going
                for c in verb.children:
                    if c.dep_ == "xcomp" and c.pos_ == "VERB" and c.i > verb.i:
                        got = verb_status(c, "subj", depth + 1)
                        if got and got[0] not in ("present", "other"):
                            return got
            mixed = mixed_status(verb, status)
            return (mixed or status), verb
        if wrole == "subj" and role == "obj" and lemma in ("leave",):
            return None
        if wrole == "obj" and role == "subj":
            return None
    if role == "obj":  # "brought 23 people with severe wounds": the parse hangs "with" on the verb
        for c in verb.children:
            if c.dep_ == "prep" and c.lower_ == "with" and prep_status(c) == "wounded":
                return "wounded", c
    # "granted safe passage out", "find their way out": a phrase on an object or particle of the verb
    doc = verb.doc
    for c in verb.children:
        if c.dep_ in ("dobj", "prt", "prep", "advmod") and c.i > verb.i:
            for j in range(c.left_edge.i, min(c.i + 1, len(doc))):
                m = match_status(doc, j)
                if m and m[2] == "any" and j + m[0] > c.i - 1:
                    return m[1], c
    # "left four gunmen killed", "are afraid and want to leave": complements of the verb
    for c in verb.children:
        if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp") and c.i > verb.i:
            if c.dep_ == "ccomp" and any(x.dep_ in SUBJ for x in c.children):
                continue
            if role == "obj" and c.dep_ not in ("oprd", "xcomp", "ccomp", "acomp"):
                continue
            sub_role = "obj" if c.tag_ == "VBN" else "subj"
            got = verb_status(c, sub_role if c.pos_ == "VERB" else role, depth + 1)
            if got:
                return got
    return None


def mixed_status(verb: Token, status: str) -> str | None:
    """``other`` for a mixed total: two verbs with different statuses sharing their people ("killed or
    captured 31 smugglers", "killed and wounded 40"); None otherwise."""
    pairs = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        pairs.append(verb.head)
    for other in pairs:
        first, second = sorted((verb, other), key=lambda t: t.i)
        if any(c.dep_ in OBJ for c in first.children):
            continue  # "killed 5 and wounded 20": each has its own object
        if _own_subject(second):
            continue  # a clause of its own
        if closes_insert(first):
            continue  # "265 soldiers, including several dozen wounded, surrendered"
        ws = word_status(other)
        if ws and ws[0] != status and ws[1] in ("obj", "any", "subj"):
            cc = next((c for c in first.children if c.dep_ == "cc" and first.i < c.i < second.i), None)
            if "other" in (status, ws[0]) and cc is not None and cc.lower_ == "and":
                # one after the other, not a mixed total: "freed and returned home" (returned),
                # "arrested and later released" (other): the later verb says where they are now
                return ws[0] if second is other else None
            return "other"
    return None


def closes_insert(tok: Token) -> bool:
    """Whether ``tok`` is the last word of an "including"/"among" insert followed by a comma, which the
    parse made a verb: "265 soldiers, including several dozen wounded, surrendered"."""
    doc = tok.doc
    if tok.i < 2 or tok.i + 1 >= len(doc) or doc[tok.i + 1].text != ",":
        return False
    for j in range(tok.i - 1, max(-1, tok.i - 6), -1):
        w = doc[j]
        if w.text == ",":
            return j + 1 < tok.i and doc[j + 1].lower_ in ("including", "among")
    return False


def _own_subject(verb: Token) -> bool:
    """Whether ``verb`` has a subject of its own, also one the parse hangs on its auxiliary
    ("and others were missing")."""
    return any(c.dep_ in SUBJ or c.dep_ in PASS_SUBJ or (c.dep_ in ("aux", "auxpass") and any(
        x.dep_ in SUBJ or x.dep_ in PASS_SUBJ for x in c.children)) for c in verb.children)


def prep_status(prep: Token) -> str | None:
    """A status from a preposition on the counted noun: "in Syria" (present), "among the dead" (killed),
    "in custody" (detained), "in critical condition" (wounded), "in prison"/"in cells" (detained)."""
    lex = get_lex()
    word = prep.lower_
    m = match_status(prep.doc, prep.i)
    if m and m[0] > 1 and m[2] in ("any", "prep"):
        return m[1]
    if word in ("in", "within", "during", "over") and any(
            c.dep_ == "pobj" and (c.ent_type_ in TIME_ENTS or c.lower_ in lex.time_units) for c in prep.children):
        return None  # "in the first weeks", "in 2023": a time, not a place
    if word == "with":  # "23 people with severe wounds"
        for c in prep.children:
            if c.dep_ == "pobj" and noun_status(c) == "wounded":
                return "wounded"
    if word in ("in", "inside", "at", "within"):
        for c in prep.children:
            if c.dep_ == "pobj":
                for x in (c, *(y for y in c.children if y.dep_ == "compound")):
                    got = lex.status.get((x.lower_,)) or lex.status.get((x.lemma_.lower(),))
                    if got and got[1] == "place":
                        return got[0]
    got = lex.status.get((word,))
    if got and got[1] == "prep":
        return got[0]
    if word == "among":
        for c in prep.children:
            if c.dep_ == "pobj":
                for x in [c, *c.children]:
                    ws = word_status(x)
                    if ws and (ws[1] in ("any", "noun") or (  # "among those arrested"
                            ws[1] == "obj" and x.tag_ == "VBN" and x.dep_ in ("acl", "amod"))):
                        return ws[0]
    if word == "in":
        for c in prep.children:
            if c.dep_ == "pobj":
                ws = word_status(c)
                if ws and ws[1] == "any":
                    return ws[0]
    return None


def modifier_status(head: Token, after: Iterable[Token], adjacent_only: bool = False) -> tuple[str,
                                                                                               Token | None] | None:
    """Status from what qualifies the counted noun: participles, relative clauses, prepositions."""
    for t in after:  # "20 Terrorists Killed", "one officer dead", "18 shot dead"
        if t.text in QUOTES:
            continue  # "15 militants “neutralised”"
        ws = word_status(t)
        if ws and ws[1] in ("any", "obj") and not any(c.dep_ in OBJ for c in t.children):
            return ws[0], t
        if ws and ws[1] == "subj":
            return ws[0], t
        if t.is_punct:
            break
    if adjacent_only:
        return None
    for c in head.children:
        if c.dep_ in ("acl", "relcl", "amod") and (c.dep_ != "amod" or c.i > head.i or c.tag_ in ("VBN", "JJ")):
            if c.dep_ == "relcl":
                if _about_another_group(c, head):
                    continue  # "mothers whose sons died", "widows whose husbands were killed"
                rel_role = "subj"
                for x in c.children:
                    if x.dep_ in PASS_SUBJ:
                        rel_role = "obj"
                    if x.dep_ in OBJ and x.tag_ in ("WP", "WDT", "IN"):
                        rel_role = "obj"
                got = verb_status(c, rel_role)
                if got:
                    return got
                continue
            role = "obj" if c.tag_ == "VBN" else "subj"
            if c.dep_ == "amod" and c.i < head.i:
                ws = word_status(c)
                if ws and (ws[1] == "any" or ws[1] == "obj" and c.tag_ == "VBN"):
                    return ws[0], c  # "wounded soldiers", "released prisoners"
                continue
            got = verb_status(c, role)
            if got:
                return got
        if c.dep_ == "prep":
            ps = prep_status(c)
            if ps:
                return ps, c
        if c.dep_ == "advmod" and c.lower_ == "still":
            for x in c.children:
                if x.dep_ == "prep":
                    ps = prep_status(x)
                    if ps:
                        return ps, x
    return None


def _about_another_group(relcl: Token, head: Token) -> bool:
    """A relative clause whose subject is someone else's ("whose sons", "whose husbands"): what it
    says happened to them, not to the counted people."""
    subj = next((x for x in relcl.children if x.dep_ in SUBJ or x.dep_ in PASS_SUBJ), None)
    return subj is not None and subj.i != head.i and any(x.lower_ == "whose" for x in subj.children)


def noun_status(tok: Token) -> str | None:
    lex = get_lex()
    if tok.pos_ in ("NOUN", "PROPN"):
        for w in (tok.lower_, tok.lemma_.lower()):
            if w in lex.status_nouns:
                return lex.status_nouns[w]
    for key in ((tok.lemma_.lower(),), (tok.lower_,)):
        got = lex.status.get(key)
        if got and got[1] in ("noun", "any"):
            return got[0]
    return None


def fallback_status(verb: Token, exclude: set[int]) -> tuple[str, Token] | None:
    """A subject status word somewhere below the governing verb ("helped ... to leave")."""
    queue = [(c, 1) for c in verb.children if c.dep_ in ("prep", "advcl", "xcomp", "dobj", "dative")]
    while queue:
        t, d = queue.pop(0)
        if t.i in exclude:
            continue
        if t.pos_ in ("VERB", "NOUN") or t.dep_ == "pcomp":
            ws = word_status(t)
            if ws and ws[1] == "subj" and ws[0] != "other" and ws[0] != "present":
                return ws[0], t
        if d < 5:
            queue.extend((c, d + 1) for c in t.children if c.dep_ not in ("nsubj", "punct", "cc"))
    return None



def governor(tok: Token) -> tuple[Token | None, str]:
    """The verb (or noun) that governs a noun and the noun's role: subj | obj | noun."""
    t = tok
    for _ in range(6):
        dep = t.dep_
        head = t.head
        if head == t:
            return None, "root"
        if head.lower_ in ("more", "others") and head.i == t.i + 1:
            t = head  # "Dozens more", "20 others": the parse hangs the number on "more"
            continue
        if t.lower_ == "more" and dep == "advmod" and head.pos_ in ("VERB", "AUX"):
            return head, ("obj" if passive(head) else "subj")  # "Dozens more, he said, were hiding"
        if dep == "conj":
            if head.pos_ in ("VERB", "AUX"):
                return None, "conj"
            t = head
            continue
        if dep in SUBJ:
            return head, ("obj" if passive(head) and dep == "nsubj" and head.tag_ == "VBN" and not any(
                c.dep_ == "aux" for c in head.children) else "subj")
        if dep in PASS_SUBJ:
            return head, "obj"
        if dep in OBJ or dep in ("attr", "npadvmod", "appos") and head.pos_ in ("VERB", "AUX"):
            return head, ("subj" if dep == "attr" else "obj")
        if dep == "pobj":
            prep = head
            if prep.lower_ == "of" and prep.head.pos_ in ("NOUN", "PROPN", "NUM"):
                ns = noun_status(prep.head)
                if ns:
                    return prep.head, "noun"
                t = prep.head  # "a group of five", "hundreds of fighters"
                continue
            if prep.lower_ in ("including", "among") and prep.head.pos_ in ("NOUN", "PROPN", "NUM"):
                t = prep.head
                continue
            if prep.lower_ == "by" and prep.head.pos_ == "VERB":
                return prep.head, "agent"
            if prep.lower_ == "with" and prep.head.lower_ in ("along", "together") and prep.head.dep_ == "prep" \
                    and prep.head.head.pos_ == "VERB":
                # "freed 250 prisoners along with 1,700 others": a second object of the verb
                verb = prep.head.head
                return verb, ("obj" if any(x.dep_ in OBJ or x.dep_ in PASS_SUBJ for x in verb.children) else "subj")
            return prep.head if prep.head.pos_ in ("VERB", "AUX") else None, "pobj"
        if dep in ("nummod", "quantmod", "compound", "amod", "det", "nmod", "poss"):
            t = head
            continue
        if dep == "appos":
            t = head
            continue
        if dep in ("acl", "relcl", "ccomp", "advcl", "xcomp", "ROOT", "parataxis", "dep"):
            return (t if t.pos_ in ("VERB", "AUX", "ADJ") else None), "subj"
        return None, dep
    return None, "?"

