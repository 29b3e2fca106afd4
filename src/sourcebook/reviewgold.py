"""Reviews to gold, and gold to reviews: the review loop (docs/review-loop.md).

``export_gold(store, out)`` writes one ``sourcebook-gold/1`` file per article a reviewer marked
"reviewed: all items checked" (``review.mark_reviewed``), with the article's text beside it
(``OUT/articles/ID.txt``), so that ``sourcebook eval OUT`` scores any version of the pipeline on the
team's own reviewed articles and ``sourcebook train --with-reviews DB`` learns from them.

What an exported file holds, and nothing else (source protection):

- the article's text, title, url and publication date (what the article says);
- the items the reviewer kept: in a reviewed article every extracted item that is not rejected
  (accepted, corrected, or left as extracted: "all items checked" means those were seen and are
  right), with their effective (corrected) values, and the items the reviewer added;
- sources: those the kept quotes and figures are attributed to, numbered S1, S2, ... in text order.
  An anonymous source has no name (``null``), whatever was extracted or corrected before; when
  extraction had given it a name, its mention is cut to its head word.  No reviewer name, no note,
  no time, no store id is written.

``apply_gold(store, article_id, gold)`` does the opposite for an article in the store: it turns a gold
annotation of it into review decisions through the review API (``review.review``, ``add_item``,
``mark_reviewed``: the functions the web UI's forms call), as a reviewer who knew the gold would:
matched items accepted or corrected, extracted items the gold lacks rejected, gold items extraction
missed added.  ``scripts/review-loop`` uses it to run the loop on the annotated pool articles.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, NamedTuple

from . import review as R
from .errors import InputError
from .evaluate.gold import GOLD_SCHEMA, locate_all
from .evaluate.metrics import match_quotes, overlap, same_source
from .record import REPORTER
from .store import Store
from .store import schema as S


class _At(NamedTuple):
    """Where a gold string was found in the article text."""

    start: int
    end: int


def _found(items: list[dict[str, Any]], text: str) -> list[tuple[dict[str, Any], _At]]:
    """The gold items whose text was found in ``text``, with their offsets."""
    locs, _ = locate_all(text, items)
    return [(it, _At(loc.start, loc.end)) for it, loc in zip(items, locs)
            if loc.start is not None and loc.end is not None]


def _place_text(v: Any) -> str | None:
    if isinstance(v, dict):
        return v.get("text") or v.get("name")
    return v if isinstance(v, str) else None


def _article_row(store: Store, article_id: str) -> dict[str, Any]:
    a = S.articles
    import sqlalchemy as sa

    with store._read() as conn:
        row = conn.execute(sa.select(a.c.id, a.c.text, a.c.title, a.c.url, a.c.published, a.c.hash)
                           .where(a.c.id == article_id)).mappings().first()
    if row is None:
        raise R.ReviewError(f"no article {article_id!r}")
    return dict(row)


def article_gold(store: Store, article_id: str, file: str) -> dict[str, Any]:
    """The ``sourcebook-gold/1`` annotation of one article from its reviews (see the module doc);
    ``file``: the article text file it names."""
    art = _article_row(store, article_id)
    text = art["text"]
    items = R.effective_items(store, article_id, include_hidden=False)
    added = R.added_items(store, article_id)
    store_sources = {s["source_id"]: s for s in items["sources"]}
    added_sources = {a["item_id"]: a for a in added if a["kind"] == "source"}
    kept_q = [dict(q, _added=False) for q in items["quotes"]] + [
        {"source_id": a["fields"]["source"], "start_char": a["start_char"], "end_char": a["end_char"],
         "type": a["fields"]["type"], "cue": a["fields"].get("cue"), "_added": True}
        for a in added if a["kind"] == "quote"]
    kept_c = [dict(c, _added=False) for c in items["counts"]] + [
        {**{k: a["fields"].get(k) for k in ("number", "low", "high", "status", "origin", "counted")},
         "source_id": a["fields"]["source"], "start_char": a["start_char"], "end_char": a["end_char"],
         "place": None, "time": None, "_added": True}
        for a in added if a["kind"] == "count"]
    used = {it["source_id"] for it in kept_q + kept_c if it["source_id"] != REPORTER}
    used &= set(store_sources) | set(added_sources)

    def first(sid: str) -> int:
        if sid in added_sources:
            return added_sources[sid]["start_char"]
        s = store_sources[sid]["start_char"]
        return s if s is not None else len(text)

    order = sorted(used, key=lambda sid: (first(sid), sid))
    gid = {sid: f"S{k}" for k, sid in enumerate(order, 1)}
    sources = []
    for sid in order:
        if sid in added_sources:
            f = added_sources[sid]["fields"]
            anon = bool(f.get("anonymous"))
            sources.append({"id": gid[sid], "name": None if anon else f.get("name"),
                            "mention": added_sources[sid]["text"], "head": f.get("head"), "anonymous": anon,
                            "anonymity_reason": None, "role": f.get("role"), "affiliation": f.get("affiliation"),
                            "kind": f.get("kind") or "person"})
            continue
        s = store_sources[sid]
        anon = bool(s["anonymous"])
        mention, head = s.get("mention"), s.get("head")
        extracted = R.item(store, "source", article_id, sid)["extracted"].get("name")
        if anon:  # never a name beside an anonymous source, even one extraction once gave it
            if extracted and mention and extracted.lower() in mention.lower():
                mention = head
        elif s.get("name") and s.get("name") != extracted:  # a reviewer's name: its last word is the surname
            words = s["name"].split()
            head = words[-1] if words else head
        sources.append({"id": gid[sid], "name": None if anon else s.get("name"), "mention": mention,
                        "head": head, "anonymous": anon,
                        "anonymity_reason": s.get("anonymity_reason") if anon else None,
                        "role": s.get("role"), "affiliation": s.get("affiliation"), "kind": s.get("kind") or "person"})

    def src(sid: str) -> str | None:
        return REPORTER if sid == REPORTER else gid.get(sid)

    quotes = []
    for q in sorted(kept_q, key=lambda q: (q["start_char"], q["end_char"])):
        qs = src(q["source_id"])
        if qs is None:
            continue
        quotes.append({"source": qs, "text": text[q["start_char"]:q["end_char"]], "type": q["type"],
                       "cue": q.get("cue"), "start": q["start_char"]})
    counts = []
    for c in sorted(kept_c, key=lambda c: (c["start_char"], c["end_char"])):
        cs = src(c["source_id"])
        if cs is None:
            continue
        counts.append({"source": cs, "text": text[c["start_char"]:c["end_char"]], "number": c.get("number"),
                       "low": c.get("low"), "high": c.get("high"), "counted": c.get("counted"),
                       "status": c.get("status"), "origin": c.get("origin"), "place": _place_text(c.get("place")),
                       "time": _place_text(c.get("time")), "start": c["start_char"]})
    published = art["published"].isoformat() if hasattr(art["published"], "isoformat") else art["published"]
    return {"schema": GOLD_SCHEMA,
            "article": {"file": file, "published": published, "title": art["title"], "url": art["url"]},
            "sources": sources, "quotes": quotes, "counts": counts}


def export_gold(store: Store, out: str | os.PathLike[str]) -> list[Path]:
    """Write ``OUT/ID.json`` (gold) and ``OUT/articles/ID.txt`` (the text) for every reviewed article;
    return the gold files written (none when no article is marked reviewed)."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} exists and is not a folder", reason="not_folder")
    written = []
    for aid in R.reviewed_articles(store):
        text = _article_row(store, aid)["text"]
        (out / "articles").mkdir(parents=True, exist_ok=True)
        with open(out / "articles" / f"{aid}.txt", "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        gold = article_gold(store, aid, f"articles/{aid}.txt")
        path = out / f"{aid}.json"
        path.write_text(json.dumps(gold, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    return written


# --------------------------------------------------------------------------- gold -> review decisions


def apply_gold(store: Store, article_id: str, gold: dict[str, Any], *, user: str | None = None) -> dict[str, int]:
    """Review ``article_id`` as its gold annotation says, through the review API (module doc), and mark
    it reviewed.  Returns how many decisions of each action were made (gold items whose text cannot
    be found in the article are skipped and counted as ``skipped``)."""
    text = _article_row(store, article_id)["text"]
    items = R.effective_items(store, article_id, include_hidden=False)
    done = {"accept": 0, "correct": 0, "reject": 0, "add": 0, "skipped": 0}
    g_sources = {s["id"]: s for s in gold.get("sources") or []}
    p_sources = items["sources"]
    src_map: dict[str, str] = {}
    used: set[str] = set()

    def pred_view(s: dict) -> dict:
        return {"name": s.get("name"), "head": s.get("head"), "anonymous": s.get("anonymous")}

    # 1. gold sources to extracted ones: the same name (or, unnamed, the same description) first,
    # then the scoring's rule, then the scoring's rule without the anonymity flag; one to one
    def exact(gs: dict, p: dict) -> bool:
        if gs.get("name"):
            return (p.get("name") or "").strip().lower() == gs["name"].strip().lower()
        return (not p.get("name") and bool(p.get("anonymous")) == bool(gs.get("anonymous"))
                and (p.get("mention") or "").strip().lower() == (gs.get("mention") or "").strip().lower())

    rules = (exact, lambda gs, p: same_source(gs, pred_view(p)),
             lambda gs, p: same_source(gs, pred_view(p), check_anonymous=False))
    for rule in rules:
        for gid_, gs in g_sources.items():
            if gid_ in src_map:
                continue
            hit = next((p for p in p_sources if p["source_id"] not in used and rule(gs, p)), None)
            if hit is not None:
                used.add(hit["source_id"])
                src_map[gid_] = hit["source_id"]
    by_sid = {p["source_id"]: p for p in p_sources}
    for gid_, mapped in src_map.items():
        gs, hit = g_sources[gid_], by_sid[mapped]
        changes: dict[str, Any] = {}
        if bool(hit["anonymous"]) != bool(gs.get("anonymous")):
            changes["anonymous"] = bool(gs.get("anonymous"))
        if gs.get("anonymous") and hit.get("name"):
            changes["name"] = None
        elif gs.get("name") and " ".join(str(hit.get("name") or "").split()) != " ".join(gs["name"].split()):
            changes["name"] = gs["name"]
        R.review(store, "source", article_id, mapped, "correct" if changes else "accept", user=user,
                 changes=changes or None)
        done["correct" if changes else "accept"] += 1

    def target(gsrc: Any) -> str | None:
        """The store or added source id for a gold source id (adding the source when needed)."""
        if gsrc == REPORTER:
            return REPORTER
        if gsrc in src_map:
            return src_map[gsrc]
        gs = g_sources.get(gsrc)
        if gs is None:
            return None
        for key in ("mention", "name", "head"):
            needle = gs.get(key)
            if not needle:
                continue
            i = text.find(needle)
            if i >= 0:
                a = R.add_item(store, "source", article_id, i, i + len(needle), {
                    "name": None if gs.get("anonymous") else gs.get("name"), "anonymous": bool(gs.get("anonymous")),
                    "kind": gs.get("kind") or "person", "role": gs.get("role"), "affiliation": gs.get("affiliation"),
                    "head": gs.get("head")}, user=user)
                done["add"] += 1
                src_map[gsrc] = a["item_id"]
                return a["item_id"]
        return None

    def added_ids(sid: str) -> bool:
        return sid == REPORTER or sid.startswith(R.ADD_PREFIX["source"])

    def reject(kind: str, item_id: str) -> None:
        R.review(store, kind, article_id, item_id, "reject", user=user)
        done["reject"] += 1

    def keep(kind: str, item_id: str, changes: dict[str, Any]) -> None:
        """Accept the item as extracted, or correct it where the gold differs."""
        R.review(store, kind, article_id, item_id, "correct" if changes else "accept", user=user,
                 changes=changes or None)
        done["correct" if changes else "accept"] += 1

    # 2. quotes
    g_quotes = gold.get("quotes") or []
    gq = _found(g_quotes, text)
    done["skipped"] += len(g_quotes) - len(gq)
    p_quotes = items["quotes"]
    match = match_quotes([(loc.start, loc.end) for _, loc in gq], [(p["start_char"], p["end_char"]) for p in p_quotes])
    for gi, (q, loc) in enumerate(gq):
        sid = target(q.get("source"))
        if sid is None:
            done["skipped"] += 1
            if gi in match:
                reject("quote", p_quotes[match[gi]]["quote_id"])
            continue
        qtype = q.get("type") if q.get("type") in R.QUOTE_TYPES else "direct"
        if gi in match:
            p = p_quotes[match[gi]]
            if added_ids(sid):
                reject("quote", p["quote_id"])
            else:
                changes = {}
                if p["source_id"] != sid:
                    changes["source"] = sid
                if p["type"] != qtype:
                    changes["type"] = qtype
                keep("quote", p["quote_id"], changes)
                continue
        R.add_item(store, "quote", article_id, loc.start, loc.end,
                   {"source": sid, "type": qtype, "cue": q.get("cue")}, user=user)
        done["add"] += 1
    matched_p = set(match.values())
    for pi, p in enumerate(p_quotes):
        if pi not in matched_p:
            reject("quote", p["quote_id"])

    # 3. figures: spans overlap (largest overlap first, one to one)
    g_counts = gold.get("counts") or []
    gc = _found(g_counts, text)
    done["skipped"] += len(g_counts) - len(gc)
    p_counts = items["counts"]
    pairs = sorted(((overlap(loc.start, loc.end, p["start_char"], p["end_char"]), gi, pi)
                    for gi, (_, loc) in enumerate(gc) for pi, p in enumerate(p_counts)
                    if overlap(loc.start, loc.end, p["start_char"], p["end_char"]) > 0), reverse=True)
    cmatch: dict[int, int] = {}
    for _, gi, pi in pairs:
        if gi not in cmatch and pi not in cmatch.values():
            cmatch[gi] = pi
    for gi, (c, loc) in enumerate(gc):
        sid = target(c.get("source"))
        status = c.get("status") if c.get("status") in R.STATUSES else "other"
        vals = {"low": c.get("low"), "high": c.get("high"), "status": status, "origin": c.get("origin")}
        if sid is None or (c.get("low") is None and c.get("high") is None):
            done["skipped"] += 1
            if gi in cmatch:
                reject("count", p_counts[cmatch[gi]]["count_id"])
            continue
        if gi in cmatch:
            p = p_counts[cmatch[gi]]
            same_span = (p["start_char"], p["end_char"]) == (loc.start, loc.end) or overlap(
                loc.start, loc.end, p["start_char"], p["end_char"]) > 0
            if sid.startswith(R.ADD_PREFIX["source"]) or not same_span:
                reject("count", p["count_id"])
            else:
                changes = {k: v for k, v in vals.items() if p.get(k) != v}
                if p["source_id"] != sid:
                    changes["source"] = sid
                keep("count", p["count_id"], changes)
                continue
        R.add_item(store, "count", article_id, loc.start, loc.end,
                   {"source": sid, "number": c.get("number"), "counted": c.get("counted"), **vals}, user=user)
        done["add"] += 1
    matched_c = set(cmatch.values())
    for pi, p in enumerate(p_counts):
        if pi not in matched_c:
            reject("count", p["count_id"])

    # 4. extracted sources the gold does not have
    for p in p_sources:
        if p["source_id"] not in used:
            reject("source", p["source_id"])
    R.mark_reviewed(store, article_id, True, user=user)
    return done
