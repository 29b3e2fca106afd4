"""HTML: the main text of a web page, with its title, publication date and URL, via trafilatura."""

from __future__ import annotations

import logging
import re
import warnings
from datetime import date

from ..errors import one_line as _one_line
from ..limits import MAX_MARKUP_BYTES
from .document import Document, Skip
from .text import ReadProblem, article_problem, binary_problem, check_article_bytes, normalize_newlines, read_file_with

#: An HTML page whose main text has fewer letter-words than this holds no article.
MIN_WORDS = 5
_WORD = re.compile(r"[^\W\d_]+")

# trafilatura and htmldate log through the standard logging module; with no handler configured,
# Python would print their warnings to stderr.  A NullHandler keeps them quiet unless the
# application configures logging itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext"):
    logging.getLogger(_name).addHandler(logging.NullHandler())


def _iso_date(value: object) -> str | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(value.split())
    return value or None


def _extract(data: bytes) -> dict:
    try:
        import trafilatura
    except ImportError as err:  # e.g. lxml without lxml_html_clean
        raise ReadProblem("unreadable", f"cannot read HTML: trafilatura is not usable ({err})") from err
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = trafilatura.bare_extraction(
                data,
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=False,
                deduplicate=False,
            )
    except RecursionError as err:
        raise ReadProblem("bad_html", "the HTML is nested too deeply to be read") from err
    except Exception as err:  # lxml/trafilatura errors must not escape
        raise ReadProblem("bad_html", f"the HTML could not be parsed ({type(err).__name__}: {_one_line(err)})") from err
    if result is None:
        return {}
    if isinstance(result, dict):
        return result
    as_dict = getattr(result, "as_dict", None)
    return as_dict() if callable(as_dict) else {}


def html_document(data: bytes, origin: str) -> Document:
    """Main text and metadata of an HTML page (raises ``ReadProblem``)."""
    if not data.strip():
        raise ReadProblem("empty", "the file is empty" if not data else "the file contains only white space")
    msg = binary_problem(data)
    if msg:
        raise ReadProblem("binary", msg)
    meta = _extract(data)
    text = meta.get("text")
    text = normalize_newlines(text).strip() if isinstance(text, str) else ""
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        if not words:
            detail = "it has no readable text"
        else:
            shown = text if len(text) <= 60 else text[:57] + "..."
            detail = f"only {len(words)} word(s): {shown!r}"
        raise ReadProblem(
            "bad_html",
            f"no article text found in the HTML ({detail}); is it a complete web page with an article?",
        )
    problem = article_problem(text, "the article text")
    if problem:
        raise ReadProblem(*problem)
    url, day = _clean(meta.get("url")), _iso_date(meta.get("date"))
    return Document(
        text=text,
        origin=origin,
        url=url,
        title=_clean(meta.get("title")),
        published=day,
        # the URL's host names the outlet in the store; without a URL, the site's own name
        outlet=None if url else (_clean(meta.get("sitename")) or _clean(meta.get("hostname"))),
        date_source="html-meta" if day else None,
    )


def read_html_bytes(data: bytes, origin: str) -> Document | Skip:
    try:
        check_article_bytes(len(data), MAX_MARKUP_BYTES)
        return html_document(data, origin)
    except ReadProblem as p:
        return Skip(origin=origin, reason=p.reason, message=p.message)


def read_html_file(path: str, max_bytes: int, origin: str | None = None) -> Document | Skip:
    """An HTML file (.html, .htm, .xhtml) as a ``Document``, or a ``Skip`` saying why not."""
    return read_file_with(read_html_bytes, path, max_bytes, origin, MAX_MARKUP_BYTES)
