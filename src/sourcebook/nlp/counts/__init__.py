"""Figures about people: every count of a group of people, normalized to a range.

Component ``sourcebook_counts_v3`` runs after attribution on the parsed Doc and writes a list of
``record.Count`` to ``doc._.sb_counts``.  The parts, in the order they run:

- ``quantities``: the number reader ("hundreds" = 200-999, "at least 112" = 112-open;
  ``normalize("at least 112")`` on plain strings), from ``lexicon/quantity_words.tsv``;
- ``candidates`` (with ``nouns``): the figures whose counted noun names people, and figures without a
  noun that the parse makes people ("Tens of thousands have fled", death tolls, "N more");
- ``status`` (word-level rules, ``lexicon/count_status.tsv``) and ``count_status`` (their order for
  one figure), with ``tallies`` for single people in a tally and members sharing the status;
- ``origin``: the counted phrase and the nationality (``lexicon/demonyms.tsv`` and pycountry);
- ``where``: place and time of the clause (the time resolved by ``dates.resolve``);
- ``sources``: the quote whose span contains the figure, else ``REPORTER``;
- ``component``: the spaCy component that runs them; ``context.DocContext`` is what they share.
"""

from __future__ import annotations

from spacy.language import Language

from .. import registry
from .component import NAME, CountFinder
from .quantities import Quantity, normalize, scan

__all__ = ["NAME", "CountFinder", "Quantity", "normalize", "scan"]


@registry.component(NAME, outputs=("sb_counts",), packages=("dateparser",))
def make_counts(nlp: Language, name: str) -> CountFinder:
    return CountFinder(nlp)
