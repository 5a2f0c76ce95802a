"""HTML pieces of the annex and the embeddable fragments: tables, figures, map frames (escaped)."""

from __future__ import annotations

import base64
import html
import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "DEFERRED_LOADER",
    "esc",
    "figure_fragment",
    "iframe_fragment",
    "inline_svg",
    "table_html",
]


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
DEFERRED_LOADER = (
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
