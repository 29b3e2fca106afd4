"""The report's Jinja environment: templates in ``report/templates/``, autoescape on for every one
of them (``.html`` and ``.svg`` alike, and strings), undefined names an error.

Nothing from the store is ever marked safe: sections pass plain strings and numbers, and the
templates escape them.  The one thing passed as ``Markup`` is an SVG chart made by matplotlib
(``charts.series_chart``), which holds no text from the store (see there); the share bar and the
flow diagram are templates of their own (``share_bar.svg``, ``flows.svg``)."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..display import fmt_range

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
#: Who asserts a claim, in words.
KIND_LABEL = {"named": "named source", "anonymous": "anonymous source", "reporter": "the article itself"}


@functools.cache
def environment() -> Environment:
    """The one environment of the report (cached): autoescape always on."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES_DIR)), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.globals["fmt_range"] = fmt_range
    env.globals["KIND_LABEL"] = KIND_LABEL
    env.filters["plural"] = lambda n, word: f"{n} {word}{'' if n == 1 else 's'}"
    return env


def render(template: str, **context: Any) -> str:
    """``template`` rendered with ``context``, as a plain ``str`` (callers embed it with ``Markup``
    only in another template of this environment, where it was made)."""
    return environment().get_template(template).render(**context)
