"""The demo command, the bundled (invented) sample corpus and the table view."""

from __future__ import annotations

import io
import json
from importlib import resources

from rich.console import Console

from sourcebook.demo import INVENTED_MARKER, run_demo, sample_articles, summarize
from sourcebook.record import REPORTER, Count, Quote, Record, Source, Span
from sourcebook.view import print_record_table, range_label, shorten

SAMPLE = resources.files("sourcebook").joinpath("data", "sample")


def render(record: Record, width: int = 200) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None, force_terminal=False)
    print_record_table(record, console)
    return buf.getvalue()


# --- the demo ---------------------------------------------------------------------------------


TOTALS_WORDS = ("Totals", "articles", "sources", "anonymous share", "quotes", "direct", "indirect",
                "figures about people")


def test_sourcebook_demo_runs_and_prints_totals(cli, tmp_path, monkeypatch):
    # `sourcebook demo` writes its database (./sourcebook.db or $SOURCEBOOK_DB): keep it in tmp_path;
    # --no-serve: do not start the web UI afterwards.  (tests/test_web.py runs the demo as a real
    # process, with the server.)
    monkeypatch.delenv("SOURCEBOOK_DB", raising=False)
    proc = cli("demo", "--no-serve", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "INVENTED" in out
    for word in TOTALS_WORDS:
        assert word in out, word
    assert "First article in detail" in out
    assert "Fighters cross into Tarsenia" in out


def test_run_demo_extracts_the_whole_sample():
    buf = io.StringIO()
    totals = run_demo(Console(file=buf, width=160, color_system=None))
    out = buf.getvalue()
    assert totals["articles"] == len(sample_articles()) == 6
    assert totals["quotes"] == sum(totals["quotes_by_type"].values())
    assert 0 <= totals["anonymous_share"] <= 100
    for word in TOTALS_WORDS:
        assert word in out, word
    assert all(f"{i}. " in out for i in range(1, 7))


def test_summarize_counts_what_it_is_given():
    t = "x" * 50
    s = [Source("s1", "A", "A", "A", False), Source("s2", None, "an official", "official", True)]
    q = [Quote("q1", "s1", 0, 3, "xxx", "direct"), Quote("q2", "s2", 4, 8, "xxxx", "indirect"),
         Quote("q3", "s2", 9, 10, "x", "indirect")]
    c = [Count("c1", 0, 2, "xx", "2", 2, 2)]
    totals = summarize([Record(t, sources=s, quotes=q, counts=c), Record("y")])
    assert totals["articles"] == 2 and totals["sources"] == 2 and totals["anonymous"] == 1
    assert totals["anonymous_share"] == 50.0
    assert totals["quotes_by_type"] == {"direct": 1, "indirect": 2, "mixed": 0}
    assert totals["figures"] == 1


# --- the sample corpus --------------------------------------------------------------------------


def test_every_sample_file_says_it_is_invented():
    names = sorted(p.name for p in SAMPLE.iterdir() if p.is_file())
    txts = [n for n in names if n.endswith(".txt")]
    assert len(txts) == 6
    assert "README.md" in names and "sample.jsonl" in names
    readme = SAMPLE.joinpath("README.md").read_text(encoding="utf-8")
    assert "invented" in readme.lower() and "fictional" in readme.lower()
    for name in txts:
        lines = SAMPLE.joinpath(name).read_text(encoding="utf-8").splitlines()
        assert lines[1] == INVENTED_MARKER, name
        assert 250 <= len(" ".join(lines[2:]).split()) <= 500, name
    for art in sample_articles():
        assert art["text"].startswith(INVENTED_MARKER)


def test_sample_jsonl_matches_the_txt_files():
    arts = sample_articles()
    txts = sorted(p.name for p in SAMPLE.iterdir() if p.name.endswith(".txt"))
    assert len(arts) == len(txts)
    for art, name in zip(arts, txts):
        assert set(art) == {"title", "published", "url", "text"}
        assert art["url"].startswith("https://example.org/")
        assert art["url"].endswith(name[:-4])
        assert len(art["published"]) == 10 and art["published"][4] == "-"
        raw = SAMPLE.joinpath(name).read_text(encoding="utf-8")
        assert art["title"] + "\n" + art["text"] == raw, name
    json.dumps(arts)


# --- the table view -----------------------------------------------------------------------------


def markup_record() -> Record:
    text = '"Move [bold red]x[/] now," said [i]Okafor[/i]. Officials said [red]120 fighters[/] crossed.'
    q_end = text.index(",")
    cue = text.index("said")
    name = text.index("[i]Okafor")
    off = text.index("Officials")
    src = Source("s1", "[i]Okafor[/i]", "[i]Okafor[/i]", "Okafor", False, role="[b]spokeswoman[/b]",
                 affiliation="ministry [link=x]y[/link]", mentions=[Span.of(text, name, name + 13)])
    anon = Source("s2", None, "Officials", "Officials", True,
                  anonymity_reason=Span.of(text, off, off + 9), mentions=[Span.of(text, off, off + 9)])
    quotes = [
        Quote("q1", "s1", 1, q_end, text[1:q_end], "direct", cue=Span.of(text, cue, cue + 4)),
        Quote("q2", REPORTER, 0, 3, "[blink]the reporter[/blink] says so", "indirect"),
    ]
    start = text.index("[red]120")
    end = text.index(" crossed")
    counts = [Count("c1", start, end, text[start:end], "120", 120, None, counted="fighters",
                    status="crossed", source="s2")]
    return Record(text, title="[u]Title[/u]", sources=[src, anon], quotes=quotes, counts=counts)


def test_table_view_prints_markup_literally():
    out = render(markup_record())
    assert "Move [bold red]x[/] now" in out
    assert "[i]Okafor[/i]" in out
    assert "[b]spokeswoman[/b]" in out
    assert "ministry [link=x]y[/link]" in out
    assert "[blink]the reporter[/blink] says so" in out
    assert "[red]120 fighters[/]" in out
    assert "[u]Title[/u]" in out


def test_table_view_shows_badges_quotes_and_counts():
    out = render(markup_record())
    assert "NAMED" in out and "ANONYMOUS" in out and "REPORTER" in out
    assert "direct" in out and "(said)" in out
    assert "Officials" in out  # an anonymous source is shown by its description
    assert "≥120" in out and "fighters" in out and "crossed" in out
    assert "1 mention" in out


def test_view_helpers():
    assert shorten("a  b\nc") == "a b c"
    long = "word " * 100
    short = shorten(long)
    assert len(short) <= 160 and short.endswith("…")
    assert range_label(Count("c", 0, 1, "x", "x", None, 50)) == "≤50"  # as every face writes it
    assert range_label(Count("c", 0, 1, "x", "x", 5, 5)) == "5"
    assert range_label(Count("c", 0, 1, "x", "x", 1000, 2000)) == "1,000–2,000"
