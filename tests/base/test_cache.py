"""The on-disk cache (routes._cache) and the cached region model: hit, miss, corrupt, unwritable."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import routes
from routes import _cache
from routes._paths import data_dir
from routes.geo import _region


class Builder:
    """Counts its calls; builds arrays from a source file."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.calls = 0

    def __call__(self) -> dict[str, np.ndarray]:
        self.calls += 1
        values = self.source.read_text(encoding="utf-8").split()
        return {"numbers": np.array(values, dtype=np.int64), "names": np.array(values, dtype=str)}


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(_cache.CACHE_ENV, str(folder))
    return folder


def _get(source: Path, build: Builder, **kw: object) -> dict[str, np.ndarray]:
    return _cache.cached_arrays("demo", sources=[source], build=build, version=1, **kw)  # type: ignore[arg-type]


def test_hit_after_build(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("3 1 4", encoding="utf-8")
    build = Builder(src)
    first = _get(src, build)
    assert _cache.cache_status("demo") == "built"
    assert [p.name.split("-")[0] for p in cache.iterdir()] == ["demo"]
    second = _get(src, build)
    assert _cache.cache_status("demo") == "hit"
    assert build.calls == 1
    for key in ("numbers", "names"):
        assert second[key].dtype == first[key].dtype
        assert np.array_equal(second[key], first[key])
    assert second["numbers"].tolist() == [3, 1, 4]


def test_changed_content_is_a_miss_and_replaces_the_old_entry(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("1 2", encoding="utf-8")
    build = Builder(src)
    _get(src, build)
    (old,) = cache.iterdir()
    src.write_text("1 2 5", encoding="utf-8")  # same name, other content
    got = _get(src, build)
    assert _cache.cache_status("demo") == "built"
    assert got["numbers"].tolist() == [1, 2, 5]
    assert build.calls == 2
    (new,) = cache.iterdir()  # the entry of the old key is gone
    assert new != old
    assert _get(src, build)["numbers"].tolist() == [1, 2, 5]
    assert build.calls == 2


def test_version_package_and_extra_are_part_of_the_key(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "src.txt"
    src.write_text("7", encoding="utf-8")
    build = Builder(src)
    _get(src, build)
    _cache.cached_arrays("demo", sources=[src], build=build, version=2)
    assert build.calls == 2
    _get(src, build, extra=["geos 9.9"])
    assert build.calls == 3
    monkeypatch.setattr(_cache, "_package_version", lambda: "99.0")
    _get(src, build, extra=["geos 9.9"])
    assert build.calls == 4


@pytest.mark.parametrize(
    "damage",
    [
        b"",  # truncated to nothing
        b"PK\x03\x04 not really a zip",
        b"\x93NUMPY garbage",
    ],
)
def test_corrupt_file_is_rebuilt(cache: Path, tmp_path: Path, damage: bytes) -> None:
    src = tmp_path / "src.txt"
    src.write_text("2 7 1 8", encoding="utf-8")
    build = Builder(src)
    _get(src, build)
    (entry,) = cache.iterdir()
    entry.write_bytes(damage)
    got = _get(src, build)
    assert _cache.cache_status("demo") == "built"
    assert got["numbers"].tolist() == [2, 7, 1, 8]
    assert build.calls == 2
    assert _get(src, build)["numbers"].tolist() == [2, 7, 1, 8]  # and it was written again
    assert _cache.cache_status("demo") == "hit"


def test_foreign_file_under_the_right_name_is_not_trusted(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("5 5", encoding="utf-8")
    build = Builder(src)
    _get(src, build)
    (entry,) = cache.iterdir()
    np.savez(entry, numbers=np.array([666]), __cache_key__=np.array("another key"))
    assert _get(src, build)["numbers"].tolist() == [5, 5]
    assert build.calls == 2


def test_pickled_arrays_are_never_loaded(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("1", encoding="utf-8")
    build = Builder(src)
    _get(src, build)
    (entry,) = cache.iterdir()
    key = str(np.load(entry)["__cache_key__"])
    np.savez(entry, numbers=np.array([object()], dtype=object), __cache_key__=np.array(key))
    assert _get(src, build)["numbers"].tolist() == [1]
    assert build.calls == 2


def test_unwritable_cache_folder_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(_cache.CACHE_ENV, str(blocker / "cache"))  # cannot be created
    src = tmp_path / "src.txt"
    src.write_text("4 2", encoding="utf-8")
    build = Builder(src)
    assert _get(src, build)["numbers"].tolist() == [4, 2]
    assert _cache.cache_status("demo") == "unsaved"
    assert _get(src, build)["numbers"].tolist() == [4, 2]
    assert build.calls == 2
    assert blocker.read_text(encoding="utf-8") == "not a folder"


@pytest.mark.parametrize("value", ["off", "0", "", "None"])
def test_cache_can_be_turned_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(_cache.CACHE_ENV, value)
    assert _cache.cache_dir() is None
    src = tmp_path / "src.txt"
    src.write_text("9", encoding="utf-8")
    build = Builder(src)
    _get(src, build)
    _get(src, build)
    assert build.calls == 2
    assert _cache.cache_status("demo") == "off"


def test_default_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(_cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert _cache.cache_dir() == tmp_path / "salw-routes"


def test_object_arrays_are_refused(cache: Path, tmp_path: Path) -> None:
    src = tmp_path / "src.txt"
    src.write_text("x", encoding="utf-8")
    with pytest.raises(TypeError, match=r"object arrays \['bad'\] cannot be cached"):
        _cache.cached_arrays(
            "demo",
            sources=[src],
            build=lambda: {"bad": np.array([None], dtype=object)},
            version=1,
        )
    assert not cache.exists() or not list(cache.iterdir())


def test_missing_source_raises(cache: Path, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        _get(tmp_path / "absent.txt", Builder(tmp_path / "absent.txt"))


# ------------------------------------------------------------------ the cached region model

_LON = np.array([20.4612, 13.40, 19.8187, 21.17, 18.41, 16.44, 19.2, 27.0, 44.8, np.nan, 20.0])
_LAT = np.array([44.8125, 52.52, 41.3275, 42.66, 43.86, 43.51, 42.09, 38.4, 20.4, 44.0, np.nan])


def _region_answers() -> tuple[np.ndarray, np.ndarray, str]:
    _region._model.cache_clear()
    try:
        return (
            _region.in_region(_LON, _LAT),
            _region.jurisdiction_at(_LON, _LAT),
            _region.region_method(),
        )
    finally:
        _region._model.cache_clear()


def _assert_same(
    a: tuple[np.ndarray, np.ndarray, str], b: tuple[np.ndarray, np.ndarray, str]
) -> None:
    assert np.array_equal(a[0], b[0])
    assert a[1].tolist() == b[1].tolist()
    assert a[2] == b[2] == "borders"


def test_region_is_the_same_with_and_without_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(_cache.CACHE_ENV, "off")
    fresh = _region_answers()
    assert fresh[1].tolist()[:7] == ["RS", None, "AL", "XK", "BA", "HR", "ME"]
    monkeypatch.setenv(_cache.CACHE_ENV, str(cache))
    built = _region_answers()
    assert _cache.cache_status("region") == "built"
    hit = _region_answers()
    assert _cache.cache_status("region") == "hit"
    _assert_same(fresh, built)
    _assert_same(fresh, hit)
    (entry,) = cache.glob("region-*.npz")
    entry.write_bytes(entry.read_bytes()[:1000])  # truncated
    _assert_same(fresh, _region_answers())
    assert _cache.cache_status("region") == "built"


def _sources_seen(monkeypatch: pytest.MonkeyPatch) -> list[list[Path]]:
    """The source files of every cached_arrays call from now on (filled as they come)."""
    seen: list[list[Path]] = []
    real = _cache.cached_arrays

    def spy(name: str, **kw: object) -> dict[str, np.ndarray]:
        seen.append([Path(str(s)) for s in kw["sources"]])  # type: ignore[attr-defined]
        return real(name, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(_cache, "cached_arrays", spy)
    return seen


def test_region_key_covers_the_bundled_outlines_and_the_code(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = _sources_seen(monkeypatch)
    _region_answers()
    assert seen == [
        [
            data_dir("borders") / "countries.parquet",
            data_dir("network") / "reach.parquet",  # the network's reach cuts the region
            Path(_region.__file__),
        ]
    ]


def test_a_cached_region_reads_no_outlines(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from routes.geo import borders

    built = _region_answers()

    def unreadable() -> None:
        raise AssertionError("a cache hit must not read the outlines")

    monkeypatch.setattr(borders, "load_borders", unreadable)
    hit = _region_answers()
    assert _cache.cache_status("region") == "hit"
    _assert_same(built, hit)


# ------------------------------------------------------------------ the map's cached basemap


def _rings_equal(a: object, b: object) -> None:
    for name in ("ring_len", "ring_country", "lon", "lat"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype == np.int64, name
        assert np.array_equal(x, y), name
    assert a.countries == b.countries  # type: ignore[attr-defined]
    for ca, cb in zip(a.countries, b.countries, strict=True):  # type: ignore[attr-defined]
        assert [type(v) for v in ca.values()] == [type(v) for v in cb.values()]
        assert [type(v) for v in ca["label"]] == [float, float]


def test_map_border_rings_are_the_same_from_the_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routes.geo import borders
    from routes.maps._borders import border_rings, bundled_border_rings

    fresh = border_rings(routes.load_borders())
    assert len(fresh.countries) == 15
    xk = next(c for c in fresh.countries if c["code"] == "XK")
    assert (xk["name"], xk["focus"]) == ("Kosovo*", True)
    assert int(fresh.ring_len.sum()) == len(fresh.lon) == len(fresh.lat)
    monkeypatch.setenv(_cache.CACHE_ENV, "off")
    _rings_equal(bundled_border_rings(), fresh)
    monkeypatch.setenv(_cache.CACHE_ENV, str(cache))
    _rings_equal(bundled_border_rings(), fresh)
    assert _cache.cache_status("map_borders") == "built"

    def unreadable() -> None:
        raise AssertionError("a cache hit must not read the outlines")

    monkeypatch.setattr(borders, "load_borders", unreadable)
    _rings_equal(bundled_border_rings(), fresh)
    assert _cache.cache_status("map_borders") == "hit"
    (entry,) = cache.glob("map_borders-*.npz")
    entry.write_bytes(b"not a zip file")  # unusable: built again (here from the outlines)
    with pytest.raises(AssertionError, match="must not read the outlines"):
        bundled_border_rings()


def test_map_border_key_covers_the_outlines_and_the_code(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from routes.maps import _borders

    seen = _sources_seen(monkeypatch)
    _borders.bundled_border_rings()
    here = Path(_borders.__file__)
    assert seen == [
        [
            data_dir("borders") / "countries.parquet",
            here,
            here.with_name("_pack.py"),  # the fixed point of the rings
            here.parents[1] / "_constants.py",  # names and focus of the countries
        ]
    ]
    assert all(p.is_file() for p in seen[0])


def test_reading_is_the_same_with_and_without_cache(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sample = data_dir("incidents") / "synthetic_incidents_sample.csv"
    frames = []
    for setting in ("off", str(cache), str(cache)):  # no cache, miss (written), hit
        monkeypatch.setenv(_cache.CACHE_ENV, setting)
        _region._model.cache_clear()
        try:
            result = routes.read_incidents(sample, strict=False)
        finally:
            _region._model.cache_clear()
        frames.append(pd.DataFrame(result.accepted.to_wkt()))
    assert _cache.cache_status("region") == "hit"
    pd.testing.assert_frame_equal(frames[0], frames[1])
    pd.testing.assert_frame_equal(frames[0], frames[2])
