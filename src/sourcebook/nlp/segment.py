"""Paragraph breaks are sentence breaks: component ``sourcebook_paragraphs_v1``.

Runs before the parser and marks the first token after a line break as a sentence start, which
the parser respects.  Without it a headline or a paragraph ending without a full stop runs on
into the next paragraph, and so would a speaker's description.
"""

from spacy.language import Language
from spacy.tokens import Doc

NAME = "sourcebook_paragraphs_v1"


@Language.component(NAME)
def mark_paragraphs(doc: Doc) -> Doc:
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.whitespace_ or (prev.is_space and "\n" in prev.text):
            tok.is_sent_start = True
    return doc
