"""Rebuild the bundled SYNTHETIC incident sample and the validation demo (deterministic).

    python scripts/build_sample.py            # writes data/incidents/*.csv
    python scripts/build_sample.py --check    # fails if the committed files differ

Writes
- ``data/incidents/synthetic_incidents_sample.csv``: 2,500 synthetic incidents, seed 20231,
  dates 2019-01-01 .. 2025-12-31 (see :mod:`routes.synth` for the modelling choices);
- ``data/incidents/synthetic_bad_rows.csv``: 8 good rows, then one deliberately bad row per
  rejection rule of the reader (see ``routes.synth._bad.BAD_ROWS``).

The files are SYNTHETIC: no row describes a real incident.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from routes.synth.sample import synthesize_bad_rows, synthesize_incidents, write_incidents

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "incidents"
SAMPLE_ROWS = 2500
SEED = 20231
START, END = "2019-01-01", "2025-12-31"
BAD_GOOD_ROWS = 8


def build(out: Path) -> list[Path]:
    """Write both files into ``out`` and return their paths."""
    sample = synthesize_incidents(SAMPLE_ROWS, seed=SEED, start=START, end=END)
    bad = synthesize_bad_rows(good_rows=BAD_GOOD_ROWS, seed=SEED)
    return [
        write_incidents(sample, out / "synthetic_incidents_sample.csv"),
        write_incidents(bad, out / "synthetic_bad_rows.csv"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    if not args.check:
        for path in build(OUT):
            print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size:,} bytes)")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        stale = [
            p.name
            for p in build(Path(tmp))
            if not (OUT / p.name).is_file() or (OUT / p.name).read_bytes() != p.read_bytes()
        ]
    if stale:
        print(f"out of date: {', '.join(stale)}; run python scripts/build_sample.py")
        return 1
    print("data/incidents is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
