"""Load test for the web UI: N concurrent clients against a real `sourcebook serve` on loopback.

    python3 benchmarks/web_load.py                          # 50 clients, 60 s, >= 2,000 articles
    python3 benchmarks/web_load.py --clients 10 --seconds 10 --articles 300   # a quick look
    python3 benchmarks/web_load.py --db /tmp/web_load.db --json

1. The database (``--db``, default a temporary file; an existing one with enough articles is reused):
   base articles are extracted once (``--base dev``: the dev articles of ``../shared/corpus/dev``;
   ``--base synthetic:N``: N short articles as ``benchmarks/scale.py`` makes them; read from there,
   never copied), then ``--articles`` variants of them are written through ``Store.write_many``
   (each variant is the base text plus one line naming the variant, so every one is a new article
   with its own id; its sources, quotes, figures, events, places and dates are the base's, whose
   offsets stay valid), spread over a year of dates and a dozen outlets.  A few figures get review
   decisions so that the corrected-values code paths run too.
2. The server: ``python -m sourcebook.cli serve --db ... --port FREE`` as a separate process
   (uvicorn, ``--workers`` processes), on 127.0.0.1.
3. The clients: one client for ``--warmup`` seconds, then ``--clients`` asyncio tasks sharing one
   httpx connection pool of that size; each loops for ``--seconds``, asking for one page after
   another in a rotation of every page of the UI (``KINDS``, ``PATHS``: corpus pages and searches,
   articles, sources, figures, events, places, dates, the map, claims, series, flows, the review
   log, with random filters, sorts and pages).  One request at a time per client, so at most
   ``--clients`` are in flight.  A non-200 answer or a failed request is an error.

Prints, per page kind: requests, p50 and p95 latency (milliseconds) and errors; then the totals.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SOURCEBOOK_SHARED") or REPO.parent / "shared")
OUTLETS = ["wire.example", "daily.example", "observer.example", "herald.example", "post.example",
           "chronicle.example", "tribune.example", "gazette.example", "monitor.example", "times.example",
           "review.example", "journal.example"]
WORDS = ["fighters", "border", "officials", "refugees", "Syria", "camp", "militants", "ministry",
         "killed", "returned", "\"foreign fighters\"", "Turkey"]
STATUSES = ["leaving", "present", "killed", "returned", "detained", "joining"]


def base_records(base: str) -> list:
    """The records variants are made of: the 35 dev articles extracted (``dev``), or ``synthetic:N``:
    N short synthetic articles as ``benchmarks/scale.py`` makes them (three-sentence windows of the
    dev texts), extracted."""
    from sourcebook import extract_many
    from sourcebook.read import Document, iter_documents
    from sourcebook.record import Record

    t0 = time.perf_counter()
    if base.startswith("synthetic:"):
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from scale import make_articles

        docs = [Document(text=a["text"], origin=a["origin"], url=a["url"], title=a["title"],
                         published=a["published"]) for a in make_articles(int(base.split(":", 1)[1]), 3)]
    else:
        dev = SHARED / "corpus" / "dev"
        if not dev.is_dir():
            sys.exit(f"web_load: the dev corpus is not at {dev} (set SOURCEBOOK_SHARED)")
        docs = [d for d in iter_documents(str(dev)) if isinstance(d, Document)]
    out = [r for r in extract_many(docs, on_error="skip") if isinstance(r, Record)]
    print(f"web_load: extracted {len(out)} base articles ({base}) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return out


def build(db: str, n_articles: int, base: str = "dev") -> dict:
    """Fill ``db`` with ``n_articles`` variants of the base articles (if it has fewer)."""
    from sourcebook.record import Record
    from sourcebook.review import ReviewError, review
    from sourcebook.store import Store

    with Store(db) as st:
        have = st.table_sizes()["articles"]
        if have >= n_articles:
            return {"articles": have, "built": 0, "seconds": 0.0}
        base = base_records(base)
        start = date(2014, 1, 1)
        t1 = time.perf_counter()
        built = 0
        batch: list[Record] = []
        to_review: list[tuple[int, Record]] = []
        for i in range(have, n_articles):
            src = base[i % len(base)]
            first = (src.title or src.text.strip().split("\n", 1)[0])[:120]
            d = src.to_dict()
            d.update({"id": "", "text": src.text + f"\n\n[Variant {i}, generated for the web load test.]",
                      "title": f"{first} (variant {i})", "url": f"https://www.{OUTLETS[i % len(OUTLETS)]}/story/{i}",
                      "published": (start + timedelta(days=i % 365)).isoformat()})
            rec = Record.from_dict(d)
            batch.append(rec)
            if len(batch) >= 500 or i == n_articles - 1:
                built += st.write_many(batch, origin="web_load")  # 500 articles a transaction
                batch = []
                if built % 10000 < 500:
                    print(f"web_load: {have + built:,} articles", file=sys.stderr, flush=True)
            if i % 50 == 0 and rec.counts:
                to_review.append((i, rec))
        for i, rec in to_review:  # a few review decisions, so that the corrected-values paths run too
            try:
                c = rec.counts[0]
                if c.low is not None:
                    review(st, "count", rec.id, c.id, "correct", changes={"low": c.low + 1, "high": max(c.high or 0, c.low + 1)},
                           user="web_load")
                if rec.quotes and i % 100 == 0:
                    review(st, "quote", rec.id, rec.quotes[0].id, "reject", user="web_load")
            except ReviewError:
                pass
        secs = time.perf_counter() - t1
        print(f"web_load: wrote {built} articles in {secs:.1f} s", file=sys.stderr)
        return {"articles": st.table_sizes()["articles"], "built": built, "seconds": secs}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str, port: int, log, workers: int = 1, cache: bool = True) -> subprocess.Popen:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", COLUMNS="200")
    if not cache:
        env["SOURCEBOOK_WEB_CACHE"] = "0"
    proc = subprocess.Popen([sys.executable, "-m", "sourcebook.cli", "serve", "--db", db, "--port", str(port),
                             "--user", "web_load", "--workers", str(workers)], stdout=log, stderr=subprocess.STDOUT,
                            env=env, text=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            sys.exit(f"web_load: the server exited (see {log.name})")
        if time.monotonic() > deadline:
            proc.kill()
            sys.exit("web_load: the server did not answer within 60 s")
        time.sleep(0.2)


EVENT_TYPES = ["ASSAULT", "COERCE", "PROTEST", "CONSULT", "ACCUSE", "RETREAT"]
COUNTRIES = ["SY", "IQ", "TR", "FR", "US", "RU"]
#: Every page of the UI, in the order a reviewer's session rotates through them.
KINDS = ["corpus", "corpus_page", "search", "article", "article", "sources", "sources_filtered", "figures",
         "figures_filtered", "events", "events_filtered", "places", "places_filtered", "dates", "map", "claims",
         "claims_filtered", "series", "flows", "reviews"]


#: Each kind of page: its address, with random arguments (``rnd``, the article ids, the corpus's pages).
PATHS = {
    "corpus": lambda rnd, ids, n: "/",
    "corpus_page": lambda rnd, ids, n: f"/?page={rnd.randint(2, max(2, n))}&outlet={rnd.choice(OUTLETS + [''])}",
    "search": lambda rnd, ids, n: f"/?q={rnd.choice(WORDS)}",
    "article": lambda rnd, ids, n: f"/articles/{rnd.choice(ids)}",
    "sources": lambda rnd, ids, n: "/sources",
    "sources_filtered": lambda rnd, ids, n: (f"/sources?who={rnd.choice(['named', 'anonymous'])}"
                                             f"&sort={rnd.choice(['quotes', 'articles', 'name'])}&page={rnd.randint(1, 5)}"),
    "figures": lambda rnd, ids, n: "/figures",
    "figures_filtered": lambda rnd, ids, n: (f"/figures?status={rnd.choice(STATUSES)}"
                                             f"&sort={rnd.choice(['low', 'high', 'date', 'source'])}"
                                             f"&dir={rnd.choice(['asc', 'desc'])}&page={rnd.randint(1, 3)}"),
    "events": lambda rnd, ids, n: f"/events?page={rnd.randint(1, 3)}",
    "events_filtered": lambda rnd, ids, n: f"/events?type={rnd.choice(EVENT_TYPES)}&country={rnd.choice(COUNTRIES + [''])}",
    "places": lambda rnd, ids, n: f"/places?page={rnd.randint(1, 3)}",
    "places_filtered": lambda rnd, ids, n: f"/places?country={rnd.choice(COUNTRIES)}&resolved=yes",
    "dates": lambda rnd, ids, n: f"/dates?precision={rnd.choice(['', 'day', 'month'])}",
    "map": lambda rnd, ids, n: f"/map?country={rnd.choice(COUNTRIES + ['', '', ''])}",
    "claims": lambda rnd, ids, n: "/ledger/claims",
    "claims_filtered": lambda rnd, ids, n: f"/ledger/claims?status={rnd.choice(STATUSES)}&min_citations={rnd.randint(1, 3)}",
    "series": lambda rnd, ids, n: "/ledger/series",
    "flows": lambda rnd, ids, n: f"/ledger/flows?window={rnd.choice(['year', 'quarter', 'all'])}",
    "reviews": lambda rnd, ids, n: "/reviews",
}


def page_mix(ids: list[str], n_pages: int, rnd: random.Random):
    """(kind, path) in a fixed rotation, with random arguments."""
    i = rnd.randrange(len(KINDS))
    while True:
        kind = KINDS[i % len(KINDS)]
        i += 1
        yield kind, PATHS[kind](rnd, ids, n_pages)


async def run_clients(base: str, ids: list[str], clients: int, seconds: float, seed: int = 7) -> dict:
    lat: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    samples: list[str] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    n_pages = max(2, len(ids) // 25)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as http:
        deadline = time.perf_counter() + seconds

        async def client(k: int) -> None:
            rnd = random.Random(seed * 1000 + k)
            for kind, path in page_mix(ids, n_pages, rnd):
                if time.perf_counter() >= deadline:
                    return
                t = time.perf_counter()
                try:
                    r = await http.get(path)
                    ok = r.status_code == 200
                    if not ok and len(samples) < 5:
                        samples.append(f"{r.status_code} {path}")
                except httpx.HTTPError as err:
                    ok = False
                    if len(samples) < 5:
                        samples.append(f"{type(err).__name__} {path}")
                lat.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
                if not ok:
                    errors[kind] = errors.get(kind, 0) + 1

        t0 = time.perf_counter()
        await asyncio.gather(*(client(k) for k in range(clients)))
        wall = time.perf_counter() - t0
    return {"latency": lat, "errors": errors, "wall": wall, "error_samples": samples}


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, round(p / 100 * len(xs) + 0.5) - 1))
    return xs[k]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="SQLite file or postgresql:// URL (default: a temporary SQLite file)")
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--base", default="dev", help="dev (the 35 dev articles) or synthetic:N (N short articles "
                                                   "as benchmarks/scale.py makes them), extracted, then copied "
                                                   "into --articles variants")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=1, help="uvicorn processes (sourcebook serve --workers)")
    ap.add_argument("--warmup", type=float, default=30.0, help="seconds of one client first (caches)")
    ap.add_argument("--uncached", action="store_true", help="the server's result cache off ($SOURCEBOOK_WEB_CACHE=0)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    tmp = None
    db = args.db
    if not db:
        tmp = tempfile.TemporaryDirectory(prefix="web_load_")
        db = str(Path(tmp.name) / "web_load.db")
    info = build(db, args.articles, args.base)
    from sourcebook.store import Store

    with Store(db, create=False) as st:
        ids = st.article_ids()
        sizes = st.table_sizes()
    port = free_port()
    load_before = os.getloadavg()
    log = tempfile.NamedTemporaryFile("w+", prefix="web_load_server_", suffix=".log", delete=False)
    server = start_server(db, port, log, args.workers, cache=not args.uncached)
    try:
        # warm up: every kind of page once (the caches of corpus-wide aggregates), then the measured run
        warm = asyncio.run(run_clients(f"http://127.0.0.1:{port}", ids, 1, args.warmup))
        res = asyncio.run(run_clients(f"http://127.0.0.1:{port}", ids, args.clients, args.seconds))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        if tmp:
            tmp.cleanup()
        log.seek(0)
        server_log = log.read()
        log.close()
        os.unlink(log.name)
    rows = []
    for kind in sorted(res["latency"]):
        xs = res["latency"][kind]
        rows.append({"page": kind, "requests": len(xs), "p50_ms": round(statistics.median(xs), 1),
                     "p95_ms": round(pct(xs, 95), 1), "errors": res["errors"].get(kind, 0)})
    total = sum(r["requests"] for r in rows)
    all_lat = [x for xs in res["latency"].values() for x in xs]
    summary = {"articles": sizes["articles"], "sources": sizes["sources"], "quotes": sizes["quotes"],
               "figures": sizes["counts"], "reviews": sizes["reviews"], "clients": args.clients,
               "seconds": round(res["wall"], 1), "requests": total, "requests_per_s": round(total / res["wall"], 1),
               "p50_ms": round(statistics.median(all_lat), 1) if all_lat else None,
               "p95_ms": round(pct(all_lat, 95), 1) if all_lat else None,
               "errors": sum(res["errors"].values()), "error_samples": res["error_samples"],
               "cpu_count": os.cpu_count(), "workers": args.workers, "cache": not args.uncached, "pages": rows,
               "load_before": load_before, "load_after": os.getloadavg(), "warmup_requests": sum(len(v) for v in warm["latency"].values())}
    if args.json:
        print(json.dumps(summary, indent=1))
        return
    print(f"{summary['articles']:,} articles ({summary['sources']:,} sources, {summary['quotes']:,} quotes, "
          f"{summary['figures']:,} figures, {summary['reviews']} review decisions); {args.clients} clients for "
          f"{summary['seconds']} s on 127.0.0.1, {args.workers} uvicorn process(es), {os.cpu_count()} CPUs, "
          f"result cache {'on' if not args.uncached else 'off'}; load average before "
          f"{' '.join(f'{x:.2f}' for x in load_before)}, after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print("| page | requests | p50 ms | p95 ms | errors |")
    print("|---|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['page']} | {r['requests']:,} | {r['p50_ms']:,} | {r['p95_ms']:,} | {r['errors']} |")
    print(f"| **all** | **{total:,}** | **{summary['p50_ms']:,}** | **{summary['p95_ms']:,}** | **{summary['errors']}** |")
    print()
    print(f"{summary['requests_per_s']} requests/s")
    if summary["error_samples"]:
        print("errors, e.g.:", "; ".join(summary["error_samples"]))
    if server_log.strip():
        print("server log (last lines):")
        print("\n".join(server_log.strip().splitlines()[-15:]))


if __name__ == "__main__":
    main()
