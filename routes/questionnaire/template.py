"""The wide questionnaire workbook: a sheet per jurisdiction, indicators as rows, years as columns.

:func:`write_questionnaire_template` writes the blank workbook (an ``Instructions`` sheet, then
the sheets ``AL``, ``BA``, ``XK``, ``ME``, ``MK``, ``RS``); the bundled copy
(:func:`questionnaire_template_path`) is rebuilt by ``scripts/build_questionnaire.py``.
:func:`write_questionnaire_workbook` fills the same layout with values (e.g. the synthetic
questionnaire), so whatever a Focal Point returns reads back with
:func:`routes.read_questionnaire`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from routes._constants import KOSOVO_FOOTNOTE, WESTERN_BALKANS, display_name
from routes._io import atomic_path
from routes._paths import data_dir
from routes.questionnaire.format import (
    INDICATORS,
    QUESTIONNAIRE_CATEGORIES,
    ROUTE_INDICATOR,
    TOTAL,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "TEMPLATE_CATEGORIES",
    "TEMPLATE_YEARS",
    "questionnaire_template_path",
    "write_questionnaire_template",
    "write_questionnaire_workbook",
]

#: Year columns of the blank template (add columns for other years: any 4-digit header counts).
TEMPLATE_YEARS: tuple[int, ...] = tuple(range(2019, 2026))
#: Weapon categories given their own row under ``seized_weapons`` in the template.
TEMPLATE_CATEGORIES: tuple[str, ...] = (
    "pistol",
    "revolver",
    "rifle",
    "shotgun",
    "automatic_rifle",
    "submachine_gun",
    "machine_gun",
    "converted_weapon",
    "blank_firing_weapon",
    "craft_or_3d_printed",
    "other",
)
_ROUTE_ROWS = 8
_HEADER_ROW = 4
_FIXED = dt.datetime(2025, 1, 1)


def questionnaire_template_path() -> Path:
    """The bundled blank workbook (``data/questionnaire/questionnaire_template.xlsx``)."""
    return data_dir("questionnaire") / "questionnaire_template.xlsx"


def _template_rows() -> list[tuple[str, str, str, str, str]]:
    rows: list[tuple[str, str, str, str, str]] = [("seized_weapons", TOTAL, "", "", "")]
    rows += [("seized_weapons", c, "", "", "") for c in TEMPLATE_CATEGORIES]
    rows += [
        (name, TOTAL, "", "", "")
        for name in INDICATORS
        if name not in ("seized_weapons", ROUTE_INDICATOR)
    ]
    rows += [(ROUTE_INDICATOR, TOTAL, "", "", "")] * _ROUTE_ROWS
    return rows


def _instructions(ws: Any) -> None:
    from openpyxl.styles import Font

    ws["A1"] = "SALW questionnaire: annual statistics per jurisdiction"
    ws["A1"].font = Font(bold=True, size=14)
    lines = [
        "Fill in one sheet per jurisdiction (AL, BA, XK, ME, MK, RS): one value per cell, the "
        "year in the column header. 0 = none; leave the cell empty when the figure is not known.",
        "Category: 'total' or a weapon category (the categories should sum to the total). Add "
        "rows for other categories or years as needed.",
        "reported_route rows: country of departure (from), transit (via, '|'-separated) and "
        "destination (to) as ISO codes or names; the value is the number of seizures on the "
        "route.",
        "Check the file with: salw-routes questionnaire FILE (every value accepted or rejected "
        "with the fix; inconsistencies listed).",
    ]
    for i, text in enumerate(lines, start=3):
        ws.cell(row=i, column=1, value=text)
    row = len(lines) + 4
    ws.cell(row=row, column=1, value="indicator").font = Font(bold=True)
    ws.cell(row=row, column=2, value="unit").font = Font(bold=True)
    ws.cell(row=row, column=3, value="what is counted").font = Font(bold=True)
    for ind in INDICATORS.values():
        row += 1
        ws.cell(row=row, column=1, value=ind.name)
        ws.cell(row=row, column=2, value=ind.unit)
        ws.cell(row=row, column=3, value=ind.description.replace("`", ""))
    row += 2
    ws.cell(row=row, column=1, value="categories").font = Font(bold=True)
    ws.cell(row=row, column=2, value=", ".join(QUESTIONNAIRE_CATEGORIES))
    row += 2
    ws.cell(row=row, column=1, value=KOSOVO_FOOTNOTE)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["C"].width = 90


def _sheet(
    ws: Any,
    code: str,
    years: Sequence[int],
    rows: Sequence[tuple[str, str, str, str, str]],
    values: dict[tuple[str, str, str, str, str], dict[int, float]],
) -> None:
    from openpyxl.styles import Font, PatternFill

    ws["A1"] = display_name(code)
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Jurisdiction {code}. One value per cell; 0 = none; empty = not known." + (
        f" {KOSOVO_FOOTNOTE}" if code == "XK" else ""
    )
    header = ["indicator", "category", "from", "via", "to", *years]
    fill = PatternFill("solid", fgColor="F2F2F2")
    for col, text in enumerate(header, start=1):
        cell = ws.cell(row=_HEADER_ROW, column=col, value=text)
        cell.font = Font(bold=True)
        cell.fill = fill
    for r, key in enumerate(rows, start=_HEADER_ROW + 1):
        for col, text in enumerate(key, start=1):
            ws.cell(row=r, column=col, value=text or None)
        for col, year in enumerate(years, start=len(key) + 1):
            v = values.get(key, {}).get(year)
            if v is not None:
                ws.cell(row=r, column=col, value=int(v) if float(v).is_integer() else float(v))
    ws.freeze_panes = ws.cell(row=_HEADER_ROW + 1, column=6)
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 20


def _cell_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _save(wb: Any, path: str | os.PathLike[str]) -> Path:
    wb.properties.creator = "salw-routes"
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    target = Path(path)
    with atomic_path(target, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return target


def write_questionnaire_template(path: str | os.PathLike[str]) -> Path:
    """Write the blank wide workbook to ``path`` (atomically) and return the path.

    Sheets: ``Instructions`` (indicators, categories, the Kosovo* footnote) and one per
    jurisdiction with the years :data:`TEMPLATE_YEARS` as columns and a row per indicator
    (``seized_weapons`` split by the :data:`TEMPLATE_CATEGORIES`, eight blank
    ``reported_route`` rows).
    """
    import openpyxl

    wb = openpyxl.Workbook()
    _instructions(wb.active)
    wb.active.title = "Instructions"
    for code in WESTERN_BALKANS:
        _sheet(wb.create_sheet(code), code, TEMPLATE_YEARS, _template_rows(), {})
    return _save(wb, path)


def write_questionnaire_workbook(
    accepted: pd.DataFrame, path: str | os.PathLike[str], *, title: str | None = None
) -> Path:
    """Write questionnaire rows (the long table) in the wide layout of the template.

    Parameters
    ----------
    accepted
        Long rows: jurisdiction, year, indicator, category, value (and from/via/to).
    path
        The ``.xlsx`` to write (atomically).
    title
        A first line for the Instructions sheet (e.g. "SYNTHETIC").
    """
    import openpyxl

    years = sorted({int(y) for y in accepted["year"]}) or list(TEMPLATE_YEARS)
    wb = openpyxl.Workbook()
    ws0 = wb.active
    _instructions(ws0)
    ws0.title = "Instructions"
    if title:
        ws0.insert_rows(1)
        ws0["A1"] = title
    for code in WESTERN_BALKANS:
        block = accepted[accepted["jurisdiction"] == code]
        values: dict[tuple[str, str, str, str, str], dict[int, float]] = {}
        for rec in block.to_dict("records"):
            key = (
                str(rec["indicator"]),
                str(rec["category"]),
                _cell_text(rec.get("from")),
                _cell_text(rec.get("via")),
                _cell_text(rec.get("to")),
            )
            values.setdefault(key, {})[int(rec["year"])] = float(rec["value"])
        _sheet(wb.create_sheet(code), code, years, list(values), values)
    return _save(wb, path)
