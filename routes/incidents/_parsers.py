"""Parsers of the validation engine: quantities, numbers and "a, b" coordinate pairs."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

__all__ = ["parse_pairs", "parse_quantity", "to_float"]

_QTY_UNITS = re.compile(
    r"\s*(kom(ada)?\.?|pcs\.?|pieces?|items?|cop[eë]\.?|x|kos)\s*$", re.IGNORECASE
)


def parse_quantity(text: pd.Series) -> tuple[np.ndarray, np.ndarray]:
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
        if np.isfinite(number) and abs(number) >= 2**62:
            msg[i] = f"quantity {raw!r} is too large to be a count; count items (e.g. 3)"
        elif not np.isfinite(number) or number != int(number):
            msg[i] = f"quantity {raw!r} is not a whole number; count items (e.g. 3)"
        elif number <= 0:
            msg[i] = (
                f"quantity {raw!r} must be at least 1; leave it empty when unknown (empty means 1)"
            )
        else:
            qty[i] = int(number)
    return qty[codes], msg[codes]


def to_float(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return floats and a mask of values that are present but not numbers."""
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(len(s), dtype=bool)
    num = _plain_floats(s)
    if num is None:
        t = s.str.replace(",", ".", regex=False).str.replace("°", "", regex=False)
        num = pd.to_numeric(t, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = s.notna().to_numpy() & np.isnan(num)
    return num, bad


def _plain_floats(s: pd.Series) -> np.ndarray | None:
    """The floats of a text column whose every value is a plain number (``-41.5``,
    ``1e3``), by Arrow's cast; None when any value is not (the general path reads it).

    Arrow's cast refuses what ``pd.to_numeric`` would read only after the general path's
    clean-up (decimal commas, degree signs, spaces), and reads every value it accepts to
    the same float (both round correctly), so the two paths give the same numbers.
    """
    if not isinstance(s.dtype, pd.StringDtype) or s.dtype.storage != "pyarrow":
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        # the column's own Arrow data (the Arrow protocol of pandas' arrays; no copy)
        data = s.array.__arrow_array__()
        num = np.asarray(pc.cast(data, pa.float64()).to_numpy(), dtype=float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, TypeError, ValueError):
        return None
    # "-nan" is a NaN with its sign bit set, where pandas gives a plain NaN (a new array: the
    # cast's own is a read-only view of Arrow's buffer)
    return np.where(np.isnan(num), np.nan, num)


_PAIR = re.compile(
    r"^\s*[(\[]?\s*(?P<a>[-+]?\d+(?:[.,]\d+)?)\s*°?\s*[NSEW]?\s*[,;/\s]\s*"
    r"(?P<b>[-+]?\d+(?:[.,]\d+)?)\s*°?\s*[NSEW]?\s*[)\]]?\s*$",
    re.IGNORECASE,
)


def parse_pairs(s: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Split "a, b" texts into two float arrays; mask of present but unreadable values."""
    parts = s.str.extract(_PAIR)
    a = pd.to_numeric(parts["a"].str.replace(",", ".", regex=False), errors="coerce")
    b = pd.to_numeric(parts["b"].str.replace(",", ".", regex=False), errors="coerce")
    av = a.to_numpy(dtype=float, na_value=np.nan)
    bv = b.to_numpy(dtype=float, na_value=np.nan)
    bad = s.notna().to_numpy() & (np.isnan(av) | np.isnan(bv))
    return av, bv, bad
