"""The flow diagram as hand-written SVG: arrows only where the text gives a direction.

Two parts, from the flows of ``sourcebook.ledger.flows`` summed over periods:

- **movements** (flows with a from or a to): places people came from on the left, places they went
  to on the right, one arrow per (nationality, status, from, to), its width growing with the number
  of claims, its colour the status, its label the nationality, status and range;
- **where they are**: flows without a direction, grouped by place: "held in" for detained people,
  "direction not given" for the others, one line per (nationality, status), with the destination
  they were heading for and did not reach said in words ("heading Syria, not reached"), never drawn
  as an arrow.

Labels never overlap: every text is placed by ``Placer`` from a width estimated generously from its
length (``CHAR_EM`` of its font size per character), moving down (or up) until it is free; the
drawing grows to hold them.  The SVG is written by the report's Jinja template ``templates/flows.svg``
(autoescape on): shapes and labels are data here, and every text and attribute is escaped there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Sequence

from markupsafe import Markup

from ..display import fmt_range
from .jinja import render

#: Estimated width of one character, in ems of the font size: generous for sans-serif fonts (digits
#: and capitals are about 0.65 em wide), so estimated boxes hold the real ones.
CHAR_EM = 0.68
STATUS_COLORS = {"joining": "#2b8a3e", "leaving": "#c92a2a", "returned": "#1971c2", "detained": "#862e9c"}


@dataclass(slots=True)
class Label:
    """A text of the drawing: ``y`` is its baseline, ``anchor`` the SVG text-anchor."""

    x: float
    y: float
    text: str
    size: float = 11.0
    anchor: str = "start"
    cls: str = ""
    fill: str = "#212529"

    @property
    def width(self) -> float:
        return len(self.text) * self.size * CHAR_EM

    def box(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) with room for ascenders and descenders."""
        left = {"start": self.x, "middle": self.x - self.width / 2, "end": self.x - self.width}[self.anchor]
        return left, self.y - self.size, left + self.width, self.y + self.size * 0.3


def overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass
class Placer:
    """Places labels so that no two overlap: a label that would overlap one already placed moves by
    ``step`` (down, up, further down, ...) until it is free."""

    placed: list[Label] = field(default_factory=list)

    def place(self, label: Label, step: float | None = None, both_ways: bool = True) -> Label:
        step = step or label.size * 1.35
        y0 = label.y
        for k in range(400):
            shift = (k + 1) // 2 * step * (1 if k % 2 or not both_ways else -1) if both_ways else k * step
            label.y = y0 + shift
            if label.box()[1] >= 0 and not any(overlap(label.box(), p.box()) for p in self.placed):
                break
        self.placed.append(label)
        return label

    def bottom(self) -> float:
        return max((p.box()[3] for p in self.placed), default=0.0)

    def right(self) -> float:
        return max((p.box()[2] for p in self.placed), default=0.0)


def _place_name(key: str | None, label: str | None) -> str:
    if not key or key == "?":
        return "not said"
    return f"{label} ({key})" if label and label != key else key


def _nationality(code: str) -> str:
    return "nationality not said" if code == "?" else code


def _sum(flows: Sequence[dict[str, Any]], key) -> dict[tuple, dict[str, Any]]:
    out: dict[tuple, dict[str, Any]] = {}
    for f in flows:
        e = out.setdefault(key(f), {"n": 0, "low": None, "high": None, "row": f})
        e["n"] += f["n_claims"]
        for k, src, pick in (("low", "min_low", min), ("high", "max_high", max)):
            if f.get(src) is not None:
                e[k] = f[src] if e[k] is None else pick(e[k], f[src])
    return out


def flow_svg(flows: Sequence[dict[str, Any]], width: int = 760) -> Markup:
    """The diagram of ``flows`` (rows of ``ledger.flows``) as one SVG, or a note when there are none:
    ``Markup`` made by the report's template (every text in it escaped there)."""
    if not flows:
        return Markup('<p class="muted">No flows: no figures of people joining, leaving, returned or detained '
                      'with a known nationality or place.</p>')
    placer = Placer()
    shapes: list[dict[str, Any]] = []
    top = _movements(placer, shapes, [f for f in flows if f.get("directed")], width)
    _where(placer, shapes, [f for f in flows if not f.get("directed")], top + 18)
    w = max(width, placer.right() + 12)
    h = placer.bottom() + 14
    return Markup(render("flows.svg", w=w, h=h, markers=list(STATUS_COLORS.items()), shapes=shapes,
                         labels=placer.placed))


def _movements(placer: Placer, shapes: list[dict[str, Any]], flows: Sequence[dict[str, Any]], width: int) -> float:
    """Arrows from the places people left to the places they went to; returns the bottom."""
    if not flows:
        return 0.0
    edges = _sum(flows, lambda f: (f["origin"], f["status"], f.get("from") or "?", f.get("to") or "?"))
    froms = sorted({k[2] for k in edges}, key=lambda x: (x == "?", x))
    tos = sorted({k[3] for k in edges}, key=lambda x: (x == "?", x))
    labels: dict[Any, Any] = {}
    for (_, _, fk, tk), e in edges.items():
        labels.setdefault(("from", fk), e["row"].get("from_label"))
        labels.setdefault(("to", tk), e["row"].get("to_label"))
    row, top = 40, 36
    lx, rx = 190, width - 230
    y_from = {k: top + row * i + row / 2 for i, k in enumerate(froms)}
    y_to = {k: top + row * i + row / 2 for i, k in enumerate(tos)}
    placer.place(Label(lx, 16, "from (where they left)", 11, "end", "axis", "#868e96"), both_ways=False)
    placer.place(Label(rx, 16, "to (where they went)", 11, "start", "axis", "#868e96"), both_ways=False)
    for k, y in y_from.items():
        shapes.append({"shape": "circle", "x": lx, "y": y})
        placer.place(Label(lx - 12, y + 4, _place_name(k, labels[("from", k)]), 12, "end"))
    for k, y in y_to.items():
        shapes.append({"shape": "circle", "x": rx, "y": y})
        placer.place(Label(rx + 12, y + 4, _place_name(k, labels[("to", k)]), 12, "start"))
    for (nat, status, fk, tk), e in sorted(edges.items(), key=lambda kv: (kv[0][3], -kv[1]["n"], kv[0])):
        y1, y2 = y_from[fk], y_to[tk]
        color = STATUS_COLORS.get(status, "#495057")
        rng = fmt_range(e["low"], e["high"])
        tip = f"{_nationality(nat)}, {status}: {_place_name(fk, labels[('from', fk)])} → " \
              f"{_place_name(tk, labels[('to', tk)])}, {e['n']} claim{'s' if e['n'] != 1 else ''}, {rng}"
        mx = (lx + rx) / 2
        d = f"M{lx + 8},{y1:.1f} C{mx:.1f},{y1:.1f} {mx:.1f},{y2:.1f} {rx - 9},{y2:.1f}"
        shapes.append({"shape": "arrow", "d": d,
                       "color": color, "width": 2 + 2.5 * math.log2(1 + e["n"]), "status": status, "tip": tip})
        placer.place(Label(mx, (y1 + y2) / 2 + 4, f"{_nationality(nat)} · {status} · {rng}", 11, "middle", "edge",
                           color))
    return placer.bottom()


def _where(placer: Placer, shapes: list[dict[str, Any]], flows: Sequence[dict[str, Any]], top: float) -> None:
    """Flows without a direction, by place: where detained people are held, where the others are."""
    if not flows:
        return
    groups = _sum(flows, lambda f: (f.get("where") or "?", f["origin"], f["status"], f.get("heading") or ""))
    places = sorted({k[0] for k in groups}, key=lambda x: (x == "?", x))
    placer.place(Label(20, top + 12, "no direction given: where detained people are held, and the others", 11,
                       "start", "axis", "#868e96"), both_ways=False)
    y = placer.bottom() + 20
    for place in places:
        members = sorted(((k, e) for k, e in groups.items() if k[0] == place), key=lambda kv: (-kv[1]["n"], kv[0]))
        row0 = members[0][1]["row"]
        name = _place_name(place, row0.get("where_label")) if place != "?" else "place or direction not given"
        shapes.append({"shape": "square", "x": 20, "y": y - 10})
        head = placer.place(Label(38, y, name, 12, "start"), both_ways=False)
        y = head.y + 18
        for (where, nat, status, heading), e in members:
            where = f"held in {name}" if status == "detained" and place != "?" else "direction not given"
            text = f"{_nationality(nat)} · {status} · {fmt_range(e['low'], e['high'])} · {where}"
            if heading:
                text += f" · heading {_place_name(heading, e['row'].get('heading_label'))}, not reached"
            lab = placer.place(Label(52, y, text, 11, "start", "edge", STATUS_COLORS.get(status, "#495057")),
                               both_ways=False)
            y = lab.y + 16
        y += 10
