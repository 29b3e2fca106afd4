"""Search terms cost CPU (issue 14, item 2): they are de-duplicated and capped, one-letter prefixes
are plain words, and the web UI makes snippets for the page it shows only.  Both backends; the
articles are invented (test_web_support.make_record with filler)."""

from __future__ import annotations

import itertools
import string
import time

import pytest
from fastapi.testclient import TestClient
from test_web_support import TEXT, make_record

from sourcebook.store import Store
from sourcebook.store.core import MAX_TERMS, fts5_query, search_terms
from sourcebook.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PREFIXES = " ".join(a + b + "*" for a, b in itertools.islice(itertools.product(string.ascii_lowercase, repeat=2), 80))


@pytest.fixture
def store(db_url):
    with Store(db_url) as st:
        for i in range(40):
            filler = " ".join(f"alpha{i}{j} about arrivals and an army" for j in range(60))
            st.write(make_record(TEXT + f"\n\nInvented filler {i}: {filler}.",
                                 url=f"https://www.example{i % 3}.org/a{i}",
                                 title=f"Invented article {i}"))
        yield st


def test_terms_are_deduplicated_and_capped():
    assert search_terms(" ".join(["a*"] * 80)) == ["a"]
    assert search_terms("Army army ARMY -army") == ["Army", "-army"]
    assert len(search_terms(PREFIXES)) == MAX_TERMS
    assert search_terms("ar* OR OR an* OR") == ["ar*", "OR", "an*"]
    assert fts5_query(" ".join(["a*"] * 80)) == '"a"'
    assert fts5_query(PREFIXES).count("*") == MAX_TERMS
    assert fts5_query('"fighters had" OR returned -home') == '(("fighters had" OR "returned")) NOT "home"'


def test_many_terms_search_fast_and_alike(store):
    plain = store.search("a")
    t = time.perf_counter()
    many = store.search(" ".join(["a*"] * 80))
    prefixes = store.search(PREFIXES)
    assert time.perf_counter() - t < 3
    assert [h["article_id"] for h in many["articles"]] == [h["article_id"] for h in plain["articles"]]
    assert isinstance(prefixes["articles"], list)


def test_snippets_only_for_the_page_shown(store):
    hits = store.search("arrivals", limit=40, snippets=False)["articles"]
    assert len(hits) == 40 and all(h["snippet"] is None for h in hits)
    snips = store.article_snippets("arrivals", [h["article_id"] for h in hits[:3]])
    assert len(snips) == 3 and all("**arrivals**" in s.lower() for s in snips.values())
    assert store.article_snippets("arrivals", []) == {} and store.article_snippets("", ["x"]) == {}


def test_the_corpus_page_with_80_terms_and_a_filter(store):
    c = TestClient(create_app(store=store, load_ledger=False), base_url="http://127.0.0.1")
    q = " ".join(["arrivals", "a*"] * 40)  # "a" is a stop word to PostgreSQL
    for extra in ("", "&outlet=example1.org"):
        t = time.perf_counter()
        r = c.get(f"/?q={q}{extra}")
        assert r.status_code == 200 and time.perf_counter() - t < 3, extra
        assert "Invented article" in r.text


def test_cli_search_with_60_terms(cli, tmp_path):
    db = tmp_path / "s.db"
    with Store(str(db)) as st:
        st.write(make_record())
    proc = cli("search", " ".join(["a*"] * 60), "--db", db, "--json")
    assert proc.returncode == 0, proc.stderr
    proc = cli("search", "fighters", "--db", db, "--limit", "99999999999999999999")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--limit" in proc.stderr
