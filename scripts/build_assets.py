"""Extract the few third-party JS/CSS files the offline maps inline into ``routes/maps/_assets/``.

Source: the PyPI package ``folium-offline`` 0.20.0.2 (Sandia National Laboratories, MIT),
whose ``offlinefolium/elements.py`` holds every folium 0.20 resource in a dict ``_res`` keyed by
its CDN URL. Only what :mod:`routes.maps` uses is extracted:

- Leaflet 1.9.3 JS and CSS (BSD-2-Clause, Vladimir Agafonkin); the CSS already carries its
  images as ``data:`` URIs, so the page never asks for ``images/*.png``;
- Leaflet.heat (BSD-2-Clause, Vladimir Agafonkin; simpleheat included), folium's patched build.

Usage::

    pip install folium-offline==0.20.0.2      # or: pip install -e .[data]
    python scripts/build_assets.py

The script refuses to write a file that would make the browser fetch anything (``url(http...)``,
``@import``, ``//cdn`` in CSS) and writes atomically.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routes._io import atomic_write_text  # noqa: E402

__all__ = ["ASSETS", "main"]

OUT = REPO / "routes" / "maps" / "_assets"

#: file name in routes/maps/_assets -> CDN URL key in offlinefolium.elements._res
ASSETS: dict[str, str] = {
    "leaflet.js": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    "leaflet.css": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    "leaflet-heat.js": (
        "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/"
        "leaflet_heat.min.js"
    ),
}

_FETCHING_CSS = re.compile(r"@import|url\(\s*['\"]?(?!data:|#)", re.IGNORECASE)


def main() -> int:
    """Extract the assets; print name, size and SHA-256 of each."""
    try:
        from offlinefolium.elements import _res  # type: ignore[import-not-found]
    except ImportError:
        print("folium-offline is missing: pip install folium-offline==0.20.0.2", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    for name, url in ASSETS.items():
        text = _res[url].strip() + "\n"
        if name.endswith(".css") and _FETCHING_CSS.search(text):
            print(f"{name}: CSS from {url} would fetch a resource; refusing", file=sys.stderr)
            return 1
        atomic_write_text(OUT / name, text, mode=0o644)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        print(f"{name}: {len(text.encode()):,} bytes sha256 {digest}... from {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
