"""Reference geography: the stage every other one stands on.

Takes nothing but the bundled data (Natural Earth borders, the team-compiled crossing table,
the GeoNames gazetteer, the public route facts) and gives GeoDataFrames of countries, land-border
lines and border crossing points with the crossing table's contract (:data:`CROSSING_COLUMNS`,
:func:`crossings_from_frame`), the offline place-name look-up (:class:`Gazetteer`,
:func:`country_code`, :data:`COUNTRY_NAMES`) and the region's corridors with their crossings and
towns (:data:`CORRIDORS`, :data:`ROUTE_CROSSINGS`, :data:`ROUTE_PLACES`), usable as priors.
"""

from __future__ import annotations

from routes.geo._countries import COUNTRY_NAMES
from routes.geo._crossings import (
    CROSSING_COLUMNS,
    EU_MEMBERS,
    crossings_from_frame,
    is_placed_on_border,
)
from routes.geo._crossings import ID_PATTERN as CROSSING_ID_PATTERN
from routes.geo._crossings import PAIR_ORDER as CROSSING_PAIR_ORDER
from routes.geo._region import (
    REGION_BUFFER_KM,
    in_region,
    jurisdiction_at,
    region_method,
    swap_verdicts,
)
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
    "COUNTRY_NAMES",
    "CROSSING_COLUMNS",
    "CROSSING_ID_PATTERN",
    "CROSSING_PAIR_ORDER",
    "DOMINANCE_FACTOR",
    "EU_MEMBERS",
    "REGION_BUFFER_KM",
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
    "crossings_from_frame",
    "in_region",
    "is_placed_on_border",
    "jurisdiction_at",
    "load_border_lines",
    "load_borders",
    "load_crossings",
    "load_gazetteer",
    "normalize_name",
    "region_method",
    "swap_verdicts",
]
