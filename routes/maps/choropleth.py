"""An offline choropleth of the six jurisdictions: one value each, shaded by class.

:func:`choropleth_map` returns a folium ``Map`` in the conventions of the route map: the page
inlines every script and style (no request at all), the Natural Earth outlines are the basemap,
Kosovo is labelled "Kosovo*" and the footnote is always on the map, the title, legend, source
and an optional marking banner are drawn as text nodes (never parsed as HTML). Save it with
:func:`routes.save_map`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from folium.template import Template

from routes._constants import KOSOVO_FOOTNOTE, WESTERN_BALKANS, display_name
from routes._errors import Problem, ValidationError
from routes.maps._elements import LiteralParts, RouteMap, stabilise_ids
from routes.maps._pack import safe_json

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

__all__ = ["CHOROPLETH_COLOURS", "choropleth_map"]

#: Fill colours of the classes, light to dark (ColorBrewer "Reds", 5 classes).
CHOROPLETH_COLOURS: tuple[str, ...] = ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
_NO_DATA = "#ffffff"
_HIDDEN = "#d9d9d9"
_CONTEXT = "#ecebe6"

# The page's runtime: every text goes through textContent; the data block is JSON.
_JS = r"""
(function () {
  "use strict";
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function box(map, position, build) {
    var C = L.Control.extend({ onAdd: function () {
      var div = el("div", "salw-box leaflet-bar");
      L.DomEvent.disableClickPropagation(div);
      build(div);
      return div;
    } });
    return new C({ position: position }).addTo(map);
  }
  window.SALWQ = window.SALWQ || {};
  window.SALWQ.choropleth = function (map, dataId) {
    var m = JSON.parse(document.getElementById(dataId).textContent);
    var state = { polygons: 0, labels: 0, fills: {} };
    var renderer = L.canvas({ padding: 0.5 });
    m.countries.forEach(function (c) {
      var poly = L.polygon(c.rings, {
        renderer: renderer, color: c.focus ? "#555" : "#9a9a9a", weight: c.focus ? 1.2 : 0.7,
        fillColor: c.fill, fillOpacity: 1, interactive: !!c.focus
      }).addTo(map);
      state.polygons += 1;
      if (c.focus) {
        state.fills[c.code] = c.fill;
        poly.bindTooltip(function () {
          var d = el("div", "salw-pop");
          d.appendChild(el("div", "salw-pop-title", c.name));
          d.appendChild(el("div", null, c.text + (c.value === null ? "" : " " + m.unit)));
          (c.details || []).forEach(function (kv) {
            d.appendChild(el("div", "salw-muted", kv[0] + ": " + kv[1]));
          });
          return d;
        }, { sticky: true, className: "salw-tip" });
      }
      if (c.label) {
        var div = el("div", "salw-country salw-choro-label" + (c.focus ? " salw-focus" : ""));
        div.appendChild(el("div", null, c.name));
        if (c.focus) div.appendChild(el("div", "salw-choro-value", c.text));
        L.marker(c.label, { icon: L.divIcon({ className: "salw-label-icon", html: div,
          iconSize: null }), interactive: false, keyboard: false }).addTo(map);
        state.labels += 1;
      }
    });
    box(map, "topleft", function (div) {
      div.classList.add("salw-title");
      div.appendChild(el("div", "salw-title-main", m.title));
      if (m.subtitle) div.appendChild(el("div", "salw-muted", m.subtitle));
      if (m.source) div.appendChild(el("div", "salw-muted", "Data: " + m.source));
    });
    box(map, "bottomright", function (div) {
      div.classList.add("salw-legend");
      div.appendChild(el("div", "salw-pop-h", m.legend_title));
      m.legend.forEach(function (row) {
        var r = div.appendChild(el("div", "salw-legend-row"));
        var sw = r.appendChild(el("span", "salw-dot"));
        sw.style.cssText = "border-radius:2px;border:1px solid #777;width:16px;height:12px;" +
          "background:" + row[0];
        r.appendChild(el("span", null, row[1]));
      });
    });
    L.control.scale({ imperial: false, maxWidth: 160, position: "bottomleft" }).addTo(map);
    box(map, "bottomleft", function (div) {
      div.classList.add("salw-footnote");
      div.appendChild(el("div", null, m.footnote));
    });
    if (m.marking) {
      map.getContainer().classList.add("salw-marked");
      ["top", "bottom"].forEach(function (pos) {
        map.getContainer().appendChild(el("div", "salw-marking salw-marking-" + pos, m.marking));
      });
    }
    map.fitBounds(m.bounds);
    state.ready = true;
    window.salwChoropleth = state;
    return state;
  };
})();
"""

_CSS = (
    ".salw-choro-label { text-align: center; }\n"
    ".salw-choro-value { font-size: 12px; font-weight: 700; color: #111; letter-spacing: 0; }"
)


class ChoroplethData(LiteralParts):
    """The choropleth's data block and its runtime (inline, no external file)."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>{{ this.css }}</style>
        <script>{{ this.js }}</script>
        {% endmacro %}
        {% macro html(this, kwargs) %}
        <script type="application/json" id={{ this.dom_id|tojson }}>{{ this.payload }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = SALWQ.choropleth(
            {{ this._parent.get_name() }}, {{ this.dom_id|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, meta: dict[str, Any]) -> None:
        super().__init__()
        self._name = "SalwChoropleth"
        self.meta = meta
        self.js = _JS
        self.css = _CSS

    @property
    def dom_id(self) -> str:
        """The DOM id of the JSON block."""
        return "salw-choropleth-" + self._id

    @property
    def payload(self) -> str:
        """The data as HTML-safe JSON text."""
        return safe_json(self.meta)


def _round_break(value: float) -> float:
    if value <= 0:
        return 0.0
    digits = 1 - math.floor(math.log10(value))
    return round(value, max(digits, 0))


def _classes(values: list[float], n: int) -> list[float]:
    """Class limits ``[lo, ..., hi]``: equal steps between the smallest and largest value."""
    lo, hi = min(values), max(values)
    if hi <= lo:
        return [lo, hi]
    k = max(1, min(n, len(set(values))))
    inner = sorted({_round_break(lo + (hi - lo) * i / k) for i in range(1, k)} - {lo, hi})
    return [lo, *[b for b in inner if lo < b < hi], hi]


def _fmt(value: float) -> str:
    if value >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:,.1f}"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _check(values: Any, title: Any, marking: Any, classes: Any) -> list[Problem]:
    import pandas as pd

    problems = []
    if not isinstance(values, pd.DataFrame) or not {"jurisdiction", "value"} <= set(values.columns):
        problems.append(
            Problem(
                "values must be a DataFrame with the columns jurisdiction and value (and "
                f"optionally label, detail), instead got {type(values).__name__}",
                reason="invalid_input",
            )
        )
    else:
        bad = [c for c in values["jurisdiction"] if c not in WESTERN_BALKANS]
        if bad:
            problems.append(
                Problem(
                    f"jurisdiction(s) {', '.join(map(str, bad))} are not among the six; use "
                    + ", ".join(WESTERN_BALKANS),
                    value=bad,
                    reason="invalid_input",
                )
            )
        if values["jurisdiction"].duplicated().any():
            problems.append(
                Problem("a jurisdiction appears twice; give one value each", reason="invalid_input")
            )
    for label, text in (("title", title), ("marking", marking)):
        if text is not None and not isinstance(text, str):
            problems.append(
                Problem(
                    f"{label} must be a string, instead got {text!r} of type {type(text).__name__}",
                    value=text,
                    reason="invalid_option",
                )
            )
    if not isinstance(classes, int) or isinstance(classes, bool) or not 1 <= classes <= 5:
        problems.append(
            Problem(
                f"classes must be a whole number from 1 to 5, instead got {classes!r}",
                value=classes,
                reason="invalid_option",
            )
        )
    return problems


def _countries(
    borders: gpd.GeoDataFrame,
    fill_text: Any,
    details: Mapping[str, list[tuple[str, str]]],
    decimals: int,
) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, str]]:
    """The outlines as JSON-ready rings with label points; the six with fill and text."""
    from shapely.ops import polylabel

    countries = []
    fills: dict[str, str] = {}
    texts: dict[str, str] = {}
    bd = borders.to_crs("EPSG:4326") if borders.crs is not None else borders
    for rec in bd.to_dict("records"):
        code = str(rec.get("jurisdiction") or "")
        focus = code in WESTERN_BALKANS
        geom = rec["geometry"].simplify(0.003 if focus else 0.01, preserve_topology=True)
        parts = list(getattr(geom, "geoms", [geom]))
        rings = [
            [[round(y, decimals), round(x, decimals)] for x, y in ring.coords]
            for p in parts
            for ring in [p.exterior, *p.interiors]
        ]
        biggest = max(parts, key=lambda p: p.area)
        lp = polylabel(biggest, tolerance=0.01)
        entry: dict[str, Any] = {
            "code": code,
            "name": display_name(code) if focus else str(rec.get("name") or code),
            "focus": focus,
            "rings": rings,
            "label": [round(lp.y, decimals), round(lp.x, decimals)],
            "fill": _CONTEXT,
        }
        if focus:
            fill, text, value = fill_text(code)
            entry.update(fill=fill, text=text, value=value, details=list(details.get(code, [])))
            fills[code], texts[code] = fill, text
        countries.append(entry)
    return countries, fills, texts


def choropleth_map(
    values: pd.DataFrame,
    *,
    title: str,
    subtitle: str | None = None,
    unit: str = "",
    legend_title: str | None = None,
    source: str | None = None,
    marking: str | None = None,
    borders: gpd.GeoDataFrame | None = None,
    classes: int = 5,
    details: Mapping[str, list[tuple[str, str]]] | None = None,
    height: str = "100%",
    decimals: int = 4,
) -> folium.Map:
    """Shade the six jurisdictions by one value each, on one offline map.

    Parameters
    ----------
    values
        ``jurisdiction`` (ISO code, XK for Kosovo*) and ``value``; an optional ``label`` column
        replaces the shown number (e.g. ``"<5"`` for a suppressed count: the jurisdiction is
        then drawn grey as *suppressed*). Jurisdictions without a row are drawn as *no data*.
    title, subtitle, source
        Shown in the title panel, as text.
    unit
        Shown after each value in the tooltip (e.g. ``"per 100,000 inhabitants"``).
    legend_title
        Heading of the legend (default: ``unit`` or "Value").
    marking
        A handling marking, shown as a banner at the top and bottom.
    borders
        Country outlines (default :func:`routes.load_borders`); the six are shaded, the
        neighbours drawn as context.
    classes
        Number of colour classes (1-5; equal steps between the smallest and largest value).
    details
        Per jurisdiction, extra ``(label, text)`` lines for the tooltip.
    height
        CSS height of the map.
    decimals
        Decimals of the coordinates written (4: about 10 m; sharing-safe outputs use 3).

    Returns
    -------
    folium.Map
        Its ``choropleth`` attribute holds what was drawn: ``breaks``, ``fills`` (code ->
        colour) and ``texts`` (code -> value text).

    Raises
    ------
    routes.ValidationError
        Bad values or options, every problem listed.

    Examples
    --------
    >>> import pandas as pd
    >>> m = choropleth_map(pd.DataFrame({"jurisdiction": ["AL", "RS"], "value": [4.2, 1.5]}),
    ...                    title="Seized weapons")
    >>> m.choropleth["texts"]["AL"], m.choropleth["fills"]["ME"]
    ('4.2', '#ffffff')
    """
    problems = _check(values, title, marking, classes)
    if problems:
        raise ValidationError(problems)
    if borders is None:
        from routes.geo import load_borders

        borders = load_borders()
    rows = {str(r["jurisdiction"]): r for r in values.to_dict("records")}
    shown = [
        float(r["value"])
        for r in rows.values()
        if r.get("value") is not None
        and r["value"] == r["value"]
        and not (isinstance(r.get("label"), str) and r["label"])
    ]
    breaks = _classes(shown, classes) if shown else []
    n_class = max(len(breaks) - 1, 1)
    colours = CHOROPLETH_COLOURS[-n_class:] if n_class < 5 else CHOROPLETH_COLOURS

    def fill_text(code: str) -> tuple[str, str, float | None]:
        rec = rows.get(code)
        if rec is None or rec.get("value") is None or rec["value"] != rec["value"]:
            label = rec.get("label") if rec is not None else None
            return (_HIDDEN, str(label), None) if label else (_NO_DATA, "no data", None)
        if isinstance(rec.get("label"), str) and rec["label"]:
            return _HIDDEN, rec["label"], None
        v = float(rec["value"])
        idx = 0
        for i in range(1, len(breaks) - 1):
            if v >= breaks[i]:
                idx = i
        return colours[min(idx, len(colours) - 1)], _fmt(v), v

    countries, fills, texts = _countries(borders, fill_text, details or {}, decimals)
    for code in WESTERN_BALKANS:  # outlines missing from ``borders``: still accounted for
        if code not in fills:
            fills[code], texts[code] = fill_text(code)[:2]
    legend = [
        [colours[i], f"{_fmt(breaks[i])} – {_fmt(breaks[i + 1])}"] for i in range(len(breaks) - 1)
    ]
    if len(breaks) == 2 and breaks[0] == breaks[1]:
        legend = [[colours[-1], _fmt(breaks[0])]]
    if any(f == _HIDDEN for f in fills.values()):
        legend.append([_HIDDEN, "suppressed (small count)"])
    if any(f == _NO_DATA for f in fills.values()):
        legend.append([_NO_DATA, "no data"])
    meta = {
        "title": title,
        "subtitle": subtitle,
        "source": source,
        "unit": unit,
        "legend_title": legend_title or unit or "Value",
        "legend": legend,
        "footnote": KOSOVO_FOOTNOTE,
        "marking": marking,
        "countries": countries,
        "bounds": [[39.6, 18.4], [46.2, 23.1]],
    }
    m = RouteMap(
        assets=["leaflet.css", "salw_map.css", "leaflet.js"],
        page_title=f"{marking} – {title}" if marking else title,
        location=[42.5, 20.5],
        zoom_start=7,
        tiles=None,
        control_scale=False,
        prefer_canvas=True,
        height=height,
        min_zoom=5,
        max_zoom=12,
    )
    m.add_child(ChoroplethData(meta))
    m.choropleth = {"breaks": breaks, "fills": fills, "texts": texts}  # type: ignore[attr-defined]
    stabilise_ids(m.get_root())
    return m
