"""Toponym gold: TR-News style XML (``<article><text/><toponyms><toponym><phrase/><start/><end/>
<gaztag geonameid><lat/><lon/>...``), scored against ``Record.places``.

- Gold offsets that do not point at their phrase (some articles of the set are shifted) are moved to
  the nearest occurrence of the phrase; a phrase not found is dropped and counted (``realigned``,
  ``unaligned``).
- Gold toponyms without coordinates (streets, buildings the annotators could not resolve) are left
  out of recall, and an extracted place overlapping one is neither right nor wrong.
- A gold toponym is **found** when an extracted place overlaps it (one extracted place matches at
  most one gold toponym); **precision** = matched extracted places / extracted places, **recall** =
  found gold toponyms / gold toponyms.
- **accuracy@161km** over found toponyms: the extracted point lies within 161 km (100 miles) of the
  gold point, or the extracted place is the same GeoNames entry (same geonameid).  Unresolved
  extracted places count as wrong.  The mean and median error in km are reported too.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path
from statistics import median
from typing import Any, Iterable

from ..errors import InputError

KM = 161.0


def is_toponym_xml(path: Path) -> bool:
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    with path.open(encoding="utf-8", errors="replace") as fh:
        head = fh.read(20000)
    return "<articles" in head and "<toponym" in head


def _realign(text: str, phrase: str, start: int, end: int) -> tuple[int, int] | None:
    if text[start:end] == phrase:
        return start, end
    best = None
    i = text.find(phrase)
    while i >= 0:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(phrase, i + 1)
    if best is None:
        return None
    return best, best + len(phrase)


def load_toponyms(path: Path) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Articles ``{id, text, published, toponyms: [{start, end, phrase, lat, lon, geonameid}]}``."""
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise InputError(f"{path}: not well-formed XML ({err})", reason="not_gold") from err
    stats = {"realigned": 0, "unaligned": 0, "without_coordinates": 0}
    out = []
    for a in root.iter("article"):
        tnode = a.find("text")
        text = (tnode.text or "") if tnode is not None else ""
        if not text.strip():
            continue
        dl = a.find("dltime")
        tops = []
        for t in a.iter("toponym"):
            phrase = (t.findtext("phrase") or "").strip()
            try:
                s, e = int(t.findtext("start") or -1), int(t.findtext("end") or -1)
            except ValueError:
                continue
            where = _realign(text, phrase, s, e)
            if where is None:
                stats["unaligned"] += 1
                continue
            if where != (s, e):
                stats["realigned"] += 1
            g = t.find("gaztag")
            lat = lon = gid = None
            if g is not None and g.findtext("lat") and g.findtext("lon"):
                lat, lon = float(g.findtext("lat")), float(g.findtext("lon"))
                gid = int(g.get("geonameid")) if (g.get("geonameid") or "").isdigit() else None
            else:
                stats["without_coordinates"] += 1
            tops.append({"start": where[0], "end": where[1], "phrase": phrase, "lat": lat, "lon": lon,
                         "geonameid": gid, "name": g.findtext("name") if g is not None else None})
        out.append({"id": a.get("docid") or str(len(out)), "text": text,
                    "published": _iso((dl.text or "") if dl is not None else ""),
                    "toponyms": tops})
    if not out:
        raise InputError(f"{path}: no <article> with <text> found", reason="not_gold")
    return out, stats


def _iso(raw: str) -> str | None:
    from datetime import date

    try:
        return date.fromisoformat(raw.strip()[:10]).isoformat()
    except ValueError:
        return None  # free-form download times ("7:58 AM ET"): places need no date


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(h)))


def score_places(articles: list[dict[str, Any]], records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    tp_gold = n_gold = n_pred = tp_pred = ignored = 0
    correct = 0
    errors: list[float] = []
    per_article = []
    for art, rec in zip(articles, records):
        gold = [g for g in art["toponyms"] if g["lat"] is not None]
        blind = [g for g in art["toponyms"] if g["lat"] is None]
        preds = list(rec.get("places", []))
        used: set[int] = set()
        misses, wrong = [], []
        n_gold += len(gold)
        for g in gold:
            hit = None
            for k, p in enumerate(preds):
                if k in used or p["end"] <= g["start"] or p["start"] >= g["end"]:
                    continue
                hit = k
                break
            if hit is None:
                misses.append(g["phrase"])
                continue
            used.add(hit)
            tp_gold += 1
            p = preds[hit]
            if p.get("geonameid") and g["geonameid"] and p["geonameid"] == g["geonameid"]:
                d = 0.0
            elif p.get("lat") is not None and p.get("lon") is not None:
                d = haversine_km(p["lat"], p["lon"], g["lat"], g["lon"])
            else:
                d = None
            if d is not None:
                errors.append(d)
            if d is not None and d <= KM:
                correct += 1
            else:
                wrong.append({"phrase": g["phrase"], "gold": g["name"], "predicted": p.get("name"),
                              "km": round(d) if d is not None else None})
        false_alarms = []
        for k, p in enumerate(preds):
            if k in used:
                continue
            if any(not (p["end"] <= b["start"] or p["start"] >= b["end"]) for b in blind):
                ignored += 1
                continue
            false_alarms.append(p["text"])
        n_pred += len(preds) - sum(1 for k, p in enumerate(preds) if k not in used and
                                    any(not (p["end"] <= b["start"] or p["start"] >= b["end"]) for b in blind))
        tp_pred += len(used)
        per_article.append({"id": art["id"], "gold": len(gold), "predicted": len(preds), "found": len(used),
                            "missed": misses, "false_alarms": false_alarms, "wrong": wrong})

    def ratio(a: float, b: float) -> float | None:
        return round(a / b, 3) if b else None

    p = ratio(tp_pred, n_pred)
    r = ratio(tp_gold, n_gold)
    f1 = round(2 * p * r / (p + r), 3) if p and r else None
    return {
        "articles": len(articles),
        "gold_toponyms": n_gold,
        "predicted": n_pred,
        "found": tp_gold,
        "precision": p,
        "recall": r,
        "f1": f1,
        "accuracy_161km": ratio(correct, tp_gold),
        "correct_161km": correct,
        "mean_error_km": round(sum(errors) / len(errors), 1) if errors else None,
        "median_error_km": round(median(errors), 1) if errors else None,
        "ignored_predictions": ignored,
        "per_article": per_article,
    }


def evaluate_toponyms(path: Path, model: str | None = None) -> dict[str, Any]:
    from ..api import extract_many
    from ..read import Skip

    articles, stats = load_toponyms(path)
    docs = [{"text": a["text"], "published": a["published"], "origin": a["id"]} for a in articles]
    records = []
    for rec in extract_many(docs, model=model, on_error="skip"):
        records.append({"places": []} if isinstance(rec, Skip) else rec.to_dict(include_text=False))
    out = score_places(articles, records)
    out.update(stats)
    out["file"] = str(path)
    return out
