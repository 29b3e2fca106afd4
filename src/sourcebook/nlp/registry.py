"""Our spaCy components: how they are registered, what their versions are, how their failures are handled.

**Registration.**  A component is a factory ``(nlp, name) -> callable(doc) -> doc`` registered with
:func:`component`, which registers it with spaCy (``Language.factory``), wraps each instance in the
error guard below and declares what determines its output (:func:`declare_inputs`).  With
``in_pipeline=True`` it is also added, last, to the pipeline ``nlp.pipeline.get_nlp`` builds (for
components that are not in its fixed lists, e.g. a plug-in or a test's).

**Versions.**  A component's name carries a human-readable version (``sourcebook_attribution_v2``);
the version stored in ``Record.extractors`` (and with every item) adds a hash of everything that
determines the output, e.g. ``v1+5c0e2a9b41d7``:

* the source of the component's modules and of every ``sourcebook`` module they import (followed
  through the imports, so a change in ``record.py`` or ``lexicon`` counts too);
* the lexicon files it reads: those its modules name literally (``lexicon.words("people_nouns")``,
  found in the source) and those declared, packaged *and* the user's overrides found on
  ``$SOURCEBOOK_LEXICON_PATH`` (their content, in search order);
* shipped data or weights files it loads (declared, relative to the ``sourcebook`` package, e.g.
  ``nlp/models/attribution.npz``), and the versions of third-party packages whose data it reads;
* the spaCy model's name and version.

So ``ingest --reextract`` and the "outdated" count fire whenever code, word lists, data or the model
change; no bump can be forgotten.  Hashes are computed once per process and model (and again after
``lexicon.clear_cache()``, which follows a change of ``$SOURCEBOOK_LEXICON_PATH``).

**Failures: one policy.**  A component that raises on a document does not lose the document: the
guard catches the error, resets the component's outputs to empty, and records ``"NAME failed:
Error: message"`` in ``Record.warnings`` (see :func:`failed_components`); the ingest summary and the
``extraction_runs`` table count them per component.  In strict mode (``SOURCEBOOK_STRICT=1``; the
test suite sets it) the error is raised instead, so that tests fail.  An optional component that
cannot be imported is reported when the pipeline is built (a logged warning, an error in strict
mode) and in every record's warnings.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
import inspect
import logging
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path
from typing import Any, Callable, Iterable

from spacy.language import Language
from spacy.tokens import Doc

STRICT_ENV = "SOURCEBOOK_STRICT"
WARNINGS_KEY = "sb_warnings"  # doc.user_data: the warnings that become Record.warnings
HASH_CHARS = 12
log = logging.getLogger("sourcebook.nlp")
_PACKAGE = "sourcebook"
_LEXICON_CALL = re.compile(r"""lexicon\.(words|phrases|table)\(\s*["']([\w-]+)["']""")
#: accessors of one lexicon file each (``lexicon.demonyms()`` reads demonyms.tsv)
_LEXICON_ACCESSORS = {"demonyms": "demonyms.tsv"}
_ACCESSOR_CALL = re.compile(r"lexicon\.(" + "|".join(_LEXICON_ACCESSORS) + r")\(")
_FAILED = re.compile(r"^(sourcebook_\w+) (?:failed|unavailable): ")


def strict() -> bool:
    """Whether component failures are raised (``$SOURCEBOOK_STRICT`` is 1/true/yes)."""
    return os.environ.get(STRICT_ENV, "").strip().lower() in ("1", "true", "yes", "on")


# --------------------------------------------------------------------------- declarations


@dataclass(frozen=True)
class Inputs:
    """What determines a component's output besides the text (see the module doc)."""

    modules: tuple[str, ...] = ()
    lexicons: tuple[str, ...] = ()  # file names in sourcebook/lexicon: "place_aliases.tsv"
    files: tuple[str, ...] = ()  # shipped files, relative to the sourcebook package
    packages: tuple[str, ...] = ()  # distributions whose data it reads
    outputs: tuple[str, ...] = ()  # Doc extensions it writes (reset to [] when it fails)


_INPUTS: dict[str, Inputs] = {}
_PLUGINS: list[str] = []


def declare_inputs(name: str, *, modules: Iterable[str] = (), lexicons: Iterable[str] = (),
                   files: Iterable[str] = (), packages: Iterable[str] = (), outputs: Iterable[str] = ()) -> None:
    """Declare (or extend) what determines the output of component ``name``."""
    old = _INPUTS.get(name, Inputs())
    _INPUTS[name] = Inputs(*(tuple(dict.fromkeys(getattr(old, f) + tuple(new))) for f, new in (
        ("modules", modules), ("lexicons", lexicons), ("files", files), ("packages", packages),
        ("outputs", outputs))))
    version_of.cache_clear()


def inputs(name: str) -> Inputs:
    return _INPUTS.get(name, Inputs())


def component(name: str, *, modules: Iterable[str] = (), lexicons: Iterable[str] = (), files: Iterable[str] = (),
              packages: Iterable[str] = (), outputs: Iterable[str] = (), in_pipeline: bool = False,
              default_config: dict[str, Any] | None = None):
    """Decorator for a component factory ``(nlp, name, **config) -> callable``: registered with spaCy
    under ``name`` (with ``default_config`` for the factory's keyword arguments), every instance
    guarded (:class:`Guarded`), its inputs declared (its own module is always one).  ``in_pipeline``:
    also added, last, to the pipeline ``get_nlp`` builds."""

    def register(factory: Callable[..., Callable[[Doc], Doc]]):
        declare_inputs(name, modules=(factory.__module__, *modules), lexicons=lexicons, files=files,
                       packages=packages, outputs=outputs)

        def make(nlp: Language, name: str, **config: Any) -> Guarded:
            return Guarded(name, factory(nlp, name, **config), tuple(inputs(name).outputs))

        make.__signature__ = inspect.signature(factory)  # type: ignore[attr-defined]  # spaCy reads the config from it
        if name not in Language.factories:
            Language.factory(name, default_config=default_config or {}, func=make)
        if in_pipeline and name not in _PLUGINS:
            _PLUGINS.append(name)
        return factory

    return register


def plugins() -> list[str]:
    """Components registered with ``in_pipeline=True``, in registration order."""
    return list(_PLUGINS)


def unregister(name: str) -> None:
    """Take ``name`` out of the pipeline ``get_nlp`` builds (spaCy keeps the factory)."""
    if name in _PLUGINS:
        _PLUGINS.remove(name)


# --------------------------------------------------------------------------- the error policy


class Guarded:
    """A component instance under the error policy (see the module doc)."""

    def __init__(self, name: str, inner: Callable[[Doc], Doc], outputs: tuple[str, ...] = ()):
        self.name, self.inner, self.outputs = name, inner, outputs

    def __call__(self, doc: Doc) -> Doc:
        try:
            return self.inner(doc)
        except Exception as err:  # the policy: caught per document, recorded, counted
            if strict():
                raise
            for ext in self.outputs:
                setattr(doc._, ext, [])
            warn(doc, f"{self.name} failed: {type(err).__name__}: {' '.join(str(err).split())[:300]}")
            return doc

    def pipe(self, docs: Iterable[Doc], **_kwargs: Any) -> Iterable[Doc]:
        """``nlp.pipe`` calls this when it exists: every document still goes through the guard."""
        for doc in docs:
            yield self(doc)

    def __getattr__(self, attr: str) -> Any:  # the wrapped component's own attributes
        if attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)


def warn(doc: Doc, message: str) -> None:
    doc.user_data.setdefault(WARNINGS_KEY, []).append(message)


def failed_components(warnings: Iterable[str]) -> list[str]:
    """The components a record's warnings say failed (or were unavailable), in order."""
    return [m.group(1) for w in warnings if (m := _FAILED.match(w))]


def unavailable(name: str, err: BaseException) -> str:
    """The warning for an optional component that could not be imported."""
    return f"{name} unavailable: {type(err).__name__}: {' '.join(str(err).split())[:300]}"


# --------------------------------------------------------------------------- versions


def _module_file(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    return Path(spec.origin) if spec and spec.origin and spec.origin.endswith(".py") else None


def _imports(module: str, source: str) -> set[str]:
    """The ``sourcebook`` modules ``module`` imports (relative or absolute)."""
    found: set[str] = set()
    path = _module_file(module)
    is_package = module.endswith("__init__") or (path is not None and path.name == "__init__.py")
    package = module if is_package else module.rsplit(".", 1)[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == _PACKAGE)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.split(".")[0] != _PACKAGE:
                continue
            for a in node.names:  # "from . import x": x may be a module or a name in the package
                found.add(f"{base}.{a.name}" if _module_file(f"{base}.{a.name}") else base)
    return found


@cache
def module_closure(modules: tuple[str, ...]) -> tuple[tuple[str, Path], ...]:
    """``modules`` and every ``sourcebook`` module they import, with their files, sorted."""
    seen: dict[str, Path] = {}
    todo = list(modules)
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        path = _module_file(mod)
        if path is None:
            continue
        seen[mod] = path
        todo.extend(_imports(mod, path.read_text(encoding="utf-8")))
    return tuple(sorted(seen.items()))


def lexicon_files(name: str) -> tuple[str, ...]:
    """The lexicon files component ``name`` reads: named literally in its modules, or declared."""
    found = set(inputs(name).lexicons)
    for _mod, path in module_closure(inputs(name).modules):
        source = path.read_text(encoding="utf-8")
        for kind, stem in _LEXICON_CALL.findall(source):
            found.add(f"{stem}.tsv" if kind == "table" else f"{stem}.txt")
        found.update(_LEXICON_ACCESSORS[name] for name in _ACCESSOR_CALL.findall(source))
    return tuple(sorted(found))


def _lexicon_bytes(filename: str) -> Iterable[bytes]:
    from .. import lexicon

    yield filename.encode()
    packaged = resources.files(lexicon.__name__).joinpath(filename)
    yield packaged.read_bytes() if packaged.is_file() else b"(missing)"
    for d in lexicon.user_dirs():
        extra = d / filename
        if extra.is_file():
            yield f"override {extra}".encode()
            yield extra.read_bytes()


def _package_version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "-"


@cache
def version_of(name: str, model: str, lexicon_path: str) -> str:
    """``v1+HASH``: the name's version and a hash of what determines the output (module doc).
    ``lexicon_path`` ($SOURCEBOOK_LEXICON_PATH) is part of the cache key only."""
    spec = inputs(name)
    h = hashlib.sha256(f"model={model}\n".encode())
    for mod, path in module_closure(spec.modules):
        h.update(f"module {mod}\n".encode())
        h.update(path.read_bytes())
    for filename in lexicon_files(name):
        for part in _lexicon_bytes(filename):
            h.update(part)
    root = resources.files(_PACKAGE)
    for rel in spec.files:
        f = root.joinpath(rel)
        h.update(f"file {rel}\n".encode())
        h.update(f.read_bytes() if f.is_file() else b"(missing)")
    for dist in spec.packages:
        h.update(f"package {dist}={_package_version(dist)}\n".encode())
    return f"{name.rsplit('_', 1)[-1]}+{h.hexdigest()[:HASH_CHARS]}"


def version(name: str, model: str) -> str:
    """The version of component ``name`` with spaCy model ``model`` (cached per process)."""
    return version_of(name, model, os.environ.get("SOURCEBOOK_LEXICON_PATH", ""))
