"""Attribution families from unseen real text (issue 12), each in fresh wording written for this test:
linking a description to a name only where the text does, speakers that are not clause fragments,
affiliations that are not place descriptions, page furniture, quote boundaries.

All the sentences here are invented."""

from __future__ import annotations

import sourcebook


def ex(text: str):
    rec = sourcebook.extract(text)
    for q in rec.quotes:
        assert text[q.start:q.end] == q.text
    for s in rec.sources:
        for m in s.mentions:
            assert text[m.start:m.end] == m.text
    return rec


def quote(rec, fragment: str):
    hits = [q for q in rec.quotes if fragment in q.text]
    assert hits, f"no quote containing {fragment!r} in {[q.text for q in rec.quotes]}"
    return hits[0]


def speaker(rec, fragment: str):
    return rec.source(quote(rec, fragment).source)


# --------------------------------------------------------------------------- linking to a name


def test_role_reused_with_the_name_is_the_named_source():
    t = ("Clashes resumed near the crossing on Friday.\n\n"
         "A defence ministry spokesman said the crossing would stay shut. \"We will not reopen it while "
         "the shelling goes on,\" spokesman Karim Lahoud said in a statement.")
    rec = ex(t)
    a, b = speaker(rec, "would stay shut"), speaker(rec, "We will not reopen it")
    assert a is b and a.name == "Karim Lahoud" and not a.anonymous
    assert not any(s.anonymous for s in rec.sources)


def test_definite_description_points_back_to_the_one_named_source():
    t = ("Rania Saleh, the deputy head of the relief council, told reporters that 60 families had come back. "
         "The council official said more were expected before the rains.")
    rec = ex(t)
    assert speaker(rec, "more were expected").name == "Rania Saleh"
    assert [s.name for s in rec.sources] == ["Rania Saleh"]


def test_apposition_names_the_speaker_and_keeps_a_person():
    rec = ex("An interior ministry spokesman, Tarek Osman, said the curfew would be lifted on Sunday.")
    s = speaker(rec, "curfew would be lifted")
    assert s.name == "Tarek Osman" and s.kind == "person" and not s.anonymous


def test_indefinite_description_after_a_name_stays_a_new_anonymous_source():
    t = ("Governor Lina Haddad said the roads were open. "
         "A security official said later that two convoys had been stopped at the checkpoint.")
    rec = ex(t)
    s = speaker(rec, "two convoys")
    assert s.anonymous and s.name is None and s.head == "official"


def test_no_guess_between_two_named_sources():
    t = ("Omar Fadl, an official of the border council, said the gate was closed. "
         "Hana Mrad, another official of the border council, said it would reopen. "
         "The council official added that trucks were waiting.")
    rec = ex(t)
    s = speaker(rec, "trucks were waiting")
    assert s.name is None and s.anonymous


def test_role_reuse_needs_a_single_fit():
    t = ("A police spokesman said three men were held. An army spokesman said the road was cleared. "
         "\"The area is safe,\" spokesman Adel Nouri said.")
    rec = ex(t)
    assert speaker(rec, "three men were held").anonymous
    assert speaker(rec, "road was cleared").anonymous


# --------------------------------------------------------------------------- speakers and affiliations


def test_a_relative_clause_fragment_is_no_speaker():
    t = ("Eleven aid workers, whose release was announced on Monday by the ministry, reached the capital. "
         "Their families said they were tired but well.")
    rec = ex(t)
    assert not any((s.mention or "").lower().startswith(("whose", "which", "who")) for s in rec.sources)
    assert all((s.head or "").lower() not in ("release", "whose") for s in rec.sources)


def test_place_description_gives_no_affiliation():
    t = "\"They shelled the bakery at dawn,\" said a teacher from Qaryatayn, a town with a strong militia presence."
    rec = ex(t)
    s = speaker(rec, "They shelled the bakery")
    assert s.anonymous and s.affiliation is None


def test_affiliation_from_where_the_speaker_works_is_kept():
    rec = ex("\"The numbers are rising,\" said Dina Farouk, a researcher at the Levant Policy Centre.")
    assert speaker(rec, "numbers are rising").affiliation == "Levant Policy Centre"


# --------------------------------------------------------------------------- page furniture


def test_dateline_is_not_part_of_the_quote():
    for dateline in ("KHARTOUM (Reuters) - ", "KHARTOUM, May 4 (AFP) — ", "KHARTOUM — ", "KHARTOUM: "):
        t = f"Aid convoy reaches besieged town\n\n{dateline}Twelve trucks reached the town on Monday, the UN said."
        rec = ex(t)
        q = quote(rec, "Twelve trucks")
        assert q.text.startswith("Twelve trucks"), (dateline, q.text)


def test_byline_and_timestamp_are_not_sources_or_quotes():
    t = ("Fighting flares in the north\n\nBy Sara Mendez\n\nUpdated 09:15 GMT, 3 May 2021\n\n"
         "The provincial governor said that 14 people had died in the shelling.")
    rec = ex(t)
    assert [q.text for q in rec.quotes] == ["14 people had died in the shelling"]
    assert not any("Mendez" in (s.name or "") for s in rec.sources)


def test_topic_label_headline_is_no_attribution():
    for head in ("Yemen: 40 detainees freed in swap", "MALI: SIX SOLDIERS KILLED IN AMBUSH"):
        rec = ex(f"{head}\n\nThe prisoners were handed over at the airport on Sunday, officials said.")
        assert not any(q.cue is not None and q.cue.text == ":" for q in rec.quotes), head


def test_headline_with_a_speaker_is_an_attribution():
    rec = ex("Three villagers killed in raid: police\n\nGunmen raided the village overnight, police said.")
    q = quote(rec, "Three villagers killed in raid")
    assert q.cue.text == ":" and rec.source(q.source).head.lower() == "police"


def test_pull_quote_before_its_paragraph_is_annotated_once():
    t = ("\"We lost everything in one night\"\n\nThe village emptied within hours. "
         "\"We lost everything in one night,\" said Amal Kassem, who fled with her four children.")
    rec = ex(t)
    hits = [q for q in rec.quotes if "We lost everything" in q.text]
    assert len(hits) == 1 and rec.source(hits[0].source).name == "Amal Kassem"


# --------------------------------------------------------------------------- quote boundaries


def test_leading_connective_is_not_part_of_the_content():
    t = ("However, so far no group has said it carried out the bombing, police said. "
         "Meanwhile, 25 people were treated for burns, the hospital director said.")
    rec = ex(t)
    assert quote(rec, "no group has said").text.startswith("so far")
    assert quote(rec, "25 people").text.startswith("25 people")


def test_time_adjunct_after_the_cue_is_not_content():
    rec = ex("The interior ministry said on Tuesday it would deploy 300 more police to the city.")
    assert quote(rec, "deploy 300").text.startswith("it would deploy")


def test_content_does_not_run_into_the_cue_clause():
    rec = ex("The convoy was attacked near the bridge, a local official told Radio Dabanga on Sunday.")
    q = quote(rec, "convoy was attacked")
    assert q.text == "The convoy was attacked near the bridge"


# --------------------------------------------------------------------------- after the pool's first run


def test_a_statement_as_the_object_of_claim_announce_confirm_blame():
    t = ("The Kasmiri army announced the death of nine soldiers in the pass. A rebel faction claimed responsibility "
         "for the ambush, and the governor blamed the faction for the deaths.")
    rec = ex(t)
    assert quote(rec, "the death of nine soldiers").cue.text == "announced"
    assert quote(rec, "responsibility for the ambush").cue.text == "claimed"
    assert quote(rec, "the faction for the deaths").cue.text == "blamed"


def test_the_members_of_a_named_group_point_back_to_it():
    t = ("Sarn Front rebels seized two villages last week, a monitoring group said.\n\n"
         "The rebels denied that any civilians had been harmed.")
    rec = ex(t)
    s = speaker(rec, "any civilians had been harmed")
    assert not s.anonymous and "Sarn Front" in (s.name or "")


def test_a_country_before_the_noun_is_not_a_group_name():
    t = ("Syrian rebels attacked a convoy, the army said.\n\nThe rebels denied any attack.")
    rec = ex(t)
    assert speaker(rec, "any attack").anonymous


def test_a_described_body_among_several_named_ones():
    t = ("The Levant Rights Committee said 40 people were held. The Red Crescent said aid was blocked. "
         "The rights group added that the detainees had no lawyers.")
    rec = ex(t)
    assert speaker(rec, "no lawyers").name == "Levant Rights Committee"


def test_a_headline_description_and_the_same_role_with_the_name():
    t = ("Ceasefire welcomed as first step by Kasmiran president\n\n"
         "President Anton Varga said on Monday the truce would hold.")
    rec = ex(t)
    names = {s.name for s in rec.sources}
    assert names == {"Anton Varga"}, [s.mention for s in rec.sources]


def test_a_number_is_no_speaker():
    rec = ex("Of the 40 people detained, 22 said they had been beaten.")
    assert all(not (s.mention or "").strip().isdigit() for s in rec.sources)


def test_a_dateline_with_a_country_and_a_spaced_hyphen():
    rec = ex("Aid appeal for refugees\n\nYAOUNDE, Cameroon - The refugee agency has called for more aid, officials "
             "said.")
    assert all("YAOUNDE" not in (s.mention or "") for s in rec.sources)
    assert all(not q.text.startswith("YAOUNDE") for q in rec.quotes)


def test_the_same_words_are_one_source():
    t = ("A source in the border police, speaking on condition of anonymity, told reporters that two men had been "
         "held, adding that neither was armed.")
    rec = ex(t)
    assert len([s for s in rec.sources if s.anonymous]) == 1
    (s,) = [s for s in rec.sources if s.anonymous]
    assert s.anonymity_reason is not None


def test_the_title_written_before_a_name_lets_the_definite_description_point_back():
    """A title before the name ("President X toured ...") is what "the president" later points back to,
    even when the name's first mention as a source comes through a pronoun (invented text)."""
    text = ("President Omar Faris toured the flooded camp on Sunday. \"We have not forgotten these families,\" "
            "he said. The president said: \"Help is on the way and the road will reopen.\"")
    rec = sourcebook.extract(text)
    speakers = {q.source for q in rec.quotes}
    assert len(rec.quotes) == 2 and len(speakers) == 1, [(s.mention, s.anonymous) for s in rec.sources]
    (src,) = [s for s in rec.sources if s.id in speakers]
    assert src.name == "Omar Faris" and not src.anonymous


# --------------------------------------------------------------------------- institutions named by what they are


def test_police_and_security_forces_are_named_institutions():
    # GUIDELINES: "the armed forces" is a named source, though no person is named; the people speaking
    # for it ("police sources") are anonymous
    t = ("Police said the lorry had been stopped at a checkpoint outside Mosul. "
         "Police sources said the driver was held overnight. "
         "Moroccan security forces said the border post was closed on Monday.")
    rec = ex(t)
    police = speaker(rec, "lorry had been stopped")
    assert not police.anonymous and police.kind == "organization" and police.name == "Police"
    assert speaker(rec, "driver was held").anonymous
    forces = speaker(rec, "border post was closed")
    assert not forces.anonymous and forces.name == "Moroccan security forces"


def test_state_media_are_named_but_local_media_are_not():
    t = ("Jordanian state television reported that the convoy had crossed at dawn. "
         "Local media reported that two trucks were turned back.")
    rec = ex(t)
    tv = speaker(rec, "convoy had crossed")
    assert not tv.anonymous and tv.name == "Jordanian state television"
    assert speaker(rec, "trucks were turned back").anonymous


def test_an_institution_matches_by_its_name_not_its_head_word():
    # "Security forces" later in the text are not shown to be the Moroccan ones: two sources
    t = ("Moroccan security forces said the border post was closed on Monday. "
         "In a separate incident in the south, security forces said three smugglers were arrested.")
    rec = ex(t)
    a, b = speaker(rec, "border post was closed"), speaker(rec, "smugglers were arrested")
    assert a is not b and not a.anonymous and not b.anonymous


def test_a_number_before_the_institution_word_leaves_unnamed_people():
    rec = ex("Two police officers said the crowd dispersed. Some forces said nothing.")
    assert speaker(rec, "crowd dispersed").anonymous


# --------------------------------------------------------------------------- continuing quotes


def test_a_quote_continues_after_a_speaker_description_with_abbreviations():
    """The rest of the cue's sentence describes the speaker; its abbreviations ("Sen.", "R-Ala.")
    are no sentence standing between the two quotes."""
    t = ("The committee met late on Thursday.\n\n"
         "\"We will not be rushed,\" said Sen. T.J. Okafor (R-Ala.), chair of the oversight panel. "
         "\"The vote is set for Monday. Nobody on this panel will move it for a press cycle.\"")
    rec = ex(t)
    first, second = quote(rec, "We will not be rushed"), quote(rec, "The vote is set for Monday")
    assert first.source == second.source
    assert rec.source(second.source).name == "T.J. Okafor"


def test_a_sentence_of_the_article_between_the_quotes_stops_the_continuation():
    t = ("\"We will not be rushed,\" said Sen. T.J. Okafor (R-Ala.), chair of the oversight panel. "
         "The panel has delayed three votes since the spring recess began in April. "
         "\"The vote is set for Monday.\"")
    rec = ex(t)
    assert not any("The vote is set for Monday" in q.text for q in rec.quotes)


# --------------------------------------------------------------------------- mixed quotes before their cue


def test_a_clause_that_ends_in_quoted_words_is_one_mixed_quote():
    """'X was "Y," Z added': the statement is the whole clause, with its quoted words (mixed), not
    the quoted words alone."""
    t = ("The brigade buried its commander on Sunday.\n\n"
         "He had led the unit for nine years and was \"a patient, careful officer,\" the defence ministry added.")
    rec = ex(t)
    q = quote(rec, "patient, careful officer")
    assert q.type == "mixed"
    assert q.text.startswith("He had led the unit for nine years")
    assert rec.source(q.source).name == "defence ministry"


def test_a_quotation_alone_before_its_cue_stays_direct():
    t = ("The brigade buried its commander on Sunday.\n\n"
         "However, \"he never left a wounded man behind,\" the defence ministry said. "
         "Nasser said the funeral was calm, but \"the anger is real,\" she added.")
    rec = ex(t)
    assert quote(rec, "he never left a wounded man behind").type == "direct"
    assert quote(rec, "the anger is real").type == "direct"
    assert quote(rec, "the funeral was calm").type == "indirect"


# --------------------------------------------------------------------------- speakers and cues the parse hides


def test_part_of_a_group_of_people_is_a_group_source():
    t = ("Aid workers surveyed the camp in March.\n\n"
         "Two-thirds of the families interviewed said they would not go back before the winter. "
         "Sixty percent of residents say the water ration is too small.")
    rec = ex(t)
    a, b = speaker(rec, "would not go back"), speaker(rec, "water ration is too small")
    assert a.kind == b.kind == "group" and a.anonymous and b.anonymous
    assert a.mentions[0].text == "Two-thirds of the families interviewed"
    assert not any("Half of the bridge" in s.mentions[0].text for s in
                   ex("Half of the bridge collapsed, the engineer said.").sources)


def test_the_speaker_of_a_participle_under_a_preposition_or_a_non_speaking_noun():
    t = ("Rana Aziz opened the session by saying the council would vote on the budget in May. "
         "Later, the mayor fired back a reply saying the budget was already late.")
    rec = ex(t)
    assert speaker(rec, "would vote on the budget").name == "Rana Aziz"
    assert speaker(rec, "was already late").mentions[0].text == "the mayor"


def test_a_participle_cue_after_a_trailing_reporting_clause_is_a_cue_of_its_own():
    t = ("The convoy will leave at dawn, Youssef Karam said, adding that the drivers had been paid. "
         "The road is open, Karam said, adding, \"We have nothing to hide.\"")
    rec = ex(t)
    convoy, paid = quote(rec, "The convoy will leave at dawn"), quote(rec, "the drivers had been paid")
    assert not paid.text.startswith("adding") and paid.cue.text == "adding"
    assert convoy.cue.text == "said" and convoy.text == "The convoy will leave at dawn"
    assert quote(rec, "The road is open").cue.text == "said"
    assert quote(rec, "We have nothing to hide").cue.text == "adding"


def test_a_clause_hung_on_a_gerund_subject_is_still_the_content():
    rec = ex("The governor visited the port on Friday. "
             "She said reopening it could put hundreds of dockers back to work.")
    q = quote(rec, "could put hundreds of dockers back to work")
    assert q.type == "indirect" and q.text.startswith("reopening it")


# --------------------------------------------------------------------------- "according to" closing a content


def test_according_to_closing_a_reported_clause_is_not_part_of_it():
    t = ("Nadia Farouk said the bakery would reopen and that the council \"had waited far too long,\" "
         "according to the statement. "
         "The flights continued along the border, according to an accord signed in 2015, Farouk said.")
    rec = ex(t)
    q = quote(rec, "the bakery would reopen")
    assert q.cue.text == "said" and rec.source(q.source).name == "Nadia Farouk"
    assert "according to" not in q.text
    assert "according to an accord" in quote(rec, "The flights continued").text  # an accord is no source


def test_a_trailing_reporting_clause_then_according_to_gives_one_quote():
    rec = ex("The market will reopen on Monday, the governor said, according to state radio.")
    assert [q.text for q in rec.quotes if q.cue.text == "said"] == ["The market will reopen on Monday"]
    assert not any(q.text.startswith("according to") for q in rec.quotes)


def test_a_quotation_opened_in_reported_speech_carries_the_statement_to_its_close():
    t = ("Haddad said the crossing \"may stay shut for weeks. Nobody here wants that, but the trucks are not "
         "moving.\" The governor disagreed.")
    rec = ex(t)
    q = quote(rec, "may stay shut for weeks")
    assert q.type == "mixed" and q.text.endswith("the trucks are not moving.")
    assert not any("governor disagreed" in x.text for x in rec.quotes)


# --------------------------------------------------------------------------- quotations that name, not say


def test_a_programme_or_book_title_in_quote_marks_is_no_quote():
    t = ("\"The roads are open again,\" Haddad said on \"Evening Report.\" "
         "\"We will stay,\" Nasser told \"Radio Dawn Today.\" She added that the town was calm. "
         "Haddad wrote about the siege in his memoir, \"Bitter Bread.\"")
    rec = ex(t)
    texts = [q.text for q in rec.quotes]
    assert not any("Evening Report" in x or "Radio Dawn" in x or "Bitter Bread" in x for x in texts), texts
    assert speaker(rec, "We will stay").name == "Nasser"
    assert speaker(rec, "The roads are open again").name == "Haddad"


def test_a_participle_phrase_before_a_trailing_cue_is_no_statement():
    rec = ex("Entering the last week of the talks, Nasser said nothing. "
             "Facing the press on Monday, the envoy said. The curfew will end soon, the envoy said.")
    texts = [q.text for q in rec.quotes]
    assert not any(x.startswith(("Entering", "Facing")) for x in texts), texts
    assert "The curfew will end soon" in texts


def test_an_abbreviated_title_between_a_quote_and_its_cue_ends_no_sentence():
    t = ("\"The wells are dry,\" Ms. Idris said. \"We walk four hours for water.\"\n\n"
         "\"Nobody has come,\" Lt. Col. A.B. Haddad said.\n\n"
         "''The road is cut,'' Mr. Saleh said. ''The trucks turned back.''")
    rec = ex(t)
    for frag in ("The wells are dry", "Nobody has come", "The road is cut"):
        assert quote(rec, frag).type == "direct", frag
    assert speaker(rec, "We walk four hours") is speaker(rec, "The wells are dry")
    assert speaker(rec, "The trucks turned back") is speaker(rec, "The road is cut")
    assert len([q for q in rec.quotes if "road is cut" in q.text]) == 1


def test_a_person_the_tagger_took_for_a_place_is_a_person_when_a_role_says_so():
    """The small model tags some foreign names as places (GPE).  Here the tags are set by hand to
    that error, then the attribution component runs on the doc as in the pipeline."""
    from spacy.tokens import Span

    from sourcebook.nlp.pipeline import get_nlp

    t = ("\"We have the records,\" Okafor said. Lela Mtskheta, the leader of the bloc, said she would "
         "cooperate. She, however, said the evidence was thin.")
    nlp = get_nlp()
    doc = nlp.make_doc(t)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "ner":
            start = t.index("Lela")
            span = doc.char_span(start, start + len("Lela Mtskheta"))
            doc.ents = [e for e in doc.ents if e.end <= span.start or e.start >= span.end] + [
                Span(doc, span.start, span.end, label="GPE")]
    by_text = {q.text: q for q in doc._.sb_quotes}
    sources = {s.id: s for s in doc._.sb_sources}
    lela = sources[by_text["she would cooperate"].source]
    assert lela.name == "Lela Mtskheta" and lela.kind == "person"
    assert by_text["the evidence was thin"].source == lela.id


def test_told_a_crowd_that_x_is_reported_speech_though_parsed_as_a_relative_clause():
    rec = ex("Haddad told a cheering crowd in Homs that he expects to win the district. "
             "Nasser thanked the crowd that he had addressed.")
    q = quote(rec, "he expects to win the district")
    assert q.cue.text == "told" and rec.source(q.source).name == "Haddad"
    assert not any("he had addressed" in x.text for x in rec.quotes)


def test_a_name_the_tagger_took_for_a_verb_does_not_make_the_speaker_a_clause():
    """'a lawyer with the law firm Perkins Coie': the small model tags "Perkins" VBZ.  Here the tag is
    set by hand to that error on a fresh name, then the components run on the doc as in the pipeline."""
    from sourcebook.nlp.pipeline import get_nlp

    t = "\"The roads are closed,\" said Idris, a lawyer with the law firm Hopkins Marsh."
    nlp = get_nlp()
    doc = nlp.make_doc(t)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "ner":
            next(tok for tok in doc if tok.text == "Hopkins").tag_ = "VBZ"
    assert [tok.tag_ for tok in doc if tok.text == "Hopkins"] == ["VBZ"]
    quotes = doc._.sb_quotes
    assert [q.text for q in quotes] == ["The roads are closed"]
    src = {s.id: s for s in doc._.sb_sources}[quotes[0].source]
    assert src.name == "Idris"


def test_a_quotation_ending_in_a_question_or_exclamation_mark_before_its_cue():
    t = ("The hearing ran late.\n\n"
         "\"Why are the trucks still waiting at the border?\" Senator Idris asked.\n\n"
         "\"Open the crossing now!\" Nasser said on the radio.\n\n"
         "\"It is closed.\" Haddad said he would check the lists.")
    rec = ex(t)
    assert speaker(rec, "Why are the trucks still waiting").name == "Idris"
    assert speaker(rec, "Open the crossing now").name == "Nasser"
    assert quote(rec, "he would check the lists").cue.text == "said"
    assert not any(q.text.startswith("It is closed") and rec.source(q.source).name == "Haddad" for q in rec.quotes)


def test_speakers_after_an_inverted_cue_and_of_participles():
    t = ("\"The corridor may not be the best use of the convoy's time,\" said Rania Khoury, chief planner for "
         "the relief agency two years ago, when she ran the northern route.\n\n"
         "\"I am not going to call it a mistake,\" said retired general Samir Aziz, asked about his claims "
         "that he had warned the ministry.\n\n"
         "On Friday, Nasser appeared on state radio and praised the deal, saying, "
         "\"This is what the valley needs.\"\n\n"
         "Idris drew applause upon saying, \"The checkpoints will go.\"")
    rec = ex(t)
    assert speaker(rec, "best use of the convoy").name == "Rania Khoury"
    assert speaker(rec, "call it a mistake").name == "Samir Aziz"
    assert speaker(rec, "what the valley needs").name == "Nasser"
    assert speaker(rec, "The checkpoints will go").name == "Idris"


def test_quotations_and_the_speaker_phrase_around_a_trailing_cue():
    t = ("\"That is a fair worry, because the families are exhausted,\" Haddad, 61, told the radio on Monday "
         "when asked about the camps.\n\n"
         "\"I hope the convoy reaches the valley before the snow.\" Nasser said.\n\n"
         "Okafor, whose \"bitter harvest\" speech angered the council, said the vote would go ahead.\n\n"
         "\"The appeal is late,\" the election board said, noting that the deadline had passed.")
    rec = ex(t)
    assert speaker(rec, "That is a fair worry").name == "Haddad"
    assert speaker(rec, "convoy reaches the valley").name == "Nasser"
    assert speaker(rec, "the vote would go ahead").name == "Okafor"
    assert not any("bitter harvest" in q.text for q in rec.quotes)
    assert speaker(rec, "The appeal is late").mentions[0].text == "the election board"


def test_an_adverbial_before_a_parenthetical_cue_is_no_quote_of_its_own():
    rec = ex("Rana Idris spoke on Monday. For three winters, she noted, the valley has had no fuel. "
             "Hundreds more, she said, were stuck at the crossing.")
    texts = [q.text for q in rec.quotes]
    assert "For three winters" not in texts and "the valley has had no fuel" in texts
    assert "Hundreds more" in texts  # a subject the cue interrupts stays an item (GUIDELINES.md)


def test_asking_a_question_names_the_act_and_is_no_quote():
    rec = ex("Reporters asked Haddad a question about the curfew. The pollsters asked residents a series of "
             "questions. Haddad asked the council to reopen the crossing.")
    texts = [q.text for q in rec.quotes]
    assert not any("question" in x for x in texts), texts
    assert "the council to reopen the crossing" in texts


def test_the_speaker_named_after_a_quotation_that_ends_with_a_comma():
    """'"...," Gene Sperling, a top adviser, said': when the parser leaves the cue without a subject
    (here set by hand to the parse the small model gave a real sentence), the name after the closing
    mark is the speaker, not the anonymous "a senior adviser"; a programme's name after "on" is no quote."""
    from sourcebook.nlp.pipeline import get_nlp

    t = "\"It is not the end of the talks,\" Rana Idris, a senior adviser, said at a meeting in Homs."
    nlp = get_nlp()
    doc = nlp.make_doc(t)
    for name, proc in nlp.pipeline:
        doc = proc(doc)
        if name == "parser":
            idris = next(tok for tok in doc if tok.text == "Idris")
            idris.head = next(tok for tok in doc if tok.text == "is")
            idris.dep_ = "attr"
    sources = {s.id: s for s in doc._.sb_sources}
    assert [(q.text, sources[q.source].name) for q in doc._.sb_quotes] == [
        ("It is not the end of the talks", "Rana Idris")]
    rec = ex("As a host on \"Morning Desk,\" Omar Haddad often mocked the council.")
    assert not any("Morning Desk" in q.text for q in rec.quotes)


def test_seeking_to_do_something_is_an_attempt_not_a_quote():
    rec = ex("The militia is seeking to take the bridge before the rains. The council sought to calm residents. "
             "Prosecutors sought a 12-year sentence for the commander.")
    texts = [q.text for q in rec.quotes]
    assert not any(x.startswith("to ") for x in texts), texts
    assert "a 12-year sentence for the commander" in texts


# --------------------------------------------------------------------------- found on real text, 2026-12-08


def test_a_name_in_someone_elses_role_is_another_source():
    # "Trump campaign spokeswoman Hope Hicks" ... "Trump said": the first word of her role is not her name
    t2 = ("Vance campaign spokeswoman Dana Ferris said the rally would go ahead.\n\n"
          "Vance said he was not worried about the weather.")
    rec2 = ex(t2)
    a, b = speaker(rec2, "rally would go ahead"), speaker(rec2, "not worried")
    assert a.name == "Dana Ferris" and b.name == "Vance" and a is not b


def test_people_described_by_their_relation_to_a_named_person_are_not_that_person():
    rec = ex("Critics of Governor Amal Rifai accused the council of delaying the count. "
             "A cousin of Tomas Brevik said he had not been seen since May.")
    a, b = speaker(rec, "delaying the count"), speaker(rec, "had not been seen")
    assert a.name is None and a.anonymous and "Critics" in a.mentions[0].text
    assert b.name is None and b.anonymous
    assert not any(s.name in ("Amal Rifai", "Tomas Brevik") for s in rec.sources)


def test_a_surname_tagged_as_an_organization_is_still_the_person_the_article_named():
    t = ("Governor Luis Cortez took office in August.\n\n"
         "Cortez has said the militia must hand over its weapons before any talks. "
         "He said on Monday he would review the ceasefire.")
    rec = ex(t)
    a, b = speaker(rec, "hand over its weapons"), speaker(rec, "review the ceasefire")
    assert a is b and a.kind == "person" and a.name.endswith("Cortez")


def test_a_person_inside_a_reported_statement_is_not_the_next_pronoun():
    t = ("Mariam Okafor spoke to a radio station on Thursday.\n\n"
         "Okafor said she does not think Helen Brandt should be blamed for the delay.\n\n"
         "\u201cI was angry that the convoy was stopped,\u201d she said.")
    rec = ex(t)
    assert speaker(rec, "I was angry").name == "Mariam Okafor"
    assert not any(s.name == "Helen Brandt" for s in rec.sources)


def test_content_starts_after_a_dateline_the_sentence_splitter_cut():
    t = ("Rebels free three hostages\n\n"
         "VELMORIA CITY (Reuters) \u2013 Rebels have released three soldiers held for a month, the "
         "country\u2019s ombudsman said on Wednesday, as the new president weighs whether to resume talks.")
    rec = ex(t)
    q = quote(rec, "released three soldiers")
    assert q.text.startswith("Rebels have released")
    assert not any(x.text.startswith("as the new president") for x in rec.quotes)


def test_a_cue_that_says_nothing_was_said_makes_no_quote():
    rec = ex("The interior ministry did not say how many recruits had been detained. "
             "A police spokesman declined to say whether the convoy had been searched. "
             "The governor said the mayor couldn't recall the exact figure given at the meeting.")
    assert not any("recruits" in q.text or "convoy" in q.text for q in rec.quotes)
    q = quote(rec, "the mayor couldn")
    assert q.text.endswith("given at the meeting")  # the negated inner cue does not split the statement


def test_a_second_that_clause_after_but_is_more_of_the_statement():
    rec = ex("The regional governor said the country needs to guard the roads and build a new clinic program, "
             "but that he would not support a curfew.")
    assert quote(rec, "guard the roads").text.endswith("he would not support a curfew")


def test_a_pronoun_after_the_one_person_the_paragraph_names():
    t = ("The rally was opened by his daughter Leyla Demir, who described him as a patient negotiator.\n\n"
         "She said her father had spent years talking to both sides.")
    rec = ex(t)
    assert speaker(rec, "had spent years").name == "Leyla Demir"


def test_a_subject_inside_the_quotation_is_not_the_speaker():
    # parsed as '"We were ... wrong" and told AFP', the cue's subject would be the quoted "We"
    t = ("The talks collapsed two months ago.\n\n"
         "\u201cWe were tremendously wrong to not have pressed them from the beginning,\u201d Okonkwo, 61, "
         "told AFP in an interview in Lagos on Monday.")
    rec = ex(t)
    s = speaker(rec, "tremendously wrong")
    assert s.name == "Okonkwo" and s.kind == "person"


def test_a_quote_after_a_sentence_about_its_speaker_is_still_theirs():
    t = ("\u201cNobody can blame the nurses for what the ministry did,\u201d said Amina Yusuf, 44, a midwife "
         "from Kano who attended the vigil. A widow who moved to the city in 2013, she plans to return "
         "to her village next month. \u201cAll they went through, and now this, it is not fair.\u201d")
    rec = ex(t)
    assert speaker(rec, "All they went through").name == "Amina Yusuf"


def test_a_newspaper_whose_name_ends_in_a_document_word_is_the_newspaper():
    rec = ex("The Kinshasa Post reported that the convoy had been turned back. "
             "A Defence Ministry statement said the border would stay closed.")
    assert speaker(rec, "convoy had been turned back").name == "Kinshasa Post"
    assert speaker(rec, "border would stay closed").name == "Defence Ministry"


# --------------------------------------------------------------------------- the article's own reports (REPORTER)


def test_reportedly_and_agentless_passives_are_the_article_s_own_claims():
    rec = ex("The militia has held the valley since March in fighting that has reportedly displaced 9,000 families. "
             "The two drivers were said to be carrying flour for the camp. "
             "Clashes were reported near the dam on Friday, while aid convoys waited at the checkpoint.")
    for fragment, cue in (("fighting that has reportedly displaced", "reportedly"),
                          ("The two drivers were said to be carrying", "were said"),
                          ("Clashes were reported near the dam", "were reported")):
        q = quote(rec, fragment)
        assert q.source == "REPORTER" and q.cue.text == cue and q.type == "indirect"
    assert not any("aid convoys" in q.text for q in rec.quotes)  # the clause after "while" is the article's
    assert rec.sources == []


def test_reports_with_no_holder_and_what_stays_no_quote():
    rec = ex("The talks stalled amid reports of new fighting near the northern crossing. "
             "A fire crew received reports of smoke in the depot. "
             "The commander is thought to be hiding in the hills. "
             "The raid was reported by state television.")
    q = quote(rec, "new fighting near the northern crossing")
    assert q.source == "REPORTER" and q.cue.text == "reports"
    assert not any("smoke" in x.text or "hiding" in x.text for x in rec.quotes)
    assert not any(x.source == "REPORTER" and "raid" in x.text for x in rec.quotes)


def test_a_cue_inside_a_relative_clause_reports_the_clause():
    rec = ex("The air strikes, which medics say killed 14 civilians, hit the market on Monday. "
             "The Kivu army has repeatedly said the offensive would end the raids.\n\n"
             "The army denies that civilians were hurt in shelling that rescuers and residents say flattened "
             "whole streets of the old town.")
    q = quote(rec, "killed 14 civilians")
    assert q.text == "killed 14 civilians" and speaker(rec, "killed 14").mentions[0].text == "medics"
    outer = quote(rec, "civilians were hurt")
    assert outer.text == "civilians were hurt in shelling"
    inner = quote(rec, "flattened whole streets")
    assert inner.text.startswith("flattened") and speaker(rec, "flattened").mentions[0].text == "rescuers and residents"


def test_continuation_marks_of_paragraphs_run_together_keep_one_quotation():
    t = ("The battalion's commander said: \u201cAmal Haddad was a patient and careful officer. "
         "\u201cShe trained every recruit in her unit herself. \u201cWe will miss her badly.\u201d\n\n"
         "The convoy was hit near the river.")
    rec = ex(t)
    assert len(rec.quotes) == 1
    assert rec.quotes[0].text.startswith("Amal Haddad") and rec.quotes[0].text.endswith("miss her badly.")


def test_a_verb_with_an_object_is_no_trailing_reporting_clause():
    rec = ex("Underlining the danger of the clashes, state television showed footage on Friday of the "
             "governor meeting the army chief, Omar Haddad. The roads are closed, the governor told reporters.")
    assert not any("Underlining" in q.text or q.text == "Omar Haddad" for q in rec.quotes)
    assert quote(rec, "roads are closed").cue.text == "told"


def test_a_generic_word_for_an_organization_is_no_name():
    rec = ex("Fighting resumed near the dam on Friday.\n\nThe monitor said the raid had emptied the village.")
    s = speaker(rec, "emptied the village")
    assert s.name is None and s.anonymous and s.kind == "organization"


def test_the_observatory_is_the_one_organization_the_text_names_so():
    rec = ex("The Sudanese Observatory for Civil Rights reported on Sunday the arrival of 300 more fighters. "
             "The observatory said the number of recruits had reached about 4,000.")
    assert speaker(rec, "number of recruits").name == "Sudanese Observatory for Civil Rights"


def test_an_organization_described_before_its_short_form_keeps_the_description_as_its_name():
    rec = ex("A boat carrying 80 people landed on the coast on Friday, the United Nations migration agency (UNMA) "
             "said. UNMA said more boats were expected.\n\n"
             "The International Committee for Refugee Rights (ICRR) said the camps were full.")
    a, b = speaker(rec, "boat carrying"), speaker(rec, "more boats")
    assert a is b and a.name == "United Nations migration agency"
    assert speaker(rec, "camps were full").name == "International Committee for Refugee Rights"


def test_more_verbs_of_saying_from_the_training_split():
    t = ("Governor Amal Rifai told reporters on Monday that the roads were open.\n\n"
         "\u201cWe will rebuild the bridge before the rains,\u201d Rifai continued. She also clarified that the "
         "army had not entered the town. \u201cNobody was hurt,\u201d she elaborated.\n\n"
         "The talks continued on Tuesday.")
    rec = ex(t)
    assert quote(rec, "rebuild the bridge").cue.text == "continued"
    assert quote(rec, "army had not entered").cue.text == "clarified"
    assert quote(rec, "Nobody was hurt").cue.text == "elaborated"
    assert all(speaker(rec, f).name == "Amal Rifai" for f in ("rebuild", "army had not", "Nobody"))
    assert not any("talks" in q.text for q in rec.quotes)


def test_a_programme_title_after_a_possessive_is_not_a_quote():
    # 'on NBC’s “Evening Review,” X admitted': a name, not words the speaker said before the cue
    rec = ex("Speaking Tuesday on NBC\u2019s \u201cEvening Review,\u201d Halvorsen admitted that the figure in "
             "his report was wrong.")
    assert not any("Evening Review" in q.text for q in rec.quotes)
    assert quote(rec, "figure in his report").type == "indirect"
    rec = ex("Mira Tolan, host of KBC\u2019s \u201cNight Desk,\u201d suggested the mayor\u2019s plan could cost "
             "him the race.")
    assert not any("Night Desk" in q.text for q in rec.quotes)
    assert quote(rec, "could cost him").text.startswith("the mayor")


def test_a_quotation_in_the_speakers_description_is_not_what_the_cue_reports():
    # 'X, who calls Y a "fraud," said Z': the cue reports Z, not the description around the quotation
    rec = ex("Okafor, who calls the governor a \u201cfraud,\u201d said he doesn\u2019t think the vote will be fair.")
    assert not any("fraud" in q.text for q in rec.quotes)
    assert quote(rec, "vote will be fair").text.startswith("he doesn")
    # an earlier clause of the speaker's with a quotation, and the cue's own clause: both are reported
    rec = ex("Brill called the governor \u201ca fraud,\u201d and said he was sure the plan would fail.")
    assert quote(rec, "plan would fail").type == "indirect"
    assert quote(rec, "a fraud").type == "mixed"


def test_the_agent_of_a_passive_cue_is_the_speaker():
    # 'X was asked by Y whether ...', 'X has been accused by Y of ...': Y speaks, X is spoken to or about
    rec = ex("Okafor was asked by moderator Dana Reed whether his tax plan would raise the deficit.")
    assert speaker(rec, "raise the deficit").name == "Dana Reed"
    rec = ex("The movement has been accused by the Turkish government of attempting a coup.")
    assert "Turkish government" in speaker(rec, "attempting a coup").mentions[0].text


def test_compared_with_as_a_preposition_is_no_cue():
    rec = ex("Turnout among young voters rose by 40 percent compared with the same period in 2018.")
    assert not rec.quotes
    rec = ex("Reyes compared the new tax to a burglary.")
    assert quote(rec, "burglary").type == "indirect"


def test_people_named_by_a_status_or_stance_can_speak():
    # heads that end like no agent noun: magnate, advocates, associates, conservatives
    t = ("The harbour fees rose again in March.\n\n"
         "The shipping magnate says the new charges will drive cargo to other ports. "
         "Wind energy advocates say they already have promises from the council. "
         "Her associates said she is not planning a comeback.")
    rec = ex(t)
    for fragment, head in (("drive cargo", "magnate"), ("already have promises", "advocates"),
                           ("not planning a comeback", "associates")):
        s = speaker(rec, fragment)
        assert s.anonymous and s.head == head


def test_the_share_of_a_poll_that_said_something_is_a_group_source():
    t = ("The county asked 900 commuters about the new tram line.\n\n"
         "Nearly half said they would ride it every day. Those surveyed said the fares were too high, "
         "and in the northern suburbs 38% say they never take the bus.")
    rec = ex(t)
    for fragment in ("would ride it every day", "fares were too high", "never take the bus"):
        s = speaker(rec, fragment)
        assert s.anonymous and s.kind == "group"


def test_a_quotation_in_the_first_of_two_coordinated_verbs_is_not_the_second_ones():
    t = ("Councillor Tomas Brandt called the zoning plan \"a gift to developers\" and said it would "
         "push families out of the old town. Brandt cheered \"Not this time!\" and told the crowd that "
         "the vote would be close.")
    rec = ex(t)
    q = quote(rec, "push families out")
    assert q.text == "it would push families out of the old town" and q.cue.text == "said"
    assert quote(rec, "vote would be close").text == "the vote would be close"
    assert all("told the crowd" not in x.text for x in rec.quotes)


def test_a_title_case_headline_names_its_speaker_before_says():
    # the tagger reads no clause after 'Says' here, and no person before it
    t = ("Brandt Says No To Night Flights As Airport Expands\n\n"
         "Councillor Tomas Brandt said on Tuesday that the new runway must close at ten.")
    rec = ex(t)
    q = quote(rec, "Night Flights")
    assert q.cue.text == "Says" and rec.source(q.source).name == "Tomas Brandt"


def test_according_to_in_the_middle_before_a_clause_of_its_own():
    rec = ex("Over 12,000 of the camps’ detainees are foreign children, according to Amnesty International, and "
             "many governments continue to ignore calls by the United Nations to take their citizens back, "
             "claiming that they pose threats.")
    q = quote(rec, "foreign children")
    assert q.cue.text == "according to" and q.text.startswith("Over 12,000") and "governments" not in q.text


def test_an_outlet_the_article_does_not_name_is_an_unnamed_organization():
    rec = ex("The magazine said the convoy had been turned back at the border. "
             "Vantor Daily, an independent newspaper, reported that the talks had failed. "
             "The newspaper said more talks were planned.")
    a = speaker(rec, "convoy had been turned back")
    assert a.name is None and a.anonymous and a.kind == "organization"
    assert speaker(rec, "more talks were planned").name == "Vantor Daily"


def test_a_second_present_tense_cue_the_tagger_read_as_a_bare_verb():
    rec = ex("The militia leaders deny they are holding any hostages and say talks with the mediators are about "
             "a prisoner swap.")
    a, b = quote(rec, "holding any hostages"), quote(rec, "prisoner swap")
    assert a is not b and a.cue.text == "deny" and b.cue.text == "say"
    assert "say" not in a.text



def test_a_cue_coordinated_inside_a_relative_clause_is_the_nouns():
    t = ("The harbour board met again on Thursday.\n\n"
         "Ingrid Solberg had called for cheaper tickets. Solberg, who chairs the board and said she "
         "would vote against the fares, spoke on Thursday.")
    rec = ex(t)
    q = quote(rec, "vote against the fares")
    assert q.text == "she would vote against the fares"
    assert rec.source(q.source).name == "Ingrid Solberg"


def test_saying_coordinated_with_an_earlier_participle_shares_the_main_subject():
    t = ("The treasurer faced questions about the shortfall.\n\n"
         "Mireille Dufort hesitated, glancing at her notes and saying that the money had been moved.")
    rec = ex(t)
    q = quote(rec, "money had been moved")
    assert rec.source(q.source).name == "Mireille Dufort"


def test_a_word_for_a_whole_answer_after_said_is_what_was_said():
    t = ("The county asked commuters about the tram fares.\n\n"
         "Asked whether the fares were fair, 52 percent said no. A year earlier, 40 percent said the same, "
         "while 35 percent say the same of the bus fares.")
    rec = ex(t)
    assert quote(rec, "no").text == "no" and speaker(rec, "no").mention == "52 percent"
    q = quote(rec, "same of the bus fares")
    assert q.text == "the same of the bus fares" and speaker(rec, "same of the bus").mention == "35 percent"
    assert all("while" not in x.text for x in rec.quotes)


def test_a_share_like_four_in_ten_before_the_cue_is_a_group_source():
    t = ("The transit survey was published on Monday.\n\n"
         "About 3 in 10 say they want the night buses back on the old routes.")
    rec = ex(t)
    q = quote(rec, "night buses back")
    s = rec.source(q.source)
    assert s.mention == "About 3 in 10" and s.kind == "group" and s.anonymous


def test_another_speakers_later_clause_is_not_part_of_the_first_content():
    t = ("The transit survey was published on Monday.\n\n"
         "About four out of 10 voters said prices would keep rising, while nine in 10 said they expected "
         "the tram line to close.")
    rec = ex(t)
    assert quote(rec, "keep rising").text == "prices would keep rising"
    q = quote(rec, "tram line to close")
    assert q.text == "they expected the tram line to close"
    assert speaker(rec, "tram line to close").mention == "nine in 10"


def test_relative_clause_on_an_appositive_belongs_to_the_named_person():
    t = ("The plan was attacked by Marta Lindqvist, the leader of the opposition in the northern province, "
         "who suggested that the minister should resign.")
    rec = ex(t)
    s = speaker(rec, "the minister should resign")
    assert s.name == "Marta Lindqvist" and not s.anonymous
    assert "who" in [m.text for m in s.mentions]
    assert not any(x.anonymous for x in rec.sources)


def test_pronoun_subject_before_a_continued_quotation_is_a_mention_of_its_speaker():
    t = ("Wren Alder wrote three books on schooling. She said that \"homework is a tax on childhood.\" "
         "She called the exam system \"a machine that was built to sort children, not to teach them.\"")
    rec = ex(t)
    s = speaker(rec, "a machine that was built")
    assert s.name == "Wren Alder"
    second_she = t.index("She called")
    assert any(m.start == second_she for m in s.mentions)


def test_a_surname_the_tagger_takes_for_a_common_noun_still_names_the_speaker():
    t = ("Senator Ada Kessler said she would not comment. Brandt Voll earlier Tuesday backed away from a "
         "suggestion that he might cover the legal costs of a supporter. The supporter was later charged "
         "with assault. Voll at the time said he’d asked his “people” to “look into” paying the fees.")
    rec = ex(t)
    q = quote(rec, "asked his")
    assert q.cue.text == "said" and rec.source(q.source).name == "Brandt Voll"


def test_an_organizations_initials_read_as_a_verb_still_speak():
    rec = ex("In its weekly newsletter, IS said its fighters had killed 12 soldiers near the lake on Friday.")
    q = quote(rec, "its fighters had killed")
    assert q.source != "REPORTER" and speaker(rec, "its fighters").name == "IS"
    rec2 = ex("It is said that the town fell.")
    assert rec2.quotes == []
