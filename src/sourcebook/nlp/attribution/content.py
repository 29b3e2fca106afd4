"""Indirect content: the clause a reporting verb introduces, trailing and parenthetical reporting
clauses ("X, he said, Y"), and the noun phrases next to a cue that may be its speaker."""

from __future__ import annotations

from spacy.tokens import Token

from .base import ADDRESSEE_VERBS, FINITE_TAGS, REL_PRONOUNS, SUBJ_DEPS, _chars, _lemma, _trim
from .candidates import names_a_question
from .speakers import SpeakerDescription

#: verbs whose object is the one addressed, not what was said ("X, she told reporters")
_ADDRESSEE_VERBS = ADDRESSEE_VERBS | {"ask", "advise", "notify"}
#: words opening a clause that hangs on a parenthetical cue, not on the statement it interrupts
_CUE_ADJUNCT_OPENERS = {"as", "amid", "amidst"}


class ContentRules(SpeakerDescription):

    def indirect_content(self, sent, tok: Token, cue_end: int, frame: str, subj: Token | None):
        answer = self.answer_content(tok, cue_end, frame)
        if answer is not None:
            return answer
        # parenthetical / trailing reporting clause: "X, he said, Y" / "X, Y told a hearing."
        surface = self.surface_reporting(sent, tok, cue_end, subj, frame)
        if surface is not None:
            return surface
        comp = self.complements(tok, frame)
        if frame == "quoted" and not comp:
            return None
        if not comp and frame in ("say", "obj"):
            colon = self.colon_content(sent, cue_end)
            if colon is not None:
                return colon
        if not comp:
            comp = self.misparsed_complements(tok, cue_end, frame)
        if not comp:
            return None
        bounds = self.content_bounds(sent, tok, cue_end, frame, comp)
        return [(_chars(self.doc, *bounds), 0.8)] if bounds is not None else None

    def complements(self, tok: Token, frame: str) -> list[Token]:
        """The clause (or, for verbs that take one, the object) a cue reports, as the parse gives it."""
        comp = [c for c in tok.children if c.dep_ in ("ccomp",) and c.i > tok.i
                and not (c.pos_ in ("NOUN", "PROPN", "PRON", "NUM") and not any(
                    t.pos_ in ("VERB", "AUX") for t in c.subtree))]  # "..., many of them police": no clause
        if not comp and frame in ("say", "evidence", "belief"):
            # "said in a statement that X": the that-clause hung on the statement
            for c in tok.children:
                if c.dep_ == "prep" and c.i > tok.i:
                    for o in c.children:
                        comp += [g for g in o.children if g.dep_ in ("acl", "ccomp", "relcl") and g.i > o.i
                                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)]
        if frame == "evidence":
            comp = [c for c in comp if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
        if frame == "obj" and not comp:
            comp = [c for c in tok.children if c.dep_ in ("dobj", "xcomp", "prep", "ccomp", "oprd") and c.i > tok.i
                    and not (c.dep_ == "prep" and c.lower_ in ("in", "on", "at", "during", "after", "before"))
                    and not (c.dep_ == "dobj" and names_a_question(c))
                    and not (c.dep_ == "xcomp" and _lemma(tok) in self.cfg.attempt_verbs)]  # "sought to take"
        return comp

    def colon_content(self, sent, cue_end: int):
        """Colon lead-in: "Y said: X."."""
        doc = self.doc
        nxt = doc[cue_end] if cue_end < len(doc) else None
        if nxt is not None and nxt.text == ":" and nxt.i + 1 < sent.end:
            i, j = _trim(doc, nxt.i + 1, sent.end)
            if j - i >= 3:
                return [(_chars(doc, i, j), 0.7)]
        return None

    def misparsed_complements(self, tok: Token, cue_end: int, frame: str) -> list[Token]:
        """A reported clause the parser hung elsewhere than on the cue."""
        comp: list[Token] = []
        if frame in ("say", "obj"):
            # told reporters that X (ccomp attached to dobj in some parses); told a crowd that X,
            # parsed as a relative clause of the crowd though "that" is a complementizer there
            for c in tok.children:
                if c.dep_ in ("dobj", "dative"):
                    for g in c.children:
                        if g.dep_ == "ccomp" or g.dep_ in ("relcl", "acl") and g.i > c.i and any(
                                m.dep_ == "mark" and m.lower_ == "that" for m in g.children) and any(
                                x.dep_ in SUBJ_DEPS for x in g.children):
                            comp = [g]
        if not comp and frame == "say" and _lemma(tok) not in ADDRESSEE_VERBS:
            # "said the camp held 40 detainees" parsed as object + participle: the object clause
            for c in tok.children:
                if c.dep_ == "dobj" and c.i > tok.i and c.lower_ not in ("it", "this", "that", "so", "something") \
                        and any(g.dep_ in ("acl", "relcl") and g.i > c.i and g.tag_ in ("VBD", "VBN", "VBZ", "VBP")
                                and any(h.dep_ in ("dobj", "attr", "acomp", "prep") for h in g.children)
                                for g in c.children):
                    comp = [c]
        if not comp and frame == "say":
            # "said legalizing it could put ...": the parser hung the clause on the gerund subject
            comp = [c for c in tok.children if c.dep_ == "xcomp" and c.i == cue_end and c.tag_ == "VBG"
                    and any(g.dep_ == "ccomp" and g.i > c.i and g.tag_ in ("VBD", "VBZ", "VBP", "MD", "VB")
                            for g in c.children)]
        return comp

    def content_bounds(self, sent, tok: Token, cue_end: int, frame: str, comp: list[Token]):
        """The tokens [i, j) of the content the complements ``comp`` span, or None when too short."""
        doc = self.doc
        i = min(t.left_edge.i for t in comp)
        if frame == "say" and _lemma(tok) not in ADDRESSEE_VERBS | {"ask"}:
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubj") and tok.i < c.i < i]
            if objs:
                i = min(i, min(o.left_edge.i for o in objs))
        j = max(t.right_edge.i for t in comp) + 1
        for c in tok.children:
            # "said X, but that Y": a second that-clause the parser hung on the cue is more of the statement
            if c.dep_ == "conj" and c.i >= j and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children) \
                    and comp[0].dep_ == "ccomp":
                j = c.right_edge.i + 1
        j = self.before_another_report(comp, i, min(j, sent.end))
        # "said X and accused Y of Z": a second reporting verb coordinated with the cue (same form,
        # no subject of its own) that the parser hung inside the content
        for c in comp:
            for g in c.children:
                if g.dep_ == "conj" and g.i > c.i and _lemma(g) in self.cfg.frames and self.same_form(g, tok) \
                        and not any(x.dep_ in SUBJ_DEPS for x in g.children):
                    k = g.i
                    while k > i and (doc[k - 1].dep_ == "cc" or doc[k - 1].is_punct):
                        k -= 1
                    j = min(j, k)
                    self.coordinated.append((g, tok))
        if i < tok.i < comp[0].i and comp[0].dep_ == "ccomp":
            i = cue_end  # "which activists say killed 20 people": the relative word stays out
        i = self.skip_time_adjunct(i, j)
        # "that" complementizer
        while i < j and (doc[i].dep_ == "mark" and doc[i].lower_ in ("that", "whether", "if") or doc[i].is_punct):
            i += 1
        i, j = _trim(doc, i, j)
        return (i, j) if j - i >= 2 else None

    @staticmethod
    def same_form(g: Token, tok: Token) -> bool:
        """``g`` has the form of the cue ``tok`` it may be coordinated with: the same tag, or a present
        tense the tagger read as a bare verb ("deny they are talking and say ..." with "say" as VB)."""
        if g.tag_ == tok.tag_:
            return True
        return tok.tag_ in ("VBP", "VBZ") and g.tag_ == "VB" and not any(x.dep_ == "aux" for x in g.children)

    def before_another_report(self, comp, i: int, j: int) -> int:
        """"said X, while nine in 10 said Y": a later while-clause of another speaker's (a finite verb of
        saying with a subject of its own) that the parser hung inside the content ends it."""
        doc = self.doc
        for c in comp:
            for g in c.subtree:
                if not (c.i < g.i < j and g.left_edge.i > c.i) or g.dep_ != "advcl" \
                        or g.tag_ not in FINITE_TAGS or _lemma(g) not in self.cfg.frames:
                    continue
                if not any(x.dep_ in SUBJ_DEPS and x.i < g.i and x.lower_ not in REL_PRONOUNS for x in g.children):
                    continue
                if not any(x.dep_ == "mark" and x.lower_ in ("while", "whereas") for x in g.children):
                    continue
                k = g.left_edge.i
                while k > i and (doc[k - 1].dep_ == "cc" or doc[k - 1].is_punct):
                    k -= 1
                j = min(j, k)
        return j

    def answer_content(self, tok: Token, cue_end: int, frame: str):
        """"46 percent said yes", "61 percent say the same of X": a word standing for a whole answer
        (``lexicon/answer_words.txt``) right after the cue is what was said."""
        if frame != "say" or cue_end >= len(self.doc):
            return None
        for c in tok.children:
            if c.dep_ in ("dobj", "intj", "attr", "oprd", "nsubj") and c.left_edge.i == cue_end \
                    and c.lower_ in self.cfg.answer_words:
                return [(_chars(self.doc, c.left_edge.i, c.right_edge.i + 1), 0.7)]
        return None

    def skip_time_adjunct(self, i: int, j: int) -> int:
        """"said on Tuesday it would ...", "said late on Sunday the road ...": the time belongs to the
        saying, not to what was said, when a subject follows it (the parser often hangs it inside)."""
        doc = self.doc
        k = i
        while k < j:
            t = doc[k]
            if t.ent_type_ in ("DATE", "TIME") or t.lower_ in ("late", "early", "earlier", "later", ",") \
                    or t.dep_ == "prep" and any(c.ent_type_ in ("DATE", "TIME") for c in t.children):
                k += 1
                continue
            break
        if k == i or k >= j or doc[k].dep_ not in ("nsubj", "nsubjpass", "det", "mark", "expl") \
                and doc[k].head.dep_ not in ("nsubj", "nsubjpass"):
            return i
        return k

    def surface_reporting(self, sent, tok: Token, cue_end: int, subj: Token | None, frame: str):
        """Trailing ("X, Y said.", "X, said Y") and parenthetical ("X, he said, Y") reporting clauses."""
        doc = self.doc
        if frame not in ("say", "evidence") or tok.tag_ == "VBG":
            return None
        if tok.dep_ in ("xcomp", "acl", "advcl", "pcomp") and not (
                tok.dep_ == "advcl" and tok.tag_ == "VBD" and subj is None and self.np_left(sent, tok.i) is not None):
            return None  # (an advcl with a noun phrase before it and no subject: "X the Observatory said")
        if tok.dep_ == "relcl" and (subj is None or subj.lower_ in REL_PRONOUNS):
            return None  # "who said ...": a relative clause, not a trailing reporting clause
        if any(c.dep_ == "dobj" for c in tok.children) and _lemma(tok) not in _ADDRESSEE_VERBS:
            return None  # "..., state television showed a meeting": an object, no reporting clause
        inverted = False
        if subj is not None and subj.i < tok.i:
            clause_start = subj.left_edge.i
        else:
            k = self.np_before(sent, tok.i) if subj is None else None
            if k is None and subj is None:
                k = self.np_left(sent, tok.i)
            if k is not None:
                clause_start = k
            else:
                clause_start = tok.i
                inverted = True
        # the clause must follow a comma (or dash) with content before it
        p = clause_start - 1
        while p >= sent.start and doc[p].is_space:
            p -= 1
        if p < sent.start + 1:
            return None
        if doc[p].text not in (",", "—", "–", "--"):
            if doc[p].text in (":", ";") or any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children):
                return None  # "...: Republicans said they are ...": the content follows the cue
            return self.commaless_trailing(sent, tok, cue_end, subj, clause_start, inverted)
        comps_after = [c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i]
        if comps_after and not inverted:
            return None  # "Y said that X": the content follows the cue
        if inverted and any(doc[tok.i + 1].lower_ == "that" for _ in [0] if tok.i + 1 < len(doc)):
            return None
        b_i, b_j = _trim(doc, sent.start, p)
        if b_j - b_i < 1:
            return None
        end = self.reporting_end(sent, cue_end, inverted)
        content_before = _chars(doc, b_i, b_j)
        if end < sent.end and doc[end].text == ",":
            a_i, a_j = _trim(doc, end + 1, sent.end)
            if a_i < a_j and (doc[a_i].tag_ == "VBG" and _lemma(doc[a_i]) in self.cfg.frames
                              or doc[a_i].lower_ == "according"):
                a_j = a_i  # "X, Y said, adding that Z" / "..., according to Z": a cue of its own, not more of X
            elif a_i < a_j and doc[a_i].lower_ in _CUE_ADJUNCT_OPENERS and doc[a_i].pos_ in ("SCONJ", "ADP", "ADV") \
                    and b_j - b_i >= 5 and any(t.tag_ in FINITE_TAGS for t in doc[b_i:b_j]):
                # "X happened, the ombudsman said on Wednesday, as the president weighs ...": after a
                # whole statement, the clause is the article's frame for the cue, not more of X
                a_j = a_i
            if a_j - a_i >= 2:
                if any(doc[end].idx <= m.open <= doc[a_i].idx + 1 for m in self.marks):
                    return None  # 'The commanders, he said, "are trying ...": the quote carries it
                out = []
                if b_j - b_i >= 2 and not self.adjunct(b_i, b_j):
                    out.append((content_before, 0.7))  # not "For decades, he noted, ...": an adjunct
                out.append((_chars(doc, a_i, a_j), 0.7))
                return out
        if self.text[content_before[0]:content_before[1]].count('"') % 2 == 1:
            return None
        if not any(t.tag_ in FINITE_TAGS for t in doc[b_i:b_j]) and doc[b_i].tag_ != "VB":
            return None  # "At Monday's debate, she said", "Entering the final week, she pledged": no
            # statement (an imperative, "Go home, he said", is one)
        return [(content_before, 0.75)]

    def commaless_trailing(self, sent, tok: Token, cue_end: int, subj: Token | None, clause_start: int,
                           inverted: bool):
        """No comma before the reporting clause (some sources strip them): "X the Observatory said."
        when the parse puts the clause before the cue, or the cue closes the sentence."""
        doc = self.doc
        left = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis") and c.i < clause_start]
        tail = [t for t in doc[cue_end:sent.end] if not t.is_punct and not t.is_space]
        closes = len(tail) <= 4 and not any(t.pos_ in ("VERB", "AUX") for t in tail)
        if not left and not (closes and (tok.dep_ in ("ROOT", "conj", "parataxis", "advcl")
                                         or self.reduced_relative(tok, subj)) and clause_start - sent.start >= 4):
            return None
        b_i, b_j = _trim(doc, sent.start, clause_start)
        if b_j - b_i < 3 or inverted and not left:
            return None
        if not any(t.pos_ in ("VERB", "AUX") for t in doc[b_i:b_j]):
            return None
        return [(_chars(doc, b_i, b_j), 0.65)]

    def reporting_end(self, sent, cue_end: int, inverted: bool) -> int:
        """Where a trailing or parenthetical reporting clause ends: after the inverted speaker, or
        after the addressee and adjuncts ("told a congressional hearing at the time")."""
        doc = self.doc
        if inverted:
            return self.inverted_end(sent, cue_end)
        end = cue_end
        while end < sent.end and doc[end].text not in (",", ";", ":", "—", "–") and not doc[end].is_sent_end:
            if self.in_quote(doc[end].idx):
                break
            end += 1
        return end

    def reduced_relative(self, tok: Token, subj: Token | None) -> bool:
        """A cue the parser took for a relative clause without "that" whose subject can speak:
        "... a main supply route a monitoring group said." (commas stripped), not "the things the
        minister said" (a noun for words: ``lexicon/statement_nouns.txt``)."""
        return (tok.dep_ == "relcl" and subj is not None and subj.i < tok.i and subj.lower_ not in REL_PRONOUNS
                and subj.pos_ in ("NOUN", "PROPN") and (subj.pos_ == "PROPN" or self.agentive(subj))
                and _lemma(tok.head) not in self.cfg.statement_nouns)

    def np_before(self, sent, cue_i: int) -> int | None:
        """Start of a noun phrase (with appositives) that ends right before the cue and follows a comma."""
        doc = self.doc
        j = cue_i
        # ", James Clapper, the U.S. director of national intelligence, told"
        best = None
        k = j - 1
        if k >= sent.start and doc[k].text == ",":
            k -= 1
        commas = 0
        while k > sent.start:
            t = doc[k]
            if t.text == ",":
                commas += 1
                if commas > 2:
                    break
                n = k + 1
                while n < cue_i and doc[n].is_quote:
                    n += 1  # '"...," Gene Sperling, a top adviser, said': the comma closes the quotation
                nxt = doc[n]
                if nxt.pos_ in ("PROPN", "DET", "NOUN", "ADJ", "NUM", "PRON") and not self.has_finite_verb(n, cue_i):
                    best = n
                k -= 1
                continue
            if t.pos_ in ("VERB", "AUX") and t.tag_ in FINITE_TAGS and not self.in_relcl(t, cue_i):
                break
            k -= 1
        return best

    def np_left(self, sent, cue_i: int) -> int | None:
        """Start of a noun phrase ending right before the cue, with no comma before it
        ("... 112 people the Syrian Observatory for Human Rights monitoring group said")."""
        doc = self.doc
        k = cue_i - 1
        if k <= sent.start or doc[k].pos_ not in ("NOUN", "PROPN"):
            return None
        start = None
        while k > sent.start:
            t = doc[k]
            if t.pos_ == "DET":
                start = k
                break
            inside_ent = t.ent_type_ != "" and doc[k - 1].ent_type_ == t.ent_type_ and t.ent_iob_ == "I"
            if t.pos_ in ("NOUN", "PROPN", "ADJ", "NUM", "PART") or t.text in ("-", "–") or (
                    t.tag_ in ("VBN", "VBG") and t.dep_ in ("amod", "compound")) or inside_ent:
                start = k
                k -= 1
                continue
            break
        if start is None or start - sent.start < 3:
            return None
        root = None
        for t in doc[start:cue_i]:
            if t.head.i < start or t.head.i >= cue_i:
                root = t
        if root is None or not (root.pos_ == "PROPN" or self.agentive(root)):
            return None
        if root.ent_type_ in ("GPE", "LOC", "DATE", "TIME", "FAC") and not any(
                self.agentive(t) for t in doc[start:cue_i] if t.pos_ in ("NOUN", "PROPN")
                and not t.ent_type_ == "DATE"):
            return None  # "... in Deir Ezzor the Observatory said": a place, not a speaker (unless the
            # tagger took a body for a place: "the Syrian Observatory for Human Rights monitoring group")
        return start

    def adjunct(self, i: int, j: int) -> bool:
        """Tokens [i, j) are an adverbial with no verb ("For decades", "Since then", "Even then"), not a
        statement nor the subject a parenthetical cue interrupts ("Hundreds more, he said, were ...")."""
        doc = self.doc
        return (doc[i].pos_ in ("ADP", "ADV", "SCONJ", "PART") or doc[i].tag_ == "VBG") \
            and not any(t.tag_ in FINITE_TAGS for t in doc[i:j])  # ("Underscoring the danger, ...")

    @staticmethod
    def clause_of_the_cue(t: Token) -> bool:
        """A word opening an adverbial clause or a participle that hangs on the cue, not on the speaker."""
        head = t
        while head.dep_ in ("advmod", "mark", "nsubj", "aux") and head.head != head and head.head.i > head.i:
            head = head.head
        return head.dep_ in ("advcl", "ccomp", "conj") and head.tag_ in ("VBD", "VBN", "VBG", "VBZ", "VBP") \
            and head.head.pos_ in ("VERB", "AUX") and head.head.i < t.i

    def inverted_end(self, sent, i: int) -> int:
        """End of the speaker NP after an inverted cue: up to the sentence end or a new clause."""
        doc = self.doc
        j = i
        while j < sent.end:
            t = doc[j]
            if t.text in (";", ":") or self.in_quote(t.idx) and t.idx > doc[i].idx + 1:
                break
            if t.text == "," and j + 2 < sent.end and doc[j + 1].lower_ in ("he", "she", "they", "we", "i", "it") \
                    and doc[j + 2].pos_ in ("VERB", "AUX"):
                break
            if t.text == "," and j + 1 < sent.end and self.clause_of_the_cue(doc[j + 1]):
                break  # ", when she embarked on ...", ", asked about ...", ", adding ...": the cue's clause
            if t.text == "." and t.is_sent_end:
                break
            j += 1
        return _trim(doc, i, j)[1]
