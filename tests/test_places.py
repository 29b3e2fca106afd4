"""Places: offline gazetteer resolution, transliterations, disambiguation, offsets."""

from __future__ import annotations

import pytest

import sourcebook
from sourcebook.nlp import places


@pytest.mark.parametrize("name", ["Deir al-Zour", "Deir ez-Zor", "Dayr az Zawr", "Deir el-Zor"])
def test_transliterations_of_deir_ez_zor(name):
    e = places.resolve_name(name, ["SY"])
    assert e is not None and e.country == "SY"
    assert abs(e.lat - 35.3) < 0.5 and abs(e.lon - 40.1) < 0.5


@pytest.mark.parametrize("name", ["Raqqa", "Ar Raqqah", "Raqqah"])
def test_transliterations_of_raqqa(name):
    e = places.resolve_name(name)
    assert e is not None and e.country == "SY" and e.feature == "city"


def test_homs_is_in_syria_not_libya():
    assert places.resolve_name("Homs").country == "SY"
    assert places.resolve_name("Homs", ["SY", "TR"]).country == "SY"


def test_context_decides_georgia():
    assert places.resolve_name("Georgia").country == "GE"
    assert places.resolve_name("Georgia", ["US"]).country == "US"


def test_normal_form():
    assert places.norm("Deir al-Zour") == places.norm("deir zour")
    assert places.norm("Ḩimş") == "hims"


def test_article_places_and_dates():
    text = ("Government forces shelled rebel districts in Homs on Monday. Activists in Deir ez-Zor said government "
            "forces "
            "arrested dozens in Raqqa last week, while Turkish officials closed the border near Aleppo.")
    rec = sourcebook.extract(text, published="2014-02-25")
    got = {p.text: p for p in rec.places}
    for p in rec.places:
        assert rec.text[p.start:p.end] == p.text
        assert p.extractor == "sourcebook_places_v2"
    assert got["Homs"].country == "SY"
    assert got["Deir ez-Zor"].country == "SY"
    assert got["Raqqa"].name == "Ar Raqqah"
    assert got["Turkish"].kind == "demonym" and got["Turkish"].country == "TR"
    monday = next(t for t in rec.dates if t.text == "Monday")
    assert (monday.from_date, monday.to_date, monday.precision) == ("2014-02-24", "2014-02-24", "day")
    for t in rec.dates:
        assert rec.text[t.start:t.end] == t.text


def test_places_alone_find_what_the_whole_pipeline_finds():
    """The toponym evaluation runs places alone (no parse): the same places, and nothing else."""
    import pytest

    from sourcebook.api import extract_many
    from sourcebook.nlp import pipeline

    texts = ["Shelling hit Idlib province and the outskirts of Aleppo, Syria, on Monday.",
             "Officials in Kingston, Ontario, and London said the flights to Far North Queensland resumed."]
    full = list(extract_many(texts))
    alone = list(extract_many(texts, only=("sourcebook_places_v2",)))
    assert [r.to_dict()["places"] for r in alone] == [r.to_dict()["places"] for r in full]
    assert all(r.places for r in alone) and not any(r.quotes or r.events for r in alone)
    assert "sourcebook_attribution_v2" not in alone[0].extractors and "sourcebook_places_v2" in alone[0].extractors
    with pytest.raises(ValueError, match="alone"):
        pipeline.get_nlp(only=("sourcebook_counts_v3",))
