"""Shared state of one attribution pass: the article, its quotation marks, the sources and items found
so far, and the small helpers every part uses (positions, paragraphs, adding an item, the output)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from ... import lexicon
from ...record import REPORTER, Quote, Source, Span
from ..furniture import dateline_length
from ..quotes import QuoteMarks
from ..segment import paragraphs
from ..sents import sentences

NAME = "sourcebook_attribution_v2"

SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}
REL_PRONOUNS = {"who", "which", "that", "whom"}
NAME_PARTICLES = {"abu", "abou", "umm", "um", "al", "el", "bin", "ibn", "ben"}
DETERMINERS = {"a", "an", "the", "one", "some", "another", "this", "that", "these", "those", "two", "three",
               "several", "many", "other"}
# passives where the subject is not the speaker: "is said to" (a hedge with no holder), "was told"
_PASSIVE_NOT_CUE = {"say", "tell", "brief", "inform", "ask", "assure", "remind", "warn", "order", "urge"}
_NOT_CONTENT_START = {"without", "after", "before", "during", "while", "when", "through", "via", "citing", "adding",
                      "saying"}
_ROLE_STOP = {"a", "an", "the", "in", "of", "at", "for", "from", "with", "who", "which", "that", "on", "by", "and"}
_AGENT_SUFFIXES = ("er", "or", "ist", "ian", "ant", "ent", "man", "men", "woman", "person", "ee", "ese", "ite", "crat")
_ACRONYM_RE = re.compile(
    r"(?P<full>[A-Z][\w’'.-]*(?:\s+(?:(?:of|the|for|and|on|in|de|al|du)\s+)*[A-Z][\w’'.-]*)+)\s*\((?P<abbr>[A-Z][A-Za-z]{1,9})\)")
# "the United Nations refugee agency (UNHCR)": a name in capitals and one or two common nouns
_ACRONYM_DESC_RE = re.compile(
    r"\b(?P<full>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)+(?:\s+[a-z][a-z-]+){1,2})\s*\((?P<abbr>[A-Z][A-Za-z]{1,9})\)")
_LABEL_RE = re.compile(r"[ \t]*([A-Z][A-Za-z.'’-]*(?: [A-Z][A-Za-z.'’-]*){0,3}):[ \t]+(?=\S)(.)")
_TITLE_RE = re.compile(r"^(?:mr|mrs|ms|dr|prof|gen|col|lt|maj|capt|sgt|sen|rep|gov|pres)\.?$", re.I)


def _cue_frames() -> dict[str, str]:
    return {row[0].lower(): (row[1] if len(row) > 1 else "say") for row in lexicon.table("cue_verbs")}


def _pronouns() -> dict[str, tuple[str, str]]:
    return {row[0].lower(): (row[1], row[2]) for row in lexicon.table("pronouns")}


def _kinds() -> dict[str, str]:
    return {row[0].lower(): row[1] for row in lexicon.table("source_kinds")}


def _nickname_res() -> list[re.Pattern]:
    return [re.compile(p) for p in lexicon.phrases("nickname_phrases")]


@dataclass(frozen=True)
class Config:
    """The word lists one attribution pass reads (all from ``lexicon/``), loaded once per pipeline."""

    frames: dict[str, str]
    pronouns: dict[str, tuple[str, str]]
    kinds: dict[str, str]
    nicknames: list[re.Pattern]
    phrases: list[tuple[str, ...]]
    phrase_first: frozenset[str]
    anonymity: list[re.Pattern]
    people: frozenset[str]
    statement_nouns: frozenset[str]
    generic_orgs: frozenset[str]
    outlets: frozenset[str]
    gender_words: dict[str, str]
    role_heads: frozenset[str]
    connectives: tuple[str, ...]
    titles: frozenset[str]
    place_nouns: frozenset[str]
    institutions: dict[str, str]
    state_words: frozenset[str]
    group_parts: frozenset[str]
    abbreviations: frozenset[str]
    attempt_verbs: frozenset[str]
    title_small_words: frozenset[str]
    answer_words: frozenset[str]

    @classmethod
    def load(cls) -> "Config":
        phrases = [tuple(p.lower().split()) for p in lexicon.phrases("cue_phrases")]
        return cls(
            frames=_cue_frames(),
            pronouns=_pronouns(),
            kinds=_kinds(),
            nicknames=_nickname_res(),
            phrases=phrases,
            phrase_first=frozenset(p[0] for p in phrases),
            anonymity=[re.compile(p, re.I) for p in lexicon.phrases("anonymity_phrases")],
            people=frozenset(lexicon.words("people_nouns") | lexicon.words("speaker_nouns")),
            statement_nouns=frozenset(lexicon.words("statement_nouns")),
            generic_orgs=frozenset(lexicon.words("generic_org_nouns")),
            outlets=frozenset(lexicon.words("outlet_nouns")),
            gender_words={row[0].lower(): row[1] for row in lexicon.table("gender_words")},
            role_heads=frozenset(lexicon.words("role_heads")),
            connectives=tuple(sorted(lexicon.words("content_connectives"), key=len, reverse=True)),
            titles=frozenset(lexicon.words("title_words")),
            place_nouns=frozenset(lexicon.words("place_nouns")),
            institutions={row[0].lower(): row[1].strip().lower() for row in lexicon.table("institution_nouns")},
            state_words=frozenset(lexicon.words("institution_state_words")),
            group_parts=frozenset(lexicon.words("group_part_words")),
            abbreviations=frozenset(lexicon.words("abbreviations")),
            attempt_verbs=frozenset(lexicon.words("attempt_verbs")),
            title_small_words=frozenset(lexicon.words("headline_small_words")),
            answer_words=frozenset(lexicon.words("answer_words")),
        )


@dataclass
class Description:
    """A speaker noun phrase read apart: who it names (or not), in what role, for whom."""

    name: str | None
    head: str
    anonymous: bool
    role: str | None
    affiliation: str | None
    kind: str  # person | group | organization | document
    number: str  # sg | pl
    aliases: set[str]
    root: Token
    definite: bool = False
    gender: str = "-"

    @classmethod
    def organization(cls, name: str | None, head: str, aliases: set[str], root: Token) -> "Description":
        """A named organization (no role or affiliation of its own)."""
        return cls(name=name, head=head, anonymous=False, role=None, affiliation=None, kind="organization",
                   number="sg", aliases=aliases, root=root, definite=False, gender="-")


@dataclass
class _Src:
    id: str
    name: str | None
    mention: tuple[int, int]
    head: str
    anonymous: bool
    role: str | None
    affiliation: str | None
    kind: str
    number: str  # sg | pl
    gender: str = "-"
    aliases: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)
    last: int = 0  # char offset of the latest mention
    core: tuple[str, ...] = ()  # the words of the description up to its head, lower-cased
    summarized: bool = False  # cited for a statement the article only summarizes (no quote item)

    def add_mention(self, start: int, end: int) -> None:
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))
        self.last = max(self.last, start)


@dataclass
class _Item:
    start: int
    end: int
    type: str
    cue: tuple[int, int] | None
    src: _Src | None
    confidence: float
    via: str = "rules"  # rules | learned: which part of the component found it


#: Part-of-speech tags of a finite verb: a clause, not a noun phrase.
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
#: verbs of saying whose object is the one addressed, not what was said ("told reporters")
ADDRESSEE_VERBS = frozenset({"tell", "inform", "brief", "assure", "remind", "warn"})
_SENTENCE_END = re.compile(r"(\w*)([.!?])(?=\s+[A-Z])")
_NAMING_WORDS = {"called", "titled", "entitled", "named", "dubbed", "nicknamed", "headlined"}
_ACCORDING_TAIL = re.compile(r",[\"”’']?\s+according to\b", re.I)


def acronym_as_verb(t: Token) -> bool:
    """An organization's initials the tagger read as a verb form: "IS said" (Islamic State) as "is said"."""
    return t.text.isupper() and len(t.text) >= 2 and t.pos_ in ("AUX", "VERB")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower() if tok.lemma_ else tok.lower_


def _is_cue(tok: Token, frames: dict[str, str]) -> bool:
    return tok.pos_ in ("VERB", "AUX") and _lemma(tok) in frames or (
        tok.tag_ in ("VBD", "VBZ", "VBP", "VBN", "VBG", "VB") and _lemma(tok) in frames
    )


def _trim(doc: Doc, i: int, j: int) -> tuple[int, int]:
    """Token range [i, j) without leading/trailing punctuation, conjunctions and quote marks."""
    while i < j and (doc[i].is_punct or doc[i].is_space or doc[i].lower_ in ("and", "but", "that", "while")):
        i += 1
    while j > i and (doc[j - 1].is_punct or doc[j - 1].is_space) and doc[j - 1].text not in (")", "]", "%"):
        j -= 1
    return i, j


def _chars(doc: Doc, i: int, j: int) -> tuple[int, int]:
    return doc[i].idx, doc[j - 1].idx + len(doc[j - 1].text)


class RunBase:
    """One pass of attribution over one Doc: the state, and the helpers every part uses."""

    def __init__(self, cfg: Config, doc: Doc) -> None:
        self.cfg = cfg
        self.doc = doc
        self.text = doc.text
        self.sources: list[_Src] = []
        self.items: list[_Item] = []
        self.marks: list[QuoteMarks] = list(doc._.sb_quote_marks or [])
        self.used_marks: set[int] = set()
        self.claimed: list[tuple[int, int]] = []  # char ranges already part of some content
        self.last_item_src: _Src | None = None
        self.outer: _Item | None = None  # the item a nested cue sits in, while it is processed
        self.coordinated: list = []  # (cue token, the cue it shares a subject with)
        self.forced_subject: dict[int, Token] = {}
        self.para_starts = [s for s, _e in paragraphs(self.text)] or [0]
        # token index of each char (start of token)
        self.sents = list(sentences(doc)[0])
        self._titles_before: dict[str, set[str]] = {}  # Linking.titles_before, per name
        self.ents = tuple(doc.ents)  # doc.ents rebuilds its list on every access: read it once
        self._chunks: list | None = None  # doc.noun_chunks, read once when first needed
        self.acronyms = self.find_acronyms()
        self.appositives = self.find_appositives()
        # words the article uses as place names somewhere ("Eastern Ghouta"): not people elsewhere
        self.place_names = {w for e in self.ents if e.label_ in ("GPE", "LOC", "FAC") for w in (e.text, e[-1].text)}
        # names the tagger gives a person somewhere ("President Ivan Duque"): the full name and, for
        # names of two words or more, the surname ("Duque" tagged ORG elsewhere is still that person)
        self.person_names = {w for e in self.ents if e.label_ == "PERSON" and e[0].text[:1].isupper()
                             for w in ((e.text, e[-1].text) if len(e) >= 2 else (e.text,))}
        # "who asked not to be named": a cue word inside an anonymity explanation is no cue
        self.anon_ranges = [(m.start(), m.end()) for rx in cfg.anonymity for m in rx.finditer(self.text)]

    def find_acronyms(self) -> dict[str, str]:
        """Short forms the article defines or implies: "Ministry of Defence (MoD)", ICRC for the
        International Committee of the Red Cross (initials of an organization named in the text)."""
        table: dict[str, str] = {}
        for m in _ACRONYM_RE.finditer(self.text):
            full = re.sub(r"^(?:The|the)\s+", "", m.group("full").strip())
            table.setdefault(m.group("abbr").lower(), full)
        for m in _ACRONYM_DESC_RE.finditer(self.text):
            full = re.sub(r"^(?:The|the)\s+", "", m.group("full").strip())
            if full[:1] == m.group("abbr")[:1] and m.group("abbr").lower() not in table:
                table[m.group("abbr").lower()] = full
        for ent in self.ents:
            if ent.label_ not in ("ORG", "NORP", "GPE", "FAC"):
                continue
            words = [w for w in re.split(r"[\s-]+", ent.text) if w]
            if words and words[0].lower() == "the":
                words = words[1:]
            caps = [w[0] for w in words if w[:1].isupper()]
            if len(caps) >= 2:
                table.setdefault("".join(caps).lower(), " ".join(words))
        return table

    def find_appositives(self) -> dict[str, set[str]]:
        """What the article calls each organization: "the Syrian Observatory for Human Rights, a
        Britain-based monitoring group" -> {"group", "monitoring", ...}, so that "the monitoring
        group" later refers back to it."""
        out: dict[str, set[str]] = {}
        doc = self.doc
        for ent in self.ents:
            if ent.label_ not in ("ORG", "NORP", "FAC") or ent.end + 2 >= len(doc):
                continue
            if doc[ent.end].text != "," or doc[ent.end + 1].lower_ not in ("a", "an", "the"):
                continue
            k = ent.end + 1
            words = set()
            while k < len(doc) and doc[k].pos_ in ("DET", "ADJ", "NOUN", "PROPN", "VERB",
                                                   "PUNCT") and doc[k].text not in (",", ".", ";"):
                if doc[k].pos_ in ("NOUN", "ADJ"):
                    words.add(_lemma(doc[k]))
                k += 1
            name = re.sub(r"^(?:the|The)\s+", "", ent.text).lower()
            out.setdefault(name, set()).update(words)
        return out

    def expand(self, name: str) -> str:
        """The full name for a short form the article defines ("MoD" -> "Ministry of Defence")."""
        key = name.strip().lower()
        if len(key) <= 10 and name.strip().replace(".", "")[:1].isupper() and " " not in key:
            return self.acronyms.get(key.replace(".", ""), name)
        return name

    def tok_at(self, char: int) -> int | None:
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None and len(span) else None

    def para_of(self, char: int) -> int:
        lo, hi = 0, len(self.para_starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.para_starts[mid] <= char:
                lo = mid + 1
            else:
                hi = mid
        return lo - 1

    def in_quote(self, char: int) -> QuoteMarks | None:
        for q in self.marks:
            if q.open <= char < (q.close if q.close is not None else q.end):
                return q
        return None

    def is_claimed(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.claimed)

    def para_end(self, char: int) -> int:
        k = self.para_of(char)
        nxt = self.para_starts[k + 1] if k + 1 < len(self.para_starts) else len(self.text)
        end = nxt
        while end > char and self.text[end - 1].isspace():
            end -= 1
        return end

    def container(self, char: int) -> "_Item | None":
        for it in self.items:
            if it.start <= char < it.end:
                return it
        return None

    def ends_a_sentence(self, text: str) -> bool:
        """Whether ``text`` holds a sentence end: a full stop, "!" or "?" followed by a capital, where
        the word before a full stop is no abbreviation ("Ms. Hughes", "G.K. Butterfield")."""
        for m in _SENTENCE_END.finditer(text):
            word = m.group(1)
            if m.group(2) == "." and (len(word) == 1 or word.lower() in self.cfg.abbreviations):
                continue
            return True
        return False

    def mark_is_short(self, q: QuoteMarks) -> bool:
        return len(self.text[q.start:q.end].split()) <= 4

    def names_a_title(self, q: QuoteMarks, article: bool = False, title_case: bool = True) -> bool:
        """A quotation that names something rather than says it: the object of a preposition or a
        possessive, or after a naming word ('said on "Meet the Press."', 'his "Art of the Deal"',
        'a book titled "X"'; with ``article``, also after "the": 'the "Stronger Together" slogan'), or
        words in title case ('told "Al Arabiya Today."', 'in his memoir,
        "Bitter Bread."')."""
        span = self.doc.char_span(max(0, q.open - 80), q.open, alignment_mode="contract")
        before = span[-1] if span is not None and len(span) else None
        if before is not None and (before.pos_ == "ADP" or before.tag_ == "PRP$" or before.lower_ in _NAMING_WORDS
                                   or article and before.pos_ == "DET"):
            return True
        if not title_case and not (before is not None and before.tag_ == "POS"):
            return False  # 'CNN’s “New Day,”': a possessive before words in title case is a name
        words = [w for w in re.findall(r"[A-Za-z][\w'’-]*", self.text[q.start:q.end])]
        content = [w for w in words if w.lower() not in self.cfg.title_small_words]
        return 2 <= len(words) <= 6 and bool(content) and all(w[0].isupper() for w in content) \
            and not any(w.lower() in ("i", "we", "you") for w in words)

    def has_finite_verb(self, i: int, j: int) -> bool:
        doc = self.doc
        for t in doc[i:j]:
            if t.tag_ in FINITE_TAGS and not self.in_relcl(t, j):
                return True
        return False

    def in_relcl(self, t: Token, limit: int) -> bool:
        x = t
        for _ in range(6):
            if x.dep_ in ("relcl", "acl"):
                return True
            if any(c.lower_ in REL_PRONOUNS and c.dep_ in SUBJ_DEPS for c in x.children):
                return True
            if x.head == x:
                return False
            x = x.head
        return False

    def add(self, start: int, end: int, typ: str, cue, src: _Src | None, conf: float, via: str = "rules") -> None:
        text = self.text
        if typ == "indirect":
            first = self.doc.char_span(start, end, alignment_mode="expand")
            if first is not None and len(first) and first[0].lower_ in _NOT_CONTENT_START \
                    and not any(t.tag_ in FINITE_TAGS for t in first):
                return  # "without citing sources", "after the meeting": an adjunct, not a statement
        while start < end and text[start] in " \t\n\"“”‘’'—–-,:":
            start += 1
        if typ != "direct":
            start = self.content_start(start, end)
            # "..., according to the statement" closing the content is a cue clause of its own
            m = _ACCORDING_TAIL.search(text, start, end)
            if m is not None and m.start() > start and self.names_a_source(m.end()):
                end = m.start()
        while end > start and text[end - 1] in " \t\n\"“”—–-,:":
            end -= 1
        if end <= start:
            return
        for it in self.items:
            if it.start <= start and end <= it.end:
                return  # already covered
        self.items = [it for it in self.items if not (start <= it.start and it.end <= end and it.type != "direct")]
        self.items.append(_Item(start, end, typ, cue, src, conf, via))
        self.claimed.append((start, end))
        if src is not None:
            self.last_item_src = src

    def names_a_source(self, char: int) -> bool:
        """Whether "according to" ending at ``char`` names someone who can be cited (a name, people, an
        institution or a document), not a rule ("according to an agreement", "according to plan")."""
        k = self.tok_at(char - 2)
        if k is None:
            return False
        objs = [c for c in self.doc[k].children if c.dep_ == "pobj"]
        if not objs:
            return False
        o = objs[0]
        lemma = _lemma(o)
        return o.pos_ == "PROPN" or lemma in self.cfg.people or lemma in self.cfg.kinds

    def content_start(self, start: int, end: int) -> int:
        """Where reported content really starts: after a dateline the sentence opens with ("KHARTOUM
        (Reuters) - ") and after a connective that belongs to the article ("However, ", "Meanwhile, ")."""
        text = self.text
        para = self.para_starts[self.para_of(start)]
        if not text[para:start].strip():
            start += dateline_length(text, start, colon_ok=self.dateline_colon_ok(start))
        elif start - para < 80:
            # the sentence split inside the dateline ("BOGOTA (" | "Reuters) – Colombia's ..."):
            # the content starts after the dateline the paragraph opens with
            n = dateline_length(text, para, colon_ok=self.dateline_colon_ok(para))
            if n and start < para + n:
                start = para + n
        low = text[start:end].lower()
        for c in self.cfg.connectives:
            if low.startswith(c) and low[len(c):len(c) + 2] in (", ", ",\n") and end - start > len(c) + 12:
                start += len(c) + 1
                while start < end and text[start].isspace():
                    start += 1
                break
        return start

    def dateline_colon_ok(self, start: int) -> bool:
        """A capitalised "PLACE:" opens a dateline only where it names a place, not a transcript speaker."""
        k = self.tok_at(start)
        return k is not None and self.doc[k].ent_type_ in ("GPE", "LOC")

    def output(self) -> tuple[list[Source], list[Quote]]:
        text = self.text
        # drop unattributed direct quotes that repeat an attributed one (pull quotes)
        items = sorted((it for it in self.items if it.src is not None), key=lambda it: it.start)
        used = {id(it.src) for it in items} | {id(s) for s in self.sources if s.summarized}
        ids: dict[int, str] = {}
        sources: list[Source] = []
        for s in sorted((s for s in self.sources if id(s) in used), key=lambda s: min(m[0] for m in s.mentions)):
            sid = f"S{len(sources) + 1}"
            ids[id(s)] = sid
            ms, me = s.mention
            sources.append(Source(
                id=sid,
                name=s.name,
                mention=text[ms:me],
                head=s.head,
                anonymous=s.anonymous,
                anonymity_reason=None,
                role=s.role,
                affiliation=s.affiliation,
                kind=s.kind,
                mentions=[Span.of(text, a, b) for a, b in sorted(s.mentions)],
                extractor=NAME,
            ))
        quotes: list[Quote] = []
        for it in items:
            quotes.append(Quote(
                id=f"Q{len(quotes) + 1}",
                source=ids.get(id(it.src), REPORTER),
                start=it.start,
                end=it.end,
                text=text[it.start:it.end],
                type=it.type,
                cue=Span.of(text, *it.cue) if it.cue else None,
                confidence=round(it.confidence, 2),
                extractor=NAME,
                method=it.via,
            ))
        return sources, quotes
