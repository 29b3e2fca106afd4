"""Quality on your corpus: what extraction proposed against what reviewers kept (docs/review-loop.md).

Over the articles marked "reviewed: all items checked" (``review.mark_reviewed``), per item kind:

- proposed: the items extraction stored; kept: those not rejected (accepted, corrected, or left as
  they were: the reviewer checked every item); corrected: kept with at least one value changed;
  added: items the reviewer added because extraction missed them;
- precision = kept / proposed, recall = kept / (kept + added): the reviewers' decisions as gold;
- the same per component version (the item's ``extractor`` and ``extractor_version``; for quotes also
  the attribution weights that ran, ``articles.extractors.attribution_weights``); an added item counts
  against the versions that ran on its article;
- the most frequent corrections: which field of which kind was changed (``quote source``,
  ``count status``), rejections and additions.

Computed on request from ``review_state``, ``review_added`` and ``article_review``: the page updates
as reviews come in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import select

from . import review as R
from .store import Store
from .store import schema as S

KINDS = ("source", "quote", "count", "event", "place", "date")
#: Kinds a reviewer may add (the others have no recall: extraction's misses are not recorded).
ADDABLE = R.ADD_KINDS


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 4) if b else None


def _row(proposed: int, kept: int, corrected: int, added: int, kind: str) -> dict[str, Any]:
    return {"proposed": proposed, "kept": kept, "rejected": proposed - kept, "corrected": corrected, "added": added,
            "precision": _ratio(kept, proposed),
            "recall": _ratio(kept, kept + added) if kind in ADDABLE else None}


def quality(store: Store, top: int = 12) -> dict[str, Any]:
    """The numbers of the quality page (module doc) as a JSON-serializable dict."""
    reviewed = R.reviewed_articles(store)
    out: dict[str, Any] = {"articles": len(reviewed), "kinds": [], "versions": [], "corrections": []}
    if not reviewed:
        return out
    ids = set(reviewed)
    a = S.articles
    with store._read() as conn:
        weights = {r.id: (r.extractors or {}).get("attribution_weights") for r in
                   conn.execute(select(a.c.id, a.c.extractors).where(a.c.id.in_(reviewed)))}
    corrections: Counter = Counter()
    for kind in KINDS:
        e = R.Effective.of(kind)
        t = e.t
        cols = [t.c.article_id, t.c[R.ID_COLUMNS[kind]], t.c.extractor, t.c.extractor_version,
                e.hidden.label("hidden"), e.decision]
        fields = R.FIELDS[kind]
        cols += [e.c[base].label(f"eff_{name}") for name, _, base in fields]
        cols += [t.c[base].label(f"raw_{name}") for name, _, base in fields]
        with store._read() as conn:
            rows = conn.execute(select(*cols).select_from(e.outerjoin()).where(t.c.article_id.in_(reviewed))
                                ).mappings().all()
        added = [x for x in R.added_items(store, kind=kind) if x["article_id"] in ids] if kind in ADDABLE else []
        per_version: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        versions_of_article: dict[str, set] = defaultdict(set)
        kept = corrected = 0
        for r in rows:
            key: tuple[str, ...] = (r["extractor"], r["extractor_version"] or "")
            if kind == "quote":
                key += (weights.get(r["article_id"]) or "",)
            versions_of_article[r["article_id"]].add(key)
            v = per_version[key]
            v[0] += 1
            if r["hidden"]:
                if r["decision"] == "rejected":
                    corrections[f"{kind} rejected"] += 1
                continue
            kept += 1
            v[1] += 1
            changed = [name for name, _, _ in fields if r["decision"] == "corrected"
                       and _norm(r[f"eff_{name}"]) != _norm(r[f"raw_{name}"])]
            if changed:
                corrected += 1
                v[2] += 1
                for name in changed:
                    corrections[f"{kind} {name} corrected"] += 1
        for x in added:
            corrections[f"{kind} added (missed)"] += 1
            none: tuple[str, ...] = ("(nothing extracted)", "") + (("",) if kind == "quote" else ())
            for key in versions_of_article.get(x["article_id"]) or {none}:
                per_version[key][3] += 1
        out["kinds"].append({"kind": kind, **_row(len(rows), kept, corrected, len(added), kind)})
        for key, (p, k, c, ad) in sorted(per_version.items(), key=lambda kv: tuple(str(x) for x in kv[0])):
            row = {"kind": kind, "extractor": key[0], "version": key[1],
                   "weights": key[2] if kind == "quote" else None}
            out["versions"].append({**row, **_row(p, k, c, ad, kind)})
    out["corrections"] = [{"what": what, "n": n} for what, n in corrections.most_common(top)]
    return out


def _norm(v: Any) -> Any:
    if hasattr(v, "isoformat"):
        return v.isoformat()[:10]
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    return v
