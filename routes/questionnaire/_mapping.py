"""Questionnaire mappings: how a published statistics table maps onto the project's indicators.

A questionnaire mapping is a TOML file in the form of the incident mappings
(``data/mappings/*.toml``, :func:`routes.load_mapping`): the source columns, value synonyms,
and a **lookup** from the source's indicator/dimension/category combinations to the project's
indicators, categories and named breakdowns::

    name = "UNODC IAFQ"
    kind = "questionnaire"              # marks a questionnaire mapping
    detect = ["Iso3_code", "Indicator", "Dimension", "VALUE"]   # recognised by these columns
    context = ["HR", "SI", "GR"]        # jurisdictions read as context (default: the neighbours)
    totals = ["Total"]                  # category/sex/age words meaning "all of them"
    na_values = ["", "na"]              # cells meaning "not given"

    [columns]                           # canonical name = source column
    jurisdiction = "Iso3_code"
    year = "Year"
    indicator = "Indicator"
    dimension = "Dimension"             # optional
    category = "Category"               # optional
    sex = "Sex"                         # optional: a split by sex becomes the category
    age = "Age"                         # optional: only totals are read
    value = "VALUE"
    source = "Source"                   # optional, kept as text

    [values.jurisdiction]               # value in the file = ISO code
    XKX = "XK"

    [values.category]                   # source category = weapon category
    "rifle (Inlcuding Carbine)" = "rifle"

    [[lookup]]                          # one rule per source combination
    indicator = "Arms seized"           # source indicator (required; a text or a list)
    dimension = "by condition"          # source dimension (absent: any; a text or a list)
    category = "Converted arms"         # source category (absent: any; a text or a list)
    to = "converted_weapons"            # project indicator (required)
    as = "converted"                    # project category (absent: see below)
    breakdown = "condition"             # named breakdown (absent: the indicator itself)

The most specific rule wins (indicator + dimension + category, indicator + category,
indicator + dimension, then indicator alone). Without ``as``, a category in ``totals`` is
``total``; a row of the indicator itself (no ``breakdown``) takes its weapon category from
``[values.category]`` (or the incident vocabulary's synonyms); a breakdown row keeps the source
category as a lower-case slug.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from routes._constants import NEIGHBOURS, WESTERN_BALKANS
from routes._errors import did_you_mean as _hint
from routes._errors import mapping_error as _bad
from routes._paths import data_dir, read_mapping_file
from routes.questionnaire.format import INDICATORS, TOTAL
from routes.questionnaire.format import _key as _plain_key

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = [
    "MAPPED_COLUMNS",
    "LookupRule",
    "QuestionnaireMapping",
    "detect_questionnaire_mapping",
    "load_questionnaire_mapping",
    "questionnaire_mappings",
    "slug",
]

#: Canonical columns a questionnaire mapping can name (``required`` first).
MAPPED_COLUMNS: tuple[str, ...] = (
    "jurisdiction",
    "year",
    "indicator",
    "value",
    "dimension",
    "category",
    "sex",
    "age",
    "source",
    "notes",
)
_REQUIRED = ("jurisdiction", "year", "indicator", "value")
_TOP_KEYS = (
    "name",
    "description",
    "kind",
    "detect",
    "context",
    "totals",
    "na_values",
    "columns",
    "values",
    "lookup",
)
_RULE_KEYS = ("indicator", "dimension", "category", "to", "as", "breakdown")
_SLUG = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8192)
def _cached_key(text: str) -> str:
    return _plain_key(text)


def _key(text: object) -> str:
    """The matching key of a text (casefolded, no diacritics; cached: cells repeat)."""
    return _cached_key(text if isinstance(text, str) else str(text))


def slug(text: object) -> str:
    """A lower-case name of a source text (``"Converted arms"`` -> ``"converted_arms"``).

    >>> slug("Not uniquely identifiable - Erased or altered marking")
    'not_uniquely_identifiable_erased_or_altered_marking'
    """
    return _SLUG.sub("_", _key(text)).strip("_") or "blank"


@dataclass(frozen=True)
class LookupRule:
    """One ``[[lookup]]`` rule: a source combination and what it becomes."""

    indicator: str
    dimension: str | None
    category: str | None
    to: str
    as_category: str | None = None
    breakdown: str | None = None


@dataclass(frozen=True)
class QuestionnaireMapping:
    """A parsed questionnaire mapping (see the module docstring for the file form)."""

    name: str | None = None
    description: str | None = None
    detect: tuple[str, ...] = ()
    context: tuple[str, ...] = NEIGHBOURS
    totals: tuple[str, ...] = ("Total",)
    na_values: tuple[str, ...] = ("",)
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    rules: tuple[LookupRule, ...] = ()
    path: str | None = None

    @cached_property
    def _keys(self) -> dict[str, Any]:
        index: dict[tuple[str, str | None, str | None], LookupRule] = {}
        for r in self.rules:
            key = (
                _key(r.indicator),
                None if r.dimension is None else _key(r.dimension),
                None if r.category is None else _key(r.category),
            )
            index[key] = r
        return {
            "totals": frozenset(_key(t) for t in self.totals),
            "na": frozenset(_key(t) for t in self.na_values),
            "values": {
                col: {_key(k): v for k, v in table.items()} for col, table in self.values.items()
            },
            "rules": index,
        }

    def is_total(self, text: object) -> bool:
        """Whether a category/sex/age text means "all of them"."""
        return _key(text) in self._keys["totals"]

    def is_na(self, text: object) -> bool:
        """Whether a cell means "not given"."""
        return _key(text) in self._keys["na"]

    def value_of(self, column: str, text: object) -> str | None:
        """The ``[values.<column>]`` synonym of a cell, or None."""
        table = self._keys["values"].get(column)
        return table.get(_key(text)) if table else None

    def rule_for(self, indicator: object, dimension: object, category: object) -> LookupRule | None:
        """The most specific rule for a source combination, or None."""
        ind, dim, cat = _key(indicator), _key(dimension), _key(category)
        rules = self._keys["rules"]
        for key in ((ind, dim, cat), (ind, None, cat), (ind, dim, None), (ind, None, None)):
            if key in rules:
                return rules[key]
        return None

    def detect_columns(self) -> tuple[str, ...]:
        """The columns that identify the file (``detect``, else the mapped columns)."""
        return self.detect or tuple(self.columns.values())


def _texts(data: dict[str, Any], key: str, default: tuple[str, ...], where: str | None) -> Any:
    value = data.get(key, default)
    if isinstance(value, str) or not all(isinstance(v, str) for v in value):
        raise _bad(f'{key} must be a list of texts, such as ["Total"], got {value!r}', where)
    return tuple(value)


def questionnaire_mappings() -> list[str]:
    """Names of the bundled questionnaire mappings (``kind = "questionnaire"``).

    >>> "unodc_iafq" in questionnaire_mappings()
    True
    """
    folder = data_dir("mappings")
    names = []
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError):  # pragma: no cover - bundled
            continue
        if data.get("kind") == "questionnaire":
            names.append(path.stem)
    return names


def _read_toml(mapping: str | Path) -> tuple[dict[str, Any], str]:
    return read_mapping_file(
        mapping,
        not_found=lambda: (
            f"questionnaire mapping {str(mapping)!r} not found; give a path to a .toml file or "
            f"one of the bundled questionnaire mappings: "
            f"{', '.join(questionnaire_mappings()) or '(none)'}"
        ),
    )


def load_questionnaire_mapping(
    mapping: str | Path | Mapping[str, Any] | QuestionnaireMapping,
) -> QuestionnaireMapping:
    """Return a :class:`QuestionnaireMapping` from a TOML file, a bundled name or a dict.

    Raises
    ------
    routes.ValidationError
        The file is missing or not TOML, or a key, column, indicator or rule is not understood;
        the message names the key and the valid choices.

    Examples
    --------
    >>> m = load_questionnaire_mapping("unodc_iafq")
    >>> m.rule_for("Arms seized", "by condition", "Converted arms").to
    'converted_weapons'
    """
    if isinstance(mapping, QuestionnaireMapping):
        return mapping
    where: str | None = None
    if isinstance(mapping, (str, Path)):
        data, where = _read_toml(mapping)
    elif isinstance(mapping, Mapping):
        data = dict(mapping)
    else:
        raise TypeError(
            "mapping must be a path, a bundled mapping name, a dict or a QuestionnaireMapping, "
            f"instead got {mapping!r} of type {type(mapping).__name__}"
        )
    return _parse(data, where)


def _columns(data: dict[str, Any], where: str | None) -> dict[str, str]:
    table = data.get("columns", {})
    if not isinstance(table, Mapping):
        raise _bad(f"[columns] must be a table of key = value pairs, got {table!r}", where)
    columns = {}
    for key, value in table.items():
        if key not in MAPPED_COLUMNS:
            raise _bad(
                f"[columns] key {key!r} is not a questionnaire column{_hint(key, MAPPED_COLUMNS)}"
                f"; valid: {', '.join(MAPPED_COLUMNS)}",
                where,
            )
        if not isinstance(value, str) or not value:
            raise _bad(f"[columns] {key} must name a source column, got {value!r}", where)
        columns[key] = value
    missing = [c for c in _REQUIRED if c not in columns]
    if missing:
        raise _bad(
            f"[columns] must name the source column of {', '.join(missing)} (every "
            f"questionnaire mapping gives {', '.join(_REQUIRED)})",
            where,
        )
    return columns


def _rules(data: dict[str, Any], where: str | None) -> tuple[LookupRule, ...]:
    raw = data.get("lookup", [])
    if not isinstance(raw, list) or not all(isinstance(r, Mapping) for r in raw):
        raise _bad("lookup must be a list of [[lookup]] tables", where)
    rules = []
    for n, rule in enumerate(raw, start=1):
        for key, value in rule.items():
            if key not in _RULE_KEYS:
                raise _bad(
                    f"[[lookup]] #{n}: key {key!r} is not known{_hint(key, _RULE_KEYS)}; valid: "
                    f"{', '.join(_RULE_KEYS)}",
                    where,
                )
            many = key in ("indicator", "dimension", "category") and isinstance(value, list)
            items = value if many else [value]
            if not items or not all(isinstance(v, str) and v.strip() for v in items):
                listed = key in ("indicator", "dimension", "category")
                raise _bad(
                    f"[[lookup]] #{n}: {key} must be a text"
                    + (" or a list of texts" if listed else "")
                    + f", got {value!r}",
                    where,
                )
        for key in ("indicator", "to"):
            if key not in rule:
                raise _bad(f"[[lookup]] #{n} needs {key!r}", where)
        if rule["to"] not in INDICATORS:
            raise _bad(
                f"[[lookup]] #{n}: to = {rule['to']!r} is not an indicator"
                f"{_hint(rule['to'], list(INDICATORS))}; valid: {', '.join(INDICATORS)}",
                where,
            )
        breakdown = rule.get("breakdown")

        def each(key: str, rule: Mapping[str, Any] = rule) -> list[Any]:
            value = rule.get(key)
            return value if isinstance(value, list) else [value]

        for ind in each("indicator"):
            for dim in each("dimension"):
                for cat in each("category"):
                    rules.append(
                        (
                            n,
                            LookupRule(
                                indicator=ind,
                                dimension=dim,
                                category=cat,
                                to=rule["to"],
                                as_category=None if rule.get("as") is None else slug(rule["as"]),
                                breakdown=None if breakdown is None else slug(breakdown),
                            ),
                        )
                    )
    seen: dict[tuple[str, str, str], int] = {}
    for n, r in rules:
        key = (_key(r.indicator), _key(r.dimension or "*"), _key(r.category or "*"))
        if key in seen:
            raise _bad(
                f"[[lookup]] #{n} repeats the combination {r.indicator} / {r.dimension or '*'} / "
                f"{r.category or '*'} of #{seen[key]}; keep one",
                where,
            )
        seen[key] = n
    return tuple(r for _, r in rules)


def _parse(data: dict[str, Any], where: str | None) -> QuestionnaireMapping:
    for key in data:
        if key not in _TOP_KEYS:
            raise _bad(
                f"unknown questionnaire mapping key {key!r}{_hint(key, _TOP_KEYS)}; valid keys: "
                f"{', '.join(_TOP_KEYS)}",
                where,
            )
    kind = data.get("kind", "questionnaire")
    if kind != "questionnaire":
        raise _bad(
            f"kind = {kind!r}: this is not a questionnaire mapping (give kind = "
            "\"questionnaire\", or use the mapping with 'salw-routes validate -m')",
            where,
        )
    columns = _columns(data, where)
    values: dict[str, dict[str, str]] = {}
    table = data.get("values", {})
    if not isinstance(table, Mapping):
        raise _bad(f"[values] must hold [values.<column>] tables, got {table!r}", where)
    for col, pairs in table.items():
        if col not in ("jurisdiction", "category", "indicator", "dimension", "sex"):
            raise _bad(
                f"[values.{col}]: synonyms are read for jurisdiction, category, indicator, "
                "dimension and sex",
                where,
            )
        if not isinstance(pairs, Mapping) or not all(isinstance(v, str) for v in pairs.values()):
            raise _bad(f'[values.{col}] must be a table of "value in file" = "value"', where)
        values[col] = {str(k): str(v) for k, v in pairs.items()}
    context = _texts(data, "context", NEIGHBOURS, where)
    bad = [c for c in context if c in WESTERN_BALKANS or not re.fullmatch(r"[A-Z]{2}", c)]
    if bad:
        raise _bad(
            f"context lists {', '.join(bad)}: give ISO 3166-1 alpha-2 codes of jurisdictions "
            'other than the six, such as ["HR", "GR"]',
            where,
        )
    texts = {}
    for key in ("name", "description"):
        value = data.get(key)
        if value is not None and not isinstance(value, str):
            raise _bad(f"{key} must be a text, got {value!r}", where)
        texts[key] = value
    rules = _rules(data, where)
    if not rules:
        raise _bad(
            "the mapping has no [[lookup]] rule; add one per source indicator (indicator = "
            '"...", to = "seized_weapons")',
            where,
        )
    return QuestionnaireMapping(
        name=texts["name"],
        description=texts["description"],
        detect=_texts(data, "detect", (), where),
        context=context,
        totals=_texts(data, "totals", ("Total", TOTAL), where),
        na_values=_texts(data, "na_values", ("",), where),
        columns=columns,
        values=values,
        rules=rules,
        path=where,
    )


def _norm(name: object) -> str:
    return " ".join(str(name).lstrip("\ufeff").casefold().split())


def detect_questionnaire_mapping(headers: list[Any]) -> str | None:
    """The bundled questionnaire mapping whose ``detect`` columns a header has, or None.

    >>> detect_questionnaire_mapping(["Iso3_code", "Country", "Indicator", "Dimension",
    ...     "Category", "Year", "VALUE"])
    'unodc_iafq'
    """
    have = {_norm(h) for h in headers if h is not None}
    for name in questionnaire_mappings():
        mapping = load_questionnaire_mapping(name)
        if all(_norm(c) in have for c in mapping.detect_columns()):
            return name
    return None
