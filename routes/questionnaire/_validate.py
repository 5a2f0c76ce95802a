"""Validate raw questionnaire records: every record accepted or rejected with its reasons."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from routes._constants import WESTERN_BALKANS, display_name
from routes._errors import Problem
from routes.geo import country_code
from routes.questionnaire._parse import RawRecord, RawTable
from routes.questionnaire.format import (
    INDICATORS,
    ROUTE_INDICATOR,
    TOTAL,
    indicator_name,
)
from routes.schema import vocabularies

__all__ = ["ACCEPTED_COLUMNS", "Issue", "frames", "validate_records"]

#: Columns of the accepted table, in order.
ACCEPTED_COLUMNS: tuple[str, ...] = (
    "source_row",
    "sheet",
    "jurisdiction",
    "year",
    "indicator",
    "category",
    "value",
    "from",
    "via",
    "to",
    "source",
    "notes",
    "breakdown",
    "context",
    "source_indicator",
    "source_dimension",
    "source_category",
)
#: Columns of the rejected table before the record's own fields, in order.
REJECTED_COLUMNS: tuple[str, ...] = (
    "source_row",
    "sheet",
    "reason",
    "message",
    "jurisdiction",
    "year",
    "indicator",
    "category",
    "value",
    "from",
    "via",
    "to",
    "source",
    "notes",
)
FIRST_YEAR = 1990
_TOTAL_WORDS = frozenset(
    {"total", "all", "sum", "ukupno", "ukupan", "svega", "gjithsej", "totali", "вкупно", "укупно"}
)
_VIA_SPLIT = re.compile(r"\s*(?:\||;|>|→|->)\s*")
_INT = re.compile(r"^\d+$")
_GROUPED = re.compile(r"^\d{1,3}(?:([.,])\d{3})(?:\1\d{3})*$")
_DECIMAL = re.compile(r"^\d+[.,]\d+$")
_SIX = ", ".join(f"{c} ({display_name(c)})" for c in WESTERN_BALKANS)


@dataclass(frozen=True)
class Issue:
    """One problem of one record: where it is, the value, the reason and the fix."""

    row: int
    sheet: str | None
    column: str | None
    value: Any
    reason: str
    message: str

    def as_problem(self, file: str | None) -> Problem:
        """The issue as a :class:`routes.Problem` (the sheet is named in the message)."""
        msg = f"sheet {self.sheet!r}: {self.message}" if self.sheet else self.message
        return Problem(
            msg, file=file, row=self.row, column=self.column, value=self.value, reason=self.reason
        )

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: row, sheet, column, value (as text), reason, fix."""
        value = None if _blank(self.value) else str(self.value)
        return {
            "row": self.row,
            "sheet": self.sheet,
            "column": self.column,
            "value": value,
            "reason": self.reason,
            "fix": self.message,
        }


def _blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _jurisdiction(raw: Any) -> str | None:
    text = _text(raw)
    code = country_code(text)
    if code is None:  # "Kosovo (XK)", "Albania - AL"
        inner = re.findall(r"\(([^)]*)\)", text)
        for part in [*inner, *re.split(r"\s*[-–(),]\s*", text)]:
            code = country_code(part) if part else None
            if code is not None:
                break
    return code


def _number(raw: Any, *, whole: bool) -> tuple[float | None, str | None, str]:
    """Parse a value: (number, None, "") or (None, reason, fix)."""
    unit = "a whole number" if whole else "a number"
    if isinstance(raw, bool):
        return None, "invalid_value", f"value {raw!r} is not {unit}; give the count"
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = re.sub(r"[\s\u00a0\u202f'’]", "", str(raw))
        negative = text.startswith(("-", "−"))
        body = text.lstrip("-−")
        if _INT.match(body):
            number = float(body)
        elif _GROUPED.match(body) and (whole or body.count(body[-4]) > 1):
            number = float(re.sub(r"[.,]", "", body))
        elif _GROUPED.match(body):
            return (
                None,
                "invalid_value",
                f"value {raw!r} is ambiguous (thousands or decimals?); write it without a "
                f"separator ({body.replace(',', '').replace('.', '')}) or with more decimals",
            )
        elif _DECIMAL.match(body):
            number = float(body.replace(",", "."))
        else:
            return (
                None,
                "invalid_value",
                f"value {raw!r} is not {unit}; give a number such as 12 (0 when there were "
                "none; leave the row out when the figure is not known)",
            )
        if negative:
            number = -number
    if not math.isfinite(number):
        return None, "invalid_value", f"value {raw!r} is not {unit}; give a finite number"
    if number < 0:
        return None, "negative_value", f"value {raw!r} is negative; counts are 0 or more"
    if whole and not number.is_integer():
        return (
            None,
            "invalid_value",
            f"value {raw!r} is not a whole number; this indicator counts items (only "
            "seized_explosives_kg takes decimals)",
        )
    return number, None, ""


def _check_record(
    rec: RawRecord, vocab: Any, this_year: int
) -> tuple[dict[str, Any] | None, list[Issue]]:
    f = rec.fields
    issues: list[Issue] = []

    def issue(column: str, value: Any, reason: str, message: str) -> None:
        where = rec.columns.get(column, column) or None
        issues.append(Issue(rec.row, rec.sheet, where, value, reason, message))

    if not f:
        issue("", None, "empty_row", "the row is empty; delete it")
        return None, issues
    out: dict[str, Any] = {"source_row": rec.row, "sheet": rec.sheet}
    for name in ("jurisdiction", "year", "indicator", "value"):
        if _blank(f.get(name)):
            issue(name, None, "missing_field", f"{name} is empty; every row needs a {name}")
    if not _blank(f.get("jurisdiction")):
        code = _jurisdiction(f["jurisdiction"])
        if code not in WESTERN_BALKANS:
            other = f" ({display_name(code)} is not one of them)" if code else ""
            issue(
                "jurisdiction",
                f["jurisdiction"],
                "unknown_jurisdiction",
                f"jurisdiction {_text(f['jurisdiction'])!r} is not one of the six{other}; use "
                f"one of {_SIX}, or its name in any of the region's languages",
            )
        out["jurisdiction"] = code
    if not _blank(f.get("year")):
        raw = f["year"]
        text = re.sub(r"\.0+$", "", _text(raw))
        year = int(text) if _INT.match(text) else None
        if year is None or not FIRST_YEAR <= year <= this_year:
            issue(
                "year",
                raw,
                "invalid_year",
                f"year {text!r} is not a whole number from {FIRST_YEAR} to {this_year}; give "
                "the reporting year, e.g. 2023",
            )
        out["year"] = year
    ind = None
    if not _blank(f.get("indicator")):
        ind = indicator_name(f["indicator"])
        if ind is None:
            import difflib

            close = difflib.get_close_matches(_text(f["indicator"]).casefold(), list(INDICATORS))
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            issue(
                "indicator",
                f["indicator"],
                "unknown_indicator",
                f"indicator {_text(f['indicator'])!r} is not known{hint}; use one of "
                + ", ".join(INDICATORS),
            )
        out["indicator"] = ind
    cat_raw = f.get("category")
    if _blank(cat_raw) or _text(cat_raw).casefold() in _TOTAL_WORDS:
        out["category"] = TOTAL
    else:
        cat = vocab.canonical(cat_raw)
        if cat is None:
            hint = vocab.suggest(cat_raw)
            issue(
                "category",
                cat_raw,
                "unknown_category",
                f"category {_text(cat_raw)!r} is not known"
                + (f" (did you mean {hint!r}?)" if hint else "")
                + "; use 'total' (or leave it empty) or a weapon category such as pistol, "
                "automatic_rifle, hand_grenade",
            )
        out["category"] = cat
    if not _blank(f.get("value")):
        whole = INDICATORS[ind].whole if ind else True
        number, reason, fix = _number(f["value"], whole=whole)
        if reason:
            issue("value", f["value"], reason, fix)
        out["value"] = number
    _check_route(f, ind, out, issue)
    for name in ("source", "notes"):
        out[name] = None if _blank(f.get(name)) else _text(f[name])
    return (None if issues else out), issues


def _check_route(f: dict[str, Any], ind: str | None, out: dict[str, Any], issue: Any) -> None:
    given = {k: not _blank(f.get(k)) for k in ("from", "via", "to")}
    out["from"] = out["via"] = out["to"] = None
    if ind is None:
        return
    if ind != ROUTE_INDICATOR:
        for k, there in given.items():
            if there:
                issue(
                    k,
                    f[k],
                    "invalid_route",
                    f"{k!r} is given for indicator {ind!r}; route columns belong to "
                    f"'{ROUTE_INDICATOR}' rows only (move the route to its own row)",
                )
        return
    for k in ("from", "to"):
        if not given[k]:
            issue(
                k,
                None,
                "invalid_route",
                f"a '{ROUTE_INDICATOR}' row needs {k!r} (country of "
                f"{'departure' if k == 'from' else 'destination'})",
            )
            continue
        code = _jurisdiction(f[k])
        if code is None:
            issue(
                k,
                f[k],
                "invalid_route",
                f"{k} {_text(f[k])!r} is not a known country; give an ISO code (DE, TR) or "
                "an English or local name",
            )
        out[k] = code
    if given["via"]:
        codes = []
        for part in _VIA_SPLIT.split(_text(f["via"])):
            code = _jurisdiction(part) if part else None
            if code is None:
                issue(
                    "via",
                    f["via"],
                    "invalid_route",
                    f"via {part!r} is not a known country; separate countries with '|' "
                    "(e.g. 'RS|HR')",
                )
            else:
                codes.append(code)
        out["via"] = "|".join(codes) or None


def validate_records(
    raw: RawTable, *, today: dt.date | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, list[Issue]]:
    """Check every record; return the accepted table, the rejected table and every issue."""
    vocab = vocabularies()["category"]
    this_year = (today or dt.date.today()).year
    accepted: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    issues: list[Issue] = []
    seen: dict[tuple[Any, ...], RawRecord] = {}
    for rec in raw.records:
        out, found = _check_record(rec, vocab, this_year)
        if out is not None:
            key = tuple(
                out[k]
                for k in ("jurisdiction", "year", "indicator", "category", "from", "via", "to")
            )
            if key in seen:
                first = seen[key]
                where = f"row {first.row}" + (f" of sheet {first.sheet!r}" if first.sheet else "")
                found = [
                    Issue(
                        rec.row,
                        rec.sheet,
                        rec.columns.get("value", "value"),
                        rec.fields.get("value"),
                        "duplicate",
                        f"the same jurisdiction, year, indicator and category as {where}; "
                        "keep one value (delete or correct the other)",
                    )
                ]
                out = None
            else:
                seen[key] = rec
        if out is None:
            issues += found
            raw_fields = {k: None if _blank(v) else _text(v) for k, v in rec.fields.items()}
            rejected.append(
                {
                    "source_row": rec.row,
                    "sheet": rec.sheet,
                    "reason": found[0].reason,
                    "message": "; ".join(i.message for i in found),
                    **raw_fields,
                }
            )
        else:
            accepted.append(out)
    acc, rej = frames(accepted, rejected)
    return acc, rej, issues


def frames(
    accepted: list[dict[str, Any]], rejected: list[dict[str, Any]]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The accepted and rejected tables of checked records (columns in their order).

    Records of the project's own layout have no breakdown, are not context and have no source
    indicator/dimension/category (those come from a mapping).
    """
    rows = [
        {"breakdown": None, "context": False, **{k: r.get(k) for k in ACCEPTED_COLUMNS if k in r}}
        for r in accepted
    ]
    acc = pd.DataFrame(rows, columns=list(ACCEPTED_COLUMNS))
    acc = acc.astype({"source_row": "int64", "year": "int64", "value": "float64"})
    acc["context"] = acc["context"].astype(bool)
    for col in (
        "sheet",
        "jurisdiction",
        "indicator",
        "category",
        "from",
        "via",
        "to",
        "breakdown",
        "source_indicator",
        "source_dimension",
        "source_category",
    ):
        acc[col] = acc[col].astype(object).where(acc[col].notna(), None)
    rej = pd.DataFrame(rejected)
    cols = list(REJECTED_COLUMNS)
    rej = rej.reindex(columns=cols + [c for c in rej.columns if c not in cols])
    return acc, rej
