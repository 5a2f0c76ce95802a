"""MkDocs hook: the tables the code defines are rendered from the code at build time.

A page writes ``<!-- generated: NAME -->`` on a line of its own and the build puts the table of
``GENERATORS[NAME]`` there, so the schema, vocabularies, synonyms, rejection reasons, the
questionnaire's format and indicators, the cost profiles and the method notes of inferred
legs and country waypoints are never kept by hand. An unknown
name fails the build. ``tests/base/test_docs.py`` checks that the pages carry the markers.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

__all__ = ["GENERATORS", "on_page_markdown", "profiles_markdown", "render"]

MARKER = re.compile(r"^<!-- generated: ([a-z_]+) -->$", re.MULTILINE)


def _penalty(value: float, *, seconds: bool) -> str:
    if value == 0:
        return "none"
    if not seconds:
        return f"+ {value:g} m"
    if value >= 3600 and value % 3600 == 0:
        return f"+ {value / 3600:g} h"
    return f"+ {value:g} s ({value / 60:g} min)"


def profiles_markdown() -> str:
    """The built-in cost profiles (``routes.PROFILES``) as a Markdown table."""
    import routes

    def factor(value: float) -> str:
        return "closed" if math.isinf(value) else f"× {value:g}"

    lines = [
        "| profile | unit | per official crossing (BCP, port, airport) | green-border edges "
        "| motorways | modes |",
        "|---|---|---|---|---|---|",
    ]
    for name, p in routes.PROFILES.items():
        unit = "seconds" if p.base == "travel_time_s" else "metres"
        penalty = _penalty(p.crossing_penalty, seconds=p.base == "travel_time_s")
        modes = ", ".join(f"{m} {factor(v)}" for m, v in dict(p.mode_factors).items()) or "all open"
        default = " (default)" if name == "least_time" else ""
        lines.append(
            f"| `{name}`{default} | {unit} | {penalty} | {factor(p.green_border_factor)} "
            f"| {factor(p.motorway_factor)} | {modes} |"
        )
    return "\n".join(lines) + "\n"


def _text_block(name: str) -> Callable[[], str]:
    def call() -> str:
        import routes

        return "```text\n" + str(getattr(routes, name)).strip("\n") + "\n```\n"

    return call


def _routes_function(name: str) -> Callable[[], str]:
    def call() -> str:
        import routes

        return str(getattr(routes, name)())

    return call


#: Marker name -> function returning the Markdown put in its place.
GENERATORS: dict[str, Callable[[], str]] = {
    "schema_markdown": _routes_function("schema_markdown"),
    "synonyms_markdown": _routes_function("synonyms_markdown"),
    "questionnaire_markdown": _routes_function("questionnaire_markdown"),
    "profiles_markdown": profiles_markdown,
    "inference_doc": _text_block("INFERENCE_DOC"),
    "country_rules_doc": _text_block("COUNTRY_RULES_DOC"),
}


def render(markdown: str) -> str:
    """Replace every ``<!-- generated: NAME -->`` line of a page by the table of NAME."""

    def table(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in GENERATORS:
            raise ValueError(f"unknown generated block {name!r}; use one of {sorted(GENERATORS)}")
        return GENERATORS[name]().rstrip("\n")

    return MARKER.sub(table, markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """MkDocs event: render the generated blocks of a page."""
    return render(markdown)
