"""The learned step: candidates from the parse, scored by the trained model, added where the rules
found nothing (the combination the ablation in docs/attribution.md chose), with their speakers found
the way the rules find them."""

from __future__ import annotations

from spacy.tokens import Token

from ..sents import sent_of
from . import model
from .base import _Src
from .candidates import Candidate, admissible, candidates
from .cues import CueRules

_QUOTE_KINDS = ("quote_after", "quote_before")


class LearnedAttribution(CueRules):

    def learned(self, weights: model.Weights, threshold: float | None = None, broad: bool = False) -> None:
        doc = self.doc
        read = {it.cue for it in self.items if it.cue is not None}  # cues the rules already read
        cands = [c for c in candidates(doc, self.marks)
                 if self.usable(c) and admissible(doc, c, weights.speech_lemmas, self.cfg.frames, broad,
                                                  self.cfg.attempt_verbs)
                 and c.cue_chars(doc) not in read]
        if not cands:
            return
        probs = weights.scores(doc, cands, self.cfg, weights.domain(broad))
        for c, p in model.decode(doc, cands, probs, weights.threshold_for(broad) if threshold is None else threshold):
            start, end = self.content_chars(c)
            if any(min(end, it.end) - max(start, it.start) > 0 for it in self.items):
                continue  # the rules already read this stretch
            src = self.learned_speaker(c)
            if src is None:
                continue
            self.add(start, end, self.learned_type(c, start, end), c.cue_chars(doc), src, round(p, 2), via="learned")

    def usable(self, c: Candidate) -> bool:
        """Cues inside a direct quote belong to the quoted speaker; cue words inside an anonymity
        explanation ("who asked not to be named") are no cues."""
        cue_char = self.doc[c.cue].idx
        q = self.in_quote(cue_char)
        if q is not None and not self.mark_is_short(q):
            return False
        return not any(s <= cue_char < e for s, e in self.anon_ranges)

    def learned_speaker(self, c: Candidate) -> _Src | None:
        doc = self.doc
        tok: Token = doc[c.cue]
        sent = sent_of(tok)
        if c.kind == "according_to":
            objs = [o for o in doc[c.cue + 1].children if o.dep_ == "pobj"]
            if not objs:
                return None
            return self.resolve(objs[0].left_edge.i, objs[0].right_edge.i + 1)
        return self.speaker_from(tok, self.subject(tok), sent, c.cue_end)

    def content_chars(self, c: Candidate) -> tuple[int, int]:
        """The content's characters: a quotation's own marks bound it, not the tokens around them."""
        start, end = c.chars(self.doc)
        if c.kind in _QUOTE_KINDS:
            for q in self.marks:
                if start - 2 <= q.start <= start + 2 or q.start <= start < q.end:
                    return q.start, q.end
        return start, end

    def learned_type(self, c: Candidate, start: int, end: int) -> str:
        if c.kind in _QUOTE_KINDS:
            self.used_marks.update(q.open for q in self.marks if start - 2 <= q.open <= start)
            return "direct"
        if any(start <= q.open < end for q in self.marks):
            return "mixed"
        return "indirect"
