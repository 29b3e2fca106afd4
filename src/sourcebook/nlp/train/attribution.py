"""Train the attribution scorer (``nlp/attribution/model.py``) from annotated articles.

Data: PolNeAR's train split (``shared/eval/polnear-train``: 840 articles, BRAT attribution relations),
and optionally gold files of our own format (``sourcebook-gold/1``: reviewed articles exported by
``sourcebook gold export``, see ``sourcebook train --with-reviews``).  PolNeAR's test split is never read.

1. A fixed tenth of the PolNeAR articles (by a hash of the file name) is held out for validation.
2. Every article is parsed by the same spaCy pipeline that runs at extraction time (paragraph breaks
   as sentence breaks, quotation marks), so training sees the parses the component will see.
3. Each candidate (``candidates.py``) is labelled: positive when its cue overlaps the cue of a speech
   relation and it covers at least half of that relation's content (the scoring rule of
   ``sourcebook eval``); candidates that only match a relation of belief or intention are left out;
   the rest are negative.  For gold files, every quote is a speech relation with its cue.
4. A logistic regression (scikit-learn, liblinear, fixed seed) is fitted for each C of a small grid;
   the C and the decision threshold that give the best validation F1 (learned alone, the scoring of
   ``sourcebook eval``) are kept, and the model is refitted on everything with them.
5. The weights and a ``meta.json`` (data, sizes, seed, scores, versions) are written to ``out``.

Runs offline on the CPU; on two cores the whole run takes about 15-25 minutes, most of it parsing.
"""

from __future__ import annotations

import hashlib
import pickle
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import scipy.sparse as sp
from spacy.tokens import Doc

from ...evaluate import polnear
from ...evaluate.gold import load_gold, locate_all, occurrences
from ...evaluate.metrics import covered, greedy_one_to_one, prf
from ..attribution import model as model_mod
from ..attribution.base import Config
from ..attribution.candidates import Candidate, admissible, candidates
from ..attribution.features import N_HASH, dense_features, hash_features, sparse_features
from ..pipeline import get_nlp, model_name

Fragments = list[tuple[int, int]]
C_GRID = (0.1, 0.3, 1.0)
THRESHOLDS = tuple(round(x, 2) for x in np.arange(0.10, 0.61, 0.05))


@dataclass(slots=True)
class Relation:
    """What training needs of an annotated attribution: cue fragments, content fragments, speech or not."""

    cue: Fragments
    content: Fragments
    speech: bool


@dataclass(slots=True)
class Article:
    name: str
    text: str
    relations: list[Relation]
    validation: bool = False
    domain: str = ""  # "" PolNeAR's conventions; "G" our guidelines (gold files): features doubled with a prefix


@dataclass(slots=True)
class Rows:
    """Feature rows of many candidates, with labels and where each came from."""

    indices: list[np.ndarray] = field(default_factory=list)
    dense: list[np.ndarray] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    where: list[tuple[int, Candidate]] = field(default_factory=list)

    def matrix(self) -> sp.csr_matrix:
        n = len(self.labels)
        rows = np.repeat(np.arange(n), [len(ix) for ix in self.indices])
        cols = np.concatenate(self.indices) if self.indices else np.zeros(0, dtype=np.int64)
        sparse = sp.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(n, N_HASH))
        sparse.sum_duplicates()
        sparse.data[:] = 1.0
        width = self.dense[0].size if self.dense else 0
        dense = np.vstack(self.dense) if width else np.zeros((n, 0), dtype=np.float32)
        return sp.hstack([sparse, sp.csr_matrix(dense)]).tocsr()


def is_validation(name: str, share: float) -> bool:
    digest = hashlib.sha1(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < share


def polnear_articles(folder: Path, share: float) -> list[Article]:
    out = []
    for a in polnear.load_folder(folder):
        rels = [Relation(r.cue.fragments if r.cue else [], r.content, r.speech) for r in a.ann.relations if r.content]
        out.append(Article(a.stem, a.text, rels, is_validation(a.stem, share)))
    return out


def gold_articles(paths: Iterable[Path]) -> list[Article]:
    """Our own gold files as training articles: every quote is a speech relation with its cue (the cue
    occurrence nearest the quote)."""
    out = []
    for p in paths:
        g = load_gold(p)
        quotes = g.gold.get("quotes") or []
        located, _ = locate_all(g.text, quotes)
        rels = []
        for q, loc in zip(quotes, located):
            cue = (q.get("cue") or "").strip()
            start, end = loc.start, loc.end
            if not cue or start is None or end is None:
                continue
            occ = [m for m in occurrences(g.text, cue)]
            if not occ:
                continue
            k = min(occ, key=lambda o: min(abs(o - end), abs(o + len(cue) - start)))
            rels.append(Relation([(k, k + len(cue))], [(start, end)], True))
        out.append(Article(str(p), g.text, rels, is_validation(str(p.name), 0.2), "G"))
    return out


def label(doc, c: Candidate, rels: list[Relation]) -> int:
    """1: an attribution of speech; -1: only matches a belief or intention; 0: no attribution."""
    s, e = c.chars(doc)
    cs, ce = c.cue_chars(doc)
    found = 0
    for r in rels:
        if not any(a < ce and cs < b for a, b in r.cue):
            continue
        total = sum(b - a for a, b in r.content)
        if total and 2 * covered(s, e, r.content) >= total:
            if r.speech:
                return 1
            found = -1
    return found


def parse(texts: list[str], n_process: int, progress: Callable[[int], None] | None = None,
          cache: Path | None = None):
    """Docs as the component sees them (paragraph sentence breaks, parse, tensor) and their quote
    marks, in the order of ``texts``.  With ``cache``, parses are kept there (one file per text,
    keyed by the text and the spaCy model) and read back on later runs."""
    nlp = get_nlp(attribution="rules")  # the parse only: no weights needed (there may be none yet)
    quotes = nlp.get_pipe("sourcebook_quotes_v1")
    ours = [n for n in nlp.pipe_names if n.startswith("sourcebook_") and n != "sourcebook_paragraphs_v1"]
    tag = f"{nlp.meta.get('name')}-{nlp.meta.get('version')}"
    keys = [hashlib.sha1(f"{tag}\0{t}".encode()).hexdigest() for t in texts]
    missing = [k for k, key in enumerate(keys) if cache is None or not (cache / f"{key}.doc").is_file()]
    fresh: dict[int, tuple] = {}
    with nlp.select_pipes(disable=ours):
        for k, doc in zip(missing, nlp.pipe((texts[k] for k in missing), batch_size=8, n_process=n_process)):
            quotes(doc)
            marks = list(doc._.sb_quote_marks or [])
            if cache is not None:
                cache.mkdir(parents=True, exist_ok=True)
                (cache / f"{keys[k]}.doc").write_bytes(pickle.dumps((doc.to_bytes(exclude=["user_data"]), marks)))
            else:
                fresh[k] = (doc, marks)
            if progress:
                progress(1)
    for k, key in enumerate(keys):
        if k in fresh:
            yield fresh.pop(k)
            continue
        blob, marks = pickle.loads((cache / f"{key}.doc").read_bytes())  # type: ignore[operator]
        if k not in missing and progress:
            progress(1)
        yield Doc(nlp.vocab).from_bytes(blob), marks


def speech_lemmas(articles: list[Article], min_count: int = 3) -> frozenset[str]:
    """Verbs of saying that the training data uses as cues at least ``min_count`` times: the words of
    speech cues whose lemma (suffix rules, as ``sourcebook eval`` reads cues) is a verb of saying."""
    lexicon = polnear.speech_lexicon()
    counts: dict[str, int] = {}
    for a in articles:
        if a.validation:
            continue
        for r in a.relations:
            if not r.speech:
                continue
            for s, e in r.cue:
                for word in a.text[s:e].split():
                    for lemma in set(polnear.lemma_candidates(word)) & lexicon:
                        counts[lemma] = counts.get(lemma, 0) + 1
    return frozenset(w for w, n in counts.items() if n >= min_count)


def featurize(articles: list[Article], n_process: int, lemmas: frozenset[str], progress=None,
              cache: Path | None = None) -> tuple[Rows, list]:
    cfg = Config.load()
    rows = Rows()
    docs = []
    for k, (doc, marks) in enumerate(parse([a.text for a in articles], n_process, progress, cache)):
        docs.append(doc)
        for c in candidates(doc, marks):
            if not admissible(doc, c, lemmas, cfg.frames, broad=True, attempt_verbs=cfg.attempt_verbs):
                continue
            lab = label(doc, c, articles[k].relations)
            if lab < 0 and not articles[k].validation:
                continue
            rows.indices.append(hash_features(sparse_features(doc, c, cfg, articles[k].domain)))
            rows.dense.append(dense_features(doc, c))
            rows.labels.append(max(lab, 0))
            rows.where.append((k, c))
    return rows, docs


def decoded_f1(articles: list[Article], docs: list, rows: Rows, probs: np.ndarray, threshold: float) -> dict:
    """Speech F1 of the learned scorer alone on ``articles`` (the ``sourcebook eval`` matching)."""
    by_doc: dict[int, list] = {}
    for (k, c), p in zip(rows.where, probs):
        by_doc.setdefault(k, []).append((c, p))
    tp = fp = fn = 0
    for k, a in enumerate(articles):
        pairs_in = by_doc.get(k, [])
        kept = model_mod.decode(docs[k], [c for c, _ in pairs_in], np.array([p for _, p in pairs_in]), threshold)
        spans = [c.chars(docs[k]) for c, _ in kept]
        pairs = []
        for gi, r in enumerate(a.relations):
            total = sum(b - x for x, b in r.content)
            for pi, (s, e) in enumerate(spans):
                cov = covered(s, e, r.content)
                if total and 2 * cov >= total:
                    pairs.append(((cov / total, cov / (e - s)), gi, pi))
        match = greedy_one_to_one(pairs)
        speech = [gi for gi, r in enumerate(a.relations) if r.speech]
        hit = sum(1 for gi in speech if gi in match)
        tp, fn, fp = tp + hit, fn + len(speech) - hit, fp + len(spans) - len(set(match.values()))
    return prf(tp, fp, fn)


def fit(X, y, C: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, solver="liblinear", max_iter=2000, random_state=seed)
    clf.fit(X, y)
    return clf


def _subset(articles: list[Article], docs: list, rows: Rows, mask: np.ndarray, keep) -> tuple[list, list, Rows]:
    """The validation articles that ``keep`` selects, their docs, and their rows re-indexed."""
    ks = [k for k, a in enumerate(articles) if a.validation and keep(a)]
    index = {k: i for i, k in enumerate(ks)}
    sub = Rows(where=[(index[k], c) for (k, c), v in zip(rows.where, mask) if v and k in index])
    return [articles[k] for k in ks], [docs[k] for k in ks], sub


def _best_threshold(arts, docs, rows: Rows, probs: np.ndarray) -> tuple[float, dict]:
    scored = [(decoded_f1(arts, docs, rows, probs, th), th) for th in THRESHOLDS]
    score, th = max(scored, key=lambda t: (t[0]["f1"] or 0.0, -t[1]))
    return th, score


def choose(articles: list[Article], docs: list, rows: Rows, X, y, seed: int, log) -> dict:
    """C and threshold from PolNeAR's validation articles; a threshold for our own gold ("G") from
    its validation articles, when there are any."""
    val = np.array([articles[k].validation for k, _ in rows.where])
    gold = np.array([articles[k].domain == "G" for k, _ in rows.where])
    p_arts, p_docs, p_rows = _subset(articles, docs, rows, val & ~gold, lambda a: a.domain == "")
    g_arts, g_docs, g_rows = _subset(articles, docs, rows, val & gold, lambda a: a.domain == "G")
    best: dict = {"f1": -1.0}
    for C in C_GRID:
        clf = fit(X[~val], y[~val], C, seed)
        th, score = _best_threshold(p_arts, p_docs, p_rows, clf.predict_proba(X[val & ~gold])[:, 1])
        if (score["f1"] or 0.0) > best["f1"]:
            best = {"f1": score["f1"] or 0.0, "C": C, "threshold": th, "validation": score, "clf": clf}
        log(f"C={C}: PolNeAR validation F1 {score['f1']} at threshold {th}")
    if g_arts:
        th, score = _best_threshold(g_arts, g_docs, g_rows, best["clf"].predict_proba(X[val & gold])[:, 1])
        best.update(threshold_G=th, validation_G=score)
        log(f"our gold: validation F1 {score['f1']} at threshold {th} ({len(g_arts)} articles)")
    return best


def train(shared: Path, out: Path, *, extra_gold: Iterable[Path] = (), seed: int = 0, validation_share: float = 0.1,
          n_process: int = 2, limit: int | None = None, cache: Path | None = None,
          log: Callable[[str], None] = print, progress=None) -> dict:
    """Train and write a weights folder; return what ``meta.json`` holds.  ``limit``: only the first
    PolNeAR articles (sorted by name), for quick runs; ``cache``: a folder for parses (kept across runs)."""
    t0 = time.time()
    articles = polnear_articles(shared / "eval" / "polnear-train", validation_share)[:limit]
    if not any(a.validation for a in articles):  # a small --limit: hold out its last tenth instead
        for a in articles[-max(1, len(articles) // 10):]:
            a.validation = True
    extra = gold_articles(extra_gold)
    articles += extra
    log(f"{len(articles)} articles ({sum(a.validation for a in articles)} held out for validation, "
        f"{len(extra)} of our own gold); parsing with {n_process} process(es)")
    lemmas = speech_lemmas(articles)
    rows, docs = featurize(articles, n_process, lemmas, progress, cache)
    X, y = rows.matrix(), np.array(rows.labels)
    log(f"{X.shape[0]} candidates ({int(y.sum())} positive), parsed and featurized in {time.time() - t0:.0f} s")
    best = choose(articles, docs, rows, X, y, seed, log)
    clf = fit(X, y, best["C"], seed)
    meta = _meta(best, lemmas, articles, extra, X, y, seed, validation_share, t0)
    coef = clf.coef_[0]
    model_mod.save(out, coef[:N_HASH], coef[N_HASH:], float(clf.intercept_[0]), meta)
    log(f"weights written to {out} in {time.time() - t0:.0f} s")
    return meta


def _meta(best: dict, lemmas, articles, extra, X, y, seed, validation_share, t0) -> dict:
    import sklearn

    meta = {
        "schema": "sourcebook-attribution-weights/1",
        "model": "logistic regression over hashed indicator features and token vectors",
        "spacy_model": model_name(),
        "hash_buckets": N_HASH,
        "dense": int(X.shape[1] - N_HASH),
        "C": best["C"],
        "threshold": best["threshold"],
        "speech_lemmas": sorted(lemmas),
        "seed": seed,
        "validation_share": validation_share,
        "validation": best["validation"],
        "domains": ["G"] if extra else [],
        "articles": {"polnear_train": len(articles) - len(extra), "own_gold": len(extra),
                     "validation": sum(a.validation for a in articles)},
        "own_gold_files": sorted(Path(a.name).name for a in extra),
        "candidates": int(X.shape[0]),
        "positives": int(y.sum()),
        "scikit_learn": sklearn.__version__,
        "python": platform.python_version(),
        "seconds": round(time.time() - t0, 1),
    }
    if "threshold_G" in best:
        meta.update(threshold_G=best["threshold_G"], validation_G=best["validation_G"])
    return meta
