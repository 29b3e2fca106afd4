"""Readers against the outside probe of issue 14: files that begin with many blank lines (item 3)
and files too large to hold an article, refused before they are decoded (item 8).  The texts here
are invented."""

from __future__ import annotations

import gzip
import io
import json
import tracemalloc

from sourcebook.limits import MAX_CHARS, MAX_TEXT_BYTES
from sourcebook.read import Document, Skip, iter_documents, sniff

ARTICLE = {"text": "Invented test article. \"We will stay,\" the commander said on Monday in the town.",
           "title": "Invented"}
BLANK = "\n" * 70_000 + "  \n\t\n"  # more than the 64 KB the readers look at first


def _one(items):
    items = list(items)
    assert len(items) == 1, items
    return items[0]


# --------------------------------------------------------------------------- item 3


def test_jsonl_after_64k_of_blank_lines_is_read(tmp_path):
    path = tmp_path / "blank_head.jsonl"
    path.write_text(BLANK + json.dumps(ARTICLE) + "\n\n" + json.dumps(dict(ARTICLE, title="Second")) + "\n")
    items = list(iter_documents(path))
    assert [type(i) for i in items] == [Document, Document]
    assert items[0].title == "Invented" and items[1].title == "Second"
    assert items[0].origin == f"{path}:70003" and items[1].origin == f"{path}:70005"  # real line numbers


def test_gzip_jsonl_and_standard_input_after_blank_lines(tmp_path):
    data = (BLANK + json.dumps(ARTICLE) + "\n").encode()
    path = tmp_path / "blank_head.jsonl.gz"
    path.write_bytes(gzip.compress(data))
    assert isinstance(_one(iter_documents(path)), Document)
    assert isinstance(_one(iter_documents("-", stdin=io.BytesIO(data))), Document)
    assert isinstance(_one(iter_documents("-", stdin=io.BytesIO(gzip.compress(data)))), Document)
    assert sniff(data) == "jsonl"


def test_only_blank_lines_is_still_empty(tmp_path):
    path = tmp_path / "blank.jsonl"
    path.write_text(BLANK * 2)
    skip = _one(iter_documents(path))
    assert isinstance(skip, Skip) and skip.reason == "empty" and "white space" in skip.message
    (tmp_path / "zero.jsonl").write_bytes(b"")
    assert _one(iter_documents(tmp_path / "zero.jsonl")).message == "the file is empty"


def test_a_bad_line_after_blank_lines_names_its_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(BLANK + "{bad\n")
    skip = _one(iter_documents(path))
    assert skip.reason == "bad_json" and skip.origin == f"{path}:70003"


def test_extract_cli_after_blank_lines(cli, tmp_path):
    path = tmp_path / "blank_head.jsonl"
    path.write_text(BLANK + json.dumps(ARTICLE) + "\n")
    proc = cli("extract", path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["title"] == "Invented"
    proc = cli("extract", "-", input=path.read_bytes())
    assert proc.returncode == 0 and json.loads(proc.stdout)["title"] == "Invented", proc.stderr


# --------------------------------------------------------------------------- item 8


def _peak(fn):
    tracemalloc.start()
    try:
        out = fn()
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_text_file_too_large_for_an_article_is_refused_unread(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as f:
        f.truncate(MAX_TEXT_BYTES + 1)  # sparse: no disk used
    items, peak = _peak(lambda: list(iter_documents(path, max_bytes=300 * 1024 * 1024)))
    skip = _one(items)
    assert isinstance(skip, Skip) and skip.reason == "too_large" and f"{MAX_CHARS:,} characters" in skip.message
    assert peak < 1_000_000, peak  # nothing was read, let alone decoded


def test_standard_input_too_large_for_an_article_is_refused_undecoded():
    data = ("Invented sentence \u00e9 about the town. " * 500_000).encode()  # 19 MB, multi-byte characters
    assert len(data) > MAX_TEXT_BYTES
    items, peak = _peak(lambda: list(iter_documents("-", max_bytes=300 * 1024 * 1024, stdin=io.BytesIO(data))))
    skip = _one(items)
    assert skip.reason == "too_large"
    assert peak < 1.5 * len(data), (peak, len(data))  # the bytes read, but no decoded copy


def test_decoded_text_over_the_limit_stops_before_the_checks(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("x" * (MAX_CHARS + 1))
    skip = _one(iter_documents(path))
    assert skip.reason == "too_large" and f"{MAX_CHARS + 1:,} characters" in skip.message


def test_a_json_line_with_a_text_over_the_limit(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "y " * (MAX_CHARS // 2 + 1)}) + "\n" + json.dumps(ARTICLE) + "\n")
    first, second = iter_documents(path, max_bytes=100 * 1024 * 1024)
    assert isinstance(first, Skip) and first.reason == "too_large" and "characters" in first.message
    assert isinstance(second, Document)
