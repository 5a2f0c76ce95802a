"""What a table's columns hold: one :class:`ColumnProfile` per column, from content alone.

Used by :func:`routes.suggest_mapping`: the profile says the inferred type, the share of empty
cells and a few examples, and carries the content evidence (numbers and their ranges, dates,
coordinate pairs, country names, uniqueness) that the column scores are built from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from routes.incidents._dates import parse_dates
from routes.incidents._parsers import parse_pairs, to_float
from routes.incidents._text import to_text

__all__ = [
    "LAT_RANGE",
    "LON_RANGE",
    "MISSING_MARKERS",
    "ColumnProfile",
    "date_forms",
    "missing_markers",
    "profile_column",
]

#: Cell texts that usually mean "unknown" in exports (compared case-insensitively, trimmed).
MISSING_MARKERS: tuple[str, ...] = (
    "ukn",
    "unk",
    "unkn",
    "unknown",
    "-",
    "--",
    "?",
    "na",
    "n/a",
    "n.a.",
    "nan",
    "none",
    "null",
    "nil",
    "#n/a",
    "not known",
    "not available",
    "nepoznato",
    "непознато",
    "e panjohur",
    "bez podataka",
)

#: Latitudes and longitudes of points in the region and its neighbours (a column of the one
#: kind falls inside its own range and outside the other's).
LAT_RANGE = (34.5, 49.5)
LON_RANGE = (6.5, 45.0)
_LAT_CORE = (39.0, 48.9)  # Western Balkans and neighbours: no overlap with _LON_CORE
_LON_CORE = (12.0, 30.5)

_WKT = re.compile(r"^\s*(?:SRID=\d+;\s*)?POINT\s*Z?\s*\(", re.IGNORECASE)
_ID_LIKE = re.compile(r"^[\w./#:-]{1,40}$")
#: strftime forms tried when the automatic date forms do not read a column.
_DATE_FORMS = (
    "%d%b%y",
    "%d%b%Y",
    "%d-%b-%y",
    "%d-%b-%Y",
    "%d %b %Y",
    "%d %b %y",
    "%b %d, %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y/%m/%d",
    "%d.%m.%y",
    "%d/%m/%y",
    "%m/%d/%y",
    "%m/%d/%Y",
    "%Y%m%d",
)


@dataclass
class ColumnProfile:
    """What one column holds.

    Attributes
    ----------
    name
        The column as written in the header.
    type
        Inferred type: ``empty``, ``integer``, ``number``, ``date``, ``latitude``,
        ``longitude``, ``coordinate pair``, ``wkt``, ``country``, ``category`` (few distinct
        words) or ``text``.
    share_empty
        Share of rows that are empty or a missing-value marker (0..1).
    examples
        Up to 3 distinct values, most frequent first.
    distinct
        Number of distinct non-empty values.
    unique
        Every row has a value and no value repeats.
    """

    name: str
    type: str
    share_empty: float
    examples: list[str]
    distinct: int
    unique: bool
    values: pd.Series = field(repr=False)  # cleaned text, missing markers as NaN
    counts: pd.Series = field(repr=False)  # distinct value -> rows, most frequent first
    evidence: dict[str, float] = field(default_factory=dict)
    date_forms: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: name, type, share_empty, examples, distinct, unique."""
        return {
            "name": self.name,
            "type": self.type,
            "share_empty": round(self.share_empty, 3),
            "examples": list(self.examples),
            "distinct": self.distinct,
            "unique": self.unique,
        }


def missing_markers(frame: pd.DataFrame) -> list[str]:
    """Return the cell texts of ``frame`` that are missing-value markers, as written.

    >>> missing_markers(pd.DataFrame({"a": ["1", "UKN"], "b": ["Unknown", "x"]}))
    ['UKN', 'Unknown']
    """
    found: set[str] = set()
    wanted = set(MISSING_MARKERS)
    for col in frame.columns:
        s = to_text(frame[col]).dropna().str.strip()
        for value in s.unique()[:5000]:
            if str(value).casefold() in wanted:
                found.add(str(value))
    return sorted(found)


def _share(mask: np.ndarray, weights: np.ndarray) -> float:
    total = float(weights.sum())
    return float((mask * weights).sum() / total) if total else 0.0


def date_forms(values: list[str]) -> tuple[tuple[str, ...], float]:
    """Return the strftime forms that read the most of ``values`` and the share they read.

    Empty forms when the automatic forms of the reader do at least as well.

    >>> date_forms(["25/03/99", "01/04/99"])
    (('%d/%m/%y',), 1.0)
    >>> date_forms(["01Apr99", "25Mar99"])  # the reader's own forms read these
    ((), 1.0)
    """
    if not values:
        return (), 0.0
    s = pd.Series(values, dtype=object)
    auto = float(pd.isna(parse_dates(s)[2]).mean())
    best: tuple[tuple[str, ...], float] = ((), auto)
    if auto >= 0.999:
        return best
    for form in _DATE_FORMS:
        share = float(pd.isna(parse_dates(s, forms=(form,))[2]).mean())
        if share > best[1] + 1e-9:
            best = ((form,), share)
    return best


def _numbers(counts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    num, _bad = to_float(pd.Series(counts.index, dtype=object).astype(str))
    return num, ~np.isnan(num)


def profile_column(name: str, raw: pd.Series, na_values: tuple[str, ...]) -> ColumnProfile:
    """Profile one column; ``na_values`` are the texts read as missing."""
    text = to_text(raw).str.strip()
    text = text.mask(text.isin(na_values) | (text == ""))
    n = len(text)
    counts = text.value_counts(dropna=True)
    filled = int(counts.sum())
    share_empty = 1.0 - filled / n if n else 1.0
    examples = [str(v) for v in counts.index[:3]]
    distinct = len(counts)
    unique = n > 0 and filled == n and distinct == n
    prof = ColumnProfile(name, "empty", share_empty, examples, distinct, unique, text, counts)
    if not filled:
        return prof
    top = counts.iloc[:400]
    weights = top.to_numpy(dtype=float)
    keys = [str(v) for v in top.index]
    ev = prof.evidence
    num, is_num = _numbers(top)
    ev["numeric"] = _share(is_num, weights)
    integral = is_num & (np.abs(num - np.round(np.nan_to_num(num))) < 1e-9)
    ev["integer"] = _share(integral, weights)
    ev["lat"] = _share(is_num & (num >= _LAT_CORE[0]) & (num <= _LAT_CORE[1]), weights)
    ev["lon"] = _share(is_num & (num >= _LON_CORE[0]) & (num <= _LON_CORE[1]), weights)
    ev["decimals"] = _share(is_num & ~integral, weights)
    ev["positive_int"] = _share(integral & (num >= 1), weights)
    med = float(np.nanmedian(num[is_num])) if is_num.any() else float("nan")
    ev["median"] = med
    a, b, bad = parse_pairs(pd.Series(keys, dtype=object))
    lat_a = (a >= LAT_RANGE[0]) & (a <= LAT_RANGE[1]) & (b >= LON_RANGE[0]) & (b <= LON_RANGE[1])
    lat_b = (b >= LAT_RANGE[0]) & (b <= LAT_RANGE[1]) & (a >= LON_RANGE[0]) & (a <= LON_RANGE[1])
    ev["pair"] = _share(~bad & ~is_num & (lat_a | lat_b), weights)
    ev["pair_lon_first"] = _share(~bad & ~is_num & lat_b & ~lat_a, weights)
    ev["wkt"] = _share(np.array([bool(_WKT.match(k)) for k in keys]), weights)
    digits = _share(np.array([any(ch.isdigit() for ch in k) for k in keys]), weights)
    maybe_date = digits >= 0.5 and (ev["numeric"] < 0.9 or _looks_serial(num))
    forms, date_share = date_forms(keys) if maybe_date else ((), 0.0)
    if ev["integer"] > 0.9 and not forms and not _looks_serial(num):
        date_share = 0.0  # plain counts and ids are not years or Excel serials
    ev["date"] = date_share
    prof.date_forms = forms
    ev["country"] = _share(np.array([_country(k) is not None for k in keys]), weights)
    ev["id_like"] = _share(np.array([bool(_ID_LIKE.match(k)) for k in keys]), weights)
    ev["mean_length"] = float(np.average([len(k) for k in keys], weights=weights))
    ev["distinct_ratio"] = distinct / filled
    prof.type = _type_of(ev, distinct)
    return prof


def _looks_serial(num: np.ndarray) -> bool:
    ok = num[~np.isnan(num)]
    return bool(ok.size) and bool(((ok >= 20000) & (ok <= 60000)).all())


def _country(text: str) -> str | None:
    from routes.geo import country_code

    return country_code(text)


def _type_of(ev: dict[str, float], distinct: int) -> str:
    if ev["wkt"] >= 0.8:
        return "wkt"
    if ev["pair"] >= 0.8:
        return "coordinate pair"
    if ev["date"] >= 0.8:
        return "date"
    if ev["numeric"] >= 0.8:
        if ev["decimals"] >= 0.5 and ev["lat"] >= 0.8:
            return "latitude"
        if ev["decimals"] >= 0.5 and ev["lon"] >= 0.8:
            return "longitude"
        return "integer" if ev["integer"] >= 0.95 else "number"
    if ev["country"] >= 0.8:
        return "country"
    if distinct <= 50 and ev["distinct_ratio"] < 0.5:
        return "category"
    return "text"
