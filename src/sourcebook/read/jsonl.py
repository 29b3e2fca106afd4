"""JSON Lines (plain or gzip-compressed) and JSON files of article objects.

Each line of a ``.jsonl`` file is one JSON object with a ``text`` (required) and optionally
``url``, ``title`` and ``published`` (normalized to YYYY-MM-DD; a date that cannot be read is
dropped, the article is kept).  A line that cannot be used becomes a ``Skip`` whose message starts
with ``line N:``; the other lines are still read.  Items are named ``path:N`` (1-based line).

The size limit applies to each line (each article), not to the whole file, so that large
collections can be streamed.  A ``.json`` file holds one object or a list of objects; it is read
whole and the limit applies to the file.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from datetime import date, datetime
from typing import IO, Any, Iterator, cast

from ..errors import one_line as _one_line
from ..limits import MAX_CHARS, MAX_MARKUP_BYTES, too_long_message, too_many_chars_message
from .document import Document, Skip
from .text import (
    ReadProblem,
    article_problem,
    binary_problem,
    human_size,
    normalize_newlines,
    read_bytes,
    too_large_message,
)

GZIP_MAGIC = b"\x1f\x8b"
_ISO_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])")


# --------------------------------------------------------------------------- fields


def normalize_date(value: Any) -> str | None:
    """``value`` as YYYY-MM-DD, or None when it is not a readable date."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100:
        return None
    found: date | None = None
    m = _ISO_DAY.match(s)
    if m:
        try:
            found = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    if found is None:
        try:
            found = datetime.fromisoformat(s.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    if found is None:
        try:
            from email.utils import parsedate_to_datetime

            found = parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            pass
    if found is None and re.search(r"\d", s) and re.search(r"[A-Za-z/.]", s):
        found = _dateparser(s)
    if found is None or not 1800 <= found.year <= 2200:
        return None
    return found.isoformat()


def _dateparser(s: str) -> date | None:
    try:
        import dateparser

        parsed = dateparser.parse(
            s,
            languages=["en"],
            settings={"STRICT_PARSING": True, "RETURN_AS_TIMEZONE_AWARE": False},
        )
    except Exception:  # noqa: BLE001 - a date we cannot read is dropped, never fatal
        return None
    return parsed.date() if parsed else None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """JSON escapes can make lone surrogates, which no output can encode: use U+FFFD (same length)."""
    return _SURROGATE.sub("\ufffd", text)


def _clean(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    value = " ".join(_no_surrogates(value).split())
    return value or None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def record_to_document(obj: Any, origin: str, prefix: str = "", field_source: str = "jsonl-field") -> Document | Skip:
    """One JSON value -> ``Document`` or ``Skip``; ``prefix`` (``line 3: ``) starts every message;
    ``field_source``: the ``date_source`` of a date read from the object's own field."""
    if not isinstance(obj, dict):
        return Skip(origin, "bad_json", f'{prefix}expected a JSON object with a "text" field, got {_kind(obj)}')
    text = obj.get("text")
    if text is None:
        keys = [str(k) for k in obj][:8]
        has = f" (it has: {', '.join(keys)})" if keys else " (the object is empty)"
        return Skip(origin, "missing_text", f'{prefix}no "text" field{has}')
    if not isinstance(text, str):
        return Skip(origin, "missing_text", f'{prefix}"text" is {_kind(text)}, not a string')
    if len(text) > MAX_CHARS:  # before it is copied by the normalizing below
        return Skip(origin, "too_large", prefix + too_many_chars_message(len(text)))
    text = normalize_newlines(_no_surrogates(text))
    problem = article_problem(text, 'the "text" field')
    if problem:
        return Skip(origin, problem[0], prefix + problem[1])
    published = obj.get("published")
    if published is None:
        published = obj.get("date")
    day = normalize_date(published)
    return Document(
        text=text,
        origin=origin,
        url=_clean(obj.get("url")),
        title=_clean(obj.get("title")),
        published=day,
        outlet=_clean(obj.get("outlet")),
        date_source=field_source if day else None,
    )


def _json_error(err: json.JSONDecodeError, with_line: bool) -> str:
    where = f"line {err.lineno}, column {err.colno}" if with_line else f"column {err.colno}"
    return f"not valid JSON ({err.msg} at {where})"


# --------------------------------------------------------------------------- JSON Lines


def _lines(f: IO[bytes], max_bytes: int) -> Iterator[tuple[int, bytes | None, int]]:
    """``(line number, bytes or None when over the limit, size)`` for each line of ``f``."""
    lineno = 0
    while True:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            size = len(line)
            while True:  # skip the rest of an over-long line without holding it
                more = f.readline(1 << 20)
                size += len(more)
                if not more or more.endswith(b"\n"):
                    break
            yield lineno, None, size
            continue
        yield lineno, line, len(line)


def iter_jsonl_stream(f: IO[bytes], origin: str, max_bytes: int) -> Iterator[Document | Skip]:
    """Documents and skips from a binary stream of JSON Lines (already decompressed)."""
    head, error = _read_head(f)
    if error is not None:  # damaged compressed data: read the complete lines before the damage
        head = head[: head.rfind(b"\n") + 1]
        if not head.strip():
            raise error
        f = io.BytesIO()
    was_empty = not head
    if error is None:
        head, blank, error = _past_blank_lines(f, head)
    else:
        blank = 0
    msg = binary_problem(head)
    if msg:
        yield Skip(origin, "binary", msg)
        return
    if not head.strip():
        if error is not None:
            raise error
        yield Skip(origin, "empty", "the file is empty" if was_empty else "the file contains only white space")
        return
    stream = io.BufferedReader(_HeadThen(head, f), buffer_size=1 << 16)
    n_items = 0
    for lineno, raw, size in _lines(stream, min(max_bytes, MAX_MARKUP_BYTES)):
        lineno += blank
        where = f"{origin}:{lineno}"
        prefix = f"line {lineno}: "
        if raw is None:
            n_items += 1
            message = (too_large_message(size, max_bytes, "the line") if size > max_bytes
                       else too_long_message("the line", size, MAX_MARKUP_BYTES))
            yield Skip(where, "too_large", prefix + message)
            continue
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        n_items += 1
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield Skip(where, "encoding", prefix + "not UTF-8 text (JSON Lines files must be UTF-8)")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as err:
            yield Skip(where, "bad_json", prefix + _json_error(err, with_line=False))
            continue
        except RecursionError:
            yield Skip(where, "bad_json", prefix + "not usable JSON (nested too deeply)")
            continue
        except ValueError as err:  # e.g. an integer too long to convert
            yield Skip(where, "bad_json", prefix + f"not usable JSON ({_one_line(err)})")
            continue
        yield record_to_document(obj, where, prefix)
    if error is not None:
        raise error
    if n_items == 0:
        yield Skip(origin, "empty", "the file contains only white space")


def _past_blank_lines(f: IO[bytes], head: bytes) -> tuple[bytes, int, Exception | None]:
    """While ``head`` is only white space, read on, a chunk at a time and holding none of the blank
    ones: the data from the first line that is not blank, how many blank lines were passed, and the
    error that stopped the reading, if any.  (A file may begin with any number of blank lines.)"""
    blank = 0
    while head and not head.strip():
        cut = head.rfind(b"\n") + 1
        blank += head.count(b"\n", 0, cut)
        more, error = _read_head(f)
        head = head[cut:] + more
        if error is not None or not more:
            return head, blank, error
    return head, blank, None


def _read_head(f: IO[bytes], size: int = 65536) -> tuple[bytes, Exception | None]:
    """Up to ``size`` bytes from ``f``, and the error that stopped the reading early, if any."""
    read = getattr(f, "read1", None) or f.read
    chunks: list[bytes] = []
    got = 0
    while got < size:
        try:
            chunk = read(min(8192, size - got))
        except (OSError, EOFError, zlib.error) as err:
            return b"".join(chunks), err
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks), None


class _HeadThen(io.RawIOBase):
    """``head`` followed by the rest of ``f``: lets us sniff a stream without seeking it."""

    def __init__(self, head: bytes, f: IO[bytes]):
        self._head = head
        self._f = f

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._f.read(len(b))
        n = len(data)
        b[:n] = data
        return n


def iter_jsonl_bytes(data: bytes, origin: str, max_bytes: int) -> Iterator[Document | Skip]:
    """JSON Lines held in memory (standard input); gzip-compressed data is decompressed."""
    if data.startswith(GZIP_MAGIC):
        yield from _iter_gzip(io.BytesIO(data), origin, max_bytes)
    else:
        yield from iter_jsonl_stream(io.BytesIO(data), origin, max_bytes)


def _iter_gzip(fileobj: IO[bytes], origin: str, max_bytes: int) -> Iterator[Document | Skip]:
    try:
        with gzip.GzipFile(fileobj=fileobj, mode="rb") as gz:
            yield from iter_jsonl_stream(cast(IO[bytes], gz), origin, max_bytes)
    except (OSError, EOFError, zlib.error) as err:
        detail = " ".join(str(err).split()) or type(err).__name__
        yield Skip(origin, "unreadable", f"the compressed file is damaged or truncated ({detail}); lines before the "
                                         f"damage were read")


def read_jsonl_file(path: str, max_bytes: int, origin: str | None = None) -> Iterator[Document | Skip]:
    """A ``.jsonl``/``.ndjson`` file, or a gzip-compressed one (``.jsonl.gz``, ``.gz``)."""
    origin = origin or path
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        yield Skip(origin, "not_found", "no such file")
        return
    except OSError as err:
        yield Skip(origin, "unreadable", f"cannot read the file ({(err.strerror or type(err).__name__).lower()})")
        return
    with f:
        try:
            magic = f.read(2)
            f.seek(0)
        except OSError as err:
            yield Skip(origin, "unreadable", f"cannot read the file ({(err.strerror or type(err).__name__).lower()})")
            return
        if magic == GZIP_MAGIC:
            yield from _iter_gzip(f, origin, max_bytes)
        else:
            try:
                yield from iter_jsonl_stream(f, origin, max_bytes)
            except OSError as err:
                yield Skip(origin, "unreadable", f"reading stopped ({(err.strerror or type(err).__name__).lower()})")


# --------------------------------------------------------------------------- .json


def iter_json_bytes(data: bytes, origin: str, max_bytes: int) -> Iterator[Document | Skip]:
    """A JSON document: one article object, or a list of them (``path#N``, 1-based)."""
    if not data.strip():
        yield Skip(origin, "empty", "the file is empty" if not data else "the file contains only white space")
        return
    msg = binary_problem(data)
    if msg:
        yield Skip(origin, "binary", msg)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield Skip(origin, "encoding", "not UTF-8 text (JSON files must be UTF-8)")
        return
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":  # several values: JSON Lines under a .json name
            yield from iter_jsonl_stream(io.BytesIO(data), origin, max_bytes)
            return
        yield Skip(origin, "bad_json", _json_error(err, with_line=True))
        return
    except RecursionError:
        yield Skip(origin, "bad_json", "not usable JSON (nested too deeply)")
        return
    except ValueError as err:  # e.g. an integer too long to convert
        yield Skip(origin, "bad_json", f"not usable JSON ({_one_line(err)})")
        return
    if isinstance(obj, list):
        if not obj:
            yield Skip(origin, "empty", "the file holds an empty list")
            return
        for i, item in enumerate(obj, 1):
            yield record_to_document(item, f"{origin}#{i}", f"item {i}: ")
    else:
        yield record_to_document(obj, origin)


def read_json_file(path: str, max_bytes: int, origin: str | None = None) -> Iterator[Document | Skip]:
    origin = origin or path
    try:
        data = read_bytes(path, max_bytes)
    except ReadProblem as p:
        yield Skip(origin, p.reason, p.message)
        return
    if data.startswith(GZIP_MAGIC):
        yield from _iter_gzip(io.BytesIO(data), origin, max_bytes)
        return
    yield from iter_json_bytes(data, origin, max_bytes)


__all__ = [
    "human_size",
    "iter_json_bytes",
    "iter_jsonl_bytes",
    "iter_jsonl_stream",
    "normalize_date",
    "read_json_file",
    "read_jsonl_file",
    "record_to_document",
]
