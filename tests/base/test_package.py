"""The package imports cleanly and declares its public API."""

from __future__ import annotations

import subprocess
import sys

import routes


def test_import_is_warning_free() -> None:
    out = subprocess.run(
        [sys.executable, "-Werror", "-c", "import routes, routes.cli"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert out.returncode == 0, out.stderr


def test_public_api_is_declared() -> None:
    assert "ValidationError" in routes.__all__
    assert len(set(routes.__all__)) == len(routes.__all__), "a name is exported twice"
    for name in routes.__all__:
        assert hasattr(routes, name), name


def test_kosovo_designation() -> None:
    assert routes.display_name("XK") == "Kosovo*"
    assert "UNSCR 1244/1999" in routes.KOSOVO_FOOTNOTE
