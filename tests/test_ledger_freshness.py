"""Ledger pages read what is there and say how fresh it is; the ledger is updated after an ingest,
by ``sourcebook ledger update`` and by a CSRF-checked POST, never inside a GET (issue 14, item 10).
And the review log is append-only in the database itself (migration 0006).  Both backends."""

from __future__ import annotations

import json
import re
import sqlite3
import threading

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from test_web_support import TEXT, make_record

from sourcebook import ledger
from sourcebook import review as R
from sourcebook.ledger.render import fmt_ago
from sourcebook.store import Store
from sourcebook.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def store(db_url):
    with Store(db_url) as st:
        st.write(make_record())
        ledger.update(st)
        st.write(make_record(TEXT + "\n\nInvented second article.", url="https://www.example.org/a2"))
        yield st


def _csrf(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page).group(1)


class _WriteLock:
    """Another writer holding what a ledger update needs: SQLite's write lock, PostgreSQL's
    advisory lock of the ledger update."""

    def __init__(self, store: Store):
        self.store = store

    def __enter__(self):
        if self.store.backend == "sqlite":
            self.conn = sqlite3.connect(self.store.url.database, timeout=1, isolation_level=None)
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.engine = sa.create_engine(self.store.url)
            self.conn = self.engine.connect()
            self.conn.execute(sa.text("SELECT pg_advisory_lock(7341003)"))
        return self

    def __exit__(self, *exc):
        if self.store.backend == "sqlite":
            self.conn.execute("ROLLBACK")
            self.conn.close()
        else:
            self.conn.execute(sa.text("SELECT pg_advisory_unlock(7341003)"))
            self.conn.close()
            self.engine.dispose()


def test_freshness_counts_what_changed_since(store):
    f = ledger.freshness(store)
    assert f["updated_at"] and f["articles_since"] == 1 and f["stale"] and f["seconds_ago"] >= 0
    ledger.update(store)
    f = ledger.freshness(store)
    assert f["articles_since"] == 0 and f["reviews_since"] == 0 and not f["stale"]
    R.review(store, "count", make_record().id, "C1", "accept", user="desk")
    assert ledger.freshness(store)["reviews_since"] == 1
    assert fmt_ago(None) == "never" and fmt_ago(5) == "just now" and fmt_ago(180) == "3 minutes ago"
    assert fmt_ago(3600) == "1 hour ago" and fmt_ago(3 * 86400) == "3 days ago"


def test_pages_never_update_the_ledger_nor_wait_for_the_lock(store):
    c = TestClient(create_app(store=store), base_url="http://127.0.0.1")
    results: dict[str, object] = {}

    def view():
        results["pages"] = [c.get(p) for p in ("/ledger", "/ledger/claims", "/ledger/series", "/ledger/flows")]

    with _WriteLock(store):
        t = threading.Thread(target=view, daemon=True)
        t.start()
        t.join(timeout=30)
        waited = t.is_alive()
    t.join(timeout=120)
    assert not waited, "a ledger page waited for the write lock (it updates the ledger in a GET)"
    for r in results["pages"]:
        assert r.status_code == 200 and "1 new or re-extracted article since" in r.text, r.url
    assert ledger.freshness(store)["articles_since"] == 1  # still: the GETs changed nothing


def test_the_update_button_is_a_csrf_checked_post(store):
    c = TestClient(create_app(store=store), base_url="http://127.0.0.1")
    page = c.get("/ledger/series").text
    assert 'action="/ledger/update"' in page and 'name="next" value="/ledger/series"' in page
    assert c.post("/ledger/update", data={"next": "/ledger/series"}, follow_redirects=False).status_code == 403
    r = c.post("/ledger/update", data={"csrf": _csrf(page)}, headers={"origin": "http://evil.example"},
               follow_redirects=False)
    assert r.status_code == 403 and ledger.freshness(store)["articles_since"] == 1
    r = c.post("/ledger/update", data={"csrf": _csrf(page), "next": "//evil.example/x"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/ledger/claims"
    assert ledger.freshness(store)["articles_since"] == 0
    assert "up to date" in c.get("/ledger/claims").text
    assert c.get("/ledger/update").status_code == 405  # no GET that writes


def test_cli_ledger_update_and_status(cli, store, db_url):
    proc = cli("ledger", "status", "--db", db_url, "--json")
    assert proc.returncode == 0 and json.loads(proc.stdout)["articles_since"] == 1, proc.stderr
    proc = cli("ledger", "update", "--db", db_url)
    assert proc.returncode == 0 and "1 new or re-extracted" in proc.stdout and "up to date" in proc.stdout, proc.stderr
    proc = cli("ledger", "status", "--db", db_url)
    assert proc.returncode == 0 and "up to date" in proc.stdout


def test_an_ingest_updates_the_ledger(cli, db_url, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "Invented. At least 120 fighters left the town, the ministry said on Monday. "
                                        "Maria Okafor, a spokeswoman, said 40 of them returned.",
                                "published": "2024-03-01"}) + "\n")
    proc = cli("ingest", path, "--db", db_url, "-q")
    assert proc.returncode == 0, proc.stderr
    with Store(db_url, create=False) as st:
        assert not ledger.freshness(st)["stale"]


# --------------------------------------------------------------------------- the review log


def test_the_review_log_refuses_update_and_delete(store):
    rec = make_record()
    R.review(store, "count", rec.id, "C1", "accept", user="desk")
    R.review(store, "count", rec.id, "C1", "reject", user="desk")  # the API appends and keeps working
    statements = ["UPDATE reviews SET reviewer = 'someone else'", "DELETE FROM reviews"]
    if store.backend == "postgresql":
        statements.append("TRUNCATE reviews")
    for sql in statements:
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with store._write() as conn:
                conn.execute(sa.text(sql))
    history = R.history(store)
    assert [h["action"] for h in history] == ["reject", "accept"] and {h["reviewer"] for h in history} == {"desk"}
    with store._write() as conn:  # other tables are not affected
        conn.execute(sa.text("DELETE FROM review_state"))
