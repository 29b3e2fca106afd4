"""Anonymity reasons: why a source is not named, wherever the article says it.

Component ``sourcebook_anonymity_v2`` runs after attribution.  It finds the explanations listed as
regular expressions in ``lexicon/anonymity_phrases.txt`` ("speaking on condition that he not be
named", "asked not to be named for safety concerns", "because he was not authorized to speak
publicly", "declined to be identified, fearing reprisals", ...), extends each to the end of its clause,
and gives it to the unnamed sources it is about:

- a reason inside a source's own description ("the military source, a senior officer who requested
  anonymity, said") or next to its cue belongs to that source;
- a reason in a sentence of its own ("The guards spoke on condition of anonymity because ...") belongs
  to whoever the sentence's subject points back to, read the way attribution links mentions: "he" /
  "she" to the latest person cited, "they", "all", "both", "the two" to the unnamed sources just cited,
  "the officials" / "the guards" to the unnamed sources with that head word;
- a reason split over two sentences ("spoke on condition of anonymity. He was not authorized to speak
  to the press.") is one span when both sentences are about the same sources.

It never links a description to a name: a reason whose subject is a named source is left alone, a
named source never receives one, and nothing here looks for who an anonymous source might be.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from .. import lexicon
from ..record import Source, Span
from . import registry
from .sents import sent_of

NAME = "sourcebook_anonymity_v2"

_CLAUSE_END = re.compile(r"[,.;:!?\"“”—–()\n]")
_LEAD = re.compile(r"(?:who|and|but|,)\s+", re.I)  # used with .match(text, pos): anchored at pos
_SUBJ = ("nsubj", "nsubjpass", "csubj")
_PLURAL_WORDS = {"they", "all", "both", "each", "neither", "none", "two", "three", "four"}
_GENERIC_HEADS = {"source", "official", "people", "person", "man", "woman", "men", "women", "resident", "witness"}
#: how far back (characters) a reason sentence may point
_WINDOW = 1500


@dataclass(frozen=True, slots=True)
class Anchor:
    """A place where a source is referred to: one of its mentions or the cue of one of its quotes."""

    start: int
    end: int
    source: Source


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
        self.pronouns = {row[0].lower(): (row[1], row[2]) for row in lexicon.table("pronouns")}

    def __call__(self, doc: Doc) -> Doc:
        sources = doc._.sb_sources or []
        if not sources:
            return doc
        reasons = find_reasons(doc.text, self.patterns)
        if reasons:
            _Pass(self, doc, sources).assign(reasons)
        return doc


class _Pass:
    """One document: the anchors of its sources, and who each reason is about."""

    def __init__(self, cfg: AnonymityReasons, doc: Doc, sources: list[Source]) -> None:
        self.cfg = cfg
        self.doc = doc
        self.text = doc.text
        self.sources = sources
        by_id = {s.id: s for s in sources}
        anchors = [Anchor(m.start, m.end, s) for s in sources for m in s.mentions]
        anchors += [Anchor(q.cue.start, q.cue.end, by_id[q.source]) for q in doc._.sb_quotes or []
                    if q.cue is not None and q.source in by_id]
        self.anchors = sorted(anchors, key=lambda a: a.start)
        self.cue_starts = sorted(q.cue.start for q in doc._.sb_quotes or [] if q.cue is not None)

    def assign(self, reasons: list[tuple[int, int]]) -> None:
        spans: dict[str, list[tuple[int, int]]] = {}
        for start, end in reasons:
            end = self.trim(start, end)
            for src in self.holders(start, end):
                if src.anonymous and src.anonymity_reason is None:
                    spans.setdefault(src.id, []).append((start, end))
        for src in self.sources:
            if src.id in spans:
                src.anonymity_reason = Span.of(self.text, *self.join(spans[src.id]))

    def trim(self, start: int, end: int) -> int:
        """A reason ends where the statement it explains begins ("... not authorized to brief reporters
        said the group ..." stops before "said")."""
        for c in self.cue_starts:
            if start < c < end:
                end = c
                break
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return end

    def join(self, spans: list[tuple[int, int]]) -> tuple[int, int]:
        """One span for a source: the first reason, run on over the next when that follows in the
        next sentence of the same paragraph ("... anonymity. He was not authorized to ...")."""
        spans = sorted(spans)
        s, e = spans[0]
        for s2, e2 in spans[1:]:
            gap = self.text[e:s2]
            if len(gap) < 60 and "\n\n" not in gap and gap.count(".") <= 1:
                e = max(e, e2)
            else:
                break
        return s, e

    # ------------------------------------------------------------------ who a reason is about
    def holders(self, start: int, end: int) -> list[Source]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return []
        sent = sent_of(span[0])
        own = [a for a in self.anchors if a.start <= start and end <= a.end]  # inside a description
        if own:
            return [own[-1].source]
        subj = self.reason_subject(span, sent)
        in_sent = [a for a in self.anchors if sent.start_char <= a.start < sent.end_char]
        if subj is None or any(a.start <= subj.idx < a.end for a in in_sent):
            return self.nearest(start, end, in_sent)
        return self.pointed_back(subj, sent)

    def nearest(self, start: int, end: int, anchors: list[Anchor]) -> list[Source]:
        """The source referred to nearest the reason in its sentence, preferring what comes before."""
        best, dist = None, None
        for a in anchors:
            d = max(0, start - a.end) if a.end <= start else a.start - end + 1000
            if dist is None or d < dist:
                best, dist = a.source, d
        return [best] if best is not None else []

    def reason_subject(self, span: SpacySpan, sent: SpacySpan) -> Token | None:
        """The subject of the clause the reason hangs on ("The guards spoke on condition ...": guards)."""
        t = span.root
        for _ in range(4):
            subj = next((c for c in t.children if c.dep_ in _SUBJ), None)
            if subj is not None:
                return subj
            if t.head == t:
                break
            t = t.head
        return next((c for c in sent.root.children if c.dep_ in _SUBJ), None)

    def window(self, before: int) -> list[Source]:
        """Sources referred to in the stretch before ``before``, latest last, each once."""
        seen: dict[str, Source] = {}
        for a in self.anchors:
            if before - _WINDOW <= a.start < before:
                seen.pop(a.source.id, None)
                seen[a.source.id] = a.source
        return list(seen.values())

    def pointed_back(self, subj: Token, sent: SpacySpan) -> list[Source]:
        """The sources a reason sentence's subject points back to (never a named one)."""
        recent = self.window(sent.start_char)
        if not recent:
            return []
        word = subj.lower_
        words = {t.lower_ for t in subj.subtree}
        if word in self.cfg.pronouns and self.cfg.pronouns[word][0] == "sg":
            people = [s for s in recent if s.kind == "person"]
            return people[-1:] if people and people[-1].anonymous else []
        anon = [s for s in recent if s.anonymous]
        if "both" in words or "two" in words:
            return anon[-2:]
        if word in _PLURAL_WORDS or words & {"all", "each"}:
            return anon
        head = subj.lemma_.lower()
        same = [s for s in anon if (s.head or "").lower().rstrip("s") == head.rstrip("s")
                or head in (s.role or "").lower().split()]
        if same:
            return same
        return anon if subj.tag_ in ("NNS", "NNPS") and head in _GENERIC_HEADS else []
