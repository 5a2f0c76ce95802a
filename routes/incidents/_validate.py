"""The validation engine: a raw table + a column mapping -> canonical incidents and rejections.

Every step is vectorised with pandas/numpy/shapely 2: values with few distinct forms (dates,
vocabularies, quantities, place names) are parsed once per distinct value; coordinates and
region tests run on whole arrays. Every problem of every row is collected (a row may have
several); a row with at least one problem is rejected, all other rows are accepted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes._io import progress_bar
from routes._pdcompat import STR
from routes.incidents._checks import (
    Run,
    check_coordinates,
    check_dates,
    check_ids,
    check_jurisdictions,
    check_quantities,
    check_region,
    empty_rows,
    map_vocabularies,
    resolve_places,
)
from routes.incidents._columns import Source, resolve_columns
from routes.incidents._mapping import ColumnMapping
from routes.incidents._problems import Problems, rejected_frame
from routes.incidents._readers import RawTable
from routes.incidents._text import WS_RE2, obj_to_str, re_sub
from routes.schema import CANONICAL_COLUMNS, Vocabulary, vocabularies

__all__ = ["EngineOutput", "build_incidents"]


@dataclass
class EngineOutput:
    """What the engine hands back to :mod:`routes.incidents`."""

    accepted: Any  # GeoDataFrame
    rejected: pd.DataFrame
    rows_read: int
    info: dict[str, Any] = field(default_factory=dict)


class _Stages:
    def __init__(self, enabled: bool, total: int) -> None:
        self.bar = None
        if enabled:
            self.bar = progress_bar(total=total, desc="validating", unit="step")

    def step(self, name: str) -> None:
        if self.bar is not None:
            self.bar.set_postfix_str(name)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _vocabs(mapping: ColumnMapping, extra: Mapping[str, Any] | None) -> dict[str, Vocabulary]:
    merged: dict[str, Any] = {}
    for source in (mapping.vocabularies, extra or {}):
        for col, values in source.items():
            if col in merged:
                base = merged[col]
                base_map = dict(base) if isinstance(base, Mapping) else {v: [] for v in base}
                add_map = dict(values) if isinstance(values, Mapping) else {v: [] for v in values}
                merged[col] = {**base_map, **add_map}
            else:
                merged[col] = values
    try:
        vocabs = vocabularies(merged)
        for col, syns in mapping.values.items():
            if col in vocabs:
                vocabs[col] = vocabs[col].with_synonyms(syns)
    except ValueError as err:
        raise ValidationError(
            [Problem(str(err), file=mapping.path, reason="bad_mapping")]
        ) from None
    return vocabs


def build_incidents(
    table: RawTable,
    mapping: ColumnMapping,
    *,
    vocabularies: Mapping[str, Any] | None = None,
    gazetteer: Any = None,
    progress: bool = False,
) -> EngineOutput:
    """Map and validate a raw table; see :func:`routes.read_incidents`."""
    from routes.geo import jurisdiction_at, region_method

    frame = table.frame.reset_index(drop=True)
    table = RawTable(**{**table.__dict__, "frame": frame})
    n = len(frame)
    stages = _Stages(progress and n >= 50_000, 10)
    try:
        vocabs = _vocabs(mapping, vocabularies)
        sources, ignored = resolve_columns(table, mapping)
        for key, default in mapping.defaults.items():
            if key not in sources:
                sources[key] = Source(pd.Series(default, index=frame.index, dtype=STR), "default")
        problems = Problems()
        empty = empty_rows(table)
        problems.add(np.flatnonzero(empty), "empty_row", None, None, "the row is empty; delete it")
        run = Run(table, mapping, sources, problems, ~empty)
        stages.step("ids")
        ids = check_ids(run)
        stages.step("dates")
        dates, prec = check_dates(run)
        stages.step("vocabularies")
        canon, prec_final = map_vocabularies(run, vocabs, prec)
        stages.step("jurisdictions")
        jurs = check_jurisdictions(run)
        stages.step("quantities")
        qty = check_quantities(run)
        stages.step("coordinates")
        loc = check_coordinates(run)
        stages.step("region")
        valid = check_region(run, loc, jurs)
        stages.step("places")
        jur = jurs.codes
        place, loc_prec = resolve_places(
            run, loc, valid, jur, canon["location_precision"], gazetteer
        )
        stages.step("assemble")
        derive = np.flatnonzero(valid & run.live & pd.isna(jur))
        if derive.size:
            jur[derive] = jurisdiction_at(loc.lon[derive], loc.lat[derive])
        parsed = {
            **canon,
            "ids": ids,
            "dates": dates,
            "precision": prec_final,
            "jurisdiction": jur,
            "place": place,
            "location_precision": loc_prec,
            "quantity": qty,
        }
        accepted, rejected = _assemble(run, loc, parsed)
        info = {
            "file": table.file,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "line_ending": table.line_ending,
            "header_row": table.header_row,
            "title_rows": list(table.title_rows),
            "sheet": table.sheet,
            "layer": table.layer,
            "source_crs": table.source_crs or mapping.crs,
            "mapping": mapping.name or mapping.path,
            "ignored_columns": ignored,
            "region_method": region_method(),
        }
        if mapping.layout is not None:
            info["layout"] = mapping.layout
        if run.notes:
            info["notes"] = list(run.notes)
        stages.step("done")
        return EngineOutput(accepted, rejected, n, info)
    finally:
        stages.close()


def _assemble(run: Run, loc: Any, parsed: dict[str, Any]) -> tuple[Any, pd.DataFrame]:
    """The accepted GeoDataFrame (rows without problems) and the rejected-rows table."""
    import geopandas as gpd

    n = run.n
    pf = run.problems.frame()
    bad_rows = np.unique(pf["pos"].to_numpy(dtype=np.int64))
    keep = np.ones(n, dtype=bool)
    keep[bad_rows] = False
    kpos = np.flatnonzero(keep)
    all_kept = len(kpos) == n

    def pick(series: pd.Series) -> pd.Series:
        # boolean filtering is chunk-wise on Arrow arrays (take would concatenate chunks)
        picked = series if all_kept else series[keep]
        return picked.reset_index(drop=True).astype(STR)

    transit = run.text("transit")
    transit = re_sub(transit, r"(?:\s*[|;>→]\s*)+", "|")
    transit = re_sub(transit, WS_RE2, " ").str.strip("|")
    transit = transit.mask(transit == "")
    lat, lon = loc.lat, loc.lon
    ids = parsed["ids"]
    data: dict[str, Any] = {
        "source_row": (kpos + 1).astype(np.int64),
        "incident_id": pick(ids),
        "date": parsed["dates"][kpos],
        "date_precision": obj_to_str(parsed["precision"][kpos]),
        "jurisdiction": obj_to_str(parsed["jurisdiction"][kpos]),
        "place": pick(parsed["place"]),
        "latitude": lat[kpos],
        "longitude": lon[kpos],
        "location_precision": pick(parsed["location_precision"]),
        "event": pick(parsed["event"]),
        "category": pick(parsed["category"]),
        "quantity": parsed["quantity"][kpos],
        "origin": pick(run.text("origin", collapse=True)),
        "transit": pick(transit),
        "destination": pick(run.text("destination", collapse=True)),
        "crossing": pick(run.text("crossing", collapse=True)),
        "modus_operandi": pick(parsed["modus_operandi"]),
        "ocg_involved": pick(parsed["ocg_involved"]),
        "migrants_involved": pick(parsed["migrants_involved"]),
        "source": pick(run.text("source")),
        "verification": pick(parsed["verification"]),
        "notes": pick(run.text("notes")),
    }
    out = pd.DataFrame(data)
    out["date"] = out["date"].astype("datetime64[ns]")
    accepted = gpd.GeoDataFrame(
        out,
        geometry=gpd.points_from_xy(lon[kpos], lat[kpos], crs="EPSG:4326"),
        crs="EPSG:4326",
    )
    accepted = accepted[list(CANONICAL_COLUMNS)]
    rejected = rejected_frame(pf, run.table.frame, run.table, ids)
    return accepted, rejected
