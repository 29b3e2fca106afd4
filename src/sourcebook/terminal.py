"""What reaches a terminal: article text is untrusted, so control characters never pass.

Article text, titles, names and file names may hold terminal control sequences (``ESC [2J`` clears
the screen, ``ESC ] 0;...BEL`` retitles the window, C1 ``CSI`` does the same on 8-bit terminals).
Everything the command line prints to a terminal goes through :class:`SafeConsole`, whose segments
are cleaned by :func:`strip_controls` after rich has laid them out: C0 controls except new line and
tab, DEL, and C1 controls are removed.  Rich's own styling (its control segments and the escape
codes it adds for styles) is untouched.  Stored text is never changed: this is for display only.

JSON printed on standard output stays exact: :func:`json_text` writes the same values, with DEL and
C1 characters as ``\\u`` escapes (C0 ones are escaped by JSON already).

The ingest progress bar and end-of-run summary live here too, with the CLI: library modules report
through ``ingest.IngestProgress`` and ``IngestSummary`` and never print.
"""

from __future__ import annotations

import json
import re
import time
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from rich.console import Console, ConsoleOptions, RenderableType
from rich.progress import TaskID
from rich.segment import Segment

if TYPE_CHECKING:
    from .ingest import IngestProgress, IngestSummary

#: C0 controls but new line and tab, DEL, and C1 controls.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """``text`` without terminal control characters (new lines and tabs are kept)."""
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


class SafeConsole(Console):
    """A rich Console whose text segments never carry control characters (see the module doc)."""

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for seg in super().render(renderable, options):
            if seg.control or not _CONTROLS.search(seg.text):
                yield seg
            else:
                yield Segment(strip_controls(seg.text), seg.style)


def json_text(data: Any, **kwargs: Any) -> str:
    """``json.dumps(data, ensure_ascii=False, **kwargs)`` with DEL and C1 characters escaped."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# --------------------------------------------------------------------------- ingest: progress, summary


class RichProgress:
    """A rich progress bar on standard error: articles done, articles/s and an ETA."""

    def __init__(self, console) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
            speed_estimate_period=60,
        )
        self._task = TaskID(0)
        self._started = 0.0

    def __enter__(self) -> "RichProgress":
        self._progress.start()
        self._task = self._progress.add_task("reading", total=None, rate="")
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._progress.stop()

    def reading(self, n_read: int, n_skipped: int) -> None:
        if self._started:
            return
        if n_read % 50 == 0 or n_skipped:
            self._progress.update(self._task, description=f"reading: {n_read} documents, {n_skipped} skipped")

    def start(self, total: int) -> None:
        """The articles to extract: called again with a larger total as reading goes on."""
        if not self._started:
            self._started = time.perf_counter()
            self._progress.update(self._task, description="extracting", total=total, completed=0, rate="")
        else:
            self._progress.update(self._task, total=total)

    def advance(self, n: int = 1) -> None:
        task = self._progress.tasks[0]
        done = task.completed + n
        elapsed = time.perf_counter() - self._started
        rate = f"{done / elapsed:.1f} articles/s" if elapsed > 0 else ""
        self._progress.update(self._task, completed=done, rate=rate)


@contextmanager
def progress_for(console, quiet: bool = False) -> Iterator[IngestProgress | None]:
    """A ``RichProgress`` on ``console`` when it is a terminal and not ``quiet``, else None."""
    if quiet or not console.is_terminal:
        yield None
        return
    with RichProgress(console) as p:
        yield p


def print_summary(summary: IngestSummary, console, max_skips: int = 20) -> None:
    """The end-of-run summary: counts, skip reasons, and the first skipped documents."""
    from rich.table import Table
    from rich.text import Text

    head = Text(f"Ingest into {summary.db} (run {summary.run_id}): ", style="bold")
    head.append(f"{summary.seconds:.1f} s", style="bold")
    if summary.stored:
        head.append(f", {summary.rate:.1f} articles/s", style="bold")
    console.print(head)
    t = Table(show_header=False, box=None, padding=(0, 2))
    t.add_column("what")
    t.add_column("n", justify="right")
    t.add_row("documents read", str(summary.documents))
    t.add_row("ingested (new)", str(summary.ingested))
    t.add_row("unchanged (already stored)", str(summary.unchanged))
    if summary.outdated:
        t.add_row(Text("  of which by older extractors", style="dim"),
                  Text(f"{summary.outdated} (use --reextract)", style="dim"))
    t.add_row("re-extracted", str(summary.reextracted))
    t.add_row("skipped", str(len(summary.skipped)))
    for reason, n in summary.skip_reasons().items():
        t.add_row(Text(f"  {reason}", style="yellow"), str(n))
    if summary.component_failures:
        t.add_row(Text("stored with a component failure", style="bold red"),
                  str(sum(summary.component_failures.values())))
        for name, n in summary.component_failures.most_common():
            t.add_row(Text(f"  {name}", style="red"), str(n))
    console.print(t)
    if summary.skipped:
        console.print(Text("Skipped:", style="bold yellow"))
        for s in summary.skipped[:max_skips]:
            line = Text("  ")
            line.append(str(s.origin))
            line.append(f" ({s.reason}): ", style="yellow")
            line.append(str(s.message))
            console.print(line)
        if len(summary.skipped) > max_skips:
            console.print(Text(f"  ... and {len(summary.skipped) - max_skips} more "
                               f"(all in the skipped table, run {summary.run_id})", style="dim"))
