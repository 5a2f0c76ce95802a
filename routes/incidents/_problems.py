"""Problems found in rows, collected column-wise, and the rejected-rows table built from them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from routes._pdcompat import STR
from routes.incidents._readers import RawTable
from routes.incidents._text import is_listlike, objects, to_text

__all__ = ["REJECTED_BASE", "Problems", "rejected_frame"]


class Problems:
    """Collects problems as small column-wise batches (positions are 0-based row indexes)."""

    def __init__(self) -> None:
        self.parts: list[pd.DataFrame] = []

    def add(
        self,
        pos: np.ndarray,
        reason: str,
        column: str | np.ndarray | None,
        values: Iterable[Any] | Any,
        messages: Iterable[str] | str,
    ) -> None:
        pos = np.asarray(pos, dtype=np.int64)
        if pos.size == 0:
            return
        n = pos.size
        vals = list(values) if not isinstance(values, str) and is_listlike(values) else [values] * n
        msgs = [messages] * n if isinstance(messages, str) else list(messages)
        self.parts.append(
            pd.DataFrame(
                {
                    "pos": pos,
                    "reason": reason,
                    "column": column,
                    "value": pd.Series(vals, dtype=object).to_numpy(),
                    "message": np.asarray(msgs, dtype=object),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(
                {
                    "pos": np.array([], dtype=np.int64),
                    "reason": pd.Series([], dtype=object),
                    "column": pd.Series([], dtype=object),
                    "value": pd.Series([], dtype=object),
                    "message": pd.Series([], dtype=object),
                }
            )
        out = pd.concat(self.parts, ignore_index=True)
        out["_order"] = np.arange(len(out))
        return out.sort_values(["pos", "_order"], kind="stable").drop(columns="_order")


REJECTED_BASE = ("source_row", "incident_id", "reason", "column", "value", "message")


def rejected_frame(
    pf: pd.DataFrame, frame: pd.DataFrame, table: RawTable, ids: pd.Series
) -> pd.DataFrame:
    pos = pf["pos"].to_numpy(dtype=np.int64)
    base = pd.DataFrame(
        {
            "source_row": (pos + 1).astype(np.int64),
            "incident_id": objects(ids)[pos],
            "reason": pf["reason"].to_numpy(dtype=object),
            "column": pf["column"].to_numpy(dtype=object),
            "value": [None if v is None else str(v) for v in pf["value"].to_numpy(dtype=object)],
            "message": pf["message"].to_numpy(dtype=object),
        }
    )
    raw = frame.iloc[pos].reset_index(drop=True)
    raw_cols = {}
    for col in raw.columns:
        name = str(col)
        if name in REJECTED_BASE:
            name = f"raw:{name}"
        raw_cols[name] = objects(to_text(raw[col]))
    if table.geometry is not None:
        import shapely

        geo = np.asarray(table.geometry.array, dtype=object)[pos]
        raw_cols["raw:geometry" if "geometry" in raw_cols else "geometry"] = shapely.to_wkt(
            geo, rounding_precision=7
        )
    out = pd.concat([base, pd.DataFrame(raw_cols)], axis=1)
    for col in ("incident_id", "reason", "column", "value", "message"):
        out[col] = out[col].astype(STR)
    return out
