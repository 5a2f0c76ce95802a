"""The questionnaire format: columns, indicators, categories and the checks, defined once.

A Firearms Focal Point's annual questionnaire (the statistical part of a threat assessment, in
the manner of the UNODC Illicit Arms Flows Questionnaire) is read as a **long table**, one value
a row::

    jurisdiction, year, indicator, category, value[, from, via, to][, source, notes]

``category`` is ``total`` (also when empty) or a weapon category of the incident vocabulary
(:data:`routes.VOCABULARIES` ``["category"]``, with its synonyms in the region's languages);
``from``/``via``/``to`` (countries of departure, transit and destination) are given only for the
``reported_route`` indicator. The **wide workbook** (one sheet per jurisdiction, indicators as
rows, years as columns; the bundled template) holds the same records. Everything the
documentation says about the format is rendered from these objects by
:func:`questionnaire_markdown` at every build of the site (``docs/questionnaire.md``).

>>> INDICATORS["seized_explosives_kg"].whole
False
>>> indicator_name("Firearms seized"), indicator_name("seized-weapons")
('seized_weapons', 'seized_weapons')
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from routes._constants import WESTERN_BALKANS, display_name
from routes.schema import VOCABULARIES

__all__ = [
    "INCONSISTENCY_KINDS",
    "INDICATORS",
    "QUESTIONNAIRE_CATEGORIES",
    "QUESTIONNAIRE_COLUMNS",
    "QUESTIONNAIRE_REASONS",
    "ROUTE_INDICATOR",
    "TOTAL",
    "Indicator",
    "QuestionnaireColumn",
    "column_name",
    "indicator_name",
    "questionnaire_markdown",
]

#: The category of a row that gives the indicator's total.
TOTAL = "total"
#: The one indicator whose rows carry ``from``/``via``/``to``.
ROUTE_INDICATOR = "reported_route"
#: Allowed categories: ``total`` plus the incident vocabulary's weapon categories.
QUESTIONNAIRE_CATEGORIES: tuple[str, ...] = (TOTAL, *VOCABULARIES["category"])


@dataclass(frozen=True)
class QuestionnaireColumn:
    """One column of the long questionnaire table.

    Parameters
    ----------
    name
        Canonical column name.
    required
        Whether every row must give a value (``from``/``to``: only ``reported_route`` rows).
    input_format
        Accepted input forms (shown in the documentation).
    description
        What the column holds.
    synonyms
        Other header names read as this column (any case, spaces or underscores).
    """

    name: str
    required: str
    input_format: str
    description: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    """One indicator (what is counted).

    Parameters
    ----------
    name
        Canonical name.
    unit
        Unit of ``value``.
    whole
        Whether ``value`` must be a whole number (everything but kilograms).
    description
        What is counted.
    synonyms
        Other names read as this indicator.
    """

    name: str
    unit: str
    whole: bool
    description: str
    synonyms: tuple[str, ...] = ()


QUESTIONNAIRE_COLUMNS: tuple[QuestionnaireColumn, ...] = (
    QuestionnaireColumn(
        "jurisdiction",
        "yes",
        "ISO code or name in any of the region's languages (`AL`, `BiH`, `Kosova`, `Србија`)",
        "The reporting jurisdiction: one of the six (Kosovo\\* is `XK`).",
        ("country", "drzava", "država", "shteti", "vendi", "држава"),
    ),
    QuestionnaireColumn(
        "year",
        "yes",
        "whole number, 1990 to the current year (`2023`, `2023.0`)",
        "The reporting year.",
        ("godina", "viti", "година"),
    ),
    QuestionnaireColumn(
        "indicator",
        "yes",
        "an indicator name below (or a listed synonym)",
        "What is counted.",
        ("indikator", "treguesi", "индикатор", "measure"),
    ),
    QuestionnaireColumn(
        "category",
        "",
        "`total` (also when empty) or a weapon category of the incident vocabulary "
        "(synonyms as for incidents: `pištolj`, `kallashnikov`)",
        "Which part of the indicator the value counts.",
        ("kategorija", "kategoria", "категорија", "type", "weapon_type"),
    ),
    QuestionnaireColumn(
        "value",
        "yes",
        "number >= 0: whole for counts (`1 234`, `1,234`, `1.234` as thousands), decimal "
        "for kilograms (`12.5`, `12,5`)",
        "The count (or kilograms) reported.",
        ("count", "number", "broj", "vrijednost", "vrednost", "vlera", "numri", "број"),
    ),
    QuestionnaireColumn(
        "from",
        "`reported_route`",
        "ISO code or country name",
        "Country of departure of the reported route.",
        ("origin", "departure", "country_of_departure", "polaziste", "polazište", "nga"),
    ),
    QuestionnaireColumn(
        "via",
        "",
        "country codes or names separated by `|`, `;`, `>` or `→`",
        "Countries of transit of the reported route, in order.",
        ("transit", "tranzit", "countries_of_transit"),
    ),
    QuestionnaireColumn(
        "to",
        "`reported_route`",
        "ISO code or country name",
        "Country of destination of the reported route.",
        ("destination", "odrediste", "odredište", "destinacioni", "country_of_destination"),
    ),
    QuestionnaireColumn("source", "", "text", "Who reported the value (kept as text).", ()),
    QuestionnaireColumn("notes", "", "text", "Free text (kept as text).", ("note", "comment")),
)

#: The questionnaire's indicators (name -> unit, what it counts, synonyms).
INDICATORS: dict[str, Indicator] = {
    i.name: i
    for i in (
        Indicator(
            "seized_weapons",
            "weapons",
            True,
            "Firearms seized by police, border police and customs; categories split them by "
            "weapon type.",
            ("weapons seized", "firearms seized", "seized firearms", "zaplijenjeno oruzje"),
        ),
        Indicator(
            "found_weapons",
            "weapons",
            True,
            "Firearms found (caches, abandoned weapons) without a seizure from a person.",
            ("weapons found", "firearms found", "pronadjeno oruzje"),
        ),
        Indicator(
            "surrendered_weapons",
            "weapons",
            True,
            "Firearms handed over voluntarily (amnesties, collection campaigns).",
            (
                "weapons surrendered",
                "firearms surrendered",
                "predato oruzje",
                "voluntary surrender",
            ),
        ),
        Indicator(
            "converted_weapons",
            "weapons",
            True,
            "Seized firearms converted or reactivated from blank-firing, gas, alarm or "
            "deactivated weapons (also counted in `seized_weapons`).",
            ("converted firearms", "converted", "reactivated weapons"),
        ),
        Indicator(
            "blank_firing_weapons",
            "weapons",
            True,
            "Seized blank-firing, gas, alarm and signal weapons not (yet) converted.",
            ("blank firing", "alarm weapons", "gas pistols"),
        ),
        Indicator(
            "seized_ammunition_rounds",
            "rounds",
            True,
            "Rounds of ammunition seized.",
            ("ammunition", "ammunition seized", "rounds", "municija"),
        ),
        Indicator(
            "seized_explosives_kg",
            "kg",
            False,
            "Explosives seized, in kilograms.",
            ("explosives", "explosives kg", "explosives seized", "eksploziv"),
        ),
        Indicator(
            "seized_hand_grenades",
            "items",
            True,
            "Hand grenades seized.",
            ("hand grenades", "grenades", "grenades seized", "rucne bombe"),
        ),
        Indicator(
            "cases",
            "cases",
            True,
            "Criminal cases opened for illicit possession of or trafficking in weapons.",
            ("criminal cases", "investigations", "predmeti", "slucajevi"),
        ),
        Indicator(
            "persons",
            "persons",
            True,
            "Persons arrested or charged in those cases.",
            ("persons arrested", "persons charged", "suspects", "osobe", "lica"),
        ),
        Indicator(
            ROUTE_INDICATOR,
            "seizures",
            True,
            "Seizures reported on a route: country of departure (`from`), transit (`via`) and "
            "destination (`to`), as the questionnaire's trafficking-route section asks.",
            ("route", "routes", "reported routes", "trafficking route", "ruta"),
        ),
    )
}

#: Rejection reasons (key -> meaning) of :func:`routes.read_questionnaire`.
QUESTIONNAIRE_REASONS: dict[str, str] = {
    "empty_row": "every field of the row is empty",
    "missing_field": "a required field (`jurisdiction`, `year`, `indicator`, `value`) is empty",
    "unknown_jurisdiction": "the jurisdiction is not one of the six (a name or code not known)",
    "invalid_year": "the year is not a whole number from 1990 to the current year",
    "unknown_indicator": "the indicator is not one of the indicators above",
    "unknown_category": "the category is neither `total` nor a weapon category",
    "negative_value": "the value is below zero",
    "invalid_value": "the value is not a number, or not a whole number for a count",
    "invalid_route": "`reported_route` without `from` or `to`, an unknown country in "
    "`from`/`via`/`to`, or route columns on another indicator",
    "duplicate": "the same jurisdiction, year, indicator, category (and route) as an earlier row",
}

#: Consistency checks run on the accepted rows (kind -> what is reported).
INCONSISTENCY_KINDS: dict[str, str] = {
    "total_mismatch": "the `total` of a jurisdiction, year and indicator differs from the sum "
    "of its categories",
    "missing_year": "a jurisdiction reports an indicator for some years but not for a year "
    "that another jurisdiction reports",
    "jump": "the total changes more than tenfold from one year to the next (counted from 1 "
    "when the smaller year is 0)",
}


def _key(text: object) -> str:
    """Matching key: casefolded, no diacritics, punctuation and underscores as spaces."""
    value = unicodedata.normalize("NFKD", str(text).casefold())
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    value = value.replace("đ", "dj")
    return re.sub(r"[\W_]+", " ", value).strip()


_COLUMN_KEYS: dict[str, str] = {
    _key(s): c.name for c in QUESTIONNAIRE_COLUMNS for s in (c.name, *c.synonyms)
}
_INDICATOR_KEYS: dict[str, str] = {
    _key(s): i.name for i in INDICATORS.values() for s in (i.name, *i.synonyms)
}


def column_name(header: object) -> str | None:
    """The canonical column a header names, or None.

    >>> column_name("Država"), column_name(" Year "), column_name("weight")
    ('jurisdiction', 'year', None)
    """
    return _COLUMN_KEYS.get(_key(header))


def indicator_name(text: object) -> str | None:
    """The canonical indicator a name (or synonym) stands for, or None."""
    return _INDICATOR_KEYS.get(_key(text))


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def questionnaire_markdown() -> str:
    """Render the format as the Markdown tables of the documentation.

    Five tables: the columns, the indicators, the categories, the rejection reasons and the
    consistency checks.
    """
    lines = ["| column | required | input | meaning |", "|---|---|---|---|"]
    for c in QUESTIONNAIRE_COLUMNS:
        syn = f" Also read from: {', '.join(f'`{s}`' for s in c.synonyms)}." if c.synonyms else ""
        lines.append(
            f"| `{c.name}` | {c.required} | {_md(c.input_format)} | {_md(c.description)}{syn} |"
        )
    lines += ["", "| indicator | unit | counts | also read from |", "|---|---|---|---|"]
    for i in INDICATORS.values():
        syn = ", ".join(f"`{s}`" for s in i.synonyms)
        lines.append(f"| `{i.name}` | {i.unit} | {_md(i.description)} | {syn} |")
    lines += ["", "| column | values |", "|---|---|"]
    lines.append(f"| `category` | {', '.join(f'`{v}`' for v in QUESTIONNAIRE_CATEGORIES)} |")
    names = ", ".join(f"`{c}` ({display_name(c)})" for c in WESTERN_BALKANS)
    lines.append(f"| `jurisdiction` | {names} |")
    lines += ["", "| rejection reason | when |", "|---|---|"]
    lines += [f"| `{k}` | {_md(v)} |" for k, v in QUESTIONNAIRE_REASONS.items()]
    lines += ["", "| inconsistency | when |", "|---|---|"]
    lines += [f"| `{k}` | {_md(v)} |" for k, v in INCONSISTENCY_KINDS.items()]
    return "\n".join(lines) + "\n"
