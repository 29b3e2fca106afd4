"""Scoring rules (shared/gold/GUIDELINES.md, "Scoring"): no model needed here.

``score_record(record, gold, text)`` scores one predicted record (a ``sourcebook/1`` dict) against
one gold dict (``sourcebook-gold/1``) for the same article text; ``score_polnear(record, relations,
text)`` scores it against PolNeAR attribution relations.  ``aggregate_gold`` / ``aggregate_polnear``
micro-average per-file results (sums of tp/fp/fn and of correct/matched counts).

Rules:

- quote match: the predicted span covers at least half of the gold text's characters; one-to-one,
  pairs taken greedily by coverage of the gold, then by the share of the prediction that is gold;
- attribution: gold ``REPORTER`` needs predicted ``REPORTER``; a named gold source (``name`` set)
  needs the predicted source's ``head`` to equal the gold ``head`` (the surname), or the gold head to
  appear as a token (sequence) of the predicted ``name``, case-insensitively; an unnamed gold source
  needs the same head word (``head_key``: lower case, possessive and plural ``s`` stripped,
  ``-ies`` -> ``-y``, ``-men`` -> ``-man``) and the same ``anonymous`` flag;
- sources: the same key without the anonymity flag, one-to-one (ties broken by shared quotes, then
  by overlapping mentions); anonymity accuracy over matched sources; reason recall = gold reasons
  overlapped by the matched predicted source's ``anonymity_reason`` span / gold reasons;
- counts: spans overlap and ``low`` and ``high`` are equal, one-to-one by overlap; then accuracy of
  ``status``, ``origin`` and ``source`` (as for quotes) over matched counts.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from .gold import locate_all, occurrences, short

REPORTER = "REPORTER"
QUOTE_TYPES = ("direct", "indirect", "mixed")
Fragments = Sequence[tuple[int, int]]


# --- small helpers ---------------------------------------------------------------------------

def ratio(num: int, den: int) -> float | None:
    """``num/den`` rounded to 4 places, ``None`` when ``den`` is 0 (an accuracy over nothing)."""
    return round(num / den, 4) if den else None


def prf(tp: int, fp: int, fn: int) -> dict[str, Any]:
    """Precision, recall and F1 (0.0 when undefined) with the tallies."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    return max(0, min(a_end, b_end) - max(a_start, b_start))


def covered(pred_start: int, pred_end: int, fragments: Fragments) -> int:
    """How many characters of ``fragments`` the predicted span covers."""
    return sum(overlap(pred_start, pred_end, s, e) for s, e in fragments)


def covers_half(pred_start: int, pred_end: int, fragments: Fragments) -> bool:
    """The match rule: the prediction covers at least 50% of the gold characters."""
    total = sum(e - s for s, e in fragments)
    return total > 0 and 2 * covered(pred_start, pred_end, fragments) >= total


def greedy_one_to_one(pairs: Iterable[tuple[tuple, int, int]]) -> dict[int, int]:
    """``pairs`` of (score, gold index, predicted index): take the best first, each index once.
    Ties are broken by the lower gold index, then the lower predicted index.  Returns gold -> pred."""
    ordered = sorted(pairs, key=lambda t: (tuple(-x for x in t[0]), t[1], t[2]))
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: dict[int, int] = {}
    for _score, g, p in ordered:
        if g in used_g or p in used_p:
            continue
        used_g.add(g)
        used_p.add(p)
        out[g] = p
    return out


def _span(item: dict[str, Any]) -> tuple[int, int] | None:
    s, e = item.get("start"), item.get("end")
    if isinstance(s, int) and isinstance(e, int) and e > s:
        return s, e
    return None


# --- source comparison -----------------------------------------------------------------------

def head_key(word: str | None) -> str:
    """A lemma-ish key for a head word: ``'Prosecutors' -> 'prosecutor'``, ``'authorities' -> 'authority'``."""
    w = (word or "").lower().strip(" \t\n.,;:!?\"'“”‘’()")
    if w.endswith("'s") or w.endswith("’s"):
        w = w[:-2]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith("men"):
        return w[:-3] + "man"
    if len(w) > 1 and w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def name_tokens(text: str | None) -> list[str]:
    """Lower-cased word tokens of a name (hyphens and apostrophes kept inside words, possessive dropped)."""
    toks = re.findall(r"[\w][\w'’\-\.]*", (text or "").lower())
    out = []
    for t in toks:
        t = t.rstrip(".")
        if t.endswith("'s") or t.endswith("’s"):
            t = t[:-2]
        if t:
            out.append(t)
    return out


def _contains_seq(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i : i + n] == needle for i in range(len(hay) - n + 1))


def is_named(gold_source: dict[str, Any]) -> bool:
    return bool(gold_source.get("name"))


def surname(gold_source: dict[str, Any]) -> str:
    """The gold surname: ``head`` for a named source (else the last word of ``name``)."""
    head = gold_source.get("head")
    if head:
        return head
    toks = (gold_source.get("name") or "").split()
    return toks[-1] if toks else ""


def same_source(gold_source: Any, pred_source: Any, *, check_anonymous: bool = True) -> bool:
    """Does the predicted source (a Source dict, ``REPORTER`` or None) match the gold one
    (a gold source dict or ``REPORTER``)?  See the module docstring."""
    if gold_source == REPORTER or pred_source == REPORTER:
        return gold_source == REPORTER and pred_source == REPORTER
    if not isinstance(gold_source, dict) or not isinstance(pred_source, dict):
        return False
    if is_named(gold_source):
        sur = name_tokens(surname(gold_source))
        if not sur:
            return False
        if name_tokens(pred_source.get("head")) == sur:
            return True
        return _contains_seq(name_tokens(pred_source.get("name")), sur)
    gk = head_key(gold_source.get("head"))
    if not gk or head_key(pred_source.get("head")) != gk:
        return False
    if check_anonymous:
        return bool(pred_source.get("anonymous")) == bool(gold_source.get("anonymous"))
    return True


def _resolve(source_id: Any, by_id: dict[Any, dict]) -> Any:
    if source_id == REPORTER:
        return REPORTER
    return by_id.get(source_id) if isinstance(source_id, str) else None


def source_label(src: Any) -> str:
    """A short description of a source for reports."""
    if src == REPORTER:
        return REPORTER
    if not isinstance(src, dict):
        return "?" if src is None else str(src)
    if src.get("name"):
        return str(src["name"])
    label = src.get("mention") or src.get("head") or src.get("id") or "?"
    return short(label, 50) + (" (anonymous)" if src.get("anonymous") else "")


# --- our gold --------------------------------------------------------------------------------

def _located_items(text: str, items: list[dict], kind: str,
                   errors: list[dict]) -> list[tuple[int, dict, tuple[int, int]]]:
    """The gold items that could be found in the text, as (index, item, (start, end)); problems -> errors."""
    locs, problems = locate_all(text, items)
    for prob in problems:
        errors.append({"kind": kind, **prob})
    return [(i, it, (loc.start, loc.end)) for i, (it, loc) in enumerate(zip(items, locs))
            if loc.start is not None and loc.end is not None]


def match_quotes(gold_spans: list[tuple[int, int]], pred_spans: list[tuple[int, int] | None]) -> dict[int, int]:
    """One-to-one quote matching (gold index -> predicted index) by the 50% coverage rule."""
    pairs = []
    for gi, (gs, ge) in enumerate(gold_spans):
        glen = ge - gs
        for pi, ps in enumerate(pred_spans):
            if ps is None or not covers_half(ps[0], ps[1], [(gs, ge)]):
                continue
            ov = overlap(ps[0], ps[1], gs, ge)
            pairs.append(((ov / glen, ov / (ps[1] - ps[0])), gi, pi))
    return greedy_one_to_one(pairs)


def score_record(record: dict[str, Any], gold: dict[str, Any], text: str) -> dict[str, Any]:
    """Score one predicted record against one gold annotation of ``text`` (JSON-serializable dict)."""
    errors: list[dict] = []
    pred_sources = [s for s in record.get("sources") or [] if isinstance(s, dict)]
    by_id = {s.get("id"): s for s in pred_sources}
    gold_sources = list(gold.get("sources") or [])
    gold_by_id = {s.get("id"): s for s in gold_sources}

    # quotes
    gq = _located_items(text, list(gold.get("quotes") or []), "quote", errors)
    pq = [q for q in record.get("quotes") or [] if isinstance(q, dict)]
    pq_spans = [_span(q) for q in pq]
    qmatch = match_quotes([loc for _, _, loc in gq], pq_spans)
    attributed = 0
    links: dict[tuple[str, str], int] = {}
    by_type = {t: {"gold": 0, "matched": 0, "attributed": 0} for t in QUOTE_TYPES}
    missed, misattributed = [], []
    for k, (_i, g, _loc) in enumerate(gq):
        t = g["type"] if g.get("type") in by_type else "other"
        bt = by_type.setdefault(t, {"gold": 0, "matched": 0, "attributed": 0})
        bt["gold"] += 1
        gsrc = _resolve(g.get("source"), gold_by_id)
        if k not in qmatch:
            missed.append({"text": short(g.get("text")), "type": g.get("type"), "source": source_label(gsrc)})
            continue
        p = pq[qmatch[k]]
        bt["matched"] += 1
        psrc = _resolve(p.get("source"), by_id)
        if isinstance(g.get("source"), str) and isinstance(p.get("source"), str):
            key = (g["source"], p["source"])
            links[key] = links.get(key, 0) + 1
        if same_source(gsrc, psrc):
            attributed += 1
            bt["attributed"] += 1
        else:
            misattributed.append({"text": short(g.get("text")), "gold_source": source_label(gsrc),
                                  "predicted_source": source_label(psrc)})
    matched_p = set(qmatch.values())
    false_alarms = [{"text": short(q.get("text")), "type": q.get("type"),
                     "source": source_label(_resolve(q.get("source"), by_id))}
                    for pi, q in enumerate(pq) if pi not in matched_p]
    tp = len(qmatch)
    quotes = prf(tp, len(pq) - tp, len(gq) - tp)
    end_to_end = prf(attributed, len(pq) - attributed, len(gq) - attributed)

    # sources
    sources = _score_sources(text, gold_sources, pred_sources, links, errors)
    # counts
    counts = _score_counts(text, list(gold.get("counts") or []), record.get("counts") or [],
                           gold_by_id, by_id, errors)

    return {
        "quotes": quotes,
        "end_to_end": end_to_end,
        "attribution_accuracy": ratio(attributed, tp),
        "attribution": {"correct": attributed, "matched": tp},
        "by_type": {t: _type_row(v) for t, v in by_type.items()},
        "sources": sources,
        "counts": counts,
        "gold_errors": errors,
        "missed": missed,
        "false_alarms": false_alarms,
        "misattributed": misattributed,
    }


def _type_row(v: dict[str, int]) -> dict[str, Any]:
    return {**v, "recall": ratio(v["matched"], v["gold"]), "end_to_end_recall": ratio(v["attributed"], v["gold"])}


def _mention_spans(src: dict[str, Any]) -> list[tuple[int, int]]:
    out = []
    for m in src.get("mentions") or []:
        if isinstance(m, dict):
            sp = _span(m)
            if sp:
                out.append(sp)
    return out


def _score_sources(text: str, gold_sources: list[dict], pred_sources: list[dict],
                   links: dict[tuple[Any, Any], int], errors: list[dict]) -> dict[str, Any]:
    gold_mentions = []
    for g in gold_sources:
        m = g.get("mention") or ""
        gold_mentions.append([(o, o + len(m)) for o in occurrences(text, m)] if m else [])
    pred_mentions = [_mention_spans(p) for p in pred_sources]
    pairs = []
    for gi, g in enumerate(gold_sources):
        for pi, p in enumerate(pred_sources):
            if not same_source(g, p, check_anonymous=False):
                continue
            shared = links.get((g.get("id"), p.get("id")), 0)
            ment = int(any(overlap(a, b, c, d) for a, b in gold_mentions[gi] for c, d in pred_mentions[pi]))
            anon = int(bool(g.get("anonymous")) == bool(p.get("anonymous")))
            pairs.append(((shared, ment, anon), gi, pi))
    smatch = greedy_one_to_one(pairs)
    tp = len(smatch)
    row = prf(tp, len(pred_sources) - tp, len(gold_sources) - tp)
    anon_wrong = [{"gold": source_label(gold_sources[gi]), "gold_anonymous": bool(gold_sources[gi].get("anonymous")),
                   "predicted": source_label(pred_sources[pi])}
                  for gi, pi in sorted(smatch.items())
                  if bool(gold_sources[gi].get("anonymous")) != bool(pred_sources[pi].get("anonymous"))]
    anon_ok = tp - len(anon_wrong)
    # anonymity reasons
    with_reason = [(gi, g) for gi, g in enumerate(gold_sources) if g.get("anonymity_reason")]
    locs, problems = locate_all(text, [{"text": g["anonymity_reason"]} for _, g in with_reason])
    for prob in problems:
        errors.append({"kind": "anonymity_reason", **prob})
    found = total = 0
    for (gi, _g), loc in zip(with_reason, locs):
        if loc.start is None or loc.end is None:
            continue
        total += 1
        if gi in smatch:
            reason = pred_sources[smatch[gi]].get("anonymity_reason")
            sp = _span(reason) if isinstance(reason, dict) else None
            if sp and overlap(sp[0], sp[1], loc.start, loc.end):
                found += 1
    row.update({
        "matched": tp,
        "anonymous_correct": anon_ok,
        "anonymous_accuracy": ratio(anon_ok, tp),
        "anonymity_wrong": anon_wrong,
        "reason_found": found,
        "reason_gold": total,
        "reason_recall": ratio(found, total),
    })
    return row


def _norm_origin(v: Any) -> str | None:
    return (str(v).strip().upper() or None) if v else None


def _score_counts(text: str, gold_counts: list[dict], pred_counts: list[Any], gold_by_id: dict[Any, dict],
                  by_id: dict[Any, dict], errors: list[dict]) -> dict[str, Any]:
    gc = _located_items(text, gold_counts, "count", errors)
    pc = [c for c in pred_counts if isinstance(c, dict)]
    pairs = []
    for gi, (_i, g, loc) in enumerate(gc):
        for pi, c in enumerate(pc):
            sp = _span(c)
            if sp is None:
                continue
            ov = overlap(sp[0], sp[1], loc[0], loc[1])
            if ov and c.get("low") == g.get("low") and c.get("high") == g.get("high"):
                pairs.append(((ov,), gi, pi))
    cmatch = greedy_one_to_one(pairs)
    status_ok = origin_ok = source_ok = 0
    for gi, pi in cmatch.items():
        g, c = gc[gi][1], pc[pi]
        status_ok += int((g.get("status") or "other") == (c.get("status") or "other"))
        origin_ok += int(_norm_origin(g.get("origin")) == _norm_origin(c.get("origin")))
        source_ok += int(same_source(_resolve(g.get("source"), gold_by_id), _resolve(c.get("source") or REPORTER,
                                                                                     by_id)))
    tp = len(cmatch)
    row = prf(tp, len(pc) - tp, len(gc) - tp)
    row.update({
        "matched": tp,
        "status_correct": status_ok,
        "origin_correct": origin_ok,
        "source_correct": source_ok,
        "status_accuracy": ratio(status_ok, tp),
        "origin_accuracy": ratio(origin_ok, tp),
        "source_accuracy": ratio(source_ok, tp),
    })
    return row


def _sum_prf(rows: list[dict], extra: Iterable[str] = ()) -> dict[str, Any]:
    tp = sum(r["tp"] for r in rows)
    fp = sum(r["fp"] for r in rows)
    fn = sum(r["fn"] for r in rows)
    out = prf(tp, fp, fn)
    for k in extra:
        out[k] = sum(r.get(k, 0) for r in rows)
    return out


def aggregate_gold(per_file: list[dict[str, Any]]) -> dict[str, Any]:
    """Micro-averages over files scored by ``score_record`` (each may carry a ``file`` key)."""
    quotes = _sum_prf([f["quotes"] for f in per_file])
    e2e = _sum_prf([f["end_to_end"] for f in per_file])
    correct = sum(f["attribution"]["correct"] for f in per_file)
    matched = sum(f["attribution"]["matched"] for f in per_file)
    by_type: dict[str, dict[str, int]] = {}
    for f in per_file:
        for t, v in f["by_type"].items():
            acc = by_type.setdefault(t, {"gold": 0, "matched": 0, "attributed": 0})
            for k in acc:
                acc[k] += v[k]
    s = _sum_prf([f["sources"] for f in per_file], ("matched", "anonymous_correct", "reason_found", "reason_gold"))
    s["anonymous_accuracy"] = ratio(s["anonymous_correct"], s["matched"])
    s["reason_recall"] = ratio(s["reason_found"], s["reason_gold"])
    c = _sum_prf([f["counts"] for f in per_file], ("matched", "status_correct", "origin_correct", "source_correct"))
    for k in ("status", "origin", "source"):
        c[f"{k}_accuracy"] = ratio(c[f"{k}_correct"], c["matched"])
    return {
        "files": len(per_file),
        "quotes": quotes,
        "end_to_end": e2e,
        "attribution_accuracy": ratio(correct, matched),
        "attribution": {"correct": correct, "matched": matched},
        "by_type": {t: _type_row(v) for t, v in by_type.items()},
        "sources": s,
        "counts": c,
    }


# --- PolNeAR ---------------------------------------------------------------------------------

def interrupted_groups(quotes: list[dict[str, Any]]) -> list[list[int]]:
    """Indexes of predicted quotes grouped the way PolNeAR annotates them: the parts of one quote
    interrupted by its cue ("X," he said, "Y": two items for us, one relation for PolNeAR with a
    two-fragment content) form one group; every other quote is a group of its own.  Two consecutive
    items are parts of one quote when they share the cue and the source and the cue stands between them."""
    order = sorted(range(len(quotes)), key=lambda i: (_span(quotes[i]) or (0, 0)))
    groups: list[list[int]] = []
    for i in order:
        q, prev = quotes[i], groups[-1][-1] if groups else None
        if prev is not None and _continues(quotes[prev], q):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _continues(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ca, cb, sa, sb = a.get("cue"), b.get("cue"), _span(a), _span(b)
    if not (ca and cb and sa and sb) or a.get("source") != b.get("source"):
        return False
    if (ca.get("start"), ca.get("end")) != (cb.get("start"), cb.get("end")):
        return False
    return sa[1] <= ca["start"] and ca["end"] <= sb[0] and sb[0] - sa[1] < 200


def score_polnear(record: dict[str, Any], relations: list[Any], text: str, *, group: bool = False) -> dict[str, Any]:
    """Score predicted quotes against PolNeAR relations (``polnear.Relation`` objects).

    ``all``: every relation with a content.  ``speech``: those whose cue is a speech or writing verb;
    the matching is done once over all relations, and a prediction matched to a relation outside the
    subset counts neither as a hit nor as a false alarm there.  Source accuracy: over matched
    relations that have a Source, the predicted quote's source has a mention overlapping it.
    With ``group``, the parts of an interrupted quote (``interrupted_groups``) are one prediction
    whose characters are those of its parts, as PolNeAR annotates them.
    """
    rels = [r for r in relations if r.content]
    pq: list[dict] = []
    pq_spans: list[tuple[int, int]] = []
    for q in record.get("quotes") or []:
        sp = _span(q) if isinstance(q, dict) else None
        if sp:
            pq.append(q)
            pq_spans.append(sp)
    by_id = {s.get("id"): s for s in record.get("sources") or [] if isinstance(s, dict)}
    groups = interrupted_groups(pq) if group else [[i] for i in range(len(pq))]
    pairs = []
    for gi, r in enumerate(rels):
        total = sum(e - s for s, e in r.content)
        for pi, members in enumerate(groups):
            spans = [pq_spans[m] for m in members]
            cov = sum(covered(s, e, r.content) for s, e in spans)
            if total and 2 * cov >= total:
                pairs.append(((cov / total, cov / sum(e - s for s, e in spans)), gi, pi))
    match = greedy_one_to_one(pairs)
    used_p = set(match.values())
    subsets: dict[str, dict[str, Any]] = {}
    for name, keep in (("all", lambda r: True), ("speech", lambda r: r.speech)):
        in_set = [gi for gi, r in enumerate(rels) if keep(r)]
        tp = sum(1 for gi in in_set if gi in match)
        ignored = sum(1 for gi, r in enumerate(rels) if not keep(r) and gi in match)
        fp = len(groups) - len(used_p)
        row = prf(tp, fp, len(in_set) - tp)
        src_ok = src_n = 0
        for gi in in_set:
            r = rels[gi]
            if gi not in match or r.source is None:
                continue
            src_n += 1
            psrc = _resolve(pq[groups[match[gi]][0]].get("source"), by_id)
            if isinstance(psrc, dict) and any(covered(a, b, r.source.fragments) for a, b in _mention_spans(psrc)):
                src_ok += 1
        row.update({"relations": len(in_set), "ignored_predictions": ignored, "source_correct": src_ok,
                    "source_matched": src_n, "source_accuracy": ratio(src_ok, src_n)})
        subsets[name] = row
    missed = [{"text": short(r.content_text), "cue": r.cue.text if r.cue else None,
               "source": r.source.text if r.source else None, "speech": r.speech}
              for gi, r in enumerate(rels) if gi not in match]
    false_alarms = [{"text": short(" … ".join(pq[m].get("text") or "" for m in members)),
                     "source": source_label(_resolve(pq[members[0]].get("source"), by_id))}
                    for pi, members in enumerate(groups) if pi not in used_p]
    return {**subsets, "source_accuracy": subsets["all"]["source_accuracy"],
            "skipped_relations": len(relations) - len(rels), "missed": missed, "false_alarms": false_alarms}


def aggregate_polnear(per_file: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {"files": len(per_file)}
    for name in ("all", "speech"):
        row = _sum_prf([f[name] for f in per_file], ("relations", "ignored_predictions", "source_correct",
                                                     "source_matched"))
        row["source_accuracy"] = ratio(row["source_correct"], row["source_matched"])
        out[name] = row
    out["source_accuracy"] = out["all"]["source_accuracy"]
    out["skipped_relations"] = sum(f.get("skipped_relations", 0) for f in per_file)
    return out
