"""Fingerprint every output of the demo and of a sharing-safe report, to prove a change inert.

Runs, from the checkout this script belongs to (or ``--repo``), ``salw-routes demo --no-share-safe``
and ``salw-routes report SAMPLE --share-safe`` with a fixed pseudonymisation salt, then prints one
line per output file: its SHA-256 and its path. Files that embed the time they were written are
fingerprinted by content: a GeoPackage by the rows of each layer (geometry as WKB), an XLSX by
its zip members without ``docProps/core.xml``, the manifests without the byte hashes of those two.

Usage::

    python scripts/hash_outputs.py /tmp/before > before.sha      # on the old commit
    python scripts/hash_outputs.py /tmp/after > after.sha        # on the new one
    python scripts/hash_outputs.py /tmp/after --compare before.sha   # exit 1 on any difference
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

__all__ = ["fingerprint", "main", "run_outputs"]

REPO = Path(__file__).resolve().parents[1]
SALT = "fixed-salt-for-output-fingerprints"
_TIMESTAMPED = (".gpkg", ".xlsx")


def _cli(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    code = "from routes.cli import main; main()"
    full = {**os.environ, "PYTHONPATH": str(repo), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=repo, env=full, capture_output=True, text=True
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"salw-routes {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")


def run_outputs(out: Path, *, repo: Path = REPO) -> None:
    """Write the demo (without its random-salt sharing-safe part) and a salted safe report."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    _cli(repo, "demo", "--out", str(out / "demo"), "--no-share-safe")
    sample = repo / "data" / "incidents" / "synthetic_incidents_sample.csv"
    _cli(
        repo,
        "report",
        str(sample),
        "--out",
        str(out / "safe"),
        "--share-safe",
        "--salt-env",
        "SALW_FINGERPRINT_SALT",
        env={"SALW_FINGERPRINT_SALT": SALT},
    )


def _gpkg_digest(path: Path) -> str:
    import pandas as pd
    import pyogrio

    parts = []
    for name, _ in pyogrio.list_layers(path):
        frame = pyogrio.read_dataframe(path, layer=name)
        if "geometry" in frame:
            wkb = frame.geometry.to_wkb(hex=True)
            frame = pd.DataFrame(frame.drop(columns="geometry")).assign(geometry=wkb)
        parts.append(name + frame.to_csv(index=False))
    return hashlib.sha256("".join(parts).encode()).hexdigest()


def _xlsx_digest(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        names = sorted(n for n in z.namelist() if n != "docProps/core.xml")
        return hashlib.sha256(b"".join(n.encode() + z.read(n) for n in names)).hexdigest()


def _manifest_digest(path: Path) -> str:
    doc = json.loads(path.read_text(encoding="utf-8"))
    for rel, meta in doc.get("files", {}).items():
        if rel.endswith(_TIMESTAMPED):
            meta.pop("sha256", None)
            meta.pop("bytes", None)
    return hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()


def fingerprint(root: Path) -> list[tuple[str, str]]:
    """``(sha256, relative path)`` of every file under ``root``, timestamps left out."""
    rows = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.suffix == ".gpkg":
            digest = _gpkg_digest(path)
        elif path.suffix == ".xlsx":
            digest = _xlsx_digest(path)
        elif path.name == "manifest.json":
            digest = _manifest_digest(path)
        else:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
        rows.append((digest, path.relative_to(root).as_posix()))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the outputs into (replaced)")
    parser.add_argument("--repo", type=Path, default=REPO, help="checkout whose code runs")
    parser.add_argument("--compare", type=Path, help="an earlier listing; exit 1 if it differs")
    args = parser.parse_args(argv)
    run_outputs(args.out, repo=args.repo.resolve())
    rows = fingerprint(args.out)
    if args.compare is None:
        for digest, rel in rows:
            print(digest, rel)
        return 0
    before = {}
    for line in args.compare.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, rel = line.split(maxsplit=1)
            before[rel] = digest
    after = {rel: digest for digest, rel in rows}
    changed = sorted(r for r in before.keys() | after.keys() if before.get(r) != after.get(r))
    for rel in changed:
        print(f"differs: {rel}")
    print(f"{len(after)} files, {len(changed)} differ")
    return 1 if changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
