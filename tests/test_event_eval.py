"""Scores on the public gold sets (slow: the model runs over every sentence and article)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcebook.evaluate.events import evaluate_petrarch, load_cameo2plover, plover_of
from sourcebook.evaluate.places import evaluate_toponyms, haversine_km

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
PETRARCH = SHARED / "events" / "UP_PETR2_GSR_validation.xml"
TABLE = SHARED / "events" / "CAMEO2PLOVER-2021.txt"
TOPONYMS = SHARED / "places" / "TR-News.xml"


def test_cameo_to_plover_table():
    if not TABLE.is_file():
        pytest.skip("shared eval data not available")
    t = load_cameo2plover(TABLE)
    assert plover_of("173", t)[0] == "COERCE"
    assert plover_of("1384", t)[0] == "THREATEN"
    assert plover_of("141", t)[0] == "PROTEST"
    assert plover_of("0841", t) == ("RETREAT", "release")
    assert plover_of("015", t) is None  # statements have no PLOVER type


def test_haversine():
    assert abs(haversine_km(51.5, -0.13, 48.86, 2.35) - 343) < 5


@pytest.mark.slow
def test_petrarch_event_type_accuracy_floor():
    if not PETRARCH.is_file():
        pytest.skip("shared eval data not available")
    r = evaluate_petrarch(PETRARCH)
    assert r["type_accuracy"] >= 0.70  # measured 0.732
    assert r["actor_country_match"] >= 0.60  # measured 0.635
    assert r["recipient_country_match"] >= 0.40  # measured 0.423


@pytest.mark.slow
def test_tr_news_toponym_floors():
    if not TOPONYMS.is_file():
        pytest.skip("shared eval data not available")
    r = evaluate_toponyms(TOPONYMS)
    assert r["recall"] >= 0.80  # measured 0.827
    assert r["precision"] >= 0.83  # measured 0.859
    assert r["accuracy_161km"] >= 0.82  # measured 0.840
