"""The engine that turns raw road/rail/sea layers into the bundled multimodal network.

Used by ``scripts/build_network.py`` (and by the tests on tiny fixtures). Everything works on an
undirected :class:`networkx.MultiGraph` in which each edge stores its geometry oriented from the
node in the edge attribute ``"_from"``; :func:`to_link_frames` writes each two-way link once and
:func:`routes.load_network` adds the reverse direction.

Assumptions (documented in data/README.md, section ``network``):

* Road speed (the source has no road classes), per source edge: the smaller of a speed by
  sinuosity (road length / straight line: 1.0 -> 100, 1.05 -> 90, 1.15 -> 70, 1.3 -> 55,
  >= 1.5 -> 40 km/h) and a speed by edge length (< 1 km -> 40-50, 3 km -> 70, >= 10 km -> 100
  km/h: short edges lie in towns); see :func:`road_speed_kph`. Merged chains keep the summed
  travel time. Edges on an E-road trace get +10 km/h (max 100) or, when straight (sinuosity
  <= 1.05 on every source piece) and >= 3 km long, the ``motorway`` flag and 110 km/h.
* Connector roads to BCPs the source has no road for: straight line x 1.5 at 40 km/h; joins
  across gaps of the source (< 1.5 km): straight line x 1.25 at 40 km/h.
* Rail: 60 km/h. Transfers (port/airport/station to road): straight line x 1.25 at 30 km/h.
* Sea: 35 km/h along the searoute lane plus 2 h boarding/disembarking per crossing.
* Border checks: half the delay on each edge touching a crossing node (so passing through costs
  the full delay): 1800 s at an EU external border crossing, 900 s otherwise; rail 1800 s.

The steps live in their own modules, in build order: :mod:`~routes.network._build_layers`
(source layer, jurisdictions, chain simplification), :mod:`~routes.network._build_heal` (gaps,
T-junctions, components), :mod:`~routes.network._build_borders` (crossings, green border,
border delays), :mod:`~routes.network._build_links` (ports, airports, ferries, rail-road
transfers, E-roads) and :mod:`~routes.network._build_frames` (stable ids, output frames);
shared constants and helpers are in :mod:`~routes.network._build_base`. This module is their
one import point.
"""

from __future__ import annotations

from routes.network._build_base import (
    BORDER_DELAY_EU_S,
    BORDER_DELAY_S,
    SEA_BOARDING_S,
    SEA_SPEED_KPH,
    measure_m,
    road_speed_kph,
    slug,
)
from routes.network._build_borders import (
    add_border_delays,
    attach_crossings,
    edge_threshold_m,
)
from routes.network._build_frames import (
    relabel_stable,
    to_link_frames,
)
from routes.network._build_heal import (
    heal_components,
    heal_gaps,
    heal_t_junctions,
)
from routes.network._build_layers import (
    assign_jurisdictions,
    build_layer,
    keep_main_component,
    simplify_chains,
)
from routes.network._build_links import (
    HARBOUR_OFFSET_DEG,
    add_ferries,
    add_point_nodes,
    link_rail_to_road,
    trace_e_roads,
)

__all__ = [
    "BORDER_DELAY_EU_S",
    "BORDER_DELAY_S",
    "HARBOUR_OFFSET_DEG",
    "SEA_BOARDING_S",
    "SEA_SPEED_KPH",
    "add_border_delays",
    "add_ferries",
    "add_point_nodes",
    "assign_jurisdictions",
    "attach_crossings",
    "build_layer",
    "edge_threshold_m",
    "heal_components",
    "heal_gaps",
    "heal_t_junctions",
    "keep_main_component",
    "link_rail_to_road",
    "measure_m",
    "relabel_stable",
    "road_speed_kph",
    "simplify_chains",
    "slug",
    "to_link_frames",
    "trace_e_roads",
]
