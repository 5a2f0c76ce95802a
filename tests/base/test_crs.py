"""Array-safe reprojection helpers (routes._crs): every input size, including one point."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from pyproj import Transformer

from routes._crs import to_crs, transform_xy

_T = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)
# Tirana and Skopje, transformed together (the array path on every pyproj version)
_LON = np.array([19.8187, 21.4314])
_LAT = np.array([41.3275, 41.9973])
_X, _Y = _T.transform(_LON, _LAT)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_transform_xy_any_size(n: int) -> None:
    x, y = transform_xy(_T, _LON[:n], _LAT[:n])
    assert x.shape == y.shape == (n,)
    np.testing.assert_allclose(x, _X[:n])
    np.testing.assert_allclose(y, _Y[:n])


def test_transform_xy_keeps_shape_of_a_one_point_grid() -> None:
    x, y = transform_xy(_T, [[_LON[0]]], [[_LAT[0]]])
    assert x.shape == (1, 1)
    np.testing.assert_allclose([x[0, 0], y[0, 0]], [_X[0], _Y[0]])


def test_to_crs_one_point_frame_keeps_index_columns_and_type() -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["Tirana"]}, geometry=[shapely.Point(_LON[0], _LAT[0])], index=[7], crs=4326
    )
    out = to_crs(gdf, 3035)
    assert isinstance(out, gpd.GeoDataFrame)
    assert out.crs.to_epsg() == 3035
    assert list(out.index) == [7]
    assert list(out["name"]) == ["Tirana"]
    np.testing.assert_allclose([out.geometry.x.iloc[0], out.geometry.y.iloc[0]], [_X[0], _Y[0]])
    assert gdf.crs.to_epsg() == 4326  # input untouched


def test_to_crs_one_point_among_missing_geometries() -> None:
    gs = gpd.GeoSeries([None, shapely.Point(_LON[1], _LAT[1])], crs=4326)
    out = to_crs(gs, 3035)
    assert out.iloc[0] is None
    np.testing.assert_allclose([out.x.iloc[1], out.y.iloc[1]], [_X[1], _Y[1]])
