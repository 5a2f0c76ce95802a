"""The validation engine: a raw table + a column mapping -> canonical incidents and rejections.

Every step is vectorised with pandas/numpy/shapely 2: values with few distinct forms (dates,
vocabularies, quantities, place names) are parsed once per distinct value; coordinates and
region tests run on whole arrays. Every problem of every row is collected (a row may have
several); a row with at least one problem is rejected, all other rows are accepted.
"""

from __future__ import annotations

import calendar
import datetime as dt
import difflib
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from routes._constants import ALL_JURISDICTIONS, JURISDICTION_NAMES, NEIGHBOURS, WESTERN_BALKANS
from routes._errors import Problem, ValidationError
from routes._pdcompat import STR
from routes.incidents._mapping import ColumnMapping
from routes.incidents._readers import RawTable, geometry_xy
from routes.schema import CANONICAL_COLUMNS, SCHEMA, VOCABULARIES, Vocabulary, vocabularies

__all__ = ["EngineOutput", "build_incidents"]

_SPECS = {s.name: s for s in SCHEMA}
_TEXT_FIELDS = ("place", "source", "notes")
_WAYPOINT_FIELDS = ("origin", "destination", "crossing")
_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
_AUTO_ALIASES: dict[str, tuple[str, ...]] = {
    # English, BCS (širina/dužina) and Albanian (gjerësia/gjatësia) headers.
    "latitude": ("lat", "latitude", "širina", "geografska_širina", "gjerësia"),
    "longitude": ("lon", "lng", "long", "longitude", "dužina", "geografska_dužina", "gjatësia"),
    # x/y: degrees, or projected metres with the mapping's crs (naive metres are refused).
    "x": ("x", "easting"),
    "y": ("y", "northing"),
    "coordinates": ("coordinates", "coords"),
    "wkt": ("wkt", "geometry", "geom", "geometry_wkt"),
}
_CRS_FIX = (
    'declare the CRS in the mapping, e.g. crs = "EPSG:3035" (ETRS89 / LAEA Europe), '
    '"EPSG:6316" (MGI 1901 / Balkans zone 7, Gauss-Krüger; zone 6 is "EPSG:3908"), '
    '"EPSG:6870" (Albania TM 2010) or "EPSG:32634" (UTM zone 34N)'
)
_REGION_TEXT = (
    f"the region covers {', '.join(WESTERN_BALKANS)} and the neighbours {', '.join(NEIGHBOURS)}"
)


@dataclass
class EngineOutput:
    """What the engine hands back to :mod:`routes.incidents`."""

    accepted: Any  # GeoDataFrame
    rejected: pd.DataFrame
    rows_read: int
    info: dict[str, Any] = field(default_factory=dict)


class _Problems:
    """Collects problems as small column-wise batches (positions are 0-based row indexes)."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        pos: np.ndarray,
        reason: str,
        column: str | None,
        values: Iterable[Any] | Any,
        messages: Iterable[str] | str,
    ) -> None:
        pos = np.asarray(pos, dtype=np.int64)
        if pos.size == 0:
            return
        n = pos.size
        vals = list(values) if not isinstance(values, str) and _iterable(values) else [values] * n
        msgs = [messages] * n if isinstance(messages, str) else list(messages)
        self.parts.append(
            pd.DataFrame(
                {
                    "pos": pos,
                    "reason": reason,
                    "column": column,
                    "value": pd.Series(vals, dtype=object).to_numpy(),
                    "message": np.asarray(msgs, dtype=object),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "pos": np.array([], dtype=np.int64),
                    "reason": pd.Series([], dtype=object),
                    "column": pd.Series([], dtype=object),
                    "value": pd.Series([], dtype=object),
                    "message": pd.Series([], dtype=object),
                }
            )
        out = pd.concat(self.parts, ignore_index=True)
        out["_order"] = np.arange(len(out))
        return out.sort_values(["pos", "_order"], kind="stable").drop(columns="_order")


def _iterable(x: Any) -> bool:
    return isinstance(x, (list, tuple, np.ndarray, pd.Series, pd.Index))


# ----------------------------------------------------------------------------- text helpers
def _to_text(s: pd.Series) -> pd.Series:
    """Return ``s`` as a pandas ``str`` Series (missing stays missing), whatever its dtype."""
    dtype = s.dtype
    if isinstance(dtype, pd.StringDtype):
        return s if dtype == "str" else s.astype(STR)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return s.dt.strftime("%Y-%m-%d").astype(STR)
    if pd.api.types.is_bool_dtype(dtype):
        return s.map({True: "yes", False: "no"}).astype(STR)
    if pd.api.types.is_float_dtype(dtype):
        return _re_sub(s.astype(STR), r"\.0$", "")
    if pd.api.types.is_integer_dtype(dtype):
        return s.astype(STR)

    def one(v: Any) -> Any:
        if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NaT:
            return None
        if isinstance(v, (pd.Timestamp, dt.datetime)):
            return v.strftime("%Y-%m-%d")
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return s.map(one).astype(STR)


_WS_RE2 = r"[\s\p{Z}]+"  # any whitespace incl. no-break spaces (RE2 syntax)


def _re_sub(t: pd.Series, pattern: str, repl: str) -> pd.Series:
    """Regex replace on a ``str`` Series with Arrow compute (pandas falls back to Python).

    ``pattern`` is RE2 syntax; the whitespace class :data:`_WS_RE2` is translated for the
    Python fallback.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(t.array)
        out = pc.replace_substring_regex(arr, pattern, repl)
        return pd.Series(pd.array(out, dtype=STR), index=t.index)
    except (TypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return t.str.replace(pattern.replace(_WS_RE2, r"\s+"), repl, regex=True)


def _clean(s: pd.Series, na_values: tuple[str, ...], *, collapse: bool = False) -> pd.Series:
    """Strip text, optionally collapse inner whitespace, and turn NA markers into missing."""
    t = _to_text(s).str.strip()
    if collapse:
        t = _re_sub(t, _WS_RE2, " ")
    return t.mask(t.isin(na_values))


def _norm_header(name: str) -> str:
    return re.sub(r"[\s\-_.]+", "_", str(name).strip().lstrip("\ufeff").casefold()).strip("_")


# ----------------------------------------------------------------------------- parsers
_ISO = re.compile(
    r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_DMY = re.compile(
    r"^(?P<d>\d{1,2})\s*[./-]\s*(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})\.?"
    r"(?:,?\s+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?h?)?$"
)
_DMY2 = re.compile(r"^\d{1,2}\s*[./-]\s*\d{1,2}\s*[./-]\s*\d{2}\.?$")
_MY = re.compile(r"^(?P<m>\d{1,2})\s*[./-]\s*(?P<y>\d{4})\.?$")
_YM = re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})$")
_Y = re.compile(r"^(?P<y>\d{4})\.?$")
_SERIAL = re.compile(r"^(?P<s>\d{5})(?:\.0+)?$")
_EXCEL_EPOCH = np.datetime64("1899-12-30")


def _parse_one_date(text: str) -> tuple[int, int, int, str] | tuple[None, str, str, str]:
    """Parse one date text -> (year, month, day, precision) or (None, reason, message, '')."""
    for rx, prec in ((_ISO, "day"), (_DMY, "day")):
        m = rx.match(text)
        if m:
            return int(m["y"]), int(m["m"]), int(m["d"]), prec
    m = _SERIAL.match(text)
    if m:
        day = (_EXCEL_EPOCH + np.timedelta64(int(m["s"]), "D")).astype(dt.date)
        return day.year, day.month, day.day, "day"
    for rx in (_MY, _YM):
        m = rx.match(text)
        if m:
            return int(m["y"]), int(m["m"]), 1, "month"
    m = _Y.match(text)
    if m:
        return int(m["y"]), 1, 1, "year"
    if _DMY2.match(text):
        return (
            None,
            "invalid_date",
            f"date {text!r} has a two-digit year; write the year in full, day first "
            "(dd.mm.yyyy, e.g. 23.05.2023)",
            "",
        )
    return (
        None,
        "invalid_date",
        f"cannot read date {text!r}; write it day first as dd.mm.yyyy (23.05.2023) or "
        "dd/mm/yyyy, as ISO yyyy-mm-dd, as month and year (05.2023) or as a year (2023)",
        "",
    )


def _check_date(text: str, y: int, m: int, d: int, today: dt.date) -> tuple[str, str] | None:
    if y < 1900:
        return "invalid_date", f"date {text!r} has year {y}; check the year (dates from 1900 on)"
    if not 1 <= m <= 12:
        return (
            "impossible_date",
            f"date {text!r} has month {m}, which does not exist; dates are read day first "
            "(dd.mm.yyyy or dd/mm/yyyy) - if this file writes the month first, swap day and month",
        )
    last = calendar.monthrange(y, m)[1]
    if not 1 <= d <= last:
        return (
            "impossible_date",
            f"date {text!r} does not exist: {calendar.month_name[m]} {y} has {last} days; "
            "correct the day (dates are read day first)",
        )
    if dt.date(y, m, d) > today:
        return (
            "future_date",
            f"date {text!r} lies in the future (today is {today.isoformat()}); check the year",
        )
    return None


def _parse_dates(text: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Parse dates once per distinct value.

    Returns datetime64[ns] values, precision (object), reason (object, None when fine) and
    message (object), all aligned with ``text``.
    """
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    today = dt.date.today()
    k = len(uniques)
    dates = np.full(k + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
    prec = np.full(k + 1, None, dtype=object)
    reason = np.full(k + 1, None, dtype=object)
    message = np.full(k + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        parsed = _parse_one_date(str(value))
        if parsed[0] is None:
            reason[i], message[i] = parsed[1], parsed[2]
            continue
        y, m, d, p = parsed
        problem = _check_date(str(value), int(y), int(m), int(d), today)
        if problem:
            reason[i], message[i] = problem
            continue
        dates[i] = np.datetime64(dt.date(int(y), int(m), int(d)), "ns")
        prec[i] = p
    return dates[codes], prec[codes], reason[codes], message[codes]


_QTY_UNITS = re.compile(
    r"\s*(kom(ada)?\.?|pcs\.?|pieces?|items?|cop[eë]\.?|x|kos)\s*$", re.IGNORECASE
)


def _parse_quantity(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return int64 quantities (missing -> 1) and per-row messages (None when fine)."""
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    k = len(uniques)
    qty = np.ones(k + 1, dtype=np.int64)
    msg = np.full(k + 1, None, dtype=object)
    for i, value in enumerate(uniques):
        raw = str(value)
        t = _QTY_UNITS.sub("", raw).replace(" ", "").replace(",", ".")
        try:
            number = float(t)
        except ValueError:
            msg[i] = f"quantity {raw!r} is not a number; write a whole number such as 3"
            continue
        if not np.isfinite(number) or number != int(number):
            msg[i] = f"quantity {raw!r} is not a whole number; count items (e.g. 3)"
        elif number <= 0:
            msg[i] = (
                f"quantity {raw!r} must be at least 1; leave it empty when unknown (empty means 1)"
            )
        else:
            qty[i] = int(number)
    return qty[codes], msg[codes]


def _to_float(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return floats and a mask of values that are present but not numbers."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(len(s), dtype=bool)
    t = s.str.replace(",", ".", regex=False).str.replace("°", "", regex=False)
    num = pd.to_numeric(t, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = s.notna().to_numpy() & np.isnan(num)
    return num, bad


_PAIR = re.compile(
    r"^\s*[(\[]?\s*(?P<a>[-+]?\d+(?:[.,]\d+)?)\s*°?\s*[NSEW]?\s*[,;/\s]\s*"
    r"(?P<b>[-+]?\d+(?:[.,]\d+)?)\s*°?\s*[NSEW]?\s*[)\]]?\s*$",
    re.IGNORECASE,
)


def _parse_pairs(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split "a, b" texts into two float arrays; mask of present but unreadable values."""
    parts = s.str.extract(_PAIR)
    a = pd.to_numeric(parts["a"].str.replace(",", ".", regex=False), errors="coerce")
    b = pd.to_numeric(parts["b"].str.replace(",", ".", regex=False), errors="coerce")
    av = a.to_numpy(dtype=float, na_value=np.nan)
    bv = b.to_numpy(dtype=float, na_value=np.nan)
    bad = s.notna().to_numpy() & (np.isnan(av) | np.isnan(bv))
    return av, bv, bad


# ----------------------------------------------------------------------------- the engine
@dataclass
class _Source:
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


def _resolve_columns(
    table: RawTable, mapping: ColumnMapping
) -> tuple[dict[str, _Source], list[str]]:
    frame = table.frame
    n = len(frame)
    headers = [str(c) for c in frame.columns]
    by_norm: dict[str, str] = {}
    for h in headers:
        by_norm.setdefault(_norm_header(h), h)
    problems: list[Problem] = []
    used: set[str] = set()
    out: dict[str, _Source] = {}

    def find(name: str) -> str | None:
        if name in frame.columns:
            return name
        return by_norm.get(_norm_header(name))

    for key, src in mapping.columns.items():
        col = find(src)
        if col is None:
            close = difflib.get_close_matches(src, headers, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            problems.append(
                Problem(
                    f"the mapping maps {key!r} to column {src!r}, which the file does not have; "
                    f"{hint}columns in the file: {', '.join(repr(h) for h in headers)}; "
                    f"{_missing_column_fix(mapping, key, src)}",
                    file=table.file,
                    column=src,
                    reason="missing_column",
                )
            )
            continue
        out[key] = _Source(frame[col], col)
        used.add(col)
    for key, template in mapping.templates.items():
        fields = re.findall(r"\{([^{}]+)\}", template)
        parts = re.split(r"\{[^{}]+\}", template)
        missing = [f for f in fields if find(f) is None]
        if missing:
            problems.append(
                Problem(
                    f"template for {key!r} uses column(s) {', '.join(repr(m) for m in missing)} "
                    f"that the file does not have; columns: {', '.join(repr(h) for h in headers)}",
                    file=table.file,
                    reason="missing_column",
                )
            )
            continue
        acc = pd.Series(parts[0], index=frame.index, dtype=STR)
        any_value = pd.Series(False, index=frame.index)
        for fld, tail in zip(fields, parts[1:], strict=True):
            col = find(fld)
            assert col is not None
            val = _clean(frame[col], mapping.na_values)
            any_value |= val.notna()
            acc = acc + val.fillna("") + tail
            used.add(col)
        out[key] = _Source(acc.where(any_value), f"template {template!r}")
    for key, value in mapping.constants.items():
        out[key] = _Source(pd.Series(value, index=frame.index, dtype=STR), "constant")
    if problems:
        raise ValidationError(problems)
    # Columns named like canonical columns are used as they are.
    explicit_location = any(
        k in out for k in ("latitude", "longitude", "x", "y", "coordinates", "wkt")
    )
    for name in (*(c for c in CANONICAL_COLUMNS if c not in ("source_row", "geometry")),):
        if name in out or name in ("latitude", "longitude"):
            continue
        col = by_norm.get(_norm_header(name))
        if col is not None and col not in used:
            out[name] = _Source(frame[col], col)
            used.add(col)
    if not explicit_location:
        for key, aliases in _AUTO_ALIASES.items():
            for alias in aliases:
                col = by_norm.get(alias)
                if col is not None and col not in used:
                    if key == "wkt" and table.geometry is not None:
                        break
                    out[key] = _Source(frame[col], col)
                    used.add(col)
                    break
        for a, b in (("latitude", "longitude"), ("x", "y")):
            if (a in out) != (b in out):
                out.pop(a, None)
                out.pop(b, None)
        if "latitude" in out and "x" in out:  # lat/lon named as such win over x/y
            out.pop("x")
            out.pop("y")
    if n and "incident_id" not in out:
        raise ValidationError(
            [
                Problem(
                    "no incident_id column: name a column 'incident_id' or map one in the "
                    'mapping ([columns] incident_id = "..."); columns in the '
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
    ignored = [h for h in headers if h not in used]
    return out, ignored


class _Stages:
    def __init__(self, enabled: bool, total: int) -> None:
        self.bar = None
        if enabled:
            from tqdm.auto import tqdm

            self.bar = tqdm(total=total, desc="validating", unit="step", file=sys.stderr)

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


def _jurisdiction_lookup(
    uniques: Iterable[Any], synonyms: Mapping[str, str]
) -> tuple[list[str | None], list[str | None]]:
    """Map distinct jurisdiction texts to codes; return codes and messages (None when fine)."""
    from routes.geo.gazetteer import country_code

    syn = {str(k).casefold().strip(): v for k, v in synonyms.items()}
    codes: list[str | None] = []
    msgs: list[str | None] = []
    for value in uniques:
        text = str(value)
        target = syn.get(text.casefold().strip(), text)
        code = country_code(target)
        if code is None and target.upper() in ALL_JURISDICTIONS:
            code = target.upper()
        if code is None:
            names = {
                **{c: c for c in ALL_JURISDICTIONS},
                **{v: k for k, v in JURISDICTION_NAMES.items()},
            }
            close = difflib.get_close_matches(text, list(names), n=1, cutoff=0.6)
            hint = f"did you mean {names[close[0]]!r}? " if close else ""
            codes.append(None)
            msgs.append(
                f"unknown jurisdiction {text!r}; {hint}give an ISO 3166-1 alpha-2 code "
                f"({', '.join(ALL_JURISDICTIONS)}; XK for Kosovo*) or a country name, or add "
                f'it under [values.jurisdiction] in the mapping ("{text}" = "RS")'
            )
        elif code not in ALL_JURISDICTIONS:
            codes.append(None)
            msgs.append(f"jurisdiction {text!r} ({code}) is outside the region; {_REGION_TEXT}")
        else:
            codes.append(code)
            msgs.append(None)
    return codes, msgs


def _fmt(v: float) -> str:
    return f"{v:.10g}"


def _objects(series: pd.Series) -> np.ndarray:
    """A Series as an object array with None for missing values."""
    return series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]


def _sub(series: pd.Series, pos: np.ndarray) -> np.ndarray:
    """Values of a Series at positions, as an object array (missing -> None)."""
    return _objects(series.iloc[pos])


def _obj_to_str(values: np.ndarray) -> pd.Series:
    """Object array of few distinct texts -> ``str`` Series, via factorize (fast)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    arr = pd.array([*(str(u) for u in uniques), None], dtype=STR)
    return pd.Series(arr.take(codes), dtype=STR)


def build_incidents(
    table: RawTable,
    mapping: ColumnMapping,
    *,
    vocabularies: Mapping[str, Any] | None = None,
    gazetteer: Any = None,
    progress: bool = False,
) -> EngineOutput:
    """Map and validate a raw table; see :func:`routes.read_incidents`."""
    import geopandas as gpd

    from routes.geo import _region

    frame = table.frame.reset_index(drop=True)
    table = RawTable(**{**table.__dict__, "frame": frame})
    n = len(frame)
    stages = _Stages(progress and n >= 50_000, 10)
    try:
        vocabs = _vocabs(mapping, vocabularies)
        sources, ignored = _resolve_columns(table, mapping)
        for key, default in mapping.defaults.items():
            if key not in sources:
                sources[key] = _Source(pd.Series(default, index=frame.index, dtype=STR), "default")
        na = tuple(mapping.na_values)
        problems = _Problems()
        index = frame.index

        def text_of(key: str, *, collapse: bool = False) -> pd.Series:
            if key not in sources:
                return pd.Series(pd.NA, index=index, dtype=STR)
            t = _clean(sources[key].series, na, collapse=collapse)
            if key in mapping.defaults and sources[key].label != "default":
                t = t.fillna(mapping.defaults[key])
            return t

        def label(key: str) -> str:
            return sources[key].label if key in sources else key

        # --- empty rows ---------------------------------------------------------------
        if frame.shape[1]:
            # cheap pass on lengths first; strip only the few rows of short cells
            cells = [_to_text(frame[col]) for col in frame.columns]
            empty = np.ones(n, dtype=bool)
            for cell in cells:
                empty &= cell.isna().to_numpy() | (cell.str.len() <= 16).to_numpy()
            cand = np.flatnonzero(empty)
            for cell in cells:
                if not cand.size:
                    break
                sub = cell.iloc[cand].str.strip()
                still = (sub.isna() | (sub == "")).to_numpy()
                empty[cand[~still]] = False
                cand = cand[still]
            if table.geometry is not None:
                empty &= table.geometry.isna().to_numpy() | table.geometry.is_empty.to_numpy()
        else:
            empty = np.zeros(n, dtype=bool)
        problems.add(np.flatnonzero(empty), "empty_row", None, None, "the row is empty; delete it")
        live = ~empty
        stages.step("ids")

        # --- incident_id ---------------------------------------------------------------
        ids = text_of("incident_id")
        id_missing = ids.isna().to_numpy() & live
        problems.add(
            np.flatnonzero(id_missing),
            "missing_id",
            label("incident_id"),
            None,
            "incident_id is empty; every row needs a unique identifier",
        )
        codes, _uniq = pd.factorize(ids, use_na_sentinel=True)
        dup = np.zeros(n, dtype=bool)
        first_row = np.zeros(n, dtype=np.int64)
        order = np.flatnonzero(codes >= 0)
        if order.size:
            _, first_idx = np.unique(codes[order], return_index=True)
            first_of_code = order[first_idx]
            first_row[order] = first_of_code[codes[order]]
            dup[order] = first_row[order] != order
        dpos = np.flatnonzero(dup & live)
        idv = _sub(ids, dpos)
        problems.add(
            dpos,
            "duplicate_id",
            label("incident_id"),
            idv,
            [
                f"incident_id {v!r} repeats row {first_row[p] + 1}; ids must be unique"
                for p, v in zip(dpos, idv, strict=True)
            ],
        )
        stages.step("dates")

        # --- dates ---------------------------------------------------------------------
        date_text = text_of("date")
        dates, prec, dreason, dmsg = _parse_dates(date_text)
        bad = np.flatnonzero((dreason != None) & live)  # noqa: E711
        for r in ("invalid_date", "impossible_date", "future_date"):
            sel = bad[dreason[bad] == r]
            problems.add(sel, r, label("date"), _sub(date_text, sel), dmsg[sel])
        stages.step("vocabularies")

        # --- vocabularies ------------------------------------------------------------
        canon: dict[str, pd.Series] = {}
        for col in VOCABULARIES:
            t = text_of(col)
            values, unknown = vocabs[col].map(t)
            canon[col] = values
            upos = np.flatnonzero(unknown.to_numpy() & live)
            if upos.size:
                tv = _sub(t, upos)
                msg_of: dict[str, str] = {}
                for v in pd.unique(tv):
                    hint = vocabs[col].suggest(v)
                    msg_of[v] = (
                        f"unknown {col} {v!r}; "
                        + (f"did you mean {hint!r}? " if hint else "")
                        + f"valid values: {', '.join(vocabs[col].values)} (or add a synonym "
                        f'under [values.{col}] in the mapping: "{v}" = "...")'
                    )
                problems.add(upos, "unknown_vocabulary", label(col), tv, [msg_of[v] for v in tv])
        given_prec = _objects(canon["date_precision"])
        prec_final = prec.copy()
        has_given = (given_prec != None) & (prec != None)  # noqa: E711
        if has_given.any():
            rank = np.vectorize(lambda p: _PRECISION_RANK.get(p, 0) if p else 0, otypes=[int])
            coarser = has_given & (rank(given_prec) > rank(prec))
            prec_final[coarser] = given_prec[coarser]
        stages.step("jurisdictions")

        # --- jurisdiction ------------------------------------------------------------
        jur_text = text_of("jurisdiction")
        jcodes, juniq = pd.factorize(jur_text, use_na_sentinel=True)
        jc, jm = _jurisdiction_lookup(list(juniq), mapping.values.get("jurisdiction", {}))
        jur = np.asarray([*jc, None], dtype=object)[jcodes]
        jmsg = np.asarray([*jm, None], dtype=object)[jcodes]
        jbad = np.flatnonzero((jmsg != None) & live)  # noqa: E711
        jtv = _sub(jur_text, jbad)
        outside_j = np.array(["outside the region" in str(m) for m in jmsg[jbad]], dtype=bool)
        problems.add(
            jbad[outside_j],
            "outside_region",
            label("jurisdiction"),
            jtv[outside_j],
            jmsg[jbad[outside_j]],
        )
        problems.add(
            jbad[~outside_j],
            "unknown_vocabulary",
            label("jurisdiction"),
            jtv[~outside_j],
            jmsg[jbad[~outside_j]],
        )
        stages.step("quantities")

        # --- quantity ----------------------------------------------------------------
        qtext = text_of("quantity")
        qty, qmsg = _parse_quantity(qtext)
        qbad = np.flatnonzero((qmsg != None) & live)  # noqa: E711
        problems.add(qbad, "invalid_quantity", label("quantity"), _sub(qtext, qbad), qmsg[qbad])
        stages.step("coordinates")

        # --- coordinates -------------------------------------------------------------
        loc = _Locations(n)
        _read_locations(loc, table, mapping, sources, text_of, label)
        bad_pos = np.flatnonzero(loc.bad & live)
        problems.add(
            bad_pos,
            "invalid_coordinates",
            None,
            loc.raw_values(bad_pos),
            loc.msg[bad_pos],
        )
        if bad_pos.size:
            problems.parts[-1]["column"] = loc.col[bad_pos]
        lat, lon = loc.lat, loc.lon
        stages.step("region")

        # --- region / swapped --------------------------------------------------------
        valid = loc.given & ~loc.bad
        vpos = np.flatnonzero(valid & live)
        inside = np.zeros(n, dtype=bool)
        inside[vpos] = _region.in_region(lon[vpos], lat[vpos])
        outside = np.flatnonzero(valid & live & ~inside)
        swapped_in = (
            _region.in_region(lat[outside], lon[outside]) if outside.size else np.zeros(0, bool)
        )
        sw = outside[swapped_in]
        problems.add(
            sw,
            "swapped_coordinates",
            loc.col[sw],
            loc.raw_values(sw),
            [
                f"latitude {_fmt(lat[p])} and longitude {_fmt(lon[p])} look swapped: as given "
                f"the point is outside the region, swapped (latitude {_fmt(lon[p])}, longitude "
                f"{_fmt(lat[p])}) it is inside; swap the two values (or the two columns in the "
                "mapping)"
                for p in sw
            ],
        )
        far = outside[~swapped_in]
        problems.add(
            far,
            "outside_region",
            loc.col[far],
            loc.raw_values(far),
            [
                f"the point (latitude {_fmt(lat[p])}, longitude {_fmt(lon[p])}) lies outside "
                f"the region; {_REGION_TEXT}; check the coordinates and their signs"
                for p in far
            ],
        )
        stages.step("places")

        # --- place names (gazetteer) -------------------------------------------------
        place = text_of("place", collapse=True)
        loc_prec = canon["location_precision"]
        need = ~loc.given & live
        has_place = place.notna().to_numpy()
        problems.add(
            np.flatnonzero(need & ~has_place),
            "no_location",
            None,
            None,
            "the row has no coordinates and no place name; give latitude/longitude or a place",
        )
        look = np.flatnonzero(need & has_place)
        if look.size:
            if gazetteer is None:
                from routes.geo.gazetteer import load_gazetteer

                gazetteer = load_gazetteer()
            res = gazetteer.resolve(
                place.iloc[look].reset_index(drop=True),
                jurisdictions=pd.Series(jur[look], dtype=object),
            )
            status = res["status"].to_numpy(dtype=object)
            rmsg = res["message"].to_numpy(dtype=object)
            okm = status == "ok"
            okp = look[okm]
            lat[okp] = res["latitude"].to_numpy(dtype=float)[okm]
            lon[okp] = res["longitude"].to_numpy(dtype=float)[okm]
            rj = res["jurisdiction"].to_numpy(dtype=object)[okm]
            jur[okp] = np.where(pd.isna(jur[okp]), rj, jur[okp])
            lp = _objects(loc_prec)
            lp[okp] = np.where(pd.isna(lp[okp]), "settlement", lp[okp])
            loc_prec = _obj_to_str(lp)
            valid[okp] = True
            for status_key, reason in (
                ("not_found", "place_not_found"),
                ("ambiguous", "ambiguous_place"),
            ):
                m = status == status_key
                problems.add(look[m], reason, label("place"), _sub(place, look[m]), rmsg[m])
        stages.step("assemble")

        # --- jurisdiction from the point -------------------------------------------
        derive = np.flatnonzero(valid & live & pd.isna(jur))
        if derive.size:
            jur[derive] = _region.jurisdiction_at(lon[derive], lat[derive])

        # --- assemble ------------------------------------------------------------------
        pf = problems.frame()
        bad_rows = np.unique(pf["pos"].to_numpy(dtype=np.int64))
        keep = np.ones(n, dtype=bool)
        keep[bad_rows] = False
        kpos = np.flatnonzero(keep)

        all_kept = len(kpos) == n

        def pick(series: pd.Series) -> pd.Series:
            # boolean filtering is chunk-wise on Arrow arrays (take would concatenate chunks)
            picked = series if all_kept else series[keep]
            return picked.reset_index(drop=True).astype(STR)

        transit = text_of("transit")
        transit = _re_sub(transit, r"(?:\s*[|;>→]\s*)+", "|")
        transit = _re_sub(transit, _WS_RE2, " ").str.strip("|")
        transit = transit.mask(transit == "")
        data: dict[str, Any] = {
            "source_row": (kpos + 1).astype(np.int64),
            "incident_id": pick(ids),
            "date": dates[kpos],
            "date_precision": _obj_to_str(prec_final[kpos]),
            "jurisdiction": _obj_to_str(jur[kpos]),
            "place": pick(place),
            "latitude": lat[kpos],
            "longitude": lon[kpos],
            "location_precision": pick(loc_prec),
            "event": pick(canon["event"]),
            "category": pick(canon["category"]),
            "quantity": qty[kpos],
            "origin": pick(text_of("origin", collapse=True)),
            "transit": pick(transit),
            "destination": pick(text_of("destination", collapse=True)),
            "crossing": pick(text_of("crossing", collapse=True)),
            "modus_operandi": pick(canon["modus_operandi"]),
            "ocg_involved": pick(canon["ocg_involved"]),
            "migrants_involved": pick(canon["migrants_involved"]),
            "source": pick(text_of("source")),
            "verification": pick(canon["verification"]),
            "notes": pick(text_of("notes")),
        }
        out = pd.DataFrame(data)
        out["date"] = out["date"].astype("datetime64[ns]")
        accepted = gpd.GeoDataFrame(
            out,
            geometry=gpd.points_from_xy(lon[kpos], lat[kpos], crs="EPSG:4326"),
            crs="EPSG:4326",
        )
        accepted = accepted[list(CANONICAL_COLUMNS)]
        rejected = _rejected_frame(pf, frame, table, ids)
        info = {
            "file": table.file,
            "format": table.format,
            "encoding": table.encoding,
            "delimiter": table.delimiter,
            "sheet": table.sheet,
            "layer": table.layer,
            "source_crs": table.source_crs or mapping.crs,
            "mapping": mapping.name or mapping.path,
            "ignored_columns": ignored,
            "region_method": _region.region_method(),
        }
        stages.step("done")
        return EngineOutput(accepted, rejected, n, info)
    finally:
        stages.close()


_WGS84 = ("EPSG:4326", "WGS84", "WGS 84", "OGC:CRS84")


class _Locations:
    """Coordinates read per row, where they came from, and what is wrong with them."""

    def __init__(self, n: int) -> None:
        self.lat = np.full(n, np.nan)
        self.lon = np.full(n, np.nan)
        self.given = np.zeros(n, dtype=bool)  # some coordinate input present
        self.bad = np.zeros(n, dtype=bool)  # present but unusable
        self.msg = np.full(n, None, dtype=object)
        self.col = np.full(n, None, dtype=object)
        self.kind = np.zeros(n, dtype=np.int8)  # index into self.raw_sources (+1)
        self.raw_sources: list[Any] = []

    def take(
        self, present: np.ndarray, lat: np.ndarray, lon: np.ndarray, col: str, raw: Any
    ) -> np.ndarray:
        """Use these values where nothing was given yet; return the rows taken."""
        sel = present & ~self.given
        self.lat[sel], self.lon[sel] = lat[sel], lon[sel]
        self.given[sel] = True
        self.col[sel] = col
        self.raw_sources.append(raw)
        self.kind[sel] = len(self.raw_sources)
        return sel

    def raw_values(self, pos: np.ndarray) -> list[Any]:
        """The coordinate values as written in the file, for some rows."""
        out: list[Any] = []
        for p in pos:
            k = int(self.kind[p])
            out.append(self.raw_sources[k - 1](int(p)) if k else None)
        return out


def _read_locations(
    loc: _Locations,
    table: RawTable,
    mapping: ColumnMapping,
    sources: dict[str, _Source],
    text_of: Any,
    label: Any,
) -> None:
    import shapely

    crs = mapping.crs if mapping.crs and mapping.crs.upper() not in _WGS84 else None
    projected_input = False
    if table.geometry is not None:
        gx, gy, not_point = geometry_xy(table.geometry)
        present = np.isfinite(gx) | not_point
        if table.source_crs is None and crs:
            gx, gy = _transform(gx, gy, crs)
            projected_input = True
        geoms = np.asarray(table.geometry.array, dtype=object)
        loc.take(
            present, gy, gx, "geometry", lambda p: shapely.to_wkt(geoms[p], rounding_precision=7)
        )
        for p in np.flatnonzero(not_point):
            loc.msg[p] = (
                f"geometry is a {geoms[p].geom_type}, not a Point; incidents need point locations"
            )
        loc.bad |= not_point
    pair = ("latitude", "longitude") if "latitude" in sources else ("y", "x")
    if pair[0] in sources and pair[1] in sources:
        yt, xt = text_of(pair[0]), text_of(pair[1])
        yv, ybad = _to_float(yt)
        xv, xbad = _to_float(xt)
        ypres, xpres = yt.notna().to_numpy(), xt.notna().to_numpy()
        if crs:
            xv, yv = _transform(xv, yv, crs)
            projected_input = True

        def raw_pair(p: int, yt: pd.Series = yt, xt: pd.Series = xt) -> str:
            y, x = yt.iloc[p], xt.iloc[p]
            return f"{'' if pd.isna(y) else y}, {'' if pd.isna(x) else x}"

        col = f"{label(pair[0])}/{label(pair[1])}"
        taken = loc.take(ypres | xpres, yv, xv, col, raw_pair)
        unread = taken & (ybad | xbad)
        for p in np.flatnonzero(unread):
            loc.msg[p] = (
                f"coordinates {raw_pair(int(p))!r} are not numbers; write decimal degrees such as "
                "44.8125 (a decimal comma is fine)"
            )
        half = taken & (ypres != xpres) & ~unread
        for p in np.flatnonzero(half):
            which, other = (pair[0], pair[1]) if ypres[p] else (pair[1], pair[0])
            loc.msg[p] = f"{which} is given but {other} is empty; give both or neither"
        loc.bad |= unread | half
    if "coordinates" in sources:
        ct = text_of("coordinates")
        a, b, pbad = _parse_pairs(ct)
        y, x = (a, b) if mapping.coordinate_order == "lat,lon" else (b, a)
        if crs:
            x, y = _transform(x, y, crs)
            projected_input = True
        taken = loc.take(ct.notna().to_numpy(), y, x, label("coordinates"), lambda p: ct.iloc[p])
        for p in np.flatnonzero(taken & pbad):
            loc.msg[p] = (
                f"cannot read coordinates {ct.iloc[p]!r}; write 'latitude, longitude' in decimal "
                "degrees, e.g. '44.8125, 20.4612'"
            )
        loc.bad |= taken & pbad
    if "wkt" in sources:
        wt = text_of("wkt")
        pres = wt.notna().to_numpy()
        stripped = _objects(_re_sub(wt, r"^(?i)SRID=\d+;", ""))
        geoms = shapely.from_wkt(stripped, on_invalid="ignore")
        tid = shapely.get_type_id(geoms)
        ok = (tid == 0) & ~shapely.is_empty(geoms)
        x = np.where(ok, shapely.get_x(np.where(ok, geoms, None)), np.nan)
        y = np.where(ok, shapely.get_y(np.where(ok, geoms, None)), np.nan)
        if crs:
            x, y = _transform(x, y, crs)
            projected_input = True
        taken = loc.take(pres, y, x, label("wkt"), lambda p: wt.iloc[p])
        for p in np.flatnonzero(taken & ~ok):
            what = "not valid WKT" if tid[p] < 0 else f"a {geoms[p].geom_type}, not a POINT"
            loc.msg[p] = f"geometry {wt.iloc[p]!r} is {what}; write POINT (longitude latitude)"
        loc.bad |= taken & ~ok

    # Range checks on what was read.
    lat, lon = loc.lat, loc.lon
    usable = loc.given & ~loc.bad
    finite = np.isfinite(lat) & np.isfinite(lon)
    nonfinite = usable & ~finite
    for p in np.flatnonzero(nonfinite):
        loc.msg[p] = (
            f"coordinates {loc.raw_values(np.array([p]))[0]!r} cannot be converted to "
            f"longitude/latitude with crs {mapping.crs!r}; check the crs in the mapping"
        )
    with np.errstate(invalid="ignore"):
        out_lat = usable & finite & (np.abs(lat) > 90)
        out_lon = usable & finite & (np.abs(lon) > 180)
        zero = usable & finite & (lat == 0) & (lon == 0)
    out_any = out_lat | out_lon
    for p in np.flatnonzero(out_any):
        if not projected_input and max(abs(lat[p]), abs(lon[p])) > 1000:
            loc.msg[p] = (
                f"latitude {_fmt(lat[p])} and longitude {_fmt(lon[p])} look like projected "
                f"metres, not degrees; {_CRS_FIX}"
            )
        else:
            parts = []
            if out_lat[p]:
                parts.append(f"latitude {_fmt(lat[p])} is outside -90..90")
            if out_lon[p]:
                parts.append(f"longitude {_fmt(lon[p])} is outside -180..180")
            loc.msg[p] = "; ".join(parts) + "; give decimal degrees (latitude first)"
    for p in np.flatnonzero(zero):
        loc.msg[p] = (
            "coordinates (0, 0) are a placeholder, not a location; give the real point or "
            "leave them empty"
        )
    loc.bad |= out_any | zero | nonfinite


def _transform(x: np.ndarray, y: np.ndarray, crs: str) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    from routes._crs import transform_xy

    tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    ok = np.isfinite(x) & np.isfinite(y)
    lon = np.full(x.shape, np.nan)
    lat = np.full(y.shape, np.nan)
    if ok.any():
        lon[ok], lat[ok] = transform_xy(tr, x[ok], y[ok], errcheck=False)
    lon[~np.isfinite(lon)] = np.nan
    lat[~np.isfinite(lat)] = np.nan
    # a finite input that failed to transform stays NaN; mark it as infinite for the checks
    failed = ok & (np.isnan(lon) | np.isnan(lat))
    lon[failed] = np.inf
    lat[failed] = np.inf
    return lon, lat


REJECTED_BASE = ("source_row", "incident_id", "reason", "column", "value", "message")


def _rejected_frame(
    pf: pd.DataFrame, frame: pd.DataFrame, table: RawTable, ids: pd.Series
) -> pd.DataFrame:
    pos = pf["pos"].to_numpy(dtype=np.int64)
    base = pd.DataFrame(
        {
            "source_row": (pos + 1).astype(np.int64),
            "incident_id": _objects(ids)[pos],
            "reason": pf["reason"].to_numpy(dtype=object),
            "column": pf["column"].to_numpy(dtype=object),
            "value": [None if v is None else str(v) for v in pf["value"].to_numpy(dtype=object)],
            "message": pf["message"].to_numpy(dtype=object),
        }
    )
    raw = frame.iloc[pos].reset_index(drop=True)
    raw_cols = {}
    for col in raw.columns:
        name = str(col)
        if name in REJECTED_BASE:
            name = f"raw:{name}"
        raw_cols[name] = _objects(_to_text(raw[col]))
    if table.geometry is not None:
        import shapely

        geo = np.asarray(table.geometry.array, dtype=object)[pos]
        raw_cols["raw:geometry" if "geometry" in raw_cols else "geometry"] = shapely.to_wkt(
            geo, rounding_precision=7
        )
    out = pd.concat([base, pd.DataFrame(raw_cols)], axis=1)
    for col in ("incident_id", "reason", "column", "value", "message"):
        out[col] = out[col].astype(STR)
    return out
