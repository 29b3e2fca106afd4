"""Flows: where people go, from the figures of people joining, leaving, returned or detained.

A flow groups the claims of one period, nationality (``origin``), status and movement.  The movement
is what the texts give, never more:

- ``directed``: the text gives a from or a to ("fled Syria for Turkey": SY -> TR; "returned home to
  Tunisia": ? -> TN).  Only these are drawn as arrows.
- otherwise, for detained people, ``where``: where they are held ("detained in Turkey": held in
  TR), drawn as a mark on the place, not as an arrow.  Other figures without a direction keep no
  place in the flow (the place a figure names says nothing sure of where people went); they are
  listed as "direction not given".
- ``heading``: a destination the people did not reach ("detained in Turkey while trying to cross
  into Syria": held in TR, heading SY).  It is said in words, never drawn as an arrow into that
  country, and never taken as the destination.

Each end is a key (an ISO 3166-1 alpha-2 code when the gazetteer or the text resolves it, else the
place as named, folded) with a label for display.  ``destination`` (kept for the ``--destination``
filter) is the to of a directed flow, else where; "?" when the text says neither.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Sequence

from .normalize import short_hash, words

#: Statuses whose figures are movements of people (flows).
FLOW_STATUSES = ("joining", "leaving", "returned", "detained")
#: The ends of a movement in a claim row: ``<end>_country`` and ``<end>_label``.
ENDS = ("from", "to", "heading")


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    try:
        import pycountry

        c = pycountry.countries.get(alpha_2=code.upper())
    except (ImportError, KeyError, LookupError):
        return code
    return (getattr(c, "common_name", None) or c.name) if c else code


def end_key(country: str | None, label: str | None) -> str | None:
    """The key of one end: its ISO code, else the place as named (folded, at most 64 characters)."""
    if country:
        return country.upper()
    folded = " ".join(w for w in words(label or "") if w != "the")
    return folded[:64] or None


def end_label(key: str | None, label: str | None) -> str | None:
    """How an end is shown: the country's name for a code, else the place as named."""
    if key is None:
        return None
    if len(key) == 2 and key.isupper():
        return country_name(key)
    return label or key


def period_of(claim_date: str | None, window: str = "year") -> str:
    if not claim_date:
        return "undated"
    if window == "month":
        return claim_date[:7]
    if window == "quarter":
        return f"{claim_date[:4]}-Q{(int(claim_date[5:7]) - 1) // 3 + 1}"
    return claim_date[:4]


def flow_key(row: dict[str, Any], window: str = "year") -> tuple[str, ...] | None:
    """``(period, origin, status, from, to, where, heading)`` of a movement claim ("" for an end the
    text does not give); None for other claims, or when nothing is known of nationality or places."""
    if row["status"] not in FLOW_STATUSES:
        return None
    nat = row.get("origin") or "?"
    frm, to, heading = (end_key(row.get(f"{e}_country"), row.get(f"{e}_label")) for e in ENDS)
    # where they are held: the place of a detained figure (for the others, a place without a direction
    # says nothing sure of where they went: it is left out rather than drawn)
    where = end_key(row.get("place_country"), row.get("place_label")) if row["status"] == "detained" and not (
        frm or to) else None
    if nat == "?" and not (frm or to or where or heading):
        return None
    return (period_of(row.get("claim_date"), window), nat, row["status"], frm or "", to or "", where or "",
            heading or "")


def flow_id_of(key: tuple[str, ...]) -> str:
    return short_hash("flow", *key)


def _labels(cs: Sequence[dict[str, Any]], end: str, key: str) -> str | None:
    """The label of an end from the first claim that names it."""
    if not key:
        return None
    col = "place_label" if end == "where" else f"{end}_label"
    named = next((c.get(col) for c in cs if c.get(col)), None)
    return end_label(key, named)


def flow_rows(claims: Sequence[dict[str, Any]], window: str = "year") -> list[dict[str, Any]]:
    """Flow rows (``ledger_flows``) for movement claims, one per ``flow_key``."""
    by: dict[tuple, list[dict]] = defaultdict(list)
    for c in claims:
        k = flow_key(c, window)
        if k:
            by[k].append(c)
    out = []
    for k, cs in by.items():
        # an open end stays open: "more than 150" and "200" make "≥150", not "150–200"
        lows = [c["low"] for c in cs]
        highs = [c["high"] for c in cs]
        low = None if None in lows else min(lows, default=None)
        high = None if None in highs else max(highs, default=None)
        period, nat, status, frm, to, where, heading = k
        ends = {e: (key or None, _labels(cs, e, key)) for e, key in
                (("from", frm), ("to", to), ("where", where), ("heading", heading))}
        dest = to or where or "?"
        out.append({
            "flow_id": flow_id_of(k), "period": period, "origin": nat, "status": status, "directed": bool(frm or to),
            **{f"{e}_key": v[0] for e, v in ends.items()}, **{f"{e}_label": v[1] for e, v in ends.items()},
            "destination": dest[:64], "destination_label": ends["to" if to else "where"][1] or dest,
            "n_claims": len(cs), "n_citations": sum(c["n_citations"] for c in cs),
            "min_low": low, "max_high": high,
            "claim_ids": sorted(c["claim_id"] for c in cs),
        })
    out.sort(key=lambda f: (f["period"], f["origin"], f["destination"], f["status"]))
    return out
