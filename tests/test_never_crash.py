"""Property test: ``sourcebook.extract`` never crashes and every span it returns is valid.

For any text, ``extract`` either raises ``InputError`` (only for empty, white-space-only or NUL
text) or returns a ``Record`` whose ``to_dict()`` is JSON-serializable and in which every span
(source mentions, anonymity reasons, quotes, cues, counts) satisfies
``0 <= start <= end <= len(text)`` and ``text[start:end] == span.text``.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sourcebook
from sourcebook import REPORTER, InputError, Record
from sourcebook.nlp.registry import failed_components

FRAGMENTS = [
    '"', "\u201c", "\u201d", "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "``", "''",
    "said", "says", "told reporters", "added", "according to", "he", "she", "they", "it", "we", "I",
    ", ", ". ", ": ", "; ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2014", "-", "(", ")", "...", "?", "!",
    "Maria Okafor", "Mr. Assad", "Abu Mohammed al-Jolani", "the commander", "a spokesman for the ministry",
    "officials", "a security official who spoke on condition of anonymity", "because he was not authorized",
    "the U.N.", "Hayat Tahrir al-Sham", "the Syrian Observatory for Human Rights", "Reuters",
    "at least 120 fighters", "3,000 people", "dozens", "two-thirds of", "12", "1.5 million", "on Monday",
    "last week", "in Idlib", "\u0623\u062d\u0645\u062f", "\u041c\u043e\u0441\u043a\u0432\u0430", "\U0001f600",
    "e\u0301", "\u200b", "\ufeff", "\r\n", "\r",
]

fragment_texts = st.lists(st.sampled_from(FRAGMENTS), min_size=0, max_size=80).map("".join)
spaced_fragment_texts = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60).map(" ".join)
mixed_texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=40).map("".join)
long_lines = st.builds(
    lambda frag, n, tail: frag * n + tail,
    st.sampled_from(['"he said, ', "according to officials ", "\u201c", "word ", "Maria Okafor said "]),
    st.integers(min_value=200, max_value=1500),
    st.text(max_size=20),
)
TEXTS = st.one_of(fragment_texts, spaced_fragment_texts, mixed_texts, st.text(max_size=300), long_lines)


def check_span(text: str, start, end, span_text, what: str) -> None:
    assert isinstance(start, int) and isinstance(end, int), (what, start, end)
    assert 0 <= start <= end <= len(text), (what, start, end, len(text))
    assert text[start:end] == span_text, (what, start, end, text[start:end], span_text)


def check_record(text: str, rec: Record) -> None:
    assert isinstance(rec, Record)
    assert rec.text == text
    # no component failed or is missing (strict mode raises first; this holds without it too)
    assert not failed_components(rec.warnings), rec.warnings
    d = rec.to_dict()
    json.dumps(d, ensure_ascii=False)
    json.dumps(d, ensure_ascii=True)
    source_ids = {s.id for s in rec.sources}
    assert len(source_ids) == len(rec.sources), "duplicate source ids"
    for s in rec.sources:
        for m in s.mentions:
            check_span(text, m.start, m.end, m.text, f"mention of {s.id}")
        if s.anonymity_reason is not None:
            r = s.anonymity_reason
            check_span(text, r.start, r.end, r.text, f"anonymity reason of {s.id}")
    for q in rec.quotes:
        check_span(text, q.start, q.end, q.text, f"quote {q.id}")
        if q.cue is not None:
            check_span(text, q.cue.start, q.cue.end, q.cue.text, f"cue of {q.id}")
        assert q.source == REPORTER or q.source in source_ids, (q.id, q.source)
        assert q.type in ("direct", "indirect", "mixed"), q.type
    for c in rec.counts:
        check_span(text, c.start, c.end, c.text, f"count {c.id}")
    # The dict form round-trips.
    assert Record.from_dict(json.loads(json.dumps(d))).to_dict() == d


def may_be_refused(text: str) -> bool:
    return not text.strip() or "\x00" in text


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
@example("")
@example("   \n\t ")
@example("\x00")
@example('"')
@example("\u201c\u201c\u201c\u201d")
@example('" said he, "')
@example('He said: "')
@example("\u201cWe will stay,\u201d the commander said. \u201cAnd you?")
@example("according to according to according to")
@example("\n\n\n\u201c\n\n\u201d\n\nsaid\n")
@example("said " * 3000)
@example("\u2019\u2018'\"" * 500)
@example("a\r\nb said \u201cc\u201d")
def test_extract_never_crashes(text):
    try:
        rec = sourcebook.extract(text)
    except InputError:
        assert may_be_refused(text), f"InputError for text that is neither empty nor NUL: {text[:200]!r}"
        return
    check_record(text, rec)


def test_extract_many_skips_instead_of_raising():
    texts = ["", '"We will stay," the commander said.', "\x00\x00", "   "]
    out = list(sourcebook.extract_many(texts, on_error="skip"))
    assert [type(o).__name__ for o in out] == ["Skip", "Record", "Skip", "Skip"]
    assert [o.reason for o in out if not isinstance(o, Record)] == ["empty", "binary", "empty"]
    check_record(texts[1], out[1])
