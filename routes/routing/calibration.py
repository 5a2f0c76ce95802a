"""How well the inference of missing legs recovers legs that were recorded: a hold-out test.

:func:`inference_calibration` takes incidents whose routes are fully recorded (origin and
destination given, routed through the seizure place), hides the route fields of a random share
of them (``holdout``, 20 % by default), routes everything again with the missing legs inferred
and scores, for the hidden incidents, how often the truth is the most likely inferred value
(top-1) or among the three most likely (top-3):

- origin country: the country of the recorded origin against the inferred candidates' origin
  countries (summed probability per country);
- crossing: the crossings of the recorded route's best path against the crossings the inferred
  routes pass (expected incidents per crossing; ``"(none)"`` when a route passes none); a hit is
  a predicted crossing the recorded route uses.

The figures describe the model on the data given (the bundled synthetic sample in the benchmark
and the annex); they are not a test threshold.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._errors import ValidationError
from routes.routing._core import route_incidents_impl
from routes.routing._frame import text_column
from routes.routing._index import graph_index
from routes.routing._infer import waypoint_country
from routes.routing._waypoints import WaypointResolver
from routes.routing.profiles import DEFAULT_K, DEFAULT_THETA

if TYPE_CHECKING:
    import networkx as nx

    from routes.routing.profiles import CostProfile
    from routes.routing.result import RouteResult

__all__ = ["inference_calibration"]

_ROUTE_FIELDS = ("origin", "transit", "crossing", "destination")
_NONE = "(none)"


def inference_calibration(
    incidents: pd.DataFrame,
    G: nx.MultiDiGraph | None = None,  # noqa: N803 - networkx convention
    *,
    holdout: float = 0.2,
    seed: int = 0,
    infer: str = "priors",
    profile: str | CostProfile = "least_time",
    k: int = DEFAULT_K,
    theta: float = DEFAULT_THETA,
    gazetteer: Any = None,
    crossings: Any = None,
    priors: Any = None,
) -> pd.DataFrame:
    """Top-1 / top-3 hit rates of the inferred origin country and crossing on held-out routes.

    Parameters
    ----------
    incidents
        Canonical incidents (e.g. ``routes.read_incidents(routes.synthetic_sample_path())``).
    G
        The network (the bundled one when None).
    holdout
        Share of the fully recorded incidents whose route fields are hidden (0 < holdout < 1).
    seed
        Seed of the random draw of the hidden incidents.
    infer
        ``"recorded"`` or ``"priors"`` (see :func:`routes.route_incidents`).
    profile, k, theta, gazetteer, crossings, priors
        As in :func:`routes.route_incidents` (``priors``: with ``infer="priors"``; None: the
        bundled corridors).

    Returns
    -------
    pandas.DataFrame
        One row per measure (``origin_country``, ``crossing``): measure, top1, top3 (shares
        of the hidden incidents, 0-1), hidden (incidents hidden), routed (hidden incidents
        that got an inferred route), recorded (fully recorded incidents), infer, holdout,
        seed, priors (the name of the priors used; "" with ``infer="recorded"``).

    Raises
    ------
    routes.ValidationError
        ``holdout`` outside (0, 1), ``infer`` not "recorded"/"priors", or no fully recorded
        incident to hold out.
    """
    if not isinstance(holdout, (int, float)) or not 0 < holdout < 1:
        raise ValidationError(f"holdout={holdout!r} must be a share between 0 and 1, e.g. 0.2")
    if infer not in ("recorded", "priors"):
        raise ValidationError(f"infer={infer!r} must be 'recorded' or 'priors' to calibrate")
    if not isinstance(incidents, pd.DataFrame) and isinstance(
        getattr(incidents, "accepted", None), pd.DataFrame
    ):
        incidents = incidents.accepted
    df = incidents.reset_index(drop=True)
    opts: dict[str, Any] = {
        "profile": profile,
        "k": k,
        "theta": theta,
        "max_stretch": 1.5,
        "crossings": crossings,
        "gazetteer": gazetteer,
        "closed": (),
        "progress": False,
    }
    full = route_incidents_impl(df, G, infer="none", **opts)
    recorded = _fully_recorded(full, df)
    if not len(recorded):
        raise ValidationError(
            "no fully recorded incident (origin, destination and a seizure place, routed) to "
            "hold out; calibrate on incidents with recorded routes"
        )
    rng = np.random.default_rng(seed)
    n_hide = max(1, round(holdout * len(recorded)))
    hidden = np.sort(rng.choice(recorded, size=n_hide, replace=False))
    truth_country = _origin_countries(full, df, hidden, gazetteer, crossings)
    truth_cross = _best_crossings(full, hidden)
    masked = df.copy()
    for col in _ROUTE_FIELDS:
        if col in masked.columns:
            masked[col] = masked[col].astype(object)
            masked.loc[hidden, col] = None
    inferred = route_incidents_impl(masked, full.graph, infer=infer, priors=priors, **opts)
    pred_country = _ranked(
        inferred.candidates.assign(key=inferred.candidates["origin_country"].fillna(_NONE)),
        "incident",
        "key",
        "probability",
    )
    pred_cross = _ranked(_crossing_weights(inferred), "incident", "key", "probability")
    rows = []
    for measure, truth, pred in (
        ("origin_country", {i: {c} for i, c in truth_country.items()}, pred_country),
        ("crossing", truth_cross, pred_cross),
    ):
        top1 = top3 = 0
        for i in hidden.tolist():
            ranked = pred.get(i, [])
            true = truth.get(i, set())
            top1 += bool(ranked[:1] and ranked[0] in true)
            top3 += bool(set(ranked[:3]) & true)
        rows.append((measure, top1 / n_hide, top3 / n_hide))
    routed = int(np.isin(hidden, inferred.assignments["incident"].to_numpy()).sum())
    out = pd.DataFrame(rows, columns=["measure", "top1", "top3"])
    return out.assign(
        hidden=n_hide,
        routed=routed,
        recorded=len(recorded),
        infer=infer,
        holdout=float(holdout),
        seed=int(seed),
        priors=inferred.options["priors"].name if infer == "priors" else "",
    )


def _fully_recorded(result: RouteResult, df: pd.DataFrame) -> np.ndarray:
    """Positions of the incidents with origin and destination routed through their seizure."""
    n = len(df)
    given = np.ones(n, dtype=bool)
    for col in ("origin", "destination"):
        given &= text_column(df[col]) != "" if col in df.columns else np.zeros(n, dtype=bool)
    a = result.assignments
    best = a[a["alternative"] == 0]
    legs = result.path_legs
    through = set(legs.loc[legs["rule"].astype(str).str.contains("seizure"), "path_id"].tolist())
    seized = best.loc[best["path_id"].isin(through), "incident"].to_numpy()
    ok = np.zeros(n, dtype=bool)
    ok[seized] = True
    return np.flatnonzero(ok & given)


def _origin_countries(
    result: RouteResult, df: pd.DataFrame, rows: np.ndarray, gazetteer: Any, crossings: Any
) -> dict[int, str]:
    """The country of each recorded origin (as the router resolves it)."""
    index = graph_index(result.graph)
    resolver = WaypointResolver(index, gazetteer=gazetteer, crossings=crossings)
    origin = text_column(df["origin"])
    jur = text_column(df["jurisdiction"]) if "jurisdiction" in df.columns else None
    out = {}
    for i in rows.tolist():
        wp = resolver.resolve(origin[i], jurisdiction=(jur[i] or None) if jur is not None else None)
        country = None if wp.error else waypoint_country(wp, index)
        if country is not None:
            out[i] = country
    return out


def _best_crossings(result: RouteResult, rows: np.ndarray) -> dict[int, set[str]]:
    """The crossings of each incident's best recorded path (``{"(none)"}`` when none)."""
    a = result.assignments
    best = a[(a["alternative"] == 0) & a["incident"].isin(rows)]
    cross = result.path_table["crossings"].to_numpy()
    return {
        int(i): set(str(cross[p]).split("|")) if cross[p] else {_NONE}
        for i, p in zip(best["incident"], best["path_id"], strict=True)
    }


def _crossing_weights(result: RouteResult) -> pd.DataFrame:
    """Expected incidents per (incident, crossing) of the inferred routes."""
    a = result.assignments[result.assignments["inferred"]]
    cross = result.path_table["crossings"].to_numpy()[a["path_id"].to_numpy()]
    frame = pd.DataFrame(
        {
            "incident": a["incident"].to_numpy(),
            "key": [str(c).split("|") if c else [_NONE] for c in cross],
            "probability": a["probability"].to_numpy(),
        }
    )
    return frame.explode("key")


def _ranked(frame: pd.DataFrame, by: str, key: str, weight: str) -> dict[int, list[str]]:
    """Per ``by``: the ``key`` values by summed ``weight``, largest first (ties by name)."""
    if frame.empty:
        return {}
    tot = frame.groupby([by, key], sort=True)[weight].sum().reset_index()
    tot = tot.sort_values([by, weight, key], ascending=[True, False, True], kind="stable")
    groups: Any = tot.groupby(by, sort=False)
    return {int(i): g[key].astype(str).tolist() for i, g in groups}
