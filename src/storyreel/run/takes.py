"""Best of N takes, and retakes of failing ones, judged by the checks.

    chosen = choose_takes(requests, outcome, Judge(checks, store), render, takes=3, retake=2)

Each shot's own take (its request's seed) is judged first; with `takes` N, N - 1
more are rendered with seeds of their own (`take_seed`), all shots of a round at once
on the executor; with `retake` K, a shot whose best take still fails a check is
rendered again with a new seed, up to K times, stopping at the first that passes.
The best take by `qa.take_score` (every check passed first, then the weighted mean of
the scores) goes into the cut; the others stay in the cache and the store with their
scores. A pinned take is judged but never replaced. Scores are stored with each take
(by its key), so a take already judged is not judged again; a take judged in the
worker that rendered it (`RenderOutcome.judged`) has its results stored here as they
came. A take cut down from a longer one (`RenderOutcome.trimmed`) is not judged again
either: the longer take's verdict covers its frames (`prefix_result`), and it is never
re-taken (the longer take's make chose it, best of its N).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from storyreel.keys import shot_seed
from storyreel.qa import Check, CheckResult, Evidence, load_check, take_score
from storyreel.render.engine import RenderRequest, Take
from storyreel.run.jobs import RenderOutcome
from storyreel.store.db import Store
from storyreel.store.records import ScoreRecord

RenderFn = Callable[[list[RenderRequest]], RenderOutcome]


def take_seed(request: RenderRequest, attempt: int) -> int:
    """The seed of the shot's `attempt`-th further take (attempt 0 is its own seed)."""
    if attempt == 0:
        return request.seed
    return shot_seed(str(request.seed), request.shot.id, f"take-{attempt + 1}")


@dataclass(frozen=True)
class Judged:
    """A take, its key and what the checks found in it."""

    take: Take
    key: str
    results: tuple[CheckResult, ...]
    checked_now: bool = False  # judged by this make (else its scores were stored)

    @property
    def score(self) -> float:
        return take_score(self.results)

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)

    def failures(self) -> str:
        return "; ".join(
            f"{r.check}: {', '.join(r.notes) or 'failed'}" for r in self.results if not r.passed
        )


class Judge:
    """Runs the configured checks on a take, or reads what they found from the store."""

    def __init__(self, checks: Mapping[str, Mapping[str, Any]], store: Store) -> None:
        self.checks: list[Check] = [load_check(name, opts) for name, opts in checks.items()]
        self.store = store

    def __call__(
        self,
        take: Take,
        key: str,
        request: RenderRequest,
        *,
        found: Sequence[CheckResult] | None = None,
        prefix_of: str | None = None,
    ) -> Judged:
        """`found`: what the checks found in the worker that rendered the take (stored
        as it is); `prefix_of`: the key of the take this one is the first frames of
        (its stored results, restricted to those frames, are this take's)."""
        wanted = [c.name for c in self.checks]
        stored = self._stored(key, wanted)
        if stored is not None:
            return Judged(take, key, stored)
        whole = self._stored(prefix_of, wanted) if prefix_of is not None else None
        if whole is not None:
            results = tuple(prefix_result(r, take.frames) for r in whole)
            self.store.record_scores(key, [score_record(r) for r in results])
            return Judged(take, key, results)
        if found is not None and [r.check for r in found] == wanted:
            results = tuple(found)
        else:
            results = tuple(check.check(take, request) for check in self.checks)
        self.store.record_scores(key, [score_record(r) for r in results])
        return Judged(take, key, results, checked_now=bool(results))

    def _stored(self, key: str, wanted: list[str]) -> tuple[CheckResult, ...] | None:
        """Every wanted check's stored result for the take `key`, or None."""
        stored = {s.check: s for s in self.store.scores([key])[key]}
        if wanted and all(name in stored for name in wanted):
            return tuple(result_of(stored[name]) for name in wanted)
        return None


def prefix_result(result: CheckResult, frames: int) -> CheckResult:
    """What a check found in a take, as it holds for the take's first `frames` frames:
    its evidence and per-frame series there only. The verdict and score stay the whole
    take's: a check's measure is not always a sum over frames, so the cautious reading
    is that the prefix is as good as the take it was cut from, and no better."""
    return result.model_copy(
        update={
            "evidence": [e for e in result.evidence if e.frame < frames],
            "series": {name: values[:frames] for name, values in result.series.items()},
        }
    )


def score_record(result: CheckResult) -> ScoreRecord:
    return ScoreRecord(
        check=result.check,
        score=result.score,
        passed=result.passed,
        applicable=result.applicable,
        result=result.model_dump(mode="json", include={"notes", "evidence", "series"}),
    )


def result_of(record: ScoreRecord) -> CheckResult:
    extra = record.result
    return CheckResult(
        check=record.check,
        score=record.score,
        passed=record.passed,
        applicable=record.applicable,
        notes=list(extra.get("notes", [])),
        evidence=[Evidence.model_validate(e) for e in extra.get("evidence", [])],
        series=dict(extra.get("series", {})),
    )


@dataclass
class Chosen:
    """What the choice made of each shot's takes."""

    # Shot id -> every take judged for it, best first.
    candidates: dict[str, list[Judged]] = field(default_factory=dict)
    # Shot id -> how many takes were rendered for it now beyond its own.
    extra: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def best(self, shot_id: str) -> Judged:
        return self.candidates[shot_id][0]

    def failed(self) -> dict[str, str]:
        """Shot id -> why its best take fails, for each shot whose best take fails."""
        return {
            shot: judged[0].failures()
            for shot, judged in self.candidates.items()
            if not judged[0].passed
        }


def choose_takes(
    requests: Sequence[RenderRequest],
    outcome: RenderOutcome,
    judge: Judge,
    render: RenderFn,
    *,
    takes: int = 1,
    retake: int = 0,
) -> Chosen:
    """Judge every shot's take, render more as `takes` and `retake` say, and put the
    best of each shot into `outcome` (its `takes` and `keys`)."""
    chosen = Chosen()
    by_shot = {r.shot.id: r for r in requests if r.shot.id in outcome.takes}
    for shot_id, request in by_shot.items():
        key = _key(outcome, shot_id)
        chosen.candidates[shot_id] = [
            judge(
                outcome.takes[shot_id],
                key,
                request,
                found=outcome.judged.get(key),
                prefix_of=outcome.trimmed.get(shot_id),
            )
        ]
    # A pinned take is the user's; a cut-down one the longer take's make chose.
    fixed = {*outcome.pinned, *outcome.trimmed}
    free = [r for r in by_shot.values() if r.shot.id not in fixed]
    for attempt in range(1, takes):
        _more(free, attempt, chosen, judge, render)
    for attempt in range(takes, takes + retake):
        failing = [r for r in free if not _best(chosen.candidates[r.shot.id]).passed]
        if not failing:
            break
        _more(failing, attempt, chosen, judge, render)
    for shot_id, judged in chosen.candidates.items():
        judged.sort(key=lambda j: -j.score)
        if shot_id in fixed:
            continue
        outcome.takes[shot_id], outcome.keys[shot_id] = judged[0].take, judged[0].key
    return chosen


def _more(
    requests: Sequence[RenderRequest],
    attempt: int,
    chosen: Chosen,
    judge: Judge,
    render: RenderFn,
) -> None:
    """One more take of each of `requests`, all rendered together, each judged."""
    if not requests:
        return
    variants = [replace(r, seed=take_seed(r, attempt)) for r in requests]
    more = render(variants)
    chosen.warnings.extend(more.warnings)
    for variant in variants:
        shot_id = variant.shot.id
        if shot_id in more.failed:
            chosen.warnings.append(
                f"shot {shot_id}: take {attempt + 1} failed: {more.failed[shot_id]}"
            )
            continue
        chosen.extra[shot_id] = chosen.extra.get(shot_id, 0) + 1
        key = more.keys[shot_id]
        found = more.judged.get(key)
        chosen.candidates[shot_id].append(judge(more.takes[shot_id], key, variant, found=found))


def _best(judged: list[Judged]) -> Judged:
    return max(judged, key=lambda j: j.score)


def _key(outcome: RenderOutcome, shot_id: str) -> str:
    """The take's own key: a pinned take's is its file's name (the cache's key)."""
    if shot_id in outcome.pinned:
        return outcome.takes[shot_id].path.stem
    return outcome.keys[shot_id]
