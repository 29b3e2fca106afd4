"""The sentence of a token, from an index built once per document.

spaCy's ``Token.sent`` checks the whole document's sentence annotation on every call, which made
it one of the costliest calls of the pipeline (per candidate, per token).  ``sent_of(tok)`` gives
the same span from the boundaries of ``doc.sents``, read once per document (the last few documents
are kept; a document is recognised by identity and length).  Components call it after the parser.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

_KEEP = 4
_index: list[tuple[Doc, int, list[tuple[int, int]]]] = []


def _bounds(doc: Doc) -> list[tuple[int, int]]:
    for d, n, bounds in _index:
        if d is doc and n == len(doc):
            return bounds
    bounds = [(0, 0)] * len(doc)
    for s in doc.sents:
        for i in range(s.start, s.end):
            bounds[i] = (s.start, s.end)
    _index.insert(0, (doc, len(doc), bounds))
    del _index[_KEEP:]
    return bounds


def sent_of(tok: Token) -> Span:
    """``tok.sent``, without a walk over the whole document on each call."""
    a, b = _bounds(tok.doc)[tok.i]
    return tok.doc[a:b]
