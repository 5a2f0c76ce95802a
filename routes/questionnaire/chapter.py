"""The questionnaire chapter of the annex, as data: tables, figures, the choropleth, notes.

:func:`questionnaire_chapter` gathers everything the annex shows about a questionnaire: the
input check (values read, accepted, rejected; the inconsistencies), the comparison tables and
rates, one table per jurisdiction, the reported routes and their flows on the network, the
coverage of the incident records, the trend charts, the reported-routes map and the choropleth.
With ``min_count`` (sharing-safe outputs) the small-count rule of the report applies: counts
from 1 to ``min_count - 1`` are shown as ``"<K"`` (with the rates and percentages they would
reveal), a single hidden category of a published total hides the next smallest one
(:func:`routes.suppress_small_counts`), routes with fewer seizures are left out and the
inconsistencies are listed without their numbers. Rendering (HTML, files) is the report's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from routes._constants import WESTERN_BALKANS, display_name
from routes.questionnaire.compare import (
    comparison_table,
    converted_share_table,
    coverage_table,
    jurisdiction_table,
    questionnaire_rates,
    reported_routes,
    route_flows,
    weapon_type_table,
    whole_cells,
)
from routes.questionnaire.format import INCONSISTENCY_KINDS, INDICATORS, ROUTE_INDICATOR, TOTAL
from routes.questionnaire.read import QuestionnaireReadResult

if TYPE_CHECKING:
    import folium
    import networkx as nx
    from matplotlib.figure import Figure

__all__ = ["QuestionnaireChapter", "questionnaire_chapter"]

#: Indicators that get a trend chart and a rate chart when the questionnaire gives them.
TREND_INDICATORS: tuple[str, ...] = ("seized_weapons", "cases")
#: What the annex says about figures of UNODC's Illicit Arms Flows Questionnaire.
IAFQ_NOTE = (
    "The figures of UNODC's Illicit Arms Flows Questionnaire (IAFQ) are reported by national "
    "authorities (with UNODC's other sources where the row says so: SOF, UNODA); which "
    "jurisdictions report, and which indicators and breakdowns, differs from year to year, so "
    "a year without a value means 'not reported', not zero, and totals of different "
    "jurisdictions or years are not comparable as trends without that caveat. A published "
    "total is shown as published; where its parts do not add up to it, the difference is "
    "listed as an inconsistency, not corrected. Source: UNODC, Illicit Arms Flows "
    "Questionnaire (IAFQ), dataUNODC."
)


@dataclass
class QuestionnaireChapter:
    """Everything the annex shows about one questionnaire.

    Attributes
    ----------
    check_lines
        The input check, one line each (values read, accepted, rejected by reason).
    inconsistencies
        kind, jurisdiction (display name), year, indicator, what.
    tables
        Name -> table, in page order (suppressed when ``min_count`` was given):
        ``compare_<indicator>``, ``rates``, ``jurisdiction_<code>``, ``routes``, ``coverage``.
    titles
        Name -> heading of each table.
    figures
        ``(file stem, caption, figure)`` of the charts and the reported-routes map.
    choropleth
        The offline map of the chosen indicator's rate (None when it is not given).
    notes
        What the reader should know (the census years behind the rates, suppression, ...).
    """

    check_lines: list[str]
    inconsistencies: pd.DataFrame
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    figures: list[tuple[str, str, Figure]] = field(default_factory=list)
    choropleth: folium.Map | None = None
    notes: list[str] = field(default_factory=list)


def _hidden(values: pd.Series, k: int | None) -> np.ndarray:
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    if k is None:
        return np.zeros(len(v), dtype=bool)
    return (v > 0) & (v < k)


def _label(table: pd.DataFrame, column: str, mask: np.ndarray, k: int) -> None:
    table[column] = table[column].astype(object)
    table.loc[mask, column] = f"<{k}"


def _suppress_comparison(table: pd.DataFrame, k: int | None) -> pd.DataFrame:
    """Jurisdiction x year: no total across them is published, so primary suppression only."""
    if k is None or table.empty:
        return table
    out = table.copy()
    years = [c for c in out.columns if c.isdigit()]
    rate = [c for c in out.columns if c.startswith("per_100k_")]
    for y in years:
        mask = _hidden(table[y], k)
        _label(out, y, mask, k)
        for r in rate:
            if r.endswith(y):
                _label(out, r, mask, k)
    return out


def _suppress_jurisdiction(table: pd.DataFrame, k: int | None) -> pd.DataFrame:
    """Indicator/category x year: the categories of a published total form a block."""
    if k is None or table.empty:
        return table
    from routes.analysis import suppress_small_counts

    out = table.copy()
    head = table["indicator"]
    if "breakdown" in table:
        head = head + "|" + table["breakdown"].fillna("").astype(str)
    block = np.where(table["category"] == TOTAL, head + "|total", head)
    for y in [c for c in table.columns if c.isdigit()]:
        long = pd.DataFrame({"block": block, "value": table[y].to_numpy(dtype=float)})
        shown = suppress_small_counts(
            long, min_count=k, key="value", group="block", total=None, dependent=()
        )
        out[y] = shown["value"].to_numpy()
    return whole_cells(out, [c for c in table.columns if c.isdigit()])


def _suppress_coverage(table: pd.DataFrame, k: int | None) -> pd.DataFrame:
    if k is None or table.empty:
        return table
    out = table.copy()
    pairs = [
        ("incident_seizures", "questionnaire_cases", "cases_coverage_pct"),
        ("incident_firearms", "questionnaire_seized_weapons", "firearms_coverage_pct"),
    ]
    for a, b, pct in pairs:
        ma, mb = _hidden(table[a], k), _hidden(table[b], k)
        _label(out, a, ma, k)
        _label(out, b, mb, k)
        _label(out, pct, ma | mb, k)
    return out


def _inconsistency_table(q: QuestionnaireReadResult, *, share_safe: bool) -> pd.DataFrame:
    rows = [
        {
            "kind": i.kind,
            "jurisdiction": display_name(i.jurisdiction),
            "year": i.year,
            "indicator": i.indicator,
            "what": INCONSISTENCY_KINDS[i.kind].replace("`", "") if share_safe else i.what,
        }
        for i in q.inconsistencies
    ]
    return pd.DataFrame(rows, columns=["kind", "jurisdiction", "year", "indicator", "what"])


def _check_lines(q: QuestionnaireReadResult) -> list[str]:
    lines = [
        f"Questionnaire input: {q.rows_read:,} values read, {len(q.accepted):,} accepted, "
        f"{q.rows_rejected:,} rejected"
        + (
            " (" + ", ".join(f"{n} × {r}" for r, n in q.reason_counts().items()) + ")"
            if q.rows_rejected
            else ""
        )
        + "; rejected values are in no table or chart of this chapter.",
        f"{len(q.inconsistencies):,} inconsistenc{'y' if len(q.inconsistencies) == 1 else 'ies'} "
        "found (listed below): the values are shown as reported.",
    ]
    if len(q.accepted):
        years = sorted({int(y) for y in q.accepted["year"]})
        codes = [c for c in WESTERN_BALKANS if c in set(q.accepted["jurisdiction"])]
        lines.append(
            f"Reporting jurisdictions: {', '.join(display_name(c) for c in codes)}; "
            f"years {years[0]}–{years[-1]}."
        )
        context = q.context_jurisdictions()
        if context:
            lines.append(
                f"Context jurisdictions (neighbours, shown apart from the six): "
                f"{', '.join(display_name(c) for c in context)}."
            )
    by_row = q.rejected_by_reason()
    if by_row:
        lines.append(
            "Rejected rows by reason: " + ", ".join(f"{r} {n:,}" for r, n in by_row.items()) + "."
        )
    if q.mapping:
        lines.append(f"Read through the questionnaire mapping {q.mapping!r}.")
    return lines


def _choropleth(
    totals: pd.DataFrame,
    indicator: str,
    population: pd.DataFrame | None,
    *,
    k: int | None,
    marking: str | None,
    source: str | None,
) -> folium.Map | None:
    from routes.maps import choropleth_map

    block = totals[totals["indicator"] == indicator]
    if block.empty:
        return None
    year = int(block["year"].max())
    rates = questionnaire_rates(block[block["year"] == year], population=population)
    mask = _hidden(rates["value"], k)
    values = pd.DataFrame(
        {
            "jurisdiction": rates["jurisdiction"],
            "value": rates["per_100k"].where(~mask, None),
            "label": [f"<{k}" if m else None for m in mask],
        }
    )
    details = {
        str(r["jurisdiction"]): [
            (f"{indicator.replace('_', ' ')} {year}", f"<{k}" if m else f"{r['value']:,.0f}"),
            ("population (census)", f"{r['population']:,.0f}"),
        ]
        for r, m in zip(rates.to_dict("records"), mask, strict=True)
    }
    unit = INDICATORS[indicator].unit
    return choropleth_map(
        values,
        title=f"{indicator.replace('_', ' ').capitalize()} per 100,000 inhabitants, {year}",
        subtitle="As reported in the questionnaires; population: latest census",
        unit="per 100,000 inhabitants",
        legend_title=f"{unit} per 100,000",
        source=source,
        marking=marking,
        details=details,
        height="100%",
        decimals=4 if k is None else 3,
    )


def questionnaire_chapter(
    questionnaire: QuestionnaireReadResult,
    *,
    incidents: pd.DataFrame | None = None,
    graph: nx.MultiDiGraph | None = None,
    population: pd.DataFrame | None = None,
    indicator: str = "seized_weapons",
    min_count: int | None = None,
    marking: str | None = None,
    sources: str | None = None,
    profile: str = "least_time",
) -> QuestionnaireChapter:
    """Build the questionnaire chapter (tables, figures, choropleth) for the annex.

    Parameters
    ----------
    questionnaire
        :func:`routes.read_questionnaire`.
    incidents
        The report's incidents, for the coverage table (left out when None).
    graph
        The network the reported routes are drawn on (:func:`routes.load_network` when None).
    population
        :func:`routes.questionnaire.load_population` (default: the bundled table).
    indicator
        The indicator of the choropleth (falls back to the first one given).
    min_count
        Sharing-safe outputs: the small-count threshold (None: nothing suppressed).
    marking, sources
        Handling marking and sources line of the figures and the map.
    profile
        Routing profile of the reported routes.
    """
    from routes.questionnaire.charts import reported_routes_map
    from routes.questionnaire.compare import load_population

    pop = population if population is not None else load_population()
    q = questionnaire
    k = min_count if min_count and min_count > 1 else None
    all_totals = q.totals()
    context = q.context_jurisdictions()
    totals = all_totals[all_totals["jurisdiction"].isin(WESTERN_BALKANS)]
    chapter = QuestionnaireChapter(
        check_lines=_check_lines(q),
        inconsistencies=_inconsistency_table(q, share_safe=k is not None),
    )
    given = [i for i in INDICATORS if i != ROUTE_INDICATOR and i in set(totals["indicator"])]
    for ind in given:
        name = f"compare_{ind}"
        chapter.tables[name] = _suppress_comparison(
            comparison_table(totals, ind, population=pop), k
        )
        chapter.titles[name] = f"{ind.replace('_', ' ').capitalize()} ({INDICATORS[ind].unit})"
    if given:
        rates = questionnaire_rates(totals[totals["indicator"].isin(given)], population=pop)
        rates = whole_cells(rates.drop(columns=["population"]), ["value"])
        rates.insert(1, "name", rates["jurisdiction"].map(display_name))
        if k is not None:
            mask = _hidden(rates["value"], k)
            _label(rates, "value", mask, k)
            _label(rates, "per_100k", mask, k)
        chapter.tables["rates"] = rates
        chapter.titles["rates"] = "Every total per 100,000 inhabitants"
    for code in WESTERN_BALKANS:
        table = jurisdiction_table(q.accepted, code)
        if len(table):
            chapter.tables[f"jurisdiction_{code}"] = _suppress_jurisdiction(table, k)
            chapter.titles[f"jurisdiction_{code}"] = f"{display_name(code)}: every value reported"
    _context_tables(chapter, all_totals, context, k)
    _published_tables(chapter, q, all_totals, context, k, marking=marking, sources=sources)
    routes_table = reported_routes(q.accepted)
    if len(routes_table):
        flows = route_flows(routes_table, graph, profile=profile)
        shown = flows.drop(columns=["geometry"])
        if k is not None:
            small = shown["seizures"].astype(float) < k
            if small.any():
                chapter.notes.append(
                    f"Sharing-safe: {int(small.sum())} reported route(s) with fewer than {k} "
                    "seizures are left out of the routes table and map."
                )
            shown = shown[~small]
        chapter.tables["routes"] = pd.DataFrame(shown).reset_index(drop=True)
        chapter.titles["routes"] = "Reported routes (all years), routed country to country"
        chapter.figures.append(
            (
                "questionnaire_reported_routes",
                "Reported routes drawn on the network",
                reported_routes_map(flows, marking=marking, sources=sources, min_count=k),
            )
        )
    if incidents is not None and len(incidents) and len(totals):
        cov = coverage_table(totals, incidents)
        if len(cov):
            cov.insert(1, "name", cov["jurisdiction"].map(display_name))
            chapter.tables["coverage"] = _suppress_coverage(cov, k)
            chapter.titles["coverage"] = (
                "Coverage: incident records against the questionnaire totals"
            )
    _trend_figures(
        chapter,
        totals,
        all_totals,
        [i for i in TREND_INDICATORS if i in given],
        context,
        population=pop,
        k=k,
        marking=marking,
        sources=sources,
    )
    choice = indicator if indicator in given else (given[0] if given else None)
    if choice is not None:
        chapter.choropleth = _choropleth(
            totals, choice, pop, k=k, marking=marking, source="questionnaire returns"
        )
    years = ", ".join(
        f"{display_name(r['jurisdiction'])} {r['census_year']}" for r in pop.to_dict("records")
    )
    chapter.notes.insert(
        0,
        "Rates per 100,000 inhabitants divide by one census population per jurisdiction for "
        f"every year ({years}; sources in data/questionnaire/population.csv).",
    )
    if _is_iafq(q):
        chapter.notes.append(IAFQ_NOTE)
    if len(q.accepted) and q.accepted["breakdown"].notna().any():
        named = sorted({str(b) for b in q.accepted["breakdown"].dropna()})
        chapter.notes.append(
            "Named breakdowns of the published table are kept in the per-jurisdiction tables "
            f"({', '.join(named)}) and never added to a total."
        )
    if k is not None:
        chapter.notes.append(
            f"Sharing-safe: questionnaire counts below {k} are shown as '<{k}' (with the rates "
            "and percentages they would reveal); a single hidden category of a total hides the "
            "next smallest one; inconsistencies are listed without their numbers."
        )
    return chapter


def _suppress_types(table: pd.DataFrame, k: int | None) -> pd.DataFrame:
    """Weapon types: the types of a row form a block (a single hidden type hides the next)."""
    if k is None or table.empty:
        return table
    from routes.analysis import suppress_small_counts

    cats = [c for c in table.columns if c not in ("jurisdiction", "name", "year")]
    types = [c for c in cats if c not in ("categories_sum", "total")]
    out = table.copy()
    for i in range(len(table)):
        values = pd.to_numeric(table[types].iloc[i], errors="coerce")
        given = values.dropna()
        long = pd.DataFrame({"block": "row", "value": given.to_numpy(dtype=float)})
        shown = suppress_small_counts(
            long, min_count=k, key="value", group="block", total=None, dependent=()
        )
        for c, v in zip(given.index, shown["value"], strict=True):
            out[c] = out[c].astype(object)
            out.iat[i, list(out.columns).index(c)] = v
    for c in ("categories_sum", "total"):
        _label(out, c, _hidden(table[c], k), k)
    return whole_cells(out, types)


def _is_iafq(q: QuestionnaireReadResult) -> bool:
    if q.mapping == "unodc_iafq":
        return True
    sources: list[str] = [str(v) for v in q.accepted["source"].dropna()]
    return any("IAFQ" in v for v in sources)


def _context_tables(
    chapter: QuestionnaireChapter, totals: pd.DataFrame, context: list[str], k: int | None
) -> None:
    """The context jurisdictions' totals per indicator, apart from the six (no rates)."""
    block = totals[totals["jurisdiction"].isin(context)]
    for ind in [i for i in INDICATORS if i != ROUTE_INDICATOR and i in set(block["indicator"])]:
        table = comparison_table(block, ind)
        table = table.drop(columns=[c for c in table.columns if c.startswith("per_100k_")])
        name = f"context_{ind}"
        chapter.tables[name] = _suppress_comparison(table, k)
        chapter.titles[name] = (
            f"{ind.replace('_', ' ').capitalize()} ({INDICATORS[ind].unit}): context "
            "jurisdictions (neighbours)"
        )


def _published_tables(
    chapter: QuestionnaireChapter,
    q: QuestionnaireReadResult,
    totals: pd.DataFrame,
    context: list[str],
    k: int | None,
    *,
    marking: str | None = None,
    sources: str | None = None,
) -> None:
    """Weapon types and the share of converted weapons (six, then the context)."""
    types = weapon_type_table(q.accepted)
    if len(types):
        chapter.tables["weapon_types"] = _suppress_types(types, k)
        if k is None:
            from routes.questionnaire.charts import weapon_type_chart

            chapter.figures.append(
                (
                    "questionnaire_weapon_types",
                    "Weapons seized by type (shares per jurisdiction)",
                    weapon_type_chart(
                        types,
                        context=tuple(context),
                        marking=marking,
                        sources=sources,
                    ),
                )
            )
        chapter.titles["weapon_types"] = (
            "Seized weapons by weapon type, per jurisdiction and year (categories_sum: the sum "
            "of the types; total: the published total)"
        )
    share = converted_share_table(totals)
    if len(share):
        if k is not None:
            share = share.copy()
            small_c = _hidden(share["converted_weapons"], k)
            small_s = _hidden(share["seized_weapons"], k)
            _label(share, "converted_pct", small_c | small_s, k)
            _label(share, "converted_weapons", small_c, k)
            _label(share, "seized_weapons", small_s, k)
        chapter.tables["converted_share"] = share
        chapter.titles["converted_share"] = (
            "Converted or reactivated weapons as a share of the weapons seized (%)"
        )


def _trend_figures(
    chapter: QuestionnaireChapter,
    totals: pd.DataFrame,
    all_totals: pd.DataFrame,
    indicators: list[str],
    context: list[str],
    *,
    population: pd.DataFrame,
    k: int | None,
    marking: str | None,
    sources: str | None,
) -> None:
    """The trend charts of the six (per year, per 100,000) and of the context jurisdictions."""
    from routes.questionnaire.charts import questionnaire_trend_chart

    for ind in indicators:
        for per_100k in (False, True):
            stem = f"questionnaire_{ind}_{'per_100k' if per_100k else 'per_year'}"
            what = ind.replace("_", " ")
            caption = f"{what.capitalize()} {'per 100,000 inhabitants' if per_100k else 'per year'}"
            chart = questionnaire_trend_chart(
                totals,
                indicator=ind,
                per_100k=per_100k,
                population=population,
                marking=marking,
                sources=sources,
                min_count=k,
            )
            chapter.figures.append((stem, caption, chart))
    context_given = all_totals[
        all_totals["jurisdiction"].isin(context) & (all_totals["indicator"] == "seized_weapons")
    ]
    if len(context_given):
        chapter.figures.append(
            (
                "questionnaire_seized_weapons_context",
                "Seized weapons per year: context jurisdictions (neighbours)",
                questionnaire_trend_chart(
                    all_totals,
                    indicator="seized_weapons",
                    marking=marking,
                    sources=sources,
                    min_count=k,
                    jurisdictions=tuple(context),
                    title="Seized weapons per year: context jurisdictions",
                ),
            )
        )
