"""The annex page: an ordered list of sections between a header and a footer.

A :class:`Section` is one chapter of the annex: a heading, its HTML body (every text in it
already escaped) and the files it wrote. :func:`annex_page` lays the page out: marking, title,
period, the summary lines, every section with a non-empty body in the order given, the sources
with the Kosovo* footnote, then the sections' scripts. A section with an empty body is not
shown but its files are still written and listed (the GIS layers). :func:`files_section`
builds the closing "Files of this annex" table from the other sections.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from routes._constants import KOSOVO_FOOTNOTE
from routes.report._html import esc

__all__ = [
    "AnnexFile",
    "OutputFile",
    "Section",
    "annex_page",
    "files_section",
    "text_section",
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
class OutputFile:
    """One file a section wrote into the staging folder.

    Attributes
    ----------
    relpath
        Path inside the report folder (POSIX), e.g. ``"tables/statistics.md"``.
    path
        Where it is now (in the staging folder).
    description
        One line for the file list and the manifest.
    """

    relpath: str
    path: Path
    description: str


@dataclass(frozen=True)
class Section:
    """One chapter of the annex.

    Attributes
    ----------
    title
        Heading (plain text; escaped when the page is built).
    body
        The chapter's HTML, every text in it escaped (build it with :func:`text_section`,
        :func:`routes.report._html.table_html`, ...). It follows the heading as is: start it
        with a newline to put it on a line of its own. Empty: the section is not shown.
    files
        Files the section wrote (listed in the annex and the manifest).
    script
        HTML placed once at the end of the page, after the footnote (e.g. a loader).
    """

    title: str
    body: str = ""
    files: tuple[OutputFile, ...] = ()
    script: str = ""

    def html(self) -> str:
        """The section as it appears on the page (empty when it has no body)."""
        return f"<h2>{esc(self.title)}</h2>{self.body}" if self.body else ""


def text_section(
    title: str, paragraphs: Iterable[str], *, files: Sequence[OutputFile] = ()
) -> Section:
    """A section of prose: each paragraph is escaped into a ``<p>``.

    >>> text_section("Method", ["a < b & c"]).html()
    '<h2>Method</h2>\\n<p>a &lt; b &amp; c</p>'
    """
    paras = [f"<p>{esc(p)}</p>" for p in paragraphs]
    return Section(title, "".join("\n" + p for p in paras), files=tuple(files))


@dataclass(frozen=True)
class AnnexFile:
    """One separate file listed in the annex."""

    relpath: str
    description: str
    size: int


def _size(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f} MB"
    if n >= 1_000:
        return f"{n / 1_000:.0f} kB"
    return f"{n} B"


def files_section(files: Iterable[AnnexFile]) -> Section:
    """The closing table of every separate file: path (a link), content and size."""
    rows = [
        f'<tr><td><a href="{esc(f.relpath)}">{esc(f.relpath)}</a></td>'
        f"<td>{esc(f.description)}</td>"
        f'<td class="num">{esc(_size(f.size))}</td></tr>'
        for f in files
    ]
    body = (
        '<table class="files"><thead><tr>'
        "<th>File</th><th>Content</th><th>Size</th></tr></thead><tbody>"
        + "".join("\n" + r for r in rows)
        + "\n</tbody></table>"
    )
    return Section("Files of this annex", body)


def annex_page(
    *,
    title: str,
    subtitle: str | None,
    marking: str | None,
    summary_lines: Sequence[str],
    sections: Sequence[Section],
    sources: str,
) -> str:
    """Assemble the annex page from its sections, in the order given.

    Every piece of text passed here is escaped; the sections' bodies are HTML already.
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
    parts += [s.html() for s in sections]
    parts.append(f'<p class="footnote">Sources: {esc(sources)}<br>{esc(KOSOVO_FOOTNOTE)}</p>')
    parts += dict.fromkeys(s.script for s in sections if s.body and s.script)
    parts += ["</main>", mark_bottom, "</body></html>", ""]
    return "\n".join(p for p in parts if p)
