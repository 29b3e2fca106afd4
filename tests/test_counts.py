"""Counts: the number reader, the component on short sentences, and the seed article's gold counts."""

from __future__ import annotations

import json

import pytest

import sourcebook
from sourcebook.nlp.counts import NAME, normalize

# --------------------------------------------------------------------------------------------------
# The number reader (no model)


@pytest.mark.parametrize(
    "text, low, high, approximate",
    [
        ("7,000", 7000, 7000, False),
        ("230000", 230000, 230000, False),
        ("seven thousand", 7000, 7000, False),
        ("2.5 million", 2500000, 2500000, False),
        ("135 thousand", 135000, 135000, False),
        ("91 million", 91000000, 91000000, False),
        ("one hundred and twenty", 120, 120, False),
        ("twenty-five", 25, 25, False),
        ("a hundred", 100, 100, False),
        ("two dozen", 24, 24, False),
        ("five", 5, 5, False),
        ("a dozen", 12, 12, False),
        ("about a dozen", 12, 12, True),
        ("a handful", 2, 5, True),
        ("a few", 2, 5, True),
        ("a couple of", 2, 2, False),
        ("several", 3, 9, True),
        ("dozens", 24, 99, True),
        ("scores", 40, 99, True),
        ("tens", 20, 99, True),
        ("Hundreds", 200, 999, True),
        ("thousands", 2000, 9999, True),
        ("tens of thousands", 20000, 99999, True),
        ("Tens of thousands", 20000, 99999, True),
        ("hundreds of thousands", 200000, 999999, True),
        ("several hundred", 300, 999, True),
        ("several thousand", 3000, 9999, True),
        ("several million", 3000000, 9999999, True),
        ("at least 112", 112, None, False),
        ("At Least 17", 17, None, False),
        ("more than 800", 800, None, False),
        ("More than 170000", 170000, None, False),
        ("over 250", 250, None, False),
        ("more than 135 thousand", 135000, None, False),
        ("up to 80", None, 80, False),
        ("fewer than 10", None, 10, False),
        ("as many as 50", None, 50, False),
        ("nearly 3,000", 3000, 3000, True),
        ("about 150,000", 150000, 150000, True),
        ("some 50,000", 50000, 50000, True),
        ("roughly 40", 40, 40, True),
        ("close to 3,000", 3000, 3000, True),
        ("five or six", 5, 6, False),
        ("between 5 and 10", 5, 10, False),
        ("20 to 30", 20, 30, False),
        ("5-10", 5, 10, False),
        ("10 or more", 10, None, False),
        ("all five", 5, 5, False),
        ("another 40", 40, 40, False),
        ("several dozen", 36, 108, True),
        ("a few dozen", 24, 60, True),
        ("a couple of dozen", 24, 24, False),
    ],
)
def test_normalize(text, low, high, approximate):
    assert normalize(text) == (low, high, approximate)


@pytest.mark.parametrize("text", ["", "some", "many", "the fighters", "third", "few", "at least", "more than half"])
def test_normalize_refuses_non_quantities(text):
    assert normalize(text) is None


# --------------------------------------------------------------------------------------------------
# The component on hand-written sentences (the model is loaded once per session)


def counts(text: str, published: str | None = "2014-02-25"):
    rec = sourcebook.extract(text, published=published)
    for c in rec.counts:
        assert text[c.start:c.end] == c.text
        assert c.extractor == NAME
        for span in (c.place, c.time):
            if span:
                assert text[span["start"]:span["end"]] == span["text"]
    return rec.counts


def one(text: str, **kw):
    got = counts(text, **kw)
    assert len(got) == 1, [c.text for c in got]
    return got[0]


def test_component_is_in_the_pipeline():
    from sourcebook.nlp import pipeline

    assert NAME in pipeline.get_nlp().pipe_names


def test_digits_noun_and_status():
    c = one("Rebels said 7,000 foreign fighters had left Syria since early January.")
    assert (c.low, c.high, c.approximate) == (7000, 7000, False)
    assert c.number == "7,000" and c.counted == "foreign fighters"
    assert c.status == "leaving"
    assert c.place and c.place["text"] == "Syria"
    assert c.time and c.time["text"] == "since early January"
    assert (c.time["from"], c.time["to"]) == ("2014-01-01", None)
    assert c.id == "C1"


@pytest.mark.parametrize(
    "text, low, high, status",
    [
        ("Police arrested two teenagers in the town.", 2, 2, "detained"),
        ("At least 25 people are dead after the blast.", 25, None, "killed"),
        ("The strike killed 13 soldiers near the border.", 13, 13, "killed"),
        ("Seven people have been arrested in connection with the blast.", 7, 7, "detained"),
        ("Tens of thousands of civilians remain in the town.", 20000, 99999, "present"),
        ("About 150,000 people have now been displaced.", 150000, 150000, "leaving"),
        ("Two policemen were wounded in the attack.", 2, 2, "wounded"),
        ("Hundreds of fighters surrendered to the army on Monday.", 200, 999, "surrendered"),
        ("Several hundred fighters returned home last week.", 300, 999, "returned"),
        ("More than 200 people attended the rally.", 200, None, "present"),
        ("A group of five Saudi nationals asked for help in reaching Turkey.", 5, 5, "leaving"),
        ("Dozens of foreign fighters crossed into Syria from Turkey.", 24, 99, "joining"),
        ("Three rebel spokesmen gave their views.", 3, 3, "other"),
        ("Officials said 12 prisoners were deported to Jordan.", 12, 12, "other"),
        # phrasal verbs with the object between verb and particle (the held-out set)
        ("About 90 gunmen crossed the river into Velmora overnight.", 90, 90, "joining"),
        ("Police handed four Moroccan men over to their embassy.", 4, 4, "returned"),
        ("The ministry brought back 35 citizens last week.", 35, 35, "returned"),
        ("Twelve women were flown home on Friday.", 12, 12, "returned"),
        ("The group sent 40 young men to fight abroad.", 40, 40, "joining"),
        ("Buses carried 900 civilians out of the town.", 900, 900, "leaving"),
        # held, in prison, in custody
        ("About 50 of its members are held in Korvin jail.", 50, 50, "detained"),
        ("The guard said three men were in cells built for one.", 3, 3, "detained"),
        ("At least 9 of the detainees were in custody.", 9, None, "detained"),
        ("Thirty prisoners were recaptured near the station.", 30, 30, "detained"),
        ("Another 23 foreigners remain in custody.", 23, 23, "detained"),
        ("Several dozen detainees, he said, had protested over food.", 36, 108, "detained"),
        # released, exchanged, mixed totals -> other
        ("The army freed 48 prisoners on Saturday.", 48, 48, "other"),
        ("The stadium holds 40,000 people.", 40000, 40000, "other"),  # a capacity, not captivity
        ("The rebels hold 200 hostages.", 200, 200, "detained"),
        ("The two sides exchanged 60 prisoners.", 60, 60, "other"),
        ("Soldiers killed or captured 20 rebels.", 20, 20, "other"),
        # surrender, leaving, presence
        ("Forty recruits laid down their weapons.", 40, 40, "surrendered"),
        ("Twenty fighters handed themselves in at the checkpoint.", 20, 20, "surrendered"),
        ("Sixteen guards abandoned their posts.", 16, 16, "leaving"),
        ("More than 500 people had taken part.", 500, None, "present"),
        ("Two hundred people slept in the mosque.", 200, 200, "present"),
        ("Hundreds more are waiting to leave.", 200, 999, "leaving"),
        ("Only 12 are left in the village.", 12, 12, "present"),
        ("Five soldiers were left dead.", 5, 5, "killed"),
        ("Eleven of the wounded were in critical condition.", 11, 11, "wounded"),
        ("The city is home to 2.5 million people.", 2500000, 2500000, "present"),
        ("Police put the crowd at 3,000.", 3000, 3000, "present"),
        ("Hundreds flee shelling in Orvik", 200, 999, "leaving"),
    ],
)
def test_status_from_the_governing_word(text, low, high, status):
    c = one(text)
    assert (c.low, c.high, c.status) == (low, high, status)


def test_voice_decides_who_has_the_status():
    # the militants did the killing: they are not killed
    got = {c.counted: c.status for c in counts("Ten militants killed 44 people in Istanbul.")}
    assert got == {"militants": "other", "people": "killed"}


def test_negation_is_not_the_status():
    assert one("Officials said 40 fighters were not killed in the raid.").status == "other"


@pytest.mark.parametrize(
    "text, code",
    [
        ("Five Saudi nationals were arrested.", "SA"),
        ("Police detained 12 Tunisians at the airport.", "TN"),
        ("Two Chechen fighters were killed.", "RU"),
        ("Three Britons were arrested in Turkey.", "GB"),
        ("Nine Indonesians returned home.", "ID"),
        ("The 2,000 U.S. troops stayed.", "US"),
        ("Four members of the Jordanian security forces were killed.", "JO"),
        ("25 Turkish-backed Syrian militiamen were killed.", "SY"),
    ],
)
def test_origin_from_nationality_words(text, code):
    assert one(text).origin == code


@pytest.mark.parametrize(
    "text",
    [
        "Twenty Kurdish fighters were killed.",  # no country
        "More than 60 mercenaries from Tunisia and Egypt were killed.",  # two countries
        "Hundreds of foreign fighters left.",
    ],
)
def test_no_single_origin(text):
    assert one(text).origin is None


def test_figures_without_a_noun():
    c = counts("Tens of thousands have already fled to government areas.")
    assert [(x.low, x.high, x.status, x.counted) for x in c] == [(20000, 99999, "leaving", "people")]
    got = counts("The strike wounded thousands.")
    assert [(x.low, x.status) for x in got] == [(2000, "wounded")]
    got = counts("32 killed in Daraa.")
    assert [(x.low, x.status) for x in got] == [(32, "killed")]


def test_hundreds_more_inherits_the_counted_noun():
    text = ("He said hundreds of foreign fighters had left Syria since early January. "
            "Hundreds more, he said, were stuck in Syria with no good way to leave.")
    got = counts(text)
    assert [(c.text, c.low, c.high, c.counted, c.status) for c in got] == [
        ("hundreds of foreign fighters", 200, 999, "foreign fighters", "leaving"),
        ("Hundreds more", 200, 999, "foreign fighters", "present"),
    ]


def test_figures_with_an_other_status_count():
    # a bare figure counts when its verb or adjective is listed, even as "other"
    assert [(c.low, c.status) for c in counts("Another 35 were deported to Velmora.")] == [(35, "other")]
    assert [(c.low, c.high, c.status) for c in counts("Dozens remain missing after the flood.")] == [(24, 99, "other")]
    # a negation is still no figure about people
    assert counts("Another 35 did not say.") == []


def test_more_through_a_parenthetical_cue_inherits_from_further_back():
    text = ("At least 80 fighters of the Red Valley Front crossed into Tarsenia on Monday. "
            "Border guards disarmed them at a school. The men were given food. "
            "Dozens more, officials said, were hiding in the hills.")
    got = counts(text)
    assert [(c.low, c.high, c.status) for c in got] == [(80, None, "joining"), (24, 99, "present")]
    assert got[1].counted == "fighters of the Red Valley Front"


def test_a_further_figure_inherits_the_origin():
    got = counts("Police arrested 20 Tunisians on Monday. A further 15 were arrested on Tuesday.")
    assert [(c.low, c.status, c.origin) for c in got] == [(20, "detained", "TN"), (15, "detained", "TN")]


def test_a_tally_member_lends_no_origin():
    got = counts("Four soldiers and a tourist from Canada were killed. All five were killed at the fort.")
    assert [(c.low, c.origin) for c in got] == [(4, None), (1, "CA"), (5, None)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # the status of a subject passes to what it "is" or "includes"
        ("The dead included five women and a child.", [(5, "killed"), (1, "killed")]),
        ("The detained men were three Tunisians and two Egyptians.", [(3, "detained"), (2, "detained")]),
        ("Among those arrested were three Tunisians and a Libyan.", [(3, "detained"), (1, "detained")]),
        # "including"/"among them" after a count
        ("Seven people were wounded, including a boy aged 6.", [(7, "wounded"), (1, "wounded")]),
        ("The hospital treated 80 wounded, among them 15 children.", [(80, "wounded"), (15, "wounded")]),
        ("Officials said 400 recruits had joined the brigade, including 150 Uzbeks.", [(400, "joining"), (150,
                                                                                                          "joining")]),
        # a participle after the last member qualifies the whole coordination
        ("The prison held 300 men and 12 boys.", [(300, "detained"), (12, "detained")]),
    ],
)
def test_tally_members_share_the_status(text, expected):
    assert [(c.low, c.status) for c in counts(text)] == expected


def test_estimate_of_the_number_takes_the_figure_before():
    got = counts("The group says it has more than 1,000 fighters in the south. "
                 "Analysts put the number at between 800 and 900.")
    assert [(c.low, c.high, c.status) for c in got] == [(1000, None, "present"), (800, 900, "present")]


def test_counted_phrase_stops_at_its_head():
    c = one("The army cannot hold the valley with the 2,000 guards Velmora has there.")
    assert c.counted == "guards"
    c = one("Roughly 9,000 of the camp's residents fled Orvik in 2016.")
    assert (c.low, c.status) == (9000, "leaving")
    assert one("Several dozen detainees were moved.").counted == "detainees"
    c = one('He said the group still held "dozens" of government soldiers.')
    assert (c.low, c.high, c.counted, c.status) == (24, 99, "government soldiers", "detained")


def test_more_people_nouns():
    for text, counted in [("The blast killed 26 shoppers.", "shoppers"), ("There were 140 patients in the ward.",
                                                                          "patients"),
                          ("Gunmen are holding four of their colleagues.", "colleagues"),
                          ("Dozens of conscripts have deserted.", "conscripts"),
                          ("More than 1,000 police took part.", "police"),
                          ("Officials said three of the dead were volunteers.", "dead"),
                          ("The town is home to several hundred elderly.", "elderly")]:
        assert one(text).counted == counted, text


def test_death_toll():
    got = counts("The death toll from the raid rose to 115, a monitor said.")
    assert [(c.low, c.high, c.status) for c in got] == [(115, 115, "killed")]


def test_single_people_count_only_inside_a_tally():
    got = counts("The gunmen killed six police officers and a civilian in Giza.")
    assert [(c.low, c.status) for c in got] == [(6, "killed"), (1, "killed")]
    assert counts("A Turkish official said the border was closed.") == []
    assert counts("One opposition coordinator said the fighters were tired.") == []


@pytest.mark.parametrize(
    "text",
    [
        "The government pledged $5 million for the refugees.",
        "The war began in 2014 and went on.",
        "Munir Abdulkader, 22, was arrested in Ohio.",
        "A 25-year-old man was arrested.",
        "Police arrested a man aged 30 on Friday.",
        "Some 40 percent of voters backed the plan.",
        "The convoy stopped 30 km from the border.",
        "The attack began at 3 pm on Monday.",
        "The third fighter was not named.",
        "He was sentenced to 20 years in prison.",
        "Rebels shelled 12 villages and destroyed 40 houses.",
        "Dozens of families fled the town.",
        "Some foreign fighters and many civilians left Syria.",
        "One in five residents said they would leave.",
        "Each passenger paid $2,000 to the smugglers.",
        "A boy aged 4 was hurt in the crash.",
        "The curfew lasted 48 hours.",
        "The boat sank 40 nautical miles from the coast.",
        "He said he had counted eleven army trucks.",
        "Seventy families registered to leave.",
        "The relief office needs 14 million dinars to feed 9,000 households.",
        "Unemployment is above 30 percent and 64 percent of voters oppose the law.",
        "He was sentenced to between five and 20 years.",
        "Three police stations were attacked.",
    ],
)
def test_figures_not_about_people(text):
    assert counts(text) == []


def test_source_is_the_quote_that_contains_the_count():
    from sourcebook.nlp import counts as counts_module
    from sourcebook.nlp import pipeline
    from sourcebook.record import Quote

    nlp = pipeline.get_nlp()
    text = "Hundreds of fighters have left Syria, the coordinator said."
    doc = nlp.make_doc(text)
    doc._.sb_published = None
    for name, proc in nlp.pipeline:
        if name != counts_module.NAME:
            doc = proc(doc)
    end = text.index(", the")
    doc._.sb_quotes = [Quote(id="Q1", source="S7", start=0, end=end, text=text[:end], type="indirect")]
    doc = counts_module.CountFinder(nlp)(doc)
    assert [c.source for c in doc._.sb_counts] == ["S7"]
    doc._.sb_quotes = []
    doc = counts_module.CountFinder(nlp)(doc)
    assert [c.source for c in doc._.sb_counts] == ["REPORTER"]


# --------------------------------------------------------------------------------------------------
# The seed article against its gold


def test_seed_gold_counts(shared_dir):
    gold = json.loads((shared_dir / "gold" / "seed-foreign-fighters-leaving-syria.json").read_text("utf-8"))
    text = (shared_dir / gold["article"]["file"]).read_text("utf-8")
    got = counts(text, published=gold["article"]["published"])
    assert gold["counts"], "the seed gold has counts"
    for g in gold["counts"]:
        start = g.get("start", text.find(g["text"]))
        end = start + len(g["text"])
        hits = [c for c in got if c.start < end and start < c.end and (c.low, c.high) == (g["low"], g["high"])]
        assert hits, f"gold count not found: {g['text']!r}"
        c = hits[0]
        assert c.status == g["status"], (g["text"], c.status)
        assert c.origin == g["origin"], (g["text"], c.origin)
    # no figure the gold does not have
    assert len(got) == len(gold["counts"])


# --------------------------------------------------------------------------------------------------
# Families of figures first seen on unseen real articles (issue 13).  Every sentence below is
# INVENTED for these tests, in fresh wording: none is copied from the dev set, the seed or the pool.


def _got(text: str, published: str | None = "2015-03-10"):
    return [(c.low, c.high, c.status, c.origin) for c in counts(text, published=published)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # single nationals named in a tally: every one is a count with its origin
        ("Kurdish forces captured a Tunisian and a Moroccan near the border.",
         [(1, 1, "detained", "TN"), (1, 1, "detained", "MA")]),
        ("Security forces rounded up 14 suspects, among them a Belgian commander.",
         [(14, 14, "detained", None), (1, 1, "detained", "BE")]),
        ("The air strike killed 9 militants, among them an Egyptian.",
         [(9, 9, "killed", None), (1, 1, "killed", "EG")]),
        # a list of counts, some by nationality word, some by "from" and a country
        ("The detainees were 4 Uzbeks, 2 Tajiks, 1 from France and 1 from Sweden.",
         [(4, 4, "detained", "UZ"), (2, 2, "detained", "TJ"), (1, 1, "detained", "FR"), (1, 1, "detained", "SE")]),
        ("Among the dead were two Afghans, a Pakistani and one from Iran.",
         [(2, 2, "killed", "AF"), (1, 1, "killed", "PK"), (1, 1, "killed", "IR")]),
        ("Police said 5 Kazakhs, 3 from Kyrgyzstan and a Turk had been arrested.",
         [(5, 5, "detained", "KZ"), (3, 3, "detained", "KG"), (1, 1, "detained", "TR")]),
        # a single person listed before the figure
        ("Security forces arrested a Syrian, two Iraqis and a Jordanian in the raid.",
         [(1, 1, "detained", "SY"), (2, 2, "detained", "IQ"), (1, 1, "detained", "JO")]),
    ],
)
def test_family_single_nationals_in_tallies_and_lists(text, expected):
    assert _got(text) == expected


def test_family_single_national_alone_is_not_a_count():
    assert counts("A Dane was arrested at the airport on Tuesday.") == []
    assert counts("The Belgian commander of the unit spoke to reporters.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        # the figure comes after its noun: "the number of X ... passed N", "X now number N"
        ("The number of foreign women in Syria has now passed 1,800.", [(1800, None, "present")]),
        ("The number of militants in custody rose to 2,300 this year.", [(2300, 2300, "detained")]),
        ("Those repatriated so far number about 320.", [(320, 320, "returned")]),
        ("Foreign recruits held by the militia now number more than 600.", [(600, None, "detained")]),
        ("The tally of civilians killed in the offensive stands at 74.", [(74, 74, "killed")]),
        # "at least N of them from ..., among M foreigners": two figures, the second after "among"
        ("Officials believe at least 400 of them are from Europe, among some 5,000 foreigners fighting in the north.",
         [(400, None, "present"), (5000, 5000, "present")]),
        ("Officials counted 6,000 foreign fighters in the province, at least 900 of them from Central Asia.",
         [(6000, 6000, "present"), (900, None, "present")]),
    ],
)
def test_family_number_after_its_noun(text, expected):
    assert [(c.low, c.high, c.status) for c in counts(text)] == expected


def test_family_number_after_its_noun_keeps_the_noun():
    c = one("The number of foreign women in Syria has now passed 1,800.")
    assert c.counted == "foreign women" and c.text.endswith("1,800")
    c = one("Those repatriated so far number about 320.")
    assert c.approximate and c.number == "about 320"


@pytest.mark.parametrize(
    "text, status",
    [
        # the event decides, not the nearest verb
        ("Twelve foreign fighters, captured by Kurdish forces in March, appeared in court on Monday.", "detained"),
        ("Kurdish-led forces are holding 800 foreign fighters captured in the last battle.", "detained"),
        ("Iraq repatriated 25 women to Tajikistan on Sunday.", "returned"),
        ("Turkey handed nine Belgians over to Belgium.", "returned"),
        ("The 14 Moroccans were handed over to Moroccan authorities on Friday.", "returned"),
        ("At least 50 Tunisians were sent back to Tunisia last year.", "returned"),
        ("Around 60 Danes have attempted to reach the battlefield.", "joining"),
        ("Some 40 Norwegians have tried to join militant groups abroad.", "joining"),
        ("Smugglers took 15 Kenyans across the border to join the group.", "joining"),
        ("Guides smuggled 30 recruits over the mountains to fight for the rebels.", "joining"),
        ("Hundreds of refugees crossed into Jordan overnight.", "leaving"),  # crossing in, but in flight
        ("Nineteen of the suspects remain in custody in Ankara.", "detained"),
        ("Eleven of those arrested in May are still behind bars.", "detained"),
        ("Two Britons were among those detained.", "detained"),
        ("Four aid workers were among the dead.", "killed"),
    ],
)
def test_family_status_from_the_event(text, status):
    assert one(text).status == status


@pytest.mark.parametrize(
    "text",
    [
        # a relative clause with its own subject says nothing about the counted people
        "About 30 mothers whose sons died in Syria gathered outside parliament.",
        "Some 25 widows whose husbands were killed in the war received pensions.",
        "Relatives of 40 missing men, whose sons were shot, met the governor.",
    ],
)
def test_family_status_of_a_relative_clause_with_its_own_subject(text):
    got = counts(text)
    assert got and got[0].status not in ("killed", "wounded")


@pytest.mark.parametrize(
    "text, expected",
    [
        # wire headlines: ALL CAPS and Title Case carry figures too
        ("7 FOREIGN FIGHTERS ARRESTED IN TURKISH BORDER TOWN\n\nPolice said the men were held overnight.",
         [(7, 7, "detained")]),
        ("DOZENS OF FOREIGN FIGHTERS KILLED IN AIR STRIKES\n\nThe strikes hit a camp near the river.",
         [(24, 99, "killed")]),
        ("Police Arrest Three Britons Near Syria Border\n\nThe men were questioned.", [(3, 3, "detained")]),
        ("Turkey Deports 12 Suspected Militants To Germany\n\nThe flight left on Monday.", [(12, 12, "other")]),
        ("Hundreds Of Refugees Flee Fighting In Northern Town\n\nAid groups were overwhelmed.",
         [(200, 999, "leaving")]),
        ("TWO SOLDIERS WOUNDED, 3 MILITANTS KILLED IN CLASH\n\nThe army gave no names.",
         [(2, 2, "wounded"), (3, 3, "killed")]),
    ],
)
def test_family_headlines(text, expected):
    assert [(c.low, c.high, c.status) for c in counts(text)] == expected


def test_family_headline_offsets_and_origin():
    text = "POLICE DETAIN 4 TUNISIANS AT AIRPORT\n\nThe four were questioned."
    got = counts(text)
    assert [(c.text, c.low, c.status, c.origin) for c in got][0] == ("4 TUNISIANS", 4, "detained", "TN")


@pytest.mark.parametrize(
    "text, expected",
    [
        # origin stated by a phrase
        ("Police arrested six nationals of Malaysia.", [(6, "detained", "MY")]),
        ("Nineteen children from three Indonesian families were flown home.", [(19, "returned", "ID")]),
        ("Thirty women who hold Kazakh citizenship were flown home.", [(30, "returned", "KZ")]),
        ("A group of 17 Uzbek nationals surrendered at the checkpoint.", [(17, "surrendered", "UZ")]),
        ("Police said the two men, both Belgian nationals, were held in Brussels.", [(2, "detained", "BE")]),
        ("Officials said 40 citizens of Lebanon had joined the group.", [(40, "joining", "LB")]),
        # inherited from an earlier mention of the same group
        ("Police detained eight Filipinos in March. These eight people were deported on Friday.",
         [(8, "detained", "PH"), (8, "other", "PH")]),
        ("Eleven Malaysians were arrested at the border. The eleven men were later released.",
         [(11, "detained", "MY"), (11, "other", "MY")]),
        ("Turkey detained 14 Lebanese at the crossing. All 14 were sent home on Friday.",
         [(14, "detained", "LB"), (14, "returned", "LB")]),
    ],
)
def test_family_origin_from_a_phrase_or_an_earlier_mention(text, expected):
    assert [(c.low, c.status, c.origin) for c in counts(text)] == expected


def test_family_origin_is_not_inherited_by_another_number_or_group():
    got = counts("Police detained eight Filipinos in March. Another nine people were freed.")
    assert [(c.low, c.origin) for c in got] == [(8, "PH"), (9, None)]
    got = counts("Police detained eight Filipinos in March. Eight soldiers were wounded in the raid.")
    assert [(c.low, c.origin) for c in got] == [(8, "PH"), (8, None)]


@pytest.mark.parametrize(
    "text, expected",
    [
        # what else wire copy does
        ("A car bomb tore through the market, killing at least 11.", [(11, None, "killed")]),
        ("The death toll from the landslide climbed to 63 on Thursday.", [(63, 63, "killed")]),
        ("The dead included four police officers and a nurse.", [(4, 4, "killed"), (1, 1, "killed")]),
        ("Shelling wounded 35 people, including 12 children.", [(35, 35, "wounded"), (12, 12, "wounded")]),
        ("Three journalists were among those abducted.", [(3, 3, "detained")]),
        ("A bomber struck a funeral, killing at least 23 mourners and wounding dozens more.",
         [(23, None, "killed"), (24, 99, "wounded")]),
        ("Authorities said 17 suspected militants had been taken into custody.", [(17, 17, "detained")]),
        ("An estimated 5,000 Europeans have travelled to Syria since 2012.", [(5000, 5000, "joining")]),
        ("The blast left 9 dead and 30 injured.", [(9, 9, "killed"), (30, 30, "wounded")]),
        ("A further 12 are awaiting trial.", [(12, 12, "detained")]),
        ("Turkey has barred 50,000 people from entering the country.", [(50000, 50000, "other")]),
        # a tally across sentences: the members take the status (and their own origin)
        ("Soldiers detained 30 foreigners at the crossing on Monday. Twelve of them were Uzbeks "
         "and three were Kazakhs.",
         [(30, 30, "detained"), (12, 12, "detained"), (3, 3, "detained")]),
    ],
)
def test_family_wire_copy(text, expected):
    assert [(c.low, c.high, c.status) for c in counts(text)] == expected


def test_a_bare_figure_does_not_take_a_counted_phrase_that_contradicts_it():
    got = counts("The blast left 9 dead and 30 injured.")
    assert [c.counted for c in got] == ["dead", "people"]


def test_tally_across_sentences_keeps_each_origin():
    got = counts("Soldiers detained 30 foreigners at the crossing on Monday. Twelve of them were Uzbeks "
                 "and three were Kazakhs.")
    assert [c.origin for c in got] == [None, "UZ", "KZ"]


# --------------------------------------------------------------------------------------------------
# Movement: where people came from, where they went, and where they were heading but did not reach


def _where(span):
    return None if span is None else (span["text"], span.get("country"))


@pytest.mark.parametrize(
    "text, status, frm, to, heading",
    [
        ("About 3,000 people fled Syria for Turkey last month.", "leaving", ("Syria", "SY"), ("Turkey", "TR"), None),
        ("Forty fighters returned home to Tunisia.", "returned", None, ("Tunisia", "TN"), None),
        ("Twenty Uzbeks crossed from Turkey into Syria last week.", "joining", ("Turkey", "TR"), ("Syria", "SY"),
         None),
        ("The 15 women were repatriated from Iraq to Kazakhstan.", "returned", ("Iraq", "IQ"),
         ("Kazakhstan", "KZ"), None),
        ("Hundreds of foreign fighters have left Syria.", "leaving", ("Syria", "SY"), None, None),
        ("Seven Germans travelled to Syria to join the group.", "joining", None, ("Syria", "SY"), None),
        ("Nine Indonesians returned home.", "returned", None, ("home", "ID"), None),
        ("Turkey deported 12 Germans to Germany.", "other", None, ("Germany", "DE"), None),
        ("Kazakhstan has taken back 30 children from Syria.", "returned", ("Syria", "SY"), ("Kazakhstan", "KZ"), None),
        ("Dozens of fighters slipped out of Raqqa into Turkey overnight.", "leaving", ("Raqqa", "SY"),
         ("Turkey", "TR"), None),
        # a destination not reached is a heading, never a "to"
        ("Police detained nine Britons in Turkey while they were trying to cross into Syria.", "detained", None,
         None, ("Syria", "SY")),
        ("Around 60 Danes have tried to travel to Syria to fight.", "joining", None, None, ("Syria", "SY")),
        ("Three Swedes were arrested at the airport before they could board a flight to Istanbul.", "detained",
         None, None, ("Istanbul", "TR")),
        ("Border guards intercepted 200 migrants heading for Greece.", "detained", None, None, ("Greece", "GR")),
        ("Turkey said it had caught 1,200 people trying to cross into Syria this year.", "detained", None, None,
         ("Syria", "SY")),
        ("Nine French children were repatriated from camps in northeast Syria.", "returned", ("Syria", "SY"),
         None, None),
    ],
)
def test_movement_from_to_and_heading(text, status, frm, to, heading):
    c = one(text)
    assert (c.status, _where(c.from_place), _where(c.to_place), _where(c.heading)) == (status, frm, to, heading)
    for span in (c.from_place, c.to_place, c.heading):
        if span:
            assert text[span["start"]:span["end"]] == span["text"]


def test_detained_place_is_where_they_are_held():
    c = one("Police detained nine Britons in Turkey while they were trying to cross into Syria.")
    assert c.place["text"] == "Turkey" and c.place.get("country") == "TR"


@pytest.mark.parametrize(
    "text",
    [
        "Five Saudi nationals were arrested.",
        "More than 200 people attended the rally.",
        "Twelve soldiers were killed in Aleppo.",
    ],
)
def test_no_movement_without_words_for_it(text):
    c = one(text)
    assert (c.from_place, c.to_place, c.heading) == (None, None, None)


def test_movement_in_the_record_json():
    rec = sourcebook.extract("About 3,000 people fled Syria for Turkey last month.", published="2015-03-10")
    d = rec.to_dict()["counts"][0]
    assert d["from"]["country"] == "SY" and d["to"]["country"] == "TR" and d["heading"] is None
    back = sourcebook.Record.from_dict(rec.to_dict())
    assert back.counts[0].from_place == rec.counts[0].from_place and back.counts[0].to_place["text"] == "Turkey"


# --------------------------------------------------------------------------------------------------
# Status on real reporting (issue 13, the pool's status errors): one family per rule, every sentence
# INVENTED in fresh wording (none copied from the pool, the dev set, the seed or the held-out set).


@pytest.mark.parametrize(
    "text, status",
    [
        # a noun of the event whose "of" names the people (a noun row beside the verb row)
        ("Police announced the arrest of nine smugglers in the port.", "detained"),
        ("Elders reported the abduction of 12 farmers near the river.", "detained"),
        ("The ministry confirmed the repatriation of 37 orphans from the camps.", "returned"),
        ("Officials recorded an outflow of 5,200 herders across the southern border.", "leaving"),
    ],
)
def test_status_from_a_noun_of_the_event(text, status):
    assert one(text).status == status


@pytest.mark.parametrize(
    "text, status",
    [
        # military communiqués: "neutralised" is killed
        ("The air force said it had neutralised 22 insurgents near the lake.", "killed"),
        ("At least eight attackers were neutralized during the night.", "killed"),
        # "forced from" their homes is leaving
        ("Some 70,000 villagers have been forced from their farms by the shelling.", "leaving"),
        # exiled is other (GUIDELINES: deported, banned, released -> other)
        ("Thirty of the prisoners were exiled to a neighbouring country.", "other"),
    ],
)
def test_status_of_listed_verbs(text, status):
    assert one(text).status == status


@pytest.mark.parametrize(
    "text",
    [
        # a word listed as other (released, freed) is final: the noun's own status does not replace it
        "The convoy carried 26 detainees released by the rebels.",
        "The plane brought 14 freed hostages to the capital.",
    ],
)
def test_released_people_stay_other_whatever_their_noun(text):
    assert one(text).status == "other"


@pytest.mark.parametrize(
    "text, status",
    [
        # two verbs one after the other ("and"), one of them other: the later one says where they are now
        ("All nine sailors were freed and returned home on Saturday.", "returned"),
        ("Eleven fishermen were arrested and later released without charge.", "other"),
        # a real mixed total stays other
        ("The patrol killed or captured 31 smugglers.", "other"),
    ],
)
def test_status_of_two_verbs_in_sequence(text, status):
    assert one(text).status == status


def test_a_conjoined_clause_with_its_own_subject_on_its_auxiliary_is_not_a_mixed_total():
    got = counts("Police said four guards were wounded in the blast, and others were missing.")
    assert [(c.low, c.status) for c in got] == [(4, "wounded")]


@pytest.mark.parametrize(
    "text, status",
    [
        # people in flight who arrive somewhere are leaving their country; stranded ones are present
        ("About 800 refugees arrived in the border town on Friday.", "leaving"),
        ("More than 3,000 refugees have landed on the island since March.", "leaving"),
        ("Nearly 2,000 refugees are stranded at the crossing.", "present"),
        # returnees stay returned wherever they are, and "in" a time is no place
        ("Officials registered 4,200 returnees in the first three weeks.", "returned"),
        ("About 600 returnees in the capital still lack shelter.", "returned"),
    ],
)
def test_status_of_people_in_flight_and_returnees(text, status):
    assert one(text).status == status


@pytest.mark.parametrize(
    "text, status",
    [
        # a verb of number whose subject is "the number of X": X says the status
        ("The number of recruits sent to the camps amounted to about 2,700 people.", "joining"),
        ("The number of detainees held at the base has reached 450 people.", "detained"),
    ],
)
def test_status_of_the_number_of_people(text, status):
    assert one(text).status == status


@pytest.mark.parametrize(
    "text, status",
    [
        # a passive the parse reads as "be" + complement, and the verb joined to it
        ("Three shepherds were mistaken for smugglers and killed by border guards.", "killed"),
        # what the people have or are given: wounds, treatment; being back home; on board; safe
        ("Ambulances took 31 people with gunshot wounds to the hospital.", "wounded"),
        ("Nine soldiers were flown to the capital for treatment.", "wounded"),
        ("Seventy of the sailors are back home.", "returned"),
        ("The ferry sank with 40 passengers on board.", "present"),
        ("Six soldiers were found safe.", "present"),
        # people who open fire are there
        ("Four gunmen opened fire on the convoy.", "present"),
        ("Two gunmen started shooting at the gate.", "present"),
    ],
)
def test_status_of_states_and_acts(text, status):
    assert one(text).status == status


@pytest.mark.parametrize(
    "text, expected",
    [
        # "along with" adds a second object to the verb
        ("Troops killed 11 militants along with 4 smugglers near the dam.", [(11, "killed"), (4, "killed")]),
        # a participle in quote marks after the noun
        ("Three soldiers died in the ambush, with 12 bandits “neutralised” in the pursuit.",
         [(3, "killed"), (12, "killed")]),
        # an "including" insert whose last word the parse makes the verb: the verb is the one after it
        ("KYIV: The country's defence ministry said Thursday that 180 Russian marines, including several dozen "
         "wounded, surrendered at the encircled cement works near the river port.",
         [(180, "surrendered"), (36, "wounded")]),
        ("Officials said that 95 rebel soldiers, including two dozen wounded, surrendered at the besieged army depot.",
         [(95, "surrendered"), (24, "wounded")]),
        # a toll whose clause the parse gives another subject ("since the escalation ... has exceeded N")
        ("The death toll from Turkish shelling in the Kurdish enclave since the escalation of the clashes has "
         "exceeded 1,900 people, the local council said on Friday.", [(1900, "killed")]),
    ],
)
def test_status_through_parse_repairs(text, expected):
    assert [(c.low, c.status) for c in counts(text)] == expected


def test_a_death_toll_that_topped_a_figure_is_open_above():
    # GUIDELINES: surpassed N, exceeds N -> low N, high open; also for a bare toll
    c = one("The death toll from the clashes in the north had topped 350, medics said.")
    assert (c.low, c.high, c.status) == (350, None, "killed")


def test_personnel_and_nouns_the_same_in_the_plural_are_people():
    got = counts("The shelling killed 14 medical personnel and 6 Bedouin near the wells.")
    assert [(c.low, c.counted, c.status) for c in got] == [(14, "medical personnel", "killed"),
                                                           (6, "Bedouin", "killed")]


@pytest.mark.parametrize(
    "text, origin",
    [
        # a toll's origin is a nationality on the toll itself, not the attackers of its "from" phrase
        ("The death toll from Turkish air strikes on the town rose to 210 on Friday.", None),
        ("The Syrian death toll had topped 210, the council said.", "SY"),
    ],
)
def test_origin_of_a_bare_toll(text, origin):
    assert one(text).origin == origin
