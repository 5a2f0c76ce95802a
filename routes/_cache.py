"""A versioned on-disk cache of arrays derived from the bundled data (work not repeated per run).

Some steps turn the bundled files into the same arrays in every process: the widened region
outline and the border vertices of the region test, for instance. :func:`cached_arrays` keeps
such arrays in one ``.npz`` file per product, named by a key that hashes

- the **content** of every source file (bundled data *and* the module that derives the arrays,
  so a changed file or a changed method gives a new key, whatever the file dates say),
- the product's format version, the package version and the versions of the libraries that
  computed them (GEOS, PROJ).

A changed source therefore means a miss and a rebuild, never a stale hit. The cache is only an
accelerator: whatever goes wrong with it (folder not writable, disk full, a truncated or
foreign file, a key mismatch) the arrays are built afresh, and the caller gets the same arrays
either way (a miss returns what a later hit will load: only numeric and fixed-width text arrays,
no pickles, so a planted cache file cannot run code). Files are written atomically
(:func:`routes._io.atomic_path`); entries of older keys of the same product are removed when a
new one is written.

Location: the folder named by the environment variable ``SALW_ROUTES_CACHE``; ``off`` (or
``0``, ``none``, an empty value) turns the cache off. Default: ``$XDG_CACHE_HOME/salw-routes``,
else ``~/.cache/salw-routes``.

>>> import os, tempfile
>>> from pathlib import Path
>>> before = os.environ.get("SALW_ROUTES_CACHE")
>>> os.environ["SALW_ROUTES_CACHE"] = tempfile.mkdtemp()
>>> src = Path(os.environ["SALW_ROUTES_CACHE"]) / "source.txt"
>>> _ = src.write_text("1 2 3", encoding="utf-8")
>>> def build():
...     return {"values": np.array(src.read_text(encoding="utf-8").split(), dtype=int)}
>>> cached_arrays("demo", sources=[src], build=build, version=1)["values"].tolist()
[1, 2, 3]
>>> cache_status("demo")
'built'
>>> cached_arrays("demo", sources=[src], build=build, version=1)["values"].tolist()
[1, 2, 3]
>>> cache_status("demo")
'hit'
>>> if before is None:
...     del os.environ["SALW_ROUTES_CACHE"]
... else:
...     os.environ["SALW_ROUTES_CACHE"] = before
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

from routes._io import atomic_path

__all__ = ["CACHE_ENV", "cache_dir", "cache_status", "cached_arrays", "source_digest"]

#: The environment variable that names the cache folder (``off`` disables the cache).
CACHE_ENV = "SALW_ROUTES_CACHE"
_OFF = ("", "0", "off", "none", "false", "no")
_KEY = "__cache_key__"
_log = logging.getLogger(__name__)

#: What happened to the last request of each product: "hit", "built" (a miss, written),
#: "unsaved" (a miss that could not be written), "off" (cache disabled).
_STATUS: dict[str, str] = {}


def cache_dir() -> Path | None:
    """The cache folder (it may not exist yet), or None when the cache is turned off."""
    value = os.environ.get(CACHE_ENV)
    if value is not None:
        return None if value.strip().lower() in _OFF else Path(value).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "salw-routes"


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("salw-routes")
    except PackageNotFoundError:  # pragma: no cover - a bare checkout
        return "0+unknown"


def source_digest(sources: Iterable[str | os.PathLike[str]]) -> str:
    """SHA-256 over the names and the full content of ``sources`` (in the order given)."""
    h = hashlib.sha256()
    for src in sources:
        path = Path(src)
        h.update(path.name.encode("utf-8") + b"\0")
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        h.update(b"\0")
    return h.hexdigest()


def cache_status(name: str) -> str | None:
    """What the last :func:`cached_arrays` call for ``name`` did in this process."""
    return _STATUS.get(name)


def _load(path: Path, key: str) -> dict[str, np.ndarray] | None:
    try:
        with open(path, "rb") as fh:  # our own handle: closed whatever np.load makes of it
            npz = np.load(fh, allow_pickle=False)
            if not isinstance(npz, np.lib.npyio.NpzFile):
                return None
            with npz:
                if _KEY not in npz.files or str(npz[_KEY]) != key:
                    return None
                return {k: npz[k] for k in npz.files if k != _KEY}
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
        _log.debug("cache file %s unusable (%s); rebuilding", path, err)
        return None


def _save(folder: Path, name: str, path: Path, key: str, arrays: dict[str, np.ndarray]) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        payload: dict[str, Any] = {**arrays, _KEY: np.array(key)}
        with atomic_path(path) as tmp, open(tmp, "wb") as fh:
            np.savez(fh, allow_pickle=False, **payload)
    except (OSError, ValueError) as err:
        _log.debug("cache file %s not written (%s)", path, err)
        return False
    for old in folder.glob(f"{name}-{'?' * 24}.npz"):  # entries of earlier keys of this product
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
    return True


def cached_arrays(
    name: str,
    *,
    sources: Iterable[str | os.PathLike[str]],
    build: Callable[[], dict[str, np.ndarray]],
    version: int,
    extra: Iterable[str] = (),
) -> dict[str, np.ndarray]:
    """The arrays ``build()`` returns, from the cache when its sources are unchanged.

    Parameters
    ----------
    name
        The product (a file-name stem such as ``"region"``).
    sources
        Every file the arrays are derived from: the bundled data files and the module that
        derives them. Their content is part of the key.
    build
        Makes the arrays: a dict of numeric, boolean or fixed-width text (``U``/``S``) numpy
        arrays (no object arrays: they would need a pickle).
    version
        The product's format version; bump it when the arrays' layout changes.
    extra
        More text for the key: the versions of the libraries whose results the arrays hold
        (e.g. GEOS for buffered outlines).

    Returns
    -------
    dict of numpy.ndarray
        The same arrays whether built now or loaded (a miss returns the arrays as stored).
    """
    folder = cache_dir()
    if folder is None:
        _STATUS[name] = "off"
        return build()
    key = "|".join([name, f"v{version}", _package_version(), *extra, source_digest(sources)])
    path = folder / f"{name}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}.npz"
    got = _load(path, key)
    if got is not None:
        _STATUS[name] = "hit"
        return got
    arrays = build()
    bad = [k for k, a in arrays.items() if a.dtype.hasobject]
    if bad:
        raise TypeError(f"cached_arrays({name!r}): object arrays {bad} cannot be cached")
    _STATUS[name] = "built" if _save(folder, name, path, key, arrays) else "unsaved"
    return arrays
