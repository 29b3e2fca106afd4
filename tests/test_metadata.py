"""Metadata at ingest: metadata files beside the articles, datelines, --published/--outlet, and where
each article's date came from (read/metadata.py, read/dateline.py; docs/store.md).

The article texts here are invented; the dev corpus is read from shared/ (never copied) to check the
dateline reader against the gold publication dates.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from sourcebook.read import Document, Skip, iter_documents
from sourcebook.read.dateline import parse_dateline
from sourcebook.read.metadata import Defaults

# invented articles
TEXT_A = "BEIRUT, March 3 (Reuters) - Rebels said on Monday that 40 fighters had crossed the border, a monitor said.\n"
TEXT_B = "Officials said 300 families had returned to the town, the ministry said in a statement on Tuesday.\n"
TEXT_C = "Some 12 detainees were freed on Friday, a lawyer for the families told reporters in the capital.\n"
HTML = """<!doctype html><html><head><title>Returnees reach the camp</title>
<meta property="og:site_name" content="The Example Herald">
<meta property="article:published_time" content="2015-05-06T10:00:00Z">
</head><body><article><h1>Returnees reach the camp</h1>
<p>About 250 people returned to the camp on Wednesday, the local council said in a statement.</p>
<p>Aid workers said the returnees needed water and shelter, and that more were expected next week.</p>
</article></body></html>"""


@pytest.mark.parametrize("head, reference, want", [
    ("BEIRUT, March 3 (Reuters) - The", "2014-06-01", ("BEIRUT", "2014-03-03", "Reuters")),
    ("BEIRUT, March 3 (Reuters) - The", None, ("BEIRUT", None, "Reuters")),  # no year, no reference
    ("BEIRUT, Dec. 30 (Reuters) - The", "2015-01-02", ("BEIRUT", "2014-12-30", "Reuters")),  # nearest year
    ("WASHINGTON, Feb. 25, 2014 (AP) — The", None, ("WASHINGTON", "2014-02-25", "AP")),
    ("LONDON, March 3, 2014 /PRNewswire/ -- X", None, ("LONDON", "2014-03-03", "PRNewswire")),
    ("GEORGETOWN, Ky. (WKYT) - Dr. Smith", None, ("GEORGETOWN", None, "WKYT")),
    ("BEIRUT —  A cease-fire", None, ("BEIRUT", None, None)),
    ("Title of the story\nMAKHACHKALA -- Three days", None, ("MAKHACHKALA", None, None)),
    ("July 18 2014 Syrian army", None, (None, "2014-07-18", None)),
    ("Sun 16 Apr 2017 Death toll", None, (None, "2017-04-16", None)),
    ("Published February 18 2015 The army", None, (None, "2015-02-18", None)),
    ("2016-04-04 Spokesman", None, (None, "2016-04-04", None)),
])
def test_dateline_shapes(head, reference, want):
    line = parse_dateline(head, reference=reference)
    assert line is not None
    assert (line.place, line.published, line.agency) == want


@pytest.mark.parametrize("text", [
    "A Turkish policeman shot the ambassador on Monday.",
    "04-05-2016 Day and month cannot be told apart",  # April 5 or 4 May?
    "US strikes kill 50 fighters, a monitor said.",
    "",
])
def test_no_dateline(text):
    line = parse_dateline(text, reference="2016-01-01")
    assert line is None or line.published is None


def test_datelines_of_the_dev_corpus_agree_with_the_gold_dates(shared_dir):
    """Every date the dateline reader finds in the dev articles is the gold publication date."""
    gold = {}
    for f in sorted((shared_dir / "gold" / "dev").glob("*.json")):
        art = json.loads(f.read_text(encoding="utf-8"))["article"]
        gold[art["file"]] = art.get("published")
    found = {}
    for rel in gold:
        [doc] = [d for d in iter_documents(str(shared_dir / rel)) if isinstance(d, Document)]
        line = parse_dateline(doc.text)
        if line and line.published:
            found[rel] = line.published
    assert len(found) >= 8
    assert {rel: gold[rel] for rel in found} == found


def _folder(tmp_path: Path, metadata: str | None, name: str = "metadata.csv") -> Path:
    root = tmp_path / "articles"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text(TEXT_A, encoding="utf-8")
    (root / "sub" / "b.txt").write_text(TEXT_B, encoding="utf-8")
    (root / "c.txt").write_text(TEXT_C, encoding="utf-8")
    (root / "page.html").write_text(HTML, encoding="utf-8")
    if metadata is not None:
        (root / name).write_text(metadata, encoding="utf-8")
    return root


def _read(path, **defaults):
    docs, skips = {}, []
    for d in iter_documents(str(path), defaults=Defaults(**defaults)):
        if isinstance(d, Skip):
            skips.append(d)
        else:
            docs[Path(d.origin).name] = d
    return docs, skips


def test_metadata_csv_applies_to_its_files_and_reports_bad_rows(tmp_path):
    root = _folder(tmp_path, "file,url,outlet,title,published\n"
                             "sub/b.txt,https://www.example.org/b,,The returnees,2016-12-14\n"
                             "c.txt,,Daily Example,Freed detainees,14 December 2016\n"
                             "page.html,,,From the spreadsheet,2015-05-01\n"
                             "missing.txt,,,,\n"
                             "a.txt,,,,not a date\n")
    docs, skips = _read(root, published="2014-06-01", outlet="Cli Outlet")
    assert (docs["b.txt"].title, docs["b.txt"].url, docs["b.txt"].published, docs["b.txt"].date_source) == (
        "The returnees", "https://www.example.org/b", "2016-12-14", "metadata-file")
    assert (docs["c.txt"].outlet, docs["c.txt"].published, docs["c.txt"].date_source) == (
        "Daily Example", "2016-12-14", "metadata-file")
    # per-file metadata beats the page's own
    assert (docs["page.html"].title, docs["page.html"].published, docs["page.html"].date_source) == (
        "From the spreadsheet", "2015-05-01", "metadata-file")
    # a.txt's row has no usable date: its dateline, placed in the year of --published
    assert (docs["a.txt"].published, docs["a.txt"].outlet, docs["a.txt"].date_source) == (
        "2014-03-03", "Reuters", "dateline")
    assert sorted((s.reason, s.message.split(":")[0]) for s in skips) == [
        ("bad_metadata", "row 5"), ("bad_metadata", "row 6")]


def test_without_metadata_the_page_then_the_dateline_then_the_cli(tmp_path):
    root = _folder(tmp_path, None)
    docs, skips = _read(root, published="2014-06-01", outlet="Cli Outlet")
    assert not skips
    assert (docs["page.html"].published, docs["page.html"].outlet, docs["page.html"].date_source) == (
        "2015-05-06", "The Example Herald", "html-meta")
    assert (docs["a.txt"].published, docs["a.txt"].date_source) == ("2014-03-03", "dateline")
    assert (docs["b.txt"].published, docs["b.txt"].outlet, docs["b.txt"].date_source) == (
        "2014-06-01", "Cli Outlet", "cli")
    # --force-metadata: the run's values win everywhere
    docs, _ = _read(root, published="2014-06-01", outlet="Cli Outlet", force=True)
    assert {(d.published, d.outlet, d.date_source) for d in docs.values()} == {("2014-06-01", "Cli Outlet", "cli")}
    # nothing at all: no date, and it says so
    docs, _ = _read(root / "sub")
    assert (docs["b.txt"].published, docs["b.txt"].date_source) == (None, "none")


def test_metadata_jsonl_fills_what_jsonl_records_leave_empty(tmp_path):
    root = tmp_path / "feed"
    root.mkdir()
    lines = [{"text": TEXT_B, "published": "2016-01-02"}, {"text": TEXT_C}]
    (root / "feed.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    (root / "metadata.jsonl").write_text(json.dumps({"file": "feed.jsonl", "outlet": "Feed Wire",
                                                     "published": "2016-03-04"}) + "\n", encoding="utf-8")
    docs = [d for d in iter_documents(str(root)) if isinstance(d, Document)]
    assert len(docs) == 2  # metadata.jsonl is not read as articles
    assert [(d.published, d.date_source, d.outlet) for d in docs] == [
        ("2016-01-02", "jsonl-field", "Feed Wire"), ("2016-03-04", "metadata-file", "Feed Wire")]


def test_an_unreadable_metadata_file_is_one_skip_and_the_articles_are_read(tmp_path):
    root = _folder(tmp_path, "name,date\nx,y\n")
    docs, skips = _read(root)
    assert len(docs) == 4
    assert [(s.reason, "no 'file' column" in s.message) for s in skips] == [("bad_metadata", True)]


def test_cli_ingest_stores_outlet_and_date_source_and_takes_new_metadata(tmp_path, cli):
    root = _folder(tmp_path, "file,outlet,title,published\nsub/b.txt,Daily Example,The returnees,2016-12-14\n")
    db = tmp_path / "m.db"
    res = cli("ingest", root, "--db", db, "--published", "2014-06-01", "--outlet", "Cli Outlet", "--json")
    assert res.returncode == 0, res.stderr
    rows = {r[0]: r[1:] for r in sqlite3.connect(db).execute(
        "select origin, outlet, published, published_source, title from articles")}
    got = {Path(k).name: v for k, v in rows.items()}
    assert got["b.txt"] == ("Daily Example", "2016-12-14", "metadata-file", "The returnees")
    assert got["a.txt"][:3] == ("Reuters", "2014-03-03", "dateline")
    assert got["c.txt"][:3] == ("Cli Outlet", "2014-06-01", "cli")
    assert got["page.html"][:3] == ("The Example Herald", "2015-05-06", "html-meta")
    # a corrected date in the metadata file: that article is extracted again with it
    (root / "metadata.csv").write_text(
        "file,outlet,title,published\nsub/b.txt,Daily Example,The returnees,2016-12-15\n", encoding="utf-8")
    res = cli("ingest", root, "--db", db, "--json")
    summary = json.loads(res.stdout)
    assert (summary["reextracted"], summary["unchanged"]) == (1, 3)
    pub = sqlite3.connect(db).execute("select published from articles where title = 'The returnees'").fetchone()
    assert pub == ("2016-12-15",)


@pytest.mark.parametrize("args, message", [
    (["--published", "2014-13-01"], "--published must be a date YYYY-MM-DD"),
    (["--force-metadata"], "--force-metadata needs --published or --outlet"),
])
def test_cli_bad_metadata_options(tmp_path, cli, args, message):
    root = _folder(tmp_path, None)
    res = cli("ingest", root, "--db", tmp_path / "x.db", *args)
    assert res.returncode == 2
    assert message in res.stderr and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
