"""The one retry helper the HTTP clients share."""

from __future__ import annotations

import pytest

from storyreel.retry import Backoff, retried, wait_before_retry


class Busy(Exception):
    pass


def test_retried_tries_again_after_the_pause_it_is_given() -> None:
    answers: list[Exception | str] = [Busy(), Busy(), "done"]
    waits: list[float] = []
    seen: list[int] = []

    def once() -> str:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def pause(error: Exception, attempt: int) -> float | None:
        seen.append(attempt)
        return 0.5 * (attempt + 1) if isinstance(error, Busy) else None

    assert retried(once, attempts=3, pause=pause, sleep=waits.append) == "done"
    assert seen == [0, 1] and waits == [0.5, 1.0]


def test_retried_gives_up_on_errors_not_worth_it_and_after_the_last_attempt() -> None:
    calls: list[int] = []

    def fails(error: Exception) -> object:
        calls.append(1)
        raise error

    with pytest.raises(ValueError):
        retried(lambda: fails(ValueError()), attempts=5, pause=lambda e, n: None, sleep=print)
    assert len(calls) == 1
    calls.clear()
    waits: list[float] = []
    with pytest.raises(Busy):
        retried(lambda: fails(Busy()), attempts=3, pause=lambda e, n: 1.0, sleep=waits.append)
    assert len(calls) == 3 and waits == [1.0, 1.0]
    with pytest.raises(ValueError, match="at least 1"):
        retried(lambda: "x", attempts=0, pause=lambda e, n: None)


def test_the_wait_honours_retry_after_within_its_cap() -> None:
    backoff = Backoff(initial=1.0, multiplier=2.0, maximum=30.0, jitter=0.0)
    assert [wait_before_retry(backoff, n, None, 30.0) for n in range(6)] == [
        1.0, 2.0, 4.0, 8.0, 16.0, 30.0,
    ]  # fmt: skip
    assert wait_before_retry(backoff, 0, 5.0, 30.0) == 5.0  # the server asks for more
    assert wait_before_retry(backoff, 2, 0.5, 30.0) == 4.0  # never less than the backoff
    assert wait_before_retry(backoff, 0, 3600.0, 120.0) == 120.0  # a stall is cut short
