"""The content key of the bundled network, known without building (or importing) the graph.

Private. The key hashes the bundled node and edge files and the code that builds the graph from
them (:mod:`routes.network._bundled`, :mod:`routes.network._tracked`); the on-disk cache keeps
what is derived from the bundled network under it (the routing index), so a run that needs only
that index reads it back without networkx.
"""

from __future__ import annotations

import functools
from pathlib import Path

from routes._paths import data_dir

__all__ = ["bundle_key"]


@functools.lru_cache(maxsize=1)
def bundle_key() -> str:
    """Content key of the bundled network: its files and the code that builds the graph."""
    from routes._cache import source_digest

    folder = data_dir("network")
    here = Path(__file__)
    return source_digest(
        [
            folder / "nodes.parquet",
            folder / "edges.parquet",
            here.with_name("_bundled.py"),
            here.with_name("_tracked.py"),
        ]
    )
