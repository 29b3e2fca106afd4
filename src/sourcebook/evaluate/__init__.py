"""``sourcebook eval``: score extraction against gold annotations.

``evaluate_paths(paths, model=None)`` reads our gold JSON (``sourcebook-gold/1``: files or folders of
them) and PolNeAR folders or ``.ann`` files, runs extraction once over all their articles (one model
load) and returns a JSON-serializable dict with a ``gold`` and/or ``polnear`` section (see
docs/eval.md).  ``render(results, console, details=False)`` prints it as rich tables.
The rules are in ``metrics`` and need no model: ``metrics.score_record(record, gold, text)``.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from ..errors import InputError
from . import gold as gold_mod
from . import polnear as polnear_mod
from .metrics import aggregate_gold, aggregate_polnear, score_polnear, score_record
from .render import render

__all__ = ["evaluate_paths", "render", "score_record", "score_polnear", "collect"]


def collect(paths: Iterable[str]) -> tuple[list[gold_mod.GoldArticle], list[polnear_mod.PolnearArticle], list[str]]:
    """Load every gold article named by ``paths``: (our gold, PolNeAR articles, warnings).

    A file or folder given explicitly that cannot be used raises ``InputError``; a gold file inside a
    folder whose article is missing is skipped with a warning."""
    golds: list[gold_mod.GoldArticle] = []
    pols: list[polnear_mod.PolnearArticle] = []
    warnings: list[str] = []
    seen: set[Path] = set()

    def add_gold(p: Path, explicit: bool) -> None:
        if p.resolve() in seen:
            return
        seen.add(p.resolve())
        try:
            golds.append(gold_mod.load_gold(p))
        except InputError as err:
            if explicit:
                raise
            warnings.append(str(err))

    def add_ann(p: Path, metadata=None) -> None:
        if p.resolve() in seen:
            return
        seen.add(p.resolve())
        pols.append(polnear_mod.load_ann(p, metadata))

    for raw in paths:
        p = Path(raw)
        if not p.exists():
            raise InputError(f"{raw}: no such file or folder", reason="missing")
        if p.is_dir():
            if polnear_mod.is_polnear_folder(p):
                meta = polnear_mod.read_metadata(p)
                for ann in polnear_mod.choose_ann_files(p):
                    add_ann(ann, meta)
                continue
            found = gold_mod.gold_files_in(p)
            if not found:
                raise InputError(f"{raw}: no {gold_mod.GOLD_SCHEMA} JSON files or PolNeAR folders (attributions/ + "
                                 f"text/) here",
                                 reason="not_gold")
            for f in found:
                add_gold(f, explicit=False)
        elif p.suffix.lower() == ".ann":
            add_ann(p)
        elif p.suffix.lower() == ".json":
            add_gold(p, explicit=True)
        else:
            raise InputError(f"{raw}: expected a gold .json file, a PolNeAR .ann file or a folder", reason="not_gold")
    if not golds and not pols:
        raise InputError("no gold annotations could be loaded" + (f" ({warnings[0]})" if warnings else ""),
                         reason="not_gold")
    return golds, pols, warnings


def _iso_or_none(value: str | None, where: str, warnings: list[str]) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        warnings.append(f"{where}: publication date {value!r} is not ISO; ignored")
        return None


def _empty_record() -> dict[str, Any]:
    return {"schema": "sourcebook/1", "sources": [], "quotes": [], "counts": []}


def evaluate_paths(paths: Iterable[str], model: str | None = None, *, n_process: int = 1,
                   batch_size: int = 16, attribution: str | None = None, scope: str | None = None) -> dict[str, Any]:
    """Run extraction over the articles of the gold ``paths`` and score it (see docs/eval.md);
    ``attribution`` and ``scope`` as for ``extract_many``."""
    from ..api import extract_many
    from ..read import Skip

    t0 = time.perf_counter()
    paths = list(paths)
    from . import events as events_mod
    from . import places as places_mod

    petrarch = [Path(p) for p in paths if events_mod.is_petrarch(Path(p))]
    toponyms = [Path(p) for p in paths if places_mod.is_toponym_xml(Path(p))]
    paths = [p for p in paths if Path(p) not in petrarch and Path(p) not in toponyms]
    results: dict[str, Any] = {}
    if petrarch:
        results["events"] = events_mod.evaluate_petrarch(petrarch[0], model=model)
    for i, path in enumerate(toponyms):  # one section per toponym set: places, places_2, ...
        results["places" if i == 0 else f"places_{i + 1}"] = places_mod.evaluate_toponyms(path, model=model)
    if not paths:
        results["seconds"] = {"total": round(time.perf_counter() - t0, 2)}
        return results
    golds, pols, warnings = collect(paths)
    docs = [{"text": g.text, "published": _iso_or_none(g.published, g.path, warnings), "origin": g.path,
             "title": g.title, "url": g.url} for g in golds]
    docs += [{"text": a.text, "published": _iso_or_none(a.published, a.ann_path, warnings), "origin": a.ann_path,
              "title": a.title} for a in pols]
    t_load = time.perf_counter()
    records: list[dict[str, Any]] = []
    extractors: dict[str, str] = {}
    # PolNeAR alone scores quotes and their sources: the components after attribution need not run
    only = None if golds else ("sourcebook_anonymity_v2",)
    for doc, rec in zip(docs, extract_many(docs, model=model, on_error="skip", n_process=n_process,
                                           batch_size=batch_size, only=only, attribution=attribution,
                                           scope=scope)):
        if isinstance(rec, Skip):
            warnings.append(f"{doc['origin']}: not extracted ({rec.message}); scored as an empty record")
            records.append(_empty_record())
            continue
        d = rec.to_dict(include_text=False)
        # a component that failed on the article (Record.warnings): its part is scored as empty
        warnings += [f"{doc['origin']}: {w}" for w in rec.warnings]
        if rec.text != doc["text"]:
            warnings.append(f"{doc['origin']}: the record text differs from the article text; offsets may not align")
        extractors = extractors or dict(d.get("extractors") or {})
        records.append(d)
    t_extract = time.perf_counter()

    if golds:
        per_file, errors = [], []
        for g, scored in zip(golds, records[: len(golds)]):
            row = score_record(scored, g.gold, g.text)
            per_file.append({"file": g.path, "article": g.article_path, **row})
            errors += [{"file": g.path, **e} for e in row["gold_errors"]]
        section = aggregate_gold(per_file)
        section["gold_errors"] = errors
        section["per_file"] = per_file
        results["gold"] = section
    if pols:
        per_file, problems = [], []
        for a, scored in zip(pols, records[len(golds):]):
            row = score_polnear(scored, a.ann.relations, a.text)
            per_file.append({"file": a.ann_path, "article": a.text_path, **row})
            problems += [{"file": a.ann_path, **p} for p in a.ann.problems]
        section = aggregate_polnear(per_file)
        grouped = aggregate_polnear([score_polnear(rec, a.ann.relations, a.text, group=True)
                                     for a, rec in zip(pols, records[len(golds):])])
        section["grouped"] = {"all": grouped["all"], "speech": grouped["speech"]}
        section["spans_checked"] = sum(len(a.ann.textbounds) for a in pols)
        section["annotation_errors"] = problems
        section["per_file"] = per_file
        results["polnear"] = section
    results["extractors"] = extractors
    results["seconds"] = {"load": round(t_load - t0, 2), "extract": round(t_extract - t_load, 2),
                          "score": round(time.perf_counter() - t_extract, 2)}
    if warnings:
        results["warnings"] = warnings
    return results
