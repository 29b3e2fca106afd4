"""Attribution (placeholder until the real component lands)."""
from spacy.language import Language

NAME = "sourcebook_attribution_v1"


@Language.factory(NAME)
def make_attribution(nlp, name):
    def component(doc):
        doc._.sb_sources = []
        doc._.sb_quotes = []
        return doc
    return component
