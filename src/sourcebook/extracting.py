"""What ingest and the Dask runner (``scale.py``) both run: extracting documents without ever
raising for one of them, and the extractor versions a run would write.  Neutral ground, so that
``ingest`` may use ``scale`` and ``scale``'s workers may use this without importing ``ingest``."""

from __future__ import annotations

from collections import deque
from typing import Iterable, Iterator

from .errors import InputError, ModelError
from .errors import one_line as _one_line
from .read import Document, Skip
from .record import Record


def current_versions(model: str | None = None) -> dict[str, str]:
    """The extractor versions a run would write now (model and sourcebook components)."""
    from .nlp import pipeline

    return pipeline.extractor_versions(pipeline.get_nlp(model))


def robust_extract(docs: Iterable[Document], *, workers: int = 1, model: str | None = None,
                   batch_size: int = 32) -> Iterator[tuple[Document, Record | Skip]]:
    """``(document, Record or Skip)`` for every document, in order, never raising for one document.

    ``docs`` may be any iterable (it is read lazily: memory stays flat).  Runs
    ``extract_many(on_error="skip")`` with ``n_process=workers``; if the extractor raises anyway (a
    bug on some text), the documents handed to it and not yet returned are retried one by one, the
    one that fails becomes a ``Skip("extract_error")``, and ``extract_many`` resumes after them.
    """
    from .api import extract, extract_many
    from .nlp.registry import strict

    it = iter(docs)
    pending: deque[Document] = deque()  # handed to extract_many, not yet yielded

    def feed() -> Iterator[Document]:
        for d in it:
            pending.append(d)
            yield d

    while True:
        try:
            for out in extract_many(feed(), n_process=workers, model=model, on_error="skip",
                                    batch_size=batch_size):
                yield pending.popleft(), out
            if not pending:
                return
            raise RuntimeError("the extractor returned fewer records than documents")
        except ModelError:
            raise
        except Exception:  # one bad document never ends a batch
            if strict():  # tests: a bug must fail them, not become a skip
                raise
            while pending:
                d = pending.popleft()
                try:
                    one: Record | Skip = extract(d.text, published=d.published, url=d.url, title=d.title,
                                                 model=model)
                except InputError as err:
                    one = Skip(d.origin, err.reason, str(err))
                except ModelError:
                    raise
                except Exception as err:  # noqa: BLE001
                    one = Skip(d.origin, "extract_error",
                               f"extraction failed ({type(err).__name__}: {_one_line(err)})")
                yield d, one
