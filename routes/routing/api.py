"""A route per incident on the network, with alternatives, probabilities and cost profiles.

The waypoints a record gives are visited in this order::

    origin -> transit (each "|"-separated item, in order) -> crossing -> seizure location
           -> destination

Each waypoint is a place (looked up in the gazetteer), a crossing id (``"RS-MK-PRESEVO"``) or a
country (ISO code or name, resolved with :func:`routes.country_code`). Country waypoints follow
an explicit rule, see :data:`COUNTRY_RULES_DOC` and :data:`routes.COUNTRY_GATEWAYS`. Between
consecutive waypoints the least-cost path under a :class:`CostProfile` is taken; alternatives
are the least-cost routes through *other* border crossings on one leg (``k`` routes per
incident at most: the best and ``k - 1`` alternatives) and share the incident with
multinomial-logit probabilities on relative cost::

    p_i = exp(-theta * (c_i / c_0 - 1)) / sum_j exp(-theta * (c_j / c_0 - 1))

where ``c_0`` is the best cost. With the default ``theta`` a route 10 % dearer than the best
gets ``exp(-theta * 0.1)`` of its weight.

Performance: incidents are grouped by their distinct waypoint sequence and each sequence is
routed once; every distinct name is looked up once; the graph work runs on a
:mod:`scipy.sparse.csgraph` CSR matrix with one single-source Dijkstra tree per distinct source
(and one reverse tree per distinct target), reading many targets from each tree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

    import geopandas as gpd
    import networkx as nx
    import pandas as pd

from routes.routing._core import route_between_impl, route_incidents_impl
from routes.routing._index import graph_index
from routes.routing._infer import (
    BANDWIDTH_M,
    CATEGORY_FACTOR,
    DEFAULT_INFER,
    INFER_MODES,
    JURISDICTION_FACTOR,
    MAX_CANDIDATES,
    PERIOD_FACTOR,
    PERIOD_YEARS,
    PRIOR_STRENGTH,
)
from routes.routing._options import check_options, closed_nodes
from routes.routing._priors import PRIOR_BANDWIDTH_M
from routes.routing._waypoints import COUNTRY_GATEWAYS, COUNTRY_HUBS, GATEWAY_POINTS
from routes.routing.profiles import DEFAULT_K, DEFAULT_THETA, CostProfile
from routes.routing.result import RouteResult

__all__ = [
    "COUNTRY_GATEWAYS",
    "COUNTRY_HUBS",
    "COUNTRY_RULES_DOC",
    "DEFAULT_INFER",
    "GATEWAY_POINTS",
    "INFERENCE_DOC",
    "INFER_MODES",
    "check_routing_options",
    "reroute",
    "route_between",
    "route_incidents",
]

#: The documented rule for country-level waypoints.
COUNTRY_RULES_DOC = """\
Country waypoints (ISO code or English/local name, e.g. "BA", "Germany"):

1. A country with nodes in the network (origin, transit or destination): its main hubs, the
   table routes.COUNTRY_HUBS (the capital and up to three large cities, e.g. BA = Sarajevo,
   Banja Luka, Tuzla, Mostar), each snapped to the nearest road junction of that country
   within 25 km; the route goes through whichever hub gives the least total cost of the whole
   route. Rule "country_hubs".
2. A country beyond the network (DE, FR, NL, SE, CH, ...), or one whose hubs are all off the
   network: the network's exits toward it, routes.COUNTRY_GATEWAYS -> routes.GATEWAY_POINTS
   (e.g. Germany via Sentilj-Spielfeld, the Karawanken tunnel, Hegyeshalom or Budapest),
   snapped within 60 km; the least-cost exit is used. Rule "country_gateway".
3. A country in neither table cannot be routed: the incident is listed in ``unrouted`` with
   the fix (add it to routes.COUNTRY_GATEWAYS).

Every leg that starts or ends at a country waypoint is labelled "inferred".
"""


#: The documented model of inferred legs (``route_incidents(infer=...)``); the annex quotes it.
INFERENCE_DOC = f"""\
Inferred legs (route_incidents(infer="none" | "recorded" | "priors"); default "priors"):

Most seizure records give only the place of seizure. Such an incident (one waypoint after
resolution) is a target; the incidents routed on their own record are donors. A target at
seizure place s borrows the ends of the donors' routes (their first and last waypoint: the
origin and destination as recorded), never their crossing: the crossing follows from routing
the target origin -> s -> destination on the network, with its alternatives as usual.

1. Donor weight: w = exp(-0.5 (d / {BANDWIDTH_M / 1000:.0f} km)^2), d the distance between the
   two seizure places (EPSG:3035; donors beyond {3 * BANDWIDTH_M / 1000:.0f} km do not count),
   times {CATEGORY_FACTOR} when the category group differs (small arms, military arms, converted
   and parts, explosives, ammunition, other), {JURISDICTION_FACTOR} when the recording
   jurisdiction differs and {PERIOD_FACTOR} when the dates are more than {PERIOD_YEARS} year
   apart (an unknown value never lowers the weight). A target with only an origin borrows the
   destinations of donors whose origin lies near it, and the other way round.
2. Candidates: every distinct (origin, destination) of the donors scores the sum of their
   weights. With infer="priors" each also scores {PRIOR_STRENGTH:g} pseudo-incidents times its
   prior. The priors are the analyst's own evidence when given (priors=...): the routes a
   questionnaire reports (from, via, to, weighted by the reported seizures, by year when the
   incident's year is one the questionnaire reports) or a corridor table (from, via, to,
   weight, source); a route counts for a seizure in a jurisdiction it passes, by its share,
   and keeps its order around the seizure (a seizure in AL on AL > MK > GR is routed
   AL -> seizure -> MK -> GR). Without them the fallback is the bundled corridors of
   routes.geo.CORRIDORS, a modelling assumption (each corridor names its public source): by
   share, times exp(-0.5 (d / {PRIOR_BANDWIDTH_M / 1000:.0f} km)^2) for the distance d from s to
   the corridor's line (within {3 * PRIOR_BANDWIDTH_M / 1000:.0f} km; else the corridors through
   the incident's jurisdiction). Where recorded routes are many the priors hardly matter; where
   they are thin the priors decide. infer="recorded" turns the priors off.
3. Probabilities: the {MAX_CANDIDATES} best candidates, score over the sum of their scores.
   The incident's weight is spread over candidate x alternative: probability = P(candidate)
   x logit probability of the alternative, so each incident still sums to 1 and every
   expected count is a sum of probabilities.
4. Marking: inferred waypoints have the rule "infer_recorded:..." or "infer_prior:...";
   the column inferred is True on the incident's assignments, its routes and paths, and on
   each leg that starts or ends at an inferred waypoint. Flows from recorded legs alone:
   inferred=False on every flow function; routes.compare_inferred puts both side by side.
5. No candidate (infer="recorded" with no donor nearby, or no corridor either): the incident
   stays in unrouted with the reason. Nothing is inferred for an incident that gives no
   waypoint at all.
"""


def route_incidents(
    incidents: pd.DataFrame,
    G: nx.MultiDiGraph | None = None,  # noqa: N803 - networkx convention
    *,
    profile: str | CostProfile = "least_time",
    k: int = DEFAULT_K,
    theta: float = DEFAULT_THETA,
    max_stretch: float = 1.5,
    crossings: gpd.GeoDataFrame | None = None,
    gazetteer: Any = None,
    closed: Sequence[str] = (),
    progress: bool = False,
    infer: str = DEFAULT_INFER,
    priors: Any = None,
) -> RouteResult:
    """Route every incident on the network.

    Parameters
    ----------
    incidents
        Canonical incidents (from :func:`routes.read_incidents`), a GeoDataFrame or DataFrame
        with at least ``incident_id`` and one of ``origin``/``transit``/``crossing``/
        ``destination``; the seizure location is taken from ``geometry`` (or ``latitude``/
        ``longitude``, else ``place``) when present. An ``IncidentReadResult`` (lenient read)
        is accepted too: its ``accepted`` rows are routed.
    G
        The network (:func:`routes.load_network` when None).
    profile
        A name from :data:`PROFILES` or a :class:`CostProfile`.
    k
        Routes per incident: the best and at most ``k - 1`` alternatives through other
        crossings (``k=1``: best only).
    theta
        Logit spread on relative cost (see the module docs); larger is more concentrated.
    max_stretch
        Alternatives costing more than ``max_stretch`` times the best are not considered.
    crossings
        The crossings table (:func:`routes.load_crossings` when None); used to resolve
        crossing names, never required when ids match the graph's ``crossing_id`` nodes.
    gazetteer
        A :class:`routes.Gazetteer` (the bundled one when None).
    closed
        Crossing ids treated as closed (their nodes are removed); see :func:`routes.what_if`.
    progress
        Show a progress bar.
    infer
        What to do with incidents whose record gives fewer than two waypoints (most often the
        seizure place alone): ``"none"`` leaves them unrouted, drawing only what the records
        say; ``"recorded"`` infers their origin and/or destination from the incidents whose
        routes are recorded; ``"priors"`` (default) does the same and adds the ``priors``
        below (by default the bundled regional corridors, :data:`routes.geo.CORRIDORS`),
        which decide where recorded routes are few; :func:`routes.evidence_mix` says how
        much of the route frequency each kind carries. See :data:`INFERENCE_DOC` for the
        model. Inferred candidates share the incident like alternatives do
        (``assignments.candidate``, ``probability``) and are flagged
        (``inferred`` in ``assignments``, ``routes``, ``legs``, ``path_table``).
    priors
        The priors of ``infer="priors"`` (see :func:`routes.routing.route_priors`): the routes
        a questionnaire reports (a :func:`routes.read_questionnaire` result, its accepted rows
        or :func:`routes.reported_routes`), a corridor table (``from, via, to, weight,
        source``; a DataFrame or a CSV/XLSX path), or None / ``"bundled"`` for the bundled
        regional corridors (a modelling assumption). The priors in use are kept in
        ``result.options["priors"]`` and named by :func:`routes.evidence_mix`.

    Returns
    -------
    RouteResult
        Incidents that cannot be routed are listed in ``.unrouted`` with the reason.

    Raises
    ------
    routes.ValidationError
        Bad options (unknown profile, ``k < 1``, ``theta < 0``, unknown closed crossing,
        unknown ``infer``) or missing required columns, each with the fix.
    """
    return route_incidents_impl(
        incidents,
        G,
        profile=profile,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        crossings=crossings,
        gazetteer=gazetteer,
        closed=closed,
        progress=progress,
        infer=infer,
        priors=priors,
    )


def route_between(
    origin: str,
    destination: str,
    G: nx.MultiDiGraph | None = None,  # noqa: N803 - networkx convention
    *,
    via: Sequence[str] = (),
    profile: str | CostProfile = "least_time",
    k: int = DEFAULT_K,
    theta: float = DEFAULT_THETA,
    max_stretch: float = 1.5,
    gazetteer: Any = None,
    closed: Sequence[str] = (),
) -> gpd.GeoDataFrame:
    """Route one trip ``origin -> via... -> destination`` and return its alternatives.

    Waypoints are places, crossing ids or countries as in :func:`route_incidents`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per alternative (best first): alternative, probability, cost, length_m,
        travel_time_s, crossings, green_border, geometry.

    Raises
    ------
    routes.ValidationError
        A waypoint cannot be resolved or the trip cannot be routed (message says why).
    """
    return route_between_impl(
        origin,
        destination,
        G,
        via=via,
        profile=profile,
        k=k,
        theta=theta,
        max_stretch=max_stretch,
        gazetteer=gazetteer,
        closed=closed,
    )


def check_routing_options(*, k: Any, theta: Any, max_stretch: Any = 1.5) -> None:
    """Check the numeric routing options before any work is done.

    Raises
    ------
    routes.ValidationError
        Every bad option at once (``k`` not an integer >= 1, ``theta`` not a finite number
        >= 0, ``max_stretch`` < 1), each with the default to use.
    """
    check_options(k, theta, max_stretch)


def reroute(
    result: RouteResult, close: Sequence[str], *, progress: bool = False
) -> tuple[RouteResult, tuple[str, ...]]:
    """Route ``result``'s incidents again with the crossings ``close`` closed as well.

    Options (profile, ``k``, ``theta``, crossings, gazetteer, infer) are those of ``result``; closed
    crossings named as waypoints in a record are skipped rather than failing the incident.

    Returns
    -------
    (RouteResult, tuple of str)
        The new result and the normalised ids of the crossings closed by this call.
    """
    from routes._errors import ValidationError

    if result.source is None:
        raise ValidationError("this RouteResult keeps no input incidents; re-run route_incidents")
    _, ids = closed_nodes(graph_index(result.graph), close)
    all_closed = tuple(dict.fromkeys((*result.closed, *ids)))
    after = route_incidents_impl(
        result.source,
        result.graph,
        profile=result.profile,
        k=result.k,
        theta=result.theta,
        max_stretch=result.max_stretch,
        crossings=result.options.get("crossings"),
        gazetteer=result.options.get("gazetteer"),
        closed=all_closed,
        progress=progress,
        ignore_waypoints=all_closed,
        infer=result.options.get("infer", "none"),
        priors=result.options.get("priors"),
    )
    return after, ids
