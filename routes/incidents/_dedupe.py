"""Double reports across agencies: candidate pairs by space, time and goods; optional merge.

The rule (documented in docs/assessment-files.md): two pooled records are a **candidate
pair** when

1. they come from different sources (``reporting`` differs);
2. both are dated and their days differ by at most ``days``;
3. their points lie at most ``distance_m`` apart, measured in EPSG:3035;
4. both have a location finer than ``region`` (a region's or country's centroid says nothing
   about the place) — records of precision ``region`` or ``country`` are never paired;
5. their goods are compatible: the same ``category`` (an empty category fits any), and
   quantities within ``quantity_ratio`` of each other (smaller / larger >= the ratio; a
   missing quantity counts as 1).

The search puts every record at ``(x, y, day × distance_m / days)`` in a
:class:`scipy.spatial.cKDTree` and asks for every pair within ``distance_m`` in the maximum
norm (a box of ±``distance_m`` and ±``days``), then keeps the pairs within ``distance_m`` in
the plane. The score is the mean of three closeness terms in [0, 1]: ``1 - distance /
distance_m``, ``1 - day difference / (days + 1)`` and the quantity ratio.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "DUPLICATE_COLUMNS",
    "DuplicateRule",
    "duplicate_candidates",
    "merge_duplicates",
]

#: Columns of :func:`duplicate_candidates`, in order.
DUPLICATE_COLUMNS = (
    "id_a",
    "id_b",
    "reporting_a",
    "reporting_b",
    "local_id_a",
    "local_id_b",
    "date_a",
    "date_b",
    "day_difference",
    "distance_m",
    "category_a",
    "category_b",
    "quantity_a",
    "quantity_b",
    "score",
)

_COARSE = ("region", "country")


@dataclass(frozen=True)
class DuplicateRule:
    """Thresholds of the double-report rule (see the module docs).

    Attributes
    ----------
    distance_m
        Greatest distance between the two points, metres in EPSG:3035.
    days
        Greatest difference between the two dates, whole days.
    quantity_ratio
        Smallest ratio smaller / larger quantity (0 accepts any quantities, 1 only equal).
    """

    distance_m: float = 1000.0
    days: int = 2
    quantity_ratio: float = 0.5

    def check(self) -> DuplicateRule:
        """Return the rule, or raise one :class:`routes.ValidationError` listing every bad value."""
        problems = []
        if not (isinstance(self.distance_m, (int, float)) and 0 < self.distance_m <= 100_000):
            problems.append(f"distance_m = {self.distance_m!r}: give metres in (0, 100000]")
        if not (isinstance(self.days, int) and not isinstance(self.days, bool)) or not (
            0 <= self.days <= 366
        ):
            problems.append(f"days = {self.days!r}: give a whole number of days in [0, 366]")
        if not (isinstance(self.quantity_ratio, (int, float)) and 0 <= self.quantity_ratio <= 1):
            problems.append(f"quantity_ratio = {self.quantity_ratio!r}: give a number in [0, 1]")
        if problems:
            raise ValidationError(
                [Problem(f"duplicate rule: {p}", reason="bad_option") for p in problems]
            )
        return self


def _points_3035(incidents: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    from routes._crs import shared_transformer, transform_xy

    geom = incidents.geometry
    tr = shared_transformer("EPSG:4326", "EPSG:3035")
    return transform_xy(tr, geom.x.to_numpy(), geom.y.to_numpy())


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DUPLICATE_COLUMNS})


def duplicate_candidates(
    incidents: gpd.GeoDataFrame, *, rule: DuplicateRule | None = None
) -> pd.DataFrame:
    """List the candidate double reports of pooled incidents (nothing is dropped).

    Parameters
    ----------
    incidents
        Pooled incidents (:func:`routes.incidents.pool_reads`): ``incident_id``,
        ``reporting``, ``date``, ``category``, ``quantity``, points in EPSG:4326. Without a
        ``reporting`` column every record counts as one source, so there is no pair.
    rule
        The thresholds (default :class:`DuplicateRule`).

    Returns
    -------
    pandas.DataFrame
        One row per pair, columns :data:`DUPLICATE_COLUMNS`, best score first; ``a`` is the
        record that comes first in ``incidents``.
    """
    from scipy.spatial import cKDTree

    rule = (rule or DuplicateRule()).check()
    if "reporting" not in incidents.columns or len(incidents) < 2:
        return _empty()
    dates = pd.to_datetime(incidents["date"], errors="coerce")
    ok = dates.notna().to_numpy() & ~incidents.geometry.is_empty.to_numpy()
    if "location_precision" in incidents.columns:
        ok &= ~incidents["location_precision"].isin(_COARSE).to_numpy()
    idx = np.flatnonzero(ok)
    if len(idx) < 2:
        return _empty()
    x, y = _points_3035(incidents.iloc[idx])
    day = (dates.to_numpy()[idx].astype("datetime64[D]").astype("int64")).astype(float)
    scale = rule.distance_m / rule.days if rule.days else rule.distance_m * 2.0
    tree = cKDTree(np.column_stack([x, y, day * scale]))
    pairs = tree.query_pairs(rule.distance_m * (1 + 1e-9), p=np.inf, output_type="ndarray")
    if not len(pairs):
        return _empty()
    i, j = pairs[:, 0], pairs[:, 1]
    src = pd.Categorical(incidents["reporting"].to_numpy()[idx]).codes
    dist = np.hypot(x[i] - x[j], y[i] - y[j])
    dd = np.abs(day[i] - day[j])
    keep = (src[i] != src[j]) & (dist <= rule.distance_m) & (dd <= rule.days)
    cat = incidents["category"].to_numpy(dtype=object)[idx] if "category" in incidents else None
    if cat is not None:
        ca, cb = pd.Series(cat[i]), pd.Series(cat[j])
        keep &= (ca.isna() | cb.isna() | (ca == cb)).to_numpy()
    qty = np.ones(len(idx))
    if "quantity" in incidents.columns:
        qty = pd.to_numeric(incidents["quantity"], errors="coerce").to_numpy(dtype=float)[idx]
        qty = np.where(np.isnan(qty) | (qty <= 0), 1.0, qty)
    ratio = np.minimum(qty[i], qty[j]) / np.maximum(qty[i], qty[j])
    keep &= ratio >= rule.quantity_ratio
    i, j, dist, dd, ratio = i[keep], j[keep], dist[keep], dd[keep], ratio[keep]
    lo, hi = idx[np.minimum(i, j)], idx[np.maximum(i, j)]
    score = ((1 - dist / rule.distance_m) + (1 - dd / (rule.days + 1)) + ratio) / 3

    def side(name: str, rows: np.ndarray) -> np.ndarray:
        if name not in incidents.columns:
            return np.full(len(rows), None, dtype=object)
        return incidents[name].iloc[rows].to_numpy(dtype=object)

    def day_text(rows: np.ndarray) -> np.ndarray:
        return dates.iloc[rows].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)

    out = pd.DataFrame(
        {
            "id_a": side("incident_id", lo),
            "id_b": side("incident_id", hi),
            "reporting_a": side("reporting", lo),
            "reporting_b": side("reporting", hi),
            "local_id_a": side("local_id", lo),
            "local_id_b": side("local_id", hi),
            "date_a": day_text(lo),
            "date_b": day_text(hi),
            "day_difference": dd.astype("int64"),
            "distance_m": np.round(dist, 1),
            "category_a": side("category", lo),
            "category_b": side("category", hi),
            "quantity_a": qty[np.searchsorted(idx, lo)],
            "quantity_b": qty[np.searchsorted(idx, hi)],
            "score": np.round(score, 3),
        }
    )
    out["quantity_a"] = out["quantity_a"].astype("int64")
    out["quantity_b"] = out["quantity_b"].astype("int64")
    order = np.lexsort((out["id_b"].astype(str), out["id_a"].astype(str), -out["score"]))
    return out.iloc[order].reset_index(drop=True)


def merge_duplicates(
    incidents: gpd.GeoDataFrame, candidates: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Keep one record of each candidate pair, carrying both provenances.

    Pairs are taken best score first; a record already merged is not merged again. The kept
    record is ``a`` (the first in ``incidents``); its ``reporting`` becomes ``"A + B"`` and
    the column ``merged_ids`` holds ``b``'s pooled id (empty elsewhere).

    Returns
    -------
    tuple
        The incidents without the merged-away records, and the pairs merged (rows of
        ``candidates``).
    """
    used: set[str] = set()
    taken = []
    for pos, (a, b) in enumerate(zip(candidates["id_a"], candidates["id_b"], strict=True)):
        if a in used or b in used:
            continue
        used.update((a, b))
        taken.append(pos)
    merged = candidates.iloc[taken].reset_index(drop=True)
    out = incidents.copy()
    out["merged_ids"] = pd.Series([None] * len(out), index=out.index, dtype=object)
    if not len(merged):
        return out, merged
    by_id = pd.Series(np.arange(len(out)), index=out["incident_id"].to_numpy())
    keep_pos = by_id[merged["id_a"]].to_numpy()
    out.iloc[keep_pos, out.columns.get_loc("merged_ids")] = merged["id_b"].to_numpy()
    if "reporting" in out.columns:
        both = merged["reporting_a"].astype(str) + " + " + merged["reporting_b"].astype(str)
        out.iloc[keep_pos, out.columns.get_loc("reporting")] = both.to_numpy()
    drop = out["incident_id"].isin(set(merged["id_b"])).to_numpy()
    return out[~drop], merged
