"""``sourcebook report``: one self-contained HTML file (nothing from the network), with series
charts, the flow diagram, the most cited claims and the anonymous share; article text escaped."""

from __future__ import annotations

import re

import pytest
from test_ledger import corpus_records  # noqa: F401  (the corpus, extracted once per process)

from sourcebook import extract_many
from sourcebook.report import build_html, write_report
from sourcebook.store import Store, StoreError


def _self_contained(html: str) -> None:
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=""", html, re.I)
    assert not re.search(r"""url\(\s*['"]?https?:""", html, re.I)
    assert "@import" not in html
    assert not re.search(r"""(src|href)\s*=\s*["']https?:""", html, re.I)


def test_report_on_the_whole_corpus(corpus_records, tmp_path, cli):
    records, reprint = corpus_records
    db = tmp_path / "r.db"
    with Store(db) as store:
        for r in records + [reprint]:
            store.write(r)
    out = tmp_path / "report.html"
    res = cli("report", "--db", db, "--out", out, "--json")
    assert res.returncode == 0, res.stderr
    html = out.read_text("utf-8")
    _self_contained(html)
    for anchor in ('id="overview"', 'id="series"', 'id="flows"', 'id="claims"'):
        assert anchor in html
    assert html.count("<svg") >= 5  # series charts and the flow diagram
    assert "anonymous sources" in html and "James Clapper" in html and "Abu Ahmed" in html
    assert "Saudi" in html or "SA" in html
    assert "near-duplicate copies" in html


def test_report_escapes_article_text(tmp_path):
    text = ('"About 7,000 foreign fighters are in Velmora," said <script>alert(1)</script> Maria Okafor, '
            'a spokeswoman for the <b>interior ministry</b>.')
    with Store(tmp_path / "e.db") as store:
        for rec in extract_many([{"text": text, "published": "2024-01-10", "url": "https://x.test/<i>"}]):
            store.write(rec)
        html, info = build_html(store)
        assert "<script>" not in html and "<b>interior" not in html
        _self_contained(html)
        with pytest.raises(StoreError, match="does not exist"):
            write_report(store, tmp_path / "no" / "such" / "dir" / "r.html")
