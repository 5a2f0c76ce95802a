"""Sharing-safe mode: generalise points, pseudonymise ids, drop free text, scan for leaks.

The engine behind :func:`routes.share_safe_incidents` (defined here) and ``salw-routes report
--share-safe``; the report decides once what the mode changes in :mod:`routes.report._policy`.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import re
import secrets
import sqlite3
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from routes._crs import to_crs
from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "COORD_DECIMALS",
    "DROPPED_COLUMNS",
    "coordinate_keys",
    "find_leaks",
    "generalise_grid",
    "generalise_settlement",
    "make_salt",
    "populous_cells",
    "pseudonymise",
    "round_geometries",
    "share_safe_incidents",
]

#: Decimals of every coordinate written by a sharing-safe run (~110 m): fewer than the 4 that
#: would identify an input point, more than a 1 km grid needs.
COORD_DECIMALS = 3

#: Free-text columns emptied in sharing-safe mode (names, case details, file references).
DROPPED_COLUMNS: tuple[str, ...] = ("notes", "source", "local_id", "merged_ids")

METRIC_CRS = "EPSG:3035"


def make_salt(salt: str | bytes | None = None) -> bytes:
    """Return the key for pseudonyms: the user's salt, or 32 fresh random bytes."""
    if salt is None:
        return secrets.token_bytes(32)
    if isinstance(salt, str):
        if len(salt) < 8:
            raise ValidationError(
                Problem(
                    f"the pseudonymisation salt must have at least 8 characters, instead got "
                    f"{len(salt)}; use a long random secret (or omit it for a per-run random "
                    "salt)",
                    reason="invalid_option",
                )
            )
        return salt.encode("utf-8")
    return bytes(salt)


def pseudonymise(ids: Iterable[object], *, salt: bytes) -> list[str]:
    """Keyed hash (HMAC-SHA-256) of each id: ``"P-"`` + 16 hex digits.

    The same id and salt always give the same pseudonym; without the salt the id cannot be
    recovered or confirmed by hashing guesses.

    >>> pseudonymise(["SYN-1", "SYN-1", "SYN-2"], salt=b"secret-salt")[0] == \\
    ...     pseudonymise(["SYN-1"], salt=b"secret-salt")[0]
    True
    """
    out = []
    for value in ids:
        digest = hmac.new(salt, str(value).encode("utf-8"), hashlib.sha256).hexdigest()
        out.append("P-" + digest[:16])
    return out


def _round_xy(coords: object) -> object:
    import numpy as np

    return np.round(coords, COORD_DECIMALS)  # type: ignore[call-overload]


def round_geometries(gdf: gpd.GeoDataFrame, decimals: int = COORD_DECIMALS) -> gpd.GeoDataFrame:
    """Copy of ``gdf`` (EPSG:4326) with every coordinate rounded to ``decimals``."""
    import numpy as np
    import shapely

    out = gdf.copy()
    if len(out):
        geoms = shapely.transform(out.geometry.to_numpy(), lambda c: np.round(c, decimals))
        out = out.set_geometry(geoms, crs=gdf.crs)
    return out


def generalise_grid(points: gpd.GeoSeries, *, grid_km: float) -> gpd.GeoSeries:
    """Snap each point to the centre of its ``grid_km`` cell of an EPSG:3035 grid.

    Returns points in EPSG:4326 rounded to :data:`COORD_DECIMALS`. Missing points stay missing.
    """
    import geopandas as gpd
    import numpy as np
    import shapely

    if not (isinstance(grid_km, (int, float)) and math.isfinite(grid_km) and grid_km > 0):
        raise ValidationError(
            Problem(
                f"grid_km must be a positive number of kilometres, instead got {grid_km!r}; "
                "use e.g. 10",
                value=grid_km,
                reason="invalid_option",
            )
        )
    size = float(grid_km) * 1000.0
    metric = to_crs(points, METRIC_CRS)
    valid = metric.notna() & ~metric.is_empty
    xs = np.full(len(metric), np.nan)
    ys = np.full(len(metric), np.nan)
    xs[valid.to_numpy()] = metric[valid].x.to_numpy()
    ys[valid.to_numpy()] = metric[valid].y.to_numpy()
    cx = (np.floor(xs / size) + 0.5) * size
    cy = (np.floor(ys / size) + 0.5) * size
    geoms = np.array([None] * len(metric), dtype=object)
    ok = valid.to_numpy()
    geoms[ok] = shapely.points(cx[ok], cy[ok])
    centres = to_crs(gpd.GeoSeries(geoms, index=points.index, crs=METRIC_CRS), "EPSG:4326")
    rounded = np.array([None] * len(metric), dtype=object)
    if ok.any():
        rounded[ok] = shapely.transform(centres[ok].to_numpy(), _round_xy)
    return gpd.GeoSeries(rounded, index=points.index, crs="EPSG:4326")


def generalise_settlement(
    points: gpd.GeoSeries, *, min_population: int = 0
) -> tuple[gpd.GeoSeries, list[str | None]]:
    """Snap each point to the nearest gazetteer settlement of at least ``min_population``.

    Returns the settlement points (EPSG:4326, rounded to :data:`COORD_DECIMALS`) and names.
    """
    import geopandas as gpd
    import numpy as np
    import shapely
    from scipy.spatial import cKDTree

    from routes.geo import load_gazetteer

    places = load_gazetteer().places
    places = places[places["population"] >= min_population].reset_index(drop=True)
    if places.empty:
        raise ValidationError(
            Problem(
                f"no gazetteer place has a population >= {min_population}; lower min_population",
                value=min_population,
                reason="invalid_option",
            )
        )
    pgeo = gpd.GeoSeries(
        shapely.points(places["longitude"].to_numpy(), places["latitude"].to_numpy()),
        crs="EPSG:4326",
    ).to_crs(METRIC_CRS)
    tree = cKDTree(np.column_stack([pgeo.x.to_numpy(), pgeo.y.to_numpy()]))
    metric = to_crs(points, METRIC_CRS)
    ok = (metric.notna() & ~metric.is_empty).to_numpy()
    geoms = np.array([None] * len(points), dtype=object)
    names: list[str | None] = [None] * len(points)
    if ok.any():
        xy = np.column_stack([metric[ok].x.to_numpy(), metric[ok].y.to_numpy()])
        _, idx = tree.query(xy)
        lon = np.round(places["longitude"].to_numpy()[idx], COORD_DECIMALS)
        lat = np.round(places["latitude"].to_numpy()[idx], COORD_DECIMALS)
        geoms[ok] = shapely.points(lon, lat)
        chosen = [str(places["name"].iat[int(i)]) for i in idx]
        for pos, name in zip(np.flatnonzero(ok), chosen, strict=True):
            names[int(pos)] = name
    return gpd.GeoSeries(geoms, index=points.index, crs="EPSG:4326"), names


def share_safe_incidents(
    incidents: gpd.GeoDataFrame,
    *,
    method: Literal["grid", "settlement"] = "grid",
    grid_km: float = 10.0,
    salt: str | bytes | None = None,
    date_precision: Literal["day", "month", "year"] = "month",
    min_population: int = 0,
) -> gpd.GeoDataFrame:
    """Return a copy of the incidents that can leave the agency.

    - ``incident_id`` becomes a keyed pseudonym ``P-<16 hex>`` (HMAC-SHA-256 with ``salt``;
      a fresh random salt per call when None, so pseudonyms cannot be linked across runs;
      give your own secret salt to link them). Without the salt an id cannot be recovered.
    - Points are generalised: ``"grid"`` snaps each to the centre of its ``grid_km`` cell in
      EPSG:3035; ``"settlement"`` to the nearest settlement of the bundled gazetteer
      (places of 500 or more inhabitants; ``min_population`` raises the bar; GeoNames gives 0
      for some towns, so 0 keeps them) and ``place`` becomes that settlement. Coordinates
      are rounded to 3 decimals; ``latitude``/``longitude`` follow the geometry.
    - Free text is dropped: ``notes`` and ``source`` are emptied (and a pooled record's own
      ids, ``local_id`` and ``merged_ids``); with ``"grid"`` also ``place``.
    - Dates are coarsened to ``date_precision`` (default: first day of the month).
    - ``source_row`` is renumbered after sorting by pseudonym, so it no longer points to
      the input file's rows.

    Parameters
    ----------
    incidents
        Canonical incidents (EPSG:4326).
    method, grid_km, salt, date_precision, min_population
        See above.

    Returns
    -------
    geopandas.GeoDataFrame
        Same columns, EPSG:4326.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> inc = gpd.GeoDataFrame({"incident_id": ["RS-2023-17"], "notes": ["Marko, plate BG-123"],
    ...                         "latitude": [44.81712], "longitude": [20.45634]},
    ...                        geometry=[Point(20.45634, 44.81712)], crs="EPSG:4326")
    >>> safe = share_safe_incidents(inc, grid_km=10, salt="a long secret salt")
    >>> safe.loc[0, "incident_id"].startswith("P-"), safe.loc[0, "notes"] is None
    (True, True)
    >>> bool(round(safe.geometry.x[0], 3) != 20.456)
    True
    """
    import geopandas as gpd
    import pandas as pd

    problems = []
    if method not in ("grid", "settlement"):
        problems.append(
            Problem(
                f"method={method!r} is not supported; use 'grid' or 'settlement'",
                value=method,
                reason="invalid_option",
            )
        )
    if date_precision not in ("day", "month", "year"):
        problems.append(
            Problem(
                f"date_precision={date_precision!r} is not supported; use 'day', 'month' or 'year'",
                value=date_precision,
                reason="invalid_option",
            )
        )
    if not isinstance(incidents, gpd.GeoDataFrame) or incidents.crs is None:
        problems.append(
            Problem(
                "incidents must be a GeoDataFrame with a CRS (EPSG:4326); read them with "
                "routes.read_incidents",
                reason="invalid_input",
            )
        )
    if "incident_id" not in getattr(incidents, "columns", []):
        problems.append(
            Problem(
                "incidents lack the column 'incident_id'",
                column="incident_id",
                reason="missing_column",
            )
        )
    if problems:
        raise ValidationError(problems)
    key = make_salt(salt)
    out = to_crs(incidents, "EPSG:4326").copy()
    out["incident_id"] = pseudonymise(out["incident_id"].tolist(), salt=key)
    if method == "grid":
        geoms = generalise_grid(out.geometry, grid_km=grid_km)
        if "place" in out.columns:
            out["place"] = None
        precision = "municipality" if grid_km <= 20 else "region"
    else:
        geoms, names = generalise_settlement(out.geometry, min_population=min_population)
        if "place" in out.columns:
            out["place"] = names
        precision = "settlement"
    out = out.set_geometry(geoms.to_numpy(), crs="EPSG:4326")
    has_point = out.geometry.notna() & ~out.geometry.is_empty
    if "latitude" in out.columns:
        out["latitude"] = [
            g.y if ok else math.nan for g, ok in zip(out.geometry, has_point, strict=True)
        ]
    if "longitude" in out.columns:
        out["longitude"] = [
            g.x if ok else math.nan for g, ok in zip(out.geometry, has_point, strict=True)
        ]
    if "location_precision" in out.columns:
        finer = out["location_precision"].isin(["exact", "settlement", "municipality"])
        out.loc[finer & has_point, "location_precision"] = precision
    for col in DROPPED_COLUMNS:
        if col in out.columns:
            out[col] = None
    if "date" in out.columns and date_precision != "day":
        dates = pd.to_datetime(out["date"], errors="coerce")
        freq = "MS" if date_precision == "month" else "YS"
        coarse = dates.dt.to_period("M" if freq == "MS" else "Y").dt.to_timestamp()
        out["date"] = coarse.astype(dates.dtype)
        if "date_precision" in out.columns:
            was_year = out["date_precision"] == "year"
            out.loc[dates.notna() & ~was_year, "date_precision"] = date_precision
    out = out.sort_values("incident_id", kind="stable").reset_index(drop=True)
    if "source_row" in out.columns:
        out["source_row"] = range(1, len(out) + 1)
    return out


# --------------------------------------------------------------------------- leak scan


def _trunc4(v: float) -> str:
    return f"{math.trunc(abs(v) * 10_000) / 10_000:.4f}"


def coordinate_keys(values: Iterable[float]) -> set[str]:
    """Every input coordinate written to 4 decimals: rounded and truncated forms."""
    keys: set[str] = set()
    for v in values:
        if v is None or not math.isfinite(float(v)):
            continue
        keys.add(f"{abs(float(v)):.4f}")
        keys.add(_trunc4(float(v)))
    return keys


_NUMBER = re.compile(r"(?<![\d.])(\d{1,3}\.\d{4,})")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-/.:]*")
_PDF_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)", re.S)


def _pdf_text(data: bytes) -> str:
    """Metadata and the text strings of a PDF (not its drawing coordinates)."""
    parts: list[str] = []
    outside = re.sub(rb"stream\r?\n.*?endstream", b"", data, flags=re.S)
    parts.append(outside.decode("latin-1"))
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, flags=re.S):
        try:
            content = zlib.decompress(m.group(1))
        except zlib.error:
            continue
        for block in re.findall(rb"BT(.*?)ET", content, flags=re.S):
            strings = [s[1:-1] for s in _PDF_STRING.findall(block)]
            parts.append(b"".join(strings).decode("latin-1"))
    return "\n".join(parts)


def _png_text(data: bytes) -> str:
    parts: list[str] = []
    pos = 8
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"tEXt":
            parts.append(body.decode("latin-1"))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            parts.append(key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"))
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            flag, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _tkey, _, text = rest.partition(b"\0")
            if flag:
                text = zlib.decompress(text)
            parts.append(key.decode("latin-1") + " " + text.decode("utf-8", "replace"))
        pos += 12 + length
    return "\n".join(parts)


def _gpkg_text_and_coords(path: Path) -> tuple[str, list[float]]:
    import pyogrio
    import shapely

    texts: list[str] = [path.read_bytes().decode("utf-8", "replace")]
    coords: list[float] = []
    for name, _geom_type in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name)
        for col in frame.columns:
            if col == "geometry":
                continue
            texts.append("\n".join(map(str, frame[col].tolist())))
        if "geometry" in frame:
            xy = shapely.get_coordinates(frame.geometry.to_numpy())
            coords.extend(float(v) for v in xy.ravel())
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        for (sql,) in con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL"):
            texts.append(sql)
    return "\n".join(texts), coords


def readable_text(path: Path) -> tuple[str, list[float]]:
    """The content of an output file a recipient could read, and its geometry coordinates."""
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".zip", ".docx"):
        with zipfile.ZipFile(path) as zf:
            return "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist()), []
    if suffix == ".pdf":
        return _pdf_text(data), []
    if suffix == ".png":
        return _png_text(data), []
    if suffix == ".gpkg":
        return _gpkg_text_and_coords(path)
    return data.decode("utf-8", "replace"), []


def checkable_ids(ids: Iterable[object]) -> set[str]:
    """Ids specific enough to search for (short numbers would match any count)."""
    out = set()
    for v in ids:
        s = str(v)
        if len(s) >= 4 and not (s.isdigit() and len(s) < 6):
            out.add(s)
    return out


def find_leaks(
    paths: Sequence[Path],
    *,
    ids: Iterable[object],
    latitudes: Iterable[float],
    longitudes: Iterable[float],
) -> list[str]:
    """Return one message per output file that shows an input id or input coordinate.

    Coordinates count as leaked when written with at least 4 decimals (rounded or truncated);
    ids when they appear as a whole token.
    """
    coord_keys = coordinate_keys([*latitudes, *longitudes])
    id_set = checkable_ids(ids)
    odd_ids = {i for i in id_set if not _TOKEN.fullmatch(i)}
    problems: list[str] = []
    for path in paths:
        text, coords = readable_text(path)
        hits: list[str] = []
        for m in _NUMBER.finditer(text):
            num = m.group(1)
            key = num[: num.index(".") + 5]
            if key in coord_keys:
                hits.append(f"coordinate {num}")
                break
        for v in coords:
            if f"{abs(v):.4f}" in coord_keys and round(abs(v), 4) != round(abs(v), 3):
                hits.append(f"geometry coordinate {v}")
                break
        for tok in _TOKEN.findall(text):
            tok2 = tok.rstrip(".:-/")
            if tok in id_set or tok2 in id_set:
                hits.append(f"incident id {tok2!r}")
                break
        for i in odd_ids:
            if i in text:
                hits.append(f"incident id {i!r}")
                break
        if hits:
            problems.append(f"{path.name}: {', '.join(hits)}")
    return problems


def populous_cells(incidents: gpd.GeoDataFrame, min_count: int | None) -> gpd.GeoDataFrame:
    """Incidents whose generalised point is shared by at least ``min_count`` incidents.

    In sharing-safe mode a dot on the print map at a grid-cell centre or settlement that holds
    fewer incidents than the suppression threshold would disclose a small count, so such dots
    are left out like the small flows.
    """
    import pandas as pd

    if not min_count or incidents.empty:
        return incidents
    geom = incidents.geometry
    has = geom.notna() & ~geom.is_empty
    key = pd.Series("", index=incidents.index)
    key[has] = geom[has].x.round(6).astype(str) + "," + geom[has].y.round(6).astype(str)
    counts = key.map(key[has].value_counts()).fillna(0)
    return incidents[has & (counts >= min_count)]
