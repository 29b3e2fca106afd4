"""Input readers: plain text, HTML, JSON Lines and Parquet -> ``Document`` or a typed ``Skip``.

``iter_documents(path)`` yields one item per article found under ``path`` (a file, a folder
read recursively, a glob pattern, or ``-`` for standard input).  Bad documents are never raised
out of a batch: they come back as ``Skip`` items with a reason code (see ``REASONS``) and a
one-line message a person can act on.
"""

from __future__ import annotations

import glob
import io
import os
import re
import sys
from typing import IO, TYPE_CHECKING, Iterator

from .document import Document, Skip

if TYPE_CHECKING:
    from .metadata import Defaults


#: Every reason code a ``Skip`` can carry, and what it means.
REASONS: dict[str, str] = {
    "empty": "the file, line or text field is empty or only white space",
    "binary": "the data is not text (NUL bytes, many control characters, or a PDF/ZIP/image/program signature)",
    "encoding": "the bytes are not UTF-8 and no other character encoding gives readable text",
    "too_large": "the file (for JSON Lines: the line) is over the size limit (--max-mb)",
    "not_english": "the text is clearly in another language; sourcebook reads English only",
    "bad_html": "the HTML could not be parsed or holds no article text",
    "bad_json": "a line or file is not valid JSON, or not a JSON object",
    "missing_text": 'a JSON object has no "text" field, or it is not a string',
    "unreadable": "the file exists but cannot be read (permissions, I/O error, damaged gzip)",
    "not_found": "no file or folder at that path, or no file matches the pattern",
    "bad_metadata": "a metadata.csv / metadata.jsonl beside the articles cannot be read, or one of its rows cannot be "
                    "used",
}

TEXT_EXTENSIONS = (".txt", ".text", ".md")
HTML_EXTENSIONS = (".html", ".htm", ".xhtml")
JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz", ".gz")
JSON_EXTENSIONS = (".json",)
PARQUET_EXTENSIONS = (".parquet", ".pq")
#: The files a folder or a glob pattern is read for.
EXTENSIONS = TEXT_EXTENSIONS + HTML_EXTENSIONS + JSONL_EXTENSIONS + JSON_EXTENSIONS + PARQUET_EXTENSIONS

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_GLOB_CHARS = re.compile(r"[*?[]")
_MARKUP = re.compile(
    rb"^\s*(?:<\?xml|<!doctype\s+html|<!--|<(?:html|head|body|meta|title|div|p|article|section|main|h[1-6]|span|table|br)\b)",
    re.IGNORECASE,
)
_MARKUP_ANYWHERE = re.compile(rb"<(?:html|body)\b|</(?:p|div|article|body|html)>", re.IGNORECASE)


def kind_of(path: str) -> str | None:
    """``text``, ``html``, ``jsonl``, ``json`` or ``parquet`` by the name of ``path``; None if not an article file."""
    name = os.path.basename(path).lower()
    for kind, exts in (("jsonl", JSONL_EXTENSIONS), ("html", HTML_EXTENSIONS), ("json", JSON_EXTENSIONS),
                       ("text", TEXT_EXTENSIONS), ("parquet", PARQUET_EXTENSIONS)):
        if name.endswith(exts):
            return kind
    return None


_NOT_SPACE = re.compile(rb"\S")


def sniff(data: bytes) -> str:
    """Guess ``html``, ``jsonl`` or ``text`` from content (for standard input and unknown names).

    Looks at 64 KB from the first byte that is not white space (data may begin with any number of
    blank lines), never copies the whole input."""
    head = data[:65536].removeprefix(b"\xef\xbb\xbf")
    if head.startswith(b"\x1f\x8b"):
        return "jsonl"
    if head.startswith(b"PAR1"):
        return "parquet"
    if _MARKUP.match(head):
        return "html"
    first = _NOT_SPACE.search(data, 3 if data.startswith(b"\xef\xbb\xbf") else 0)
    start = first.start() if first else len(data)
    lines = [ln.strip() for ln in data[start:start + 65536].splitlines()]
    lines = [ln for ln in lines if ln]
    if lines and all(ln.startswith(b"{") for ln in lines):
        return "jsonl"
    if _MARKUP_ANYWHERE.search(head):
        return "html"
    return "text"


def _from_bytes(data: bytes, origin: str, kind: str, max_bytes: int) -> Iterator["Document | Skip"]:
    if kind == "html":
        from .html import read_html_bytes

        yield read_html_bytes(data, origin)
    elif kind == "jsonl":
        from .jsonl import iter_jsonl_bytes

        yield from iter_jsonl_bytes(data, origin, max_bytes)
    elif kind == "json":
        from .jsonl import iter_json_bytes

        yield from iter_json_bytes(data, origin, max_bytes)
    elif kind == "parquet":
        from .parquet import iter_parquet_bytes

        yield from iter_parquet_bytes(data, origin, max_bytes)
    else:
        from .text import read_text_bytes

        yield read_text_bytes(data, origin)


def _read_stdin(stream: IO[bytes] | None, max_bytes: int) -> Iterator["Document | Skip"]:
    from ..limits import human_size
    from .text import ReadProblem

    origin = "<stdin>"
    try:
        f = stream if stream is not None else sys.stdin.buffer
        data = f.read(max_bytes + 1)
    except (OSError, ValueError, AttributeError) as err:
        yield Skip(origin, "unreadable", f"cannot read standard input ({err})")
        return
    if len(data) > max_bytes:
        yield Skip(origin, "too_large",
                   f"standard input is more than {human_size(max_bytes)}, the limit (use --max-mb)")
        return
    if data.startswith(b"\x1f\x8b"):  # compressed: look at what is inside
        import gzip
        import zlib

        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                data = gz.read(max_bytes + 1)
        except (OSError, EOFError, zlib.error) as err:
            yield Skip(origin, "unreadable", f"the compressed input is damaged or truncated ({err})")
            return
        if len(data) > max_bytes:
            yield Skip(origin, "too_large",
                       f"standard input is more than {human_size(max_bytes)} uncompressed, the limit (use --max-mb)")
            return
    if not data.strip():
        yield Skip(origin, "empty", "standard input is empty" if not data else "standard input contains only white "
                                                                               "space")
        return
    try:
        yield from _from_bytes(data, origin, sniff(data), max_bytes)
    except ReadProblem as p:  # pragma: no cover - readers turn these into skips already
        yield Skip(origin, p.reason, p.message)


def _read_file(path: str, max_bytes: int) -> Iterator["Document | Skip"]:
    kind = kind_of(path)
    if kind == "text":
        from .text import read_text_file

        yield read_text_file(path, max_bytes)
    elif kind == "html":
        from .html import read_html_file

        yield read_html_file(path, max_bytes)
    elif kind == "jsonl":
        from .jsonl import read_jsonl_file

        yield from read_jsonl_file(path, max_bytes)
    elif kind == "json":
        from .jsonl import read_json_file

        yield from read_json_file(path, max_bytes)
    elif kind == "parquet":
        from .parquet import read_parquet_file

        yield from read_parquet_file(path, max_bytes)
    else:  # a name we do not know: look at the content
        from .text import ReadProblem, read_bytes

        try:
            data = read_bytes(path, max_bytes)
        except ReadProblem as p:
            yield Skip(path, p.reason, p.message)
            return
        yield from _from_bytes(data, path, sniff(data), max_bytes)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _walk(folder: str) -> list[str]:
    """Article files under ``folder``, recursively, in sorted order (hidden files and metadata
    files left out)."""
    from .metadata import is_metadata_file

    found: list[str] = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not _is_hidden(d))
        for name in files:
            if not _is_hidden(name) and kind_of(name) and not is_metadata_file(name):
                found.append(os.path.join(root, name))
    return sorted(found, key=lambda p: os.path.relpath(p, folder).split(os.sep))


def _expand(path: str) -> tuple[list[str], "Skip | None"]:
    """The files ``path`` stands for, or a ``Skip`` saying why there are none to try."""
    if os.path.isdir(path):
        return _walk(path), None
    if os.path.lexists(path):
        return [path], None
    if _GLOB_CHARS.search(path):
        files: list[str] = []
        from .metadata import is_metadata_file

        for match in sorted(glob.glob(path, recursive=True)):
            if os.path.isdir(match):
                files.extend(_walk(match))
            elif kind_of(match) and not is_metadata_file(match):
                files.append(match)
        if not files:
            return [], Skip(path, "not_found", "no article files (.txt, .html, .jsonl, ...) match this pattern")
        return list(dict.fromkeys(files)), None
    parent = os.path.dirname(path)
    if parent and not os.path.isdir(parent):
        return [], Skip(path, "not_found", f"no such file or folder (the folder {parent} does not exist either)")
    return [], Skip(path, "not_found", "no such file or folder")


def _root_of(path: str) -> str:
    """The folder whose metadata files (and those below it) apply to ``path``'s files."""
    if os.path.isdir(path):
        return path
    if _GLOB_CHARS.search(path) and not os.path.lexists(path):
        parts = path.split(os.sep)
        fixed = parts[: next(i for i, p in enumerate(parts) if _GLOB_CHARS.search(p))]
        return os.sep.join(fixed) or "."
    return os.path.dirname(path) or "."


def _with_metadata(items: Iterator["Document | Skip"], file: str, index, defaults) -> Iterator["Document | Skip"]:
    """``items`` read from ``file``, completed with their metadata (``read.metadata``)."""
    from .metadata import complete

    meta = None
    looked = False
    for item in items:
        if isinstance(item, Document):
            if not looked and index is not None:
                meta, skips = index.lookup(file)
                looked = True
                yield from skips
            item = complete(item, meta, defaults, kind_of(file))
        yield item


def iter_documents(
    path: "str | os.PathLike[str]", *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: IO[bytes] | None = None,
    defaults: "Defaults | None" = None,
) -> Iterator[Document | Skip]:
    """Every article under ``path``, as ``Document`` or ``Skip``, never raising for bad input.

    ``path`` is a file, a folder (read recursively in sorted order for files ending in
    .txt .text .md .html .htm .xhtml .jsonl .ndjson .json .jsonl.gz .gz .parquet .pq), a glob pattern
    (``articles/**/*.txt``) or ``-`` for standard input, whose kind is sniffed: HTML if it looks
    like markup, JSON Lines if every non-empty line starts with ``{``, else plain text.
    A file with another name is sniffed the same way.  ``max_bytes`` limits each file (for
    JSON Lines, each line).  ``stdin`` replaces ``sys.stdin.buffer`` (for tests).

    Each document's date and outlet are completed from a ``metadata.csv``/``metadata.jsonl`` beside
    it, its dateline and ``defaults`` (``--published``, ``--outlet``), in the order
    ``read.metadata`` documents; ``Document.date_source`` says where the date came from.
    """
    from .metadata import Defaults, MetadataIndex

    path = os.fspath(path)
    defaults = defaults or Defaults()
    if path == "-":
        yield from _with_metadata(_read_stdin(stdin, max_bytes), "-", None, defaults)
        return
    try:
        files, skip = _expand(path)
    except OSError as err:  # e.g. a folder we may not list
        yield Skip(path, "unreadable", f"cannot list {path} ({(err.strerror or type(err).__name__).lower()})")
        return
    if skip is not None:
        yield skip
        return
    index = MetadataIndex(_root_of(path))
    for file in files:
        try:
            yield from _with_metadata(_read_file(file, max_bytes), file, index, defaults)
        except Exception as err:  # noqa: BLE001 - last line of defence: one bad file never ends a batch
            yield Skip(file, "unreadable", f"could not be read ({type(err).__name__}: "
                                           f"{' '.join(str(err).split())[:200]})")


__all__ = ["Document", "Skip", "REASONS", "EXTENSIONS", "iter_documents", "kind_of", "sniff"]
