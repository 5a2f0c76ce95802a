"""Reference geography: the stage every other one stands on.

Takes nothing but the bundled data (Natural Earth borders, the team-compiled crossings table, the
GeoNames gazetteer) and gives GeoDataFrames of countries, land-border lines and border crossing
points, the study region's polygon, the offline place-name look-up (:class:`Gazetteer`,
:func:`country_code`) and the public route facts of the region (:data:`CORRIDORS`,
:data:`ROUTE_CROSSINGS`, :data:`ROUTE_PLACES`).
"""

from __future__ import annotations

from routes.geo.borders import load_border_lines, load_borders, load_crossings
from routes.geo.gazetteer import (
    DOMINANCE_FACTOR,
    SAME_PLACE_KM,
    AmbiguousPlaceError,
    Gazetteer,
    Place,
    PlaceNotFoundError,
    country_code,
    load_gazetteer,
    normalize_name,
)
from routes.geo.route_facts import (
    CORRIDORS,
    ROUTE_CROSSINGS,
    ROUTE_PLACES,
    Corridor,
    RouteCrossing,
    SettlementFact,
)

__all__ = [
    "CORRIDORS",
    "DOMINANCE_FACTOR",
    "ROUTE_CROSSINGS",
    "ROUTE_PLACES",
    "SAME_PLACE_KM",
    "AmbiguousPlaceError",
    "Corridor",
    "Gazetteer",
    "Place",
    "PlaceNotFoundError",
    "RouteCrossing",
    "SettlementFact",
    "country_code",
    "load_border_lines",
    "load_borders",
    "load_crossings",
    "load_gazetteer",
    "normalize_name",
]
