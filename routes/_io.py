"""Atomic file writing: never a half-written output file.

Every writer of the package (and of the build scripts under ``scripts/``) writes to a temporary
name in the folder of the target and moves it over the target with :func:`os.replace` only once
the file is complete. A reader therefore sees the old file or the new one, never a part; after
an error the target is untouched and no temporary file is left behind.

>>> import tempfile
>>> from pathlib import Path
>>> folder = Path(tempfile.mkdtemp())
>>> with atomic_path(folder / "table.csv") as tmp:
...     _ = tmp.write_text("a,b\\n1,2\\n", encoding="utf-8")
>>> sorted(p.name for p in folder.iterdir())
['table.csv']
>>> atomic_write_text(folder / "note.txt", "done\\n").read_text(encoding="utf-8")
'done\\n'
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

__all__ = ["atomic_path", "atomic_write_bytes", "atomic_write_text", "default_file_mode"]

#: Side files SQLite-based writers (GDAL's GeoPackage driver) may leave next to a file that
#: failed half-way.
_SIDECARS = ("-journal", "-wal", "-shm")


def default_file_mode() -> int:
    """The permission bits a newly created file gets here: ``0o666`` minus the umask.

    ``0o644`` under the usual umask ``022``; ``0o600`` under a private umask ``077``.
    (Temporary files made by :func:`tempfile.mkstemp` are always ``0o600``; the atomic writers
    set the mode explicitly so the result does not depend on how the writer created the file.)
    """
    try:  # Linux: read the umask without changing it (thread-safe)
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return 0o666 & ~int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-by-setting, restored at once
    os.umask(mask)
    return 0o666 & ~mask


@contextlib.contextmanager
def atomic_path(
    target: str | os.PathLike[str],
    *,
    suffix: str | None = None,
    mode: int | None = None,
) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; move it onto ``target`` when the block succeeds.

    The temporary path does not exist yet when yielded (writers such as GDAL refuse to
    overwrite a file) and is hidden (``.<name>.<random>.tmp<suffix>``). When the ``with`` block
    ends without an error the file must exist; it gets its permission bits and replaces
    ``target`` in one :func:`os.replace`. On any error (or when nothing was written) the
    temporary file is removed, ``target`` is left as it was, and the error propagates.

    Parameters
    ----------
    target
        The file to write. Missing parent folders are created.
    suffix
        Suffix of the temporary file (default: the suffix of ``target``; writers such as GDAL,
        openpyxl or pandas choose the format from it).
    mode
        Permission bits of the written file. Default: those of any newly created file
        (:func:`default_file_mode`, ``0o644`` under the usual umask); build scripts of bundled
        data pass ``0o644`` so the file is world-readable whatever the umask.

    Yields
    ------
    pathlib.Path
        The temporary path to write to.

    Raises
    ------
    FileNotFoundError
        When the block ended without writing the temporary file.
    """
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    ext = final.suffix if suffix is None else suffix
    tmp = final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}.tmp{ext}")
    try:
        yield tmp
        if not tmp.is_file():
            raise FileNotFoundError(f"nothing was written for {final}: {tmp.name} is missing")
        os.chmod(tmp, default_file_mode() if mode is None else mode)
        os.replace(tmp, final)
    finally:
        for leftover in (tmp, *(tmp.with_name(tmp.name + s) for s in _SIDECARS)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def atomic_write_bytes(
    target: str | os.PathLike[str], data: bytes, *, mode: int | None = None
) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`); return the path."""
    final = Path(target)
    with atomic_path(final, mode=mode) as tmp:
        tmp.write_bytes(data)
    return final


def atomic_write_text(
    target: str | os.PathLike[str],
    text: str,
    *,
    encoding: str = "utf-8",
    mode: int | None = None,
) -> Path:
    """Write ``text`` to ``target`` atomically, as is (no line-end translation); return the path."""
    return atomic_write_bytes(target, text.encode(encoding), mode=mode)
