"""Interactive route maps: one offline HTML file an analyst can open, forward and archive.

:func:`route_map` returns a :class:`folium.Map` (it displays inline in Jupyter) with toggleable
layers — country borders as the basemap (with the Kosovo* footnote), border crossings sized and
coloured by frequency, the route-frequency overlay with direction arrows, incidents as clusters,
heat or hexagon bins chosen by size, corridor labels — plus a legend, title, date range, data
source, an optional handling-marking banner, a scale bar and in-page filters (time range,
category, modus operandi, weight) that recompute the frequency overlay in the browser.
:func:`save_map` writes it as one self-contained file: every script and style is inlined and the
page makes no network request unless a tile basemap was asked for.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from routes._constants import KOSOVO_FOOTNOTE
from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import folium
    import geopandas as gpd
    import pandas as pd

    from routes.maps._borders import BorderRings
    from routes.maps._elements import MapData

__all__ = ["CLUSTER_MAX", "HEAT_MAX", "route_map", "save_map"]

#: Up to this many incidents the incident layer shows clusters of clickable points.
CLUSTER_MAX = 2_000
#: Up to this many incidents (above CLUSTER_MAX) it shows a heat map; beyond, hexagon bins.
HEAT_MAX = 20_000

_DEFAULT_TITLE = "SALW trafficking routes"
_DATA_ATTRIBUTION = (
    "Borders: Natural Earth · Roads: © OpenStreetMap contributors (ODbL) · salw-routes"
)
_OSM = (
    "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "© OpenStreetMap contributors",
)


def check_map_options(
    weight: str, incident_style: str, tiles: str | None, title: str | None, marking: str | None
) -> list[Problem]:
    """Return every problem with the map options (weight, incident style, tiles, title, marking)."""
    problems = []
    if weight not in ("incidents", "quantity"):
        problems.append(
            Problem(
                f"weight={weight!r} is not supported; use 'incidents' or 'quantity'",
                value=weight,
                reason="invalid_option",
            )
        )
    if incident_style not in ("auto", "cluster", "heat", "hex"):
        problems.append(
            Problem(
                f"incident_style={incident_style!r} is not supported; use 'auto', 'cluster', "
                "'heat' or 'hex'",
                value=incident_style,
                reason="invalid_option",
            )
        )
    if tiles is not None and tiles != "osm":
        ok = re.match(r"^https?://", tiles) and all(t in tiles for t in ("{z}", "{x}", "{y}"))
        if not ok:
            problems.append(
                Problem(
                    f"tiles={tiles!r} is neither 'osm' nor a tile URL template; give e.g. "
                    "'https://tiles.example.org/{z}/{x}/{y}.png' (with {z}, {x} and {y})",
                    value=tiles,
                    reason="invalid_option",
                )
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
    return problems


def route_map(
    incidents: gpd.GeoDataFrame | pd.DataFrame,
    *,
    result: Any = None,
    crossings: gpd.GeoDataFrame | None = None,
    borders: gpd.GeoDataFrame | None = None,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    marking: str | None = None,
    tiles: str | None = None,
    tiles_attribution: str | None = None,
    weight: Literal["incidents", "quantity"] = "incidents",
    incident_style: Literal["auto", "cluster", "heat", "hex"] = "auto",
    max_corridor_labels: int = 8,
    height: str = "100%",
) -> folium.Map:
    """Draw incidents, their routes and the border crossings on one offline map.

    Parameters
    ----------
    incidents
        Canonical incidents (from :func:`routes.read_incidents`): point geometry (or
        ``latitude``/``longitude``), and where present ``incident_id``, ``date``, ``category``,
        ``modus_operandi``, ``quantity``, ``place``, ``jurisdiction``, ``notes``.
    result
        A :class:`routes.RouteResult` (``.routes``, ``.paths``, ``.graph``) for these incidents;
        without it the map shows incidents, crossings and borders only.
    crossings
        Border crossing points; default :func:`routes.load_crossings` when the bundled table is
        available. Crossings met on a route but missing here are taken from the graph's nodes.
    borders
        Country outlines; default :func:`routes.load_borders`.
    title, subtitle, source
        Shown in the title panel, as text. ``source`` names the data (e.g. the file name).
    marking
        A handling marking such as ``"RESTRICTED"``, shown as a banner at the top and bottom.
    tiles
        ``None`` (default): no tiles, the borders are the basemap and the page makes no request.
        ``"osm"`` or a tile URL template (an agency's internal tile server) adds a tile layer.
    tiles_attribution
        Attribution of a custom tile server (default: its host name).
    weight
        Route frequency counted in ``"incidents"`` or seized ``"quantity"`` (switchable in
        the page).
    incident_style
        ``"auto"`` picks clusters up to :data:`CLUSTER_MAX` incidents, a heat map up to
        :data:`HEAT_MAX`, hexagon bins beyond.
    max_corridor_labels
        How many E-road corridors to label.
    height
        CSS height of the map (``"100%"`` fills the page; use e.g. ``"600px"`` in notebooks).

    Returns
    -------
    folium.Map
        Save it with :func:`save_map`; in Jupyter it displays inline. With a ``result`` the
        title panel says what the route frequency rests on (:func:`routes.evidence_mix`:
        recorded, inferred from records, from priors, the priors named) and warns when the
        priors carry more than half of it. Its ``encoded`` attribute holds the counts
        drawn (``n_incidents``, ``n_paths``, ``n_edges``, ``n_crossings``) and the unfiltered
        ``edge_values`` / ``crossing_values``.

    Raises
    ------
    routes.ValidationError
        For an unsupported option or incidents that cannot be drawn, listing every problem.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> inc = gpd.GeoDataFrame({"incident_id": ["a"], "category": ["pistol"]},
    ...                        geometry=[Point(20.46, 44.82)], crs="EPSG:4326")
    >>> m = route_map(inc, crossings=None, title="Belgrade")
    >>> type(m).__name__
    'RouteMap'
    """
    from routes.maps._encode import encode_map_data

    mode = _checked_incident_mode(
        incidents,
        weight=weight,
        incident_style=incident_style,
        tiles=tiles,
        title=title,
        marking=marking,
    )
    classes = _classes(result)
    encoded = encode_map_data(
        incidents,
        result=result,
        classes=classes,
        crossings=_bundled_crossings() if crossings is None else crossings,
        borders=_bundled_borders() if borders is None else borders,
        weight=weight,
        incident_mode=mode,
        with_text=mode == "cluster",
        max_corridor_labels=max_corridor_labels,
    )
    meta = encoded.meta
    meta["evidence"], encoded.evidence = _evidence(result, classes)
    meta["tiles"] = tiles is not None
    meta["attribution"] = _DATA_ATTRIBUTION
    meta["bounds"] = _bounds(encoded.points)
    the_title = title if title is not None else _DEFAULT_TITLE
    m = _base_map(
        mode=mode, page_title=f"{marking} – {the_title}" if marking else the_title, height=height
    )
    if tiles is not None:
        _add_tiles(m, tiles, tiles_attribution)
    data = _add_layers(m, meta, mode)
    _add_controls(m, data, title=the_title, subtitle=subtitle, source=source, marking=marking)
    m.encoded = encoded  # type: ignore[attr-defined]
    from routes.maps._elements import stabilise_ids

    stabilise_ids(m.get_root())
    return m


def _classes(result: Any) -> Any:
    """:func:`routes.evidence_classes` of a route result (None without one): computed once
    for the segments' styles and the title panel's shares."""
    import pandas as pd

    if result is None or not isinstance(getattr(result, "assignments", None), pd.DataFrame):
        return None
    from routes.analysis import evidence_classes

    return evidence_classes(result)


def _evidence(result: Any, classes: Any) -> tuple[dict[str, Any] | None, Any]:
    """What the route frequency rests on (:func:`routes.evidence_mix`), shown as text; and
    the mix itself (None without a result)."""
    if result is None or not hasattr(result, "assignments"):
        return None, None
    from routes.analysis import evidence_mix

    mix = evidence_mix(result, classes=classes)
    return {
        "text": mix.sentence(),
        "warning": mix.warning(),
        "percent": mix.percent(),
        "priors": mix.priors,
    }, mix


def _checked_incident_mode(
    incidents: Any,
    *,
    weight: str,
    incident_style: str,
    tiles: str | None,
    title: str | None,
    marking: str | None,
) -> str:
    """Check every option and the incidents at once; return the incident layer's mode."""
    import pandas as pd

    problems = check_map_options(weight, incident_style, tiles, title, marking)
    if not isinstance(incidents, pd.DataFrame):
        problems.append(
            Problem(
                "incidents must be a GeoDataFrame (from routes.read_incidents), instead got "
                f"{type(incidents).__name__}",
                reason="invalid_input",
            )
        )
    if problems:
        raise ValidationError(problems)
    if incident_style != "auto":
        return incident_style
    n = len(incidents)
    return "cluster" if n <= CLUSTER_MAX else "heat" if n <= HEAT_MAX else "hex"


def _base_map(*, mode: str, page_title: str, height: str) -> folium.Map:
    """The empty offline map with the scripts and styles the incident mode needs."""
    from routes.maps._elements import RouteMap

    assets = ["leaflet.css", "salw_map.css", "leaflet.js"]
    if mode == "heat":
        assets.append("leaflet-heat.js")
    assets.append("salw_map.js")
    return RouteMap(
        assets=assets,
        page_title=page_title,
        location=[42.5, 20.5],
        zoom_start=7,
        tiles=None,
        control_scale=False,
        prefer_canvas=True,
        height=height,
        min_zoom=4,
        max_zoom=16,
    )


def _add_tiles(m: folium.Map, tiles: str, attribution: str | None) -> None:
    """Add the OpenStreetMap or a custom tile layer (attribution escaped)."""
    import html

    from routes.maps._elements import LiteralTileLayer

    if tiles == "osm":
        url, attr = _OSM
    else:
        url = tiles
        host = re.sub(r"^https?://([^/]+).*$", r"\1", tiles)
        attr = attribution or f"Tiles: {host}"
    LiteralTileLayer(
        tiles=url, attr=html.escape(attr), name="Tiles", overlay=False, control=True
    ).add_to(m)


def _add_layers(m: folium.Map, meta: dict[str, Any], mode: str) -> MapData:
    """Add the data block, the toggleable layers and the layer control; return the data block."""
    import folium

    from routes.maps._elements import MapData, SalwLayer

    data = MapData(meta)
    m.add_child(data)
    layers = [
        SalwLayer(data, "borders", name="Countries (basemap)"),
        SalwLayer(data, "incidents", name="Incidents", options={"mode": mode}),
        SalwLayer(data, "flows", name="Route frequency"),
        SalwLayer(data, "crossings", name="Border crossings"),
        SalwLayer(data, "corridors", name="Corridor labels"),
    ]
    if meta.get("has_inferred"):  # on: recorded and inferred legs; off: recorded legs only
        styles = [("dashed", "dotted")[k - 1] for k in meta.get("inferred_kinds", [1])]
        layers.append(SalwLayer(data, "inferred", name=f"Inferred legs ({', '.join(styles)})"))
    for layer in layers:
        m.add_child(layer)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    return data


def _add_controls(
    m: folium.Map,
    data: MapData,
    *,
    title: str,
    subtitle: str | None,
    source: str | None,
    marking: str | None,
) -> None:
    """Add the title, filters, legend, scale, Kosovo* footnote and marking panels."""
    from routes.maps._elements import SalwControl

    # the date range is drawn once, by the title control (it follows the time filter)
    no_dates = None if data.meta["date_min"] else "no dated incidents"
    SalwControl(
        data,
        "title",
        {"title": title, "subtitle": subtitle or no_dates, "source": source},
    ).add_to(m)
    SalwControl(data, "filters").add_to(m)
    SalwControl(data, "legend").add_to(m)
    SalwControl(data, "scale").add_to(m)
    SalwControl(data, "footnote", {"text": KOSOVO_FOOTNOTE}).add_to(m)
    if marking:
        SalwControl(data, "marking", {"text": marking}).add_to(m)


def _bundled_borders() -> BorderRings:
    """The rings of the bundled outlines (kept in the on-disk cache)."""
    from routes.maps._borders import bundled_border_rings

    return bundled_border_rings()


def _bundled_crossings() -> gpd.GeoDataFrame | None:
    try:
        from routes.geo import load_crossings

        return load_crossings()
    except (NotImplementedError, FileNotFoundError):
        return None


def _bounds(points: Any) -> list[list[float]]:
    """Fit the six jurisdictions, widened to the incidents drawn (``points``: the encoder's
    (lon, lat) arrays)."""
    south, west, north, east = 39.6, 18.4, 46.2, 23.1
    import numpy as np

    lon, lat = points
    ok = np.isfinite(lon) & np.isfinite(lat)
    if ok.sum() >= 5:
        lo = np.quantile(lon[ok], [0.01, 0.99])
        la = np.quantile(lat[ok], [0.01, 0.99])
        west, east = min(west, float(lo[0])), max(east, float(lo[1]))
        south, north = min(south, float(la[0])), max(north, float(la[1]))
    return [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]]


def save_map(m: folium.Map, path: str | os.PathLike[str]) -> Path:
    """Write the map as one self-contained HTML file, atomically.

    The file is written to a temporary name in the same folder and then renamed, so a reader
    never sees half a map. The same map always gives the same bytes.

    Parameters
    ----------
    m
        A map from :func:`route_map`.
    path
        The output file (parent folders are created).

    Returns
    -------
    pathlib.Path
        The path written.
    """
    from routes._io import atomic_write_text
    from routes.maps._elements import stabilise_ids

    root = m.get_root()
    stabilise_ids(root)
    return atomic_write_text(path, root.render())
