"""Run every benchmark of bench/ in turn (``make bench``); each prints its own table.

Each script measures in fresh child processes, so running them one after another keeps the
numbers independent. Each script has its own options for smaller runs (``--help``).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

__all__ = ["main"]

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    "bench_load.py",
    "bench_read.py",
    "bench_routes.py",
    "bench_maps.py",
    "bench_pool.py",
]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark scripts; return the number of scripts that failed."""
    del argv  # the scripts take different options; run them at their documented defaults
    failed = 0
    for name in SCRIPTS:
        print(f"\n=== {name} ===", flush=True)
        proc = subprocess.run([sys.executable, str(HERE / name)], check=False)
        if proc.returncode != 0:
            print(f"{name} failed with exit status {proc.returncode}", file=sys.stderr)
            failed += 1
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
