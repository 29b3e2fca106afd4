"""Claim clustering: figures that are the same claim become one claim with many citations.

Two figures are the same claim when they come from the same source (``normalize.source_key``:
the same block and compatible name or description tokens; a named source is never the same as an
anonymous one) with the same range (``low``, ``high``), and

* **quote**: the quotes holding them are the same words (equal after folding, or at least
  ``QUOTE_JACCARD`` of their words shared within the time window) and the figures are written
  the same (``7,000 foreigners``); or
* **figure**: the same counted group (``lexicon/ledger_groups.tsv``), the same status, compatible
  places (equal, or one unknown) and compatible times (overlapping intervals, or one unknown),
  published within ``window_days`` of each other; or
* **copy**: one is the figure a near-duplicate article (a wire copy, a reprint) repeats from the
  article it copies (``dupes.align``).

Clusters are the connected components of these links (single linkage).  Figures are compared
only inside a block (source block, low, high), sorted by date, against the figures of the window
before them, so the work grows with the figures per source and window, not with the square of
all figures.  The first citation (earliest publication date, then article id, then offset) is the
claim's first report; the claim id is a hash of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from .normalize import jaccard, short_hash, tokens_compatible

#: Default time window (days between publication dates) for the ``figure`` rule.
WINDOW_DAYS = 60
#: Share of words two quotes must have in common to be the same quote (fuzzy ``quote`` rule).
QUOTE_JACCARD = 0.8
#: A publication date later than any real one, for sorting undated articles last.
_NO_DATE = 10 ** 7


@dataclass(slots=True)
class Item:
    """One figure as the ledger compares it (normalized; see ``normalize.claim_features``)."""

    article_id: str
    count_id: str
    source_block: str
    source_tokens: frozenset[str]
    low: int | None
    high: int | None
    group: str
    status: str
    place: str | None = None
    time_from: str | None = None
    time_to: str | None = None
    day: int | None = None  # publication date as a proleptic ordinal (date.toordinal())
    quote: str | None = None  # folded quote text holding the figure
    count_text: str = ""  # folded figure text ("7 000 foreigners")
    start: int = 0
    copy_of: tuple[str, str] | None = None  # (article_id, count_id) of the figure a copy repeats
    quote_words: frozenset[str] = field(default=frozenset(), repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.article_id, self.count_id)

    @property
    def block(self) -> str:
        return block_of(self.source_block, self.low, self.high)

    def order(self) -> tuple[int, str, int]:
        return (self.day if self.day is not None else _NO_DATE, self.article_id, self.start)


def block_of(source_block: str, low: int | None, high: int | None) -> str:
    return f"{source_block}|{'' if low is None else low}|{'' if high is None else high}"


def time_overlap(a_from: str | None, a_to: str | None, b_from: str | None, b_to: str | None) -> bool:
    if not (a_from or a_to) or not (b_from or b_to):
        return True  # one time unknown
    lo_a, hi_a = a_from or "0000", a_to or "9999"
    lo_b, hi_b = b_from or "0000", b_to or "9999"
    return lo_a <= hi_b and lo_b <= hi_a


def same_quote(a: Item, b: Item) -> bool:
    if not a.quote or not b.quote or a.count_text != b.count_text:
        return False
    if a.quote == b.quote:
        return True
    if not a.quote_words:
        a.quote_words = frozenset(a.quote.split())
    if not b.quote_words:
        b.quote_words = frozenset(b.quote.split())
    return jaccard(a.quote_words, b.quote_words) >= QUOTE_JACCARD


def same_figure(a: Item, b: Item) -> bool:
    return (a.group == b.group and a.status == b.status
            and (a.place is None or b.place is None or a.place == b.place)
            and time_overlap(a.time_from, a.time_to, b.time_from, b.time_to))


def link_rule(a: Item, b: Item, window_days: int = WINDOW_DAYS) -> str | None:
    """Why ``a`` and ``b`` are the same claim (``copy``, ``quote``, ``figure``), or None.  The
    pairwise decision of the clusterer; ``cluster`` applies it within blocks and windows."""
    if a.copy_of == b.key or b.copy_of == a.key:
        return "copy"
    if a.source_block != b.source_block or a.low != b.low or a.high != b.high:
        return None
    if not tokens_compatible(a.source_tokens, b.source_tokens):
        return None
    if a.quote and b.quote and a.quote == b.quote and a.count_text == b.count_text:
        return "quote"
    near = a.day is None or b.day is None or abs(a.day - b.day) <= window_days
    if not near:
        return None
    if same_quote(a, b):
        return "quote"
    if same_figure(a, b):
        return "figure"
    return None


class _UnionFind:
    """Union-find whose clusters keep the union of their members' source tokens: two clusters join
    only while those unions stay compatible, so "Varga" does not chain "Lena Varga" to "Tomas Varga"."""

    __slots__ = ("parent", "tokens")

    def __init__(self, items: Sequence[Item]) -> None:
        self.parent = list(range(len(items)))
        self.tokens = [it.source_tokens for it in items]

    def find(self, i: int) -> int:
        p = self.parent
        while p[i] != i:
            p[i] = p[p[i]]
            i = p[i]
        return i

    def union(self, a: int, b: int, *, check: bool = True) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ta, tb = self.tokens[ra], self.tokens[rb]
        if check and not tokens_compatible(ta, tb):
            return False
        if rb < ra:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.tokens[ra] = ta | tb
        return True


def cluster(items: Sequence[Item], window_days: int = WINDOW_DAYS) -> list[list[Item]]:
    """The claims: ``items`` grouped into clusters, each sorted first report first; clusters in
    the order of their first reports."""
    by_block: dict[str, list[int]] = {}
    for i, it in enumerate(items):
        by_block.setdefault(it.block, []).append(i)
    uf = _UnionFind(items)
    index = {it.key: i for i, it in enumerate(items)}
    for i, it in enumerate(items):  # copies join the figure they repeat, whatever else differs
        if it.copy_of is not None:
            j = index.get(it.copy_of)
            if j is not None:
                uf.union(i, j, check=False)
    for members in by_block.values():
        if len(members) > 1:
            _cluster_block(items, members, uf, window_days)
    groups: dict[int, list[Item]] = {}
    for i, it in enumerate(items):
        groups.setdefault(uf.find(i), []).append(it)
    out = [sorted(g, key=Item.order) for g in groups.values()]
    out.sort(key=lambda g: g[0].order())
    return out


def _cluster_block(items: Sequence[Item], members: list[int], uf: _UnionFind, window_days: int) -> None:
    # first reports first: a claim grows from its earliest report, whatever order the rows came in
    members = sorted(members, key=lambda i: items[i].order())
    # exact quotes link at any distance in time
    seen_quote: dict[tuple[str, str], list[int]] = {}
    for i in members:
        it = items[i]
        if it.quote:
            for j in seen_quote.setdefault((it.quote, it.count_text), []):
                if uf.union(i, j):
                    break
            else:
                seen_quote[(it.quote, it.count_text)].append(i)
    by_day = sorted(((day, i) for i in members if (day := items[i].day) is not None), key=lambda t: t[0])
    dated = [i for _day, i in by_day]
    days = [day for day, _i in by_day]
    undated = [i for i in members if items[i].day is None]
    # dated figures: each against those of the window before it
    start = 0
    for pos, i in enumerate(dated):
        a = items[i]
        while days[start] < days[pos] - window_days:
            start += 1
        for j in dated[start:pos]:
            if uf.find(i) == uf.find(j):
                continue
            b = items[j]
            if tokens_compatible(a.source_tokens, b.source_tokens) and (same_figure(a, b) or same_quote(a, b)):
                uf.union(i, j)
    # undated figures: against every other figure of the block
    for k, i in enumerate(undated):
        a = items[i]
        for j in undated[:k] + dated:
            if uf.find(i) == uf.find(j):
                continue
            b = items[j]
            if tokens_compatible(a.source_tokens, b.source_tokens) and (same_figure(a, b) or same_quote(a, b)):
                uf.union(i, j)


def claim_id(first: Item) -> str:
    """A claim's id: a hash of its first citation (stable while the first report stays first)."""
    return short_hash("claim", first.article_id, first.count_id)


def pairwise_same(a: Item, b: Item, window_days: int = WINDOW_DAYS) -> bool:
    """Whether the clusterer puts ``a`` and ``b`` in one claim when they are all there is."""
    return len(cluster([a, b], window_days)) == 1
