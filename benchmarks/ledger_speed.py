"""How fast the ledger clusters claims: 100,000 synthetic figures (citations) into claims.

    python3 benchmarks/ledger_speed.py [--n 100000] [--seed 7] [--window 60]

The figures are made up here: a few thousand sources (named people and organizations, anonymous
descriptions, outlets asserting figures themselves), each repeating some figures (the same range,
group and status, sometimes the same quoted words, sometimes another place or day) across three
years, so that about one figure in four is a new claim.  It times the two steps of
``ledger.update`` that grow with the corpus: turning stored citation rows into items
(``core.item_of``) and clustering them (``cluster.cluster``), and prints the figures, the claims
found and the time.  The limit the issue sets is one minute for 100,000.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sourcebook.ledger.cluster import WINDOW_DAYS, cluster  # noqa: E402
from sourcebook.ledger.core import item_of  # noqa: E402

GROUPS = ["fighters", "foreign fighters", "civilians", "security forces", "people", "refugees and displaced",
          "children", "detainees", "protesters", "migrants"]
STATUSES = ["killed", "wounded", "present", "leaving", "joining", "detained", "returned", "other"]
PLACES = [None, None, "orvik", "tarsk", "brezan", "lisk", "velmora", "dunmore", "port brezan", "north orvik"]
SURNAMES = [f"name{i}" for i in range(1500)]
HEADS = ["official", "source", "commander", "resident", "activist", "diplomat", "officer", "witness"]


def synthetic_rows(n: int, seed: int) -> list[dict]:
    rnd = random.Random(seed)
    start = date(2021, 1, 1)
    rows: list[dict] = []
    claim_no = 0
    while len(rows) < n:
        claim_no += 1
        kind = rnd.random()
        if kind < 0.5:
            s = rnd.choice(SURNAMES)
            block, toks = f"named:{s}", {s, rnd.choice(["a", "b", "c"]) + "first"}
        elif kind < 0.8:
            h = rnd.choice(HEADS)
            block, toks = f"anon:{h}", {rnd.choice(["security", "military", "senior", "local", "rebel"])}
        else:
            block, toks = f"reporter:outlet{rnd.randrange(300)}.test", set()
        low = rnd.choice([rnd.randrange(1, 100), rnd.randrange(100, 10000), rnd.randrange(1, 30)])
        high = rnd.choice([low, low, None, low * 2])
        group, status, place = rnd.choice(GROUPS), rnd.choice(STATUSES), rnd.choice(PLACES)
        day0 = start + timedelta(days=rnd.randrange(3 * 365))
        quote = f"we saw {low} {group} {status} near {place} said the source number {claim_no}" if rnd.random() < 0.4 else None
        reports = min(1 + int(rnd.expovariate(1 / 3)), 40)
        for k in range(reports):
            day = day0 + timedelta(days=int(rnd.expovariate(1 / 5)))
            dropped = set(toks) if rnd.random() < 0.8 else {t for t in toks if not t.endswith("first")}
            rows.append({
                "article_id": f"{claim_no:07d}{k:03d}", "count_id": "C1", "canonical_id": f"{claim_no:07d}{k:03d}",
                "copy_of": None, "source_block": block, "source_tokens": " ".join(sorted(dropped)),
                "low": low, "high": high, "group_key": group, "status": status,
                "place_key": place if rnd.random() < 0.8 else None, "time_from": None, "time_to": None,
                "published": day, "quote": quote, "text": f"{low} {group}", "start_char": rnd.randrange(2000),
            })
            if len(rows) >= n:
                break
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--window", type=int, default=WINDOW_DAYS)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = synthetic_rows(args.n, args.seed)
    t1 = time.perf_counter()
    items = [item_of(r) for r in rows]
    t2 = time.perf_counter()
    claims = cluster(items, args.window)
    t3 = time.perf_counter()
    sizes = sorted((len(c) for c in claims), reverse=True)
    print(f"synthetic figures:        {len(rows):,} (made in {t1 - t0:.1f} s, not counted)")
    print(f"claims found:             {len(claims):,} (largest {sizes[0]}, cited more than once: "
          f"{sum(1 for s in sizes if s > 1):,})")
    print(f"rows -> items:            {t2 - t1:.2f} s")
    print(f"clustering:               {t3 - t2:.2f} s")
    total = t3 - t1
    print(f"total:                    {total:.2f} s  ({len(rows) / total:,.0f} figures/s; limit 60 s: "
          f"{'OK' if total < 60 else 'TOO SLOW'})")


if __name__ == "__main__":
    main()
