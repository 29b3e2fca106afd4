"""Corpus scale (scale.py, read/parquet.py, the streaming ingest loop): a worker of a Dask
LocalCluster killed during an ingest loses nothing and stores nothing twice; Parquet input; the
ingest loop reads, extracts and writes as a stream; the CLI options.

Articles are generated in tmp_path from the dev texts in shared/corpus/dev (test_ingest.variants),
never copied into the repository."""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

import pytest

from sourcebook.ingest import ingest
from sourcebook.read import Document, Skip, iter_documents
from sourcebook.record import article_id
from sourcebook.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_ingest import expected_ids, variants, write_corpus

pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")


# --------------------------------------------------------------------------- a worker killed


class KillOneWorker:
    """An ingest progress hook that SIGKILLs a busy worker process once ``after`` articles are stored."""

    def __init__(self, client, after: int):
        self.client, self.after = client, after
        self.done = 0
        self.killed: dict | None = None
        self.stored_at_kill = 0

    def reading(self, n_read, n_skipped):
        pass

    def start(self, total):
        pass

    def advance(self, n=1):
        self.done += n
        if self.killed is None and self.done >= self.after:
            pids = self.client.run(os.getpid)
            busy = {addr: keys for addr, keys in self.client.processing().items() if keys}
            assert busy, "no worker was busy: nothing in flight to lose"
            addr = sorted(busy, key=lambda a: -len(busy[a]))[0]
            os.kill(pids[addr], signal.SIGKILL)
            self.killed = {"address": addr, "pid": pids[addr], "tasks": list(busy[addr])}
            self.stored_at_kill = self.done


@pytest.mark.parametrize("allowed_failures", [3, 0], ids=["scheduler-reruns", "runner-resubmits"])
def test_a_worker_killed_during_ingest_loses_nothing_and_stores_nothing_twice(tmp_path, shared_dir,
                                                                             allowed_failures):
    """allowed_failures=3 (Dask's default): the scheduler reruns the lost tasks on another worker.
    allowed_failures=0: the scheduler gives up at once (KilledWorker) and DaskRunner resubmits."""
    import dask
    from distributed import Client, LocalCluster

    from sourcebook import scale

    items = variants(shared_dir, 120)
    folder = tmp_path / "corpus"
    write_corpus(folder, items, n_txt=20)
    db = tmp_path / "scale.db"
    lost_before = []
    real_lost = scale.DaskRunner._lost

    def spy(self, batch, err, retry):
        lost_before.append((batch.no, type(err).__name__))
        return real_lost(self, batch, err, retry)

    with dask.config.set({"distributed.scheduler.allowed-failures": allowed_failures}):
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=40)
        client = Client(cluster)
        try:
            hook = KillOneWorker(client, after=40)
            scale.DaskRunner._lost = spy
            try:
                with Store(db) as store:
                    summary = ingest([folder], store, scheduler=client, batch_size=8, progress=hook)
            finally:
                scale.DaskRunner._lost = real_lost
            # the killed worker really died, and its nanny started another
            assert hook.killed is not None
            assert hook.killed["pid"] not in client.run(os.getpid).values()
        finally:
            client.close()
            cluster.close()

    assert 40 <= hook.stored_at_kill < len(items), "the kill came too late to test anything"
    if allowed_failures == 0:
        assert lost_before, "the scheduler gave up on no batch: the runner's resubmission was not exercised"
        assert {name for _, name in lost_before} <= {"KilledWorker"}
    assert (summary.ingested, summary.unchanged, len(summary.skipped)) == (len(items), 0, 0), summary.to_dict()
    with Store(db) as store:
        ids = store.article_ids()
        assert len(ids) == len(set(ids)) == len(items)  # every article exactly once
        assert set(ids) == expected_ids(items)  # none missing
        assert store.incomplete_articles() == []  # none partial
        run = store.runs()[0]
        assert run["status"] == "finished" and run["n_ingested"] == len(items)
        # the records are whole: the article's counts agree with a fresh look at one of them
        rec = store.record(article_id(items[-7]["text"]))
        assert rec is not None and rec.text == items[-7]["text"]
    # and a re-run finds everything stored
    with Store(db) as store:
        again = ingest([folder], store)
    assert (again.ingested, again.unchanged) == (0, len(items))


def test_a_batch_lost_too_often_is_split_and_only_the_article_that_kills_workers_is_skipped():
    from sourcebook.scale import DaskRunner, _Batch

    runner = DaskRunner(client=None, max_attempts=2)
    docs = [Document(text=f"Article {i}.", origin=f"#{i}") for i in range(3)]
    retry: list = []
    assert list(runner._lost(_Batch(7, docs), OSError("worker gone"), retry)) == []
    assert [(b.no, b.attempt, len(b.docs)) for b in retry] == [(7, 2, 3)]
    second = retry.pop()
    assert list(runner._lost(second, OSError("worker gone"), retry)) == []  # split into single articles
    assert [(b.no, b.part, len(b.docs)) for b in retry] == [(7, 1, 1), (7, 2, 1), (7, 3, 1)]
    poison = retry[1]
    retry.clear()
    list(runner._lost(poison, OSError("worker gone"), retry))
    out = list(runner._lost(retry.pop(), OSError("worker gone"), retry))
    assert retry == [] and len(out) == 1
    doc, skip = out[0]
    assert doc is docs[1] and isinstance(skip, Skip) and skip.reason == "extract_error"
    assert "lost 2 times" in skip.message
    assert (runner.stats.resubmitted, runner.stats.split, runner.stats.lost) == (2, 1, 1)


# --------------------------------------------------------------------------- streaming


class Events:
    def __init__(self):
        self.log: list[tuple[str, int]] = []

    def reading(self, n_read, n_skipped):
        self.log.append(("read", n_read))

    def start(self, total):
        self.log.append(("start", total))

    def advance(self, n=1):
        self.log.append(("advance", n))


def test_ingest_reads_extracts_and_writes_as_a_stream(tmp_path, shared_dir):
    items = variants(shared_dir, 14)
    folder = tmp_path / "c"
    write_corpus(folder, items, n_txt=14)
    (folder / "txt" / "0003-copy.txt").write_text(items[3]["text"], encoding="utf-8")  # met twice, 2nd group
    ev = Events()
    with Store(tmp_path / "s.db") as store:
        summary = ingest([folder], store, progress=ev, check_every=5, batch_size=2)
        assert (summary.documents, summary.ingested, summary.unchanged) == (15, 14, 1)
        assert sorted(store.article_ids()) == sorted(expected_ids(items))
    kinds = [k for k, _ in ev.log]
    # the first articles are written before the last documents are read
    assert kinds.index("advance") < len(kinds) - 1 - kinds[::-1].index("read")
    totals = [n for k, n in ev.log if k == "start"]
    assert totals == sorted(totals) and totals[-1] == 14 and len(totals) >= 3


# --------------------------------------------------------------------------- Parquet


def _parquet(path: Path, rows: dict, row_group_size: int = 4) -> None:
    pq.write_table(pa.table(rows), path, row_group_size=row_group_size)


def test_parquet_rows_are_documents_streamed_by_row_group(tmp_path, shared_dir):
    items = variants(shared_dir, 10)
    texts = [it["text"] for it in items] + [None, "   ", items[0]["text"]]
    _parquet(tmp_path / "a.parquet", {
        "id": list(range(len(texts))),
        "text": texts,
        "title": [it["title"] for it in items] + [None, None, "dup"],
        "published": [it["published"] for it in items] + [None, None, "not a date"],
        "url": [it["url"] for it in items] + [None, None, None],
    })
    out = list(iter_documents(tmp_path / "a.parquet"))
    assert len(out) == 13
    docs = [d for d in out if isinstance(d, Document)]
    assert [d.text for d in docs[:10]] == [it["text"] for it in items]
    assert docs[0].origin == f"{tmp_path / 'a.parquet'}:1" and docs[0].title == items[0]["title"]
    assert docs[0].published == items[0]["published"] and docs[0].url == items[0]["url"]
    assert docs[-1].published is None  # a date that cannot be read is dropped, the row kept
    skips = {s.origin.rsplit(":", 1)[1]: s for s in out if isinstance(s, Skip)}
    assert skips["11"].reason == "missing_text" and skips["11"].message.startswith("row 11:")
    assert skips["12"].reason == "empty"
    # a folder and a glob find .parquet files
    assert len(list(iter_documents(tmp_path))) == 13
    assert len(list(iter_documents(str(tmp_path / "*.parquet")))) == 13


def test_parquet_problems_are_skips(tmp_path):
    _parquet(tmp_path / "notext.parquet", {"body": ["x"]})
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    big = "Officials said the talks would go on. " * 200
    _parquet(tmp_path / "big.parquet", {"text": [big, "The minister said the border was open."]})
    [s] = list(iter_documents(tmp_path / "notext.parquet"))
    assert s.reason == "missing_text" and "body" in s.message
    [s] = list(iter_documents(tmp_path / "broken.parquet"))
    assert s.reason == "unreadable"
    out = list(iter_documents(tmp_path / "big.parquet", max_bytes=1000))
    assert out[0].reason == "too_large" and out[0].origin.endswith(":1") and isinstance(out[1], Document)
    # standard input: sniffed by its magic number
    import io

    data = (tmp_path / "big.parquet").read_bytes()
    out = list(iter_documents("-", stdin=io.BytesIO(data)))
    assert [type(x).__name__ for x in out] == ["Document", "Document"]


def test_parquet_ingest_through_the_cli(cli, tmp_path, shared_dir):
    items = variants(shared_dir, 6)
    _parquet(tmp_path / "feed.parquet", {k: [it[k] for it in items] for k in ("text", "title", "published", "url")},
             row_group_size=2)
    proc = cli("ingest", tmp_path / "feed.parquet", "--db", tmp_path / "p.db", "--json")
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["ingested"] == 6 and summary["skipped"] == 0
    with Store(tmp_path / "p.db") as store:
        assert set(store.article_ids()) == expected_ids(items)
        assert store.record(article_id(items[2]["text"])).title == items[2]["title"]


# --------------------------------------------------------------------------- CLI options


def test_cli_scheduler_and_workers_together_is_a_usage_error(cli, tmp_path):
    (tmp_path / "a.txt").write_text("The minister said the border was open.", encoding="utf-8")
    proc = cli("ingest", tmp_path / "a.txt", "--db", tmp_path / "x.db", "--workers", "2",
               "--scheduler", "tcp://127.0.0.1:1")
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_cli_unreachable_scheduler_is_one_line_and_exit_1(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("The minister said the border was open.", encoding="utf-8")
    env_timeout = {"SOURCEBOOK_DASK_TIMEOUT": "3"}
    os.environ.update(env_timeout)
    try:
        proc = run_cli("ingest", tmp_path / "a.txt", "--db", tmp_path / "x.db", "--scheduler",
                       "tcp://127.0.0.1:1", timeout=120)
    finally:
        os.environ.pop("SOURCEBOOK_DASK_TIMEOUT")
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and "tcp://127.0.0.1:1" in lines[0], proc.stderr


def test_cli_workers_without_the_model_is_one_line_and_exit_1(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("The minister said the border was open.", encoding="utf-8")
    proc = run_cli("ingest", tmp_path / "a.txt", "--db", tmp_path / "x.db", "--workers", "1",
                   "--model", "no_such_model", timeout=300)
    assert proc.returncode == 1, proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: on the Dask workers:") and "no_such_model" in lines[0], \
        proc.stderr
