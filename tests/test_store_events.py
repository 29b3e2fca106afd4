"""Events, places and dates as tables (migration 0005): the rows ``Store.write`` makes from a real
extraction of the seed article, re-extraction and delete, the queries, export in every format, the
migration's backfill from ``articles.extra``, and the ``events`` / ``places`` commands as a user runs
them.  Every database test runs on SQLite and, with $SOURCEBOOK_TEST_PG, on PostgreSQL."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest
import sqlalchemy as sa

import sourcebook
from sourcebook.demo import sample_articles
from sourcebook.export import export
from sourcebook.record import REPORTER, Event, Place, Record, TimeRef
from sourcebook.store import Store, record_rows, resolve_url
from sourcebook.store import schema as S
from sourcebook.store.core import MIGRATIONS

SEED_PUBLISHED = "2014-02-25"


@pytest.fixture(scope="module")
def seed(shared_dir) -> Record:
    text = (shared_dir / "corpus" / "seed-foreign-fighters-leaving-syria.txt").read_text(encoding="utf-8")
    rec = sourcebook.extract(text, published=SEED_PUBLISHED, url="https://example.org/seed", title="Seed")
    # what the tests below rely on: the seed has all three kinds of items, some resolved
    assert rec.events and rec.places and rec.dates
    assert any(p.lat is not None for p in rec.places) and any(t.from_date for t in rec.dates)
    assert any(e.time for e in rec.events) and any(e.place for e in rec.events)
    return rec


@pytest.fixture(scope="module")
def sample() -> Record:
    return next(iter(sourcebook.extract_many(sample_articles()[:1])))


@pytest.fixture
def store(db_url):
    with Store(db_url) as st:
        yield st


def _rows(store: Store, table: sa.Table, article_id: str) -> dict[str, dict]:
    pk = [c for c in table.primary_key.columns if c.name != "article_id"][0]
    with store.engine.connect() as conn:
        got = conn.execute(sa.select(table).where(table.c.article_id == article_id)).mappings().all()
    return {r[pk.name]: dict(r) for r in got}


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def check_rows_match(store: Store, rec: Record) -> None:
    """The rows of ``rec`` in events, places and dates hold exactly its items, field by field."""
    ver = rec.extractors
    events = _rows(store, S.events, rec.id)
    assert sorted(events) == sorted(e.id for e in rec.events)
    for e in rec.events:
        r = events[e.id]
        assert (r["start_char"], r["end_char"], r["text"]) == (e.start, e.end, e.text)
        assert rec.text[r["start_char"]:r["end_char"]] == r["text"]
        assert (r["type"], r["mode"], r["source_id"], r["quote_id"]) == (e.type, e.mode, e.source, e.quote)
        assert (r["actor"], r["recipient"], r["place"], r["time"]) == (e.actor, e.recipient, e.place, e.time)
        assert r["negated"] is e.negated and r["hypothetical"] is e.hypothetical
        actor, recipient, place, time = (x or {} for x in (e.actor, e.recipient, e.place, e.time))
        assert (r["actor_name"], r["actor_country"], r["actor_code"]) == (
            actor.get("normalized"), actor.get("country"), actor.get("code"))
        assert (r["recipient_name"], r["recipient_country"], r["recipient_code"]) == (
            recipient.get("normalized"), recipient.get("country"), recipient.get("code"))
        assert (r["place_id"], r["place_country"], r["time_id"]) == (place.get("id"), place.get("country"),
                                                                     time.get("id"))
        assert (r["time_from"], r["time_to"]) == (_day(time.get("from")), _day(time.get("to")))
        assert r["extractor"] == e.extractor and r["extractor_version"] == ver[e.extractor]
    places = _rows(store, S.places, rec.id)
    assert sorted(places) == sorted(p.id for p in rec.places)
    for p in rec.places:
        r = places[p.id]
        assert rec.text[r["start_char"]:r["end_char"]] == r["text"] == p.text and r["start_char"] == p.start
        for f in ("kind", "name", "feature", "country", "geonameid", "population", "admin_code", "gazetteer",
                  "extractor"):
            assert r[f] == getattr(p, f), f
        for f in ("lat", "lon"):
            assert (r[f] is None) == (getattr(p, f) is None) and (r[f] is None or r[f] == pytest.approx(getattr(p, f)))
        assert r["extractor_version"] == ver[p.extractor]
    dates = _rows(store, S.dates, rec.id)
    assert sorted(dates) == sorted(t.id for t in rec.dates)
    for t in rec.dates:
        r = dates[t.id]
        assert rec.text[r["start_char"]:r["end_char"]] == r["text"] == t.text and r["end_char"] == t.end
        assert (r["from_date"], r["to_date"], r["precision"]) == (_day(t.from_date), _day(t.to_date), t.precision)
        assert r["extractor"] == t.extractor and r["extractor_version"] == ver[t.extractor]


# --------------------------------------------------------------------------- the write path


def test_write_stores_every_event_place_and_date_of_the_record(store, seed):
    assert store.write(seed) == "ingested"
    check_rows_match(store, seed)
    sizes = store.table_sizes()
    assert (sizes["events"], sizes["places"], sizes["dates"]) == (len(seed.events), len(seed.places), len(seed.dates))
    # typed columns: coordinates are numbers, resolved dates are dates
    with store.engine.connect() as conn:
        lat = conn.execute(sa.select(S.places.c.lat).where(S.places.c.lat.is_not(None)).limit(1)).scalar_one()
        day = conn.execute(sa.select(S.dates.c.from_date).where(S.dates.c.from_date.is_not(None)).limit(1)).scalar_one()
        # an event without a place has SQL NULL there, not the JSON text null
        n_null = conn.execute(sa.select(sa.func.count()).select_from(S.events)
                              .where(S.events.c.place.is_(None))).scalar_one()
    assert isinstance(lat, float) and isinstance(day, date)
    assert n_null == sum(1 for e in seed.events if e.place is None)
    # extra still holds them (the web UI and Store.record read it), and the record round-trips
    assert store.record(seed.id).to_dict() == seed.to_dict()
    assert store.incomplete_articles() == []


def test_reextraction_replaces_the_rows(store, seed, sample):
    store.write(seed)
    store.write(sample)
    other = {t: _rows(store, S.TABLES[t], sample.id) for t in ("events", "places", "dates")}
    changed = Record.from_dict(seed.to_dict())
    changed.events = changed.events[1:]
    changed.events[0].type, changed.events[0].negated = "PROTEST", not changed.events[0].negated
    changed.places = changed.places[:1]
    changed.dates = []
    assert store.write(changed, replace=True) == "reextracted"
    check_rows_match(store, changed)
    assert _rows(store, S.dates, seed.id) == {}
    assert {t: _rows(store, S.TABLES[t], sample.id) for t in other} == other  # the other article untouched
    assert store.incomplete_articles() == []
    assert store.write(seed, replace=True) == "reextracted"
    check_rows_match(store, seed)


def test_delete_removes_the_rows(store, seed, sample):
    store.write(seed)
    store.write(sample)
    assert store.delete(seed.id)
    for t in (S.events, S.places, S.dates):
        assert _rows(store, t, seed.id) == {}
    assert store.events(article=seed.id) == [] and store.places(article=seed.id) == []
    sizes = store.table_sizes()
    assert (sizes["events"], sizes["places"], sizes["dates"]) == (len(sample.events), len(sample.places),
                                                                  len(sample.dates))


def test_a_failed_write_leaves_no_rows(store, seed):
    bad = Record.from_dict(seed.to_dict())
    bad.places.append(Place.from_dict(bad.places[0].to_dict()))  # the same place id twice
    with pytest.raises(sa.exc.IntegrityError):
        store.write(bad)
    assert store.table_sizes() == {t: 0 for t in S.TABLES}


def test_incomplete_articles_compares_the_tables_with_extra(store, seed):
    store.write(seed)
    with store.engine.begin() as conn:
        conn.execute(S.dates.delete().where(S.dates.c.article_id == seed.id, S.dates.c.date_id == seed.dates[0].id))
    assert store.incomplete_articles() == [seed.id]


# --------------------------------------------------------------------------- queries


TEXT = "Rebels attacked Aleppo on 3 March. Police arrested protesters in Paris. Troops may shell Homs."


def _hand_made() -> Record:
    """A small record made by hand, so that every filter's answer is known."""
    def span(word: str) -> tuple[int, int, str]:
        i = TEXT.index(word)
        return i, i + len(word), word

    def place(pid: str, word: str, country: str, lat: float, lon: float) -> Place:
        return Place(pid, *span(word), name=word, feature="city", country=country, lat=lat, lon=lon,
                     extractor="sourcebook_places_v2")

    p1, p2, p3 = place("P1", "Aleppo", "SY", 36.2, 37.16), place("P2", "Paris", "FR", 48.85, 2.35), \
        place("P3", "Homs", "SY", 34.73, 36.71)
    t1 = TimeRef("T1", *span("3 March"), from_date="2024-03-03", to_date="2024-03-03", precision="day",
                 extractor="sourcebook_dates_v2")

    def where(p: Place) -> dict:
        return {"id": p.id, "text": p.text, "start": p.start, "end": p.end, "name": p.name, "country": p.country,
                "lat": p.lat, "lon": p.lon}

    def who(word: str, name: str, country: str | None, sector: str) -> dict:
        s, e, t = span(word)
        return {"text": t, "start": s, "end": e, "normalized": name, "country": country, "sector": sector,
                "code": (country or "---") + sector, "kind": "agent"}

    events = [
        Event("E1", *span("attacked"), type="ASSAULT", actor=who("Rebels", "rebels", "SYR", "REB"), place=where(p1),
              time={"id": "T1", "text": t1.text, "start": t1.start, "end": t1.end, "from": "2024-03-03",
                    "to": "2024-03-03", "precision": "day"}, extractor="sourcebook_events_v2"),
        Event("E2", *span("arrested"), type="COERCE", mode="arrest", actor=who("Police", "police", "FRA", "COP"),
              recipient=who("protesters", "protesters", None, "OPP"), place=where(p2),
              extractor="sourcebook_events_v2"),
        Event("E3", *span("shell"), type="ASSAULT", actor=who("Troops", "troops", None, "MIL"), place=where(p3),
              hypothetical=True, extractor="sourcebook_events_v2"),
    ]
    return Record(text=TEXT, published="2024-03-10", title="Hand made", events=events, places=[p1, p2, p3],
                  dates=[t1], extractors={"model": "m", "sourcebook_events_v2": "v1", "sourcebook_places_v2": "v1",
                                          "sourcebook_dates_v2": "v1"})


def _ids(rows) -> list[str]:
    return [r["event_id"] if "event_id" in r else r["place_id"] for r in rows]


def test_events_query_filters(store, seed):
    hand = _hand_made()
    store.write(hand)
    store.write(seed)
    assert store.events(article=hand.id, limit=None) == store.events(article=hand.id, limit=None, offset=0)
    assert _ids(store.events(article=hand.id, limit=None)) == ["E1", "E2", "E3"]  # text order
    assert _ids(store.events(article=hand.id, type="assault", limit=None)) == ["E1", "E3"]
    assert _ids(store.events(article=hand.id, country="sy", limit=None)) == ["E1", "E3"]  # where it happened
    assert _ids(store.events(article=hand.id, country="FRA", limit=None)) == ["E2"]  # the actor's country
    # dated by the resolved time (E1: 3 March), else the publication date (E2, E3: 10 March)
    assert _ids(store.events(article=hand.id, until="2024-03-05", limit=None)) == ["E1"]
    assert _ids(store.events(article=hand.id, since="2024-03-05", limit=None)) == ["E2", "E3"]
    assert _ids(store.events(article=hand.id, since=date(2024, 3, 3), until="2024-03-03", limit=None)) == ["E1"]
    assert _ids(store.events(article=hand.id, limit=1, offset=1)) == ["E2"]
    row = store.events(article=hand.id, type="COERCE")[0]
    assert row["title"] == "Hand made" and row["published"] == "2024-03-10" and row["source_id"] == REPORTER
    assert row["mode"] == "arrest" and row["recipient"]["normalized"] == "protesters" and row["time_from"] is None
    json.dumps(store.events(limit=None))  # plain values only
    # on the real extraction: every event of the seed, newest article first, and the filters hold
    seed_rows = store.events(article=seed.id, limit=None)
    assert sorted(_ids(seed_rows)) == sorted(e.id for e in seed.events)
    every = store.events(limit=None)
    assert [r["published"] for r in every] == sorted((r["published"] for r in every), reverse=True)
    for etype in {e.type for e in seed.events}:
        got = store.events(article=seed.id, type=etype, limit=None)
        assert sorted(_ids(got)) == sorted(e.id for e in seed.events if e.type == etype)
    ultimatum = next(e for e in seed.events if "ultimatum" in e.text)  # dated Monday 2014-02-24
    on_monday = store.events(article=seed.id, since="2014-02-24", until="2014-02-24", limit=None)
    assert ultimatum.id in _ids(on_monday) and all(r["time_from"] or r["time_to"] for r in on_monday)


def test_places_query_filters(store, seed):
    hand = _hand_made()
    store.write(hand)
    store.write(seed)
    assert _ids(store.places(article=hand.id, limit=None)) == ["P1", "P2", "P3"]
    assert _ids(store.places(article=hand.id, country="sy", limit=None)) == ["P1", "P3"]
    assert _ids(store.places(article=hand.id, name="PAR", limit=None)) == ["P2"]
    assert store.places(article=hand.id, kind="demonym") == []
    assert store.places(since="2024-03-11") == []
    assert {r["article_id"] for r in store.places(until="2014-02-25", limit=None)} == {seed.id}
    syria = store.places(article=seed.id, country="SY", limit=None)
    assert sorted(_ids(syria)) == sorted(p.id for p in seed.places if p.country == "SY") and syria
    assert all(isinstance(r["lat"], float) for r in syria if r["lat"] is not None)
    assert store.places(name="100%_") == []  # LIKE wildcards are literal


# --------------------------------------------------------------------------- export


def test_export_writes_events_places_and_dates_in_every_format(store, seed, tmp_path):
    import pyarrow.parquet as pq

    store.write(seed)
    n = {"events": len(seed.events), "places": len(seed.places), "dates": len(seed.dates)}
    for fmt in ("csv", "jsonl", "parquet"):
        done = export(store, tmp_path / fmt, fmt)  # every table, as the CLI does
        for name, rows in n.items():
            assert done[name]["rows"] == rows, (fmt, name)
    with open(tmp_path / "csv" / "events.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == list(S.events.c.keys())
    first = next(r for r in rows if r["event_id"] == seed.events[0].id)
    assert json.loads(first["actor"] or "null") == seed.events[0].actor
    assert first["negated"] in ("true", "false")
    with open(tmp_path / "jsonl" / "places.jsonl", encoding="utf-8") as f:
        places = {r["place_id"]: r for r in map(json.loads, f)}
    p = next(p for p in seed.places if p.lat is not None)
    assert places[p.id]["lat"] == pytest.approx(p.lat) and places[p.id]["country"] == p.country
    with open(tmp_path / "jsonl" / "events.jsonl", encoding="utf-8") as f:
        events = {r["event_id"]: r for r in map(json.loads, f)}
    timed = next(e for e in seed.events if e.time)
    assert events[timed.id]["time"] == timed.time and events[timed.id]["time_from"] == timed.time["from"]
    types = {name: {f.name: str(f.type) for f in pq.read_table(tmp_path / "parquet" / f"{name}.parquet").schema}
             for name in n}
    assert types["places"]["lat"] == "double" and types["places"]["population"] == "int64"
    assert types["events"]["time_from"] == "date32[day]" and types["events"]["negated"] == "bool"
    assert types["dates"]["from_date"] == "date32[day]"
    dates = pq.read_table(tmp_path / "parquet" / "dates.parquet").to_pylist()
    assert {d["date_id"]: d["from_date"] for d in dates} == {t.id: _day(t.from_date) for t in seed.dates}


# --------------------------------------------------------------------------- the migration


def _alembic(db_url: str, action: str, revision: str) -> None:
    from alembic import command
    from alembic.config import Config

    engine = sa.create_engine(resolve_url(db_url))
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            getattr(command, action)(cfg, revision)
    finally:
        engine.dispose()


def _head_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def test_upgrading_from_0004_fills_the_tables_from_extra(db_url, seed, sample):
    _alembic(db_url, "upgrade", "0004")
    engine = sa.create_engine(resolve_url(db_url))
    broken = Record(text="An article whose extra was edited by hand.", extractors={"model": "m"})
    with engine.begin() as conn:
        assert "events" not in sa.inspect(conn).get_table_names()
        # articles as a 0004 store wrote them: events, places and dates only in extra (the tables
        # written here have only the columns a 0004 store had: later revisions add some)
        insp = sa.inspect(conn)

        def as_0004(table, items):
            cols = {c["name"] for c in insp.get_columns(table.name)}
            return [{k: v for k, v in r.items() if k in cols} for r in items]

        for rec in (seed, sample, broken):
            rows = record_rows(rec)
            conn.execute(S.articles.insert(), as_0004(S.articles, [rows.article]))
            for table, items in ((S.sources, rows.sources), (S.source_mentions, rows.mentions),
                                 (S.quotes, rows.quotes), (S.counts, rows.counts)):
                if items:
                    conn.execute(table.insert(), as_0004(table, items))
        bad_extra = {"events": [], "places": [seed.places[0].to_dict(), seed.places[0].to_dict(), "not a place",
                                              {"id": "P9", "start": "x"}], "dates": None}
        conn.execute(S.articles.update().where(S.articles.c.id == broken.id).values(extra=bad_extra))
    engine.dispose()
    with Store(db_url) as st:  # opening runs 0005
        assert st.revision() == _head_revision()
        check_rows_match(st, seed)
        check_rows_match(st, sample)
        # the backfill made the rows the write path makes
        with st.engine.connect() as conn:
            for table, key in ((S.events, "events"), (S.places, "places"), (S.dates, "dates")):
                pk = list(table.primary_key.columns.keys())
                got = [dict(r) for r in conn.execute(sa.select(table).where(table.c.article_id == seed.id)).mappings()]
                got.sort(key=lambda r: tuple(r[c] for c in pk))
                want = sorted(getattr(record_rows(seed), key), key=lambda r: tuple(r[c] for c in pk))
                assert got == want, key
        # malformed items are left out (the first place once), and the article shows as incomplete
        assert list(_rows(st, S.places, broken.id)) == [seed.places[0].id]
        assert st.incomplete_articles() == [broken.id]
        assert st.events(article=seed.id, limit=None) and st.places(country="SY", limit=None)
    # and back down: the tables go, the articles stay
    _alembic(db_url, "downgrade", "0004")
    engine = sa.create_engine(resolve_url(db_url))
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        n = conn.execute(sa.select(sa.func.count()).select_from(S.articles)).scalar_one()
    engine.dispose()
    assert not {"events", "places", "dates"} & names and n == 3


# --------------------------------------------------------------------------- the commands


def test_events_and_places_commands(db_url, seed, cli):
    with Store(db_url) as st:
        st.write(seed)
        st.write(_hand_made())
        want_events = st.events(limit=None)
        want_places = st.places(country="SY", limit=None)
    proc = cli("events", "--db", db_url, "--json", "--limit", "0")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == want_events
    proc = cli("events", "--type", "coerce", "--country", "FRA", "--since", "2024-01-01", "--db", db_url, "--json")
    assert proc.returncode == 0 and _ids(json.loads(proc.stdout)) == ["E2"]
    proc = cli("events", "--since", "2014-02-24", "--until", "2014-02-24", "--db", db_url, "--json")
    assert proc.returncode == 0 and {r["article_id"] for r in json.loads(proc.stdout)} == {seed.id}
    proc = cli("events", "--db", db_url, "--limit", "3")
    assert proc.returncode == 0 and "Events (3+)" in proc.stdout and "ASSAULT" in proc.stdout
    proc = cli("places", "--country", "sy", "--limit", "0", "--db", db_url, "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == want_places
    proc = cli("places", "--name", "Paris", "--since", "2024-01-01", "--db", db_url)
    assert proc.returncode == 0 and "Places (1)" in proc.stdout and "48.85" in proc.stdout
    # bad input: one line, exit 2, no traceback
    for args in (("events", "--since", "last week"), ("events", "--until", "2024-13-01"),
                 ("places", "--since", "yesterday"), ("places", "--kind", "river")):
        proc = cli(*args, "--db", db_url)
        assert proc.returncode == 2, (args, proc.stdout, proc.stderr)
        assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
        assert args[1] in proc.stderr
    proc = cli("events", "--limit", "-1", "--db", db_url)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_dates_query_and_command(db_url, seed, cli):
    with Store(db_url) as st:
        st.write(seed)
        every = st.dates(limit=None)
        assert [d["date_id"] for d in every] == [t.id for t in sorted(seed.dates, key=lambda t: t.start)]
        resolved = [t for t in seed.dates if t.from_date or t.to_date]
        assert {d["date_id"] for d in st.dates(resolved=True, limit=None)} == {t.id for t in resolved}
        assert {d["date_id"] for d in st.dates(resolved=False, limit=None)} == {t.id for t in seed.dates} - {
            t.id for t in resolved}
        day = next(t for t in resolved if t.from_date)
        hits = st.dates(since=day.from_date, until=day.from_date, limit=None)
        assert day.id in {d["date_id"] for d in hits}
        for d in hits:  # every hit's interval reaches that day
            assert (d["from_date"] is None or str(d["from_date"]) <= day.from_date) and (
                d["to_date"] is None or str(d["to_date"]) >= day.from_date)
        assert all(d["to_date"] is None for d in st.dates(since="2099-01-01", limit=None))  # open-ended only
        want = st.dates(limit=None)
    proc = cli("dates", "--db", db_url, "--json", "--limit", "0")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == json.loads(json.dumps(want, default=str))
    proc = cli("dates", "--db", db_url, "--unresolved")
    assert proc.returncode == 0 and ("Dates (" in proc.stdout or "no dates found" in proc.stdout)
    for args in (("dates", "--since", "soon"), ("dates", "--precision", "decade")):
        proc = cli(*args, "--db", db_url)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr and args[1] in proc.stderr, proc.stderr


def test_commands_never_create_a_database(tmp_path, cli):
    for cmd in ("events", "places", "dates"):
        proc = cli(cmd, "--db", tmp_path / "missing.db")
        assert proc.returncode == 1 and "no database at" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "missing.db").exists()
