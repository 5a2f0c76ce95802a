"""The routable multimodal network.

Takes the bundled OSM-derived network (or a user's OSMnx GraphML, GeoPackage or GeoJSON of
lines) and gives a networkx ``MultiDiGraph`` following OSMnx conventions (node ``x``/``y``, edge
``length_m``, ``travel_time_s``, ``geometry``, ``G.graph["crs"]``) with border crossing points,
green-border links and ferry lines (:func:`load_network`, :func:`attach_crossings`), converters
to and from GeoDataFrames and nearest-node look-ups. The bundled network's graph counts its
changes since loading (:func:`edit_count`, :func:`pristine_network_key`), so that the stages
above may keep what they derive from it in the on-disk cache.
"""

from __future__ import annotations

from routes.network._tracked import edit_count, pristine_network_key
from routes.network.graph import (
    attach_crossings,
    crossing_nodes,
    graph_from_gdfs,
    graph_to_gdfs,
    load_network,
    nearest_node,
    nearest_nodes,
)

__all__ = [
    "attach_crossings",
    "crossing_nodes",
    "edit_count",
    "graph_from_gdfs",
    "graph_to_gdfs",
    "load_network",
    "nearest_node",
    "nearest_nodes",
    "pristine_network_key",
]
