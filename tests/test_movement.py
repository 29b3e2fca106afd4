"""Movement of counted people (from, to, heading) through the store, the query commands, the exports,
the migration, the ledger's flows and the flow diagram, on INVENTED articles written for these tests
(real country names, made-up events; no sentence comes from a real article).

- the store keeps ``from_place``/``to_place``/``heading`` and their countries; ``Store.counts`` and
  ``sourcebook counts --from SY --to TR`` filter on them; a bad code is a one-line error;
- migration 0008 adds the columns to a 0005 store without losing a row, and goes back down;
- the flows: an arrow only where the text gives a direction; detained people where they are held,
  with the destination they did not reach said in words, never drawn as an arrow;
- the diagram's labels never overlap: estimated boxes in the SVG, and the real boxes in Chromium.
"""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sqlalchemy as sa

from sourcebook import extract_many, ledger
from sourcebook.display import fmt_range, movement_label
from sourcebook.report.flowmap import flow_svg
from sourcebook.store import Store

#: INVENTED articles: each names real countries only so that origins and movements can be tested.
ARTICLES = [
    ("About 3,000 Syrians fled Syria for Turkey last month, aid officials said.", "2015-03-02"),
    ("Police detained nine Britons in Turkey while they were trying to cross into Iraq.", "2015-03-04"),
    ("Forty Tunisian fighters returned home to Tunisia from Syria on Monday.", "2015-03-05"),
    ("Twenty Uzbeks crossed from Turkey into Syria last week, a border official said.", "2015-03-06"),
    ("Kazakhstan has taken back 30 women from Iraq, the ministry said.", "2015-03-09"),
    ("More than 150 Iraqis are held in Syria, a monitor said.", "2015-03-10"),
]
SVG_NS = "{http://www.w3.org/2000/svg}"
CHAR_EM = 0.68  # the generous width per character the diagram promises (report/flowmap.py)


@pytest.fixture(scope="module")
def records():
    items = [{"text": t, "published": p, "url": f"https://invented.example.org/{k}"} for k, (t, p) in
             enumerate(ARTICLES)]
    return list(extract_many(items))


@pytest.fixture()
def store(records, tmp_path):
    from sourcebook import ledger

    with Store(tmp_path / "movement.db") as st:
        for r in records:
            st.write(r)
        ledger.update(st)  # as an ingest does: pages read the ledger, they never update it
        yield st


def test_the_store_keeps_movement_and_filters_on_it(store, records):
    rows = store.counts(limit=None)
    by_text = {r["text"]: r for r in rows}
    fled = by_text["About 3,000 Syrians"]
    assert (fled["from_country"], fled["to_country"], fled["heading_country"]) == ("SY", "TR", None)
    assert fled["from_place"]["text"] == "Syria" and fled["to_place"]["country"] == "TR"
    held = by_text["nine Britons"]
    assert (held["status"], held["place_country"], held["to_country"], held["heading_country"]) == \
        ("detained", "TR", None, "IQ")
    assert [r["text"] for r in store.counts(from_="SY", to="TR")] == ["About 3,000 Syrians"]
    assert {r["text"] for r in store.counts(to="sy")} == {"Twenty Uzbeks"}
    assert [r["text"] for r in store.counts(heading="IQ")] == ["nine Britons"]
    assert store.counts(from_="SY", to="IQ") == []
    # read back as the record that was written
    for rec in records:
        assert store.record(rec.id).to_dict() == rec.to_dict()


def test_cli_counts_from_to(store, cli):
    res = cli("counts", "--db", store.url if hasattr(store, "url") else store.display, "--from", "SY",
                  "--to", "TR", "--json")
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert [(r["text"], r["from_country"], r["to_country"]) for r in got] == [("About 3,000 Syrians", "SY", "TR")]
    table = cli("counts", "--db", store.display, "--heading", "IQ")
    assert table.returncode == 0 and "heading IQ (not reached)" in table.stdout and "held in TR" in table.stdout
    bad = cli("counts", "--db", store.display, "--from", "Syria")
    assert bad.returncode == 2 and "two-letter country code" in bad.stderr and "Traceback" not in bad.stderr


def test_export_has_movement_and_the_range_as_written(store, tmp_path):
    import csv

    from sourcebook.export import export

    done = export(store, tmp_path / "out", "csv", tables=["counts", "ledger_flows"])
    with open(done["counts"]["path"], newline="", encoding="utf-8") as f:
        rows = {r["text"]: r for r in csv.DictReader(f)}
    assert rows["About 3,000 Syrians"]["from_country"] == "SY" and rows["About 3,000 Syrians"]["range"] == "3,000"
    assert rows["More than 150 Iraqis"]["range"] == "≥150"
    assert json.loads(rows["nine Britons"]["heading"])["text"] == "Iraq"


# --------------------------------------------------------------------------- the migration


def test_migration_0008_adds_movement_without_losing_rows(records, tmp_path):
    url = str(tmp_path / "old.db")
    with Store(url) as st:
        for r in records:
            st.write(r)
        n = st.table_sizes()["counts"]
    from test_store_events import _alembic

    _alembic(url, "downgrade", "0005")
    engine = sa.create_engine(f"sqlite:///{url}")
    with engine.connect() as conn:
        cols = {c["name"] for c in sa.inspect(conn).get_columns("counts")}
        assert "from_place" not in cols and "heading_country" not in cols
        assert conn.execute(sa.text("SELECT count(*) FROM counts")).scalar() == n
    engine.dispose()
    with Store(url) as st:  # opening upgrades to the head again
        assert st.table_sizes()["counts"] == n
        rows = st.counts(limit=None)
        assert all(r["from_country"] is None and r["to_place"] is None for r in rows)  # until re-extracted
        assert all(r["low"] is not None for r in rows)


# --------------------------------------------------------------------------- flows


def test_flows_draw_a_direction_only_where_the_text_gives_one(store):
    flows = {(f["origin"], f["status"]): f for f in ledger.flows(store, window="all", detail=True)}
    fled = flows[("SY", "leaving")]
    assert (fled["directed"], fled["from"], fled["to"], fled["destination"]) == (True, "SY", "TR", "TR")
    assert fled["range"] == "3,000" and [c["text"] for c in fled["claims"]] == ["About 3,000 Syrians"]
    home = flows[("TN", "returned")]
    assert (home["from"], home["to"]) == ("SY", "TN")
    held = flows[("GB", "detained")]
    # held in Turkey, heading for Iraq: never an arrow into Iraq, and Iraq is not the destination
    assert (held["directed"], held["where"], held["heading"], held["to"]) == (False, "TR", "IQ", None)
    assert held["destination"] == "TR" and held["heading_label"] == "Iraq"
    kept = flows[("IQ", "detained")]
    assert (kept["directed"], kept["where"], kept["range"]) == (False, "SY", "≥150")


def _texts(svg: str) -> list[dict]:
    root = ET.fromstring(svg)
    out = []
    for t in root.iter(f"{SVG_NS}text"):
        size = float(t.get("font-size"))
        x, y, text = float(t.get("x")), float(t.get("y")), "".join(t.itertext())
        w = len(text) * size * CHAR_EM
        left = {"start": x, "middle": x - w / 2, "end": x - w}[t.get("text-anchor", "start")]
        out.append({"text": text, "box": (left, y - size, left + w, y + size * 0.3), "x": x,
                    "anchor": t.get("text-anchor")})
    return out


def _overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    bad = []
    for i, a in enumerate(texts):
        for b in texts[:i]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["box"], b["box"]
            if l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1:
                bad.append((a["text"], b["text"]))
    return bad


def test_the_diagram_never_draws_a_heading_and_its_labels_do_not_overlap(store):
    rows = ledger.flows(store, window="all")
    svg = flow_svg(rows)
    texts = _texts(svg)
    assert _overlaps(texts) == []
    root = ET.fromstring(svg)
    arrows = [p for p in root.iter(f"{SVG_NS}path") if p.get("marker-end")]
    assert len(arrows) == sum(1 for r in rows if r["directed"])
    # the places at the arrows' heads (right column) are the flows' "to", never a heading
    right = {t["text"] for t in texts if t["anchor"] == "start" and t["x"] > 400 and "·" not in t["text"]}
    assert "Iraq (IQ)" not in right and {"Tunisia (TN)", "Syria (SY)", "Kazakhstan (KZ)"} <= right
    assert right & {"Turkey (TR)", "Türkiye (TR)"}
    assert any("held in" in t["text"] and "heading Iraq (IQ), not reached" in t["text"] for t in texts)
    # every string is escaped
    assert "<script" not in flow_svg([dict(rows[0], where_label="<script>x</script>", where="?")])


def test_many_long_labels_still_do_not_overlap():
    rows = []
    for k in range(24):
        rows.append({"origin": f"X{k % 5}", "status": ("joining", "leaving", "returned")[k % 3], "directed": True,
                     "from": f"F{k % 4}", "from_label": f"A very long place name number {k % 4} in the hills",
                     "to": "TR" if k % 2 else f"T{k % 3}", "to_label": "Turkey" if k % 2 else f"Destination {k}",
                     "n_claims": 1 + k, "min_low": 10 * k, "max_high": None, "period": "2015"})
    for k in range(10):
        rows.append({"origin": f"N{k}", "status": "detained", "directed": False, "where": "TR",
                     "where_label": "Turkey", "heading": "SY" if k % 2 else None, "heading_label": "Syria",
                     "n_claims": 1, "min_low": k, "max_high": k, "period": "2015"})
    texts = _texts(flow_svg(rows))
    assert len(texts) > 40 and _overlaps(texts) == []


def test_movement_label_and_range_are_one_notation():
    assert [fmt_range(7000, 7000), fmt_range(200, 999), fmt_range(150, None), fmt_range(None, 150)] == \
        ["7,000", "200–999", "≥150", "≤150"]
    assert movement_label("leaving", {"country": "SY"}, {"country": "TR"}) == "SY → TR"
    assert movement_label("detained", None, None, {"country": "SY", "text": "Syria"},
                          {"text": "Turkey", "country": "TR"}) == "held in TR · heading SY (not reached)"
    assert movement_label("joining", None, None, None, {"text": "Syria"}) == ""


# --------------------------------------------------------------------------- the page in a real browser

CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed at /usr/bin/chromium")
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_flows_page_labels_do_not_overlap_in_chromium(store):
    from playwright.sync_api import sync_playwright
    from test_web_support import LiveServer

    from sourcebook.web.app import create_app

    app = create_app(store=store, user="tester")
    with LiveServer(app) as srv, sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        page = b.new_page(viewport={"width": 1280, "height": 900})
        page.goto(srv.url + "/ledger/flows?window=all")
        boxes = page.evaluate("""() => [...document.querySelectorAll('svg.flows text')].map(t => {
            const r = t.getBoundingClientRect(); return [t.textContent, r.left, r.top, r.right, r.bottom]; })""")
        b.close()
    assert len(boxes) >= 10
    bad = [(a[0], c[0]) for i, a in enumerate(boxes) for c in boxes[:i]
           if a[1] < c[3] and c[1] < a[3] and a[2] < c[4] and c[2] < a[4]]
    assert bad == []
    assert any(re.search(r"heading Iraq \(IQ\), not reached", t[0]) for t in boxes)


# --------------------------------------------------------------------------- the screenshot in docs


def screenshot(out: Path) -> None:  # pragma: no cover - run by hand
    """The flows page's diagram for the seed article and the dev corpus (read from shared/, never
    copied), in headless Chromium.  Only the diagram is captured (places, nationalities, statuses and
    ranges), not the table of claims with the articles' words."""
    import tempfile

    from conftest import SHARED
    from playwright.sync_api import sync_playwright
    from test_web_support import LiveServer

    from sourcebook.web.app import create_app

    golds = [SHARED / "gold" / "seed-foreign-fighters-leaving-syria.json",
             *sorted((SHARED / "gold" / "dev").glob("*.json"))]
    items = []
    for g in golds:
        a = json.loads(g.read_text("utf-8"))["article"]
        items.append({"text": (SHARED / a["file"]).read_text("utf-8"), "published": a.get("published"),
                      "url": a.get("url"), "title": a.get("title")})
    with tempfile.TemporaryDirectory() as tmp, Store(str(Path(tmp) / "flows.db")) as st:
        for rec in extract_many(items):
            st.write(rec)
        app = create_app(store=st, user="docs")
        with LiveServer(app) as srv, sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
            page = b.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
            page.goto(srv.url + "/ledger/flows?window=all")
            page.locator("svg.flows").screenshot(path=str(out))
            b.close()
    print(out)


if __name__ == "__main__":  # pragma: no cover
    import sys

    if len(sys.argv) == 3 and sys.argv[1] == "--screenshot":
        sys.path.insert(0, str(Path(__file__).parent))
        screenshot(Path(sys.argv[2]))
    else:
        sys.exit("usage: python3 tests/test_movement.py --screenshot docs/screenshots/flows.png")
