"""Toponym gold in two XML layouts, scored against ``Record.places``.

- **TR-News** (``<article docid><text/><toponyms><toponym><phrase/><start/><end/><gaztag geonameid>
  <lat/><lon/>...``).
- **GeoWebNews** (Gritta et al. 2019: ``<article file><title/><link/><text/><toponyms><toponym>
  <extractedName/><normalisedName/><type/><modifierType/><nonLocational/><start/><end/><geonamesID/>
  <latitude/><longitude/>``).  Every item has a ``type`` of the authors' pragmatic taxonomy.  The
  *toponyms* (they carry coordinates) are the literal types (Literal, Mixed, Coercion,
  Literal_Modifier, Embedded_Literal) and the associative ones (Metonymic, Non_Literal_Modifier,
  Embedded_Non_Lit); all are scored, and recall and accuracy are reported per type and per group.
  The other types are not toponyms: Demonym (no coordinates: an extracted place there is ignored),
  Homonym, Non_Toponym and Language (an extracted place there is a false alarm), and
  Literal_Expression / Non_Lit_Expression (context words such as "village", "citizens").

Rules common to both:

- Gold offsets that do not point at their phrase (some articles of the sets are shifted) are moved
  to the nearest occurrence of the phrase; a phrase not found is dropped and counted (``realigned``,
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


LITERAL_TYPES = ("Literal", "Mixed", "Coercion", "Literal_Modifier", "Embedded_Literal")
ASSOCIATIVE_TYPES = ("Metonymic", "Non_Literal_Modifier", "Embedded_Non_Lit")
#: GeoWebNews types that are not place names: an extracted place over one is a false alarm.
NOT_PLACE_TYPES = ("Homonym", "Non_Toponym", "Language")
#: GeoWebNews context words ("village", "citizens"): neither gold nor an obstacle.
EXPRESSION_TYPES = ("Literal_Expression", "Non_Lit_Expression")


def _root(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as err:
        raise InputError(f"{path}: not well-formed XML ({err})", reason="not_gold") from err


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.lstrip("-").isdigit() else None


def _trnews_item(t: ET.Element) -> dict[str, Any]:
    g = t.find("gaztag")
    lat = lon = gid = None
    lat_text, lon_text = (g.findtext("lat"), g.findtext("lon")) if g is not None else (None, None)
    if g is not None and lat_text and lon_text:
        lat, lon = float(lat_text), float(lon_text)
        gid = _int(g.get("geonameid"))
    return {"phrase": (t.findtext("phrase") or "").strip(), "start": _int(t.findtext("start")),
            "end": _int(t.findtext("end")), "lat": lat, "lon": lon, "geonameid": gid, "type": None,
            "name": g.findtext("name") if g is not None else None}


def _gwn_item(t: ET.Element) -> dict[str, Any]:
    lat, lon = (t.findtext("latitude") or "").strip(), (t.findtext("longitude") or "").strip()
    has = bool(lat and lon)
    return {"phrase": t.findtext("extractedName") or "", "start": _int(t.findtext("start")),
            "end": _int(t.findtext("end")), "lat": float(lat) if has else None,
            "lon": float(lon) if has else None, "geonameid": _int(t.findtext("geonamesID")),
            "type": (t.findtext("type") or "").strip() or None,
            "name": (t.findtext("normalisedName") or "").strip() or t.findtext("extractedName")}


def _is_gwn(t: ET.Element) -> bool:
    return t.find("extractedName") is not None


def load_toponyms(path: Path) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Articles ``{id, text, published, toponyms: [{start, end, phrase, lat, lon, geonameid, type, name}]}``
    from TR-News or GeoWebNews XML (the layout is told by each toponym's child elements)."""
    root = _root(path)
    stats = {"realigned": 0, "unaligned": 0, "without_coordinates": 0}
    out: list[dict[str, Any]] = []
    for a in root.iter("article"):
        text = a.findtext("text") or ""
        if not text.strip():
            continue
        tops = []
        for t in a.iter("toponym"):
            item = _gwn_item(t) if _is_gwn(t) else _trnews_item(t)
            if item["start"] is None or item["end"] is None:
                stats["unaligned"] += 1
                continue
            where = _realign(text, item["phrase"], item["start"], item["end"])
            if where is None:
                stats["unaligned"] += 1
                continue
            if where != (item["start"], item["end"]):
                stats["realigned"] += 1
            item["start"], item["end"] = where
            if item["lat"] is None and _is_toponym_type(item["type"]):
                stats["without_coordinates"] += 1
            tops.append(item)
        out.append({"id": a.get("docid") or a.get("file") or str(len(out)), "text": text,
                    "published": _iso(a.findtext("dltime") or ""), "toponyms": tops})
    if not out:
        raise InputError(f"{path}: no <article> with <text> found", reason="not_gold")
    return out, stats


def _is_toponym_type(kind: str | None) -> bool:
    """TR-News items (no type), GeoWebNews toponym types and Demonym (a place word without a point)."""
    return kind is None or kind not in NOT_PLACE_TYPES + EXPRESSION_TYPES


def type_group(kind: str | None) -> str:
    if kind in LITERAL_TYPES:
        return "literal"
    if kind in ASSOCIATIVE_TYPES:
        return "associative"
    return "untyped" if kind is None else "other"


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


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return not (a["end"] <= b["start"] or a["start"] >= b["end"])


def _error_km(p: dict[str, Any], g: dict[str, Any]) -> float | None:
    if p.get("geonameid") and g["geonameid"] and p["geonameid"] == g["geonameid"]:
        return 0.0
    if p.get("lat") is not None and p.get("lon") is not None:
        return haversine_km(p["lat"], p["lon"], g["lat"], g["lon"])
    return None


class _Tally:
    """Counts of gold toponyms, found ones and ones within 161 km, for one type or group."""

    def __init__(self) -> None:
        self.gold = self.found = self.correct = 0

    def add(self, found: bool, correct: bool) -> None:
        self.gold += 1
        self.found += found
        self.correct += correct

    def as_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "found": self.found, "correct_161km": self.correct,
                "recall": _ratio(self.found, self.gold), "accuracy_161km": _ratio(self.correct, self.found),
                "recall_161km": _ratio(self.correct, self.gold)}


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _score_article(art: dict[str, Any], preds: list[dict[str, Any]], tallies: dict[str, _Tally],
                   errors: list[float]) -> dict[str, Any]:
    gold = [g for g in art["toponyms"] if g["lat"] is not None]
    blind = [g for g in art["toponyms"] if g["lat"] is None and _is_toponym_type(g["type"])]
    used: set[int] = set()
    misses, wrong = [], []
    for g in gold:
        hit = next((k for k, p in enumerate(preds) if k not in used and _overlaps(p, g)), None)
        d = None
        if hit is not None:
            used.add(hit)
            d = _error_km(preds[hit], g)
            if d is not None:
                errors.append(d)
        ok = d is not None and d <= KM
        for key in (g["type"] or "untyped", type_group(g["type"]), "all"):
            tallies.setdefault(key, _Tally()).add(hit is not None, ok)
        if hit is None:
            misses.append({"phrase": g["phrase"], "type": g["type"]})
        elif not ok:
            wrong.append({"phrase": g["phrase"], "type": g["type"], "gold": g["name"],
                          "predicted": preds[hit].get("name"), "km": round(d) if d is not None else None})
    rest = [p for k, p in enumerate(preds) if k not in used]
    ignored = [p for p in rest if any(_overlaps(p, b) for b in blind)]
    false_alarms = [p["text"] for p in rest if not any(_overlaps(p, b) for b in blind)]
    return {"id": art["id"], "gold": len(gold), "predicted": len(preds) - len(ignored), "found": len(used),
            "ignored": len(ignored), "missed": misses, "false_alarms": false_alarms, "wrong": wrong}


def score_places(articles: list[dict[str, Any]], records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    tallies: dict[str, _Tally] = {}
    errors: list[float] = []
    per_article = [_score_article(art, list(rec.get("places", [])), tallies, errors)
                   for art, rec in zip(articles, records)]
    allt = tallies.get("all", _Tally())
    n_pred = sum(r["predicted"] for r in per_article)
    p, r = _ratio(allt.found, n_pred), _ratio(allt.found, allt.gold)
    typed = any(a["type"] for art in articles for a in art["toponyms"])
    out = {
        "articles": len(articles),
        "gold_toponyms": allt.gold,
        "predicted": n_pred,
        "found": allt.found,
        "precision": p,
        "recall": r,
        "f1": round(2 * p * r / (p + r), 3) if p and r else None,
        "accuracy_161km": _ratio(allt.correct, allt.found),
        "correct_161km": allt.correct,
        "mean_error_km": round(sum(errors) / len(errors), 1) if errors else None,
        "median_error_km": round(median(errors), 1) if errors else None,
        "ignored_predictions": sum(r["ignored"] for r in per_article),
        "per_article": per_article,
    }
    if typed:
        out["by_type"] = {k: t.as_dict() for k, t in sorted(tallies.items(), key=lambda kv: -kv[1].gold)
                          if k not in ("all", "literal", "associative", "other", "untyped")}
        out["by_group"] = {k: tallies[k].as_dict() for k in ("literal", "associative") if k in tallies}
    return out


def evaluate_toponyms(path: Path, model: str | None = None) -> dict[str, Any]:
    from ..api import extract_many
    from ..read import Skip

    articles, stats = load_toponyms(path)
    docs = [{"text": a["text"], "published": a["published"], "origin": a["id"]} for a in articles]
    records = []
    # places alone: the same places as the whole pipeline finds, without the parse the others need
    for rec in extract_many(docs, model=model, on_error="skip", only=("sourcebook_places_v2",)):
        records.append({"places": []} if isinstance(rec, Skip) else rec.to_dict(include_text=False))
    out = score_places(articles, records)
    out.update(stats)
    out["file"] = str(path)
    return out
