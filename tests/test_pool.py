"""Quality floors on the pool set: 42 real articles annotated by hand before any system run
(tests/data/pool_gold, README there; the articles stay in ../shared/corpus/pool).

The first run of the new pipeline on them is recorded in docs/eval.md; fixes made after reading its
errors count as fitted, so these floors guard against regressions, not for generalization.  Raise them
as the scores rise."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcebook.evaluate import evaluate_paths

POOL = Path(__file__).parent / "data" / "pool_gold"


@pytest.fixture(scope="module")
def pool(shared_dir):
    res = evaluate_paths([str(POOL)])
    assert not res.get("warnings"), res.get("warnings")
    return res["gold"]


def test_pool_quotes_and_sources(pool):
    assert pool["files"] == 42
    assert pool["quotes"]["f1"] >= 0.91
    assert pool["end_to_end"]["f1"] >= 0.85
    assert pool["sources"]["f1"] >= 0.89
    assert pool["sources"]["anonymous_accuracy"] >= 0.99


def test_pool_anonymity_reasons(pool):
    s = pool["sources"]
    assert s["reason_gold"] == 5 and s["reason_recall"] >= 0.9


def test_pool_counts(pool):
    c = pool["counts"]
    assert c["f1"] >= 0.91
    assert c["status_accuracy"] >= 0.88
    assert c["origin_accuracy"] >= 0.94
    assert c["source_accuracy"] >= 0.85
