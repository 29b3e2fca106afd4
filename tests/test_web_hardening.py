"""The web UI against the outside probe of issue 14: DNS rebinding (the Host allow-list), integers past
2^63, the token redirect and the token's strength, a 500 that keeps the security headers, and
search terms that cost CPU.  FastAPI's TestClient on both backends, and one real server."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from test_web_support import free_port, make_record, serve_process

from sourcebook.store import Store
from sourcebook.web import ServeError, check_bind, create_app, register_pages
from sourcebook.web.security import host_names, host_ok, safe_next, split_host

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TOKEN = "Tok3n-for-the-hardening-tests"
HUGE = "99999999999999999999"  # past 2^63


@pytest.fixture
def store(db_url):
    with Store(db_url) as st:
        st.write(make_record())
        yield st


# --------------------------------------------------------------------------- item 1: DNS rebinding


def test_without_a_token_only_our_own_host_names_are_answered(store):
    app = create_app(store=store, load_ledger=False, host="127.0.0.1", port=8000)
    for base in ("http://attacker.example:8000", "http://attacker.example", "http://127.0.0.1.evil.example:8000",
                 "http://localhost:9999"):
        with TestClient(app, base_url=base) as c:
            assert c.get("/export/articles.csv").status_code == 400, base
            r = c.post("/review", data={"kind": "count", "article_id": "x", "item_id": "C1", "action": "accept"},
                       headers={"origin": base})
            assert r.status_code == 400 and "content-security-policy" in r.headers, base
    for base in ("http://127.0.0.1:8000", "http://localhost:8000", "http://LOCALHOST:8000", "http://[::1]:8000"):
        with TestClient(app, base_url=base) as c:
            assert c.get("/export/articles.csv").status_code == 200, base


def test_the_host_value_and_any_port_when_none_is_known(store):
    app = create_app(store=store, load_ledger=False, host="127.0.0.2", port=8123)
    with TestClient(app, base_url="http://127.0.0.2:8123") as c:
        assert c.get("/").status_code == 200
    with TestClient(app, base_url="http://127.0.0.2:8124") as c:
        assert c.get("/").status_code == 400
    unbound = create_app(store=store, load_ledger=False)  # a library user's app: loopback names, any port
    with TestClient(unbound, base_url="http://localhost:5555") as c:
        assert c.get("/").status_code == 200
    with TestClient(unbound, base_url="http://attacker.example:5555") as c:
        assert c.get("/").status_code == 400


def test_with_a_token_the_host_is_not_checked(store):
    app = create_app(store=store, load_ledger=False, token=TOKEN, host="0.0.0.0", port=8000)
    with TestClient(app, base_url="http://reviewer-laptop.lan:8000") as c:
        assert c.get("/", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_host_header_parsing():
    names = host_names("::1")
    assert split_host("[::1]:8000") == ("[::1]", 8000) and split_host("LocalHost.:80") == ("localhost", 80)
    assert split_host("127.0.0.1:80x") is None and split_host("[::1]x") is None
    assert host_ok("[::1]:8000", names, 8000) and host_ok("localhost", names, 80)
    assert not host_ok("localhost", names, 8000) and not host_ok(None, names, None) and not host_ok("", names, None)


def test_a_real_server_refuses_a_rebound_host(tmp_path):
    db = tmp_path / "live.db"
    with Store(str(db)) as st:
        st.write(make_record())
    with serve_process(db) as (port, _):
        ok = httpx.get(f"http://127.0.0.1:{port}/export/articles.csv", timeout=5)
        bad = httpx.get(f"http://127.0.0.1:{port}/export/articles.csv",
                        headers={"host": f"attacker.example:{port}"}, timeout=5)
        assert ok.status_code == 200 and bad.status_code == 400
        assert httpx.get(f"http://localhost:{port}/", timeout=5).status_code == 200


# --------------------------------------------------------------------------- item 4: integers past 2^63


def test_huge_integers_get_422_with_the_security_headers(db_url):
    with Store(db_url) as st:
        st.write(make_record())
        c = TestClient(create_app(store=st), base_url="http://127.0.0.1", raise_server_exceptions=False)
        for url in (f"/ledger/claims?min_citations={HUGE}", f"/ledger/claims?limit={HUGE}",
                    f"/ledger/series?charts={HUGE}"):
            r = c.get(url)
            assert r.status_code == 422 and "content-security-policy" in r.headers, url
        for url in (f"/?page={HUGE}", f"/sources?page={HUGE}", f"/figures?page={HUGE}", f"/reviews?page={HUGE}"):
            r = c.get(url)
            assert r.status_code == 200 and "content-security-policy" in r.headers, url


def test_an_error_inside_the_app_keeps_the_security_headers(store):
    router = APIRouter()

    @router.get("/boom")
    def boom():
        raise RuntimeError("a bug")

    app = create_app(store=store, load_ledger=False)
    register_pages(app, router)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as c:
        r = c.get("/boom")
    assert r.status_code == 500 and "content-security-policy" in r.headers and "a bug" not in r.text
    with TestClient(app, base_url="http://127.0.0.1") as c, pytest.raises(RuntimeError):
        c.get("/boom")  # and the error still goes on, to be logged


# --------------------------------------------------------------------------- item 7: the token


def test_the_token_redirect_stays_on_this_site(store):
    app = create_app(store=store, load_ledger=False, token=TOKEN)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        for path, where in ((f"//evil.example?token={TOKEN}", "/"), (f"/\\evil.example?token={TOKEN}", "/"),
                            (f"/figures?status=detained&token={TOKEN}", "/figures?status=detained")):
            # send the raw path: httpx would read //evil.example as another host
            r = c.request("GET", httpx.URL("http://127.0.0.1/", raw_path=path.encode()), follow_redirects=False)
            assert r.status_code == 303 and r.headers["location"] == where, path


@pytest.mark.parametrize("weak", [" " * 8, " " * 20, "abcdefgh", "aaaaaaaaaaaaaaaaaaaa", "abab-abab-abab-abab",
                                  "good-token-but\tTAB", "good-token-but\x1b[2J"])
def test_weak_tokens_are_refused(weak, store):
    with pytest.raises(ServeError, match="token"):
        check_bind("127.0.0.1", weak)
    with pytest.raises(ServeError, match="token"):
        create_app(store=store, load_ledger=False, token=weak)


def test_serve_refuses_a_token_of_spaces(run_cli, tmp_path):
    db = tmp_path / "x.db"
    Store(str(db)).close()
    proc = run_cli("serve", "--db", db, "--port", str(free_port()), "--token", " " * 8, timeout=120)
    assert proc.returncode == 1 and "white space" in proc.stderr and "Traceback" not in proc.stderr


def test_safe_next():
    for bad in ("//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil", ""):
        assert safe_next(bad, "/d") == "/d", bad
    assert safe_next("/figures?x=1#a", "/d") == "/figures?x=1#a"
