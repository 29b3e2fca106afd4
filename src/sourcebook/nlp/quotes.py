"""Direct quotations: find the stretches of text inside quotation marks.

Component ``sourcebook_quotes_v1`` writes a list of ``QuoteMarks`` to ``doc._.sb_quote_marks``.
It reads characters, not tokens, so it is robust to tokenizer quirks, and copes with:

- straight (") and curly (“ ”) marks, mixed in one quote, and guillemets;
- the direction of each mark decided by its neighbours, not only by its shape;
- quotes running over paragraphs (a paragraph that ends inside a quote and a next paragraph that
  opens with a quotation mark continue the same quote);
- unbalanced marks: a quote left open is closed at the end of its paragraph and flagged.

Attribution (who said it) is done later by ``sourcebook_attribution_v2``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from . import registry
from .segment import paragraphs

NAME = "sourcebook_quotes_v1"

OPENERS = "“„«‟"
CLOSERS = "”»"
STRAIGHT = '"'
ALL_MARKS = OPENERS + CLOSERS + STRAIGHT + "〝〞＂"
# Two apostrophes ('') and two backticks (``) stand for double quotation marks in some archives
# (the New York Times' text feeds, treebank-style text).
_MARK_RE = re.compile(f"''|``|[{re.escape(ALL_MARKS)}]")

_OPEN_BEFORE = set(" \t\n\r([{—–-/:;") | {"\u00a0"}
_CLOSE_AFTER = set(" \t\n\r)]},.;:!?—–-/…'’") | {"\u00a0"}


@dataclass(slots=True)
class QuoteMarks:
    """A quotation: ``open``/``close`` are the mark offsets, ``start``/``end`` the content."""

    open: int
    close: int | None  # offset of the closing mark, None when left open
    start: int  # content start (after the mark and any white space)
    end: int  # content end (before the closing mark)
    closed: bool  # False when the closing mark was missing (unbalanced)
    paragraphs: int = 1  # how many paragraphs the quote runs over
    close_end: int | None = None  # offset just after the closing mark (marks can be two characters)




def _direction(text: str, i: int, n: int = 1) -> str:
    """'open', 'close' or '?' for the mark of ``n`` characters at ``text[i]``."""
    ch = text[i:i + n]
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    if ch == "``":
        return "open"
    if ch == "''":
        if before.isalpha() and after.isalpha():
            return "skip"
        ch = STRAIGHT
    looks_open = (before in _OPEN_BEFORE or before in OPENERS) and not after.isspace()
    looks_close = (not before.isspace()) and (after in _CLOSE_AFTER or after in CLOSERS or after in STRAIGHT)
    if ch in OPENERS or ch == "〝":
        # A curly opener that context clearly says closes ("...in.“ ") is a typo for a closer.
        return "close" if looks_close and not looks_open else "open"
    if ch in CLOSERS or ch == "〞":
        return "open" if looks_open and not looks_close else "close"
    # straight mark: an inch sign after a digit is not a quotation mark
    if before.isdigit() and not looks_open:
        return "skip"
    if looks_open and not looks_close:
        return "open"
    if looks_close and not looks_open:
        return "close"
    return "?"


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotes(text: str) -> list[QuoteMarks]:
    """All quotations in ``text``, in order."""
    found: list[QuoteMarks] = []
    paras = paragraphs(text)
    carry: QuoteMarks | None = None  # a quote left open at the end of the previous paragraph
    for p_start, p_end in paras:
        found_marks = [(m.start(), len(m.group(0))) for m in _MARK_RE.finditer(text, p_start, p_end)]
        marks = [(i, _direction(text, i, n)) for i, n in found_marks]
        width = dict(found_marks)
        marks = [(i, d) for i, d in marks if d != "skip"]
        current: QuoteMarks | None = None
        if carry is not None:
            if marks and marks[0][1] in ("open", "?") and not text[p_start:marks[0][0]].strip():
                # continuation paragraph: the quote goes on
                current = carry
                current.paragraphs += 1
                marks = marks[1:]
            else:
                s, e = _strip(text, carry.start, carry.end)
                carry.start, carry.end = s, e
                found.append(carry)
            carry = None
        for i, d in marks:
            if current is None:
                if d in ("open", "?"):
                    current = QuoteMarks(open=i, close=None, start=i + width[i], end=p_end, closed=False)
                # a stray closing mark with nothing open is ignored
            else:
                if d in ("close", "?"):
                    current.close = i
                    current.close_end = i + width[i]
                    current.end = i
                    current.closed = True
                    s, e = _strip(text, current.start, current.end)
                    current.start, current.end = s, e
                    if e > s:
                        found.append(current)
                    current = None
                elif text[current.start:i].rstrip()[-1:] in ".!?" and i - current.start > 20:
                    # '“X was a brave man. “He was ...”': a paragraph-continuation mark left inside a
                    # quotation whose paragraphs were run together; the quotation goes on
                    continue
                else:  # a second opener while one is open: the first was never closed
                    s, e = _strip(text, current.start, i)
                    current.start, current.end = s, e
                    if e > s:
                        found.append(current)
                    current = QuoteMarks(open=i, close=None, start=i + width[i], end=p_end, closed=False)
        if current is not None:
            current.end = p_end
            carry = current
    if carry is not None:
        s, e = _strip(text, carry.start, carry.end)
        carry.start, carry.end = s, e
        if e > s:
            found.append(carry)
    return found


@registry.component(NAME, outputs=("sb_quote_marks",))
def make_quotes(nlp: Language, name: str):
    return QuoteFinder()


class QuoteFinder:
    def __call__(self, doc: Doc) -> Doc:
        doc._.sb_quote_marks = find_quotes(doc.text)
        return doc
