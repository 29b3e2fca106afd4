"""Near-duplicate articles (wire copies, syndicated reprints, lightly edited re-posts) by MinHash/LSH.

Each article's text is cut into overlapping word shingles (``SHINGLE`` words, after folding case,
accents and punctuation) and summarized by a MinHash signature of ``NUM_PERM`` values
(datasketch).  Candidates come from a MinHash LSH index (``LSH_THRESHOLD``); a candidate pair is a
near-duplicate when the estimated Jaccard similarity of the shingle sets is at least
``MIN_JACCARD``, or when the shorter text is mostly inside the longer one (estimated containment
at least ``MIN_CONTAINMENT``, for a copy cut short); texts shorter than ``MIN_SHINGLES`` words are
never near-duplicates (two briefs alike but for a day or a name are two reports).

Near-duplicates form groups (connected components); the group's *canonical* article is the
earliest published (then the first ingested, then the smallest id).  The other members are
copies: their figures are cited as copies of the canonical article's figures (``align``), so a
claim is not doubled by a reprint.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from .normalize import words

SHINGLE = 3
NUM_PERM = 128
SEED = 1
#: datasketch's hashing scheme (named explicitly: signatures are stored and compared across runs).
SCHEME = "affine32"
LSH_THRESHOLD = 0.4
MIN_JACCARD = 0.6
MIN_CONTAINMENT = 0.85
#: Both articles must have at least this many shingles (about as many words): two short briefs alike
#: but for a name or a day are not copies of each other.
MIN_SHINGLES = 40
#: A copy judged by containment must have at least this many shingles.
MIN_SHINGLES_CONTAINED = 60
#: Candidates per LSH band key in the ledger's index (``ledger.core._near_duplicates``): a story
#: reprinted 500 times is one bucket of 500; each new copy is compared with the first PER_KEY of
#: them, which is enough to join it to the group without storing every pair of the group.
PER_KEY = 8


def shingles(text: str) -> set[bytes]:
    w = words(text)
    if len(w) < SHINGLE:
        return {" ".join(w).encode("utf-8")} if w else set()
    return {" ".join(w[i:i + SHINGLE]).encode("utf-8") for i in range(len(w) - SHINGLE + 1)}


@dataclass(slots=True)
class Signature:
    hashvalues: np.ndarray  # uint32[NUM_PERM]
    n_shingles: int

    def encode(self) -> str:
        return base64.b64encode(self.hashvalues.astype("<u4").tobytes()).decode("ascii")

    @classmethod
    def decode(cls, text: str, n_shingles: int) -> "Signature":
        return cls(np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32), int(n_shingles))

    def minhash(self):
        from datasketch import MinHash

        return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=self.hashvalues, scheme=SCHEME)


def signature(text: str) -> Signature:
    from datasketch import MinHash

    sh = shingles(text)
    m = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    if sh:
        m.update_batch(list(sh))
    return Signature(np.asarray(m.hashvalues, dtype=np.uint32), len(sh))


def similarity(a: Signature, b: Signature) -> tuple[float, float]:
    """Estimated (Jaccard, containment of the smaller set in the larger)."""
    if a.n_shingles == 0 or b.n_shingles == 0:
        return 0.0, 0.0
    j = float(np.count_nonzero(a.hashvalues == b.hashvalues)) / NUM_PERM
    inter = j * (a.n_shingles + b.n_shingles) / (1.0 + j)
    return j, min(1.0, inter / min(a.n_shingles, b.n_shingles))


def is_near_duplicate(a: Signature, b: Signature) -> tuple[bool, float]:
    j, c = similarity(a, b)
    if min(a.n_shingles, b.n_shingles) < MIN_SHINGLES:
        return False, j
    if j >= MIN_JACCARD:
        return True, j
    if c >= MIN_CONTAINMENT and min(a.n_shingles, b.n_shingles) >= MIN_SHINGLES_CONTAINED:
        return True, j
    return False, j


@lru_cache(maxsize=1)
def lsh_params() -> tuple[int, int]:
    """``(bands, rows per band)`` of the LSH index: datasketch's optimum for ``LSH_THRESHOLD`` and
    ``NUM_PERM`` (equal weights on false positives and negatives), as ``MinHashLSH`` chooses them."""
    from datasketch.lsh import _optimal_param

    b, r = _optimal_param(LSH_THRESHOLD, NUM_PERM, 0.5, 0.5)
    return int(b), int(r)


def band_keys(sig: Signature) -> list[int]:
    """The signature's LSH band keys, as the ledger stores them (``ledger_lsh``): for each band, a
    signed 64-bit hash of the band's number and its ``r`` hash values.  Two articles are
    candidates when they share a key: the bands of ``MinHashLSH`` (``find_pairs``) in a form a
    database indexes.  A signature of no shingles has no keys."""
    if not sig.n_shingles:
        return []
    b, r = lsh_params()
    raw = sig.hashvalues.astype("<u4").tobytes()
    keys = []
    for i in range(b):
        h = hashlib.blake2b(raw[4 * i * r:4 * (i + 1) * r], digest_size=8, person=b"sb-lsh%02d" % i)
        keys.append(int.from_bytes(h.digest(), "little", signed=True))
    return keys


def find_pairs(new: dict[str, Signature], old: dict[str, Signature]) -> list[tuple[str, str, float]]:
    """Near-duplicate pairs ``(a, b, jaccard)`` (``a < b``) between ``new`` and ``new | old``, with
    an in-memory ``MinHashLSH`` (for small sets; the ledger uses ``band_keys`` in the database)."""
    from datasketch import MinHashLSH

    if not new:
        return []
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    everything = dict(old)
    everything.update(new)
    for aid, sig in everything.items():
        if sig.n_shingles:
            lsh.insert(aid, sig.minhash(), check_duplication=False)
    found: dict[tuple[str, str], float] = {}
    for aid, sig in new.items():
        if not sig.n_shingles:
            continue
        for other in lsh.query(sig.minhash()):
            if other == aid:
                continue
            pair = (aid, other) if aid < other else (other, aid)
            if pair in found:
                continue
            ok, j = is_near_duplicate(sig, everything[other])
            if ok:
                found[pair] = j
    return [(a, b, j) for (a, b), j in sorted(found.items())]


class UnionFind:
    """Groups of ids (path halving); an id unseen so far is a group of its own."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        self.parent: dict[str, str] = {x: x for x in ids}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra

    def groups(self) -> list[list[str]]:
        members: dict[str, list[str]] = {}
        for x in list(self.parent):
            members.setdefault(self.find(x), []).append(x)
        return list(members.values())


class PairSimilarity:
    """The similarities of near-duplicate pairs, to say how close a copy is to its canonical
    article: the pair's own similarity when they were compared, else the copy's highest (it is
    linked to the canonical article through another copy)."""

    def __init__(self) -> None:
        self.best: dict[tuple[str, str], float] = {}
        self.top: dict[str, float] = {}

    def add(self, a: str, b: str, j: float) -> None:
        self.best[(a, b) if a < b else (b, a)] = j
        self.top[a], self.top[b] = max(self.top.get(a, j), j), max(self.top.get(b, j), j)

    def to(self, a: str, canon: str) -> float | None:
        return self.best.get((a, canon) if a < canon else (canon, a), self.top.get(a))


def canonical_map(ids: Iterable[str], edges: Iterable[tuple[str, str, float]],
                  rank: dict[str, tuple]) -> dict[str, tuple[str, float | None]]:
    """``{article_id: (canonical_id, similarity to it or None)}`` for every article in ``ids``:
    groups are the connected components of ``edges``; the canonical article has the smallest
    ``rank`` (e.g. (published, ingested_at, id))."""
    uf = UnionFind(ids)
    sims = PairSimilarity()
    for a, b, j in edges:
        if a not in uf.parent or b not in uf.parent:
            continue
        sims.add(a, b, j)
        uf.union(a, b)
    out: dict[str, tuple[str, float | None]] = {}
    for group in uf.groups():
        canon = min(group, key=lambda a: rank.get(a) or rank_key(None, None, a))
        for a in group:
            out[a] = (a, None) if a == canon else (canon, sims.to(a, canon))
    return out


def rank_key(published: date | str | None, ingested_at, article_id: str) -> tuple:
    p = published.isoformat() if isinstance(published, date) else (published or "9999-99-99")
    return (p, str(ingested_at or ""), article_id)


def align(copy_counts: Sequence[dict], canon_counts: Sequence[dict],
          copy_len: int, canon_len: int) -> dict[str, str]:
    """``{copy count_id: canonical count_id}``: each figure of a copy matched to the figure of the
    canonical article it repeats: the same range, then the same words, then the nearest relative
    position.  Each canonical figure is used once; a figure the copy changed stays unmatched."""
    free = list(canon_counts)
    out: dict[str, str] = {}
    for c in sorted(copy_counts, key=lambda c: c["start_char"]):
        best = None
        for k in free:
            if k["low"] != c["low"] or k["high"] != c["high"]:
                continue
            same_words = (" ".join(words(k["text"])) == " ".join(words(c["text"])))
            dist = abs(k["start_char"] / max(1, canon_len) - c["start_char"] / max(1, copy_len))
            score = (0 if same_words else 1, dist)
            if dist > 0.5 and not same_words:
                continue
            if best is None or score < best[0]:
                best = (score, k)
        if best is not None:
            out[c["count_id"]] = best[1]["count_id"]
            free.remove(best[1])
    return out
