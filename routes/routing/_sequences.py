"""Incidents -> groups of identical records -> distinct waypoint sequences.

Private. Incidents with the same waypoint text, seizure node, place, jurisdiction and mode are
one *group*, resolved once; groups that resolve to the same node sets are one *sequence*,
routed once (see :mod:`routes.routing._core`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._constants import NETWORK_REACH_KM
from routes.routing._frame import WAYPOINT_COLUMNS, seizure_lonlat, split_list, text_column
from routes.routing._waypoints import Waypoint

if TYPE_CHECKING:
    from collections.abc import Callable, Set

    from routes.routing._waypoints import WaypointResolver

__all__ = [
    "Groups",
    "IncidentKeys",
    "Sequences",
    "collapse",
    "incident_keys",
    "resolve_groups",
]


@dataclass
class IncidentKeys:
    """Per-incident text columns, seizure node and group, and the first row of each group."""

    cols: dict[str, np.ndarray]
    seize_node: np.ndarray  # node, -1 no coordinates, -2 too far from the network
    place_tok: np.ndarray  # the place name where the seizure has no coordinates
    rail: np.ndarray  # bool: routed with rail edges
    group: np.ndarray  # group of each incident
    first: np.ndarray  # first incident of each group

    @property
    def n_groups(self) -> int:
        return len(self.first)


@dataclass
class Sequences:
    """Distinct waypoint sequences (each routed once) and their variant (road | rail)."""

    waypoints: list[list[Waypoint]] = field(default_factory=list)
    variant: list[str] = field(default_factory=list)
    index: dict[tuple[Any, ...], int] = field(default_factory=dict)

    def add(self, wps: list[Waypoint], variant: str) -> int:
        """The id of the sequence ``wps`` (added when new)."""
        skey = (variant, *((w.nodes, w.rule, w.label) for w in wps))
        sid = self.index.get(skey)
        if sid is None:
            sid = len(self.waypoints)
            self.index[skey] = sid
            self.waypoints.append(wps)
            self.variant.append(variant)
        return sid

    def __len__(self) -> int:
        return len(self.waypoints)


@dataclass
class Groups:
    """What each group resolved to: a sequence id, or a reason, and its waypoints."""

    seq: list[int]
    reason: list[str | None]
    waypoints: list[list[Waypoint]]  # the resolved waypoints (before collapsing)
    roles: list[list[str]]  # the role of each: origin | transit | crossing | seizure | ...
    sequences: Sequences
    thin: list[bool]  # resolved without error to fewer than two waypoints (no route)


def _each_distinct(values: np.ndarray, test: Callable[[Any], bool]) -> np.ndarray:
    """``test`` of every value as a boolean array, called once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return np.fromiter((test(u) for u in uniques), dtype=bool, count=len(uniques))[codes]


def incident_keys(df: pd.DataFrame, resolver: WaypointResolver) -> IncidentKeys:
    """Read the waypoint columns, snap the seizure points and group identical records."""
    n = len(df)
    cols = {
        c: (text_column(df[c]) if c in df.columns else np.full(n, "", dtype=object))
        for c in (*WAYPOINT_COLUMNS, "place", "jurisdiction")
    }
    lon, lat = seizure_lonlat(df)
    seize_node, _ = resolver.seizure_nodes(lon, lat)
    # a seizure without coordinates falls back to its place name
    place_tok = np.where(seize_node == -1, cols["place"], "")
    # rail edges only for trips by train or through a rail crossing (see CostProfile)
    rail = np.zeros(n, dtype=bool)
    if "modus_operandi" in df.columns:
        modus = df["modus_operandi"].astype(object).where(df["modus_operandi"].notna(), "")
        rail |= _each_distinct(modus.to_numpy(), lambda v: str(v).strip().lower() == "train")
    for c in WAYPOINT_COLUMNS:
        rail |= _each_distinct(cols[c], lambda v: "-RAIL-" in str(v).upper())
    key_df = pd.DataFrame(
        {
            "m": rail,
            "o": cols["origin"],
            "t": cols["transit"],
            "c": cols["crossing"],
            "s": seize_node,
            "p": place_tok,
            "d": cols["destination"],
            "j": cols["jurisdiction"],
        }
    )
    group = key_df.groupby(list(key_df.columns), sort=False, dropna=False).ngroup().to_numpy()
    n_groups = int(group.max()) + 1 if n else 0
    first = np.full(n_groups, -1, dtype=np.int64)
    order = np.argsort(group, kind="stable")
    if n:
        starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
        first[group[order][starts]] = order[starts]
    return IncidentKeys(cols, seize_node, place_tok, rail, group, first)


def _group_waypoints(
    keys: IncidentKeys, r: int, resolver: WaypointResolver, ignore: Set[str]
) -> tuple[list[Waypoint], list[str], list[str]]:
    """Incident ``r``'s waypoints in travel order, their roles, and the errors met."""
    cols = keys.cols
    jur = cols["jurisdiction"][r] or None
    wps: list[Waypoint] = []
    roles: list[str] = []
    errors: list[str] = []

    def add(token: str, role: str) -> None:
        if not token or token.upper() in ignore:
            return
        wp = resolver.resolve(token, jurisdiction=jur)
        if wp.error:
            errors.append(f"{role} {token!r}: {wp.error}")
        else:
            wps.append(wp)
            roles.append(role)

    add(cols["origin"][r], "origin")
    for t in split_list(cols["transit"][r]):
        add(t, "transit")
    for t in split_list(cols["crossing"][r]):
        add(t, "crossing")
    sn = int(keys.seize_node[r])
    if sn >= 0:
        wps.append(Waypoint(f"@{sn}", (sn,), "seizure", "seizure location"))
        roles.append("seizure")
    elif sn == -2:
        errors.append(
            f"seizure location lies more than {NETWORK_REACH_KM:.0f} km from every road junction "
            "of the network (outside the region covered); fix latitude/longitude, or give a "
            "network that reaches it"
        )
    elif keys.place_tok[r]:
        before = len(wps)
        add(keys.place_tok[r], "place")
        if len(wps) > before:
            w = wps[-1]
            wps[-1] = Waypoint(w.token, w.nodes, "seizure", f"seizure at {w.label}")
            roles[-1] = "seizure"
    add(cols["destination"][r], "destination")
    return wps, roles, errors


def collapse(wps: list[Waypoint]) -> list[Waypoint]:
    """Merge consecutive waypoints on the same nodes (an observed one wins)."""
    collapsed: list[Waypoint] = []
    for wp in wps:
        if collapsed and collapsed[-1].nodes == wp.nodes:
            if wp.observed and not collapsed[-1].observed:
                collapsed[-1] = wp
            continue
        collapsed.append(wp)
    if len(collapsed) == 1:
        collapsed = [collapsed[0], collapsed[0]]
    return collapsed


def resolve_groups(keys: IncidentKeys, resolver: WaypointResolver, ignore: Set[str]) -> Groups:
    """Resolve each group once into a waypoint sequence (or the reason it has none)."""
    n_groups = keys.n_groups
    groups = Groups(
        [-1] * n_groups,
        [None] * n_groups,
        [[] for _ in range(n_groups)],
        [[] for _ in range(n_groups)],
        Sequences(),
        [False] * n_groups,
    )
    for g in range(n_groups):
        r = int(keys.first[g])
        wps, roles, errors = _group_waypoints(keys, r, resolver, ignore)
        groups.waypoints[g] = wps
        groups.roles[g] = roles
        if errors:
            groups.reason[g] = "; ".join(errors)
            continue
        if len(wps) < 2:
            groups.thin[g] = True
            groups.reason[g] = (
                "only one waypoint (" + (wps[0].label if wps else "none") + "): give an origin, "
                "transit, crossing or destination besides the seizure location to draw a route"
            )
            continue
        variant = "rail" if keys.rail[r] else "road"
        groups.seq[g] = groups.sequences.add(collapse(wps), variant)
    return groups
