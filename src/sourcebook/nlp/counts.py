"""Figures about people: every count of a group of people, normalized to a range.

Component ``sourcebook_counts_v1`` runs after attribution on the parsed Doc (it never parses again)
and writes a list of ``record.Count`` to ``doc._.sb_counts``.  For each figure it finds

- the quantity as written and its range (``low``/``high``, None for an open end), by the table in
  ``lexicon/quantity_words.tsv`` ("hundreds" = 200-999, "at least 112" = 112-open, "nearly 3,000" = 3000);
- the counted noun phrase, which must name people (``lexicon/people_nouns.txt``, demonyms, -ist/-ian
  nouns); a figure without a noun counts when the parse makes it the subject or object of a status
  verb ("Tens of thousands have fled", "wounded thousands"), when it says "N more"/"N others", or when
  it is a death toll;
- the status from the word that governs it (``lexicon/count_status.tsv``), with the voice taken into
  account ("killed 13 soldiers" vs "militants killed ...");
- the origin from nationality words in the counted phrase (``lexicon/demonyms.tsv`` and pycountry);
- the place and the time of the clause, the time resolved by ``dates.resolve``;
- the source: the quote (``doc._.sb_quotes``) whose span contains the figure, else ``REPORTER``.

``normalize("at least 112")`` exposes the number reader on plain strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Token

from .. import lexicon
from . import registry
from ..record import REPORTER, Count
from . import dates

NAME = "sourcebook_counts_v1"

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_YEARLIKE = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
_HYPHENS = {"-", "–", "—"}
_SKIP_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}
_PLACE_ENTS = {"GPE", "LOC", "FAC"}
_TIME_ENTS = {"DATE", "TIME"}
_SUBJ = {"nsubj", "csubj", "expl"}
_PASS_SUBJ = {"nsubjpass", "csubjpass"}
_OBJ = {"dobj", "obj", "iobj", "oprd"}
_QUOTES = {'"', "“", "”", "'", "‘", "’"}
_STATUS_ADVERBS = {"still", "now", "already", "currently", "reportedly", "also", "later", "since", "all", "both"}
_STATUSES = ("present", "joining", "leaving", "returned", "detained", "killed", "wounded", "surrendered", "other")


# --------------------------------------------------------------------------------------------------
# Lexicon


@dataclass(frozen=True, slots=True)
class _Entry:
    kind: str
    low: int | None
    high: int | None
    approx: bool


class _Lex:
    """All word lists of the component, loaded once."""

    def __init__(self) -> None:
        self.quant: dict[tuple[str, ...], _Entry] = {}
        for row in lexicon.table("quantity_words"):
            if len(row) < 2:
                continue
            words = tuple(row[0].lower().split())
            low = int(row[2]) if len(row) > 2 and row[2] else None
            high = int(row[3]) if len(row) > 3 and row[3] else low
            approx = len(row) > 4 and row[4] == "1"
            self.quant[words] = _Entry(row[1], low, high, approx)
        self.quant_max = max((len(k) for k in self.quant), default=1)
        self.numbers = {k[0]: e.low for k, e in self.quant.items() if e.kind == "number" and len(k) == 1}
        self.scales = {k[0]: e.low for k, e in self.quant.items() if e.kind == "scale"}
        self.people = lexicon.words("people_nouns")
        self.people_multi = {tuple(p.split()) for p in self.people if " " in p}
        self.excl = lexicon.words("count_exclusions")
        self.excl_before = lexicon.words("count_before_exclusions")
        self.total_verbs = lexicon.words("count_total_verbs")
        self.estimate_verbs = lexicon.words("count_estimate_verbs")
        self.group_nouns = lexicon.words("count_group_nouns")
        self.collective = lexicon.words("count_collective_nouns")
        self.months = frozenset(dates.MONTHS)
        self.status: dict[tuple[str, ...], tuple[str, str]] = {}
        for row in lexicon.table("count_status"):
            if len(row) >= 3 and row[1] in _STATUSES:
                self.status.setdefault(tuple(row[0].lower().split()), (row[1], row[2]))
        self.status_max = max((len(k) for k in self.status), default=1)
        self.status_first = {k[0] for k in self.status}
        self.demonyms: dict[str, str] = {}  # nationality words
        self.names: dict[str, str] = {}  # country names and aliases
        for row in lexicon.table("demonyms"):
            if len(row) >= 2 and row[1]:
                kind = row[2] if len(row) > 2 else "demonym"
                (self.names if kind == "name" else self.demonyms)[row[0].lower()] = row[1].upper()
        self.countries: dict[str, str] = {}
        try:
            import pycountry

            for c in pycountry.countries:
                for attr in ("name", "common_name", "official_name"):
                    v = getattr(c, attr, None)
                    if v:
                        self.countries[v.lower()] = c.alpha_2
        except ImportError:  # pragma: no cover - pycountry is a dependency
            pass
        for k, v in (*self.demonyms.items(), *self.names.items()):
            self.countries.setdefault(k, v)
        self.country_max = max((len(k.split()) for k in self.countries), default=1)

    def origin_word(self, word: str) -> str | None:
        """The country of a nationality word ("Tunisians" -> TN), or None."""
        w = word.lower()
        if w in self.demonyms:
            return self.demonyms[w]
        if w.endswith("s") and w[:-1] in self.demonyms:
            return self.demonyms[w[:-1]]
        return None

    def country(self, word: str) -> str | None:
        """The country of a nationality word or a country name ("Syria" -> SY), or None."""
        return self.origin_word(word) or self.names.get(word.lower()) or self.countries.get(word.lower())


@lru_cache(maxsize=1)
def _lex() -> _Lex:
    return _Lex()


# --------------------------------------------------------------------------------------------------
# Numbers


@dataclass(slots=True)
class Quantity:
    """A quantity found in a list of words: ``words[start:end]``; the number proper is ``core_start:end``."""

    start: int
    core_start: int
    end: int
    low: int | None
    high: int | None
    approximate: bool
    value_kind: str  # number | vague


def _lookup(words: list[str], i: int, kinds: Iterable[str]) -> tuple[int, _Entry] | None:
    """Longest phrase of one of ``kinds`` at ``words[i]``: (length, entry)."""
    lex = _lex()
    kinds = set(kinds)
    for n in range(min(lex.quant_max, len(words) - i), 0, -1):
        e = lex.quant.get(tuple(words[i:i + n]))
        if e is not None and e.kind in kinds:
            return n, e
    return None


def _digits(word: str) -> Fraction | None:
    if _DIGITS.match(word):
        try:
            return Fraction(word.replace(",", ""))
        except ValueError:  # digits of other scripts: "٣"
            return Fraction(int(float(word.replace(",", ""))))
    return None


def _cardinal(words: list[str], i: int) -> tuple[int, int] | None:
    """A cardinal number at ``words[i]`` in digits, words or both: (end, value)."""
    lex = _lex()
    n = len(words)
    d = _digits(words[i]) if i < n else None
    if d is not None:
        j = i + 1
        value = d
        while j < n and words[j] in lex.scales:
            value *= lex.scales[words[j]]
            j += 1
        if j < n and words[j] == "dozen":
            value *= 12
            j += 1
        if value.denominator != 1:
            return None
        return j, int(value)
    total, current, j, seen = 0, 0, i, False
    last_end = None
    while j < n:
        w = words[j]
        if w in ("a", "an") and not seen and j + 1 < n and words[j + 1] in lex.scales:
            current, seen = 1, True
            j += 1
            continue
        if w in lex.numbers and w != "dozen":
            v = lex.numbers[w]
            if seen and current % 100 and v < 100 and not (current % 100 >= 20 and current % 10 == 0 and v < 10):
                break  # "five six": two numbers
            current += v
            seen = True
            j += 1
            last_end = j
            if j + 1 < n and words[j] in _HYPHENS and words[j + 1] in lex.numbers and v >= 20 and v % 10 == 0:
                j += 1  # twenty-five
            continue
        if w == "dozen" and seen:
            current = max(current, 1) * 12
            j += 1
            last_end = j
            continue
        if w in lex.scales and seen:
            scale = lex.scales[w]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
            j += 1
            last_end = j
            continue
        if w == "and" and seen and j + 1 < n and words[j + 1] in lex.numbers and (total or current >= 100):
            j += 1
            continue
        break
    if not seen or last_end is None:
        return None
    return last_end, total + current


def _core(words: list[str], j: int) -> tuple[int, int | None, int | None, bool, str] | None:
    """The number proper at ``words[j]``: (end, low, high, approximate, kind)."""
    lex = _lex()
    n = len(words)
    if j >= n:
        return None
    if words[j] == "between":
        a = _cardinal(words, j + 1)
        if a and a[0] + 1 < n and words[a[0]] == "and":
            b = _cardinal(words, a[0] + 1)
            if b and b[1] > a[1]:
                return b[0], a[1], b[1], False, "number"
        return None
    vague = _lookup(words, j, ("vague",))
    card = _cardinal(words, j)
    if vague and (card is None or j + vague[0] >= card[0]):
        length, e = vague
        end = j + length
        low, high = e.low, e.high
        if end < n and words[end] == "dozen" and low is not None and high is not None:
            # "several dozen" = 3x12 .. 9x12, "a few dozen" = 2x12 .. 5x12, "a couple (of) dozen" = 24
            return end + 1, low * 12, high * 12, e.approx, "vague"
        if end < n and words[end] in lex.scales:
            scale = lex.scales[words[end]]
            if low == high:
                low = high = low * scale
            else:
                low, high = low * scale, (high + 1) * scale - 1 if high < 10 else high * scale
            end += 1
        return end, low, high, e.approx, "vague"
    if card is None:
        return None
    end, value = card
    low = high = value
    # ranges: "five or six", "5-10", "20 to 30"
    if end + 1 < n:
        rng = _lookup(words, end, ("range",))
        if rng:
            b = _cardinal(words, end + rng[0])
            if b and b[1] > value:
                return b[0], value, b[1], False, "number"
    return end, low, high, False, "number"


def scan(words: list[str], i: int) -> Quantity | None:
    """The quantity that starts at ``words[i]`` (with its leading modifier), or None."""
    mod = _lookup(words, i, ("min", "max", "approx", "exact"))
    j = i + mod[0] if mod else i
    core = _core(words, j)
    if core is None:
        if mod is None:
            return None
        return None
    end, low, high, approx, kind = core
    if mod is not None:
        e = mod[1]
        if e.kind == "min":
            high = None if low is not None else high
            if low is None:
                low, high = high, None
        elif e.kind == "max":
            low = None
            high = high if high is not None else low
        elif e.kind == "approx":
            approx = True
    after = _lookup(words, end, ("min_after", "approx_after"))
    if after and low is not None and kind == "number":
        if after[1].kind == "min_after":
            high = None
        else:
            approx = True
        end += after[0]
    return Quantity(i, j, end, low, high, approx, kind)


_WORD_RE = re.compile(r"\d[\d,.]*|[A-Za-z]+(?:\.[A-Za-z]+)*\.?|[-–—%$£€]")


def normalize(text: str) -> tuple[int | None, int | None, bool] | None:
    """The range of a quantity written in ``text``: ``normalize("hundreds")`` is ``(200, 999, True)``.

    Returns (low, high, approximate) for the quantity at the start of the text, or None.
    """
    words = [w.lower() for w in _WORD_RE.findall(text)]
    words = [w.rstrip(".") if not _DIGITS.match(w) and w.count(".") == 1 and w.endswith(".") else w for w in words]
    q = scan(words, 0) if words else None
    if q is None:
        return None
    return q.low, q.high, q.approximate


# --------------------------------------------------------------------------------------------------
# People, status, origin


def _is_people(tok: Token, prev: Token | None = None) -> bool:
    lex = _lex()
    low, lemma = tok.lower_, tok.lemma_.lower()
    if low in lex.excl or lemma in lex.excl:
        return False
    if low in lex.people or lemma in lex.people:
        return True
    if prev is not None and ((prev.lower_, lemma) in lex.people_multi or (prev.lower_, low) in lex.people_multi):
        return True
    if tok.pos_ in ("NOUN", "PROPN") and lex.origin_word(low) and (low.endswith("s") or tok.tag_ in ("NNS", "NNPS")):
        return True  # Syrians, Saudis, Britons
    if tok.pos_ in ("NOUN", "PROPN") and re.search(r"(?:ists?|ians?|ees)$", low) and len(low) > 5:
        return not low.endswith(("degrees", "fees", "guarantees", "committees", "trustees"))
    return False


def _match_status(doc: Doc, i: int, stop: int | None = None, lemma_first: bool = False) -> tuple[int, str, str] | None:
    """A status phrase starting at token ``i``: (length, status, role)."""
    lex = _lex()
    t = doc[i]
    first = [t.lower_] if t.lower_ == t.lemma_.lower() else [t.lower_, t.lemma_.lower()]
    if lemma_first:
        first.reverse()
    if t.pos_ == "ADJ" and t.lower_.endswith("ed") and len(t.lower_) > 4:
        first += [t.lower_[:-2], t.lower_[:-1]]  # a participle tagged as adjective: "detained" -> detain
    if not any(f in lex.status_first for f in first):
        return None
    limit = min(lex.status_max, len(doc) - i, (stop - i) if stop is not None else len(doc))
    for n in range(limit, 0, -1):
        toks = doc[i:i + n]
        for head in first:
            key = (head,) + tuple(x.lower_ for x in toks[1:])
            got = lex.status.get(key)
            if got is None and n > 1:
                key = (head,) + tuple(x.lemma_.lower() for x in toks[1:])
                got = lex.status.get(key)
            if got is not None:
                return n, got[0], got[1]
    return None


def _word_status(tok: Token) -> tuple[str, str] | None:
    """The status of one token with its particle or adverb ("shot dead", "fatally shot", "pull out")."""
    doc = tok.doc
    # an active verb is read by its lemma ("militants killed 44 people": kill, obj), a participle by
    # its form ("44 people killed": killed, any)
    active = tok.pos_ in ("VERB", "AUX") and tok.tag_ in ("VBD", "VBZ", "VBP", "VB", "VBG") and any(
        c.dep_ in _SUBJ or c.dep_ in _OBJ for c in tok.children)
    # phrases that start before the word ("fatally shot") or at it ("shot dead", "pull out")
    best = None
    for start in (tok.i - 1, tok.i):
        if start < 0:
            continue
        m = _match_status(doc, start, lemma_first=active and start == tok.i)
        if m and start + m[0] > tok.i and (m[0] > 1 or start == tok.i):
            if best is None or start + m[0] > best[0]:  # "were left dead" (left dead) over "were left"
                best = (start + m[0], m[1], m[2])
    return (best[1], best[2]) if best else None


_PARTICLES = {"home", "back", "away", "out", "in", "over", "down", "up", "off"}


def _phrasal_status(verb: Token) -> tuple[str, str] | None:
    """A phrasal verb whose object stands between the verb and its particle or preposition:
    "crossed the river into Tarsenia" (cross into), "handed six men over to the embassy" (hand over
    to), "brought 112 citizens back" (bring back), "were flown home" (fly home)."""
    lex = _lex()
    doc = verb.doc
    parts = sorted((c for c in verb.children if c.i > verb.i and (
        c.dep_ in ("prt", "prep", "dative") or (c.dep_ in ("advmod", "npadvmod") and c.lower_ in _PARTICLES))),
        key=lambda c: c.i)
    heads = [verb.lemma_.lower()] + ([verb.lower_] if verb.lower_ != verb.lemma_.lower() else [])
    for c in verb.children:  # "sent 70 young people to fight", "left to join"
        if c.dep_ in ("xcomp", "advcl") and c.i > verb.i and any(x.lower_ == "to" for x in c.children if x.dep_ == "aux"):
            for head in heads:
                got = lex.status.get((head, "to", c.lemma_.lower()))
                if got is not None and got[1] in ("subj", "obj", "any"):
                    return got[0], got[1]
    if not parts:
        return None
    for k, p in enumerate(parts):
        tails: list[tuple[str, ...]] = []
        if k + 1 < len(parts):
            tails.append((p.lower_, parts[k + 1].lower_))
        if p.i + 1 < len(doc):
            tails.append((p.lower_, doc[p.i + 1].lower_))
        tails.append((p.lower_,))
        for head in heads:
            for tail in tails:
                got = lex.status.get((head, *tail))
                if got is not None and got[1] in ("subj", "obj", "any"):
                    return got[0], got[1]
    return None


def _captor(verb: Token) -> bool:
    """Can the subject of an active "hold" hold people captive?  People, groups, named actors,
    pronouns and detention places can; a stadium or a hall cannot.  Without a subject: yes."""
    lex = _lex()
    subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
    if subj is None or subj.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subj = verb.head if subj is not None else None
    if subj is None:
        return True
    low, lemma = subj.lower_, subj.lemma_.lower()
    if subj.pos_ in ("PRON", "PROPN") or subj.ent_type_ in ("ORG", "NORP", "GPE", "PERSON"):
        return True
    got = lex.status.get((low,)) or lex.status.get((lemma,))
    return _is_people(subj) or lemma in lex.group_nouns or low in lex.group_nouns or bool(got and got[1] == "place") \
        or lemma in _CAPTOR_NOUNS


_CAPTOR_NOUNS = {"group", "side", "front", "movement", "brigade", "army", "government", "regime", "state", "militia",
                 "gang", "network", "organisation", "organization", "authority", "authorities", "facility", "camp"}


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children) or (
        verb.tag_ == "VBN" and not any(c.dep_ in ("aux", "nsubj") for c in verb.children)
    )


def _verb_status(verb: Token, role: str, depth: int = 0) -> tuple[str, Token] | None:
    """Status that ``verb`` gives to its argument in ``role`` (subj | obj), following xcomp chains."""
    if depth > 3:
        return None
    if any(c.dep_ == "neg" for c in verb.children):
        return "other", verb
    lemma = verb.lemma_.lower()
    if lemma == "be" or verb.pos_ == "AUX":
        for c in verb.children:
            if c.dep_ in ("acomp", "attr", "oprd"):
                ws = _word_status(c)
                if ws and ws[1] in ("any", "noun"):
                    return ws[0], c
            if c.dep_ == "prep":
                ws = _prep_status(c)
                if ws:
                    return ws, c
        for c in verb.children:
            if c.dep_ == "expl":
                return "present", verb  # "there were 7,000 foreigners"
        return None
    for c in verb.children:  # "left four gunmen dead", "confirmed dead"
        if c.dep_ == "oprd" or (c.dep_ == "acomp" and lemma not in ("seem", "appear")):
            ws = _word_status(c)
            if ws and ws[1] in ("any", "obj"):
                return ws[0], c
    ws = _phrasal_status(verb) or _word_status(verb)
    if ws and lemma == "hold" and ws[0] == "detained" and not _captor(verb):
        ws = None  # "The stadium holds 40,000 people": a capacity, not captivity
    if ws:
        status, wrole = ws
        if wrole == "any" or wrole == role:
            if status == "present":
                for c in verb.children:  # "remain in custody", "stayed in prison": the phrase says more
                    if c.dep_ == "prep" and c.i > verb.i:
                        ps = _prep_status(c)
                        if ps and ps not in ("present", "other"):
                            return ps, c
            if status == "present" and role == "subj":
                # "are waiting to leave", "stay to fight": the complement says where they are going
                for c in verb.children:
                    if c.dep_ == "xcomp" and c.pos_ == "VERB" and c.i > verb.i:
                        got = _verb_status(c, "subj", depth + 1)
                        if got and got[0] not in ("present", "other"):
                            return got
            mixed = _mixed_status(verb, status)
            return (mixed or status), verb
        if wrole == "subj" and role == "obj" and lemma in ("leave",):
            return None
        if wrole == "obj" and role == "subj":
            return None
    # "granted safe passage out", "find their way out": a phrase on an object or particle of the verb
    doc = verb.doc
    for c in verb.children:
        if c.dep_ in ("dobj", "prt", "prep", "advmod") and c.i > verb.i:
            for j in range(c.left_edge.i, min(c.i + 1, len(doc))):
                m = _match_status(doc, j)
                if m and m[2] == "any" and j + m[0] > c.i - 1:
                    return m[1], c
    # "left four gunmen killed", "are afraid and want to leave": complements of the verb
    for c in verb.children:
        if c.dep_ in ("xcomp", "oprd", "acomp", "ccomp") and c.i > verb.i:
            if c.dep_ == "ccomp" and any(x.dep_ in _SUBJ for x in c.children):
                continue
            if role == "obj" and c.dep_ not in ("oprd", "xcomp", "ccomp", "acomp"):
                continue
            sub_role = "obj" if c.tag_ == "VBN" else "subj"
            got = _verb_status(c, sub_role if c.pos_ == "VERB" else role, depth + 1)
            if got:
                return got
    return None


def _mixed_status(verb: Token, status: str) -> str | None:
    """``other`` for a mixed total: two verbs with different statuses sharing their people ("killed or
    captured 31 smugglers", "killed and wounded 40"); None otherwise."""
    pairs = [c for c in verb.children if c.dep_ == "conj" and c.pos_ == "VERB"]
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        pairs.append(verb.head)
    for other in pairs:
        first, second = sorted((verb, other), key=lambda t: t.i)
        if any(c.dep_ in _OBJ for c in first.children):
            continue  # "killed 5 and wounded 20": each has its own object
        if any(c.dep_ in _SUBJ or c.dep_ in _PASS_SUBJ for c in second.children):
            continue  # a clause of its own
        ws = _word_status(other)
        if ws and ws[0] != status and ws[1] in ("obj", "any", "subj"):
            return "other"
    return None


def _prep_status(prep: Token) -> str | None:
    """A status from a preposition on the counted noun: "in Syria" (present), "among the dead" (killed),
    "in custody" (detained), "in critical condition" (wounded), "in prison"/"in cells" (detained)."""
    lex = _lex()
    word = prep.lower_
    m = _match_status(prep.doc, prep.i)
    if m and m[0] > 1 and m[2] in ("any", "prep"):
        return m[1]
    if word in ("in", "inside", "at", "within"):
        for c in prep.children:
            if c.dep_ == "pobj":
                for x in (c, *(y for y in c.children if y.dep_ == "compound")):
                    got = lex.status.get((x.lower_,)) or lex.status.get((x.lemma_.lower(),))
                    if got and got[1] == "place":
                        return got[0]
    got = lex.status.get((word,))
    if got and got[1] == "prep":
        return got[0]
    if word == "among":
        for c in prep.children:
            if c.dep_ == "pobj":
                for x in [c, *c.children]:
                    ws = _word_status(x)
                    if ws and (ws[1] in ("any", "noun") or (  # "among those arrested"
                            ws[1] == "obj" and x.tag_ == "VBN" and x.dep_ in ("acl", "amod"))):
                        return ws[0]
    if word == "in":
        for c in prep.children:
            if c.dep_ == "pobj":
                ws = _word_status(c)
                if ws and ws[1] == "any":
                    return ws[0]
    return None


def _modifier_status(head: Token, after: Iterable[Token], adjacent_only: bool = False) -> tuple[str, Token | None] | None:
    """Status from what qualifies the counted noun: participles, relative clauses, prepositions."""
    for t in after:  # "20 Terrorists Killed", "one officer dead", "18 shot dead"
        ws = _word_status(t)
        if ws and ws[1] in ("any", "obj") and not any(c.dep_ in _OBJ for c in t.children):
            return ws[0], t
        if ws and ws[1] == "subj":
            return ws[0], t
        if t.is_punct:
            break
    if adjacent_only:
        return None
    for c in head.children:
        if c.dep_ in ("acl", "relcl", "amod") and (c.dep_ != "amod" or c.i > head.i or c.tag_ in ("VBN", "JJ")):
            if c.dep_ == "relcl":
                rel_role = "subj"
                for x in c.children:
                    if x.dep_ in _PASS_SUBJ:
                        rel_role = "obj"
                    if x.dep_ in _OBJ and x.tag_ in ("WP", "WDT", "IN"):
                        rel_role = "obj"
                got = _verb_status(c, rel_role)
                if got:
                    return got
                continue
            role = "obj" if c.tag_ == "VBN" else "subj"
            if c.dep_ == "amod" and c.i < head.i:
                ws = _word_status(c)
                if ws and ws[1] == "any":
                    return ws[0], c
                continue
            got = _verb_status(c, role)
            if got:
                return got
        if c.dep_ == "prep":
            ps = _prep_status(c)
            if ps:
                return ps, c
        if c.dep_ == "advmod" and c.lower_ == "still":
            for x in c.children:
                if x.dep_ == "prep":
                    ps = _prep_status(x)
                    if ps:
                        return ps, x
    return None


def _noun_status(tok: Token) -> str | None:
    lex = _lex()
    for key in ((tok.lemma_.lower(),), (tok.lower_,)):
        got = lex.status.get(key)
        if got and got[1] in ("noun", "any"):
            return got[0]
    return None


def _fallback_status(verb: Token, exclude: set[int]) -> tuple[str, Token] | None:
    """A subject status word somewhere below the governing verb ("helped ... to leave")."""
    queue = [(c, 1) for c in verb.children if c.dep_ in ("prep", "advcl", "xcomp", "dobj", "dative")]
    while queue:
        t, d = queue.pop(0)
        if t.i in exclude:
            continue
        if t.pos_ in ("VERB", "NOUN") or t.dep_ == "pcomp":
            ws = _word_status(t)
            if ws and ws[1] == "subj" and ws[0] != "other" and ws[0] != "present":
                return ws[0], t
        if d < 5:
            queue.extend((c, d + 1) for c in t.children if c.dep_ not in ("nsubj", "punct", "cc"))
    return None


def _origin(tokens: Iterable[Token]) -> str | None:
    """The one country named by nationality words or country names among ``tokens``."""
    lex = _lex()
    toks = list(tokens)
    found: set[str] = set()
    i = 0
    while i < len(toks):
        t = toks[i]
        low = t.lower_
        nxt = toks[i + 1].lower_ if i + 1 < len(toks) else ""
        # "Turkish-backed": the adjective does not give the nationality of the people
        if nxt in _HYPHENS and i + 2 < len(toks) and toks[i + 2].tag_ in ("VBN", "VBD", "JJ"):
            i += 3
            continue
        if low.startswith("non-") or (i > 0 and toks[i - 1].lower_ == "non") or (
                i > 1 and toks[i - 1].text in _HYPHENS and toks[i - 2].lower_ == "non"):
            i += 1
            continue
        if t.ent_type_ == "ORG" and t.ent_iob_ == "I" and any(
                x.ent_iob_ == "I" and x.pos_ == "PROPN" for x in t.doc[t.i + 1:t.i + 4] if x.ent_type_ == "ORG"):
            i += 1  # "the Free Syrian Army": a name, not a nationality
            continue
        hit = None
        for n in range(min(lex.country_max, len(toks) - i), 1, -1):
            phrase = " ".join(x.lower_ for x in toks[i:i + n])
            if phrase in lex.countries:
                hit, i = lex.countries[phrase], i + n - 1
                break
        if hit is None and (t.pos_ in ("PROPN", "ADJ", "NOUN") or t.ent_type_ in ("NORP", "GPE")):
            hit = lex.origin_word(low) or (lex.country(low) if t.ent_type_ == "GPE" or t.pos_ == "PROPN" else None)
        if hit:
            found.add(hit)
        i += 1
    return found.pop() if len(found) == 1 else None


# --------------------------------------------------------------------------------------------------
# The component


@dataclass(slots=True)
class _Cand:
    q: Quantity
    start: int  # token span of the count
    end: int
    head: Token | None  # the counted noun (None for a bare figure)
    counted_span: tuple[int, int] | None  # token span of the counted phrase
    bare: str = ""  # why a figure without a noun counts: more | subj | obj | toll | partitive | estimate
    status: str = "other"
    status_tok: Token | None = None
    anchor: Token | None = None  # the token whose clause gives place and time
    counted_text: str | None = None
    origin_toks: tuple[int, int] | None = None
    linked_to: int | None = None  # index of the count this one is part of (tally, "including")
    inherit: bool = False  # "put the number at N": status and counted of the count before


def _np_run(doc: Doc, k: int, limit: int = 7) -> list[Token]:
    """Tokens of a noun phrase after a number: adjectives, nouns, hyphens, brackets."""
    run: list[Token] = []
    n = len(doc)
    while k < n and len(run) < limit:
        t = doc[k]
        if t.is_space:
            break
        if (t.pos_ in ("ADJ", "NOUN", "PROPN", "X") or (t.is_upper and len(t) > 1 and t.is_alpha)) and not (
                t.pos_ == "PROPN" and t.ent_type_ in ("DATE", "TIME")):
            if t.lower_ in ("of", "who", "that"):
                break
            run.append(t)
        elif t.text in _HYPHENS and run and k + 1 < n and not doc[k - 1].whitespace_:
            run.append(t)
        elif t.text in ("[", "]"):
            run.append(t)
        elif t.tag_ in ("VBN", "VBG", "VBD") and k + 1 < n and doc[k + 1].pos_ in ("NOUN", "PROPN", "ADJ") and t.head.i > t.i \
                and t.dep_ in ("amod", "compound", "nmod") and t.head.pos_ in ("NOUN", "PROPN"):
            run.append(t)  # "wanted militant fighters" (not the verb of "residents fled Aleppo")
        elif t.pos_ == "NUM" and run and run[-1].text in _HYPHENS:
            run.append(t)
        else:
            break
        k += 1
    return run


def _core_token(doc: Doc, q: Quantity, offset: int) -> Token:
    """The token of the quantity whose head lies outside it (the one the parse attaches)."""
    toks = doc[offset + q.core_start: offset + q.end]
    for t in toks:
        if not (offset + q.start <= t.head.i < offset + q.end):
            return t
    return toks[-1]


def _governor(tok: Token) -> tuple[Token | None, str]:
    """The verb (or noun) that governs a noun and the noun's role: subj | obj | noun."""
    t = tok
    for _ in range(6):
        dep = t.dep_
        head = t.head
        if head is t:
            return None, "root"
        if head.lower_ in ("more", "others") and head.i == t.i + 1:
            t = head  # "Dozens more", "20 others": the parse hangs the number on "more"
            continue
        if t.lower_ == "more" and dep == "advmod" and head.pos_ in ("VERB", "AUX"):
            return head, ("obj" if _passive(head) else "subj")  # "Dozens more, he said, were hiding"
        if dep == "conj":
            if head.pos_ in ("VERB", "AUX"):
                return None, "conj"
            t = head
            continue
        if dep in _SUBJ:
            return head, ("obj" if _passive(head) and dep == "nsubj" and head.tag_ == "VBN" and not any(
                c.dep_ == "aux" for c in head.children) else "subj")
        if dep in _PASS_SUBJ:
            return head, "obj"
        if dep in _OBJ or dep in ("attr", "npadvmod", "appos") and head.pos_ in ("VERB", "AUX"):
            return head, ("subj" if dep == "attr" else "obj")
        if dep == "pobj":
            prep = head
            if prep.lower_ == "of" and prep.head.pos_ in ("NOUN", "PROPN", "NUM"):
                ns = _noun_status(prep.head)
                if ns:
                    return prep.head, "noun"
                t = prep.head  # "a group of five", "hundreds of fighters"
                continue
            if prep.lower_ in ("including", "among") and prep.head.pos_ in ("NOUN", "PROPN", "NUM"):
                t = prep.head
                continue
            if prep.lower_ == "by" and prep.head.pos_ == "VERB":
                return prep.head, "agent"
            return prep.head if prep.head.pos_ in ("VERB", "AUX") else None, "pobj"
        if dep in ("nummod", "quantmod", "compound", "amod", "det", "nmod", "poss"):
            t = head
            continue
        if dep == "appos":
            t = head
            continue
        if dep in ("acl", "relcl", "ccomp", "advcl", "xcomp", "ROOT", "parataxis", "dep"):
            return (t if t.pos_ in ("VERB", "AUX", "ADJ") else None), "subj"
        return None, dep
    return None, "?"


class CountFinder:
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._sent_of: list[int] = []  # per doc: sentence index of every token
        self._sent_end: list[int] = []  # per doc: end token of every sentence

    # -- candidates ------------------------------------------------------------------------------

    def _candidates(self, doc: Doc) -> list[_Cand]:
        lex = _lex()
        words = [t.lower_ for t in doc]
        n = len(doc)
        out: list[_Cand] = []
        i = 0
        quick = set(lex.numbers) | {k[0] for k, e in lex.quant.items()} | {"between"}
        while i < n:
            w = words[i]
            if w not in quick and not w[:1].isdigit():
                i += 1
                continue
            q = scan(words, i)
            if q is None:
                i += 1
                continue
            cand = self._candidate(doc, words, q)
            if cand is not None:
                out.append(cand)
                i = max(cand.end, q.end)
            else:
                i = q.end if q.end > q.core_start + 1 and q.core_start == i else i + 1
        return out

    def _candidate(self, doc: Doc, words: list[str], q: Quantity) -> _Cand | None:
        lex = _lex()
        n = len(doc)
        core = doc[q.core_start:q.end]
        before = doc[q.start - 1] if q.start > 0 else None
        nxt = q.end
        # measures, money, ages, shares, times: "$5 million", "30 km", "aged 30", "25-year-old"
        if before is not None and before.lower_ in lex.excl_before:
            return None
        if before is not None and before.lower_ in ("in", "out", "of") and q.start >= 2 and (
                doc[q.start - 2].like_num or doc[q.start - 2].lower_ in lex.numbers):
            return None  # ratios: "one in five", "1 in 6,500", "five out of ten"
        k = nxt
        while k < n and doc[k].text in _HYPHENS:
            k += 1
        if k < n and (doc[k].lower_ in lex.excl or doc[k].lemma_.lower() in lex.excl):
            if not (doc[k].lower_ in ("m",) and q.value_kind == "vague"):
                return None
        if q.low is None and q.high is None:
            return None
        if any(t.text[:1] == "0" and len(t.text) > 1 and t.text[1:2].isdigit() for t in core):
            return None  # "04-04-2016"
        yearlike = any(_YEARLIKE.match(t.text) for t in core) and not any(t.lower_ in lex.scales for t in core)
        near = [doc[x].lower_.rstrip(".") for x in range(max(0, q.start - 3), q.start)]
        if yearlike and (len(core) > 1 or any(x in lex.months for x in near) or (before is not None and (
                before.lower_ in ("in", "since", "of", "by", "until", "from", "year", "early", "mid", "late")))):
            return None  # "21 Jun 2014", "in 2011", "2011-2014"
        in_date_ent = any(t.ent_type_ in ("DATE", "TIME", "MONEY") for t in core)
        # the counted noun
        k = nxt
        if before is not None and before.text in _QUOTES and k + 1 < n and doc[k].text in _QUOTES \
                and doc[k + 1].lower_ == "of":
            k += 1  # 'held "dozens" of government soldiers'
        more = False
        if k < n and doc[k].lower_ in ("more", "other"):
            more = doc[k].lower_ == "more"
            k += 1 if more else 0
        head: Token | None = None
        counted: tuple[int, int] | None = None
        if k < n and doc[k].lower_ == "of" and not more:
            j = k + 1
            if j < n and doc[j].lower_ in ("which", "what", "it", "these", "this", "that"):
                return None  # "537 of which are ..."
            while j < n and (doc[j].pos_ in ("DET", "PRON") and doc[j].lower_ not in ("them", "us", "whom", "those")
                             or doc[j].dep_ == "poss" or doc[j].tag_ == "POS"):
                j += 1
            if j < n and doc[j].lower_ in ("them", "us", "whom", "those"):
                head, counted = doc[j], None
            else:
                run = _np_run(doc, j)
                head = self._head_of(run)
                if head is not None:
                    counted = (j, head.i + 1)
        else:
            run = _np_run(doc, k)
            if run and run[0].pos_ == "NUM":
                return None
            head = self._head_of(run)
            if head is not None and head is run[0] and len(run) == 1 and head.tag_ in ("NN", "VB", "VBP") \
                    and ((q.low or 0) > 1 or q.value_kind == "vague") and not _is_people(head) \
                    and not (k + 1 < n and doc[k + 1].pos_ in ("NOUN", "PROPN")):
                ws = _word_status(head)  # a headline verb read as a noun: "Thousands rally", "Dozens flee"
                if ws and ws[1] in ("subj", "any") and ws[0] != "other" and not in_date_ent:
                    return _Cand(q, q.start, head.i + 1, None, None, bare="subj", status=ws[0], status_tok=head,
                                 anchor=head)
            ws = _word_status(head) if head is not None and head is run[0] else None
            if ws and ws[1] in ("any", "obj") and not _is_people(head, doc[head.i - 1]):
                head = None  # "At Least 17 Slain", "18 shot dead": a status word, no noun
                run = []
            if head is not None:
                counted = (nxt if not more else k, head.i + 1)
            elif run and any(t.pos_ in ("NOUN", "PROPN") for t in run):
                return None  # a figure of something else: "20 years", "three police stations"
        if head is not None:
            if head.lower_ in ("them", "us", "whom", "those"):
                if in_date_ent or yearlike:
                    return None
                return _Cand(q, q.start, head.i + 1, head, None, bare="partitive")
            if not _is_people(head, doc[head.i - 1] if head.i > 0 else None):
                return None
            if (q.low or 0) > 1 and head.tag_ in ("NN", "NNP") and not head.lower_.endswith("s") \
                    and head.lower_ not in lex.collective:
                return None  # "2015 Al-Nusra Front Commander": a number with a singular noun
            return _Cand(q, q.start, head.i + 1, head, counted)
        # a figure without a noun
        if yearlike or (in_date_ent and not more):
            return None
        if more:
            return _Cand(q, q.start, k, None, None, bare="more")
        tok = _core_token(doc, q, 0)
        return self._bare(doc, q, tok)

    def _head_of(self, run: list[Token]) -> Token | None:
        nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN") or t.lower_ in ("others",)]
        if not nouns and run and run[-1].pos_ == "ADJ" and run[-1].lower_ in _lex().people:
            return run[-1]  # an adjective used as a noun: "three of the dead", "several hundred elderly"
        if not nouns:
            return None
        # the noun phrase ends at its head: "the 3,000 guards Ostrel has there" (Ostrel is the subject
        # of a relative clause, not part of the phrase)
        idx = {t.i for t in run}
        for k, t in enumerate(nouns[:-1]):
            nxt = nouns[k + 1]
            if t.head.i not in idx and t.head is not t and nxt.head.i not in idx and nxt.head.i != t.i \
                    and t.tag_ in ("NNS", "NNPS") and t.whitespace_ and not any(
                        x.text in _HYPHENS for x in t.doc[t.i + 1:nxt.i]):
                return t  # "35 citizens last week": two phrases side by side
        # a status word written after the noun ("20 Terrorists Killed") is not the head
        while len(nouns) > 1 and _word_status(nouns[-1]) and not _is_people(nouns[-1]) \
                and nouns[-1].tag_ not in ("NNS", "NNPS"):  # "three police stations" keeps its head
            nouns.pop()
        last = nouns[-1]
        return last

    def _bare(self, doc: Doc, q: Quantity, tok: Token) -> _Cand | None:
        """A figure with no counted noun: keep it when the parse says it is people."""
        lex = _lex()
        n = len(doc)
        end = q.end
        # "The bodies of the four": a people noun + of + (the) N
        j = q.start - 1
        if j >= 0 and doc[j].lower_ in ("the", "all", "these", "those"):
            j -= 1
        if j >= 1 and doc[j].lower_ == "of" and _is_people(doc[j - 1]) and doc[j - 1].tag_ in ("NNS", "NNPS"):
            return _Cand(q, q.start if doc[q.start - 1].lower_ not in ("the",) else q.start - 1, end, None, None,
                         bare="partitive", anchor=doc[j - 1])
        # "32 killed", "18 wounded", "12 died", "18 shot dead", "the four still held"
        e = end
        while e < n - 1 and doc[e].pos_ == "ADV" and doc[e].lower_ in _STATUS_ADVERBS:
            e += 1
        if e < n:
            ws = _word_status(doc[e])
            if ws and (ws[0] != "other" or ws[1] == "any") and ws[1] in ("any", "obj", "subj") and not any(
                    c.dep_ in _OBJ for c in doc[e].children) and doc[e].pos_ in ("VERB", "ADJ", "PROPN", "NOUN"):
                if ws[1] != "obj" or doc[e].tag_ in ("VBN", "VBD", "JJ", "NNP") or doc[e].pos_ == "ADJ":
                    st, st_tok = ws[0], doc[e]
                    if doc[e].pos_ == "VERB" and ws[1] == "subj":
                        got = _verb_status(doc[e], "subj")  # "Dozens remain missing", "are waiting to leave"
                        if got:
                            st, st_tok = got
                    return _Cand(q, q.start, end, None, None, bare="subj", status=st, status_tok=st_tok)
        dep = tok.dep_
        head = tok.head
        # "the death toll rose to 115", "Death toll ... at least 112", "a tribe who number about 70000"
        if dep == "pobj" and head.lower_ == "to" and head.head.lemma_.lower() in lex.total_verbs:
            verb = head.head
        elif dep in ("dobj", "attr", "npadvmod", "appos", "nummod") and head.lemma_.lower() in lex.total_verbs:
            verb = head
        else:
            verb = None
        if verb is not None:
            subj = next((c for c in verb.children if c.dep_ in _SUBJ), None)
            if subj is not None and subj.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
                subj = verb.head
            if subj is not None and (_noun_status(subj) == "killed" or _is_people(subj)
                                     or subj.lemma_.lower() in lex.group_nouns or subj.lower_ in lex.group_nouns):
                ns = _noun_status(subj)
                if ns is None:
                    vs = _word_status(verb)
                    ns = vs[0] if vs and vs[1] in ("subj", "any") else "other"
                c = _Cand(q, q.start, end, None, None, bare="toll", status=ns, status_tok=verb, anchor=verb)
                c.counted_text = self._np_text(doc, subj)
                c.origin_toks = (subj.left_edge.i, subj.right_edge.i + 1)
                return c
        if head.pos_ in ("NOUN", "PROPN") and _noun_status(head) == "killed" and head.i < tok.i and dep in (
                "npadvmod", "appos", "nummod", "attr", "dep"):
            c = _Cand(q, q.start, end, None, None, bare="toll", status="killed", status_tok=head, anchor=head)
            c.counted_text = self._np_text(doc, head)
            return c
        # "Police put the crowd at 4,500", "put the number at between 1,800 and 2,400"
        if dep == "pobj" and head.lower_ == "at" and head.head.lemma_.lower() in lex.estimate_verbs:
            c = self._estimate(doc, q, head.head)
            if c is not None:
                return c
        # subject or object of a status verb: "Tens of thousands have fled", "wounded thousands"; a verb
        # listed as other counts too ("another 35 had been deported"), a negated verb does not
        if dep in _SUBJ | _PASS_SUBJ | _OBJ:
            role = "obj" if dep in _PASS_SUBJ or dep in _OBJ else "subj"
            got = _verb_status(head, role)
            listed_other = got is not None and got[0] == "other" and not any(
                c.dep_ == "neg" for c in head.children) and (
                _phrasal_status(got[1]) or _word_status(got[1]) or ("",))[0] == "other"  # "deported", "missing"
            if got and (got[0] != "other" or listed_other):
                return _Cand(q, q.start, end, None, None, bare="subj" if role == "subj" else "obj",
                             status=got[0], status_tok=got[1], anchor=head)
        return None

    def _estimate(self, doc: Doc, q: Quantity, verb: Token) -> _Cand | None:
        """"put/estimated the crowd at N": a figure for the object of an estimate verb."""
        lex = _lex()
        obj = next((c for c in verb.children if c.dep_ in _OBJ), None)
        if obj is None:
            return None
        inner = obj  # "the number of dead", "the number of displaced people"
        for ch in obj.children:
            if ch.dep_ == "prep" and ch.lower_ == "of":
                inner = next((x for x in ch.children if x.dep_ == "pobj"), obj)
        lemma = obj.lemma_.lower()
        ns = _noun_status(obj) or (_noun_status(inner) if inner is not obj else None)
        group = lemma in lex.group_nouns or obj.lower_ in lex.group_nouns or lemma in ("crowd", "population")
        number = lemma in ("number", "figure", "total", "count", "tally", "strength")
        if not (ns or group or number or _is_people(obj) or (inner is not obj and _is_people(inner))):
            return None
        c = _Cand(q, q.start, q.end, None, None, bare="estimate", status=ns or ("present" if group else "other"),
                  status_tok=obj, anchor=verb)
        if inner is not obj or not number:
            c.counted_text = self._np_text(doc, inner if inner is not obj else obj)
            c.origin_toks = (inner.left_edge.i, inner.right_edge.i + 1)
        else:
            c.inherit = True  # "the number": the figure of the count before
        return c

    @staticmethod
    def _np_text(doc: Doc, tok: Token) -> str:
        left = tok.left_edge.i
        while left < tok.i and doc[left].pos_ in ("DET", "PRON") and doc[left].dep_ in ("det", "poss"):
            left += 1
        return doc[left:tok.i + 1].text

    # -- per count ---------------------------------------------------------------------------------

    def _status(self, doc: Doc, c: _Cand) -> None:
        self._find_status(doc, c)
        # being somewhere does not end a lasting status of the noun: "Several dozen detainees had
        # protested", "Eleven of the wounded were in hospital"
        if c.status == "present" and c.head is not None:
            ns = _noun_status(c.head)
            if ns in ("detained", "wounded", "killed"):
                c.status, c.status_tok = ns, c.head

    def _find_status(self, doc: Doc, c: _Cand) -> None:
        if c.bare in ("subj", "obj", "toll") and c.status != "other" or c.bare == "estimate":
            return
        lex = _lex()
        head = c.head
        if head is None:
            if c.bare == "partitive" and c.anchor is not None:
                ns = _noun_status(c.anchor)
                if ns:
                    c.status, c.status_tok = ns, c.anchor
                    return
                head = c.anchor
            else:
                head = _core_token(doc, c.q, 0)
        if c.head is not None and _noun_status(c.head) == "killed":
            c.status, c.status_tok = "killed", c.head  # "14 deaths in custody", "50 bodies were handed over"
            return
        after = [doc[k] for k in range(head.i + 1, min(head.i + 3, len(doc)))]
        count_toks = set(range(c.start, c.end))
        # a status phrase that ends where the figure starts: "home to 1.3 million people"
        for j in range(max(0, c.start - 3), c.start):
            m = _match_status(doc, j, stop=c.start)
            if m and j + m[0] == c.start and m[2] in ("any", "prep") and m[0] > 1:
                c.status, c.status_tok = m[1], doc[j]
                return
        # 1. the verb the counted noun is subject or object of
        gov, role = _governor(head)
        c.anchor = gov or head
        if gov is not None and role == "obj" and gov.lemma_.lower() in lex.total_verbs:
            subj = next((x for x in gov.children if x.dep_ in _SUBJ), None)
            ns = _noun_status(subj) if subj is not None else None
            if ns:  # "the death toll reached at least 112 people"
                c.status, c.status_tok = ns, subj
                return
        if gov is not None and role in ("subj", "obj"):
            got = _verb_status(gov, role)
            if got:  # "other" here is a verb listed as other ("deported") or a negation: final
                c.status, c.status_tok = got
                return
            # verbs joined to the governing one share its subject: "had been stopped at a checkpoint
            # and taken away for questioning", "crossed the river and surrendered"
            subj = next((x for x in gov.children if x.dep_ in _SUBJ or x.dep_ in _PASS_SUBJ), None)
            shares = subj is not None and subj.left_edge.i <= head.i <= subj.right_edge.i
            for cj in (gov.children if shares else ()):
                if cj.dep_ == "conj" and cj.pos_ == "VERB" and not any(
                        x.dep_ in _SUBJ or x.dep_ in _PASS_SUBJ for x in cj.children):
                    cj_role = role if role == "subj" or cj.tag_ == "VBN" else "subj"
                    got = _verb_status(cj, cj_role)
                    if got and got[0] != "other":
                        c.status, c.status_tok = got
                        return
        if gov is not None and role == "noun":
            c.status, c.status_tok = _noun_status(gov) or "other", gov
            return
        if gov is not None and role == "pobj" and gov.pos_ in ("VERB", "AUX"):
            # "the death toll has risen to 82 people"
            prep = head.head if head.dep_ == "pobj" else None
            if prep is not None and prep.lower_ == "to" and gov.lemma_.lower() in lex.total_verbs:
                subj = next((x for x in gov.children if x.dep_ in _SUBJ), None)
                ns = _noun_status(subj) if subj is not None else None
                if ns:
                    c.status, c.status_tok = ns, subj
                    return
            got = _verb_status(gov, "obj")
            if got and got[0] != "other":
                c.status, c.status_tok = got
                return
        # 2. words right after the noun: "20 Terrorists Killed", "one officer dead", "troops currently in Syria"
        k = 0
        while k < len(after) and after[k].lower_ in ("currently", "still", "now", "already"):
            k += 1
        if k < len(after) and after[k].dep_ == "prep":
            ps = _prep_status(after[k])
            if ps and (k > 0 or after[k].head is head):
                c.status, c.status_tok = ps, after[k]
                return
        got = _modifier_status(head, after, adjacent_only=True)
        if got:
            c.status, c.status_tok = got[0], got[1]
            if c.status != "other":
                return
        # 3. a status word further down the governing clause ("asked for help in reaching Turkey")
        if gov is not None and role in ("subj", "obj", "pobj") and c.status == "other":
            excl = {t.i for t in head.subtree} | count_toks
            got = _fallback_status(gov, excl)
            if got:
                c.status, c.status_tok = got
                return
        # 4. what qualifies the noun: "fighters killed", "who had been fighting", "still in the enclave"
        got = _modifier_status(head, [])
        if got:
            c.status, c.status_tok = got[0], got[1]
            if c.status != "other":
                return
        for ch in head.children:  # "nationals (who) asked for help in reaching Turkey"
            if ch.dep_ in ("acl", "relcl") and ch.pos_ == "VERB" and c.status == "other":
                got = _fallback_status(ch, count_toks)
                if got:
                    c.status, c.status_tok = got
                    return
        # 5. the noun itself: "bodies", "refugees", "residents"
        ns = _noun_status(head)
        if ns:
            c.status, c.status_tok = ns, head

    def _place_time(self, doc: Doc, c: _Cand, published: str | None,
                    sent_ents: list) -> tuple[dict | None, dict | None]:
        """Place and time of a count; ``sent_ents`` are the entities of each sentence (read once per doc)."""
        anchor = c.status_tok if c.status_tok is not None else c.anchor
        if anchor is None:
            return None, None
        # the clause: climb from the status word to its clause verb
        clause = anchor
        for _ in range(4):
            if clause.pos_ in ("VERB", "AUX") and clause.dep_ not in ("amod", "acl"):
                break
            if clause.head is clause:
                break
            clause = clause.head
        ents = sent_ents[self._sent_of[anchor.i]]
        own = set(range(c.start, c.end))
        scopes = [anchor, clause] if clause is not anchor else [anchor]
        place = time = None
        for ent in ents:
            if ent.start in own:
                continue
            root = ent.root
            inside = any(root.is_ancestor(s) is False and (s.is_ancestor(root) or s == root) for s in scopes)
            if not inside:
                continue
            if ent.label_ in _PLACE_ENTS and place is None:
                place = ent
            elif ent.label_ in _TIME_ENTS and time is None:
                if _DIGITS.match(ent.text.strip()) and not _YEARLIKE.match(ent.text.strip()):
                    continue
                time = ent
        if place is None:
            # no place in the clause: the place entity of the sentence nearest to the figure
            near = [e for e in ents if e.label_ in _PLACE_ENTS and e.start not in own]
            if near:
                place = min(near, key=lambda e: min(abs(e.start - c.start), abs(e.end - c.end)))
        place_d = {"text": place.text, "start": place.start_char, "end": place.end_char} if place else None
        time_d = None
        if time is not None:
            s = time.start
            # take the leading preposition: "since early January", "As of late January", "On Monday"
            if s > 0 and doc[s - 1].dep_ == "prep" or (s > 0 and doc[s - 1].lower_ in ("since", "until", "on", "of", "in", "as", "over", "during", "within")):
                s -= 1
                if s > 0 and doc[s].lower_ == "of" and doc[s - 1].lower_ == "as":
                    s -= 1
            start, end = doc[s].idx, time.end_char
            text = doc[s:time.end].text  # (doc.text rebuilds the whole string on each access)
            r = dates.resolve(text, published)
            time_d = {"text": text, "start": start, "end": end,
                      "from": r["from"] if r else None, "to": r["to"] if r else None}
        else:
            for t in [*clause.children]:
                if t.dep_ == "advmod" and t.lower_ in ("now", "currently", "today", "yesterday"):
                    r = dates.resolve(t.text, published)
                    time_d = {"text": t.text, "start": t.idx, "end": t.idx + len(t.text),
                              "from": r["from"] if r else None, "to": r["to"] if r else None}
                    break
        return place_d, time_d

    # -- tallies ------------------------------------------------------------------------------------

    def _singles(self, doc: Doc, cands: list[_Cand]) -> list[_Cand]:
        """"a woman", "a civilian" inside a tally with other counts ("six police officers and a civilian")."""
        taken = set()
        for c in cands:
            taken.update(range(c.start, c.end))
        heads = {c.head.i: idx for idx, c in enumerate(cands) if c.head is not None}
        extra: list[_Cand] = []
        lex = _lex()
        for idx, c in enumerate(cands):
            linked: list[Token] = list(c.head.conjuncts) if c.head is not None else []
            holders = [c.head] if c.head is not None else []
            if c.head is not None and (c.head.dep_ in _OBJ or c.head.dep_ in _PASS_SUBJ):
                holders.append(c.head.head)  # "killed four returnees, including a boy"
            for ch in (x for hd in holders for x in hd.children):
                if ch.dep_ == "prep" and ch.lower_ in ("including", "among"):
                    for p in ch.children:
                        if p.dep_ == "pobj":
                            linked.append(p)
                            linked.extend(p.conjuncts)
            # "nine of them were in a serious condition, including a girl aged 4": "including" right
            # after the clause of the count, wherever the parse hangs it
            nxt = cands[idx + 1].start if idx + 1 < len(cands) else len(doc)
            sent_end = self._sent_end[self._sent_of[c.end - 1]]
            for j in range(c.end, min(nxt, sent_end) - 1):
                if doc[j].lower_ == "including" and doc[j + 1].lower_ in ("a", "an", "one"):
                    p = doc[j + 1].head
                    if p.i > j + 1 and p not in linked:
                        linked.append(p)
                        linked.extend(p.conjuncts)
            for t in linked:
                if t.i in taken or t.i in heads or t.tag_ not in ("NN", "NNP", "JJ"):
                    continue
                det = next((x for x in t.children if x.dep_ in ("det", "nummod") and x.lower_ in ("a", "an", "one")),
                           None)
                # a singular nationality word is one person in a tally: "four Algerians and a Libyan"
                demonym = t.lower_ in lex.demonyms and t.pos_ in ("NOUN", "PROPN", "ADJ") and (
                    t.i + 1 >= len(doc) or doc[t.i + 1].pos_ not in ("NOUN", "PROPN"))
                if det is None or not (demonym or (t.tag_ != "JJ" and _is_people(t, doc[t.i - 1]))):
                    continue
                q = Quantity(det.i, det.i, det.i + 1, 1, 1, False, "number")
                nc = _Cand(q, det.i, t.i + 1, t, (det.i + 1, t.i + 1), linked_to=idx)
                extra.append(nc)
                taken.update(range(det.i, t.i + 1))
        # "Among the dead were a woman and a child": singles listed together, with a status
        for t in doc:
            if t.tag_ != "NN" or t.i in taken or t.dep_ == "conj":
                continue
            group = [t, *[x for x in t.conjuncts if x.tag_ == "NN"]]
            if len(group) < 2:
                continue
            dets = [next((x for x in g.children if x.dep_ in ("det", "nummod") and x.lower_ in ("a", "an", "one")),
                         None) for g in group]
            if any(d is None for d in dets) or not all(_is_people(g, doc[g.i - 1]) for g in group):
                continue
            if any(g.i in taken for g in group):
                continue
            made = []
            for g, d in zip(group, dets):
                q = Quantity(d.i, d.i, d.i + 1, 1, 1, False, "number")
                made.append(_Cand(q, d.i, g.i + 1, g, (d.i + 1, g.i + 1)))
            self._status(doc, made[0])
            if made[0].status in ("other", "present") or t.dep_ == "pobj":
                continue  # a description ("regarded as a computer expert and a supporter"), not a tally
            for m in made:
                m.status, m.status_tok, m.anchor = made[0].status, made[0].status_tok, made[0].anchor
                taken.update(range(m.start, m.end))
            extra.extend(made)
        return extra

    def _tally_ok(self, doc: Doc, c: _Cand, cands: list[_Cand]) -> bool:
        """A single person counts only inside a tally: linked to or listed next to another count."""
        others = [o for o in cands if o is not c and not (o.q.low == 1 and o.q.high == 1)]
        if c.head is not None:
            heads = {o.head.i for o in others if o.head is not None}
            if any(x.i in heads for x in c.head.conjuncts):
                return True
            h = c.head
            if h.dep_ == "pobj" and h.head.lower_ in ("including", "among") and h.head.head.i in heads:
                return True
        for o in others:
            if 0 < o.start - c.end <= 3:
                gap = doc[c.end:o.start]
                if any(t.lower_ in (",", "and", ";") for t in gap):
                    return True
            if 0 < c.start - o.end <= 3:
                gap = doc[o.end:c.start]
                if any(t.lower_ in (",", "and", ";") for t in gap):
                    return True
        return False

    # -- main ---------------------------------------------------------------------------------------

    def __call__(self, doc: Doc) -> Doc:
        published = doc._.sb_published
        cands = self._candidates(doc)
        if not cands:
            doc._.sb_counts = []
            return doc
        doc_text = doc.text
        # sentences and entities, read once per doc
        sents = list(doc.sents)
        self._sent_end = [sent.end for sent in sents]
        self._sent_of = sent_of = self._sentence_index(doc, sents)
        sent_ents: list[list] = [[] for _ in sents]
        for ent in doc.ents:
            sent_ents[sent_of[ent.start]].append(ent)
        cands = [c for c in cands if not (c.q.low == 1 and c.q.high == 1) or self._tally_ok(doc, c, cands)]
        cands = cands + self._singles(doc, cands)
        cands.sort(key=lambda c: c.start)
        by_head = {c.head.i: c for c in cands if c.head is not None}
        quotes = sorted(doc._.sb_quotes or [], key=lambda qq: (qq.start, -(qq.end - qq.start)))
        counts: list[Count] = []
        prev_counted: list[tuple[int, str, str | None]] = []  # (sentence index, counted, origin)
        for c in cands:
            self._status(doc, c)
        # members of a tally or of an "including" list take the status of the whole
        for k, c in enumerate(cands):
            if c.status != "other":
                continue
            parent = None
            h = c.head
            if h is not None:
                for x in (h.head if h.dep_ == "conj" else None,
                          h.head.head if h.dep_ == "pobj" and h.head.lower_ in ("including", "among") else None):
                    if x is not None and x.i in by_head and by_head[x.i] is not c:
                        parent = by_head[x.i]
            if parent is None and h is not None:
                # a participle after the last member qualifies the whole coordination: "five officers and
                # about a dozen militants left dead", "412 men and 19 boys held in the prison"
                for cj in h.conjuncts:
                    o = by_head.get(cj.i)
                    st = o.status_tok if o is not None else None
                    if o is None or o is c or cj.i < h.i or o.status == "other" or st is None or st.i < cj.i:
                        continue
                    x = st
                    for _ in range(2):  # "left dead": the status word or its verb hangs on the member
                        if x.head.i == cj.i and x.dep_ in ("acl", "amod", "relcl"):
                            parent = o
                            break
                        x = x.head
            if parent is None and k > 0 and self._listed_after(doc, c) and sent_of[cands[k - 1].start] == sent_of[c.start]:
                parent = cands[k - 1]  # "212 wounded, among them 40 civilians", "..., including 150 Uzbeks"
            if parent is None and c.inherit and k > 0 and sent_of[c.start] - sent_of[cands[k - 1].start] <= 2:
                parent = cands[k - 1]  # "put the number at ...": the figure before
            if parent is not None and parent.status != "other":
                c.status, c.status_tok = parent.status, parent.status_tok
                continue
            got = self._subject_status(doc, c, cands)
            if got is not None:
                c.status, c.status_tok = got
        for c in cands:
            start_char = doc[c.start].idx
            end_tok = doc[c.end - 1]
            end_char = end_tok.idx + len(end_tok.text)
            q = c.q
            num_start = doc[q.start].idx
            num_end = doc[q.end - 1].idx + len(doc[q.end - 1].text)
            sent_k = sent_of[c.start]
            inherited = False
            # counted
            if c.counted_text:
                counted = c.counted_text
            elif c.counted_span is not None:
                a, b = c.counted_span
                while a < b and doc[a].lower_ in ("more",):
                    a += 1
                h = c.head
                # of/from phrases belong to the counted phrase: "members of the security forces"
                for ch in h.children if h is not None else ():
                    if ch.dep_ == "prep" and ch.lower_ in ("of", "from") and ch.i == h.i + 1:
                        b = max(b, ch.right_edge.i + 1)
                counted = doc[a:b].text
            else:
                # a figure without a noun ("Dozens more", "two of them", "a further 40 were expected"):
                # the counted phrase (and origin) of the count before; "N more" may look back any
                # distance, others two sentences
                reach = len(doc) if c.bare == "more" else 2
                if prev_counted and sent_k - prev_counted[-1][0] <= reach:
                    counted, inherited = prev_counted[-1][1], True
                else:
                    counted = "people"
            # origin
            if inherited:
                origin = prev_counted[-1][2]
            elif c.origin_toks is not None:
                origin = _origin(doc[c.origin_toks[0]:c.origin_toks[1]])
            elif c.counted_span is not None:
                a, b = c.counted_span
                toks = list(doc[a:b])
                h = c.head
                if h is not None:
                    preps = [ch for ch in h.children if ch.dep_ == "prep" and ch.lower_ in ("of", "from")]
                    for ch in h.children:
                        if ch.dep_ == "acl":
                            preps.extend(p for p in ch.children if p.dep_ == "prep" and p.lower_ == "from")
                    for p in preps:
                        for obj in p.children:
                            if obj.dep_ == "pobj":
                                for o in (obj, *obj.conjuncts):
                                    toks.extend(doc[o.left_edge.i:o.i + 1])
                origin = _origin(toks)
            else:
                origin = None
            place, time = self._place_time(doc, c, published, sent_ents)
            source = REPORTER
            for qt in quotes:
                if qt.start <= num_start and num_end <= qt.end:
                    source = qt.source
                    break
            counts.append(Count(
                id=f"C{len(counts) + 1}",
                start=start_char,
                end=end_char,
                text=doc_text[start_char:end_char],
                number=doc_text[num_start:num_end],
                low=q.low,
                high=q.high,
                approximate=q.approximate,
                counted=counted,
                status=c.status,
                origin=origin,
                place=place,
                time=time,
                source=source,
                extractor=NAME,
            ))
            if counted:
                # a member of a tally ("four members ... and a female tourist from Canada") does not lend
                # its origin to a later "all five"
                h = c.head
                tally = (q.low == 1 and q.high == 1) or (h is not None and (
                    h.dep_ == "conj" or any(ch.dep_ == "conj" for ch in h.children)))
                prev_counted.append((sent_k, counted, None if tally else origin))
        doc._.sb_counts = counts
        return doc

    @staticmethod
    def _sentence_index(doc: Doc, sents: list) -> list[int]:
        """For every token, the index of its sentence (read once per doc)."""
        out = [0] * len(doc)
        for k, sent in enumerate(sents):
            for i in range(sent.start, sent.end):
                out[i] = k
        return out

    @staticmethod
    def _listed_after(doc: Doc, c: _Cand) -> bool:
        """The figure follows "including", "among them", "among whom" or "of whom"."""
        s = c.start
        if s >= 1 and doc[s - 1].lower_ in ("including", "includes", "included"):
            return True
        return s >= 2 and doc[s - 2].lower_ in ("among", "of") and doc[s - 1].lower_ in ("them", "whom", "those")

    @staticmethod
    def _subject_status(doc: Doc, c: _Cand, cands: list[_Cand]) -> tuple[str, Token] | None:
        """"The dead included nine women", "the detained foreigners were seven Moroccans", "The four still
        held are two Kenyan nurses": a figure named as what a subject is or includes takes the status of
        that subject (its own count, its noun, or its participle)."""
        tok = c.head if c.head is not None else _core_token(doc, c.q, 0)
        while tok.dep_ == "conj" and tok.head.i != tok.i:
            tok = tok.head
        if tok.dep_ not in ("attr", "dobj", "appos"):
            return None
        verb = tok.head
        if tok.dep_ == "appos":
            subj = verb  # "The freed workers, eight Dravanians and three Ostrelians, ..."
        else:
            if verb.lemma_.lower() not in ("be", "include", "comprise"):
                return None
            subj = next((x for x in verb.children if x.dep_ in _SUBJ or x.dep_ in _PASS_SUBJ), None)
        if subj is None:
            for ch in verb.children:  # "Among those arrested were four Algerians and a Libyan"
                if ch.dep_ == "prep" and ch.lower_ == "among":
                    ps = _prep_status(ch)
                    if ps:
                        return ps, ch
            return None
        for o in cands:
            if o is not c and o.start <= subj.i < o.end and o.status != "other":
                return o.status, o.status_tok
        ns = _noun_status(subj)
        if ns:
            return ns, subj
        for x in subj.children:
            if x.dep_ in ("amod", "acl") and x.tag_ in ("VBN", "JJ"):
                ws = _word_status(x)
                if ws and ws[1] in ("any", "obj"):
                    return ws[0], x
        return None


@registry.component(NAME, outputs=("sb_counts",), packages=("dateparser",))
def make_counts(nlp: Language, name: str) -> CountFinder:
    return CountFinder(nlp)
