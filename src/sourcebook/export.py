"""``sourcebook export``: every table of the store to CSV, JSON Lines or Parquet, one file per table.

Files are named after the tables (``articles.csv``, ``quotes.parquet``, ...) and overwrite files of
the same name.  Values:

* CSV: a header row of column names; NULL is an empty field; booleans ``true``/``false``; dates and
  timestamps ISO 8601; a text field starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
  is written with a leading ``'`` (spreadsheets would run it as a formula: OWASP's advice against
  CSV injection; JSON Lines and Parquet keep the exact values); JSON columns (``extractors``,
  ``warnings``, ``extra``, ``place``, ``time``, ``actor``, ``recipient``, ``inputs``, ...) as JSON text.
* JSON Lines: one object per row; JSON columns as nested values.
* Parquet (pyarrow): typed columns (int64, float64, bool, date32, timestamp[us, UTC], string);
  JSON columns as JSON text.

Tables with a range (``counts``, the ledger's claims, citations, series, months and flows) get one
display column after their own: ``range``, written as everywhere else ("7,000", "200–999", "≥150",
"≤150"; ``sourcebook.display.fmt_range``).

Reviewed values (``sourcebook.review``): ``articles``, ``sources``, ``source_mentions``, ``quotes``
and ``counts`` are written with corrections applied (rejected items left out, corrected values in
place, ``n_*`` columns counting what is left); ``reviews`` (the log: who, when, before, after) and
``review_state`` are tables of their own.  ``export(..., corrected=False)`` writes the rows as
extracted.  ``events``, ``places`` and ``dates`` are reviewed the same way (an event whose source is
rejected is left out with it).

``--format acled`` and ``--format datasette`` write files for other tools instead (docs/export.md).
"""

from __future__ import annotations

import csv
import json
import os
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Iterable

import sqlalchemy as sa

from .display import fmt_range
from .store import TABLES, Store, StoreError
from .store.schema import INDEX_TABLES

#: One file per table.
TABLE_FORMATS = ("csv", "jsonl", "parquet")
#: Files for other tools: ACLED-style events and UCDP-style estimates (``acled``), a datasette
#: metadata file (``datasette``).
FORMATS = TABLE_FORMATS + ("acled", "datasette")


def _plain(v: Any) -> Any:
    if isinstance(v, (datetime, date)):
        return v.isoformat()
    return v


#: A cell starting with one of these is a formula to a spreadsheet (OWASP "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(v: Any) -> Any:
    """One CSV field: NULL empty, booleans ``true``/``false``, JSON columns as JSON text; text
    starting with ``= + - @``, tab or carriage return gets a leading ``'`` so that spreadsheets
    show it as text instead of running it as a formula.  Numbers are written as they are."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (dict, list)):
        v = json.dumps(v, ensure_ascii=False)
    v = _plain(v)
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def csv_row(row: dict[str, Any], cols: list[str]) -> list[Any]:
    """The CSV fields of ``row`` for ``cols`` (every CSV export writes its rows with this)."""
    return [csv_cell(row[c]) for c in cols]


def _arrow_type(col: sa.Column):
    import pyarrow as pa

    t = col.type
    if isinstance(t, sa.Boolean):
        return pa.bool_()
    if isinstance(t, sa.Integer):  # Integer and BigInteger
        return pa.int64()
    if isinstance(t, sa.Float):
        return pa.float64()
    if isinstance(t, sa.DateTime):
        return pa.timestamp("us", tz="UTC")
    if isinstance(t, sa.Date):
        return pa.date32()
    return pa.string()


def _arrow_value(col: sa.Column, v: Any) -> Any:
    if v is None:
        return None
    if isinstance(col.type, sa.JSON):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(col.type, sa.DateTime) and isinstance(v, datetime) and v.tzinfo is None:

        return v.replace(tzinfo=UTC)  # SQLite keeps UTC timestamps without a zone
    return v


def table_rows(store: Store, name: str, corrected: bool = True):
    """Batches of rows of table ``name`` (reviewed values unless ``corrected`` is False), with the
    display columns."""
    if corrected:
        from .review import iter_effective_rows

        batches = iter_effective_rows(store, name)
    else:
        batches = store.iter_rows(name)
    extra = display_columns(name)
    for batch in batches:
        if extra:
            batch = [{**row, **{col: fn(row) for col, fn in extra.items()}} for row in batch]
        yield batch


def display_columns(name: str) -> dict[str, Any]:
    """Columns written after a table's own ones, for reading: ``range``, the figure's range as written
    everywhere ("≥150", "200–999", ``sourcebook.display.fmt_range``), for every table with a range."""
    cols = TABLES[name].c
    if "low" in cols and "high" in cols:
        return {"range": lambda r: fmt_range(r.get("low"), r.get("high"))}
    if "min_low" in cols and "max_high" in cols:
        return {"range": lambda r: fmt_range(r.get("min_low"), r.get("max_high"))}
    return {}


def table_columns(name: str) -> list[str]:
    return list(TABLES[name].c.keys()) + list(display_columns(name))


def _write_csv(store: Store, name: str, path: Path, corrected: bool = True) -> int:
    cols = table_columns(name)
    n = 0
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for batch in table_rows(store, name, corrected):
            for row in batch:
                w.writerow(csv_row(row, cols))
            n += len(batch)
    return n


def _write_jsonl(store: Store, name: str, path: Path, corrected: bool = True) -> int:
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for batch in table_rows(store, name, corrected):
            for row in batch:
                f.write(json.dumps({k: _plain(v) for k, v in row.items()}, ensure_ascii=False) + "\n")
            n += len(batch)
    return n


def _write_parquet(store: Store, name: str, path: Path, corrected: bool = True) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = TABLES[name]
    cols = list(table.c) + [sa.Column(n, sa.Text) for n in display_columns(name)]
    schema = pa.schema([pa.field(c.name, _arrow_type(c), nullable=True) for c in cols])
    n = 0
    with pq.ParquetWriter(str(path), schema) as w:
        for batch in table_rows(store, name, corrected):
            arrays = [pa.array([_arrow_value(c, row[c.name]) for row in batch], type=f.type)
                      for c, f in zip(cols, schema)]
            w.write_table(pa.Table.from_arrays(arrays, schema=schema))
            n += len(batch)
    return n


_WRITERS = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}


def export(store: Store, out: str | os.PathLike[str], fmt: str = "csv",
           tables: Iterable[str] | None = None, *, corrected: bool = True) -> dict[str, dict[str, Any]]:
    """Write each table of ``store`` to ``out/<table>.<fmt>``; returns ``{table: {path, rows}}``.
    ``corrected``: reviewed values (``sourcebook.review``), else the rows as extracted.
    ``fmt="acled"``: ACLED-style events and UCDP-style estimates (``sourcebook.acled``);
    ``fmt="datasette"``: a metadata file for datasette (``sourcebook.datasette``)."""
    if fmt not in FORMATS:
        raise StoreError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")
    names = list(tables) if tables else [t for t in TABLES if t not in INDEX_TABLES]
    unknown = [t for t in names if t not in TABLES]
    if unknown:
        raise StoreError(f"unknown table(s) {', '.join(unknown)}: choose from {', '.join(TABLES)}")
    if tables and fmt not in TABLE_FORMATS:
        raise StoreError(f"--table goes with csv, jsonl or parquet, not {fmt}")
    folder = _folder(out)
    try:
        if fmt == "acled":
            from .acled import export_acled

            return export_acled(store, folder)
        if fmt == "datasette":
            from .datasette import write_metadata

            return write_metadata(store, folder)
    except OSError as err:
        raise StoreError(f"cannot write into {folder} ({(err.strerror or str(err)).lower()})") from None
    done: dict[str, dict[str, Any]] = {}
    for name in names:
        path = folder / f"{name}.{fmt}"
        try:
            rows = _WRITERS[fmt](store, name, path, corrected)
        except OSError as err:
            raise StoreError(f"cannot write {path} ({(err.strerror or str(err)).lower()})") from None
        done[name] = {"path": str(path), "rows": rows}
    return done


def _folder(out: str | os.PathLike[str]) -> Path:
    """The export folder, made when missing (a file there is an error)."""
    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"cannot export to {folder}: it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoreError(f"cannot create the folder {folder} ({(err.strerror or str(err)).lower()})") from None
    return folder
