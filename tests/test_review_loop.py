"""The review loop: the "reviewed" mark, items reviewers add, gold exported from reviews (both
backends), the quality numbers, the web forms, `sourcebook gold export`, `sourcebook train
--with-reviews` and weights recorded in what they extract (docs/review-loop.md)."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from test_web_support import TEXT, make_record

from sourcebook import review as R
from sourcebook.evaluate.gold import GOLD_SCHEMA, load_gold
from sourcebook.quality import quality
from sourcebook.reviewgold import apply_gold, export_gold
from sourcebook.store import Store

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
LOCAL = "http://127.0.0.1"
MISSED = "the border would stay closed until May"
EXTRA = "\n\nA local official said " + MISSED + "."
REVIEWER = "ana-reviewer-7"


def _record():
    return make_record(TEXT + EXTRA)


def _review(st: Store, aid: str) -> None:
    """Reject Q3 (the diplomat's), correct C1, add the local official and their missed quote, mark reviewed."""
    text = TEXT + EXTRA
    R.review(st, "quote", aid, "Q3", "reject", user=REVIEWER)
    R.review(st, "count", aid, "C1", "correct", user=REVIEWER, changes={"low": 1400, "high": 1600})
    i = text.index("A local official")
    src = R.add_item(st, "source", aid, i, i + len("A local official"), {"anonymous": True, "kind": "person",
                                                                          "role": "local official"}, user=REVIEWER)
    j = text.index(MISSED)
    R.add_item(st, "quote", aid, j, j + len(MISSED), {"source": src["item_id"], "type": "indirect", "cue": "said"},
               user=REVIEWER, expect=MISSED)
    R.mark_reviewed(st, aid, user=REVIEWER)


def test_export_keeps_what_was_kept_and_added(db_url, tmp_path):
    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        assert export_gold(st, tmp_path / "none") == []  # nothing marked reviewed: nothing exported
        _review(st, rec.id)
        assert R.reviewed_articles(st) == [rec.id]
        [path] = export_gold(st, tmp_path / "gold")
    raw = path.read_text(encoding="utf-8")
    g = load_gold(path)  # validates: schema, article file found beside it
    assert g.text == rec.text and g.gold["schema"] == GOLD_SCHEMA
    quotes = {q["text"]: q for q in g.gold["quotes"]}
    assert set(quotes) == {"1,500 fighters had returned", "They are coming home", MISSED}  # Q3 rejected
    counts = {c["text"]: c for c in g.gold["counts"]}
    assert (counts["1,500 fighters"]["low"], counts["1,500 fighters"]["high"]) == (1400, 1600)
    by_id = {s["id"]: s for s in g.gold["sources"]}
    added = by_id[quotes[MISSED]["source"]]
    assert added["anonymous"] is True and added["name"] is None and added["mention"] == "A local official"
    # source protection: no reviewer, no store ids, no name beside an anonymous source
    assert REVIEWER not in raw and "AS1" not in raw and "AQ1" not in raw
    for s in g.gold["sources"]:
        assert not (s["anonymous"] and s["name"])


def test_reextraction_lifts_the_mark(db_url, tmp_path):
    """Items of a re-extraction were never checked: the article leaves the gold until marked again."""
    import time

    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        _review(st, rec.id)
        assert R.reviewed_articles(st) == [rec.id] and R.review_mark(st, rec.id)["holds"]
        time.sleep(0.01)
        assert st.write(rec, replace=True) == "reextracted"
        assert R.reviewed_articles(st) == [] and not R.review_mark(st, rec.id)["holds"]
        assert export_gold(st, tmp_path) == []
        R.mark_reviewed(st, rec.id, False)
        R.mark_reviewed(st, rec.id)
        assert R.reviewed_articles(st) == [rec.id]


def test_anonymous_source_never_gets_a_name(db_url, tmp_path):
    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        with pytest.raises(R.ReviewError, match="never links an anonymous source to a name"):
            R.add_item(st, "source", rec.id, 0, 12, {"anonymous": True, "name": "Maria Okafor"})
        # a named source a reviewer turns anonymous is exported without its name, and its mention cut
        R.review(st, "source", rec.id, "S1", "correct", changes={"anonymous": True})
        R.mark_reviewed(st, rec.id)
        [path] = export_gold(st, tmp_path)
    g = json.loads(path.read_text(encoding="utf-8"))
    s1 = next(s for s in g["sources"] if s["head"] == "Okafor")
    assert s1["anonymous"] is True and s1["name"] is None and "Maria" not in (s1["mention"] or "")


def test_added_items_are_checked_against_the_text(db_url):
    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        n = len(rec.text)
        for start, end, msg in ((-1, 5, "outside"), (5, n + 1, "outside"), (7, 7, "outside")):
            with pytest.raises(R.ReviewError, match=msg):
                R.add_item(st, "quote", rec.id, start, end, {"source": "S1"})
        with pytest.raises(R.ReviewError, match="not the text selected"):
            R.add_item(st, "quote", rec.id, 0, 12, {"source": "S1"}, expect="something else")
        with pytest.raises(R.ReviewError, match="source must be"):
            R.add_item(st, "quote", rec.id, 0, 12, {"source": "S9"})
        with pytest.raises(R.ReviewError, match="one can add"):
            R.add_item(st, "event", rec.id, 0, 12, {})
        with pytest.raises(R.ReviewError, match="low or high"):
            R.add_item(st, "count", rec.id, 0, 12, {"source": "S1"})
        a = R.add_item(st, "quote", rec.id, 0, 13, {"source": "REPORTER"}, expect="Maria Okafor,")
        assert (a["start"], a["end"], a["text"]) == (0, 13, "Maria Okafor,")
        R.remove_added(st, rec.id, a["item_id"])
        assert R.added_items(st, rec.id) == []
        log = R.history(st, article_id=rec.id)
        assert [x["action"] for x in log[:2]] == ["remove", "add"]  # the append-only log keeps both
        R.mark_reviewed(st, rec.id)
        with pytest.raises(R.ReviewError, match="already"):
            R.mark_reviewed(st, rec.id)
        R.mark_reviewed(st, rec.id, False)
        assert R.reviewed_articles(st) == []


def test_quality_numbers(db_url):
    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        assert quality(st)["articles"] == 0
        _review(st, rec.id)
        q = quality(st)
    kinds = {k["kind"]: k for k in q["kinds"]}
    # quotes: 3 proposed, Q3 rejected, 1 added -> precision 2/3, recall 2/3
    assert (kinds["quote"]["proposed"], kinds["quote"]["kept"], kinds["quote"]["added"]) == (3, 2, 1)
    assert kinds["quote"]["precision"] == pytest.approx(2 / 3, abs=1e-3)
    assert kinds["quote"]["recall"] == pytest.approx(2 / 3, abs=1e-3)
    assert (kinds["count"]["kept"], kinds["count"]["corrected"]) == (2, 1)
    assert kinds["source"]["added"] == 1 and kinds["source"]["recall"] == pytest.approx(2 / 3, abs=1e-3)
    whats = {c["what"]: c["n"] for c in q["corrections"]}
    assert whats["quote rejected"] == 1 and whats["count low corrected"] == 1 and whats["quote added (missed)"] == 1
    versions = [v for v in q["versions"] if v["kind"] == "quote"]
    assert [(v["extractor"], v["proposed"]) for v in versions] == [("sourcebook_attribution_v1", 3)]


def test_apply_gold_round_trip(tmp_path):
    """Gold loaded as reviews and exported again gives back the gold's quotes and figures."""
    rec = _record()
    gold = {"schema": GOLD_SCHEMA, "article": {"file": "x.txt", "published": "2024-03-01"},
            "sources": [{"id": "S1", "name": "Maria Okafor", "head": "Okafor", "anonymous": False, "kind": "person",
                         "mention": "Maria Okafor, a spokeswoman for the ministry"},
                        {"id": "S2", "name": None, "head": "official", "anonymous": True, "kind": "person",
                         "mention": "A local official"}],
            "quotes": [{"source": "S1", "text": "They are coming home", "type": "direct", "cue": "said"},
                       {"source": "S2", "text": MISSED, "type": "indirect", "cue": "said"}],
            "counts": [{"source": "S1", "text": "1,500 fighters", "number": "1,500", "low": 1500, "high": 1500,
                        "status": "returned", "origin": None}]}
    with Store(str(tmp_path / "s.db")) as st:
        st.write(rec)
        done = apply_gold(st, rec.id, gold, user="loop")
        assert done["add"] == 2 and done["reject"] >= 3  # Q1, Q3, C2 (and the diplomat) rejected
        [path] = export_gold(st, tmp_path / "out")
    out = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(q["text"] for q in out["quotes"]) == sorted(q["text"] for q in gold["quotes"])
    assert [(c["text"], c["low"], c["status"]) for c in out["counts"]] == [("1,500 fighters", 1500, "returned")]
    names = {q["text"]: next(s for s in out["sources"] if s["id"] == q["source"]) for q in out["quotes"]}
    assert names["They are coming home"]["name"] == "Maria Okafor"
    assert names[MISSED]["anonymous"] and names[MISSED]["name"] is None


# --------------------------------------------------------------------------- web


def _csrf(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page).group(1)


def test_web_mark_add_and_quality(db_url):
    from sourcebook.web import create_app

    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        app = create_app(store=st, user="tester", load_ledger=False)
        with TestClient(app, base_url=LOCAL) as c:
            page = c.get(f"/articles/{rec.id}").text
            assert 'data-testid="mark-reviewed"' in page and 'data-testid="add-form"' in page
            csrf = _csrf(page)
            # no CSRF token: refused
            assert c.post("/review/add", data={"article_id": rec.id, "kind": "quote"}).status_code == 403
            j = rec.text.index(MISSED)
            base = {"csrf": csrf, "article_id": rec.id, "next": f"/articles/{rec.id}"}
            # a selection: offsets and the selected text
            r = c.post("/review/add", data={**base, "kind": "quote", "start": j, "end": j + len(MISSED),
                                            "text": MISSED, "source": "REPORTER", "type": "indirect", "cue": "said"},
                       follow_redirects=False)
            assert r.status_code == 303
            # the keyboard path: the exact words typed, found by the server
            r = c.post("/review/add", data={**base, "kind": "count", "text": "200 Tarsenian nationals",
                                            "source": "S2", "low": "200", "high": "200", "status": "detained"},
                       headers={"accept": "application/json"})
            assert r.status_code == 200 and r.json()["added"]["start"] == rec.text.index("200 Tarsenian")
            # offsets that do not hold the selected text: one clear line, 400
            r = c.post("/review/add", data={**base, "kind": "quote", "start": 0, "end": 5, "text": "Haldeni",
                                            "source": "S1"}, headers={"accept": "application/json"})
            assert r.status_code == 400 and "not the text selected" in r.json()["error"]
            r = c.post("/review/add", data={**base, "kind": "quote", "text": "words not in it", "source": "S1"})
            assert r.status_code == 400 and "is not in the article text" in r.text
            assert c.post("/review/article", data={**base, "action": "complete"},
                          follow_redirects=False).status_code == 303
            page = c.get(f"/articles/{rec.id}").text
            assert 'data-testid="reviewed"' in page and MISSED in page
            q = c.get("/quality").text
            assert re.search(r'data-testid="recall-quote">75\.0 %', q)  # 3 kept, 1 added
            assert "quote added (missed)" in q


# --------------------------------------------------------------------------- CLI


def test_gold_export_cli_round_trips_through_eval(cli, db_url, tmp_path):
    rec = _record()
    with Store(db_url) as st:
        st.write(rec)
        _review(st, rec.id)
    out = tmp_path / "gold"
    r = cli("gold", "export", "--db", db_url, "--out", out)
    assert r.returncode == 0, r.stderr
    assert "wrote 1 gold file" in r.stdout
    r = cli("eval", out, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)["gold"]
    assert res["files"] == 1 and res["gold_errors"] == []
    q = res["quotes"]
    assert q["tp"] + q["fn"] == 3  # the two kept quotes and the added one are the gold
    assert res["counts"]["tp"] + res["counts"]["fn"] == 2


def test_cli_refusals(cli, tmp_path):
    r = cli("gold", "export", "--db", tmp_path / "missing.db", "--out", tmp_path / "o")
    assert r.returncode != 0 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    empty = tmp_path / "empty.db"
    Store(str(empty)).close()
    r = cli("gold", "export", "--db", empty, "--out", tmp_path / "o")
    assert r.returncode == 0 and "no article is marked reviewed" in r.stdout
    r = cli("train", "--with-reviews", empty, "--out", tmp_path / "w", "--shipped")
    assert r.returncode == 2 and "never writes over the shipped weights" in r.stderr
    r = cli("eval", tmp_path, "--model-dir", tmp_path / "nowhere")
    assert r.returncode == 2 and "no weights.npz" in r.stderr


def test_other_weights_make_stored_articles_outdated(cli, run_cli, tmp_path):
    """Records name the weights that made them; `ingest --reextract` re-runs articles made by others."""
    import numpy as np

    from sourcebook.nlp.attribution import model

    shipped = model.load(str(model.PACKAGED))
    other = tmp_path / "weights"
    model.save(other, shipped.sparse, shipped.dense, shipped.bias - 0.5, dict(shipped.meta, note="test"))
    assert model.load(str(other)).digest != shipped.digest
    art = tmp_path / "in" / "a.txt"
    art.parent.mkdir()
    art.write_text(TEXT + EXTRA, encoding="utf-8")
    db = tmp_path / "s.db"
    r = cli("ingest", art.parent, "--db", db, "--json", "--published", "2024-03-01")
    # --model-dir sets $SOURCEBOOK_MODEL_DIR for the process that builds the pipeline: real processes
    assert r.returncode == 0, r.stderr
    with Store(str(db)) as st:
        [ext] = [x for x in st.stored_versions(st.article_ids()).values()]
    assert ext["attribution_weights"] == shipped.digest
    r = run_cli("ingest", art.parent, "--db", db, "--json", "--model-dir", other)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["outdated"] == 1
    r = run_cli("ingest", art.parent, "--db", db, "--json", "--model-dir", other, "--reextract")
    assert json.loads(r.stdout)["reextracted"] == 1
    with Store(str(db)) as st:
        [ext] = [x for x in st.stored_versions(st.article_ids()).values()]
    assert ext["attribution_weights"] == model.load(str(other)).digest
    assert np.isfinite(shipped.bias)


def test_train_with_reviews_small(cli, shared_dir, tmp_path):
    """A quick real run (10 PolNeAR articles): the reviewed article is exported and learned from, the
    weights land in --out, never in the shipped folder."""
    if not (shared_dir / "eval" / "polnear-train" / "attributions").is_dir():
        pytest.skip("no PolNeAR train split in shared/")
    rec = _record()
    db = tmp_path / "r.db"
    with Store(str(db)) as st:
        st.write(rec)
        _review(st, rec.id)
    out = tmp_path / "w"
    r = cli("train", "--with-reviews", db, "--out", out, "--shared", shared_dir, "--limit", "10",
            "--cache", "none", "--processes", "1")
    assert r.returncode == 0, r.stderr
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["articles"]["own_gold"] == 1 and meta["seed"] == 0 and meta["domains"] == ["G"]
    assert (out / "reviews-gold" / f"{rec.id}.json").is_file()
