"""A route per incident on the network, with alternatives, probabilities and cost profiles.

Takes canonical incidents (from :mod:`routes.incidents`) and a network graph (from
:mod:`routes.network`) and gives a :class:`RouteResult`: per incident the best path and up to
``k - 1`` alternatives through other crossings, with logit probabilities, every leg labelled
observed or inferred, and every incident that got no route listed with its reason; with
``infer="recorded" | "priors"`` the missing legs of one-waypoint records are inferred from the
recorded routes and the regional corridors of :mod:`routes.geo` (:data:`INFERENCE_DOC`). Types sit
below the engines: :mod:`~routes.routing.profiles` (CostProfile), :mod:`~routes.routing.result`
(RouteResult); the private engine (``_engine``, ``_core``, ``_waypoints``, ``_geom``) imports
them, never the other way round.
"""

from __future__ import annotations

from routes.routing._engine import (
    GraphIndex,
    graph_index,
)
from routes.routing.api import (
    COUNTRY_GATEWAYS,
    COUNTRY_HUBS,
    COUNTRY_RULES_DOC,
    DEFAULT_INFER,
    GATEWAY_POINTS,
    INFER_MODES,
    INFERENCE_DOC,
    check_routing_options,
    reroute,
    route_between,
    route_incidents,
)
from routes.routing.calibration import (
    inference_calibration,
)
from routes.routing.profiles import (
    DEFAULT_K,
    DEFAULT_THETA,
    PROFILES,
    ROAD_ONLY,
    CostProfile,
    get_profile,
)
from routes.routing.result import (
    RouteResult,
)

__all__ = [
    "COUNTRY_GATEWAYS",
    "COUNTRY_HUBS",
    "COUNTRY_RULES_DOC",
    "DEFAULT_INFER",
    "DEFAULT_K",
    "DEFAULT_THETA",
    "GATEWAY_POINTS",
    "INFERENCE_DOC",
    "INFER_MODES",
    "PROFILES",
    "ROAD_ONLY",
    "CostProfile",
    "GraphIndex",
    "RouteResult",
    "check_routing_options",
    "get_profile",
    "graph_index",
    "inference_calibration",
    "reroute",
    "route_between",
    "route_incidents",
]
