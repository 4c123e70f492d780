"""The Kling client against a local server that follows Kling's documented contract."""

from __future__ import annotations

import base64
import io
import itertools
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import jwt
import pytest
from PIL import Image

from storyreel.errors import EngineError
from storyreel.kling.client import KlingClient, PollPolicy, RetryPolicy
from storyreel.kling.errors import (
    KlingAuthError,
    KlingBadRequestError,
    KlingConcurrencyLimitError,
    KlingContentSafetyError,
    KlingError,
    KlingProtocolError,
    KlingRateLimitError,
    KlingResourcePackError,
    KlingServerError,
    KlingTaskFailed,
    KlingTimeoutError,
    error_for,
)
from storyreel.kling.schemas import Image2VideoRequest, TaskData, TaskStatus, Text2VideoRequest
from storyreel.retry import Backoff, parse_retry_after

from .conftest import ACCESS_KEY, SECRET_KEY
from .contract_server import Fault, KlingContractServer

RETRY_WAIT = 0.05
MakeClient = Callable[..., KlingClient]


@pytest.fixture
def make_client(kling_server: KlingContractServer) -> Iterator[MakeClient]:
    made: list[KlingClient] = []

    def build(
        *,
        base_url: str | None = None,
        secret: str = SECRET_KEY,
        attempts: int = 4,
        poll_timeout: float = 5.0,
    ) -> KlingClient:
        client = KlingClient(
            base_url or kling_server.url,
            ACCESS_KEY,
            secret,
            # No jitter, so the waits between tries can be measured.
            retry=RetryPolicy(
                attempts=attempts,
                backoff=Backoff(initial=RETRY_WAIT, multiplier=2, maximum=1.0, jitter=0),
            ),
            poll=PollPolicy(
                backoff=Backoff(initial=0.02, multiplier=1.5, maximum=0.05, jitter=0),
                timeout=poll_timeout,
            ),
            timeout=10,
        )
        made.append(client)
        return client

    yield build
    for client in made:
        client.close()


def _png(size: tuple[int, int] = (320, 320)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


def test_text2video_happy_path(
    kling_server: KlingContractServer, make_client: MakeClient, tmp_path: Path
) -> None:
    client = make_client()
    request = Text2VideoRequest(
        model_name="kling-v1-6",
        prompt="A paper boat drifts across a pond",
        negative_prompt="blurry",
        cfg_scale=0.5,
        mode="pro",
        duration="5",
        aspect_ratio="9:16",
        external_task_id="boat-1",
    )
    created = client.create_task(request)
    assert created.task_status == TaskStatus.submitted
    done = client.wait("text2video", created.task_id)
    assert done.task_status == TaskStatus.succeed
    assert done.task_info.external_task_id == "boat-1"
    assert done.task_result is not None and done.task_result.videos[0].duration == "5"

    path = client.download(done.task_result.videos[0].url, tmp_path / "boat.mp4")
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (90, 160)
    assert [p.name for p in tmp_path.iterdir()] == ["boat.mp4"]

    post = kling_server.api_calls("text2video")[0]
    assert (post.method, post.path) == ("POST", "/v1/videos/text2video")
    assert post.body == {
        "model_name": "kling-v1-6",
        "prompt": "A paper boat drifts across a pond",
        "negative_prompt": "blurry",
        "cfg_scale": 0.5,
        "mode": "pro",
        "duration": "5",
        "aspect_ratio": "9:16",
        "external_task_id": "boat-1",
    }
    assert post.authorization is not None and post.authorization.startswith("Bearer ")
    # The account's token is never sent to the host the video comes from.
    assert [d.authorization for d in kling_server.downloads] == [None]


def test_image2video_sends_base64_image(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    client = make_client()
    image = _png((640, 360))
    task = client.create_task(
        Image2VideoRequest(model_name="kling-v1-6", image=image, prompt="She turns", duration="10")
    )
    done = client.wait("image2video", task.task_id)
    assert done.task_result is not None and done.task_result.videos[0].duration == "10"
    post = kling_server.api_calls("image2video")[0]
    assert post.path == "/v1/videos/image2video"
    assert post.body["image"] == image
    queries = [c.path for c in kling_server.api_calls() if c.method == "GET"]
    assert queries and all(p == f"/v1/videos/image2video/{task.task_id}" for p in queries)


def test_list_pages_through_tasks_newest_first(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    client = make_client()
    ids = []
    for n in range(3):
        ids.append(client.create_task(Text2VideoRequest(prompt=f"shot {n}")).task_id)
        time.sleep(0.01)
    first = client.list_tasks("text2video", page_num=1, page_size=2)
    second = client.list_tasks("text2video", page_num=2, page_size=2)
    assert [t.task_id for t in first + second] == ids[::-1]
    assert all(isinstance(t, TaskData) for t in first)
    assert client.list_tasks("image2video") == []
    listing = next(c for c in kling_server.api_calls() if c.method == "GET")
    assert listing.query == {"pageNum": "1", "pageSize": "2"}
    with pytest.raises(ValueError, match="page_size"):
        client.list_tasks("text2video", page_size=0)


@pytest.mark.parametrize(
    ("code", "error", "words"),
    [
        (1000, KlingAuthError, "access and secret keys"),
        (1004, KlingAuthError, "code 1004"),
        (1101, KlingError, "account"),
        (1102, KlingResourcePackError, "resource pack"),
        (1200, KlingBadRequestError, "fix the request"),
        (1301, KlingContentSafetyError, "content safety"),
        (1304, KlingError, "policy"),
    ],
)
def test_each_error_family_raises_its_error(
    kling_server: KlingContractServer,
    make_client: MakeClient,
    code: int,
    error: type[KlingError],
    words: str,
) -> None:
    kling_server.script.faults = [Fault(code, times=None, message="the server says no")]
    with pytest.raises(error, match=words) as caught:
        make_client().create_task(Text2VideoRequest(prompt="x"))
    assert caught.value.code == code
    assert "the server says no" in str(caught.value)
    assert caught.value.request_id and caught.value.request_id in str(caught.value)
    assert isinstance(caught.value, EngineError)
    # Not worth retrying: one call only.
    assert len(kling_server.api_calls()) == 1


def test_a_wrong_secret_is_refused_by_the_server(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    client = make_client(secret="sk-wrong-wrong-wrong-0123456789abcdef01")
    with pytest.raises(KlingAuthError, match="code 1002"):
        client.create_task(Text2VideoRequest(prompt="x"))


def test_parameters_the_docs_forbid_are_refused_by_the_server(make_client: MakeClient) -> None:
    client = make_client()
    with pytest.raises(KlingBadRequestError, match="model_name is invalid") as caught:
        client.create_task(Text2VideoRequest(model_name="kling-v9", prompt="x"))
    assert caught.value.code == 1201 and caught.value.http_status == 400
    with pytest.raises(KlingBadRequestError, match="duration"):
        client.create_task(Text2VideoRequest(prompt="x", duration="7"))
    with pytest.raises(KlingBadRequestError, match="element_list"):
        client.create_task(Image2VideoRequest(image=_png(), element_list=[{"element_id": 1}]))


@pytest.mark.parametrize(
    ("code", "route"),
    [(1302, "create"), (1303, "create"), (5000, "create"), (5001, "query")],
)
def test_passing_refusals_are_retried_with_growing_waits(
    kling_server: KlingContractServer, make_client: MakeClient, code: int, route: str
) -> None:
    kling_server.script.faults = [Fault(code, route=route, times=2)]  # type: ignore[arg-type]
    client = make_client()
    task = client.create_task(Text2VideoRequest(prompt="x"))
    done = client.wait("text2video", task.task_id)
    assert done.task_status == TaskStatus.succeed
    calls = [
        c for c in kling_server.api_calls() if c.method == ("POST" if route == "create" else "GET")
    ]
    answered = [c.answered for c in calls[:3]]
    assert answered == [code, code, 0]
    gaps = [b.at - a.at for a, b in itertools.pairwise(calls[:3])]
    # Exponential: the first wait, then twice it.
    assert gaps[0] >= RETRY_WAIT * 0.9
    assert gaps[1] >= 2 * RETRY_WAIT * 0.9


def test_retries_give_up_after_the_attempts(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    kling_server.script.faults = [Fault(1302, times=None, message="too many requests")]
    with pytest.raises(KlingRateLimitError, match="too many requests") as caught:
        make_client(attempts=3).create_task(Text2VideoRequest(prompt="x"))
    assert caught.value.retryable and caught.value.exit_code == 1
    assert len(kling_server.api_calls()) == 3


def test_retry_after_is_honoured(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    kling_server.script.faults = [Fault(1303, times=1, retry_after="1")]
    make_client().create_task(Text2VideoRequest(prompt="x"))
    first, second = kling_server.api_calls()
    assert first.answered == 1303 and second.answered == 0
    # The backoff alone would have waited 0.05 s.
    assert second.at - first.at >= 0.95


def test_slow_task_is_polled_with_backoff_and_reports_each_poll(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    kling_server.script.polls = 1
    kling_server.script.ready_after = 0.4
    client = make_client()
    task = client.create_task(Text2VideoRequest(prompt="x"))
    seen: list[tuple[TaskStatus, float]] = []
    done = client.wait(
        "text2video", task.task_id, on_status=lambda t, s: seen.append((t.task_status, s))
    )
    assert done.task_status == TaskStatus.succeed
    statuses = [s for s, _ in seen]
    assert statuses[0] == TaskStatus.submitted
    assert TaskStatus.processing in statuses and statuses[-1] == TaskStatus.succeed
    waited = [w for _, w in seen]
    assert waited == sorted(waited) and waited[-1] >= 0.4
    polls = [c for c in kling_server.api_calls() if c.method == "GET"]
    gaps = [b.at - a.at for a, b in itertools.pairwise(polls)]
    # Waits grow 0.02, 0.03, 0.045, then 0.05 each (a busy machine only adds to them),
    # so 0.4 s takes a handful of polls rather than dozens.
    assert 4 <= len(polls) < 25
    assert min(gaps) >= 0.018
    assert min(gaps[3:]) >= 0.045


def test_a_task_that_never_finishes_times_out(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    kling_server.script.ready_after = 60
    client = make_client(poll_timeout=0.3)
    task = client.create_task(Text2VideoRequest(prompt="x"))
    started = time.monotonic()
    with pytest.raises(KlingTimeoutError, match=r"still processing .*poll timeout 0.3 s"):
        client.wait("text2video", task.task_id)
    assert time.monotonic() - started < 1.5


def test_a_failed_task_says_why(kling_server: KlingContractServer, make_client: MakeClient) -> None:
    kling_server.script.outcome = "failed"
    client = make_client()
    task = client.create_task(Text2VideoRequest(prompt="x"))
    with pytest.raises(KlingTaskFailed, match="content risk control"):
        client.wait("text2video", task.task_id)


def test_callback_url_is_sent_and_called_on_completion(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    client = make_client()
    hook = f"{kling_server.url}/_test/callback"
    task = client.create_task(Text2VideoRequest(prompt="x", callback_url=hook))
    assert kling_server.api_calls()[0].body["callback_url"] == hook
    client.wait("text2video", task.task_id)
    (callback,) = kling_server.wait_for_callbacks(1)
    parsed = TaskData.model_validate(callback)
    assert parsed.task_id == task.task_id and parsed.task_status == TaskStatus.succeed
    assert parsed.task_result is not None and parsed.task_result.videos


def test_a_host_that_is_not_kling_is_a_protocol_error(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    client = make_client(base_url=f"{kling_server.url}/not-kling")
    with pytest.raises(KlingProtocolError, match=r"not a Kling answer.*base_url"):
        client.create_task(Text2VideoRequest(prompt="x"))


def test_an_unreachable_host_is_retried_then_reported(make_client: MakeClient) -> None:
    # Port 9 on localhost (discard) is closed on a test machine: connections are refused.
    client = make_client(base_url="http://127.0.0.1:9", attempts=2)
    with pytest.raises(KlingError, match="cannot reach") as caught:
        client.get_task("text2video", "abc")
    assert caught.value.retryable


def test_tokens_sent_are_valid_kling_tokens(
    kling_server: KlingContractServer, make_client: MakeClient
) -> None:
    make_client().list_tasks("text2video")
    authorization = kling_server.api_calls()[0].authorization
    assert authorization is not None
    claims = jwt.decode(authorization.removeprefix("Bearer "), SECRET_KEY, algorithms=["HS256"])
    assert claims["iss"] == ACCESS_KEY and claims["exp"] - claims["nbf"] == 1805


def test_error_mapping_covers_unknown_codes_by_family() -> None:
    assert type(error_for(1099)) is KlingAuthError
    assert type(error_for(1250)) is KlingBadRequestError
    assert type(error_for(5123)) is KlingServerError and error_for(5123).retryable
    assert type(error_for(1303)) is KlingConcurrencyLimitError
    assert "used up" in str(error_for(1102))


def test_retry_after_accepts_seconds_and_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    assert parse_retry_after("Thu, 01 Jan 2099 00:00:10 GMT", now=4_070_908_800) == 10.0
