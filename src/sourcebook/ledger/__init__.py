"""The ledger: one claim across many reports, estimates over time, and where people go.

* near-duplicate articles (wire copies, reprints) by MinHash/LSH (``dupes``), linked and counted once;
* claims: the same figure from the same source about the same group, cited by many articles,
  with its first report and every later one (``cluster``);
* series: claims grouped by counted group, status, origin and place, with a monthly envelope
  (``core.series_rows``); flows: movement claims by nationality, from, to, where and heading (``movements``).

``update(store)`` keeps the ledger tables in step with the store, doing only what new, re-extracted,
deleted or reviewed articles change; the query functions (``claims``, ``claim``, ``series``,
``flows``, ``overview``) call it first unless told not to.  See docs/ledger.md.
"""

from .cluster import WINDOW_DAYS, Item, cluster, link_rule, pairwise_same
from .core import FLOW_STATUSES, UpdateSummary, ledger_version, update, update_after_ingest
from .query import claim, claims, flows, freshness, overview, series

__all__ = [
    "update", "update_after_ingest", "UpdateSummary", "ledger_version", "claims", "claim", "series", "flows",
    "overview", "freshness",
    "cluster", "Item", "link_rule", "pairwise_same", "WINDOW_DAYS", "FLOW_STATUSES",
]
