"""Candidates: every quantity in the Doc that counts people, with its counted noun (or why it has none).

``find_candidates(doc)`` scans the words for quantities (``quantities.scan``) and keeps those whose
noun phrase names people ("120 fighters", "hundreds of refugees", "two of them"), and figures
without a noun that the parse makes people: the subject or object of a status verb ("Tens of
thousands have fled"), "N more", a death toll ("the death toll rose to 115") or an estimate
("put the number at 800").  Money, measures, ages, years and ratios are refused here.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .lex import HYPHENS, OBJ, PASS_SUBJ, QUOTES, STATUS_ADVERBS, SUBJ, YEARLIKE, get_lex
from .nouns import core_token, is_people, np_run, np_text
from .quantities import Quantity, scan
from .status import noun_status, phrasal_status, verb_status, word_status

_PARTITIVE = ("them", "us", "whom", "those")


@dataclass(slots=True)
class Cand:
    """A figure about people found in the Doc: the contract between the parts of the component.

    Token offsets are the Doc's.  ``find_candidates`` fills the quantity, the span and the counted
    noun (or ``bare``, why a figure without a noun counts); the status, origin and movement steps
    fill the rest."""

    q: Quantity
    start: int  # token span of the count
    end: int
    head: Token | None  # the counted noun (None for a bare figure)
    counted_span: tuple[int, int] | None  # token span of the counted phrase
    bare: str = ""  # why a figure without a noun counts: more | subj | obj | toll | partitive | estimate | from
    status: str = "other"
    status_tok: Token | None = None
    anchor: Token | None = None  # the token whose clause gives place and time
    counted_text: str | None = None
    origin_toks: tuple[int, int] | None = None
    parent: "Cand | None" = None  # the count whose list this one is an item of (``lists``)
    inherit: bool = False  # "put the number at N": status and counted of the count before

    @property
    def single(self) -> bool:
        """One person ("a Tunisian", "one from Canada"): a count only inside a tally."""
        return self.q.low == 1 and self.q.high == 1


def find_candidates(doc: Doc) -> list[Cand]:
    """Every figure about people in ``doc``, in text order (no status yet, except for bare figures)."""
    lex = get_lex()
    words = [t.lower_ for t in doc]
    n = len(doc)
    out: list[Cand] = []
    i = 0
    quick = set(lex.numbers) | {k[0] for k in lex.quant} | {"between"}
    while i < n:
        if words[i] not in quick and not words[i][:1].isdigit():
            i += 1
            continue
        q = scan(words, i)
        if q is None:
            i += 1
            continue
        cand = _candidate(doc, q)
        if cand is not None:
            out.append(cand)
            i = max(cand.end, q.end)
        else:
            i = q.end if q.end > q.core_start + 1 and q.core_start == i else i + 1
    return out


def _refused(doc: Doc, q: Quantity) -> bool:
    """Measures, money, ages, shares, ratios and dates: "$5 million", "30 km", "aged 30", "one in five"."""
    lex = get_lex()
    n = len(doc)
    before = doc[q.start - 1] if q.start > 0 else None
    if before is not None and before.lower_ in lex.excl_before and not _number_verb(before, q):
        return True
    if before is not None and before.lower_ in ("in", "out", "of") and q.start >= 2 and (
            doc[q.start - 2].like_num or doc[q.start - 2].lower_ in lex.numbers):
        return True  # ratios: "one in five", "1 in 6,500", "five out of ten"
    k = q.end
    while k < n and doc[k].text in HYPHENS:
        k += 1
    if k < n and (doc[k].lower_ in lex.excl or doc[k].lemma_.lower() in lex.excl):
        if not (doc[k].lower_ in ("m",) and q.value_kind == "vague"):
            return True
    if q.low is None and q.high is None:
        return True
    core = doc[q.core_start:q.end]
    return any(t.text[:1] == "0" and len(t.text) > 1 and t.text[1:2].isdigit() for t in core)  # "04-04-2016"


def _number_verb(tok: Token, q: Quantity) -> bool:
    """"(those detained now) number some 650": a verb of number (``lexicon/count_total_verbs.txt``),
    which the tagger often reads as a noun; a verb, or followed by a hedged quantity, or with no
    determiner before it ("number 10" is a label, "the number 7" too)."""
    if tok.lemma_.lower() not in get_lex().total_verbs and tok.lower_ not in get_lex().total_verbs:
        return False
    if tok.pos_ in ("VERB", "AUX"):
        return True
    prev = tok.doc[tok.i - 1] if tok.i > 0 else None
    return q.core_start > q.start and (prev is None or prev.pos_ not in ("DET", "ADJ", "NUM", "PRON"))


def _yearlike(doc: Doc, q: Quantity) -> tuple[bool, bool]:
    """(looks like a year, refused as a date): "in 2011", "21 Jun 2014", "2011-2014"."""
    lex = get_lex()
    core = doc[q.core_start:q.end]
    before = doc[q.start - 1] if q.start > 0 else None
    yearlike = any(YEARLIKE.match(t.text) for t in core) and not any(t.lower_ in lex.scales for t in core)
    near = [doc[x].lower_.rstrip(".") for x in range(max(0, q.start - 3), q.start)]
    refused = yearlike and (len(core) > 1 or any(x in lex.months for x in near) or (before is not None and (
        before.lower_ in ("in", "since", "of", "by", "until", "from", "year", "early", "mid", "late"))))
    return yearlike, refused


def _candidate(doc: Doc, q: Quantity) -> Cand | None:
    if _refused(doc, q):
        return None
    yearlike, refused = _yearlike(doc, q)
    if refused:
        return None
    in_date_ent = any(t.ent_type_ in ("DATE", "TIME", "MONEY") for t in doc[q.core_start:q.end])
    n = len(doc)
    k = q.end
    before = doc[q.start - 1] if q.start > 0 else None
    if before is not None and before.text in QUOTES and k + 1 < n and doc[k].text in QUOTES \
            and doc[k + 1].lower_ == "of":
        k += 1  # 'held "dozens" of government soldiers'
    more = k < n and doc[k].lower_ == "more"
    k += int(more)
    if k < n and doc[k].lower_ == "of" and not more:
        found = _partitive_noun(doc, k + 1)
        if found is None:
            return None
        head, counted = found
    else:
        got = _noun_after(doc, q, k, more, in_date_ent)
        if isinstance(got, Cand) or got is None:
            return got
        head, counted = got
    if head is not None:
        return _with_noun(doc, q, head, counted, in_date_ent or yearlike)
    if yearlike or (in_date_ent and not more):
        return None
    if more:
        return Cand(q, q.start, k, None, None, bare="more")
    return _bare(doc, q, core_token(doc, q, 0))


def _partitive_noun(doc: Doc, j: int) -> tuple[Token | None, tuple[int, int] | None] | None:
    """The noun after "N of": "hundreds of fighters", "two of them", "nine of the wounded"; None to refuse."""
    n = len(doc)
    if j < n and doc[j].lower_ in ("which", "what", "it", "these", "this", "that"):
        return None  # "537 of which are ..."
    while j < n and (doc[j].pos_ in ("DET", "PRON") and doc[j].lower_ not in _PARTITIVE
                     or doc[j].dep_ == "poss" or doc[j].tag_ == "POS"):
        j += 1
    if j < n and doc[j].lower_ in _PARTITIVE:
        return doc[j], None
    head = head_of(np_run(doc, j))
    return head, ((j, head.i + 1) if head is not None else None)


def _noun_after(doc: Doc, q: Quantity, k: int, more: bool, in_date_ent: bool):
    """The noun right after the number: (head, counted span), a finished ``Cand`` for a headline
    verb read as a noun ("Thousands rally"), or None to refuse ("20 years", "three police stations")."""
    n = len(doc)
    run = np_run(doc, k)
    if run and run[0].pos_ == "NUM":
        return None
    head = head_of(run)
    if head is not None and head is run[0] and len(run) == 1 and head.tag_ in ("NN", "VB", "VBP") \
            and ((q.low or 0) > 1 or q.value_kind == "vague") and not is_people(head) \
            and not (k + 1 < n and doc[k + 1].pos_ in ("NOUN", "PROPN")):
        ws = word_status(head)  # a headline verb read as a noun: "Thousands rally", "Dozens flee"
        if ws and ws[1] in ("subj", "any") and ws[0] != "other" and not in_date_ent:
            return Cand(q, q.start, head.i + 1, None, None, bare="subj", status=ws[0], status_tok=head, anchor=head)
    ws = word_status(head) if head is not None and head is run[0] else None
    if ws and head is not None and ws[1] in ("any", "obj") and not is_people(head, doc[head.i - 1]):
        return None, None  # "At Least 17 Slain", "18 shot dead": a status word, no noun
    if head is not None:
        return head, (q.end if not more else k, head.i + 1)
    if run and any(t.pos_ in ("NOUN", "PROPN") for t in run):
        return None  # a figure of something else: "20 years", "three police stations"
    return None, None


def _with_noun(doc: Doc, q: Quantity, head: Token, counted: tuple[int, int] | None, datelike: bool) -> Cand | None:
    lex = get_lex()
    if head.lower_ in _PARTITIVE:
        if datelike:
            return None
        return Cand(q, q.start, head.i + 1, head, None, bare="partitive")
    if not is_people(head, doc[head.i - 1] if head.i > 0 else None):
        return None
    if (q.low or 0) > 1 and head.tag_ in ("NN", "NNP") and not head.lower_.endswith("s") \
            and head.lower_ not in lex.collective and not lex.origin_word(head.lower_):
        return None  # "2015 Al-Nusra Front Commander": a number with a singular noun
    return Cand(q, q.start, head.i + 1, head, counted)


def head_of(run: list[Token]) -> Token | None:
    """The head noun of a run of noun-phrase tokens, or None."""
    nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN") or t.lower_ in ("others",)]
    if not nouns and run and run[-1].pos_ == "ADJ" and run[-1].lower_ in get_lex().people:
        return run[-1]  # an adjective used as a noun: "three of the dead", "several hundred elderly"
    if not nouns:
        return None
    # the noun phrase ends at its head: "the 3,000 guards Ostrel has there" (Ostrel is the subject
    # of a relative clause, not part of the phrase)
    idx = {t.i for t in run}
    for k, t in enumerate(nouns[:-1]):
        nxt = nouns[k + 1]
        if t.head.i not in idx and t.head != t and nxt.head.i not in idx and nxt.head.i != t.i \
                and t.tag_ in ("NNS", "NNPS") and t.whitespace_ and not any(
                    x.text in HYPHENS for x in t.doc[t.i + 1:nxt.i]):
            return t  # "35 citizens last week": two phrases side by side
    # a status word written after the noun ("20 Terrorists Killed") is not the head
    while len(nouns) > 1 and word_status(nouns[-1]) and not is_people(nouns[-1]) \
            and nouns[-1].tag_ not in ("NNS", "NNPS"):  # "three police stations" keeps its head
        nouns.pop()
    return nouns[-1]


# -- figures without a noun --------------------------------------------------------------------------


def _bare(doc: Doc, q: Quantity, tok: Token) -> Cand | None:
    """A figure with no counted noun: keep it when the parse says it is people."""
    for rule in (_bare_partitive, _bare_status_word, _bare_toll, _bare_predicate):
        c = rule(doc, q, tok)
        if c is not None:
            return c
    dep, head = tok.dep_, tok.head
    # "Police put the crowd at 4,500", "put the number at between 1,800 and 2,400"
    if dep == "pobj" and head.lower_ == "at" and head.head.lemma_.lower() in get_lex().estimate_verbs:
        c = _estimate(doc, q, head.head)
        if c is not None:
            return c
    return _bare_argument(q, tok)


def _bare_partitive(doc: Doc, q: Quantity, tok: Token) -> Cand | None:
    """"The bodies of the four": a people noun + of + (the) N."""
    j = q.start - 1
    if j >= 0 and doc[j].lower_ in ("the", "all", "these", "those"):
        j -= 1
    if j >= 1 and doc[j].lower_ == "of" and is_people(doc[j - 1]) and doc[j - 1].tag_ in ("NNS", "NNPS"):
        return Cand(q, q.start if doc[q.start - 1].lower_ not in ("the",) else q.start - 1, q.end, None, None,
                    bare="partitive", anchor=doc[j - 1])
    return None


def _bare_status_word(doc: Doc, q: Quantity, tok: Token) -> Cand | None:
    """"32 killed", "18 wounded", "12 died", "18 shot dead", "the four still held"."""
    n, e = len(doc), q.end
    while e < n - 1 and doc[e].pos_ == "ADV" and doc[e].lower_ in STATUS_ADVERBS:
        e += 1
    if e >= n:
        return None
    t = doc[e]
    ws = word_status(t)
    if not (ws and (ws[0] != "other" or ws[1] == "any") and ws[1] in ("any", "obj", "subj") and not any(
            c.dep_ in OBJ for c in t.children) and t.pos_ in ("VERB", "ADJ", "PROPN", "NOUN")):
        return None
    if ws[1] == "obj" and not (t.tag_ in ("VBN", "VBD", "JJ", "NNP") or t.pos_ == "ADJ"):
        return None
    st, st_tok = ws[0], t
    if t.pos_ == "VERB" and ws[1] == "subj":
        got = verb_status(t, "subj")  # "Dozens remain missing", "are waiting to leave"
        if got:
            st, st_tok = got
    return Cand(q, q.start, q.end, None, None, bare="subj", status=st, status_tok=st_tok)


def _total_verb(tok: Token) -> Token | None:
    """The verb of number a bare figure belongs to: "rose to 115", "stands at 74", "number about 320",
    "has passed 1,800"."""
    lex = get_lex()
    dep, head = tok.dep_, tok.head
    if dep == "pobj" and head.lower_ in ("to", "at") and head.head.lemma_.lower() in lex.total_verbs:
        return head.head
    if dep in ("dobj", "attr", "npadvmod", "appos", "nummod") and head.lemma_.lower() in lex.total_verbs:
        return head
    doc = tok.doc
    k = tok.i - 1
    while k > 0 and (doc[k].pos_ in ("ADV", "ADP") or doc[k].dep_ in ("quantmod", "advmod")) and doc[k].i > tok.i - 4:
        k -= 1  # "number about 320", "number more than 600"
    if k >= 0 and doc[k].pos_ == "NOUN" and _number_verb(doc[k], _hedged):
        return doc[k]  # the tagger's noun "number" in "those repatriated now number about 320"
    return None


#: a stand-in quantity with a modifier, for ``_number_verb`` on a number word read as a noun
_hedged = Quantity(0, 1, 2, None, None, True, "number")


def _subject_of_number(verb: Token) -> Token | None:
    """The subject of a verb of number; for "number" read as a noun ("Those repatriated so far
    number 320": the parse makes it the object of "repatriated"), the subject of its clause."""
    subj = next((c for c in verb.children if c.dep_ in SUBJ), None)
    if subj is None and verb.pos_ == "NOUN" and verb.dep_ in ("dobj", "attr", "npadvmod"):
        subj = next((c for c in verb.head.children if c.dep_ in SUBJ and c.i < verb.i), None)
    if subj is not None and subj.lower_ in ("who", "that", "which") and verb.dep_ == "relcl":
        subj = verb.head
    return subj


def _bare_toll(doc: Doc, q: Quantity, tok: Token) -> Cand | None:
    """"the death toll rose to 115", "Death toll ... at least 112", "a tribe who number about 70000";
    the number after its noun: "the number of detainees has passed 2,300", "those detained now number 650"."""
    lex = get_lex()
    dep, head = tok.dep_, tok.head
    verb = _total_verb(tok)
    subj = _subject_of_number(verb) if verb is not None else None
    if verb is not None and subj is not None and noun_status(subj) != "killed":
        after = _number_after(doc, q, verb, subj)
        if after is not None:
            return after
    if verb is not None and subj is not None and (noun_status(subj) == "killed" or is_people(subj)
                                                  or subj.lemma_.lower() in lex.group_nouns
                                                  or subj.lower_ in lex.group_nouns):
        ns = noun_status(subj)
        if ns is None:
            vs = word_status(verb)
            ns = vs[0] if vs and vs[1] in ("subj", "any") else "other"
        if verb.lemma_.lower() in lex.total_min_verbs and q.low is not None and q.low == q.high:
            # "the death toll topped 1,000": more than N (GUIDELINES: surpassed N, exceeds N -> N, null)
            q = Quantity(q.start, q.core_start, q.end, q.low, None, q.approximate, q.value_kind)
        c = Cand(q, q.start, q.end, None, None, bare="toll", status=ns, status_tok=verb, anchor=verb)
        c.counted_text = np_text(doc, subj)
        c.origin_toks = (subj.left_edge.i, subj.right_edge.i + 1)
        if noun_status(subj) == "killed":
            # a toll's origin is a word on the toll itself ("the Syrian death toll"), not the attackers
            # or places of its phrases ("the toll from Israeli attacks", "the Syria violence death toll")
            own = [x.i for x in subj.children if x.dep_ in ("amod", "compound", "nmod") and x.i < subj.i]
            c.origin_toks = (min(own, default=subj.i), subj.i + 1)
        return c
    if head.pos_ in ("NOUN", "PROPN") and noun_status(head) == "killed" and head.i < tok.i and dep in (
            "npadvmod", "appos", "nummod", "attr", "dep"):
        c = Cand(q, q.start, q.end, None, None, bare="toll", status="killed", status_tok=head, anchor=head)
        c.counted_text = np_text(doc, head)
        return c
    return None


def _number_after(doc: Doc, q: Quantity, verb: Token, subj: Token) -> Cand | None:
    """The figure comes after its noun: "the number of foreign women in Syria has passed 1,800" (the
    people of a number noun's "of" phrase), "Foreign recruits held by the militia now number 600"
    and "Those repatriated so far number about 320" (people, or "those" with a participle).  The
    status comes from what qualifies the noun (``count_status``), else from the verb."""
    lex = get_lex()
    noun = subj
    if subj.lemma_.lower() in lex.number_nouns:
        of_obj = next((p for ch in subj.children if ch.dep_ == "prep" and ch.lower_ == "of"
                       for p in ch.children if p.dep_ == "pobj"), None)
        if of_obj is None or not (is_people(of_obj, doc[of_obj.i - 1]) or of_obj.lower_ in ("those", "people")):
            return None
        noun = of_obj
    elif subj.lower_ in ("those", "these") and subj.pos_ in ("DET", "PRON"):
        if _participle(subj) is None:
            return None
    elif not is_people(subj, doc[subj.i - 1] if subj.i else None) or subj.i > q.start:
        return None
    if verb.lemma_.lower() in lex.total_min_verbs and q.low is not None and q.low == q.high:
        q = Quantity(q.start, q.core_start, q.end, q.low, None, q.approximate, q.value_kind)
    start = subj.left_edge.i
    while start < subj.i and doc[start].pos_ == "DET" and doc[start].dep_ == "det":
        start += 1
    vs = word_status(verb)
    c = Cand(q, start, q.end, None, None, bare="after", status=vs[0] if vs and vs[1] in ("subj", "any") else "other",
             status_tok=_participle(noun) or verb, anchor=noun)
    c.counted_text = _after_text(doc, noun)
    return c


def _participle(noun: Token) -> Token | None:
    """The participle of "those detained", "those repatriated so far" (a child, or the next word)."""
    part = next((x for x in noun.children if x.dep_ in ("acl", "relcl", "amod") and x.i > noun.i), None)
    if part is None and noun.lower_ in ("those", "these") and noun.i + 1 < len(noun.doc) \
            and noun.doc[noun.i + 1].tag_ == "VBN":
        part = noun.doc[noun.i + 1]
    return part if part is not None and part.tag_ in ("VBN", "VBD", "JJ") else None


def _after_text(doc: Doc, noun: Token) -> str:
    """The counted phrase of a number after its noun: the noun phrase up to the noun, and for "those"
    its participle ("those repatriated")."""
    part = _participle(noun) if noun.lower_ in ("those", "these") else None
    if part is not None:
        return doc[noun.i:part.i + 1].text
    return np_text(doc, noun)


_BE = ("were", "are", "was", "is")


def predicate_noun(doc: Doc, end: int) -> Token | None:
    """The people noun a figure is said to be, right after it: "(twelve of them) were Uzbeks", "(three)
    were Kazakhs"; None when the words after ``end`` are not "were/are" + a plural people noun."""
    if end + 1 >= len(doc) or doc[end].lower_ not in _BE:
        return None
    run = np_run(doc, end + 1, limit=3)
    head = run[-1] if run else None
    if head is None or head.i + 1 < len(doc) and doc[head.i + 1].pos_ in ("NOUN", "PROPN", "ADP"):
        return None
    plural = head.tag_ in ("NNS", "NNPS") or head.lower_.endswith(("s", "ese"))
    return head if plural and is_people(head, doc[head.i - 1]) else None


def _bare_predicate(doc: Doc, q: Quantity, tok: Token) -> Cand | None:
    """"... and three were Kazakhs": a number said to be people of a kind, in a tally."""
    noun = predicate_noun(doc, q.end)
    if noun is None or (q.low or 0) < 2:
        return None
    listed = q.start > 0 and doc[q.start - 1].lower_ in ("and", ",", ";")
    if not (listed or get_lex().origin_word(noun.lower_)):
        return None  # "The two were brothers": no tally
    c = Cand(q, q.start, noun.i + 1, None, None, bare="pred", anchor=noun)
    c.counted_text = np_text(doc, noun)
    c.origin_toks = (q.end + 1, noun.i + 1)
    return c


def _bare_argument(q: Quantity, tok: Token) -> Cand | None:
    """Subject or object of a status verb: "Tens of thousands have fled", "wounded thousands"; a verb
    listed as other counts too ("another 35 had been deported"), a negated verb does not."""
    dep, head = tok.dep_, tok.head
    if dep not in SUBJ | PASS_SUBJ | OBJ:
        return None
    role = "obj" if dep in PASS_SUBJ or dep in OBJ else "subj"
    got = verb_status(head, role)
    listed_other = got is not None and got[0] == "other" and not any(
        c.dep_ == "neg" for c in head.children) and (
        phrasal_status(got[1]) or word_status(got[1]) or ("",))[0] == "other"  # "deported", "missing"
    if got and (got[0] != "other" or listed_other):
        return Cand(q, q.start, q.end, None, None, bare="subj" if role == "subj" else "obj",
                    status=got[0], status_tok=got[1], anchor=head)
    return None


def _estimate(doc: Doc, q: Quantity, verb: Token) -> Cand | None:
    """"put/estimated the crowd at N": a figure for the object of an estimate verb."""
    lex = get_lex()
    obj = next((c for c in verb.children if c.dep_ in OBJ), None)
    if obj is None:
        return None
    inner = obj  # "the number of dead", "the number of displaced people"
    for ch in obj.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            inner = next((x for x in ch.children if x.dep_ == "pobj"), obj)
    lemma = obj.lemma_.lower()
    ns = noun_status(obj) or (noun_status(inner) if inner is not obj else None)
    group = lemma in lex.group_nouns or obj.lower_ in lex.group_nouns or lemma in ("crowd", "population")
    number = lemma in ("number", "figure", "total", "count", "tally", "strength")
    if not (ns or group or number or is_people(obj) or (inner is not obj and is_people(inner))):
        return None
    c = Cand(q, q.start, q.end, None, None, bare="estimate", status=ns or ("present" if group else "other"),
             status_tok=obj, anchor=verb)
    if inner is not obj or not number:
        c.counted_text = np_text(doc, inner if inner is not obj else obj)
        c.origin_toks = (inner.left_edge.i, inner.right_edge.i + 1)
    else:
        c.inherit = True  # "the number": the figure of the count before
    return c
