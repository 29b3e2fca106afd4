"""``sourcebook ingest``: idempotence, crash safety (SIGKILL midway), bad input inside a batch,
a reader during an ingest, --reextract, progress and summary, clear errors; the demo.

Every database test runs on SQLite and on PostgreSQL ($SOURCEBOOK_TEST_PG, see test_store.py).
Articles are generated in tmp_path from the dev texts in shared/corpus/dev with small variations
(never copied into the repository)."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from sourcebook import extract_many
from sourcebook.ingest import ingest, robust_extract
from sourcebook.read import Document
from sourcebook.record import article_id
from sourcebook.store import DATA_TABLES, Store
from sourcebook.store import schema as S
from sourcebook.terminal import RichProgress

REPO = Path(__file__).resolve().parents[1]
PG_ENV = "SOURCEBOOK_TEST_PG"


# --------------------------------------------------------------------------- fixtures




def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env["COLUMNS"] = "200"
    return env


_SENTENCE = re.compile(r"(?<=[.!?\"”])\s+(?=[\"“A-Z])")


def variants(shared: Path, n: int, sentences: int = 3) -> list[dict]:
    """``n`` short articles cut from the dev texts: windows of a few sentences, each with its own
    report number (so every text, and every id, differs)."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared / "corpus" / "dev").glob("*.txt"))]
    assert texts, "no dev texts"
    split = [_SENTENCE.split(" ".join(t.split())) for t in texts]
    out = []
    for i in range(n):
        sents = split[i % len(split)]
        k = (i // len(split)) % max(1, len(sents) - sentences + 1)
        body = " ".join(sents[k:k + sentences])
        out.append({"text": f"{body}\nReport {i + 1}.", "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "url": f"https://news{i % 5}.example.org/a/{i}", "title": f"Report {i + 1}"})
    return out


def write_corpus(folder: Path, items: list[dict], n_txt: int = 20) -> None:
    """Most articles in JSON Lines files (100 a file), the first ``n_txt`` as .txt files."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "txt").mkdir(exist_ok=True)
    for i, it in enumerate(items[:n_txt]):
        (folder / "txt" / f"{i:04d}.txt").write_text(it["text"], encoding="utf-8")
    rest = items[n_txt:]
    for j in range(0, len(rest), 100):
        with open(folder / f"part-{j // 100:02d}.jsonl", "w", encoding="utf-8") as f:
            for it in rest[j:j + 100]:
                f.write(json.dumps(it) + "\n")


def expected_ids(items: list[dict]) -> set[str]:
    return {article_id(it["text"]) for it in items}


def data_sizes(store: Store) -> dict[str, int]:
    sizes = store.table_sizes()
    return {t: sizes[t] for t in DATA_TABLES}


def n_articles(url: str) -> int:
    with Store(url) as st:
        return st.table_sizes()["articles"]


# --------------------------------------------------------------------------- idempotence


def test_ingesting_the_same_folder_twice_changes_nothing(db_url, tmp_path, shared_dir):
    items = variants(shared_dir, 30)
    folder = tmp_path / "corpus"
    write_corpus(folder, items, n_txt=10)
    with Store(db_url) as store:
        first = ingest([folder], store)
        assert (first.ingested, first.unchanged, len(first.skipped)) == (30, 0, 0)
        sizes = data_sizes(store)
        assert sizes["articles"] == 30 and sizes["quotes"] > 0 and sizes["sources"] > 0
        second = ingest([folder], store)
        assert (second.ingested, second.unchanged, second.reextracted) == (0, 30, 0)
        assert data_sizes(store) == sizes
        assert set(store.article_ids()) == expected_ids(items)
        runs = store.runs()
        assert [r["status"] for r in runs] == ["finished", "finished"]
        assert runs[0]["n_unchanged"] == 30 and runs[1]["n_ingested"] == 30
        # a glob and a file given together, overlapping the folder: still nothing new
        third = ingest([str(folder / "txt" / "*.txt"), folder / "part-00.jsonl"], store)
        assert third.ingested == 0 and third.unchanged == 30 and data_sizes(store) == sizes
        # the same text twice in one batch is stored once
        dup = tmp_path / "dup"
        dup.mkdir()
        new = variants(shared_dir, 31)[-1]
        (dup / "a.txt").write_text(new["text"], encoding="utf-8")
        (dup / "b.txt").write_text("  " + new["text"].replace(" ", "  ") + "\n",
                                   encoding="utf-8")  # same normalized text
        fourth = ingest([dup], store)
        assert (fourth.ingested, fourth.unchanged) == (1, 1)


# --------------------------------------------------------------------------- crash safety


def test_sigkill_midway_then_rerun_stores_every_article_exactly_once(cli, db_url, tmp_path, shared_dir):
    items = variants(shared_dir, 120)
    folder = tmp_path / "corpus"
    write_corpus(folder, items)
    Store(db_url).close()  # create the schema first, so the poller below can read from the start
    proc = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "ingest", str(folder), "--db", db_url, "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    try:
        while n_articles(db_url) < 40:
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "ingest too slow"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    with Store(db_url) as store:
        stored_at_kill = store.table_sizes()["articles"]
        assert 40 <= stored_at_kill < len(items), "the kill came too late to test anything"
        assert store.incomplete_articles() == []
        killed_run = store.runs()[0]
        assert killed_run["status"] == "running" and killed_run["finished_at"] is None

    rerun = cli("ingest", folder, "--db", db_url, "--json")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["unchanged"] == stored_at_kill and summary["ingested"] == len(items) - stored_at_kill
    assert summary["skipped"] == 0

    with Store(db_url) as store:
        ids = store.article_ids()
        assert len(ids) == len(set(ids)) == len(items)  # every article exactly once
        assert set(ids) == expected_ids(items)
        assert store.incomplete_articles() == []  # none partial
        with store.engine.connect() as conn:
            # every article has all its records: stored rows agree with the completeness marker
            orphans = conn.execute(sa.text(
                "SELECT count(*) FROM quotes q LEFT JOIN articles a ON a.id = q.article_id "
                "WHERE a.id IS NULL")).scalar()
            assert orphans == 0
        # and the records are the right ones: a fresh extraction of a sample of the articles, among
        # them the last ones stored before the kill, gives the same records
        with store.engine.connect() as conn:
            last_before_kill = conn.execute(sa.select(S.articles.c.id).order_by(S.articles.c.extracted_at.desc())
                                            .where(S.articles.c.run_id == killed_run["id"]).limit(5)).scalars().all()
        by_id = {article_id(it["text"]): it for it in items}
        sample = list(dict.fromkeys(last_before_kill + ids[:: max(1, len(ids) // 12)]))
        fresh = extract_many([by_id[i] for i in sample])
        for aid, rec in zip(sample, fresh):
            assert rec.id == aid
            stored = store.record(aid).to_dict()
            expect = rec.to_dict()
            if aid in expected_ids(items[:20]):  # .txt files carry no url, title or date
                expect = dict(expect, url=None, title=None)
            for key in ("sources", "quotes", "counts", "text", "extractors"):
                assert stored[key] == expect[key], (aid, key)
        runs = store.runs()
        assert [r["status"] for r in runs] == ["finished", "running"]


# --------------------------------------------------------------------------- bad input


def test_bad_input_inside_a_batch_is_listed_and_nothing_else_is_lost(cli, db_url, tmp_path, shared_dir):
    items = variants(shared_dir, 8)
    folder = tmp_path / "batch"
    folder.mkdir()
    for i, it in enumerate(items[:3]):
        (folder / f"good{i}.txt").write_text(it["text"], encoding="utf-8")
    lines = [json.dumps(it) for it in items[3:6]]
    lines.insert(1, '{"text": "a broken line", ')
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "page.html").write_text(
        f"<html><head><title>{items[6]['title']}</title></head><body><article><p>{items[6]['text']}</p>"
        f"</article></body></html>", encoding="utf-8")
    (folder / "good7.txt").write_text(items[7]["text"], encoding="latin-1")  # not UTF-8 but decodable
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "garbage.txt").write_bytes(bytes(range(128, 256)) * 40)
    with open(folder / "huge.txt", "wb") as f:  # 50 MB (sparse: the size is checked before reading)
        f.truncate(50 * 1024 * 1024)

    proc = cli("ingest", folder, "--db", db_url)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    out = proc.stdout
    for origin, reason in (("image.txt", "binary"), ("empty.txt", "empty"), ("feed.jsonl:2", "bad_json"),
                           ("garbage.txt", "encoding"), ("huge.txt", "too_large")):
        assert re.search(re.escape(origin) + r" \(" + reason + r"\)", out), (origin, reason, out)
    assert re.search(r"ingested \(new\)\s+8\b", out), out
    assert re.search(r"skipped\s+5\b", out), out
    with Store(db_url) as store:
        assert set(store.article_ids()) == expected_ids(items)
        assert store.incomplete_articles() == []
        reasons = {(Path(s["origin"]).name, s["reason"]) for s in store.skipped()}
        assert reasons == {("image.txt", "binary"), ("empty.txt", "empty"), ("feed.jsonl:2", "bad_json"),
                           ("garbage.txt", "encoding"), ("huge.txt", "too_large")}
        run = store.runs()[0]
        assert run["n_skipped"] == 5 and run["n_ingested"] == 8 and run["status"] == "finished"
        html = [a for a in store.article_ids() if store.record(a).title == items[6]["title"]]
        assert len(html) == 1


def test_nothing_readable_is_an_error_but_skips_alone_are_not(cli, tmp_path):
    db = tmp_path / "x.db"
    (tmp_path / "only").mkdir()
    (tmp_path / "only" / "empty.txt").write_bytes(b"")
    proc = cli("ingest", tmp_path / "only", "--db", db)
    assert proc.returncode == 1
    assert "nothing ingested: 1 document(s) skipped" in proc.stderr and "Traceback" not in proc.stderr
    assert "empty.txt (empty)" in proc.stdout
    proc = cli("ingest", tmp_path / "nothing-here", "--db", db)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr


def test_an_extractor_failure_skips_that_document_only(tmp_path, monkeypatch, shared_dir):
    import sourcebook.api as api

    items = variants(shared_dir, 12)
    items[5] = dict(items[5], text=items[5]["text"] + " BOOM")
    real_many, real_one = api.extract_many, api.extract

    def many(docs, *a, **kw):
        for rec in real_many(docs, *a, **kw):
            if getattr(rec, "text", "").endswith("BOOM"):
                raise RuntimeError("component crashed")
            yield rec

    def one(text, *a, **kw):
        if text.endswith("BOOM"):
            raise RuntimeError("component crashed")
        return real_one(text, *a, **kw)

    monkeypatch.setattr(api, "extract_many", many)
    monkeypatch.setattr(api, "extract", one)
    docs = [Document(text=it["text"], origin=f"#{i}") for i, it in enumerate(items)]
    with pytest.raises(RuntimeError, match="component crashed"):  # strict mode (the tests'): a bug fails
        list(robust_extract(docs, batch_size=4))
    monkeypatch.delenv("SOURCEBOOK_STRICT")  # a user's run: the document is skipped, the batch goes on
    results = list(robust_extract(docs, batch_size=4))
    assert [d.origin for d, _ in results] == [d.origin for d in docs]
    kinds = [type(r).__name__ for _, r in results]
    assert kinds.count("Skip") == 1 and kinds[5] == "Skip"
    assert results[5][1].reason == "extract_error" and "component crashed" in results[5][1].message


# --------------------------------------------------------------------------- concurrency


def test_a_reader_never_sees_a_partial_article(db_url, tmp_path, shared_dir):
    items = variants(shared_dir, 60)
    folder = tmp_path / "corpus"
    write_corpus(folder, items)
    Store(db_url).close()
    proc = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "ingest", str(folder), "--db", db_url, "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), stdin=subprocess.DEVNULL)
    seen: set[int] = set()
    checks = 0
    mismatch = sa.text(
        "SELECT a.id FROM articles a "
        "LEFT JOIN (SELECT article_id, count(*) AS n FROM quotes GROUP BY article_id) q ON q.article_id = a.id "
        "LEFT JOIN (SELECT article_id, count(*) AS n FROM sources GROUP BY article_id) s ON s.article_id = a.id "
        "LEFT JOIN (SELECT article_id, count(*) AS n FROM counts GROUP BY article_id) c ON c.article_id = a.id "
        "WHERE a.n_quotes != coalesce(q.n, 0) OR a.n_sources != coalesce(s.n, 0) OR a.n_counts != coalesce(c.n, 0)")
    try:
        with Store(db_url) as reader:
            deadline = time.monotonic() + 600
            while proc.poll() is None and time.monotonic() < deadline:
                assert reader.incomplete_articles() == []
                with reader.engine.connect() as conn:
                    assert conn.execute(mismatch).all() == []
                    latest = conn.execute(sa.select(S.articles.c.id, S.articles.c.n_quotes, S.articles.c.n_counts)
                                          .order_by(S.articles.c.extracted_at.desc()).limit(1)).first()
                if latest is not None:
                    rec = reader.record(latest.id)
                    assert len(rec.quotes) == latest.n_quotes and len(rec.counts) == latest.n_counts
                seen.add(reader.table_sizes()["articles"])
                checks += 1
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        err = proc.stderr.read().decode()
        proc.stderr.close()
    assert proc.returncode == 0, err
    assert checks >= 10 and len(seen) >= 3, (checks, sorted(seen))  # the reader really ran during the ingest
    assert n_articles(db_url) == len(items)


# --------------------------------------------------------------------------- re-extraction


def test_reextract_redoes_only_articles_from_other_extractor_versions(db_url, tmp_path, shared_dir):
    items = variants(shared_dir, 6)
    folder = tmp_path / "c"
    write_corpus(folder, items, n_txt=0)
    old_id = article_id(items[2]["text"])
    with Store(db_url) as store:
        ingest([folder], store)
        sizes = data_sizes(store)
        current = store.record(old_id).extractors
        older = dict(current, sourcebook_attribution_v2="v0")
        with store.engine.begin() as conn:
            conn.execute(S.articles.update().where(S.articles.c.id == old_id).values(extractors=older))
        # a new package version alone does not make an article out of date
        other_pkg = article_id(items[3]["text"])
        with store.engine.begin() as conn:
            conn.execute(S.articles.update().where(S.articles.c.id == other_pkg)
                         .values(extractors=dict(current, sourcebook="0.0.1")))
        plain = ingest([folder], store)
        assert (plain.unchanged, plain.outdated, plain.reextracted) == (6, 1, 0)
        again = ingest([folder], store, reextract=True)
        assert (again.reextracted, again.unchanged, again.ingested) == (1, 5, 0)
        assert store.record(old_id).extractors == current
        assert data_sizes(store) == sizes and store.incomplete_articles() == []
        with store.engine.connect() as conn:
            run_of = conn.execute(sa.select(S.articles.c.run_id).where(S.articles.c.id == old_id)).scalar()
        assert run_of == again.run_id


# --------------------------------------------------------------------------- progress, summary, errors


def test_progress_bar_shows_rate_and_eta_on_a_terminal(tmp_path, shared_dir):
    from rich.console import Console

    folder = tmp_path / "c"
    write_corpus(folder, variants(shared_dir, 5), n_txt=5)
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=150, color_system=None)
    with Store(tmp_path / "p.db") as store, RichProgress(console) as progress:
        summary = ingest([folder], store, progress=progress)
    assert summary.ingested == 5
    shown = buf.getvalue()
    assert "articles/s" in shown and "ETA" in shown and "5/5" in shown


def test_cli_ingest_summary_and_json_and_no_progress_when_not_a_terminal(cli, tmp_path, shared_dir):
    folder = tmp_path / "c"
    write_corpus(folder, variants(shared_dir, 4), n_txt=4)
    db = tmp_path / "s.db"
    proc = cli("ingest", folder, "--db", db)
    assert proc.returncode == 0, proc.stderr
    assert "articles/s" not in proc.stderr  # no progress bar: stderr is not a terminal
    for words in ("documents read", "ingested (new)", "unchanged (already stored)", "re-extracted", "skipped"):
        assert words in proc.stdout
    proc = cli("ingest", folder, "--db", db, "--json")
    summary = json.loads(proc.stdout)
    assert summary["unchanged"] == 4 and summary["ingested"] == 0 and summary["run_id"] == 2


def test_an_unusable_database_is_one_line_and_a_non_zero_exit(cli, tmp_path, shared_dir):
    folder = tmp_path / "c"
    write_corpus(folder, variants(shared_dir, 1), n_txt=1)
    for db in (tmp_path / "no" / "such" / "x.db", "postgresql://who:s3cret@127.0.0.1:1/none", "mysql://a@b/c"):
        proc = cli("ingest", folder, "--db", db)
        assert proc.returncode == 1, (db, proc.stderr)
        lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1 and lines[0].startswith("error:"), proc.stderr
        assert "s3cret" not in proc.stderr
    proc = cli("sources", "--db", tmp_path / "missing.db")
    assert proc.returncode == 1 and "no database at" in proc.stderr and not (tmp_path / "missing.db").exists()


# --------------------------------------------------------------------------- query commands, demo


def test_query_and_export_commands(cli, tmp_path):
    db = tmp_path / "demo.db"
    proc = cli("demo", "--db", db, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for args, check in (
        (["sources", "--anonymous", "--json"], lambda rows: rows and all(r["anonymous"] for r in rows)),
        (["sources", "--named", "--json", "--limit", "0"], lambda rows: rows and all(r["name"] for r in rows)),
        (["quotes", "--source", "Okafor", "--json"], lambda rows: rows and all("Okafor" in (r["source_name"]
                                                                                            or r["source_mention"])
                                                                                            for r in rows)),
        (["counts", "--status", "returned", "--since", "2024-04-01", "--json"],
         lambda rows: rows and all(r["status"] == "returned" and r["published"] >= "2024-04-01" for r in rows)),
        (["search", "amnesty", "--json"], lambda hits: hits["articles"] and hits["quotes"]),
    ):
        proc = cli(*args, "--db", db)
        assert proc.returncode == 0, (args, proc.stderr)
        assert check(json.loads(proc.stdout)), args
    table = cli("quotes", "--source", "Okafor", "--db", db)
    assert table.returncode == 0 and "Maria Okafor" in table.stdout and "Quotes" in table.stdout
    table = cli("search", '"coming home"', "--db", db)
    assert table.returncode == 0 and "coming home" in table.stdout.lower()
    assert cli("counts", "--since", "yesterday", "--db", db).returncode == 2
    for fmt in ("csv", "jsonl", "parquet"):
        proc = cli("export", "--format", fmt, "--out", tmp_path / fmt, "--db", db)
        assert proc.returncode == 0, proc.stderr
        assert {p.name for p in (tmp_path / fmt).iterdir()} == {f"{t}.{fmt}" for t in S.TABLES
                                                                if t not in S.INDEX_TABLES}


def test_demo_ingests_the_sample_into_sourcebook_db_in_the_current_folder(cli, tmp_path):
    first = cli("demo", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "sourcebook.db").exists()
    assert "6 new" in first.stdout and "INVENTED" in first.stdout and "anonymous share" in first.stdout
    second = cli("demo", cwd=tmp_path)
    assert second.returncode == 0 and "6 already there" in second.stdout
    with Store(tmp_path / "sourcebook.db") as store:
        assert store.table_sizes()["articles"] == 6 and store.incomplete_articles() == []
