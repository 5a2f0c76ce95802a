"""The options and exit status every incident command shares (routes/_cli_common.py)."""

from __future__ import annotations

import gc
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner, Result

from routes.cli import main

HERE = Path(__file__).resolve().parents[1]
FIXTURE = HERE / "fixtures" / "routing" / "cli_incidents.csv"  # 6 rows, row 5 'banana'
POLICE = HERE / "fixtures" / "incidents" / "police_bcs_cp1250.csv"  # 8 rows, 3 rejected

#: command -> (extra arguments, main output, default rejects file), paths relative to tmp_path
COMMANDS = {
    "validate": (["--rejects", "rej.csv"], None, "rej.csv"),
    "routes": (["--out", "flows.gpkg"], "flows.gpkg", "flows.rejected.csv"),
    "map": (["--out", "map.html"], "map.html", "map.rejected.csv"),
    "report": (
        ["--out", "report", "--no-interactive"],
        "report/annex.html",
        "report/rejected_rows.csv",
    ),
}


def _invoke(command: str, incidents: Path, tmp_path: Path, *more: str) -> Result:
    extra, _, _ = COMMANDS[command]
    args = [str(tmp_path / a) if i % 2 else a for i, a in enumerate(extra)]
    res = CliRunner().invoke(main, [command, str(incidents), *args, *more])
    if res.exception and not isinstance(res.exception, SystemExit):
        raise res.exception
    return res


@pytest.fixture
def clean_file(tmp_path: Path) -> Path:
    lines = FIXTURE.read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "clean.csv"
    path.write_text("".join(line for line in lines if "banana" not in line), encoding="utf-8")
    return path


@pytest.mark.parametrize("command", list(COMMANDS))
def test_uniform_exit_status(command: str, tmp_path: Path, clean_file: Path) -> None:
    _, output, rejects = COMMANDS[command]
    # 1: a bad row -> reported on stderr, written as CSV, outputs still written from the rest
    res = _invoke(command, FIXTURE, tmp_path)
    assert res.exit_code == 1, res.output
    assert "unknown category 'banana'" in res.output
    rej = pd.read_csv(tmp_path / rejects, dtype=str, keep_default_na=False)
    assert rej["source_row"].tolist() == ["5"]
    assert rej["reason"].tolist() == ["unknown_vocabulary"]
    if output:
        assert (tmp_path / output).stat().st_size > 0
    if command == "report":  # the annex says rows were rejected and where they are listed
        annex = (tmp_path / output).read_text(encoding="utf-8")
        assert (
            "Input check: 6 rows read, 5 accepted, 1 rejected (rows by reason: 1 × "
            "unknown_vocabulary); rejected rows are in no map, figure or table of this annex; "
            "they are listed in rejected_rows.csv." in annex
        )
    # 0: every row accepted -> outputs, and a rejects file with the header only (never stale)
    run = tmp_path / "clean"
    run.mkdir()
    (run / rejects).parent.mkdir(exist_ok=True)
    (run / rejects).write_text("stale rejects of an earlier run\n", encoding="utf-8")
    res = _invoke(command, clean_file, run)
    assert res.exit_code == 0, res.output
    assert (run / rejects).read_text(encoding="utf-8").startswith("source_row,incident_id,reason")
    assert len(pd.read_csv(run / rejects)) == 0
    if output:
        assert (run / output).is_file()
    # 2: unreadable file -> the reader's message, nothing written
    bad = tmp_path / "incidents.xyz"
    bad.write_text("not an incident file\n", encoding="utf-8")
    run = tmp_path / "unreadable"
    run.mkdir()
    res = _invoke(command, bad, run)
    assert res.exit_code == 2
    assert "incidents.xyz" in res.stderr
    assert list(run.iterdir()) == []


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_accepted_row_is_nothing_usable(command: str, tmp_path: Path) -> None:
    src = tmp_path / "all_bad.csv"
    src.write_text(
        "incident_id,date,jurisdiction,latitude,longitude,quantity\nX-1,2021-01-01,RS,44.8,20.4,0\n",
        encoding="utf-8",
    )
    _, output, rejects = COMMANDS[command]
    res = _invoke(command, src, tmp_path)
    assert res.exit_code == 2, res.output
    assert "quantity" in (tmp_path / rejects).read_text(encoding="utf-8")  # still reported
    if output:
        assert not (tmp_path / output).exists()
        assert "no row of" in res.stderr
        assert "salw-routes validate" in res.stderr


@pytest.mark.parametrize("command", list(COMMANDS))
def test_header_only_file_says_there_are_no_data_rows(command: str, tmp_path: Path) -> None:
    # acceptance finding: a header-only file said "no row was accepted; the reasons are in ..."
    # and pointed at an empty rejects file; validate printed no reason for its exit status 2
    src = tmp_path / "header_only.csv"
    src.write_text("incident_id,latitude,longitude\n", encoding="utf-8")
    _, output, _ = COMMANDS[command]
    res = _invoke(command, src, tmp_path)
    assert res.exit_code == 2, res.output
    assert "the file has no data rows" in res.output
    assert "put the incidents below the header" in res.output
    assert "no row of" not in res.output
    if output:
        assert not (tmp_path / output).exists()
        assert "header_only.csv: the file has no data rows" in res.stderr


BAD_OPTIONS = [
    (["-m", "no_such_mapping"], "bundled mappings: iom_mmp, policija_bcs"),
    (["--from", "2023-13-01"], "Invalid value for '--from': '2023-13-01' is not a date"),
    (["--from", "2024-02-01", "--to", "2024-01-01"], "--from 2024-02-01 is after --to"),
    (["--profile", "fast"], "Invalid value for '--profile': 'fast' is not one of"),
    (["--rejects", "no/such/dir/r.csv"], "does not exist; create it"),
]


@pytest.mark.parametrize(
    ("command", "args", "match"),
    [
        (command, args, match)
        if command != "validate" or args[0] in ("-m", "--rejects")
        else (command, args, f"No such option '{args[0]}'")  # validate reads, never routes
        for command in COMMANDS
        for args, match in BAD_OPTIONS
    ],
)
def test_bad_options_exit_2_before_anything_is_written(
    command: str, args: list[str], match: str, tmp_path: Path
) -> None:
    args = [str(tmp_path / a) if a.startswith("no/") else a for a in args]
    res = _invoke(command, FIXTURE, tmp_path, *args)
    assert res.exit_code == 2, res.output
    assert match in res.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["validate", "map", "report"])
def test_bundled_mapping_name_with_short_option(command: str, tmp_path: Path) -> None:
    res = _invoke(command, POLICE, tmp_path, "-m", "policija_bcs")
    assert res.exit_code == 1, res.output
    rej = pd.read_csv(tmp_path / COMMANDS[command][2], dtype=str, keep_default_na=False)
    assert rej["source_row"].nunique() == 3
    if command == "report":
        assert "5 incidents" in res.stdout


def test_date_window_that_keeps_nothing_exits_2(tmp_path: Path) -> None:
    res = _invoke("map", FIXTURE, tmp_path, "--from", "2030-01-01")
    assert res.exit_code == 2
    assert "0 incidents kept, 5 outside the window" in res.stderr
    assert "widen the time window" in res.stderr
    assert not (tmp_path / "map.html").exists()


def test_share_safe_rejects_stay_outside_the_shared_folder(tmp_path: Path) -> None:
    (tmp_path / "report").mkdir()
    res = _invoke(
        "report", FIXTURE, tmp_path, "--share-safe", "--rejects", str(tmp_path / "report" / "r.csv")
    )
    assert res.exit_code == 2
    assert "inside the sharing-safe folder" in res.stderr
    assert list((tmp_path / "report").iterdir()) == []
    res = _invoke("report", FIXTURE, tmp_path, "--share-safe")
    assert res.exit_code == 1, res.output
    assert "banana" in (tmp_path / "report.rejected.csv").read_text(encoding="utf-8")
    assert not (tmp_path / "report" / "rejected_rows.csv").exists()
    assert (tmp_path / "report" / "annex.html").is_file()
    annex = (tmp_path / "report" / "annex.html").read_text(encoding="utf-8")
    assert "6 rows read, 5 accepted, 1 rejected" in annex  # counted, but the file is not named
    assert "rejected.csv" not in annex


def test_skip_invalid_is_an_accepted_no_op(tmp_path: Path) -> None:
    res = _invoke("map", FIXTURE, tmp_path, "--skip-invalid", "--no-routes")
    assert res.exit_code == 1, res.output
    assert (tmp_path / "map.html").is_file()
    assert "--skip-invalid" not in CliRunner().invoke(main, ["map", "--help"]).output


def test_cli_reference_page_is_generated_from_the_commands() -> None:
    """The docs' CLI page renders the click group (mkdocs-click) and lists exactly its commands."""
    import re

    page = (HERE.parent / "docs" / "cli.md").read_text(encoding="utf-8")
    assert "::: mkdocs-click\n    :module: routes.cli\n    :command: main\n" in page
    listed = re.findall(r"^\| `([a-z]+)` \|", page, flags=re.MULTILINE)
    assert sorted(listed) == sorted(main.commands)
    for name, command in main.commands.items():
        assert command.help, name
        for param in command.params:
            if getattr(param, "hidden", False) or param.param_type_name != "option":
                continue
            assert getattr(param, "help", None), f"{name} {param.opts[0]}: no help text"


def test_short_salt_in_the_environment_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # acceptance finding: SALW_ROUTES_SALT=abc ended `report --share-safe` in a traceback
    monkeypatch.setenv("SALW_ROUTES_SALT", "abc")
    res = _invoke("report", FIXTURE, tmp_path, "--share-safe")
    assert res.exit_code == 2
    assert "SALW_ROUTES_SALT holds a salt of 3 character(s)" in res.stderr
    assert "abc" not in res.output
    assert not (tmp_path / "report").exists()


@pytest.mark.parametrize("command", list(COMMANDS))
def test_an_output_never_overwrites_the_input(command: str, tmp_path: Path) -> None:
    # acceptance finding: `validate data.csv --rejects data.csv` replaced the analyst's incident
    # file with the rejects, and `routes data.gpkg --out data.gpkg` its incidents layer
    src = tmp_path / "incidents.csv"
    src.write_bytes(FIXTURE.read_bytes())
    res = _invoke(command, src, tmp_path, "--rejects", str(src))
    assert res.exit_code == 2
    assert "is the incident file being read; writing there would destroy it" in res.stderr
    assert src.read_bytes() == FIXTURE.read_bytes()


def test_routes_out_never_overwrites_the_input(tmp_path: Path) -> None:
    import routes

    gpkg = tmp_path / "incidents.gpkg"
    routes.read_incidents(FIXTURE, strict=False).accepted.to_file(gpkg, layer="incidents")
    before = gpkg.read_bytes()
    res = CliRunner().invoke(main, ["routes", str(gpkg), "--out", str(gpkg)])
    assert res.exit_code == 2
    assert "Invalid value for '--out'" in res.stderr
    assert gpkg.read_bytes() == before
    assert not (tmp_path / "incidents.rejected.csv").exists()


def _option_helps(flag: str) -> dict[str, str | None]:
    """Command -> help text of ``flag`` for every command of the CLI that has it."""
    import click

    helps: dict[str, str | None] = {}
    for name, cmd in main.commands.items():
        for param in getattr(cmd, "params", []):
            if isinstance(param, click.Option) and flag in param.opts:
                helps[name] = param.help
    return helps


def test_json_is_one_option_shared_by_every_command_that_has_it() -> None:
    helps = _option_helps("--json")
    assert {"validate", "inspect", "routes", "map", "report", "questionnaire"} <= set(helps)
    assert len(set(helps.values())) == 1, helps  # declared once (routes.cli._common)
    text = next(iter(helps.values())) or ""
    assert "instead of the text summary" in text


def test_commands_without_figures_run_with_the_collector_paused_and_restore_it() -> None:
    import gc

    import click

    from routes.cli import _inspect, _map, _report, _routes, _validate
    from routes.cli._process import collector_paused

    seen: list[bool] = []

    @click.command()
    @collector_paused
    def probe() -> None:
        seen.append(gc.isenabled())

    try:
        assert gc.isenabled()
        assert CliRunner().invoke(probe, []).exit_code == 0
        assert seen == [False]  # paused while the command ran
        assert gc.isenabled()  # and restored after it
        assert gc.get_freeze_count() == 0  # nothing frozen outside the console script
        gc.disable()  # a caller that paused it itself keeps it paused
        assert CliRunner().invoke(probe, []).exit_code == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    paused = {
        m.command.name
        for m in (_inspect, _map, _routes, _validate, _report)
        if getattr(m.command.callback, "pauses_collector", False)
    }
    assert paused == {"inspect", "map", "routes", "validate"}  # report draws figures


def test_promoted_objects_join_the_oldest_generation() -> None:
    from routes._io import gc_paused

    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    with gc_paused(promote=True):  # as the command line's imports
        made = [[k] for k in range(2000)]
        assert not gc.isenabled()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0  # promoted, not frozen
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert all(id(x) in oldest for x in made)  # no young pass walks them
    with gc_paused():  # without promote they stay young
        young = [[k] for k in range(2000)]
    oldest = {id(o) for o in gc.get_objects(generation=2)}
    assert not any(id(x) in oldest for x in young)


def test_promote_leaves_a_process_s_own_frozen_objects_frozen() -> None:
    from routes._io import gc_paused

    mine = [[k] for k in range(100)]
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused(promote=True):
            _ = [[k] for k in range(100)]
        assert gc.get_freeze_count() == frozen  # not unfrozen by the promotion
        assert gc.isenabled()
    finally:
        gc.unfreeze()
    del mine


def test_console_script_freezes_what_a_paused_command_made() -> None:
    import subprocess
    import sys
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "salw-routes"]
    assert script.value == "routes.cli:run"
    code = (
        "import gc, sys, routes.cli as c\n"
        "sys.argv = ['salw-routes', 'validate', sys.argv[1]]\n"
        "try:\n    c.run()\nexcept SystemExit as e:\n"
        "    print(e.code, gc.isenabled(), gc.get_freeze_count() > 0)\n"
    )
    sample = (
        Path(__file__).resolve().parents[2]
        / "data"
        / "incidents"
        / "synthetic_incidents_sample.csv"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(sample)], capture_output=True, text=True, check=True
    )
    assert out.stdout.splitlines()[-1] == "0 True True"  # on again, the command's objects frozen
