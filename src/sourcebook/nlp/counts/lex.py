"""The word lists of the counts component, loaded once, and the token-class constants every part uses.

Every list is a data file under ``src/sourcebook/lexicon/`` (extendable with
``SOURCEBOOK_LEXICON_PATH``): ``quantity_words.tsv`` (numbers, vague quantities, modifiers),
``people_nouns.txt``, ``count_status.tsv`` (the status a word gives), ``demonyms.tsv`` plus pycountry
(nationalities and countries), and the ``count_*`` lists named below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ... import lexicon
from .. import dates

DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
YEARLIKE = re.compile(r"^(?:1[89]\d\d|20\d\d)$")
HYPHENS = {"-", "–", "—"}
PLACE_ENTS = {"GPE", "LOC", "FAC"}
TIME_ENTS = {"DATE", "TIME"}
SUBJ = {"nsubj", "csubj", "expl"}
PASS_SUBJ = {"nsubjpass", "csubjpass"}
OBJ = {"dobj", "obj", "iobj", "oprd"}
QUOTES = {'"', "“", "”", "'", "‘", "’"}
ONE = ("a", "an", "one")  # the words that make a single person of a noun
STATUS_ADVERBS = {"still", "now", "already", "currently", "reportedly", "also", "later", "since", "all", "both"}
STATUSES = ("present", "joining", "leaving", "returned", "detained", "killed", "wounded", "surrendered", "other")


@dataclass(frozen=True, slots=True)
class Entry:
    """A row of ``quantity_words.tsv``: what kind of word it is and the range it stands for."""

    kind: str  # number | scale | vague | min | max | approx | exact | range | min_after | approx_after
    low: int | None
    high: int | None
    approx: bool


class CountLexicon:
    """All word lists of the component, loaded once (``lex()``)."""

    def __init__(self) -> None:
        self._quantities()
        self.people = lexicon.words("people_nouns")
        self.people_multi = {tuple(p.split()) for p in self.people if " " in p}
        self.excl = lexicon.words("count_exclusions")
        self.excl_before = lexicon.words("count_before_exclusions")
        self.total_verbs = lexicon.words("count_total_verbs")
        self.total_min_verbs = lexicon.words("count_total_min_verbs")
        self.number_nouns = lexicon.words("count_number_nouns")
        self.referring_nouns = lexicon.words("count_referring_nouns")
        self.nationality_nouns = lexicon.words("count_nationality_nouns")
        self.part_words = lexicon.words("count_part_words")
        self.lead_ins = tuple(tuple(p.split()) for p in lexicon.phrases("count_list_lead_ins"))
        self.headline_small = lexicon.words("headline_small_words")
        self.estimate_verbs = lexicon.words("count_estimate_verbs")
        self.group_nouns = lexicon.words("count_group_nouns")
        self.collective = lexicon.words("count_collective_nouns")
        self.months = frozenset(dates.MONTHS)
        self.status: dict[tuple[str, ...], tuple[str, str]] = {}
        # a word may be listed once more as a noun ("arrest" obj: "were arrested"; "arrest" noun:
        # "the arrest of seven men"): the first row is the word's, the noun rows are also kept here
        self.status_nouns: dict[str, str] = {}
        for row in lexicon.table("count_status"):
            if len(row) >= 3 and row[1] in STATUSES:
                self.status.setdefault(tuple(row[0].lower().split()), (row[1], row[2]))
                if row[2] == "noun" and " " not in row[0].strip():
                    self.status_nouns.setdefault(row[0].strip().lower(), row[1])
        self.time_units = {p for p, _a in dates._of_kind("unit")}
        self.status_max = max((len(k) for k in self.status), default=1)
        self.status_first = {k[0] for k in self.status}
        self.movement: dict[str, set[str]] = {}  # lemma -> kinds (count_movement.tsv)
        self.move_preps: dict[tuple[str, ...], str] = {}  # ("out", "of") -> "from"
        for row in lexicon.table("count_movement"):
            if len(row) < 2:
                continue
            if row[1] in ("from", "to"):
                self.move_preps[tuple(row[0].lower().split())] = row[1]
            else:
                self.movement.setdefault(row[0].lower(), set()).add(row[1])
        self._countries()

    def moves(self, tok, kind: str) -> bool:
        """Whether the lemma (or the form) of ``tok`` is a movement word of ``kind`` (count_movement.tsv)."""
        return kind in self.movement.get(tok.lemma_.lower(), ()) or kind in self.movement.get(tok.lower_, ())

    def _quantities(self) -> None:
        self.quant: dict[tuple[str, ...], Entry] = {}
        for row in lexicon.table("quantity_words"):
            if len(row) < 2:
                continue
            words = tuple(row[0].lower().split())
            low = int(row[2]) if len(row) > 2 and row[2] else None
            high = int(row[3]) if len(row) > 3 and row[3] else low
            approx = len(row) > 4 and row[4] == "1"
            self.quant[words] = Entry(row[1], low, high, approx)
        self.quant_max = max((len(k) for k in self.quant), default=1)
        # a number or a scale word stands for its value (every such row of quantity_words.tsv has one)
        self.numbers = {k[0]: e.low for k, e in self.quant.items()
                        if e.kind == "number" and len(k) == 1 and e.low is not None}
        self.scales = {k[0]: e.low for k, e in self.quant.items() if e.kind == "scale" and e.low is not None}

    def _countries(self) -> None:
        self.demonyms: dict[str, str] = {}  # nationality words
        self.names: dict[str, str] = {}  # country names and aliases
        for word, code, kind in lexicon.demonym_rows():
            (self.names if kind == "name" else self.demonyms)[word.lower()] = code
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
def get_lex() -> CountLexicon:
    return CountLexicon()
