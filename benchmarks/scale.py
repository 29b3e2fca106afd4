"""Corpus scale: articles/s for bare spaCy, one process, and Dask LocalClusters of 1 and 2 workers.

    python3 benchmarks/scale.py                    # 5,000 articles (several minutes on 2 cores)
    python3 benchmarks/scale.py --articles 400     # a quick look
    python3 benchmarks/scale.py --json

The articles are made at run time from the dev corpus (../shared/corpus/dev/*.txt, or
$SOURCEBOOK_SHARED/corpus/dev): windows of ``--sentences`` consecutive sentences of each dev text,
moved along the text, each ending with its own report number, so every article (and every id)
differs; nothing is written to the repository.  Over exactly the same articles, in one run:

- **LocalCluster, 1 worker** and **2 workers**: ``scale.DaskRunner`` (what ``--workers N`` does),
  batches out, records back to this process; timed after the cluster is up and every worker has
  loaded the model (the start-up is reported apart);
- **1 process**: ``extract_many`` (what ``sourcebook ingest`` does without --workers/--scheduler);
- **bare spaCy nlp.pipe**: the model alone (no sourcebook component), one process: the floor.

Each run's time is printed on standard error as it ends.  Wall-clock rates depend on what else the
machine runs; the CPU seconds per article (measured in each process) do much less.

Then: the scaling ratio (2 workers over 1), the peak resident memory of every worker process
(``resource.getrusage`` inside the worker, via ``client.run``), and how fast one writer stores the
records into a new SQLite database (``Store.write``, one transaction per article): the writer's
ceiling in the cost model (docs/scale.md).

Every process is limited to one BLAS/OpenMP thread (as Dask's nanny does for its workers), so the
single-process runs use one core, as a worker does.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import date  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SOURCEBOOK_SHARED") or REPO.parent / "shared")
_SENTENCE = re.compile(r"(?<=[.!?\"”])\s+(?=[\"“A-Z])")


def make_articles(n: int, sentences: int) -> list[dict]:
    """``n`` articles cut from the dev texts: windows of ``sentences`` sentences, paragraphs kept
    (a blank line every three sentences), each with a date, a URL, a title and its report number."""
    files = sorted((SHARED / "corpus" / "dev").glob("*.txt"))
    if not files:
        sys.exit(f"no dev texts under {SHARED / 'corpus' / 'dev'} (set SOURCEBOOK_SHARED)")
    split = [_SENTENCE.split(" ".join(p.read_text(encoding="utf-8").split())) for p in files]
    out = []
    for i in range(n):
        sents = split[i % len(split)]
        span = max(1, len(sents) - sentences + 1)
        k = ((i // len(split)) * 3) % span
        window = sents[k:k + sentences]
        paras = [" ".join(window[j:j + 3]) for j in range(0, len(window), 3)]
        out.append({"text": "\n\n".join(paras) + f"\n\nReport {i + 1}.",
                    "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
                    "url": f"https://news{i % 7}.example.org/a/{i}", "title": f"Report {i + 1}",
                    "origin": f"bench:{i + 1}"})
    return out


def peak_rss_self() -> int:
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r if sys.platform == "darwin" else r * 1024


def mib(n: int | None) -> str:
    return "?" if n is None else f"{n / 2**20:,.0f} MiB"


def run_bare(texts: list[str], model: str) -> float:
    import spacy

    nlp = spacy.load(model)
    for _ in nlp.pipe(texts[:20]):  # warm up
        pass
    t, c = time.perf_counter(), time.process_time()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=32))
    assert n == len(texts)
    return time.perf_counter() - t, time.process_time() - c


def run_one_process(docs) -> tuple[float, list]:
    from sourcebook import extract_many

    list(extract_many(docs[:20]))  # warm up (loads the model)
    t, c = time.perf_counter(), time.process_time()
    records = list(extract_many(docs, on_error="skip"))
    return time.perf_counter() - t, time.process_time() - c, records


def run_cluster(docs, workers: int, batch: int) -> dict:
    from sourcebook.scale import dask_runner

    t = time.perf_counter()
    with dask_runner(workers=workers, batch_size=batch) as runner:
        # warm: every worker has loaded the model (ModelPlugin) and run one small batch
        list(runner.extract(docs[: 4 * workers]))
        startup = time.perf_counter() - t
        before = runner.memory()
        t, c = time.perf_counter(), time.process_time()
        n = 0
        for _doc, out in runner.extract(docs):
            n += 1
        seconds, client_cpu = time.perf_counter() - t, time.process_time() - c
        assert n == len(docs)
        mem = runner.memory()
        stats = runner.stats
    worker_cpu = sum(m["cpu_seconds"] - before[a]["cpu_seconds"] for a, m in mem.items() if a in before)
    return {"seconds": seconds, "startup_seconds": startup, "articles": n, "worker_cpu_seconds": worker_cpu,
            "client_cpu_seconds": client_cpu, "workers_memory": {addr: m for addr, m in mem.items()},
            "resubmitted": stats.resubmitted}


def run_store(records) -> float:
    from sourcebook.record import Record
    from sourcebook.store import Store

    recs = [r for r in records if isinstance(r, Record)]
    with tempfile.TemporaryDirectory() as tmp, Store(os.path.join(tmp, "bench.db")) as store:
        t = time.perf_counter()
        for r in recs:
            store.write(r, origin="bench")
        return len(recs) / (time.perf_counter() - t)


def write_parquet(path: Path, n: int, sentences: int, chunk: int = 5000) -> int:
    """``n`` synthetic articles into one Parquet file, written a row group at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = None
    size = 0
    base = make_articles(35 * 60, sentences)  # every window of every dev text; numbers added below
    try:
        for start in range(0, n, chunk):
            rows = []
            for i in range(start, min(n, start + chunk)):
                b = base[i % len(base)]
                text = b["text"].rsplit("\n\nReport ", 1)[0] + f"\n\nReport {i + 1}."
                rows.append({"text": text, "title": f"Report {i + 1}", "url": f"https://news{i % 7}.example.org/a/{i}",
                             "published": f"{2020 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"})
            table = pa.Table.from_pylist(rows)
            if writer is None:
                writer = pq.ParquetWriter(path, table.schema)
            writer.write_table(table)
            size += sum(len(r["text"]) for r in rows)
    finally:
        if writer is not None:
            writer.close()
    return size


def ingest_run(n: int, workers: int, sentences: int, batch: int, keep: str | None, every: float) -> dict:
    """``sourcebook ingest`` of ``n`` synthetic articles (one Parquet file) with ``--workers``, as a
    separate process; the resident memory of that process and of every worker process it starts is
    sampled every ``every`` seconds (psutil), with the number of articles stored."""
    import sqlite3
    import subprocess

    import psutil

    tmp = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="sourcebook-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    src, db = tmp / f"synthetic-{n}.parquet", tmp / f"synthetic-{n}.db"
    for p in (db, Path(str(db) + "-wal"), Path(str(db) + "-shm")):
        p.unlink(missing_ok=True)
    t = time.perf_counter()
    chars = write_parquet(src, n, sentences)
    print(f"wrote {n:,} articles ({chars / n:.0f} characters each) to {src} in {time.perf_counter() - t:.1f} s",
          flush=True)
    env = dict(os.environ, PYTHONPATH=str(REPO / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    cmd = [sys.executable, "-m", "sourcebook.cli", "ingest", str(src), "--db", str(db), "--workers", str(workers),
           "--batch-size", str(batch), "--quiet", "--json"]
    print("$ sourcebook " + " ".join(cmd[3:]), flush=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    main_p = psutil.Process(proc.pid)
    peaks: dict[int, int] = {}
    names: dict[int, str] = {}
    timeline = []

    def stored() -> int:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
                return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.Error:
            return -1

    while proc.poll() is None:
        time.sleep(every)
        try:
            procs = [main_p] + main_p.children(recursive=True)
        except psutil.NoSuchProcess:
            break
        client_rss, worker_rss = 0, []
        for p in procs:
            try:
                rss = p.memory_info().rss
                cmdline = " ".join(p.cmdline())
            except psutil.Error:
                continue
            peaks[p.pid] = max(peaks.get(p.pid, 0), rss)
            kind = "client" if p.pid == main_p.pid else ("worker" if rss > 200 * 2**20 else "helper")
            names.setdefault(p.pid, kind if "multiprocessing" in cmdline or p.pid == main_p.pid else "other")
            if p.pid == main_p.pid:
                client_rss = rss
            elif rss > 200 * 2**20:
                worker_rss.append(rss)
        row = {"t": round(time.perf_counter() - t0, 1), "stored": stored(), "client_rss": client_rss,
               "worker_rss": sorted(worker_rss)}
        timeline.append(row)
        print(f"  t={row['t']:7.1f}s stored={row['stored']:>7,} client {mib(client_rss)} workers "
              f"{', '.join(mib(r) for r in row['worker_rss'])}", flush=True)
    out, err = proc.communicate()
    seconds = time.perf_counter() - t0
    summary = json.loads(out) if proc.returncode == 0 else {"error": err[-2000:]}
    summary.pop("skips", None)
    client_peak = peaks.get(main_p.pid, 0)
    worker_peaks = sorted((v for k, v in peaks.items() if k != main_p.pid and v > 200 * 2**20), reverse=True)
    res = {"articles": n, "workers": workers, "seconds": seconds, "returncode": proc.returncode, "summary": summary,
           "stored": stored(), "client_peak_rss": client_peak, "worker_peak_rss": worker_peaks,
           "timeline": timeline, "db": str(db), "db_bytes": db.stat().st_size if db.exists() else None}
    if not keep:
        import shutil

        shutil.rmtree(tmp, ignore_errors=True)
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=5000, help="articles to make (default 5,000)")
    ap.add_argument("--sentences", type=int, default=6, help="sentences per article (default 6; --ingest: 3)")
    ap.add_argument("--batch", type=int, default=32, help="articles per Dask task (default 32)")
    ap.add_argument("--json", action="store_true", help="print the numbers as JSON")
    ap.add_argument("--ingest", type=int, metavar="N", help="instead: a whole 'sourcebook ingest --workers' of N "
                    "synthetic articles from a Parquet file, memory sampled over time")
    ap.add_argument("--workers", type=int, default=2, help="--ingest: Dask workers (default 2)")
    ap.add_argument("--every", type=float, default=15.0, help="--ingest: seconds between samples (default 15)")
    ap.add_argument("--keep", metavar="DIR", help="--ingest: write the Parquet file and the database here, and keep them")
    args = ap.parse_args()

    if args.ingest:
        res = ingest_run(args.ingest, args.workers, 3 if args.sentences == 6 else args.sentences, args.batch,
                         args.keep, args.every)
        if args.json:
            print(json.dumps(res, indent=1, default=str))
            return
        s = res["summary"]
        print(f"{res['articles']:,} articles, {res['workers']} workers: exit {res['returncode']}, "
              f"{res['seconds']:.0f} s wall ({res['seconds'] / 60:.1f} min), {res['articles'] / res['seconds']:.1f} articles/s; "
              f"stored {res['stored']:,}")
        print("summary: " + json.dumps({k: s.get(k) for k in ("documents", "ingested", "unchanged", "skipped",
                                                              "seconds", "read_seconds", "extract_seconds",
                                                              "store_seconds", "articles_per_second", "error")
                                        if k in s}))
        tl = [r for r in res["timeline"] if r["client_rss"]]
        if tl:
            q = max(1, len(tl) // 4)
            print("client RSS at 25/50/75/100% of the run: " + ", ".join(mib(tl[min(len(tl) - 1, i * q)]["client_rss"])
                                                                          for i in (1, 2, 3, 4)))
        print(f"peak RSS: client (reader + writer + scheduler) {mib(res['client_peak_rss'])}; workers "
              + ", ".join(mib(w) for w in res["worker_peak_rss"]))
        print(f"database: {res['db_bytes'] or 0:,} bytes")
        return

    import spacy

    import sourcebook
    from sourcebook.nlp.pipeline import model_name
    from sourcebook.read import Document

    model = model_name()
    items = make_articles(args.articles, args.sentences)
    docs = [Document(text=it["text"], origin=it["origin"], url=it["url"], title=it["title"],
                     published=it["published"]) for it in items]
    texts = [d.text for d in docs]
    words = sum(len(t.split()) for t in texts)
    load0 = os.getloadavg()

    res: dict = {"articles": len(docs), "words": words, "sentences": args.sentences, "batch": args.batch}

    def note(what: str, seconds: float) -> None:  # each run as it ends (a long run interrupted keeps them)
        if not args.json:
            print(f"  done: {what}: {seconds:.1f} s, {len(docs) / seconds:.1f} articles/s "
                  f"(load average {os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)

    res["cluster"] = {}
    for w in (1, 2):
        res["cluster"][str(w)] = run_cluster(docs, w, args.batch)
        note(f"LocalCluster {w} worker(s)", res["cluster"][str(w)]["seconds"])
    res["one_process_seconds"], res["one_process_cpu_seconds"], records = run_one_process(docs)
    note("1 process", res["one_process_seconds"])
    res["store_articles_per_s"] = run_store(records)
    del records
    res["bare_seconds"], res["bare_cpu_seconds"] = run_bare(texts, model)
    note("bare spaCy", res["bare_seconds"])
    res["client_peak_rss"] = peak_rss_self()
    res["loadavg_before"], res["loadavg_after"] = load0, os.getloadavg()
    n = len(docs)
    rate = lambda s: n / s  # noqa: E731
    res["rates"] = {
        "bare spaCy nlp.pipe (1 process)": rate(res["bare_seconds"]),
        "sourcebook, 1 process (extract_many)": rate(res["one_process_seconds"]),
        "sourcebook, LocalCluster 1 worker": rate(res["cluster"]["1"]["seconds"]),
        "sourcebook, LocalCluster 2 workers": rate(res["cluster"]["2"]["seconds"]),
    }
    res["scaling_2_over_1"] = res["cluster"]["1"]["seconds"] / res["cluster"]["2"]["seconds"]
    res["worker_peak_rss_max"] = max(m["peak_rss"] for c in res["cluster"].values()
                                     for m in c["workers_memory"].values())
    res["env"] = {"date": date.today().isoformat(), "python": platform.python_version(), "spacy": spacy.__version__,
                  "sourcebook": sourcebook.__version__, "model": model, "cpus": os.cpu_count(),
                  "machine": platform.machine(), "system": platform.system()}
    try:
        import dask
        import distributed

        res["env"]["dask"], res["env"]["distributed"] = dask.__version__, distributed.__version__
    except ImportError:  # pragma: no cover
        pass

    if args.json:
        print(json.dumps(res, indent=1, default=str))
        return
    e = res["env"]
    print(f"{e['date']} | {e['cpus']} CPUs {e['machine']} {e['system']} | Python {e['python']} | spaCy {e['spacy']} | "
          f"dask {e.get('distributed', '?')} | sourcebook {e['sourcebook']} | {model}")
    print(f"{n:,} articles ({args.sentences} sentences each, {words:,} words, {words / n:.0f} words/article), "
          f"{args.batch} articles a task")
    print(f"{'run':42} {'seconds':>9} {'articles/s':>11} {'words/s':>9}")
    secs = [res["bare_seconds"], res["one_process_seconds"], res["cluster"]["1"]["seconds"],
            res["cluster"]["2"]["seconds"]]
    for (name, r), s in zip(res["rates"].items(), secs):
        print(f"{name:42} {s:9.1f} {r:11.1f} {words / s:9,.0f}")
    print(f"scaling, 2 workers over 1: {res['scaling_2_over_1']:.2f}x")
    print("CPU seconds per article (not slowed by other processes): "
          f"bare {1000 * res['bare_cpu_seconds'] / n:.1f} ms, 1 process {1000 * res['one_process_cpu_seconds'] / n:.1f} ms, "
          + ", ".join(f"{w} worker(s) {1000 * c['worker_cpu_seconds'] / n:.1f} ms in workers + "
                      f"{1000 * c['client_cpu_seconds'] / n:.1f} ms in this process (scheduler, client)"
                      for w, c in res["cluster"].items()))
    for w, c in res["cluster"].items():
        mems = ", ".join(f"{mib(m['peak_rss'])} (now {mib(m['rss'])})" for m in c["workers_memory"].values())
        print(f"LocalCluster {w} worker(s): start-up and model load {c['startup_seconds']:.1f} s; "
              f"peak RSS per worker: {mems}")
    print(f"one writer, Store.write into SQLite: {res['store_articles_per_s']:.0f} articles/s")
    print(f"this process (bare spaCy + 1-process run + Dask client): peak RSS {mib(res['client_peak_rss'])}")
    print(f"load average before {res['loadavg_before'][0]:.2f}, after {res['loadavg_after'][0]:.2f}")


if __name__ == "__main__":
    main()
