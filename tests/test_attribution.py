"""Attribution on short invented sentences: one construction each."""

from __future__ import annotations

import pytest

import sourcebook


def ex(text, **kw):
    rec = sourcebook.extract(text, **kw)
    for q in rec.quotes:
        assert text[q.start:q.end] == q.text
    return rec


def by_text(rec, fragment):
    hits = [q for q in rec.quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r} in {[q.text for q in rec.quotes]}"
    return hits[0]


def src(rec, q):
    return rec.source(q.source)


def test_interrupted_direct_quote_is_two_items_one_source():
    t = ('"We will not leave," said Maria Okafor, a spokeswoman for the regional ministry, '
         '"until the last family is safe."')
    rec = ex(t)
    a, b = by_text(rec, "We will not leave"), by_text(rec, "until the last family")
    assert a.type == b.type == "direct"
    assert a.source == b.source
    s = src(rec, a)
    assert s.name == "Maria Okafor" and s.head == "Okafor" and not s.anonymous
    assert "spokeswoman" in (s.role or "")


def test_parenthetical_cue_splits_reported_speech():
    t = ("Colonel Idris Barre, the commander of the northern sector, spoke on Monday. "
         "Hundreds more, he said, were trapped in the valley with no way out.")
    rec = ex(t)
    q1, q2 = by_text(rec, "Hundreds more"), by_text(rec, "were trapped in the valley")
    assert q1.type == q2.type == "indirect"
    assert src(rec, q1).name == src(rec, q2).name == "Idris Barre"
    assert q1.cue.text == "said"


def test_according_to_and_unattributed_statement():
    t = ("The road to the border was closed on Tuesday. "
         "About 300 fighters had crossed into the province, according to a local monitoring group.")
    rec = ex(t)
    q = by_text(rec, "fighters had crossed")
    assert q.cue.text == "according to"
    s = src(rec, q)
    assert s.anonymous and s.head == "group"
    assert not any("road to the border" in q.text for q in rec.quotes)


def test_anonymous_source_with_reason_and_pronoun():
    t = ("A security official, who spoke on condition of anonymity because he was not authorized to brief "
         "reporters, said the camp held at least 40 detainees. He said more were expected.")
    rec = ex(t)
    a, b = by_text(rec, "the camp held"), by_text(rec, "more were expected")
    assert a.source == b.source
    s = src(rec, a)
    assert s.anonymous and s.name is None and s.head == "official"
    assert s.anonymity_reason is not None and "condition of anonymity" in s.anonymity_reason.text
    assert t[s.anonymity_reason.start:s.anonymity_reason.end] == s.anonymity_reason.text


def test_surname_and_pronoun_merge_into_one_source():
    t = ('Samira Haddad, a researcher at the Centre for Border Studies, said the flows had slowed. '
         '"It is a trickle now," Haddad said.\n\n"Nobody wants to be caught," she added.')
    rec = ex(t)
    ids = {by_text(rec, f).source for f in ("flows had slowed", "trickle now", "Nobody wants")}
    assert len(ids) == 1
    s = rec.source(ids.pop())
    assert s.name == "Samira Haddad" and s.affiliation == "Centre for Border Studies"
    assert len(s.mentions) >= 3


def test_nickname_counts_as_a_name():
    t = ("Some fighters were trying to leave, said a commander in the hills who goes by the nickname Abu Karim.")
    rec = ex(t)
    s = src(rec, by_text(rec, "trying to leave"))
    assert s.name == "Abu Karim" and not s.anonymous


def test_colon_lead_in_and_continuing_quote():
    t = ('The mayor was blunt: "The checkpoints are closed." '
         '"We have no choice," he said. "Every night there are more of them."')
    rec = ex(t)
    a, b = by_text(rec, "We have no choice"), by_text(rec, "Every night")
    assert a.source == b.source and b.type == "direct"


def test_mixed_quote_inside_reported_speech():
    t = 'The minister said the returnees posed "a serious and lasting threat" to the region.'
    rec = ex(t)
    q = by_text(rec, "returnees posed")
    assert q.type == "mixed" and src(rec, q).head == "minister"


def test_curly_and_straight_marks_and_unbalanced_quote():
    t = '“We are leaving tonight," the driver said.\n\nThen a stray " mark appears here.'
    rec = ex(t)
    q = by_text(rec, "We are leaving tonight")
    assert q.type == "direct" and src(rec, q).head == "driver"


def test_quote_running_over_paragraphs():
    t = ('Ahmed Salim, a teacher from the town, described the night they fled. "We took nothing with us.\n\n'
         '"By morning the road was full of people," Salim said.')
    rec = ex(t)
    q = by_text(rec, "By morning")
    assert q.start <= t.index("We took nothing") < t.index("By morning") < q.end  # one quote over both paragraphs
    assert src(rec, q).name == "Ahmed Salim"


@pytest.mark.parametrize("text", [
    "The report was published in 2014 and widely read.",
    "Fighting continued overnight in the north of the country.",
    '"Operation Dawn" began at midnight.',
])
def test_no_attribution_no_quote(text):
    assert ex(text).quotes == []


def test_commas_stripped_trailing_reporting_clause():
    """Some sources strip every comma: "X the Observatory said." is still X, said by the Observatory,
    whether the parser hangs "said" on the clause as a conjunct, an adverbial clause or a relative
    clause; "the things the minister said" is not a reporting clause."""
    for t, content, who in [
        ("The death toll from a bomb blast on a bus convoy outside Aleppo reached at least 112 people the Syrian "
         "Observatory for Human Rights monitoring group said on Sunday.", "The death toll", "Observatory"),
        ("The death toll from strikes in the city of Al Quriyah has risen to 82 people including 58 civilians the "
         "UK-based Syrian Observatory for Human Rights said on Sunday.", "has risen to 82", "Observatory"),
        ("The army has captured several villages north of Aleppo and fighting has blocked a main supply route "
         "leading into the city a monitoring group said on Tuesday.", "captured several villages", "monitoring group"),
    ]:
        rec = ex(t)
        q = by_text(rec, content)
        assert q.type == "indirect" and who in (src(rec, q).name or src(rec, q).mention), (t, src(rec, q))
    assert ex("He repeated the things the minister said.").quotes == []


def test_a_generic_organization_noun_refers_to_the_one_organization_named():
    one = ex("Air strikes killed 50 militants on Tuesday, the Syrian Observatory for Human Rights said. Most of "
             "the dead were foreigners, the Britain-based monitoring group said.")
    a, b = by_text(one, "Air strikes killed"), by_text(one, "Most of the dead")
    assert a.source == b.source and len(one.sources) == 1
    # two organizations named before: "the group" could be either, so it stays a source of its own
    two = ex("Air strikes killed 50 militants on Tuesday, the Syrian Observatory for Human Rights said. "
             "Amnesty International said the strikes hit homes. Most of the dead were foreigners, the "
             "Britain-based monitoring group said.")
    c = by_text(two, "Most of the dead")
    assert src(two, c).name not in ("Syrian Observatory for Human Rights", "Amnesty International")


def test_attribution_alone_gives_the_quotes_and_sources_of_the_whole_pipeline():
    """A PolNeAR-only evaluation runs attribution without the components after it."""
    from sourcebook.api import extract_many

    texts = ['"We will not leave," said Omar Haddad, a council member in Idlib. Police said 12 men were held.',
             "An official, who asked not to be named because he was not authorized to speak, said talks failed."]
    full = list(extract_many(texts))
    alone = list(extract_many(texts, only=("sourcebook_anonymity_v2",)))
    for a, b in zip(alone, full):
        assert (a.to_dict()["quotes"], a.to_dict()["sources"]) == (b.to_dict()["quotes"], b.to_dict()["sources"])
    assert alone[0].quotes and alone[1].sources[0].anonymity_reason
    assert not alone[0].counts and "sourcebook_counts_v3" not in alone[0].extractors
