"""``routes._crs.shared_transformer``: one transformer per CRS pair, same answers as a new one."""

from __future__ import annotations

import numpy as np
from pyproj import Transformer

from routes._crs import shared_transformer, transform_xy


def test_one_object_per_pair_and_the_answers_of_a_fresh_transformer() -> None:
    a = shared_transformer("EPSG:4326", "EPSG:3035")
    assert shared_transformer("EPSG:4326", "EPSG:3035") is a
    back = shared_transformer("EPSG:3035", "EPSG:4326")
    assert back is not a
    lon, lat = np.array([19.82, 21.43, 18.41]), np.array([41.33, 42.0, 43.86])  # Tirana, ...
    fresh = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    x, y = transform_xy(a, lon, lat)
    fx, fy = transform_xy(fresh, lon, lat)
    np.testing.assert_array_equal(x, fx)
    np.testing.assert_array_equal(y, fy)
    # always_xy: x is the easting (larger for the eastern point), and the pair round-trips
    assert x[1] > x[0]
    rlon, rlat = transform_xy(back, x, y)
    np.testing.assert_allclose(rlon, lon, atol=1e-9)
    np.testing.assert_allclose(rlat, lat, atol=1e-9)


def test_the_laea_pipeline_is_the_operation_proj_picks_to_the_last_bit() -> None:
    """EPSG:4326 -> EPSG:3035 is made from its pipeline: every number as from_crs gives it,
    on a 0.05° grid over Europe and the region's neighbours (and beyond, to 30°E-45°E)."""
    lon, lat = np.meshgrid(np.arange(-25.0, 45.0, 0.05), np.arange(27.0, 72.0, 0.05))
    lon, lat = lon.ravel(), lat.ravel()
    fresh = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
    ours = shared_transformer("EPSG:4326", "EPSG:3035")
    assert "proj=laea" in ours.definition  # made from the pipeline (no database look-up)
    x, y = transform_xy(ours, lon, lat)
    fx, fy = transform_xy(fresh, lon, lat)
    np.testing.assert_array_equal(x, fx)
    np.testing.assert_array_equal(y, fy)
    for bad in (np.inf, np.nan):  # what is not a point stays not a number
        assert not np.isfinite(transform_xy(ours, np.array([bad]), np.array([42.0]))[0]).any()
