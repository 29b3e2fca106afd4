"""Events: who did what to whom, where and when, according to whom, in the PLOVER ontology.

Component ``sourcebook_events_v2`` runs after attribution, counts, places and dates on the parsed
Doc and writes a list of ``record.Event`` to ``doc._.sb_events``.

1. **Triggers** are verbs and nouns listed in ``lexicon/event_triggers.tsv`` with a PLOVER type and
   mode, some only with a condition on their object or modifiers ("hit the streets" is PROTEST,
   "air strike" ASSAULT aerial, "hunger strike" PROTEST hunger).  Words inside names (entities,
   dictionary actors) and nouns used as modifiers are not triggers.
2. **Actor and recipient** come from the dependency parse: subject and object of an active verb,
   "by" agent and passive subject of a passive one, "against"/"on"/"at"/"to"/"with" phrases for
   the recipient; a noun trigger takes its actor from a modifier ("rebel offensive"), a "by" phrase
   or the subject of the light verb that governs it ("rebels launched offensives", ``event_frames.tsv``
   role ``light``); non-finite verbs take the subject of the clause that governs them ("countries ...
   have been aggressive in arresting"), participles and relative clauses their head noun.
   Coordinated actors make one event each ("Belgium and the U.K. ... arresting" is two events), as do
   members listed after a generic plural ("countries from Belgium and the U.K. to Tunisia").
   Actor phrases are normalized by ``actors.ActorResolver`` (dictionary, country, sector, pronouns).
3. **Frames** (``event_frames.tsv``): an event under a threat word ("ultimatum threatening to expel
   ISIS", "vowed to attack") becomes one THREATEN event whose mode comes from the threatened act;
   cooperation under a promise ("pledged to help") becomes AGREE; an event under a refusal becomes
   REJECT; plans, attempts and fears make it hypothetical.
4. **Negated** (not, never, no, without) and **hypothetical** ("if", modal verbs, frames above).
5. **Place**: a place (``doc._.sb_places``) in an "in/at/near/across/..." phrase of the trigger or
   of its clause; **time**: a resolved date (``doc._.sb_dates``) attached to the trigger or its clause.
6. **Source**: the Source of the quote (``doc._.sb_quotes``) whose content holds the trigger, else
   ``REPORTER``; ``quote`` names that quote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from spacy.language import Language
from spacy.tokens import Doc, Token

from .. import lexicon
from ..record import REPORTER, Event
from . import registry
from .actors import ActorResolver
from .sents import sent_of

NAME = "sourcebook_events_v2"

_COOPERATIVE = {"AID", "COOPERATE", "CONSULT", "SUPPORT", "AGREE"}
#: events that, said of someone by someone else, make an accusation
_HOSTILE = {"ASSAULT", "COERCE"}
#: verbs whose subject receives what the "from" phrase gives
_RECEIVE_VERBS = {"receive", "obtain", "get", "accept"}
#: documents that carry an act ("arrest warrant for X"): the act takes the document's roles
_DOCUMENT_NOUNS = {"warrant", "order", "notice"}
_CONFLICT = {"ASSAULT", "COERCE", "SANCTION", "MOBILIZE"}
_RECIPIENT_PREPS = {
    "ASSAULT": ("against", "on", "upon", "with"),
    "COERCE": ("against", "on"),
    "PROTEST": ("against", "outside"),
    "THREATEN": ("against",),
    "REQUEST": ("on", "to"),
    "ACCUSE": ("against", "of"),
    "REJECT": (),
    "AGREE": ("with", "to"),
    "CONSULT": ("with",),
    "SUPPORT": ("for",),
    "CONCEDE": ("to",),
    "COOPERATE": ("with",),
    "AID": ("to", "for"),
    "RETREAT": (),
    "SANCTION": ("on", "against", "to"),
    "MOBILIZE": ("against",),
}
#: nouns whose "of" phrase is the one the act was done to ("execution of fighters")
_OF_RECIPIENT_TYPES = {"ASSAULT", "COERCE", "RETREAT", "ACCUSE"}
#: "fight with X" is ambiguous (X may be an ally): only these take "with" as the other side
_WITH_OPPONENT = {"clash", "firefight", "gunfight", "shootout", "skirmish"}
#: objects that are the instrument or content of the act, not the one it is done to ("send aid to X")
_INSTRUMENTS = {"aid", "assistance", "arm", "arms", "weapon", "support", "help", "shelter", "asylum", "training",
                "fund", "money", "food", "supply", "missile", "rocket", "mortar", "shell", "battery", "artillery",
                "troop", "troops", "force", "soldier", "sanction", "siege", "blockade", "ban", "curfew", "embargo",
                "agreement", "accord", "deal", "treaty", "pact", "talk", "talks", "relation", "tie", "cooperation",
                "funding", "street", "summit", "meeting", "conference", "ultimatum", "warning", "threat", "way",
                "part", "role", "niqab", "veil", "restriction", "rule", "law", "step", "measure", "attack",
                "offensive", "strike", "evidence", "statement", "investigation", "request"}
_NOT_RECIPIENTS = {"home", "border", "time", "night", "day", "moment", "point", "area", "ground", "way", "basis",
                   "behalf", "condition", "street", "streets", "scene", "spot", "front"}
_PLACE_PREPS = {"in", "at", "near", "across", "inside", "throughout", "outside", "around", "into", "over",
                "on", "from", "within"}
_NEG_WORDS = {"not", "n't", "never", "no", "without", "neither", "nor"}
_MODALS = {"will", "would", "could", "might", "may", "should", "must", "shall", "'ll", "wo", "ca"}
_HYPO_MARKS = {"if", "unless", "whether", "lest"}
_CLIMB = {"xcomp", "advcl", "pcomp", "acomp", "ccomp", "conj", "prep", "pobj", "dobj", "attr", "oprd"}
_GENERIC_PLURALS = {"countries", "governments", "states", "nations", "groups", "factions", "organizations",
                    "forces", "powers", "allies"}
_MEMBER_PREPS = {"from", "to", "including", "like", "as"}
_THREAT_MODE = {
    ("COERCE", "arrest"): "arrest",
    ("COERCE", "deport"): "expel",
    ("SANCTION", "expel"): "expel",
    ("COERCE", "restrict"): "restrict",
    ("COERCE", "ban"): "restrict",
    ("COERCE", "curfew"): "restrict",
    ("COERCE", "seize"): "territory",
}


@dataclass(frozen=True, slots=True)
class Trigger:
    lemma: str
    pos: str  # V | N | *
    type: str
    mode: str | None
    cond: str | None  # "obj" | "mod" | "prep" | "prt" | "pobj"
    values: frozenset[str]


@lru_cache(maxsize=1)
def triggers() -> dict[str, list[Trigger]]:
    out: dict[str, list[Trigger]] = {}
    for row in lexicon.table("event_triggers"):
        if len(row) < 3:
            continue
        cond: str | None = None
        values: frozenset[str] = frozenset()
        if len(row) > 4 and "=" in row[4]:
            k, v = row[4].split("=", 1)
            cond, values = k.strip(), frozenset(x.strip().lower() for x in v.split("|") if x.strip())
        t = Trigger(row[0].lower(), row[1].upper() or "*", row[2].upper(), (row[3] if len(row) > 3 else "") or None,
                    cond, values)
        out.setdefault(t.lemma, []).append(t)
    for lst in out.values():
        lst.sort(key=lambda t: t.cond is None)  # conditional rows first
    return out


@lru_cache(maxsize=1)
def frames() -> dict[str, str]:
    return {row[0].lower(): row[1].lower() for row in lexicon.table("event_frames") if len(row) >= 2}


def lemmas(tok: Token) -> tuple[str, ...]:
    """The lemma, and guesses for forms the lemmatizer left alone ("staged" -> "stage")."""
    lem = tok.lemma_.lower()
    low = tok.lower_
    out = [lem]
    if tok.tag_ in ("VBD", "VBN") and low.endswith("ed") and (lem == low or not lem.endswith("e")):
        # the lemmatizer leaves some forms alone and cuts others too short ("staged" -> "stag")
        out += [low[:-1], low[:-2]]
        if len(low) > 4 and low[-3] == low[-4]:
            out.append(low[:-3])
    elif lem == low and tok.tag_ == "VBG" and low.endswith("ing"):
        out += [low[:-3], low[:-3] + "e"]
    elif lem == low and tok.tag_ in ("NNS", "VBZ") and low.endswith("s"):
        out.append(low[:-1])
    if low not in out:
        out.append(low)
    return tuple(out)


def frame_of(tok: Token) -> str | None:
    fr = frames()
    for lem in lemmas(tok):
        if lem in fr:
            return fr[lem]
    return None


def _fits(t: Trigger, tok: Token) -> bool:
    if t.pos == "V" and tok.pos_ not in ("VERB", "AUX"):
        return False
    if t.pos == "N" and tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if t.pos == "*" and tok.pos_ not in ("VERB", "NOUN", "AUX"):
        return False
    if t.cond is None:
        return True
    kids = list(tok.children)
    if t.cond == "obj":
        return any(c.dep_ in ("dobj", "obj", "nsubjpass") and c.lemma_.lower() in t.values for c in kids)
    if t.cond == "mod":
        return any(c.dep_ in ("compound", "amod", "nmod") and c.lemma_.lower() in t.values for c in kids)
    if t.cond == "prep":
        return any(c.dep_ in ("prep", "dative") and c.lower_ in t.values for c in kids)
    if t.cond == "prt":
        return any(c.dep_ == "prt" and c.lower_ in t.values for c in kids)
    if t.cond == "noobj":
        return not any(c.dep_ in ("dobj", "obj") for c in kids)
    if t.cond == "pobj":
        return any(c.dep_ == "prep" and any(o.lemma_.lower() in t.values for o in c.children) for c in kids)
    if t.cond == "noprep":
        return not any(c.dep_ == "prep" and c.lower_ in t.values for c in kids)
    return False


def match(tok: Token) -> Trigger | None:
    """The trigger row that ``tok`` fits, or None."""
    rows = None
    for lem in lemmas(tok):
        rows = triggers().get(lem)
        if rows:
            break
    if not rows:
        return None
    for t in rows:
        if _fits(t, tok):
            return t
    return None


@dataclass(slots=True)
class _Cand:
    tok: Token
    trig: Trigger
    type: str
    mode: str | None
    actor_heads: list[Token] = field(default_factory=list)
    recipient_head: Token | None = None
    negated: bool = False
    hypothetical: bool = False
    modal: bool = False
    dropped: bool = False


class EventFinder:
    #: an actor's description (``_Finder._describe``, the component)
    _describe: Callable[..., dict[str, Any] | None]

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        triggers()
        frames()

    # -- structure helpers --------------------------------------------------------------------------

    @staticmethod
    def _is_passive(v: Token) -> bool:
        if any(c.dep_ in ("auxpass", "nsubjpass", "csubjpass") for c in v.children):
            return True
        if v.tag_ == "VBN" and any(c.dep_ == "agent" for c in v.children):
            return True  # "Smugglers detained by the navy ..." parsed with an active subject
        return v.tag_ == "VBN" and v.dep_ in ("acl", "amod") and not any(c.dep_ == "aux" for c in v.children)

    @staticmethod
    def _child(v: Token, deps: tuple[str, ...]) -> Token | None:
        for c in v.children:
            if c.dep_ in deps:
                return c
        return None

    def _subject(self, v: Token, depth: int = 0) -> tuple[Token | None, bool]:
        """(the subject of ``v`` or of the clause that governs it, whether it is a passive subject)."""
        s = self._child(v, ("nsubj", "csubj"))
        if s is not None:
            return s, False
        s = self._child(v, ("nsubjpass",))
        if s is not None:
            return s, True
        if depth > 6 or v.head == v:
            return None, False
        if v.dep_ in ("acl", "relcl") and v.head.pos_ in ("NOUN", "PROPN", "PRON"):
            if v.dep_ == "acl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
                return None, False  # "a reason to fight": the noun is not the agent
            if v.dep_ == "acl" and v.tag_ == "VBN":
                return v.head, True  # "people killed by ..."
            return v.head, False
        if v.dep_ == "conj":
            return self._subject(v.head, depth + 1)
        if v.dep_ == "xcomp" and v.head.lemma_.lower() not in ("promise", "vow", "pledge"):
            obj = self._child(v.head, ("dobj", "obj"))
            if obj is not None:  # object control: "asked the army to withdraw" -> the army withdraws
                return obj, False
        if v.dep_ in _CLIMB:
            h = v.head
            # a noun in a prepositional phrase: its governing verb
            return self._subject(h, depth + 1)
        return None, False

    def _prep_object(self, tok: Token, preps: tuple[str, ...]) -> Token | None:
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps:
                for o in c.children:
                    if o.dep_ == "pobj":
                        if o.ent_type_ in ("DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY") \
                                or o.lemma_.lower() in _NOT_RECIPIENTS or o.lemma_.lower() in _INSTRUMENTS:
                            return None
                        return o
                if c.dep_ == "dative" and c.pos_ in ("PRON", "NOUN", "PROPN"):
                    return c
        return None

    def _governing_verb(self, n: Token) -> Token | None:
        """For a noun trigger: the (light) verb whose object or prepositional object it is."""
        h = n
        for _ in range(3):
            if h.dep_ in ("dobj", "obj", "attr", "oprd", "nsubjpass"):
                return h.head if h.head.pos_ in ("VERB", "AUX") else None
            if h.dep_ == "pobj" and h.head.dep_ == "prep" and h.head.head.pos_ in ("VERB", "AUX"):
                return h.head.head
            if h.dep_ == "conj":
                h = h.head
                continue
            break
        return None

    # -- candidates ---------------------------------------------------------------------------------

    def _candidates(self, doc: Doc, actors: ActorResolver) -> list[_Cand]:
        out: list[_Cand] = []
        for tok in doc:
            if not tok.is_alpha and "-" not in tok.text:
                continue
            if tok.ent_type_ in ("PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "WORK_OF_ART", "LAW", "EVENT",
                                 "DATE", "TIME", "CARDINAL"):
                continue
            if actors.in_alias(tok):
                continue
            if tok.pos_ in ("NOUN", "PROPN") and tok.dep_ in ("compound", "amod", "nmod") and \
                    tok.head.lemma_.lower() not in ("warrant",):
                continue
            if tok.dep_ == "amod" or (tok.tag_ == "VBN" and tok.dep_ == "amod"):
                continue
            trig = match(tok)
            if trig is None:
                continue
            if tok.pos_ == "PROPN" and tok.is_title and tok.i > sent_of(tok).start:
                continue  # "Strike Force", a name
            out.append(_Cand(tok, trig, trig.type, trig.mode))
        return out

    def _roles(self, c: _Cand, actors: ActorResolver) -> None:
        tok = c.tok
        actor_heads: list[Token] = []
        recipient: Token | None = None
        preps = _RECIPIENT_PREPS.get(c.type, ())
        if tok.lemma_.lower() in ("fight", "battle", "combat", "fighting"):
            preps = tuple(p for p in preps if p != "with")
        if tok.pos_ in ("VERB", "AUX"):
            passive = self._is_passive(tok)
            subj, subj_passive = self._subject(tok)
            if passive:
                agent = self._child(tok, ("agent",))
                if agent is not None:
                    obj = self._child(agent, ("pobj",))
                    if obj is not None:
                        actor_heads = [obj]
                if subj is not None:
                    recipient = subj
            else:
                if subj is not None and not subj_passive:
                    actor_heads = [subj]
                elif subj is not None and subj_passive:
                    # a non-finite verb under a passive clause: "were being trained to carry out"
                    actor_heads = [subj]
                recipient = self._child(tok, ("dobj", "obj"))
                if recipient is not None and recipient.lemma_.lower() in _INSTRUMENTS | _NOT_RECIPIENTS:
                    recipient = None
                if recipient is None and preps:
                    recipient = self._prep_object(tok, preps)
                if recipient is None and tok.lemma_.lower() in ("fire", "shoot", "launch", "aim"):
                    recipient = self._prep_object(tok, ("at", "on", "against", "into"))
                # "hit the streets against ISIS"
                if c.type == "PROTEST" and recipient is None:
                    recipient = self._prep_object(tok, ("against",))
        else:  # a noun
            for ch in tok.children:
                if ch.dep_ in ("poss", "compound", "amod", "nmod") and ch.i < tok.i:
                    desc = actors.describe(ch)
                    if desc and (desc.get("sector") or desc.get("country")) and ch.lemma_.lower() not in ("air",
                                                                                                          "suicide",
                                                                                                          "drone"):
                        if ch.lower_ in ("its", "their", "his", "her") and not actors.antecedent(ch):
                            continue
                        actor_heads = [ch]
                        break
            if not actor_heads:
                by = self._prep_object(tok, ("by", "from"))
                if by is not None:
                    actor_heads = [by]
            verb = self._governing_verb(tok)
            if not actor_heads and verb is not None:
                frame = frame_of(verb)
                passive = self._is_passive(verb)
                if passive:
                    agent = self._child(verb, ("agent",))
                    by_obj = self._child(agent, ("pobj",)) if agent is not None else None
                    if by_obj is not None:
                        actor_heads = [by_obj]
                else:
                    subj, sp = self._subject(verb)
                    if subj is not None and frame in ("light", "threat", "commit"):
                        actor_heads = [subj]
                if tok.dep_ == "pobj" and recipient is None and frame == "light":
                    obj = self._child(verb, ("dobj",))
                    if obj is not None and obj.i != tok.i:
                        recipient = obj
            if recipient is None and preps:
                recipient = self._prep_object(tok, preps)
            if recipient is None and tok.lower_ in _WITH_OPPONENT:
                recipient = self._prep_object(tok, ("with",))
            if recipient is None and c.type in _OF_RECIPIENT_TYPES:
                recipient = self._prep_object(tok, ("of",))
                if recipient is not None and recipient.ent_type_ in ("GPE", "LOC", "DATE"):
                    recipient = None
        if recipient is None and tok.lower_ in _WITH_OPPONENT:
            recipient = self._prep_object(tok, ("with",))
        if tok.lemma_.lower() in _RECEIVE_VERBS and tok.pos_ in ("VERB", "AUX"):
            actor_heads, recipient = self._giver_receiver(tok, actor_heads, recipient)
        if tok.dep_ == "compound" and tok.head.lemma_.lower() in _DOCUMENT_NOUNS:
            actor_heads, recipient = self._document_roles(tok.head, actor_heads, recipient)
        # coordinated actors and members of a generic plural: one event each
        expanded: list[Token] = []
        for h in actor_heads:
            members = [h, *[x for x in h.conjuncts if x.i > h.i]]
            for m in list(members):
                if m.lower_ in _GENERIC_PLURALS:
                    listed = []
                    for ch in m.children:
                        if ch.dep_ == "prep" and ch.lower_ in _MEMBER_PREPS:
                            for o in ch.children:
                                if o.dep_ == "pobj":
                                    listed.extend([o, *[x for x in o.conjuncts if x.i > o.i]])
                            for sub in ch.children:  # "from Belgium and the U.K. to Tunisia"
                                for p2 in sub.children:
                                    if p2.dep_ == "prep" and p2.lower_ in _MEMBER_PREPS:
                                        for o in p2.children:
                                            if o.dep_ == "pobj":
                                                listed.extend([o, *[x for x in o.conjuncts if x.i > o.i]])
                        if ch.dep_ == "prep" and ch.lower_ == "such":
                            for sub in ch.children:
                                for o in sub.children:
                                    if o.dep_ == "pobj":
                                        listed.extend([o, *[x for x in o.conjuncts if x.i > o.i]])
                    if listed:
                        members.remove(m)
                        members.extend(listed)
            expanded.extend(members)
        seen: set[int] = set()
        unique: list[Token] = []
        for h in expanded:
            if h.i not in seen:
                seen.add(h.i)
                unique.append(h)
        c.actor_heads = unique
        if recipient is not None and c.actor_heads and recipient.i in seen:
            recipient = None
        c.recipient_head = recipient

    def _giver_receiver(self, tok: Token, actor_heads: list[Token], recipient: Token | None
                        ) -> tuple[list[Token], Token | None]:
        """"X received weapons from Y": Y gave (the actor), X received (the recipient)."""
        giver = self._prep_object(tok, ("from",))
        receiver = actor_heads[0] if actor_heads else None
        if not self._is_passive(tok):
            return ([giver] if giver is not None else []), receiver
        return actor_heads, recipient

    def _document_roles(self, doc_noun: Token, actor_heads: list[Token], recipient: Token | None
                        ) -> tuple[list[Token], Token | None]:
        """"An arrest warrant for X issued by Y" / "Y issued warrants for X": the roles of the document."""
        verb = self._governing_verb(doc_noun)
        if recipient is None:
            recipient = self._prep_object(doc_noun, ("for", "against"))
        if recipient is None and verb is not None:
            recipient = self._prep_object(verb, ("for", "against"))
        if not actor_heads:
            by = self._prep_object(doc_noun, ("by",))
            if by is not None:
                actor_heads = [by]
            elif verb is not None and not self._is_passive(verb):
                subj, sp = self._subject(verb)
                actor_heads = [subj] if subj is not None and not sp else []
            elif verb is not None:
                agent = self._child(verb, ("agent",))
                obj = self._child(agent, ("pobj",)) if agent is not None else None
                actor_heads = [obj] if obj is not None else []
        return actor_heads, recipient

    # -- statements that accuse ---------------------------------------------------------------------

    def _accusations(self, cands: list[_Cand], actors: ActorResolver) -> list[_Cand]:
        """A statement verb ("said", "claimed", ``event_frames.tsv`` role ``assert``) whose content holds
        a realized hostile event by someone other than the speaker is also an ACCUSE event: the speaker
        accuses the one who did it (the PLOVER/CAMEO reading of "X said Y attacked Z")."""
        by_tok = {c.tok.i: c for c in cands}
        out: list[_Cand] = []
        done: set[int] = set()
        for c in cands:
            if c.dropped or c.type not in _HOSTILE or c.negated or c.hypothetical or not c.actor_heads:
                continue
            verb = next((x for x in self._clause_chain(c.tok)[1:4] if frame_of(x) == "assert"), None)
            if verb is None or verb.i in done:
                continue
            speaker, passive = self._subject(verb)
            if speaker is None or passive or self._same_actor(speaker, c.actor_heads[0], actors):
                continue
            done.add(verb.i)
            parent = by_tok.get(verb.i)
            if parent is not None and parent.type == "ACCUSE":  # "alleged that ..." is already one
                parent.recipient_head = parent.recipient_head or c.actor_heads[0]
                continue
            trig = Trigger(verb.lemma_.lower(), "V", "ACCUSE", "allege", None, frozenset())
            out.append(_Cand(verb, trig, "ACCUSE", "allege", actor_heads=[speaker],
                             recipient_head=c.actor_heads[0]))
        return out

    def _same_actor(self, a: Token, b: Token, actors: ActorResolver) -> bool:
        if a.i == b.i:
            return True
        if any(c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their", "our", "my") for c in b.children):
            return True  # "his unit", "our forces": the speaker's own side
        da = self._describe(a, actors, exclude=set())
        db = self._describe(b, actors, exclude={a.i})
        if b.lower_ in ("they", "it", "he", "she", "we", "i", "themselves", "itself"):
            ante = actors.antecedent(b)
            if ante is None or ante.i == a.i or (da and ante.i in range(da.get("start", -1), da.get("end", -1))):
                return True
        def key(d):
            return (d or {}).get("normalized") or ((d or {}).get("text") or "").lower()

        return bool(da and db and key(da) == key(db))

    # -- negation, hypothetical, frames -------------------------------------------------------------

    def _clause_chain(self, tok: Token) -> list[Token]:
        """``tok`` and the words that frame it: the verbs, adjectives and nouns whose complement it is
        ("threatening to expel", "wary of being arrested", "threat of attacks"), not the clauses it
        merely modifies."""
        chain = [tok]
        h = tok
        for _ in range(6):
            if h.head == h:
                break
            d = h.dep_
            if d in ("xcomp", "ccomp", "conj", "acl"):
                h = h.head
            elif d == "pcomp" or (d == "pobj" and h.head.dep_ == "prep"):
                prep = h.head
                if prep.head == prep or frame_of(prep.head) is None and d == "pobj":
                    break
                h = prep.head
            elif d in ("dobj", "attr", "nsubjpass") and frame_of(h.head) is not None:
                h = h.head
            elif d == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in h.children):
                h = h.head  # "... to end the clashes" purpose
            else:
                break
            chain.append(h)
        return chain

    def _modality(self, c: _Cand) -> None:
        tok = c.tok
        # negation on the trigger or on the verb that carries it
        carriers = [tok]
        verb = self._governing_verb(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if verb is not None:
            carriers.append(verb)
        for x in carriers:
            for ch in x.children:
                if ch.dep_ == "neg" or (ch.lower_ in _NEG_WORDS and ch.dep_ in ("det", "advmod", "neg")):
                    c.negated = True
        if tok.dep_ == "pcomp" and tok.head.lower_ == "without":
            c.negated = True
        # hypothetical: modals, if-clauses, plans/attempts/fears above it
        chain = self._clause_chain(tok)
        for x in chain + carriers:
            for ch in x.children:
                if ch.dep_ == "aux" and (ch.lower_ in _MODALS or ch.tag_ == "MD") and ch.lower_ not in ("can", "ca"):
                    c.hypothetical = True
                    if x in carriers:
                        c.modal = True
                if ch.dep_ == "mark" and ch.lower_ in _HYPO_MARKS:
                    c.hypothetical = True
            if x != tok and frame_of(x) in ("hypo", "threat", "commit", "refuse"):
                c.hypothetical = True
                if any(ch.dep_ == "neg" for ch in x.children):
                    c.negated = True
            if x != tok and x.dep_ == "pcomp" and x.head.lower_ == "without":
                c.negated = True

    def _frames(self, cands: list[_Cand]) -> None:
        by_tok = {c.tok.i: c for c in cands}
        # a noun trigger that is the object of a trigger verb is part of that event ("accept mediation")
        for c in cands:
            t = c.tok
            if t.pos_ in ("NOUN", "PROPN") and t.dep_ in ("dobj", "obj") and t.head.i in by_tok \
                    and frame_of(t.head) not in ("light", "threat", "commit"):
                c.dropped = True
        for c in sorted(cands, key=lambda c: -c.tok.i):  # the deepest first: expel -> threatening -> ultimatum
            if c.dropped:
                continue
            chain = self._clause_chain(c.tok)[1:]
            for x in chain[:4]:
                role = frame_of(x)
                if role is None:
                    continue
                parent = by_tok.get(x.i)
                if parent is not None and parent.dropped:
                    parent = None
                if role == "threat":
                    if c.type in _CONFLICT or c.type == "THREATEN":
                        mode = c.mode if c.type == "THREATEN" else _THREAT_MODE.get((c.type, c.mode or ""), "violence")
                        if parent is not None and parent.type == "THREATEN":
                            if mode and parent.mode in (None, "relations"):
                                parent.mode = mode
                            if parent.recipient_head is None:
                                parent.recipient_head = c.recipient_head
                            if not parent.actor_heads:
                                parent.actor_heads = c.actor_heads
                            c.dropped = True
                        elif c.type != "THREATEN":
                            c.type, c.mode = "THREATEN", mode
                    elif c.type in _COOPERATIVE and parent is None:
                        c.type, c.mode = "AGREE", None
                    break
                if role == "commit":
                    if c.type in _COOPERATIVE and c.type != "AGREE":
                        if parent is not None and parent.type == "AGREE":
                            if parent.recipient_head is None:
                                parent.recipient_head = c.recipient_head
                            c.dropped = True
                        else:
                            c.type, c.mode = "AGREE", None
                    elif parent is not None and parent.type == "AGREE":
                        parent.dropped = True  # "agreed to lift the sanctions": the act is the event
                    break
                if role == "refuse":
                    if parent is not None and parent.type == "REJECT":
                        parent.mode = _reject_mode(c.type)
                        if parent.recipient_head is None:
                            parent.recipient_head = c.recipient_head
                        c.dropped = True
                    break
                if role == "hypo":
                    break
        # a threat itself happened, whatever it threatens
        for c in cands:
            if c.type == "THREATEN" and frame_of(c.tok) is not None and not c.modal:
                c.hypothetical = False
        # negated cooperation with a modal: a refusal ("would not provide support")
        for c in cands:
            if c.negated and c.type in _COOPERATIVE and c.modal and not c.dropped:
                c.type, c.mode = "REJECT", _reject_mode(c.type)
                c.negated = False


def _reject_mode(t: str) -> str | None:
    return {"AID": "assist", "COOPERATE": "assist", "SUPPORT": "assist", "AGREE": "assist", "CONSULT": "meet",
            "RETREAT": "yield", "CONCEDE": "yield"}.get(t)


class _Finder(EventFinder):
    def __call__(self, doc: Doc) -> Doc:
        places = list(doc._.sb_places or [])
        dates = list(doc._.sb_dates or [])
        quotes = sorted(doc._.sb_quotes or [], key=lambda q: (q.start, -(q.end - q.start)))
        actors = ActorResolver(doc, places)
        doc_text = actors.text
        cands = self._candidates(doc, actors)
        for c in cands:
            self._roles(c, actors)
            self._modality(c)
        self._frames(cands)
        cands = sorted(cands + self._accusations(cands, actors), key=lambda c: c.tok.i)
        place_at = _index_spans(doc, places)
        date_at = _index_spans(doc, dates)
        events: list[Event] = []
        for c in cands:
            if c.dropped:
                continue
            tok = c.tok
            start, end = tok.idx, tok.idx + len(tok)
            # phrasal triggers: "blow up", "round up", "crack down", "hit the streets"
            for ch in tok.children:
                if ch.dep_ == "prt" and ch.i == tok.i + 1:
                    end = ch.idx + len(ch)
            recipient = self._describe(c.recipient_head, actors, exclude=set())
            place = _first_attached(self, c, place_at, kind="place")
            time = _first_attached(self, c, date_at, kind="time")
            source, quote_id = REPORTER, None
            for q in quotes:
                if q.start <= start and end <= q.end:
                    source, quote_id = q.source, q.id
                    break
            heads: list[Token | None] = [*c.actor_heads] or [None]
            subj_ids = {h.i for h in c.actor_heads}
            for h in heads:
                actor = self._describe(h, actors, exclude=set())
                rec = recipient
                if c.recipient_head is not None and c.recipient_head.lower_ in ("them", "it", "him", "her"):
                    rec = self._describe(c.recipient_head, actors, exclude=subj_ids | _antecedent_ids(h, actors))
                events.append(Event(
                    id=f"E{len(events) + 1}",
                    start=start,
                    end=end,
                    text=doc_text[start:end],
                    type=c.type,
                    mode=c.mode,
                    actor=actor,
                    recipient=rec,
                    place=place,
                    time=time,
                    source=source,
                    quote=quote_id,
                    negated=c.negated,
                    hypothetical=c.hypothetical,
                    extractor=NAME,
                ))
        doc._.sb_events = events
        return doc

    @staticmethod
    def _describe(head: Token | None, actors: ActorResolver, exclude: set[int]) -> dict[str, Any] | None:
        if head is None:
            return None
        ante = None
        if head.lower_ in ("it", "its", "they", "them", "their", "who", "which", "that", "whom"):
            ante = actors.antecedent(head, exclude=exclude)
            if ante is not None and ante.lower_ in ("who", "which", "that", "whom"):
                ante = actors.antecedent(ante)
        return actors.describe(head, antecedent=ante)


def _antecedent_ids(h: Token | None, actors: ActorResolver) -> set[int]:
    if h is None:
        return set()
    out = {h.i}
    a = actors.antecedent(h) if h.lower_ in ("who", "which", "that", "they", "it") else None
    if a is not None:
        out.add(a.i)
    return out


def _index_spans(doc: Doc, items: list[Any]) -> dict[int, Any]:
    """token index -> item whose character span covers the token."""
    out: dict[int, Any] = {}
    for it in items:
        span = doc.char_span(it.start, it.end, alignment_mode="expand")
        if span is None:
            continue
        for t in span:
            out.setdefault(t.i, it)
    return out


def _first_attached(finder: EventFinder, c: _Cand, at: dict[int, Any], kind: str) -> dict[str, Any] | None:
    """A place or time attached to the trigger, to the verb that carries it, or to its clause."""
    tok = c.tok
    hosts = [tok]
    verb = finder._governing_verb(tok) if tok.pos_ in ("NOUN", "PROPN") else None
    if verb is not None:
        hosts.append(verb)
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.pos_ in ("VERB", "AUX"):
        hosts.append(tok.head)
    if tok.dep_ in ("xcomp", "acl", "advcl", "pcomp") and tok.head.pos_ in ("VERB", "NOUN"):
        hosts.append(tok.head)
        if tok.head.pos_ == "NOUN":
            v2 = finder._governing_verb(tok.head)
            if v2 is not None:
                hosts.append(v2)
    for host in hosts:
        for ch in host.children:
            if kind == "place":
                if ch.dep_ == "prep" and ch.lower_ in _PLACE_PREPS:
                    for o in ch.children:
                        if o.dep_ == "pobj":
                            for t in o.subtree:
                                it = at.get(t.i)
                                if it is not None:
                                    return _place_dict(it)
            else:
                cands = [ch]
                if ch.dep_ == "prep":
                    cands = [o for o in ch.children if o.dep_ == "pobj"]
                elif ch.dep_ not in ("npadvmod", "nmod", "obl", "advmod", "tmod"):
                    continue
                for o in cands:
                    for t in o.subtree:
                        it = at.get(t.i)
                        if it is not None and (it.from_date or it.to_date):
                            return {"id": it.id, "text": it.text, "start": it.start, "end": it.end,
                                    "from": it.from_date, "to": it.to_date, "precision": it.precision}
    return None


def _place_dict(p: Any) -> dict[str, Any]:
    return {"id": p.id, "text": p.text, "start": p.start, "end": p.end, "name": p.name, "country": p.country,
            "lat": p.lat, "lon": p.lon}


@registry.component(NAME, outputs=("sb_events",))
def make_events(nlp: Language, name: str) -> _Finder:
    return _Finder(nlp)
