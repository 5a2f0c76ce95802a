"""The vectorised engine behind :func:`routes.synthesize_incidents`.

A small table of *templates* (a corridor stop or a settlement, with every string already
rendered; :mod:`routes.synth._templates`) is built once per process; each synthetic row samples
a template and then draws its random parts with numpy (:mod:`routes.synth._draws`), so a million
rows take seconds. :func:`generate` is a fixed sequence of named steps (which template, when,
what, how, where, the route fields, who, provenance and notes, blanks), each drawing from the
same random stream in the same order, so a seed always gives the same table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from routes._constants import JURISDICTION_NAMES, WESTERN_BALKANS
from routes.geo import CORRIDORS
from routes.schema import VOCABULARIES
from routes.synth._draws import (
    choice,
    dates,
    grouped_choice,
    jitter,
    pick,
    quantities,
    row_choice,
)
from routes.synth._facts import CATEGORY_PROFILES
from routes.synth._templates import PROFILES, Templates, country_polygons, inside, templates
from routes.synth._wording import (
    CATEGORY_NOTES,
    CYRILLIC,
    HIDING,
    LOCAL_NOTES,
    SOURCES,
    fold,
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

#: Share of rows that carry a route (the others are possession, finds and surrenders).
_ROUTE_SHARE = 0.42

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


def generate(n: int, *, seed: int, start: str, end: str) -> pd.DataFrame:
    """Generate ``n`` synthetic incident rows (see :func:`routes.synthesize_incidents`).

    The steps below draw from one random stream in a fixed order (the jitter of the
    coordinates has its own stream), so the same arguments always give the same table.
    """
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
    tpl = templates()
    polys = country_polygons()
    t = _which_templates(rng, tpl, n)
    row = _Rows(tpl=tpl, t=t, n=n, juris=tpl.jurisdiction[t], route=tpl.is_route[t])
    day, date_out, date_prec = _when(rng, n, t0, t1)
    category, quantity, event = _what(rng, row)
    modus = _how(rng, row, event)
    loc_prec, lat, lon, place = _where(rng, row, seed=seed, polys=polys)
    origin, destination, crossing, transit = _route_fields(rng, row)
    ocg, migrants = _who(rng, row, event)
    source, verification = _provenance(rng, row, modus)
    notes = _notes(rng, row, event=event, category=category, modus=modus)
    category = _unstated_firearms(category)
    qty, juris_out = _blanks(rng, row, quantity=quantity, lat=lat)
    # chronological order, then identifiers SYN-<jurisdiction>-<year>-<sequence>
    order = np.argsort(day, kind="stable")
    years = pd.DatetimeIndex(day[order]).year.to_numpy()
    ids = np.array(
        [
            f"SYN-{j}-{y}-{k:07d}"
            for j, y, k in zip(row.juris[order], years, range(1, n + 1), strict=True)
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


@dataclass(frozen=True)
class _Rows:
    """The templates drawn: ``t`` (template per row) and what every step reads from them."""

    tpl: Templates
    t: np.ndarray
    n: int
    juris: np.ndarray
    route: np.ndarray

    @property
    def at_x(self) -> np.ndarray:
        """Rows recorded at a crossing."""
        return self.tpl.at_crossing[self.t]

    @property
    def green(self) -> np.ndarray:
        """Rows on a green-border corridor."""
        return self.tpl.green_border[self.t]


def _which_templates(rng: np.random.Generator, tpl: Templates, n: int) -> np.ndarray:
    """1. Route-bearing or not, then a template of that kind."""
    is_route = rng.random(n) < _ROUTE_SHARE
    t = np.empty(n, dtype=np.int64)
    for flag in (True, False):
        sel = np.flatnonzero(is_route == flag)
        cand = np.flatnonzero(tpl.is_route == flag)
        t[sel] = cand[choice(rng, len(sel), tpl.weight[cand])]
    return t


def _when(
    rng: np.random.Generator, n: int, t0: pd.Timestamp, t1: pd.Timestamp
) -> tuple[np.ndarray, pd.Series, np.ndarray]:
    """2. Dates and their precision (day 85 %, month 10 %, year 4 %, missing 1 %)."""
    day = dates(rng, n, t0, t1)
    prec_idx = choice(rng, n, [0.85, 0.10, 0.04, 0.01])
    date_series = pd.Series(day)
    month_start = date_series.dt.to_period("M").dt.to_timestamp()
    year_start = date_series.dt.to_period("Y").dt.to_timestamp()
    date_out = date_series.where(prec_idx != 1, month_start)
    date_out = date_out.where(prec_idx != 2, year_start)
    date_out = date_out.where(prec_idx != 3, pd.NaT)
    date_prec = np.asarray((*_DATE_PRECISION, ""), dtype=object)[prec_idx]
    return day, date_out, date_prec


def _what(rng: np.random.Generator, row: _Rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """3. What was involved: category (by the template's profile), quantity, event."""
    n, t, tpl, route = row.n, row.t, row.tpl, row.route
    prof_tables = np.array(
        [[CATEGORY_PROFILES[p].get(c, 0.0) for c in _CATEGORIES] for p in PROFILES]
    )
    category = np.asarray(_CATEGORIES, dtype=object)[
        grouped_choice(rng, tpl.profile[t], prof_tables)
    ]
    quantity = quantities(rng, category)
    event = np.asarray(_EVENTS, dtype=object)[
        np.where(
            route,
            choice(rng, n, _EVENT_P_ROUTE),
            choice(rng, n, _EVENT_P_DOMESTIC),
        )
    ]
    return category, quantity, event


def _unstated_firearms(category: np.ndarray) -> np.ndarray:
    """3b. One pistol, revolver, rifle or shotgun record in 40 codes only "firearm".

    Databases often record a firearm without its type; the notes still describe the weapon.
    Relabelled after every draw (no random number used), so the other columns stay the same.
    """
    generic = np.isin(category, ("pistol", "revolver", "rifle", "shotgun")) & (
        np.arange(len(category)) % 40 == 3
    )
    return np.where(generic, "firearm", category).astype(object)


def _how(rng: np.random.Generator, row: _Rows, event: np.ndarray) -> np.ndarray:
    """4. Modus operandi: per corridor, or the domestic mix."""
    t, tpl, route = row.t, row.tpl, row.route
    mode_tables = np.array(
        [[c.modes.get(m, 0.0) for m in _MODES] for c in CORRIDORS]
        + [[_DOMESTIC_MODES.get(m, 0.0) for m in _MODES]]
    )
    mode_group = np.where(tpl.modes[t] < 0, len(CORRIDORS), tpl.modes[t])
    modus = np.asarray(_MODES, dtype=object)[grouped_choice(rng, mode_group, mode_tables)]
    # finds and surrenders rarely say how the weapon travelled
    quiet = ~route & (event != "seizure")
    modus[quiet] = np.where(rng.random(int(quiet.sum())) < 0.75, "unknown", "other")
    return modus


def _where(
    rng: np.random.Generator, row: _Rows, *, seed: int, polys: dict[str, object]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """5. Where: location precision, coordinates (jittered inside the jurisdiction), place."""
    n, t, tpl, juris = row.n, row.t, row.tpl, row.juris
    u = rng.random(n)
    at_x, green = row.at_x, row.green
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
    lat, lon = jitter(np.random.default_rng([seed, 1]), polys, juris, lat0, lon0, sigma)
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
    cyr = np.array([CYRILLIC.get(p, "") for p in place], dtype=object)
    use_cyr = (spell < 0.08) & (cyr != "") & np.isin(juris, ["RS", "MK", "BA", "ME"])
    place[use_cyr] = cyr[use_cyr]
    use_fold = (spell > 0.93) & tpl.place_resolvable[t] & ~use_cyr
    place[use_fold] = np.array([fold(p) for p in place[use_fold]], dtype=object)
    lat = np.round(lat, 5)
    lon = np.round(lon, 5)
    # a jittered point a metre from the border may leave it when rounded: use the anchor
    has_xy = ~np.isnan(lat)
    out = np.flatnonzero(has_xy)[~inside(polys, juris[has_xy], lat[has_xy], lon[has_xy])]
    lat[out] = np.round(lat0[out], 5)
    lon[out] = np.round(lon0[out], 5)
    return loc_prec, lat, lon, place


def _route_fields(
    rng: np.random.Generator, row: _Rows
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """6. Origin, destination, crossing and transit, at varying completeness."""
    n, t, tpl, juris, route, at_x = row.n, row.t, row.tpl, row.juris, row.route, row.at_x
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
    return origin, destination, crossing, transit


def _who(rng: np.random.Generator, row: _Rows, event: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """7. Who: organised crime and migrants involved."""
    route = row.route
    ocg_p = np.where(route, 0.0, 1.0)[:, None] * np.array([0.08, 0.6, 0.32]) + np.where(
        route, 1.0, 0.0
    )[:, None] * np.array([0.3, 0.27, 0.43])
    ocg = np.asarray(_YNU, dtype=object)[row_choice(rng, ocg_p)]
    # weapons handed in during an amnesty are not attributed to organised crime
    ocg[(event == "surrendered") & (ocg == "yes")] = "unknown"
    my = row.tpl.migrants_yes[row.t]
    mig_p = np.stack([my, (1 - my) * 0.75, (1 - my) * 0.25], axis=1)
    migrants = np.asarray(_YNU, dtype=object)[row_choice(rng, mig_p)]
    return ocg, migrants


def _provenance(
    rng: np.random.Generator, row: _Rows, modus: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """8a. Source and verification."""
    n, route, at_x, green = row.n, row.route, row.at_x, row.green
    src_idx = np.where(
        at_x | green,
        np.where(np.isin(modus, ["truck", "parcel_post"]) & (rng.random(n) < 0.6), 1, 0),
        np.where(rng.random(n) < 0.85, 2, 3),
    )
    src_idx = np.where(route & ~at_x & ~green & (rng.random(n) < 0.5), 0, src_idx)
    source = np.asarray(SOURCES, dtype=object)[src_idx]
    ver_p = np.where(
        (src_idx == 3)[:, None], np.array([0.25, 0.35, 0.40]), np.array([0.66, 0.25, 0.09])
    )
    verification = np.asarray(_VERIFICATION, dtype=object)[row_choice(rng, ver_p)]
    return source, verification


def _notes(
    rng: np.random.Generator,
    row: _Rows,
    *,
    event: np.ndarray,
    category: np.ndarray,
    modus: np.ndarray,
) -> pd.Series:
    """8b. Notes: what was found, where it was hidden, local-language and corridor remarks."""
    n, t, tpl, juris, route = row.n, row.t, row.tpl, row.juris, row.route
    detail = pick(rng, CATEGORY_NOTES, category)
    hiding = pick(rng, HIDING, modus)
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
    local = np.array([LOCAL_NOTES.get(j, "") for j in juris], dtype=object)
    u5 = rng.random(n)
    use_local = ~illegal & (u5 < 0.15) & (local != "")
    notes = notes.where(~use_local, pd.Series(local, dtype=object))
    notes = notes.where(illegal | (u5 < 0.15) | (u5 >= 0.5), "")
    corridor = pd.Series(tpl.corridor[t], dtype=object)
    notes = notes.where(~(route & (rng.random(n) < 0.3)), notes + " [corridor: " + corridor + "]")
    return notes


def _blanks(
    rng: np.random.Generator, row: _Rows, *, quantity: np.ndarray, lat: np.ndarray
) -> tuple[Any, np.ndarray]:
    """9. Blanks as units leave them: some quantities of 1 and some jurisdictions."""
    n, juris = row.n, row.juris
    # a few records leave the quantity empty (single items; the reader reads them as 1)
    qty = pd.array(quantity, dtype="Int64")
    blank_q = (quantity == 1) & (rng.random(n) < 0.02)
    qty[blank_q] = pd.NA
    # a few records leave the jurisdiction empty (it is derived from the coordinates)
    juris_out = juris.copy()
    blank_j = ~np.isnan(lat) & (rng.random(n) < 0.01)
    juris_out[blank_j] = ""
    return qty, juris_out
