"""Paragraphs: where one ends and the next begins, and component ``sourcebook_paragraphs_v1``.

A blank line always ends a paragraph.  A single line break ends one only when the line before
ends a sentence (``. ! ? :`` or a closing quotation mark or bracket): hard-wrapped text (lines
broken mid-sentence, often indented) then reads as the running text it is.

The component runs before the parser and marks the first token of each paragraph as a sentence
start, which the parser respects; without it a headline or a paragraph ending with no full stop
runs on into the next paragraph, and so would a speaker's description.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from . import registry

NAME = "sourcebook_paragraphs_v1"

_BREAK_RE = re.compile(r"[ \t\u00a0]*\n\s*")
_SENTENCE_END = set('.!?:"”’»)]…')


def paragraph_breaks(text: str) -> list[tuple[int, int]]:
    """Character ranges of the white space that separates paragraphs."""
    out = []
    for m in _BREAK_RE.finditer(text):
        ws = m.group(0)
        if ws.count("\n") >= 2:
            out.append((m.start(), m.end()))
            continue
        k = m.start() - 1
        if k < 0 or m.end() >= len(text) or text[k] in _SENTENCE_END:
            out.append((m.start(), m.end()))
    return out


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Character ranges of the paragraphs (without their separating white space)."""
    out, pos = [], 0
    for s, e in paragraph_breaks(text):
        if s > pos:
            out.append((pos, s))
        pos = e
    if pos < len(text):
        out.append((pos, len(text)))
    return out


@registry.component(NAME)
def make_paragraphs(nlp: Language, name: str):
    return mark_paragraphs


def mark_paragraphs(doc: Doc) -> Doc:
    starts = {e for _s, e in paragraph_breaks(doc.text)}
    if not starts:
        return doc
    for tok in doc[1:]:
        if tok.idx in starts:
            tok.is_sent_start = True
    return doc
