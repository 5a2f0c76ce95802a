"""HTML of the report annex and of the embeddable map fragments (everything escaped)."""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from routes._constants import KOSOVO_FOOTNOTE

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AnnexFile",
    "annex_html",
    "figure_fragment",
    "iframe_fragment",
    "inline_svg",
    "table_html",
]

_CSS = """
:root { --mark: #b00020; --ink: #1d1d1f; --muted: #555; --line: #d8d8d8; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", Arial, Helvetica, sans-serif; color: var(--ink);
       margin: 0; line-height: 1.45; }
main { max-width: 1180px; margin: 0 auto; padding: 0 24px 32px; }
.marking { position: sticky; top: 0; z-index: 10; background: #fff; color: var(--mark);
           font-weight: bold; text-align: center; padding: 4px; border-bottom: 2px solid
           var(--mark); letter-spacing: .08em; }
.marking.bottom { position: static; border-top: 2px solid var(--mark); border-bottom: 0; }
h1 { font-size: 1.6em; margin: .8em 0 .2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid var(--line); padding-bottom: .2em;
     margin-top: 1.8em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
.subtitle { color: var(--muted); margin: 0 0 1em; }
.notes li { margin: .2em 0; }
figure { margin: 1em 0; }
figure svg { width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .9em; }
iframe.map { width: 100%; height: 640px; border: 1px solid var(--line); }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: .88em; }
th, td { border: 1px solid var(--line); padding: 3px 8px; }
th { background: #f2f2f2; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.footnote { font-size: .85em; color: var(--muted); border-top: 1px solid var(--line);
            margin-top: 2em; padding-top: .6em; }
.files td:first-child { font-family: monospace; }
@media print { .marking { position: static; } iframe.map { display: none; } }
"""


@dataclass(frozen=True)
class AnnexFile:
    """One separate file listed in the annex."""

    relpath: str
    description: str
    size: int


def esc(text: object) -> str:
    """Escape any value for HTML text and attribute context."""
    return html.escape("" if text is None else str(text), quote=True)


# columns of labels that look like numbers (never "2,019")
_LABEL_COLUMNS = frozenset({"year"})


def _cell(value: object, *, label: bool = False) -> tuple[str, bool]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "", False
    if isinstance(value, bool):
        return esc(value), False
    if isinstance(value, int):
        return esc(value if label else f"{value:,}"), True
    if isinstance(value, float):
        if label:
            return esc(f"{value:.1f}" if not value.is_integer() else f"{int(value)}"), True
        return esc(f"{value:,.1f}" if not value.is_integer() else f"{int(value):,}"), True
    text = str(value)
    if text.startswith("<") and text[1:].isdigit():
        return esc(text), True
    return esc(text.replace("_", " ")), False


def table_html(table: pd.DataFrame, *, headers: Mapping[str, str] | None = None) -> str:
    """An escaped HTML table (no index); ``headers`` renames columns for display."""
    heads = headers or {}
    cols = list(table.columns)
    out = ["<table>", "<thead><tr>"]
    out += [f"<th>{esc(heads.get(str(c), str(c).replace('_', ' ')))}</th>" for c in cols]
    out.append("</tr></thead><tbody>")
    labels = [str(c) in _LABEL_COLUMNS for c in cols]
    for rec in table.itertuples(index=False):
        out.append("<tr>")
        for v, label in zip(rec, labels, strict=True):
            text, num = _cell(v, label=label)
            out.append(f'<td class="num">{text}</td>' if num else f"<td>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


_SVG_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.S)


def inline_svg(svg_text: str, *, label: str) -> str:
    """An SVG document as inline ``<svg>`` (prolog and DOCTYPE removed, labelled)."""
    body = _SVG_PROLOG.sub("", svg_text, count=1)
    return body.replace("<svg ", f'<svg role="img" aria-label="{esc(label)}" ', 1)


#: Loads deferred map frames once the annex is laid out: a map started in a frame that has no
#: size yet (while the long annex is still being parsed) cannot fit its bounds.
_DEFERRED_LOADER = (
    "<script>window.addEventListener('load',function(){"
    "document.querySelectorAll('iframe[data-srcdoc]').forEach(function(f){"
    "f.srcdoc=f.getAttribute('data-srcdoc');f.removeAttribute('data-srcdoc');});});</script>"
)


def iframe_fragment(
    page_html: str, *, title: str, height_px: int = 640, deferred: bool = False
) -> str:
    """An iframe-ready fragment embedding a whole HTML page via ``srcdoc`` (escaped).

    The page runs sandboxed (scripts allowed, no same-origin access, no top navigation), so it
    can be pasted into any HTML document or intranet page and still works offline. With
    ``deferred`` the page is held in ``data-srcdoc`` and loaded by the annex's loader script
    after layout.
    """
    attr = "data-srcdoc" if deferred else "srcdoc"
    return (
        f'<iframe class="map" title="{esc(title)}" {attr}="{esc(page_html)}" '
        f'sandbox="allow-scripts" referrerpolicy="no-referrer" loading="eager" '
        f'style="width:100%;height:{int(height_px)}px;border:1px solid #d8d8d8"></iframe>\n'
    )


def figure_fragment(png: bytes, *, alt: str, caption: str) -> str:
    """A self-contained ``<figure>`` with the PNG as a data URI."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}" '
        f'style="max-width:100%;height:auto">'
        f"<figcaption>{esc(caption)}</figcaption></figure>\n"
    )


def annex_html(
    *,
    title: str,
    subtitle: str | None,
    marking: str | None,
    summary_lines: Sequence[str],
    notes: Sequence[str],
    map_iframe: str | None,
    figures: Sequence[tuple[str, str, str]],
    tables: Sequence[tuple[str, str]],
    files: Sequence[AnnexFile],
    sources: str,
) -> str:
    """Assemble the annex page.

    ``figures`` are ``(heading, inline_svg_html, caption)``; ``tables`` are
    ``(heading, table_html)``. Every piece of text passed here is escaped, except the
    already-built HTML of figures, tables and the map iframe.
    """
    mark = f'<div class="marking" role="note">{esc(marking)}</div>' if marking else ""
    mark_bottom = f'<div class="marking bottom" role="note">{esc(marking)}</div>' if marking else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        # Offline page: forbid every network fetch except inline content and data: URIs.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; frame-src 'self' about: data:; "
        "script-src 'unsafe-inline'; font-src data:\">",
        f"<title>{esc(title)}</title>",
        f"<style>{_CSS}</style></head><body>",
        mark,
        "<main>",
        f"<h1>{esc(title)}</h1>",
    ]
    if subtitle:
        parts.append(f'<p class="subtitle">{esc(subtitle)}</p>')
    if summary_lines:
        parts.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in summary_lines) + "</ul>")
    if notes:
        parts.append('<h2>Notes</h2><ul class="notes">')
        parts += [f"<li>{esc(n)}</li>" for n in notes]
        parts.append("</ul>")
    if map_iframe:
        parts.append("<h2>Interactive route map</h2>")
        parts.append(map_iframe)
        parts.append(
            '<p class="subtitle">Works offline; also as a separate file (maps/route_map.html).</p>'
        )
    if figures:
        parts.append("<h2>Figures</h2>")
        for heading, svg, caption in figures:
            parts.append(f"<h3>{esc(heading)}</h3><figure>{svg}")
            parts.append(f"<figcaption>{esc(caption)}</figcaption></figure>")
    if tables:
        parts.append("<h2>Tables</h2>")
        for heading, table in tables:
            parts.append(f"<h3>{esc(heading)}</h3>{table}")
    if files:
        parts.append(
            '<h2>Files of this annex</h2><table class="files"><thead><tr>'
            "<th>File</th><th>Content</th><th>Size</th></tr></thead><tbody>"
        )
        for f in files:
            parts.append(
                f'<tr><td><a href="{esc(f.relpath)}">{esc(f.relpath)}</a></td>'
                f"<td>{esc(f.description)}</td>"
                f'<td class="num">{esc(_size(f.size))}</td></tr>'
            )
        parts.append("</tbody></table>")
    parts.append(f'<p class="footnote">Sources: {esc(sources)}<br>{esc(KOSOVO_FOOTNOTE)}</p>')
    if map_iframe:
        parts.append(_DEFERRED_LOADER)
    parts += ["</main>", mark_bottom, "</body></html>", ""]
    return "\n".join(p for p in parts if p)


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} kB"
    return f"{n} B"
