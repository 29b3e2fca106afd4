"""The tables, as SQLAlchemy Core metadata (the migrations in ``migrations/versions`` create them).

Every row that comes from an article carries its ``article_id`` and character offsets into the
article text (``start_char``/``end_char``, Python string indices, end exclusive: the ``start``/``end``
of ``docs/schema.md``) and, for extracted items, the ``extractor`` (versioned component name) and
its ``extractor_version``.  Column names avoid SQL keywords (``start_char``, not ``end``) so the
file reads easily in any SQL client.  ``docs/store.md`` documents every column.

The full-text indexes are not in this metadata: on SQLite they are FTS5 virtual tables
(``articles_fts``, ``quotes_fts``), on PostgreSQL GIN expression indexes over ``to_tsvector``;
the migrations create them for the backend at hand.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

#: A timestamp (stored in UTC; SQLite keeps it as ``YYYY-MM-DD HH:MM:SS.ffffff`` text).
Timestamp = sa.DateTime(timezone=True)

extraction_runs = sa.Table(
    "extraction_runs",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("started_at", Timestamp, nullable=False),
    sa.Column("finished_at", Timestamp),
    sa.Column("status", sa.String(16), nullable=False),  # running | finished | interrupted | failed
    sa.Column("sourcebook_version", sa.String(32)),
    sa.Column("model", sa.String(128)),
    sa.Column("extractors", sa.JSON, nullable=False),
    sa.Column("inputs", sa.JSON),
    sa.Column("workers", sa.Integer, nullable=False, server_default="1"),
    sa.Column("reextract", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("n_documents", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_ingested", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_unchanged", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_reextracted", sa.Integer, nullable=False, server_default="0"),
    sa.Column("n_skipped", sa.Integer, nullable=False, server_default="0"),
    sa.Column("read_seconds", sa.Float),
    sa.Column("extract_seconds", sa.Float),
    sa.Column("store_seconds", sa.Float),
    sa.Column("total_seconds", sa.Float),
    sa.Column("component_failures", sa.JSON),  # {component: articles it failed on} (migration 0006)
)

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("id", sa.String(16), primary_key=True),
    sa.Column("hash", sa.String(64), nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("n_chars", sa.Integer, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("outlet", sa.String(255)),
    sa.Column("published", sa.Date),
    # migration 0007: where ``published`` came from (read.metadata: cli, metadata-file, html-meta,
    # jsonl-field, parquet-field, dateline, none); NULL for articles stored before it
    sa.Column("published_source", sa.String(16)),
    sa.Column("language", sa.String(16)),
    sa.Column("origin", sa.Text),
    sa.Column("extractors", sa.JSON, nullable=False),
    sa.Column("model", sa.String(128)),
    sa.Column("warnings", sa.JSON, nullable=False),
    # The record's fields without columns of their own, as in the sourcebook/1 JSON:
    # {"events": [...], "places": [...], "dates": [...]}.  The items are also rows of the events,
    # places and dates tables (migration 0005); ``Store.record`` and the web UI read them here.
    sa.Column("extra", sa.JSON, nullable=False),
    sa.Column("n_sources", sa.Integer, nullable=False),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("n_quotes", sa.Integer, nullable=False),
    sa.Column("n_counts", sa.Integer, nullable=False),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("extraction_runs.id")),
    sa.Column("ingested_at", Timestamp, nullable=False),
    sa.Column("extracted_at", Timestamp, nullable=False),
    sa.Index(None, "published"),
    sa.Index(None, "outlet"),
    sa.Index(None, "hash"),
    sa.Index(None, "published", "id"),  # 0007
    sa.Index(None, "outlet", "published", "id"),  # 0007
)

_article_fk: dict[str, Any] = dict(ondelete="CASCADE")

sources = sa.Table(
    "sources",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", **_article_fk), primary_key=True),
    sa.Column("source_id", sa.String(16), primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("mention", sa.Text, nullable=False),
    sa.Column("head", sa.Text),
    sa.Column("anonymous", sa.Boolean, nullable=False),
    sa.Column("role", sa.Text),
    sa.Column("affiliation", sa.Text),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("start_char", sa.Integer),  # the first mention
    sa.Column("end_char", sa.Integer),
    sa.Column("anonymity_reason", sa.Text),
    sa.Column("anonymity_reason_start", sa.Integer),
    sa.Column("anonymity_reason_end", sa.Integer),
    sa.Column("n_mentions", sa.Integer, nullable=False),
    sa.Column("n_quotes", sa.Integer, nullable=False),
    sa.Column("n_counts", sa.Integer, nullable=False),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    sa.Index(None, "name"),
    sa.Index(None, "anonymous"),
)

source_mentions = sa.Table(
    "source_mentions",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("source_id", sa.String(16), primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),  # 1, 2, ... in text order
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    sa.ForeignKeyConstraint(["article_id", "source_id"], ["sources.article_id", "sources.source_id"],
                            ondelete="CASCADE"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", **_article_fk), primary_key=True),
    sa.Column("quote_id", sa.String(16), primary_key=True),
    sa.Column("source_id", sa.String(16), nullable=False),  # a sources.source_id, or REPORTER
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("type", sa.String(16), nullable=False),
    sa.Column("cue", sa.Text),
    sa.Column("cue_start", sa.Integer),
    sa.Column("cue_end", sa.Integer),
    sa.Column("confidence", sa.Float),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    sa.Column("method", sa.String(16)),  # rules | learned (NULL: stored before 0009, rules)
    sa.Index(None, "article_id", "source_id"),
)

counts = sa.Table(
    "counts",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", **_article_fk), primary_key=True),
    sa.Column("count_id", sa.String(16), primary_key=True),
    sa.Column("source_id", sa.String(16), nullable=False),  # a sources.source_id, or REPORTER
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("low", sa.BigInteger),
    sa.Column("high", sa.BigInteger),
    sa.Column("approximate", sa.Boolean, nullable=False),
    sa.Column("counted", sa.Text),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("origin", sa.String(8)),
    sa.Column("place", sa.JSON),
    sa.Column("time", sa.JSON),
    sa.Column("time_from", sa.String(32)),
    sa.Column("time_to", sa.String(32)),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    # Migration 0008: movement (record JSON "from", "to", "heading": {text, start, end, country}; SQL
    # NULL when the text gives none) with flat copies of the countries for queries, and the place's country.
    sa.Column("from_place", sa.JSON(none_as_null=True)),
    sa.Column("to_place", sa.JSON(none_as_null=True)),
    sa.Column("heading", sa.JSON(none_as_null=True)),
    sa.Column("from_country", sa.String(8)),
    sa.Column("to_country", sa.String(8)),
    sa.Column("heading_country", sa.String(8)),
    sa.Column("place_country", sa.String(8)),
    sa.Index(None, "status"),
    sa.Index(None, "origin"),
    sa.Index(None, "from_country"),
    sa.Index(None, "to_country"),
    sa.Index(None, "article_id", "start_char"),  # 0007
)

#: A JSON column whose Python None is SQL NULL (``IS NULL`` finds it), not the JSON text ``null``.
_JSON_OR_NULL = sa.JSON(none_as_null=True)

# Migration 0005: the record's events, places and dates, one row per item (they are in
# ``articles.extra`` too, as the record JSON has them, for the web UI and ``Store.record``).
events = sa.Table(
    "events",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", **_article_fk), primary_key=True),
    sa.Column("event_id", sa.String(16), primary_key=True),
    sa.Column("start_char", sa.Integer, nullable=False),  # the trigger word(s)
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),  # PLOVER event type: ASSAULT, COERCE, ...
    sa.Column("mode", sa.Text),
    sa.Column("actor", _JSON_OR_NULL),  # as in the record JSON; SQL NULL when the event has none
    sa.Column("recipient", _JSON_OR_NULL),
    sa.Column("place", _JSON_OR_NULL),
    sa.Column("time", _JSON_OR_NULL),
    sa.Column("source_id", sa.String(16), nullable=False),  # a sources.source_id, or REPORTER
    sa.Column("quote_id", sa.String(16)),
    sa.Column("negated", sa.Boolean, nullable=False),
    sa.Column("hypothetical", sa.Boolean, nullable=False),
    # Flat copies of the JSON columns' most used values, for queries and spreadsheets:
    sa.Column("actor_name", sa.Text),  # actor.normalized
    sa.Column("actor_country", sa.Text),  # ISO 3166-1 alpha-3 or a PLOVER entity code
    sa.Column("actor_code", sa.Text),  # country + sector
    sa.Column("recipient_name", sa.Text),
    sa.Column("recipient_country", sa.Text),
    sa.Column("recipient_code", sa.Text),
    sa.Column("place_id", sa.String(16)),  # a places.place_id of the same article
    sa.Column("place_country", sa.String(8)),  # ISO 3166-1 alpha-2
    sa.Column("time_id", sa.String(16)),  # a dates.date_id of the same article
    sa.Column("time_from", sa.Date),
    sa.Column("time_to", sa.Date),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    sa.Index(None, "type"),
    sa.Index(None, "place_country"),
    sa.Index(None, "actor_country"),
    sa.Index(None, "time_from"),
    sa.Index(None, "article_id", "start_char"),  # 0007
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", **_article_fk), primary_key=True),
    sa.Column("place_id", sa.String(16), primary_key=True),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("kind", sa.String(16), nullable=False),  # toponym | demonym | embedded
    sa.Column("name", sa.Text),  # the gazetteer's name; null when unresolved
    sa.Column("feature", sa.Text),  # country | continent | region | admin1 | admin2 | city
    sa.Column("country", sa.String(8)),  # ISO 3166-1 alpha-2
    sa.Column("lat", sa.Float),
    sa.Column("lon", sa.Float),
    sa.Column("geonameid", sa.BigInteger),
    sa.Column("population", sa.BigInteger),
    sa.Column("admin_code", sa.Text),  # ISO 3166-2
    sa.Column("gazetteer", sa.Text),
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    sa.Index(None, "country"),
    sa.Index(None, "article_id", "start_char"),  # 0007
    sa.Index(None, "name"),  # 0007
)

dates = sa.Table(
    "dates",
    metadata,
    sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id", **_article_fk), primary_key=True),
    sa.Column("date_id", sa.String(16), primary_key=True),
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("from_date", sa.Date),  # "from" in the record JSON; null for an open start or unresolved
    sa.Column("to_date", sa.Date),  # "to"
    sa.Column("precision", sa.String(16)),  # day | week | month | year; null when unresolved
    sa.Column("extractor", sa.String(64), nullable=False),
    sa.Column("extractor_version", sa.String(32)),
    sa.Index(None, "from_date"),
    sa.Index(None, "article_id", "start_char"),  # 0007
)

skipped = sa.Table(
    "skipped",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("run_id", sa.Integer, sa.ForeignKey("extraction_runs.id", ondelete="CASCADE")),
    sa.Column("origin", sa.Text, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Index(None, "run_id"),
    sa.Index(None, "reason"),
)

# Review (migration 0002; ``sourcebook.review`` writes them): every decision on a source, quote or
# figure, and each reviewed item's decision in force with its complete effective values.
reviews = sa.Table(
    "reviews",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(8), nullable=False),  # source | quote | count
    sa.Column("article_id", sa.String(16), nullable=False),
    sa.Column("item_id", sa.String(16), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # accept | correct | reject | reset
    sa.Column("reviewer", sa.String(255), nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("before", sa.JSON),
    sa.Column("after", sa.JSON),
    sa.Column("note", sa.Text),
    sa.Column("article_hash", sa.String(64)),
    sa.Index(None, "article_id", "kind", "item_id"),
    sa.Index(None, "at"),
)

review_state = sa.Table(
    "review_state",
    metadata,
    sa.Column("kind", sa.String(8), primary_key=True),
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("item_id", sa.String(16), primary_key=True),
    sa.Column("start_char", sa.Integer),  # the item's span when reviewed: the state applies while it holds
    sa.Column("end_char", sa.Integer),
    sa.Column("decision", sa.String(16), nullable=False),  # accepted | corrected | rejected
    sa.Column("review_id", sa.Integer, nullable=False),
    sa.Column("reviewer", sa.String(255), nullable=False),
    sa.Column("reviewed_at", Timestamp, nullable=False),
    sa.Column("source_id", sa.String(16)),  # quote, count: the source it is attributed to
    sa.Column("type", sa.String(32)),  # quote: type; source: kind
    sa.Column("low", sa.BigInteger),  # count
    sa.Column("high", sa.BigInteger),
    sa.Column("status", sa.String(32)),
    sa.Column("origin", sa.String(8)),
    sa.Column("counted", sa.Text),
    sa.Column("name", sa.Text),  # source
    sa.Column("role", sa.Text),
    sa.Column("affiliation", sa.Text),
    sa.Column("anonymous", sa.Boolean),
    # migration 0007: events, places and dates (``type`` and ``name`` are shared)
    sa.Column("actor", sa.Text),  # event: actor_name
    sa.Column("recipient", sa.Text),  # event: recipient_name
    sa.Column("country", sa.String(8)),  # event: place_country; place: country
    sa.Column("lat", sa.Float),  # place
    sa.Column("lon", sa.Float),
    sa.Column("from_date", sa.Date),  # event: time_from; date: from_date
    sa.Column("to_date", sa.Date),  # event: time_to; date: to_date
    sa.Column("precision", sa.String(16)),  # date
    sa.Index(None, "article_id"),
    sa.Index(None, "decision"),
    sa.Index(None, "kind", "decision"),  # 0007
)

# Migration 0010: the review loop.  Articles a reviewer marked "reviewed: all items checked", and
# items (quotes, figures, sources) a reviewer added by selecting their text; both also logged in
# ``reviews`` (kind ``article``: complete | reopen; action ``add`` | ``remove`` on an item).
article_review = sa.Table(
    "article_review",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("review_id", sa.Integer, nullable=False),
    sa.Column("reviewer", sa.String(255), nullable=False),
    sa.Column("reviewed_at", Timestamp, nullable=False),
    sa.Column("article_hash", sa.String(64)),
)

review_added = sa.Table(
    "review_added",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("item_id", sa.String(16), primary_key=True),  # AQ1, AC1, AS1, ... (never an extracted id)
    sa.Column("kind", sa.String(8), nullable=False),  # quote | count | source
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),  # the article's text at those offsets
    sa.Column("fields", sa.JSON, nullable=False),  # the values the reviewer gave (review.ADD_FIELDS)
    sa.Column("review_id", sa.Integer, nullable=False),
    sa.Column("reviewer", sa.String(255), nullable=False),
    sa.Column("added_at", Timestamp, nullable=False),
    sa.Column("article_hash", sa.String(64)),
    sa.Index("ix_review_added_kind", "kind"),
)

# The ledger (migration 0003; ``sourcebook.ledger`` computes them from the tables above, and
# recomputes what new, re-extracted, deleted or reviewed articles change): near-duplicate
# articles, claims (one figure from one source, cited by many articles), series and flows.
ledger_articles = sa.Table(
    "ledger_articles",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("extracted_at", Timestamp),  # articles.extracted_at when the ledger read the article
    sa.Column("published", sa.Date),
    sa.Column("outlet", sa.String(255)),
    sa.Column("n_shingles", sa.Integer, nullable=False),
    sa.Column("minhash", sa.Text, nullable=False),  # base64 of the MinHash signature (uint32 little-endian)
    sa.Column("canonical_id", sa.String(16), nullable=False),  # itself, or the article it is a copy of
    sa.Column("similarity", sa.Float),  # estimated Jaccard similarity to the canonical article
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index(None, "canonical_id"),
)

ledger_duplicates = sa.Table(
    "ledger_duplicates",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),  # the smaller id of the pair
    sa.Column("other_id", sa.String(16), primary_key=True),
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Index(None, "other_id"),
)

# Migration 0004: the near-duplicate index (``ledger.dupes.band_keys``): one row per MinHash LSH band
# of each article in ``ledger_articles``; candidates of a new article are the articles that share a
# key with it.  WITHOUT ROWID on SQLite: the primary key is the table.
ledger_lsh = sa.Table(
    "ledger_lsh",
    metadata,
    sa.Column("key", sa.BigInteger, primary_key=True),  # a 64-bit hash of (band number, band values)
    sa.Column("article_id", sa.String(16), primary_key=True),
    sqlite_with_rowid=False,
)

def _movement_ends() -> list[sa.Column]:
    """The ends of a claim's movement (migration 0008): for from, to and heading (a destination not
    reached), the ISO country and the place as named."""
    return [sa.Column(f"{end}_{part}", sa.String(8) if part == "country" else sa.Text)
            for end in ("from", "to", "heading") for part in ("country", "label")]


ledger_claims = sa.Table(
    "ledger_claims",
    metadata,
    sa.Column("claim_id", sa.String(16), primary_key=True),
    sa.Column("block", sa.Text, nullable=False),  # source block | low | high: what clustering compares within
    sa.Column("series_id", sa.String(16), nullable=False),
    sa.Column("flow_id", sa.String(16)),
    sa.Column("source_kind", sa.String(16), nullable=False),  # named | anonymous | reporter
    sa.Column("source_label", sa.Text, nullable=False),
    sa.Column("low", sa.BigInteger),
    sa.Column("high", sa.BigInteger),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("counted", sa.Text),
    sa.Column("group_key", sa.Text, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("origin", sa.String(8)),
    sa.Column("place_key", sa.Text),
    sa.Column("place_label", sa.Text),
    sa.Column("place_country", sa.String(8)),
    *_movement_ends(),  # migration 0008
    sa.Column("time_from", sa.String(32)),
    sa.Column("time_to", sa.String(32)),
    sa.Column("claim_date", sa.String(32)),  # time_from, else the first report's publication date
    sa.Column("quote", sa.Text),
    sa.Column("first_article_id", sa.String(16), nullable=False),
    sa.Column("first_count_id", sa.String(16), nullable=False),
    sa.Column("first_published", sa.Date),
    sa.Column("first_outlet", sa.String(255)),
    sa.Column("last_published", sa.Date),
    sa.Column("n_citations", sa.Integer, nullable=False),
    sa.Column("n_articles", sa.Integer, nullable=False),
    sa.Column("n_reports", sa.Integer, nullable=False),  # articles, near-duplicates counted once
    sa.Column("n_outlets", sa.Integer, nullable=False),
    sa.Column("n_copies", sa.Integer, nullable=False),  # citations in near-duplicate copies
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.Index(None, "block"),
    sa.Index(None, "series_id"),
    sa.Index(None, "flow_id"),
)

ledger_citations = sa.Table(
    "ledger_citations",
    metadata,
    sa.Column("article_id", sa.String(16), primary_key=True),
    sa.Column("count_id", sa.String(16), primary_key=True),
    sa.Column("claim_id", sa.String(16), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),  # 1 = the first report, then by date
    sa.Column("rule", sa.String(16), nullable=False),  # first | quote | figure | copy | chain
    sa.Column("block", sa.Text, nullable=False),
    sa.Column("canonical_id", sa.String(16), nullable=False),  # the article, or the one it copies
    sa.Column("copy_of", sa.String(16)),  # the canonical article's count this copy repeats
    sa.Column("published", sa.Date),
    sa.Column("outlet", sa.String(255)),
    sa.Column("source_id", sa.String(16), nullable=False),
    sa.Column("source_kind", sa.String(16), nullable=False),
    sa.Column("source_label", sa.Text, nullable=False),
    sa.Column("source_block", sa.Text, nullable=False),
    sa.Column("source_tokens", sa.Text, nullable=False),  # space-separated
    sa.Column("low", sa.BigInteger),
    sa.Column("high", sa.BigInteger),
    sa.Column("number", sa.Text, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("counted", sa.Text),
    sa.Column("group_key", sa.Text, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("origin", sa.String(8)),
    sa.Column("place_key", sa.Text),
    sa.Column("place_label", sa.Text),
    sa.Column("place_country", sa.String(8)),
    *_movement_ends(),  # migration 0008
    sa.Column("time_from", sa.String(32)),
    sa.Column("time_to", sa.String(32)),
    sa.Column("quote", sa.Text),  # the quote holding the figure, as written
    sa.Column("start_char", sa.Integer, nullable=False),
    sa.Column("end_char", sa.Integer, nullable=False),
    sa.Index(None, "claim_id"),
    sa.Index(None, "block"),
)

ledger_series = sa.Table(
    "ledger_series",
    metadata,
    sa.Column("series_id", sa.String(16), primary_key=True),
    sa.Column("group_key", sa.Text, nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("origin", sa.String(8)),
    sa.Column("place_key", sa.Text),
    sa.Column("place_label", sa.Text),
    sa.Column("n_claims", sa.Integer, nullable=False),
    sa.Column("n_citations", sa.Integer, nullable=False),
    sa.Column("n_named", sa.Integer, nullable=False),
    sa.Column("n_anonymous", sa.Integer, nullable=False),
    sa.Column("n_reporter", sa.Integer, nullable=False),
    sa.Column("first_date", sa.String(32)),
    sa.Column("last_date", sa.String(32)),
    sa.Column("min_low", sa.BigInteger),
    sa.Column("max_high", sa.BigInteger),
    sa.Column("n_conflicting_months", sa.Integer, nullable=False),
)

ledger_series_months = sa.Table(
    "ledger_series_months",
    metadata,
    sa.Column("series_id", sa.String(16), primary_key=True),
    sa.Column("month", sa.String(7), primary_key=True),  # YYYY-MM, or "undated"
    sa.Column("min_low", sa.BigInteger),
    sa.Column("max_high", sa.BigInteger),
    sa.Column("n_claims", sa.Integer, nullable=False),
    sa.Column("conflicting", sa.Boolean, nullable=False),  # two claims whose ranges do not overlap
    sa.Column("claim_ids", sa.JSON, nullable=False),
)

ledger_flows = sa.Table(
    "ledger_flows",
    metadata,
    sa.Column("flow_id", sa.String(16), primary_key=True),
    sa.Column("period", sa.String(16), nullable=False),  # the time window: YYYY, or "undated"
    sa.Column("origin", sa.String(8), nullable=False),  # ISO code, or "?"
    sa.Column("destination", sa.String(64), nullable=False),  # to, else where (never a heading), or "?"
    sa.Column("destination_label", sa.Text),
    sa.Column("status", sa.String(32), nullable=False),
    # Migration 0008: a flow is drawn as an arrow only where the text gives a direction (``directed``:
    # a from or a to); detained people are shown where they are held (``where``); ``heading`` is a
    # destination not reached, never an arrow.  Each end: an ISO code, the place as named, or NULL.
    sa.Column("directed", sa.Boolean),
    sa.Column("from_key", sa.String(64)),
    sa.Column("from_label", sa.Text),
    sa.Column("to_key", sa.String(64)),
    sa.Column("to_label", sa.Text),
    sa.Column("where_key", sa.String(64)),
    sa.Column("where_label", sa.Text),
    sa.Column("heading_key", sa.String(64)),
    sa.Column("heading_label", sa.Text),
    sa.Column("n_claims", sa.Integer, nullable=False),
    sa.Column("n_citations", sa.Integer, nullable=False),
    sa.Column("min_low", sa.BigInteger),
    sa.Column("max_high", sa.BigInteger),
    sa.Column("claim_ids", sa.JSON, nullable=False),
)

ledger_state = sa.Table(
    "ledger_state",
    metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text),
)


#: The tables in the order they are exported and documented.
TABLES: dict[str, sa.Table] = {
    "articles": articles,
    "sources": sources,
    "source_mentions": source_mentions,
    "quotes": quotes,
    "counts": counts,
    "events": events,
    "places": places,
    "dates": dates,
    "extraction_runs": extraction_runs,
    "skipped": skipped,
    "reviews": reviews,
    "review_state": review_state,
    "article_review": article_review,
    "review_added": review_added,
    "ledger_articles": ledger_articles,
    "ledger_duplicates": ledger_duplicates,
    "ledger_lsh": ledger_lsh,
    "ledger_claims": ledger_claims,
    "ledger_citations": ledger_citations,
    "ledger_series": ledger_series,
    "ledger_series_months": ledger_series_months,
    "ledger_flows": ledger_flows,
    "ledger_state": ledger_state,
}

#: Index tables: derived lookup structures, not data; left out of a default export.
INDEX_TABLES = ("ledger_lsh",)

#: Tables holding what was extracted (one set per article); the other two are logs of runs.
DATA_TABLES = ("articles", "sources", "source_mentions", "quotes", "counts", "events", "places", "dates")

#: Tables the database itself keeps append-only: triggers refuse UPDATE and DELETE (and TRUNCATE on
#: PostgreSQL) on them (migration 0006).
APPEND_ONLY_TABLES = ("reviews",)

#: SQLite full-text tables (FTS5, filled in the same transaction as the rows they index).
SQLITE_FTS_TABLES = ("articles_fts", "quotes_fts")
