"""Statistics per jurisdiction for the threat assessment: tables as CSV, Markdown and Excel.

Every table counts incidents (records) and the sum of ``quantity`` (items seized) for each
jurisdiction, broken down by one dimension — weapon category, modus operandi, organised-crime
involvement, migrant involvement or year — with an "All jurisdictions" block at the end.
Jurisdictions are shown by display name (``"Kosovo*"``); every Markdown and Excel output carries
:data:`routes.KOSOVO_FOOTNOTE`.

For sharing beyond the agency, :func:`suppress_small_counts` replaces counts below a threshold
with ``"<K"`` (primary suppression) and, where a single cell of a block would otherwise be
recoverable from the block total, the next smallest cell too (secondary suppression).

The writers (:func:`write_tables`, :func:`tables_to_markdown`) and the display names of the
columns and tables (:data:`HEADERS`, :data:`TABLE_TITLES`) live in
:mod:`routes.analysis._stat_writers` and are public here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from routes._constants import WESTERN_BALKANS, display_name
from routes._errors import Problem, ValidationError
from routes.analysis._stat_writers import HEADERS, TABLE_TITLES, tables_to_markdown, write_tables

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "HEADERS",
    "STAT_DIMENSIONS",
    "TABLE_TITLES",
    "jurisdiction_breakdown",
    "jurisdiction_summary",
    "jurisdiction_tables",
    "suppress_small_counts",
    "tables_to_markdown",
    "write_tables",
]

#: The breakdowns of :func:`jurisdiction_tables`, in the order they are written.
STAT_DIMENSIONS: tuple[str, ...] = (
    "year",
    "category",
    "modus_operandi",
    "ocg_involved",
    "migrants_involved",
)

ALL_CODE = "ALL"
ALL_NAME = "All jurisdictions"
NOT_RECORDED = "not recorded"
UNDATED = "undated"

_COUNT_COLUMNS = ("incidents", "quantity")


def _require(incidents: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in incidents.columns]
    if missing:
        raise ValidationError(
            [
                Problem(
                    f"{what} needs column {c!r}, which the incidents lack (columns: "
                    f"{', '.join(map(str, incidents.columns))}); read the file with "
                    "routes.read_incidents so that every canonical column is present.",
                    column=c,
                    reason="missing_column",
                )
                for c in missing
            ]
        )


def _jurisdiction_order(codes: Iterable[str]) -> list[str]:
    present = sorted(set(codes))
    first = [c for c in WESTERN_BALKANS if c in present]
    return first + [c for c in present if c not in first]


def _prepared(incidents: pd.DataFrame, by: str | None) -> pd.DataFrame:
    import pandas as pd

    need = ["jurisdiction", "quantity"]
    if by == "year":
        need.append("date")
    elif by is not None:
        need.append(by)
    _require(incidents, need, f"statistics by {by}" if by else "statistics")
    frame = pd.DataFrame(
        {
            "jurisdiction": incidents["jurisdiction"].fillna("??").astype(str).to_numpy(),
            "quantity": pd.to_numeric(incidents["quantity"], errors="coerce")
            .fillna(1)
            .astype("int64")
            .to_numpy(),
        }
    )
    if by == "year":
        years = pd.to_datetime(incidents["date"], errors="coerce").dt.year
        frame["year"] = [UNDATED if pd.isna(y) else str(int(y)) for y in years]
    elif by is not None:
        values = incidents[by].astype(object).to_numpy()
        frame[by] = [
            NOT_RECORDED if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)
            for v in values
        ]
    return frame


def jurisdiction_summary(
    incidents: pd.DataFrame, *, jurisdictions: Sequence[str] | None = None
) -> pd.DataFrame:
    """Count incidents and items per jurisdiction, with the date range and involvement counts.

    Parameters
    ----------
    incidents
        Canonical incidents (see :func:`routes.read_incidents`).
    jurisdictions
        Only these jurisdiction codes (default: every jurisdiction present, Western Balkans
        first).

    Returns
    -------
    pandas.DataFrame
        One row per jurisdiction and a last ``ALL`` row: ``jurisdiction``,
        ``jurisdiction_name`` (``"Kosovo*"``), ``incidents``, ``quantity``, ``first_date``,
        ``last_date`` (ISO dates or empty), ``ocg_involved_yes``, ``migrants_involved_yes``.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"jurisdiction": ["XK", "RS", "XK"], "quantity": [1, 2, 3],
    ...                    "date": pd.to_datetime(["2020-01-05", "2021-02-01", None]),
    ...                    "ocg_involved": ["yes", "no", None],
    ...                    "migrants_involved": ["no", "no", "yes"]})
    >>> jurisdiction_summary(df)[["jurisdiction_name", "incidents", "quantity"]]
       jurisdiction_name  incidents  quantity
    0            Kosovo*          2         4
    1             Serbia          1         2
    2  All jurisdictions          3         6
    """
    import pandas as pd

    _require(incidents, ["jurisdiction", "quantity"], "the summary")
    frame = _prepared(incidents, None)
    dates = (
        pd.to_datetime(incidents["date"], errors="coerce").to_numpy()
        if "date" in incidents.columns
        else pd.Series([pd.NaT] * len(frame)).to_numpy()
    )
    frame["date"] = dates
    for col in ("ocg_involved", "migrants_involved"):
        if col in incidents.columns:
            frame[f"{col}_yes"] = (incidents[col].astype(object) == "yes").to_numpy()
        else:
            frame[f"{col}_yes"] = False
    codes = list(jurisdictions) if jurisdictions else _jurisdiction_order(frame["jurisdiction"])
    frame = frame[frame["jurisdiction"].isin(codes)]

    def row(code: str, name: str, part: pd.DataFrame) -> dict[str, Any]:
        d = part["date"].dropna()
        return {
            "jurisdiction": code,
            "jurisdiction_name": name,
            "incidents": len(part),
            "quantity": int(part["quantity"].sum()),
            "first_date": d.min().date().isoformat() if len(d) else "",
            "last_date": d.max().date().isoformat() if len(d) else "",
            "ocg_involved_yes": int(part["ocg_involved_yes"].sum()),
            "migrants_involved_yes": int(part["migrants_involved_yes"].sum()),
        }

    rows = [row(c, display_name(c), frame[frame["jurisdiction"] == c]) for c in codes]
    rows.append(row(ALL_CODE, ALL_NAME, frame))
    return pd.DataFrame(rows)


def jurisdiction_breakdown(
    incidents: pd.DataFrame,
    by: str,
    *,
    jurisdictions: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Count incidents and items per jurisdiction and value of one dimension.

    Parameters
    ----------
    incidents
        Canonical incidents.
    by
        ``"year"`` (from ``date``; ``"undated"`` when missing) or a column such as
        ``"category"``, ``"modus_operandi"``, ``"ocg_involved"``, ``"migrants_involved"``.
        Missing values count as ``"not recorded"``.
    jurisdictions
        Only these jurisdiction codes (default: all present, Western Balkans first).

    Returns
    -------
    pandas.DataFrame
        ``jurisdiction``, ``jurisdiction_name``, ``<by>``, ``incidents``, ``quantity``,
        ``share_pct`` (share of the jurisdiction's incidents, 1 decimal); rows grouped by
        jurisdiction (values by descending incidents; years ascending), then an ``ALL`` block.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"jurisdiction": ["AL", "AL", "AL"], "quantity": [1, 5, 2],
    ...                    "category": ["pistol", "hand_grenade", "pistol"]})
    >>> jurisdiction_breakdown(df, "category")[["jurisdiction", "category", "incidents",
    ...                                        "quantity", "share_pct"]]
      jurisdiction      category  incidents  quantity  share_pct
    0           AL        pistol          2         3       66.7
    1           AL  hand_grenade          1         5       33.3
    2          ALL        pistol          2         3       66.7
    3          ALL  hand_grenade          1         5       33.3
    """
    import pandas as pd

    frame = _prepared(incidents, by)
    codes = list(jurisdictions) if jurisdictions else _jurisdiction_order(frame["jurisdiction"])
    frame = frame[frame["jurisdiction"].isin(codes)]
    per = frame.groupby(["jurisdiction", by], sort=False).agg(
        incidents=("quantity", "size"), quantity=("quantity", "sum")
    )
    total = frame.groupby(by, sort=False).agg(
        incidents=("quantity", "size"), quantity=("quantity", "sum")
    )
    parts = {c: per.xs(c, level="jurisdiction") for c in per.index.unique("jurisdiction")}
    blocks = []
    for code, name, g in [
        *((c, display_name(c), parts.get(c)) for c in codes),
        (ALL_CODE, ALL_NAME, total if len(frame) else None),
    ]:
        if g is None or g.empty:
            continue
        g = g.reset_index()
        if by == "year":
            g = g.sort_values(by, key=lambda s: s.map(lambda v: (v == UNDATED, v)))
        else:
            g = g.sort_values(["incidents", "quantity", by], ascending=[False, False, True])
        n = int(g["incidents"].sum())
        g["share_pct"] = (g["incidents"] * 100.0 / n).round(1)
        g.insert(0, "jurisdiction_name", name)
        g.insert(0, "jurisdiction", code)
        blocks.append(g)
    if not blocks:
        return pd.DataFrame(
            columns=["jurisdiction", "jurisdiction_name", by, *_COUNT_COLUMNS, "share_pct"]
        )
    out = pd.concat(blocks, ignore_index=True)
    out["incidents"] = out["incidents"].astype("int64")
    out["quantity"] = out["quantity"].astype("int64")
    return out


def jurisdiction_tables(
    incidents: pd.DataFrame,
    *,
    dimensions: Sequence[str] = STAT_DIMENSIONS,
    jurisdictions: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Return the summary and one breakdown per dimension, keyed ``summary``, ``by_<dim>``.

    Parameters
    ----------
    incidents
        Canonical incidents.
    dimensions
        Breakdowns to compute (default :data:`STAT_DIMENSIONS`).
    jurisdictions
        Only these jurisdiction codes.
    """
    tables = {"summary": jurisdiction_summary(incidents, jurisdictions=jurisdictions)}
    for dim in dimensions:
        tables[f"by_{dim}"] = jurisdiction_breakdown(incidents, dim, jurisdictions=jurisdictions)
    return tables


def _complete(
    mask: np.ndarray,
    values: np.ndarray,
    blocks: list[np.ndarray],
) -> np.ndarray:
    """Secondary suppression: no block may hold exactly one hidden non-zero cell.

    A block is a set of rows whose sum is published elsewhere (a jurisdiction's total, a
    category's regional total). While some block has a single hidden cell, its smallest visible
    non-zero cell is hidden too.
    """
    mask = mask.copy()
    changed = True
    while changed:
        changed = False
        for idx in blocks:
            hidden = [i for i in idx if mask[i] and values[i] > 0]
            if len(hidden) == 1:
                rest = [i for i in idx if not mask[i] and values[i] > 0]
                if rest:
                    mask[min(rest, key=lambda i: (values[i], i))] = True
                    changed = True
    return mask


def suppress_small_counts(
    table: pd.DataFrame,
    *,
    min_count: int = 5,
    columns: Sequence[str] | None = None,
    key: str = "incidents",
    group: str | None = "jurisdiction",
    across: str | None = None,
    total: str | None = ALL_CODE,
    dependent: Sequence[str] = ("quantity", "share_pct"),
) -> pd.DataFrame:
    """Replace counts below ``min_count`` with the text ``"<min_count"`` (e.g. ``"<5"``).

    A row whose ``key`` count is below the threshold has ``key`` and its ``dependent`` columns
    (which would reveal it) suppressed (primary suppression). Because totals are published, a
    single hidden cell could be recovered by subtraction, so the next smallest cell is hidden
    too (secondary suppression), until no block holds exactly one hidden cell. Blocks are the
    rows of one ``group`` value (a jurisdiction's breakdown, whose total is in the summary) and,
    with ``across``, the rows of one ``across`` value outside the ``total`` rows (a category
    across jurisdictions, whose total is the ``ALL`` row). With ``group=None`` all rows except
    the ``total`` row form one block. Other count ``columns`` get the same treatment cell by
    cell. Zero counts stay visible (a published zero reveals no case).

    Parameters
    ----------
    table
        A table of counts (e.g. from :func:`jurisdiction_breakdown`).
    min_count
        Smallest count shown (must be >= 1; 1 suppresses nothing).
    columns
        Other count columns to suppress cell by cell (default: ``ocg_involved_yes``,
        ``migrants_involved_yes`` when present).
    key
        The column that decides whether a whole row is suppressed.
    group
        Column whose values define blocks (None: one block of all non-total rows, or no
        secondary suppression at all when ``total`` is None too).
    across
        Column whose values define blocks across groups (e.g. ``"category"``).
    total
        Value of ``group`` marking the total rows (``"ALL"``).
    dependent
        Columns suppressed together with ``key``.

    Returns
    -------
    pandas.DataFrame
        A copy with object dtype in the suppressed columns.

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"jurisdiction": ["AL"] * 3, "incidents": [12, 7, 2],
    ...                   "quantity": [20, 9, 2]})
    >>> suppress_small_counts(t, min_count=5)
      jurisdiction incidents quantity
    0           AL        12       20
    1           AL        <5       <5
    2           AL        <5       <5
    """
    import numpy as np

    if not isinstance(min_count, int) or isinstance(min_count, bool) or min_count < 1:
        raise ValueError(
            f"min_count must be a whole number >= 1, instead got {min_count!r}; use e.g. 5"
        )
    out = table.copy()
    if min_count == 1 or out.empty:
        return out
    label = f"<{min_count}"
    if key not in out.columns:
        raise ValueError(
            f"suppress_small_counts: column {key!r} not in the table "
            f"(columns: {', '.join(map(str, out.columns))}); pass key=<count column>"
        )
    n = len(out)
    groups = out[group].to_numpy() if group is not None and group in out.columns else None
    is_total = (
        groups == total if groups is not None and total is not None else np.zeros(n, dtype=bool)
    )
    if groups is None and total is not None and "jurisdiction" in out.columns:
        is_total = out["jurisdiction"].to_numpy() == total
    blocks: list[np.ndarray] = []
    if groups is not None:
        blocks += [np.flatnonzero(groups == g) for g in dict.fromkeys(groups)]
    elif total is not None:
        blocks.append(np.flatnonzero(~is_total))
    if across is not None and across in out.columns:
        acr = out[across].to_numpy()
        blocks += [np.flatnonzero((acr == a) & ~is_total) for a in dict.fromkeys(acr)]
    blocks = [b for b in blocks if len(b) > 1]

    def hide(values: np.ndarray) -> np.ndarray:
        return _complete((values > 0) & (values < min_count), values, blocks)

    mask = hide(out[key].to_numpy(dtype=float))
    for c in [key, *(c for c in dependent if c in out.columns)]:
        out[c] = out[c].astype(object)
        out.loc[mask, c] = label
    extra = (
        list(columns)
        if columns is not None
        else [c for c in ("ocg_involved_yes", "migrants_involved_yes") if c in out.columns]
    )
    for c in extra:
        small = hide(table[c].to_numpy(dtype=float))
        out[c] = out[c].astype(object)
        out.loc[small, c] = label
    return out
