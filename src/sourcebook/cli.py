"""The command line: a thin shell over the library.  Every failure is one line and a non-zero exit."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.console import Console
from rich.markup import escape

from .errors import SourcebookError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sourcebook: who is quoted, who is anonymous, and which figures about people they assert.",
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(message: str, code: int = 1) -> "typer.Exit":
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)


@app.command()
def extract(
    path: str = typer.Argument(..., help="A .txt, .html or .jsonl file, a folder, or - for standard input."),
    published: Optional[str] = typer.Option(None, help="Publication date YYYY-MM-DD (anchors relative dates)."),
    fmt: str = typer.Option("json", "--format", "-f", help="json (one record a line for several) or table."),
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline, e.g. en_core_web_trf."),
    max_mb: float = typer.Option(10.0, help="Refuse files larger than this many megabytes."),
) -> None:
    """Extract sources, quotes and figures from articles."""
    from . import api
    from .read import Skip, iter_documents
    from .view import print_record_table

    if fmt not in ("json", "table"):
        raise fail(f"--format must be json or table, not {fmt!r}", 2)
    if not (math.isfinite(max_mb) and max_mb > 0):
        raise fail("--max-mb must be a positive number of megabytes", 2)
    # one article file in, one indented record out; otherwise one record a line (JSON Lines)
    single = path == "-" or (os.path.isfile(path) and not path.lower().endswith(
        (".jsonl", ".ndjson", ".json", ".gz")))
    skipped: list[Skip] = []
    n_ok = 0
    docs = []

    def report(s: Skip) -> None:
        skipped.append(s)
        if not single:
            err.print(f"[yellow]skipped[/] {escape(s.origin)}: {escape(s.message)}", highlight=False)

    for item in iter_documents(path, max_bytes=int(max_mb * 1024 * 1024)):
        if isinstance(item, Skip):
            report(item)
        else:
            if published and not item.published:
                item.published = published
            docs.append(item)
    records = api.extract_many(docs, model=model, on_error="skip")
    for rec in records:
        if isinstance(rec, Skip):
            report(rec)
            continue
        n_ok += 1
        if fmt == "json":
            if single and len(docs) == 1:
                sys.stdout.write(json.dumps(rec.to_dict(), ensure_ascii=False, indent=1) + "\n")
            else:
                sys.stdout.write(json.dumps(rec.to_dict(), ensure_ascii=False) + "\n")
        else:
            print_record_table(rec, out)
    if skipped:
        if n_ok == 0 and len(skipped) == 1:
            raise fail(f"{skipped[0].origin}: {skipped[0].message}")
        raise fail(f"{len(skipped)} document(s) skipped, {n_ok} extracted")
    if n_ok == 0:
        raise fail(f"no documents found in {path}")


@app.command(name="eval")
def eval_cmd(
    gold: List[str] = typer.Argument(..., help="Gold files or folders: sourcebook-gold/1 JSON, or PolNeAR .ann/.txt folders."),
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON."),
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline."),
    details: bool = typer.Option(False, "--details", help="Also list misses and false alarms per article."),
) -> None:
    """Score extraction against gold annotations (see shared/gold/GUIDELINES.md)."""
    from .evaluate import evaluate_paths, render

    results = evaluate_paths(gold, model=model)
    if as_json:
        sys.stdout.write(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    else:
        render(results, out, details=details)


@app.command()
def demo(
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline."),
) -> None:
    """Run extraction over the bundled (invented) sample corpus and summarise what was found."""
    from .demo import run_demo

    run_demo(out, model=model)


def main() -> None:
    try:
        app()
    except SourcebookError as e:
        err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)


if __name__ == "__main__":
    main()
