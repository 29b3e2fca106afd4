"""Corpus scale: extraction on a Dask distributed cluster, records back to the one writer.

``sourcebook ingest --workers N`` starts a ``distributed.LocalCluster`` of N single-threaded worker
processes; ``--scheduler tcp://HOST:PORT`` uses a cluster that is already running (``dask
scheduler`` / ``dask worker``, dask-jobqueue, dask-kubernetes).  Either way:

- the worker functions live here, in an importable module (never ``__main__``), so a worker
  unpickles them by reference; every worker process loads the spaCy pipeline ONCE
  (``pipeline.get_nlp`` is cached per process, and ``ModelPlugin`` loads it when the worker starts);
- documents travel in batches (``batch_size`` articles a task); each task returns the batch's
  ``Record`` or ``Skip`` objects to the client, the one process that writes the store;
- at most ``max_in_flight`` batches are out at once (default: two per worker thread), and the
  input is pulled lazily, so the client's memory stays flat whatever the size of the corpus;
- a worker lost mid-batch (killed, out of memory, its machine gone) loses only unwritten work: the
  scheduler reruns its tasks elsewhere, and if it gives up (``KilledWorker`` after
  ``distributed.scheduler.allowed-failures``), ``DaskRunner`` resubmits the batch itself, then
  splits it into single articles, so that one article that kills every worker ends as a ``Skip``
  (``extract_error``) and the rest of its batch is stored.  Each batch's results are consumed
  exactly once, and ``Store.write`` stores an article at most once anyway (its id is a hash of its
  text): nothing is stored twice, nothing is dropped.

The store never travels: workers only extract, the client writes (one transaction per article,
``ingest.py``).
"""

from __future__ import annotations

import itertools
import logging
import os
import resource
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from .errors import ModelError
from .extracting import current_versions, robust_extract
from .read import Document, Skip
from .record import Record

try:
    from distributed.diagnostics.plugin import WorkerPlugin
except ImportError:  # pragma: no cover - dask[distributed] is a dependency
    WorkerPlugin = object  # type: ignore[misc,assignment]

#: Articles per Dask task.
DEFAULT_BATCH = 32
#: Environment variable: seconds to wait for a Dask scheduler to answer.
ENV_TIMEOUT = "SOURCEBOOK_DASK_TIMEOUT"
#: Times a batch is sent again after its worker was lost, before it is split into single articles.
MAX_ATTEMPTS = 3

log = logging.getLogger(__name__)


# --------------------------------------------------------------------------- worker side


def extract_batch(docs: list[Document], model: str | None = None, nlp_batch: int = 32) -> list[Record | Skip]:
    """Runs on a worker: one ``Record`` or ``Skip`` per document, in order (``extracting.robust_extract``:
    a document the extractor fails on is a ``Skip``; only a missing model raises)."""
    return [out for _, out in robust_extract(docs, workers=1, model=model, batch_size=nlp_batch)]


def worker_versions(model: str | None = None) -> dict[str, str]:
    """Runs on a worker: the extractor versions it would write (loads the model if needed), or
    ``{"error": message, "reason": code}`` when the model cannot be loaded there (returned, not
    raised, so that the worker does not log a traceback for a plain configuration error)."""
    try:
        return current_versions(model)
    except ModelError as err:
        return {"error": str(err), "reason": err.reason}


def worker_memory() -> dict[str, Any]:
    """Runs on a worker (``client.run``): its pid, current and peak resident memory in bytes, and
    the CPU seconds it has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss
    peak = peak if sys.platform == "darwin" else peak * 1024  # Linux reports KiB
    try:
        import psutil

        rss = psutil.Process().memory_info().rss
    except Exception:  # noqa: BLE001 - psutil is a dependency of distributed, but be safe
        rss = None
    return {"pid": os.getpid(), "rss": rss, "peak_rss": peak, "cpu_seconds": usage.ru_utime + usage.ru_stime}


def _load_model(model: str | None) -> None:
    from .nlp import pipeline

    pipeline.get_nlp(model)


class ModelPlugin(WorkerPlugin):
    """A worker plugin that loads the spaCy pipeline when a worker starts (workers that join
    later, or that a nanny restarts, included), so the first batch does not pay for it."""

    name = "sourcebook-model"
    idempotent = True

    def __init__(self, model: str | None = None):
        self.model = model

    def setup(self, worker=None) -> None:  # distributed's WorkerPlugin API
        _load_model(self.model)


# --------------------------------------------------------------------------- the client side


def _lost_errors() -> tuple[type[BaseException], ...]:
    """Exceptions that mean the work was lost with its worker or connection, not that it failed."""
    from concurrent.futures import CancelledError

    from distributed import KilledWorker
    from distributed.comm.core import CommClosedError

    errors: list[type[BaseException]] = [KilledWorker, CommClosedError, CancelledError, OSError, TimeoutError]
    try:
        from distributed.client import FutureCancelledError

        errors.append(FutureCancelledError)
    except ImportError:  # older distributed
        pass
    return tuple(errors)


@dataclass
class RunnerStats:
    """What a ``DaskRunner`` did: batches sent and done, resubmissions after lost workers."""

    batches: int = 0  # batches submitted for the first time
    done: int = 0  # batch results consumed
    resubmitted: int = 0  # batches sent again after their worker was lost
    split: int = 0  # batches split into single articles after MAX_ATTEMPTS losses
    lost: int = 0  # articles given up on (each a Skip "extract_error")
    errors: list[str] = field(default_factory=list)


@dataclass
class _Batch:
    no: int
    docs: list[Document]
    attempt: int = 1
    part: int = 0  # 0: the whole batch; i > 0: its i-th article alone, after the batch was split


class DaskRunner:
    """Send documents to a Dask cluster in batches and get ``(document, Record or Skip)`` back.

    ``client`` is a ``distributed.Client``.  ``extract(docs)`` pulls ``docs`` lazily (an iterator
    is fine) and yields results as batches complete (not in input order), with at most
    ``max_in_flight`` batches submitted and not yet consumed.
    """

    def __init__(self, client, *, model: str | None = None, batch_size: int = DEFAULT_BATCH,
                 nlp_batch: int = 32, max_in_flight: int | None = None, max_attempts: int = MAX_ATTEMPTS):
        self.client = client
        self.model = model
        self.batch_size = max(1, int(batch_size))
        self.nlp_batch = max(1, int(nlp_batch))
        self.max_in_flight = max_in_flight
        self.max_attempts = max(1, int(max_attempts))
        self.stats = RunnerStats()
        self._run = uuid.uuid4().hex[:8]
        self._versions: dict[str, str] | None = None

    # -- cluster facts ------------------------------------------------------------------------

    def n_threads(self) -> int:
        """Worker threads in the cluster now (each runs one batch at a time)."""
        try:
            return max(0, sum(self.client.nthreads().values()))
        except Exception:  # noqa: BLE001 - a scheduler that does not answer: assume one
            return 1

    def in_flight_limit(self) -> int:
        if self.max_in_flight:
            return max(1, int(self.max_in_flight))
        return max(2, 2 * self.n_threads())

    def wait_for_workers(self, n: int = 1, timeout: float = 300) -> None:
        try:
            self.client.wait_for_workers(n, timeout=timeout)
        except TimeoutError:
            raise ModelError(f"no Dask worker joined the scheduler {self.client.scheduler.address} "
                             f"within {timeout:.0f} s", reason="no_workers") from None

    def load_model(self) -> None:
        """Load the model on every worker now and on every worker that joins later."""
        self.client.register_plugin(ModelPlugin(self.model), name=ModelPlugin.name)

    def versions(self) -> dict[str, str]:
        """The extractor versions the workers write (asked of one worker: the client need not load
        the model).  Raises ``ModelError`` when the workers do not have the model."""
        if self._versions is None:
            fut = self.client.submit(worker_versions, self.model, pure=False, key=f"sourcebook-versions-{self._run}")
            found = fut.result()
            if "error" in found:
                raise ModelError(f"on the Dask workers: {found['error']}", reason=found.get("reason") or "model")
            self._versions = found
        return dict(self._versions)

    def memory(self) -> dict[str, dict[str, Any]]:
        """``{worker address: {pid, rss, peak_rss}}`` measured inside each worker process."""
        return self.client.run(worker_memory)

    # -- the loop -----------------------------------------------------------------------------

    def _submit(self, batch: _Batch, ac, futures: dict) -> None:
        key = f"sourcebook-extract-{self._run}-{batch.no}.{batch.part}-{batch.attempt}"
        fut = self.client.submit(extract_batch, batch.docs, self.model, self.nlp_batch, pure=False, key=key)
        futures[fut.key] = (fut, batch)
        ac.add(fut)

    def extract(self, docs: Iterable[Document]) -> Iterator[tuple[Document, Record | Skip]]:
        from distributed import as_completed

        lost = _lost_errors()
        it = iter(docs)
        numbers = itertools.count()
        futures: dict[str, tuple[Any, _Batch]] = {}
        retry: list[_Batch] = []
        ac = as_completed(with_results=False)
        limit = self.in_flight_limit()
        exhausted = False
        try:
            while True:
                # fill: retries first, then new batches, up to the in-flight limit
                while len(futures) < limit and (retry or not exhausted):
                    if retry:
                        self._submit(retry.pop(0), ac, futures)
                        continue
                    chunk = list(itertools.islice(it, self.batch_size))
                    if not chunk:
                        exhausted = True
                        break
                    self.stats.batches += 1
                    self._submit(_Batch(next(numbers), chunk), ac, futures)
                if not futures:
                    return
                fut = next(ac)
                _, batch = futures.pop(fut.key)
                try:
                    outs = fut.result()
                except ModelError:
                    raise
                except lost as err:
                    yield from self._lost(batch, err, retry)
                    continue
                except Exception as err:  # noqa: BLE001 - the task failed outside robust_extract
                    yield from self._lost(batch, err, retry)
                    continue
                finally:
                    fut.release()
                if len(outs) != len(batch.docs):  # pragma: no cover - extract_batch keeps lengths
                    yield from self._lost(batch, RuntimeError("a batch came back with the wrong length"), retry)
                    continue
                # consumed once: a future leaves ``futures`` when it is consumed, and a batch is sent
                # again only when its future brought no result
                self.stats.done += 1
                yield from zip(batch.docs, outs)
                limit = self.in_flight_limit() if self.stats.done % 16 == 0 else limit
        finally:  # stopped early (an error, Ctrl-C): cancel what is still out
            for fut, _ in futures.values():
                try:
                    fut.cancel()
                except Exception:  # noqa: BLE001 - the client may be closing already
                    pass
            futures.clear()

    def _lost(self, batch: _Batch, err: BaseException, retry: list[_Batch]) -> Iterator[tuple[Document, Skip]]:
        msg = f"{type(err).__name__}: {' '.join(str(err).split())[:200]}"
        self.stats.errors.append(msg)
        log.warning("batch %d (attempt %d, %d articles) lost: %s", batch.no, batch.attempt, len(batch.docs), msg)
        if batch.attempt < self.max_attempts:
            self.stats.resubmitted += 1
            retry.append(_Batch(batch.no, batch.docs, batch.attempt + 1, batch.part))
        elif len(batch.docs) > 1:
            self.stats.split += 1
            retry.extend(_Batch(batch.no, [d], 1, i) for i, d in enumerate(batch.docs, 1))
        else:
            self.stats.lost += 1
            d = batch.docs[0]
            yield d, Skip(d.origin, "extract_error",
                          f"the extraction was lost {batch.attempt} times with its worker ({msg})")


# --------------------------------------------------------------------------- clusters


#: distributed's own default for ``MALLOC_TRIM_THRESHOLD_`` in the workers it spawns.
_DASK_TRIM_DEFAULT = 65536


def _local_worker_config() -> dict[str, Any]:
    """Dask settings for the workers of our LocalCluster.  distributed starts its workers with
    ``MALLOC_TRIM_THRESHOLD_=65536``; setting any trim threshold turns off glibc's adaptive mmap
    threshold, so every allocation over 128 KiB (spaCy's arrays) becomes an mmap/munmap pair, and
    a worker spent about a fifth more CPU per article than the same extraction in a plain process
    (benchmarks/scale.py; docs/scale.md).  The variable is left unset, unless someone configured
    another value.  A spaCy worker's memory is flat without it."""
    import dask

    key = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
    if dask.config.get(key, None) == _DASK_TRIM_DEFAULT and "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return {key: None}
    return {}


@contextmanager
def dask_client(scheduler: Any = None, workers: int | None = None, *, memory_limit: str | int | None = "auto",
                timeout: float | None = None) -> Iterator[Any]:
    """A ``distributed.Client``: on ``scheduler`` (an address such as ``tcp://HOST:8786``, a
    scheduler file ``*.json``, or a ``Client`` that is used as it is and left open), else on a new
    ``LocalCluster`` of ``workers`` single-threaded processes (closed on exit).  ``timeout``: seconds
    to wait for the scheduler (default ``$SOURCEBOOK_DASK_TIMEOUT`` or 30)."""
    if timeout is None:
        try:
            timeout = float(os.environ.get(ENV_TIMEOUT) or 30)
        except ValueError:
            timeout = 30.0
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError as err:  # pragma: no cover - a dependency
        raise ModelError("Dask is not installed: pip install 'dask[distributed]'", reason="no_dask") from err
    if scheduler is not None and not isinstance(scheduler, str):
        yield scheduler
        return
    if scheduler:
        try:
            if scheduler.endswith(".json") and os.path.exists(scheduler):
                client = Client(scheduler_file=scheduler, timeout=timeout)
            else:
                client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as err:
            raise ModelError(f"cannot connect to the Dask scheduler {scheduler}: {' '.join(str(err).split())[:200]}",
                             reason="no_scheduler") from None
        try:
            yield client
        finally:
            client.close()
        return
    with dask.config.set(_local_worker_config()):
        cluster = LocalCluster(n_workers=max(1, int(workers or 1)), threads_per_worker=1, processes=True,
                               dashboard_address=":0", silence_logs=logging.ERROR, memory_limit=memory_limit)
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@contextmanager
def dask_runner(scheduler: Any = None, workers: int | None = None, *, model: str | None = None,
                batch_size: int = DEFAULT_BATCH, nlp_batch: int = 32, max_in_flight: int | None = None,
                wait_timeout: float = 300) -> Iterator[DaskRunner]:
    """A ready ``DaskRunner``: a client (``dask_client``), at least one worker, the model loaded on
    every worker."""
    with dask_client(scheduler, workers) as client:
        runner = DaskRunner(client, model=model, batch_size=batch_size, nlp_batch=nlp_batch,
                            max_in_flight=max_in_flight)
        runner.wait_for_workers(1, timeout=wait_timeout)
        runner.versions()  # a missing model is one ModelError here, before any plugin fails on it
        runner.load_model()
        yield runner


__all__ = ["DaskRunner", "ModelPlugin", "RunnerStats", "dask_client", "dask_runner", "extract_batch",
           "worker_memory", "worker_versions", "DEFAULT_BATCH", "MAX_ATTEMPTS"]
