"""Review (sourcebook.review): accept, correct, reject and undo any source, quote or figure; every
change logged with who, when, before and after; effective values for pages and exports.  Runs on
SQLite and on PostgreSQL ($SOURCEBOOK_TEST_PG)."""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta

import pytest
from test_web_support import make_record

from sourcebook import review as R
from sourcebook.export import export
from sourcebook.store import Store
from sourcebook.store import schema as S


@pytest.fixture
def store(db_url):
    with Store(db_url) as st:
        yield st


@pytest.fixture
def rec(store):
    r = make_record()
    store.write(r)
    return r


def _csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_migration_0002_is_the_head_and_matches_schema(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert store.revision() >= "0002"
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": lambda o, name, t, r,
                                                     c: not (name or "").startswith(
            ("articles_fts", "quotes_fts", "ix_articles_fts", "ix_quotes_fts"))})
        diffs = [d for d in compare_metadata(ctx, S.metadata) if "review" in repr(d)]
    assert diffs == []


def test_correct_a_figure_logs_who_when_before_after_and_changes_only_the_overlay(store, rec):
    t0 = datetime.now(UTC) - timedelta(seconds=5)
    done = R.review(store, "count", rec.id, "C1", "correct", changes={"low": "1,200", "high": 1500}, user="ana",
                    note="the ministry's later figure")
    assert done["before"] == {"decision": None, "low": 1500, "high": 1500, "status": "returned", "origin": None,
                              "source": "S1", "counted": "fighters"}
    assert done["after"] == dict(done["before"], decision="corrected", low=1200)
    [log] = R.history(store)
    assert log["reviewer"] == "ana" and log["action"] == "correct" and log["note"] == "the ministry's later figure"
    at = log["at"] if log["at"].tzinfo else log["at"].replace(tzinfo=UTC)
    assert t0 <= at <= datetime.now(UTC) + timedelta(seconds=5)
    assert log["before"]["low"] == 1500 and log["after"]["low"] == 1200
    # the extracted rows are untouched: the record reads back as written
    assert store.record(rec.id).to_dict() == rec.to_dict()
    it = R.item(store, "count", rec.id, "C1")
    assert it["extracted"]["low"] == 1500 and it["values"]["low"] == 1200 and it["decision"] == "corrected"
    counts = {c["count_id"]: c for c in R.effective_items(store, rec.id)["counts"]}
    assert (counts["C1"]["low"], counts["C1"]["high"], counts["C1"]["decision"]) == (1200, 1500, "corrected")
    assert (counts["C2"]["low"], counts["C2"]["decision"]) == (200, None)


def test_every_correctable_field(store, rec):
    R.review(store, "count", rec.id, "C2", "correct",
             changes={"status": "killed", "origin": "fr", "source": "S1", "counted": "French nationals"})
    R.review(store, "quote", rec.id, "Q3", "correct", changes={"source": "S1", "type": "mixed"})
    R.review(store, "source", rec.id, "S2", "correct",
             changes={"name": "Jan Novak", "anonymous": "named", "role": "envoy", "affiliation": "EU", "kind": "group"})
    items = R.effective_items(store, rec.id)
    c2 = next(c for c in items["counts"] if c["count_id"] == "C2")
    assert (c2["status"], c2["origin"], c2["source_id"], c2["counted"]) == ("killed", "FR", "S1", "French nationals")
    q3 = next(q for q in items["quotes"] if q["quote_id"] == "Q3")
    assert (q3["source_id"], q3["type"]) == ("S1", "mixed")
    s2 = next(s for s in items["sources"] if s["source_id"] == "S2")
    assert (s2["name"], bool(s2["anonymous"]), s2["role"], s2["affiliation"], s2["kind"]) == (
        "Jan Novak", False, "envoy", "EU", "group")
    # accept keeps the values in force; reset goes back to the extracted ones
    R.review(store, "source", rec.id, "S2", "accept")
    assert R.item(store, "source", rec.id, "S2")["values"]["name"] == "Jan Novak"
    R.review(store, "source", rec.id, "S2", "reset")
    assert R.item(store, "source", rec.id, "S2") == {
        "kind": "source", "article_id": rec.id, "item_id": "S2", "decision": None,
        "extracted": R.item(store, "source", rec.id, "S2")["extracted"],
        "values": R.item(store, "source", rec.id, "S2")["extracted"]}
    assert [r["action"] for r in R.history(store, kind="source")] == ["reset", "accept", "correct"]
    assert R.decisions(store) == {"accepted": 0, "corrected": 2, "rejected": 0, "reviews": 5}


def test_rejected_items_are_hidden_and_so_are_those_of_a_rejected_source(store, rec):
    R.review(store, "quote", rec.id, "Q2", "reject")
    vis = R.effective_items(store, rec.id, include_hidden=False)
    assert [q["quote_id"] for q in vis["quotes"]] == ["Q1", "Q3"]
    # reassign Q3 to S1, then reject S2: Q3 stays (now S1's), C2 (S2's figure) goes with its source
    R.review(store, "quote", rec.id, "Q3", "correct", changes={"source": "S1"})
    R.review(store, "source", rec.id, "S2", "reject")
    vis = R.effective_items(store, rec.id, include_hidden=False)
    assert [s["source_id"] for s in vis["sources"]] == ["S1"]
    assert [q["quote_id"] for q in vis["quotes"]] == ["Q1", "Q3"]
    assert [c["count_id"] for c in vis["counts"]] == ["C1"]
    every = R.effective_items(store, rec.id)
    assert {c["count_id"]: bool(c["hidden"]) for c in every["counts"]} == {"C1": False, "C2": True}
    # undoing the source's rejection brings its figure back
    R.review(store, "source", rec.id, "S2", "reset")
    assert [c["count_id"] for c in R.effective_items(store, rec.id, include_hidden=False)["counts"]] == ["C1", "C2"]


@pytest.mark.parametrize("kind, item, changes, message", [
    ("count", "C1", {"low": 2000}, "greater than high"),
    ("count", "C1", {"low": "-3"}, "whole number"),
    ("count", "C1", {"high": "lots"}, "whole number"),
    ("count", "C1", {"status": "vanished"}, "status must be one of"),
    ("count", "C1", {"origin": "Saudi"}, "ISO 3166-1"),
    ("count", "C1", {"origin": "XX"}, "not an ISO 3166-1"),
    ("count", "C1", {"source": "S9"}, "source must be REPORTER or a source"),
    ("count", "C1", {"number": "5"}, "cannot change number"),
    ("count", "C1", {"low": 1500}, "nothing changed"),
    ("count", "C1", {}, "at least one field"),
    ("quote", "Q1", {"type": "shouted"}, "type must be one of"),
    ("quote", "Q1", {"source": "REPORTER"}, "not to REPORTER"),
    ("source", "S1", {"kind": "robot"}, "kind must be one of"),
    ("source", "S1", {"anonymous": "maybe"}, "true or false"),
    ("count", "C9", {"low": 1}, "no count 'C9'"),
])
def test_bad_corrections_are_refused_with_one_line_and_change_nothing(store, rec, kind, item, changes, message):
    with pytest.raises(R.ReviewError, match=message):
        R.review(store, kind, rec.id, item, "correct", changes=changes)
    assert R.history(store) == [] and store.table_sizes()["review_state"] == 0


def test_bad_kinds_and_actions(store, rec):
    with pytest.raises(R.ReviewError, match="unknown kind"):
        R.review(store, "figure", rec.id, "C1", "accept")
    with pytest.raises(R.ReviewError, match="unknown action"):
        R.review(store, "count", rec.id, "C1", "approve")
    with pytest.raises(R.ReviewError, match="takes no changes"):
        R.review(store, "count", rec.id, "C1", "accept", changes={"low": 1})
    with pytest.raises(R.ReviewError, match="in article"):
        R.review(store, "count", "0000000000000000", "C1", "accept")


def test_default_reviewer_is_the_env_or_os_user(store, rec, monkeypatch):
    monkeypatch.setenv(R.ENV_USER, "desk-editor")
    assert R.review(store, "count", rec.id, "C1", "accept")["reviewer"] == "desk-editor"
    monkeypatch.delenv(R.ENV_USER)
    assert R.default_user() and R.default_user() != "desk-editor"


def test_a_decision_does_not_move_to_another_item_after_reextraction(store, rec):
    R.review(store, "count", rec.id, "C1", "reject")
    assert [c["count_id"] for c in R.effective_items(store, rec.id, include_hidden=False)["counts"]] == ["C2"]
    # a new extraction of the same article numbers its figures the other way round
    again = make_record()
    c1, c2 = again.counts
    c1.id, c2.id = "C2", "C1"
    again.counts = [c2, c1]
    assert store.write(again, replace=True) == "reextracted"
    vis = R.effective_items(store, rec.id, include_hidden=False)["counts"]
    assert sorted(c["count_id"] for c in vis) == ["C1", "C2"]  # the old C1 decision applies to neither
    assert R.item(store, "count", rec.id, "C1")["decision"] is None
    assert len(R.history(store)) == 1  # the log keeps it


def test_export_without_reviews_is_the_stored_rows(store, rec, tmp_path):
    store.write(make_record(text=make_record().text + "\n\nA second, invented paragraph.", title="Second", url=None))
    a = export(store, tmp_path / "eff", "csv")
    b = export(store, tmp_path / "raw", "csv", corrected=False)
    assert set(a) == set(b) and "reviews" in a and "review_state" in a
    for name in a:
        assert open(a[name]["path"], encoding="utf-8").read() == open(b[name]["path"], encoding="utf-8").read(), name


def test_export_writes_corrected_values_and_leaves_out_rejected_items(store, rec, tmp_path):
    R.review(store, "count", rec.id, "C2", "correct", changes={"low": 150, "high": 250}, user="ana")
    R.review(store, "quote", rec.id, "Q2", "reject", user="ana")
    for fmt in ("csv", "jsonl", "parquet"):
        export(store, tmp_path / fmt, fmt)
    counts = {r["count_id"]: r for r in _csv(tmp_path / "csv" / "counts.csv")}
    assert (counts["C2"]["low"], counts["C2"]["high"]) == ("150", "250") and counts["C1"]["low"] == "1500"
    assert [r["quote_id"] for r in _csv(tmp_path / "csv" / "quotes.csv")] == ["Q1", "Q3"]
    [art] = _csv(tmp_path / "csv" / "articles.csv")
    assert (art["n_quotes"], art["n_counts"], art["n_sources"]) == ("2", "2", "2")
    s1 = next(r for r in _csv(tmp_path / "csv" / "sources.csv") if r["source_id"] == "S1")
    assert s1["n_quotes"] == "1"
    log = _csv(tmp_path / "csv" / "reviews.csv")
    assert [(r["item_id"], r["action"], r["reviewer"]) for r in log] == [("C2", "correct", "ana"), ("Q2", "reject",
                                                                                                    "ana")]
    import pyarrow.parquet as pq

    t = pq.read_table(tmp_path / "parquet" / "counts.parquet").to_pylist()
    assert {r["count_id"]: r["low"] for r in t} == {"C1": 1500, "C2": 150}
    raw = export(store, tmp_path / "raw", "csv", tables=["counts"], corrected=False)
    assert {r["count_id"]: r["low"] for r in _csv(raw["counts"]["path"])} == {"C1": "1500", "C2": "200"}


def _cli_json(cli, *args: str) -> list[dict]:
    import json

    done = cli(*args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_queries_and_their_commands_show_reviewed_values_unless_asked_for_the_extracted_ones(cli, store, rec, db_url):
    R.review(store, "count", rec.id, "C1", "correct", changes={"low": 1200, "status": "detained"}, user="ana")
    R.review(store, "quote", rec.id, "Q2", "reject", user="ana")
    R.review(store, "source", rec.id, "S1", "correct", changes={"name": "Maria N. Okafor"}, user="ana")
    # the library
    c1 = {r["count_id"]: r for r in store.counts(article=rec.id)}["C1"]
    assert (c1["low"], c1["high"], c1["status"], c1["decision"]) == (1200, 1500, "detained", "corrected")
    assert [r["count_id"] for r in store.counts(article=rec.id, status="detained")] == ["C1", "C2"]
    raw = {r["count_id"]: r for r in store.counts(article=rec.id, corrected=False)}["C1"]
    assert (raw["low"], raw["status"]) == (1500, "returned") and "decision" not in raw
    assert [q["quote_id"] for q in store.quotes(article=rec.id)] == ["Q1", "Q3"]
    assert [q["quote_id"] for q in store.quotes(article=rec.id, corrected=False)] == ["Q1", "Q2", "Q3"]
    assert {q["source_name"] for q in store.quotes(article=rec.id, source="Okafor")} == {"Maria N. Okafor"}
    assert [s["name"] for s in store.sources(article=rec.id, name="Maria N.")] == ["Maria N. Okafor"]
    # the commands
    got = {r["count_id"]: r for r in _cli_json(cli, "counts", "--db", db_url, "--article", rec.id)}
    assert (got["C1"]["low"], got["C1"]["status"], got["C1"]["decision"]) == (1200, "detained", "corrected")
    got = {r["count_id"]: r for r in _cli_json(cli, "counts", "--db", db_url, "--article", rec.id, "--extracted")}
    assert (got["C1"]["low"], got["C1"]["status"]) == (1500, "returned")
    assert [q["quote_id"] for q in _cli_json(cli, "quotes", "--db", db_url, "--article", rec.id)] == ["Q1", "Q3"]
    assert "Maria N. Okafor" in {s["name"] for s in _cli_json(cli, "sources", "--db", db_url, "--article", rec.id)}
