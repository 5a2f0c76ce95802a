"""The gazetteer's entries and look-up errors (:class:`Place`, :class:`PlaceNotFoundError`,
:class:`AmbiguousPlaceError`), re-exported by :mod:`routes.geo.gazetteer`."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["AmbiguousPlaceError", "Place", "PlaceNotFoundError", "haversine_km"]


@dataclass(frozen=True)
class Place:
    """One gazetteer entry.

    Parameters
    ----------
    name
        The GeoNames name (``"Niš"``).
    ascii_name
        The name without diacritics (``"Nis"``).
    jurisdiction
        ISO 3166-1 alpha-2 code; ``"XK"`` for Kosovo*.
    latitude, longitude
        WGS 84 degrees (EPSG:4326), 5 decimals.
    population
        GeoNames population; 0 when unknown.
    geonameid
        The GeoNames id.
    feature_code
        ``"PPLC"`` for a national capital, ``"PPL"`` for any other populated place.
    """

    name: str
    ascii_name: str
    jurisdiction: str
    latitude: float
    longitude: float
    population: int
    geonameid: int
    feature_code: str

    def describe(self) -> str:
        """Return ``"Niš (RS, 43.32472N 21.90333E, population 250,000)"``."""
        pop = f"population {self.population:,}" if self.population else "population unknown"
        return (
            f"{self.name} ({self.jurisdiction}, {self.latitude:.5f}N {self.longitude:.5f}E, {pop})"
        )


class _PlaceLookupError(LookupError):
    """What both lookup errors share: the name and jurisdiction looked up, and pickling."""

    def __init__(self, message: str, *, name: str, jurisdiction: str | None) -> None:
        super().__init__(message)
        self.name = name
        self.jurisdiction = jurisdiction

    def __str__(self) -> str:
        return str(self.args[0])

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from the message, then every attribute restored (worker processes)
        return (type(self), (self.args[0],), self.__dict__)


class PlaceNotFoundError(_PlaceLookupError):
    """A place name that the gazetteer does not know (the message suggests the closest names).

    Attributes
    ----------
    name
        The name looked up.
    jurisdiction
        The jurisdiction it was looked up in, or None.
    suggestions
        The closest known places, best first.
    """

    def __init__(
        self,
        message: str,
        *,
        name: str = "",
        jurisdiction: str | None = None,
        suggestions: Iterable[Place] = (),
    ) -> None:
        super().__init__(message, name=name, jurisdiction=jurisdiction)
        self.suggestions: list[Place] = list(suggestions)


class AmbiguousPlaceError(_PlaceLookupError):
    """A place name that matches several places (the message lists them with jurisdiction).

    Attributes
    ----------
    name
        The name looked up.
    jurisdiction
        The jurisdiction it was looked up in, or None.
    candidates
        The matching places, most populous first.
    """

    def __init__(
        self,
        message: str,
        *,
        name: str = "",
        jurisdiction: str | None = None,
        candidates: Iterable[Place] = (),
    ) -> None:
        super().__init__(message, name=name, jurisdiction=jurisdiction)
        self.candidates: list[Place] = list(candidates)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km between two WGS 84 points (mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dlat, dlon = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlon / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))
