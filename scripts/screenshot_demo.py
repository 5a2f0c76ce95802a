"""Take the README's picture: the demo's route-frequency map in a real headless browser.

Runs ``salw-routes demo`` into a temporary folder, opens ``salw_routes_demo.html`` in Debian's
Chromium (Playwright; never a downloaded browser) with every request that is not ``file://`` or
``data:`` refused, waits until the page has drawn its layers, and writes the screenshot as an
optimised palette PNG.

    python scripts/screenshot_demo.py                      # -> docs/images/demo_route_map.png
    python scripts/screenshot_demo.py --out other.png --width 1600 --height 1000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

__all__ = ["main", "optimise_png", "screenshot"]

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
DEFAULT_OUT = REPO / "docs" / "images" / "demo_route_map.png"


def screenshot(html: Path, out: Path, *, width: int, height: int) -> list[str]:
    """Screenshot one offline map page; return the console errors and refused requests."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []

    def route(r: Any) -> None:
        if r.request.url.startswith(("file://", "data:")):
            r.continue_()
        else:
            problems.append(f"request refused: {r.request.url}")
            r.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", route)
            page.on("console", lambda m: m.type == "error" and problems.append(m.text))
            page.on("pageerror", lambda exc: problems.append(str(exc)))
            page.goto(html.as_uri())
            page.wait_for_function(
                "window.salwMap && window.salwMap.state.updates > 0", timeout=60_000
            )
            page.wait_for_timeout(1_000)  # let the canvas layers finish drawing
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()
    return problems


def optimise_png(path: Path, *, colours: int = 256) -> None:
    """Rewrite a PNG as an optimised palette image (a map has few distinct colours)."""
    from PIL import Image

    with Image.open(path) as img:
        rgb = img.convert("RGB")
    pal = rgb.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    pal.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    """Run the demo, take the screenshot, optimise it; print where it went and its size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="salw-demo-") as tmp:
        subprocess.run(
            [sys.executable, "-m", "routes.cli", "demo", "--out", tmp, "--no-share-safe"],
            check=True,
            cwd=REPO,
        )
        html = Path(tmp) / "salw_routes_demo.html"
        args.out.parent.mkdir(parents=True, exist_ok=True)
        problems = screenshot(html, args.out, width=args.width, height=args.height)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    optimise_png(args.out)
    print(f"{args.out}: {args.out.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
