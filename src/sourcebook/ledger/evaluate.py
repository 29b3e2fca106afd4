"""Scoring claim clustering on labeled pairs of figures (``tests/data/ledger_pairs.json``).

The set holds short articles and pairs of figures in them, each pair labeled *same claim* or
*different claims* (docs/ledger.md gives the guidelines).  ``evaluate_pairs`` extracts the
articles, stores them in a throwaway SQLite database, runs the ledger exactly as ``ingest``
would, and calls a pair *same* when both figures ended in one claim.  Precision and recall are
those of the *same* label.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, Iterable


def load_pairs(path: str | os.PathLike[str]) -> dict[str, Any]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _find(rec, needle: str) -> str | None:
    for c in rec.counts:
        if needle in c.text:
            return c.id
    return None


def evaluate_pairs(data: dict[str, Any], *, records: Iterable[Any] | None = None, db: str | None = None,
                   window_days: int | None = None) -> dict[str, Any]:
    """``{"pairs", "tp", "fp", "fn", "tn", "precision", "recall", "f1", "errors", "missing"}``.

    ``errors`` lists the pairs decided wrongly (with the labels' reasons); ``missing`` the figure
    references that name no extracted figure (scored as decided *different*)."""
    from .. import extract_many
    from ..store import Store
    from ..store import schema as S
    from . import update
    from .cluster import WINDOW_DAYS

    arts = data["articles"]
    if records is None:
        records = extract_many([{"text": a["text"], "published": a.get("published"), "url": a.get("url"),
                                 "title": a.get("title")} for a in arts])
    recs = {a["id"]: r for a, r in zip(arts, records)}
    with tempfile.TemporaryDirectory() as tmp:
        path = db or str(Path(tmp) / "pairs.db")
        with Store(path) as store:
            for r in recs.values():
                store.write(r)
            update(store, window_days=window_days or WINDOW_DAYS)
            with store.reading() as conn:
                claim_of = {(r.article_id, r.count_id): r.claim_id for r in conn.execute(
                    S.ledger_citations.select())}
    tp = fp = fn = tn = 0
    errors, missing = [], []
    for p in data["pairs"]:
        refs = []
        for side in (p["a"], p["b"]):
            rec = recs[side[0]]
            cid = _find(rec, side[1])
            if cid is None:
                missing.append(side)
            refs.append((rec.id, cid))
        same = (refs[0][1] is not None and refs[1][1] is not None
                and claim_of.get(refs[0]) is not None and claim_of.get(refs[0]) == claim_of.get(refs[1]))
        if p["same"] and same:
            tp += 1
        elif p["same"]:
            fn += 1
            errors.append({**p, "predicted": False})
        elif same:
            fp += 1
            errors.append({**p, "predicted": True})
        else:
            tn += 1
    prec = tp / (tp + fp) if tp + fp else 1.0
    rec_ = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * prec * rec_ / (prec + rec_) if prec + rec_ else 0.0
    return {"pairs": len(data["pairs"]), "same": tp + fn, "different": fp + tn, "tp": tp, "fp": fp, "fn": fn,
            "tn": tn, "precision": prec, "recall": rec_, "f1": f1, "errors": errors, "missing": missing}
