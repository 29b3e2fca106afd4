"""The ledger in the store: ``update`` keeps the ledger tables in step with the articles.

``update(store)`` does only what changed since the last update, in steps of at most ``STEP``
changed articles, each step ONE write transaction that leaves the ledger consistent (an update
that is interrupted leaves the rest to the next one).  Memory grows with the step and with the
largest block, claim series or near-duplicate group, never with the corpus:

1. **what changed**: articles that are new or re-extracted (``articles.extracted_at`` differs from
   the one the ledger read), deleted (in ``ledger_articles`` but no longer in ``articles``), or
   reviewed (rows of ``reviews`` newer than the last one the ledger saw), found by SQL;
2. **near-duplicates**: MinHash signatures of the new texts (``dupes.signature``); their LSH band
   keys (``dupes.band_keys``) go into ``ledger_lsh``, and the articles sharing a key are the
   candidates; confirmed pairs go into ``ledger_duplicates``, and each article of the groups the
   step touched gets its canonical article (``ledger_articles.canonical_id``); an article whose
   canonical changed is affected too, and so are the copies of an affected article;
3. **claims**: the affected articles' figures, with review corrections applied
   (``sourcebook.store.effective.effective_select``), become ``cluster.Item`` s (a copy's figures take the
   features of the canonical figure they repeat); the blocks they leave or enter are clustered
   again with the other figures of those blocks (read back from ``ledger_citations``), and
   their claims and citations replaced, a chunk of blocks at a time;
4. **series and flows** touched by the replaced claims are computed again from ``ledger_claims``.

Anything that changes what the ledger computes (its rules, the counted-group lexicon, the window)
changes ``ledger_version()``; an update that finds another version in ``ledger_state`` rebuilds
everything.  The ledger tables are derived data: ``update(store, full=True)`` rebuilds them.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy import select

from .. import lexicon
from ..store import Store
from ..store import schema as S
from . import dupes
from .cluster import WINDOW_DAYS, Item, block_of, claim_id, cluster, link_rule, time_overlap
from .movements import ENDS, FLOW_STATUSES, country_name, flow_id_of, flow_key, flow_rows, period_of
from .normalize import group_of, norm_text, place_key, short_hash, source_key

#: The movement's ends in claim and citation rows (``movements.ENDS``: country and label of each).
MOVEMENT_COLUMNS = tuple(f"{e}_{k}" for e in ENDS for k in ("country", "label"))
__all__ = ["FLOW_STATUSES", "flow_rows", "flow_key", "period_of", "update", "update_after_ingest", "ledger_version"]

LEDGER_RULES = "sourcebook-ledger/3"  # 2: the near-duplicate index moved into ledger_lsh; 3: movement (movements.py)
_LEDGER_TABLES = ("ledger_articles", "ledger_duplicates", "ledger_lsh", "ledger_claims", "ledger_citations",
                  "ledger_series",
                  "ledger_series_months", "ledger_flows", "ledger_state")
_CHUNK = 400
#: Changed articles an update handles per transaction (``update(step=...)``).
STEP = 5000
#: Citations clustered at once (blocks are read back in chunks of about this many rows).
_BLOCK_ROWS = 20000


def ledger_version(window_days: int = WINDOW_DAYS) -> str:
    """A fingerprint of everything that decides the ledger's content except the data."""
    groups = "\n".join("\t".join(r) for r in lexicon.table("ledger_groups"))
    return short_hash(LEDGER_RULES, window_days, dupes.SHINGLE, dupes.NUM_PERM, dupes.SEED, dupes.SCHEME,
                      dupes.LSH_THRESHOLD,
                      dupes.MIN_JACCARD, dupes.MIN_CONTAINMENT, dupes.MIN_SHINGLES, dupes.PER_KEY, groups)


@dataclass
class UpdateSummary:
    """What one ``update`` did."""

    full: bool = False
    new_articles: int = 0  # new or re-extracted
    deleted_articles: int = 0
    reviewed_articles: int = 0
    affected_articles: int = 0
    duplicate_pairs: int = 0  # new near-duplicate pairs found
    blocks: int = 0
    claims: int = 0  # claims written (in the blocks recomputed)
    citations: int = 0
    series: int = 0
    flows: int = 0
    seconds: float = 0.0
    corrections: bool = False  # review corrections were applied
    notes: list[str] = field(default_factory=list)

    def add(self, other: "UpdateSummary") -> None:
        """Add the work of another step of the same update to this one."""
        self.full = self.full or other.full
        self.corrections = self.corrections or other.corrections
        for k in ("new_articles", "deleted_articles", "reviewed_articles", "affected_articles", "duplicate_pairs",
                  "blocks", "claims", "citations", "series", "flows"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        self.notes.extend(other.notes)

    @property
    def changed(self) -> bool:
        return bool(self.full or self.new_articles or self.deleted_articles or self.reviewed_articles)

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in ("full", "new_articles", "deleted_articles", "reviewed_articles",
                                               "affected_articles", "duplicate_pairs", "blocks", "claims",
                                               "citations", "series", "flows", "corrections", "notes")} | {
            "seconds": round(self.seconds, 3)}


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(seq: Sequence[Any], n: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _as_date(v: Any) -> date | None:
    if v in (None, ""):
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    try:
        return date.fromisoformat(str(v)[:10])
    except ValueError:
        return None


def _effective(kind: str):
    """The effective (reviewed) rows of ``kind`` as a subquery, or the extracted table when the
    review module is not there."""
    try:
        from ..store.effective import effective_select
    except ImportError:  # pragma: no cover - the review module ships with the web UI
        return {"count": S.counts, "source": S.sources}[kind], False
    return effective_select(kind).subquery(f"eff_{kind}"), True


# --------------------------------------------------------------------------- features


def _features(conn, ids: Sequence[str], canon: dict[str, str]) -> tuple[list[dict[str, Any]], bool]:
    """Citation rows (without claim, position, rule) for every figure of the articles ``ids``; the
    figures of copies are aligned to their canonical article's figures and take their features."""
    need = set(ids) | {canon[a] for a in ids if canon.get(a, a) != a}
    need_l = sorted(need)
    counts_t, corrected = _effective("count")
    sources_t, _ = _effective("source")
    arts: dict[str, Any] = {}
    counts: dict[str, list[dict]] = defaultdict(list)
    srcs: dict[tuple[str, str], dict] = {}
    quotes: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    places: dict[str, list[dict[str, Any]]] = defaultdict(list)
    times: dict[tuple[str, str], tuple[Any, Any]] = {}
    a = S.articles
    for chunk in _chunks(need_l):
        _reviewed_places_and_dates(conn, chunk, places, times)
        for r in conn.execute(select(a.c.id, a.c.published, a.c.outlet, a.c.n_chars, a.c.extra)
                              .where(a.c.id.in_(chunk))):
            arts[r.id] = r
        for r in conn.execute(select(counts_t).where(counts_t.c.article_id.in_(chunk))).mappings():
            counts[r["article_id"]].append(dict(r))
        for r in conn.execute(select(sources_t.c.article_id, sources_t.c.source_id, sources_t.c.name,
                                     sources_t.c.mention, sources_t.c.head, sources_t.c.anonymous)
                              .where(sources_t.c.article_id.in_(chunk))).mappings():
            srcs[(r["article_id"], r["source_id"])] = dict(r)
        q = S.quotes
        for r in conn.execute(select(q.c.article_id, q.c.start_char, q.c.end_char, q.c.text)
                              .where(q.c.article_id.in_(chunk))):
            quotes[r.article_id].append((r.start_char, r.end_char, r.text))
    rows: dict[tuple[str, str], dict[str, Any]] = {}

    def own(aid: str, c: dict) -> dict[str, Any]:
        art = arts[aid]
        src = srcs.get((aid, c["source_id"])) or {}
        block, kind, toks, label = source_key(
            source_id=c["source_id"], name=src.get("name"), mention=src.get("mention"), head=src.get("head"),
            anonymous=src.get("anonymous"), outlet=art.outlet, article_id=aid)
        art_places = places.get(aid, ())
        pkey, plabel, pcountry = place_key(c.get("place") if isinstance(c.get("place"), dict) else None, art_places)
        ends = {}
        for end, col in zip(ENDS, ("from_place", "to_place", "heading")):
            _, end_name, end_country = place_key(c.get(col) if isinstance(c.get(col), dict) else None, art_places)
            ends[f"{end}_country"], ends[f"{end}_label"] = c.get(f"{end}_country") or end_country, end_name
        t_from, t_to = _time_of(aid, c, times)
        quote = None
        inside = [qt for qt in quotes.get(aid, ()) if qt[0] <= c["start_char"] and c["end_char"] <= qt[1]]
        if inside:
            quote = min(inside, key=lambda qt: qt[1] - qt[0])[2]
        return {
            "article_id": aid, "count_id": c["count_id"], "canonical_id": canon.get(aid, aid), "copy_of": None,
            "published": _as_date(art.published), "outlet": art.outlet, "source_id": c["source_id"] or "REPORTER",
            "source_kind": kind, "source_label": label, "source_block": block,
            "source_tokens": " ".join(sorted(toks)), "low": c["low"], "high": c["high"],
            "number": c["number"] or "", "text": c["text"] or "", "counted": c["counted"],
            "group_key": group_of(c["counted"]), "status": c["status"] or "other", "origin": c["origin"],
            "place_key": pkey, "place_label": plabel, "place_country": pcountry,
            "time_from": t_from, "time_to": t_to, "quote": quote,
            "start_char": c["start_char"], "end_char": c["end_char"], **ends,
        }

    for aid in need_l:
        if aid not in arts or canon.get(aid, aid) != aid:
            continue
        for c in counts.get(aid, ()):
            rows[(aid, c["count_id"])] = own(aid, c)
    for aid in ids:
        cid = canon.get(aid, aid)
        if aid not in arts or cid == aid:
            continue
        mine = counts.get(aid, [])
        theirs = counts.get(cid, [])
        matched = dupes.align(mine, theirs, arts[aid].n_chars, arts[cid].n_chars if cid in arts
                              else 1) if theirs else {}
        for c in mine:
            row = own(aid, c)
            target = rows.get((cid, matched[c["count_id"]])) if c["count_id"] in matched else None
            if target is not None and _agree(row, target):
                for k in ("source_kind", "source_label", "source_block", "source_tokens", "low", "high", "group_key",
                          "status", "origin", "place_key", "place_label", "place_country", "time_from", "time_to",
                          "quote", *MOVEMENT_COLUMNS):
                    row[k] = target[k]
                row["copy_of"] = target["count_id"]
            rows[(aid, c["count_id"])] = row
    wanted = set(ids)
    out = [r for r in rows.values() if r["article_id"] in wanted]
    for r in out:
        r["block"] = block_of(r["source_block"], r["low"], r["high"])
    return out, corrected


def _reviewed_places_and_dates(conn, ids: Sequence[str], places: dict[str, list[dict[str, Any]]],
                               times: dict[tuple[str, str], tuple[Any, Any]]) -> None:
    """The articles' places (corrected names and countries, rejected ones left out) and their dates'
    corrected intervals (``(None, None)`` for a rejected date), from ``store.effective.Effective``."""
    from ..store.effective import Effective

    p = Effective.of("place")
    for r in conn.execute(select(p.t.c.article_id, p.t.c.start_char, p.t.c.end_char, p.c["name"], p.c["country"])
                          .select_from(p.outerjoin()).where(p.t.c.article_id.in_(ids), p.visible)):
        places[r[0]].append({"start": r[1], "end": r[2], "name": r[3], "country": r[4]})
    d = Effective.of("date")
    for r in conn.execute(select(d.t.c.article_id, d.t.c.date_id, d.c["from_date"], d.c["to_date"],
                                 d.hidden.label("hidden"))
                          .select_from(d.outerjoin()).where(d.t.c.article_id.in_(ids), d.decision.is_not(None))):
        times[(r[0], r[1])] = (None, None) if r[4] else (_iso(r[2]), _iso(r[3]))


def _iso(v: Any) -> str | None:
    return v.isoformat()[:10] if hasattr(v, "isoformat") else (str(v)[:10] if v else None)


def _time_of(aid: str, c: dict[str, Any], times: dict[tuple[str, str], tuple[Any, Any]]) -> tuple[Any, Any]:
    """A figure's time: its own, unless the date it points at was reviewed."""
    t = c.get("time")
    ref = t.get("id") if isinstance(t, dict) else None
    if ref and (aid, ref) in times:
        return times[(aid, ref)]
    return c.get("time_from"), c.get("time_to")


def _agree(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether a copy's figure says what the canonical figure says (same group and status, places
    and times compatible): only then is it cited as a copy of it.  Two short articles alike but
    for the day ("killed on Monday" / "killed on Friday") are not copies of each other's figures."""
    return (a["group_key"] == b["group_key"] and a["status"] == b["status"]
            and (not a["place_key"] or not b["place_key"] or a["place_key"] == b["place_key"])
            and time_overlap(a["time_from"], a["time_to"], b["time_from"], b["time_to"]))


def item_of(row: dict[str, Any]) -> Item:
    """The ``cluster.Item`` of a citation row (``ledger_citations`` or ``_features``)."""
    pub = _as_date(row.get("published"))
    copy_of = (row["canonical_id"], row["copy_of"]) if row.get("copy_of") else None
    toks = row.get("source_tokens") or ""
    return Item(
        article_id=row["article_id"], count_id=row["count_id"], source_block=row["source_block"],
        source_tokens=frozenset(toks.split()), low=row["low"], high=row["high"], group=row["group_key"],
        status=row["status"], place=row.get("place_key"), time_from=row.get("time_from"),
        time_to=row.get("time_to"), day=pub.toordinal() if pub else None,
        quote=norm_text(row["quote"]) if row.get("quote") else None, count_text=norm_text(row.get("text")),
        start=row.get("start_char") or 0, copy_of=copy_of,
    )


# --------------------------------------------------------------------------- claims, series, flows


def series_place(row: dict[str, Any]) -> tuple[str | None, str | None]:
    """A series is kept per country: the place's country when the gazetteer knows it, else the place."""
    if row.get("place_country"):
        return f"country:{row['place_country']}", country_name(row["place_country"])
    return row.get("place_key"), row.get("place_label")


def series_key(row: dict[str, Any]) -> tuple[str, str, str, str]:
    return (row["group_key"], row["status"], row.get("origin") or "", series_place(row)[0] or "")


def series_id_of(row: dict[str, Any]) -> str:
    return short_hash("series", *series_key(row))


_RULE_ORDER = {"copy": 0, "quote": 1, "figure": 2}


def _claim_rows(members: list[Item], rows: dict[tuple[str, str], dict[str, Any]], window_days: int,
                now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    first = members[0]
    cid = claim_id(first)
    cits = []
    for pos, it in enumerate(members, 1):
        r = dict(rows[it.key])
        if pos == 1:
            rule = "first"
        else:
            best = None
            for prev in members[:min(pos - 1, 50)]:
                why = link_rule(it, prev, window_days)
                if why and (best is None or _RULE_ORDER[why] < _RULE_ORDER[best]):
                    best = why
                    if why == "copy":
                        break
            rule = best or "chain"
        r.update(claim_id=cid, position=pos, rule=rule)
        cits.append(r)
    f = cits[0]

    def first_of(key: str) -> Any:
        return next((c[key] for c in cits if c.get(key) not in (None, "")), None)

    place = next((c for c in cits if c.get("place_key")), None)
    moved = {}
    for end in ENDS:  # each end from the first citation that gives it
        src = next((c for c in cits if c.get(f"{end}_country") or c.get(f"{end}_label")), {})
        moved[f"{end}_country"], moved[f"{end}_label"] = src.get(f"{end}_country"), src.get(f"{end}_label")
    timed = next((c for c in cits if c.get("time_from") or c.get("time_to")), None)
    pubs = [c["published"] for c in cits if c.get("published")]
    claim = {
        "claim_id": cid, "block": f["block"], "source_kind": f["source_kind"], "source_label": f["source_label"],
        "low": f["low"], "high": f["high"], "number": f["number"], "text": f["text"], "counted": f["counted"],
        "group_key": f["group_key"], "status": f["status"], "origin": first_of("origin"),
        "place_key": place["place_key"] if place else None, "place_label": place["place_label"] if place else None,
        "place_country": place["place_country"] if place else None,
        "time_from": timed["time_from"] if timed else None, "time_to": timed["time_to"] if timed else None,
        "quote": first_of("quote"), "first_article_id": f["article_id"], "first_count_id": f["count_id"],
        "first_published": f["published"], "first_outlet": f["outlet"],
        "last_published": max(pubs) if pubs else None, "n_citations": len(cits),
        "n_articles": len({c["article_id"] for c in cits}), "n_reports": len({c["canonical_id"] for c in cits}),
        "n_outlets": len({c["outlet"] for c in cits if c.get("outlet")}),
        "n_copies": sum(1 for c in cits if c["canonical_id"] != c["article_id"]), "updated_at": now, **moved,
    }
    claim["claim_date"] = claim["time_from"] or (f["published"].isoformat() if f.get("published") else None)
    claim["series_id"] = series_id_of(claim)
    fk = flow_key(claim)
    claim["flow_id"] = flow_id_of(fk) if fk else None
    return claim, cits


def _ranges_overlap(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> bool:
    lo_a = a[0] if a[0] is not None else a[1]
    hi_a = a[1] if a[1] is not None else None
    lo_b = b[0] if b[0] is not None else b[1]
    hi_b = b[1] if b[1] is not None else None
    if lo_a is None or lo_b is None:
        return True
    return (hi_b is None or lo_a <= hi_b) and (hi_a is None or lo_b <= hi_a)


def conflicting(ranges: Sequence[tuple[int | None, int | None]]) -> bool:
    """True when two of the ranges cannot both be right (they do not overlap)."""
    return any(not _ranges_overlap(ranges[i], ranges[j]) for i in range(len(ranges)) for j in range(i))


def _lo(c: dict) -> int | None:
    return c["low"] if c["low"] is not None else c["high"]


def _hi(c: dict) -> int | None:
    return c["high"] if c["high"] is not None else c["low"]


def series_rows(claims: Sequence[dict[str, Any]]) -> tuple[list[dict], list[dict]]:
    """``ledger_series`` and ``ledger_series_months`` rows for the claims of some series."""
    by: dict[str, list[dict]] = defaultdict(list)
    for c in claims:
        by[c["series_id"]].append(c)
    series, months = [], []
    for sid, cs in by.items():
        c0 = cs[0]
        pkey, plabel = series_place(c0)
        per_month: dict[str, list[dict]] = defaultdict(list)
        for c in cs:
            per_month[(c.get("claim_date") or "undated")[:7]].append(c)
        n_conf = 0
        for month, mc in sorted(per_month.items()):
            lows = [x for x in (_lo(c) for c in mc) if x is not None]
            highs = [x for x in (_hi(c) for c in mc) if x is not None]
            conf = conflicting([(c["low"], c["high"]) for c in mc])
            n_conf += conf
            months.append({"series_id": sid, "month": month, "min_low": min(lows) if lows else None,
                           "max_high": max(highs) if highs else None, "n_claims": len(mc), "conflicting": conf,
                           "claim_ids": sorted(c["claim_id"] for c in mc)})
        dates = sorted(c["claim_date"] for c in cs if c.get("claim_date"))
        lows = [x for x in (_lo(c) for c in cs) if x is not None]
        highs = [x for x in (_hi(c) for c in cs) if x is not None]
        kinds = Counter(c["source_kind"] for c in cs)
        series.append({
            "series_id": sid, "group_key": c0["group_key"], "status": c0["status"], "origin": c0.get("origin"),
            "place_key": pkey, "place_label": plabel, "n_claims": len(cs),
            "n_citations": sum(c["n_citations"] for c in cs), "n_named": kinds.get("named", 0),
            "n_anonymous": kinds.get("anonymous", 0), "n_reporter": kinds.get("reporter", 0),
            "first_date": dates[0] if dates else None, "last_date": dates[-1] if dates else None,
            "min_low": min(lows) if lows else None, "max_high": max(highs) if highs else None,
            "n_conflicting_months": n_conf,
        })
    return series, months


# --------------------------------------------------------------------------- update


def update(store: Store, *, full: bool = False, window_days: int = WINDOW_DAYS,
           step: int | None = None) -> UpdateSummary:
    """Bring the ledger tables up to date with the articles (see the module docstring), ``step``
    changed articles (default ``STEP``) per transaction, until nothing is left to do."""
    t0 = time.perf_counter()
    step = max(1, int(step or STEP))
    total = UpdateSummary()
    first = True
    while True:
        part, more = _update_step(store, full=full and first, window_days=window_days, limit=step)
        first = False
        total.add(part)
        if not more:
            break
    total.seconds = time.perf_counter() - t0
    return total


def _changed(conn, limit: int) -> tuple[list[Any], list[str], bool]:
    """Up to ``limit`` new or re-extracted articles (rows: id, extracted_at, published, outlet) and
    up to ``limit`` deleted ones (ids), and whether more are left."""
    a, la = S.articles, S.ledger_articles
    new = conn.execute(
        select(a.c.id, a.c.extracted_at, a.c.published, a.c.outlet)
        .select_from(a.outerjoin(la, la.c.article_id == a.c.id))
        .where(sa.or_(la.c.article_id.is_(None), la.c.extracted_at.is_distinct_from(a.c.extracted_at)))
        .order_by(a.c.id).limit(limit + 1)).all()
    gone = list(conn.execute(
        select(la.c.article_id).select_from(la.outerjoin(a, a.c.id == la.c.article_id))
        .where(a.c.id.is_(None)).order_by(la.c.article_id).limit(limit + 1)).scalars())
    more = len(new) > limit or len(gone) > limit
    return new[:limit], gone[:limit], more


def _lsh_delete(conn, old: dict[str, Any]) -> None:
    """Remove the ``ledger_lsh`` rows of the articles ``old`` (``{id: ledger_articles row}``)."""
    ll = S.ledger_lsh
    pairs = [(k, aid) for aid, r in old.items()
             for k in set(dupes.band_keys(dupes.Signature.decode(r.minhash, r.n_shingles)))]
    for chunk in _chunks(pairs, 300):
        conn.execute(ll.delete().where(sa.tuple_(ll.c.key, ll.c.article_id).in_(list(chunk))))


def _near_duplicates(conn, new_sigs: dict[str, dupes.Signature]) -> list[tuple[str, str, float]]:
    """Near-duplicate pairs ``(a, b, j)`` (``a < b``) of the articles ``new_sigs`` with the articles
    indexed before them and with each other; then index them in ``ledger_lsh``.

    Candidates share an LSH band key; ``dupes.is_near_duplicate`` decides.  A band key shared by
    many articles (a wire story reprinted hundreds of times) gives at most ``dupes.PER_KEY``
    candidates, the same ones (smallest ids) for every article that has the key, so the pairs
    stored grow with the number of articles, not with the square of a group's size, and still join
    each new copy to its group."""
    ll, la = S.ledger_lsh, S.ledger_articles
    per_key = dupes.PER_KEY
    mine: dict[int, list[str]] = defaultdict(list)
    for aid in sorted(new_sigs):
        for k in set(dupes.band_keys(new_sigs[aid])):
            mine[k].append(aid)
    cands: set[tuple[str, str]] = set()
    # the articles indexed before: at most per_key for each key (the index is (key, article_id))
    rn = sa.func.row_number().over(partition_by=ll.c.key, order_by=ll.c.article_id).label("rn")
    for chunk in _chunks(sorted(mine), 500):
        sub = select(ll.c.key, ll.c.article_id, rn).where(ll.c.key.in_(chunk)).subquery()
        for key, other in conn.execute(select(sub.c.key, sub.c.article_id).where(sub.c.rn <= per_key)):
            for aid in mine[key]:
                cands.add((aid, other) if aid < other else (other, aid))
    # the new articles among themselves: the first per_key of each key
    for ids in mine.values():
        for aid in ids:
            for other in ids[:per_key]:
                if other != aid:
                    cands.add((aid, other) if aid < other else (other, aid))
    need = sorted({x for pair in cands for x in pair if x not in new_sigs})
    sigs = dict(new_sigs)
    for chunk in _chunks(need):
        for r in conn.execute(select(la.c.article_id, la.c.minhash, la.c.n_shingles).where(la.c.article_id.in_(chunk))):
            sigs[r.article_id] = dupes.Signature.decode(r.minhash, r.n_shingles)
    out = []
    for x, y in sorted(cands):
        if x in sigs and y in sigs:
            ok, j = dupes.is_near_duplicate(sigs[x], sigs[y])
            if ok:
                out.append((x, y, j))
    rows = [{"key": k, "article_id": aid} for k, ids in mine.items() for aid in ids]
    for chunk in _chunks(rows, 5000):
        conn.execute(ll.insert(), list(chunk))
    return out


def _block_chunks(conn, blocks: Sequence[str], fresh: dict[str, list]) -> Iterable[list[str]]:
    """``blocks`` in chunks of at most ``_BLOCK_ROWS`` citations (stored and fresh) and 200
    blocks; a block larger than that is a chunk of its own.  The memory of clustering stays
    bounded by the largest block, however many blocks an update touches."""
    lc = S.ledger_citations
    sizes: dict[str, int] = {}
    for part in _chunks(list(blocks)):
        sizes.update(conn.execute(select(lc.c.block, sa.func.count()).where(lc.c.block.in_(part))
                                  .group_by(lc.c.block)).all())
    chunk: list[str] = []
    rows = 0
    for b in blocks:
        n = sizes.get(b, 0) + len(fresh.get(b, ()))
        if chunk and (rows + n > _BLOCK_ROWS or len(chunk) >= 200):
            yield chunk
            chunk, rows = [], 0
        chunk.append(b)
        rows += n
    if chunk:
        yield chunk


def _rank(conn, ids: Iterable[str]) -> dict[str, tuple]:
    a = S.articles
    rank: dict[str, tuple] = {}
    for chunk in _chunks(sorted(ids)):
        for r in conn.execute(select(a.c.id, a.c.published, a.c.ingested_at).where(a.c.id.in_(chunk))):
            rank[r.id] = dupes.rank_key(r.published, r.ingested_at, r.id)
    return rank


def _regroup(conn, seeds: set[str], new: set[str], now: datetime) -> tuple[dict[str, tuple[str, float | None]],
                                                                           list[str]]:
    """Canonical articles of every group that holds one of ``seeds``, walked again over
    ``ledger_duplicates`` (after deletions and re-extractions, which may split a group).  Writes
    the stored articles whose canonical changed; returns ``{article: (canonical, similarity)}``
    and those articles."""
    la = S.ledger_articles
    nodes, edges = _components(conn, seeds)
    rank = _rank(conn, nodes)
    canon_map = dupes.canonical_map(rank, edges, rank)
    stored: dict[str, str] = {}
    for chunk in _chunks(sorted(set(rank) - new)):
        for r in conn.execute(select(la.c.article_id, la.c.canonical_id).where(la.c.article_id.in_(chunk))):
            stored[r.article_id] = r.canonical_id
    moved = sorted(i for i, c in stored.items() if c != canon_map[i][0])
    for i in moved:
        conn.execute(la.update().where(la.c.article_id == i)
                     .values(canonical_id=canon_map[i][0], similarity=canon_map[i][1], updated_at=now))
    return canon_map, moved


def _merge_groups(conn, new: Sequence[str], pairs: Sequence[tuple[str, str, float]],
                  now: datetime) -> tuple[dict[str, tuple[str, float | None]], list[str]]:
    """Canonical articles when a step only adds articles: a group only grows or merges with
    another, so its canonical article is the earliest of the old groups' canonical articles and the
    new members: nothing proportional to a group's size is read, unless its canonical changes.
    The old members of a group whose canonical changed are updated in SQL (their similarity: to
    the new canonical article when they have a pair with it, else their highest) and returned."""
    la, ld = S.ledger_articles, S.ledger_duplicates
    new_set = set(new)
    label: dict[str, str] = {i: i for i in new}  # a new article: itself; an old one: its group's canonical
    olds = sorted({x for p in pairs for x in p[:2] if x not in new_set})
    for chunk in _chunks(olds):
        for r in conn.execute(select(la.c.article_id, la.c.canonical_id).where(la.c.article_id.in_(chunk))):
            label[r.article_id] = r.canonical_id
    uf = dupes.UnionFind()
    sims = dupes.PairSimilarity()
    for x, y, j in pairs:
        if x not in label or y not in label:
            continue
        sims.add(x, y, j)
        uf.union(label[x], label[y])
    groups: dict[str, set[str]] = defaultdict(set)  # root -> labels (old canonicals, new articles)
    for lab in set(label.values()):
        groups[uf.find(lab)].add(lab)
    rank = _rank(conn, {lab for labs in groups.values() for lab in labs})
    out: dict[str, tuple[str, float | None]] = {}
    moved: list[str] = []
    canon_of: dict[str, str] = {}
    for labs in groups.values():
        canon = min(labs, key=lambda x: rank.get(x) or dupes.rank_key(None, None, x))
        for lab in labs:
            canon_of[lab] = canon
        for old_canon in sorted(labs - new_set - {canon}):  # an old group joins another: its members move
            moved.extend(conn.execute(select(la.c.article_id).where(la.c.canonical_id == old_canon)).scalars())
            direct = sa.select(ld.c.similarity).where(sa.or_(
                sa.and_(ld.c.article_id == la.c.article_id, ld.c.other_id == canon),
                sa.and_(ld.c.article_id == canon, ld.c.other_id == la.c.article_id))).scalar_subquery()
            highest = sa.select(sa.func.max(ld.c.similarity)).where(sa.or_(
                ld.c.article_id == la.c.article_id, ld.c.other_id == la.c.article_id)).scalar_subquery()
            conn.execute(la.update().where(la.c.canonical_id == old_canon)
                         .values(canonical_id=canon, similarity=sa.func.coalesce(direct, highest), updated_at=now))
    for i in new:
        canon = canon_of[label[i]]
        out[i] = (i, None) if canon == i else (canon, sims.to(i, canon))
    return out, sorted(moved)


def _components(conn, seeds: set[str]) -> tuple[set[str], list[tuple[str, str, float]]]:
    """The articles connected to ``seeds`` through ``ledger_duplicates``, and the edges among them."""
    ld = S.ledger_duplicates
    nodes, frontier = set(seeds), set(seeds)
    edges: dict[tuple[str, str], float] = {}
    while frontier:
        nxt: set[str] = set()
        for chunk in _chunks(sorted(frontier)):
            for r in conn.execute(select(ld).where(sa.or_(ld.c.article_id.in_(chunk), ld.c.other_id.in_(chunk)))):
                edges[(r.article_id, r.other_id)] = r.similarity
                for x in (r.article_id, r.other_id):
                    if x not in nodes:
                        nodes.add(x)
                        nxt.add(x)
        frontier = nxt
    return nodes, [(x, y, j) for (x, y), j in edges.items()]


def _update_step(store: Store, *, full: bool, window_days: int, limit: int) -> tuple[UpdateSummary, bool]:
    """One transaction of ``update``: at most ``limit`` new, re-extracted or deleted articles, the
    reviews since the last update, and everything they change.  Returns whether more is left."""
    t0 = time.perf_counter()
    summary = UpdateSummary()
    now = _now()
    version = ledger_version(window_days)
    a, la, ld = S.articles, S.ledger_articles, S.ledger_duplicates
    with store.writing() as conn:
        if store.backend == "postgresql":
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7341003)"))  # one ledger update at a time
        state = {k: v for k, v in conn.execute(select(S.ledger_state.c.key, S.ledger_state.c.value))}
        if full or state.get("version") != version:
            for name in _LEDGER_TABLES:
                conn.execute(S.TABLES[name].delete())
            state = {}
            summary.full = True

        # 1. what changed
        new_rows, gone, more = _changed(conn, limit)
        new = [r.id for r in new_rows]
        last_review = int(state.get("review_id") or 0)
        max_review = conn.execute(select(sa.func.max(S.reviews.c.id))).scalar() or 0
        reviewed: set[str] = set()
        if max_review > last_review:
            reviewed = set(conn.execute(select(S.reviews.c.article_id).where(S.reviews.c.id > last_review)
                                        .distinct()).scalars())
        summary.new_articles, summary.deleted_articles = len(new), len(gone)
        if not (new or gone or reviewed or summary.full):
            summary.seconds = time.perf_counter() - t0
            return summary, False

        # 2. near-duplicates: forget what the touched articles were, index what the new ones are
        touched = new + gone
        old: dict[str, Any] = {}
        seeds: set[str] = set(new)
        for chunk in _chunks(touched):
            for old_row in conn.execute(select(la.c.article_id, la.c.minhash,
                                               la.c.n_shingles).where(la.c.article_id.in_(chunk))):
                old[old_row.article_id] = old_row
            for x, y in conn.execute(select(ld.c.article_id, ld.c.other_id)
                                     .where(sa.or_(ld.c.article_id.in_(chunk), ld.c.other_id.in_(chunk)))):
                seeds.update((x, y))  # former copies and originals need their canonical again
            conn.execute(ld.delete().where(sa.or_(ld.c.article_id.in_(chunk), ld.c.other_id.in_(chunk))))
        _lsh_delete(conn, old)
        for chunk in _chunks(touched):
            conn.execute(la.delete().where(la.c.article_id.in_(chunk)))
        seeds -= set(gone)
        new_sigs: dict[str, dupes.Signature] = {}
        for chunk in _chunks(new):
            for text_row in conn.execute(select(a.c.id, a.c.text).where(a.c.id.in_(chunk))):
                new_sigs[text_row.id] = dupes.signature(text_row.text)
        pairs = _near_duplicates(conn, new_sigs)
        if pairs:
            conn.execute(ld.insert(), [{"article_id": x, "other_id": y, "similarity": j} for x, y, j in pairs])
        summary.duplicate_pairs = len(pairs)
        for x, y, _ in pairs:
            seeds.update((x, y))

        # canonical articles of the groups the step touched
        if old or gone:
            # articles left or changed: groups may split, walk them again
            canon_map, moved = _regroup(conn, seeds, set(new), now)
        else:
            # only new articles: groups only grow or merge
            canon_map, moved = _merge_groups(conn, new, pairs, now)
        if new:
            info = {r.id: r for r in new_rows}
            for chunk in _chunks(new, 2000):
                conn.execute(la.insert(), [{
                    "article_id": i, "extracted_at": info[i].extracted_at, "published": _as_date(info[i].published),
                    "outlet": info[i].outlet, "n_shingles": new_sigs[i].n_shingles, "minhash": new_sigs[i].encode(),
                    "canonical_id": canon_map[i][0], "similarity": canon_map[i][1], "updated_at": now} for i in chunk])

        # the affected articles: new, reviewed, with another canonical, and the copies of those
        led = set(new)
        for chunk in _chunks(sorted(reviewed - led)):
            led.update(conn.execute(select(la.c.article_id).where(la.c.article_id.in_(chunk))).scalars())
        reviewed &= led  # a reviewed article not yet in the ledger is read as new by a later step
        summary.reviewed_articles = len(reviewed - set(new))
        affected = set(new) | reviewed | set(moved)
        for chunk in _chunks(sorted(affected)):
            affected.update(conn.execute(select(la.c.article_id).where(la.c.canonical_id.in_(chunk))).scalars())
        affected_l = sorted(affected)
        summary.affected_articles = len(affected_l)
        canon: dict[str, str] = {}
        for chunk in _chunks(affected_l):
            for canon_row in conn.execute(select(la.c.article_id, la.c.canonical_id).where(la.c.article_id.in_(chunk))):
                canon[canon_row.article_id] = canon_row.canonical_id

        # 3. claims of the blocks the affected articles leave or enter, a chunk of blocks at a time
        lc, lcl = S.ledger_citations, S.ledger_claims
        blocks: set[str] = set()
        for chunk in _chunks(affected_l + gone):
            blocks.update(conn.execute(select(lc.c.block).where(lc.c.article_id.in_(chunk)).distinct()).scalars())
            conn.execute(lc.delete().where(lc.c.article_id.in_(chunk)))
        fresh_by_block: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for chunk in _chunks(affected_l):
            fresh, corrected = _features(conn, chunk, canon)
            summary.corrections = summary.corrections or corrected
            for feat in fresh:
                fresh_by_block[feat["block"]].append(feat)
        if not affected_l:
            summary.corrections = _effective("count")[1]
        blocks.update(fresh_by_block)
        block_l = sorted(blocks)
        old_series: set[str] = set()
        old_flows: set[str] = set()
        new_series: set[str] = set()
        new_flows: set[str] = set()
        cit_cols = [c.name for c in lc.c if c.name not in ("claim_id", "position", "rule")]
        for chunk in _block_chunks(conn, block_l, fresh_by_block):
            rows: dict[tuple[str, str], dict[str, Any]] = {}
            for b in chunk:
                for feat in fresh_by_block.pop(b, ()):
                    rows[(feat["article_id"], feat["count_id"])] = feat
            for stored in conn.execute(select(*[lc.c[n] for n in cit_cols]).where(lc.c.block.in_(chunk))).mappings():
                rows[(stored["article_id"], stored["count_id"])] = dict(stored)
            for sid, fid in conn.execute(select(lcl.c.series_id, lcl.c.flow_id).where(lcl.c.block.in_(chunk))):
                old_series.add(sid)
                if fid:
                    old_flows.add(fid)
            conn.execute(lc.delete().where(lc.c.block.in_(chunk)))
            conn.execute(lcl.delete().where(lcl.c.block.in_(chunk)))
            claims, cits = [], []
            for members in cluster([item_of(r) for r in rows.values()], window_days):
                claim, cs = _claim_rows(members, rows, window_days, now)
                claims.append(claim)
                cits.extend(cs)
                new_series.add(claim["series_id"])
                if claim["flow_id"]:
                    new_flows.add(claim["flow_id"])
            for part in _chunks(claims, 2000):
                conn.execute(lcl.insert(), list(part))
            for part in _chunks(cits, 2000):
                conn.execute(lc.insert(), [{k: r[k] for k in lc.c.keys()} for r in part])
            summary.claims += len(claims)
            summary.citations += len(cits)
        summary.blocks = len(block_l)

        # 4. series and flows touched, a chunk at a time
        claim_cols = [lcl.c[n] for n in ("claim_id", "series_id", "flow_id", "source_kind", "low", "high", "group_key",
                                         "status", "origin", "place_key", "place_label", "place_country",
                                         "claim_date", "n_citations", *MOVEMENT_COLUMNS)]
        for chunk in _chunks(sorted(old_series | new_series)):
            conn.execute(S.ledger_series.delete().where(S.ledger_series.c.series_id.in_(chunk)))
            conn.execute(S.ledger_series_months.delete().where(S.ledger_series_months.c.series_id.in_(chunk)))
            srows, mrows = series_rows([dict(r) for r in conn.execute(
                select(*claim_cols).where(lcl.c.series_id.in_(chunk))).mappings()])
            if srows:
                conn.execute(S.ledger_series.insert(), srows)
            if mrows:
                conn.execute(S.ledger_series_months.insert(), mrows)
            summary.series += len(srows)
        for chunk in _chunks(sorted(old_flows | new_flows)):
            conn.execute(S.ledger_flows.delete().where(S.ledger_flows.c.flow_id.in_(chunk)))
            frows = flow_rows([dict(r) for r in conn.execute(select(*claim_cols).where(lcl.c.flow_id.in_(chunk)))
                               .mappings()])
            if frows:
                conn.execute(S.ledger_flows.insert(), frows)
            summary.flows += len(frows)

        st = S.ledger_state
        conn.execute(st.delete())
        conn.execute(st.insert(), [
            {"key": "version", "value": version}, {"key": "review_id", "value": str(max_review)},
            {"key": "window_days", "value": str(window_days)}, {"key": "updated_at", "value": now.isoformat()},
            {"key": "corrections", "value": "effective" if summary.corrections else "extracted"},
        ])
    summary.seconds = time.perf_counter() - t0
    return summary, more


def update_after_ingest(store: Store) -> UpdateSummary | None:
    """``update`` after an ingest stored articles.  A failure is logged, never raised: the ledger is
    derived data, and the ledger commands bring it up to date themselves before they read it."""
    import logging

    try:
        return update(store)
    except Exception as err:  # noqa: BLE001 - an ingest that stored its articles has succeeded
        logging.getLogger("sourcebook.ledger").warning("the ledger was not updated (%s: %s); it will be on the next "
                                                       "ledger command", type(err).__name__, err)
        return None
