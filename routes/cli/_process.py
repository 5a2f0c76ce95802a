"""The process a command runs in: Python's cyclic garbage collector around the commands.

:func:`collector_paused` pauses it for a command that draws no figure; :data:`OWN_PROCESS`
says whether the process ends with the command (the console script, :func:`routes.cli.run`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from routes._io import gc_paused

__all__ = ["OWN_PROCESS", "collector_paused"]

F = TypeVar("F", bound=Callable[..., Any])

#: True in the console script's own process (:func:`routes.cli.run`): the process ends with
#: the command.
OWN_PROCESS = False


def collector_paused(f: F) -> F:
    """Run a command with Python's cyclic garbage collector paused (:func:`routes._io.gc_paused`).

    For the commands that draw no figure (``map``, ``routes``, ``validate``, ``inspect``):
    their many small objects are freed by reference counting, and the collector's passes
    would walk the million objects of the imported libraries again (0.2–0.3 s of a map of
    10⁵ incidents). A command that draws figures keeps it on: matplotlib's figures are
    reference cycles. In the console script's own process the objects are frozen at the end.
    """

    @functools.wraps(f)
    def paused(*args: Any, **kwargs: Any) -> Any:
        with gc_paused(freeze=OWN_PROCESS):
            return f(*args, **kwargs)

    paused.pauses_collector = True  # type: ignore[attr-defined]  # (functools.wraps copies it)
    return paused  # type: ignore[return-value]
