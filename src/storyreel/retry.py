"""Trying a request again after a failure that passes: one helper for every HTTP client
(the Kling client, the HTTP voice).

    response = retried(send, attempts=4, pause=lambda error, n: 1.0 if busy(error) else None)

Each caller says what is worth retrying (`pause` returns None for the rest); the wait
grows by a `Backoff` and is at least what the server asked for in `Retry-After`, capped
so a confused server cannot stall a make for long (`wait_before_retry`).
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

_T = TypeVar("_T")


@dataclass(frozen=True)
class Backoff:
    """Exponential backoff with jitter: try n waits `initial * multiplier**n`, at most
    `maximum`, of which the `jitter` fraction is random (so many clients that failed
    together do not all come back at the same instant)."""

    initial: float = 1.0
    multiplier: float = 2.0
    maximum: float = 30.0
    jitter: float = 0.5

    def __post_init__(self) -> None:
        if self.initial < 0 or self.maximum < 0:
            raise ValueError("backoff delays cannot be negative")
        if self.multiplier < 1:
            raise ValueError(f"backoff multiplier must be at least 1, got {self.multiplier}")
        if not 0 <= self.jitter <= 1:
            raise ValueError(f"backoff jitter is a fraction 0..1, got {self.jitter}")

    def delay(self, attempt: int, rng: Callable[[], float] = random.random) -> float:
        """The wait before retry number `attempt` (0 for the first retry)."""
        base = min(self.maximum, self.initial * self.multiplier**attempt)
        return base * (1 - self.jitter) + base * self.jitter * rng()


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds)


def wait_before_retry(
    backoff: Backoff,
    attempt: int,
    retry_after: float | None,
    max_retry_after: float,
    rng: Callable[[], float] = random.random,
) -> float:
    """The backoff's wait before retry `attempt`, or the server's `Retry-After` when
    that is longer, cut to `max_retry_after`."""
    delay = backoff.delay(attempt, rng)
    if retry_after is not None:
        delay = max(delay, min(retry_after, max_retry_after))
    return delay


def retried(
    once: Callable[[], _T],
    *,
    attempts: int,
    pause: Callable[[Exception, int], float | None],
    sleep: Callable[[float], None] = time.sleep,
) -> _T:
    """`once()`, tried at most `attempts` times in all. After a failure, `pause(error,
    n)` (n is 0 before the first retry) gives the seconds to wait before trying again,
    or None when the error is not worth a retry; the last error is raised."""
    if attempts < 1:
        raise ValueError(f"retry attempts must be at least 1, got {attempts}")
    for attempt in range(attempts):
        try:
            return once()
        except Exception as error:
            wait = pause(error, attempt)
            if wait is None or attempt + 1 >= attempts:
                raise
            sleep(wait)
    raise AssertionError("unreachable: the last attempt returns or raises")
