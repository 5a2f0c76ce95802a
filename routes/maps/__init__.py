"""Interactive offline HTML maps.

Takes canonical incidents and, optionally, a :class:`routes.RouteResult` and gives a folium
``Map`` (:func:`route_map`) that renders as one self-contained HTML file (:func:`save_map`):
route-frequency overlay, crossings, incidents, legend, filters that recount in the page, the
Kosovo* footnote; every text from the data inserted as text, never as HTML.
"""

from __future__ import annotations

from routes.maps.choropleth import CHOROPLETH_COLOURS, choropleth_map
from routes.maps.route_map import (
    CLUSTER_MAX,
    HEAT_MAX,
    check_map_options,
    route_map,
    save_map,
)

__all__ = [
    "CHOROPLETH_COLOURS",
    "CLUSTER_MAX",
    "HEAT_MAX",
    "check_map_options",
    "choropleth_map",
    "route_map",
    "save_map",
]
