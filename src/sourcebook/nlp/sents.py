"""The sentence of a token, from an index built once per document.

spaCy's ``Token.sent`` checks the whole document's sentence annotation on every call, which made
it one of the costliest calls of the pipeline (per candidate, per token).  ``sent_of(tok)`` gives
the same span from ``doc.sents``, read once per document by ``sentences(doc)`` (the last few documents
are kept; a document is recognised by identity and length).  Components call it after the parser.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

_KEEP = 4
_index: list[tuple[Doc, int, tuple[Span, ...], tuple[int, ...]]] = []


def sentences(doc: Doc) -> tuple[tuple[Span, ...], tuple[int, ...]]:
    """``doc.sents`` read once: the sentences, and for every token the number of its sentence."""
    for d, n, sents, number in _index:
        if d is doc and n == len(doc):
            return sents, number
    sents = tuple(doc.sents)
    of = [0] * len(doc)
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            of[i] = k
    number = tuple(of)
    _index.insert(0, (doc, len(doc), sents, number))
    del _index[_KEEP:]
    return sents, number


def sent_of(tok: Token) -> Span:
    """``tok.sent``, without a walk over the whole document on each call."""
    sents, number = sentences(tok.doc)
    return sents[number[tok.i]]
