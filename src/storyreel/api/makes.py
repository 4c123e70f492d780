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
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import queue as queue_module
import secrets
import signal
import sys
import threading
import time
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from storyreel.api.errors import Conflict, NotFound
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
from storyreel.voice.engines import VOICES

# Finished makes kept for GET and late subscribers; older ones are forgotten.
KEEP_FINISHED = 64
# Events a slow SSE client may fall behind by before it is resynced from the state.
SUBSCRIBER_BACKLOG = 512
# Seconds a cancelled make gets to stop on SIGTERM before SIGKILL.
CANCEL_GRACE = 5.0

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
    try:
        film = make_film(
            spec.story,
            spec.out,
            spec.config,
            project=Project(spec.project_root),
            progress=progress,
            on_event=on_event,
        )
        write_sheet(film.storyboard, spec.sheet)
        events.put(("status", {"status": "succeeded", "error": None}))
    except StoryreelError as error:
        events.put(("status", {"status": "failed", "error": str(error)}))
    except BaseException as error:  # a bug: the client still hears that the make ended
        traceback.print_exc(file=sys.stderr)
        message = f"the make stopped on an unexpected error ({type(error).__name__}: {error})"
        events.put(("status", {"status": "failed", "error": message}))
    finally:
        events.close()
        events.join_thread()


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
    """Makes by id; at most one running per project."""

    def __init__(self) -> None:
        self._makes: OrderedDict[str, MakeRecord] = OrderedDict()
        self._running: dict[str, str] = {}  # project id -> make id
        self._lock = threading.Lock()
        self._context = multiprocessing.get_context("spawn")

    # --- starting and stopping ----------------------------------------------------------

    def start(self, project: StudioProject, request: MakeCreate, engine: str) -> MakeRecord:
        """Start a make of `project`; call it on the event loop (events come back there)."""
        loop = asyncio.get_running_loop()
        story = project.script_path
        if story is None:
            raise Conflict("the project has no script yet; PUT one to .../script first")
        # An unknown engine or voice, or a bad option, is refused now rather than
        # reported as a failed make.
        ENGINES.options(engine_class(engine), engine, request.engine_options)
        voice = request.voice or "espeak"
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
                takes=request.takes,
                retake=request.retake,
            ),
        )
        events = self._context.Queue()
        process = self._context.Process(
            target=run_make, args=(spec, events), name=f"storyreel-make-{record.id}"
        )
        try:
            process.start()
        except BaseException:
            with self._lock:
                self._running.pop(project.id, None)
            raise
        record.process = process
        reader = threading.Thread(
            target=self._read, args=(record, process, events, loop), daemon=True
        )
        reader.start()
        return record

    def cancel(self, make_id: str) -> MakeRecord:
        record = self.get(make_id)
        process = record.process
        if record.finished or process is None or process.pid is None:
            return record
        record.cancelling = True
        _signal_group(process.pid, signal.SIGTERM)
        threading.Thread(target=_reap, args=(process,), daemon=True).start()
        return record

    def shutdown(self) -> None:
        """Stop every running make (the server is going away)."""
        for record in list(self._makes.values()):
            if not record.finished and record.process is not None and record.process.pid:
                record.cancelling = True
                _signal_group(record.process.pid, signal.SIGTERM)
        for record in list(self._makes.values()):
            if record.process is not None:
                _reap(record.process)

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
            record.status = status
            record.error = data.get("error") if status != "cancelled" else "cancelled by request"
            if record.finished:
                record.finished_at = time.time()
                # The process object holds the event queue (its arguments); let both go.
                record.process = None
                with self._lock:
                    if self._running.get(record.project_id) == record.id:
                        del self._running[record.project_id]
                if status == "succeeded":
                    out += self._all_done(record)
            out.append(record.status_event())
        for subscriber in list(record.subscribers):
            for item in out:
                _offer(subscriber, item, record)

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


def _reap(process: BaseProcess) -> None:
    process.join(CANCEL_GRACE)
    if process.is_alive() and process.pid is not None:
        _signal_group(process.pid, signal.SIGKILL)
        process.join()
