"""``sourcebook ingest``: read documents, extract what is new, store it; a progress bar and a summary.

The loop, in order, as a stream (memory stays flat whatever the size of the corpus):

1. read the documents under the given paths (``read.iter_documents``: files, folders, globs,
   JSON Lines, Parquet, HTML), a group at a time; bad ones become typed ``Skip`` items, recorded in
   the ``skipped`` table as they are met;
2. compute each article's id (``record.article_id``: a hash of the normalized text) and ask the
   store which of the group are there already: those are *unchanged* and are not extracted again
   (unless ``reextract`` and their stored extractor versions differ from the current ones), nor is
   an article met earlier in the run;
3. extract the rest, in this process (``extract_many(on_error="skip")``, ``n_process`` processes)
   or on a Dask cluster (``scale.py``: ``workers`` local processes or an existing ``scheduler``),
   and write each record, here, in ONE transaction (``Store.write``), so a kill at any moment
   leaves only whole articles, and a re-run picks up where the last one stopped;
4. close the run (``extraction_runs``) with its totals and timings, and return an ``IngestSummary``.

Bad input never ends a batch: an unreadable file, a broken JSON line, a document the extractor
refuses (``InputError``) or fails on (``extract_error``), a record the database refuses
(``store_error``) are all listed as skipped.  Only a database that cannot be used stops the run.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Protocol

from sqlalchemy import exc as sa_exc

from .errors import one_line as _one_line
from .extracting import current_versions, robust_extract
from .read import DEFAULT_MAX_BYTES, Document, Skip, iter_documents
from .read.metadata import Defaults
from .record import Record, article_id
from .store import Store, StoreError, comparable_versions


class IngestProgress(Protocol):
    """What the ingest loop reports while it runs (``RichProgress`` draws it)."""

    def reading(self, n_read: int, n_skipped: int) -> None: ...

    def start(self, total: int) -> None: ...  # the articles to extract so far (called as it grows)

    def advance(self, n: int = 1) -> None: ...


@dataclass
class IngestSummary:
    """What one ingest run did."""

    run_id: int
    db: str
    documents: int = 0  # documents read (not counting skips), duplicates included
    ingested: int = 0  # new articles stored
    unchanged: int = 0  # already stored (or repeated in this batch): not extracted again
    reextracted: int = 0  # stored before, extracted again (--reextract) and replaced
    outdated: int = 0  # stored by other extractor versions and left as they are (no --reextract)
    skipped: list[Skip] = field(default_factory=list)
    read_seconds: float = 0.0
    extract_seconds: float = 0.0
    store_seconds: float = 0.0
    seconds: float = 0.0
    interrupted: bool = False
    #: articles stored with a component failure in their warnings, per component (nlp/registry.py)
    component_failures: Counter = field(default_factory=Counter)

    @property
    def stored(self) -> int:
        """Articles written in this run."""
        return self.ingested + self.reextracted

    @property
    def ok(self) -> bool:
        """True when at least one article was read and is now in the store."""
        return self.ingested + self.unchanged + self.reextracted > 0

    @property
    def rate(self) -> float:
        """Articles written per second of the extract-and-store phase."""
        busy = self.extract_seconds + self.store_seconds
        return self.stored / busy if busy > 0 else 0.0

    def skip_reasons(self) -> dict[str, int]:
        return dict(Counter(s.reason for s in self.skipped).most_common())

    def to_dict(self) -> dict[str, Any]:
        return {
            "db": self.db,
            "run_id": self.run_id,
            "documents": self.documents,
            "ingested": self.ingested,
            "unchanged": self.unchanged,
            "reextracted": self.reextracted,
            "outdated": self.outdated,
            "skipped": len(self.skipped),
            "skip_reasons": self.skip_reasons(),
            "skips": [{"origin": s.origin, "reason": s.reason, "message": s.message} for s in self.skipped],
            "seconds": round(self.seconds, 3),
            "read_seconds": round(self.read_seconds, 3),
            "extract_seconds": round(self.extract_seconds, 3),
            "store_seconds": round(self.store_seconds, 3),
            "articles_per_second": round(self.rate, 2),
            "interrupted": self.interrupted,
            "component_failures": dict(self.component_failures),
        }


class _Extractor(Protocol):
    def versions(self) -> dict[str, str]: ...

    def extract(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Record | Skip]]: ...


class _LocalExtractor:
    """One process with ``nlp.pipe`` (``n_process`` > 1: a pool of processes, ``extract_many``)."""

    def __init__(self, model: str | None, n_process: int, batch_size: int):
        self.model, self.n_process, self.batch_size = model, n_process, batch_size

    def versions(self) -> dict[str, str]:
        return current_versions(self.model)

    def extract(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Record | Skip]]:
        return robust_extract(docs, workers=self.n_process, model=self.model, batch_size=self.batch_size)


@contextmanager
def _extractor(*, workers: int | None, scheduler: Any, n_process: int, model: str | None,
               batch_size: int) -> Iterator[_Extractor]:
    if scheduler is None and workers is None:
        yield _LocalExtractor(model, n_process, batch_size)
        return
    from .scale import dask_runner

    with dask_runner(scheduler, workers, model=model, batch_size=batch_size, nlp_batch=batch_size) as runner:
        yield runner


def ingest(
    paths: Iterable[str | os.PathLike[str]],
    store: Store,
    *,
    workers: int | None = None,
    scheduler: Any = None,
    n_process: int = 1,
    reextract: bool = False,
    model: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    batch_size: int = 32,
    progress: IngestProgress | None = None,
    check_every: int = 500,
    defaults: Defaults | None = None,
) -> IngestSummary:
    """Ingest every document under ``paths`` into ``store``; see the module docstring.

    Where extraction runs: ``scheduler`` (a Dask scheduler address ``tcp://HOST:PORT``, a scheduler
    file, or a ``distributed.Client``) sends batches to that cluster; else ``workers=N`` starts a
    ``distributed.LocalCluster`` of N processes; else one process with ``nlp.pipe``
    (``n_process`` > 1: that many processes).  Either way this process is the one writer.
    Documents are read, checked against the store (``check_every`` at a time) and extracted as a
    stream, so memory does not grow with the corpus.  ``defaults``: the run's ``--published`` and
    ``--outlet`` (``read.metadata``: metadata files and datelines beside them, and the order).
    """
    t0 = time.perf_counter()
    inputs: list[str] = [os.fspath(p) for p in paths]
    with _extractor(workers=workers, scheduler=scheduler, n_process=n_process, model=model,
                    batch_size=batch_size) as extractor:
        versions = extractor.versions()
        if scheduler is not None:
            n_workers = max(1, extractor.n_threads())  # type: ignore[attr-defined]
        else:
            n_workers = workers if workers is not None else n_process
        run_id = store.begin_run(extractors=versions, inputs=inputs, workers=n_workers, reextract=reextract)
        summary = IngestSummary(run_id=run_id, db=store.display)
        status = "failed"
        try:
            _run(inputs, store, extractor, summary, versions=versions, reextract=reextract, max_bytes=max_bytes,
                 progress=progress, check_every=max(1, check_every), t0=t0, defaults=defaults)
            status = "finished"
        except KeyboardInterrupt:
            status = "interrupted"
            summary.interrupted = True
            raise
        finally:
            summary.seconds = time.perf_counter() - t0
            try:
                store.finish_run(
                    run_id, status=status, n_documents=summary.documents, n_ingested=summary.ingested,
                    n_unchanged=summary.unchanged, n_reextracted=summary.reextracted,
                    n_skipped=len(summary.skipped), read_seconds=summary.read_seconds,
                    extract_seconds=summary.extract_seconds, store_seconds=summary.store_seconds,
                    total_seconds=summary.seconds, component_failures=dict(summary.component_failures),
                )
            except Exception:  # the run row is a log; never hide the real error
                if status == "finished":
                    raise
    if summary.stored:  # the ledger (near-duplicates, claims, series, flows) follows; never fails the ingest
        from .ledger import update_after_ingest

        update_after_ingest(store)
        _refresh_statistics(store, summary.stored)
    return summary


def _refresh_statistics(store: Store, stored: int) -> None:
    """``ANALYZE`` when this run wrote a tenth of the store or more (or it has no statistics yet):
    the query plans of the web UI and the query commands depend on them.  Never fails the ingest."""
    try:
        from sqlalchemy import func, select

        from .store import schema as S

        with store.reading() as conn:
            total = int(conn.execute(select(func.count()).select_from(S.articles)).scalar_one())
        if not store.analyze(if_missing=True) and stored * 10 >= total:
            store.analyze()
    except (sa_exc.SQLAlchemyError, OSError):  # statistics are an optimisation
        pass


def new_metadata(doc: Document, stored: dict[str, Any]) -> bool:
    """True when ``doc`` gives a stored article a date, title, URL or outlet it does not have yet
    (another date changes what relative dates resolve to: the article is extracted again)."""
    if doc.published and doc.published != stored.get("published"):
        return True
    if doc.title and doc.title != stored.get("title"):
        return True
    if doc.url and doc.url != stored.get("url"):
        return True
    return doc.outlet is not None and doc.outlet != "" and doc.outlet[:255] != stored.get("outlet")


def _run(paths: list[str], store: Store, extractor: _Extractor, summary: IngestSummary, *,
         versions: dict[str, str], reextract: bool, max_bytes: int, progress: IngestProgress | None,
         check_every: int, t0: float, defaults: Defaults | None = None) -> None:
    now = comparable_versions(versions)
    # Articles handed to the extractor and not yet written: id -> replace (re-extraction).  With
    # the store, this is how an article met twice is extracted once; it holds ids only, and no more
    # than the extractor has in flight.
    pending: dict[str, bool] = {}
    n_todo = 0
    n_read_skips = 0
    reading = 0.0  # seconds spent reading and checking the store, inside the extraction loop

    def classify(group: list[tuple[str, Document]]) -> list[Document]:
        """Step 2 for a group of documents: what is new, what is out of date (extractors, or the
        metadata the input now gives: a stored article is extracted again with its new date)."""
        stored = store.stored_metadata(aid for aid, _ in group)
        todo: list[Document] = []
        for aid, doc in group:
            if aid in pending:
                summary.unchanged += 1  # the same article earlier in this run
            elif aid not in stored:
                pending[aid] = False
                todo.append(doc)
            elif new_metadata(doc, stored[aid]):
                pending[aid] = True
                todo.append(doc)
            elif comparable_versions(stored[aid]["extractors"]) != now:
                if reextract:
                    pending[aid] = True
                    todo.append(doc)
                else:
                    summary.outdated += 1
                    summary.unchanged += 1
            else:
                summary.unchanged += 1
        return todo

    def documents() -> Iterator[tuple[str, Document] | Skip]:
        for path in paths:
            for item in iter_documents(path, max_bytes=max_bytes, defaults=defaults):
                if isinstance(item, Skip):
                    yield item
                else:
                    summary.documents += 1
                    yield article_id(item.text), item

    def todo_stream() -> Iterator[Document]:
        """Step 1 and 2, lazily: read ``check_every`` documents, check them, hand the new ones on."""
        nonlocal n_todo, n_read_skips, reading
        source = documents()
        done = False
        while not done:
            t = time.perf_counter()
            group: list[tuple[str, Document]] = []
            skips: list[Skip] = []
            done = True
            for item in source:
                if isinstance(item, Skip):
                    skips.append(item)
                    n_read_skips += 1
                else:
                    group.append(item)
                if progress is not None:
                    progress.reading(summary.documents, n_read_skips)
                if len(group) >= check_every:
                    done = False
                    break
            if skips:
                summary.skipped.extend(skips)
                store.add_skips(summary.run_id, skips)
            todo = classify(group) if group else []
            del group
            n_todo += len(todo)
            if progress is not None and (todo or not n_todo):
                progress.start(n_todo)
            reading += time.perf_counter() - t
            yield from todo

    # 3. extract and store, one transaction per article
    results = extractor.extract(todo_stream())
    try:
        _write_all(results, store, summary, pending, progress, lambda: reading)
    finally:
        close = getattr(results, "close", None)
        if close is not None:  # stop the extractor (cancel batches in flight) before it is shut down
            close()
    summary.read_seconds += reading


def _write_all(results: Iterator[tuple[Document, Record | Skip]], store: Store, summary: IngestSummary,
               pending: dict[str, bool], progress: IngestProgress | None, reading) -> None:
    """Write every result as it comes: one transaction per article (``Store.write``)."""
    from .nlp.registry import failed_components

    while True:
        t1 = time.perf_counter()
        reading_before = reading()
        try:
            doc, out = next(results)
        except StopIteration:
            break
        t2 = time.perf_counter()
        summary.extract_seconds += (t2 - t1) - (reading() - reading_before)
        aid = out.id if isinstance(out, Record) else article_id(doc.text)
        replace = pending.pop(aid, False)
        if isinstance(out, Skip):
            summary.skipped.append(out)
            store.add_skips(summary.run_id, [out])
        else:
            try:
                result = store.write(out, origin=doc.origin, run_id=summary.run_id, replace=replace,
                                     outlet=doc.outlet, published_source=doc.date_source)
            except (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.InternalError) as err:
                raise StoreError(f"cannot write to {store.display}: {_one_line(err)}") from None
            except (sa_exc.SQLAlchemyError, ValueError, TypeError, UnicodeError) as err:
                skip = Skip(doc.origin, "store_error", f"the database refused the record ({_one_line(err)})")
                summary.skipped.append(skip)
                store.add_skips(summary.run_id, [skip])
            else:
                summary.component_failures.update(failed_components(out.warnings))
                if result == "ingested":
                    summary.ingested += 1
                elif result == "reextracted":
                    summary.reextracted += 1
                else:
                    summary.unchanged += 1
        summary.store_seconds += time.perf_counter() - t2
        if progress is not None:
            progress.advance(1)
