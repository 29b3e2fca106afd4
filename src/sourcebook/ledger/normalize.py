"""What the ledger compares: a figure's counted group, its source, place, quote and count text, as keys.

Everything here is pure (no database): ``claim_features`` turns one stored figure (with its source,
the quote holding it and its article's outlet and date) into the normalized values that
``cluster.cluster`` compares.  The counted-group lexicon is ``lexicon/ledger_groups.tsv``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable

from .. import lexicon

_WORD = re.compile(r"[a-z0-9]+")
#: Words that say nothing about who a source is ("the Britain-based Syrian Observatory" is the
#: Syrian Observatory); dropped from name and description tokens before they are compared.
_SOURCE_STOP = frozenset("""
a an the of for and in on at to by from with its their his her our this that these those
based led backed run one two some several many other another senior top spokesman spokeswoman
spokesperson head chief director mr mrs ms dr says said
""".split())
#: Words after which a description stops describing ("who", "which", a comma).
_CLAUSE = re.compile(r"\b(?:who|which|that|whose|because|speaking)\b|[,;:(]")
#: Words after which a counted phrase no longer names the counted group.
_GROUP_STOP = frozenset({"of", "from", "in", "including", "who", "with", "among", "at", "on", "to", "and"})


def fold(text: str | None) -> str:
    """Lower case, accents off, curly quotes and dashes as plain characters."""
    if not text:
        return ""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return t.lower().replace("\u2019", "'").replace("\u2018", "'")


def words(text: str | None) -> list[str]:
    return _WORD.findall(fold(text))


def singular(word: str) -> str:
    """A crude singular, applied the same way to the lexicon and to the text (so it need not be
    right, only consistent): bodies -> body, forces -> force, marches -> march, men -> men."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    if word.endswith("s"):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def _group_table() -> tuple[dict[str, list[tuple[tuple[str, ...], str]]], int]:
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    longest = 1
    for row in lexicon.table("ledger_groups"):
        if len(row) < 2 or not row[0] or not row[1]:
            continue
        toks = tuple(singular(w) for w in words(row[0]))
        if not toks:
            continue
        by_first.setdefault(toks[0], []).append((toks, row[1].strip().lower()))
        longest = max(longest, len(toks))
    for entries in by_first.values():
        entries.sort(key=lambda e: -len(e[0]))
    return by_first, longest


@lru_cache(maxsize=65536)
def group_of(counted: str | None) -> str:
    """The normalized counted group of a counted phrase.  The head part (the words before the first
    "of", "from", "in", ...) is searched first, then the whole phrase; the longest lexicon phrase
    wins, the rightmost of equal length (the head noun ends an English noun phrase: "other
    terrorists" are fighters).  With no lexicon phrase: the head noun in the singular."""
    toks = [singular(w) for w in words(counted)]
    if not toks:
        return "people"
    cut = next((i for i, w in enumerate(toks) if w in _GROUP_STOP and i > 0), len(toks))
    for part in (toks[:cut], toks):
        found = _lexicon_group(part)
        if found is not None:
            return found
    head = toks[:cut]
    return head[-1] if head else toks[-1]


def _lexicon_group(toks: list[str]) -> str | None:
    by_first, _ = _group_table()
    best: tuple[int, int, str] | None = None  # (-length, -position, group)
    for i, w in enumerate(toks):
        for phrase, group in by_first.get(w, ()):
            n = len(phrase)
            if tuple(toks[i:i + n]) == phrase:
                cand = (-n, -i, group)
                if best is None or cand < best:
                    best = cand
                break  # entries are longest first
    return best[2] if best is not None else None


def source_tokens(text: str | None) -> frozenset[str]:
    """The words of a name or a description that identify a source (clauses and filler dropped)."""
    if not text:
        return frozenset()
    t = fold(text)
    m = _CLAUSE.search(t)
    if m and m.start() > 0:
        t = t[:m.start()]
    return frozenset(w for w in (singular(x) for x in _WORD.findall(t)) if w not in _SOURCE_STOP)


def source_key(*, source_id: str | None, name: str | None, mention: str | None, head: str | None,
               anonymous: bool | None, outlet: str | None, article_id: str) -> tuple[str, str, frozenset[str], str]:
    """``(block, kind, tokens, label)`` for the source of a figure.

    ``block`` is the coarse key figures must share to be compared at all; ``tokens`` must then be
    compatible (one set inside the other).  ``kind`` is ``named``, ``anonymous`` or ``reporter``:
    a named and an anonymous source are never the same source (nothing links an anonymous
    description to a name), and what an article asserts itself (``REPORTER``) is the outlet's own
    claim.
    """
    if not source_id or source_id == "REPORTER" or (name is None and mention is None):
        where = outlet or f"article:{article_id}"
        return f"reporter:{where}", "reporter", frozenset(), outlet or "the reporter"
    if not anonymous and name:
        toks = source_tokens(name)
        h = singular(fold(head).strip()) if head else ""
        if not h or h in _SOURCE_STOP:
            h = max(toks, key=len) if toks else fold(name)
        return f"named:{h}", "named", toks, name
    h = singular(fold(head).strip()) if head else ""
    toks = source_tokens(mention) - {h}
    return f"anon:{h or 'source'}", "anonymous", toks, mention or "an unnamed source"


def tokens_compatible(a: frozenset[str], b: frozenset[str]) -> bool:
    return a <= b or b <= a


def place_key(place: dict[str, Any] | None, places: Iterable[dict[str, Any]] = ()) -> tuple[str | None, str | None,
                                                                                            str | None]:
    """``(key, label, country)`` of a figure's place: the gazetteer entry the article's places give
    for that span (its name and ISO country), else the words as written, folded."""
    if not place or not place.get("text"):
        return None, None, None
    s, e = place.get("start"), place.get("end")
    for p in places:
        if p.get("start") is None:
            continue
        if p["start"] < (e or 0) and (s or 0) < p["end"] and (p.get("name") or p.get("country")):
            label = p.get("name") or place["text"]
            return " ".join(words(label)), label, p.get("country")
    toks = [w for w in words(place["text"]) if w != "the"]
    return (" ".join(toks) or None), place["text"], place.get("country")


def norm_text(text: str | None) -> str:
    return " ".join(words(text))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def short_hash(*parts: Any) -> str:
    return hashlib.sha256("\x1f".join("" if p is None else str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
