"""The bundled network as a graph that knows whether it was changed since it was loaded.

Private. :func:`routes.network.load_network` returns a :class:`BundledNetwork`: a plain
``networkx.MultiDiGraph`` in every respect, whose node and edge attribute dicts count their
changes (setting, deleting, updating an attribute; adding an edge or a node with attributes
goes through such a dict too). :func:`pristine_network_key` tells whether a graph is the
bundled network exactly as loaded - no change counted, the same number of nodes and edges
(removals touch no attribute dict) - and then returns the content key of the bundled files,
so that work derived from the graph alone (the routing index) can be kept in the on-disk
cache (:mod:`routes._cache`) and reused by the next process. Any change, and any copy or
view, makes the graph an ordinary one again, whose derived work is done afresh.

The graph is filled on first use: :func:`routes.network.load_network` returns it with its
node and adjacency dicts still empty and a *fill* pending, and the first read of any of
them (``G.nodes``, ``G.edges``, ``G[u]``, any networkx function) fills them all, exactly as
an eager build would. Work that needs only the routing index of the unchanged bundle (a
``salw-routes map`` run whose index comes from the on-disk cache) never pays for the
25,917 nodes and 84,580 edge dicts (about half a second).
"""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = [
    "BundledNetwork",
    "Edits",
    "WatchedDict",
    "edit_count",
    "filled_as_bundle",
    "pristine_network_key",
]


class Edits:
    """A change counter shared by the attribute dicts of one graph."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def __getstate__(self) -> int:
        return self.count

    def __setstate__(self, state: int) -> None:
        self.count = state


class WatchedDict(dict[Any, Any]):
    """An attribute dict that counts its changes in the graph's :class:`Edits`."""

    __slots__ = ("_edits",)

    def __init__(self, edits: Edits, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._edits = edits

    def __reduce__(self) -> tuple[Any, ...]:
        return (WatchedDict, (self._edits, dict(self)))

    def _changed(self) -> None:
        self._edits.count += 1

    def __setitem__(self, key: Any, value: Any) -> None:
        self._changed()
        super().__setitem__(key, value)

    def __delitem__(self, key: Any) -> None:
        self._changed()
        super().__delitem__(key)

    def __ior__(self, other: Any) -> WatchedDict:  # type: ignore[misc]
        self._changed()
        super().update(other)
        return self

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._changed()
        super().update(*args, **kwargs)

    def pop(self, *args: Any) -> Any:
        self._changed()
        return super().pop(*args)

    def popitem(self) -> tuple[Any, Any]:
        self._changed()
        return super().popitem()

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self._changed()
        return super().setdefault(key, default)

    def clear(self) -> None:
        self._changed()
        super().clear()


class _Factory:
    """networkx's attribute-dict factory of one graph (picklable, unlike a closure)."""

    __slots__ = ("edits",)

    def __init__(self, edits: Edits) -> None:
        self.edits = edits

    def __call__(self) -> WatchedDict:
        return WatchedDict(self.edits)

    def __getstate__(self) -> Edits:
        return self.edits

    def __setstate__(self, state: Edits) -> None:
        self.edits = state


def _networkx_setter(name: str) -> Any:
    """networkx's own descriptor of a graph dict attribute (it resets the cached views)."""
    for cls in nx.MultiDiGraph.__mro__:
        if name in cls.__dict__:
            return cls.__dict__[name]
    return None


class _FilledOnRead:
    """A graph dict attribute (``_node``, ``_adj``, ``_succ``, ``_pred``) of a
    :class:`BundledNetwork` that runs the graph's pending fill before the first read."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.base = _networkx_setter(name)

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            return self
        od = obj.__dict__
        if od.get("_fill") is not None:
            fill, od["_fill"] = od["_fill"], None
            try:
                fill(obj)
            except BaseException:  # no half graph: empty again, the next read tries again
                for name in ("_node", "_succ", "_pred"):
                    od[name].clear()
                od["_fill"] = fill
                raise
        return od[self.name]

    def __set__(self, obj: Any, value: Any) -> None:
        if self.base is not None and hasattr(self.base, "__set__"):
            self.base.__set__(obj, value)
        else:  # pragma: no cover - a networkx without its resetting descriptors
            obj.__dict__[self.name] = value


class BundledNetwork(nx.MultiDiGraph):
    """A MultiDiGraph whose attribute dicts count changes (see the module docstring).

    Made by networkx itself (a copy, a reversed or converted graph), it is never pristine:
    only :func:`routes.network.load_network` marks the graph it built as the bundle.
    """

    _node = _FilledOnRead("_node")
    _adj = _FilledOnRead("_adj")
    _succ = _FilledOnRead("_succ")
    _pred = _FilledOnRead("_pred")

    def __init__(self, incoming_graph_data: Any = None, **attr: Any) -> None:
        self.__dict__["_fill"] = None
        self.edits = Edits()
        self.node_attr_dict_factory = _Factory(self.edits)
        self.edge_attr_dict_factory = _Factory(self.edits)
        self.bundle_key: str | None = None
        self.bundle_size: tuple[int, int] = (-1, -1)
        super().__init__(incoming_graph_data, **attr)

    def fill_later(self, key: str, fill: Any, *, nodes: int) -> None:
        """Mark the (empty) graph as the bundle of content ``key`` and ``nodes`` nodes, filled
        by ``fill(G)`` on the first read of its dicts (``fill`` must be picklable: a
        module-level function)."""
        self.bundle_key = key
        self.bundle_size = (nodes, -1)
        self.__dict__["_fill"] = fill

    def number_of_nodes(self) -> int:
        """The node count (known before the graph is filled: counting does not fill it)."""
        if self.__dict__.get("_fill") is not None:
            return self.bundle_size[0]
        return super().number_of_nodes()


def _is_filled(G: Any) -> bool:  # noqa: N803 - networkx convention
    """False only for a bundled network whose dicts have not been read yet."""
    return type(G) is not BundledNetwork or G.__dict__.get("_fill") is None


def filled_as_bundle(G: BundledNetwork) -> None:  # noqa: N803
    """Called by a fill when it is done: the filled graph is the pristine bundle."""
    G.edits.count = 0
    G.bundle_size = (G.number_of_nodes(), _edge_count(G))


def edit_count(G: Any) -> int:  # noqa: N803 - networkx convention
    """The changes counted on a graph since it was built (-1 for a graph that counts none)."""
    return G.edits.count if type(G) is BundledNetwork else -1


def pristine_network_key(G: Any) -> str | None:  # noqa: N803 - networkx convention
    """The bundle's content key if ``G`` is the bundled network unchanged since loading."""
    if type(G) is not BundledNetwork or G.bundle_key is None or G.edits.count:
        return None
    if not _is_filled(G):  # nothing can have changed a graph whose dicts were never read
        return G.bundle_key
    if G.number_of_nodes() != G.bundle_size[0] or _edge_count(G) != G.bundle_size[1]:
        return None
    return G.bundle_key


def _edge_count(G: Any) -> int:  # noqa: N803
    """Edges of a MultiDiGraph from its adjacency dicts (its degree view takes 20x longer)."""
    return sum(sum(map(len, nbrs.values())) for nbrs in G._succ.values())
