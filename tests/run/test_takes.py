"""Best of N and retakes with the real previs engine, cache and store; the check is
one whose verdict follows the take's seed, so the test knows which take should win."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from storyreel.project import Project
from storyreel.qa import CheckResult
from storyreel.render.engine import RenderRequest, Take
from storyreel.run.cache import TakeCache
from storyreel.run.executors import LocalExecutor
from storyreel.run.jobs import RenderOutcome, render_takes
from storyreel.run.takes import Judge, choose_takes, take_seed
from storyreel.store import Store

from .support import request, shot


class SeedCheck:
    """Passes a take whose seed is in `good`; scores it by its seed's last digits."""

    name: ClassVar[str] = "seedy"

    def __init__(self, good: set[int]) -> None:
        self.good = good
        self.calls = 0

    def check(self, take: Take, request: RenderRequest) -> CheckResult:
        self.calls += 1
        passed = take.seed in self.good
        return CheckResult(check=self.name, score=(take.seed % 97) / 97, passed=passed)


def _setup(
    project: Project, store: Store, tmp_path: Path, good: set[int]
) -> tuple[list[RenderRequest], RenderOutcome, Judge, SeedCheck, list[list[int]]]:
    cache = TakeCache(project, store)
    runs: list[list[int]] = []

    def render(reqs: list[RenderRequest]) -> RenderOutcome:
        runs.append([r.seed for r in reqs])
        return render_takes(reqs, "previs", cache, LocalExecutor(1, "fork"))

    reqs = [request(tmp_path / "a.mp4", shot("1")), request(tmp_path / "b.mp4", shot("2"), seed=5)]
    outcome = render(reqs)
    judge = Judge({}, store)
    seedy = SeedCheck(good)
    judge.checks = [seedy]
    return reqs, outcome, judge, seedy, runs


def test_best_of_three_keeps_the_best_and_records_the_others(
    project: Project, store: Store, tmp_path: Path
) -> None:
    reqs, outcome, judge, _, runs = _setup(project, store, tmp_path, good=set())
    chosen = choose_takes(reqs, outcome, judge, lambda r: _render(runs, r, project, store), takes=3)
    for req in reqs:
        seeds = [take_seed(req, k) for k in range(3)]
        judged = chosen.candidates[req.shot.id]
        assert sorted(j.take.seed for j in judged) == sorted(seeds)
        best = max(seeds, key=lambda s: s % 97)
        assert outcome.takes[req.shot.id].seed == best == judged[0].take.seed
        assert outcome.keys[req.shot.id] == judged[0].key
        # Every take stays in the store, each with its score.
        stored = store.scores([j.key for j in judged])
        assert all(len(rows) == 1 and rows[0].check == "seedy" for rows in stored.values())
    assert len(runs) == 3  # the first render, then one round for each further take
    assert set(chosen.failed()) == {"1", "2"}  # no seed is good: both still fail


def test_retakes_stop_at_the_first_pass_or_at_k(
    project: Project, store: Store, tmp_path: Path
) -> None:
    first, second = request(tmp_path / "x", shot("1")), request(tmp_path / "y", shot("2"), seed=5)
    good = {take_seed(first, 2)}  # shot 1 passes on its second retake, shot 2 never
    reqs, outcome, judge, _, runs = _setup(project, store, tmp_path, good=good)
    chosen = choose_takes(
        reqs, outcome, judge, lambda r: _render(runs, r, project, store), retake=4
    )
    assert outcome.takes["1"].seed == take_seed(first, 2)
    assert chosen.extra == {"1": 2, "2": 4}  # shot 1 stopped once it passed
    assert len(chosen.candidates["2"]) == 5 and list(chosen.failed()) == ["2"]
    assert all(take_seed(second, k) != second.seed for k in range(1, 5))


def test_a_judged_take_is_not_judged_again_and_a_pin_stays(
    project: Project, store: Store, tmp_path: Path
) -> None:
    reqs, outcome, judge, seedy, runs = _setup(project, store, tmp_path, good=set())
    choose_takes(reqs, outcome, judge, lambda r: _render(runs, r, project, store))
    assert seedy.calls == 2
    pinned = outcome.takes["2"]
    outcome.pinned.append("2")
    chosen = choose_takes(reqs, outcome, judge, lambda r: _render(runs, r, project, store), takes=2)
    assert seedy.calls == 3  # only shot 1's new take: the others' scores were stored
    assert outcome.takes["2"] == pinned and chosen.extra == {"1": 1}


def _render(
    runs: list[list[int]], reqs: list[RenderRequest], project: Project, store: Store
) -> RenderOutcome:
    runs.append([r.seed for r in reqs])
    return render_takes(reqs, "previs", TakeCache(project, store), LocalExecutor(1, "fork"))
