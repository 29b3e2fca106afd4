"""The command line: a thin shell over the library.  Every failure is one line and a non-zero exit."""

from __future__ import annotations

import math
import os
import sys
from typing import Annotated, List, Optional

import typer
from rich.markup import escape
from rich.text import Text

from .errors import SourcebookError
from .terminal import SafeConsole, json_text

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="sourcebook: who is quoted, who is anonymous, and which figures about people they assert.",
    pretty_exceptions_enable=False,
)
# Everything printed to the terminal goes through these two (control characters stripped: terminal.py)
out = SafeConsole(soft_wrap=True)
err = SafeConsole(stderr=True, soft_wrap=True)


#: Bounds of the numeric options: a value past them is refused by typer in one line (never an
#: integer the database cannot hold, 2^63 and more).
MAX_ROWS = 1_000_000_000
MAX_HITS = 1_000  # search: each hit's snippet reads its article
MAX_PROCESSES = 256
MAX_BATCH = 100_000
MAX_MB = 100_000.0


def _help_type(param, ctx=None) -> str | None:
    """What ``--help`` shows after an option: its metavar (``YYYY-MM-DD``, ``csv|jsonl|parquet``),
    else a plain word for its type; nothing for a flag.  (typer prints Python types, ``<str>``,
    ``<bool>``, and has no setting for it.)"""
    if getattr(param, "is_flag", False) or getattr(param, "is_bool_flag", False):
        return None
    if isinstance(param, typer.core.TyperArgument):
        return None  # its name (the metavar) is shown already
    if param.metavar:
        return param.metavar
    desc = getattr(param, "type_descriptor", None)
    annotation = getattr(desc, "annotation", str)
    if annotation is bool:
        return None
    return {int: "N", float: "NUMBER"}.get(annotation, "TEXT")


typer.core.TyperOption.display_type_rich = _help_type  # type: ignore[method-assign,assignment]
typer.core.TyperArgument.display_type_rich = _help_type  # type: ignore[method-assign,assignment]


DB_HELP = ("The database: a SQLite file (default ./sourcebook.db, or $SOURCEBOOK_DB) or "
           "postgresql://user:pw@host/name.")
#: Options many commands share, defined once (typer's ``Annotated`` form; the default is the parameter's).
DbOption = Annotated[Optional[str], typer.Option("--db", metavar="DB", help=DB_HELP)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LimitOption = Annotated[int, typer.Option("--limit", min=0, max=MAX_ROWS, help="At most this many rows (0: all).")]
ArticleOption = Annotated[Optional[str], typer.Option("--article", help="Only this article id.")]
ExtractedOption = Annotated[bool, typer.Option(
    "--extracted", help="The values as extracted, ignoring review corrections and rejections.")]
PublishedSinceOption = Annotated[Optional[str], typer.Option(
    "--since", metavar="YYYY-MM-DD", help="Articles published on or after this date.")]
PublishedUntilOption = Annotated[Optional[str], typer.Option(
    "--until", metavar="YYYY-MM-DD", help="Articles published on or before this date.")]
MODEL_DIR_HELP = ("A folder of attribution weights (weights.npz, meta.json), e.g. one written by "
                  "`sourcebook train --with-reviews` (default: $SOURCEBOOK_MODEL_DIR, else the shipped weights).")


def _use_model_dir(folder: Optional[str]) -> None:
    """Select the attribution weights for this run (``$SOURCEBOOK_MODEL_DIR``), checked first."""
    if folder is None:
        return
    from pathlib import Path

    from .nlp.attribution.model import ENV_MODEL_DIR, WeightsError, load

    if not (Path(folder) / "weights.npz").is_file():
        raise fail(f"--model-dir {folder}: no weights.npz there (a folder written by `sourcebook train`)", 2)
    try:
        load(str(Path(folder)))
    except WeightsError as e:
        raise fail(str(e), 2) from e
    os.environ[ENV_MODEL_DIR] = str(Path(folder).resolve())


def fail(message: str, code: int = 1) -> "typer.Exit":
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    return typer.Exit(code)


@app.command()
def extract(
    path: str = typer.Argument(..., metavar="PATH",
        help="A file (.txt .md .html .json .jsonl .jsonl.gz .parquet), a folder (read recursively), a glob pattern "
             "('news/**/*.html', quoted), or - for standard input."),
    published: Optional[str] = typer.Option(None, metavar="YYYY-MM-DD",
        help="Publication date for inputs that carry none (anchors relative dates)."),
    fmt: str = typer.Option("json", "--format", "-f", metavar="json|table",
        help="json (one record a line for several) or table."),
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline, e.g. en_core_web_trf."),
    max_mb: float = typer.Option(10.0, max=MAX_MB, help="Refuse files larger than this many megabytes."),
    model_dir: Optional[str] = typer.Option(None, "--model-dir", metavar="FOLDER", help=MODEL_DIR_HELP),
) -> None:
    """Extract sources, quotes and figures from articles."""
    from . import api
    from .read import Skip, iter_documents
    from .read.metadata import Defaults
    from .view import print_record_table

    if fmt not in ("json", "table"):
        raise fail(f"--format must be json or table, not {fmt!r}", 2)
    _use_model_dir(model_dir)
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

    for item in iter_documents(path, max_bytes=int(max_mb * 1024 * 1024), defaults=Defaults(published=published)):
        if isinstance(item, Skip):
            report(item)
        else:
            docs.append(item)
    records = api.extract_many(docs, model=model, on_error="skip")
    for rec in records:
        if isinstance(rec, Skip):
            report(rec)
            continue
        n_ok += 1
        if fmt == "json":
            if single and len(docs) == 1:
                sys.stdout.write(json_text(rec.to_dict(), indent=1) + "\n")
            else:
                sys.stdout.write(json_text(rec.to_dict()) + "\n")
        else:
            print_record_table(rec, out)
    if skipped:
        if n_ok == 0 and len(skipped) == 1:
            raise fail(f"{skipped[0].origin}: {skipped[0].message}")
        raise fail(f"{len(skipped)} document(s) skipped, {n_ok} extracted")
    if n_ok == 0:
        raise fail(f"no documents found in {path}")


@app.command()
def train(
    out_dir: str = typer.Option("sourcebook-model", "--out",
        help="Folder for the new weights (weights.npz, meta.json)."),
    shared: Optional[str] = typer.Option(None, "--shared",
        help="The shared/ folder holding eval/polnear-train (default: $SOURCEBOOK_SHARED, else ../shared beside the "
             "current folder)."),
    gold: List[str] = typer.Option([], "--gold",
        help="Also learn from these sourcebook-gold/1 files or folders (repeatable)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (the run is deterministic for a given seed and data)."),
    processes: int = typer.Option(2, "--processes", min=1, max=64, help="Parse with this many processes."),
    shipped: bool = typer.Option(False, "--shipped",
        help="Allow writing over the weights shipped in the package (maintainers rebuilding them)."),
    limit: Optional[int] = typer.Option(None, "--limit", min=10,
        help="Only the first N PolNeAR articles (a quick run)."),
    cache: Optional[str] = typer.Option(None, "--cache",
        help="Keep parses in this folder and reuse them on the next run (default: $XDG_CACHE_HOME/sourcebook/parses; "
             "'none' to keep nothing)."),
    with_reviews: Optional[str] = typer.Option(None, "--with-reviews", metavar="DB",
        help="Also learn from the articles reviewers marked reviewed in this database (exported as gold to "
             "FOLDER/reviews-gold first). " + DB_HELP),
) -> None:
    """Train the attribution scorer from PolNeAR's train split (and optional gold files, and the reviewed
    articles of a database: --with-reviews), offline, on the CPU, with a fixed seed.

    Use the new weights with SOURCEBOOK_MODEL_DIR=FOLDER or --model-dir FOLDER (extract, ingest, eval)."""
    from pathlib import Path

    from .evaluate.gold import gold_files_in
    from .nlp.attribution.model import PACKAGED
    from .nlp.train.attribution import train as run_train

    base = Path(shared or os.environ.get("SOURCEBOOK_SHARED") or Path.cwd().parent / "shared")
    if not (base / "eval" / "polnear-train" / "attributions").is_dir():
        raise fail(f"no PolNeAR train split at {base / 'eval' / 'polnear-train'} (give --shared)", 2)
    target = Path(out_dir).resolve()
    if target == PACKAGED.resolve() and not shipped:
        raise fail("--out is the folder of the shipped weights: write elsewhere, or pass --shipped to rebuild them", 2)
    files: list[Path] = []
    for g in gold:
        p = Path(g)
        if not p.exists():
            raise fail(f"no such gold file or folder: {g}", 2)
        files += gold_files_in(p) if p.is_dir() else [p]
    if with_reviews is not None:
        from .reviewgold import export_gold
        from .store import Store

        if shipped:
            raise fail("--with-reviews never writes over the shipped weights: give --out FOLDER without --shipped", 2)
        with Store(with_reviews, create=False) as store:
            reviewed = export_gold(store, target / "reviews-gold")
        if not reviewed:
            raise fail(f"no article of {with_reviews} is marked reviewed: nothing to learn from", 2)
        err.print(f"{len(reviewed)} reviewed article(s) exported to {escape(str(target / 'reviews-gold'))}",
                  highlight=False)
        files += reviewed
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("parsing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True, disable=not err.is_terminal) as bar:
        task = bar.add_task("parse", total=None)
        try:
            meta = run_train(base, target, extra_gold=files, seed=seed, n_process=processes, limit=limit,
                             cache=_parse_cache(cache),
                             log=lambda m: err.print(escape(m), highlight=False),
                             progress=lambda n: bar.advance(task, n))
        except SourcebookError as e:
            raise fail(str(e)) from None
    v = meta["validation"]
    out.print(f"validation (held-out PolNeAR train articles): P {v['p']} R {v['r']} F1 {v['f1']}; "
              f"threshold {meta['threshold']}, C {meta['C']}; {meta['seconds']} s; weights in {target}")
    if "validation_G" in meta:
        g = meta["validation_G"]
        out.print(f"validation (held-out gold files): P {g['p']} R {g['r']} F1 {g['f1']}; threshold "
                  f"{meta['threshold_G']}")


def _parse_cache(option: Optional[str]):
    from pathlib import Path

    if option == "none":
        return None
    if option:
        return Path(option)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "sourcebook" / "parses"


@app.command(name="eval")
def eval_cmd(
    gold: List[str] = typer.Argument(...,
        help="Gold files or folders: sourcebook-gold/1 JSON, or PolNeAR .ann/.txt folders."),
    as_json: bool = typer.Option(False, "--json", help="Print the numbers as JSON."),
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline."),
    details: bool = typer.Option(False, "--details", help="Also list misses and false alarms per article."),
    attribution: str = typer.Option("combined", "--attribution",
        help="combined (rules and the learned scorer), rules or learned: for ablations."),
    scope: str = typer.Option("guidelines", "--scope",
        help="guidelines (what shared/gold/GUIDELINES.md counts as a quote) or broad (also stances such as 'condemned "
             "the attack', as PolNeAR annotates them)."),
    model_dir: Optional[str] = typer.Option(None, "--model-dir", metavar="FOLDER", help=MODEL_DIR_HELP),
) -> None:
    """Score extraction against gold annotations (see shared/gold/GUIDELINES.md)."""
    from .evaluate import evaluate_paths, render

    if attribution not in ("combined", "rules", "learned"):
        raise fail(f"--attribution must be combined, rules or learned, not {attribution!r}", 2)
    if scope not in ("guidelines", "broad"):
        raise fail(f"--scope must be guidelines or broad, not {scope!r}", 2)
    _use_model_dir(model_dir)
    results = evaluate_paths(gold, model=model, attribution=attribution, scope=scope)
    if as_json:
        sys.stdout.write(json_text(results, indent=1) + "\n")
    else:
        render(results, out, details=details)




def _print_json(data) -> None:
    sys.stdout.write(json_text(data, indent=1, default=str) + "\n")


@app.command()
def demo(
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline."),
    db: DbOption = None,
    serve_ui: Optional[bool] = typer.Option(None, "--serve/--no-serve",
        help="Then start the web UI on 127.0.0.1 (default: when run in a terminal)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535,
        help="Port for the web UI (the next free one if taken)."),
) -> None:
    """Ingest the bundled (invented) sample corpus into ./sourcebook.db, show what was found, and open the web UI."""
    from .demo import run_store_demo

    run_store_demo(out, db=db, model=model)
    if serve_ui is None:
        serve_ui = sys.stdin.isatty() and sys.stdout.isatty() and not os.environ.get("CI")
    if not serve_ui:
        db_arg = "" if db is None else f" --db {db}"
        out.print(Text("Web UI: ", style="bold").append(
            f"sourcebook serve{db_arg}   (then open http://127.0.0.1:8000/ in a browser; "
            f"`sourcebook demo --serve` does both)", style="none"))
    if serve_ui:
        from .web import free_port
        from .web import serve as run_server

        chosen = free_port("127.0.0.1", port)
        run_server(db, host="127.0.0.1", port=chosen, announce=_announce)


def _announce(url: str) -> None:
    out.print(f"[bold]sourcebook web UI:[/] {escape(url)}  (Ctrl-C to stop)", highlight=False)
    sys.stdout.flush()


@app.command()
def serve(
    db: DbOption = None,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on. Anything but loopback needs --token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: Optional[str] = typer.Option(None, "--token",
        help="Every request must carry this token (default: $SOURCEBOOK_TOKEN); required with a non-loopback --host."),
    user: Optional[str] = typer.Option(None, "--user",
        help="Reviewer name stored with corrections (default: $SOURCEBOOK_USER or the OS user; a request may name one "
             "in the X-Sourcebook-User header)."),
    workers: int = typer.Option(1, "--workers", min=1, max=64,
        help="Server processes (more serve more readers at once)."),
) -> None:
    """Start the web UI: read, check and correct the evidence in the store."""
    from .store import Store
    from .web import check_bind
    from .web import serve as run_server

    check_bind(host, token or os.environ.get("SOURCEBOOK_TOKEN") or None)
    Store(db, create=False).close()  # one clear line when there is no database
    run_server(db, host=host, port=port, token=token, user=user, announce=_announce, workers=workers)


@app.command()
def ingest(
    paths: List[str] = typer.Argument(...,
        help="Files, folders (read recursively), glob patterns, .jsonl/.parquet/.html/.txt."),
    db: DbOption = None,
    workers: Optional[int] = typer.Option(None, "--workers", "-w", min=1, max=MAX_PROCESSES,
        help="Start a Dask LocalCluster of N worker processes (each loads the model once)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
        help="Extract on an existing Dask cluster: tcp://HOST:PORT (or a scheduler file .json)."),
    n_process: int = typer.Option(1, "--n-process", min=1, max=MAX_PROCESSES,
        help="Without Dask: nlp.pipe in this many processes."),
    batch_size: int = typer.Option(32, "--batch-size", min=1, max=MAX_BATCH,
        help="Articles per batch (per Dask task)."),
    reextract: bool = typer.Option(False, "--reextract",
        help="Extract again the stored articles whose extractor versions differ from the current ones."),
    published: Optional[str] = typer.Option(None, "--published", metavar="YYYY-MM-DD",
        help="Publication date for inputs that carry none (no metadata file row, page metadata, JSON field or dated "
             "dateline); also places a year-less dateline date."),
    outlet: Optional[str] = typer.Option(None, "--outlet", metavar="NAME",
        help="Outlet for inputs that name none (no metadata, URL or dateline agency)."),
    force_metadata: bool = typer.Option(False, "--force-metadata",
        help="--published and --outlet replace what the inputs say."),
    model: Optional[str] = typer.Option(None, help="Another installed spaCy English pipeline."),
    max_mb: float = typer.Option(10.0, max=MAX_MB,
        help="Skip files (JSON Lines: lines) larger than this many megabytes."),
    quiet: bool = typer.Option(False, "--quiet", "-q",
        help="No progress bar (it is never drawn when stderr is not a terminal)."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
    model_dir: Optional[str] = typer.Option(None, "--model-dir", metavar="FOLDER", help=MODEL_DIR_HELP),
) -> None:
    """Read, extract and store articles: each once (by a hash of its text), one transaction each.

    Dates and outlets come from a metadata.csv / metadata.jsonl beside the files (columns file, url,
    outlet, title, published), the page or record itself, a dateline, then --published / --outlet
    (docs/store.md)."""
    from .ingest import ingest as run_ingest
    from .read.metadata import Defaults
    from .store import Store
    from .terminal import print_summary, progress_for

    if not (math.isfinite(max_mb) and max_mb > 0):
        raise fail("--max-mb must be a positive number of megabytes", 2)
    _use_model_dir(model_dir)
    _check_dates(published=published)
    if force_metadata and not (published or outlet):
        raise fail("--force-metadata needs --published or --outlet", 2)
    defaults = Defaults(published=published, outlet=(outlet or "").strip() or None, force=force_metadata)
    if scheduler is not None and workers is not None:
        raise fail("give --scheduler (an existing Dask cluster) or --workers (a local one), not both", 2)
    with Store(db) as store, progress_for(err, quiet) as progress:
        summary = run_ingest(paths, store, workers=workers, scheduler=scheduler, n_process=n_process,
                             reextract=reextract, model=model, max_bytes=int(max_mb * 1024 * 1024),
                             batch_size=batch_size, progress=progress, defaults=defaults)
    if as_json:
        _print_json(summary.to_dict())
    else:
        print_summary(summary, out)
    if not summary.ok:
        if summary.skipped:
            raise fail(f"nothing ingested: {len(summary.skipped)} document(s) skipped")
        raise fail(f"no documents found in {' '.join(paths)}")


@app.command()
def sources(
    anonymous: Optional[bool] = typer.Option(None, "--anonymous/--named",
        help="Only anonymous (or only named) sources."),
    name: Optional[str] = typer.Option(None, "--name", help="Name or description contains this (any case)."),
    article: ArticleOption = None,
    limit: LimitOption = 50,
    extracted: ExtractedOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Who the stored articles quote, newest articles first (with review corrections)."""
    from .store import Store
    from .store.render import print_sources

    with Store(db, create=False) as store:
        rows = store.sources(anonymous=anonymous, name=name, article=article, limit=limit or None,
                             corrected=not extracted)
    _show(rows, as_json, print_sources, limit)


@app.command()
def quotes(
    source: Optional[str] = typer.Option(None, "--source",
        help="Source name or description contains this (any case); REPORTER for the article's own statements."),
    article: ArticleOption = None,
    qtype: Optional[str] = typer.Option(None, "--type", metavar="direct|indirect|mixed", help="The kind of quote."),
    anonymous: Optional[bool] = typer.Option(None, "--anonymous/--named",
        help="Only quotes of anonymous (or named) sources."),
    limit: LimitOption = 50,
    extracted: ExtractedOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Attributed statements, newest articles first (with review corrections)."""
    from .store import Store
    from .store.render import print_quotes

    with Store(db, create=False) as store:
        rows = store.quotes(source=source, article=article, type=qtype, anonymous=anonymous, limit=limit or None,
                            corrected=not extracted)
    _show(rows, as_json, print_quotes, limit)


@app.command()
def counts(
    status: Optional[str] = typer.Option(None, "--status",
        help="present, joining, leaving, returned, detained, killed, wounded, surrendered or other."),
    origin: Optional[str] = typer.Option(None, "--origin", help="Nationality as an ISO country code (SA, FR, ...)."),
    since: PublishedSinceOption = None,
    until: PublishedUntilOption = None,
    article: ArticleOption = None,
    from_: Optional[str] = typer.Option(None, "--from", help="Moving from this country (ISO code: SY)."),
    to: Optional[str] = typer.Option(None, "--to", help="Moving to this country (ISO code: TR)."),
    heading: Optional[str] = typer.Option(None, "--heading", help="Heading for this country, not reached (ISO code)."),
    limit: LimitOption = 50,
    extracted: ExtractedOption = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Figures about people, newest articles first (with review corrections)."""
    from .store import Store
    from .store.render import print_counts

    _check_dates(since=since, until=until)
    _check_countries(origin=origin, **{"from": from_, "to": to, "heading": heading})
    with Store(db, create=False) as store:
        rows = store.counts(status=status, origin=origin, since=since, until=until, article=article,
                            limit=limit or None, corrected=not extracted, from_=from_, to=to, heading=heading)
    _show(rows, as_json, print_counts, limit)


@app.command()
def events(
    etype: Optional[str] = typer.Option(None, "--type",
        help="PLOVER event type: ASSAULT, COERCE, PROTEST, THREATEN, AID, ... (any case)."),
    country: Optional[str] = typer.Option(None, "--country",
        help="Two letters (SY): where the event happened; three (SYR, or IMG, UNO, ...): the actor's or the "
             "recipient's country."),
    since: Optional[str] = typer.Option(None, "--since",
        help="Events dated on or after YYYY-MM-DD (their resolved date, else the article's publication date)."),
    until: Optional[str] = typer.Option(None, "--until", help="Events dated on or before YYYY-MM-DD."),
    article: ArticleOption = None,
    limit: LimitOption = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Events: who did what to whom (PLOVER), where and when, according to whom; newest articles first."""
    from .store import Store
    from .store.render import print_events

    _check_dates(since=since, until=until)
    with Store(db, create=False) as store:
        rows = store.events(type=etype, country=country, since=since, until=until, article=article,
                            limit=limit or None)
    _show(rows, as_json, print_events, limit)


@app.command()
def places(
    country: Optional[str] = typer.Option(None, "--country", help="ISO 3166-1 alpha-2 country code (SY, IQ, ...)."),
    name: Optional[str] = typer.Option(None, "--name",
        help="Gazetteer name or the words as written contain this (any case)."),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="toponym|demonym|embedded",
        help="A place name, a nationality or region word standing for its place, or a place name inside another name "
             "('Toronto Police')."),
    since: PublishedSinceOption = None,
    until: PublishedUntilOption = None,
    article: ArticleOption = None,
    limit: LimitOption = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Places named in the stored articles, resolved to gazetteer entries; newest articles first."""
    from .store import Store
    from .store.render import print_places

    _check_dates(since=since, until=until)
    if kind and kind.strip().lower() not in ("toponym", "demonym", "embedded"):
        raise fail(f"--kind must be toponym, demonym or embedded, not {kind!r}", 2)
    with Store(db, create=False) as store:
        rows = store.places(country=country, name=name, kind=kind, since=since, until=until, article=article,
                            limit=limit or None)
    _show(rows, as_json, print_places, limit)


@app.command()
def dates(
    since: Optional[str] = typer.Option(None, "--since",
        help="Expressions whose resolved dates reach on or after YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, "--until",
        help="Expressions whose resolved dates reach on or before YYYY-MM-DD."),
    precision: Optional[str] = typer.Option(None, "--precision", metavar="day|week|month|year",
        help="How precise the resolved date is."),
    resolved: Optional[bool] = typer.Option(None, "--resolved/--unresolved",
        help="Only those resolved to dates (or only those not)."),
    article: ArticleOption = None,
    limit: LimitOption = 50,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Time expressions in the stored articles, resolved against each article's date; newest articles first."""
    from .store import Store
    from .store.render import print_dates

    _check_dates(since=since, until=until)
    if precision and precision.strip().lower() not in ("day", "week", "month", "year"):
        raise fail(f"--precision must be day, week, month or year, not {precision!r}", 2)
    with Store(db, create=False) as store:
        rows = store.dates(since=since, until=until, precision=precision, resolved=resolved, article=article,
                           limit=limit or None)
    _show(rows, as_json, print_dates, limit)


@app.command()
def search(
    text: str = typer.Argument(..., help='Words (all must match), "a phrase", OR, -word.'),
    only: str = typer.Option("all", "--in", metavar="all|articles|quotes", help="Where to search."),
    limit: int = typer.Option(20, min=1, max=MAX_HITS, help="At most this many articles and this many quotes."),
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Full-text search over the stored articles and quotes, with snippets."""
    from .store import Store
    from .store.render import print_search

    if only not in ("all", "articles", "quotes"):
        raise fail(f"--in must be all, articles or quotes, not {only!r}", 2)
    if not text.strip():
        raise fail("give some words to search for", 2)
    with Store(db, create=False) as store:
        hits = store.search(text, limit=max(1, limit), articles=only in ("all", "articles"),
                            quotes=only in ("all", "quotes"))
    if as_json:
        _print_json(hits)
    else:
        print_search(hits, out)


@app.command()
def export(
    fmt: str = typer.Option("csv", "--format", "-f", metavar="csv|jsonl|parquet|acled|datasette",
        help="csv, jsonl or parquet: every table; acled: events as ACLED-style rows, figures with UCDP-style "
             "low/best/high (docs/export.md); datasette: a metadata file for datasette."),
    out_dir: str = typer.Option(..., "--out", "-o", help="Folder to write one file per table into."),
    tables: Optional[List[str]] = typer.Option(None, "--table", help="Only this table (repeat for several)."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """Write every table of the store to CSV, JSON Lines or Parquet files; or ACLED-style events with
    UCDP-style estimates (--format acled); or a metadata file for datasette (--format datasette)."""
    from .export import FORMATS
    from .export import export as run_export
    from .store import Store

    if fmt not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}", 2)
    with Store(db, create=False) as store:
        done = run_export(store, out_dir, fmt, tables)
    if as_json:
        _print_json(done)
    else:
        for info in done.values():
            out.print(f"{info['rows']:>8}  {escape(info['path'])}", highlight=False)
            if info.get("command"):
                out.print(f"          open it with: {escape(info['command'])}", highlight=False)


# --------------------------------------------------------------------------- the ledger (docs/ledger.md)


def _show(rows: list, as_json: bool, printer, limit: int) -> None:
    """A query command's output: JSON, or the rich table ``printer`` draws."""
    if as_json:
        _print_json(rows)
    else:
        printer(rows, out, limit)


def _check_countries(**codes: Optional[str]) -> None:
    for opt, value in codes.items():
        if value and not (len(value.strip()) == 2 and value.strip().isalpha()):
            raise fail(f"--{opt} must be a two-letter country code (SY, TR, ...), not {value!r}", 2)


def _check_dates(**dates: Optional[str]) -> None:
    from datetime import date

    for opt, value in dates.items():
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise fail(f"--{opt} must be a date YYYY-MM-DD, not {value!r}", 2) from None


@app.command()
def claims(
    status: Optional[str] = typer.Option(None, "--status",
        help="present, joining, leaving, returned, detained, killed, wounded, surrendered or other."),
    group: Optional[str] = typer.Option(None, "--group",
        help="Counted group (lexicon/ledger_groups.tsv): 'foreign fighters', civilians, ..."),
    origin: Optional[str] = typer.Option(None, "--origin", help="Nationality as an ISO country code (SA, FR, ...)."),
    source: Optional[str] = typer.Option(None, "--source", help="Source name or description contains this (any case)."),
    kind: Optional[str] = typer.Option(None, "--kind", metavar="named|anonymous|reporter",
        help="Who asserts the claim (reporter: the article itself)."),
    since: Optional[str] = typer.Option(None, "--since", help="Claims dated on or after YYYY-MM-DD."),
    until: Optional[str] = typer.Option(None, "--until", help="Claims dated on or before YYYY-MM-DD."),
    min_citations: int = typer.Option(1, "--min-citations", min=1, max=MAX_ROWS,
        help="Only claims cited at least this often."),
    order: str = typer.Option("citations", "--order", metavar="citations|reports|date",
        help="citations (most cited first), reports (near-duplicates once) or date (newest first)."),
    limit: int = typer.Option(50, min=0, max=MAX_ROWS, help="At most this many claims (0: all)."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with every citation)."),
) -> None:
    """Claims: the same figure from the same source, one row however many articles repeat it."""
    from . import ledger
    from .ledger.render import print_claims
    from .store import Store

    _check_dates(since=since, until=until)
    if order not in ledger.query.CLAIM_ORDERS:
        raise fail(f"--order must be citations, reports or date, not {order!r}", 2)
    if kind and kind not in ("named", "anonymous", "reporter"):
        raise fail(f"--kind must be named, anonymous or reporter, not {kind!r}", 2)
    with Store(db, create=False) as store:
        rows = ledger.claims(store, status=status, group=group, origin=origin, source=source, kind=kind, since=since,
                             until=until, min_citations=min_citations, order=order, limit=limit or None,
                             with_citations=True)
    _show(rows, as_json, print_claims, limit)


@app.command()
def series(
    group: Optional[str] = typer.Option(None, "--group", help="Counted group: 'foreign fighters', civilians, ..."),
    status: Optional[str] = typer.Option(None, "--status", help="Status of the figures."),
    origin: Optional[str] = typer.Option(None, "--origin", help="Nationality as an ISO country code."),
    place: Optional[str] = typer.Option(None, "--place", help="Place (country) contains this."),
    min_claims: int = typer.Option(1, "--min-claims", min=1, max=MAX_ROWS,
        help="Only series with at least this many distinct claims."),
    limit: int = typer.Option(20, min=0, max=MAX_ROWS, help="At most this many series (0: all)."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the monthly envelope and every claim)."),
) -> None:
    """Estimates over time: per counted group, status, origin and place, every distinct claim and a monthly envelope."""
    from . import ledger
    from .ledger.render import print_series
    from .store import Store

    with Store(db, create=False) as store:
        rows = ledger.series(store, group=group, status=status, origin=origin, place=place, min_claims=min_claims,
                             limit=limit or None, detail=True)
    _show(rows, as_json, print_series, limit)


@app.command()
def flows(
    window: str = typer.Option("year", "--window", metavar="year|quarter|month|all",
        help="The time window of an edge."),
    status: Optional[str] = typer.Option(None, "--status", help="joining, leaving, returned or detained."),
    origin: Optional[str] = typer.Option(None, "--origin", help="Origin as an ISO country code."),
    destination: Optional[str] = typer.Option(None, "--destination", help="Destination: ISO code or name."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print JSON (with the claims behind each edge)."),
) -> None:
    """Where people go: origin -> destination edges from figures of people joining, leaving, returned or detained."""
    from . import ledger
    from .ledger.render import print_flows
    from .store import Store

    if window not in ("year", "quarter", "month", "all"):
        raise fail(f"--window must be year, quarter, month or all, not {window!r}", 2)
    with Store(db, create=False) as store:
        rows = ledger.flows(store, window=window, status=status, origin=origin, destination=destination, detail=True)
    if as_json:
        _print_json(rows)
    else:
        print_flows(rows, out)


@app.command()
def report(
    out_path: str = typer.Option("report.html", "--out", "-o", help="The HTML file to write."),
    title: str = typer.Option("sourcebook ledger", "--title", help="The report's title."),
    series_charts: int = typer.Option(12, "--charts", min=0, max=MAX_ROWS,
        help="Charts for this many series (most claims first)."),
    top_claims: int = typer.Option(25, "--claims", min=1, max=MAX_ROWS, help="Rows of the most cited claims table."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print what was written as JSON."),
) -> None:
    """A self-contained HTML report (no network): series charts, flow diagram, most cited claims, anonymous share."""
    from .report import write_report
    from .store import Store

    with Store(db, create=False) as store:
        info = write_report(store, out_path, title=title, n_series=series_charts, n_claims=top_claims)
    if as_json:
        _print_json(info)
    else:
        out.print(f"wrote {escape(info['path'])} ({info['bytes']:,} bytes): {info['series_charts']} series charts, "
                  f"{info['flows']} flows, {info['claims']} claims", highlight=False)


ledger_app = typer.Typer(no_args_is_help=True, help="The ledger's upkeep: bring it up to date, or see how fresh it is.")
app.add_typer(ledger_app, name="ledger")


@ledger_app.command("update")
def ledger_update(
    full: bool = typer.Option(False, "--full", help="Rebuild the ledger from scratch."),
    db: DbOption = None,
    as_json: bool = typer.Option(False, "--json", help="Print what was done as JSON."),
) -> None:
    """Bring the ledger up to date with the stored articles and reviews (the web pages never do it)."""
    from . import ledger
    from .ledger.render import fmt_freshness
    from .store import Store

    with Store(db, create=False) as store:
        done = ledger.update(store, full=full)
        fresh = ledger.freshness(store)
    if as_json:
        _print_json({"update": done.to_dict(), "freshness": fresh})
    else:
        out.print(f"ledger of {escape(store.display)}: {done.new_articles} new or re-extracted and "
                  f"{done.deleted_articles} deleted articles taken in, {done.seconds:.1f} s; {fmt_freshness(fresh)}",
                  highlight=False)


@ledger_app.command("status")
def ledger_status(
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """How fresh the ledger is: when it was updated, and what changed since (read only)."""
    from . import ledger
    from .ledger.render import fmt_freshness
    from .store import Store

    with Store(db, create=False) as store:
        fresh = ledger.freshness(store)
    if as_json:
        _print_json(fresh)
    else:
        out.print(f"ledger {fmt_freshness(fresh)}", highlight=False)


gold_app = typer.Typer(no_args_is_help=True, help="Reviewed articles as gold annotations (sourcebook-gold/1).")
app.add_typer(gold_app, name="gold")


@gold_app.command("export")
def gold_export(
    db: DbOption = None,
    out_dir: str = typer.Option(..., "--out", metavar="FOLDER",
        help="Folder for ID.json (gold) and articles/ID.txt (texts)."),
    as_json: JsonOption = False,
) -> None:
    """Write a sourcebook-gold/1 file for every article marked "reviewed: all items checked": kept and
    corrected items, items reviewers added; rejected ones left out (docs/review-loop.md).
    Score any pipeline on them with `sourcebook eval FOLDER`."""
    from .reviewgold import export_gold
    from .store import Store

    with Store(db, create=False) as store:
        written = export_gold(store, out_dir)
    if as_json:
        _print_json({"files": [str(p) for p in written]})
    elif not written:
        out.print("no article is marked reviewed: nothing written", highlight=False)
    else:
        out.print(f"wrote {len(written)} gold file(s) to {escape(out_dir)} "
                  f"(score with: sourcebook eval {escape(out_dir)})", highlight=False)


def main(args: list[str] | None = None) -> None:
    """The ``sourcebook`` command: ``args`` (default: the process's arguments); exits with its code."""
    try:
        app(args=args)
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
