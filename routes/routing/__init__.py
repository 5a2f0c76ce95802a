"""Routes: a path per incident on the network, with alternatives, probabilities and profiles.

Takes canonical incidents (from :mod:`routes.incidents`) and a network graph (from
:mod:`routes.network`) and gives a :class:`RouteResult` (:func:`route_incidents`,
:func:`route_between`): per incident the best path and up to ``k - 1`` alternatives through other
crossings, with logit probabilities, every leg labelled observed or inferred, and every incident
that got no route listed with its reason; with ``infer="recorded" | "priors"`` the missing legs
of one-waypoint records are inferred from the recorded routes and priors — the analyst's own
reported routes or corridor table (:func:`route_priors`), else the regional corridors of
:mod:`routes.geo` (:data:`INFERENCE_DOC`, calibrated by :func:`inference_calibration`); its types
(:class:`CostProfile` in :mod:`~routes.routing.profiles`, :class:`RouteResult` in
:mod:`~routes.routing.result`) sit below the private engine that uses them, and
:func:`graph_index` / :func:`reroute` serve the stages above.
"""

from __future__ import annotations

from routes.routing._engine import GraphIndex
from routes.routing._index import graph_index
from routes.routing._infer import check_infer
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
from routes.routing.priors import (
    BUNDLED_PRIORS_LABEL,
    BUNDLED_PRIORS_NAME,
    PRIORS_COLUMNS,
    RoutePriors,
    read_priors_table,
    route_priors,
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
    "BUNDLED_PRIORS_LABEL",
    "BUNDLED_PRIORS_NAME",
    "COUNTRY_GATEWAYS",
    "COUNTRY_HUBS",
    "COUNTRY_RULES_DOC",
    "DEFAULT_INFER",
    "DEFAULT_K",
    "DEFAULT_THETA",
    "GATEWAY_POINTS",
    "INFERENCE_DOC",
    "INFER_MODES",
    "PRIORS_COLUMNS",
    "PROFILES",
    "ROAD_ONLY",
    "CostProfile",
    "GraphIndex",
    "RoutePriors",
    "RouteResult",
    "check_infer",
    "check_routing_options",
    "get_profile",
    "graph_index",
    "inference_calibration",
    "read_priors_table",
    "reroute",
    "route_between",
    "route_incidents",
    "route_priors",
]
