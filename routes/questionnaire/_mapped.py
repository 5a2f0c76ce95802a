"""Read a published statistics table through a questionnaire mapping, row by row.

Every data row under the header is one record: it is accepted (one value of a project
indicator, category and named breakdown, with the source's own indicator, dimension and
category kept beside it) or rejected with its reasons. Title rows above the header are skipped
(the header is the first row that has the mapping's ``detect`` columns).
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Any

from routes._constants import WESTERN_BALKANS, display_name
from routes._errors import Problem, ValidationError
from routes.questionnaire._mapping import QuestionnaireMapping, _norm, slug
from routes.questionnaire._validate import (
    FIRST_YEAR,
    Issue,
    _blank,
    _jurisdiction,
    _number,
    _text,
    frames,
)
from routes.questionnaire.format import INDICATORS, TOTAL
from routes.schema import vocabularies

__all__ = ["MAPPING_REASONS", "find_header", "validate_mapped"]

#: Rejection reasons that only a mapped read gives (key -> meaning).
MAPPING_REASONS: dict[str, str] = {
    "outside_region": "the jurisdiction is a country outside the six and the mapping's context "
    "jurisdictions",
    "unmapped": "the source's indicator/dimension/category combination (or its sex or age "
    "split) has no rule in the mapping",
}
_INT = re.compile(r"^\d+$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_HEADER_ROWS = 20


def find_header(rows: list[list[Any]], mapping: QuestionnaireMapping, where: str) -> int:
    """Index of the header row: the first of the first 20 rows with every ``detect`` column.

    Raises
    ------
    routes.ValidationError
        No such row; the missing columns are named once, with the closest header.
    """
    wanted = mapping.detect_columns()
    best: tuple[int, list[str], list[Any]] | None = None
    for i, row in enumerate(rows[:_HEADER_ROWS]):
        have = {_norm(v) for v in row if not _blank(v)}
        missing = [c for c in wanted if _norm(c) not in have]
        if not missing:
            return i
        if best is None or len(missing) < len(best[1]):
            best = (i, missing, row)
    problems = []
    header = [str(v) for v in (best[2] if best else []) if not _blank(v)]
    for col in best[1] if best else wanted:
        close = difflib.get_close_matches(col, header, n=1)
        hint = f" (the closest header is {close[0]!r})" if close else ""
        problems.append(
            Problem(
                f"{where}: no column {col!r} in the first {_HEADER_ROWS} rows{hint}; the mapping "
                f"{mapping.name or mapping.path!r} reads files with the columns "
                f"{', '.join(wanted)}",
                column=col,
                reason="missing_column",
            )
        )
    raise ValidationError(problems)


def _fields(
    pos: dict[str, int], row: list[Any], mapping: QuestionnaireMapping
) -> tuple[dict[str, Any], dict[str, str], bool]:
    fields: dict[str, Any] = {}
    columns: dict[str, str] = {}
    for name, source in mapping.columns.items():
        i = pos.get(_norm(source))
        value = row[i] if i is not None and i < len(row) else None
        if value is not None and not isinstance(value, (int, float)) and mapping.is_na(value):
            value = None
        fields[name] = value
        columns[name] = source
    empty = all(_blank(v) for v in row)
    return fields, columns, empty


class _Row:
    """The checks of one mapped record, collecting its issues."""

    def __init__(self, n: int, sheet: str | None, columns: dict[str, str]) -> None:
        self.n, self.sheet, self.columns = n, sheet, columns
        self.issues: list[Issue] = []

    def issue(self, column: str, value: Any, reason: str, message: str) -> None:
        where = self.columns.get(column, column) or None
        self.issues.append(Issue(self.n, self.sheet, where, value, reason, message))


def _place(f: dict[str, Any], m: QuestionnaireMapping, row: _Row, out: dict[str, Any]) -> None:
    raw = f["jurisdiction"]
    text = _text(raw)
    code = _jurisdiction(m.value_of("jurisdiction", text) or text)
    out["jurisdiction"], out["context"] = code, code in m.context
    if code in WESTERN_BALKANS or code in m.context:
        return
    region = ", ".join(WESTERN_BALKANS) + "; context: " + ", ".join(m.context)
    if code is not None or _ISO3.match(text):
        name = f" ({display_name(code)})" if code and display_name(code) != code else ""
        row.issue(
            "jurisdiction",
            raw,
            "outside_region",
            f"jurisdiction {text!r}{name} is outside the region ({region}); the row is counted "
            "and left out",
        )
    else:
        row.issue(
            "jurisdiction",
            raw,
            "unknown_jurisdiction",
            f"jurisdiction {text!r} is not a known country code or name; give an ISO code "
            f"({region}) or add it to the mapping's [values.jurisdiction]",
        )


def _year(f: dict[str, Any], row: _Row, out: dict[str, Any], this_year: int) -> None:
    raw = f["year"]
    text = re.sub(r"\.0+$", "", _text(raw))
    year = int(text) if _INT.match(text) else None
    if year is None or not FIRST_YEAR <= year <= this_year:
        row.issue(
            "year",
            raw,
            "invalid_year",
            f"year {text!r} is not a whole number from {FIRST_YEAR} to {this_year}; give the "
            "reporting year, e.g. 2020",
        )
    out["year"] = year


def _lookup(
    f: dict[str, Any], m: QuestionnaireMapping, vocab: Any, row: _Row, out: dict[str, Any]
) -> None:
    ind_raw, dim_raw, cat_raw = f["indicator"], f.get("dimension"), f.get("category")
    ind = m.value_of("indicator", ind_raw) or _text(ind_raw)
    dim = None if _blank(dim_raw) else m.value_of("dimension", dim_raw) or _text(dim_raw)
    cat = None if _blank(cat_raw) else _text(cat_raw)
    combo = " / ".join(x for x in (ind, dim or "", cat or "") if x)
    out["source_indicator"], out["source_dimension"], out["source_category"] = ind, dim, cat
    rule = m.rule_for(ind, dim or "", cat or "")
    if rule is None:
        row.issue(
            "indicator",
            ind_raw,
            "unmapped",
            f"{combo!r} has no [[lookup]] rule in the mapping {m.name or m.path!r}; add one "
            '(indicator = "...", dimension = "...", to = "<indicator>", breakdown = "<name>")',
        )
        return
    out["indicator"], out["breakdown"] = rule.to, rule.breakdown
    if rule.as_category is not None:
        category: str | None = rule.as_category
    elif cat is None or m.is_total(cat):
        category = TOTAL
    elif rule.breakdown is None:
        category = m.value_of("category", cat) or vocab.canonical(cat)
        if category is None:
            row.issue(
                "category",
                cat_raw,
                "unmapped",
                f"category {cat!r} of {ind} / {dim or '-'} is not a weapon category; add it to "
                "the mapping's [values.category] (e.g. "
                f'"{cat}" = "other"), or make the combination a breakdown',
            )
    else:
        category = slug(cat)
    sex_raw, age_raw = f.get("sex"), f.get("age")
    if not _blank(sex_raw) and not m.is_total(sex_raw):
        sex = m.value_of("sex", sex_raw) or slug(sex_raw)
        if category == TOTAL:
            category = sex
        else:
            row.issue(
                "sex",
                sex_raw,
                "unmapped",
                f"a split by sex ({_text(sex_raw)!r}) of category {cat!r} is not read; only "
                "totals are split by sex",
            )
    if not _blank(age_raw) and not m.is_total(age_raw):
        row.issue(
            "age",
            age_raw,
            "unmapped",
            f"age group {_text(age_raw)!r} is not read; only the totals over all ages are",
        )
    out["category"] = category


def _check(
    fields: dict[str, Any],
    m: QuestionnaireMapping,
    vocab: Any,
    row: _Row,
    this_year: int,
) -> dict[str, Any] | None:
    out: dict[str, Any] = {
        "source_row": row.n,
        "sheet": row.sheet,
        "from": None,
        "via": None,
        "to": None,
        "notes": None,
        "breakdown": None,
        "context": False,
        "source_indicator": None,
        "source_dimension": None,
        "source_category": None,
    }
    for name in ("jurisdiction", "year", "indicator", "value"):
        if _blank(fields.get(name)):
            row.issue(name, None, "missing_field", f"{name} is empty; every row needs a {name}")
    if not _blank(fields.get("jurisdiction")):
        _place(fields, m, row, out)
    if not _blank(fields.get("year")):
        _year(fields, row, out, this_year)
    if not _blank(fields.get("indicator")):
        _lookup(fields, m, vocab, row, out)
    if not _blank(fields.get("value")):
        ind = out.get("indicator")
        whole = INDICATORS[ind].whole if ind else True
        number, reason, fix = _number(fields["value"], whole=whole)
        if reason:
            row.issue("value", fields["value"], reason, fix)
        out["value"] = number
    for name in ("source", "notes"):
        value = fields.get(name)
        out[name] = None if _blank(value) else _text(value)
    return None if row.issues else out


def validate_mapped(
    header: list[Any],
    rows: list[list[Any]],
    mapping: QuestionnaireMapping,
    *,
    sheet: str | None = None,
    today: dt.date | None = None,
    numbers: list[int] | None = None,
) -> tuple[Any, Any, list[Issue]]:
    """Check every data row through the mapping: (accepted, rejected, issues).

    ``rows`` are the rows under ``header``; ``numbers`` their rows in the file (default:
    counted from 1 at the first data row).
    """
    vocab = vocabularies()["category"]
    this_year = (today or dt.date.today()).year
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    issues: list[Issue] = []
    seen: dict[tuple[Any, ...], tuple[int, Any]] = {}
    pos = {_norm(h): i for i, h in enumerate(header) if not _blank(h)}
    for i, raw in enumerate(rows):
        n = numbers[i] if numbers is not None and i < len(numbers) else i + 1
        fields, columns, empty = _fields(pos, raw, mapping)
        row = _Row(n, sheet, columns)
        out = None
        if empty:
            row.issue("", None, "empty_row", "the row is empty; delete it")
        else:
            out = _check(fields, mapping, vocab, row, this_year)
        if out is not None:
            key = tuple(
                out[k] for k in ("jurisdiction", "year", "indicator", "breakdown", "category")
            )
            if key in seen:
                first, value = seen[key]
                same = "the same value" if value == out["value"] else f"value {value:,.0f}"
                row.issue(
                    "value",
                    fields.get("value"),
                    "duplicate",
                    f"the same jurisdiction, year, indicator, breakdown and category as row "
                    f"{first} ({same}); the first is kept",
                )
                out = None
            else:
                seen[key] = (n, out["value"])
        if out is None:
            issues += row.issues
            rejected.append(
                {
                    "source_row": n,
                    "sheet": sheet,
                    "reason": row.issues[0].reason,
                    "message": "; ".join(i.message for i in row.issues),
                    **{k: None if _blank(v) else _text(v) for k, v in fields.items()},
                }
            )
        else:
            accepted.append(out)
    acc, rej = frames(accepted, rejected)
    return acc, rej, issues
