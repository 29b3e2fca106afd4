"""Why a source is anonymous, wherever the article says it (issue 18). Every text here is invented,
written for these tests in wording of our own."""

from __future__ import annotations

import sourcebook


def ex(text: str):
    rec = sourcebook.extract(text)
    for s in rec.sources:
        if s.anonymity_reason is not None:
            r = s.anonymity_reason
            assert text[r.start:r.end] == r.text
    return rec


def anonymous(rec):
    return [s for s in rec.sources if s.anonymous]


def reasons(rec):
    return {s.head: (s.anonymity_reason.text if s.anonymity_reason else None) for s in rec.sources}


def test_reason_in_a_sentence_of_its_own_after_the_quotes():
    t = ("Two customs officers described the night of the raid. \"They came in trucks with no lights,\" one "
         "officer said. \"Nobody stopped them.\" The officers spoke on condition of anonymity because they "
         "were not authorized to brief reporters.")
    rec = ex(t)
    anon = anonymous(rec)
    assert anon and all(s.anonymity_reason is not None for s in anon), reasons(rec)
    assert all("condition of anonymity" in s.anonymity_reason.text for s in anon)


def test_one_reason_for_several_sources():
    t = ("Police and hospital officials said 14 people were killed in the blast. A health ministry official "
         "said 30 more were being treated. All spoke on condition of anonymity in line with regulations.")
    rec = ex(t)
    anon = anonymous(rec)
    assert len(anon) >= 2, reasons(rec)
    assert all(s.anonymity_reason is not None and "anonymity" in s.anonymity_reason.text for s in anon)


def test_plural_summaries_point_back():
    for summary in ("The officials requested anonymity because the talks were ongoing.",
                    "Both sources declined to be identified, fearing reprisals.",
                    "They asked not to be named for security reasons."):
        t = ("A security official said the convoy had been stopped at the bridge. "
             "A second official said the drivers were held overnight. " + summary)
        rec = ex(t)
        anon = anonymous(rec)
        assert anon and all(s.anonymity_reason is not None for s in anon), (summary, reasons(rec))


def test_reason_inside_a_long_apposition():
    t = ("The attack began before dawn, the military source, a senior officer who requested anonymity "
         "to discuss operations, said on Friday.")
    rec = ex(t)
    anon = anonymous(rec)
    assert len(anon) == 1 and anon[0].anonymity_reason is not None
    assert "requested anonymity" in anon[0].anonymity_reason.text


def test_reason_split_from_its_formula():
    t = ("A border guard said that 200 people crossed overnight. He spoke on condition of anonymity. "
         "He was not authorized to speak to the press.")
    rec = ex(t)
    (s,) = anonymous(rec)
    r = s.anonymity_reason
    assert r is not None and "condition of anonymity" in r.text and "not authorized to speak" in r.text


def test_reason_never_goes_to_a_named_source_in_the_same_paragraph():
    t = ("Governor Hassan Idris said the curfew would stay. An aide said the governor was under pressure. "
         "He spoke on condition of anonymity because he was not allowed to discuss the matter.")
    rec = ex(t)
    named = [s for s in rec.sources if not s.anonymous]
    assert named and all(s.anonymity_reason is None for s in named)
    aide = [s for s in rec.sources if s.head == "aide"]
    assert aide and aide[0].anonymity_reason is not None


def test_reason_with_a_named_source_only_is_dropped():
    t = ("Hassan Idris, the governor, said the curfew would stay. "
         "He spoke on condition of anonymity.")  # contradictory on purpose: a named source keeps no reason
    rec = ex(t)
    assert all(s.anonymity_reason is None for s in rec.sources)


def test_common_variants():
    for phrase in ("speaking on background", "who declined to be identified",
                   "who was not authorized to speak publicly", "citing security reasons", "fearing reprisals"):
        t = f"A local commander, {phrase}, said 40 fighters had surrendered."
        rec = ex(t)
        (s,) = anonymous(rec)
        assert s.anonymity_reason is not None, phrase


def test_preferred_to_remain_anonymous():
    rec = ex("A clinic worker, who preferred to remain anonymous, said 17 children were treated for burns.")
    (s,) = anonymous(rec)
    assert s.anonymity_reason is not None and "remain anonymous" in s.anonymity_reason.text
    assert not any("remain anonymous" in q.text for q in rec.quotes)
