"""The JS/CSS the offline maps inline: read once from ``routes/maps/_assets/``.

Third-party files (Leaflet, Leaflet.heat) are extracted by ``scripts/build_assets.py`` from the
PyPI package folium-offline 0.20.0.2; ``salw_map.js`` / ``salw_map.css`` are this project's own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

__all__ = ["ASSET_DIR", "asset_text", "script_tag", "style_tag"]

ASSET_DIR = Path(__file__).resolve().parent / "_assets"


@lru_cache(maxsize=16)
def asset_text(name: str) -> str:
    """Return the text of a bundled asset, refusing anything that could close its tag early."""
    path = ASSET_DIR / name
    if not path.is_file():
        raise FileNotFoundError(
            f"map asset {path} is missing; rebuild it with 'python scripts/build_assets.py' "
            "or reinstall salw-routes."
        )
    text = path.read_text(encoding="utf-8")
    closing = "</script" if name.endswith(".js") else "</style"
    if closing in text.lower():
        raise ValueError(f"map asset {path} contains {closing!r} and cannot be inlined")
    return text


def script_tag(name: str) -> str:
    """Return ``<script>`` with the asset inlined."""
    return f"<script>/* {name} */\n{asset_text(name)}</script>"


def style_tag(name: str) -> str:
    """Return ``<style>`` with the asset inlined."""
    return f"<style>/* {name} */\n{asset_text(name)}</style>"
