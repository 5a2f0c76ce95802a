"""The command line on files it cannot read: exit 0, 1 or 2, never a traceback.

Property-based for ``validate`` and ``questionnaire`` on any bytes; one garbage file for
``routes``, ``map`` and ``report``, each of which must exit 2 with one line naming the file.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fixtures.fuzz import FUZZ, any_bytes
from hypothesis import given
from hypothesis import strategies as st

from routes.cli import main

_DIR = Path(tempfile.mkdtemp(prefix="salw-cli-fuzz-"))
GARBAGE = b"\x00\x81\xfe\xff\x98PK" * 40


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout, result.stderr


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".csv", ".xlsx", ".ods", ".geojson"]))
def test_validate_any_bytes(data: bytes, suffix: str) -> None:
    path = _DIR / f"any{suffix}"
    path.write_bytes(data)
    code, out, err = _run("validate", str(path), "--no-progress")
    assert code in (0, 1, 2)
    assert (out + err).strip()  # a summary, or why the file cannot be used


@FUZZ
@given(data=any_bytes, suffix=st.sampled_from([".csv", ".xlsx"]))
def test_questionnaire_any_bytes(data: bytes, suffix: str) -> None:
    path = _DIR / f"q{suffix}"
    path.write_bytes(data)
    code, out, err = _run("questionnaire", str(path))
    assert code in (0, 1, 2)
    assert (out + err).strip()


@pytest.mark.parametrize(
    ("command", "out"),
    [
        ("validate", None),
        ("routes", "out.gpkg"),
        ("map", "map.html"),
        ("report", "report"),
        ("questionnaire", None),
    ],
)
@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_garbage_file_exits_2_with_one_line(
    tmp_path: Path, command: str, out: str | None, suffix: str
) -> None:
    path = tmp_path / f"garbage{suffix}"
    path.write_bytes(GARBAGE)
    args = [command, str(path)] + (["--out", str(tmp_path / out)] if out else [])
    code, _, err = _run(*args)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0]


def test_title_rows_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "titled.csv"
    path.write_bytes(b"MUP Srbije\r17/06/2022\rincident_id;place\r1;Tuzla\r2;Ni\x9a\r")
    code, out, _ = _run("validate", str(path))
    assert code == 0
    assert "(csv, encoding cp1250, delimiter ';', header on row 3 below 2 title row(s))" in out
    code, out, _ = _run("validate", str(path), "--json")
    summary = json.loads(out)
    assert (summary["accepted"], summary["header_row"], summary["line_ending"]) == (2, 3, "CR")
    assert summary["title_rows"] == ["MUP Srbije", "17/06/2022"]
