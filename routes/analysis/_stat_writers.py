"""Writers of the statistics tables: CSV per table, one Markdown file and one Excel workbook.

Every value from data stays text: Markdown escapes it, CSV defuses spreadsheet formulas, Excel
cells are typed as strings. The marking and the Kosovo* footnote (:data:`routes.KOSOVO_FOOTNOTE`)
are on every Markdown and Excel output. Public through :mod:`routes.analysis.stats`.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from routes._constants import KOSOVO_FOOTNOTE
from routes._io import atomic_path
from routes._io import atomic_write_text as write_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["HEADERS", "TABLE_TITLES", "tables_to_markdown", "write_tables"]

#: Human headers for Markdown and Excel (CSV keeps the machine names).
HEADERS: dict[str, str] = {
    "jurisdiction": "Code",
    "jurisdiction_name": "Jurisdiction",
    "incidents": "Incidents",
    "quantity": "Quantity",
    "share_pct": "Share of incidents (%)",
    "first_date": "First date",
    "last_date": "Last date",
    "ocg_involved_yes": "OCG involved (incidents)",
    "migrants_involved_yes": "Migrants involved (incidents)",
    "year": "Year",
    "category": "Category",
    "modus_operandi": "Modus operandi",
    "ocg_involved": "Organised crime involved",
    "migrants_involved": "Migrants involved",
    "verification": "Verification",
    "event": "Event",
    "e_road": "Corridor (E-road)",
    "length_m": "Length used (m)",
    "crossing_id": "Crossing id",
    "name": "Crossing",
    "jurisdiction_a": "Jurisdiction A",
    "jurisdiction_b": "Jurisdiction B",
    "from_jurisdiction": "From",
    "to_jurisdiction": "To",
}

TABLE_TITLES: dict[str, str] = {
    "summary": "Incidents and quantities per jurisdiction",
    "by_year": "Per year",
    "by_category": "By weapon category",
    "by_modus_operandi": "By modus operandi",
    "by_ocg_involved": "By organised-crime involvement",
    "by_migrants_involved": "By migrant involvement",
    "by_verification": "By verification",
    "by_event": "By event",
    "corridors": "Corridors (E-roads): expected incidents on inferred routes",
    "crossings": "Border crossings: expected incidents on inferred routes",
    "jurisdiction_pairs": "Jurisdiction pairs crossed (in travel direction)",
}


def _humanise(value: object, *, label: bool = False, sep: bool = True) -> str:
    """Display text for a table cell: counts with thousands separators, at most one decimal.

    ``label`` marks a column of labels (years), shown without separators; ``sep=False`` gives
    the plain digits (the width of a raw number in the spreadsheet).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or label:
        return str(value).replace("_", " ")
    comma = "," if sep else ""
    if isinstance(value, int):
        return f"{value:{comma}}"
    if isinstance(value, float):
        return f"{value:{comma}.1f}" if not value.is_integer() else f"{int(value):{comma}}"
    return str(value).replace("_", " ")


def _md_escape(text: str) -> str:
    entities = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
    out = []
    for ch in text:
        if ch in entities:
            out.append(entities[ch])
        elif ch in "\\`*_{}[]()#+!|":
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def _display_frame(table: pd.DataFrame) -> pd.DataFrame:
    shown = table.drop(columns=["jurisdiction"], errors="ignore")
    return shown.rename(columns={c: HEADERS.get(str(c), str(c).replace("_", " ")) for c in shown})


def _markdown_table(table: pd.DataFrame) -> str:
    shown = _display_frame(table)
    header = [_md_escape(str(c)) for c in shown.columns]
    numeric = [
        all(isinstance(v, (int, float)) or str(v).startswith("<") for v in shown[c])
        and c not in ("Year",)
        for c in shown.columns
    ]
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---:" if n else ":---" for n in numeric) + "|",
    ]
    for rec in shown.itertuples(index=False):
        cells = (_humanise(v, label=c == "Year") for c, v in zip(shown.columns, rec, strict=True))
        lines.append("| " + " | ".join(_md_escape(t) for t in cells) + " |")
    return "\n".join(lines)


def tables_to_markdown(
    tables: Mapping[str, pd.DataFrame],
    *,
    title: str | None = None,
    marking: str | None = None,
    notes: Sequence[str] = (),
) -> str:
    """Render tables as one Markdown document with the marking, notes and Kosovo* footnote.

    Every value from data is escaped so that it stays text in any Markdown renderer.
    """
    parts: list[str] = []
    if marking:
        parts.append(f"**{_md_escape(marking)}**\n")
    parts.append(f"# {_md_escape(title or 'Statistics per jurisdiction')}\n")
    for note in notes:
        parts.append(_md_escape(note) + "\n")
    for name, table in tables.items():
        parts.append(f"## {_md_escape(TABLE_TITLES.get(name, name.replace('_', ' ')))}\n")
        parts.append(_markdown_table(table) + "\n")
    parts.append(_md_escape(KOSOVO_FOOTNOTE) + "\n")
    if marking:
        parts.append(f"**{_md_escape(marking)}**\n")
    return "\n".join(parts)


def _csv_safe(value: object) -> object:
    """Defuse spreadsheet formula injection in text cells (OWASP: prefix with a quote)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_text(table: pd.DataFrame) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([str(c) for c in table.columns])
    for rec in table.itertuples(index=False):
        writer.writerow(["" if v is None else _csv_safe(v) for v in rec])
    return buf.getvalue()


def _write_xlsx(
    tables: Mapping[str, pd.DataFrame],
    path: Path,
    *,
    title: str,
    marking: str | None,
    notes: Sequence[str],
) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    about = wb.active
    assert about is not None
    about.title = "About"
    about_rows = [title, *([marking] if marking else []), *notes, KOSOVO_FOOTNOTE]
    for i, text in enumerate(about_rows, start=1):
        cell = about.cell(row=i, column=1, value=text)
        cell.data_type = "s"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14)
        elif marking and text == marking:
            cell.font = Font(bold=True, color="C00000")
    about.column_dimensions["A"].width = 110
    used: set[str] = {"About"}
    for name, table in tables.items():
        sheet_name = name[:31]
        n = 2
        while sheet_name in used:
            sheet_name = f"{name[:28]}_{n}"
            n += 1
        used.add(sheet_name)
        ws = wb.create_sheet(sheet_name)
        shown = _display_frame(table)
        heading = TABLE_TITLES.get(name, name.replace("_", " "))
        top = ws.cell(row=1, column=1, value=heading)
        top.data_type = "s"
        top.font = Font(bold=True, size=12)
        for j, col in enumerate(shown.columns, start=1):
            c = ws.cell(row=2, column=j, value=str(col))
            c.data_type = "s"
            c.font = Font(bold=True)
        for i, rec in enumerate(shown.itertuples(index=False), start=3):
            for j, v in enumerate(rec, start=1):
                if isinstance(v, bool) or v is None:
                    value: object = "" if v is None else str(v)
                elif isinstance(v, (int, float)) and not (isinstance(v, float) and math.isnan(v)):
                    value = v
                else:
                    value = _humanise(v)
                c = ws.cell(row=i, column=j, value=value)
                if isinstance(value, str):
                    c.data_type = "s"  # never a formula, whatever the text
        last = len(shown) + 4
        foot = ws.cell(row=last, column=1, value=KOSOVO_FOOTNOTE)
        foot.data_type = "s"
        foot.font = Font(italic=True, size=9)
        if marking:
            mark = ws.cell(row=last + 1, column=1, value=marking)
            mark.data_type = "s"
            mark.font = Font(bold=True, color="C00000")
            ws.oddHeader.center.text = marking.replace("&", "&&")
            ws.oddFooter.center.text = marking.replace("&", "&&")
        ws.freeze_panes = "A3"
        for j, col in enumerate(shown.columns, start=1):
            width = max([len(str(col)), *(len(_humanise(v, sep=False)) for v in shown[col])]) + 2
            ws.column_dimensions[get_column_letter(j)].width = min(max(width, 8), 40)
    with atomic_path(path) as tmp:
        wb.save(tmp)


def write_tables(
    tables: Mapping[str, pd.DataFrame],
    out_dir: str | os.PathLike[str],
    *,
    stem: str = "statistics",
    title: str | None = None,
    marking: str | None = None,
    notes: Sequence[str] = (),
) -> dict[str, Path]:
    """Write each table as CSV, and all of them as one Markdown file and one Excel workbook.

    Parameters
    ----------
    tables
        Named tables (e.g. from :func:`routes.jurisdiction_tables`).
    out_dir
        Folder to write into (created if missing). Every file is written atomically.
    stem
        File-name stem: ``<stem>_<table>.csv``, ``<stem>.md``, ``<stem>.xlsx``.
    title, marking, notes
        Shown at the top of the Markdown file and on the Excel ``About`` sheet; the marking
        also in every sheet's print header and footer.

    Returns
    -------
    dict
        ``{"<table>.csv": path, ..., "markdown": path, "xlsx": path}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for name, table in tables.items():
        written[f"{name}.csv"] = write_text(out / f"{stem}_{name}.csv", _csv_text(table))
    doc_title = title or "Statistics per jurisdiction"
    written["markdown"] = write_text(
        out / f"{stem}.md",
        tables_to_markdown(tables, title=doc_title, marking=marking, notes=notes),
    )
    xlsx = out / f"{stem}.xlsx"
    _write_xlsx(tables, xlsx, title=doc_title, marking=marking, notes=notes)
    written["xlsx"] = xlsx
    return written
