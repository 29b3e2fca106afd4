"""The public API contract: holds whatever the quality of attribution is."""

from __future__ import annotations

import json

import pytest

import sourcebook
from sourcebook import InputError, Record
from sourcebook.read import Skip
from sourcebook.record import article_id

ARTICLE = (
    '"We will not leave our homes," said Maria Okafor, a spokeswoman for the regional ministry '
    "of interior. At least 120 fighters had crossed the river by Tuesday, according to a security "
    "official who spoke on condition of anonymity because he was not authorized to brief reporters. "
    "Dozens more, he said, were waiting in the forest."
)

SHORT = [
    '"The road is closed," the commander said on Monday.',
    "About 3,000 people have fled the town, according to the relief office.",
    "A lawyer said 37 families had not heard from their relatives.",
    '"They are coming home," she said, "but they will be questioned."',
]


def spans_of(obj) -> list[dict]:
    """Every object in a record dict with int ``start``/``end`` and str ``text``, however deeply nested
    (mentions, reasons, cues, quotes, counts and their place/time, events and their actors, places, dates)."""
    out = []
    if isinstance(obj, dict):
        if isinstance(obj.get("start"), int) and isinstance(obj.get("end"), int) and isinstance(obj.get("text"), str):
            out.append(obj)
        for key, value in obj.items():
            if key != "text":
                out.extend(spans_of(value))
    elif isinstance(obj, list):
        for value in obj:
            out.extend(spans_of(value))
    return out


@pytest.fixture(scope="module")
def record() -> Record:
    return sourcebook.extract(ARTICLE, published="2014-02-25", url="https://example.org/a", title="T")


def test_extract_returns_a_sourcebook_1_record(record):
    assert isinstance(record, Record)
    d = record.to_dict()
    assert d["schema"] == sourcebook.SCHEMA == "sourcebook/1"
    assert d["text"] == ARTICLE
    assert d["published"] == "2014-02-25"
    assert d["url"] == "https://example.org/a" and d["title"] == "T"
    assert d["id"] == article_id(ARTICLE)
    assert "model" in d["extractors"] and d["extractors"]["sourcebook"] == sourcebook.__version__
    json.dumps(d)  # plain JSON types only


def test_every_span_points_into_the_text(record):
    text = record.text
    spans = spans_of(record.to_dict())
    n_items = sum(len(getattr(record, k)) for k in ("quotes", "counts", "events", "places", "dates"))
    assert len(spans) >= n_items
    for span in spans:
        assert text[span["start"] : span["end"]] == span["text"]


def test_every_span_points_into_the_text_of_the_sample_corpus():
    from sourcebook.demo import sample_articles

    for rec in sourcebook.extract_many(sample_articles()):
        for span in spans_of(rec.to_dict()):
            assert rec.text[span["start"] : span["end"]] == span["text"], (rec.title, span)


def test_quote_sources_exist(record):
    ids = {s.id for s in record.sources} | {sourcebook.REPORTER}
    assert all(q.source in ids for q in record.quotes)
    assert all(c.source in ids for c in record.counts)
    assert all(e.source in ids for e in record.events)


def test_record_round_trips_through_dict(record):
    d = record.to_dict()
    again = Record.from_dict(json.loads(json.dumps(d)))
    assert again == record
    assert again.to_dict() == d


def test_from_dict_refuses_other_schemas(record):
    d = record.to_dict()
    d["schema"] = "something/9"
    with pytest.raises(ValueError):
        Record.from_dict(d)


def test_extract_many_keeps_order_and_count():
    recs = list(sourcebook.extract_many(SHORT))
    assert len(recs) == len(SHORT)
    assert [r.text for r in recs] == SHORT
    assert all(isinstance(r, Record) for r in recs)


def test_extract_many_accepts_dicts_and_tuples():
    items = [
        {"text": SHORT[0], "published": "2014-02-25", "url": "https://example.org/1", "title": "one"},
        (SHORT[1], {"published": "2015-01-02", "title": "two"}),
        (SHORT[2],),
        SHORT[3],
    ]
    recs = list(sourcebook.extract_many(items))
    assert [r.text for r in recs] == SHORT
    assert (recs[0].published, recs[0].url, recs[0].title) == ("2014-02-25", "https://example.org/1", "one")
    assert (recs[1].published, recs[1].title) == ("2015-01-02", "two")
    assert recs[2].published is None and recs[3].published is None


def test_on_error_skip_yields_a_skip_and_goes_on():
    items = [SHORT[0], "", {"text": "   \n "}, SHORT[1]]
    out = list(sourcebook.extract_many(items, on_error="skip"))
    assert len(out) == 4
    assert isinstance(out[0], Record) and out[0].text == SHORT[0]
    assert isinstance(out[1], Skip) and out[1].reason == "empty"
    assert isinstance(out[2], Skip) and out[2].reason == "empty"
    assert isinstance(out[3], Record) and out[3].text == SHORT[1]
    assert out[1].origin != out[2].origin


def test_on_error_raise_raises_input_error():
    with pytest.raises(InputError):
        list(sourcebook.extract_many([SHORT[0], ""], on_error="raise"))
    with pytest.raises(InputError):
        sourcebook.extract("")


def test_on_error_must_be_known():
    with pytest.raises(ValueError):
        list(sourcebook.extract_many(SHORT, on_error="ignore"))


def test_published_must_be_iso():
    with pytest.raises(InputError) as info:
        sourcebook.extract(SHORT[0], published="25/02/2014")
    assert info.value.reason == "bad_date"
    out = list(sourcebook.extract_many([{"text": SHORT[0], "published": "yesterday"}], on_error="skip"))
    assert isinstance(out[0], Skip) and out[0].reason == "bad_date"
    assert sourcebook.extract(SHORT[0], published="2014-02-25").published == "2014-02-25"


def test_n_process_2_gives_the_same_records():
    # Three rounds of the four texts, so that more than one batch goes to the workers.
    items = [{"text": t, "title": f"{i}"} for i, t in enumerate(SHORT * 3)]
    one = [r.to_dict() for r in sourcebook.extract_many(items, n_process=1)]
    two = [r.to_dict() for r in sourcebook.extract_many(items, n_process=2, batch_size=1)]
    assert len(two) == len(items)
    assert two == one


def test_article_id_is_stable_across_white_space():
    a = sourcebook.extract("About 3,000 people  fled\n\nthe town, officials said.")
    b = sourcebook.extract("About 3,000 people fled the town, officials said.")
    c = sourcebook.extract("About 3,000 people fled the city, officials said.")
    assert a.id == b.id == article_id(" About 3,000 people fled the town, officials said.\n")
    assert len(a.id) == 16
    assert a.id != c.id
