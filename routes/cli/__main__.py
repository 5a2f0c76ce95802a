"""``python -m routes.cli``: the ``salw-routes`` command run as a module."""

from __future__ import annotations

from routes.cli._main import run

__all__: list[str] = []

if __name__ == "__main__":  # pragma: no cover - exercised through a child process
    run()
