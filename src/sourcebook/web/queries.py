"""What each page shows, read from the store with corrections applied (``sourcebook.review``).

Pages get plain dicts; nothing here knows about HTML.  Aggregates over the whole corpus (the sources
page, the outlet and origin lists) are cached per *data version*: the number of articles, the last
extraction time and the last review id, read with one cheap query on every request.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import Counter, OrderedDict, defaultdict
from datetime import date
from typing import Any, Callable

import sqlalchemy as sa
from sqlalchemy import func, select

from ..record import REPORTER
from ..review import effective_items
from ..store import Store, StoreError, contains
from ..store import schema as S
from ..store.effective import Effective
from .highlight import N_COLORS, evidence, segments

PER_PAGE = 25
SEARCH_LIMIT = 500  # the best matches a search pages through
FIG_PER_PAGE = 50
WINDOW = 320  # characters of article text fetched on each side of a figure, for its sentence


_like = contains


def _date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


#: A filter matching at most this share of a table's rows is read through its index (then sorted).
SELECTIVE = 0.02
_SELECTIVITY: dict[tuple, float] = {}


def selective(store: Store, conds: list) -> bool:
    """Whether one of ``conds`` (``column == value`` on an indexed extracted column) matches few
    rows: then the planner should start from that index.  Counted once per process and value."""
    for cond in conds:
        col = cond.left
        key = (store.display, col.table.name, col.name, str(cond.right.value))
        if key not in _SELECTIVITY:
            with store.reading() as conn:
                n = conn.execute(select(func.count()).select_from(col.table).where(cond)).scalar_one()
                total = conn.execute(select(func.count()).select_from(col.table)).scalar_one()
            _SELECTIVITY[key] = n / total if total else 0.0
        if _SELECTIVITY[key] <= SELECTIVE:
            return True
    return False


def articles_first(article_id):
    """The articles' id in a join condition, written so that the planner cannot look articles up
    by it: it reads them newest first through ``(published, id)`` and their items by index, and a
    page's LIMIT stops it early (without this, a small items table tempts it to read every item,
    then sort them all)."""
    return func.coalesce(article_id, article_id)


def newest_first(published, article_id) -> list:
    """Newest articles first, then by id: the order the ``(published, id)`` index gives, scanned
    backwards (NULL dates last on both backends)."""
    return [published.desc().nulls_last(), article_id.desc()]


def pages(total: int, per_page: int, page: int) -> dict[str, int]:
    n = max(1, math.ceil(total / per_page))
    page = min(max(1, page), n)
    return {"page": page, "pages": n, "total": total, "per_page": per_page, "offset": (page - 1) * per_page}


def title_of(row: dict[str, Any]) -> str:
    """The article's title, else its first line (articles read from .txt files often have none)."""
    t = (row.get("title") or "").strip()
    if t:
        return t
    head = (row.get("head") or row.get("text") or "").strip()
    first = head.split("\n", 1)[0].strip()
    return (first[:140] + "…") if len(first) > 140 else (first or row.get("id") or row.get("article_id") or "")


class Cache:
    """Query results per *data version*, recomputed when the data change.

    The version is read with one cheap query (articles, extraction runs, review log, the ledger's last
    update), at most once a second (``ttl``); a review made through this app calls ``invalidate`` so it shows at once.
    Results are kept in an LRU of ``size`` entries (corpus-wide aggregates, pages of lists).  Set
    ``$SOURCEBOOK_WEB_CACHE=0`` to turn the result cache off (the benchmark's uncached numbers).
    """

    def __init__(self, size: int = 512, ttl: float = 1.0, enabled: bool | None = None) -> None:
        self._lock = threading.Lock()
        self._data: OrderedDict[Any, tuple[Any, Any]] = OrderedDict()
        self.size, self.ttl = size, ttl
        self.enabled = (os.environ.get("SOURCEBOOK_WEB_CACHE", "1") != "0") if enabled is None else enabled
        self._version: tuple[float, Any] | None = None

    def invalidate(self) -> None:
        self._version = None

    @staticmethod
    def read_version(store: Store) -> tuple:
        a, r, runs = S.articles, S.reviews, S.extraction_runs
        with store.reading() as conn:
            row = conn.execute(select(
                select(func.count()).select_from(a).scalar_subquery(),
                select(func.max(runs.c.id)).scalar_subquery(),
                select(func.max(runs.c.finished_at)).scalar_subquery(),
                select(func.max(r.c.id)).scalar_subquery(),
                # a ledger update made outside this app (ingest, `sourcebook ledger update`)
                select(S.ledger_state.c.value).where(S.ledger_state.c.key == "updated_at").scalar_subquery(),
            )).one()
        return tuple(row)

    def version(self, store: Store) -> Any:
        now = time.monotonic()
        v = self._version
        if v is not None and now - v[0] < self.ttl:
            return v[1]
        value = self.read_version(store)
        self._version = (now, value)
        return value

    def get(self, store: Store, key: Any, compute: Callable[[], Any]) -> Any:
        if not self.enabled:
            return compute()
        v = self.version(store)
        with self._lock:
            hit = self._data.get(key)
            if hit is not None and hit[0] == v:
                self._data.move_to_end(key)
                return hit[1]
        value = compute()
        with self._lock:
            self._data[key] = (v, value)
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)
        return value


# --------------------------------------------------------------------------- corpus


def summary(store: Store) -> dict[str, Any]:
    """Totals with corrections applied: articles, sources (anonymous share), quotes, figures."""
    out: dict[str, Any] = {}
    with store.reading() as conn:
        out["articles"] = int(conn.execute(select(func.count()).select_from(S.articles)).scalar_one())
        e = Effective.of("source")
        by: dict[Any, int] = dict(conn.execute(select(e.c["anonymous"], func.count()).select_from(e.outerjoin())
                                               .where(e.visible).group_by(e.c["anonymous"])).all())
        out["anonymous"] = int(sum(n for k, n in by.items() if k))
        out["sources"] = int(sum(by.values()))
        for kind, key in (("quote", "quotes"), ("count", "figures")):
            e = Effective.of(kind)
            out[key] = int(conn.execute(select(func.count()).select_from(e.outerjoin()).where(e.visible)).scalar_one())
    out["anonymous_share"] = 100.0 * out["anonymous"] / out["sources"] if out["sources"] else 0.0
    return out


def outlets(store: Store) -> list[tuple[str, int]]:
    a = S.articles
    with store.reading() as conn:
        rows = conn.execute(select(a.c.outlet, func.count()).where(a.c.outlet.is_not(None))
                            .group_by(a.c.outlet).order_by(func.count().desc(), a.c.outlet)).all()
    return [(o, int(n)) for o, n in rows]


def _item_counts(conn, ids: list[str]) -> dict[str, dict[str, int]]:
    out = {i: {"sources": 0, "anonymous": 0, "quotes": 0, "figures": 0} for i in ids}
    if not ids:
        return out
    e = Effective.of("source")
    for aid, anon, n in conn.execute(select(e.t.c.article_id, e.c["anonymous"], func.count())
                                     .select_from(e.outerjoin()).where(e.visible, e.t.c.article_id.in_(ids))
                                     .group_by(e.t.c.article_id, e.c["anonymous"])):
        out[aid]["sources"] += int(n)
        if anon:
            out[aid]["anonymous"] += int(n)
    for kind, key in (("quote", "quotes"), ("count", "figures")):
        e = Effective.of(kind)
        for aid, n in conn.execute(select(e.t.c.article_id, func.count()).select_from(e.outerjoin())
                                   .where(e.visible, e.t.c.article_id.in_(ids)).group_by(e.t.c.article_id)):
            out[aid][key] = int(n)
    return out


def corpus(store: Store, *, q: str = "", outlet: str = "", since: str = "", until: str = "",
           page: int = 1, per_page: int = PER_PAGE) -> dict[str, Any]:
    """One page of articles (newest first, or best match first with ``q``), with effective counts."""
    a = S.articles
    d_since, d_until = _date(since), _date(until)
    quote_hits: list[dict[str, Any]] = []
    error = None
    if q.strip():
        # the store ranks the matches: this page's worth (and one more, to know there is a next
        # page), or the best SEARCH_LIMIT when filters thin them out; snippets (they read whole
        # articles) are made for the page shown only
        filtered = bool(outlet or d_since or d_until)
        want = SEARCH_LIMIT if filtered else min(SEARCH_LIMIT, page * per_page + 1)
        try:
            hits = store.search(q, limit=want, quotes=False, snippets=False)["articles"]
            quote_hits = store.search(q, limit=10, articles=False)["quotes"]
        except StoreError as err:
            hits, error = [], str(err)
        more = len(hits) >= want and want < SEARCH_LIMIT
        if outlet:
            hits = [h for h in hits if h.get("outlet") == outlet]
        if d_since:
            hits = [h for h in hits if (_date(str(h.get("published") or "")) or date.min) >= d_since]
        if d_until:
            hits = [h for h in hits if (_date(str(h.get("published") or "")) or date.max) <= d_until]
        p: dict[str, Any] = dict(pages(len(hits), per_page, page))
        if more:  # at least one page more than we fetched
            p = dict(p, pages=p["pages"] + 1, total=None)
        chosen = hits[p["offset"]:p["offset"] + per_page]
        ids = [h["article_id"] for h in chosen]
        try:
            snippets = store.article_snippets(q, ids)
        except StoreError as err:
            snippets, error = {}, str(err)
    else:
        cond = []
        if outlet:
            cond.append(a.c.outlet == outlet)
        if d_since:
            cond.append(a.c.published >= d_since)
        if d_until:
            cond.append(a.c.published <= d_until)
        with store.reading() as conn:
            total = conn.execute(select(func.count()).select_from(a).where(*cond)).scalar_one()
            p = pages(int(total), per_page, page)
            ids = list(conn.execute(select(a.c.id).where(*cond)
                                    .order_by(*newest_first(a.c.published, a.c.id))
                                    .limit(per_page).offset(p["offset"])).scalars())
        snippets = {}
    with store.reading() as conn:
        rows = {r["id"]: dict(r) for r in conn.execute(
            select(a.c.id, a.c.title, a.c.outlet, a.c.published, a.c.url, a.c.n_chars,
                   func.substr(a.c.text, 1, 200).label("head")).where(a.c.id.in_(ids))).mappings()} if ids else {}
        counts = _item_counts(conn, ids)
    articles = []
    for i in ids:
        r = rows.get(i)
        if r is None:
            continue
        r["display_title"] = title_of(r)
        r["snippet"] = snippets.get(i)
        r.update(counts.get(i, {}))
        articles.append(r)
    return {"articles": articles, "paging": p, "quote_hits": quote_hits, "error": error}


def snippet_parts(snippet: str | None) -> list[tuple[str, bool]]:
    """A search snippet (matches marked ``**like this**``) as ``(text, is_match)`` parts."""
    if not snippet:
        return []
    parts = snippet.split("**")
    return [(p, i % 2 == 1) for i, p in enumerate(parts) if p]


# --------------------------------------------------------------------------- one article


def article(store: Store, article_id: str, target: tuple[int, int] | None = None) -> dict[str, Any] | None:
    """One article with its effective sources, quotes and figures, cut into highlighted segments;
    ``target``: a span to mark (``?span=START-END``)."""
    a = S.articles
    with store.reading() as conn:
        row = conn.execute(select(a).where(a.c.id == article_id)).mappings().first()
        if row is None:
            return None
        mentions = [dict(m) for m in conn.execute(
            select(S.source_mentions).where(S.source_mentions.c.article_id == article_id)
            .order_by(S.source_mentions.c.start_char)).mappings()]
    art = dict(row)
    art["display_title"] = title_of(art)
    items = effective_items(store, article_id, include_hidden=True)
    sources = items["sources"]
    colors = {s["source_id"]: i % N_COLORS for i, s in enumerate(sources)}
    visible_sources = [s for s in sources if not s["hidden"]]
    visible_ids = {s["source_id"] for s in visible_sources}
    quotes = [q for q in items["quotes"] if not q["hidden"]]
    counts = [c for c in items["counts"] if not c["hidden"]]
    by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for qt in sorted(quotes, key=lambda x: x["start_char"]):
        by_source[qt["source_id"]].append(qt)
    figs_by_source: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for c in counts:
        figs_by_source[c["source_id"]].append(c)
    segs = segments(art["text"], quotes=quotes, counts=counts,
                    reasons=[s for s in visible_sources if s.get("anonymity_reason")],
                    mentions=[m for m in mentions if m["source_id"] in visible_ids], colors=colors, target=target)
    names = {s["source_id"]: (s["name"] or s["mention"]) for s in sources}
    names[REPORTER] = "the article (reporter)"
    hidden = {
        "sources": [s for s in sources if s["hidden"]],
        "quotes": [q for q in items["quotes"] if q["hidden"]],
        "counts": [c for c in items["counts"] if c["hidden"]],
    }
    more = effective_items(store, article_id, include_hidden=False, kinds=("event", "place", "date"))
    return {"article": art, "sources": visible_sources, "all_sources": sources, "colors": colors,
            "events": more["events"], "places": more["places"], "dates": more["dates"],
            "quotes_by_source": by_source, "figures_by_source": figs_by_source, "quotes": quotes,
            "counts": sorted(counts, key=lambda c: c["start_char"]), "segments": segs, "names": names,
            "hidden": hidden, "n_hidden": sum(len(v) for v in hidden.values())}


# --------------------------------------------------------------------------- sources across the corpus


def sources_overview(store: Store) -> dict[str, Any]:
    """Everyone quoted: named people by name, unnamed ones by their description's head noun."""
    e = Effective.of("source")
    a = S.articles
    with store.reading() as conn:
        meta = {i: (o, p) for i, o, p in conn.execute(select(a.c.id, a.c.outlet, a.c.published))}
        rows = conn.execute(select(e.t.c.article_id, e.t.c.source_id, e.c["name"].label("name"), e.t.c.mention,
                                   e.t.c.head, e.c["anonymous"].label("anonymous"), e.c["kind"].label("kind"),
                                   e.c["role"].label("role"), e.c["affiliation"].label("affiliation"),
                                   e.t.c.anonymity_reason)
                            .select_from(e.outerjoin()).where(e.visible)).all()
        n_quotes: Counter = Counter()
        eq = Effective.of("quote")
        for aid, sid, n in conn.execute(select(eq.t.c.article_id, eq.c["source_id"], func.count())
                                        .select_from(eq.outerjoin()).where(eq.visible)
                                        .group_by(eq.t.c.article_id, eq.c["source_id"])):
            n_quotes[(aid, sid)] = int(n)
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    per_outlet: dict[str, Counter] = defaultdict(Counter)
    n_named = n_anon = n_anon_reason = 0
    anon_quotes = anon_quotes_reason = 0
    for r in rows:
        outlet_, published = meta.get(r.article_id, (None, None))
        anon = bool(r.anonymous)
        if anon:
            n_anon += 1
            said = n_quotes.get((r.article_id, r.source_id), 0)
            anon_quotes += said
            if (r.anonymity_reason or "").strip():
                n_anon_reason += 1
                anon_quotes_reason += said
            label = describe(r.mention or r.head or "")
            key = ("a", label.lower())
        else:
            n_named += 1
            label = (r.name or r.mention or "").strip()
            key = ("n", label.lower())
        outlet = outlet_ or "(no outlet)"
        per_outlet[outlet]["anonymous" if anon else "named"] += 1
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"key": f"{key[0]}:{key[1]}", "label": label, "anonymous": anon,
                               "labels": Counter(), "kinds": Counter(), "outlets": Counter(), "articles": set(),
                               "appearances": 0, "quotes": 0, "examples": [], "roles": Counter(),
                               "last": None}
        g["labels"][label] += 1
        g["kinds"][r.kind] += 1
        g["outlets"][outlet] += 1
        g["articles"].add(r.article_id)
        g["appearances"] += 1
        g["quotes"] += n_quotes.get((r.article_id, r.source_id), 0)
        if r.role and not anon:
            g["roles"][r.role] += 1
        if len(g["examples"]) < 12:
            g["examples"].append({"article_id": r.article_id, "source_id": r.source_id,
                                  "mention": r.mention, "published": published, "outlet": outlet_})
        if published and (g["last"] is None or published > g["last"]):
            g["last"] = published
    out = []
    for g in groups.values():
        g["label"] = g["labels"].most_common(1)[0][0] or "(no description)"
        g["kind"] = g["kinds"].most_common(1)[0][0]
        g["n_articles"] = len(g.pop("articles"))
        g["outlet_list"] = [o for o, _ in g["outlets"].most_common()]
        g["role"] = g["roles"].most_common(1)[0][0] if g["roles"] else None
        del g["labels"], g["kinds"], g["roles"]
        out.append(g)
    total = n_named + n_anon
    outlets_rows: list[dict[str, Any]] = sorted(({"outlet": o, "named": c["named"], "anonymous": c["anonymous"],
                            "total": c["named"] + c["anonymous"],
                            "anonymous_share": 100.0 * c["anonymous"] / max(1, c["named"] + c["anonymous"])}
                           for o, c in per_outlet.items()), key=lambda x: (-int(x["total"]), str(x["outlet"])))
    return {"groups": out, "named": n_named, "anonymous": n_anon, "total": total,
            "anonymous_share": 100.0 * n_anon / total if total else 0.0, "outlets": outlets_rows,
            # how many anonymous sources (and the quotes they give) carry a stated reason for anonymity
            "anonymous_with_reason": n_anon_reason, "anonymous_quotes": anon_quotes,
            "anonymous_quotes_with_reason": anon_quotes_reason}


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def describe(mention: str) -> str:
    """An anonymous source's description as sources are grouped by it: the words as written,
    without leading articles and number words (``lexicon/description_leads.txt``) and without the
    clause after a comma or a word of ``description_cuts.txt`` ("a senior official who asked not to
    be named" -> "senior official"); a plural -s of a common noun folded into the singular."""
    import re

    from .. import lexicon

    words = " ".join((mention or "").replace("\n", " ").split()).strip(" ,.;:\"'“”‘’")
    words = words.split(",", 1)[0]
    cuts = sorted(lexicon.phrases("description_cuts"), key=len, reverse=True)
    if cuts:
        m = re.search(r"\s(?:" + "|".join(map(re.escape, cuts)) + r")\b", words, flags=re.I)
        words = words[: m.start()] if m else words
    leads = lexicon.words("description_leads")
    tokens = words.split()
    while len(tokens) > 1 and tokens[0].lower() in leads:
        tokens = tokens[1:]
    if len(tokens) > 1 and tokens[0].lower() + " " + tokens[1].lower() in leads:
        tokens = tokens[2:] or tokens
    last = tokens[-1] if tokens else ""
    if (len(tokens) <= 3 and len(last) > 3 and (last.islower() or len(tokens) == 1) and last.endswith("s")
            and not last.endswith("ss")
            and last[:-1] not in leads):  # a short noun phrase: "senior officials", not "close to the talks"
        tokens[-1] = _singular(last)
    out = " ".join(tokens)[:80].strip()
    return out or (mention or "").strip() or "(no description)"


SOURCE_SORTS = {
    "quotes": lambda g: (-g["quotes"], -g["n_articles"], g["label"].lower()),
    "articles": lambda g: (-g["n_articles"], -g["quotes"], g["label"].lower()),
    "outlets": lambda g: (-len(g["outlet_list"]), -g["quotes"], g["label"].lower()),
    "name": lambda g: (g["label"].lower(),),
}


def sources_page(overview: dict[str, Any], *, name: str = "", who: str = "", outlet: str = "",
                 sort: str = "quotes", page: int = 1, per_page: int = 50) -> dict[str, Any]:
    groups = overview["groups"]
    if who == "named":
        groups = [g for g in groups if not g["anonymous"]]
    elif who == "anonymous":
        groups = [g for g in groups if g["anonymous"]]
    if name:
        n = name.lower()
        groups = [g for g in groups if n in g["label"].lower()
                  or any(n in (e["mention"] or "").lower() for e in g["examples"])]
    if outlet:
        groups = [g for g in groups if outlet in g["outlets"]]
    groups = sorted(groups, key=SOURCE_SORTS.get(sort, SOURCE_SORTS["quotes"]))
    p = pages(len(groups), per_page, page)
    return {"groups": groups[p["offset"]:p["offset"] + per_page], "paging": p}


# --------------------------------------------------------------------------- figures


FIG_SORTS = ("date", "low", "high", "status", "origin", "outlet", "source", "article")


def origins(store: Store) -> list[str]:
    e = Effective.of("count")
    col = e.c["origin"]
    with store.reading() as conn:
        return [o for o in conn.execute(select(col).select_from(e.outerjoin()).where(e.visible, col.is_not(None))
                                        .distinct().order_by(col)).scalars()]


def figures(store: Store, *, status: str = "", origin: str = "", place: str = "", since: str = "",
            until: str = "", source: str = "", outlet: str = "", decision: str = "", article_id: str = "",
            sort: str = "date", desc: bool = True, page: int = 1, per_page: int = FIG_PER_PAGE) -> dict[str, Any]:
    """One page of figures with their effective values, the extracted ones, and the sentence."""
    ec, src = Effective.of("count"), Effective.of("source", alias="src")
    c, a = ec.c, S.articles
    start, end_ = ec.t.c.start_char, ec.t.c.end_char
    wstart = sa.case((start > WINDOW, start - WINDOW + 1), else_=1)
    source_label = func.coalesce(src.c["name"], src.t.c.mention)
    cols = [*ec.columns(), *ec.review_columns(), a.c.title, a.c.published, a.c.outlet, a.c.n_chars,
            func.substr(a.c.text, 1, 160).label("head"),
            (wstart - 1).label("window_start"),
            func.substr(a.c.text, wstart, end_ - wstart + 1 + WINDOW).label("window"),
            src.c["name"].label("source_name"), src.t.c.mention.label("source_mention"),
            src.c["anonymous"].label("source_anonymous"),
            ec.t.c.low.label("x_low"), ec.t.c.high.label("x_high"), ec.t.c.status.label("x_status"),
            ec.t.c.origin.label("x_origin"), ec.t.c.source_id.label("x_source_id"),
            ec.t.c.counted.label("x_counted")]
    with_src = src.outerjoin(ec.outerjoin(ec.t.join(a, a.c.id == ec.t.c.article_id)).outerjoin(
        src.t, sa.and_(src.t.c.article_id == ec.t.c.article_id, src.t.c.source_id == c["source_id"])))
    cond = [ec.visible]
    if status:
        cond.append(ec.eq("status", status.strip().lower()))
    if origin:
        cond.append(ec.eq("origin", origin.strip().upper()))
    if place:
        cond.append(_like(sa.cast(ec.t.c.place, sa.Text), place.strip()))
    pub_text = sa.cast(a.c.published, sa.String)
    if d_since := _date(since):
        cond.append(func.coalesce(ec.t.c.time_to, ec.t.c.time_from, pub_text) >= d_since.isoformat())
    if d_until := _date(until):
        cond.append(func.coalesce(ec.t.c.time_from, ec.t.c.time_to, pub_text) <= d_until.isoformat())
    if source:
        if source.strip().upper() == REPORTER:
            cond.append(c["source_id"] == REPORTER)
        else:
            cond.append(sa.or_(_like(src.c["name"], source.strip()), _like(src.t.c.mention, source.strip())))
    if outlet:
        cond.append(a.c.outlet == outlet)
    if decision == "unreviewed":
        cond.append(ec.decision.is_(None))
    elif decision in ("accepted", "corrected"):
        cond.append(ec.decision == decision)
    if article_id:
        cond.append(ec.t.c.article_id == article_id)
    keys = {"date": a.c.published, "low": c["low"], "high": c["high"], "status": c["status"],
            "origin": c["origin"], "outlet": a.c.outlet, "source": source_label, "article": ec.t.c.article_id}
    key = keys.get(sort, a.c.published)
    if sort == "date" and desc:
        order = [*newest_first(a.c.published, a.c.id), start]
    else:
        order = [key.desc().nulls_last() if desc else key.asc().nulls_last(), ec.t.c.article_id, start]
    # the source's tables only when a filter or the order needs them; newest first with no selective
    # filter: read the articles newest first and stop at the page (``articles_first``)
    narrow = [ec.t.c.status == status.strip().lower()] if status else []
    narrow += [ec.t.c.origin == origin.strip().upper()] if origin else []
    join_on = (articles_first(a.c.id) if sort == "date" and not selective(store, narrow)
               else a.c.id) == ec.t.c.article_id
    needs_article = sort in ("date", "outlet") or outlet or _date(since) or _date(until)
    frm = ec.outerjoin(ec.t.join(a, join_on)) if needs_article else ec.outerjoin()
    if source or sort == "source":
        frm = src.outerjoin(frm.outerjoin(src.t, sa.and_(src.t.c.article_id == ec.t.c.article_id,
                                                         src.t.c.source_id == c["source_id"])))
    page = max(1, page)
    ids = ec.t.c.article_id, ec.t.c.count_id
    with store.reading() as conn:
        # 1. the page's keys (narrow rows: the sort never carries the sentences), one more to know
        #    whether a next page exists; 2. their columns
        keys_ = [tuple(r) for r in conn.execute(select(*ids).select_from(frm).where(*cond).order_by(*order)
                                                .limit(per_page + 1).offset((page - 1) * per_page))]
        more, keys_ = len(keys_) > per_page, keys_[:per_page]
        found = {(r["article_id"], r["count_id"]): dict(r) for r in conn.execute(
            select(*cols).select_from(with_src).where(ec.t.c.article_id.in_({k[0] for k in keys_}))).mappings()}
    rows = [found[k] for k in keys_ if k in found]
    for r in rows:
        r["display_title"] = title_of(r)
        r["evidence"] = evidence(r.pop("window") or "", int(r.pop("window_start") or 0), r["start_char"],
                                 r["end_char"], r.get("n_chars"))
        r["changed"] = [f for f in ("low", "high", "status", "origin", "source_id", "counted")
                        if r.get(f) != r.get("x_" + f)]
    return {"figures": rows, "paging": paging_without_total(page, per_page, more)}


def paging_without_total(page: int, per_page: int, more: bool) -> dict[str, Any]:
    """Paging that knows only whether a next page exists (no count of every matching row)."""
    return {"page": page, "pages": page + (1 if more else 0), "total": None, "per_page": per_page,
            "offset": (page - 1) * per_page}


def reviews_page(store: Store, *, reviewer: str = "", kind: str = "", article_id: str = "", page: int = 1,
                 per_page: int = 50) -> dict[str, Any]:
    r = S.reviews
    cond = []
    if reviewer:
        cond.append(r.c.reviewer == reviewer)
    if kind:
        cond.append(r.c.kind == kind)
    if article_id:
        cond.append(r.c.article_id == article_id)
    with store.reading() as conn:
        total = int(conn.execute(select(func.count()).select_from(r).where(*cond)).scalar_one())
        p = pages(total, per_page, page)
        rows = [dict(x) for x in conn.execute(select(r).where(*cond).order_by(r.c.id.desc())
                                              .limit(per_page).offset(p["offset"])).mappings()]
        labels = item_labels(conn, {(x["kind"], x["article_id"], x["item_id"]) for x in rows})
        titles = article_titles(conn, {x["article_id"] for x in rows})
    for x in rows:
        before, after = x.get("before") or {}, x.get("after") or {}
        x["diff"] = [(k, before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)]
        x["label"] = (labels.get((x["kind"], x["article_id"], x["item_id"])) or (after or before).get("text")
                      or x["item_id"])
        x["article_title"] = titles.get(x["article_id"]) or x["article_id"]
    return {"reviews": rows, "paging": p}


#: How each kind of item is named: (table, id column, label expression builder).
_LABELS = {
    "source": (S.sources, "source_id", lambda t: func.coalesce(t.c.name, t.c.mention)),
    "quote": (S.quotes, "quote_id", lambda t: t.c.text),
    "count": (S.counts, "count_id", lambda t: t.c.text),
    "event": (S.events, "event_id", lambda t: t.c.type + ": " + t.c.text),
    "place": (S.places, "place_id", lambda t: func.coalesce(t.c.name, t.c.text)),
    "date": (S.dates, "date_id", lambda t: t.c.text),
}


def item_labels(conn, keys: set[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
    """``{(kind, article_id, item_id): what the item says}``: a source's name (else its description),
    a quote's or a figure's words, an event's type and trigger, a place's name, a date's words."""
    out: dict[tuple[str, str, str], str] = {}
    by_kind: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for kind, aid, iid in keys:
        by_kind[kind].add((aid, iid))
    for kind, pairs in by_kind.items():
        if kind not in _LABELS:
            continue
        t, id_col, label = _LABELS[kind]
        cond = sa.or_(*[sa.and_(t.c.article_id == a, t.c[id_col] == i) for a, i in pairs])
        for aid, iid, text in conn.execute(select(t.c.article_id, t.c[id_col], label(t)).where(cond)):
            text = " ".join((text or "").split())
            out[(kind, aid, iid)] = text if len(text) <= 90 else text[:89] + "…"
    return out


def article_titles(conn, ids: set[str]) -> dict[str, str]:
    """``{article_id: article_label}`` (title, else outlet and date, else the first line)."""
    from ..labels import row_label

    a = S.articles
    if not ids:
        return {}
    rows = conn.execute(select(a.c.id, a.c.title, a.c.outlet, a.c.published,
                               func.substr(a.c.text, 1, 160).label("head")).where(a.c.id.in_(list(ids)))).mappings()
    return {r["id"]: row_label(dict(r)) for r in rows}
