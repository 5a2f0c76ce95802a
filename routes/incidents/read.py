"""Reading and validating incident files: every row accepted or rejected with a reason.

:func:`read_incidents` reads CSV (delimiter and encoding sniffed: UTF-8 with or without BOM,
Windows-1250, Windows-1251), XLSX, GeoJSON, GeoPackage and (Geo)Parquet;
:func:`incidents_from_frame` does the same for a DataFrame already in memory. A column mapping
(:func:`load_mapping`: a TOML file, a bundled mapping name such as ``"iom_mmp"``, or a dict)
maps a foreign layout onto the canonical schema of :mod:`routes.schema`.

Rows read = rows accepted + rows rejected, always. In strict mode (the default) any rejected
row raises one :class:`routes.ValidationError` listing every problem; in lenient mode
(``strict=False``) an :class:`IncidentReadResult` holds the accepted rows and the rejections.

>>> import pandas as pd
>>> df = pd.DataFrame({"incident_id": ["a", "b"], "date": ["23.05.2023", "31.04.2023"],
...                    "place": ["Niš", "Skopje"], "category": ["pištolj", "bomba"]})
>>> result = incidents_from_frame(df, strict=False)
>>> cols = ["incident_id", "category", "jurisdiction", "location_precision"]
>>> result.accepted[cols].values.tolist()
[['a', 'pistol', 'RS', 'settlement']]
>>> result.rejected[["source_row", "reason"]].values.tolist()
[[2, 'impossible_date']]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, overload

import pandas as pd

from routes._crs import to_crs
from routes._errors import Problem, ValidationError
from routes.incidents._mapping import (
    ColumnMapping,
    bundled_mappings,
    load_mapping,
    select_layout,
)
from routes.incidents._readers import RawTable, read_table
from routes.incidents._validate import build_incidents
from routes.incidents.places import PlacesTable, read_places

if TYPE_CHECKING:
    import geopandas as gpd

    from routes.geo.gazetteer import Gazetteer

__all__ = [
    "ColumnMapping",
    "IncidentReadResult",
    "bundled_mappings",
    "incidents_from_frame",
    "load_mapping",
    "read_incidents",
    "write_rejects",
]

MappingLike = str | Path | Mapping[str, Any] | ColumnMapping | None
PlacesLike = str | Path | PlacesTable | None


@dataclass
class IncidentReadResult:
    """The outcome of reading an incident file in lenient mode.

    Attributes
    ----------
    accepted
        Accepted rows in the canonical schema (GeoDataFrame, EPSG:4326).
    rejected
        One line per problem: source_row, incident_id, reason, column, value, message, then
        the row's raw fields as read. A row with several problems has several lines.
    rows_read
        Data rows read; always ``len(accepted) + rejected["source_row"].nunique()``.
    file
        The file read (or the ``source_name`` of a DataFrame).
    info
        How the file was read: format, encoding, delimiter, sheet, layer, mapping, columns
        not used, region method, notes (two-digit years read by the pivot), the places table.
    places
        The user's places table used (``places=`` or the mapping's ``[places]``), else None;
        pass it on as ``gazetteer=`` of :func:`routes.route_incidents`.
    """

    accepted: gpd.GeoDataFrame
    rejected: pd.DataFrame
    rows_read: int
    file: str
    info: dict[str, Any] = field(default_factory=dict)
    places: PlacesTable | None = None

    @property
    def rows_rejected(self) -> int:
        """Number of distinct rejected rows."""
        return int(self.rejected["source_row"].nunique())

    def problems(self, *, limit: int | None = None) -> list[Problem]:
        """Return every problem as a :class:`routes.Problem` (the first ``limit`` if given:
        a summary need not make one object per rejected row of a large file)."""
        rej = self.rejected if limit is None else self.rejected.iloc[: max(limit, 0)]
        return [
            Problem(
                message=str(msg),
                file=self.file,
                row=int(row),
                column=None if pd.isna(col) else str(col),
                value=None if pd.isna(val) else val,
                reason=str(reason),
            )
            for row, col, val, msg, reason in zip(
                rej["source_row"],
                rej["column"],
                rej["value"],
                rej["message"],
                rej["reason"],
                strict=True,
            )
        ]

    def summary(self) -> dict[str, Any]:
        """Return a JSON-ready summary.

        Keys: file, rows_read, accepted, rejected (distinct rows), reasons (reason -> number of
        problems), rejected_rows_by_reason (reason -> distinct rows), date_min, date_max
        (ISO dates of accepted rows, None when none), dates_missing, jurisdictions and
        categories (value -> accepted rows), plus the ``info`` entries.
        """
        acc = self.accepted
        dates = acc["date"].dropna()
        reasons = self.rejected["reason"].value_counts()
        by_rows = self.rejected.groupby("reason")["source_row"].nunique()
        return {
            "file": self.file,
            "rows_read": int(self.rows_read),
            "accepted": len(acc),
            "rejected": self.rows_rejected,
            "reasons": {str(k): int(v) for k, v in reasons.items()},
            "rejected_rows_by_reason": {str(k): int(v) for k, v in by_rows.items()},
            "date_min": dates.min().date().isoformat() if len(dates) else None,
            "date_max": dates.max().date().isoformat() if len(dates) else None,
            "dates_missing": int(acc["date"].isna().sum()),
            "jurisdictions": {
                str(k): int(v)
                for k, v in acc["jurisdiction"].value_counts(dropna=False).items()
                if not pd.isna(k)
            },
            "categories": {str(k): int(v) for k, v in acc["category"].value_counts().items()},
            **{k: v for k, v in self.info.items() if k != "file"},
        }


def _places_of(places: PlacesLike, cm: ColumnMapping, gazetteer: Any) -> PlacesTable | None:
    """The places table given, else the mapping's ``[places]``, else None."""
    if isinstance(places, PlacesTable):
        return places
    if places is not None:
        return read_places(places, gazetteer=gazetteer)
    if cm.places is not None:
        spec = dict(cm.places)
        return read_places(spec.pop("file"), gazetteer=gazetteer, **spec)
    return None


def _finish(
    table: RawTable,
    mapping: MappingLike,
    *,
    places: PlacesLike = None,
    strict: bool,
    vocabularies: Mapping[str, Any] | None,
    gazetteer: Gazetteer | None,
    progress: bool,
) -> gpd.GeoDataFrame | IncidentReadResult:
    cm = select_layout(load_mapping(mapping), [str(c) for c in table.frame.columns], table.file)
    own = _places_of(places, cm, gazetteer)
    out = build_incidents(
        table,
        cm,
        vocabularies=vocabularies,
        gazetteer=own if own is not None else gazetteer,
        progress=progress,
    )
    info = dict(out.info)
    if own is not None:
        info["places"] = own.summary()
    result = IncidentReadResult(
        out.accepted, out.rejected, out.rows_read, table.file, info, places=own
    )
    assert result.rows_read == len(result.accepted) + result.rows_rejected
    if strict:
        if len(result.rejected):
            raise ValidationError(result.problems())
        return result.accepted
    return result


@overload
def read_incidents(
    path: str | Path,
    *,
    mapping: MappingLike = ...,
    places: PlacesLike = ...,
    strict: Literal[True] = ...,
    sheet: str | int | None = ...,
    layer: str | None = ...,
    vocabularies: Mapping[str, Any] | None = ...,
    gazetteer: Gazetteer | None = ...,
    progress: bool = ...,
) -> gpd.GeoDataFrame: ...


@overload
def read_incidents(
    path: str | Path,
    *,
    mapping: MappingLike = ...,
    places: PlacesLike = ...,
    strict: Literal[False],
    sheet: str | int | None = ...,
    layer: str | None = ...,
    vocabularies: Mapping[str, Any] | None = ...,
    gazetteer: Gazetteer | None = ...,
    progress: bool = ...,
) -> IncidentReadResult: ...


def read_incidents(
    path: str | Path,
    *,
    mapping: MappingLike = None,
    places: PlacesLike = None,
    strict: bool = True,
    sheet: str | int | None = None,
    layer: str | None = None,
    vocabularies: Mapping[str, Any] | None = None,
    gazetteer: Gazetteer | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame | IncidentReadResult:
    """Read an incident file into the canonical schema, validating every row.

    Parameters
    ----------
    path
        A ``.csv``/``.txt``/``.tsv``, ``.xlsx``, ``.geojson``/``.json``, ``.gpkg`` or
        ``.parquet`` file.
    mapping
        Column mapping: a TOML file, a bundled mapping name (see :func:`bundled_mappings`),
        a dict, or None when the file already uses the canonical column names.
    places
        The user's own places (:func:`routes.read_places`: a file or a
        :class:`routes.PlacesTable`): codes and names of ``place`` are resolved through it
        before the gazetteer. Default: the mapping's ``[places]`` table, if any.
    strict
        True: return the accepted GeoDataFrame, or raise one :class:`routes.ValidationError`
        listing every problem when any row is rejected. False: return an
        :class:`IncidentReadResult`.
    sheet
        XLSX sheet name or 0-based index (default: the mapping's ``sheet``, else the first).
    layer
        GeoPackage layer (default: the mapping's ``layer``; required when there are several).
    vocabularies
        Extra vocabulary values, column -> list (or value -> synonyms), e.g.
        ``{"category": ["flare_gun"]}``.
    gazetteer
        The :class:`routes.Gazetteer` for rows with only a place name (default: the bundled
        one, loaded only when needed).
    progress
        Show progress bars on stderr for large files.

    Returns
    -------
    geopandas.GeoDataFrame or IncidentReadResult

    Raises
    ------
    routes.ValidationError
        Strict mode: when any row is rejected. Both modes: when the file cannot be read at all
        (missing, unknown type, undecodable, a mapped column absent, a bad mapping); these
        problems have no row number.
    """
    cm = load_mapping(mapping)
    table = read_table(
        path,
        sheet=sheet if sheet is not None else cm.sheet,
        layer=layer if layer is not None else cm.layer,
        encoding=cm.encoding,
        delimiter=cm.delimiter,
        skip_rows=cm.skip_rows,
        progress=progress,
    )
    return _finish(
        table,
        cm,
        places=places,
        strict=strict,
        vocabularies=vocabularies,
        gazetteer=gazetteer,
        progress=progress,
    )


def incidents_from_frame(
    df: pd.DataFrame,
    *,
    mapping: MappingLike = None,
    places: PlacesLike = None,
    strict: bool = True,
    source_name: str = "<frame>",
    vocabularies: Mapping[str, Any] | None = None,
    gazetteer: Gazetteer | None = None,
    progress: bool = False,
) -> gpd.GeoDataFrame | IncidentReadResult:
    """Validate an in-memory table like :func:`read_incidents` (same options and results).

    A GeoDataFrame's geometry is used as the location (reprojected to EPSG:4326 when it has a
    CRS). Row numbers count the frame's rows from 1. The input is not modified.
    """
    import geopandas as gpd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(
            f"incidents_from_frame needs a pandas DataFrame, instead got {df!r} of type "
            f"{type(df).__name__}; use read_incidents for files"
        )
    geometry = None
    source_crs = None
    frame = df
    if isinstance(df, gpd.GeoDataFrame) and df._geometry_column_name in df.columns:
        geom = df.geometry
        source_crs = geom.crs.to_string() if geom.crs is not None else None
        if geom.crs is not None and geom.crs.to_epsg() != 4326:
            geom = to_crs(geom, 4326)
        geometry = geom.reset_index(drop=True)
        frame = pd.DataFrame(df.drop(columns=[df._geometry_column_name]))
    table = RawTable(
        frame.reset_index(drop=True),
        source_name,
        "frame",
        geometry=geometry,
        source_crs=source_crs,
    )
    return _finish(
        table,
        mapping,
        places=places,
        strict=strict,
        vocabularies=vocabularies,
        gazetteer=gazetteer,
        progress=progress,
    )


def write_rejects(result: IncidentReadResult, path: str | Path) -> Path:
    """Write ``result.rejected`` as a UTF-8 CSV, atomically (temp file, then rename).

    Returns the path written. The folder must exist.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise ValidationError(
            [
                Problem(
                    f"folder {str(path.parent)!r} does not exist; create it or choose another "
                    "path for the rejects file",
                    file=str(path),
                    reason="unwritable",
                )
            ]
        )
    from routes._io import atomic_path

    with atomic_path(path) as tmp:
        result.rejected.to_csv(tmp, index=False, encoding="utf-8")
    return path
