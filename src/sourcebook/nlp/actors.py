"""Actors: who an event's actor or recipient is, normalized from a data-file dictionary.

``ActorResolver(doc, places)`` describes the noun phrase headed by a token as
``{text, start, end, normalized, country, sector, code, kind}``:

- ``normalized``: the canonical name of a named actor (``lexicon/actor_aliases.tsv``: armed groups and
  their aliases, state institutions, international organizations, some heads of state), the country
  name for a country, or the generic agent ("rebels", "police": ``lexicon/actor_agents.tsv``);
- ``country``: ISO 3166-1 alpha-3 (or a PLOVER entity code such as IMG, UNO, EUR, IGO) from the
  dictionary, a country or capital named as actor, a nationality word ("Syrian rebels"), a possessive
  ("Iraq's national security advisor") or "in"/"of" a place ("a court in Guyana");
- ``sector``: a PLOVER sector code (GOV, MIL, REB, COP, JUD, LEG, OPP, CVL, ...);
- ``code``: country + sector, the way CAMEO/PLOVER coders write actors ("SYRREB", "USAGOV");
- ``kind``: group | person | organization | institution | state | agent | other.

Pronouns (it, they, them, their, who, which) take the description of their antecedent: the head
noun of a relative clause, else the latest fitting actor mention in the previous sentences (never
the subject of the same clause for an object pronoun).  Users extend both word lists with files of
the same name in ``SOURCEBOOK_LEXICON_PATH``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from .. import lexicon
from .sents import sent_of

_STOP_RIGHT = {"relcl", "acl", "appos", "punct", "cc", "conj", "advcl", "prep", "parataxis"}
_PRONOUNS_SING = {"it", "its", "itself"}
_PRONOUNS_PLUR = {"they", "them", "their", "themselves"}
_RELATIVE = {"who", "which", "that", "whom", "whose"}
_OF_HEADS = {"leader", "head", "chief", "commander", "member", "fighter", "spokesman", "spokeswoman",
             "spokesperson", "founder", "militant", "official", "representative", "envoy", "forces",
             "force", "troops", "army", "government", "regime", "unit", "units", "supporter", "ally",
             "allies", "branch", "wing", "faction", "president", "minister", "ministry", "group", "groups"}
_DEFINITE_ANAPHORS = {"group", "faction", "organization", "organisation", "movement", "militants", "jihadists",
                      "extremists"}
_CAPITAL_SECTOR = "GOV"


@dataclass(frozen=True, slots=True)
class Alias:
    canonical: str
    country: str
    sector: str
    kind: str


@lru_cache(maxsize=1)
def aliases() -> tuple[dict[str, Alias], dict[str, Alias], re.Pattern | None]:
    """(case-sensitive aliases, lower-cased aliases, one regex over all of them, longest first)."""
    exact: dict[str, Alias] = {}
    folded: dict[str, Alias] = {}
    for row in lexicon.table("actor_aliases"):
        if len(row) < 2 or not row[0]:
            continue
        a = Alias(row[1], (row[2] if len(row) > 2 else "").upper().strip("-") or "",
                  row[3].upper() if len(row) > 3 else "", row[4] if len(row) > 4 else "group")
        name = row[0]
        if name.isupper() and len(name.replace(".", "")) <= 4:
            exact[name] = a
        else:
            folded[_fold(name)] = a
    names = sorted(list(exact) + list(folded), key=len, reverse=True)
    if not names:
        return exact, folded, None
    body = "|".join(re.escape(n) for n in names)
    pat = re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)
    return exact, folded, pat


def _fold(s: str) -> str:
    return " ".join(s.lower().replace("’", "'").replace("‘", "'").split())


@lru_cache(maxsize=1)
def agents() -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for row in lexicon.table("actor_agents"):
        if len(row) >= 2:
            out[row[0].lower()] = (row[1].upper(), row[2] if len(row) > 2 else row[0])
    return out


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    out: dict[str, str] = {}
    for word, code, kind in lexicon.demonym_rows():
        out[word.lower()] = code
        if kind == "demonym" and not word.endswith("s"):
            out.setdefault(word.lower() + "s", code)
    return out


@lru_cache(maxsize=512)
def iso3(alpha2: str) -> str:
    if not alpha2:
        return ""
    if alpha2 == "XK":
        return "KOS"
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=alpha2)
        return c.alpha_3 if c else ""
    except (ImportError, LookupError, KeyError):
        return ""


@lru_cache(maxsize=512)
def country_name(code3: str) -> str:
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code3)
        if c is None:
            return code3
        return getattr(c, "common_name", None) or c.name
    except (ImportError, LookupError, KeyError):
        return code3


def alias_matches(text: str) -> list[tuple[int, int, Alias]]:
    """Every dictionary actor named in ``text``: (start, end, Alias), longest first at each place."""
    exact, folded, pat = aliases()
    out: list[tuple[int, int, Alias]] = []
    if pat is None:
        return out
    for m in pat.finditer(text):
        s = m.group(0)
        a = exact.get(s) if s in exact else folded.get(_fold(s))
        if a is None:
            continue
        out.append((m.start(), m.end(), a))
    return out


class ActorResolver:
    """Describes actor phrases of one Doc (build one per Doc)."""

    def __init__(self, doc: Doc, places: list[Any]) -> None:
        self.doc = doc
        self.text = doc.text  # doc.text and doc.ents are rebuilt on every access: read them once
        self.ents = tuple(doc.ents)
        self.ent_at = {t.i: e for e in self.ents for t in e}
        self.alias_spans = alias_matches(self.text)
        # place by start char -> (country alpha-2, feature)
        self.places = places
        self._place_at: dict[int, Any] = {}
        for p in places:
            for t in doc.char_span(p.start, p.end, alignment_mode="expand") or ():
                self._place_at[t.i] = p
        self._alias_at: dict[int, tuple[int, int, Alias]] = {}
        for a, b, al in self.alias_spans:
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None:
                continue
            for t in span:
                self._alias_at.setdefault(t.i, (a, b, al))

    def in_alias(self, tok: Token) -> bool:
        return tok.i in self._alias_at

    # -- phrase -------------------------------------------------------------------------------------

    def phrase(self, head: Token, keep_clause: bool = False) -> tuple[int, int]:
        """Token range of the noun phrase headed by ``head`` (modifiers and "of" phrases)."""
        a = head.i
        for ch in head.lefts:
            if ch.dep_ in ("punct", "cc", "preconj"):
                continue
            a = min(a, ch.left_edge.i)
        b = head.i + 1
        for ch in head.rights:
            if ch.dep_ in _STOP_RIGHT and not (ch.dep_ == "prep" and ch.lower_ == "of"):
                if keep_clause and ch.dep_ in ("relcl", "acl"):
                    b = max(b, ch.right_edge.i + 1)
                    continue
                break
            b = max(b, ch.right_edge.i + 1)
        doc = self.doc
        while a < b and doc[a].is_punct:
            a += 1
        while b > a and doc[b - 1].is_punct:
            b -= 1
        return a, b

    # -- description --------------------------------------------------------------------------------

    def describe(self, head: Token, antecedent: Token | None = None) -> dict[str, Any] | None:
        doc = self.doc
        low = head.lower_
        keep_clause = low in ("those", "anyone", "people", "one", "some", "many", "others", "all")
        a, b = self.phrase(head, keep_clause=keep_clause)
        if a >= b:
            return None
        start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1])
        out: dict[str, Any] = {"text": self.text[start:end], "start": start, "end": end,
                               "normalized": None, "country": None, "sector": None, "code": None,
                               "kind": "other"}
        if antecedent is not None and antecedent.i != head.i:
            src = self.describe(antecedent)
            if src:
                for k in ("normalized", "country", "sector", "code", "kind"):
                    out[k] = src[k]
            return out
        info = self._info(head, a, b)
        out.update(info)
        if out["country"] or out["sector"]:
            out["code"] = (out["country"] or "---") + (out["sector"] or "")
        return out

    @staticmethod
    def _core(head: Token) -> list[int]:
        """The head, its left modifiers and its "of" phrase: not the clauses inside the phrase."""
        out = [head.i]
        for ch in head.lefts:
            if ch.dep_ not in ("punct", "cc", "preconj", "relcl", "acl"):
                out.extend(t.i for t in ch.subtree)
        for ch in head.rights:
            if ch.dep_ == "compound" or ch.dep_ == "flat":
                out.append(ch.i)
        return out

    def _alias_in(self, a: int, b: int, head: Token) -> tuple[int, int, Alias] | None:
        """The dictionary actor that the phrase names: at its head, else in its modifiers."""
        if head.i in self._alias_at:
            return self._alias_at[head.i]
        best = None
        for i in self._core(head):
            if i in self._alias_at:
                m = self._alias_at[i]
                if best is None or (m[1] - m[0]) > (best[1] - best[0]):
                    best = m
        return best

    def _country_in(self, a: int, b: int, skip: int | None = None) -> str | None:
        doc = self.doc
        dem = _demonyms()
        for i in range(a, b):
            if i == skip:
                continue
            p = self._place_at.get(i)
            if p is not None and p.country:
                return iso3(p.country)
            t = doc[i]
            if t.lower_ in dem and (t.is_title or t.is_upper):
                return iso3(dem[t.lower_])
        return None

    def _info(self, head: Token, a: int, b: int) -> dict[str, Any]:
        lemma = head.lemma_.lower()
        ag = agents()
        # "the leader of X", "forces of X": X decides who
        if lemma in _OF_HEADS or head.lower_ in _OF_HEADS:
            for ch in head.rights:
                if ch.dep_ == "prep" and ch.lower_ == "of":
                    for obj in ch.children:
                        if obj.dep_ == "pobj":
                            inner = self._info(obj, *self.phrase(obj))
                            if inner.get("normalized"):
                                if inner.get("kind") == "state" and lemma in ag:
                                    inner["sector"] = ag[lemma][0]
                                    inner["kind"] = "agent"
                                return inner
        al = self._alias_in(a, b, head)
        if al is not None:
            x = al[2]
            sector = x.sector
            if lemma in ag and head.i not in self._alias_at and not x.sector:
                sector = ag[lemma][0]
            return {"normalized": x.canonical, "country": x.country or None, "sector": sector or None,
                    "kind": x.kind}
        # "the al-Qaeda-inspired faction" in apposition to a named group
        if head.dep_ == "appos" and head.head.pos_ in ("PROPN", "NOUN"):
            inner = self._info(head.head, *self.phrase(head.head))
            if inner.get("normalized") and inner.get("kind") in ("group", "organization", "institution", "state",
                                                                 "person"):
                return inner
        # "the group": the latest named group before it
        if head.lemma_.lower() in _DEFINITE_ANAPHORS and any(c.lower_ in ("the", "this", "that") for c in head.lefts):
            ante = self._latest_alias(head)
            if ante is not None:
                x = ante[2]
                return {"normalized": x.canonical, "country": x.country or None, "sector": x.sector or None,
                        "kind": x.kind}
        # a country or a capital named as the actor
        p = self._place_at.get(head.i)
        if p is not None and p.country:
            c3 = iso3(p.country)
            if p.kind == "demonym":
                if head.tag_ in ("NNS", "NNPS") or head.pos_ in ("NOUN",) or head.lower_.endswith("s"):
                    return {"normalized": "people", "country": c3 or None, "sector": "CVL", "kind": "agent"}
                return {"normalized": country_name(c3) if c3 else None, "country": c3 or None,
                        "sector": None, "kind": "state"}
            if p.feature == "country":
                return {"normalized": p.name, "country": c3 or None, "sector": None, "kind": "state"}
            if p.feature == "city" and p.geonameid and getattr(p, "population", None):
                # "Moscow said", "Washington accused": a capital speaks for its government
                return {"normalized": f"{country_name(c3)} government" if c3 else p.name,
                        "country": c3 or None, "sector": _CAPITAL_SECTOR, "kind": "state"}
            return {"normalized": p.name, "country": c3 or None, "sector": None, "kind": "other"}
        key = lemma if lemma in ag else head.lower_ if head.lower_ in ag else None
        if key is not None:
            sector, canonical = ag[key]
            country = self._country_in(a, b, skip=None)
            if country is None:
                # "a court in Guyana", "forces from Chad"
                for ch in head.rights:
                    if ch.dep_ == "prep" and ch.lower_ in ("in", "from", "of"):
                        for obj in ch.children:
                            if obj.dep_ == "pobj":
                                country = self._country_in(obj.left_edge.i, obj.right_edge.i + 1)
                    if country:
                        break
            return {"normalized": canonical, "country": country, "sector": sector, "kind": "agent"}
        if head.ent_type_ == "PERSON":
            ent = self.ent_at.get(head.i)
            return {"normalized": ent.text if ent is not None else head.text, "country": self._country_in(a, b),
                    "sector": None, "kind": "person"}
        if head.ent_type_ in ("ORG", "NORP"):
            ent = self.ent_at.get(head.i)
            return {"normalized": ent.text if ent is not None else head.text, "country": self._country_in(a, b),
                    "sector": None, "kind": "organization"}
        return {"normalized": None, "country": self._country_in(a, head.i + 1), "sector": None, "kind": "other"}

    def _latest_alias(self, tok: Token) -> tuple[int, int, Alias] | None:
        lo = sent_of(tok).start
        s = sent_of(tok)
        for _ in range(2):
            if s.start == 0:
                break
            s = sent_of(self.doc[s.start - 1])
            lo = s.start
        for i in range(tok.i - 1, lo - 1, -1):
            m = self._alias_at.get(i)
            if m is not None and m[2].kind in ("group", "organization"):
                return m
        return None

    # -- pronouns -----------------------------------------------------------------------------------

    def antecedent(self, pron: Token, exclude: set[int] | None = None) -> Token | None:
        """The token a pronoun stands for, or None."""
        low = pron.lower_
        exclude = exclude or set()
        if low in _RELATIVE:
            h = pron.head
            while h.dep_ not in ("relcl", "acl") and h.head != h and h.pos_ in ("VERB", "AUX"):
                if h.dep_ in ("conj", "xcomp", "ccomp"):
                    h = h.head
                else:
                    break
            if h.dep_ in ("relcl", "acl"):
                return h.head
            return None
        if low not in _PRONOUNS_SING and low not in _PRONOUNS_PLUR:
            return None
        plural = low in _PRONOUNS_PLUR
        doc = self.doc
        sent = sent_of(pron)
        lo = sent.start
        # up to two sentences back
        s = sent
        for _ in range(2):
            if s.start == 0:
                break
            s = sent_of(doc[s.start - 1])
            lo = s.start
        ag = agents()
        for i in range(pron.i - 1, lo - 1, -1):
            t = doc[i]
            if i in exclude or t.pos_ not in ("NOUN", "PROPN"):
                continue
            if t.dep_ in ("compound", "amod", "poss") and t.head.pos_ in ("NOUN", "PROPN"):
                continue
            is_alias = i in self._alias_at
            p = self._place_at.get(i)
            is_agent = t.lemma_.lower() in ag
            if plural:
                if (is_agent and t.tag_ in ("NNS", "NNPS")) or (is_alias and self._alias_at[i][2].kind == "group") \
                        or t.lower_ in ("governments", "countries"):
                    return t
            else:
                if is_alias and self._alias_at[i][2].kind in ("group", "organization", "institution"):
                    return t
                if p is not None and p.feature == "country" and p.kind != "demonym":
                    return t
                if is_agent and t.tag_ in ("NN", "NNP") and ag[t.lemma_.lower()][0] in ("GOV", "MIL", "REB", "JUD",
                                                                                        "LEG"):
                    return t
        return None
