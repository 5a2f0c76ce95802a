"""The vectorised engine behind :func:`routes.synthesize_incidents`.

A small table of *templates* (a corridor stop or a settlement, with every string already
rendered) is built once per process; each synthetic row samples a template and then draws its
random parts (date, category, quantity, precision, jitter, flags, notes) with numpy, so a million
rows take seconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from routes._constants import ALL_JURISDICTIONS, JURISDICTION_NAMES, WESTERN_BALKANS
from routes.geo import CORRIDORS, ROUTE_CROSSINGS, ROUTE_PLACES
from routes.schema import VOCABULARIES
from routes.synth._facts import (
    CATEGORY_PROFILES,
    DOMESTIC_JURISDICTION_WEIGHTS,
    MONTH_WEIGHTS,
    YEAR_WEIGHTS,
)

__all__ = ["OUTPUT_COLUMNS", "SYNTHETIC_SOURCE_PREFIX", "generate"]

#: Columns of a generated table, in the canonical order of the incident schema.
OUTPUT_COLUMNS: tuple[str, ...] = (
    "incident_id",
    "date",
    "date_precision",
    "jurisdiction",
    "place",
    "latitude",
    "longitude",
    "location_precision",
    "event",
    "category",
    "quantity",
    "origin",
    "transit",
    "destination",
    "crossing",
    "modus_operandi",
    "ocg_involved",
    "migrants_involved",
    "source",
    "verification",
    "notes",
)

#: Every ``source`` value starts with this marker.
SYNTHETIC_SOURCE_PREFIX = "SYNTHETIC"

#: Share of the weight of incidents without a route that falls on the listed towns (the rest
#: falls on the smaller places of the bundled gazetteer).
_TOWN_SHARE = 0.75

#: Share of rows that carry a route (the others are possession, finds and surrenders).
_ROUTE_SHARE = 0.42

#: Serbian / Macedonian Cyrillic spellings written by some units (resolved by the gazetteer).
_CYRILLIC = {
    "Belgrade": "Београд",
    "Niš": "Ниш",
    "Novi Sad": "Нови Сад",
    "Kragujevac": "Крагујевац",
    "Subotica": "Суботица",
    "Leskovac": "Лесковац",
    "Vranje": "Врање",
    "Čačak": "Чачак",
    "Kraljevo": "Краљево",
    "Pirot": "Пирот",
    "Skopje": "Скопје",
    "Kumanovo": "Куманово",
    "Bitola": "Битола",
    "Tetovo": "Тетово",
    "Veles": "Велес",
    "Ohrid": "Охрид",
    "Banja Luka": "Бања Лука",
    "Bijeljina": "Бијељина",
    "Trebinje": "Требиње",
    "Podgorica": "Подгорица",
    "Nikšić": "Никшић",
}

# the canonical vocabularies of routes.schema (probability tables below follow their order)
_CATEGORIES = VOCABULARIES["category"]
_EVENTS = VOCABULARIES["event"]
_EVENT_P_ROUTE = (0.94, 0.03, 0.0, 0.03)
_EVENT_P_DOMESTIC = (0.23, 0.40, 0.25, 0.12)

_MODES = VOCABULARIES["modus_operandi"]
_DOMESTIC_MODES = {"private_vehicle": 0.45, "unknown": 0.35, "on_foot": 0.1, "other": 0.1}

_YNU = VOCABULARIES["ocg_involved"]
_VERIFICATION = VOCABULARIES["verification"]
_DATE_PRECISION = VOCABULARIES["date_precision"]

_SOURCES = (
    "SYNTHETIC - border police report (generated sample, not a real incident)",
    "SYNTHETIC - customs administration report (generated sample, not a real incident)",
    "SYNTHETIC - criminal police case record (generated sample, not a real incident)",
    "SYNTHETIC - media report (generated sample, not a real incident)",
)

_CATEGORY_NOTES: dict[str, tuple[str, ...]] = {
    "pistol": (
        "Zastava CZ99 pistol, 9 mm, no licence",
        "Pistol with two magazines",
        "Glock-type pistol, serial number removed",
        "Tokarev-type pistol (7.62x25 mm)",
    ),
    "revolver": ("Revolver .38 Special, unregistered", "Old revolver with 6 rounds"),
    "rifle": ("Hunting rifle without permit", "Bolt-action rifle with telescopic sight"),
    "shotgun": ("Pump-action shotgun, sawn-off barrel", "Shotgun found with 20 cartridges"),
    "automatic_rifle": (
        "Kalashnikov-type automatic rifle (M70), 7.62x39 mm",
        "Automatic rifles from 1990s stock, wrapped in oil cloth",
        "Folding-stock M70AB2 automatic rifle",
    ),
    "submachine_gun": ("Scorpion-type submachine gun (M84)", "Submachine gun with silencer"),
    "machine_gun": ("M84 machine gun", "Light machine gun with belts of ammunition"),
    "converted_weapon": (
        "Zoraki blank-firing pistol converted to fire live 9 mm rounds",
        "Ekol alarm pistol, barrel replaced for live ammunition",
        "Converted gas pistol with 'home-made' barrel",
    ),
    "blank_firing_weapon": (
        "Zoraki 914 blank-firing pistols in original boxes",
        "Ekol blank-firing pistols, Türkiye-made, not marked for conversion checks",
        "Alarm pistols (9 mm P.A.K.) & blank cartridges",
    ),
    "craft_or_3d_printed": (
        "Craft-produced pistol",
        "3D-printed frame with metal parts",
        "Improvised 'pen gun' (single shot)",
    ),
    "hand_grenade": (
        "M75 hand grenades",
        "Hand grenades (M75) with fuses",
        "Defensive hand grenade found in a garage",
    ),
    "rocket_launcher": ("M80 'Zolja' rocket launcher", "Disposable rocket launcher (M80)"),
    "mortar_or_artillery_round": (
        "Mortar rounds 60 mm, unexploded",
        "Artillery shells from a former depot",
    ),
    "ammunition": (
        "Ammunition 7.62x39 mm in boxes",
        "Ammunition 9x19 mm, loose",
        "Mixed ammunition (7.62x39, 9x19, 5.56x45)",
        "Rifle ammunition & loaded magazines",
    ),
    "explosives": (
        "TNT blocks with detonators",
        "Plastic explosive and detonating cord",
        "Commercial explosive (quarry type) without permit",
    ),
    "parts_components": (
        "Barrels and slides for conversion of alarm pistols",
        "Magazines and firing pins",
        "Parts kits ('conversion kits') in a parcel",
    ),
    "other": ("Silencers and optics", "Weapon accessories without permit", "Air gun, modified"),
}

_HIDING: dict[str, tuple[str, ...]] = {
    "private_vehicle": (
        "hidden in the door panels",
        "in a purpose-built compartment under the rear seat",
        "in the spare-wheel well",
    ),
    "bus": ("in a passenger's luggage", "in the luggage compartment, no owner identified"),
    "truck": ("among a cargo of furniture", "in the driver's cabin", "in a pallet of tiles"),
    "train": ("in a compartment ceiling panel", "in a passenger's bag"),
    "parcel_post": (
        "declared as 'car parts'",
        "declared as 'toys' (X-ray check)",
        "express courier parcel",
    ),
    "on_foot": (
        "carried in a backpack across the green border",
        "hidden in a field near the border",
    ),
    "boat": ("on a speedboat intercepted at sea", "hidden on a fishing boat"),
    "air": ("in checked baggage", "in air cargo declared as spare parts"),
    "other": ("found during a routine check",),
    "unknown": ("",),
}

_LOCAL_NOTES = {
    "RS": "Пронађено приликом претреса, без дозволе",
    "BA": "Pronađeno prilikom pretresa, bez dozvole",
    "ME": "Pronađeno prilikom pretresa, bez dozvole",
    "MK": "Пронајдено при претрес, без дозвола",
    "AL": "Gjetur gjatë kontrollit, pa leje",
    "XK": "Gjetur gjatë kontrollit, pa leje",
}


@dataclass(frozen=True)
class _Templates:
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
    profile: np.ndarray  # int index into _PROFILES
    modes: np.ndarray  # int index into mode tables
    migrants_yes: np.ndarray  # float
    green_border: np.ndarray  # bool
    corridor: np.ndarray  # object label
    capital_lat: np.ndarray
    capital_lon: np.ndarray


_PROFILES = tuple(CATEGORY_PROFILES)


def _fold(text: str) -> str:
    """ASCII-fold a name (``"Niš"`` -> ``"Nis"``), as some units type them."""
    return "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).replace("đ", "dj")


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
        from routes.geo.borders import load_crossings

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


def _country_polygons() -> dict[str, object]:
    from shapely import prepare

    from routes.geo.borders import load_borders

    borders = load_borders()
    polys = {}
    for code, geom in zip(borders["jurisdiction"], borders.geometry, strict=True):
        prepare(geom)
        polys[str(code)] = geom
    return polys


def _inside(polys: dict[str, object], juris: np.ndarray, lat: np.ndarray, lon: np.ndarray):
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
    from routes.geo.gazetteer import load_gazetteer

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


@lru_cache(maxsize=1)
def _templates() -> _Templates:
    places = {p.name: p for p in ROUTE_PLACES}
    crossings = _crossing_table()
    polys = _country_polygons()
    capital: dict[str, tuple[float, float]] = {}
    for p in ROUTE_PLACES:  # the first (largest) settlement listed per jurisdiction
        capital.setdefault(p.jurisdiction, (p.latitude, p.longitude))

    def code_of(wp: str) -> str:
        kind, value = wp.split(":", 1)
        if kind == "P":
            return places[value].jurisdiction
        if kind == "C":
            return crossings[value][0]
        return value

    def full_of(wp: str) -> str:
        return wp.split(":", 1)[1]

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
                            "profile": _PROFILES.index(cor.profile),
                            "modes": ci,
                            "migrants_yes": cor.migrants_yes,
                            "green_border": cor.green_border,
                            "corridor": cor.label,
                            "capital_lat": capital[juris][0] if juris in capital else a_lat,
                            "capital_lon": capital[juris][1] if juris in capital else a_lon,
                        }
                    )
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
                    "profile": _PROFILES.index("domestic"),
                    "modes": -1,
                    "migrants_yes": 0.01,
                    "green_border": False,
                    "corridor": "",
                    "capital_lat": capital[juris][0],
                    "capital_lon": capital[juris][1],
                }
            )
    frame = pd.DataFrame(rows)
    arrays = {}
    for col in frame.columns:
        values = frame[col].to_numpy()
        if frame[col].dtype == object:
            values = values.astype(object)
        arrays[col] = values
    return _Templates(**arrays)


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


def _choice(
    rng: np.random.Generator, n: int, p: np.ndarray | list[float] | tuple[float, ...]
) -> np.ndarray:
    """Vectorised categorical draw (indices) with probabilities ``p``."""
    cdf = np.cumsum(np.asarray(p, dtype=float))
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(cdf) - 1)


def _grouped_choice(rng: np.random.Generator, group: np.ndarray, tables: np.ndarray) -> np.ndarray:
    """Per-row categorical draw where row i uses probability row ``tables[group[i]]``."""
    cdf = np.cumsum(tables, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(group))
    rows = cdf[group]
    return np.minimum((rows < u[:, None]).sum(axis=1), tables.shape[1] - 1)


def _pick(rng: np.random.Generator, options_by_key: dict[str, tuple[str, ...]], keys: np.ndarray):
    """Per row, a uniformly chosen string among the options of its key."""
    out = np.empty(len(keys), dtype=object)
    for key, opts in options_by_key.items():
        sel = np.flatnonzero(keys == key)
        if len(sel):
            out[sel] = np.asarray(opts, dtype=object)[rng.integers(0, len(opts), len(sel))]
    return out


def _quantities(rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
    """Quantity per row, by category (items; rounds for ammunition)."""
    n = len(category)
    q = np.ones(n, dtype=np.int64)

    def geom(sel: np.ndarray, p: float, cap: int) -> None:
        q[sel] = np.minimum(rng.geometric(p, sel.sum()), cap)

    geom(category == "pistol", 0.72, 8)
    geom(category == "revolver", 0.85, 3)
    geom(category == "rifle", 0.75, 4)
    geom(category == "shotgun", 0.8, 3)
    geom(category == "submachine_gun", 0.7, 5)
    geom(category == "machine_gun", 0.85, 3)
    geom(category == "converted_weapon", 0.55, 12)
    geom(category == "craft_or_3d_printed", 0.8, 4)
    geom(category == "rocket_launcher", 0.7, 6)
    geom(category == "other", 0.6, 10)
    geom(category == "explosives", 0.45, 25)
    geom(category == "parts_components", 0.2, 120)
    geom(category == "mortar_or_artillery_round", 0.3, 60)
    # automatic rifles: mostly 1-3, with occasional caches of 10-40 from 1990s stockpiles
    sel = category == "automatic_rifle"
    q[sel] = np.minimum(rng.geometric(0.6, sel.sum()), 6)
    cache = sel & (rng.random(n) < 0.03)
    q[cache] = rng.integers(10, 41, cache.sum())
    sel = category == "hand_grenade"
    q[sel] = np.minimum(rng.geometric(0.45, sel.sum()), 12)
    cache = sel & (rng.random(n) < 0.03)
    q[cache] = rng.integers(15, 61, cache.sum())
    # blank-firing pistols: single items to shipments of dozens (parcels, trucks)
    sel = category == "blank_firing_weapon"
    q[sel] = np.clip(np.round(rng.lognormal(1.2, 1.1, sel.sum())), 1, 400).astype(np.int64)
    # ammunition: hundreds of rounds (median ~150), occasionally many thousands
    sel = category == "ammunition"
    raw = np.clip(rng.lognormal(np.log(150), 1.1, sel.sum()), 5, 25000)
    q[sel] = np.where(raw >= 100, np.round(raw / 10) * 10, np.round(raw)).astype(np.int64)
    return q


def _dates(rng: np.random.Generator, n: int, start: pd.Timestamp, end: pd.Timestamp) -> np.ndarray:
    days = pd.date_range(start, end, freq="D")
    if len(days) == 0:
        raise ValueError(f"start {start.date()} is after end {end.date()}; swap them")
    years = days.year.to_numpy()
    yw = np.array([YEAR_WEIGHTS.get(int(y), 1.15) for y in years])
    mw = np.asarray(MONTH_WEIGHTS)[days.month.to_numpy() - 1]
    idx = _choice(rng, n, yw * mw)
    return days.to_numpy()[idx]


def _jitter(
    rng: np.random.Generator,
    polys: dict[str, object],
    juris: np.ndarray,
    lat0: np.ndarray,
    lon0: np.ndarray,
    sigma_km: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Gaussian jitter (km) kept inside each point's jurisdiction; falls back to the anchor."""
    lat = lat0.copy()
    lon = lon0.copy()
    todo = np.flatnonzero(sigma_km > 0)
    kx = 1.0 / (111.32 * np.cos(np.radians(lat0)))
    scale = np.ones(len(lat0))
    for _ in range(8):
        if len(todo) == 0:
            break
        s = sigma_km[todo] * scale[todo]
        la = lat0[todo] + rng.normal(0.0, 1.0, len(todo)) * s / 110.57
        lo = lon0[todo] + rng.normal(0.0, 1.0, len(todo)) * s * kx[todo]
        ok = _inside(polys, juris[todo], la, lo)
        lat[todo[ok]] = la[ok]
        lon[todo[ok]] = lo[ok]
        todo = todo[~ok]
        scale[todo] *= 0.6
    return lat, lon  # rows still in `todo` keep their anchor, which lies inside


def generate(n: int, *, seed: int, start: str, end: str) -> pd.DataFrame:
    """Generate ``n`` synthetic incident rows (see :func:`routes.synthesize_incidents`)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}; e.g. n=2500")
    n = int(n)
    t0, t1 = pd.Timestamp(start), pd.Timestamp(end)
    today = pd.Timestamp.today().normalize()
    if t1 > today:
        raise ValueError(
            f"end {t1.date()} is in the future; dates must not be after today ({today.date()})"
        )
    rng = np.random.default_rng(seed)
    tpl = _templates()
    polys = _country_polygons()

    # 1. route-bearing or not, then a template of that kind
    is_route = rng.random(n) < _ROUTE_SHARE
    t = np.empty(n, dtype=np.int64)
    for flag in (True, False):
        sel = np.flatnonzero(is_route == flag)
        cand = np.flatnonzero(tpl.is_route == flag)
        t[sel] = cand[_choice(rng, len(sel), tpl.weight[cand])]

    juris = tpl.jurisdiction[t]
    route = tpl.is_route[t]

    # 2. dates and their precision (day 85 %, month 10 %, year 4 %, missing 1 %)
    dates = _dates(rng, n, t0, t1)
    prec_idx = _choice(rng, n, [0.85, 0.10, 0.04, 0.01])
    date_series = pd.Series(dates)
    month_start = date_series.dt.to_period("M").dt.to_timestamp()
    year_start = date_series.dt.to_period("Y").dt.to_timestamp()
    date_out = date_series.where(prec_idx != 1, month_start)
    date_out = date_out.where(prec_idx != 2, year_start)
    date_out = date_out.where(prec_idx != 3, pd.NaT)
    date_prec = np.asarray((*_DATE_PRECISION, ""), dtype=object)[prec_idx]

    # 3. what was involved
    prof_tables = np.array(
        [[CATEGORY_PROFILES[p].get(c, 0.0) for c in _CATEGORIES] for p in _PROFILES]
    )
    category = np.asarray(_CATEGORIES, dtype=object)[
        _grouped_choice(rng, tpl.profile[t], prof_tables)
    ]
    quantity = _quantities(rng, category)
    event = np.asarray(_EVENTS, dtype=object)[
        np.where(
            route,
            _choice(rng, n, _EVENT_P_ROUTE),
            _choice(rng, n, _EVENT_P_DOMESTIC),
        )
    ]

    # 4. modus operandi: per corridor, or the domestic mix
    mode_tables = np.array(
        [[c.modes.get(m, 0.0) for m in _MODES] for c in CORRIDORS]
        + [[_DOMESTIC_MODES.get(m, 0.0) for m in _MODES]]
    )
    mode_group = np.where(tpl.modes[t] < 0, len(CORRIDORS), tpl.modes[t])
    modus = np.asarray(_MODES, dtype=object)[_grouped_choice(rng, mode_group, mode_tables)]
    # finds and surrenders rarely say how the weapon travelled
    quiet = ~route & (event != "seizure")
    modus[quiet] = np.where(rng.random(int(quiet.sum())) < 0.75, "unknown", "other")

    # 5. where: precision, place text, coordinates
    u = rng.random(n)
    at_x = tpl.at_crossing[t]
    green = tpl.green_border[t]
    loc_prec = np.where(
        at_x,
        np.where(u < 0.9, "exact", "municipality"),
        np.select(
            [u < 0.40, u < 0.78, u < 0.90, u < 0.97],
            ["exact", "settlement", "municipality", "region"],
            "country",
        ),
    ).astype(object)
    loc_prec[green & (loc_prec == "settlement")] = "exact"
    sigma = np.select(
        [
            at_x & (loc_prec == "exact"),
            at_x,
            green & (loc_prec == "exact"),
            loc_prec == "exact",
            loc_prec == "municipality",
            loc_prec == "region",
        ],
        [0.15, 1.0, 3.0, 1.5, 4.0, 12.0],
        0.0,
    )
    lat0 = np.where(loc_prec == "country", tpl.capital_lat[t], tpl.anchor_lat[t]).astype(float)
    lon0 = np.where(loc_prec == "country", tpl.capital_lon[t], tpl.anchor_lon[t]).astype(float)
    # jitter draws from its own stream: retries never shift the other draws
    lat, lon = _jitter(np.random.default_rng([seed, 1]), polys, juris, lat0, lon0, sigma)
    place = tpl.place[t].copy()
    country_rows = loc_prec == "country"
    place[country_rows] = np.asarray(
        [JURISDICTION_NAMES[j].rstrip("*") for j in juris[country_rows]], dtype=object
    )
    # place-only records: a settlement name and no coordinates (about 1 row in 10)
    place_only = (loc_prec == "settlement") & tpl.place_resolvable[t] & (rng.random(n) < 0.28)
    lat[place_only] = np.nan
    lon[place_only] = np.nan
    # spellings as units type them: Cyrillic in Serbian/Macedonian records, ASCII-folded
    spell = rng.random(n)
    cyr = np.array([_CYRILLIC.get(p, "") for p in place], dtype=object)
    use_cyr = (spell < 0.08) & (cyr != "") & np.isin(juris, ["RS", "MK", "BA", "ME"])
    place[use_cyr] = cyr[use_cyr]
    use_fold = (spell > 0.93) & tpl.place_resolvable[t] & ~use_cyr
    place[use_fold] = np.array([_fold(p) for p in place[use_fold]], dtype=object)
    lat = np.round(lat, 5)
    lon = np.round(lon, 5)
    # a jittered point a metre from the border may leave it when rounded: use the anchor
    has_xy = ~np.isnan(lat)
    out = np.flatnonzero(has_xy)[~_inside(polys, juris[has_xy], lat[has_xy], lon[has_xy])]
    lat[out] = np.round(lat0[out], 5)
    lon[out] = np.round(lon0[out], 5)

    # 6. route fields, at varying completeness
    u2 = rng.random(n)
    origin = np.where(
        route & (u2 < 0.55),
        tpl.origin_full[t],
        np.where(route & (u2 < 0.85), tpl.origin_code[t], ""),
    ).astype(object)
    # a few possession cases name where the weapon came from
    src_country = np.asarray(WESTERN_BALKANS, dtype=object)[rng.integers(0, 6, n)]
    named_src = ~route & (rng.random(n) < 0.07) & (src_country != juris)
    origin[named_src] = src_country[named_src]
    u3 = rng.random(n)
    destination = np.where(
        route & (u3 < 0.5),
        tpl.dest_full[t],
        np.where(route & (u3 < 0.75), tpl.dest_code[t], ""),
    ).astype(object)
    u4 = rng.random(n)
    crossing = np.where(
        at_x & (rng.random(n) < 0.97),
        tpl.crossing_here[t],
        np.where(route & (rng.random(n) < 0.5), tpl.crossing_before[t], ""),
    ).astype(object)
    names_earlier = ~at_x & (crossing != "")
    full = np.where(names_earlier, tpl.transit_full_x[t], tpl.transit_full_s[t])
    codes = np.where(names_earlier, tpl.transit_codes_x[t], tpl.transit_codes_s[t])
    transit = np.where(route & (u4 < 0.5), full, np.where(route & (u4 < 0.75), codes, "")).astype(
        object
    )

    # 7. who: organised crime, migrants
    ocg_p = np.where(route, 0.0, 1.0)[:, None] * np.array([0.08, 0.6, 0.32]) + np.where(
        route, 1.0, 0.0
    )[:, None] * np.array([0.3, 0.27, 0.43])
    ocg = np.asarray(_YNU, dtype=object)[_row_choice(rng, ocg_p)]
    # weapons handed in during an amnesty are not attributed to organised crime
    ocg[(event == "surrendered") & (ocg == "yes")] = "unknown"
    my = tpl.migrants_yes[t]
    mig_p = np.stack([my, (1 - my) * 0.75, (1 - my) * 0.25], axis=1)
    migrants = np.asarray(_YNU, dtype=object)[_row_choice(rng, mig_p)]

    # 8. source, verification, notes
    src_idx = np.where(
        at_x | green,
        np.where(np.isin(modus, ["truck", "parcel_post"]) & (rng.random(n) < 0.6), 1, 0),
        np.where(rng.random(n) < 0.85, 2, 3),
    )
    src_idx = np.where(route & ~at_x & ~green & (rng.random(n) < 0.5), 0, src_idx)
    source = np.asarray(_SOURCES, dtype=object)[src_idx]
    ver_p = np.where(
        (src_idx == 3)[:, None], np.array([0.25, 0.35, 0.40]), np.array([0.66, 0.25, 0.09])
    )
    verification = np.asarray(_VERIFICATION, dtype=object)[_row_choice(rng, ver_p)]

    detail = _pick(rng, _CATEGORY_NOTES, category)
    hiding = _pick(rng, _HIDING, modus)
    hiding = np.where(route, hiding, "")
    # 72 % of all records are illegal possession (SEESAC AVMP); surrenders never are
    illegal = (event != "surrendered") & (rng.random(n) < 0.84)
    notes = pd.Series(np.where(illegal, "Illegal possession. ", ""), dtype=object) + pd.Series(
        detail, dtype=object
    )
    hid = pd.Series(hiding, dtype=object)
    notes = notes.where(hid == "", notes + "; " + hid)
    surrendered = event == "surrendered"
    notes = notes.where(~surrendered, notes + " (voluntary surrender during amnesty)")
    local = np.array([_LOCAL_NOTES.get(j, "") for j in juris], dtype=object)
    u5 = rng.random(n)
    use_local = ~illegal & (u5 < 0.15) & (local != "")
    notes = notes.where(~use_local, pd.Series(local, dtype=object))
    notes = notes.where(illegal | (u5 < 0.15) | (u5 >= 0.5), "")
    corridor = pd.Series(tpl.corridor[t], dtype=object)
    notes = notes.where(~(route & (rng.random(n) < 0.3)), notes + " [corridor: " + corridor + "]")

    # a few records leave the quantity empty (single items; the reader reads them as 1)
    qty = pd.array(quantity, dtype="Int64")
    blank_q = (quantity == 1) & (rng.random(n) < 0.02)
    qty[blank_q] = pd.NA
    # a few records leave the jurisdiction empty (it is derived from the coordinates)
    juris_out = juris.copy()
    blank_j = ~np.isnan(lat) & (rng.random(n) < 0.01)
    juris_out[blank_j] = ""

    # chronological order, then identifiers SYN-<jurisdiction>-<year>-<sequence>
    order = np.argsort(dates, kind="stable")
    years = pd.DatetimeIndex(dates[order]).year.to_numpy()
    ids = np.array(
        [
            f"SYN-{j}-{y}-{k:07d}"
            for j, y, k in zip(juris[order], years, range(1, n + 1), strict=True)
        ],
        dtype=object,
    )
    text = {
        "incident_id": ids,
        "date_precision": date_prec,
        "jurisdiction": juris_out,
        "place": place,
        "location_precision": loc_prec,
        "event": event,
        "category": category,
        "origin": origin,
        "transit": transit,
        "destination": destination,
        "crossing": crossing,
        "modus_operandi": modus,
        "ocg_involved": ocg,
        "migrants_involved": migrants,
        "source": source,
        "verification": verification,
        "notes": notes.to_numpy(dtype=object),
    }
    columns: dict[str, object] = {}
    for name in OUTPUT_COLUMNS:
        if name == "date":
            columns[name] = pd.Series(date_out.to_numpy()[order])
        elif name in ("latitude", "longitude"):
            columns[name] = pd.Series((lat if name == "latitude" else lon)[order])
        elif name == "quantity":
            columns[name] = pd.Series(qty[order])
        else:
            values = np.asarray(text[name], dtype=object)
            if name != "incident_id":
                values = values[order]
            values[values == ""] = None  # empty text fields are missing, not ""
            columns[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(columns)


def _row_choice(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    cdf = np.cumsum(p, axis=1)
    cdf /= cdf[:, -1:]
    u = rng.random(len(p))
    return np.minimum((cdf < u[:, None]).sum(axis=1), p.shape[1] - 1)
