"""Where the bundled data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_dir"]

_PACKAGE = Path(__file__).resolve().parent


def data_dir(kind: str | None = None) -> Path:
    """Return the bundled data folder (``kind`` is a sub-folder such as ``"borders"``).

    A wheel carries the data inside the package as ``routes/_data``; a checkout (editable
    install) reads the repository's ``data/`` folder.
    """
    for base in (_PACKAGE / "_data", _PACKAGE.parent / "data"):
        if base.is_dir():
            return base / kind if kind else base
    raise FileNotFoundError(
        f"salw-routes bundled data not found under {_PACKAGE / '_data'} or "
        f"{_PACKAGE.parent / 'data'}; reinstall the package (pip install salw-routes)."
    )
