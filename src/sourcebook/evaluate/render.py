"""Print ``evaluate_paths`` results as rich tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def _f(x: Any) -> str:
    return "–" if x is None else f"{x:.3f}" if isinstance(x, float) else str(x)


def _prf_row(label: str, r: dict[str, Any]) -> list[str]:
    return [label, _f(r["p"]), _f(r["r"]), _f(r["f1"]), str(r["tp"]), str(r["fp"]), str(r["fn"])]


def _prf_table(title: str) -> Table:
    t = Table(title=title, title_justify="left", show_edge=False)
    t.add_column("")
    for c in ("P", "R", "F1", "tp", "fp", "fn"):
        t.add_column(c, justify="right")
    return t


def _name(path: str) -> str:
    return Path(path).name


def render(results: dict[str, Any], console: Console, details: bool = False) -> None:
    """Summary tables for each section present; with ``details``, misses and false alarms per file."""
    if "gold" in results:
        _render_gold(results["gold"], console, details)
    if "polnear" in results:
        _render_polnear(results["polnear"], console, details)
    if "events" in results:
        _render_events(results["events"], console, details)
    for key in sorted(k for k in results if k == "places" or k.startswith("places_")):
        _render_places(results[key], console, details)
    ex = results.get("extractors") or {}
    secs = results.get("seconds") or {}
    if ex or secs:
        parts = [f"{k}={v}" for k, v in ex.items()]
        console.print(escape(f"extractors: {', '.join(parts) or '–'}; seconds: "
                             + ", ".join(f"{k} {v}" for k, v in secs.items())), style="dim")
    for w in results.get("warnings") or []:
        console.print(f"[yellow]warning[/] {escape(w)}")


def _render_gold(g: dict[str, Any], console: Console, details: bool) -> None:
    t = _prf_table(f"Gold ({g['files']} files, micro-averaged)")
    t.add_row(*_prf_row("quotes (span match)", g["quotes"]))
    t.add_row(*_prf_row("quotes end-to-end", g["end_to_end"]))
    t.add_row(*_prf_row("sources", g["sources"]))
    t.add_row(*_prf_row("counts", g["counts"]))
    console.print(t)

    a = Table(title="Accuracies over matched items", title_justify="left", show_edge=False)
    a.add_column("")
    a.add_column("value", justify="right")
    a.add_column("of", justify="right")
    s, c, at = g["sources"], g["counts"], g["attribution"]
    a.add_row("quote attribution", _f(g["attribution_accuracy"]), f"{at['correct']}/{at['matched']}")
    a.add_row("source anonymity flag", _f(s["anonymous_accuracy"]), f"{s['anonymous_correct']}/{s['matched']}")
    a.add_row("anonymity reason recall", _f(s["reason_recall"]), f"{s['reason_found']}/{s['reason_gold']}")
    for k in ("status", "origin", "source"):
        a.add_row(f"count {k}", _f(c[f"{k}_accuracy"]), f"{c[f'{k}_correct']}/{c['matched']}")
    console.print(a)

    b = Table(title="Quote recall by type", title_justify="left", show_edge=False)
    for col in ("type", "gold", "matched", "recall", "attributed", "end-to-end recall"):
        b.add_column(col, justify="left" if col == "type" else "right")
    for typ, v in g["by_type"].items():
        b.add_row(typ, str(v["gold"]), str(v["matched"]), _f(v["recall"]), str(v["attributed"]),
                  _f(v["end_to_end_recall"]))
    console.print(b)

    pf = Table(title="Per file", title_justify="left", show_edge=False)
    for col in ("file", "gold q", "pred q", "quote F1", "e2e F1", "sources F1", "counts F1"):
        pf.add_column(col, justify="left" if col == "file" else "right", overflow="fold", min_width=12 if col == "file"
                      else None)
    for row in g["per_file"]:
        q = row["quotes"]
        pf.add_row(escape(_name(row["file"])), str(q["tp"] + q["fn"]), str(q["tp"] + q["fp"]), _f(q["f1"]),
                   _f(row["end_to_end"]["f1"]), _f(row["sources"]["f1"]), _f(row["counts"]["f1"]))
    console.print(pf)

    if g.get("gold_errors"):
        console.print(f"[yellow]{len(g['gold_errors'])} gold problem(s):[/]")
        for e in g["gold_errors"]:
            console.print(escape(f"  {_name(e['file'])} {e['kind']}: {e['problem']}: {e.get('text', '')}"))
    if details:
        for row in g["per_file"]:
            _details(console, _name(row["file"]), row)


def _details(console: Console, name: str, row: dict[str, Any]) -> None:
    anon_wrong = (row.get("sources") or {}).get("anonymity_wrong") or []
    if not (row.get("missed") or row.get("false_alarms") or row.get("misattributed") or anon_wrong):
        return
    console.rule(escape(name), align="left")
    for m in row.get("missed") or []:
        extra = f" [{m.get('type')}]" if m.get("type") else (f" [cue: {m.get('cue')}]" if m.get("cue") else "")
        console.print(f"  [red]missed[/]{escape(extra)} {escape(m['text'])} [dim]— {escape(str(m.get('source')))}[/]")
    for m in row.get("misattributed") or []:
        console.print(f"  [yellow]wrong source[/] {escape(m['text'])} [dim]— gold {escape(m['gold_source'])}, "
                      f"predicted {escape(m['predicted_source'])}[/]")
    for m in row.get("false_alarms") or []:
        console.print(f"  [magenta]false alarm[/] {escape(m['text'])} [dim]— {escape(str(m.get('source')))}[/]")
    for m in anon_wrong:
        said = "named" if m["gold_anonymous"] else "anonymous"
        console.print(f"  [cyan]anonymity flag[/] {escape(m['predicted'])} [dim]— gold {escape(m['gold'])}; "
                      f"predicted {said}[/]")


def _render_polnear(pn: dict[str, Any], console: Console, details: bool) -> None:
    t = _prf_table(f"PolNeAR ({pn['files']} files, content match, micro-averaged)")
    t.add_column("source acc.", justify="right")
    for name in ("all", "speech"):
        r = pn[name]
        t.add_row(*_prf_row(name, r), _f(r["source_accuracy"]))
    console.print(t)
    console.print(f"[dim]all: {pn['all']['relations']} relations; speech: {pn['speech']['relations']} relations "
                  f"whose cue is a speech or writing verb ({pn['speech']['ignored_predictions']} predictions "
                  f"matched to other relations are ignored there); source accuracy: "
                  f"{pn['all']['source_correct']}/{pn['all']['source_matched']} matched contents with a source[/]")
    console.print(f"[dim]{pn.get('skipped_relations', 0)} relation(s) without content skipped; "
                  f"{pn.get('spans_checked', 0)} annotation spans checked against the text, "
                  f"{len(pn.get('annotation_errors') or [])} problem(s)[/]")
    for e in (pn.get("annotation_errors") or [])[:20]:
        console.print(escape(f"  {_name(e['file'])}: {e}"))
    if details:
        pf = Table(title="Per file", title_justify="left", show_edge=False)
        for col in ("file", "relations", "predicted", "F1", "speech F1", "source acc."):
            pf.add_column(col, justify="left" if col == "file" else "right", overflow="fold", min_width=12
                          if col == "file" else None)
        for row in pn["per_file"]:
            a = row["all"]
            pf.add_row(escape(_name(row["file"])), str(a["relations"]), str(a["tp"] + a["fp"]), _f(a["f1"]),
                       _f(row["speech"]["f1"]), _f(row["source_accuracy"]))
        console.print(pf)
        for row in pn["per_file"]:
            _details(console, _name(row["file"]), row)


def _render_events(ev: dict[str, Any], console: Console, details: bool) -> None:
    t = Table(title=f"Events: PETRARCH gold ({ev['sentences']} sentences, {ev['mapped_codings']} codings mapped "
                    f"to PLOVER, {ev['unmapped_codings']} unmapped)", title_justify="left", show_edge=False)
    t.add_column("")
    t.add_column("value", justify="right")
    t.add_column("of", justify="right")
    t.add_row("event-type accuracy", _f(ev["type_accuracy"]), f"{ev['type_correct']}/{ev['mapped_codings']}")
    t.add_row("type accuracy where an event was found", _f(ev["type_accuracy_when_detected"]), str(ev["detected"]))
    t.add_row("type precision", _f(ev["type_precision"]), str(ev["predicted_events"]))
    t.add_row("actor country match", _f(ev["actor_country_match"]), str(ev["type_correct"]))
    t.add_row("actor code match", _f(ev["actor_code_match"]), str(ev["type_correct"]))
    t.add_row("recipient country match", _f(ev["recipient_country_match"]), str(ev["type_correct"]))
    t.add_row("recipient code match", _f(ev["recipient_code_match"]), str(ev["type_correct"]))
    t.add_row("events in no-event sentences", str(ev["noevent_false_alarms"]), str(ev["noevent_sentences"]))
    console.print(t)
    if details:
        for row in ev.get("per_sentence") or []:
            misses = [g for g in row["gold"] if not g["type_found"]]
            if not misses:
                continue
            console.print(escape(f"  {row['id']}: {row['text'][:100]}"))
            for g in misses:
                got = ", ".join(p["type"] for p in row["predicted"]) or "nothing"
                console.print(escape(f"    missed {g['type']} (CAMEO {g['cameo']}); extracted: {got}"), style="dim")


def _render_places(pl: dict[str, Any], console: Console, details: bool) -> None:
    name = Path(pl.get("file") or "").name or "toponym gold"
    t = Table(title=f"Places: {name} ({pl['articles']} articles, {pl['gold_toponyms']} toponyms with coordinates)",
              title_justify="left", show_edge=False)
    for col in ("P", "R", "F1", "acc@161km", "median km", "mean km"):
        t.add_column(col, justify="right")
    t.add_row(_f(pl["precision"]), _f(pl["recall"]), _f(pl["f1"]), _f(pl["accuracy_161km"]),
              _f(pl["median_error_km"]), _f(pl["mean_error_km"]))
    console.print(t)
    console.print(f"[dim]found {pl['found']} of {pl['gold_toponyms']}; {pl['predicted']} extracted; "
                  f"{pl['correct_161km']} within 161 km; {pl['realigned']} gold offsets realigned, "
                  f"{pl['unaligned']} unaligned, {pl['without_coordinates']} gold toponyms without coordinates[/]")
    if pl.get("by_type"):
        _render_place_types(pl, console)
    if details:
        _render_place_details(pl, console)


def _render_place_types(pl: dict[str, Any], console: Console) -> None:
    t = Table(title="by toponym type", title_justify="left", show_edge=False)
    for col in ("type", "gold", "found", "R", "acc@161km", "within 161 km / gold"):
        t.add_column(col, justify="left" if col == "type" else "right")
    rows = [(f"[b]{k}[/]", v) for k, v in pl.get("by_group", {}).items()] + list(pl["by_type"].items())
    for k, v in rows:
        t.add_row(k, str(v["gold"]), str(v["found"]), _f(v["recall"]), _f(v["accuracy_161km"]), _f(v["recall_161km"]))
    console.print(t)


def _render_place_details(pl: dict[str, Any], console: Console) -> None:
    for row in pl.get("per_article") or []:
        for w in row["wrong"]:
            console.print(escape(f"  {row['id']}: {w['phrase']} -> {w['predicted']} (gold {w['gold']}, "
                                 f"{w['km']} km)"), style="dim")
        for m in row["missed"]:
            console.print(escape(f"  {row['id']}: missed {m['phrase']} ({m['type'] or 'toponym'})"), style="dim")
        for fa in row["false_alarms"]:
            console.print(escape(f"  {row['id']}: false alarm {fa}"), style="dim")
