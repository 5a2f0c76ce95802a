"""``python -m routes.cli``: the ``salw-routes`` command run as a module."""

from __future__ import annotations

import sys

from routes.cli._main import main

__all__: list[str] = []

if __name__ == "__main__":  # pragma: no cover - exercised through a child process
    sys.exit(main(prog_name="salw-routes"))
