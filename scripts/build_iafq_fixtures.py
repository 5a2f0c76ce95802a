"""Build the XLSX fixtures in the shape of UNODC's dataUNODC IAFQ exports (2022 and 2024).

    python scripts/build_iafq_fixtures.py

Both are cut from the CSV fixture ``tests/fixtures/questionnaire/unodc_iafq_region.csv`` (the
2022 release cut to the region, byte for byte; see the PROVENANCE.md beside it):

- ``unodc_iafq_2022.xlsx``: the rows of ALB, MNE, MKD, SRB, HRV and BGR, in the file's order;
  Year and VALUE as numbers.
- ``unodc_iafq_2024.xlsx``: the ``Arms seized`` rows of the dimensions Total, by type and by
  condition (every jurisdiction), in the file's order; ``Year`` stored as TEXT, as the 2024
  release does, and a dangling drawing relationship (a relationship of the sheet pointing at
  a drawing part the file does not contain), which makes openpyxl's full load fail as it does
  on the real 2024 workbook.

Both put the export's two title rows above the header (A1 ``UNODC`` as a HYPERLINK formula,
A2 the export date) and end with the same SYNTHETIC rows (``SYNTHETIC_ROWS`` below): countries
outside the region with one blank row among them, to exercise ``outside_region`` and
``empty_row``; their values are invented and are not UNODC figures.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "questionnaire"
SOURCE = FIXTURES / "unodc_iafq_region.csv"

#: Invented rows (not UNODC data) appended to both workbooks: outside the region, one blank.
SYNTHETIC_ROWS: list[list[object]] = [
    [
        "DEU",
        "Germany",
        "Europe",
        "Western Europe",
        "Arms seized",
        "Total",
        "Total",
        "na",
        "na",
        2020,
        "Counts",
        7,
        "IAFQ",
    ],
    [None] * 13,
    [
        "USA",
        "United States of America",
        "Americas",
        "Northern America",
        "Arms seized",
        "Total",
        "Total",
        "na",
        "na",
        2020,
        "Counts",
        9,
        "IAFQ",
    ],
    [
        "BRA",
        "Brazil",
        "Americas",
        "South America",
        "Arms seized",
        "by type",
        "pistol",
        "na",
        "na",
        2019,
        "Counts",
        3,
        "SOF",
    ],
]
_DRAWING = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


def _rows() -> tuple[list[str], list[list[str]]]:
    text = SOURCE.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def _number(text: str) -> object:
    return int(text) if text.isdigit() else text


def _workbook(
    path: Path, header: list[str], rows: list[list[str]], *, date: str, year_as_text: bool
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data_iafq_firearms_trafficking"
    ws["A1"] = '=HYPERLINK("https://dataunodc.un.org","UNODC")'
    ws["A2"] = date
    ws.append(header)
    year_at, value_at = header.index("Year"), header.index("VALUE")
    for row in rows:
        cells: list[object] = list(row)
        cells[value_at] = _number(row[value_at])
        cells[year_at] = str(row[year_at]) if year_as_text else _number(row[year_at])
        ws.append(cells)
    for row in SYNTHETIC_ROWS:
        cells = list(row)
        if year_as_text and cells[year_at] is not None:
            cells[year_at] = str(cells[year_at])
        ws.append(cells)
    if year_as_text:
        for (cell,) in ws.iter_rows(min_row=4, min_col=year_at + 1, max_col=year_at + 1):
            cell.number_format = "@"
    wb.save(path)


def _dangling_drawing(path: Path) -> None:
    """Give sheet1 a relationship to xl/drawings/drawing1.xml, which the file lacks."""
    rels = "xl/worksheets/_rels/sheet1.xml.rels"
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rel = f'<Relationship Id="rIdDangling1" Type="{_DRAWING}" Target="../drawings/drawing1.xml"/>'
    if rels in parts:
        parts[rels] = parts[rels].replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    else:
        parts[rels] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
            '"http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{rel}</Relationships>"
        ).encode()
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    tmp.replace(path)


def main() -> int:
    header, rows = _rows()
    keep = {"ALB", "MNE", "MKD", "SRB", "HRV", "BGR"}
    y2022 = [r for r in rows if r[0] in keep]
    path = FIXTURES / "unodc_iafq_2022.xlsx"
    _workbook(path, header, y2022, date="17/06/2022", year_as_text=False)
    print(f"wrote {path.relative_to(ROOT)}: {len(y2022) + len(SYNTHETIC_ROWS)} data rows")
    y2024 = [
        r for r in rows if r[4] == "Arms seized" and r[5] in ("Total", "by type", "by condition")
    ]
    path = FIXTURES / "unodc_iafq_2024.xlsx"
    _workbook(path, header, y2024, date="26/06/2024", year_as_text=True)
    _dangling_drawing(path)
    print(f"wrote {path.relative_to(ROOT)}: {len(y2024) + len(SYNTHETIC_ROWS)} data rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
