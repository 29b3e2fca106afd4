"""The web UI in a real browser: Python Playwright driving Debian's chromium (/usr/bin/chromium,
never a downloaded browser) against `sourcebook`'s app served by uvicorn on a free loopback port.

- the seed article (shared/corpus, published 2014-02-25) ingested into a temporary SQLite database:
  its sources in the panel (as many as the stored record has, at least 13), a click on a source
  highlights its quotes, a figure's range corrected and seen on the figures page and in the CSV
  export, a quote rejected and gone from its source's list;
- an article whose text, title and names carry script tags, onerror attributes and javascript:
  links: shown as text, and no script runs;
- keyboard shortcuts: next, accept, reject.

Skipped only when /usr/bin/chromium is missing (`apt-get install chromium`; scripts/ci-chromium.sh).

Screenshots for docs/web.md: ``python3 tests/test_web_browser.py --screenshots docs/screenshots``
(the bundled invented sample corpus, never the shared corpus).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from pathlib import Path

import pytest
from test_web_support import XSS_IMG, XSS_LINK, XSS_SCRIPT, XSS_SVG, LiveServer, make_record, xss_record

from sourcebook import review as R
from sourcebook.display import fmt_range
from sourcebook.store import Store

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]
SEED = "corpus/seed-foreign-fighters-leaving-syria.txt"
SEED_PUBLISHED = "2014-02-25"
USER = "browser-test"

pytestmark = [
    pytest.mark.skipif(not os.path.exists(CHROMIUM),
                       reason=f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium, or "
                              "bash scripts/ci-chromium.sh); the browser tests need it"),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, shared_dir):
    """A SQLite store with the seed article (read from shared/, never copied), the hostile article and
    a small hand-made one."""
    from sourcebook import extract_many
    from sourcebook.read import Document, iter_documents

    path = shared_dir / SEED
    if not path.is_file():
        pytest.skip(f"the seed article is not at {path}")
    docs = [d for d in iter_documents(str(path)) if isinstance(d, Document)]
    assert len(docs) == 1
    docs[0].published = SEED_PUBLISHED
    [seed] = list(extract_many(docs, on_error="raise"))
    db = tmp_path_factory.mktemp("web") / "browser.db"
    with Store(str(db)) as st:
        assert st.write(seed, origin=str(path)) == "ingested"
        st.write(xss_record())
        st.write(make_record())
    return {"db": str(db), "seed": seed}


@pytest.fixture(scope="module")
def server(seeded):
    from sourcebook.ledger import update
    from sourcebook.web import create_app

    with Store(seeded["db"]) as st:
        update(st)  # the ledger's pages read it as it is
    app = create_app(seeded["db"], user=USER)
    with LiveServer(app) as srv:
        srv.store = app.state.store
        yield srv


@pytest.fixture
def page(browser):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1400, "height": 950})
    pg = ctx.new_page()
    pg.set_default_timeout(20_000)
    yield pg
    ctx.close()


def test_seed_article_sources_highlight_correct_export_reject(page, server, seeded, tmp_path):
    from playwright.sync_api import expect

    store: Store = server.store
    aid = seeded["seed"].id
    stored = store.record(aid)
    n_sources = len(stored.sources)

    # the corpus page lists it; open it
    page.goto(server.url + "/")
    page.click(f'a[href="/articles/{aid}"]')
    page.wait_for_load_state()  # the whole page, not only its head
    expect(page.locator('[data-testid="article-title"]')).to_contain_text("Foreign Fighters")

    # its sources in the panel: the number the page gives is the stored record's, and at least 13
    shown = int(page.inner_text('[data-testid="source-count"]'))
    assert shown == n_sources >= 13
    assert page.locator('[data-testid="source"]').count() == n_sources

    # click a source: its quotes (and only those) are highlighted in the text
    by_source = {s.id: [q.id for q in stored.quotes if q.source == s.id] for s in stored.sources}
    sid = max(by_source, key=lambda s: len(by_source[s]))
    assert len(by_source[sid]) >= 2
    assert page.locator(".seg.q.active").count() == 0
    page.click(f'.source-toggle[data-source="{sid}"]')
    expect(page.locator(f"#src-{sid}")).to_have_class(re.compile(r"\bselected\b"))
    active = page.eval_on_selector_all(".seg.q.active", "els => els.map(e => [e.dataset.s, e.dataset.q])")
    assert active and all(sid in s.split() for s, _ in active)
    assert set(by_source[sid]) <= {q for _, qs in active for q in qs.split()}
    inactive = page.eval_on_selector_all(".seg.q:not(.active)", "els => els.map(e => e.dataset.s)")
    assert all(sid not in s.split() for s in inactive)
    # visibly: the other quotes lose their colour, the source's keep theirs and get a frame
    first = page.locator(".seg.q.active").first
    assert first.evaluate("e => getComputedStyle(e).boxShadow") != "none"
    if inactive:
        other = page.locator(".seg.q:not(.active)").first
        assert other.evaluate("e => getComputedStyle(e).backgroundColor") in ("rgba(0, 0, 0, 0)", "transparent")
    page.click(f'.source-toggle[data-source="{sid}"]')  # again: cleared
    assert page.locator(".seg.q.active").count() == 0

    # correct a figure's range
    fig = max((c for c in stored.counts if c.low is not None), key=lambda c: c.low)
    new_low, new_high = fig.low // 2 + 1, (fig.high or fig.low) + 1
    item = page.locator(f"#count-{fig.id}")
    item.locator("details.correct summary").click()
    item.locator('input[name="set_low"]').fill(f"{new_low:,}")
    item.locator('input[name="set_high"]').fill(str(new_high))
    item.locator('input[name="note"]').fill("checked against the intelligence report")
    item.locator('button[value="correct"]').click()
    expect(page.locator(f'#count-{fig.id} [data-testid="range"]')).to_have_text(f"{new_low:,}–{new_high:,}")
    expect(page.locator(f'#count-{fig.id} [data-testid="decision"]')).to_have_text("corrected")

    # ... on the figures page (the corrected values, the extracted ones struck through)
    page.goto(server.url + "/figures?decision=corrected")
    row = page.locator(f'tr[data-article="{aid}"][data-count="{fig.id}"]')
    expect(row.locator('[data-testid="range"]')).to_contain_text(f"{new_low:,}–{new_high:,}")
    expect(row.locator('[data-testid="range"] .was')).to_have_text(fmt_range(fig.low, fig.high))
    assert page.locator("tr[data-testid='figure-row']").count() == 1

    # ... and in the CSV export, downloaded from the page
    with page.expect_download() as dl:
        page.click('[data-testid="export-csv"]')
    target = tmp_path / "counts.csv"
    dl.value.save_as(target)
    with open(target, newline="", encoding="utf-8") as f:
        rows = {(r["article_id"], r["count_id"]): r for r in csv.DictReader(f)}
    assert (rows[(aid, fig.id)]["low"], rows[(aid, fig.id)]["high"]) == (str(new_low), str(new_high))
    assert rows[(aid, fig.id)]["range"] == f"{new_low:,}–{new_high:,}"  # the display column, as on the pages
    # (and in `sourcebook export`)
    from sourcebook.export import export

    done = export(store, tmp_path / "cli", "csv", tables=["counts"])
    with open(done["counts"]["path"], newline="", encoding="utf-8") as f:
        got = {(r["article_id"], r["count_id"]): r["low"] for r in csv.DictReader(f)}
    assert got[(aid, fig.id)] == str(new_low)

    # reject a quote: gone from its source's list (and from the highlighted text)
    page.goto(server.url + f"/articles/{aid}")
    statements = page.locator(f'#src-{sid} [data-testid="quote"]')
    before = statements.count()
    qid = statements.first.get_attribute("data-quote")
    quote_text = page.inner_text(f"#quote-{qid} .quote-text")
    page.locator(f'#quote-{qid} button[value="reject"]').click()
    expect(page.locator(f'#src-{sid} [data-testid="quote"]')).to_have_count(before - 1)
    assert page.locator(f'#src-{sid} [data-testid="quote"][data-quote="{qid}"]').count() == 0
    assert quote_text not in page.inner_text(f'#src-{sid} [data-testid="statements"]')
    assert page.locator(f'.seg.q[data-q~="{qid}"]').count() == 0
    expect(page.locator('[data-testid="rejected"]')).to_contain_text(quote_text[:40])

    # both changes are in the log, with the reviewer
    log = R.history(store, article_id=aid)
    assert [(x["kind"], x["item_id"], x["action"], x["reviewer"]) for x in log] == [
        ("quote", qid, "reject", USER), ("count", fig.id, "correct", USER)]
    page.goto(server.url + "/reviews")
    expect(page.locator('[data-testid="reviews-table"] tbody tr')).to_have_count(2)
    expect(page.locator('[data-testid="reviews-table"]')).to_contain_text(USER)


def test_hostile_article_is_shown_as_text_and_runs_nothing(page, server):
    bad = xss_record()
    dialogs, console, errors = [], [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("console", lambda m: console.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    urls = ["/", f"/articles/{bad.id}", "/sources", "/figures", "/?q=commander", f"/figures?article={bad.id}"]
    for url in urls:
        page.goto(server.url + url)
        assert page.evaluate("typeof window.__xss") == "undefined", url
        assert page.locator("main script, main img, main svg, main iframe").count() == 0, url
        assert page.locator('a[href^="javascript:" i]').count() == 0, url
        assert page.evaluate("document.scripts.length") == 1, url  # app.js only
    page.goto(server.url + f"/articles/{bad.id}")
    text = page.inner_text('[data-testid="article-text"]')
    assert text == bad.text
    for raw in (XSS_SCRIPT, XSS_IMG, XSS_LINK, XSS_SVG):
        assert raw in text
    assert page.inner_text('[data-testid="article-title"]') == bad.title
    assert XSS_IMG in page.inner_text('[data-testid="sources"]')  # the quoted name, as text
    # clicking the would-be link and the hostile quote does nothing but highlight
    page.get_by_text("click me").first.click()
    page.click('.source-toggle[data-source="S1"]')
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == [] and errors == []
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console
    # the hooks are live: a real alert is seen
    page.evaluate("alert('control')")
    assert dialogs == ["control"]


# --------------------------------------------------------------------------- accessibility: axe-core


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's source, installed from the npm registry at a pinned version by scripts/ci-axe.sh
    (into a cache folder; $SOURCEBOOK_AXE_JS names the file when scripts/test has installed it)."""
    import subprocess

    js = os.environ.get("SOURCEBOOK_AXE_JS")
    if not js or not os.path.isfile(js):
        script = Path(__file__).resolve().parents[1] / "scripts" / "ci-axe.sh"
        proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=600)
        if proc.returncode != 0:
            pytest.skip(f"axe-core could not be installed (scripts/ci-axe.sh): {proc.stderr.strip()[-300:]}")
        js = proc.stdout.strip().splitlines()[-1]
    return Path(js).read_text(encoding="utf-8")


AXE_RUN = """async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': '
                                   + (n.failureSummary || '').split('\\n').slice(1, 3).join(' '))}));
}"""


def axe_violations(page, axe_source: str) -> list[dict]:
    """Serious and critical axe-core violations of the page (axe is evaluated through the
    DevTools protocol: the page's CSP, which forbids inline scripts, stays as it is)."""
    page.evaluate(axe_source)
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


def test_every_page_passes_axe_core(page, server, seeded, axe_source):
    aid = seeded["seed"].id
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type in ("error", "warning") else None)
    page.goto(server.url + "/")
    nav = page.eval_on_selector_all("header.top nav a", "els => els.map(e => e.getAttribute('href'))")
    assert {"/", "/sources", "/figures", "/reviews", "/ledger/claims", "/ledger/series", "/ledger/flows"} <= set(nav)
    fig = next(c for c in seeded["seed"].counts if c.low is not None)
    urls = list(dict.fromkeys(nav + [f"/articles/{aid}", f"/correct/count/{aid}/{fig.id}", "/no-such-page",
                                     "/?q=fighters"]))
    found = {}
    for url in urls:
        page.goto(server.url + url)
        bad = axe_violations(page, axe_source)
        if bad:
            found[url] = bad
    assert found == {}
    assert not [m for m in console if "Content Security Policy" in m or "Refused" in m], console


def test_axe_finds_what_it_should(page, server, axe_source):
    """The check can fail: a page made to break contrast and labels is caught."""
    page.goto(server.url + "/figures")
    page.evaluate("""() => { const s = document.createElement('input'); document.querySelector('main').appendChild(s);
        document.querySelectorAll('label').forEach(l => l.replaceWith(...l.childNodes)); }""")
    ids = {v["id"] for v in axe_violations(page, axe_source)}
    assert "label" in ids


# --------------------------------------------------------------------------- events, places, dates, the map


def test_events_places_dates_review_round_trip(page, server, seeded):
    from playwright.sync_api import expect

    store: Store = server.store
    rec = seeded["seed"]
    # an event: corrected on its correction page, reached from the events page
    ev = next(e for e in rec.events if e.type == "ASSAULT")
    page.goto(server.url + f"/events?article={rec.id}")
    row = page.locator(f'tr[data-testid="event-row"][data-item="{ev.id}"]')
    row.locator("a", has_text="correct").click()
    page.fill('input[name="set_actor"]', "the coalition (checked)")
    page.click('button[value="correct"]')
    page.wait_for_url("**/events?article=*")
    row = page.locator(f'tr[data-testid="event-row"][data-item="{ev.id}"]')
    expect(row.locator('[data-testid="actor"]')).to_have_text("the coalition (checked)")
    expect(row.locator('[data-testid="decision"]')).to_have_text("corrected")
    # a place: rejected from the places page, gone from it
    pl = next(p for p in rec.places if p.name)
    page.goto(server.url + f"/places?article={rec.id}")
    page.locator(f'tr[data-item="{pl.id}"] button[value="reject"]').click()
    page.wait_for_url("**/places?article=*")
    expect(page.locator(f'tr[data-item="{pl.id}"]')).to_have_count(0)
    # a date: accepted
    dt = next(d for d in rec.dates if d.from_date)
    page.goto(server.url + f"/dates?article={rec.id}")
    page.locator(f'tr[data-item="{dt.id}"] button[value="accept"]').click()
    page.wait_for_url("**/dates?article=*")
    expect(page.locator(f'tr[data-item="{dt.id}"] [data-testid="decision"]')).to_have_text("accepted")
    log = [(x["kind"], x["item_id"], x["action"]) for x in R.history(store, article_id=rec.id)][:3]
    assert log == [("date", dt.id, "accept"), ("place", pl.id, "reject"), ("event", ev.id, "correct")]
    for kind, item_id, _action in log:  # undo, so that the other tests see the extracted values
        R.review(store, kind, rec.id, item_id, "reset", user=USER)


def test_the_map_is_drawn_with_no_network_request(page, server, seeded):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server.url + "/map")
    page.wait_for_load_state("networkidle")
    assert page.locator(".map img.base").evaluate("img => img.complete && img.naturalWidth > 0")
    n_dots = page.locator(".map svg.overlay circle.dot").count()
    named = {p.name for p in seeded["seed"].places if p.name and p.lat is not None}
    assert n_dots >= len(named) > 0
    box = page.locator(".map svg.overlay").bounding_box()
    assert box and box["width"] > 600 and box["height"] > 250
    assert requests and all(u.startswith(server.url) for u in requests), requests
    assert all(u.startswith("http://127.0.0.1:") for u in requests)
    # a circle links to its place's mentions
    page.locator(".map svg.overlay a").last.click()  # drawn last: on top
    page.wait_for_url("**/places?name=*")
    assert page.locator('[data-testid="place-row"]').count() >= 1


def test_keyboard_next_accept_reject(page, server):
    rec = make_record()
    store: Store = server.store
    page.goto(server.url + f"/articles/{rec.id}")
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "src-S1"
    page.keyboard.press("j")
    assert page.evaluate("document.activeElement.id") == "quote-Q1"
    page.keyboard.press("a")  # accept, then on to the next item
    page.wait_for_url(f"**/articles/{rec.id}#quote-Q2")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'quote-Q2'")
    page.keyboard.press("r")
    page.wait_for_url(f"**/articles/{rec.id}#src-S2")
    log = R.history(store, article_id=rec.id)
    assert [(x["item_id"], x["action"]) for x in log] == [("Q2", "reject"), ("Q1", "accept")]
    page.wait_for_function("document.activeElement && document.activeElement.id === 'src-S2'")
    page.keyboard.press("k")
    page.keyboard.press("?")
    assert page.is_visible("#help")
    page.keyboard.press("Escape")
    assert not page.is_visible("#help")


# --------------------------------------------------------------------------- screenshots for docs/web.md


def test_review_loop_mark_add_by_selection_export_eval(page, tmp_path, run_cli, axe_source):
    """Mark an article fully reviewed, add a missed quote by selecting its words in the text (and a
    source by the keyboard path), export gold, and `sourcebook eval` on the export counts the quote."""
    from playwright.sync_api import expect

    from sourcebook.web import create_app

    missed = "the border would stay closed until May"
    rec = make_record(make_record().text + "\n\nA local official said " + missed + ".")
    db = str(tmp_path / "loop.db")
    with Store(db) as st:
        st.write(rec)
    app = create_app(db, user=USER, load_ledger=False)
    with LiveServer(app) as srv:
        page.goto(f"{srv.url}/articles/{rec.id}")
        page.click('[data-testid="mark-reviewed"]')
        expect(page.locator('[data-testid="reviewed"]')).to_have_text("reviewed: all items checked")

        # select the missed words in the article text, as a reader's mouse would
        page.evaluate("""(words) => {
            const art = document.querySelector('.article-text');
            const walker = document.createTreeWalker(art, NodeFilter.SHOW_TEXT);
            let t;
            while ((t = walker.nextNode())) {
                const i = t.nodeValue.indexOf(words);
                if (i >= 0) {
                    const r = document.createRange();
                    r.setStart(t, i); r.setEnd(t, i + words.length);
                    const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
                    return;
                }
            }
            throw new Error('words not found in the article text');
        }""", missed)
        page.locator(".article-text").dispatch_event("mouseup")
        start = rec.text.index(missed)
        expect(page.locator('[data-testid="add-start"]')).to_have_value(str(start))
        expect(page.locator('[data-testid="add-end"]')).to_have_value(str(start + len(missed)))
        expect(page.locator('[data-testid="add-text"]')).to_have_value(missed)
        page.select_option('[data-testid="add-kind"]', "quote")
        page.select_option('[data-testid="add-source"]', "S2")
        page.fill('#add-form input[name="cue"]', "said")
        page.click('[data-testid="add-submit"]')
        expect(page.locator('[data-testid="added-item"]')).to_contain_text(missed)

        # the keyboard path: "+" opens the form with the text field focused; type the exact words
        page.locator("body").focus()
        page.keyboard.press("+")
        expect(page.locator('[data-testid="add-text"]')).to_be_focused()
        page.keyboard.type("A local official")
        page.select_option('[data-testid="add-kind"]', "source")
        page.select_option('#add-form select[name="anonymous"]', "anonymous")
        page.click('[data-testid="add-submit"]')
        expect(page.locator('[data-testid="added-item"]')).to_have_count(2)
        assert axe_violations(page, axe_source) == []

        # the quality page counts the added quote as a miss of extraction
        page.goto(f"{srv.url}/quality")
        n = len(rec.quotes)
        expect(page.locator('[data-testid="recall-quote"]')).to_have_text(f"{100 * n / (n + 1):.1f} %")
        assert axe_violations(page, axe_source) == []

    out = tmp_path / "gold"
    r = run_cli("gold", "export", "--db", db, "--out", out)
    assert r.returncode == 0, r.stderr
    gold = json.loads((out / f"{rec.id}.json").read_text(encoding="utf-8"))
    assert missed in [q["text"] for q in gold["quotes"]]
    assert USER not in json.dumps(gold)
    r = run_cli("eval", out, "--json")
    assert r.returncode == 0, r.stderr
    q = json.loads(r.stdout)["gold"]["quotes"]
    assert q["tp"] + q["fn"] == len(rec.quotes) + 1  # the extracted quotes (all kept) and the added one


def screenshots(out: Path) -> None:  # pragma: no cover - run by hand
    """Screenshots of every page over the bundled invented sample corpus (with a few reviews)."""
    import tempfile

    from playwright.sync_api import sync_playwright

    from sourcebook.ingest import ingest
    from sourcebook.web import create_app

    out.mkdir(parents=True, exist_ok=True)
    from importlib import resources

    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "sample.db")
        sample = resources.files("sourcebook").joinpath("data", "sample", "sample.jsonl")
        with resources.as_file(sample) as path, Store(db) as st:
            ingest([path], st)
            ids = st.article_ids()
            recs = [st.record(i) for i in ids]
            rich = max(recs, key=lambda r: (len(r.sources), len(r.counts)))
            figs = [c for r in recs for c in r.counts if c.low is not None]
            if figs:
                c = figs[0]
                owner = next(r for r in recs if c in r.counts)
                R.review(st, "count", owner.id, c.id, "correct", changes={"low": max(0, c.low - 100) or 1},
                         user="ana", note="the ministry's later figure")
            if rich.quotes:
                R.review(st, "quote", rich.id, rich.quotes[-1].id, "accept", user="ana")
        app = create_app(db, user="ana")
        with LiveServer(app) as srv, sync_playwright() as p:
            b = launch(p)
            pg = b.new_page(viewport={"width": 1440, "height": 900}, device_scale_factor=1)
            from sourcebook.ledger import update

            with Store(db) as st:
                update(st)
            shots = [("corpus", "/"), ("article", f"/articles/{rich.id}"), ("sources", "/sources"),
                     ("figures", "/figures"), ("reviews", "/reviews"), ("events", "/events"), ("places", "/places"),
                     ("dates", "/dates"), ("map", "/map"), ("claims", "/ledger/claims"), ("series", "/ledger/series"),
                     ("flows", "/ledger/flows")]
            for name, url in shots:
                pg.goto(srv.url + url)
                if name == "article":
                    sid = max(rich.sources, key=lambda s: sum(q.source == s.id for q in rich.quotes)).id
                    pg.click(f'.source-toggle[data-source="{sid}"]')
                    pg.evaluate("window.scrollTo(0, 0)")
                pg.screenshot(path=str(out / f"{name}.png"))
                print(out / f"{name}.png")
            b.close()


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) == 3 and sys.argv[1] == "--screenshots":
        screenshots(Path(sys.argv[2]))
    else:
        sys.exit("usage: python3 tests/test_web_browser.py --screenshots docs/screenshots")
