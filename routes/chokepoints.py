"""(under construction)"""

from __future__ import annotations

__all__: list[str] = []
