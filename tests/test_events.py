"""Events on the seed article: what issue 6 names, computed by the system at test time."""

from __future__ import annotations

from pathlib import Path

import pytest

import sourcebook

SEED = Path("corpus") / "seed-foreign-fighters-leaving-syria.txt"


@pytest.fixture(scope="module")
def seed(shared_dir):
    return sourcebook.extract((shared_dir / SEED).read_text(encoding="utf-8"), published="2014-02-25")


def _events(rec, type_, trigger=None):
    return [e for e in rec.events if e.type == type_ and (trigger is None or e.text.lower().startswith(trigger))]


def test_every_event_points_into_the_text(seed):
    assert seed.events
    for e in seed.events:
        assert seed.text[e.start:e.end] == e.text
        assert e.extractor == "sourcebook_events_v2"
        for role in (e.actor, e.recipient):
            if role:
                assert seed.text[role["start"]:role["end"]] == role["text"]
        if e.source != sourcebook.REPORTER:
            assert seed.source(e.source) is not None


def test_protests_against_isis(seed):
    ev = _events(seed, "PROTEST")
    assert any(e.actor and e.actor["normalized"] == "protesters" and e.recipient
               and e.recipient["normalized"] == "Islamic State" for e in ev)


def test_rebel_offensives_against_isis(seed):
    ev = _events(seed, "ASSAULT", "offensive")
    assert any(e.actor and e.actor["normalized"] == "rebels" and e.recipient
               and e.recipient["normalized"] == "Islamic State" for e in ev)
    # "launched offensives against it": the pronoun takes its antecedent
    assert any(e.recipient and e.recipient["text"] == "it" and e.recipient["normalized"] == "Islamic State" for e in ev)


def test_nusra_ultimatum_on_monday(seed):
    ev = _events(seed, "THREATEN")
    assert len([e for e in ev if "ultimatum" in e.text]) == 1
    assert not [e for e in ev if e.text.startswith("threaten")]  # "threatening to expel": one event
    e = next(e for e in ev if "ultimatum" in e.text)
    assert e.actor["normalized"] == "Jabhat al-Nusra"
    assert e.recipient["normalized"] == "Islamic State"
    assert e.time["from"] == e.time["to"] == "2014-02-24"
    assert e.mode == "expel"
    assert not e.hypothetical


def test_commanders_executing_fighters(seed):
    ev = _events(seed, "ASSAULT", "execut")
    assert ev
    e = ev[0]
    assert e.actor["normalized"] == "commanders"
    assert "fighters" in e.recipient["text"]
    # the opposition coordinator says so: the event's source is his
    assert e.source != sourcebook.REPORTER and e.quote is not None


def test_arrests_of_returnees_by_belgium_uk_tunisia(seed):
    ev = [e for e in _events(seed, "COERCE", "arrest") if e.mode == "arrest" and e.actor]
    actors = {e.actor["country"] for e in ev if e.actor.get("country")}
    assert {"BEL", "GBR", "TUN"} <= actors
    for e in ev:
        if e.actor.get("country") in ("BEL", "GBR", "TUN"):
            assert "returning from Syria" in e.recipient["text"]
            assert not e.negated and not e.hypothetical


def test_negated_and_hypothetical(seed):
    assert [e for e in _events(seed, "COERCE", "arrested") if e.negated]  # "without being arrested"
    assert any(e.hypothetical for e in seed.events if e.type == "COERCE" and e.text == "arrest")  # "if they try"


def test_record_round_trip_keeps_events_places_dates(seed):
    d = seed.to_dict()
    back = sourcebook.Record.from_dict(d)
    assert [e.to_dict() for e in back.events] == d["events"]
    assert [p.to_dict() for p in back.places] == d["places"]
    assert [t.to_dict() for t in back.dates] == d["dates"]
