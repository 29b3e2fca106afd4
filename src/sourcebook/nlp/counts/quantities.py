"""Numbers: the quantity a run of words stands for, as a range (``low``/``high``, None for an open end).

``scan(words, i)`` reads the quantity that starts at ``words[i]`` with its modifier ("at least",
"nearly", "between ... and ..."); ``normalize("at least 112")`` does the same on a plain string.
The table is ``lexicon/quantity_words.tsv`` ("hundreds" = 200-999, "nearly 3,000" = 3000, approximate).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

from .lex import DIGITS, HYPHENS, Entry, get_lex


@dataclass(slots=True)
class Quantity:
    """A quantity found in a list of words: ``words[start:end]``; the number proper is ``core_start:end``."""

    start: int
    core_start: int
    end: int
    low: int | None
    high: int | None
    approximate: bool
    value_kind: str  # number | vague


def _lookup(words: list[str], i: int, kinds: Iterable[str]) -> tuple[int, Entry] | None:
    """Longest phrase of one of ``kinds`` at ``words[i]``: (length, entry)."""
    lex = get_lex()
    kinds = set(kinds)
    for n in range(min(lex.quant_max, len(words) - i), 0, -1):
        e = lex.quant.get(tuple(words[i:i + n]))
        if e is not None and e.kind in kinds:
            return n, e
    return None


def _digits(word: str) -> Fraction | None:
    if DIGITS.match(word):
        try:
            return Fraction(word.replace(",", ""))
        except ValueError:  # digits of other scripts: "٣"
            return Fraction(int(float(word.replace(",", ""))))
    return None


def _cardinal(words: list[str], i: int) -> tuple[int, int] | None:
    """A cardinal number at ``words[i]`` in digits, words or both: (end, value)."""
    lex = get_lex()
    n = len(words)
    d = _digits(words[i]) if i < n else None
    if d is not None:
        j = i + 1
        value = d
        while j < n and words[j] in lex.scales:
            value *= lex.scales[words[j]]
            j += 1
        if j < n and words[j] == "dozen":
            value *= 12
            j += 1
        if value.denominator != 1:
            return None
        return j, int(value)
    total, current, j, seen = 0, 0, i, False
    last_end = None
    while j < n:
        w = words[j]
        if w in ("a", "an") and not seen and j + 1 < n and words[j + 1] in lex.scales:
            current, seen = 1, True
            j += 1
            continue
        if w in lex.numbers and w != "dozen":
            v = lex.numbers[w]
            if seen and current % 100 and v < 100 and not (current % 100 >= 20 and current % 10 == 0 and v < 10):
                break  # "five six": two numbers
            current += v
            seen = True
            j += 1
            last_end = j
            if j + 1 < n and words[j] in HYPHENS and words[j + 1] in lex.numbers and v >= 20 and v % 10 == 0:
                j += 1  # twenty-five
            continue
        if w == "dozen" and seen:
            current = max(current, 1) * 12
            j += 1
            last_end = j
            continue
        if w in lex.scales and seen:
            scale = lex.scales[w]
            if scale == 100:
                current = max(current, 1) * 100
            else:
                total += max(current, 1) * scale
                current = 0
            j += 1
            last_end = j
            continue
        if w == "and" and seen and j + 1 < n and words[j + 1] in lex.numbers and (total or current >= 100):
            j += 1
            continue
        break
    if not seen or last_end is None:
        return None
    return last_end, total + current


def _core(words: list[str], j: int) -> tuple[int, int | None, int | None, bool, str] | None:
    """The number proper at ``words[j]``: (end, low, high, approximate, kind)."""
    lex = get_lex()
    n = len(words)
    if j >= n:
        return None
    if words[j] == "between":
        a = _cardinal(words, j + 1)
        if a and a[0] + 1 < n and words[a[0]] == "and":
            b = _cardinal(words, a[0] + 1)
            if b and b[1] > a[1]:
                return b[0], a[1], b[1], False, "number"
        return None
    vague = _lookup(words, j, ("vague",))
    card = _cardinal(words, j)
    if vague and (card is None or j + vague[0] >= card[0]):
        length, e = vague
        end = j + length
        low, high = e.low, e.high
        if end < n and words[end] == "dozen" and low is not None and high is not None:
            # "several dozen" = 3x12 .. 9x12, "a few dozen" = 2x12 .. 5x12, "a couple (of) dozen" = 24
            return end + 1, low * 12, high * 12, e.approx, "vague"
        if end < n and words[end] in lex.scales and low is not None and high is not None:
            scale = lex.scales[words[end]]
            if low == high:
                low = high = low * scale
            else:
                low, high = low * scale, (high + 1) * scale - 1 if high < 10 else high * scale
            end += 1
        return end, low, high, e.approx, "vague"
    if card is None:
        return None
    end, value = card
    low = high = value
    # ranges: "five or six", "5-10", "20 to 30"
    if end + 1 < n:
        rng = _lookup(words, end, ("range",))
        if rng:
            b = _cardinal(words, end + rng[0])
            if b and b[1] > value:
                return b[0], value, b[1], False, "number"
    return end, low, high, False, "number"


def scan(words: list[str], i: int) -> Quantity | None:
    """The quantity that starts at ``words[i]`` (with its leading modifier), or None."""
    mod = _lookup(words, i, ("min", "max", "approx", "exact"))
    j = i + mod[0] if mod else i
    core = _core(words, j)
    if core is None:
        if mod is None:
            return None
        return None
    end, low, high, approx, kind = core
    if mod is not None:
        e = mod[1]
        if e.kind == "min":
            high = None if low is not None else high
            if low is None:
                low, high = high, None
        elif e.kind == "max":
            low = None
            high = high if high is not None else low
        elif e.kind == "approx":
            approx = True
    after = _lookup(words, end, ("min_after", "approx_after"))
    if after and low is not None and kind == "number":
        if after[1].kind == "min_after":
            high = None
        else:
            approx = True
        end += after[0]
    return Quantity(i, j, end, low, high, approx, kind)


_WORD_RE = re.compile(r"\d[\d,.]*|[A-Za-z]+(?:\.[A-Za-z]+)*\.?|[-–—%$£€]")


def normalize(text: str) -> tuple[int | None, int | None, bool] | None:
    """The range of a quantity written in ``text``: ``normalize("hundreds")`` is ``(200, 999, True)``.

    Returns (low, high, approximate) for the quantity at the start of the text, or None.
    """
    words = [w.lower() for w in _WORD_RE.findall(text)]
    words = [w.rstrip(".") if not DIGITS.match(w) and w.count(".") == 1 and w.endswith(".") else w for w in words]
    q = scan(words, 0) if words else None
    if q is None:
        return None
    return q.low, q.high, q.approximate

