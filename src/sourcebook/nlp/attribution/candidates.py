"""Candidate attributions read off the parse: a cue word and a stretch of text it may introduce.

The generator is deliberately broad: every verb (and "according to") with a clause, an object, an
infinitive, a prepositional object, a quotation or a colon-introduced clause next to it gives one
candidate per kind of complement.  A learned model (``model.py``) then decides which candidates are
attributions; the generator only has to put the right one among them.

A candidate is a dataclass of token offsets, so the model's features (``features.py``), the training
code (``nlp/train``) and the component share one definition of what a candidate is.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from ..sents import sentences

#: Complement kinds, in the order they are tried (the name is also a model feature).
KINDS = ("ccomp_after", "ccomp_before", "xcomp", "dobj", "prep", "quote_after", "quote_before", "colon",
         "according_to")
#: Complements that are a noun phrase or an infinitive rather than a clause: a statement only after a
#: verb of saying ("denied the report", "urged residents to leave", "called for calm").
NP_KINDS = ("xcomp", "dobj", "prep")

_PREPS = {"for", "about", "on", "of", "against", "to", "over", "with"}
_NOT_CUE_DEPS = {"aux", "auxpass", "amod", "compound", "det", "case", "mark", "prt"}
_STRIP_START = {"that", "whether", "if", ",", ":", "—", "–", "-", "\"", "“", "”", "'", "‘", "’"}
_MAX_TOKENS = 120


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cue token range and the content token range it may introduce, both ``[start, end)``."""

    cue: int  # the cue's syntactic head token
    cue_end: int  # one past the last token of the cue ("according to": two tokens)
    start: int  # content, token offsets
    end: int
    kind: str

    def chars(self, doc: Doc) -> tuple[int, int]:
        return doc[self.start].idx, doc[self.end - 1].idx + len(doc[self.end - 1].text)

    def cue_chars(self, doc: Doc) -> tuple[int, int]:
        last = doc[self.cue_end - 1]
        return doc[self.cue].idx, last.idx + len(last.text)


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    while i < j and (doc[i].lower_ in _STRIP_START or doc[i].is_space or doc[i].dep_ == "cc" and i + 1 < j):
        i += 1
    while j > i and (doc[j - 1].is_punct and doc[j - 1].text not in (")", "]", "?", "!", "%") or doc[j - 1].is_space):
        j -= 1
    return i, j


def _subtree(tokens: list[Token]) -> tuple[int, int]:
    return min(t.left_edge.i for t in tokens), max(t.right_edge.i for t in tokens) + 1


def is_cue_token(tok: Token) -> bool:
    """A token that may head a cue: a verb that is not an auxiliary or a modifier."""
    if tok.dep_ in _NOT_CUE_DEPS or tok.is_punct:
        return False
    return tok.pos_ == "VERB" or tok.pos_ == "AUX" and tok.dep_ in ("ROOT", "ccomp", "conj")


def _verb_candidates(tok: Token, sent: SpacySpan) -> list[tuple[int, int, str]]:
    kids = list(tok.children)
    out: list[tuple[int, int, str]] = []
    after = [c for c in kids if c.dep_ == "ccomp" and c.i > tok.i]
    if after:
        out.append((*_subtree(after), "ccomp_after"))
    before = [c for c in kids if c.dep_ in ("ccomp", "parataxis") and c.i < tok.i]
    if before:
        out.append((*_subtree(before), "ccomp_before"))
    x = [c for c in kids if c.dep_ == "xcomp" and c.i > tok.i]
    if x:
        objs = [c for c in kids if c.dep_ in ("dobj", "dative") and tok.i < c.i < x[0].i]
        out.append((*_subtree(objs + x), "xcomp"))
    objs = [c for c in kids if c.dep_ in ("dobj", "oprd", "attr") and c.i > tok.i]
    if objs:
        i, j = _subtree(objs)
        for c in kids:  # "accused X of Y", "called X a liar"
            if c.i >= j and (c.dep_ in ("oprd", "xcomp") or c.dep_ == "prep" and c.lower_ in ("of", "for", "as")):
                j = max(j, c.right_edge.i + 1)
        out.append((i, j, "dobj"))
    for c in kids:
        if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _PREPS:
            pobj = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            if pobj:
                out.append((*_subtree(pobj), "prep"))
    nxt = tok.i + 1
    while nxt < sent.end and tok.doc[nxt].dep_ in ("prt", "advmod", "npadvmod") and nxt - tok.i < 4:
        nxt += 1
    if nxt < sent.end - 2 and tok.doc[nxt].text == ":":
        out.append((nxt + 1, sent.end, "colon"))
    return out


def _according_to(tok: Token, sent: SpacySpan) -> list[tuple[int, int, str]]:
    doc = tok.doc
    to = doc[tok.i + 1]
    pobj = [c for c in to.children if c.dep_ == "pobj"]
    src_end = (max(c.right_edge.i for c in pobj) + 1) if pobj else tok.i + 2
    parts = [(sent.start, tok.i), (src_end, sent.end)]
    parts = [p for p in parts if p[1] - p[0] >= 3]
    if not parts:
        return []
    best = max(parts, key=lambda p: p[1] - p[0])
    return [(best[0], best[1], "according_to")]


def _quote_candidates(doc: Doc, tok: Token, sent: SpacySpan, marks) -> list[tuple[int, int, str]]:
    """Quotations that open just after the cue clause or close just before it, in its sentence or the next."""
    out = []
    cue_char = tok.idx
    for q in marks:
        if q.close is None:
            continue
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if sent.start_char - 2 <= q.open and q.close <= cue_char and cue_char - q.close < 160:
            out.append((span.start, span.end, "quote_before"))
        elif cue_char < q.open and q.open - cue_char < 160 and q.open <= sent.end_char + 2:
            out.append((span.start, span.end, "quote_after"))
    return out


def candidates(doc: Doc, marks=()) -> list[Candidate]:
    """Every (cue, content) candidate of the document, in text order."""
    out: list[Candidate] = []
    seen: set[tuple[int, int, int]] = set()
    for sent in sentences(doc)[0]:
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                raw, cue_end = _according_to(tok, sent), tok.i + 2
            elif is_cue_token(tok):
                raw, cue_end = _verb_candidates(tok, sent) + _quote_candidates(doc, tok, sent, marks), tok.i + 1
            else:
                continue
            subjects = [c.i for c in tok.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            for i, j, kind in raw:
                i, j = _trim(doc, i, min(j, sent.end) if kind not in ("quote_after", "quote_before") else j)
                if j - i < 1 or j - i > _MAX_TOKENS or i <= tok.i < j and kind not in ("according_to",):
                    continue
                if any(i <= s < j for s in subjects):
                    continue  # "said the leader of ...": the speaker, not what was said
                if (tok.i, i, j) in seen:
                    continue
                seen.add((tok.i, i, j))
                out.append(Candidate(tok.i, cue_end, i, j, kind))
    return out


def names_a_question(tok: Token) -> bool:
    """A noun that names a question rather than holding its words: "a question about X", "a series of
    questions" (the rules and the admissible candidates share it)."""
    heads = [tok] + [g for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
                     for g in p.children if g.dep_ == "pobj"]
    return any(h.lemma_.lower() == "question" for h in heads)


def withheld(tok: Token) -> bool:
    """A cue that says nothing was said: negated ("did not say how many", "couldn't recall", "never
    said") or declined ("declined to say whether", "refused to comment"). The rules and the
    admissible candidates share it."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return tok.dep_ == "xcomp" and tok.head.lemma_.lower() in ("decline", "refuse")


def admissible(doc: Doc, c: Candidate, speech_lemmas: frozenset[str], frames: dict[str, str],
               broad: bool = True, attempt_verbs: frozenset[str] = frozenset()) -> bool:
    """Whether a candidate may be an attribution at all.

    A clause, a quotation or "according to" always may.  A noun phrase or infinitive may only after a
    verb that the training data uses as a cue of speech (``speech_lemmas``), never as the object of a
    plain "say" verb ("said the leader of ...": an inverted subject; "told reporters": the addressee),
    and, unless ``broad``, only as our guidelines count them: after verbs whose frame in
    ``lexicon/cue_verbs.tsv`` takes an object ("denied the report", "urged residents to leave",
    "called for calm"), or with quoted words ("condemned the 'deplorable attack'").  ``broad`` also
    takes stances PolNeAR annotates ("condemned the attack", "praised the deal", "cited the report")."""
    if not broad and withheld(doc[c.cue]):
        return False
    if c.kind not in NP_KINDS:
        return True
    root = doc[c.start:c.end].root
    if c.kind == "dobj" and (names_a_question(root) or any(t.lemma_.lower() == "question" for t in root.children)):
        return False  # "asked him a question about X", "a series of questions": the act named, no words
    lemma = doc[c.cue].lemma_.lower()
    if c.kind == "xcomp" and lemma in attempt_verbs:
        return False  # "seeking to take the town": an attempt, not words (lexicon/attempt_verbs.txt)
    frame = frames.get(lemma)
    if lemma not in speech_lemmas or c.kind == "dobj" and frame == "say":
        return False
    if broad or frame == "obj":
        return True
    if frame == "quoted":
        s, e = c.chars(doc)
        return any(ch in doc.text[s:e] for ch in "\"“”«»")
    return False
