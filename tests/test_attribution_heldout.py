"""Held-out attribution floors: `sourcebook eval` on tests/data/attribution_heldout.

The 16 invented articles there were written and annotated before the system was run on them
(see tests/data/attribution_heldout/README.md and docs/heldout.md), so these scores measure how the
attribution rules carry over to text they were not written on.  The floors sit about 0.03 under
the values measured when the set was made (docs/heldout.md, "Numbers"); raise them as the scores
rise, and never lower them by editing the gold to agree with the system.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sourcebook.evaluate import evaluate_paths

HELDOUT = Path(__file__).resolve().parent / "data" / "attribution_heldout"

# measured when the set was made: quotes F1 0.887, end-to-end F1 0.814, sources F1 0.883,
# anonymity flag 0.976 (81/83), reason recall 0.778 (7/9), counts F1 0.966
FLOORS = {  # raised to just under the scores of 2026-12-07 (see docs/heldout.md)
    "quotes_f1": 0.92,
    "end_to_end_f1": 0.86,
    "sources_f1": 0.90,
    "anonymous_accuracy": 0.97,
    "reason_recall": 0.85,
    "counts_f1": 0.95,
}


@pytest.fixture(scope="module")
def heldout():
    return evaluate_paths([str(HELDOUT)])["gold"]


def test_heldout_set_is_complete_and_every_gold_string_is_found(heldout):
    texts = sorted(HELDOUT.glob("*.txt"))
    golds = sorted(HELDOUT.glob("*.json"))
    assert len(texts) == len(golds) == 16
    assert heldout["files"] == 16
    assert heldout["gold_errors"] == [], heldout["gold_errors"]
    for g in golds:
        data = json.loads(g.read_text(encoding="utf-8"))
        assert data["article"]["invented"] is True
        lines = (HELDOUT / Path(data["article"]["file"]).name).read_text(encoding="utf-8").splitlines()
        assert lines[1].startswith("[Invented article"), g.name


def test_heldout_quotes(heldout):
    assert heldout["quotes"]["f1"] >= FLOORS["quotes_f1"]
    assert heldout["end_to_end"]["f1"] >= FLOORS["end_to_end_f1"]


def test_heldout_sources(heldout):
    src = heldout["sources"]
    assert src["f1"] >= FLOORS["sources_f1"]
    assert src["anonymous_accuracy"] >= FLOORS["anonymous_accuracy"]
    assert src["reason_gold"] == 9
    assert src["reason_recall"] >= FLOORS["reason_recall"]


def test_heldout_counts(heldout):
    assert heldout["counts"]["f1"] >= FLOORS["counts_f1"]
