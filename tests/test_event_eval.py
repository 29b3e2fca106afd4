"""Scores on the public gold sets (slow: the model runs over every sentence and article)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sourcebook.evaluate.events import evaluate_petrarch, load_cameo2plover, plover_of
from sourcebook.evaluate.places import evaluate_toponyms, haversine_km, load_toponyms, score_places


@pytest.fixture
def eval_dir(shared_dir: Path) -> Path:
    return shared_dir / "eval"


def test_cameo_to_plover_table(eval_dir):
    t = load_cameo2plover(eval_dir / "events" / "CAMEO2PLOVER-2021.txt")
    assert plover_of("173", t)[0] == "COERCE"
    assert plover_of("1384", t)[0] == "THREATEN"
    assert plover_of("141", t)[0] == "PROTEST"
    assert plover_of("0841", t) == ("RETREAT", "release")
    assert plover_of("015", t) is None  # statements have no PLOVER type


def test_haversine():
    assert abs(haversine_km(51.5, -0.13, 48.86, 2.35) - 343) < 5


@pytest.mark.slow
def test_petrarch_event_type_accuracy_floor(eval_dir):
    r = evaluate_petrarch(eval_dir / "events" / "UP_PETR2_GSR_validation.xml")
    assert r["type_accuracy"] >= 0.80  # measured 0.817 (issue 17)
    assert r["actor_country_match"] >= 0.62  # measured 0.655
    assert r["recipient_country_match"] >= 0.47  # measured 0.500


@pytest.mark.slow
def test_tr_news_toponym_floors(eval_dir):
    r = evaluate_toponyms(eval_dir / "places" / "TR-News.xml")
    assert r["recall"] >= 0.88  # measured 0.908
    assert r["precision"] >= 0.83  # measured 0.848
    assert r["accuracy_161km"] >= 0.88  # measured 0.884 (issue 17 target 0.88; 0.858 before)


@pytest.mark.slow
def test_geowebnews_toponym_floors(eval_dir):
    r = evaluate_toponyms(eval_dir / "places" / "GeoWebNews.xml")
    assert r["gold_toponyms"] > 2500 and set(r["by_group"]) == {"literal", "associative"}
    assert r["recall"] >= 0.80  # measured 0.820
    assert r["accuracy_161km"] >= 0.87  # measured 0.874 (0.862 before the TR-News fixes)


# An invented two-article file in the GeoWebNews layout (texts written for this test).
_GWN = """<?xml version="1.0" ?>
<articles>
  <article file="0"><title>t</title><link>l</link>
    <text>Rain fell on Lyon. The Lyon Choir sang. Holland said so.</text>
    <toponyms>
      <toponym><extractedName>Lyon</extractedName><normalisedName>Lyon</normalisedName><type>Literal</type>
        <modifierType/><nonLocational>No</nonLocational><start>13</start><end>17</end>
        <geonamesID>2996944</geonamesID><latitude>45.75</latitude><longitude>4.85</longitude></toponym>
      <toponym><extractedName>Lyon</extractedName><normalisedName>Lyon</normalisedName>
        <type>Embedded_Non_Lit</type><modifierType>Noun</modifierType><nonLocational>No</nonLocational>
        <start>23</start><end>27</end><geonamesID>2996944</geonamesID><latitude>45.75</latitude>
        <longitude>4.85</longitude></toponym>
      <toponym><extractedName>Holland</extractedName><normalisedName/><type>Homonym</type><modifierType/>
        <nonLocational>No</nonLocational><start>40</start><end>47</end></toponym>
      <toponym><extractedName>Rain</extractedName><normalisedName/><type>Non_Lit_Expression</type><modifierType/>
        <nonLocational>Yes</nonLocational><start>0</start><end>4</end></toponym>
    </toponyms>
  </article>
</articles>
"""


def test_geowebnews_layout_types_and_scores(tmp_path):
    path = tmp_path / "gwn.xml"
    path.write_text(_GWN, encoding="utf-8")
    arts, stats = load_toponyms(path)
    assert [t["type"] for t in arts[0]["toponyms"]] == ["Literal", "Embedded_Non_Lit", "Homonym", "Non_Lit_Expression"]
    assert stats["realigned"] == 0 and stats["unaligned"] == 0
    lyon = {"start": 13, "end": 17, "text": "Lyon", "lat": 45.76, "lon": 4.84, "geonameid": None}
    holland = {"start": 40, "end": 47, "text": "Holland", "lat": 52.0, "lon": 5.0, "geonameid": None}
    r = score_places(arts, [{"places": [lyon, holland]}])
    assert r["gold_toponyms"] == 2 and r["found"] == 1 and r["recall"] == 0.5
    assert r["precision"] == 0.5  # Holland (a person here) is a false alarm, not ignored
    assert r["by_type"]["Literal"]["correct_161km"] == 1 and r["by_type"]["Embedded_Non_Lit"]["found"] == 0
    assert r["by_group"]["associative"]["recall"] == 0.0
