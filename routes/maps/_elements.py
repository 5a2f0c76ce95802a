"""Folium elements of the offline route map, in folium's own shape.

Each element is a small :class:`~branca.element.MacroElement` whose template only serialises
options with ``tojson``; the drawing lives in ``routes/_assets/salw_map.js``.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.map import Layer
from folium.template import Template

from routes.maps._inline import script_tag, style_tag
from routes.maps._pack import safe_json

__all__ = [
    "LiteralElement",
    "LiteralParts",
    "LiteralTileLayer",
    "MapData",
    "RouteMap",
    "SalwControl",
    "SalwLayer",
    "iter_elements",
    "stabilise_ids",
]


class RouteMap(folium.Map):
    """A :class:`folium.Map` that inlines its own assets instead of linking folium's CDN ones.

    Parameters
    ----------
    assets
        File names in ``routes/_assets`` to inline into the page head, in order.
    **kwargs
        Passed to :class:`folium.Map`.
    """

    default_js: list[tuple[str, str]] = []  # noqa: RUF012 - replaces folium's CDN list
    default_css: list[tuple[str, str]] = []  # noqa: RUF012

    def __init__(self, *, assets: list[str], page_title: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._name = "Map"
        self.assets = list(assets)
        self.page_title = page_title

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        if isinstance(figure, Figure):
            if self.page_title:
                figure.title = html.escape(self.page_title, quote=True)
            for name in self.assets:
                tag = style_tag(name) if name.endswith(".css") else script_tag(name)
                key = "salw_asset_" + name.replace(".", "_")
                figure.header.add_child(LiteralElement(tag), name=key)
        super().render(**kwargs)


class LiteralElement(Element):
    """Text put into the page as it is: an inlined asset, or a rendered part of an element.

    A plain :class:`~branca.element.Element` compiles its text as a Jinja template, and
    branca's :meth:`~branca.element.MacroElement.render` wraps every rendered part of an
    element (its ``header``, ``html`` and ``script`` macros, data included) in one. That would
    *execute* a ``{{ ... }}`` or ``{% ... %}`` written in a record (an incident id
    ``A{{7*7}}B`` came out as ``A49B``: template injection), and lexing the data block and
    Leaflet costs most of a second on a map of 10⁵ incidents. This element is never a
    template: :meth:`render` returns its text unchanged.

    Parameters
    ----------
    text
        The finished HTML or JavaScript (see :func:`routes.maps._inline.script_tag`).
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "LiteralElement"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text itself."""
        return self.text


class LiteralParts(MacroElement):
    """A :class:`~branca.element.MacroElement` whose rendered parts are not compiled again.

    Renders like branca's ``MacroElement`` (each of the ``header``, ``html`` and ``script``
    macros of its template into that part of the page, then its children), but each rendered
    part goes into the page as a :class:`LiteralElement`: what a macro wrote from the data
    (``tojson`` text, the data block) is never read as template syntax. Every element of this
    package that carries text from data or from the command line derives from it.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        """Put the rendered parts into the page (see the class docstring)."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise TypeError(f"{type(self).__name__} can only be rendered inside a Figure")
        macros = self._template.module.__dict__
        parts = (("header", figure.header), ("html", figure.html), ("script", figure.script))
        for part, box in parts:
            macro = macros.get(part)
            if macro is not None:
                box.add_child(LiteralElement(str(macro(self, kwargs))), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class LiteralTileLayer(folium.TileLayer, LiteralParts):
    """:class:`folium.TileLayer` rendered through :class:`LiteralParts` (its URL and
    attribution come from the command line and are never read as template syntax)."""


class MapData(LiteralParts):
    """The map's data block (JSON in a ``<script type="application/json">``) and its JS app.

    Parameters
    ----------
    meta
        The JSON-ready data made by :func:`routes.maps._encode.encode_map_data`.
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <script type="application/json" id={{ this.dom_id|tojson }}>{{ this.payload }}</script>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = SALW.app(
            {{ this._parent.get_name() }}, {{ this.dom_id|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, meta: dict[str, Any]) -> None:
        super().__init__()
        self._name = "SalwData"
        self.meta = meta

    @property
    def dom_id(self) -> str:
        """The DOM id of the JSON block."""
        return "salw-data-" + self._id

    @property
    def payload(self) -> str:
        """The data as HTML-safe JSON text."""
        return safe_json(self.meta)


class SalwLayer(Layer, LiteralParts):
    """One toggleable layer drawn by the map's JS app (``kind`` names the builder).

    Parameters
    ----------
    data
        The :class:`MapData` element whose data the layer draws.
    kind
        ``"borders"``, ``"flows"``, ``"crossings"``, ``"incidents"`` or ``"corridors"``.
    name
        The name shown in the layer control.
    show
        Whether the layer is on when the page opens.
    options
        JSON-ready options for the builder.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = SALW.layer(
            {{ this.data.get_name() }}, {{ this.kind|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        data: MapData,
        kind: str,
        *,
        name: str,
        show: bool = True,
        options: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "SalwLayer"
        self.data = data
        self.kind = kind
        self.options = dict(options or {})


class SalwControl(LiteralParts):
    """A panel drawn by the map's JS app: title, legend, filters, footnote or marking banner.

    Parameters
    ----------
    data
        The :class:`MapData` element.
    kind
        ``"title"``, ``"legend"``, ``"filters"``, ``"footnote"`` or ``"marking"``.
    options
        JSON-ready options; every string is shown as text, never parsed as HTML.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        SALW.control({{ this.data.get_name() }}, {{ this.kind|tojson }}, {{ this.options|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, data: MapData, kind: str, options: dict[str, Any] | None = None) -> None:
        super().__init__()
        self._name = "SalwControl"
        self.data = data
        self.kind = kind
        self.options = dict(options or {})


def iter_elements(root: Element) -> Iterator[Element]:
    """Yield ``root`` and every descendant, depth first in insertion order."""
    yield root
    for child in list(root._children.values()):
        yield from iter_elements(child)
    if isinstance(root, Figure):
        for part in (root.header, root.html, root.script):
            yield from iter_elements(part)


def stabilise_ids(root: Element) -> None:
    """Replace folium's random element ids with a counter, so equal maps render byte-identically."""
    seen: set[int] = set()
    counter = 0
    for el in iter_elements(root):
        if id(el) in seen:
            continue
        seen.add(id(el))
        el._id = f"{counter:04d}"
        counter += 1
