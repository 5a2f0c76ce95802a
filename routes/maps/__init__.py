"""Maps: interactive offline HTML route maps.

Takes canonical incidents and, optionally, a :class:`routes.RouteResult`, crossings and borders,
and gives a folium ``Map`` (:func:`route_map`, options checked by :func:`check_map_options`) that
renders as one self-contained HTML file (:func:`save_map`): the route-frequency overlay,
crossings, incidents, legend, filters that recount in the page and the Kosovo* footnote, with
every text from the data inserted as text, never as HTML.
"""

from __future__ import annotations

from routes.maps.route_map import (
    CLUSTER_MAX,
    HEAT_MAX,
    check_map_options,
    route_map,
    save_map,
)

__all__ = [
    "CLUSTER_MAX",
    "HEAT_MAX",
    "check_map_options",
    "route_map",
    "save_map",
]
