"""The learned attribution scorer: shipped weights, candidates, modes, training (real PolNeAR files).

Sentences here are invented; the training test reads PolNeAR's train split from ../shared."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import sourcebook
from sourcebook.nlp.attribution import model
from sourcebook.nlp.attribution.base import Config
from sourcebook.nlp.attribution.candidates import admissible, candidates
from sourcebook.nlp.pipeline import get_nlp


def test_shipped_weights_load_and_say_what_made_them():
    w = model.load(str(model.PACKAGED))
    size = sum(p.stat().st_size for p in model.PACKAGED.iterdir())
    assert size < 25 * 1024 * 1024
    assert w.sparse.shape == (model.N_HASH,) and w.dense.size in (0, 192)
    assert 0.0 < w.threshold < 1.0 and len(w.digest) == 12
    assert {"say", "deny", "claim"} <= w.speech_lemmas
    meta = json.loads((model.PACKAGED / "meta.json").read_text())
    assert meta["articles"]["polnear_train"] == 840 and meta["validation"]["f1"] > 0.6


def test_records_name_the_weights():
    rec = sourcebook.extract("The ministry said on Monday that the border crossing would reopen.")
    assert rec.extractors.get("attribution_weights") == model.load(str(model.model_dir())).digest


def _doc(text: str):
    nlp = get_nlp()
    return nlp(text)


def test_a_reported_clause_scores_above_a_plain_object():
    doc = _doc("The mayor said that the water supply had been cut. The mayor repaired the old fountain.")
    cfg = Config.load()
    w = model.load(str(model.model_dir()))
    cands = [c for c in candidates(doc, doc._.sb_quote_marks or []) if admissible(doc, c, w.speech_lemmas, cfg.frames)]
    probs = w.scores(doc, cands, cfg)
    by_text = {doc[c.start:c.end].text: p for c, p in zip(cands, probs)}
    assert by_text["the water supply had been cut"] > w.threshold
    assert by_text.get("the old fountain", 0.0) < by_text["the water supply had been cut"]


def test_broad_scope_takes_stances_guidelines_scope_does_not():
    doc = _doc("The foreign minister condemned the attack on the convoy.")
    cfg = Config.load()
    w = model.load(str(model.model_dir()))
    cands = candidates(doc, [])
    objs = [c for c in cands if c.kind == "dobj"]
    assert objs, [c.kind for c in cands]
    assert all(admissible(doc, c, w.speech_lemmas, cfg.frames, broad=True) for c in objs)
    assert not any(admissible(doc, c, w.speech_lemmas, cfg.frames, broad=False) for c in objs)


def test_the_inverted_subject_is_never_content():
    doc = _doc('"We need food," said the head of the local council, who asked for more aid.')
    assert not any(doc[c.start:c.end].text.startswith("the head of the local council") for c in candidates(doc, []))


def _run(code: str, **env):
    full = dict(os.environ, **env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=full, timeout=600)


def test_modes_rules_learned_combined_differ_and_combined_contains_rules(monkeypatch):
    import sourcebook

    t = 'The envoy underscored that the talks would resume in May. "We are ready," the envoy said.'
    out, made_by = {}, {}
    for m in ("rules", "learned", "combined"):
        monkeypatch.setenv("SOURCEBOOK_ATTRIBUTION", m)  # read when the pipeline is built (one per mode)
        rec = sourcebook.extract(t)
        out[m] = [q.text for q in rec.quotes]
        made_by[m] = rec.extractors.get("attribution")
    assert made_by["learned"].startswith("learned") and made_by["combined"].startswith("combined")
    assert set(out["rules"]) <= set(out["combined"])
    assert out["learned"] and out["rules"]


def test_a_bad_weights_folder_is_one_clear_error(tmp_path):
    proc = _run("import sourcebook; sourcebook.extract('The army said 20 people died.')",
                SOURCEBOOK_MODEL_DIR=str(tmp_path))
    assert proc.returncode != 0 and "attribution weights" in proc.stderr and str(tmp_path) in proc.stderr


def test_cli_train_refuses_the_shipped_folder_and_a_missing_shared(tmp_path, cli):
    p = cli("train", "--out", str(model.PACKAGED), "--shared", str(tmp_path))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    p = cli("train", "--out", str(tmp_path / "w"), "--shared", str(tmp_path))
    assert p.returncode == 2 and "polnear-train" in p.stderr


@pytest.mark.slow
def test_training_is_reproducible(shared_dir, tmp_path):
    from sourcebook.nlp.train.attribution import train

    metas = [train(shared_dir, tmp_path / name, limit=8, n_process=1, log=lambda m: None) for name in ("a", "b")]
    a, b = (np.load(tmp_path / n / "weights.npz") for n in ("a", "b"))
    assert np.array_equal(a["sparse"], b["sparse"]) and np.array_equal(a["dense"], b["dense"])
    assert metas[0]["threshold"] == metas[1]["threshold"] and metas[0]["candidates"] > 100
    w = model.load(str(tmp_path / "a"))
    assert w.speech_lemmas and w.meta["articles"]["polnear_train"] == 8
