"""Scaling plot of ``bench/bench_steps.py`` results: CPU seconds per step against records.

Reads one or two JSON files written by ``bench_steps.py`` (``--before`` optional) and draws,
one line per step — CPU seconds against the number of records, log-log — solid for the
current code and dashed for ``--before``; the whole process in black.

Usage::

    .venv/bin/python bench/plot_steps.py bench/steps.json --before bench/steps_before.json \
        --first-run bench/steps_first_run.json --out bench/scaling.png
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["main", "plot"]

WHOLE = "whole process (from interpreter start)"


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def plot(
    after: dict[str, Any],
    before: dict[str, Any] | None,
    out: Path,
    title: str,
    first: dict[str, Any] | None = None,
) -> None:
    """Write the PNG: one line per step (after solid, before dashed), log-log axes; with
    ``first``, the whole process of that run dotted (a first run: trees computed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = [k for k in after["results"][after["sizes"][0]]]
    colours = plt.get_cmap("tab20").colors
    fig, ax = plt.subplots(figsize=(10, 6), dpi=120)
    sets = [("after", after, "-")] + ([] if before is None else [("before", before, "--")])
    for name, data, style in sets:
        sizes = [n for n in data["sizes"] if n in data["results"]]
        xs = [int(n) for n in sizes]
        for l_i, label in enumerate(labels):
            ys = [max(data["results"][n].get(label, [0.0, 0.0])[1], 1e-3) for n in sizes]
            whole = label == WHOLE
            ax.plot(
                xs,
                ys,
                style,
                marker="o",
                ms=3,
                lw=2.5 if whole else 1.2,
                color="black" if whole else colours[l_i % len(colours)],
                label=f"{label} ({name})" if (name == "after" or whole) else None,
            )
    if first is not None:
        sizes = [n for n in first["sizes"] if n in first["results"]]
        ax.plot(
            [int(n) for n in sizes],
            [first["results"][n][WHOLE][1] for n in sizes],
            ":",
            marker="o",
            ms=3,
            lw=2.5,
            color="dimgrey",
            label=f"{WHOLE} (first run of the file: trees computed)",
        )
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("seizure-only records (random points)")
    ax.set_ylabel("CPU seconds (process + helpers)")
    ax.set_title(title + ("" if before is None else " — dashed: before"), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="upper left")
    fig.tight_layout()
    fig.savefig(out)


def main(argv: list[str] | None = None) -> int:
    """Command line."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("after", type=Path)
    ap.add_argument("--before", type=Path, default=None)
    ap.add_argument("--first-run", type=Path, default=None, help="steps JSON of a first run")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("scaling.png"))
    ap.add_argument("--title", default="salw-routes map (routes on, infer=priors, k=3): steps")
    args = ap.parse_args(argv)
    before = _load(args.before) if args.before else None
    first = _load(args.first_run) if args.first_run else None
    plot(_load(args.after), before, args.out, args.title, first)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
