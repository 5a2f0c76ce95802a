"""The `salw-routes report` command (under construction)."""

from __future__ import annotations

import click

__all__ = ["command"]


@click.command(name="report")
def command() -> None:
    """(under construction)"""
    raise click.ClickException("not yet implemented")
