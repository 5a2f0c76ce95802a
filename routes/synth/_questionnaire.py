"""A SYNTHETIC questionnaire that matches the synthetic incident sample.

Real questionnaire returns are not public, so the demo and the notebooks use one generated from
the bundled synthetic incidents (``data/questionnaire/synthetic_questionnaire.csv``, rebuilt by
``scripts/build_questionnaire.py``). Every row's ``source`` starts with ``"SYNTHETIC"``.

How the figures are made (seeded, deterministic):

- each jurisdiction's incident file is taken to hold a share of what its Focal Point reports
  (the *coverage*, drawn once per jurisdiction between 35 % and 75 %), so each questionnaire
  count is the sample's count for that jurisdiction and year divided by the coverage, plus a
  Poisson term in proportion to the population (census table) for the many small cases that
  never reach an incident table;
- ``seized_weapons`` is itemised by the sample's firearm categories and its total is their sum;
  ``found_weapons``/``surrendered_weapons`` come from the found and surrendered records,
  ``converted_weapons`` and ``blank_firing_weapons`` from those categories, ammunition rounds,
  hand grenades and cases from the seizure records, explosives in kilograms from the explosives
  records (0.2-2.5 kg an item), persons as 1.1-1.5 per case;
- ``reported_route`` rows count the sample's seizures with a known country of departure and
  destination (country codes, or the gazetteer's country of a place name), with the reporting
  jurisdiction as transit when it is neither end;
- three flaws a real return can have are put in on purpose, so that the checks have something
  to show: Bosnia and Herzegovina's 2021 ``seized_weapons`` total is 3 more than its categories
  (``total_mismatch``), Montenegro gives no ``cases`` for 2020 (``missing_year``), and North
  Macedonia's 2022 explosives are reported in grams instead of kilograms (``jump``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from routes._constants import WESTERN_BALKANS
from routes._paths import data_dir
from routes.geo import country_code, load_gazetteer
from routes.questionnaire import (
    QUESTIONNAIRE_COLUMNS,
    load_population,
    write_questionnaire_workbook,
)

__all__ = [
    "SYNTHETIC_QUESTIONNAIRE_SOURCE",
    "synthesize_questionnaire",
    "synthetic_questionnaire_path",
    "write_synthetic_questionnaire",
]

SYNTHETIC_QUESTIONNAIRE_SOURCE = "SYNTHETIC (salw-routes; not real statistics)"
_FIREARMS = (
    "pistol",
    "revolver",
    "rifle",
    "shotgun",
    "automatic_rifle",
    "submachine_gun",
    "machine_gun",
    "converted_weapon",
    "craft_or_3d_printed",
)
#: Firearms of an unstated type: counted without noise (no random draw, so the other figures
#: stay those of the sample without them).
_GENERIC_FIREARM = "firearm"
_COLUMNS = [c.name for c in QUESTIONNAIRE_COLUMNS]


def synthetic_questionnaire_path() -> Path:
    """The bundled synthetic questionnaire (``data/questionnaire/synthetic_questionnaire.csv``)."""
    return data_dir("questionnaire") / "synthetic_questionnaire.csv"


def _country(value: Any, gazetteer: Any) -> str | None:
    if value is None or (isinstance(value, float) and value != value) or not str(value).strip():
        return None
    code = country_code(str(value))
    if code is not None:
        return code
    try:
        return str(gazetteer.lookup(str(value)).jurisdiction)
    except (LookupError, ValueError):
        return None


def _routes(sample: pd.DataFrame, coverage: dict[str, float]) -> list[dict[str, Any]]:
    gaz = load_gazetteer()
    seized = sample[(sample["event"] == "seizure") & sample["year"].notna()]
    counts: dict[tuple[str, int, str, str, str], int] = {}
    cache: dict[Any, str | None] = {}
    for rec in seized[["jurisdiction", "year", "origin", "destination"]].to_dict("records"):
        ends = []
        for key in ("origin", "destination"):
            v = rec[key]
            if v not in cache:
                cache[v] = _country(v, gaz)
            ends.append(cache[v])
        a, b = ends
        if a is None or b is None or a == b:
            continue
        jur = str(rec["jurisdiction"])
        via = "" if jur in (a, b) else jur
        k = (jur, int(rec["year"]), a, via, b)
        counts[k] = counts.get(k, 0) + 1
    rows = []
    for (jur, year, a, via, b), n in sorted(counts.items()):
        value = round(n / coverage[jur])
        if value:
            rows.append(
                {
                    "jurisdiction": jur,
                    "year": year,
                    "indicator": "reported_route",
                    "category": "total",
                    "value": value,
                    "from": a,
                    "via": via or None,
                    "to": b,
                }
            )
    return rows


def synthesize_questionnaire(
    sample: pd.DataFrame | None = None, *, seed: int = 20231
) -> pd.DataFrame:
    """Generate the synthetic questionnaire (long table) for an incident sample.

    Parameters
    ----------
    sample
        Incident records with jurisdiction, date, event, category, quantity, origin,
        destination (default: the bundled synthetic sample's CSV).
    seed
        Seed of the random generator.

    Returns
    -------
    pandas.DataFrame
        The long questionnaire columns (jurisdiction, year, indicator, category, value, from,
        via, to, source, notes); every ``source`` starts with ``"SYNTHETIC"``.
    """
    if sample is None:
        sample = pd.read_csv(data_dir("incidents") / "synthetic_incidents_sample.csv")
    rng = np.random.default_rng(seed)
    coverage = {c: float(rng.uniform(0.35, 0.75)) for c in WESTERN_BALKANS}
    millions = load_population().set_index("jurisdiction")["population"] / 1e6
    s = sample.copy()
    s["year"] = pd.to_datetime(s["date"], errors="coerce").dt.year
    s["quantity"] = pd.to_numeric(s["quantity"], errors="coerce").fillna(1)
    s = s[s["year"].notna() & s["jurisdiction"].isin(WESTERN_BALKANS)]
    years = sorted(int(y) for y in s["year"].unique())
    rows: list[dict[str, Any]] = []

    def add(jur: str, year: int, ind: str, value: float, category: str = "total") -> None:
        rows.append(
            {
                "jurisdiction": jur,
                "year": year,
                "indicator": ind,
                "category": category,
                "value": value,
            }
        )

    for jur in WESTERN_BALKANS:
        cov = coverage[jur]
        pop_m = float(millions[jur])
        for year in years:
            b = s[(s["jurisdiction"] == jur) & (s["year"] == year)]
            seized = b[b["event"] == "seizure"]

            def scaled(
                frame: pd.DataFrame,
                cats: tuple[str, ...],
                extra: float = 1.0,
                cov: float = cov,
                pop_m: float = pop_m,
            ) -> int:
                q = float(frame[frame["category"].isin(cats)]["quantity"].sum())
                return int(np.rint(q / cov + rng.poisson(extra * pop_m)))

            parts = {c: scaled(seized, (c,), 3.0) for c in _FIREARMS}
            generic = seized[seized["category"] == _GENERIC_FIREARM]["quantity"].sum()
            parts[_GENERIC_FIREARM] = int(np.rint(float(generic) / cov))
            parts = {c: v for c, v in parts.items() if v > 0}
            total = sum(parts.values())
            if jur == "BA" and year == 2021:
                total += 3  # deliberate: a total that is not the sum of its categories
            add(jur, year, "seized_weapons", total)
            for c, v in parts.items():
                add(jur, year, "seized_weapons", v, c)
            add(
                jur,
                year,
                "found_weapons",
                scaled(b[b["event"] == "found"], (*_FIREARMS, _GENERIC_FIREARM), 12.0),
            )
            add(
                jur,
                year,
                "surrendered_weapons",
                scaled(b[b["event"] == "surrendered"], (*_FIREARMS, _GENERIC_FIREARM), 12.0),
            )
            add(jur, year, "converted_weapons", parts.get("converted_weapon", 0))
            add(jur, year, "blank_firing_weapons", scaled(seized, ("blank_firing_weapon",), 25.0))
            add(jur, year, "seized_ammunition_rounds", scaled(seized, ("ammunition",), 800.0))
            add(jur, year, "seized_hand_grenades", scaled(seized, ("hand_grenade",), 8.0))
            items = float(seized[seized["category"] == "explosives"]["quantity"].sum())
            kg = round(items * float(rng.uniform(0.2, 2.5)) / cov + rng.poisson(6.0 * pop_m), 1)
            if jur == "MK" and year == 2022:
                kg = round(kg * 1000 + 500.0, 1)  # deliberate: grams reported as kilograms
            add(jur, year, "seized_explosives_kg", kg)
            cases = int(np.rint(len(seized) / cov + rng.poisson(25.0 * pop_m)))
            if not (jur == "ME" and year == 2020):  # deliberate: a year left out
                add(jur, year, "cases", cases)
            add(jur, year, "persons", int(np.rint(cases * float(rng.uniform(1.1, 1.5)))))
    rows += _routes(s, coverage)
    out = pd.DataFrame(rows).reindex(columns=_COLUMNS)
    out["source"] = SYNTHETIC_QUESTIONNAIRE_SOURCE
    out["year"] = out["year"].astype(int)
    return out


def write_synthetic_questionnaire(path: str | os.PathLike[str], *, seed: int = 20231) -> Path:
    """Write the synthetic questionnaire as CSV (long table) or XLSX (wide workbook)."""
    from routes._io import atomic_write_text

    frame = synthesize_questionnaire(seed=seed)
    target = Path(path)
    if target.suffix.lower() == ".xlsx":
        return write_questionnaire_workbook(
            frame, target, title="SYNTHETIC questionnaire - not real statistics"
        )
    if target.suffix.lower() != ".csv":
        raise ValueError(
            f"unknown suffix {target.suffix!r}; write the questionnaire as .csv or .xlsx"
        )
    text = frame.to_csv(index=False, lineterminator="\n")
    return atomic_write_text(target, text)
