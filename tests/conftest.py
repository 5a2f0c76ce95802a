"""Shared fixtures: paths to the repository's test data and a real headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


_CACHE_TMP: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    """The run's on-disk cache (routes._cache) lives in a fresh folder, not in ~/.cache."""
    import tempfile

    if "SALW_ROUTES_CACHE" not in os.environ:
        _CACHE_TMP.append(tempfile.mkdtemp(prefix="salw-routes-cache-"))
        os.environ["SALW_ROUTES_CACHE"] = _CACHE_TMP[0]


def pytest_unconfigure(config: pytest.Config) -> None:
    import shutil

    for folder in _CACHE_TMP:
        shutil.rmtree(folder, ignore_errors=True)
        if os.environ.get("SALW_ROUTES_CACHE") == folder:
            del os.environ["SALW_ROUTES_CACHE"]


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root."""
    return REPO


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of test data: small hand-made fixtures and real third-party samples."""
    return FIXTURES


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A real headless Debian Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: the README's test command installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped or xfailed test is a failure here: every test must really run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = len(reporter.stats.get("skipped", [])) + len(reporter.stats.get("xfailed", []))
    if skipped and os.environ.get("SALW_ALLOW_SKIP") != "1" and session.exitstatus == 0:
        reporter.write_line(f"FAILED: {skipped} test(s) skipped or xfailed; none may be.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
