"""The smaller things a new user meets first: --help, demo without a terminal, the sources page's
groups of anonymous sources, the licence."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
COMMANDS = ["extract", "eval", "demo", "serve", "ingest", "sources", "quotes", "counts", "events", "places", "dates",
            "search", "export", "claims", "series", "flows", "report"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help_shows_words_not_python_types(cli, command):
    res = cli(command, "--help")
    assert res.returncode == 0, res.stderr
    assert not re.search(r"<(?:str|bool|int|float|list\[str\])>", res.stdout), res.stdout


def test_help_names_the_choices_and_the_inputs(cli):
    export = cli("export", "--help").stdout
    assert "csv|jsonl|parquet|acled|datasette" in export
    extract = cli("extract", "--help").stdout
    for word in (".json ", ".jsonl", ".parquet", "glob", "folder", "standard input", "YYYY-MM-DD", "json|table"):
        assert word in extract, word
    ingest = cli("ingest", "--help").stdout
    assert all(word in ingest for word in ("--published", "--outlet", "--force-metadata", "metadata.csv"))


def test_demo_without_a_terminal_says_how_to_open_the_ui(cli, tmp_path):
    res = cli("demo", "--db", tmp_path / "d.db", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert f"sourcebook serve --db {tmp_path / 'd.db'}" in res.stdout
    assert "http://127.0.0.1:8000/" in res.stdout


@pytest.mark.parametrize("mention, group", [
    ("a senior security official who was not authorized to speak", "senior security official"),
    ("two senior officials", "senior official"),
    ("witnesses who saw the attack", "witness"),
    ("a statement from the ministry", "statement from the ministry"),
    ("The Syrian Observatory for Human Rights, a monitoring group", "Syrian Observatory for Human Rights"),
    ("sources close to the talks", "sources close to the talks"),
    ("others", "others"),
    ("Prosecutors", "Prosecutor"),
])
def test_anonymous_sources_are_grouped_by_their_description(mention, group):
    from sourcebook.web.queries import describe

    assert describe(mention) == group


def test_the_licence_is_there():
    text = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in text and "Version 2.0, January 2004" in text and "END OF TERMS AND CONDITIONS" in text
    assert 'license = { text = "Apache-2.0" }' in (REPO / "pyproject.toml").read_text(encoding="utf-8")
