"""Benchmark: cold load time of the bundled geography, from a checkout and from a wheel.

Each measurement runs in a fresh Python process (nothing cached): the time to ``import
routes``, the first call (cold: files read and parsed) and a second call (the per-process cache)
of ``load_borders``, ``load_crossings`` and ``load_network``; the median of ``--repeat`` runs
is reported. With ``--wheel`` the package is also built as a wheel
(``pip wheel --no-deps``), installed with ``--no-deps`` into a throwaway venv that sees the
runtime dependencies of ``.venv`` through a ``.pth`` file, and ``load_network`` is timed there
from a folder outside the checkout (so only the wheel's ``routes/_data`` can be used).

Usage::

    .venv/bin/python bench/bench_load.py [--repeat 5] [--wheel] [--write-readme]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

__all__ = ["main"]

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
README = Path(__file__).resolve().parent / "README.md"
LOADERS = ("load_borders", "load_crossings", "load_network")

_PROBE = """
import json, time
t0 = time.perf_counter()
import routes
t1 = time.perf_counter()
out = {"import_s": t1 - t0, "routes_file": routes.__file__}
for name in %r:
    f = getattr(routes, name)
    a = time.perf_counter(); obj = f(); b = time.perf_counter(); f(); c = time.perf_counter()
    out[name] = {"first_s": b - a, "again_s": c - b, "size": len(obj)}
    if name == "load_network":
        out[name]["edges"] = obj.number_of_edges()
        out[name]["crs"] = obj.graph["crs"]
print(json.dumps(out))
"""


def _probe(python: str, loaders: tuple[str, ...], cwd: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    done = subprocess.run(
        [python, "-c", _PROBE % (loaders,)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"probe failed with {python}:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _median(runs: list[dict], loader: str | None, key: str) -> float:
    vals = [r[key] if loader is None else r[loader][key] for r in runs]
    return float(statistics.median(vals))


def _wheel_venv(tmp: Path) -> str:
    whl_dir = tmp / "whl"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(whl_dir), str(REPO)],
        check=True,
    )
    wheel = next(whl_dir.glob("salw_routes-*.whl"))
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    py = str(venv / "bin" / "python")
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    # the runtime dependencies of .venv, appended after the venv's own site-packages (a .pth
    # in a non-site folder is not processed, so .venv's editable hook to the checkout is not)
    Path(site, "zz_runtime_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            site,
            str(wheel),
        ],
        check=True,
    )
    return py


def _sizes() -> list[tuple[str, int]]:
    return [
        (str(p.relative_to(REPO)), p.stat().st_size)
        for p in sorted(DATA.rglob("*"))
        if p.is_file() and p.name != "README.md"
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--wheel", action="store_true", help="also time load_network from a wheel")
    ap.add_argument("--write-readme", action="store_true", help="update bench/README.md")
    args = ap.parse_args(argv)

    runs = [_probe(sys.executable, LOADERS, REPO) for _ in range(args.repeat)]
    lines = [
        f"Fresh process per run, median of {args.repeat} runs "
        f"(Python {sys.version.split()[0]}, {os.cpu_count()} cores, shared machine).",
        "",
        "| step | first call (cold) | second call | objects |",
        "|---|---|---|---|",
        f"| `import routes` | {_median(runs, None, 'import_s'):.2f} s | | |",
    ]
    for name in LOADERS:
        extra = (
            f"{runs[0][name]['size']} nodes, {runs[0][name]['edges']} edges"
            if name == "load_network"
            else f"{runs[0][name]['size']} rows"
        )
        lines.append(
            f"| `routes.{name}()` | {_median(runs, name, 'first_s'):.2f} s "
            f"| {_median(runs, name, 'again_s'):.2f} s | {extra} |"
        )
    if args.wheel:
        with tempfile.TemporaryDirectory() as tmp:
            py = _wheel_venv(Path(tmp))
            wruns = [_probe(py, ("load_network",), Path(tmp)) for _ in range(args.repeat)]
            where = wruns[0]["routes_file"]
            if not where.startswith(tmp):
                raise SystemExit(f"wheel check imported routes from {where}, not the wheel")
            if wruns[0]["load_network"]["edges"] != runs[0]["load_network"]["edges"]:
                raise SystemExit("the wheel's network differs from the checkout's")
            lines.append(
                f"| `routes.load_network()` from the wheel | "
                f"{_median(wruns, 'load_network', 'first_s'):.2f} s | "
                f"{_median(wruns, 'load_network', 'again_s'):.2f} s | "
                f"{wruns[0]['load_network']['edges']} edges, crs "
                f"{wruns[0]['load_network']['crs']} |"
            )
    sizes = _sizes()
    lines += ["", "| bundled file | size |", "|---|---|"]
    lines += [f"| `{rel}` | {size / 1024:.0f} KiB |" for rel, size in sizes]
    total = sum(s for _, s in sizes)
    lines.append(f"| **total data/** | **{total / 1024 / 1024:.2f} MiB** (budget 15 MiB) |")
    text = "\n".join(lines)
    print(text)
    if args.write_readme:
        _write_section(text)
    return 0


def _write_section(text: str) -> None:
    start, end = "<!-- section: load -->", "<!-- end section: load -->"
    block = (
        f"{start}\n## Bundled data: load time and size (`bench/bench_load.py`)\n\n"
        f"`.venv/bin/python bench/bench_load.py --wheel --write-readme`\n\n"
        "The first call reads and parses the files; later calls in the same process reuse the "
        "parsed tables (borders, crossings: a copy of the frame; network: a new graph built "
        "from the cached columns, so callers may change it freely). The wheel row runs in a "
        "throwaway venv holding only the built wheel (plus the runtime dependencies of "
        "`.venv`), from a folder outside the checkout.\n\n"
        f"{text}\n{end}"
    )
    old = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    if start in old and end in old:
        new = old[: old.index(start)] + block + old[old.index(end) + len(end) :]
    else:
        new = old.rstrip("\n") + "\n\n" + block + "\n"
    tmp = README.with_suffix(".md.tmp")
    tmp.write_text(new, encoding="utf-8")
    os.replace(tmp, README)


if __name__ == "__main__":
    raise SystemExit(main())
