"""The routable multimodal network.

Takes the bundled OSM-derived network (or a user's OSMnx GraphML, GeoPackage or GeoJSON of
lines) and gives a networkx ``MultiDiGraph`` following OSMnx conventions (node ``x``/``y``, edge
``length_m``, ``travel_time_s``, ``geometry``, ``G.graph["crs"]``) with border crossing points,
green-border links and ferry lines (:func:`load_network`, :func:`attach_crossings`), converters
to and from GeoDataFrames and nearest-node look-ups. The bundled network's graph counts its
changes since loading (:func:`edit_count`, :func:`pristine_network_key`), so that the stages
above may keep what they derive from it in the on-disk cache (under :func:`bundle_key`). The
names load on first use (PEP 562): a run that needs only that key (the cached routing index)
imports neither networkx nor the graph code.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from routes.network._key import bundle_key
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
    "bundle_key",
    "crossing_nodes",
    "edit_count",
    "graph_from_gdfs",
    "graph_to_gdfs",
    "load_network",
    "nearest_node",
    "nearest_nodes",
    "pristine_network_key",
]

# the module of every public name (as in the face of ``routes``)
_SOURCES: dict[str, tuple[str, ...]] = {
    "routes.network._key": ("bundle_key",),
    "routes.network._tracked": ("edit_count", "pristine_network_key"),
    "routes.network.graph": (
        "attach_crossings",
        "crossing_nodes",
        "graph_from_gdfs",
        "graph_to_gdfs",
        "load_network",
        "nearest_node",
        "nearest_nodes",
    ),
}
_WHERE: dict[str, str] = {name: module for module, names in _SOURCES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use and keep the name here."""
    if name not in _WHERE:
        raise AttributeError(f"module 'routes.network' has no attribute {name!r}")
    value = getattr(importlib.import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
