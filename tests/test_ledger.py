"""The ledger: near-duplicates, claims, series, flows, incremental updates, review corrections, the
CLI.  The corpus is ../shared/corpus (seed + dev, with the gold files' dates and URLs), extracted
once per session; the seed article also comes as a lightly edited reprint, made here."""

from __future__ import annotations

import dataclasses
import functools
import json
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from sourcebook import extract_many, ledger
from sourcebook.ledger import dupes
from sourcebook.ledger.cluster import Item, cluster, link_rule
from sourcebook.ledger.normalize import group_of, source_key
from sourcebook.store import Store
from sourcebook.store import schema as S

SEED = "seed-foreign-fighters-leaving-syria"
PG_ENV = "SOURCEBOOK_TEST_PG"


def reprint_of(text: str) -> str:
    """A lightly edited reprint: another headline, a few words changed, the last paragraph dropped,
    a syndication line added."""
    paras = text.split("\n\n")
    t = "\n\n".join(["Foreign fighters quit Syria, and a forger helps them go"] + paras[1:-1])
    t = t.replace("internet café", "internet cafe").replace("Today, the employee", "These days the employee")
    return t + "\n\nThis story was first published elsewhere and is reprinted with permission."


@functools.lru_cache(maxsize=1)
def _items(shared_dir: Path) -> tuple:
    gold = [shared_dir / "gold" / f"{SEED}.json"] + sorted((shared_dir / "gold" / "dev").glob("*.json"))
    items = []
    for g in gold:
        a = json.loads(g.read_text("utf-8"))["article"]
        items.append({"text": (shared_dir / a["file"]).read_text("utf-8"), "published": a.get("published"),
                      "url": a.get("url"), "title": a.get("title")})
    return tuple(items)


@functools.lru_cache(maxsize=1)
def _records(shared_dir: Path) -> tuple:
    items = list(_items(shared_dir))
    reprint = dict(items[0], text=reprint_of(items[0]["text"]), published="2014-02-27",
                   url="https://reprints.example.org/2014/02/27/foreign-fighters", title="Foreign fighters quit Syria")
    recs = list(extract_many(items + [reprint]))
    return recs[:-1], recs[-1]


@pytest.fixture(scope="session")
def corpus_items(shared_dir) -> list[dict]:
    """Every article of shared/corpus with its date, URL and title from the gold files."""
    items = list(_items(shared_dir))
    assert len(items) >= 30
    return items


@pytest.fixture(scope="session")
def corpus_records(shared_dir):
    """The corpus extracted once per process (shared with test_report.py), and the seed's reprint."""
    return _records(shared_dir)




def _claims_table(store: Store) -> list[tuple]:
    with store._read() as conn:
        rows = conn.execute(sa.select(S.ledger_claims).order_by(S.ledger_claims.c.claim_id)).mappings().all()
        cits = conn.execute(sa.select(S.ledger_citations.c.article_id, S.ledger_citations.c.count_id,
                                      S.ledger_citations.c.claim_id, S.ledger_citations.c.position)
                            .order_by(S.ledger_citations.c.article_id, S.ledger_citations.c.count_id)).all()
    return [tuple((k, v) for k, v in r.items() if k != "updated_at") for r in rows], [tuple(c) for c in cits]


# --------------------------------------------------------------------------- the corpus with a reprint


def test_reprint_is_a_near_duplicate_and_its_claims_are_not_doubled(corpus_records, db_url):
    records, reprint = corpus_records
    seed = records[0]
    with Store(db_url) as store:
        for r in records:
            store.write(r)
        before = ledger.update(store)
        assert before.full and before.new_articles == len(records)
        n_claims = ledger.overview(store)["claims"]
        series_before = {s["series_id"]: s["n_claims"] for s in ledger.series(store, limit=None)}
        claims_before, _ = _claims_table(store)

        store.write(reprint)
        after = ledger.update(store)
        assert not after.full and after.new_articles == 1 and after.duplicate_pairs == 1
        with store._read() as conn:
            row = conn.execute(sa.select(S.ledger_articles).where(S.ledger_articles.c.article_id == reprint.id)).first()
        assert row.canonical_id == seed.id and row.similarity >= dupes.MIN_JACCARD
        ov = ledger.overview(store)
        assert ov["near_duplicate_copies"] == 1 and ov["claims"] == n_claims  # not doubled
        assert {s["series_id"]: s["n_claims"] for s in ledger.series(store, limit=None)} == series_before
        seed_claims = ledger.claims(store, limit=None, with_citations=True)
        seed_claims = [c for c in seed_claims if c["first_article_id"] == seed.id]
        assert len(seed_claims) >= 5
        for c in seed_claims:  # every figure of the seed is cited once more, as a copy, and reported once
            assert c["n_reports"] == 1 and c["n_copies"] >= 1, c
            assert any(x["article_id"] == reprint.id and x["copy"] and x["rule"] == "copy" for x in c["citations"])
            assert c["citations"][0]["article_id"] == seed.id  # first reported: the original
        clapper = [c for c in seed_claims if c["low"] == 7000]
        assert clapper and clapper[0]["source_label"] == "James Clapper"
        assert clapper[0]["group_key"] == "foreign fighters"

        # incremental == full rebuild
        incremental = _claims_table(store)
        assert ledger.update(store, full=True).full
        assert _claims_table(store) == incremental

        # deleting the reprint brings the ledger back to where it was
        store.delete(reprint.id)
        gone = ledger.update(store)
        assert gone.deleted_articles == 1
        assert _claims_table(store)[0] == claims_before
        assert ledger.overview(store)["near_duplicate_copies"] == 0


def _ledger_tables(store: Store) -> dict[str, list[tuple]]:
    """Every ledger table but the time stamps, sorted: what an update computed."""
    out = {}
    with store._read() as conn:
        for name in ("ledger_articles", "ledger_duplicates", "ledger_lsh", "ledger_claims", "ledger_citations",
                     "ledger_series", "ledger_series_months", "ledger_flows"):
            t = S.TABLES[name]
            cols = [c for c in t.c if c.name not in ("updated_at",)]
            out[name] = sorted(tuple(json.dumps(v, sort_keys=True, default=str) for v in r)
                                for r in conn.execute(sa.select(*cols)))
    return out


def test_an_update_in_small_steps_equals_one_in_one_step(corpus_records, db_url, monkeypatch):
    """``update(step=k)`` handles k changed articles per transaction; whatever the steps, the ledger
    ends the same as a rebuild in one step, including when an earlier copy of an article arrives
    later and becomes the canonical article of its group."""
    records, reprint = corpus_records
    seed = records[0]
    earlier = dataclasses.replace(reprint, published="2014-02-20")  # a copy published before the seed
    with Store(db_url) as store:
        for r in records:
            store.write(r)
        from sourcebook.ledger import core

        monkeypatch.setattr(core, "_BLOCK_ROWS", 4)  # blocks clustered a few rows' worth at a time
        first = ledger.update(store, step=3)
        assert first.full and first.new_articles == len(records)
        store.write(earlier)
        second = ledger.update(store, step=1)
        assert second.new_articles == 1 and second.duplicate_pairs == 1
        with store._read() as conn:
            canon = dict(conn.execute(sa.select(S.ledger_articles.c.article_id,
                                                S.ledger_articles.c.canonical_id)).all())
        assert canon[seed.id] == earlier.id and canon[earlier.id] == earlier.id  # the seed is now the copy
        assert second.affected_articles >= 2
        stepped = _ledger_tables(store)
        assert stepped["ledger_lsh"] and stepped["ledger_duplicates"] and stepped["ledger_claims"]
        monkeypatch.setattr(core, "_BLOCK_ROWS", 10_000)
        assert ledger.update(store, full=True, step=10_000).full
        assert _ledger_tables(store) == stepped


def test_a_story_reprinted_many_times_is_one_group_without_every_pair(db_url):
    """Forty copies of one wire story (each with its own last line) arriving in three updates: one
    group, the earliest published is the canonical article, and the pairs stored stay within
    PER_KEY candidates of each copy and of the group before it (not 40 x 39 / 2)."""
    body = ("Rebel fighters and government troops clashed for a third day near the northern border "
            "crossing on Tuesday, residents said, as aid convoys waited on the other side. A local "
            "council official said at least 4,000 families had fled the villages around the crossing "
            "since the weekend and that the shelters in the town were full. The United Nations said "
            "it was ready to send more tents and food if the roads reopened, and called on every side "
            "to let civilians leave. ")
    items = [{"text": body + f"Copy {i} of the agency report, filed by desk {i * 7 % 13}.",
              "published": (date(2024, 1, 1) + timedelta(days=(i * 17 + 5) % 40)).isoformat(),  # unique, shuffled
              "url": f"https://outlet{i}.test/a"} for i in range(40)]
    records = list(extract_many(items))
    earliest = min(records, key=lambda r: r.published)
    assert earliest is not records[0]
    with Store(db_url) as store:
        for part in (records[:12], records[12:30], records[30:]):
            for r in part:
                store.write(r)
            ledger.update(store, step=7)
        with store._read() as conn:
            canon = dict(conn.execute(sa.select(S.ledger_articles.c.article_id,
                                                S.ledger_articles.c.canonical_id)).all())
            n_pairs = conn.execute(sa.select(sa.func.count()).select_from(S.ledger_duplicates)).scalar()
        assert set(canon.values()) == {earliest.id} and len(canon) == 40
        assert 39 <= n_pairs <= 40 * 2 * dupes.PER_KEY < 40 * 39 // 2
        assert ledger.overview(store)["near_duplicate_copies"] == 39


def test_flows_and_series_on_the_corpus(corpus_records, tmp_path):
    records, _ = corpus_records
    with Store(tmp_path / "c.db") as store:
        for r in records:
            store.write(r)
        flows = ledger.flows(store, detail=True)
        # "five Saudi nationals ... asked for his help in reaching Turkey": Turkey is where they were
        # heading, not where they went: no arrow into it, and it is not their destination
        sa_tr = [f for f in flows if (f["origin"], f["heading"], f["status"]) == ("SA", "TR", "leaving")]
        assert len(sa_tr) == 1 and sa_tr[0]["period"] == "2014" and (sa_tr[0]["min_low"], sa_tr[0]["max_high"]) == (5,
                                                                                                                    5)
        assert not sa_tr[0]["directed"] and sa_tr[0]["to"] is None and sa_tr[0]["destination"] != "TR"
        assert [(c["text"], c["source_label"]) for c in sa_tr[0]["claims"]] == [("five Saudi nationals", "Abu Ahmed")]
        assert all(f["status"] in ledger.FLOW_STATUSES for f in flows)
        assert {f["period"] for f in ledger.flows(store, window="all")} == {"all"}
        series = ledger.series(store, limit=None, detail=True)
        assert sum(s["n_claims"] for s in series) == ledger.overview(store)["claims"]
        for s in series:  # the envelope is min low / max high of the month's claims, never an average
            for m in s["months"]:
                cs = [c for c in s["claims"] if (c["claim_date"] or "undated")[:7] == m["month"]]
                assert m["n_claims"] == len(cs)
                lows = [c["low"] if c["low"] is not None else c["high"] for c in cs]
                if all(x is not None for x in lows) and lows:
                    assert m["min_low"] == min(lows)
        killed = [s for s in series if s["group_key"] == "fighters" and s["status"] == "killed"]
        assert killed and killed[0]["n_conflicting_months"] >= 1
        assert killed[0]["n_named"] and killed[0]["n_anonymous"]


def test_review_corrections_reach_the_ledger(corpus_records, tmp_path):
    review = pytest.importorskip("sourcebook.review")
    records, _ = corpus_records
    seed = records[0]
    with Store(tmp_path / "r.db") as store:
        for r in records[:3]:
            store.write(r)
        ledger.update(store)
        c7000 = next(c for c in seed.counts if c.low == 7000)
        review.review(store, "count", seed.id, c7000.id, "correct", changes={"low": 6000, "high": 8000}, user="t")
        up = ledger.update(store)
        assert up.reviewed_articles == 1 and up.corrections
        got = [c for c in ledger.claims(store, limit=None) if c["first_count_id"] == c7000.id]
        assert (got[0]["low"], got[0]["high"]) == (6000, 8000)
        review.review(store, "count", seed.id, c7000.id, "reject", user="t")
        ledger.update(store)
        assert not [c for c in ledger.claims(store, limit=None) if c["first_count_id"] == c7000.id
                    and c["first_article_id"] == seed.id]


def test_ingest_updates_the_ledger(tmp_path):
    from sourcebook.ingest import ingest

    f = tmp_path / "a.jsonl"
    text = ("\"There are now about 7,000 foreign fighters in Velmora,\" said Maria Okafor, a spokeswoman for the "
            "interior ministry.")
    f.write_text(json.dumps({"text": text, "published": "2024-01-10", "url": "https://a.test/1"}) + "\n", "utf-8")
    with Store(tmp_path / "i.db") as store:
        ingest([f], store)
        with store._read() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(S.ledger_claims)).scalar() == 1
        assert not ledger.update(store).changed


# --------------------------------------------------------------------------- units


def test_counted_groups_from_the_lexicon():
    assert group_of("7,000 foreigners") == "foreign fighters"
    assert group_of("foreign jihadists") == "foreign fighters"
    assert group_of("members of the security forces") == "security forces"
    assert group_of("other terrorists") == "fighters"
    assert group_of("Saudi nationals") == "nationals"
    assert group_of("asylum seekers") == "refugees and displaced"
    assert group_of("demonstrators") == "protesters"
    assert group_of("tourists from Canada") == "tourist"  # no entry: the head noun
    assert group_of("") == "people"


def test_user_lexicon_adds_groups(tmp_path, monkeypatch):
    from sourcebook import lexicon
    from sourcebook.ledger import normalize

    (tmp_path / "ledger_groups.tsv").write_text("tourist\tcivilians\n", "utf-8")
    monkeypatch.setenv("SOURCEBOOK_LEXICON_PATH", str(tmp_path))
    lexicon.clear_cache()
    normalize._group_table.cache_clear()
    normalize.group_of.cache_clear()
    try:
        assert group_of("tourists from Canada") == "civilians"
    finally:
        monkeypatch.delenv("SOURCEBOOK_LEXICON_PATH")
        lexicon.clear_cache()
        normalize._group_table.cache_clear()
        normalize.group_of.cache_clear()


def test_named_and_anonymous_sources_never_share_a_block():
    named = source_key(source_id="S1", name="Maria Okafor", mention="Maria Okafor", head="Okafor", anonymous=False,
                       outlet="a.test", article_id="x")
    anon = source_key(source_id="S1", name=None, mention="an official named Okafor", head="official", anonymous=True,
                      outlet="a.test", article_id="x")
    rep = source_key(source_id="REPORTER", name=None, mention=None, head=None, anonymous=None, outlet="a.test",
                     article_id="x")
    assert named[1] == "named" and anon[1] == "anonymous" and rep[1] == "reporter"
    assert len({named[0], anon[0], rep[0]}) == 3


def _item(i: int, **kw) -> Item:
    base = dict(article_id=f"a{i}", count_id="C1", source_block="named:okafor", source_tokens=frozenset({"okafor"}),
                low=7000, high=7000, group="foreign fighters", status="present", day=738000 + i)
    base.update(kw)
    return Item(**base)


def test_cluster_rules():
    a, b = _item(0), _item(1)
    assert link_rule(a, b) == "figure"
    assert link_rule(a, _item(1, status="leaving")) is None
    assert link_rule(a, _item(1, low=6000)) is None
    assert link_rule(a, _item(200)) is None  # outside the window
    assert link_rule(a, _item(1, place="tarsk"), ) == "figure"  # one place unknown
    assert link_rule(_item(0, place="orvik"), _item(1, place="tarsk")) is None
    assert link_rule(_item(0, time_from="2024-01-01", time_to="2024-01-01"),
                     _item(1, time_from="2024-01-05", time_to="2024-01-05")) is None
    q = dict(quote="there are now about 7 000 foreign fighters", count_text="about 7 000 foreign fighters")
    assert link_rule(_item(0, **q), _item(300, status="other", **q)) == "quote"  # the same words, any time
    assert link_rule(_item(0, source_tokens=frozenset({"lena", "varga"})),
                     _item(1, source_tokens=frozenset({"tomas", "varga"}))) is None
    # a bare surname joins the first person, and then no longer the second
    lena = _item(0, source_tokens=frozenset({"lena", "varga"}))
    bare = _item(1, source_tokens=frozenset({"varga"}))
    tomas = _item(2, source_tokens=frozenset({"tomas", "varga"}))
    groups = cluster([tomas, bare, lena])
    assert sorted(len(g) for g in groups) == [1, 2]
    assert {x.article_id for g in groups if len(g) == 2 for x in g} == {"a0", "a1"}


def test_near_duplicates_by_minhash():
    text = " ".join(f"word{i % 97} filler{i % 13} text{i}" for i in range(300))
    copy = text.replace("text5 ", "text5b ").replace("text77 ", "")
    other = " ".join(f"other{i % 89} words{i % 7} here{i}" for i in range(300))
    a, b, c = dupes.signature(text), dupes.signature(copy), dupes.signature(other)
    assert dupes.is_near_duplicate(a, b)[0] and not dupes.is_near_duplicate(a, c)[0]
    assert dupes.Signature.decode(a.encode(), a.n_shingles).hashvalues.tolist() == a.hashvalues.tolist()
    half = " ".join(text.split()[: len(text.split()) // 2])  # a copy cut short
    assert dupes.is_near_duplicate(a, dupes.signature(half))[0]
    short = "Two soldiers were killed on Monday near Lisk, army spokesman Colonel Ivan Petrov said."
    assert not dupes.is_near_duplicate(dupes.signature(short), dupes.signature(short.replace("Monday", "Friday")))[0]
    pairs = dupes.find_pairs({"b": b}, {"a": a, "c": c})
    assert [(x, y) for x, y, _ in pairs] == [("a", "b")]


# --------------------------------------------------------------------------- the command line


def test_cli_claims_series_flows_export(corpus_records, tmp_path, run_cli, cli):
    records, reprint = corpus_records
    db = str(tmp_path / "cli.db")
    with Store(db) as store:
        for r in records + [reprint]:
            store.write(r)
    res = run_cli("claims", "--db", db, "--json", "--limit", "0")  # one real process
    assert res.returncode == 0, res.stderr
    claims = json.loads(res.stdout)
    assert claims and all(c["citations"] for c in claims) and claims[0]["n_citations"] >= 2
    run = cli  # in-process (the cli fixture: 200 columns, as COLUMNS=200 gives a real process)
    res = run("claims", "--db", db, "--min-citations", "2")
    assert res.returncode == 0 and "James Clapper" in res.stdout
    res = run("series", "--db", db, "--json", "--group", "fighters", "--status", "killed")
    assert res.returncode == 0 and json.loads(res.stdout)[0]["months"]
    res = run("flows", "--db", db, "--json", "--origin", "SA")
    assert res.returncode == 0 and json.loads(res.stdout)[0]["heading"] == "TR"
    assert run("flows", "--db", db).returncode == 0
    assert run("series", "--db", db).returncode == 0
    assert run("flows", "--db", db, "--window", "decade").returncode == 2
    assert run("claims", "--db", db, "--order", "size").returncode == 2
    res = run("export", "--db", db, "--out", tmp_path / "x", "--format", "jsonl")
    assert res.returncode == 0, res.stdout
    names = {p.name for p in (tmp_path / "x").iterdir()}
    assert {"ledger_claims.jsonl", "ledger_citations.jsonl", "ledger_series.jsonl", "ledger_flows.jsonl"} <= names
    n = sum(1 for _ in open(tmp_path / "x" / "ledger_claims.jsonl", encoding="utf-8"))
    assert n == len(claims)


# --------------------------------------------------------------------------- the web pages


def test_web_pages(corpus_records, tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from sourcebook.web.app import create_app

    records, reprint = corpus_records
    with Store(tmp_path / "w.db") as store:
        for r in records[:4] + [reprint]:
            store.write(r)
        app = create_app(store=store, user="tester")
        with TestClient(app, base_url="http://127.0.0.1") as c:
            page = c.get("/ledger/claims").text  # pages never update the ledger themselves
            assert "Ledger never updated" in page and "James Clapper" not in page
            ledger.update(store)  # as an ingest, `sourcebook ledger update` or the page's button would
            time.sleep(1.1)  # the app reads the data version at most once a second
            page = c.get("/ledger/claims").text
            assert 'href="/ledger/series"' in page and "James Clapper" in page and "copy" in page
            cid = ledger.claims(store, limit=1)[0]["claim_id"]
            assert c.get(f"/ledger/claims/{cid}").status_code == 200
            assert c.get("/ledger/claims/nope").status_code == 404
            series = c.get("/ledger/series").text
            assert "data:image/svg+xml;base64," in series and "<script" not in series.split("</head>")[1]
            assert "Abu Ahmed" in c.get("/ledger/flows").text
            assert c.get("/ledger/flows?window=decade").status_code == 400
