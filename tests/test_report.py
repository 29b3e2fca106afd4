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


# --------------------------------------------------------------------------- hostile text from the store

#: A string that would run script or break out of an attribute if it were not escaped.
HOSTILE = '<script>alert("x")</script> "q" x" onmouseover="alert(1)'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &#34;q&#34; x&#34; onmouseover=&#34;alert(1)"


def _hostile_store(path):
    """A real store whose article title, source name, counted group and place hold ``HOSTILE`` (the
    extracted record, those fields replaced, as an article could carry them), with the ledger updated."""
    import dataclasses

    from sourcebook import ledger

    text = '"About 7,000 foreign fighters are in Velmora," said Maria Okafor, a spokeswoman for the interior ministry.'
    [rec] = extract_many([{"text": text, "published": "2024-01-10", "url": "https://x.test/a",
                           "title": "Title " + HOSTILE}])
    src = dataclasses.replace(rec.sources[0], name="Maria " + HOSTILE)
    cnt = dataclasses.replace(rec.counts[0], counted="foreign " + HOSTILE,
                              place=dict(rec.counts[0].place, text="Vel" + HOSTILE))
    store = Store(path)
    store.write(dataclasses.replace(rec, sources=[src], counts=[cnt]))
    ledger.update(store)
    return store


def _no_markup_from_the_store(html: str) -> None:
    assert "<script" not in html and "onmouseover=" + '"' not in html and HOSTILE not in html


def test_report_escapes_title_source_and_place_from_the_store(tmp_path):
    with _hostile_store(tmp_path / "h.db") as store:
        html, info = build_html(store)
    _no_markup_from_the_store(html)
    _self_contained(html)
    assert info["series_charts"] == 1
    for shown in ("Title " + ESCAPED, "Maria " + ESCAPED, "Vel" + ESCAPED):  # there, as text
        assert shown in html, shown


def _hostile_rows() -> dict:
    """Ledger rows (the sections' input) with ``HOSTILE`` in every string a row can hold."""
    h = HOSTILE
    cit = {"position": 1, "article_id": "a1", "start_char": 0, "end_char": 5, "title": "T " + h,
           "outlet": "o" + h, "published": "2024-01-10", "url": "https://x.test/" + h, "copy": True}
    claim = {"claim_id": "c1", "low": 10, "high": 20, "text": "fig " + h, "quote": "q " + h, "group_key": "g " + h,
             "status": "s " + h, "origin": "O" + h, "place_label": "P" + h, "source_kind": "named",
             "source_label": "L " + h, "n_citations": 2, "n_reports": 1, "n_outlets": 1, "claim_date": "2024-01-10",
             "first_outlet": "o" + h, "first_published": "2024-01-10", "first_title": "T " + h, "citations": [cit]}
    series = {"group_key": "g " + h, "status": "s " + h, "origin": "O" + h, "place_label": "P" + h, "n_claims": 1,
              "n_citations": 2, "n_named": 1, "n_anonymous": 0, "n_reporter": 0, "min_low": 10, "max_high": 20,
              "months": [{"month": "2024-01", "min_low": 10, "max_high": 20, "conflicting": True}],
              "claims": [claim]}
    flow = {"period": "2024" + h, "origin": "O" + h, "status": "leaving", "directed": True, "from": "F" + h,
            "from_label": "From " + h, "to": "T" + h, "to_label": "To " + h, "heading": "H" + h,
            "heading_label": "Head " + h, "destination": "T" + h, "n_claims": 1, "min_low": 10, "max_high": 20,
            "claims": [claim]}
    return {"claim": claim, "series": series, "flow": flow}


def test_every_section_escapes_every_string_of_its_rows():
    from sourcebook.report import section_claims, section_flows, section_series
    from sourcebook.report.charts import series_chart

    rows = _hostile_rows()

    def link(kind, row):
        return f"/x/{kind}?q=" + HOSTILE

    for html in (section_claims([rows["claim"]], link), section_claims([rows["claim"]]),
                 section_series([rows["series"]], 1, link), section_series([rows["series"]], 0, link),
                 section_series([rows["series"]], 1, link, charts_as_images=True),
                 section_flows([rows["flow"]], link), section_flows([dict(rows["flow"], directed=False)])):
        _no_markup_from_the_store(html)
        assert html.count("&lt;script&gt;") >= 3
    claims = section_claims([rows["claim"]], link)
    for shown in ("g " + ESCAPED, "L " + ESCAPED, "T " + ESCAPED, "q " + ESCAPED, f'href="/x/claim?q={ESCAPED}"'):
        assert shown in claims, shown
    assert "g " + ESCAPED in section_series([rows["series"]], 1)  # the group in the chart's heading
    # the chart itself (passed on as Markup) holds no text of the series: it is all in the template
    svg = series_chart(rows["series"], "t")
    assert svg is not None and "script" not in svg and "onmouseover" not in svg


def test_ledger_pages_escape_title_source_and_place_from_the_store(tmp_path):
    import base64

    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from sourcebook import ledger
    from sourcebook.web.app import create_app

    with _hostile_store(tmp_path / "h.db") as store:
        [claim] = ledger.claims(store, refresh=False)
        app = create_app(store=store, user="tester")
        with TestClient(app, base_url="http://127.0.0.1") as c:
            pages = {url: c.get(url) for url in ("/ledger/claims", f"/ledger/claims/{claim['claim_id']}",
                                                 "/ledger/series", "/ledger/flows")}
    for url, r in pages.items():
        assert r.status_code == 200, url
        assert r.text.count("<script") == 1, url  # the app's own app.js, nothing else
        assert "onmouseover=" + '"' not in r.text and HOSTILE not in r.text, url
    for url in ("/ledger/claims", f"/ledger/claims/{claim['claim_id']}"):
        for shown in ("Title " + ESCAPED, "Maria " + ESCAPED, "Vel" + ESCAPED):
            assert shown in pages[url].text, (url, shown)
    series = pages["/ledger/series"].text
    assert "Maria " + ESCAPED in series and "Vel" + ESCAPED in series
    images = re.findall(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', series)
    assert len(images) == 1 and "script" not in base64.b64decode(images[0]).decode("utf-8")
