"""How much slower is sourcebook than the bare spaCy pipeline it is built on?

Builds a corpus from the real dev articles (``../shared/corpus/dev/*.txt`` and the seed article),
repeated until it holds at least ``--words`` words (``str.split``), then times in one process:

(a) bare spaCy: ``spacy.load(MODEL)`` with all its default components, ``nlp.pipe`` over the texts;
(b) ``sourcebook.extract_many`` over the same texts (same model plus our components, plus Records).

Both are warmed up first; the two runs alternate ``--repeat`` times and the best time of each is
reported, as wall time and as this process's CPU time (steadier when other processes compete).  Usage (from the repository root)::

    python3 benchmarks/extract_speed.py                # >= 100,000 words, best of 2
    python3 benchmarks/extract_speed.py --words 20000 --repeat 3 --json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("SOURCEBOOK_SHARED", ROOT.parent / "shared"))


def corpus_files(shared: Path = SHARED) -> list[Path]:
    files = sorted((shared / "corpus" / "dev").glob("*.txt"))
    seed = shared / "corpus" / "seed-foreign-fighters-leaving-syria.txt"
    if seed.is_file():
        files.append(seed)
    return files


def build_corpus(min_words: int, shared: Path = SHARED) -> list[str]:
    """The dev articles (and the seed), repeated in order until there are >= ``min_words`` words."""
    texts = [t for p in corpus_files(shared) if (t := p.read_text(encoding="utf-8")).strip()]
    if not texts:
        sys.exit(f"no articles found under {shared / 'corpus'}")
    out: list[str] = []
    words = 0
    while words < min_words:
        for t in texts:
            out.append(t)
            words += len(t.split())
            if words >= min_words:
                break
    return out


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def _clocks() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _since(start: tuple[float, float]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) since ``start``."""
    wall, cpu = _clocks()
    return wall - start[0], cpu - start[1]


def time_bare(nlp, texts: list[str], batch_size: int) -> tuple[float, float]:
    t0 = _clocks()
    for _doc in nlp.pipe(texts, batch_size=batch_size):
        pass
    return _since(t0)


def time_extract(texts: list[str], batch_size: int, model: str) -> tuple[float, float]:
    import sourcebook

    t0 = _clocks()
    for _rec in sourcebook.extract_many(texts, batch_size=batch_size, model=model):
        pass
    return _since(t0)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--words", type=int, default=100_000, help="minimum corpus size in words (default 100000)")
    ap.add_argument("--repeat", type=int, default=2, help="timed runs of each, best reported (default 2)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--model", default=None, help="spaCy pipeline (default: sourcebook's default model)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    args = ap.parse_args(argv)

    import spacy

    import sourcebook
    from sourcebook.nlp import pipeline

    model = pipeline.model_name(args.model)
    texts = build_corpus(args.words)
    n_words = sum(len(t.split()) for t in texts)
    n_chars = sum(len(t) for t in texts)

    bare = spacy.load(model)
    sourcebook_nlp = pipeline.get_nlp(model)  # load outside the timed runs
    # Warm-up: a few articles through each.
    time_bare(bare, texts[:5], args.batch_size)
    time_extract(texts[:5], args.batch_size, model)

    bare_times, extract_times = [], []
    for _ in range(max(1, args.repeat)):
        bare_times.append(time_bare(bare, texts, args.batch_size))
        extract_times.append(time_extract(texts, args.batch_size, model))
    tb, te = min(t[0] for t in bare_times), min(t[0] for t in extract_times)
    cb, ce = min(t[1] for t in bare_times), min(t[1] for t in extract_times)

    result = {
        "date": date.today().isoformat(),
        "machine": f"{cpu_name()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "spacy": spacy.__version__,
        "sourcebook": sourcebook.__version__,
        "model": model,
        "components": [n for n in sourcebook_nlp.pipe_names if n.startswith("sourcebook_")],
        "articles": len(texts),
        "words": n_words,
        "chars": n_chars,
        "repeat": max(1, args.repeat),
        "bare_spacy": {"seconds": round(tb, 3), "cpu_seconds": round(cb, 3), "words_per_s": round(n_words / tb),
                       "runs": [round(t[0], 3) for t in bare_times]},
        "extract_many": {"seconds": round(te, 3), "cpu_seconds": round(ce, 3), "words_per_s": round(n_words / te),
                         "runs": [round(t[0], 3) for t in extract_times]},
        "ratio_extract_over_bare": round(te / tb, 3),
        # the same from CPU time: steadier than wall time when other processes compete for the cores
        "cpu_throughput_ratio": round(cb / ce, 3),
        # throughput ratio: sourcebook words/s over bare spaCy words/s (the figure; aim >= 0.8)
        "throughput_ratio": round(tb / te, 3),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print_table(result)
    return result


def print_table(r: dict) -> None:
    head = (f"{r['date']} | {r['machine']}\nPython {r['python']} | spaCy {r['spacy']} | "
            f"sourcebook {r['sourcebook']} | model {r['model']} | {r['articles']} articles | "
            f"best of {r['repeat']}\ncomponents: {', '.join(r['components'])}")
    rows = [
        ("bare spaCy nlp.pipe", r["bare_spacy"]),
        ("sourcebook.extract_many", r["extract_many"]),
    ]
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # plain fallback
        print(head)
        print(f"{'run':<26}{'words':>10}{'seconds':>10}{'CPU s':>10}{'words/s':>10}")
        for name, d in rows:
            print(f"{name:<26}{r['words']:>10,}{d['seconds']:>10.2f}{d['cpu_seconds']:>10.2f}{d['words_per_s']:>10,}")
        print(summary_line(r))
        return
    table = Table()
    for col in ("run", "words", "seconds", "CPU s", "words/s"):
        table.add_column(col, justify="left" if col == "run" else "right")
    for name, d in rows:
        table.add_row(name, f"{r['words']:,}", f"{d['seconds']:.2f}", f"{d['cpu_seconds']:.2f}",
                      f"{d['words_per_s']:,}")
    console = Console()
    console.print(head, markup=False, highlight=False, soft_wrap=True)
    console.print(table)
    console.print(summary_line(r), markup=False, highlight=False, soft_wrap=True)


def summary_line(r: dict) -> str:
    return (f"throughput ratio (words/s sourcebook / words/s bare spaCy): {r['throughput_ratio']:.2f} "
            f"(from CPU time: {r['cpu_throughput_ratio']:.2f})   time ratio: {r['ratio_extract_over_bare']:.2f}   "
            f"peak RSS: {r['peak_rss_mb']:.0f} MB")


if __name__ == "__main__":
    main()
