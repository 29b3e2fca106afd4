"""Anonymity reasons: why a source is not named, when the text says so.

Component ``sourcebook_anonymity_v1`` runs after attribution.  It finds the explanations listed as
regular expressions in ``lexicon/anonymity_phrases.txt`` ("speaking on condition that he not be
named", "asked not to be named for safety concerns", "because he was not authorized to speak
publicly", ...), extends each to the end of its clause, and gives it to the unnamed source that the
sentence is about: the source mentioned or cued nearest to it in the same sentence.

It never links a description to a name: a reason whose nearest source is named is left alone, and
nothing here looks for who an anonymous source might be.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .. import lexicon
from . import registry
from ..record import Span

NAME = "sourcebook_anonymity_v1"

_CLAUSE_END = re.compile(r"[,.;:!?\"“”—–()\n]")
_LEAD = re.compile(r"(?:who|and|but|,)\s+", re.I)  # used with .match(text, pos): anchored at pos


@registry.component(NAME)
def make_anonymity(nlp: Language, name: str):
    return AnonymityReasons()


def find_reasons(text: str, patterns: list[re.Pattern]) -> list[tuple[int, int]]:
    """Character ranges of anonymity explanations, each running to the end of its clause."""
    found: list[tuple[int, int]] = []
    for rx in patterns:
        for m in rx.finditer(text):
            start = m.start()
            lead = _LEAD.match(text, start, m.end())
            if lead:
                start = lead.end()
            end_m = _CLAUSE_END.search(text, m.end())
            end = end_m.start() if end_m else len(text)
            while end > start and text[end - 1].isspace():
                end -= 1
            found.append((start, end))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


class AnonymityReasons:
    def __init__(self) -> None:
        self.patterns = [re.compile(p, re.I) for p in lexicon.phrases("anonymity_phrases")]

    def __call__(self, doc: Doc) -> Doc:
        sources = doc._.sb_sources or []
        if not sources:
            return doc
        text = doc.text
        reasons = find_reasons(text, self.patterns)
        if not reasons:
            return doc
        # a reason ends where the statement it explains begins: "... not authorized to brief
        # reporters said the group ..." stops before "said"
        cue_starts = sorted(q.cue.start for q in doc._.sb_quotes or [] if q.cue is not None)
        trimmed = []
        for start, end in reasons:
            for c in cue_starts:
                if start < c < end:
                    end = c
                    break
            while end > start and text[end - 1].isspace():
                end -= 1
            trimmed.append((start, end))
        reasons = trimmed
        # every place a source is referred to: its mentions and the cues of its quotes
        anchors: list[tuple[int, int, object]] = []
        by_id = {s.id: s for s in sources}
        for s in sources:
            for m in s.mentions:
                anchors.append((m.start, m.end, s))
        for q in doc._.sb_quotes or []:
            if q.cue is not None and q.source in by_id:
                anchors.append((q.cue.start, q.cue.end, by_id[q.source]))
        for start, end in reasons:
            sent = doc.char_span(start, end, alignment_mode="expand")
            if sent is None or not len(sent):
                continue
            s0, s1 = sent[0].sent.start_char, sent[-1].sent.end_char
            best, dist = None, None
            for a, b, src in anchors:
                if not (s0 <= a < s1):
                    continue
                d = start - b if b <= start else a - end + 1000  # prefer what comes before
                if d < 0:
                    d = 0
                if dist is None or d < dist:
                    best, dist = src, d
            if best is None or not best.anonymous or best.anonymity_reason is not None:
                continue
            best.anonymity_reason = Span.of(text, start, end)
        return doc
