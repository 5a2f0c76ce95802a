"""The suite's own guard: a skipped or xfailed test fails the run, and warnings are errors."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parents[1]


def _run(tmp_path: Path, body: str) -> subprocess.CompletedProcess[str]:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_case.py").write_text(body, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nfilterwarnings = error\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    "body",
    [
        "import pytest\n\ndef test_a():\n    pytest.skip('not here')\n",
        "import pytest\n\n@pytest.mark.xfail\ndef test_a():\n    assert False\n",
    ],
    ids=["skip", "xfail"],
)
def test_a_skipped_or_xfailed_test_fails_the_run(tmp_path: Path, body: str) -> None:
    proc = _run(tmp_path, body)
    assert proc.returncode == pytest.ExitCode.TESTS_FAILED, proc.stdout
    assert "skipped or xfailed; none may be" in proc.stdout


def test_a_warning_is_an_error(tmp_path: Path) -> None:
    proc = _run(tmp_path, "import warnings\n\ndef test_a():\n    warnings.warn('x')\n")
    assert proc.returncode == pytest.ExitCode.TESTS_FAILED, proc.stdout


def test_a_clean_run_passes(tmp_path: Path) -> None:
    proc = _run(tmp_path, "def test_a():\n    assert True\n")
    assert proc.returncode == pytest.ExitCode.OK, proc.stdout
