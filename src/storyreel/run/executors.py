"""Executors run a list of jobs and report each one's life as `JobEvent`s.

    results = LocalExecutor(workers=4).map(render_job, jobs, on_event=print)

A job function is a module-level `fn(payload, progress) -> result`, where `progress`
takes the fraction done (0..1). A job that raises is reported `failed` with its error
and the others go on; `map` returns one `JobResult` per job, in the jobs' order.

`LocalExecutor` runs jobs in worker processes on this machine. `RayExecutor` runs them
as Ray tasks, on this machine or a cluster (`pip install storyreel[ray]`); its workers
may not share this machine's disk, which is why its `shared_filesystem` is False and
job functions can return a take's bytes instead of a path (see `run.jobs`).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from storyreel.errors import StoryreelError
from storyreel.events import EventFn, EventType, JobEvent, JobKind, ignore
from storyreel.render.engine import Capabilities

P = TypeVar("P")
R = TypeVar("R")

ProgressFn = Callable[[float], None]
JobFn = Callable[[P, ProgressFn], R]

# How often the driver looks at worker messages while jobs run, in seconds.
POLL_SECONDS = 0.05
# Smallest step of progress a worker sends: a 2,000-frame shot sends 100 messages.
PROGRESS_STEP = 0.01
# And at most ten a second: a progress bar needs no more, and on Ray every message is a
# remote call that costs the worker and the inbox CPU time the shots could use.
PROGRESS_INTERVAL = 0.1


@dataclass(frozen=True)
class Resources:
    """What one job occupies while it runs (Ray schedules by it; local runs ignore it)."""

    cpus: float = 1.0
    gpus: float = 0.0


def resources_for(capabilities: Capabilities) -> Resources:
    """A render job's needs from its engine's declared capabilities."""
    return Resources(cpus=1.0, gpus=1.0 if capabilities.needs_gpu else 0.0)


@dataclass(frozen=True)
class Job(Generic[P]):
    key: str
    kind: JobKind
    payload: P
    shot_id: str | None = None
    resources: Resources = field(default_factory=Resources)


@dataclass(frozen=True)
class JobResult(Generic[R]):
    key: str
    value: R | None = None
    # One line for people; `detail` has the traceback for a bug report.
    error: str | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Executor(Protocol):
    # True when a file a job writes is visible to the caller at the same path.
    shared_filesystem: bool

    def map(
        self, fn: JobFn[P, R], jobs: Sequence[Job[P]], on_event: EventFn = ignore
    ) -> list[JobResult[R]]: ...


def error_line(error: BaseException) -> str:
    """An exception as one line: a user error's own message, otherwise type and message."""
    if isinstance(error, StoryreelError):
        return str(error).splitlines()[0] if str(error) else type(error).__name__
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def error_detail(error: BaseException) -> str:
    # A worker's traceback travels as the cause (concurrent.futures' _RemoteTraceback).
    cause = error.__cause__
    own = "".join(traceback.format_exception(error))
    return f"{cause}\n{own}" if cause is not None else own


class _Reporter:
    """Turns a job's transitions into events, once each and in order."""

    def __init__(self, jobs: Sequence[Job[Any]], on_event: EventFn) -> None:
        keys = [job.key for job in jobs]
        if len(set(keys)) != len(keys):
            raise ValueError("jobs must have distinct keys; run a repeated job once")
        self.jobs = {job.key: job for job in jobs}
        self.on_event = on_event
        self.started: set[str] = set()
        self.finished: set[str] = set()

    def emit(
        self,
        event: EventType,
        key: str,
        *,
        fraction: float = 0.0,
        error: str | None = None,
        at: float | None = None,
    ) -> None:
        if key in self.finished:
            return  # late progress from a worker after its result arrived
        if key not in self.jobs:
            # Late progress of an earlier map's job: Ray's inbox outlives a map, and a
            # worker's last messages may come after the map that ran it has returned.
            return
        if event in ("progress", "done", "failed") and key not in self.started:
            self.emit("started", key, at=at)
        if event == "started":
            if key in self.started:
                return
            self.started.add(key)
        if event in ("done", "failed"):
            self.finished.add(key)
        job = self.jobs[key]
        self.on_event(
            JobEvent(
                event=event,
                key=key,
                kind=job.kind,
                shot_id=job.shot_id,
                fraction=fraction,
                error=error,
                at=at if at is not None else time.time(),
            )
        )

    def result(
        self, key: str, value: Any = None, error: BaseException | None = None
    ) -> JobResult[Any]:
        if error is None:
            self.emit("done", key, fraction=1.0)
            return JobResult(key, value)
        line = error_line(error)
        self.emit("failed", key, error=line)
        return JobResult(key, None, line, error_detail(error))


# --- local processes ---------------------------------------------------------------------


class LocalExecutor:
    """Jobs in worker processes on this machine; `workers=1` runs them in this process.

    Ctrl-C (or any exception in the caller) cancels the jobs not yet started and
    terminates the running ones; the workers ignore SIGINT themselves so that only the
    caller decides.
    """

    shared_filesystem = True

    def __init__(
        self,
        workers: int | None = None,
        start_method: str | None = None,
        *,
        keep_workers: bool = False,
    ) -> None:
        if workers is not None and workers < 1:
            raise ValueError(f"workers must be at least 1, got {workers}")
        self.workers = workers or os.cpu_count() or 1
        # None: the platform's default (fork on Linux up to Python 3.13, forkserver after).
        self.start_method = start_method
        # With `keep_workers`, the worker processes started by the first `map` serve
        # every later one until `close()` (a matrix of films: starting a pool per make
        # costs more than a short film's shots); without, each `map` has its own.
        self.keep_workers = keep_workers
        self._kept: tuple[ProcessPoolExecutor, Any] | None = None
        if keep_workers and self.workers > 1:
            # Started now, before the caller takes a project's lock: a worker forked
            # later would hold the lock's file open, and with it the lock, for as long
            # as it lives (flock belongs to the open file, which a fork shares).
            self._kept = self._start(self.workers)
            self._kept[0].submit(_ready).result()

    def map(
        self, fn: JobFn[P, R], jobs: Sequence[Job[P]], on_event: EventFn = ignore
    ) -> list[JobResult[R]]:
        reporter = _queued(jobs, on_event)
        if not jobs:
            return []
        if min(self.workers, len(jobs)) == 1:
            return [self._inline(fn, job, reporter) for job in jobs]
        return self._pool(fn, jobs, reporter)

    @staticmethod
    def _inline(fn: JobFn[P, R], job: Job[P], reporter: _Reporter) -> JobResult[R]:
        reporter.emit("started", job.key)
        progress = _Throttle(lambda f: reporter.emit("progress", job.key, fraction=f))
        try:
            value = fn(job.payload, progress)
        except Exception as error:
            return reporter.result(job.key, error=error)
        return reporter.result(job.key, value)

    def _pool(
        self, fn: JobFn[P, R], jobs: Sequence[Job[P]], reporter: _Reporter
    ) -> list[JobResult[R]]:
        pool, messages = self._kept or self._start(
            self.workers if self.keep_workers else min(self.workers, len(jobs))
        )
        if self.keep_workers:
            self._kept = (pool, messages)
        results: dict[str, JobResult[R]] = {}
        try:
            futures: dict[Future[R], str] = {
                pool.submit(_worker_run, fn, job.key, job.payload): job.key for job in jobs
            }
            pending = set(futures)
            while pending:
                finished, pending = wait(pending, POLL_SECONDS, return_when=FIRST_COMPLETED)
                _drain(messages, reporter)
                for future in finished:
                    key = futures[future]
                    error = future.exception()
                    results[key] = reporter.result(key, None if error else future.result(), error)
        except BaseException:
            self._kept = None
            _stop(pool)
            messages.close()
            raise
        # A pool whose worker died (killed, out of memory) takes no more jobs: the next
        # map starts a fresh one.
        if not self.keep_workers or getattr(pool, "_broken", False):
            self._kept = None
            _close(pool, messages)
        return [results[job.key] for job in jobs]

    def _start(self, workers: int) -> tuple[ProcessPoolExecutor, Any]:
        context = multiprocessing.get_context(self.start_method)
        # A SimpleQueue writes in the worker's own thread: a job's messages are in the
        # pipe before its result is, so draining first never drops its last progress.
        messages: Any = context.SimpleQueue()
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_worker_init,
            initargs=(messages,),
        )
        return pool, messages

    def close(self) -> None:
        """End the kept workers (a later `map` starts new ones)."""
        if self._kept is not None:
            _close(*self._kept)
            self._kept = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _ready() -> bool:
    """A job that does nothing: submitted once, it starts a pool's workers."""
    return True


def _close(pool: ProcessPoolExecutor, messages: Any) -> None:
    pool.shutdown(wait=True, cancel_futures=True)
    messages.close()


class _Throttle:
    """Passes progress on when it has moved by PROGRESS_STEP and PROGRESS_INTERVAL has
    passed since the last message; always the first and the end."""

    def __init__(self, send: ProgressFn) -> None:
        self.send = send
        self.last = -1.0
        self.sent_at = -PROGRESS_INTERVAL

    def __call__(self, fraction: float) -> None:
        fraction = min(1.0, max(0.0, float(fraction)))
        now = time.monotonic()
        moved = fraction - self.last >= PROGRESS_STEP and now - self.sent_at >= PROGRESS_INTERVAL
        if moved or (fraction == 1.0 and self.last < 1.0):
            self.last, self.sent_at = fraction, now
            self.send(fraction)


_messages: Any = None  # the worker's end of the driver's queue, set by _worker_init


def _worker_init(messages: Any) -> None:
    global _messages
    _messages = messages
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _worker_run(fn: JobFn[P, R], key: str, payload: P) -> R:
    return _reporting(fn, key, payload, _messages.put)


def _reporting(fn: JobFn[P, R], key: str, payload: P, put: Callable[[tuple[Any, ...]], Any]) -> R:
    """Run one job in a worker, sending `started` and its throttled progress by `put`."""
    put(("started", key, 0.0, time.time()))
    return fn(payload, _Throttle(lambda f: put(("progress", key, f, time.time()))))


def _drain(messages: Any, reporter: _Reporter) -> None:
    while not messages.empty():
        _emit([messages.get()], reporter)


def _emit(items: Iterable[tuple[EventType, str, float, float]], reporter: _Reporter) -> None:
    for event, key, fraction, at in items:
        reporter.emit(event, key, fraction=fraction, at=at)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end what is running, now."""
    # The pool has no public way to stop a running call; its processes are the way.
    # Taken before shutdown(), which forgets them.
    processes: dict[int, Any] = dict(getattr(pool, "_processes", None) or {})
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes.values():
        process.terminate()


# --- Ray ---------------------------------------------------------------------------------


class RayExecutor:
    """Jobs as Ray tasks, each asking Ray for its `Resources` (GPU engines get a GPU).

    Connects to the cluster at `address` ("auto" for a running local cluster, or
    "ray://host:10001"), or starts a private Ray on this machine when address is None.
    A Ray the executor started is shut down by `close()`; one that was already running
    is left alone. Tasks send `started` and their progress to an inbox actor (one per
    executor, asking for no CPU so it never takes a task's place), without waiting for
    it; the driver collects them while it waits for results.
    """

    def __init__(
        self,
        address: str | None = None,
        *,
        shared_filesystem: bool = False,
        init_options: dict[str, Any] | None = None,
    ) -> None:
        self.address = address
        # Only True for one machine or a cluster that mounts the project at the same path.
        self.shared_filesystem = shared_filesystem
        self.init_options = init_options or {}
        self._started_ray = False
        self._inbox: Any = None

    def _ray(self) -> Any:
        try:
            import ray
        except ImportError:
            raise StoryreelError(
                "the Ray executor needs the ray package: pip install 'storyreel[ray]'"
            ) from None
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address is None:
                # A private Ray for this make: its start-up notices are noise beside the
                # make's own progress; its errors still show.
                options["logging_level"] = logging.ERROR
            options.update(self.init_options)
            try:
                ray.init(address=self.address, **options)
            except ConnectionError as error:
                raise StoryreelError(f"cannot reach Ray at {self.address}: {error}") from None
            self._started_ray = True
        return ray

    def map(
        self, fn: JobFn[P, R], jobs: Sequence[Job[P]], on_event: EventFn = ignore
    ) -> list[JobResult[R]]:
        reporter = _queued(jobs, on_event)
        if not jobs:
            return []
        ray = self._ray()
        if self._inbox is None:
            # Started once: an actor is a worker process, seconds to start on a small
            # machine, and a make's every render shares it.
            self._inbox = ray.remote(num_cpus=0)(_Inbox).remote()
        messages = self._inbox
        task = ray.remote(_ray_run)
        refs: dict[Any, str] = {}
        results: dict[str, JobResult[R]] = {}
        try:
            for job in jobs:
                options = {"num_cpus": job.resources.cpus, "num_gpus": job.resources.gpus}
                refs[task.options(**options).remote(fn, job.key, job.payload, messages)] = job.key
            pending = list(refs)
            while pending:
                ready, pending = ray.wait(pending, num_returns=1, timeout=POLL_SECONDS * 4)
                _emit(ray.get(messages.take.remote()), reporter)
                for ref in ready:
                    key = refs[ref]
                    try:
                        value = ray.get(ref)
                    except ray.exceptions.RayTaskError as error:
                        cause = error.cause if isinstance(error.cause, BaseException) else error
                        results[key] = reporter.result(key, error=cause)
                    except ray.exceptions.RayError as error:  # a lost worker or node
                        results[key] = reporter.result(key, error=error)
                    else:
                        results[key] = reporter.result(key, value)
        except BaseException:
            for ref in refs:
                if refs[ref] not in results:
                    ray.cancel(ref, force=True)
            raise
        return [results[job.key] for job in jobs]

    def close(self) -> None:
        self._inbox = None
        if self._started_ray:
            import ray

            ray.shutdown()
            self._started_ray = False

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _queued(jobs: Sequence[Job[P]], on_event: EventFn) -> _Reporter:
    """Announce every job as queued, and the reporter for the rest of their lives."""
    reporter = _Reporter(jobs, on_event)
    for job in jobs:
        reporter.emit("queued", job.key)
    return reporter


class _Inbox:
    """Where Ray tasks leave their job events for the driver (a Ray actor). A result can
    arrive before its task's last message: the reporter ignores a finished job's."""

    def __init__(self) -> None:
        self.items: list[tuple[EventType, str, float, float]] = []

    def put(self, item: tuple[EventType, str, float, float]) -> None:
        self.items.append(item)

    def take(self) -> list[tuple[EventType, str, float, float]]:
        items, self.items = self.items, []
        return items


def _ray_run(fn: JobFn[P, R], key: str, payload: P, inbox: Any) -> R:
    # Sent without waiting for the inbox: a task never stalls on its progress report.
    return _reporting(fn, key, payload, inbox.put.remote)


def executor_for(
    kind: str,
    *,
    workers: int | None = None,
    ray_address: str | None = None,
    keep_workers: bool = False,
) -> Executor:
    """The executor the CLI's `--executor local|ray [--ray-address ADDR]` names; with
    `keep_workers`, local workers serve every `map` until it is closed."""
    if kind == "local":
        return LocalExecutor(workers, keep_workers=keep_workers)
    if kind == "ray":
        return RayExecutor(ray_address)
    raise StoryreelError(f"unknown executor {kind!r}; choose local or ray")
