"""Size limits shared by the readers and the pipeline (a light module: no spaCy import).

An article is at most :data:`MAX_CHARS` characters (the parser's memory grows with length).  The
readers refuse input that cannot be under that limit *before* they decode it, so that a huge file
read with a generous ``--max-mb`` is never decoded, normalized and copied only to be refused:

* a text file: no encoding we read takes more than 4 bytes a character, and a CR LF line end
  becomes one character, so more than ``8 * MAX_CHARS`` bytes is always more than ``MAX_CHARS``
  characters (:data:`MAX_TEXT_BYTES`, 16 MB);
* an HTML page or a JSON line carries markup or other fields besides the text: they are refused
  above ``32 * MAX_CHARS`` bytes (:data:`MAX_MARKUP_BYTES`, 64 MB), far more than any article page.
"""

from __future__ import annotations

#: Characters per article above which extraction refuses.
MAX_CHARS = 2_000_000
MAX_TEXT_BYTES = 8 * MAX_CHARS
MAX_MARKUP_BYTES = 32 * MAX_CHARS
MB = 1024 * 1024


def human_size(n: int) -> str:
    """``52.4 MB``, ``312.0 KB`` or ``90 bytes``."""
    if n >= MB / 10:
        return f"{n / MB:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} bytes"


def too_long_message(what: str, size: int, cap: int) -> str:
    """Why ``what`` of ``size`` bytes is refused before it is decoded."""
    return (f"{what} is {human_size(size)}, too long for an article (at most {MAX_CHARS:,} characters; "
            f"nothing over {human_size(cap)} of this kind is read)")


def too_many_chars_message(n: int) -> str:
    return f"the text is too long ({n:,} characters; the limit is {MAX_CHARS:,})"
