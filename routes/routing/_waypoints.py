"""Waypoint resolution: places, crossing ids and countries -> small sets of network nodes.

Private. The public rule text is :data:`routes.routing.COUNTRY_RULES_DOC`; the tables are
:data:`COUNTRY_HUBS` and :data:`COUNTRY_GATEWAYS` (re-exported by :mod:`routes.routing`).

Coordinates of hubs and gateways are public facts (city centres from GeoNames, CC BY 4.0;
crossing locations from OpenStreetMap, ODbL "© OpenStreetMap contributors"), rounded to
~0.01 degree; they are snapped to the nearest node of the network at run time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from routes._constants import NETWORK_REACH_KM

if TYPE_CHECKING:
    from routes.routing._engine import GraphIndex

__all__ = [
    "COUNTRY_GATEWAYS",
    "COUNTRY_HUBS",
    "GATEWAY_POINTS",
    "MAX_CROSSING_SNAP_M",
    "MAX_GATEWAY_SNAP_M",
    "MAX_HUB_SNAP_M",
    "MAX_PLACE_SNAP_M",
    "MAX_SEIZURE_AT_CROSSING_M",
    "Waypoint",
    "WaypointResolver",
]

#: A place or a seizure point farther than this from every junction is not routed (the message
#: says so): it lies outside the network. The region test uses the same rule
#: (:data:`routes._constants.NETWORK_REACH_KM`), so a point validation accepts is within it.
MAX_PLACE_SNAP_M = NETWORK_REACH_KM * 1000.0
#: A crossing of the crossings table with no node of its own snaps to a node within this.
MAX_CROSSING_SNAP_M = 10_000.0
#: A seizure point this close to a crossing, port or airport is taken to be at it.
MAX_SEIZURE_AT_CROSSING_M = 2_000.0
#: Hubs farther than this from the network are ignored (the country is then not "in" it).
MAX_HUB_SNAP_M = 25_000.0
#: Gateways farther than this from the network are ignored.
MAX_GATEWAY_SNAP_M = 60_000.0

#: Main hubs per jurisdiction (capital first): name, lon, lat (GeoNames city centres).
COUNTRY_HUBS: dict[str, tuple[tuple[str, float, float], ...]] = {
    "AL": (
        ("Tirana", 19.82, 41.33),
        ("Durrës", 19.44, 41.32),
        ("Shkodër", 19.51, 42.07),
        ("Vlorë", 19.49, 40.47),
    ),
    "BA": (
        ("Sarajevo", 18.36, 43.85),
        ("Banja Luka", 17.19, 44.78),
        ("Tuzla", 18.67, 44.54),
        ("Mostar", 17.81, 43.34),
    ),
    "XK": (
        ("Pristina", 21.17, 42.67),
        ("Prizren", 20.74, 42.21),
        ("Peja", 20.29, 42.66),
        ("Mitrovica", 20.87, 42.89),
    ),
    "ME": (("Podgorica", 19.26, 42.44), ("Nikšić", 18.94, 42.77), ("Bar", 19.10, 42.09)),
    "MK": (
        ("Skopje", 21.43, 42.00),
        ("Bitola", 21.33, 41.03),
        ("Kumanovo", 21.71, 42.13),
        ("Tetovo", 20.97, 42.01),
    ),
    "RS": (
        ("Belgrade", 20.47, 44.80),
        ("Novi Sad", 19.83, 45.25),
        ("Niš", 21.90, 43.32),
        ("Kragujevac", 20.91, 44.01),
    ),
    "HR": (
        ("Zagreb", 15.98, 45.82),
        ("Split", 16.44, 43.51),
        ("Rijeka", 14.44, 45.33),
        ("Osijek", 18.70, 45.56),
    ),
    "SI": (("Ljubljana", 14.51, 46.06), ("Maribor", 15.65, 46.55)),
    "HU": (("Budapest", 19.04, 47.50), ("Szeged", 20.14, 46.25), ("Pécs", 18.23, 46.07)),
    "RO": (("Bucharest", 26.10, 44.43), ("Timișoara", 21.21, 45.75), ("Craiova", 23.79, 44.33)),
    "BG": (("Sofia", 23.32, 42.70), ("Plovdiv", 24.75, 42.14)),
    "GR": (("Athens", 23.73, 37.98), ("Thessaloniki", 22.94, 40.64), ("Ioannina", 20.85, 39.67)),
    "IT": (
        ("Rome", 12.50, 41.90),
        ("Bari", 16.87, 41.12),
        ("Trieste", 13.78, 45.65),
        ("Ancona", 13.52, 43.62),
    ),
    "AT": (("Vienna", 16.37, 48.21), ("Graz", 15.44, 47.07), ("Klagenfurt", 14.31, 46.62)),
    "TR": (("Istanbul", 28.98, 41.01), ("Edirne", 26.56, 41.68)),
}

#: Exit points of the network toward countries beyond it: label, lon, lat.
GATEWAY_POINTS: dict[str, tuple[str, float, float]] = {
    "SPIELFELD": ("Šentilj–Spielfeld (SI-AT, A1/A9, E57)", 15.64, 46.69),
    "KARAWANKEN": ("Karawanken tunnel (SI-AT, A2, E61)", 14.01, 46.48),
    "HEGYESHALOM": ("Hegyeshalom–Nickelsdorf (HU-AT, M1, E60)", 17.15, 47.90),
    "BUDAPEST": ("Budapest (HU, M1/M0 toward AT, SK, CZ, PL)", 19.04, 47.50),
    "FERNETTI": ("Fernetiči–Fernetti (SI-IT, E70)", 13.84, 45.70),
    "KAPITAN_ANDREEVO": ("Kapitan Andreevo–Kapıkule (BG-TR, E80)", 26.32, 41.72),
    "KIPOI": ("Kipoi–İpsala (GR-TR, E90)", 26.35, 40.93),
    "BUCHAREST": ("Bucharest (RO, toward MD, UA)", 26.10, 44.43),
    "BARI": ("Port of Bari (IT, ferries to AL, ME)", 16.87, 41.13),
    "ANCONA": ("Port of Ancona (IT, ferries to HR, AL)", 13.50, 43.62),
}

_NW = ("SPIELFELD", "KARAWANKEN", "HEGYESHALOM", "BUDAPEST")
_W = ("FERNETTI", "KARAWANKEN", "SPIELFELD", "ANCONA", "BARI")
_N = ("BUDAPEST", "HEGYESHALOM", "SPIELFELD")
_SE = ("KAPITAN_ANDREEVO", "KIPOI")
_E = ("BUCHAREST",)

#: Countries beyond the network -> ordered gateway keys of :data:`GATEWAY_POINTS`. A country of
#: the region that has no node in the network falls back to this table too.
COUNTRY_GATEWAYS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("DE", "NL", "BE", "LU", "DK", "SE", "NO", "FI", "IS", "GB", "IE"), _NW),
    **dict.fromkeys(("FR", "CH", "LI", "ES", "PT", "MC", "AD"), _W),
    **dict.fromkeys(("CZ", "PL", "SK", "LT", "LV", "EE"), _N),
    "AT": ("SPIELFELD", "KARAWANKEN", "HEGYESHALOM"),
    "IT": ("FERNETTI", "BARI", "ANCONA"),
    "HU": ("BUDAPEST",),
    **dict.fromkeys(("UA", "MD", "BY", "RU"), _E),
    **dict.fromkeys(
        ("TR", "CY", "SY", "IQ", "IR", "AF", "PK", "LB", "JO", "IL", "GE", "AM", "AZ"), _SE
    ),
}

_CROSSING_ID = re.compile(r"^[A-Z]{2}-[A-Z0-9]+(?:-[A-Z0-9]+)+$")


@dataclass(frozen=True)
class Waypoint:
    """A resolved waypoint token: candidate nodes and how they were found."""

    token: str
    nodes: tuple[int, ...]
    rule: str  # place | crossing | seizure | country_hubs | country_gateway
    label: str
    error: str | None = None

    @property
    def observed(self) -> bool:
        return self.rule in ("place", "crossing", "seizure")


class WaypointResolver:
    """Resolve tokens once each (memoised) against a graph index."""

    def __init__(self, index: GraphIndex, *, gazetteer: Any = None, crossings: Any = None) -> None:
        self.index = index
        self._gazetteer = gazetteer
        self._crossings = crossings
        self._cache: dict[tuple[str, str | None], Waypoint] = {}
        self._country_cache: dict[str, Waypoint] = {}
        self._crossing_names: dict[str, str] | None = None
        self._place_snaps: dict[tuple[float, float], tuple[int, float]] | None = None

    # -- gazetteer -----------------------------------------------------------------------------
    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:
            from routes.geo import gazetteer as gz

            self._gazetteer = gz.load_gazetteer()
        return self._gazetteer

    def _crossing_name_table(self) -> dict[str, str]:
        """normalised crossing names ("presevo", "presevo tabanovce") -> crossing_id."""
        if self._crossing_names is not None:
            return self._crossing_names
        table: dict[str, str] = {}
        cr = self._crossings_table()
        if cr is not None and "crossing_id" in getattr(cr, "columns", ()):
            from routes.geo.gazetteer import normalize_name

            for row in cr.itertuples(index=False):
                cid = str(row.crossing_id).upper()
                if cid not in self.index.crossing_node:
                    continue
                a = getattr(row, "name_a", None)
                b = getattr(row, "name_b", None)
                if isinstance(a, str) and isinstance(b, str):
                    for combo in (f"{a} {b}", f"{b} {a}"):
                        table.setdefault(normalize_name(combo), cid)
        self._crossing_names = table
        return table

    # -- resolution ----------------------------------------------------------------------------
    def resolve(self, token: str, *, jurisdiction: str | None = None) -> Waypoint:
        key = (token, jurisdiction)
        wp = self._cache.get(key)
        if wp is None:
            wp = self._resolve(token, jurisdiction)
            self._cache[key] = wp
        return wp

    def _resolve(self, token: str, jurisdiction: str | None) -> Waypoint:
        ix = self.index
        up = token.strip().upper()
        if up in ix.crossing_node:
            return Waypoint(token, (ix.crossing_node[up],), "crossing", up)
        from routes.geo.gazetteer import country_code

        code = country_code(token)
        if code is not None:
            return self.country(code, token)
        if _CROSSING_ID.match(up):
            snapped = self._crossing_from_table(up)
            if snapped is not None:
                return snapped
            return Waypoint(
                token,
                (),
                "crossing",
                up,
                error=(
                    f"crossing id {token!r} is not in the network; use a crossing_id of "
                    "routes.load_crossings() (e.g. 'RS-MK-PRESEVO')"
                ),
            )
        names = self._crossing_name_table()
        if names:
            from routes.geo.gazetteer import normalize_name

            cid = names.get(normalize_name(token))
            if cid is not None:
                return Waypoint(token, (ix.crossing_node[cid],), "crossing", cid)
        return self._place(token, jurisdiction)

    def _crossings_table(self) -> Any:
        if self._crossings is None:
            try:
                from routes.geo import borders as geography

                self._crossings = geography.load_crossings()
            except Exception:  # the table is optional: ids in the graph need none
                self._crossings = False
        return self._crossings if self._crossings is not False else None

    def _crossing_from_table(self, cid: str) -> Waypoint | None:
        """A crossing of the crossings table that has no node: snap its point (<= 10 km)."""
        cr = self._crossings_table()
        if cr is None or "crossing_id" not in getattr(cr, "columns", ()):
            return None
        hit = cr[cr["crossing_id"].astype(str).str.upper() == cid]
        if hit.empty or hit.geometry.iloc[0] is None:
            return None
        pt = hit.geometry.iloc[0]
        node, dist = self.index.snap([pt.x], [pt.y])
        if dist[0] > MAX_CROSSING_SNAP_M:
            return None
        return Waypoint(
            cid, (int(node[0]),), "crossing", f"{cid} (snapped {dist[0] / 1000:.1f} km)"
        )

    def _place(self, token: str, jurisdiction: str | None) -> Waypoint:
        gz = self.gazetteer
        place: Any
        if isinstance(gz, dict):
            if token not in gz:
                return Waypoint(
                    token, (), "place", token, error=f"place {token!r} not in the gazetteer"
                )
            lon, lat = gz[token]
            label = token
        else:
            try:
                place = gz.lookup(token)
            except LookupError as exc:
                err: LookupError = exc
                place = None
                if jurisdiction and type(exc).__name__ == "AmbiguousPlaceError":
                    # the incident's jurisdiction may settle it; else keep the ambiguity
                    try:
                        place = gz.lookup(token, jurisdiction=jurisdiction)
                    except LookupError:
                        place = None
                if place is None:
                    return Waypoint(token, (), "place", token, error=str(err))
            lon, lat = float(place.longitude), float(place.latitude)
            label = f"{place.name} ({place.jurisdiction})"
        node, dist = self._snap_place(lon, lat)
        if dist[0] > MAX_PLACE_SNAP_M:
            return Waypoint(
                token,
                (),
                "place",
                label,
                error=(
                    f"place {label} lies {dist[0] / 1000:.0f} km from the nearest network node "
                    f"(limit {MAX_PLACE_SNAP_M / 1000:.0f} km): outside the network"
                ),
            )
        return Waypoint(token, (int(node[0]),), "place", label)

    def _snap_place(self, lon: float, lat: float) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`GraphIndex.snap` of one place (junctions only), from one call for them all.

        Snapping point by point pays the projection and the tree query per place; the places
        of a gazetteer table are snapped together the first time one is needed (the same
        transformer and tree, so the same node and distance as one by one).
        """
        if self._place_snaps is None:
            self._place_snaps = {}
            table = getattr(self.gazetteer, "places", None)
            if isinstance(table, pd.DataFrame) and {"longitude", "latitude"} <= set(table):
                x = table["longitude"].to_numpy(dtype=float)
                y = table["latitude"].to_numpy(dtype=float)
                nodes, dists = self.index.snap(x, y, junctions_only=True)
                self._place_snaps = {
                    xy: (nd, d)
                    for xy, nd, d in zip(
                        zip(x.tolist(), y.tolist(), strict=True),
                        nodes.tolist(),
                        dists.tolist(),
                        strict=True,
                    )
                }
        got = self._place_snaps.get((lon, lat))
        if got is None:
            return self.index.snap([lon], [lat], junctions_only=True)
        return np.array([got[0]], dtype=np.int64), np.array([got[1]])

    def country(self, code: str, token: str | None = None) -> Waypoint:
        """Hubs of a country in the network, else its gateways (see COUNTRY_RULES_DOC)."""
        wp = self._country_cache.get(code)
        if wp is not None:
            return wp if token is None else Waypoint(token, wp.nodes, wp.rule, wp.label, wp.error)
        ix = self.index
        nodes: list[int] = []
        names: list[str] = []
        hubs = COUNTRY_HUBS.get(code, ())
        if hubs:
            node, dist = ix.snap([h[1] for h in hubs], [h[2] for h in hubs], junctions_only=True)
            for h, nd, d in zip(hubs, node, dist, strict=True):
                jur = ix.jurisdiction[nd]
                if d <= MAX_HUB_SNAP_M and (jur is None or jur == code):
                    if int(nd) not in nodes:
                        nodes.append(int(nd))
                    names.append(h[0])
        if nodes:
            wp = Waypoint(
                token or code, tuple(nodes), "country_hubs", f"{code} hubs: {', '.join(names)}"
            )
        else:
            keys = COUNTRY_GATEWAYS.get(code, ())
            pts = [GATEWAY_POINTS[k] for k in keys]
            if pts:
                node, dist = ix.snap([p[1] for p in pts], [p[2] for p in pts])
                for p, nd, d in zip(pts, node, dist, strict=True):
                    if d <= MAX_GATEWAY_SNAP_M and int(nd) not in nodes:
                        nodes.append(int(nd))
                        names.append(p[0])
            if nodes:
                wp = Waypoint(
                    token or code,
                    tuple(nodes),
                    "country_gateway",
                    f"{code} via {'; '.join(names)}",
                )
            else:
                wp = Waypoint(
                    token or code,
                    (),
                    "country_gateway",
                    code,
                    error=(
                        f"country {code} has no node in the network and no usable gateway; "
                        "add it to routes.COUNTRY_GATEWAYS (keys of routes.GATEWAY_POINTS) or "
                        "give a place or crossing instead"
                    ),
                )
        self._country_cache[code] = wp
        return wp if token is None else Waypoint(token, wp.nodes, wp.rule, wp.label, wp.error)

    def seizure_nodes(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Node of each seizure point: -1 when missing, -2 when too far from the network.

        A seizure point snaps to the nearest junction, or to a crossing, port or airport when
        one lies within :data:`MAX_SEIZURE_AT_CROSSING_M` (a seizure at the crossing).
        """
        ok = np.isfinite(lon) & np.isfinite(lat)
        out = np.full(len(lon), -1, dtype=np.int64)
        dist = np.full(len(lon), np.nan)
        if ok.any():
            # the nearest junction, unless a crossing / port / airport is within 2 km
            (node, d), (any_node, any_d) = self.index.snap_both(lon[ok], lat[ok])
            at_crossing = (any_d <= MAX_SEIZURE_AT_CROSSING_M) & self.index.is_official[any_node]
            node = np.where(at_crossing, any_node, node)
            d = np.where(at_crossing, any_d, d)
            node = np.where(d <= MAX_PLACE_SNAP_M, node, -2)
            out[ok] = node
            dist[ok] = d
        return out, dist
