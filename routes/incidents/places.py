"""The user's own places: a table of place codes and names with their coordinates.

Some incident files do not name their places but give a code (``pcode``) that a separate
gazetteer file of the same source resolves (``pcode,sortname,serbname,latitude,longitude``).
:func:`read_places` reads such a table (CSV, XLSX...; the columns found by their names or given)
into a :class:`PlacesTable`. Handed to :func:`routes.read_incidents` (``places=``), to
``salw-routes ... --places FILE`` or named in a mapping's ``[places]`` table, it resolves the
records' ``place``, ``origin``, ``transit`` and ``destination`` **before** the bundled
gazetteer: first by code (exact, case and surrounding spaces ignored), then by any of the
name columns (matched like the gazetteer: case, diacritics, Cyrillic/Latin ignored); what it
does not know goes on to the bundled gazetteer.

Rows whose coordinates are missing, not numbers, out of range or ``(0, 0)`` (a placeholder,
which would put the place in the Gulf of Guinea) are refused with a reason, the row and the fix
(:attr:`PlacesTable.rejected`); a record naming a refused place is rejected with that reason,
never placed. A place outside the region is kept, and a record placed there is rejected as
``outside_region``.

>>> import pandas as pd
>>> t = places_from_frame(pd.DataFrame({"pcode": ["K001", "K002"], "name": ["Prizren", "X"],
...                                     "lat": ["42.2139", "0"], "lon": ["20.7397", "0"]}))
>>> t.lookup("k001").name, len(t), t.rejected["reason"].tolist()
('Prizren [K001]', 1, ['invalid_coordinates'])
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from routes._errors import Problem, ValidationError
from routes._table import read_table
from routes.geo import (
    AmbiguousPlaceError,
    Place,
    PlaceNotFoundError,
    in_region,
    jurisdiction_at,
    normalize_name,
)
from routes.incidents._parsers import to_float
from routes.incidents._text import clean, norm_header

__all__ = ["PLACES_REJECTION_REASONS", "PlacesTable", "places_from_frame", "read_places"]

#: Why a row of a places table is refused.
PLACES_REJECTION_REASONS: dict[str, str] = {
    "missing_code": "the code column is empty",
    "duplicate_code": "the code repeats an earlier row with other coordinates",
    "missing_coordinates": "latitude or longitude is empty",
    "invalid_coordinates": "coordinates not numbers, out of range, or (0, 0)",
}

_CODE_NAMES = ("pcode", "code", "place_code", "placecode", "place_id", "id", "sifra", "šifra")
_NAME_HINTS = ("name", "naziv", "ime", "emri", "place", "settlement", "village", "mjesto")
_LAT_NAMES = ("latitude", "lat", "y", "širina", "gjerësia")
_LON_NAMES = ("longitude", "lon", "lng", "long", "x", "dužina", "gjatësia")
_RESOLVE_COLUMNS = ["latitude", "longitude", "jurisdiction", "matched_name", "status", "message"]


def _code_key(value: object) -> str:
    return " ".join(str(value).casefold().split())


class PlacesTable:
    """A user's places (code, names, point), used before a fallback gazetteer.

    It answers like :class:`routes.Gazetteer` (:meth:`lookup`, :meth:`resolve`, ``places``),
    so it can be passed wherever a gazetteer is taken (``gazetteer=`` of
    :func:`routes.read_incidents` and :func:`routes.route_incidents`).

    Attributes
    ----------
    table
        The accepted places: source_row, code, the name columns, latitude, longitude,
        jurisdiction (from the point; missing outside the region's countries), in_region.
    rejected
        The refused rows: source_row, code, reason, column, value, message.
    rows_read
        Data rows read; ``len(table) + len(rejected["source_row"].unique())``.
    file
        The file read (or the name given to :func:`places_from_frame`).
    code_column, name_columns
        The columns used as code and as names.
    """

    def __init__(
        self,
        table: pd.DataFrame,
        rejected: pd.DataFrame,
        *,
        rows_read: int,
        file: str,
        code_column: str | None,
        name_columns: tuple[str, ...],
        fallback: Any = None,
    ) -> None:
        self.table = table
        self.rejected = rejected
        self.rows_read = rows_read
        self.file = file
        self.code_column = code_column
        self.name_columns = name_columns
        self._fallback = fallback
        self._by_code: dict[str, int] = {}
        self._by_name: dict[str, list[int]] = {}
        for i, code in enumerate(table["code"].tolist()):
            if isinstance(code, str):
                self._by_code.setdefault(_code_key(code), i)
        for col in name_columns:
            for i, name in enumerate(table[col].tolist()):
                if isinstance(name, str) and normalize_name(name):
                    rows = self._by_name.setdefault(normalize_name(name), [])
                    if i not in rows:
                        rows.append(i)
        self._refused: dict[str, str] = {}
        for row in rejected.itertuples(index=False):
            why = f"row {row.source_row} of the places file {self.file}: {row.message}"
            for key in _keys_of(row.code, getattr(row, "names", ())):
                self._refused.setdefault(key, why)

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return (
            f"<PlacesTable {self.file!r}: {len(self.table):,} places, "
            f"{self.rejected['source_row'].nunique():,} rows refused>"
        )

    @property
    def fallback(self) -> Any:
        """The gazetteer asked when this table does not know a name (the bundled one)."""
        if self._fallback is None:
            from routes.geo import load_gazetteer

            self._fallback = load_gazetteer()
        return self._fallback

    @property
    def places(self) -> pd.DataFrame:
        """The user's places, then the fallback's (latitude and longitude columns)."""
        own = self.table.assign(name=self._display_names())[["name", "latitude", "longitude"]]
        other = getattr(self.fallback, "places", None)
        if isinstance(other, pd.DataFrame):
            return pd.concat([own, other], ignore_index=True)
        return own

    def summary(self) -> dict[str, Any]:
        """File, rows read, places accepted, rows refused by reason."""
        by_reason = self.rejected.groupby("reason")["source_row"].nunique()
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "places": len(self.table),
            "refused": int(self.rejected["source_row"].nunique()),
            "refused_by_reason": {str(k): int(v) for k, v in by_reason.items()},
            "code_column": self.code_column,
            "name_columns": list(self.name_columns),
        }

    def problems(self) -> list[Problem]:
        """Every refused row as a :class:`routes.Problem`."""
        out = []
        for r in self.rejected.to_dict("records"):
            column, value = r["column"], r["value"]
            out.append(
                Problem(
                    str(r["message"]),
                    file=self.file,
                    row=int(r["source_row"]),
                    column=None if column is None else str(column),
                    value=value,
                    reason=str(r["reason"]),
                )
            )
        return out

    def _display_names(self) -> list[str]:
        out = []
        for i in range(len(self.table)):
            names = [self.table[c].iloc[i] for c in self.name_columns]
            first = next((n for n in names if isinstance(n, str) and n), None)
            out.append(first or str(self.table["code"].iloc[i]))
        return out

    def _place(self, i: int) -> Place:
        row = self.table.iloc[i]
        names = [row[c] for c in self.name_columns if isinstance(row[c], str) and row[c]]
        name = names[0] if names else str(row["code"])
        label = name if pd.isna(row["code"]) or row["code"] == name else f"{name} [{row['code']}]"
        return Place(
            name=label,
            ascii_name=name,
            jurisdiction="" if pd.isna(row["jurisdiction"]) else str(row["jurisdiction"]),
            latitude=float(row["latitude"]),
            longitude=float(row["longitude"]),
            population=0,
            geonameid=-(int(row["source_row"])),
            feature_code="USER",
        )

    def own(self, name: str) -> Place | None:
        """The place of this table a code or name stands for; None when it has none.

        Raises
        ------
        routes.PlaceNotFoundError
            The code or name is that of a refused row (the message says why).
        routes.AmbiguousPlaceError
            The name (not a code) fits several places of the table at different points.
        """
        i = self._by_code.get(_code_key(name))
        if i is not None:
            return self._place(i)
        rows = self._by_name.get(normalize_name(name), [])
        points = {(self.table["latitude"].iloc[i], self.table["longitude"].iloc[i]) for i in rows}
        if len(points) == 1:
            return self._place(rows[0])
        if len(points) > 1:
            cands = [self._place(i) for i in rows]
            listed = "; ".join(p.describe() for p in cands[:10])
            raise AmbiguousPlaceError(
                f"place {name!r} fits {len(cands)} places of the places file {self.file}: "
                f"{listed}; use their codes in the incident file",
                name=name,
                jurisdiction=None,
                candidates=cands,
            )
        refused = self._refused.get(_code_key(name)) or self._refused.get(normalize_name(name))
        if refused is not None:
            raise PlaceNotFoundError(
                f"place {name!r} is in the places file but was refused ({refused}); correct "
                "that row of the places file",
                name=name,
                jurisdiction=None,
            )
        return None

    def lookup(self, name: str, *, jurisdiction: str | None = None) -> Place:
        """Return the place of a code or name: this table first, then the fallback gazetteer."""
        place = self.own(name)
        if place is not None:
            return place
        return self.fallback.lookup(name, jurisdiction=jurisdiction)

    def resolve(self, names: pd.Series, *, jurisdictions: pd.Series | None = None) -> pd.DataFrame:
        """Look up many names (see :meth:`routes.Gazetteer.resolve`); this table first.

        A place of this table outside the region gets status ``"outside_region"``.
        """
        if not isinstance(names, pd.Series):
            names = pd.Series(names)
        codes, uniques = pd.factorize(names, use_na_sentinel=True)
        k = len(uniques)
        lat = np.full(k + 1, np.nan)
        lon = np.full(k + 1, np.nan)
        jur = np.full(k + 1, None, dtype=object)
        matched = np.full(k + 1, None, dtype=object)
        status = np.full(k + 1, "not_found", dtype=object)
        message = np.full(k + 1, None, dtype=object)
        mine = np.zeros(k + 1, dtype=bool)  # answered by this table (rest: the fallback)
        for u, value in enumerate(uniques.tolist()):
            try:
                place = self.own(str(value))
            except (PlaceNotFoundError, AmbiguousPlaceError) as err:
                mine[u] = True
                status[u] = "ambiguous" if isinstance(err, AmbiguousPlaceError) else "not_found"
                message[u] = str(err)
                continue
            if place is None:
                continue
            mine[u] = True
            lat[u], lon[u] = place.latitude, place.longitude
            jur[u], matched[u] = place.jurisdiction or None, place.name
            status[u] = "ok"
        placed = np.flatnonzero(mine & ~np.isnan(lat))
        outside = placed[~in_region(lon[placed], lat[placed])] if placed.size else placed
        for w in outside.tolist():
            status[w] = "outside_region"
            message[w] = (
                f"place {uniques[w]!r} of the places file {self.file} lies at latitude "
                f"{lat[w]:g}, longitude {lon[w]:g}, outside the region; check its coordinates "
                "in the places file"
            )
        out = pd.DataFrame(
            {
                "latitude": lat[codes],
                "longitude": lon[codes],
                "jurisdiction": jur[codes],
                "matched_name": matched[codes],
                "status": status[codes],
                "message": message[codes],
            },
            index=names.index,
        )
        rest = ~mine[codes]
        if rest.any():
            sub_j = None if jurisdictions is None else jurisdictions[rest]
            other = self.fallback.resolve(names[rest], jurisdictions=sub_j)
            lost = (other["status"] == "not_found").to_numpy()
            other.loc[lost, "message"] = [
                f"{name!r} is no code or name of the places file {self.file}, and: {msg}"
                for name, msg in zip(names[rest][lost], other["message"][lost], strict=True)
            ]
            out.loc[rest, _RESOLVE_COLUMNS] = other[_RESOLVE_COLUMNS].to_numpy()
        out["latitude"] = out["latitude"].astype(float)
        out["longitude"] = out["longitude"].astype(float)
        return out[_RESOLVE_COLUMNS]


def _keys_of(code: object, names: Sequence[object]) -> list[str]:
    keys = [] if code is None or code is pd.NA else [_code_key(code)]
    keys += [normalize_name(str(n)) for n in names if isinstance(n, str) and normalize_name(n)]
    return keys


def _pick(
    headers: list[str], given: str | None, aliases: tuple[str, ...], what: str, file: str
) -> str | None:
    by_norm = {norm_header(h): h for h in headers}
    if given is not None:
        if given in headers:
            return given
        if norm_header(given) in by_norm:
            return by_norm[norm_header(given)]
        close = difflib.get_close_matches(given, headers, n=1, cutoff=0.6)
        hint = f" (closest: {close[0]!r})" if close else ""
        raise ValidationError(
            [
                Problem(
                    f"the places file has no {what} column {given!r}{hint}; its columns: "
                    f"{', '.join(repr(h) for h in headers)}",
                    file=file,
                    column=given,
                    reason="missing_column",
                )
            ]
        )
    return next((by_norm[a] for a in aliases if a in by_norm), None)


def _name_columns(
    headers: list[str], given: str | Sequence[str] | None, used: set[str], file: str
) -> tuple[str, ...]:
    if given is not None:
        wanted = [given] if isinstance(given, str) else list(given)
        return tuple(str(_pick(headers, g, (), "name", file)) for g in wanted)
    return tuple(
        h for h in headers if h not in used and any(hint in norm_header(h) for hint in _NAME_HINTS)
    )


def places_from_frame(
    frame: pd.DataFrame,
    *,
    code: str | None = None,
    name: str | Sequence[str] | None = None,
    latitude: str | None = None,
    longitude: str | None = None,
    file: str = "<places>",
    gazetteer: Any = None,
) -> PlacesTable:
    """Check a places table already in memory; see :func:`read_places`."""
    headers = [str(c) for c in frame.columns]
    frame = frame.set_axis(headers, axis=1).reset_index(drop=True)
    code_col = _pick(headers, code, _CODE_NAMES, "code", file)
    lat_col = _pick(headers, latitude, _LAT_NAMES, "latitude", file)
    lon_col = _pick(headers, longitude, _LON_NAMES, "longitude", file)
    used = {c for c in (code_col, lat_col, lon_col) if c is not None}
    names = _name_columns(headers, name, used, file)
    missing = [w for w, c in (("latitude", lat_col), ("longitude", lon_col)) if c is None]
    if missing or (code_col is None and not names):
        what = missing + ([] if code_col is not None or names else ["code or name"])
        raise ValidationError(
            [
                Problem(
                    f"the places file has no {' and no '.join(what)} column; its columns: "
                    f"{', '.join(repr(h) for h in headers)}; name them with code=, name=, "
                    "latitude=, longitude= (CLI: a [places] table in the mapping)",
                    file=file,
                    reason="missing_column",
                )
            ]
        )
    assert lat_col is not None
    assert lon_col is not None
    text = {c: clean(frame[c].astype("string"), ("", "NA", "N/A", "NULL", "-")) for c in headers}
    n = len(frame)
    codes = text[code_col] if code_col else pd.Series(pd.NA, index=frame.index, dtype="string")
    lat, lat_bad = to_float(text[lat_col])
    lon, lon_bad = to_float(text[lon_col])
    reason = np.full(n, None, dtype=object)
    column = np.full(n, None, dtype=object)
    message = np.full(n, None, dtype=object)
    value = np.full(n, None, dtype=object)

    def refuse(mask: np.ndarray, why: str, col: str, what: Any, fix: Any) -> None:
        for p in np.flatnonzero(mask & pd.isna(reason)):
            reason[p], column[p], value[p] = why, col, what(p)
            message[p] = fix(p)

    pair = [f"{text[lat_col].iloc[p]}, {text[lon_col].iloc[p]}" for p in range(n)]
    if code_col:
        refuse(
            codes.isna().to_numpy(),
            "missing_code",
            code_col,
            lambda p: None,
            lambda p: f"the {code_col!r} cell is empty; give the place's code or delete the row",
        )
    empty = text[lat_col].isna().to_numpy() | text[lon_col].isna().to_numpy()
    refuse(
        empty,
        "missing_coordinates",
        f"{lat_col}/{lon_col}",
        lambda p: pair[p],
        lambda p: (
            "latitude or longitude is empty; give both in decimal degrees (e.g. 42.6629, "
            "21.1655) or delete the row"
        ),
    )
    with np.errstate(invalid="ignore"):
        out_of_range = (np.abs(lat) > 90) | (np.abs(lon) > 180)
        zero = (lat == 0) & (lon == 0)
    refuse(
        lat_bad | lon_bad | out_of_range,
        "invalid_coordinates",
        f"{lat_col}/{lon_col}",
        lambda p: pair[p],
        lambda p: (
            f"coordinates {pair[p]!r} are not a latitude (-90..90) and a longitude "
            "(-180..180) in decimal degrees; correct them (latitude first)"
        ),
    )
    refuse(
        zero,
        "invalid_coordinates",
        f"{lat_col}/{lon_col}",
        lambda p: pair[p],
        lambda p: (
            "coordinates (0, 0) are a placeholder, not a location (it lies in the Gulf of "
            "Guinea); give the place's real coordinates or delete the row"
        ),
    )
    if code_col:
        first: dict[str, int] = {}
        for p in range(n):
            if reason[p] is not None or pd.isna(codes.iloc[p]):
                continue
            key = _code_key(codes.iloc[p])
            q = first.setdefault(key, p)
            if q != p and (lat[q], lon[q]) != (lat[p], lon[p]):
                reason[p], column[p], value[p] = "duplicate_code", code_col, codes.iloc[p]
                message[p] = (
                    f"code {codes.iloc[p]!r} is also row {q + 1} with other coordinates; keep "
                    "one row per code"
                )
    ok = pd.isna(reason)
    kpos = np.flatnonzero(ok)
    table = pd.DataFrame(
        {
            "source_row": kpos + 1,
            "code": codes.iloc[kpos].astype(object).where(codes.iloc[kpos].notna(), None).values,
            **{c: text[c].iloc[kpos].astype(object).values for c in names},
            "latitude": lat[kpos],
            "longitude": lon[kpos],
        }
    )
    table["jurisdiction"] = jurisdiction_at(lon[kpos], lat[kpos]) if len(kpos) else []
    bad = np.flatnonzero(~ok)
    rejected = pd.DataFrame(
        {
            "source_row": bad + 1,
            "code": codes.iloc[bad].astype(object).values,
            "reason": reason[bad],
            "column": column[bad],
            "value": value[bad],
            "message": message[bad],
            "names": [
                tuple(text[c].iloc[p] for c in names if not pd.isna(text[c].iloc[p])) for p in bad
            ],
        }
    )
    return PlacesTable(
        table,
        rejected,
        rows_read=n,
        file=file,
        code_column=code_col,
        name_columns=names,
        fallback=gazetteer,
    )


def read_places(
    path: str | Path,
    *,
    code: str | None = None,
    name: str | Sequence[str] | None = None,
    latitude: str | None = None,
    longitude: str | None = None,
    sheet: str | int | None = None,
    gazetteer: Any = None,
) -> PlacesTable:
    """Read the user's own places table (CSV, XLSX, ...), checking every row.

    Parameters
    ----------
    path
        The table (CSV/TSV/TXT, XLSX or ODS, read by the one table reader: encoding,
        delimiter, line ends and title rows detected): one row per place.
    code
        The column of place codes (default: a column named ``pcode``, ``code``, ``place_code``,
        ``place_id``, ``id`` or ``šifra``; none: places are found by name only).
    name
        The name column, or several (default: every other column whose header holds ``name``,
        ``naziv``, ``place``..., e.g. ``sortname`` and ``serbname``).
    latitude, longitude
        The coordinate columns, decimal degrees (default: ``latitude``/``lat``/``y`` and
        ``longitude``/``lon``/``lng``/``x``).
    sheet
        XLSX sheet.
    gazetteer
        The gazetteer asked for what the table does not know (default: the bundled one).

    Returns
    -------
    PlacesTable
        Its ``rejected`` lists the refused rows (missing, unreadable, out-of-range or (0, 0)
        coordinates, empty or repeated codes) with the row, the value and the fix.

    Raises
    ------
    routes.ValidationError
        The file cannot be read, a named column is absent, no latitude/longitude or neither a
        code nor a name column is found, or no row is usable.
    """
    raw = read_table(path, sheet=sheet)
    table = places_from_frame(
        raw.frame,
        code=code,
        name=name,
        latitude=latitude,
        longitude=longitude,
        file=raw.file,
        gazetteer=gazetteer,
    )
    if not len(table):
        problems = table.problems() or [
            Problem("the places file has no rows below its header", file=raw.file)
        ]
        problems.append(
            Problem(
                f"no place of {raw.file} is usable ({table.rows_read:,} rows read); correct the "
                "rows listed above",
                file=raw.file,
                reason="no_places",
            )
        )
        raise ValidationError(problems)
    return table
