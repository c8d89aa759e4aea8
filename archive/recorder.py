"""The recorder: WARC writing and catalog commits in a process of their own, in groups.

A crawler hands each exchange (and each rendering) to :meth:`Recorder.exchange`
(:meth:`Recorder.resource`) and gets a :class:`concurrent.futures.Future` of
its :class:`Recorded`. A child process (the *archivist*) owns the
:class:`WarcWriter` and its own database engine. A pump thread in the caller
sends it whatever has queued up (at most ``max_group`` items) and waits for
the answer; meanwhile the next group queues up. For each group the archivist
writes the records with one flush (:meth:`WarcWriter.write_exchanges`, one
revisit lookup), commits the group's catalog rows and :class:`CaptureChange`
rows in one transaction, and only then answers. So:

- a catalog row is committed only after its record is flushed, and a revisit
  only together with, or after, its original;
- a future resolves only when its row is committed (a caller may store the
  capture id at once);
- compression, hashing, file writes, revisit lookups, change diffs and
  commits run on another core: the crawl's process only copies bytes into a
  pipe. Under load a group grows and the per-exchange cost falls.

``deliver(fn)`` runs ``fn`` where the futures should resolve (for Twisted,
``reactor.callFromThread``), once per group. A group that cannot be written
or committed fails every future in it with :class:`ArchiveError`; the
archivist goes on. If the archivist dies, every waiting and later future
fails. If the caller dies (``kill -9``), the archivist finishes the group in
hand, closes its file (renamed, indexed) and exits: nothing it was given is
lost. The archivist ignores SIGINT and SIGTERM (they reach the whole process
group; the caller shuts down gracefully and closes the pipe). :meth:`Recorder.close`
waits for the archivist to close its file. :func:`start_archivist` starts the
next Recorder's archivist ahead (its imports then overlap the caller's start-up
instead of holding up the first answers).
Knows nothing of Scrapy.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import queue
import signal
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Callable

from archive.errors import ArchiveError
from archive.records import Exchange, RecordLocation

logger = logging.getLogger(__name__)

MAX_GROUP = 64
_STOP = object()
_started: tuple | None = None   # (process, connection) of an archivist started ahead of its Recorder


@dataclass(frozen=True)
class Recorded:
    """What was archived for one submission: its catalog row, and whether it is a new version of its URL."""

    capture_id: int
    record_id: str
    warc_file: str
    record_type: str
    truncated: str | None = None
    changed: bool = False

    def as_meta(self) -> dict:
        """The ``{"capture_id", "record_id", "warc_file"}`` a crawler attaches to a response."""
        return {"capture_id": self.capture_id, "record_id": self.record_id, "warc_file": self.warc_file}


@dataclass(frozen=True)
class WriterSpec:
    """How the archivist builds its :class:`WarcWriter` (keyword ``options``) and where closed files are indexed."""

    directory: str
    options: dict
    index_dir: str | None = None


@dataclass(eq=False)
class _Exchange:
    exchange: Exchange
    method: str


@dataclass(eq=False)
class _Resource:
    uri: str
    content_type: str
    body: bytes
    refers_to: str | None


class Recorder:
    """See the module docstring. ``db_url`` is the catalog's (already migrated); ``run_id`` goes on every row."""

    def __init__(self, spec: WriterSpec, db_url: str, run_id: int | None = None, *,
                 deliver: Callable[[Callable[[], None]], None] | None = None, max_group: int = MAX_GROUP):
        self.directory = Path(spec.directory)
        self.deliver = deliver or (lambda fn: fn())
        self.max_group = max_group
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._dead: ArchiveError | None = None
        self._closed = False
        global _started
        (self._process, self._conn), _started = _started or _spawn(), None
        try:
            self._conn.send((spec, db_url, run_id))
        except OSError:  # the archivist started ahead died before its first word: start another
            self._process, self._conn = _spawn()
            self._conn.send((spec, db_url, run_id))
        self._pump_thread = threading.Thread(target=self._pump, name="nianbao-recorder", daemon=True)
        self._pump_thread.start()

    def exchange(self, exchange: Exchange, method: str = "GET") -> Future:
        """Archive one exchange; the future gives the response (or revisit) record's :class:`Recorded`."""
        return self._submit(_Exchange(exchange, method))

    def resource(self, uri: str, content_type: str, body: bytes, *, refers_to: str | None = None) -> Future:
        """Archive a rendering as a ``resource`` record tied to ``refers_to``; the future gives its :class:`Recorded`."""
        return self._submit(_Resource(uri, content_type, body, refers_to))

    def close(self) -> None:
        """Archive what is queued, then have the archivist close its file and exit. Submissions after this fail."""
        if self._closed:
            return
        self._closed = True
        self._queue.put(_STOP)
        self._pump_thread.join()
        self._process.join()
        self._conn.close()

    def _submit(self, item) -> Future:
        future: Future = Future()
        if self._closed or self._dead:
            future.set_exception(self._dead or ArchiveError("The recorder is closed; nothing more can be archived."))
        else:
            self._queue.put((item, future))
        return future

    # -- the pump thread ---------------------------------------------------------------

    def _pump(self) -> None:
        while True:
            group, stop = self._take()
            if group:
                self._send(group)
            if stop:
                if not self._dead:
                    self._conn.send(None)
                return

    def _take(self) -> tuple[list, bool]:
        """The next group: one item (waiting for it), then whatever else is already queued."""
        first = self._queue.get()
        if first is _STOP:
            return [], True
        group = [first]
        while len(group) < self.max_group:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return group, True
            group.append(item)
        return group, False

    def _send(self, group: list) -> None:
        futures = [future for _, future in group]
        if self._dead is None:
            try:
                self._conn.send([item for item, _ in group])
                answer = self._conn.recv()
            except (EOFError, OSError) as exc:
                self._dead = ArchiveError(f"The archive process died ({exc or type(exc).__name__}); "
                                          "nothing more is archived in this run.")
                logger.error("%s", self._dead)
        if self._dead is not None:
            self.deliver(lambda: [f.set_exception(self._dead) for f in futures])
        elif isinstance(answer, str):
            failure = ArchiveError(answer)
            self.deliver(lambda: [f.set_exception(failure) for f in futures])
        else:
            self.deliver(lambda: [f.set_result(r) for f, r in zip(futures, answer)])


def start_archivist() -> None:
    """Start the archivist of this process's next :class:`Recorder` now, before the caller's own start-up.

    The archivist spends most of a second importing what it needs (SQLAlchemy, warcio), and until it answers, every
    response waits; started first, that overlaps the caller's own imports. It waits for its settings from the
    :class:`Recorder` that adopts it and exits quietly if none ever does.
    """
    global _started
    if _started is None:
        _started = _spawn()
        atexit.register(_abandon)


def _abandon() -> None:
    """At exit, let an archivist started ahead and never adopted go (multiprocessing would otherwise wait for it)."""
    global _started
    if _started is not None:
        _started[1].close()
        _started = None


def _spawn() -> tuple:
    ctx = multiprocessing.get_context("spawn")
    conn, child_conn = ctx.Pipe()
    process = ctx.Process(target=_archivist, args=(child_conn,), name="nianbao-archivist", daemon=False)
    process.start()
    child_conn.close()
    return process, conn


# -- the archivist (child process) ------------------------------------------------------


def _archivist(conn) -> None:
    """Child process: take ``(spec, db_url, run_id)``, then answer each group with its list of :class:`Recorded`,
    or an error message."""
    # Ctrl-C and SIGTERM reach the whole process group; an interrupt between two pieces of a record would leave a
    # torn record in a file then closed. The caller shuts down gracefully and closes the pipe; its death is EOF.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s")
    from archive.index import GrowingIndex
    from archive.writer import WarcWriter
    from nianbao.db import make_engine, metadata

    metadata()  # every stage's tables, so the catalog's foreign keys resolve
    try:
        spec, db_url, run_id = conn.recv()
    except (EOFError, OSError):  # started ahead, never adopted
        return
    index = GrowingIndex(spec.index_dir) if spec.index_dir else None
    writer = WarcWriter(spec.directory, on_close=index and index.close, on_write=index and index.add, **spec.options)
    engine = make_engine(db_url)
    archivist = _Archivist(writer, engine, run_id)
    try:
        while True:
            try:
                group = conn.recv()
            except (EOFError, OSError):  # the caller died: keep what we have
                break
            if group is None:
                break
            try:
                answer = archivist.record(group)
            except Exception as exc:  # noqa: BLE001 — reported to the caller, the archivist goes on
                logger.error("Could not archive %d item(s): %s", len(group), exc)
                answer = str(exc) if isinstance(exc, ArchiveError) else f"Archiving failed: {type(exc).__name__}: {exc}"
            try:
                conn.send(answer)
            except (BrokenPipeError, OSError):
                break
    finally:
        writer.close()
        engine.dispose()


class _Archivist:
    """Writes one group and commits its rows (runs in the archivist process)."""

    def __init__(self, writer, engine, run_id: int | None):
        self.writer, self.engine, self.run_id = writer, engine, run_id

    def record(self, group: list) -> list[Recorded]:
        from archive.catalog import find_originals, insert_captures
        from archive.changes import note_changes
        from nianbao.db import session

        values: list[dict] = []              # catalog rows in writing order: request, response, …, resources
        answer_at: list[int] = [0] * len(group)  # group item → index of its row in ``values``
        exchanges = [n for n, item in enumerate(group) if isinstance(item, _Exchange)]
        with session(self.engine) as s:
            written = self.writer.write_exchanges([group[n].exchange for n in exchanges],
                                                  lambda digests: find_originals(s, digests)) if exchanges else []
            for n, (req, resp) in zip(exchanges, written):
                item = group[n]
                values.append(self._values(req, item.method, resp.date))
                answer_at[n] = len(values)
                values.append(self._values(resp, item.method, resp.date, resp.status, resp.content_type,
                                           item.exchange.truncated, request_record_id=req.record_id))
            for n, item in enumerate(group):
                if isinstance(item, _Resource):
                    loc = self.writer.write_resource(item.uri, item.content_type, item.body, refers_to=item.refers_to)
                    answer_at[n] = len(values)
                    values.append(self._values(loc, "GET", loc.date, None, item.content_type, refers_to=item.refers_to))
            inserted = insert_captures(s, values)
            rows = [inserted[at] for at in answer_at]
            changed = {c.after_id for c in note_changes(s, self.writer.directory, rows, _change_failed)}
        return [_recorded(row, row.id in changed) for row in rows]

    def _values(self, loc: RecordLocation, method: str, date: datetime, status: int | None = None,
                content_type: str | None = None, truncated: str | None = None, *, request_record_id: str | None = None,
                refers_to: str | None = None) -> dict:
        from nianbao.timeutil import as_utc

        from archive.catalog import capture_values

        return capture_values(loc, loc.target_uri, status, content_type, method, self.run_id, as_utc(date), truncated,
                              request_record_id=request_record_id, refers_to=refers_to)


def _change_failed(row, exc: ArchiveError) -> None:
    logger.error("Change check failed for %s: %s", row.url, exc)


def _recorded(row, changed: bool) -> Recorded:
    return Recorded(row.id, row.record_id, row.warc_file, row.record_type, row.truncated, changed)
