"""Reasons for anonymity in the web UI (issue 18): every reason span framed in the article view, the
ones in a sentence of their own included, and the sources page, the ledger and the report saying how
many anonymous sources and claims carry one.  The article is invented, written for this test; it runs
through the real pipeline and a real store (SQLite, and PostgreSQL when the test server is up)."""

from __future__ import annotations

import html
import re

import pytest
from fastapi.testclient import TestClient

import sourcebook
from sourcebook import ledger
from sourcebook.store import Store
from sourcebook.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
LOCAL = "http://127.0.0.1"

TEXT = (
    "Border guards turned back a convoy near the crossing on Tuesday, officials said.\n\n"
    "Two customs officers described the night of the raid. \"They came in trucks with no lights,\" one officer "
    "said, adding that about 40 men had crossed into the province before dawn. The officers spoke on condition "
    "of anonymity. They were not authorized to brief reporters.\n\n"
    "A local council member, who asked not to be named for fear of reprisals, said at least 12 families had "
    "left the village since the weekend.\n\n"
    "\"We counted 300 people at the camp,\" said Mariam Odeh, who runs the camp for a relief group."
)


@pytest.fixture(scope="module")
def record():
    return sourcebook.extract(TEXT, published="2026-03-04")


@pytest.fixture
def client(db_url, record):
    with Store(db_url) as st:
        st.write(record)
        ledger.update(st)
        app = create_app(store=st, user="tester")
        with TestClient(app, base_url=LOCAL) as c:
            yield c, st


def _framed(page: str) -> list[str]:
    """The article text of every segment the article view frames as a reason (class ``anon``), joined
    where neighbouring segments belong to the same reason."""
    body = re.search(r'data-testid="article-text">(.*?)</article>', page, re.S).group(1)
    parts: list[str] = []
    last_end = None
    for m in re.finditer(r'<span class="seg ([^"]*)"[^>]*>(.*?)</span>|([^<]+)', body, re.S):
        if m.group(1) is not None and "anon" in m.group(1).split():
            if last_end == m.start() and parts:
                parts[-1] += html.unescape(m.group(2))
            else:
                parts.append(html.unescape(m.group(2)))
            last_end = m.end()
    return parts


def test_the_extraction_gives_the_reasons_this_test_relies_on(record):
    anon = [s for s in record.sources if s.anonymous]
    with_reason = [s for s in anon if s.anonymity_reason is not None]
    assert len(with_reason) >= 2, [(s.mention, s.anonymity_reason) for s in record.sources]
    assert not any(s.anonymity_reason for s in record.sources if not s.anonymous)


def test_every_reason_span_is_framed_in_the_article_view(client, record):
    c, _ = client
    page = c.get(f"/articles/{record.id}").text
    framed = " ".join(_framed(page))
    for s in record.sources:
        if s.anonymity_reason is not None:
            r = s.anonymity_reason
            assert TEXT[r.start:r.end] in framed, (r.text, framed)
    # the reason that stands in sentences of its own, away from the quote it explains
    assert "spoke on condition of anonymity" in framed
    assert "not authorized to brief reporters" in framed or "condition of anonymity" in framed


def test_the_sources_page_counts_anonymous_sources_and_quotes_with_a_reason(client, record):
    c, st = client
    page = c.get("/sources").text
    n_reason = sum(1 for s in record.sources if s.anonymous and s.anonymity_reason is not None)
    got = re.search(r'data-testid="anonymous-with-reason">(\d+)<', page)
    assert got and int(got.group(1)) == n_reason
    anon_ids = {s.id for s in record.sources if s.anonymous}
    reason_ids = {s.id for s in record.sources if s.anonymous and s.anonymity_reason is not None}
    n_q = sum(1 for q in record.quotes if q.source in anon_ids)
    n_qr = sum(1 for q in record.quotes if q.source in reason_ids)
    m = re.search(r'data-testid="anonymous-quotes-with-reason">(\d+)</b>of (\d+) quotes', page)
    assert m and (int(m.group(1)), int(m.group(2))) == (n_qr, n_q)


def test_the_ledger_counts_anonymous_claims_with_a_reason(client, record):
    c, st = client
    ov = ledger.overview(st, refresh=False)
    reason_ids = {s.id for s in record.sources if s.anonymous and s.anonymity_reason is not None}
    assert ov["anonymous_sources_with_reason"] == len(reason_ids)
    anon_claims = ov["claims_by_source"]["anonymous"]
    assert 0 <= ov["anonymous_claims_with_reason"] <= anon_claims
    counts_with_reason = [k for k in record.counts if k.source in reason_ids]
    if counts_with_reason:
        assert ov["anonymous_claims_with_reason"] >= 1
    page = c.get("/ledger/claims").text
    assert f"of the {anon_claims} claims from anonymous sources carry a stated reason" in page
