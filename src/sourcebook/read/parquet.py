"""Parquet files of articles: one row per article, a ``text`` column (required) and optionally
``url``, ``title`` and ``published`` (or ``date``), as in JSON Lines.

The file is streamed with pyarrow, row group by row group, in record batches of at most
``BATCH_ROWS`` rows, reading only those columns: memory stays flat however many rows the file
holds.  Items are named ``path:N`` (1-based row number).  A row that cannot be used becomes a
``Skip`` whose message starts with ``row N:`` (the same checks as a JSON Lines line); a file
without a ``text`` column, or one pyarrow cannot read, is one ``Skip`` for the file.
"""

from __future__ import annotations

from typing import IO, Any, Iterator

from .document import Document, Skip
from .jsonl import record_to_document
from .text import too_large_message

PARQUET_MAGIC = b"PAR1"
#: Rows read at a time (within a row group).
BATCH_ROWS = 1024
#: The columns read; the others are never loaded.
COLUMNS = ("text", "url", "title", "published", "date", "outlet")


def _message(err: BaseException) -> str:
    return " ".join(str(err).split())[:200] or type(err).__name__


def iter_parquet(source: "str | IO[bytes]", max_bytes: int, origin: str | None = None
                 ) -> Iterator[Document | Skip]:
    """Documents and skips from a Parquet file (a path or a binary file object)."""
    origin = origin or (source if isinstance(source, str) else "<parquet>")
    try:
        import pyarrow.parquet as pq
    except ImportError:  # pragma: no cover - a dependency
        yield Skip(origin, "unreadable", "reading Parquet needs pyarrow (pip install pyarrow)")
        return
    try:
        pf = pq.ParquetFile(source)
    except FileNotFoundError:
        yield Skip(origin, "not_found", "no such file")
        return
    except Exception as err:  # noqa: BLE001 - pyarrow raises ArrowInvalid, OSError, ...
        yield Skip(origin, "unreadable", f"not a readable Parquet file ({_message(err)})")
        return
    names = list(pf.schema_arrow.names)
    if "text" not in names:
        has = f" (it has: {', '.join(names[:8])})" if names else ""
        yield Skip(origin, "missing_text", f'no "text" column{has}')
        return
    columns = [c for c in COLUMNS if c in names]
    if pf.metadata.num_rows == 0:
        yield Skip(origin, "empty", "the file has no rows")
        return
    row = 0
    try:
        for rg in range(pf.num_row_groups):
            for batch in pf.iter_batches(batch_size=BATCH_ROWS, row_groups=[rg], columns=columns):
                data: dict[str, list[Any]] = batch.to_pydict()
                for i in range(batch.num_rows):
                    row += 1
                    obj = {c: data[c][i] for c in columns}
                    where = f"{origin}:{row}"
                    prefix = f"row {row}: "
                    text = obj.get("text")
                    if isinstance(text, str) and len(text) > max_bytes // 4 and len(text.encode("utf-8")) > max_bytes:
                        size = len(text.encode("utf-8"))
                        yield Skip(where, "too_large", prefix + too_large_message(size, max_bytes, 'the "text" field'))
                        continue
                    if text is None:  # a null cell: say so as for a missing field
                        yield Skip(where, "missing_text", prefix + '"text" is null')
                        continue
                    yield record_to_document(obj, where, prefix, "parquet-field")
                del data
    except Exception as err:  # noqa: BLE001 - damaged data: the rows before it were read
        yield Skip(origin, "unreadable",
                   f"reading stopped at row {row + 1} ({_message(err)}); rows before it were read")


def read_parquet_file(path: str, max_bytes: int, origin: str | None = None) -> Iterator[Document | Skip]:
    """A ``.parquet`` file."""
    yield from iter_parquet(path, max_bytes, origin or path)


def iter_parquet_bytes(data: bytes, origin: str, max_bytes: int) -> Iterator[Document | Skip]:
    """Parquet held in memory (standard input)."""
    import io

    yield from iter_parquet(io.BytesIO(data), max_bytes, origin)


__all__ = ["iter_parquet", "iter_parquet_bytes", "read_parquet_file", "PARQUET_MAGIC"]
