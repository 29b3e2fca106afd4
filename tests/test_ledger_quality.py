"""Clustering quality on the labeled claim pairs (tests/data/ledger_pairs.json, docs/ledger.md):
precision and recall of the *same claim* label, pinned."""

from __future__ import annotations

from pathlib import Path

from sourcebook.ledger.evaluate import evaluate_pairs, load_pairs

PAIRS = Path(__file__).resolve().parent / "data" / "ledger_pairs.json"


def test_labeled_pairs_precision_and_recall():
    data = load_pairs(PAIRS)
    assert len(data["pairs"]) >= 40
    assert sum(p["same"] for p in data["pairs"]) >= 12 and sum(not p["same"] for p in data["pairs"]) >= 20
    res = evaluate_pairs(data)
    assert res["missing"] == [], res["missing"]  # every referenced figure was extracted
    assert res["precision"] >= 0.9 and res["recall"] >= 0.9, res["errors"]
