"""The public route facts of the geo stage (routes.geo.route_facts)."""

from __future__ import annotations

import math
import re

import routes
from routes.geo import CORRIDORS, ROUTE_CROSSINGS, ROUTE_PLACES, Corridor


def test_route_facts_are_stage_level_names_not_public_api() -> None:
    for name in ("CORRIDORS", "ROUTE_CROSSINGS", "ROUTE_PLACES", "Corridor", "RouteCrossing"):
        assert name in routes.geo.__all__
        assert name not in routes.__all__


def test_route_facts_agree_with_the_bundled_reference_data() -> None:
    known = set(routes.load_crossings()["crossing_id"])
    assert {c.crossing_id for c in ROUTE_CROSSINGS} <= known
    used = {w[2:] for c in CORRIDORS for w in c.waypoints if w.startswith("C:")}
    assert used <= {c.crossing_id for c in ROUTE_CROSSINGS}
    gaz = routes.load_gazetteer()
    for p in ROUTE_PLACES:
        found = gaz.lookup(p.name, jurisdiction=p.jurisdiction)
        assert abs(found.latitude - p.latitude) < 0.01, p
        assert abs(found.longitude - p.longitude) < 0.01, p


def test_corridor_waypoints_name_known_places_crossings_and_countries() -> None:
    places = {p.name for p in ROUTE_PLACES}
    crossings = {c.crossing_id for c in ROUTE_CROSSINGS}
    for cor in CORRIDORS:
        assert isinstance(cor, Corridor)
        assert len(cor.waypoints) >= 2, cor.name
        for wp in cor.waypoints:
            kind, value = wp.split(":", 1)
            if kind == "P":
                assert value in places, (cor.name, wp)
            elif kind == "C":
                assert value in crossings, (cor.name, wp)
            else:
                assert kind == "K", (cor.name, wp)
                assert re.fullmatch("[A-Z]{2}", value), (cor.name, wp)
        assert all(len(d) == 2 and d.isupper() for d in cor.destinations), cor.name
        assert math.isclose(sum(cor.modes.values()), 1.0), cor.name


def test_corridor_weights_are_positive_with_the_documented_total() -> None:
    assert all(c.weight > 0 for c in CORRIDORS)
    assert math.isclose(sum(c.weight for c in CORRIDORS), 112.0)
    assert len({c.name for c in CORRIDORS}) == len(CORRIDORS)
