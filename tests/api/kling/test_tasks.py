"""Tasks end to end: our Kling client creates tasks on a real storyreel server, polls
them to `succeed`, downloads the films by their signed links and decodes them; the
Kling engine renders a shot through the same server; callbacks reach a local receiver;
tasks survive a restart, and those left unfinished are made again."""

from __future__ import annotations

import base64
import io
import json
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import av
import httpx
import numpy as np
import pytest
from PIL import Image

from storyreel.api.kling_keys import KeyStore
from storyreel.api.kling_tasks import link_signature
from storyreel.cast import Cast
from storyreel.cast.subject import SubjectRef
from storyreel.kling.auth import issue_token
from storyreel.kling.schemas import (
    Image2VideoRequest,
    TaskData,
    TaskStatus,
    Text2VideoRequest,
)
from storyreel.model import Character, Setting, Shot, ShotSize
from storyreel.render.engine import RenderRequest
from storyreel.render.engines.kling import KlingEngine
from storyreel.store.server import open_server_store

from ..support import running_server
from .conftest import Server, kling_app

PROMPT = "A paper boat drifts across a lake at dawn."


# --- a callback receiver ------------------------------------------------------------------


class Receiver:
    """A local HTTP server that records the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._http.server_address[1]}/hook"
        threading.Thread(target=self._http.serve_forever, daemon=True).start()

    def close(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def statuses(self, task_id: str, until: str, timeout: float = 10) -> list[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            seen = [b["task_status"] for b in self.bodies if b.get("task_id") == task_id]
            if until in seen:
                return seen
            time.sleep(0.05)
        return [b["task_status"] for b in self.bodies if b.get("task_id") == task_id]


# --- helpers ------------------------------------------------------------------------------


def decode(path: Path) -> tuple[int, tuple[int, int], float, float]:
    """Frames, size, frame rate and duration in seconds of an MP4's video stream."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        size = (stream.codec_context.width, stream.codec_context.height)
        rate = float(stream.average_rate or 0)
    return frames, size, rate, frames / rate


def png_base64(size: tuple[int, int], colour: tuple[int, int, int] = (180, 60, 60)) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


@dataclass
class Made:
    wide: TaskData
    tall: TaskData
    picture: TaskData
    submitted: list[TaskData]
    callbacks: list[str]


@pytest.fixture(scope="module")
def made(server: Server) -> Iterator[Made]:
    """Three tasks made at once: 5 s 16:9 with a callback, 10 s 9:16 with sound, and an
    image2video from a base64 PNG."""
    receiver = Receiver()
    try:
        with server.client() as kling:
            submitted = [
                kling.create_task(
                    Text2VideoRequest(
                        prompt=PROMPT,
                        duration="5",
                        aspect_ratio="16:9",
                        external_task_id="boat-5s",
                        callback_url=receiver.url,
                    )
                ),
                kling.create_task(
                    Text2VideoRequest(prompt=PROMPT, duration="10", aspect_ratio="9:16", sound="on")
                ),
                kling.create_task(
                    Image2VideoRequest(
                        image=png_base64((320, 320)),
                        prompt="MEI (20s, red raincoat) opens her umbrella in the rain.",
                        duration="5",
                    )
                ),
            ]
            wide = kling.wait("text2video", submitted[0].task_id)
            tall = kling.wait("text2video", submitted[1].task_id)
            picture = kling.wait("image2video", submitted[2].task_id)
        callbacks = receiver.statuses(wide.task_id, until="succeed")
        yield Made(wide, tall, picture, submitted, callbacks)
    finally:
        receiver.close()


def download(server: Server, task: TaskData, path: Path) -> Path:
    assert task.task_result is not None
    with server.client() as kling:
        return kling.download(task.task_result.videos[0].url, path)


# --- text2video ---------------------------------------------------------------------------


def test_sound_on_gives_the_films_sound_and_off_none(
    server: Server, made: Made, tmp_path: Path
) -> None:
    with av.open(str(download(server, made.tall, tmp_path / "on.mp4"))) as container:
        (audio,) = container.streams.audio
        samples = np.concatenate(
            [frame.to_ndarray().reshape(-1) for frame in container.decode(audio)]
        )
        rate = audio.rate
    # Stereo, as long as the picture (AAC's priming aside), and not silence.
    assert len(samples) / 2 / rate == pytest.approx(10.0, abs=0.1)
    assert float(np.sqrt(np.mean(samples**2))) > 10 ** (-40 / 20)
    with av.open(str(download(server, made.wide, tmp_path / "off.mp4"))) as container:
        assert not container.streams.audio  # Kling's default: no sound unless asked


def test_a_task_is_submitted_then_succeeds(made: Made) -> None:
    first = made.submitted[0]
    assert first.task_status == TaskStatus.submitted
    assert first.task_result is None
    assert first.task_info.external_task_id == "boat-5s"
    wide = made.wide
    assert wide.task_id == first.task_id and wide.task_status == TaskStatus.succeed
    # Milliseconds since the epoch, and the task moved on after it was created.
    assert abs(wide.created_at / 1000 - time.time()) < 300
    assert wide.updated_at > wide.created_at
    assert wide.task_result is not None
    (video,) = wide.task_result.videos
    assert video.duration == "5" and video.id


@pytest.mark.parametrize(
    ("which", "seconds", "size"), [("wide", 5, (160, 90)), ("tall", 10, (90, 160))]
)
def test_the_video_has_the_asked_length_and_shape(
    server: Server, made: Made, tmp_path: Path, which: str, seconds: int, size: tuple[int, int]
) -> None:
    task: TaskData = getattr(made, which)
    frames, got_size, rate, duration = decode(download(server, task, tmp_path / "v.mp4"))
    assert (frames, got_size, rate) == (seconds * 8, size, 8.0)
    assert duration == pytest.approx(seconds)


def test_a_task_is_found_by_its_external_id(server: Server, made: Made) -> None:
    with server.client() as kling:
        found = kling.get_task("text2video", "boat-5s")
    assert found.task_id == made.wide.task_id
    assert found.task_status == TaskStatus.succeed


def test_the_list_pages_newest_first(server: Server, made: Made) -> None:
    with server.client() as kling:
        first = kling.list_tasks("text2video", page_num=1, page_size=1)
        second = kling.list_tasks("text2video", page_num=2, page_size=1)
        beyond = kling.list_tasks("text2video", page_num=3, page_size=1)
        pictures = kling.list_tasks("image2video", page_num=1, page_size=30)
    assert [t.task_id for t in first + second] == [made.tall.task_id, made.wide.task_id]
    assert beyond == []
    assert [t.task_id for t in pictures] == [made.picture.task_id]


def test_callbacks_carry_bare_task_data_on_each_status(made: Made) -> None:
    assert made.callbacks == ["submitted", "processing", "succeed"]


# --- image2video --------------------------------------------------------------------------


def test_the_image_becomes_the_subjects_cast_reference(
    server: Server, made: Made, tmp_path: Path
) -> None:
    project = server.root / ".kling" / made.picture.task_id / "project"
    entry = Cast(project / "cast").get("MEI")
    assert len(entry.subject.images) == 1
    with Image.open(entry.path(entry.subject.images[0])) as reference:
        assert reference.size == (320, 320)
        assert reference.convert("RGB").getpixel((160, 160)) == (180, 60, 60)
    # A square image makes a square film.
    frames, size, _, _ = decode(download(server, made.picture, tmp_path / "p.mp4"))
    assert (frames, size) == (40, (90, 90))


def test_a_data_url_image_is_accepted(server: Server) -> None:
    token = issue_token(server.key.access_key, server.key.secret_key)
    with server.client() as kling:
        body = {"image": "data:image/png;base64," + png_base64((400, 300)), "duration": "5"}
        answer = httpx.post(
            f"{server.url}/v1/videos/image2video",
            json=body,
            headers={"Authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200, answer.text
        task_id = answer.json()["data"]["task_id"]
        done = kling.wait("image2video", task_id)
    assert done.task_status == TaskStatus.succeed
    # No character named: the image's subject is introduced under a name of its own.
    project = server.root / ".kling" / task_id / "project"
    assert Cast(project / "cast").get("SUBJECT").subject.images


# --- the video links ----------------------------------------------------------------------


def test_video_links_are_signed_expiring_and_ranged(server: Server, made: Made) -> None:
    assert made.wide.task_result is not None
    url = made.wide.task_result.videos[0].url
    whole = httpx.get(url)
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    part = httpx.get(url, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206
    assert part.content == whole.content[:100]
    assert part.headers["content-range"] == f"bytes 0-99/{len(whole.content)}"

    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    bare = f"{parts.scheme}://{parts.netloc}{parts.path}"
    forged = httpx.get(bare, params={**query, "signature": "0" * 64})
    assert forged.status_code == 403
    later = str(int(query["expires"]) + 1)
    assert httpx.get(bare, params={**query, "expires": later}).status_code == 403
    # A link signed with the server's secret but past its expiry is refused too.
    past = int(time.time()) - 1
    secret = KeyStore.for_root(server.root).url_secret()
    expired = {"expires": str(past), "signature": link_signature(secret, made.wide.task_id, past)}
    assert httpx.get(bare, params=expired).status_code == 403


# --- the Kling engine, pointed at this server ---------------------------------------------


def test_the_kling_engine_renders_through_this_server(
    server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KLING_ACCESS_KEY", server.key.access_key)
    monkeypatch.setenv("KLING_SECRET_KEY", server.key.secret_key)
    picture = tmp_path / "mei.png"
    Image.new("RGB", (320, 480), (40, 90, 200)).save(picture)
    engine = KlingEngine(
        KlingEngine.Options(
            base_url=server.url,
            poll_interval=0.2,
            poll_max_interval=0.5,
            poll_timeout=90,
            retry_attempts=1,
        )
    )
    shot = Shot(
        id="3",
        scene=1,
        size=ShotSize.medium,
        duration=2.0,
        subjects=["MEI"],
        setting=Setting(location="HILLTOP PARK", interior="ext", time="day"),
        action="Mei opens her umbrella",
    )
    request = RenderRequest(
        shot=shot,
        cast=[Character(name="MEI", description="20s, red raincoat")],
        width=64,
        height=96,
        fps=8,
        out_path=tmp_path / "take.mp4",
        references=[SubjectRef(name="MEI", images=(picture,))],
    )
    take = engine.render(request)
    assert (take.frames, take.width, take.height) == (16, 64, 96)
    frames, size, rate, _ = decode(take.path)
    assert (frames, size, rate) == (16, (64, 96), 8.0)
    with server.client() as kling:
        (task,) = [t for t in kling.list_tasks("image2video") if t.task_info.external_task_id]
    assert task.task_info.external_task_id is not None
    assert task.task_info.external_task_id.startswith("storyreel-3-")


# --- a restart ----------------------------------------------------------------------------


def test_tasks_survive_a_restart(server: Server, made: Made, tmp_path: Path) -> None:
    # Tasks that were mid-make when their server stopped: one whose project is gone,
    # one whose project is there (its make is queued again and finishes).
    orphan_id, resumed_id = "f" * 32, "e" * 32
    with open_server_store(server.root) as store:
        record = store.kling_task(made.tall.task_id)
        assert record is not None
        store.import_kling_tasks(
            [
                record.model_copy(update={"task_id": orphan_id, "status": "processing"}),
                record.model_copy(update={"task_id": resumed_id, "status": "submitted"}),
            ]
        )
    tasks = server.root / ".kling"
    shutil.copytree(tasks / made.tall.task_id / "project", tasks / resumed_id / "project")
    app = kling_app(server.root)
    with running_server(app) as url:
        restarted = Server(url, server.root, app, server.key)
        with restarted.client() as kling:
            again = kling.get_task("text2video", made.wide.task_id)
            lost = kling.get_task("text2video", orphan_id)
            resumed = kling.wait("text2video", resumed_id)
        frames, _, _, _ = decode(download(restarted, again, tmp_path / "again.mp4"))
        made_again, _, _, _ = decode(download(restarted, resumed, tmp_path / "resumed.mp4"))
    assert again.task_status == TaskStatus.succeed and frames == 40
    assert resumed.task_status == TaskStatus.succeed and made_again == 80
    assert lost.task_status == TaskStatus.failed
    assert "submit it again" in lost.task_status_msg
    # The failure is written back, so it is not rediscovered on every start.
    with open_server_store(server.root) as store:
        stored = store.kling_task(orphan_id)
    assert stored is not None and stored.status == TaskStatus.failed
