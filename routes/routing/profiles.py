"""Cost profiles: how an edge's cost is computed, and the built-in profiles.

The engines (:mod:`routes.routing._engine`, :mod:`routes.routing._core`) import these types;
nothing here imports them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from routes._errors import Problem, ValidationError

__all__ = ["DEFAULT_K", "DEFAULT_THETA", "PROFILES", "ROAD_ONLY", "CostProfile", "get_profile"]

#: Default number of routes per incident (the best one and up to ``k - 1`` alternatives).
DEFAULT_K = 3

#: Default logit spread on *relative* cost: a route 10 % dearer than the best one gets
#: ``exp(-2.5) ~ 0.08`` of the best one's weight; 5 % dearer gets ``exp(-1.25) ~ 0.29``.
DEFAULT_THETA = 25.0

#: Default ``CostProfile.mode_factors``: no rail for road trips (see CostProfile).
ROAD_ONLY: dict[str, float] = {"rail": float("inf")}


@dataclass(frozen=True)
class CostProfile:
    """How an edge's cost is computed.

    ``cost(edge) = base * mode_factor[mode] * (green_border_factor if green_border)
    * (motorway_factor if motorway) + crossing_penalty (if the edge enters an official crossing
    node: a BCP, a port or an airport)``.

    Parameters
    ----------
    name
        Label written into outputs.
    base
        ``"travel_time_s"`` (seconds) or ``"length_m"`` (metres); ``crossing_penalty`` is in the
        same unit.
    crossing_penalty
        Added for each official crossing passed (border formalities, risk of control).
    green_border_factor
        Multiplies the base cost of ``green_border`` edges (crossing a border away from any BCP).
        > 1 makes them unattractive, < 1 attractive.
    motorway_factor
        Multiplies the base cost of ``motorway`` edges.
    mode_factors
        Multiplier per edge ``mode`` (``road``, ``rail``, ``sea``, ``transfer``); a mode missing
        from the mapping has factor 1; ``float("inf")`` forbids the mode. The default
        ``{"rail": inf}`` keeps road trips off the railway; incidents whose ``modus_operandi``
        is ``train`` or that name a rail crossing (``...-RAIL-...``) are routed with rail at
        factor 1 (unless the profile gives rail a finite factor, which is then used for all).

    Examples
    --------
    >>> p = get_profile("least_time", crossing_penalty=0.0)
    >>> p.base, p.crossing_penalty
    ('travel_time_s', 0.0)
    """

    name: str = "least_time"
    base: Literal["travel_time_s", "length_m"] = "travel_time_s"
    crossing_penalty: float = 600.0
    green_border_factor: float = 3.0
    motorway_factor: float = 1.0
    mode_factors: Mapping[str, float] = field(default_factory=lambda: dict(ROAD_ONLY), hash=False)

    def __post_init__(self) -> None:
        problems = []
        if self.base not in ("travel_time_s", "length_m"):
            problems.append(
                f"cost profile base {self.base!r} is not supported; use 'travel_time_s' or "
                "'length_m'"
            )
        for attr in ("crossing_penalty", "green_border_factor", "motorway_factor"):
            value = getattr(self, attr)
            if not isinstance(value, (int, float)) or not (value >= 0):
                problems.append(
                    f"cost profile {attr}={value!r} must be a number >= 0 (float('inf') forbids)"
                )
        for mode, value in dict(self.mode_factors).items():
            if not isinstance(value, (int, float)) or not (value > 0):
                problems.append(
                    f"cost profile mode_factors[{mode!r}]={value!r} must be a number > 0 "
                    "(float('inf') forbids the mode)"
                )
        if problems:
            raise ValidationError([Problem(p) for p in problems])


#: The built-in profiles (override any field with ``get_profile(name, field=value)``).
#:
#: - ``least_distance``: metres; no crossing penalty; green-border edges x3 (off-road or closed
#:   roads are slow and risky, so only a much shorter green crossing wins).
#: - ``least_time``: seconds; 600 s (10 min) per official crossing for border formalities;
#:   green-border edges x3.
#: - ``avoid_official_crossings``: seconds; 3 h per official crossing, green-border edges x1.5.
#: - ``prefer_green_border``: seconds; 1 h per official crossing, green-border edges x0.5.
#: - ``avoid_motorways``: seconds; motorway edges x3 (tolls, cameras, patrols), 600 s per crossing,
#:   green-border edges x3.
PROFILES: dict[str, CostProfile] = {
    "least_distance": CostProfile(
        name="least_distance", base="length_m", crossing_penalty=0.0, green_border_factor=3.0
    ),
    "least_time": CostProfile(name="least_time"),
    "avoid_official_crossings": CostProfile(
        name="avoid_official_crossings", crossing_penalty=3 * 3600.0, green_border_factor=1.5
    ),
    "prefer_green_border": CostProfile(
        name="prefer_green_border", crossing_penalty=3600.0, green_border_factor=0.5
    ),
    "avoid_motorways": CostProfile(name="avoid_motorways", motorway_factor=3.0),
}


def get_profile(profile: str | CostProfile = "least_time", **overrides: Any) -> CostProfile:
    """Return a :class:`CostProfile` by name (or as given), with fields overridden.

    Raises
    ------
    routes.ValidationError
        Unknown profile name (the message lists the valid ones) or a bad override.
    """
    if isinstance(profile, CostProfile):
        base = profile
    elif isinstance(profile, str) and profile in PROFILES:
        base = PROFILES[profile]
    else:
        raise ValidationError(
            f"cost profile {profile!r} is not known; use one of {sorted(PROFILES)} "
            "or a routes.CostProfile(...)"
        )
    if not overrides:
        return base
    unknown = sorted(set(overrides) - set(CostProfile.__dataclass_fields__))
    if unknown:
        raise ValidationError(
            f"cost profile has no field(s) {unknown}; valid fields: "
            f"{sorted(CostProfile.__dataclass_fields__)}"
        )
    return replace(base, **overrides)
