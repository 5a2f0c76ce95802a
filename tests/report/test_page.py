"""The annex page is an ordered list of sections: escaped titles and text, files listed."""

from __future__ import annotations

from pathlib import Path

import pytest

import routes
from routes.report._output import annex_files, manifest_file, ordered_files
from routes.report._page import (
    OutputFile,
    Section,
    annex_page,
    files_section,
    text_section,
)

EVIL = "<script>alert('x')</script> & \"q\""


def _page(sections: list[Section], **kw: object) -> str:
    args: dict[str, object] = {
        "title": "Annex",
        "subtitle": None,
        "marking": None,
        "summary_lines": [],
        "sections": sections,
        "sources": "Sources.",
    }
    args.update(kw)
    return annex_page(**args)  # type: ignore[arg-type]


def test_a_sections_text_is_escaped() -> None:
    section = text_section(EVIL, [EVIL, "second"])
    page = _page([section], title=EVIL, marking=EVIL, summary_lines=[EVIL], subtitle=EVIL)
    assert "<script>" not in page
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"
    assert f"<h2>{escaped}</h2>" in page
    assert f"<p>{escaped}</p>\n<p>second</p>" in page
    assert f"<title>{escaped}</title>" in page
    assert page.count(f'role="note">{escaped}</div>') == 2  # the marking, top and bottom
    assert routes.KOSOVO_FOOTNOTE in page


def test_a_body_is_html_and_kept_as_it_is() -> None:
    section = Section("Table", "<table><tr><td>1</td></tr></table>")
    assert section.html() == "<h2>Table</h2><table><tr><td>1</td></tr></table>"
    assert section.html() in _page([section])


def test_sections_keep_their_order_and_empty_ones_are_not_shown() -> None:
    sections = [
        text_section("Zulu", ["z"]),
        Section("Hidden", files=()),
        text_section("Alpha", ["a"]),
        text_section("Mike", ["m"]),
    ]
    page = _page(sections)
    heads = [page.index(f"<h2>{t}</h2>") for t in ("Zulu", "Alpha", "Mike")]
    assert heads == sorted(heads)
    assert "Hidden" not in page
    assert page.index("<h2>Mike</h2>") < page.index('class="footnote"')


def test_a_script_comes_once_after_the_footnote() -> None:
    script = "<script>window.loaded=1;</script>"
    sections = [
        Section("A", "\n<p>a</p>", script=script),
        Section("B", "\n<p>b</p>", script=script),
        Section("C", script="<script>never()</script>"),  # not shown: its script neither
    ]
    page = _page(sections)
    assert page.count(script) == 1
    assert page.index('class="footnote"') < page.index(script) < page.index("</main>")
    assert "never()" not in page
    assert "<script>" not in _page([text_section("A", ["a"])])


def test_files_are_listed_by_path_and_grouped_in_the_manifest(tmp_path: Path) -> None:
    def out(rel: str, text: str = "x") -> OutputFile:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return OutputFile(rel, path, f"about {rel} {EVIL}")

    sections = [
        Section("Map", "\n<p>m</p>", files=(out("maps/route_map.html"),)),
        Section("Extra", "\n<p>e</p>", files=(out("questionnaire/answers.csv"),)),
        Section("Figures", "\n<p>f</p>", files=(out("figures/b.png"), out("figures/a.png"))),
        Section("GIS", files=(out("gis/layers.gpkg", "y" * 2000),)),
    ]
    files = ordered_files(sections)
    assert [f.relpath for f in files] == [
        "figures/b.png",
        "figures/a.png",
        "gis/layers.gpkg",
        "maps/route_map.html",
        "questionnaire/answers.csv",
    ]
    listed = annex_files(files)
    assert [a.relpath for a in listed] == [
        "figures/a.png",
        "figures/b.png",
        "gis/layers.gpkg",
        "maps/route_map.html",
        "questionnaire/answers.csv",
        "manifest.json",
    ]
    table = files_section(listed).html()
    assert table.startswith('<h2>Files of this annex</h2><table class="files">')
    assert '<a href="gis/layers.gpkg">gis/layers.gpkg</a>' in table
    assert '<td class="num">2 kB</td>' in table
    assert '<td class="num">1 B</td>' in table
    assert "<script>" not in table
    manifest = manifest_file(tmp_path, files, {"title": "T"})
    text = manifest.path.read_text(encoding="utf-8")
    assert text.index('"title"') < text.index("figures/b.png") < text.index("figures/a.png")
    with pytest.raises(ValueError, match=r"two annex sections wrote 'figures/a\.png'"):
        ordered_files([*sections, Section("Again", files=(out("figures/a.png"),))])
