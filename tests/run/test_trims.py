"""A take cut down from a longer one: its packets are the longer take's first ones,
it is cached under its own key, and the longer take's verdict covers it. Checks run
in the worker that rendered a take store what checking it here would."""

from __future__ import annotations

import os
from pathlib import Path

import av
import numpy as np

from storyreel.config import MakeConfig
from storyreel.media.encode import copy_prefix
from storyreel.project import Project
from storyreel.qa import CheckResult, Evidence
from storyreel.render.engine import load_engine
from storyreel.run.cache import TakeCache
from storyreel.run.executors import Job, LocalExecutor
from storyreel.run.jobs import render_takes, trim_key
from storyreel.run.takes import Judge, choose_takes, prefix_result
from storyreel.store import Store

from . import support
from .support import request, shot

CHECKS = MakeConfig().checks


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return [bytes(p) for p in container.demux(stream) if p.dts is not None]


def _pictures(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def _longer(project: Project, store: Store, tmp_path: Path) -> tuple[TakeCache, str]:
    """A 2 s take (24 frames at 12 fps), cached and judged."""
    cache = TakeCache(project, store)
    long_shot = shot("1", duration=2.0)
    outcome = render_takes(
        [request(tmp_path / "a.mp4", long_shot)], "previs", cache, LocalExecutor(1)
    )
    key = outcome.keys["1"]
    choose_takes(
        [request(tmp_path / "a.mp4", long_shot)], outcome, Judge(CHECKS, store), _no_render
    )
    return cache, key


def _no_render(_: object) -> object:
    raise AssertionError("nothing is rendered again")


def test_a_prefix_is_the_first_packets_and_decodes_to_the_first_frames(tmp_path: Path) -> None:
    source = tmp_path / "whole.mp4"
    take = load_engine("previs", {}).render(request(source, shot("1", duration=2.0)))
    assert take.frames == 24
    out = tmp_path / "prefix.mp4"
    assert copy_prefix(source, 17, out) == 17
    assert _packets(out) == _packets(source)[:17]
    whole, prefix = _pictures(source), _pictures(out)
    assert len(prefix) == 17  # decodes cleanly, every frame, without the rest
    assert all(np.array_equal(a, b) for a, b in zip(prefix, whole[:17], strict=True))
    # Asking for more than there is copies what there is.
    assert copy_prefix(source, 99, tmp_path / "all.mp4") == 24


def test_a_cut_down_shot_is_cut_not_rendered_and_keeps_the_verdict(
    project: Project, store: Store, tmp_path: Path
) -> None:
    cache, longer = _longer(project, store, tmp_path)
    short = request(tmp_path / "b.mp4", shot("1", duration=1.25))  # 15 frames
    events: list[object] = []
    outcome = render_takes(
        [short], "previs", cache, LocalExecutor(1), trims={"1": longer}, on_event=events.append
    )
    assert outcome.rendered == [] and events == []  # no job ran
    assert outcome.trimmed == {"1": longer}
    assert outcome.keys["1"] == trim_key(longer, 15)
    take = outcome.takes["1"]
    whole = cache.get(longer)
    assert whole is not None and take.frames == 15 and whole.frames == 24
    assert _packets(take.path) == _packets(whole.path)[:15]
    assert cache.get(trim_key(longer, 15)) == take  # cached like any take
    # Its checks are the longer take's, restricted to its frames, not run again.
    chosen = choose_takes([short], outcome, Judge(CHECKS, store), _no_render, takes=3)
    judged = chosen.best("1")
    assert not judged.checked_now and chosen.extra == {}  # never re-taken either
    stored = {s.check: s for s in store.scores([longer])[longer]}
    assert [r.check for r in judged.results] == list(CHECKS)
    for result in judged.results:
        assert (result.passed, result.score) == (
            stored[result.check].passed,
            stored[result.check].score,
        )
        assert all(len(v) <= 15 for v in result.series.values())
    assert {s.check for s in store.scores([outcome.keys["1"]])[outcome.keys["1"]]} == set(CHECKS)
    # A second cut of the same length is the cached one.
    again = render_takes([short], "previs", cache, LocalExecutor(1), trims={"1": longer})
    assert again.takes["1"] == take


def test_a_cut_down_shot_whose_longer_take_is_gone_is_rendered(
    project: Project, store: Store, tmp_path: Path
) -> None:
    cache = TakeCache(project, store)
    short = request(tmp_path / "b.mp4", shot("1", duration=1.0))
    outcome = render_takes([short], "previs", cache, LocalExecutor(1), trims={"1": "ab" * 32})
    assert outcome.rendered == ["1"] and outcome.trimmed == {}
    assert "cut down from is gone" in outcome.warnings[0]


def test_a_prefix_keeps_the_evidence_in_its_frames() -> None:
    result = CheckResult(
        check="temporal",
        score=0.5,
        passed=False,
        evidence=[Evidence(frame=3, kind="frozen"), Evidence(frame=30, kind="black")],
        series={"difference": [0.1] * 40},
    )
    cut = prefix_result(result, 10)
    assert [e.frame for e in cut.evidence] == [3]
    assert cut.series == {"difference": [0.1] * 10}
    assert (cut.passed, cut.score) == (False, 0.5)


def test_checks_in_the_workers_store_what_checking_here_would(
    project: Project, store: Store, tmp_path: Path
) -> None:
    reqs = [
        request(tmp_path / "a.mp4", shot("1", duration=1.0)),
        request(tmp_path / "b.mp4", shot("2", duration=0.5), seed=12),
    ]
    cache = TakeCache(project, store)
    outcome = render_takes(reqs, "previs", cache, LocalExecutor(2, "fork"), checks=CHECKS)
    assert sorted(outcome.rendered) == ["1", "2"]
    assert set(outcome.judged) == set(outcome.keys.values())
    chosen = choose_takes(reqs, outcome, Judge(CHECKS, store), _no_render)
    for request_ in reqs:
        key = outcome.keys[request_.shot.id]
        judged = chosen.best(request_.shot.id)
        assert judged.checked_now  # judged by this make, in its worker
        here = tuple(
            Judge(CHECKS, store).checks[i].check(outcome.takes[request_.shot.id], request_)
            for i in range(len(CHECKS))
        )
        assert judged.results == here
        stored = store.scores([key])[key]
        assert [(s.check, s.score, s.passed) for s in stored] == sorted(
            (r.check, r.score, r.passed) for r in here
        )


def test_kept_workers_serve_every_map_until_closed() -> None:
    executor = LocalExecutor(2, "fork", keep_workers=True)
    jobs = [Job(f"{n:064x}", "render", n) for n in range(4)]
    first = {r.value for r in executor.map(support.worker_pid, jobs)}
    second = {r.value for r in executor.map(support.worker_pid, jobs)}
    assert first == second and len(first) == 2 and os.getpid() not in first
    executor.close()
    for pid in first:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        # A closed pool's process may linger a moment as a zombie of this one.
        assert os.waitpid(pid, os.WNOHANG) != (0, 0)


def test_a_kept_pool_whose_worker_died_is_replaced_for_the_next_map() -> None:
    with LocalExecutor(2, "fork", keep_workers=True) as executor:
        jobs = [Job(f"{n:064x}", "render", n) for n in range(3)]
        broken = executor.map(support.die_on_zero, jobs)
        assert not broken[0].ok  # the job whose worker died fails, and says so
        again = executor.map(support.worker_pid, jobs)
        assert all(r.ok for r in again), [r.error for r in again]
        assert len({r.value for r in again}) == 2  # a fresh pool's two workers
