"""The ``salw-routes`` click group and its sub-commands (the face re-exports ``main``)."""

from __future__ import annotations

import gc
from typing import Any

import click

from routes._io import gc_paused
from routes.cli import (
    _demo,
    _inspect,
    _map,
    _questionnaire,
    _report,
    _routes,
    _synth,
    _validate,
)

__all__ = ["Main", "main", "run"]


class Main(click.Group):
    """The command group; each command runs with the cyclic garbage collector paused.

    A command is one short process that allocates many small objects reference counting
    frees; the collector's full passes would walk again, each time, the million objects of
    pandas, geopandas, scipy and folium (0.2-0.3 s of a map of 10⁵ incidents). It is
    restored when the command returns or fails (a test or notebook calling :func:`main`
    keeps its own setting).
    """

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command with :func:`routes._io.gc_paused`."""
        with gc_paused():
            return super().invoke(ctx)


@click.group(cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="salw-routes", prog_name="salw-routes")
def main() -> None:
    """Map small-arms and light-weapons trafficking routes in the Western Balkans.

    Kosovo*: *This designation is without prejudice to positions on status, and is in line
    with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of independence.
    """


main.add_command(_validate.command)
main.add_command(_inspect.command)
main.add_command(_routes.command)
main.add_command(_map.command)
main.add_command(_report.command)
main.add_command(_demo.command)
main.add_command(_synth.command)
main.add_command(_questionnaire.command)


def run() -> None:
    """The ``salw-routes`` console script: :func:`main` in a process of its own.

    The cyclic garbage collector stays off until the process ends: :func:`main` pauses it
    for each command anyway (see :class:`Main`), and turned back on at the end it would walk
    every object the command made just before the process frees them all.
    """
    gc.disable()
    main(prog_name="salw-routes")
