"""Attribution: who said what.

Component ``sourcebook_attribution_v2`` reads the quotation marks found by ``sourcebook_quotes_v1``
and the spaCy parse, and writes ``doc._.sb_quotes`` (``record.Quote``) and ``doc._.sb_sources``
(``record.Source``).  It handles:

- direct quotes with a cue after them (``"X," he said`` / ``"X," said Y, a ...``), before them
  (``Y said: "X"``, ``As Y put it, "X"``), and continuing quotes with no cue of their own;
- indirect speech from reporting clauses (a clause complement of a cue verb from
  ``lexicon/cue_verbs.tsv``), trailing reporting clauses (``X, Y told a hearing``), parenthetical
  cues (``Hundreds more, he said, were stuck``, two items), ``according to Y``, colon lead-ins,
  and mixed quotes (reported speech containing quoted words);
- speakers as full noun phrases split into name, role and affiliation, merged across later
  mentions (surname, definite description, pronoun);
- statements the article makes without attribution are not quotes.

Anonymity reasons are added by ``sourcebook_anonymity_v2`` (``anonymity.py``).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ...errors import ModelError
from .. import registry
from . import model
from .base import NAME, Config
from .learned import LearnedAttribution
from .reporter import ReporterClaims

#: rules alone, the learned scorer alone, or both (the learned scorer adds what the rules did not read)
MODES = ("combined", "rules", "learned")
#: which attributions count: our guidelines (shared/gold/GUIDELINES.md), or also the stances PolNeAR
#: annotates ("condemned the attack", "praised the deal": noun-phrase objects of any verb of saying)
SCOPES = ("guidelines", "broad")


class _Run(LearnedAttribution, ReporterClaims):
    """One pass of attribution over one Doc."""

    def run(self, weights: model.Weights | None = None, rules: bool = True, broad: bool = False) -> None:
        if rules:
            # 1. cues, in text order; each may attribute a direct quote or open an indirect one
            for sent in self.sents:
                self.sentence(sent)
            # 2. transcripts: "WALLACE: ..."; headlines: "Assad: Syria still ...", "...: monitor"
            self.speaker_labels()
            self.headline()
        # 3. direct quotes still without a speaker: continuity with the previous speaker
        if rules:
            self.continuity()
        # 4. the learned scorer: attributions in what the rules left unread
        if weights is not None:
            self.learned(weights, None, broad)
        # 5. what the article reports with no one to hold it: "reportedly", "were said to" (REPORTER)
        if rules:
            self.reporter_claims()
        # 6. the text ties a description to a name: "a ministry spokesman ... spokesman Omar Haddad"
        self.link_reused_roles()


@registry.component(NAME, outputs=("sb_sources", "sb_quotes"),
                    files=("nlp/models/attribution/weights.npz", "nlp/models/attribution/meta.json"),
                    default_config={"mode": "combined", "scope": "guidelines"})
def make_attribution(nlp: Language, name: str, mode: str, scope: str):
    return Attributor(mode, scope)


class Attributor:
    """The component: loads the word lists once, then runs one ``_Run`` per document."""

    def __init__(self, mode: str = "combined", scope: str = "guidelines") -> None:
        if mode not in MODES:
            raise ValueError(f"attribution mode must be one of {', '.join(MODES)}, not {mode!r}")
        if scope not in SCOPES:
            raise ValueError(f"attribution scope must be one of {', '.join(SCOPES)}, not {scope!r}")
        self.mode = mode
        self.scope = scope
        self.cfg = Config.load()
        self.weights: model.Weights | None = None
        if mode != "rules":
            try:
                self.weights = model.load(str(model.model_dir()))
            except model.WeightsError as err:
                raise ModelError(f"{err} (set ${model.ENV_MODEL_DIR} to a folder written by "
                                 f"'sourcebook train', or unset it for the shipped weights)",
                                 reason="weights_missing") from err

    def __call__(self, doc: Doc) -> Doc:  # a failure is handled by the guard (registry.py)
        run = _Run(self.cfg, doc)
        run.run(self.weights, rules=self.mode != "learned", broad=self.scope == "broad")
        doc._.sb_sources, doc._.sb_quotes = run.output()
        return doc
