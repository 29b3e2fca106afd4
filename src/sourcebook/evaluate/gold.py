"""Our gold format (``sourcebook-gold/1``, see shared/gold/GUIDELINES.md): loading and locating spans.

Gold strings are exact substrings of the article text; their offsets are recovered by search.
``locate_all`` turns a list of gold strings into ``(start, end)`` offsets:

- an item with ``start`` uses the occurrence at that offset;
- a string found once uses that occurrence;
- a string found several times (and no ``start``) takes the first occurrence that does not overlap
  another item of the same list (``"more action"`` inside ``"We just want Canada to take more action,"``),
  else the first occurrence;
- a string not found verbatim is searched again with white space folded and curly quote marks made
  straight; a hit there is used and reported, a miss leaves the item without offsets (it is then
  left out of the scores) and is reported.  Reports are ``GoldError`` dicts, never exceptions.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError

GOLD_SCHEMA = "sourcebook-gold/1"

_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                       "‚": "'", "‛": "'", "\u00a0": " "})


@dataclass(slots=True)
class GoldArticle:
    """One gold file with the text of the article it annotates."""

    path: str  # the gold JSON file
    article_path: str  # the article text file
    text: str
    gold: dict[str, Any]
    published: str | None = None
    title: str | None = None
    url: str | None = None


@dataclass(slots=True)
class Located:
    """Offsets found for one gold string (``start is None`` when it could not be found)."""

    start: int | None
    end: int | None
    how: str  # exact | start | normalized | missing


@dataclass(slots=True)
class _Pending:
    index: int
    text: str
    occurrences: list[int] = field(default_factory=list)


def short(text: str | None, width: int = 80) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis."""
    if text is None:
        return ""
    one = " ".join(str(text).split())
    return one if len(one) <= width else one[: width - 1] + "…"


def occurrences(text: str, needle: str) -> list[int]:
    """Every offset where ``needle`` occurs in ``text`` (overlapping occurrences included)."""
    out: list[int] = []
    if not needle:
        return out
    i = text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _normalized(text: str) -> tuple[str, list[int]]:
    """``text`` with curly quotes straightened and white space runs folded to one space,
    plus for every character of the result its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    folded = text.translate(_FOLD)
    prev_space = False
    for i, ch in enumerate(folded):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            where.append(i)
            prev_space = True
        else:
            out.append(ch)
            where.append(i)
            prev_space = False
    return "".join(out), where


def normalized_find(text: str, needle: str) -> tuple[int, int] | None:
    """Find ``needle`` in ``text`` ignoring white-space differences and quote-mark shapes."""
    norm_text, where = _normalized(text)
    norm_needle = " ".join(needle.translate(_FOLD).split())
    if not norm_needle:
        return None
    i = norm_text.find(norm_needle)
    if i < 0:
        return None
    j = i + len(norm_needle) - 1
    return where[i], where[j] + 1


def locate_all(text: str, items: list[dict[str, Any]], key: str = "text") -> tuple[list[Located], list[dict]]:
    """Offsets of ``item[key]`` for every item (see the module docstring), and problems found."""
    located: list[Located | None] = [None] * len(items)
    problems: list[dict] = []
    pending: list[_Pending] = []
    for i, item in enumerate(items):
        needle = item.get(key)
        if not needle:
            located[i] = Located(None, None, "missing")
            problems.append({"item": i, "text": "", "problem": f"empty {key}"})
            continue
        start = item.get("start")
        if isinstance(start, int):
            if text[start : start + len(needle)] == needle:
                located[i] = Located(start, start + len(needle), "start")
                continue
            problems.append({"item": i, "text": short(needle),
                             "problem": f"not at the given start {start}; searched instead"})
        occ = occurrences(text, needle)
        if len(occ) == 1:
            located[i] = Located(occ[0], occ[0] + len(needle), "exact")
        elif len(occ) > 1:
            if isinstance(start, int):  # the given start was wrong: take the nearest occurrence
                best = min(occ, key=lambda o: abs(o - start))
                located[i] = Located(best, best + len(needle), "exact")
            else:
                pending.append(_Pending(i, needle, occ))
        else:
            hit = normalized_find(text, needle)
            if hit:
                located[i] = Located(hit[0], hit[1], "normalized")
                problems.append({"item": i, "text": short(needle),
                                 "problem": "not found verbatim; matched with white space/quote marks normalized"})
            else:
                located[i] = Located(None, None, "missing")
                problems.append({"item": i, "text": short(needle),
                                 "problem": "not found in the article; left out of the scores"})
    for p in pending:
        taken = [(loc.start, loc.end) for loc in located
                 if loc is not None and loc.start is not None and loc.end is not None]
        choice = p.occurrences[0]
        for o in p.occurrences:
            if not any(o < e and s < o + len(p.text) for s, e in taken):
                choice = o
                break
        located[p.index] = Located(choice, choice + len(p.text), "exact")
    return [loc for loc in located if loc is not None], problems


def read_text(path: str | Path) -> str:
    """An article text file as UTF-8, line ends kept as they are (offsets count them)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return fh.read()


def resolve_article(gold_path: Path, file: str) -> Path:
    """The article a gold file points to: ``file`` absolute, or relative to the ``shared/`` folder
    that holds the gold folder (the nearest ancestor with a ``corpus/`` folder), or to any ancestor, or to
    ``$SOURCEBOOK_SHARED`` or a ``shared/`` folder beside an ancestor (gold kept in a repository about the
    shared articles, e.g. ``tests/data/pool_gold``)."""
    p = Path(file)
    if p.is_absolute():
        if p.is_file():
            return p
        raise InputError(f"{gold_path}: article file {file} does not exist", reason="missing_article")
    ancestors = list(gold_path.resolve().parents)
    for anc in ancestors:
        if (anc / "corpus").is_dir() and (anc / p).is_file():
            return anc / p
    for anc in ancestors:
        if (anc / p).is_file():
            return anc / p
    # gold kept in a repository (tests/data/pool_gold) about articles of the shared/ folder beside it
    shared = [Path(os.environ["SOURCEBOOK_SHARED"])] if os.environ.get("SOURCEBOOK_SHARED") else []
    for base in shared + [anc / "shared" for anc in ancestors]:
        if (base / "corpus").is_dir() and (base / p).is_file():
            return base / p
    raise InputError(f"{gold_path}: cannot find article file {file!r} (looked in the folders above the gold file)",
                     reason="missing_article")


def is_gold(data: Any) -> bool:
    return isinstance(data, dict) and data.get("schema") == GOLD_SCHEMA


def load_gold(path: str | Path) -> GoldArticle:
    """Read one gold JSON file and the article text it annotates.  Raises ``InputError``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{path}: cannot read gold JSON ({err})", reason="bad_json") from err
    if not is_gold(data):
        raise InputError(f"{path}: not a {GOLD_SCHEMA} file "
                         f"(schema={data.get('schema') if isinstance(data, dict) else None!r})",
                         reason="not_gold")
    article = data.get("article") or {}
    if not isinstance(article, dict) or not isinstance(article.get("file"), str) or not article["file"]:
        raise InputError(f"{path}: gold has no article.file (\"article\": {{\"file\": \"path/to/text.txt\"}})",
                         reason="not_gold")
    article_path = resolve_article(path, article["file"])
    try:
        text = read_text(article_path)
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"{article_path}: cannot read article text ({err})", reason="unreadable") from err
    for k in ("sources", "quotes", "counts"):
        data.setdefault(k, [])
    return GoldArticle(
        path=str(path),
        article_path=str(article_path),
        text=text,
        gold=data,
        published=article.get("published") or None,
        title=article.get("title"),
        url=article.get("url"),
    )


def gold_files_in(folder: Path) -> list[Path]:
    """The gold JSON files under ``folder`` (recursively, sorted), by their schema."""
    out = []
    for p in sorted(folder.rglob("*.json")):
        try:
            with open(p, encoding="utf-8") as fh:
                head = fh.read(4096)
        except (OSError, UnicodeDecodeError):
            continue
        if re.search(r'"schema"\s*:\s*"' + re.escape(GOLD_SCHEMA) + '"', head):
            out.append(p)
    return out
