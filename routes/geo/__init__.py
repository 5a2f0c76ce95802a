"""Reference geography: the stage every other one stands on.

Takes nothing but the bundled data (Natural Earth borders, the team-compiled crossings table, the
GeoNames gazetteer) and gives GeoDataFrames of countries, land-border lines and border crossing
points, the study region's polygon, and the offline place-name look-up (:class:`Gazetteer`,
:func:`country_code`).
"""

from __future__ import annotations

from routes.geo._region import in_region, jurisdiction_at, region_method, swap_verdicts
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

__all__ = [
    "DOMINANCE_FACTOR",
    "SAME_PLACE_KM",
    "AmbiguousPlaceError",
    "Gazetteer",
    "Place",
    "PlaceNotFoundError",
    "country_code",
    "in_region",
    "jurisdiction_at",
    "load_border_lines",
    "load_borders",
    "load_crossings",
    "load_gazetteer",
    "normalize_name",
    "region_method",
    "swap_verdicts",
]
