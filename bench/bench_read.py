"""Benchmark: read + validate canonical incident CSVs (issue 2, item 8).

Generates, with a fixed seed, in a temporary folder:

- ``coords_1e5.csv`` / ``coords_1e6.csv``: canonical CSVs with coordinates (points scattered
  around gazetteer places of the region; mixed ``dd.mm.yyyy`` / ISO dates; jurisdiction left
  empty on 10 % of rows so that it is derived from the point; 0.5 % deliberately bad rows);
- ``places_1e5.csv``: 1e5 rows with place names only (resolved by the offline gazetteer).

Each file is read with ``routes.read_incidents(path, strict=False)`` in a fresh child process,
which reports wall-clock seconds and its own peak resident memory
(``resource.getrusage(RUSAGE_SELF).ru_maxrss``). Goal: 1e6 rows in <= 20 s, peak <= 4 GB.

Run: ``.venv/bin/python bench/bench_read.py`` (``--sizes 1e5`` for a quick run).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["generate_coordinates_csv", "generate_places_csv", "main"]

SEED = 20231
CATEGORIES = [
    "pistol",
    "automatic_rifle",
    "hand_grenade",
    "ammunition",
    "rifle",
    "Pištolj",
    "bomba",
]
MODI = ["private_vehicle", "bus", "truck", "parcel_post", "on_foot", "unknown"]
YES_NO = ["yes", "no", "unknown", "da", "ne"]


def _places() -> pd.DataFrame:
    from routes import WESTERN_BALKANS, load_gazetteer

    places = load_gazetteer().places
    return places[places["jurisdiction"].isin(WESTERN_BALKANS)].reset_index(drop=True)


def _common(rng: np.random.Generator, n: int) -> dict[str, object]:
    days = rng.integers(0, 7 * 365, n)
    dates = pd.Timestamp("2018-01-01") + pd.to_timedelta(days, unit="D")
    iso = dates.strftime("%Y-%m-%d").to_numpy(dtype=object)
    dmy = dates.strftime("%d.%m.%Y").to_numpy(dtype=object)
    return {
        "incident_id": np.char.add("INC-", np.arange(1, n + 1).astype(str)),
        "date": np.where(rng.random(n) < 0.5, iso, dmy),
        "event": rng.choice(["seizure", "found", "surrendered"], n),
        "category": rng.choice(CATEGORIES, n),
        "quantity": rng.integers(1, 20, n),
        "origin": rng.choice(["BA", "RS", "Tuzla", "Niš", ""], n),
        "transit": rng.choice(["HR|SI", "RS-HR-BATROVCI", "", "MK; RS"], n),
        "destination": rng.choice(["DE", "AT", "SE", "FR", "NL"], n),
        "crossing": rng.choice(["RS-HR-BATROVCI", "BA-HR-GRADISKA", "MK-RS-TABANOVCE", ""], n),
        "modus_operandi": rng.choice(MODI, n),
        "ocg_involved": rng.choice(YES_NO, n),
        "migrants_involved": rng.choice(YES_NO, n),
        "source": "benchmark",
        "verification": rng.choice(["confirmed", "probable", "unverified"], n),
        "notes": rng.choice(["", "found in hidden compartment", "tip-off; controlled delivery"], n),
    }


def generate_coordinates_csv(path: Path, n: int, *, seed: int = SEED) -> Path:
    """Write ``n`` canonical rows with coordinates (0.5 % bad rows) to ``path``."""
    rng = np.random.default_rng(seed)
    places = _places()
    pick = rng.integers(0, len(places), n)
    lat = places["latitude"].to_numpy()[pick] + rng.normal(0, 0.02, n)
    lon = places["longitude"].to_numpy()[pick] + rng.normal(0, 0.02, n)
    jur = places["jurisdiction"].to_numpy(dtype=object)[pick].copy()
    jur[rng.random(n) < 0.10] = ""
    data = _common(rng, n)
    data.update(
        {
            "jurisdiction": jur,
            "place": places["name"].to_numpy(dtype=object)[pick],
            "latitude": np.round(lat, 5),
            "longitude": np.round(lon, 5),
            "location_precision": "exact",
        }
    )
    df = pd.DataFrame(data)
    bad = rng.choice(n, size=max(1, n // 200), replace=False)
    kinds = np.arange(bad.size) % 4
    df["date"] = df["date"].astype(object)
    df.loc[bad[kinds == 0], "date"] = "31.04.2023"
    df.loc[bad[kinds == 1], "quantity"] = -1
    df["category"] = df["category"].astype(object)
    df.loc[bad[kinds == 2], "category"] = "pistoll"
    swap = bad[kinds == 3]
    df.loc[swap, ["latitude", "longitude"]] = df.loc[swap, ["longitude", "latitude"]].to_numpy()
    df.to_csv(path, index=False)
    return path


def generate_places_csv(path: Path, n: int, *, seed: int = SEED) -> Path:
    """Write ``n`` canonical rows with place names (and jurisdiction) but no coordinates."""
    rng = np.random.default_rng(seed)
    places = _places()
    pick = rng.integers(0, len(places), n)
    data = _common(rng, n)
    data.update(
        {
            "jurisdiction": places["jurisdiction"].to_numpy(dtype=object)[pick],
            "place": places["name"].to_numpy(dtype=object)[pick],
        }
    )
    pd.DataFrame(data).to_csv(path, index=False)
    return path


def _peak_rss_kb(fallback: int) -> int:
    """Peak resident memory of this process (VmHWM; ru_maxrss survives exec on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return fallback


def _child(path: str) -> None:
    t0 = time.perf_counter()
    import routes

    t1 = time.perf_counter()
    u1 = resource.getrusage(resource.RUSAGE_SELF)
    result = routes.read_incidents(path, strict=False)
    t2 = time.perf_counter()
    u2 = resource.getrusage(resource.RUSAGE_SELF)
    peak_kb = _peak_rss_kb(u2.ru_maxrss)
    print(
        json.dumps(
            {
                "import_s": t1 - t0,
                "seconds": t2 - t1,
                "cpu_s": (u2.ru_utime + u2.ru_stime) - (u1.ru_utime + u1.ru_stime),
                "rows": result.rows_read,
                "accepted": len(result.accepted),
                "rejected": result.rows_rejected,
                "peak_mb": peak_kb / 1024,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    """Generate the files, read each in a child process, print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e5,1e6", help="row counts of the coordinate CSVs")
    parser.add_argument("--places", default="1e5", help="row count of the place-name CSV")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child)
        return 0
    if args.generate:
        kind, size, out = args.generate
        make = generate_coordinates_csv if kind == "coords" else generate_places_csv
        make(Path(out), int(size))
        return 0
    cases = []
    with tempfile.TemporaryDirectory(prefix="salw-bench-") as tmp:
        folder = Path(tmp)
        for size in [int(float(s)) for s in args.sizes.split(",") if s]:
            cases.append(
                (
                    f"{size:,} rows with coordinates",
                    generate_coordinates_csv(folder / f"coords_{size}.csv", size),
                )
            )
        if args.places:
            size = int(float(args.places))
            cases.append(
                (
                    f"{size:,} rows, place names only",
                    generate_places_csv(folder / f"places_{size}.csv", size),
                )
            )
        rows = []
        for name, path in cases:
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(path)],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode:
                print(proc.stderr, file=sys.stderr)
                return proc.returncode
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            mb = path.stat().st_size / 1e6
            rate = res["rows"] / res["seconds"]
            rows.append(
                f"| {name} | {mb:.0f} MB | {res['seconds']:.1f} | {res['cpu_s']:.1f} | "
                f"{rate:,.0f} | {res['peak_mb']:,.0f} MB | "
                f"{res['accepted']:,} / {res['rejected']:,} |"
            )
            print(name, res, file=sys.stderr)
    print(
        "| case | file | wall s | CPU s | rows/s (wall) | peak memory (RSS) | accepted / rejected |"
    )
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
