"""Internal consistency of accepted questionnaire rows: totals, missing years, jumps."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from routes._constants import WESTERN_BALKANS, display_name
from routes.questionnaire.format import INDICATORS, ROUTE_INDICATOR, TOTAL

__all__ = [
    "JUMP_FACTOR",
    "Inconsistency",
    "find_inconsistencies",
    "indicator_totals",
    "main_rows",
]

#: A year-on-year change larger than this factor is reported as a jump.
JUMP_FACTOR = 10.0


@dataclass(frozen=True)
class Inconsistency:
    """One internal inconsistency of a questionnaire.

    Parameters
    ----------
    kind
        ``total_mismatch``, ``missing_year`` or ``jump`` (see
        :data:`routes.questionnaire.INCONSISTENCY_KINDS`).
    jurisdiction, year, indicator
        Where it is.
    what
        What is wrong, with the numbers.
    """

    kind: str
    jurisdiction: str
    year: int
    indicator: str
    what: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: kind, jurisdiction, year, indicator, what."""
        return {
            "kind": self.kind,
            "jurisdiction": self.jurisdiction,
            "year": int(self.year),
            "indicator": self.indicator,
            "what": self.what,
        }


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _order(codes: Any) -> list[str]:
    return [c for c in WESTERN_BALKANS if c in set(codes)]


def main_rows(accepted: pd.DataFrame) -> pd.DataFrame:
    """The rows of the indicators themselves: not those of a named breakdown."""
    if "breakdown" not in accepted:
        return accepted
    return accepted[accepted["breakdown"].isna()]


def indicator_totals(accepted: pd.DataFrame) -> pd.DataFrame:
    """One value per jurisdiction, year and indicator.

    Rows of a named breakdown (``breakdown`` given) are never counted. The ``total`` row where
    one is given, else the sum of the categories; for
    ``reported_route`` the sum over the routes. Columns: jurisdiction, year, indicator, value,
    from_categories (True when summed from categories).

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"jurisdiction": ["AL", "AL", "AL"], "year": [2023] * 3,
    ...     "indicator": ["seized_weapons"] * 3, "category": ["total", "pistol", "rifle"],
    ...     "value": [9.0, 4.0, 3.0]})
    >>> indicator_totals(rows)[["indicator", "value"]].to_dict("records")
    [{'indicator': 'seized_weapons', 'value': 9.0}]
    """
    cols = ["jurisdiction", "year", "indicator", "value", "from_categories"]
    if accepted.empty:
        return pd.DataFrame(columns=cols)
    keys = ["jurisdiction", "year", "indicator"]
    accepted = main_rows(accepted)
    is_route = accepted["indicator"] == ROUTE_INDICATOR
    counts = accepted[~is_route]
    totals = counts[counts["category"] == TOTAL].groupby(keys, sort=False)["value"].sum()
    parts = counts[counts["category"] != TOTAL].groupby(keys, sort=False)["value"].sum()
    routes = accepted[is_route].groupby(keys, sort=False)["value"].sum()
    out = pd.concat(
        [
            totals.to_frame().assign(from_categories=False),
            parts[~parts.index.isin(totals.index)].to_frame().assign(from_categories=True),
            routes.to_frame().assign(from_categories=False),
        ]
    ).reset_index()
    order = {c: i for i, c in enumerate(WESTERN_BALKANS)}
    out["_o"] = out["jurisdiction"].map(order).fillna(len(order))
    out = out.sort_values(["indicator", "_o", "year"], kind="stable").drop(columns="_o")
    return out.reset_index(drop=True)[cols]


def _breakdown_mismatches(accepted: pd.DataFrame) -> list[Inconsistency]:
    """A published breakdown whose parts do not add up to its published ``total``.

    The breakdown is the source's own indicator and dimension (``source_indicator``,
    ``source_dimension``); only breakdowns with at least one row of a named breakdown are
    checked (the indicators' own rows are checked by ``_total_mismatches``).
    """
    if "source_indicator" not in accepted or accepted["breakdown"].isna().all():
        return []
    found = []
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    cols = ["jurisdiction", "year", "indicator", "category", "value", "breakdown"]
    keys = ["source_indicator", "source_dimension"]
    records: list[dict[str, Any]] = [
        {str(k): v for k, v in r.items()}
        for r in accepted[accepted["source_indicator"].notna()][cols + keys].to_dict("records")
    ]
    for r in records:
        key = (r["jurisdiction"], r["year"], r["source_indicator"], r["source_dimension"] or "")
        groups.setdefault(key, []).append(r)
    for (jur, year, ind, dim), group in groups.items():
        own = [r for r in group if r["breakdown"] is None]  # converted arms, under by condition
        named_parts: dict[str, list[dict[str, Any]]] = {}
        for r in group:
            if r["breakdown"] is not None:
                named_parts.setdefault(r["breakdown"], []).append(r)
        for named, part in named_parts.items():
            block = part + own
            totals = [r for r in block if r["category"] == TOTAL]
            parts = [r for r in block if r["category"] != TOTAL]
            if not totals or not parts:
                continue
            t, s = float(totals[0]["value"]), float(sum(r["value"] for r in parts))
            if abs(t - s) <= 1e-9 * max(1.0, abs(t)):
                continue
            shown = ", ".join(f"{r['category']} {_fmt(r['value'])}" for r in parts)
            found.append(
                Inconsistency(
                    "total_mismatch",
                    str(jur),
                    int(year),
                    str(totals[0]["indicator"]),
                    f"breakdown {named!r} ({ind} / {dim}): published total {_fmt(t)}, but its "
                    f"parts sum to {_fmt(s)} ({shown}); the published total is kept",
                )
            )
    return found


def _total_mismatches(accepted: pd.DataFrame) -> list[Inconsistency]:
    found = []
    accepted = main_rows(accepted)
    counts = accepted[accepted["indicator"] != ROUTE_INDICATOR]
    for (jur, year, ind), block in counts.groupby(
        ["jurisdiction", "year", "indicator"], sort=False
    ):
        total = block[block["category"] == TOTAL]["value"]
        parts = block[block["category"] != TOTAL]
        if total.empty or parts.empty:
            continue
        t, s = float(total.iloc[0]), float(parts["value"].sum())
        if abs(t - s) > 1e-9 * max(1.0, abs(t)):
            shown = ", ".join(
                f"{c} {_fmt(v)}" for c, v in zip(parts["category"], parts["value"], strict=True)
            )
            relation = "more than" if s > t else "less than"
            found.append(
                Inconsistency(
                    "total_mismatch",
                    str(jur),
                    int(str(year)),
                    str(ind),
                    f"total {_fmt(t)}, but the categories sum to {_fmt(s)} ({relation} the "
                    f"total: {shown}); correct the total or the categories, or add the missing "
                    "category ('other')",
                )
            )
    return found


def _missing_years(totals: pd.DataFrame) -> list[Inconsistency]:
    found = []
    counts = totals[totals["indicator"] != ROUTE_INDICATOR]
    for ind, block in counts.groupby("indicator", sort=False):
        years = sorted(set(block["year"].astype(int)))
        by_jur = {j: set(b["year"].astype(int)) for j, b in block.groupby("jurisdiction")}
        for jur in _order(by_jur):
            for year in years:
                if year in by_jur[jur]:
                    continue
                others = [display_name(j) for j in _order(by_jur) if year in by_jur[j]]
                found.append(
                    Inconsistency(
                        "missing_year",
                        jur,
                        year,
                        str(ind),
                        f"no {ind} value for {year}, while {', '.join(others)} "
                        f"report{'s' if len(others) == 1 else ''} one; "
                        "add the year (0 when there were none)",
                    )
                )
    return found


def _jumps(totals: pd.DataFrame) -> list[Inconsistency]:
    found = []
    for (jur, ind), block in totals.groupby(["jurisdiction", "indicator"], sort=False):
        series = dict(zip(block["year"].astype(int), block["value"].astype(float), strict=True))
        for year in sorted(series):
            if year - 1 not in series:
                continue
            a, b = series[year - 1], series[year]
            low = max(min(a, b), 1.0)
            if max(a, b) > JUMP_FACTOR * low:
                ratio = max(a, b) / low
                way = "rose" if b > a else "fell"
                found.append(
                    Inconsistency(
                        "jump",
                        str(jur),
                        year,
                        str(ind),
                        f"{ind} {way} from {_fmt(a)} in {year - 1} to {_fmt(b)} in {year} "
                        f"({ratio:,.0f} times); check the figure and the unit",
                    )
                )
    return found


def find_inconsistencies(accepted: pd.DataFrame) -> list[Inconsistency]:
    """Every inconsistency of the accepted rows, by kind, indicator, jurisdiction and year."""
    if accepted.empty:
        return []
    totals = indicator_totals(accepted)
    found = (
        _total_mismatches(accepted)
        + _breakdown_mismatches(accepted)
        + _missing_years(totals)
        + _jumps(totals)
    )
    kinds = {"total_mismatch": 0, "missing_year": 1, "jump": 2}
    order = {c: i for i, c in enumerate(WESTERN_BALKANS)}
    ind = {name: i for i, name in enumerate(INDICATORS)}
    return sorted(
        found,
        key=lambda i: (kinds[i.kind], ind[i.indicator], order.get(i.jurisdiction, 99), i.year),
    )
