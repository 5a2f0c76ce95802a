"""Planar coordinates: array-safe transformation with pyproj, and the nearest stored point.

pyproj (up to at least 3.7.1) sends an input whose ``size`` is 1 down its
*scalar* code path, which calls ``float()`` on the array. With NumPy >= 1.25
that raises ``DeprecationWarning: Conversion of an array with ndim > 0 to a
scalar is deprecated`` (an error under strict warning filters, and a hard
error in future NumPy). :func:`transform_xy` therefore pads a one-element
input to two elements and slices the result back, so every call site gets
the array path whatever the array size and pyproj version; :func:`to_crs`
does the same for geopandas' ``to_crs``, which hands pyproj all coordinates
of a frame at once (a frame holding one point is a one-element input).

:class:`NearestPoints` answers "which stored point is nearest, and how far" for many points at
once: the map command snaps every seizure to the network and puts points of the margin on the
nearest border outline. It is a k-d tree of `pykdtree <https://github.com/storpipfugl/pykdtree>`_
(maintained by the pytroll project), chosen over ``scipy.spatial.cKDTree`` because it gives the
same index and the same float distance (``tests/base/test_nearest.py`` checks 10⁵ snaps) but imports
in about 1 ms, where ``scipy.spatial`` takes 0.2-0.3 s (its Qhull, distance and rotation modules
come with it); a map whose trees are stored then needs no SciPy module of weight at all. Where
several stored points share one place, the first of them is the answer (SciPy's tree answered
either). Whatever needs more than the nearest point (pairs within a distance) keeps SciPy.

>>> tree = NearestPoints(np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]]))
>>> dist, idx = tree.query(np.array([[1.0, 1.0], [9.0, 8.0]]))
>>> idx.tolist(), dist.round(3).tolist()
([0, 2], [1.414, 2.236])
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, TypeVar, cast

import numpy as np

if TYPE_CHECKING:
    import geopandas as gpd
    from pyproj import Transformer

__all__ = [
    "LAEA_EUROPE_PIPELINE",
    "NearestPoints",
    "shared_transformer",
    "to_crs",
    "transform_xy",
]

_GeoT = TypeVar("_GeoT", "gpd.GeoSeries", "gpd.GeoDataFrame")

#: EPSG:4326 (longitude, latitude in degrees) to EPSG:3035 (easting, northing in metres), the
#: operation PROJ chooses for that pair (parameters of EPSG:3035, "ETRS89-extended / LAEA
#: Europe": centre 52°N 10°E, false easting 4,321,000 m, false northing 3,210,000 m, GRS 1980).
LAEA_EUROPE_PIPELINE = (
    "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
    "+step +proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80"
)


@functools.lru_cache(maxsize=16)
def shared_transformer(source: str, target: str) -> Transformer:
    """One ``always_xy`` transformer per (source, target) CRS pair for the whole process.

    Building a pyproj transformer costs 0.07-0.2 s (the PROJ database look-up); the routing,
    network and inference steps all project EPSG:4326 <-> EPSG:3035, so they share one. That
    pair is made from its PROJ pipeline (:data:`LAEA_EUROPE_PIPELINE`, in 0.3 ms): the
    operation PROJ itself picks for it (WGS 84 to ETRS89 is a null shift, then the Lambert
    azimuthal equal-area projection of EPSG:3035), with the same numbers to the last bit
    (``tests/base/test_shared_transformer.py`` compares both on a grid over Europe).

    Parameters
    ----------
    source, target
        CRS strings (e.g. ``"EPSG:4326"``).

    Returns
    -------
    pyproj.Transformer
        The cached transformer (treat it as read-only).
    """
    from pyproj import Transformer

    if (source, target) == ("EPSG:4326", "EPSG:3035"):
        return Transformer.from_pipeline(LAEA_EUROPE_PIPELINE)
    return Transformer.from_crs(source, target, always_xy=True)


def transform_xy(
    transformer: Transformer, x: Any, y: Any, *, errcheck: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """Transform coordinate arrays of any size (including 0 and 1).

    Parameters
    ----------
    transformer
        A pyproj transformer (built with ``always_xy=True`` by the callers).
    x, y
        Array-likes of the same shape (first and second axis order).
    errcheck
        Passed to :meth:`pyproj.Transformer.transform`.

    Returns
    -------
    tuple of numpy.ndarray
        Transformed ``x`` and ``y`` as float arrays with the input's shape.
    """
    xa = np.asarray(x, dtype=float)
    ya = np.asarray(y, dtype=float)
    shape = xa.shape
    xf = xa.ravel()
    yf = ya.ravel()
    n = xf.size
    if n == 1:
        # Pad to two points so pyproj takes its array path (see module docstring).
        xf = np.concatenate([xf, xf])
        yf = np.concatenate([yf, yf])
    ox, oy = transformer.transform(xf, yf, errcheck=errcheck)
    ox = np.asarray(ox, dtype=float)[:n].reshape(shape)
    oy = np.asarray(oy, dtype=float)[:n].reshape(shape)
    return ox, oy


def to_crs(obj: _GeoT, crs: Any) -> _GeoT:
    """``obj.to_crs(crs)`` that also works when ``obj`` holds a single coordinate.

    geopandas passes all coordinates of a GeoSeries/GeoDataFrame to pyproj in
    one call, so a lone point hits the scalar-path problem described in the
    module docstring. Such an object is transformed doubled and cut back.

    Parameters
    ----------
    obj
        GeoSeries or GeoDataFrame with a CRS.
    crs
        Target CRS, anything ``to_crs`` accepts.

    Returns
    -------
    GeoSeries or GeoDataFrame
        A new object of the same type, index and columns, in ``crs``.
    """
    import pandas as pd
    import shapely

    geoms = np.asarray(obj.geometry.array, dtype=object)
    has_z = shapely.has_z(geoms)
    counts = (
        int(shapely.get_num_coordinates(geoms[~has_z]).sum()),
        int(shapely.get_num_coordinates(geoms[has_z]).sum()),
    )
    if 1 in counts:
        doubled = pd.concat([obj, obj])
        return cast("_GeoT", doubled.to_crs(crs).iloc[: len(obj)])
    return cast("_GeoT", obj.to_crs(crs))


class NearestPoints:
    """A k-d tree over ``points`` (an (n, 2) array, n >= 1) answering nearest-point queries.

    Parameters
    ----------
    points
        The stored points, planar coordinates (a projected CRS, or degrees scaled to be
        locally isotropic); copied as a C-ordered float64 array.
    """

    def __init__(self, points: np.ndarray) -> None:
        from pykdtree.kdtree import KDTree

        pts = np.ascontiguousarray(points, dtype=np.float64)
        if pts.ndim != 2 or len(pts) == 0:
            raise ValueError(f"NearestPoints needs an (n, 2) array with n >= 1, got {pts.shape}")
        self.n = len(pts)
        # Points stored more than once (two nodes at one place) answer with the first of them,
        # whatever the tree's order: the tree holds each place once.
        order = np.lexsort((pts[:, 1], pts[:, 0]))  # stable: equal points keep their order
        by_place = pts[order]
        new = np.ones(len(pts), dtype=bool)
        new[1:] = (by_place[1:] != by_place[:-1]).any(axis=1)
        self._first = order[new].astype(np.int64)  # the first stored point of each place
        self._places = np.ascontiguousarray(by_place[new])
        self._tree: Any = KDTree(self._places)

    def __getstate__(self) -> dict[str, Any]:
        """Picklable: the places and their first points (the tree is made again)."""
        return {"n": self.n, "first": self._first, "places": self._places}

    def __setstate__(self, state: dict[str, Any]) -> None:
        from pykdtree.kdtree import KDTree

        self.n, self._first, self._places = state["n"], state["first"], state["places"]
        self._tree = KDTree(self._places)

    def query(self, q: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The distance to, and the index of, the nearest stored point of each row of ``q``.

        Returns
        -------
        tuple of numpy.ndarray
            ``(dist, idx)``: float64 distances and int64 indices into the stored points, one
            per query row (empty arrays for an empty ``q``). Of stored points at the same
            place, the first is given.
        """
        pts = np.ascontiguousarray(q, dtype=np.float64).reshape(-1, 2)
        if len(pts) == 0:
            return np.zeros(0), np.zeros(0, dtype=np.int64)
        dist, idx = self._tree.query(pts, k=1)
        return np.asarray(dist, dtype=np.float64), self._first[idx]
