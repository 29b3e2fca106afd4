"""The record: plain dataclasses for everything sourcebook extracts from one article.

Every item carries character offsets into the article text it was extracted from
(``text[start:end] == span.text`` holds for every span) and the name of the extractor
(a versioned spaCy component name) that produced it.  ``Record.to_dict`` gives the
``sourcebook/1`` JSON documented in ``docs/schema.md``; ``Record.from_dict`` reads it back.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import asdict, dataclass, field, fields
from typing import Any

SCHEMA = "sourcebook/1"
REPORTER = "REPORTER"


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text: ``text == article[start:end]``."""

    start: int
    end: int
    text: str

    @classmethod
    def of(cls, article: str, start: int, end: int) -> "Span":
        return cls(start, end, article[start:end])

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, d: dict[str, Any] | None) -> "Span | None":
        if d is None:
            return None
        return cls(int(d["start"]), int(d["end"]), d["text"])


def _known_fields(cls: Any, d: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``d`` named like a field of the dataclass ``cls``."""
    return {f.name: d.get(f.name) for f in fields(cls) if f.name in d}


@dataclass(slots=True)
class Source:
    """Someone (or something) to whom the article attributes a statement or a figure."""

    id: str
    name: str | None
    mention: str
    head: str
    anonymous: bool
    anonymity_reason: Span | None = None
    role: str | None = None
    affiliation: str | None = None
    kind: str = "person"  # person | group | organization | document
    mentions: list[Span] = field(default_factory=list)
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["anonymity_reason"] = self.anonymity_reason.to_dict() if self.anonymity_reason else None
        d["mentions"] = [m.to_dict() for m in self.mentions]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Source":
        kw = _known_fields(cls, d)
        kw["anonymity_reason"] = Span.from_dict(d.get("anonymity_reason"))
        kw["mentions"] = [Span.from_dict(m) for m in d.get("mentions", [])]
        return cls(**kw)


@dataclass(slots=True)
class Quote:
    """An attributed statement: direct (in quote marks), indirect (reported speech) or mixed."""

    id: str
    source: str  # a Source id, or REPORTER
    start: int
    end: int
    text: str
    type: str  # direct | indirect | mixed
    cue: Span | None = None
    confidence: float = 0.5
    extractor: str = ""
    method: str = "rules"  # rules | learned: which part of the attribution component found it

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["cue"] = self.cue.to_dict() if self.cue else None
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Quote":
        kw = _known_fields(cls, d)
        kw["cue"] = Span.from_dict(d.get("cue"))
        return cls(**kw)


@dataclass(slots=True)
class Count:
    """A figure about a group of people, normalized to a range (filled by the counts component)."""

    id: str
    start: int
    end: int
    text: str
    number: str
    low: int | None
    high: int | None
    approximate: bool = False
    counted: str | None = None
    status: str = "other"
    origin: str | None = None
    place: dict[str, Any] | None = None
    time: dict[str, Any] | None = None
    source: str = REPORTER
    extractor: str = ""
    # Movement (``{text, start, end, country}`` or None; ``country`` is ISO 3166-1 alpha-2 or None):
    from_place: dict[str, Any] | None = None  # "from" in JSON: where the people came from or left
    to_place: dict[str, Any] | None = None  # "to" in JSON: where they went, arrived or were sent
    heading: dict[str, Any] | None = None  # where they were trying to go, not reached

    _JSON_NAMES = {"from_place": "from", "to_place": "to"}
    _JSON_ORDER = ("id", "start", "end", "text", "number", "low", "high", "approximate", "counted", "status",
                   "origin", "place", "from_place", "to_place", "heading", "time", "source", "extractor")

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        return {self._JSON_NAMES.get(k, k): d[k] for k in self._JSON_ORDER}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Count":
        names = {f.name: cls._JSON_NAMES.get(f.name, f.name) for f in fields(cls)}
        kw: dict[str, Any] = {f: d.get(j) for f, j in names.items() if j in d}
        return cls(**kw)


@dataclass(slots=True)
class Place:
    """A place name (or a nationality word standing for a country), resolved to a gazetteer entry."""

    id: str
    start: int
    end: int
    text: str
    kind: str = "toponym"  # toponym | demonym | embedded (a place name inside another name)
    name: str | None = None  # the gazetteer's name; None when unresolved
    feature: str | None = None  # country | continent | region | admin1 | admin2 | city
    country: str | None = None  # ISO 3166-1 alpha-2
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    population: int | None = None
    admin_code: str | None = None  # ISO 3166-2 code of an admin region
    gazetteer: str | None = None  # where the entry comes from
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Place":
        return cls(**_known_fields(cls, d))


@dataclass(slots=True)
class TimeRef:
    """A time expression resolved against the publication date to an ISO interval."""

    id: str
    start: int
    end: int
    text: str
    from_date: str | None = None  # "from" in JSON
    to_date: str | None = None  # "to" in JSON
    precision: str | None = None  # day | week | month | year; None when unresolved
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "start": self.start, "end": self.end, "text": self.text,
                "from": self.from_date, "to": self.to_date, "precision": self.precision,
                "extractor": self.extractor}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "TimeRef":
        return cls(id=d.get("id", ""), start=int(d["start"]), end=int(d["end"]), text=d["text"],
                   from_date=d.get("from"), to_date=d.get("to"), precision=d.get("precision"),
                   extractor=d.get("extractor", ""))


@dataclass(slots=True)
class Event:
    """Who did what to whom, where and when, according to whom (PLOVER event type and mode).

    ``actor`` and ``recipient`` are ``{text, start, end, normalized, country, sector, code}`` or None;
    ``place`` is ``{id, text, start, end, name, country, lat, lon}`` and ``time`` is
    ``{id, text, start, end, from, to, precision}`` (ids refer to ``Record.places`` / ``Record.dates``).
    """

    id: str
    start: int
    end: int
    text: str  # the trigger word(s)
    type: str  # a PLOVER event type: ASSAULT, COERCE, PROTEST, THREATEN, ...
    mode: str | None = None
    actor: dict[str, Any] | None = None
    recipient: dict[str, Any] | None = None
    place: dict[str, Any] | None = None
    time: dict[str, Any] | None = None
    source: str = REPORTER  # a Source id, or REPORTER
    quote: str | None = None  # the Quote id whose content holds the trigger
    negated: bool = False
    hypothetical: bool = False
    extractor: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Event":
        return cls(**_known_fields(cls, d))


def normalize_text(text: str) -> str:
    """The form of an article's text that its id is computed from (NFC, folded white space)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def article_id(text: str) -> str:
    """A stable article id: the first 16 hex digits of the SHA-256 of the normalized text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(slots=True)
class Record:
    """Everything extracted from one article."""

    text: str
    id: str = ""
    url: str | None = None
    title: str | None = None
    published: str | None = None
    language: str | None = "en"
    sources: list[Source] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    extractors: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    dates: list[TimeRef] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.id:
            self.id = article_id(self.text)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "url": self.url,
            "title": self.title,
            "published": self.published,
            "language": self.language,
            "extractors": dict(self.extractors),
            "sources": [s.to_dict() for s in self.sources],
            "quotes": [q.to_dict() for q in self.quotes],
            "counts": [c.to_dict() for c in self.counts],
            "events": [e.to_dict() for e in self.events],
            "places": [p.to_dict() for p in self.places],
            "dates": [t.to_dict() for t in self.dates],
            "warnings": list(self.warnings),
        }
        if include_text:
            d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Record":
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} record (schema={d.get('schema')!r})")
        return cls(
            text=d.get("text", ""),
            id=d.get("id", ""),
            url=d.get("url"),
            title=d.get("title"),
            published=d.get("published"),
            language=d.get("language"),
            sources=[Source.from_dict(s) for s in d.get("sources", [])],
            quotes=[Quote.from_dict(q) for q in d.get("quotes", [])],
            counts=[Count.from_dict(c) for c in d.get("counts", [])],
            extractors=dict(d.get("extractors", {})),
            warnings=list(d.get("warnings", [])),
            events=[Event.from_dict(e) for e in d.get("events", [])],
            places=[Place.from_dict(p) for p in d.get("places", [])],
            dates=[TimeRef.from_dict(t) for t in d.get("dates", [])],
        )
