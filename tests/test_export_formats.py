"""Exports analysts load: ACLED-style events, UCDP-style low/best/high, and the store in datasette
(a real `datasette` process on a fresh store, read over HTTP).  The article text here is invented."""

from __future__ import annotations

import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import time

import pytest

from sourcebook import extract
from sourcebook import review as R
from sourcebook.acled import ACLED_COLUMNS, acled_type, best_estimate, iter_acled
from sourcebook.export import export
from sourcebook.store import Store
from sourcebook.store import schema as S

# invented
TEXT = ("BEIRUT, March 3, 2016 (Reuters) - Government forces shelled the town of Aleppo in Syria on Monday, "
        "killing at least 12 civilians, the Syrian Observatory for Human Rights said.\n\n"
        "Rebels attacked an army checkpoint near Homs on Tuesday, and 40 fighters were detained, a security "
        "official said on condition of anonymity because he was not allowed to speak to reporters.\n\n"
        "The foreign minister met his Turkish counterpart in Ankara to discuss a ceasefire, the ministry said.\n")


@pytest.fixture(scope="module")
def rec():
    return extract(TEXT, published="2016-03-03", url="https://www.example.org/shelling", title="Shelling in Aleppo "
                                                                                               "(invented)")


@pytest.fixture
def store(db_url, rec):
    with Store(db_url) as st:
        st.write(rec, outlet="example.org", published_source="dateline")
        yield st


def _csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.mark.parametrize("plover, mode, recipient, want", [
    ("ASSAULT", "heavy-weapons", None, ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("ASSAULT", "aerial", None, ("Explosions/Remote violence", "Air/drone strike")),
    ("ASSAULT", None, {"sector": "CVL"}, ("Violence against civilians", "Attack")),
    ("ASSAULT", None, {"sector": "MIL"}, ("Battles", "Armed clash")),
    ("COERCE", "arrest", None, ("Strategic developments", "Arrests")),
    ("PROTEST", "riot", None, ("Riots", "Violent demonstration")),
    ("PROTEST", "demo", None, ("Protests", "Peaceful protest")),
    ("CONSULT", "visit", None, ("", "")),
    ("ACCUSE", None, None, ("", "")),
])
def test_plover_to_acled(plover, mode, recipient, want):
    etype, sub, why = acled_type(plover, mode, recipient)
    assert (etype, sub) == want
    assert (why is not None and "no ACLED event type" in why) == (want == ("", ""))


@pytest.mark.parametrize("low, high, best", [(5, 5, 5), (100, 200, 100), (40, None, 40), (None, 200, None),
                                             (None, None, None)])
def test_ucdp_best_is_never_an_average(low, high, best):
    assert best_estimate(low, high) == best


def test_acled_export_one_row_per_event_with_acled_columns(store, rec, tmp_path):
    done = export(store, tmp_path / "out", "acled")
    assert set(done) == {"events_acled", "figures_ucdp", "claims_ucdp"}
    rows = _csv(done["events_acled"]["path"])
    assert list(rows[0])[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert len(rows) == len(rec.events) == done["events_acled"]["rows"]
    by_id = {r["sourcebook_event_id"]: r for r in rows}
    for ev in rec.events:
        row = by_id[ev.id]
        assert row["event_id_cnty"] == f"SB-{rec.id}-{ev.id}"
        assert TEXT[int(row["sourcebook_start_char"]):int(row["sourcebook_end_char"])] == ev.text
        assert row["sourcebook_plover_type"] == ev.type
        assert row["source"] == "example.org"
        assert row["event_date"][:4] == "2016"
        assert (row["event_type"] != "") == (row["sourcebook_mapped"] == "true")
        assert "according to" in row["notes"]
    shelling = [r for r in rows if r["sub_event_type"] == "Shelling/artillery/missile attack"]
    assert shelling, rows
    s = shelling[0]
    assert s["country"] == "Syria" and s["location"] == "Aleppo" and s["iso"] == "760"
    assert s["geo_precision"] == "1" and float(s["latitude"]) == pytest.approx(36.2, abs=0.2)
    assert s["fatalities"] == "12"  # "at least 12 civilians" killed, in the same sentence
    unmapped = [r for r in rows if r["sourcebook_mapped"] == "false"]
    assert unmapped and all(r["event_type"] == "" and "no ACLED event type" in r["notes"] for r in unmapped
                            if "denies" not in r["notes"] and "conditional" not in r["notes"])


def test_acled_rows_use_reviewed_events_and_places(store, rec):
    shell = next(e for e in rec.events if e.mode == "heavy-weapons")
    R.review(store, "event", rec.id, shell.id, "correct", changes={"actor": "Syrian Arab Army", "from": "2016-02-29",
                                                                   "to": "2016-02-29"}, user="t")
    aleppo = next(p for p in rec.places if p.text == "Aleppo")  # the place named in the event's sentence
    R.review(store, "place", rec.id, aleppo.id, "correct", changes={"name": "Aleppo city", "lat": "36.21",
                                                                    "lon": "37.16"}, user="t")
    row = next(r for r in iter_acled(store) if r["sourcebook_event_id"] == shell.id)
    assert (row["actor1"], row["event_date"], row["time_precision"], row["location"], row["latitude"]) == (
        "Syrian Arab Army", "2016-02-29", "1", "Aleppo city", 36.21)
    assert row["sourcebook_review"] == "corrected"
    R.review(store, "event", rec.id, shell.id, "reject", user="t")
    assert shell.id not in {r["sourcebook_event_id"] for r in iter_acled(store)}


def test_figures_and_claims_carry_low_best_high(store, rec, tmp_path):
    done = export(store, tmp_path / "out", "acled")
    figs = _csv(done["figures_ucdp"]["path"])
    assert len(figs) == len(rec.counts)
    for f, c in zip(sorted(figs, key=lambda r: int(r["start_char"])), sorted(rec.counts, key=lambda c: c.start)):
        assert f["low"] == ("" if c.low is None else str(c.low))
        assert f["high"] == ("" if c.high is None else str(c.high))
        assert f["best"] == ("" if best_estimate(c.low, c.high) is None else str(best_estimate(c.low, c.high)))
    claims = _csv(done["claims_ucdp"]["path"])
    assert claims and {"low", "best", "high", "n_citations"} <= set(claims[0])


def test_cli_acled_export_and_bad_format(tmp_path, cli, rec):
    db = tmp_path / "c.db"
    with Store(db) as st:
        st.write(rec)
    res = cli("export", "--format", "acled", "--out", tmp_path / "x", "--db", db, "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["events_acled"]["rows"] == len(rec.events)
    bad = cli("export", "--format", "acled2", "--out", tmp_path / "x", "--db", db)
    assert bad.returncode == 2 and "--format must be one of" in bad.stderr and "Traceback" not in bad.stderr
    mixed = cli("export", "--format", "acled", "--table", "counts", "--out", tmp_path / "x", "--db", db)
    assert mixed.returncode == 1 and "--table goes with csv" in mixed.stderr


def test_every_column_is_described_for_datasette():
    from sourcebook.datasette import descriptions

    desc = descriptions()
    for name in S.DATA_TABLES:
        missing = [c.name for c in S.TABLES[name].c if not desc.get(name, {}).get(c.name)]
        assert missing == [], name
    assert all(desc.get(name, {}).get("") for name in S.TABLES if name not in ("ledger_lsh",)) or True
    assert [n for n in S.TABLES if not desc.get(n, {}).get("")] == []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_opens_a_fresh_store_with_our_metadata(tmp_path, rec):
    """A real `datasette` process on a fresh store: a table read over HTTP, with our descriptions."""
    exe = shutil.which("datasette") or (pytest.importorskip("datasette") and None)
    cmd = [exe] if exe else [sys.executable, "-m", "datasette"]
    db = tmp_path / "fresh.db"
    with Store(db) as st:
        st.write(rec, outlet="example.org")
        done = export(st, tmp_path / "ds", "datasette")
    meta = done["metadata"]["path"]
    port = _free_port()
    proc = subprocess.Popen(cmd + [str(db), "--metadata", meta, "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        import httpx

        deadline = time.monotonic() + 60
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/fresh/counts.json?_shape=array", timeout=5)
                if r.status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "datasette did not answer within 60 s"
            time.sleep(0.3)
        rows = r.json()
        assert len(rows) == len(rec.counts)
        assert {x["count_id"] for x in rows} == {c.id for c in rec.counts}
        page = httpx.get(f"http://127.0.0.1:{port}/fresh/counts", timeout=10).text
        assert "figures about groups of people" in page  # our table description
        info = httpx.get(f"http://127.0.0.1:{port}/-/metadata.json", timeout=10).json()
        assert info["databases"]["fresh"]["tables"]["counts"]["facets"] == ["status", "origin"]
        arts = httpx.get(f"http://127.0.0.1:{port}/fresh/articles.json?_shape=array&_col=outlet", timeout=10).json()
        assert [a["outlet"] for a in arts] == ["example.org"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_datasette_metadata_needs_sqlite(tmp_path):
    pg = os.environ.get("SOURCEBOOK_TEST_PG")
    if not pg:
        pytest.skip("no PostgreSQL ($SOURCEBOOK_TEST_PG)")
    from sourcebook.store import StoreError

    with Store(pg) as st:
        with pytest.raises(StoreError, match="datasette opens SQLite files"):
            export(st, tmp_path / "ds", "datasette")
