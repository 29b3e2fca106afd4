"""Headlines: sentences written in ALL CAPS or in Title Case are read again in sentence case.

The model tags a headline's words as proper nouns ("7 FOREIGN FIGHTERS ARRESTED IN TURKISH BORDER
TOWN", "Police Arrest Three Britons Near Syria Border"), so its parse says nothing about status.
``truecase`` lowers every word but the first, nationality words and country names
(``lexicon/demonyms.tsv``, pycountry) and, in Title Case, acronyms; the result has exactly the
characters of the original at the same offsets.  ``reparse`` runs the model's own components (and
the places component) on it: a small Doc that the counts steps read like any other.  This is the
one place where the counts component parses again, and only headline-cased sentences.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from .lex import get_lex

#: Our components that a headline's small Doc runs besides the model's own.
_REUSED = ("sourcebook_places_v1",)


def is_headline(sent: Span) -> bool:
    """An ALL-CAPS sentence (three words or more), or one whose content words are all capitalized."""
    words = [t.text for t in sent if t.is_alpha and len(t.text) > 1]
    if len(words) < 3:
        return False
    upper = sum(w.isupper() for w in words)
    if upper >= 0.8 * len(words):
        return True
    content = [w for w in words if w.lower() not in get_lex().headline_small and len(w) > 2]
    if len(content) < 4 or sent.text.rstrip().endswith(("?", '"', "”")):
        return False
    return all(w[:1].isupper() for w in content)


def truecase(text: str) -> str:
    """``text`` in sentence case with the same characters at the same offsets."""
    lex = get_lex()
    all_caps = sum(c.isupper() for c in text) > 0.8 * max(1, sum(c.isalpha() for c in text))
    out: list[str] = []
    first = True
    for word in _words(text):
        if not word[:1].isalpha():
            out.append(word)
            continue
        keep = first or lex.country(word) is not None or (not all_caps and word.isupper() and len(word) > 1)
        first = False
        if keep:
            out.append(word[:1] + _lower(word[1:]) if all_caps else word)
        else:
            out.append(_lower(word))
    return "".join(out)


def _words(text: str) -> list[str]:
    out, cur = [], ""
    for ch in text:
        if cur and (ch.isalpha() or ch == "'") != (cur[-1].isalpha() or cur[-1] == "'"):
            out.append(cur)
            cur = ""
        cur += ch
    if cur:
        out.append(cur)
    return out


def _lower(word: str) -> str:
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in word)


def reparse(nlp: Language, sent: Span, published: str | None) -> Doc:
    """A Doc of the truecased sentence, parsed by the model's components (and places)."""
    doc = nlp.make_doc(truecase(sent.text))
    doc._.sb_published = published
    for name, proc in nlp.pipeline:
        if not name.startswith("sourcebook_") or name in _REUSED:
            doc = proc(doc)
    doc._.sb_quotes = []
    return doc
