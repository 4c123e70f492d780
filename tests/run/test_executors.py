from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storyreel.events import JobEvent
from storyreel.render.engine import Capabilities
from storyreel.run.executors import (
    Job,
    LocalExecutor,
    Resources,
    executor_for,
    resources_for,
)

from .support import square, square_or_fail, worker_pid

ROOT = Path(__file__).resolve().parents[2]


def jobs_for(numbers: list[int]) -> list[Job[int]]:
    return [Job(f"{n:064x}", "render", n, shot_id=str(n)) for n in numbers]


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_job_order(workers: int) -> None:
    events: list[JobEvent] = []
    results = LocalExecutor(workers, "fork").map(square, jobs_for([1, 2, 3, 4, 5]), events.append)
    assert [r.value for r in results] == [1, 4, 9, 16, 25]
    assert all(r.ok for r in results)
    for n in [1, 2, 3, 4, 5]:
        mine = [e for e in events if e.shot_id == str(n)]
        assert [e.event for e in mine][:2] == ["queued", "started"]
        assert mine[-1].event == "done" and mine[-1].fraction == 1.0
        assert {e.event for e in mine} == {"queued", "started", "progress", "done"}
        assert all(e.kind == "render" for e in mine)
        times = [e.at for e in mine]
        assert times == sorted(times)


def test_jobs_run_in_several_processes() -> None:
    pids = LocalExecutor(2, "fork").map(worker_pid, jobs_for([1, 2, 3, 4]))
    assert len({r.value for r in pids}) == 2
    assert os.getpid() not in {r.value for r in pids}


@pytest.mark.parametrize("workers", [1, 2])
def test_a_failing_job_is_recorded_and_the_others_finish(workers: int) -> None:
    events: list[JobEvent] = []
    results = LocalExecutor(workers, "fork").map(
        square_or_fail, jobs_for([1, 2, 3, 4, 5]), events.append
    )
    assert [r.value for r in results] == [1, 4, None, None, 25]
    assert results[2].error == "shot 3: the engine ran out of film"
    assert results[3].error == "ZeroDivisionError: division by zero"
    assert results[3].detail is not None and "square_or_fail" in results[3].detail
    failed = [e for e in events if e.event == "failed"]
    assert sorted((e.shot_id or "", e.error or "") for e in failed) == [
        ("3", "shot 3: the engine ran out of film"),
        ("4", "ZeroDivisionError: division by zero"),
    ]
    assert len([e for e in events if e.event == "done"]) == 3


def test_events_serialize_to_json() -> None:
    events: list[JobEvent] = []
    LocalExecutor(1).map(square_or_fail, jobs_for([3]), events.append)
    failed = events[-1]
    assert JobEvent.model_validate_json(failed.model_dump_json()) == failed
    assert failed.model_dump()["error"] == "shot 3: the engine ran out of film"


def test_no_jobs_and_repeated_keys() -> None:
    assert LocalExecutor(2).map(square, []) == []
    with pytest.raises(ValueError, match="distinct keys"):
        LocalExecutor(2).map(square, jobs_for([1, 1]))


def test_resources_follow_engine_capabilities() -> None:
    assert resources_for(Capabilities(needs_gpu=True)) == Resources(cpus=1.0, gpus=1.0)
    assert resources_for(Capabilities()).gpus == 0.0
    assert isinstance(executor_for("local", workers=3), LocalExecutor)


DRIVER = """
import sys
from storyreel.run.executors import Job, LocalExecutor
from tests.run.support import sleep_forever

jobs = [Job(f"{n:064x}", "render", sys.argv[1]) for n in range(3)]
try:
    LocalExecutor(2, "fork").map(sleep_forever, jobs)
except KeyboardInterrupt:
    sys.exit(130)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_ctrl_c_stops_running_jobs(tmp_path: Path) -> None:
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(tmp_path)], cwd=ROOT)
    deadline = time.monotonic() + 20
    while len(list(tmp_path.glob("*.pid"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    workers = [int(p.stem) for p in tmp_path.glob("*.pid")]
    assert len(workers) == 2 and all(_alive(pid) for pid in workers)

    driver.send_signal(signal.SIGINT)
    assert driver.wait(10) == 130
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in workers)
    assert len(list(tmp_path.glob("*.pid"))) == 2  # the third job never started
