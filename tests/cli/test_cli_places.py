"""``--places FILE`` on the incident commands, and the mapping's ``[places]``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from routes.cli import main

FIX = Path(__file__).parents[1] / "fixtures" / "incidents"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.stdout, result.stderr


def test_validate_with_places_option(tmp_path: Path) -> None:
    records = tmp_path / "r.csv"
    records.write_text(
        "incident_id,date,place\na,01Apr99,01004\nb,25Mar99,GJAKOVE\nc,25-MAR-1999,07001\n",
        encoding="utf-8",
    )
    code, out, _ = _run("validate", str(records), "--places", str(FIX / "kosovo_1999_places.csv"))
    assert code == 1
    assert "accepted:       2" in out
    assert "places: " in out
    assert "63 rows, 60 places, 3 refused" in out
    assert "row 31, column 'latitude/longitude': coordinates (0, 0) are a placeholder" in out
    assert "note:           2 date(s) of column 'date' have two-digit years" in out
    assert "row 3, column 'place': place '07001' is in the places file but was refused" in out


def test_validate_json_with_the_mappings_places() -> None:
    code, out, _ = _run(
        "validate",
        str(FIX / "kosovo_1999_records.csv"),
        "-m",
        str(FIX / "kosovo_1999.toml"),
        "--json",
    )
    doc = json.loads(out)
    assert code == 1
    assert (doc["rows_read"], doc["accepted"]) == (150, 147)
    assert doc["places"]["places"] == 60
    assert doc["places"]["name_columns"] == ["sortname", "serbname"]


def test_places_option_is_declared_once_on_every_incident_command() -> None:
    for command in ("validate", "map", "routes", "report"):
        code, out, _ = _run(command, "--help")
        assert code == 0
        assert out.count("--places FILE") == 1, command


def test_missing_places_file_is_exit_2_without_traceback(tmp_path: Path) -> None:
    records = tmp_path / "r.csv"
    records.write_text("incident_id,date,place\na,01Apr99,01004\n", encoding="utf-8")
    code, _, err = _run("validate", str(records), "--places", str(tmp_path / "none.csv"))
    assert code == 2
    assert "file not found" in err
    assert "Traceback" not in err
