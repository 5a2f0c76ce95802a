"""Pooling several sources: provenance, pooled ids, counts, duplicate candidates, merging."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from routes._errors import ValidationError
from routes.incidents import (
    DuplicateRule,
    duplicate_candidates,
    incidents_from_frame,
    load_assessment,
    merge_duplicates,
    pool_reads,
    read_assessment,
    sources_table,
)

#: metres per degree of latitude (near 42° N, to within 0.5 %).
M_PER_DEG_LAT = 111_100


def _read(name: str, rows: dict[str, list[object]]) -> object:
    return incidents_from_frame(pd.DataFrame(rows), strict=False, source_name=name)


def test_pool_keeps_provenance_and_counts_rows_per_source() -> None:
    police = _read(
        "police.csv",
        {"incident_id": ["00001", "00002", "00002"], "place": ["Niš", "Skopje", "Skopje"]},
    )
    customs = _read(
        "customs.csv",
        {"incident_id": ["00001", "00002", ""], "place": ["Niš", "Tirana", "Skopje"]},
    )
    pooled = pool_reads({"Police": police, "Customs": customs})  # type: ignore[dict-item]
    acc = pooled.accepted
    assert acc["incident_id"].tolist() == ["police:00001", "police:00002", "customs:00001",
                                           "customs:00002"]  # fmt: skip
    assert acc["reporting"].tolist() == ["Police", "Police", "Customs", "Customs"]
    assert acc["local_id"].tolist() == ["00001", "00002", "00001", "00002"]
    # row 3 is rejected in both files: two rejected rows, not one
    assert (pooled.rows_read, len(acc), pooled.rows_rejected) == (6, 4, 2)
    assert sorted(pooled.rejected["reporting"]) == ["Customs", "Police"]
    summary = pooled.summary()
    assert summary["rejected_rows_by_reason"] == {"duplicate_id": 1, "missing_id": 1}
    assert [s["rows_read"] for s in summary["sources"]] == [3, 3]
    assert {p.file for p in pooled.problems()} == {"police.csv", "customs.csv"}
    assert len(pooled.problems()) == len(pooled.rejected)  # one per rejection, as one file's
    assert [p.file for p in pooled.problems(limit=1)] == ["police.csv"]  # the first in order
    assert pooled.problems(limit=0) == []
    table = sources_table(pooled)
    assert table[["reporting", "rows_read", "accepted", "rejected"]].values.tolist() == [
        ["Police", 3, 2, 1],
        ["Customs", 3, 2, 1],
    ]
    assert table["rejected_duplicate_id"].tolist() == [1, 0]
    assert table["rejected_missing_id"].tolist() == [0, 1]


def test_pool_refuses_shared_prefixes() -> None:
    a = _read("a.csv", {"incident_id": ["1"], "place": ["Niš"]})
    with pytest.raises(ValidationError, match="share the pooled-id prefix 'mup'"):
        pool_reads({"MUP": a, "mup": a})  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match="without ':'"):
        pool_reads({"MUP": a}, prefixes={"MUP": "a:b"})  # type: ignore[dict-item]


def _frame(
    rows: list[tuple[str, str, str | None, float, float, str, int, str]],
) -> gpd.GeoDataFrame:
    ids, src, dates, lats, lons, cats, qty, prec = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {
            "incident_id": list(ids),
            "reporting": list(src),
            "local_id": [i.split(":")[1] for i in ids],
            "date": pd.to_datetime(list(dates)),
            "category": list(cats),
            "quantity": pd.array(list(qty), dtype="Int64"),
            "location_precision": list(prec),
        },
        geometry=[Point(lon, lat) for lat, lon in zip(lats, lons, strict=True)],
        crs="EPSG:4326",
    )


LAT, LON = 42.0, 21.4
NORTH_300 = 300 / M_PER_DEG_LAT


def test_candidates_follow_the_rule() -> None:
    inc = _frame(
        [
            ("a:1", "A", "2023-05-01", LAT, LON, "pistol", 2, "exact"),
            ("b:1", "B", "2023-05-02", LAT + NORTH_300, LON, "pistol", 3, "exact"),  # pair
            ("b:2", "B", "2023-05-01", LAT, LON, "rifle", 2, "exact"),  # other goods
            ("a:2", "A", "2023-05-01", LAT, LON, "pistol", 2, "exact"),  # same source as a:1
            ("b:3", "B", "2023-05-04", LAT, LON, "pistol", 2, "exact"),  # 3 days after a:1
            ("b:4", "B", "2023-05-01", LAT, LON, "pistol", 9, "exact"),  # 9 vs 2: too many
            ("b:5", "B", "2023-05-01", LAT, LON, "pistol", 2, "country"),  # coarse point
            ("b:6", "B", None, LAT, LON, "pistol", 2, "exact"),  # undated
        ]
    )
    out = duplicate_candidates(inc)
    # a:1-b:1 and b:1-a:2 (a:2 is at the same point and day as a:1; "a" comes first)
    assert out[["id_a", "id_b"]].values.tolist() == [["a:1", "b:1"], ["b:1", "a:2"]]
    row = out.iloc[0]
    assert (row["reporting_a"], row["reporting_b"]) == ("A", "B")
    assert (row["local_id_a"], row["local_id_b"]) == ("1", "1")
    assert row["day_difference"] == 1
    assert 297 <= row["distance_m"] <= 303  # 300 m north, measured in EPSG:3035
    # score = mean(1 - 300/1000, 1 - 1/3, 2/3) with the measured distance
    expected = ((1 - row["distance_m"] / 1000) + (1 - 1 / 3) + 2 / 3) / 3
    assert math.isclose(row["score"], round(expected, 3))
    # a wider rule takes b:3 (3 days) and b:4 (ratio 2/9) too
    wide = duplicate_candidates(inc, rule=DuplicateRule(days=3, quantity_ratio=0.2))
    assert {"b:3", "b:4"} <= set(wide["id_b"])
    # a tighter distance drops the 300 m pair
    assert duplicate_candidates(inc, rule=DuplicateRule(distance_m=250)).empty
    assert duplicate_candidates(inc.drop(columns=["reporting"])).empty


def test_merge_keeps_one_record_with_both_provenances() -> None:
    inc = _frame(
        [
            ("a:1", "A", "2023-05-01", LAT, LON, "pistol", 2, "exact"),
            ("b:1", "B", "2023-05-02", LAT + NORTH_300, LON, "pistol", 2, "exact"),
            ("c:1", "C", "2023-05-01", LAT, LON, "pistol", 2, "exact"),
            ("a:9", "A", "2023-09-01", LAT, LON, "rifle", 1, "exact"),
        ]
    )
    cands = duplicate_candidates(inc)
    assert len(cands) == 3  # a-b, a-c, b-c
    kept, merged = merge_duplicates(inc, cands)
    # the best pair (a:1, c:1: same point, same day) is merged first; b:1 pairs only with
    # records already merged, so it stays
    assert merged[["id_a", "id_b"]].values.tolist() == [["a:1", "c:1"]]
    assert kept["incident_id"].tolist() == ["a:1", "b:1", "a:9"]
    assert kept["reporting"].tolist() == ["A + C", "B", "A"]
    assert kept["merged_ids"].tolist() == ["c:1", None, None]


def test_rule_lists_every_bad_threshold() -> None:
    with pytest.raises(ValidationError) as err:
        duplicate_candidates(
            _frame([("a:1", "A", "2023-05-01", LAT, LON, "pistol", 2, "exact")]),
            rule=DuplicateRule(distance_m=-1, days=1.5, quantity_ratio=2),  # type: ignore[arg-type]
        )
    text = str(err.value)
    assert "3 problem(s)" in text
    for part in ("distance_m = -1", "days = 1.5", "quantity_ratio = 2"):
        assert part in text


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 1),
            st.integers(0, 6),
            st.floats(0, 0.03),
            st.floats(0, 0.03),
            st.sampled_from(["pistol", "rifle"]),
            st.integers(1, 4),
        ),
        min_size=2,
        max_size=25,
    )
)
def test_tree_search_equals_brute_force(
    rows: list[tuple[int, int, float, float, str, int]],
) -> None:
    inc = _frame(
        [
            (f"{'ab'[s]}:{i}", "AB"[s], f"2023-05-{1 + d:02d}", LAT + dy, LON + dx, c, q, "exact")
            for i, (s, d, dy, dx, c, q) in enumerate(rows)
        ]
    )
    rule = DuplicateRule(distance_m=1500, days=2, quantity_ratio=0.5)
    got = set(map(tuple, duplicate_candidates(inc, rule=rule)[["id_a", "id_b"]].values.tolist()))
    x, y = inc.to_crs(3035).geometry.x.to_numpy(), inc.to_crs(3035).geometry.y.to_numpy()
    want = set()
    for i in range(len(rows)):
        for j in range(i + 1, len(rows)):
            (si, di, _, _, ci, qi), (sj, dj, _, _, cj, qj) = rows[i], rows[j]
            if si == sj or ci != cj or abs(di - dj) > 2 or min(qi, qj) / max(qi, qj) < 0.5:
                continue
            if np.hypot(x[i] - x[j], y[i] - y[j]) <= 1500:
                want.add((inc["incident_id"][i], inc["incident_id"][j]))
    assert got == want


def _write(folder: Path, text: str) -> Path:
    path = folder / "assessment.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_assessment_lists_every_problem(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("incident_id,place\n1,Niš\n", encoding="utf-8")
    path = _write(
        tmp_path,
        """titel = "x"
dedupe = "drop"
from = 2024-02-01
to = 2024-01-01
[[incidents]]
path = "a.csv"
reporting = "A"
[[incidents]]
path = "missing.csv"
reporting = "B"
mapping = "no_such_mapping"
[[incidents]]
path = "a.csv"
[duplicates]
days = -1
""",
    )
    with pytest.raises(ValidationError) as err:
        load_assessment(path)
    text = str(err.value)
    assert "unknown key 'titel'; did you mean 'title'?" in text
    assert "dedupe = 'drop'; use 'flag'" in text
    assert "from 2024-02-01 is after to 2024-01-01" in text
    assert "path 'missing.csv': no such file" in text
    assert "mapping 'no_such_mapping' is neither a TOML file" in text
    assert "[[incidents]] #3: reporting is missing" in text
    assert "[duplicates] duplicate rule: days = -1" in text
    assert len(err.value.problems) == 7


def test_load_assessment_resolves_paths_and_options(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("incident_id,place\n1,Niš\n", encoding="utf-8")
    (tmp_path / "m.toml").write_text("[columns]\nincident_id = 'ID'\n", encoding="utf-8")
    path = _write(
        tmp_path,
        """title = "T"
from = 2023-01-01
share_safe = true
dedupe = "merge"
[[incidents]]
path = "a.csv"
reporting = "A"
mapping = "m.toml"
id_prefix = "al"
[duplicates]
distance_m = 500
""",
    )
    a = load_assessment(path)
    assert a.title == "T"
    assert a.options == {"from": dt.date(2023, 1, 1), "share_safe": True}
    assert a.sources[0].path == (tmp_path / "a.csv").resolve()
    assert a.sources[0].mapping == str((tmp_path / "m.toml").resolve())
    assert (a.dedupe, a.rule.distance_m, a.rule.days) == ("merge", 500, 2)


def test_no_incidents_table_says_what_a_mapping_is(tmp_path: Path) -> None:
    path = _write(tmp_path, "[columns]\nincident_id = 'ID'\n")
    with pytest.raises(ValidationError, match=r"no \[\[incidents\]\] table"):
        load_assessment(path)


def test_read_assessment_names_each_unreadable_source(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("incident_id,place\n1,Niš\n", encoding="utf-8")
    (tmp_path / "b.csv").write_bytes(b"")
    path = _write(
        tmp_path,
        '[[incidents]]\npath = "a.csv"\nreporting = "A"\nmapping = "iom_mmp"\n'
        '[[incidents]]\npath = "b.csv"\nreporting = "B"\n',
    )
    with pytest.raises(ValidationError) as err:
        read_assessment(path)
    assert {p.message.split(":")[0] for p in err.value.problems} == {"source 'A'", "source 'B'"}


def test_two_agency_fixture_finds_the_planted_pairs(fixtures: Path) -> None:
    folder = fixtures / "assessment"
    pooled = read_assessment(folder / "assessment.toml")
    assert pooled.sources["rows_read"].tolist() == [200, 212]
    assert pooled.sources["accepted"].tolist() == [200, 212]
    planted = pd.read_csv(folder / "planted_pairs.csv", dtype=str)
    want = set(
        zip(
            "albanian_state_police:" + planted["police_id"],
            "mk_customs:" + planted["customs_id"],
            strict=True,
        )
    )
    got = set(zip(pooled.candidates["id_a"], pooled.candidates["id_b"], strict=True))
    assert len(want & got) >= 11
    assert len(got) <= 24
    assert len(pooled.incidents) == 412  # flagged, not dropped


def test_merge_mode_keeps_one_record_per_planted_pair(fixtures: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "a"
    shutil.copytree(fixtures / "assessment", folder)
    path = folder / "assessment.toml"
    text = path.read_text(encoding="utf-8").split("[questionnaire]")[0]
    path.write_text('dedupe = "merge"\n' + text, encoding="utf-8")
    pooled = read_assessment(path)
    assert len(pooled.merged) == len(pooled.candidates) == 12
    assert len(pooled.incidents) == 412 - 12
    both = pooled.incidents["reporting"] == "Albanian State Police + MK Customs"
    assert int(both.sum()) == 12
    assert set(pooled.incidents.loc[both, "merged_ids"]) == set(pooled.merged["id_b"])
    assert pooled.sources["accepted"].tolist() == [200, 212]  # every record still counted
