"""Event gold: UniversalPetrarch validation XML (CAMEO codes) scored in PLOVER.

``is_petrarch(path)`` tells a PETRARCH validation file; ``load_petrarch(path)`` reads its sentences
(``<Sentence id date>`` followed by ``<EventCoding eventcode sourcecode targetcode/>`` or
``noevents``, and ``<Text>``); ``load_cameo2plover(path)`` reads the CAMEO-to-PLOVER table
(``CAMEO2PLOVER-2021.txt`` beside the XML, else a path given).  ``score_events(sentences, records)``
compares the extracted events with the gold codings:

- a gold coding's CAMEO code is mapped to a PLOVER type through the table (codes the table does not
  list, such as 01x public statements and 02x appeals, are counted as ``unmapped`` and left out);
- **type accuracy**: the share of mapped gold codings for which the sentence has an extracted event
  of the same PLOVER type; **type precision**: the share of extracted events (in sentences that are
  evaluated) whose type is among the sentence's gold types; sentences marked ``noevents`` count
  every extracted event as a false alarm;
- **actor / recipient match**, over gold codings whose type was found: the extracted event of that
  type whose actor and recipient agree best; a match on the country (the first three letters of
  the CAMEO actor code: ISO alpha-3 or an IGO code; "---" gold matches an actor without a country)
  and on the full code (country and first sector code).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError

TABLE_NAME = "CAMEO2PLOVER-2021.txt"


def is_petrarch(path: Path) -> bool:
    if path.suffix.lower() != ".xml" or not path.is_file():
        return False
    with path.open(encoding="utf-8", errors="replace") as fh:
        head = fh.read(4000)
    return "<Validation" in head or ("<Sentences" in head and "EventCoding" in head)


def load_cameo2plover(path: Path) -> dict[str, tuple[str, str | None]]:
    """CAMEO code -> (PLOVER type, mode or None)."""
    out: dict[str, tuple[str, str | None]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,]*))?", line)
        if not m or len(m.group(1)) < 3:
            continue
        mode = (m.group(3) or "").strip() or None
        out.setdefault(m.group(1), (m.group(2), mode))
    return out


def plover_of(code: str, table: dict[str, tuple[str, str | None]]) -> tuple[str, str | None] | None:
    """The PLOVER type of a CAMEO code: the code itself, else its 3-digit parent."""
    code = code.strip()
    if code in table:
        return table[code]
    if len(code) == 4 and code[:3] in table:
        return table[code[:3]]
    return None


def _iso_date(raw: str | None) -> str | None:
    if raw and re.fullmatch(r"\d{8}", raw):
        try:
            return date(int(raw[:4]), int(raw[4:6]), int(raw[6:])).isoformat()
        except ValueError:
            return None
    return None


def load_petrarch(path: Path) -> list[dict[str, Any]]:
    """The sentences to evaluate: {id, date, text, codings: [{event, source, target}], noevents}."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    out = []
    parts = re.split(r"(?=<Sentence\s)", raw)
    for part in parts[1:]:
        m = re.match(r"<Sentence\s([^>]*)>", part)
        if not m:
            continue
        attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
        if attrs.get("evaluate", "true").lower() != "true":
            continue
        body = part.split("</Sentence>", 1)[0]
        t = re.search(r"<Text>(.*?)</Text>", body, re.S)
        text = " ".join(t.group(1).split()) if t else ""
        if not text:
            continue
        codings = []
        noevents = False
        for c in re.findall(r"<EventCoding\s([^>]*?)/?>", body):
            ca = dict(re.findall(r'(\w+)="([^"]*)"', c))
            if ca.get("noevents", "").lower() == "true":
                noevents = True
                continue
            if "eventcode" in ca:
                codings.append({"event": ca["eventcode"], "source": ca.get("sourcecode", ""),
                                 "target": ca.get("targetcode", "")})
        out.append({"id": attrs.get("id", ""), "date": _iso_date(attrs.get("date")), "text": text,
                    "codings": codings, "noevents": noevents and not codings})
    if not out:
        raise InputError(f"{path}: no <Sentence> with <Text> found", reason="not_gold")
    return out


def _country(code: str | None) -> str:
    return (code or "")[:3] or "---"


def _actor_code(a: dict[str, Any] | None) -> tuple[str, str]:
    if not a:
        return "", ""
    return (a.get("country") or "---"), (a.get("sector") or "")


def _agree(gold: str, pred: dict[str, Any] | None) -> tuple[bool, bool]:
    """(country agrees, country and first sector agree)."""
    if pred is None:
        return False, False
    pc, ps = _actor_code(pred)
    gc = _country(gold)
    c_ok = pc == gc or (gc == "---" and pc in ("", "---"))
    g_sector = gold[3:6] if len(gold) >= 6 else ""
    return c_ok, c_ok and (g_sector == ps or (not g_sector and not ps))


def score_events(sentences: list[dict[str, Any]], records: Iterable[dict[str, Any]],
                 table: dict[str, tuple[str, str | None]]) -> dict[str, Any]:
    n_gold = n_type = unmapped = 0
    pred_total = pred_ok = 0
    actor_c = actor_f = rec_c = rec_f = 0
    detected = detected_ok = 0
    noevent_sentences = noevent_false = 0
    per_sentence = []
    confusion: dict[str, dict[str, int]] = {}
    for s, rec in zip(sentences, records):
        events = [e for e in rec.get("events", [])]
        gold = []
        for c in s["codings"]:
            p = plover_of(c["event"], table)
            if p is None:
                unmapped += 1
                continue
            gold.append({**c, "type": p[0], "mode": p[1]})
        gold_types = {g["type"] for g in gold}
        if s["noevents"]:
            noevent_sentences += 1
            noevent_false += len(events)
        if gold or s["noevents"]:
            pred_total += len(events)
            pred_ok += sum(1 for e in events if e["type"] in gold_types)
        row = {"id": s["id"], "text": s["text"], "gold": [], "predicted": [
            {"type": e["type"], "mode": e.get("mode"), "trigger": e["text"],
             "actor": (e.get("actor") or {}).get("code"), "recipient": (e.get("recipient") or {}).get("code")}
            for e in events]}
        for g in gold:
            n_gold += 1
            same = [e for e in events if e["type"] == g["type"]]
            hit = bool(same)
            if events:
                detected += 1
                detected_ok += hit
                conf = confusion.setdefault(g["type"], {})
                best_type = same[0]["type"] if same else events[0]["type"]
                conf[best_type] = conf.get(best_type, 0) + 1
            else:
                conf = confusion.setdefault(g["type"], {})
                conf["(none)"] = conf.get("(none)", 0) + 1
            a_ok = r_ok = (False, False)
            if hit:
                n_type += 1
                best = max(same, key=lambda e: (sum(_agree(g["source"], e.get("actor"))) +
                                                 sum(_agree(g["target"], e.get("recipient")))))
                a_ok = _agree(g["source"], best.get("actor"))
                r_ok = _agree(g["target"], best.get("recipient"))
                actor_c += a_ok[0]
                actor_f += a_ok[1]
                rec_c += r_ok[0]
                rec_f += r_ok[1]
            row["gold"].append({"cameo": g["event"], "type": g["type"], "source": g["source"], "target": g["target"],
                                "type_found": hit, "actor_country": a_ok[0], "recipient_country": r_ok[0]})
        per_sentence.append(row)

    def ratio(a: int, b: int) -> float | None:
        return round(a / b, 3) if b else None

    return {
        "sentences": len(sentences),
        "gold_codings": n_gold + unmapped,
        "mapped_codings": n_gold,
        "unmapped_codings": unmapped,
        "type_accuracy": ratio(n_type, n_gold),
        "type_correct": n_type,
        "type_accuracy_when_detected": ratio(detected_ok, detected),
        "detected": detected,
        "type_precision": ratio(pred_ok, pred_total),
        "predicted_events": pred_total,
        "noevent_sentences": noevent_sentences,
        "noevent_false_alarms": noevent_false,
        "actor_country_match": ratio(actor_c, n_type),
        "actor_code_match": ratio(actor_f, n_type),
        "recipient_country_match": ratio(rec_c, n_type),
        "recipient_code_match": ratio(rec_f, n_type),
        "confusion": confusion,
        "per_sentence": per_sentence,
    }


def evaluate_petrarch(path: Path, table_path: Path | None = None, model: str | None = None) -> dict[str, Any]:
    """Extract every sentence of a PETRARCH validation file and score the events."""
    from ..api import extract_many
    from ..read import Skip

    table_path = table_path or path.with_name(TABLE_NAME)
    if not table_path.is_file():
        raise InputError(f"{path}: no {TABLE_NAME} beside it to map CAMEO codes to PLOVER", reason="not_gold")
    table = load_cameo2plover(table_path)
    sentences = load_petrarch(path)
    docs = [{"text": s["text"], "published": s["date"], "origin": s["id"]} for s in sentences]
    records = []
    for rec in extract_many(docs, model=model, on_error="skip"):
        records.append({"events": []} if isinstance(rec, Skip) else rec.to_dict(include_text=False))
    out = score_events(sentences, records, table)
    out["file"] = str(path)
    out["table"] = str(table_path)
    return out
