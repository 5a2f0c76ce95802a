"""The prior scores of inference: each one-waypoint key's candidates from the route priors.

Private; split from :mod:`routes.routing._infer`, which ranks these scores with those of the
recorded routes. The legs of every anchor place come from :func:`prior_legs_many` (one distance
matrix per year); the candidates are numbered in the order the keys are met.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from routes.routing._priors import prior_legs_many, resolve_chain

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from routes.routing._engine import GraphIndex
    from routes.routing._waypoints import Waypoint, WaypointResolver
    from routes.routing.priors import RoutePriors

__all__ = ["prior_scores"]


def prior_scores(
    index: GraphIndex,
    resolver: WaypointResolver,
    cands: Any,
    anchors: dict[int, tuple[Waypoint, str, str]],
    tkeys: pd.DataFrame,
    priors: RoutePriors | None,
    xy: dict[int, np.ndarray],
) -> dict[int, dict[int, float]]:
    """Target key -> {candidate: prior probability} from the priors (per group and year).

    ``cands`` numbers the candidates (``cands.id(start, end)``); ``xy`` holds each anchor's
    point (EPSG:3035).
    """
    out: dict[int, dict[int, float]] = {}
    rows = list(
        zip(tkeys["t"].tolist(), tkeys["g"].tolist(), tkeys["year_t"].tolist(), strict=True)
    )
    keys = [(int(g), priors.year_key(year) if priors is not None else -1) for _t, g, year in rows]
    # the prior legs of every distinct (group, year), the points of one year in one call
    distinct = list(dict.fromkeys(keys))
    legs_of: dict[tuple[int, int], list[Any]] = {}
    for yk in dict.fromkeys(k[1] for k in distinct):
        mine = [k for k in distinct if k[1] == yk]
        points = [
            (float(xy[g][0]), float(xy[g][1]), _anchor_jurisdiction(index, anchors[g]))
            for g, _ in mine
        ]
        legs_of.update(zip(mine, prior_legs_many(points, priors=priors, year=yk), strict=True))
    done: dict[tuple[int, int], dict[int, float]] = {}
    # a leg's candidate depends on its tokens and the role alone: resolved once
    leg_cand: dict[tuple[Any, ...], int | None] = {}
    for (t, _g, _year), key in zip(rows, keys, strict=True):
        if key not in done:  # in the order of the keys: candidates are numbered as met
            done[key] = _prior_scores_one(
                resolver, cands, anchors[key[0]][1], legs_of[key], leg_cand
            )
        if done[key]:
            out[int(t)] = done[key]
    return out


def _anchor_jurisdiction(index: GraphIndex, anchor: tuple[Waypoint, str, str]) -> str | None:
    """The recorded jurisdiction of an anchor, else that of its node (None if neither)."""
    wp, _role, jur = anchor
    return (jur or str(index.jurisdiction[wp.nodes[0]] or "")) or None


def _prior_scores_one(
    resolver: WaypointResolver,
    cands: Any,
    role: str,
    legs: list[Any],
    leg_cand: dict[tuple[Any, ...], int | None],
) -> dict[int, float]:
    """{candidate: prior probability} of one anchor's prior ``legs``; ``leg_cand`` caches legs."""
    scores: dict[int, float] = {}
    for leg in legs:
        key = (role, leg.start, leg.end)
        if key not in leg_cand:
            leg_cand[key] = _prior_candidate(resolver, cands, leg, role)
        cid = leg_cand[key]
        if cid is None:
            continue
        scores[cid] = scores.get(cid, 0.0) + leg.weight
    total = sum(scores.values())
    return {c: v / total for c, v in scores.items()} if total > 0 else {}


def _prior_candidate(resolver: WaypointResolver, cands: Any, leg: Any, role: str) -> int | None:
    """The candidate of a prior leg for a target of ``role``; None if an end does not resolve."""
    start = None if role == "origin" else resolve_chain(resolver, leg.start)
    end = None if role == "destination" else resolve_chain(resolver, leg.end)
    if (start is None and role != "origin") or (end is None and role != "destination"):
        return None
    return cands.id(start, end)
