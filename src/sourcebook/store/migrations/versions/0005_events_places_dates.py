"""Events, places and dates as tables: one row per item of ``Record.events``, ``places``, ``dates``.

Until this revision they were kept only as JSON in ``articles.extra``.  The upgrade creates the
tables and fills them from ``articles.extra`` of the articles already stored (500 articles at a
time), so an upgraded database has its events, places and dates queryable at once.  ``extra`` keeps
them too (``Store.record``, the web UI and the ledger read them there).

The row building below is a copy of ``store.core.event_row`` / ``place_row`` / ``date_row`` as they
are at this revision, so that later changes to those (and to the tables, in later revisions) do not
change what this migration does.  Items that are not objects with an ``id``, integer ``start`` and
``end`` and a ``text``, or that repeat an id within their article, are left out (the article then
shows in ``Store.incomplete_articles``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 500
REPORTER = "REPORTER"


def _article_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f(f"fk_{table}_article_id_articles"),
                                   ondelete="CASCADE")


def upgrade() -> None:
    events = op.create_table('events',
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.Column('event_id', sa.String(length=16), nullable=False),
    sa.Column('start_char', sa.Integer(), nullable=False),
    sa.Column('end_char', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('mode', sa.Text(), nullable=True),
    sa.Column('actor', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('recipient', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('place', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('time', sa.JSON(none_as_null=True), nullable=True),
    sa.Column('source_id', sa.String(length=16), nullable=False),
    sa.Column('quote_id', sa.String(length=16), nullable=True),
    sa.Column('negated', sa.Boolean(), nullable=False),
    sa.Column('hypothetical', sa.Boolean(), nullable=False),
    sa.Column('actor_name', sa.Text(), nullable=True),
    sa.Column('actor_country', sa.Text(), nullable=True),
    sa.Column('actor_code', sa.Text(), nullable=True),
    sa.Column('recipient_name', sa.Text(), nullable=True),
    sa.Column('recipient_country', sa.Text(), nullable=True),
    sa.Column('recipient_code', sa.Text(), nullable=True),
    sa.Column('place_id', sa.String(length=16), nullable=True),
    sa.Column('place_country', sa.String(length=8), nullable=True),
    sa.Column('time_id', sa.String(length=16), nullable=True),
    sa.Column('time_from', sa.Date(), nullable=True),
    sa.Column('time_to', sa.Date(), nullable=True),
    sa.Column('extractor', sa.String(length=64), nullable=False),
    sa.Column('extractor_version', sa.String(length=32), nullable=True),
    _article_fk('events'),
    sa.PrimaryKeyConstraint('article_id', 'event_id', name=op.f('pk_events'))
    )
    op.create_index(op.f('ix_events_type'), 'events', ['type'], unique=False)
    op.create_index(op.f('ix_events_place_country'), 'events', ['place_country'], unique=False)
    op.create_index(op.f('ix_events_actor_country'), 'events', ['actor_country'], unique=False)
    op.create_index(op.f('ix_events_time_from'), 'events', ['time_from'], unique=False)

    places = op.create_table('places',
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.Column('place_id', sa.String(length=16), nullable=False),
    sa.Column('start_char', sa.Integer(), nullable=False),
    sa.Column('end_char', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('feature', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=8), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lon', sa.Float(), nullable=True),
    sa.Column('geonameid', sa.BigInteger(), nullable=True),
    sa.Column('population', sa.BigInteger(), nullable=True),
    sa.Column('admin_code', sa.Text(), nullable=True),
    sa.Column('gazetteer', sa.Text(), nullable=True),
    sa.Column('extractor', sa.String(length=64), nullable=False),
    sa.Column('extractor_version', sa.String(length=32), nullable=True),
    _article_fk('places'),
    sa.PrimaryKeyConstraint('article_id', 'place_id', name=op.f('pk_places'))
    )
    op.create_index(op.f('ix_places_country'), 'places', ['country'], unique=False)

    dates = op.create_table('dates',
    sa.Column('article_id', sa.String(length=16), nullable=False),
    sa.Column('date_id', sa.String(length=16), nullable=False),
    sa.Column('start_char', sa.Integer(), nullable=False),
    sa.Column('end_char', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('from_date', sa.Date(), nullable=True),
    sa.Column('to_date', sa.Date(), nullable=True),
    sa.Column('precision', sa.String(length=16), nullable=True),
    sa.Column('extractor', sa.String(length=64), nullable=False),
    sa.Column('extractor_version', sa.String(length=32), nullable=True),
    _article_fk('dates'),
    sa.PrimaryKeyConstraint('article_id', 'date_id', name=op.f('pk_dates'))
    )
    op.create_index(op.f('ix_dates_from_date'), 'dates', ['from_date'], unique=False)

    _backfill(op.get_bind(), {"events": (events, _event_row), "places": (places, _place_row),
                              "dates": (dates, _date_row)})


def downgrade() -> None:
    for table in ("dates", "places", "events"):
        op.drop_table(table)


# --------------------------------------------------------------------------- the backfill


def _backfill(bind, targets: dict[str, tuple[sa.Table, Any]]) -> None:
    """Rows for every item of ``articles.extra[key]``, for each key of ``targets``."""
    articles = sa.table("articles", sa.column("id", sa.String), sa.column("extra", sa.JSON),
                        sa.column("extractors", sa.JSON))
    last = None
    while True:
        q = sa.select(articles.c.id, articles.c.extra, articles.c.extractors).order_by(articles.c.id).limit(BATCH)
        if last is not None:
            q = q.where(articles.c.id > last)
        batch = bind.execute(q).all()
        if not batch:
            return
        rows: dict[str, list[dict[str, Any]]] = {key: [] for key in targets}
        for aid, extra, versions in batch:
            extra = extra if isinstance(extra, dict) else {}
            versions = versions if isinstance(versions, dict) else {}
            for key, (_table, make) in targets.items():
                items = extra.get(key)
                seen: set[str] = set()
                for item in items if isinstance(items, list) else ():
                    if not _valid(item) or item["id"] in seen:
                        continue
                    seen.add(item["id"])
                    rows[key].append(make(aid, item, versions))
        for key, (table, _make) in targets.items():
            if rows[key]:
                bind.execute(table.insert(), rows[key])
        last = batch[-1].id


def _valid(item: Any) -> bool:
    return (isinstance(item, dict) and isinstance(item.get("id"), str) and 0 < len(item["id"]) <= 16
            and isinstance(item.get("start"), int) and isinstance(item.get("end"), int)
            and isinstance(item.get("text"), str))


def _day(value: Any) -> date | None:
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


def _event_row(aid: str, e: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
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


def _place_row(aid: str, p: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    ext = p.get("extractor") or ""
    return {
        "article_id": aid, "place_id": p["id"], "start_char": p["start"], "end_char": p["end"], "text": p["text"],
        "kind": p.get("kind") or "toponym", "name": p.get("name"), "feature": p.get("feature"),
        "country": p.get("country"), "lat": _number(p.get("lat"), float), "lon": _number(p.get("lon"), float),
        "geonameid": _number(p.get("geonameid"), int), "population": _number(p.get("population"), int),
        "admin_code": p.get("admin_code"), "gazetteer": p.get("gazetteer"),
        "extractor": ext, "extractor_version": versions.get(ext),
    }


def _date_row(aid: str, t: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    ext = t.get("extractor") or ""
    return {
        "article_id": aid, "date_id": t["id"], "start_char": t["start"], "end_char": t["end"], "text": t["text"],
        "from_date": _day(t.get("from")), "to_date": _day(t.get("to")), "precision": t.get("precision"),
        "extractor": ext, "extractor_version": versions.get(ext),
    }
