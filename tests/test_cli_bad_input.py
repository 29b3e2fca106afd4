"""``sourcebook extract`` on bad input: one clear line on stderr, a non-zero exit, never a traceback.

Each test runs the CLI in this process (the ``cli`` fixture: ``sourcebook.cli.main`` under CliRunner).
"""

from __future__ import annotations

import json
import random

import pytest

ENGLISH = (
    '"We will not leave our homes," said Maria Okafor, a spokeswoman for the regional ministry. '
    "At least 120 fighters had crossed the river by Tuesday, according to a security official who "
    "spoke on condition of anonymity.\n"
)
GERMAN = (
    "Der Krieg in Syrien hat seit 2011 mehr als 300.000 Menschen das Leben gekostet, sagte ein "
    "Sprecher der Vereinten Nationen am Montag in Genf. Die K\u00e4mpfe in der Provinz Idlib dauern an, "
    "und Tausende Familien sind auf der Flucht vor den Luftangriffen der Regierung.\n"
)
FRENCH = (
    "La guerre en Syrie a fait plus de 300 000 morts depuis 2011, a d\u00e9clar\u00e9 lundi un porte-parole "
    "des Nations unies \u00e0 Gen\u00e8ve. Les combats se poursuivent dans la province d'Idlib, o\u00f9 des "
    "milliers de familles ont fui les bombardements du r\u00e9gime.\n"
)


def check_failure(proc, *needles: str) -> str:
    """Non-zero exit, no traceback, every stderr line a one-line message, and the needles in it."""
    assert proc.returncode != 0, (proc.returncode, proc.stdout[:500], proc.stderr)
    assert "Traceback" not in proc.stderr, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines, "nothing on stderr"
    for ln in lines:
        assert ln.startswith(("skipped ", "error: ")), f"unexpected stderr line: {ln!r}"
    assert lines[-1].startswith("error: ")
    for needle in needles:
        assert needle in proc.stderr, (needle, proc.stderr)
    return proc.stderr


def records_of(stdout: str) -> list[dict]:
    """The records printed: one indented JSON object, or one JSON object a line."""
    if not stdout.strip():
        return []
    try:
        return [json.loads(stdout)]
    except json.JSONDecodeError:
        return [json.loads(ln) for ln in stdout.splitlines() if ln.strip()]


def test_good_file_works(cli, tmp_path):
    p = tmp_path / "good.txt"
    p.write_text(ENGLISH, encoding="utf-8")
    proc = cli("extract", p)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    rec = json.loads(proc.stdout)
    assert rec["schema"] == "sourcebook/1" and rec["text"] == ENGLISH


def test_empty_file(cli, tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    check_failure(cli("extract", p), "empty.txt", "the file is empty")


def test_whitespace_file(cli, tmp_path):
    p = tmp_path / "blank.txt"
    p.write_text("\n   \n\t\n")
    check_failure(cli("extract", p), "only white space")


def test_random_bytes(cli, tmp_path):
    rnd = random.Random(1)
    p = tmp_path / "noise.txt"
    p.write_bytes(bytes(rnd.randrange(256) for _ in range(20000)))
    check_failure(cli("extract", p), "binary data, not text")


def test_png_named_txt(cli, tmp_path):
    p = tmp_path / "photo.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4)
    check_failure(cli("extract", p), "PNG image, not text")


def test_pdf(cli, tmp_path):
    p = tmp_path / "report.txt"
    p.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
    check_failure(cli("extract", p), "PDF document")


def test_fifty_megabyte_file(cli, tmp_path):
    p = tmp_path / "huge.txt"
    chunk = ENGLISH.encode("utf-8")
    with open(p, "wb") as f:
        f.write(chunk * (50 * 1024 * 1024 // len(chunk) + 1))
    assert p.stat().st_size >= 50 * 1024 * 1024
    check_failure(cli("extract", p), "huge.txt", "file is 50.0 MB; the limit is 10.0 MB (use --max-mb)")
    # Raising --max-mb lets the file be read; the extractor's own length limit then refuses it cleanly.
    try:
        check_failure(cli("extract", p, "--max-mb", "60"), "too long")
    finally:
        p.unlink()  # do not leave 50 MB behind in pytest's kept temporary folders


@pytest.mark.parametrize("text, language", [(GERMAN, "German (de)"), (FRENCH, "French (fr)")])
def test_non_english(cli, tmp_path, text, language):
    p = tmp_path / "foreign.txt"
    p.write_text(text, encoding="utf-8")
    check_failure(cli("extract", p), f"text looks like {language}, not English")


@pytest.mark.parametrize(
    "page",
    [
        "<html><body><div><p>unclosed <b>tags",
        "<html><head><title>Nothing</title></head><body><div><p><b><i></i></b></p></div><script>x()</script></body></html>",
    ],
)
def test_malformed_or_empty_html(cli, tmp_path, page):
    p = tmp_path / "page.html"
    p.write_text(page, encoding="utf-8")
    check_failure(cli("extract", p), "no article text found in the HTML")


def test_jsonl_with_one_broken_line(cli, tmp_path):
    p = tmp_path / "batch.jsonl"
    good1 = {"text": ENGLISH, "published": "2014-02-25", "url": "https://example.org/1"}
    good2 = {"text": "About 3,000 people have fled the town, according to the relief office.", "title": "Flight"}
    p.write_text(json.dumps(good1) + "\n" + '{"text": "broken" "line"}\n' + json.dumps(good2) + "\n", encoding="utf-8")
    proc = cli("extract", p)
    err = check_failure(proc, f"{p}:2", "line 2: not valid JSON (Expecting ',' delimiter at column 19)")
    assert ":1" not in err.replace(f"{p}:2", "") and ":3" not in err
    records = records_of(proc.stdout)
    assert [r["url"] for r in records] == ["https://example.org/1", None]
    assert records[0]["published"] == "2014-02-25" and records[1]["title"] == "Flight"
    assert "1 document(s) skipped, 2 extracted" in err


def test_jsonl_line_without_text(cli, tmp_path):
    p = tmp_path / "batch.jsonl"
    p.write_text(json.dumps({"title": "no text"}) + "\n" + json.dumps({"text": ENGLISH}) + "\n")
    proc = cli("extract", p)
    check_failure(proc, 'line 1: no "text" field')
    assert [r["text"] for r in records_of(proc.stdout)] == [ENGLISH]


def test_nonexistent_path(cli, tmp_path):
    check_failure(cli("extract", tmp_path / "missing.txt"), "missing.txt", "no such file or folder")


def test_glob_matching_nothing(cli, tmp_path):
    check_failure(cli("extract", str(tmp_path / "*.txt")), "match")


def test_folder_without_articles(cli, tmp_path):
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "data.csv").write_text("a,b\n1,2\n")
    check_failure(cli("extract", tmp_path), "no documents found")


def test_folder_with_some_bad_files(cli, tmp_path):
    (tmp_path / "a.txt").write_text(ENGLISH)
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.txt").write_text(GERMAN)
    proc = cli("extract", tmp_path)
    check_failure(proc, "b.txt: the file is empty", "c.txt: text looks like German", "2 document(s) skipped, 1 "
                                                                                     "extracted")
    assert [r["text"] for r in records_of(proc.stdout)] == [ENGLISH]


def test_bad_published(cli, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH)
    check_failure(cli("extract", p, "--published", "last tuesday"), "not an ISO date (YYYY-MM-DD)")


def test_bad_format(cli, tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ENGLISH)
    proc = check_failure(cli("extract", p, "--format", "xml"), "--format must be json or table")
    assert proc


def test_stdin_empty(cli):
    check_failure(cli("extract", "-", input=b""), "standard input is empty")


def test_stdin_binary(cli):
    check_failure(cli("extract", "-", input=b"\x7fELF\x02\x01\x01" + b"\x00" * 100), "not text")


def test_stdin_text_works(cli):
    proc = cli("extract", "-", input=ENGLISH.encode("utf-16"))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["text"] == ENGLISH


def test_brackets_in_names_and_messages_are_printed_literally(cli, tmp_path):
    p = tmp_path / "a[red]b.jsonl"
    p.write_text(json.dumps({"[/red]": 1}) + "\n")
    proc = cli("extract", p)
    check_failure(proc, "a[red]b.jsonl:1", 'no "text" field (it has: [/red])')


@pytest.mark.parametrize("article", ['"a.txt"', "[]", "{}", '{"file": 3}'])
def test_eval_gold_with_a_malformed_article_field(cli, tmp_path, article):
    (tmp_path / "g.json").write_text('{"schema": "sourcebook-gold/1", "article": ' + article + "}", encoding="utf-8")
    res = cli("eval", tmp_path / "g.json")
    assert res.returncode == 1 and "Traceback" not in res.stderr and "article.file" in res.stderr
