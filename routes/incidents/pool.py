"""Pooling several agencies' incident files into one table, keeping each record's provenance.

Each file is read on its own (:func:`routes.read_incidents`, lenient), so a repeated id
*within* one file is still rejected (``duplicate_id``), while the same local number in two
files (``00001`` at the border police and at customs) is normal. :func:`pool_reads` stacks the
reads and gives every record:

- ``incident_id``: the **pooled id** ``<prefix>:<local id>``, unique across the pool (the
  prefix is the source's ``id_prefix``, by default a slug of its name);
- ``reporting``: the name of the source (the agency that reported it), shown in outputs;
- ``local_id``: the source's own id, as in its file.

The file's own ``source`` column (a register or unit name) is kept as it was.
:func:`sources_table` gives per source: path, rows read, accepted, rejected (rows per reason)
and the date range; rows read = accepted + rejected for every source and for the pool.

>>> import pandas as pd
>>> from routes.incidents.read import incidents_from_frame
>>> a = incidents_from_frame(pd.DataFrame({"incident_id": ["00001"], "place": ["Niš"]}),
...                          strict=False, source_name="a.csv")
>>> b = incidents_from_frame(pd.DataFrame({"incident_id": ["00001", "00001"],
...                                        "place": ["Skopje", "Skopje"]}),
...                          strict=False, source_name="b.csv")
>>> pooled = pool_reads({"Police": a, "Customs": b})
>>> pooled.accepted[["incident_id", "reporting", "local_id"]].values.tolist()
[['police:00001', 'Police', '00001'], ['customs:00001', 'Customs', '00001']]
>>> pooled.rows_read, len(pooled.accepted), pooled.rows_rejected
(3, 2, 1)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from routes._errors import Problem, ValidationError
from routes.incidents.read import IncidentReadResult

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "PROVENANCE_COLUMNS",
    "SOURCES_COLUMNS",
    "PooledReadResult",
    "id_prefix",
    "pool_reads",
    "sources_table",
]

#: Columns pooling adds to every record (after ``incident_id``).
PROVENANCE_COLUMNS = ("reporting", "local_id")

#: Columns of :func:`sources_table` (then one ``rejected_<reason>`` column per reason seen).
SOURCES_COLUMNS = (
    "reporting",
    "id_prefix",
    "path",
    "rows_read",
    "accepted",
    "rejected",
    "date_min",
    "date_max",
)

_SLUG = re.compile(r"[^a-z0-9]+")


def id_prefix(reporting: str) -> str:
    """The default pooled-id prefix of a source: its name in lower case ASCII, ``_`` for gaps.

    >>> id_prefix("MK Customs / Carina")
    'mk_customs_carina'
    >>> id_prefix("Policija Crne Gore")
    'policija_crne_gore'
    """
    ascii_name = unicodedata.normalize("NFKD", reporting).encode("ascii", "ignore").decode()
    return _SLUG.sub("_", ascii_name.lower()).strip("_") or "source"


@dataclass
class PooledReadResult(IncidentReadResult):
    """An :class:`IncidentReadResult` of several files: rows counted per (source, row).

    ``rejected`` has the column ``reporting`` first; ``parts`` keeps each source's own read
    (source name -> result) and ``prefixes`` each source's pooled-id prefix.
    """

    parts: Mapping[str, IncidentReadResult] | None = None
    prefixes: Mapping[str, str] | None = None

    @property
    def rows_rejected(self) -> int:
        """Number of distinct rejected rows over all sources."""
        return sum(part.rows_rejected for part in (self.parts or {}).values())

    def problems(self, *, limit: int | None = None) -> list[Problem]:
        """Every problem of every source, each naming its own file (the first ``limit``)."""
        out: list[Problem] = []
        for part in (self.parts or {}).values():
            left = None if limit is None else limit - len(out)
            if left is not None and left <= 0:
                break
            out.extend(part.problems(limit=left))
        return out

    def summary(self) -> dict[str, Any]:
        """As :meth:`IncidentReadResult.summary`, counted over the pool, plus ``sources``.

        ``sources`` is :func:`sources_table` as a list of records (JSON-ready).
        """
        out = super().summary()
        by_rows: dict[str, int] = {}
        for part in (self.parts or {}).values():
            for reason, n in part.summary()["rejected_rows_by_reason"].items():
                by_rows[reason] = by_rows.get(reason, 0) + n
        out["rejected_rows_by_reason"] = by_rows
        table = sources_table(self)
        out["sources"] = [
            {k: (None if pd.isna(v) else v) for k, v in rec.items()}
            for rec in table.astype(object).to_dict("records")
        ]
        return out


def _check_prefixes(prefixes: Mapping[str, str]) -> None:
    seen: dict[str, str] = {}
    problems = []
    for name, prefix in prefixes.items():
        if not prefix or ":" in prefix:
            problems.append(
                Problem(
                    f"source {name!r}: id_prefix {prefix!r} must be non-empty text without ':'; "
                    "give a short code such as 'al_police'",
                    reason="bad_prefix",
                )
            )
        elif prefix in seen:
            problems.append(
                Problem(
                    f"sources {seen[prefix]!r} and {name!r} share the pooled-id prefix "
                    f"{prefix!r}; give one of them its own id_prefix",
                    reason="bad_prefix",
                )
            )
        seen.setdefault(prefix, name)
    if problems:
        raise ValidationError(problems)


def pool_reads(
    reads: Mapping[str, IncidentReadResult],
    *,
    prefixes: Mapping[str, str] | None = None,
    file: str = "<pool>",
) -> PooledReadResult:
    """Stack several sources' reads into one, with pooled ids and provenance columns.

    Parameters
    ----------
    reads
        Source name (the ``reporting`` agency) -> that source's lenient read, in order.
    prefixes
        Source name -> pooled-id prefix (default: :func:`id_prefix` of the name).
    file
        The name of the pool (the assessment file), as ``file`` of the result.

    Returns
    -------
    PooledReadResult
        Rows read, accepted and rejected summed over the sources; ``accepted`` carries
        ``incident_id`` (pooled), ``reporting`` and ``local_id``; ``rejected`` carries
        ``reporting``.

    Raises
    ------
    routes.ValidationError
        When no source is given, or two sources would share a prefix.
    """
    import geopandas as gpd

    if not reads:
        raise ValidationError("no incident source to pool; give at least one [[incidents]]")
    pre = {name: (prefixes or {}).get(name) or id_prefix(name) for name in reads}
    _check_prefixes(pre)
    accepted: list[gpd.GeoDataFrame] = []
    rejected: list[pd.DataFrame] = []
    for name, part in reads.items():
        acc = part.accepted.copy()
        local = acc["incident_id"].astype(str)
        position = acc.columns.get_loc("incident_id") + 1
        acc["incident_id"] = pre[name] + ":" + local
        acc.insert(position, "reporting", name)
        acc.insert(position + 1, "local_id", local.to_numpy())
        accepted.append(acc)
        rej = part.rejected.copy()
        rej.insert(0, "reporting", name)
        rejected.append(rej)
    pooled = pd.concat(accepted, ignore_index=True)
    frame = gpd.GeoDataFrame(pooled, geometry="geometry", crs=accepted[0].crs)
    result = PooledReadResult(
        frame,
        pd.concat(rejected, ignore_index=True),
        sum(part.rows_read for part in reads.values()),
        file,
        {"format": "assessment", "sources": len(reads)},
        next((part.places for part in reads.values() if part.places is not None), None),
        parts=dict(reads),
        prefixes=pre,
    )
    assert result.rows_read == len(result.accepted) + result.rows_rejected
    return result


def sources_table(pooled: PooledReadResult) -> pd.DataFrame:
    """One row per source: path, rows read, accepted, rejected (rows per reason), dates.

    Columns: :data:`SOURCES_COLUMNS`, then ``rejected_<reason>`` (distinct rejected rows of
    that reason; a row with two problems counts under both) for every reason seen.
    """
    rows = []
    for name, part in (pooled.parts or {}).items():
        s = part.summary()
        rows.append(
            {
                "reporting": name,
                "id_prefix": (pooled.prefixes or {}).get(name, id_prefix(name)),
                "path": part.file,
                "rows_read": s["rows_read"],
                "accepted": s["accepted"],
                "rejected": s["rejected"],
                "date_min": s["date_min"],
                "date_max": s["date_max"],
                **{f"rejected_{k}": v for k, v in s["rejected_rows_by_reason"].items()},
            }
        )
    table = pd.DataFrame(rows, columns=list(SOURCES_COLUMNS)) if not rows else pd.DataFrame(rows)
    extra = sorted(c for c in table.columns if c.startswith("rejected_"))
    table[extra] = table[extra].fillna(0).astype("int64")
    return table[[*SOURCES_COLUMNS, *extra]]
