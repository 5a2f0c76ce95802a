"""Where the bundled data lives, in a checkout and in an installed wheel."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from routes._errors import mapping_error

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["data_dir", "read_mapping_file"]

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


def read_mapping_file(
    mapping: str | Path, *, not_found: Callable[[], str]
) -> tuple[dict[str, Any], str]:
    """A mapping's TOML (a path, or the name of a bundled mapping) and the file it came from.

    A bare name without suffix that is not a file is looked up in ``data/mappings``.

    Raises
    ------
    routes.ValidationError
        ``bad_mapping``: no such file (message ``not_found()``), or not UTF-8 TOML.
    """
    path = Path(mapping)
    if not path.is_file() and path.suffix == "" and path.name == str(mapping):
        bundled = data_dir("mappings") / f"{mapping}.toml"
        if bundled.is_file():
            path = bundled
    if not path.is_file():
        raise mapping_error(not_found(), str(mapping))
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise mapping_error(f"mapping file is not valid UTF-8 TOML: {err}", str(path)) from None
