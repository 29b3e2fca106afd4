"""Attribution: who said what.

Component ``sourcebook_attribution_v1`` reads the quotation marks found by ``sourcebook_quotes_v1``
and the spaCy parse, and writes ``doc._.sb_quotes`` (``record.Quote``) and ``doc._.sb_sources``
(``record.Source``).  It handles:

- direct quotes with a cue after them (``"X," he said`` / ``"X," said Y, a ...``), before them
  (``Y said: "X"``, ``As Y put it, "X"``), and continuing quotes with no cue of their own;
- indirect speech from reporting clauses (a clause complement of a cue verb from
  ``lexicon/cue_verbs.tsv``), trailing reporting clauses (``X, Y told a hearing``), parenthetical
  cues (``Hundreds more, he said, were stuck``, two items), ``according to Y``, colon lead-ins,
  and mixed quotes (reported speech containing quoted words);
- speakers as full noun phrases split into name, role and affiliation, merged across later
  mentions (surname, definite description, pronoun);
- statements the article makes without attribution are not quotes.

Anonymity reasons are added by ``sourcebook_anonymity_v1`` (``anonymity.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span as SpacySpan, Token

from .. import lexicon
from . import registry
from ..record import REPORTER, Quote, Source, Span
from .quotes import QuoteMarks
from .segment import paragraphs

NAME = "sourcebook_attribution_v1"

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
REL_PRONOUNS = {"who", "which", "that", "whom"}
NAME_PARTICLES = {"abu", "abou", "umm", "um", "al", "el", "bin", "ibn", "ben"}
DETERMINERS = {"a", "an", "the", "one", "some", "another", "this", "that", "these", "those", "two", "three",
               "several", "many", "other"}
# passives where the subject is not the speaker: "is said to" (a hedge with no holder), "was told"
_PASSIVE_NOT_CUE = {"say", "tell", "brief", "inform", "ask", "assure", "remind", "warn", "order", "urge"}
_NOT_CONTENT_START = {"without", "after", "before", "during", "while", "when", "through", "via", "citing", "adding",
                      "saying"}
_ROLE_STOP = {"a", "an", "the", "in", "of", "at", "for", "from", "with", "who", "which", "that", "on", "by", "and"}
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "men", "woman", "person", "ee", "ese", "ite", "crat")
_ACRONYM_RE = re.compile(
    r"(?P<full>[A-Z][\w’'.-]*(?:\s+(?:(?:of|the|for|and|on|in|de|al|du)\s+)*[A-Z][\w’'.-]*)+)\s*\((?P<abbr>[A-Z][A-Za-z]{1,9})\)")
_LABEL_RE = re.compile(r"[ \t]*([A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}):[ \t]+(?=\S)(.)")
_TITLE_RE = re.compile(r"^(?:mr|mrs|ms|dr|prof|gen|col|lt|maj|capt|sgt|sen|rep|gov|pres)\.?$", re.I)


def _cue_frames() -> dict[str, str]:
    return {row[0].lower(): (row[1] if len(row) > 1 else "say") for row in lexicon.table("cue_verbs")}


def _pronouns() -> dict[str, tuple[str, str]]:
    return {row[0].lower(): (row[1], row[2]) for row in lexicon.table("pronouns")}


def _kinds() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in lexicon.table("source_kinds")}


def _nickname_res() -> list[re.Pattern]:
    return [re.compile(p) for p in lexicon.phrases("nickname_phrases")]


# ----------------------------------------------------------------------------- working state


@dataclass
class _Src:
    id: str
    name: str | None
    mention: tuple[int, int]
    head: str
    anonymous: bool
    role: str | None
    affiliation: str | None
    kind: str
    number: str  # sg | pl
    gender: str = "-"
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    last: int = 0  # char offset of the latest mention
    core: tuple[str, ...] = ()  # the words of the description up to its head, lower-cased
    summarized: bool = False  # cited for a statement the article only summarizes (no quote item)

    def add_mention(self, start: int, end: int) -> None:
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))
        self.last = max(self.last, start)


@dataclass
class _Item:
    start: int
    end: int
    type: str
    cue: tuple[int, int] | None
    src: _Src | None
    confidence: float


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def _is_cue(tok: Token, frames: dict[str, str]) -> bool:
    return tok.pos_ in ("VERB", "AUX") and _lemma(tok) in frames or (
        tok.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB") and _lemma(tok) in frames
    )


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Token range [i, j) without leading/trailing punctuation, conjunctions and quote marks."""
    while i < j and (doc[i].is_punct or doc[i].is_space or doc[i].lower_ in ("and", "but", "that", "while")):
        i += 1
    while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space) and doc[j - 1].text not in (")", "]"):
        j -= 1
    return i, j


def _chars(doc: Doc, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


# ----------------------------------------------------------------------------- the component


@registry.component(NAME, outputs=("sb_sources", "sb_quotes"))
def make_attribution(nlp: Language, name: str):
    return Attributor()


class Attributor:
    def __init__(self) -> None:
        self.frames = _cue_frames()
        self.pronouns = _pronouns()
        self.kinds = _kinds()
        self.nicknames = _nickname_res()
        self.phrases = [tuple(p.lower().split()) for p in lexicon.phrases("cue_phrases")]
        self.phrase_first = {p[0] for p in self.phrases}
        self.anonymity = [re.compile(p, re.I) for p in lexicon.phrases("anonymity_phrases")]
        self.people = lexicon.words("people_nouns") | lexicon.words("speaker_nouns")
        self.statement_nouns = lexicon.words("statement_nouns")
        self.generic_orgs = lexicon.words("generic_org_nouns")
        self.gender_words = {row[0].lower(): row[1] for row in lexicon.table("gender_words")}

    def __call__(self, doc: Doc) -> Doc:  # a failure is handled by the guard (registry.py)
        run = _Run(self, doc)
        run.run()
        doc._.sb_sources, doc._.sb_quotes = run.output()
        return doc


class _Run:
    """One pass of attribution over one Doc."""

    def __init__(self, cfg: Attributor, doc: Doc) -> None:
        self.cfg = cfg
        self.doc = doc
        self.text = doc.text
        self.sources: list[_Src] = []
        self.items: list[_Item] = []
        self.marks: list[QuoteMarks] = list(doc._.sb_quote_marks or [])
        self.used_marks: set[int] = set()
        self.claimed: list[tuple[int, int]] = []  # char ranges already part of some content
        self.last_item_src: _Src | None = None
        self.outer: _Item | None = None  # the item a nested cue sits in, while it is processed
        self.coordinated: list = []  # (cue token, the cue it shares a subject with)
        self.forced_subject: dict[int, Token] = {}
        self.para_starts = [s for s, _e in paragraphs(self.text)] or [0]
        # token index of each char (start of token)
        self.sents = list(doc.sents)
        self.ents = tuple(doc.ents)  # doc.ents rebuilds its list on every access: read it once
        self._chunks = None
        self.acronyms = self.find_acronyms()
        self.appositives = self.find_appositives()
        # "who asked not to be named": a cue word inside an anonymity explanation is no cue
        self.anon_ranges = [(m.start(), m.end()) for rx in cfg.anonymity for m in rx.finditer(self.text)]

    # ------------------------------------------------------------------ helpers
    def find_acronyms(self) -> dict[str, str]:
        """Short forms the article defines or implies: "Ministry of Defence (MoD)", ICRC for the
        International Committee of the Red Cross (initials of an organization named in the text)."""
        table: dict[str, str] = {}
        for m in _ACRONYM_RE.finditer(self.text):
            full = re.sub(r"^(?:The|the)\s+", "", m.group("full").strip())
            table.setdefault(m.group("abbr").lower(), full)
        for ent in self.ents:
            if ent.label_ not in ("ORG", "NORP", "GPE", "FAC"):
                continue
            words = [w for w in re.split(r"[\s-]+", ent.text) if w]
            if words and words[0].lower() == "the":
                words = words[1:]
            caps = [w[0] for w in words if w[:1].isupper()]
            if len(caps) >= 2:
                table.setdefault("".join(caps).lower(), " ".join(words))
        return table

    def find_appositives(self) -> dict[str, set[str]]:
        """What the article calls each organization: "the Syrian Observatory for Human Rights, a
        Britain-based monitoring group" -> {"group", "monitoring", ...}, so that "the monitoring
        group" later refers back to it."""
        out: dict[str, set[str]] = {}
        doc = self.doc
        for ent in self.ents:
            if ent.label_ not in ("ORG", "NORP", "FAC") or ent.end + 2 >= len(doc):
                continue
            if doc[ent.end].text != "," or doc[ent.end + 1].lower_ not in ("a", "an", "the"):
                continue
            k = ent.end + 1
            words = set()
            while k < len(doc) and doc[k].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "VERB", "PUNCT") and doc[k].text not in (",", ".", ";"):
                if doc[k].pos_ in ("NOUN", "ADJ"):
                    words.add(_lemma(doc[k]))
                k += 1
            name = re.sub(r"^(?:the|The)\s+", "", ent.text).lower()
            out.setdefault(name, set()).update(words)
        return out

    def expand(self, name: str) -> str:
        """The full name for a short form the article defines ("MoD" -> "Ministry of Defence")."""
        key = name.strip().lower()
        if len(key) <= 10 and name.strip().replace(".", "")[:1].isupper() and " " not in key:
            return self.acronyms.get(key.replace(".", ""), name)
        return name

    def tok_at(self, char: int) -> int | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None and len(span) else None

    def para_of(self, char: int) -> int:
        lo, hi = 0, len(self.para_starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.para_starts[mid] <= char:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def in_quote(self, char: int) -> QuoteMarks | None:
        for q in self.marks:
            if q.open <= char < (q.close if q.close is not None else q.end):
                return q
        return None

    def is_claimed(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.claimed)

    # ------------------------------------------------------------------ main
    def run(self) -> None:
        # 1. cues, in text order; each may attribute a direct quote or open an indirect one
        for sent in self.sents:
            self.sentence(sent)
        # 2. transcripts: "WALLACE: ...", "PENCE: ..."; headlines: "Assad: Syria still ...", "...: monitor"
        self.speaker_labels()
        self.headline()
        # 3. direct quotes still without a speaker: continuity with the previous speaker
        self.continuity()

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

        if speakerlike(*before) and after[1] - after[0] >= 3:
            src = self.resolve(*before)
            if src is not None:
                self.add(*_chars(doc, *after), "indirect", cue, src, 0.6)
        elif speakerlike(*after) and before[1] - before[0] >= 3:
            src = self.resolve(*after)
            if src is not None:
                self.add(*_chars(doc, *before), "indirect", cue, src, 0.6)

    def para_end(self, char: int) -> int:
        k = self.para_of(char)
        nxt = self.para_starts[k + 1] if k + 1 < len(self.para_starts) else len(self.text)
        end = nxt
        while end > char and self.text[end - 1].isspace():
            end -= 1
        return end

    def sentence(self, sent: SpacySpan) -> None:
        frames = self.cfg.frames
        for tok in sent:
            if self.in_quote(tok.idx) is not None and not self.mark_is_short(self.in_quote(tok.idx)):
                continue  # cues inside a direct quote belong to the quoted speaker
            if any(s <= tok.idx < e for s, e in self.anon_ranges):
                continue
            self.outer = None
            if self.is_claimed(tok.idx):
                # nested reporting ("Merrill says Machado said she would ..."): the inner speaker
                # takes what they said; the outer item keeps the rest
                self.outer = self.container(tok.idx)
                if self.outer is None or self.outer.type == "direct" or not _is_cue(tok, frames) \
                        or frames[_lemma(tok)] != "say" or tok.dep_ in ("relcl", "acl", "advcl", "xcomp"):
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

    def container(self, char: int) -> "_Item | None":
        for it in self.items:
            if it.start <= char < it.end:
                return it
        return None

    def mark_is_short(self, q: QuoteMarks) -> bool:
        return len(self.text[q.start:q.end].split()) <= 4

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

    # ------------------------------------------------------------------ cues
    def cue(self, sent: SpacySpan, tok: Token, cue_end: int, frame: str) -> None:
        doc = self.doc
        if tok.dep_ in ("amod", "compound") or tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod"):
            return  # "the so-called", "the reported attack"
        if any(c.dep_ == "auxpass" for c in tok.children) and _lemma(tok) in _PASSIVE_NOT_CUE:
            return  # "is said to": a hedge with no holder; "was told", "was briefed": the addressee
        cue_span = _chars(doc, tok.i, cue_end)
        subj = self.subject(tok)
        # (a) a direct quote right after the cue: Y said: "X" / As Y put it, "X"
        q = self.quote_after_cue(sent, cue_end, short_gap_ok=frame in ("obj", "quoted"))
        if q is not None:
            speaker = self.speaker_from(tok, subj, sent, cue_end)
            if speaker is None:
                return
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
        if before is not None:
            speaker = self.speaker_from(tok, subj, sent, cue_end)
            if speaker is None:
                return
            self.add(before.start, before.end, "direct", cue_span, speaker, 0.9)
            self.used_marks.add(before.open)
            return
        # (c) indirect speech
        content = self.indirect_content(sent, tok, cue_end, frame, subj)
        if not content:
            # "others in the opposition who relayed similar accounts": a source whose statement the
            # article only summarizes
            if tok.dep_ == "relcl" and subj is not None and subj.lower_ in ("who", "that") \
                    and tok.head.pos_ in ("NOUN", "PROPN", "PRON") and frame == "say":
                head = tok.head
                while head.dep_ == "pobj" and head.head.dep_ == "prep" and head.head.head.pos_ in ("NOUN", "PRON"):
                    head = head.head.head  # "others in the opposition who ...": PP attachment
                src = self.resolve(head.left_edge.i, tok.right_edge.i + 1)
                if src is not None:
                    src.summarized = True
            return
        speaker = self.speaker_from(tok, subj, sent, cue_end)
        if speaker is None:
            return
        outer = self.outer
        if outer is not None:
            if content[0][0][0] <= tok.idx or speaker is outer.src:
                return  # only "X says [Y said Z]" with another speaker Y, content after the cue
            cut = subj.left_edge.idx if subj is not None and subj.head is tok and subj.i < tok.i else tok.idx
            self.items.remove(outer)
            self.claimed = [(it.start, it.end) for it in self.items]
            o_end = cut
            while o_end > outer.start and (self.text[o_end - 1].isspace() or self.text[o_end - 1] in ",;:—–-"):
                o_end -= 1
            for w in (" and", " but", " while", ", and"):
                if self.text[outer.start:o_end].endswith(w):
                    o_end -= len(w)
            if len(self.text[outer.start:o_end].split()) >= 3:
                outer.end = o_end
                self.items.append(outer)
                self.claimed.append((outer.start, outer.end))
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
            self.add(s, e, typ, cue_span, speaker, conf)

    def subject(self, tok: Token) -> Token | None:
        if tok.i in self.forced_subject:
            return self.forced_subject[tok.i]
        subjects = [c for c in tok.children if c.dep_ in SUBJ_DEPS]
        if len(subjects) > 1:
            # "North of Aleppo city the Observatory said" (commas stripped): two subjects; the one
            # next to the verb is the speaker
            before = [c for c in subjects if c.i < tok.i]
            return before[-1] if before else subjects[0]
        if subjects:
            return subjects[0]
        # "... and said": share the subject of the first conjunct
        if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX"):
            coordinated = any(c.dep_ == "cc" and tok.head.i < c.i < tok.i for c in tok.head.children) or any(
                c.dep_ == "cc" and c.i < tok.i for c in tok.children)
            if not coordinated and self.np_left(tok.sent, tok.i) is not None:
                return None  # "X reached 112 people the Observatory said": no "and", a clause of its own
            for c in tok.head.children:
                if c.dep_ in SUBJ_DEPS and c.i < tok.i:
                    return c
        # "cited security sources as saying ...": the object of the citing verb
        if tok.tag_ == "VBG" and tok.head.lower_ == "as" and tok.head.head.pos_ == "VERB":
            for c in tok.head.head.children:
                if c.dep_ in ("dobj",):
                    return c
        # "a statement saying X": the statement
        if tok.tag_ == "VBG" and tok.dep_ == "acl" and tok.head.pos_ in ("NOUN", "PROPN"):
            return tok.head
        # "..., saying X" / "..., calling for X": the subject of the main verb
        if tok.tag_ == "VBG" and tok.dep_ in ("advcl", "xcomp", "conj", "acl") and tok.head.pos_ in ("VERB", "AUX"):
            for c in tok.head.children:
                if c.dep_ in SUBJ_DEPS and c.i < tok.i:
                    return c
        # "had sought" aux chains, xcomp ("wanted to say")
        if tok.dep_ == "xcomp":
            for c in tok.head.children:
                if c.dep_ in SUBJ_DEPS:
                    return c
        return None

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
            if g in ("", ",", ":", "—", "-", "that", ", that", ",that"):
                return q
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
            # the gap must not end a sentence: '"X." He said he ...' is not an attribution
            if re.search(r"[.!?]\s+[A-Z]", gap) and not re.match(r"^\s*[,—–-]", gap):
                continue
            if self.text[q.close - 1:q.close] in ".!?" and not gap.strip()[:1].islower() and gap.strip()[:1] not in (",", "") \
                    and not gap.strip().lower().startswith(("said", "says", "added", "told")):
                continue
            best = q
        return best

    # ------------------------------------------------------------------ indirect content
    def indirect_content(self, sent, tok: Token, cue_end: int, frame: str, subj: Token | None):
        doc = self.doc
        out = []
        # parenthetical / trailing reporting clause: "X, he said, Y" / "X, Y told a hearing."
        surface = self.surface_reporting(sent, tok, cue_end, subj, frame)
        if surface is not None:
            return surface
        comp = [c for c in tok.children if c.dep_ in ("ccomp",) and c.i > tok.i]
        if not comp and frame in ("say", "evidence", "belief"):
            # "said in a statement that X": the that-clause hung on the statement
            for c in tok.children:
                if c.dep_ == "prep" and c.i > tok.i:
                    for o in c.children:
                        comp += [g for g in o.children if g.dep_ in ("acl", "ccomp", "relcl") and g.i > o.i
                                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)]
        if frame == "evidence":
            comp = [c for c in comp if any(g.dep_ == "mark" and g.lower_ == "that" for g in c.children)]
        if frame == "quoted" and not comp:
            return None
        if frame == "obj" and not comp:
            comp = [c for c in tok.children if c.dep_ in ("dobj", "xcomp", "prep", "ccomp", "oprd") and c.i > tok.i
                    and not (c.dep_ == "prep" and c.lower_ in ("in", "on", "at", "during", "after", "before"))]
        if not comp and frame in ("say", "obj"):
            # colon lead-in: Y said: X.
            nxt = doc[cue_end] if cue_end < len(doc) else None
            if nxt is not None and nxt.text == ":" and nxt.i + 1 < sent.end:
                i, j = _trim(doc, nxt.i + 1, sent.end)
                if j - i >= 3:
                    return [(_chars(doc, i, j), 0.7)]
            # told reporters that X (ccomp attached to dobj in some parses)
            for c in tok.children:
                if c.dep_ in ("dobj", "dative"):
                    for g in c.children:
                        if g.dep_ == "ccomp":
                            comp = [g]
        if not comp and frame == "say" and _lemma(tok) not in ("tell", "inform", "brief", "assure", "remind", "warn"):
            # "said the camp held 40 detainees" parsed as object + participle: the object clause
            for c in tok.children:
                if c.dep_ == "dobj" and c.i > tok.i and c.lower_ not in ("it", "this", "that", "so", "something") \
                        and any(g.dep_ in ("acl", "relcl") and g.i > c.i and g.tag_ in ("VBD", "VBN", "VBZ", "VBP")
                                and any(h.dep_ in ("dobj", "attr", "acomp", "prep") for h in g.children)
                                for g in c.children):
                    comp = [c]
        if not comp:
            return None
        i = min(t.left_edge.i for t in comp)
        if frame == "say" and _lemma(tok) not in ("tell", "inform", "brief", "assure", "ask", "remind", "warn"):
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubj") and tok.i < c.i < i]
            if objs:
                i = min(i, min(o.left_edge.i for o in objs))
        j = max(t.right_edge.i for t in comp) + 1
        j = min(j, sent.end)
        # "said X and accused Y of Z": a second reporting verb coordinated with the cue (same form,
        # no subject of its own) that the parser hung inside the content
        for c in comp:
            for g in c.children:
                if g.dep_ == "conj" and g.i > c.i and _lemma(g) in self.cfg.frames and g.tag_ == tok.tag_ \
                        and not any(x.dep_ in SUBJ_DEPS for x in g.children):
                    k = g.i
                    while k > i and (doc[k - 1].dep_ == "cc" or doc[k - 1].is_punct):
                        k -= 1
                    j = min(j, k)
                    self.coordinated.append((g, tok))
        # "that" complementizer
        while i < j and (doc[i].dep_ == "mark" and doc[i].lower_ in ("that", "whether", "if") or doc[i].is_punct):
            i += 1
        i, j = _trim(doc, i, j)
        if j - i < 2:
            return None
        out.append((_chars(doc, i, j), 0.8))
        return out

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
            # no comma (some sources strip them): "X the Observatory said." when the parse puts the
            # clause before the cue, or the cue closes the sentence
            left = [c for c in tok.children if c.dep_ in ("ccomp", "parataxis") and c.i < clause_start]
            tail = [t for t in doc[cue_end:sent.end] if not t.is_punct and not t.is_space]
            closes = len(tail) <= 4 and not any(t.pos_ in ("VERB", "AUX") for t in tail)
            if not left and not (closes and (tok.dep_ in ("ROOT", "conj", "parataxis", "advcl") or self.reduced_relative(tok, subj)) and clause_start - sent.start >= 4):
                return None
            b_i, b_j = _trim(doc, sent.start, clause_start)
            if b_j - b_i < 3 or inverted and not left:
                return None
            if not any(t.pos_ in ("VERB", "AUX") for t in doc[b_i:b_j]):
                return None
            return [(_chars(doc, b_i, b_j), 0.65)]
        comps_after = [c for c in tok.children if c.dep_ == "ccomp" and c.i > tok.i]
        if comps_after and not inverted:
            return None  # "Y said that X": the content follows the cue
        if inverted and any(doc[tok.i + 1].lower_ == "that" for _ in [0] if tok.i + 1 < len(doc)):
            return None
        b_i, b_j = _trim(doc, sent.start, p)
        if b_j - b_i < 1:
            return None
        # where does the reporting clause end?
        if inverted:
            end = self.inverted_end(sent, cue_end)
        else:
            end = cue_end
            # addressee and adjuncts: "told a congressional hearing at the time"
            while end < sent.end and doc[end].text not in (",", ";", ":", "—", "–") and not doc[end].is_sent_end:
                if self.in_quote(doc[end].idx):
                    break
                end += 1
        content_before = _chars(doc, b_i, b_j)
        if end < sent.end and doc[end].text == ",":
            a_i, a_j = _trim(doc, end + 1, sent.end)
            if a_j - a_i >= 2:
                if any(doc[end].idx <= m.open <= doc[a_i].idx + 1 for m in self.marks):
                    return None  # 'The commanders, he said, "are trying ...": the quote carries it
                out = []
                if b_j - b_i >= 2:
                    out.append((content_before, 0.7))
                out.append((_chars(doc, a_i, a_j), 0.7))
                return out
        if self.text[content_before[0]:content_before[1]].count('"') % 2 == 1:
            return None
        if not any(t.pos_ in ("VERB", "AUX") for t in doc[b_i:b_j]):
            return None  # "At Monday's debate, she said": a phrase, not a statement
        return [(content_before, 0.75)]

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
                nxt = doc[k + 1]
                if nxt.pos_ in ("PROPN", "DET", "NOUN", "ADJ", "NUM", "PRON") and not self.has_finite_verb(k + 1, cue_i):
                    best = k + 1
                k -= 1
                continue
            if t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP", "MD") and not self.in_relcl(t, cue_i):
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
                self.agentive(t) for t in doc[start:cue_i] if t.pos_ in ("NOUN", "PROPN") and not t.ent_type_ == "DATE"):
            return None  # "... in Deir Ezzor the Observatory said": a place, not a speaker (unless the
            # tagger took a body for a place: "the Syrian Observatory for Human Rights monitoring group")
        return start

    def has_finite_verb(self, i: int, j: int) -> bool:
        doc = self.doc
        for t in doc[i:j]:
            if t.tag_ in ("VBD", "VBZ", "VBP", "MD") and not self.in_relcl(t, j):
                return True
        return False

    def in_relcl(self, t: Token, limit: int) -> bool:
        x = t
        for _ in range(6):
            if x.dep_ in ("relcl", "acl"):
                return True
            if any(c.lower_ in REL_PRONOUNS and c.dep_ in SUBJ_DEPS for c in x.children):
                return True
            if x.head is x:
                return False
            x = x.head
        return False

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
        # "According to X, Y" -> after; "Y, according to X" -> before; in the middle -> the larger
        if len(parts) == 2:
            parts = [max(parts, key=lambda r: r[1] - r[0])]
        i, j = parts[0]
        s, e = _chars(doc, i, j)
        typ = "indirect"
        for q in self.marks:
            if s <= q.open and (q.close or q.end) <= e:
                typ = "direct" if (q.start - s) <= 2 and (e - q.end) <= 2 else "mixed"
                self.used_marks.add(q.open)
                if typ == "direct":
                    s, e = q.start, q.end
        self.add(s, e, typ, cue_span, src, 0.8)

    # ------------------------------------------------------------------ speakers
    def speaker_from(self, tok: Token, subj: Token | None, sent, cue_end: int) -> _Src | None:
        doc = self.doc
        if subj is not None:
            if subj.lower_ in REL_PRONOUNS and tok.dep_ == "relcl":
                head = tok.head
                return self.resolve(head.left_edge.i, head.i + 1)
            if subj.pos_ == "PRON" and subj.lower_ in self.cfg.pronouns:
                return self.resolve(subj.i, subj.i + 1)
            if subj.lower_ in ("it", "there", "this", "that", "what", "which", "who"):
                return None
            i, j = subj.left_edge.i, subj.right_edge.i + 1
            if subj.i > tok.i:  # inversion: said the leader of ..., who ...
                j = self.inverted_end(sent, tok.i + 1)
            return self.resolve(i, j)
        # no parsed subject: surface NP before the cue (", James Clapper, ..., told"), with or without comma
        k = self.np_before(sent, tok.i)
        if k is None:
            k = self.np_left(sent, tok.i)
        if k is not None:
            return self.resolve(k, tok.i)
        # inversion without a parsed subject: "..., said the activist, who ..."
        if cue_end < sent.end:
            i = cue_end
            j = self.inverted_end(sent, i)
            if j > i and (doc[i].pos_ in ("DET", "PROPN", "NOUN", "ADJ", "NUM") or doc[i].lower_ in self.cfg.pronouns):
                return self.resolve(i, j)
        return None

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
            if t.text == "." and t.is_sent_end:
                break
            j += 1
        return _trim(doc, i, j)[1]

    def resolve(self, i: int, j: int) -> _Src | None:
        """The source that the token range [i, j) refers to, creating it when new."""
        doc = self.doc
        i, j = _trim(doc, i, j)
        if j <= i:
            return None
        span = doc[i:j]
        start, end = _chars(doc, i, j)
        first = span[0]
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
            if src.gender == "-" and info.get("gender", "-") != "-":
                src.gender = info["gender"]
            if not src.anonymous and info["role"] and not src.role:
                src.role = info["role"]
            src.aliases |= info["aliases"]
        return src

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
            return self.resolve(*subj) if subj is not None else None
        return max(cands, key=lambda s: s.last)

    def subject_before(self, tok: Token, number: str, gender: str):
        """The latest noun-phrase subject before ``tok`` (same or previous paragraph) a pronoun can stand for."""
        doc = self.doc
        p = self.para_of(tok.idx)
        for t in reversed(doc[:tok.i]):
            if self.para_of(t.idx) < p - 1:
                break
            if t.dep_ not in ("nsubj", "nsubjpass") or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if self.in_quote(t.idx) is not None:
                continue
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
        p = self.para_of(tok.idx)
        best = None
        for ent in self.ents:
            if ent.label_ != "PERSON" or ent.start_char <= after_char or ent.start >= tok.i:
                continue
            if self.para_of(ent.start_char) < p - 1:
                continue
            if ent.root.dep_ in SUBJ_DEPS and not self.in_quote(ent.start_char):
                best = (ent.start, ent.end)
        return best

    def describe(self, span: SpacySpan) -> dict | None:
        """Split a speaker noun phrase into name, role, affiliation, head, kind, number, gender."""
        info = self._describe(span)
        if info is not None and info["kind"] == "person" and info.get("gender", "-") == "-":
            for t in span:
                g = self.cfg.gender_words.get(t.lower_)
                if g:
                    info["gender"] = g
                    break
        return info

    def _describe(self, span: SpacySpan) -> dict | None:
        doc = self.doc
        text = span.text
        # the root of the phrase
        root = None
        for t in span:
            if t.head.i < span.start or t.head.i >= span.end or t.head is t:
                root = t
                break
        if root is None:
            root = span[0]
        if root.pos_ in ("VERB", "AUX") and root.dep_ not in ("nsubj",):
            # a clause, not a noun phrase: find a noun
            nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN", "PRON")]
            if not nouns:
                return None
            root = nouns[0]
        if len(span) > 45 or span[0].pos_ in ("VERB", "AUX", "ADP", "SCONJ"):
            return None  # a clause or a fragment, not a speaker
        for t in span:
            if t.tag_ in ("VBD", "VBZ", "VBP", "MD") and t.lower_ not in ("called", "named", "nicknamed", "dubbed") \
                    and not self.in_relcl(t, span.end):
                return None
        lemma0 = _lemma(root)
        # "a statement by Jordan's Public Security Directorate" -> the directorate
        if self.cfg.kinds.get(lemma0) == "document":
            for c in root.children:
                if c.dep_ == "prep" and c.lower_ in ("by", "from", "of"):
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs and (objs[0].pos_ == "PROPN" or self.cfg.kinds.get(_lemma(objs[0])) == "organization"):
                        o = objs[0]
                        info = self.describe(doc[o.left_edge.i:o.right_edge.i + 1])
                        if info is not None:  # "the statement said" later refers to the same source
                            info["aliases"] = set(info["aliases"]) | {lemma0}
                        return info
                if c.dep_ == "compound" and c.pos_ == "PROPN" and c.ent_type_ in ("ORG", "NORP", "GPE") \
                        and span.start <= c.left_edge.i:
                    # "A Defence Ministry statement" -> the Defence Ministry
                    info = self.describe(doc[c.left_edge.i:c.i + 1])
                    if info is not None:
                        info["aliases"] = set(info["aliases"]) | {lemma0}
                    return info
                if c.dep_ == "poss" and c.pos_ == "PROPN":
                    info = self.describe(doc[c.left_edge.i:c.i + 1])
                    if info is not None:
                        info["aliases"] = set(info["aliases"]) | {lemma0}
                    return info
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
                if e.end == span.end and e.start > span.start and doc[e.start - 1].pos_ not in ("ADP",) \
                        and e.root.dep_ not in ("pobj", "poss"):
                    name_ent = e
            if name_ent is None and root.pos_ == "PROPN" and root.ent_type_ in ("", "PERSON") and not org_ents:
                # an untagged proper name at the head: "Zelin said"
                k = root.i
                while k > span.start and doc[k - 1].pos_ == "PROPN" and doc[k - 1].dep_ == "compound":
                    k -= 1
                name_ent = doc[k:root.i + 1]
            if name_ent is not None:
                words = [w for w in name_ent.text.split() if not _TITLE_RE.match(w)]
                name = " ".join(words) if words else name_ent.text
                name_span = (name_ent.start_char, name_ent.end_char)
        org_head = None
        if name is None:
            for e in org_ents:
                if self.is_head_entity(e, root, span) and e.label_ != "NORP":
                    org_head = e
                    break
        number = "pl" if root.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in root.children) else "sg"
        lemma = _lemma(root)
        aliases = {lemma, root.lower_}
        if name is not None:
            parts = [w for w in re.split(r"\s+", name) if w]
            low = [w.lower() for w in parts]
            head = name if low and low[0].rstrip("-") in NAME_PARTICLES else parts[-1]
            aliases |= {head.lower(), name.lower()}
            role_text = self.role_of(span, name_span)
            aff = self.affiliation(span, name_span, root, org_ents)
            for w in (role_text or "").split():
                aliases.add(w.lower().strip(",."))
            kind = "organization" if self.role_head_kind(role_text) == "organization" else "person"
            return dict(name=name, head=head, anonymous=False, role=role_text, affiliation=aff, kind=kind,
                        number="sg", aliases=aliases, root=root, definite=False, gender="-")
        if org_head is not None:
            nm = re.sub(r"^(?:the|The)\s+", "", org_head.text)
            full = self.expand(nm)
            aliases |= {nm.lower(), full.lower()}
            nm = full
            aliases |= {k for k, v in self.acronyms.items() if v.lower() == nm.lower()}
            return dict(name=nm, head=org_head.root.text, anonymous=False, role=None, affiliation=None,
                        kind="organization", number="sg", aliases=aliases, root=root, definite=False, gender="-")
        # an institution named by what it is: "the health ministry", "Turkey's state-run Anadolu news
        # agency", "the Syrian army" (named); "a monitoring group" stays unnamed
        kind0 = self.cfg.kinds.get(lemma0) or self.cfg.kinds.get(root.lower_)
        det0 = span[0].lower_
        has_poss = any(c.dep_ == "poss" for c in root.children)
        has_proper = any(c.dep_ in ("compound", "amod", "nmod") and c.pos_ == "PROPN" for c in root.children)
        proper_root = root.pos_ == "PROPN" and root.ent_type_ in ("", "ORG", "GPE", "NORP", "FAC") \
            and root.text[:1].isupper() and not person_ents
        if kind0 in ("organization", "document") and number == "sg" and det0 in ("the", "this") \
                and not (has_poss or has_proper or root.pos_ == "PROPN"):
            # "the monitoring group", "the paper": a named organization the article described so
            # ("Vantor Daily, an independent newspaper", "..., a Britain-based monitoring group")
            for src in reversed(self.sources):
                if src.kind != "organization" or src.anonymous:
                    continue
                words = src.aliases | self.appositives.get((src.name or "").lower(), set())
                if lemma0 in words or (len(lemma0) >= 4 and any(w.endswith(lemma0) for w in words)):
                    return dict(name=src.name, head=src.head, anonymous=False, role=None, affiliation=None,
                                kind="organization", number="sg", aliases={lemma0}, root=root,
                                definite=False, gender="-")
            named_orgs = [x for x in self.sources if x.kind == "organization" and not x.anonymous and x.name]
            if lemma0 in self.cfg.generic_orgs and len({x.name for x in named_orgs}) == 1:
                # "the Britain-based monitoring group", "the rights group": a word that fits any
                # organization stands for the organization named as a source, when only one was
                src = named_orgs[-1]
                if src is not None:
                    return dict(name=src.name, head=src.head, anonymous=False, role=None, affiliation=None,
                                kind="organization", number="sg", aliases={lemma0}, root=root,
                                definite=False, gender="-")
        if (kind0 == "organization" or proper_root) and number == "sg" and det0 not in ("a", "an", "one", "another") and (
                det0 in ("the", "this") or has_poss or has_proper or root.pos_ == "PROPN"):
            i0 = span.start + (1 if det0 in ("the", "this") else 0)
            j0 = root.i + 1
            for c in root.children:  # "the Ministry of Defence"
                if c.dep_ == "prep" and c.lower_ == "of" and c.i == j0:
                    objs = [g for g in c.children if g.dep_ == "pobj"]
                    if objs and objs[0].pos_ == "PROPN":
                        j0 = objs[0].right_edge.i + 1
            if j0 < span.end and doc[j0].text == "(" and j0 + 2 < span.end and doc[j0 + 2].text == ")":
                aliases.add(doc[j0 + 1].lower_)  # "(MoD)"
            nm = doc[i0:j0].text
            aliases |= {nm.lower(), root.lower_} | {_lemma(t) for t in span if t.pos_ == "NOUN"}
            full = self.expand(nm)
            if full != nm:
                aliases.add(full.lower())
                nm = full
            aliases |= {k for k, v in self.acronyms.items() if v.lower() == nm.lower()}
            return dict(name=nm, head=root.text, anonymous=False, role=None, affiliation=None,
                        kind="organization", number="sg", aliases=aliases, root=root, definite=False, gender="-")
        # unnamed
        if root.pos_ not in ("NOUN", "PROPN", "PRON", "NUM", "ADJ"):
            return None
        if root.pos_ == "NOUN" and not self.agentive(root):
            return None  # "the ceasefire", "Russia's military role": not someone who can say things
        if root.pos_ == "PRON" and root.lower_ not in ("others", "some", "many", "one", "several", "most", "few"):
            return None
        kind = self.cfg.kinds.get(lemma) or self.cfg.kinds.get(root.lower_)
        if kind is None:
            kind = "group" if number == "pl" else "person"
        elif kind == "person" and number == "pl":
            kind = "group"
        det = span[0].lower_
        definite = det in ("the", "this", "that") and root.i - span.start <= 3
        words = span.text.split()
        role = None
        if kind == "person":
            role = " ".join(words[1:]) if det in DETERMINERS and len(words) > 1 else span.text
        aff = self.affiliation(span, None, root, org_ents)
        return dict(name=None, head=root.text, anonymous=True, role=role, affiliation=aff, kind=kind,
                    number=number, aliases=aliases, root=root, definite=definite, gender="-")

    def role_head_kind(self, role: str | None) -> str | None:
        """The kind of the head noun of an appositive: "an independent newspaper in Astrana" ->
        organization (so "Vantor Daily, an independent newspaper" is an outlet, not a person)."""
        if not role or not re.match(r"(?:an?|the)\s", role, re.I):
            return None  # only an appositive noun phrase, not "Zelin, of the Washington Institute"
        head = None
        for w in re.findall(r"[\w'’-]+", role.lower()):
            if w in _ROLE_STOP:
                if head is not None:
                    break
                continue
            head = w
        return self.cfg.kinds.get(head) if head else None

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
        for e in org_ents:
            if name_span and e.start_char >= name_span[0] and e.end_char <= name_span[1]:
                continue
            if e.label_ in ("ORG",):
                return re.sub(r"^(?:the|The)\s+", "", e.text)
        for e in org_ents:
            if e.label_ in ("GPE", "NORP") and any(t.head == root and t.dep_ in ("compound", "amod") for t in e):
                return e.text
        for t in span:
            if name_span and t.idx < name_span[1]:
                continue
            if t.dep_ == "pobj" and t.pos_ == "PROPN" and t.head.lower_ in ("at", "of", "for", "with") \
                    and t.ent_type_ not in ("GPE", "LOC", "PERSON", "DATE"):
                i = t.left_edge.i
                if span.doc[i].lower_ == "the":
                    i += 1
                return span.doc[i:t.right_edge.i + 1].text
        return None

    def match(self, info: dict, start: int) -> _Src | None:
        """An existing source that this description refers to, if the text says so."""
        if info["name"] is not None:
            name = info["name"].lower()
            head = info["head"].lower()
            for s in reversed(self.sources):
                if s.name is None:
                    continue
                sn = s.name.lower()
                if sn == name or s.head.lower() == head or head in sn.split() or name == s.head.lower() \
                        or name in s.aliases:
                    if s.kind == info["kind"] or info["kind"] == "person":
                        return s
            return None
        # unnamed: never merged with a named source unless the role words match
        lemma = _lemma(info["root"])
        if info["number"] == "pl" and not info["definite"]:
            # "Prosecutors" ... "prosecutors": the same words; "Turkish officials" is not "officials"
            core = self.core_words(info["root"])
            for s in reversed(self.sources):
                if s.anonymous and s.number == "pl" and core == s.core:
                    return s
        if info["definite"]:
            for s in reversed(self.sources):
                if lemma in s.aliases and (s.number == info["number"] or s.kind == info["kind"]):
                    return s
            if info["definite"] and info["kind"] == "person":
                # bridging: "the activist" right after an unnamed person's statement
                last = self.last_item_src
                if last is not None and last.anonymous and last.kind == "person" and last.number == "sg":
                    return last
        return None

    def core_words(self, root: Token) -> tuple[str, ...]:
        doc = self.doc
        words = [t.lemma_.lower() for t in doc[root.left_edge.i:root.i + 1] if not t.is_punct]
        while words and words[0] in DETERMINERS:
            words = words[1:]
        return tuple(words)

    def new_source(self, info: dict, start: int, end: int) -> _Src:
        doc = self.doc
        mention = (start, end)
        name = info["name"]
        # "Clapper said": find the full name and its appositive earlier in the text
        if name is not None and " " not in name and info["kind"] == "person":
            for ent in self.ents:
                if ent.label_ == "PERSON" and ent.text.split()[-1].lower() == name.lower() and len(ent.text.split()) > 1:
                    name = ent.text
                    app = [c for c in ent.root.children if c.dep_ == "appos"]
                    if app:
                        a = app[0]
                        mention = (ent.start_char, doc[a.right_edge.i].idx + len(doc[a.right_edge.i].text))
                        info["role"] = info["role"] or doc[a.left_edge.i:a.right_edge.i + 1].text
                    else:
                        mention = (ent.start_char, ent.end_char)
                    break
        # "the employee said": the fullest earlier description ("an employee at an internet café ...")
        if info["name"] is None and info["definite"]:
            ante = self.antecedent(info["root"], start)
            if ante is not None:
                mention = ante
                words = self.text[ante[0]:ante[1]].split()
                if info["kind"] == "person" and words and words[0].lower() in DETERMINERS:
                    info["role"] = " ".join(words[1:])
        src = _Src(
            id=f"S{len(self.sources) + 1}",
            name=name,
            mention=mention,
            head=info["head"],
            anonymous=info["anonymous"],
            role=info["role"],
            affiliation=info["affiliation"],
            kind=info["kind"],
            number=info["number"],
            aliases=set(info["aliases"]),
            core=self.core_words(info["root"]),
            gender=info.get("gender", "-"),
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

    # ------------------------------------------------------------------ items
    def add(self, start: int, end: int, typ: str, cue, src: _Src | None, conf: float) -> None:
        text = self.text
        if typ == "indirect":
            first = self.doc.char_span(start, end, alignment_mode="expand")
            if first is not None and len(first) and first[0].lower_ in _NOT_CONTENT_START \
                    and not any(t.tag_ in ("VBD", "VBZ", "VBP", "MD") for t in first):
                return  # "without citing sources", "after the meeting": an adjunct, not a statement
        while start < end and text[start] in " \t\n\"“”‘’'—–-,:":
            start += 1
        while end > start and text[end - 1] in " \t\n\"“”—–-,:":
            end -= 1
        if end <= start:
            return
        for it in self.items:
            if it.start <= start and end <= it.end:
                return  # already covered
        self.items = [it for it in self.items if not (start <= it.start and it.end <= end and it.type != "direct")]
        self.items.append(_Item(start, end, typ, cue, src, conf))
        self.claimed.append((start, end))
        if src is not None:
            self.last_item_src = src

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
        root = self.doc[colon].sent.root
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
            if words <= 4 and not sentence_like:
                continue  # scare quotes and titles; "They had a list." is a sentence and goes on
            if self.colon_lead_in(q):
                continue
            prev = [it for it in self.items if it.end <= q.open and it.src is not None]
            if not prev:
                continue
            last = max(prev, key=lambda it: it.end)
            if self.para_of(q.open) - self.para_of(last.end) > 1:
                continue
            # only when nothing but the quote itself stands between (no new unattributed sentence)
            gap = self.text[last.end:q.open]
            if self.para_of(q.open) != self.para_of(last.end):
                para_start = self.para_starts[self.para_of(q.open)]
                if self.text[para_start:q.open].strip():
                    continue
            elif re.search(r"[.!?]\s+[A-Z][^\"“”]{20,}[.!?]", gap):
                continue
            self.items.append(_Item(q.start, q.end, "direct", last.cue, last.src, 0.6))
            self.used_marks.add(q.open)

    # ------------------------------------------------------------------ output
    def output(self) -> tuple[list[Source], list[Quote]]:
        text = self.text
        # drop unattributed direct quotes that repeat an attributed one (pull quotes)
        items = sorted((it for it in self.items if it.src is not None), key=lambda it: it.start)
        used = {id(it.src) for it in items} | {id(s) for s in self.sources if s.summarized}
        ids: dict[int, str] = {}
        sources: list[Source] = []
        for s in sorted((s for s in self.sources if id(s) in used), key=lambda s: min(m[0] for m in s.mentions)):
            sid = f"S{len(sources) + 1}"
            ids[id(s)] = sid
            ms, me = s.mention
            sources.append(Source(
                id=sid,
                name=s.name,
                mention=text[ms:me],
                head=s.head,
                anonymous=s.anonymous,
                anonymity_reason=None,
                role=s.role,
                affiliation=s.affiliation,
                kind=s.kind,
                mentions=[Span.of(text, a, b) for a, b in sorted(s.mentions)],
                extractor=NAME,
            ))
        quotes: list[Quote] = []
        for it in items:
            quotes.append(Quote(
                id=f"Q{len(quotes) + 1}",
                source=ids.get(id(it.src), REPORTER),
                start=it.start,
                end=it.end,
                text=text[it.start:it.end],
                type=it.type,
                cue=Span.of(text, *it.cue) if it.cue else None,
                confidence=round(it.confidence, 2),
                extractor=NAME,
            ))
        return sources, quotes
