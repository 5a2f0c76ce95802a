"""Rebuild ``data/borders/crossings.parquet`` from the fact table ``scripts/facts/crossings.csv``.

The CSV is the human-readable, editable source: one row per official border crossing point,
seaport or airport, with names on both sides, jurisdictions, mode, traffic, E-road, the source
and date of the fact, and an approximate position (``lon``/``lat``). This script

1. validates the table (the same checks as ``routes.load_crossings(path=...)``) plus the
   bundled-table rules: pair order of the ids (``routes.geo._crossings.PAIR_ORDER``) and
   ``eu_external`` consistent with EU membership;
2. PLACES every land/river border crossing (mode road/rail/river with a ``jurisdiction_b``):
   snaps it to the nearest point of the Natural Earth border line of its two jurisdictions
   (``data/borders/border_lines.parquet``, built by ``scripts/build_borders.py``). The build
   fails, naming the row, when the given point is more than ``MAX_SNAP_KM`` from that line
   (a wrong coordinate or a wrong pair). Ports, airports and inland river ports keep their
   coordinates;
3. cross-checks the names against the gazetteer (``routes.load_gazetteer``) and the positions
   against the unnamed road x border candidates of ``../shared/data/reference/
   road_border_intersections.csv`` (a lead only; read there, never copied) and reports
   mismatches;
4. writes the GeoParquet atomically.

Run ``python scripts/build_crossings.py [--strict]`` after ``scripts/build_borders.py``.
``--strict`` makes cross-check mismatches fail the build too.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point
from shapely.ops import nearest_points

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routes._crs import to_crs  # noqa: E402
from routes._errors import Problem, ValidationError  # noqa: E402
from routes._io import atomic_path  # noqa: E402
from routes.geo._crossings import (  # noqa: E402
    EU_MEMBERS,
    PAIR_ORDER,
    crossings_from_frame,
    is_placed_on_border,
)

FACTS = REPO / "scripts" / "facts" / "crossings.csv"
OUT = REPO / "data" / "borders" / "crossings.parquet"
LINES = REPO / "data" / "borders" / "border_lines.parquet"
CANDIDATES = REPO.parent / "shared" / "data" / "reference" / "road_border_intersections.csv"
#: A given point farther than this from its pair's border line fails the build.
MAX_SNAP_KM = 15.0
#: Points moved farther than this are listed for review.
REVIEW_SNAP_KM = 6.0
#: Gazetteer places farther than this from the placed crossing are reported.
GAZETTEER_KM = 25.0
METRIC = "EPSG:3035"


def read_facts(path: Path = FACTS) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Read and validate the fact table; return the crossings and the raw table."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    gdf = crossings_from_frame(raw, file=str(path.relative_to(REPO)))
    problems: list[Problem] = []
    rank = {code: i for i, code in enumerate(PAIR_ORDER)}
    for i, row in enumerate(gdf.itertuples(index=False), start=1):
        a, b = row.jurisdiction_a, row.jurisdiction_b
        b = b if isinstance(b, str) else ""
        placed = is_placed_on_border(row.mode, b)
        if placed and rank[a] > rank[b]:
            problems.append(
                Problem(
                    f"pair {a}-{b} is in the wrong order; ids put the sides in the order "
                    f"{', '.join(PAIR_ORDER)}: write {b}-{a} and swap the names",
                    file=str(path),
                    row=i,
                    column="jurisdiction_a",
                    value=a,
                    reason="pair_order",
                )
            )
        expected = (a in EU_MEMBERS) != (b in EU_MEMBERS) if placed else a in EU_MEMBERS
        if bool(row.eu_external) != expected:
            problems.append(
                Problem(
                    f"eu_external is {row.eu_external} but {a}/{b or '-'} makes it {expected}",
                    file=str(path),
                    row=i,
                    column="eu_external",
                    value=row.eu_external,
                    reason="eu_external",
                )
            )
        if placed and not row.crossing_id.startswith(f"{a}-{b}-"):
            problems.append(
                Problem(
                    f"crossing_id {row.crossing_id!r} must start with '{a}-{b}-'",
                    file=str(path),
                    row=i,
                    column="crossing_id",
                    value=row.crossing_id,
                    reason="bad_id",
                )
            )
    if problems:
        raise ValidationError(problems)
    return gdf, raw


def place_on_borders(
    crossings: gpd.GeoDataFrame, lines: gpd.GeoDataFrame, *, source: str = str(FACTS)
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Snap every land/river border crossing onto its pair's border line.

    Returns the placed crossings and a table of (crossing_id, pair, given_km) distances.
    """
    lines_m = lines.to_crs(METRIC)
    by_pair = {
        (r.jurisdiction_a, r.jurisdiction_b): r.geometry for r in lines_m.itertuples(index=False)
    }
    points_m = to_crs(crossings, METRIC).geometry
    snapped: dict[int, Point] = {}
    report = []
    problems: list[Problem] = []
    for i, row in enumerate(crossings.itertuples(index=False)):
        if not is_placed_on_border(row.mode, row.jurisdiction_b):
            continue
        pair = tuple(sorted((row.jurisdiction_a, row.jurisdiction_b)))
        line = by_pair.get(pair)
        if line is None:
            problems.append(
                Problem(
                    f"{row.crossing_id}: {pair[0]} and {pair[1]} share no land border; fix "
                    "jurisdiction_a/jurisdiction_b or make it a port (mode sea)",
                    file=source,
                    row=i + 1,
                    column="jurisdiction_b",
                    value=row.jurisdiction_b,
                    reason="no_border",
                )
            )
            continue
        point = points_m.iloc[i]
        dist_km = point.distance(line) / 1000
        if dist_km > MAX_SNAP_KM:
            problems.append(
                Problem(
                    f"{row.crossing_id} ({row.name_a} - {row.name_b}): the given point is "
                    f"{dist_km:.1f} km from the {pair[0]}-{pair[1]} border line (limit "
                    f"{MAX_SNAP_KM:g} km); correct lon/lat or the jurisdiction pair",
                    file=source,
                    row=i + 1,
                    column="lon/lat",
                    value=f"{row.geometry.x:.4f}, {row.geometry.y:.4f}",
                    reason="far_from_border",
                )
            )
            continue
        snapped[i] = nearest_points(line, point)[0]
        report.append({"crossing_id": row.crossing_id, "pair": "-".join(pair), "given_km": dist_km})
    if problems:
        raise ValidationError(problems)
    out = crossings.copy()
    # Only placed rows are reprojected back; ports and airports keep their exact coordinates.
    back = to_crs(gpd.GeoSeries(list(snapped.values()), crs=METRIC), "EPSG:4326")
    geoms = list(crossings.geometry)
    for i, g in zip(snapped, back, strict=True):
        geoms[i] = g
    out = out.set_geometry(gpd.GeoSeries(geoms, crs="EPSG:4326", index=crossings.index))
    # Check the placement itself (rounding of the reprojection must stay far below 1.5 km).
    for row, pt in zip(
        crossings.itertuples(index=False), to_crs(out, METRIC).geometry, strict=True
    ):
        if is_placed_on_border(row.mode, row.jurisdiction_b):
            pair = tuple(sorted((row.jurisdiction_a, row.jurisdiction_b)))
            if pt.distance(by_pair[pair]) > 1500:
                raise SystemExit(f"{row.crossing_id}: placed point is > 1.5 km from its line")
    return out, pd.DataFrame(report)


def _plain_name(name: str) -> str:
    """Drop bracketed qualifiers and numbers: 'Neum 1' -> 'Neum', 'Ilok (Principovac)' -> 'Ilok'."""
    name = re.sub(r"\(.*?\)", "", name)
    name = re.sub(r"\b\d+\b", "", name)
    return " ".join(name.split())


def check_gazetteer(crossings: gpd.GeoDataFrame) -> list[str]:
    """Look both names of each land crossing up in the gazetteer; report far or missing ones."""
    try:
        import routes

        gaz = routes.load_gazetteer()
    except (ImportError, AttributeError, FileNotFoundError, NotImplementedError) as exc:
        return [f"gazetteer cross-check skipped: gazetteer not available ({exc!r})"]
    notes: list[str] = []
    missing: list[str] = []
    metric = to_crs(crossings, METRIC)
    checked = 0
    for row, pt in zip(crossings.itertuples(index=False), metric.geometry, strict=True):
        if not is_placed_on_border(row.mode, row.jurisdiction_b):
            continue
        for side, name, jur in (
            ("a", row.name_a, row.jurisdiction_a),
            ("b", row.name_b, row.jurisdiction_b),
        ):
            plain = _plain_name(name)
            if not plain:
                continue
            checked += 1
            try:
                place = gaz.lookup(plain, jurisdiction=jur)
            except LookupError as exc:
                if type(exc).__name__ == "AmbiguousPlaceError":
                    notes.append(f"  {row.crossing_id} name_{side} {plain!r} ({jur}): ambiguous")
                else:
                    missing.append(f"{plain} ({jur})")
                continue
            p = to_crs(gpd.GeoSeries([Point(place.longitude, place.latitude)], crs=4326), METRIC)
            km = p.iloc[0].distance(pt) / 1000
            if km > GAZETTEER_KM:
                notes.append(
                    f"  {row.crossing_id} name_{side} {plain!r} ({jur}): gazetteer place "
                    f"{place.name!r} is {km:.0f} km from the crossing"
                )
    head = [
        f"gazetteer cross-check: {checked} names looked up, {checked - len(missing)} found, "
        f"{len(notes)} mismatches (place > {GAZETTEER_KM:g} km away or ambiguous)",
        f"  not in the gazetteer (border hamlets and neighbour-country places; expected): "
        f"{len(set(missing))} names",
    ]
    return head + notes


def check_candidates(crossings: gpd.GeoDataFrame, path: Path = CANDIDATES) -> list[str]:
    """Compare road crossings with the unnamed road x border candidates (a lead only)."""
    if not path.is_file():
        return [f"candidate cross-check skipped: {path} not found"]
    from routes._constants import ADM0_A3_TO_ISO

    cand = pd.read_csv(path)
    cand["pair"] = [
        "-".join(sorted(ADM0_A3_TO_ISO.get(c, c) for c in p.split("-"))) for p in cand["pair"]
    ]
    cand_gdf = gpd.GeoDataFrame(
        cand, geometry=gpd.points_from_xy(cand["lon"], cand["lat"]), crs=4326
    ).to_crs(METRIC)
    road = crossings[crossings["mode"] == "road"].copy()
    road["pair"] = [
        "-".join(sorted((a, b)))
        for a, b in zip(road["jurisdiction_a"], road["jurisdiction_b"], strict=True)
    ]
    road_m = road.to_crs(METRIC)
    notes = []
    far = []
    for row in cand_gdf.itertuples(index=False):
        same = road_m[road_m["pair"] == row.pair]
        if same.empty:
            continue
        km = same.distance(row.geometry).min() / 1000
        if km > 10:
            far.append(
                f"  candidate {row.pair} at {row.lon:.3f}, {row.lat:.3f}: nearest listed "
                f"crossing {km:.1f} km away (unlisted crossing or green-border road?)"
            )
    notes.append(
        f"road x border candidates: {len(cand_gdf)} read, {len(far)} farther than 10 km from "
        "any listed road crossing of their pair"
    )
    notes.extend(far)
    return notes


def write_parquet(gdf: gpd.GeoDataFrame, path: Path) -> None:
    """Write GeoParquet atomically (temp file in the same folder, then ``os.replace``)."""
    # 0o644: the bundled file must be world-readable whatever the umask of the builder
    with atomic_path(path, mode=0o644) as tmp:
        gdf.to_parquet(tmp, index=False, compression="zstd")


def summary(crossings: gpd.GeoDataFrame) -> str:
    """Counts per jurisdiction pair and per mode, as a Markdown table."""
    df = pd.DataFrame(crossings.drop(columns="geometry"))
    df["pair"] = [
        f"{a}-{b}" if is_placed_on_border(m, b) else f"{a} ({m})"
        for a, b, m in zip(df["jurisdiction_a"], df["jurisdiction_b"], df["mode"], strict=True)
    ]
    table = df.pivot_table(index="pair", columns="mode", values="crossing_id", aggfunc="count")
    table = (
        table.reindex(
            columns=[m for m in ("road", "rail", "river", "sea", "air") if m in table.columns]
        )
        .fillna(0)
        .astype(int)
    )
    table["total"] = table.sum(axis=1)
    lines = ["| pair | " + " | ".join(table.columns) + " |", "|---|" + "---:|" * len(table.columns)]
    for pair, counts in table.iterrows():
        lines.append(f"| {pair} | " + " | ".join(str(v) for v in counts) + " |")
    lines.append("| **all** | " + " | ".join(str(v) for v in table.sum()) + " |")
    return "\n".join(lines)


def build(*, strict: bool = False) -> gpd.GeoDataFrame:
    """Validate, place, cross-check and write the crossings; return them."""
    crossings, _raw = read_facts()
    lines = gpd.read_parquet(LINES)
    placed, moves = place_on_borders(crossings, lines)
    print(
        f"{len(placed)} crossings read from {FACTS.relative_to(REPO)}; "
        f"{len(moves)} placed on their border line"
    )
    review = moves[moves["given_km"] > REVIEW_SNAP_KM].sort_values("given_km", ascending=False)
    if len(review):
        print(f"moved more than {REVIEW_SNAP_KM:g} km when snapped (check the coordinate):")
        for r in review.itertuples(index=False):
            print(f"  {r.crossing_id}: {r.given_km:.1f} km")
    if len(moves):
        print(
            f"snap distance: median {moves['given_km'].median():.1f} km, "
            f"max {moves['given_km'].max():.1f} km"
        )
    remarks = check_gazetteer(placed) + check_candidates(placed)
    print("\n".join(remarks))
    if strict and any(r.startswith("  ") for r in remarks):
        raise SystemExit("cross-check mismatches (see above) and --strict was given")
    write_parquet(placed, OUT)
    print(f"wrote {OUT.relative_to(REPO)} ({OUT.stat().st_size / 1e3:.0f} kB)")
    print(summary(placed))
    return placed


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail on cross-check mismatches")
    args = parser.parse_args()
    try:
        build(strict=args.strict)
    except ValidationError as exc:
        raise SystemExit(f"build_crossings failed:\n{exc}") from exc


if __name__ == "__main__":
    main()
