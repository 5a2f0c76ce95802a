"""Import budget of ``salw-routes map``: ``python -X importtime`` of the whole command.

Runs the default map command (routes on) on a three-point file in a fresh process under
``-X importtime``, several times, and reports per top-level package the import time (sum of
the *self* times of its modules, so nothing is counted twice), the total, and whether the total
is within ``--budget`` seconds (exit 1 if not). The structural side — which modules the map
path must not import at all — is the test ``tests/base/test_map_imports.py``.

Usage::

    .venv/bin/python bench/bench_imports.py                 # 3 runs, budget 1.6 s
    .venv/bin/python bench/bench_imports.py --runs 5 --budget 1.2 --top 25
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

__all__ = ["import_times", "main"]

REPO = Path(__file__).resolve().parents[1]
POINTS = (
    "incident_id,date,latitude,longitude,category,quantity\n"
    "A-1,2024-03-01,43.856,18.413,pistol,2\n"
    "A-2,2024-03-02,42.441,19.263,rifle,1\n"
    "A-3,2024-03-03,41.997,21.428,ammunition,40\n"
)


def import_times(folder: Path, *, bytecode: bool = True) -> dict[str, float]:
    """Seconds of import per top-level package in one ``salw-routes map`` process.

    ``bytecode``: let Python use and write ``__pycache__`` (as an installed package does; a
    ``PYTHONDONTWRITEBYTECODE=1`` environment otherwise compiles every module of the checkout
    from source in every process, ~0.5-0.9 s on the build machine).
    """
    csv = folder / "points.csv"
    csv.write_text(POINTS, encoding="utf-8")
    code = (
        "from routes.cli import main\n"
        f"main(['map', {str(csv)!r}, '--out', {str(folder / 'm.html')!r}], "
        "standalone_mode=False)"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-3000:])
    out: dict[str, float] = defaultdict(float)
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        parts = line.split("|")
        self_us, name = int(parts[0].split(":")[1]), parts[2].strip()
        out[name.split(".")[0]] += int(self_us) / 1e6
    return dict(out)


def main(argv: list[str] | None = None) -> int:
    """Command line: print the table, exit 1 when the total exceeds the budget."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--budget", type=float, default=1.6, help="seconds, median total")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument(
        "--no-bytecode", action="store_true", help="keep PYTHONDONTWRITEBYTECODE (compile each run)"
    )
    args = ap.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        if not args.no_bytecode:
            import_times(Path(tmp))  # warm-up: writes the checkout's __pycache__
        for _ in range(args.runs):
            runs.append(import_times(Path(tmp), bytecode=not args.no_bytecode))
    names = sorted({n for r in runs for n in r})
    med = {n: statistics.median(r.get(n, 0.0) for r in runs) for n in names}
    total = statistics.median(sum(r.values()) for r in runs)
    print(f"load average {os.getloadavg()[0]:.1f}; median of {args.runs} runs\n")
    print("| package | import s (median) |\n|---|---:|")
    for n in sorted(med, key=med.get, reverse=True)[: args.top]:  # type: ignore[arg-type]
        print(f"| {n} | {med[n]:.3f} |")
    print(f"| **total** | **{total:.3f}** |\n")
    ok = total <= args.budget
    print(f"budget {args.budget:.2f} s: {'within' if ok else 'EXCEEDED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
