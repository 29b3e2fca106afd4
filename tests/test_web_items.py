"""The events, places, dates and map pages (TestClient): filters, review round trips through the
forms, the review log naming what was reviewed, and the reviewed values in the exports.  The article
is invented and extracted with the real model."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from sourcebook import extract
from sourcebook import review as R
from sourcebook.store import Store
from sourcebook.web import create_app

# invented
TEXT = ("Government forces shelled the town of Aleppo in Syria on Monday, killing at least 12 civilians, the "
        "Syrian Observatory for Human Rights said.\n\nRebels attacked an army checkpoint near Homs on Tuesday, and "
        "40 fighters were detained, a security official said.\n\nThe foreign minister met his Turkish counterpart "
        "in Ankara last week to discuss a ceasefire, the ministry said.\n")


@pytest.fixture(scope="module")
def rec():
    return extract(TEXT, published="2016-03-03", title="Shelling in Aleppo (invented)",
                   url="https://www.example.org/aleppo")


@pytest.fixture
def client(db_url, rec):
    with Store(db_url) as st:
        st.write(rec)
        with TestClient(create_app(store=st, user="tester"), base_url="http://127.0.0.1") as c:
            c.store = st
            yield c


def _csrf(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([0-9a-f]+)">', page).group(1)


def _post(client, csrf, kind, aid, item, action, **fields):
    data = {"csrf": csrf, "kind": kind, "article_id": aid, "item_id": item, "action": action, "next": f"/{kind}s"}
    data.update(fields)
    return client.post("/review", data=data, follow_redirects=False)


def test_pages_list_items_with_their_sentence_and_filter(client, rec):
    events = client.get("/events").text
    assert events.count('data-testid="event-row"') == len(rec.events)
    assert "Shelling in Aleppo (invented)" in events and "<mark>shelled</mark>" in events
    shelled = next(e for e in rec.events if e.text == "shelled")
    only = client.get(f"/events?type={shelled.type}&actor=forces").text
    assert f'data-item="{shelled.id}"' in only
    assert 'data-testid="event-row"' not in client.get("/events?type=PROTEST").text
    places = client.get("/places?country=SY").text
    assert {"Aleppo", "Homs"} <= set(re.findall(r'data-testid="name">([^<]+)<', places))
    assert "Ankara" not in places
    dates = client.get("/dates?resolved=yes").text
    assert "Monday" in dates and "last week" in dates
    assert client.get("/dates?precision=week").text.count('data-testid="date-row"') == sum(
        1 for d in rec.dates if d.precision == "week")
    for url in ("/events?page=99", "/places?since=nonsense&page=x", "/dates?until=2099-01-01"):
        assert client.get(url).status_code == 200


def test_review_round_trip_for_an_event_a_place_and_a_date(client, rec):
    store: Store = client.store
    shelled = next(e for e in rec.events if e.text == "shelled")
    form = client.get(f"/correct/event/{rec.id}/{shelled.id}?next=/events")
    assert form.status_code == 200 and "<mark>shelled</mark>" in form.text
    csrf = _csrf(form.text)
    r = _post(client, csrf, "event", rec.id, shelled.id, "correct", set_actor="Syrian Arab Army",
              set_type=shelled.type, set_country="SY", set_from="2016-02-29", set_to="2016-02-29",
              note="the monitor's report")
    assert r.status_code == 303
    row = next(x for x in store.events(article=rec.id) if x["event_id"] == shelled.id)
    assert row["actor_name"] != "Syrian Arab Army"  # the extracted row is never changed ...
    page = client.get("/events?decision=corrected").text  # ... the page shows the correction
    assert "Syrian Arab Army" in page and 'class="was"' in page

    homs = next(p for p in rec.places if p.text == "Homs")
    assert _post(client, csrf, "place", rec.id, homs.id, "reject").status_code == 303
    assert f'data-item="{homs.id}"' not in client.get("/places").text
    monday = next(d for d in rec.dates if d.text == "Monday")
    assert _post(client, csrf, "date", rec.id, monday.id, "correct", set_from="2016-02-28", set_to="2016-02-28",
                 set_precision="day").status_code == 303
    assert "2016-02-28" in client.get("/dates?decision=corrected").text

    log = client.get("/reviews").text  # the log names what was reviewed, and the article by its title
    for words in (f"{shelled.type}: shelled", "Homs", "Monday", "Shelling in Aleppo (invented)", "tester"):
        assert words in log, words
    assert [(x["kind"], x["action"]) for x in R.history(store, article_id=rec.id)] == [
        ("date", "correct"), ("place", "reject"), ("event", "correct")]
    # the exports read the reviewed values
    places_csv = list(csv.DictReader(io.StringIO(client.get("/export/places.csv").text)))
    assert homs.id not in {p["place_id"] for p in places_csv}
    events_csv = {e["event_id"]: e for e in csv.DictReader(io.StringIO(client.get("/export/events.csv").text))}
    assert events_csv[shelled.id]["actor_name"] == "Syrian Arab Army"
    assert events_csv[shelled.id]["time_from"] == "2016-02-29"


@pytest.mark.parametrize("kind, fields, message", [
    ("event", {"set_type": "BOMBARD"}, "type must be one of"),
    ("event", {"set_from": "2016-03-05", "set_to": "2016-03-01"}, "is after"),
    ("place", {"set_lat": "123"}, "lat must be between"),
    ("place", {"set_country": "XX"}, "not an ISO 3166-1"),
    ("date", {"set_from": "yesterday"}, "from must be a date"),
])
def test_bad_corrections_are_400_with_the_reason(client, rec, kind, fields, message):
    item = {"event": rec.events, "place": rec.places, "date": rec.dates}[kind][0].id
    csrf = _csrf(client.get("/events").text)
    r = _post(client, csrf, kind, rec.id, item, "correct", **fields)
    assert r.status_code == 400 and message in r.text


def test_the_map_draws_reviewed_places_offline(client, rec):
    page = client.get("/map")
    assert page.status_code == 200
    html = page.text
    assert '<img src="/map/world.svg"' in html and "<circle" in html
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from elsewhere
    aleppo = next(p for p in rec.places if p.text == "Aleppo")
    assert f"/places?name=Aleppo&amp;country={aleppo.country}" in html
    base = client.get("/map/world.svg")
    assert base.headers["content-type"].startswith("image/svg+xml") and base.text.count("<path") > 150
    R.review(client.store, "place", rec.id, aleppo.id, "reject", user="t")
    client.app.state.cache.invalidate()
    assert "Aleppo" not in client.get("/map").text.split('data-testid="map-places"')[1]
