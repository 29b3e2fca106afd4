"""The web UI without a browser (FastAPI's TestClient, and `sourcebook serve` as a real process):
pages, review posts, CSRF, the token, escaping, exports, the ledger hook."""

from __future__ import annotations

import csv
import html
import io
import os
import re
import subprocess
import sys
import time

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from test_web_support import XSS_IMG, XSS_LINK, XSS_SCRIPT, XSS_SVG, free_port, make_record, serve_process, xss_record

from sourcebook import review as R
from sourcebook.store import Store
from sourcebook.web import ServeError, check_bind, create_app, is_loopback

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
#: The address TestClient requests name in their Host header (the app answers to loopback names only).
LOCAL = "http://127.0.0.1"




@pytest.fixture
def filled(db_url):
    with Store(db_url) as st:
        st.write(make_record())
        st.write(xss_record())
        yield st


@pytest.fixture
def client(filled):
    from sourcebook.ledger import update

    update(filled)
    app = create_app(store=filled, user="tester")
    with TestClient(app, base_url=LOCAL) as c:
        yield c


@pytest.fixture
def rec():
    return make_record()


def csrf_of(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page).group(1)


def post_review(client, csrf, rec_id, kind, item, action, **fields):
    data = {"csrf": csrf, "kind": kind, "article_id": rec_id, "item_id": item, "action": action,
            "next": f"/articles/{rec_id}"}
    data.update(fields)
    return client.post("/review", data=data, follow_redirects=False)


# --------------------------------------------------------------------------- pages


def test_every_page_renders(client, rec):
    for url, words in [
        ("/", ["Fighters return to Haldeni (invented)", "example.org", "2024-03-01"]),
        (f"/articles/{rec.id}", ["Maria Okafor", "why anonymous", "They are coming home", "1,500 fighters"]),
        ("/sources", ["Maria Okafor", "diplomat", "anonymous", "example.org"]),
        ("/figures", ["Tarsenian nationals", "detained", "Haldeni"]),
        ("/reviews", ["No reviews yet"]),
        ("/ledger", ["Claims", "Most cited claims", "1,500 fighters"]),
        ("/?q=Tarsenian", ["Fighters return to Haldeni", "<mark>Tarsenian</mark>"]),
        ("/figures?status=detained&sort=low&dir=asc", ["200"]),
        ("/figures?source=Okafor", ["1,500"]),
        ("/figures?place=Haldeni", ["Tarsenian"]),
        ("/figures?since=2024-01-01&until=2024-12-31&decision=unreviewed", ["Tarsenian"]),
        ("/sources?who=anonymous&sort=name", ["diplomat"]),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        for w in words:
            assert w in r.text, (url, w)
    assert "Maria Okafor" not in client.get("/sources?who=anonymous").text
    assert "1,500" not in client.get("/figures?status=detained").text


def test_article_page_lists_every_source_and_marks_quotes_figures_and_reasons(client, rec):
    page = client.get(f"/articles/{rec.id}").text
    assert re.search(r'data-testid="source-count">2<', page)
    assert page.count('data-testid="source"') == 2
    assert 'class="seg q c0"' in page and 'data-s="S1"' in page  # S1's quotes in S1's colour
    assert re.search(r'class="seg [^"]*fig[^"]*" data-q="[^"]*" data-s="[^"]*" data-c="C1"', page)
    assert re.search(r'class="seg [^"]*anon', page)
    assert page.count('data-testid="quote"') == 3 and page.count('data-testid="figure"') == 2


def test_unknown_pages_and_articles_are_404_pages(client):
    r = client.get("/articles/nope")
    assert r.status_code == 404 and "no article" in r.text
    assert client.get("/nothing-here").status_code == 404
    assert client.get("/export/secrets.csv").status_code == 404


def test_security_headers(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sb_session=" in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    assert "SameSite=Strict" in r.headers["set-cookie"]


def test_assets_are_local(client, rec):
    page = client.get(f"/articles/{rec.id}").text
    for m in re.finditer(r'(?:src|href)="([^"]+)"', page):
        assert not re.match(r"(?i)(https?:)?//", m.group(1)), m.group(1)
    assert client.get("/static/app.js").status_code == 200 and client.get("/static/app.css").status_code == 200


# --------------------------------------------------------------------------- escaping


def test_hostile_text_title_and_names_are_escaped_everywhere(client):
    bad = xss_record()
    pages = {u: client.get(u).text for u in ("/", f"/articles/{bad.id}", "/sources", "/figures", "/?q=commander",
                                              f"/figures?article={bad.id}")}
    for url, page in pages.items():
        # our own markup has exactly one script (app.js), no img, no svg, no javascript: URL
        assert page.count("<script") == 1 and '<script src="/static/app.js" defer></script>' in page, url
        assert "<img" not in page and "<svg" not in page and "onerror=\"" not in page, url
        assert not re.search(r'href="\s*javascript:', page, re.I), url
    art = pages[f"/articles/{bad.id}"]
    # the article text is all there, as text: our spans only, everything else escaped
    body = re.search(r'<article class="article-text"[^>]*>(.*?)</article>', art, re.S).group(1)
    tags = set(re.findall(r"<(/?[a-z]+)", body))
    assert tags <= {"span", "/span"}, tags
    assert html.unescape(re.sub(r"</?span[^>]*>", "", body)) == bad.text
    for raw in (XSS_SCRIPT, XSS_IMG, XSS_LINK, XSS_SVG):
        assert raw in html.unescape(body)
    title = re.search(r'<h1 data-testid="article-title">(.*?)</h1>', art, re.S).group(1)
    assert html.unescape(title) == bad.title and "<" not in title
    assert "&lt;script&gt;window.__xss = 1" in pages["/"]  # the title, as text


def test_review_log_escapes_hostile_corrections(client, rec):
    csrf = csrf_of(client.get("/").text)
    r = post_review(client, csrf, rec.id, "source", "S1", "correct", set_name=XSS_SCRIPT, note=XSS_IMG)
    assert r.status_code == 303
    for url in ("/reviews", f"/articles/{rec.id}", "/sources"):
        page = client.get(url).text
        assert page.count("<script") == 1 and "<img" not in page, url
        assert "&lt;script&gt;" in page, url


# --------------------------------------------------------------------------- review through the web


def test_correct_reject_and_undo_through_forms(client, filled, rec):
    csrf = csrf_of(client.get(f"/articles/{rec.id}").text)
    # the form sends every field; only the changed ones are a change
    r = post_review(client, csrf, rec.id, "count", "C1", "correct", set_low="1200", set_high="1,500",
                    set_status="returned", set_origin="", set_counted="fighters", set_source="S1", anchor="count-C1")
    assert r.status_code == 303 and r.headers["location"] == f"/articles/{rec.id}#count-C1"
    [log] = R.history(filled)
    assert log["reviewer"] == "tester" and log["after"]["low"] == 1200
    assert {k for k in log["after"] if log["after"][k] != log["before"][k]} == {"decision", "low"}
    page = client.get(f"/articles/{rec.id}").text
    assert "1,200–1,500" in page and 'badge corrected' in page
    fig = client.get("/figures?decision=corrected").text
    assert "1,200" in fig and '<span class="was">1,500</span>' in fig
    # reject a quote: gone from its source's statements, listed under rejected
    assert post_review(client, csrf, rec.id, "quote", "Q2", "reject").status_code == 303
    page = client.get(f"/articles/{rec.id}").text
    statements = page.split('data-testid="rejected"')[0]
    assert "They are coming home" not in statements.split('id="src-S2"')[0].split('id="src-S1"')[1]
    assert 'data-testid="rejected-quote"' in page
    # undo
    assert post_review(client, csrf, rec.id, "quote", "Q2", "reset").status_code == 303
    assert 'data-testid="rejected"' not in client.get(f"/articles/{rec.id}").text
    assert [x["action"] for x in R.history(filled)] == ["reset", "reject", "correct"]
    assert "reject" in client.get("/reviews").text


def test_review_errors_are_400_with_the_reason(client, rec):
    csrf = csrf_of(client.get("/").text)
    r = post_review(client, csrf, rec.id, "count", "C1", "correct", set_low="2000")
    assert r.status_code == 400 and "greater than high" in r.text
    r = client.post("/review", data={"csrf": csrf, "kind": "count", "article_id": rec.id, "item_id": "C1",
                                     "action": "correct", "set_low": "x"}, headers={"accept": "application/json"})
    assert r.status_code == 400 and "whole number" in r.json()["error"]


def test_json_posts_and_the_user_header(client, filled, rec):
    csrf = csrf_of(client.get("/").text)
    r = client.post("/review", data={"kind": "count", "article_id": rec.id, "item_id": "C2", "action": "accept"},
                    headers={"accept": "application/json", "x-csrf-token": csrf, "x-sourcebook-user": "desk"})
    assert r.status_code == 200 and r.json()["review"]["reviewer"] == "desk"
    assert R.history(filled)[0]["reviewer"] == "desk"


def test_csrf_is_required_on_every_post(client, filled, rec):
    client.get("/")  # a session cookie
    assert post_review(client, "", rec.id, "count", "C1", "reject").status_code == 403
    assert post_review(client, "0" * 64, rec.id, "count", "C1", "reject").status_code == 403
    # a token from another session does not work either
    other = TestClient(client.app, base_url=LOCAL)
    other_csrf = csrf_of(other.get("/").text)
    assert post_review(client, other_csrf, rec.id, "count", "C1", "reject").status_code == 403
    # the right token from another site's page does not either
    csrf = csrf_of(client.get("/").text)
    r = client.post("/review", data={"csrf": csrf, "kind": "count", "article_id": rec.id, "item_id": "C1",
                                     "action": "reject"}, headers={"origin": "http://evil.example"},
                    follow_redirects=False)
    assert r.status_code == 403
    assert R.history(filled) == []
    assert post_review(client, csrf, rec.id, "count", "C1", "reject").status_code == 303


def test_redirects_stay_on_this_site(client, rec):
    csrf = csrf_of(client.get("/").text)
    for nxt in ("//evil.example/x", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"):
        r = post_review(client, csrf, rec.id, "count", "C1", "accept", next=nxt)
        assert r.status_code == 303 and r.headers["location"] == f"/articles/{rec.id}", nxt


def test_csv_export_of_corrected_values(client, rec):
    csrf = csrf_of(client.get("/").text)
    post_review(client, csrf, rec.id, "count", "C2", "correct", set_low="150", set_high="250")
    post_review(client, csrf, rec.id, "quote", "Q1", "reject")
    rows = list(csv.DictReader(io.StringIO(client.get("/export/counts.csv").text)))
    c2 = next(r for r in rows if r["article_id"] == rec.id and r["count_id"] == "C2")
    assert (c2["low"], c2["high"]) == ("150", "250")
    raw = list(csv.DictReader(io.StringIO(client.get("/export/counts.csv?raw=1").text)))
    assert next(r for r in raw if r["article_id"] == rec.id and r["count_id"] == "C2")["low"] == "200"
    quotes = list(csv.DictReader(io.StringIO(client.get("/export/quotes.csv").text)))
    assert "Q1" not in {r["quote_id"] for r in quotes if r["article_id"] == rec.id}


# --------------------------------------------------------------------------- the token and the bind address


def test_loopback_needs_no_token_anything_else_does():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
    check_bind("127.0.0.1", None)
    with pytest.raises(ServeError, match="--token"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ServeError, match="too short"):
        check_bind("0.0.0.0", "abc")
    check_bind("0.0.0.0", "a-long-enough-token")


def test_with_a_token_every_request_needs_it(filled, rec):
    token = "s3cret-token-for-tests"
    app = create_app(store=filled, token=token, load_ledger=False)
    with TestClient(app, base_url=LOCAL) as c:
        for url in ("/", f"/articles/{rec.id}", "/static/app.js", "/export/counts.csv", "/healthz"):
            assert c.get(url).status_code == 401, url
        assert c.post("/review", data={}).status_code == 401
        assert c.get("/?token=wrong-token-here").status_code == 401
        assert c.get("/", headers={"authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/", headers={"authorization": f"Bearer {token}"}).status_code == 200
        r = c.get(f"/figures?status=detained&token={token}", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"] == "/figures?status=detained"
        assert "HttpOnly" in r.headers["set-cookie"] and token not in r.headers["set-cookie"]
        assert c.get("/figures?status=detained").status_code == 200  # the cookie now
        assert c.get("/static/app.js").status_code == 200


def test_serve_refuses_0000_without_a_token(run_cli, tmp_path):
    db = tmp_path / "x.db"
    Store(str(db)).close()
    env_token = os.environ.pop("SOURCEBOOK_TOKEN", None)
    try:
        proc = run_cli("serve", "--db", db, "--host", "0.0.0.0", "--port", str(free_port()), timeout=120)
    finally:
        if env_token is not None:
            os.environ["SOURCEBOOK_TOKEN"] = env_token
    assert proc.returncode == 1 and "--token" in proc.stderr and "Traceback" not in proc.stderr
    proc = run_cli("serve", "--db", tmp_path / "missing.db", timeout=120)
    assert proc.returncode == 1 and "no database" in proc.stderr


def test_serve_runs_a_real_server_on_loopback(tmp_path):
    db = tmp_path / "live.db"
    with Store(str(db)) as st:
        st.write(make_record())
    with serve_process(db, "--user", "night-desk") as (port, line):
        assert f"http://127.0.0.1:{port}/" in line
        r = httpx.get(f"http://127.0.0.1:{port}/", timeout=5)
        assert r.status_code == 200 and "Fighters return to Haldeni" in r.text and "night-desk" in r.text
        assert "server" not in {k.lower() for k in r.headers}


# --------------------------------------------------------------------------- the ledger's pages


def test_more_pages_plug_in_with_register_pages(filled):
    from sourcebook.web import register_pages

    app = create_app(store=filled)
    router = APIRouter()

    @router.get("/extra")
    def extra():
        return {"extra": True}

    register_pages(app, router, [("Extra", "/extra")])
    with TestClient(app, base_url=LOCAL) as c:
        assert '<a href="/extra"' in c.get("/").text
        assert c.get("/extra").json() == {"extra": True}


def test_the_ledger_pages_share_the_layout_link_claims_to_their_words_and_never_update(client, filled, rec):
    from sourcebook.ledger import claims

    home = client.get("/").text
    for label, href in (("Claims", "/ledger/claims"), ("Series", "/ledger/series"), ("Flows", "/ledger/flows")):
        assert f'<a href="{href}"' in home and label in home
    for url in ("/ledger/claims", "/ledger/series", "/ledger/flows?window=quarter", "/ledger/claims?kind=named"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert r.text.count("<script") == 1, url  # still only our app.js
        assert " style=" not in r.text and "<style" not in r.text, url  # the CSP forbids them
        assert '<link rel="stylesheet" href="/static/app.css">' in r.text and "ledger.css" not in r.text
    [c] = [c for c in claims(filled, refresh=False, with_citations=True) if c["low"] == 1500]
    cit = c["citations"][0]
    page = client.get("/ledger/claims").text
    assert f'href="/ledger/claims/{c["claim_id"]}"' in page
    href = f'/articles/{rec.id}?span={cit["start_char"]}-{cit["end_char"]}#target'
    assert f'href="{href.replace("&", "&amp;")}"' in page
    assert "Fighters return to Haldeni (invented)" in page  # the article by its title, not its id
    target = client.get(href.split("#")[0]).text
    marked = re.search(r'<span class="seg[^"]*\btarget\b[^"]*" id="target"[^>]*>([^<]*)</span>', target)
    assert marked and marked.group(1) in rec.text[cit["start_char"]:cit["end_char"]]
    assert client.get(f'/ledger/claims/{c["claim_id"]}').status_code == 200
    assert client.get("/ledger/claims/nosuchclaim").status_code == 404
    assert client.get("/ledger/flows?window=decade").status_code == 400
    # a review changes the figures, but a GET never runs the ledger's update
    from sourcebook.review import review

    review(filled, "count", rec.id, "C1", "reject", user="t")
    before = filled.table_sizes()["ledger_claims"]
    client.get("/ledger/claims")
    assert filled.table_sizes()["ledger_claims"] == before


def test_the_correction_page_of_a_figure(client, filled, rec):
    page = client.get("/figures")
    assert f'href="/correct/count/{rec.id}/C1?next=' in page.text
    form = client.get(f"/correct/count/{rec.id}/C1?next=/figures%3Fstatus%3Dreturned")
    assert form.status_code == 200 and "<mark>1,500 fighters</mark>" in form.text
    r = post_review(client, csrf_of(form.text), rec.id, "count", "C1", "correct", set_low="1000", set_high="1500",
                    next="/figures?status=returned")
    assert r.status_code == 303 and r.headers["location"] == "/figures?status=returned"
    assert R.item(filled, "count", rec.id, "C1")["values"]["low"] == 1000
    assert client.get(f"/correct/count/{rec.id}/C9").status_code == 404
    assert client.get(f"/correct/quote/{rec.id}/Q1").status_code == 404


def test_demo_serve_ingests_the_sample_and_starts_the_ui(tmp_path):
    db = tmp_path / "demo.db"
    port = free_port()
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "demo", "--db", str(db), "--serve", "--port",
                             str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
                            cwd=tmp_path)
    try:
        deadline = time.monotonic() + 600
        url = None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.search(r"sourcebook web UI: (http://127\.0\.0\.1:\d+/)", line)
            if m:
                url = m.group(1)
                break
        assert url, proc.stderr.read() if proc.poll() is not None else "no address printed"
        for _ in range(100):
            try:
                r = httpx.get(url, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert r.status_code == 200 and ">6</b>articles" in r.text  # the six invented sample articles
    finally:
        proc.terminate()
        proc.wait(timeout=30)
