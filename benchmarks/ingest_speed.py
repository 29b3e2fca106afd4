"""What does storing cost on top of extraction?  ``sourcebook ingest`` vs ``extract_many`` alone.

Builds ``--articles`` articles from the real dev texts (``../shared/corpus/dev/*.txt``), each with
a report number appended so every one has its own id, writes them to a JSON Lines file in a
temporary folder, and times in one process, over exactly the same texts:

(a) ``extract_many``: ``list(sourcebook.extract_many(items))`` over the article dicts in memory;
(b) ``ingest`` into SQLite: ``sourcebook.ingest.ingest([file.jsonl], Store(new file))``: reading the
    file, hashing, asking the store what is there, the same extraction, one transaction per
    article, the run log;
(c) ``ingest`` into PostgreSQL, the same, when ``--pg URL`` or ``$SOURCEBOOK_TEST_PG`` is given
    (each run in a new schema, dropped afterwards).

Every ingest starts from an empty database.  The model is warmed up first; the runs alternate
``--repeat`` times and the best time of each is kept.  Columns: articles/s; ``overhead``: how much
longer than extract_many alone (``t / t_extract - 1``, the aim is <= 10%); ``write share``: the time
spent inside ``Store.write`` as a share of the extract_many time.

    python3 benchmarks/ingest_speed.py                          # 200 articles, best of 2
    python3 benchmarks/ingest_speed.py --articles 100 --repeat 3 --pg postgresql://u:p@127.0.0.1:5433/db
    python3 benchmarks/ingest_speed.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SOURCEBOOK_SHARED", ROOT.parent / "shared"))


def build_items(n: int, shared: Path = SHARED) -> list[dict]:
    texts = [t for p in sorted((shared / "corpus" / "dev").glob("*.txt"))
             if (t := p.read_text(encoding="utf-8")).strip()]
    if not texts:
        sys.exit(f"no articles found under {shared / 'corpus' / 'dev'}")
    return [{"text": f"{texts[i % len(texts)].rstrip()}\nReport {i + 1}.",
             "published": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
             "url": f"https://news{i % 7}.example.org/a/{i}", "title": f"Report {i + 1}"} for i in range(n)]


class PgSchema:
    """A fresh schema in the PostgreSQL database at ``base``; ``url`` points its search_path there."""

    def __init__(self, base: str):
        import sqlalchemy as sa

        from sourcebook.store import resolve_url

        self.sa = sa
        self.name = "bench_" + uuid.uuid4().hex[:10]
        self.admin = sa.create_engine(resolve_url(base))
        with self.admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{self.name}"'))
        sep = "&" if "?" in base else "?"
        self.url = f"{base}{sep}options={quote(f'-csearch_path={self.name}')}"

    def drop(self) -> None:
        with self.admin.begin() as conn:
            conn.execute(self.sa.text(f'DROP SCHEMA "{self.name}" CASCADE'))
        self.admin.dispose()


def time_extract(items: list[dict]) -> dict:
    from sourcebook import extract_many

    t = time.perf_counter()
    recs = list(extract_many(items))
    return {"seconds": time.perf_counter() - t, "articles": len(recs)}


def time_ingest(path: Path, url: str) -> dict:
    from sourcebook.ingest import ingest
    from sourcebook.store import Store

    t = time.perf_counter()
    with Store(url) as store:
        summary = ingest([path], store)
    seconds = time.perf_counter() - t
    assert summary.ingested and not summary.skipped, summary.to_dict()
    return {"seconds": seconds, "articles": summary.ingested, "store_seconds": summary.store_seconds,
            "read_seconds": summary.read_seconds}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--pg", default=os.environ.get("SOURCEBOOK_TEST_PG"), help="PostgreSQL URL (default $SOURCEBOOK_TEST_PG)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    import sourcebook
    from sourcebook import extract_many

    items = build_items(args.articles)
    words = sum(len(it["text"].split()) for it in items)
    list(extract_many(items[:5]))  # warm up: load the model
    runs: dict[str, list[dict]] = {"extract_many": [], "ingest sqlite": []}
    if args.pg:
        runs["ingest postgresql"] = []
    with tempfile.TemporaryDirectory(prefix="sb-bench-") as tmp:
        path = Path(tmp) / "articles.jsonl"
        path.write_text("".join(json.dumps(it) + "\n" for it in items), encoding="utf-8")
        for r in range(args.repeat):
            runs["extract_many"].append(time_extract(items))
            runs["ingest sqlite"].append(time_ingest(path, str(Path(tmp) / f"bench-{r}.db")))
            if args.pg:
                schema = PgSchema(args.pg)
                try:
                    runs["ingest postgresql"].append(time_ingest(path, schema.url))
                finally:
                    schema.drop()
    best = {k: min(v, key=lambda x: x["seconds"]) for k, v in runs.items()}
    base = best["extract_many"]["seconds"]
    rows = []
    for name, b in best.items():
        rows.append({
            "run": name, "articles": b["articles"], "seconds": round(b["seconds"], 2),
            "articles_per_s": round(b["articles"] / b["seconds"], 2),
            "overhead": None if name == "extract_many" else round(b["seconds"] / base - 1, 4),
            "write_share": None if "store_seconds" not in b else round(b["store_seconds"] / base, 4),
        })
    meta = {"date": date.today().isoformat(), "python": platform.python_version(), "cores": os.cpu_count(),
            "sourcebook": sourcebook.__version__, "articles": args.articles, "words": words,
            "repeat": args.repeat, "postgresql": bool(args.pg)}
    if args.json:
        print(json.dumps({"meta": meta, "best": rows, "runs": runs}, indent=1))
        return 0
    print(f"{meta['date']}, Python {meta['python']}, {meta['cores']} cores, sourcebook {meta['sourcebook']}: "
          f"{args.articles} articles ({words:,} words), best of {args.repeat}")
    print(f"{'run':<20} {'articles':>8} {'seconds':>8} {'articles/s':>11} {'overhead':>9} {'write share':>12}")
    for r in rows:
        ov = "" if r["overhead"] is None else f"{100 * r['overhead']:+.1f}%"
        ws = "" if r["write_share"] is None else f"{100 * r['write_share']:.1f}%"
        print(f"{r['run']:<20} {r['articles']:>8} {r['seconds']:>8.2f} {r['articles_per_s']:>11.2f} {ov:>9} {ws:>12}")
    if not args.pg:
        print("(PostgreSQL not measured: give --pg URL or set SOURCEBOOK_TEST_PG)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
