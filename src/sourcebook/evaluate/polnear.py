"""PolNeAR (Newell, Margolin & Ruths, LREC 2018): attribution relations in BRAT standoff.

A folder has ``text/<stem>.txt``, ``attributions/<stem>_<annotator>.ann`` and ``metadata.tsv``.
In an ``.ann`` file, ``T`` lines are text-bound annotations::

    T1<TAB>Source 89 106<TAB>The New York Post
    T9<TAB>Content 315 448;463 553<TAB>fragment one fragment two     (discontinuous: ';' between fragments)

and ``E`` lines tie them into one attribution relation::

    E1<TAB>Attribution:T4 Content:T3 Cue:T2 Source:T1

(``Attribution-no-source`` instead of ``Attribution`` when no source is annotated; a few relations
have a ``Content2`` part, taken as more fragments of the content).  Offsets are character offsets into
the UTF-8 text; every span is checked against the text and mismatches are reported, not raised.
Where an article has several annotators' files, the first in sorted order is used.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from .gold import read_text

SPEECH_CUES_FILE = Path(__file__).with_name("speech_cues.txt")

Fragments = list[tuple[int, int]]


@dataclass(slots=True)
class TextBound:
    """A ``T`` line: label, fragments (start, end) and the text the file gives for it."""

    id: str
    label: str
    fragments: Fragments
    text: str

    @property
    def start(self) -> int:
        return min(s for s, _ in self.fragments)

    @property
    def end(self) -> int:
        return max(e for _, e in self.fragments)

    @property
    def length(self) -> int:
        return sum(e - s for s, e in self.fragments)


@dataclass(slots=True)
class Relation:
    """An ``E`` line: one attribution with its content, cue and source (each may be missing)."""

    id: str
    content: Fragments
    content_text: str
    cue: TextBound | None = None
    source: TextBound | None = None
    speech: bool = False  # the cue is a speech or writing verb (see speech_cues.txt)


@dataclass(slots=True)
class AnnFile:
    """One parsed ``.ann`` file."""

    path: str
    textbounds: dict[str, TextBound] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)


@dataclass(slots=True)
class PolnearArticle:
    """One article with its chosen annotation file."""

    stem: str
    text_path: str
    ann_path: str
    text: str
    ann: AnnFile
    published: str | None = None
    title: str | None = None


_T_RE = re.compile(r"^(T\d+)\t(\S+) ([0-9 ;]+)\t?(.*)$")


def parse_fragments(spec: str) -> Fragments:
    """``"10 20;25 40"`` -> ``[(10, 20), (25, 40)]``."""
    out = []
    for part in spec.strip().split(";"):
        a, b = part.split()
        out.append((int(a), int(b)))
    return out


def parse_ann(content: str, path: str = "<string>") -> AnnFile:
    """Parse BRAT standoff text (T and E lines; other lines are ignored)."""
    ann = AnnFile(path=path)
    events: list[tuple[str, list[tuple[str, str]]]] = []
    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("T"):
            m = _T_RE.match(line)
            if not m:
                ann.problems.append({"line": lineno, "problem": "unreadable T line", "text": line[:80]})
                continue
            try:
                frags = parse_fragments(m.group(3))
            except ValueError:
                ann.problems.append({"line": lineno, "problem": "bad offsets", "text": line[:80]})
                continue
            ann.textbounds[m.group(1)] = TextBound(m.group(1), m.group(2), frags, m.group(4))
        elif line.startswith("E"):
            eid, _, rest = line.partition("\t")
            args = []
            for tok in rest.split():
                role, _, ref = tok.partition(":")
                if ref:
                    args.append((role, ref))
            events.append((eid, args))
    for eid, args in events:
        parts: Fragments = []
        texts: list[str] = []
        cue = source = None
        for role, ref in args:
            tb = ann.textbounds.get(ref)
            if tb is None:
                ann.problems.append({"relation": eid, "problem": f"{role} refers to unknown {ref}"})
                continue
            if role.startswith("Content"):
                parts.extend(tb.fragments)
                texts.append(tb.text)
            elif role == "Cue":
                cue = tb
            elif role == "Source":
                source = tb
        ann.relations.append(Relation(
            id=eid,
            content=sorted(parts),
            content_text=" ".join(texts),
            cue=cue,
            source=source,
            speech=bool(cue and is_speech_cue(cue.text)),
        ))
    return ann


def check_offsets(ann: AnnFile, text: str) -> list[dict]:
    """Every T span checked against the text: ``text[s:e]`` of the fragments, joined by a space,
    must equal the annotation's text.  Returns the mismatches."""
    bad = []
    for tb in ann.textbounds.values():
        if any(s < 0 or e > len(text) or s > e for s, e in tb.fragments):
            bad.append({"id": tb.id, "problem": "offsets outside the text", "text": tb.text[:80]})
            continue
        got = " ".join(text[s:e] for s, e in tb.fragments)
        if got != tb.text and " ".join(got.split()) != " ".join(tb.text.split()):
            bad.append({"id": tb.id, "problem": "offsets do not give the annotated text",
                        "expected": tb.text[:80], "found": got[:80]})
    return bad


# --- speech / writing cues ------------------------------------------------------------------

@lru_cache(maxsize=1)
def speech_lexicon() -> frozenset[str]:
    """Lemmas (and a few multi-word cues) of speech and writing verbs, from speech_cues.txt."""
    words = set()
    for line in SPEECH_CUES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(" ".join(line.split()))
    return frozenset(words)


_IRREGULAR = {
    "said": "say", "says": "say", "told": "tell", "wrote": "write", "written": "write", "spoke": "speak",
    "spoken": "speak", "spake": "speak", "swore": "swear", "sworn": "swear", "read": "read", "taught": "teach",
    "sang": "sing", "sung": "sing", "cried": "cry", "replied": "reply", "denied": "deny", "testified": "testify",
    "implied": "imply", "clarified": "clarify", "signaled": "signal", "signalled": "signal", "wrote.": "write",
    "bade": "bid", "forbade": "forbid", "foretold": "foretell", "retold": "retell", "rewrote": "rewrite",
    "underwrote": "underwrite", "quipped": "quip", "tweeted": "tweet", "emailed": "email", "e-mailed": "e-mail",
}


def lemma_candidates(word: str) -> list[str]:
    """Possible lemmas of an English verb form by suffix rules (no model needed):
    ``'stated' -> ['stated', 'state', 'stat']``, ``'says' -> ['say', 'says']``."""
    w = word.lower().strip(".,;:!?\"'“”‘’()[]")
    if not w:
        return []
    if w in _IRREGULAR:
        return [_IRREGULAR[w]]
    cands = [w]
    if w.endswith("ies") and len(w) > 4:
        cands.append(w[:-3] + "y")
    if w.endswith("es") and len(w) > 3:
        cands.append(w[:-2])
    if w.endswith("s") and not w.endswith("ss") and len(w) > 2:
        cands.append(w[:-1])
    for suf in ("ed", "ing"):
        if w.endswith(suf) and len(w) > len(suf) + 2:
            stem = w[: -len(suf)]
            cands += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:  # planned -> plan, admitted -> admit
                cands.append(stem[:-1])
            if suf == "ed" and stem.endswith("i"):  # implied -> imply
                cands.append(stem[:-1] + "y")
    if w.endswith("d") and len(w) > 3:  # argued -> argue
        cands.append(w[:-1])
    return cands


def is_speech_cue(cue: str, lexicon: frozenset[str] | None = None) -> bool:
    """True when the cue (``"said"``, ``"told reporters"``, ``"has not said"``, ``"according to"``)
    has a word whose lemma is a speech or writing verb of the lexicon, or is a multi-word entry."""
    lex = speech_lexicon() if lexicon is None else lexicon
    words = re.findall(r"[A-Za-z][A-Za-z'’\-]*", cue)
    cands = [set(lemma_candidates(w)) for w in words]
    if any(c & lex for c in cands):
        return True
    for entry in lex:
        parts = entry.split()
        if len(parts) < 2:
            continue
        for i in range(len(cands) - len(parts) + 1):
            if all(part in cands[i + k] for k, part in enumerate(parts)):
                return True
    return False


# --- folders ---------------------------------------------------------------------------------

def is_polnear_folder(path: Path) -> bool:
    return path.is_dir() and (path / "attributions").is_dir() and (path / "text").is_dir()


def read_metadata(folder: Path) -> dict[str, dict[str, str]]:
    meta_path = folder / "metadata.tsv"
    if not meta_path.is_file():
        return {}
    with open(meta_path, encoding="utf-8", newline="") as fh:
        return {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t") if row.get("filename")}


def stem_of(ann_path: Path) -> str:
    """``nyt_2016-09-08_obama-on-climate_5fec.ann`` -> ``nyt_2016-09-08_obama-on-climate``."""
    return ann_path.stem.rsplit("_", 1)[0]


def _text_for(ann_path: Path, stem: str) -> Path:
    for cand in (ann_path.parent.parent / "text" / f"{stem}.txt", ann_path.parent / f"{stem}.txt",
                 ann_path.with_suffix(".txt")):
        if cand.is_file():
            return cand
    raise InputError(f"{ann_path}: cannot find the article text {stem}.txt (looked in ../text/ and next to it)",
                     reason="missing_article")


def load_ann(ann_path: Path, metadata: dict[str, dict[str, str]] | None = None) -> PolnearArticle:
    """One ``.ann`` file with its text; offset mismatches go to ``ann.problems``."""
    stem = stem_of(ann_path)
    text_path = _text_for(ann_path, stem)
    text = read_text(text_path)
    ann = parse_ann(read_text(ann_path), str(ann_path))
    ann.problems.extend(check_offsets(ann, text))
    if metadata is None:
        metadata = read_metadata(ann_path.parent.parent)
    meta = metadata.get(stem, {})
    published = meta.get("publication_date") or None
    return PolnearArticle(stem=stem, text_path=str(text_path), ann_path=str(ann_path), text=text, ann=ann,
                          published=published, title=meta.get("title") or None)


def choose_ann_files(folder: Path) -> list[Path]:
    """One annotation file per article: the first of ``<stem>_*.ann`` in sorted order."""
    chosen: dict[str, Path] = {}
    for p in sorted((folder / "attributions").glob("*.ann")):
        chosen.setdefault(stem_of(p), p)
    return [chosen[k] for k in sorted(chosen)]


def load_folder(folder: Path) -> list[PolnearArticle]:
    metadata = read_metadata(folder)
    return [load_ann(p, metadata) for p in choose_ann_files(folder)]
