"""``Store``: one database of articles and everything extracted from them.

SQLite (the default, ``./sourcebook.db``) or PostgreSQL (``postgresql://...``), same tables
(``schema.py``), created and upgraded by the Alembic migrations shipped in ``migrations/``, which
``Store`` runs itself when it opens a database.

The write path is ``Store.write(record)``: the article row, its sources, source mentions, quotes,
counts, events, places, dates and full-text entries go in ONE transaction, so a reader never sees an
article without its records and a crash never leaves half an article.  The article row carries
``n_sources``, ``n_mentions``, ``n_quotes`` and ``n_counts``, and the events, places and dates in
``extra``, written in the same transaction: a completeness marker anyone can check against the
child tables.

The store knows records (``sourcebook.record``), not spaCy.
"""

from __future__ import annotations

import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy import event, exc, func, select
from sqlalchemy import text as sql_text
from sqlalchemy.engine import URL, Connection, Engine, make_url

from ..errors import SourcebookError, one_line
from ..record import REPORTER, SCHEMA, Count, Quote, Record, Source, Span, normalize_text
from . import schema as S
from .effective import effective_select

DEFAULT_DB = "sourcebook.db"
#: Environment variable naming the database when ``--db`` is not given.
ENV_DB = "SOURCEBOOK_DB"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: Highlight marks in search snippets.
MARK_OPEN, MARK_CLOSE = "**", "**"
_HL_OPEN, _HL_CLOSE = "\u27e6", "\u27e7"  # used inside the database queries, then replaced
_PG_HEADLINE = (f"StartSel={_HL_OPEN}, StopSel={_HL_CLOSE}, MaxWords=30, MinWords=12, MaxFragments=1, "
                "FragmentDelimiter=…")

#: Keys of ``Record.extractors`` that do not change what is extracted (ignored by --reextract).
VERSION_KEYS_IGNORED = ("sourcebook",)



def contains(col, needle: str):
    """``col`` contains ``needle``, any case, with ``%``, ``_`` and ``\\`` taken literally (ILIKE)."""
    esc = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return col.ilike(f"%{esc}%", escape="\\")


def _published_between(q, published, since: str | date | None, until: str | date | None):
    """``q`` limited to ``published`` from ``since`` to ``until`` (ISO dates; either may be None)."""
    if since:
        q = q.where(published >= _published(since))
    if until:
        q = q.where(published <= _published(until))
    return q


def _only(column, value: Any) -> list:
    """``[column == value]``, or no condition when ``value`` is empty."""
    return [column == value] if value else []

class StoreError(SourcebookError):
    """The database cannot be opened, migrated or used (one line, no traceback)."""

    reason = "db"


# --------------------------------------------------------------------------- URLs


def resolve_url(db: str | os.PathLike[str] | None = None) -> URL:
    """The SQLAlchemy URL for ``db``: a SQLite file path (default ``./sourcebook.db`` or
    ``$SOURCEBOOK_DB``), ``sqlite:///path``, or ``postgresql://user:pw@host:port/name`` (the psycopg 3
    driver is used: ``postgresql+psycopg://``)."""
    raw = os.fspath(db) if db is not None else (os.environ.get(ENV_DB) or DEFAULT_DB)
    raw = raw.strip()
    if not raw:
        raise StoreError("the database URL is empty")
    if "://" not in raw:
        return URL.create("sqlite+pysqlite", database=os.path.expanduser(raw))
    scheme = raw.split("://", 1)[0].lower()
    if scheme in ("postgres", "postgresql"):
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    elif not (scheme.startswith("postgresql+") or scheme.startswith("sqlite")):
        raise StoreError(f"unsupported database URL {scheme}://...: give a SQLite file path or postgresql://...")
    try:
        return make_url(raw)
    except exc.ArgumentError as err:
        raise StoreError(f"cannot parse the database URL ({err})") from None


def display_url(url: URL) -> str:
    """The URL without its password, or the SQLite file path."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def outlet_of(url: str | None) -> str | None:
    """The outlet of an article: the host of its URL without ``www.`` (``apnews.com``)."""
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def comparable_versions(extractors: dict[str, Any] | None) -> dict[str, Any]:
    """The extractor versions that decide whether a stored article is out of date."""
    return {k: v for k, v in (extractors or {}).items() if k not in VERSION_KEYS_IGNORED}


def fts_key(*parts: str) -> int:
    """A stable signed 64-bit rowid for a full-text row (SQLite)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _natural(item_id: str) -> tuple[str, int, str]:
    m = re.match(r"^(\D*)(\d+)$", item_id or "")
    return (m.group(1), int(m.group(2)), "") if m else (item_id or "", -1, item_id or "")


def _now() -> datetime:
    return datetime.now(UTC)


# --------------------------------------------------------------------------- rows


@dataclass(slots=True)
class _Rows:
    article: dict[str, Any]
    sources: list[dict[str, Any]]
    mentions: list[dict[str, Any]]
    quotes: list[dict[str, Any]]
    counts: list[dict[str, Any]]
    events: list[dict[str, Any]]
    places: list[dict[str, Any]]
    dates: list[dict[str, Any]]


def _published(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


#: Keys of the sourcebook/1 JSON kept in columns or tables of their own; the rest go to ``extra``.
#: ``events``, ``places`` and ``dates`` have tables of their own (migration 0005) and stay in
#: ``extra`` as well: ``Store.record``, the web UI and the ledger read them there, and their lengths
#: are the completeness marker of those tables (``incomplete_articles``).
_TABLED_KEYS = frozenset({"schema", "id", "url", "title", "published", "language", "extractors", "sources",
                          "quotes", "counts", "warnings", "text"})
#: Record lists with a table of their own that ``extra`` keeps too: JSON key -> table.
EXTRA_TABLES = {"events": "events", "places": "places", "dates": "dates"}


def _extra(rec: Record) -> dict[str, Any]:
    """The record's fields without columns of their own, as in its JSON (``to_dict``)."""
    out: dict[str, Any] = {}
    for f in fields(rec):
        if f.name in _TABLED_KEYS:
            continue
        value = getattr(rec, f.name)
        if isinstance(value, list):
            out[f.name] = [x.to_dict() if hasattr(x, "to_dict") else x for x in value]
        else:
            out[f.name] = value.to_dict() if hasattr(value, "to_dict") else value
    return out


def _day(value: Any) -> date | None:
    """An ISO date (``YYYY-MM-DD``, or the date part of a longer ISO string) as a ``date``; None
    for None or anything else (the JSON column and ``articles.extra`` keep the value as written)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _number(value: Any, kind: type) -> Any:
    if value is None or isinstance(value, bool):
        return None
    try:
        return kind(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def event_row(aid: str, e: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    """The ``events`` row of one event in its record-JSON form (``Event.to_dict()``)."""
    actor, recipient, place, time = (_dict(e.get(k)) for k in ("actor", "recipient", "place", "time"))
    ext = e.get("extractor") or ""
    return {
        "article_id": aid, "event_id": e["id"], "start_char": e["start"], "end_char": e["end"], "text": e["text"],
        "type": e.get("type") or "", "mode": e.get("mode"),
        "actor": e.get("actor"), "recipient": e.get("recipient"), "place": e.get("place"), "time": e.get("time"),
        "source_id": e.get("source") or REPORTER, "quote_id": e.get("quote"),
        "negated": bool(e.get("negated")), "hypothetical": bool(e.get("hypothetical")),
        "actor_name": actor.get("normalized"), "actor_country": actor.get("country"), "actor_code": actor.get("code"),
        "recipient_name": recipient.get("normalized"), "recipient_country": recipient.get("country"),
        "recipient_code": recipient.get("code"),
        "place_id": place.get("id"), "place_country": place.get("country"),
        "time_id": time.get("id"), "time_from": _day(time.get("from")), "time_to": _day(time.get("to")),
        "extractor": ext, "extractor_version": versions.get(ext),
    }


def place_row(aid: str, p: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    """The ``places`` row of one place in its record-JSON form (``Place.to_dict()``)."""
    ext = p.get("extractor") or ""
    return {
        "article_id": aid, "place_id": p["id"], "start_char": p["start"], "end_char": p["end"], "text": p["text"],
        "kind": p.get("kind") or "toponym", "name": p.get("name"), "feature": p.get("feature"),
        "country": p.get("country"), "lat": _number(p.get("lat"), float), "lon": _number(p.get("lon"), float),
        "geonameid": _number(p.get("geonameid"), int), "population": _number(p.get("population"), int),
        "admin_code": p.get("admin_code"), "gazetteer": p.get("gazetteer"),
        "extractor": ext, "extractor_version": versions.get(ext),
    }


def date_row(aid: str, t: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    """The ``dates`` row of one time expression in its record-JSON form (``TimeRef.to_dict()``)."""
    ext = t.get("extractor") or ""
    return {
        "article_id": aid, "date_id": t["id"], "start_char": t["start"], "end_char": t["end"], "text": t["text"],
        "from_date": _day(t.get("from")), "to_date": _day(t.get("to")), "precision": t.get("precision"),
        "extractor": ext, "extractor_version": versions.get(ext),
    }


def record_rows(rec: Record, *, origin: str | None = None, run_id: int | None = None,
                now: datetime | None = None, outlet: str | None = None,
                published_source: str | None = None) -> _Rows:
    """The rows one record becomes (no database needed: used by the write path and tests).
    ``outlet``: who published the article when the input said so (else the URL's host);
    ``published_source``: where its date came from (``read.metadata``)."""
    now = now or _now()
    ver = rec.extractors or {}
    aid = rec.id
    src_rows, men_rows = [], []
    for s in rec.sources:
        first = s.mentions[0] if s.mentions else None
        src_rows.append({
            "article_id": aid, "source_id": s.id, "name": s.name, "mention": s.mention, "head": s.head,
            "anonymous": bool(s.anonymous), "role": s.role, "affiliation": s.affiliation, "kind": s.kind,
            "start_char": first.start if first else None, "end_char": first.end if first else None,
            "anonymity_reason": s.anonymity_reason.text if s.anonymity_reason else None,
            "anonymity_reason_start": s.anonymity_reason.start if s.anonymity_reason else None,
            "anonymity_reason_end": s.anonymity_reason.end if s.anonymity_reason else None,
            "n_mentions": len(s.mentions),
            "n_quotes": sum(1 for q in rec.quotes if q.source == s.id),
            "n_counts": sum(1 for c in rec.counts if c.source == s.id),
            "extractor": s.extractor, "extractor_version": ver.get(s.extractor),
        })
        for n, m in enumerate(s.mentions, 1):
            men_rows.append({
                "article_id": aid, "source_id": s.id, "n": n, "start_char": m.start, "end_char": m.end,
                "text": m.text, "extractor": s.extractor, "extractor_version": ver.get(s.extractor),
            })
    quote_rows = [{
        "article_id": aid, "quote_id": q.id, "source_id": q.source, "start_char": q.start, "end_char": q.end,
        "text": q.text, "type": q.type, "cue": q.cue.text if q.cue else None,
        "cue_start": q.cue.start if q.cue else None, "cue_end": q.cue.end if q.cue else None,
        "confidence": q.confidence, "extractor": q.extractor, "extractor_version": ver.get(q.extractor),
        "method": q.method,
    } for q in rec.quotes]
    count_rows = [{
        "article_id": aid, "count_id": c.id, "source_id": c.source, "start_char": c.start, "end_char": c.end,
        "text": c.text, "number": c.number, "low": c.low, "high": c.high, "approximate": bool(c.approximate),
        "counted": c.counted, "status": c.status, "origin": c.origin, "place": c.place, "time": c.time,
        "time_from": (c.time or {}).get("from") if isinstance(c.time, dict) else None,
        "time_to": (c.time or {}).get("to") if isinstance(c.time, dict) else None,
        "extractor": c.extractor, "extractor_version": ver.get(c.extractor),
        "from_place": c.from_place, "to_place": c.to_place, "heading": c.heading,
        "from_country": _country(c.from_place), "to_country": _country(c.to_place),
        "heading_country": _country(c.heading), "place_country": _country(c.place),
    } for c in rec.counts]
    event_rows = [event_row(aid, e.to_dict(), ver) for e in rec.events]
    place_rows = [place_row(aid, p.to_dict(), ver) for p in rec.places]
    date_rows = [date_row(aid, t.to_dict(), ver) for t in rec.dates]
    extra = _extra(rec)
    article = {
        "id": aid,
        "hash": hashlib.sha256(normalize_text(rec.text).encode("utf-8")).hexdigest(),
        "text": rec.text, "n_chars": len(rec.text), "title": rec.title, "url": rec.url,
        "outlet": (outlet or outlet_of(rec.url) or "")[:255] or None,
        "published": _published(rec.published),
        "published_source": published_source or ("none" if rec.published is None else None),
        "language": rec.language,
        "origin": origin, "extractors": dict(ver), "model": ver.get("model"), "warnings": list(rec.warnings),
        "extra": extra, "n_sources": len(src_rows), "n_mentions": len(men_rows), "n_quotes": len(quote_rows),
        "n_counts": len(count_rows), "run_id": run_id, "ingested_at": now, "extracted_at": now,
    }
    return _Rows(article, src_rows, men_rows, quote_rows, count_rows, event_rows, place_rows, date_rows)


def _country(place: Any) -> str | None:
    """The ISO country of a count's place, from or to (``{..., "country"}``), for the flat columns."""
    code = place.get("country") if isinstance(place, dict) else None
    return str(code)[:8] if code else None


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _row_dict(row: Any) -> dict[str, Any]:
    return {k: _jsonable(v) for k, v in row._mapping.items()}


# --------------------------------------------------------------------------- full-text queries


_TOKEN = re.compile(r'-?"[^"]*"?|\S+')
#: At most this many distinct search terms are used (the rest are dropped): each costs an index scan.
MAX_TERMS = 12
#: A prefix search (``word*``) needs this many letters before the star (``a*`` is the word "a").
MIN_PREFIX = 2


def search_terms(text: str) -> list[str]:
    """The terms of a user's search text, in order: ``word``, ``word*``, ``"a phrase"``, ``OR``,
    with ``-`` for those that must not match; repeated terms once (any case), a prefix of fewer
    than ``MIN_PREFIX`` letters as a plain word, at most ``MAX_TERMS`` terms besides ``OR``."""
    out: list[str] = []
    seen: set[str] = set()
    n = 0
    for tok in _TOKEN.findall(text):
        if tok == "OR":
            if out and out[-1] != "OR":
                out.append(tok)
            continue
        if tok.endswith("*") and not tok.lstrip("-").startswith('"'):
            core = tok.rstrip("*")
            tok = core + "*" if len(re.findall(r"\w", core)) >= MIN_PREFIX else core
        key = tok.lower()
        if key in seen or not re.search(r"\w", tok):
            continue
        if n == MAX_TERMS:
            break
        seen.add(key)
        out.append(tok)
        n += 1
    while out and out[-1] == "OR":
        out.pop()
    return out


def fts5_query(text: str) -> str:
    """A user's search text as a safe SQLite FTS5 query, with the same syntax PostgreSQL's
    ``websearch_to_tsquery`` reads: words (all must match), ``"a phrase"``, ``OR``, ``-word``
    (must not match); ``word*`` matches a prefix (SQLite only).  Terms as ``search_terms``."""
    pos: list[str] = []
    neg: list[str] = []
    pending_or = False
    for tok in search_terms(text):
        negative = tok.startswith("-") and len(tok) > 1
        if negative:
            tok = tok[1:]
        if tok == "OR":
            pending_or = bool(pos)
            continue
        prefix = tok.endswith("*") and not tok.startswith('"')
        core = tok.strip('"').rstrip("*") if not tok.startswith('"') else tok.strip('"')
        words = re.findall(r"\w+", core)
        if not words:
            continue
        term = '"' + " ".join(words) + '"' + ("*" if prefix else "")
        if negative:
            neg.append(term)
        elif pending_or and pos:
            pos[-1] = f"({pos[-1]} OR {term})"
            pending_or = False
        else:
            pos.append(term)
    if not pos:
        return ""
    q = " AND ".join(pos)
    for n in neg:
        q = f"({q}) NOT {n}"
    return q


def _snippet(s: str | None) -> str:
    return (s or "").replace(_HL_OPEN, MARK_OPEN).replace(_HL_CLOSE, MARK_CLOSE).replace("\n", " ")


# --------------------------------------------------------------------------- the store


class Store:
    """An open sourcebook database.  ``Store(db)`` opens (creating and migrating) it.

    ``db`` is a SQLite file path, ``sqlite:///path`` or ``postgresql://...``; default
    ``$SOURCEBOOK_DB`` or ``./sourcebook.db``.  With ``create=False`` a missing SQLite file is an
    error instead of a new database.  Every failure to open is a ``StoreError`` with one line.
    """

    def __init__(self, db: str | os.PathLike[str] | None = None, *, create: bool = True):
        self.url = resolve_url(db)
        self.backend = self.url.get_backend_name()  # sqlite | postgresql
        self.display = display_url(self.url)
        if self.backend == "sqlite":
            self._check_sqlite_path(create)
            self.engine = self._sqlite_engine()
        else:
            self.engine = sa.create_engine(self.url, pool_pre_ping=True, connect_args={"connect_timeout": 10})
        try:
            self._migrate()
        except StoreError:
            self.engine.dispose()
            raise
        except (exc.SQLAlchemyError, OSError) as err:
            self.engine.dispose()
            raise StoreError(f"cannot open the database {self.display}: {one_line(err, 300)}") from None

    # -- opening -------------------------------------------------------------------------------

    def _check_sqlite_path(self, create: bool) -> None:
        path = self.url.database
        if not path or path == ":memory:":
            raise StoreError("give the SQLite database a file name (an in-memory database is not kept)")
        p = Path(path)
        if p.is_dir():
            raise StoreError(f"cannot open the database {path}: it is a folder")
        parent = p.parent if str(p.parent) else Path(".")
        if not p.exists():
            if not create:
                raise StoreError(f"no database at {path} (run 'sourcebook ingest PATH' first, or pass --db)")
            if not parent.is_dir():
                raise StoreError(f"cannot create the database {path}: the folder {parent} does not exist")
            if not os.access(parent, os.W_OK):
                raise StoreError(f"cannot create the database {path}: the folder {parent} is not writable")

    def _sqlite_engine(self) -> Engine:
        engine = sa.create_engine(self.url, connect_args={"timeout": 60})

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every test
            dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA busy_timeout = 60000")
            cur.execute("PRAGMA foreign_keys = ON")
            mode = cur.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                cur.execute("PRAGMA journal_mode = WAL")
            cur.execute("PRAGMA synchronous = NORMAL")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover - exercised by every test
            # Writers take the write lock at once (BEGIN IMMEDIATE) so that two writers queue on
            # the busy timeout instead of failing; readers get a consistent snapshot (BEGIN).
            write = conn.get_execution_options().get("sourcebook_write")
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def _alembic_config(self):
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        return cfg

    def _migrate(self) -> None:
        from alembic import command
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        cfg = self._alembic_config()
        script = ScriptDirectory.from_config(cfg)
        head = script.get_current_head()
        with self.engine.connect() as conn:
            current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return
        if current is not None:
            try:
                script.get_revision(current)
            except Exception:  # noqa: BLE001 - alembic raises several kinds here
                raise StoreError(
                    f"the database {self.display} has schema revision {current}, unknown to this "
                    f"sourcebook (made by a newer version?)"
                ) from None
        with self._write() as conn:
            if self.backend == "postgresql":
                conn.execute(sql_text("SELECT pg_advisory_xact_lock(7341001)"))  # one migrator at a time
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    def analyze(self, *, if_missing: bool = False) -> bool:
        """Refresh the query planner's statistics (``ANALYZE``): the pages' plans (newest articles
        first, then their items) depend on them once a store is large.  ``if_missing``: only when
        the SQLite file has none yet.  Returns whether it ran."""
        if if_missing and self.backend != "sqlite":
            return False  # PostgreSQL's autovacuum keeps them
        with self.engine.connect() as conn:
            if if_missing:
                have = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
                if have is not None and conn.exec_driver_sql("SELECT 1 FROM sqlite_stat1 LIMIT 1").first():
                    return False
            # our tables only (a PostgreSQL database may hold other schemas)
            conn.exec_driver_sql("ANALYZE" if self.backend == "sqlite" else "ANALYZE " + ", ".join(S.TABLES))
            conn.commit()
        return True

    def revision(self) -> str | None:
        """The schema revision the database is at."""
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.display!r})"

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """A connection in ONE write transaction (committed at the end of the block, rolled back on an
        error).  For the library's own writers (review, ledger); records go through ``write``."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(sourcebook_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection for reading, with one snapshot for all its statements."""
        # One snapshot for all the statements of a read: SQLite's BEGIN gives it; PostgreSQL's
        # default (READ COMMITTED) would not, REPEATABLE READ does.
        with self.engine.connect() as conn:
            if self.backend == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    # the store's own spelling
    _read = reading
    _write = writing

    # -- runs and skips ------------------------------------------------------------------------

    def begin_run(self, *, extractors: dict[str, str], inputs: Sequence[str] = (), workers: int = 1,
                  reextract: bool = False) -> int:
        """Start an extraction run; returns its id (``extraction_runs.id``)."""
        with self._write() as conn:
            res = conn.execute(S.extraction_runs.insert().values(
                started_at=_now(), status="running", sourcebook_version=extractors.get("sourcebook"),
                model=extractors.get("model"), extractors=dict(extractors), inputs=list(inputs),
                workers=workers, reextract=reextract,
            ))
            key = res.inserted_primary_key
            assert key is not None
            return int(key[0])

    def finish_run(self, run_id: int, *, status: str = "finished", **stats: Any) -> None:
        """Close a run with its totals (``n_*``) and timings (``*_seconds``)."""
        cols = set(S.extraction_runs.c.keys())
        values = {k: v for k, v in stats.items() if k in cols}
        with self._write() as conn:
            conn.execute(S.extraction_runs.update().where(S.extraction_runs.c.id == run_id)
                         .values(finished_at=_now(), status=status, **values))

    def add_skips(self, run_id: int | None, skips: Iterable[Any]) -> int:
        """Record skipped documents (objects with ``origin``, ``reason``, ``message``)."""
        now = _now()
        rows = [{"run_id": run_id, "origin": str(s.origin), "reason": str(s.reason)[:32],
                 "message": str(s.message), "at": now} for s in skips]
        if rows:
            with self._write() as conn:
                conn.execute(S.skipped.insert(), rows)
        return len(rows)

    # -- the write path ------------------------------------------------------------------------

    def stored_versions(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``{article_id: extractors}`` for those of ``ids`` already stored."""
        return {aid: m["extractors"] for aid, m in self.stored_metadata(ids).items()}

    def stored_metadata(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """``{article_id: {extractors, published, outlet, title, url}}`` for those of ``ids`` stored."""
        ids = list(dict.fromkeys(ids))
        a = S.articles
        found: dict[str, dict[str, Any]] = {}
        with self._read() as conn:
            for i in range(0, len(ids), 500):
                q = (select(a.c.id, a.c.extractors, a.c.published, a.c.outlet, a.c.title, a.c.url)
                     .where(a.c.id.in_(ids[i:i + 500])))
                for r in conn.execute(q):
                    found[r.id] = {"extractors": r.extractors or {}, "title": r.title, "url": r.url,
                                   "outlet": r.outlet, "published": r.published.isoformat() if r.published else None}
        return found

    def write(self, record: Record, *, origin: str | None = None, run_id: int | None = None,
              replace: bool = False, outlet: str | None = None, published_source: str | None = None) -> str:
        """Store one record in one transaction: ``"ingested"``, ``"reextracted"`` (an article that
        was stored, replaced because ``replace``) or ``"unchanged"`` (stored already; left as is).
        ``outlet`` and ``published_source``: see ``record_rows``."""
        rows = record_rows(record, origin=origin, run_id=run_id, outlet=outlet, published_source=published_source)
        try:
            with self._write() as conn:
                if not replace:
                    # INSERT ... ON CONFLICT DO NOTHING: one round trip says new or stored already
                    res = conn.execute(self._insert_new_article(), [rows.article])
                    if res.rowcount == 0:
                        return "unchanged"
                    status = "ingested"
                else:
                    old = conn.execute(select(S.articles.c.ingested_at, S.articles.c.origin)
                                       .where(S.articles.c.id == record.id)).first()
                    if old is not None:
                        self._delete_items(conn, record.id)
                        values = dict(rows.article, ingested_at=old.ingested_at, origin=old.origin or origin)
                        del values["id"]
                        conn.execute(S.articles.update().where(S.articles.c.id == record.id).values(**values))
                        status = "reextracted"
                    else:
                        conn.execute(S.articles.insert(), [rows.article])
                        status = "ingested"
                self._insert_items(conn, record, rows)
                return status
        except exc.IntegrityError:
            # With replace: another writer stored the same article between our check and our insert.
            if record.id in self.stored_versions([record.id]):
                return "unchanged"
            raise

    def _insert_items(self, conn: Connection, record: Record, rows: _Rows) -> None:
        """The article's child rows and full-text entries (its ``articles`` row is written)."""
        for table, items in ((S.sources, rows.sources), (S.source_mentions, rows.mentions),
                             (S.quotes, rows.quotes), (S.counts, rows.counts), (S.events, rows.events),
                             (S.places, rows.places), (S.dates, rows.dates)):
            if items:
                conn.execute(table.insert(), items)
        if self.backend == "sqlite":
            self._fts_add(conn, record)

    def write_many(self, records: Iterable[Record], *, origin: str | None = None) -> int:
        """Store new records in ONE transaction (a bulk import: all or none); records already stored
        are left as they are.  Returns how many were new.  ``ingest`` writes one article per
        transaction instead (``write``), so that a crash loses at most the article in hand."""
        n = 0
        with self._write() as conn:
            for record in records:
                rows = record_rows(record, origin=origin)
                if conn.execute(self._insert_new_article(), [rows.article]).rowcount:
                    self._insert_items(conn, record, rows)
                    n += 1
        return n

    def _insert_new_article(self):
        if self.backend == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        return insert(S.articles).on_conflict_do_nothing(index_elements=[S.articles.c.id])

    def delete(self, article_id: str) -> bool:
        """Remove an article and everything extracted from it (one transaction)."""
        with self._write() as conn:
            self._delete_items(conn, article_id)
            res = conn.execute(S.articles.delete().where(S.articles.c.id == article_id))
            return bool(res.rowcount)

    def _delete_items(self, conn: Connection, aid: str) -> None:
        if self.backend == "sqlite":
            qids = conn.execute(select(S.quotes.c.quote_id).where(S.quotes.c.article_id == aid)).scalars().all()
            conn.execute(sql_text("DELETE FROM articles_fts WHERE rowid = :k"), {"k": fts_key(aid)})
            if qids:
                conn.execute(sql_text("DELETE FROM quotes_fts WHERE rowid = :k"),
                             [{"k": fts_key(aid, q)} for q in qids])
        for table in (S.source_mentions, S.sources, S.quotes, S.counts, S.events, S.places, S.dates):
            conn.execute(table.delete().where(table.c.article_id == aid))

    def _fts_add(self, conn: Connection, rec: Record) -> None:
        conn.execute(sql_text("INSERT INTO articles_fts (rowid, article_id, title, text) VALUES (:k, :a, :t, :x)"),
                     {"k": fts_key(rec.id), "a": rec.id, "t": rec.title or "", "x": rec.text})
        if rec.quotes:
            conn.execute(
                sql_text("INSERT INTO quotes_fts (rowid, article_id, quote_id, text) VALUES (:k, :a, :q, :x)"),
                [{"k": fts_key(rec.id, q.id), "a": rec.id, "q": q.id, "x": q.text} for q in rec.quotes],
            )

    # -- reading records back ------------------------------------------------------------------

    def record(self, article_id: str) -> Record | None:
        """The stored article as a ``Record`` (``to_dict()`` equals the one that was written)."""
        with self._read() as conn:
            a = conn.execute(select(S.articles).where(S.articles.c.id == article_id)).first()
            if a is None:
                return None
            srcs = conn.execute(select(S.sources).where(S.sources.c.article_id == article_id)).all()
            mens = conn.execute(select(S.source_mentions).where(S.source_mentions.c.article_id == article_id)
                                .order_by(S.source_mentions.c.source_id, S.source_mentions.c.n)).all()
            qs = conn.execute(select(S.quotes).where(S.quotes.c.article_id == article_id)).all()
            cs = conn.execute(select(S.counts).where(S.counts.c.article_id == article_id)).all()
        by_source: dict[str, list[Span]] = {}
        for m in mens:
            by_source.setdefault(m.source_id, []).append(Span(m.start_char, m.end_char, m.text))
        sources = [Source(
            id=s.source_id, name=s.name, mention=s.mention, head=s.head, anonymous=bool(s.anonymous),
            anonymity_reason=(Span(s.anonymity_reason_start, s.anonymity_reason_end, s.anonymity_reason)
                              if s.anonymity_reason is not None else None),
            role=s.role, affiliation=s.affiliation, kind=s.kind, mentions=by_source.get(s.source_id, []),
            extractor=s.extractor,
        ) for s in sorted(srcs, key=lambda r: _natural(r.source_id))]
        quotes = [Quote(
            id=q.quote_id, source=q.source_id, start=q.start_char, end=q.end_char, text=q.text, type=q.type,
            cue=Span(q.cue_start, q.cue_end, q.cue) if q.cue is not None else None,
            confidence=q.confidence, extractor=q.extractor, method=q.method or "rules",
        ) for q in sorted(qs, key=lambda r: _natural(r.quote_id))]
        counts = [Count(
            id=c.count_id, start=c.start_char, end=c.end_char, text=c.text, number=c.number, low=c.low,
            high=c.high, approximate=bool(c.approximate), counted=c.counted, status=c.status, origin=c.origin,
            place=c.place, time=c.time, source=c.source_id, extractor=c.extractor,
            from_place=c.from_place, to_place=c.to_place, heading=c.heading,
        ) for c in sorted(cs, key=lambda r: _natural(r.count_id))]
        d = dict(a.extra or {})
        d.update({
            "schema": SCHEMA, "id": a.id, "url": a.url, "title": a.title,
            "published": a.published.isoformat() if a.published else None, "language": a.language,
            "extractors": dict(a.extractors or {}), "sources": [x.to_dict() for x in sources],
            "quotes": [x.to_dict() for x in quotes], "counts": [x.to_dict() for x in counts],
            "warnings": list(a.warnings or []), "text": a.text,
        })
        return Record.from_dict(d)

    def article_ids(self) -> list[str]:
        with self._read() as conn:
            return list(conn.execute(select(S.articles.c.id).order_by(S.articles.c.id)).scalars())

    def table_sizes(self) -> dict[str, int]:
        """Rows per table (``articles``, ``sources``, ...), in one consistent snapshot."""
        with self._read() as conn:
            return {name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                    for name, t in S.TABLES.items()}

    def incomplete_articles(self) -> list[str]:
        """Articles whose ``n_*`` columns, or whose ``extra`` lists of events, places and dates,
        disagree with their rows (always empty, unless someone edited the database by hand): the
        check the crash and concurrency tests run."""
        a = S.articles
        checks = [(a.c.n_sources, S.sources), (a.c.n_quotes, S.quotes), (a.c.n_counts, S.counts),
                  (a.c.n_mentions, S.source_mentions)]
        checks += [(self._extra_length(key), S.TABLES[table]) for key, table in EXTRA_TABLES.items()]
        conds = [col != select(func.count()).select_from(t).where(t.c.article_id == a.c.id).scalar_subquery()
                 for col, t in checks]
        with self._read() as conn:
            return list(conn.execute(select(a.c.id).where(sa.or_(*conds))).scalars())

    def _extra_length(self, key: str):
        """SQL: the length of the list ``articles.extra[key]`` (0 when missing or not a list)."""
        if self.backend == "sqlite":
            # json_array_length is NULL for a missing key and 0 for anything but an array
            return func.coalesce(func.json_array_length(S.articles.c.extra, f"$.{key}"), 0)
        item = S.articles.c.extra.op("->", return_type=sa.JSON)(sa.literal_column(f"'{key}'"))  # key: ours
        return sa.case((func.json_typeof(item) == "array", func.json_array_length(item)), else_=0)

    # -- queries -------------------------------------------------------------------------------

    def summary(self) -> dict[str, Any]:
        """Totals: articles, sources, anonymous share, quotes by type, figures, skipped, runs."""
        with self._read() as conn:
            one = lambda q: int(conn.execute(q).scalar_one() or 0)  # noqa: E731
            n_src = one(select(func.count()).select_from(S.sources))
            n_anon = one(select(func.count()).select_from(S.sources).where(S.sources.c.anonymous.is_(True)))
            by_type: dict[str, int] = dict(conn.execute(select(S.quotes.c.type, func.count())
                                                        .group_by(S.quotes.c.type)).all())
            return {
                "articles": one(select(func.count()).select_from(S.articles)),
                "sources": n_src,
                "anonymous": n_anon,
                "anonymous_share": (100.0 * n_anon / n_src) if n_src else 0.0,
                "quotes": sum(by_type.values()),
                "quotes_by_type": {t: int(by_type.get(t, 0)) for t in ("direct", "indirect", "mixed")}
                | {t: int(n) for t, n in by_type.items() if t not in ("direct", "indirect", "mixed")},
                "figures": one(select(func.count()).select_from(S.counts)),
                "skipped": one(select(func.count()).select_from(S.skipped)),
                "runs": one(select(func.count()).select_from(S.extraction_runs)),
            }

    @staticmethod
    def _items(kind: str, corrected: bool):
        """The table of ``kind`` (``source``, ``quote``, ``count``) to query: with review corrections
        applied and rejected items left out (``store.effective.effective_select``, same column names plus
        ``decision``), or as extracted."""
        if not corrected:
            return {"source": S.sources, "quote": S.quotes, "count": S.counts}[kind]
        return effective_select(kind).subquery(f"eff_{kind}")

    def sources(self, *, anonymous: bool | None = None, name: str | None = None, article: str | None = None,
                kind: str | None = None, limit: int | None = 50, offset: int = 0,
                corrected: bool = True) -> list[dict[str, Any]]:
        """Sources, newest articles first.  ``name`` matches the name or the description (any case).
        ``corrected``: the reviewed values, without rejected sources, and the review ``decision``
        (None when never reviewed); else the values as extracted."""
        s, a = self._items("source", corrected), S.articles
        q = (select(s.c.article_id, a.c.title, a.c.published, a.c.outlet, s.c.source_id, s.c.name, s.c.mention,
                    s.c.anonymous, s.c.anonymity_reason, s.c.role, s.c.affiliation, s.c.kind, s.c.start_char,
                    s.c.end_char, s.c.n_mentions, s.c.n_quotes, s.c.n_counts, s.c.extractor, s.c.extractor_version,
                    *([s.c.decision] if corrected else []))
             .join(a, a.c.id == s.c.article_id))
        if anonymous is not None:
            q = q.where(s.c.anonymous.is_(bool(anonymous)))
        if name:
            q = q.where(sa.or_(self._like(s.c.name, name), self._like(s.c.mention, name)))
        if article:
            q = q.where(s.c.article_id == article)
        if kind:
            q = q.where(s.c.kind == kind)
        q = q.order_by(a.c.published.desc().nulls_last(), s.c.article_id, func.length(s.c.source_id), s.c.source_id)
        return self._fetch(q, limit, offset)

    def quotes(self, *, source: str | None = None, article: str | None = None, type: str | None = None,
               anonymous: bool | None = None, limit: int | None = 50, offset: int = 0,
               corrected: bool = True) -> list[dict[str, Any]]:
        """Quotes, newest articles first.  ``source`` matches the source's name or description (any
        case); ``REPORTER`` selects statements the article makes itself.  ``corrected``: as
        ``sources``."""
        qt, s, a = self._items("quote", corrected), self._items("source", corrected), S.articles
        q = (select(qt.c.article_id, a.c.title, a.c.published, a.c.outlet, qt.c.quote_id, qt.c.source_id,
                    s.c.name.label("source_name"), s.c.mention.label("source_mention"), s.c.anonymous,
                    qt.c.type, qt.c.text, qt.c.start_char, qt.c.end_char, qt.c.cue, qt.c.confidence,
                    qt.c.extractor, qt.c.extractor_version, *([qt.c.decision] if corrected else []))
             .join(a, a.c.id == qt.c.article_id)
             .outerjoin(s, sa.and_(s.c.article_id == qt.c.article_id, s.c.source_id == qt.c.source_id)))
        if source:
            if source.upper() == "REPORTER":
                q = q.where(qt.c.source_id == "REPORTER")
            else:
                q = q.where(sa.or_(self._like(s.c.name, source), self._like(s.c.mention, source)))
        if article:
            q = q.where(qt.c.article_id == article)
        if type:
            q = q.where(qt.c.type == type)
        if anonymous is not None:
            q = q.where(s.c.anonymous.is_(bool(anonymous)))
        q = q.order_by(a.c.published.desc().nulls_last(), qt.c.article_id, qt.c.start_char)
        return self._fetch(q, limit, offset)

    def counts(self, *, status: str | None = None, origin: str | None = None, since: str | date | None = None,
               until: str | date | None = None, article: str | None = None, limit: int | None = 50,
               offset: int = 0, corrected: bool = True, from_: str | None = None, to: str | None = None,
               heading: str | None = None) -> list[dict[str, Any]]:
        """Figures about people, newest articles first.  ``since``/``until`` bound the article's
        publication date (inclusive); ``origin`` is an ISO country code (``SA``); ``from_``, ``to``
        and ``heading`` are ISO country codes of the movement (``from_="SY", to="TR"``).
        ``corrected``: as ``sources`` (a corrected range, status, origin or source is the one shown
        and filtered on)."""
        c, s, a = self._items("count", corrected), self._items("source", corrected), S.articles
        q = (select(c.c.article_id, a.c.title, a.c.published, a.c.outlet, c.c.count_id, c.c.number, c.c.low,
                    c.c.high, c.c.approximate, c.c.counted, c.c.status, c.c.origin, c.c.text, c.c.start_char,
                    c.c.end_char, c.c.time_from, c.c.time_to, c.c.place, c.c.place_country, c.c.from_place,
                    c.c.to_place, c.c.heading, c.c.from_country, c.c.to_country, c.c.heading_country,
                    c.c.source_id, s.c.name.label("source_name"),
                    s.c.mention.label("source_mention"), s.c.anonymous, c.c.extractor, c.c.extractor_version,
                    *([c.c.decision] if corrected else []))
             .join(a, a.c.id == c.c.article_id)
             .outerjoin(s, sa.and_(s.c.article_id == c.c.article_id, s.c.source_id == c.c.source_id)))
        if status:
            q = q.where(c.c.status == status.lower())
        if origin:
            q = q.where(c.c.origin == origin.upper())
        for col, code in ((c.c.from_country, from_), (c.c.to_country, to), (c.c.heading_country, heading)):
            if code:
                q = q.where(col == code.strip().upper())
        q = _published_between(q, a.c.published, since, until).where(*_only(c.c.article_id, article))
        q = q.order_by(a.c.published.desc().nulls_last(), c.c.article_id, c.c.start_char)
        return self._fetch(q, limit, offset)

    def events(self, *, type: str | None = None, country: str | None = None, since: str | date | None = None,
               until: str | date | None = None, article: str | None = None, limit: int | None = 50,
               offset: int = 0) -> list[dict[str, Any]]:
        """Events (PLOVER), newest articles first, in text order within an article: every column of
        ``events`` plus the article's ``title``, ``published``, ``outlet`` and the source's
        ``source_name``, ``source_mention``, ``source_anonymous`` (as extracted: events are not
        reviewed).

        ``type``: a PLOVER event type (``ASSAULT``, any case).  ``country``: a two-letter ISO code
        (``SY``) matches where the event happened (``place_country``); a longer code (``SYR``, or a
        PLOVER entity code such as ``IMG``) matches the actor's or the recipient's country.
        ``since``/``until`` (inclusive) keep the events whose date overlaps the range: an event is
        dated by its resolved time (``time_from``..``time_to``, an open end taken as the other end),
        else by the article's publication date."""
        e, a, s = S.events, S.articles, S.sources
        q = (select(e.c.article_id, a.c.title, a.c.published, a.c.outlet,
                    *[c for c in e.c if c.name != "article_id"],
                    s.c.name.label("source_name"), s.c.mention.label("source_mention"),
                    s.c.anonymous.label("source_anonymous"))
             .join(a, a.c.id == e.c.article_id)
             .outerjoin(s, sa.and_(s.c.article_id == e.c.article_id, s.c.source_id == e.c.source_id)))
        if type:
            q = q.where(e.c.type == type.strip().upper())
        if country:
            code = country.strip().upper()
            if len(code) == 2:
                q = q.where(e.c.place_country == code)
            else:
                q = q.where(sa.or_(e.c.actor_country == code, e.c.recipient_country == code))
        if since:
            q = q.where(func.coalesce(e.c.time_to, e.c.time_from, a.c.published) >= _published(since))
        if until:
            q = q.where(func.coalesce(e.c.time_from, e.c.time_to, a.c.published) <= _published(until))
        if article:
            q = q.where(e.c.article_id == article)
        q = q.order_by(a.c.published.desc().nulls_last(), e.c.article_id, e.c.start_char, e.c.event_id)
        return self._fetch(q, limit, offset)

    def places(self, *, country: str | None = None, name: str | None = None, kind: str | None = None,
               since: str | date | None = None, until: str | date | None = None, article: str | None = None,
               limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Places named in the articles, newest articles first, in text order within an article:
        every column of ``places`` plus the article's ``title``, ``published`` and ``outlet``.
        ``country``: ISO 3166-1 alpha-2 (``SY``, any case); ``name`` matches the gazetteer name or
        the words as written (any case); ``kind``: ``toponym``, ``demonym`` or ``embedded``; ``since``/``until``
        bound the article's publication date (inclusive)."""
        p, a = S.places, S.articles
        q = (select(p.c.article_id, a.c.title, a.c.published, a.c.outlet, *[c for c in p.c if c.name != "article_id"])
             .join(a, a.c.id == p.c.article_id))
        if country:
            q = q.where(p.c.country == country.strip().upper())
        if name:
            q = q.where(sa.or_(self._like(p.c.name, name), self._like(p.c.text, name)))
        if kind:
            q = q.where(p.c.kind == kind.strip().lower())
        q = _published_between(q, a.c.published, since, until).where(*_only(p.c.article_id, article))
        q = q.order_by(a.c.published.desc().nulls_last(), p.c.article_id, p.c.start_char, p.c.place_id)
        return self._fetch(q, limit, offset)

    def dates(self, *, since: str | date | None = None, until: str | date | None = None,
              precision: str | None = None, resolved: bool | None = None, article: str | None = None,
              limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Time expressions in the articles ("last Tuesday", "since early January"), newest articles
        first, in text order: every column of ``dates`` plus the article's ``title``,
        ``published`` and ``outlet``.  ``since``/``until`` keep the expressions whose resolved
        interval reaches into that span (an open end reaches anywhere); ``precision``: day, week,
        month or year; ``resolved``: only those resolved to dates (True) or only those not (False)."""
        d, a = S.dates, S.articles
        q = (select(d.c.article_id, a.c.title, a.c.published, a.c.outlet, *[c for c in d.c if c.name != "article_id"])
             .join(a, a.c.id == d.c.article_id))
        has_date = sa.or_(d.c.from_date.is_not(None), d.c.to_date.is_not(None))
        if resolved is not None:
            q = q.where(has_date if resolved else sa.not_(has_date))
        if since:
            q = q.where(has_date, sa.or_(d.c.to_date.is_(None), d.c.to_date >= _published(since)))
        if until:
            q = q.where(has_date, sa.or_(d.c.from_date.is_(None), d.c.from_date <= _published(until)))
        if precision:
            q = q.where(d.c.precision == precision.strip().lower())
        if article:
            q = q.where(d.c.article_id == article)
        q = q.order_by(a.c.published.desc().nulls_last(), d.c.article_id, d.c.start_char, d.c.date_id)
        return self._fetch(q, limit, offset)

    def runs(self, limit: int | None = 20) -> list[dict[str, Any]]:
        r = S.extraction_runs
        return self._fetch(select(r).order_by(r.c.id.desc()), limit, 0)

    def skipped(self, run_id: int | None = None, limit: int | None = 100) -> list[dict[str, Any]]:
        k = S.skipped
        q = select(k).order_by(k.c.id)
        if run_id is not None:
            q = q.where(k.c.run_id == run_id)
        return self._fetch(q, limit, 0)

    _like = staticmethod(contains)

    def _fetch(self, q, limit: int | None, offset: int) -> list[dict[str, Any]]:
        if limit:
            q = q.limit(limit)
        if offset:
            q = q.offset(offset)
        with self._read() as conn:
            return [_row_dict(r) for r in conn.execute(q)]

    # -- full text -----------------------------------------------------------------------------

    def search(self, text: str, *, limit: int = 20, articles: bool = True, quotes: bool = True,
               snippets: bool = True) -> dict[str, list[dict[str, Any]]]:
        """Articles and quotes matching ``text`` (words, ``"phrases"``, ``OR``, ``-word``; at most
        ``MAX_TERMS`` distinct terms, see ``search_terms``), best first, each with a snippet whose
        matches are marked ``**like this**`` (``snippets=False``: none, ``article_snippets`` makes
        those of the articles shown)."""
        out: dict[str, list[dict[str, Any]]] = {"articles": [], "quotes": []}
        terms = " ".join(search_terms(text or ""))
        if not terms:
            return out
        if self.backend == "sqlite":
            q, params = fts5_query(terms), {"o": _HL_OPEN, "c": _HL_CLOSE}
            if not q:
                return out
        else:
            q, params = terms, {"opts": _PG_HEADLINE}
        run = self._search_sqlite if self.backend == "sqlite" else self._search_pg
        try:
            with self._read() as conn:
                for kind, wanted in (("articles", articles), ("quotes", quotes)):
                    if wanted:
                        out[kind] = [_row_dict(r) for r in conn.execute(
                            sql_text(run(kind, snippets)), dict(params, q=q, n=limit))]
        except exc.OperationalError as err:  # a query FTS5 cannot parse
            raise StoreError(f"cannot search for {text!r}: {one_line(err, 300)}") from None
        for hits in out.values():
            for hit in hits:
                hit["snippet"] = _snippet(hit.get("snippet")) if snippets else None
                hit["rank"] = round(float(hit["rank"]), 6) if hit.get("rank") is not None else None
        return out

    def article_snippets(self, text: str, ids: Sequence[str]) -> dict[str, str]:
        """``{article id: snippet}`` for the articles ``ids`` matching ``text`` (one page's worth:
        a snippet reads the whole article, so only those shown get one)."""
        terms = " ".join(search_terms(text or ""))
        ids = list(ids)
        if not terms or not ids:
            return {}
        if self.backend == "sqlite":
            sql = ("SELECT article_id, snippet(articles_fts, -1, :o, :c, '…', 24) AS snippet FROM articles_fts "
                   "WHERE articles_fts MATCH :q AND article_id IN :ids")
            params = {"q": fts5_query(terms), "o": _HL_OPEN, "c": _HL_CLOSE}
        else:
            sql = ("SELECT a.id AS article_id, ts_headline('english', a.text, websearch_to_tsquery('english', :q), "
                   ":opts) AS snippet FROM articles a WHERE a.id IN :ids")
            params = {"q": terms, "opts": _PG_HEADLINE}
        stmt = sql_text(sql).bindparams(sa.bindparam("ids", expanding=True))
        try:
            with self._read() as conn:
                return {r.article_id: _snippet(r.snippet) for r in conn.execute(stmt, dict(params, ids=ids))}
        except exc.OperationalError as err:
            raise StoreError(f"cannot search for {text!r}: {one_line(err, 300)}") from None

    @staticmethod
    def _search_sqlite(kind: str, snippets: bool) -> str:
        if kind == "articles":
            snip = "snippet(articles_fts, -1, :o, :c, '…', 24)" if snippets else "NULL"
            return (f"SELECT f.article_id, a.title, a.published, a.outlet, {snip} AS snippet, "
                    "bm25(articles_fts) AS rank FROM articles_fts f JOIN articles a ON a.id = f.article_id "
                    "WHERE articles_fts MATCH :q ORDER BY rank LIMIT :n")
        snip = "snippet(quotes_fts, 2, :o, :c, '…', 32)" if snippets else "NULL"
        return ("SELECT f.article_id, f.quote_id, a.title, a.published, q.type, q.source_id, "
                "s.name AS source_name, s.mention AS source_mention, q.start_char, q.end_char, "
                f"{snip} AS snippet, bm25(quotes_fts) AS rank "
                "FROM quotes_fts f JOIN quotes q ON q.article_id = f.article_id AND q.quote_id = f.quote_id "
                "JOIN articles a ON a.id = f.article_id "
                "LEFT JOIN sources s ON s.article_id = q.article_id AND s.source_id = q.source_id "
                "WHERE quotes_fts MATCH :q ORDER BY rank LIMIT :n")

    @staticmethod
    def _search_pg(kind: str, snippets: bool) -> str:
        if kind == "articles":
            snip = "ts_headline('english', a.text, q.q, :opts)" if snippets else "NULL"
            return ("WITH q AS (SELECT websearch_to_tsquery('english', :q) AS q), "
                    "hits AS (SELECT a.id, ts_rank(to_tsvector('english', coalesce(a.title, '') || ' ' || a.text), "
                    "q.q) AS rank "
                    "  FROM articles a, q WHERE to_tsvector('english', coalesce(a.title, '') || ' ' || a.text) @@ q.q "
                    "  ORDER BY rank DESC, a.id LIMIT :n) "
                    f"SELECT a.id AS article_id, a.title, a.published, a.outlet, {snip} AS snippet, hits.rank "
                    "FROM hits JOIN articles a ON a.id = hits.id, q ORDER BY hits.rank DESC, a.id")
        snip = "ts_headline('english', qt.text, q.q, :opts)" if snippets else "NULL"
        return ("WITH q AS (SELECT websearch_to_tsquery('english', :q) AS q), "
                "hits AS (SELECT qt.article_id, qt.quote_id, ts_rank(to_tsvector('english', qt.text), q.q) AS rank "
                "  FROM quotes qt, q WHERE to_tsvector('english', qt.text) @@ q.q "
                "  ORDER BY rank DESC, qt.article_id, qt.quote_id LIMIT :n) "
                "SELECT qt.article_id, qt.quote_id, a.title, a.published, qt.type, qt.source_id, "
                "s.name AS source_name, s.mention AS source_mention, qt.start_char, qt.end_char, "
                f"{snip} AS snippet, hits.rank "
                "FROM hits JOIN quotes qt ON qt.article_id = hits.article_id AND qt.quote_id = hits.quote_id "
                "JOIN articles a ON a.id = qt.article_id "
                "LEFT JOIN sources s ON s.article_id = qt.article_id AND s.source_id = qt.source_id, q "
                "ORDER BY hits.rank DESC, qt.article_id, qt.quote_id")

    # -- export --------------------------------------------------------------------------------

    def iter_rows(self, table: str, batch: int = 1000) -> Iterator[list[dict[str, Any]]]:
        """All rows of ``table`` in primary-key order, in lists of up to ``batch`` (for export)."""
        t = S.TABLES[table]
        q = select(t).order_by(*t.primary_key.columns)
        with self._read() as conn:
            result = conn.execution_options(yield_per=batch).execute(q)
            for part in result.partitions(batch):
                yield [dict(r._mapping) for r in part]
