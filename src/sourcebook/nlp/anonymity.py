"""Anonymity (placeholder until the real component lands)."""
from spacy.language import Language

NAME = "sourcebook_anonymity_v1"


@Language.factory(NAME)
def make_anonymity(nlp, name):
    return lambda doc: doc
