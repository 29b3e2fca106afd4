"""The learned scorer: how likely a candidate (cue, content) pair is an attribution.

A logistic regression trained on PolNeAR's train split (``nlp/train/attribution.py``) over the hashed
indicator features and the token vectors of ``features.py``.  The weights ship inside the package
(``nlp/models/attribution/``: ``weights.npz`` and ``meta.json``); ``$SOURCEBOOK_MODEL_DIR`` (or
``extract(..., model_dir=...)``) selects another folder of the same layout, such as one written by
``sourcebook train --with-reviews``.  Scoring needs only numpy: no scikit-learn at run time.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from .candidates import Candidate
from .features import N_HASH, dense_features, hash_features, sparse_features

ENV_MODEL_DIR = "SOURCEBOOK_MODEL_DIR"
PACKAGED = Path(__file__).resolve().parents[1] / "models" / "attribution"


class WeightsError(RuntimeError):
    """The weights folder is missing or unreadable."""


@dataclass(frozen=True)
class Weights:
    """A trained scorer: sparse and dense coefficients, intercept, decision threshold, provenance."""

    sparse: np.ndarray
    dense: np.ndarray
    bias: float
    threshold: float
    meta: dict = field(default_factory=dict)
    digest: str = ""  # sha256 of the weight file, first 12 hex digits: which weights made a record
    speech_lemmas: frozenset[str] = frozenset()

    def domain(self, broad: bool) -> str:
        """The feature domain to score in: "G" (our guidelines) when the weights learned one and the
        scope is not broad, else "" (PolNeAR's conventions)."""
        return "G" if not broad and "G" in self.meta.get("domains", ()) else ""

    def threshold_for(self, broad: bool) -> float:
        """The decision threshold for the domain scored in (chosen on held-out articles of that domain)."""
        return float(self.meta.get("threshold_G", self.threshold)) if self.domain(broad) else self.threshold

    def scores(self, doc: Doc, cands: list[Candidate], lex, domain: str = "") -> np.ndarray:
        """Probability per candidate (an empty array for no candidates)."""
        if not cands:
            return np.zeros(0, dtype=np.float32)
        z = np.empty(len(cands), dtype=np.float64)
        use_dense = self.dense.size > 0
        for k, c in enumerate(cands):
            s = self.sparse[hash_features(sparse_features(doc, c, lex, domain))].sum()
            if use_dense:
                d = dense_features(doc, c)
                if d.size == self.dense.size:
                    s += float(d @ self.dense)
            z[k] = s + self.bias
        return 1.0 / (1.0 + np.exp(-z))


def model_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The weights folder in use: ``override``, else ``$SOURCEBOOK_MODEL_DIR``, else the shipped one."""
    chosen = override or os.environ.get(ENV_MODEL_DIR)
    return Path(chosen) if chosen else PACKAGED


@lru_cache(maxsize=4)
def load(folder: str | None = None) -> Weights:
    """Read ``weights.npz`` and ``meta.json`` from ``folder`` (default: ``model_dir()``)."""
    path = Path(folder) if folder else model_dir()
    npz, meta_path = path / "weights.npz", path / "meta.json"
    try:
        raw = npz.read_bytes()
        with np.load(npz) as data:
            sparse, dense, bias = data["sparse"], data["dense"], float(data["bias"])
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, KeyError, ValueError) as err:
        raise WeightsError(f"cannot read attribution weights from {path}: {err}") from err
    if sparse.shape != (N_HASH,):
        raise WeightsError(f"attribution weights in {path} have {sparse.shape[0]} hashed features, expected {N_HASH}")
    return Weights(sparse=sparse.astype(np.float32), dense=dense.astype(np.float32), bias=bias,
                   threshold=float(meta.get("threshold", 0.5)), meta=meta,
                   digest=hashlib.sha256(raw).hexdigest()[:12], speech_lemmas=frozenset(meta.get("speech_lemmas", ())))


def save(folder: str | os.PathLike[str], sparse: np.ndarray, dense: np.ndarray, bias: float, meta: dict) -> Path:
    """Write a weights folder (``weights.npz``, ``meta.json``) that ``load`` reads."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path / "weights.npz", sparse=sparse.astype(np.float32), dense=dense.astype(np.float32),
                        bias=np.float64(bias))
    (path / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    load.cache_clear()
    return path


def decode(doc: Doc, cands: list[Candidate], probs: np.ndarray, threshold: float) -> list[tuple[Candidate, float]]:
    """The attributions the scorer keeps: per cue its best candidate at or above ``threshold``, then,
    most probable first, those whose content does not mostly repeat one already kept."""
    best: dict[int, tuple[Candidate, float]] = {}
    for c, p in zip(cands, probs):
        if p >= threshold and (c.cue not in best or p > best[c.cue][1]):
            best[c.cue] = (c, float(p))
    kept: list[tuple[Candidate, float]] = []
    for c, p in sorted(best.values(), key=lambda t: -t[1]):
        s, e = c.start, c.end
        if any(min(e, k.end) - max(s, k.start) > 0.5 * (e - s) for k, _ in kept):
            continue
        kept.append((c, p))
    return sorted(kept, key=lambda t: t[0].start)
