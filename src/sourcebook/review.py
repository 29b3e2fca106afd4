"""Review: accept, correct or reject what was extracted, and read the corrected ("effective") values.

Every decision on a source, quote, figure, event, place or date (``kind`` = ``source`` | ``quote`` |
``count`` | ``event`` | ``place`` | ``date``) is one
call of :func:`review`, which in ONE transaction appends a row to the ``reviews`` log (who, when,
the action, the item's effective values before and after, an optional note) and sets the item's
row in ``review_state`` (the decision in force and the item's complete effective values).  The
extracted rows themselves are never changed: ``review_state`` overlays them.

>>> review(store, "count", article_id, "C2", "correct", changes={"low": 6000, "high": 7000})  # doctest: +SKIP
>>> review(store, "quote", article_id, "Q3", "reject", user="ana")                          # doctest: +SKIP

Actions: ``accept`` (the values are right), ``correct`` (change some fields; the others stay),
``reject`` (the item is wrong: hidden from pages and exports), ``reset`` (forget the decision: back
to the extracted values; the log keeps everything).

What a correction may change:

========  ==============================================================
source    ``name``, ``role``, ``affiliation``, ``anonymous``, ``kind``
quote     ``source`` (a source id of the article, or ``REPORTER``), ``type``
count     ``low``, ``high``, ``status``, ``origin``, ``source``, ``counted``
event     ``type`` (PLOVER), ``actor``, ``recipient``, ``country`` (where), ``from``, ``to`` (when)
place     ``name``, ``country``, ``lat``, ``lon``
date      ``from``, ``to``, ``precision``
========  ==============================================================

Effective values (:func:`effective_select`, :func:`iter_effective_rows`): a reviewed item's values
are those of its ``review_state`` row, an unreviewed item's those extracted.  Hidden: rejected
items, and quotes, figures and events whose (effective) source is rejected: reassign them first to
keep them.  A state row applies only while the item still has the span it had when it was reviewed, so
a re-extraction (``ingest --reextract``) that renumbers items never moves a decision to another item.

Pages of the web UI and ``sourcebook export`` read these effective values; ``reviews`` and
``review_state`` are exported as tables of their own.
"""

from __future__ import annotations

import getpass
import os
import re
from collections import Counter
from datetime import UTC, datetime
from typing import Any, Iterable, Iterator, Mapping

import sqlalchemy as sa
from sqlalchemy import select

from .errors import ReviewError
from .record import REPORTER
from .store import Store
from .store import schema as S
from .store.effective import _ID, _TABLE, FIELDS, Effective, _check_kind, effective_mentions_select, effective_select
from .store.effective import ID_COLUMNS as ID_COLUMNS  # re-exported: the web's item pages
from .store.effective import KINDS as KINDS  # re-exported: the CLI and the web name the kinds from here

ACTIONS = ("accept", "correct", "reject", "reset")
DECISIONS = {"accept": "accepted", "correct": "corrected", "reject": "rejected"}
#: Figure statuses (docs/schema.md, counts).
STATUSES = ("present", "joining", "leaving", "returned", "detained", "killed", "wounded", "surrendered", "other")
QUOTE_TYPES = ("direct", "indirect", "mixed")
SOURCE_KINDS = ("person", "group", "organization", "document")
#: PLOVER event types (docs/events.md).
EVENT_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
               "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
PRECISIONS = ("day", "week", "month", "year")

#: Fields holding a date (``YYYY-MM-DD`` in the log and the API, ``date`` in the state columns).
DATE_FIELDS = ("from", "to")
#: Environment variable naming the reviewer when none is given.
ENV_USER = "SOURCEBOOK_USER"
MAX_TEXT = 2000


def default_user() -> str:
    """``$SOURCEBOOK_USER``, else the operating system's user name, else ``unknown``."""
    name = os.environ.get(ENV_USER, "").strip()
    if name:
        return name[:255]
    try:
        return (getpass.getuser() or "unknown")[:255]
    except Exception:  # noqa: BLE001 - no user name in this environment
        return "unknown"


def _now() -> datetime:
    return datetime.now(UTC)


def _values(kind: str, row: Mapping[str, Any], *, state: bool) -> dict[str, Any]:
    out = {}
    for name, state_col, base_col in FIELDS[kind]:
        v = row[state_col] if state else row[base_col]
        if name == "anonymous" and v is not None:
            v = bool(v)
        elif name in DATE_FIELDS and hasattr(v, "isoformat"):
            v = v.isoformat()[:10]
        out[name] = v
    return out


def _load(conn, kind: str, article_id: str, item_id: str):
    t = _TABLE[kind]
    base = conn.execute(select(t).where(t.c.article_id == article_id, t.c[_ID[kind]] == item_id)).mappings().first()
    if base is None:
        raise ReviewError(f"no {kind} {item_id!r} in article {article_id!r}")
    st = S.review_state
    state = conn.execute(select(st).where(st.c.kind == kind, st.c.article_id == article_id,
                                          st.c.item_id == item_id)).mappings().first()
    if state is not None and (state["start_char"], state["end_char"]) != (base["start_char"], base["end_char"]):
        state = None  # made for an item this id named before a re-extraction
    return base, state


def item(store: Store, kind: str, article_id: str, item_id: str) -> dict[str, Any]:
    """One item's extracted and effective values and the decision in force:
    ``{"kind", "article_id", "item_id", "extracted": {...}, "values": {...}, "decision"}``."""
    _check_kind(kind)
    with store.reading() as conn:
        base, state = _load(conn, kind, article_id, item_id)
    return {"kind": kind, "article_id": article_id, "item_id": item_id,
            "extracted": _values(kind, base, state=False),
            "values": _values(kind, state, state=True) if state else _values(kind, base, state=False),
            "decision": state["decision"] if state else None}


# --------------------------------------------------------------------------- parsing corrections


def _text(v: Any, field: str) -> str | None:
    if v is None:
        return None
    s = " ".join(str(v).split())
    if len(s) > MAX_TEXT:
        raise ReviewError(f"{field} is longer than {MAX_TEXT} characters")
    return s or None


def _int(v: Any, field: str) -> int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ReviewError(f"{field} must be a whole number, not {v!r}")
    if isinstance(v, int):
        n = v
    else:
        s = str(v).strip().replace(",", "").replace("_", "").replace(" ", "")
        if not re.fullmatch(r"\d{1,15}", s):
            raise ReviewError(f"{field} must be a whole number of people (0 or more), not {str(v)[:40]!r}")
        n = int(s)
    if n < 0 or n > 10**15:
        raise ReviewError(f"{field} must be between 0 and 10^15, not {n}")
    return n


def _bool(v: Any, field: str) -> bool:
    if isinstance(v, bool):
        return v
    s = str(v).strip().lower()
    if s in ("1", "true", "yes", "on", "anonymous"):
        return True
    if s in ("0", "false", "no", "off", "named", ""):
        return False
    raise ReviewError(f"{field} must be true or false, not {str(v)[:40]!r}")


def _choice(v: Any, field: str, allowed: tuple[str, ...]) -> str:
    s = str(v or "").strip().lower()
    if s not in allowed:
        raise ReviewError(f"{field} must be one of {', '.join(allowed)}, not {str(v)[:40]!r}")
    return s


def _origin(v: Any, field: str = "origin") -> str | None:
    s = str(v or "").strip().upper()
    if not s:
        return None
    if not re.fullmatch(r"[A-Z]{2}", s):
        raise ReviewError(f"{field} must be an ISO 3166-1 alpha-2 country code (SA, FR, ...), not {str(v)[:40]!r}")
    try:
        import pycountry

        if pycountry.countries.get(alpha_2=s) is None:
            raise ReviewError(f"{field} {s!r} is not an ISO 3166-1 alpha-2 country code")
    except ImportError:  # pragma: no cover - pycountry is a dependency
        pass
    return s


def _coordinate(v: Any, field: str) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        x = float(str(v).strip())
    except ValueError:
        raise ReviewError(f"{field} must be a number of degrees, not {str(v)[:40]!r}") from None
    limit = 90.0 if field == "lat" else 180.0
    if not -limit <= x <= limit:
        raise ReviewError(f"{field} must be between -{limit:g} and {limit:g}, not {x:g}")
    return round(x, 6)


def _iso_day(v: Any, field: str) -> str | None:
    from datetime import date

    s = str(v or "").strip()
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10]).isoformat() if len(s) == 10 else date.fromisoformat(s).isoformat()
    except ValueError:
        raise ReviewError(f"{field} must be a date YYYY-MM-DD, not {s[:40]!r}") from None


def parse_changes(kind: str, changes: Mapping[str, Any], *, source_ids: set[str]) -> dict[str, Any]:
    """Validated values for the fields a correction sets (raises ``ReviewError``)."""
    allowed = {name for name, _, _ in FIELDS[kind]}
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ReviewError(f"a {kind} correction cannot change {', '.join(unknown)}: "
                          f"only {', '.join(n for n, _, _ in FIELDS[kind])}")
    out: dict[str, Any] = {}
    for field, v in changes.items():
        if field in ("low", "high"):
            out[field] = _int(v, field)
        elif field == "status":
            out[field] = _choice(v, field, STATUSES)
        elif field == "origin":
            out[field] = _origin(v)
        elif field == "source":
            s = str(v or "").strip()
            if s.upper() == REPORTER:
                s = REPORTER
            if s != REPORTER and s not in source_ids:
                raise ReviewError(f"source must be {REPORTER} or a source of this article, not {s[:40]!r}")
            out[field] = s
        elif field == "type" and kind == "event":
            out[field] = _choice(v, field, tuple(t.lower() for t in EVENT_TYPES)).upper()
        elif field == "type":
            out[field] = _choice(v, field, QUOTE_TYPES)
        elif field == "country":
            out[field] = _origin(v, field)
        elif field in ("lat", "lon"):
            out[field] = _coordinate(v, field)
        elif field in DATE_FIELDS:
            out[field] = _iso_day(v, field)
        elif field == "precision":
            out[field] = _choice(v, field, PRECISIONS) if str(v or "").strip() else None
        elif field == "kind":
            out[field] = _choice(v, field, SOURCE_KINDS)
        elif field == "anonymous":
            out[field] = _bool(v, field)
        else:  # name, role, affiliation, counted
            out[field] = _text(v, field)
    return out


def _check_order(kind: str, values: Mapping[str, Any]) -> None:
    """A range's low end is not above its high end (a figure's low/high, a date's from/to)."""
    for lo_f, hi_f in (("low", "high"), ("from", "to")):
        lo, hi = values.get(lo_f), values.get(hi_f)
        if lo is not None and hi is not None and lo > hi:
            raise ReviewError(f"{lo_f} ({lo}) is after {hi_f} ({hi})" if lo_f == "from"
                              else f"{lo_f} ({lo}) is greater than {hi_f} ({hi})")


def _as_date(v: Any):
    from datetime import date

    return date.fromisoformat(v) if isinstance(v, str) else v


# --------------------------------------------------------------------------- the write


def review(store: Store, kind: str, article_id: str, item_id: str, action: str, *,
           user: str | None = None, changes: Mapping[str, Any] | None = None,
           note: str | None = None) -> dict[str, Any]:
    """Record one decision (one transaction: a ``reviews`` row and the item's ``review_state``).
    Returns the ``reviews`` row as a dict (``id``, ``before``, ``after``, ...)."""
    _check_kind(kind)
    if action not in ACTIONS:
        raise ReviewError(f"unknown action {action!r}: use accept, correct, reject or reset")
    if action != "correct" and changes:
        raise ReviewError(f"{action} takes no changes (use correct)")
    user = (_text(user, "user") or default_user())[:255]
    note = _text(note, "note")
    now = _now()
    with store.writing() as conn:
        base, state = _load(conn, kind, article_id, item_id)
        current = _values(kind, state, state=True) if state else _values(kind, base, state=False)
        before = {"decision": state["decision"] if state else None, **current}
        values = dict(current)
        if action == "correct":
            if not changes:
                raise ReviewError("a correction needs at least one field to change")
            ids = set(conn.execute(select(S.sources.c.source_id).where(S.sources.c.article_id == article_id))
                      .scalars())
            new = parse_changes(kind, changes, source_ids=ids)
            if kind == "quote" and new.get("source") == REPORTER:
                raise ReviewError("a quote is attributed to a source of the article, not to REPORTER")
            values.update(new)
            _check_order(kind, values)
            if values == current:
                raise ReviewError("nothing changed: the values are those in force already (use accept)")
        if action == "reset":
            after = {"decision": None, **_values(kind, base, state=False)}
        elif action == "correct":
            after = {"decision": "corrected", **values}
        else:
            after = {"decision": DECISIONS[action], **values}
        a_hash = conn.execute(select(S.articles.c.hash).where(S.articles.c.id == article_id)).scalar()
        rid_key = conn.execute(S.reviews.insert().values(
            kind=kind, article_id=article_id, item_id=item_id, action=action, reviewer=user, at=now,
            before=before, after=after, note=note, article_hash=a_hash,
        )).inserted_primary_key
        assert rid_key is not None
        rid = rid_key[0]
        st = S.review_state
        conn.execute(st.delete().where(st.c.kind == kind, st.c.article_id == article_id, st.c.item_id == item_id))
        if action != "reset":
            row = {"kind": kind, "article_id": article_id, "item_id": item_id, "start_char": base["start_char"],
                   "end_char": base["end_char"], "decision": after["decision"], "review_id": rid,
                   "reviewer": user, "reviewed_at": now}
            for name, state_col, _ in FIELDS[kind]:
                row[state_col] = _as_date(values[name]) if name in DATE_FIELDS else values[name]
            conn.execute(st.insert().values(**row))
    return {"id": int(rid), "kind": kind, "article_id": article_id, "item_id": item_id, "action": action,
            "reviewer": user, "at": now, "before": before, "after": after, "note": note}


def history(store: Store, *, article_id: str | None = None, kind: str | None = None,
            item_id: str | None = None, reviewer: str | None = None, limit: int | None = 100,
            offset: int = 0) -> list[dict[str, Any]]:
    """The ``reviews`` log, newest first."""
    r = S.reviews
    q = select(r).order_by(r.c.id.desc())
    if article_id:
        q = q.where(r.c.article_id == article_id)
    if kind:
        q = q.where(r.c.kind == kind)
    if item_id:
        q = q.where(r.c.item_id == item_id)
    if reviewer:
        q = q.where(r.c.reviewer == reviewer)
    if limit:
        q = q.limit(limit)
    if offset:
        q = q.offset(offset)
    with store.reading() as conn:
        return [dict(x) for x in conn.execute(q).mappings()]


def decisions(store: Store) -> dict[str, int]:
    """How many items are in force as accepted, corrected and rejected (and the log's length)."""
    st = S.review_state
    with store.reading() as conn:
        by: dict[str, int] = dict(conn.execute(select(st.c.decision, sa.func.count()).group_by(st.c.decision)).all())
        n = conn.execute(select(sa.func.count()).select_from(S.reviews)).scalar_one()
    return {"accepted": int(by.get("accepted", 0)), "corrected": int(by.get("corrected", 0)),
            "rejected": int(by.get("rejected", 0)), "reviews": int(n)}


# --------------------------------------------------------------------------- reading effective rows


#: The key of each kind in ``effective_items``' answer (the table's name).
PLURAL = {"source": "sources", "quote": "quotes", "count": "counts", "event": "events", "place": "places",
          "date": "dates"}


def effective_items(store: Store, article_id: str, *, include_hidden: bool = True,
                    kinds: Iterable[str] = ("source", "quote", "count")) -> dict[str, list[dict[str, Any]]]:
    """One article's items of ``kinds`` (sources, quotes and counts by default) with their effective
    values and decisions (hidden ones too, flagged ``hidden``, unless ``include_hidden`` is false),
    in text order, under the tables' names (``sources``, ``events``, ...)."""
    out: dict[str, list[dict[str, Any]]] = {}
    with store.reading() as conn:
        for kind, key in ((k, PLURAL[k]) for k in kinds):
            e = Effective.of(kind)
            q = (select(*e.columns(), *e.review_columns(), e.hidden.label("hidden")).select_from(e.outerjoin())
                 .where(e.t.c.article_id == article_id))
            if not include_hidden:
                q = q.where(e.visible)
            rows = conn.execute(q).mappings().all()
            out[key] = sorted((_fix(dict(r)) for r in rows), key=lambda r: _natural(r[_ID[kind]]))
    return out


def _fix(row: dict[str, Any]) -> dict[str, Any]:
    for k in ("anonymous", "hidden"):
        if row.get(k) is not None:
            row[k] = bool(row[k])
    return row


def _natural(item_id: str) -> tuple[str, int, str]:
    m = re.match(r"^(\D*)(\d+)$", item_id or "")
    return (m.group(1), int(m.group(2)), "") if m else (item_id or "", -1, item_id or "")


#: Tables whose exported rows are the effective ones.
EFFECTIVE_TABLES = ("articles", "sources", "source_mentions", "quotes", "counts", "events", "places", "dates")


def iter_effective_rows(store: Store, table: str, batch: int = 1000) -> Iterator[list[dict[str, Any]]]:
    """Like ``Store.iter_rows``, with corrections applied: effective values, hidden items left out,
    and the ``n_*`` columns of articles and sources counting what is left.  Other tables as stored."""
    if table not in EFFECTIVE_TABLES:
        yield from store.iter_rows(table, batch)
        return
    t = S.TABLES[table]
    names = list(t.c.keys())
    pk = [c.name for c in t.primary_key.columns]
    with store.reading() as conn:
        per_source: dict[str, Counter] = {}
        per_article: dict[str, Counter] = {}
        if table in ("articles", "sources"):
            for kind, key in (("quote", "n_quotes"), ("count", "n_counts")):
                sub = effective_select(kind).subquery()
                c_src: Counter[tuple] = Counter()
                c_art: Counter[str] = Counter()
                for aid, sid, n in conn.execute(select(sub.c.article_id, sub.c.source_id, sa.func.count())
                                                .group_by(sub.c.article_id, sub.c.source_id)):
                    c_src[(aid, sid)] += n
                    c_art[aid] += n
                per_source[key], per_article[key] = c_src, c_art
            sub = effective_select("source").subquery()
            per_article["n_sources"] = Counter(dict(conn.execute(
                select(sub.c.article_id, sa.func.count()).group_by(sub.c.article_id)).all()))
            m = effective_mentions_select().subquery()
            per_article["n_mentions"] = Counter(dict(conn.execute(
                select(m.c.article_id, sa.func.count()).group_by(m.c.article_id)).all()))
        if table == "articles":
            q = select(t).order_by(*t.primary_key.columns)
        elif table == "source_mentions":
            sub = effective_mentions_select().subquery()
            q = select(sub).order_by(*[sub.c[c] for c in pk])
        else:
            kind = {v: k for k, v in PLURAL.items()}[table]
            sub = effective_select(kind).subquery()
            q = select(*[sub.c[n] for n in names]).order_by(*[sub.c[c] for c in pk])
        result = conn.execution_options(yield_per=batch).execute(q)
        for part in result.partitions(batch):
            rows = []
            for r in part:
                d = {n: r._mapping[n] for n in names}
                if table == "articles":
                    for key in ("n_sources", "n_mentions", "n_quotes", "n_counts"):
                        d[key] = int(per_article[key].get(d["id"], 0))
                elif table == "sources":
                    for key in ("n_quotes", "n_counts"):
                        d[key] = int(per_source[key].get((d["article_id"], d["source_id"]), 0))
                if "anonymous" in d and d["anonymous"] is not None:
                    d["anonymous"] = bool(d["anonymous"])
                rows.append(d)
            yield rows


# --------------------------------------------------------------------------- the review loop: reviewed
# articles and added items (migration 0010, docs/review-loop.md)

#: Kinds a reviewer may add by selecting their text in the article.
ADD_KINDS = ("quote", "count", "source")
ADD_PREFIX = {"quote": "AQ", "count": "AC", "source": "AS"}
#: The values an added item takes (besides its span), per kind.
ADD_FIELDS = {
    "quote": ("source", "type", "cue"),
    "count": ("source", "number", "low", "high", "status", "origin", "counted"),
    "source": ("name", "anonymous", "kind", "role", "affiliation", "head"),
}
MAX_SPAN = 5000


def mark_reviewed(store: Store, article_id: str, reviewed: bool = True, *, user: str | None = None,
                  note: str | None = None) -> dict[str, Any]:
    """Mark an article "reviewed: all items checked" (or reopen it, ``reviewed=False``): every item
    not rejected then counts as kept (``sourcebook gold export``, the quality page).  Logged in
    ``reviews`` as kind ``article``, action ``complete`` or ``reopen``."""
    user = (_text(user, "user") or default_user())[:255]
    note = _text(note, "note")
    now = _now()
    ar = S.article_review
    with store._write() as conn:
        a_hash = conn.execute(select(S.articles.c.hash).where(S.articles.c.id == article_id)).scalar()
        if a_hash is None:
            raise ReviewError(f"no article {article_id!r}")
        was = conn.execute(select(ar.c.review_id).where(ar.c.article_id == article_id)).scalar() is not None
        if was == reviewed:
            raise ReviewError(f"article {article_id} is {'already marked reviewed' if was else 'not marked reviewed'}")
        action = "complete" if reviewed else "reopen"
        rid = conn.execute(S.reviews.insert().values(
            kind="article", article_id=article_id, item_id="-", action=action, reviewer=user, at=now,
            before={"reviewed": was}, after={"reviewed": reviewed}, note=note, article_hash=a_hash,
        )).inserted_primary_key[0]  # type: ignore[index]  # one row inserted: one key
        conn.execute(ar.delete().where(ar.c.article_id == article_id))
        if reviewed:
            conn.execute(ar.insert().values(article_id=article_id, review_id=rid, reviewer=user, reviewed_at=now,
                                            article_hash=a_hash))
    return {"id": int(rid), "article_id": article_id, "action": action, "reviewer": user, "at": now}


def _mark_holds(ar, a):
    """The mark still holds: same text, and not extracted again since (new items nobody checked)."""
    return sa.and_(ar.c.article_hash.is_not_distinct_from(a.c.hash), ar.c.reviewed_at >= a.c.extracted_at)


def reviewed_articles(store: Store) -> list[str]:
    """Ids of the articles marked reviewed whose mark still holds, sorted: the text is the one
    reviewed and the article was not extracted again since (``ingest --reextract`` brings items
    nobody checked: such an article needs checking and marking again)."""
    ar, a = S.article_review, S.articles
    with store._read() as conn:
        return sorted(conn.execute(select(ar.c.article_id).select_from(ar.join(a, a.c.id == ar.c.article_id))
                                   .where(_mark_holds(ar, a))).scalars())


def review_mark(store: Store, article_id: str) -> dict[str, Any] | None:
    """The article's "reviewed" mark (``reviewer``, ``reviewed_at``, ``holds``: false once the article
    was extracted again) or None."""
    ar, a = S.article_review, S.articles
    with store._read() as conn:
        row = conn.execute(select(ar, _mark_holds(ar, a).label("holds")).select_from(
            ar.join(a, a.c.id == ar.c.article_id)).where(ar.c.article_id == article_id)).mappings().first()
    return {**dict(row), "holds": bool(row["holds"])} if row else None


def _added_values(kind: str, fields: Mapping[str, Any], source_ids: set[str], text: str) -> dict[str, Any]:
    unknown = sorted(set(k for k, v in fields.items() if v not in (None, "")) - set(ADD_FIELDS[kind]))
    if unknown:
        raise ReviewError(f"an added {kind} takes no {', '.join(unknown)}: only {', '.join(ADD_FIELDS[kind])}")
    g = {k: fields.get(k) for k in ADD_FIELDS[kind]}
    out: dict[str, Any] = {}
    if kind in ("quote", "count"):
        s = str(g["source"] or "").strip()
        if not s:
            raise ReviewError(f"an added {kind} needs its source: {REPORTER} or a source of this article")
        s = REPORTER if s.upper() == REPORTER else s
        if s != REPORTER and s not in source_ids:
            raise ReviewError(f"source must be {REPORTER} or a source of this article, not {s[:40]!r}")
        out["source"] = s
    if kind == "quote":
        out["type"] = _choice(g["type"] or "direct", "type", QUOTE_TYPES)
        out["cue"] = _text(g["cue"], "cue")
    elif kind == "count":
        out["number"] = _text(g["number"], "number") or text
        out["low"], out["high"] = _int(g["low"], "low"), _int(g["high"], "high")
        if out["low"] is None and out["high"] is None:
            raise ReviewError("an added figure needs low or high (a whole number of people)")
        _check_order(kind, out)
        out["status"] = _choice(g["status"] or "other", "status", STATUSES)
        out["origin"] = _origin(g["origin"])
        out["counted"] = _text(g["counted"], "counted")
    elif kind == "source":
        out["anonymous"] = _bool(g["anonymous"] if g["anonymous"] is not None else False, "anonymous")
        out["name"] = _text(g["name"], "name")
        if out["anonymous"] and out["name"]:
            raise ReviewError("an anonymous source has no name: sourcebook never links an anonymous source to a name")
        if not out["anonymous"] and not out["name"]:
            out["name"] = " ".join(text.split())  # a named source selected by its name
        out["kind"] = _choice(g["kind"] or "person", "kind", SOURCE_KINDS)
        out["role"], out["affiliation"] = _text(g["role"], "role"), _text(g["affiliation"], "affiliation")
        head = _text(g["head"], "head")
        if not head:
            words = re.findall(r"[\w'’-]+", out["name"] or text)
            head = words[-1] if words else None
        out["head"] = head
    return out


def add_item(store: Store, kind: str, article_id: str, start: int | str, end: int | str,
             fields: Mapping[str, Any], *, user: str | None = None, expect: str | None = None,
             note: str | None = None) -> dict[str, Any]:
    """Add an item extraction missed: a ``quote``, ``count`` (figure) or ``source`` at characters
    ``start``-``end`` of the article text (white space at either end is trimmed).  ``expect``: the
    text the reviewer selected, checked against the article's text at those offsets.  ``fields``:
    see ``ADD_FIELDS`` (a quote's or figure's ``source`` is a source id of the article, an added
    source's id, or ``REPORTER``; an anonymous source is never given a name).  Logged in ``reviews``
    (action ``add``); returns the added item."""
    if kind not in ADD_KINDS:
        raise ReviewError(f"one can add a {', a '.join(ADD_KINDS)}, not a {kind!r}")
    try:
        start, end = int(start), int(end)  # a form's strings too
    except (TypeError, ValueError):
        raise ReviewError("start and end must be character offsets (whole numbers)") from None
    user = (_text(user, "user") or default_user())[:255]
    note = _text(note, "note")
    now = _now()
    ra = S.review_added
    with store._write() as conn:
        art = conn.execute(select(S.articles.c.text, S.articles.c.hash).where(S.articles.c.id == article_id)).first()
        if art is None:
            raise ReviewError(f"no article {article_id!r}")
        text = art.text
        if not (0 <= start < end <= len(text)):
            raise ReviewError(f"offsets {start}-{end} are outside the article text (0-{len(text)})")
        if expect is not None and " ".join(text[start:end].split()) != " ".join(str(expect).split()):
            raise ReviewError(f"the text at {start}-{end} is not the text selected: "
                              "the article may have changed; reload")
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            raise ReviewError("the selection is only white space")
        if end - start > MAX_SPAN:
            raise ReviewError(f"a selection is at most {MAX_SPAN} characters")
        span = text[start:end]
        ids = set(conn.execute(select(S.sources.c.source_id).where(S.sources.c.article_id == article_id)).scalars())
        ids |= set(conn.execute(select(ra.c.item_id).where(ra.c.article_id == article_id, ra.c.kind == "source"))
                   .scalars())
        values = _added_values(kind, fields or {}, ids, span)
        prefix = ADD_PREFIX[kind]
        n = conn.execute(select(sa.func.count()).select_from(S.reviews).where(
            S.reviews.c.article_id == article_id, S.reviews.c.action == "add", S.reviews.c.kind == kind)).scalar_one()
        item_id = f"{prefix}{n + 1}"
        after = {"start": start, "end": end, "text": span, **values}
        rid = conn.execute(S.reviews.insert().values(
            kind=kind, article_id=article_id, item_id=item_id, action="add", reviewer=user, at=now,
            before=None, after=after, note=note, article_hash=art.hash,
        )).inserted_primary_key[0]  # type: ignore[index]  # one row inserted: one key
        conn.execute(ra.insert().values(article_id=article_id, item_id=item_id, kind=kind, start_char=start,
                                        end_char=end, text=span, fields=values, review_id=rid, reviewer=user,
                                        added_at=now, article_hash=art.hash))
    return {"kind": kind, "article_id": article_id, "item_id": item_id, "start": start, "end": end, "text": span,
            "fields": values, "review_id": int(rid)}


def remove_added(store: Store, article_id: str, item_id: str, *, user: str | None = None) -> None:
    """Take back an added item (the log keeps it).  An added source still used by an added item stays."""
    user = (_text(user, "user") or default_user())[:255]
    ra = S.review_added
    with store._write() as conn:
        row = conn.execute(select(ra).where(ra.c.article_id == article_id, ra.c.item_id == item_id)).mappings().first()
        if row is None:
            raise ReviewError(f"no added item {item_id!r} in article {article_id!r}")
        if row["kind"] == "source":
            users = [r.item_id for r in conn.execute(select(ra.c.item_id, ra.c.fields).where(
                ra.c.article_id == article_id, ra.c.kind != "source")) if (r.fields or {}).get("source") == item_id]
            if users:
                raise ReviewError(f"source {item_id} is the source of {', '.join(users)}: remove those first")
        conn.execute(S.reviews.insert().values(
            kind=row["kind"], article_id=article_id, item_id=item_id, action="remove", reviewer=user, at=_now(),
            before={"start": row["start_char"], "end": row["end_char"], "text": row["text"], **row["fields"]},
            after=None, article_hash=row["article_hash"]))
        conn.execute(ra.delete().where(ra.c.article_id == article_id, ra.c.item_id == item_id))


def added_items(store: Store, article_id: str | None = None, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Items reviewers added (of one article, or all), in text order, with ``fields`` spread out."""
    ra = S.review_added
    q = select(ra)
    if article_id is not None:
        q = q.where(ra.c.article_id == article_id)
    if kind is not None:
        q = q.where(ra.c.kind == kind)
    with store._read() as conn:
        rows = [dict(r) for r in conn.execute(q).mappings()]
    out = []
    for r in rows:
        f = dict(r.pop("fields") or {})
        out.append({**r, **{k: v for k, v in f.items() if k not in r}, "fields": f})
    return sorted(out, key=lambda r: (r["article_id"], r["start_char"], _natural(r["item_id"])))
