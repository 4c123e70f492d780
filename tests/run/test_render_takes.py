"""Rendering through the cache with the real previs engine: what changed renders again,
nothing else does, pinned takes stay, and Ray gives the same takes as local processes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from storyreel.events import JobEvent
from storyreel.model import ShotLine
from storyreel.project import Project
from storyreel.render.engine import RenderRequest
from storyreel.run.cache import TakeCache
from storyreel.run.executors import Job, LocalExecutor, RayExecutor
from storyreel.run.jobs import render_takes
from storyreel.store import Store
from storyreel.store.versions import take_pin

from . import support
from .support import request, shot


def requests(tmp_path: Path, line: str = "The wind is up.") -> list[RenderRequest]:
    second = shot("2", lines=[ShotLine(character="MEI", text=line, lang="en")])
    return [
        request(tmp_path / "a.mp4", shot("1")),
        request(tmp_path / "b.mp4", second, seed=12),
        request(tmp_path / "c.mp4", shot("3", duration=0.5), seed=13),
    ]


def test_changing_one_line_renders_one_shot(project: Project, store: Store, tmp_path: Path) -> None:
    cache = TakeCache(project, store)
    local = LocalExecutor(2, "fork")
    first = render_takes(requests(tmp_path), "previs", cache, local, on_event=store.record_event)
    assert sorted(first.rendered) == ["1", "2", "3"] and not first.failed
    assert all(t.path.is_file() and t.frames == 3 for t in list(first.takes.values())[:2])
    assert {j.status for j in store.jobs()} == {"done"}

    again = render_takes(requests(tmp_path), "previs", cache, local)
    assert again.rendered == [] and sorted(again.cached) == ["1", "2", "3"]
    assert again.takes == first.takes

    edited = render_takes(requests(tmp_path, "The wind is down."), "previs", cache, local)
    assert edited.rendered == ["2"] and sorted(edited.cached) == ["1", "3"]
    assert edited.keys["2"] != first.keys["2"] and edited.keys["1"] == first.keys["1"]


def test_a_pinned_take_survives_later_makes(project: Project, store: Store, tmp_path: Path) -> None:
    cache = TakeCache(project, store)
    local = LocalExecutor(1)
    old = render_takes(requests(tmp_path), "previs", cache, local)
    take_pin(store, "2", old.keys["2"][:8])
    pins = {"2": old.keys["2"]}
    new = render_takes(requests(tmp_path, "Changed."), "previs", cache, local, pins=pins)
    assert new.pinned == ["2"] and new.rendered == []
    assert new.takes["2"] == old.takes["2"]


def test_a_failed_shot_does_not_stop_the_others(
    project: Project, store: Store, tmp_path: Path
) -> None:
    bad = requests(tmp_path)
    bad[1] = request(tmp_path / "b.mp4", shot("2"), width=7)  # odd sizes cannot be encoded
    outcome = render_takes(
        bad,
        "previs",
        TakeCache(project, store),
        LocalExecutor(2, "fork"),
        on_event=store.record_event,
    )
    assert sorted(outcome.rendered) == ["1", "3"]
    assert list(outcome.failed) == ["2"] and outcome.failed["2"]
    failed = store.job(outcome.keys["2"])
    assert failed is not None and failed.status == "failed" and failed.error


# --- Ray -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ray_executor() -> Iterator[RayExecutor]:
    ray = pytest.importorskip("ray", reason="the ray extra: pip install 'storyreel[ray]'")
    # Test helpers travel by value: Ray's workers cannot import the tests package.
    ray.cloudpickle.register_pickle_by_value(support)
    executor = RayExecutor(init_options={"num_cpus": 2})
    started = time.monotonic()
    executor._ray()
    print(f"ray started in {time.monotonic() - started:.1f} s")
    yield executor
    executor.close()
    assert not ray.is_initialized()


def test_ray_renders_the_same_takes_as_local_processes(
    ray_executor: RayExecutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyreel.store import open_store
    from storyreel.store.db import URL_ENV

    monkeypatch.delenv(URL_ENV, raising=False)
    takes = {}
    for name, executor in (("local", LocalExecutor(2, "fork")), ("ray", ray_executor)):
        project = Project.at(tmp_path / name)
        events: list[JobEvent] = []
        with open_store(project) as store:
            outcome = render_takes(
                requests(tmp_path),
                "previs",
                TakeCache(project, store),
                executor,
                on_event=events.append,
            )
        assert sorted(outcome.rendered) == ["1", "2", "3"], outcome.failed
        seen = [e.event for e in events if e.shot_id == "1"]
        # Where the job ran, it said when it started and how far it got.
        assert seen[0] == "queued" and seen[-1] == "done", (name, seen)
        assert seen.index("started") < seen.index("progress") < seen.index("done"), (name, seen)
        takes[name] = outcome
    # Ray's takes came back as bytes into the project's own cache.
    assert not ray_executor.shared_filesystem
    for shot_id, local_take in takes["local"].takes.items():
        ray_take = takes["ray"].takes[shot_id]
        assert ray_take.path.is_relative_to(tmp_path / "ray" / ".storyreel" / "takes")
        assert ray_take.path.read_bytes() == local_take.path.read_bytes()
        assert takes["ray"].keys[shot_id] == takes["local"].keys[shot_id]


def test_ray_isolates_failures_like_local(ray_executor: RayExecutor) -> None:
    jobs = [Job(f"{n:064x}", "render", n, shot_id=str(n)) for n in (1, 2, 3, 4)]
    events: list[JobEvent] = []
    results = ray_executor.map(support.square_or_fail, jobs, events.append)
    local = LocalExecutor(1).map(support.square_or_fail, jobs)
    assert [(r.value, r.error) for r in results] == [(r.value, r.error) for r in local]
    assert results[2].error == "shot 3: the engine ran out of film"
    assert sorted(e.shot_id or "" for e in events if e.event == "failed") == ["3", "4"]


def test_ray_tasks_judge_their_takes_as_local_workers_do(
    ray_executor: RayExecutor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storyreel.config import MakeConfig
    from storyreel.store import open_store
    from storyreel.store.db import URL_ENV

    monkeypatch.delenv(URL_ENV, raising=False)
    checks = MakeConfig().checks
    judged = {}
    for name, executor in (("local", LocalExecutor(2, "fork")), ("ray", ray_executor)):
        project = Project.at(tmp_path / name)
        with open_store(project) as store:
            outcome = render_takes(
                requests(tmp_path), "previs", TakeCache(project, store), executor, checks=checks
            )
        assert sorted(outcome.rendered) == ["1", "2", "3"], outcome.failed
        judged[name] = outcome.judged
    # Every take came back judged, by every check, as a local worker judged it.
    assert set(judged["ray"]) == set(judged["local"]) and len(judged["ray"]) == 3
    for key, results in judged["ray"].items():
        assert [r.check for r in results] == list(checks)
        assert results == judged["local"][key]


def test_the_longest_shots_are_handed_out_first(tmp_path: Path) -> None:
    from storyreel.run.jobs import RenderJob, longest_first

    jobs = [
        Job(
            str(i),
            "render",
            RenderJob("previs", request(tmp_path / f"{i}.mp4", shot(duration=d)), "path"),
        )
        for i, d in enumerate((2.0, 6.0, 3.0, 6.0, 1.0))
    ]
    assert longest_first(jobs) == [1, 3, 2, 0, 4]  # ties keep shot order
