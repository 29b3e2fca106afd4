"""What every step reads about the Doc once: sentences and entities per sentence (``DocContext``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from ..sents import sentences


@dataclass(slots=True)
class DocContext:
    """The Doc with its text, sentence index per token, sentence ends, entities per sentence, the
    publication date (``doc._.sb_published``), the quotes of attribution (``doc._.sb_quotes``) and
    the places of the places component (``doc._.sb_places``, empty when it is not in the pipeline)."""

    doc: Doc
    text: str
    published: str | None
    sent_of: Sequence[int]  # for every token, the index of its sentence
    sent_end: list[int]  # for every sentence, its end token
    sent_ents: list[list[Span]]  # for every sentence, its entities
    quotes: list  # record.Quote, longest first at each start
    places: list  # record.Place
    claimed: set[int] = field(default_factory=set)  # tokens of figures read as their own ("1 from France")
    taken: set[int] = field(default_factory=set)  # tokens of every figure (no place of another figure)

    @classmethod
    def of(cls, doc: Doc) -> "DocContext":
        sents, sent_of = sentences(doc)
        sent_ents: list[list[Span]] = [[] for _ in sents]
        for ent in doc.ents:
            sent_ents[sent_of[ent.start]].append(ent)
        quotes = sorted(doc._.sb_quotes or [], key=lambda qq: (qq.start, -(qq.end - qq.start)))
        places = list(doc._.sb_places or [])
        return cls(doc, doc.text, doc._.sb_published, sent_of, [s.end for s in sents], sent_ents, quotes, places)

    def same_sentence(self, i: int, j: int) -> bool:
        return self.sent_of[i] == self.sent_of[j]
