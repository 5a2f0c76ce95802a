"""routes._io: the one atomic-write helper (temp file beside the target, then os.replace)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from routes._io import atomic_path, atomic_write_bytes, atomic_write_text, default_file_mode


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _broken_write(target: Path, error: Exception) -> None:
    """Half-write ``target`` (plus a SQLite side file, as GDAL may leave), then fail."""
    with atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        tmp.with_name(tmp.name + "-journal").write_text("j", encoding="utf-8")
        raise error


def _write_nothing(target: Path) -> None:
    with atomic_path(target):
        pass


def test_success_replaces_the_target_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "table.csv"  # missing folder is created
    with atomic_path(target) as tmp:
        assert tmp.parent == target.parent
        assert tmp.name.startswith(".table.csv.")
        assert tmp.suffix == ".csv"  # writers pick the format from it
        assert not tmp.exists()  # GDAL-style writers may create it themselves
        tmp.write_text("a\n1\n", encoding="utf-8")
        assert not target.exists()  # nothing visible before the block ends
    assert target.read_text(encoding="utf-8") == "a\n1\n"
    assert [p.name for p in target.parent.iterdir()] == ["table.csv"]
    # replacing an existing file
    assert atomic_write_text(target, "b\n2\n") == target
    assert target.read_bytes() == b"b\n2\n"
    assert atomic_write_bytes(tmp_path / "x.bin", b"\x00\x01").read_bytes() == b"\x00\x01"


def test_explicit_suffix(tmp_path: Path) -> None:
    with atomic_path(tmp_path / "data.PARQUET", suffix=".parquet") as tmp:
        assert tmp.name.endswith(".tmp.parquet")
        tmp.write_bytes(b"x")
    assert (tmp_path / "data.PARQUET").read_bytes() == b"x"


def test_failure_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.gpkg"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="writer broke"):
        _broken_write(target, RuntimeError("writer broke"))
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.gpkg"]


def test_failure_without_an_old_file_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="bad row"):
        _broken_write(tmp_path / "new.csv", ValueError("bad row"))
    assert list(tmp_path.iterdir()) == []


def test_nothing_written_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"nothing was written for .*empty\.csv"):
        _write_nothing(tmp_path / "empty.csv")
    assert list(tmp_path.iterdir()) == []


def test_mode_follows_the_umask_or_is_explicit(tmp_path: Path, umask_022: None) -> None:
    assert default_file_mode() == 0o644
    # a writer that creates a private file (like tempfile.mkstemp, 0o600) still gives 0o644
    with atomic_path(tmp_path / "a.txt") as tmp:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
    assert _mode(tmp_path / "a.txt") == 0o644
    assert _mode(atomic_write_text(tmp_path / "b.txt", "x")) == 0o644
    assert _mode(atomic_write_text(tmp_path / "c.txt", "x", mode=0o600)) == 0o600
    os.umask(0o077)  # a private umask is respected for outputs...
    assert default_file_mode() == 0o600
    assert _mode(atomic_write_text(tmp_path / "d.txt", "x")) == 0o600
    # ...while bundled data written by the build scripts asks for world-readable explicitly
    assert _mode(atomic_write_bytes(tmp_path / "e.bin", b"x", mode=0o644)) == 0o644
