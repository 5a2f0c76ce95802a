"""Atomic file writing for the report outputs: the names the report modules import.

Thin aliases of :mod:`routes._io` (one implementation for the whole package).
"""

from __future__ import annotations

from routes._io import atomic_path
from routes._io import atomic_write_bytes as write_bytes
from routes._io import atomic_write_text as write_text

__all__ = ["atomic_path", "write_bytes", "write_text"]
