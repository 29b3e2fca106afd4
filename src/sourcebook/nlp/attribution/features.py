"""Features of a candidate attribution (``candidates.Candidate``) for the learned scorer.

Two parts, the same at training and at run time:

- sparse indicator features, as strings ("lemma=say", "kind|lemma=ccomp_after|say", ...), hashed
  into ``N_HASH`` buckets with CRC-32 (stable across processes and Python versions);
- dense features: the model's own token vectors (``doc.tensor``, the shared tok2vec output the
  tagger and parser listen to) at the cue and averaged over the content, so the scorer costs no
  encoder of its own.
"""

from __future__ import annotations

import zlib

import numpy as np
from spacy.tokens import Doc, Token

from ..sents import sent_of
from .base import FINITE_TAGS
from .candidates import Candidate

# ``lex`` below is the attribution Config (base.Config): frames, people, pronouns.

N_HASH = 1 << 18
_QUOTE_CHARS = "\"“”«»"


def _bucket(n: int) -> str:
    for b in (1, 2, 3, 5, 8, 13, 21, 34, 55):
        if n <= b:
            return str(b)
    return "56+"


def _subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            return c
    if tok.dep_ in ("conj", "xcomp", "advcl") and tok.head != tok:
        for c in tok.head.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                return c
    return None


def _subject_features(tok: Token, lex) -> list[str]:
    s = _subject(tok)
    if s is None:
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children if g.dep_ == "pobj"]
        if agent:
            return ["subj=agent", "subj_ent=" + (agent[0].ent_type_ or "-")]
        return ["subj=none"]
    kind = "pron" if s.lower_ in lex.pronouns else s.pos_
    people = s.lemma_.lower() in lex.people or s.lower_ in lex.people
    return ["subj=" + kind, "subj_ent=" + (s.ent_type_ or "-"), "subj_people=" + str(people),
            "subj_side=" + ("left" if s.i < tok.i else "right"), "subj_word=" + s.lower_ if kind == "pron"
            else "subj_w=-"]


def cue_features(doc: Doc, c: Candidate, lex) -> list[str]:
    tok = doc[c.cue]
    lemma = "according to" if c.cue_end - c.cue == 2 else tok.lemma_.lower()
    frame = lex.frames.get(lemma, "-")
    kids = {ch.dep_ for ch in tok.children}
    f = ["lemma=" + lemma, "frame=" + frame, "tag=" + tok.tag_, "dep=" + tok.dep_, "head_pos=" + tok.head.pos_,
         "passive=" + str("auxpass" in kids), "neg=" + str("neg" in kids), "root=" + str(tok.dep_ == "ROOT")]
    prev = doc[c.cue - 1] if c.cue > 0 else None
    f.append("prev=" + (prev.lower_ if prev is not None and (prev.is_punct or prev.pos_ in ("AUX", "PART", "ADV"))
                        else "-"))
    f += _subject_features(tok, lex)
    return f


def content_features(doc: Doc, c: Candidate) -> list[str]:
    span = doc[c.start:c.end]
    first, last = span[0], span[-1]
    s, e = c.chars(doc)
    text = doc.text
    before = text[max(0, s - 2):s]
    after = text[e:e + 2]
    quoted = any(ch in _QUOTE_CHARS for ch in before) and any(ch in _QUOTE_CHARS for ch in after)
    has_marks = any(ch in _QUOTE_CHARS for ch in text[s:e])
    finite = any(t.tag_ in FINITE_TAGS for t in span)
    sent = sent_of(doc[c.cue])
    return ["kind=" + c.kind, "len=" + _bucket(len(span)), "first_pos=" + first.pos_, "first=" + first.lower_
            if first.is_stop else "first=-", "last_punct=" + str(last.is_punct), "quoted=" + str(quoted),
            "has_marks=" + str(has_marks), "finite=" + str(finite), "side=" + ("after" if c.start > c.cue
                                                                               else "before"),
            "gap=" + _bucket(abs(c.start - c.cue_end) if c.start >= c.cue_end else abs(c.cue - c.end)),
            "to_sent_end=" + str(c.end >= sent.end - 1), "from_sent_start=" + str(c.start <= sent.start + 1),
            "ents=" + _bucket(len([t for t in span if t.ent_iob_ == "B"]))]


def sparse_features(doc: Doc, c: Candidate, lex, domain: str = "") -> list[str]:
    """The indicator features of a candidate.  With a ``domain`` ("G": our guidelines), every feature
    also comes a second time with that prefix, so a model trained on PolNeAR and on our own gold
    learns where our conventions differ (feature augmentation, Daumé III 2007)."""
    cue = cue_features(doc, c, lex)
    con = content_features(doc, c)
    kind = "kind=" + c.kind
    lemma = cue[0]
    frame = cue[1]
    crosses = [f"{kind}|{x}" for x in cue] + [f"{lemma}|{x}" for x in con[1:]] + [f"{frame}|{x}" for x in con[1:]]
    feats = cue + con + crosses + ["bias"]
    return feats + [f"{domain}|{f}" for f in feats] if domain else feats


def hash_features(feats: list[str]) -> np.ndarray:
    return np.fromiter((zlib.crc32(f.encode("utf-8")) % N_HASH for f in feats), dtype=np.int64, count=len(feats))


def dense_features(doc: Doc, c: Candidate) -> np.ndarray:
    """The token vectors at the cue and averaged over the content (zeros when the model has none)."""
    t = doc.tensor
    if t is None or t.ndim != 2 or t.shape[0] != len(doc):
        return np.zeros(0, dtype=np.float32)
    return np.concatenate([t[c.cue], t[c.start:c.end].mean(axis=0)]).astype(np.float32)
