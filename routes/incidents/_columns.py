"""Resolving a mapping against a file's columns: which source feeds each canonical column."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes._pdcompat import STR
from routes.incidents._mapping import ColumnMapping
from routes.incidents._readers import RawTable
from routes.incidents._text import clean, norm_header
from routes.schema import CANONICAL_COLUMNS

__all__ = ["AUTO_ALIASES", "Source", "resolve_columns"]

AUTO_ALIASES: dict[str, tuple[str, ...]] = {
    # English, BCS (širina/dužina) and Albanian (gjerësia/gjatësia) headers.
    "latitude": ("lat", "latitude", "širina", "geografska_širina", "gjerësia"),
    "longitude": ("lon", "lng", "long", "longitude", "dužina", "geografska_dužina", "gjatësia"),
    # x/y: degrees, or projected metres with the mapping's crs (naive metres are refused).
    "x": ("x", "easting"),
    "y": ("y", "northing"),
    "coordinates": ("coordinates", "coords"),
    "wkt": ("wkt", "geometry", "geom", "geometry_wkt"),
}


@dataclass
class Source:
    series: pd.Series
    label: str  # the column as the user knows it (source name, or "constant"/"template")


def _missing_column_fix(mapping: ColumnMapping, key: str, src: str) -> str:
    """The fix for a mapped column the file lacks: edit the mapping (a copy, if bundled)."""
    fix = (
        f'correct the column name in the mapping, or delete the line {key} = "{src}" under '
        "[columns] if the file has no such column"
    )
    if mapping.path is not None:
        from pathlib import Path

        from routes._paths import data_dir

        path = Path(mapping.path)
        if path.resolve().parent == data_dir("mappings").resolve():
            fix += f" (a bundled mapping: copy {path} and pass the edited copy with --mapping)"
    return fix


def resolve_columns(table: RawTable, mapping: ColumnMapping) -> tuple[dict[str, Source], list[str]]:
    frame = table.frame
    n = len(frame)
    headers = [str(c) for c in frame.columns]
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(norm_header(h), h)
    problems: list[Problem] = []
    # columns the mapping says never to read count as used: no name or alias picks them
    skipped = {by_norm.get(norm_header(c), c) for c in mapping.ignore_columns}
    used: set[str] = set(skipped)
    out: dict[str, Source] = {}

    def find(name: str) -> str | None:
        if name in frame.columns:
            return name
        return by_norm.get(norm_header(name))

    for key, src in mapping.columns.items():
        col = find(src)
        if col is None:
            close = difflib.get_close_matches(src, headers, n=1, cutoff=0.85)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    f"the mapping maps {key!r} to column {src!r}, which the file does not have; "
                    f"{hint}{_missing_column_fix(mapping, key, src)}",
                    file=table.file,
                    column=src,
                    reason="missing_column",
                )
            )
            continue
        out[key] = Source(frame[col], col)
        used.add(col)
    for key, template in mapping.templates.items():
        fields = re.findall(r"\{([^{}]+)\}", template)
        parts = re.split(r"\{[^{}]+\}", template)
        missing = [f for f in fields if find(f) is None]
        if missing:
            problems.append(
                Problem(
                    f"template for {key!r} uses column(s) {', '.join(repr(m) for m in missing)} "
                    "that the file does not have; correct the template in the mapping or remove "
                    "the missing fields from it",
                    file=table.file,
                    column=missing[0],
                    reason="missing_column",
                )
            )
            continue
        acc = pd.Series(parts[0], index=frame.index, dtype=STR)
        any_value = pd.Series(False, index=frame.index)
        for fld, tail in zip(fields, parts[1:], strict=True):
            col = find(fld)
            assert col is not None
            val = clean(frame[col], mapping.na_values)
            any_value |= val.notna()
            acc = acc + val.fillna("") + tail
            used.add(col)
        out[key] = Source(acc.where(any_value), f"template {template!r}")
    for key, value in mapping.constants.items():
        out[key] = Source(pd.Series(value, index=frame.index, dtype=STR), "constant")
    if problems:
        problems.append(
            Problem(
                f"columns in the file: {', '.join(repr(h) for h in headers)}",
                file=table.file,
                reason="missing_column",
            )
        )
        raise ValidationError(problems)
    # Columns named like canonical columns are used as they are.
    explicit_location = any(
        k in out for k in ("latitude", "longitude", "x", "y", "coordinates", "wkt")
    )
    for name in (*(c for c in CANONICAL_COLUMNS if c not in ("source_row", "geometry")),):
        if name in out or name in ("latitude", "longitude"):
            continue
        col = by_norm.get(norm_header(name))
        if col is not None and col not in used:
            out[name] = Source(frame[col], col)
            used.add(col)
    if not explicit_location:
        for key, aliases in AUTO_ALIASES.items():
            for alias in aliases:
                col = by_norm.get(alias)
                if col is not None and col not in used:
                    if key == "wkt" and table.geometry is not None:
                        break
                    out[key] = Source(frame[col], col)
                    used.add(col)
                    break
        for a, b in (("latitude", "longitude"), ("x", "y")):
            if (a in out) != (b in out):
                out.pop(a, None)
                out.pop(b, None)
        if "latitude" in out and "x" in out:  # lat/lon named as such win over x/y
            out.pop("x")
            out.pop("y")
    if "incident_id" not in out and mapping.generate_id == "row":
        rows = pd.Series(np.arange(1, n + 1).astype(str), index=frame.index, dtype=STR)
        out["incident_id"] = Source(rows, "row number (generate_id)")
    if n and "incident_id" not in out:
        raise ValidationError(
            [
                Problem(
                    "no incident_id column: name a column 'incident_id' or map one in the "
                    'mapping ([columns] incident_id = "..."), set generate_id = "row" in the '
                    "mapping to number the rows, or draft a mapping with 'salw-routes "
                    "inspect'; columns in the "
                    + ("file: " if table.sheet is None else f"sheet {table.sheet!r}: ")
                    + f"{', '.join(repr(h) for h in headers)}"
                    + (
                        ""
                        if table.sheet is None
                        else "; if the incidents are on another sheet, choose it with --sheet "
                        "(CLI), sheet= (Python) or `sheet` in the mapping"
                    ),
                    file=table.file,
                    column="incident_id",
                    reason="missing_column",
                )
            ]
        )
    ignored = [h for h in headers if h not in used or h in skipped]
    return out, ignored
