"""The choropleth of the six jurisdictions, tiers 1 and 2: object state and rendered HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import routes
from routes.maps import CHOROPLETH_COLOURS, choropleth_map

HOSTILE = '</title><script>window.__pwned=1</script>"><img src=x onerror=alert(1)>'


def values() -> pd.DataFrame:
    """Hand-picked values: classes 2-4-6-8-10 (4 classes), ME suppressed, MK missing."""
    return pd.DataFrame(
        {
            "jurisdiction": ["AL", "BA", "XK", "RS", "ME"],
            "value": [6.0, 2.0, 4.0, 10.0, None],
            "label": [None, None, None, None, "<5"],
        }
    )


def build(**kwargs: object) -> object:
    options: dict = {"title": "Seized weapons per 100,000", "unit": "per 100,000", "classes": 4}
    options.update(kwargs)
    return choropleth_map(values(), **options)


def test_object_state_classes_fills_texts() -> None:
    m = build()
    state = m.choropleth  # type: ignore[attr-defined]
    assert state["breaks"] == [2.0, 4.0, 6.0, 8.0, 10.0]
    c = CHOROPLETH_COLOURS[1:]
    assert state["fills"] == {
        "AL": c[2],
        "BA": c[0],
        "XK": c[1],
        "ME": "#d9d9d9",
        "MK": "#ffffff",
        "RS": c[3],
    }
    assert state["texts"] == {
        "AL": "6",
        "BA": "2",
        "XK": "4",
        "ME": "<5",
        "MK": "no data",
        "RS": "10",
    }
    data = next(ch for ch in m._children.values() if type(ch).__name__ == "ChoroplethData")
    meta = data.meta
    names = {x["code"]: x["name"] for x in meta["countries"] if x["focus"]}
    assert names["XK"] == "Kosovo*"
    assert len(meta["countries"]) == 15
    assert meta["footnote"] == routes.KOSOVO_FOOTNOTE
    assert [row[1] for row in meta["legend"]] == [
        "2 – 4",
        "4 – 6",
        "6 – 8",
        "8 – 10",
        "suppressed (small count)",
        "no data",
    ]


def test_bad_input_listed_together() -> None:
    bad = pd.DataFrame({"jurisdiction": ["DE", "AL", "AL"], "value": [1, 2, 3]})
    with pytest.raises(routes.ValidationError, match=r"4 problem\(s\)") as err:
        choropleth_map(bad, title=3, classes=9)  # type: ignore[arg-type]
    text = str(err.value)
    assert "DE are not among the six" in text
    assert "appears twice" in text
    assert "title must be a string, instead got 3 of type int" in text
    assert "classes must be a whole number from 1 to 5" in text
    with pytest.raises(routes.ValidationError, match="values must be a DataFrame"):
        choropleth_map([1, 2], title="x")  # type: ignore[arg-type]


def test_one_value_and_all_equal() -> None:
    m = choropleth_map(pd.DataFrame({"jurisdiction": ["ME"], "value": [3.5]}), title="t")
    assert m.choropleth["fills"]["ME"] == CHOROPLETH_COLOURS[-1]  # type: ignore[attr-defined]
    assert m.choropleth["texts"]["ME"] == "3.5"  # type: ignore[attr-defined]


def test_rendered_html_offline_footnote_marking(tmp_path: Path) -> None:
    path = routes.save_map(build(marking="RESTRICTED", source="q.xlsx"), tmp_path / "c.html")
    html = path.read_text(encoding="utf-8")
    assert "<link" not in html
    assert not re.search(r"""src\s*=\s*["']?(https?:)?//""", html)
    links = set(re.findall(r"""href\s*=\s*["']?(https?://[^"' >]+)""", html))
    assert links <= {"https://leafletjs.com"}, links
    assert "@import" not in html
    assert "Leaflet 1.9.3" in html
    assert routes.KOSOVO_FOOTNOTE in html
    assert '"Kosovo*"' in html
    assert '"RESTRICTED"' in html
    assert "<title>RESTRICTED – Seized weapons per 100,000</title>" in html
    assert html.count("SALWQ.choropleth(") == 1
    from routes.maps import choropleth as module

    runtime = module._JS
    assert runtime in html  # inlined once, in the head
    assert "innerHTML" not in runtime  # text from data only through textContent
    a = routes.save_map(build(marking="RESTRICTED", source="q.xlsx"), tmp_path / "d.html")
    assert a.read_bytes() == path.read_bytes()  # the same inputs, the same bytes


def test_template_syntax_in_text_stays_as_written(tmp_path: Path) -> None:
    m = build(title="T{{ 7*7 }}", subtitle="{% if 1 %}SUBT{% endif %}", source="s{{ 1+1 }}")
    html = routes.save_map(m, tmp_path / "t.html").read_text(encoding="utf-8")
    for kept in ("T{{ 7*7 }}", "{% if 1 %}SUBT{% endif %}", "s{{ 1+1 }}"):
        assert kept in html, kept
    for evaluated in ("T49", 'SUBT"', '"s2"'):
        assert evaluated not in html, evaluated


def test_hostile_text_is_escaped(tmp_path: Path) -> None:
    m = build(title=HOSTILE, subtitle="<b>sub</b>", marking="<i>M</i>", source="<u>s</u>")
    html = routes.save_map(m, tmp_path / "h.html").read_text(encoding="utf-8")
    for bad in (
        "<script>window.__pwned",
        "<img src=x",
        "<b>sub",
        "<i>M",
        "<u>s",
        "</title><script",
    ):
        assert bad not in html, bad
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in html
    assert "&lt;/title&gt;&lt;script&gt;" in html
