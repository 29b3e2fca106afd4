"""The store: schema and migrations, the one-transaction write path, reading records back,
queries, full-text search, export, and clear errors.  Every test runs on SQLite and on PostgreSQL;
the PostgreSQL ones need $SOURCEBOOK_TEST_PG (``eval "$(bash scripts/ci-postgres.sh)"`` starts a
server and sets it) and are skipped without it."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest
import sqlalchemy as sa

from sourcebook import extract_many
from sourcebook.demo import sample_articles
from sourcebook.display import fmt_range
from sourcebook.export import display_columns, export
from sourcebook.record import Quote, Record, Source
from sourcebook.store import Store, StoreError, fts5_query, outlet_of, resolve_url
from sourcebook.store import schema as S


@pytest.fixture
def store(db_url):
    with Store(db_url) as st:
        yield st


@pytest.fixture(scope="module")
def sample_records() -> list[Record]:
    return list(extract_many(sample_articles()))


# --------------------------------------------------------------------------- schema


def test_migrations_build_exactly_the_documented_tables(store):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    head = _head_revision()
    assert store.revision() == head
    with store.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": _not_fts})
        assert compare_metadata(ctx, S.metadata) == []
        names = set(sa.inspect(conn).get_table_names())
    assert set(S.TABLES) <= names
    if store.backend == "sqlite":
        assert {"articles_fts", "quotes_fts"} <= names
    # opening again is a no-op (already at head)
    with Store(store.url.render_as_string(hide_password=False)) as again:
        assert again.revision() == head
        assert again.table_sizes() == {t: 0 for t in S.TABLES}


def test_an_older_database_is_upgraded_when_opened(db_url, sample_records):
    from alembic import command
    from alembic.config import Config

    from sourcebook.store.core import MIGRATIONS

    engine = sa.create_engine(resolve_url(db_url))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
    engine.dispose()
    with Store(db_url) as st:
        assert st.revision() == _head_revision()
        assert st.write(sample_records[0]) == "ingested"
        assert st.record(sample_records[0].id).to_dict() == sample_records[0].to_dict()


def _head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from sourcebook.store.core import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def _not_fts(obj, name, type_, reflected, compare_to):
    return not (name or "").startswith(("articles_fts", "quotes_fts", "ix_articles_fts", "ix_quotes_fts"))


def test_sqlite_file_is_plain_wal_with_foreign_keys(tmp_path):
    path = tmp_path / "plain.db"
    with Store(str(path)) as st:
        with st.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    # any SQLite client opens it: the standard library, no sourcebook code
    con = sqlite3.connect(path)
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"articles", "sources", "source_mentions", "quotes", "counts", "events", "places", "dates",
            "extraction_runs", "skipped"} <= tables
    con.close()


# --------------------------------------------------------------------------- the write path


def test_records_round_trip_and_every_row_points_into_the_text(store, sample_records):
    for rec in sample_records:
        assert store.write(rec, origin="sample.jsonl") == "ingested"
    for rec in sample_records:
        back = store.record(rec.id)
        assert back is not None and back.to_dict() == rec.to_dict()
    with store.engine.connect() as conn:
        texts = dict(conn.execute(sa.select(S.articles.c.id, S.articles.c.text)).all())
        for table in (S.sources, S.source_mentions, S.quotes, S.counts, S.events, S.places, S.dates):
            rows = conn.execute(sa.select(table)).mappings().all()
            assert rows, table.name
            for r in rows:
                assert r["article_id"] in texts
                if "text" in r and r["start_char"] is not None:
                    assert texts[r["article_id"]][r["start_char"]:r["end_char"]] == r["text"], table.name
                if table is not S.source_mentions:
                    assert r["extractor"].startswith("sourcebook_")
                    assert r["extractor_version"].startswith(r["extractor"].rsplit("_", 1)[-1] + "+")
        for r in conn.execute(sa.select(S.quotes).where(S.quotes.c.cue.is_not(None))).mappings():
            assert texts[r["article_id"]][r["cue_start"]:r["cue_end"]] == r["cue"]
        for r in conn.execute(sa.select(S.sources).where(S.sources.c.anonymity_reason.is_not(None))).mappings():
            start, end = r["anonymity_reason_start"], r["anonymity_reason_end"]
            assert texts[r["article_id"]][start:end] == r["anonymity_reason"]
        art = conn.execute(sa.select(S.articles).where(S.articles.c.id == sample_records[0].id)).mappings().one()
    assert art["outlet"] == "example.org" and art["origin"] == "sample.jsonl"
    assert art["extractors"] == sample_records[0].extractors and art["model"] == sample_records[0].extractors["model"]
    assert len(art["hash"]) == 64 and art["hash"].startswith(art["id"])
    assert store.incomplete_articles() == []


def test_writing_twice_stores_once_and_replace_keeps_the_first_ingest_time(store, sample_records):
    rec = sample_records[0]
    assert store.write(rec) == "ingested"
    before = store.table_sizes()
    first = store.sources(article=rec.id)
    assert store.write(rec) == "unchanged"
    assert store.table_sizes() == before
    assert store.write(rec, replace=True) == "reextracted"
    assert store.table_sizes() == before
    assert store.record(rec.id).to_dict() == rec.to_dict()
    assert store.sources(article=rec.id) == first
    assert len(store.search("Tarsenia", articles=True, quotes=False)["articles"]) == 1  # FTS rows replaced, not doubled


def test_an_article_is_all_or_nothing(store):
    text = '"We will stay," the commander said. Officials said 40 fighters left.'
    bad = Record(
        text=text,
        sources=[Source("S1", None, "the commander", "commander", True, extractor="sourcebook_attribution_v1")],
        quotes=[Quote("Q1", "S1", 1, 13, text[1:13], "direct", extractor="sourcebook_attribution_v1"),
                Quote("Q1", "S1", 1, 13, text[1:13], "direct", extractor="sourcebook_attribution_v1")],  # same id twice
        extractors={"model": "m", "sourcebook_attribution_v1": "v1"},
    )
    with pytest.raises(sa.exc.IntegrityError):
        store.write(bad)
    assert store.table_sizes() == {t: 0 for t in S.TABLES}
    assert store.search("commander")["articles"] == []


def test_delete_removes_the_article_everywhere(store, sample_records):
    for rec in sample_records[:2]:
        store.write(rec)
    gone = sample_records[0]
    assert store.delete(gone.id)
    assert store.record(gone.id) is None
    assert store.sources(article=gone.id) == [] and store.quotes(article=gone.id) == []
    assert all(h["article_id"] != gone.id for h in store.search("Tarsenia")["articles"])
    assert store.table_sizes()["articles"] == 1 and store.incomplete_articles() == []


def test_incomplete_articles_catches_a_hand_edited_database(store, sample_records):
    rec = sample_records[0]
    store.write(rec)
    with store.engine.begin() as conn:
        conn.execute(S.quotes.delete().where(S.quotes.c.article_id == rec.id, S.quotes.c.quote_id == "Q1"))
    assert store.incomplete_articles() == [rec.id]


def test_runs_and_skips_are_logged(store):
    run = store.begin_run(extractors={"model": "m", "sourcebook": "0"}, inputs=["a", "b"], workers=2)
    from sourcebook.read import Skip

    assert store.add_skips(run, [Skip("a/x.bin", "binary", "not text"), Skip("b:3", "bad_json", "line 3")]) == 2
    store.finish_run(run, n_documents=5, n_ingested=3, n_skipped=2, total_seconds=1.5)
    (r,) = store.runs()
    assert r["status"] == "finished" and r["n_ingested"] == 3 and r["inputs"] == ["a", "b"] and r["finished_at"]
    assert [(s["origin"], s["reason"]) for s in store.skipped(run)] == [("a/x.bin", "binary"), ("b:3", "bad_json")]


# --------------------------------------------------------------------------- queries


@pytest.fixture
def filled(store, sample_records):
    for rec in sample_records:
        store.write(rec)
    return store


def test_sources_filters(filled, sample_records):
    all_sources = filled.sources(limit=None)
    assert len(all_sources) == sum(len(r.sources) for r in sample_records)
    anon = filled.sources(anonymous=True, limit=None)
    named = filled.sources(anonymous=False, limit=None)
    assert anon and named and len(anon) + len(named) == len(all_sources)
    assert all(r["anonymous"] and r["name"] is None for r in anon)
    assert all(r["name"] for r in named)
    okafor = filled.sources(name="okafor", limit=None)
    assert okafor and all("okafor" in (r["name"] or r["mention"]).lower() for r in okafor)
    assert len(filled.sources(limit=3)) == 3
    published = [r["published"] for r in all_sources]
    assert published == sorted(published, reverse=True)
    json.dumps(all_sources)  # plain values only


def test_quotes_filters(filled, sample_records):
    okafor = filled.quotes(source="Okafor", limit=None)
    expected = sum(1 for r in sample_records for q in r.quotes
                   if q.source != "REPORTER" and "okafor" in ((r.source(q.source).name
                                                               or "") + r.source(q.source).mention).lower())
    assert okafor and len(okafor) == expected
    assert all(q["source_name"] == "Maria Okafor" or "Okafor" in q["source_mention"] for q in okafor)
    direct = filled.quotes(type="direct", limit=None)
    assert direct and all(q["type"] == "direct" for q in direct)
    assert all(q["anonymous"] for q in filled.quotes(anonymous=True, limit=None))
    assert filled.quotes(source="nobody by this name") == []
    assert filled.quotes(source="100%_") == []  # LIKE wildcards are literal


def test_counts_filters(filled, sample_records):
    all_counts = filled.counts(limit=None)
    assert len(all_counts) == sum(len(r.counts) for r in sample_records)
    statuses = {c["status"] for c in all_counts}
    for status in statuses:
        rows = filled.counts(status=status, limit=None)
        assert rows and all(r["status"] == status for r in rows)
    origins = {c["origin"] for c in all_counts if c["origin"]}
    for origin in origins:
        assert all(r["origin"] == origin for r in filled.counts(origin=origin.lower(), limit=None))
    dates = sorted({c["published"] for c in all_counts})
    late = filled.counts(since=dates[-1], limit=None)
    assert late and all(r["published"] >= dates[-1] for r in late)
    early = filled.counts(until=dates[0], limit=None)
    assert early and all(r["published"] <= dates[0] for r in early)
    assert len(late) < len(all_counts)


def test_summary_matches_the_records(filled, sample_records):
    from sourcebook.demo import summarize

    s = filled.summary()
    expected = summarize(sample_records)
    for key in ("articles", "sources", "anonymous", "quotes", "figures"):
        assert s[key] == expected[key], key
    assert s["quotes_by_type"] == expected["quotes_by_type"]


# --------------------------------------------------------------------------- full text


def test_search_finds_articles_and_quotes_with_snippets(filled):
    hits = filled.search("amnesty")
    assert hits["articles"] and hits["quotes"]
    top = hits["articles"][0]
    assert top["title"] == "First returnees come home under amnesty deal"
    assert "**amnesty**" in top["snippet"].lower() or "**amnesty" in top["snippet"].lower()
    assert all("amnesty" in filled.record(q["article_id"]).quotes[0].text.lower() or q["snippet"]
               for q in hits["quotes"])
    # stemming on both backends: "returnee" finds "returnees"
    assert any(h["title"] == "First returnees come home under amnesty deal"
               for h in filled.search("returnee")["articles"])
    # a phrase, OR, and a word that must not match
    assert filled.search('"coming home"')["quotes"]
    assert filled.search("zzzyxnotaword")["articles"] == []
    with_or = {h["article_id"] for h in filled.search("amnesty OR Brezan")["articles"]}
    assert len(with_or) >= 2
    minus = {h["article_id"] for h in filled.search("Orma -Brezan")["articles"]}
    assert minus and all("Brezan" not in filled.record(a).text for a in minus)
    only_quotes = filled.search("amnesty", articles=False)
    assert only_quotes["articles"] == [] and only_quotes["quotes"]


@pytest.mark.parametrize("query", ['"', "*", "AND", "OR", "NOT", "(", "a:b", "-", "'; DROP TABLE articles; --",
                                   "NEAR(a b)", "\u27e6", "**"])
def test_search_never_fails_on_odd_input(filled, query):
    hits = filled.search(query)
    assert set(hits) == {"articles", "quotes"}
    assert filled.table_sizes()["articles"] == 6


def test_fts5_query_syntax():
    assert fts5_query("amnesty deal") == '"amnesty" AND "deal"'
    assert fts5_query('"coming home" Okafor') == '"coming home" AND "Okafor"'
    assert fts5_query("amnesty OR truce") == '("amnesty" OR "truce")'
    assert fts5_query("Orma -Brezan") == '("Orma") NOT "Brezan"'
    assert fts5_query("return*") == '"return"*'
    assert fts5_query("-only") == "" and fts5_query('" * ( ') == ""


# --------------------------------------------------------------------------- export


def test_export_every_table_in_every_format(filled, tmp_path):
    import pyarrow.parquet as pq

    sizes = filled.table_sizes()
    for fmt in ("csv", "jsonl", "parquet"):
        done = export(filled, tmp_path / fmt, fmt)
        assert set(done) == set(S.TABLES) - set(S.INDEX_TABLES)  # the index tables only when asked for
        for name, info in done.items():
            assert info["rows"] == sizes[name]
            path = info["path"]
            assert path.endswith(f"{name}.{fmt}")
            if fmt == "csv":
                with open(path, newline="", encoding="utf-8") as f:
                    rows = list(csv.reader(f))
                assert rows[0] == list(S.TABLES[name].c.keys()) + list(display_columns(name))
                assert len(rows) == sizes[name] + 1
            elif fmt == "jsonl":
                with open(path, encoding="utf-8") as f:
                    rows = [json.loads(line) for line in f]
                assert len(rows) == sizes[name]
            else:
                table = pq.read_table(path)
                assert table.num_rows == sizes[name]
                assert table.column_names == list(S.TABLES[name].c.keys()) + list(display_columns(name))
    arts = pq.read_table(tmp_path / "parquet" / "articles.parquet").to_pylist()
    assert {a["id"] for a in arts} == set(filled.article_ids())
    assert str(pq.read_table(tmp_path / "parquet" / "articles.parquet").schema.field("published").type) == "date32[day]"
    with open(tmp_path / "jsonl" / "counts.jsonl", encoding="utf-8") as f:
        first = json.loads(f.readline())
    assert isinstance(first["approximate"], bool) and first["article_id"] in filled.article_ids()
    # the display column writes the range as every other face does
    assert first["range"] == fmt_range(first["low"], first["high"])
    assert set(display_columns("counts")) == {"range"} and display_columns("articles") == {}
    with pytest.raises(StoreError):
        export(filled, tmp_path / "x", "xlsx")


# --------------------------------------------------------------------------- opening


def test_urls():
    assert resolve_url("postgresql://u:p@h:5/d").drivername == "postgresql+psycopg"
    assert resolve_url("postgres://u:p@h/d").drivername == "postgresql+psycopg"
    assert resolve_url("some/file.db").drivername == "sqlite+pysqlite"
    assert resolve_url("sqlite:///x.db").database == "x.db"
    with pytest.raises(StoreError, match="unsupported"):
        resolve_url("mysql://u@h/d")
    assert outlet_of("https://www.Reuters.com/world/x") == "reuters.com"
    assert outlet_of("not a url") is None and outlet_of(None) is None


def test_default_database_is_sourcebook_db_or_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCEBOOK_DB", raising=False)
    assert resolve_url(None).database == "sourcebook.db"
    monkeypatch.setenv("SOURCEBOOK_DB", str(tmp_path / "env.db"))
    assert resolve_url(None).database == str(tmp_path / "env.db")


def test_sqlite_open_errors_are_one_clear_line(tmp_path):
    cases = {
        str(tmp_path / "no" / "such" / "folder" / "x.db"): "does not exist",
        str(tmp_path): "is a folder",
    }
    notdb = tmp_path / "notes.db"
    notdb.write_bytes(b"this is not a database, just some text " * 100)
    cases[str(notdb)] = "not a database"
    for url, words in cases.items():
        with pytest.raises(StoreError) as err:
            Store(url)
        assert words in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(StoreError, match="no database at"):
        Store(str(tmp_path / "missing.db"), create=False)
    assert not (tmp_path / "missing.db").exists()


def test_postgresql_open_error_hides_the_password():
    with pytest.raises(StoreError) as err:
        Store("postgresql://someone:s3cret@127.0.0.1:1/nothing")
    msg = str(err.value)
    assert "s3cret" not in msg and "cannot open the database" in msg and "\n" not in msg
