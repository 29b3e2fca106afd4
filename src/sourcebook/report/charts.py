"""Charts as inline SVG, made offline: matplotlib for the series (the flow diagram is ``flowmap``).

Why the charts may be embedded as ``Markup``:

- ``series_chart``: matplotlib's SVG holds no text from the store.  Its only texts are the tick
  labels (dates, numbers formatted by ``_thousands``) and the axis label "people"; the series' group,
  sources and places are written beside the chart, by the templates.  matplotlib escapes the text it
  writes all the same (``matplotlib.backends.backend_svg``: ``_escape_cdata``, ``_quote_escape_attrib``).
  Keep it so: a title, legend or annotation with text from an article must go in the template, not
  in the chart.
- ``share_bar``: the template ``templates/share_bar.svg`` (autoescape on) writes it.
"""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any, Sequence

from markupsafe import Markup

from .jinja import render

#: Colours: named sources, anonymous sources, what the article asserts itself.
COLORS = {"named": "#1f6fb4", "anonymous": "#d9480f", "reporter": "#868e96"}
_SVG_HEAD = re.compile(r"^.*?(<svg\b)", re.S)


def _mpl():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update({
        "svg.fonttype": "none",  # text stays text (small, searchable)
        "svg.hashsalt": "sourcebook",  # stable ids
        "font.family": "sans-serif",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
    })
    return plt


def _svg(fig, plt, uid: str) -> str:
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    text = _SVG_HEAD.sub(r"\1", buf.getvalue(), count=1)
    # ids unique per chart, so that several charts can live in one page
    ids = set(re.findall(r'id="([^"]+)"', text))
    for i in sorted(ids, key=len, reverse=True):
        text = text.replace(f'id="{i}"', f'id="{uid}-{i}"').replace(f"#{i})", f"#{uid}-{i})") \
                   .replace(f'href="#{i}"', f'href="#{uid}-{i}"')
    return text


def _day(iso: str | None) -> date | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def series_chart(series: dict[str, Any], uid: str, width: float = 7.2, height: float = 2.6) -> Markup | None:
    """A chart of one series: each distinct claim a bar from low to high at its date (a marker for a
    single figure, an arrow for an open end), coloured by who asserts it; the monthly envelope (min
    low to max high) shaded behind.  Claims of the same date stand side by side.  None when no
    claim of the series has a date."""
    dated = [(day, c) for c in series.get("claims") or [] if (day := _day(c.get("claim_date"))) is not None]
    claims = [c for _, c in dated]
    if not claims:
        return None
    plt = _mpl()
    import matplotlib.dates as mdates

    fig, ax = plt.subplots(figsize=(width, height))
    values = [v for c in claims for v in (c["low"], c["high"]) if v is not None]
    lo_all, hi_all = (min(values), max(values)) if values else (0, 1)
    log = lo_all > 0 and hi_all / max(lo_all, 1) >= 50
    days = sorted({d for d, _ in dated})
    span = max(1, (days[-1] - days[0]).days)
    step = max(0.6, span / 90)
    seen: dict[date, int] = {}
    for d, c in dated:
        k = seen.get(d, 0)
        seen[d] = k + 1
        x = mdates.date2num(d) + (k - 0) * step
        color = COLORS.get(c["source_kind"], COLORS["reporter"])
        lo, hi = c["low"], c["high"]
        if lo is not None and hi is not None and hi != lo:
            ax.vlines(x, lo, hi, colors=color, linewidth=5, alpha=0.9)
        elif lo is not None and hi is None:
            top = lo * (3 if log else 1.5) if lo > 0 else 1
            ax.vlines(x, lo, top, colors=color, linewidth=5, alpha=0.35)
            ax.plot([x], [lo], marker="^", color=color, markersize=6)
        elif hi is not None and lo is None:
            ax.vlines(x, hi / (3 if log else 2), hi, colors=color, linewidth=5, alpha=0.35)
            ax.plot([x], [hi], marker="v", color=color, markersize=6)
        else:
            ax.plot([x], [lo], marker="o", color=color, markersize=6)
    for m in series.get("months") or []:
        if m["month"] == "undated" or m["min_low"] is None or m["max_high"] is None:
            continue
        y, mo = int(m["month"][:4]), int(m["month"][5:7])
        start = date(y, mo, 1)
        end = date(y + (mo == 12), mo % 12 + 1, 1)
        ax.fill_between([mdates.date2num(start), mdates.date2num(end)], m["min_low"], m["max_high"],
                        color="#fab005" if m["conflicting"] else "#adb5bd", alpha=0.18, linewidth=0)
    if log:
        ax.set_yscale("log")
    ax.yaxis.set_major_formatter(_thousands())
    pad = max(20, span * 0.05)
    ax.set_xlim(mdates.date2num(days[0]) - pad, mdates.date2num(days[-1]) + pad + step * (max(seen.values()) - 1))
    ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(ax.xaxis.get_major_locator()))
    ax.grid(axis="y", color="#e9ecef", linewidth=0.6)
    ax.set_ylabel("people")
    # no text from the store is in the chart (see the module's docstring): it may go in a page as it is
    return Markup(_svg(fig, plt, uid))


def _thousands():
    from matplotlib.ticker import FuncFormatter

    def fmt(v, _pos):
        if v >= 1_000_000:
            return f"{v / 1_000_000:g}M"
        if v >= 10_000:
            return f"{v / 1000:g}k"
        return f"{v:,.0f}" if v >= 1 else f"{v:g}"

    return FuncFormatter(fmt)


def share_bar(parts: Sequence[tuple[str, int, str]], width: int = 420, height: int = 18) -> Markup:
    """A horizontal stacked bar (label, value, colour) as SVG, written by ``templates/share_bar.svg``."""
    total = sum(v for _, v, _ in parts) or 1
    x = 0.0
    rects = []
    for label, v, color in parts:
        w = width * v / total
        if w > 0:
            rects.append({"x": x, "w": w, "label": label, "value": v, "color": color})
        x += w
    return Markup(render("share_bar.svg", width=width, height=height, rects=rects))
