"""The report folder: staging, the manifest, and moving every file into place at the end."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from routes._io import atomic_write_text
from routes.report._page import AnnexFile, OutputFile, Section

__all__ = [
    "FOLDER_ORDER",
    "annex_files",
    "manifest_file",
    "ordered_files",
    "publish",
    "sha256",
    "staging_folder",
]

#: Folders in the order the manifest lists their files; other folders follow, first seen first.
FOLDER_ORDER: tuple[str, ...] = ("figures", "tables", "gis", "maps")

MANIFEST = "manifest.json"
_MANIFEST_DESCRIPTION = "Every file with its SHA-256 checksum"


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh staging folder inside ``out``, removed afterwards whatever happens."""
    staging = Path(tempfile.mkdtemp(prefix=".report-staging-", dir=out))
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def ordered_files(sections: Iterable[Section]) -> list[OutputFile]:
    """Every file of the sections, grouped by folder (:data:`FOLDER_ORDER`), as written.

    Raises
    ------
    ValueError
        Two sections wrote the same path.
    """
    files = [f for s in sections for f in s.files]
    seen: set[str] = set()
    for f in files:
        if f.relpath in seen:
            raise ValueError(f"two annex sections wrote {f.relpath!r}; give each file its own path")
        seen.add(f.relpath)
    folders = list(FOLDER_ORDER)
    for f in files:
        top = f.relpath.split("/")[0] if "/" in f.relpath else ""
        if top not in folders:
            folders.append(top)

    def rank(f: OutputFile) -> int:
        return folders.index(f.relpath.split("/")[0] if "/" in f.relpath else "")

    return sorted(files, key=rank)


def annex_files(files: Iterable[OutputFile]) -> list[AnnexFile]:
    """The file list of the annex: every file by path, then the manifest."""
    listed = [AnnexFile(f.relpath, f.description, f.path.stat().st_size) for f in files]
    listed.sort(key=lambda a: a.relpath)
    listed.append(AnnexFile(MANIFEST, _MANIFEST_DESCRIPTION, 0))
    return listed


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def manifest_file(
    staging: Path, files: Sequence[OutputFile], about: Mapping[str, Any]
) -> OutputFile:
    """Write ``manifest.json``: the ``about`` entries, then every file with size and SHA-256."""
    manifest = {
        **about,
        "files": {
            f.relpath: {
                "sha256": sha256(f.path),
                "bytes": f.path.stat().st_size,
                "description": f.description,
            }
            for f in files
        },
    }
    path = atomic_write_text(
        staging / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    return OutputFile(MANIFEST, path, _MANIFEST_DESCRIPTION)


def publish(files: Iterable[OutputFile], out: Path) -> dict[str, Path]:
    """Move every staged file to its place in ``out``; returns relative path -> final path."""
    final: dict[str, Path] = {}
    for f in files:
        target = out / f.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        f.path.replace(target)
        final[f.relpath] = target
    return final
