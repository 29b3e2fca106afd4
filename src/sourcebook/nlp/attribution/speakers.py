"""Speaker description: a speaker noun phrase split into name, role, affiliation, head, kind, number and
gender (``Description``), and whether a noun can speak at all."""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..furniture import is_country_name
from .base import (
    _AGENT_SUFFIXES,
    _ROLE_STOP,
    _TITLE_RE,
    DETERMINERS,
    FINITE_TAGS,
    NAME_PARTICLES,
    Description,
    RunBase,
    _lemma,
    acronym_as_verb,
)

#: a phrase opening with these is a clause fragment ("whose release was announced"), never a speaker
_WH_WORDS = {"whose", "which", "who", "whom", "where", "when", "what", "whatever", "whoever", "how", "why"}


_NOMINAL_DEPS = {"compound", "amod", "poss", "nmod", "appos", "pobj", "dobj"}


def _appositive_head(role: str | None) -> str | None:
    """The head word of an appositive noun phrase, lower case: "an independent newspaper in Astrana"
    -> newspaper, "the leader of DMUG" -> leader; None unless the text opens with an article (not
    "of the Washington Institute")."""
    if not role or not re.match(r"(?:an?|the)\s", role, re.I):
        return None
    head = None
    for w in re.findall(r"[\w'’-]+", role.lower()):
        if w in _ROLE_STOP:
            if head is not None:
                break
            continue
        head = w
    return head


class SpeakerDescription(RunBase):

    def describe(self, span: SpacySpan) -> Description | None:
        """Split a speaker noun phrase into name, role, affiliation, head, kind, number, gender."""
        info = self._describe(span)
        if info is not None and info.kind == "person" and info.gender == "-":
            for t in span:
                g = self.cfg.gender_words.get(t.lower_)
                if g:
                    info.gender = g
                    break
        return info

    def _describe(self, span: SpacySpan) -> Description | None:
        if len(span) == 1 and acronym_as_verb(span[0]):
            # "IS said": an organization's initials the tagger read as a verb
            nm = self.expand(span[0].text)
            return Description.organization(nm, nm.split()[-1], {span[0].lower_, nm.lower()}, span[0])
        root = self.phrase_root(span)
        if root is None:
            return None  # a clause or a fragment, not a speaker
        lemma0 = _lemma(root)
        handled, info = self.document_author(span, root, lemma0)
        if handled:
            return info
        person_ents = [e for e in self.ents if e.label_ == "PERSON" and e.start >= span.start and e.end <= span.end]
        org_ents = [e for e in self.ents if e.label_ in ("ORG", "GPE", "NORP", "FAC") and e.start >= span.start
                    and e.end <= span.end]
        name, name_span = self.find_name(span, root, person_ents, org_ents)
        org_head = None
        if name is None:
            name, name_span, org_head = self.org_head_of(span, root, org_ents)
        number = "pl" if root.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in root.children) else "sg"
        lemma = _lemma(root)
        aliases = {lemma, root.lower_}
        if name is not None:
            return self.named_person(span, root, name, name_span, org_ents, aliases)
        if org_head is not None:
            return self.named_org(root, org_head, aliases)
        described = self.described_org(span, root, lemma0, number, aliases, person_ents)
        if described is not None:
            return described
        return self.unnamed(span, root, number, aliases, org_ents)

    def phrase_root(self, span: SpacySpan) -> Token | None:
        """The head of a speaker phrase, or None when the phrase is a clause or a fragment."""
        # the root of the phrase
        tops = [t for t in span if t.head.i < span.start or t.head.i >= span.end or t.head == t]
        root = tops[0] if tops else span[0]
        nominal = [t for t in tops if t.pos_ in ("NOUN", "PROPN", "PRON")]
        if len(tops) > 1 and nominal:
            # a phrase the parser split ("Türkiye's Interior Minister Ali Yerlikaya" with "Türkiye"
            # hung outside): an English noun phrase ends in its head
            root = nominal[-1]
        if root.pos_ in ("VERB", "AUX") and root.dep_ not in ("nsubj",):
            # a clause, not a noun phrase: find a noun
            nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN", "PRON")]
            if not nouns:
                return None
            root = nouns[0]
        if len(span) > 45 or span[0].pos_ in ("VERB", "AUX", "ADP", "SCONJ") and span[0].dep_ != "amod" \
                or span[0].lower_ in _WH_WORDS:  # ("retired neurosurgeon Ben Carson": a participle adjective)
            return None  # a clause or a fragment, not a speaker
        for t in span:
            if t.tag_ in FINITE_TAGS and t.lower_ not in ("called", "named", "nicknamed", "dubbed") \
                    and not self.in_relcl(t, span.end) and t.dep_ not in _NOMINAL_DEPS:
                return None  # a clause; a "verb" in a noun's place is a mis-tagged name ("law firm Perkins Coie")
        return root

    def document_author(self, span: SpacySpan, root: Token, lemma0: str) -> tuple[bool, Description | None]:
        """A document speaks for its author: (True, the author's description) when the phrase names
        one, else (False, None)."""
        doc = self.doc
        # "a statement by Jordan's Public Security Directorate" -> the directorate
        if self.cfg.kinds.get(lemma0) == "document" and not (root.pos_ == "PROPN" and root.text[:1].isupper()):
            # (not "The Jerusalem Post", "the Washington Post": a name, whose last word names a document)
            for c in root.children:
                if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs and (objs[0].pos_ == "PROPN" or self.cfg.kinds.get(_lemma(objs[0])) == "organization"):
                        o = objs[0]
                        info = self.describe(doc[o.left_edge.i:o.right_edge.i + 1])
                        if info is not None:  # "the statement said" later refers to the same source
                            info.aliases = set(info.aliases) | {lemma0}
                        return True, info
                if c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ("ORG", "NORP", "GPE") \
                        and span.start <= c.left_edge.i:
                    # "A Defence Ministry statement" -> the Defence Ministry
                    info = self.describe(doc[c.left_edge.i:c.i + 1])
                    if info is not None:
                        info.aliases = set(info.aliases) | {lemma0}
                    return True, info
                if c.dep_ == "poss" and c.pos_ == "PROPN":
                    info = self.describe(doc[c.left_edge.i:c.i + 1])
                    if info is not None:
                        info.aliases = set(info.aliases) | {lemma0}
                    return True, info
        return False, None

    def find_name(self, span: SpacySpan, root: Token, person_ents,
                  org_ents) -> tuple[str | None, tuple[int, int] | None]:
        """The name the phrase gives (a nickname, a person's name at its head or closing it), and where."""
        doc = self.doc
        text = span.text
        # nickname: "..., who goes by the nickname Abu Ahmed"
        name = None
        name_span = None
        for rx in self.cfg.nicknames:
            m = rx.search(text)
            if m:
                name = m.group("name").strip()
                name_span = (span.start_char + m.start("name"), span.start_char + m.end("name"))
                break
        person_ents = [e for e in self.ents if e.label_ == "PERSON" and e.start >= span.start and e.end <= span.end]
        org_ents = [e for e in self.ents if e.label_ in ("ORG", "GPE", "NORP", "FAC") and e.start >= span.start
                    and e.end <= span.end]
        name_ent = None
        if name is None:
            for e in person_ents:
                if self.is_head_entity(e, root, span):
                    name_ent = e
                    break
            if name_ent is None and person_ents:
                e = person_ents[-1]
                if e.end == span.end and e.start > span.start and not self.object_of_preposition(e) and (
                        doc[e.start - 1].pos_ not in ("ADP",) and e.root.dep_ not in ("pobj", "poss")
                        or len(e) >= 2 and _lemma(root) in self.cfg.people and root.i < e.start
                        and e.root.head.pos_ != "VERB"):
                    # "..., an activist, Ali Hassan" / "Another resident of Deir al-Zor Abdullah al-Noami"
                    # (commas stripped): a person's name closing a description of someone is their name
                    name_ent = e
            if name_ent is None:
                name_ent = self.person_tagged_as_place(span, root, org_ents)
            if name_ent is None and not org_ents and (root.pos_ == "PROPN" and (
                    root.ent_type_ in ("", "PERSON") or root.text in self.person_names)
                    or self.surname_as_noun(span, root)):
                # an untagged proper name at the head: "Zelin said"
                k = root.i
                while k > span.start and doc[k - 1].pos_ == "PROPN" and doc[k - 1].dep_ == "compound":
                    k -= 1
                name_ent = doc[k:root.i + 1]
                if all(self.is_title_word(t) for t in name_ent):
                    name_ent = None  # "The Grand Mufti", "the Pope": a title alone names no one
            if name_ent is not None:
                k = name_ent.start
                while k < name_ent.end - 1 and self.is_title_word(doc[k]):
                    k += 1  # "Spokeswoman Maria Zakharova", "President Vladimir Putin": the title is a role
                words = [w for w in doc[k:name_ent.end].text.split() if not _TITLE_RE.match(w)]
                name = " ".join(words) if words else name_ent.text
                name_span = (doc[k].idx, name_ent.end_char)
        return name, name_span

    def org_head_of(self, span: SpacySpan, root: Token, org_ents):
        """(name, name span, None) for a name tagged as an organization that is a person's, else
        (None, None, the organization entity heading the phrase or None)."""
        name = name_span = None
        org_head = None
        for e in org_ents:
            if self.is_head_entity(e, root, span) and e.label_ != "NORP":
                org_head = e
                break
        if org_head is not None and org_head.label_ in ("ORG", "GPE") and (
                org_head.text in self.person_names and org_head.text not in self.place_names - self.person_names
                or any(c.dep_ == "appos" and c.like_num for c in org_head.root.children)):
            # ... or with an age in apposition: "Ramos, 58, told AFP"
            # "Duque has said" with "Duque" tagged ORG, where the article names President Ivan Duque
            name, name_span, org_head = org_head.text, (org_head.start_char, org_head.end_char), None
        return name, name_span, org_head

    def named_person(self, span: SpacySpan, root: Token, name: str, name_span, org_ents,
                     aliases: set[str]) -> Description:
        """A named source: name, head, role and affiliation from the phrase."""
        parts = [w for w in re.split(r"\s+", name) if w]
        low = [w.lower() for w in parts]
        head = name if low and low[0].rstrip("-") in NAME_PARTICLES else parts[-1]
        aliases |= {head.lower(), name.lower()}
        role_text = self.role_of(span, name_span)
        aff = self.affiliation(span, name_span, root, org_ents)
        for w in (role_text or "").split():
            aliases.add(w.lower().strip(",."))
        kind = "organization" if self.role_head_kind(role_text) == "organization" else "person"
        return Description(name=name, head=head, anonymous=False, role=role_text, affiliation=aff, kind=kind,
                    number="sg", aliases=aliases, root=root, definite=False, gender="-")

    def named_org(self, root: Token, org_head, aliases: set[str]) -> Description:
        """An organization heading the phrase under its name (short forms expanded)."""
        nm = re.sub(r"^(?:the|The)\s+", "", org_head.text)
        full = self.expand(nm)
        aliases |= {nm.lower(), full.lower()}
        nm = full
        aliases |= {k for k, v in self.acronyms.items() if v.lower() == nm.lower()}
        return Description.organization(nm, org_head.root.text, aliases, root)

    def described_org(self, span: SpacySpan, root: Token, lemma0: str, number: str, aliases: set[str],
                      person_ents) -> Description | None:
        """An organization named by what it is ("the health ministry", "the Syrian army"), or the
        named organization a description points back to ("the monitoring group"); None otherwise."""
        doc = self.doc
        # an institution named by what it is: "the health ministry", "Turkey's state-run Anadolu news
        # agency", "the Syrian army" (named); "a monitoring group" stays unnamed
        kind0 = self.cfg.kinds.get(lemma0) or self.cfg.kinds.get(root.lower_)
        det0 = span[0].lower_
        has_poss = any(c.dep_ == "poss" for c in root.children)
        has_proper = any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN" for c in root.children)
        proper_root = root.pos_ == "PROPN" and root.ent_type_ in ("", "ORG", "GPE", "NORP", "FAC") \
            and root.text[:1].isupper() and not person_ents and not self.title_only(root)
        if kind0 in ("organization", "document") and number == "sg" and det0 in ("the", "this") \
                and not (has_poss or has_proper or root.pos_ == "PROPN"):
            # "the monitoring group", "the paper": a named organization the article described so
            # ("Vantor Daily, an independent newspaper", "..., a Britain-based monitoring group")
            for src in reversed(self.sources):
                if src.kind != "organization" or src.anonymous:
                    continue
                src_words = src.aliases | self.appositives.get((src.name or "").lower(), set())
                if lemma0 in src_words or (len(lemma0) >= 4 and any(w.endswith(lemma0) for w in src_words)):
                    return Description.organization(src.name, src.head, {lemma0}, root)
            named_orgs = [x for x in self.sources if x.kind == "organization" and not x.anonymous and x.name]
            mods = {t.lower_ for t in span if t.i < root.i and t.pos_ in ("NOUN", "ADJ", "PROPN")}
            if len({x.name for x in named_orgs}) > 1 and mods:
                # "the rights group" among several: the one whose name holds the other words
                named_orgs = [x for x in named_orgs if mods <= {w.lower() for w in (x.name or "").split()}]
            if lemma0 in self.cfg.generic_orgs and len({x.name for x in named_orgs}) == 1:
                # "the Britain-based monitoring group", "the rights group": a word that fits any
                # organization stands for the organization named as a source, when only one was
                src = named_orgs[-1]
                if src is not None:
                    return Description.organization(src.name, src.head, {lemma0}, root)
        outlet = lemma0 in self.cfg.outlets and root.pos_ == "NOUN" and not (has_poss or has_proper)
        if outlet and det0 in ("the", "this"):
            named = self.org_named_so(lemma0, root)  # "the magazine" after "Focus magazine reported"
            if named is not None:
                return Description.organization(named, named.split()[-1], {lemma0}, root)
            kind0 = None  # an outlet the article does not name: unnamed
        if lemma0 in self.cfg.generic_orgs and root.pos_ == "NOUN" and not (has_poss or has_proper):
            named = self.org_named_so(lemma0, root) if det0 in ("the", "this") else None
            if named is not None:  # "the observatory" after "the Syrian Observatory for Human Rights (SOHR)"
                return Description.organization(named, named.split()[-1], {lemma0}, root)
            kind0 = None  # "the group", "the monitor" that no named organization fits: unnamed, not a name
        if (kind0 == "organization" or proper_root) and number == "sg" and det0 not in ("a", "an", "one",
                                                                                        "another") and (
                det0 in ("the", "this") or has_poss or has_proper or root.pos_ == "PROPN"):
            i0 = span.start + (1 if det0 in ("the", "this") else 0)
            j0 = root.i + 1
            for c in root.children:  # "the Ministry of Defence", "the High Commissioner for Refugees"
                if c.dep_ == "prep" and c.lower_ in ("of", "for") and c.i == j0:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs and objs[0].pos_ == "PROPN":
                        j0 = objs[0].right_edge.i + 1
                        j0 = next((k for k in range(c.i, j0) if doc[k].text in ("(", ",")), j0)  # not "(UNHCR)"
            if j0 < span.end and doc[j0].text == "(" and j0 + 2 < span.end and doc[j0 + 2].text == ")":
                aliases.add(doc[j0 + 1].lower_)  # "(MoD)"
            nm = doc[i0:j0].text
            aliases |= {nm.lower(), root.lower_} | {_lemma(t) for t in span if t.pos_ == "NOUN"}
            full = self.expand(nm)
            if full != nm:
                aliases.add(full.lower())
                nm = full
            aliases |= {k for k, v in self.acronyms.items() if v.lower() == nm.lower()}
            return Description.organization(nm, root.text, aliases, root)
        return None

    def unnamed(self, span: SpacySpan, root: Token, number: str, aliases: set[str], org_ents) -> Description | None:
        """An unnamed source: a group, a person by role, an institution by its plural or bare noun."""
        lemma = _lemma(root)
        inst = self.institution(span, root)
        if inst is not None:
            return inst
        # unnamed
        part = self.group_part(root) or self.respondents(root)
        if part is not None:
            # "half of the refugees surveyed", "47 percent of respondents": a group of those people
            aff = self.affiliation(span, None, root, org_ents)
            return Description(name=None, head=part.text, anonymous=True, role=None, affiliation=aff, kind="group",
                        number="pl", aliases=aliases | {_lemma(part), part.lower_}, root=root, definite=False,
                        gender="-")
        if root.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
            return None
        if root.pos_ == "NOUN" and not self.agentive(root):
            return None  # "the ceasefire", "Russia's military role": not someone who can say things
        if root.pos_ in ("PRON", "ADJ") and root.lower_ not in ("others", "some", "many", "one", "several", "most",
                                                                "few"):
            return None
        listed = self.cfg.kinds.get(lemma) or self.cfg.kinds.get(root.lower_)
        if listed is None:
            kind = "group" if number == "pl" else "person"
        elif listed == "person" and number == "pl":
            kind = "group"
        else:
            kind = listed
        det = span[0].lower_
        definite = det in ("the", "this", "that") and root.i - span.start <= 3
        words = span.text.split()
        role = None
        if kind == "person":
            role = " ".join(words[1:]) if det in DETERMINERS and len(words) > 1 else span.text
        aff = self.affiliation(span, None, root, org_ents)
        return Description(name=None, head=root.text, anonymous=True, role=role, affiliation=aff, kind=kind,
                    number=number, aliases=aliases, root=root, definite=definite, gender="-")

    def institution(self, span: SpacySpan, root: Token) -> Description | None:
        """An institution named by what it is though plural or bare ("police said", "Iraqi security
        forces said", "Syrian state television reported"): a named organization (GUIDELINES), unless
        an indefinite article, a number or a quantifier makes the words a description of some people."""
        need = self.cfg.institutions.get(root.lower_)
        if need is None or root.pos_ not in ("NOUN", "PROPN"):
            return None
        before = [t for t in span if t.i < root.i]
        if any(t.lower_ in DETERMINERS and t.lower_ not in ("the", "this") for t in before) \
                or any(t.like_num or t.pos_ == "NUM" for t in before) \
                or any(c.dep_ in ("nummod", "quantmod") for c in root.children):
            return None
        mods = [t for t in before if t.pos_ in ("ADJ", "PROPN", "NOUN") and t.dep_ in ("amod", "compound", "nmod")]
        if need == "modifier" and not mods:
            return None
        if need == "state" and not any(t.lower_ in self.cfg.state_words for t in mods):
            return None
        i0 = span.start + (1 if span[0].lower_ in ("the", "this") else 0)
        while i0 < root.i and (root.doc[i0].is_punct or root.doc[i0].dep_ not in ("amod", "compound", "nmod", "poss",
                                                                                     "case")):
            i0 += 1  # "Kurdistan Region - Iraqi security forces": the words that modify the head
        nm = root.doc[i0:root.i + 1].text
        aliases = {nm.lower(), root.lower_, _lemma(root)}
        return Description.organization(nm, root.text, aliases, root)

    def surname_as_noun(self, span, root: Token) -> bool:
        """'Voll at the time said ...': a capitalized word opening the phrase that the tagger took for a
        common noun, and that the article gives to a person elsewhere, is that person's surname."""
        return root.i == span.start and root.pos_ == "NOUN" and root.ent_type_ == "" and root.text[:1].isupper() \
            and root.text in self.person_names \
            and root.text not in self.place_names

    def person_tagged_as_place(self, span: SpacySpan, root: Token, org_ents) -> SpacySpan | None:
        """A person's name the tagger took for a place ("Nino Burjanadze, the leader of DMUG" tagged
        GPE): two or more proper nouns heading the phrase, no country's name, and an appositive whose
        head is a word for a person ("leader", "spokesman")."""
        for e in org_ents:
            if e.label_ != "GPE" or len(e) < 2 or not all(t.pos_ == "PROPN" for t in e) \
                    or is_country_name(e.text) or not self.is_head_entity(e, root, span):
                continue
            m = re.match(r"\s*,\s*((?:an?|the)\s+.+)$", self.text[e.end_char:span.end_char], re.S)
            head = _appositive_head(m.group(1)) if m else None
            if head is not None and (head in self.cfg.people or head in self.cfg.role_heads):
                return e
        return None

    def role_head_kind(self, role: str | None) -> str | None:
        """The kind of the head noun of an appositive: "an independent newspaper in Astrana" ->
        organization (so "Vantor Daily, an independent newspaper" is an outlet, not a person)."""
        head = _appositive_head(role)
        return self.cfg.kinds.get(head) if head else None

    def title_only(self, root: Token) -> bool:
        """"The Grand Mufti", "the Pope": capitalised words that are all a title, naming no one."""
        words = [t for t in root.doc[root.left_edge.i:root.i + 1] if t.pos_ != "DET" and not t.is_punct]
        return bool(words) and all(self.is_title_word(t) for t in words)

    def org_named_so(self, word: str, before: Token) -> str | None:
        """The one organization the text names before ``before`` with ``word`` in its name or in an
        appositive ("the Syrian Observatory for Human Rights" or "SOHR, a Britain-based monitor" for
        "the observatory", "the monitor"); None when none or several fit (no guess)."""
        names = set()
        for e in self.ents:
            if e.label_ != "ORG" or e.start >= before.i:
                continue
            name = re.sub(r"^(?:the|The)\s+", "", e.text)
            words = {w.lower() for w in re.findall(r"[\w’'-]+", name)} | self.appositives.get(name.lower(), set())
            if word in words:
                names.add(self.expand(name))
        return names.pop() if len(names) == 1 else None

    def object_of_preposition(self, e: SpacySpan) -> bool:
        """The name is what a preposition governs, with at most titles between ("Opponents of President
        Bashar Assad", "a friend of Omar Haddad"): the phrase is about that person, who is not the
        speaker; unlike a name closing a description ("a resident of Deir al-Zor Abdullah al-Noami")."""
        k = e.start - 1
        while k >= 0 and self.is_title_word(self.doc[k]):
            k -= 1
        return k >= 0 and self.doc[k].lower_ in ("of", "for", "to", "with", "against")  # not "from Raqqa"

    def is_title_word(self, tok: Token) -> bool:
        """A capitalised role word written before a name as a title ("Spokeswoman", "President")."""
        low = tok.lower_.rstrip(".")
        return bool(_TITLE_RE.match(tok.text)) or (
            tok.text[:1].isupper() and (low in self.cfg.people or low in self.cfg.role_heads or low in self.cfg.titles))

    def group_part(self, root: Token) -> Token | None:
        """The people a part-of-a-group head stands for ("half of the refugees" -> refugees), or None."""
        if not (root.lower_ in self.cfg.group_parts or _lemma(root) in self.cfg.group_parts or root.like_num):
            return None
        for c in root.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                objs = [g for g in c.children if g.dep_ == "pobj"]
                if objs and objs[0].pos_ in ("NOUN", "PROPN") and self.agentive(objs[0]):
                    return objs[0]
        return None

    def respondents(self, root: Token) -> Token | None:
        """A poll's respondents named by their share alone ("Nearly half said", "42% say", "majorities in
        all five say") or as "those" who were asked ("those surveyed said", "those who voted say"), or None."""
        if root.lower_ == "those":
            return root if any(c.dep_ in ("acl", "relcl") and c.tag_ in ("VBN", "VBD", "VBP") for c in root.children) \
                else None
        if root.pos_ == "NUM" and any(c.lower_ in ("in", "of", "out") and (
                c.dep_ == "quantmod" or c.dep_ == "prep" and any(g.pos_ == "NUM" for g in c.subtree))
                for c in root.children):
            return root  # "About 4 in 10 say", "six out of 10 said": a share of those asked
        if (root.lower_ in self.cfg.group_parts or _lemma(root) in self.cfg.group_parts) \
                and root.lower_ not in ("number", "share", "proportion") \
                and not any(c.dep_ == "prep" and c.lower_ == "of" for c in root.children):
            return root
        return None

    def agentive(self, tok: Token) -> bool:
        """Can this noun be a source?  People, groups, institutions and documents can."""
        lemma = _lemma(tok)
        if tok.text.isupper() and len(tok.text) >= 2:
            return True  # an acronym: ISIL, UNHCR
        if lemma in self.cfg.people or lemma in self.cfg.kinds or tok.lower_ in self.cfg.people:
            return True
        return len(lemma) > 4 and lemma.endswith(_AGENT_SUFFIXES)

    def is_head_entity(self, e, root: Token, span) -> bool:
        if e.start <= root.i < e.end:
            return True
        if e.root.dep_ == "appos" and e.root.head == root:
            return True
        if root.dep_ == "appos" and root.head.i in range(e.start, e.end):
            return True
        # "U.S. District Judge Michael Barrett": the root is a title compound of the name
        if any(t.head.i in range(e.start, e.end) for t in [root]) and root.dep_ == "compound":
            return True
        # the entity opens the phrase: "James Clapper, the U.S. director ..."
        if e.start == span.start and (e.end == span.end or span.doc[e.end].text == ","):
            return True
        return False

    def describes_place(self, tok: Token, root: Token) -> bool:
        """Is ``tok`` inside a description of a place rather than of the speaker: an appositive whose
        head is a place noun ("Mayadin, a town with ..."), or a place the speaker is from or in?"""
        t = tok
        for _ in range(8):
            if t == root or t.head == t:
                return False
            if t.dep_ in ("appos", "relcl", "acl") and (_lemma(t) in self.cfg.place_nouns
                                                      or t.head.ent_type_ in ("GPE", "LOC", "FAC")):
                return True
            if t.dep_ == "pobj" and t.head.lower_ in ("from", "in", "near", "outside") and (
                    t.ent_type_ in ("GPE", "LOC", "FAC")
                    or any(c.dep_ == "appos" and _lemma(c) in self.cfg.place_nouns for c in t.children)):
                return True
            t = t.head
        return False

    def role_of(self, span, name_span) -> str | None:
        """The appositive or title around a name: "James Clapper, the U.S. director of ..." -> role."""
        text = self.text
        s, e = span.start_char, span.end_char
        ns, ne = name_span
        rest = text[ne:e]
        m = re.match(r"\s*,\s*(.+)$", rest, re.S)
        if m and ne - s < 3 or (m and not text[s:ns].strip()):
            role = m.group(1).strip().rstrip(",")
            role = re.sub(r"^\d{1,3}\s*,\s*", "", role)  # "Nadia Ruslan, 52, who runs a bakery": the age is no role
            return role or None
        before = text[s:ns].strip().rstrip(",")
        # "the leader of a brigade ... called X, who goes by the nickname Y"
        before = re.split(r",?\s+(?:called|named|known as)\s+|,\s+who\s+", before)[0].strip()
        if before:
            return before
        return None

    def affiliation(self, span, name_span, root, org_ents) -> str | None:
        """The organization the speaker speaks or works for, as written; never a place the speaker comes
        from or a description of that place ("an activist from Mayadin, a town with a heavy ISIS
        presence" has none)."""
        for e in org_ents:
            if name_span and e.start_char >= name_span[0] and e.end_char <= name_span[1]:
                continue
            if e.label_ in ("ORG",) and not self.describes_place(e.root, root):
                return re.sub(r"^(?:the|The)\s+", "", e.text)
        for e in org_ents:
            if e.label_ in ("GPE", "NORP") and any(t.head == root and t.dep_ in ("compound", "amod") for t in e):
                return e.text
        for t in span:
            if name_span and t.idx < name_span[1]:
                continue
            if t.dep_ == "pobj" and t.pos_ == "PROPN" and t.head.lower_ in ("at", "of", "for", "with") \
                    and t.ent_type_ not in ("GPE", "LOC", "PERSON", "DATE") and not self.describes_place(t, root):
                i = t.left_edge.i
                if span.doc[i].lower_ == "the":
                    i += 1
                return span.doc[i:t.right_edge.i + 1].text
        return None
