"""The `salw-routes synth` command (under construction)."""

from __future__ import annotations

import click

__all__ = ["command"]


@click.command(name="synth")
def command() -> None:
    """(under construction)"""
    raise click.ClickException("not yet implemented")
