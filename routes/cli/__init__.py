"""The ``salw-routes`` command: a thin shell over the public API.

Takes command-line arguments (input paths, options) and gives output files and exit codes: each
sub-command (``validate``, ``routes``, ``map``, ``report``, ``demo``, ``synth``) lives in its own
private module ``routes/cli/_<name>.py``, parses its paths and options and calls the public
functions of :mod:`routes`. Python's cyclic garbage collector is paused while the commands'
libraries are imported (their objects then join its oldest generation) and while a command that
draws no figure runs (:func:`routes.cli._process.collector_paused`).
"""

from __future__ import annotations

from routes._io import gc_paused

with gc_paused(promote=True):  # importing the commands' libraries (see the module docstring)
    from routes.cli._main import main, run

__all__ = ["main", "run"]
