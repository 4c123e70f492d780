"""The make manager: one `make_film` per project, each in a process of its own.

    record = manager.start(project, MakeCreate(width=320, height=180), engine="previs")
    queue = manager.subscribe(record)   # the latest state first, then every new event
    manager.cancel(record.id)           # stops the make and its render workers

A make runs in a spawned process that leads its own process group, so cancelling it
stops its render workers too; the pipeline is crash-safe (takes are staged and renamed,
the project lock is a flock the kernel drops), so a killed make leaves nothing half
done. Its `Progress` and per-shot `JobEvent`s come back over a multiprocessing queue;
a reader thread hands them to the event loop, which fans them out to each SSE client's
asyncio queue.

Each make is a row in the server's store (`storyreel.store.server`) with its process
id and a lease the server renews every second. A server killed outright (kill -9)
leaves its makes running as orphans, holding their projects' locks; the next server on
the same root finds their leases lapsed, adopts them (shown as running, cancellable),
and records how each ended: the make process writes its own final status to the store,
so one that finished while no server watched is recorded too. At most `max_makes` run
at once across all projects (STORYREEL_MAX_MAKES); later ones wait as `queued`.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue as queue_module
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from storyreel.api.errors import Conflict, NotFound, scrub_paths
from storyreel.api.schemas.makes import (
    FINISHED,
    MakeCreate,
    MakePublic,
    MakeStatus,
    ProgressPublic,
    ShotEventPublic,
)
from storyreel.api.services import StudioProject
from storyreel.config import MakeConfig
from storyreel.errors import StoryreelError
from storyreel.render.engine import ENGINES, engine_class
from storyreel.run.lock import ProjectLock
from storyreel.stages import STAGES
from storyreel.store.records import MakeRowRecord
from storyreel.store.server import ServerStore, open_server_store
from storyreel.variants.matrix import VariantMatrix
from storyreel.voice.engines import VOICES

# Finished makes kept for GET and late subscribers; older ones are forgotten.
KEEP_FINISHED = 64
# Events a slow SSE client may fall behind by before it is resynced from the state.
SUBSCRIBER_BACKLOG = 512
# Seconds a cancelled make gets to stop on SIGTERM before SIGKILL.
CANCEL_GRACE = 5.0
# A server renews the lease on its makes this often; one that has not for LEASE
# seconds is taken for dead, and its makes are adopted by a server that is alive.
RENEW = 1.0
LEASE = 3.0
# Makes at once across all projects, unless STORYREEL_MAX_MAKES says otherwise: each
# is a process with render workers of its own.
MAX_MAKES = 4
UNFINISHED = ("queued", "running")

# One event as the SSE stream sends it: (event name, JSON data).
Event = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class MakeSpec:
    """Everything the make process needs; plain data, so it pickles for spawn."""

    project_root: Path
    story: Path
    out: Path
    sheet: Path
    config: MakeConfig
    # The make's row in the server's store (under `server_root`), where the make
    # process records how it ended: its server may be gone by then.
    make_id: str = ""
    server_root: Path | None = None
    # A matrix of variants made into the folder instead of the one film (`out`).
    variants: tuple[VariantMatrix, Path] | None = None


# --- the make process -----------------------------------------------------------------


def run_make(spec: MakeSpec, events: Any) -> None:
    """The make process's body: `make_film`, then the contact sheet; every step is sent
    to the parent as ("progress" | "shot" | "status", data)."""
    # Its own process group: the parent stops the make and its workers with one signal.
    os.setsid()
    from storyreel.events import JobEvent
    from storyreel.make import Progress, make_film
    from storyreel.project import Project
    from storyreel.render.previs.sheet import write_sheet

    def progress(p: Progress) -> None:
        data = {"stage": p.stage, "done": p.done, "total": p.total, "detail": p.detail}
        events.put(("progress", {**data, "at": time.time()}))

    def on_event(event: JobEvent) -> None:
        if event.shot_id is None or event.kind != "render":
            return
        shot = {
            "shot_id": event.shot_id,
            "event": event.event,
            "fraction": 1.0 if event.event == "done" else event.fraction,
            "error": event.error,
            "at": event.at,  # stamped where the job ran
        }
        events.put(("shot", shot))

    events.put(("status", {"status": "running", "error": None}))
    final: dict[str, Any] = {"status": "failed", "error": "the make stopped"}
    try:
        if spec.variants is not None:
            from storyreel.variants.run import make_variants

            matrix, folder = spec.variants
            make_variants(
                spec.story,
                folder,
                matrix,
                spec.config,
                project=Project(spec.project_root),
                progress=lambda v: progress(v.make),
                on_event=on_event,
            )
        else:
            film = make_film(
                spec.story,
                spec.out,
                spec.config,
                project=Project(spec.project_root),
                progress=progress,
                on_event=on_event,
            )
            write_sheet(film.storyboard, spec.sheet)
        final = {"status": "succeeded", "error": None}
    except StoryreelError as error:
        final = {"status": "failed", "error": str(error)}
    except BaseException as error:  # a bug: the client still hears that the make ended
        traceback.print_exc(file=sys.stderr)
        message = f"the make stopped on an unexpected error ({type(error).__name__}: {error})"
        final = {"status": "failed", "error": message}
    finally:
        events.put(("status", final))
        record_final(spec, final["status"], final["error"])
        events.close()
        events.join_thread()


def record_final(spec: MakeSpec, status: str, error: str | None) -> None:
    """Write how the make ended to its row, unless a server already did."""
    if spec.server_root is None or not spec.make_id:
        return
    try:
        with open_server_store(spec.server_root) as store:
            row = store.make(spec.make_id)
            if row is not None and row.status not in FINISHED:
                changes = {"status": status, "error": error, "finished_at": time.time()}
                store.update_make(spec.make_id, changes)
    except Exception:  # the server records the end itself when it is alive
        traceback.print_exc(file=sys.stderr)


# --- the parent's view of a make --------------------------------------------------------


@dataclass
class MakeRecord:
    id: str
    project_id: str
    engine: str
    created_at: float = field(default_factory=time.time)
    status: MakeStatus = "queued"
    error: str | None = None
    finished_at: float | None = None
    stages: dict[str, ProgressPublic] = field(default_factory=dict)
    last_stage: str | None = None
    shots: dict[str, ShotEventPublic] = field(default_factory=dict)
    subscribers: set[asyncio.Queue[Event]] = field(default_factory=set)
    process: BaseProcess | None = None
    cancelling: bool = False
    # The make process, and its start time (clock ticks since boot) where known; a
    # make adopted from a server that died has these but no `process`.
    pid: int | None = None
    pid_started: int | None = None
    adopted: bool = False

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def film_url(self) -> str | None:
        if self.status != "succeeded":
            return None
        return f"/api/projects/{self.project_id}/files/film.mp4"

    def public(self) -> MakePublic:
        return MakePublic(
            id=self.id,
            status=self.status,
            engine=self.engine,
            progress=self.stages.get(self.last_stage) if self.last_stage else None,
            shots={shot_id: e.fraction for shot_id, e in self.shots.items()},
            error=self.error,
            film_url=self.film_url,
            created_at=self.created_at,
            finished_at=self.finished_at,
        )

    def status_event(self) -> Event:
        data = {"id": self.id, "status": self.status, "error": self.error}
        return "status", {**data, "film_url": self.film_url}

    def snapshot(self) -> list[Event]:
        """The latest state as events, for a subscriber that joins late: the status
        (last when it is final, so a client stops reading only after the rest), each
        stage's latest progress, each shot's latest event."""
        state: list[Event] = [
            ("progress", self.stages[s].model_dump()) for s in STAGES if s in self.stages
        ]
        state += [("shot", e.model_dump()) for e in self.shots.values()]
        return [*state, self.status_event()] if self.finished else [self.status_event(), *state]


class MakeManager:
    """Makes by id; at most one running per project, `max_makes` across all of them.
    With a `store`, every make is recorded there and watched under a lease (`open`
    starts the watch; `shutdown` ends it)."""

    def __init__(self, store: ServerStore | None = None, max_makes: int = MAX_MAKES) -> None:
        self._makes: OrderedDict[str, MakeRecord] = OrderedDict()
        self._running: dict[str, str] = {}  # project id -> make id
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")
        self._store = store
        self._max = max_makes
        self._pending: deque[tuple[MakeRecord, MakeSpec]] = deque()
        self._slots: set[str] = set()  # makes whose process runs (or was adopted)
        # This server instance, as the owner of the leases it renews.
        self._owner = secrets.token_hex(8)
        self._host = socket.gethostname()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop = threading.Event()
        self._watch: threading.Thread | None = None

    # --- the watch: leases, adoption ------------------------------------------------------

    def open(self, loop: asyncio.AbstractEventLoop) -> None:
        """Show the makes of earlier servers on this root and start watching: leases
        renewed, makes of dead servers adopted. Call once, on the event loop."""
        self._loop = loop
        if self._store is None:
            return
        with self._lock:
            for row in reversed(self._store.makes(list(FINISHED), KEEP_FINISHED)):
                self._makes[row.id] = _finished_record(row)
        self._sweep()
        self._watch = threading.Thread(target=self._watching, daemon=True, name="make-leases")
        self._watch.start()

    def _watching(self) -> None:
        while not self._stop.wait(RENEW):
            try:
                self._sweep()
            except Exception:  # the database may be briefly away; try again next time
                traceback.print_exc(file=sys.stderr)

    def _sweep(self) -> None:
        """Renew this server's leases, adopt makes whose server's lease lapsed, and
        notice adopted makes that ended."""
        assert self._store is not None
        now = time.time()
        self._store.renew_leases(self._owner, now + LEASE, UNFINISHED)
        for row in self._store.makes(UNFINISHED):
            lapsed = row.owner != self._owner and row.lease_until < now
            if lapsed and self._store.claim_make(row.id, self._owner, now + LEASE, now):
                self._adopt(row)
        for record in list(self._makes.values()):
            if record.adopted and not record.finished and not _alive(record):
                self._adopted_ended(record)

    def _adopt(self, row: MakeRowRecord) -> None:
        record = MakeRecord(
            id=row.id,
            project_id=row.project_id,
            engine=row.engine,
            created_at=row.created_at,
            pid=row.pid,
            pid_started=row.pid_started,
            adopted=True,
        )
        here = row.host == self._host
        if row.pid is not None and here and _alive(record):
            record.status = "running"
            with self._lock:
                self._makes[record.id] = record
                self._running.setdefault(record.project_id, record.id)
                self._slots.add(record.id)
            return
        # Gone with its server, or never started: recorded as ended.
        status = "cancelled" if row.pid is None else "failed"
        error: str | None = "the server stopped while the make ran; start it again"
        if row.pid is None:
            error = "the server stopped before the make started; start it again"
        final = self._store.make(row.id) if self._store is not None else None
        if final is not None and final.status in FINISHED:  # it recorded its own end
            status, error = final.status, final.error
        record.status = status  # type: ignore[assignment]
        record.error, record.finished_at = error, time.time()
        self._save(record)
        with self._lock:
            self._makes[record.id] = record

    def _adopted_ended(self, record: MakeRecord) -> None:
        row = self._store.make(record.id) if self._store is not None else None
        if record.cancelling:
            data: dict[str, Any] = {"status": "cancelled", "error": "cancelled by request"}
        elif row is not None and row.status in FINISHED:
            data = {"status": row.status, "error": row.error}
        else:
            data = {"status": "failed", "error": "the make process ended without finishing"}
        if self._loop is not None and self._loop.is_running():
            _call(self._loop, self._apply, record, "status", data)
        else:
            self._apply(record, "status", data)

    def _save(self, record: MakeRecord) -> None:
        if self._store is None:
            return
        self._store.update_make(
            record.id,
            {
                "status": record.status,
                "error": record.error,
                "finished_at": record.finished_at,
                "pid": record.pid,
                "pid_started": record.pid_started,
            },
        )

    # --- starting and stopping ----------------------------------------------------------

    def start(
        self,
        project: StudioProject,
        request: MakeCreate,
        engine: str,
        variants: tuple[VariantMatrix, Path] | None = None,
    ) -> MakeRecord:
        """Start a make of `project`, or queue it when `max_makes` run already; call it
        on the event loop (events come back there). With `variants`, the job makes that
        matrix into that folder instead of the project's film."""
        story = project.script_path
        if story is None:
            raise Conflict("the project has no script yet; PUT one to .../script first")
        # An unknown engine or voice, or a bad option, is refused now rather than
        # reported as a failed make.
        chosen = engine_class(engine)
        options = ENGINES.options(chosen, engine, request.engine_options)
        # An engine that needs something the server lacks (the kling engine's keys)
        # says so now: `check_ready(options)`, where it has one.
        ready = getattr(chosen, "check_ready", None)
        if callable(ready):
            ready(options)
        voice = request.voice or "auto"
        VOICES.options(VOICES.plugin_class(voice), voice, request.voice_options)
        with self._lock:
            running = self._running.get(project.id)
            if running is not None:
                raise Conflict(
                    f"make {running} of this project is still running; wait for it or "
                    f"cancel it (POST .../makes/{running}/cancel)"
                )
            _check_unlocked(project)  # a CLI make of the same folder holds the lock
            record = MakeRecord(id=f"m{secrets.token_hex(6)}", project_id=project.id, engine=engine)
            self._makes[record.id] = record
            self._running[project.id] = record.id
            self._forget_old()
        spec = MakeSpec(
            project_root=project.folder,
            story=story,
            out=project.file("film.mp4"),
            sheet=project.file("sheet.png"),
            config=MakeConfig(
                engine=engine,
                engine_options=request.engine_options,
                burn_subtitles=request.burn_subtitles,
                picture=request.picture,
                width=request.width,
                height=request.height,
                fps=request.fps,
                voice=voice,
                voice_options=request.voice_options,
                score=request.score,
                effects=request.effects,
                sound=request.sound,
                message=request.message,
                from_previous=request.from_previous,
                takes=request.takes,
                retake=request.retake,
            ),
            make_id=record.id,
            server_root=self._store.root if self._store is not None else None,
            variants=variants,
        )
        try:
            if self._store is not None:
                self._store.add_make(
                    MakeRowRecord(
                        id=record.id,
                        project_id=project.id,
                        engine=engine,
                        status="queued",
                        created_at=record.created_at,
                        host=self._host,
                        owner=self._owner,
                        lease_until=time.time() + LEASE,
                    )
                )
            with self._lock:
                full = len(self._slots) >= self._max
                if full:
                    self._pending.append((record, spec))
                else:
                    self._slots.add(record.id)
            if not full:
                self._launch(record, spec)
        except BaseException:
            with self._lock:
                self._running.pop(project.id, None)
                self._slots.discard(record.id)
                self._makes.pop(record.id, None)
            raise
        return record

    def _launch(self, record: MakeRecord, spec: MakeSpec) -> None:
        loop = asyncio.get_running_loop()
        events = self._context.Queue()
        process = self._context.Process(
            target=run_make, args=(spec, events), name=f"storyreel-make-{record.id}"
        )
        process.start()
        record.process = process
        record.pid = process.pid
        record.pid_started = _start_ticks(process.pid) if process.pid else None
        self._save(record)
        reader = threading.Thread(
            target=self._read, args=(record, process, events, loop), daemon=True
        )
        reader.start()

    def _launch_next(self) -> None:
        """Start queued makes while slots are free; on the event loop."""
        while True:
            with self._lock:
                if not self._pending or len(self._slots) >= self._max:
                    return
                record, spec = self._pending.popleft()
                if record.finished:
                    continue
                self._slots.add(record.id)
            try:
                self._launch(record, spec)
            except Exception as error:
                self._apply(record, "status", {"status": "failed", "error": str(error)})

    def cancel(self, make_id: str) -> MakeRecord:
        record = self.get(make_id)
        if record.finished:
            return record
        with self._lock:
            queued = [item for item in self._pending if item[0] is record]
            for item in queued:
                self._pending.remove(item)
        if queued:
            record.cancelling = True
            self._apply(record, "status", {"status": "cancelled", "error": None})
            return record
        process = record.process
        if process is not None and process.pid is not None:
            record.cancelling = True
            _signal_group(process.pid, signal.SIGTERM)
            threading.Thread(target=_reap, args=(process,), daemon=True).start()
        elif record.adopted and record.pid is not None and _alive(record):
            record.cancelling = True
            _signal_group(record.pid, signal.SIGTERM)
            threading.Thread(target=_reap_adopted, args=(record,), daemon=True).start()
        return record

    def shutdown(self) -> None:
        """Stop every running make (the server is going away) and record how they ended."""
        self._stop.set()
        for record in list(self._makes.values()):
            if record.finished:
                continue
            record.cancelling = True
            if record.process is not None and record.process.pid:
                _signal_group(record.process.pid, signal.SIGTERM)
            elif record.adopted and record.pid is not None and _alive(record):
                _signal_group(record.pid, signal.SIGTERM)
        for record in list(self._makes.values()):
            if record.process is not None:
                _reap(record.process)
            elif record.adopted and not record.finished:
                _reap_adopted(record)
        if self._watch is not None:
            self._watch.join(5)
        for record in list(self._makes.values()):
            if not record.finished:
                record.status, record.error = "cancelled", "the server stopped"
                record.finished_at = time.time()
                with contextlib.suppress(Exception):
                    self._save(record)

    # --- reading ------------------------------------------------------------------------

    def get(self, make_id: str, project_id: str | None = None) -> MakeRecord:
        record = self._makes.get(make_id)
        if record is None or (project_id is not None and record.project_id != project_id):
            raise NotFound(f"no make {make_id!r} of this project")
        return record

    def of_project(self, project_id: str) -> list[MakeRecord]:
        return [r for r in self._makes.values() if r.project_id == project_id]

    def running(self, project_id: str) -> MakeRecord | None:
        make_id = self._running.get(project_id)
        return self._makes.get(make_id) if make_id else None

    def subscribe(self, record: MakeRecord) -> asyncio.Queue[Event]:
        """A queue that holds the make's latest state and then receives every event.
        Call it on the event loop: nothing can arrive between the two."""
        queue: asyncio.Queue[Event] = asyncio.Queue(maxsize=SUBSCRIBER_BACKLOG)
        for event in record.snapshot():
            queue.put_nowait(event)
        record.subscribers.add(queue)
        return queue

    @staticmethod
    def unsubscribe(record: MakeRecord, queue: asyncio.Queue[Event]) -> None:
        record.subscribers.discard(queue)

    # --- the reader thread and the event loop ------------------------------------------

    def _read(
        self,
        record: MakeRecord,
        process: BaseProcess,
        events: Any,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        """Pass the make process's events to the loop until it has exited and its queue
        is drained; then make sure the make ends with a final status."""
        final = False
        while True:
            try:
                kind, data = events.get(timeout=0.2)
            except queue_module.Empty:
                if not process.is_alive():
                    break
                continue
            except (EOFError, OSError, ValueError):  # the queue broke with a killed writer
                break
            final = final or (kind == "status" and data.get("status") in FINISHED)
            _call(loop, self._apply, record, kind, data)
        process.join()
        if not final:
            if record.cancelling:
                data = {"status": "cancelled", "error": "cancelled by request"}
            else:
                why = f"the make process ended without finishing (exit code {process.exitcode})"
                data = {"status": "failed", "error": why}
            _call(loop, self._apply, record, "status", data)
        with contextlib.suppress(Exception):
            events.close()

    def _apply(self, record: MakeRecord, kind: str, data: dict[str, Any]) -> None:
        """On the loop: update the record, then tell every subscriber."""
        if record.finished:
            return
        out: list[Event] = []
        if kind == "progress":
            progress = ProgressPublic.model_validate(
                {k: data[k] for k in ("stage", "done", "total", "detail")}
            )
            record.stages[progress.stage] = progress
            record.last_stage = progress.stage
            out.append(("progress", {**progress.model_dump(), "at": data.get("at")}))
        elif kind == "shot":
            event = ShotEventPublic.model_validate(data)
            record.shots[event.shot_id] = event
            out.append(("shot", event.model_dump()))
        elif kind == "status":
            status = data["status"]
            if record.cancelling and status != "succeeded":
                status = "cancelled"
            changed = status != record.status
            record.status = status
            record.error = data.get("error") if status != "cancelled" else "cancelled by request"
            if record.error and self._store is not None:  # no server paths for the client
                record.error = scrub_paths(record.error, self._store.root)
            if record.finished:
                record.finished_at = time.time()
                # The process object holds the event queue (its arguments); let both go.
                record.process = None
                with self._lock:
                    if self._running.get(record.project_id) == record.id:
                        del self._running[record.project_id]
                    self._slots.discard(record.id)
                if status == "succeeded":
                    out += self._all_done(record)
            if changed or record.finished:
                with contextlib.suppress(Exception):  # the make goes on; the row catches up
                    self._save(record)
            out.append(record.status_event())
        for subscriber in list(record.subscribers):
            for item in out:
                _offer(subscriber, item, record)
        if record.finished:
            self._launch_next()

    @staticmethod
    def _all_done(record: MakeRecord) -> list[Event]:
        """A finished film has every shot: those still short of 1 are marked done."""
        out: list[Event] = []
        for shot_id, event in record.shots.items():
            if event.event != "done":
                done = ShotEventPublic(shot_id=shot_id, event="done", fraction=1.0, at=time.time())
                record.shots[shot_id] = done
                out.append(("shot", done.model_dump()))
        return out

    def _forget_old(self) -> None:
        finished = [r.id for r in self._makes.values() if r.finished]
        for make_id in finished[: max(0, len(finished) - KEEP_FINISHED)]:
            del self._makes[make_id]


def _offer(queue: asyncio.Queue[Event], event: Event, record: MakeRecord) -> None:
    """Queue `event`; a subscriber that fell too far behind gets the state instead of
    the backlog (what it missed is summed up by the latest state)."""
    try:
        queue.put_nowait(event)
    except asyncio.QueueFull:
        while not queue.empty():
            queue.get_nowait()
        for state in record.snapshot():
            queue.put_nowait(state)


def _call(loop: asyncio.AbstractEventLoop, fn: Any, *args: Any) -> None:
    with contextlib.suppress(RuntimeError):  # the loop closed: nobody is listening
        loop.call_soon_threadsafe(fn, *args)


def _check_unlocked(project: StudioProject) -> None:
    lock = ProjectLock(project.project)
    lock.acquire(timeout=0)  # raises ProjectLocked, a 409
    lock.release()


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        # Not leading its group yet (signalled before its first line ran): it has no
        # workers either, so the process alone is enough.
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)


def _start_ticks(pid: int) -> int | None:
    """When process `pid` started, in clock ticks since boot (Linux); None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _alive(record: MakeRecord) -> bool:
    """Whether the record's make process still runs: its pid exists, is not a zombie,
    and started when the record says (a pid can be reused once it ends)."""
    pid = record.pid
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc: the pid exists, which is all that can be told
    if state in ("Z", "X"):
        return False
    return record.pid_started is None or _start_ticks(pid) == record.pid_started


def _finished_record(row: MakeRowRecord) -> MakeRecord:
    record = MakeRecord(
        id=row.id, project_id=row.project_id, engine=row.engine, created_at=row.created_at
    )
    record.status = row.status  # type: ignore[assignment]
    record.error, record.finished_at = row.error, row.finished_at
    return record


def _reap_adopted(record: MakeRecord) -> None:
    """Wait for an adopted make to stop after SIGTERM; SIGKILL its group if it will not."""
    deadline = time.monotonic() + CANCEL_GRACE
    while _alive(record) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(record) and record.pid is not None:
        _signal_group(record.pid, signal.SIGKILL)


def _reap(process: BaseProcess) -> None:
    process.join(CANCEL_GRACE)
    if process.is_alive() and process.pid is not None:
        _signal_group(process.pid, signal.SIGKILL)
        process.join()
