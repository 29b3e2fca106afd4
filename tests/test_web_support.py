"""Helpers for the review and web tests (no tests here): hand-made records with exact offsets, a
hostile record for the XSS tests, and a live server in a thread.  The database fixture (``db_url``:
SQLite, and PostgreSQL when $SOURCEBOOK_TEST_PG is set) is in conftest.py."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager

from sourcebook.record import Count, Quote, Record, Source, Span

EXTRACTORS = {"model": "hand", "sourcebook_attribution_v1": "v1", "sourcebook_counts_v2": "v1"}

TEXT = (
    "Maria Okafor, a spokeswoman for the ministry, said 1,500 fighters had returned. "
    "\"They are coming home,\" Okafor said.\n\n"
    "A diplomat, who asked not to be named because the talks were confidential, said 200 Tarsenian "
    "nationals were detained in Haldeni."
)


def _span(text: str, part: str, after: int = 0) -> Span:
    i = text.index(part, after)
    return Span(i, i + len(part), part)


def make_record(text: str = TEXT, *, title: str | None = "Fighters return to Haldeni (invented)",
                published: str | None = "2024-03-01", url: str | None = "https://www.example.org/a1") -> Record:
    """Two sources (one named, one anonymous with a reason), three quotes, two figures."""
    m1 = _span(text, "Maria Okafor, a spokeswoman for the ministry")
    m1b = _span(text, "Okafor", m1.end)
    m2 = _span(text, "A diplomat, who asked not to be named because the talks were confidential")
    reason = _span(text, "who asked not to be named because the talks were confidential")
    q1 = _span(text, "1,500 fighters had returned")
    q2 = _span(text, "They are coming home")
    q3 = _span(text, "200 Tarsenian nationals were detained in Haldeni")
    c1 = _span(text, "1,500 fighters")
    c2 = _span(text, "200 Tarsenian nationals")
    ext_a, ext_c = "sourcebook_attribution_v1", "sourcebook_counts_v2"
    return Record(
        text=text, title=title, published=published, url=url,
        sources=[
            Source("S1", "Maria Okafor", m1.text, "Okafor", False, None, "a spokeswoman for the ministry", "ministry",
                   "person", [m1, m1b], ext_a),
            Source("S2", None, m2.text, "diplomat", True, reason, "diplomat", None, "person", [m2], ext_a),
        ],
        quotes=[
            Quote("Q1", "S1", q1.start, q1.end, q1.text, "indirect", _span(text, "said"), 0.8, ext_a),
            Quote("Q2", "S1", q2.start, q2.end, q2.text, "direct", _span(text, "said", q2.end), 0.9, ext_a),
            Quote("Q3", "S2", q3.start, q3.end, q3.text, "indirect", _span(text, "said", m2.end), 0.8, ext_a),
        ],
        counts=[
            Count("C1", c1.start, c1.end, c1.text, "1,500", 1500, 1500, False, "fighters", "returned", None,
                  None, None, "S1", ext_c),
            Count("C2", c2.start, c2.end, c2.text, "200", 200, 200, False, "Tarsenian nationals", "detained", None,
                  {"text": "Haldeni", "start": q3.end - 7, "end": q3.end}, None, "S2", ext_c),
        ],
        extractors=dict(EXTRACTORS),
    )


#: Markup an attacker could put into an article, a title or a quoted name.
XSS_SCRIPT = "<script>window.__xss = 1; alert('xss')</script>"
XSS_IMG = "\"><img src=x onerror=\"window.__xss = 2; alert('img')\">"
XSS_LINK = "<a href=\"javascript:window.__xss = 3; alert('link')\">click me</a>"
XSS_SVG = "<svg onload=\"window.__xss = 4\"></svg>"


def xss_record() -> Record:
    """An article whose text, title and quoted names carry script, onerror and javascript: links."""
    name = f"Evil {XSS_IMG} Person"
    text = (f"{name}, a commander of {XSS_SCRIPT}, said \"{XSS_LINK} and {XSS_SVG} 300 fighters left\".\n\n"
            f"Officials said {XSS_SCRIPT} more.")
    m1 = _span(text, f"{name}, a commander of {XSS_SCRIPT}")
    q1 = _span(text, f"{XSS_LINK} and {XSS_SVG} 300 fighters left")
    c1 = _span(text, "300 fighters")
    m2 = _span(text, "Officials")
    q2 = _span(text, f"{XSS_SCRIPT} more")
    ext_a, ext_c = "sourcebook_attribution_v1", "sourcebook_counts_v2"
    rec = Record(
        text=text, title=f"Title {XSS_SCRIPT} {XSS_IMG} {XSS_LINK}", published="2024-04-01",
        url="javascript:alert('url')",
        sources=[Source("S1", name, m1.text, "Person", False, None, f"a commander of {XSS_SCRIPT}", XSS_SCRIPT,
                        "person", [m1], ext_a),
                 Source("S2", None, m2.text, "Officials", True, None, None, None, "group", [m2], ext_a)],
        quotes=[Quote("Q1", "S1", q1.start, q1.end, q1.text, "direct", None, 0.9, ext_a),
                Quote("Q2", "S2", q2.start, q2.end, q2.text, "indirect", None, 0.8, ext_a)],
        counts=[Count("C1", c1.start, c1.end, c1.text, "300", 300, 300, False, XSS_IMG, "leaving", None,
                      {"text": XSS_SCRIPT, "start": m1.start, "end": m1.end}, None, "S1", ext_c)],
        extractors=dict(EXTRACTORS),
    )
    return rec


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LiveServer:
    """uvicorn serving ``app`` on a free loopback port in a background thread."""

    def __init__(self, app):
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "LiveServer":
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@contextmanager
def serve_process(db, *args: str):
    """``sourcebook serve --db DB --port PORT ARGS`` as a real process, until it answers:
    yields ``(port, the first line it printed)``; stopped afterwards."""
    import httpx

    port = free_port()
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    proc = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "serve", "--db", str(db), "--port", str(port),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    try:
        line = proc.stdout.readline()
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port, line
    finally:
        proc.terminate()
        proc.wait(timeout=20)
