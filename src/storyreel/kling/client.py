"""A synchronous client for Kling's video API: create a task, poll it, fetch the video.

    with KlingClient("global", access_key, secret_key) as kling:
        task = kling.create_task(Text2VideoRequest(prompt="A paper boat on a lake"))
        done = kling.wait("text2video", task.task_id)
        kling.download(done.task_result.videos[0].url, Path("boat.mp4"))

Requests that fail for a reason that passes (rate limit 1302, concurrency limit 1303,
the service's own 5000-5002, a dropped connection) are retried with exponential backoff
and jitter, waiting at least as long as a `Retry-After` header asks (storyreel.retry).
Polling backs off the same way up to an overall timeout. Everything else raises a
`KlingError` subclass at once (see storyreel.kling.errors).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar
from urllib.parse import quote

import httpx
from pydantic import ValidationError

from storyreel.files import atomic_path
from storyreel.kling.auth import TokenSource
from storyreel.kling.errors import (
    KlingError,
    KlingNetworkError,
    KlingProtocolError,
    KlingServerError,
    KlingTaskFailed,
    KlingTimeoutError,
    error_for,
)
from storyreel.kling.schemas import (
    BASE_URLS,
    MAX_PAGE_SIZE,
    Envelope,
    Image2VideoRequest,
    OmniVideoRequest,
    TaskData,
    TaskKind,
    TaskRequest,
    TaskStatus,
)
from storyreel.retry import Backoff, parse_retry_after, retried, wait_before_retry

_DataT = TypeVar("_DataT")
_T = TypeVar("_T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often a request that failed for a passing reason is tried again."""

    # Tries in all, the first included.
    attempts: int = 6
    # Kling asks for an initial wait of at least a second after a concurrency refusal.
    backoff: Backoff = Backoff(initial=1.0, maximum=30.0)
    # A Retry-After longer than this is cut short: a render should fail, not hang.
    max_retry_after: float = 120.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"retry attempts must be at least 1, got {self.attempts}")


@dataclass(frozen=True)
class PollPolicy:
    """How a task is watched until it finishes."""

    # Videos take minutes, so a first look after a couple of seconds and then ever
    # rarer ones cost few requests without adding much delay.
    backoff: Backoff = Backoff(initial=2.0, multiplier=1.5, maximum=15.0, jitter=0.2)
    # Give up on a task after this long (seconds from the first poll).
    timeout: float = 900.0

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ValueError(f"poll timeout must be positive, got {self.timeout}")


def resolve_base_url(value: str) -> str:
    """A preset name ("global", "china") or an http(s) URL, as a URL without a trailing
    slash."""
    url = BASE_URLS.get(value, value).rstrip("/")
    parsed = httpx.URL(url) if url.startswith(("http://", "https://")) else None
    if parsed is None or not parsed.host:
        presets = ", ".join(f"{k!r}" for k in BASE_URLS)
        raise KlingProtocolError(
            f"base_url {value!r} is neither a preset ({presets}) nor an http(s) URL"
        )
    return url


def kind_of(request: TaskRequest) -> TaskKind:
    if isinstance(request, OmniVideoRequest):
        return "omni-video"
    return "image2video" if isinstance(request, Image2VideoRequest) else "text2video"


class KlingClient:
    """One account's connection to one Kling host; use as a context manager or close()."""

    def __init__(
        self,
        base_url: str,
        access_key: str,
        secret_key: str,
        *,
        retry: RetryPolicy | None = None,
        poll: PollPolicy | None = None,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self.base_url = resolve_base_url(base_url)
        self.retry = retry or RetryPolicy()
        self.poll = poll or PollPolicy()
        self._tokens = TokenSource(access_key, secret_key)
        self._rng = rng
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"Accept": "application/json"},
            # The API never redirects; a result video's CDN may.
            follow_redirects=True,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> KlingClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- the API ---------------------------------------------------------------------

    def create_task(self, request: TaskRequest) -> TaskData:
        """Submit a text2video, image2video or omni-video task; returns it as submitted."""
        kind = kind_of(request)
        answer = self._call("POST", f"/v1/videos/{kind}", TaskData, json=request.body())
        return _required(answer, "create task")

    def get_task(self, kind: TaskKind, task_id: str) -> TaskData:
        if not task_id:
            raise ValueError("task_id is empty")
        path = f"/v1/videos/{kind}/{quote(task_id, safe='')}"
        return _required(self._call("GET", path, TaskData), "query task")

    def list_tasks(self, kind: TaskKind, page_num: int = 1, page_size: int = 30) -> list[TaskData]:
        """One page of the account's tasks of `kind`, newest first."""
        if page_num < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(
                f"page_num starts at 1 and page_size is 1..{MAX_PAGE_SIZE}; "
                f"got {page_num}, {page_size}"
            )
        params = {"pageNum": page_num, "pageSize": page_size}
        answer = self._call("GET", f"/v1/videos/{kind}", list[TaskData], params=params)
        return answer or []

    def wait(
        self,
        kind: TaskKind,
        task_id: str,
        *,
        on_status: Callable[[TaskData, float], None] | None = None,
    ) -> TaskData:
        """Poll the task until it succeeds; `on_status(task, seconds_waited)` hears each
        poll. Raises KlingTaskFailed if it fails and KlingTimeoutError if it takes longer
        than the poll policy's timeout."""
        policy = self.poll
        started = time.monotonic()
        attempt = 0
        while True:
            task = self.get_task(kind, task_id)
            waited = time.monotonic() - started
            if on_status is not None:
                on_status(task, waited)
            if task.task_status == TaskStatus.succeed:
                if task.task_result is None or not task.task_result.videos:
                    raise KlingProtocolError(f"task {task_id} succeeded but lists no video")
                return task
            if task.task_status == TaskStatus.failed:
                raise KlingTaskFailed(
                    f"task {task_id} failed: {task.task_status_msg or 'no reason given'}"
                )
            pause = policy.backoff.delay(attempt, self._rng)
            if waited + pause > policy.timeout:
                raise KlingTimeoutError(
                    f"task {task_id} was still {task.task_status.value} after "
                    f"{waited:.1f} s (poll timeout {policy.timeout:g} s)"
                )
            time.sleep(pause)
            attempt += 1

    def download(self, url: str, path: Path) -> Path:
        """Fetch a result video to `path`, atomically: a failed or partial download
        leaves nothing there. Retried like an API request."""
        if not url.startswith(("http://", "https://")):
            raise KlingProtocolError(f"the result video's URL is not http(s): {url!r}")
        return self._retried(lambda: self._download_once(url, Path(path)))

    # --- plumbing --------------------------------------------------------------------

    def _download_once(self, url: str, path: Path) -> Path:
        try:
            # No Authorization header: result videos live on a CDN that must not see
            # the account's token.
            with self._http.stream("GET", url) as response:
                if response.status_code >= 500:
                    raise KlingServerError(
                        f"downloading {url} answered HTTP {response.status_code}",
                        http_status=response.status_code,
                        retry_after=parse_retry_after(response.headers.get("Retry-After")),
                    )
                if response.status_code != 200:
                    raise KlingProtocolError(
                        f"downloading {url} answered HTTP {response.status_code}; the link "
                        "may have expired (Kling keeps results for 30 days)",
                        http_status=response.status_code,
                    )
                expected = response.headers.get("Content-Length")
                written = 0
                with atomic_path(path) as tmp, tmp.open("wb") as out:
                    for chunk in response.iter_bytes(1 << 16):
                        out.write(chunk)
                        written += len(chunk)
                    if written == 0 or (expected is not None and int(expected) != written):
                        raise KlingNetworkError(
                            f"the download of {url} stopped after {written} of "
                            f"{expected or 'unknown'} bytes"
                        )
        except httpx.TransportError as exc:
            raise KlingNetworkError(f"cannot download {url}: {exc}") from exc
        return path

    def _retried(self, once: Callable[[], _T]) -> _T:
        """`once()`, again after a pause while it fails for a passing reason."""

        def pause(error: Exception, attempt: int) -> float | None:
            if not isinstance(error, KlingError) or not error.retryable:
                return None
            return wait_before_retry(
                self.retry.backoff,
                attempt,
                error.retry_after,
                self.retry.max_retry_after,
                self._rng,
            )

        return retried(once, attempts=self.retry.attempts, pause=pause)

    def _call(
        self,
        method: str,
        path: str,
        data_type: type[_DataT] | Any,
        *,
        json: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None,
    ) -> _DataT | None:
        """One API call, retried while it fails for a passing reason; returns `data`."""
        return self._retried(
            lambda: self._call_once(method, path, data_type, json=json, params=params)
        )

    def _call_once(
        self,
        method: str,
        path: str,
        data_type: type[_DataT] | Any,
        *,
        json: Mapping[str, Any] | None,
        params: Mapping[str, Any] | None,
    ) -> _DataT | None:
        headers = {"Authorization": self._tokens.authorization()}
        try:
            response = self._http.request(method, path, json=json, params=params, headers=headers)
        except httpx.TransportError as exc:
            # A POST that may have arrived is not repeated: it could create the task twice.
            sent = not isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
            if method != "GET" and sent:
                raise KlingProtocolError(
                    f"the connection to {self.base_url}{path} broke after sending; the task "
                    "may or may not exist: check the task list before making again"
                ) from exc
            raise KlingNetworkError(f"cannot reach {self.base_url}{path}: {exc}") from exc
        return _read_answer(response, data_type)


def _read_answer(response: httpx.Response, data_type: type[_DataT] | Any) -> _DataT | None:
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict) or not isinstance(payload.get("code"), int):
        snippet = response.text[:200].strip()
        if response.status_code >= 500:
            raise KlingServerError(
                f"HTTP {response.status_code} without a Kling answer: {snippet!r}",
                http_status=response.status_code,
                retry_after=retry_after,
            )
        raise KlingProtocolError(
            f"{response.request.url} answered HTTP {response.status_code} with something "
            f"that is not a Kling answer: {snippet!r}",
            http_status=response.status_code,
        )
    code = payload["code"]
    if code != 0:
        raise error_for(
            code,
            str(payload.get("message") or ""),
            request_id=str(payload.get("request_id") or ""),
            http_status=response.status_code,
            retry_after=retry_after,
        )
    if not response.is_success:
        raise KlingProtocolError(
            f"{response.request.url} answered HTTP {response.status_code} with code 0",
            http_status=response.status_code,
        )
    try:
        envelope: Envelope[Any] = Envelope[data_type].model_validate(payload)  # type: ignore[valid-type]
    except ValidationError as exc:
        raise KlingProtocolError(
            f"the answer from {response.request.url} does not match Kling's API: "
            f"{exc.errors()[0]['msg']} at {'.'.join(map(str, exc.errors()[0]['loc']))}"
        ) from None
    data: _DataT | None = envelope.data
    return data


def _required(data: _DataT | None, what: str) -> _DataT:
    if data is None:
        raise KlingProtocolError(f"the {what} answer has no data")
    return data
