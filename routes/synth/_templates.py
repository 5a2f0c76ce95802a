"""The generator's templates: every corridor stop and settlement, rendered once per process.

A template is a place where a synthetic incident can be recorded: a stop of a corridor of
:data:`routes.geo.CORRIDORS` (a settlement or a crossing, on each side of a crossing, for each
destination) with its origin, transit and destination already written out, or a settlement of
the six jurisdictions for incidents without a route. Anchors are pulled inside their
jurisdiction's outline so that jittered points stay there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from routes._constants import ALL_JURISDICTIONS
from routes.geo import CORRIDORS, ROUTE_CROSSINGS, ROUTE_PLACES
from routes.synth._facts import CATEGORY_PROFILES, DOMESTIC_JURISDICTION_WEIGHTS

__all__ = ["PROFILES", "Templates", "country_polygons", "inside", "templates"]

#: Share of the weight of incidents without a route that falls on the listed towns (the rest
#: falls on the smaller places of the bundled gazetteer).
_TOWN_SHARE = 0.75


@dataclass(frozen=True)
class Templates:
    """Rendered templates: one row per (corridor stop, side, destination) or settlement."""

    weight: np.ndarray  # float, sums to 1 within each kind
    is_route: np.ndarray  # bool
    jurisdiction: np.ndarray  # object
    place: np.ndarray  # object: settlement name, or crossing label
    place_resolvable: np.ndarray  # bool: a settlement name the gazetteer resolves
    anchor_lat: np.ndarray
    anchor_lon: np.ndarray
    at_crossing: np.ndarray  # bool
    crossing_here: np.ndarray  # object ("" when not at a crossing)
    crossing_before: np.ndarray  # object, last crossing passed before this stop
    origin_full: np.ndarray
    origin_code: np.ndarray
    dest_full: np.ndarray
    dest_code: np.ndarray
    transit_full_x: np.ndarray  # transit up to the crossing named in `crossing_before`
    transit_codes_x: np.ndarray
    transit_full_s: np.ndarray  # transit up to the seizure point
    transit_codes_s: np.ndarray
    profile: np.ndarray  # int index into PROFILES
    modes: np.ndarray  # int index into mode tables
    migrants_yes: np.ndarray  # float
    green_border: np.ndarray  # bool
    corridor: np.ndarray  # object label
    capital_lat: np.ndarray
    capital_lon: np.ndarray


#: The category profiles, in the order of :data:`Templates.profile`.
PROFILES = tuple(CATEGORY_PROFILES)


def _crossing_table() -> dict[str, tuple[str, str, float, float, str]]:
    """crossing_id -> (jurisdiction_a, jurisdiction_b, lat, lon, label).

    The project's crossing table (:func:`routes.load_crossings`) wins when it lists the id; the
    approximate fall-backs of :data:`routes.geo.ROUTE_CROSSINGS` are used otherwise.
    """
    table = {
        c.crossing_id: (
            c.jurisdiction_a,
            c.jurisdiction_b,
            c.latitude,
            c.longitude,
            c.crossing_id.split("-", 2)[2].replace("-", " ").title() + " BCP",
        )
        for c in ROUTE_CROSSINGS
    }
    try:
        from routes.geo import load_crossings

        bundled = load_crossings()
    except (NotImplementedError, FileNotFoundError, ImportError, OSError):
        return table
    for row in bundled.itertuples(index=False):
        cid = str(row.crossing_id)
        if cid not in table:
            continue
        mode = str(row.mode)
        names = [str(n) for n in (row.name_a, row.name_b) if isinstance(n, str) and n]
        if mode in ("sea", "air"):
            # a port or airport is only ever on its own side
            ja, jb = str(row.jurisdiction_a), mode.upper()
            label = f"{names[0]} {'port' if mode == 'sea' else 'airport'}"
        else:
            ja, jb = str(row.jurisdiction_a), str(row.jurisdiction_b)
            label = "–".join(dict.fromkeys(names)) + " BCP"
        table[cid] = (ja, jb, float(row.geometry.y), float(row.geometry.x), label)
    return table


def country_polygons() -> dict[str, object]:
    """ISO2 -> prepared outline of every jurisdiction of the bundled borders."""
    from shapely import prepare

    from routes.geo import load_borders

    borders = load_borders()
    polys = {}
    for code, geom in zip(borders["jurisdiction"], borders.geometry, strict=True):
        prepare(geom)
        polys[str(code)] = geom
    return polys


def inside(polys: dict[str, object], juris: np.ndarray, lat: np.ndarray, lon: np.ndarray):
    """Boolean array: does each point lie inside its jurisdiction's outline?"""
    from shapely import contains_xy

    ok = np.zeros(len(lat), dtype=bool)
    for code in np.unique(juris):
        sel = juris == code
        geom = polys.get(str(code))
        if geom is None:
            continue
        ok[sel] = contains_xy(geom, lon[sel], lat[sel])
    return ok


def _pull_inside(
    polys: dict[str, object], code: str, lat: float, lon: float
) -> tuple[float, float]:
    """Return the point nearest (lat, lon) lying inside the jurisdiction with a 150 m margin.

    A spiral search in 100 m steps; the point itself is returned when it qualifies.
    """
    from shapely import contains_xy

    geom = polys[code]
    ring = np.radians(np.arange(0, 360, 45))
    kx = 1.0 / (111.32 * np.cos(np.radians(lat)))

    def safe(la: float, lo: float) -> bool:
        near_lat = np.r_[la, la + np.sin(ring) * 0.15 / 110.57]
        near_lon = np.r_[lo, lo + np.cos(ring) * 0.15 * kx]
        return bool(contains_xy(geom, near_lon, near_lat).all())

    if safe(lat, lon):
        return lat, lon
    ang = np.radians(np.arange(0, 360, 10))
    for step in range(1, 250):
        r_km = 0.1 * step
        la = lat + np.sin(ang) * r_km / 110.57
        lo = lon + np.cos(ang) * r_km * kx
        for i in np.flatnonzero(contains_xy(geom, lo, la)):
            if safe(float(la[i]), float(lo[i])):
                return float(la[i]), float(lo[i])
    raise RuntimeError(f"no point of {code} within 25 km of {lat}, {lon}")  # pragma: no cover


def _gazetteer_villages() -> dict[str, list[tuple[str, float, float, int]]]:
    """Smaller places (population 500-20,000) per jurisdiction from the bundled gazetteer.

    Only names that the gazetteer resolves back to the same place when the jurisdiction is
    given are kept, so place-only records naming them are always accepted.
    """
    from routes.geo import load_gazetteer

    gaz = load_gazetteer()
    table = gaz.places
    known = {p.name for p in ROUTE_PLACES}
    cand = table[
        table["jurisdiction"].isin(list(DOMESTIC_JURISDICTION_WEIGHTS))
        & table["population"].between(500, 20_000)
        & ~table["name"].isin(known)
    ].sort_values(["jurisdiction", "geonameid"])
    res = gaz.resolve(
        cand["name"].reset_index(drop=True),
        jurisdictions=cand["jurisdiction"].reset_index(drop=True),
    )
    same = (
        (res["status"] == "ok").to_numpy()
        & np.isclose(
            res["latitude"].to_numpy(dtype=float), cand["latitude"].to_numpy(dtype=float), atol=1e-4
        )
        & np.isclose(
            res["longitude"].to_numpy(dtype=float),
            cand["longitude"].to_numpy(dtype=float),
            atol=1e-4,
        )
    )
    out: dict[str, list[tuple[str, float, float, int]]] = {}
    for row in cand[same].itertuples(index=False):
        out.setdefault(str(row.jurisdiction), []).append(
            (str(row.name), float(row.latitude), float(row.longitude), int(row.population))
        )
    return out


class _Waypoints:
    """Reads corridor waypoints (``P:``, ``C:``, ``K:``): their jurisdiction and their text."""

    def __init__(self, crossings: dict[str, tuple[str, str, float, float, str]]) -> None:
        self.places = {p.name: p for p in ROUTE_PLACES}
        self.crossings = crossings

    def code_of(self, wp: str) -> str:
        """ISO2 of a waypoint (side A of a crossing; the code itself for ``K:``)."""
        kind, value = wp.split(":", 1)
        if kind == "P":
            return self.places[value].jurisdiction
        if kind == "C":
            return self.crossings[value][0]
        return value

    @staticmethod
    def full_of(wp: str) -> str:
        """The waypoint as written: the settlement name, crossing id or country code."""
        return wp.split(":", 1)[1]


@lru_cache(maxsize=1)
def templates() -> Templates:
    """The templates of every corridor stop and settlement (built once per process)."""
    ways = _Waypoints(_crossing_table())
    polys = country_polygons()
    capital: dict[str, tuple[float, float]] = {}
    for p in ROUTE_PLACES:  # the first (largest) settlement listed per jurisdiction
        capital.setdefault(p.jurisdiction, (p.latitude, p.longitude))
    rows = _corridor_rows(ways, polys, capital) + _domestic_rows(polys, capital)
    frame = pd.DataFrame(rows)
    arrays = {}
    for col in frame.columns:
        values = frame[col].to_numpy()
        if frame[col].dtype == object:
            values = values.astype(object)
        arrays[col] = values
    return Templates(**arrays)


def _corridor_rows(
    ways: _Waypoints, polys: dict[str, object], capital: dict[str, tuple[float, float]]
) -> list[dict[str, object]]:
    """One template per (corridor stop, side of a crossing, destination)."""
    places, crossings = ways.places, ways.crossings
    code_of, full_of = ways.code_of, ways.full_of
    rows: list[dict[str, object]] = []
    total_w = sum(c.weight for c in CORRIDORS)
    for ci, cor in enumerate(CORRIDORS):
        wps = list(cor.waypoints)
        origin = wps[0]
        dests = [f"K:{d}" for d in cor.destinations] or [wps[-1]]
        # stops where an incident can be recorded: settlements and crossings in the region
        stops = []
        for i, wp in enumerate(wps):
            kind, value = wp.split(":", 1)
            if kind == "P":
                stops.append((i, 1.0))
            elif kind == "C":
                stops.append((i, 3.0))
        stop_total = sum(w for _, w in stops)
        for si, sw in stops:
            wp = wps[si]
            kind, value = wp.split(":", 1)
            crossed = [w.split(":", 1)[1] for w in wps[:si] if w.startswith("C:")]
            if kind == "C":
                ja, jb, lat, lon, label = crossings[value]
                sides = [(ja, 0.5), (jb, 0.5)] if jb in ALL_JURISDICTIONS else [(ja, 1.0)]
                sides = [(j, w / sum(x for _, x in sides)) for j, w in sides]
            else:
                p = places[value]
                sides = [(p.jurisdiction, 1.0)]
                lat, lon, label = p.latitude, p.longitude, p.name
            for juris, side_w in sides:
                a_lat, a_lon = _pull_inside(polys, juris, lat, lon)
                o_code = code_of(origin)
                # waypoints are visited origin -> transit -> crossing -> seizure point
                # -> destination, so the transit list stops before the crossing it names (variant
                # "x") or, when no crossing is named, before the seizure point (variant "s")
                cut_x = max((i for i in range(1, si) if wps[i].startswith("C:")), default=si)
                tx_full, tx_codes = _render_transit(wps[1:cut_x], o_code, code_of, juris)
                ts_full, ts_codes = _render_transit(wps[1:si], o_code, code_of, juris)
                for dest in dests:
                    d_code = code_of(dest)
                    rows.append(
                        {
                            "weight": cor.weight / total_w * sw / stop_total * side_w / len(dests),
                            "is_route": True,
                            "jurisdiction": juris,
                            "place": label,
                            "place_resolvable": kind == "P",
                            "anchor_lat": a_lat,
                            "anchor_lon": a_lon,
                            "at_crossing": kind == "C",
                            "crossing_here": value if kind == "C" else "",
                            "crossing_before": crossed[-1] if crossed else "",
                            "origin_full": full_of(origin),
                            "origin_code": o_code,
                            "dest_full": full_of(dest),
                            "dest_code": d_code,
                            "transit_full_x": tx_full,
                            "transit_codes_x": tx_codes,
                            "transit_full_s": ts_full,
                            "transit_codes_s": ts_codes,
                            "profile": PROFILES.index(cor.profile),
                            "modes": ci,
                            "migrants_yes": cor.migrants_yes,
                            "green_border": cor.green_border,
                            "corridor": cor.label,
                            "capital_lat": capital[juris][0] if juris in capital else a_lat,
                            "capital_lon": capital[juris][1] if juris in capital else a_lon,
                        }
                    )
    return rows


def _domestic_rows(
    polys: dict[str, object], capital: dict[str, tuple[float, float]]
) -> list[dict[str, object]]:
    """One template per settlement of the six jurisdictions (incidents without a route)."""
    rows: list[dict[str, object]] = []
    # settlements of the six jurisdictions for incidents without a route: the towns above
    # (3/4 of the weight) and the smaller places of the bundled gazetteer (1/4)
    villages = _gazetteer_villages()
    for juris, jw in DOMESTIC_JURISDICTION_WEIGHTS.items():
        local = [(p.name, p.latitude, p.longitude, p.population) for p in ROUTE_PLACES]
        local = [x for x, p in zip(local, ROUTE_PLACES, strict=True) if p.jurisdiction == juris]
        pw = np.array([max(x[3], 5000) for x in local], dtype=float) ** 0.75
        pw = _TOWN_SHARE * pw / pw.sum()
        small = villages.get(juris, [])
        if small:
            vw = np.sqrt(np.array([x[3] for x in small], dtype=float))
            pw = np.r_[pw, (1 - _TOWN_SHARE) * vw / vw.sum()]
            local = local + small
        pw = pw / pw.sum()
        for (name, p_lat, p_lon, _pop), w in zip(local, pw, strict=True):
            a_lat, a_lon = _pull_inside(polys, juris, p_lat, p_lon)
            rows.append(
                {
                    "weight": jw * w,
                    "is_route": False,
                    "jurisdiction": juris,
                    "place": name,
                    "place_resolvable": True,
                    "anchor_lat": a_lat,
                    "anchor_lon": a_lon,
                    "at_crossing": False,
                    "crossing_here": "",
                    "crossing_before": "",
                    "origin_full": "",
                    "origin_code": "",
                    "dest_full": "",
                    "dest_code": "",
                    "transit_full_x": "",
                    "transit_codes_x": "",
                    "transit_full_s": "",
                    "transit_codes_s": "",
                    "profile": PROFILES.index("domestic"),
                    "modes": -1,
                    "migrants_yes": 0.01,
                    "green_border": False,
                    "corridor": "",
                    "capital_lat": capital[juris][0],
                    "capital_lon": capital[juris][1],
                }
            )
    return rows


def _render_transit(
    waypoints: list[str], origin_code: str, code_of: Callable[[str], str], stop_code: str
) -> tuple[str, str]:
    """Transit as written two ways: names/ids ``"Niš|Beograd"`` and countries ``"RS|HR"``.

    The country form drops the origin's country at the start, the seizing jurisdiction at the
    end, repeated countries, and ports/airports (``SEA``/``AIR``).
    """
    full = "|".join(w.split(":", 1)[1] for w in waypoints)
    codes: list[str] = []
    for w in waypoints:
        c = code_of(w)
        if (not codes or codes[-1] != c) and c not in ("SEA", "AIR"):
            codes.append(c)
    while codes and codes[0] == origin_code:
        codes.pop(0)
    while codes and codes[-1] == stop_code:
        codes.pop()
    return full, "|".join(codes)
