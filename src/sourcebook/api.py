"""The public functions: ``extract`` for one article, ``extract_many`` for batches."""

from __future__ import annotations

import itertools
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from .errors import InputError
from .nlp import pipeline
from .read import Document, Skip
from .record import Record


def extract(
    text: str,
    published: str | None = None,
    url: str | None = None,
    title: str | None = None,
    *,
    model: str | None = None,
) -> Record:
    """Extract sources, quotes and figures from one article.

    ``published`` (ISO date) anchors relative dates.  Raises ``InputError`` for empty, binary-looking
    or over-long text, ``ModelError`` when the spaCy pipeline is not installed.
    """
    nlp = pipeline.get_nlp(model)
    doc = pipeline.make_doc(nlp, text, published)
    doc = pipeline.process(nlp, doc)
    return pipeline.doc_to_record(doc, nlp, url=url, title=title)


def _as_document(item: Any, index: int) -> Document:
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(text=item, origin=f"#{index}")
    if isinstance(item, Mapping):
        return Document(
            text=item.get("text"),  # type: ignore[arg-type]
            origin=str(item.get("origin") or f"#{index}"),
            url=item.get("url"),
            title=item.get("title"),
            published=item.get("published"),
        )
    if isinstance(item, tuple) and item and isinstance(item[0], str):
        meta = item[1] if len(item) > 1 and isinstance(item[1], Mapping) else {}
        return _as_document({"text": item[0], **meta}, index)
    raise InputError(f"item {index}: expected str, dict, (text, meta) or Document, got {type(item).__name__}",
                     reason="not_text")


def _prepared(nlp, items: Iterable[Any], on_error: str) -> Iterator[tuple[Any, Any]]:
    """Yield (doc or None, Document or Skip) in input order."""
    for i, item in enumerate(items):
        try:
            d = _as_document(item, i)
            doc = pipeline.make_doc(nlp, d.text, d.published)
        except InputError as err:
            if on_error == "raise":
                raise
            origin = getattr(item, "origin", None) or (item.get("origin") if isinstance(item, Mapping) else None)
            yield None, Skip(origin=str(origin or f"#{i}"), reason=err.reason, message=str(err))
            continue
        yield doc, d


@dataclass(frozen=True)
class _Run:
    """How one ``extract_many`` call runs (sent as is to worker processes)."""

    model: str | None
    on_error: str
    batch_size: int
    only: tuple[str, ...] | None = None
    attribution: str | None = None
    scope: str | None = None


def _run_serial(items: Iterable[Any], run: _Run):
    nlp = pipeline.get_nlp(run.model, run.attribution, only=run.only, scope=run.scope)
    prepared = _prepared(nlp, items, run.on_error)
    # Split the stream: docs go through nlp.pipe, skips are re-inserted in order.
    a, b = itertools.tee(prepared)
    docs = (doc for doc, _ in a if doc is not None)
    processed = pipeline.pipe(nlp, docs, batch_size=run.batch_size)
    for doc, d in b:
        if doc is None:
            yield d
        else:
            done = next(processed)
            yield pipeline.doc_to_record(done, nlp, url=d.url, title=d.title)


def _worker_batch(args: tuple[list[Any], _Run]) -> list[Any]:
    items, run = args
    return list(_run_serial(items, run))


def extract_many(
    items: Iterable[Any],
    n_process: int = 1,
    *,
    batch_size: int = 32,
    model: str | None = None,
    on_error: str = "raise",
    only: tuple[str, ...] | None = None,
    attribution: str | None = None,
    scope: str | None = None,
) -> Iterator[Record | Skip]:
    """Extract records from many articles, in input order, with ``nlp.pipe``.

    ``items`` are texts, dicts with ``text`` (and optionally ``published``, ``url``, ``title``,
    ``origin``), ``(text, meta)`` tuples or ``read.Document`` objects.  With ``on_error="skip"``
    a bad item yields a ``read.Skip`` in its place instead of raising ``InputError``.
    ``n_process > 1`` spreads batches over worker processes, each loading the model once.
    ``only`` runs just those components and what they need (``pipeline.get_nlp``): the records
    hold their output only (an evaluation of places needs no parse).  ``attribution`` (combined,
    rules, learned) and ``scope`` (guidelines, broad) choose the attribution component's setup
    (default: $SOURCEBOOK_ATTRIBUTION, $SOURCEBOOK_SCOPE, else combined and guidelines).
    """
    if on_error not in ("raise", "skip"):
        raise ValueError("on_error must be 'raise' or 'skip'")
    run = _Run(model, on_error, batch_size, only, attribution, scope)
    if n_process <= 1:
        yield from _run_serial(items, run)
        return
    chunk = max(batch_size, 8)
    it = iter(items)
    batches = iter(lambda: list(itertools.islice(it, chunk)), [])
    # At most two batches per worker in flight: memory stays flat however long the input is,
    # and records come back in input order.
    in_flight: deque = deque()
    with ProcessPoolExecutor(max_workers=n_process) as pool:
        for b in batches:
            in_flight.append(pool.submit(_worker_batch, (b, run)))
            if len(in_flight) >= 2 * n_process:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
