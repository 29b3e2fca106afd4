"""Page furniture: what a news page prints around the article's statements.

Datelines ("BEIRUT (Reuters) -", "KABUL, Afghanistan, May 4 (AP) —", "WASHINGTON —"), bylines
("By Jane Roe", "Staff writer"), time stamps ("Updated 14:32 GMT") and credit lines are recognised by
their shape, so that no component reads them as a statement, a speaker or a time expression.
"""

from __future__ import annotations

import re

from .. import lexicon

# A city (and region or date) in capitals, an optional wire credit in brackets, then a dash or colon.
DATELINE_RE = re.compile(
    r"""[ \t]*
    (?P<place>[A-Z][A-Z'’.\-]+(?:[ ][A-Z][A-Z'’.\-]+){0,3})                # BEIRUT, ST. LOUIS, ABU DHABI
    (?:,[ ][A-Z][A-Za-z.'’\-]+(?:[ ][A-Z][A-Za-z.'’\-]+){0,2})?            # , Afghanistan / , Syria
    (?:,[ ](?:[A-Z][a-z]{2,8}\.?[ ]\d{1,2}|\d{1,2}[ ][A-Z][a-z]{2,8}))?    # , March 3 / , 3 March
    (?:[ ]?\((?P<credit>[A-Za-z][\w .&’'/-]{0,30})\))?                    # (Reuters) (AP) (AFP/dpa)
    [ \t]*(?P<sep>--|[-—–:])[ \t]+""",
    re.X,
)
BYLINE_RE = re.compile(r"^\s*(?:By|BY|From)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
                       r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*\s*[,|]?\s*[\w .]*$")
STAFF_RE = re.compile(r"^\s*(?:Staff(?: writer| reporter)?|Reuters staff|Agencies|News desk|Web "
                      r"desk|AFP|AP|Reuters)\s*$",
                      re.I)
TIMESTAMP_RE = re.compile(
    r"^\s*(?:(?:Updated|Published|Posted|Last updated|First published)\b[:\s].{0,60}"
    r"|\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?|GMT|UTC|ET|EST|BST|CET)?[^.!?]{0,40}"
    r"|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+\d{1,2}\s+[A-Z][a-z]+\s+\d{4}.{0,30})$")


def dateline_length(text: str, start: int = 0, *, colon_ok: bool = True) -> int:
    """Characters of a dateline opening ``text`` at ``start`` (0 when there is none).

    A dateline ending in a colon ("KHARTOUM: ...") is taken only with ``colon_ok`` (callers that
    also read transcript labels such as "WALLACE:" decide), and a bare capitalised word followed by a
    hyphen needs a wire credit or a dash, so "UN-backed" or "ISIS - the group" are not datelines."""
    m = DATELINE_RE.match(text, start)
    if m is None:
        return 0
    sep = m.group("sep")
    if sep == ":" and not colon_ok:
        return 0
    if sep == "-" and not m.group("credit") and not text[m.start("sep") - 1:m.start("sep")].isspace():
        return 0  # "UN-backed": a hyphen inside a word; "YAOUNDE, Cameroon - " is a dateline
    if len(m.group("place")) < 3:
        return 0
    return m.end() - start


def is_furniture(paragraph: str) -> bool:
    """A byline, staff credit or time stamp standing as a paragraph of its own."""
    line = paragraph.strip()
    if not line or len(line) > 120 or "\n" in line:
        return False
    return bool(BYLINE_RE.match(line) or STAFF_RE.match(line) or TIMESTAMP_RE.match(line))


def is_country_name(text: str) -> bool:
    """"Yemen", "SUDAN", "Burkina Faso", "DR Congo": the name of a country, in any case."""
    name = " ".join(text.split()).strip(" :-—–").lower()
    return 3 <= len(name) <= 40 and name in lexicon.demonyms()[1]
