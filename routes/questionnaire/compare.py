"""Compare the six jurisdictions' questionnaires: tables, rates, routes and incident coverage.

- :func:`load_population`: the bundled census population table (source named per row);
- :func:`questionnaire_rates`: every total per 100,000 inhabitants;
- :func:`comparison_table` (jurisdictions x years for one indicator) and
  :func:`jurisdiction_table` (one jurisdiction: indicators and categories x years);
- :func:`reported_routes` and :func:`route_flows`: the reported routes as country-to-country
  flows routed on the network (:func:`routes.route_between` with country codes);
- :func:`coverage_table`: incident records against the questionnaire totals per jurisdiction
  and year;
- :func:`weapon_type_table` (weapon categories per jurisdiction and year) and
  :func:`converted_share_table` (converted weapons as a share of the weapons seized).

Rates divide by one census figure per jurisdiction for every year (the latest census; see
``data/README.md``), so they compare jurisdictions, not the years of one jurisdiction.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from routes._constants import WESTERN_BALKANS, display_name
from routes._errors import Problem, ValidationError
from routes._paths import data_dir
from routes._table import read_table
from routes.questionnaire._checks import main_rows
from routes.questionnaire.format import INDICATORS, ROUTE_INDICATOR, TOTAL
from routes.schema import VOCABULARIES

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

__all__ = [
    "FIREARM_CATEGORIES",
    "comparison_table",
    "converted_share_table",
    "coverage_table",
    "jurisdiction_table",
    "load_population",
    "questionnaire_rates",
    "reported_routes",
    "route_flows",
    "weapon_type_table",
    "whole_cells",
]

#: Incident categories counted as firearms when incidents are set against ``seized_weapons``.
FIREARM_CATEGORIES: tuple[str, ...] = (
    "pistol",
    "revolver",
    "rifle",
    "shotgun",
    "automatic_rifle",
    "submachine_gun",
    "machine_gun",
    "converted_weapon",
    "craft_or_3d_printed",
    "firearm",
)
_POP_COLUMNS = ("jurisdiction", "name", "population", "census_year", "source", "note")


def _order(frame: pd.DataFrame, *others: str) -> pd.DataFrame:
    rank = {c: i for i, c in enumerate(WESTERN_BALKANS)}
    key = frame["jurisdiction"].map(rank).fillna(len(rank))
    return (
        frame.assign(_o=key)
        .sort_values(["_o", *others], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def whole_cells(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """A copy whose ``columns`` hold ints where a value is whole, None where it is missing.

    Tables are written as CSV and shown in the annex: ``12`` rather than ``12.0``.

    >>> whole_cells(pd.DataFrame({"a": [12.0, 2.5, None]}), ["a"])["a"].tolist()
    [12, 2.5, None]
    """
    out = frame.copy()
    for col in columns:
        values = [
            None
            if v is None or (isinstance(v, float) and v != v)
            else int(v)
            if isinstance(v, (int, float)) and float(v).is_integer()
            else v
            for v in frame[col].tolist()
        ]
        out[col] = pd.Series(values, index=out.index, dtype=object)
    return out


def load_population(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Return the population table: jurisdiction, name, population, census_year, source, note.

    Parameters
    ----------
    path
        A CSV with those columns (default: the bundled ``data/questionnaire/population.csv``,
        the latest census of each of the six jurisdictions).

    Raises
    ------
    routes.ValidationError
        A column is missing, a jurisdiction is missing or repeated, a population is not a
        positive whole number, or a row names no source.

    >>> pop = load_population()
    >>> pop.set_index("jurisdiction").loc["XK", "name"], len(pop)
    ('Kosovo*', 6)
    """
    p = Path(path) if path is not None else data_dir("questionnaire") / "population.csv"
    table = read_table(p).frame  # text cells, "" when empty (routes._table)
    problems = []
    missing = [c for c in _POP_COLUMNS if c not in table.columns]
    if missing:
        raise ValidationError(
            Problem(
                f"{p}: column(s) {', '.join(missing)} missing; the population table has "
                + ", ".join(_POP_COLUMNS),
                file=str(p),
                reason="missing_column",
            )
        )
    counts = pd.to_numeric(table["population"].str.strip(), errors="coerce")
    for i, (rec, pop) in enumerate(zip(table.to_dict("records"), counts, strict=True), start=1):
        if not (pop == pop and pop > 0 and float(pop).is_integer()):
            problems.append(
                Problem(
                    f"population {rec['population'] or '(empty)'} is not a positive whole number",
                    file=str(p),
                    row=i,
                    column="population",
                    value=rec["population"],
                )
            )
        if not isinstance(rec["source"], str) or not rec["source"].strip():
            problems.append(
                Problem("no source named; every figure needs its source", file=str(p), row=i)
            )
    codes = list(table["jurisdiction"])
    for code in WESTERN_BALKANS:
        if codes.count(code) != 1:
            problems.append(
                Problem(
                    f"jurisdiction {code} appears {codes.count(code)} times; give exactly one "
                    "row per jurisdiction",
                    file=str(p),
                    column="jurisdiction",
                    value=code,
                )
            )
    if problems:
        raise ValidationError(problems)
    table["population"] = counts.astype("int64")
    table["census_year"] = pd.to_numeric(table["census_year"], errors="coerce")
    table["note"] = table["note"].astype(object).where(table["note"] != "", None)
    return _order(table[list(_POP_COLUMNS)])


def questionnaire_rates(
    totals: pd.DataFrame, *, population: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Add ``population`` and ``per_100k`` (value per 100,000 inhabitants) to the totals.

    Parameters
    ----------
    totals
        jurisdiction, year, indicator, value (:meth:`QuestionnaireReadResult.totals`).
    population
        :func:`load_population` (default: the bundled table).
    """
    pop = (population if population is not None else load_population()).set_index("jurisdiction")
    out = totals[["jurisdiction", "year", "indicator", "value"]].copy()
    out["population"] = out["jurisdiction"].map(pop["population"]).astype("float64")
    out["per_100k"] = (out["value"] / out["population"] * 100_000).round(2)
    return out.reset_index(drop=True)


def comparison_table(
    totals: pd.DataFrame, indicator: str, *, population: pd.DataFrame | None = None
) -> pd.DataFrame:
    """One indicator across the jurisdictions: a row per jurisdiction, a column per year.

    The last column ``per_100k_<year>`` is the rate of the latest year. Jurisdictions without
    a value are left out; years a jurisdiction did not report are empty.

    >>> import pandas as pd
    >>> t = pd.DataFrame({"jurisdiction": ["RS", "ME", "ME"], "year": [2023, 2022, 2023],
    ...                   "indicator": ["cases"] * 3, "value": [66.9, 6.0, 12.0]})
    >>> comparison_table(t, "cases").columns.tolist()
    ['jurisdiction', 'name', '2022', '2023', 'per_100k_2023']
    """
    block = totals[totals["indicator"] == indicator]
    years = sorted({int(y) for y in block["year"]})
    cols = ["jurisdiction", "name", *(str(y) for y in years)]
    if block.empty:
        return pd.DataFrame(columns=cols)
    wide = block.pivot_table(
        index="jurisdiction", columns="year", values="value", aggfunc="sum"
    ).reindex(columns=years)
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    wide.insert(1, "name", wide["jurisdiction"].map(display_name))
    latest = str(years[-1])
    rates = questionnaire_rates(block[block["year"] == years[-1]], population=population).set_index(
        "jurisdiction"
    )["per_100k"]
    wide[f"per_100k_{latest}"] = wide["jurisdiction"].map(rates)
    return _order(whole_cells(wide, [str(y) for y in years]))


def jurisdiction_table(accepted: pd.DataFrame, jurisdiction: str) -> pd.DataFrame:
    """One jurisdiction's counts: a row per indicator and category, a column per year.

    Routes are left out (see :func:`reported_routes`); the ``total`` row of an indicator comes
    first, then its categories. Values of a named breakdown (read through a mapping) have
    their own rows after the indicator's, with the breakdown named (column ``breakdown``).
    """
    block = accepted[
        (accepted["jurisdiction"] == jurisdiction) & (accepted["indicator"] != ROUTE_INDICATOR)
    ]
    named = "breakdown" in block and block["breakdown"].notna().any()
    index = ["indicator", "breakdown", "category"] if named else ["indicator", "category"]
    years = sorted({int(y) for y in block["year"]})
    if block.empty:
        return pd.DataFrame(columns=["indicator", "category"])
    if named:
        block = block.assign(breakdown=block["breakdown"].fillna(""))
    wide = block.pivot_table(index=index, columns="year", values="value", aggfunc="sum").reindex(
        columns=years
    )
    wide.columns = [str(c) for c in wide.columns]
    wide = wide.reset_index()
    ind_rank = {name: i for i, name in enumerate(INDICATORS)}
    wide["_i"] = wide["indicator"].map(ind_rank)
    wide["_c"] = (wide["category"] != TOTAL).astype(int)
    order = ["_i", "breakdown", "_c", "category"] if named else ["_i", "_c", "category"]
    wide = wide.sort_values(order, kind="stable").drop(columns=["_i", "_c"])
    return whole_cells(wide.reset_index(drop=True), [str(y) for y in years])


def weapon_type_table(accepted: pd.DataFrame, *, indicator: str = "seized_weapons") -> pd.DataFrame:
    """The weapon types of one indicator per jurisdiction and year (named breakdowns apart).

    Returns
    -------
    pandas.DataFrame
        jurisdiction, name, year, one column per weapon category (in the vocabulary's order),
        categories_sum and total (the published total, empty when none); the six first, then
        the context jurisdictions.
    """
    rows = main_rows(accepted[accepted["indicator"] == indicator])
    parts = rows[rows["category"] != TOTAL]
    if parts.empty:
        return pd.DataFrame(columns=["jurisdiction", "name", "year"])
    wide = parts.pivot_table(
        index=["jurisdiction", "year"], columns="category", values="value", aggfunc="sum"
    )
    vocab = {c: i for i, c in enumerate(VOCABULARIES["category"])}
    cats = sorted(wide.columns, key=lambda c: (vocab.get(c, len(vocab)), str(c)))
    wide = wide[cats]
    wide["categories_sum"] = wide.sum(axis=1)
    totals = rows[rows["category"] == TOTAL].set_index(["jurisdiction", "year"])["value"]
    wide["total"] = [totals.get(k) for k in wide.index]
    wide = wide.reset_index()
    wide.insert(1, "name", wide["jurisdiction"].map(display_name))
    wide["year"] = wide["year"].astype(int)
    wide.columns = [str(c) for c in wide.columns]
    return _order(whole_cells(wide, [*map(str, cats), "categories_sum", "total"]), "year")


def converted_share_table(totals: pd.DataFrame) -> pd.DataFrame:
    """The share of converted (or reactivated) weapons among the weapons seized.

    Returns
    -------
    pandas.DataFrame
        jurisdiction, name, year, converted_weapons, seized_weapons, converted_pct; only the
        jurisdiction-years that give both; the six first, then the context jurisdictions.
    """
    cols = ["jurisdiction", "name", "year", "converted_weapons", "seized_weapons", "converted_pct"]
    block = totals[totals["indicator"].isin(["converted_weapons", "seized_weapons"])]
    if block.empty:
        return pd.DataFrame(columns=cols)
    wide = block.pivot_table(
        index=["jurisdiction", "year"], columns="indicator", values="value", aggfunc="sum"
    )
    if "converted_weapons" not in wide or "seized_weapons" not in wide:
        return pd.DataFrame(columns=cols)
    wide = wide.dropna(subset=["converted_weapons", "seized_weapons"]).reset_index()
    wide.columns.name = None
    wide["converted_pct"] = _pct(wide["converted_weapons"], wide["seized_weapons"])
    wide.insert(1, "name", wide["jurisdiction"].map(display_name))
    wide["year"] = wide["year"].astype(int)
    wide = whole_cells(wide, ["converted_weapons", "seized_weapons"])
    return _order(pd.DataFrame(wide[cols]), "year")


def reported_routes(accepted: pd.DataFrame) -> pd.DataFrame:
    """The reported routes, summed over years: from, via, to, seizures, reported_by, years."""
    cols = ["from", "via", "to", "seizures", "reported_by", "years"]
    rows = accepted[accepted["indicator"] == ROUTE_INDICATOR].copy()
    if rows.empty:
        return pd.DataFrame(columns=cols)
    rows["via"] = rows["via"].fillna("")
    out = []
    for (a, via, b), block in rows.groupby(["from", "via", "to"], sort=False):
        years = sorted({int(y) for y in block["year"]})
        reporters = [c for c in WESTERN_BALKANS if c in set(block["jurisdiction"])]
        out.append(
            {
                "from": a,
                "via": via,
                "to": b,
                "seizures": int(block["value"].sum()),
                "reported_by": ", ".join(reporters),
                "years": f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0]),
            }
        )
    table = pd.DataFrame(out, columns=cols)
    return table.sort_values(
        ["seizures", "from", "to", "via"], ascending=[False, True, True, True], kind="stable"
    ).reset_index(drop=True)


def route_flows(
    routes_table: pd.DataFrame,
    graph: nx.MultiDiGraph | None = None,
    *,
    profile: str = "least_time",
) -> gpd.GeoDataFrame:
    """Route every reported route country to country on the network (best path only).

    Parameters
    ----------
    routes_table
        :func:`reported_routes`.
    graph
        The network (:func:`routes.load_network` when None).
    profile
        Routing cost profile.

    Returns
    -------
    geopandas.GeoDataFrame
        The table's columns plus ``length_km``, ``crossings`` (the crossing ids passed, ``|``
        separated), ``routed`` and ``reason`` (why a route could not be drawn); geometry in
        EPSG:4326 (None when not routed).
    """
    import geopandas as gpd

    from routes.routing import route_between

    if graph is None and len(routes_table):
        from routes.network import load_network

        graph = load_network()
    records: list[dict[str, Any]] = []
    for raw in routes_table.to_dict("records"):
        rec = {str(k): v for k, v in raw.items()}
        via = [v for v in str(rec.get("via") or "").split("|") if v]
        row: dict[str, Any] = {**rec, "length_km": None, "crossings": None}
        row.update(routed=False, reason=None)
        try:
            alt = route_between(
                str(rec["from"]), str(rec["to"]), graph, via=via, profile=profile, k=1
            )
        except ValidationError as exc:
            row["reason"] = "; ".join(p.message for p in exc.problems)[:300]
            row["geometry"] = None
            records.append(row)
            continue
        best = alt.iloc[0]
        crossings = best.get("crossings")
        row.update(
            length_km=round(float(best["length_m"]) / 1000.0, 1),
            crossings="|".join(map(str, crossings))
            if isinstance(crossings, (list, tuple))
            else crossings,
            routed=True,
            geometry=best.geometry,
        )
        records.append(row)
    cols = [*routes_table.columns, "length_km", "crossings", "routed", "reason"]
    frame = pd.DataFrame(records, columns=[*cols, "geometry"])
    return gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")


def coverage_table(totals: pd.DataFrame, incidents: pd.DataFrame) -> pd.DataFrame:
    """Incident records against the questionnaire, per jurisdiction and year.

    Only years inside the incidents' date range, and jurisdiction-years the questionnaire gives
    ``seized_weapons`` or ``cases`` for.

    Returns
    -------
    pandas.DataFrame
        jurisdiction, year, incident_seizures (seizure records), incident_firearms (their
        quantity in :data:`FIREARM_CATEGORIES`), questionnaire_cases,
        questionnaire_seized_weapons, cases_coverage_pct, firearms_coverage_pct (incidents as
        a share of the questionnaire total; above 100 means the incident file holds more than
        the questionnaire reports).
    """
    cols = [
        "jurisdiction",
        "year",
        "incident_seizures",
        "incident_firearms",
        "questionnaire_cases",
        "questionnaire_seized_weapons",
        "cases_coverage_pct",
        "firearms_coverage_pct",
    ]
    dates = pd.to_datetime(incidents["date"], errors="coerce")
    inc = pd.DataFrame(
        {
            "jurisdiction": incidents["jurisdiction"].astype(object).to_numpy(),
            "year": dates.dt.year.to_numpy(),
            "event": incidents["event"].astype(object).to_numpy()
            if "event" in incidents.columns
            else "seizure",
            "category": incidents["category"].astype(object).to_numpy()
            if "category" in incidents.columns
            else None,
            "quantity": (
                pd.to_numeric(incidents["quantity"], errors="coerce").fillna(1).to_numpy()
                if "quantity" in incidents.columns
                else 1.0
            ),
        }
    ).dropna(subset=["year"])
    if inc.empty:
        return pd.DataFrame(columns=cols)
    inc["year"] = inc["year"].astype(int)
    lo, hi = int(inc["year"].min()), int(inc["year"].max())
    seized = inc[inc["event"] == "seizure"]
    n_seizures = seized.groupby(["jurisdiction", "year"]).size()
    firearms = (
        seized[seized["category"].isin(FIREARM_CATEGORIES)]
        .groupby(["jurisdiction", "year"])["quantity"]
        .sum()
    )
    q = totals[totals["indicator"].isin(["cases", "seized_weapons"])]
    q = q[(q["year"] >= lo) & (q["year"] <= hi)]
    if q.empty:
        return pd.DataFrame(columns=cols)
    wide = q.pivot_table(
        index=["jurisdiction", "year"], columns="indicator", values="value", aggfunc="sum"
    )
    out = pd.DataFrame(index=wide.index)
    out["incident_seizures"] = [int(n_seizures.get(k, 0)) for k in wide.index]
    out["incident_firearms"] = [int(firearms.get(k, 0)) for k in wide.index]
    out["questionnaire_cases"] = wide.get("cases")
    out["questionnaire_seized_weapons"] = wide.get("seized_weapons")
    out["cases_coverage_pct"] = _pct(out["incident_seizures"], out["questionnaire_cases"])
    out["firearms_coverage_pct"] = _pct(
        out["incident_firearms"], out["questionnaire_seized_weapons"]
    )
    out = out.reset_index()
    out["year"] = out["year"].astype(int)
    out = whole_cells(out, ["questionnaire_cases", "questionnaire_seized_weapons"])
    return _order(out[cols], "year")


def _pct(part: pd.Series, whole: pd.Series | None) -> pd.Series:
    if whole is None:
        return pd.Series([None] * len(part), index=part.index, dtype="float64")
    whole = whole.astype("float64")
    pct = part.astype("float64") / whole.where(whole > 0) * 100
    return pct.round(1)
