"""The render job, and rendering a storyboard's shots through the take cache.

    outcome = render_takes(requests, "previs", cache, LocalExecutor(), on_event=store.record_event)

Only shots whose render key is not in the cache (and that are not pinned) run; the
rest are taken from the cache as they are. That is how changing one line of a film
re-renders one shot. A shot cut down from a longer take (a variant's shorter length,
`trims`) is the first frames of that take, copied by packets in this process. With
`checks`, each take rendered is judged in the worker that rendered it, as soon as it
is rendered, and the results come back with it (`RenderOutcome.judged`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from storyreel.events import EventFn, ignore
from storyreel.keys import engine_version, job_key
from storyreel.media.encode import copy_prefix
from storyreel.qa import CheckResult, load_check
from storyreel.render.engine import (
    PreviousTake,
    RenderRequest,
    Take,
    engine_options,
    keyed_options,
    load_engine,
    model_identity,
)
from storyreel.run.cache import TakeCache
from storyreel.run.executors import Executor, Job, ProgressFn, resources_for
from storyreel.run.lineage import FromPrevious, with_previous

Delivery = Literal["path", "bytes"]


def render_key(
    request: RenderRequest,
    engine_name: str,
    engine_version: str,
    options: Any = None,
    *,
    model: Any = None,
    references: Iterable[Path] = (),
) -> str:
    """The key of rendering `request` with an engine.

    `options` are the engine's settings (a pydantic model or plain data); `model` names
    the weights (a repo id and revision, or a weights file, hashed by content);
    `references` are the cast's image files, hashed by content, in the order the
    engine reads them. The request's own fields are all keyed (the seed included)
    except `out_path` and `on_progress`.
    """
    return job_key(
        "render",
        request=picture_request(request),
        engine={"name": engine_name, "version": engine_version},
        options=options,
        model=model,
        references=[Path(p) for p in references],
    )


def picture_request(request: RenderRequest) -> RenderRequest:
    """`request` as far as its picture can show: a clean picture carries no words, so a
    line spoken off screen (a voice-over: its speaker is not one of the shot's subjects)
    is keyed by when it is spoken alone, not by its words, its language or its
    speaker's mouth track (no face on screen moves with it). The same shot in
    another language is then the same take; an on-screen speaker's mouth moves with the
    words (keyed through `mouths`), and the caption band of an annotated picture shows
    them, so those keep every field."""
    shot = request.shot
    if request.picture != "clean" or not shot.lines:
        return request
    lines = [
        line
        if line.character in shot.subjects
        else line.model_copy(update={"text": "", "lang": "", "translation": None})
        for line in shot.lines
    ]
    # Nor is the mouth of a speaker off screen: there is no face to move it on.
    mouths = {name: track for name, track in request.mouths.items() if name in shot.subjects}
    if lines == shot.lines and mouths == request.mouths:
        return request
    return replace(request, shot=shot.model_copy(update={"lines": lines}), mouths=mouths)


@dataclass(frozen=True)
class RenderJob:
    engine: str
    request: RenderRequest
    # "path": the engine writes request.out_path, which the caller can see.
    # "bytes": the worker renders into its own temporary folder and returns the file's
    # bytes (a Ray worker on another machine); the caller writes them into its cache.
    delivery: Delivery = "path"
    # The engine's settings, validated again where the job runs.
    options: Mapping[str, Any] = field(default_factory=dict)
    # The after-render checks (name -> options), run on the take where it was rendered.
    checks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class RenderOutput:
    take: Take
    data: bytes | None = None
    # What `checks` found, in their order; None when none ran or one of them raised
    # (the make then runs them itself, where its error is reported as before).
    results: tuple[CheckResult, ...] | None = None


def render_job(job: RenderJob, progress: ProgressFn) -> RenderOutput:
    """Render one shot and judge it; the job function executors run."""
    engine = load_engine(job.engine, job.options)
    if job.delivery == "path":
        take = engine.render(replace(job.request, on_progress=progress))
        return RenderOutput(take, results=judge_here(job, take))
    with tempfile.TemporaryDirectory(prefix="storyreel-take-") as work:
        out_path = Path(work) / job.request.out_path.name
        take = engine.render(replace(job.request, out_path=out_path, on_progress=progress))
        return RenderOutput(take, take.path.read_bytes(), judge_here(job, take))


def judge_here(job: RenderJob, take: Take) -> tuple[CheckResult, ...] | None:
    """The job's checks on its take, in the worker while the take is on its disk: the
    checks of one shot overlap the rendering of the next instead of all waiting for
    the last shot, and the make's process only stores what they found."""
    if not job.checks:
        return None
    try:
        checks = [load_check(name, options) for name, options in job.checks.items()]
        return tuple(check.check(take, job.request) for check in checks)
    except Exception:
        return None


def trim_key(master: str, frames: int) -> str:
    """The key of the first `frames` frames of the take keyed `master`."""
    return job_key("trim", take=master, frames=frames)


def trimmed_take(cache: TakeCache, master: str, frames: int) -> tuple[str, Take] | None:
    """The first `frames` frames of the cached take `master` as a take of its own, with
    its key: from the cache when cut before, else cut now by copying packets (no
    engine runs). The whole take when it has exactly `frames`. None when the take is
    not in the cache or is shorter."""
    key = trim_key(master, frames)
    if (hit := cache.get(key)) is not None:
        return key, hit
    whole = cache.get(master)
    if whole is None or whole.frames < frames:
        return None
    if whole.frames == frames:
        return master, whole
    staged = cache.staging_path(key, whole.path.suffix or ".mp4")
    try:
        copied = copy_prefix(whole.path, frames, staged)
    except ValueError:
        staged.unlink(missing_ok=True)
        return None
    if copied != frames:  # the file has fewer frames than its record says
        staged.unlink(missing_ok=True)
        return None
    return key, cache.put(key, whole.model_copy(update={"frames": frames}), staged)


def collect_take(cache: TakeCache, key: str, output: RenderOutput) -> Take:
    """Put a finished render into the cache, whichever way it came back."""
    if output.data is not None:
        return cache.put_bytes(key, output.take, output.data)
    return cache.put(key, output.take)


@dataclass
class RenderOutcome:
    # Shot id -> its take (in the cache), for every shot that has one now.
    takes: dict[str, Take] = field(default_factory=dict)
    # Shot id -> the render key of its request (what a version records as fresh).
    keys: dict[str, str] = field(default_factory=dict)
    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    pinned: list[str] = field(default_factory=list)
    # Shot id -> one line saying why it has no take.
    failed: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    # Shot id -> the take its take was re-rendered from (run/lineage.py).
    previous: dict[str, PreviousTake] = field(default_factory=dict)
    # Shot id -> the key of the longer take its take is the first frames of (`trims`).
    trimmed: dict[str, str] = field(default_factory=dict)
    # Take key -> what the checks found in it, judged where it was rendered.
    judged: dict[str, tuple[CheckResult, ...]] = field(default_factory=dict)


# The render stage's interface: past the first four, each keyword is one optional
# source of a take (references, pins, lineage, trims), one listener or the checks,
# every one defaulting to "none", and callers name only the ones they use.
def render_takes(
    requests: Sequence[RenderRequest],
    engine: str,
    cache: TakeCache,
    executor: Executor,
    *,
    options: Mapping[str, Any] | None = None,
    references: Mapping[str, Sequence[Path]] | None = None,
    pins: Mapping[str, str] | None = None,
    on_event: EventFn = ignore,
    on_planned: Callable[[RenderOutcome, Sequence[RenderRequest]], None] | None = None,
    previous: FromPrevious | None = None,
    trims: Mapping[str, str] | None = None,
    checks: Mapping[str, Mapping[str, Any]] | None = None,
) -> RenderOutcome:
    """A take for every request: pinned, cached, cut down from a longer take, or
    rendered now by `executor`.

    `references` gives each shot's reference files (by shot id) and `pins` each pinned
    shot's take key. A pinned take whose file is gone is rendered again, with a warning.
    A failed shot is reported in `failed`; the other shots still get their takes.
    `on_planned` hears, before anything renders, which shots are pinned or cached and
    which requests are about to render.

    With an engine that declares `reference_video`, `previous.lineage` (each shot as
    the last version made it) keeps a shot re-rendered from a previous take on that
    take, and with `previous.renew` (an edit) a changed shot starts from its last take,
    `previous.change` saying what the edit asked (run/lineage.py).

    `trims` gives, by shot id, the key of a longer take the shot is cut down from: its
    take is that take's first frames (`trimmed_take`), never a render; when that take
    is gone, the shot is rendered at its own length, with a warning. `checks` (name ->
    options) are run on each rendered take in its worker (`RenderOutcome.judged`).
    """
    options = dict(options or {})
    instance = load_engine(engine, options)
    version = engine_version(instance)
    model = model_identity(instance)
    # Keyed as validated, defaults filled in: spelling out a default re-renders nothing,
    # and neither does changing an option that cannot change a take.
    keyed = keyed_options(engine_options(type(instance), engine, options))
    resources = resources_for(instance.capabilities)
    references = references or {}
    pins = pins or {}
    trims = trims or {}
    outcome = RenderOutcome()
    jobs: list[Job[RenderJob]] = []
    for request in requests:
        shot_id = request.shot.id
        refs = references.get(shot_id, ())
        if shot_id in trims and shot_id not in pins:
            cut = trimmed_take(cache, trims[shot_id], request.frame_count)
            if cut is not None:
                outcome.keys[shot_id], outcome.takes[shot_id] = cut
                outcome.trimmed[shot_id] = trims[shot_id]
                continue
            outcome.warnings.append(
                f"shot {shot_id}: take {trims[shot_id][:10]} it is cut down from is gone; "
                "rendered at its own length"
            )

        def key_of(r: RenderRequest, refs: Sequence[Path] = refs) -> str:
            return render_key(r, engine, version, keyed, model=model, references=refs)

        if previous and previous.lineage and instance.capabilities.reference_video:
            request = with_previous(
                request,
                previous.lineage.get(shot_id),
                key_of,
                cache,
                renew=previous.renew,
                change=previous.change,
            )
            if request.previous is not None:
                outcome.previous[shot_id] = request.previous
        key = key_of(request)
        outcome.keys[shot_id] = key
        if shot_id in pins:
            pinned = cache.get(pins[shot_id])
            if pinned is not None:
                outcome.takes[shot_id] = pinned
                outcome.pinned.append(shot_id)
                continue
            outcome.warnings.append(f"shot {shot_id}: pinned take {pins[shot_id][:10]} is gone")
        hit = cache.get(key)
        if hit is not None:
            outcome.takes[shot_id] = hit
            outcome.cached.append(shot_id)
            continue
        delivery: Delivery = "path" if executor.shared_filesystem else "bytes"
        ext = request.out_path.suffix or ".mp4"
        staged = replace(request, out_path=cache.staging_path(key, ext), on_progress=None)
        payload = RenderJob(engine, staged, delivery, options, dict(checks or {}))
        jobs.append(Job(key, "render", payload, shot_id=shot_id, resources=resources))

    if on_planned is not None:
        on_planned(outcome, [job.payload.request for job in jobs])
    order = longest_first(jobs)
    handed_out = executor.map(render_job, [jobs[i] for i in order], on_event)
    results = [result for _, result in sorted(zip(order, handed_out, strict=True))]
    for job, result in zip(jobs, results, strict=True):
        shot_id = job.payload.request.shot.id
        if result.value is None:
            outcome.failed[shot_id] = result.error or "no take"
            continue
        outcome.takes[shot_id] = collect_take(cache, job.key, result.value)
        outcome.rendered.append(shot_id)
        if result.value.results is not None:
            outcome.judged[job.key] = result.value.results
    return outcome


def longest_first(jobs: Sequence[Job[RenderJob]]) -> list[int]:
    """The jobs' indices, longest shot first (shot order among equals). Given to the
    workers in this order, the last job to start is a short one, so no worker is left
    rendering a long shot alone at the end (longest-processing-time-first)."""
    return sorted(range(len(jobs)), key=lambda i: -jobs[i].payload.request.frame_count)
