"""The input readers: every path gives a Document or a typed Skip, never an exception."""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sourcebook.limits import MB
from sourcebook.read import REASONS, Document, Skip, iter_documents, kind_of, sniff
from sourcebook.read import text as text_reader
from sourcebook.read.jsonl import normalize_date
from sourcebook.read.text import too_large_message

ENGLISH = (
    "The commander said \u201cwe will stay\u201d in the caf\u00e9 near the border, according to officials "
    "\u2014 at least 12 people were killed when shells hit the market on Monday.\n"
    "He added that the town was calm, but aid groups said thousands of families had fled.\n"
)
GERMAN = (
    "Der Krieg in Syrien hat seit 2011 mehr als 300.000 Menschen das Leben gekostet, sagte ein "
    "Sprecher der Vereinten Nationen am Montag in Genf. Die K\u00e4mpfe in der Provinz Idlib dauern an, "
    "und Tausende Familien sind auf der Flucht vor den Luftangriffen."
)
FRENCH = (
    "La guerre en Syrie a fait plus de 300 000 morts depuis 2011, a d\u00e9clar\u00e9 lundi un porte-parole "
    "des Nations unies \u00e0 Gen\u00e8ve. Les combats se poursuivent dans la province d'Idlib, o\u00f9 des "
    "milliers de familles ont fui les bombardements."
)
SPANISH = (
    "La guerra en Siria ha causado m\u00e1s de 300.000 muertos desde 2011, dijo el lunes un portavoz de "
    "las Naciones Unidas en Ginebra. Los combates contin\u00faan en la provincia de Idlib, donde miles "
    "de familias han huido de los bombardeos."
)


def one(path, **kw) -> Document | Skip:
    items = list(iter_documents(str(path), **kw))
    assert len(items) == 1, items
    return items[0]


def assert_skip(item, reason: str) -> Skip:
    assert isinstance(item, Skip), item
    assert item.reason == reason, item
    assert item.reason in REASONS
    assert item.message and "\n" not in item.message
    return item


# --------------------------------------------------------------------------- plain text


def test_utf8_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH, encoding="utf-8")
    d = one(p)
    assert isinstance(d, Document)
    assert d.text == ENGLISH and d.origin == str(p)
    assert d.url is None and d.title is None and d.published is None


def test_utf8_bom_is_stripped(tmp_path):
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + ENGLISH.encode("utf-8"))
    assert one(p).text == ENGLISH


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_line_endings_are_normalized(tmp_path, newline):
    p = tmp_path / "crlf.txt"
    p.write_bytes(ENGLISH.replace("\n", newline).encode("utf-8"))
    d = one(p)
    assert "\r" not in d.text
    assert d.text == ENGLISH


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_decode(tmp_path, encoding):
    p = tmp_path / "wide.txt"
    p.write_bytes(ENGLISH.replace("\n", "\r\n").encode(encoding))
    d = one(p)
    assert isinstance(d, Document), d
    assert d.text == ENGLISH


def test_cp1252_smart_quotes_decode(tmp_path):
    p = tmp_path / "win.txt"
    p.write_bytes(ENGLISH.encode("cp1252"))
    d = one(p)
    assert isinstance(d, Document), d
    assert d.text == ENGLISH


def test_latin1_decodes(tmp_path):
    text = (
        "Jos\u00e9 Mu\u00f1oz, a spokesman for the r\u00e9gion, said the caf\u00e9 was destroyed and that "
        "at least 40 people had been taken to hospital in the city of S\u00e3o Tom\u00e9 overnight.\n"
    )
    p = tmp_path / "latin.txt"
    p.write_bytes(text.encode("latin-1"))
    d = one(p)
    assert isinstance(d, Document), d
    assert d.text == text


def test_empty_and_whitespace(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ws.txt").write_bytes(b"  \r\n\t\n   ")
    assert "empty" in assert_skip(one(tmp_path / "empty.txt"), "empty").message
    assert "white space" in assert_skip(one(tmp_path / "ws.txt"), "empty").message


@pytest.mark.parametrize(
    "data, word",
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"word/document.xml", "ZIP"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "program"),
        (b"GIF89a\x01\x00\x01\x00", "GIF"),
        (bytes(range(1, 32)) * 40, "control"),
        (b"Some text\x00with a NUL byte in the middle of it, which text never has.", "NUL"),
    ],
)
def test_binary_is_refused(tmp_path, data, word):
    p = tmp_path / "thing.txt"
    p.write_bytes(data)
    skip = assert_skip(one(p), "binary")
    assert word in skip.message


def test_random_bytes_are_binary(tmp_path):
    import random

    rnd = random.Random(7)
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(rnd.randrange(256) for _ in range(5000)))
    assert_skip(one(p), "binary")


def test_undecodable_bytes_are_an_encoding_skip():
    with pytest.raises(text_reader.ReadProblem) as info:
        # Valid in no encoding that gives readable text: UTF-8 lead bytes without continuation,
        # mixed with C1 bytes undefined in cp1252.
        text_reader.decode_bytes(b"\x81\x8d\x8f\x90\x9d\xc3\x28\xe2\x28\xa1" * 50 + b"\x81\x9d\xc0\xc1\xf5\xff" * 50)
    assert info.value.reason == "encoding"


def test_too_large_is_checked_before_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    with open(p, "wb") as f:  # a sparse 50 MB file: os.stat says 50 MB, nothing is read
        f.truncate(50 * MB)
    real_open = open

    def no_open(*a, **kw):  # pragma: no cover - must not be reached
        raise AssertionError("the file was opened although it is over the limit")

    monkeypatch.setattr("builtins.open", no_open)
    try:
        skip = one(p)
    finally:
        monkeypatch.setattr("builtins.open", real_open)
    assert_skip(skip, "too_large")
    assert skip.message == "file is 50.0 MB; the limit is 10.0 MB (use --max-mb)"


def test_too_large_message_format():
    assert too_large_message(int(52.4 * MB), 10 * MB) == "file is 52.4 MB; the limit is 10.0 MB (use --max-mb)"
    p_small = too_large_message(2048, 100)
    assert p_small == "file is 2.0 KB; the limit is 100 bytes (use --max-mb)"


def test_max_bytes_is_honoured(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH, encoding="utf-8")
    assert_skip(one(p, max_bytes=50), "too_large")
    assert isinstance(one(p, max_bytes=len(ENGLISH.encode()) + 1), Document)


@pytest.mark.parametrize("foreign, code, name", [(GERMAN, "de", "German"), (FRENCH, "fr", "French"), (SPANISH, "es",
                                                                                                      "Spanish")])
def test_foreign_text_is_not_english(tmp_path, foreign, code, name):
    p = tmp_path / "foreign.txt"
    p.write_text(foreign, encoding="utf-8")
    skip = assert_skip(one(p), "not_english")
    assert f"looks like {name} ({code}), not English" in skip.message


def test_short_foreign_text_is_not_judged(tmp_path):
    p = tmp_path / "short.txt"
    p.write_text("Der Krieg geht weiter, sagte er.", encoding="utf-8")
    assert isinstance(one(p), Document)


@pytest.mark.parametrize(
    "text",
    [
        '"We will stay," the commander said.',
        "Rebels said they held the town.",
        "Abu Mohammed al-Jolani, Hayat Tahrir al-Sham, Ahmed al-Sharaa, Abu Bakr al-Baghdadi, Bashar "
        "al-Assad, Recep Tayyip Erdogan, Sergei Lavrov, Hassan Nasrallah and Mohammed bin Salman met "
        "in Tehran, Idlib, Raqqa and Deir ez-Zor, said Ahmed Abdullah al-Hamadi.",
        "Kurdish YPG commander Mazloum Abdi said that 3,000 Islamic State fighters were held at al-Hol, "
        "Ain Issa and Qamishli, while the SDF, the PKK and the KDP said nothing about Kobani.",
    ],
)
def test_english_with_many_names_or_short_passes(tmp_path, text):
    p = tmp_path / "en.txt"
    p.write_text(text, encoding="utf-8")
    d = one(p)
    assert isinstance(d, Document), d


def test_real_english_corpus_all_pass(shared_dir):
    corpus = shared_dir / "corpus"
    files = sorted((corpus / "dev").glob("*.txt")) + [corpus / "seed-foreign-fighters-leaving-syria.txt"]
    files = [f for f in files if f.exists()]
    if len(files) < 36:
        pytest.skip(f"expected 36 corpus files, found {len(files)}")
    for f in files:
        d = one(f)
        assert isinstance(d, Document), (f, d)
        assert d.text == f.read_text(encoding="utf-8").replace("\r\n", "\n").lstrip("\ufeff")


def test_corpus_folder_is_read_in_sorted_order(shared_dir):
    corpus = shared_dir / "corpus"
    if not corpus.is_dir():
        pytest.skip("no shared corpus")
    items = list(iter_documents(str(corpus)))
    assert all(isinstance(i, Document) for i in items), [i for i in items if isinstance(i, Skip)]
    origins = [i.origin for i in items]
    assert origins == sorted(origins, key=lambda o: Path(o).relative_to(corpus).parts)


# --------------------------------------------------------------------------- HTML


ARTICLE_HTML = (
    "<!DOCTYPE html>\r\n<html lang='en'><head><meta charset='utf-8'><title>Clashes in Idlib | Example News</title>"
    "<meta property='og:title' content='Clashes in Idlib'>"
    "<link rel='canonical' href='https://example.org/news/idlib-clashes'>"
    "<meta property='article:published_time' content='2019-05-04T10:00:00Z'></head>\r\n"
    "<body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav><article><h1>Clashes in Idlib</h1>\r\n"
    + "".join(
        f"<p>\u201cWe will stay,\u201d the commander said on Monday, adding that at least {i + 2} civilians "
        f"had been killed in the fighting near the town of Saraqeb, according to rescue workers.</p>\r\n"
        for i in range(5)
    )
    + "</article><footer>Copyright 2020 Example News. All rights reserved.</footer></body></html>"
)


def test_html_article_with_metadata(tmp_path):
    p = tmp_path / "a.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    d = one(p)
    assert isinstance(d, Document), d
    assert "\u201cWe will stay,\u201d the commander said" in d.text
    assert "\r" not in d.text
    assert "Copyright" not in d.text and "Home" not in d.text.split("\n")[0]
    assert d.title == "Clashes in Idlib"
    assert d.published == "2019-05-04"
    assert d.url == "https://example.org/news/idlib-clashes"


def test_html_in_another_encoding(tmp_path):
    page = ARTICLE_HTML.replace("charset='utf-8'", "charset='windows-1252'")
    p = tmp_path / "a.htm"
    p.write_bytes(page.encode("cp1252"))
    d = one(p)
    assert isinstance(d, Document), d
    assert "\u201cWe will stay,\u201d" in d.text


def test_malformed_html_that_still_reads_is_fine(tmp_path):
    page = "<html><body><div><p>" + " ".join(
        f"<p>Officials said at least {i} people had been <b>killed in the <i>attack on the village"
        for i in range(10)
    )
    p = tmp_path / "broken.xhtml"
    p.write_text(page, encoding="utf-8")
    d = one(p)
    assert isinstance(d, Document), d
    assert "Officials said at least 3 people had been killed" in d.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><div><p>unclosed <b>tags",
        "<html><head><title>x</title></head><body><script>var a = 1;</script></body></html>",
        "<html><body><div><p><b><i></i></b></p></div></body></html>",
        "<<<>>><html<body></",
    ],
)
def test_html_without_article_text_is_bad_html(tmp_path, page):
    p = tmp_path / "bad.html"
    p.write_text(page, encoding="utf-8")
    skip = assert_skip(one(p), "bad_html")
    assert "no article text" in skip.message


def test_html_checks_apply(tmp_path):
    (tmp_path / "empty.html").write_bytes(b"")
    (tmp_path / "bin.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "de.html").write_text(f"<html><body><article><p>{GERMAN}</p><p>{GERMAN}</p></article></body></html>")
    assert_skip(one(tmp_path / "empty.html"), "empty")
    assert_skip(one(tmp_path / "bin.html"), "binary")
    assert_skip(one(tmp_path / "de.html"), "not_english")


def test_html_extraction_errors_never_escape(tmp_path, monkeypatch):
    import trafilatura

    def boom(*a, **kw):
        raise ValueError("lxml exploded")

    monkeypatch.setattr(trafilatura, "bare_extraction", boom)
    p = tmp_path / "a.html"
    p.write_text(ARTICLE_HTML, encoding="utf-8")
    skip = assert_skip(one(p), "bad_html")
    assert "could not be parsed" in skip.message


# --------------------------------------------------------------------------- JSON Lines


def jsonl(*lines) -> str:
    return "".join((ln if isinstance(ln, str) else json.dumps(ln)) + "\n" for ln in lines)


def test_jsonl_good_and_bad_lines(tmp_path):
    p = tmp_path / "a.jsonl"
    p.write_text(
        jsonl(
            {"text": "Rebels said they held the town.", "url": "https://e.org/1", "title": " A  title ",
             "published": "2019-05-04"},
            '{"text": "Officials" "said"}',
            "",
            [1, 2],
            {"title": "no text here"},
            {"text": 5},
            {"text": "   "},
            {"text": "The army said 12 soldiers died.", "published": "not a date", "url": 7},
        ),
        encoding="utf-8",
    )
    items = list(iter_documents(str(p)))
    by_origin = {i.origin: i for i in items}
    assert list(by_origin) == [f"{p}:{n}" for n in (1, 2, 4, 5, 6, 7, 8)]
    d1 = by_origin[f"{p}:1"]
    assert isinstance(d1, Document)
    assert (d1.text, d1.url, d1.title, d1.published) == ("Rebels said they held the town.", "https://e.org/1",
                                                         "A title", "2019-05-04")
    bad = assert_skip(by_origin[f"{p}:2"], "bad_json")
    assert bad.message == "line 2: not valid JSON (Expecting ',' delimiter at column 22)"
    assert assert_skip(by_origin[f"{p}:4"], "bad_json").message.startswith("line 4: expected a JSON object")
    assert 'no "text" field (it has: title)' in assert_skip(by_origin[f"{p}:5"], "missing_text").message
    assert '"text" is a number, not a string' in assert_skip(by_origin[f"{p}:6"], "missing_text").message
    assert_skip(by_origin[f"{p}:7"], "empty")
    d8 = by_origin[f"{p}:8"]
    assert isinstance(d8, Document) and d8.published is None and d8.url is None


def test_jsonl_text_field_checks(tmp_path):
    p = tmp_path / "a.ndjson"
    p.write_text(jsonl({"text": GERMAN}, {"text": "nul\u0000byte said"}, {"text": "a\r\nb said"}), encoding="utf-8")
    items = list(iter_documents(str(p)))
    assert_skip(items[0], "not_english")
    assert items[0].message.startswith("line 1: text looks like German")
    assert_skip(items[1], "binary")
    assert isinstance(items[2], Document) and items[2].text == "a\nb said"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2019-05-04", "2019-05-04"),
        ("2019-05-04T10:00:00Z", "2019-05-04"),
        ("2019-05-04 10:00:00+02:00", "2019-05-04"),
        ("2019-5-4", "2019-05-04"),
        ("Mon, 19 Dec 2016 10:00:00 +0000", "2016-12-19"),
        ("May 4, 2019", "2019-05-04"),
        ("4 May 2019", "2019-05-04"),
        ("2019-02-30", None),
        ("not a date", None),
        ("", None),
        (20190504, None),
        (None, None),
        ("yesterday", None),
    ],
)
def test_published_is_normalized(value, expected):
    assert normalize_date(value) == expected


def test_jsonl_bom_blank_lines_and_encoding(tmp_path):
    p = tmp_path / "b.jsonl"
    p.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"text": "First said."}).encode() + b"\r\n\r\n"
        + b'{"text": "caf\xe9 said"}\n'
        + json.dumps({"text": "Third said."}).encode() + b"\n"
    )
    items = list(iter_documents(str(p)))
    assert isinstance(items[0], Document) and items[0].text == "First said."
    assert_skip(items[1], "encoding")
    assert items[1].origin == f"{p}:3" and items[1].message.startswith("line 3:")
    assert isinstance(items[2], Document) and items[2].origin == f"{p}:4"


def test_jsonl_line_over_the_limit_is_skipped_alone(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(jsonl({"text": "Short said."}, {"text": "x " * 5000}, {"text": "Also short, he said."}))
    items = list(iter_documents(str(p), max_bytes=2000))
    assert isinstance(items[0], Document)
    assert_skip(items[1], "too_large")
    assert items[1].message.startswith("line 2: the line is ")
    assert isinstance(items[2], Document) and items[2].origin == f"{p}:3"


@pytest.mark.parametrize("name", ["a.jsonl.gz", "a.gz", "a.ndjson.gz"])
def test_gzip_jsonl(tmp_path, name):
    p = tmp_path / name
    with gzip.open(p, "wt", encoding="utf-8") as f:
        f.write(jsonl({"text": "Gzipped, the minister said.", "published": "2020-01-02"}, "{broken",
                      {"text": "Second said."}))
    items = list(iter_documents(str(p)))
    assert [type(i).__name__ for i in items] == ["Document", "Skip", "Document"]
    assert items[0].published == "2020-01-02" and items[0].origin == f"{p}:1"
    assert_skip(items[1], "bad_json").message.startswith("line 2: not valid JSON")


def test_truncated_gzip_keeps_earlier_lines(tmp_path):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as gz:
        gz.write(jsonl(*[{"text": f"Line {i}, he said."} for i in range(2000)]).encode())
    p = tmp_path / "t.jsonl.gz"
    p.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])
    items = list(iter_documents(str(p)))
    assert isinstance(items[0], Document)
    assert_skip(items[-1], "unreadable")
    assert "damaged or truncated" in items[-1].message


def test_gzip_that_is_not_gzip(tmp_path):
    p = tmp_path / "fake.jsonl.gz"
    p.write_bytes(b"\x1f\x8b\x08garbage-garbage")
    assert_skip(list(iter_documents(str(p)))[-1], "unreadable")


def test_empty_and_binary_jsonl(tmp_path):
    (tmp_path / "e.jsonl").write_bytes(b"")
    (tmp_path / "w.jsonl").write_bytes(b"\n\n  \n")
    (tmp_path / "b.jsonl").write_bytes(b"\x00\x01\x02" * 100)
    assert_skip(one(tmp_path / "e.jsonl"), "empty")
    assert_skip(one(tmp_path / "w.jsonl"), "empty")
    assert_skip(one(tmp_path / "b.jsonl"), "binary")


def test_json_object_list_and_errors(tmp_path):
    (tmp_path / "one.json").write_text(json.dumps({"text": "One said.", "title": "T"}))
    (tmp_path / "list.json").write_text(json.dumps([{"text": "A said."}, {"nope": 1}, {"text": "B said."}]))
    (tmp_path / "lines.json").write_text(jsonl({"text": "L1 said."}, {"text": "L2 said."}))
    (tmp_path / "bad.json").write_text('{"text": "unfinished')
    (tmp_path / "empty_list.json").write_text("[]")
    d = one(tmp_path / "one.json")
    assert isinstance(d, Document) and d.title == "T" and d.origin == str(tmp_path / "one.json")
    items = list(iter_documents(str(tmp_path / "list.json")))
    assert [i.origin for i in items] == [f"{tmp_path / 'list.json'}#{n}" for n in (1, 2, 3)]
    assert_skip(items[1], "missing_text").message.startswith("item 2:")
    lines = list(iter_documents(str(tmp_path / "lines.json")))
    assert [d.text for d in lines] == ["L1 said.", "L2 said."]
    bad = assert_skip(one(tmp_path / "bad.json"), "bad_json")
    assert "not valid JSON" in bad.message and "line 1" in bad.message
    assert_skip(one(tmp_path / "empty_list.json"), "empty")


def test_json_oddities_do_not_stop_the_file(tmp_path):
    p = tmp_path / "odd.jsonl"
    p.write_text(
        '{"text": "He said \\ud800 hello, and \\ud83d\\ude00 too.", "title": "T\\udfff"}\n'
        + '{"text": 1' + "0" * 5000 + "}\n"
        + '{"text": "Fine, he said."}\n'
    )
    items = list(iter_documents(p))
    assert items[0].text == "He said \ufffd hello, and \U0001f600 too." and items[0].title == "T\ufffd"
    json.dumps(items[0].text, ensure_ascii=False).encode("utf-8")
    assert assert_skip(items[1], "bad_json").message == "line 2: not usable JSON (a number in it has too many digits)"
    assert isinstance(items[2], Document)


def test_deeply_nested_json_is_bad_json(tmp_path):
    p = tmp_path / "deep.jsonl"
    p.write_text("[" * 100_000 + "]" * 100_000 + "\n" + json.dumps({"text": "Fine, he said."}) + "\n")
    items = list(iter_documents(str(p)))
    assert_skip(items[0], "bad_json")
    assert isinstance(items[1], Document)


# --------------------------------------------------------------------------- paths


def test_folder_with_mixed_files(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b" / "c.html").write_text(ARTICLE_HTML)
    (tmp_path / "b" / "deep" / "d.jsonl").write_text(jsonl({"text": "D said."}, {"text": "E said."}))
    (tmp_path / "b" / "e.md").write_text("# Notes\n\nThe spokesman said nothing.\n")
    (tmp_path / "b" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "b" / "notes.docx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".hidden" / "x.txt").write_text(ENGLISH)
    (tmp_path / ".secret.txt").write_text(ENGLISH)
    (tmp_path / "z.TXT").write_text(ENGLISH)
    (tmp_path / "empty.text").write_text("")
    items = list(iter_documents(str(tmp_path)))
    rel = [str(Path(i.origin).relative_to(tmp_path)) for i in items]
    assert rel == [
        "a.txt",
        "b/c.html",
        "b/deep/d.jsonl:1",
        "b/deep/d.jsonl:2",
        "b/e.md",
        "empty.text",
        "z.TXT",
    ]
    assert [type(i).__name__ for i in items] == ["Document"] * 5 + ["Skip", "Document"]


def test_folder_without_articles_yields_nothing(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    assert list(iter_documents(str(tmp_path))) == []


def test_glob_pattern(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "1.txt").write_text(ENGLISH)
    (tmp_path / "x" / "2.txt").write_text(ENGLISH)
    (tmp_path / "x" / "3.html").write_text(ARTICLE_HTML)
    items = list(iter_documents(str(tmp_path / "x" / "*.txt")))
    assert [Path(i.origin).name for i in items] == ["1.txt", "2.txt"]
    items = list(iter_documents(str(tmp_path / "**" / "*.html")))
    assert [Path(i.origin).name for i in items] == ["3.html"]
    skip = assert_skip(one(tmp_path / "x" / "*.jsonl"), "not_found")
    assert "match" in skip.message


def test_missing_path_is_not_found(tmp_path):
    skip = assert_skip(one(tmp_path / "nope.txt"), "not_found")
    assert skip.origin == str(tmp_path / "nope.txt")
    assert "no such file" in skip.message
    assert_skip(one(tmp_path / "no" / "such" / "dir"), "not_found")


def test_unknown_extension_is_sniffed(tmp_path):
    (tmp_path / "article").write_text(ENGLISH)
    (tmp_path / "page.php").write_text(ARTICLE_HTML)
    (tmp_path / "dump.log").write_text(jsonl({"text": "X said."}))
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    assert one(tmp_path / "article").text == ENGLISH
    assert one(tmp_path / "page.php").title == "Clashes in Idlib"
    assert one(tmp_path / "dump.log").origin == f"{tmp_path / 'dump.log'}:1"
    assert "JPEG" in assert_skip(one(tmp_path / "photo.jpg"), "binary").message


def test_a_reader_crash_becomes_unreadable(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b.txt").write_text(ENGLISH)
    calls = []

    def flaky(path, max_bytes, origin=None):
        calls.append(path)
        if path.endswith("a.txt"):
            raise RuntimeError("disk on fire")
        return Document(text="ok", origin=path)

    monkeypatch.setattr(text_reader, "read_text_file", flaky)
    items = list(iter_documents(str(tmp_path)))
    assert_skip(items[0], "unreadable")
    assert "disk on fire" in items[0].message
    assert isinstance(items[1], Document)


@pytest.mark.parametrize(
    "name, expected",
    [("a.txt", "text"), ("a.text", "text"), ("a.md", "text"), ("a.HTML", "html"), ("a.htm", "html"),
     ("a.xhtml", "html"), ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.jsonl.gz", "jsonl"),
     ("a.gz", "jsonl"), ("a.json", "json"), ("a.pdf", None), ("a", None)],
)
def test_kind_of(name, expected):
    assert kind_of(name) == expected


@pytest.mark.parametrize(
    "data, expected",
    [
        (ARTICLE_HTML.encode(), "html"),
        (b"  <p>He said.</p>", "html"),
        (b"Some text with a <b>tag</b> in it, and a line\n", "text"),
        (jsonl({"text": "a"}, {"text": "b"}).encode(), "jsonl"),
        (b'{"text": "a"}\nnot json\n', "text"),
        (ENGLISH.encode(), "text"),
        (gzip.compress(b'{"text": "a"}\n', mtime=0), "jsonl"),
        (jsonl({"text": "<p>He said.</p>"}, {"text": "<html><body>x</body></html>"}).encode(), "jsonl"),
        (b"\xef\xbb\xbf" + jsonl({"text": "a"}).encode(), "jsonl"),
    ],
)
def test_sniff(data, expected):
    assert sniff(data) == expected


# --------------------------------------------------------------------------- standard input


def test_stdin_in_process():
    def read(data: bytes):
        return list(iter_documents("-", stdin=io.BytesIO(data)))

    [d] = read(ENGLISH.replace("\n", "\r\n").encode("utf-16"))
    assert d.text == ENGLISH and d.origin == "<stdin>"
    [d] = read(ARTICLE_HTML.encode())
    assert d.title == "Clashes in Idlib"
    items = read(jsonl({"text": "A said."}, "{oops", {"text": "B said."}).encode())
    assert [i.origin for i in items] == ["<stdin>:1", "<stdin>:2", "<stdin>:3"]
    assert_skip(items[1], "bad_json")
    assert_skip(read(b"")[0], "empty")
    assert_skip(read(b"\n \n")[0], "empty")
    assert_skip(list(iter_documents("-", stdin=io.BytesIO(b"x" * 200), max_bytes=100))[0], "too_large")
    assert_skip(read(GERMAN.encode())[0], "not_english")
    [d] = read(gzip.compress(ENGLISH.encode()))
    assert d.text == ENGLISH
    items = read(gzip.compress(jsonl({"text": "A said."}, {"text": "B said."}).encode()))
    assert [i.origin for i in items] == ["<stdin>:1", "<stdin>:2"]
    assert_skip(read(b"\x1f\x8b\x08broken")[0], "unreadable")


STDIN_SCRIPT = (
    "import json, sys\n"
    "from sourcebook.read import iter_documents, Skip\n"
    "out = [[type(i).__name__, i.origin, getattr(i, 'reason', None), getattr(i, 'text', None), getattr(i, 'title', "
    "None)]"
    " for i in iter_documents('-')]\n"
    "sys.stdout.write(json.dumps(out))\n"
)


@pytest.mark.parametrize(
    "data, expected",
    [
        (ENGLISH.encode("utf-8"), [["Document", "<stdin>", None, ENGLISH, None]]),
        (ARTICLE_HTML.encode("utf-8"), None),
        (jsonl({"text": "A said."}, "{bad", {"text": "B said."}).encode(),
         [["Document", "<stdin>:1", None, "A said.", None], ["Skip", "<stdin>:2", "bad_json", None, None],
          ["Document", "<stdin>:3", None, "B said.", None]]),
        (b"", [["Skip", "<stdin>", "empty", None, None]]),
    ],
)
def test_stdin_subprocess(data, expected):
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": src + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-c", STDIN_SCRIPT], input=data, capture_output=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    out = json.loads(proc.stdout)
    if expected is None:  # the HTML page
        assert out[0][0] == "Document" and out[0][4] == "Clashes in Idlib"
    else:
        assert out == expected
