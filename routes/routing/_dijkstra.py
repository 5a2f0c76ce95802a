"""Dijkstra trees in batches, shared with helper processes on a machine with several cores.

Private. :func:`solve_trees` runs :func:`scipy.sparse.csgraph.dijkstra` over batches of
sources. scipy's Dijkstra holds the interpreter lock, so threads do not help; inside
:func:`tree_helpers` the batches are shared with helper processes
(:mod:`routes.routing._treeworker`, started as plain ``python -I`` child processes that import
only numpy and scipy): this process takes batches from the front of the queue, the helpers
from the back, and every tree is the one this process would have computed itself (same
scipy, same matrix, same call; a helper reporting another scipy or numpy version is not used).

Whatever goes wrong with a helper (it does not start, dies, answers nonsense or too late) it
is stopped and its batches are computed here: helpers change the time a call takes, never its
result. The number of helpers is ``min(usable cores - 1, 3)``; the environment variable
``SALW_ROUTES_HELPERS`` sets it (``0`` = none). Helpers are used on POSIX systems only.
:class:`Trees` keeps the rows an engine has computed (:mod:`routes.routing._engine`).
"""

from __future__ import annotations

import atexit
import collections
import contextlib
import contextvars
import itertools
import logging
import math
import os
import select
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from scipy.sparse import csr_matrix

__all__ = ["TreeHelper", "TreeKeeper", "Trees", "helper_count", "solve_trees", "tree_helpers"]

_LOG = logging.getLogger("routes.routing")
_WORKER = Path(__file__).with_name("_treeworker.py")
_BATCH = 8  # trees per scipy call (about 20 ms on the bundled network)
_IN_FLIGHT = 2  # batches queued at each helper, so that it never waits for the next one
_PIPE_BYTES = 1 << 20  # the Linux default of /proc/sys/fs/pipe-max-size
_START_TIMEOUT_S = 30.0
_ANSWER_TIMEOUT_S = 120.0

_JOB_IDS = itertools.count(1)
_HELPERS: contextvars.ContextVar[list[TreeHelper] | None] = contextvars.ContextVar(
    "salw_routes_tree_helpers", default=None
)


def helper_count() -> int:
    """How many helper processes :func:`tree_helpers` starts (``SALW_ROUTES_HELPERS``)."""
    if os.name != "posix":  # the pipes are polled with select(), POSIX only
        return 0
    raw = os.environ.get("SALW_ROUTES_HELPERS", "").strip()
    if raw:
        try:
            return max(int(raw), 0)
        except ValueError:
            _LOG.warning("SALW_ROUTES_HELPERS=%r is not a whole number; no helpers used", raw)
            return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(min(cores - 1, 3), 0)


class HelperError(RuntimeError):
    """A helper that cannot be used (any more)."""


class TreeHelper:
    """One helper process (see the module docstring); started at once, ready a moment later."""

    def __init__(self) -> None:
        import numpy
        import scipy

        self._versions = f"{scipy.__version__} {numpy.__version__}"
        self._proc: subprocess.Popen[bytes] | None = subprocess.Popen(
            [sys.executable, "-I", str(_WORKER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            bufsize=0,
        )
        self._started = time.monotonic()
        # room for the answers in flight, so that the helper never waits for this process to
        # read (Linux; elsewhere the pipe keeps its size and the helper waits a little)
        with contextlib.suppress(AttributeError, OSError, ValueError):
            import fcntl

            fcntl.fcntl(self._out().fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)
        self._ready = False
        self._line = b""
        self._graphs: dict[int, Any] = {}  # id -> the matrix (kept alive: ids stay unique)
        self._watch: np.ndarray | None = None  # the watched nodes last sent
        self._keep = ""  # the folder of tree files last sent ("" = none)
        self.jobs: collections.deque[tuple[int, int, list[int], float]] = collections.deque()

    @property
    def alive(self) -> bool:
        return self._proc is not None

    def ready(self) -> bool:
        """True once the helper has announced itself and until it is stopped (never blocks)."""
        if self._proc is None:
            return False
        if self._ready:
            return True
        fd = self._out().fileno()
        try:
            while select.select([fd], [], [], 0)[0]:
                part = os.read(fd, 256)
                if not part:
                    raise HelperError("helper exited before it was ready")
                self._line += part
                if b"\n" in self._line:
                    head, _, rest = self._line.partition(b"\n")
                    if rest or head.decode(errors="replace") != f"READY {self._versions}":
                        raise HelperError(f"helper announced {head!r}, not {self._versions}")
                    self._ready = True
                    return True
        except (OSError, ValueError, HelperError) as exc:
            self.close(reason=str(exc))
            return False
        if time.monotonic() - self._started > _START_TIMEOUT_S:
            self.close(reason="helper did not start in time")
        return False

    def _out(self) -> Any:
        assert self._proc is not None
        assert self._proc.stdout is not None
        return self._proc.stdout

    def _send(self, *parts: bytes) -> None:
        assert self._proc is not None
        assert self._proc.stdin is not None
        self._proc.stdin.write(b"".join(parts))

    def submit(
        self,
        job: int,
        mat: csr_matrix,
        watch: np.ndarray,
        pred_dtype: Any,
        row: int,
        sources: list[int],
        limit: float,
        keep: str = "",
    ) -> None:
        """Queue one batch of trees at the helper (its answer goes to rows ``row...``).

        ``keep``: the folder where the helper also writes the batch's tree files ("": none).

        The graph and the watched nodes are sent once, while the helper has nothing queued
        (it is then reading, so the larger messages cannot block against its answers).
        """
        gid = id(mat)
        # queued first: if a write fails, the caller takes the batch back with the others
        self.jobs.append((job, row, sources, limit))
        if gid not in self._graphs:
            if len(self.jobs) != 1:
                raise HelperError("a new graph while batches are queued")
            n, nnz = mat.shape[0], mat.nnz
            self._send(
                b"G",
                struct.pack("<qqq", gid, n, nnz),
                np.ascontiguousarray(mat.indptr, dtype="<i4").tobytes(),
                np.ascontiguousarray(mat.indices, dtype="<i4").tobytes(),
                np.ascontiguousarray(mat.data, dtype="<f8").tobytes(),
            )
            self._graphs[gid] = mat
        if self._watch is not watch:
            if len(self.jobs) != 1:
                raise HelperError("new watched nodes while batches are queued")
            self._send(b"W", struct.pack("<q", len(watch)), watch.astype("<i4").tobytes())
            self._watch = watch
        if self._keep != keep:
            if len(self.jobs) != 1:
                raise HelperError("a new tree folder while batches are queued")
            raw = keep.encode("utf-8")
            self._send(b"S", struct.pack("<q", len(raw)), raw)
            self._keep = keep
        src = np.asarray(sources, dtype="<i4")
        width = np.dtype(pred_dtype).itemsize
        head = struct.pack("<qqdqq", job, gid, limit, len(src), width)
        self._send(b"J", head, src.tobytes())

    def has_answer(self) -> bool:
        """True when the oldest queued batch can be read without waiting for its start."""
        if not self.jobs or self._proc is None:
            return False
        return bool(select.select([self._out().fileno()], [], [], 0)[0])

    def receive(
        self, dist: np.ndarray, pred: np.ndarray, *, timeout: float = _ANSWER_TIMEOUT_S
    ) -> None:
        """Read the trees of the oldest queued batch into ``dist`` and ``pred`` (its rows)."""
        job, _, sources, _ = self.jobs[0]
        out = self._out()
        if not select.select([out.fileno()], [], [], timeout)[0]:
            raise HelperError(f"no answer from the helper in {timeout:.0f} s")
        got_job, count = struct.unpack("<qq", _read_exact(out, 16))
        if got_job != job or count != len(sources) or dist.shape[0] != count:
            raise HelperError(f"helper answered batch {got_job} ({count} trees), not {job}")
        _read_into(out, dist)
        _read_into(out, pred)
        self.jobs.popleft()

    def close(self, *, reason: str | None = None) -> None:
        """Stop the process (its queued batches stay in :attr:`jobs` for the caller)."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if reason:
            _LOG.debug("tree helper stopped: %s", reason)
        if not self._ready:  # still starting (or failed): nothing to finish
            with contextlib.suppress(OSError):
                proc.kill()
        with contextlib.suppress(OSError, ValueError):
            assert proc.stdin is not None
            proc.stdin.write(b"Q")
        for stream in (proc.stdin, proc.stdout):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()
        # the helper exits on its own in a moment (tearing down numpy and scipy takes tens of
        # milliseconds): reap it later instead of waiting for it here
        _EXITING.append(proc)
        _reap()


_EXITING: list[subprocess.Popen[bytes]] = []


def _reap(*, wait: bool = False) -> None:
    """Collect the helpers that have exited (all of them, killing stragglers, with ``wait``)."""
    for proc in list(_EXITING):
        if wait:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:  # pragma: no cover - a stuck helper
                proc.kill()
                proc.wait()
        if proc.poll() is not None:
            _EXITING.remove(proc)


atexit.register(_reap, wait=True)


def _read_into(stream: Any, arr: np.ndarray) -> None:
    view = arr.data.cast("B")
    got = 0
    while got < len(view):
        k = stream.readinto(view[got:])
        if not k:
            raise HelperError("the helper closed its output")
        got += k


def _read_exact(stream: Any, size: int) -> bytes:
    buf = np.empty(size, dtype=np.uint8)
    _read_into(stream, buf)
    return buf.tobytes()


class _Helpers(list[TreeHelper]):
    """The helpers of one :func:`tree_helpers` block (a list), started now or on first need."""

    def __init__(self, count: int) -> None:
        super().__init__()
        self._count = count

    def start(self) -> _Helpers:
        """Start the helpers not started yet (once: a helper that stopped stays stopped)."""
        count, self._count = self._count, 0
        for _ in range(count):
            try:
                self.append(TreeHelper())
            except OSError as exc:  # pragma: no cover - cannot start a process here
                _LOG.debug("tree helper not started: %s", exc)
                break
        return self


@contextlib.contextmanager
def tree_helpers(count: int | None = None, *, lazy: bool = False) -> Iterator[list[TreeHelper]]:
    """Start ``count`` helpers (default :func:`helper_count`) for the trees of this block.

    They start in the background (about a third of a second before they take work) and are
    stopped when the block ends; nested blocks share the outer block's helpers. With
    ``lazy`` they start only when the block has more than one batch of trees to compute (a
    :func:`solve_trees` call): a block whose trees all come from the tree store starts no
    process (and this process then needs no SciPy matrix at all), which is the usual run of a
    command.
    """
    current = _HELPERS.get()
    if current is not None:
        yield current
        return
    helpers = _Helpers(helper_count() if count is None else count)
    if not lazy:
        helpers.start()
    token = _HELPERS.set(helpers)
    try:
        yield helpers
    finally:
        _HELPERS.reset(token)
        for h in helpers:
            h.close()


def _batches(todo: list[int], limits: dict[int, float]) -> list[tuple[list[int], float]]:
    """Batches of sources with one limit each (the largest of its sources), largest first."""
    order = sorted(todo, key=lambda s: (-limits.get(s, math.inf), s))
    out = []
    for i in range(0, len(order), _BATCH):
        batch = order[i : i + _BATCH]
        out.append((batch, max(limits.get(s, math.inf) for s in batch)))
    return out


def solve_trees(
    mat: csr_matrix,
    todo: list[int],
    limits: dict[int, float],
    *,
    watch: np.ndarray,
    pred_dtype: Any,
    keep: TreeKeeper | None = None,
) -> Iterator[tuple[int, np.ndarray, np.ndarray, int, float]]:
    """(source, distances, predecessor block, its row, limit used) of every source.

    ``keep``: a tree store that gets every tree computed (whole rows, written by whichever
    process computed the tree: no whole distance row travels between the processes).

    A source absent from ``limits`` gets its whole tree. The distance row holds the
    distances to the ``watch`` nodes and then NaN (the column of every other node); the
    predecessors are whole rows (``pred_dtype``) of one block per call, given as the block
    and the row (so that walks can read many trees of a block at once). Inside
    :func:`tree_helpers` ready helpers take batches from the back of the queue while this
    process works from the front. The rows are views into blocks allocated once per call.
    """
    n = mat.shape[0]
    batches = _batches(todo, limits)
    width = len(watch)
    dist = np.empty((len(todo), width + 1))
    dist[:, width] = np.nan
    pred = np.empty((len(todo), n), dtype=pred_dtype)
    out = _Out(dist, pred, watch, keep)
    queue = collections.deque(
        (i * _BATCH, batch, limit) for i, (batch, limit) in enumerate(batches)
    )
    pool = _HELPERS.get()
    if isinstance(pool, _Helpers) and len(batches) > 1:  # one batch is done here sooner
        pool.start()
    helpers = [h for h in (pool or []) if h.alive]
    try:
        while queue or any(h.jobs for h in helpers):
            for h in helpers:
                yield from _exchange(h, mat, queue, out, wait=False)
            if queue:
                row, batch, limit = queue.popleft()
                out.local(mat, row, batch, limit)
                yield from out.rows(row, batch, limit)
                continue
            for h in helpers:  # nothing left here: wait for the helpers' last batches
                yield from _exchange(h, mat, queue, out, wait=True)
    finally:
        for h in helpers:
            if h.jobs:  # abandoned half-way: unread answers would confuse the next call
                h.close(reason="call abandoned")
                h.jobs.clear()


class _Out:
    """The result blocks of one :func:`solve_trees` call."""

    def __init__(
        self, dist: np.ndarray, pred: np.ndarray, watch: np.ndarray, keep: TreeKeeper | None
    ) -> None:
        self.dist, self.pred, self.watch = dist, pred, watch
        self.width = len(watch)
        self.keep = keep
        self.folder = str(keep.folder) if keep is not None else ""

    def local(self, mat: csr_matrix, row: int, sources: list[int], limit: float) -> None:
        from scipy.sparse.csgraph import dijkstra

        d, p = dijkstra(mat, directed=True, indices=sources, return_predecessors=True, limit=limit)
        end = row + len(sources)
        self.dist[row:end, : self.width] = np.atleast_2d(d)[:, self.watch]
        self.pred[row:end] = np.atleast_2d(p)
        if self.keep is not None:
            self.keep.save_batch(sources, np.atleast_2d(d), self.pred[row:end], limit)

    def rows(
        self, row: int, sources: list[int], limit: float
    ) -> Iterator[tuple[int, np.ndarray, np.ndarray, int, float]]:
        for j, s in enumerate(sources):
            yield s, self.dist[row + j], self.pred, row + j, limit


def _exchange(
    h: TreeHelper,
    mat: csr_matrix,
    queue: collections.deque[tuple[int, list[int], float]],
    out: _Out,
    *,
    wait: bool,
) -> Iterator[tuple[int, np.ndarray, np.ndarray, int, float]]:
    """Read the helper's finished batches (all of them with ``wait``) and top up its queue.

    Topped up after reading, so that the helper has a batch waiting whenever this process
    looks in (it looks in between two of its own batches).
    """
    try:
        while h.jobs and (wait or h.has_answer()):
            _, row, batch, limit = h.jobs[0]
            end = row + len(batch)
            dist = np.empty((len(batch), out.width))
            h.receive(dist, out.pred[row:end])
            out.dist[row:end, : out.width] = dist
            yield from out.rows(row, batch, limit)
        if not wait and h.alive and h.ready():
            while len(h.jobs) < _IN_FLIGHT and len(queue) > 1:
                row, batch, limit = queue.pop()
                h.submit(
                    next(_JOB_IDS), mat, out.watch, out.pred.dtype, row, batch, limit, out.folder
                )
                if out.keep is not None:
                    out.keep.written += len(batch)
    except (OSError, ValueError, HelperError) as exc:
        h.close(reason=str(exc))
        while h.jobs:  # take its batches back
            _, row, batch, limit = h.jobs.popleft()
            queue.append((row, batch, limit))


class TreeKeeper(Protocol):
    """What :func:`solve_trees` needs of a tree store (``routes.routing._treestore``)."""

    folder: Path
    written: int

    def save_batch(
        self, sources: list[int], dist: np.ndarray, pred: np.ndarray, limit: float
    ) -> None: ...


@dataclass
class Trees:
    """Dijkstra trees from a set of sources: distance rows, predecessor rows, their limits.

    A row computed with a finite ``limit`` is exact for every node at most that far from its
    source (distance and predecessor as in the whole tree) and infinite beyond.
    """

    row_of: dict[int, int] = field(default_factory=dict)
    dist: list[np.ndarray] = field(default_factory=list)
    limit: list[float] = field(default_factory=list)
    where: list[tuple[np.ndarray, int]] = field(default_factory=list)  # predecessor rows

    def missing(self, sources: Iterable[int], limits: dict[int, float] | None) -> list[int]:
        """The sources without a row, or whose row stops short of the limit asked for."""
        todo = []
        for s in sorted({int(x) for x in sources}):
            row = self.row_of.get(s)
            want = math.inf if limits is None else limits.get(s, math.inf)
            if row is None or self.limit[row] < want:
                todo.append(s)
        return todo

    def store(
        self, source: int, dist: np.ndarray, block: np.ndarray, at: int, limit: float
    ) -> None:
        """Keep (or replace) the row of one source (its predecessors: row ``at`` of ``block``)."""
        row = self.row_of.get(source)
        if row is None:
            self.row_of[source] = len(self.dist)
            self.dist.append(dist)
            self.where.append((block, at))
            self.limit.append(limit)
        else:
            self.dist[row], self.where[row], self.limit[row] = dist, (block, at), limit

    def pred(self, source: int) -> np.ndarray:
        """The predecessor row of one source."""
        block, at = self.where[self.row_of[source]]
        return block[at]

    def links(self, roots: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """One 2-D array holding the predecessor rows of ``roots``, and each root's row in it.

        Rows computed in one call share a block, which is used as it is; rows from several
        calls are stacked.
        """
        where = [self.where[self.row_of[r]] for r in roots]
        block = where[0][0] if where else np.zeros((0, 0), dtype=np.int32)
        if all(b is block for b, _ in where):
            return block, np.fromiter((i for _, i in where), dtype=np.int64, count=len(where))
        return np.stack([b[i] for b, i in where]), np.arange(len(where), dtype=np.int64)
