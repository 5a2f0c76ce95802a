"""Text helpers of the validation engine: any column as ``str``, cleaning, fast regex.

Vectorised with pandas' ``str`` dtype and Arrow compute; missing stays missing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import pandas as pd

from routes._pdcompat import STR

__all__ = [
    "WS_RE2",
    "clean",
    "fmt_num",
    "is_listlike",
    "norm_header",
    "obj_to_str",
    "objects",
    "re_sub",
    "to_text",
    "values_at",
]


def is_listlike(x: Any) -> bool:
    return isinstance(x, (list, tuple, np.ndarray, pd.Series, pd.Index))


def to_text(s: pd.Series) -> pd.Series:
    """Return ``s`` as a pandas ``str`` Series (missing stays missing), whatever its dtype."""
    dtype = s.dtype
    if isinstance(dtype, pd.StringDtype):
        return s if dtype == "str" else s.astype(STR)
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return s.dt.strftime("%Y-%m-%d").astype(STR)
    if pd.api.types.is_bool_dtype(dtype):
        return s.map({True: "yes", False: "no"}).astype(STR)
    if pd.api.types.is_float_dtype(dtype):
        return re_sub(s.astype(STR), r"\.0$", "")
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


WS_RE2 = r"[\s\p{Z}]+"  # any whitespace incl. no-break spaces (RE2 syntax)


def re_sub(t: pd.Series, pattern: str, repl: str) -> pd.Series:
    """Regex replace on a ``str`` Series with Arrow compute (pandas falls back to Python).

    ``pattern`` is RE2 syntax; the whitespace class :data:`WS_RE2` is translated for the
    Python fallback.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        arr = pa.array(t.array)
        out = pc.replace_substring_regex(arr, pattern, repl)
        return pd.Series(pd.array(out, dtype=STR), index=t.index)
    except (TypeError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return t.str.replace(pattern.replace(WS_RE2, r"\s+"), repl, regex=True)


def clean(s: pd.Series, na_values: tuple[str, ...], *, collapse: bool = False) -> pd.Series:
    """Strip text, optionally collapse inner whitespace, and turn NA markers into missing."""
    t = to_text(s).str.strip()
    if collapse:
        t = re_sub(t, WS_RE2, " ")
    return t.mask(t.isin(na_values))


def norm_header(name: str) -> str:
    return re.sub(r"[\s\-_.]+", "_", str(name).strip().lstrip("\ufeff").casefold()).strip("_")


def fmt_num(v: float) -> str:
    return f"{v:.10g}"


def objects(series: pd.Series) -> np.ndarray:
    """A Series as an object array with None for missing values."""
    return series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]


def values_at(series: pd.Series, pos: np.ndarray) -> np.ndarray:
    """Values of a Series at positions, as an object array (missing -> None)."""
    return objects(series.iloc[pos])


def obj_to_str(values: np.ndarray) -> pd.Series:
    """Object array of few distinct texts -> ``str`` Series, via factorize (fast)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    arr = pd.array([*(str(u) for u in uniques), None], dtype=STR)
    return pd.Series(arr.take(codes), dtype=STR)
