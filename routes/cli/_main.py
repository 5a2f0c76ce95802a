"""The ``salw-routes`` click group and its sub-commands (the face re-exports ``main``)."""

from __future__ import annotations

import click

from routes.cli import (
    _demo,
    _inspect,
    _map,
    _process,
    _questionnaire,
    _report,
    _routes,
    _synth,
    _validate,
)

__all__ = ["main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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

    The commands that pause the cyclic garbage collector
    (:func:`routes.cli._process.collector_paused`) freeze their objects at the end instead of
    letting it walk them all just before the process frees them.
    """
    _process.OWN_PROCESS = True
    main(prog_name="salw-routes")
