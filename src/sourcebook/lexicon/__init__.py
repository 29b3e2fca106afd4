"""Word lists as data files.

Each list is a UTF-8 file in this folder: ``NAME.txt`` (one entry a line) or ``NAME.tsv``
(tab-separated columns).  Blank lines and lines starting with ``#`` are ignored.

Users extend a list without touching code: every folder named in the environment variable
``SOURCEBOOK_LEXICON_PATH`` (separated by ``os.pathsep``) is searched for a file of the same name,
whose entries are added to the packaged ones.  Every override file changes the version of the
components that read that list (``nlp.registry``), so stored records show they were made with it.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path


def user_dirs() -> list[Path]:
    """The folders on ``$SOURCEBOOK_LEXICON_PATH``, in search order."""
    raw = os.environ.get("SOURCEBOOK_LEXICON_PATH", "")
    return [Path(p) for p in raw.split(os.pathsep) if p]


def _lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = line.rstrip("\n\r")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        out.append(line)
    return out


def _read_all(filename: str) -> list[str]:
    pkg = resources.files(__name__).joinpath(filename)
    if not pkg.is_file():
        raise FileNotFoundError(f"no lexicon file {filename!r} in the sourcebook package")
    lines = _lines(pkg.read_text(encoding="utf-8"))
    for d in user_dirs():
        extra = d / filename
        if extra.is_file():
            lines.extend(_lines(extra.read_text(encoding="utf-8")))
    return lines


@cache
def words(name: str) -> frozenset[str]:
    """The entries of ``NAME.txt``, lower-cased, as a set."""
    return frozenset(line.strip().lower() for line in _read_all(f"{name}.txt"))


@cache
def phrases(name: str) -> tuple[str, ...]:
    """The entries of ``NAME.txt`` in file order, stripped (case kept)."""
    return tuple(line.strip() for line in _read_all(f"{name}.txt"))


@cache
def table(name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of ``NAME.tsv`` as tuples of stripped cells."""
    return tuple(tuple(c.strip() for c in line.split("\t")) for line in _read_all(f"{name}.tsv"))


@cache
def demonym_rows() -> tuple[tuple[str, str, str], ...]:
    """``demonyms.tsv`` parsed once, the one reader of that file: ``(word as written, ISO alpha-2 code
    upper-cased, "demonym" | "name")`` for each row with a code (a missing third column: demonym)."""
    return tuple((row[0], row[1].upper(), row[2].lower() if len(row) > 2 and row[2] else "demonym")
                 for row in table("demonyms") if len(row) >= 2 and row[1])


@cache
def demonyms() -> tuple[dict[str, str], dict[str, str]]:
    """``demonyms.tsv`` read once: (nationality words -> ISO alpha-2, country names and aliases -> ISO
    alpha-2), keys lower-cased.  The names also hold every country's name, common and official name from
    pycountry, so "Russia", "Syrian Arab Republic" and "DR Congo" (an alias row) are all there."""
    import pycountry

    nationality: dict[str, str] = {}
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                names[value.lower()] = c.alpha_2
    for word, code, kind in demonym_rows():
        (names if kind == "name" else nationality)[word.lower()] = code
    return nationality, names


def clear_cache() -> None:
    """Forget loaded lists (after changing SOURCEBOOK_LEXICON_PATH or an override file), and the
    component versions computed from them (``nlp.registry``)."""
    import sys

    words.cache_clear()
    phrases.cache_clear()
    table.cache_clear()
    demonym_rows.cache_clear()
    demonyms.cache_clear()
    registry = sys.modules.get("sourcebook.nlp.registry")
    if registry is not None:
        registry.version_of.cache_clear()
    demonyms.cache_clear()
