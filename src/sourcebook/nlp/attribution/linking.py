"""Linking: which source a mention refers to (a new source, an earlier one by name, role or definite
description, a pronoun), following shared/gold/GUIDELINES.md; never across articles, never a guess."""

from __future__ import annotations

import re

from spacy.tokens import Token

from ... import lexicon
from ..furniture import dateline_length, is_country_name
from .base import (
    ADDRESSEE_VERBS,
    DETERMINERS,
    REL_PRONOUNS,
    SUBJ_DEPS,
    Description,
    _chars,
    _lemma,
    _Src,
    _trim,
)
from .content import ContentRules

_NOT_SPEAKER_ENTS = {"GPE", "LOC", "FAC", "DATE", "TIME", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART", "MONEY",
                     "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"}


class Linking(ContentRules):

    def speaker_from(self, tok: Token, subj: Token | None, sent, cue_end: int) -> _Src | None:
        doc = self.doc
        if subj is not None:
            if subj.lower_ in REL_PRONOUNS and (tok.dep_ == "relcl" or tok.dep_ == "conj" and tok.head == subj.head
                                                and subj.head.dep_ == "relcl"):
                # "X, the leader of ..., who said Y"; "X, who endorsed Y and said Z"
                head = self.appositive_anchor(tok.head if tok.dep_ == "relcl" else tok.head.head)
                src = self.resolve(head.left_edge.i, head.i + 1)
                if src is not None and subj.lower_ == "who":
                    src.add_mention(subj.idx, subj.idx + len(subj))  # the relative word is a mention too
                return src
            if subj.pos_ == "PRON" and subj.lower_ in self.cfg.pronouns:
                return self.resolve(subj.i, subj.i + 1)
            if subj.lower_ in ("it", "there", "this", "that", "what", "which", "who"):
                return None
            i, j = subj.left_edge.i, subj.right_edge.i + 1
            if subj.i > tok.i and subj.dep_ != "pobj":  # inversion: said the leader of ..., who ...
                j = self.inverted_end(sent, tok.i + 1)
            i = self.after_quotations(i, subj)
            return self.resolve(i, j)
        # no parsed subject: surface NP before the cue (", James Clapper, ..., told"), with or without comma
        k = self.np_before(sent, tok.i)
        if k is None:
            k = self.np_left(sent, tok.i)
        if k is not None:
            return self.resolve(k, tok.i)
        # inversion without a parsed subject: "..., said the activist, who ..." (a verb that takes an
        # object is not inverted: "accused the regime of shelling" names who is accused)
        if cue_end < sent.end and self.cfg.frames.get(_lemma(tok), "say") in ("say", "belief", "evidence") \
                and _lemma(tok) not in ADDRESSEE_VERBS | {"accuse", "charge"}:
            i = cue_end
            j = self.inverted_end(sent, i)
            if j > i and (doc[i].pos_ in ("DET", "PROPN", "NOUN", "ADJ", "NUM") or doc[i].lower_ in self.cfg.pronouns
                          or doc[i].dep_ in ("amod", "compound")):  # "said retired neurosurgeon Ben Carson"
                return self.resolve(i, j)
        return None

    @staticmethod
    def appositive_anchor(head: Token) -> Token:
        """The noun a relative clause's speaker is: 'Lionel Voss, a consultant and a former mayor, who
        said ...' hangs the clause on the description in apposition to a name; the speaker is the
        named person (the text's own link), not a new anonymous source."""
        h = head
        while h.dep_ == "conj" and h.head.i < h.i and h.head.pos_ in ("NOUN", "PROPN"):
            h = h.head
        if h.dep_ == "appos" and h.pos_ == "NOUN" and h.head.i < h.i and h.head.pos_ == "PROPN" \
                and h.head.ent_type_ == "PERSON":
            return h.head
        return head

    def after_quotations(self, i: int, head: Token) -> int:
        """Where a speaker phrase starting at token ``i`` really starts when the parser hung a quotation
        that closes before its head on it ('"That's a concern," Sarandon, 69, told MSNBC')."""
        doc = self.doc
        for q in self.marks:
            if q.close_end is not None and doc[i].idx < q.close_end <= head.idx:
                k = next(t.i for t in doc[i:head.i + 1] if t.idx >= q.close_end)
                while k < head.i and (doc[k].is_punct or doc[k].is_space):
                    k += 1
                i = max(i, k)
        return i

    def resolve(self, i: int, j: int) -> _Src | None:
        """The source that the token range [i, j) refers to, creating it when new."""
        doc = self.doc
        i, j = _trim(doc, self.after_dateline(i, j), j)
        if j <= i:
            return None
        span = doc[i:j]
        start, end = _chars(doc, i, j)
        first = span[0]
        for known in self.sources:
            if (start, end) in known.mentions:
                return known  # the same words at the same place: the same source
        if all((t.like_num or t.is_punct) and t.text != "%" for t in span):
            return None  # "22 said ...": a number is no one ("42% say": a share of those asked is)
        # pronouns
        if j - i == 1 and first.lower_ in self.cfg.pronouns:
            src = self.pronoun(first)
            if src is not None:
                src.add_mention(start, end)
                g = self.cfg.pronouns[first.lower_][1]
                if g in ("m", "f") and src.gender == "-":
                    src.gender = g
            return src
        if first.lower_ in ("i", "we", "you", "it", "this", "that", "there", "what"):
            return None
        info = self.describe(span)
        if info is None:
            return None
        src = self.match(info, start)
        if src is None:
            src = self.new_source(info, start, end)
        else:
            src.add_mention(start, end)
            if src.gender == "-" and info.gender != "-":
                src.gender = info.gender
            if not src.anonymous and info.role and not src.role:
                src.role = info.role
            src.aliases |= info.aliases
        return src

    def after_dateline(self, i: int, j: int) -> int:
        """"ASTRANA, Velmoria — Velmoria's deputy defence minister warned": the speaker starts after
        the dateline the paragraph opens with."""
        start = self.doc[i].idx
        if self.text[self.para_starts[self.para_of(start)]:start].strip():
            return i
        n = dateline_length(self.text, start, colon_ok=self.dateline_colon_ok(start))
        if not n:
            return i
        k = self.tok_at(start + n)
        return k if k is not None and k < j else i

    def pronoun(self, tok: Token) -> _Src | None:
        number, gender = self.cfg.pronouns[tok.lower_]
        limit_para = self.para_of(tok.idx) - 4
        cands = []
        for s in self.sources:
            if s.last >= tok.idx or self.para_of(s.last) < limit_para:
                continue
            if number == "sg" and s.number != "sg":
                continue
            if number == "pl" and s.number != "pl" and s.kind not in ("organization",):
                continue
            if gender in ("m", "f") and s.gender not in ("-", gender):
                continue
            if gender in ("m", "f") and s.kind in ("organization", "document", "group"):
                continue
            if gender == "n" and s.kind == "person":
                continue
            cands.append(s)
        # a named person mentioned in a subject position after the last source: "Smith arrived. He said"
        newer = self.person_subject_between(max((s.last for s in cands), default=-1), tok)
        if newer is not None and number == "sg":
            return self.resolve(*newer)
        if not cands:
            subj = self.subject_before(tok, number, gender)
            if subj is None and number == "sg" and gender in ("m", "f"):
                subj = self.one_person_before(tok)
            return self.resolve(*subj) if subj is not None else None
        return max(cands, key=lambda s: s.last)

    def people_before(self, tok: Token):
        """PERSON entities before ``tok`` in the same or the previous paragraph, outside quotations and
        reported statements ("Woods said Khan should ...": Khan is reported on), and not place names."""
        p = self.para_of(tok.idx)
        for ent in self.ents:
            if ent.label_ != "PERSON" or ent.start >= tok.i or self.para_of(ent.start_char) < p - 1:
                continue
            if self.in_quote(ent.start_char) or self.is_claimed(ent.start_char) or ent.text in self.place_names:
                continue
            yield ent

    def one_person_before(self, tok: Token):
        """The one person the same or the previous paragraph names before ``tok`` in any position ("his
        daughter Ivanka Trump, who ... She said"), outside quotations and reported statements; None
        when there are two or more (no guess between them)."""
        found: dict[str, tuple[int, int]] = {}
        for ent in self.people_before(tok):
            found.setdefault(ent[-1].text, (ent.start, ent.end))
        if len(found) != 1:
            return None
        return next(iter(found.values()))

    def subject_before(self, tok: Token, number: str, gender: str):
        """The latest noun-phrase subject before ``tok`` (same or previous paragraph) a pronoun can stand for."""
        doc = self.doc
        p = self.para_of(tok.idx)
        for t in reversed(doc[:tok.i]):
            if self.para_of(t.idx) < p - 1:
                break
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if self.in_quote(t.idx) is not None or self.is_claimed(t.idx):
                continue  # inside a quotation or a reported statement: someone spoken about
            if t.ent_type_ in _NOT_SPEAKER_ENTS or t.pos_ == "NOUN" and not self.agentive(t):
                continue  # "when Ghouta was under siege": a place cannot be "she"
            plural = t.tag_ in ("NNS", "NNPS")
            if (number == "sg") == plural:
                continue
            kind = self.cfg.kinds.get(_lemma(t))
            if gender in ("m", "f") and kind in ("document", "organization"):
                continue
            if gender == "n" and kind not in ("document", "organization"):
                continue
            return t.left_edge.i, t.i + 1
        return None

    def person_subject_between(self, after_char: int, tok: Token):
        """A PERSON entity in subject position between ``after_char`` and ``tok`` (same or previous paragraph)."""
        best = None
        for ent in self.people_before(tok):
            if ent.start_char > after_char and ent.root.dep_ in SUBJ_DEPS:
                best = (ent.start, ent.end)
        return best

    def match(self, info: Description, start: int) -> _Src | None:
        """An existing source that this description refers to, if the text says so."""
        if info.name is not None:
            name = info.name.lower()
            head = info.head.lower()
            # "Security forces" is not "Iraqi security forces", nor "Kurdish forces": an institution
            # named by what it is matches by its name only, not by its head word
            by_name = info.kind == "organization" and head in self.cfg.institutions
            for s in reversed(self.sources):
                if s.name is None:
                    continue
                sn = s.name.lower()
                if by_name and not (sn == name or name in s.aliases):
                    continue
                if sn == name or s.head.lower() == head or head in sn.split() or name == s.head.lower() \
                        or name in s.aliases and name not in self.role_only_words(s):
                    if s.kind == info.kind or info.kind == "person" or s.kind == "person" and name == s.head.lower():
                        return s  # ("Zakharova" tagged as an organization is still Maria Zakharova)
            return None
        # unnamed: never merged with a named source unless the role words match
        lemma = _lemma(info.root)
        if info.number == "pl" and not info.definite:
            # "Prosecutors" ... "prosecutors": the same words; "Turkish officials" is not "officials"
            core = self.core_words(info.root)
            for s in reversed(self.sources):
                if s.anonymous and s.number == "pl" and core == s.core:
                    return s
        if info.definite:
            fits = [s for s in reversed(self.sources)
                    if lemma in s.aliases and (s.number == info.number or s.kind == info.kind)]
            named = {s.name for s in fits if not s.anonymous}
            if fits and (fits[0].anonymous or len(named) == 1):
                return fits[0]
            if len(named) > 1:  # two named sources fit: no guess (an earlier anonymous one may)
                return next((s for s in fits if s.anonymous), None)
            one = self.named_fit(info) or self.org_fit(info)
            if one is not None:
                return one
            if info.definite and info.kind == "person":
                # bridging: "the activist" right after an unnamed person's statement
                last = self.last_item_src
                if last is not None and last.anonymous and last.kind == "person" and last.number == "sg":
                    return last
        return None

    @staticmethod
    def role_only_words(s: _Src) -> set[str]:
        """Words of a named source's role that are not part of its name: "Trump" in "Trump campaign
        spokeswoman Hope Hicks" describes her, so a later "Trump said" is someone else."""
        if s.name is None or not s.role:
            return set()
        name_words = {w.lower() for w in s.name.split()}
        return {w.lower().strip(",.") for w in s.role.split()} - name_words

    def role_words(self, s: _Src) -> set[str]:
        """The words a named source's role, affiliation and first mention give it, lower-cased."""
        text = " ".join(x for x in (s.role, s.affiliation, self.text[s.mention[0]:s.mention[1]]) if x)
        words = {w.lower() for w in re.findall(r"[\w’'-]+", text)}
        if s.name:
            words |= self.titles_before(s.name)
        return words | {w[:-1] for w in words if w.endswith("s")}

    def titles_before(self, name: str) -> set[str]:
        """Titles the article writes before the name ("President Volodymyr Zelensky praised ..."),
        lower-cased; read from the text once per name."""
        found = self._titles_before.get(name)
        if found is None:
            found = self._titles_before[name] = {
                m.group(1).lower() for m in re.finditer(r"\b([A-Z][\w’'-]*)\s+" + re.escape(name) + r"\b", self.text)
                if m.group(1).lower() in self.cfg.titles}
        return found

    def named_fit(self, info: Description) -> _Src | None:
        """The one named source a definite description ("the council official", "the minister")
        points back to: its head is the named source's role word, or a generic role head whose other
        words the named source's role or affiliation holds.  None when no source or several fit."""
        if info.kind != "person" or info.number != "sg":
            return None
        core = self.core_words(info.root)
        head, mods = (core[-1], set(core[:-1])) if core else (_lemma(info.root), set())
        fits = set()
        for s in self.sources:
            if s.anonymous or s.name is None or s.kind != "person":
                continue
            words = self.role_words(s)
            if (head in words or head in self.cfg.role_heads and mods) and mods <= words:
                fits.add(s.name)
        if len(fits) != 1:
            return None
        name = fits.pop()
        return next(s for s in reversed(self.sources) if s.name == name)

    def org_fit(self, info: Description) -> _Src | None:
        """The one named organization a definite description of a body or its members points back to:
        "the rebels" after "M23 rebels", "the militants" after "Islamic State militants", "the monitor"
        or "the group" when one organization was named.  None when none or several fit."""
        if info.kind not in ("group", "organization"):
            return None
        head = _lemma(info.root).rstrip("s")
        orgs = [s for s in self.sources if not s.anonymous and s.name and s.kind == "organization"]
        fits = {s.name for s in orgs if head in self.org_words(s)}
        if not fits and head in self.cfg.generic_orgs:
            fits = {s.name for s in orgs}
        if not fits and info.number == "pl":
            return self.named_members(info)
        if len(fits) != 1:
            return None
        name = fits.pop()
        return next(s for s in reversed(self.sources) if s.name == name)

    def named_members(self, info: Description) -> _Src | None:
        """"The rebels" after "M23 rebels killed ...": the members of the one group the article named
        with that noun before (a proper name modifying the same head noun)."""
        lemma = _lemma(info.root)
        if self._chunks is None:
            self._chunks = list(self.doc.noun_chunks)
        named: dict[str, tuple[int, int]] = {}
        for chunk in self._chunks:
            r = chunk.root
            if chunk.start >= info.root.i or _lemma(r) != lemma or r.i == info.root.i:
                continue
            mods = [t for t in chunk if t.i < r.i and t.dep_ in ("compound", "nmod") and t.pos_ == "PROPN"]
            if mods:
                i, j = mods[0].i, mods[-1].i + 1
                name = self.doc[i:j].text
                if not is_country_name(name) and name.lower() not in lexicon.demonyms()[0]:
                    named[name] = (i, j)  # "M23 rebels": a group's name, not "DR Congo rebels"
        if len(named) != 1:
            return None
        return self.resolve(*named.popitem()[1])

    def org_words(self, s: _Src) -> set[str]:
        """Words an organization source is described with: its mentions and what the article calls it
        ("M23 rebels", "the Britain-based monitoring group"), lower-cased, plural -s dropped."""
        text = " ".join(self.text[a:b] for a, b in s.mentions)
        words = {w.lower().rstrip("s") for w in re.findall(r"[\w’'-]+", text)}
        words |= {w.rstrip("s") for w in self.appositives.get((s.name or "").lower(), set())}
        return words | {a.rstrip("s") for a in s.aliases}

    def link_reused_roles(self) -> None:
        """"A ministry spokesman said ... spokesman Omar Haddad said": an indefinite description whose
        role word a later named source carries as its title is that named source, when exactly one
        anonymous source and one named source fit each other (shared/gold/GUIDELINES.md)."""
        for a in list(self.sources):
            if not a.anonymous or a.kind != "person" or a.number != "sg" or not a.core:
                continue
            words = self.text[a.mention[0]:a.mention[1]].split()
            in_headline = self.para_of(a.mention[0]) == 0
            if not words or words[0].lower() not in ("a", "an", "one") and not in_headline:
                continue  # (a headline drops articles: "... by Ukrainian president")
            head, mods = a.core[-1], set(a.core[:-1])
            fits = [n for n in self.sources if not n.anonymous and n.kind == "person" and n.name
                    and min(m[0] for m in n.mentions) > a.mention[0] and self.title_fits(n, head, mods)]
            rivals = [x for x in self.sources if x is not a and x.anonymous and x.core[-1:] == (head,)]
            if len({n.name for n in fits}) != 1 or rivals:
                continue
            self.merge(a, fits[0])

    def title_fits(self, n: _Src, head: str, mods: set[str]) -> bool:
        """Does the named source's role or title carry ``head`` without contradicting ``mods``?"""
        words = self.role_words(n)
        if head not in words:
            return False
        title = {w.lower() for w in re.findall(r"[\w’'-]+", n.role or "")} - {head, "a", "an", "the", "of"}
        return not mods or mods <= words or not (title - set((n.name or "").lower().split()))

    def merge(self, a: _Src, n: _Src) -> None:
        """Source ``a`` is ``n``: its mentions and items go to ``n``."""
        for m in a.mentions:
            n.add_mention(*m)
        n.summarized = n.summarized or a.summarized
        for it in self.items:
            if it.src is a:
                it.src = n
        self.sources.remove(a)

    def core_words(self, root: Token) -> tuple[str, ...]:
        doc = self.doc
        words = [t.lemma_.lower() for t in doc[root.left_edge.i:root.i + 1] if not t.is_punct]
        while words and words[0] in DETERMINERS:
            words = words[1:]
        return tuple(words)

    def new_source(self, info: Description, start: int, end: int) -> _Src:
        doc = self.doc
        mention = (start, end)
        name = info.name
        # "Clapper said": find the full name and its appositive earlier in the text
        if name is not None and " " not in name and info.kind == "person":
            for ent in self.ents:
                if (ent.label_ == "PERSON" and ent.text.split()[-1].lower() == name.lower()
                        and len(ent.text.split()) > 1):
                    name = ent.text
                    app = [c for c in ent.root.children if c.dep_ == "appos"]
                    if app:
                        a = app[0]
                        mention = (ent.start_char, doc[a.right_edge.i].idx + len(doc[a.right_edge.i].text))
                        info.role = info.role or doc[a.left_edge.i:a.right_edge.i + 1].text
                    else:
                        mention = (ent.start_char, ent.end_char)
                    break
        # "the employee said": the fullest earlier description ("an employee at an internet café ...")
        if info.name is None and info.definite:
            ante = self.antecedent(info.root, start)
            if ante is not None:
                mention = ante
                words = self.text[ante[0]:ante[1]].split()
                if info.kind == "person" and words and words[0].lower() in DETERMINERS:
                    info.role = " ".join(words[1:])
        src = _Src(
            id=f"S{len(self.sources) + 1}",
            name=name,
            mention=mention,
            head=info.head,
            anonymous=info.anonymous,
            role=info.role,
            affiliation=info.affiliation,
            kind=info.kind,
            number=info.number,
            aliases=set(info.aliases),
            core=self.core_words(info.root),
            gender=info.gender,
        )
        if mention != (start, end):
            src.add_mention(*mention)
        src.add_mention(start, end)
        self.sources.append(src)
        return src

    def antecedent(self, root: Token, before_char: int) -> tuple[int, int] | None:
        """An earlier indefinite noun phrase with the same head lemma as ``root``."""
        doc = self.doc
        lemma = _lemma(root)
        if self._chunks is None:
            self._chunks = list(doc.noun_chunks)
        for chunk in self._chunks:
            if chunk.start_char >= before_char:
                break
            r = chunk.root
            if _lemma(r) != lemma or r.i == root.i:
                continue
            if r.dep_ == "appos" and (r.head.ent_type_ == "PERSON" or r.head.pos_ == "PROPN"):
                continue  # "Omar Fadl, an official of ...": that description is Omar Fadl's
            if chunk[0].lower_ not in ("a", "an", "one"):
                continue
            i, j = chunk.start, r.right_edge.i + 1
            # stop the description at a verb clause that is not a relative clause
            k = i
            while k < j and not (doc[k].pos_ in ("VERB", "AUX") and doc[k].dep_ not in ("relcl", "acl", "amod")
                                 and not self.in_relcl(doc[k], j)):
                if doc[k].is_sent_end:
                    break
                k += 1
            i, j = _trim(doc, i, max(k, r.i + 1))
            if self.in_quote(doc[i].idx):
                continue
            return _chars(doc, i, j)
        return None
