"""Statements the article reports without anyone to hold them (``REPORTER`` in
shared/gold/GUIDELINES.md): "fighting that has reportedly killed 6,000 people", "the soldiers were
said to be on leave", "deaths were reported on both sides", "amid reports of more talks".

A hedge of thought with no holder ("is thought", "are believed") stays no quote; a passive with an
agent ("was reported by state media") is left to the cue rules; these run last and take only text no
other attribution has read."""

from __future__ import annotations

from spacy.tokens import Token

from .base import SUBJ_DEPS, RunBase, _chars, _lemma, _Src, _trim

#: verbs whose agentless passive reports a statement ("were said to", "were reported")
_PASSIVE_SAYING = {"say", "report"}
#: the only words this pass looks at (a quick filter before the parse is read)
_REPORT_WORDS = {"reportedly", "said", "reported", "reports", "report"}
#: words before "reports of X" that leave the reports without a holder ("amid reports of")
_REPORTS_AFTER = {"amid", "amidst", "despite", "after", "following", "with"}


class ReporterClaims(RunBase):

    def reporter_claims(self) -> None:
        # the article itself: never one of self.sources, so its items come out with source REPORTER
        self.reporter = _Src(id="REPORTER", name=None, mention=(0, 0), head="", anonymous=False, role=None,
                             affiliation=None, kind="document", number="sg")
        for tok in self.doc:
            if tok.lower_ not in _REPORT_WORDS or self.in_quote(tok.idx) is not None or self.is_claimed(tok.idx):
                continue
            found = self.reportedly(tok) or self.agentless_passive(tok) or self.reports_of(tok)
            if found is None:
                continue
            (i, j), cue = found
            i, j = _trim(self.doc, i, j)
            if j - i < 3:
                continue
            start, end = _chars(self.doc, i, j)
            if any(s < end and start < e for s, e in self.claimed):
                continue  # part of a statement someone is quoted as making
            typ = "mixed" if any(start <= q.open < end for q in self.marks) else "indirect"
            self.add(start, end, typ, cue, self.reporter, 0.6)

    def reportedly(self, tok: Token):
        """"fighting that has reportedly killed 6,000 people": the clause (with the noun a relative
        clause describes)."""
        if tok.lower_ != "reportedly" or tok.head == tok:
            return None
        verb = tok.head
        if verb.dep_ == "relcl":
            return (verb.head.left_edge.i, verb.right_edge.i + 1), _chars(self.doc, tok.i, tok.i + 1)
        return self.clause(verb), _chars(self.doc, tok.i, tok.i + 1)

    def agentless_passive(self, tok: Token):
        """"The soldiers were said to be on leave", "Deaths were reported on both sides"."""
        if _lemma(tok) not in _PASSIVE_SAYING or tok.tag_ != "VBN":
            return None
        aux = [c for c in tok.children if c.dep_ == "auxpass"]
        subj = [c for c in tok.children if c.dep_ == "nsubjpass"]
        if not aux or not subj or any(c.dep_ == "agent" for c in tok.children):
            return None
        if subj[0].lower_ in ("it", "this", "that", "which", "who") or tok.dep_ not in ("ROOT", "conj", "ccomp"):
            return None  # "it is said, ...", "which was reported live": no statement of its own here
        return self.clause(tok), _chars(self.doc, aux[0].i, tok.i + 1)

    def reports_of(self, tok: Token):
        """"amid reports of more talks", "there were still reports of shelling": what is reported."""
        if tok.lower_ not in ("reports", "report") or tok.pos_ != "NOUN":
            return None
        if any(c.dep_ in ("poss", "compound", "amod", "det") and c.lower_ not in ("no",) for c in tok.children):
            return None  # "Reuters reports of", "the report of": someone's report
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        head = tok.head
        no_holder = head.lower_ in _REPORTS_AFTER and tok.dep_ == "pobj" or \
            _lemma(head) == "be" and any(c.dep_ == "expl" for c in head.children)
        if of is None or not no_holder:
            return None
        objs = [c for c in of.children if c.dep_ in ("pobj", "pcomp")]
        if not objs:
            return None
        return (objs[0].left_edge.i, objs[0].right_edge.i + 1), _chars(self.doc, tok.i, tok.i + 1)

    def clause(self, verb: Token) -> tuple[int, int]:
        """The clause a verb heads, without a clause it introduces after a comma or a conjunction."""
        i = verb.left_edge.i
        j = verb.right_edge.i + 1
        for c in verb.children:
            if c.i > verb.i and c.dep_ in ("conj", "cc", "advcl", "parataxis") and \
                    (c.dep_ != "advcl" or any(g.dep_ in SUBJ_DEPS for g in c.children)):
                j = min(j, c.left_edge.i)
        return i, j
