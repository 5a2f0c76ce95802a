"""The one tabular reader (routes._table): encodings, delimiters, line ends, title rows,
workbooks, row numbers, errors, and the fast (pyarrow) path against the pandas path."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import routes
from routes import ValidationError, _table
from routes._io import utf8_bytes

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
#: Every committed CSV the tests and the tool read.
CSV_FILES = sorted(
    p
    for folder in (
        "tests/fixtures/incidents",
        "tests/fixtures/questionnaire",
        "data/incidents",
        "data/questionnaire",
    )
    for p in (REPO / folder).glob("*.csv")
)

REL_NS = b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
ROWS = [["ID", "Mjesto", "Napomena"], ["1", "Šid", "dva pištolja"], ["2", "Niš", ""]]


def _text(rows: list[list[str]], delimiter: str = ";", end: str = "\n") -> str:
    return "".join(delimiter.join(r) + end for r in rows)


@pytest.mark.parametrize(
    ("encoding", "bom", "detected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("cp1250", b"", "cp1250"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes, detected: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(bom + _text(ROWS).encode(encoding))
    t = _table.read_table(path)
    assert t.encoding == detected
    assert [list(t.frame.columns), *t.frame.values.tolist()] == ROWS


def test_cyrillic_and_latin1(tmp_path: Path) -> None:
    cyr = tmp_path / "c.csv"
    cyr.write_bytes("ИД|Место\n1|Ниш\n2|Скопје\n".encode("cp1251"))
    t = _table.read_table(cyr)
    assert (t.encoding, t.delimiter, t.frame["Место"].tolist()) == (
        "cp1251",
        "|",
        ["Ниш", "Скопје"],
    )
    west = tmp_path / "w.csv"
    west.write_bytes("id,ville\n1,Montréal\n2,Düsseldorf\n".encode("latin-1"))
    t = _table.read_table(west)
    assert (t.encoding, t.frame["ville"].tolist()) == ("latin-1", ["Montréal", "Düsseldorf"])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_delimiters_and_line_ends(tmp_path: Path, delimiter: str, end: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(_text(ROWS, delimiter, end).encode())
    t = _table.read_table(path)
    assert (t.delimiter, t.line_ending) == (
        delimiter,
        {"\n": "LF", "\r\n": "CRLF", "\r": "CR"}[end],
    )
    assert t.frame.values.tolist() == ROWS[1:]
    assert t.rows.tolist() == [2, 3]


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
def test_quoted_delimiters_and_newlines_keep_the_file_rows(tmp_path: Path, end: str) -> None:
    path = tmp_path / "q.csv"
    text = f'id;note{end}1;"a; b{end}c"{end}2;"x ""y"""{end}{end}3;z{end}{end}'
    path.write_bytes(text.encode())
    t = _table.read_table(path)
    assert t.frame.values.tolist() == [["1", f"a; b{end}c"], ["2", 'x "y"'], ["", ""], ["3", "z"]]
    assert t.rows.tolist() == [2, 4, 5, 6]  # row 1 spans lines 2-3; the blank line 5 is a row


def test_title_rows_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Ministry of Interior;;\nUNODC;;\n17/06/2022;;\n;;\nID;Place;Qty\n1;Tuzla;2\n2;Bar;3\n",
        encoding="utf-8",
    )
    t = _table.read_table(path)
    assert (t.header_row, t.title_rows) == (5, ("Ministry of Interior", "UNODC", "17/06/2022", ""))
    assert (list(t.frame.columns), t.rows.tolist()) == (["ID", "Place", "Qty"], [6, 7])
    # skip_rows overrides the detection
    t = _table.read_table(path, skip_rows=1)
    assert (t.header_row, t.header) == (2, ("UNODC", "", ""))


def test_no_title_rows_taken_from_ordinary_tables(tmp_path: Path) -> None:
    # a header of few names above wide data, and a headerless table of numbers, stay as they are
    numbers = tmp_path / "n.csv"
    numbers.write_text("1;44.8;20.4\n2;41.9;21.4\n3;43.8;18.4\n", encoding="utf-8")
    assert _table.read_table(numbers).header_row == 1
    one = tmp_path / "one.csv"
    one.write_text("place\nTuzla\nBar\n", encoding="utf-8")
    t = _table.read_table(one)
    assert (t.header_row, t.frame["place"].tolist()) == (1, ["Tuzla", "Bar"])
    wider = tmp_path / "w.csv"  # rows wider than the header: an error, never a title row
    wider.write_text("id,x\nTuzla,Bar\nNiš,Bar,extra\nBar,Ulcinj,more\n", encoding="utf-8")
    with pytest.raises(ValidationError, match="line 3 has 3 fields but the header has 2"):
        _table.read_table(wider)
    dated = tmp_path / "d.csv"  # a title row with two cells, one a date, is still a title
    dated.write_text("Date:,17/06/2022\nid,place,qty,x\n1,Bar,2,y\n", encoding="utf-8")
    t = _table.read_table(dated)
    assert (t.header_row, t.title_rows) == (2, ("Date: 17/06/2022",))


def _workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Cover"
    ws.append(["not the data"])
    data = wb.create_sheet("Zapljene")
    for row in (
        ["MUP - pregled"],
        ["17/06/2022"],
        [],
        ["ID", "Mjesto", "Datum", "Broj", "Zbir"],
        [7, "Tuzla", dt.datetime(2023, 5, 23), 2.0, "=D5*2"],
        [],
        [8.5, "Bar", "23.05.2023", 1, None],
    ):
        data.append(row)
    wb.save(path)
    return path


def test_xlsx_any_sheet_title_rows_and_cells_as_text(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "w.xlsx")
    for sheet in ("Zapljene", 1, "1"):
        t = _table.read_table(path, sheet=sheet)
        assert (t.sheet, t.sheets, t.header_row) == ("Zapljene", ("Cover", "Zapljene"), 4)
        assert t.title_rows == ("MUP - pregled", "17/06/2022", "")
        assert t.frame.values.tolist() == [
            ["7", "Tuzla", "2023-05-23 00:00:00", "2", ""],  # a formula without a cached value
            ["", "", "", "", ""],
            ["8.5", "Bar", "23.05.2023", "1", ""],
        ]
        assert t.rows.tolist() == [5, 6, 7]
    grid = _table.read_table(path, sheet="Cover", header=False)
    assert (grid.frame.values.tolist(), grid.header_row, grid.rows.tolist()) == (
        [["not the data"]],
        None,
        [1],
    )
    with pytest.raises(ValidationError, match=r"sheet 'X' not found; the workbook has: 'Cover'"):
        _table.read_table(path, sheet="X")
    with pytest.raises(ValidationError, match=r"sheet index 4 does not exist"):
        _table.read_table(path, sheet=4)


def test_xlsx_with_a_dangling_drawing_still_reads(tmp_path: Path) -> None:
    good = _workbook(tmp_path / "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":
                data = data.replace(b"</worksheet>", b'<drawing r:id="rId9"/></worksheet>')
                if b"xmlns:r=" not in data:
                    data = data.replace(b"<worksheet ", b"<worksheet xmlns:r=" + REL_NS + b" ", 1)
            zout.writestr(item, data)
        zout.writestr(
            "xl/worksheets/_rels/sheet2.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/drawing" '
            'Target="../drawings/drawing1.xml"/></Relationships>',
        )
    with pytest.raises(KeyError, match=r"drawing1\.xml"):  # a full load fails on the drawing
        openpyxl.load_workbook(io.BytesIO(bad.read_bytes()))
    t = _table.read_table(bad, sheet="Zapljene")
    assert (
        t.frame.values.tolist() == _table.read_table(good, sheet="Zapljene").frame.values.tolist()
    )


def test_ods(tmp_path: Path) -> None:
    path = tmp_path / "t.ods"
    cells = [["UNODC", None, None], ["ID", "Place", "Qty"], [1, "Tuzla", 2.5], [2, "Bar", 3]]
    pd.DataFrame(cells).to_excel(path, header=False, index=False, engine="odf")
    t = _table.read_table(path)
    assert (t.format, t.header_row, t.title_rows) == ("ods", 2, ("UNODC",))
    assert t.frame.values.tolist() == [["1", "Tuzla", "2.5"], ["2", "Bar", "3"]]
    assert t.rows.tolist() == [3, 4]


def test_repeated_and_empty_header_names(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text("a,a,,b\n1,2,3,4\n", encoding="utf-8")
    t = _table.read_table(path)
    assert list(t.frame.columns) == ["a", "a.1", "Unnamed: 2", "b"]
    assert t.header == ("a", "a", "", "b")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"\n\n  \n", "the file is empty"),
        (b'id,note\n1,"open\n2,x\n', r"starts on line 2 \(data row 1\) is never closed"),
        (b"id,x\n1,2\n3,4,5\n", "line 3 has 3 fields but the header has 2"),
        ("id,x\n1,čćž\n2,đš\n".encode() + b"3,\xe8\n", "line 4 holds a byte that is not valid"),
        (b"PK\x03\x04rest", "zip file, most likely an Excel workbook"),
        (b"\x81\x98\x98\x98\x81", r"not valid cp1251 \(byte 1"),
    ],
)
def test_errors_name_the_file_the_line_and_the_fix(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message) as info:
        _table.read_table(path)
    assert all(p.file == str(path) for p in info.value.problems)


def test_errors_for_files_and_options(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="file not found"):
        _table.read_table(tmp_path / "missing.csv")
    other = tmp_path / "x.doc"
    other.write_text("x")
    with pytest.raises(ValidationError, match=r"unknown file type '\.doc'"):
        _table.read_table(other)
    old = tmp_path / "x.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ValidationError, match=r"save it as \.xlsx or as CSV"):
        _table.read_table(old)
    csv = tmp_path / "ok.csv"
    csv.write_text("a,b\n1,2\n")
    with pytest.raises(ValidationError, match="has no sheets"):
        _table.read_table(csv, sheet=0)
    with pytest.raises(ValidationError, match="skip_rows = 5 skips past the end"):
        _table.read_table(csv, skip_rows=5)
    with pytest.raises(ValidationError, match="unknown encoding 'klingon'"):
        _table.read_table(csv, encoding="klingon")


# ----------------------------------------------------------- the fast path (issue 24, item 4)


def test_there_are_committed_csv_files() -> None:
    assert len(CSV_FILES) >= 10


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_fast_path_gives_the_pandas_path_cells(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw, _ = utf8_bytes(path.read_bytes(), str(path))
    t = _table.read_table(path)
    fast = _table._read_csv_arrow(raw, list(t.header), t.delimiter or ",", progress=False)
    assert fast is not None, "the fast path must take these files"
    monkeypatch.setattr(_table, "_read_csv_arrow", lambda *a, **k: None)
    slow = _table.read_table(path)
    pd.testing.assert_frame_equal(t.frame, slow.frame, check_exact=True)
    assert t.frame.dtypes.tolist() == slow.frame.dtypes.tolist()
    np.testing.assert_array_equal(t.rows, slow.rows)
    assert t.frame.to_csv(index=False).encode() == slow.frame.to_csv(index=False).encode()


@pytest.mark.parametrize(
    "name", ["rules.csv", "police_bcs_cp1250.csv", "iom_mmp_europe_wb_subset.csv"]
)
def test_fast_path_gives_the_same_incidents(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = FIXTURES / "incidents" / name
    mapping = {"police_bcs_cp1250.csv": "policija_bcs", "iom_mmp_europe_wb_subset.csv": "iom_mmp"}
    fast = routes.read_incidents(path, mapping=mapping.get(name), strict=False)
    monkeypatch.setattr(_table, "_read_csv_arrow", lambda *a, **k: None)
    slow = routes.read_incidents(path, mapping=mapping.get(name), strict=False)
    assert fast.rows_read == slow.rows_read > 0
    for a, b in ((fast.accepted, slow.accepted), (fast.rejected, slow.rejected)):
        assert a.to_csv(index=False).encode() == b.to_csv(index=False).encode()
