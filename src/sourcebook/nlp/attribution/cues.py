"""Rule-based candidates: cues and what they introduce (direct quotes before or after the cue, indirect
speech, "according to", headlines, transcripts, colon lead-ins, continuing quotes)."""

from __future__ import annotations

import re

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from ..furniture import is_country_name
from ..quotes import QuoteMarks
from ..sents import sent_of
from .base import (
    _LABEL_RE,
    _PASSIVE_NOT_CUE,
    REL_PRONOUNS,
    SUBJ_DEPS,
    _chars,
    _is_cue,
    _Item,
    _lemma,
    _Src,
    _trim,
    acronym_as_verb,
)
from .candidates import withheld
from .linking import Linking


def _subject_before(verb: Token, i: int) -> Token | None:
    """The first subject of ``verb`` that stands before token ``i``, if any."""
    return next((c for c in verb.children if c.dep_ in SUBJ_DEPS and c.i < i), None)


def passive_agent(verb: Token) -> Token | None:
    """The agent of a passive cue ("was accused by two aides of ...": the aides), if any."""
    if not any(c.dep_ == "auxpass" for c in verb.children):
        return None
    return next((g for c in verb.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"), None)


class CueRules(Linking):

    def sentence(self, sent: SpacySpan) -> None:
        frames = self.cfg.frames
        for tok in sent:
            mark = self.in_quote(tok.idx)
            if mark is not None and not self.mark_is_short(mark):
                continue  # cues inside a direct quote belong to the quoted speaker
            if any(s <= tok.idx < e for s, e in self.anon_ranges):
                continue
            self.outer = None
            if self.is_claimed(tok.idx):
                # nested reporting ("Merrill says Machado said she would ..."): the inner speaker
                # takes what they said; the outer item keeps the rest
                self.outer = self.container(tok.idx)
                if self.outer is None or self.outer.type == "direct" or not _is_cue(tok, frames) \
                        or frames[_lemma(tok)] != "say" or tok.dep_ in ("acl", "advcl", "xcomp") \
                        or tok.dep_ == "relcl" and not self.reported_relative(tok):
                    continue
            phrase = self.phrase_at(tok)
            if phrase == ("according", "to"):
                self.according_to(sent, tok)
                continue
            if phrase in (("put", "it"),):
                self.cue(sent, tok, cue_end=tok.i + 2, frame="say")
                continue
            if phrase in (("call", "for"), ("call", "on")):
                self.cue(sent, tok, cue_end=tok.i + 1, frame="obj")
                continue
            if _is_cue(tok, frames):
                self.cue(sent, tok, cue_end=tok.i + 1, frame=frames[_lemma(tok)])
            while self.coordinated:
                g, main = self.coordinated.pop(0)
                subj = self.subject(main)
                if subj is not None and not self.is_claimed(g.idx):
                    self.forced_subject[g.i] = subj
                    self.outer = None
                    self.cue(sent, g, cue_end=g.i + 1, frame=frames[_lemma(g)])

    def phrase_at(self, tok: Token) -> tuple[str, ...] | None:
        if tok.lower_ not in self.cfg.phrase_first and _lemma(tok) not in self.cfg.phrase_first:
            return None
        doc = self.doc
        for p in self.cfg.phrases:
            n = len(p)
            if tok.i + n <= len(doc):
                words = tuple((_lemma(doc[tok.i + k]) if k == 0 else doc[tok.i + k].lower_) for k in range(n))
                if words == p or tuple(doc[tok.i + k].lower_ for k in range(n)) == p:
                    return p
        return None

    def cue(self, sent: SpacySpan, tok: Token, cue_end: int, frame: str) -> None:
        doc = self.doc
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod", "prep"):
            return  # "the so-called", "the reported attack"; "41 percent, compared with 36": a preposition
        if any(c.dep_ == "auxpass" and not acronym_as_verb(c) for c in tok.children) \
                and _lemma(tok) in _PASSIVE_NOT_CUE \
                and (passive_agent(tok) is None or not self.has_own_content(tok)):
            return  # "is said to": a hedge with no holder; "was told", "was briefed": the addressee
            # (but "was asked by the moderator whether X": the agent's question)
        if withheld(tok):
            return  # "did not say how many", "declined to say whether": nothing was said
        cue_span = _chars(doc, tok.i, cue_end)
        subj = self.subject(tok)
        # (a) a direct quote right after the cue: Y said: "X" / As Y put it, "X"
        q = self.quote_after_cue(sent, cue_end, short_gap_ok=frame in ("obj", "quoted"))
        if q is not None:
            speaker = self.speaker_from(tok, subj, sent, cue_end)
            if speaker is None:
                return
            self.note_channel(tok, speaker)
            tail_end = self.clause_end_after(q, sent)
            if tail_end is not None:
                # said that "Of course he will defend himself" against what ...: mixed
                self.add(q.start, tail_end, "mixed", cue_span, speaker, 0.8)
            else:
                self.add(q.start, q.end, "direct", cue_span, speaker, 0.9)
            self.used_marks.add(q.open)
            return
        # (b) a direct quote right before the cue: "X," Y said / "X" by rebels, said Y
        before = self.quote_before_cue(sent, tok)
        also_own = False
        if before is not None and subj is not None and subj.idx < before.open < tok.idx and subj.i < tok.i:
            # 'Okafor, whose "bitter harvest" speech angered them, said', 'Humphrey, who calls Trump a
            # "sociopath," said he ...': the quotation is in the speaker's description, not what the cue
            # reports; 'X called Y "crazy," and said Z': an earlier clause of the speaker's, which the cue
            # reports when it has no content of its own, and beside its own content when it has
            edge = subj.right_edge
            if not self.text[edge.idx + len(edge.text):before.close_end or before.end].strip(" ,;:—–-\"“”'’"):
                before = None
            elif self.has_own_content(tok):
                also_own = True
        if before is not None:
            speaker = self.speaker_from(tok, subj, sent, cue_end)
            if speaker is None:
                return
            self.note_channel(tok, speaker)
            clause_start = self.clause_before_quote(sent, before)
            if clause_start is not None:
                # 'He had served for years and was "a respected officer," the ministry added': mixed
                self.add(clause_start, before.end, "mixed", cue_span, speaker, 0.85)
            else:
                self.add(before.start, before.end, "direct", cue_span, speaker, 0.9)
            self.used_marks.add(before.open)
            if not also_own:
                return
        # (c) indirect speech
        content = self.indirect_content(sent, tok, cue_end, frame, subj)
        if not content:
            if tok.dep_ == "relcl" and subj is not None and subj.lower_ in ("who", "that") and frame == "say":
                self.summarized_source(tok)
            return
        speaker = self.speaker_from(tok, subj, sent, cue_end)
        if speaker is None:
            return
        self.note_channel(tok, speaker)
        outer = self.outer
        if outer is not None:
            if content[0][0][0] <= tok.idx or speaker is outer.src:
                return  # only "X says [Y said Z]" with another speaker Y, content after the cue
            self.cut_outer(outer, subj.left_edge.idx if subj is not None and subj.head == tok and subj.i < tok.i
                           else tok.idx)
        self.add_indirect(content, cue_span, speaker)

    def summarized_source(self, tok: Token) -> None:
        """"others in the opposition who relayed similar accounts": a source whose statement the
        article only summarizes (a relative clause of saying with no content)."""
        if tok.head.pos_ not in ("NOUN", "PROPN", "PRON"):
            return
        head = tok.head
        while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ in ("NOUN", "PRON"):
            head = head.head.head  # "others in the opposition who ...": PP attachment
        src = self.resolve(head.left_edge.i, tok.right_edge.i + 1)
        if src is not None:
            src.summarized = True

    def cut_outer(self, outer: _Item, cut: int) -> None:
        """Nested reporting ("Merrill says Machado said she would ..."): the outer statement ends
        where the inner speaker begins, or goes when less than three words are left."""
        self.items.remove(outer)
        self.claimed = [(it.start, it.end) for it in self.items]
        o_end = cut
        while o_end > outer.start and (self.text[o_end - 1].isspace() or self.text[o_end - 1] in ",;:—–-"):
            o_end -= 1
        for w in (" and", " but", " while", ", and", " that", " which", ", which"):
            if self.text[outer.start:o_end].endswith(w):
                o_end -= len(w)  # ("bombardments that [rescuers say reduced ...]": the relative word)
        if len(self.text[outer.start:o_end].split()) >= 3:
            outer.end = o_end
            self.items.append(outer)
            self.claimed.append((outer.start, outer.end))

    def add_indirect(self, content, cue_span: tuple[int, int], speaker: _Src) -> None:
        """Add the indirect contents of one cue, typed by the quotation marks inside them."""
        for (s, e), conf in content:
            typ = "indirect"
            for q in self.marks:
                if not (s <= q.open < e) or q.open in self.used_marks:
                    continue
                lead = self.text[s:q.open].rstrip()
                if len(self.text[q.start:q.end].split()) >= 8 and q.open > s + 10 and lead[-1:] in (":", ".", "!", "?"):
                    # said X, one by one: "We sat with them. ...": the quote is a statement of its own
                    self.add(q.start, q.end, "direct", cue_span, speaker, 0.8)
                    self.used_marks.add(q.open)
                    e = q.open
                elif (q.close or q.end) <= e:
                    typ = "mixed"
                    self.used_marks.add(q.open)
                elif q.closed and q.paragraphs == 1 and q.end - e < 600:
                    # 'said the border "may have closed for good. I don't want ..."': the quotation
                    # opened in the clause runs on past the sentence, and the statement with it
                    typ = "mixed"
                    self.used_marks.add(q.open)
                    e = q.end
            self.add(s, e, typ, cue_span, speaker, conf)

    def note_channel(self, tok: Token, speaker: _Src) -> None:
        """"The Pentagon said in a statement ...": later, "the statement added" is the Pentagon."""
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "through", "via"):
                for o in c.children:
                    if o.dep_ == "pobj" and self.cfg.kinds.get(_lemma(o)) == "document":
                        speaker.aliases.add(_lemma(o))

    def subject(self, tok: Token) -> Token | None:
        if tok.i in self.forced_subject:
            return self.forced_subject[tok.i]
        subj = self.parsed_subject(tok)
        if subj is not None and self.in_quote(tok.idx) is None and self.quoted_before(subj, tok):
            # '"We were wrong ...," Ramos, 58, told AFP' parsed as "We were wrong ... and told AFP": a
            # subject inside a quotation that closes before the cue; the speaker is read off the surface
            return None
        return subj

    def parsed_subject(self, tok: Token) -> Token | None:
        agent = passive_agent(tok)
        if agent is not None:
            return agent  # "was asked by moderator X whether ...": the agent speaks, not the subject
        subjects = [c for c in tok.children if c.dep_ in SUBJ_DEPS]
        if not subjects:
            # "IS said its fighters ..." read as "is said": the acronym is the subject
            subjects = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and c.i < tok.i and acronym_as_verb(c)]
        if len(subjects) > 1:
            # "North of Aleppo city the Observatory said" (commas stripped): two subjects; the one
            # next to the verb is the speaker
            before = [c for c in subjects if c.i < tok.i]
            return before[-1] if before else subjects[0]
        if subjects:
            return subjects[0]
        share = self.share_before(tok)
        if share is not None:
            return share
        # "... and said": share the subject of the first conjunct
        if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
            coordinated = any(c.dep_ == "cc" and tok.head.i < c.i < tok.i for c in tok.head.children) or any(
                c.dep_ == "cc" and c.i < tok.i for c in tok.children)
            if not coordinated and self.np_left(sent_of(tok), tok.i) is not None:
                return None  # "X reached 112 people the Observatory said": no "and", a clause of its own
            shared = _subject_before(tok.head, tok.i)
            if shared is not None:
                return shared
        # "cited security sources as saying ...": the object of the citing verb
        if tok.tag_ == "VBG" and tok.head.lower_ == "as" and tok.head.head.pos_ == "VERB":
            for c in tok.head.head.children:
                if c.dep_ in ("dobj",):
                    return c
        # "a statement saying X": the statement; "fired back a response saying X": who sent it, when
        # the noun is no one who speaks
        if tok.tag_ == "VBG" and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            noun = tok.head
            if not self.agentive(noun) and noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
                sender = _subject_before(noun.head, noun.i)
                return sender if sender is not None else noun
            return noun
        # "distinguished himself by saying X", "after saying X": the subject of the verb it modifies
        if tok.tag_ == "VBG" and tok.dep_ == "pcomp" \
                and tok.head.lower_ in ("by", "after", "before", "while", "upon", "on") \
                and tok.head.head.pos_ in ("VERB", "AUX"):
            by_subject = _subject_before(tok.head.head, tok.i)
            if by_subject is not None:
                return by_subject
        # "..., saying X" / "..., calling for X": the subject of the main verb ("appeared ... and
        # endorsed Clinton, saying X": of the first of coordinated verbs)
        if tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj", "acl") and tok.head.pos_ in ("VERB", "AUX"):
            verb = tok.head
            for _ in range(3):
                main = _subject_before(verb, tok.i)
                if main is not None:
                    return main
                # ("ducked, pointing to X and saying Y": through a participle the cue is coordinated with)
                if not (verb.dep_ == "conj" or verb.tag_ == "VBG" and verb.dep_ in ("advcl", "xcomp")) \
                        or verb.head.pos_ not in ("VERB", "AUX"):
                    break
                verb = verb.head
        # "had sought" aux chains, xcomp ("wanted to say")
        if tok.dep_ == "xcomp":
            for c in tok.head.children:
                if c.dep_ in SUBJ_DEPS:
                    return c
        return None

    @staticmethod
    def share_before(tok: Token) -> Token | None:
        """"About 4 in 10 say X", "six out of 10 said": the parser hangs the share on the cue as a number
        with no subject; the share is the speaker (a group of those asked)."""
        for c in tok.children:
            if c.dep_ in ("nummod", "npadvmod") and c.i < tok.i and c.pos_ == "NUM" and c.right_edge.i == tok.i - 1 \
                    and any(g.dep_ == "quantmod" and g.lower_ in ("in", "of") for g in c.children):
                return c
        return None

    @staticmethod
    def reported_relative(tok: Token) -> bool:
        """'bombardments that rescuers say reduced whole streets to rubble': a relative clause whose
        verb is a cue with a subject of its own and a clause for content (the relative word is the
        content's subject)."""
        return any(c.dep_ in SUBJ_DEPS and c.lower_ not in REL_PRONOUNS for c in tok.children) \
            and any(c.dep_ == "ccomp" and c.i > tok.i for c in tok.children)

    def quoted_before(self, t: Token, cue: Token) -> bool:
        """``t`` lies in a quotation that closes before ``cue``."""
        q = self.in_quote(t.idx)
        return q is not None and q.close_end is not None and q.close_end <= cue.idx

    def quote_after_cue(self, sent: SpacySpan, cue_end: int, short_gap_ok: bool = False) -> QuoteMarks | None:
        """A quote that opens right after the cue (allowing ',', ':', 'that', an addressee)."""
        doc = self.doc
        if cue_end >= len(doc):
            return None
        start_char = doc[cue_end - 1].idx + len(doc[cue_end - 1].text)
        sent_end_char = sent.end_char
        for q in self.marks:
            if q.open < start_char or q.open in self.used_marks:
                continue
            if q.open > sent_end_char + 1:
                break
            gap = self.text[start_char:q.open]
            if gap.strip() == ":" and self.para_of(q.open) - self.para_of(start_char) <= 1:
                return q  # He said:\n\n"We have ..." (a block quote after a colon)
            if len(gap) > 200 or self.para_of(start_char) != self.para_of(q.open):
                return None
            g = gap.strip()
            if self.names_a_title(q) and not g.endswith(":"):
                return None  # 'told "Al Arabiya Today."', 'said on "Meet the Press."': a name
            if g in ("", ",", ":", "—", "-", "that", ", that", ",that"):
                return q
            if self.cue_in_gap(start_char, q.open):
                return None  # 'Y said, adding, "X"': the quote is the participle's
            # Y told reporters: "X"  / Y said in a statement: "X"
            if g.endswith(":") and len(g.split()) <= 8:
                return q
            if g.endswith(",") and len(g.split()) <= 5 and not any(ch in g for ch in ".;"):
                return q
            # condemned the "deplorable terrorist attack": a short gap with no punctuation
            if len(g.split()) <= 3 and not any(ch in g for ch in ".;:!?,") and short_gap_ok:
                return q
            return None
        return None

    @staticmethod
    def closes_its_sentence(tok: Token) -> bool:
        """'"... missing." Trump said.': the cue, with at most a short adjunct, ends the sentence."""
        sent = sent_of(tok)
        tail = [t for t in tok.doc[tok.i + 1:sent.end] if not t.is_punct and not t.is_space]
        return len(tail) <= 4 and not any(t.pos_ in ("VERB", "AUX") for t in tail)

    @staticmethod
    def has_own_content(tok: Token) -> bool:
        """The cue has a complement after it ("He said he would ..."), so a quote before it is not its."""
        return any(c.dep_ in ("ccomp", "xcomp") and c.i > tok.i for c in tok.children)

    def second_cue_follows(self, char: int) -> bool:
        """'and'/'but' and a cue verb follow right after ``char``."""
        while char < len(self.text) and self.text[char].isspace():
            char += 1
        k = self.tok_at(char)
        doc = self.doc
        return k is not None and k + 1 < len(doc) and doc[k].dep_ == "cc" \
            and _is_cue(doc[k + 1], self.cfg.frames) and doc[k + 1].pos_ == "VERB"

    def cue_in_gap(self, start: int, end: int) -> bool:
        """A participle cue of its own ("adding", "saying") between ``start`` and ``end``."""
        doc = self.doc
        span = doc.char_span(start, end, alignment_mode="contract")
        return span is not None and any(t.tag_ == "VBG" and _lemma(t) in self.cfg.frames for t in span)

    def clause_end_after(self, q: QuoteMarks, sent) -> int | None:
        """Where the reported clause ends when it runs on past the closing mark, else None."""
        if q.close_end is None:
            return None
        end = max(sent.end_char, q.close_end)
        tail = self.text[q.close_end:end]
        stripped = tail.strip()
        if not stripped or stripped[0] in ",.;:!?—–-)\"“”'’" or len(stripped.split()) < 2:
            return None
        if any(m.open >= q.close_end and m.open < end for m in self.marks):
            return None
        if self.second_cue_follows(q.close_end):
            return None  # 'declared "What a night!" and said that ...': the second verb's statement
        k = end
        while k > q.close_end and (self.text[k - 1].isspace() or self.text[k - 1] in ".!?"):
            k -= 1
        return k

    def quote_before_cue(self, sent: SpacySpan, tok: Token) -> QuoteMarks | None:
        """A quote that closes shortly before the cue in the same sentence."""
        best = None
        cue_char = tok.idx
        for q in self.marks:
            if q.close is None or q.close >= cue_char or q.open in self.used_marks:
                continue
            gap = self.text[q.close_end:cue_char]
            if len(gap) > 160 or self.para_of(q.close) != self.para_of(cue_char):
                continue
            if any(m.open > q.close and m.open < cue_char for m in self.marks):
                continue
            if self.names_a_title(q, title_case=False):
                continue  # 'As a reality TV boss on "The Apprentice," Trump demeaned ...': a name
            # the gap must not end a sentence: '"X." He said he ...' is not an attribution
            if self.ends_a_sentence(gap) and not re.match(r"^\s*[,—–-]", gap):
                continue
            if self.text[q.close - 1:q.close] in ".!?" and not gap.strip()[:1].islower() \
                    and gap.strip()[:1] not in (",", "") \
                    and not gap.strip().lower().startswith(("said", "says", "added", "told")) \
                    and (self.text[q.close - 1] == "." and not self.closes_its_sentence(tok)
                         or self.has_own_content(tok) or len(gap.split()) > 8):
                continue  # '"X." He said he ...' is no attribution; '"Why X?" Clinton asked.' is
            best = q
        return best

    def clause_before_quote(self, sent: SpacySpan, q: QuoteMarks) -> int | None:
        """Where the reported clause begins when a quotation attributed by a cue after it closes a
        clause the sentence started before it ('Clinton would have to "go more to center," he said'),
        or None when the quotation is the statement by itself: nothing but a dateline or a connective
        before it, another quotation or an earlier attribution in the way, or a lead-in ending in a colon."""
        start = sent.start_char
        for it in self.items:
            if it.start < q.open and it.end > start:
                start = max(start, it.end)
        lead = self.text[start:q.open]
        ends = list(re.finditer(r"[.!?][\"”’']?\s+", lead))  # a sentence boundary the parser missed
        if ends:
            start += ends[-1].end()
        while start < q.open and (self.text[start].isspace() or self.text[start] in ",;—–-"):
            start += 1
        start = self.content_start(start, q.end)
        lead = self.text[start:q.open].rstrip()
        if len(lead.split()) < 2 or lead[-1:] in (":", ".", "!", "?", ";") \
                or any(start <= m.open < q.open for m in self.marks) or self.is_claimed(start):
            return None
        return start

    def according_to(self, sent, tok: Token) -> None:
        doc = self.doc
        to = doc[tok.i + 1]
        objs = [c for c in to.children if c.dep_ == "pobj"]
        if objs:
            o = objs[0]
            s_i, s_j = o.left_edge.i, o.right_edge.i + 1
        else:
            s_i = tok.i + 2
            s_j = s_i
            while s_j < sent.end and doc[s_j].text not in (",", ".", ";", ":"):
                s_j += 1
        s_i, s_j = _trim(doc, s_i, min(s_j, sent.end))
        if s_j <= s_i:
            return
        src = self.resolve(s_i, s_j)
        if src is None:
            return
        cue_span = _chars(doc, tok.i, tok.i + 2)
        # content: the sentence without the "according to X" phrase
        before = _trim(doc, sent.start, tok.i)
        after = _trim(doc, s_j, sent.end)
        parts = [r for r in (before, after) if r[1] - r[0] >= 3]
        if not parts:
            return
        # "According to X, Y" -> after; "Y, according to X" -> before; in the middle -> the larger,
        # unless what follows opens a clause of its own ("Y, according to X, and many nations ...")
        if len(parts) == 2:
            gap = doc[s_j:parts[1][0] + 1]  # (the trimmed part starts after a leading "and")
            parts = [parts[0]] if any(t.lower_ in ("and", "but", "while", "whereas") for t in gap) \
                else [max(parts, key=lambda r: r[1] - r[0])]
        i, j = parts[0]
        s, e = _chars(doc, i, j)
        if any(s <= it.start and it.end <= e and it.cue is not None and s <= it.cue[0] < e
               and self.reports_the_sentence(it.cue[0], sent) for it in self.items):
            return  # "X said Y, according to the statement": the attribution it reports stands
        typ = "indirect"
        for q in self.marks:
            if s <= q.open and (q.close or q.end) <= e:
                typ = "direct" if (q.start - s) <= 2 and (e - q.end) <= 2 else "mixed"
                self.used_marks.add(q.open)
                if typ == "direct":
                    s, e = q.start, q.end
        self.add(s, e, typ, cue_span, src, 0.8)

    def reports_the_sentence(self, cue_char: int, sent) -> bool:
        """The cue at ``cue_char`` is the main verb of ``sent`` or reports its main clause ("X, Y said")."""
        k = self.tok_at(cue_char)
        if k is None:
            return False
        tok = self.doc[k]
        return tok.dep_ == "ROOT" or tok.dep_ == "parataxis" and tok.head.dep_ == "ROOT"

    def speaker_labels(self) -> None:
        doc, text = self.doc, self.text
        found = []
        for p_start in self.para_starts:
            m = _LABEL_RE.match(text, p_start)
            if not m or self.is_claimed(m.start(2)):
                continue
            label = m.group(1)
            span = doc.char_span(m.start(1), m.end(1), alignment_mode="contract")
            if span is None or not len(span):
                continue
            caps = label.upper() == label and any(ch.isalpha() for ch in label)
            if any(e.label_ in ("GPE", "LOC", "DATE", "TIME") and e.start < span.end and span.start < e.end
                   for e in self.ents):
                continue
            if caps:
                found.append((m, span))
        if len(found) < 2:
            return  # one capitalised label alone is a heading, not a transcript
        for m, span in found:
            end = self.para_end(m.start(2))
            if self.text[m.start(2):end].rstrip().endswith("?"):
                continue  # the interviewer's question: asked, not asserted
            src = self.resolve(span.start, span.end)
            if src is not None and end > m.start(2):
                self.add(m.start(2), end, "direct", (m.end(1), m.end(1) + 1), src, 0.7)
                for q in self.marks:
                    if m.start(2) <= q.open < end:
                        self.used_marks.add(q.open)

    def headline(self) -> None:
        """A headline (the first sentence) that names its source around a colon."""
        if not self.sents:
            return
        sent = self.sents[0]
        if len(sent) > 40:
            return
        colons = [t for t in sent if t.text == ":"]
        if not colons:
            self.title_case_headline(sent)
        if len(colons) != 1 or self.is_claimed(colons[0].idx) or self.in_quote(colons[0].idx):
            return
        c = colons[0]
        doc = self.doc
        before = _trim(doc, sent.start, c.i)
        after = _trim(doc, c.i + 1, sent.end)
        cue = (c.idx, c.idx + 1)

        def speakerlike(i: int, j: int) -> bool:
            toks = [t for t in doc[i:j] if not t.is_punct]
            if not 1 <= len(toks) <= 4:
                return False
            root = toks[-1]
            return root.pos_ == "PROPN" or root.ent_type_ in ("PERSON", "ORG", "NORP") or (
                root.pos_ == "NOUN" and self.agentive(root))

        if self.topic_label(*before):
            return  # "Yemen: 40 detainees freed", "SUDAN: ...": a place heading the story, not a speaker
        if speakerlike(*before) and after[1] - after[0] >= 3:
            src = self.resolve(*before)
            if src is not None:
                self.add(*_chars(doc, *after), "indirect", cue, src, 0.6)
        elif speakerlike(*after) and before[1] - before[0] >= 3:
            src = self.resolve(*after)
            if src is not None:
                self.add(*_chars(doc, *before), "indirect", cue, src, 0.6)

    def title_case_headline(self, sent) -> None:
        """'Mayor Ortiz Says Port Will Stay Open': a headline in Title Case whose first words name, before
        'Says' or 'Said', a source the article names (the tagger reads such lines poorly: 'Trump' as a
        noun, 'Trump Says He Never' as one name)."""
        doc = self.doc
        end = sent.end
        while end > sent.start and "\n" in doc[end - 1].text + doc[end - 1].whitespace_:
            end -= 1  # the headline is one line
        end = next((t.i for t in doc[sent.start:end] if "\n" in t.text or "\n" in t.whitespace_), end - 1) + 1
        words = [t for t in doc[sent.start:end] if t.is_alpha]
        if len(words) < 5 or any(t.text[:1].islower() and t.lower_ not in self.cfg.title_small_words for t in words):
            return
        cue = next((t for t in doc[sent.start + 1:min(end, sent.start + 5)] if t.lower_ in ("says", "said")), None)
        if cue is None or self.is_claimed(cue.idx) or self.in_quote(cue.idx):
            return
        i, j = _trim(doc, sent.start, cue.i)
        ci, cj = _trim(doc, cue.i + 1, end)
        if j <= i or cj - ci < 3 or not all(t.is_title or t.is_punct for t in doc[i:j]):
            return
        name = doc[i:j].text.lower()
        src = next((s for s in reversed(self.sources) if not s.anonymous and s.name
                    and (s.name.lower() == name or s.head.lower() == doc[j - 1].lower_)), None)
        if src is not None:
            src.add_mention(*_chars(doc, i, j))
            self.add(*_chars(doc, ci, cj), "indirect", _chars(doc, cue.i, cue.i + 1), src, 0.6)

    def topic_label(self, i: int, j: int) -> bool:
        """Is the text before a headline colon the name of a place (a topic label)?"""
        toks = [t for t in self.doc[i:j] if not t.is_punct]
        if toks and all(t.ent_type_ in ("GPE", "LOC") for t in toks):
            return True
        return is_country_name(self.doc[i:j].text)

    def colon_lead_in(self, q: QuoteMarks) -> bool:
        """'Halvard made his case in blunt terms: "..."': a quote introduced by a colon with no
        reporting word belongs to the subject of the sentence that ends in the colon (cue ':')."""
        k = q.open - 1
        while k >= 0 and self.text[k].isspace():
            k -= 1
        if k < 0 or self.text[k] != ":" or self.para_of(q.open) - self.para_of(k) > 1:
            return False
        colon = self.tok_at(k)
        if colon is None:
            return False
        root = sent_of(self.doc[colon]).root
        subj = next((c for c in root.children if c.dep_ in SUBJ_DEPS), None)
        if subj is None or subj.lower_ in ("it", "there", "this", "that", "what"):
            return False
        if subj.pos_ == "PRON" and subj.lower_ not in self.cfg.pronouns:
            return False
        src = self.resolve(subj.i, subj.i + 1) if subj.pos_ == "PRON" else \
            self.resolve(subj.left_edge.i, subj.right_edge.i + 1)
        if src is None:
            return False
        self.add(q.start, q.end, "direct", (k, k + 1), src, 0.7)
        self.used_marks.add(q.open)
        return True

    def about_the_speaker(self, start: int, end: int, src: _Src | None) -> bool:
        """The sentences between ``start`` and ``end`` (at most two) all tell of the speaker: their
        subject is the speaker's surname or a he/she that fits ('"X," said Sara Walker, a care aide.
        An immigrant from Uganda, she plans to vote for the first time. "Y"')."""
        sents = [x for x in self.sents if start <= x.start_char < end and x.text.strip(" \n\"“”")]
        if src is None or not sents or len(sents) > 2 or src.kind != "person" or src.number != "sg":
            return False
        for x in sents:
            if self.in_quote(x.start_char) is not None:
                return False
            subj = next((c for c in x.root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                return False
            if subj.lower_ in ("he", "she"):
                if src.gender not in ("-", self.cfg.pronouns[subj.lower_][1]):
                    return False
                continue
            if not (src.name and subj.pos_ == "PROPN" and subj.text == src.head):
                return False
        return True

    def after_cue_sentence(self, item: _Item, limit: int) -> int:
        """Where the text after ``item`` stops belonging to the sentence of its cue (not beyond ``limit``)."""
        at = max(item.end, item.cue[1]) if item.cue is not None else item.end
        for sent in self.sents:
            if sent.start_char <= at < sent.end_char:
                return max(item.end, min(sent.end_char, limit))
        return item.end

    def continuity(self) -> None:
        """Direct quotes with no cue of their own continue the previous speaker's statement."""
        items = sorted(self.items, key=lambda it: it.start)
        attributed = {(it.start, it.end) for it in items}
        for q in self.marks:
            if q.open in self.used_marks or (q.start, q.end) in attributed:
                continue
            content = self.text[q.start:q.end]
            words = len(content.split())
            sentence_like = content[:1].isupper() and content.rstrip()[-1:] in ".!?,"
            if words <= 4 and not sentence_like or self.names_a_title(q, article=True):
                continue  # scare quotes and titles; "They had a list." is a sentence and goes on
            if self.colon_lead_in(q):
                continue
            prev = [it for it in self.items if it.end <= q.open and it.src is not None]
            if not prev:
                continue
            last = max(prev, key=lambda it: it.end)
            if self.para_of(q.open) - self.para_of(last.end) > 1:
                continue
            # only when nothing but the quote itself stands between (no new unattributed sentence);
            # the rest of the cue's own sentence is the speaker's description ('," said Rep. G.K.
            # Butterfield (D-N.C.), head of ...'), whose abbreviations are no sentence of their own: the
            # gap starts after that sentence, with a "." for its end
            gap_start = self.after_cue_sentence(last, q.open)
            gap = ("." if gap_start > last.end else "") + self.text[gap_start:q.open]
            if self.para_of(q.open) != self.para_of(last.end):
                para_start = self.para_starts[self.para_of(q.open)]
                if self.text[para_start:q.open].strip():
                    continue
            elif re.search(r"[.!?]\s+[A-Z][^\"“”]{20,}[.!?]", gap) \
                    and not self.about_the_speaker(gap_start, q.open, last.src):
                continue
            self.items.append(_Item(q.start, q.end, "direct", last.cue, last.src, 0.6))
            self.used_marks.add(q.open)
            self.pronoun_before_quote(q.open, last.src)

    def pronoun_before_quote(self, char: int, src: _Src | None) -> None:
        """'She called the bomb "a gift ..."': the pronoun subject of the quotation's own sentence,
        pointing back to the speaker the quotation continues, is a mention of that speaker."""
        k = self.tok_at(char)
        if k is None or src is None:
            return
        sent = self.doc[k].sent
        for t in self.doc[sent.start:k]:
            if t.dep_ in ("nsubj", "nsubjpass") and t.lower_ in self.cfg.pronouns and t.head.i < k \
                    and t.head.dep_ == "ROOT" and self.pronoun(t) is src:
                src.add_mention(t.idx, t.idx + len(t))
                return
